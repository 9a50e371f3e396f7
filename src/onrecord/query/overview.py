"""Articles and counts out of the ledger, as plain dicts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..ledger import schema
from .lookup import fetch_records, iso, select_records

if TYPE_CHECKING:
    from ..ledger import Ledger

s, a = schema.statements, schema.articles
MIN_PREFIX = 6
TOP_SPEAKERS = 20


def article(ledger: Ledger, article_id: str) -> dict[str, Any] | None:
    """One article with its paragraphs, editorial notes and statements (in text order), or None.

    ``article_id`` is the full id or a prefix of at least 6 characters that only one stored article has.
    """
    with ledger.engine.connect() as conn:
        found = resolve_article_id(conn, article_id)
        if found is None:
            return None
        row = conn.execute(sa.select(a).where(a.c.id == found)).mappings().one()
        p, n = schema.paragraphs, schema.editorial_notes
        paragraphs = conn.execute(sa.select(p).where(p.c.article_id == found).order_by(p.c.position)).mappings()
        notes = conn.execute(sa.select(n).where(n.c.article_id == found).order_by(n.c.position)).mappings()
        query = select_records().where(s.c.article_id == found).order_by(s.c.span_start, s.c.span_end, s.c.id)
        return {
            "id": row["id"], "url": row["url"], "title": row["title"], "outlet": row["outlet"],
            "published": iso(row["published"]), "lang": row["lang"], "source": row["source"], "text": row["text"],
            "paragraphs": [{"start": x["span_start"], "end": x["span_end"], "section": x["section"],
                            "kind": x["kind"]} for x in paragraphs],
            "notes": [{"start": x["span_start"], "end": x["span_end"], "text": x["text"]} for x in notes],
            "statements": fetch_records(conn, query),
        }


def resolve_article_id(conn: sa.Connection, article_id: str) -> str | None:
    """The stored id equal to ``article_id``, or the only one starting with it (6+ characters); else None."""
    article_id = article_id.strip()
    if conn.execute(sa.select(a.c.id).where(a.c.id == article_id)).first() is not None:
        return article_id
    if len(article_id) < MIN_PREFIX:
        return None
    query = sa.select(a.c.id).where(a.c.id.startswith(article_id.lower(), autoescape=True)).limit(2)
    found = list(conn.execute(query).scalars())
    return found[0] if len(found) == 1 else None


def articles(ledger: Ledger, *, limit: int | None = 50) -> list[dict[str, Any]]:
    """Stored articles, newest published first (undated last, then by newest ingested): id, title, outlet,
    published and their number of statements."""
    count = sa.select(sa.func.count()).where(s.c.article_id == a.c.id).scalar_subquery()
    query = (sa.select(a.c.id, a.c.title, a.c.outlet, a.c.published, count.label("statements"))
             .order_by(sa.case((a.c.published.is_(None), 1), else_=0), a.c.published.desc(),
                       a.c.ingested_at.desc(), a.c.id)
             .limit(limit))
    with ledger.engine.connect() as conn:
        return [{"id": r.id, "title": r.title, "outlet": r.outlet, "published": iso(r.published),
                 "statements": r.statements} for r in conn.execute(query)]


def stats(ledger: Ledger) -> dict[str, Any]:
    """Counts: articles, statements, and (name, count...) tuples by outlet, speaker (top 20), kind and relay.

    ``by_outlet`` rows are (outlet, articles, statements); the others (name, statements). A name is None for
    articles without an outlet and statements whose speaker is unresolved. Largest counts first, then by name.
    """
    with ledger.engine.connect() as conn:
        total_articles = conn.execute(sa.select(sa.func.count()).select_from(a)).scalar_one()
        total_statements = conn.execute(sa.select(sa.func.count()).select_from(s)).scalar_one()
        n_articles, n_statements = sa.func.count(sa.distinct(a.c.id)), sa.func.count(s.c.id)
        by_outlet = (sa.select(a.c.outlet, n_articles, n_statements)
                     .join(s, s.c.article_id == a.c.id, isouter=True).group_by(a.c.outlet)
                     .order_by(n_articles.desc(), n_statements.desc(), *_names_last(a.c.outlet)))
        r = schema.relays
        return {
            "articles": total_articles,
            "statements": total_statements,
            "by_outlet": [tuple(row) for row in conn.execute(by_outlet)],
            "by_speaker": _counts(conn, s.c.speaker_name, sa.func.count(), TOP_SPEAKERS),
            "by_kind": _counts(conn, s.c.kind, sa.func.count()),
            "by_relay": _counts(conn, r.c.outlet, sa.func.count(sa.distinct(r.c.statement_id))),
        }


def _names_last(column: sa.ColumnElement[Any]) -> list[sa.ColumnElement[Any]]:
    return [sa.case((column.is_(None), 1), else_=0), column]


def _counts(conn: sa.Connection, column: sa.ColumnElement[Any], count: sa.ColumnElement[Any],
            limit: int | None = None) -> list[tuple[Any, ...]]:
    query = sa.select(column, count).group_by(column).order_by(count.desc(), *_names_last(column)).limit(limit)
    return [tuple(row) for row in conn.execute(query)]
