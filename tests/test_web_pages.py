"""The HTML pages over a real ledger (five Wikinews articles and one XSS probe), through the app with TestClient:
status, content read from the ledger, escaping of untrusted text, the CSP header, and the HTML error pages."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from onrecord.serve.pages_highlight import paragraphs  # noqa: E402

#: Wikinews lines of examples/wikinews.jsonl: Steve Jobs over 2005–2011 (a chart with several months), GM and
#: Apple articles whose statements name relaying outlets.
WIKINEWS_LINES = (12, 19, 21, 22, 24)
PROBE_TITLE = "Probe <script>window.__xss=3</script> headline"
PROBE = {
    "url": "https://example.org/probe", "title": PROBE_TITLE, "outlet": "Probe Gazette", "published": "2010-07-20",
    "lang": "en",
    "text": ("Researchers tested a web page on Tuesday.\n\n“The tag <script>window.__xss=1</script> must stay text, "
             "and so must <img src=x onerror=\"window.__xss=2\">,” said Jane Doe, a researcher at the Example "
             "Institute, according to the BBC.\n\nSteve Jobs said the test was fine."),
}
HTML = {"accept": "text/html"}


def write_inputs(folder: Path) -> Path:
    """A JSONL file with the chosen Wikinews articles and the probe article."""
    lines = (ROOT / "examples" / "wikinews.jsonl").read_text(encoding="utf-8").splitlines()
    path = folder / "web.jsonl"
    chosen = [lines[i] for i in WIKINEWS_LINES] + [json.dumps(PROBE, ensure_ascii=False)]
    path.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def web_ledger_url(tmp_path_factory: pytest.TempPathFactory, nlp) -> str:
    """A ledger with the five Wikinews articles and the probe, ingested once per test session."""
    from onrecord.batch import ingest_paths
    from onrecord.ledger import open_ledger

    folder = tmp_path_factory.mktemp("web")
    url = f"sqlite:///{folder / 'web.db'}"
    with open_ledger(url) as ledger:
        summary = ingest_paths([str(write_inputs(folder))], ledger)
    assert summary.ingested == len(WIKINEWS_LINES) + 1 and not summary.failed
    return url


@pytest.fixture(scope="module")
def client(web_ledger_url: str):
    from onrecord.serve.app import create_app

    with TestClient(create_app(web_ledger_url)) as test_client:
        yield test_client


class _Inline(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style elements and attributes, on* handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        self.found += [f"{tag} {name}=" for name in names if name == "style" or name.startswith("on")]


def inline_code(page: str) -> list[str]:
    parser = _Inline()
    parser.feed(page)
    return parser.found


def article_ids(client: TestClient) -> dict[str, str]:
    page = client.get("/articles").text
    return {title: aid for aid, title in re.findall(r'href="/article/([0-9a-f]+)">([^<]+)</a>', page)}


def probe_id(client: TestClient) -> str:
    return next(aid for title, aid in article_ids(client).items() if title.startswith("Probe"))


def test_every_page_answers_html_with_the_csp(client: TestClient) -> None:
    aid = probe_id(client)
    for url in ("/", "/search", "/search?q=iPhone", "/articles", f"/article/{aid}", "/outlet/BBC",
                "/speaker?name=Steve+Jobs"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html"), url
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp, url
        assert inline_code(response.text) == [], url


def test_search_finds_statements_and_counts_facets(client: TestClient) -> None:
    page = client.get("/search", params={"q": "iPhone"}).text
    total = int(re.search(r'<strong id="total">(\d+)</strong>', page).group(1))
    assert total > 0
    assert page.count('class="record') == min(total, 20)
    narrowed = client.get("/search", params={"q": "iPhone", "speaker": "Steve Jobs"}).text
    narrowed_total = int(re.search(r'<strong id="total">(\d+)</strong>', narrowed).group(1))
    assert 0 < narrowed_total <= total
    facet = re.search(r'data-facet="speaker">.*?Steve Jobs</a> <span class="n">(\d+)</span>', page, re.S)
    assert facet is not None and int(facet.group(1)) == narrowed_total
    assert "speaker: Steve Jobs" in narrowed


def test_search_facet_filters_by_kind_and_relay(client: TestClient) -> None:
    everything = client.get("/search").text
    kinds = re.findall(r'href="(/search\?kind=[^"]+)">(\w+)</a> <span class="n">(\d+)</span>', everything)
    assert kinds
    url, kind, count = kinds[0]
    filtered = client.get(url.replace("&amp;", "&")).text
    assert f'<strong id="total">{count}</strong>' in filtered
    assert set(re.findall(r'class="tag kind-(\w+)"', filtered)) == {kind}
    relayed = client.get("/search", params={"relay": "BBC"}).text
    assert "Jane Doe" in relayed and ">BBC</a>" in relayed


def test_search_refuses_a_bad_date_with_one_line(client: TestClient) -> None:
    response = client.get("/search", params={"since": "yesterday"})
    assert response.status_code == 400
    assert "since takes a date as YYYY-MM-DD, got &#39;yesterday&#39;" in response.text


def test_article_page_highlights_spans_and_escapes_the_probe(client: TestClient) -> None:
    page = client.get(f"/article/{probe_id(client)}").text
    assert "<script>window" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    assert "Probe &lt;script&gt;window.__xss=3&lt;/script&gt; headline" in page
    marks = re.findall(r'<mark class="st (sp-\d|sp-x)[^"]*" data-ids="([0-9a-f ]+)"', page)
    assert {colour for colour, _ in marks} >= {"sp-0", "sp-1"}
    ids = {i for _, group in marks for i in group.split()}
    assert len(ids) == 2 and all(f'id="st-{i}"' in page for i in ids)
    assert re.search(r'class="st sp-\d is-cue"[^>]*>said</mark>', page)


def test_highlight_keeps_the_text_and_splits_overlaps() -> None:
    text = "Alpha said beta. Gamma"
    records = [{"id": "a", "span": [0, 16], "speaker": {"name": "Alpha"}},
               {"id": "b", "span": [6, 22], "speaker": {"name": "Gamma"}}]
    offsets = {"a": {"cue": (6, 10), "speaker": (0, 5), "content": (11, 15)}, "b": {}}
    blocks = paragraphs(text, [{"start": 0, "end": 22, "section": "body", "kind": "body"}], records, offsets)
    segments = blocks[0]["segments"]
    assert "".join(seg.text for seg in segments) == text
    by_text = {seg.text: seg for seg in segments}
    assert by_text["said"].ids == ["a", "b"] and "is-cue" in by_text["said"].css and "overlap" in by_text["said"].css
    assert by_text["Alpha"].colour == "sp-0" and by_text[" Gamma"].ids == ["b"]
    assert by_text[" Gamma"].colour == "sp-1"


def test_speaker_page_has_chart_data_aliases_and_outlets(client: TestClient) -> None:
    response = client.get("/speaker", params={"name": "Steve Jobs"})
    assert response.status_code == 200 and "/entity/" in str(response.url)
    page = response.text
    data = json.loads(re.search(r'<script type="application/json" id="entity-chart-data">(.*?)</script>', page,
                                re.S).group(1))
    months = [p["month"] for p in data["points"] if p["statements"]]
    assert len(months) >= 3 and months == sorted(months)
    total = int(re.search(r"(\d+) statements? as speaker", page).group(1))
    assert sum(p["statements"] for p in data["points"]) <= total
    assert "/static/vendor/uPlot.iife.min.js" in page


def test_outlet_page_shows_profile_relays_and_speakers(client: TestClient) -> None:
    page = client.get("/outlet/BBC").text
    assert "public-broadcaster" in page
    assert "Jane Doe" in page
    relayed = int(re.search(r'<strong id="relayed-total">(\d+)</strong>', page).group(1))
    search = client.get("/search", params={"relay": "BBC"}).text
    assert relayed >= 1 and f'<strong id="total">{relayed}</strong>' in search
    assert re.search(r'<a href="/speaker\?name=Jane%20Doe">Jane Doe</a> <span class="n">1</span>', page)


def test_error_pages_are_html_and_name_the_thing(client: TestClient) -> None:
    missing = client.get("/article/doesnotexist")
    assert missing.status_code == 404 and "no article &#39;doesnotexist&#39;" in missing.text
    assert client.get("/outlet/Nowhere Times").status_code == 404
    assert client.get("/speaker", params={"name": "Nobody"}).status_code == 404
    unknown = client.get("/no/such/page", headers=HTML)
    assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("text/html")
    assert "nothing at /no/such/page" in unknown.text
    assert "content-security-policy" in unknown.headers


def test_a_stored_javascript_url_is_never_a_link() -> None:
    from onrecord.serve.pages import web_url

    assert web_url("https://example.org/a") == "https://example.org/a"
    assert web_url("javascript:alert(1)") is None and web_url(" JaVaScRiPt:x") is None and web_url(None) is None


def test_across_pages_show_what_the_resolve_modules_read(client: TestClient, web_ledger_url: str) -> None:
    """Expectations by due date and a statement's relay chains, as the library functions give them."""
    expectations = pytest.importorskip("onrecord.resolve.expectations")
    pytest.importorskip("onrecord.resolve.provenance")
    from datetime import date

    from onrecord.ledger import open_ledger

    with open_ledger(web_ledger_url) as ledger, ledger.engine.connect() as conn:
        listed = expectations.list_expectations(conn, as_of=date(2012, 1, 1), limit=200)
    page = client.get("/expectations", params={"as_of": "2012-01-01"}).text
    assert page.count('<span class="tag status-') == len(listed)
    assert client.get("/expectations", params={"as_of": "soon"}).status_code == 400
    relayed = client.get("/search", params={"relay": "BBC"}).text
    sid = re.search(r'id="st-([0-9a-f]+)"', relayed).group(1)
    prov = client.get(f"/provenance/{sid}").text
    assert 'class="chain"' in prov and ">BBC</a>" in prov and "Probe Gazette" in prov
    assert client.get("/provenance/unknown").status_code == 404
    assert client.get("/disputes").status_code == 200


