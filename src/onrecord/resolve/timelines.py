"""Timelines of a story or an entity, ordered by when things were said or happened, not by publication date.

Two kinds of items, each pointing to its evidence (article id and span):

* ``statement``: a statement of the story's articles (or by / about the entity), placed on its ``said_on``;
* ``event``: a sentence of an article that states a date (``extract.timex.find_times``, anchored on the
  publication date, direction "any"), placed on that date. For an entity, only sentences in which the entity is
  named (``article_mentions`` spans). Sentences inside a dated statement's span are left to the statement; an
  undated statement's sentence that states a date is an event as well (the statement itself stays undated: its
  ``said_on`` is the extractor's reading of the cue's clause, not ours to override).

Items without a date of their own (a statement with no ``said_on``) go to ``undated``, with the publication date
shown as ``published`` — never silently placed on it. Dated items are sorted by (start, end, published, article,
span start); ``when.basis`` says where the date comes from ("said_on" or "stated in the text").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from ..errors import OnrecordError
from ..extract.timex import find_times
from ..ledger import schema
from ..query.lookup import iso, records_by_id
from . import stories

__all__ = ["TimelineError", "entity_timeline", "event_sentences", "sentences", "story_timeline", "timeline"]

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n")


class TimelineError(OnrecordError):
    """A timeline target that names neither a story nor an entity."""


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: cut after . ! ? before a capital or digit, and at blank lines."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def event_sentences(text: str, published: date | None,
                    keep: Sequence[tuple[int, int]] | None = None,
                    skip: Sequence[tuple[int, int]] = ()) -> list[dict[str, Any]]:
    """Sentences of ``text`` stating a date, with the first date each states; only sentences overlapping a span
    of ``keep`` (when given), none overlapping a span of ``skip``."""
    found: list[dict[str, Any]] = []
    times = find_times(text, published, "any")
    for start, end in sentences(text):
        if keep is not None and not any(a < end and start < b for a, b in keep):
            continue
        if any(a < end and start < b for a, b in skip):
            continue
        inside = [(ts, te, ref) for ts, te, ref in times if start <= ts and te <= end]
        if inside:
            ts, te, ref = inside[0]
            found.append({"text": text[start:end].strip(), "span": [start, end], "time_span": [ts, te],
                          "when": {**ref.to_dict(), "basis": "stated in the text"}})
    return found


def _article_rows(conn: sa.Connection, ids: Sequence[str]) -> list[Any]:
    a = schema.articles
    return list(conn.execute(sa.select(a.c.id, a.c.title, a.c.url, a.c.outlet, a.c.published, a.c.text)
                             .where(a.c.id.in_(list(ids))))) if ids else []


def _statement_items(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    items = []
    for rec in records:
        when = {**rec["said_on"], "basis": "said_on"} if rec["said_on"] else None
        items.append({"kind": "statement", "when": when, "text": rec["content"], "speaker": rec["speaker"]["name"],
                      "cue": rec["cue"], "statement_id": rec["id"], "article": rec["article"], "span": rec["span"]})
    return items


def _event_items(rows: Iterable[Any], skip: dict[str, list[tuple[int, int]]],
                 keep: dict[str, list[tuple[int, int]]] | None = None) -> list[dict[str, Any]]:
    items = []
    for row in rows:
        published = date.fromisoformat(row.published) if isinstance(row.published, str) else row.published
        article = {"id": row.id, "url": row.url, "title": row.title, "outlet": row.outlet,
                   "published": iso(row.published)}
        spans = None if keep is None else keep.get(row.id, [])
        for found in event_sentences(row.text, published, spans, skip.get(row.id, [])):
            items.append({"kind": "event", **found, "article": article})
    return items


def _ordered(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Dated items by when (then published, article, span); undated ones apart, marked as such."""
    dated = [i for i in items if i["when"] is not None]
    undated = [{**i, "undated": True} for i in items if i["when"] is None]
    dated.sort(key=lambda i: (i["when"]["start"], i["when"]["end"], i["article"]["published"] or "",
                              i["article"]["id"], i["span"][0]))
    undated.sort(key=lambda i: (i["article"]["published"] or "", i["article"]["id"], i["span"][0]))
    return {"items": dated, "undated": undated}


