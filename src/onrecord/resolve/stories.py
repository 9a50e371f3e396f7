"""Storylines in the ledger: the online clusterer of ``resolve.cluster`` with its state in SQL tables.

``update(conn, article_ids)`` places each newly written article (in the order given) into a story, with indexed
lookups only: the running document frequencies of its terms (``story_terms``), candidate stories from the inverted
index (``story_keys``), the candidates' rows (``stories``); then one row in ``story_articles`` with the rule, the
score and the evidence (score parts, shared actors, terms and years), its arrival number and what the split check
reads of it (``seq``, ``member``; migration ``m013_story_members``). When the check cuts a story, the leaving rows
move to the new story (``rule`` ``onrecord.stories.v3/split``, the check's figures under ``split`` in their
evidence), and both story rows are rewritten. An article already placed is skipped, so re-running is idempotent. ``rebuild(conn)`` empties the tables and places every article again, in ingest order.

An article's features come from the ledger: its text and title, its publication date, the named entities of its
text (``article_mentions``) and the speakers of its statements as actors — each entity under its resolved actor
(``coalesce(actor_names.actor_id, entities.id)`` when the entity-resolution tables exist) — and as participant keys
(the last word of the entity's name, as ``cluster.features_of`` makes them from the extracted names), and the years
its text states (timex) and its statements were said in. A story row keeps its participant centroid and its
members' event years (``participants``, ``event_years``; migration ``m009_story_features``). Read functions for
the CLI: :func:`list_stories`, :func:`story`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from ..errors import OnrecordError
from ..ledger import schema
from ..query.lookup import iso, records_by_id
from ..records import hash_id
from .cluster import (
    ACTOR_KINDS,
    PLACE_KINDS,
    RULE,
    Assignment,
    ClusterSettings,
    DocFeatures,
    Member,
    Split,
    Story,
    StoryClusterer,
    lead,
    participant_keys,
    stated_years,
    tokens,
)

__all__ = ["DOCS_KEY", "LedgerStore", "StoryNotFound", "ledger_features", "list_stories", "rebuild", "story", "update"]

CHUNK = 500
#: The ``story_terms`` row that holds the number of placed articles (no term or @actor key starts with "#").
DOCS_KEY = "#articles"
st, sa_art, sk, stt = schema.stories, schema.story_articles, schema.story_keys, schema.story_terms


class StoryNotFound(OnrecordError):
    """No story with that id (or id prefix)."""


class LedgerStore:
    """The clusterer's state in the ledger's ``story_*`` tables, on one connection (inside its transaction)."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self._docs: int | None = None

    def doc_count(self) -> int:
        """Articles placed so far: a running count kept in ``story_terms`` under ``DOCS_KEY`` (a count of
        ``story_articles`` on every update grew with the ledger); a ledger without it is counted once."""
        if self._docs is None:
            found = self.conn.execute(sa.select(stt.c.df).where(stt.c.key == DOCS_KEY)).scalar_one_or_none()
            if found is None:
                found = self.conn.execute(sa.select(sa.func.count()).select_from(sa_art)).scalar_one()
                self.conn.execute(sa.insert(stt).values(key=DOCS_KEY, df=found))
            self._docs = found
        return self._docs

    def frequencies(self, keys: Iterable[str]) -> dict[str, int]:
        keys = list(dict.fromkeys(keys))
        found = dict.fromkeys(keys, 0)
        for chunk in _chunks(keys):
            found.update((k, v) for k, v in self.conn.execute(sa.select(stt.c.key, stt.c.df).where(stt.c.key.in_(chunk))))
        return found

    def count(self, keys: Iterable[str]) -> None:
        self._docs = self.doc_count() + 1
        self.conn.execute(sa.update(stt).where(stt.c.key == DOCS_KEY).values(df=self._docs))
        keys = list(dict.fromkeys(keys))
        for chunk in _chunks(keys):
            stmt = _upsert(self.conn, stt).values([{"key": k, "df": 1} for k in chunk])
            self.conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"df": stt.c.df + 1}))

    def candidates(self, keys: Sequence[str], limit: int) -> list[Story]:
        if not keys:
            return []
        hits = sa.func.count().label("hits")
        query = (sa.select(sk.c.story_id, hits).where(sk.c.key.in_(list(keys))).group_by(sk.c.story_id)
                 .order_by(hits.desc(), sk.c.story_id).limit(limit))
        ids = [row[0] for row in self.conn.execute(query)]
        rows = {r.id: r for r in self.conn.execute(sa.select(st).where(st.c.id.in_(ids)))} if ids else {}
        return [_story(rows[i]) for i in ids if i in rows]

    def save(self, story: Story, new_keys: Iterable[str], assignment: Assignment, member: Member) -> None:
        self._write_story(story, assignment.rule, insert=assignment.opened)
        self._index(story.id, new_keys)
        self.conn.execute(sa.insert(sa_art).values(
            article_id=assignment.article_id, story_id=story.id, opened=assignment.opened, score=assignment.score,
            rule=assignment.rule, evidence=json.dumps(assignment.evidence, ensure_ascii=False), seq=self.doc_count(),
            member=json.dumps(_member_json(member), ensure_ascii=False)))

    def members(self, story_id: str, limit: int) -> list[Member]:
        """The story's latest ``limit`` members that carry their split-check features, oldest first."""
        query = (sa.select(sa_art.c.article_id, sa_art.c.member)
                 .where(sa_art.c.story_id == story_id, sa_art.c.seq.is_not(None), sa_art.c.member.is_not(None))
                 .order_by(sa_art.c.seq.desc(), sa_art.c.article_id.desc()).limit(limit))
        return [_member(a, json.loads(m)) for a, m in reversed(self.conn.execute(query).all())]

    def split(self, split: Split) -> None:
        """Both stories' rows, the new story's index keys, and the moved members: their story, their evidence (the
        split's figures added to how they joined), and ``opened`` for the first of them, whose title the new story
        takes. The story that stays keeps its title and first/last dates even if its opener left (rare: the opener
        is its oldest member, and the larger half stays)."""
        rule = split.evidence["rule"]
        self._write_story(split.story, RULE, insert=False)  # the story that stays was not split off
        self._write_story(split.new, rule, insert=True)
        self._index(split.new.id, split.new_keys)
        for chunk in _chunks(split.moved):
            rows = self.conn.execute(sa.select(sa_art.c.article_id, sa_art.c.evidence)
                                     .where(sa_art.c.article_id.in_(chunk))).all()
            for article_id, evidence in rows:
                self.conn.execute(sa.update(sa_art).where(sa_art.c.article_id == article_id).values(
                    story_id=split.new.id, rule=rule, opened=article_id == split.moved[0],  # it gave the title
                    evidence=json.dumps({**json.loads(evidence), "split": split.evidence}, ensure_ascii=False)))

    def _write_story(self, story: Story, rule: str, *, insert: bool) -> None:
        values = {"title": story.title, "size": story.size, "first_published": story.first,
                  "last_published": story.last, "centroid": json.dumps(_rounded(story.centroid)),
                  "actors": json.dumps(dict(story.actors)), "years": json.dumps({str(y): n for y, n in story.years.items()}),
                  "participants": json.dumps(_rounded(story.participants), ensure_ascii=False),
                  "event_years": json.dumps({str(y): n for y, n in story.event_years.items()}),
                  "rule": rule}
        if insert:
            self.conn.execute(sa.insert(st).values(id=story.id, **values))
        else:
            self.conn.execute(sa.update(st).where(st.c.id == story.id).values(**values))

    def _index(self, story_id: str, new_keys: Iterable[str]) -> None:
        keys = list(dict.fromkeys(new_keys))
        for chunk in _chunks(keys):
            stmt = _upsert(self.conn, sk).values([{"key": k, "story_id": story_id} for k in chunk])
            self.conn.execute(stmt.on_conflict_do_nothing())


