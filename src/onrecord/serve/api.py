"""The ``/api`` router: every read the CLI offers, and the one write (``POST /api/articles``).

Routers by noun: ``api_statements`` (search, one statement, CSV/JSONL exports), ``api_articles`` (list, one, ingest),
``api_catalog`` (entities, outlets, stats), ``api_across`` (actors, stories, timelines, disputes, expectations,
provenance: the across-articles parts of ``onrecord.resolve``). Every response uses the models of ``serve.models``; every error is an
RFC 9457 problem (``serve.problems``).
"""

from __future__ import annotations

from fastapi import APIRouter

from . import api_across, api_articles, api_catalog, api_statements

router = APIRouter(prefix="/api")
router.include_router(api_statements.router)
router.include_router(api_articles.router)
router.include_router(api_catalog.router)
router.include_router(api_across.router)
