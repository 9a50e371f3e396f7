"""m010_expectation_actors: every entity id of an expectation with the day it was stated, indexed by (entity, date).

Revision ID: m010_expectation_actors
Revises: m008_resolve_indexes
Create Date: 2026-11-29

The expectations step (``resolve/expectations.py``) wants, for each new statement, the 1000 newest earlier
expectations that share an actor with it: expectations whose statement's speaker, or an entity the statement is
about, is one of the actor's entity ids. Nothing stored an actor's expectations by date, so an actor with many
statements cost either all of its statements (sorted) or a walk of the date index until 1000 of its expectations
turned up — about √(1000 × statements) rows, growing with the ledger (``scripts/bench_incremental.py``, issue 4).

``expectation_actors (expectation_id, entity_id, stated_on)`` holds one row per expectation and entity id (the
speaker entity of its statement and the entities of ``statement_about``), with ``expectations.stated_on``;
``ix_expectation_actors_entity_id_stated_on_expectation_id`` on ``(entity_id, stated_on DESC, expectation_id
DESC)`` gives one entity's expectations newest first, in the order the step takes them, stopping at the limit.
Rows go with their expectation or entity (``ON DELETE CASCADE``). Existing expectations are backfilled here in SQL;
new ones are written by ``resolve.expectations.register``.

It revises ``m008_resolve_indexes``, the head that holds the ``expectations`` table (m008 merges ``m005_disputes``
and ``m006_expectations``). Append-only: once released, never edited.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m010_expectation_actors"
down_revision: str | Sequence[str] | None = "m008_resolve_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_expectation_actors_entity_id_stated_on_expectation_id"
BACKFILL = """
INSERT INTO expectation_actors (expectation_id, entity_id, stated_on)
SELECT e.id, s.speaker_entity_id, e.stated_on
  FROM expectations e JOIN statements s ON s.id = e.statement_id
 WHERE s.speaker_entity_id IS NOT NULL
UNION
SELECT e.id, a.entity_id, e.stated_on
  FROM expectations e JOIN statement_about a ON a.statement_id = e.statement_id
"""


def upgrade() -> None:
    op.create_table(
        "expectation_actors",
        sa.Column("expectation_id", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False,
                  comment="the speaker of the expectation's statement, or an entity it is about"),
        sa.Column("stated_on", sa.Date, comment="expectations.stated_on, copied for the index"),
        sa.PrimaryKeyConstraint("expectation_id", "entity_id", name="pk_expectation_actors"),
        sa.ForeignKeyConstraint(["expectation_id"], ["expectations.id"],
                                name="fk_expectation_actors_expectation_id_expectations", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name="fk_expectation_actors_entity_id_entities",
                                ondelete="CASCADE"),
        comment="entity ids of each expectation by date (migration m010_expectation_actors)",
    )
    op.create_index(INDEX, "expectation_actors",
                    ["entity_id", sa.text("stated_on DESC"), sa.text("expectation_id DESC")])
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="expectation_actors")
    op.drop_table("expectation_actors")
