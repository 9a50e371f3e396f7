"""Expectations: forward-looking statements tracked to their deadline, settled only by later statements.

A statement whose content sets a due window (``statements.expectation_*``, found by ``extract.kinds``) becomes an
expectation. Its status is computed against a day (``as_of``, default today):

- ``reported fulfilled`` / ``reported unfulfilled`` / ``withdrawn``: the newest evidence link dated on or before
  ``as_of`` says so (never without a link);
- otherwise ``overdue`` when the due window ended before ``as_of``; ``due soon`` when it starts within
  ``DUE_SOON_DAYS`` days of ``as_of`` (or has started and not ended); ``open`` before that.

An evidence link joins an expectation to a statement from a *later article* (dated after the expectation was stated)
that shares an actor with it (its speaker or an entity it is about, through entity resolution when present), shares
content words with what was expected, and carries a verdict phrase (see ``VERDICT_RULES``):

- fulfilled: a past or perfect form of the expected action ("will deploy" → "has been deployed", "was deployed"), or
  "took place" / "was held" for an expected event (talks, a meeting, a vote); never negated, never in a future clause;
- unfulfilled: "postponed", "delayed", "put off", "pushed back", a cancellation reported by someone else, or — only
  after the due window has ended — a negated past of the expected action ("has not been deployed", "failed to");
- withdrawn: "no longer plans", "cancelled", "called off", "scrapped", "will not" + the expected action, said by the
  same actor who set the expectation.

Every link records its rule, a score (content overlap) and a one-line reason naming the words that matched. Precision
over recall: a statement that matches no rule leaves the expectation to its date-based status.
"""

from __future__ import annotations

import functools
import heapq
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from rapidfuzz import fuzz

from ..ledger import schema
from ..records import hash_id
from .provenance import actor_family, actor_ids

RULESET = "onrecord.expectations.v1"
#: "due soon": the due window starts within this many days of the day asked (or has started and not ended).
DUE_SOON_DAYS = 30
#: Least share of the expectation's content words (stems) an evidence statement must repeat.
MIN_OVERLAP = 0.3
#: Candidate statements looked at per expectation (the newest expectations/oldest later statements first).
CANDIDATES = 1000
#: Statements about an actor family above which its later statements are read in date order (see ``_later_ids``):
#: about the square root of CANDIDATES × the statements of a 1M-statement ledger, where the two plans cost the same.
FAN_OUT = 20_000
STATUSES = ("open", "due soon", "overdue", "reported fulfilled", "reported unfulfilled", "withdrawn")
VERDICT_STATUS = {"fulfilled": "reported fulfilled", "unfulfilled": "reported unfulfilled", "withdrawn": "withdrawn"}

ex, ev, s, a = schema.expectations, schema.expectation_evidence, schema.statements, schema.articles
xa = schema.expectation_actors
#: The day a statement was made: said_on start, else its article's publication date (stored and indexed as
#: ``statements.placed_on``, migration m007_placed_on).
STATED_ON = s.c.placed_on

