"""The outlet registry: news outlets, their names in running text, their domains and profile tags.

Shipped data lives in ``data/outlets.json`` (versioned ``onrecord.outlets.v1``); a user file (the ``outlets_file``
setting) is merged over it. Every profile tag an outlet carries has a note saying where the tag comes from.

Matching rules, shared by :meth:`OutletRegistry.find` and :meth:`OutletRegistry.match`:

* aliases match as whole words, case-insensitively, with any run of spaces or dashes matching a space or a dash
  ("RBC Ukraine" = "RBC-Ukraine") and any apostrophe matching any other (' ’ ʼ);
* all-caps aliases of up to four letters ("AP", "RIA", "NV", "ONT", "TASS") and the aliases an outlet lists in
  ``case_sensitive_aliases`` ("The Economist", "Guardian") match only with their exact capitalisation; a leading
  "The" of such an alias also matches "the";
* a leading "the" is not part of a case-insensitive alias ("told the BBC" finds "BBC");
* ``match_only_aliases`` ("Shot", "Deep State") are accepted when a whole phrase names the outlet ("the Telegram
  channel Shot") but never searched for in running text, where they are too often ordinary words.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from .. import settings
from ..errors import ConfigError

OUTLETS_VERSION = "onrecord.outlets.v1"

PROFILE_TAGS: Mapping[str, str] = MappingProxyType({
    "state-owned": "Owned or controlled by a state, directly or through state-controlled companies or agencies.",
    "state-aligned": "Not owned by the state, but owned by government-friendly business or editorially aligned with "
                     "a government (e.g. pro-Kremlin).",
    "public-broadcaster": "Publicly funded broadcaster with a public-service remit (BBC, Suspilne, DW, TVP).",
    "independent": "Described as independent media in a country where most large media are state-controlled or "
                   "owned by government-friendly business (used for Russian, Belarusian and Ukrainian outlets).",
    "wire-agency": "A news agency whose reports other outlets relay.",
    "private": "Privately owned (a company, cooperative, trust or foundation), not by a state.",
    "in-exile": "Works from abroad because of repression at home (Meduza, TV Rain, Belsat).",
    "designated-foreign-agent": "Listed as a 'foreign agent' by Russia's Justice Ministry.",
    "banned-in-russia": "Blocked by Roskomnadzor, barred from broadcasting, or declared an 'undesirable "
                        "organization' in Russia.",
    "sanctioned": "Under EU or US sanctions (e.g. the EU's suspension of broadcasting, OFAC designation).",
    "anonymous-channel": "A channel whose authors are not named.",
    "military-blogger": "A blog or channel about the war run by military correspondents or analysts.",
})
OUTLET_KINDS: tuple[str, ...] = ("wire agency", "newspaper", "magazine", "broadcaster", "online", "telegram channel")

_FIELDS = ("name", "aliases", "domains", "country", "profile", "notes", "kind")
_OPTIONAL = ("case_sensitive_aliases", "match_only_aliases", "extend")
_LISTS = ("aliases", "domains", "profile", "case_sensitive_aliases", "match_only_aliases")

# --- text helpers shared with the gazetteer ------------------------------------------------------------------
_APOSTROPHES = "'’ʼ`´"
_DASHES = "-‐‑‒–—"
_DASH_CLASS = re.escape(_DASHES)
_SEP_RUN = re.compile(rf"[\s{_DASH_CLASS}]+")
_SEP = rf"(?:\s*[{_DASH_CLASS}]\s*|\s+)"
_APOS_RE = rf"[{_APOSTROPHES}]"
_LEADING_THE = re.compile(r"^the\s+", re.I)


def normalize_alias(text: str) -> str:
    """Apostrophes made plain, runs of spaces and dashes made one space; case kept."""
    text = "".join("'" if ch in _APOSTROPHES else ch for ch in text)
    return _SEP_RUN.sub(" ", text).strip()


def strip_the(text: str) -> str:
    return _LEADING_THE.sub("", text.strip())


def is_short_acronym(alias: str) -> bool:
    """All-caps aliases of up to four letters ("AP", "RIA", "MI6", "U.S."), which match case-sensitively."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and len(letters) <= 4 and all(c.isupper() for c in letters) and " " not in alias.strip()


