"""Timelines ordered by when things were said or happened, on real Wikinews articles about GM's bankruptcy
(examples/wikinews.jsonl lines 9 and 10, published 2009-06-01 and 2009-06-04)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from onrecord.ingest import iter_articles
from onrecord.ledger import Ledger, open_ledger
from onrecord.resolve import stories, timelines

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "wikinews.jsonl"


@pytest.fixture(scope="module")
def ledger(nlp: Any) -> Iterator[Ledger]:
    from onrecord.extract.pipeline import extract_many

    articles = list(iter_articles([str(EXAMPLES)]))
    led = open_ledger("sqlite://")
    led.write_batch(list(extract_many([articles[10], articles[9]], nlp)), after=stories.update)  # type: ignore[list-item]
    yield led
    led.close()


def test_sentences_and_event_sentences() -> None:
    text = "GM filed on June 1. Its CEO spoke. \"We will,\" he said on Thursday.\n\nNo date here."
    spans = timelines.sentences(text)
    assert [text[a:b] for a, b in spans] == ["GM filed on June 1.", "Its CEO spoke.",
                                              "\"We will,\" he said on Thursday.", "No date here."]
    found = timelines.event_sentences(text, date(2009, 6, 4))
    assert [(f["text"], f["when"]["start"]) for f in found] == [("GM filed on June 1.", "2009-06-01"),
                                                                  ("\"We will,\" he said on Thursday.", "2009-06-04")]
    assert timelines.event_sentences(text, date(2009, 6, 4), skip=[(20, 80)])[-1]["text"] == "GM filed on June 1."
    assert timelines.event_sentences("Its CEO spoke on Thursday.", None) == []  # no anchor: not resolved


def test_story_timeline_orders_by_when_said_or_happened(ledger: Ledger) -> None:
    with ledger.engine.connect() as conn:
        (gm,) = [s for s in stories.list_stories(conn) if s["articles"] == 2]
        found = timelines.timeline(conn, gm["id"][:10])
    items, undated = found["items"], found["undated"]
    assert found["target"]["story"]["id"] == gm["id"]
    starts = [i["when"]["start"] for i in items]
    assert starts == sorted(starts) and starts
    # the 2009-06-04 article reports the 1 June press conference: placed on 1 June, before its publication date
    early = [i for i in items if i["article"]["published"] == "2009-06-04" and i["when"]["start"] == "2009-06-01"]
    assert early and "Fritz Henderson" in early[0]["text"]
    for item in items:
        assert item["when"]["basis"] in {"said_on", "stated in the text"}
        article_text = conn_text(ledger, item["article"]["id"])
        if item["kind"] == "event":
            assert article_text[item["span"][0]:item["span"][1]].strip() == item["text"]
    assert undated and all(u["undated"] and u["when"] is None and u["article"]["published"] for u in undated)


def conn_text(ledger: Ledger, article_id: str) -> str:
    import sqlalchemy as sa

    from onrecord.ledger import schema

    with ledger.engine.connect() as conn:
        return str(conn.execute(sa.select(schema.articles.c.text).where(schema.articles.c.id == article_id))
                   .scalar_one())


def test_entity_timeline_names_the_entity(ledger: Ledger) -> None:
    with ledger.engine.connect() as conn:
        found = timelines.timeline(conn, "Fritz Henderson")
        assert found["target"]["entity"]["entities"]
        events = [i for i in found["items"] if i["kind"] == "event"]
        assert events and all("Henderson" in i["text"] for i in events)
        said = [i for i in [*found["items"], *found["undated"]] if i["kind"] == "statement"]
        assert said and all(i["speaker"] in {"Fritz Henderson", None} or i["text"] for i in said)
        with pytest.raises(timelines.TimelineError, match="neither a story id nor an entity"):
            timelines.timeline(conn, "Nobody Atall")
