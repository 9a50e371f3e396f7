"""m004_stories: storylines grown online, their members with the evidence, and the clusterer's running state.

Revision ID: m004_stories
Revises: m001_initial
Create Date: 2026-11-29

``stories`` (one row per storyline, with its running centroid, actor and year counts as JSON),
``story_articles`` (which story each article joined, by which rule, with the score and the evidence),
``story_keys`` (the inverted index: term or actor key → stories, for candidate lookup) and ``story_terms``
(running document frequencies of terms and actor keys: the online IDF). Written by ``resolve.stories.update``.
Append-only: once released, never edited.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m004_stories"
down_revision: str | Sequence[str] | None = "m001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Text, nullable=False, comment="hash_id('story', first article id)"),
        sa.Column("title", sa.Text, nullable=False, comment="title of the article that opened it"),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("first_published", sa.Date),
        sa.Column("last_published", sa.Date),
        sa.Column("centroid", sa.Text, nullable=False, comment="JSON {term: weight}, top terms"),
        sa.Column("actors", sa.Text, nullable=False, comment="JSON {actor: count}"),
        sa.Column("years", sa.Text, nullable=False, comment="JSON {year: count}, years the members state"),
        sa.Column("rule", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
        comment="storylines (migration m004_stories)",
    )
    op.create_table(
        "story_articles",
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("story_id", sa.Text, nullable=False),
        sa.Column("opened", sa.Boolean, nullable=False, comment="true when this article opened the story"),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False, comment="JSON: score parts, shared actors/terms/years"),
        sa.PrimaryKeyConstraint("article_id", name="pk_story_articles"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name="fk_story_articles_article_id_articles",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], name="fk_story_articles_story_id_stories",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_story_articles_story_id", "story_articles", ["story_id"])
    op.create_table(
        "story_keys",
        sa.Column("key", sa.Text, nullable=False, comment="a term, or @actor"),
        sa.Column("story_id", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("key", "story_id", name="pk_story_keys"),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], name="fk_story_keys_story_id_stories",
                                ondelete="CASCADE"),
    )
    op.create_table(
        "story_terms",
        sa.Column("key", sa.Text, nullable=False, comment="a term, or @actor"),
        sa.Column("df", sa.Integer, nullable=False, comment="articles containing it so far"),
        sa.PrimaryKeyConstraint("key", name="pk_story_terms"),
    )


def downgrade() -> None:
    op.drop_table("story_terms")
    op.drop_table("story_keys")
    op.drop_index("ix_story_articles_story_id", table_name="story_articles")
    op.drop_table("story_articles")
    op.drop_table("stories")
