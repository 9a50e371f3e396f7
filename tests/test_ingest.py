"""Readers on real-shaped inputs written by the test: text, HTML, feeds, JSONL, stdin, folders, and every bad input."""

from __future__ import annotations

import io
import json
import logging
import time
from datetime import date
from pathlib import Path

import pytest

from onrecord.ingest import iter_articles, read_bytes, sniff
from onrecord.records import Article, Failure

# --- helpers -----------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _default_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user settings file and no ONRECORD_MAX_BYTES from the environment: the defaults."""
    monkeypatch.setenv("ONRECORD_CONFIG", str(tmp_path / "no-settings.toml"))
    monkeypatch.delenv("ONRECORD_MAX_BYTES", raising=False)


def read(*paths: Path | str, **kwargs: object) -> list[Article | Failure]:
    return list(iter_articles([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]


def one(*paths: Path | str, **kwargs: object) -> Article:
    [item] = read(*paths, **kwargs)
    assert isinstance(item, Article), item
    check_layout(item)
    return item


def failure(*paths: Path | str, **kwargs: object) -> Failure:
    [item] = read(*paths, **kwargs)
    assert isinstance(item, Failure), item
    assert "\n" not in item.reason
    return item


def check_layout(article: Article) -> list[str]:
    """The stored-text invariant: ``text[p.start:p.end]`` for every paragraph, joined by blank lines, is the text."""
    texts = [article.text[p.start : p.end] for p in article.paragraphs]
    assert "\n\n".join(texts) == article.text
    assert all(t and t == t.strip() for t in texts)
    assert article.paragraphs[0].kind == "headline" and texts[0] == article.title
    assert all(article.text[n.start : n.end] == n.text for n in article.notes)
    return texts


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Zelensky says talks possible only with guarantees | Kyiv Daily</title>
  <meta property="og:site_name" content="Kyiv Daily">
  <meta property="og:title" content="Zelensky says talks possible only with guarantees">
  <meta property="og:url" content="https://kyivdaily.example/news/2024/zelensky-talks">
  <link rel="canonical" href="https://kyivdaily.example/news/2024/zelensky-talks">
  <meta property="article:published_time" content="2024-12-06T10:15:00+02:00">
</head>
<body>
  <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav>
  <article>
    <h1>Zelensky says talks possible only with guarantees</h1>
    <p>President Volodymyr Zelensky said on Friday that talks with Russia were possible only if Ukraine first
       received security guarantees from its partners.</p>
    <p>Source: Zelensky at a press conference in Kyiv</p>
    <p>Details: "We need guarantees first, and only then can we talk," he said, adding that the allies understood
       this position.</p>
    <ul><li>The first guarantee would be NATO membership for the territory under Kyiv's control.</li>
        <li>The second would be the supply of more air defence systems.</li></ul>
    <p>Support Ukrainska Pravda on Patreon!</p>
    <p>Andrii Yermak [the head of the Office of the President – ed.] told reporters the meeting would take place
       next week in Brussels.</p>
  </article>
  <footer>© 2024 Kyiv Daily. All rights reserved.</footer>
</body>
</html>
"""

UNDATED_PAGE = """<!DOCTYPE html><html><head><title>Kremlin rejects ceasefire call</title></head>
<body><article><h1>Kremlin rejects ceasefire call</h1>
<p>Kremlin spokesman Dmitry Peskov said on Monday that Moscow saw no basis for a ceasefire at this stage.</p>
<p>The statement came a day after the proposal was published, on 12 March 2021 according to the archive.</p>
</article><footer>Copyright 2023 The Daily Example</footer></body></html>
"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
  <title>Example News</title><link>https://news.example/</link><language>en-gb</language>
  <description>Example feed</description>
  <item>
    <title>Lavrov says talks are over</title>
    <link>https://news.example/lavrov-talks</link>
    <pubDate>Fri, 06 Dec 2024 01:30:00 +0200</pubDate>
    <description><![CDATA[<p>Russian Foreign Minister Sergei Lavrov said on Thursday that the talks were over.</p>
      <p>Details: he added that Moscow would not return to the table.</p>
      <ul><li>Kyiv did not comment.</li></ul><p>Share this article</p>]]></description>
  </item>
  <item>
    <link>https://news.example/broken</link>
    <description></description>
  </item>
  <item>
    <title>Scholz calls Putin</title>
    <link>https://news.example/scholz</link>
    <pubDate>not a date at all</pubDate>
    <description>German Chancellor Olaf Scholz said he had called Vladimir Putin.</description>
  </item>
  <item>
    <title>Macron to visit Kyiv</title>
    <link>https://news.example/macron</link>
    <description>French President Emmanuel Macron will visit Kyiv next week, the Elysee said.</description>
  </item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom Example</title><id>urn:example</id><updated>2024-12-06T10:00:00Z</updated>
  <entry>
    <title>Kuleba meets Blinken</title><id>urn:1</id>
    <link href="https://atom.example/kuleba-blinken"/>
    <updated>2024-12-05T22:00:00-05:00</updated>
    <content type="html">&lt;p&gt;Ukrainian Foreign Minister Dmytro Kuleba said after meeting Antony Blinken
      that the talks were productive.&lt;/p&gt;&lt;p&gt;Blinken did not speak to reporters.&lt;/p&gt;</content>
  </entry>
</feed>
"""


# --- plain text --------------------------------------------------------------------------------------------------


def test_plain_text_file(tmp_path: Path) -> None:
    path = write(tmp_path / "brief.txt", "Peskov on talks\n\nKremlin spokesman Dmitry Peskov said talks had stalled.\n")
    article = one(path)
    assert article.title == "Peskov on talks"
    assert article.text == "Peskov on talks\n\nKremlin spokesman Dmitry Peskov said talks had stalled."
    assert (article.source, article.outlet, article.published, article.url) == (str(path), None, None, None)


def test_caller_metadata_overrides(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", "Kremlin spokesman Dmitry Peskov said talks had stalled.")
    article = one(path, outlet="TASS", published=date(2024, 12, 6), title="Peskov on talks")
    assert (article.title, article.outlet, article.published) == ("Peskov on talks", "TASS", date(2024, 12, 6))
    assert check_layout(article)[1] == "Kremlin spokesman Dmitry Peskov said talks had stalled."


def test_utf8_with_bom_and_crlf(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", "\ufeffHeadline\r\n\r\nBody text here.\r\n".encode())
    assert one(path).text == "Headline\n\nBody text here."


def test_cp1251_text(tmp_path: Path) -> None:
    text = ("Зеленський закликав партнерів\n\nПрезидент України Володимир Зеленський заявив, що переговори з Росією "
            "можливі лише після виведення військ.\n\nГлава МЗС Росії Сергій Лавров сказав, що Москва готова до діалогу.")
    article = one(write(tmp_path / "uk.txt", text.encode("cp1251")))
    assert article.text == text
    assert article.title == "Зеленський закликав партнерів"


def test_cp1251_russian_text(tmp_path: Path) -> None:
    text = "Песков о переговорах\n\nПресс-секретарь Кремля Дмитрий Песков заявил, что переговоры зашли в тупик."
    assert one(write(tmp_path / "ru.txt", text.encode("cp1251"))).text == text


def test_latin1_text(tmp_path: Path) -> None:
    text = ("Macron à Genève\n\nLe président français a déclaré à la presse que la réunion aurait lieu à Genève en "
            "décembre, après les fêtes.")
    assert one(write(tmp_path / "fr.txt", text.encode("latin-1"))).text == text


# --- bad inputs --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty file"),
    (b"  \n\r\n\t  \n", "empty file"),
    (b"\xef\xbb\xbf\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + b"\x00" * 64, "binary file, not text"),
    (bytes(range(1, 9)) * 50 + b"some text", "binary file, not text"),
    (b"Only a headline line\n", "no article text after the headline"),
])
def test_bad_text_files(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write(tmp_path / "bad.txt", data)
    assert failure(path) == Failure(str(path), reason)


def test_binary_file_without_extension_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "image", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100)
    assert failure(path).reason == "binary file, not text"


def test_missing_path(tmp_path: Path) -> None:
    assert failure(tmp_path / "nope.txt").reason == "no such file or directory"


def test_file_over_max_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONRECORD_MAX_BYTES", "100")
    path = write(tmp_path / "long.txt", "Headline\n\n" + "word " * 400)
    assert failure(path).reason == "file too large (2.0 kB > 100 bytes limit; raise ONRECORD_MAX_BYTES)"


def test_sparse_50_mb_file_is_refused_from_stat_without_reading(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50_000_000)

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_open)
    started = time.perf_counter()
    result = failure(path)
    assert time.perf_counter() - started < 1.0
    assert result.reason == "file too large (50.0 MB > 5.0 MB limit; raise ONRECORD_MAX_BYTES)"


def test_stdin_over_max_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONRECORD_MAX_BYTES", "50")
    result = failure("-", stdin=io.BytesIO(b"Headline\n\n" + b"x" * 100))
    assert result == Failure("<stdin>", "file too large (over the 50 bytes limit; raise ONRECORD_MAX_BYTES)")


def test_unexpected_error_becomes_a_failure_and_the_batch_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    import onrecord.ingest.files as files

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(files, "html_article", broken)
    write(tmp_path / "a.html", PAGE)
    write(tmp_path / "b.txt", "Headline\n\nBody.")
    with caplog.at_level(logging.ERROR, logger="onrecord.ingest"):
        items = read(tmp_path)
    assert items[0] == Failure(str(tmp_path / "a.html"), "unexpected error (RuntimeError: boom)")
    assert isinstance(items[1], Article)
    assert "a.html" in caplog.text and "RuntimeError" in caplog.text


# --- HTML --------------------------------------------------------------------------------------------------------


def test_html_page(tmp_path: Path) -> None:
    article = one(write(tmp_path / "page.html", PAGE))
    texts = check_layout(article)
    assert article.title == "Zelensky says talks possible only with guarantees"
    assert (article.outlet, article.url) == ("Kyiv Daily", "https://kyivdaily.example/news/2024/zelensky-talks")
    assert (article.published, article.lang) == (date(2024, 12, 6), "en")
    assert texts[1].startswith("President Volodymyr Zelensky said on Friday that talks with Russia were possible")
    assert [(p.section, p.kind) for p in article.paragraphs] == [
        ("headline", "headline"), ("body", "body"), ("Source", "body"), ("Details", "body"), ("Details", "bullet"),
        ("Details", "bullet"), ("Details", "body")]
    assert texts[4] == "The first guarantee would be NATO membership for the territory under Kyiv's control."
    assert article.removed == ["Support Ukrainska Pravda on Patreon!"]
    assert [n.text for n in article.notes] == ["[the head of the Office of the President – ed.]"]
    assert "Home" not in article.text and "All rights reserved" not in article.text


def test_html_overrides(tmp_path: Path) -> None:
    article = one(write(tmp_path / "page.htm", PAGE), outlet="UP", published=date(2024, 12, 7), title="Talks")
    assert (article.outlet, article.published, article.title) == ("UP", date(2024, 12, 7), "Talks")
    assert check_layout(article)[1].startswith("President Volodymyr Zelensky said")  # the page's h1 is not body


def test_html_undated_page_has_no_date_and_outlet_from_host(tmp_path: Path) -> None:
    page = UNDATED_PAGE.replace("</title>", '</title><link rel="canonical" href="https://www.example.org/kremlin">')
    article = one(write(tmp_path / "undated.html", page))
    assert article.published is None  # not today, not the copyright year, not a date in the text
    assert article.outlet == "example.org"
    assert article.title == "Kremlin rejects ceasefire call"


def test_html_without_site_or_url_has_no_outlet(tmp_path: Path) -> None:
    assert one(write(tmp_path / "undated.html", UNDATED_PAGE)).outlet is None


def test_html_declared_cp1251(tmp_path: Path) -> None:
    page = ('<!DOCTYPE html><html lang="uk"><head><meta charset="windows-1251"><title>Зеленський про переговори</title>'
            '</head><body><article><h1>Зеленський про переговори</h1><p>Президент України Володимир Зеленський '
            "заявив, що переговори з Росією можливі лише після отримання гарантій безпеки.</p></article></body></html>")
    article = one(write(tmp_path / "uk.html", page.encode("cp1251")))
    assert article.title == "Зеленський про переговори" and article.lang == "uk"
    assert check_layout(article)[1].startswith("Президент України Володимир Зеленський заявив")


@pytest.mark.parametrize("page", [
    "<!DOCTYPE html><html><head><title>Zelensky speaks</title></head><body><nav>Home</nav><article><h1>Zel",
    "<html><body><div><p>",
    "<html><head><title>Only a title</title></head><body></body></html>",
])
def test_truncated_html(tmp_path: Path, page: str) -> None:
    path = write(tmp_path / "cut.html", page)
    assert failure(path) == Failure(str(path), "no main text found in HTML")


def test_html_sniffed_without_extension(tmp_path: Path) -> None:
    assert one(write(tmp_path / "download", PAGE)).outlet == "Kyiv Daily"


# --- feeds -------------------------------------------------------------------------------------------------------


def test_rss_feed_with_broken_entries(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.rss", RSS)
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Article", "Failure", "Failure", "Article"]
    first, broken, bad_date, last = items
    assert isinstance(first, Article) and isinstance(last, Article)
    assert broken == Failure(f"{path}#entry 2", "entry has no title and no text")
    assert bad_date == Failure(f"{path}#entry 3", "unparseable date 'not a date at all'")
    texts = check_layout(first)
    assert texts == ["Lavrov says talks are over",
                     "Russian Foreign Minister Sergei Lavrov said on Thursday that the talks were over.",
                     "he added that Moscow would not return to the table.", "Kyiv did not comment."]
    assert [(p.section, p.kind) for p in first.paragraphs[2:]] == [("Details", "body"), ("Details", "bullet")]
    assert first.removed == ["Share this article"]
    assert (first.url, first.published, first.lang) == ("https://news.example/lavrov-talks", date(2024, 12, 6), "en")
    assert first.source == f"{path}#entry 1" and first.outlet is None
    assert (last.title, last.published) == ("Macron to visit Kyiv", None)


def test_feed_caller_date_wins_over_a_bad_entry_date(tmp_path: Path) -> None:
    items = read(write(tmp_path / "feed.xml", RSS), published=date(2024, 12, 1), outlet="Example News")
    articles = [i for i in items if isinstance(i, Article)]
    assert [a.title for a in articles] == ["Lavrov says talks are over", "Scholz calls Putin", "Macron to visit Kyiv"]
    assert {(a.published, a.outlet) for a in articles} == {(date(2024, 12, 1), "Example News")}


def test_atom_feed_sniffed_keeps_the_date_as_written(tmp_path: Path) -> None:
    article = one(write(tmp_path / "atom", ATOM))
    assert article.published == date(2024, 12, 5)  # 22:00 at -05:00, not the next day in UTC
    assert article.url == "https://atom.example/kuleba-blinken"
    assert check_layout(article)[1:] == [
        "Ukrainian Foreign Minister Dmytro Kuleba said after meeting Antony Blinken that the talks were productive.",
        "Blinken did not speak to reporters."]


@pytest.mark.parametrize("data", ["<?xml version='1.0'?><catalog><book>Not news</book></catalog>",
                                  "just some words, not XML at all"])
def test_not_a_feed(tmp_path: Path, data: str) -> None:
    path = write(tmp_path / "data.rss", data)
    assert failure(path).reason.startswith("not an RSS or Atom feed")


def test_feed_without_entries(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.xml", '<rss version="2.0"><channel><title>T</title></channel></rss>')
    assert failure(path).reason == "feed has no entries"


# --- JSONL -------------------------------------------------------------------------------------------------------


def _jsonl_lines() -> list[str]:
    good = {"url": "https://up.example/1", "title": "Budanov on strikes", "outlet": "Ukrainska Pravda",
            "published": "2024-12-06", "lang": "en", "text": "Source: Budanov\n\nHe said the strikes would go on."}
    return [
        json.dumps(good),
        "",
        '{"title": "Broken", "text": "x" "y"}',
        json.dumps({"title": "Bad date", "published": "32/13/2024", "text": "Some body text."}),
        json.dumps({"title": "No text"}),
        "[1, 2, 3]",
        json.dumps({"text": "Headline from the text\nThe body line.", "published": "6 December 2024"}),
    ]


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "batch.jsonl", "\n".join(_jsonl_lines()) + "\n")
    items = read(path, title="ignored for multi-article files")
    assert [type(i).__name__ for i in items] == ["Article", "Failure", "Failure", "Failure", "Failure", "Article"]
    first, not_json, bad_date, no_text, not_object, last = items
    assert isinstance(first, Article) and isinstance(last, Article)
    assert (first.title, first.url, first.outlet, first.published) == (
        "Budanov on strikes", "https://up.example/1", "Ukrainska Pravda", date(2024, 12, 6))
    assert [(t, p.section) for t, p in zip(check_layout(first), first.paragraphs, strict=True)][1:] == [
        ("Budanov", "Source"), ("He said the strikes would go on.", "Source")]
    assert first.source == f"{path}:1"
    assert not_json == Failure(f"{path}:3", "line 3 is not valid JSON (Expecting ',' delimiter at column 33)")
    assert bad_date == Failure(f"{path}:4", "unparseable date '32/13/2024'")
    assert no_text == Failure(f"{path}:5", 'line 5 has no "text"')
    assert not_object == Failure(f"{path}:6", "line 6 is not a JSON object")
    assert (last.title, last.published, last.outlet) == ("Headline from the text", date(2024, 12, 6), None)


def test_jsonl_is_streamed_with_a_per_line_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONRECORD_MAX_BYTES", "200")
    short = json.dumps({"title": "Short", "text": "A short body."})
    long = json.dumps({"title": "Long", "text": "word " * 100})
    path = write(tmp_path / "corpus.ndjson", "\n".join([short, long, short, long[:150]]))
    items = read(path)  # the file (1.4 kB) is larger than the limit: JSONL is read line by line
    assert [type(i).__name__ for i in items] == ["Article", "Failure", "Article", "Failure"]
    assert items[1] == Failure(f"{path}:2", "line 2 too large (over the 200 bytes limit; raise ONRECORD_MAX_BYTES)")
    assert isinstance(items[3], Failure) and items[3].reason.startswith("line 4 is not valid JSON")


def test_jsonl_sniffed_and_empty(tmp_path: Path) -> None:
    items = read(write(tmp_path / "export", "\n".join(_jsonl_lines())))
    assert sum(isinstance(i, Article) for i in items) == 2
    path = write(tmp_path / "empty.jsonl", "\n\n")
    assert failure(path) == Failure(str(path), "empty file")


# --- stdin, folders, formats -------------------------------------------------------------------------------------


def test_stdin_text_and_jsonl() -> None:
    article = one("-", stdin=io.BytesIO(b"Headline\n\nBody from stdin."))
    assert (article.source, article.text) == ("<stdin>", "Headline\n\nBody from stdin.")
    items = read("-", stdin=io.BytesIO("\n".join(_jsonl_lines()).encode()))
    assert [i.source for i in items][:2] == ["<stdin>:1", "<stdin>:3"]


def test_folder_recursive_sorted_hidden_skipped(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "B headline\n\nB body.")
    write(tmp_path / "a" / "z.txt", "Z headline\n\nZ body.")
    write(tmp_path / "a" / "deeper" / "page.html", PAGE)
    write(tmp_path / "a" / "empty.txt", b"")
    write(tmp_path / ".hidden.txt", "H\n\nHidden.")
    write(tmp_path / ".git" / "x.txt", "G\n\nHidden dir.")
    items = read(tmp_path)
    assert [Path(i.source or "").relative_to(tmp_path).as_posix() for i in items] == [
        "a/deeper/page.html", "a/empty.txt", "a/z.txt", "b.txt"]
    assert isinstance(items[1], Failure) and items[1].reason == "empty file"
    assert [i.title for i in items if isinstance(i, Article)] == [
        "Zelensky says talks possible only with guarantees", "Z headline", "B headline"]


def test_iteration_is_lazy(tmp_path: Path) -> None:
    write(tmp_path / "1.txt", "One\n\nFirst body.")
    second = write(tmp_path / "2.txt", "Two\n\nSecond body.")
    items = iter_articles([str(tmp_path)])
    assert isinstance(next(items), Article)
    second.unlink()  # listed already, read only when asked for
    assert next(items) == Failure(str(second), "no such file or directory")


def test_paths_and_stdin_mixed(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "A\n\nBody A.")
    items = read(path, "-", stdin=io.BytesIO(b"S\n\nBody S."))
    assert [i.title for i in items if isinstance(i, Article)] == ["A", "S"]


@pytest.mark.parametrize(("head", "fmt"), [
    (RSS.encode(), "feed"), (ATOM.encode(), "feed"), (b"<rdf:RDF xmlns:rdf='x'><item/></rdf:RDF>", "feed"),
    (PAGE.encode(), "html"), (b"\xef\xbb\xbf  <html><body><p>x</p></body></html>", "html"),
    (b'{"text": "a"}\n{"text": "b"}\n', "jsonl"), (b'{"text": "' + b"a" * 70_000, "jsonl"),
    (b"{ not json\nsecond line", "text"), (b"Headline\n\nBody.", "text"),
])
def test_sniff(head: bytes, fmt: str) -> None:
    assert sniff(head) == fmt


def test_read_bytes() -> None:
    [article] = read_bytes(PAGE.encode(), "mem.html", fmt="html", outlet="Override")
    assert isinstance(article, Article) and article.outlet == "Override" and article.source == "mem.html"
    assert list(read_bytes(b"x", "mem", fmt="pdf")) == [
        Failure("mem", "unknown format 'pdf' (known: text, html, feed, jsonl)")]
    assert [type(i).__name__ for i in read_bytes(RSS.encode(), "mem.rss")] == [
        "Article", "Failure", "Failure", "Article"]
