"""Quotation spans in article text, found on characters before any parsing.

Rules (tested in tests/test_quotes.py):
- Double quotes pair within a paragraph: curly “…”, guillemets «…» (and »…« as used in German), straight "…".
- A quotation that is still open at the end of a paragraph continues when the next paragraph opens with a quote
  mark (the news convention for multi-paragraph quotes); otherwise the stray mark is dropped. Quotes never pair
  across paragraphs in any other way, and an odd number of marks never raises.
- Single curly quotes ‘…’ count only as a quotation when they hold at least three words (headline style), so
  apostrophes and nicknames are left alone.
- Two apostrophes stand for a double quote mark (typewriter and archive style: ``''We won,'' he said``), read
  as “…” on a copy of the text of the same length, so offsets stay the article's (v3).
- A quotation holding one to three words with no verb-like shape (a nickname, a title, scare quotes) is kept but
  marked ``short``: it is a quotation only when a cue claims it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Paragraph

OPENERS = {"“": "”", "«": "»", "„": "“", '"': '"', "‘": "’"}
_DOUBLE_CLOSERS = {"”", "»", '"', "“"}
_WORD = re.compile(r"[\w'’-]+")


@dataclass(slots=True)
class Quote:
    """A quotation: ``start``/``end`` include the marks; ``parts`` are the inner (start, end) ranges, one per paragraph."""

    start: int
    end: int
    parts: list[tuple[int, int]]
    short: bool = False

    def inner_text(self, text: str) -> str:
        return "\n\n".join(text[s:e].strip() for s, e in self.parts)

    @property
    def inner_start(self) -> int:
        return self.parts[0][0]

    @property
    def inner_end(self) -> int:
        return self.parts[-1][1]


def _is_opening(text: str, i: int) -> bool:
    """A straight quote opens when it follows a space, the start or a bracket (even when a stray space follows
    it: `` " Putin is …"``); one that follows a letter or punctuation closes."""
    before = text[i - 1] if i > 0 else " "
    return before.isspace() or before in "([{—–-:,;"


def _scan_paragraph(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Pairs of (open, close) mark offsets in one paragraph, and the offset of a mark left open at its end."""
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    open_char = ""
    i = start
    while i < end:
        ch = text[i]
        if open_at is None:
            if ch in ("“", "«", "„") or (ch == '"' and _is_opening(text, i)):
                open_at, open_char = i, ch
            elif ch == "»" and i + 1 < end and not text[i + 1].isspace():
                open_at, open_char = i, "»"  # »German« style
        else:
            closer = OPENERS.get(open_char, "«" if open_char == "»" else "")
            if ch == closer or (ch in _DOUBLE_CLOSERS and open_char != "‘" and ch != open_char and ch != "“"):
                pairs.append((open_at, i))
                open_at = None
            elif ch == '"' and open_char == '"':
                pairs.append((open_at, i))
                open_at = None
        i += 1
    return pairs, open_at


def _single_quotes(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"(?<![\w])‘([^‘’\n]+?)’(?![\w])", text[start:end]):
        s, e = start + m.start(), start + m.end() - 1
        if len(_WORD.findall(m.group(1))) >= 3 and not any(a <= s <= b for a, b in taken):
            out.append((s, e))
    return out


def _is_short(inner: str) -> bool:
    words = _WORD.findall(inner)
    return len(words) <= 3 and not inner.rstrip().endswith((".", "!", "?", ","))


_TWO_APOSTROPHES = re.compile(r"'{2,3}")


def _apostrophe_quotes(text: str) -> str:
    """``''…''`` as ``“'…'”``: an opening pair (after a space, a bracket or a dash, before a non-space) becomes an
    opening mark on its first character, a closing pair a closing mark on its last; the length never changes."""
    if "''" not in text:
        return text
    chars = list(text)
    for m in _TWO_APOSTROPHES.finditer(text):
        a, b = m.start(), m.end()
        before = text[a - 1] if a > 0 else " "
        after = text[b] if b < len(text) else " "
        if (before.isspace() or before in "([{—–-") and not after.isspace():
            chars[a] = "“"
        elif not before.isspace():
            chars[b - 1] = "”"
    return "".join(chars)


def _without_apostrophes(text: str, part: tuple[int, int]) -> tuple[int, int]:
    s, e = part
    while s < e and text[s] == "'":
        s += 1
    while e > s and text[e - 1] == "'":
        e -= 1
    return s, e


def find_quotes(text: str, paragraphs: Sequence[Paragraph]) -> list[Quote]:
    """Every quotation in ``text``, in order, with multi-paragraph quotes joined."""
    marked = _apostrophe_quotes(text)
    quotes = _find_quotes(marked, paragraphs)
    if marked is not text:
        for q in quotes:
            q.parts = [_without_apostrophes(text, p) for p in q.parts]
    return quotes


def _find_quotes(text: str, paragraphs: Sequence[Paragraph]) -> list[Quote]:
    quotes: list[Quote] = []
    pending: Quote | None = None  # a quote open at the end of the previous paragraph
    for para in paragraphs:
        pairs, open_at = _scan_paragraph(text, para.start, para.end)
        pairs = sorted(pairs + _single_quotes(text, para.start, para.end, pairs))
        first_char = text[para.start] if para.start < para.end else ""
        continues = pending is not None and first_char in OPENERS
        if pending is not None and continues and pairs and pairs[0][0] == para.start:
            # “…(no close) ¶ “… closing” : the reopened part ends at its first close mark
            _, close = pairs.pop(0)
            pending.parts.append((para.start + 1, close))
            pending.end = close + 1
            quotes.append(pending)
            pending = None
        elif pending is not None and continues and open_at == para.start:
            pending.parts.append((para.start + 1, para.end))
            pending.end = para.end
            open_at = None
            pairs = []  # the whole paragraph is the continuation
        elif pending is not None:
            _close_pending(quotes, pending, text)
            pending = None
        for s, e in pairs:
            quotes.append(Quote(s, e + 1, [(s + 1, e)], short=_is_short(text[s + 1 : e])))
        if open_at is not None:
            pending = Quote(open_at, para.end, [(open_at + 1, para.end)])
    if pending is not None:
        _close_pending(quotes, pending, text)
    return sorted(quotes, key=lambda q: q.start)


def _close_pending(quotes: list[Quote], pending: Quote, text: str) -> None:
    """A quote still open when its run of paragraphs ends: keep it only if it ran over more than one paragraph
    (the last paragraph's close mark was simply missing); a lone stray mark is dropped."""
    at_para_start = pending.start == 0 or text[pending.start - 1] == "\n"
    after_colon = text[max(0, pending.start - 2) : pending.start].strip() == ":"
    if len(pending.parts) > 1 or at_para_start or after_colon:
        quotes.append(pending)
