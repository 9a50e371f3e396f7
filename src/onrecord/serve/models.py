"""Pydantic response models of the API: the statement record of ../shared/DESIGN.md, field for field, and the
shapes around it (pages with cursors, articles, entities, outlets, stats, problems).

They document the OpenAPI schema (with examples taken from a real Wikinews article of examples/wikinews.jsonl)
and check every response on its way out, so a drift between ``onrecord.query`` and the documented shape is an
error in the tests, never a silent change for clients.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..records import Granularity, Mode, SpeakerKind  # one definition of the record vocabularies
from ..records import StatementKind as Kind

EXAMPLE_ARTICLE = {"id": "00785fcd5c68e15a", "url": "https://en.wikinews.org/wiki/Automaker_GM_to_cut_10,000_jobs_at_Opel",
                   "title": "Automaker GM to cut 10,000 jobs at Opel", "outlet": "Wikinews", "published": "2009-11-05"}
EXAMPLE_STATEMENT: dict[str, Any] = {
    "id": "f1301988d3e5ecad", "article": EXAMPLE_ARTICLE,
    "speaker": {"name": "Rainer Bruederle", "kind": "person", "mention": "he", "role": "German economy minister"},
    "addressee": {"name": "BBC", "kind": "organization"}, "cue": "tell", "mode": "direct", "kind": "assertion",
    "content": "I am absolutely delighted that General Motors have finally done the right thing for them and for us,",
    "said_on": None, "setting": None,
    "relays": [{"outlet": "BBC", "profile": ["public-broadcaster", "banned-in-russia"], "cue": "tell"}],
    "about": [{"name": "General Motors", "kind": "organization"}], "expectation": None, "section": "body",
    "span": [1153, 1263]}


def _example(value: Any) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [value]})


class ArticleRef(BaseModel):
    """The article a statement was read from."""

    model_config = _example(EXAMPLE_ARTICLE)
    id: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = Field(None, description="ISO date, or null when the article is undated.")


class Speaker(BaseModel):
    """Who said it: ``name`` is null when the mention could not be resolved (never a guess)."""

    name: str | None
    kind: SpeakerKind
    mention: str = Field(description="The words of the text that name the speaker.")
    role: str | None = None


class Addressee(BaseModel):
    name: str
    kind: str


class SaidOn(BaseModel):
    """When it was said, read from the cue's own clause and normalised against the publication date."""

    start: str
    end: str
    text: str
    granularity: Granularity


class RelayOut(BaseModel):
    """An outlet that carried the statement, nearest the speaker first; ``profile`` tags come from the registry."""

    outlet: str
    profile: list[str]
    cue: str


class EntityRef(BaseModel):
    name: str
    kind: str


class Due(BaseModel):
    start: str | None
    end: str | None


class ExpectationOut(BaseModel):
    """A forward-looking statement's expected event and the window it is due in."""

    what: str
    due: Due


class StatementRecord(BaseModel):
    """The public statement record (DESIGN.md): every value points back to a span of the article text."""

    model_config = _example(EXAMPLE_STATEMENT)
    id: str = Field(description="Stable: hash of article id + span + rule-set version.")
    article: ArticleRef
    speaker: Speaker
    addressee: Addressee | None
    cue: str = Field(description="Lemma of the reporting verb or phrase: say, tell, 'according to', colon …")
    mode: Mode
    kind: Kind
    content: str
    said_on: SaidOn | None
    setting: str | None
    relays: list[RelayOut]
    about: list[EntityRef]
    expectation: ExpectationOut | None
    section: str
    span: list[int] = Field(min_length=2, max_length=2, description="[start, end) offsets into the article text.")


class StatementPage(BaseModel):
    """One page of statements and the cursor of the next one (null on the last page)."""

    model_config = _example({"items": [EXAMPLE_STATEMENT], "next_cursor": "WyIyMDA5LTExLTA1IiwiZjEzMDE5ODhkM2U1ZWNhZCJd"})
    items: list[StatementRecord]
    next_cursor: str | None


class ArticleSummary(BaseModel):
    model_config = _example({**EXAMPLE_ARTICLE, "statements": 9})
    id: str
    url: str | None
    title: str
    outlet: str | None
    published: str | None
    statements: int = Field(description="Number of statements read from the article.")


class ArticlePage(BaseModel):
    items: list[ArticleSummary]
    next_cursor: str | None


class ParagraphOut(BaseModel):
    start: int
    end: int
    section: str
    kind: str


class NoteOut(BaseModel):
    start: int
    end: int
    text: str


class ArticleDetail(BaseModel):
    """An article as stored: its text (which every span points into), paragraphs, editorial notes, statements."""

    model_config = _example({**EXAMPLE_ARTICLE, "lang": "en", "source": "examples/wikinews.jsonl:3",
                             "text": "Automaker GM to cut 10,000 jobs at Opel\n\n…",
                             "paragraphs": [{"start": 0, "end": 39, "section": "headline", "kind": "headline"}],
                             "notes": [], "statements": [EXAMPLE_STATEMENT]})
    id: str
    url: str | None
    title: str
    outlet: str | None
    published: str | None
    lang: str
    source: str | None
    text: str
    paragraphs: list[ParagraphOut]
    notes: list[NoteOut]
    statements: list[StatementRecord]


