"""Alembic environment for the onrecord ledger.

The database comes from, in order: a connection passed by the caller (``config.attributes["connection"]``, which
is how ``Ledger.migrate`` runs migrations on the connection in use, so an in-memory SQLite works), then
``-x url=...`` on the alembic command line, then ``sqlalchemy.url`` in the config, then the ``db`` setting.
Logging is left to the application: this file does not call ``logging.config.fileConfig``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import context

from onrecord.ledger.schema import FTS_TABLES, metadata

config = context.config


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from onrecord import settings

    return str(settings.get("db"))


def _include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Leave the FTS5 tables (and their shadow tables) out of autogenerate: the migration owns them."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLES))


def _configure(**kwargs: Any) -> None:
    context.configure(target_metadata=metadata, include_object=_include_object, compare_type=True, **kwargs)


def _run_on(connection: sa.Connection) -> None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    engine = sa.create_engine(_url(), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            _run_on(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
