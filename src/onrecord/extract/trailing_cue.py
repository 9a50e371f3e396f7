"""rules.v4: a cue clause set off by commas after (or inside) an unquoted report — the wire-service form.

    The big steel plant is hanging on, but it is under intense pressure, said the company's chief executive.
    Facebook created the tool to help in times of crisis, a spokeswoman, Anna White, said on Saturday.
    The hashtag, Mr. Abboud said, accompanied descriptions of loved ones.
    At times last year, people close to the vice president said, the mere mention of her name made him fume.

The parser seldom makes the report a clause of the cue here (it hangs "said" on the report as a conjunct, or takes
the speaker for the report's object), so the content is read from the sentence around the cue clause instead: the
cue clause is the verb, its subject (a noun phrase with appositions and a relative clause) and the verb's own
adjuncts ("on Saturday", "in a statement", "told reporters"); it must be closed by a comma or the sentence end and
opened by a comma. The report is the rest of the sentence — before the cue clause, and after it when the cue stands
inside ("…, he said, …") — and must hold a finite verb. A clause after the cue clause that starts with "and"/"but" or
a participle ("…, adding that …") is another statement, not this one's content. Quotations are left to the quotation
rules: a report with a long quotation in it is not read this way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from .cues import VERB_CUES
from .verb_content import SUBORDINATORS, Content, after_verb, through_open_quote, trim

if TYPE_CHECKING:
    from .attribution import QuoteIndex

#: Reporting verbs that take this form. Not stance verbs ("…, critics attacked") or quote-only verbs.
TRAILING_CUES = {
    "say", "tell", "add", "note", "explain", "argue", "insist", "claim", "write", "state", "warn", "caution",
    "acknowledge", "concede", "admit", "predict", "estimate", "report", "recall", "contend", "maintain", "observe",
    "suggest", "complain", "stress", "emphasize", "emphasise", "assert", "allege", "declare", "announce", "confirm",
    "reply", "respond", "answer", "believe", "think", "speculate", "reckon", "recount", "testify", "concur",
    "show", "find", "reveal", "indicate",  # findings of record: "…, fundraising documents show."
}
_NP_TAGS = {"PROPN", "NOUN", "DET", "ADJ", "PRON", "NUM", "PART", "ADP", "CCONJ", "PUNCT", "ADV"}
_FINITE = {"VBD", "VBZ", "VBP", "MD"}
_ADJUNCT_DEPS = {"prep", "npadvmod", "advmod", "agent", "punct", "dative", "tmod", "obl"}


def trailing_content(verb: Token, lemma: str, quotes: QuoteIndex) -> tuple[Content, Token] | None:
    """The report around a comma-delimited cue clause, and the speaker's head; ``None`` when the sentence does not
    have that shape."""
    if lemma not in TRAILING_CUES or any(c.dep_ in {"ccomp", "xcomp", "dobj", "obj"} and lemma != "tell"
                                          for c in verb.children):
        return None
    doc, sent = verb.doc, verb.sent
    words = [t for t in sent if not t.is_space]
    if not words:
        return None
    found = _cue_clause(verb)
    if found is None:
        return None
    first, last, speaker = found
    before = [t for t in words if t.i < first]
    after = [t for t in words if t.i > last]
    if not after or all(t.is_punct for t in after):
        after = []
    elif after[0].text != ",":
        return None
    else:
        rest = after[1:]
        if not rest or rest[0].pos_ == "CCONJ" or rest[0].tag_ == "VBG" or rest[0].lower_ in {"who", "which"}:
            after = []  # "…, a spokeswoman said, and it has activated …": another clause, not this report
        else:
            after = rest
    if not before or before[-1].text != ",":
        return None
    before = before[:-1]
    report = before + after
    if len(report) < 4 or not any(t.tag_ in _FINITE or t.pos_ == "VERB" and t.tag_ == "VBN" for t in report):
        return None
    if any(t.is_punct and t.text in {";", ":"} for t in before):
        return None  # "…: the latest, he said" — the report does not run over a colon or semicolon
    if any(t.lemma_.lower() in VERB_CUES and t.pos_ == "VERB" and any(c.dep_ == "nsubj" for c in t.children)
           for t in before):
        return None  # "The participants said this in a statement, Ukrinform reports": a relay, not a second report
    if before and before[0].tag_ in {"VBN", "VBG"}:
        return None  # "Asked whether …, the ambassador replied": the question is not the reply
    if not after and before and before[0].lower_ in SUBORDINATORS | {"if"}:
        return None  # "As the crowd cheered, the president said." — a time clause is not what was said
    ranges: list[tuple[int, int]] = []
    for part in (before, after):
        if part:
            start, end = trim(doc, part)
            if end > start:
                ranges.append((start, through_open_quote(quotes, start, end)))
    if not ranges:
        return None
    inner = [q for r in ranges for q in quotes.inside(r[0] - 1, r[1] + 1, long_only=False)]
    if any(not q.short or quotes.is_claimed(q) for q in inner):
        return None
    if any(quotes.containing(a) is not None or quotes.containing(b - 1) is not None for a, b in ranges):
        return None
    for q in inner:
        quotes.claim(q)
    return (ranges, "mixed" if inner else "indirect", inner), speaker


def _cue_clause(verb: Token) -> tuple[int, int, Token] | None:
    """First and last token index of the cue clause and the speaker's head, or ``None``."""
    sent = verb.sent
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.tag_ in {"WP", "WDT"}:
        return None
    prev = _prev_word(verb)
    if prev is not None and prev.text == "," and subject is not None and subject.i > verb.i:
        # inverted: "…, said the company's chief executive, John J. Ferriola."
        last = max(t.i for t in subject.subtree)
        return prev.i + 1, _adjuncts_end(verb, max(last, verb.i)), subject
    # "…, a spokeswoman, Anna White, said on Saturday": the subject stands between a comma and the verb
    if subject is not None and subject.i < verb.i:
        first = min(t.i for t in subject.subtree)
        if any(t.i < verb.i and t.i > max(x.i for x in subject.subtree) and not (t.is_space or t.dep_ in {"advmod", "aux", "neg"})
               for t in sent if t.i > first):
            return None
        return first, _adjuncts_end(verb, verb.i), subject
    head = _np_before(verb)
    if head is None:
        return None
    first = head[0]
    return first, _adjuncts_end(verb, verb.i), head[1]


