"""Drafted background on real articles: a small ledger of Wikinews car-industry articles (examples/wikinews.jsonl,
CC BY 2.5) and a later article drafted against it; an unrelated Ukraine-war article (../shared/eval) gets an
explicit "nothing related"."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from conftest import ROOT, eval_path
from onrecord.batch import ingest_paths
from onrecord.cli import app
from onrecord.extract import extract_article
from onrecord.ingest import iter_articles
from onrecord.ledger import open_ledger
from onrecord.records import Article
from onrecord.resolve.background import UndatedArticle, draft, keywords
from onrecord.resolve.background_rank import Candidate, Params, Query, select

WIKINEWS = ROOT / "examples" / "wikinews.jsonl"
#: lines of examples/wikinews.jsonl: Ford 2006, GM and Chrysler seek aid 2009-02-18, Obama's GM rescue plan
#: 2009-06-01, "New GM" 2009-06-04, Saturn to Penske 2009-06-05, GM cuts jobs at Opel 2009-11-05, and two others
#: (Boeing 787 2007, Apple WWDC 2005).
STORED = (7, 8, 9, 10, 11, 12, 0, 19)
FIAT = 13  # "Fiat plans to buy majority stake in Chrysler", 2011-05-29
UKRAINE = "20220323T184500Z_UA_en_20bf88da37.txt"


def _lines(indexes: tuple[int, ...]) -> str:
    lines = WIKINEWS.read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[i] for i in indexes) + "\n"


def _article(path: Path | str, **over: object) -> Article:
    found = [a for a in iter_articles([str(path)], **over) if isinstance(a, Article)]  # type: ignore[arg-type]
    assert len(found) == 1
    return found[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, nlp: object) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("background")
    (folder / "stored.jsonl").write_text(_lines(STORED), encoding="utf-8")
    (folder / "fiat.jsonl").write_text(_lines((FIAT,)), encoding="utf-8")
    url = f"sqlite:///{folder / 'ledger.db'}"
    ledger = open_ledger(url)
    summary = ingest_paths([str(folder / "stored.jsonl")], ledger)
    ledger.close()
    assert summary.ingested == len(STORED)
    return url, folder


@pytest.fixture(scope="module")
def fiat(built: tuple[str, Path]) -> tuple[Article, dict]:
    url, folder = built
    article = _article(folder / "fiat.jsonl")
    ledger = open_ledger(url)
    with ledger.engine.connect() as conn:
        result = draft(conn, article, extract_article(article))
    ledger.close()
    return article, result


def _stored(url: str, statement_id: str) -> dict:
    ledger = open_ledger(url)
    with ledger.engine.connect() as conn:
        row = conn.execute(sa.text(
            "SELECT s.content, s.content_start, s.content_end, s.said_on_start, a.published, a.text, s.speaker_name "
            "FROM statements s JOIN articles a ON a.id = s.article_id WHERE s.id = :i"), {"i": statement_id}).one()
    ledger.close()
    return dict(row._mapping)


def test_every_line_is_a_stored_statement_quoted_verbatim_and_earlier(built: tuple[str, Path], fiat: tuple) -> None:
    url, _ = built
    article, result = fiat
    assert result["status"] == "drafted" and result["reason"] is None
    items = [result["previously"], *result["background"]]
    assert len(items) >= 2
    for item in items:
        row = _stored(url, item["statement_id"])
        assert item["content"] == row["content"]
        # the words as written in the source article (a content the cue interrupts is its parts joined by " … ")
        assert all(part in row["text"] for part in row["content"].split(" … "))
        if row["content_start"] is not None:
            parts = row["content"].split(" … ")
            span = row["text"][row["content_start"]:row["content_end"]]
            assert span == row["content"] if len(parts) == 1 else span.startswith(parts[0]) and span.endswith(parts[-1])
        assert f"“{row['content']}”" in item["line"]
        assert item["speaker"] in item["line"]
        day = date.fromisoformat(str(row["said_on_start"] or row["published"]))
        assert day < article.published and date.fromisoformat(item["date"]) == day
        assert date.fromisoformat(str(row["published"])) < article.published


def test_every_line_is_related_by_an_actor_or_shared_terms(fiat: tuple) -> None:
    article, result = fiat
    text = f"{article.title} {article.text}".lower()
    for item in [result["previously"], *result["background"]]:
        evidence = item["evidence"]
        terms = evidence["shared_terms"]
        assert evidence["shared_actors"] or len(terms) >= 2
        assert all(t in text and t in item["content"].lower() for t in terms)
        assert evidence["score"] > 0


def test_previously_is_the_most_recent_related_statement(fiat: tuple) -> None:
    _, result = fiat
    assert all(item["date"] <= result["previously"]["date"] for item in result["background"])
    assert "Chrysler" in result["previously"]["evidence"]["shared_actors"]
    dates = [item["date"] for item in result["background"]]
    assert dates == sorted(dates)
    assert result["previously"]["statement_id"] not in {i["statement_id"] for i in result["background"]}


def test_unrelated_article_gets_an_explicit_nothing_related(built: tuple[str, Path]) -> None:
    url, _ = built
    path = eval_path("news", "ukraine_war_news_gdelt", "articles", UKRAINE)
    article = _article(path, published=date(2022, 3, 23))
    ledger = open_ledger(url)
    with ledger.engine.connect() as conn:
        result = draft(conn, article, extract_article(article))
    ledger.close()
    assert result["status"] == "nothing_related"
    assert result["previously"] is None and result["background"] == []
    assert result["reason"].startswith("nothing related")


def test_an_article_earlier_than_the_ledger_has_no_background(built: tuple[str, Path]) -> None:
    url, folder = built
    article = _article(folder / "fiat.jsonl", published=date(2005, 1, 1))
    ledger = open_ledger(url)
    with ledger.engine.connect() as conn:
        result = draft(conn, article, extract_article(article))
        with pytest.raises(UndatedArticle, match="no publication date"):
            draft(conn, Article(title="Undated", text="Undated\n\nChrysler said it would recover."), [])
    ledger.close()
    assert result["status"] == "nothing_related" and result["candidates"] == 0


def test_storyline_of_the_stored_copy_brings_its_statements(built: tuple[str, Path], tmp_path: Path) -> None:
    url, folder = built
    copy = tmp_path / "ledger.db"
    shutil.copy(url.removeprefix("sqlite:///"), copy)
    ledger = open_ledger(f"sqlite:///{copy}")
    ingest_paths([str(folder / "fiat.jsonl")], ledger)
    with ledger.engine.begin() as conn:
        car = [r[0] for r in conn.execute(sa.text(
            "SELECT id FROM articles WHERE title LIKE '%GM%' OR title LIKE '%Chrysler%' OR title LIKE '%General Motors%'"))]
        conn.execute(sa.text("DELETE FROM story_articles WHERE article_id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True)), {"ids": car})
        conn.execute(sa.text("INSERT INTO stories (id, title, size, centroid, actors, years, rule) "
                             "VALUES ('hand', 'car makers', :n, '{}', '{}', '{}', 'test: by hand')"), {"n": len(car)})
        for aid in car:
            conn.execute(sa.text("INSERT INTO story_articles (article_id, story_id, opened, score, rule, evidence) "
                                 "VALUES (:a, 'hand', 0, 1.0, 'test: by hand', '{}')"), {"a": aid})
    article = _article(folder / "fiat.jsonl")
    with ledger.engine.connect() as conn:
        result = draft(conn, article, extract_article(article))
    ledger.close()
    assert result["storyline"]["id"] == "hand"
    assert result["storyline"]["rule"] == "story of the stored copy of the article"
    items = [result["previously"], *result["background"]]
    assert all(i["evidence"]["in_story"] for i in items)
    assert all(i["date"] < "2011-05-29" for i in items)  # the stored copy itself is never its own background
    assert len(items) > 3


def test_cli_background_json(built: tuple[str, Path]) -> None:
    url, folder = built
    result = CliRunner().invoke(app, ["background", str(folder / "fiat.jsonl"), "--db", url, "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["status"] == "drafted" and found["previously"]["statement_id"]
    missing = CliRunner().invoke(app, ["background", str(folder / "nope.txt"), "--db", url])
    assert missing.exit_code == 1 and "no such file" in missing.output


# ---- the ranking core on plain records --------------------------------------------------------------------------
def _c(cid: str, text: str, day: date, actors: frozenset[str] = frozenset()) -> Candidate:
    return Candidate(id=cid, text=text, day=day, actors=actors)


def test_select_keeps_only_earlier_related_and_drops_near_duplicates() -> None:
    query = Query("Fiat will buy a majority stake in Chrysler after the bailout", date(2011, 5, 29),
                  frozenset({"chrysler"}))
    candidates = [
        _c("a", "Chrysler said the bailout saved thousands of jobs at its plants", date(2009, 6, 1),
           frozenset({"chrysler"})),
        _c("b", "Chrysler said the bailout saved thousands of jobs at its plants", date(2009, 6, 2),
           frozenset({"chrysler"})),
        _c("c", "Fiat agreed to take a stake in Chrysler in exchange for small car technology", date(2009, 4, 30)),
        _c("d", "The orchestra will tour Japan next spring with a new conductor", date(2010, 1, 1)),
        _c("e", "Fiat bought the rest of its Chrysler stake after the bailout", date(2011, 6, 1)),
    ]
    found = select(query, candidates, Params())
    chosen = [r.candidate.id for r in found.chosen]
    assert "d" not in chosen and "e" not in chosen  # unrelated; later than the query
    assert not {"a", "b"} <= set(chosen)  # the same words twice are shown once
    assert found.previously is not None and found.previously.candidate.id == "b"
    assert [r.candidate.day for r in found.chosen] == sorted(r.candidate.day for r in found.chosen)


def test_select_with_nothing_related_is_empty() -> None:
    query = Query("Fiat will buy a majority stake in Chrysler", date(2011, 5, 29))
    found = select(query, [_c("d", "The orchestra will tour Japan next spring with a new conductor",
                              date(2010, 1, 1))])
    assert found.previously is None and found.chosen == [] and found.considered == 1


def test_storyline_members_are_related_unless_an_inferred_story_needs_overlap() -> None:
    query = Query("Fiat will buy a majority stake in Chrysler", date(2011, 5, 29))
    member = Candidate(id="m", text="The orchestra will tour Japan next spring", day=date(2010, 1, 1), in_story=True)
    assert select(query, [member], Params()).previously is not None  # a known timeline: every member counts
    assert select(query, [member], Params(story_needs_overlap=True)).previously is None


def test_keywords_are_frequent_content_words() -> None:
    assert keywords("Chrysler and Fiat. Chrysler said Fiat would buy Chrysler.", k=2) == ["chrysler", "fiat"]
