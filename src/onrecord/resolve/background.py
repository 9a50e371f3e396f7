"""The drafted "Previously / Background" box of a new article, from earlier statements in the ledger.

``draft(conn, article, statements)`` takes an article that is read and extracted but NOT stored, and returns:

- ``previously``: the most recent related statement dated before the article, as one attributed line;
- ``background``: the key earlier statements of its storyline, attributed and in time order;
- ``status`` ``"drafted"``, or ``"nothing_related"`` with the reason — never an invented draft.

Every line is extractive: the statement's content as stored (the reported words as written in its article), with
who said it (the speaker as named, else as mentioned), the cue as written in the source, the date (``said_on``,
else the article's publication date) and the nearest relay; every item carries its statement id and the evidence
that selected it (cosine, shared actors, shared terms, storyline, recency, score; rule :data:`RULE`).

Candidates (``_pool``), all dated strictly before the article's day — a statement's day is its ``said_on`` start,
else its article's publication date, and its article must not be published on or after that day (what a later
article reports was not known yet):

1. statements whose speaker or an ``about`` entity is one of the article's entities (speakers, ``about`` and every
   named entity of its text; an entity counts under its resolved actor, ``coalesce(actor_names.actor_id,
   entities.id)``, when the entity-resolution tables exist), newest first. For ranking, only the article's
   *salient* actors of a specific kind count as shared (speakers, ``about``, and names in the headline or named at
   least twice; persons, organisations, groups, products, weapons, events — not countries, places or news
   outlets): a name in passing, or "the United States", does not make two texts related;
2. statements of earlier articles whose text names one of the article's salient actors (``article_mentions``);
   and full-text matches (SQLite FTS5, best BM25 first) of the article's most frequent content words;
3. the storyline, when the storyline tables exist (``story_articles``): the story of the stored copy of this
   article if there is one, else the story of the related candidates with the highest summed score (from at least
   two of its articles); its articles' earlier statements join the pool, marked ``in_story`` (for an inferred
   story, a member statement must also share an actor or two terms with the article to count as related).

A statement whose speaker is neither named nor of a known kind ("It said", "We say", "This implies") is left
out: a background line must say who said it.

Ranking, redundancy removal and "Previously" are :func:`onrecord.resolve.background_rank.select`, the same core
the evaluation (``onrecord evaluate background``) scores against human backgrounds.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..errors import OnrecordError
from ..ledger import schema
from ..ledger.writes import entity_id
from ..query.fulltext import fts5_query
from ..query.lookup import iso, records_by_id
from ..records import Article, Statement
from .background_rank import RULE, Candidate, Params, Query, Ranked, Selection, select

__all__ = ["RULE", "UndatedArticle", "draft"]

s, a = schema.statements, schema.articles
POOL_PER_SOURCE = 300
KEYWORDS = 12
#: A storyline found by vote needs related statements from at least this many of its articles.
MIN_STORY_ARTICLES = 2
_WORD = re.compile(r"[^\W\d_][\w'-]{2,}")


class UndatedArticle(OnrecordError):
    """The new article has no date, so "before it" means nothing."""


def draft(conn: sa.Connection, article: Article, statements: Sequence[Statement], *, day: date | None = None,
          params: Params | None = None) -> dict[str, Any]:
    """The background draft of ``article`` (not stored) from the ledger on ``conn`` (module docstring)."""
    day = day or article.published
    if day is None:
        raise UndatedArticle(f"{article.source or article.title!r} has no publication date; give one with "
                             "--published YYYY-MM-DD so that earlier statements can be told from later ones")
    params = params or Params()
    entity_ids = _article_entities(article, statements)
    actors = _actors_of(conn, entity_ids)
    salient = _specific(conn, _salient(article, statements))
    query = Query(f"{article.title}\n{article.text}", day, frozenset(actors[e] for e in salient if e in actors))
    pool = _pool(conn, query, article, set(entity_ids), day) | _mentioned_in(conn, salient, article, day)
    selection = select(query, _candidates(conn, pool, actors, set()), params)
    story = _story(conn, article, selection)
    if story is not None:
        params = replace(params, story_needs_overlap=story["inferred"])
        pool |= _story_statements(conn, story["members"], day)
        selection = select(query, _candidates(conn, pool, actors, set(story["members"])), params)
    return _result(conn, article, day, selection, story, params)


# ---- the article's actors ----------------------------------------------------------------------------------------
def _article_entities(article: Article, statements: Sequence[Statement]) -> list[str]:
    """Entity ids of the article's speakers, ``about`` entities and named entities of its text (as stored ids)."""
    pairs = [(m.name, m.kind) for m in article.mentions]
    for st in statements:
        if st.speaker.name:
            pairs.append((st.speaker.name, st.speaker.kind))
        pairs.extend((e.name, e.kind) for e in st.about)
    return list(dict.fromkeys(entity_id(name, kind) for name, kind in pairs))