def _upsert(conn: sa.Connection, table: sa.Table) -> Any:
    """The dialect's ``INSERT … ON CONFLICT`` (SQLite and PostgreSQL share the API)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def _rounded(weights: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 5) for k, v in weights.items()}


def _story(row: Any) -> Story:
    return Story(row.id, row.title, row.size, json.loads(row.centroid), Counter(json.loads(row.actors)),
                 Counter({int(y): n for y, n in json.loads(row.years).items()}),
                 _day(row.first_published), _day(row.last_published), json.loads(row.participants),
                 Counter({int(y): n for y, n in json.loads(row.event_years).items()}))


def _member_json(m: Member) -> dict[str, Any]:
    return {"title": m.title, "vector": _rounded(m.vector), "people": _rounded(m.people), "actors": dict(m.actors),
            "years": sorted(m.years), "event_year": m.event_year, "published": iso(m.published),
            "index_keys": m.index_keys}


def _member(article_id: str, data: dict[str, Any]) -> Member:
    return Member(article_id, data["title"], data["vector"], data["people"], Counter(data["actors"]),
                  frozenset(data["years"]), data["event_year"], _day(data["published"]), data["index_keys"])


def _day(value: date | str | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _actor_column(conn: sa.Connection) -> tuple[Any, Any]:
    """The actor of an entity: ``coalesce(actor_names.actor_id, entities.id)`` once entity resolution exists."""
    e = schema.entities
    if sa.inspect(conn).has_table("actor_names"):
        an = sa.table("actor_names", sa.column("entity_id"), sa.column("actor_id"))
        return sa.func.coalesce(an.c.actor_id, e.c.id), e.outerjoin(an, an.c.entity_id == e.c.id)
    return e.c.id, e


def ledger_features(conn: sa.Connection, article_id: str, actor_of: tuple[Any, Any] | None = None) -> DocFeatures:
    """The clusterer's features of a stored article (see the module docstring)."""
    a, e, am, s = schema.articles, schema.entities, schema.article_mentions, schema.statements
    row = conn.execute(sa.select(a.c.title, a.c.text, a.c.published).where(a.c.id == article_id)).one_or_none()
    if row is None:
        raise OnrecordError(f"article {article_id} is not in the ledger")
    actor, joined = actor_of or _actor_column(conn)
    named = conn.execute(sa.select(actor, e.c.kind, e.c.name).select_from(joined.join(am, am.c.entity_id == e.c.id))
                         .where(am.c.article_id == article_id)).all()
    speakers = conn.execute(sa.select(actor, e.c.kind, e.c.name)
                            .select_from(joined.join(s, s.c.speaker_entity_id == e.c.id))
                            .where(s.c.article_id == article_id)).all()
    said = [d for (d,) in conn.execute(sa.select(s.c.said_on_start).where(s.c.article_id == article_id,
                                                                          s.c.said_on_start.is_not(None)))]
    published = _day(row.published)
    actors = Counter(i for i, kind, _ in [*named, *speakers] if kind in ACTOR_KINDS)
    participants = participant_keys(name for _, kind, name in [*named, *speakers] if kind in ACTOR_KINDS)
    places = Counter(i for i, kind, _ in named if kind in PLACE_KINDS)
    years = stated_years(row.text, published) | {_day(d).year for d in said if _day(d) is not None}  # type: ignore[union-attr]
    return DocFeatures(article_id, row.title, tokens(row.text) + tokens(lead(row.text)), actors, places,
                       frozenset(years), published, participants)


