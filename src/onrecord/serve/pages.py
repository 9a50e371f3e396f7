"""Server-rendered HTML pages of the web UI: home, search with facets, articles, an article with its statements
highlighted, a speaker (entity) page with a chart over time, and an outlet page.

The FastAPI app (``serve/app.py``) includes ``router`` and mounts ``serve/static`` at ``/static``; it keeps the
open ledger on ``app.state.ledger``. Pages hold no logic of their own beyond shaping: they read through
``onrecord.query`` (``pages_api`` and ``pages_web``) and render Jinja2 templates with autoescape on, so every
piece of article text, name or content is escaped. No inline script or style anywhere (the app's CSP is
``script-src 'self'; style-src 'self'``): behaviour lives in ``static/js/pages.js``, chart data travels in
``<script type="application/json">`` blocks that are read, never executed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .. import query
from ..errors import OnrecordError
from ..query import pages_api, pages_web
from . import pages_across
from .api_deps import ledger as ledger_of
from .pages_highlight import PALETTE, paragraphs, speaker_colours

HERE = Path(__file__).resolve().parent
environment = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                          trim_blocks=True, lstrip_blocks=True)
templates = Jinja2Templates(env=environment)


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL, else None: a stored URL is untrusted (no ``javascript:`` links)."""
    if not url:
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None


environment.filters["web_url"] = web_url
router = APIRouter(include_in_schema=False)
router.include_router(pages_across.router)
environment.globals["has_provenance"] = pages_across.resolve_module("provenance") is not None
PER_PAGE = 20
FACETS = ("speaker", "outlet", "relay", "kind")


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A template rendered with the request, the nav links, and the extra pages that exist in this install."""
    context.setdefault("title", "onrecord")
    context["nav_extra"] = pages_across.available()
    return templates.TemplateResponse(request, name, context, status_code=status)


def not_found(request: Request, what: str) -> HTMLResponse:
    """The HTML 404 page naming what was not found."""
    return error_page(request, 404, what)


def bad_request(request: Request, message: str) -> HTMLResponse:
    """The HTML 400 page with a one-line reason."""
    return error_page(request, 400, message)


@router.get("/", response_class=HTMLResponse, name="home")
def home(request: Request) -> HTMLResponse:
    """Counts, the latest articles and the most quoted speakers: where to start."""
    ledger = ledger_of(request)
    return render(request, "home.html", stats=query.stats(ledger), latest=query.articles(ledger, limit=10))


@router.get("/search", response_class=HTMLResponse, name="search")
def search(request: Request, q: str = "", speaker: str = "", outlet: str = "", relay: str = "", kind: str = "",
           since: str = "", until: str = "", cursor: str = "") -> HTMLResponse:
    """Full-text search over statements with facets (speaker, outlet, relay outlet, kind, date range)."""
    try:
        filters = pages_api.StatementFilters(speaker=speaker or None, outlet=outlet or None, relayed_by=relay or None,
                                             kind=kind or None, since=_day(since, "since"),
                                             until=_day(until, "until"), search=q or None)
        with ledger_of(request).engine.connect() as conn:
            found = pages_web.search(conn, filters, cursor=cursor or None, limit=PER_PAGE)
            choices = pages_web.facet_values(conn)
    except OnrecordError as exc:
        return bad_request(request, str(exc))
    asked = {"q": q, "speaker": speaker, "outlet": outlet, "relay": relay, "kind": kind, "since": since,
             "until": until}
    return render(request, "search.html", title=f"Search {q}".strip(), asked=asked, found=found, choices=choices,
                  facet_links=_facet_links(asked, found["facets"]), next_url=_next_url(asked, found["next"]),
                  active=[(k, v) for k, v in asked.items() if v and k in FACETS + ("since", "until")],
                  without=lambda key: "/search?" + urlencode({k: v for k, v in asked.items() if v and k != key}))


def _day(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise pages_api.QueryError(f"{name} takes a date as YYYY-MM-DD, got {value!r}") from None


def _facet_links(asked: dict[str, str], facets: dict[str, list[tuple[Any, int]]]) -> dict[str, list[dict[str, Any]]]:
    """For each facet value: its label, count, and the search URL that narrows the current one to it."""
    links: dict[str, list[dict[str, Any]]] = {}
    for name, values in facets.items():
        links[name] = [{"label": value, "count": count, "selected": asked.get(name) == value,
                        "url": "/search?" + urlencode({**{k: v for k, v in asked.items() if v}, name: value})}
                       for value, count in values if value is not None]
    return links


def _next_url(asked: dict[str, str], cursor: str | None) -> str | None:
    if cursor is None:
        return None
    return "/search?" + urlencode({**{k: v for k, v in asked.items() if v}, "cursor": cursor})


@router.get("/articles", response_class=HTMLResponse, name="articles")
def articles(request: Request, outlet: str = "", cursor: str = "") -> HTMLResponse:
    """Articles newest first, one keyset page at a time."""
    try:
        with ledger_of(request).engine.connect() as conn:
            items, after = pages_api.articles_page(conn, outlet=outlet or None, cursor=cursor or None, limit=50)
    except OnrecordError as exc:
        return bad_request(request, str(exc))
    params = {"outlet": outlet} if outlet else {}
    next_url = "/articles?" + urlencode({**params, "cursor": after}) if after else None
    return render(request, "articles.html", title="Articles", items=items, outlet=outlet, next_url=next_url)


@router.get("/article/{article_id}", response_class=HTMLResponse, name="article")
def article(request: Request, article_id: str) -> HTMLResponse:
    """The article text with every statement's span highlighted (coloured by speaker) and the statement records."""
    ledger = ledger_of(request)
    found = query.article(ledger, article_id)
    if found is None:
        return not_found(request, f"no article {article_id!r} in this ledger")
    with ledger.engine.connect() as conn:
        offsets = pages_web.statement_offsets(conn, found["id"])
    statements = found["statements"]
    colours = speaker_colours(statements)
    return render(request, "article.html", title=found["title"], article=found, colours=colours,
                  blocks=paragraphs(found["text"], found["paragraphs"], statements, offsets),
                  entity_of={sid: o["entity_id"] for sid, o in offsets.items()}, palette=PALETTE)


