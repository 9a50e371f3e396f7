"""Which labelled section of a brief a character offset falls in."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from ..records import Article

if TYPE_CHECKING:
    from spacy.tokens import Doc


class SectionIndex:
    """The section of the paragraph holding a character offset."""

    def __init__(self, article: Article) -> None:
        self.paragraphs = sorted(article.paragraphs, key=lambda p: p.start)
        self.starts = [p.start for p in self.paragraphs]

    def get(self, char: int, default: str = "body") -> str:
        i = bisect.bisect_right(self.starts, char) - 1
        if i < 0 or char > self.paragraphs[i].end:
            return default
        return self.paragraphs[i].section


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once per Doc (spaCy rebuilds the string on every access)."""
    cached = doc.user_data.get("onrecord_text")
    if cached is None:
        cached = doc.user_data["onrecord_text"] = doc.text
    return cached  # type: ignore[no-any-return]
