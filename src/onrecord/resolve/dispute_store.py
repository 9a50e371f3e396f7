"""Disputes in the ledger: linking a disagreeing pair into a dispute (merging disputes the pair joins), the reason
text, and the read side (``list_disputes``) that returns public dispute records.

A dispute is a connected group of statements on one slot: every pair found to disagree is a row of
``dispute_links`` with its rule and evidence; ``dispute_accounts`` gives each statement's value once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from ..errors import OnrecordError
from ..ledger import schema
from ..query import records_by_id
from ..records import hash_id

d, acc, links, dab = schema.disputes, schema.dispute_accounts, schema.dispute_links, schema.dispute_about
s, a = schema.statements, schema.articles
MAX_REASONS = 3


class DisputeError(OnrecordError):
    """A dispute query that cannot be answered (an unknown story, a ledger without storylines)."""


@dataclass(frozen=True, slots=True)
class Link:
    """Two statements that disagree on a slot: their values as written and normalised, the rule, the evidence."""

    slot: str
    rule: str
    a: str
    b: str
    value_a: str
    norm_a: str
    value_b: str
    norm_b: str
    evidence: dict[str, Any]


def dispute_id(slot: str, first: str, second: str) -> str:
    """A dispute's id: its slot and the first pair of statements that founded it."""
    return hash_id("dispute", slot, *sorted((first, second)))


# --- writes -----------------------------------------------------------------------------------------------------
def record_link(conn: sa.Connection, link: Link) -> str | None:
    """Add a disagreeing pair to the dispute either statement is in (merging two), or found a new dispute.
    Returns the dispute id, or None when the pair is already recorded."""
    pair = sorted((link.a, link.b))
    # Looked up from the pair's accounts (ix_dispute_accounts_statement_id): both statements of a link are accounts
    # of its dispute. ``slot || ''`` keeps the planner from starting at every dispute of the slot, whose number
    # grows with the ledger.
    slot = (d.c.slot + "") == link.slot
    known = sa.select(links.c.dispute_id).join(d, d.c.id == links.c.dispute_id).where(
        slot, links.c.statement_a == pair[0], links.c.statement_b == pair[1],
        links.c.dispute_id.in_(sa.select(acc.c.dispute_id).where(acc.c.statement_id == pair[0])))
    if conn.execute(known).first() is not None:
        return None
    existing = sorted(set(conn.execute(sa.select(acc.c.dispute_id).join(d, d.c.id == acc.c.dispute_id).where(
        slot, acc.c.statement_id.in_(pair))).scalars()))
    target = existing[0] if existing else dispute_id(link.slot, *pair)
    if not existing:
        conn.execute(d.insert().values(id=target, slot=link.slot, rule=link.rule, reason=""))
    for other in existing[1:]:
        _merge(conn, other, target)
    present = set(conn.execute(sa.select(acc.c.statement_id).where(acc.c.dispute_id == target)).scalars())
    for sid, value, norm in ((link.a, link.value_a, link.norm_a), (link.b, link.value_b, link.norm_b)):
        if sid not in present:
            conn.execute(acc.insert().values(dispute_id=target, statement_id=sid, value=value, norm=norm))
    first, second = (link.a, link.b) if link.a == pair[0] else (link.b, link.a)
    evidence = link.evidence if first == link.a else {**link.evidence, "dates": link.evidence["dates"][::-1],
                                                      "speakers": link.evidence["speakers"][::-1]}
    conn.execute(links.insert().values(dispute_id=target, statement_a=first, statement_b=second, rule=link.rule,
                                       evidence=json.dumps(evidence, ensure_ascii=False, sort_keys=True)))
    refresh(conn, target)
    return target


