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
    sa.Column("speaker_name", sa.Text),
    sa.Column("speaker_kind", sa.Text, nullable=False),
    sa.Column("speaker_mention", sa.Text, nullable=False),
    sa.Column("speaker_role", sa.Text),
    sa.Column("speaker_entity_id", sa.Text, sa.ForeignKey("entities.id", ondelete="SET NULL")),
    sa.Column("addressee_name", sa.Text),
    sa.Column("addressee_kind", sa.Text),
    sa.Column("cue", sa.Text, nullable=False),
    sa.Column("mode", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False, index=True),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("said_on_start", sa.Date, index=True),
    sa.Column("said_on_end", sa.Date),
    sa.Column("placed_on", sa.Date,
              comment="said_on start, else the article's publication date: the key of newest-first listings"),
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
# Newest-first listings (``query.lookup.newest_first``: placed_on descending, undated last, then id) read this index
# in order and stop at the page size. SQLite sorts NULLs last in a descending scan by itself; on PostgreSQL the
# migration (m007_placed_on) creates the same index with ``DESC NULLS LAST`` so that it serves the same ORDER BY.
sa.Index("ix_statements_placed_on_id", statements.c.placed_on.desc(), statements.c.id)
# Speakers by name (exact), and anonymous speakers by their mention: ``speaker_name IS NULL AND mention LIKE …``
# reads this index alone (m007 replaced the single-column index on speaker_name with it).
sa.Index("ix_statements_speaker_name_mention", statements.c.speaker_name, statements.c.speaker_mention)
# A speaker's statements in listing order (m011 replaced the single-column index on speaker_entity_id with it).
sa.Index("ix_statements_speaker_entity_id_placed_on", statements.c.speaker_entity_id, statements.c.placed_on.desc(),
         statements.c.id)

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

# --- across articles: entity resolution (resolve/entities.py; migration m003_entities) ---------------------------
actors = sa.Table(
    "actors",
    metadata,
    sa.Column("id", sa.Text, primary_key=True, comment="gazetteer: hash_id('actor', entry name); else an entity id"),
    sa.Column("name", sa.Text, nullable=False, index=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False, comment="gazetteer | ledger"),
    sa.CheckConstraint("source IN ('gazetteer', 'ledger')", name="source"),
    comment="one real-world actor under all its names (migration m003_entities)",
)

actor_names = sa.Table(
    "actor_names",
    metadata,
    sa.Column("entity_id", sa.Text, cascade("entities.id"), primary_key=True),
    sa.Column("actor_id", sa.Text, cascade("actors.id"), nullable=False, index=True),
    sa.Column("rule", sa.Text, nullable=False, comment="the rule that linked the entity to the actor"),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False, comment="JSON: what matched, entity and article ids"),
    sa.Column("resolver", sa.Text, nullable=False, comment="rule-set version, onrecord.entities.v1"),
)

entity_keys = sa.Table(
    "entity_keys",
    metadata,
    sa.Column("key", sa.Text, primary_key=True, comment="prefix:value, see onrecord.resolve.names"),
    sa.Column("entity_id", sa.Text, cascade("entities.id"), primary_key=True, index=True),
)

descriptor_links = sa.Table(
    "descriptor_links",
    metadata,
    sa.Column("statement_id", sa.Text, cascade("statements.id"), primary_key=True),
    sa.Column("actor_id", sa.Text, cascade("actors.id"), nullable=False, index=True),
    sa.Column("descriptor", sa.Text, nullable=False, comment="the speaker as described in the text"),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False, comment="JSON: the dated role and the date it was held on"),
)

entity_corrections = sa.Table(
    "entity_corrections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("entity_a", sa.Text, nullable=False, index=True,
              comment="entity id (no foreign key: survives re-ingest)"),
    sa.Column("entity_b", sa.Text, nullable=False, index=True),
    sa.Column("name_a", sa.Text, nullable=False),
    sa.Column("name_b", sa.Text, nullable=False),
    sa.Column("made_at", sa.DateTime, nullable=False, comment="UTC"),
    sa.CheckConstraint("action IN ('merge', 'split')", name="action"),
)



