"""End-to-end: Debian's Chromium (headless, through Playwright) drives the web pages served by uvicorn over a real
ledger (Wikinews articles and an XSS probe, see test_web_pages). Saves a screenshot of each page to
docs/screenshots/ on every run (shown in the README).

Skipped only when /usr/bin/chromium is absent (``.ci/run`` installs it); Playwright never downloads a browser.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from test_web_pages import web_ledger_url  # noqa: F401  (the session fixture: one ledger for both files)

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "docs" / "screenshots"

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) to run the browser tests",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(web_ledger_url: str) -> Iterator[str]:  # noqa: F811
    """The app under uvicorn in a thread on a free local port, for the module."""
    import uvicorn

    from onrecord.serve.app import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(web_ledger_url), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, base_url: str):
    """A fresh page that records console errors (CSP violations show there) and uncaught page errors."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda msg: tab.problems.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: tab.problems.append(str(exc)))
    yield tab
    context.close()


def shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / name))


def total(tab) -> int:
    return int(tab.locator("#total").inner_text())


def test_search_and_facets(page) -> None:
    page.goto("/")
    page.fill("form.search-box input[name=q]", "iPhone")
    page.click("form.search-box button")
    page.wait_for_url(re.compile(r"/search\?q=iPhone"))
    found = total(page)
    assert found > 0 and page.locator("article.record").count() == min(found, 20)
    page.locator('[data-facet="speaker"] a', has_text="Steve Jobs").click()
    page.wait_for_url(re.compile(r"speaker=Steve"))
    narrowed = total(page)
    assert 0 < narrowed <= found
    assert page.locator("a.chip", has_text="speaker: Steve Jobs").count() == 1
    assert all("Steve Jobs" in s for s in page.locator("article.record summary a.speaker").all_inner_texts())
    shot(page, "search.png")
    assert page.problems == []


def test_article_highlights_and_shows_the_record(page) -> None:
    page.goto("/articles")
    page.get_by_role("link", name="Apple to give free cases, refunds to iPhone 4 owners").click()
    marks = page.locator("#article-text mark.st")
    assert marks.count() > 5
    colours = {cls for c in marks.evaluate_all("els => els.map(e => e.className)") for cls in c.split()
               if cls.startswith("sp-")}
    assert len(colours) >= 2
    background = marks.first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    cue = page.locator("#article-text mark.is-cue").first
    cue.click()
    sid = cue.get_attribute("data-ids").split()[0]
    card = page.locator(f"#st-{sid}")
    assert "active" in card.get_attribute("class")
    assert card.locator("details").evaluate("d => d.open")
    assert card.locator("dl.fields").is_visible()
    shot(page, "article.png")
    assert page.problems == []


def test_xss_probe_renders_inert(page) -> None:
    page.goto("/articles")
    page.locator("a", has_text="Probe <script>").click()
    page.wait_for_selector("#article-text")
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    text = page.locator("#article-text").inner_text()
    assert "<script>window.__xss=1</script>" in text and '<img src=x onerror="window.__xss=2">' in text
    assert page.locator("h1").inner_text() == "Probe <script>window.__xss=3</script> headline"
    assert page.locator("#article-text script, #article-text img").count() == 0
    assert page.locator("#article-text mark.st").count() > 0
    shot(page, "xss-probe.png")
    assert page.problems == []


def test_speaker_page_draws_its_chart(page) -> None:
    page.goto("/speaker?name=Steve%20Jobs")
    page.wait_for_selector("figure.chart.drawn canvas")
    painted = page.locator("figure.chart canvas").first.evaluate(
        """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }""")
    assert painted > 500
    assert page.locator("h1").inner_text().startswith("Steve Jobs")
    assert page.locator("section.latest article.record").count() > 0
    shot(page, "entity.png")
    assert page.problems == []


def test_expectations_page(page) -> None:
    page.goto("/expectations?as_of=2012-01-01")
    assert page.locator("h1").inner_text() == "Expectations"
    shot(page, "expectations.png")
    assert page.problems == []


def test_outlet_page(page) -> None:
    page.goto("/outlet/BBC")
    assert page.locator("p.profile .tag.profile", has_text="public-broadcaster").count() == 1
    assert int(page.locator("#relayed-total").inner_text()) >= 1
    page.wait_for_selector("figure.chart.drawn canvas")
    shot(page, "outlet.png")
    assert page.problems == []


def test_story_page_from_the_storylines(page) -> None:
    page.goto("/stories?min_size=2")
    page.locator("table.stories a").first.click()
    page.wait_for_url(re.compile(r"/story/[0-9a-f]+"))
    assert page.locator("ol.timeline li.timeline-item").count() >= 2
    page.locator("ol.timeline li.statement a").first.click()
    page.wait_for_url(re.compile(r"/article/[0-9a-f]+#st-"))
    page.go_back()
    shot(page, "story.png")
    assert page.problems == []
