"""TempEval-3 Task A (time expressions) scores for ``onrecord.extract.timex.find_times``.

The gold standard is the TempEval-3 "platinum" test set (UzZaman et al. 2013; 20 TimeML ``.tml`` news
articles, 138 TIMEX3 in their ``<TEXT>``), kept outside the package under
``../shared/eval/temporal_normalization/te3_platinum`` (see its SOURCE.md: research use only, never shipped).

Each document's ``<TEXT>`` is reduced to plain text (tags stripped, entities decoded, character offsets of
the gold TIMEX3 kept); ``find_times(text, anchor=DCT, direction="any")`` runs on that text, the DCT being
the TIMEX3 with ``functionInDocument="CREATION_TIME"``.

Scores (as in TempEval-3, on character spans instead of tokens):

* **strict**: a gold TIMEX3 and a prediction with exactly the same span; **relaxed**: overlapping spans.
  Gold and predictions are paired one-to-one (exact spans first, then the largest overlap), so precision
  (pairs / predictions) and recall (pairs / gold) share one numerator. The official scorer works on tokens
  and may count a prediction that overlaps two gold TIMEX3 ("2009-2010") twice; we count it once.
* **value**: TE3's value F1: a relaxed pair counts only when our TimeRef converts (``timex_value``) to the
  gold ``value`` string exactly; P = correct / predictions, R = correct / gold.

Primary figures are for gold TIMEX3 of type DATE, the only type the normaliser targets. Predictions carry
no type, so for those figures a prediction that overlaps only non-DATE gold (a TIME "Friday afternoon", a
DURATION "the past two years") is set aside, neither right nor wrong; ``counts["set_aside"]`` says how
many. ``"all"`` scores every type against every prediction; ``by_type`` gives recall per gold type.

Value conversion (``timex_value``): the TimeRef's window must lie inside one calendar unit of its
granularity, which gives the value: day "YYYY-MM-DD", week "YYYY-Www" (ISO week and ISO year), month
"YYYY-MM", season "YYYY-SP|SU|FA|WI" (meteorological, as timex.py; winter Dec–Feb takes the year of its
December), quarter "YYYY-Qn", half "YYYY-Hn", year "YYYY". A part of one unit ("early August", "the end of
the year", "earlier this week") takes the unit's value, as TimeML writes such parts as that value plus a
``mod`` attribute (START/MID/END), which TE3's value score does not compare. A window that crosses a unit
boundary ("by 2030" read from 2013 → 2013-03-22…2030-12-31, "in two weeks", "the coming months", a day
range "22-23 March") has no single TIMEX3 value: ``None``, always counted wrong. So are TIMEX3 values we
never produce (durations "P2Y", times "2013-03-22TAF", "PRESENT_REF", a winter with no year). A rolling window that
happens to fall inside one unit ("a few days ago" read on a Monday is exactly last week) gets that unit's
value; this is rare and can only turn a wrong value right by coincidence of the calendar.
"""

from __future__ import annotations

import calendar
import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..errors import OnrecordError
from ..extract.timex import find_times
from ..records import Granularity, TimeRef

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


# ---- TimeRef → TIMEX3 value ----------------------------------------------------------------------------

_SEASONS = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}


def _unit(granularity: Granularity, d: date) -> tuple[str, date, date]:
    """The TIMEX3 value of the ``granularity`` unit containing ``d``, with that unit's first and last day."""
    y, m = d.year, d.month
    if granularity == "day":
        return d.isoformat(), d, d
    if granularity == "week":
        iso = d.isocalendar()
        monday = d - timedelta(days=d.weekday())
        return f"{iso.year}-W{iso.week:02d}", monday, monday + timedelta(days=6)
    if granularity == "year":
        return f"{y}", date(y, 1, 1), date(y, 12, 31)
    size = {"month": 1, "season": 3, "quarter": 3, "half": 6}[granularity]
    offset = 2 if granularity == "season" else 0  # seasons start in March (month index 2), June, Sep., Dec.
    index = (m - 1 - offset) % 12 // size  # 0-based unit within the (season-)year
    first_month = index * size + offset + 1
    y0 = y - 1 if first_month > m else y  # a winter seen from January or February
    y1, m1 = (y0 + 1, first_month + size - 13) if first_month + size - 1 > 12 else (y0, first_month + size - 1)
    start, end = date(y0, first_month, 1), date(y1, m1, calendar.monthrange(y1, m1)[1])
    label = {"month": f"{first_month:02d}", "season": _SEASONS.get(first_month, ""),
             "quarter": f"Q{index + 1}", "half": f"H{index + 1}"}[granularity]
    return f"{y0}-{label}", start, end


