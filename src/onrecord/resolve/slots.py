"""Slot values read from a statement's content: which weapon, how many, how many killed — and the claim terms
a denial is matched on.

Each value keeps the words as written, a normalised form that is compared across statements, and its offsets in
the content. The rules are plain patterns over the content (no NLP at resolve time), versioned as ``RULE``:

- ``weapon``: a gazetteer weapon named in the content ("the Oreshnik medium-range missile" → ``w:Oreshnik``) or a
  class phrase ("an intercontinental ballistic missile" → ``c:icbm``). Classes of named weapons come from the first
  clause of their gazetteer note ("Russian intermediate-range ballistic missile"); "based on the X" in a note is a
  relation that makes X and the entry compatible accounts. Only strike missiles count, only in statements that
  describe a strike (hit, struck, launched, fired …) and not a delivery (supply, send, provide …).
- ``count`` / ``casualties``: "N <unit> <predicate>" or "<predicate> N <unit>" ("at least 12 people were killed",
  "shot down 30 drones"), normalised to ``unit|predicate|low|high`` with the range a qualifier gives ("at least",
  "about", "up to", "hundreds"). Rates ("a day", "on average") are skipped: they are not counts of one event.
- claim terms: stemmed content words without stop words, for matching a denial to the claim it denies.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any

from ..registry import Entry, load_gazetteer

RULE = "onrecord.slots.v1"


@dataclass(frozen=True, slots=True)
class SlotValue:
    """One value of a slot: ``content[start:end]`` is ``value``; ``singular`` for "a missile", not "missiles"."""

    slot: str
    value: str
    norm: str
    start: int
    end: int
    singular: bool = True


# --- weapons ----------------------------------------------------------------------------------------------------
#: Class phrases, most specific first: (pattern, class).
_CLASS_PHRASES: tuple[tuple[str, str], ...] = (
    (r"intercontinental(?:[\s-]+range)?(?:\s+ballistic)?\s+missiles?|ICBMs?\b", "icbm"),
    (r"(?:intermediate|medium)[\s-]+range(?:\s+ballistic)?\s+missiles?|[IM]RBMs?\b", "irbm"),
    (r"short[\s-]+range\s+ballistic\s+missiles?|SRBMs?\b", "srbm"),
    (r"(?:hypersonic\s+)?cruise\s+missiles?", "cruise"),
    (r"ballistic\s+missiles?", "ballistic"),
)
_CLASS_RE = re.compile("|".join(f"(?P<{cls}>\\b(?:{pat}))" for pat, cls in _CLASS_PHRASES), re.I)
#: Each class's broader class: an ICBM is a ballistic missile, compatible with "a ballistic missile".
PARENT = {"icbm": "ballistic", "irbm": "ballistic", "srbm": "ballistic", "ballistic": "missile", "cruise": "missile"}
#: Words of a gazetteer note that give a class (read in the note's first clause only).
_NOTE_CLASSES = (("intercontinental", "icbm"), ("intermediate-range", "irbm"), ("medium-range", "irbm"),
                 ("short-range ballistic", "srbm"), ("cruise", "cruise"), ("ballistic", "ballistic"))
_NOT_STRIKE = re.compile(r"surface-to-air|air[- ]defen[cs]e|anti-tank|man-portable", re.I)
_BASED_ON = re.compile(r"based on (?:the )?([A-Z][\w-]*(?: [A-Z][\w-]*)*)")
_STRIKE = re.compile(r"\b(hit|hits|struck|strike|strikes|striking|launch(?:ed|es|ing)?|fired|fire|firing|attack(?:ed|s)?|"
                     r"target(?:ed|ing)?|used|using|shot|bombard(?:ed)?|was an?|was the)\b", re.I)
_DELIVERY = re.compile(r"\b(suppl(?:y|ied|ies|ying)|send(?:s|ing)?|sent|provid(?:e|ed|es|ing)|deliver(?:y|ed|ies|ing)?|"
                       r"transfer(?:red|s)?|receiv(?:e|ed|es|ing)|give|gave|donat(?:e|ed|es)|buy|bought|produc(?:e|ed|tion)|"
                       r"deploy(?:ed|s|ing)?|test(?:ed|s|ing)?)\b", re.I)


@dataclass(frozen=True, slots=True)
class WeaponInfo:
    """What the gazetteer says of a strike weapon: its classes and the weapons it is based on."""

    name: str
    classes: frozenset[str]
    based_on: frozenset[str]


def note_classes(note: str | None) -> frozenset[str]:
    """The classes named in the first clause of a gazetteer note (the most specific of each family)."""
    if not note:
        return frozenset()
    clause = re.split(r"[,;.]", note, maxsplit=1)[0].lower()
    found = {cls for words, cls in _NOTE_CLASSES if words in clause}
    return frozenset(c for c in found if not any(PARENT.get(o) == c for o in found))


@functools.lru_cache(maxsize=1)
def weapons() -> dict[str, WeaponInfo]:
    """Strike missiles of the gazetteer by canonical name (entries whose note gives a missile class)."""
    gazetteer = load_gazetteer()
    found: dict[str, WeaponInfo] = {}
    for entry in gazetteer:
        if entry.kind != "weapon" or (entry.note and _NOT_STRIKE.search(entry.note)):
            continue
        classes = note_classes(entry.note)
        if classes or _is_missile_project(entry):
            found[entry.name] = WeaponInfo(entry.name, classes, _based_on(entry, gazetteer.lookup))
    return found


def _is_missile_project(entry: Entry) -> bool:
    """A missile system whose note gives no class ("Kedr": a missile-system development project)."""
    return bool(entry.note and re.search(r"\bmissile[- ]system\b", entry.note, re.I))


def _based_on(entry: Entry, lookup: object) -> frozenset[str]:
    names = set()
    for match in _BASED_ON.finditer(entry.note or ""):
        target = lookup(match.group(1)) if callable(lookup) else None
        if target is not None:
            names.add(target.name)
    return frozenset(names)


@functools.lru_cache(maxsize=1)
def _weapon_pattern() -> re.Pattern[str] | None:
    """One pattern for every name and alias of a strike missile; case-sensitive aliases keep their case."""
    gazetteer = load_gazetteer()
    parts = []
    for entry in gazetteer:
        if entry.name not in weapons():
            continue
        for alias in sorted(entry.names(), key=len, reverse=True):
            body = re.escape(alias).replace(r"\-", r"[\s-]?").replace(r"\ ", r"[\s-]+")
            parts.append(body if entry.is_case_sensitive(alias) else f"(?i:{body})")
    return re.compile(r"\b(?:" + "|".join(parts) + r")(?:\s+(?:missile|system|complex)s?\b)?") if parts else None


def weapon_values(content: str) -> list[SlotValue]:
    """The strike missiles a content names, when it describes a strike and not a delivery."""
    if not _STRIKE.search(content) or _DELIVERY.search(content):
        return []
    values = _named_weapons(content)
    taken = [(v.start, v.end) for v in values]
    for m in _CLASS_RE.finditer(content):
        if any(s <= m.start() < e or m.start() <= s < m.end() for s, e in taken):
            continue
        cls = next(k for k, v in m.groupdict().items() if v)
        values.append(SlotValue("weapon", m.group(0), f"c:{cls}", m.start(), m.end(), _singular(m.group(0))))
    return sorted(values, key=lambda v: v.start)


def _named_weapons(content: str) -> list[SlotValue]:
    pattern, gazetteer = _weapon_pattern(), load_gazetteer()
    if pattern is None:
        return []
    values = []
    for m in pattern.finditer(content):
        core = re.sub(r"\s+(?:missile|system|complex)s?$", "", m.group(0), flags=re.I)
        entry = gazetteer.lookup(core) or gazetteer.lookup(m.group(0))
        if entry is not None and entry.name in weapons():
            end = _extend_class(content, m.end())
            values.append(SlotValue("weapon", content[m.start():end], f"w:{entry.name}", m.start(), end,
                                    _singular(content[m.start():end])))
    return values


def _extend_class(content: str, end: int) -> int:
    """Take in a class phrase right after a name ("Oreshnik medium-range missile")."""
    m = _CLASS_RE.match(content, end + 1) if content[end:end + 1] == " " else None
    return m.end() if m else end


def _singular(text: str) -> bool:
    return not re.search(r"(missiles|systems|complexes|ICBMs|IRBMs|MRBMs|SRBMs|s)$", text.strip())


def weapon_classes(norm: str) -> frozenset[str] | None:
    """The classes a weapon norm stands for; None when unknown (a named weapon whose note gives no class)."""
    kind, _, name = norm.partition(":")
    if kind == "c":
        return frozenset({name})
    info = weapons().get(name)
    return info.classes if info is not None and info.classes else None


def _broader(cls: str) -> set[str]:
    found = {cls}
    while cls in PARENT:
        cls = PARENT[cls]
        found.add(cls)
    return found


def classes_compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether some class of ``a`` and some class of ``b`` lie on one line of the class tree (icbm ⊂ ballistic)."""
    return any(x in _broader(y) or y in _broader(x) for x in a for y in b)


