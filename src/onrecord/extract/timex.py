"""English time expressions in text, normalised against an anchor date (the publication date).

Rule-based and deterministic: a table of regular expressions (compiled once, at import) with a resolver each
(``timex_resolve.py``) and a context check for the words that are not always times ("May", "fall", "2000").
All candidates are resolved; the longest, then the earliest, win; the result is in text order.

Spans. A neutral preposition is not part of an expression ("on 22 November" → "22 November"; "as of October
2024" → "October 2024"); words that change the meaning are: "by" (a deadline), "within"/"in" + a count,
"ago", "earlier this", "the end of", "the second half of".

``direction`` chooses among the instances of an expression without a year or a relative word:
"past" = the latest starting on or before the anchor ("on Thursday", "6 December"), "future" = the earliest
ending on or after it ("in March" in November → next March; "by Friday" → the coming Friday, today included),
"any" = the nearest (a tie goes to the past). "by …" reads "any" as "future".

Choices for ambiguous expressions:

* "last Thursday" / "last October" / "last summer": the latest instance wholly before the anchor; "next …":
  the earliest wholly after it; "this …": the nearest. "last/this/next week|month|quarter|year" are calendar
  units (weeks run Monday–Sunday); "the past week", "the last two weeks": the window ending at the anchor.
* "earlier this week|month|year": from the unit's start to the anchor; "later this …": anchor to its end.
* "this weekend": Saturday–Sunday of the anchor's week; "last/next weekend" as "last/next Thursday"; "the
  weekend" by direction. Granularity week. "the first (second, third, fourth, last) week of <month>": days
  1–7 (8–14, 15–21, 22–28, the last seven).
* "the third quarter" / "Q3" without a year: by direction; "the second half" without a year: not resolved.
* early/mid/late (and "the beginning/middle/end of"): a month → days 1–10 / 11–20 / 21–end; a week →
  Mon–Tue / Wed–Thu / Fri–Sun; a year → Jan–Apr / May–Aug / Sep–Dec; "the beginning/end of" a year (season,
  quarter, half) → its first/last month. The granularity stays that of the period ("late 2024" is a year).
* "by X" (X coarser than a day, not over yet): a deadline window from the anchor to the end of X ("by 2030" →
  anchor…2030-12-31; "by the end of the year" → anchor…31 December, granularity year). With direction
  "past", without an anchor, or when X is a day ("by Friday"), X itself.
* "within two weeks" / "in two weeks" / "in the next two weeks": anchor…anchor+14 days, granularity of the
  unit (week); not resolved with direction "past", where "in two weeks" is a duration.
* "N days ago": that day; "N weeks ago": the Monday–Sunday week containing anchor−7N; "N months ago": that
  calendar month; "N years ago": that calendar year. "a few / several / a couple of days ago": the seven days
  before the anchor (anchor−7…anchor−1), granularity week; "a few weeks ago" etc. are not resolved.
* Vague windows: "the coming days" (also "the next few days", "the days ahead") → anchor…anchor+7 days, week;
  "the coming weeks" → anchor…+6 weeks, month; "the coming months" → anchor…+6 months, half; "the coming
  years" is not resolved. "soon", "recently", "now", "the previous day" (relative to an event) are not times.
* Seasons are meteorological, northern hemisphere; "winter 2025" is December 2025–February 2026
  ("winter 2024/25" is the same as "winter 2024").
* "last night" is the day before the anchor; "tonight", "this morning", "earlier today" are the anchor.
* Numeric dates only as ISO (2024-12-06, 2024/12/06) or when day and month cannot be confused (13/06/2024,
  06/13/2024, 05/05/2024); 05/06/2024 is not resolved, nor are its parts.
* A bare year (1900–2100) needs a context that makes it a year: a temporal preposition before it ("in",
  "since", "by", "of" …), punctuation, a function word or "'s" after it, or a determiner before it ("the 2022
  invasion"); never after a currency sign or a quantity word ("about", "than"), never before a unit or a
  counted noun ("troops", "km"), never inside a number ("2,000", "2025.5").
* Bare month names need a cue ("in October", "since May", "September and October"); abbreviations ("Dec.")
  need a day or a year. Bare seasons need a cue and must end the phrase ("in the winter," but not "the winter
  crop"); capitalised inside a sentence they are names ("the Winter Olympics", "the Arab Spring"), as is a
  year after a capitalised word ("Allied Resolve 2022"). A weekday's name is a time anywhere ("in his
  Thursday address") except in names ("Black Friday", "the Sunday Times") and in "every Thursday".
* Without an anchor only absolute expressions are resolved ("6 December 2024", "October 2024", "by 2030").
* ``normalize`` takes the one expression in its argument; a bare "October" or "spring" counts as cued there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ..records import TimeRef
from . import timex_resolve as r
from .timex_resolve import Ctx, Direction, Outcome

__all__ = ["Direction", "find_times", "normalize"]

# A space in a pattern below means "whitespace, but not a blank line" (no expression runs across paragraphs).
_SP = r"(?:[ \t\u00a0\u202f]|\n(?![ \t]*\n))+"


def _cased(words: list[str]) -> str:
    words = sorted(words, key=len, reverse=True)
    return "|".join(f"{w.capitalize()}|{w.upper()}" for w in words)


_MONTH_NAMES = [w for w in r.MONTHS if len(w) > 4 or w in {"may", "june", "july"}]
_MONTH_ABBR = [w for w in r.MONTHS if w not in _MONTH_NAMES]
M_FULL = f"(?-i:{_cased(_MONTH_NAMES)})"
M_ANY = rf"(?-i:{_cased(_MONTH_NAMES)}|(?:{_cased(_MONTH_ABBR)})\.?)"
WD = f"(?-i:{_cased(list(r.WEEKDAYS))})"
DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?![0-9])(?:st|nd|rd|th)?"
Y4 = r"[0-9]{4}(?![0-9]|[-/.][0-9])"
Y2_OR_4 = r"(?:[0-9]{4}|[0-9]{2})(?![0-9])"
NUM = r"(?:[0-9]{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|thirty)"
VAGUE = r"(?:a few|few|several|a couple of)"
DASH = "(?:-|–|—)"
UNIT = "(?P<u>day|week|month|year)s?"
REL = "(?P<rel>this past|this coming|last|this|next)"

P_DMY = rf"(?:(?P<wd>{WD}),? )?(?:the )?(?:(?P<d1>{DAY}){DASH})?(?P<d>{DAY})(?: of)? (?P<m>{M_ANY})(?:,? (?P<y>{Y4}))?"
P_MDY = rf"(?:(?P<wd>{WD}),? )?(?P<m>{M_ANY}) (?:the )?(?P<d>{DAY})(?:{DASH}(?P<d2>{DAY}))?(?:,? (?P<y>{Y4}))?"
P_ISO = r"(?P<y>[0-9]{4})(?P<sep>-|/)(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})(?![0-9])"
P_NUMERIC = r"(?<![0-9][./])(?P<a>[0-9]{1,2})(?P<sep>/|\.)(?P<b>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4})(?![0-9])"
P_WEEKDAY = rf"(?:(?P<rel>this past|this coming|last|this|next|past|coming) )?(?P<wd>{WD})(?: (?:morning|afternoon|evening|night))?"
P_RELDAY = (r"(?P<w>the day before yesterday|the day after tomorrow|(?:earlier|later) today|today|tonight"
            r"|this (?:morning|afternoon|evening)|yesterday|tomorrow|last night)(?: (?:morning|afternoon|evening|night))?")
P_RELUNIT = (r"(?:(?P<mod>earlier|later) (?:this|in the) |(?P<rel>this past|this coming|the current|the past|the last"
             r"|the coming|this|last|next|past) )(?P<u>week|month|quarter|year)(?! of)")
P_THEUNIT = r"(?:the )?(?:current )?(?P<u>week|month|quarter|year)"
P_MONTH = rf"(?:{REL} )?(?P<m>{M_ANY})(?:,? (?:of )?(?P<y>{Y4}))?"
P_SEASON = (rf"(?:{REL} )?(?P<s>spring|summer|autumn|fall|winter)"
            rf"(?:(?: of)? (?P<y>[0-9]{{4}})(?:(?:/|-|–)(?P<y2>{Y2_OR_4})|(?![0-9]|[-/.][0-9])))?")
P_QUARTER = rf"(?-i:Q)(?P<q>[1-4])(?:(?: |-|'|’)?(?P<y>{Y4}))?|(?P<y2>{Y4}) (?-i:Q)(?P<q2>[1-4])"
P_HALF = rf"(?-i:H)(?P<h>[12])(?: |-)?(?P<y>{Y4})|(?P<y2>{Y4}) (?-i:H)(?P<h2>[12])"
YEARISH = rf"(?:{Y4}|(?:this|last|next|the current|the|this coming) year)"
P_PART = (r"(?:the )?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|last|final|latter) (?P<kind>half|quarter)"
          rf"(?: of (?P<base>{YEARISH}))?")
P_YEAR = r"(?P<y>19[0-9]{2}|20[0-9]{2}|2100)(?![0-9])"
P_AGO = rf"(?P<n>{NUM}|{VAGUE}) {UNIT} ago"
P_WITHIN = (rf"(?:within|in|within the next|in the next|over the next|during the next|the next) (?P<n>{NUM}|{VAGUE})"
            rf" {UNIT}(?:(?:(?:'|’)s?)? time)?")
P_COMING = r"the (?:coming|upcoming|next few) (?P<u>day|week|month|year)s|the (?P<u2>day|week|month|year)s (?:ahead|to come)"
P_PAST_WINDOW = rf"(?:the )?(?:past|last) (?P<n>{NUM}|few|several|couple of) (?P<u>day|week|month|year)s(?! of)"
P_WEEKEND = r"(?P<rel>this past|this coming|last|this|next|the) weekend"
P_EDGE_WORDS = r"(?P<edge>(?:early|late|mid)(?:-| )|mid|(?:the )?(?:very )?(?:beginning|start|middle|end) of |end-)"


def _nc(pattern: str) -> str:
    """The pattern without its group names, to embed it in another one."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + pattern.replace(" ", _SP) + r")(?!\w)", re.IGNORECASE)


