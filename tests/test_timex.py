"""Time expressions: normalisation against an anchor date, and finding them in news sentences."""

from __future__ import annotations

from datetime import date

import pytest

from onrecord.extract.timex import find_times, normalize

D = date.fromisoformat
A = D("2024-11-20")  # a Wednesday

# (expression, anchor, direction, expected (start, end, granularity) or None)
CASES: list[tuple[str, date | None, str, tuple[str, str, str] | None]] = [
    # explicit dates
    ("6 December 2024", None, "any", ("2024-12-06", "2024-12-06", "day")),
    ("December 6, 2024", None, "any", ("2024-12-06", "2024-12-06", "day")),
    ("Dec. 6", A, "any", ("2024-12-06", "2024-12-06", "day")),
    ("on 6 December", D("2024-12-06"), "past", ("2024-12-06", "2024-12-06", "day")),
    ("on 22 November", D("2024-11-25"), "past", ("2024-11-22", "2024-11-22", "day")),
    ("2024-12-06", None, "any", ("2024-12-06", "2024-12-06", "day")),
    ("12/06/2024", None, "any", None),  # US or EU order: not guessed
    ("13/06/2024", None, "any", ("2024-06-13", "2024-06-13", "day")),
    ("06/13/2024", None, "any", ("2024-06-13", "2024-06-13", "day")),
    ("the 6th of December", A, "future", ("2024-12-06", "2024-12-06", "day")),
    ("on 28 December", D("2025-01-03"), "past", ("2024-12-28", "2024-12-28", "day")),
    ("28 December", D("2025-01-03"), "any", ("2024-12-28", "2024-12-28", "day")),
    ("on 2 January", D("2024-12-30"), "future", ("2025-01-02", "2025-01-02", "day")),
    ("on 29 February", D("2025-03-01"), "past", ("2024-02-29", "2024-02-29", "day")),
    ("29 February 2023", None, "any", None),
    ("31 November", A, "any", None),
    ("6 December", None, "any", None),
    ("December 6, 1812", None, "any", None),
    ("20–21 November", A, "past", ("2024-11-20", "2024-11-21", "day")),
    ("on Wednesday 20 November", A, "past", ("2024-11-20", "2024-11-20", "day")),
    ("Wednesday 20 November", D("2025-06-05"), "any", ("2024-11-20", "2024-11-20", "day")),
    # weekdays
    ("on Thursday", A, "past", ("2024-11-14", "2024-11-14", "day")),
    ("Thursday", D("2024-11-21"), "past", ("2024-11-21", "2024-11-21", "day")),
    ("on Thursday", A, "future", ("2024-11-21", "2024-11-21", "day")),
    ("Thursday", A, "any", ("2024-11-21", "2024-11-21", "day")),
    ("last Thursday", A, "any", ("2024-11-14", "2024-11-14", "day")),
    ("this Monday", A, "any", ("2024-11-18", "2024-11-18", "day")),
    ("next Monday", A, "any", ("2024-11-25", "2024-11-25", "day")),
    ("on Thursday evening", A, "past", ("2024-11-14", "2024-11-14", "day")),
    ("Monday night", A, "past", ("2024-11-18", "2024-11-18", "day")),
    ("by Friday", A, "any", ("2024-11-22", "2024-11-22", "day")),
    ("on Friday", D("2025-01-01"), "past", ("2024-12-27", "2024-12-27", "day")),
    ("Thursday", None, "past", None),
    # relative days
    ("today", A, "any", ("2024-11-20", "2024-11-20", "day")),
    ("tonight", A, "future", ("2024-11-20", "2024-11-20", "day")),
    ("this morning", A, "past", ("2024-11-20", "2024-11-20", "day")),
    ("earlier today", A, "past", ("2024-11-20", "2024-11-20", "day")),
    ("yesterday", D("2025-01-01"), "past", ("2024-12-31", "2024-12-31", "day")),
    ("the day before yesterday", D("2024-03-01"), "past", ("2024-02-28", "2024-02-28", "day")),
    ("tomorrow", D("2024-02-28"), "future", ("2024-02-29", "2024-02-29", "day")),
    ("last night", A, "past", ("2024-11-19", "2024-11-19", "day")),
    ("today", None, "any", None),
    # weeks
    ("this week", A, "any", ("2024-11-18", "2024-11-24", "week")),
    ("last week", D("2024-12-02"), "past", ("2024-11-25", "2024-12-01", "week")),
    ("next week", D("2024-12-30"), "future", ("2025-01-06", "2025-01-12", "week")),
    ("earlier this week", A, "past", ("2024-11-18", "2024-11-20", "week")),
    ("earlier this week", D("2024-11-18"), "past", ("2024-11-18", "2024-11-18", "week")),
    ("within two weeks", A, "future", ("2024-11-20", "2024-12-04", "week")),
    ("in two weeks", A, "any", ("2024-11-20", "2024-12-04", "week")),
    ("in two weeks", A, "past", None),  # a duration in a past context
    ("two weeks ago", A, "past", ("2024-11-04", "2024-11-10", "week")),
    ("a few days ago", A, "past", ("2024-11-13", "2024-11-19", "week")),
    ("3 days ago", A, "past", ("2024-11-17", "2024-11-17", "day")),
    ("a few weeks ago", A, "past", None),
    ("the past week", A, "past", ("2024-11-13", "2024-11-20", "week")),
    ("this weekend", A, "any", ("2024-11-23", "2024-11-24", "week")),
    # months
    ("in October", A, "past", ("2024-10-01", "2024-10-31", "month")),
    ("in March", A, "future", ("2025-03-01", "2025-03-31", "month")),
    ("in March", A, "past", ("2024-03-01", "2024-03-31", "month")),
    ("in January", D("2024-12-10"), "any", ("2025-01-01", "2025-01-31", "month")),
    ("in May", A, "past", ("2024-05-01", "2024-05-31", "month")),
    ("October 2024", None, "any", ("2024-10-01", "2024-10-31", "month")),
    ("as of October 2024", None, "any", ("2024-10-01", "2024-10-31", "month")),
    ("last month", D("2025-01-15"), "past", ("2024-12-01", "2024-12-31", "month")),
    ("this month", A, "any", ("2024-11-01", "2024-11-30", "month")),
    ("next month", D("2024-12-15"), "future", ("2025-01-01", "2025-01-31", "month")),
    ("earlier this month", A, "past", ("2024-11-01", "2024-11-20", "month")),
    ("early October", A, "past", ("2024-10-01", "2024-10-10", "month")),
    ("mid-October 2024", None, "any", ("2024-10-11", "2024-10-20", "month")),
    ("late February", D("2024-03-05"), "past", ("2024-02-21", "2024-02-29", "month")),
    ("late February 2023", None, "any", ("2023-02-21", "2023-02-28", "month")),
    ("the end of the month", A, "any", ("2024-11-21", "2024-11-30", "month")),
    ("by the end of the month", A, "future", ("2024-11-20", "2024-11-30", "month")),
    ("last October", D("2024-10-15"), "past", ("2023-10-01", "2023-10-31", "month")),
    ("by March", A, "any", ("2024-11-20", "2025-03-31", "month")),
    ("the first week of December", A, "future", ("2024-12-01", "2024-12-07", "week")),
    # seasons (meteorological, northern hemisphere)
    ("in spring", A, "past", ("2024-03-01", "2024-05-31", "season")),
    ("in spring", A, "future", ("2025-03-01", "2025-05-31", "season")),
    ("this summer", A, "any", ("2024-06-01", "2024-08-31", "season")),
    ("next autumn", A, "future", ("2025-09-01", "2025-11-30", "season")),
    ("next fall", A, "future", ("2025-09-01", "2025-11-30", "season")),
    ("winter 2025", None, "any", ("2025-12-01", "2026-02-28", "season")),
    ("winter 2023", None, "any", ("2023-12-01", "2024-02-29", "season")),
    ("winter 2024/25", None, "any", ("2024-12-01", "2025-02-28", "season")),
    ("last winter", D("2025-01-15"), "past", ("2023-12-01", "2024-02-29", "season")),
    ("in winter", D("2025-01-15"), "past", ("2024-12-01", "2025-02-28", "season")),
    # quarters and halves
    ("in the second half of 2025", None, "any", ("2025-07-01", "2025-12-31", "half")),
    ("the first half of next year", A, "future", ("2025-01-01", "2025-06-30", "half")),
    ("H2 2025", None, "any", ("2025-07-01", "2025-12-31", "half")),
    ("in the third quarter", A, "past", ("2024-07-01", "2024-09-30", "quarter")),
    ("in the third quarter", A, "future", ("2025-07-01", "2025-09-30", "quarter")),
    ("Q3 2024", None, "any", ("2024-07-01", "2024-09-30", "quarter")),
    ("the fourth quarter of 2024", None, "any", ("2024-10-01", "2024-12-31", "quarter")),
    ("last quarter", A, "past", ("2024-07-01", "2024-09-30", "quarter")),
    ("the second half", A, "any", None),
    # years
    ("in 2025", None, "any", ("2025-01-01", "2025-12-31", "year")),
    ("this year", A, "any", ("2024-01-01", "2024-12-31", "year")),
    ("last year", D("2025-01-02"), "past", ("2024-01-01", "2024-12-31", "year")),
    ("next year", D("2024-12-31"), "future", ("2025-01-01", "2025-12-31", "year")),
    ("by the end of the year", A, "future", ("2024-11-20", "2024-12-31", "year")),
    ("the end of the year", A, "any", ("2024-12-01", "2024-12-31", "year")),
    ("by 2030", A, "future", ("2024-11-20", "2030-12-31", "year")),
    ("by 2030", A, "past", ("2030-01-01", "2030-12-31", "year")),
    ("by 2030", None, "future", ("2030-01-01", "2030-12-31", "year")),
    ("the end of 2025", None, "any", ("2025-12-01", "2025-12-31", "year")),
    ("early 2026", None, "any", ("2026-01-01", "2026-04-30", "year")),
    ("late 2024", None, "any", ("2024-09-01", "2024-12-31", "year")),
    ("mid-2025", None, "any", ("2025-05-01", "2025-08-31", "year")),
    ("a year ago", D("2024-03-05"), "past", ("2023-01-01", "2023-12-31", "year")),
    ("2,000 troops", None, "any", None),
    ("2000 troops", None, "any", None),
    ("1500 km", None, "any", None),
    ("$2025", None, "any", None),
    ("in 1850", None, "any", None),
    # vague windows, and words that are not times
    ("in the coming days", A, "future", ("2024-11-20", "2024-11-27", "week")),
    ("in the coming weeks", A, "future", ("2024-11-20", "2025-01-01", "month")),
    ("in the coming months", A, "future", ("2024-11-20", "2025-05-20", "half")),
    ("in the coming days", None, "future", None),
    ("soon", A, "future", None),
    ("recently", A, "past", None),
    ("from 2014 to 2022", None, "any", None),  # two expressions: normalize() gives none
]


