"""``onrecord provenance STATEMENT_ID``: the articles that carry a statement, relay chains, independent origins."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from ..errors import OnrecordError
from .common import DbOption, cells, emit, fail, open_db, out


class ProvFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    json = "json"
    prov = "prov"


def _table(result: dict[str, Any]) -> Table:
    table = Table("article", "speaker → relays → publisher", "origin", "rule")
    for ch in result["chains"]:
        path = " → ".join([ch["speaker"] or "?", *[r["outlet"] for r in ch["relays"]], ch["publisher"] or "?"])
        table.add_row(*cells([ch["article_id"], path, ch["origin"] or "unknown", ch["origin_rule"]]))
    return table


def provenance(
    statement_id: Annotated[str, typer.Argument(metavar="STATEMENT_ID", help="A statement id from the ledger.")],
    db: DbOption = None,
    format: Annotated[ProvFormat, typer.Option("--format", help="table, jsonl, json, or prov (PROV-O JSON-LD).")]
    = ProvFormat.table,
) -> None:
    """Every article that carries the same statement, its relay chains and independent origins (PROV-O export)."""
    from ..resolve.provenance import prov_jsonld
    from ..resolve.provenance import provenance as trace

    ledger = open_db(db)
    try:
        with ledger.engine.connect() as conn:
            result = trace(conn, statement_id)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    if format == ProvFormat.prov:
        sys.stdout.write(prov_jsonld(result) + "\n")
        return
    emit(result, format.value, lambda: _table(result))
    if format == ProvFormat.table:
        flag = " — single state-affiliated origin: " + result["flag_reason"] if result["flag_reason"] else ""
        out.print(f"{len(result['articles'])} article(s), {result['independent_origins']} independent origin(s){flag}",
                  highlight=False)


def register(app: typer.Typer) -> None:
    app.command("provenance")(provenance)
