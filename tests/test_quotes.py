"""Quotation spans: pairing, multi-paragraph quotes, stray marks, short quotes (no model needed)."""

from __future__ import annotations

import pytest

from onrecord.extract.quotes import find_quotes
from onrecord.records import Paragraph


def paragraphs(text: str) -> list[Paragraph]:
    out, pos = [], 0
    for chunk in text.split("\n\n"):
        out.append(Paragraph(pos, pos + len(chunk)))
        pos += len(chunk) + 2
    return out


def inner(text: str) -> list[str]:
    return [q.inner_text(text) for q in find_quotes(text, paragraphs(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said: "We will win." Then he left.', ["We will win."]),
        ("“Sanctions are a crime,” the head of state said.", ["Sanctions are a crime,"]),
        ("Он сказал: «Мы победим». ", ["Мы победим"]),
        ('A "smart sanctions" regime and "another" one', ["smart sanctions", "another"]),
        ("It’s the president’s own view, he said.", []),  # apostrophes are not quotes
        ("‘We will not retreat from Bakhmut’, says commander", ["We will not retreat from Bakhmut"]),
    ],
)
def test_pairs_within_a_paragraph(text: str, expected: list[str]) -> None:
    assert inner(text) == expected


def test_multi_paragraph_quote_reopened_at_each_paragraph() -> None:
    text = "“First part of the speech.\n\n“Second part.\n\n“Third and last part,” he said.\n\nNext paragraph."
    quotes = find_quotes(text, paragraphs(text))
    assert len(quotes) == 1
    assert quotes[0].inner_text(text) == "First part of the speech.\n\nSecond part.\n\nThird and last part,"
    assert text[quotes[0].end :].startswith(" he said.")


def test_odd_marks_never_pair_across_paragraphs() -> None:
    text = 'He called it "a stray mark and went on.\n\nThe next paragraph has "a real quote" here.'
    assert inner(text) == ["a real quote"]


def test_stray_guillemet_and_single_quote_do_not_crash() -> None:
    text = "» odd start\n\n‘ lone single\n\n“unclosed at the very end"
    assert inner(text) == ["unclosed at the very end"]  # a quote opening its paragraph runs to its end


def test_short_quotes_are_marked() -> None:
    text = 'the so-called "Oreshnik" and "We will respond to any aggression," he said'
    quotes = find_quotes(text, paragraphs(text))
    assert [q.short for q in quotes] == [True, False]


def test_two_apostrophes_are_a_double_quote_mark() -> None:
    """v3: typewriter and archive style ``''…''``; offsets stay the text's, apostrophes elsewhere are left alone."""
    text = "''We won the state,'' the mayor said. She called it ''the people's 'real' victory.'''\n\nO'Neill's ''fine.''"
    quotes = find_quotes(text, paragraphs(text))
    assert [q.inner_text(text) for q in quotes] == ["We won the state,", "the people's 'real' victory.", "fine."]
    first = quotes[0]
    assert text[first.start : first.end] == "''We won the state,''"
