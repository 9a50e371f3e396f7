"""Resolvers for time expressions: calendar arithmetic, and the choice of one instance of a recurring
period ("Thursday", "6 December", "in March", "in spring") by direction.

A resolver takes the named groups of a match and a :class:`Ctx` and returns ``(start, end, granularity)``
(inclusive dates), ``None`` when it cannot be resolved (a relative expression without an anchor), or
:data:`BLOCK` when the text is a time expression that must not be resolved and whose parts must not be
picked up either ("31 November", "05/06/2024", "December 6, 1812").

The choices for ambiguous expressions are listed in ``timex.py``'s module docstring.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Final, Literal

from dateutil.relativedelta import relativedelta

from ..records import Granularity

Direction = Literal["past", "future", "any"]
Mode = Literal["past", "future", "any", "last", "next", "this"]
Span = tuple[date, date]
Res = tuple[date, date, Granularity]
Groups = Mapping[str, str | None]
Shape = Callable[[Span, Granularity], Span]


class Blocked:
    """The outcome of a time expression that cannot be normalised and hides its parts."""

    def __repr__(self) -> str:
        return "BLOCK"


BLOCK: Final = Blocked()
Outcome = Res | Blocked | None


@dataclass(frozen=True, slots=True)
class Ctx:
    anchor: date | None
    direction: Direction
    period: Callable[[str, Ctx], Outcome] | None = None  # parses the base of "early …", "the first half of …"
    shape: Shape | None = None  # narrows each candidate instance ("late" October → 21–31 October)

    def done(self, start: date, end: date, gran: Granularity) -> Res:
        if self.shape is not None:
            start, end = self.shape((start, end), gran)
        return start, end, gran


MONTHS: Final = {name.lower(): i for i, name in enumerate(calendar.month_name) if name} | {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS: Final = {name.lower(): i for i, name in enumerate(calendar.day_name)}
NUMBERS: Final = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18, "twenty": 20, "thirty": 30,
}
UNITS: Final[dict[str, Granularity]] = {
    "day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year",
}
SEASON_START: Final = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
ORDINALS: Final = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "last": -1, "final": -1, "latter": -1,
}
REL_MODE: Final[dict[str, Mode]] = {
    "last": "last", "this past": "last", "past": "last",
    "next": "next", "this coming": "next", "coming": "next",
    "this": "this", "the current": "this",
}
RELDAY: Final = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "earlier today": 0, "later today": 0, "yesterday": -1, "last night": -1, "tomorrow": 1,
    "the day before yesterday": -2, "the day after tomorrow": 2,
}
CAL_OFFSET: Final = {"this": 0, "the current": 0, "last": -1, "this past": -1, "next": 1, "this coming": 1}
WINDOW: Final = {"the past": -1, "the last": -1, "past": -1, "the coming": 1}
# vague windows ("the coming days", "a few days ago"): days after (or before) the anchor, and a granularity
VAGUE: Final[dict[str, tuple[relativedelta, Granularity]]] = {
    "day": (relativedelta(days=7), "week"),
    "week": (relativedelta(weeks=6), "month"),
    "month": (relativedelta(months=6), "half"),
}


def norm(s: str | None) -> str:
    return " ".join((s or "").lower().split())


def first(g: Groups, *names: str) -> str | None:
    return next((v for n in names if (v := g.get(n)) is not None), None)


def year_of(s: str | None) -> int | None:
    """A plausible explicit year (1900–2100), else None."""
    if s is None or not s.isdigit():
        return None
    y = int(s)
    return y if 1900 <= y <= 2100 else None


def count(s: str | None) -> int | None:
    """How many units: None for a vague count ("a few", "several")."""
    w = norm(s)
    if w.isdigit():
        return int(w) or None
    return NUMBERS.get(w)


# ---- calendar ---------------------------------------------------------------------------------------------

def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def months_span(y: int, m: int, n: int = 1) -> Span:
    start = date(y, m, 1)
    return start, start + relativedelta(months=n) - timedelta(days=1)


def week_span(d: date) -> Span:
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


def unit_span(d: date, unit: str) -> Span:
    if unit == "day":
        return d, d
    if unit == "week":
        return week_span(d)
    if unit == "month":
        return months_span(d.year, d.month)
    if unit == "quarter":
        return months_span(d.year, 3 * ((d.month - 1) // 3) + 1, 3)
    return date(d.year, 1, 1), date(d.year, 12, 31)


def shift(d: date, n: int, unit: str) -> date:
    if unit == "quarter":
        return d + relativedelta(months=3 * n)
    return d + relativedelta(**{unit + "s": n})


def season_span(y: int, season: str) -> Span:
    """Meteorological seasons, northern hemisphere; winter *y* is December *y* to February *y+1*."""
    return months_span(y, SEASON_START[season], 3)


def _months_in(span: Span) -> int:
    s, e = span
    return (e.year - s.year) * 12 + e.month - s.month + 1


def edge_shape(edge: str) -> Shape:
    """early/mid/late (and the beginning/middle/end of) a period, as a narrowing of each instance."""
    words = norm(edge.replace("-", " "))
    part = 0 if any(w in words for w in ("early", "beginning", "start")) else 2 if (
        "late" in words or "end" in words) else 1
    outer = " of" in words or words.startswith("end")  # "the end of the year" → its last month

    def shape(span: Span, gran: Granularity) -> Span:
        s, e = span
        if gran == "week" and (e - s).days == 6:
            lo, hi = ((0, 1), (2, 3), (4, 6))[part]
            return s + timedelta(days=lo), s + timedelta(days=hi)
        if gran == "month" or _months_in(span) < 3:
            lo, hi = ((1, 10), (11, 20), (21, 31))[part]
            return date(s.year, s.month, lo), min(date(s.year, s.month, 1) + timedelta(days=hi - 1), e)
        n = _months_in(span)
        if outer and part != 1:
            m0 = s if part == 0 else date(e.year, e.month, 1)
            return months_span(m0.year, m0.month)
        size = n // 3
        m0 = s + relativedelta(months=size * part)
        return months_span(m0.year, m0.month, size if part < 2 else n - 2 * size)

    return shape


def week_of_shape(ordinal: str) -> Shape:
    """"the first/second/third/fourth/last week of <month>": days 1–7, 8–14, 15–21, 22–28, last 7."""
    k = ORDINALS[norm(ordinal)]

    def shape(span: Span, gran: Granularity) -> Span:
        s, e = span
        if k < 0:
            return e - timedelta(days=6), e
        return s + timedelta(days=7 * (k - 1)), s + timedelta(days=7 * k - 1)

    return shape


# ---- choosing one instance of a recurring period ---------------------------------------------------------

def pick(ctx: Ctx, inst: Callable[[int], Span | None], around: int, mode: Mode, gran: Granularity) -> Res | None:
    """The instance ``inst(k)`` (k near ``around``) that ``mode`` selects relative to the anchor:
    past = latest starting on or before it, future = earliest ending on or after it, last = latest ending
    before it, next = earliest starting after it, any/this = nearest (a tie goes to the past)."""
    a = ctx.anchor
    if a is None:
        return None
    spans = [s for k in range(around - 2, around + 3) if (s := inst(k)) is not None]
    if ctx.shape is not None:
        spans = [ctx.shape(s, gran) for s in spans]
    if mode == "past":
        chosen = max((s for s in spans if s[0] <= a), default=None)
    elif mode == "last":
        chosen = max((s for s in spans if s[1] < a), default=None)
    elif mode == "future":
        chosen = min((s for s in spans if s[1] >= a), default=None)
    elif mode == "next":
        chosen = min((s for s in spans if s[0] > a), default=None)
    else:
        chosen = min(spans, key=lambda s: (_distance(s, a), s[0] > a), default=None)
    return None if chosen is None else (chosen[0], chosen[1], gran)


def _distance(span: Span, a: date) -> int:
    return max((span[0] - a).days, (a - span[1]).days, 0)


def mode_for(rel: str | None, ctx: Ctx) -> Mode:
    return REL_MODE.get(norm(rel), ctx.direction) if rel else ctx.direction


def deadline(res: Res, ctx: Ctx) -> Res:
    """"by X": the window from the anchor to the end of X (X coarser than a day, not yet over)."""
    a = ctx.anchor
    if a is None or ctx.direction == "past" or res[2] == "day" or res[1] < a:
        return res
    return a, res[1], res[2]


# ---- resolvers -----------------------------------------------------------------------------------------

def r_date(g: Groups, ctx: Ctx) -> Outcome:
    m = MONTHS[norm(g["m"]).rstrip(".")]
    days = sorted(int(d.rstrip("stndrhSTNDRH")) for d in (g.get("d1"), g.get("d"), g.get("d2")) if d)
    wd = WEEKDAYS.get(norm(g.get("wd")))

    def inst(y: int) -> Span | None:
        try:
            return date(y, m, days[0]), date(y, m, days[-1])
        except ValueError:
            return None

    if g.get("y") is not None:
        y = year_of(g.get("y"))
        span = inst(y) if y is not None else None
        return BLOCK if span is None else (span[0], span[1], "day")
    if not any(inst(y) for y in (2023, 2024)):  # 31 November; 29 February exists in 2024
        return BLOCK
    if ctx.anchor is None:
        return None
    if wd is not None:
        def inst_wd(y: int) -> Span | None:
            span = inst(y)
            return span if span and span[0].weekday() == wd else None

        res = pick(ctx, inst_wd, ctx.anchor.year, ctx.direction, "day")
        if res is not None:
            return res
    return pick(ctx, inst, ctx.anchor.year, ctx.direction, "day")


def r_iso(g: Groups, ctx: Ctx) -> Outcome:
    return _ymd(year_of(g.get("y")), int(g["m"] or 0), int(g["d"] or 0))


def r_numeric(g: Groups, ctx: Ctx) -> Outcome:
    """d/m/yyyy or m/d/yyyy only when the order cannot matter (a part above 12, or both equal)."""
    a, b = int(g["a"] or 0), int(g["b"] or 0)
    if a > 12 >= b:
        return _ymd(year_of(g.get("y")), b, a)
    if b > 12 >= a or a == b:
        return _ymd(year_of(g.get("y")), a, b)
    return BLOCK


def _ymd(y: int | None, m: int, d: int) -> Outcome:
    try:
        day = date(y or 0, m, d)
    except ValueError:
        return BLOCK
    return day, day, "day"


def r_weekday(g: Groups, ctx: Ctx) -> Outcome:
    a = ctx.anchor
    if a is None:
        return None
    wd = WEEKDAYS[norm(g["wd"])]
    monday = a - timedelta(days=a.weekday())

    def inst(k: int) -> Span:
        d = monday + timedelta(days=7 * k + wd)
        return d, d

    return pick(ctx, inst, 0, mode_for(g.get("rel"), ctx), "day")


def r_relday(g: Groups, ctx: Ctx) -> Outcome:
    if ctx.anchor is None:
        return None
    d = ctx.anchor + timedelta(days=RELDAY[norm(g["w"])])
    return d, d, "day"


def r_relunit(g: Groups, ctx: Ctx) -> Outcome:
    a = ctx.anchor
    if a is None:
        return None
    unit = norm(g["u"])
    gran = UNITS[unit]
    if g.get("mod"):
        s, e = unit_span(a, unit)
        return (s, a, gran) if norm(g["mod"]) == "earlier" else (a, e, gran)
    rel = norm(g.get("rel"))
    if rel in CAL_OFFSET:
        s, e = unit_span(shift(a, CAL_OFFSET[rel], unit), unit)
        return ctx.done(s, e, gran)
    other = shift(a, WINDOW[rel], unit)
    return min(a, other), max(a, other), gran


def r_theunit(g: Groups, ctx: Ctx) -> Outcome:
    if ctx.anchor is None:
        return None
    unit = norm(g["u"])
    return ctx.done(*unit_span(ctx.anchor, unit), UNITS[unit])


def r_month(g: Groups, ctx: Ctx) -> Outcome:
    m = MONTHS[norm(g["m"]).rstrip(".")]
    if g.get("y") is not None:
        y = year_of(g.get("y"))
        return BLOCK if y is None else ctx.done(*months_span(y, m), "month")
    if ctx.anchor is None:
        return None
    return pick(ctx, lambda y: months_span(y, m), ctx.anchor.year, mode_for(g.get("rel"), ctx), "month")


def r_season(g: Groups, ctx: Ctx) -> Outcome:
    season = norm(g["s"])
    if g.get("y") is not None:
        y = year_of(g.get("y"))
        y2 = g.get("y2")
        if y is not None and y2 is not None:
            y2_full = int(y2) if len(y2) == 4 else y // 100 * 100 + int(y2)
            y = y if season == "winter" and y2_full == y + 1 else None
        return BLOCK if y is None else ctx.done(*season_span(y, season), "season")
    if ctx.anchor is None:
        return None
    mode = mode_for(g.get("rel"), ctx)
    return pick(ctx, lambda y: season_span(y, season), ctx.anchor.year, mode, "season")


def r_quarter(g: Groups, ctx: Ctx) -> Outcome:
    q = int(first(g, "q", "q2") or 1)
    ys = first(g, "y", "y2")
    if ys is not None:
        y = year_of(ys)
        return BLOCK if y is None else ctx.done(*months_span(y, 3 * q - 2, 3), "quarter")
    if ctx.anchor is None:
        return None
    return pick(ctx, lambda y: months_span(y, 3 * q - 2, 3), ctx.anchor.year, ctx.direction, "quarter")


def r_half(g: Groups, ctx: Ctx) -> Outcome:
    h = int(first(g, "h", "h2") or 1)
    y = year_of(first(g, "y", "y2"))
    return BLOCK if y is None else ctx.done(*months_span(y, 6 * h - 5, 6), "half")


def r_part(g: Groups, ctx: Ctx) -> Outcome:
    """"the second half of 2025", "the first quarter of next year", "the third quarter"."""
    kind = norm(g["kind"])
    k = ORDINALS[norm(g["ord"])]
    gran: Granularity = "half" if kind == "half" else "quarter"
    n = 6 if kind == "half" else 3
    k = (12 // n) if k < 0 else k
    if k > 12 // n:
        return None
    base = g.get("base")
    if base is None:
        if kind == "half" or norm(g["ord"]) in {"last", "final", "latter"} or ctx.anchor is None:
            return None
        return pick(ctx, lambda y: months_span(y, n * (k - 1) + 1, n), ctx.anchor.year, ctx.direction, gran)
    year = ctx.period(base, replace(ctx, shape=None)) if ctx.period else None
    if not isinstance(year, tuple) or year[2] != "year":
        return year if isinstance(year, Blocked) else None
    return ctx.done(*months_span(year[0].year, n * (k - 1) + 1, n), gran)


def r_edge(g: Groups, ctx: Ctx) -> Outcome:
    if ctx.period is None:
        return None
    return ctx.period(g["base"] or "", replace(ctx, shape=edge_shape(g["edge"] or "")))


def r_week_of(g: Groups, ctx: Ctx) -> Outcome:
    if ctx.period is None:
        return None
    res = ctx.period(g["base"] or "", replace(ctx, shape=week_of_shape(g["ord"] or "")))
    return (res[0], res[1], "week") if isinstance(res, tuple) else res


def r_ago(g: Groups, ctx: Ctx) -> Outcome:
    a = ctx.anchor
    if a is None:
        return None
    unit, n = norm(g["u"]), count(g["n"])
    if n is None:
        return (a - timedelta(days=7), a - timedelta(days=1), "week") if unit == "day" else None
    s, e = unit_span(shift(a, -n, unit), unit)
    return s, e, UNITS[unit]


def r_within(g: Groups, ctx: Ctx) -> Outcome:
    a = ctx.anchor
    if a is None or ctx.direction == "past":  # "captured the city in two weeks": a duration, not a date
        return None
    unit, n = norm(g["u"]), count(g["n"])
    if n is None:
        return _vague(a, unit, 1)
    return a, shift(a, n, unit), UNITS[unit]


def r_coming(g: Groups, ctx: Ctx) -> Outcome:
    return None if ctx.anchor is None else _vague(ctx.anchor, norm(first(g, "u", "u2")), 1)


def r_past_window(g: Groups, ctx: Ctx) -> Outcome:
    a = ctx.anchor
    if a is None:
        return None
    unit, n = norm(g["u"]), count(g["n"])
    if n is None:
        return _vague(a, unit, -1)
    return shift(a, -n, unit), a, UNITS[unit]


def _vague(a: date, unit: str, sign: int) -> Res | None:
    if unit not in VAGUE:
        return None
    delta, gran = VAGUE[unit]
    return (a, a + delta, gran) if sign > 0 else (a - delta, a, gran)


def r_weekend(g: Groups, ctx: Ctx) -> Outcome:
    a = ctx.anchor
    if a is None:
        return None
    saturday = a - timedelta(days=a.weekday()) + timedelta(days=5)
    rel = norm(g.get("rel"))
    if rel == "this":
        return saturday, saturday + timedelta(days=1), "week"

    def inst(k: int) -> Span:
        d = saturday + timedelta(days=7 * k)
        return d, d + timedelta(days=1)

    return pick(ctx, inst, 0, mode_for(None if rel == "the" else rel, ctx), "week")


def r_year(g: Groups, ctx: Ctx) -> Outcome:
    y = year_of(g.get("y"))
    return BLOCK if y is None else ctx.done(date(y, 1, 1), date(y, 12, 31), "year")
