"""The FastAPI app: the ``/api`` router, the HTML pages, ``/static``, problem handlers, security headers, the
request-body limit and the read cache, over one ledger opened once per app.

>>> app = create_app("sqlite:///onrecord.db", token="s3cret")   # uvicorn.run(app)
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .. import __version__, settings
from ..ledger import open_ledger
from . import problems
from .api import router as api_router
from .api_articles import resolve_hook
from .api_cache import CacheReads, ReadCache
from .security import BodyLimit, SecurityHeaders

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
DESCRIPTION = ("The onrecord ledger over HTTP: who said what, when, to whom, relayed by which outlets, with the "
               "span of the article text as evidence. Errors are RFC 9457 problem details. "
               "`POST /api/articles` needs `Authorization: Bearer <ONRECORD_API_TOKEN>`.")


def create_app(db_url: str | None = None, *, token: str | None = None, max_body: int | None = None) -> FastAPI:
    """The app over the ledger at ``db_url`` (default: setting ``db``), opened and migrated now (LedgerError when
    it cannot be). ``token`` (default: setting ``api_token``) turns write endpoints on; ``max_body`` (default:
    setting ``max_body_bytes``) caps request bodies."""
    values = settings.load_settings()
    ledger = open_ledger(db_url or str(values["db"]))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        ledger.close()

    app = FastAPI(title="onrecord", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    app.state.ledger = ledger
    app.state.api_token = (token if token is not None else str(values["api_token"])) or None
    app.state.max_body = int(max_body if max_body is not None else values["max_body_bytes"])
    app.state.after_write = resolve_hook()
    problems.install(app)
    app.include_router(api_router)
    _include_pages(app)
    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.state.read_cache = ReadCache(int(values["api_cache_entries"]))
    app.add_middleware(CacheReads, ledger=ledger, cache=app.state.read_cache)
    app.add_middleware(BodyLimit, max_body=app.state.max_body)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so the 413 of BodyLimit carries the headers too
    return app


def _include_pages(app: FastAPI) -> None:
    """The HTML pages of the web UI (``serve.pages.router``), when that module is installed."""
    try:
        from .pages import router as pages_router
    except ImportError as exc:
        log.warning("web pages not available (%s); serving the API only", exc)
        return
    app.include_router(pages_router)
