"""Expectations: real GDELT expectations get due windows and date-based statuses with no false evidence links;
short hand-written follow-up reports (of real events: Oreshnik in Belarus, the Blinken–Lavrov talks) settle them
only with evidence, in either ingest order; the CLI shape; candidates read through ``expectation_actors``
(migration m010) are exactly those of the query it replaced, on a ledger of real GDELT articles."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from typer.testing import CliRunner

from conftest import eval_path
from onrecord.cli import app
from onrecord.extract import extract_article
from onrecord.ingest.structure import parse_plain_text
from onrecord.ledger import Ledger, open_ledger, schema, store
from onrecord.resolve import expectations as E

GDELT = ("news", "ukraine_war_news_gdelt", "articles")
PUTIN = ("Putin on Oreshnik\n\nRussian President Vladimir Putin said on Friday that Oreshnik missiles will be deployed "
         "in Belarus in the second half of 2025, according to RIA Novosti.", date(2024, 12, 6))
DEPLOYED = ("Oreshnik in Belarus\n\nBelarusian President Alexander Lukashenko said on Thursday that the Oreshnik "
            "missile system has been deployed in Belarus and is on combat duty.", date(2025, 12, 18))
NO_LONGER = ("Oreshnik plans\n\nVladimir Putin said on Monday that Russia no longer plans to deploy Oreshnik missiles "
             "in Belarus.", date(2025, 3, 3))
POSTPONED = ("Oreshnik delayed\n\nBelarusian Defence Minister Viktor Khrenin said that the deployment of Oreshnik "
             "missiles in Belarus has been postponed.", date(2025, 9, 3))


def gdelt(name: str):
    path = eval_path(*GDELT, name)
    return parse_plain_text(path.read_text(encoding="utf-8"), published=date(int(name[:4]), int(name[4:6]),
                                                                              int(name[6:8])), url=f"gdelt:{name}")


def write(ledger: Ledger, nlp, *articles) -> None:
    items = [(art, extract_article(art, nlp)) for art in articles]
    ledger.write_batch(items, after=E.update)


def text(pair: tuple[str, date]):
    return parse_plain_text(pair[0], published=pair[1], url=f"test:{pair[1]}")


@pytest.fixture()
def ledger():
    led = open_ledger("sqlite://")
    yield led
    led.close()


def listing(ledger: Ledger, **kw):
    with ledger.engine.connect() as conn:
        return E.list_expectations(conn, **kw)


def test_real_expectation_statuses_by_date_and_no_false_link(ledger, nlp) -> None:
    # Pentagon, 2022-02-02: "will deploy 3,000 more troops ... in the next few days"; a White House official,
    # 2022-02-16: "7,000 extra troops have arrived" (Russian troops): must not settle the US deployment.
    write(ledger, nlp, gdelt("20220202T180000Z_US_en_46dc752107.txt"), gdelt("20220216T183000Z_GB_en_d3b9817766.txt"))
    found = [r for r in listing(ledger, as_of=date(2022, 2, 3)) if "3,000 more troops" in r["what"]]
    assert found and found[0]["due"] == {"start": "2022-02-02", "end": "2022-02-09"}
    assert found[0]["status"] == "due soon" and found[0]["evidence"] == []
    late = [r for r in listing(ledger, as_of=date(2022, 3, 1)) if "3,000 more troops" in r["what"]]
    assert late[0]["status"] == "overdue" and "ended before 2022-03-01" in late[0]["status_reason"]
    with ledger.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(E.ev)).scalar_one() == 0


def test_fulfilled_only_with_evidence_and_not_before_it_is_known(ledger, nlp) -> None:
    write(ledger, nlp, text(PUTIN), text(DEPLOYED))
    before = listing(ledger, as_of=date(2025, 1, 1))
    assert [r["status"] for r in before] == ["open"]
    assert listing(ledger, as_of=date(2025, 6, 20))[0]["status"] == "due soon"
    after = listing(ledger, as_of=date(2026, 1, 5))[0]
    assert after["status"] == "reported fulfilled"
    [link] = after["evidence"]
    assert link["verdict"] == "fulfilled" and link["rule"].endswith("fulfilled:past-of-expected-action")
    assert "deployed" in link["reason"] and link["statement"]["speaker"]["name"] == "Alexander Lukashenko"
    assert after["statement"]["speaker"]["name"] == "Vladimir Putin"


def test_evidence_ingested_before_the_expectation_still_links(ledger, nlp) -> None:
    write(ledger, nlp, text(DEPLOYED))
    write(ledger, nlp, text(PUTIN))
    assert listing(ledger, as_of=date(2026, 1, 5))[0]["status"] == "reported fulfilled"


def test_withdrawn_needs_the_same_actor_postponed_is_unfulfilled(ledger, nlp) -> None:
    write(ledger, nlp, text(PUTIN), text(NO_LONGER), text(POSTPONED))
    [row] = listing(ledger, as_of=date(2025, 12, 1))
    verdicts = {e["verdict"]: e for e in row["evidence"]}
    assert verdicts["withdrawn"]["statement"]["speaker"]["name"] == "Vladimir Putin"
    assert verdicts["unfulfilled"]["rule"].endswith("unfulfilled:postponed")
    assert row["status"] == "reported unfulfilled"  # the newest evidence (2025-09-03) decides
    assert listing(ledger, as_of=date(2025, 4, 1))[0]["status"] == "withdrawn"
    assert listing(ledger, as_of=date(2025, 4, 1), status_filter="withdrawn", speaker="putin")


def test_real_talks_expectation_called_off(ledger, nlp) -> None:
    # GDELT 2022-02-19: Blinken "is due to hold talks with ... Sergei Lavrov, next Thursday"; he called them off
    # on 2022-02-22 (a short hand-written report of that event).
    called_off = ("Blinken and Lavrov\n\nUS Secretary of State Antony Blinken said on Tuesday that he had called "
                  "off his talks with Russian Foreign Minister Sergei Lavrov.", date(2022, 2, 22))
    write(ledger, nlp, gdelt("20220219T000000Z_GB_en_d13c9b63bf.txt"), text(called_off))
    rows = [r for r in listing(ledger, as_of=date(2022, 3, 1)) if "Lavrov" in r["what"]]
    assert rows and rows[0]["status"] == "reported unfulfilled"
    assert rows[0]["evidence"][0]["rule"].endswith("unfulfilled:cancelled")


def test_rebuild_gives_the_same_links(ledger, nlp) -> None:
    write(ledger, nlp, text(PUTIN), text(DEPLOYED))
    with ledger.engine.begin() as conn:
        before = sorted(conn.execute(sa.select(E.ev.c.statement_id, E.ev.c.verdict)).all())
        E.rebuild(conn)
        assert sorted(conn.execute(sa.select(E.ev.c.statement_id, E.ev.c.verdict)).all()) == before


def test_links_found_from_the_evidence_side_equal_a_rebuild(ledger, nlp) -> None:
    """Follow-ups written after the expectation meet it as an earlier expectation (through expectation_actors and
    the text gate); a rebuild meets them as later statements of the expectation: the same links either way."""
    for item in (PUTIN, NO_LONGER, POSTPONED, DEPLOYED):
        write(ledger, nlp, text(item))
    with ledger.engine.begin() as conn:
        links = sorted(conn.execute(sa.select(E.ev.c.statement_id, E.ev.c.verdict, E.ev.c.rule)).all())
        E.rebuild(conn)
        assert sorted(conn.execute(sa.select(E.ev.c.statement_id, E.ev.c.verdict, E.ev.c.rule)).all()) == links
    assert sorted(verdict for _, verdict, _ in links) == ["fulfilled", "unfulfilled", "withdrawn"]


def test_cli_jsonl_shape_and_bad_status(tmp_path: Path, nlp) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    led = open_ledger(url)
    write(led, nlp, text(PUTIN), text(DEPLOYED))
    led.close()
    runner = CliRunner()
    result = runner.invoke(app, ["expectations", "--db", url, "--format", "jsonl", "--as-of", "2026-01-05",
                                 "--status", "reported-fulfilled"])
    assert result.exit_code == 0, result.output
    [rec] = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"id", "statement", "what", "due", "status", "evidence"} <= set(rec)
    assert set(rec["evidence"][0]) >= {"statement", "reason"}
    bad = runner.invoke(app, ["expectations", "--db", url, "--status", "late"])
    assert bad.exit_code == 1 and "not a status" in bad.output


# --- candidates through expectation_actors (m010) --------------------------------------------------------------
def _before_m010(conn: sa.Connection, statement: dict, family: set[str], by_date: bool) -> list[str]:
    """The candidate query of the expectations step before m010 (both of its plans): expectations of other
    articles, stated before the statement, whose statement's speaker or an entity it is about is in ``family``."""
    s = schema.statements
    query = (sa.select(E.ex.c.id).join(s, s.c.id == E.ex.c.statement_id)
             .where(E._sharing(family, by_date=by_date), E.ex.c.stated_on < statement["evidence_on"],
                    E.ex.c.article_id != statement["article_id"])
             .order_by(E.ex.c.stated_on.desc(), E.ex.c.id.desc()).limit(E.CANDIDATES))
    return list(conn.execute(query).scalars())


