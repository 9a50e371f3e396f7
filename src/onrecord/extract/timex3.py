"""TimeML TIMEX3 annotation: the type (DATE, TIME, DURATION, SET) and value of every time expression.

``find_times`` (timex.py) gives calendar *windows*, which is what ``said_on`` and expectation deadlines need. An
analyst reading "for the past two years" or "every morning" also needs to know that this is a length of time or a
recurrence, not a date; and the TempEval-3 evaluation scores TIMEX3 types and values. This module adds, over the
windows of ``find_times``:

* DATE values from windows that lie inside one calendar unit (``timex_value``: "2013-03-22", "2013-W11",
  "2013-08", "2013-SP", "2013-Q1", "2013-H2", "2013"); a deadline or a count-from-now ("by 2030", "in five
  years") is split into what it is made of: "by 2030" → DATE "2030" over "2030"; "in five years" → DURATION
  "P5Y" over "five years" (TimeML annotates the measure; the preposition is a signal).
* DURATION: counted units ("90 days" P90D, "a month" P1M, "an hour" PT1H, "a decade" P10Y, "the past two years"
  P2Y, "three-month" P3M); vague counts use X ("several days" PXD, "recent weeks" PXW, "the next few months" PXM).
* TIME: clock times ("8 PM", "15:00 GMT") and parts of a day with a known date ("Friday afternoon" →
  "2013-03-22TAF", "last night" → "…TNI"); a clock time takes the day of a date right after it, else the
  anchor's day.
* SET: "every morning" (XXXX-XX-XXTMO), "every week"/"weekly" (P1W), "daily" (P1D), "annually" (P1Y).
* Reference words: "now", "currently", "at present" → PRESENT_REF; "the past" (not followed by a unit),
  "at the time", "formerly" → PAST_REF; "the future" → FUTURE_REF.
* Centuries and decades: "20th century" → "19", "1990s" → "199" (the article is not part of the TIMEX3).

Values follow the TimeML / TIMEX3 guidelines (ISO-TimeML). Expressions overlap-resolved: the longest wins.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..records import Granularity, TimeRef
from .timex import find_times
from .timex_resolve import NUMBERS, Direction

__all__ = ["Timex3", "annotate", "timex_value"]


@dataclass(frozen=True, slots=True)
class Timex3:
    """One TIMEX3: ``text[start:end]`` is the expression, ``type`` one of DATE, TIME, DURATION, SET."""

    start: int
    end: int
    type: str
    value: str


# ---- TimeRef window → TIMEX3 DATE value -------------------------------------------------------------------

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
    """The TIMEX3 value of ``ref``'s window, or None when the window is not inside one unit of its granularity."""
    value, _, last = _unit(ref.granularity, ref.start)
    return value if ref.end <= last else None


# ---- patterns -----------------------------------------------------------------------------------------------

_NUMBER_WORDS = "|".join(sorted(NUMBERS, key=len, reverse=True))
_COUNT = rf"(?P<n>[0-9]{{1,3}}(?:,[0-9]{{3}})?|{_NUMBER_WORDS}|an?|several|a few|few|many|a couple of|some|recent)"
_UNITS = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M", "year": "Y",
          "decade": "DE", "century": "CE"}
_TIME_UNITS = {"second", "minute", "hour"}
_UNIT_WORD = r"(?P<u>second|minute|hour|day|week|month|year|decade|centur(?:y|ie))s?"
_LEAD = r"(?:(?:the (?:past|last|next|previous|following|first|final) |(?:about|almost|nearly|more than|over|some|a mere|just|only|at least|roughly|around) ))?"
P_DURATION = re.compile(rf"\b{_LEAD}{_COUNT}[ -]{_UNIT_WORD}(?:['’]s?)?(?![\w-])(?! ago| old)",
                        re.IGNORECASE)
P_BARE_UNITS = re.compile(r"\b(?:for|take|takes|took|taking|last|lasted|lasting) (?P<u>minute|hour|day|week|month|year|decade)s\b"
                          r"|\b(?P<u2>minute|hour|day|week|month|year)s (?:before|after|earlier|later)\b", re.IGNORECASE)
P_STOPWATCH = re.compile(r"(?<![\d:])(?P<h>[0-9]{1,2}):(?P<m>[0-5][0-9]):(?P<s>[0-5][0-9])(?![\d:])")
P_FISCAL = re.compile(r"\b(?P<rel>this|last|next) fiscal year\b", re.IGNORECASE)
P_UNIT_PAST = re.compile(r"\bthe (?:past|last|next|previous|following) (?P<u>decade|century)\b", re.IGNORECASE)
P_CLOCK = re.compile(r"\b(?P<h>[01]?[0-9]|2[0-3])(?::(?P<m>[0-5][0-9]))?\s?(?P<ampm>[ap]\.?m\.?)(?!\w)"
                     r"|\b(?P<h24>[01][0-9]|2[0-3]):(?P<m24>[0-5][0-9])(?: ?(?:GMT|UTC|BST|CET|EST|EDT|PST|PDT|ET))?(?!\w)",
                     re.IGNORECASE)
