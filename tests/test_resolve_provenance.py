"""Provenance: near-duplicates of a real quotation across GDELT articles, relay chains grouped into independent
origins, the single-state-affiliated-origin flag, PROV-O JSON-LD that parses back, the CLI and its errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import PROV
from typer.testing import CliRunner

from conftest import eval_path
from onrecord.cli import app
from onrecord.extract import extract_article
from onrecord.ingest.structure import parse_plain_text
from onrecord.ledger import Ledger, open_ledger
from onrecord.query import statements
from onrecord.resolve import provenance as P

GDELT = ("news", "ukraine_war_news_gdelt")
RIA = ("Putin on Oreshnik\n\nRussian President Vladimir Putin said that Oreshnik missiles will be deployed in Belarus "
       "in the second half of 2025, according to RIA Novosti.")


def gdelt(*parts: str):
    path = eval_path(*GDELT, *parts)
    name = parts[-1]
    return parse_plain_text(path.read_text(encoding="utf-8"), url=f"gdelt:{name}",
                            published=date(int(name[:4]), int(name[4:6]), int(name[6:8])))


@pytest.fixture()
def ledger():
    led = open_ledger("sqlite://")
    yield led
    led.close()


def write(ledger: Ledger, nlp, *articles) -> None:
    ledger.write_batch([(art, extract_article(art, nlp)) for art in articles])


def trace(ledger: Ledger, statement_id: str) -> dict:
    with ledger.engine.connect() as conn:
        return P.provenance(conn, statement_id)


def test_real_quote_carried_by_two_articles_with_separate_origins(ledger, nlp) -> None:
    # Macron's "I'm not ruling anything out" (to The Economist) in a US article and in an RU-outlet article.
    write(ledger, nlp, gdelt("articles", "20240506T163000Z_US_en_82a7e221df.txt"),
          gdelt("articles_ru_943bd85", "20240502T143000Z_RU_English_75a5081bd0.txt"),
          gdelt("articles", "20240507T123000Z_US_en_83935d9c58.txt"))
    [root] = [r for r in statements(ledger, search="ruling anything out", limit=None)
              if r["article"]["url"].startswith("gdelt:20240506")]
    result = trace(ledger, root["id"])
    assert len(result["articles"]) == 2
    assert {c["statement"]["speaker"]["name"] for c in result["carriers"]} == {"Emmanuel Macron"}
    assert all(c["rule"].startswith(P.RULESET) for c in result["carriers"])
    assert "The Economist" in {o["outlet"] for o in result["origins"]}
    assert result["independent_origins"] == len(result["origins"]) == 2  # the other article names no outlet
    assert result["single_state_affiliated_origin"] is False


def test_one_state_owned_origin_is_flagged_and_prov_parses_back(ledger, nlp) -> None:
    for outlet, day, extra in (("BelTA", date(2024, 12, 6), ""), ("Meduza", date(2024, 12, 7), "\n\nMinsk agreed.")):
        write(ledger, nlp, parse_plain_text(RIA + extra, outlet=outlet, published=day, url=f"test:{outlet}"))
    root = statements(ledger, outlet="BelTA", limit=None)[0]
    result = trace(ledger, root["id"])
    assert len(result["articles"]) == 2 and result["independent_origins"] == 1
    assert result["origins"][0]["outlet"] == "RIA Novosti" and result["origins"][0]["rule"] == "innermost relay"
    assert result["single_state_affiliated_origin"] is True and "state-owned" in result["flag_reason"]
    graph = Graph().parse(data=P.prov_jsonld(result), format="json-ld")
    assert len(graph) == len(P.to_prov(result))
    assert len(list(graph.triples((None, PROV.hadPrimarySource, None)))) == 2
    assert len(list(graph.triples((None, PROV.wasQuotedFrom, None)))) == 4  # report←utterance, statement←report


def test_a_different_speaker_is_not_a_carrier(ledger, nlp) -> None:
    other = RIA.replace("Russian President Vladimir Putin", "Belarusian President Alexander Lukashenko")
    write(ledger, nlp, parse_plain_text(RIA, outlet="BelTA", published=date(2024, 12, 6), url="test:a"),
          parse_plain_text(other, outlet="BelTA", published=date(2024, 12, 7), url="test:b"))
    root = statements(ledger, speaker="Putin", limit=None)[0]
    assert trace(ledger, root["id"])["articles"] == [root["article"]["id"]]


def test_cli_formats_and_unknown_id(tmp_path: Path, nlp) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    led = open_ledger(url)
    write(led, nlp, parse_plain_text(RIA, outlet="BelTA", published=date(2024, 12, 6), url="test:a"))
    sid = statements(led, limit=None)[0]["id"]
    led.close()
    runner = CliRunner()
    table = runner.invoke(app, ["provenance", sid, "--db", url])
    assert table.exit_code == 0 and "single state-affiliated origin" in table.stdout
    rec = json.loads(runner.invoke(app, ["provenance", sid, "--db", url, "--format", "jsonl"]).stdout)
    assert rec["independent_origins"] == 1 and rec["chains"][0]["relays"][0]["outlet"] == "RIA Novosti"
    prov = runner.invoke(app, ["provenance", sid, "--db", url, "--format", "prov"]).stdout
    assert "prov:wasAttributedTo" in prov and len(Graph().parse(data=prov, format="json-ld")) > 0
    bad = runner.invoke(app, ["provenance", "nope", "--db", url])
    assert bad.exit_code == 1 and "not in the ledger" in bad.output
