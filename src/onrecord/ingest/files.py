"""Paths, folders and stdin → a lazy stream of Article or Failure, one input at a time.

The format of each input is told by its extension, else by its first bytes (:func:`sniff`). Whole-file formats
(text, HTML, feeds) are refused above the ``max_bytes`` setting — for a file, from its size on disk, before any byte
is read. JSON Lines files are streamed line by line, so the limit applies to each line. A bad input is never an
exception: it is a :class:`~onrecord.records.Failure` with a one-line reason, and the next input goes on.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import BinaryIO

from ..errors import IngestError
from ..records import Article, Failure
from .decode import check_binary, decode_bytes, max_bytes, too_large
from .feeds import read_feed
from .html import html_article
from .jsonl import read_jsonl
from .structure import Overrides, parse_plain_text

logger = logging.getLogger(__name__)

Item = Article | Failure
FORMATS = ("text", "html", "feed", "jsonl")
#: Extension → format; "xml" is a feed unless its first bytes say HTML (XHTML saved as .xml).
EXTENSIONS = {".txt": "text", ".text": "text", ".md": "text", ".html": "html", ".htm": "html", ".xhtml": "html",
              ".xml": "xml", ".rss": "feed", ".atom": "feed", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_HEAD = 65_536
_FIRST_TAG = re.compile(r"<(rss|feed|rdf:rdf|html|!doctype)\b")
STDIN = "<stdin>"


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read file ({(exc.strerror or str(exc)).lower()})"


def _guarded(source: str, items: Iterator[Item]) -> Iterator[Item]:
    """``items``, with any error while producing them turned into a last Failure for ``source``."""
    try:
        yield from items
    except OSError as exc:
        yield Failure(source, _os_reason(exc))
    except (IngestError, ValueError) as exc:  # ValueError covers UnicodeError and parsers' complaints
        yield Failure(source, _one_line(str(exc)) or type(exc).__name__)
    except Exception as exc:  # a bug must not end the batch: report it with its class name, log the traceback
        logger.exception("unexpected error reading %s", source)
        yield Failure(source, _one_line(f"unexpected error ({type(exc).__name__}: {exc})"))


def _first_line_is_object(head: bytes) -> bool:
    line, newline, _ = head.lstrip().partition(b"\n")
    if not line.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return not newline and line.startswith(b'{"')  # a first line longer than the sniffed head


def sniff(head: bytes) -> str:
    """The format told by an input's first bytes: "feed", "html", "jsonl" or "text"."""
    head = head.removeprefix(b"\xef\xbb\xbf")
    start = head[:4096].decode("utf-8", "ignore").lstrip().lower()
    if start.startswith("<"):
        match = _FIRST_TAG.search(start)
        return "feed" if match and match.group(1) in ("rss", "feed", "rdf:rdf") else "html"
    return "jsonl" if _first_line_is_object(head) else "text"


def _resolve(fmt: str | None, head: bytes) -> str:
    if fmt is None:
        return sniff(head)
    if fmt == "xml":
        return "html" if sniff(head) == "html" else "feed"
    if fmt not in FORMATS:
        raise IngestError(f"unknown format '{fmt}' (known: {', '.join(FORMATS)})")
    return fmt


def _lines(head: bytes, stream: BinaryIO, limit: int) -> Iterator[bytes]:
    """The lines of ``head`` then of the rest of ``stream``; a line over ``limit`` bytes is cut short."""
    *complete, pending = head.split(b"\n")
    yield from complete
    while more := stream.readline(limit + 1):
        pending += more
        if more.endswith(b"\n") or len(pending) > limit:
            yield pending
            if not more.endswith(b"\n"):
                while (rest := stream.readline(limit + 1)) and not rest.endswith(b"\n"):
                    pass  # the rest of an oversized line
            pending = b""
    if pending:
        yield pending


def _dispatch(data: bytes, source: str, fmt: str, over: Overrides) -> Iterator[Item]:
    if fmt == "html":
        yield html_article(data, source, over)
    elif fmt == "feed":
        yield from read_feed(data, source, over)
    else:
        yield parse_plain_text(decode_bytes(data), title=over.title, outlet=over.outlet, published=over.published,
                               source=source)


def _read_stream(stream: BinaryIO, source: str, over: Overrides, fmt: str | None, size: int | None) -> Iterator[Item]:
    """One input from an open binary stream; ``size`` is its size when known (a file), None for stdin."""
    limit = max_bytes()
    head = stream.read(_HEAD)
    fmt = _resolve(fmt, head)
    if fmt == "jsonl":
        check_binary(head)
        yield from read_jsonl(_lines(head, stream, limit), source, over, limit)
        return
    if size is not None and size > limit:
        raise too_large(size, limit)
    data = head + stream.read(max(0, limit + 1 - len(head)))
    if len(data) > limit:
        raise too_large(size, limit)
    yield from _dispatch(data, source, fmt, over)


def _read_file(path: Path, over: Overrides) -> Iterator[Item]:
    size = path.stat().st_size
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt not in (None, "jsonl") and size > max_bytes():
        raise too_large(size, max_bytes())  # decided from stat alone: not one byte is read
    with path.open("rb") as stream:
        yield from _read_stream(stream, str(path), over, fmt, size)


def walk(folder: Path) -> Iterator[Path | Failure]:
    """Files under ``folder``, recursively, sorted by name; hidden files and folders and symlinked folders skipped."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield Failure(str(folder), f"cannot read folder ({_os_reason(exc)})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from walk(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


def _read_path(path: str, over: Overrides) -> Iterator[Item]:
    if not os.path.isdir(path):
        yield from _guarded(path, _read_file(Path(path), over))
        return
    for found in walk(Path(path)):
        if isinstance(found, Failure):
            yield found
        else:
            yield from _guarded(str(found), _read_file(found, over))


def iter_articles(paths: Sequence[str], *, outlet: str | None = None, published: date | None = None,
                  title: str | None = None, stdin: BinaryIO | None = None) -> Iterator[Article | Failure]:
    """Every article in ``paths`` (files, folders walked recursively, "-" for stdin), lazily, in order.

    ``outlet``, ``published`` and ``title`` override what the inputs say (``title`` only for single-article
    inputs: text and HTML). A bad input, or a bad entry or line of a feed or JSONL file, yields a Failure.
    """
    over = Overrides(outlet=outlet, published=published, title=title)
    for path in paths:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _guarded(STDIN, _read_stream(stream, STDIN, over, None, None))
        else:
            yield from _read_path(os.fspath(path), over)


def read_bytes(data: bytes, source: str, *, fmt: str | None = None, outlet: str | None = None,
               published: date | None = None, title: str | None = None) -> Iterator[Article | Failure]:
    """The articles of one input held in memory; ``fmt`` ("text", "html", "feed", "jsonl") or sniffed."""
    over = Overrides(outlet=outlet, published=published, title=title)
    return _guarded(source, _read_stream(io.BytesIO(data), source, over, fmt, len(data)))