@pytest.mark.parametrize(("expr", "anchor", "direction", "expected"), CASES, ids=[f"{c[0]}|{c[2]}" for c in CASES])
def test_normalize(expr: str, anchor: date | None, direction: str, expected: tuple[str, str, str] | None) -> None:
    ref = normalize(expr, anchor, direction)  # type: ignore[arg-type]
    if expected is None:
        assert ref is None
        return
    assert ref is not None
    assert (ref.start.isoformat(), ref.end.isoformat(), ref.granularity) == expected
    assert ref.text in expr


def spans(text: str, anchor: date | None, direction: str = "any") -> list[tuple[str, str, str, str]]:
    found = find_times(text, anchor, direction)  # type: ignore[arg-type]
    for s, e, ref in found:
        assert text[s:e] == ref.text
    return [(ref.text, ref.start.isoformat(), ref.end.isoformat(), ref.granularity) for _, _, ref in found]


def test_deployment_in_second_half_of_2025() -> None:
    text = "Putin replied that deployment is possible in the second half of 2025."
    found = find_times(text, D("2024-12-06"), "future")
    assert [(s, e) for s, e, _ in found] == [(45, 68)]
    assert text[45:68] == "the second half of 2025"
    assert found[0][2].to_dict() == {
        "start": "2025-07-01", "end": "2025-12-31", "text": "the second half of 2025", "granularity": "half",
    }