def weapon_relation(a: str, b: str) -> tuple[str, str]:
    """How two weapon norms relate: ("same"|"related"|"compatible"|"conflict"|"unknown", the why in words)."""
    if a == b:
        return "same", "the same weapon"
    na, nb = a.partition(":")[2], b.partition(":")[2]
    if a.startswith("w:") and b.startswith("w:"):
        ia, ib = weapons().get(na), weapons().get(nb)
        if (ia and nb in ia.based_on) or (ib and na in ib.based_on):
            base, derived = (nb, na) if ia and nb in ia.based_on else (na, nb)
            return "related", f"the gazetteer says {derived} is based on {base}"
    ca, cb = weapon_classes(a), weapon_classes(b)
    if ca is None or cb is None:
        if a.startswith("w:") and b.startswith("w:"):
            return "conflict", f"{na} and {nb} are different weapons and no gazetteer relation links them"
        unknown = na if ca is None else nb
        return "unknown", f"the gazetteer gives no class for {unknown}"
    if classes_compatible(ca, cb):
        return "compatible", f"classes {_fmt(ca)} and {_fmt(cb)} are compatible"
    return "conflict", f"class {_fmt(ca)} conflicts with class {_fmt(cb)}"


def _fmt(classes: frozenset[str]) -> str:
    return "/".join(sorted(classes))