def test_pages_are_cached_until_the_ledger_or_a_correction_changes(web_ledger_url: str, tmp_path: Path) -> None:
    """A repeated page is served from the read cache; a user's entity merge (no article written) makes the next
    answer a miss that shows the merge."""
    import sqlite3
    import time

    import sqlalchemy as sa

    from onrecord.ledger import open_ledger
    from onrecord.resolve import entities
    from onrecord.serve.app import create_app

    copy = tmp_path / "copy.db"
    with sqlite3.connect(web_ledger_url.removeprefix("sqlite:///")) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # WAL mode: a file copy could miss writes not yet checkpointed
    url = f"sqlite:///{copy}"
    with TestClient(create_app(url)) as client:
        first = client.get("/search", params={"q": "Apple"}, headers=HTML)
        again = client.get("/search", params={"q": "Apple"}, headers=HTML)
        assert first.status_code == again.status_code == 200
        assert (first.headers["x-onrecord-cache"], again.headers["x-onrecord-cache"]) == ("miss", "hit")
        assert again.text == first.text and "content-security-policy" in again.headers
        jobs = client.get("/speaker", params={"name": "Steve Jobs"}, headers=HTML)
        assert jobs.status_code == 200 and client.get(jobs.url.path, headers=HTML).headers["x-onrecord-cache"] == "hit"
        redirect = client.get("/speaker", params={"name": "Steve Jobs"}, headers=HTML, follow_redirects=False)
        assert (redirect.status_code, redirect.headers["x-onrecord-cache"]) == (303, "hit")
        assert redirect.headers["location"] == jobs.url.path
        assert "Jane Doe" not in jobs.text
        with open_ledger(url) as ledger, ledger.engine.begin() as conn:
            entities.merge(conn, "Steve Jobs", "Jane Doe")
            assert conn.execute(sa.text("SELECT count(*) FROM entity_corrections")).scalar_one() == 1
        time.sleep(0.06)  # another connection's write shows within the 50 ms the version is trusted
        merged = client.get(jobs.url.path, headers=HTML)
        assert merged.headers["x-onrecord-cache"] == "miss" and "Jane Doe" in merged.text
        assert client.get(jobs.url.path, headers=HTML).headers["x-onrecord-cache"] == "hit"
        with sqlite3.connect(copy) as other:  # a change that keeps every count and rowid (as a rebuild may)
            other.execute("UPDATE actor_names SET rule = rule || ' (rebuilt)'")
        time.sleep(0.06)  # the version is re-read at most every 50 ms
        assert client.get(jobs.url.path, headers=HTML).headers["x-onrecord-cache"] == "miss"


