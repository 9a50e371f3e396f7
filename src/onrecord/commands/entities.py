"""``onrecord entities`` (list; subcommands ``merge``, ``split``, ``rebuild``) and ``onrecord entity NAME``.

``entities`` is a typer group whose callback lists actors when no subcommand is given, so ``onrecord entities
--kind person`` and ``onrecord entities merge A B`` both work; the profile of one actor is the separate command
``onrecord entity NAME`` (a name, an alias or an actor id).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.table import Table

from ..errors import OnrecordError
from .common import DbOption, FormatOption, OutputFormat, cells, emit, fail, open_db, out

if TYPE_CHECKING:
    import sqlalchemy as sa

    from ..ledger import Ledger

T = TypeVar("T")

entities_app = typer.Typer(help="Actors across articles: list them, merge or split them, rebuild the resolution.")

KindOption = Annotated[str | None, typer.Option("--kind", help="Only this kind: person, organization, country, …")]
SearchOption = Annotated[str | None, typer.Option("--search", help="Substring of a name or alias (any case).")]
LimitOption = Annotated[int, typer.Option("--limit", min=1, help="At most this many actors.")]
NameArg = Annotated[str, typer.Argument(metavar="NAME", help="A name, an alias or an actor id.")]


@entities_app.callback(invoke_without_command=True)
def entities(ctx: typer.Context, kind: KindOption = None, search: SearchOption = None, limit: LimitOption = 50,
             db: DbOption = None, fmt: FormatOption = OutputFormat.table) -> None:
    """List actors, most quoted first, with their counts (names, statements as speaker and about, articles)."""
    if ctx.invoked_subcommand is not None:
        return
    from ..resolve.actors import list_actors

    ledger = open_db(db)
    with ledger.engine.connect() as conn:
        rows = list_actors(conn, kind=kind, search=search, limit=limit)
    emit(rows, fmt, lambda: _list_table(rows))


def _list_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("actor", "name", "kind", "source", "names", "speaker", "about", "articles")
    for r in rows:
        table.add_row(*cells((r["id"], r["name"], r["kind"], r["source"], r["names"], r["as_speaker"], r["about"],
                              r["articles"])))
    return table


def _correct(db: str | None, change: Callable[[sa.Connection], T]) -> tuple[Ledger, T]:
    """Open the ledger and apply a user's correction in one transaction; a library error fails in one line."""
    ledger = open_db(db)
    try:
        with ledger.engine.begin() as conn:
            return ledger, change(conn)
    except OnrecordError as exc:
        ledger.close()
        raise fail(str(exc)) from None


@entities_app.command("merge")
def merge(a: NameArg, b: NameArg, db: DbOption = None, fmt: FormatOption = OutputFormat.table) -> None:
    """Merge two actors into one (stored as a correction that survives re-ingest and rebuilds)."""
    from ..resolve import entities as resolver

    ledger, actor = _correct(db, lambda conn: resolver.merge(conn, a, b))
    _show_actors([actor], ledger, fmt)


@entities_app.command("split")
def split(a: NameArg, b: Annotated[str, typer.Argument(metavar="NAME_B", help="A name of A's actor to split off.")],
          db: DbOption = None, fmt: FormatOption = OutputFormat.table) -> None:
    """Split name B off actor A (stored as a correction; the rules will not link them again)."""
    from ..resolve import entities as resolver

    ledger, actors = _correct(db, lambda conn: resolver.split(conn, a, b))
    _show_actors(actors, ledger, fmt)


@entities_app.command("rebuild")
def rebuild(db: DbOption = None) -> None:
    """Resolve every entity of the ledger from scratch (corrections are kept and re-applied)."""
    from ..resolve import entities as resolver
    from ..resolve.actors import list_actors

    ledger = open_db(db)
    with ledger.engine.begin() as conn:
        resolver.rebuild(conn)
        count = len(list_actors(conn, limit=None))
    out.print(f"resolved the ledger's entities into {count} actors", highlight=False)


def _show_actors(actors: list[dict[str, Any]], ledger: Any, fmt: OutputFormat) -> None:
    from ..resolve.actors import actor_profile

    with ledger.engine.connect() as conn:
        profiles = [p for p in (actor_profile(conn, actor["id"]) for actor in actors) if p is not None]
    summary = [{"id": p["id"], "name": p["name"], "kind": p["kind"], "source": p["source"],
                "names": [n["name"] for n in p["names"]]} for p in profiles]
    emit(summary, fmt, lambda: _summary_table(summary))


def _summary_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("actor", "name", "kind", "source", "names")
    for r in rows:
        table.add_row(*cells((r["id"], r["name"], r["kind"], r["source"], "; ".join(r["names"]))))
    return table


def entity(name: NameArg, db: DbOption = None, fmt: FormatOption = OutputFormat.table) -> None:
    """One actor: its names (with the rule that linked each), roles, statement counts and outlets."""
    from ..resolve.actors import actor_profile
    from ..resolve.entities import one_actor

    ledger = open_db(db)
    try:
        with ledger.engine.connect() as conn:
            profile = actor_profile(conn, one_actor(conn, name)["id"])
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    if profile is None:
        raise fail(f"no actor {name!r}")
    emit(profile, fmt, lambda: _profile_table(profile))


def _profile_table(p: dict[str, Any]) -> Table:
    table = Table("field", "value", title=f"{p['name']} ({p['kind']}, {p['source']}, {p['id']})", show_header=False)
    for n in p["names"]:
        table.add_row(*cells(("name", f"{n['name']} [{n['kind']}] ← {n['rule']} {n['score']:.2f}")))
    table.add_row(*cells(("aliases", "; ".join(p["aliases"]))))
    for r in p["roles"]:
        when = (f"{r['from'] or '?'} – {r['to'] or 'now'}" if r["source"] == "gazetteer" and (r["from"] or r["to"])
                else f"seen {r['first_seen']} – {r['last_seen']} in {r['statements']} statements"
                if r["source"] == "articles" else "undated")
        table.add_row(*cells(("role", f"{r['role']} ({r['source']}: {when})")))
    st = p["statements"]
    table.add_row(*cells(("statements", f"{st['as_speaker']} as speaker, {st['described']} described by role, "
                                        f"{st['about']} about, in {st['articles']} articles")))
    for o in p["outlets"][:15]:
        table.add_row(*cells(("outlet", f"{o['outlet']}: published {o['published']}, relayed {o['relayed']}")))
    for c in p["corrections"]:
        table.add_row(*cells(("correction", f"#{c['id']} {c['action']} {c['name_a']!r} / {c['name_b']!r}")))
    return table


def register(app: typer.Typer) -> None:
    """Add ``entities`` (group) and ``entity`` to the CLI."""
    app.add_typer(entities_app, name="entities")
    app.command("entity")(entity)
