"""RFC 9457 problem details: every error the app answers is ``application/problem+json`` with a type, a title, the
status, a one-line detail naming the thing and the reason, and the request path as ``instance``.

Handlers cover validation errors (422, with where and why for each field), HTTP errors raised by routes or by
routing itself (404, 405, 401, 403, 413, 415 …), onrecord's own errors (a bad cursor is the client's 400, text with
no article in it a 422, a ledger or model that cannot be used a 503), and a catch-all that logs the traceback and
answers a bare 500 problem: no traceback, no exception text ever reaches the client.

HTML pages (paths outside ``/api``) may render their own error page: when ``serve.pages`` defines
``error_page(request, status, detail) -> Response`` and the client accepts HTML, it is used instead.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import ExtractionError, IngestError, LedgerError, OnrecordError
from ..query.pages_api import QueryError

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"


def problem(status: int, detail: str, *, instance: str | None = None, headers: Mapping[str, str] | None = None,
            errors: list[dict[str, Any]] | None = None) -> JSONResponse:
    """A problem+json response; ``title`` is the status's standard phrase."""
    body: dict[str, Any] = {"type": "about:blank", "title": _phrase(status), "status": status, "detail": detail}
    if instance is not None:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=dict(headers or {}))


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def status_of(exc: OnrecordError) -> int:
    """The HTTP status of one of onrecord's errors: the client's fault (4xx) or the server's state (503)."""
    if isinstance(exc, QueryError):
        return 400
    if isinstance(exc, IngestError):
        return 422
    if isinstance(exc, LedgerError | ExtractionError):
        return 503
    return 400


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Where (``loc``) and why (``msg``) for each error; the offending input is not echoed back."""
    return [{"loc": [str(part) for part in err.get("loc", ())], "msg": str(err.get("msg", "")),
             "type": str(err.get("type", ""))} for err in exc.errors()]


def _summary(errors: list[dict[str, Any]]) -> str:
    first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
    where = ".".join(first["loc"]) or "request"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first['msg']}{more}"


def _html_page(request: Request, status: int, detail: str) -> Response | None:
    """The pages' own error page, for an HTML client outside /api, when the pages module offers one."""
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", ""):
        return None
    try:
        from . import pages
    except ImportError:
        return None
    render = getattr(pages, "error_page", None)
    return render(request, status, detail) if callable(render) else None


async def on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc)
    return _html_page(request, 422, _summary(errors)) or problem(
        422, _summary(errors), instance=request.url.path, errors=errors)


async def on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else _phrase(exc.status_code)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"nothing at {request.url.path}"
    return _html_page(request, exc.status_code, detail) or problem(
        exc.status_code, detail, instance=request.url.path, headers=exc.headers)


async def on_onrecord(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OnrecordError)
    status = status_of(exc)
    if status >= 500:
        log.warning("%s %s: %s", request.method, request.url.path, exc)
    return _html_page(request, status, str(exc)) or problem(status, str(exc), instance=request.url.path)


async def on_anything(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, "the server failed to answer this request; the error is logged",
                   instance=request.url.path)


def install(app: FastAPI) -> None:
    """Register the problem handlers on ``app``."""
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(OnrecordError, on_onrecord)
    app.add_exception_handler(Exception, on_anything)


#: OpenAPI ``responses`` entries for the problems a route may answer.
def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Document problem responses (``application/problem+json`` with the Problem schema) for ``statuses``."""
    from .models import Problem

    return {status: {"model": Problem, "description": _phrase(status),
                     "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for status in statuses}
