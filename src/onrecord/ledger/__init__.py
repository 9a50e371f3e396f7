"""The ledger: SQLAlchemy Core tables, Alembic migrations, idempotent batched writes, FTS5 on SQLite.

>>> ledger = open_ledger("sqlite:///onrecord.db")   # creates or migrates the database
>>> ledger.write_batch([(article, statements)])      # one transaction; stored articles are skipped
BatchResult(ingested=1, duplicates=0, statements=3)

Read it with ``onrecord.query`` (or any SQLite tool: see ``statement_view``).
"""

from .store import BatchResult, Ledger, open_ledger

__all__ = ["BatchResult", "Ledger", "open_ledger"]
