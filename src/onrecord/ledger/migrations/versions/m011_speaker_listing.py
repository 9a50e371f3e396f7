"""m011_speaker_listing: a speaker's statements newest first, read from one index.

Revision ID: m011_speaker_listing
Revises: m007_placed_on
Create Date: 2026-11-29

The speaker filter resolves a name to entity ids first (``query.filters``), then lists that entity's statements
newest first. With only ``ix_statements_speaker_entity_id`` SQLite read every statement of the speaker and sorted
them (4,440 rows for the busiest speaker of the serving benchmark, about 40 ms); the index
``(speaker_entity_id, placed_on DESC, id)`` hands them over in listing order and replaces the single-column one,
which is its prefix. ``DESC NULLS LAST`` on PostgreSQL, as in m007.

Append-only: once released, never edited.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "m011_speaker_listing"
down_revision: str | Sequence[str] | None = "m007_placed_on"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_statements_speaker_entity_id_placed_on"


def upgrade() -> None:
    nulls_last = " NULLS LAST" if op.get_context().dialect.name == "postgresql" else ""
    op.execute(f"CREATE INDEX {INDEX} ON statements (speaker_entity_id, placed_on DESC{nulls_last}, id)")
    op.drop_index("ix_statements_speaker_entity_id", table_name="statements")


def downgrade() -> None:
    op.create_index("ix_statements_speaker_entity_id", "statements", ["speaker_entity_id"])
    op.drop_index(INDEX, table_name="statements")
