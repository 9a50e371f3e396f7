"""Across-articles web pages — storylines with their timelines, disputes side by side, expectations by due date, the
relay chains (provenance) of a statement — and the actor of an entity for the entity page. Each part is used only when its library module
(``onrecord.resolve.<name>``) is installed; the pages read through those modules and add no rule of their own.
"""

from __future__ import annotations

import importlib
from datetime import date
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..errors import OnrecordError
from .api_deps import ledger as ledger_of

router = APIRouter(include_in_schema=False)
DISPUTES = 50
EXPECTATIONS = 200
STORIES = 100

#: Pages of the across-articles parts: (resolve module, nav label, URL).
PARTS: tuple[tuple[str, str, str], ...] = (("stories", "Stories", "/stories"),
                                           ("dispute_store", "Disputes", "/disputes"),
                                           ("expectations", "Expectations", "/expectations"))


def resolve_module(name: str) -> ModuleType | None:
    """``onrecord.resolve.<name>`` when it is installed, else None."""
    try:
        return importlib.import_module(f"onrecord.resolve.{name}")
    except ImportError:
        return None


def available() -> list[tuple[str, str]]:
    """(label, URL) of the across-articles pages whose module is installed, for the navigation bar."""
    return [(label, url) for module, label, url in PARTS if resolve_module(module) is not None]


def actor_of(conn: sa.Connection, entity_id: str) -> dict[str, Any] | None:
    """The resolved actor of an entity — id, name, its names (entities) with the rule that linked each, and
    their ids — or None when entity resolution is not installed or has not linked this entity."""
    entities, actors = resolve_module("entities"), resolve_module("actors")
    if entities is None or actors is None:
        return None
    actor_id = entities.actor_ids(conn, [entity_id]).get(entity_id, entity_id)
    profile = actors.actor_summary(conn, actor_id)
    if profile is None or not profile["names"]:
        return None
    names = [{"id": n["entity_id"], "name": n["name"], "kind": n["kind"], "rule": n["rule"]} for n in profile["names"]]
    return {"id": profile["id"], "name": profile["name"], "kind": profile["kind"], "source": profile["source"],
            "names": names, "entity_ids": [n["id"] for n in names], "aliases": profile["aliases"],
            "rules": sorted({n["rule"] for n in names})}


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    from .pages import render

    return render(request, name, status, **context)


def _missing(request: Request, what: str) -> HTMLResponse:
    from .pages import error_page

    return error_page(request, 404, f"{what} is not installed in this onrecord")


@router.get("/stories", response_class=HTMLResponse, name="stories")
def stories(request: Request, min_size: int = 2) -> HTMLResponse:
    """Storylines, most recently active first, with their main actors and years; ``min_size``: fewest articles."""
    module = resolve_module("stories")
    if module is None:
        return _missing(request, "storylines")
    if not 1 <= min_size <= 10_000:
        from .pages import bad_request

        return bad_request(request, f"min_size takes a number from 1 to 10000, got {min_size}")
    with ledger_of(request).engine.connect() as conn:
        found = list(module.list_stories(conn, min_size=min_size, limit=STORIES))
    return _page(request, "stories.html", title="Storylines", stories=found, min_size=min_size)


@router.get("/story/{story_id}", response_class=HTMLResponse, name="story")
def story(request: Request, story_id: str) -> HTMLResponse:
    """One storyline: its articles (why each joined) and its timeline, ordered by when things were said or
    happened, with undated items apart."""
    module, timelines = resolve_module("stories"), resolve_module("timelines")
    if module is None or timelines is None:
        return _missing(request, "storylines")
    try:
        with ledger_of(request).engine.connect() as conn:
            found = module.story(conn, story_id)
            line = timelines.timeline(conn, found["id"])
    except OnrecordError as exc:
        from .pages import error_page

        return error_page(request, 404, str(exc))
    return _page(request, "story.html", title=found["title"] or "Storyline", story=found, timeline=line)


@router.get("/disputes", response_class=HTMLResponse, name="disputes")
def disputes(request: Request, entity: str = "") -> HTMLResponse:
    """Disputes, newest first: the accounts of each one side by side, with the rule and reason that linked them."""
    store = resolve_module("dispute_store")
    if store is None:
        return _missing(request, "dispute detection")
    try:
        with ledger_of(request).engine.connect() as conn:
            found = store.list_disputes(conn, entity=entity or None, limit=DISPUTES)
    except OnrecordError as exc:
        from .pages import bad_request

        return bad_request(request, str(exc))
    return _page(request, "disputes.html", title="Disputes", disputes=found, entity=entity)


@router.get("/expectations", response_class=HTMLResponse, name="expectations")
def expectations(request: Request, as_of: str = "", status: str = "") -> HTMLResponse:
    """Forward-looking statements by due date, with their status as of a day (default: today) and its evidence."""
    module = resolve_module("expectations")
    if module is None:
        return _missing(request, "expectation tracking")
    from .pages import bad_request

    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        return bad_request(request, f"as_of takes a date as YYYY-MM-DD, got {as_of!r}")
    try:
        with ledger_of(request).engine.connect() as conn:
            found = module.list_expectations(conn, as_of=day, status_filter=status or None, limit=EXPECTATIONS)
    except OnrecordError as exc:
        return bad_request(request, str(exc))
    return _page(request, "expectations.html", title="Expectations", items=found, as_of=day.isoformat(),
                 chosen=status, statuses=getattr(module, "STATUSES", ()))


@router.get("/provenance/{statement_id}", response_class=HTMLResponse, name="provenance")
def provenance(request: Request, statement_id: str) -> HTMLResponse:
    """Every article that carries a statement, its relay chains and its independent origins."""
    module = resolve_module("provenance")
    if module is None:
        return _missing(request, "provenance")
    try:
        with ledger_of(request).engine.connect() as conn:
            found = module.provenance(conn, statement_id)
    except OnrecordError as exc:
        from .pages import error_page

        return error_page(request, 404, str(exc))
    return _page(request, "provenance.html", title="Provenance", prov=found)
