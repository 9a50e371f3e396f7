"""The typed records that cross stage boundaries.

Only these plain records leave a stage: never a spaCy ``Doc``, never an ORM object.
Field names follow the public statement shape in docs/architecture.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

SpeakerKind = Literal["person", "organization", "country", "group", "anonymous", "unknown"]
Mode = Literal["direct", "indirect", "mixed"]
StatementKind = Literal[
    "assertion", "request", "prediction", "denial", "confirmation", "question", "announcement", "belief"
]
Granularity = Literal["day", "week", "month", "season", "quarter", "half", "year"]
ParagraphKind = Literal["headline", "body", "bullet", "editorial"]


def hash_id(*parts: str, length: int = 16) -> str:
    """Deterministic content-hash id (sqlite-utils style): the same parts give the same id."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass(slots=True)
class Paragraph:
    """One paragraph of the stored article text: ``text[start:end]``.

    ``section`` is the label of a labelled brief ("Source", "Details", "Quote", "Previously",
    "Background", "Update"), "headline" for the headline, or "body".
    """

    start: int
    end: int
    section: str = "body"
    kind: ParagraphKind = "body"


@dataclass(slots=True)
class EditorialNote:
    """An editor's bracketed note (``[... - ed.]``): kept, never the source's words."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Article:
    """An article as stored: ``text`` is what span offsets point into.

    ``text`` is the headline, a blank line, then the paragraphs separated by blank lines;
    labels of labelled briefs are not part of a paragraph's text (they are its ``section``).
    Boilerplate (donation appeals, "Read also", share prompts) is removed before it is stored.
    """

    title: str
    text: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    lang: str = "en"
    notes: list[EditorialNote] = field(default_factory=list)
    source: str | None = None  # the file (or "<stdin>") it was read from
    removed: list[str] = field(default_factory=list)  # boilerplate lines removed, for audit
    mentions: list[TextMention] = field(default_factory=list)  # named entities in the text, filled by extract

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def id(self) -> str:
        return hash_id(self.url or "", self.content_hash)


@dataclass(slots=True)
class TimeRef:
    """A time expression normalised against an anchor date; ``start``/``end`` are inclusive ISO dates."""

    start: date
    end: date
    text: str
    granularity: Granularity

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "text": self.text,
            "granularity": self.granularity,
        }


@dataclass(slots=True)
class Speaker:
    """Who said it. ``name`` is the canonical name within the article, or None when the mention (a pronoun,
    an unmatched description) could not be resolved: never a guess."""

    name: str | None
    kind: SpeakerKind = "unknown"
    mention: str = ""
    role: str | None = None


@dataclass(slots=True)
class EntityRef:
    name: str
    kind: str


@dataclass(slots=True)
class TextMention:
    """A named entity found anywhere in an article's text (not only in statements), with its canonical name
    (the same canonicalisation as speakers and ``about``) and its span: what across-article features (storylines,
    entity resolution, background) read."""

    name: str
    kind: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Relay:
    outlet: str
    profile: list[str] = field(default_factory=list)
    cue: str = ""


@dataclass(slots=True)
class Expectation:
    what: str
    due: TimeRef

    def to_dict(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "due": {"start": self.due.start.isoformat(), "end": self.due.end.isoformat()},
        }


@dataclass(slots=True)
class Statement:
    article_id: str
    speaker: Speaker
    cue: str
    mode: Mode
    kind: StatementKind
    content: str
    span: tuple[int, int]
    section: str = "body"
    addressee: EntityRef | None = None
    said_on: TimeRef | None = None
    setting: str | None = None
    relays: list[Relay] = field(default_factory=list)
    about: list[EntityRef] = field(default_factory=list)
    expectation: Expectation | None = None
    content_span: tuple[int, int] | None = None
    cue_span: tuple[int, int] | None = None
    speaker_span: tuple[int, int] | None = None
    ruleset: str = ""

    @property
    def id(self) -> str:
        return hash_id(self.article_id, str(self.span[0]), str(self.span[1]), self.ruleset)

    def to_record(self, article: Article | None = None) -> dict[str, Any]:
        """The public statement shape (jsonl, API)."""
        art: dict[str, Any] = {"id": self.article_id}
        if article is not None:
            art.update(
                url=article.url,
                title=article.title,
                outlet=article.outlet,
                published=article.published.isoformat() if article.published else None,
            )
        return statement_record(self, art)


def statement_record(st: Statement, article: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": st.id,
        "article": article,
        "speaker": asdict(st.speaker),
        "addressee": asdict(st.addressee) if st.addressee else None,
        "cue": st.cue,
        "mode": st.mode,
        "kind": st.kind,
        "content": st.content,
        "said_on": st.said_on.to_dict() if st.said_on else None,
        "setting": st.setting,
        "relays": [asdict(r) for r in st.relays],
        "about": [asdict(a) for a in st.about],
        "expectation": st.expectation.to_dict() if st.expectation else None,
        "section": st.section,
        "span": list(st.span),
    }


@dataclass(slots=True)
class Failure:
    """An input that could not be read as an article: ``source`` names the file, ``reason`` is one line."""

    source: str
    reason: str
