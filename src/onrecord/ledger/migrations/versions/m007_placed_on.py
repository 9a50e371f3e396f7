"""m007_placed_on: the date each statement is placed on, stored and indexed for newest-first listings.

Revision ID: m007_placed_on
Revises: m001_initial
Create Date: 2026-11-29

Listings (CLI, API pages and cursors, web search) order statements newest first by the date they were said, else
their article's publication date. Computed across the join with ``articles``, that order could not use an index, so
every listing sorted all its matches (hundreds of milliseconds at 100k statements). ``statements.placed_on`` holds
``coalesce(said_on_start, articles.published)``, written with the statement; rows stored before this revision are
filled here. Index ``(placed_on DESC, id)``: SQLite puts NULLs last in a descending scan, PostgreSQL needs
``NULLS LAST`` spelled out to serve ``ORDER BY placed_on DESC NULLS LAST, id``.

The speaker filter finds named speakers through their entity (index on ``speaker_entity_id``) and anonymous ones
by their mention; ``ix_statements_speaker_name_mention`` (speaker_name, speaker_mention) lets the second read an
index instead of the wide statement rows, and replaces the single-column ``ix_statements_speaker_name``.

A separate branch off ``m001_initial`` (the ledger upgrades to "heads"). Append-only: once released, never edited.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m007_placed_on"
down_revision: str | Sequence[str] | None = "m001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_statements_placed_on_id"
SPEAKER_INDEX = "ix_statements_speaker_name_mention"


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy on SQLite: that would drop the FTS triggers of the table).
    op.add_column("statements", sa.Column(
        "placed_on", sa.Date,
        comment="said_on start, else the article's publication date: the key of newest-first listings"))
    op.execute("UPDATE statements SET placed_on = coalesce(said_on_start, "
               "(SELECT published FROM articles WHERE articles.id = statements.article_id))")
    if op.get_context().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX {INDEX} ON statements (placed_on DESC NULLS LAST, id)")
    else:
        op.execute(f"CREATE INDEX {INDEX} ON statements (placed_on DESC, id)")
    op.create_index(SPEAKER_INDEX, "statements", ["speaker_name", "speaker_mention"])
    op.drop_index("ix_statements_speaker_name", table_name="statements")


def downgrade() -> None:
    op.create_index("ix_statements_speaker_name", "statements", ["speaker_name"])
    op.drop_index(SPEAKER_INDEX, table_name="statements")
    op.drop_index(INDEX, table_name="statements")
    op.execute("ALTER TABLE statements DROP COLUMN placed_on")  # SQLite >= 3.35 and PostgreSQL
