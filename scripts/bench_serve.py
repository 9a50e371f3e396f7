"""Load benchmark of `onrecord serve`: p50/p95 latency and errors of the search, article and speaker endpoints and
pages under 20 concurrent clients, against a ledger grown to >= 100k statements.

    python scripts/bench_serve.py --out docs/benchmarks_serve.md [--ledger /tmp/onrecord-bench.db]
                                  [--statements 100000] [--clients 20] [--seconds 20] [--workers 1]

1. Base ledger: the 25 Wikinews articles of examples/wikinews.jsonl and the first ``--base`` articles of
   ../shared/eval/news/ukraine_war_news_gdelt (read in place, never copied), through the real ingest path.
2. Growth: the base articles replayed with straight SQL until the ledger holds ``--statements`` statements: copy k
   of an article gets new ids (hash of the old id and k), a new text hash, and its dates (publication, said_on,
   expectation windows) shifted k weeks back; paragraphs, statements, relays, about, mentions go with it, and the
   FTS triggers index the copies. The grown ledger is kept (``--ledger``) and reused on the next run.
3. Load: uvicorn serves the ledger in a subprocess on 127.0.0.1; ``--clients`` asyncio clients (httpx) loop for
   ``--seconds`` per scenario over real query words, article ids and speaker names drawn from the ledger (uniformly
   from each scenario's keys). With the read cache on, every key is requested once before the timing starts (one
   client, not timed), so that run shows a warm cache; the cache-off run shows every request's full cost.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import platform
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
GDELT = ROOT.parent / "shared" / "eval" / "news" / "ukraine_war_news_gdelt" / "articles"
WIKINEWS = ROOT / "examples" / "wikinews.jsonl"
WORDS = ("sanctions", "Putin", "missile", "Zelensky", "Boeing", "jobs", "Apple", "ceasefire", "Kyiv", "NATO",
         "grain", "weapons", "stocks", "Obama", "talks", "Biden", "energy", "refugees")


# --- the ledger ----------------------------------------------------------------------------------------------
def build_base(url: str, base: int) -> None:
    """The base ledger through the real ingest path (extraction and write)."""
    from onrecord.batch import ingest_paths
    from onrecord.ledger import open_ledger

    files = sorted(p for p in GDELT.glob("*.txt") if p.stat().st_size >= 400)[:base] if GDELT.is_dir() else []
    if not files:
        print(f"note: {GDELT} not found; the base is the Wikinews examples only", file=sys.stderr)
    ledger = open_ledger(url)
    summary = ingest_paths([str(WIKINEWS), *map(str, files)], ledger, batch_size=50)
    ledger.close()
    print(f"base: {summary.ingested} articles, {summary.statements} statements in {summary.seconds:.0f}s",
          file=sys.stderr)


def _replay_id(old: str | None, k: int) -> str | None:
    if old is None:
        return None
    return hashlib.sha256(f"{old}\x1freplay\x1f{k}".encode()).hexdigest()[:16]


COPIES = {
    "articles": ("id, url, title, outlet, published, lang, text, content_hash, source, ingested_at",
                 "rid(id, :k), url, title, outlet, shift(published, :k), lang, text, "
                 "hash64(content_hash, :k), 'replay', ingested_at", "id"),
    "paragraphs": ("article_id, position, span_start, span_end, section, kind",
                   "rid(article_id, :k), position, span_start, span_end, section, kind", "article_id"),
    "editorial_notes": ("article_id, position, span_start, span_end, text",
                        "rid(article_id, :k), position, span_start, span_end, text", "article_id"),
    "article_mentions": ("article_id, position, entity_id, span_start, span_end, text",
                         "rid(article_id, :k), position, entity_id, span_start, span_end, text", "article_id"),
}
STATEMENT_SHIFTED = {"id": "rid(id, :k)", "article_id": "rid(article_id, :k)",
                     "said_on_start": "shift(said_on_start, :k)", "said_on_end": "shift(said_on_end, :k)",
                     "placed_on": "shift(placed_on, :k)", "expectation_start": "shift(expectation_start, :k)",
                     "expectation_end": "shift(expectation_end, :k)"}


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def grow(path: Path, target: int) -> int:
    """Replay the base articles (k = 1, 2, …) until the ledger holds ``target`` statements; returns the count."""
    db = sqlite3.connect(path)
    db.create_function("rid", 2, _replay_id, deterministic=True)
    db.create_function("hash64", 2, lambda h, k: hashlib.sha256(f"{h}{k}".encode()).hexdigest(), deterministic=True)
    db.create_function("shift", 2, _shift, deterministic=True)
    base_ids = [r[0] for r in db.execute("SELECT id FROM articles WHERE source NOT LIKE 'replay%'")]
    db.execute("CREATE TEMP TABLE base(id TEXT PRIMARY KEY)")
    db.executemany("INSERT INTO base VALUES (?)", [(i,) for i in base_ids])
    count = db.execute("SELECT count(*) FROM statements").fetchone()[0]
    k = db.execute("SELECT count(*) FROM articles").fetchone()[0] // max(1, len(base_ids))
    cols = _columns(db, "statements")
    select = ", ".join(STATEMENT_SHIFTED.get(c, c) for c in cols)
    while count < target:
        with db:
            _copy(db, k, cols, select)
        count = db.execute("SELECT count(*) FROM statements").fetchone()[0]
        k += 1
        if k % 20 == 0:
            print(f"  replay {k}: {count} statements", file=sys.stderr)
    db.execute("ANALYZE")
    db.close()
    return int(count)


def _copy(db: sqlite3.Connection, k: int, cols: list[str], select: str) -> None:
    """Copy k of every base article, with its children."""
    for table, (columns, values, key) in COPIES.items():
        db.execute(f"INSERT INTO {table} ({columns}) SELECT {values} FROM {table} WHERE {key} IN (SELECT id FROM base)",
                   {"k": k})
    db.execute(f"INSERT INTO statements ({', '.join(cols)}) SELECT {select} FROM statements "
               "WHERE article_id IN (SELECT id FROM base)", {"k": k})
    for table in ("relays", "statement_about"):
        other = [c for c in _columns(db, table) if c != "statement_id"]
        db.execute(f"INSERT INTO {table} (statement_id, {', '.join(other)}) SELECT rid(statement_id, :k), "
                   f"{', '.join(other)} FROM {table} WHERE statement_id IN "
                   "(SELECT s.id FROM statements s JOIN base b ON b.id = s.article_id)", {"k": k})
    db.execute("INSERT INTO mentions (article_id, entity_id, statement_id, role, text) SELECT rid(article_id, :k), "
               "entity_id, rid(statement_id, :k), role, text FROM mentions WHERE article_id IN (SELECT id FROM base)",
               {"k": k})


def _shift(value: str | None, k: int) -> str | None:
    if value is None:
        return None
    from datetime import date, timedelta

    return (date.fromisoformat(str(value)[:10]) - timedelta(weeks=k)).isoformat()


# --- the server ----------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, port: int, workers: int, cache: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ONRECORD_DB": url, "ONRECORD_API_CACHE_ENTRIES": "2048" if cache else "0"}
    cmd = [sys.executable, "-m", "uvicorn", "onrecord.serve.app:create_app", "--factory", "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(cmd, env=env, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=30).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not answer within 120 s")


# --- the load ------------------------------------------------------------------------------------------------
@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0


async def drive(base: str, name: str, paths: Callable[[random.Random], str], clients: int,
                seconds: float) -> Result:
    """``clients`` loops, each on its own keep-alive connection, requesting ``paths(rng)`` for ``seconds``; a
    redirect is followed on the same connection and timed with its request; any non-2xx, time-out or broken
    connection is an error.

    A minimal HTTP/1.1 client on asyncio streams (the server's answers all carry Content-Length): on a 2-core
    machine the load generator shares the CPU with the server, and httpx spent more CPU per request than the
    server's cache hit does, so it measured its own queueing."""
    result = Result(name)
    host, port = base.removeprefix("http://").split(":")
    stop = time.monotonic() + seconds

    async def one(seed: int) -> None:
        rng = random.Random(seed)
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while time.monotonic() < stop:
                started = time.perf_counter()
                try:
                    status, location = await asyncio.wait_for(_get(reader, writer, host, paths(rng)), 30)
                    if 300 <= status < 400 and location:
                        status, _ = await asyncio.wait_for(_get(reader, writer, host, location), 30)
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                    status = 0
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                result.latencies.append(time.perf_counter() - started)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if not 200 <= status < 300:
                    result.errors += 1
        finally:
            writer.close()

    started = time.monotonic()
    await asyncio.gather(*(one(i) for i in range(clients)))
    result.seconds = time.monotonic() - started
    return result


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str,
               path: str) -> tuple[int, str | None]:
    """One GET on a kept-alive connection: (status, Location header); the body is read and dropped."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n".encode("latin-1"))
    await writer.drain()
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split(" ", 2)[1])
    fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:] if line)}
    if "content-length" not in fields:
        raise ValueError(f"{path}: answer without Content-Length")
    await reader.readexactly(int(fields["content-length"]))
    return status, fields.get("location")


def run_loop(main: Coroutine[Any, Any, Result]) -> Result:
    """Run the load on uvloop (as the server does), else on asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def samples(base: str) -> dict[str, list[str]]:
    """Real article ids and speaker names of the ledger to request."""
    stats = httpx.get(f"{base}/api/stats", timeout=60).json()
    speakers = [row["name"] for row in stats["by_speaker"] if row["name"]]
    articles = httpx.get(f"{base}/api/articles", params={"limit": 200}, timeout=60).json()["items"]
    return {"speakers": speakers, "articles": [a["id"] for a in articles]}


