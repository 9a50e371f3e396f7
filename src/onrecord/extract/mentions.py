"""Every named entity of an article's text, canonicalised like speakers and ``about`` (``MentionResolver.entity``).

Statements only carry the entities of their own speaker and content; storylines, cross-article entity resolution
and background drafting need the article's whole cast, with spans as evidence.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..records import TextMention
from .speakers import MentionResolver

#: Entity labels kept (spaCy's and the gazetteer rulers'); numbers, dates and quantities are left to timex.
KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "WEAPON", "EVENT", "PRODUCT"})


def text_mentions(doc: Doc, resolver: MentionResolver) -> list[TextMention]:
    """The named entities of ``doc`` in text order, each with its canonical name and kind; one-letter names dropped."""
    found: list[TextMention] = []
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        ref = resolver.entity(ent)
        if len(ref.name) > 1:
            found.append(TextMention(ref.name, ref.kind, ent.start_char, ent.end_char, ent.text))
    return found
