"""ECB+ adapter: documents read as articles (URL sentence kept out of the text), B³ on hand-checked clusterings,
and the whole evaluation on a small sample (the full 982-document run is `onrecord evaluate ecbplus`)."""

from __future__ import annotations

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