# --- counts -----------------------------------------------------------------------------------------------------
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
                 "fifty": 50, "hundred": 100}
_VAGUE = {"dozens": (24.0, 99.0), "hundreds": (200.0, 999.0), "thousands": (2000.0, 9999.0)}
_UNITS = {"people": "people", "persons": "people", "person": "people", "civilians": "civilians",
          "civilian": "civilians", "soldiers": "soldiers", "troops": "soldiers", "servicemen": "soldiers",
          "children": "children", "drones": "drones", "drone": "drones", "missiles": "missiles",
          "missile": "missiles", "rockets": "missiles", "tanks": "tanks"}
_PREDICATES = {"killed": "killed", "died": "killed", "dead": "killed", "injured": "injured", "wounded": "injured",
               "hurt": "injured", "launched": "launched", "fired": "launched", "shot down": "downed",
               "downed": "downed", "intercepted": "downed", "destroyed": "downed"}
_QUALIFIER = (r"(?P<q>at least|more than|over|upwards of|about|around|approximately|nearly|almost|roughly|some|"
              r"up to|as many as)?\s*")
_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join([*_NUMBER_WORDS, *_VAGUE]) + ")"
_UNIT = r"(?P<mods>(?:[A-Z][a-z]+\s+)?)(?P<u>" + "|".join(_UNITS) + r")\b"
_PRED = "|".join(p.replace(" ", r"\s+") for p in _PREDICATES)
_AFTER = re.compile(rf"\b{_QUALIFIER}{_NUM}\s+{_UNIT}(?:\s+(?:were|have been|had been|was|are|has been))?\s+(?P<p>{_PRED})\b",
                    re.I)
_BEFORE = re.compile(rf"\b(?P<p>{_PRED})\s+{_QUALIFIER}{_NUM}\s+{_UNIT}", re.I)
_RATE = re.compile(r"\b(a|per|each|every) (day|week|month|year|night)\b|\bdaily\b|\bon average\b|\baverage\b", re.I)
_RANGES = {"at least": (1.0, math.inf), "more than": (1.0, math.inf), "over": (1.0, math.inf),
           "upwards of": (1.0, math.inf), "about": (0.85, 1.15), "around": (0.85, 1.15),
           "approximately": (0.85, 1.15), "roughly": (0.85, 1.15), "some": (0.85, 1.15), "nearly": (0.85, 1.0),
           "almost": (0.85, 1.0), "up to": (0.0, 1.0), "as many as": (0.0, 1.0)}


def count_values(content: str) -> list[SlotValue]:
    """Counts of one event in a content: "at least 12 people were killed" → casualties ``people|killed|12|inf``."""
    if _RATE.search(content):
        return []
    values: dict[tuple[int, int], SlotValue] = {}
    for pattern in (_AFTER, _BEFORE):
        for m in pattern.finditer(content):
            value = _count(m)
            if value is not None:
                values.setdefault((value.start, value.end), value)
    return sorted(values.values(), key=lambda v: v.start)


