"""TempEval-3 Task A (time expressions) scores for ``onrecord.extract.timex3.annotate``.

The gold standard is the TempEval-3 "platinum" test set (UzZaman et al. 2013; 20 TimeML ``.tml`` news
articles, 138 TIMEX3 in their ``<TEXT>``), kept outside the package under
``../shared/eval/temporal_normalization/te3_platinum`` (see its SOURCE.md: research use only, never shipped).

Each document's ``<TEXT>`` is reduced to plain text (tags stripped, entities decoded, character offsets of
the gold TIMEX3 kept); ``annotate(text, anchor=DCT)`` runs on that text, the DCT being the TIMEX3 with
``functionInDocument="CREATION_TIME"``. It gives every TIMEX3 with its type (DATE, TIME, DURATION, SET) and value.

Scores (as in TempEval-3, on character spans instead of tokens):

* **strict**: a gold TIMEX3 and a prediction with exactly the same span; **relaxed**: overlapping spans.
  Gold and predictions are paired one-to-one (exact spans first, then the largest overlap), so precision
  (pairs / predictions) and recall (pairs / gold) share one numerator. The official scorer works on tokens
  and may count a prediction that overlaps two gold TIMEX3 ("2009-2010") twice; we count it once.
* **value**: TE3's value F1: a relaxed pair counts only when the predicted value equals the gold ``value``
  string; P = correct / predictions, R = correct / gold. ``type_accuracy``: relaxed pairs with the gold type.

The top level scores every type together, as TempEval-3 ranked systems; ``"date"`` scores gold DATE against
predictions typed DATE (what ``said_on`` and expectation deadlines use); ``by_type`` gives recall per gold type.
A part of one unit ("early August", "the end of the year") takes the unit's value, as TimeML writes such parts
as that value plus a ``mod`` attribute (START/MID/END), which TE3's value score does not compare.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import OnrecordError
from ..extract.timex3 import Timex3, annotate, timex_value

__all__ = ["DEFAULT_PATH", "Timex", "TmlDocument", "evaluate", "parse_tml", "timex_value"]

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parents[3].parent / "shared/eval/temporal_normalization/te3_platinum"
TYPES = ("DATE", "TIME", "DURATION", "SET")
PRIMARY = "DATE"


@dataclass(frozen=True, slots=True)
class Timex:
    """A gold TIMEX3: ``text[start:end]`` of its document's plain text."""

    start: int
    end: int
    type: str
    value: str
    text: str


@dataclass(frozen=True, slots=True)
class TmlDocument:
    name: str
    dct: date | None
    text: str
    timexes: tuple[Timex, ...]


# ---- TimeML -------------------------------------------------------------------------------------------


def parse_tml(xml: str | bytes, name: str = "") -> TmlDocument:
    """The plain text of ``<TEXT>``, its TIMEX3 with plain-text offsets, and the DCT (None when absent or not
    a day). Raises ``ValueError`` for malformed XML or a missing ``<TEXT>``."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:  # a SyntaxError, not a ValueError
        raise ValueError(f"{name or 'document'}: not well-formed XML ({exc})") from exc
    body = root.find(".//TEXT")
    if body is None:
        raise ValueError(f"{name or 'document'}: no <TEXT> element")
    parts: list[str] = []
    timexes: list[Timex] = []
    _walk(body, parts, timexes)
    return TmlDocument(name, _dct(root), "".join(parts), tuple(timexes))


def _walk(el: ET.Element, parts: list[str], timexes: list[Timex]) -> None:
    """Append ``el``'s text (children included, its own tail excluded) to ``parts``, recording TIMEX3."""
    parts.append(el.text or "")
    for child in el:
        start = sum(map(len, parts))
        _walk(child, parts, timexes)
        if child.tag == "TIMEX3" and child.get("functionInDocument") != "CREATION_TIME":
            end = sum(map(len, parts))
            text = "".join(parts)[start:end]
            timexes.append(Timex(start, end, child.get("type", ""), child.get("value", ""), text))
        parts.append(child.tail or "")


