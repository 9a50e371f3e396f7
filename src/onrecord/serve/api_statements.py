"""``/api/statements``: search with the CLI's filters and full-text search, paginated with cursors; one statement
by id; CSV and JSON Lines exports of every match (streamed page by page, never held in memory whole)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from ..query import pages_api
from ..query.pages_api import StatementFilters
from .api_deps import CURSOR_PATTERN, connection
from .models import Kind, StatementPage, StatementRecord
from .problems import responses

router = APIRouter(tags=["statements"])

Cursor = Annotated[str | None, Query(description="The next_cursor of the previous page; omit for the first page.",
                                     max_length=400, pattern=CURSOR_PATTERN)]
Limit = Annotated[int, Query(ge=1, le=pages_api.MAX_PAGE, description="Items per page.")]


def filters(
    speaker: Annotated[str | None, Query(description="Speaker name, mention or alias (substring).",
                                         max_length=200)] = None,
    about: Annotated[str | None, Query(description="An entity the statement is about (substring).",
                                       max_length=200)] = None,
    outlet: Annotated[str | None, Query(description="The publishing outlet (substring).", max_length=200)] = None,
    relayed_by: Annotated[str | None, Query(description="An outlet in the relay chain (substring).",
                                            max_length=200)] = None,
    kind: Annotated[Kind | None, Query(description="The statement kind.")] = None,
    since: Annotated[date | None, Query(description="Said on or after (undated: the article's date).")] = None,
    until: Annotated[date | None, Query(description="Said on or before (undated: the article's date).")] = None,
    q: Annotated[str | None, Query(description="Full-text search in the content and the speaker's name; every "
                                               "word must occur.", max_length=500)] = None,
    article: Annotated[str | None, Query(description="Only statements of this article id.", max_length=64)] = None,
) -> StatementFilters:
    """The statement filters of a request (the same as ``onrecord statements``)."""
    if since is not None and until is not None and since > until:
        raise HTTPException(400, f"since ({since}) is after until ({until})")
    return StatementFilters(speaker=speaker, about=about, outlet=outlet, relayed_by=relayed_by, kind=kind,
                            since=since, until=until, search=q, article_id=article)


Filters = Annotated[StatementFilters, Depends(filters)]
Conn = Annotated[sa.Connection, Depends(connection)]


@router.get("/statements", response_model=StatementPage, responses=responses(400, 422),
            summary="Search statements")
def list_statements(f: Filters, conn: Conn, cursor: Cursor = None, limit: Limit = 50) -> dict[str, Any]:
    """Statements matching every filter, newest first (by when they were said, else the article's publication
    date; then by id), one page at a time: pass ``next_cursor`` back as ``cursor`` for the next page."""
    items, next_cursor = pages_api.statements_page(conn, f, cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


CSV_FIELDS = ("id", "article_id", "article_title", "outlet", "published", "speaker", "speaker_kind", "speaker_role",
              "cue", "mode", "kind", "said_on", "relays", "about", "due_start", "due_end", "section", "span", "content")
CSV_EXAMPLE = ",".join(CSV_FIELDS) + "\n"
JSONL_EXAMPLE = json.dumps({"id": "f1301988d3e5ecad", "cue": "tell", "…": "…"}) + "\n"
ExportLimit = Annotated[int | None, Query(ge=1, description="At most this many statements (default: all).")]


def csv_row(r: dict[str, Any]) -> list[Any]:
    """One statement record as the CSV columns of ``onrecord statements --format csv``."""
    return [r["id"], r["article"]["id"], r["article"].get("title"), r["article"].get("outlet"),
            r["article"].get("published"), r["speaker"]["name"], r["speaker"]["kind"], r["speaker"]["role"],
            r["cue"], r["mode"], r["kind"], r["said_on"]["start"] if r["said_on"] else "",
            " > ".join(x["outlet"] for x in r["relays"]), "; ".join(x["name"] for x in r["about"]),
            r["expectation"]["due"]["start"] if r["expectation"] else "",
            r["expectation"]["due"]["end"] if r["expectation"] else "",
            r["section"], f"{r['span'][0]}-{r['span'][1]}", r["content"]]


def _records(request: Request, f: StatementFilters, limit: int | None) -> Iterator[dict[str, Any]]:
    """Every matching record, on a connection of its own held while the response streams."""
    with request.app.state.ledger.engine.connect() as conn:
        yield from pages_api.iter_statements(conn, f, limit=limit)


def _csv_lines(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_FIELDS)
    for record in records:
        writer.writerow(csv_row(record))
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def _jsonl_lines(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


@router.get("/statements.csv", response_class=StreamingResponse, summary="Export statements as CSV",
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE}},
                             "description": "One header row, then one row per statement."},
                       **responses(400, 422)})
def export_csv(request: Request, f: Filters, limit: ExportLimit = None) -> StreamingResponse:
    """Every statement matching the filters (the same as ``/api/statements``), newest first, as CSV."""
    return StreamingResponse(_csv_lines(_records(request, f, limit)), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="statements.csv"'})


@router.get("/statements.jsonl", response_class=StreamingResponse, summary="Export statements as JSON Lines",
            responses={200: {"content": {"application/jsonl": {"schema": {"type": "string"},
                                                               "example": JSONL_EXAMPLE}},
                             "description": "One statement record (the StatementRecord shape) per line."},
                       **responses(400, 422)})
def export_jsonl(request: Request, f: Filters, limit: ExportLimit = None) -> StreamingResponse:
    """Every statement matching the filters, newest first, one statement record per line."""
    return StreamingResponse(_jsonl_lines(_records(request, f, limit)), media_type="application/jsonl",
                             headers={"Content-Disposition": 'attachment; filename="statements.jsonl"'})


@router.get("/statements/{statement_id}", response_model=StatementRecord, responses=responses(404, 422),
            summary="One statement")
def get_statement(statement_id: str, conn: Conn) -> dict[str, Any]:
    """One statement record by its id."""
    found = pages_api.statement(conn, statement_id)
    if found is None:
        raise HTTPException(404, f"no statement with id {statement_id[:64]!r} in the ledger")
    return found
