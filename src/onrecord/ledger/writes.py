"""Rows for one article and its statements, written on a connection inside the caller's transaction.

Entities are got or created by ``(name, kind)`` (their id is ``hash_id('entity', name, kind)``), with every name
and speaker mention seen for them kept in ``aliases``. Outlets are got or created by name; an outlet's profile is
the latest non-empty profile a record gave it (so the registry's newest tags win). A statement already stored under
the same id is replaced with its links (relays, about, mentions): an upsert by id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from ..records import Article, Statement, hash_id
from . import schema

CHUNK = 500


class BatchCache:
    """Outlets, entities and aliases already got or created in this transaction (it lives no longer than it)."""

    def __init__(self) -> None:
        self.outlets: dict[str, str] = {}  # name -> profile JSON as stored
        self.entities: set[str] = set()
        self.aliases: set[tuple[str, str]] = set()


def entity_id(name: str, kind: str) -> str:
    return hash_id("entity", name, kind)


def outlet_id(name: str) -> str:
    return hash_id("outlet", name)


def write_article(conn: sa.Connection, article: Article, statements: Sequence[Statement],
                  cache: BatchCache) -> int:
    """Insert one new article with its paragraphs, notes and statements; returns the statements written."""
    unique = list({st.id: st for st in statements}.values())
    outlet_profiles: dict[str, list[str] | None] = {}
    if article.outlet:
        outlet_profiles[article.outlet] = None
    for st in unique:
        for relay in st.relays:
            outlet_profiles[relay.outlet] = relay.profile or outlet_profiles.get(relay.outlet)
    ensure_outlets(conn, outlet_profiles, cache)
    conn.execute(sa.insert(schema.articles), [_article_row(article)])
    _insert(conn, schema.paragraphs, [
        {"article_id": article.id, "position": i, "span_start": p.start, "span_end": p.end, "section": p.section,
         "kind": p.kind} for i, p in enumerate(article.paragraphs)])
    _insert(conn, schema.editorial_notes, [
        {"article_id": article.id, "position": i, "span_start": n.start, "span_end": n.end, "text": n.text}
        for i, n in enumerate(article.notes)])
    _write_text_mentions(conn, article, cache)
    if unique:
        _write_statements(conn, article, unique, cache)
    return len(unique)


def _article_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id, "url": article.url, "title": article.title, "outlet": article.outlet or None,
        "published": article.published, "lang": article.lang, "text": article.text,
        "content_hash": article.content_hash, "source": article.source,
        "ingested_at": datetime.now(UTC).replace(tzinfo=None),
    }


def _write_statements(conn: sa.Connection, article: Article, unique: list[Statement], cache: BatchCache) -> None:
    ids = [st.id for st in unique]
    for chunk in _chunks(ids):
        conn.execute(sa.delete(schema.statements).where(schema.statements.c.id.in_(chunk)))
    mentions = [m for st in unique for m in _mentions(article.id, st)]
    ensure_entities(conn, [(m["name"], m["kind"]) for m in mentions], cache)
    ensure_aliases(conn, [(m["entity_id"], alias) for m in mentions for alias in (m["name"], m["text"]) if alias],
                   cache)
    _insert(conn, schema.statements, [statement_row(st, article.published) for st in unique])
    _insert(conn, schema.relays, [
        {"statement_id": st.id, "position": i, "outlet": r.outlet, "cue": r.cue}
        for st in unique for i, r in enumerate(st.relays)])
    _insert(conn, schema.statement_about, [
        {"statement_id": st.id, "position": i, "entity_id": entity_id(a.name, a.kind)}
        for st in unique for i, a in enumerate(st.about)])
    _insert(conn, schema.mentions, [
        {k: m[k] for k in ("article_id", "entity_id", "statement_id", "role", "text")} for m in mentions])


def _write_text_mentions(conn: sa.Connection, article: Article, cache: BatchCache) -> None:
    """The article's named entities (``Article.mentions``, filled by extract) with their spans."""
    found = article.mentions
    ensure_entities(conn, [(m.name, m.kind) for m in found], cache)
    ensure_aliases(conn, [(entity_id(m.name, m.kind), alias) for m in found for alias in (m.name, m.text)], cache)
    _insert(conn, schema.article_mentions, [
        {"article_id": article.id, "position": i, "entity_id": entity_id(m.name, m.kind), "span_start": m.start,
         "span_end": m.end, "text": m.text} for i, m in enumerate(found)])


