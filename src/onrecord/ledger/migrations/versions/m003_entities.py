"""m003_entities: cross-article entity resolution — actors, the names that point to them, and why.

Revision ID: m003_entities
Revises: m001_initial
Create Date: 2026-11-29

``entities`` keeps one row per distinct (surface name, kind); ``actors`` are the real-world actors those names
belong to. ``actor_names`` maps an entity to its actor with the rule, the score and the evidence (JSON: the name
or alias matched, the entity and article ids) that linked them; an entity without a row is its own actor
(``coalesce(actor_names.actor_id, entities.id)``). ``entity_keys`` holds the blocking keys (normal form,
transliteration fold, surname, acronym …) that find candidates for a new entity with an index instead of a scan.
``descriptor_links`` resolve a statement whose speaker is only described ("the Russian president") to an actor
through a dated gazetteer role held on the statement's date. ``entity_corrections`` are a user's merges and
splits, by entity id (no foreign key: they outlive re-ingests), re-applied after every update.

A separate branch off ``m001_initial`` (the ledger upgrades to "heads"). Append-only: once released, never edited.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m003_entities"
down_revision: str | Sequence[str] | None = "m001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(column: str, target: str, name: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [target], name=name, ondelete="CASCADE")


def _create_actors() -> None:
    op.create_table(
        "actors",
        sa.Column("id", sa.Text, nullable=False, comment="gazetteer: hash_id('actor', entry name); else an entity id"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False, comment="gazetteer | ledger"),
        sa.PrimaryKeyConstraint("id", name="pk_actors"),
        sa.CheckConstraint("source IN ('gazetteer', 'ledger')", name="ck_actors_source"),
        comment="one real-world actor under all its names (migration m003_entities)",
    )
    op.create_index("ix_actors_name", "actors", ["name"])
    op.create_table(
        "actor_names",
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("actor_id", sa.Text, nullable=False),
        sa.Column("rule", sa.Text, nullable=False, comment="the rule that linked the entity to the actor"),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False, comment="JSON: what matched, entity and article ids"),
        sa.Column("resolver", sa.Text, nullable=False, comment="rule-set version, onrecord.entities.v1"),
        sa.PrimaryKeyConstraint("entity_id", name="pk_actor_names"),
        _fk("entity_id", "entities.id", "fk_actor_names_entity_id_entities"),
        _fk("actor_id", "actors.id", "fk_actor_names_actor_id_actors"),
    )
    op.create_index("ix_actor_names_actor_id", "actor_names", ["actor_id"])


def _create_links() -> None:
    op.create_table(
        "entity_keys",
        sa.Column("key", sa.Text, nullable=False, comment="prefix:value, see onrecord.resolve.names"),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("key", "entity_id", name="pk_entity_keys"),
        _fk("entity_id", "entities.id", "fk_entity_keys_entity_id_entities"),
    )
    op.create_index("ix_entity_keys_entity_id", "entity_keys", ["entity_id"])
    op.create_table(
        "descriptor_links",
        sa.Column("statement_id", sa.Text, nullable=False),
        sa.Column("actor_id", sa.Text, nullable=False),
        sa.Column("descriptor", sa.Text, nullable=False, comment="the speaker as described in the text"),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False, comment="JSON: the dated role and the date it was held on"),
        sa.PrimaryKeyConstraint("statement_id", name="pk_descriptor_links"),
        _fk("statement_id", "statements.id", "fk_descriptor_links_statement_id_statements"),
        _fk("actor_id", "actors.id", "fk_descriptor_links_actor_id_actors"),
    )
    op.create_index("ix_descriptor_links_actor_id", "descriptor_links", ["actor_id"])
    op.create_table(
        "entity_corrections",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("entity_a", sa.Text, nullable=False, comment="entity id (no foreign key: survives re-ingest)"),
        sa.Column("entity_b", sa.Text, nullable=False),
        sa.Column("name_a", sa.Text, nullable=False),
        sa.Column("name_b", sa.Text, nullable=False),
        sa.Column("made_at", sa.DateTime, nullable=False, comment="UTC"),
        sa.PrimaryKeyConstraint("id", name="pk_entity_corrections"),
        sa.CheckConstraint("action IN ('merge', 'split')", name="ck_entity_corrections_action"),
    )
    op.create_index("ix_entity_corrections_entity_a", "entity_corrections", ["entity_a"])
    op.create_index("ix_entity_corrections_entity_b", "entity_corrections", ["entity_b"])


def upgrade() -> None:
    _create_actors()
    _create_links()


def downgrade() -> None:
    for table in ("entity_corrections", "descriptor_links", "entity_keys", "actor_names", "actors"):
        op.drop_table(table)
