"""m001_initial: articles, statements, entities, outlets and their links; statement_view; FTS5 on SQLite.

Revision ID: m001_initial
Revises:
Create Date: 2025-01-01

Append-only: once released, a migration is never edited; change the schema with a new revision.
The tables are spelled out here rather than imported from ``onrecord.ledger.schema``, so that this revision keeps
building the same database when the schema module moves on.

Full-text search (SQLite only): ``statements_fts(content, speaker_name, statement_id UNINDEXED)`` and
``articles_fts(title, text, article_id UNINDEXED)`` are FTS5 tables kept in sync by triggers on ``statements`` and
``articles``, so every writer (onrecord, Datasette, a script) and every cascade keeps them right. Inserts are
cheap; a delete scans the FTS table for the id (deletes are rare in an append-only ledger). Other dialects get no
FTS objects here (PostgreSQL will get a tsvector column in a later revision).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "m001_initial"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(column: str, target: str, name: str, ondelete: str | None = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [target], name=name, ondelete=ondelete)


def _span(prefix: str, nullable: bool = False) -> list[sa.Column]:
    return [sa.Column(f"{prefix}_start", sa.Integer, nullable=nullable),
            sa.Column(f"{prefix}_end", sa.Integer, nullable=nullable)]


def _create_sources() -> None:
    op.create_table(
        "outlets",
        sa.Column("id", sa.Text, nullable=False, comment="hash_id('outlet', name)"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country", sa.Text),
        sa.Column("kind", sa.Text),
        sa.Column("profile", sa.Text, nullable=False, server_default="[]", comment="JSON list of profile tags"),
        sa.PrimaryKeyConstraint("id", name="pk_outlets"),
        sa.UniqueConstraint("name", name="uq_outlets_name"),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Text, nullable=False, comment="Article.id: hash of url + content_hash"),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("outlet", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("lang", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("content_hash", sa.Text, nullable=False, comment="sha256 of text"),
        sa.Column("source", sa.Text, comment="the file (or <stdin>) it was read from"),
        sa.Column("ingested_at", sa.DateTime, nullable=False, comment="UTC"),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("content_hash", name="uq_articles_content_hash"),
        _fk("outlet", "outlets.name", "fk_articles_outlet_outlets", ondelete=None),
    )
    op.create_index("ix_articles_outlet", "articles", ["outlet"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_table(
        "paragraphs",
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        *_span("span"),
        sa.Column("section", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "position", name="pk_paragraphs"),
        _fk("article_id", "articles.id", "fk_paragraphs_article_id_articles"),
    )
    op.create_table(
        "editorial_notes",
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        *_span("span"),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("article_id", "position", name="pk_editorial_notes"),
        _fk("article_id", "articles.id", "fk_editorial_notes_article_id_articles"),
    )


def _create_entities() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.Text, nullable=False, comment="hash_id('entity', name, kind)"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_entities"),
        sa.UniqueConstraint("name", "kind", name="uq_entities_name_kind"),
    )
    op.create_table(
        "aliases",
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("alias", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("entity_id", "alias", name="pk_aliases"),
        _fk("entity_id", "entities.id", "fk_aliases_entity_id_entities"),
    )


def _statement_columns() -> list[sa.Column]:
    text, day = sa.Text, sa.Date
    return [
        sa.Column("id", text, nullable=False, comment="Statement.id: hash of article id + span + ruleset"),
        sa.Column("article_id", text, nullable=False),
        sa.Column("speaker_name", text),
        sa.Column("speaker_kind", text, nullable=False),
        sa.Column("speaker_mention", text, nullable=False),
        sa.Column("speaker_role", text),
        sa.Column("speaker_entity_id", text),
        sa.Column("addressee_name", text),
        sa.Column("addressee_kind", text),
        sa.Column("cue", text, nullable=False),
        sa.Column("mode", text, nullable=False),
        sa.Column("kind", text, nullable=False),
        sa.Column("content", text, nullable=False),
        sa.Column("said_on_start", day),
        sa.Column("said_on_end", day),
        sa.Column("said_on_text", text),
        sa.Column("said_on_granularity", text),
        sa.Column("setting", text),
        sa.Column("expectation_what", text),
        sa.Column("expectation_start", day),
        sa.Column("expectation_end", day),
        sa.Column("expectation_text", text),
        sa.Column("expectation_granularity", text),
        sa.Column("section", text, nullable=False),
        *_span("span"),
        *_span("content", nullable=True),
        *_span("cue", nullable=True),
        *_span("speaker", nullable=True),
        sa.Column("ruleset", text, nullable=False, comment="rule-set version that produced the statement"),
    ]


def _create_statements() -> None:
    op.create_table(
        "statements",
        *_statement_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_statements"),
        _fk("article_id", "articles.id", "fk_statements_article_id_articles"),
        _fk("speaker_entity_id", "entities.id", "fk_statements_speaker_entity_id_entities", ondelete="SET NULL"),
    )
    for column in ("article_id", "speaker_name", "speaker_entity_id", "kind", "said_on_start"):
        op.create_index(f"ix_statements_{column}", "statements", [column])
    op.create_table(
        "relays",
        sa.Column("statement_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False, comment="0 = nearest the speaker"),
        sa.Column("outlet", sa.Text, nullable=False),
        sa.Column("cue", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("statement_id", "position", name="pk_relays"),
        _fk("statement_id", "statements.id", "fk_relays_statement_id_statements"),
        _fk("outlet", "outlets.name", "fk_relays_outlet_outlets", ondelete=None),
    )
    op.create_index("ix_relays_outlet", "relays", ["outlet"])
    op.create_table(
        "statement_about",
        sa.Column("statement_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("statement_id", "position", name="pk_statement_about"),
        _fk("statement_id", "statements.id", "fk_statement_about_statement_id_statements"),
        _fk("entity_id", "entities.id", "fk_statement_about_entity_id_entities"),
    )
    op.create_index("ix_statement_about_entity_id", "statement_about", ["entity_id"])
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("statement_id", sa.Text),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mentions"),
        sa.CheckConstraint("role IN ('speaker', 'about', 'addressee')", name="ck_mentions_role"),
        _fk("article_id", "articles.id", "fk_mentions_article_id_articles"),
        _fk("entity_id", "entities.id", "fk_mentions_entity_id_entities"),
        _fk("statement_id", "statements.id", "fk_mentions_statement_id_statements"),
    )
    for column in ("article_id", "entity_id", "statement_id"):
        op.create_index(f"ix_mentions_{column}", "mentions", [column])


VIEW = """
CREATE VIEW statement_view AS
SELECT s.id, s.article_id, a.outlet, a.title AS article_title, a.published, a.url AS article_url,
       s.speaker_name, s.speaker_kind, s.speaker_mention, s.speaker_role, s.addressee_name, s.addressee_kind,
       s.cue, s.mode, s.kind, s.content, s.said_on_start, s.said_on_end, s.said_on_text, s.said_on_granularity,
       s.setting, s.expectation_what, s.expectation_start, s.expectation_end, s.section, s.span_start, s.span_end,
       s.ruleset
