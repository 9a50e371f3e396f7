"""Provenance of a claim: every article that carries the same statement, its relay chains, its independent origins.

``provenance(conn, statement_id)`` answers, for one statement:

- **carriers**: statements of the same speaker *actor* (the actor of the speaker entity, through entity resolution
  when the ``actor_names`` table is there; an unresolved entity is its own actor) whose content is a near-duplicate:
  rapidfuzz ``token_set_ratio`` ≥ ``MIN_SIMILARITY`` with at least ``MIN_SHARED`` words in common. Candidates come
  from an index (speaker entity ids, and on SQLite the FTS5 table for the content's rarer words), never all pairs;
- **chains**: for each carrier, speaker → relays (nearest the speaker first) → the publishing outlet;
- **origins**: chains grouped by their innermost relay (the outlet nearest the speaker), or by the publishing
  outlet when there is no relay; an article with neither is an origin of its own (outlet ``null``);
- **single_state_affiliated_origin**: every chain leads to one outlet whose profile (ledger ``outlets`` table and
  the outlet registry) carries a tag of ``STATE_TAGS``.

Every carrier records the rule and score that made it one. ``to_prov(result)`` is the W3C PROV-O graph
(``prov:wasAttributedTo``, ``prov:wasQuotedFrom``, ``prov:hadPrimarySource``) and ``prov_jsonld`` its JSON-LD.

Also here: the actor helpers the across-article parts share (:func:`actor_family`, :func:`speaker_actor`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from rapidfuzz import fuzz

from ..errors import OnrecordError
from ..ledger import schema
from ..query.lookup import records_by_id
from ..registry import load_outlets

RULESET = "onrecord.provenance.v1"
MIN_SIMILARITY = 85.0
MIN_SHARED = 5
#: Profile tags that make an outlet state-affiliated (see registry/outlets.py PROFILE_TAGS).
STATE_TAGS = frozenset({"state-owned", "state-aligned"})
CANDIDATES = 2000
ONR = "urn:onrecord:"

s, a = schema.statements, schema.articles
_actor_names = sa.table("actor_names", sa.column("entity_id"), sa.column("actor_id"))
_WORD = re.compile(r"\w+", re.UNICODE)


if TYPE_CHECKING:
    from rdflib import Graph, URIRef


class UnknownStatement(OnrecordError):
    """No statement with that id is in the ledger."""


# --- actors ------------------------------------------------------------------------------------------------------
def _has_actor_names(conn: sa.Connection) -> bool:
    """Whether entity resolution has its table in this ledger (it is a separate migration branch)."""
    return sa.inspect(conn).has_table("actor_names")


def actor_ids(conn: sa.Connection, entity_ids: Iterable[str]) -> dict[str, str]:
    """entity id → actor id (``coalesce(actor_names.actor_id, entity id)``)."""
    ids = [i for i in dict.fromkeys(entity_ids) if i]
    found = {i: i for i in ids}
    if ids and _has_actor_names(conn):
        query = sa.select(_actor_names.c.entity_id, _actor_names.c.actor_id).where(_actor_names.c.entity_id.in_(ids))
        found.update({e: act for e, act in conn.execute(query) if act})
    return found


def speaker_actor(conn: sa.Connection, entity_id: str | None) -> str | None:
    """The actor of a speaker entity, or None for a speaker without an entity (unnamed, anonymous)."""
    return actor_ids(conn, [entity_id]).get(entity_id) if entity_id else None


def actor_family(conn: sa.Connection, entity_ids: Iterable[str]) -> set[str]:
    """Every entity id that names the same actor as one of ``entity_ids`` (the ids themselves included)."""
    ids = {i for i in entity_ids if i}
    if not ids or not _has_actor_names(conn):
        return ids
    actors = set(actor_ids(conn, ids).values())
    query = sa.select(_actor_names.c.entity_id).where(_actor_names.c.actor_id.in_(list(actors)))
    return ids | actors | set(conn.execute(query).scalars())


# --- near-duplicates -----------------------------------------------------------------------------------------------
def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def similarity(first: str, second: str) -> tuple[float, int]:
    """(token_set_ratio 0–100, words in common) of two contents."""
    shared = len(set(_words(first)) & set(_words(second)))
    return fuzz.token_set_ratio(first.lower(), second.lower()), shared


def is_near_duplicate(first: str, second: str) -> bool:
    score, shared = similarity(first, second)
    short = min(len(set(_words(first))), len(set(_words(second))))
    return score >= MIN_SIMILARITY and shared >= min(MIN_SHARED, short)


def _fts_terms(content: str, limit: int = 6) -> str | None:
    """An FTS5 OR-query of the longest words of the content: a carrier repeats at least one of them."""
    words = sorted({w for w in _words(content) if len(w) > 4 and not w.isdigit()}, key=lambda w: (-len(w), w))
    return " OR ".join(f'"{w}"' for w in words[:limit]) or None


def _candidates(conn: sa.Connection, row: Any) -> list[Any]:
    """Statements that may carry the same statement: same speaker actor (or the same speaker name when the speaker
    has no entity), narrowed on SQLite by full-text search for the content's longest words."""
    if row.speaker_entity_id:
        who = s.c.speaker_entity_id.in_(list(actor_family(conn, [row.speaker_entity_id])))
    elif row.speaker_name:
        who = s.c.speaker_name == row.speaker_name
    else:
        return [row]
    query = sa.select(s.c.id, s.c.content, s.c.article_id).where(who)
    terms = _fts_terms(row.content)
    if conn.dialect.name == "sqlite" and terms:
        fts = sa.table("statements_fts", sa.column("statement_id"))
        query = query.where(s.c.id.in_(sa.select(fts.c.statement_id).where(
            sa.literal_column("statements_fts").op("MATCH")(sa.bindparam("terms", terms)))))
    return list(conn.execute(query.limit(CANDIDATES)))


