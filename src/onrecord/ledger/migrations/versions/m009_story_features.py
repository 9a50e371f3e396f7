"""m009_story_features: what the storyline clusterer v2 keeps per story beside its term centroid.

Revision ID: m009_story_features
Revises: m004_stories
Create Date: 2026-11-29

Two JSON columns on ``stories`` (rule ``onrecord.stories.v2``, ``resolve/cluster.py``):

- ``participants``: ``{participant key: weight}``, the sum of the members' unit vectors of participant keys (the last
  word of each named person, organisation or group, IDF-weighted when the member arrived), top 100 keys;
- ``event_years``: ``{year: members}``, how many members have that year as their latest stated year.

Rows written before this revision get ``{}`` (no participants, no event years: they score on text alone until
``onrecord stories --rebuild`` places every article again). A plain ``ADD COLUMN`` with a server default, no batch
copy. It revises ``m004_stories``, the table's own branch (declared as a branch off ``m001_initial`` with
``depends_on = m004_stories``, Alembic records only m009 in ``alembic_version`` while m004 stays a head of the
scripts, as ``m008_resolve_indexes`` found). Append-only: once released, never edited.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m009_story_features"
down_revision: str | Sequence[str] | None = "m004_stories"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "participants": "JSON {participant key: weight}, sum of member unit vectors (migration m009_story_features)",
    "event_years": "JSON {year: members}, each member's latest stated year (migration m009_story_features)",
}


def upgrade() -> None:
    for name, comment in COLUMNS.items():
        op.add_column("stories", sa.Column(name, sa.Text, nullable=False, server_default="{}", comment=comment))


def downgrade() -> None:
    for name in reversed(COLUMNS):
        op.drop_column("stories", name)
