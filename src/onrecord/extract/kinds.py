"""The kind of a speech act, its setting, and the expectation a forward-looking statement sets."""

from __future__ import annotations

import re
from datetime import date

from spacy.tokens import Span, Token

from ..records import Expectation, TimeRef
from .cues import QUESTION_WORDS
from .sections import text_of
from .timex import find_times

_FUTURE = re.compile(
    r"\b(will|shall|won't|would|'ll|going to|plans? to|planning to|intends? to|aims? to|"
    r"expects? to|is expected to|are expected to|is set to|are set to|be able to)\b", re.I)
_DENIAL = re.compile(r"^\s*(this|that|it|these|such (reports|claims))\s+(is|are|was|were)\s+(not true|untrue|false|"
                     r"a lie|lies|fake|nonsense|groundless|baseless)|\b(no plans to|never (said|planned|intended))\b", re.I)
_DEADLINE_WORDS = re.compile(r"^(by|within|until|till|before|in the coming|no later than)\b", re.I)
_EXPLICITLY_AHEAD = re.compile(r"\b(1[9]|20)\d\d\b|\b(next|coming|by|within|until|later)\b", re.I)
_REQUEST_CONTENT = re.compile(r"^\s*(please\b|let us\b|let's\b|we (must|should|need to) urge\b)", re.I)
_SETTING_NOUNS = {
    "meeting", "conference", "briefing", "summit", "interview", "address", "speech", "session", "forum", "talks",
    "visit", "event", "ceremony", "rally", "broadcast", "program", "programme", "show", "air", "statement",
    "telethon", "newscast", "message", "video", "post", "hearing", "debate", "call", "sidelines", "gathering",
    "assembly", "parliament", "council", "congress", "press", "marathon", "appeal", "roundtable", "podcast",
}
_SETTING_PREPS = {"at", "during", "in", "on", "after", "before", "while", "ahead"}


def classify(cue_kind: str | None, cue: str, content: str, verb: Token | None, first: Token | None = None) -> str:
    """assertion | request | prediction | denial | confirmation | question | announcement | belief.

    ``first`` is the first token of the content: an imperative ("Stop issuing visas") is a request."""
    text = content.strip().rstrip("\"”»’'")
    if cue_kind == "belief":
        return "belief"  # an attributed belief, knowledge or intention: never a speech act of its own kind
    if first is not None and _imperative(first) and cue_kind not in {"denial", "confirmation"}:
        return "request"
    if cue_kind == "question" or cue == "ask":
        if text.endswith("?") or _starts_with_question_word(verb):
            return "question"
        return "request"
    if cue_kind in {"denial", "confirmation", "request", "announcement"}:
        return cue_kind
    if cue_kind == "prediction":
        return "prediction"
    if text.endswith("?"):
        return "question"
    if _DENIAL.search(text):
        return "denial"
    if _REQUEST_CONTENT.search(text):
        return "request"
    if _FUTURE.search(text):
        return "prediction"
    return "assertion"


def _imperative(first: Token) -> bool:
    """A clause that opens with a bare verb and has no subject: "Stop issuing tourist visas"."""
    if first.tag_ != "VB" or first.dep_ not in {"ROOT", "ccomp", "conj"}:
        return False
    return not any(c.dep_ in {"nsubj", "nsubjpass", "expl", "aux"} for c in first.children) and first.lower_ not in {"let"}


def _starts_with_question_word(verb: Token | None) -> bool:
    if verb is None:
        return False
    for child in verb.children:
        if child.dep_ == "ccomp" or (child.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in {"if", "whether"} for m in child.children)):
            first = next(iter(child.subtree))
            return first.lower_ in QUESTION_WORDS
    return False


def setting(verb: Token | None, content: list[tuple[int, int]]) -> str | None:
    """Where or at what it was said: a prepositional phrase of the cue verb headed by an event noun
    ("at a meeting of the Supreme State Council", "during a press conference", "in an interview with RBC")."""
    if verb is None:
        return None
    candidates = list(verb.children)
    if verb.dep_ in {"advcl", "conj", "xcomp"}:
        candidates += [c for c in verb.head.children if c.dep_ == "prep"]
    for child in candidates:
        if child.dep_ != "prep" or child.lower_ not in _SETTING_PREPS:
            continue
        pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.lemma_.lower() not in _SETTING_NOUNS:
            continue
        tokens = list(child.subtree)
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        if any(s <= start < e for s, e in content):
            continue
        return text_of(verb.doc)[start:end].strip(" ,")
    return None


def expectation(kind: str, content: str, anchor: date | None) -> Expectation | None:
    """The due window of a forward-looking statement: a time expression in its content that lies after the
    publication date ("in the second half of 2025" → 2025-07-01…2025-12-31).

    With an explicit forward-looking cue or modal the expression is read forwards ("in March" → next March);
    otherwise it must be unambiguously after the publication date when read as the nearest instance, so that
    "the attack happened in March" never becomes an expectation. Without a publication date nothing is due.
    """
    if anchor is None or kind in {"question", "denial", "belief"}:
        return None
    forward = kind == "prediction" or _FUTURE.search(content) is not None
    for _, _, ref in find_times(content, anchor, "future" if forward else "any"):
        if not forward and not _EXPLICITLY_AHEAD.search(ref.text):
            continue  # "the attack happened in March": a bare month is not a deadline
        if ref.start > anchor or (forward and ref.end >= anchor and ref.granularity != "day"):
            return Expectation(content, ref)
        if forward and ref.start >= anchor:
            return Expectation(content, ref)
    return None


def said_on(sent: Span, verb: Token | None, exclude: list[tuple[int, int]], anchor: date | None) -> TimeRef | None:
    """When it was said: a time expression in the cue's clause, outside ``exclude`` (the reported content and the
    quotations)."""
    doc = sent.doc
    if verb is not None:
        tokens = [t for t in verb.subtree if t.sent == sent]
        start, end = min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)
    else:
        start, end = sent.start_char, sent.end_char
    text = text_of(doc)[start:end]
    for s, e, ref in find_times(text, anchor, "past"):
        s, e = s + start, e + start
        if any(a <= s < b or a < e <= b for a, b in exclude):
            continue
        if anchor is not None and ref.start > anchor:
            continue
        if _DEADLINE_WORDS.match(ref.text):
            continue  # "by June 10" is a deadline inside the cue's clause, not when it was said
        return ref
    return None
