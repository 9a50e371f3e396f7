"""The ledger: open (and migrate) a database, and write batches of articles with their statements.

Writes are idempotent: an article is known by its ``content_hash`` and skipped when already stored; statements are
upserted by their content-hash id; entities and outlets are got or created by name. Each ``write_batch`` is one
transaction. One writer at a time: the ingest runner extracts in worker processes and writes from one.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..errors import LedgerError
from ..records import Article, Statement
from . import schema
from .writes import BatchCache, write_article

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
ALEMBIC_INI = HERE / "alembic.ini"


@dataclass(slots=True)
class BatchResult:
    """What one ``write_batch`` did: articles stored, articles skipped as already stored, statements written."""

    ingested: int = 0
    duplicates: int = 0
    statements: int = 0


class Ledger:
    """A ledger database. ``url`` is any SQLAlchemy URL; SQLite (the default) and PostgreSQL are tested."""

    def __init__(self, url: str = "sqlite:///onrecord.db") -> None:
        try:
            self.url = make_url(url)
        except ArgumentError as exc:
            raise LedgerError(f"{url!r} is not a database URL; pass one like sqlite:///onrecord.db "
                              "or postgresql+psycopg://user@host/db") from exc
        self.display_url = self.url.render_as_string(hide_password=True)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            self._check_sqlite_path()
        try:
            self.engine = sa.create_engine(self.url)
        except (ArgumentError, ImportError, SQLAlchemyError) as exc:
            raise LedgerError(f"cannot use the ledger {self.display_url}: {_reason(exc)}; "
                              "check the URL and that its database driver is installed") from exc
        if self.is_sqlite:
            _configure_sqlite(self.engine, in_memory=self._sqlite_path() is None)

    def __repr__(self) -> str:
        return f"Ledger({self.display_url!r})"

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- setup -------------------------------------------------------------------------------------------------
    def _sqlite_path(self) -> Path | None:
        database = self.url.database or ""
        if database in ("", ":memory:") or self.url.query.get("mode") == "memory":
            return None
        if database.startswith("file:"):
            database = database[5:].split("?", 1)[0]
        return Path(database)

    def _check_sqlite_path(self) -> None:
        path = self._sqlite_path()
        if path is None:
            return
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise LedgerError(f"cannot open the ledger {self.display_url}: folder {parent} does not exist; "
                              "create it or pass another --db")
        if path.exists() and not os.access(path, os.R_OK | os.W_OK):
            raise LedgerError(f"cannot open the ledger {self.display_url}: {path} is not readable and writable; "
                              "fix its permissions or pass another --db")
        if not path.exists() and not os.access(parent, os.W_OK | os.X_OK):
            raise LedgerError(f"cannot create the ledger {self.display_url}: folder {parent} is not writable; "
                              "pass a --db in a folder you can write to")

    def migrate(self) -> None:
        """Bring the database to the newest schema (``alembic upgrade head``); a no-op when it is already there."""
        cfg = Config(str(ALEMBIC_INI))
        cfg.set_main_option("script_location", str(HERE / "migrations"))
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "heads")
        except SQLAlchemyError as exc:
            raise LedgerError(f"cannot open or migrate the ledger {self.display_url}: {_reason(exc)}; "
                              "check the URL, that the database is reachable, and that you may write to it") from exc

    def close(self) -> None:
        self.engine.dispose()

    # --- writes ------------------------------------------------------------------------------------------------
    def has_article(self, article: Article) -> bool:
        """Whether an article with the same text (``content_hash``) is stored."""
        query = sa.select(schema.articles.c.id).where(schema.articles.c.content_hash == article.content_hash)
        try:
            with self.engine.connect() as conn:
                return conn.execute(query.limit(1)).first() is not None
        except SQLAlchemyError as exc:
            raise LedgerError(f"cannot read the ledger {self.display_url}: {_reason(exc)}") from exc

    def write_batch(self, items: Sequence[tuple[Article, Sequence[Statement]]],
                    after: Callable[[sa.Connection, list[str]], None] | None = None) -> BatchResult:
        """Store articles with their statements in one transaction: all of the batch, or (on any error) none.

        An article whose text is already stored, or repeated within the batch, is skipped and counted as a
        duplicate (its statements are not written). ``after(conn, article_ids)`` runs inside the same transaction
        with the ids of the articles written, so across-article updates (``onrecord.resolve.update``) land with
        the batch or not at all.
        """
        result = BatchResult()
        if not items:
            return result
        try:
            with self.engine.begin() as conn:
                stored = _stored_hashes(conn, [article.content_hash for article, _ in items])
                cache = BatchCache()
                written: list[str] = []
                for article, statements in items:
                    if article.content_hash in stored:
                        result.duplicates += 1
                        continue
                    stored.add(article.content_hash)
                    result.statements += write_article(conn, article, statements, cache)
                    result.ingested += 1
                    written.append(article.id)
                if after is not None and written:
                    after(conn, written)
        except SQLAlchemyError as exc:
            raise LedgerError(f"cannot write to the ledger {self.display_url}: {_reason(exc)}; "
                              "nothing of this batch was stored") from exc
        log.debug("batch: %s", result)
        return result


def _stored_hashes(conn: sa.Connection, hashes: list[str]) -> set[str]:
    found: set[str] = set()
    column = schema.articles.c.content_hash
    for start in range(0, len(hashes), 500):
        chunk = hashes[start:start + 500]
        found.update(conn.execute(sa.select(column).where(column.in_(chunk))).scalars())
    return found


def _reason(exc: BaseException) -> str:
    original = getattr(exc, "orig", None)
    text = str(original if original is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _configure_sqlite(engine: sa.Engine, *, in_memory: bool) -> None:
    """Foreign keys on, WAL for files, Unicode-aware ``lower()``, and real transactions (BEGIN on begin).

    pysqlite's own transaction handling does not BEGIN before a SELECT or DDL; emitting BEGIN ourselves makes a
    batch (its reads and writes) and a migration one transaction (the recipe in SQLAlchemy's SQLite docs).
    """

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA busy_timeout = 10000")
            # a 64 MB page cache per connection (SQLite's default is 2 MB): the incremental steps and listings of a
            # large ledger read the same index pages again and again (docs/benchmarks_incremental.md)
            cursor.execute("PRAGMA cache_size = -65536")
        cursor.close()
        dbapi_conn.create_function("lower", 1, _lower, deterministic=True)

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN")


def _lower(value: Any) -> Any:
    """SQLite's built-in ``lower()`` folds ASCII only; names in the news are not ASCII only."""
    return value.lower() if isinstance(value, str) else value


def open_ledger(url: str | None = None) -> Ledger:
    """Open the ledger at ``url`` (default: the ``db`` setting, env ``ONRECORD_DB``) and migrate it to the newest
    schema. Raises ``LedgerError`` with a one-line reason when it cannot."""
    if url is None:
        from .. import settings

        url = str(settings.get("db"))
    ledger = Ledger(url)
    try:
        ledger.migrate()
    except BaseException:
        ledger.close()
        raise
    return ledger