@pytest.fixture(scope="module")
def gdelt_ledger(gdelt_ledger_url: str) -> str:
    """The shared ledger of 60 real GDELT articles (every 5th of the first 300, so dates spread over weeks), written
    through every resolve step (tests/conftest.py)."""
    return gdelt_ledger_url


def _actor_rows(url: str) -> list[tuple]:
    with sa.create_engine(url).connect() as conn:
        return sorted(tuple(r) for r in conn.execute(sa.select(E.xa)))


@pytest.mark.parametrize("cap", [E.CANDIDATES, 3])
def test_candidates_through_expectation_actors_equal_the_old_query(gdelt_ledger: str, cap: int,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """For every statement of the ledger: the same expectations in the same order as before m010, with the
    ledger's cap and with a cap of 3 that cuts the lists of the busy actors (Russia, Ukraine, Putin)."""
    monkeypatch.setattr(E, "CANDIDATES", cap)
    with open_ledger(gdelt_ledger) as led, led.engine.connect() as conn:
        articles = list(conn.execute(sa.select(schema.articles.c.id)).scalars())
        statements = E._statement_rows(conn, articles)
        about = E._about_map(conn, [st["id"] for st in statements])
        families, earlier = E._Families(conn), E._Earlier(conn)
        compared = cut = 0
        for st in statements:
            family = families.family(about.get(st["id"], set()) | ({st["speaker_entity_id"]} - {None}))
            new = earlier.of(st, family)
            assert new == _before_m010(conn, st, family, by_date=False) == _before_m010(conn, st, family, True)
            compared += bool(new)
            cut += len(new) == cap
    assert compared >= 100  # statements with earlier expectations to compare
    assert cut >= 20 if cap == 3 else cut == 0


def test_m010_backfill_gives_the_rows_register_writes(gdelt_ledger: str, tmp_path: Path) -> None:
    """Down to m008 and up again: the migration's SQL backfill rebuilds exactly the rows the write path wrote,
    and a rebuild of the expectations writes them again."""
    copy = tmp_path / "copy.db"
    with sa.create_engine(gdelt_ledger).connect() as conn:
        conn.exec_driver_sql(f"VACUUM INTO '{copy}'")
    url = f"sqlite:///{copy}"
    written = _actor_rows(url)
    with sa.create_engine(url).connect() as conn:
        expectations = conn.execute(sa.select(sa.func.count()).select_from(E.ex)).scalar_one()
    assert len(written) > expectations >= 10  # a speaker and/or the entities each one is about
    cfg = Config(str(store.ALEMBIC_INI))
    cfg.set_main_option("sqlalchemy.url", url)
    command.downgrade(cfg, "m010_expectation_actors@-1")
    with sa.create_engine(url).connect() as conn:
        assert "expectation_actors" not in sa.inspect(conn).get_table_names()
    with open_ledger(url) as led:
        assert _actor_rows(url) == written
        with led.engine.begin() as conn:
            E.rebuild(conn)
    assert _actor_rows(url) == written
