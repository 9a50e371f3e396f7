"""The read side: records out of the ledger equal the records that went in; every filter of statements();
full-text search with odd input; since/until; article by prefix; articles; stats; the same on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from onrecord import query
from onrecord.ledger import Ledger, open_ledger, schema
from onrecord.query import fulltext
from onrecord.records import (
    Article,
    EditorialNote,
    EntityRef,
    Expectation,
    Paragraph,
    Relay,
    Speaker,
    Statement,
    TimeRef,
)

RULESET = "onrecord.cues.en.v1+rules.v1"
RIA = Relay("RIA Novosti", ["state-owned", "russia"], "according to")
TASS = Relay("TASS", ["state-owned", "russia"], "told")
REUTERS = Relay("Reuters", ["wire", "international"], "reported")


def build(title: str, paragraphs: list[str], *, notes: tuple[str, ...] = (), **meta: object) -> Article:
    """An article as ingest stores it: headline, blank line, paragraphs separated by blank lines."""
    text, paras = title, [Paragraph(0, len(title), "headline", "headline")]
    for body in paragraphs:
        text += "\n\n"
        paras.append(Paragraph(len(text), len(text) + len(body), "body", "body"))
        text += body
    article = Article(title=title, text=text, paragraphs=paras, **meta)  # type: ignore[arg-type]
    article.notes = [EditorialNote(*span(article, note), text=note) for note in notes]
    return article


def span(article: Article, fragment: str) -> tuple[int, int]:
    start = article.text.index(fragment)
    return start, start + len(fragment)


def said(article: Article, sentence: str, content: str, speaker: Speaker, **fields: object) -> Statement:
    fields.setdefault("cue", "say")
    fields.setdefault("mode", "indirect")
    fields.setdefault("kind", "assertion")
    return Statement(article_id=article.id, speaker=speaker, content=content, span=span(article, sentence),
                     content_span=span(article, content), ruleset=RULESET, **fields)  # type: ignore[arg-type]


PUTIN_SENTENCE = ("Kremlin leader Vladimir Putin replied on Friday that the deployment of Oreshnik missiles in Belarus "
                  "is possible in the second half of 2025, according to RIA Novosti.")
PESKOV_SENTENCE = '"We will not be the first to strike," Kremlin spokesman Dmitry Peskov told TASS.'
DENIAL_SENTENCE = "Ukraine's foreign ministry on Thursday denied the claim, Reuters reported."


def oreshnik() -> tuple[Article, list[Statement]]:
    art = build("Putin: Oreshnik in Belarus possible in second half of 2025",
                [PUTIN_SENTENCE, PESKOV_SENTENCE, DENIAL_SENTENCE + " [Minsk did not comment - ed.]"],
                notes=("[Minsk did not comment - ed.]",),
                url="https://www.interfax.ru/world/1", outlet="Interfax", published=date(2024, 12, 6),
                source="examples/oreshnik.txt")
    putin = said(art, PUTIN_SENTENCE,
                 "the deployment of Oreshnik missiles in Belarus is possible in the second half of 2025",
                 Speaker("Vladimir Putin", "person", "Kremlin leader Vladimir Putin", "Kremlin leader"),
                 cue="reply", kind="prediction", relays=[RIA],
                 said_on=TimeRef(date(2024, 12, 6), date(2024, 12, 6), "on Friday", "day"),
                 addressee=EntityRef("Alexander Lukashenko", "person"), setting="a press conference in Minsk",
                 about=[EntityRef("Oreshnik", "product"), EntityRef("Belarus", "country")],
                 expectation=Expectation("the deployment of Oreshnik missiles in Belarus",
                                         TimeRef(date(2025, 7, 1), date(2025, 12, 31), "the second half of 2025",
                                                 "half")),
                 cue_span=span(art, "replied"), speaker_span=span(art, "Kremlin leader Vladimir Putin"))
    peskov = said(art, PESKOV_SENTENCE, "We will not be the first to strike",
                  Speaker("Dmitry Peskov", "person", "Kremlin spokesman Dmitry Peskov", "Kremlin spokesman"),
                  cue="tell", mode="direct", relays=[TASS, RIA])
    denial = said(art, DENIAL_SENTENCE, "the claim",
                  Speaker("Ministry of Foreign Affairs of Ukraine", "organization", "Ukraine's foreign ministry"),
                  cue="deny", kind="denial", relays=[REUTERS],
                  said_on=TimeRef(date(2024, 12, 5), date(2024, 12, 5), "on Thursday", "day"))
    return art, [putin, peskov, denial]


ZEL_SENTENCE = "Zelensky said in November that Putin's missile threats would not stop Ukraine."
RU_SENTENCE = "Президент России Владимир Путин заявил, что ответ будет зеркальным."
ANON_SENTENCE = "An official asked whether the talks would resume."


def meduza() -> tuple[Article, list[Statement]]:
    art = build("Zelensky answers the Kremlin", [ZEL_SENTENCE, RU_SENTENCE, ANON_SENTENCE],
                url="https://meduza.io/en/2", outlet="Meduza", published=date(2024, 11, 20))
    zel = said(art, ZEL_SENTENCE, "Putin's missile threats would not stop Ukraine",
               Speaker("Volodymyr Zelensky", "person", "Zelensky"),
               said_on=TimeRef(date(2024, 11, 1), date(2024, 11, 30), "in November", "month"),
               about=[EntityRef("Vladimir Putin", "person"), EntityRef("Ukraine", "country")])
    ru = said(art, RU_SENTENCE, "ответ будет зеркальным",
              Speaker("Владимир Путин", "person", "Президент России Владимир Путин", "Президент России"),
              cue="заявить", kind="announcement")
    anon = said(art, ANON_SENTENCE, "whether the talks would resume", Speaker(None, "unknown", "An official"),
                cue="ask", kind="question")
    return art, [zel, ru, anon]


UNDATED_SENTENCE = "The Russian president said the West was to blame, Interfax reported."


def undated() -> tuple[Article, list[Statement]]:
    art = build("Undated brief", [UNDATED_SENTENCE])
    st = said(art, UNDATED_SENTENCE, "the West was to blame",
              Speaker("Vladimir Putin", "person", "The Russian president", "Russian president"),
              relays=[Relay("Interfax", [], "reported")])
    return art, [st]


def corpus() -> list[tuple[Article, list[Statement]]]:
    return [oreshnik(), meduza(), undated()]


def fill(ledger: Ledger) -> list[tuple[Article, list[Statement]]]:
    items = corpus()
    result = ledger.write_batch(items)
    assert (result.ingested, result.duplicates, result.statements) == (3, 0, 7)
    return items


@pytest.fixture()
def ledger() -> Iterator[Ledger]:
    led = open_ledger("sqlite://")
    fill(led)
    yield led
    led.close()


def contents(records: list[dict]) -> list[str]:
    return [r["content"] for r in records]


# --- round trip ----------------------------------------------------------------------------------------------
def test_record_read_back_equals_to_record_field_by_field(ledger: Ledger) -> None:
    art, stmts = oreshnik()
    got = {r["id"]: r for r in query.statements(ledger, article_id=art.id, limit=None)}
    assert set(got) == {st.id for st in stmts}
    for st in stmts:
        expected = st.to_record(art)
        for key in expected:
            assert got[st.id][key] == expected[key], key
        assert got[st.id] == expected
        assert list(got[st.id]) == list(expected)  # same key order, so JSON output is identical
    putin = got[stmts[0].id]
    assert putin["speaker"] == {"name": "Vladimir Putin", "kind": "person", "mention": "Kremlin leader Vladimir Putin",
                                "role": "Kremlin leader"}
    assert putin["relays"] == [{"outlet": "RIA Novosti", "profile": ["state-owned", "russia"], "cue": "according to"}]
    assert putin["said_on"] == {"start": "2024-12-06", "end": "2024-12-06", "text": "on Friday", "granularity": "day"}
    assert putin["expectation"] == {"what": "the deployment of Oreshnik missiles in Belarus",
                                    "due": {"start": "2025-07-01", "end": "2025-12-31"}}
    assert putin["article"] == {"id": art.id, "url": "https://www.interfax.ru/world/1",
                                "title": art.title, "outlet": "Interfax", "published": "2024-12-06"}


def test_every_record_round_trips(ledger: Ledger) -> None:
    expected = {st.id: st.to_record(art) for art, stmts in corpus() for st in stmts}
    got = {r["id"]: r for r in query.statements(ledger, limit=None)}
    assert got == expected


def test_relays_nearest_first(ledger: Ledger) -> None:
    (peskov,) = query.statements(ledger, speaker="peskov")
    assert [r["outlet"] for r in peskov["relays"]] == ["TASS", "RIA Novosti"]


# --- filters -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("speaker, expected", [
    ("Vladimir Putin", {"the deployment of Oreshnik missiles in Belarus is possible in the second half of 2025",
                        "the West was to blame"}),
    ("PUTIN", {"the deployment of Oreshnik missiles in Belarus is possible in the second half of 2025",
               "the West was to blame"}),
    ("kremlin spokesman", {"We will not be the first to strike"}),          # the mention in the text
    ("russian president", {"the deployment of Oreshnik missiles in Belarus is possible in the second half of 2025",
                           "the West was to blame"}),                       # an alias of Putin's entity
    ("ВЛАДИМИР", {"ответ будет зеркальным"}),                                # case-insensitive beyond ASCII
    ("an official", {"whether the talks would resume"}),
    ("nobody at all", set()),
    ("100%", set()),
])
def test_filter_speaker(ledger: Ledger, speaker: str, expected: set[str]) -> None:
    assert set(contents(query.statements(ledger, speaker=speaker))) == expected


@pytest.mark.parametrize("about, expected", [
    ("oreshnik", ["the deployment of Oreshnik missiles in Belarus is possible in the second half of 2025"]),
    ("Belarus", ["the deployment of Oreshnik missiles in Belarus is possible in the second half of 2025"]),
    ("kremlin leader", ["Putin's missile threats would not stop Ukraine"]),  # about Putin, found by his alias
    ("Lukashenko", []),                                                     # an addressee, not what it is about
])
def test_filter_about(ledger: Ledger, about: str, expected: list[str]) -> None:
    assert contents(query.statements(ledger, about=about)) == expected


def test_filter_outlet_relayed_by_kind_article(ledger: Ledger) -> None:
    assert len(query.statements(ledger, outlet="interfax")) == 3
    assert len(query.statements(ledger, outlet="MEDUZA")) == 3
    assert set(contents(query.statements(ledger, relayed_by="ria"))) == {
        "the deployment of Oreshnik missiles in Belarus is possible in the second half of 2025",
        "We will not be the first to strike"}
    assert contents(query.statements(ledger, relayed_by="interfax")) == ["the West was to blame"]
    assert contents(query.statements(ledger, kind="denial")) == ["the claim"]
    assert query.statements(ledger, kind="nonsense") == []
    art, stmts = meduza()
    assert {r["id"] for r in query.statements(ledger, article_id=art.id)} == {st.id for st in stmts}
    combined = query.statements(ledger, speaker="putin", relayed_by="RIA", outlet="interfax", kind="prediction")
    assert [r["speaker"]["name"] for r in combined] == ["Vladimir Putin"]


def test_order_and_limit(ledger: Ledger) -> None:
    records = query.statements(ledger, limit=None)
    assert len(records) == 7
    assert set(contents(records)[:2]) == {
        "the deployment of Oreshnik missiles in Belarus is possible in the second half of 2025",  # said 2024-12-06
        "We will not be the first to strike",                                  # no said_on: published 2024-12-06
    }
    assert [r["id"] for r in records[:2]] == sorted(r["id"] for r in records[:2])  # same day: by id
    assert contents(records)[2] == "the claim"                                 # said 2024-12-05
    assert contents(records)[-1] == "the West was to blame"                    # no date at all: last
    assert len(query.statements(ledger, limit=2)) == 2
    assert len(query.statements(ledger)) == 7


def test_since_until_overlap_and_published_fallback(ledger: Ledger) -> None:
    since = set(contents(query.statements(ledger, since=date(2024, 12, 6))))
    assert since == {"the deployment of Oreshnik missiles in Belarus is possible in the second half of 2025",
                     "We will not be the first to strike"}
    # "in November" (2024-11-01..30) overlaps a range that starts on 25 November
    assert "Putin's missile threats would not stop Ukraine" in contents(
        query.statements(ledger, since=date(2024, 11, 25), until=date(2024, 11, 26)))
    # no said_on: placed on the article's publication date (2024-11-20)
    nov20 = contents(query.statements(ledger, since=date(2024, 11, 20), until=date(2024, 11, 20)))
    assert set(nov20) == {"Putin's missile threats would not stop Ukraine", "ответ будет зеркальным",
                          "whether the talks would resume"}
    assert contents(query.statements(ledger, until=date(2024, 12, 5), kind="denial")) == ["the claim"]
    assert query.statements(ledger, until=date(2024, 10, 31)) == []
    dated = query.statements(ledger, since=date(2000, 1, 1), limit=None)
    assert "the West was to blame" not in contents(dated)                      # neither said_on nor published
    assert len(dated) == 6


# --- full-text search ----------------------------------------------------------------------------------------
def test_search_words_and_speaker(ledger: Ledger) -> None:
    assert contents(query.statements(ledger, search="missiles Belarus")) == [
        "the deployment of Oreshnik missiles in Belarus is possible in the second half of 2025"]
    assert contents(query.statements(ledger, search="peskov")) == ["We will not be the first to strike"]
    assert contents(query.statements(ledger, search="зеркальным")) == ["ответ будет зеркальным"]
    assert query.statements(ledger, search="missiles Minsk") == []            # every word must occur


@pytest.mark.parametrize("text", [
    'Putin\'s "missile', '"', "'", "*", "missile*", "AND", "NOT missile", "missile OR", "NEAR(a b)", "content:missile",
    "(", ")", "^", "-missile", "+", "%", "_", "\\", "a\"b\"c", "   ", "", "''''", "\x00", "😀",
])
def test_search_odd_input_never_raises(ledger: Ledger, text: str) -> None:
    query.statements(ledger, search=text)


def test_search_quotes_are_words_not_syntax(ledger: Ledger) -> None:
    assert contents(query.statements(ledger, search='Putin\'s "missile')) == [
        "Putin's missile threats would not stop Ukraine"]
    assert contents(query.statements(ledger, search="NOT missiles")) == []   # NOT is a word here, not an operator


@pytest.mark.parametrize("text", ["missiles Belarus", "peskov", 'Putin\'s "missile', "threats", "%", "no-such-word"])
def test_like_fallback_finds_what_fts_finds(ledger: Ledger, text: str) -> None:
    def ids(condition: sa.ColumnElement[bool] | None) -> set[str]:
        stmt = sa.select(schema.statements.c.id)
        with ledger.engine.connect() as conn:
            return set(conn.execute(stmt if condition is None else stmt.where(condition)).scalars())

    assert ids(fulltext.search_condition("sqlite", text)) == ids(fulltext.search_condition("postgresql", text))


def test_fts5_query_quotes_every_word() -> None:
    assert fulltext.fts5_query('Putin\'s "missile') == '"Putin\'s" """missile"'
    assert fulltext.fts5_query('" * ( ) ^') is None


