"""Benchmark: extraction + storage against a bare ``nlp.pipe`` of the same model over the same texts.

    python scripts/bench.py --out docs/benchmarks.md [--corpus DIR] [--limit N]

Every measurement runs in its own process (so peak RSS is its own) on the same articles, in one run, and the
figures are reported as ratios to the bare parse, because these machines are noisy. The corpus defaults to
../shared/eval/news/ukraine_war_news_gdelt (read in place, never copied).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "news" / "ukraine_war_news_gdelt"


def _articles(corpus: Path, limit: int) -> list[str]:
    files = sorted(p for p in corpus.rglob("*.txt") if p.stat().st_size >= 400)
    return [str(p) for p in files[:limit]]


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def child_bare(paths: list[str]) -> dict[str, float]:
    """Bare parse: read the same articles, then nlp.pipe over their texts (no rules, no storage)."""
    from onrecord.extract import load_pipeline
    from onrecord.ingest import iter_articles

    nlp = load_pipeline()
    texts = [a.text for a in iter_articles(paths) if not hasattr(a, "reason")]
    start = time.perf_counter()
    words = 0
    for doc in nlp.pipe(texts, batch_size=64):
        words += sum(1 for t in doc if not t.is_space and not t.is_punct)
    seconds = time.perf_counter() - start
    return {"articles": len(texts), "words": words, "seconds": seconds, "peak_rss_mb": _peak_rss_mb()}


def child_ingest(paths: list[str], workers: int) -> dict[str, float]:
    """Extraction + storage into a fresh SQLite ledger, as ``onrecord ingest --workers N`` does it."""
    from onrecord.batch import ingest_paths
    from onrecord.extract import load_pipeline
    from onrecord.ledger import open_ledger

    if workers == 1:
        load_pipeline()  # load outside the timed part, as the bare run does
    with tempfile.TemporaryDirectory() as tmp:
        ledger = open_ledger(f"sqlite:///{tmp}/bench.db")
        start = time.perf_counter()
        summary = ingest_paths(paths, ledger, workers=workers)
        seconds = time.perf_counter() - start
        ledger.close()
    return {"articles": summary.ingested, "statements": summary.statements, "failed": len(summary.failed),
            "seconds": seconds, "peak_rss_mb": _peak_rss_mb()}


def _run_child(mode: str, corpus: Path, limit: int, workers: int = 1) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", mode, "--corpus", str(corpus), "--limit", str(limit),
           "--workers", str(workers)]
    result = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _report(bare: dict[str, float], one: dict[str, float], two: dict[str, float], corpus: Path) -> str:
    """Every run gets the same input files; speed is input articles (and words) per second of wall time."""
    n, words = bare["articles"], bare["words"]
    rows = [("bare `nlp.pipe` (baseline)", bare), ("extract + store, 1 worker", one), ("extract + store, 2 workers", two)]
    where = corpus.relative_to(ROOT.parent) if corpus.is_relative_to(ROOT.parent) else corpus
    lines = [
        "# Benchmarks",
        "",
        f"Run {date.today().isoformat()} by `make bench` on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, en_core_web_sm 3.8.0. Corpus: {int(n)} articles, {int(words):,} words of "
        f"`{where}` (files ≥ 400 bytes), read in place. Each row is its own process over the same input files; "
        "speed is input articles (and words) per second of wall time, and the ratio is the bare parse's time over the "
        "row's time, in the same run. The bare parse reads the files with onrecord's reader, then only runs "
        "`nlp.pipe` over the texts; extraction + storage also parses, applies the rules and writes the SQLite ledger "
        "(content-identical files are stored once and one-paragraph stubs are refused, as `onrecord ingest` does).",
        "",
        "| run | seconds | articles/s | words/s | ratio to bare | stored | statements | peak RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows:
        stored = str(int(r["articles"])) if "statements" in r else "—"
        statements = str(int(r["statements"])) if "statements" in r else "—"
        lines.append(f"| {name} | {r['seconds']:.1f} | {n / r['seconds']:.1f} | {words / r['seconds']:,.0f} | "
                     f"{bare['seconds'] / r['seconds']:.2f}× | {stored} | {statements} | {r['peak_rss_mb']:.0f} |")
    lines += [
        "",
        f"- 2 workers against 1: **{one['seconds'] / two['seconds']:.2f}×**.",
        f"- Refused inputs in the ingest runs: {int(one.get('failed', 0))} (one-paragraph stubs: no text after the headline).",
        "- Targets (issue 2): extraction + storage ≥ 0.8× the bare parse on one core, ≥ 1.7× with 2 workers, "
        "peak RSS < 1.5 GB. Peak RSS of the 2-worker run is the largest single process (parent or a worker). The "
        "bare run holds all texts in memory (it is the baseline); ingest streams.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--child", choices=["bare", "ingest"])
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"bench: corpus not found at {args.corpus}", file=sys.stderr)
        return 2
    if args.child:
        paths = _articles(args.corpus, args.limit)
        result = child_bare(paths) if args.child == "bare" else child_ingest(paths, args.workers)
        print(json.dumps(result))
        return 0
    bare = _run_child("bare", args.corpus, args.limit)
    one = _run_child("ingest", args.corpus, args.limit, 1)
    two = _run_child("ingest", args.corpus, args.limit, 2)
    report = _report(bare, one, two, args.corpus)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