Check = Callable[[str, re.Match[str]], bool]
Resolver = Callable[[r.Groups, Ctx], Outcome]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    rx: re.Pattern[str]
    resolve: Resolver
    check: Check | None = None
    top: bool = True  # scanned in running text (False: only as the base of "early …", "the end of …")


# ---- context checks (only in running text) -----------------------------------------------------------

_TOKEN = re.compile(r"[^\W\d_]+\.?|\d+|[^\w\s]")
_MONTH_CUES = {"in", "since", "until", "till", "by", "from", "to", "through", "throughout", "during", "before",
               "after", "of", "early", "late", "mid", "last", "next", "this", "between", "around", "that", "for",
               "than"}
_LIST_CUES = {",", "and", "or", "-", "–", "—", "&"}
_SEASON_CUES = {"in", "by", "until", "till", "since", "during", "through", "throughout", "before", "after",
                "over", "this", "last", "next", "early", "late", "mid", "that"}
_WEEKDAY_NAMES_BEFORE = {"every", "each", "black", "good", "holy", "maundy", "ash", "palm", "super", "cyber",
                         "bloody", "easter", "shrove", "giving", "whit", "great", "clean"}
_NEWSPAPERS = {"times", "telegraph", "express", "mirror", "herald", "post", "mail", "independent", "tribune"}
_YEAR_CUES = {"in", "since", "by", "until", "till", "from", "to", "through", "throughout", "before", "after",
              "during", "of", "early", "late", "mid", "year", "between", "and", "or", "fiscal", "around", "circa",
              "spring", "summer", "autumn", "fall", "winter", "as"}
