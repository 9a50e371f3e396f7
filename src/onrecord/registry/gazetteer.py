"""The entity gazetteer: weapons, armed forces, intelligence services, state bodies, people, countries and places
under all their names, with people's dated roles and countries' demonyms.

Shipped data lives in ``data/gazetteer.json`` (versioned ``onrecord.gazetteer.v1``); a user file (the
``gazetteer_file`` setting) is merged over it: an entry with a shipped name replaces it, or extends it with
``"extend": true``. Names match case-insensitively, ignoring a leading "the" and treating apostrophes alike and
dashes like spaces ("RS-26 Rubezh" = "RS 26 Rubezh"), except all-caps acronyms of up to four letters ("US", "HUR")
and the aliases an entry lists in ``case_sensitive_aliases`` ("Patriot", "Turkey"), which match exactly.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .outlets import (
    entries_of,
    is_short_acronym,
    merge_entries,
    normalize_alias,
    read_json,
    strip_the,
    user_file_path,
)

GAZETTEER_VERSION = "onrecord.gazetteer.v1"
ENTRY_KINDS: tuple[str, ...] = ("weapon", "military", "intelligence", "state_body", "person", "country", "place")
SPACY_LABELS: dict[str, str] = {
    "weapon": "WEAPON", "military": "ORG", "intelligence": "ORG", "state_body": "ORG",
    "person": "PERSON", "country": "GPE", "place": "GPE",
}
PLACE_LABELS: tuple[str, ...] = ("GPE", "LOC", "FAC")

_FIELDS = ("name", "kind", "aliases", "roles", "demonyms", "note", "label", "case_sensitive_aliases", "extend")
_LISTS = ("aliases", "demonyms", "case_sensitive_aliases")
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True, slots=True)
class Role:
    """A role held by a person; dates are ISO strings of a day, a month or a year, None where unknown.
    An end of None on a dated role means it was still held when the data was written (the file's ``as_of``)."""

    role: str
    start: str | None = None
    end: str | None = None

    def active_on(self, day: date | str) -> bool | None:
        """Whether the role was held on ``day``; None when the role has no dates. A month or year boundary
        counts as held throughout that month or year."""
        if self.start is None and self.end is None:
            return None
        iso = day.isoformat() if isinstance(day, date) else day
        if self.start is not None and iso[: len(self.start)] < self.start:
            return False
        return self.end is None or iso[: len(self.end)] <= self.end


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    kind: str
    aliases: tuple[str, ...]
    roles: tuple[Role, ...] = ()
    demonyms: tuple[str, ...] = ()
    note: str | None = None
    label: str | None = None
    case_sensitive_aliases: tuple[str, ...] = ()

    @property
    def spacy_label(self) -> str:
        return self.label or SPACY_LABELS[self.kind]

    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.name, *self.aliases, *self.case_sensitive_aliases)))

    def is_case_sensitive(self, alias: str) -> bool:
        return is_short_acronym(alias) or alias in self.case_sensitive_aliases

    def roles_on(self, day: date | str) -> tuple[Role, ...]:
        """The dated roles held on ``day``."""
        return tuple(r for r in self.roles if r.active_on(day))


def _check_roles(roles: Any, where: str) -> None:
    if not isinstance(roles, list):
        raise ConfigError(f"{where}: 'roles' must be a list of {{\"role\", \"from\", \"to\"}} objects")
    for role in roles:
        if not isinstance(role, dict) or not isinstance(role.get("role"), str) or set(role) - {"role", "from", "to"}:
            raise ConfigError(f"{where}: each role needs a 'role' string and may have 'from' and 'to' dates, got {role!r}")
        for key in ("from", "to"):
            value = role.get(key)
            if value is not None and not (isinstance(value, str) and _DATE.fullmatch(value)):
                raise ConfigError(f"{where}: role {role['role']!r}: {key!r} must be YYYY-MM-DD, YYYY-MM or YYYY, got {value!r}")