# --- articles ------------------------------------------------------------------------------------------------
def test_article_by_id_and_prefix(ledger: Ledger) -> None:
    art, stmts = oreshnik()
    record = query.article(ledger, art.id)
    assert record is not None
    assert {k: record[k] for k in ("id", "url", "title", "outlet", "published", "lang", "source", "text")} == {
        "id": art.id, "url": art.url, "title": art.title, "outlet": "Interfax", "published": "2024-12-06",
        "lang": "en", "source": "examples/oreshnik.txt", "text": art.text}
    assert record["paragraphs"] == [{"start": p.start, "end": p.end, "section": p.section, "kind": p.kind}
                                    for p in art.paragraphs]
    assert record["notes"] == [{"start": n.start, "end": n.end, "text": "[Minsk did not comment - ed.]"}
                               for n in art.notes]
    assert [r["id"] for r in record["statements"]] == [st.id for st in stmts]   # in text order
    assert record["statements"][0] == stmts[0].to_record(art)
    assert query.article(ledger, art.id[:6]) == record
    assert query.article(ledger, art.id[:6].upper()) == record
    assert query.article(ledger, art.id[:5]) is None                           # too short to be a prefix
    assert query.article(ledger, "ffffffffffffffff") is None
    assert query.article(ledger, "%%%%%%") is None