@dataclass
class Scenario:
    """An endpoint and the keys its requests draw from (uniformly)."""

    template: str
    keys: list[str]

    def path(self, key: str) -> str:
        return self.template.format(quote(key, safe=""))

    def __call__(self, rng: random.Random) -> str:
        return self.path(rng.choice(self.keys))


def scenarios(base: str, pages: bool) -> dict[str, Scenario]:
    s = samples(base)
    words, articles, speakers = list(WORDS), s["articles"], s["speakers"]
    found = {
        "GET /api/statements?q=": Scenario("/api/statements?q={}", words),
        "GET /api/articles/{id}": Scenario("/api/articles/{}", articles),
        "GET /api/entities/{name}": Scenario("/api/entities/{}", speakers),
        "GET /api/statements?speaker=": Scenario("/api/statements?speaker={}", speakers),
    }
    if pages:
        found["GET /search?q= (page)"] = Scenario("/search?q={}", words)
        found["GET /article/{id} (page)"] = Scenario("/article/{}", articles)
        found["GET /speaker?name= (page)"] = Scenario("/speaker?name={}", speakers)
    return found


def warm(base: str, scenario: Scenario) -> float:
    """Request every key of a scenario once (one client), so the read cache holds them; returns the seconds."""
    started = time.monotonic()
    with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
        for key in scenario.keys:
            client.get(scenario.path(key))
    return time.monotonic() - started


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def report(runs: dict[str, list[Result]], meta: dict[str, str]) -> str:
    lines = ["# Serving benchmark (`scripts/bench_serve.py`)", "", *(f"- {k}: {v}" for k, v in meta.items())]
    for title, results in runs.items():
        lines += ["", f"## {title}", "", "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
                  "|---|---:|---:|---:|---:|---:|---:|", *_rows(results)]
    return "\n".join(lines) + "\n"


