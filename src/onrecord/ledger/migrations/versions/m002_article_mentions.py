"""m002_article_mentions: every named entity of an article's text, with its span.

Revision ID: m002_article_mentions
Revises: m001_initial
Create Date: 2026-11-29

The across-article parts (storylines, entity resolution, background) read an article's whole cast, not only the
entities of its statements. Articles stored before this revision have no rows here; re-ingesting them does not
add any (an article is stored once), which ``onrecord`` reports as a limit of older ledgers.
Append-only: once released, never edited.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m002_article_mentions"
down_revision: str | Sequence[str] | None = "m001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article_mentions",
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False, comment="text order within the article"),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False, comment="the mention as written"),
        sa.PrimaryKeyConstraint("article_id", "position", name="pk_article_mentions"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name="fk_article_mentions_article_id_articles",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], name="fk_article_mentions_entity_id_entities",
                                ondelete="CASCADE"),
        comment="every named entity of an article's text (migration m002_article_mentions)",
    )
    op.create_index("ix_article_mentions_entity_id", "article_mentions", ["entity_id"])


def downgrade() -> None:
    op.drop_index("ix_article_mentions_entity_id", table_name="article_mentions")
    op.drop_table("article_mentions")
