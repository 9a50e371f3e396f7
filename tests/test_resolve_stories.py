"""Storylines: the online clusterer in memory and in the ledger, on real Wikinews articles (examples/wikinews.jsonl).

Articles used (by line): 9 "Barack Obama presents rescue plan after GM declaration of bankruptcy" (2009-06-01),
10 "CEO of GM outlines plan for 'New GM' after auto company declared bankruptcy" (2009-06-04), 11 "Penske Auto
selected to buy General Motors' Saturn unit" (2009-06-05), 14 "U.S. stocks plummet amid global sell-off" (2007),
21 "Apple to give free cases, refunds to iPhone 4 owners" and 22 "Apple executive leaves company after iPhone 4
antenna issues" (2010).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from onrecord.ingest import iter_articles
from onrecord.ledger import Ledger, open_ledger, schema
from onrecord.records import Article, Statement
from onrecord.resolve import stories
from onrecord.resolve.cluster import (
    ClusterSettings,
    DocFeatures,
    StoryClusterer,
    features_of,
    name_key,
    participant_keys,
    short_names,
    stated_years,
    tokens,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "wikinews.jsonl"
LINES = (9, 10, 14, 21, 11, 22)


@pytest.fixture(scope="module")
def extracted(nlp: Any) -> list[tuple[Article, list[Statement]]]:
    from onrecord.extract.pipeline import extract_many

    articles = list(iter_articles([str(EXAMPLES)]))
    return list(extract_many([articles[i] for i in LINES], nlp))  # type: ignore[union-attr]


@pytest.fixture()
def ledger(extracted: list[tuple[Article, list[Statement]]]) -> Iterator[Ledger]:
    led = open_ledger("sqlite://")
    led.write_batch(extracted, after=stories.update)
    yield led
    led.close()


def title_story(conn: sa.Connection) -> dict[str, str]:
    a, sa_ = schema.articles, schema.story_articles
    rows = conn.execute(sa.select(a.c.title, sa_.c.story_id).join(sa_, sa_.c.article_id == a.c.id))
    return {title: story for title, story in rows}


def story_of(mapping: dict[str, str], start: str) -> str:
    return next(story for title, story in mapping.items() if title.startswith(start))


def test_tokens_and_short_names() -> None:
    assert tokens("The Dreamliner's maiden flight, said Boeing, was in 2009.") == Counter(
        {"dreamliner's": 1, "maiden": 1, "flight": 1, "boeing": 1})
    assert short_names(Counter({"Fritz Henderson": 2, "Henderson": 3, "GM": 1})) == Counter(
        {"Fritz Henderson": 5, "GM": 1})
    assert short_names(Counter({"Jane Smith": 1, "John Smith": 1, "Smith": 1}))["Smith"] == 1


def test_participant_keys_are_last_words() -> None:
    assert name_key("W. Mark Felt") == name_key("Mark Felt") == name_key("Felt") == "felt"
    assert name_key("New Orleans Saints") == "saints" and name_key("RB Pierre Thomas") == "thomas"
    assert name_key("U.S.") is None and name_key("3M") is None
    assert participant_keys(["Fritz Henderson", "Henderson", "GM", "General Motors"]) == Counter(
        {"henderson": 2, "gm": 1, "motors": 1})


def test_memory_clusterer_groups_the_gm_bankruptcy_and_keeps_stocks_apart(
        extracted: list[tuple[Article, list[Statement]]]) -> None:
    clusterer = StoryClusterer()
    placed = {a.title: clusterer.add(features_of(a, st)) for a, st in extracted}
    rescue = placed["Barack Obama presents rescue plan after GM declaration of bankruptcy"]
    new_gm = next(v for k, v in placed.items() if k.startswith("CEO of GM outlines"))
    stocks = placed["U.S. stocks plummet amid global sell-off"]
    assert rescue.opened and not new_gm.opened and new_gm.story_id == rescue.story_id
    assert new_gm.rule == "onrecord.stories.v3" and new_gm.score >= ClusterSettings().threshold
    assert "General Motors" in new_gm.evidence["shared_actors"] or "GM" in new_gm.evidence["shared_actors"]
    assert {"motors", "gm"} & set(new_gm.evidence["shared_participants"]) and new_gm.evidence["actors"] > 0
    assert "bankruptcy" in new_gm.evidence["shared_terms"]
    assert stocks.opened and stocks.story_id != rescue.story_id


def quake(doc_id: str, years: set[int]) -> DocFeatures:
    return DocFeatures(doc_id, "Quake", Counter({"earthquake": 3, "magnitude": 2, "struck": 1}), Counter({"USGS": 1}),
                       years=frozenset(years), participants=Counter({"usgs": 1}))


def test_event_year_conflict_is_penalised() -> None:
    clusterer = StoryClusterer()
    clusterer.add(quake("a", {2008}))
    joined = clusterer.add(quake("b", {2008}))
    conflicting = clusterer.add(quake("c", {2013}))
    assert not joined.opened and joined.evidence["conflicts"] == [] and joined.evidence["shared_years"] == [2008]
    assert joined.evidence["shared_participants"] == ["usgs"]
    assert conflicting.evidence["conflicts"] == ["years"] and conflicting.evidence["shared_years"] == []
    assert conflicting.score == pytest.approx(joined.score - ClusterSettings().conflict_penalty, abs=1e-3)


def test_a_shared_background_year_does_not_hide_another_event_year() -> None:
    """Two deaths of Watergate figures both state 1972; their latest years (2004, 2008) are their own events'."""
    clusterer = StoryClusterer()
    clusterer.add(quake("a", {1972, 2008}))
    other = clusterer.add(quake("b", {1972, 2004}))
    undated = clusterer.add(quake("c", set()))
    assert other.evidence["conflicts"] == ["years"] and other.evidence["event_year"] == 2004
    assert other.evidence["shared_years"] == [1972]
    assert undated.evidence["conflicts"] == [] and undated.evidence["event_year"] is None