def _mentions(article_id: str, st: Statement) -> list[dict[str, Any]]:
    found: list[tuple[str, str, str, str]] = []  # name, kind, role, text
    if st.speaker.name:
        found.append((st.speaker.name, st.speaker.kind, "speaker", st.speaker.mention or st.speaker.name))
    if st.addressee is not None:
        found.append((st.addressee.name, st.addressee.kind, "addressee", st.addressee.name))
    found.extend((a.name, a.kind, "about", a.name) for a in st.about)
    return [{"article_id": article_id, "entity_id": entity_id(name, kind), "statement_id": st.id, "role": role,
             "text": text, "name": name, "kind": kind} for name, kind, role, text in found]


def statement_row(st: Statement, published: date | None) -> dict[str, Any]:
    """The ``statements`` row of a statement of an article published on ``published`` (None when undated)."""
    said, exp = st.said_on, st.expectation
    content_span, cue_span, speaker_span = st.content_span, st.cue_span, st.speaker_span
    return {
        "id": st.id, "article_id": st.article_id,
        "speaker_name": st.speaker.name, "speaker_kind": st.speaker.kind, "speaker_mention": st.speaker.mention,
        "speaker_role": st.speaker.role,
        "speaker_entity_id": entity_id(st.speaker.name, st.speaker.kind) if st.speaker.name else None,
        "addressee_name": st.addressee.name if st.addressee else None,
        "addressee_kind": st.addressee.kind if st.addressee else None,
        "cue": st.cue, "mode": st.mode, "kind": st.kind, "content": st.content,
        "said_on_start": said.start if said else None, "said_on_end": said.end if said else None,
        "placed_on": said.start if said else published,
        "said_on_text": said.text if said else None, "said_on_granularity": said.granularity if said else None,
        "setting": st.setting,
        "expectation_what": exp.what if exp else None,
        "expectation_start": exp.due.start if exp else None, "expectation_end": exp.due.end if exp else None,
        "expectation_text": exp.due.text if exp else None,
        "expectation_granularity": exp.due.granularity if exp else None,
        "section": st.section, "span_start": st.span[0], "span_end": st.span[1],
        "content_start": content_span[0] if content_span else None,
        "content_end": content_span[1] if content_span else None,
        "cue_start": cue_span[0] if cue_span else None, "cue_end": cue_span[1] if cue_span else None,
        "speaker_start": speaker_span[0] if speaker_span else None,
        "speaker_end": speaker_span[1] if speaker_span else None,
        "ruleset": st.ruleset,
    }


def ensure_outlets(conn: sa.Connection, profiles: dict[str, list[str] | None], cache: BatchCache) -> None:
    """Get or create each outlet by name; a non-empty profile replaces a different stored one."""
    t = schema.outlets
    missing = [name for name in profiles if name not in cache.outlets]
    for chunk in _chunks(missing):
        query = sa.select(t.c.name, t.c.profile).where(t.c.name.in_(chunk))
        cache.outlets.update((name, profile) for name, profile in conn.execute(query))
    new_rows = []
    for name, profile in profiles.items():
        wanted = json.dumps(profile or [], ensure_ascii=False)
        if name not in cache.outlets:
            new_rows.append({"id": outlet_id(name), "name": name, "profile": wanted})
        elif profile and cache.outlets[name] != wanted:
            conn.execute(sa.update(t).where(t.c.name == name).values(profile=wanted))
        else:
            continue
        cache.outlets[name] = wanted
    _insert(conn, t, new_rows)


def ensure_entities(conn: sa.Connection, pairs: Iterable[tuple[str, str]], cache: BatchCache) -> None:
    """Get or create entities by ``(name, kind)``."""
    wanted = {entity_id(name, kind): (name, kind) for name, kind in pairs}
    unknown = [eid for eid in wanted if eid not in cache.entities]
    t = schema.entities
    for chunk in _chunks(unknown):
        cache.entities.update(conn.execute(sa.select(t.c.id).where(t.c.id.in_(chunk))).scalars())
    rows = [{"id": eid, "name": wanted[eid][0], "kind": wanted[eid][1]} for eid in unknown
            if eid not in cache.entities]
    _insert(conn, t, rows)
    cache.entities.update(wanted)


def ensure_aliases(conn: sa.Connection, pairs: Iterable[tuple[str, str]], cache: BatchCache) -> None:
    """Record each (entity id, alias) pair once."""
    wanted = {pair for pair in pairs if pair not in cache.aliases}
    t = schema.aliases
    for chunk in _chunks(sorted({eid for eid, _ in wanted})):
        query = sa.select(t.c.entity_id, t.c.alias).where(t.c.entity_id.in_(chunk))
        cache.aliases.update((eid, alias) for eid, alias in conn.execute(query))
    _insert(conn, t, [{"entity_id": eid, "alias": alias} for eid, alias in sorted(wanted - cache.aliases)])
    cache.aliases.update(wanted)


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(sa.insert(table), rows)


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]