def read_json(path: Path | Any, label: str) -> Any:
    """Parsed JSON of a data file; a ConfigError naming the file when it cannot be read or parsed."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{label}: no such file; fix the path or leave the setting empty") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{label}: cannot read the file ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{label}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc


def user_file_path(user_file: str | Path | None, setting: str) -> str:
    """The user file to merge: the argument, else the setting; "" for none."""
    value = settings.get(setting) if user_file is None else user_file
    return str(Path(value).expanduser()) if value else ""


def entries_of(data: Any, key: str, label: str) -> list[Any]:
    """The entry list of a data file: a bare list, or the list under ``key``."""
    if isinstance(data, dict) and isinstance(data.get(key), list):
        return list(data[key])
    if isinstance(data, list):
        return data
    raise ConfigError(f"{label}: expected a JSON list of {key} or an object with a {key!r} list")


# --- records -------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Outlet:
    """A news outlet. ``aliases`` include the case-sensitive ones; ``notes`` maps each profile tag to where it comes
    from (a plain dict, so that outlets pickle; treat it as read-only)."""

    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    country: str
    profile: tuple[str, ...]
    notes: Mapping[str, str] = field(hash=False)
    kind: str
    case_sensitive_aliases: tuple[str, ...] = ()
    match_only_aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """The name and every alias, in order, without repeats."""
        return tuple(dict.fromkeys((self.name, *self.aliases, *self.case_sensitive_aliases)))

    def is_case_sensitive(self, alias: str) -> bool:
        return is_short_acronym(alias) or alias in self.case_sensitive_aliases or alias in self.match_only_aliases


def _check_entry(raw: Any, label: str, index: int) -> dict[str, Any]:
    """A validated outlet entry (or partial entry, with ``"extend": true``) as plain data."""
    where = f"{label}: outlet #{index + 1}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: each outlet must be a JSON object")
    where += f" ({raw['name']!r})" if isinstance(raw.get("name"), str) else ""
    _check_fields(raw, where)
    _check_values(raw, where)
    return dict(raw)


def _check_fields(raw: dict[str, Any], where: str) -> None:
    unknown = sorted(set(raw) - set(_FIELDS) - set(_OPTIONAL))
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)}; known: {', '.join(_FIELDS + _OPTIONAL)}")
    required = ("name",) if raw.get("extend") else _FIELDS
    missing = [f for f in required if f not in raw]
    if missing:
        raise ConfigError(f"{where}: missing field(s) {', '.join(missing)}")
    for key in ("name", "country", "kind"):
        if key in raw and (not isinstance(raw[key], str) or not raw[key].strip()):
            raise ConfigError(f"{where}: {key!r} must be a non-empty string")
    for key in _LISTS:
        if key in raw and (not isinstance(raw[key], list) or not all(isinstance(x, str) and x.strip() for x in raw[key])):
            raise ConfigError(f"{where}: {key!r} must be a list of non-empty strings")


def _check_values(raw: dict[str, Any], where: str) -> None:
    if "notes" in raw and (not isinstance(raw["notes"], dict) or not all(isinstance(v, str) for v in raw["notes"].values())):
        raise ConfigError(f"{where}: 'notes' must be an object mapping a profile tag to a short note")
    if "country" in raw and not re.fullmatch(r"[A-Z]{2}", raw["country"]):
        raise ConfigError(f"{where}: 'country' must be an ISO 3166-1 alpha-2 code such as 'BY', got {raw['country']!r}")
    if "kind" in raw and raw["kind"] not in OUTLET_KINDS:
        raise ConfigError(f"{where}: unknown kind {raw['kind']!r}; known: {', '.join(OUTLET_KINDS)}")
    bad = [t for t in raw.get("profile", []) if t not in PROFILE_TAGS]
    if bad:
        raise ConfigError(f"{where}: unknown profile tag(s) {', '.join(bad)}; known: {', '.join(PROFILE_TAGS)}")


def _check_notes(entry: dict[str, Any], label: str) -> None:
    notes = entry.get("notes", {})
    unnoted = [t for t in entry.get("profile", []) if not str(notes.get(t, "")).strip()]
    if unnoted:
        raise ConfigError(f"{label}: outlet {entry['name']!r}: tag(s) {', '.join(unnoted)} need a note in 'notes' "
                          "saying where the tag comes from")
    stray = [t for t in notes if t not in entry.get("profile", [])]
    if stray:
        raise ConfigError(f"{label}: outlet {entry['name']!r}: notes for tag(s) {', '.join(stray)} it does not carry")


def _extend(base: dict[str, Any], extra: dict[str, Any], lists: tuple[str, ...]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if key in lists:
            old = list(base.get(key, []))
            merged[key] = old + [x for x in value if x not in old]
        elif key == "notes":
            merged[key] = {**base.get("notes", {}), **value}
        elif key != "extend":
            merged[key] = value
    return merged


def _outlet(entry: dict[str, Any]) -> Outlet:
    cs = tuple(entry.get("case_sensitive_aliases", ()))
    return Outlet(
        name=entry["name"].strip(),
        aliases=tuple(dict.fromkeys([*entry["aliases"], *cs])),
        domains=tuple(d.strip().lower().removeprefix("www.") for d in entry["domains"]),
        country=entry["country"],
        profile=tuple(entry["profile"]),
        notes=dict(entry["notes"]),
        kind=entry["kind"],
        case_sensitive_aliases=cs,
        match_only_aliases=tuple(entry.get("match_only_aliases", ())),
    )


def merge_entries(shipped: list[dict[str, Any]], user: list[dict[str, Any]], label: str,
                  lists: tuple[str, ...] = _LISTS) -> list[dict[str, Any]]:
    """User entries replace the shipped entry of the same name, or extend it with ``"extend": true`` (the
    ``lists`` fields are appended to, other fields given replace the shipped ones)."""
    by_name = {e["name"].casefold(): i for i, e in enumerate(shipped)}
    merged = list(shipped)
    for entry in user:
        i = by_name.get(entry["name"].casefold())
        if entry.get("extend"):
            if i is None:
                raise ConfigError(f"{label}: {entry['name']!r} has \"extend\": true but no shipped entry has that name")
            merged[i] = _extend(merged[i], entry, lists)
        elif i is None:
            by_name[entry["name"].casefold()] = len(merged)
            merged.append(entry)
        else:
            merged[i] = entry
    return merged


# --- matching ------------------------------------------------------------------------------------------------
_DESCRIPTORS = frozenset("""
    the a an its their his her our leading major main top biggest largest popular influential prominent flagship
    national federal regional local international foreign official state run owned controlled backed funded
    affiliated linked aligned government kremlin pro war propaganda mouthpiece opposition independent exiled
    liberal private privately public publicly language english russian ukrainian belarusian belarussian german
    polish british american us uk french chinese turkish italian spanish japanese qatari israeli lithuanian
    latvian estonian western european belarus russia ukraine germany poland britain america france china turkey
    italy spain japan qatar israel lithuania latvia estonia moscow kyiv kiev minsk warsaw london berlin paris
    news agency newswire wire service information daily weekly newspaper paper tabloid broadsheet magazine outlet
    media publication website site portal online tv television channel broadcaster radio station network
    telegram blog blogger military milblogger anonymous monitoring group project analysts osint
