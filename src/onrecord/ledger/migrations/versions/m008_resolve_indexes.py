"""m008_resolve_indexes: indexes the incremental resolve steps need on a large ledger.

Revision ID: m008_resolve_indexes
Revises: m005_disputes, m006_expectations
Create Date: 2026-11-29

Found with ``scripts/bench_incremental.py`` (one article added to a ledger of 100k articles) and ``EXPLAIN QUERY
PLAN``:

- ``ix_statement_slots_statement_id_slot`` on ``statement_slots (statement_id, slot)``: the disputes step reads the
  statements of a date window that have a value for a slot (``EXISTS … WHERE statement_id = ? AND slot = ?``).
  With only the primary key ``(statement_id, position)`` and ``ix_statement_slots_slot``, SQLite chose the slot
  index and read every value of that slot in the ledger for each statement of the window.
- ``ix_statement_about_entity_id_statement_id`` on ``statement_about (entity_id, statement_id)``: the statements
  about an actor's entities read from the index alone (the expectations step, when an actor has few statements),
  and whether one statement is about one of them, row by row while the date index is read in order (when it has
  many). With only ``ix_statement_about_entity_id``, each hit also read the table row, and for a single entity id
  SQLite answered the row-by-row check by reading every statement about that entity.
- ``ix_expectations_stated_on_id`` on ``expectations (stated_on, id)``: earlier expectations newest first, in
  index order, stopping at the candidate limit instead of sorting.

It merges the two branches whose tables it indexes (``m005_disputes``, ``m006_expectations``), so it runs after
both; the ledger upgrades to "heads". (Declared as a branch off ``m001_initial`` with ``depends_on`` on both, Alembic
could not order the upgrade of an existing ledger.) Append-only: once released, never edited.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "m008_resolve_indexes"
down_revision: str | Sequence[str] | None = ("m005_disputes", "m006_expectations")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_statement_slots_statement_id_slot": ("statement_slots", ["statement_id", "slot"]),
    "ix_statement_about_entity_id_statement_id": ("statement_about", ["entity_id", "statement_id"]),
    "ix_expectations_stated_on_id": ("expectations", ["stated_on", "id"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