def test_announced_on_22_november() -> None:
    text = "Defence Intelligence of Ukraine announced on 22 November that the missile was a new type."
    found = find_times(text, D("2024-11-25"), "past")
    start = text.index("22 November")
    assert [(s, e) for s, e, _ in found] == [(start, start + len("22 November"))]
    assert (found[0][2].start, found[0][2].end) == (D("2024-11-22"), D("2024-11-22"))


def test_weekday_inside_a_noun_phrase() -> None:
    text = "Lukashenko said in his Thursday address that the army was ready."
    found = find_times(text, D("2024-11-23"), "past")
    start = text.index("Thursday")
    assert [(s, e, ref.start) for s, e, ref in found] == [(start, start + 8, D("2024-11-21"))]


def test_as_of_month_year() -> None:
    text = "As of October 2024, the army had 1,500 tanks."
    assert [(s, e) for s, e, _ in find_times(text, None)] == [(6, 18)]
    assert spans(text, None) == [("October 2024", "2024-10-01", "2024-10-31", "month")]


def test_quantities_are_not_years() -> None:
    text = "2,000 troops arrived in 2023, 2000 troops left for $2025 and 1950 km of road."
    found = find_times(text, D("2024-01-10"))
    assert [(s, e, ref.text) for s, e, ref in found] == [(24, 28, "2023")]


