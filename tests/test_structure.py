"""The structure parser: text layout and offsets, labelled briefs, bullets, boilerplate, editorial notes, dates."""

from __future__ import annotations

from datetime import date

import pytest

from onrecord.errors import IngestError
from onrecord.ingest import build_article, parse_date, parse_plain_text
from onrecord.ingest.structure import is_boilerplate
from onrecord.records import Article

BRIEF = (
    "Lukashenko: Oreshnik will be deployed in Belarus in December\r\n"
    "\r\n"
    "Source: Lukashenko quoted by BelTA   \r\n"
    "\r\n"
    "Details: Belarusian President Alexander Lukashenko said on Friday that the\r\n"
    "Oreshnik missile system would be deployed in Belarus in December.\r\n"
    "- the first division will arrive by the end of the month;\r\n"
    "• a second one, he said, would follow in 2025.\r\n"
    "\r\n"
    "Support Ukrainska Pravda on Patreon!\r\n"
    "\r\n"
    "Quote:\r\n"
    "\r\n"
    "\"Andrii Yermak [the head of the Office of the President – ed.] knows this very well.\"\r\n"
    "\r\n"
    "Read also: Zelensky answers Lukashenko\r\n"
    "\r\n"
    "background: In November, Russia first used the missile against Dnipro.\r\n"
)


def layout_ok(article: Article) -> list[str]:
    """Every paragraph's text, after checking the layout invariant: headline, then paragraphs joined by blank lines."""
    texts = [article.text[p.start : p.end] for p in article.paragraphs]
    assert article.paragraphs[0].start == 0 and article.paragraphs[0].kind == "headline"
    assert "\n\n".join(texts) == article.text
    assert all(t == t.strip() and t and "\n" not in t for t in texts)
    assert all(article.text[n.start : n.end] == n.text for n in article.notes)
    return texts


def test_labelled_brief_sections_bullets_boilerplate_and_notes() -> None:
    article = parse_plain_text(BRIEF, published=date(2024, 12, 6), outlet="Ukrainska Pravda", source="brief.txt")
    texts = layout_ok(article)
    got = [(t[:30], p.section, p.kind) for t, p in zip(texts, article.paragraphs, strict=True)]
    assert got == [
        ("Lukashenko: Oreshnik will be d", "headline", "headline"),
        ("Lukashenko quoted by BelTA", "Source", "body"),
        ("Belarusian President Alexander", "Details", "body"),
        ("the first division will arrive", "Details", "bullet"),
        ("a second one, he said, would f", "Details", "bullet"),
        ('"Andrii Yermak [the head of th', "Quote", "body"),
        ("In November, Russia first used", "Background", "body"),
    ]
    assert texts[2].endswith("the Oreshnik missile system would be deployed in Belarus in December.")
    assert article.removed == ["Support Ukrainska Pravda on Patreon!", "Read also: Zelensky answers Lukashenko"]
    assert "Patreon" not in article.text and "Read also" not in article.text
    [note] = article.notes
    assert note.text == "[the head of the Office of the President – ed.]"
    assert article.text[note.start : note.end] == note.text
    assert (article.outlet, article.published, article.source) == ("Ukrainska Pravda", date(2024, 12, 6), "brief.txt")


def test_text_is_headline_blank_line_paragraphs() -> None:
    article = parse_plain_text("  Headline here  \n\nFirst paragraph.\n\n\n\nSecond paragraph.\n")
    assert article.text == "Headline here\n\nFirst paragraph.\n\nSecond paragraph."
    assert [(p.start, p.end) for p in article.paragraphs] == [(0, 13), (15, 31), (33, 50)]
    assert article.title == "Headline here"


def test_without_blank_lines_every_line_is_a_paragraph() -> None:
    article = parse_plain_text("Headline\nOne line.\nAnother line.\nFor reference: a third line.")
    texts = layout_ok(article)
    assert texts == ["Headline", "One line.", "Another line.", "a third line."]
    assert [p.section for p in article.paragraphs] == ["headline", "body", "body", "For reference"]


def test_hard_wrapped_lines_are_joined_with_spaces() -> None:
    article = parse_plain_text("Title\n\nA sentence wrapped\nover two lines.\n\nThe next paragraph.")
    assert layout_ok(article)[1:] == ["A sentence wrapped over two lines.", "The next paragraph."]


def test_label_alone_on_its_line_sets_the_section_of_following_paragraphs() -> None:
    article = parse_plain_text("T\n\nSOURCE:\n\nReuters\n\nUpdate:\nThe ministry later denied it.\n\nIt said so.")
    texts = layout_ok(article)
    assert texts[1:] == ["Reuters", "The ministry later denied it.", "It said so."]
    assert [p.section for p in article.paragraphs[1:]] == ["Source", "Update", "Update"]


@pytest.mark.parametrize("line", ["- item", "– item", "— item", "• item", "* item", "1. item", "12) item"])
def test_bullet_markers_are_stripped(line: str) -> None:
    article = parse_plain_text(f"Title\n\nContext: intro.\n{line}")
    assert layout_ok(article)[-1] == "item"
    assert (article.paragraphs[-1].kind, article.paragraphs[-1].section) == ("bullet", "Context")