_QUANTITY_BEFORE = {"about", "some", "nearly", "almost", "approximately", "roughly", "over", "under", "than",
                    "least", "no.", "no", "number", "#", "№", "just", "only", "another", "additional", "extra"}
_QUANTITY_NOUNS = {"total", "number", "sum", "amount", "maximum", "minimum", "height", "altitude", "depth",
                   "distance", "range", "population", "group", "force", "crew", "contingent", "batch"}
_DETERMINERS = {"the", "its", "his", "her", "their", "our", "this", "that", "a", "an", "whose", "my", "your"}
_UNITS_AFTER = {
    "km", "kilometres", "kilometers", "miles", "m", "metres", "meters", "kg", "tons", "tonnes", "troops",
    "soldiers", "servicemen", "people", "men", "women", "children", "civilians", "residents", "refugees",
    "units", "tanks", "drones", "missiles", "shells", "rounds", "vehicles", "aircraft", "cases", "deaths",
    "dollars", "euros", "hryvnias", "hryvnia", "rubles", "roubles", "uah", "usd", "eur", "times", "percent",
    "per", "hectares", "sq", "square", "mw", "kw", "hours", "minutes", "seconds", "days", "weeks", "months",
    "years", "pieces", "items", "points", "votes", "prisoners", "pows", "fighters", "mercenaries", "wounded",
    "killed", "dead", "injured", "homes", "buildings", "households", "families", "jobs", "workers", "euro",
    "dollar", "bn", "mln", "million", "billion", "thousand",
}
_FUNCTION_AFTER = {
    "the", "a", "an", "and", "or", "but", "when", "while", "as", "was", "were", "is", "are", "has", "had",
    "have", "will", "would", "could", "can", "should", "saw", "to", "that", "which", "after", "before", "until",
    "since", "in", "on", "at", "for", "with", "by", "it", "he", "she", "they", "we", "i", "there", "this",
    "these", "those", "its", "his", "her", "their", "our", "alone", "onwards", "onward", "already", "also",
    "only", "too", "then", "through", "from", "against", "amid", "during", "under", "if", "so", "not",
    "because", "where", "who", "whose", "russia", "ukraine", "edition", "election", "elections",
}
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”«»(\n—–])\s*$")


