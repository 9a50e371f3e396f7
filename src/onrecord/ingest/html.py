"""HTML pages → Article with trafilatura; HTML fragments (feed entries) → text with lxml.

trafilatura finds the main text and the metadata: title, date, site name (the outlet unless the caller names one;
else the host name of the canonical URL) and the canonical/og:url. Its text output has one paragraph per line (list
items start with "- "), which the structure parser reads as it reads any text without blank lines. The date is only
taken from the page's metadata and markup: trafilatura's "extensive search" (a year in a copyright line) is off,
so an undated page stays undated.
"""

from __future__ import annotations

import html
import logging
import re
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from ..errors import IngestError
from ..records import Article
from .dates import parse_date
from .decode import decode_bytes
from .structure import Overrides, build_article, same_text

logger = logging.getLogger(__name__)

_OPTIONS: dict[str, Any] = {
    "with_metadata": True,
    "include_comments": False,
    "include_tables": False,
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}
_MIN_TEXT = 20  # characters of main text (besides the headline) below which a page has no article in it
_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.IGNORECASE)
_BLOCKS = ("p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table", "section",
           "article", "pre", "figcaption", "dd", "dt", "header", "footer")


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag, if any."""
    match = _CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def page_lang(page: str, default: str = "en") -> str:
    match = _LANG.search(page[:4096])
    return match.group(1).lower() if match else default


def _main_text_length(body: str, title: str) -> int:
    return sum(len(line.strip()) for line in body.splitlines() if not same_text(line, title))


def _drop_headline(body: str, headline: str) -> str:
    """``body`` without a first line repeating the page's own headline (when the caller gives another title)."""
    first, _, rest = body.lstrip().partition("\n")
    return rest if headline and same_text(first, headline) else body


def extract_page(page: str) -> dict[str, Any]:
    """trafilatura's main text and metadata of a page, as a dict ({} when it finds nothing)."""
    found = trafilatura.bare_extraction(page, **_OPTIONS)
    if found is None:
        return {}
    return found if isinstance(found, dict) else dict(found.as_dict())


def html_article(data: bytes, source: str, over: Overrides) -> Article:
    """The article of one HTML page; IngestError "no main text found in HTML" when there is none."""
    page = decode_bytes(data, declared=declared_charset(data))
    meta = extract_page(page)
    title = over.title or meta.get("title") or ""
    body = _drop_headline(meta.get("text") or "", meta.get("title") or "")
    if _main_text_length(body, title) < _MIN_TEXT:
        raise IngestError("no main text found in HTML")
    published = over.published or (parse_date(meta["date"]) if meta.get("date") else None)
    outlet = over.outlet or meta.get("sitename") or meta.get("hostname") or None
    return build_article(title, body, url=meta.get("url") or None, outlet=outlet, published=published,
                         lang=page_lang(page), source=source)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: block elements become paragraphs (blank lines), list items bullets."""
    if "<" not in fragment:
        return html.unescape(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.LxmlError, ValueError):
        logger.debug("lxml could not parse a fragment; stripping tags with a regex", exc_info=True)
        return html.unescape(re.sub(r"<[^>]*>", " ", fragment))
    for bad in root.xpath(".//script|.//style"):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for el in root.iter(*_BLOCKS):
        if el.tag == "li":
            el.text = "• " + (el.text or "")
        el.tail = "\n\n" + (el.tail or "")
    return str(root.text_content())