# --- words ---------------------------------------------------------------------------------------------------
_STOP = frozenset("""
    a an the and or but if of to in on at by for from with as into onto over under about after before than then that
    this these those it its they them their he him his she her we us our you your i me my be is are was were been being
    am do does did done have has had having will would shall should can could may might must not no nor so such
    there here what which who whom whose when where why how all any some each more most other also only very just
    possible possibly likely able plan plans planned planning intend intends expect expected expects set said says
    say year years month months week weeks day days today tomorrow next later end half first second third quarter
    january february march april may june july august september october november december monday tuesday wednesday
    thursday friday saturday sunday
""".split())
_IRREGULAR = {
    "held": "hold", "met": "meet", "began": "begin", "begun": "begin", "took": "take", "taken": "take",
    "sent": "send", "built": "build", "left": "leave", "won": "win", "struck": "strike", "paid": "pay",
    "sold": "sell", "bought": "buy", "brought": "bring", "made": "make", "gave": "give", "given": "give",
    "went": "go", "gone": "go", "came": "come", "put": "put", "set": "set", "cut": "cut", "led": "lead",
    "spoke": "speak", "spoken": "speak", "flew": "fly", "flown": "fly", "withdrew": "withdraw",
    "withdrawn": "withdraw", "rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall", "became": "become",
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def stem(word: str) -> str:
    """A crude English stem, enough to meet "deploy", "deployed", "deployment" and "deploying" at one key."""
    w = word.lower().strip("'’-")
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    for suffix, repl in (("ments", ""), ("ment", ""), ("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""),
                         ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: len(w) - len(suffix)] + repl
            break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # planned → plann → plan
    return w.removesuffix("e") if len(w) > 4 else w


def content_stems(text: str) -> list[str]:
    """Stems of the content words of ``text``, in order, without stop words or repeats."""
    stems = (stem(w) for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 2)
    return list(dict.fromkeys(x for x in stems if x not in _STOP))


# --- verdict phrases -----------------------------------------------------------------------------------------
_NEGATION = re.compile(r"\b(not|n't|never|no|failed to|fail to|yet to)\b", re.I)
_FUTURE = re.compile(r"\b(will|would|shall|'ll|going to|plans?|intends?|expects?|expected|(is|are) (set|due) to|"
                     r"could|can|cannot|may|might|should|must|need to|needs to|have to|has to|ought)\b", re.I)
#: "it has not been deployed": a negated report of the expected action, the negation right before it.
_DONE_NOT = re.compile(r"\b(has not|have not|had not|hasn't|haven't|hadn't|was not|were not|wasn't|weren't|did not|"
                       r"didn't|never|failed to|yet to)\s+(\w+\s+)?(been\s+)?$", re.I)
_POSTPONED = re.compile(r"\b(postpon\w*|(?<!without )delay(ed|s|ing)?|put off|pushed back(?! (on|against))|"
                        r"rescheduled|deferred|behind schedule)\b", re.I)
_CANCELLED = re.compile(r"\b(cancel+(ed|ing|s)?|called off|calling off|scrapp(ed|ing)|abandon(ed|ing)|dropp(ed|ing) "
                        r"(the |its |their |his |her |our )?plans?|shelved)\b", re.I)
_NO_LONGER = re.compile(r"\b(no longer (plan|intend|expect|want|seek)s?( to)?|(has|have) no (more )?plans to|"
                        r"(is|are) not going to)\b", re.I)
_TOOK_PLACE = re.compile(r"\b(took place|(has|have) taken place|(was|were) held|(has|have) been held)\b", re.I)
_EVENT_NOUNS = frozenset(stem(w) for w in """talks meeting summit visit vote election referendum exercise drills
    conference negotiations ceremony launch trial hearing session congress forum parade""".split())
_MARKER = re.compile(r"\b(?:will|would|shall|'ll|going to|plans? to|planning to|intends? to|aims? to|expects? to|"
                     r"expected to|set to|due to|ready to|possible to|able to|agreed to|promised to|pledged to)\s+"
                     r"(?:not\s+)?(?:be\s+|have\s+|have been\s+)?([A-Za-z]+)", re.I)
_AFTER_TO = re.compile(r"\bto\s+(?:be\s+)?([A-Za-z]+)", re.I)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one statement says about one expectation: the verdict, the rule, its score and the reason."""

    verdict: str
    rule: str
    score: float
    reason: str


def anchors(what: str) -> tuple[list[str], list[str]]:
    """(action stems, event stems) of what was expected: the first verb after a future marker ("will be deployed",
    "possible to deploy"; else after "to"), action nouns ("deployment is possible"), and event nouns ("talks").
    Every verdict needs one of them in the evidence: sharing only names is never enough."""
    m = _MARKER.search(what) or _AFTER_TO.search(what)
    actions = [stem(m.group(1))] if m and m.group(1).lower() not in _STOP else []
    actions += [stem(w) for w in _WORD.findall(what) if w.lower().endswith(("ment", "ments"))]
    events = [x for x in content_stems(what) if x in _EVENT_NOUNS]
    return list(dict.fromkeys(actions)), list(dict.fromkeys(events))


def _is_past_form(word: str) -> bool:
    w = word.lower()
    return w.endswith("ed") or (w in _IRREGULAR and _IRREGULAR[w] != w)


def _hits(text: str, keys: Sequence[str], *, past_only: bool = False) -> list[re.Match[str]]:
    """Words of ``text`` whose stem is one of ``keys``: past forms only ("deployed", "held") when ``past_only``."""
    return [m for m in _WORD.finditer(text)
            if stem(m.group()) in keys and (not past_only or _is_past_form(m.group()))]


def _clause_before(text: str, pos: int, width: int = 40) -> str:
    """The few words before ``pos`` within its clause, where a negation or a future marker would sit."""
    start = max(text.rfind(sep, 0, pos) for sep in (",", ";", ".", " but ", " and ", " which ", " that "))
    return text[max(start + 1, pos - width):pos]


def _sentence_of(text: str, pos: int) -> str:
    start = max(text.rfind(sep, 0, pos) for sep in (". ", "; ", "? ", "! "))
    ends = [i for i in (text.find(sep, pos) for sep in (". ", "; ", "? ", "! ")) if i >= 0]
    return text[start + 1:min(ends) if ends else len(text)]


def focus(what: str, due_text: str | None) -> str:
    """The sentence of ``what`` that holds the due time expression: a long quotation expects one thing, there."""
    if not due_text or due_text not in what:
        return what
    return _sentence_of(what, what.index(due_text)).strip() or what


def judge(expectation: dict[str, Any], evidence: dict[str, Any], *, same_actor: bool,
          about: Sequence[str] = ()) -> Verdict | None:
    """The verdict ``evidence`` (a statement row with ``content``, ``kind``, ``evidence_on``) gives on
    ``expectation`` (a row with ``what``, ``due_text``, ``due_end``), or None.

    Gates before any rule: the evidence names the expected action or event (see :func:`anchors`); the sentence
    that does repeats at least two topic words of the expectation (content words besides the anchor, and the names
    of the entities it is about, ``about``) — one when the expectation has only one; and the evidence repeats at
    least ``MIN_OVERLAP`` of the expectation's content words.
    """
    what, text = focus(expectation["what"], expectation.get("due_text")), evidence["content"]
    actions, events = anchors(what)
    what_stems = content_stems(what)
    keys = [k for k in (*actions, *events) if k in content_stems(text)]
    topic = list(dict.fromkeys(x for x in (*what_stems, *content_stems(" ".join(about))) if x not in keys))
    if not keys or not topic:
        return None
    shared = [x for x in content_stems(text) if x in what_stems or x in topic]
    overlap = len([x for x in shared if x in what_stems]) / max(len(what_stems), 1)
    if overlap < MIN_OVERLAP:
        return None
    score = round((overlap + fuzz.token_set_ratio(" ".join(what_stems), " ".join(content_stems(text))) / 100) / 2, 3)
    need = min(2, len(topic))
    near = lambda m: _topic_near(text, m, topic) >= need  # noqa: E731 - the gate every rule applies
    words = ", ".join(shared[:8])
    withdrawn = _withdrawn(text, actions + events, same_actor, score, words, near)
    if withdrawn is not None or evidence.get("kind") == "prediction":
        return withdrawn  # a prediction reports nothing done or undone
    return (_unfulfilled(expectation, evidence, actions + events, same_actor, score, words, near)
            or _fulfilled(text, actions, events, score, words, near))


def may_judge(what: str, due_text: str | None, text: str) -> bool:
    """The gates of :func:`judge` that need neither the database nor the expectation's entities: the evidence
    ``text`` names the expected action or event, and repeats at least ``MIN_OVERLAP`` of its content words. False
    means :func:`judge` gives no verdict, so the look-ups it needs can be skipped."""
    return _passes(*_gate_words(what, due_text), _stems(text))


def _passes(keys: tuple[str, ...], what_stems: frozenset[str], stems: frozenset[str]) -> bool:
    """:func:`may_judge` on the expectation's gate words and the evidence's stems."""
    if not any(k in stems for k in keys):
        return False
    return len(what_stems & stems) / max(len(what_stems), 1) >= MIN_OVERLAP


@functools.lru_cache(maxsize=4096)
def _gate_words(what: str, due_text: str | None) -> tuple[tuple[str, ...], frozenset[str]]:
    """(anchor stems, content stems) of an expectation, once per expectation however many statements meet it."""
    focused = focus(what, due_text)
    actions, events = anchors(focused)
    return (*actions, *events), frozenset(content_stems(focused))


@functools.lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    return frozenset(content_stems(text))


def _topic_near(text: str, m: re.Match[str], topic: Sequence[str]) -> int:
    """How many topic words the sentence of the match ``m`` repeats."""
    return len(set(content_stems(_sentence_of(text, m.start()))) & set(topic))


def _near_anchor(text: str, m: re.Match[str], keys: Sequence[str]) -> bool:
    """Whether the verdict phrase ``m`` and an anchor word share a sentence."""
    return bool(_hits(_sentence_of(text, m.start()), keys))


Near = Callable[[re.Match[str]], bool]


def _withdrawn(text: str, keys: Sequence[str], same_actor: bool, score: float, words: str,
               near: Near) -> Verdict | None:
    if not same_actor:
        return None
    for pattern, rule in ((_NO_LONGER, "no-longer"), (_CANCELLED, "cancelled-by-speaker")):
        for m in pattern.finditer(text):
            if _near_anchor(text, m, keys) and near(m):
                return Verdict("withdrawn", f"{RULESET}:withdrawn:{rule}", score,
                               f"the actor who set it says {m.group()!r}; shares {words}")
    for m in _hits(text, keys):
        before = _clause_before(text, m.start())
        if near(m) and re.search(r"\b(will not|won't|would not|shall not|not going to)\s+(be\s+)?$", before, re.I):
            return Verdict("withdrawn", f"{RULESET}:withdrawn:will-not", score,
                           f"the actor who set it says {before.strip()} {m.group()!r}; shares {words}")
    return None


def _unfulfilled(expectation: dict[str, Any], evidence: dict[str, Any], keys: Sequence[str], same_actor: bool,
                 score: float, words: str, near: Near) -> Verdict | None:
    text = evidence["content"]
    for m in _POSTPONED.finditer(text):
        if _near_anchor(text, m, keys) and near(m) and not _NEGATION.search(_clause_before(text, m.start(), 20)):
            return Verdict("unfulfilled", f"{RULESET}:unfulfilled:postponed", score,
                           f"reports {m.group()!r}; shares {words}")
    for m in _CANCELLED.finditer(text):
        if not same_actor and _near_anchor(text, m, keys) and near(m):
            return Verdict("unfulfilled", f"{RULESET}:unfulfilled:cancelled", score,
                           f"reports {m.group()!r} (not by the actor who set it); shares {words}")
    if evidence["evidence_on"] <= expectation["due_end"]:
        return None  # "has not yet happened" before the deadline is no verdict
    for hit in _hits(text, keys):
        before = _clause_before(text, hit.start())
        if near(hit) and _DONE_NOT.search(before) and not _FUTURE.search(before):
            return Verdict("unfulfilled", f"{RULESET}:unfulfilled:not-done-by-deadline", score,
                           f"after the deadline {expectation['due_end']}: {before.strip()} {hit.group()!r}; "
                           f"shares {words}")
    return None


def _fulfilled(text: str, actions: Sequence[str], events: Sequence[str], score: float, words: str,
               near: Near) -> Verdict | None:
    for hit in _hits(text, actions, past_only=True):
        before = _clause_before(text, hit.start())
        if not near(hit) or _NEGATION.search(before) or _FUTURE.search(before) or re.search(r"\b(if|whether|when)\b", before, re.I):
            continue
        return Verdict("fulfilled", f"{RULESET}:fulfilled:past-of-expected-action", score,
                       f"reports {' '.join([*before.split()[-2:], hit.group()])!r} in the past; shares {words}")
    for m in _TOOK_PLACE.finditer(text):
        before = _clause_before(text, m.start())
        if _near_anchor(text, m, events) and near(m) and not _NEGATION.search(before) and not _FUTURE.search(before):
            return Verdict("fulfilled", f"{RULESET}:fulfilled:event-took-place", score,
                           f"reports the {events[0]} {m.group()!r}; shares {words}")
    return None


def has_verdict_phrase(text: str) -> bool:
    """A cheap filter: could this statement be evidence at all (a verdict phrase, or a past form of a verb)?"""
    return bool(_has_past_form(text)  # the commonest: checked first
                or _POSTPONED.search(text) or _CANCELLED.search(text) or _NO_LONGER.search(text)
                or _TOOK_PLACE.search(text) or _NEGATION.search(text))


#: Words (``_WORD``) that :func:`_is_past_form` accepts, found by regular expressions instead of a loop over the
#: words: a run of word characters ending in "ed" (the commonest, and fast to find), or an irregular past form that
#: is the whole word (a word starts at its first letter: leading apostrophes and hyphens are not part of it).
#: ASCII-only case folding, as ``_WORD`` knows only ASCII letters.
_PAST_ED = re.compile(r"ed(?![A-Za-z'’-])", re.I | re.A)
_PAST_IRREGULAR = re.compile(r"(?<![A-Za-z'’-])['’-]*(?:"
                             + "|".join(sorted((w for w, base in _IRREGULAR.items() if base != w), key=len,
                                               reverse=True))
                             + r")(?![A-Za-z'’-])", re.I | re.A)


def _has_past_form(text: str) -> bool:
    """Whether a word of ``text`` is a past form (:func:`_is_past_form`)."""
    return bool(_PAST_ED.search(text) or _PAST_IRREGULAR.search(text))


# --- incremental update ----------------------------------------------------------------------------------------
def update(conn: sa.Connection, article_ids: Sequence[str]) -> None:
    """Bring expectations and their evidence up to date for newly written articles: register their expectations,
    look for later statements that settle them, and look at their statements as evidence for earlier expectations.
    Every look-up is by indexed actor and date, never a pass over the ledger."""
    if not article_ids:
        return
    new = register(conn, article_ids)
    families = _Families(conn)
    for row in _expectation_rows(conn, new):
        _link(conn, row, _later_statements(conn, row, families))
    statements = [st for st in _statement_rows(conn, article_ids) if has_verdict_phrase(st["content"])]
    about = _about_map(conn, [st["id"] for st in statements])
    entities = {st["id"]: about.get(st["id"], set()) | ({st["speaker_entity_id"]} - {None}) for st in statements}
    families.family(set().union(set(), *entities.values()))  # every actor and name of the update in two queries
    earlier, actors = _Earlier(conn), dict[str, tuple[set[str], list[str]]]()
    for statement in statements:
        if statement["kind"] == "question":
            continue  # never evidence (see _link)
        for row in earlier.passing(statement, families.family(entities[statement["id"]])):
            _link(conn, row, [statement], actors)


def rebuild(conn: sa.Connection) -> None:
    """Recompute every expectation and evidence link from the statements (a from-scratch pass)."""
    conn.execute(ev.delete())
    conn.execute(xa.delete())
    conn.execute(ex.delete())
    ids = list(conn.execute(sa.select(a.c.id).order_by(a.c.published, a.c.id)).scalars())
    for start in range(0, len(ids), 500):
        register(conn, ids[start:start + 500])
    families = _Families(conn)
    for row in _expectation_rows(conn, list(conn.execute(sa.select(ex.c.id)).scalars())):
        _link(conn, row, _later_statements(conn, row, families))


def register(conn: sa.Connection, article_ids: Sequence[str]) -> list[str]:
    """Add an expectation for every statement of these articles that sets a due window; returns the new ids."""
    query = (sa.select(s.c.id, s.c.article_id, s.c.expectation_what, s.c.expectation_start, s.c.expectation_end,
                       s.c.expectation_text, s.c.expectation_granularity, s.c.ruleset, STATED_ON.label("stated_on"))
             .where(s.c.article_id.in_(list(article_ids)), s.c.expectation_what.is_not(None),
                    s.c.expectation_start.is_not(None), s.c.expectation_end.is_not(None)))
    rows = [r._mapping for r in conn.execute(query)]
    known = set(conn.execute(sa.select(ex.c.statement_id).where(ex.c.statement_id.in_([r["id"] for r in rows])))
                .scalars())
    values = [{"id": hash_id("expectation", r["id"]), "statement_id": r["id"], "article_id": r["article_id"],
               "what": r["expectation_what"], "due_start": r["expectation_start"], "due_end": r["expectation_end"],
               "due_text": r["expectation_text"], "granularity": r["expectation_granularity"],
               "stated_on": r["stated_on"], "rule": f"{RULESET}:due-window-from:{r['ruleset']}"}
              for r in rows if r["id"] not in known]
    if values:
        conn.execute(ex.insert(), values)
        _register_actors(conn, [v["id"] for v in values])
    return [v["id"] for v in values]


def _register_actors(conn: sa.Connection, expectation_ids: Sequence[str]) -> None:
    """The ``expectation_actors`` rows of these expectations: the speaker entity of each one's statement and every
    entity the statement is about (the entity ids :class:`_Earlier` matches an actor family against),
    with its ``stated_on``. The same rows as the backfill of migration m010_expectation_actors."""
    sa_ = schema.statement_about
    for start in range(0, len(expectation_ids), 500):
        chunk = list(expectation_ids[start:start + 500])
        speakers = (sa.select(ex.c.id, s.c.speaker_entity_id, ex.c.stated_on).join(s, s.c.id == ex.c.statement_id)
                    .where(ex.c.id.in_(chunk), s.c.speaker_entity_id.is_not(None)))
        about = (sa.select(ex.c.id, sa_.c.entity_id, ex.c.stated_on)
                 .join(sa_, sa_.c.statement_id == ex.c.statement_id).where(ex.c.id.in_(chunk)))
        conn.execute(xa.insert().from_select(["expectation_id", "entity_id", "stated_on"], sa.union(speakers, about)))


def _expectation_rows(conn: sa.Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    query = (sa.select(ex, s.c.speaker_entity_id).join(s, s.c.id == ex.c.statement_id)
             .where(ex.c.id.in_(list(ids))))
    return [dict(r._mapping) for r in conn.execute(query)]


def _statement_rows(conn: sa.Connection, article_ids: Sequence[str]) -> list[dict[str, Any]]:
    query = (sa.select(s.c.id, s.c.article_id, s.c.content, s.c.kind, s.c.speaker_entity_id,
                       STATED_ON.label("evidence_on"))
             .where(s.c.article_id.in_(list(article_ids)), STATED_ON.is_not(None)))
    return [dict(r._mapping) for r in conn.execute(query)]


def _entities_of(conn: sa.Connection, statement_id: str, speaker_entity_id: str | None) -> set[str]:
    return _about_ids(conn, statement_id) | ({speaker_entity_id} if speaker_entity_id else set())


def _sharing(entity_ids: Iterable[str], *, by_date: bool = False) -> sa.ColumnElement[bool]:
    """Statements whose speaker, or an entity they are about, is one of ``entity_ids``. ``by_date``: checked row by
    row (key look-ups in ``statement_about``) while the date index is read in order, instead of collecting every
    statement of the actors first."""
    sa_ = schema.statement_about
    ids = list(entity_ids)
    if by_date:
        return sa.or_(s.c.speaker_entity_id.in_(ids),
                      sa.exists().where(sa_.c.statement_id == s.c.id, sa_.c.entity_id.in_(ids)))
    return sa.or_(s.c.speaker_entity_id.in_(ids), s.c.id.in_(sa.select(sa_.c.statement_id).where(sa_.c.entity_id.in_(ids))))


class _Families:
    """Actor families (``provenance.actor_family``: every entity id naming the same actor) of the statements of one
    update, read once for all of them (entity → actor, actor → entities), and whether many statements are about a
    family (:meth:`about_many`) — which only chooses between two plans of the same query, so it never changes what
    is found."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.actor: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        self._about_many: dict[frozenset[str], bool] = {}
        #: later statements by (family, day, article), for the expectations of one article that share them
        self.later: dict[tuple[frozenset[str], Any, str], list[dict[str, Any]]] = {}

    def family(self, entity_ids: Iterable[str]) -> set[str]:
        ids = {i for i in entity_ids if i}
        missing = [i for i in ids if i not in self.actor]
        if missing:
            self.actor.update(actor_ids(self.conn, missing))
            actors = sorted({self.actor[i] for i in missing} - self.members.keys())
            for actor in actors:
                self.members[actor] = set()
            an = schema.actor_names
            for start in range(0, len(actors), 500):
                query = sa.select(an.c.entity_id, an.c.actor_id).where(an.c.actor_id.in_(actors[start:start + 500]))
                for entity, actor in self.conn.execute(query):
                    self.members[actor].add(entity)
        return ids | {self.actor[i] for i in ids} | {e for i in ids for e in self.members[self.actor[i]]}

    def about_many(self, family: set[str]) -> bool:
        """Whether at least ``FAN_OUT`` statements are about these entities (an index-only count that stops there)."""
        key = frozenset(family)
        if key not in self._about_many:
            sa_ = schema.statement_about
            capped = sa.select(sa_.c.statement_id).where(sa_.c.entity_id.in_(sorted(family))).limit(FAN_OUT)
            count = self.conn.execute(sa.select(sa.func.count()).select_from(capped.subquery())).scalar_one()
            self._about_many[key] = count >= FAN_OUT
        return self._about_many[key]


def _about_map(conn: sa.Connection, statement_ids: Sequence[str]) -> dict[str, set[str]]:
    """statement id → the entity ids it is about, for many statements at once."""
    sa_ = schema.statement_about
    found: dict[str, set[str]] = {}
    for start in range(0, len(statement_ids), 500):
        query = sa.select(sa_.c.statement_id, sa_.c.entity_id).where(
            sa_.c.statement_id.in_(list(statement_ids[start:start + 500])))
        for sid, eid in conn.execute(query):
            found.setdefault(sid, set()).add(eid)
    return found


def _later_statements(conn: sa.Connection, row: dict[str, Any], families: _Families) -> list[dict[str, Any]]:
    """Statements of other articles, dated after the expectation was stated, that share an actor with it: the
    ``CANDIDATES`` first by date (then id, descending), those with a verdict phrase (see :func:`_later_ids`)."""
    if row["stated_on"] is None:
        return []
    family = families.family(_entities_of(conn, row["statement_id"], row["speaker_entity_id"]))
    if not family:
        return []
    key = (frozenset(family), row["stated_on"], row["article_id"])
    if key not in families.later:
        ids = _later_ids(conn, family, row["stated_on"], row["article_id"], families.about_many(family))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), 500):
            query = (sa.select(s.c.id, s.c.article_id, s.c.content, s.c.kind, s.c.speaker_entity_id,
                               STATED_ON.label("evidence_on")).where(s.c.id.in_(ids[start:start + 500])))
            found.update((r.id, dict(r._mapping)) for r in conn.execute(query) if has_verdict_phrase(r.content))
        families.later[key] = [found[i] for i in ids if i in found]
    return families.later[key]


