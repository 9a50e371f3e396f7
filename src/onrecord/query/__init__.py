"""The read side shared by the CLI and the API: functions that return plain dicts in the public record shape.

>>> from onrecord import query
>>> query.statements(ledger, speaker="putin", relayed_by="ria", since=date(2024, 12, 1), limit=10)
[{"id": ..., "article": {...}, "speaker": {...}, ...}]

Only ``query.fulltext`` knows about a database dialect (FTS5 on SQLite, LIKE elsewhere).
"""

from .lookup import fetch_records, records_by_id, select_records, statements
from .overview import article, articles, stats

__all__ = ["article", "articles", "fetch_records", "records_by_id", "select_records", "statements", "stats"]
