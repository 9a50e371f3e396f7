"""Publication dates as files write them: ISO 8601, RFC 822 (feeds), "6 December 2024", "06.12.2024".

Never a guess: relative dates ("yesterday", "2 days ago"), bare timestamps and dates missing a day, month or year
are refused, and an absent date stays absent (None), never today's date.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

import dateparser

from ..errors import IngestError

_DATEPARSER_SETTINGS = {
    "STRICT_PARSING": True,  # day, month and year must all be in the text
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["custom-formats", "absolute-time"],  # no "relative-time", no "timestamp"
    "RETURN_AS_TIMEZONE_AWARE": False,
}
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")  # day.month.year, as European outlets write it


def _iso(value: str) -> date | None:
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


def _rfc822(value: str) -> date | None:
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def _dotted(value: str) -> date | None:
    match = _DOTTED.fullmatch(value)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _natural(value: str) -> date | None:
    parsed = dateparser.parse(value, settings=_DATEPARSER_SETTINGS)  # type: ignore[arg-type]
    return parsed.date() if parsed else None


def parse_date(value: str) -> date:
    """The calendar date ``value`` names (in the writer's own time zone); IngestError when it names none."""
    text = " ".join(str(value).split())
    if text:
        for parse in (_iso, _rfc822, _dotted, _natural):
            found = parse(text)
            if found is not None:
                return found
    raise IngestError(f"unparseable date '{text[:80]}'")
