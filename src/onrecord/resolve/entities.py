"""Cross-article entity resolution: every entity (one row per surface name and kind) is linked to an actor.

Rules (``onrecord.entities.v1``), tried in this order for each new entity; the first that decides wins and is
stored in ``actor_names`` with its score and evidence (JSON):

1. ``gazetteer`` — the name is a gazetteer name or alias (Zelenskyy, HUR, Kiev, RS-26) of a compatible kind;
   the actor is the gazetteer entry's (score 1.0; 0.9 when the NER gave another, confusable kind).
2. ``same-name`` — another entity has the same normal form ("The New York Times" / "New York Times") and a
   compatible kind.
3. ``org-suffix`` — an organisation's name without its legal suffix ("Apple Inc." / "Apple").
4. ``transliteration`` — the same transliteration fold and a rapidfuzz ratio of at least 85 ("Syrskyi" /
   "Syrsky").
5. ``acronym`` — an acronym and an organisation whose initials it spells, mentioned together in an article (the
   article makes the link: "United Auto Workers (UAW)"); ``short-name`` the same for a one-word organisation and
   a longer name that starts with it ("Ford Motor Company" … "Ford").
6. ``surname`` — a one-word person name and the only multi-word person with that last name; with several, the one
   whose articles share the most co-mentioned actors (``context``, at least 2 and strictly more than the next).
7. ``new`` — none of the above: the entity is an actor of its own (``actors.id`` = the entity id).

Candidates come from ``entity_keys`` (indexed), never from a scan. A later multi-word person or organisation
revisits the one-word names and acronyms that key to it, so the order of ingestion does not matter for them.
User corrections (``entity_corrections``) are re-applied after every update; a split also forbids the rules to
link the two again. Role descriptors of speakers are linked in ``resolve.entity_roles``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..errors import OnrecordError
from ..ledger import schema
from ..records import hash_id
from ..registry import Gazetteer, load_gazetteer
from . import entity_roles, names
from .corrections import apply_corrections, forbidden_actors

log = logging.getLogger(__name__)

RESOLVER = "onrecord.entities.v1"
CHUNK = 500
CANDIDATE_LIMIT = 200
CONTEXT_ARTICLES = 30
CONTEXT_MIN = 2
#: Gazetteer entry kinds → the entity kinds of ``records`` (what the extractor writes).
GAZ_KIND = {"military": "organization", "intelligence": "organization", "state_body": "organization",
            "country": "country", "person": "person", "place": "place", "weapon": "weapon"}
RULES = ("gazetteer", "same-name", "org-suffix", "transliteration", "acronym", "short-name", "surname")
#: Key prefixes of the longer name in a (short, long) pair: the short name is revisited when a long one comes.
LONG = {"l": "s", "i": "a", "f": "w"}

e_, an, ek, ac = schema.entities, schema.actor_names, schema.entity_keys, schema.actors


class EntityError(OnrecordError):
    """A name that names no actor, or several, or a correction that cannot be made."""


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    kind: str


@dataclass(slots=True)
class Link:
    """Why an entity belongs to an actor; ``actor_id`` None means a new actor of its own."""

    actor_id: str | None
    rule: str
    score: float
    evidence: dict[str, Any] = field(default_factory=dict)
    actor: dict[str, str] | None = None  # a gazetteer actor row to create when missing


def gazetteer_actor_id(entry_name: str) -> str:
    """The stable id of a gazetteer entry's actor."""
    return hash_id("actor", "gazetteer", entry_name)


# --- the incremental step ----------------------------------------------------------------------------------------
def update(conn: sa.Connection, article_ids: Sequence[str]) -> None:
    """Resolve the entities first seen in these articles, link their described speakers, re-apply corrections."""
    ids = entities_of_articles(conn, article_ids)
    Resolver(conn).resolve(ids)
    entity_roles.link_descriptors(conn, article_ids)
    apply_corrections(conn)