P_DAY_PART = re.compile(r"(?P<part>morning|afternoon|evening|night)$", re.IGNORECASE)
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
P_SET = re.compile(r"\b(?:every|each) (?P<u>morning|afternoon|evening|night|day|week|month|year|weekend)\b"
                   r"|\b(?P<adv>daily|weekly|monthly|annually|yearly)\b(?! \w+ (?:of|for)\b)", re.IGNORECASE)
P_REF = re.compile(r"\b(?P<present>now|currently|nowadays|at present|presently|at the moment)\b"
                   r"|\b(?P<past>the past|at the time|formerly)\b(?! (?:[0-9]+|few|several|two|three|week|month|year|decade|day|century|weekend)\b)"
                   r"|\b(?P<future>the future)\b", re.IGNORECASE)
P_CENTURY = re.compile(r"\b(?P<n>[0-9]{1,2})(?:st|nd|rd|th)[ -][Cc]entury\b")
P_DECADE = re.compile(r"\b(?P<y>1[89][0-9]0|20[0-9]0)['’]?s\b")
_LEADING = re.compile(r"^(?:by|in|within|over|during|for|no later than|not later than)\s+", re.IGNORECASE)
_SET_VALUES = {"day": "P1D", "daily": "P1D", "week": "P1W", "weekly": "P1W", "weekend": "P1WE", "month": "P1M",
               "monthly": "P1M", "year": "P1Y", "yearly": "P1Y", "annually": "P1Y"}


def _count(word: str) -> str:
    w = word.lower().replace(",", "")
    if w.isdigit():
        return str(int(w))
    if w in {"a", "an"}:
        return "1"
    n = NUMBERS.get(w)
    return str(n) if n is not None else "X"


def duration_value(count: str, unit: str) -> str:
    """TIMEX3 value of ``count`` ``unit``s: P3M, PT1H, PXD; a decade is ten years and a century a hundred."""
    u = unit.lower().rstrip("s")
    u = "century" if u.startswith("centur") else u
    n = _count(count)
    if u in {"decade", "century"}:
        factor = 10 if u == "decade" else 100
        return f"P{int(n) * factor}Y" if n != "X" else f"PX{_UNITS[u]}"
    return f"PT{n}{_UNITS[u]}" if u in _TIME_UNITS else f"P{n}{_UNITS[u]}"


# ---- annotation ---------------------------------------------------------------------------------------------


def annotate(text: str, anchor: date | None) -> list[Timex3]:
    """Every TIMEX3 in ``text``, normalised against ``anchor`` (the document date), non-overlapping, in text order."""
    found = _from_windows(text, anchor) + _durations(text) + _clock_times(text, anchor) + _sets(text) + \
        _references(text) + _centuries(text)
    taken: list[Timex3] = []
    # Longest first; at equal length the earlier rule wins (windows come first).
    for _, t in sorted(enumerate(found), key=lambda p: (p[1].start - p[1].end, p[0])):
        if not any(t.start < o.end and o.start < t.end for o in taken):
            taken.append(t)
    return sorted(taken, key=lambda t: t.start)


_SENTENCE = re.compile(r"[^.!?;\n]+(?:[.!?;]+|\n|$)")  # sentences and clauses after a semicolon
_FUTURE = re.compile(r"\b(?:will|won't|shall|'ll|going to|plans? to|expects? to|expected to|due to|next|upcoming)\b",
                     re.IGNORECASE)
_PAST = re.compile(r"\b(?:was|were|had|did|said|told|ago|last|earlier|\w{3,}ed)\b", re.IGNORECASE)


def sentence_direction(sentence: str) -> Direction:
    """Which way an expression without a year points, from the sentence's tense (as HeidelTime does for news):
    "future" with a future marker ("will", "plans to", "next"), "past" with past-tense words and none of those,
    else "any" (the nearest instance)."""
    if _FUTURE.search(sentence):
        return "future"
    return "past" if _PAST.search(sentence) else "any"


def _windows(text: str, anchor: date | None) -> list[tuple[int, int, TimeRef]]:
    """``find_times`` over the whole text (its spans), each expression resolved in the direction its sentence's
    tense gives when that direction resolves the same span."""
    by_direction = {d: {(s, e): ref for s, e, ref in find_times(text, anchor, d)} for d in ("past", "future")}
    sentences = [(m.start(), m.end(), sentence_direction(m.group())) for m in _SENTENCE.finditer(text)]
    found = []
    for start, end, ref in find_times(text, anchor, "any"):
        direction = next((d for s, e, d in sentences if s <= start < e), "any")
        found.append((start, end, by_direction.get(direction, {}).get((start, end), ref)))
    return found