def test_article_ambiguous_prefix_is_none(ledger: Ledger) -> None:
    with ledger.engine.begin() as conn:  # two ids sharing a 6-character prefix
        for suffix in ("0", "1"):
            conn.execute(sa.insert(schema.articles).values(
                id="abcdef" + suffix, title="t", lang="en", text=suffix, content_hash=suffix,
                ingested_at=sa.func.current_timestamp()))
    assert query.article(ledger, "abcdef") is None
    assert query.article(ledger, "abcdef0") is not None


def test_articles_listing(ledger: Ledger) -> None:
    listed = query.articles(ledger)
    assert [(a["outlet"], a["published"], a["statements"]) for a in listed] == [
        ("Interfax", "2024-12-06", 3), ("Meduza", "2024-11-20", 3), (None, None, 1)]
    assert set(listed[0]) == {"id", "title", "outlet", "published", "statements"}
    assert len(query.articles(ledger, limit=1)) == 1


def test_stats(ledger: Ledger) -> None:
    data = query.stats(ledger)
    assert data["articles"] == 3 and data["statements"] == 7
    assert data["by_outlet"] == [("Interfax", 1, 3), ("Meduza", 1, 3), (None, 1, 1)]
    assert data["by_speaker"][0] == ("Vladimir Putin", 2)
    assert (None, 1) in data["by_speaker"] and len(data["by_speaker"]) == 6
    assert data["by_kind"][0] == ("assertion", 3)
    assert dict(data["by_kind"]) == {"assertion": 3, "prediction": 1, "denial": 1, "announcement": 1, "question": 1}
    assert data["by_relay"] == [("RIA Novosti", 2), ("Interfax", 1), ("Reuters", 1), ("TASS", 1)]


