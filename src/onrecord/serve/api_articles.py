"""``/api/articles``: the list (newest first, cursor pages), one article with its text and statements, and
``POST`` to ingest one article through the CLI's own path (ingest → extract → ``Ledger.write_batch``).

A posted article is JSON ``{"title","text","url","outlet","published","lang"}``, or the raw ``text/plain`` or
``text/html`` body with its metadata in query parameters (or ``X-Article-*`` headers). The same text posted twice is
stored once: the second answer is 200 with the stored record, the first 201.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import query
from ..errors import IngestError
from ..ingest import build_article, read_bytes
from ..ledger import Ledger
from ..query import pages_api
from ..records import Article, Failure
from .api_deps import CURSOR_PATTERN, connection, ledger, require_token
from .models import ArticleDetail, ArticlePage, IngestResult
from .problems import responses

log = logging.getLogger(__name__)
router = APIRouter(tags=["articles"])
SOURCE = "api"
#: One extraction at a time per process: the spaCy pipeline is shared, and the ledger has one writer anyway.
_EXTRACT = threading.Lock()


class ArticleIn(BaseModel):
    """An article to ingest, as JSON."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "Talks resume in Geneva", "url": "https://example.org/geneva",
        "outlet": "Reuters", "published": "2024-12-02",
        "text": "The talks resumed on Monday, the foreign minister told reporters."}]})
    text: str = Field(min_length=1, description="The article text; paragraphs separated by blank lines.")
    title: str | None = Field(None, description="The headline; default: the first line of the text.")
    url: str | None = None
    outlet: str | None = None
    published: str | None = Field(None, description="Publication date: ISO 8601 date or date-time.")
    lang: str = "en"


@router.get("/articles", response_model=ArticlePage, responses=responses(400, 422), summary="List articles")
def list_articles(conn: Annotated[sa.Connection, Depends(connection)],
                  outlet: Annotated[str | None, Query(description="Only this outlet (exact, any case).",
                                                      max_length=200)] = None,
                  cursor: Annotated[str | None, Query(max_length=400, pattern=CURSOR_PATTERN)] = None,
                  limit: Annotated[int, Query(ge=1, le=pages_api.MAX_PAGE)] = 50) -> dict[str, Any]:
    """Stored articles, newest published first (undated last), with their number of statements."""
    items, next_cursor = pages_api.articles_page(conn, outlet=outlet, cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/articles/{article_id}", response_model=ArticleDetail, responses=responses(404, 422),
            summary="One article")
def get_article(article_id: str, db: Annotated[Ledger, Depends(ledger)]) -> dict[str, Any]:
    """An article (by id, or a prefix of 6+ characters that only one article has) with its text, paragraphs,
    editorial notes and statements in text order."""
    found = query.article(db, article_id)
    if found is None:
        raise HTTPException(404, f"no article with id {article_id[:64]!r} in the ledger")
    return found


BODY_DOC = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": ArticleIn.model_json_schema()},
    "text/plain": {"schema": {"type": "string"}, "example": "Talks resume in Geneva\n\nThe talks resumed on Monday."},
    "text/html": {"schema": {"type": "string"}}}}}
Meta = Annotated[str | None, Query(max_length=2000, description="Metadata of a text/plain or text/html body "
                                                               "(published: ISO 8601); JSON bodies carry their own.")]


@router.post("/articles", response_model=IngestResult, status_code=201, summary="Ingest one article",
             dependencies=[Depends(require_token)], openapi_extra=BODY_DOC,
             responses={200: {"model": IngestResult, "description": "Already stored: the stored article."},
                        **responses(400, 401, 403, 413, 415, 422, 503)})
async def post_article(request: Request, title: Meta = None, url: Meta = None, outlet: Meta = None,
                       published: Meta = None,
                       x_article_title: Annotated[str | None, Header(max_length=2000)] = None,
                       x_article_url: Annotated[str | None, Header(max_length=2000)] = None,
                       x_article_outlet: Annotated[str | None, Header(max_length=2000)] = None,
                       x_article_published: Annotated[str | None, Header(max_length=2000)] = None) -> JSONResponse:
    """Read, extract and store one article; answers its statement records (201), or the stored ones when the
    same text is already in the ledger (200). Needs ``Authorization: Bearer <ONRECORD_API_TOKEN>``."""
    body = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    meta = {"title": title or x_article_title, "url": url or x_article_url,
            "outlet": outlet or x_article_outlet, "published": published or x_article_published}
    article = _parse(kind, body, meta)
    db: Ledger = request.app.state.ledger
    result, created = await run_in_threadpool(ingest_one, db, article, request.app.state.after_write)
    request.app.state.read_cache.expire()
    return JSONResponse(IngestResult.model_validate(result).model_dump(mode="json"), status_code=201 if created else 200)