def _check_entry(raw: Any, label: str, index: int) -> dict[str, Any]:
    where = f"{label}: entry #{index + 1}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: each entry must be a JSON object")
    where += f" ({raw['name']!r})" if isinstance(raw.get("name"), str) else ""
    unknown = sorted(set(raw) - set(_FIELDS))
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)}; known: {', '.join(_FIELDS)}")
    missing = [f for f in (("name",) if raw.get("extend") else ("name", "kind", "aliases")) if f not in raw]
    if missing:
        raise ConfigError(f"{where}: missing field(s) {', '.join(missing)}")
    if not isinstance(raw["name"], str) or not raw["name"].strip():
        raise ConfigError(f"{where}: 'name' must be a non-empty string")
    if "kind" in raw and raw["kind"] not in ENTRY_KINDS:
        raise ConfigError(f"{where}: unknown kind {raw['kind']!r}; known: {', '.join(ENTRY_KINDS)}")
    for key in _LISTS:
        if key in raw and (not isinstance(raw[key], list) or not all(isinstance(x, str) and x.strip() for x in raw[key])):
            raise ConfigError(f"{where}: {key!r} must be a list of non-empty strings")
    if "note" in raw and not isinstance(raw["note"], str):
        raise ConfigError(f"{where}: 'note' must be a string")
    if "label" in raw and raw["label"] not in PLACE_LABELS:
        raise ConfigError(f"{where}: 'label' must be one of {', '.join(PLACE_LABELS)} (for places)")
    if "roles" in raw:
        _check_roles(raw["roles"], where)
    return dict(raw)


def _entry(raw: dict[str, Any], label: str) -> Entry:
    if raw.get("label") and raw["kind"] not in ("place", "country"):
        raise ConfigError(f"{label}: entry {raw['name']!r}: 'label' is only for places and countries")
    cs = tuple(raw.get("case_sensitive_aliases", ()))
    return Entry(
        name=raw["name"].strip(),
        kind=raw["kind"],
        aliases=tuple(dict.fromkeys(a for a in (*raw["aliases"], *cs) if a != raw["name"])),
        roles=tuple(Role(r["role"], r.get("from"), r.get("to")) for r in raw.get("roles", ())),
        demonyms=tuple(raw.get("demonyms", ())),
        note=raw.get("note"),
        label=raw.get("label"),
        case_sensitive_aliases=cs,
    )


def _key(text: str, case_sensitive: bool) -> str:
    text = strip_the(normalize_alias(text))
    return text if case_sensitive else text.casefold()


def _variants(alias: str) -> list[str]:
    """The alias as written, with dashes as spaces, and with the other apostrophe."""
    out = [alias]
    if "-" in alias:
        out.append(re.sub(r"\s*-\s*", " ", alias))
    for text in list(out):
        if "'" in text:
            out.append(text.replace("'", "’"))
        elif "’" in text:
            out.append(text.replace("’", "'"))
    return list(dict.fromkeys(out))