def _later_ids(conn: sa.Connection, family: set[str], after: Any, article_id: str, about_many: bool) -> list[str]:
    """Ids of the ``CANDIDATES`` first statements (by ``placed_on``, then id descending) dated after ``after``,
    of other articles than ``article_id``, whose speaker or an entity they are about is in ``family`` — what
    ``_later_query`` answers, from indexes alone:

    - by speaker: for each entity id, one range of ``ix_statements_speaker_entity_id_placed_on`` read in date
      order that stops at the limit;
    - by "about": the statements about the family from ``ix_statement_about_entity_id_statement_id`` with their
      dates from ``ix_statements_id_placed_on`` (m012), sorted — never a table row, whose ``placed_on`` lies past
      the content; or, when ``about_many`` (``FAN_OUT`` or more of them), the date index read in order, each row
      checked by key, stopping at the limit.

    Each stream takes as many more rows as the article has statements; those are dropped here, then the first
    ``CANDIDATES`` of the union are kept: the same ids in the same order as the one query."""
    own = set(conn.execute(sa.select(s.c.id).where(s.c.article_id == article_id)).scalars())
    limit = CANDIDATES + len(own)
    found: set[tuple[Any, str]] = set()
    for entity in sorted(family):
        by_speaker = (sa.select(STATED_ON, s.c.id).where(s.c.speaker_entity_id == entity, STATED_ON > after)
                      .order_by(STATED_ON, s.c.id.desc()).limit(limit))
        found.update((day, i) for day, i in conn.execute(by_speaker))
    sa_ = schema.statement_about
    ids = sorted(family)
    about: sa.ColumnElement[bool]
    if about_many:
        about = sa.exists().where(sa_.c.statement_id == s.c.id, sa_.c.entity_id.in_(ids))
    else:
        about = s.c.id.in_(sa.select(sa_.c.statement_id).where(sa_.c.entity_id.in_(ids)))
    by_about = sa.select(STATED_ON, s.c.id).where(about, STATED_ON > after).order_by(STATED_ON, s.c.id.desc())
    found.update((day, i) for day, i in conn.execute(by_about.limit(limit)))
    ordered = sorted(sorted((x for x in found if x[1] not in own), key=lambda x: x[1], reverse=True),
                     key=lambda x: x[0])
    return [i for _, i in ordered[:CANDIDATES]]


