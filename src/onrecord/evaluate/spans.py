"""Span-level precision, recall and F1 for attribution parts (cue, source, content), shared by the evaluators.

A span is a ``Span`` of one or more character ``(start, end)`` pieces into a text (brat's discontinuous spans
``start end;start end`` have several pieces). Spans are compared after normalisation:

* **Normalisation.** Each piece is trimmed, at both ends, of whitespace (``str.isspace``) and of punctuation:
  every character of a Unicode ``P*`` category (quote marks “ ” ‘ ’ " ' « », apostrophes, periods, commas,
  colons, semicolons, ! ?, dashes and hyphens, brackets, ellipsis …) plus the backtick. Pieces left empty are
  dropped; a span all of whose pieces would be empty keeps its raw pieces. Both predicted and gold spans are
  normalised the same way, with the same text, and identical normalised spans are counted once per side.
* **Exact match.** The normalised *covering* spans (first piece's start to last piece's end) are equal; when
  *both* spans are discontinuous their normalised pieces must be equal too. A contiguous prediction therefore
  matches a discontinuous gold span exactly when it runs from the gold's first kept character to its last.
* **Overlap match.** Some normalised piece of one shares at least one character with some normalised piece of
  the other.
* **Scores.** precision = predicted spans matching some gold span / predicted spans; recall = gold spans
  matched by some predicted span / gold spans (no one-to-one alignment, as in BBC citron's exact metrics);
  F1 is their harmonic mean. By convention precision is 0 when nothing was predicted, recall is 0 when there
  is no gold span, and F1 is 0 when precision + recall is 0 (citron's ``get_exact_scores``).

Differences from citron's ``metrics.py``, on purpose: citron compares spaCy *token* offsets (so it never needs
to trim punctuation); its source/content exact match also requires the predicted cue to overlap the gold cue;
and its "overlap" figures are token-proportional (overlapping tokens / predicted or gold tokens), whereas here
overlap is a per-span hit (≥ 1 shared character), scored with precision and recall the right way round
(citron's all-quote-span overlap figure passes the gold and predicted lengths swapped).

Counts are floats so that a document scored against k annotators can contribute each pass with weight 1/k.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, fields

Piece = tuple[int, int]
Scores = dict[str, float]


@dataclass(frozen=True, slots=True)
class Span:
    """One span of character pieces, sorted; ``start``/``end`` are those of the covering span."""

    pieces: tuple[Piece, ...]

    @classmethod
    def of(cls, *pieces: Piece) -> Span:
        if not pieces or any(s > e for s, e in pieces):
            raise ValueError(f"invalid span pieces {pieces!r}")
        return cls(tuple(sorted(pieces)))

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]

    @property
    def is_discontinuous(self) -> bool:
        return len(self.pieces) > 1


def _trimmable(ch: str) -> bool:
    return ch.isspace() or ch == "`" or unicodedata.category(ch).startswith("P")


def _trim(text: str, piece: Piece) -> Piece:
    start, end = piece
    while start < end and _trimmable(text[start]):
        start += 1
    while end > start and _trimmable(text[end - 1]):
        end -= 1
    return start, end


def normalise(text: str, span: Span) -> Span:
    """The span with whitespace and punctuation trimmed from each piece (see the module docstring)."""
    kept = [p for p in (_trim(text, piece) for piece in span.pieces) if p[1] > p[0]]
    return Span(tuple(kept)) if kept else span


def exact_match(a: Span, b: Span) -> bool:
    """Equal covering spans, and equal pieces when both are discontinuous; call on normalised spans."""
    if (a.start, a.end) != (b.start, b.end):
        return False
    return a.pieces == b.pieces if a.is_discontinuous and b.is_discontinuous else True


def overlaps(a: Span, b: Span) -> bool:
    """At least one character in common between some piece of ``a`` and some piece of ``b``."""
    return any(s1 < e2 and s2 < e1 for s1, e1 in a.pieces for s2, e2 in b.pieces)


def prf(matched_predicted: float, predicted: float, matched_gold: float, gold: float) -> Scores:
    """Precision, recall, F1 with the zero conventions of the module docstring."""
    p = matched_predicted / predicted if predicted > 0 else 0.0
    r = matched_gold / gold if gold > 0 else 0.0
    f1 = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return {"p": p, "r": r, "f1": f1}


@dataclass(slots=True)
class SpanCounts:
    """Counts for one part (cue, source or content) summed over documents."""

    predicted: float = 0.0
    gold: float = 0.0
    exact_predicted: float = 0.0  # predicted spans exactly matching some gold span
    exact_gold: float = 0.0  # gold spans exactly matched by some predicted span
    overlap_predicted: float = 0.0
    overlap_gold: float = 0.0

    def add(self, other: SpanCounts, weight: float = 1.0) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + weight * getattr(other, f.name))

    def scores(self) -> dict[str, Scores]:
        return {
            "exact": prf(self.exact_predicted, self.predicted, self.exact_gold, self.gold),
            "overlap": prf(self.overlap_predicted, self.predicted, self.overlap_gold, self.gold),
        }


def count_spans(text: str, predicted: Iterable[Span], gold: Iterable[Span]) -> SpanCounts:
    """Match predicted against gold spans of one document (both normalised against ``text``)."""
    pred = list(dict.fromkeys(normalise(text, s) for s in predicted))
    ref = list(dict.fromkeys(normalise(text, s) for s in gold))
    return SpanCounts(
        predicted=len(pred),
        gold=len(ref),
        exact_predicted=sum(any(exact_match(p, g) for g in ref) for p in pred),
        exact_gold=sum(any(exact_match(p, g) for p in pred) for g in ref),
        overlap_predicted=sum(any(overlaps(p, g) for g in ref) for p in pred),
        overlap_gold=sum(any(overlaps(p, g) for p in pred) for g in ref),
    )


__all__ = ["Piece", "Span", "SpanCounts", "count_spans", "exact_match", "normalise", "overlaps", "prf"]