def test_stories_and_a_story_timeline(client: TestClient) -> None:
    """The storylines page links each story; a story page shows its articles and its timeline in the order of
    when things were said or happened (not publication), with undated items apart; an unknown id is a 404."""
    from onrecord.resolve import stories, timelines

    listing = client.get("/stories", params={"min_size": 1}, headers=HTML)
    assert listing.status_code == 200 and '<a href="/stories">Stories</a>' in listing.text
    ids = re.findall(r'href="/story/([0-9a-f]+)"', listing.text)
    ledger = client.app.state.ledger  # type: ignore[attr-defined]
    with ledger.engine.connect() as conn:
        expected = [s["id"] for s in stories.list_stories(conn, min_size=1, limit=100)]
        assert ids == expected and ids
        biggest = max(expected, key=lambda sid: stories.story(conn, sid)["articles"])
        story, line = stories.story(conn, biggest), timelines.timeline(conn, biggest)
    page = client.get(f"/story/{biggest}", headers=HTML)
    assert page.status_code == 200
    for member in story["members"]:
        assert f'href="/article/{member["id"]}"' in page.text
    starts = re.findall(r'<span class="when">(\d{4}-\d{2}-\d{2})', page.text)
    assert len(starts) >= 2 and starts == [i["when"]["start"] for i in line["items"]] and starts == sorted(starts)
    assert page.text.count('class="timeline-item') == len(line["items"]) + len(line["undated"])
    if line["undated"]:
        assert "<h3>Undated</h3>" in page.text
    assert client.get("/story/ffffffffffffffff", headers=HTML).status_code == 404
    assert client.get("/stories", params={"min_size": 0}, headers=HTML).status_code == 400