def timex_value(ref: TimeRef) -> str | None:
    """The TIMEX3 value of ``ref``'s window, or None when the window is not inside one unit of its
    granularity (see the module docstring)."""
    value, _, last = _unit(ref.granularity, ref.start)
    return value if ref.end <= last else None


# ---- scoring -------------------------------------------------------------------------------------------

Span = tuple[int, int]

def _pair(gold: list[Timex], pred: list[tuple[int, int, TimeRef]]) -> list[tuple[Timex, TimeRef, bool]]:
    """One-to-one pairs (gold, prediction, exact span?): exact spans first, then the largest overlap."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, (s, e, _) in enumerate(pred):
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
            pairs.append((gold[gi], pred[pi][2], exact))
    return pairs


def _overlaps(span: Span, timexes: Iterable[Timex]) -> bool:
    return any(span[0] < t.end and t.start < span[1] for t in timexes)


def _prf(correct: int, predicted: int, gold: int) -> dict[str, float]:
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


class _Tally:
    """Counts for one scope (a set of gold types), summed over documents."""

    def __init__(self, types: tuple[str, ...]) -> None:
        self.types = types
        self.n = {"gold": 0, "predicted": 0, "set_aside": 0, "strict": 0, "relaxed": 0, "value": 0, "unmapped": 0}

    def add(self, doc: TmlDocument, pred: list[tuple[int, int, TimeRef]]) -> None:
        gold = [t for t in doc.timexes if t.type in self.types]
        others = [t for t in doc.timexes if t.type not in self.types]
        kept = [p for p in pred if _overlaps(p[:2], gold) or not _overlaps(p[:2], others)]
        pairs = _pair(gold, kept)
        values = [timex_value(ref) for _, ref, _ in pairs]
        self.n["gold"] += len(gold)
        self.n["predicted"] += len(kept)
        self.n["set_aside"] += len(pred) - len(kept)
        self.n["strict"] += sum(exact for *_, exact in pairs)
        self.n["relaxed"] += len(pairs)
        self.n["value"] += sum(v == g.value for v, (g, _, _) in zip(values, pairs, strict=True))
        self.n["unmapped"] += sum(v is None for v in values)

    def scores(self) -> dict[str, Any]:
        n = self.n
        out: dict[str, Any] = {k: _prf(n[k], n["predicted"], n["gold"]) for k in ("strict", "relaxed", "value")}
        return out | {"counts": dict(n)}

    def recall(self) -> dict[str, float | int]:
        gold = self.n["gold"]
        return {"gold": gold} | {f"{k}_r": self.n[k] / gold if gold else 0.0 for k in ("strict", "relaxed", "value")}


def evaluate(path: str | Path | None = None, split: str = "all", limit: int | None = None) -> dict[str, Any]:
    """Score ``find_times`` on the ``.tml`` files in ``path`` (default: the TE3 platinum set under
    ``../shared/eval``), the first ``limit`` of them in name order. DATE figures are primary (top level);
    every type together is under ``"all"``; recall per gold type under ``"by_type"``. A document that cannot
    be parsed is counted under ``"failed"`` and skipped. Raises OnrecordError when ``path`` is missing."""
    folder = Path(path) if path is not None else DEFAULT_PATH
    if not folder.is_dir():
        raise OnrecordError(f"TempEval-3 data not found at {folder}; pass the folder of .tml files as path")
    files = sorted(folder.glob("*.tml"))[:limit]
    primary, every = _Tally((PRIMARY,)), _Tally(TYPES)
    per_type = {t: _Tally((t,)) for t in TYPES}
    documents, failed = 0, []
    for file in files:
        try:
            doc = parse_tml(file.read_bytes(), file.name)
        except (OSError, ValueError) as exc:
            failed.append(file.name)
            logger.warning("skipped %s: %s", file.name, exc)
            continue
        pred = find_times(doc.text, doc.dct, "any")
        for tally in (primary, every, *per_type.values()):
            tally.add(doc, pred)
        documents += 1
    return primary.scores() | {
        "primary": PRIMARY,
        "documents": documents,
        "failed": failed,
        "all": every.scores(),
        "by_type": {t: tally.recall() for t, tally in per_type.items()},
    }
