"""Disputes: slot values, the rules that flag (and do not flag) a disagreement, the incremental step on real
GDELT war-news articles (read in place), and the ``onrecord disputes`` command."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from conftest import eval_path
from onrecord.batch.runner import ingest_paths
from onrecord.cli import app
from onrecord.ledger import Ledger, open_ledger, schema
from onrecord.resolve import disputes as D
from onrecord.resolve import slots as S
from onrecord.resolve.dispute_store import list_disputes

# The Dnipro strike of 21 November 2024, in the words the issue quotes from each speaker.
ICBM = "Russia launched an intercontinental ballistic missile at Dnipro"  # Ukraine's Air Force
RUBEZH = "the missile that hit Dnipro was based on the RS-26 Rubezh"  # the United States
ORESHNIK = "Russia struck Dnipro with the Oreshnik medium-range missile"  # Putin
KEDR = "the missile that hit Dnipro was launched from the Kedr missile system"  # Defence Intelligence of Ukraine


# --- slot values ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("content", "norm"), [
    (ICBM, "c:icbm"), (RUBEZH, "w:RS-26 Rubezh"), (ORESHNIK, "w:Oreshnik"), (KEDR, "w:Kedr"),
])
def test_weapon_values_read_named_systems_and_classes(content: str, norm: str) -> None:
    values = S.weapon_values(content)
    assert [v.norm for v in values] == [norm]
    assert content[values[0].start:values[0].end] == values[0].value


def test_deliveries_are_not_strikes() -> None:
    assert S.weapon_values("The US will send Patriot and ATACMS missiles to Ukraine") == []


def test_gazetteer_relations_decide_compatibility() -> None:
    assert S.weapon_relation("w:Oreshnik", "w:RS-26 Rubezh")[0] == "related"  # "based on" in the gazetteer note
    assert S.weapon_relation("w:Oreshnik", "c:icbm") == ("conflict", "class irbm conflicts with class icbm")
    assert S.weapon_relation("c:icbm", "c:ballistic")[0] == "compatible"
    assert S.weapon_relation("w:Oreshnik", "w:Kedr")[0] == "conflict"
    assert S.weapon_relation("c:icbm", "w:Kedr")[0] == "unknown"  # the gazetteer gives Kedr no class


@pytest.mark.parametrize(("content", "norm"), [
    ("At least five people were killed and 18 injured in Russian rocket strikes", "people|killed|5|inf"),
    ("Air defense forces destroyed and intercepted 6 Ukrainian drones", "ukrainian drones|downed|6|6"),
    ("hundreds of civilians were killed", "civilians|killed|200|999"),
])
def test_count_values_with_their_ranges(content: str, norm: str) -> None:
    assert [v.norm for v in S.count_values(content)] == [norm]


def test_rates_are_not_counts() -> None:
    assert S.count_values("Ukrainian forces are killing nearly 1,000 Russian troops every day") == []
    assert not S.counts_conflict("children|deported|6000|inf", "children|deported|19000|inf")
    assert S.counts_conflict("people|killed|12|12", "people|killed|20|inf")


# --- rules on statements ----------------------------------------------------------------------------------------
def _info(sid: str, speaker: str, content: str, day: date = date(2024, 11, 21), kind: str = "assertion",
          cue: str = "say") -> D.Info:
    info = D.Info(sid, f"a-{sid}", speaker, f"actor:{speaker}", day, kind, cue, content, 0,
                  about={"dnipro": "Dnipro"}, places={"dnipro"})
    info.values = S.statement_values(content)
    return info


def test_weapon_class_conflict_is_flagged_with_its_reason() -> None:
    links = D.compare(_info("1", "Air Force of Ukraine", ICBM), _info("2", "Vladimir Putin", ORESHNIK))
    assert [(lk.slot, lk.norm_a, lk.norm_b) for lk in links] == [("weapon", "c:icbm", "w:Oreshnik")]
    assert "conflicts" in links[0].evidence["why"] and links[0].evidence["places"] == {"dnipro": "Dnipro"}


def test_compatible_accounts_same_speaker_or_no_shared_event_are_not_flagged() -> None:
    assert D.compare(_info("1", "United States", RUBEZH), _info("2", "Vladimir Putin", ORESHNIK)) == []
    assert D.compare(_info("1", "Vladimir Putin", ICBM), _info("2", "Vladimir Putin", ORESHNIK)) == []
    far = _info("2", "Vladimir Putin", ORESHNIK, day=date(2024, 12, 20))
    assert D.compare(_info("1", "Air Force of Ukraine", ICBM), far) == []
    elsewhere = _info("2", "Vladimir Putin", ORESHNIK)
    elsewhere.about, elsewhere.places = {"kyiv": "Kyiv"}, {"kyiv"}
    assert D.compare(_info("1", "Air Force of Ukraine", ICBM), elsewhere) == []


def test_rejecting_a_plan_is_not_a_denial() -> None:
    assert D.denied_text(_info("1", "Vladimir Putin", "a peace plan proposed by African leaders", cue="reject")) is None
    rejected = _info("2", "Sergei Lavrov", "the assessments that Russia is using aggression", cue="reject")
    assert D.denied_text(rejected) == "Russia is using aggression"


# --- the incremental step on real articles ----------------------------------------------------------------------
GDELT = ("articles/20220202T180000Z_US_en_46dc752107.txt",  # Russia denies it intends to launch an attack
         "articles/20220211T130000Z_US_en_6ca7521c4e.txt",  # US intelligence: Russia could launch an attack
         "articles/20230317T171500Z_US_en_4a13b76da6.txt",  # the Black Sea drone: Russia denies its jet hit it
         "articles/20240507T131500Z_GB_en_94ab34e84a.txt",  # Putin denies Russia is isolated
         "articles_ru_943bd85/20240424T013000Z_RU_English_d34eaf3bdd.txt")  # UK aid package: no dispute


@pytest.fixture(scope="module")
def gdelt(tmp_path_factory: pytest.TempPathFactory, nlp: object) -> Ledger:
    root = eval_path("news", "ukraine_war_news_gdelt")
    ledger = open_ledger(f"sqlite:///{tmp_path_factory.mktemp('disputes') / 'ledger.db'}")
    for name in GDELT:
        m = re.match(r"(\d{4})(\d{2})(\d{2})T", Path(name).name)
        assert m is not None
        ingest_paths([str(root / name)], ledger, published=date(int(m[1]), int(m[2]), int(m[3])))
    with ledger.engine.begin() as conn:
        ids = list(conn.execute(sa.select(schema.articles.c.id)).scalars())
        D.update(conn, ids)
        D.update(conn, ids)  # idempotent: a second pass adds nothing
    return ledger


def _by_content(records: list[dict], start: str) -> dict:
    return next(r for r in records if r["content"].startswith(start))


def test_denials_of_what_another_speaker_claimed(gdelt: Ledger) -> None:
    with gdelt.engine.connect() as conn:
        found = list_disputes(conn)
    assert {d["slot"] for d in found} == {"claim"}
    drone = next(d for d in found if any(a["value"].startswith("its plane crashed") for a in d["accounts"]))
    values = {a["norm"]: a for a in drone["accounts"]}
    assert values["denied"]["value"] == "its plane crashed into the U.S. drone"  # the counterpoint is cut off
    assert values["denied"]["statements"][0]["speaker"]["name"] == "Russia"
    assert values["asserted"]["statements"][0]["content"].startswith("The crash between a Russian fighter jet")
    assert drone["about"] == [{"name": "United States", "kind": "country"}]
    assert "onrecord.disputes.denial.v1" in drone["reason"] and "'crash', 'drone'" in drone["reason"]
    attack = next(d for d in found if any(a["value"] == "it intends to launch an attack" for a in d["accounts"]))
    claims = [st for a in attack["accounts"] if a["norm"] == "asserted" for st in a["statements"]]
    assert any(st["content"].startswith("Russia could launch an attack on Ukraine") for st in claims)
    assert {st["article"]["id"] for st in claims} != {attack["links"][0]["statements"][0]}  # across articles


def test_obvious_non_disputes_are_not_flagged(gdelt: Ledger) -> None:
    with gdelt.engine.connect() as conn:
        flagged = set(conn.execute(sa.select(schema.dispute_accounts.c.statement_id)).scalars())
        rows = list(conn.execute(sa.select(schema.statements.c.id, schema.statements.c.content)))
    isolated = next(sid for sid, content in rows if content.startswith("Russia was isolated"))
    aid = next(sid for sid, content in rows if content.startswith("Britain will supply Ukraine"))
    assert isolated not in flagged and aid not in flagged


def test_links_keep_rule_and_evidence(gdelt: Ledger) -> None:
    with gdelt.engine.connect() as conn:
        rows = list(conn.execute(sa.select(schema.dispute_links)))
        counts = conn.execute(sa.select(sa.func.count()).select_from(schema.disputes)).scalar_one()
    assert rows and counts == len({r.dispute_id for r in rows})
    for row in rows:
        evidence = json.loads(row.evidence)
        assert row.rule == D.RULES["claim"] and len(evidence["terms"]) >= 2 and all(evidence["dates"])


def test_entity_filter_and_cli_jsonl(gdelt: Ledger) -> None:
    url = str(gdelt.engine.url)
    with gdelt.engine.connect() as conn:
        assert [d["id"] for d in list_disputes(conn, entity="united states")] != []
        assert list_disputes(conn, entity="no such entity anywhere") == []
    result = CliRunner().invoke(app, ["disputes", "--db", url, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines and set(lines[0]) >= {"id", "about", "slot", "accounts", "reason"}
    assert set(lines[0]["accounts"][0]) >= {"value", "statements"}
    bad = CliRunner().invoke(app, ["disputes", "--db", url, "--slot", "colour"])
    assert bad.exit_code == 1 and "--slot" in bad.output
