"""Names across articles: normal forms, blocking keys and kind compatibility for entity resolution.

Pure functions, no database: ``resolve.entities`` stores the keys of every entity in ``entity_keys`` and finds the
candidates for a new entity with indexed key lookups, then decides with the rules of ``onrecord.entities.v1``.

Keys (``prefix:value``), each the evidence one rule needs:

- ``n:`` the normal form (case-folded, accents and a leading "the" dropped, quotes, possessives and punctuation
  removed) — rule ``same-name``;
- ``o:`` an organisation's normal form without a legal suffix ("Apple Inc." → "apple") — rule ``org-suffix``;
- ``t:`` a transliteration fold (Zelenskyy / Zelenskiy / Zelensky → "zelensky") — rule ``transliteration``,
  confirmed with a rapidfuzz ratio;
- ``l:`` / ``s:`` the last word of a multi-word person name / a one-word person name — rule ``surname``;
- ``i:`` / ``a:`` the initials of a multi-word organisation / an acronym — rule ``acronym``;
- ``f:`` / ``w:`` the first word of a multi-word organisation whose other words are generic company words /
  a one-word organisation — rule ``short-name`` ("Ford Motor Company" / "Ford", not "Boeing Commercial
  Airplanes" / "Boeing"; like ``acronym``, only where an article mentions both).
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

#: Kinds that the NER confuses for one another on the same name; ``unknown`` goes with anything.
_COMPATIBLE = frozenset({
    frozenset({"person", "organization"}), frozenset({"organization", "group"}), frozenset({"country", "place"}),
    frozenset({"organization", "country"}), frozenset({"organization", "place"}), frozenset({"weapon", "product"}),
    frozenset({"organization", "product"}),
})
ORG_KINDS = frozenset({"organization", "unknown", "group"})
ORG_SUFFIXES = frozenset({
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "plc", "llc", "ag", "sa",
    "nv", "se", "gmbh", "group", "holdings",
})
#: Words that a company's longer name may add to its one-word name ("Ford Motor Company", "Apple Computer").
GENERIC_ORG_WORDS = frozenset({
    "motor", "motors", "computer", "computers", "airlines", "airline", "airways", "bank", "industries",
    "international", "systems", "technologies", "technology", "communications", "pharmaceuticals", "energy",
    "petroleum", "oil", "entertainment", "media", "electric", "electronics", "aerospace", "automotive",
})
_SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "at", "de", "du", "des", "la", "le", "&"})
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "prof", "sir", "gen", "col", "lt", "sgt", "rev", "president", "pm"})
_QUOTES = "\"“”„«»‘’`'"
#: Transliteration folds, applied in order to each word: Cyrillic-Latin spelling variants that name one person.
_FOLDS = (
    (re.compile(r"(yy|iy|ii|yi|ij|yj|y|i)$"), "y"),   # Zelenskyy / Zelenskiy / Zelenskii → zelensky
    (re.compile(r"kh"), "h"),                          # Kharkiv / Harkiv
    (re.compile(r"(zh|j)"), "zh"),                     # Zhukov / Jukov
    (re.compile(r"(ts|tz)"), "ts"),
    (re.compile(r"ie"), "ye"),                         # Dmitriev / Dmitryev
    (re.compile(r"(.)\1"), r"\1"),                     # doubled letters
    (re.compile(r"[wv]"), "v"),                        # Romanow / Romanov
    (re.compile(r"ph"), "f"),
)
FUZZY_MIN = 85.0


def ascii_fold(text: str) -> str:
    """``text`` without accents ("Zelenskyy" stays, "Gallois" stays, "Bruederle"/"Brüderle" differ by letters)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words_of(name: str) -> list[str]:
    """The case-folded words of a name: accents, quotes, a possessive 's and punctuation other than inner
    hyphens and dots dropped, a leading article removed."""
    text = ascii_fold(name).casefold()
    text = re.sub(rf"[{_QUOTES}]s\b", "", text)
    text = re.sub(rf"[{_QUOTES}]", "", text)
    words = [w.strip(".-") for w in re.split(r"[^\w.&-]+", text)]
    words = [w for w in words if w]
    while words and words[0] in {"the", "a", "an"}:
        words = words[1:]
    return words


def normal(name: str) -> str:
    """The normal form: the words of :func:`words_of` with hyphens as spaces, dots removed from abbreviations and
    runs of single letters joined ("U.S." and "U . S ." → "us", "Hewlett - Packard" → "hewlett packard")."""
    words = [p for w in words_of(name) for p in w.replace(".", " ").replace("-", " ").split()]
    joined: list[str] = []
    in_run = False
    for word in words:
        if len(word) == 1 and word.isalpha() and in_run:
            joined[-1] += word
        else:
            joined.append(word)
            in_run = len(word) == 1 and word.isalpha()
    return " ".join(joined)


def org_core(name: str) -> str | None:
    """An organisation's normal form without trailing legal suffixes, or None when there is none to drop."""
    words = normal(name).split()
    core = list(words)
    while len(core) > 1 and core[-1] in ORG_SUFFIXES:
        core.pop()
    return " ".join(core) if len(core) < len(words) else None