class IngestResult(BaseModel):
    """What ``POST /api/articles`` did: ``created`` false means the same text was already stored."""

    model_config = _example({"created": True, "article": {**EXAMPLE_ARTICLE, "statements": 1},
                             "statements": [EXAMPLE_STATEMENT]})
    created: bool
    article: ArticleSummary
    statements: list[StatementRecord]


class EntityOut(BaseModel):
    """One entity: a distinct (name, kind) as extraction canonicalised it, with its aliases and counts."""

    model_config = _example({"id": "3f1c0a9e2b7d4c55", "name": "General Motors", "kind": "organization",
                             "aliases": ["GM"], "statements_by": 0, "statements_about": 4})
    id: str
    name: str
    kind: str
    aliases: list[str]
    statements_by: int
    statements_about: int


class EntityPage(BaseModel):
    items: list[EntityOut]
    next_cursor: str | None


class EntityDetail(BaseModel):
    """The entities with one name (one per kind), the latest statements they made and the latest about them."""

    name: str
    entities: list[EntityOut]
    said: list[StatementRecord]
    about: list[StatementRecord]


class OutletOut(BaseModel):
    model_config = _example({"name": "BBC", "country": "GB", "kind": "broadcaster",
                             "profile": ["public-broadcaster", "banned-in-russia"], "articles": 0, "relayed": 3})
    name: str
    country: str | None
    kind: str | None
    profile: list[str]
    articles: int = Field(description="Articles the outlet published in the ledger.")
    relayed: int = Field(description="Statements the outlet relayed (in their relay chain).")


class OutletDetail(OutletOut):
    latest_articles: list[ArticleSummary]
    latest_relayed: list[StatementRecord]


class NameCount(BaseModel):
    name: str | None = Field(description="null: articles without an outlet, statements with an unresolved speaker.")
    statements: int


class OutletCount(BaseModel):
    name: str | None
    articles: int
    statements: int


class Stats(BaseModel):
    model_config = _example({"articles": 25, "statements": 191,
                             "by_outlet": [{"name": "Wikinews", "articles": 25, "statements": 191}],
                             "by_speaker": [{"name": None, "statements": 40}],
                             "by_kind": [{"name": "assertion", "statements": 150}],
                             "by_relay": [{"name": "BBC", "statements": 1}]})
    articles: int
    statements: int
    by_outlet: list[OutletCount]
    by_speaker: list[NameCount]
    by_kind: list[NameCount]
    by_relay: list[NameCount]


class Problem(BaseModel):
    """An RFC 9457 problem description (``application/problem+json``)."""

    model_config = _example({"type": "about:blank", "title": "Not Found", "status": 404,
                             "detail": "no article with id 'ffff' in the ledger", "instance": "/api/articles/ffff"})
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, Any]] | None = Field(None, description="Validation errors: where and why.")


# --- across articles (resolve/): the shapes their read functions return; extra fields pass through ------------------
class _Open(BaseModel):
    """A record of an across-articles part: the fields listed are documented and checked, others pass through."""

    model_config = ConfigDict(extra="allow")


class StorySummary(_Open):
    id: str
    title: str | None
    articles: int = Field(description="Number of articles in the storyline.")
    first_published: str | None
    last_published: str | None
    actors: list[str] = Field(description="Main actors (most frequent first).")
    years: list[int]
    rule: str = Field(description="The rule (and version) that grew the storyline.")


class StoryMember(_Open):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    opened: bool = Field(description="Whether this article opened the storyline.")
    score: float | None
    rule: str
    evidence: dict[str, Any] = Field(description="Why the article joined: shared actors, terms, dates.")


class StoryDetail(StorySummary):
    members: list[StoryMember]
    statements: list[str] = Field(description="Ids of the statements of the storyline's articles.")


class TimelineItem(_Open):
    kind: Literal["statement", "event"]
    when: dict[str, Any] | None = Field(description="start, end, text, granularity and basis of the date.")
    text: str
    article: ArticleRef
    span: list[int]


class Timeline(_Open):
    """Items ordered by when things were said or happened; ``undated`` ones apart (never placed on a guess)."""

    target: dict[str, Any]
    items: list[TimelineItem]
    undated: list[TimelineItem]


class DisputeAccount(_Open):
    value: str
    norm: str
    statements: list[StatementRecord]


class Dispute(_Open):
    """The same fact, different accounts: each value with the statements that give it, the rule and the reason."""

    id: str
    about: list[EntityRef]
    slot: str
    accounts: list[DisputeAccount]
    reason: str
    rule: str
    first_on: str | None
    last_on: str | None
    links: list[dict[str, Any]] = Field(description="Each disagreeing pair with its rule and evidence.")


class ExpectationRecord(_Open):
    """A forward-looking statement tracked to its deadline, with the evidence that decides its status."""

    id: str
    statement: StatementRecord | None
    what: str
    due: Due
    status: str
    status_reason: str | None
    as_of: str
    rule: str | None
    evidence: list[dict[str, Any]]


class Provenance(_Open):
    """Every article that carries a statement, its relay chains and its independent origins."""

    statement: StatementRecord
    articles: list[str]
    carriers: list[dict[str, Any]]
    chains: list[dict[str, Any]]
    origins: list[dict[str, Any]]
    independent_origins: int
    single_state_affiliated_origin: bool
    flag_reason: str | None
    rule: str


class Actor(_Open):
    """One real-world actor under all its names (entity resolution)."""

    id: str
    name: str
    kind: str
    source: str