def update(conn: sa.Connection, article_ids: Sequence[str], settings: ClusterSettings | None = None) -> None:
    """Place newly written articles into stories, in the order given; articles already placed are skipped."""
    ids = list(dict.fromkeys(article_ids))
    placed: set[str] = set()
    for chunk in _chunks(ids):
        placed.update(conn.execute(sa.select(sa_art.c.article_id).where(sa_art.c.article_id.in_(chunk))).scalars())
    clusterer = StoryClusterer(settings, LedgerStore(conn), new_id=lambda key: hash_id("story", key))
    actor_of = _actor_column(conn)
    for article_id in ids:
        if article_id not in placed:
            clusterer.add(ledger_features(conn, article_id, actor_of))


def rebuild(conn: sa.Connection, settings: ClusterSettings | None = None) -> int:
    """Empty the story tables and place every stored article again, in ingest order; returns the article count."""
    for table in (sa_art, sk, stt, st):
        conn.execute(sa.delete(table))
    a = schema.articles
    ids = list(conn.execute(sa.select(a.c.id).order_by(a.c.ingested_at, a.c.id)).scalars())
    update(conn, ids, settings)
    return len(ids)


def _names(conn: sa.Connection, ids: Iterable[str]) -> dict[str, str]:
    """Display names of actor keys: an entity's name, or a resolved actor's name when that table exists."""
    ids = list(dict.fromkeys(ids))
    e = schema.entities
    found: dict[str, str] = {}
    for chunk in _chunks(ids):
        found.update((k, v) for k, v in conn.execute(sa.select(e.c.id, e.c.name).where(e.c.id.in_(chunk))))
    missing = [i for i in ids if i not in found]
    if missing and sa.inspect(conn).has_table("actors"):
        actors = sa.table("actors", sa.column("id"), sa.column("name"))
        for chunk in _chunks(missing):
            found.update((k, v) for k, v in conn.execute(sa.select(actors.c.id, actors.c.name).where(actors.c.id.in_(chunk))))
    return found


