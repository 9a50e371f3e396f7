"""m013_story_members: what the storyline clusterer v3 keeps of each member for its split check.

Revision ID: m013_story_members
Revises: m009_story_features
Create Date: 2026-11-29

Two columns on ``story_articles`` (rule ``onrecord.stories.v3``, ``resolve/cluster.py``) and one index:

- ``seq``: the article's arrival number among placed articles (the running count of ``story_terms``), so that the
  check reads a story's latest members;
- ``member``: JSON of ``resolve.cluster.Member``: the unit vectors the article joined with (its 100 heaviest terms,
  its participant keys), its actors, stated years, event year, publication date and index keys — what a split
  needs to score members against each other and to move them to a new story without re-reading their articles;
- ``ix_story_articles_story_id_seq`` on ``(story_id, seq)``: a story's latest members from the index.

Rows written before this revision have neither (``NULL``): the check reads only members that have them, so a story
placed by v2 is checked once it has enough new members, or after ``onrecord stories --rebuild``. Plain ``ADD
COLUMN`` and ``CREATE INDEX``, no batch copy. It revises ``m009_story_features``, the stories branch. Append-only:
once released, never edited.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m013_story_members"
down_revision: str | Sequence[str] | None = "m009_story_features"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_story_articles_story_id_seq"


def upgrade() -> None:
    op.add_column("story_articles", sa.Column("seq", sa.Integer, comment="arrival number (migration m013_story_members)"))
    op.add_column("story_articles", sa.Column(
        "member", sa.Text, comment="JSON resolve.cluster.Member, for the split check (migration m013_story_members)"))
    op.create_index(INDEX, "story_articles", ["story_id", "seq"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="story_articles")
    op.drop_column("story_articles", "member")
    op.drop_column("story_articles", "seq")