def _from_windows(text: str, anchor: date | None) -> list[Timex3]:
    out: list[Timex3] = []
    for start, end, ref in _windows(text, anchor):
        expr = text[start:end]
        lead = _LEADING.match(expr)
        inner_start = start + (lead.end() if lead else 0)
        duration = P_DURATION.fullmatch(text, inner_start, end)
        if lead and duration:  # "in five years", "over the next few months": the measure, a DURATION
            out.append(Timex3(inner_start, end, "DURATION", duration_value(duration["n"], duration["u"])))
            continue
        value = timex_value(ref)
        if value is None and lead:  # "by 2030": the deadline's own date
            inner = find_times(text[inner_start:end], anchor, "any")
            if len(inner) == 1 and (v := timex_value(inner[0][2])) is not None:
                out.append(Timex3(inner_start + inner[0][0], inner_start + inner[0][1], "DATE", v))
            continue
        if value is None:
            continue
        if lead:  # "by Friday", "in March": the preposition is a signal, not part of the TIMEX3
            start = inner_start
        part = P_DAY_PART.search(expr)
        if part and ref.granularity == "day":
            out.append(Timex3(start, end, "TIME", f"{value}T{_PARTS[part['part'].lower()]}"))
        elif expr.lower() in {"tonight", "last night"} and ref.granularity == "day":
            out.append(Timex3(start, end, "TIME", f"{value}TNI"))
        else:
            out.append(Timex3(start, end, "DATE", value))
    return out


def _durations(text: str) -> list[Timex3]:
    out = [Timex3(m.start(), m.end(), "DURATION", duration_value(m["n"], m["u"])) for m in P_DURATION.finditer(text)
           if not _is_age_or_rate(text, m.end())]
    out += [Timex3(m.start(), m.end(), "DURATION", duration_value("1", m["u"])) for m in P_UNIT_PAST.finditer(text)]
    for m in P_BARE_UNITS.finditer(text):  # "for years", "minutes before": an unstated number of units
        start, end = (m.start("u"), m.end()) if m["u"] else (m.start(), m.end("u2") + 1)
        out.append(Timex3(start, end, "DURATION", duration_value("several", m["u"] or m["u2"])))
    out += [Timex3(m.start(), m.end(), "DURATION", f"PT{int(m['h'])}H{int(m['m'])}M{int(m['s'])}S")
            for m in P_STOPWATCH.finditer(text)]  # a race or a recording time: "finishing in 3:07:35"
    return out


def _is_age_or_rate(text: str, end: int) -> bool:
    """"a five-year-old", "a 90-day-long": part of a longer compound; "per day" rates are not durations."""
    return bool(re.match(r"-(?:old|long|high|wide)\b", text[end:end + 6]))


def _clock_times(text: str, anchor: date | None) -> list[Timex3]:
    out = []
    if anchor is not None:  # "this fiscal year": the fiscal year's calendar year (TimeML writes it so)
        shift = {"this": 0, "last": -1, "next": 1}
        out += [Timex3(m.start(), m.end(), "DATE", str(anchor.year + shift[m["rel"].lower()]))
                for m in P_FISCAL.finditer(text)]
    for m in P_CLOCK.finditer(text):
        hour = int(m["h"] or m["h24"])
        minute = m["m"] or m["m24"]
        if m["ampm"]:
            pm = m["ampm"].lower().startswith("p")
            hour = (hour % 12) + (12 if pm else 0)
        day = _day_after(text, m.end(), anchor)
        if day is None:
            continue
        clock = f"{hour:02d}:{minute}" if minute else f"{hour:02d}"
        end = m.end()
        out.append(Timex3(m.start(), end, "TIME", f"{day}T{clock}"))
    return out


def _day_after(text: str, at: int, anchor: date | None) -> str | None:
    """The day a clock time is on: a day expression right after it ("15:00 GMT Saturday"), else the anchor."""
    nxt = find_times(text[at:at + 40], anchor, "any")
    if nxt and text[at:at + nxt[0][0]].strip(" ,on") == "" and nxt[0][2].granularity == "day":
        return nxt[0][2].start.isoformat()
    return anchor.isoformat() if anchor else None


def _sets(text: str) -> list[Timex3]:
    out = []
    for m in P_SET.finditer(text):
        word = (m["u"] or m["adv"]).lower()
        value = f"XXXX-XX-XXT{_PARTS[word]}" if word in _PARTS else _SET_VALUES[word]
        out.append(Timex3(m.start(), m.end(), "SET", value))
    return out


def _references(text: str) -> list[Timex3]:
    out = []
    for m in P_REF.finditer(text):
        if m["present"] and m["present"].lower() == "now" and re.match(r"\s+(?:that|on)\b", text[m.end():]):
            continue  # "now that …", "from now on": a conjunction and a phrase, not the present moment
        value = "PRESENT_REF" if m["present"] else "PAST_REF" if m["past"] else "FUTURE_REF"
        out.append(Timex3(m.start(), m.end(), "DATE", value))
    return out


def _centuries(text: str) -> list[Timex3]:
    out = [Timex3(m.start(), m.end(), "DATE", f"{int(m['n']) - 1:02d}") for m in P_CENTURY.finditer(text)]
    out += [Timex3(m.start(), m.end(), "DATE", m["y"][:3]) for m in P_DECADE.finditer(text)]
    return out
