"""ECB+ entity coreference adapter: gold HUMAN_PART mentions read from the XML, B³, and a small run on --limit."""

from __future__ import annotations

from conftest import eval_path
from onrecord.evaluate import ecbplus_entities as ecb


def test_b_cubed_on_a_known_clustering() -> None:
    perfect = ecb.b_cubed(["a", "a", "b"], ["x", "x", "y"])
    assert perfect == {"p": 1.0, "r": 1.0, "f1": 1.0}
    lumped = ecb.b_cubed(["a", "a", "b"], ["x", "x", "x"])
    assert lumped["r"] == 1.0 and round(lumped["p"], 3) == round((2 / 3 * 2 + 1 / 3) / 3, 3)


def test_gold_mentions_and_named_ones_come_from_the_xml() -> None:
    root = eval_path("story_clustering", "ecbplus")
    doc = ecb.parse_document(root / "ECB+" / "1" / "1_10ecb.xml", {0, 1, 2, 3, 4, 5})
    texts = {m.text: m for m in doc.mentions}
    assert texts["Tara Reid"].named and texts["Tara Reid"].kind == "person"
    assert not texts["herself"].named
    assert texts["Tara Reid"].gold == texts["herself"].gold
    assert doc.text[texts["Tara Reid"].start:texts["Tara Reid"].end] == "Tara Reid"


def test_evaluate_on_a_limit_reports_b3_beside_the_baselines() -> None:
    result = ecb.evaluate(eval_path("story_clustering", "ecbplus"), limit=60)
    assert result["documents"] == 60 and result["mentions"] > 50
    assert set(result["baseline"]) == {"exact_string", "same_head"}
    assert 0.9 <= result["b3_p"] <= 1.0 and 0.5 <= result["b3_r"] <= 1.0
    # the resolver must merge across documents more than exact strings do, at nearly their precision
    assert result["b3_r"] > result["baseline"]["exact_string"]["r"]
