"""Statements out of the ledger, as public records (``records.statement_record`` shape), never ORM rows."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..ledger import schema
from .filters import WHEN_END, WHEN_START, StatementFilters, statement_conditions

if TYPE_CHECKING:
    from ..ledger import Ledger

s, a = schema.statements, schema.articles
CHUNK = 500
__all__ = ["WHEN_END", "WHEN_START", "fetch_records", "iso", "newest_first", "newest", "records_by_id",
           "select_records", "statements", "to_record"]

def statements(ledger: Ledger, *, speaker: str | None = None, about: str | None = None, outlet: str | None = None,
               relayed_by: str | None = None, kind: str | None = None, since: date | None = None,
               until: date | None = None, search: str | None = None, article_id: str | None = None,
               limit: int | None = 50) -> list[dict[str, Any]]:
    """Statements matching every filter given, newest first (by ``said_on`` start, else the article's
    publication date; then by id), as public records.

    ``speaker``, ``about``, ``outlet`` and ``relayed_by`` are case-insensitive substrings: ``speaker`` of the
    speaker's name, the mention in the text, or any alias of the speaker's entity; ``about`` of the name or an alias
    of an entity the statement is about; ``outlet`` of the publishing outlet; ``relayed_by`` of any outlet in the
    relay chain. ``kind`` is exact. ``search`` is full-text over the content and the speaker's name (every word
    must occur; see ``query.fulltext``).

    ``since``/``until`` keep statements whose ``said_on`` range overlaps ``[since, until]``. A statement with no
    ``said_on`` is placed on its article's publication date instead, and one with neither is left out whenever
    ``since`` or ``until`` is given.
    """
    filters = StatementFilters(speaker=speaker, about=about, outlet=outlet, relayed_by=relayed_by, kind=kind,
                               since=since, until=until, search=search, article_id=article_id)
    with ledger.engine.connect() as conn:
        return newest(conn, *statement_conditions(conn, filters), limit=limit)


def newest_first() -> list[sa.ColumnElement[Any]]:
    """Newest first, undated last, then by id: the order of index ``ix_statements_placed_on_id``, so a listing
    reads the index and stops at its limit instead of sorting every match (SQLite >= 3.30 and PostgreSQL both
    accept ``NULLS LAST``)."""
    return [s.c.placed_on.desc().nulls_last(), s.c.id]


def newest(conn: sa.Connection, *conditions: sa.ColumnElement[bool], limit: int | None) -> list[dict[str, Any]]:
    """Records of the statements matching ``conditions``, newest first (:func:`newest_first`), at most ``limit``.

    The conditions may name ``statements`` columns and subqueries only, never the joined article: the ids are read
    from ``statements`` alone, where SQLite's planner walks the ``placed_on`` index or the filters' indexes (joined
    with ``articles``, it would scan the smaller table first and sort every match), then the records by id."""
    query = sa.select(s.c.id).where(*conditions).order_by(*newest_first()).limit(limit)
    return records_by_id(conn, list(conn.execute(query).scalars()))


def select_records() -> sa.Select[Any]:
    """Statement rows joined with their article's public fields; add ``where``/``order_by``/``limit``."""
    return sa.select(s, a.c.url.label("article_url"), a.c.title.label("article_title"),
                     a.c.outlet.label("article_outlet"), a.c.published.label("article_published")
                     ).join(a, a.c.id == s.c.article_id)


def fetch_records(conn: sa.Connection, query: sa.Select[Any]) -> list[dict[str, Any]]:
    """Run a :func:`select_records` query and build one public record per row, with relays and about."""
    rows = [row._mapping for row in conn.execute(query)]
    ids = [row["id"] for row in rows]
    relays = _relays(conn, ids)
    about = _about(conn, ids)
    return [to_record(row, relays.get(row["id"], []), about.get(row["id"], [])) for row in rows]


def records_by_id(conn: sa.Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Public records of the statements with these ids, in the order of ``ids`` (unknown ids are left out)."""
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(list(dict.fromkeys(ids))):
        found.update((r["id"], r) for r in fetch_records(conn, select_records().where(s.c.id.in_(chunk))))
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def _relays(conn: sa.Connection, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    r, o = schema.relays, schema.outlets
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for chunk in _chunks(ids):
        query = (sa.select(r.c.statement_id, r.c.outlet, r.c.cue, o.c.profile)
                 .join(o, o.c.name == r.c.outlet, isouter=True)
                 .where(r.c.statement_id.in_(chunk)).order_by(r.c.statement_id, r.c.position))
        for sid, outlet, cue, profile in conn.execute(query):
            found[sid].append({"outlet": outlet, "profile": json.loads(profile) if profile else [], "cue": cue})
    return found


def _about(conn: sa.Connection, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    sa_, e = schema.statement_about, schema.entities
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for chunk in _chunks(ids):
        query = (sa.select(sa_.c.statement_id, e.c.name, e.c.kind).join(e, e.c.id == sa_.c.entity_id)
                 .where(sa_.c.statement_id.in_(chunk)).order_by(sa_.c.statement_id, sa_.c.position))
        for sid, name, kind in conn.execute(query):
            found[sid].append({"name": name, "kind": kind})
    return found


def to_record(row: Any, relays: list[dict[str, Any]], about: list[dict[str, Any]]) -> dict[str, Any]:
    """One row of :func:`select_records` as the public statement record (``records.statement_record``)."""
    return {
        "id": row["id"],
        "article": {"id": row["article_id"], "url": row["article_url"], "title": row["article_title"],
                    "outlet": row["article_outlet"], "published": iso(row["article_published"])},
        "speaker": {"name": row["speaker_name"], "kind": row["speaker_kind"], "mention": row["speaker_mention"],
                    "role": row["speaker_role"]},
        "addressee": ({"name": row["addressee_name"], "kind": row["addressee_kind"]}
                      if row["addressee_name"] is not None else None),
        "cue": row["cue"],
        "mode": row["mode"],
        "kind": row["kind"],
        "content": row["content"],
        "said_on": ({"start": iso(row["said_on_start"]), "end": iso(row["said_on_end"]),
                     "text": row["said_on_text"], "granularity": row["said_on_granularity"]}
                    if row["said_on_start"] is not None else None),
        "setting": row["setting"],
        "relays": relays,
        "about": about,
        "expectation": ({"what": row["expectation_what"],
                         "due": {"start": iso(row["expectation_start"]), "end": iso(row["expectation_end"])}}
                        if row["expectation_what"] is not None else None),
        "section": row["section"],
        "span": [row["span_start"], row["span_end"]],
    }


def iso(value: date | str | None) -> str | None:
    """A DATE column as an ISO string (drivers return ``date``; a view or raw SQL on SQLite may give a string)."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]
