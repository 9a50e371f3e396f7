"""m005_disputes: the same fact, different accounts — slot values of statements, disputes and their evidence.

Revision ID: m005_disputes
Revises: m001_initial
Create Date: 2026-11-29

``statement_slots`` holds the values read from a statement's content (which weapon, how many, ...), each with its
span into the article text and the rule that read it. ``disputes`` groups the statements whose values disagree (or
that deny one another) about one event and slot; ``dispute_accounts`` says which statement gave which value,
``dispute_links`` keeps every pair that was found to disagree with the rule and the shared-event evidence, and
``dispute_about`` lists the entities a dispute is about (for ``--entity``). A separate branch from m001_initial;
the ledger upgrades to "heads". Append-only: once released, never edited.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m005_disputes"
down_revision: str | Sequence[str] | None = "m001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(column: str, target: str, name: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [target], name=name, ondelete="CASCADE")


def _create_slots() -> None:
    op.create_table(
        "statement_slots",
        sa.Column("statement_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("slot", sa.Text, nullable=False, comment="weapon | count | casualties"),
        sa.Column("value", sa.Text, nullable=False, comment="the value as written"),
        sa.Column("norm", sa.Text, nullable=False, comment="normalised value compared across statements"),
        sa.Column("span_start", sa.Integer, comment="offset into the article text"),
        sa.Column("span_end", sa.Integer),
        sa.Column("rule", sa.Text, nullable=False, comment="the extractor (versioned) that read the value"),
        sa.PrimaryKeyConstraint("statement_id", "position", name="pk_statement_slots"),
        _fk("statement_id", "statements.id", "fk_statement_slots_statement_id_statements"),
    )
    op.create_index("ix_statement_slots_slot", "statement_slots", ["slot"])


def _create_disputes() -> None:
    op.create_table(
        "disputes",
        sa.Column("id", sa.Text, nullable=False, comment="hash_id('dispute', slot, first pair of statement ids)"),
        sa.Column("slot", sa.Text, nullable=False),
        sa.Column("rule", sa.Text, nullable=False, comment="the rule (versioned) that flagged the first pair"),
        sa.Column("reason", sa.Text, nullable=False, comment="why it was flagged: rule, slot, values, evidence"),
        sa.Column("first_on", sa.Date, comment="earliest date of its statements"),
        sa.Column("last_on", sa.Date, comment="latest date of its statements"),
        sa.PrimaryKeyConstraint("id", name="pk_disputes"),
    )
    op.create_index("ix_disputes_slot", "disputes", ["slot"])
    op.create_table(
        "dispute_accounts",
        sa.Column("dispute_id", sa.Text, nullable=False),
        sa.Column("statement_id", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False, comment="the account's value as written"),
        sa.Column("norm", sa.Text, nullable=False, comment="the normalised value accounts are grouped by"),
        sa.PrimaryKeyConstraint("dispute_id", "statement_id", name="pk_dispute_accounts"),
        _fk("dispute_id", "disputes.id", "fk_dispute_accounts_dispute_id_disputes"),
        _fk("statement_id", "statements.id", "fk_dispute_accounts_statement_id_statements"),
    )
    op.create_index("ix_dispute_accounts_statement_id", "dispute_accounts", ["statement_id"])


def _create_evidence() -> None:
    op.create_table(
        "dispute_links",
        sa.Column("dispute_id", sa.Text, nullable=False),
        sa.Column("statement_a", sa.Text, nullable=False),
        sa.Column("statement_b", sa.Text, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False, comment="JSON: shared entities, dates, places, story, terms"),
        sa.PrimaryKeyConstraint("dispute_id", "statement_a", "statement_b", name="pk_dispute_links"),
        _fk("dispute_id", "disputes.id", "fk_dispute_links_dispute_id_disputes"),
        _fk("statement_a", "statements.id", "fk_dispute_links_statement_a_statements"),
        _fk("statement_b", "statements.id", "fk_dispute_links_statement_b_statements"),
    )
    op.create_table(
        "dispute_about",
        sa.Column("dispute_id", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("dispute_id", "entity_id", name="pk_dispute_about"),
        _fk("dispute_id", "disputes.id", "fk_dispute_about_dispute_id_disputes"),
        _fk("entity_id", "entities.id", "fk_dispute_about_entity_id_entities"),
    )
    op.create_index("ix_dispute_about_entity_id", "dispute_about", ["entity_id"])


def upgrade() -> None:
    _create_slots()
    _create_disputes()
    _create_evidence()


def downgrade() -> None:
    for table in ("dispute_about", "dispute_links", "dispute_accounts", "disputes", "statement_slots"):
        op.drop_table(table)