def test_a_forecast_year_is_not_the_event_year() -> None:
    from datetime import date
    text = ("Putin said on 21 November 2024 that Oreshnik could be deployed in Belarus in the second half of 2025 "
            "and that production would reach its peak in 2026.")
    assert stated_years(text, date(2024, 11, 22)) == frozenset({2024})
    assert stated_years(text, None) == frozenset({2024, 2026})  # undated (ECB+): nothing to tell them apart


def test_memory_candidates_break_ties_by_story_id_as_the_ledger_does() -> None:
    """``LedgerStore`` orders candidates by shared keys, then story id; the memory store must agree, whatever order
    its sets iterate in, or the two stores place articles differently once more than ``max_candidates`` tie."""
    clusterer = StoryClusterer(ClusterSettings(threshold=2.0))  # every article opens a story
    for doc_id in ("c", "a", "d", "b"):
        clusterer.add(quake(doc_id, {2008}))
    store = clusterer.store
    assert [s.id for s in store.candidates(["earthquake", "magnitude"], 3)] == ["sa", "sb", "sc"]
    assert [s.id for s in store.candidates(["earthquake"], 10)] == ["sa", "sb", "sc", "sd"]


def test_ledger_update_places_each_article_once_with_evidence(ledger: Ledger) -> None:
    with ledger.engine.begin() as conn:
        mapping = title_story(conn)
        assert len(mapping) == len(LINES)
        gm = story_of(mapping, "Barack Obama presents rescue plan")
        assert story_of(mapping, "CEO of GM outlines") == gm
        assert story_of(mapping, "U.S. stocks plummet") != gm
        rows = conn.execute(sa.select(schema.story_articles)).all()
        joined = [r for r in rows if not r.opened]
        assert joined and all(json.loads(r.evidence)["shared_terms"] for r in joined)
        df = {k: v for k, v in conn.execute(sa.select(schema.story_terms.c.key, schema.story_terms.c.df))}
        assert df["bankruptcy"] >= 2
        assert df[stories.DOCS_KEY] == len(rows)  # the running article count the idf reads
        stories.update(conn, [r.article_id for r in rows])  # already placed: nothing changes
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.story_articles)).scalar_one() == len(rows)
        assert {k: v for k, v in conn.execute(sa.select(schema.story_terms.c.key, schema.story_terms.c.df))} == df


def test_a_ledger_without_the_running_count_is_counted_once(ledger: Ledger) -> None:
    with ledger.engine.begin() as conn:
        placed = conn.execute(sa.select(sa.func.count()).select_from(schema.story_articles)).scalar_one()
        conn.execute(sa.delete(schema.story_terms).where(schema.story_terms.c.key == stories.DOCS_KEY))
        assert stories.LedgerStore(conn).doc_count() == placed
        assert conn.execute(sa.select(schema.story_terms.c.df).where(
            schema.story_terms.c.key == stories.DOCS_KEY)).scalar_one() == placed


def test_ledger_and_memory_agree_and_rebuild_reproduces(ledger: Ledger,
                                                       extracted: list[tuple[Article, list[Statement]]]) -> None:
    with ledger.engine.begin() as conn:
        before = title_story(conn)
        assert stories.rebuild(conn) == len(LINES)
        assert title_story(conn) == before
    clusterer = StoryClusterer()
    memory = {a.title: clusterer.add(features_of(a, st)).story_id for a, st in extracted}
    groups = lambda m: sorted(sorted(t for t in m if m[t] == s) for s in set(m.values()))  # noqa: E731
    assert groups(memory) == groups(before)


def test_story_read_functions(ledger: Ledger) -> None:
    with ledger.engine.connect() as conn:
        listed = stories.list_stories(conn)
        assert sum(s["articles"] for s in listed) == len(LINES)
        gm = next(s for s in listed if s["title"].startswith("Barack Obama presents"))
        assert gm["articles"] >= 2 and gm["first_published"] == "2009-06-01"
        detail = stories.story(conn, gm["id"][:8])
        assert detail["id"] == gm["id"] and detail["members"][0]["opened"]
        assert any(not m["opened"] and m["evidence"]["shared_terms"] for m in detail["members"])
        assert detail["statements"]
        with pytest.raises(stories.StoryNotFound, match="no such story"):
            stories.story(conn, "zzzz")

