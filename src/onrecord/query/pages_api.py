"""Read functions of the API and the web pages: keyset (cursor) pages of statements and articles, entities and
outlets with their counts, single statements, and an article by its text hash.

Cursors are opaque, URL-safe strings that hold the sort key of the last item of a page (for statements: the date it
is placed on and its id; see ``lookup.newest_first``). The next page is read with a ``WHERE`` on that key, never an
``OFFSET``, so a page costs the same at the start and the end of the ledger, and pages stay stable while new
articles arrive (new items land before the cursor or after it, never shift it).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import sqlalchemy as sa

from ..errors import OnrecordError
from ..ledger import schema
from .filters import WHEN_START, StatementFilters, entities_named, statement_conditions
from .lookup import fetch_records, iso, newest, select_records

s, a = schema.statements, schema.articles
MAX_PAGE = 200
RECENT = 20


class QueryError(OnrecordError):
    """A read request the ledger cannot answer as asked (a bad cursor, a bad page size)."""


# --- cursors ---------------------------------------------------------------------------------------------------
def encode_cursor(*key: Any) -> str:
    """An opaque cursor holding a sort key (JSON, base64url without padding)."""
    raw = json.dumps(list(key), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, size: int) -> list[Any]:
    """The sort key of a cursor made by :func:`encode_cursor` with ``size`` parts; QueryError when it is not one."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError):
        raise QueryError(f"cursor {cursor[:40]!r} is not a cursor this API gave out; "
                         "start again without one") from None
    if not isinstance(key, list) or len(key) != size or not all(v is None or isinstance(v, str) for v in key):
        raise QueryError(f"cursor {cursor[:40]!r} is not a cursor this API gave out; start again without one")
    return key


def _keyed(cursor: str) -> tuple[str | None, str]:
    """A two-part cursor (sort value, id) whose id is present."""
    value, last_id = decode_cursor(cursor, 2)
    if last_id is None:
        raise QueryError(f"cursor {cursor[:40]!r} holds no id; start again without one")
    return value, last_id


def _day(value: str | None, cursor: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"cursor {cursor[:40]!r} holds no valid date; start again without one") from None


