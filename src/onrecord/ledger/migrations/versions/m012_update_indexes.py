"""m012_update_indexes: indexes that keep the incremental resolve steps independent of ledger size.

Revision ID: m012_update_indexes
Revises: m011_speaker_listing, m002_article_mentions
Create Date: 2026-11-29

Found with ``scripts/bench_incremental.py`` (one article added to a ledger of 100k articles), per-step query
timings and ``EXPLAIN QUERY PLAN``:

- ``ix_article_mentions_entity_id_article_id`` on ``article_mentions (entity_id, article_id)``: whether two
  entities share an article (``resolve.entities.shared_articles``, the acronym and short-name rules) and an
  entity's latest articles (``co_mentioned_actors``). With only ``ix_article_mentions_entity_id`` (rowid order)
  SQLite intersected every article of both entities — for "Ukrainian" 110k articles, 0.4–2.4 s for one new name.
  The two-column index hands an entity's articles over in id order, each checked against the other entity by key,
  stopping at the limit.
- ``ix_statements_denials_placed_on``, a partial index on ``statements (placed_on)`` holding only denials
  (``kind = 'denial'`` or a deny/refute/reject/dismiss cue, about one statement in a hundred): the disputes step
  reads the denials near a new claim from it. Through ``ix_statements_placed_on_id`` it read every statement of
  the window (hundreds of thousands when an article's claims span months). Partial, so no other query's plan
  changes; the step's query repeats the index's condition word for word (``resolve.disputes.DENIAL_SQL``), which
  is what lets SQLite and PostgreSQL use it.
- ``ix_statements_id_placed_on`` on ``statements (id, placed_on)``: the dates of the statements about an actor,
  from the index alone (the expectations step's later statements, ``resolve.expectations._later_ids``). Through
  the primary key each one read its table row, where ``placed_on`` lies past the content (overflow pages): 130–
  280 ms for the 15k statements about "Russians" on the 100k-article ledger, 40 ms from this index.

It merges the head that made ``article_mentions`` (``m002_article_mentions``) with ``m011_speaker_listing`` (the
newest index on ``statements``), so that it runs after both, as m008 does. Append-only: once released, never
edited.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m012_update_indexes"
down_revision: str | Sequence[str] | None = ("m011_speaker_listing", "m002_article_mentions")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MENTIONS = "ix_article_mentions_entity_id_article_id"
DENIALS = "ix_statements_denials_placed_on"
DATES = "ix_statements_id_placed_on"
#: The same text as ``resolve.disputes.DENIAL_SQL`` (a migration does not import the code it serves).
DENIAL_SQL = "kind = 'denial' OR cue IN ('deny', 'dismiss', 'refute', 'reject')"


def upgrade() -> None:
    op.create_index(MENTIONS, "article_mentions", ["entity_id", "article_id"])
    op.create_index(DENIALS, "statements", ["placed_on"], sqlite_where=sa.text(DENIAL_SQL),
                    postgresql_where=sa.text(DENIAL_SQL))
    op.create_index(DATES, "statements", ["id", "placed_on"])


def downgrade() -> None:
    op.drop_index(DATES, table_name="statements")
    op.drop_index(DENIALS, table_name="statements")
    op.drop_index(MENTIONS, table_name="article_mentions")
