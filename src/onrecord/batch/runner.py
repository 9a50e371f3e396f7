"""Ingest runner: read → extract → store, in batches, on one process or several.

Streaming: at most ``workers * 2`` chunks are in flight, so memory does not grow with the corpus. Each chunk is
written in one transaction: a crash loses at most the chunk in flight, and a rerun skips what is stored.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from .. import resolve
from ..errors import ExtractionError
from ..ingest import iter_articles
from ..ledger import Ledger
from ..records import Article, Failure, Statement

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (articles done, words done)


@dataclass(slots=True)
class IngestSummary:
    ingested: int = 0
    duplicates: int = 0
    statements: int = 0
    words: int = 0
    seconds: float = 0.0
    failed: list[Failure] = field(default_factory=list)

    @property
    def read(self) -> int:
        return self.ingested + self.duplicates


def _extract_chunk(chunk: list[Article]) -> list[tuple[Article, list[Statement]] | Failure]:
    """One unit of work (runs in a worker process): every article's statements, or a Failure."""
    from ..extract import extract_many, load_pipeline

    nlp = load_pipeline()
    out: list[tuple[Article, list[Statement]] | Failure] = []
    try:
        out.extend(extract_many(chunk, nlp))
    except Exception:  # one bad article must not sink its chunk: redo one by one
        log.debug("chunk failed, retrying article by article", exc_info=True)
        out = []
        for article in chunk:
            try:
                out.extend(extract_many([article], nlp))
            except Exception as exc:  # noqa: BLE001 - reported as the article's failure reason
                log.exception("extraction failed for %s", article.source)
                out.append(Failure(article.source or article.title, f"extraction failed ({type(exc).__name__}: {exc})"))
    return out


def _init_worker() -> None:
    from ..extract import load_pipeline

    load_pipeline()


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class _Reader:
    """Articles still to extract: failures and stored or repeated articles are counted, not yielded."""

    def __init__(self, sources: Iterable[Article | Failure], ledger: Ledger, summary: IngestSummary) -> None:
        self.sources, self.ledger, self.summary = sources, ledger, summary
        self.seen: set[str] = set()

    def __iter__(self) -> Iterator[Article]:
        for item in self.sources:
            if isinstance(item, Failure):
                self.summary.failed.append(item)
                continue
            digest = item.content_hash
            if digest in self.seen or self.ledger.has_article(item):
                self.summary.duplicates += 1
                continue
            self.seen.add(digest)
            yield item


def ingest_paths(paths: Sequence[str], ledger: Ledger, *, outlet: str | None = None, published: date | None = None,
                 workers: int = 1, batch_size: int = 50, progress: Progress | None = None) -> IngestSummary:
    """Read, extract and store every article under ``paths``; returns counts and one Failure per bad input."""
    summary = IngestSummary()
    started = time.perf_counter()
    reader = _Reader(iter_articles(paths, outlet=outlet, published=published), ledger, summary)
    chunk_size = max(1, min(batch_size, 16))
    results = _run_serial(reader, chunk_size) if workers <= 1 else _run_parallel(reader, chunk_size, workers)
    pending: list[tuple[Article, list[Statement]]] = []
    for result in results:
        for item in result:
            if isinstance(item, Failure):
                summary.failed.append(item)
            else:
                pending.append(item)
        if len(pending) >= batch_size:
            _flush(ledger, pending, summary, progress)
    _flush(ledger, pending, summary, progress)
    summary.seconds = time.perf_counter() - started
    return summary


def _flush(ledger: Ledger, pending: list[tuple[Article, list[Statement]]], summary: IngestSummary,
           progress: Progress | None) -> None:
    if not pending:
        return
    result = ledger.write_batch(pending, after=resolve.update)
    summary.ingested += result.ingested
    summary.duplicates += result.duplicates
    summary.statements += result.statements
    summary.words += sum(len(a.text.split()) for a, _ in pending)
    if progress is not None:
        progress(summary.ingested + summary.duplicates, summary.words)
    pending.clear()


def _run_serial(articles: Iterable[Article], chunk_size: int) -> Iterator[list[tuple[Article, list[Statement]] | Failure]]:
    for chunk in _chunks(articles, chunk_size):
        yield _extract_chunk(chunk)


def _run_parallel(articles: Iterable[Article], chunk_size: int,
                  workers: int) -> Iterator[list[tuple[Article, list[Statement]] | Failure]]:
    """Chunks on ``workers`` processes, at most ``2 * workers`` in flight. The pipeline is loaded in this process
    first, so that a missing model is one clear error here (and forked workers start with it loaded); a worker
    that dies (killed for memory, crashed) ends the run with an ExtractionError instead of a hang."""
    from ..extract import load_pipeline

    load_pipeline()
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker) as pool:
        window: deque[Future[list[tuple[Article, list[Statement]] | Failure]]] = deque()
        try:
            for chunk in _chunks(articles, chunk_size):
                window.append(pool.submit(_extract_chunk, chunk))
                if len(window) >= workers * 2:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
        except BrokenProcessPool as exc:
            raise ExtractionError("an extraction worker died (out of memory or crashed); batches written before "
                                  "it are kept — rerun to continue, or use --workers 1") from exc
