"""Actors out of the ledger as plain dicts: the list (``onrecord entities``) and one profile (``onrecord entity``).

A profile shows what every figure rests on: each name with the rule, score and evidence that linked it, the
gazetteer's dated roles beside the roles articles gave the actor (with the statements that say so and the first and
last day seen), statement counts as speaker (named, or described and linked by a dated role), as the subject of a
statement, and in article texts, and the outlets that published or relayed the actor's statements.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from ..ledger import schema
from ..registry import load_gazetteer
from . import names

ac, an, e_ = schema.actors, schema.actor_names, schema.entities
s, a = schema.statements, schema.articles
ROLE_STATEMENTS = 5000
SAMPLE = 5


def _counts(column: sa.ColumnElement[Any], query: sa.Select[Any], label: str) -> sa.Subquery:
    return query.add_columns(sa.func.count(sa.distinct(column)).label(label)).group_by(an.c.actor_id).subquery()


def list_actors(conn: sa.Connection, *, kind: str | None = None, search: str | None = None,
                limit: int | None = 50) -> list[dict[str, Any]]:
    """Actors with their counts, most quoted first: names, statements as speaker (named or described), statements
    about them, articles that mention them. ``search`` is a case-insensitive substring of the actor's name or of
    any of its names or aliases; ``kind`` is exact."""
    am, dl, about = schema.article_mentions, schema.descriptor_links, schema.statement_about
    base = sa.select(an.c.actor_id)
    spoken = _counts(s.c.id, base.join(s, s.c.speaker_entity_id == an.c.entity_id), "n")
    told = sa.select(dl.c.actor_id, sa.func.count().label("n")).group_by(dl.c.actor_id).subquery()
    subject = _counts(about.c.statement_id, base.join(about, about.c.entity_id == an.c.entity_id), "n")
    seen = _counts(am.c.article_id, base.join(am, am.c.entity_id == an.c.entity_id), "n")
    named = _counts(an.c.entity_id, base, "n")
    zero = sa.literal(0)
    speaker = sa.func.coalesce(spoken.c.n, zero) + sa.func.coalesce(told.c.n, zero)
    query = (sa.select(ac.c.id, ac.c.name, ac.c.kind, ac.c.source, sa.func.coalesce(named.c.n, zero).label("names"),
                       speaker.label("as_speaker"), sa.func.coalesce(subject.c.n, zero).label("about"),
                       sa.func.coalesce(seen.c.n, zero).label("articles"))
             .outerjoin(spoken, spoken.c.actor_id == ac.c.id).outerjoin(told, told.c.actor_id == ac.c.id)
             .outerjoin(subject, subject.c.actor_id == ac.c.id).outerjoin(seen, seen.c.actor_id == ac.c.id)
             .outerjoin(named, named.c.actor_id == ac.c.id))
    if kind:
        query = query.where(ac.c.kind == kind)
    if search:
        query = query.where(sa.or_(_contains(ac.c.name, search), ac.c.id.in_(_named_like(search))))
    query = query.order_by(speaker.desc(), sa.literal_column("articles").desc(), ac.c.name, ac.c.id).limit(limit)
    return [dict(r) for r in conn.execute(query).mappings()]


def _contains(column: sa.ColumnElement[Any], needle: str) -> sa.ColumnElement[bool]:
    return sa.func.lower(column).contains(needle.lower(), autoescape=True)


def _named_like(needle: str) -> sa.Select[Any]:
    al = schema.aliases
    by_alias = sa.select(al.c.entity_id).where(_contains(al.c.alias, needle))
    by_name = sa.select(e_.c.id).where(_contains(e_.c.name, needle))
    return sa.select(an.c.actor_id).where(sa.or_(an.c.entity_id.in_(by_name), an.c.entity_id.in_(by_alias)))


def actor_summary(conn: sa.Connection, actor_id: str) -> dict[str, Any] | None:
    """An actor's row, its names (entities, with the rule that linked each) and aliases; None for an unknown id.
    The cheap part of :func:`actor_profile`, for pages that show who an actor is but not its record."""
    row = conn.execute(sa.select(ac).where(ac.c.id == actor_id)).mappings().first()
    if row is None:
        return None
    members = _names(conn, actor_id)
    return {**dict(row), "names": members, "aliases": _aliases(conn, [m["entity_id"] for m in members], row)}


def actor_profile(conn: sa.Connection, actor_id: str) -> dict[str, Any] | None:
    """Everything the ledger knows about one actor, with the evidence for each part; None for an unknown id."""
    summary = actor_summary(conn, actor_id)
    if summary is None:
        return None
    entity_ids = [m["entity_id"] for m in summary["names"]]
    spoken = _spoken(conn, actor_id, entity_ids)
    return {
        **summary,
        "roles": _gazetteer_roles(summary) + _observed_roles(conn, entity_ids),
        "statements": {"as_speaker": len(spoken["named"]), "described": len(spoken["described"]),
                       "about": _count_about(conn, entity_ids), "articles": _count_articles(conn, entity_ids)},
        "outlets": _outlets(conn, spoken["named"] + spoken["described"]),
        "corrections": _corrections(conn, entity_ids),
    }


def _names(conn: sa.Connection, actor_id: str) -> list[dict[str, Any]]:
    query = (sa.select(e_.c.id.label("entity_id"), e_.c.name, e_.c.kind, an.c.rule, an.c.score, an.c.evidence)
             .join(an, an.c.entity_id == e_.c.id).where(an.c.actor_id == actor_id).order_by(e_.c.name, e_.c.kind))
    return [dict(r, evidence=json.loads(r["evidence"])) for r in conn.execute(query).mappings()]


def _aliases(conn: sa.Connection, entity_ids: Sequence[str], actor: Any) -> list[str]:
    """Every name written in an article for the actor's entities, and the gazetteer's aliases for its entry."""
    al = schema.aliases
    found = list(conn.execute(sa.select(al.c.alias).where(al.c.entity_id.in_(list(entity_ids)))).scalars())
    entry = load_gazetteer().get(actor["name"]) if actor["source"] == "gazetteer" else None
    if entry is not None:
        found.extend(entry.names())
    unique: dict[str, str] = {}
    for alias in found:
        unique.setdefault(names.normal(alias), alias.strip())
    return sorted(unique.values(), key=str.casefold)


def _gazetteer_roles(actor: Any) -> list[dict[str, Any]]:
    entry = load_gazetteer().get(actor["name"]) if actor["source"] == "gazetteer" else None
    if entry is None:
        return []
    return [{"role": r.role, "from": r.start, "to": r.end, "source": "gazetteer"} for r in entry.roles]


def _observed_roles(conn: sa.Connection, entity_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Roles articles gave the actor as a speaker ("Kremlin leader Vladimir Putin"), first and last day seen."""
    when = sa.func.coalesce(s.c.said_on_start, a.c.published)
    query = (sa.select(s.c.id, s.c.speaker_role, when.label("day")).join(a, a.c.id == s.c.article_id)
             .where(s.c.speaker_entity_id.in_(list(entity_ids)), s.c.speaker_role.is_not(None))
             .order_by(when, s.c.id).limit(ROLE_STATEMENTS))
    roles: dict[str, dict[str, Any]] = {}
    for sid, role, day in conn.execute(query):
        key = names.normal(role)
        found = roles.setdefault(key, {"role": role, "first_seen": None, "last_seen": None, "statements": 0,
                                       "evidence": [], "source": "articles"})
        found["statements"] += 1
        if len(found["evidence"]) < SAMPLE:
            found["evidence"].append(sid)
        if day is not None:
            iso = day.isoformat() if isinstance(day, date) else str(day)
            found["first_seen"] = found["first_seen"] or iso
            found["last_seen"] = iso
    return sorted(roles.values(), key=lambda r: -r["statements"])