def check_limit(limit: int) -> int:
    """``limit`` when it is a page size this module serves (1..MAX_PAGE), else QueryError."""
    if not 1 <= limit <= MAX_PAGE:
        raise QueryError(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
    return limit


# --- statements --------------------------------------------------------------------------------------------------
def _after_statement(cursor: str) -> sa.ColumnElement[bool]:
    """Rows after the cursor's (when, id) in ``newest_first`` order: newer dates first, undated last, then id."""
    when_text, last_id = _keyed(cursor)
    when = _day(when_text, cursor)
    if when is None:
        return sa.and_(WHEN_START.is_(None), s.c.id > last_id)
    return sa.or_(WHEN_START < when, sa.and_(WHEN_START == when, s.c.id > last_id), WHEN_START.is_(None))


def statement_cursor(record: dict[str, Any]) -> str:
    """The cursor after this record: its placing date (said_on start, else the article's date) and its id."""
    when = record["said_on"]["start"] if record["said_on"] else record["article"]["published"]
    return encode_cursor(when, record["id"])


def statements_page(conn: sa.Connection, filters: StatementFilters, *, cursor: str | None = None,
                    limit: int = 50) -> tuple[list[dict[str, Any]], str | None]:
    """One page of statement records matching ``filters``, newest first, and the cursor of the next page (None
    on the last page)."""
    conditions = statement_conditions(conn, filters)
    if cursor:
        conditions.append(_after_statement(cursor))
    records = newest(conn, *conditions, limit=check_limit(limit) + 1)
    if len(records) <= limit:
        return records, None
    return records[:limit], statement_cursor(records[limit - 1])


def iter_statements(conn: sa.Connection, filters: StatementFilters, *, page: int = MAX_PAGE,
                    limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Every statement record matching ``filters`` (at most ``limit``), newest first, read page by page (exports)."""
    cursor: str | None = None
    left = limit
    while left is None or left > 0:
        size = page if left is None else min(page, left)
        records, cursor = statements_page(conn, filters, cursor=cursor, limit=size)
        yield from records
        if left is not None:
            left -= len(records)
        if cursor is None:
            return


def statement(conn: sa.Connection, statement_id: str) -> dict[str, Any] | None:
    """One statement record by id, or None."""
    found = fetch_records(conn, select_records().where(s.c.id == statement_id))
    return found[0] if found else None


# --- articles ----------------------------------------------------------------------------------------------------
_UNDATED = sa.case((a.c.published.is_(None), 1), else_=0)


def articles_page(conn: sa.Connection, *, outlet: str | None = None, cursor: str | None = None,
                  limit: int = 50) -> tuple[list[dict[str, Any]], str | None]:
    """Articles newest published first (undated last, then by id), with their number of statements, and the next
    cursor. ``outlet`` is exact (case-insensitive)."""
    count = sa.select(sa.func.count()).where(s.c.article_id == a.c.id).scalar_subquery()
    query = sa.select(a.c.id, a.c.url, a.c.title, a.c.outlet, a.c.published, count.label("statements"))
    if outlet:
        query = query.where(sa.func.lower(a.c.outlet) == outlet.lower())
    if cursor:
        day_text, last_id = _keyed(cursor)
        day = _day(day_text, cursor)
        query = query.where(sa.and_(a.c.published.is_(None), a.c.id > last_id) if day is None else
                            sa.or_(a.c.published < day, sa.and_(a.c.published == day, a.c.id > last_id),
                                   a.c.published.is_(None)))
    rows = conn.execute(query.order_by(_UNDATED, a.c.published.desc(), a.c.id).limit(check_limit(limit) + 1))
    items = [{"id": r.id, "url": r.url, "title": r.title, "outlet": r.outlet, "published": iso(r.published),
              "statements": r.statements} for r in rows]
    if len(items) <= limit:
        return items, None
    last = items[limit - 1]
    return items[:limit], encode_cursor(last["published"], last["id"])


def article_id_by_hash(conn: sa.Connection, content_hash: str) -> str | None:
    """The id of the stored article with this text hash (``Article.content_hash``), or None."""
    return conn.execute(sa.select(a.c.id).where(a.c.content_hash == content_hash)).scalar_one_or_none()


# --- entities ----------------------------------------------------------------------------------------------------
def entities_page(conn: sa.Connection, *, q: str | None = None, kind: str | None = None, cursor: str | None = None,
                  limit: int = 50) -> tuple[list[dict[str, Any]], str | None]:
    """Entities by name (then id), with aliases and statement counts, and the next cursor. ``q`` is a
    case-insensitive substring of the name or an alias; ``kind`` is exact."""
    e = schema.entities
    query = sa.select(e.c.id, e.c.name, e.c.kind)
    if q:
        query = query.where(e.c.id.in_(entities_named(q)))
    if kind:
        query = query.where(e.c.kind == kind)
    if cursor:
        name, last_id = _keyed(cursor)
        if name is None:
            raise QueryError(f"cursor {cursor[:40]!r} holds no name; start again without one")
        query = query.where(sa.or_(e.c.name > name, sa.and_(e.c.name == name, e.c.id > last_id)))
    rows = list(conn.execute(query.order_by(e.c.name, e.c.id).limit(check_limit(limit) + 1)))
    items = describe_entities(conn, [(r.id, r.name, r.kind) for r in rows[:limit]])
    if len(rows) <= limit:
        return items, None
    return items, encode_cursor(items[-1]["name"], items[-1]["id"])


def describe_entities(conn: sa.Connection, rows: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """``{"id","name","kind","aliases","statements_by","statements_about"}`` for (id, name, kind) rows; the counts
    are indexed lookups for these ids only."""
    ids = [row[0] for row in rows]
    al, ab = schema.aliases, schema.statement_about
    aliases: dict[str, list[str]] = {i: [] for i in ids}
    for entity_id, alias in conn.execute(sa.select(al.c.entity_id, al.c.alias).where(al.c.entity_id.in_(ids))
                                         .order_by(al.c.entity_id, al.c.alias)):
        aliases[entity_id].append(alias)
    by = _count_by(conn, sa.select(s.c.speaker_entity_id, sa.func.count()).where(s.c.speaker_entity_id.in_(ids))
                   .group_by(s.c.speaker_entity_id))
    about = _count_by(conn, sa.select(ab.c.entity_id, sa.func.count(sa.distinct(ab.c.statement_id)))
                      .where(ab.c.entity_id.in_(ids)).group_by(ab.c.entity_id))
    return [{"id": i, "name": name, "kind": kind, "aliases": aliases[i], "statements_by": by.get(i, 0),
             "statements_about": about.get(i, 0)} for i, name, kind in rows]


def _count_by(conn: sa.Connection, query: sa.Select[Any]) -> dict[str, int]:
    """{key: count} from a (key, count) GROUP BY query."""
    return {key: int(count) for key, count in conn.execute(query)}


def entity(conn: sa.Connection, name: str, *, recent: int = RECENT) -> dict[str, Any] | None:
    """The entities called ``name`` (case-insensitive, by name or alias; one per kind), with their latest
    statements by and about them; None when no entity has that name."""
    e, al, ab = schema.entities, schema.aliases, schema.statement_about
    needle = name.strip().lower()
    by_alias = sa.select(al.c.entity_id).where(sa.func.lower(al.c.alias) == needle)
    rows = [(r.id, r.name, r.kind) for r in conn.execute(
        sa.select(e.c.id, e.c.name, e.c.kind).where(sa.or_(sa.func.lower(e.c.name) == needle, e.c.id.in_(by_alias)))
        .order_by(e.c.name, e.c.kind, e.c.id))]
    if not rows:
        return None
    ids = [row[0] for row in rows]
    about_ids = sa.select(ab.c.statement_id).where(ab.c.entity_id.in_(ids))
    return {
        "name": rows[0][1],
        "entities": describe_entities(conn, rows),
        "said": newest(conn, s.c.speaker_entity_id.in_(ids), limit=recent),
        "about": newest(conn, s.c.id.in_(about_ids), limit=recent),
    }


# --- outlets -----------------------------------------------------------------------------------------------------
def outlets(conn: sa.Connection) -> list[dict[str, Any]]:
    """Outlets in the ledger (every outlet an article or a relay named), by name, with counts of articles
    published and statements relayed."""
    o, r = schema.outlets, schema.relays
    published = _count_by(conn, sa.select(a.c.outlet, sa.func.count()).where(a.c.outlet.is_not(None))
                          .group_by(a.c.outlet))
    relayed = _count_by(conn, sa.select(r.c.outlet, sa.func.count(sa.distinct(r.c.statement_id)))
                        .group_by(r.c.outlet))
    return [_outlet(row, published.get(row.name, 0), relayed.get(row.name, 0))
            for row in conn.execute(sa.select(o).order_by(o.c.name))]


def _outlet(row: Any, articles: int, relayed: int) -> dict[str, Any]:
    return {"name": row.name, "country": row.country, "kind": row.kind,
            "profile": json.loads(row.profile) if row.profile else [], "articles": articles, "relayed": relayed}


def outlet(conn: sa.Connection, name: str, *, recent: int = RECENT) -> dict[str, Any] | None:
    """One outlet (case-insensitive name) with its counts, latest articles and latest statements it relayed."""
    o, r = schema.outlets, schema.relays
    row = conn.execute(sa.select(o).where(sa.func.lower(o.c.name) == name.strip().lower()).limit(1)).first()
    if row is None:
        return None
    n_articles = conn.execute(sa.select(sa.func.count()).where(a.c.outlet == row.name)).scalar_one()
    relayed_ids = sa.select(r.c.statement_id).where(r.c.outlet == row.name)
    n_relayed = conn.execute(sa.select(sa.func.count(sa.distinct(r.c.statement_id)))
                             .where(r.c.outlet == row.name)).scalar_one()
    latest, _ = articles_page(conn, outlet=row.name, limit=recent)
    relayed = newest(conn, s.c.id.in_(relayed_ids), limit=recent)
    return {**_outlet(row, n_articles, n_relayed), "latest_articles": latest, "latest_relayed": relayed}


# --- change detection ----------------------------------------------------------------------------------------------
def ledger_version(conn: sa.Connection) -> tuple[Any, ...] | None:
    """A value that changes whenever articles or statements are written or deleted, an entity is merged or split,
    or the number of actor names changes (SQLite: the largest rowids and the numbers of rows, all read from
    indexes), for caches of read answers; None on other dialects. A rewrite that keeps every count (a rebuild of
    the actors) is not seen here: the read cache adds SQLite's ``data_version`` for that (``serve.api_cache``)."""
    if conn.dialect.name != "sqlite":
        return None
    row = conn.exec_driver_sql(
        "SELECT (SELECT max(rowid) FROM articles), (SELECT count(*) FROM articles), "
        "(SELECT max(rowid) FROM statements), (SELECT count(*) FROM statements), "
        "(SELECT max(rowid) FROM entity_corrections), (SELECT count(*) FROM entity_corrections), "
        "(SELECT max(rowid) FROM actor_names), (SELECT count(*) FROM actor_names)").one()
    return tuple(row)
