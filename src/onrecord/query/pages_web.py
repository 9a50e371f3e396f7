"""Read functions the web pages need beyond ``query.statements``/``query.article``: faceted search, statement
offsets inside an article, entity (speaker) and outlet pages, monthly counts for charts.

Everything returns plain dicts and lists built from ledger rows; statement records keep the public shape
(``query.fetch_records``). Filters mean what they mean in ``query.statements`` and the API (``pages_api``), so a
search on the web, in the CLI and over the API agree. Nothing here writes.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import sqlalchemy as sa

from ..ledger import schema
from .lookup import WHEN_START, iso, newest
from .pages_api import StatementFilters, statement_conditions, statements_page

s, a, r, o = schema.statements, schema.articles, schema.relays, schema.outlets
FACET_SIZE = 12
LATEST = 20
TOP = 15


def search(conn: sa.Connection, filters: StatementFilters, *, cursor: str | None = None,
           limit: int = 20) -> dict[str, Any]:
    """One page of statements matching ``filters`` (the meaning ``query.statements`` gives them; newest first,
    keyset pages from ``pages_api``), the total, and facet counts over every match.

    Facets: for speaker, outlet (publishing), relay (any outlet of the chain) and kind, the most frequent values
    among the matching statements with their counts, largest first; statements without a speaker name count
    under None.
    """
    where = statement_conditions(conn, filters, listing=False)
    records, next_cursor = statements_page(conn, filters, cursor=cursor, limit=limit)
    total, facets = _facets(conn, where) if where else _all_facets(conn)
    return {"records": records, "next": next_cursor, "total": total, "facets": facets}


def _facets(conn: sa.Connection, where: list[sa.ColumnElement[bool]]) -> tuple[int, dict[str, list[tuple[Any, int]]]]:
    """The total and the facets of the statements matching ``where``, in two queries: the matching rows (from
    ``statements``, on the filters' indexes, each with its article's outlet by primary key — a join would let
    SQLite scan the articles first) counted here, and the outlets of their relays."""
    outlet = sa.select(a.c.outlet).where(a.c.id == s.c.article_id).scalar_subquery()
    rows = conn.execute(sa.select(s.c.speaker_name, s.c.kind, outlet).where(*where)).all()
    relayed = sa.select(s.c.id).where(*where)
    relays = Counter({name: n for name, n in conn.execute(
        sa.select(r.c.outlet, sa.func.count(sa.distinct(r.c.statement_id))).where(r.c.statement_id.in_(relayed))
        .group_by(r.c.outlet))})
    facets = {"speaker": _top(Counter(row[0] for row in rows)), "outlet": _top(Counter(row[2] for row in rows)),
              "relay": _top(relays), "kind": _top(Counter(row[1] for row in rows))}
    return len(rows), facets


def _all_facets(conn: sa.Connection) -> tuple[int, dict[str, list[tuple[Any, int]]]]:
    """The total and the facets of the whole ledger, grouped in SQL (each on one table and its index)."""
    def grouped(query: sa.Select[Any]) -> Counter[Any]:
        return Counter({value: n for value, n in conn.execute(query)})

    per_article = grouped(sa.select(s.c.article_id, sa.func.count()).group_by(s.c.article_id))
    outlets: Counter[Any] = Counter()
    for chunk in _chunks(list(per_article)):
        for article_id, name in conn.execute(sa.select(a.c.id, a.c.outlet).where(a.c.id.in_(chunk))):
            outlets[name] += per_article[article_id]
    facets = {
        "speaker": _top(grouped(sa.select(s.c.speaker_name, sa.func.count()).group_by(s.c.speaker_name))),
        "outlet": _top(outlets),
        "relay": _top(grouped(sa.select(r.c.outlet, sa.func.count(sa.distinct(r.c.statement_id)))
                              .group_by(r.c.outlet))),
        "kind": _top(grouped(sa.select(s.c.kind, sa.func.count()).group_by(s.c.kind))),
    }
    return sum(per_article.values()), facets


def _top(counts: Counter[Any]) -> list[tuple[Any, int]]:
    """The ``FACET_SIZE`` most frequent values, largest first; ties by value, None last."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
    return ranked[:FACET_SIZE]


def _chunks(values: list[Any], size: int = 500) -> list[list[Any]]:
    return [values[i:i + size] for i in range(0, len(values), size)]


def facet_values(conn: sa.Connection) -> dict[str, list[str]]:
    """Every stored kind and outlet name, for the search form's drop-downs."""
    kinds = conn.execute(sa.select(s.c.kind).distinct().order_by(s.c.kind)).scalars()
    outlets = conn.execute(sa.select(o.c.name).order_by(o.c.name)).scalars()
    return {"kind": list(kinds), "outlet": list(outlets)}


def statement_offsets(conn: sa.Connection, article_id: str) -> dict[str, dict[str, Any]]:
    """For each statement of an article: its span, and the content, cue and speaker spans when stored
    (``[start, end]`` or None), and the speaker's entity id (None when unresolved)."""
    query = sa.select(s.c.id, s.c.span_start, s.c.span_end, s.c.content_start, s.c.content_end, s.c.cue_start,
                      s.c.cue_end, s.c.speaker_start, s.c.speaker_end, s.c.speaker_entity_id
                      ).where(s.c.article_id == article_id)
    found: dict[str, dict[str, Any]] = {}
    for row in conn.execute(query).mappings():
        found[row["id"]] = {
            "span": (row["span_start"], row["span_end"]),
            "content": _pair(row["content_start"], row["content_end"]),
            "cue": _pair(row["cue_start"], row["cue_end"]),
            "speaker": _pair(row["speaker_start"], row["speaker_end"]),
            "entity_id": row["speaker_entity_id"],
        }
    return found


