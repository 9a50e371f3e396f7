"""The article text cut into paragraphs of flat segments, each segment marked with the statements whose span
covers it — what the article page turns into ``<mark>`` elements.

Spans come from the ledger's stored offsets (statement span, and its content, cue and speaker sub-spans). Spans
may overlap or nest; cutting the text at every boundary gives flat segments, so the HTML never needs
overlapping elements: each segment is one ``<mark>`` listing every statement that covers it. Segments hold plain
text; the template escapes it (autoescape), so the article's own markup never becomes HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Number of speaker colours in static/css/pages.css (classes sp-0 … sp-7); more speakers reuse them in turn.
PALETTE = 8
UNKNOWN = "sp-x"
PARTS = ("content", "cue", "speaker")


@dataclass(slots=True)
class Segment:
    """``text[start:end]`` and what covers it: statement ids (innermost first), the speaker colour class of the
    innermost statement, and which parts (content, cue, speaker) of a covering statement it lies in."""

    start: int
    end: int
    text: str
    ids: list[str] = field(default_factory=list)
    colour: str | None = None
    parts: list[str] = field(default_factory=list)

    @property
    def css(self) -> str:
        """The CSS classes of its ``<mark>``."""
        names = ["st", self.colour or UNKNOWN, *(f"is-{p}" for p in self.parts)]
        if len(self.ids) > 1:
            names.append("overlap")
        return " ".join(names)


def speaker_colours(statements: Iterable[dict[str, Any]]) -> dict[str, str]:
    """A colour class per speaker name, in order of first statement; statements without a name get none (grey)."""
    colours: dict[str, str] = {}
    for record in statements:
        name = record["speaker"]["name"]
        if name and name not in colours:
            colours[name] = f"sp-{len(colours) % PALETTE}"
    return colours


def paragraphs(text: str, blocks: Sequence[dict[str, Any]], statements: Sequence[dict[str, Any]],
               offsets: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The text as paragraphs (``{"section", "kind", "segments"}``) in text order.

    ``blocks`` are the stored paragraphs (start, end, section, kind); text outside every block that is not
    blank becomes a block of its own, so nothing of the text is hidden. ``offsets`` are
    ``pages_web.statement_offsets`` of the same article.
    """
    colours = speaker_colours(statements)
    spans = _spans(statements, offsets, colours, len(text))
    cuts = sorted({0, len(text), *(x for sp in spans for x in sp["cuts"])})
    return [{"section": b["section"], "kind": b["kind"], "segments": _segments(text, b["start"], b["end"], cuts, spans)}
            for b in _cover(text, blocks)]


def _spans(statements: Sequence[dict[str, Any]], offsets: dict[str, dict[str, Any]], colours: dict[str, str],
           size: int) -> list[dict[str, Any]]:
    """One entry per statement with a valid span: its range, colour, part ranges and every boundary."""
    spans = []
    for record in statements:
        found = offsets.get(record["id"])
        start, end = record["span"]
        if not 0 <= start < end <= size:
            continue
        parts = {p: found[p] for p in PARTS if found and found.get(p) and 0 <= found[p][0] < found[p][1] <= size}
        cuts = {start, end, *(x for rng in parts.values() for x in rng)}
        spans.append({"id": record["id"], "start": start, "end": end, "parts": parts, "cuts": cuts,
                      "colour": colours.get(record["speaker"]["name"] or "", UNKNOWN)})
    spans.sort(key=lambda sp: (sp["end"] - sp["start"], sp["start"]))
    return spans


def _cover(text: str, blocks: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored blocks plus a block for every non-blank gap between them, in text order."""
    ordered = sorted((b for b in blocks if 0 <= b["start"] < b["end"] <= len(text)), key=lambda b: b["start"])
    result: list[dict[str, Any]] = []
    position = 0
    for block in ordered:
        if block["start"] < position:
            continue
        if text[position:block["start"]].strip():
            result.append({"start": position, "end": block["start"], "section": "body", "kind": "body"})
        result.append(block)
        position = block["end"]
    if text[position:].strip():
        result.append({"start": position, "end": len(text), "section": "body", "kind": "body"})
    return result


def _segments(text: str, start: int, end: int, cuts: list[int], spans: list[dict[str, Any]]) -> list[Segment]:
    """The segments of ``text[start:end]`` between consecutive cuts, neighbours with equal marks merged."""
    points = [start, *(c for c in cuts if start < c < end), end]
    result: list[Segment] = []
    for left, right in zip(points, points[1:], strict=False):
        segment = _mark(Segment(left, right, text[left:right]), spans)
        previous = result[-1] if result else None
        if previous and (previous.ids, previous.colour, previous.parts) == (segment.ids, segment.colour, segment.parts):
            previous.end, previous.text = right, previous.text + segment.text
        else:
            result.append(segment)
    return result


def _mark(segment: Segment, spans: list[dict[str, Any]]) -> Segment:
    """Fill in the statements covering ``segment`` (spans are sorted innermost first)."""
    for sp in spans:
        if sp["start"] <= segment.start and segment.end <= sp["end"]:
            segment.ids.append(sp["id"])
            segment.colour = segment.colour or sp["colour"]
            for part, (lo, hi) in sp["parts"].items():
                if lo <= segment.start and segment.end <= hi and part not in segment.parts:
                    segment.parts.append(part)
    return segment
