"""RSS and Atom feeds → one Article per entry, with feedparser.

Each entry gives the headline (title), the URL (link), the date (published, else updated: the calendar date as the
feed writes it, not feedparser's UTC conversion) and the text (the longest ``content``, else the summary, HTML turned
into paragraphs). A broken entry is a Failure of its own, sourced "feed.xml#entry 3"; the other entries go on.
The outlet is the caller's (a feed's title is not a reliable outlet name); the feed's language is kept.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import feedparser

from ..errors import IngestError
from ..records import Article, Failure
from .dates import parse_date
from .decode import check_binary
from .html import html_to_text
from .structure import Overrides, build_article

logger = logging.getLogger(__name__)


def parse_feed(data: bytes) -> Any:
    """feedparser's result for ``data``; IngestError when it is not an RSS/Atom feed or has no entries."""
    if not data.strip():
        raise IngestError("empty file")
    check_binary(data)
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=False)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({' '.join(str(problem).split())})" if problem else ""
        raise IngestError(f"not an RSS or Atom feed{detail}")
    if not parsed.entries:
        raise IngestError("feed has no entries")
    return parsed


def _entry_date(entry: Any) -> date | None:
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        try:
            return parse_date(raw)
        except IngestError:
            parsed: time.struct_time | None = entry.get(f"{key}_parsed")
            if parsed is None:
                raise
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    return None


def _entry_html(entry: Any) -> str:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    if contents:
        return max(contents, key=len)
    return str(entry.get("summary", "") or "")


def entry_article(entry: Any, source: str, over: Overrides, lang: str = "en") -> Article:
    """The Article of one feed entry; IngestError when the entry has neither title nor text, or a bad date."""
    title = " ".join(html_to_text(str(entry.get("title", "") or "")).split())
    text = html_to_text(_entry_html(entry)).strip()
    if not title and not text:
        raise IngestError("entry has no title and no text")
    if not text:
        raise IngestError("entry has no text (title only)")
    published = over.published or _entry_date(entry)
    return build_article(title, text, url=entry.get("link") or None, outlet=over.outlet, published=published,
                         lang=lang, source=source)


def read_feed(data: bytes, source: str, over: Overrides) -> Iterator[Article | Failure]:
    """Every entry of a feed as an Article, or a Failure naming the entry ("feed.xml#entry 3")."""
    parsed = parse_feed(data)
    lang = str(parsed.feed.get("language") or "en").split("-")[0].lower() or "en"
    for number, entry in enumerate(parsed.entries, 1):
        where = f"{source}#entry {number}"
        try:
            yield entry_article(entry, where, over, lang)
        except (IngestError, ValueError) as exc:
            logger.debug("skipping %s: %s", where, exc)
            yield Failure(where, " ".join(str(exc).split()) or type(exc).__name__)