def _later_query(family: set[str], after: Any, article_id: str, *, by_date: bool) -> sa.Select[Any]:
    """The later statements as one query (both plans; before m012): what :func:`_later_ids` must equal."""
    return (sa.select(s.c.id).where(_sharing(family, by_date=by_date), STATED_ON > after, s.c.article_id != article_id)
            .order_by(STATED_ON, s.c.id.desc()).limit(CANDIDATES))


class _Earlier:
    """Expectations of other articles, stated before a statement, that share an actor (``family``) with it: the
    ``CANDIDATES`` newest (by ``stated_on``, then id, both descending), read through ``expectation_actors``
    (migration m010): for each entity id of the family, its ``CANDIDATES`` newest expectations before the day, one
    range of ``ix_expectation_actors_entity_id_stated_on_expectation_id`` that stops at the limit; then the newest
    ``CANDIDATES`` of their union. An expectation among the newest ``CANDIDATES`` of the union is among the newest
    ``CANDIDATES`` of each of its entity ids (every expectation newer than it and sharing that id is in the union
    too), so nothing the union-wide limit keeps is lost, whatever the number of statements by or about the actor.

    The index alone answers each range (covering): the expectations of the statement's own article are read past
    (the range takes as many more rows) and dropped here. Of the candidates only the text (``what``, ``due_text``)
    is read for :func:`may_judge`, once per expectation (its gate words); whole rows only for those it keeps. Entity
    ids without any expectation are found in one query and skipped. Per-entity lists, candidate lists, gate words and
    rows are kept for one update: the statements of an article share actors and dates."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self._newest: dict[tuple[str, Any, str], list[tuple[Any, str]]] = {}
        self._of: dict[tuple[frozenset[str], Any, str], list[str]] = {}
        self._has: dict[str, bool] = {}
        self._gates: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}
        self._rows: dict[str, dict[str, Any]] = {}
        self._own: dict[str, set[str]] = {}

    def of(self, statement: dict[str, Any], family: set[str]) -> list[str]:
        """The candidates' ids, newest first (the same for the statements of an article that share a day and an
        actor family)."""
        before, article = statement["evidence_on"], statement["article_id"]
        key = (frozenset(family), before, article)
        if key not in self._of:
            self._check(family)
            lists = [self.newest(entity, before, article) for entity in sorted(family) if self._has[entity]]
            found: dict[str, None] = {}  # each list is newest first: merged, an expectation of several ids once
            for _, i in heapq.merge(*lists, reverse=True):
                found[i] = None
                if len(found) == CANDIDATES:
                    break
            self._of[key] = list(found)
        return self._of[key]

    def passing(self, statement: dict[str, Any], family: set[str]) -> list[dict[str, Any]]:
        """The whole rows (with the speaker entity) of the candidates against which the text of ``statement``
        passes :func:`may_judge`: the only ones :func:`_link` would judge it for."""
        ids = self.of(statement, family)
        missing = [i for i in ids if i not in self._gates]
        for start in range(0, len(missing), 500):
            query = sa.select(ex.c.id, ex.c.what, ex.c.due_text).where(ex.c.id.in_(missing[start:start + 500]))
            self._gates.update((i, _gate_words(what, due)) for i, what, due in _plain_rows(self.conn, query))
        stems, gates = _stems(statement["content"]), self._gates
        kept = [i for i in ids if _passes(*gates[i], stems)]  # may_judge, its text read once per expectation
        missing = [i for i in kept if i not in self._rows]
        for start in range(0, len(missing), 500):
            self._rows.update((r["id"], r) for r in _expectation_rows(self.conn, missing[start:start + 500]))
        return [self._rows[i] for i in kept]

    def _check(self, family: set[str]) -> None:
        """Which of these entity ids have any expectation at all (most names of an actor have none): one query of
        key look-ups that stop at the first row, instead of one range query per id."""
        missing = sorted(family - self._has.keys())
        for start in range(0, len(missing), 100):
            chunk = missing[start:start + 100]
            self._has.update(dict.fromkeys(chunk, False))
            parts = [sa.select(sa.literal(i).label("entity_id")).where(sa.exists().where(xa.c.entity_id == i))
                     for i in chunk]
            self._has.update(dict.fromkeys(self.conn.execute(sa.union_all(*parts)).scalars(), True))

    def newest(self, entity_id: str, before: Any, article_id: str) -> list[tuple[Any, str]]:
        """(stated_on, expectation id) of the ``CANDIDATES`` newest expectations of ``entity_id`` stated before
        ``before``, from other articles than ``article_id``."""
        key = (entity_id, before, article_id)
        if key not in self._newest:
            if article_id not in self._own:
                own = sa.select(ex.c.id).where(ex.c.article_id == article_id)
                self._own[article_id] = set(self.conn.execute(own).scalars())
            skip = self._own[article_id]
            rows = _plain_rows(self.conn, _newest_query(entity_id, before, CANDIDATES + len(skip)))
            self._newest[key] = [(day, i) for day, i in rows if i not in skip][:CANDIDATES]
        return self._newest[key]


def _plain_rows(conn: sa.Connection, query: sa.Select[Any]) -> list[Any]:
    """The rows of ``query`` as the database driver returns them, without SQLAlchemy's per-row processing (a date
    stays the driver's value: an ISO string on SQLite). For the candidate lists, thousands of rows per article that
    are only ordered and compared with each other."""
    result = conn.execute(query)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _newest_query(entity_id: str, before: Any, limit: int) -> sa.Select[Any]:
    """The ``limit`` newest (stated_on, expectation id) of ``entity_id`` stated before ``before``: one range of
    ``ix_expectation_actors_entity_id_stated_on_expectation_id``, in index order."""
    return (sa.select(xa.c.stated_on, xa.c.expectation_id)
            .where(xa.c.entity_id == entity_id, xa.c.stated_on < before)
            .order_by(xa.c.stated_on.desc(), xa.c.expectation_id.desc()).limit(limit))


def _link(conn: sa.Connection, row: dict[str, Any], statements: Sequence[dict[str, Any]],
          actors: dict[str, tuple[set[str], list[str]]] | None = None) -> None:
    """Judge each statement against the expectation and store the links found (an existing link is kept).
    ``actors`` keeps each expectation's speaker family and "about" names for the calls of one update."""
    statements = [st for st in statements
                  if st["kind"] != "question" and may_judge(row["what"], row.get("due_text"), st["content"])]
    if not statements:
        return
    if actors is None or row["id"] not in actors:
        speakers = actor_family(conn, [row["speaker_entity_id"]] if row["speaker_entity_id"] else [])
        found = (speakers, _names(conn, _about_ids(conn, row["statement_id"])))
        if actors is None:
            actors = {}
        actors[row["id"]] = found
    speakers, about = actors[row["id"]]
    known = set(conn.execute(sa.select(ev.c.statement_id).where(ev.c.expectation_id == row["id"])).scalars())
    values = []
    for st in statements:
        if st["id"] in known or st["kind"] == "question":
            continue
        verdict = judge(row, st, same_actor=st["speaker_entity_id"] in speakers, about=about)
        if verdict is not None:
            values.append({"expectation_id": row["id"], "statement_id": st["id"], "verdict": verdict.verdict,
                           "evidence_on": st["evidence_on"], "rule": verdict.rule, "score": verdict.score,
                           "reason": verdict.reason})
            known.add(st["id"])
    if values:
        conn.execute(ev.insert(), values)