def _rows(results: list[Result]) -> list[str]:
    lines = []
    for r in results:
        n = len(r.latencies)
        lines.append(f"| `{r.name}` | {n} | {n / r.seconds:.0f} | {pct(r.latencies, 0.5):.1f} | "
                     f"{pct(r.latencies, 0.95):.1f} | {pct(r.latencies, 0.99):.1f} | {r.errors} |")
    return lines


def load(url: str, args: argparse.Namespace, cache: bool) -> list[Result]:
    """One server, every scenario in turn."""
    port = free_port()
    server = start_server(url, port, args.workers, cache)
    try:
        base = f"http://127.0.0.1:{port}"
        pages = httpx.get(f"{base}/search?q=talks", timeout=60).status_code == 200
        results = []
        for name, scenario in scenarios(base, pages).items():
            if cache:
                print(f"warm-up {name}: {len(scenario.keys)} keys in {warm(base, scenario):.1f}s", file=sys.stderr)
            results.append(run_loop(drive(base, name, scenario, args.clients, args.seconds)))
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ledger", default="/tmp/onrecord-bench.db")
    parser.add_argument("--base", type=int, default=60, help="GDELT articles in the base ledger")
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=8.0, help="per endpoint (7 endpoints: <= 60 s a run)")
    parser.add_argument("--cache", choices=("on", "off", "both"), default="both", help="the API's read cache")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    path = Path(args.ledger)
    url = f"sqlite:///{path}"
    if not path.exists():
        build_base(url, args.base)
    total = grow(path, args.statements)
    load_at_start = os.getloadavg()[0]
    runs: dict[str, list[Result]] = {}
    for cache in (False, True) if args.cache == "both" else (args.cache == "on",):
        title = "read cache on (api_cache_entries=2048)" if cache else "read cache off (every request queries)"
        runs[title] = load(url, args, cache)
    with sqlite3.connect(path) as db:
        n_articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    meta = {"ledger": f"{n_articles} articles, {total} statements (SQLite, {path.stat().st_size / 1e6:.0f} MB)",
            "server": f"uvicorn, {args.workers} worker process(es), 127.0.0.1",
            "load": f"{args.clients} concurrent keep-alive HTTP/1.1 clients (one asyncio process on uvloop), "
                f"{args.seconds:.0f} s per endpoint; cached run after one warm-up request per key",
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
                       f"load average at start {load_at_start:.1f} (shared with other jobs)"}
    text = report(runs, meta)
    sys.stdout.write(text)
    for r in (r for results in runs.values() for r in results):
        if r.errors:
            print(f"{r.name}: statuses {r.statuses}", file=sys.stderr)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    for title, results in runs.items():
        print(f"{title}: median p95 {statistics.median(pct(r.latencies, 0.95) for r in results):.1f} ms",
              file=sys.stderr)


if __name__ == "__main__":
    main()