def test_several_expressions_in_text_order() -> None:
    text = ("On Monday, Zelensky said the jets would arrive by the end of the year, two weeks after "
            "the talks of 6 December 2024 and earlier this week.")
    assert spans(text, D("2024-12-11"), "any") == [
        ("Monday", "2024-12-09", "2024-12-09", "day"),
        ("by the end of the year", "2024-12-11", "2024-12-31", "year"),
        ("6 December 2024", "2024-12-06", "2024-12-06", "day"),
        ("earlier this week", "2024-12-09", "2024-12-11", "week"),
    ]


def test_without_anchor_only_absolute_expressions() -> None:
    text = "Yesterday the ministry said that on 6 December 2024 and again last week the drones came back."
    assert spans(text, None) == [("6 December 2024", "2024-12-06", "2024-12-06", "day")]


def test_dateline() -> None:
    text = "MINSK, 28 January (BelTA) – Aleksandr Lukashenko delivered his address on 28 January."
    found = spans(text, D("2022-01-28"), "past")
    assert found == [("28 January", "2022-01-28", "2022-01-28", "day")] * 2


def test_names_are_not_times() -> None:
    text = ("Black Friday sales, the Sunday Times, Russia Today, the Winter Olympics, the fall of Mariupol, "
            "the Arab Spring, Allied Resolve 2022 at the range. May we march? Every Thursday.")
    assert spans(text, A) == []


def test_no_expression_across_a_blank_line() -> None:
    text = "The offensive began in October\n\n2024 was the hardest year."
    assert spans(text, A, "past") == [
        ("October", "2024-10-01", "2024-10-31", "month"),
        ("2024", "2024-01-01", "2024-12-31", "year"),
    ]


def test_longest_match_wins() -> None:
    text = "Talks are planned for Wednesday, November 27, 2024, in Geneva."
    assert spans(text, A) == [("Wednesday, November 27, 2024", "2024-11-27", "2024-11-27", "day")]


def test_direction_changes_the_instance() -> None:
    text = "The summit takes place in March."
    assert spans(text, A, "future") == [("March", "2025-03-01", "2025-03-31", "month")]
    assert spans(text, A, "past") == [("March", "2024-03-01", "2024-03-31", "month")]


def test_unresolvable_parts_are_not_reported() -> None:
    assert spans("The decree of 05/06/2024 and the order of 31 November.", A) == []
    assert spans("He promised it would happen soon, as he said recently.", A) == []