def _dct(root: ET.Element) -> date | None:
    for el in root.iter("TIMEX3"):
        if el.get("functionInDocument") == "CREATION_TIME":
            try:
                return date.fromisoformat(el.get("value", "")[:10])
            except ValueError:
                return None
    return None


# ---- scoring -------------------------------------------------------------------------------------------

Span = tuple[int, int]

def _pair(gold: list[Timex], pred: list[Timex3]) -> list[tuple[Timex, Timex3, bool]]:
    """One-to-one pairs (gold, prediction, exact span?): exact spans first, then the largest overlap."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            s, e = p.start, p.end
            overlap = min(g.end, e) - max(g.start, s)
            if overlap > 0:
                exact = (g.start, g.end) == (s, e)
                candidates.append((not exact, -overlap, g.start, gi, pi, exact))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for *_, gi, pi, exact in sorted(candidates):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gold[gi], pred[pi], exact))
    return pairs


def _overlaps(span: Span, timexes: Iterable[Timex]) -> bool:
    return any(span[0] < t.end and t.start < span[1] for t in timexes)


def _prf(correct: int, predicted: int, gold: int) -> dict[str, float]:
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


class _Tally:
    """Counts for one scope (a set of gold types and the predictions typed alike), summed over documents."""

    def __init__(self, types: tuple[str, ...]) -> None:
        self.types = types
        self.n = {"gold": 0, "predicted": 0, "strict": 0, "relaxed": 0, "value": 0, "type": 0}

    def add(self, doc: TmlDocument, pred: list[Timex3]) -> None:
        gold = [t for t in doc.timexes if t.type in self.types]
        kept = [p for p in pred if p.type in self.types]
        pairs = _pair(gold, kept)
        self.n["gold"] += len(gold)
        self.n["predicted"] += len(kept)
        self.n["strict"] += sum(exact for *_, exact in pairs)
        self.n["relaxed"] += len(pairs)
        self.n["value"] += sum(p.value == g.value for g, p, _ in pairs)
        self.n["type"] += sum(p.type == g.type for g, p, _ in pairs)

    def scores(self) -> dict[str, Any]:
        n = self.n
        out: dict[str, Any] = {k: _prf(n[k], n["predicted"], n["gold"]) for k in ("strict", "relaxed", "value")}
        out["type_accuracy"] = n["type"] / n["relaxed"] if n["relaxed"] else 0.0
        return out | {"counts": dict(n)}

    def recall(self) -> dict[str, float | int]:
        gold = self.n["gold"]
        return {"gold": gold} | {f"{k}_r": self.n[k] / gold if gold else 0.0 for k in ("strict", "relaxed", "value")}


def evaluate(path: str | Path | None = None, split: str = "all", limit: int | None = None) -> dict[str, Any]:
    """Score ``timex3.annotate`` on the ``.tml`` files in ``path`` (default: the TE3 platinum set under
    ``../shared/eval``), the first ``limit`` of them in name order. Top level: every TIMEX3 type together (as
    TempEval-3 ranks systems); ``"date"``: gold DATE against predictions typed DATE; ``by_type``: per gold type.
    A document that cannot be parsed is counted under ``"failed"`` and skipped. Raises OnrecordError when
    ``path`` is missing."""
    folder = Path(path) if path is not None else DEFAULT_PATH
    if not folder.is_dir():
        raise OnrecordError(f"TempEval-3 data not found at {folder}; pass the folder of .tml files as path")
    files = sorted(folder.glob("*.tml"))[:limit]
    every, dates = _Tally(TYPES), _Tally((PRIMARY,))
    per_type = {t: _Tally((t,)) for t in TYPES}
    documents, failed = 0, []
    for file in files:
        try:
            doc = parse_tml(file.read_bytes(), file.name)
        except (OSError, ValueError) as exc:
            failed.append(file.name)
            logger.warning("skipped %s: %s", file.name, exc)
            continue
        pred = annotate(doc.text, doc.dct)
        for tally in (every, dates, *per_type.values()):
            tally.add(doc, pred)
        documents += 1
    return every.scores() | {
        "documents": documents,
        "failed": failed,
        "date": dates.scores(),
        "by_type": {t: tally.recall() for t, tally in per_type.items()},
    }