def _prev_word(tok: Token) -> Token | None:
    i = tok.i - 1
    while i >= tok.sent.start and tok.doc[i].is_space:
        i -= 1
    return tok.doc[i] if i >= tok.sent.start else None


def _np_before(verb: Token) -> tuple[int, Token] | None:
    """When the parser took the speaker for something else: the noun phrase (with appositions) between the last
    comma reached before a verb and the cue verb; its first token index and its head noun."""
    doc, sent = verb.doc, verb.sent
    i, comma = verb.i - 1, None
    while i >= sent.start:
        t = doc[i]
        if t.is_space:
            i -= 1
            continue
        if t.text == ",":
            comma = i
        elif t.pos_ not in _NP_TAGS or t.tag_ in {"WP", "WDT"}:
            break
        i -= 1
    if comma is None or comma + 1 >= verb.i:
        return None
    span = [t for t in doc[comma + 1 : verb.i] if not t.is_space]
    while span and span[-1].is_punct:
        span.pop()
    if not span or len(span) > 12 or span[0].pos_ not in {"DET", "PROPN", "NOUN", "ADJ"}:
        return None
    inside = {t.i for t in span}
    roots = [t for t in span if t.head.i not in inside and t.pos_ in {"NOUN", "PROPN"}]
    if len(roots) != 1:
        return None
    return comma + 1, roots[0]


def _adjuncts_end(verb: Token, last: int) -> int:
    """The verb's own adjuncts after it ("on Saturday", "in a statement", "told reporters") belong to the cue
    clause; returns the index of its last token."""
    deps = _ADJUNCT_DEPS | ({"dobj", "obj"} if verb.lemma_ == "tell" else set())
    return max([last] + [t.i for t in after_verb(verb, deps)])