def _pair(start: int | None, end: int | None) -> tuple[int, int] | None:
    return (start, end) if start is not None and end is not None and end > start else None


def entity_id_for_speaker(conn: sa.Connection, name: str) -> str | None:
    """The entity most statements with speaker name ``name`` point to (exact name); None when none does."""
    count = sa.func.count()
    query = (sa.select(s.c.speaker_entity_id).where(s.c.speaker_name == name, s.c.speaker_entity_id.is_not(None))
             .group_by(s.c.speaker_entity_id).order_by(count.desc(), s.c.speaker_entity_id).limit(1))
    found = conn.execute(query).scalar()
    if found is None:
        e = schema.entities
        found = conn.execute(sa.select(e.c.id).where(e.c.name == name).order_by(e.c.id).limit(1)).scalar()
    return found


def entity_page(conn: sa.Connection, entity_id: str, entity_ids: list[str] | None = None) -> dict[str, Any] | None:
    """An entity's page: name, kind, aliases, monthly statement counts, latest statements as speaker, the
    outlets that relay or publish them, and its latest statements *about* it; None for an unknown id.

    ``entity_ids`` widens the statements to several entities (the names of one resolved actor); default: this one.
    """
    e, al = schema.entities, schema.aliases
    row = conn.execute(sa.select(e).where(e.c.id == entity_id)).mappings().first()
    if row is None:
        return None
    ids = entity_ids or [entity_id]
    spoken = s.c.speaker_entity_id.in_(ids)
    aliases = conn.execute(sa.select(al.c.alias).where(al.c.entity_id.in_(ids)).distinct().order_by(al.c.alias))
    sa_ = schema.statement_about
    about = s.c.id.in_(sa.select(sa_.c.statement_id).where(sa_.c.entity_id.in_(ids)))
    return {
        "id": row["id"], "name": row["name"], "kind": row["kind"],
        "aliases": [x for x in aliases.scalars() if x != row["name"]],
        "total": conn.execute(sa.select(sa.func.count()).where(spoken)).scalar_one(),
        "monthly": monthly_counts(conn, spoken),
        "latest": newest(conn, spoken, limit=LATEST),
        "relayed_by": _relay_counts(conn, spoken),
        "published_by": _outlet_counts(conn, spoken),
        "about": newest(conn, about, limit=LATEST // 2),
    }


def monthly_counts(conn: sa.Connection, condition: sa.ColumnElement[bool]) -> list[dict[str, Any]]:
    """Statements matching ``condition`` per calendar month of their date (said_on start, else the article's
    publication date), every month from the first to the last (zero where none); undated ones are left out."""
    query = sa.select(WHEN_START).where(condition)
    months: Counter[str] = Counter()
    for (when,) in conn.execute(query):
        day = iso(when)
        if day:
            months[day[:7]] += 1
    if not months:
        return []
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:7])
    series = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        series.append({"month": key, "statements": months.get(key, 0)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return series


def _relay_counts(conn: sa.Connection, condition: sa.ColumnElement[bool]) -> list[tuple[str, int]]:
    count = sa.func.count(sa.distinct(r.c.statement_id))
    matching = sa.select(s.c.id).where(condition)
    query = (sa.select(r.c.outlet, count).where(r.c.statement_id.in_(matching))
             .group_by(r.c.outlet).order_by(count.desc(), r.c.outlet).limit(TOP))
    return [(name, n) for name, n in conn.execute(query)]


def _outlet_counts(conn: sa.Connection, condition: sa.ColumnElement[bool]) -> list[tuple[str | None, int]]:
    # The outlet by primary key per matching statement: joined, SQLite would scan the articles first.
    outlet = sa.select(a.c.outlet).where(a.c.id == s.c.article_id).scalar_subquery().label("outlet")
    count = sa.func.count(s.c.id)
    query = (sa.select(outlet, count).where(condition)
             .group_by(outlet).order_by(count.desc(), outlet).limit(TOP))
    return [(name, n) for name, n in conn.execute(query)]


def outlet_page(conn: sa.Connection, name: str) -> dict[str, Any] | None:
    """An outlet's page: profile tags, counts, the statements it relays (latest), whom it quotes (speakers of the
    statements it publishes and of those it relays), and monthly counts of relayed statements; None if unknown."""
    row = conn.execute(sa.select(o).where(o.c.name == name)).mappings().first()
    if row is None:
        return None
    relayed = s.c.id.in_(sa.select(r.c.statement_id).where(r.c.outlet == name))
    published = s.c.article_id.in_(sa.select(a.c.id).where(a.c.outlet == name))
    return {
        "name": row["name"], "country": row["country"], "kind": row["kind"],
        "profile": json.loads(row["profile"]) if row["profile"] else [],
        "articles": conn.execute(sa.select(sa.func.count()).where(a.c.outlet == name)).scalar_one(),
        "relayed_total": conn.execute(sa.select(sa.func.count()).where(relayed)).scalar_one(),
        "published_total": conn.execute(sa.select(sa.func.count()).where(published)).scalar_one(),
        "relayed": newest(conn, relayed, limit=LATEST),
        "quotes_in_relays": _speaker_counts(conn, relayed),
        "quotes_in_articles": _speaker_counts(conn, published),
        "monthly": monthly_counts(conn, sa.or_(relayed, published)),
    }


def _speaker_counts(conn: sa.Connection, condition: sa.ColumnElement[bool]) -> list[tuple[str, int]]:
    count = sa.func.count()
    query = (sa.select(s.c.speaker_name, count).where(condition, s.c.speaker_name.is_not(None))
             .group_by(s.c.speaker_name).order_by(count.desc(), s.c.speaker_name).limit(TOP))
    return [(name, n) for name, n in conn.execute(query)]