def _spoken(conn: sa.Connection, actor_id: str, entity_ids: Sequence[str]) -> dict[str, list[str]]:
    named = conn.execute(sa.select(s.c.id).where(s.c.speaker_entity_id.in_(list(entity_ids)))).scalars()
    dl = schema.descriptor_links
    described = conn.execute(sa.select(dl.c.statement_id).where(dl.c.actor_id == actor_id)).scalars()
    return {"named": list(named), "described": list(described)}


def _count_about(conn: sa.Connection, entity_ids: Sequence[str]) -> int:
    about = schema.statement_about
    query = sa.select(sa.func.count(sa.distinct(about.c.statement_id))).where(about.c.entity_id.in_(list(entity_ids)))
    return int(conn.execute(query).scalar_one())


def _count_articles(conn: sa.Connection, entity_ids: Sequence[str]) -> int:
    am = schema.article_mentions
    query = sa.select(sa.func.count(sa.distinct(am.c.article_id))).where(am.c.entity_id.in_(list(entity_ids)))
    return int(conn.execute(query).scalar_one())


def _outlets(conn: sa.Connection, statement_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Outlets that published or relayed the actor's statements, with how many statements each."""
    published: Counter[str] = Counter()
    relayed: Counter[str] = Counter()
    r = schema.relays
    for start in range(0, len(statement_ids), 500):
        chunk = list(statement_ids[start:start + 500])
        query = sa.select(s.c.id, a.c.outlet).join(a, a.c.id == s.c.article_id).where(s.c.id.in_(chunk))
        published.update(outlet for _, outlet in conn.execute(query) if outlet)
        query = sa.select(r.c.statement_id, r.c.outlet).where(r.c.statement_id.in_(chunk)).distinct()
        relayed.update(outlet for _, outlet in conn.execute(query))
    outlets = sorted(set(published) | set(relayed))
    rows = [{"outlet": o, "published": published[o], "relayed": relayed[o]} for o in outlets]
    return sorted(rows, key=lambda x: (-(x["published"] + x["relayed"]), x["outlet"]))


def _corrections(conn: sa.Connection, entity_ids: Sequence[str]) -> list[dict[str, Any]]:
    ec = schema.entity_corrections
    ids = list(entity_ids)
    query = sa.select(ec).where(sa.or_(ec.c.entity_a.in_(ids), ec.c.entity_b.in_(ids))).order_by(ec.c.id)
    return [dict(r) for r in conn.execute(query).mappings()]
