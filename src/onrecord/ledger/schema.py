"""The ledger's tables as SQLAlchemy Core ``Table`` objects: the current shape of the database.

This module describes the schema that the Alembic migrations (``ledger/migrations/versions``) build; it is what
the write path (``store.py``) and the read path (``onrecord.query``) use. Migrations never import it: a released
migration must keep working when this module changes. ``tests/test_ledger.py`` checks that the migrated database
and these tables agree.

Conventions: readable table and column names; text ids are content hashes (``records.hash_id``); every child of an
article points to it with ``ON DELETE CASCADE``; offsets are ``*_start``/``*_end`` pairs into ``articles.text``
(never a bare ``end`` column, a reserved word in SQL). Dates are SQL ``DATE`` (ISO strings in SQLite);
``ingested_at`` is UTC.

Not described here (created by the migration only): the ``statement_view`` view, and on SQLite the FTS5 tables
``statements_fts`` and ``articles_fts`` with the triggers that keep them in sync.
"""

from __future__ import annotations

import sqlalchemy as sa

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)



def cascade(target: str) -> sa.ForeignKey:
    """A foreign key whose rows go when the parent row goes."""
    return sa.ForeignKey(target, ondelete="CASCADE")


outlets = sa.Table(
    "outlets",
    metadata,
    sa.Column("id", sa.Text, primary_key=True, comment="hash_id('outlet', name)"),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("country", sa.Text),
    sa.Column("kind", sa.Text),
    sa.Column("profile", sa.Text, nullable=False, server_default="[]", comment="JSON list of profile tags"),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.Text, primary_key=True, comment="Article.id: hash of url + content_hash"),
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("outlet", sa.Text, sa.ForeignKey("outlets.name"), index=True),
    sa.Column("published", sa.Date, index=True),
    sa.Column("lang", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("content_hash", sa.Text, nullable=False, unique=True, comment="sha256 of text"),
    sa.Column("source", sa.Text, comment="the file (or <stdin>) it was read from"),
    sa.Column("ingested_at", sa.DateTime, nullable=False, comment="UTC"),
)

paragraphs = sa.Table(
    "paragraphs",
    metadata,
    sa.Column("article_id", sa.Text, cascade("articles.id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("span_start", sa.Integer, nullable=False),
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("section", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
)

editorial_notes = sa.Table(
    "editorial_notes",
    metadata,
    sa.Column("article_id", sa.Text, cascade("articles.id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("span_start", sa.Integer, nullable=False),
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", sa.Text, primary_key=True, comment="hash_id('entity', name, kind)"),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.UniqueConstraint("name", "kind"),
)

aliases = sa.Table(
    "aliases",
    metadata,
    sa.Column("entity_id", sa.Text, cascade("entities.id"), primary_key=True),
    sa.Column("alias", sa.Text, primary_key=True),
)

statements = sa.Table(
    "statements",
    metadata,
    sa.Column("id", sa.Text, primary_key=True, comment="Statement.id: hash of article id + span + ruleset"),
    sa.Column("article_id", sa.Text, cascade("articles.id"), nullable=False, index=True),
    sa.Column("speaker_name", sa.Text, index=True),
    sa.Column("speaker_kind", sa.Text, nullable=False),
    sa.Column("speaker_mention", sa.Text, nullable=False),
    sa.Column("speaker_role", sa.Text),
    sa.Column("speaker_entity_id", sa.Text, sa.ForeignKey("entities.id", ondelete="SET NULL"), index=True),
    sa.Column("addressee_name", sa.Text),
    sa.Column("addressee_kind", sa.Text),
    sa.Column("cue", sa.Text, nullable=False),
    sa.Column("mode", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False, index=True),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("said_on_start", sa.Date, index=True),
    sa.Column("said_on_end", sa.Date),
    sa.Column("said_on_text", sa.Text),
    sa.Column("said_on_granularity", sa.Text),
    sa.Column("setting", sa.Text),
    sa.Column("expectation_what", sa.Text),
    sa.Column("expectation_start", sa.Date),
    sa.Column("expectation_end", sa.Date),
    sa.Column("expectation_text", sa.Text),
    sa.Column("expectation_granularity", sa.Text),
    sa.Column("section", sa.Text, nullable=False),
    sa.Column("span_start", sa.Integer, nullable=False),
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("content_start", sa.Integer),
    sa.Column("content_end", sa.Integer),
    sa.Column("cue_start", sa.Integer),
    sa.Column("cue_end", sa.Integer),
    sa.Column("speaker_start", sa.Integer),
    sa.Column("speaker_end", sa.Integer),
    sa.Column("ruleset", sa.Text, nullable=False, comment="rule-set version that produced the statement"),
)

relays = sa.Table(
    "relays",
    metadata,
    sa.Column("statement_id", sa.Text, cascade("statements.id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, comment="0 = nearest the speaker"),
    sa.Column("outlet", sa.Text, sa.ForeignKey("outlets.name"), nullable=False, index=True),
    sa.Column("cue", sa.Text, nullable=False),
)

statement_about = sa.Table(
    "statement_about",
    metadata,
    sa.Column("statement_id", sa.Text, cascade("statements.id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("entity_id", sa.Text, cascade("entities.id"), nullable=False, index=True),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("article_id", sa.Text, cascade("articles.id"), nullable=False, index=True),
    sa.Column("entity_id", sa.Text, cascade("entities.id"), nullable=False, index=True),
    sa.Column("statement_id", sa.Text, cascade("statements.id"), index=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.CheckConstraint("role IN ('speaker', 'about', 'addressee')", name="role"),
)

# --- across articles: entity resolution (resolve/entities.py; migration m002_entities) ---------------------------


# --- across articles: storylines (resolve/stories.py; migration m003_stories) ---------------------------------------


# --- across articles: disputes and expectations (resolve/disputes.py, resolve/expectations.py; migration m004_claims)


article_mentions = sa.Table(
    "article_mentions",
    metadata,
    sa.Column("article_id", sa.Text, cascade("articles.id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True, comment="text order within the article"),
    sa.Column("entity_id", sa.Text, cascade("entities.id"), nullable=False, index=True),
    sa.Column("span_start", sa.Integer, nullable=False),
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False, comment="the mention as written"),
    comment="every named entity of an article's text (migration m002_article_mentions)",
)

#: Tables in the order rows must be written (parents first).
TABLES = (outlets, articles, paragraphs, editorial_notes, entities, aliases, article_mentions, statements, relays,
          statement_about, mentions)
FTS_TABLES = ("statements_fts", "articles_fts")
VIEWS = ("statement_view",)