def test_empty_ledger() -> None:
    with open_ledger("sqlite://") as led:
        assert query.statements(led) == [] and query.articles(led) == []
        assert query.stats(led) == {"articles": 0, "statements": 0, "by_outlet": [], "by_speaker": [],
                                    "by_kind": [], "by_relay": []}


# --- PostgreSQL ----------------------------------------------------------------------------------------------
def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        pytest.skip(f"could not {what} a throwaway PostgreSQL: {(done.stderr or done.stdout).strip()[-300:]}")


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster in a temporary folder, listening only on a Unix socket there."""
    if not (shutil.which("initdb") and shutil.which("pg_ctl")):
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not on PATH")
    pytest.importorskip("psycopg", reason="the psycopg driver is not installed")
    as_user: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="onrecord-pg-"))  # short: a socket path must stay under ~100 bytes
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        if not shutil.which("runuser"):
            pytest.skip("running as root and runuser is not available to start PostgreSQL as another user")
        try:
            shutil.chown(base, "postgres")
        except (LookupError, PermissionError) as exc:
            pytest.skip(f"running as root and no postgres user to run PostgreSQL as ({exc})")
        as_user = ["runuser", "-u", "postgres", "--"]
    data = base / "data"
    try:
        _run([*as_user, "initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
              "--locale=C.UTF-8", "--no-sync"], "initialise")
        _run([*as_user, "pg_ctl", "-D", str(data), "-l", str(base / "log"), "-w", "-t", "60",
              "-o", f"-c listen_addresses='' -k {base} -c fsync=off", "start"], "start")
        yield f"postgresql+psycopg://postgres@/postgres?host={base}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*as_user, "pg_ctl", "-D", str(data), "-m", "immediate", "stop"],
                           capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


def test_postgresql_write_and_query(postgres_url: str) -> None:
    led = open_ledger(postgres_url)
    try:
        led.migrate()  # a second migrate is a no-op here too
        items = fill(led)
        again = led.write_batch(items)
        assert (again.ingested, again.duplicates, again.statements) == (0, 3, 0)
        expected = {st.id: st.to_record(art) for art, stmts in items for st in stmts}
        assert {r["id"]: r for r in query.statements(led, limit=None)} == expected
        assert set(contents(query.statements(led, speaker="ВЛАДИМИР"))) == {"ответ будет зеркальным"}
        assert contents(query.statements(led, search='Putin\'s "missile')) == [
            "Putin's missile threats would not stop Ukraine"]
        assert query.statements(led, search="100% _") == []
        assert len(query.statements(led, since=date(2024, 12, 6))) == 2
        assert contents(query.statements(led, relayed_by="ria", about="belarus")) == [
            "the deployment of Oreshnik missiles in Belarus is possible in the second half of 2025"]
        assert query.article(led, items[0][0].id[:8]) == query.article(led, items[0][0].id)
        assert query.stats(led)["by_relay"] == [("RIA Novosti", 2), ("Interfax", 1), ("Reuters", 1), ("TASS", 1)]
        assert [a["statements"] for a in query.articles(led)] == [3, 3, 1]
        with led.engine.connect() as conn:
            view = conn.execute(sa.text("SELECT count(*) FROM statement_view")).scalar_one()
        assert view == 7
    finally:
        led.close()
