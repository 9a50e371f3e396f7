"""Disputes: statements by different speakers about the same event whose values for one slot disagree, or a
denial of what another speaker claimed.

Rules (versioned in ``RULES``), all over stored statements, each flag explained by the rule, the slot, the values
and the shared-event evidence:

- ``weapon``: one strike missile per statement (``slots.weapon_values``), different and incompatible (a class
  conflict such as ICBM vs intermediate-range, or two named systems no gazetteer relation links); "based on"
  in the gazetteer and broader classes make accounts compatible — not flagged.
- ``count`` / ``casualties``: the same unit and predicate ("people|killed") with ranges that do not overlap.
- ``claim``: a denial (kind "denial", or cue deny/refute, or reject/dismiss of "the claims that …") whose denied
  words cover most of another speaker's claim (stemmed content terms, ``slots.claim_terms``).

The same event: for weapon and counts a shared place (an entity of kind ``place`` both statements are about) or
the same storyline (``story_articles``), within ``WINDOWS`` days; for claims a shared entity (or the denier being
what the claim is about) within 14 days. The two speakers must be different actors (``actor_names``, else the
entity). Pairs that disagree on one slot are linked into one dispute (a connected group of statements); its
accounts are grouped by normalised value. ``update`` is incremental: every candidate query starts from the date
window (index ``ix_statements_placed_on_id``), which holds a bounded number of statements whatever the size of the
ledger, and only then narrows by slot, place, entity or story (primary-key look-ups); starting from an entity or a
slot instead would read all of its statements, a number that grows with the ledger ("Ukraine", "count").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from ..ledger import schema
from . import slots as sl
from .dispute_store import Link, record_link

RULES = {"weapon": "onrecord.disputes.weapon.v1", "count": "onrecord.disputes.count.v1",
         "casualties": "onrecord.disputes.count.v1", "claim": "onrecord.disputes.denial.v1"}
WINDOWS = {"weapon": 3, "count": 1, "casualties": 1, "claim": 14}
VALUE_SLOTS = ("weapon", "count", "casualties")
DENY_CUES = {"deny", "refute"}
REJECT_CUES = {"reject", "dismiss"}
CLAIM_KINDS = ("assertion", "announcement", "confirmation", "prediction")
MIN_COVER = 0.6
_REJECTED = re.compile(r"^(?:the |these |those |such |any )?(?:accusations?|claims?|allegations?|suggestions?|"
                       r"reports?|assertions?|assessments?)\s+(?:that\s+|of\s+)?(?P<rest>.+)$", re.I | re.S)
_NEGATED = re.compile(r"\b(not|no|never|n't|deni(?:ed|es)|deny|reject(?:ed|s)?|false|untrue)\b", re.I)
_UPDATE = re.compile(r"\b(rose|risen|climbed|increased|now stands?|updated)\b", re.I)

#: What makes a statement a denial candidate, as SQL: the condition of the partial index
#: ``ix_statements_denials_placed_on`` (migration m012) word for word, which is what lets the database use it.
DENIAL_SQL = "kind = 'denial' OR cue IN ('deny', 'dismiss', 'refute', 'reject')"
IS_DENIAL = sa.text(f"({DENIAL_SQL})")

s, a, about = schema.statements, schema.articles, schema.statement_about
#: The day a statement is placed on: said_on start, else its article's publication date (stored and indexed,
#: migration m007_placed_on).
WHEN = s.c.placed_on


@dataclass(slots=True)
class Info:
    """What the rules need of one statement."""

    id: str
    article_id: str
    speaker: str | None
    actor: str | None
    on: date | None
    kind: str
    cue: str
    content: str
    offset: int
    about: dict[str, str] = field(default_factory=dict)  # actor id → name
    places: set[str] = field(default_factory=set)  # actor ids of places
    stories: set[str] = field(default_factory=set)
    values: list[sl.SlotValue] = field(default_factory=list)


# --- the incremental step ---------------------------------------------------------------------------------------
def update(conn: sa.Connection, article_ids: Sequence[str]) -> None:
    """Read slot values of the statements of these (new) articles and link them into disputes with stored ones."""
    ids = list(conn.execute(sa.select(s.c.id).where(s.c.article_id.in_(list(article_ids)))).scalars())
    if not ids:
        return
    write_slots(conn, ids)
    new = load(conn, ids)
    wanted: dict[str, set[str]] = {i.id: _candidates(conn, i) for i in new.values()}
    for claim, denials in _denials_near(conn, list(new.values())).items():
        wanted[claim] |= denials - {claim}
    others = load(conn, sorted({c for cs in wanted.values() for c in cs} - set(new)))
    known = {**others, **new}
    for sid, candidates in wanted.items():
        for cid in sorted(candidates):
            for link in compare(known[sid], known[cid]):
                record_link(conn, link)


def rebuild(conn: sa.Connection) -> None:
    """Drop every slot value and dispute and find them again over the whole ledger (a from-scratch pass)."""
    for table in (schema.dispute_about, schema.dispute_links, schema.dispute_accounts, schema.disputes,
                  schema.statement_slots):
        conn.execute(table.delete())
    articles = list(conn.execute(sa.select(a.c.id).order_by(a.c.published, a.c.id)).scalars())
    for start in range(0, len(articles), 200):
        update(conn, articles[start:start + 200])


def write_slots(conn: sa.Connection, ids: Sequence[str]) -> None:
    """Store the slot values of these statements (replacing earlier ones), offsets into the article text."""
    rows = []
    for sid, content, start in conn.execute(sa.select(s.c.id, s.c.content, s.c.content_start).where(s.c.id.in_(ids))):
        for position, value in enumerate(sl.statement_values(content)):
            base = start if start is not None else None
            rows.append({"statement_id": sid, "position": position, "slot": value.slot, "value": value.value,
                         "norm": value.norm + ("" if value.singular else "|plural"),
                         "span_start": None if base is None else base + value.start,
                         "span_end": None if base is None else base + value.end, "rule": sl.RULE})
    conn.execute(schema.statement_slots.delete().where(schema.statement_slots.c.statement_id.in_(ids)))
    if rows:
        conn.execute(schema.statement_slots.insert(), rows)


# --- loading ----------------------------------------------------------------------------------------------------
def _has(conn: sa.Connection, table: str) -> bool:
    """Whether the ledger has a table of another part (``actor_names``, ``story_articles``). Read once per
    database connection (``conn.info``): those tables come with migrations, which run before any update."""
    tables = conn.info.get("onrecord.tables")
    if tables is None:
        tables = conn.info["onrecord.tables"] = frozenset(sa.inspect(conn).get_table_names())
    return table in tables


def actors_of(conn: sa.Connection, entity_ids: set[str]) -> dict[str, str]:
    """entity id → actor id (``actor_names`` when the entities part has run; else the entity is its own actor)."""
    found = {e: e for e in entity_ids}
    if entity_ids and _has(conn, "actor_names"):
        query = sa.text("SELECT entity_id, actor_id FROM actor_names WHERE entity_id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True))
        found.update({row[0]: row[1] for row in conn.execute(query, {"ids": sorted(entity_ids)})})
    return found


def load(conn: sa.Connection, ids: Sequence[str]) -> dict[str, Info]:
    """Infos of these statements: speaker actor, date, about actors and places, stories, slot values."""
    infos: dict[str, Info] = {}
    if not ids:
        return infos
    query = (sa.select(s.c.id, s.c.article_id, s.c.speaker_name, s.c.speaker_entity_id, WHEN.label("on"), s.c.kind,
                       s.c.cue, s.c.content, s.c.content_start).where(s.c.id.in_(list(ids))))
    rows = list(conn.execute(query))
    e = schema.entities
    about_rows = list(conn.execute(sa.select(about.c.statement_id, e.c.id, e.c.name, e.c.kind)
                                   .join(e, e.c.id == about.c.entity_id).where(about.c.statement_id.in_(list(ids)))))
    actors = actors_of(conn, {r.speaker_entity_id for r in rows if r.speaker_entity_id} | {r[1] for r in about_rows})
    for r in rows:
        actor = actors[r.speaker_entity_id] if r.speaker_entity_id else _named(r.speaker_name)
        infos[r.id] = Info(r.id, r.article_id, r.speaker_name, actor,
                           _day(r.on), r.kind, r.cue, r.content, r.content_start or 0)
    for sid, eid, name, kind in about_rows:
        infos[sid].about[actors[eid]] = name
        if kind == "place":
            infos[sid].places.add(actors[eid])
    _load_values(conn, infos)
    _load_stories(conn, infos)
    return infos


def _named(name: str | None) -> str | None:
    """A speaker with a name but no entity is its own actor, by name; one with no name is unknown."""
    return f"name:{name.casefold()}" if name else None


def _day(value: date | str | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _load_values(conn: sa.Connection, infos: dict[str, Info]) -> None:
    ss = schema.statement_slots
    query = sa.select(ss).where(ss.c.statement_id.in_(list(infos))).order_by(ss.c.statement_id, ss.c.position)
    for row in conn.execute(query):
        norm, plural = (row.norm[:-7], True) if row.norm.endswith("|plural") else (row.norm, False)
        start = (row.span_start or 0) - infos[row.statement_id].offset
        infos[row.statement_id].values.append(sl.SlotValue(row.slot, row.value, norm, start,
                                                           start + len(row.value), not plural))


def _load_stories(conn: sa.Connection, infos: dict[str, Info]) -> None:
    if not _has(conn, "story_articles"):
        return
    by_article: dict[str, list[Info]] = {}
    for info in infos.values():
        by_article.setdefault(info.article_id, []).append(info)
    query = sa.text("SELECT article_id, story_id FROM story_articles WHERE article_id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True))
    for article_id, story_id in conn.execute(query, {"ids": sorted(by_article)}):
        for info in by_article[article_id]:
            info.stories.add(story_id)


# --- candidates -------------------------------------------------------------------------------------------------
def _entities_of(conn: sa.Connection, actor_ids: set[str]) -> list[str]:
    """Every entity id of these actors (the actors themselves when unresolved)."""
    found = set(actor_ids)
    if actor_ids and _has(conn, "actor_names"):
        query = sa.text("SELECT entity_id FROM actor_names WHERE actor_id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True))
        found.update(conn.execute(query, {"ids": sorted(actor_ids)}).scalars())
    return sorted(found)


def _in_window(info: Info, days: int) -> sa.ColumnElement[bool]:
    assert info.on is not None
    return WHEN.between(info.on - timedelta(days=days), info.on + timedelta(days=days))


def _window(conn: sa.Connection, info: Info, days: int, *where: sa.ColumnElement[bool]) -> list[Any]:
    """The other statements placed within ``days`` of ``info`` (id, article, speaker entity, kind), read through the
    date index. ``where`` holds only conditions that no index serves better than the date (``EXISTS`` on a child
    table's key, ``IS NOT NULL``): the planner must not start from a slot, a kind or an entity."""
    query = (sa.select(s.c.id, s.c.article_id, s.c.speaker_entity_id, s.c.kind)
             .where(_in_window(info, days), s.c.id != info.id, *where))
    return list(conn.execute(query))


def _has_slot(slot: str) -> sa.ColumnElement[bool]:
    """The statement has a value for ``slot`` (index ``ix_statement_slots_statement_id_slot``)."""
    ss = schema.statement_slots
    return sa.exists().where(ss.c.statement_id == s.c.id, ss.c.slot == slot)


def _about_any(conn: sa.Connection, ids: Sequence[str], entities: Sequence[str]) -> set[str]:
    """Those of the statements ``ids`` about one of ``entities``: their ``statement_about`` rows by primary key,
    filtered here (a condition on the entity would let the planner read every statement about it)."""
    wanted, found = set(entities), set[str]()
    for start in range(0, len(ids), 500):
        query = sa.select(about.c.statement_id, about.c.entity_id).where(about.c.statement_id.in_(ids[start:start + 500]))
        found.update(sid for sid, eid in conn.execute(query) if eid in wanted)
    return found


def _candidates(conn: sa.Connection, info: Info) -> set[str]:
    """Ids of stored statements that may dispute ``info``: the date window, then slot, shared place or story."""
    if info.on is None or info.actor is None:
        return set()
    found: set[str] = set()
    for slot in sorted({v.slot for v in info.values}):
        rows = _window(conn, info, WINDOWS[slot], _has_slot(slot))
        if info.places and rows:
            found.update(_about_any(conn, [r.id for r in rows], _entities_of(conn, info.places)))
        found.update(_story_candidates(conn, info, rows))
    if denied_text(info) is not None:
        found.update(_about_candidates(conn, info, CLAIM_KINDS))
    return found


def _is_claim(info: Info) -> bool:
    return info.kind in CLAIM_KINDS and info.on is not None and len(sl.claim_terms(info.content)) >= 2


def _denials_near(conn: sa.Connection, infos: list[Info]) -> dict[str, set[str]]:
    """Stored denials within the claim window of each of these claims (``compare`` then checks the shared event
    and the terms; a denial further away never links). Read from ``ix_statements_denials_placed_on`` (m012), the
    partial index of denials (about one statement in a hundred), over the merged windows of the claims — one range
    per group of claims, never the months between claims far apart in time."""
    claims = sorted((i.on, i.id) for i in infos if _is_claim(i) and i.on is not None)
    if not claims:
        return {}
    days = WINDOWS["claim"]
    found: list[tuple[str, date]] = []
    for low, high in _merged([(on - timedelta(days=days), on + timedelta(days=days)) for on, _ in claims]):
        query = sa.select(s.c.id, WHEN).where(WHEN.between(low, high), s.c.speaker_name.is_not(None), IS_DENIAL)
        found.extend((sid, day) for sid, on in conn.execute(query) if (day := _day(on)) is not None)
    return {cid: {sid for sid, on in found if abs((on - day).days) <= days} for day, cid in claims}


def _merged(ranges: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Overlapping (sorted) date ranges joined."""
    merged: list[tuple[date, date]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return merged


def _story_candidates(conn: sa.Connection, info: Info, rows: Sequence[Any]) -> set[str]:
    if not info.stories or not rows:
        return set()
    query = sa.text("SELECT article_id FROM story_articles WHERE story_id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True))
    members = set(conn.execute(query, {"ids": sorted(info.stories)}).scalars())
    return {r.id for r in rows if r.article_id in members}


def _about_candidates(conn: sa.Connection, info: Info, kinds: Sequence[str]) -> set[str]:
    """Statements of the claim window, of one of ``kinds``, by a named speaker, that share an entity with ``info``
    (or whose speaker it is about). The kind and the entity are checked in SQL row by row while the date index is
    read (the speaker from the row, "about" by key), so only the candidates leave the database — not the whole
    window of every statement (tens of thousands on a large ledger) to be filtered here."""
    entities = _entities_of(conn, set(info.about))
    if not entities:
        return set()
    sharing = sa.or_(s.c.speaker_entity_id.in_(entities),
                     sa.exists().where(about.c.statement_id == s.c.id, about.c.entity_id.in_(entities)))
    # ``kind || ''``: the kind is checked on the row; an index on it would read every claim of the ledger
    rows = _window(conn, info, WINDOWS["claim"], s.c.speaker_name.is_not(None), (s.c.kind + "").in_(list(kinds)),
                   sharing)
    return {r.id for r in rows}


# --- rules ------------------------------------------------------------------------------------------------------
def compare(x: Info, y: Info) -> list[Link]:
    """Every dispute link between two statements (none when they share no event or have the same speaker)."""
    if x.actor is None or y.actor is None or x.actor == y.actor or x.on is None or y.on is None:
        return []
    if x.speaker and y.speaker and x.speaker.casefold() == y.speaker.casefold():
        return []
    links = [link for slot in VALUE_SLOTS if (link := _value_link(x, y, slot)) is not None]
    claim = _claim_link(x, y) or _claim_link(y, x)
    return links + ([claim] if claim else [])


def _event(x: Info, y: Info, slot: str) -> dict[str, Any] | None:
    """The shared-event evidence of two statements for a slot, or None when they do not share one."""
    days = abs((x.on - y.on).days) if x.on and y.on else None
    if days is None or days > WINDOWS[slot]:
        return None
    shared = sorted(set(x.about) & set(y.about))
    places = sorted(x.places & y.places)
    stories = sorted(x.stories & y.stories)
    if slot != "claim" and not places and not stories:
        return None
    return {"entities": {k: x.about[k] for k in shared}, "places": {k: x.about[k] for k in places},
            "stories": stories, "dates": [x.on.isoformat() if x.on else None, y.on.isoformat() if y.on else None]}


def _value_link(x: Info, y: Info, slot: str) -> Link | None:
    vx = [v for v in x.values if v.slot == slot and v.singular]
    vy = [v for v in y.values if v.slot == slot and v.singular]
    if not vx or not vy or (event := _event(x, y, slot)) is None:
        return None
    if slot == "weapon":
        if len({v.norm for v in vx}) != 1 or len({v.norm for v in vy}) != 1:
            return None  # several weapons in one account: a combined strike, not one disputed value
        relation, why = sl.weapon_relation(vx[0].norm, vy[0].norm)
        pair = (vx[0], vy[0]) if relation == "conflict" else None
    else:
        if _UPDATE.search(x.content) or _UPDATE.search(y.content):
            return None  # a toll updated over time is not a dispute
        pair = next(((p, q) for p in vx for q in vy if sl.counts_conflict(p.norm, q.norm)), None)
        same_key = any(sl.count_range(p.norm)[0] == sl.count_range(q.norm)[0] and not sl.counts_conflict(p.norm, q.norm)
                       for p in vx for q in vy)
        pair, why = (None, "") if same_key else (pair, "the ranges of the two counts do not overlap")
    if pair is None:
        return None
    return Link(slot, RULES[slot], x.id, y.id, pair[0].value, pair[0].norm, pair[1].value, pair[1].norm,
                event | {"why": why, "speakers": [x.speaker, y.speaker]})


def denied_text(info: Info) -> str | None:
    """What a denial denies: the content of deny/refute (or of kind "denial"), or the proposition of
    "rejected the claims that …"; None for a statement that denies nothing (or rejects a plan, a demand)."""
    if info.cue in REJECT_CUES:
        m = _REJECTED.match(info.content.strip())
        return m.group("rest") if m else None
    if info.kind == "denial" or info.cue in DENY_CUES:
        return sl.denied_part(info.content)
    return None


def _claim_link(denial: Info, claim: Info) -> Link | None:
    """``denial`` denies what ``claim`` (another speaker, not itself negated) says."""
    denied = denied_text(denial)
    if denied is None or claim.kind not in CLAIM_KINDS or denied_text(claim) is not None:
        return None
    if _NEGATED.search(claim.content) or (event := _event(denial, claim, "claim")) is None:
        return None
    if not event["entities"] and denial.actor not in claim.about:
        return None
    terms, other = sl.claim_terms(denied), sl.claim_terms(claim.content)
    names = sl.claim_terms(" ".join([*denial.about.values(), *claim.about.values(), denial.speaker or ""]))
    shared = terms & other
    if len(terms) < 2 or len(shared - names) < 2 or len(shared) / len(terms) < MIN_COVER:
        return None
    if denial.actor in claim.about:
        event["entities"][denial.actor] = claim.about[denial.actor]
    why = f"the denial's terms {sorted(shared)} cover {len(shared)}/{len(terms)} of what it denies"
    return Link("claim", RULES["claim"], claim.id, denial.id, claim.content, "asserted", denied, "denied",
                event | {"why": why, "terms": sorted(shared), "speakers": [claim.speaker, denial.speaker]})