def _about_ids(conn: sa.Connection, statement_id: str) -> set[str]:
    sa_ = schema.statement_about
    return set(conn.execute(sa.select(sa_.c.entity_id).where(sa_.c.statement_id == statement_id)).scalars())


def _names(conn: sa.Connection, entity_ids: set[str]) -> list[str]:
    e = schema.entities
    if not entity_ids:
        return []
    return sorted(conn.execute(sa.select(e.c.name).where(e.c.id.in_(list(entity_ids)))).scalars())


# --- status ----------------------------------------------------------------------------------------------------
def status(due_start: date, due_end: date, evidence: Sequence[dict[str, Any]], as_of: date,
           soon_days: int = DUE_SOON_DAYS) -> tuple[str, str]:
    """The status of an expectation on ``as_of`` and the reason for it. ``evidence`` are links with ``verdict``,
    ``evidence_on`` and ``statement_id``; links dated after ``as_of`` are not yet known on that day."""
    known = [e for e in evidence if e["evidence_on"] is not None and e["evidence_on"] <= as_of]
    if known:
        last = max(known, key=lambda e: (e["evidence_on"], e["score"]))
        return (VERDICT_STATUS[last["verdict"]],
                f"newest evidence on or before {as_of}: statement {last['statement_id']} ({last['evidence_on']}, "
                f"{last['rule']})")
    window = f"due window {due_start}…{due_end}"
    if as_of > due_end:
        return "overdue", f"{window} ended before {as_of} with no report either way"
    if as_of >= due_start - timedelta(days=soon_days):
        return "due soon", f"{window} starts within {soon_days} days of {as_of} or has started"
    return "open", f"{window} starts more than {soon_days} days after {as_of}"


