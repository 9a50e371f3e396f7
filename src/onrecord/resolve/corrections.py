"""A user's corrections to entity resolution: merges and splits that survive re-ingest and rebuilds.

``onrecord entities merge A B`` / ``split A B`` store one row in ``entity_corrections`` by entity id (the id is a
content hash of name and kind, so it is the same after the articles are ingested again) and apply it at once.
``apply_corrections`` re-applies every correction, oldest first, after each update (``resolve.entities.update``)
and after a rebuild; the rules also ask :func:`forbidden_actors` before linking, so a split is never undone by
the rule that made the merge.

- merge: the two actors become one (a gazetteer actor is kept over a ledger one); every moved name records the
  rule ``user-merge`` and the correction id.
- split: entity B leaves A's actor for an actor of its own (``user-split``); when B anchors the actor (its id is
  B's), the other names move to a new actor anchored on A instead.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from ..ledger import schema

an, ac, ec = schema.actor_names, schema.actors, schema.entity_corrections


def record(conn: sa.Connection, action: str, entity_a: dict[str, Any], entity_b: dict[str, Any]) -> int:
    """Store a merge or split of two entities (dicts with ``id`` and ``name``), apply it; returns its id."""
    row = {"action": action, "entity_a": entity_a["id"], "entity_b": entity_b["id"], "name_a": entity_a["name"],
           "name_b": entity_b["name"], "made_at": datetime.now(UTC).replace(tzinfo=None)}
    correction_id = int(conn.execute(sa.insert(ec).returning(ec.c.id), [row]).scalar_one())
    apply_corrections(conn)
    return correction_id


def corrections(conn: sa.Connection) -> list[dict[str, Any]]:
    """Every correction, oldest first."""
    return [dict(r) for r in conn.execute(sa.select(ec).order_by(ec.c.id)).mappings()]


def apply_corrections(conn: sa.Connection) -> None:
    """Re-apply every stored correction whose entities are in the ledger, oldest first."""
    for row in corrections(conn):
        actors = _actor_of(conn, [row["entity_a"], row["entity_b"]])
        if row["entity_a"] not in actors or row["entity_b"] not in actors:
            continue  # an entity not (yet) in this ledger: kept for when it comes back
        a, b = actors[row["entity_a"]], actors[row["entity_b"]]
        if row["action"] == "merge" and a != b:
            _merge(conn, row, a, b)
        elif row["action"] == "split" and a == b:
            _split(conn, row, a)


def forbidden_actors(conn: sa.Connection, entity_id: str) -> set[str]:
    """Actors the rules must not link ``entity_id`` to: those of the entities a user split it from."""
    query = sa.select(ec.c.entity_a, ec.c.entity_b).where(
        ec.c.action == "split", sa.or_(ec.c.entity_a == entity_id, ec.c.entity_b == entity_id))
    others = {a if b == entity_id else b for a, b in conn.execute(query)}
    return set(_actor_of(conn, sorted(others)).values()) if others else set()


def _actor_of(conn: sa.Connection, entity_ids: list[str]) -> dict[str, str]:
    return dict(conn.execute(sa.select(an.c.entity_id, an.c.actor_id).where(an.c.entity_id.in_(entity_ids))).all())


def _evidence(row: dict[str, Any], **more: Any) -> str:
    return json.dumps({"correction": row["id"], "names": [row["name_a"], row["name_b"]], **more},
                      ensure_ascii=False, sort_keys=True)


def _merge(conn: sa.Connection, row: dict[str, Any], a: str, b: str) -> None:
    """All names of one actor go to the other (the gazetteer actor when one of them is)."""
    sources = dict(conn.execute(sa.select(ac.c.id, ac.c.source).where(ac.c.id.in_([a, b]))).all())
    keep, drop = (b, a) if sources.get(b) == "gazetteer" and sources.get(a) != "gazetteer" else (a, b)
    conn.execute(sa.update(an).where(an.c.actor_id == drop).values(
        actor_id=keep, rule="user-merge", score=1.0, evidence=_evidence(row, from_actor=drop)))
    links = schema.descriptor_links
    conn.execute(sa.update(links).where(links.c.actor_id == drop).values(actor_id=keep))
    conn.execute(sa.delete(ac).where(ac.c.id == drop))


def _split(conn: sa.Connection, row: dict[str, Any], actor: str) -> None:
    """Entity B leaves the actor it shares with A."""
    b_id, a_id = row["entity_b"], row["entity_a"]
    e = schema.entities
    ents = {r.id: r for r in conn.execute(sa.select(e).where(e.c.id.in_([a_id, b_id])))}
    if actor == b_id:  # B anchors the actor: the rest moves to a new actor anchored on A
        a = ents[a_id]
        conn.execute(sa.insert(ac), [{"id": a_id, "name": a.name, "kind": a.kind, "source": "ledger"}])
        conn.execute(sa.update(an).where(an.c.actor_id == actor, an.c.entity_id != b_id).values(actor_id=a_id))
        conn.execute(sa.update(an).where(an.c.entity_id == a_id).values(
            rule="user-split", score=1.0, evidence=_evidence(row, split_from=b_id)))
        b = ents[b_id]
        conn.execute(sa.update(ac).where(ac.c.id == actor).values(name=b.name, kind=b.kind, source="ledger"))
    else:
        b = ents[b_id]
        if conn.execute(sa.select(ac.c.id).where(ac.c.id == b_id)).first() is None:
            conn.execute(sa.insert(ac), [{"id": b_id, "name": b.name, "kind": b.kind, "source": "ledger"}])
        conn.execute(sa.update(an).where(an.c.entity_id == b_id).values(
            actor_id=b_id, rule="user-split", score=1.0, evidence=_evidence(row, split_from=a_id)))