def _before(text: str, pos: int, n: int = 2) -> list[str]:
    """The ``n`` tokens before ``pos``, nearest first, as written."""
    return (_TOKEN.findall(text[max(0, pos - 60):pos])[-n:][::-1] + [""] * n)[:n]


def _lower_before(text: str, pos: int, n: int = 2) -> list[str]:
    return [t.lower() for t in _before(text, pos, n)]


def _word_after(text: str, pos: int) -> str:
    m = re.match(r"\s*([^\W\d_]+)", text[pos:pos + 40])
    return m.group(1).lower() if m else ""


def _capital_mid_sentence(text: str, m: re.Match[str]) -> bool:
    """"Russia Today": a capitalised word after a capitalised word, inside a sentence."""
    prev = _before(text, m.start(), 1)[0]
    return m.group(0)[:1].isupper() and prev[:1].isupper() and not _sentence_start(text, m.start())


def _listed_nearby(text: str, pos: int) -> bool:
    return bool(re.search(rf"(?:{M_FULL}|{Y4})", text[max(0, pos - 30):pos]))


def _month_ok(text: str, m: re.Match[str]) -> bool:
    if m.group("y"):
        return True
    if m.group("m").lower().rstrip(".") in _MONTH_ABBR:
        return False
    if m.group("rel"):
        return True
    prev, prev2 = _lower_before(text, m.start())
    return prev in _MONTH_CUES or (prev in _LIST_CUES and _listed_nearby(text, m.start()))


