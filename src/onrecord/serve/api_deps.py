"""Dependencies shared by the API routers: a ledger connection per request, the ledger, the write token check."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import sqlalchemy as sa
from fastapi import HTTPException, Request

from ..ledger import Ledger

#: What a cursor looks like (base64url without padding); whether it is one this API gave out is checked on use.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+$"


def ledger(request: Request) -> Ledger:
    """The app's ledger (opened once by ``create_app``)."""
    found: Ledger = request.app.state.ledger
    return found


def connection(request: Request) -> Iterator[sa.Connection]:
    """A connection of the app's pool for the time of one request (read-only use)."""
    with ledger(request).engine.connect() as conn:
        yield conn


def require_token(request: Request) -> None:
    """Let a write request through only with ``Authorization: Bearer <api_token>``.

    Without a configured token (setting ``api_token``, env ONRECORD_API_TOKEN) write endpoints are off: 403.
    A missing or wrong token is a 401 with a ``WWW-Authenticate`` challenge. Tokens are compared in constant time.
    """
    token: str | None = request.app.state.api_token
    if not token:
        raise HTTPException(403, "write endpoints are off: start the server with ONRECORD_API_TOKEN set")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="onrecord"'}
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPException(401, "this endpoint needs the header Authorization: Bearer <token>", headers=challenge)
    if not secrets.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(401, "the bearer token is not the server's API token", headers=challenge)