def rebuild(conn: sa.Connection) -> None:
    """Resolve every entity from scratch, in the order articles were ingested; corrections are kept and re-applied."""
    for table in (schema.descriptor_links, an, ek, ac):
        conn.execute(sa.delete(table))
    a = schema.articles
    ids = list(conn.execute(sa.select(a.c.id).order_by(a.c.ingested_at, a.c.id)).scalars())
    for start in range(0, len(ids), CHUNK):
        update(conn, ids[start:start + CHUNK])
    orphans = sa.select(e_.c.id).where(~e_.c.id.in_(sa.select(an.c.entity_id)))
    Resolver(conn).resolve(list(conn.execute(orphans).scalars()))
    apply_corrections(conn)


def entities_of_articles(conn: sa.Connection, article_ids: Sequence[str]) -> list[str]:
    """Entity ids mentioned in these articles (article text, speakers, addressees, about), first seen first."""
    am, m = schema.article_mentions, schema.mentions
    found: dict[str, None] = {}
    for chunk in _chunks(list(article_ids)):
        for table in (am, m):
            query = sa.select(table.c.entity_id).where(table.c.article_id.in_(chunk))
            found.update(dict.fromkeys(conn.execute(query).scalars()))
    return list(found)


class Resolver:
    """Links new entities to actors on one connection, with the gazetteer loaded once."""

    def __init__(self, conn: sa.Connection, gazetteer: Gazetteer | None = None) -> None:
        self.conn = conn
        self.gaz = gazetteer or load_gazetteer()
        self._split: set[str] | None = None

    def banned(self, entity_id: str) -> set[str]:
        """:func:`forbidden_actors` of ``entity_id``, asked only for entities a user split (the split corrections
        are read once: no correction is made while a resolver decides)."""
        if self._split is None:
            ec = schema.entity_corrections
            rows = self.conn.execute(sa.select(ec.c.entity_a, ec.c.entity_b).where(ec.c.action == "split"))
            self._split = {e for row in rows for e in row}
        return forbidden_actors(self.conn, entity_id) if entity_id in self._split else set()

    def resolve(self, entity_ids: Iterable[str]) -> int:
        """Link every entity of ``entity_ids`` that has no actor yet; returns how many were linked."""
        new = self._unresolved(list(entity_ids))
        new.sort(key=lambda e: (len(names.person_words(e.name)) == 1, -len(e.name), e.id))
        revisit: set[str] = set()
        for entity in new:
            entity_keys = names.keys(entity.name, entity.kind)
            _insert(self.conn, ek, [{"key": k, "entity_id": entity.id} for k in entity_keys])
            self._assign(entity, self.decide(entity, entity_keys))
            revisit.update(k for k in entity_keys if k[0] in LONG)
        self._revisit(revisit, {e.id for e in new})
        return len(new)

    def _unresolved(self, ids: list[str]) -> list[Entity]:
        found: list[Entity] = []
        for chunk in _chunks(ids):
            query = (sa.select(e_.c.id, e_.c.name, e_.c.kind).outerjoin(an, an.c.entity_id == e_.c.id)
                     .where(e_.c.id.in_(chunk), an.c.entity_id.is_(None)))
            found.extend(Entity(*row) for row in self.conn.execute(query))
        return found

    # --- deciding ------------------------------------------------------------------------------------------------
    def decide(self, entity: Entity, entity_keys: Sequence[str], *, reverse: bool = False) -> Link:
        """The link the rules give ``entity``; ``reverse`` also looks for longer names that key to a short one."""
        banned = self.banned(entity.id)
        link = self._by_gazetteer(entity)
        if link is not None and link.actor_id not in banned:
            return link
        candidates = self._candidates(entity, entity_keys, reverse)
        for rule in RULES[1:]:
            found = [c for c in candidates if c["rule"] == rule and c["actor_id"] not in banned]
            link = self._decide_rule(entity, rule, found)
            if link is not None:
                return link
        return Link(None, "new", 1.0, {"name": entity.name})

    def _by_gazetteer(self, entity: Entity) -> Link | None:
        entry = self.gaz.lookup(entity.name)
        if entry is None:
            return None
        kind = GAZ_KIND.get(entry.kind, entry.kind)
        if not names.compatible(kind, entity.kind):
            return None
        actor = {"id": gazetteer_actor_id(entry.name), "name": entry.name, "kind": kind, "source": "gazetteer"}
        return Link(actor["id"], "gazetteer", 1.0 if kind == entity.kind else 0.9,
                    {"alias": entity.name, "entry": entry.name, "gazetteer": self.gaz.version}, actor)

    def _candidates(self, entity: Entity, entity_keys: Sequence[str], reverse: bool) -> list[dict[str, Any]]:
        """Entities that share a lookup key with ``entity``, with their actor and the rule the key stands for."""
        wanted: dict[str, str] = {}
        for key in entity_keys:
            prefix, value = key.split(":", 1)
            if prefix in LONG and not reverse:
                continue  # a longer name does not join a short one; the short one is revisited instead
            target, rule = names.LOOKUPS[prefix]
            wanted[f"{target}:{value}"] = rule
        if not wanted:
            return []
        query = (sa.select(ek.c.key, e_.c.id, e_.c.name, e_.c.kind, an.c.actor_id)
                 .join(e_, e_.c.id == ek.c.entity_id).join(an, an.c.entity_id == e_.c.id)
                 .where(ek.c.key.in_(list(wanted)), e_.c.id != entity.id).limit(CANDIDATE_LIMIT))
        return [{"rule": wanted[row.key], "entity_id": row.id, "name": row.name, "kind": row.kind,
                 "actor_id": row.actor_id} for row in self.conn.execute(query)]

    def _decide_rule(self, entity: Entity, rule: str, found: list[dict[str, Any]]) -> Link | None:
        if rule in ("same-name", "org-suffix"):
            found = [c for c in found if names.compatible(c["kind"], entity.kind)]
            if rule == "org-suffix":
                found = [c for c in found if c["kind"] in names.ORG_KINDS and entity.kind in names.ORG_KINDS]
            return _best(found, rule, lambda c: 1.0 if c["kind"] == entity.kind else 0.95)
        if rule == "transliteration":
            scored = [dict(c, score=names.transliteration_match(entity.name, c["name"])) for c in found
                      if names.compatible(c["kind"], entity.kind)]
            return _best([c for c in scored if c["score"] is not None], rule, lambda c: float(c["score"]))
        if rule in ("acronym", "short-name"):
            return self._together(entity, rule, [c for c in found if c["kind"] in names.ORG_KINDS])
        if rule == "surname":
            return self._by_surname(entity, found)
        return None

    def _together(self, entity: Entity, rule: str, found: list[dict[str, Any]]) -> Link | None:
        """Link an acronym or a short name to a longer name only where an article mentions both."""
        together = []
        for cand in found:
            shared = shared_articles(self.conn, entity.id, cand["entity_id"])
            if shared:
                together.append(dict(cand, articles=shared))
        if len({c["actor_id"] for c in together}) != 1:
            return None
        cand = together[0]
        return Link(cand["actor_id"], rule, 1.0, {"matched": cand["name"], "entity_ids": [cand["entity_id"]],
                                                       "article_ids": cand["articles"]})

    def _by_surname(self, entity: Entity, found: list[dict[str, Any]]) -> Link | None:
        """A one-word person name → the multi-word person with that last name; by context when several."""
        if entity.kind != "person":
            return None
        found = [c for c in found if c["kind"] == "person" and (names.is_surname_of(entity.name, c["name"])
                                                                or names.is_surname_of(c["name"], entity.name))]
        actors = sorted({c["actor_id"] for c in found})
        if len(actors) == 1:
            ids = [c["entity_id"] for c in found]
            return Link(actors[0], "surname", 1.0, {"matched": found[0]["name"], "entity_ids": ids, "candidates": 1})
        if len(actors) > 1:
            return self._by_context(entity, actors, found)
        return None

    def _by_context(self, entity: Entity, actors: list[str], found: list[dict[str, Any]]) -> Link | None:
        """Among several actors, the one whose articles share the most co-mentioned actors with the entity's."""
        own = co_mentioned_actors(self.conn, [entity.id])
        scores = []
        for actor in actors:
            members = [c["entity_id"] for c in found if c["actor_id"] == actor]
            shared = own & co_mentioned_actors(self.conn, members)
            scores.append((len(shared), actor, sorted(shared)))
        scores.sort(key=lambda s: (-s[0], s[1]))
        best, runner = scores[0], scores[1]
        if best[0] < CONTEXT_MIN or best[0] == runner[0]:
            return None
        return Link(best[1], "context", round(best[0] / max(len(own), 1), 3),
                    {"shared_actors": best[2][:20], "candidates": len(actors), "next_best": runner[0]})

    # --- writing -------------------------------------------------------------------------------------------------
    def _assign(self, entity: Entity, link: Link) -> None:
        actor_id = link.actor_id or entity.id
        if link.actor_id is None:
            ensure_actor(self.conn, {"id": entity.id, "name": entity.name, "kind": entity.kind, "source": "ledger"})
        elif link.actor is not None:
            ensure_actor(self.conn, link.actor)
        elif link.rule in ("org-suffix", "short-name"):  # "Apple" names the actor rather than "Apple Inc."
            self.conn.execute(sa.update(ac).where(ac.c.id == actor_id, ac.c.source == "ledger",
                                                  sa.func.length(ac.c.name) > len(entity.name))
                              .values(name=entity.name))
        self.conn.execute(sa.insert(an), [_name_row(entity.id, actor_id, link)])

    def _revisit(self, keys: set[str], skip: set[str]) -> None:
        """Re-decide the one-word names and acronyms (own actors or surname links) that key to new longer names."""
        reverse = [f"{LONG[k[0]]}:{k.split(':', 1)[1]}" for k in keys]
        for chunk in _chunks(sorted(reverse)):
            query = (sa.select(e_.c.id, e_.c.name, e_.c.kind).join(ek, ek.c.entity_id == e_.c.id)
                     .join(an, an.c.entity_id == e_.c.id)
                     .where(ek.c.key.in_(chunk), an.c.rule.in_(("new", "surname", "context", "acronym", "short-name")))
                     .limit(CANDIDATE_LIMIT))
            for row in list(self.conn.execute(query)):
                if row.id not in skip:
                    entity = Entity(row.id, row.name, row.kind)
                    relink(self.conn, entity, self.decide(entity, names.keys(entity.name, entity.kind), reverse=True))


