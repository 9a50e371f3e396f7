"""Across articles under ``/api``: actors, stories, timelines, disputes, expectations and a statement's provenance
(with PROV-O JSON-LD), each served by the read function of its ``onrecord.resolve`` module.

The modules are imported per request: a part that is not installed answers a 503 problem naming it, and the rest
of the API goes on. "Not found" errors of the parts are 404 problems; their other errors are 400.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from types import ModuleType
from typing import Annotated, Any, TypeVar

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

from ..errors import OnrecordError
from .api_deps import connection
from .models import Actor, Dispute, ExpectationRecord, Provenance, StoryDetail, StorySummary, Timeline
from .problems import responses

router = APIRouter()
Conn = Annotated[sa.Connection, Depends(connection)]
T = TypeVar("T")
#: Error classes of the parts that mean "no such thing".
NOT_FOUND = ("StoryNotFound", "UnknownStatement", "TimelineError")
Name = Annotated[str, Query(min_length=1, max_length=200)]
Limit = Annotated[int, Query(ge=1, le=500)]


def part(name: str) -> ModuleType:
    """``onrecord.resolve.<name>``, or a 503 problem when that part is not installed."""
    try:
        return importlib.import_module(f"onrecord.resolve.{name}")
    except ImportError as exc:
        raise HTTPException(503, f"the {name} part is not available in this install ({exc})") from None


def answer(call: Callable[[], T]) -> T:
    """Run a part's read function; its "not found" errors become 404s, its other errors 400s."""
    try:
        return call()
    except OnrecordError as exc:
        raise HTTPException(404 if type(exc).__name__ in NOT_FOUND else 400, str(exc)) from None


@router.get("/actors", response_model=list[Actor], responses=responses(422, 503), tags=["entities"],
            summary="Find actors by name")
def find_actors(conn: Conn, name: Name) -> list[dict[str, Any]]:
    """Actors (resolved entities) whose name, an entity name or an alias matches ``name``."""
    module = part("entities")
    return answer(lambda: list(module.find_actors(conn, name)))


@router.get("/stories", response_model=list[StorySummary], responses=responses(422, 503), tags=["stories"],
            summary="List storylines")
def list_stories(conn: Conn, min_size: Annotated[int, Query(ge=1, le=10_000)] = 1, limit: Limit = 50
                 ) -> list[dict[str, Any]]:
    """Storylines, largest first, with their main actors and the years they mention."""
    module = part("stories")
    return answer(lambda: list(module.list_stories(conn, min_size=min_size, limit=limit)))


@router.get("/stories/{story_id}", response_model=StoryDetail, responses=responses(404, 422, 503),
            tags=["stories"], summary="One storyline")
def get_story(story_id: str, conn: Conn) -> dict[str, Any]:
    """A storyline (id or unique prefix) with each article, how it joined (rule, score, evidence), statement ids."""
    module = part("stories")
    return answer(lambda: dict(module.story(conn, story_id)))


@router.get("/timelines/{target}", response_model=Timeline, responses=responses(404, 422, 503),
            tags=["stories"], summary="Timeline of a storyline or an entity")
def get_timeline(target: str, conn: Conn) -> dict[str, Any]:
    """Statements and dated sentences ordered by when they were said or happened; ``target`` is a story id (or
    prefix) or an entity name."""
    module = part("timelines")
    return answer(lambda: dict(module.timeline(conn, target)))


@router.get("/disputes", response_model=list[Dispute], responses=responses(400, 422, 503), tags=["disputes"],
            summary="List disputes")
def list_disputes(conn: Conn, story: Annotated[str | None, Query(max_length=64)] = None,
                  entity: Annotated[str | None, Query(max_length=200)] = None,
                  slot: Annotated[str | None, Query(max_length=64)] = None, limit: Limit = 50) -> list[dict[str, Any]]:
    """Disputes (the same fact, different accounts), newest first; by storyline, entity or slot."""
    module = part("dispute_store")
    return answer(lambda: list(module.list_disputes(conn, story=story, entity=entity, slot=slot, limit=limit)))


@router.get("/expectations", response_model=list[ExpectationRecord], responses=responses(400, 422, 503),
            tags=["expectations"], summary="List expectations")
def list_expectations(conn: Conn, as_of: Annotated[date | None, Query(description="Default: today.")] = None,
                      status: Annotated[str | None, Query(max_length=40)] = None,
                      due_before: date | None = None,
                      speaker: Annotated[str | None, Query(max_length=200)] = None,
                      limit: Limit = 50) -> list[dict[str, Any]]:
    """Forward-looking statements, soonest due first, with their status as of ``as_of`` and its evidence."""
    module = part("expectations")
    if status is not None and status not in module.STATUSES:
        raise HTTPException(400, f"status must be one of {', '.join(module.STATUSES)}; got {status[:40]!r}")
    return answer(lambda: list(module.list_expectations(conn, as_of=as_of or date.today(), status_filter=status,
                                                        due_before=due_before, speaker=speaker, limit=limit)))


@router.get("/statements/{statement_id}/provenance", response_model=Provenance,
            responses=responses(404, 422, 503), tags=["statements"], summary="Provenance of a statement")
def get_provenance(statement_id: str, conn: Conn) -> dict[str, Any]:
    """Every article carrying the statement, its relay chains, its independent origins and the single
    state-affiliated origin flag."""
    module = part("provenance")
    return answer(lambda: dict(module.provenance(conn, statement_id)))


@router.get("/statements/{statement_id}/provenance.jsonld", response_class=Response, tags=["statements"],
            summary="Provenance of a statement as PROV-O JSON-LD",
            responses={200: {"content": {"application/ld+json": {"schema": {"type": "object"}}},
                             "description": "The PROV-O graph (prov, dcterms) as JSON-LD."},
                       **responses(404, 422, 503)})
def get_provenance_jsonld(statement_id: str, conn: Conn) -> Response:
    """The statement's provenance as a PROV-O graph in JSON-LD."""
    module = part("provenance")
    text = answer(lambda: str(module.prov_jsonld(module.provenance(conn, statement_id))))
    return Response(text, media_type="application/ld+json")