FROM statements AS s JOIN articles AS a ON a.id = s.article_id
"""

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE statements_fts USING fts5("
    "content, speaker_name, statement_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE articles_fts USING fts5("
    "title, text, article_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')",
    """CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN
         INSERT INTO statements_fts (content, speaker_name, statement_id) VALUES (new.content, new.speaker_name, new.id);
       END""",
    """CREATE TRIGGER statements_fts_delete AFTER DELETE ON statements BEGIN
         DELETE FROM statements_fts WHERE statement_id = old.id;
       END""",
    """CREATE TRIGGER statements_fts_update AFTER UPDATE OF id, content, speaker_name ON statements BEGIN
         DELETE FROM statements_fts WHERE statement_id = old.id;
         INSERT INTO statements_fts (content, speaker_name, statement_id) VALUES (new.content, new.speaker_name, new.id);
       END""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
         INSERT INTO articles_fts (title, text, article_id) VALUES (new.title, new.text, new.id);
       END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
         DELETE FROM articles_fts WHERE article_id = old.id;
       END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF id, title, text ON articles BEGIN
         DELETE FROM articles_fts WHERE article_id = old.id;
         INSERT INTO articles_fts (title, text, article_id) VALUES (new.title, new.text, new.id);
       END""",
]

SQLITE_FTS_DROP = [
    *(f"DROP TRIGGER IF EXISTS {t}_fts_{op_}" for t in ("statements", "articles") for op_ in ("insert", "delete", "update")),
    "DROP TABLE IF EXISTS statements_fts",
    "DROP TABLE IF EXISTS articles_fts",
]


def _is_sqlite() -> bool:
    return op.get_context().dialect.name == "sqlite"


def upgrade() -> None:
    _create_sources()
    _create_entities()
    _create_statements()
    op.execute(VIEW)
    if _is_sqlite():
        for statement in SQLITE_FTS:
            op.execute(statement)


def downgrade() -> None:
    if _is_sqlite():
        for statement in SQLITE_FTS_DROP:
            op.execute(statement)
    op.execute("DROP VIEW IF EXISTS statement_view")
    for table in ("mentions", "statement_about", "relays", "statements", "aliases", "entities", "editorial_notes",
                  "paragraphs", "articles", "outlets"):
        op.drop_table(table)