def _parse(kind: str, body: bytes, meta: dict[str, str | None]) -> Article:
    """The posted Article, or a 4xx naming what is wrong with the body."""
    if kind == "application/json":
        try:
            doc = ArticleIn.model_validate_json(body)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            raise HTTPException(422, f"JSON article: {where}: {first['msg']}") from None
        fields = {k: v for k, v in meta.items() if v} | {k: v for k, v in doc.model_dump().items() if v is not None}
        return _build(fields.pop("text"), fields)
    if kind in ("text/plain", "text/html"):
        return _from_bytes(body, "html" if kind == "text/html" else "text", meta)
    raise HTTPException(415, f"content type {kind or '(none)'!r} is not accepted; send application/json, "
                             "text/plain or text/html")


def _published(value: str | None) -> date | None:
    """An ISO 8601 date or date-time → its date. The API takes ISO only: unambiguous for clients, and cheap
    (the CLI's lenient reader loads a natural-language date parser, seconds on first use)."""
    if not value:
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text).date()
    except ValueError:
        raise IngestError(f"published {text[:40]!r} is not an ISO 8601 date (YYYY-MM-DD) or date-time") from None


def _build(text: str, fields: dict[str, Any]) -> Article:
    if not text.strip():
        raise IngestError("the article has no text")
    return build_article(fields.get("title") or "", text, url=fields.get("url"), outlet=fields.get("outlet"),
                         published=_published(fields.get("published")), lang=fields.get("lang") or "en",
                         source=SOURCE)


def _from_bytes(body: bytes, fmt: str, meta: dict[str, str | None]) -> Article:
    if not body.strip():
        raise HTTPException(422, "the request body is empty; send the article text")
    items = list(read_bytes(body, SOURCE, fmt=fmt, outlet=meta["outlet"], published=_published(meta["published"]),
                            title=meta["title"]))
    article = items[0] if items else Failure(SOURCE, "nothing read")
    if isinstance(article, Failure):
        raise IngestError(f"not an article: {article.reason}")
    if meta["url"]:
        article.url = meta["url"]
    return article


AfterWrite = Callable[[sa.Connection, list[str]], None] | None


def ingest_one(db: Ledger, article: Article, after: AfterWrite = None) -> tuple[dict[str, Any], bool]:
    """Store one article with its statements (unless its text is stored) → (IngestResult dict, created);
    ``after`` runs in the write transaction (``onrecord.resolve.update``, see :func:`resolve_hook`)."""
    from ..extract import extract_article

    created = False
    with db.engine.connect() as conn:
        stored = pages_api.article_id_by_hash(conn, article.content_hash)
    if stored is None:
        with _EXTRACT:
            statements = extract_article(article)
            written = db.write_batch([(article, statements)], after=after)
        created = written.ingested == 1
        stored = article.id
        if not created:
            with db.engine.connect() as conn:
                stored = pages_api.article_id_by_hash(conn, article.content_hash) or stored
    found = query.article(db, stored)
    if found is None:
        raise IngestError(f"article {stored} was not stored")
    summary = {k: found[k] for k in ("id", "url", "title", "outlet", "published")}
    return {"created": created, "article": {**summary, "statements": len(found["statements"])},
            "statements": found["statements"]}, created


def resolve_hook() -> AfterWrite:
    """``onrecord.resolve.update`` when every one of its steps imports, else None (logged): the API writes as
    the CLI does, and never half-runs the across-articles steps. ``create_app`` asks once, at start."""
    from .. import resolve

    missing = []
    for name in resolve.STEPS:
        try:
            importlib.import_module(f"{resolve.__name__}.{name}")
        except ImportError as exc:
            missing.append(f"{name}: {exc}")
    if missing:
        log.warning("across-articles steps not available (%s): posted articles are stored without them",
                    "; ".join(missing))
        return None
    return resolve.update
