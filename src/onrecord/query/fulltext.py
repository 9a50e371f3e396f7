"""Full-text search over statements: the one place in ``onrecord.query`` that knows about a dialect.

SQLite: the FTS5 table ``statements_fts(content, speaker_name, statement_id)`` (built and kept in sync by the
migration), matched with the user's words each quoted as an FTS5 string, so any input is safe (``Putin's "missile``
searches for the words putin, s and missile). Every word must occur, in the content or the speaker's name.

Other dialects: the same words, each a case-insensitive substring (LIKE) of the content or the speaker's name.
PostgreSQL will get a tsvector column in a later migration; only :func:`search_condition` then changes.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from ..ledger import schema

_WORD = re.compile(r"\w", re.UNICODE)
_EDGE = re.compile(r"^\W+|\W+$", re.UNICODE)

statements_fts = sa.table("statements_fts", sa.column("statement_id"))


def words(text: str) -> list[str]:
    """The user's words: whitespace-separated chunks that hold at least one letter or digit."""
    return [chunk for chunk in text.split() if _WORD.search(chunk)]


def fts5_query(text: str) -> str | None:
    """An FTS5 MATCH expression in which every word is a quoted string (no operators, no syntax errors)."""
    quoted = ['"' + word.replace('"', '""') + '"' for word in words(text)]
    return " ".join(quoted) or None


def search_condition(dialect: str, text: str, *, listing: bool = False) -> sa.ColumnElement[bool] | None:
    """A WHERE condition on ``statements`` for a full-text search, or None when ``text`` has no words.

    ``listing``: the condition of a newest-first listing with a limit. SQLite then tests membership with
    ``+statements.id`` (the unary plus keeps the planner off the primary-key index), so that it walks the
    ``placed_on`` index, which also holds the id, and stops at the limit, instead of reading every match's row and
    sorting them all (thousands for a common word)."""
    if dialect == "sqlite":
        expression = fts5_query(text)
        if expression is None:
            return None
        matches = sa.select(statements_fts.c.statement_id).where(
            sa.literal_column("statements_fts").op("MATCH")(sa.bindparam("fts_query", expression)))
        column = schema.statements.c.id
        if listing:
            return sa.sql.expression.UnaryExpression(column, operator=sa.sql.operators.custom_op("+")).in_(matches)
        return column.in_(matches)
    return _like_condition(text)


def _like_condition(text: str) -> sa.ColumnElement[bool] | None:
    s = schema.statements
    terms = [_EDGE.sub("", word).lower() for word in words(text)]
    conditions = [
        sa.or_(sa.func.lower(s.c.content).contains(term, autoescape=True),
               sa.func.lower(s.c.speaker_name).contains(term, autoescape=True))
        for term in terms if term
    ]
    return sa.and_(*conditions) if conditions else None
