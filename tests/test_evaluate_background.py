"""The background evaluation adapter on the real data set (../shared/eval/timeline_summarization/background_summaries,
read in place): our ROUGE equals rouge-score's, every system is extractive over earlier updates within the budget,
and ``evaluate`` reports the figures the CLI prints."""

from __future__ import annotations

import random

import pytest
from rouge_score import rouge_scorer

from conftest import eval_path
from onrecord.errors import OnrecordError
from onrecord.evaluate.background import Rouge, lcs_length, load_event, run_systems, sentences
from onrecord.evaluate.background import evaluate as evaluate_background
from onrecord.resolve.background_rank import Params


def _timeline(event: str = "haitian_earthquake", annotator: str = "annotator1") -> list:
    root = eval_path("timeline_summarization", "background_summaries")
    return load_event(root / "events" / event, annotator)


def test_rouge_equals_rouge_score_on_real_outputs() -> None:
    reference = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    ours = Rouge()
    timeline = _timeline()
    for t in range(1, len(timeline)):
        for text in run_systems(timeline[:t], timeline[t], Params()).values():
            expected, got = reference.score(timeline[t].background, text), ours.score(timeline[t].background, text)
            for metric, score in expected.items():
                assert got[metric].fmeasure == pytest.approx(score.fmeasure, abs=1e-12)
                assert got[metric].precision == pytest.approx(score.precision, abs=1e-12)


def test_bit_parallel_lcs_equals_the_table() -> None:
    rng = random.Random(7)
    for _ in range(200):
        a = [rng.choice("abcde") for _ in range(rng.randint(0, 30))]
        b = [rng.choice("abcde") for _ in range(rng.randint(0, 30))]
        table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
        assert lcs_length(a, b) == table[-1][-1]


def test_every_system_is_extractive_over_earlier_updates_within_budget() -> None:
    timeline = _timeline("mj_death", "annotator2")
    params = Params()
    for t in (3, 10, 20):
        earlier = {s for step in timeline[:t] for s in sentences(step.update)}
        for name, text in run_systems(timeline[:t], timeline[t], params).items():
            assert text, name
            assert len(text.split()) <= params.budget_words
            picked = [s for s in earlier if s in text]
            assert sum(len(s) for s in picked) >= len(text.replace(" ", "")) * 0.9 - len(picked), name


def test_evaluate_reports_rouge_per_annotator_and_baselines() -> None:
    eval_path("timeline_summarization", "background_summaries")
    figures = evaluate_background(split="dev", limit=6)
    assert figures["documents"] == 6
    for key in ("rouge1", "rouge2", "rougeL"):
        assert 0.0 < figures[key] < 1.0
    assert figures["rouge1"] > figures["rouge2"]
    assert set(figures["per_annotator"]) == {"annotator1"}  # the first six documents are annotator 1's
    assert set(figures["baselines"]) == {"lead", "recent", "lexrank"}
    assert figures["paper_baselines"].startswith("unconfirmed")
    assert figures["rouge"]["onrecord/rouge1"]["f1"] == pytest.approx(figures["rouge1"], abs=1e-4)


def test_unknown_split_is_a_one_line_error() -> None:
    eval_path("timeline_summarization", "background_summaries")
    with pytest.raises(OnrecordError, match="no split 'validation'"):
        evaluate_background(split="validation")