def _best(found: list[dict[str, Any]], rule: str, score: Any) -> Link | None:
    """The best-scoring candidate's actor (ties: the smallest actor id), with every candidate as evidence."""
    if not found:
        return None
    ranked = sorted(found, key=lambda c: (-score(c), c["actor_id"]))
    top = ranked[0]
    ids = [c["entity_id"] for c in ranked if c["actor_id"] == top["actor_id"]][:20]
    return Link(top["actor_id"], rule, round(score(top), 3), {"matched": top["name"], "entity_ids": ids})


def _name_row(entity_id: str, actor_id: str, link: Link) -> dict[str, Any]:
    return {"entity_id": entity_id, "actor_id": actor_id, "rule": link.rule, "score": link.score,
            "evidence": json.dumps(link.evidence, ensure_ascii=False, sort_keys=True), "resolver": RESOLVER}


def ensure_actor(conn: sa.Connection, actor: dict[str, str]) -> None:
    """Create the actor row when it is missing."""
    if conn.execute(sa.select(ac.c.id).where(ac.c.id == actor["id"])).first() is None:
        conn.execute(sa.insert(ac), [actor])


def relink(conn: sa.Connection, entity: Entity, link: Link) -> None:
    """Move an entity to the actor ``link`` names; an actor anchored on the entity moves with all its names."""
    current = conn.execute(sa.select(an.c.actor_id).where(an.c.entity_id == entity.id)).scalar_one()
    target = link.actor_id or entity.id
    if target == current:
        return
    if link.actor_id is None:
        ensure_actor(conn, {"id": entity.id, "name": entity.name, "kind": entity.kind, "source": "ledger"})
    elif link.actor is not None:
        ensure_actor(conn, link.actor)
    if current == entity.id:
        move_actor(conn, current, target)
    conn.execute(sa.update(an).where(an.c.entity_id == entity.id).values(**_name_row(entity.id, target, link)))


