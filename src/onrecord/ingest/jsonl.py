"""JSON Lines → one Article per line: ``{"url", "title", "outlet", "published", "lang", "text"}``, ``text`` required.

Read line by line (a corpus file is never held in memory whole): a bad line is a Failure sourced "file.jsonl:7"
and the next line goes on. The ``max_bytes`` limit applies to each line, not to the file. A line without a title
takes the first line of its text as the headline.
"""

from __future__ import annotations

import codecs
import json
import logging
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from ..errors import IngestError
from ..records import Article, Failure
from .dates import parse_date
from .decode import human_size
from .structure import Overrides, build_article

logger = logging.getLogger(__name__)


def _field(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip() or None


def _load(raw: bytes, number: int, limit: int) -> dict[str, Any]:
    if len(raw) > limit:
        raise IngestError(f"line {number} too large (over the {human_size(limit)} limit; raise ONRECORD_MAX_BYTES)")
    try:
        record = json.loads(raw.removeprefix(codecs.BOM_UTF8))
    except json.JSONDecodeError as exc:
        raise IngestError(f"line {number} is not valid JSON ({exc.msg} at column {exc.colno})") from exc
    except UnicodeDecodeError as exc:
        raise IngestError(f"line {number} is not UTF-8 text") from exc
    if not isinstance(record, dict):
        raise IngestError(f"line {number} is not a JSON object")
    return record


def line_article(raw: bytes, number: int, source: str, over: Overrides, limit: int) -> Article:
    """The Article of one JSONL line; IngestError naming the line's problem."""
    record = _load(raw, number, limit)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise IngestError(f'line {number} has no "text"')
    published: date | None = over.published
    if published is None and (raw_date := _field(record, "published")):
        published = parse_date(raw_date)
    return build_article(_field(record, "title") or "", text, url=_field(record, "url"),
                         outlet=over.outlet or _field(record, "outlet"), published=published,
                         lang=_field(record, "lang") or "en", source=source)


def read_jsonl(lines: Iterable[bytes], source: str, over: Overrides, limit: int) -> Iterator[Article | Failure]:
    """Every line's Article, or a Failure sourced "file.jsonl:N"; blank lines are skipped."""
    seen = 0
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        seen += 1
        where = f"{source}:{number}"
        try:
            yield line_article(raw, number, where, over, limit)
        except (IngestError, ValueError) as exc:
            logger.debug("skipping %s: %s", where, exc)
            yield Failure(where, " ".join(str(exc).split()) or type(exc).__name__)
    if not seen:
        yield Failure(source, "empty file")