def _season_ok(text: str, m: re.Match[str]) -> bool:
    """A bare season needs a cue before it ("in (the) spring") and an end after it ("in the winter crop" and
    "the Winter Olympics" are not times)."""
    if m.group("y") or m.group("rel"):
        return True
    if m.group(0)[:1].isupper() and not _sentence_start(text, m.start()):
        return False
    prev, prev2 = _lower_before(text, m.start())
    if not (prev in _SEASON_CUES or (prev == "the" and prev2 in _SEASON_CUES)):
        return False
    return _ends_phrase(text, m.end())


def _sentence_start(text: str, pos: int) -> bool:
    return bool(_SENTENCE_START.search(text[max(0, pos - 60):pos]))


def _ends_phrase(text: str, pos: int) -> bool:
    """Followed by punctuation, the end, "'s" or a function word: not the modifier of a noun."""
    after = text[pos:pos + 30]
    if not after.strip() or re.match(r"\s*[.,;:!?)\]\"'”’»—–-]", after):
        return True
    return _word_after(text, pos) in _FUNCTION_AFTER


def _weekday_ok(text: str, m: re.Match[str]) -> bool:
    prev, prev2 = _lower_before(text, m.start())
    if prev in _WEEKDAY_NAMES_BEFORE or (prev == "on" and prev2 == "mail"):
        return False
    return _word_after(text, m.end()) not in _NEWSPAPERS


def _relday_ok(text: str, m: re.Match[str]) -> bool:
    return not _capital_mid_sentence(text, m)


def _year_ok(text: str, m: re.Match[str]) -> bool:
    s, e = m.span()
    before, after = text[max(0, s - 30):s], text[e:e + 30]
    if re.search(r"[$€£¥₴₽#№]\s*$|[0-9][.,]?$|[^\W\d_]$", before) or re.match(r"[.,][0-9]|[0-9%]|[^\W\d_]", after):
        return False
    year_range = re.search(r"(?:19|20)[0-9]{2}\s*[-–—]\s*$", before) or re.match(r"\s*[-–—]\s*[0-9]{2,4}", after)
    if re.search(r"[-–—/]$", before) and not year_range:
        return False
    raw = _before(text, s, 1)[0]
    prev, prev2 = _lower_before(text, s)
    nxt = _word_after(text, e)
    if nxt in _UNITS_AFTER or prev in _QUANTITY_BEFORE or (prev == "to" and prev2 == "up"):
        return False
    if prev == "of" and prev2 in _QUANTITY_NOUNS:
        return False
    if raw[:1].isupper() and prev not in _YEAR_CUES and not _sentence_start(text, s):
        return False  # a name: "Allied Resolve 2022", "Euro 2024", "Vision 2030"
    if prev in _YEAR_CUES or year_range or re.match(r"(?:'|’)s(?!\w)", after):
        return True
    possessive = re.search(r"\w(?:'|’)s?\s+$", before)
    return _ends_phrase(text, e) or prev in _DETERMINERS or bool(possessive)


# ---- the rule table ------------------------------------------------------------------------------------

_PERIODS: list[tuple[str, str, Resolver, Check | None]] = [
    ("part", P_PART, r.r_part, None),
    ("quarter", P_QUARTER, r.r_quarter, None),
    ("half", P_HALF, r.r_half, None),
    ("month", P_MONTH, r.r_month, _month_ok),
    ("season", P_SEASON, r.r_season, _season_ok),
    ("relunit", P_RELUNIT, r.r_relunit, None),
    ("theunit", P_THEUNIT, r.r_theunit, None),
    ("year", P_YEAR, r.r_year, _year_ok),
]
_PERIOD_NC = "|".join(f"(?:{_nc(p)})" for _, p, _, _ in _PERIODS)
P_EDGE = rf"{P_EDGE_WORDS}(?P<base>{_PERIOD_NC})"
P_WEEK_OF = rf"the (?P<ord>first|second|third|fourth|last|final) week of (?P<base>{_nc(P_MONTH)})"