# --- across articles: storylines (resolve/stories.py; migration m004_stories) ---------------------------------------
stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.Text, primary_key=True, comment="hash_id('story', first article id)"),
    sa.Column("title", sa.Text, nullable=False, comment="title of the article that opened it"),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("first_published", sa.Date),
    sa.Column("last_published", sa.Date),
    sa.Column("centroid", sa.Text, nullable=False, comment="JSON {term: weight}, top terms"),
    sa.Column("actors", sa.Text, nullable=False, comment="JSON {actor: count}"),
    sa.Column("years", sa.Text, nullable=False, comment="JSON {year: count}, years the members state"),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("participants", sa.Text, nullable=False, server_default="{}",
              comment="JSON {participant key: weight}, sum of member unit vectors (migration m009_story_features)"),
    sa.Column("event_years", sa.Text, nullable=False, server_default="{}",
              comment="JSON {year: members}, each member's latest stated year (migration m009_story_features)"),
    comment="storylines (migrations m004_stories, m009_story_features)",
)

story_articles = sa.Table(
    "story_articles",
    metadata,
    sa.Column("article_id", sa.Text, cascade("articles.id"), primary_key=True),
    sa.Column("story_id", sa.Text, cascade("stories.id"), nullable=False, index=True),
    sa.Column("opened", sa.Boolean, nullable=False, comment="true when this article opened the story"),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False, comment="JSON: score parts, shared actors/terms/years"),
    sa.Column("seq", sa.Integer, comment="arrival number (migration m013_story_members)"),
    sa.Column("member", sa.Text,
              comment="JSON resolve.cluster.Member, for the split check (migration m013_story_members)"),
)
# A story's latest members for the split check (resolve.cluster); migration m013_story_members.
sa.Index("ix_story_articles_story_id_seq", story_articles.c.story_id, story_articles.c.seq)

story_keys = sa.Table(
    "story_keys",
    metadata,
    sa.Column("key", sa.Text, primary_key=True, comment="a term, or @actor"),
    sa.Column("story_id", sa.Text, cascade("stories.id"), primary_key=True),
)

story_terms = sa.Table(
    "story_terms",
    metadata,
    sa.Column("key", sa.Text, primary_key=True, comment="a term, or @actor"),
    sa.Column("df", sa.Integer, nullable=False, comment="articles containing it so far"),
)