# --- read side -------------------------------------------------------------------------------------------------
def list_expectations(conn: sa.Connection, *, as_of: date, status_filter: str | None = None,
                      due_before: date | None = None, speaker: str | None = None, soon_days: int = DUE_SOON_DAYS,
                      limit: int | None = None) -> list[dict[str, Any]]:
    """Expectations stated on or before ``as_of``, soonest due first, as public records
    ``{"id","statement","what","due":{"start","end"},"status","status_reason","as_of","evidence":[...]}``.

    ``status_filter`` is one of ``STATUSES``; ``due_before`` keeps those due (window start) before that day;
    ``speaker`` is a case-insensitive substring of the speaker's name, mention, or any name of the speaker's actor.
    """
    query = (sa.select(ex).join(s, s.c.id == ex.c.statement_id)
             .where(sa.or_(ex.c.stated_on.is_(None), ex.c.stated_on <= as_of)).order_by(ex.c.due_start, ex.c.id))
    if due_before is not None:
        query = query.where(ex.c.due_start < due_before)
    if speaker:
        query = query.where(_speaker_condition(conn, speaker))
    rows = [dict(r._mapping) for r in conn.execute(query)]
    links = _evidence(conn, [r["id"] for r in rows])
    found = []
    for row in rows:
        state, reason = status(row["due_start"], row["due_end"], links.get(row["id"], []), as_of, soon_days)
        if status_filter is None or state == status_filter:
            found.append((row, state, reason))
        if limit is not None and len(found) >= limit:
            break
    return _records(conn, found, links, as_of)


