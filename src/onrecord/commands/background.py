"""``onrecord background FILE``: draft the "Previously:" line and the "Background:" bullets of a new article from
the statements already in the ledger — extractive, attributed and cited, or an explicit "nothing related"."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ..errors import OnrecordError
from .common import DbOption, FormatOption, OutputFormat, cells, emit, fail, open_db, out, parse_day


def register(app: typer.Typer) -> None:
    """Add the ``background`` command to the CLI."""
    app.command("background")(background)


def background(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The new article: a text, HTML, feed or JSONL file (not stored).")],
    published: Annotated[str | None, typer.Option("--published", help="The article's date (YYYY-MM-DD), when the file has none or to override it.")] = None,
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Draft "Previously" and "Background" for the article(s) in FILE from earlier statements in the ledger: each line
    quoted as stored, attributed (speaker, cue, date, relay) and cited by statement id."""
    day = parse_day(published, "--published")
    articles = _read(file, published=day)
    ledger = open_db(db)
    try:
        drafts = _draft_all(ledger, articles)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    finally:
        ledger.close()
    if format == OutputFormat.table:
        _show(drafts)
    else:
        emit(drafts if len(drafts) > 1 or format != OutputFormat.json else drafts[0], format)


def _read(file: str, published: Any) -> list[Any]:
    """The articles of FILE, or a one-line failure naming the file and the reason."""
    from ..ingest import iter_articles
    from ..records import Failure

    if file != "-" and not Path(file).exists():
        raise fail(f"{file}: no such file")
    found = list(iter_articles([file], published=published))
    articles = [a for a in found if not isinstance(a, Failure)]
    if not articles:
        reason = next((f.reason for f in found if isinstance(f, Failure)), "no article in it")
        raise fail(f"{file}: cannot read an article: {reason}")
    return articles


def _draft_all(ledger: Any, articles: list[Any]) -> list[dict[str, Any]]:
    from ..extract import extract_article
    from ..resolve.background import draft

    drafts = []
    with ledger.engine.connect() as conn:
        for article in articles:
            drafts.append(draft(conn, article, extract_article(article)))
    return drafts


def _show(drafts: list[dict[str, Any]]) -> None:
    """Print each draft's header and "Previously" line, then one table of the background bullets of all drafts."""
    many = len(drafts) > 1
    table = Table(*(["article"] if many else []), "date", "line: speaker cue on date (via relay): “as stored”",
                  "statement", title="Background", show_lines=True)
    for d in drafts:
        head = f"{d['article']['title']} ({d['article']['published'] or d['before']})"
        out.print(f"[bold]{cells([head], width=200)[0]}[/bold]: {d['status']}, {d['related']} related of "
                  f"{d['candidates']} earlier statements", highlight=False)
        if d["previously"] is None:
            out.print(cells([d["reason"]], width=400)[0], highlight=False)
            continue
        prev = d["previously"]
        out.print(f"Previously: {cells([prev['line']], width=400)[0]} [dim]\\[{prev['statement_id']}][/dim]",
                  highlight=False)
        if not d["background"]:
            out.print("Background: only the line above is related.", highlight=False)
        for item in d["background"]:
            title = cells([d["article"]["title"]], width=40) if many else []
            table.add_row(*title, *cells([item["date"], item["line"]], width=400), *cells([item["statement_id"]]))
    if table.row_count:
        out.print(table)
