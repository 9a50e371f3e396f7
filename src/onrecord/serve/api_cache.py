"""A cache of read answers of the API and the web pages, keyed by the request and the ledger's version, so a
repeated search, article or speaker request costs one indexed version query instead of its full query.

Only ``GET`` requests of the cacheable routes (``CACHED``: the API's statements, articles, entities, outlets and
stats; the pages home, search, articles, article, speaker, entity and outlet — answers that depend on articles,
statements, entities and the user's entity corrections alone, never on the day asked, unlike expectations) with a
200 answer under ``MAX_BODY`` bytes, or a 303 redirect (``/speaker?name=`` to the speaker's entity page), are kept.
The key holds ``query.pages_api.ledger_version`` (counts and largest rowids), which changes with every article or
statement written or deleted and every entity merge or split, and, for a ledger in a SQLite file, SQLite's
``data_version`` as a connection of the cache's own sees it, which changes with any commit by any other connection
or process (the CLI's included, a rebuild of the actors too), so an answer of an older ledger is never asked for
again. The
version is read at most every ``VERSION_TTL`` (50 ms): another process's write shows within that time, this app's
own writes at once. Least recently used entries go first beyond ``api_cache_entries`` answers or ``MAX_TOTAL`` bytes;
``api_cache_entries`` = 0 turns the cache off. Answers say whether they
came from the cache in ``X-Onrecord-Cache: hit|miss``.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections import OrderedDict
from typing import Any

from fastapi.concurrency import run_in_threadpool

from ..ledger import Ledger
from ..query.pages_api import ledger_version
from .security import ASGIApp, Message, Receive, Scope, Send

CACHED = re.compile(r"^/api/(statements(/[^/]+)?|articles(/[^/]+)?|entities(/[^/]+)?|outlets(/[^/]+)?|stats)$"
                    r"|^/(search|articles|article/[^/]+|speaker|entity/[^/]+|outlet/.+)?$")
MAX_BODY = 1_000_000
#: Statuses whose answers are kept: a page or an API answer, and the speaker redirect (a pure function of the
#: ledger, like the pages).
KEPT = (200, 303)
#: The most body bytes kept in all (least recently used answers go first beyond it).
MAX_TOTAL = 64_000_000
#: How long a read ledger version is trusted, in seconds: a write by another process shows within this time; a
#: write by this app (POST) shows at once (it calls ``ReadCache.expire``).
VERSION_TTL = 0.05
Entry = tuple[int, list[tuple[bytes, bytes]], bytes]


class ReadCache:
    """A thread-safe LRU map of (path, query, version) → (status, headers, body), bounded in entries and bytes."""

    def __init__(self, entries: int, max_total: int = MAX_TOTAL) -> None:
        self.entries = entries
        self.max_total = max_total
        self.size = 0
        self._data: OrderedDict[tuple[Any, ...], Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._version: tuple[float, tuple[Any, ...] | None] | None = None

    def known_version(self) -> tuple[bool, tuple[Any, ...] | None]:
        """(True, version) when the ledger version was read less than ``VERSION_TTL`` ago, else (False, None)."""
        memo = self._version
        if memo is not None and time.monotonic() - memo[0] < VERSION_TTL:
            return True, memo[1]
        return False, None

    def remember_version(self, version: tuple[Any, ...] | None) -> None:
        self._version = (time.monotonic(), version)

    def expire(self) -> None:
        """Forget the ledger version read last: the next request reads it again (after a write by this app)."""
        self._version = None

    def get(self, key: tuple[Any, ...]) -> Entry | None:
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], entry: Entry) -> None:
        with self._lock:
            old = self._data.pop(key, None)
            self.size += len(entry[2]) - (len(old[2]) if old else 0)
            self._data[key] = entry
            while self._data and (len(self._data) > self.entries or self.size > self.max_total):
                _, dropped = self._data.popitem(last=False)
                self.size -= len(dropped[2])


class CacheReads:
    """ASGI middleware serving cacheable GET answers (API and pages) from a :class:`ReadCache`."""

    def __init__(self, app: ASGIApp, ledger: Ledger, cache: ReadCache) -> None:
        self.app = app
        self.ledger = ledger
        self.cache = cache
        self._probe: sqlite3.Connection | None = None
        self._probe_lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (self.cache.entries <= 0 or scope["type"] != "http" or scope["method"] != "GET"
                or not CACHED.match(scope["path"])):
            await self.app(scope, receive, send)
            return
        known, version = self.cache.known_version()
        if not known:
            version = await run_in_threadpool(self._version)
            self.cache.remember_version(version)
        if version is None:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""), version)
        found = self.cache.get(key)
        if found is not None:
            await _replay(found, send)
            return
        await self.app(scope, receive, _recorder(self.cache, key, send))

    def _version(self) -> tuple[Any, ...] | None:
        with self.ledger.engine.connect() as conn:
            counts = ledger_version(conn)
        changes = self._data_version()
        return counts if counts is None or changes is None else (*counts, changes)

    def _data_version(self) -> int | None:
        """SQLite's ``PRAGMA data_version`` on a connection of its own, which changes whenever any other
        connection (this app's pool, another process) commits: it catches what the counts cannot, such as a
        rebuild of the actors that writes as many rows as it deleted. None for a ledger not in a SQLite file."""
        database = self.ledger.url.database or ""
        if not self.ledger.is_sqlite or database in ("", ":memory:") or self.ledger.url.query.get("mode") == "memory":
            return None
        with self._probe_lock:
            if self._probe is None:
                self._probe = sqlite3.connect(database, check_same_thread=False)
            return int(self._probe.execute("PRAGMA data_version").fetchone()[0])


async def _replay(entry: Entry, send: Send) -> None:
    status, headers, body = entry
    await send({"type": "http.response.start", "status": status, "headers": [*headers, (b"x-onrecord-cache", b"hit")]})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def _recorder(cache: ReadCache, key: tuple[Any, ...], send: Send) -> Send:
    """A ``send`` that passes the answer on and keeps a copy of a whole 200 answer of bounded size, or a 303."""
    start: Message = {}
    chunks: list[bytes] = []
    size = 0

    async def record(message: Message) -> None:
        nonlocal size
        if message["type"] == "http.response.start":
            start.update(message)
            message = {**message, "headers": [*message.get("headers", []), (b"x-onrecord-cache", b"miss")]}
        elif message["type"] == "http.response.body" and start.get("status") in KEPT and size <= MAX_BODY:
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if not message.get("more_body", False) and size <= MAX_BODY:
                cache.put(key, (int(start["status"]), list(start.get("headers", [])), b"".join(chunks)))
        await send(message)

    return record
