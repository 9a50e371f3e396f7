"""The ``onrecord`` command line: thin commands over library functions, rendered with rich.

Data goes to stdout; progress, summaries and errors go to stderr, so pipes stay clean.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__, settings
from .commands import register_all
from .commands.common import DbOption, err, fail, open_db, out, parse_day
from .errors import OnrecordError
from .records import Article, Failure

app = typer.Typer(help="onrecord: a provenance ledger for what is said in the news.", no_args_is_help=True,
                  add_completion=False, rich_markup_mode=None)


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


class QueryFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"




@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log debug messages to stderr.")] = False,
         version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if version:
        out.print(f"onrecord {__version__}")
        raise typer.Exit(0)


@app.command()
def extract(
    file: Annotated[str, typer.Argument(metavar="FILE", help="An article file (text, HTML, feed, JSONL) or - for stdin.")],
    outlet: Annotated[str | None, typer.Option(help="The publishing outlet, when the file does not say.")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD: the anchor for relative dates.")] = None,
    title: Annotated[str | None, typer.Option(help="The headline, when the file has none.")] = None,
    format: Annotated[ExtractFormat, typer.Option("--format", help="jsonl: one statement record per line.")] = ExtractFormat.jsonl,
) -> None:
    """Extract statements from one input without storing them."""
    from .extract import extract_article
    from .ingest import iter_articles

    day = parse_day(published, "--published")
    failures = 0
    for item in iter_articles([file], outlet=outlet, published=day, title=title):
        if isinstance(item, Failure):
            err.print(f"[red]failed[/red] {escape(item.source)}: {escape(item.reason)}", highlight=False)
            failures += 1
            continue
        try:
            statements = extract_article(item)
        except OnrecordError as exc:
            raise fail(str(exc)) from None
        records = [st.to_record(item) for st in statements]
        _render_records(records, format.value, article=item)
    if failures:
        raise typer.Exit(1)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(metavar="PATH", help="Files and folders (recursive); - for stdin.")],
    db: DbOption = None,
    outlet: Annotated[str | None, typer.Option(help="The publishing outlet, for inputs that do not say.")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD, for inputs that do not say.")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Extraction processes [setting workers; default 1].")] = None,
) -> None:
    """Read, extract and store articles in the ledger; prints ingested / duplicates / failed."""
    from .batch import ingest_paths

    day = parse_day(published, "--published")
    ledger = open_db(db)
    columns = (TextColumn("ingest"), BarColumn(), TextColumn("{task.completed} articles"),
               TextColumn("{task.fields[rate]:.1f} articles/s"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("ingest", total=None, rate=0.0)

        def progress(done: int, words: int) -> None:
            elapsed = bar.tasks[0].elapsed or 1e-9
            bar.update(task, completed=done, rate=done / elapsed)

        try:
            summary = ingest_paths(paths, ledger, outlet=outlet, published=day, workers=workers or settings.get("workers"),
                                   batch_size=settings.get("batch_size"), progress=progress)
        except OnrecordError as exc:
            raise fail(str(exc)) from None
    rate = summary.read / summary.seconds if summary.seconds else 0.0
    err.print(f"ingested {summary.ingested} articles ({summary.statements} statements), "
              f"{summary.duplicates} duplicates skipped, {len(summary.failed)} failed "
              f"in {summary.seconds:.1f}s ({rate:.1f} articles/s)", highlight=False)
    for failure in summary.failed:
        err.print(f"  failed {failure.source}: {failure.reason}", highlight=False, markup=False)
    if summary.read == 0 and summary.failed:
        raise typer.Exit(1)
    if summary.read == 0:
        raise fail("no article found in " + ", ".join(paths))


@app.command()
def statements(
    db: DbOption = None,
    speaker: Annotated[str | None, typer.Option(help="Speaker name or alias (substring).")] = None,
    about: Annotated[str | None, typer.Option(help="An entity named in the content.")] = None,
    outlet: Annotated[str | None, typer.Option(help="The publishing outlet.")] = None,
    relayed_by: Annotated[str | None, typer.Option("--relayed-by", help="An outlet in the relay chain.")] = None,
    kind: Annotated[str | None, typer.Option(help="assertion, request, prediction, denial, confirmation, question, announcement, belief.")] = None,
    since: Annotated[str | None, typer.Option(help="Said on or after YYYY-MM-DD (undated statements: by their article's publication date).")] = None,
    until: Annotated[str | None, typer.Option(help="Said on or before YYYY-MM-DD (undated statements: by their article's publication date).")] = None,
    search: Annotated[str | None, typer.Option(help="Full-text search in the content and speaker.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many statements.")] = 50,
    format: Annotated[QueryFormat, typer.Option("--format")] = QueryFormat.table,
) -> None:
    """Search the statements in the ledger."""
    from . import query

    ledger = open_db(db)
    records = query.statements(ledger, speaker=speaker, about=about, outlet=outlet, relayed_by=relayed_by, kind=kind,
                               since=parse_day(since, "--since"), until=parse_day(until, "--until"),
                               search=search, limit=limit)
    _render_records(records, format.value)


@app.command()
def article(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id (or a unique prefix of 6+ characters).")],
    db: DbOption = None,
) -> None:
    """An article with its statements listed under their spans."""
    from . import query

    record = query.article(open_db(db), article_id)
    if record is None:
        raise fail(f"no article with id {article_id!r} in the ledger (list them with: onrecord stats)")
    out.print(f"[bold]{escape(record['title'])}[/bold]", highlight=False)
    out.print(f"{record['outlet'] or 'outlet unknown'} · {record['published'] or 'date unknown'} · {record['url'] or ''} · id {record['id']}",
              highlight=False, markup=False)
    by_para = _statements_by_paragraph(record)
    for i, para in enumerate(record["paragraphs"]):
        label = "" if para["section"] in {"body", "headline"} else f"[{para['section']}] "
        out.print(f"\n{label}{record['text'][para['start']:para['end']]}", highlight=False, markup=False)
        for st in by_para.get(i, []):
            out.print(f"    ▸ {_one_line(st)}", style="cyan", highlight=False, markup=False)


def _statements_by_paragraph(record: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    out_map: dict[int, list[dict[str, Any]]] = {}
    paras = record["paragraphs"]
    for st in record["statements"]:
        start = st["span"][0]
        index = next((i for i, p in enumerate(paras) if p["start"] <= start <= p["end"]), len(paras) - 1)
        last = next((i for i, p in enumerate(paras) if p["start"] <= st["span"][1] <= p["end"]), index)
        out_map.setdefault(max(index, last), []).append(st)
    return out_map


@app.command()
def stats(db: DbOption = None) -> None:
    """Counts by outlet, speaker, kind and relay outlet."""
    from . import query

    data = query.stats(open_db(db))
    out.print(f"{data['articles']} articles, {data['statements']} statements", highlight=False)
    for title, key, headers in (("outlets", "by_outlet", ("outlet", "articles", "statements")),
                                ("speakers", "by_speaker", ("speaker", "statements")),
                                ("kinds", "by_kind", ("kind", "statements")),
                                ("relay outlets", "by_relay", ("relay outlet", "statements"))):
        table = Table(title=title, title_justify="left")
        for h in headers:
            table.add_column(h, justify="right" if h in {"articles", "statements"} else "left")
        for row in data[key]:
            table.add_row(*(escape(str(v)) if v is not None else "(unknown)" for v in row))
        out.print(table)


@app.command()
def outlets(search: Annotated[str | None, typer.Option(help="Filter by name, alias or domain.")] = None) -> None:
    """The outlet registry: names, countries, profile tags."""
    from .registry import load_outlets

    table = Table("outlet", "country", "kind", "profile", "domains")
    for o in load_outlets():
        hay = " ".join((o.name, *o.aliases, *o.domains)).lower()
        if search and search.lower() not in hay:
            continue
        table.add_row(*(escape(v) for v in (o.name, o.country, o.kind, ", ".join(o.profile), ", ".join(o.domains))))
    out.print(table)


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def evaluate(
    name: Annotated[str, typer.Argument(metavar="NAME", help="polnear, te3-platinum, ecbplus, ecbplus-entities, semeval-timeline or background.")],
    split: Annotated[str, typer.Option(help="Data split (polnear: train or dev; its test split is held back).")] = "dev",
    path: Annotated[str | None, typer.Option(help="A folder with the data set's layout (default: ../shared/eval/...).")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N documents.")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (polnear).")] = 1,
    format: Annotated[EvalFormat, typer.Option("--format")] = EvalFormat.table,
) -> None:
    """Run onrecord on a public data set and print its metrics."""
    from . import evaluate as evaluation

    try:
        options = {"workers": workers} if workers > 1 else {}
        figures = evaluation.run(name, path=path, split=split, limit=limit, **options)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    if format == EvalFormat.json:
        sys.stdout.write(json.dumps(figures, ensure_ascii=False) + "\n")
        return
    table = Table("metric", "match", "P", "R", "F1", title=f"{name} ({figures.get('documents')} documents)")
    for metric, value in figures.items():
        if isinstance(value, dict) and {"p", "r", "f1"} <= set(value):
            table.add_row(metric, "", *(f"{value[k]:.3f}" for k in ("p", "r", "f1")))
        elif isinstance(value, dict) and all(isinstance(v, dict) and "f1" in v for v in value.values()) and value:
            for match, scores in value.items():
                table.add_row(metric, match, *(f"{scores[k]:.3f}" for k in ("p", "r", "f1")))
    out.print(table)
    for metric, value in figures.items():
        if isinstance(value, float):
            out.print(f"{metric}: {value:.3f}", highlight=False)


# --- rendering -----------------------------------------------------------------------------------------------
def _one_line(st: dict[str, Any]) -> str:
    sp = st["speaker"]
    who = sp["name"] or f"unresolved '{sp['mention']}'"
    when = f" on {st['said_on']['text']} ({st['said_on']['start']})" if st["said_on"] else ""
    via = " via " + " → ".join(r["outlet"] for r in st["relays"]) if st["relays"] else ""
    content = st["content"] if len(st["content"]) < 160 else st["content"][:157] + "…"
    return f"{who} [{st['cue']}, {st['mode']}, {st['kind']}]{when}{via}: {content}"


def _render_records(records: list[dict[str, Any]], fmt: str, article: Article | None = None) -> None:
    if fmt == "jsonl":
        for rec in records:
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        _write_csv(records)
        return
    table = Table("id", "speaker", "cue", "kind", "said on", "via", "content", show_lines=False)
    for rec in records:
        cells = (rec["id"][:10], rec["speaker"]["name"] or f"? ({rec['speaker']['mention']})", rec["cue"],
                 rec["kind"], rec["said_on"]["start"] if rec["said_on"] else "",
                 " → ".join(r["outlet"] for r in rec["relays"]),
                 rec["content"] if len(rec["content"]) < 120 else rec["content"][:117] + "…")
        table.add_row(*(escape(c) for c in cells))
    if article is not None:
        out.print(f"[bold]{escape(article.title)}[/bold] — {len(records)} statements", highlight=False)
    out.print(table)


CSV_FIELDS = ("id", "article_id", "article_title", "outlet", "published", "speaker", "speaker_kind", "speaker_role",
              "cue", "mode", "kind", "said_on", "relays", "about", "due_start", "due_end", "section", "span", "content")


def _write_csv(records: list[dict[str, Any]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_FIELDS)
    for r in records:
        writer.writerow([
            r["id"], r["article"]["id"], r["article"].get("title"), r["article"].get("outlet"), r["article"].get("published"),
            r["speaker"]["name"], r["speaker"]["kind"], r["speaker"]["role"], r["cue"], r["mode"], r["kind"],
            r["said_on"]["start"] if r["said_on"] else "", " > ".join(x["outlet"] for x in r["relays"]),
            "; ".join(a["name"] for a in r["about"]),
            r["expectation"]["due"]["start"] if r["expectation"] else "",
            r["expectation"]["due"]["end"] if r["expectation"] else "",
            r["section"], f"{r['span'][0]}-{r['span'][1]}", r["content"],
        ])
    sys.stdout.write(buf.getvalue())


register_all(app)


def run() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()