def _salient(article: Article, statements: Sequence[Statement]) -> set[str]:
    """Entities the article is about, not merely names in passing: speakers, ``about`` entities, and named
    entities of the text that occur in the headline or at least twice."""
    counts = Counter(entity_id(m.name, m.kind) for m in article.mentions)
    in_title = {entity_id(m.name, m.kind) for m in article.mentions if m.start < len(article.title)}
    found = {e for e, n in counts.items() if n >= 2} | in_title
    for st in statements:
        if st.speaker.name:
            found.add(entity_id(st.speaker.name, st.speaker.kind))
        found.update(entity_id(e.name, e.kind) for e in st.about)
    return found


#: Kinds of entity that make two texts related when both name it. Countries and places are left out (every
#: statement on a war names them), and so are news outlets (carriers of statements, not their subject).
SPECIFIC_KINDS = frozenset({"person", "organization", "group", "product", "weapon", "event"})


def _specific(conn: sa.Connection, entity_ids: set[str]) -> set[str]:
    """The entities of ``entity_ids`` that are stored with a specific kind and are not a news outlet."""
    e, o = schema.entities, schema.outlets
    found: set[str] = set()
    for chunk in _chunks(sorted(entity_ids)):
        query = sa.select(e.c.id).where(e.c.id.in_(chunk), e.c.kind.in_(sorted(SPECIFIC_KINDS)),
                                        e.c.name.not_in(sa.select(o.c.name)))
        found.update(conn.execute(query).scalars())
    return found


def _has(conn: sa.Connection, table: str) -> bool:
    """Whether the ledger has another part's table (read once per connection)."""
    tables = conn.info.get("onrecord.tables")
    if tables is None:
        tables = conn.info["onrecord.tables"] = frozenset(sa.inspect(conn).get_table_names())
    return table in tables