def _summary(conn: sa.Connection, row: Any) -> dict[str, Any]:
    actors = Counter(json.loads(row.actors))
    names = _names(conn, [a for a, _ in actors.most_common(5)])
    years = sorted(int(y) for y in json.loads(row.years))
    return {"id": row.id, "title": row.title, "articles": row.size, "first_published": iso(row.first_published),
            "last_published": iso(row.last_published), "actors": [names.get(a, a) for a, _ in actors.most_common(5)],
            "years": years, "rule": row.rule}


def list_stories(conn: sa.Connection, *, min_size: int = 1, limit: int | None = 50) -> list[dict[str, Any]]:
    """Stories, largest first (then most recently published), each with its main actors and stated years."""
    query = (sa.select(st).where(st.c.size >= min_size)
             .order_by(st.c.size.desc(), st.c.last_published.desc(), st.c.id).limit(limit))
    return [_summary(conn, row) for row in conn.execute(query)]


def find_story(conn: sa.Connection, story_id: str) -> Any:
    """The story row whose id is ``story_id`` or starts with it (unique), else :class:`StoryNotFound`."""
    rows = conn.execute(sa.select(st).where(st.c.id.startswith(story_id, autoescape=True)).limit(2)).all()
    if len(rows) != 1:
        raise StoryNotFound(f"story {story_id!r}: " + ("no such story" if not rows else "ambiguous id prefix"))
    return rows[0]


def story(conn: sa.Connection, story_id: str) -> dict[str, Any]:
    """One story: its summary, its articles with how each joined (rule, score, evidence), its statement ids."""
    row = find_story(conn, story_id)
    a, s = schema.articles, schema.statements
    query = (sa.select(a.c.id, a.c.title, a.c.outlet, a.c.published, a.c.url, sa_art.c.opened, sa_art.c.score,
                       sa_art.c.rule, sa_art.c.evidence)
             .join(sa_art, sa_art.c.article_id == a.c.id).where(sa_art.c.story_id == row.id)
             .order_by(a.c.published, a.c.id))
    articles = []
    for r in conn.execute(query):
        evidence = json.loads(r.evidence)
        names = _names(conn, evidence.get("shared_actors", []))
        evidence["shared_actors"] = [names.get(x, x) for x in evidence.get("shared_actors", [])]
        articles.append({"id": r.id, "title": r.title, "outlet": r.outlet, "published": iso(r.published),
                         "url": r.url, "opened": bool(r.opened), "score": r.score, "rule": r.rule,
                         "evidence": evidence})
    ids = [x["id"] for x in articles]
    statements = list(conn.execute(sa.select(s.c.id).where(s.c.article_id.in_(ids))).scalars()) if ids else []
    return {**_summary(conn, row), "members": articles, "statements": statements}


def records_of_story(conn: sa.Connection, story_id: str) -> list[dict[str, Any]]:
    """Public statement records of a story's articles."""
    return records_by_id(conn, story(conn, story_id)["statements"])
