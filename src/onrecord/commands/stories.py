"""``onrecord stories``, ``onrecord story ID``, ``onrecord timeline ENTITY|STORY``: storylines grown online as
articles are ingested, each member with the rule, score and evidence that placed it, and timelines ordered by when
things were said or happened (undated items listed apart)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from ..errors import OnrecordError
from .common import DbOption, FormatOption, OutputFormat, cells, emit, fail, open_db, out, read_ledger


def register(app: typer.Typer) -> None:
    """Add the ``stories``, ``story`` and ``timeline`` commands to the CLI."""
    app.command("stories")(stories_command)
    app.command("story")(story_command)
    app.command("timeline")(timeline_command)


def stories_command(
    min_size: Annotated[int, typer.Option("--min-size", min=1, help="Only stories of at least this many articles.")] = 1,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many stories, largest first.")] = 50,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Place every stored article again, in ingest order, first.")] = False,
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """List storylines, largest first: title of the opening article, size, dates, main actors, stated years."""
    from ..resolve import stories

    ledger = open_db(db)
    try:
        if rebuild:
            with ledger.engine.begin() as conn:
                stories.rebuild(conn)
        with ledger.engine.connect() as conn:
            found = stories.list_stories(conn, min_size=min_size, limit=limit)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    finally:
        ledger.close()
    emit(found, format, lambda: _stories_table(found))


def story_command(
    story_id: Annotated[str, typer.Argument(help="A story id, or a unique prefix of one.")],
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """Show one storyline: its articles, how each joined (rule, score, shared actors/terms/years)."""
    from ..resolve import stories

    found = read_ledger(db, lambda conn: stories.story(conn, story_id))
    emit(found, format, lambda: _story_table(found))


def timeline_command(
    target: Annotated[str, typer.Argument(help="A story id (or unique prefix, 6+ hex digits) or an entity name.")],
    db: DbOption = None,
    format: FormatOption = OutputFormat.table,
) -> None:
    """A timeline ordered by when things were said (said_on) or happened (dates stated in the text); items with
    no date of their own are listed apart as undated, with their publication date shown as such."""
    from ..resolve import timelines

    found = read_ledger(db, lambda conn: timelines.timeline(conn, target))
    if format == OutputFormat.jsonl:
        emit([*found["items"], *found["undated"]], format)
    else:
        emit(found, format, lambda: _timeline_table(found))


def _stories_table(found: list[dict[str, Any]]) -> Table:
    table = Table("articles", "published", "title", "actors", "years")
    table.add_column("story", no_wrap=True)
    for rec in found:
        dates = rec["first_published"] or ""
        if rec["last_published"] and rec["last_published"] != rec["first_published"]:
            dates += f" … {rec['last_published']}"
        table.add_row(*cells([rec["articles"], dates, rec["title"]]),
                      *cells([", ".join(rec["actors"]), ", ".join(map(str, rec["years"])), rec["id"]]))
    return table


def _story_table(found: dict[str, Any]) -> Table:
    out.print(f"[bold]{cells([found['title']])[0]}[/bold]  ({found['id']}, {found['articles']} articles)")
    table = Table("published", "outlet", "title", "joined", "evidence")
    for m in found["members"]:
        ev = m["evidence"]
        joined = "opened" if m["opened"] else f"{m['score']:.2f}"
        why = ("" if m["opened"] else
               f"text {ev.get('text')}, actors {ev.get('actors')}; shared: "
               + ", ".join([*ev.get("shared_actors", []), *ev.get("shared_terms", [])[:5],
                            *map(str, ev.get("shared_years", []))])
               + (f"; conflicts: {', '.join(ev['conflicts'])}" if ev.get("conflicts") else ""))
        table.add_row(*cells([m["published"], m["outlet"], m["title"], joined]), *cells([why], width=200))
    return table


def _when(item: dict[str, Any]) -> str:
    when = item["when"]
    if when is None:
        return "undated"
    span = when["start"] if when["start"] == when["end"] else f"{when['start']} … {when['end']}"
    return f"{span} ({when['granularity']})"


def _timeline_table(found: dict[str, Any]) -> Table:
    table = Table("when", "basis", "kind", "who / what", "published", "article")
    for item in [*found["items"], *found["undated"]]:
        basis = item["when"]["basis"] if item["when"] else "undated; published"
        who = f"{item.get('speaker') or '?'} ({item['cue']}): {item['text']}" if item["kind"] == "statement" \
            else item["text"]
        table.add_row(*cells([_when(item), basis, item["kind"]]), *cells([who], width=160),
                      *cells([item["article"]["published"], item["article"]["title"]], width=50))
    return table