""".split())


def _only_descriptors(rest: str) -> bool:
    for word in re.split(rf"[\s{_DASH_CLASS},;:()\[\]\"“”«»/]+", rest):
        word = normalize_alias(word).casefold().removesuffix("'s").strip(".'").replace(".", "")
        if word and word not in _DESCRIPTORS:
            return False
    return True


# A capitalised word after a case-sensitive word alias makes it part of another name ("the Guardian Council",
# "the Economist Intelligence Unit"), unless it is a day or a month ("told the Guardian Monday").
_DATE_WORDS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July " \
              "August September October November December"
_NOT_A_LONGER_NAME = rf"(?!\s+(?!(?:{'|'.join(_DATE_WORDS.split())})\b)[A-Z][a-z])"


def _alias_pattern(alias: str, case_sensitive: bool) -> str:
    pieces = [p for p in _SEP_RUN.split(alias) if p]
    regexes = ["".join(_APOS_RE if ch in _APOSTROPHES else re.escape(ch) for ch in p) for p in pieces]
    if case_sensitive and pieces[0] == "The" and len(pieces) > 1:
        regexes[0] = "[Tt]he"
    body = _SEP.join(regexes)
    if not case_sensitive:
        return f"(?i:{body})"
    return body if is_short_acronym(alias) else body + _NOT_A_LONGER_NAME


def _key(text: str, case_sensitive: bool) -> str:
    text = normalize_alias(text)
    if case_sensitive:
        return "The" + text[3:] if text[:4].lower() == "the " else text
    return strip_the(text).casefold()


class OutletRegistry:
    """Outlets by name, alias and domain. Build with :meth:`load`; iterate for every outlet."""

    def __init__(self, outlets: Iterable[Outlet], version: str = OUTLETS_VERSION) -> None:
        self.version = version
        self._outlets = tuple(outlets)
        self._exact: dict[str, Outlet] = {}
        self._folded: dict[str, Outlet] = {}
        self._domains: dict[str, Outlet] = {}
        find_specs: dict[str, str] = {}
        match_specs: dict[str, str] = {}
        for outlet in self._outlets:
            for alias in (*outlet.names(), *outlet.match_only_aliases):
                cs = outlet.is_case_sensitive(alias)
                text = alias if cs else strip_the(alias)
                (self._exact if cs else self._folded)[_key(text, cs)] = outlet
                match_specs.setdefault(_alias_pattern(text, cs), text)
                if alias not in outlet.match_only_aliases:
                    find_specs.setdefault(_alias_pattern(text, cs), text)
            for domain in outlet.domains:
                self._domains[domain] = outlet
        self._find_re = self._compile(find_specs)
        self._match_re = self._compile(match_specs)

    @staticmethod
    def _compile(specs: dict[str, str]) -> re.Pattern[str]:
        ordered = sorted(specs, key=lambda p: (-len(normalize_alias(specs[p])), specs[p]))
        return re.compile(r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)")

    @classmethod
    def load(cls, user_file: str | Path | None = None) -> OutletRegistry:
        """The shipped outlets with the user file (the ``outlets_file`` setting when None; "" for none) merged over."""
        shipped_path = resources.files("onrecord.registry") / "data" / "outlets.json"
        label = "shipped outlets.json"
        data = read_json(shipped_path, label)
        shipped = [_check_entry(e, label, i) for i, e in enumerate(entries_of(data, "outlets", label))]
        path = user_file_path(user_file, "outlets_file")
        user: list[dict[str, Any]] = []
        if path:
            entries = entries_of(read_json(Path(path), path), "outlets", path)
            user = [_check_entry(e, path, i) for i, e in enumerate(entries)]
        merged = merge_entries(shipped, user, path or label)
        for entry in merged:
            _check_notes(entry, path or label)
        version = data.get("version", OUTLETS_VERSION) if isinstance(data, dict) else OUTLETS_VERSION
        return cls((_outlet(e) for e in merged), version + ("+user" if path else ""))

    def _lookup(self, text: str) -> Outlet | None:
        return self._exact.get(_key(text, True)) or self._folded.get(_key(text, False))

    def _scan(self, pattern: re.Pattern[str], text: str) -> list[tuple[int, int, Outlet]]:
        hits = []
        for m in pattern.finditer(text):
            outlet = self._lookup(m.group())
            if outlet is not None:
                hits.append((m.start(), m.end(), outlet))
        return hits

    def find(self, text: str) -> list[tuple[int, int, Outlet]]:
        """Every outlet mention in ``text`` as (start, end, outlet), in text order; the longest alias wins."""
        return self._scan(self._find_re, text)

    def match(self, text: str) -> Outlet | None:
        """The outlet the whole of ``text`` names, allowing descriptors around the name ("Belarus' state-run news
        agency BelTA", "Germany's Bild tabloid", "the ONT TV channel"); None when it names none or several."""
        hits = self._scan(self._match_re, text)
        if not hits or len({o.name for _, _, o in hits}) != 1:
            return None
        rest, last = [], 0
        for start, end, _ in hits:
            rest.append(text[last:start])
            last = end
        rest.append(text[last:])
        return hits[0][2] if _only_descriptors(" ".join(rest)) else None

    def by_domain(self, url_or_domain: str) -> Outlet | None:
        """The outlet of a URL or host name; subdomains match their parent ("eng.belta.by" → BelTA)."""
        value = url_or_domain.strip()
        host = urlsplit(value if "://" in value else "//" + value).hostname or ""
        parts = host.rstrip(".").lower().split(".")
        for i in range(len(parts) - 1):
            outlet = self._domains.get(".".join(parts[i:]))
            if outlet is not None:
                return outlet
        return None

    def get(self, name: str) -> Outlet | None:
        """An outlet by its canonical name (case-insensitive)."""
        return next((o for o in self._outlets if o.name.casefold() == name.casefold()), None)

    def __iter__(self) -> Iterator[Outlet]:
        return iter(self._outlets)

    def __len__(self) -> int:
        return len(self._outlets)

    def __repr__(self) -> str:
        return f"<OutletRegistry {self.version}: {len(self)} outlets>"


@functools.lru_cache(maxsize=8)
def _cached_registry(path: str) -> OutletRegistry:
    return OutletRegistry.load(path)


def load_outlets(user_file: str | Path | None = None) -> OutletRegistry:
    """The registry, loaded once per process for each user file (the ``outlets_file`` setting when None)."""
    return _cached_registry(user_file_path(user_file, "outlets_file"))