def _spans(records: Iterable[dict[str, Any]]) -> dict[str, list[tuple[int, int]]]:
    """Spans of the dated statements, by article: their sentences are on the timeline as those statements."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for rec in records:
        if rec["said_on"] is None:
            continue
        spans.setdefault(rec["article"]["id"], []).append((rec["span"][0], rec["span"][1]))
    return spans


def story_timeline(conn: sa.Connection, story_id: str) -> dict[str, Any]:
    """The timeline of a story: its statements and the dated sentences of its articles."""
    detail = stories.story(conn, story_id)
    records = records_by_id(conn, detail["statements"])
    rows = _article_rows(conn, [m["id"] for m in detail["members"]])
    items = _statement_items(records) + _event_items(rows, _spans(records))
    summary = {k: detail[k] for k in ("id", "title", "articles", "actors", "years")}
    return {"target": {"story": summary}, **_ordered(items)}


def _entity_ids(conn: sa.Connection, name: str) -> tuple[list[str], list[dict[str, Any]]]:
    """Entity ids of the actors ``name`` names (via entity resolution), or of entities with that name or alias."""
    e, al = schema.entities, schema.aliases
    actors: list[dict[str, Any]] = []
    ids: dict[str, None] = {}
    if sa.inspect(conn).has_table("actor_names"):
        from .entities import find_actors

        actors = find_actors(conn, name)
        an = schema.actor_names
        actor_ids = [a["id"] for a in actors]
        if actor_ids:
            ids.update(dict.fromkeys(conn.execute(sa.select(an.c.entity_id).where(an.c.actor_id.in_(actor_ids)))
                                     .scalars()))
            ids.update(dict.fromkeys(conn.execute(sa.select(e.c.id).where(e.c.id.in_(actor_ids))).scalars()))
    low = name.strip().lower()
    ids.update(dict.fromkeys(conn.execute(sa.select(e.c.id).where(sa.func.lower(e.c.name) == low)).scalars()))
    ids.update(dict.fromkeys(conn.execute(sa.select(al.c.entity_id).where(sa.func.lower(al.c.alias) == low))
                             .scalars()))
    return list(ids), actors


def entity_timeline(conn: sa.Connection, name: str, limit: int = 2000) -> dict[str, Any]:
    """The timeline of an entity: statements by or about it, and dated sentences that name it."""
    ids, actors = _entity_ids(conn, name)
    if not ids:
        raise TimelineError(f"{name!r} is neither a story id nor an entity in the ledger")
    s, ab, am = schema.statements, schema.statement_about, schema.article_mentions
    about = sa.select(ab.c.statement_id).where(ab.c.entity_id.in_(ids))
    sids = list(conn.execute(sa.select(s.c.id).where(sa.or_(s.c.speaker_entity_id.in_(ids), s.c.id.in_(about)))
                             .limit(limit)).scalars())
    records = records_by_id(conn, sids)
    keep: dict[str, list[tuple[int, int]]] = {}
    for article_id, start, end in conn.execute(sa.select(am.c.article_id, am.c.span_start, am.c.span_end)
                                               .where(am.c.entity_id.in_(ids)).limit(limit)):
        keep.setdefault(article_id, []).append((start, end))
    rows = _article_rows(conn, list(keep))
    items = _statement_items(records) + _event_items(rows, _spans(records), keep)
    target = {"name": name, "entities": ids, "actors": [{"id": a["id"], "name": a["name"]} for a in actors]}
    return {"target": {"entity": target}, **_ordered(items)}


def timeline(conn: sa.Connection, target: str) -> dict[str, Any]:
    """A story's timeline when ``target`` is a story id (or a unique prefix of 6+ hex digits), else the timeline
    of the entity it names."""
    if not re.fullmatch(r"[0-9a-f]{6,16}", target.strip()):
        return entity_timeline(conn, target)
    try:
        stories.find_story(conn, target)
    except stories.StoryNotFound:
        return entity_timeline(conn, target)
    return story_timeline(conn, target)
