"""What every command shares: the consoles, the ``--db`` and ``--format`` options, one-line failures, output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import OnrecordError

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DbOption = Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL of the ledger [env ONRECORD_DB; default sqlite:///onrecord.db].")]


class OutputFormat(StrEnum):
    """The formats every across-articles command offers: a rich table, one JSON object per line, or one JSON value."""

    table = "table"
    jsonl = "jsonl"
    json = "json"


FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table, jsonl (one record per line) or json.")]


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` to stderr and return the exit to raise (code 1)."""
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    return typer.Exit(1)


def parse_day(value: str | None, option: str) -> date | None:
    """``YYYY-MM-DD`` → date, or a one-line failure naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} takes a date as YYYY-MM-DD, got {value!r}") from None


def open_db(db: str | None) -> Any:
    """Open (and migrate) the ledger, or fail with its one-line reason."""
    from ..ledger import open_ledger

    try:
        return open_ledger(db)
    except OnrecordError as exc:
        raise fail(str(exc)) from None


def read_ledger(db: str | None, read: Callable[[Any], Any]) -> Any:
    """Open the ledger, return ``read(conn)`` on a read connection, close it; a library error becomes ``fail``."""
    ledger = open_db(db)
    try:
        with ledger.engine.connect() as conn:
            return read(conn)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    finally:
        ledger.close()


def emit(records: list[dict[str, Any]] | dict[str, Any], fmt: OutputFormat | str,
         table: Callable[[], Table] | None = None) -> None:
    """Write records as JSON lines, as one JSON document, or print the rich table ``table()`` builds.

    A single dict is written as one line in ``jsonl`` and as itself in ``json``.
    """
    if fmt == OutputFormat.jsonl:
        for rec in records if isinstance(records, list) else [records]:
            sys.stdout.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
    elif fmt == OutputFormat.json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, default=str, indent=2) + "\n")
    elif table is not None:
        out.print(table())


def cells(values: Iterable[Any], width: int = 120) -> list[str]:
    """Table cells from values: None → '', long text cut with an ellipsis, rich markup escaped (user text)."""
    result = []
    for v in values:
        text = "" if v is None else str(v)
        result.append(escape(text if len(text) <= width else text[: width - 1] + "…"))
    return result
