"""Role descriptors across articles: "the Russian president" said … → the actor who held that role on that day.

The extractor already links a description to a person named earlier in the same article (the article makes the
link). A statement whose speaker is only described (``speaker_name`` null, the description kept as ``role`` or
``mention``) is linked here only when the gazetteer makes the link: exactly one gazetteer person held a *dated*
role that fits the description on the statement's date (``said_on`` start, else the article's publication date).
Roles carry time validity, so "the US president" is Joe Biden in 2023 and Donald Trump in 2025; a role without
dates, a statement without a date, a description without a qualifier ("the president") or two holders on the
day give no link. The link (``descriptor_links``) records the role, its dates, the day and where the day came from.

A description fits a role when their head words are the same (the word before "of"/"to"/"for", else the last:
"President of Russia" → president, "Kremlin leader" → leader) and every other word of the description is a word
of the role or names a country whose name is in the role (its demonym or an alias: "Russian", "US", "American").
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..ledger import schema
from ..registry import Entry, Gazetteer, load_gazetteer

RULE = "gazetteer-role"
_STOP = frozenset({"the", "a", "an", "of", "s", "to", "for", "and", "in", "'s", "’s", "its", "country", "country's"})
_HEAD_CUT = re.compile(r"\s(?:of|to|for|at)\s", re.I)


@dataclass(frozen=True, slots=True)
class RoleHolder:
    """One dated role of one gazetteer person, with its head and qualifier words."""

    entry: str
    role: str
    start: str | None
    end: str | None
    head: str
    words: frozenset[str]

    def held_on(self, day: str) -> bool:
        if self.start is not None and day[: len(self.start)] < self.start:
            return False
        return self.end is None or day[: len(self.end)] <= self.end


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9’'-]+", text.lower().replace("’s", "").replace("'s", "")) if w]


def head_word(text: str) -> str:
    """The head of a role or description: the last word before "of"/"to"/"for"/"at", else the last word."""
    first = _HEAD_CUT.split(f" {text.strip()} ".replace("'s ", " ").replace("’s ", " "), maxsplit=1)[0]
    words = _words(first)
    return words[-1] if words else ""


@functools.lru_cache(maxsize=4)
def holders(gaz: Gazetteer) -> tuple[RoleHolder, ...]:
    """Every dated role of every gazetteer person."""
    found = []
    for entry in gaz:
        if entry.kind != "person":
            continue
        for role in entry.roles:
            if role.start is None and role.end is None:
                continue
            found.append(RoleHolder(entry.name, role.role, role.start, role.end, head_word(role.role),
                                    frozenset(_words(role.role)) - _STOP))
    return tuple(found)


def _country_words(gaz: Gazetteer, word: str) -> frozenset[str]:
    """The words of the country (or place) a qualifier names: "russian" → {russia}, "us" → {united, states}."""
    entry: Entry | None = gaz.by_demonym(word) or gaz.lookup(word) or gaz.lookup(word.upper())
    if entry is None or entry.kind not in ("country", "place"):
        return frozenset()
    return frozenset(_words(entry.name)) - _STOP


def fits(gaz: Gazetteer, description: str, holder: RoleHolder) -> bool:
    """Whether a description names the role: the same head, every qualifier a role word or its country."""
    if head_word(description) != holder.head:
        return False
    qualifiers = [w for w in _words(description) if w not in _STOP and w != holder.head]
    if not qualifiers:
        return False
    for word in qualifiers:
        country = _country_words(gaz, word)
        if word not in holder.words and not (country and country <= holder.words):
            return False
    return True


def resolve_description(gaz: Gazetteer, description: str, day: str) -> tuple[RoleHolder, ...]:
    """The gazetteer persons whose dated role fits ``description`` on ``day`` (one per person)."""
    found: dict[str, RoleHolder] = {}
    for holder in holders(gaz):
        if holder.held_on(day) and fits(gaz, description, holder):
            found.setdefault(holder.entry, holder)
    return tuple(found.values())


def link_descriptors(conn: sa.Connection, article_ids: Sequence[str]) -> int:
    """Link the described (unnamed) speakers of these articles to actors; returns the links written."""
    from .entities import GAZ_KIND, ensure_actor, gazetteer_actor_id

    gaz = load_gazetteer()
    rows = []
    for st in _described(conn, article_ids):
        description = st.speaker_role or st.speaker_mention
        day = st.said_on_start or st.published
        if not description or day is None:
            continue
        iso = day.isoformat() if isinstance(day, date) else str(day)
        found = resolve_description(gaz, description, iso)
        if len(found) != 1:
            continue
        holder = found[0]
        entry = gaz.get(holder.entry)
        kind = GAZ_KIND.get(entry.kind, entry.kind) if entry is not None else "person"
        actor_id = gazetteer_actor_id(holder.entry)
        ensure_actor(conn, {"id": actor_id, "name": holder.entry, "kind": kind, "source": "gazetteer"})
        evidence = {"role": holder.role, "from": holder.start, "to": holder.end, "on": iso,
                    "date_from": "said_on" if st.said_on_start else "published", "gazetteer": gaz.version}
        rows.append({"statement_id": st.id, "actor_id": actor_id, "descriptor": description, "rule": RULE,
                     "score": 1.0, "evidence": json.dumps(evidence, ensure_ascii=False, sort_keys=True)})
    links = schema.descriptor_links
    if rows:
        conn.execute(sa.delete(links).where(links.c.statement_id.in_([r["statement_id"] for r in rows])))
        conn.execute(sa.insert(links), rows)
    return len(rows)


def _described(conn: sa.Connection, article_ids: Sequence[str]) -> list[sa.Row[tuple[object, ...]]]:
    s, a = schema.statements, schema.articles
    found: list[sa.Row[tuple[object, ...]]] = []
    for start in range(0, len(article_ids), 500):
        chunk = list(article_ids[start:start + 500])
        query = (sa.select(s.c.id, s.c.speaker_role, s.c.speaker_mention, s.c.said_on_start, a.c.published)
                 .join(a, a.c.id == s.c.article_id)
                 .where(s.c.article_id.in_(chunk), s.c.speaker_name.is_(None), s.c.speaker_kind == "person"))
        found.extend(conn.execute(query))
    return found