def move_actor(conn: sa.Connection, old: str, new: str) -> None:
    """Every name and described speaker of actor ``old`` goes to ``new``; ``old`` is deleted."""
    conn.execute(sa.update(an).where(an.c.actor_id == old).values(actor_id=new))
    conn.execute(sa.update(schema.descriptor_links).where(schema.descriptor_links.c.actor_id == old)
                 .values(actor_id=new))
    conn.execute(sa.delete(ac).where(ac.c.id == old))


# --- look-ups other parts use ------------------------------------------------------------------------------------
def actor_ids(conn: sa.Connection, entity_ids: Sequence[str]) -> dict[str, str]:
    """entity id → actor id for each id given (an unresolved entity is its own actor)."""
    found = {eid: eid for eid in entity_ids}
    for chunk in _chunks(list(dict.fromkeys(entity_ids))):
        found.update(conn.execute(sa.select(an.c.entity_id, an.c.actor_id).where(an.c.entity_id.in_(chunk))).all())
    return found


def find_actors(conn: sa.Connection, name: str) -> list[dict[str, Any]]:
    """Actors whose id is ``name``, or whose name, an entity name or an alias has ``name``'s normal form."""
    norm = names.normal(name)
    ids: dict[str, None] = {}
    ids.update(dict.fromkeys(conn.execute(sa.select(ac.c.id).where(ac.c.id == name.strip())).scalars()))
    by_key = sa.select(an.c.actor_id).join(ek, ek.c.entity_id == an.c.entity_id).where(ek.c.key == f"n:{norm}")
    ids.update(dict.fromkeys(conn.execute(by_key).scalars()))
    al = schema.aliases
    by_alias = (sa.select(an.c.actor_id).join(al, al.c.entity_id == an.c.entity_id)
                .where(sa.func.lower(al.c.alias) == name.strip().lower()))
    ids.update(dict.fromkeys(conn.execute(by_alias).scalars()))
    entry = load_gazetteer().lookup(name)
    if entry is not None:
        ids[gazetteer_actor_id(entry.name)] = None
    rows = conn.execute(sa.select(ac).where(ac.c.id.in_(list(ids)))).mappings().all() if ids else []
    return sorted((dict(r) for r in rows), key=lambda r: (r["source"] != "gazetteer", r["name"], r["id"]))