@pytest.mark.parametrize("text", ["-5 degrees were recorded.", "2024. A year of war.", "*emphasis*"])
def test_not_bullets(text: str) -> None:
    article = parse_plain_text(f"Title\n\n{text}")
    assert (layout_ok(article)[1], article.paragraphs[1].kind) == (text, "body")


@pytest.mark.parametrize("text", [
    "Support Ukrainska Pravda on Patreon!", "Support UP or become our patron!", "Become our patron",
    "Subscribe to our Telegram channel", "Donate", "Read also: Ukraine asks Germany for tanks", "READ ALSO",
    "Read more: what we know", "Share this article", "Share on Facebook", "Follow us on Twitter", "Advertisement",
    "We use cookies to improve your experience.", "Subscribe to continue reading",
    "Other Topics of Interest Estonia’s PM: NATO Troop Training Won't Trigger War Kallas said that training would not "
    "be escalatory.", "Skip to end of carousel How we reported it arrow left arrow right",
])
def test_boilerplate(text: str) -> None:
    assert is_boilerplate(text)


@pytest.mark.parametrize("text", [
    "The allies pledged to support Ukraine for as long as it takes.",
    "Support for the proposal grew, the poll found.",
    "Share prices fell sharply on Monday after the announcement.",
    "Donate blood, the mayor urged residents after the strike, saying hospitals were short of it.",
    "Read the full statement, the minister said, and you will see that nothing has changed.",
    "Support up to 30 brigades, he said.",
    "Other topics were discussed at length, the minister said.",
])
def test_not_boilerplate(text: str) -> None:
    assert not is_boilerplate(text)
    assert layout_ok(parse_plain_text(f"Title\n\n{text}"))[1] == text


def test_boilerplate_line_inside_a_hard_wrapped_block_is_removed_alone() -> None:
    article = parse_plain_text("T\n\nThe minister spoke.\nAdvertisement\nHe left.\n\nEnd.")
    assert layout_ok(article)[1:] == ["The minister spoke.", "He left.", "End."]
    assert article.removed == ["Advertisement"]


@pytest.mark.parametrize("note", [
    "[the head of the Office of the President – ed.]", "[in 2014 - ed.]", "(West - ed.)",
    "[ed. note: the figure was later revised]", "[Editor's note: this article was updated]",
])
def test_editorial_notes_stay_in_place_and_are_recorded(note: str) -> None:
    article = parse_plain_text(f"T\n\nHe said that they {note} would come.\n\nOther.")
    layout_ok(article)
    [found] = article.notes
    assert found.text == note
    assert article.text[found.start : found.end] == note
    assert article.text.index(note) == found.start


def test_not_editorial_notes() -> None:
    article = parse_plain_text("T\n\nHe said [sic] that the red-edged (ed) books [1] arrived.")
    assert article.notes == []


def test_whole_paragraph_note_is_an_editorial_paragraph() -> None:
    article = parse_plain_text("T\n\nBody text.\n\n[Editor's note: this story was updated on Monday.]")
    assert article.paragraphs[-1].kind == "editorial"


def test_title_argument_makes_the_whole_text_body() -> None:
    article = parse_plain_text("Kyiv said on Monday it would respond.\nMoscow did not comment.", title="Kyiv responds")
    assert layout_ok(article) == ["Kyiv responds", "Kyiv said on Monday it would respond.", "Moscow did not comment."]


def test_body_repeating_the_headline_is_not_stored_twice() -> None:
    article = build_article("Kyiv responds", "Kyiv responds\nKyiv said on Monday it would respond.")
    assert layout_ok(article) == ["Kyiv responds", "Kyiv said on Monday it would respond."]


def test_build_article_without_title_takes_first_line() -> None:
    article = build_article("", "\n\nHeadline\nBody.", url="https://x.example/a", lang="uk")
    assert (article.title, article.url, article.lang) == ("Headline", "https://x.example/a", "uk")


@pytest.mark.parametrize(("text", "reason"), [
    ("Only a headline", "no article text after the headline"),
    ("Headline\n\nSupport Ukrainska Pravda on Patreon!\n\nShare this article", "no article text after removing"),
    ("Headline\n\nSource:\n\n", "no article text"),
    ("   \n\n  ", "no article text"),
])
def test_no_body_is_an_ingest_error(text: str, reason: str) -> None:
    with pytest.raises(IngestError, match=reason):
        parse_plain_text(text)


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-12-06", date(2024, 12, 6)),
    ("2024-12-06T23:30:00-05:00", date(2024, 12, 6)),
    ("2024-12-06T10:00:00Z", date(2024, 12, 6)),
    ("Fri, 06 Dec 2024 01:00:00 +0200", date(2024, 12, 6)),
    ("6 December 2024", date(2024, 12, 6)),
    ("December 6, 2024", date(2024, 12, 6)),
    ("06.12.2024", date(2024, 12, 6)),
])
def test_parse_date(value: str, expected: date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["32/13/2024", "yesterday", "2 days ago", "December 2024", "1733472000", ""])
def test_parse_date_refuses_to_guess(value: str) -> None:
    with pytest.raises(IngestError, match=r"^unparseable date '"):
        parse_date(value)
