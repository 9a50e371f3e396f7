"""SemEval-2015 Task 4 adapter: task date format, gold parsing, pair scoring by hand, and a one-entity run."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conftest import eval_path
from onrecord.evaluate import semeval_timeline as st
from onrecord.records import TimeRef


def test_task_date() -> None:
    assert st.task_date(TimeRef(date(2009, 6, 1), date(2009, 6, 1), "June 1", "day")) == "2009-06-01"
    assert st.task_date(TimeRef(date(2009, 6, 1), date(2009, 6, 30), "June", "month")) == "2009-06-XX"
    assert st.task_date(TimeRef(date(2009, 1, 1), date(2009, 12, 31), "2009", "year")) == "2009-XX-XX"
    assert st.task_date(TimeRef(date(2009, 12, 1), date(2010, 2, 28), "winter", "season")) == "XXXX-XX-XX"
    assert st.task_date(None) == "XXXX-XX-XX"


def test_parse_gold_and_tml() -> None:
    root = eval_path("timeline", "semeval2015_task4_timeline", "SemEval_Task4_data", "corpus_1")
    name, rows = st.parse_gold(root / "TimeLines_Gold_Standard" / "airbus.txt")
    assert name == "Airbus" and len(rows) == 44
    assert rows[0] == st.GoldRow("XXXX-XX-XX", frozenset({("1173", 12, "owned")}))
    assert any(r.mentions == frozenset({("82548", 4, "built"), ("82548", 2, "made")}) for r in rows)
    doc = st.parse_tml(next((root / "corpus_trackA_TimeML").glob("1173_*.tml")))
    assert doc.id == "1173" and doc.sentences[12].startswith("Airbus is owned by European Aeronautic Defense & Space")


def test_score_by_hand() -> None:
    gold = [st.GoldRow("2008-03-01", frozenset({("1", 2, "won"), ("1", 3, "victory")})),
            st.GoldRow("XXXX-XX-XX", frozenset({("1", 4, "said")}))]
    predicted = {("2008-03-01", ("1", 2, "won")), ("2008-03-01", ("1", 3, "victory")), ("2008-03-01", ("1", 4, "said"))}
    pairs = st.score(predicted, gold)
    assert (pairs["correct"], pairs["predicted"], pairs["gold"]) == (1, 3, 2)  # one row matched once; wrong date
    assert pairs["p"] == pytest.approx(1 / 3, abs=1e-4) and pairs["r"] == 0.5
    events = st.score(predicted, gold, dates=False)
    assert events["correct"] == 2 and events["r"] == 1.0


def test_the_trial_set(nlp: Any) -> None:
    path = eval_path("timeline", "semeval2015_task4_timeline")
    result = st.evaluate(path, split="trial", nlp=nlp)
    assert result["entities"] == 6 and result["documents"] == 30 and result["split"] == "trial"
    per = result["per_entity"]
    assert per["iphone_3g"]["entity"] == "iPhone 3G" and per["steve_jobs"]["entity"] == "Steve Jobs"
    # the gold entity "Beatles Apple Corps" is never written so in the texts: no mention found, nothing predicted
    assert per["beatles_apple_corps"]["predicted"] == 0 and per["beatles_apple_corps"]["gold"] == 13
    assert per["steve_jobs"]["correct"] > 0 and result["micro"]["correct"] > 0
    assert result["events"]["correct"] >= result["micro"]["correct"]
    assert 0.0 <= result["micro"]["f1"] <= 1.0