def _count(m: re.Match[str]) -> SlotValue | None:
    n = m.group("n").lower().replace(",", "")
    low, high = _amount(n)
    qualifier = (m.group("q") or "").lower()
    if qualifier and n not in _VAGUE:
        lo_f, hi_f = _RANGES[re.sub(r"\s+", " ", qualifier)]
        low, high = low * lo_f, high * hi_f
    predicate = _PREDICATES[re.sub(r"\s+", " ", m.group("p").lower())]
    unit = _UNITS[m.group("u").lower()]
    mods = m.group("mods").strip().lower()
    key = f"{mods} {unit}" if mods in {"russian", "ukrainian", "israeli", "palestinian"} else unit
    slot = "casualties" if predicate in {"killed", "injured"} else "count"
    lead = len(m.group(0)) - len(m.group(0).lstrip())
    return SlotValue(slot, m.group(0).strip(), f"{key}|{predicate}|{_num(low)}|{_num(high)}", m.start() + lead, m.end())


def _amount(n: str) -> tuple[float, float]:
    """A number as written ("1,200" without commas, "twelve", "hundreds") → its range."""
    if n in _VAGUE:
        return _VAGUE[n]
    x = float(_NUMBER_WORDS[n]) if n in _NUMBER_WORDS else float(n)
    return x, x


def _num(x: float) -> str:
    return "inf" if math.isinf(x) else f"{x:g}"


def count_range(norm: str) -> tuple[str, float, float]:
    """``unit|predicate|low|high`` → (``unit|predicate``, low, high)."""
    unit, predicate, low, high = norm.split("|")
    return f"{unit}|{predicate}", float(low), float(high)


def counts_conflict(a: str, b: str) -> bool:
    """Two counts of the same unit and predicate whose ranges do not overlap ("12" vs "at least 20")."""
    key_a, lo_a, hi_a = count_range(a)
    key_b, lo_b, hi_b = count_range(b)
    return key_a == key_b and (hi_a < lo_b or hi_b < lo_a)


def statement_values(content: str) -> list[SlotValue]:
    """Every slot value of a content, in text order."""
    return sorted([*weapon_values(content), *count_values(content)], key=lambda v: (v.start, v.slot))


# --- claim terms ------------------------------------------------------------------------------------------------
#: Words that name a claim without saying what it is ("denied the reports"): no evidence for matching.
_GENERIC = {"claim", "report", "accus", "alleg", "statement", "assess", "suggest", "demand", "idea", "inform",
            "rumor", "rumour", "stori", "news", "said", "say", "fake", "lie", "thing"}


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """rouge-score's tokenizer (lower case, letters and digits), without its stemmer: stop words go first."""
    from rouge_score.tokenizers import DefaultTokenizer

    return DefaultTokenizer(use_stemmer=False)


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """Porter stem (nltk's, which rouge-score is built on), with a few derivations joined ("invasion" → "invad")."""
    from nltk.stem.porter import PorterStemmer

    stem: str = _porter(PorterStemmer).stem(word)
    return _SAME.get(stem, stem)


@functools.lru_cache(maxsize=1)
def _porter(cls: Any) -> Any:
    return cls()


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    times = {"year", "years", "month", "months", "week", "weeks", "day", "days", "today", "yesterday", "tomorrow",
             "time", "moment", "now", "ago"}
    return frozenset(STOP_WORDS) | {"s", "t", "u"} | times


#: Stems that name the same act in other words (Porter keeps "invade" and "invasion" apart).
_SAME = {"invas": "invad", "struck": "strike"}
#: The reporter's counterpoint after a denial is not part of what is denied.
_COUNTER = re.compile(r"\s*(?:,\s*)?\b(?:despite|even though|although|though|while|whereas|but)\b.*$", re.I | re.S)


def denied_part(content: str) -> str:
    """What a denial denies: its content up to a counterpoint ("… despite video evidence showing …")."""
    return _COUNTER.sub("", content).strip() or content


@functools.lru_cache(maxsize=8192)
def claim_terms(content: str) -> frozenset[str]:
    """Stemmed content words of a statement, without stop words, numbers or generic claim words."""
    stops = _stop_words()
    stems = (_stem(t) for t in _tokenizer().tokenize(content) if t not in stops and not t.isdigit() and len(t) > 1)
    return frozenset(t for t in stems if t not in _GENERIC)
