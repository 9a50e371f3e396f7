"""The REST API on real articles (examples/wikinews.jsonl, and a GDELT news text when ../shared/eval is present):
every read endpoint against the read side it serves, cursor pages, exports, POST /api/articles with its auth and
its bad inputs, RFC 9457 problems, the body limit, security headers, the OpenAPI schema, and `onrecord serve`."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import ROOT, eval_path
from onrecord import query
from onrecord.ingest import read_bytes
from onrecord.ledger import Ledger, open_ledger
from onrecord.records import Article

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from onrecord.serve import create_app
from onrecord.serve.api_articles import resolve_hook

WIKINEWS = ROOT / "examples" / "wikinews.jsonl"
#: Opel (a BBC relay, an addressee), stocks (said_on), iPhone 4 (said_on), MacBook Air (expectations).
READ_LINES = (13, 15, 22, 24)
PROBLEM = "application/problem+json"
TOKEN = "test-token-1234"
RECORD_KEYS = {"id", "article", "speaker", "addressee", "cue", "mode", "kind", "content", "said_on", "setting",
               "relays", "about", "expectation", "section", "span"}


def wikinews_line(number: int) -> bytes:
    return WIKINEWS.read_bytes().splitlines()[number - 1]


def wikinews_article(number: int) -> Article:
    (article,) = read_bytes(wikinews_line(number), f"wikinews.jsonl:{number}", fmt="jsonl")
    assert isinstance(article, Article)
    return article


def store(ledger: Ledger, nlp: Any, numbers: tuple[int, ...]) -> None:
    """Extract and write the articles as POST /api/articles does, with the across-articles steps."""
    from onrecord.extract import extract_article

    items = []
    for n in numbers:
        article = wikinews_article(n)
        items.append((article, extract_article(article, nlp)))
    ledger.write_batch(items, after=resolve_hook())


@pytest.fixture(scope="module")
def read_db(tmp_path_factory: pytest.TempPathFactory, nlp: Any) -> Iterator[Ledger]:
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'read.db'}"
    ledger = open_ledger(url)
    store(ledger, nlp, READ_LINES)
    yield ledger
    ledger.close()


@pytest.fixture(scope="module")
def client(read_db: Ledger) -> TestClient:
    return TestClient(create_app(str(read_db.url), token=""), raise_server_exceptions=False)


@pytest.fixture()
def writer(tmp_path: Path, nlp: Any) -> TestClient:
    return TestClient(create_app(f"sqlite:///{tmp_path / 'write.db'}", token=TOKEN), raise_server_exceptions=False)


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def all_pages(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        body = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})}).json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def assert_problem(response: Any, status: int, *words: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["title"] and body["type"] == "about:blank"
    for word in words:
        assert word in body["detail"], body
    assert "Traceback" not in response.text
    return dict(body)


# --- statements ---------------------------------------------------------------------------------------------------
def test_statement_pages_walk_the_whole_ledger_in_the_cli_order(client: TestClient, read_db: Ledger) -> None:
    expected = query.statements(read_db, limit=None)
    assert len(expected) > 20
    walked = all_pages(client, "/api/statements", limit=7)
    assert [r["id"] for r in walked] == [r["id"] for r in expected]
    assert walked == expected
    assert all(set(r) == RECORD_KEYS for r in walked)


@pytest.mark.parametrize("params", [
    {"speaker": "Bruederle"}, {"about": "General Motors"}, {"relayed_by": "bbc"}, {"kind": "prediction"},
    {"q": "iPhone"}, {"q": "Opel jobs"}, {"since": "2010-07-16", "until": "2010-07-20"}, {"outlet": "wikinews"},
])
def test_filters_mean_what_the_cli_filters_mean(client: TestClient, read_db: Ledger, params: dict[str, str]) -> None:
    from datetime import date

    args: dict[str, Any] = {("search" if k == "q" else k): (date.fromisoformat(v) if k in ("since", "until") else v)
                            for k, v in params.items()}
    expected = query.statements(read_db, limit=None, **args)
    assert expected, f"the fixture articles should match {params}"
    assert all_pages(client, "/api/statements", limit=3, **params) == expected


def test_one_statement_and_its_span_in_the_article(client: TestClient) -> None:
    record = client.get("/api/statements", params={"speaker": "Bruederle", "limit": 1}).json()["items"][0]
    assert client.get(f"/api/statements/{record['id']}").json() == record
    article = client.get(f"/api/articles/{record['article']['id']}").json()
    start, end = record["span"]
    assert record["content"] in article["text"][start:end]
    assert_problem(client.get("/api/statements/0000000000000000"), 404, "0000000000000000")


@pytest.mark.parametrize(("params", "status", "word"), [
    ({"cursor": "not-a-cursor"}, 400, "cursor"),
    ({"cursor": "WyJ4Il0"}, 400, "cursor"),                      # a JSON list of the wrong size
    ({"cursor": "WyJub3QtYS1kYXRlIiwiYWJjIl0"}, 400, "date"),    # ["not-a-date","abc"]
    ({"kind": "rumour"}, 422, "kind"),
    ({"since": "yesterday"}, 422, "since"),
    ({"since": "2024-02-01", "until": "2024-01-01"}, 400, "after"),
    ({"limit": 0}, 422, "limit"),
    ({"limit": 10_000}, 422, "limit"),
])
def test_bad_statement_queries_are_problems(client: TestClient, params: dict[str, Any], status: int,
                                            word: str) -> None:
    body = assert_problem(client.get("/api/statements", params=params), status, word)
    if status == 422:
        assert body["errors"] and body["errors"][0]["loc"][0] == "query"


def test_odd_search_text_is_safe(client: TestClient) -> None:
    for text in ('Putin\'s "missile', "AND OR NOT (", "*", "  "):
        response = client.get("/api/statements", params={"q": text})
        assert response.status_code == 200, (text, response.text)


def test_exports_hold_every_match_as_csv_and_jsonl(client: TestClient, read_db: Ledger) -> None:
    expected = query.statements(read_db, about="General Motors", limit=None)
    lines = client.get("/api/statements.jsonl", params={"about": "General Motors"})
    assert lines.headers["content-type"].startswith("application/jsonl")
    assert [json.loads(line) for line in lines.text.splitlines()] == expected
    table = client.get("/api/statements.csv", params={"about": "General Motors"})
    assert table.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert [r["id"] for r in rows] == [r["id"] for r in expected]
    assert all(r["about"] and "General Motors" in r["about"] for r in rows)
    capped = client.get("/api/statements.jsonl", params={"limit": 3})
    assert len(capped.text.splitlines()) == 3
    assert_problem(client.get("/api/statements.csv", params={"kind": "gossip"}), 422, "kind")


# --- articles -----------------------------------------------------------------------------------------------------
def test_articles_list_and_one_article(client: TestClient, read_db: Ledger) -> None:
    walked = all_pages(client, "/api/articles", limit=3)
    assert len(walked) == len(READ_LINES)
    dates = [a["published"] for a in walked]
    assert dates == sorted(dates, reverse=True)
    opel = next(a for a in walked if "Opel" in a["title"])
    detail = client.get(f"/api/articles/{opel['id'][:8]}").json()
    assert detail == query.article(read_db, opel["id"])
    assert detail["statements"] and len(detail["statements"]) == opel["statements"]
    assert detail["paragraphs"][0]["kind"] == "headline"
    assert client.get("/api/articles", params={"outlet": "WIKINEWS"}).json()["items"]
    assert client.get("/api/articles", params={"outlet": "nobody"}).json() == {"items": [], "next_cursor": None}
    assert_problem(client.get("/api/articles/abc"), 404, "abc")
    assert_problem(client.get("/api/articles", params={"cursor": "%%%"}), 422, "cursor")
    assert_problem(client.get("/api/articles", params={"cursor": "bm90IGpzb24"}), 400, "cursor")


# --- entities, outlets, stats -------------------------------------------------------------------------------------
def test_entities_pages_search_and_detail(client: TestClient, read_db: Ledger) -> None:
    walked = all_pages(client, "/api/entities", limit=5)
    names = [(e["name"], e["id"]) for e in walked]
    assert names == sorted(names) and len(set(names)) == len(names)
    gm = client.get("/api/entities", params={"q": "general motors"}).json()["items"]
    assert [e["name"] for e in gm] == ["General Motors"] and gm[0]["statements_about"] > 0
    detail = client.get("/api/entities/general motors").json()
    assert detail["entities"] == gm
    assert len(detail["about"]) == min(20, gm[0]["statements_about"])
    assert all(any(x["name"] == "General Motors" for x in r["about"]) for r in detail["about"])
    speaker = client.get("/api/entities/Rainer Bruederle").json()
    assert speaker["said"] and all(r["speaker"]["name"] == "Rainer Bruederle" for r in speaker["said"])
    assert_problem(client.get("/api/entities/Nobody Atall"), 404, "Nobody Atall")


def test_outlets_and_stats(client: TestClient, read_db: Ledger) -> None:
    outlets = {o["name"]: o for o in client.get("/api/outlets").json()}
    assert outlets["Wikinews"]["articles"] == len(READ_LINES)
    assert outlets["BBC"]["relayed"] >= 1 and outlets["BBC"]["profile"]
    bbc = client.get("/api/outlets/bbc").json()
    assert bbc["latest_relayed"] and all(any(r["outlet"] == "BBC" for r in s["relays"]) for s in bbc["latest_relayed"])
    assert len(client.get("/api/outlets/Wikinews").json()["latest_articles"]) == len(READ_LINES)
    assert_problem(client.get("/api/outlets/No Such Paper"), 404, "No Such Paper")
    stats, expected = client.get("/api/stats").json(), query.stats(read_db)
    assert (stats["articles"], stats["statements"]) == (expected["articles"], expected["statements"])
    assert [(k["name"], k["statements"]) for k in stats["by_kind"]] == expected["by_kind"]


# --- across articles ---------------------------------------------------------------------------------------------
def test_actors_stories_and_timelines(client: TestClient, read_db: Ledger) -> None:
    actors = client.get("/api/actors", params={"name": "General Motors"}).json()
    assert any(a["name"] == "General Motors" for a in actors)
    stories = client.get("/api/stories").json()
    ours = {a["id"] for a in query.articles(read_db, limit=None)}
    assert stories and sum(s["articles"] for s in stories) == len(ours)
    story = client.get(f"/api/stories/{stories[0]['id']}").json()
    assert {m["id"] for m in story["members"]} <= ours and all(m["rule"] for m in story["members"])
    assert_problem(client.get("/api/stories/ffffffffffff"), 404, "ffffffffffff")
    timeline = client.get("/api/timelines/Apple Inc.").json()
    starts = [item["when"]["start"] for item in timeline["items"]]
    assert starts and starts == sorted(starts)
    for item in timeline["items"] + timeline["undated"]:
        assert item["article"]["id"] in ours
    assert_problem(client.get("/api/timelines/Nobody Atall"), 404, "Nobody Atall")


def test_expectations_and_disputes(client: TestClient) -> None:
    found = client.get("/api/expectations", params={"as_of": "2030-01-01"}).json()
    assert found and all(e["statement"]["expectation"] is not None for e in found)
    dues = [e["due"]["start"] for e in found]
    assert dues == sorted(dues)
    assert_problem(client.get("/api/expectations", params={"status": "bogus"}), 400, "status")
    disputes = client.get("/api/disputes").json()
    assert all(len(d["accounts"]) >= 2 and d["rule"] for d in disputes)


def test_provenance_and_its_prov_o_json_ld(client: TestClient) -> None:
    record = client.get("/api/statements", params={"relayed_by": "BBC"}).json()["items"][0]
    found = client.get(f"/api/statements/{record['id']}/provenance").json()
    assert found["statement"] == record and found["independent_origins"] >= 1
    assert any(step["outlet"] == "BBC" for ch in found["chains"] for step in ch["relays"])
    response = client.get(f"/api/statements/{record['id']}/provenance.jsonld")
    assert response.headers["content-type"].startswith("application/ld+json")
    doc = response.json()
    assert doc["@context"]["prov"] == "http://www.w3.org/ns/prov#"
    assert any(record["id"] in node["@id"] for node in doc["@graph"])
    assert_problem(client.get("/api/statements/0000/provenance.jsonld"), 404, "0000")


# --- POST /api/articles -------------------------------------------------------------------------------------------
def test_post_json_article_then_the_same_again(writer: TestClient) -> None:
    doc = json.loads(wikinews_line(5))
    first = writer.post("/api/articles", json=doc, headers=auth())
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["created"] and body["article"]["title"] == doc["title"]
    assert body["article"]["published"] == doc["published"] and body["article"]["outlet"] == "Wikinews"
    assert body["statements"] and body["article"]["statements"] == len(body["statements"])
    text = writer.get(f"/api/articles/{body['article']['id']}").json()["text"]
    for record in body["statements"]:
        assert record["content"] in text[record["span"][0]:record["span"][1]]
    again = writer.post("/api/articles", json=doc, headers=auth())
    assert again.status_code == 200 and again.json() == {**body, "created": False}


def test_post_raw_text_with_metadata_and_cursor_stability(writer: TestClient) -> None:
    path = sorted(eval_path("news", "ukraine_war_news_gdelt", "articles").glob("2022021*_GB_*.txt"))[0]
    doc = json.loads(wikinews_line(15))
    writer.post("/api/articles", json=doc, headers=auth())
    page = writer.get("/api/statements", params={"limit": 1}).json()
    again = writer.get("/api/statements", params={"limit": 1})
    assert again.json() == page and again.headers["x-onrecord-cache"] == "hit"
    response = writer.post("/api/articles", content=path.read_bytes(), headers={**auth(), "Content-Type": "text/plain"},
                           params={"outlet": "BBC", "published": "2022-02-11", "url": "https://example.org/gb"})
    assert response.status_code == 201, response.text
    article = response.json()["article"]
    assert (article["outlet"], article["published"], article["url"]) == ("BBC", "2022-02-11", "https://example.org/gb")
    rest = all_pages(writer, "/api/statements", cursor=page["next_cursor"], limit=50)
    before = [r["id"] for r in page["items"] + rest]
    wikinews_ids = [r["id"] for r in writer.get("/api/statements", params={"outlet": "wikinews", "limit": 200})
                    .json()["items"]]
    assert before == wikinews_ids, "statements newer than the cursor must not shift the next pages"
    fresh = writer.get("/api/statements", params={"limit": 1})
    assert fresh.headers["x-onrecord-cache"] == "miss", "a write must never leave a cached answer in use"
    assert fresh.json()["items"][0]["article"]["outlet"] == "BBC"


def test_post_html_with_metadata_in_headers(writer: TestClient) -> None:
    import html

    doc = json.loads(wikinews_line(21))
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in doc["text"].split("\n") if p.strip())
    page = (f"<html><head><title>{html.escape(doc['title'])}</title></head><body><nav>Home | World</nav>"
            f"<article><h1>{html.escape(doc['title'])}</h1>{paragraphs}</article></body></html>")
    headers = {**auth(), "Content-Type": "text/html; charset=utf-8", "X-Article-Outlet": "Wikinews",
               "X-Article-Published": doc["published"], "X-Article-Url": doc["url"]}
    response = writer.post("/api/articles", content=page.encode(), headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["article"]["title"] == doc["title"] and body["article"]["url"] == doc["url"]
    assert (body["article"]["outlet"], body["article"]["published"]) == ("Wikinews", doc["published"])
    text = writer.get(f"/api/articles/{body['article']['id']}").json()["text"]
    assert "Home | World" not in text and body["statements"]
    for record in body["statements"]:
        assert record["content"] in text[record["span"][0]:record["span"][1]]


@pytest.mark.parametrize(("headers", "status", "word"), [
    ({}, 401, "Bearer"), ({"Authorization": "Bearer wrong"}, 401, "token"), ({"Authorization": "Basic abc"}, 401, "Bearer"),
])
def test_post_needs_the_token(writer: TestClient, headers: dict[str, str], status: int, word: str) -> None:
    response = writer.post("/api/articles", json={"text": "Talks resumed."}, headers=headers)
    assert_problem(response, status, word)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_post_is_off_without_a_token(client: TestClient) -> None:
    assert_problem(client.post("/api/articles", json={"text": "x"}, headers=auth()), 403, "ONRECORD_API_TOKEN")


@pytest.mark.parametrize(("body", "content_type", "params", "status", "word"), [
    (b'{"title": "x"', "application/json", {}, 422, "JSON"),
    (b'{"title": "no text"}', "application/json", {}, 422, "text"),
    (b'{"text": "A headline\\n\\nBody.", "colour": 1}', "application/json", {}, 422, "colour"),
    (b'["a list"]', "application/json", {}, 422, "JSON"),
    (b'{"text": "Headline\\n\\nThe talks went on.", "published": "5 May 24"}', "application/json", {}, 422, "ISO 8601"),
    (b"Headline\n\nThe talks went on.", "text/plain", {"published": "tomorrow"}, 422, "ISO 8601"),
    (b"", "text/plain", {}, 422, "empty"),
    (b"\x00\x01\x02\x03binary", "text/plain", {}, 422, "binary"),
    (b"<html><body><nav>menu</nav></body></html>", "text/html", {}, 422, "main text"),
    (b"Headline only", "text/plain", {}, 422, "no article text"),
    (b"Headline\n\nBody.", "application/xml", {}, 415, "application/xml"),
    (b"Headline\n\nBody.", "", {}, 415, "content type"),
])
def test_bad_posts_are_4xx_problems(writer: TestClient, body: bytes, content_type: str, params: dict[str, str],
                                    status: int, word: str) -> None:
    headers = {**auth(), "Content-Type": content_type} if content_type else auth()
    assert_problem(writer.post("/api/articles", content=body, headers=headers, params=params), status, word)


def test_bodies_over_the_limit_are_413(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'small.db'}", token=TOKEN, max_body=1000)
    small = TestClient(app, raise_server_exceptions=False)
    big = ("Headline\n\n" + "The talks went on. " * 100).encode()
    response = small.post("/api/articles", content=big, headers={**auth(), "Content-Type": "text/plain"})
    assert_problem(response, 413, "1000 bytes")
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    chunked = small.post("/api/articles", content=iter([big[:600], big[600:]]),
                         headers={**auth(), "Content-Type": "text/plain"})
    assert_problem(chunked, 413, "max_body_bytes")


# --- the app ------------------------------------------------------------------------------------------------------
def test_security_headers_on_every_response(client: TestClient) -> None:
    from onrecord.serve.app import STATIC

    asset = next(p for p in sorted(STATIC.rglob("*")) if p.is_file() and not p.name.startswith("."))
    static = "/static/" + asset.relative_to(STATIC).as_posix()
    assert client.get(static).status_code == 200
    for path in ("/api/statements?limit=1", "/api/openapi.json", "/api/nothing-here", "/api/statements.csv?limit=1",
                 static, "/"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_html_clients_get_the_pages_error_page_outside_api_only(client: TestClient) -> None:
    html = {"Accept": "text/html"}
    page = client.get("/no/such/page", headers=html)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert_problem(client.get("/api/articles/nope", headers=html), 404, "nope")


def test_unexpected_errors_are_a_bare_500_problem(read_db: Ledger) -> None:
    app = create_app(str(read_db.url))

    def broken() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    app.add_api_route("/api/broken", broken)
    response = TestClient(app, raise_server_exceptions=False).get("/api/broken")
    body = assert_problem(response, 500, "logged")
    assert "secret" not in response.text and "RuntimeError" not in json.dumps(body)
    assert_problem(TestClient(app).put("/api/stats"), 405)


def test_openapi_documents_every_route_with_models_and_problems(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    record = schema["components"]["schemas"]["StatementRecord"]
    assert set(record["properties"]) == RECORD_KEYS and record["examples"]
    assert len(schema["paths"]) >= 18
    for path, operations in schema["paths"].items():
        assert path.startswith("/api/"), "pages stay out of the API schema"
        for method, op in operations.items():
            ok = op["responses"].get("200") or op["responses"].get("201")
            assert ok and ok.get("content"), (method, path)
    post = schema["paths"]["/api/articles"]["post"]
    assert {"application/json", "text/plain", "text/html"} <= set(post["requestBody"]["content"])
    assert {"401", "403", "413", "415", "422"} <= set(post["responses"])
    assert PROBLEM in post["responses"]["413"]["content"]


def test_read_cache_is_bounded_and_least_recently_used_goes_first() -> None:
    from onrecord.serve.api_cache import ReadCache

    cache = ReadCache(entries=2, max_total=10)
    for key, body in (("a", b"1234"), ("b", b"5678"), ("c", b"9")):
        cache.put((key,), (200, [], body))
    assert cache.get(("a",)) is None and cache.get(("b",)) is not None and cache.size == 5
    cache.put(("d",), (200, [], b"abcdefgh"))
    assert cache.get(("c",)) is None and cache.get(("b",)) is None and cache.size == 8


def test_serve_command_fails_in_one_line_on_a_bad_ledger(tmp_path: Path) -> None:
    from onrecord.cli import app

    result = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path}/missing/dir/x.db"])
    assert result.exit_code == 1
    assert "does not exist" in result.output and len(result.output.strip().splitlines()) == 1


def test_serve_with_worker_processes(tmp_path: Path, read_db: Ledger, client: TestClient) -> None:
    """``onrecord serve --workers 2`` serves the same ledger from two processes; an in-memory ledger is refused."""
    import socket
    import sqlite3
    import subprocess
    import sys
    import time

    import httpx

    from onrecord.cli import app

    refused = CliRunner().invoke(app, ["serve", "--db", "sqlite://", "--workers", "2"])
    assert refused.exit_code == 1 and "in-memory" in refused.output
    copy = tmp_path / "served.db"
    with sqlite3.connect(str(read_db.url.database)) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # the ledger is open in WAL mode: a file copy could miss its last writes
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "onrecord.cli", "serve", "--db", f"sqlite:///{copy}",
                               "--port", str(port), "--workers", "2"], stderr=subprocess.PIPE)
    try:
        deadline, answer = time.monotonic() + 60, None
        while answer is None and time.monotonic() < deadline:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=10)
            except httpx.HTTPError:
                time.sleep(0.3)
        assert answer is not None and answer.status_code == 200
        assert answer.json() == client.get("/api/stats").json()
        assert all(httpx.get(f"http://127.0.0.1:{port}/search?q=jobs", timeout=10).status_code == 200
                   for _ in range(6))
    finally:
        server.terminate()
        server.wait(timeout=30)