def carriers(conn: sa.Connection, statement_id: str) -> list[dict[str, Any]]:
    """The statement and its near-duplicates: ``[{"statement_id", "rule", "score"}]``, the statement first."""
    row = conn.execute(sa.select(s.c.id, s.c.content, s.c.speaker_entity_id, s.c.speaker_name)
                       .where(s.c.id == statement_id)).first()
    if row is None:
        raise UnknownStatement(f"statement {statement_id!r} is not in the ledger; find ids with "
                               "`onrecord statements --format jsonl`")
    found = [{"statement_id": row.id, "rule": f"{RULESET}:the-statement", "score": 100.0}]
    for cand in _candidates(conn, row):
        if cand.id == row.id or not is_near_duplicate(row.content, cand.content):
            continue
        score, shared = similarity(row.content, cand.content)
        found.append({"statement_id": cand.id, "score": round(score, 1),
                      "rule": f"{RULESET}:same-speaker-actor+token_set_ratio>={MIN_SIMILARITY:g}",
                      "reason": f"same speaker actor; token_set_ratio {score:.1f}, {shared} words in common"})
    return found


# --- chains and origins --------------------------------------------------------------------------------------------
def _profile(name: str | None, ledger_profile: Sequence[str]) -> list[str]:
    """An outlet's profile tags: those the ledger stored, and those the registry gives it now."""
    if name is None:
        return []
    outlet = load_outlets().get(name)
    return sorted(set(ledger_profile) | set(outlet.profile if outlet else ()))


def _outlet_profiles(conn: sa.Connection, names: Iterable[str]) -> dict[str, list[str]]:
    o = schema.outlets
    wanted = [n for n in set(names) if n]
    stored = {n: json.loads(p or "[]") for n, p in conn.execute(sa.select(o.c.name, o.c.profile)
                                                                   .where(o.c.name.in_(wanted)))}
    return {n: _profile(n, stored.get(n, [])) for n in wanted}


def chain(record: dict[str, Any], profiles: dict[str, list[str]]) -> dict[str, Any]:
    """One relay chain: speaker → relays (nearest first) → publishing outlet, and its origin outlet."""
    steps = [{"outlet": r["outlet"], "cue": r["cue"], "profile": profiles.get(r["outlet"], r["profile"])}
             for r in record["relays"]]
    publisher = record["article"]["outlet"]
    origin = steps[0]["outlet"] if steps else publisher
    return {"statement_id": record["id"], "article_id": record["article"]["id"],
            "speaker": record["speaker"]["name"] or record["speaker"]["mention"], "relays": steps,
            "publisher": publisher, "origin": origin,
            "origin_rule": "innermost relay" if steps else ("publishing outlet" if publisher else "unknown outlet")}


