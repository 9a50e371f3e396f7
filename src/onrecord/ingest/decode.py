"""Bytes → text: refuse binaries and empty files, read UTF-8 first, else the most plausible legacy encoding.

Legacy encodings are guessed with charset-normalizer. When several candidates explain the bytes equally well (a
short latin-1 text is as plausible in cp1250 as in cp1252), the encodings news is most often written in win.
"""

from __future__ import annotations

import codecs
import logging

import charset_normalizer

from .. import settings
from ..errors import IngestError

logger = logging.getLogger(__name__)

_SAMPLE = 65_536
_MAX_CONTROL_SHARE = 0.05
_CONTROLS = bytes(b for b in [*range(0x20), 0x7F] if b not in b"\t\n\r\x0b\x0c\x1b")
#: Tie-break between equally plausible guesses: the legacy encodings news text is most often written in.
PREFERRED = ("cp1252", "cp1251", "cp1250", "koi8_r", "koi8_u", "iso8859_15", "iso8859_2", "iso8859_5", "cp1257")


def max_bytes() -> int:
    """The ``max_bytes`` setting (ONRECORD_MAX_BYTES), read on each call so tests and users can change it."""
    return int(settings.get("max_bytes"))


def human_size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n} bytes"


def too_large(size: int | None, limit: int) -> IngestError:
    """The one-line refusal of an input over the ``max_bytes`` limit (``size`` None: a stream, size unknown)."""
    if size is None:
        return IngestError(f"file too large (over the {human_size(limit)} limit; raise ONRECORD_MAX_BYTES)")
    return IngestError(f"file too large ({human_size(size)} > {human_size(limit)} limit; raise ONRECORD_MAX_BYTES)")


def check_binary(data: bytes) -> None:
    """IngestError "binary file, not text" for NUL bytes or many control characters (UTF-16 with a BOM is text)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    sample = data[:_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROLS))
    if b"\x00" in sample or (sample and controls / len(sample) > _MAX_CONTROL_SHARE):
        raise IngestError("binary file, not text")


def _guess(data: bytes) -> str:
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        raise IngestError("cannot tell the text encoding (not UTF-8; convert the file to UTF-8)")
    tied = [r for r in results if r.chaos == best.chaos and r.coherence == best.coherence]
    candidates = {enc for r in tied for enc in r.could_be_from_charset}
    encoding = next((enc for enc in PREFERRED if enc in candidates), best.encoding)
    logger.debug("guessed encoding %s (candidates %s)", encoding, sorted(candidates))
    return encoding


def _decode_with(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """The text of ``data``: UTF-8 (BOM or not), UTF-16 with a BOM, then ``declared`` (an HTML/XML charset), then
    charset-normalizer's best guess. IngestError with a one-line reason when it is not text."""
    if not data.strip():
        raise IngestError("empty file")
    check_binary(data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode_with(data, "utf-16")
    else:
        text = _decode_with(data, "utf-8-sig")
    if text is None and declared:
        text = _decode_with(data, declared)
    if text is None:
        encoding = _guess(data)
        text = _decode_with(data, encoding)
        if text is None:
            raise IngestError(f"cannot decode the text (not UTF-8, not {encoding}; convert the file to UTF-8)")
    if not text.strip():
        raise IngestError("empty file")
    return text