def one_actor(conn: sa.Connection, name: str) -> dict[str, Any]:
    """The one actor ``name`` names, or an EntityError saying there is none or listing the several."""
    found = find_actors(conn, name)
    if not found:
        raise EntityError(f"no entity named {name!r} in the ledger; try `onrecord entities --search`")
    if len(found) > 1:
        listed = "; ".join(f"{a['id']} ({a['name']}, {a['kind']})" for a in found[:6])
        raise EntityError(f"{name!r} names {len(found)} actors: {listed}; pass an actor id instead")
    return found[0]


def shared_articles(conn: sa.Connection, entity_a: str, entity_b: str, limit: int = 5) -> list[str]:
    """Articles whose text mentions both entities: the first ``limit`` by id.

    The articles of the entity with fewer mentions are read in id order from
    ``ix_article_mentions_entity_id_article_id`` (migration m012), each checked against the other entity by key,
    stopping at ``limit``: a new name against "Ukraine" reads the new name's one or two articles, never the
    100k articles of "Ukraine" (the intersection of both lists that this replaced)."""
    am, other = schema.article_mentions, schema.article_mentions.alias("other")
    walk, check = sorted((entity_a, entity_b), key=lambda e: (_mentions_up_to(conn, e, MENTION_CAP), e))
    both = sa.select(other.c.article_id).where(other.c.entity_id == check, other.c.article_id == am.c.article_id)
    query = (sa.select(am.c.article_id).where(am.c.entity_id == walk, both.exists())
             .distinct().order_by(am.c.article_id).limit(limit))
    return list(conn.execute(query).scalars())


#: Mentions counted per entity (at most) to choose which of two entities' articles to walk.
MENTION_CAP = 1000


