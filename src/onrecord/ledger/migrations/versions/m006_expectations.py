"""m006_expectations: forward-looking statements tracked to their deadline, and the evidence that settles them.

Revision ID: m006_expectations
Revises: m001_initial
Create Date: 2026-11-29

``expectations`` holds one row per statement that sets a due window (``statements.expectation_*``), with the date it
was stated, so that listings by due date and evidence look-ups by date use indexes. ``expectation_evidence`` links an
expectation to a later statement that reports it fulfilled, unfulfilled or withdrawn, with the rule, the score and a
one-line reason. The open / due soon / overdue statuses depend on the day asked and are never stored.

A separate branch off ``m001_initial`` (the ledger upgrades to "heads"). Append-only: once released, never edited.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m006_expectations"
down_revision: str | Sequence[str] | None = "m001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(column: str, target: str, name: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [target], name=name, ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "expectations",
        sa.Column("id", sa.Text, nullable=False, comment="hash_id('expectation', statement_id)"),
        sa.Column("statement_id", sa.Text, nullable=False),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("what", sa.Text, nullable=False),
        sa.Column("due_start", sa.Date, nullable=False),
        sa.Column("due_end", sa.Date, nullable=False),
        sa.Column("due_text", sa.Text),
        sa.Column("granularity", sa.Text),
        sa.Column("stated_on", sa.Date, comment="said_on start, else the article's publication date"),
        sa.Column("rule", sa.Text, nullable=False, comment="rule-set version that made the statement an expectation"),
        sa.PrimaryKeyConstraint("id", name="pk_expectations"),
        sa.UniqueConstraint("statement_id", name="uq_expectations_statement_id"),
        _fk("statement_id", "statements.id", "fk_expectations_statement_id_statements"),
        _fk("article_id", "articles.id", "fk_expectations_article_id_articles"),
    )
    for column in ("article_id", "due_start", "due_end", "stated_on"):
        op.create_index(f"ix_expectations_{column}", "expectations", [column])
    op.create_table(
        "expectation_evidence",
        sa.Column("expectation_id", sa.Text, nullable=False),
        sa.Column("statement_id", sa.Text, nullable=False),
        sa.Column("verdict", sa.Text, nullable=False),
        sa.Column("evidence_on", sa.Date, comment="said_on start, else the article's publication date"),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("expectation_id", "statement_id", name="pk_expectation_evidence"),
        sa.CheckConstraint("verdict IN ('fulfilled', 'unfulfilled', 'withdrawn')",
                           name="ck_expectation_evidence_verdict"),
        _fk("expectation_id", "expectations.id", "fk_expectation_evidence_expectation_id_expectations"),
        _fk("statement_id", "statements.id", "fk_expectation_evidence_statement_id_statements"),
    )
    op.create_index("ix_expectation_evidence_statement_id", "expectation_evidence", ["statement_id"])


def downgrade() -> None:
    op.drop_index("ix_expectation_evidence_statement_id", table_name="expectation_evidence")
    op.drop_table("expectation_evidence")
    for column in ("article_id", "due_start", "due_end", "stated_on"):
        op.drop_index(f"ix_expectations_{column}", table_name="expectations")
    op.drop_table("expectations")
