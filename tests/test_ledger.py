"""The ledger: migrations (tables, FTS5, view, indexes), idempotent batched writes, all-or-nothing batches,
entities and outlets got or created, and LedgerError for a database that cannot be opened."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from onrecord.errors import LedgerError
from onrecord.ledger import BatchResult, Ledger, open_ledger, schema, store
from onrecord.records import Article, EntityRef, Paragraph, Relay, Speaker, Statement, TimeRef

TABLES = {"outlets", "articles", "paragraphs", "editorial_notes", "entities", "aliases", "mentions", "statements",
          "relays", "statement_about"}


def make_article(n: int, *, outlet: str | None = "Interfax", url: str | None = None) -> Article:
    title = f"Headline {n}"
    body = f"Kremlin leader Vladimir Putin said on Friday that item {n} is ready, according to RIA Novosti."
    text = f"{title}\n\n{body}"
    return Article(title=title, text=text, url=url or f"https://example.org/{n}", outlet=outlet,
                   published=date(2024, 12, 6), source=f"in/{n}.txt",
                   paragraphs=[Paragraph(0, len(title), "headline", "headline"), Paragraph(len(title) + 2, len(text))])


def make_statements(article: Article, *, profile: list[str] | None = None) -> list[Statement]:
    start, end = article.text.index("Kremlin"), len(article.text)
    content = slice(article.text.index("item"), article.text.index(", according"))
    return [Statement(
        article_id=article.id, speaker=Speaker("Vladimir Putin", "person", "Kremlin leader Vladimir Putin",
                                               "Kremlin leader"),
        cue="say", mode="indirect", kind="assertion", content=article.text[content], span=(start, end),
        content_span=(content.start, content.stop),
        said_on=TimeRef(date(2024, 12, 6), date(2024, 12, 6), "on Friday", "day"),
        relays=[Relay("RIA Novosti", ["state-owned"] if profile is None else profile, "according to")],
        about=[EntityRef("Belarus", "country")], addressee=EntityRef("Alexander Lukashenko", "person"),
        ruleset="onrecord.cues.en.v1+rules.v1")]


def batch(*numbers: int) -> list[tuple[Article, list[Statement]]]:
    return [(a, make_statements(a)) for a in (make_article(n) for n in numbers)]


def counts(ledger: Ledger) -> dict[str, int]:
    with ledger.engine.connect() as conn:
        found = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in sorted(TABLES)}
        if ledger.is_sqlite:
            for fts in schema.FTS_TABLES:
                found[fts] = conn.execute(sa.text(f"SELECT count(*) FROM {fts}")).scalar_one()
    return found


@pytest.fixture()
def ledger() -> Iterator[Ledger]:
    led = open_ledger("sqlite://")
    yield led
    led.close()


@pytest.fixture()
def file_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.db'}"


# --- migrations ----------------------------------------------------------------------------------------------
def test_migration_creates_tables_fts_view_and_indexes(ledger: Ledger) -> None:
    with ledger.engine.connect() as conn:
        objects = {(t, n) for t, n in conn.exec_driver_sql("SELECT type, name FROM sqlite_master")}
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
        fts_sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'statements_fts'").scalar_one()
        view_columns = [c["name"] for c in sa.inspect(conn).get_columns("statement_view")]
    assert {("table", t) for t in TABLES} <= objects
    assert {("table", "statements_fts"), ("table", "articles_fts"), ("view", "statement_view")} <= objects
    assert {("trigger", f"{t}_fts_{op}") for t in ("statements", "articles") for op in ("insert", "delete", "update")} <= objects
    assert "fts5" in fts_sql and "statement_id UNINDEXED" in fts_sql
    assert {("index", f"ix_{name}") for name in ("statements_speaker_name_mention", "statements_placed_on_id", "statements_kind", "statements_said_on_start",
                                                  "relays_outlet", "articles_published", "articles_outlet")} <= objects
    assert sorted(version) == sorted(_script_heads())
    assert {"outlet", "article_title", "published", "speaker_name", "content"} <= set(view_columns)


def _script_heads() -> list[str]:
    cfg = Config(str(store.ALEMBIC_INI))
    cfg.set_main_option("script_location", str(store.HERE / "migrations"))
    return list(ScriptDirectory.from_config(cfg).get_heads())


def test_migrated_database_matches_schema_module(ledger: Ledger) -> None:
    with ledger.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _not_fts})
        assert compare_metadata(context, schema.metadata) == []


def _not_fts(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(schema.FTS_TABLES))


def test_foreign_keys_cascade(ledger: Ledger) -> None:
    sa_inspect = sa.inspect(ledger.engine)
    fks = {(fk["referred_table"], fk["options"].get("ondelete")) for fk in sa_inspect.get_foreign_keys("statements")}
    assert ("articles", "CASCADE") in fks
    assert {fk["options"].get("ondelete") for fk in sa_inspect.get_foreign_keys("relays")} >= {"CASCADE"}


def test_migrate_twice_is_a_noop(file_url: str) -> None:
    first = open_ledger(file_url)
    first.write_batch(batch(1))
    before = counts(first)
    first.migrate()
    first.close()
    second = open_ledger(file_url)
    second.migrate()
    with second.engine.connect() as conn:
        assert sorted(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()) == sorted(_script_heads())
    assert counts(second) == before
    second.close()


def test_file_ledger_uses_wal_and_foreign_keys(file_url: str) -> None:
    with open_ledger(file_url) as led, led.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with pytest.raises(sa.exc.IntegrityError):
            conn.execute(sa.insert(schema.paragraphs).values(article_id="nope", position=0, span_start=0, span_end=1,
                                                             section="body", kind="body"))


def test_open_ledger_reads_the_db_setting(file_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONRECORD_CONFIG", "/nonexistent/settings.toml")
    monkeypatch.setenv("ONRECORD_DB", file_url)
    with open_ledger() as led:
        assert led.display_url == file_url
    assert Path(file_url.removeprefix("sqlite:///")).is_file()


def test_alembic_by_hand_downgrade_and_upgrade(file_url: str) -> None:
    """The shipped alembic.ini works from the command line too (URL from the config, not a connection)."""
    open_ledger(file_url).close()
    cfg = Config(str(store.ALEMBIC_INI))
    cfg.set_main_option("sqlalchemy.url", file_url)
    command.downgrade(cfg, "base")
    with sa.create_engine(file_url).connect() as conn:
        assert set(sa.inspect(conn).get_table_names()) == {"alembic_version"}
    command.upgrade(cfg, "heads")
    with open_ledger(file_url) as led:
        assert led.write_batch(batch(1)).ingested == 1


def test_m007_fills_placed_on_for_statements_stored_before_it(file_url: str) -> None:
    """placed_on = said_on start, else the article's publication date, for rows written before the column existed;
    the same value the write path gives new rows."""
    undated = make_article(2)
    (dated_statement,), (undated_statement,) = make_statements(make_article(1)), make_statements(undated)
    undated_statement.said_on = None
    with open_ledger(file_url) as led:
        led.write_batch([(make_article(1), [dated_statement]), (undated, [undated_statement])])
        written = _placed(led.engine)
    cfg = Config(str(store.ALEMBIC_INI))
    cfg.set_main_option("sqlalchemy.url", file_url)
    command.downgrade(cfg, "m011_speaker_listing")  # m012 (which merges m011 and m002) first
    command.downgrade(cfg, "m011_speaker_listing@-2")  # m011, then m007
    with sa.create_engine(file_url).connect() as conn:
        assert "placed_on" not in {c["name"] for c in sa.inspect(conn).get_columns("statements")}
        assert "ix_statements_speaker_name" in {i["name"] for i in sa.inspect(conn).get_indexes("statements")}
        conn.exec_driver_sql("UPDATE statements SET said_on_start = '2024-11-21' WHERE id = ?", (dated_statement.id,))
        conn.commit()
    command.upgrade(cfg, "heads")
    with open_ledger(file_url) as led:
        assert written == {dated_statement.id: "2024-12-06", undated_statement.id: "2024-12-06"}
        assert _placed(led.engine) == {dated_statement.id: "2024-11-21", undated_statement.id: "2024-12-06"}


M012 = {"ix_article_mentions_entity_id_article_id": "article_mentions",
        "ix_statements_denials_placed_on": "statements", "ix_statements_id_placed_on": "statements"}


def _m012_indexes(url: str) -> set[str]:
    with sa.create_engine(url).connect() as conn:
        inspector = sa.inspect(conn)
        return {i["name"] for table in set(M012.values()) for i in inspector.get_indexes(table)} & set(M012)


def test_m012_adds_the_update_indexes_and_downgrade_removes_them(file_url: str) -> None:
    """m012 (merging m011 and m002) creates the indexes of the incremental steps on a ledger with rows, the partial
    one with its condition; a downgrade to m011 drops them and keeps the rows; upgrading again restores them."""
    with open_ledger(file_url) as led:
        led.write_batch(batch(1, 2))
        before = counts(led)
    assert _m012_indexes(file_url) == set(M012)
    with sa.create_engine(file_url).connect() as conn:
        partial = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'ix_statements_denials_placed_on'")
        assert "WHERE kind = 'denial' OR cue IN ('deny', 'dismiss', 'refute', 'reject')" in partial.scalar_one()
    cfg = Config(str(store.ALEMBIC_INI))
    cfg.set_main_option("sqlalchemy.url", file_url)
    command.downgrade(cfg, "m011_speaker_listing")
    assert _m012_indexes(file_url) == set()
    with sa.create_engine(file_url).connect() as conn:
        assert "m012_update_indexes" not in conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    command.upgrade(cfg, "heads")
    assert _m012_indexes(file_url) == set(M012)
    with open_ledger(file_url) as led:
        assert counts(led) == before


def _placed(engine: sa.Engine) -> dict[str, str | None]:
    with engine.connect() as conn:
        return {sid: str(day) if day else None
                for sid, day in conn.exec_driver_sql("SELECT id, placed_on FROM statements")}


def test_offline_sql_for_postgresql() -> None:
    buffer = io.StringIO()
    cfg = Config(str(store.ALEMBIC_INI), output_buffer=buffer)
    cfg.set_main_option("sqlalchemy.url", "postgresql://nobody@localhost/none")
    command.upgrade(cfg, "heads", sql=True)
    sql = buffer.getvalue()
    assert "CREATE TABLE statements" in sql and "CREATE VIEW statement_view" in sql and "fts5" not in sql


# --- writes --------------------------------------------------------------------------------------------------
def test_write_batch_stores_everything(ledger: Ledger) -> None:
    result = ledger.write_batch(batch(1, 2))
    assert result == BatchResult(ingested=2, duplicates=0, statements=2)
    assert counts(ledger) == {"articles": 2, "paragraphs": 4, "editorial_notes": 0, "statements": 2, "relays": 2,
                              "statement_about": 2, "outlets": 2, "entities": 3, "aliases": 4, "mentions": 6,
                              "statements_fts": 2, "articles_fts": 2}
    assert ledger.has_article(make_article(1)) and not ledger.has_article(make_article(3))


def test_same_batch_twice_is_idempotent(ledger: Ledger) -> None:
    ledger.write_batch(batch(1, 2, 3))
    before = counts(ledger)
    assert ledger.write_batch(batch(1, 2, 3)) == BatchResult(ingested=0, duplicates=3, statements=0)
    assert counts(ledger) == before


def test_duplicates_within_a_batch_and_by_content(ledger: Ledger) -> None:
    same_text_other_url = make_article(1, url="https://mirror.example.org/1")
    items = [*batch(1), *batch(1), (same_text_other_url, make_statements(same_text_other_url))]
    assert ledger.write_batch(items) == BatchResult(ingested=1, duplicates=2, statements=1)
    assert counts(ledger)["articles"] == 1
    assert ledger.write_batch([]) == BatchResult(0, 0, 0)


def test_statements_upserted_by_id(ledger: Ledger) -> None:
    article = make_article(1)
    st = make_statements(article)[0]
    assert ledger.write_batch([(article, [st, st])]).statements == 1
    assert counts(ledger)["statements"] == 1 and counts(ledger)["relays"] == 1 and counts(ledger)["mentions"] == 3


def test_entities_and_outlets_are_got_or_created(ledger: Ledger) -> None:
    ledger.write_batch(batch(1, 2))
    ledger.write_batch(batch(3))
    with ledger.engine.connect() as conn:
        entities = conn.execute(sa.select(schema.entities.c.name, schema.entities.c.kind)).all()
        aliases = set(conn.execute(sa.select(schema.aliases.c.alias)).scalars())
        outlets = dict(conn.execute(sa.select(schema.outlets.c.name, schema.outlets.c.profile)).all())
        roles = conn.execute(sa.select(schema.mentions.c.role, sa.func.count()).group_by(schema.mentions.c.role)).all()
    assert sorted(entities) == [("Alexander Lukashenko", "person"), ("Belarus", "country"), ("Vladimir Putin", "person")]
    assert aliases == {"Vladimir Putin", "Kremlin leader Vladimir Putin", "Alexander Lukashenko", "Belarus"}
    assert outlets == {"Interfax": "[]", "RIA Novosti": '["state-owned"]'}
    assert dict(roles) == {"speaker": 3, "about": 3, "addressee": 3}


def test_outlet_profile_keeps_the_latest_non_empty(ledger: Ledger) -> None:
    a1, a2, a3 = make_article(1), make_article(2), make_article(3)
    ledger.write_batch([(a1, make_statements(a1, profile=["state-owned"]))])
    ledger.write_batch([(a2, make_statements(a2, profile=[]))])
    with ledger.engine.connect() as conn:
        assert json.loads(conn.execute(sa.text("SELECT profile FROM outlets WHERE name = 'RIA Novosti'")).scalar_one()) \
            == ["state-owned"]
    ledger.write_batch([(a3, make_statements(a3, profile=["state-owned", "russia"]))])
    with ledger.engine.connect() as conn:
        assert json.loads(conn.execute(sa.text("SELECT profile FROM outlets WHERE name = 'RIA Novosti'")).scalar_one()) \
            == ["state-owned", "russia"]


def test_deleting_an_article_cascades_and_keeps_fts_in_sync(ledger: Ledger) -> None:
    ledger.write_batch(batch(1, 2))
    with ledger.engine.begin() as conn:
        conn.execute(sa.delete(schema.articles).where(schema.articles.c.id == make_article(1).id))
    after = counts(ledger)
    assert after["articles"] == after["statements"] == after["relays"] == after["statements_fts"] == 1
    assert after["articles_fts"] == after["statement_about"] == 1 and after["mentions"] == 3
    assert ledger.write_batch(batch(1)).ingested == 1  # and it can be written again


# --- all or nothing ------------------------------------------------------------------------------------------
def test_crash_in_the_middle_of_a_batch_leaves_nothing(file_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    led = open_ledger(file_url)
    led.write_batch(batch(1))
    before = counts(led)
    real, calls = store.write_article, []

    def second_one_fails(*args: object, **kwargs: object) -> int:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "write_article", second_one_fails)
    with pytest.raises(RuntimeError, match="disk on fire"):
        led.write_batch(batch(2, 3, 4))
    assert len(calls) == 2
    led.close()
    with open_ledger(file_url) as fresh:  # a new connection sees only what was committed
        assert counts(fresh) == before
        assert not fresh.has_article(make_article(2))


def test_database_error_in_a_batch_is_a_ledger_error_and_leaves_nothing(ledger: Ledger) -> None:
    good, bad = make_article(1), make_article(2)
    orphan = make_statements(bad)[0]
    orphan.article_id = "no-such-article"  # violates the foreign key
    with pytest.raises(LedgerError, match="nothing of this batch was stored"):
        ledger.write_batch([(good, make_statements(good)), (bad, [orphan])])
    assert set(counts(ledger).values()) == {0}


# --- errors --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url, words", [
    ("sqlite:////proc/nope/x.db", ["sqlite:////proc/nope/x.db", "/proc/nope", "does not exist"]),
    ("not a url", ["'not a url'", "sqlite:///onrecord.db"]),
    ("nosuchdb://host/db", ["nosuchdb://host/db", "driver"]),
    ("postgresql+nosuchdriver://u:secret@host/db", ["postgresql+nosuchdriver://u:***@host/db"]),
])
def test_ledger_error_names_the_url_and_what_to_do(url: str, words: list[str]) -> None:
    with pytest.raises(LedgerError) as info:
        open_ledger(url)
    message = str(info.value)
    assert "\n" not in message and "secret" not in message
    for word in words:
        assert word in message


def test_ledger_error_when_the_folder_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(LedgerError, match="does not exist"):
        open_ledger(f"sqlite:///{tmp_path / 'file.txt' / 'x.db'}")


def test_ledger_error_when_the_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(LedgerError, match="junk.db") as info:
        open_ledger(f"sqlite:///{path}")
    assert "\n" not in str(info.value)