_TABLE: list[tuple[str, str, Resolver, Check | None]] = [
    ("date_dmy", P_DMY, r.r_date, None),
    ("date_mdy", P_MDY, r.r_date, None),
    ("iso", P_ISO, r.r_iso, None),
    ("numeric", P_NUMERIC, r.r_numeric, None),
    ("weekday", P_WEEKDAY, r.r_weekday, _weekday_ok),
    ("relday", P_RELDAY, r.r_relday, _relday_ok),
    ("edge", P_EDGE, r.r_edge, None),
    ("week_of", P_WEEK_OF, r.r_week_of, None),
    ("ago", P_AGO, r.r_ago, None),
    ("within", P_WITHIN, r.r_within, None),
    ("coming", P_COMING, r.r_coming, None),
    ("past_window", P_PAST_WINDOW, r.r_past_window, None),
    ("weekend", P_WEEKEND, r.r_weekend, None),
    *_PERIODS,
]
RULES: tuple[Rule, ...] = tuple(
    Rule(name, _compile(p), resolve, check, top=name != "theunit") for name, p, resolve, check in _TABLE
)
_PERIOD_RULES = tuple(rule for rule in RULES if rule.name in {name for name, _, _, _ in _PERIODS})
_BY = re.compile(r"(?:^|(?<=[^\w-]))(?:by|no later than|not later than)" + _SP + r"$", re.IGNORECASE)


def _period(expr: str, ctx: Ctx) -> Outcome:
    """Resolve the base of a composite expression ("October" in "late October", "next year" in …)."""
    for rule in _PERIOD_RULES:
        if (m := rule.rx.fullmatch(expr)) is not None:
            return rule.resolve(m.groupdict(), ctx)
    return None


Candidate = tuple[int, int, Outcome, int]


def _candidates(text: str, anchor: date | None, direction: Direction) -> list[Candidate]:
    found: list[Candidate] = []
    for i, rule in enumerate(RULES):
        if not rule.top:
            continue
        for m in rule.rx.finditer(text):
            if rule.check is not None and not rule.check(text, m):
                continue
            start, end = m.span()
            by = None if re.match(r"(?:'|’)s(?!\w)", text[end:]) else _BY.search(text[max(0, start - 30):start])
            ctx = Ctx(anchor, "future" if by and direction == "any" else direction, _period)
            res = rule.resolve(m.groupdict(), ctx)
            if isinstance(res, tuple) and by is not None:
                res = r.deadline(res, ctx)
                start -= len(by.group(0))
            if res is not None:
                found.append((start, end, res, i))
    return found


def find_times(text: str, anchor: date | None, direction: Direction = "any") -> list[tuple[int, int, TimeRef]]:
    """Every time expression in ``text``: ``(start, end, TimeRef)`` with ``text[start:end] == ref.text``,
    non-overlapping (the longest wins, then the earliest), in text order. Expressions that cannot be
    normalised (relative ones when ``anchor`` is None) are left out."""
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, int, TimeRef]] = []
    for start, end, res, _ in sorted(_candidates(text, anchor, direction), key=lambda c: (c[0] - c[1], c[0], c[3])):
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        if isinstance(res, tuple):
            out.append((start, end, TimeRef(res[0], res[1], text[start:end], res[2])))
    return sorted(out, key=lambda t: t[0])


def normalize(expr: str, anchor: date | None, direction: Direction = "any") -> TimeRef | None:
    """The one time expression in ``expr`` ("on 22 November", "by the end of the year", "October"),
    normalised; None when there is none, or more than one. ``text`` is the matched part ("22 November")."""
    found = find_times(expr, anchor, direction)
    if not found:  # a bare "October" or "spring" is cued by being handed over as a time expression
        found = find_times("since " + expr, anchor, direction)
    return found[0][2] if len(found) == 1 else None