def _merge(conn: sa.Connection, other: str, target: str) -> None:
    """Move a dispute's accounts and links into ``target`` and drop it."""
    present = set(conn.execute(sa.select(acc.c.statement_id).where(acc.c.dispute_id == target)).scalars())
    conn.execute(acc.delete().where(acc.c.dispute_id == other, acc.c.statement_id.in_(present)))
    conn.execute(acc.update().where(acc.c.dispute_id == other).values(dispute_id=target))
    conn.execute(links.update().where(links.c.dispute_id == other).values(dispute_id=target))
    conn.execute(dab.delete().where(dab.c.dispute_id == other))
    conn.execute(d.delete().where(d.c.id == other))


def refresh(conn: sa.Connection, dispute: str) -> None:
    """Recompute a dispute's entities, dates and reason from its accounts and links."""
    from .disputes import actors_of

    rows = [json.loads(r) for r in conn.execute(sa.select(links.c.evidence).where(links.c.dispute_id == dispute)
                                                .order_by(links.c.statement_a, links.c.statement_b)).scalars()]
    shared = {k for ev in rows for k in ev["entities"]}
    members = list(conn.execute(sa.select(acc.c.statement_id).where(acc.c.dispute_id == dispute)).scalars())
    sab = schema.statement_about
    entity_ids = set(conn.execute(sa.select(sab.c.entity_id).where(sab.c.statement_id.in_(members))).scalars())
    actors = actors_of(conn, entity_ids)
    conn.execute(dab.delete().where(dab.c.dispute_id == dispute))
    keep = sorted(e for e in entity_ids if actors[e] in shared)
    if keep:
        conn.execute(dab.insert(), [{"dispute_id": dispute, "entity_id": e} for e in keep])
    days = sorted(day for ev in rows for day in ev["dates"] if day)
    rule = conn.execute(sa.select(d.c.rule).where(d.c.id == dispute)).scalar_one()
    conn.execute(d.update().where(d.c.id == dispute).values(
        reason=reason_text(conn, dispute, rule, rows), first_on=date.fromisoformat(days[0]) if days else None,
        last_on=date.fromisoformat(days[-1]) if days else None))


def reason_text(conn: sa.Connection, dispute: str, rule: str, evidence: list[dict[str, Any]]) -> str:
    """Why a dispute was flagged, in one paragraph: the rule, the slot, each pair's values and shared evidence."""
    pairs = list(conn.execute(sa.select(links.c.statement_a, links.c.statement_b).where(links.c.dispute_id == dispute)
                              .order_by(links.c.statement_a, links.c.statement_b)))
    values = {r[0]: r[1] for r in conn.execute(sa.select(acc.c.statement_id, acc.c.value).where(acc.c.dispute_id == dispute))}
    slot = conn.execute(sa.select(d.c.slot).where(d.c.id == dispute)).scalar_one()
    parts = [_pair_reason(ev, values[x], values[y]) for (x, y), ev in zip(pairs, evidence, strict=True)]
    more = f" (+{len(parts) - MAX_REASONS} more pairs)" if len(parts) > MAX_REASONS else ""
    return f"rule {rule}, slot {slot}: " + " | ".join(parts[:MAX_REASONS]) + more


def _pair_reason(ev: dict[str, Any], value_a: str, value_b: str) -> str:
    who = [sp or "an unnamed speaker" for sp in ev["speakers"]]
    shared = ", ".join(ev["places"].values() or ev["entities"].values()) or "none"
    story = f"; same storyline {', '.join(ev['stories'])}" if ev["stories"] else ""
    kind = "places" if ev["places"] else "entities"
    return (f"{who[0]} ({value_a!r}) vs {who[1]} ({value_b!r}): {ev['why']}; same event: shared {kind} {shared}, "
            f"dates {ev['dates'][0]} / {ev['dates'][1]}{story}")