class Gazetteer:
    """Entries by name and alias. Build with :meth:`load`; iterate for every entry."""

    def __init__(self, entries: Iterable[Entry], version: str = GAZETTEER_VERSION, as_of: str | None = None) -> None:
        self.version = version
        self.as_of = as_of
        self._entries = tuple(entries)
        self._exact: dict[str, Entry] = {}
        self._folded: dict[str, Entry] = {}
        self._demonyms: dict[str, Entry] = {}
        for entry in self._entries:
            for alias in entry.names():
                cs = entry.is_case_sensitive(alias)
                (self._exact if cs else self._folded)[_key(alias, cs)] = entry
            for demonym in entry.demonyms:
                self._demonyms[demonym.casefold()] = entry
        self._patterns: list[dict[str, Any]] | None = None

    @classmethod
    def load(cls, user_file: str | Path | None = None) -> Gazetteer:
        """The shipped gazetteer with the user file (the ``gazetteer_file`` setting when None; "" for none)."""
        label = "shipped gazetteer.json"
        data = read_json(resources.files("onrecord.registry") / "data" / "gazetteer.json", label)
        shipped = [_check_entry(e, label, i) for i, e in enumerate(entries_of(data, "entries", label))]
        path = user_file_path(user_file, "gazetteer_file")
        user: list[dict[str, Any]] = []
        if path:
            entries = entries_of(read_json(Path(path), path), "entries", path)
            user = [_check_entry(e, path, i) for i, e in enumerate(entries)]
        merged = _merge(shipped, user, path or label)
        meta = data if isinstance(data, dict) else {}
        version = meta.get("version", GAZETTEER_VERSION) + ("+user" if path else "")
        return cls((_entry(e, path or label) for e in merged), version, meta.get("as_of"))

    def lookup(self, text: str) -> Entry | None:
        """The entry ``text`` names (a name or an alias), or None."""
        for candidate in (text, text.strip().strip(",;:!?\"“”()"), re.sub(r"['’]s?$", "", text.strip())):
            if candidate:
                entry = self._exact.get(_key(candidate, True)) or self._folded.get(_key(candidate, False))
                if entry is not None:
                    return entry
        return None

    def by_demonym(self, word: str) -> Entry | None:
        """The country a demonym belongs to ("Belarusian" → Belarus)."""
        return self._demonyms.get(word.strip().casefold())

    def get(self, name: str) -> Entry | None:
        """An entry by its canonical name (case-insensitive)."""
        return next((e for e in self._entries if e.name.casefold() == name.casefold()), None)

    def entity_ruler_patterns(self) -> list[dict[str, Any]]:
        """spaCy EntityRuler token patterns for every name and alias: {"label", "pattern", "id"}; LOWER for most,
        ORTH for acronyms and case-sensitive aliases. Tokens come from spaCy's English tokenizer."""
        if self._patterns is None:
            self._patterns = self._build_patterns()
        return [dict(p) for p in self._patterns]

    def _build_patterns(self) -> list[dict[str, Any]]:
        import spacy  # imported here: the gazetteer itself needs no NLP

        tokenizer = spacy.blank("en").tokenizer
        seen: set[tuple[str, tuple[tuple[str, str], ...], str]] = set()
        patterns: list[dict[str, Any]] = []
        for entry in self._entries:
            for alias in entry.names():
                attr = "ORTH" if entry.is_case_sensitive(alias) else "LOWER"
                for variant in _variants(strip_the(alias)):
                    words = [t.text if attr == "ORTH" else t.text.lower() for t in tokenizer(variant) if not t.is_space]
                    key = (entry.spacy_label, tuple((attr, w) for w in words), entry.name)
                    if words and key not in seen:
                        seen.add(key)
                        patterns.append({"label": entry.spacy_label, "pattern": [{attr: w} for w in words], "id": entry.name})
        return patterns

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Gazetteer {self.version}: {len(self)} entries>"


def _merge(shipped: list[dict[str, Any]], user: list[dict[str, Any]], label: str) -> list[dict[str, Any]]:
    """User entries replace shipped ones of the same name; with ``"extend": true`` their aliases, demonyms and
    roles are appended to the shipped entry's."""
    merged = merge_entries(shipped, user, label, lists=(*_LISTS, "roles"))
    for entry in merged:
        if "kind" not in entry or "aliases" not in entry:
            raise ConfigError(f"{label}: entry {entry['name']!r} is missing 'kind' or 'aliases'")
    return merged


@functools.lru_cache(maxsize=8)
def _cached_gazetteer(path: str) -> Gazetteer:
    return Gazetteer.load(path)


def load_gazetteer(user_file: str | Path | None = None) -> Gazetteer:
    """The gazetteer, loaded once per process for each user file (the ``gazetteer_file`` setting when None)."""
    return _cached_gazetteer(user_file_path(user_file, "gazetteer_file"))