def _speaker_condition(conn: sa.Connection, needle: str) -> sa.ColumnElement[bool]:
    e, al = schema.entities, schema.aliases
    low = needle.lower()
    named = set(conn.execute(sa.select(e.c.id).where(sa.func.lower(e.c.name).contains(low, autoescape=True))).scalars())
    named |= set(conn.execute(sa.select(al.c.entity_id)
                              .where(sa.func.lower(al.c.alias).contains(low, autoescape=True))).scalars())
    return sa.or_(sa.func.lower(s.c.speaker_name).contains(low, autoescape=True),
                  sa.func.lower(s.c.speaker_mention).contains(low, autoescape=True),
                  s.c.speaker_entity_id.in_(list(actor_family(conn, named))))


def _evidence(conn: sa.Connection, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(ids), 500):
        query = ev.select().where(ev.c.expectation_id.in_(list(ids[start:start + 500])))
        for r in conn.execute(query.order_by(ev.c.evidence_on, ev.c.statement_id)):
            found.setdefault(r.expectation_id, []).append(dict(r._mapping))
    return found


def _records(conn: sa.Connection, found: Sequence[tuple[dict[str, Any], str, str]],
             links: dict[str, list[dict[str, Any]]], as_of: date) -> list[dict[str, Any]]:
    from ..query.lookup import iso, records_by_id

    ids = [row["statement_id"] for row, _, _ in found]
    ids += [e["statement_id"] for row, _, _ in found for e in links.get(row["id"], [])]
    records = {r["id"]: r for r in records_by_id(conn, ids)}
    return [{"id": row["id"], "statement": records.get(row["statement_id"]), "what": row["what"],
             "due": {"start": iso(row["due_start"]), "end": iso(row["due_end"])}, "status": state,
             "status_reason": reason, "as_of": as_of.isoformat(), "rule": row["rule"],
             "evidence": [{"statement": records.get(e["statement_id"]), "verdict": e["verdict"], "rule": e["rule"],
                           "score": e["score"], "reason": e["reason"], "on": iso(e["evidence_on"])}
                          for e in links.get(row["id"], []) if e["evidence_on"] is None or e["evidence_on"] <= as_of]}
            for row, state, reason in found]
