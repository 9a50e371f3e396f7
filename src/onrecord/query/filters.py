"""The statement filters shared by ``query.statements`` (CLI), the API and the web search, as SQL conditions.

One meaning everywhere (see ``query.statements``): ``speaker``, ``about``, ``outlet`` and ``relayed_by`` are
case-insensitive substrings; ``kind`` is exact; ``since``/``until`` keep statements whose ``said_on`` range (else
their article's publication date) overlaps the range; ``search`` is full-text (``query.fulltext``).

A speaker is found through the entity tables, not by scanning statements: every named speaker's name and the
mentions it is written as are aliases of its entity (``ledger.writes``), so "the statements whose speaker name or
mention contains X" are those whose ``speaker_entity_id`` is among the entities with a name or alias containing X
(a few thousand short rows, scanned once per request), which the index on ``speaker_entity_id`` then serves.
Statements with no speaker name (anonymous or unresolved sources) have no entity and are matched on their mention.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from ..ledger import schema
from .fulltext import search_condition

s, a = schema.statements, schema.articles

#: The date a statement is placed on: when it was said, else its article's publication date (stored and indexed
#: as ``statements.placed_on``, migration m007); its end: when the saying ended, else the publication date (a
#: statement has both said_on ends or neither, so ``placed_on`` is the publication date exactly when it is needed).
#: Neither names the ``articles`` table: listings read statement ids from ``statements`` alone (``lookup.newest``).
WHEN_START = s.c.placed_on
WHEN_END = sa.func.coalesce(s.c.said_on_end, s.c.placed_on)


@dataclass(frozen=True, slots=True)
class StatementFilters:
    """The filters of ``query.statements`` (same meaning, see its docstring), as one value the CLI, the API and
    the exports pass around."""

    speaker: str | None = None
    about: str | None = None
    outlet: str | None = None
    relayed_by: str | None = None
    kind: str | None = None
    since: date | None = None
    until: date | None = None
    search: str | None = None
    article_id: str | None = None


def contains(column: sa.ColumnElement[Any], needle: str) -> sa.ColumnElement[bool]:
    """``column`` contains ``needle``, ignoring case (LIKE with ``%``/``_`` escaped)."""
    return sa.func.lower(column).contains(needle.lower(), autoescape=True)


def entities_named(needle: str) -> sa.Select[Any]:
    """Ids of entities whose name or an alias contains ``needle`` (case-insensitive)."""
    e, al = schema.entities, schema.aliases
    by_alias = sa.select(al.c.entity_id).where(contains(al.c.alias, needle))
    return sa.select(e.c.id).where(sa.or_(contains(e.c.name, needle), e.c.id.in_(by_alias)))


#: Above this many resolved keys a filter stays a subquery instead of a list of values.
MAX_KEYS = 2000


def _keys(conn: sa.Connection, query: sa.Select[Any]) -> list[Any] | None:
    """The values ``query`` selects, or None when there are more than ``MAX_KEYS`` of them."""
    found = list(dict.fromkeys(conn.execute(query.limit(MAX_KEYS + 1)).scalars()))
    return None if len(found) > MAX_KEYS else found


def _among(column: sa.ColumnElement[Any], conn: sa.Connection, keys: sa.Select[Any]) -> sa.ColumnElement[bool]:
    """``column IN (the keys)``: the keys read first and passed as values (the planner then sees an indexed
    lookup; a subquery with a LIKE inside makes SQLite scan whole tables), or kept as a subquery when too many."""
    found = _keys(conn, keys)
    if found == []:
        return sa.false()  # nothing matches: no scan at all (an empty IN still walks the listing index)
    return column.in_(keys) if found is None else column.in_(found)


def speaker_condition(conn: sa.Connection, needle: str) -> sa.ColumnElement[bool]:
    """Statements whose speaker's name, mention or entity alias contains ``needle`` (see the module docstring)."""
    anonymous = (sa.select(s.c.speaker_mention).where(s.c.speaker_name.is_(None), contains(s.c.speaker_mention, needle))
                 .distinct())
    named = _among(s.c.speaker_entity_id, conn, entities_named(needle))
    mentions = _keys(conn, anonymous)
    if mentions == []:  # no anonymous speaker matches: the entity index alone serves the listing, in its order
        return named
    return sa.or_(named, sa.and_(s.c.speaker_name.is_(None),
                                 s.c.speaker_mention.in_(anonymous if mentions is None else mentions)))


def statement_conditions(conn: sa.Connection, f: StatementFilters, *,
                         listing: bool = True) -> list[sa.ColumnElement[bool]]:
    """WHERE conditions on ``statements`` (naming no other table but in subqueries) for the filters.

    Substring filters are resolved first to the keys they match (entity ids, mentions, outlet names) with small
    queries, so that the listing itself is driven by indexes. ``listing``: the conditions serve a newest-first
    listing with a limit (``lookup.newest``), not a read of every match (see ``fulltext.search_condition``)."""
    conditions: list[sa.ColumnElement[bool]] = []
    if f.speaker:
        conditions.append(speaker_condition(conn, f.speaker))
    statement_id = _membership_key(conn.dialect.name, listing)
    if f.about:
        ab = schema.statement_about
        about = sa.select(ab.c.statement_id).where(_among(ab.c.entity_id, conn, entities_named(f.about)))
        conditions.append(statement_id.in_(about))
    if f.outlet:
        published_by = sa.select(a.c.id).where(_among(a.c.outlet, conn, _outlets_named(f.outlet)))
        conditions.append(s.c.article_id.in_(published_by))
    if f.relayed_by:
        r = schema.relays
        relayed = sa.select(r.c.statement_id).where(_among(r.c.outlet, conn, _outlets_named(f.relayed_by)))
        conditions.append(statement_id.in_(relayed))
    if f.kind:
        conditions.append(s.c.kind == f.kind)
    if f.since is not None:
        conditions.append(WHEN_END >= f.since)
    if f.until is not None:
        conditions.append(WHEN_START <= f.until)
    if f.search and (found := search_condition(conn.dialect.name, f.search, listing=listing)) is not None:
        conditions.append(found)
    if f.article_id:
        conditions.append(s.c.article_id == f.article_id)
    return conditions


def _membership_key(dialect: str, listing: bool) -> sa.ColumnElement[Any]:
    """The statement id to test "is among these statements" with. For a SQLite listing, ``+statements.id``: the
    unary plus keeps the planner off the primary key (a look-up and a sort of every member, 20,000 for "about
    Ukraine") so that it walks the ``placed_on`` index and stops at the page size (``fulltext`` does the same)."""
    if dialect == "sqlite" and listing:
        return sa.sql.expression.UnaryExpression(s.c.id, operator=sa.sql.operators.custom_op("+"))
    return s.c.id


def _outlets_named(needle: str) -> sa.Select[Any]:
    o = schema.outlets
    return sa.select(o.c.name).where(contains(o.c.name, needle))