def _mentions_up_to(conn: sa.Connection, entity_id: str, cap: int) -> int:
    """How many mentions ``entity_id`` has, counted up to ``cap`` (an index range that stops there)."""
    am = schema.article_mentions
    capped = sa.select(am.c.article_id).where(am.c.entity_id == entity_id).limit(cap).subquery()
    return int(conn.execute(sa.select(sa.func.count()).select_from(capped)).scalar_one())


def co_mentioned_actors(conn: sa.Connection, entity_ids: Sequence[str]) -> set[str]:
    """Actors mentioned in the (latest ``CONTEXT_ARTICLES``) articles that mention these entities."""
    am = schema.article_mentions
    articles = (sa.select(am.c.article_id).where(am.c.entity_id.in_(list(entity_ids))).distinct()
                .order_by(am.c.article_id.desc()).limit(CONTEXT_ARTICLES))
    query = (sa.select(sa.func.coalesce(an.c.actor_id, am.c.entity_id)).select_from(am)
             .outerjoin(an, an.c.entity_id == am.c.entity_id)
             .where(am.c.article_id.in_(articles.scalar_subquery()), am.c.entity_id.notin_(list(entity_ids)))
             .distinct())
    return set(conn.execute(query).scalars())


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(sa.insert(table).prefix_with("OR IGNORE", dialect="sqlite"), rows)


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


# --- a user's corrections, by name -------------------------------------------------------------------------------
def merge(conn: sa.Connection, name_a: str, name_b: str) -> dict[str, Any]:
    """Merge the actors ``name_a`` and ``name_b`` name (names, aliases or actor ids); returns the merged actor."""
    from . import corrections

    actor_a, actor_b = one_actor(conn, name_a), one_actor(conn, name_b)
    if actor_a["id"] == actor_b["id"]:
        raise EntityError(f"{name_a!r} and {name_b!r} are already one actor ({actor_a['id']}, {actor_a['name']})")
    first, second = _named_member(conn, actor_a, name_a), _named_member(conn, actor_b, name_b)
    corrections.record(conn, "merge", first[0], second[0])
    return one_actor(conn, actor_ids(conn, [first[0]["id"]])[first[0]["id"]])


def split(conn: sa.Connection, name_a: str, name_b: str) -> list[dict[str, Any]]:
    """Split the name ``name_b`` off the actor ``name_a`` names; returns the two actors after the split."""
    from . import corrections

    actor = one_actor(conn, name_a)
    members = _members(conn, actor["id"])
    leaving = [m for m in members if _same(m["name"], name_b) or m["id"] == name_b.strip()]
    if not leaving:
        listed = ", ".join(sorted({m["name"] for m in members})[:10])
        raise EntityError(f"{name_b!r} is not a name of {actor['name']!r} ({actor['id']}); its names: {listed}")
    staying = [m for m in _named_member(conn, actor, name_a) if m not in leaving] or \
              [m for m in members if m not in leaving]
    if not staying:
        raise EntityError(f"{name_b!r} is every name of {actor['name']!r}: nothing would be left to split from")
    for entity in leaving:
        corrections.record(conn, "split", staying[0], entity)
    ids = actor_ids(conn, [staying[0]["id"], leaving[0]["id"]])
    return [one_actor(conn, ids[staying[0]["id"]]), one_actor(conn, ids[leaving[0]["id"]])]


def _members(conn: sa.Connection, actor_id: str) -> list[dict[str, Any]]:
    query = (sa.select(e_.c.id, e_.c.name, e_.c.kind).join(an, an.c.entity_id == e_.c.id)
             .where(an.c.actor_id == actor_id).order_by(e_.c.name, e_.c.kind, e_.c.id))
    return [dict(r) for r in conn.execute(query).mappings()]


def _same(name_a: str, name_b: str) -> bool:
    return names.normal(name_a) == names.normal(name_b)


def _named_member(conn: sa.Connection, actor: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The actor's entities that ``name`` names; else those named like the actor; else all of them."""
    members = _members(conn, actor["id"])
    if not members:
        raise EntityError(f"actor {actor['name']!r} ({actor['id']}) has no names in this ledger")
    return ([m for m in members if _same(m["name"], name)] or [m for m in members if _same(m["name"], actor["name"])]
            or members)
