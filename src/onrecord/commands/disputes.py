"""``onrecord disputes``: the same fact, different accounts — each dispute with its competing accounts, their
speakers and relay chains, and the reason it was flagged. ``--rebuild`` recomputes disputes over the whole ledger."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from ..errors import OnrecordError
from .common import DbOption, FormatOption, OutputFormat, cells, emit, fail, open_db


def register(app: typer.Typer) -> None:
    """Add the ``disputes`` command to the CLI."""
    app.command("disputes")(disputes)


def disputes(
    story: Annotated[str | None, typer.Option("--story", help="Only disputes with a statement in this storyline (id).")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="Only disputes about an entity whose name or alias contains this.")] = None,
    slot: Annotated[str | None, typer.Option("--slot", help="Only this slot: weapon, count, casualties or claim.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many disputes, newest first.")] = 50,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Recompute every dispute over the whole ledger first.")] = False,
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """List disputes: statements by different speakers about the same event that disagree (weapon, count,
    casualties) or deny one another (claim); every dispute says why it was flagged."""
    from ..resolve.dispute_store import list_disputes
    from ..resolve.disputes import VALUE_SLOTS
    from ..resolve.disputes import rebuild as rebuild_disputes

    if slot is not None and slot not in (*VALUE_SLOTS, "claim"):
        raise fail(f"--slot must be one of {', '.join((*VALUE_SLOTS, 'claim'))}, got {slot!r}")
    ledger = open_db(db)
    try:
        if rebuild:
            with ledger.engine.begin() as conn:
                rebuild_disputes(conn)
        with ledger.engine.connect() as conn:
            found = list_disputes(conn, story=story, entity=entity, slot=slot, limit=limit)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    finally:
        ledger.close()
    emit(found, format, lambda: _table(found))


def _table(found: list[dict[str, Any]]) -> Table:
    table = Table("dispute", "slot", "about", "accounts (value — speaker via relays)", "reason", show_lines=True)
    for rec in found:
        accounts = "\n".join(f"{acc['value'][:90]!r} — {_voices(acc['statements'])}" for acc in rec["accounts"])
        about = ", ".join(a["name"] for a in rec["about"])
        table.add_row(*cells([rec["id"], rec["slot"], about]), *cells([accounts], width=600),
                      *cells([rec["reason"]], width=400))
    return table


def _voices(statements: list[dict[str, Any]]) -> str:
    """Speakers of an account, each with the outlet and the relay chain that carried it."""
    voices = []
    for st in statements:
        chain = " ← ".join(r["outlet"] for r in st["relays"])
        outlet = st["article"]["outlet"] or "unknown outlet"
        who = st["speaker"]["name"] or st["speaker"]["mention"]
        voices.append(f"{who} ({st['said_on']['start'] if st['said_on'] else st['article']['published']}, {outlet}"
                      + (f" via {chain}" if chain else "") + ")")
    return "; ".join(dict.fromkeys(voices))
