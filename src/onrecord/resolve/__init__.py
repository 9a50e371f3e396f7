"""Across articles: what the ledger sees over many articles rather than in one.

Modules, each with its tables, its CLI commands (``onrecord.commands``) and its read functions:

- ``entities``: one actor under all its names (aliases, transliterations, roles with time validity, user merges
  and splits that survive re-ingest);
- ``stories``: storylines grown online, and timelines ordered by when things were said or happened;
- ``disputes``: the same fact, different accounts;
- ``expectations``: forward-looking statements tracked to their deadline;
- ``provenance``: every article that carries a statement, its relay chains, its independent origins (PROV-O);
- ``background``: the extractive "Previously / Background" draft for a new article.

``update(conn, article_ids)`` brings the incremental parts up to date for newly written articles, inside the
transaction that wrote them (``Ledger.write_batch(..., after=update)``): the cost is that of the new articles,
never a recomputation of the ledger.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import sqlalchemy as sa

#: The incremental steps, in the order they depend on each other (stories use resolved entities; disputes and
#: expectations use stories and entities).
STEPS = ("entities", "stories", "disputes", "expectations")


def update(conn: sa.Connection, article_ids: Sequence[str]) -> None:
    """Run every incremental step for the articles just written, in ``STEPS`` order, on ``conn``."""
    for name in STEPS:
        importlib.import_module(f"{__name__}.{name}").update(conn, article_ids)