# --- across articles: disputes and expectations (resolve/disputes.py, resolve/expectations.py; migrations m005_disputes, m006_expectations)
# disputes
statement_slots = sa.Table(
    "statement_slots",
    metadata,
    sa.Column("statement_id", sa.Text, cascade("statements.id"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("slot", sa.Text, nullable=False, index=True, comment="weapon | count | casualties"),
    sa.Column("value", sa.Text, nullable=False, comment="the value as written"),
    sa.Column("norm", sa.Text, nullable=False, comment="normalised value compared across statements"),
    sa.Column("span_start", sa.Integer, comment="offset into the article text"),
    sa.Column("span_end", sa.Integer),
    sa.Column("rule", sa.Text, nullable=False, comment="the extractor (versioned) that read the value"),
)
# Does a statement have a value for a slot (resolve.disputes: statements of a date window); migration m008.
sa.Index("ix_statement_slots_statement_id_slot", statement_slots.c.statement_id, statement_slots.c.slot)

disputes = sa.Table(
    "disputes",
    metadata,
    sa.Column("id", sa.Text, primary_key=True, comment="hash_id('dispute', slot, first pair of statement ids)"),
    sa.Column("slot", sa.Text, nullable=False, index=True),
    sa.Column("rule", sa.Text, nullable=False, comment="the rule (versioned) that flagged the first pair"),
    sa.Column("reason", sa.Text, nullable=False, comment="why it was flagged: rule, slot, values, evidence"),
    sa.Column("first_on", sa.Date, comment="earliest date of its statements"),
    sa.Column("last_on", sa.Date, comment="latest date of its statements"),
)

dispute_accounts = sa.Table(
    "dispute_accounts",
    metadata,
    sa.Column("dispute_id", sa.Text, cascade("disputes.id"), primary_key=True),
    sa.Column("statement_id", sa.Text, cascade("statements.id"), primary_key=True, index=True),
    sa.Column("value", sa.Text, nullable=False, comment="the account's value as written"),
    sa.Column("norm", sa.Text, nullable=False, comment="the normalised value accounts are grouped by"),
)

dispute_links = sa.Table(
    "dispute_links",
    metadata,
    sa.Column("dispute_id", sa.Text, cascade("disputes.id"), primary_key=True),
    sa.Column("statement_a", sa.Text, cascade("statements.id"), primary_key=True),
    sa.Column("statement_b", sa.Text, cascade("statements.id"), primary_key=True),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False, comment="JSON: shared entities, dates, places, story, terms"),
)

dispute_about = sa.Table(
    "dispute_about",
    metadata,
    sa.Column("dispute_id", sa.Text, cascade("disputes.id"), primary_key=True),
    sa.Column("entity_id", sa.Text, cascade("entities.id"), primary_key=True, index=True),
)


# expectations
expectations = sa.Table(
    "expectations",
    metadata,
    sa.Column("id", sa.Text, primary_key=True, comment="hash_id('expectation', statement_id)"),
    sa.Column("statement_id", sa.Text, cascade("statements.id"), nullable=False, unique=True),
    sa.Column("article_id", sa.Text, cascade("articles.id"), nullable=False, index=True),
    sa.Column("what", sa.Text, nullable=False),
    sa.Column("due_start", sa.Date, nullable=False, index=True),
    sa.Column("due_end", sa.Date, nullable=False, index=True),
    sa.Column("due_text", sa.Text),
    sa.Column("granularity", sa.Text),
    sa.Column("stated_on", sa.Date, index=True, comment="said_on start, else the article's publication date"),
    sa.Column("rule", sa.Text, nullable=False, comment="rule-set version that made the statement an expectation"),
)

expectation_evidence = sa.Table(
    "expectation_evidence",
    metadata,
    sa.Column("expectation_id", sa.Text, cascade("expectations.id"), primary_key=True),
    sa.Column("statement_id", sa.Text, cascade("statements.id"), primary_key=True, index=True),
    sa.Column("verdict", sa.Text, nullable=False),
    sa.Column("evidence_on", sa.Date, comment="said_on start, else the article's publication date"),
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.CheckConstraint("verdict IN ('fulfilled', 'unfulfilled', 'withdrawn')", name="verdict"),
)
# Earlier expectations newest first (resolve.expectations), and whether a statement is about one of an actor's
# entities, by key (resolve.expectations, resolve.disputes); migration m008_resolve_indexes.
sa.Index("ix_expectations_stated_on_id", expectations.c.stated_on, expectations.c.id)
sa.Index("ix_statement_about_entity_id_statement_id", statement_about.c.entity_id, statement_about.c.statement_id)

# The entity ids of each expectation (its statement's speaker and the entities it is about) with the day it was
# stated: an actor's expectations newest first, read from one index range per entity id, stopping at the candidate
# limit (resolve.expectations); migration m010_expectation_actors.
expectation_actors = sa.Table(
    "expectation_actors",
    metadata,
    sa.Column("expectation_id", sa.Text, cascade("expectations.id"), primary_key=True),
    sa.Column("entity_id", sa.Text, cascade("entities.id"), primary_key=True,
              comment="the speaker of the expectation's statement, or an entity it is about"),
    sa.Column("stated_on", sa.Date, comment="expectations.stated_on, copied for the index"),
    comment="entity ids of each expectation by date (migration m010_expectation_actors)",
)
sa.Index("ix_expectation_actors_entity_id_stated_on_expectation_id", expectation_actors.c.entity_id,
         expectation_actors.c.stated_on.desc(), expectation_actors.c.expectation_id.desc())
# Only the denials, by date: the stored denials near a new claim (resolve.disputes, which repeats the condition
# word for word so that the partial index serves it); migration m012_update_indexes.
sa.Index("ix_statements_denials_placed_on", statements.c.placed_on,
         sqlite_where=sa.text("kind = 'denial' OR cue IN ('deny', 'dismiss', 'refute', 'reject')"),
         postgresql_where=sa.text("kind = 'denial' OR cue IN ('deny', 'dismiss', 'refute', 'reject')"))
# The dates of the statements about an actor from the index alone (resolve.expectations); migration m012.
sa.Index("ix_statements_id_placed_on", statements.c.id, statements.c.placed_on)


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
# An entity's articles in id order: whether two entities share an article, checked by key and stopping at the limit
# (resolve.entities.shared_articles); migration m012_update_indexes.
sa.Index("ix_article_mentions_entity_id_article_id", article_mentions.c.entity_id, article_mentions.c.article_id)

#: Tables in the order rows must be written (parents first).
TABLES = (outlets, articles, paragraphs, editorial_notes, entities, aliases, article_mentions, statements, relays,
          statement_about, mentions)
FTS_TABLES = ("statements_fts", "articles_fts")
VIEWS = ("statement_view",)
