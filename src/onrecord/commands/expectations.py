"""``onrecord expectations``: forward-looking statements with their due window, status and evidence."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from .common import DbOption, FormatOption, OutputFormat, cells, emit, fail, open_db, parse_day


def _table(records: list[dict[str, Any]]) -> Table:
    table = Table("due", "status", "speaker", "what", "evidence")
    for r in records:
        st = r["statement"] or {}
        who = (st.get("speaker") or {}).get("name") or (st.get("speaker") or {}).get("mention")
        evidence = "; ".join(f"{e['verdict']}: {e['reason']}" for e in r["evidence"])
        table.add_row(*cells([f"{r['due']['start']}…{r['due']['end']}", r["status"], who, r["what"], evidence], 80))
    return table


def expectations(
    status: Annotated[str | None, typer.Option("--status", help="open, due-soon, overdue, reported-fulfilled, "
                                                "reported-unfulfilled or withdrawn.")] = None,
    due_before: Annotated[str | None, typer.Option("--due-before", help="Only those due before YYYY-MM-DD.")] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Speaker name (any of the actor's names).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Compute statuses on YYYY-MM-DD [default: today].")] = None,
    soon_days: Annotated[int, typer.Option("--soon-days", help="'due soon' window in days.")] = 30,
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many.")] = None,
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Expectations tracked to their deadline: open, due soon, overdue, reported fulfilled/unfulfilled, withdrawn."""
    from ..resolve.expectations import STATUSES, list_expectations

    wanted = status.replace("-", " ").replace("_", " ").strip().lower() if status else None
    if wanted is not None and wanted not in STATUSES:
        raise fail(f"--status {status!r} is not a status; choose one of: {', '.join(STATUSES)}")
    if soon_days < 0:
        raise fail(f"--soon-days takes a number of days ≥ 0, got {soon_days}")
    day = parse_day(as_of, "--as-of") or date.today()
    before = parse_day(due_before, "--due-before")
    ledger = open_db(db)
    with ledger.engine.connect() as conn:
        records = list_expectations(conn, as_of=day, status_filter=wanted, due_before=before, speaker=speaker,
                                    soon_days=soon_days, limit=limit)
    emit(records, format, lambda: _table(records))


def register(app: typer.Typer) -> None:
    app.command("expectations")(expectations)
