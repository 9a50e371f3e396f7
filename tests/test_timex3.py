"""TIMEX3 types and values over the windows of find_times (extract/timex3.py): one construction per case."""

from __future__ import annotations

from datetime import date

import pytest

from onrecord.extract.timex3 import annotate, duration_value, sentence_direction

ANCHOR = date(2024, 11, 22)  # a Friday

CASES = [
    # (sentence, expression, type, value)
    ("Putin said on 21 November that the strike was a test.", "21 November", "DATE", "2024-11-21"),
    ("The plant will close by 2030, the ministry said.", "2030", "DATE", "2030"),
    ("Deployment is possible in the second half of 2025.", "the second half of 2025", "DATE", "2025-H2"),
    ("Troops will leave in five years.", "five years", "DURATION", "P5Y"),
    ("The talks lasted 90 days.", "90 days", "DURATION", "P90D"),
    ("The siege has gone on for the past two years.", "the past two years", "DURATION", "P2Y"),
    ("Prices rose over the next few months.", "the next few months", "DURATION", "PXM"),
    ("He held the post for almost seven years.", "almost seven years", "DURATION", "P7Y"),
    ("The season started about a month earlier than usual.", "about a month", "DURATION", "P1M"),
    ("An hour before the vote, the speaker resigned.", "An hour", "DURATION", "PT1H"),
    ("A three-month ceasefire was agreed.", "three-month", "DURATION", "P3M"),
    ("The oil companies had blocked it for years.", "years", "DURATION", "PXY"),
    ("He finished in 3:07:35.", "3:07:35", "DURATION", "PT3H7M35S"),
    ("The missile struck at 5 a.m. on Thursday.", "5 a.m.", "TIME", "2024-11-21T05"),
    ("The briefing starts at 15:00 GMT Saturday.", "15:00 GMT", "TIME", "2024-11-23T15:00"),
    ("Sirens sounded on Friday afternoon.", "Friday afternoon", "TIME", "2024-11-22TAF"),
    ("Drones attacked Kyiv last night.", "last night", "TIME", "2024-11-21TNI"),
    ("Patrols run every morning.", "every morning", "SET", "XXXX-XX-XXTMO"),
    ("The report is published annually.", "annually", "SET", "P1Y"),
    ("The front is now quiet.", "now", "DATE", "PRESENT_REF"),
    ("Such strikes were rare in the past.", "the past", "DATE", "PAST_REF"),
    ("It was the bloodiest war of the 20th century.", "20th century", "DATE", "19"),
    ("The treaty dates from the 1990s.", "1990s", "DATE", "199"),
    ("The ministry cut spending this fiscal year.", "this fiscal year", "DATE", "2024"),
]


@pytest.mark.parametrize(("sentence", "expr", "type_", "value"), CASES)
def test_annotate(sentence: str, expr: str, type_: str, value: str) -> None:
    found = {sentence[t.start:t.end]: (t.type, t.value) for t in annotate(sentence, ANCHOR)}
    assert found.get(expr) == (type_, value), found


@pytest.mark.parametrize("sentence", [
    "Now that the talks have failed, both sides prepare.",  # a conjunction
    "A five-year-old girl was among the wounded.",  # an age
    "The strike killed 12 people in Dnipro.",  # no time at all
])
def test_not_times(sentence: str) -> None:
    assert [sentence[t.start:t.end] for t in annotate(sentence, ANCHOR)] == []


def test_tense_chooses_the_instance_of_a_month_without_a_year() -> None:
    past = "The factory was hit in August."
    future = "The factory will reopen in August."
    assert [t.value for t in annotate(past, date(2025, 3, 1))] == ["2024-08"]
    assert [t.value for t in annotate(future, date(2025, 3, 1))] == ["2025-08"]


@pytest.mark.parametrize(("sentence", "direction"), [
    ("He said the attack came in August.", "past"),
    ("The army will withdraw in August.", "future"),
    ("Talks in August.", "any"),
])
def test_sentence_direction(sentence: str, direction: str) -> None:
    assert sentence_direction(sentence) == direction


@pytest.mark.parametrize(("count", "unit", "value"), [
    ("two", "weeks", "P2W"), ("a", "decade", "P10Y"), ("several", "hours", "PTXH"), ("1,000", "days", "P1000D"),
    ("three", "centuries", "P300Y"), ("few", "decades", "PXDE"),
])
def test_duration_value(count: str, unit: str, value: str) -> None:
    assert duration_value(count, unit) == value