# --- reads ------------------------------------------------------------------------------------------------------
def list_disputes(conn: sa.Connection, *, story: str | None = None, entity: str | None = None,
                  slot: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """Disputes (newest first) as public records: ``{"id","about","slot","accounts","reason","rule",...}``.

    ``story`` keeps disputes with a statement in that storyline; ``entity`` those about an entity whose name or
    alias contains it (case-insensitive), or about the same actor.
    """
    query = sa.select(d.c.id).order_by(d.c.last_on.desc(), d.c.id)
    if story:
        query = query.where(d.c.id.in_(_in_story(conn, story)))
    if entity:
        query = query.where(d.c.id.in_(sa.select(dab.c.dispute_id).where(dab.c.entity_id.in_(_entities(conn, entity)))))
    if slot:
        query = query.where(d.c.slot == slot)
    ids = list(conn.execute(query.limit(limit)).scalars())
    return [dispute_record(conn, i) for i in ids]


def _in_story(conn: sa.Connection, story: str) -> list[str]:
    from .disputes import _has

    if not _has(conn, "story_articles"):
        raise DisputeError("--story: this ledger has no storylines yet (run the stories step first)")
    members = list(conn.execute(sa.text("SELECT article_id FROM story_articles WHERE story_id = :s"), {"s": story})
                   .scalars())
    if not members:
        raise DisputeError(f"--story: no storyline with id {story!r}")
    query = sa.select(acc.c.dispute_id).join(s, s.c.id == acc.c.statement_id).where(s.c.article_id.in_(members))
    return sorted(set(conn.execute(query).scalars()))


def _entities(conn: sa.Connection, name: str) -> list[str]:
    """Entity ids whose name or alias contains ``name``, with every entity of the same actor."""
    from .disputes import _entities_of, actors_of

    e, al = schema.entities, schema.aliases
    needle = f"%{name.lower()}%"
    ids = set(conn.execute(sa.select(e.c.id).where(sa.func.lower(e.c.name).like(needle))).scalars())
    ids |= set(conn.execute(sa.select(al.c.entity_id).where(sa.func.lower(al.c.alias).like(needle))).scalars())
    return _entities_of(conn, set(actors_of(conn, ids).values())) + sorted(ids)


def dispute_record(conn: sa.Connection, dispute: str) -> dict[str, Any]:
    """One dispute: its entities, slot, accounts grouped by value (with statement records), reason and links."""
    row = conn.execute(sa.select(d).where(d.c.id == dispute)).one()
    e = schema.entities
    about = [{"name": n, "kind": k} for n, k in conn.execute(
        sa.select(e.c.name, e.c.kind).join(dab, dab.c.entity_id == e.c.id).where(dab.c.dispute_id == dispute)
        .order_by(e.c.name))]
    accounts: dict[str, dict[str, Any]] = {}
    rows = list(conn.execute(sa.select(acc.c.statement_id, acc.c.value, acc.c.norm).where(acc.c.dispute_id == dispute)
                             .order_by(acc.c.norm, acc.c.statement_id)))
    records = {r["id"]: r for r in records_by_id(conn, [sid for sid, _, _ in rows])}
    for sid, value, norm in rows:
        group = accounts.setdefault(norm, {"value": value, "norm": norm, "statements": []})
        if sid in records:
            group["statements"].append(records[sid])
    evidence = [{"statements": [x, y], "rule": rule, "evidence": json.loads(ev)} for x, y, rule, ev in conn.execute(
        sa.select(links.c.statement_a, links.c.statement_b, links.c.rule, links.c.evidence)
        .where(links.c.dispute_id == dispute).order_by(links.c.statement_a, links.c.statement_b))]
    return {"id": row.id, "about": about, "slot": row.slot, "accounts": list(accounts.values()),
            "reason": row.reason, "rule": row.rule, "first_on": _iso(row.first_on), "last_on": _iso(row.last_on),
            "links": evidence}


def _iso(value: date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def statement_disputes(conn: sa.Connection, statement_ids: Sequence[str]) -> dict[str, list[str]]:
    """statement id → ids of the disputes it is an account of (for other parts: timelines, provenance)."""
    found: dict[str, list[str]] = {}
    for sid, did in conn.execute(sa.select(acc.c.statement_id, acc.c.dispute_id)
                                 .where(acc.c.statement_id.in_(list(statement_ids)))):
        found.setdefault(sid, []).append(did)
    return found