@router.get("/speaker", name="speaker")
def speaker(request: Request, name: str = "") -> Response:
    """The entity page of the speaker called ``name`` (the entity most of its statements point to)."""
    with ledger_of(request).engine.connect() as conn:
        entity_id = pages_web.entity_id_for_speaker(conn, name) if name else None
    if entity_id is None:
        return not_found(request, f"no speaker named {name!r} in this ledger")
    return RedirectResponse(f"/entity/{entity_id}", status_code=303)


@router.get("/entity/{entity_id}", response_class=HTMLResponse, name="entity")
def entity(request: Request, entity_id: str) -> HTMLResponse:
    """A speaker or any named entity: aliases, statements over time (chart), latest statements, relaying outlets."""
    with ledger_of(request).engine.connect() as conn:
        actor = pages_across.actor_of(conn, entity_id)
        found = pages_web.entity_page(conn, entity_id, actor["entity_ids"] if actor else None)
    if found is None:
        return not_found(request, f"no entity {entity_id!r} in this ledger")
    chart = {"label": f"Statements by {found['name']} per month", "points": found["monthly"]}
    return render(request, "entity.html", title=found["name"], entity=found, actor=actor, chart_data=chart)


@router.get("/outlet/{name:path}", response_class=HTMLResponse, name="outlet")
def outlet(request: Request, name: str) -> HTMLResponse:
    """An outlet: its profile tags, what it relays, whom it quotes."""
    with ledger_of(request).engine.connect() as conn:
        found = pages_web.outlet_page(conn, name)
    if found is None:
        return not_found(request, f"no outlet {name!r} in this ledger")
    chart = {"label": f"Statements {found['name']} published or relayed, per month", "points": found["monthly"]}
    return render(request, "outlet.html", title=found["name"], outlet=found, chart_data=chart)


def error_page(request: Request, status: int, detail: str) -> HTMLResponse:
    """The HTML error page the app's problem handlers answer with for browsers outside /api (any status)."""
    heading = {404: "Not found", 400: "Bad request", 405: "Method not allowed", 422: "Cannot read the request"}
    return render(request, "error.html", status, title=heading.get(status, "Error"),
                  heading=heading.get(status, f"Error {status}"), message=detail)