def fold_word(word: str) -> str:
    """One word under the transliteration folds."""
    for pattern, repl in _FOLDS:
        word = pattern.sub(repl, word)
    return word


def translit(name: str) -> str:
    """The transliteration fold of a whole name (each word folded)."""
    return " ".join(fold_word(w) for w in normal(name).split())


def person_words(name: str) -> list[str]:
    """A person name's words without titles ("Dr", "President")."""
    return [w for w in normal(name).split() if w not in _TITLES]


def acronym_of(name: str) -> str | None:
    """The acronym a name is written as ("UAW", "E.C.B."), or None."""
    letters = name.replace(".", "").strip()
    if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper():
        return letters.lower()
    return None


def initials(name: str, strip_suffix: bool = True) -> str | None:
    """The initials of a multi-word name's capitalised content words, legal suffixes left out ("United Auto
    Workers" → "uaw", "U.S. Geological Survey" → "usgs", "Hewlett-Packard Co." → "hp"), or None."""
    words = [w for w in re.split(r"[\s-]+", ascii_fold(name).replace(",", " ")) if w]
    words = [w for w in words if w.casefold() not in _SMALL_WORDS]
    while strip_suffix and len(words) > 1 and words[-1].casefold().strip(".") in ORG_SUFFIXES:
        words.pop()
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return None
    return "".join(w.replace(".", "") if "." in w[:-1] else w[0] for w in words).lower()


def keys(name: str, kind: str) -> list[str]:
    """Every blocking key of an entity (see the module docstring), without duplicates."""
    found: list[str] = []
    norm = normal(name)
    if not norm:
        return found
    found.append(f"n:{norm}")
    if kind in ORG_KINDS and (core := org_core(name)):
        found.append(f"o:{core}")
    elif kind in ORG_KINDS:
        found.append(f"o:{norm}")
    if kind in {"person", "place", "country", "organization"}:
        found.append(f"t:{translit(name)}")
    if kind == "person":
        words = person_words(name)
        if len(words) > 2 and any(len(w) == 1 for w in words[1:-1]):  # "Raj K. Chohan" → "raj chohan"
            found.append("n:" + " ".join([words[0], *(w for w in words[1:-1] if len(w) > 1), words[-1]]))
        if len(words) == 1:
            found.append(f"s:{fold_word(words[0])}")
        elif len(words) > 1:
            found.append(f"l:{fold_word(words[-1])}")
    if kind in ORG_KINDS:
        if (acr := acronym_of(name)) is not None:
            found.append(f"a:{acr}")
        else:
            found.extend(f"i:{ini}" for ini in (initials(name), initials(name, False)) if ini is not None)
        words = norm.split()
        if len(words) == 1 and acronym_of(name) is None:
            found.append(f"w:{words[0]}")
        elif len(words) > 1 and set((org_core(name) or norm).split()[1:]) <= GENERIC_ORG_WORDS:
            found.append(f"f:{words[0]}")
    return list(dict.fromkeys(found))


#: For each key prefix, the prefix of the keys it finds candidates under, and the rule a match means.
LOOKUPS: dict[str, tuple[str, str]] = {
    "n": ("n", "same-name"),
    "o": ("o", "org-suffix"),
    "t": ("t", "transliteration"),
    "s": ("l", "surname"),
    "l": ("s", "surname"),
    "a": ("i", "acronym"),
    "i": ("a", "acronym"),
    "w": ("f", "short-name"),
    "f": ("w", "short-name"),
}


def compatible(kind_a: str, kind_b: str) -> bool:
    """Whether two entity kinds can name one actor (the same kind, ``unknown``, or a known NER confusion)."""
    return kind_a == kind_b or "unknown" in (kind_a, kind_b) or frozenset({kind_a, kind_b}) in _COMPATIBLE


def similarity(name_a: str, name_b: str) -> float:
    """rapidfuzz ratio (0..1) of two names' normal forms."""
    return fuzz.ratio(normal(name_a), normal(name_b)) / 100.0


def transliteration_match(name_a: str, name_b: str) -> float | None:
    """The similarity of two names with the same transliteration fold when it is at least ``FUZZY_MIN``
    per cent and every word pair starts alike; None otherwise (different people who fold alike)."""
    words_a, words_b = normal(name_a).split(), normal(name_b).split()
    if len(words_a) != len(words_b) or any(a[:1] != b[:1] for a, b in zip(words_a, words_b, strict=True)):
        return None
    score = similarity(name_a, name_b)
    return score if score * 100 >= FUZZY_MIN else None


def is_surname_of(short: str, full: str) -> bool:
    """Whether the one-word person name ``short`` is the last word of ``full`` (after transliteration folds)."""
    words = person_words(full)
    short_words = person_words(short)
    return len(words) > 1 and len(short_words) == 1 and fold_word(words[-1]) == fold_word(short_words[0])