def origins(chains: Sequence[dict[str, Any]], profiles: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Chains grouped by origin outlet; chains with no known outlet are each an origin of their own."""
    groups: dict[str, dict[str, Any]] = {}
    for ch in chains:
        key = ch["origin"] or f"article:{ch['article_id']}"
        group = groups.setdefault(key, {"outlet": ch["origin"], "profile": profiles.get(ch["origin"] or "", []),
                                        "rule": ch["origin_rule"], "articles": [], "statements": []})
        if ch["article_id"] not in group["articles"]:
            group["articles"].append(ch["article_id"])
        group["statements"].append(ch["statement_id"])
    return list(groups.values())


def provenance(conn: sa.Connection, statement_id: str) -> dict[str, Any]:
    """Carriers, chains, independent origins and the single-state-affiliated-origin flag of one statement."""
    found = carriers(conn, statement_id)
    by_id = {c["statement_id"]: c for c in found}
    records = records_by_id(conn, list(by_id))
    names = [r["article"]["outlet"] for r in records] + [x["outlet"] for r in records for x in r["relays"]]
    profiles = _outlet_profiles(conn, names)
    chains = [chain(r, profiles) for r in records]
    groups = origins(chains, profiles)
    state = [g for g in groups if STATE_TAGS & set(g["profile"])]
    flag = len(groups) == 1 and len(state) == 1
    return {
        "statement": records[0],
        "articles": sorted({r["article"]["id"] for r in records}),
        "carriers": [{**by_id[r["id"]], "statement": r} for r in records],
        "chains": chains,
        "origins": groups,
        "independent_origins": len(groups),
        "single_state_affiliated_origin": flag,
        "flag_reason": (f"every path leads to {state[0]['outlet']} ({', '.join(sorted(STATE_TAGS & set(state[0]['profile'])))})"
                        if flag else None),
        "rule": RULESET,
    }


# --- PROV-O ----------------------------------------------------------------------------------------------------------
def _uri(kind: str, *parts: str) -> URIRef:
    from rdflib import URIRef

    return URIRef(ONR + kind + ":" + ":".join(re.sub(r"[^\w.-]+", "_", p) for p in parts))


def _agent(graph: Graph, kind: str, name: str, label: str, cls: URIRef) -> URIRef:
    from rdflib import RDF, RDFS, Literal
    from rdflib.namespace import PROV

    node = _uri(kind, name)
    graph.add((node, RDF.type, PROV.Agent))
    graph.add((node, RDF.type, cls))
    graph.add((node, RDFS.label, Literal(label)))
    return node


def to_prov(result: dict[str, Any]) -> Graph:
    """The provenance as a PROV-O graph: the utterance (attributed to the speaker), each outlet's report of it (quoted
    from the report nearer the speaker), each article's statement (quoted from the outermost report, with the
    origin report as its primary source), articles attributed to their publishing outlets."""
    from rdflib import RDF, RDFS, Graph, Literal
    from rdflib.namespace import DCTERMS, PROV

    graph = Graph()
    graph.bind("prov", PROV)
    graph.bind("dcterms", DCTERMS)
    root = result["statement"]
    speaker_name = root["speaker"]["name"] or root["speaker"]["mention"] or "unknown speaker"
    cls = PROV.Person if root["speaker"]["kind"] == "person" else PROV.Organization
    speaker = _agent(graph, "speaker", speaker_name, speaker_name, cls)
    utterance = _uri("utterance", root["id"])
    graph.add((utterance, RDF.type, PROV.Entity))
    graph.add((utterance, RDFS.label, Literal(root["content"])))
    graph.add((utterance, PROV.wasAttributedTo, speaker))
    for carrier, ch in zip(result["carriers"], result["chains"], strict=True):
        _add_chain(graph, carrier["statement"], ch, utterance, speaker)
    return graph


def _add_chain(graph: Graph, record: dict[str, Any], ch: dict[str, Any], utterance: URIRef, speaker: URIRef) -> None:
    from rdflib import RDF, RDFS, Literal
    from rdflib.namespace import DCTERMS, PROV, XSD

    previous = utterance
    origin: URIRef | None = None
    for step in ch["relays"]:
        report = _uri("report", step["outlet"], record["id"])
        graph.add((report, RDF.type, PROV.Entity))
        graph.add((report, PROV.wasAttributedTo, _agent(graph, "outlet", step["outlet"], step["outlet"],
                                                        PROV.Organization)))
        graph.add((report, PROV.wasQuotedFrom, previous))
        origin, previous = origin or report, report
    node = _uri("statement", record["id"])
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, RDFS.label, Literal(record["content"])))
    graph.add((node, PROV.wasAttributedTo, speaker))
    graph.add((node, PROV.wasQuotedFrom, previous))
    graph.add((node, PROV.hadPrimarySource, origin or utterance))
    article = _uri("article", record["article"]["id"])
    graph.add((article, RDF.type, PROV.Entity))
    graph.add((node, DCTERMS.isPartOf, article))
    if record["article"]["title"]:
        graph.add((article, DCTERMS.title, Literal(record["article"]["title"])))
    if record["article"]["url"]:
        graph.add((article, DCTERMS.source, Literal(record["article"]["url"])))
    if record["article"]["published"]:
        graph.add((article, DCTERMS.date, Literal(record["article"]["published"], datatype=XSD.date)))
    if ch["publisher"]:
        graph.add((article, PROV.wasAttributedTo, _agent(graph, "outlet", ch["publisher"], ch["publisher"],
                                                         PROV.Organization)))


def prov_jsonld(result: dict[str, Any]) -> str:
    """The PROV-O graph as JSON-LD (with a ``prov``/``dcterms`` context); parses back to the same triples."""
    from rdflib.namespace import DCTERMS, PROV, RDFS, XSD

    context = {"prov": str(PROV), "dcterms": str(DCTERMS), "rdfs": str(RDFS), "xsd": str(XSD)}
    text: str = to_prov(result).serialize(format="json-ld", context=context, indent=2)
    return text