def _actors_of(conn: sa.Connection, entity_ids: Iterable[str]) -> dict[str, str]:
    """entity id → actor id (``actor_names`` when present; an unresolved entity is its own actor)."""
    ids = sorted(set(entity_ids))
    found = {e: e for e in ids}
    if ids and _has(conn, "actor_names"):
        query = sa.text("SELECT entity_id, actor_id FROM actor_names WHERE entity_id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True))
        for chunk in _chunks(ids):
            found.update({row[0]: row[1] for row in conn.execute(query, {"ids": chunk})})
    return found


def _same_actor_entities(conn: sa.Connection, entity_ids: set[str]) -> set[str]:
    """The entities of the same actors as ``entity_ids`` (all names of each actor), themselves included."""
    if not entity_ids or not _has(conn, "actor_names"):
        return set(entity_ids)
    actor_ids = sorted(set(_actors_of(conn, entity_ids).values()))
    query = sa.text("SELECT entity_id FROM actor_names WHERE actor_id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True))
    found = set(entity_ids)
    for chunk in _chunks(actor_ids):
        found.update(conn.execute(query, {"ids": chunk}).scalars())
    return found


# ---- candidate statements ----------------------------------------------------------------------------------------
def _before(day: date) -> list[sa.ColumnElement[bool]]:
    """Statements placed strictly before ``day``, in articles not published on or after it."""
    when = sa.func.coalesce(s.c.said_on_start, a.c.published)
    return [when < day, sa.or_(a.c.published.is_(None), a.c.published < day)]


def _newest(select_: sa.Select[Any], day: date, article: Article) -> sa.Select[Any]:
    when = sa.func.coalesce(s.c.said_on_start, a.c.published)
    return (select_.join(a, a.c.id == s.c.article_id).where(*_before(day), a.c.content_hash != article.content_hash)
            .order_by(when.desc(), s.c.id).limit(POOL_PER_SOURCE))


def _pool(conn: sa.Connection, query: Query, article: Article, entity_ids: set[str], day: date) -> set[str]:
    """Ids of candidate statements: by shared actors, then by full text (module docstring, steps 1–2)."""
    entities = sorted(_same_actor_entities(conn, entity_ids))
    found: set[str] = set()
    for chunk in _chunks(entities):
        found.update(conn.execute(_newest(sa.select(s.c.id).where(s.c.speaker_entity_id.in_(chunk)),
                                          day, article)).scalars())
        about = sa.select(schema.statement_about.c.statement_id).where(schema.statement_about.c.entity_id.in_(chunk))
        found.update(conn.execute(_newest(sa.select(s.c.id).where(s.c.id.in_(about)), day, article)).scalars())
    found.update(_fulltext(conn, query.text, article, day))
    return found


def _mentioned_in(conn: sa.Connection, entity_ids: set[str], article: Article, day: date) -> set[str]:
    """Statements of earlier articles whose text names one of the article's salient actors (``article_mentions``)."""
    am = schema.article_mentions
    found: set[str] = set()
    for chunk in _chunks(sorted(_same_actor_entities(conn, entity_ids))):
        articles = sa.select(am.c.article_id).where(am.c.entity_id.in_(chunk))
        found.update(conn.execute(_newest(sa.select(s.c.id).where(s.c.article_id.in_(articles)), day,
                                          article)).scalars())
    return found


def keywords(text: str, k: int = KEYWORDS) -> list[str]:
    """The ``k`` most frequent content words of ``text`` (lowercased, English stop words out), ties by first use."""
    counts = Counter(w.lower() for w in _WORD.findall(text) if w.lower() not in ENGLISH_STOP_WORDS)
    return [w for w, _ in counts.most_common(k)]


def _fulltext(conn: sa.Connection, text: str, article: Article, day: date) -> set[str]:
    """Statements matching any of the article's keywords, best BM25 rank first (SQLite FTS5 only)."""
    terms = [fts5_query(word) for word in keywords(text)]
    expression = " OR ".join(t for t in terms if t)
    if conn.dialect.name != "sqlite" or not expression:
        return set()
    ranked = sa.text("SELECT statement_id FROM statements_fts WHERE statements_fts MATCH :q ORDER BY rank LIMIT :n")
    ids = list(conn.execute(ranked, {"q": expression, "n": POOL_PER_SOURCE * 3}).scalars())
    found: set[str] = set()
    for chunk in _chunks(ids):
        query = (sa.select(s.c.id).join(a, a.c.id == s.c.article_id)
                 .where(s.c.id.in_(chunk), *_before(day), a.c.content_hash != article.content_hash))
        found.update(conn.execute(query).scalars())
    return found


def _candidates(conn: sa.Connection, ids: set[str], actors: dict[str, str], story: set[str]) -> list[Candidate]:
    """Ranking records of these statements: content, day, actor ids (speaker and ``about``), storyline flag."""
    rows: list[Any] = []
    about: dict[str, set[str]] = defaultdict(set)
    when = sa.func.coalesce(s.c.said_on_start, a.c.published).label("day")
    sab = schema.statement_about
    for chunk in _chunks(sorted(ids)):
        rows += conn.execute(sa.select(s.c.id, s.c.content, s.c.article_id, s.c.speaker_entity_id, when)
                             .join(a, a.c.id == s.c.article_id)
                             .where(s.c.id.in_(chunk), ~(s.c.speaker_name.is_(None) & (s.c.speaker_kind == "unknown")))
                             ).all()
        for sid, eid in conn.execute(sa.select(sab.c.statement_id, sab.c.entity_id).where(sab.c.statement_id.in_(chunk))):
            about[sid].add(eid)
    entity_ids = {r.speaker_entity_id for r in rows if r.speaker_entity_id} | set().union(*about.values(), set())
    specific = _specific(conn, entity_ids)
    actor_of = _actors_of(conn, specific)
    result = []
    for r in rows:
        mine = (({r.speaker_entity_id} if r.speaker_entity_id else set()) | about[r.id]) & specific
        result.append(Candidate(id=r.id, text=r.content, day=_as_date(r.day), group=r.article_id,
                                actors=frozenset(actor_of.get(e, e) for e in mine), in_story=r.article_id in story))
    return result


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# ---- storyline ------------------------------------------------------------------------------------------------
def _story(conn: sa.Connection, article: Article, selection: Selection) -> dict[str, Any] | None:
    """The storyline to draw from: the story of the stored copy of this article, else the story whose articles
    hold the related candidates with the highest summed score (``None`` without storyline tables or votes)."""
    if not _has(conn, "story_articles"):
        return None
    of_article = sa.text("SELECT sa.story_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
                         "WHERE a.content_hash = :h")
    story_id = conn.execute(of_article, {"h": article.content_hash}).scalar()
    rule = "story of the stored copy of the article"
    votes: dict[str, float] = defaultdict(float)
    if story_id is None:
        by_article = _stories_of(conn, {r.candidate.group for r in selection.related})
        voters: dict[str, set[str]] = defaultdict(set)
        for r in selection.related:
            if r.candidate.group in by_article:
                votes[by_article[r.candidate.group]] += r.score
                voters[by_article[r.candidate.group]].add(r.candidate.group)
        votes = defaultdict(float, {k: v for k, v in votes.items() if len(voters[k]) >= MIN_STORY_ARTICLES})
        if not votes:
            return None
        story_id = max(votes, key=lambda k: (votes[k], k))
        rule = (f"story holding the related statements with the highest summed score, from at least "
                f"{MIN_STORY_ARTICLES} of its articles")
    members = sa.text("SELECT article_id FROM story_articles WHERE story_id = :s")
    return {"id": story_id, "rule": rule, "inferred": bool(votes), "votes": {k: round(v, 4) for k, v in votes.items()},
            "members": list(conn.execute(members, {"s": story_id}).scalars())}


def _stories_of(conn: sa.Connection, article_ids: set[str]) -> dict[str, str]:
    query = sa.text("SELECT article_id, story_id FROM story_articles WHERE article_id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True))
    found: dict[str, str] = {}
    for chunk in _chunks(sorted(article_ids)):
        found.update({row[0]: row[1] for row in conn.execute(query, {"ids": chunk})})
    return found


def _story_statements(conn: sa.Connection, article_ids: Sequence[str], day: date) -> set[str]:
    found: set[str] = set()
    when = sa.func.coalesce(s.c.said_on_start, a.c.published)
    for chunk in _chunks(sorted(article_ids)):
        query = (sa.select(s.c.id).join(a, a.c.id == s.c.article_id).where(s.c.article_id.in_(chunk), *_before(day))
                 .order_by(when.desc(), s.c.id).limit(POOL_PER_SOURCE))
        found.update(conn.execute(query).scalars())
    return found


# ---- the draft ---------------------------------------------------------------------------------------------------
def _result(conn: sa.Connection, article: Article, day: date, selection: Selection, story: dict[str, Any] | None,
            params: Params) -> dict[str, Any]:
    shown = ([selection.previously] if selection.previously else []) + selection.chosen
    records = {r["id"]: r for r in records_by_id(conn, [x.candidate.id for x in shown])}
    names = _actor_names(conn, {n for x in shown for n in x.shared_actors})
    cues = _cues_as_written(conn, list(records))
    item = {x.candidate.id: _item(records[x.candidate.id], x, names, cues) for x in shown}
    previously = selection.previously
    drafted = previously is not None
    return {
        "article": {"title": article.title, "url": article.url, "outlet": article.outlet,
                    "published": iso(article.published), "source": article.source},
        "before": day.isoformat(),
        "status": "drafted" if drafted else "nothing_related",
        "reason": None if drafted else _nothing_reason(selection, day),
        "previously": item[previously.candidate.id] if previously else None,
        "background": [item[x.candidate.id] for x in selection.chosen
                       if previously is None or x.candidate.id != previously.candidate.id],
        "storyline": None if story is None else {k: v for k, v in story.items() if k != "members"}
        | {"articles": len(story["members"])},
        "candidates": selection.considered,
        "related": len(selection.related),
        "rule": RULE,
        "params": params.to_dict(),
    }


def _nothing_reason(selection: Selection, day: date) -> str:
    if selection.considered == 0:
        return (f"nothing related: no statement in the ledger dated before {day.isoformat()} shares an actor or a "
                "keyword with this article")
    return (f"nothing related: {selection.considered} earlier statements share an actor or a keyword, but none is "
            "in its storyline or close enough in wording (rule " + RULE + ")")


def _item(record: dict[str, Any], ranked: Ranked, names: dict[str, str], cues: dict[str, str]) -> dict[str, Any]:
    """One attributed, cited line with its statement and evidence."""
    speaker = record["speaker"]["name"] or record["speaker"]["mention"] or "unknown speaker"
    said = record["said_on"]
    day = said["start"] if said else record["article"]["published"]
    relay = record["relays"][0]["outlet"] if record["relays"] else None
    cue = cues.get(record["id"]) or record["cue"]
    evidence = ranked.evidence() | {"shared_actors": [names.get(x, x) for x in ranked.shared_actors]}
    return {"statement_id": record["id"], "line": attributed(speaker, cue, day, relay, record["content"]),
            "speaker": speaker, "cue": cue, "date": day, "date_source": "said_on" if said else "published",
            "relay": relay, "content": record["content"], "article": record["article"], "evidence": evidence}


def attributed(speaker: str, cue: str, day: str | None, relay: str | None, content: str) -> str:
    """``Speaker said on DAY (via RELAY): “content”`` with the cue as written; ``According to X`` kept in order."""
    when = f" on {day}" if day else ""
    via = f" (via {relay})" if relay else ""
    if cue.lower() == "according to":
        return f"According to {speaker}{when}{via}: “{content}”"
    verb = "" if cue == "colon" else f" {cue}"
    return f"{speaker}{verb}{when}{via}: “{content}”"


def _cues_as_written(conn: sa.Connection, ids: list[str]) -> dict[str, str]:
    """statement id → its cue as written in the article text (``cue_start``/``cue_end``), when stored."""
    found: dict[str, str] = {}
    for chunk in _chunks(ids):
        query = (sa.select(s.c.id, sa.func.substr(a.c.text, s.c.cue_start + 1, s.c.cue_end - s.c.cue_start))
                 .join(a, a.c.id == s.c.article_id).where(s.c.id.in_(chunk), s.c.cue_start.is_not(None)))
        found.update({sid: " ".join(text.split()) for sid, text in conn.execute(query) if text and text.strip()})
    return found


def _actor_names(conn: sa.Connection, ids: set[str]) -> dict[str, str]:
    """actor or entity id → a readable name (``actors.name`` when present, else ``entities.name``)."""
    found: dict[str, str] = {}
    for chunk in _chunks(sorted(ids)):
        e = schema.entities
        found.update({row[0]: row[1] for row in conn.execute(sa.select(e.c.id, e.c.name).where(e.c.id.in_(chunk)))})
        if _has(conn, "actors"):
            query = sa.text("SELECT id, name FROM actors WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True))
            found.update({row[0]: row[1] for row in conn.execute(query, {"ids": chunk})})
    return found


def _chunks(values: Sequence[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(values), size):
        yield list(values[start:start + size])
