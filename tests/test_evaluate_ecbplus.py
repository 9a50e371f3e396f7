"""ECB+ adapter: documents read as articles (URL sentence kept out of the text), B³ on hand-checked clusterings,
and the whole evaluation on a small sample (the full 982-document run is `onrecord evaluate ecbplus`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from conftest import eval_path
from onrecord.evaluate import ecbplus
from onrecord.resolve.cluster import StoryClusterer, features_of


def test_b_cubed_by_hand() -> None:
    gold = ["a", "a", "b", "b"]
    assert ecbplus.b_cubed(["x", "x", "y", "y"], gold) == (1.0, 1.0, 1.0)
    p, r, f = ecbplus.b_cubed(["x", "x", "x", "x"], gold)  # one cluster: each item's cluster is half right
    assert (p, r) == (0.5, 1.0) and f == pytest.approx(2 / 3)
    p, r, _ = ecbplus.b_cubed(["1", "2", "3", "4"], gold)  # singletons: precision 1, recall 1/2
    assert (p, r) == (1.0, 0.5)
    assert ecbplus.scores(["x", "x", "y", "y"], gold)["v_measure"] == 1.0


def test_parse_document_keeps_the_url_out_of_the_text() -> None:
    root = eval_path("story_clustering", "ecbplus")
    doc = ecbplus.parse_document(root / "ECB+" / "1" / "1_1ecbplus.xml")
    assert doc.topic == "1" and doc.subtopic == "1ecbplus" and doc.name == "1_1ecbplus"
    assert doc.article.url is not None and doc.article.url.startswith("http://www.accesshollywood.com/lindsay")
    assert "accesshollywood" not in doc.article.text and "Lindsay Lohan" in doc.article.text
    assert doc.article.text.startswith(doc.article.title) and doc.article.published is None
    first, second = doc.article.paragraphs[:2]
    assert first.kind == "headline" and doc.article.text[second.start:second.end].strip()
    original = ecbplus.parse_document(root / "ECB+" / "1" / "1_1ecb.xml")
    assert original.subtopic == "1ecb" and original.article.url is None
    assert original.article.title.startswith("Another day in Hollywood")


def test_sample_has_both_subtopics_of_several_topics() -> None:
    docs = ecbplus.load_documents(eval_path("story_clustering", "ecbplus"), limit=24)
    assert len(docs) == 24 and {d.topic for d in docs} == {"1", "2"}
    assert {d.subtopic for d in docs} == {"1ecb", "1ecbplus", "2ecb", "2ecbplus"}


def test_evaluate_on_a_sample(nlp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    path = eval_path("story_clustering", "ecbplus")
    monkeypatch.setattr("onrecord.extract.pipeline.load_pipeline", lambda *a, **k: nlp)
    result = ecbplus.evaluate(path, limit=24)
    assert result["documents"] == 24 and result["gold_subtopics"] == 4 and result["gold_topics"] == 2
    for level in ("subtopic", "topic"):
        assert set(result[level]) == {"b3_p", "b3_r", "b3_f1", "v_measure"}
        assert set(result["baseline"][level]) == {"b3_p", "b3_r", "b3_f1", "v_measure"}
    # two celebrity-rehab and two Oscar-host stories: ours must separate the topics and mostly the sub-topics
    assert result["topic"]["b3_p"] >= 0.95
    assert result["subtopic"]["b3_f1"] >= 0.7
    assert 4 <= result["stories"] <= 12
    assert result["b3"]["ours subtopic"]["f1"] == result["subtopic"]["b3_f1"]
    assert result["by_topics"]["tuning 1-22"]["subtopic"] == result["subtopic"]  # topics 1 and 2 only
    orders = result["orders"]  # the same features in other arrival orders; seed 0 is the main run
    assert orders["seeds"] == [ecbplus.SEED, *ecbplus.OTHER_SEEDS]
    assert orders["subtopic_b3_f1"]["all"][str(ecbplus.SEED)] == result["subtopic"]["b3_f1"]
    assert set(orders["mean_subtopic_b3_f1"]) == {"all", "tuning 1-22"}
    assert min(orders["subtopic_b3_f1"]["all"].values()) >= 0.6
    assert all(m["topic"] in {"1", "2"} and min(max(n) for n in m["stories"]) >= 2 for m in result["merged_topics"])


def test_two_watergate_deaths_stay_two_stories(nlp: Any) -> None:
    """Topic 28: the deaths of Mark Felt (ECB, 2008) and Fred LaRue (ECB+, 2004) share Watergate's words and cast
    (Nixon, Woodward, Bernstein, "Deep Throat"); the participants and the event year keep them apart."""
    from onrecord.extract.pipeline import extract_many

    root = eval_path("story_clustering", "ecbplus") / "ECB+" / "28"
    names = ["28_1ecb", "28_2ecb", "28_3ecb", "28_1ecbplus", "28_2ecbplus", "28_4ecb"]
    docs = [ecbplus.parse_document(root / f"{n}.xml") for n in names]
    clusterer = StoryClusterer()
    placed = {d.name: clusterer.add(features_of(a, st))
              for d, (a, st) in zip(docs, extract_many([d.article for d in docs], nlp), strict=True)}
    felt, larue = placed["28_1ecb"].story_id, placed["28_1ecbplus"].story_id
    assert placed["28_1ecbplus"].opened and larue != felt
    assert placed["28_1ecbplus"].evidence["best_story"] == felt  # it was a candidate, and scored below the threshold
    assert {placed[n].story_id for n in ("28_2ecb", "28_3ecb", "28_4ecb")} == {felt}
    assert placed["28_2ecbplus"].story_id == larue and "larue" in placed["28_2ecbplus"].evidence["shared_participants"]
    assert "felt" in placed["28_4ecb"].evidence["shared_participants"]


def test_figures_by_topic_half() -> None:
    docs = ecbplus.load_documents(eval_path("story_clustering", "ecbplus"), limit=24)
    halves = ecbplus.by_topics(docs, [d.subtopic for d in docs])
    assert set(halves) == {"tuning 1-22"} and halves["tuning 1-22"]["documents"] == 24
    assert halves["tuning 1-22"]["subtopic"]["b3_f1"] == 1.0 and halves["tuning 1-22"]["topic"]["b3_p"] == 1.0


def test_numbers_read_as_printed() -> None:
    """The ecbplus files tokenise "4.6", "20-13" and "2:09" apart; the ecb files do not."""
    root = eval_path("story_clustering", "ecbplus") / "ECB+"
    quake = ecbplus.parse_document(root / "38" / "38_1ecbplus.xml").article.text
    assert quake.startswith("4.6 magnitude quake") and "a preliminary magnitude of 4.6 was" in quake
    assert ecbplus.fact_numbers(quake) == {"4.6", "2.9", "2.2", "1.2", "2:09", "2:12", "2:15"}  # no year, no "14"
    game = ecbplus.parse_document(root / "29" / "29_1ecbplus.xml").article.text
    assert game.startswith("Colts beat Chiefs 20-13 to clinch") and "December 23, 2012" in game
    assert {"20-13", "352"} <= ecbplus.fact_numbers(game)
    other = ecbplus.fact_numbers(ecbplus.parse_document(root / "29" / "29_1ecb.xml").article.text)
    assert {"31-24", "364"} <= other and "20-13" not in other


def test_merged_topics_say_what_each_subtopic_states(nlp: Any) -> None:
    """Topic 1 put in one story by hand: the diagnostic lists it, with Tara Reid's and Lindsay Lohan's names."""
    from onrecord.extract.pipeline import extract_many

    root = eval_path("story_clustering", "ecbplus") / "ECB+" / "1"
    docs = [ecbplus.parse_document(root / f"1_{n}.xml") for n in ("1ecb", "2ecb", "3ecb", "1ecbplus", "2ecbplus")]
    features = [features_of(a, st) for a, st in extract_many([d.article for d in docs], nlp)]
    merged = ecbplus.merged_topics(docs, ["s"] * 5, features)
    assert [m["topic"] for m in merged] == ["1"] and merged[0]["stories"] == [[3, 2]]
    stated = merged[0]["stated"]
    assert stated["1ecb"]["documents"] == 3 and ("reid", 3) in stated["1ecb"]["participants"]
    assert ("lohan", 2) in stated["1ecbplus"]["participants"]
    assert ecbplus.merged_topics(docs, ["a", "a", "a", "b", "b"], features) == []
    assert ecbplus.merged_topics(docs, ["a", "a", "a", "a", "b"], features) == []  # one document of 1ecbplus is no merge


@pytest.fixture(scope="module")
def klitschko(nlp: Any) -> tuple[list[ecbplus.EcbDocument], list[Any]]:
    """Topic 7's documents in a seeded shuffled order, extracted: two title defences of Wladimir Klitschko (against
    Hasim Rahman in Mannheim, ECB; against Tony Thompson in Bern, ECB+) that share the champion, his belts and
    most words."""
    import random

    from onrecord.extract.pipeline import extract_many

    root = eval_path("story_clustering", "ecbplus") / "ECB+" / "7"
    docs = [ecbplus.parse_document(p) for p in sorted(root.glob("*.xml"))]
    random.Random(ecbplus.SEED).shuffle(docs)
    return docs, list(extract_many([d.article for d in docs], nlp))


def test_a_story_that_took_in_a_second_event_is_split(klitschko: tuple[list[ecbplus.EcbDocument], list[Any]]) -> None:
    """Placed alone, without the split check, all 21 reports of topic 7 end in one story; with it, the story is
    cut in two once its halves are far apart (the two challengers and venues)."""
    from onrecord.resolve.cluster import ClusterSettings, MemoryStore

    docs, extracted = klitschko
    features = [features_of(a, st) for a, st in extracted]

    def place(settings: ClusterSettings) -> MemoryStore:
        store = MemoryStore()
        clusterer = StoryClusterer(settings, store)
        for f in features:
            clusterer.add(f)
        return store

    def mixed(store: MemoryStore) -> int:
        """Articles in a story where the other sub-topic has two or more articles."""
        subs: dict[str, list[str]] = {}
        for d, f in zip(docs, features, strict=True):
            subs.setdefault(store.story_of[f.id], []).append(d.subtopic)
        return sum(len(s) for s in subs.values() if min(s.count("7ecb"), s.count("7ecbplus")) >= 2)

    before = place(ClusterSettings(split_ratio=0.0))  # no split ever: ratio × within is never above between
    after = place(ClusterSettings())
    assert mixed(before) == len(docs) and mixed(after) == 0
    assert after.splits and all(s.evidence["ratio"] < ClusterSettings().split_ratio and len(s.moved) >= 2
                                for s in after.splits)
    sizes = {s.id: s.size for s in after.stories.values()}
    assert all(sizes[sid] == len(rows) for sid, rows in after.member_rows.items())


def test_a_split_in_the_ledger_moves_members_as_in_memory(
        klitschko: tuple[list[ecbplus.EcbDocument], list[Any]]) -> None:
    """The ledger's store splits as the memory store does: the moved rows go to the new story with the check's
    figures added to their evidence, and the stories' sizes, index keys and read functions follow."""
    import json

    import sqlalchemy as sa

    from onrecord.ledger import open_ledger, schema
    from onrecord.resolve import stories
    from onrecord.resolve.cluster import SPLIT_RULE, MemoryStore

    _, extracted = klitschko
    store = MemoryStore()
    clusterer = StoryClusterer(store=store)
    for a, st in extracted:
        clusterer.add(features_of(a, st))
    groups = lambda m: sorted(sorted(k for k in m if m[k] == s) for s in set(m.values()))  # noqa: E731
    led = open_ledger("sqlite://")
    try:
        led.write_batch(extracted, after=stories.update)
        sa_art = schema.story_articles
        with led.engine.connect() as conn:
            rows = conn.execute(sa.select(sa_art)).all()
            assert groups({r.article_id: r.story_id for r in rows}) == groups(store.story_of)
            moved = [r for r in rows if r.rule == SPLIT_RULE]
            assert len(moved) == sum(len(s.moved) for s in store.splits) >= 2
            for r in moved:
                split = json.loads(r.evidence)["split"]
                assert split["ratio"] < 0.55 and split["from"] != r.story_id and "shared_terms" in json.loads(r.evidence)
            sizes = dict(conn.execute(sa.select(schema.stories.c.id, schema.stories.c.size)).all())
            assert sizes == dict(Counter(r.story_id for r in rows))
            new = moved[0].story_id
            keys = set(conn.execute(sa.select(schema.story_keys.c.key).where(schema.story_keys.c.story_id == new)).scalars())
            assert "@thompson" in keys or "@rahman" in keys, sorted(keys)
            detail = stories.story(conn, new)
            assert {m["id"] for m in detail["members"]} == {r.article_id for r in rows if r.story_id == new}
            assert sum(r.opened for r in rows if r.story_id == new) == 1  # the member whose title it took
    finally:
        led.close()
