"""``/api/entities``, ``/api/outlets`` and ``/api/stats``: who is in the ledger, who published and relayed, counts."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Query

from .. import query
from ..ledger import Ledger
from ..query import pages_api
from .api_deps import CURSOR_PATTERN, connection, ledger
from .models import EntityDetail, EntityPage, OutletDetail, OutletOut, Stats
from .problems import responses

router = APIRouter()
Conn = Annotated[sa.Connection, Depends(connection)]


@router.get("/entities", response_model=EntityPage, responses=responses(400, 422), tags=["entities"],
            summary="List entities")
def list_entities(conn: Conn,
                  q: Annotated[str | None, Query(description="Name or alias contains this (any case).",
                                                 max_length=200)] = None,
                  kind: Annotated[str | None, Query(description="person, organization, country, group, …",
                                                    max_length=40)] = None,
                  cursor: Annotated[str | None, Query(max_length=400, pattern=CURSOR_PATTERN)] = None,
                  limit: Annotated[int, Query(ge=1, le=pages_api.MAX_PAGE)] = 50) -> dict[str, Any]:
    """Entities by name, with their aliases and how many statements they made and are about."""
    items, next_cursor = pages_api.entities_page(conn, q=q, kind=kind, cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/entities/{name}", response_model=EntityDetail, responses=responses(404, 422), tags=["entities"],
            summary="One entity by name")
def get_entity(name: str, conn: Conn,
               recent: Annotated[int, Query(ge=1, le=pages_api.MAX_PAGE,
                                            description="How many latest statements to list.")] = 20
               ) -> dict[str, Any]:
    """The entities with this name or alias (one per kind), with the latest statements by them and about them."""
    found = pages_api.entity(conn, name, recent=recent)
    if found is None:
        raise HTTPException(404, f"no entity named {name[:100]!r} in the ledger")
    return found


@router.get("/outlets", response_model=list[OutletOut], tags=["outlets"], summary="List outlets")
def list_outlets(conn: Conn) -> list[dict[str, Any]]:
    """Every outlet the ledger knows (publishers and relays), with profile tags and counts."""
    return pages_api.outlets(conn)


@router.get("/outlets/{name}", response_model=OutletDetail, responses=responses(404, 422), tags=["outlets"],
            summary="One outlet")
def get_outlet(name: str, conn: Conn,
               recent: Annotated[int, Query(ge=1, le=pages_api.MAX_PAGE)] = 20) -> dict[str, Any]:
    """One outlet (any case) with its counts, latest articles and latest statements it relayed."""
    found = pages_api.outlet(conn, name, recent=recent)
    if found is None:
        raise HTTPException(404, f"no outlet named {name[:100]!r} in the ledger")
    return found


@router.get("/stats", response_model=Stats, tags=["stats"], summary="Counts")
def get_stats(db: Annotated[Ledger, Depends(ledger)]) -> dict[str, Any]:
    """Articles and statements, by outlet, by speaker (top 20), by kind and by relay outlet (as ``onrecord stats``)."""
    data = query.stats(db)
    pairs = ("by_speaker", "by_kind", "by_relay")
    return {"articles": data["articles"], "statements": data["statements"],
            "by_outlet": [{"name": n, "articles": x, "statements": y} for n, x, y in data["by_outlet"]],
            **{key: [{"name": n, "statements": c} for n, c in data[key]] for key in pairs}}
