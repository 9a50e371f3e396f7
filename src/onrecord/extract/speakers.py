"""Speakers: from a subject token to a canonical name, a kind and a role, with in-article coreference.

"Kremlin leader Vladimir Putin" … "Putin" … "He" are one speaker, Vladimir Putin (role "Kremlin leader").
Pronouns and definite descriptions ("the head of state") resolve only to a speaker or person already named
earlier in the article and compatible with them; otherwise the name stays None (never a guess).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from spacy.tokens import Doc, Span, Token

from ..records import EntityRef, Speaker
from ..registry import Entry, Gazetteer

PERSON_PRONOUNS = {"he", "she", "him", "her", "his"}  # "his": the owner of a noun cue ("his claim that …")
GROUP_PRONOUNS = {"they", "them", "their"}
ORG_PRONOUNS = {"it", "its"}
ANONYMOUS_HEADS = {
    "source", "sources", "insider", "insiders", "official", "officials", "person", "people", "aide", "aides",
    "diplomat", "diplomats", "someone", "individual", "individuals",
}
GROUP_HEADS = {
    "witnesses", "residents", "experts", "analysts", "observers", "critics", "protesters", "activists",
    "authorities", "lawmakers", "legislators", "investigators", "police", "prosecutors", "doctors", "scientists",
    "researchers", "economists", "locals", "soldiers", "troops", "journalists", "reporters", "media", "villagers",
    "survivors", "students", "workers", "employees", "members", "leaders", "ministers", "officers", "deputies",
    "representatives", "spokespeople", "voters", "citizens", "users", "bloggers", "forces", "military",
}
ORG_HEADS = {
    "company", "firm", "automaker", "carmaker", "airline", "carrier", "manufacturer", "maker", "airframer", "ministry",
    "agency", "government", "bank", "party", "union", "organisation", "organization", "council", "committee",
    "court", "administration", "department", "office", "corporation", "group", "retailer", "network", "service",
    "channel", "newspaper", "outlet", "publication", "broadcaster", "regulator", "commission", "army", "military",
}
ROLE_HEADS = {
    "leader", "head", "president", "minister", "spokesman", "spokeswoman", "spokesperson", "chief", "secretary",
    "commander", "ambassador", "adviser", "advisor", "general", "governor", "mayor", "chairman", "chairwoman",
    "chair", "director", "ruler", "premier", "chancellor", "envoy", "official", "prosecutor", "speaker",
    "ceo", "executive", "founder", "owner", "analyst", "expert", "representative", "deputy", "senator",
    "lawmaker", "politician", "diplomat", "king", "queen", "prince", "pope", "dictator", "strongman", "monarch",
    "lieutenant", "colonel", "commissioner", "secretary-general", "rapporteur", "captain", "officer", "coach", "judge", "lawyer", "economist",
    "congressman", "congresswoman", "councilman", "councilwoman", "assemblyman", "assemblywoman", "sheriff",
}
#: v4: nouns for people and bodies that can hold and state a view, beyond the speaker typing lists.
PEOPLE_NOUNS = {
    "woman", "man", "candidate", "nominee", "voter", "supporter", "respondent", "resident", "student", "worker",
    "attendee", "crowd", "audience", "fan", "host", "moderator", "anchor", "reporter", "writer", "author",
    "columnist", "editor", "professor", "strategist", "pollster", "consultant", "donor", "delegate", "activist",
    "advocate", "opponent", "rival", "challenger", "incumbent", "critic", "father", "mother", "wife", "husband",
    "son", "daughter", "friend", "victim", "witness", "survivor", "member", "colleague", "staffer", "volunteer",
    "organizer", "campaign", "team", "staff", "democrat", "republican", "conservative", "liberal", "progressive",
    "citizen", "caucusgoer", "electorate", "player", "singer", "celebrity", "comedian", "rapper",
}
#: Words the tagger sometimes marks as a proper noun (a pronoun glued to a quote mark, a sentence-initial "I").
PRONOUN_WORDS = {"i", "we", "he", "she", "they", "you", "it", "us", "them", "me", "him", "her"}
#: v4: subjects of physical acts, never holders of a view or stance speakers ("Russian forces attacked Kharkiv").
MILITARY_HEADS = {"force", "forces", "troop", "troops", "soldier", "soldiers", "army", "military", "navy", "unit",
                  "units", "militant", "militants", "fighter", "fighters", "rebel", "rebels", "artillery", "drone"}
#: Heads of a subject that can make a statement (with PERSON/ORG/GPE/NORP entities and pronouns).
SPEAKER_HEADS = frozenset(ROLE_HEADS | ANONYMOUS_HEADS | GROUP_HEADS | ORG_HEADS | PEOPLE_NOUNS)
_LABEL_KIND = {"PERSON": "person", "ORG": "organization", "GPE": "country", "NORP": "group", "LOC": "place",
               "FAC": "place", "WEAPON": "weapon", "EVENT": "event", "PRODUCT": "product", "LAW": "law",
               "WORK_OF_ART": "work"}
_GAZ_KIND = {"military": "organization", "intelligence": "organization", "state_body": "organization",
             "country": "country", "person": "person", "place": "place", "weapon": "weapon",
             "organization": "organization"}
_DROP_DEPS = {"relcl", "acl", "appos", "punct", "cc", "conj", "advcl", "prep"}
_KEEP_PREPS = {"of", "for", "from", "at", "in", "on"}
_TITLE_WORDS = {"mr", "mrs", "ms", "dr", "prof", "sir", "lord", "lady", "gen", "col", "lt", "sgt", "rev", "gov", "sen",
                "rep", "adm", "maj", "capt", "amb", "atty", "supt"}


def _clean(text: str) -> str:
    text = re.sub(r"^[^“]*”", "", text)  # v5: 'paranoia,”Clinton' (no space after a closing mark): the name after it
    text = re.sub(r"\s+", " ", text).strip(" ,;:-–—\"“”'")
    return re.sub(r"^(the|a|an) ", "", text, flags=re.I) if text else text


@dataclass(slots=True)
class Cluster:
    """The names one person goes by within an article."""

    name: str
    kind: str
    keys: set[str] = field(default_factory=set)
    role: str | None = None
    mentions: int = 1  # PERSON mentions that joined it in the first pass
    weak: bool = False  # made from a name in a headline-style sentence only
    gender: str | None = None  # v6: "m"/"f" from a title the article gives the name ("Mr.", "Mrs.", "Ms."), "?" if both


def _first_name_like(name: str, entry: Entry | None) -> bool:
    """Whether a full name's first word is spelt like the first word of a gazetteer entry's name or aliases."""
    if entry is None:
        return False
    first = name.split()[0].lower()
    names = [entry.name, *entry.aliases]
    return len(name.split()) > 1 and any(
        len(n.split()) > 1 and fuzz.ratio(first, n.split()[0].lower()) >= 75 for n in names)


def _odd_first_word(ent: Span) -> bool:
    """A name whose first word is no name or title ("Telling Jeb Bush"): the recogniser took in a neighbouring
    word."""
    return len(ent) > 1 and ent[0].pos_ != "PROPN" and ent[0].lower_.strip(".") not in _TITLE_WORDS


def headline_like(sent: Span) -> bool:
    """A headline-style sentence, title case outside the names and titles ("Zelensky Claims Country Wants to Keep
    Fighting", "POPE COMPARES …"), so a capitalised word is no sign of a name; not a sentence that is capitalised
    because it names many people ("Chinese Foreign Minister Wang Yi met Antony Blinken in Bali")."""
    doc = sent.doc
    words = [t.text for t in sent if not t.ent_type_ and t.lemma_.lower() not in ROLE_HEADS
             and not (t.i + 1 < len(doc) and doc[t.i + 1].ent_type_ == "PERSON")]  # not a title: "Foreign Minister"
    count, share = capitalised(" ".join(words))
    return count >= 3 and share > 0.6


def capitalised(text: str) -> tuple[int, float]:
    """How many words of four letters or more a text has, and the share of them that start with a capital."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if len(w) > 3]
    return len(words), (sum(w[0].isupper() for w in words) / len(words) if words else 1.0)


def _name_words(text: str) -> tuple[str, list[str]]:
    """A person's name without possessive, titles and a leading role noun, and its words."""
    name = _strip_possessive(_clean(text))
    words = [w for w in name.split() if w.lower().strip(".") not in _TITLE_WORDS]
    while len(words) > 2 and words[0].lower() in ROLE_HEADS:
        words = words[1:]  # "Spokeswoman Sandy Angers" → "Sandy Angers"
    return " ".join(words) or name, words


def _other_first_name(words: list[str], name: str) -> bool:
    """Two full names with the same family name and different first names ("Bill Clinton", "Hillary Clinton");
    initials and a shared first letter ("H. Clinton", "Hillary Rodham Clinton") are not told apart."""
    mine, other = [w.lower() for w in words], name.lower().split()
    if len(mine) < 2 or len(other) < 2 or mine[-1] != other[-1]:
        return False
    short, long_ = sorted((mine, other), key=len)
    if long_[-len(short):] == short:
        return False  # "Wasserman Schultz" in "Debbie Wasserman Schultz", "Hillary Clinton" in "Rival Hillary Clinton"
    a, b = words[0].strip("."), name.split()[0].strip(".")
    return all(len(w) > 1 and w.istitle() and w.isalpha() for w in (a, b)) and a[0] != b[0]


class MentionResolver:
    """Canonical names for an article's mentions, built once per Doc."""

    def __init__(self, doc: Doc, gazetteer: Gazetteer) -> None:
        self.doc = doc
        self.gaz = gazetteer
        self.clusters: list[Cluster] = []
        self.person_mentions: list[tuple[int, Cluster]] = []  # (char offset, cluster), in text order
        self._at: dict[int, Cluster] = {}  # v5: the cluster each PERSON mention joined, by its first character
        persons = [(ent, _with_first_names(ent).text) for ent in doc.ents if ent.label_ == "PERSON"]
        loose = {ent.start: headline_like(ent.sent) or _odd_first_word(ent) for ent, _ in persons}
        for ent, text in persons:  # v5: full names first, so that a family name alone can be told apart later
            if len(_name_words(text)[1]) > 1 and not loose[ent.start]:
                self._person_cluster(text, count=True)
        for ent, text in persons:
            cluster = self._person_cluster(text, loose=loose[ent.start])
            cluster.role = cluster.role or _title_before(ent) or _appos_role(ent.root)
            gender = _title_gender(ent)
            if gender is not None:
                cluster.gender = gender if cluster.gender in {None, gender} else "?"
            self.person_mentions.append((ent.start_char, cluster))
            self._at[ent.start_char] = cluster

    # --- names -------------------------------------------------------------------------------------------
    def _person_cluster(self, text: str, count: bool = False, loose: bool = False) -> Cluster:
        """The person a name refers to: a known cluster it fits, or a new one. Full names with other first names
        are other people ("Bill Clinton", "Hillary Clinton"); a family name alone that fits several goes to the
        gazetteer's person, else to the one named in full at least twice as often, else stays as written.
        ``count``: the first pass over full names, which counts how often each is named (``person`` gives a
        PERSON mention the cluster it joined in the second pass). ``loose``: a name in a headline-style sentence,
        whose capitalised words may not be a first name ("Accept Putin", "POPE COMPARES")."""
        name, words = _name_words(text)
        entry = self.gaz.lookup(name)
        canonical = entry.name if entry is not None and entry.kind == "person" else None
        last = words[-1].lower() if words else name.lower()
        fits = [c for c in self.clusters if c.kind == "person" and (
            (canonical and c.name == canonical) or last in c.keys or name.lower() in c.keys)
            and (loose or (canonical and c.name == canonical) or not _other_first_name(words, c.name))]
        fits.sort(key=lambda c: (c.name != canonical, c.weak, -c.mentions))
        firm = [c for c in fits if not c.weak]
        if canonical and len(words) == 1 and len(firm) > 1 and firm[0].name != canonical:
            # v5: "Lukashenko" after "Alaxandr Lukashenko" and "Further Lukashenko": the gazetteer's person is the
            # one whose first name is spelt like the gazetteer's ("Alaxandr" ~ "Alexander")
            firm = [c for c in firm if _first_name_like(c.name, entry)] or firm
            fits = firm
        if len(words) == 1 and len(firm) > 1 and firm[0].name != canonical and firm[0].mentions < 2 * firm[1].mentions:
            # v5: "Clinton" in an article about Bill and Hillary Clinton, neither named much more often: the name as
            # written, not a guess at one of them
            return Cluster(name, "person", set(), mentions=0)
        if fits:
            cluster = fits[0]
            cluster.mentions += count
            if canonical is None and len(name) > len(cluster.name) and last in cluster.keys:
                cluster.name = name if not _is_gaz_name(self.gaz, cluster.name) else cluster.name
            elif canonical and cluster.name != canonical and not _is_gaz_name(self.gaz, cluster.name) \
                    and (len(cluster.name.split()) == 1 or _first_name_like(cluster.name, entry)):
                cluster.name = canonical  # "Aleksander Lukashenko" first, then "Lukashenko": the gazetteer's name
                cluster.keys.update(a.lower().split()[-1] for a in (entry.aliases if entry else ()) if a)
            cluster.keys.update({last, name.lower()})
            return cluster
        if canonical is None and len(words) == 1:
            family = self._family_name_first(last)
            if family is not None:
                family.keys.add(last)
                return family
        cluster = Cluster(canonical or name, "person", {last, name.lower()}, weak=loose and not canonical)
        if canonical:
            cluster.keys.update(a.lower().split()[-1] for a in (entry.aliases if entry else ()) if a)
        self.clusters.append(cluster)
        return cluster

    def person(self, ent: Span) -> Cluster:
        """The cluster a PERSON mention joined in the first pass (or, for a span the recogniser did not give, the
        one its name fits now)."""
        return self._at.get(ent.start_char) or self._person_cluster(_with_first_names(ent).text)

    def _known_person(self, ent: Span) -> Cluster | None:
        """A surname the NER read as an organisation or place ("Jobs", "Landsbergis") that names a person
        already met in this article."""
        if ent.label_ == "PERSON" or len(ent) > 2 or self.gaz.lookup(ent.text) is not None:
            return None
        key = _strip_possessive(ent.text).lower()
        for cluster in self.clusters:
            if cluster.kind == "person" and key in cluster.keys and " " in cluster.name:
                return cluster
        return self._family_name_first(key)  # v4: "Wang" (read as an organisation) after "Wang Yi"

    def _family_name_first(self, word: str) -> Cluster | None:
        """v4: the one person of the article whose two-word name starts with ``word`` ("Wang" after "Wang Yi": a
        family name written first), or None when none or several fit."""
        fits = [c for c in self.clusters if c.kind == "person" and len(c.name.split()) == 2
                and c.name.split()[0].lower() == word and not c.weak]
        return fits[0] if len(fits) == 1 else None

    def entity(self, span: Span) -> EntityRef:
        """Canonical reference for a named entity span (used for ``about``)."""
        if span.label_ == "PERSON":
            cluster = self.person(span)
            return EntityRef(cluster.name, "person")
        text = _strip_possessive(_clean(span.text))
        entry = self.gaz.lookup(text) or (self.gaz.lookup(span.ent_id_) if span.ent_id_ else None)
        if entry is not None:
            return EntityRef(entry.name, _GAZ_KIND.get(entry.kind, entry.kind))
        return EntityRef(text, _LABEL_KIND.get(span.label_, "unknown"))

    # --- speakers ----------------------------------------------------------------------------------------
    def speaker(self, head: Token, previous: list[Speaker]) -> tuple[Speaker, tuple[int, int]]:
        """The speaker whose syntactic head is ``head``; ``previous`` are earlier speakers, most recent last."""
        source = _document_source(head)
        if source is not None:  # "a statement from Boeing said" → Boeing
            head = source
        tokens = _np_tokens(head)
        span = self.doc[tokens[0].i : tokens[-1].i + 1]
        char_span = (span.start_char, span.end_char)
        mention = span.text
        low = head.lower_
        main = _main_clause_person(head)
        if main is not None:  # v6: "Mr. Ailes reined in his hosts when he worried …": he is Mr. Ailes
            found, _ = self.speaker(main, previous)
            if not (found.name and self.gender_clash(low, found.name)):
                return Speaker(found.name, found.kind, mention, found.role), char_span
        if head.pos_ == "PRON" or low in PERSON_PRONOUNS | GROUP_PRONOUNS | ORG_PRONOUNS:
            return self._pronoun(low, mention, head.idx, previous), char_span
        role = _appos_role(head)
        ent = _entity_in(span)
        if ent is not None:
            return self._named(ent, span, role), char_span
        named = _appos_person(head)
        if named is not None:  # v4: "a spokeswoman, Anna White," / "the company's chief executive, John Ferriola"
            return self._named(named, span, _clean(span.text)), char_span
        return self._description(span, head, role, previous), char_span

    def _named(self, ent: Span, span: Span, role: str | None) -> Speaker:
        if ent.label_ != "PERSON" and len(ent) >= 2 and ent[0].pos_ == "NOUN" and ent[0].lemma_.lower() in ROLE_HEADS \
                and all(t.pos_ == "PROPN" for t in ent[1:]) and self.gaz.lookup(ent.text) is None:
            # NER read "Spokeswoman Sandy Angers" as an organisation: a title and a name
            cluster = self._person_cluster(ent[1:].text)
            cluster.role = cluster.role or role or ent[0].text
            return Speaker(cluster.name, "person", span.text, role or ent[0].text)
        person = self._known_person(ent)
        if person is not None:
            return Speaker(person.name, "person", span.text, role or person.role)
        ref = self.entity(ent)
        kind = ref.kind if ref.kind in {"person", "organization", "country", "group"} else "organization"
        if kind == "group" and ent.label_ == "NORP":
            kind = "group"
        prefix = [t for t in span.doc[span.start : ent.start] if t.lower_.strip(".") not in _TITLE_WORDS]
        pre_role = _clean(" ".join(t.text for t in prefix)) if any(t.pos_ in {"NOUN", "PROPN", "ADJ"} for t in prefix) else None
        if kind == "person":
            cluster = self.person(ent) if ent.label_ == "PERSON" else self._person_cluster(_with_first_names(ent).text)
            cluster.role = cluster.role or role or pre_role
            return Speaker(cluster.name, "person", span.text, role or pre_role or cluster.role)
        if span.root.lower_ in ANONYMOUS_HEADS and span.root not in ent:
            return Speaker(_clean(span.text), "anonymous", span.text, None)
        if span.root.lower_ in GROUP_HEADS and span.root not in ent:
            return Speaker(_clean(span.text), "group", span.text, None)
        return Speaker(ref.name, kind, span.text, role or pre_role)  # type: ignore[arg-type]

    def _description(self, span: Span, head: Token, role: str | None, previous: list[Speaker]) -> Speaker:
        text = _clean(span.text)
        entry = self.gaz.lookup(text)
        if entry is not None:
            kind = _GAZ_KIND.get(entry.kind, "organization")
            return Speaker(entry.name, kind, span.text, role)  # type: ignore[arg-type]
        if head.pos_ == "PROPN" or head.is_title:  # v5: "Sanders" tagged a plural noun by the small model
            named = [c for c in self.clusters if c.kind == "person" and head.lower_ in c.keys and " " in c.name]
            if len(named) == 1:  # v5: one person only; with several the name stays unresolved below
                return Speaker(named[0].name, "person", span.text, role or named[0].role)
        titled = _titled_name(span)
        if titled is not None:  # "Minister of Foreign Affairs of Lithuania Gabrielius Landsbergis"
            title, name = titled
            cluster = self._person_cluster(name)
            cluster.role = cluster.role or role or title
            return Speaker(cluster.name, "person", span.text, role or title)
        low = head.lower_
        if low in ANONYMOUS_HEADS or "familiar with" in span.text or "anonym" in span.text.lower():
            return Speaker(text, "anonymous", span.text, None)
        if low in GROUP_HEADS or (head.tag_ in {"NNS", "NNPS"} and low not in ROLE_HEADS):
            return Speaker(text, "group", span.text, None)
        if head.lemma_.lower() in ROLE_HEADS and _definite(span):
            match = _compatible(text, previous, self.gaz)
            if match is not None:
                return Speaker(match.name, match.kind, span.text, match.role or text)
            return Speaker(None, "person", span.text, text)
        if head.lemma_.lower() in ROLE_HEADS:
            return Speaker(text, "anonymous" if _indefinite(span) else "person", span.text, None)
        if head.lemma_.lower() in ORG_HEADS and _definite(span):
            # "the company said": the organisation that spoke just before, else unresolved (never a guess)
            for sp in reversed(previous[-4:]):
                if sp.kind == "organization" and sp.name:
                    return Speaker(sp.name, "organization", span.text, sp.role)
            return Speaker(None, "organization", span.text, None)
        if head.pos_ != "PROPN" and _definite(span):
            return Speaker(None, "unknown", span.text, None)
        return Speaker(text, "unknown", span.text, role)  # a name we cannot type is not guessed

    def _pronoun(self, low: str, mention: str, at: int, previous: list[Speaker]) -> Speaker:
        if low in PERSON_PRONOUNS:
            for sp in reversed(previous[-3:]):
                if sp.kind == "person" and sp.name and not self.gender_clash(low, sp.name):
                    return Speaker(sp.name, "person", mention, sp.role)
            for pos, cluster in reversed(self.person_mentions):
                if pos < at and not self.gender_clash(low, cluster.name):
                    return Speaker(cluster.name, "person", mention, cluster.role)
            return Speaker(None, "unknown", mention, None)
        if previous and previous[-1].kind in {"organization", "country", "group", "anonymous"} and previous[-1].name:
            sp = previous[-1]
            if (low in GROUP_PRONOUNS) or sp.kind in {"organization", "country"}:
                return Speaker(sp.name, sp.kind, mention, sp.role)
        return Speaker(None, "unknown", mention, None)

    def gender_clash(self, pronoun: str, name: str) -> bool:
        """v6: "she" for a person the article calls "Mr." (or "he" for "Mrs."/"Ms."): not that person."""
        want = _PRONOUN_GENDER.get(pronoun.lower())
        genders = {c.gender for c in self.clusters if c.name == name and c.kind == "person"}
        return want is not None and bool(genders & {"m", "f"} - {want})


_WHEN = {"when", "after", "as", "once", "while", "before", "since", "until", "whenever"}


def _main_clause_person(pronoun: Token) -> Token | None:
    """v6: whom "he"/"she" as a clause's subject refers to, when the sentence's syntax says it: the named subject of
    a time clause before it ("When Solomonov was called up, he declined …"), or, for a pronoun in an adverbial
    clause, the named subject of the main clause ("Mr. Ailes reined in his hosts when he worried that …", "After she
    left, Clinton said …", "the shootings that Obama mentioned when he announced …") — not the latest speaker. Only
    a main clause that is the sentence's own or a relative clause: a clause reported inside it has a subject of its
    own ("hopes Clinton does not …, even as he understands …")."""
    if pronoun.lower_ not in {"he", "she"} or pronoun.dep_ != "nsubj":
        return None
    verb = pronoun.head
    for clause in (c for c in verb.children if c.dep_ == "advcl" and c.i < pronoun.i
                   and any(m.dep_ in {"mark", "advmod"} and m.lower_ in _WHEN for m in c.children)):
        # "When Solomonov was called up, he declined …": a time clause before names him ("If Trump loses, he …"
        # says nothing of who he is)
        subject = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None and subject.ent_type_ == "PERSON":
            return subject
    if verb.dep_ != "advcl":
        return None
    main = verb.head
    if main.dep_ not in {"ROOT", "relcl"}:
        return None  # "Bivens hopes Clinton does not make the mistake, even as he understands …": he is not Clinton
    subject = next((c for c in main.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return subject if subject is not None and subject.ent_type_ == "PERSON" else None


_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
_TITLE_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}


def _title_gender(ent: Span) -> str | None:
    """"m"/"f" from the title before or at the start of a person's name ("Mr. Ailes", "Mrs. Clinton")."""
    for tok in (ent[0], ent.doc[ent.start - 1] if ent.start > 0 else None):
        if tok is not None and tok.lower_.strip(".") in _TITLE_GENDER:
            return _TITLE_GENDER[tok.lower_.strip(".")]
    return None


def _demonym_fits(gaz: Gazetteer, word: str, role_words: set[str]) -> bool:
    """"French" fits a role naming France; "Kremlin"/"US"-style words fit when the role holds them."""
    for entry in gaz:
        if entry.kind == "country" and word in {d.lower() for d in getattr(entry, "demonyms", ())}:
            names = {entry.name.lower(), *(a.lower() for a in entry.aliases)}
            return any(n in role_words or all(p in role_words for p in n.split()) for n in names)
    return False


def _known_roles(gaz: Gazetteer, name: str) -> str:
    entry = gaz.lookup(name)
    roles = getattr(entry, "roles", ()) if entry is not None else ()
    return " ".join(getattr(r, "role", str(r)) for r in roles)


DOCUMENT_HEADS = {"statement", "release", "communique", "communiqué", "letter", "message", "post", "tweet",
                  "memo", "note", "announcement", "report", "document", "readout", "transcript", "video"}


def _document_source(head: Token) -> Token | None:
    """The issuer of a document that "says" something: "a statement from/by/of X", "X's statement"."""
    if head.lemma_.lower() not in DOCUMENT_HEADS:
        return None
    for child in head.children:
        if child.dep_ == "poss" and child.pos_ in {"PROPN", "NOUN"}:
            return child
        if child.dep_ == "prep" and child.lower_ in {"from", "by", "of"}:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and (pobj.pos_ == "PROPN" or pobj.ent_type_):
                return pobj
    return None


def _compatible(description: str, previous: list[Speaker], gaz: Gazetteer) -> Speaker | None:
    """A recent person speaker whom a definite description can refer to: one whose role (in this article or
    in the gazetteer) shares the description's head word, or the most recent person speaker for a generic
    description."""
    words = {w.lower() for w in re.findall(r"\w+", description)} - {"the", "of", "a", "s"}
    recent = [sp for sp in reversed(previous[-4:]) if sp.kind == "person" and sp.name]
    head = description.lower().split()[-1] if description.split() else ""
    for sp in recent:
        role_words = {w.lower() for w in re.findall(r"\w+", f"{sp.role or ''} {_known_roles(gaz, sp.name or '')}")}
        if head in role_words and words <= role_words | {head}:
            return sp
    for sp in recent:
        role = f"{sp.role or ''} {_known_roles(gaz, sp.name or '')}"
        role_words = {w.lower() for w in re.findall(r"\w+", role)}
        if head in role_words and all(w in role_words or _demonym_fits(gaz, w, role_words) for w in words - {head}):
            return sp
    last = previous[-1] if previous else None
    if last is not None and last.kind == "person" and last.name and not (last.role or _known_roles(gaz, last.name)) \
            and _OCCUPATION.search(head):
        return last  # "the political scientist" right after an unroled speaker
    for generic, fits in _GENERIC_FITS:
        if generic.search(description):
            for sp in recent:
                role = f"{sp.role or ''} {_known_roles(gaz, sp.name or '')}"
                if fits.search(role):
                    return sp
    return None


_OCCUPATION = re.compile(r"(ist|er|or|ian|ant|ent)$|^(head|chief|expert|official|diplomat|minister|general)$")

_GENERIC_FITS = tuple(
    (re.compile(a, re.I), re.compile(b, re.I))
    for a, b in (
        (r"\bhead of state\b|\b(country's|nation's|state's) (leader|head)\b", r"\b(president|king|queen|monarch|emir|head of state)\b"),
        (r"\b(leader|ruler|strongman|dictator)\b", r"\b(president|leader|ruler|prime minister|chairman|head of state|chancellor)\b"),
        (r"\bhead of government\b|\bpremier\b", r"\b(prime minister|premier|chancellor)\b"),
        (r"\bspokes(man|woman|person)\b", r"\b(spokes(man|woman|person)|press secretary)\b"),
        (r"\b(diplomat|foreign minister)\b", r"\b(foreign|ambassador|envoy|diplomat)"),
        (r"\bcommander(-in-chief)?\b", r"\b(commander|general|chief)"),
    )
)


def _definite(span: Span) -> bool:
    first = span[0]
    return first.lower_ == "the" or first.tag_ == "PRP$" or first.dep_ == "poss"


def _indefinite(span: Span) -> bool:
    return span[0].lower_ in {"a", "an", "one", "some", "several", "two", "three"}


def _np_tokens(head: Token) -> list[Token]:
    """The noun phrase of a subject head, without relative clauses, appositions or trailing punctuation."""
    keep = [head]
    stack = [c for c in head.children if (c.dep_ not in _DROP_DEPS or _np_prep(head, c)) and not c.is_space]
    while stack:
        tok = stack.pop()
        keep.append(tok)
        stack.extend(c for c in tok.children if c.dep_ not in {"relcl", "appos", "acl", "punct"} and not c.is_space)
    keep.sort(key=lambda t: t.i)
    # keep only the contiguous run around the head
    start = end = keep.index(head)
    while start > 0 and keep[start - 1].i == keep[start].i - 1:
        start -= 1
    while end < len(keep) - 1 and keep[end + 1].i == keep[end].i + 1:
        end += 1
    run = keep[start : end + 1]
    while run and run[-1].is_punct:
        run.pop()
    while run and run[0].is_punct:
        run.pop(0)
    return run or [head]


def _titled_name(span: Span) -> tuple[str, str] | None:
    """A title followed by a name the NER missed: the trailing run of proper nouns outside any entity."""
    tokens = [t for t in span if not t.is_punct]
    if len(tokens) < 3 or tokens[0].lemma_.lower() not in ROLE_HEADS:
        return None
    i = len(tokens)
    while i > 0 and tokens[i - 1].pos_ == "PROPN" and tokens[i - 1].ent_type_ in {"", "PERSON"} \
            and tokens[i - 1].lemma_.lower() not in ROLE_HEADS:
        i -= 1
    name = tokens[i:]
    if not 2 <= len(name) <= 4 or i == 0:
        return None
    title = span.doc[tokens[0].i : tokens[i - 1].i + 1].text
    return _clean(title), " ".join(t.text for t in name)


def _with_first_names(ent: Span) -> Span:
    """"Kyrylo Budanov" when NER tagged only "Budanov": proper nouns right before a person name that are not
    titles or parts of another entity."""
    doc, i = ent.doc, ent.start
    while i > 0 and doc[i - 1].pos_ == "PROPN" and doc[i - 1].ent_type_ in {"", "PERSON"} \
            and doc[i - 1].lemma_.lower() not in ROLE_HEADS and doc[i - 1].lower_.strip(".") not in _TITLE_WORDS \
            and not doc[i - 1].is_stop:  # v5: not "Further" in "Further Lukashenko stated …"
        i -= 1
    return doc[i : ent.end]


def _title_before(ent: Span) -> str | None:
    """The title words in front of a name: "Belarusian President" in "Belarusian President Aleksandr Lukashenko"."""
    doc = ent.doc
    i = ent.start
    while i > 0 and doc[i - 1].dep_ in {"compound", "amod", "nmod", "poss", "case"} and doc[i - 1].head.i >= ent.start - 1 \
            and doc[i - 1].pos_ in {"NOUN", "PROPN", "ADJ", "PART"} and doc[i - 1].ent_type_ != "PERSON":
        i -= 1
    while i < ent.start and doc[i].lower_.strip(".") in _TITLE_WORDS:
        i += 1
    words = doc[i : ent.start]
    if not len(words) or not any(t.lemma_.lower() in ROLE_HEADS for t in words):
        return None
    return _clean(words.text) or None


def _np_prep(head: Token, child: Token) -> bool:
    """"head of state", "officials familiar with", "a source in the army": a prepositional modifier that
    is part of the description (not of a proper name, whose prepositions belong to the clause)."""
    if child.dep_ != "prep" or child.i < head.i:
        return False
    if head.pos_ == "PROPN":  # "Defence Intelligence of Ukraine", "Ministry of Foreign Affairs"
        return child.lower_ == "of" and any(c.pos_ == "PROPN" for c in child.children)
    return head.pos_ == "NOUN" and (child.lower_ in _KEEP_PREPS or child.lower_ in {"with", "close"})


def _appos_role(head: Token) -> str | None:
    for child in head.children:
        if child.dep_ == "appos":
            tokens = [t for t in child.subtree if not (t.is_punct and t.i in (child.left_edge.i, child.right_edge.i))]
            if not tokens:
                return None
            span = head.doc[tokens[0].i : tokens[-1].i + 1]
            if any(t.ent_type_ == "PERSON" for t in span) and head.ent_type_ != "PERSON":
                return None
            return _clean(span.text) or None
    return None


def _appos_person(head: Token) -> Span | None:
    """The person an apposition names after a role noun: "a spokeswoman, Anna White" → Anna White."""
    if head.pos_ != "NOUN" or head.lemma_.lower() not in ROLE_HEADS:
        return None
    for child in head.children:
        if child.dep_ == "appos":
            sub = [t for t in child.subtree]
            ents = [e for e in ents_between(head.doc, sub[0].idx, sub[-1].idx + len(sub[-1].text))
                    if e.label_ == "PERSON"]
            if ents and child.i in range(ents[0].start, ents[0].end):
                return ents[0]
    return None


def _entity_in(span: Span) -> Span | None:
    """The named entity that a subject phrase names (the one holding its head, else the last one in it)."""
    ents = [e for e in ents_between(span.doc, span.start_char, span.end_char) if e.label_ in _LABEL_KIND]
    for ent in ents:
        if span.root.i in range(ent.start, ent.end):
            return ent
    # v4 review: "Putin's opponents", "Putin's spokesman" — a possessor names someone else than the speaker
    persons = [e for e in ents if e.label_ == "PERSON" and not (e.root.dep_ == "poss" and e.root.head.i == span.root.i)]
    if persons:
        return persons[-1]
    return None


def ents_between(doc: Doc, start: int, end: int) -> list[Span]:
    """Entities wholly inside ``[start, end)`` characters; the Doc's entity list is built once and searched by
    bisection (``span.ents`` walks every entity of the document on each call)."""
    cache = doc.user_data.get("onrecord_ents")
    if cache is None:
        ents = list(doc.ents)
        cache = doc.user_data["onrecord_ents"] = (ents, [e.start_char for e in ents])
    ents, starts = cache
    i = bisect.bisect_left(starts, start)
    out = []
    while i < len(ents) and ents[i].start_char < end:
        if ents[i].end_char <= end:
            out.append(ents[i])
        i += 1
    return out


def _strip_possessive(text: str) -> str:
    return re.sub(r"['’]s?$", "", text).strip()


def _is_gaz_name(gaz: Gazetteer, name: str) -> bool:
    entry = gaz.lookup(name)
    return entry is not None and entry.name == name


def entities_in(resolver: MentionResolver, spans: Iterable[Span]) -> list[EntityRef]:
    """Canonical, de-duplicated references for entity spans, in text order."""
    seen: dict[tuple[str, str], EntityRef] = {}
    for span in spans:
        if span.label_ not in _LABEL_KIND or span.label_ in {"EVENT", "LAW", "WORK_OF_ART", "PRODUCT"}:
            continue
        ref = resolver.entity(span)
        if len(ref.name) > 1:
            seen.setdefault((ref.name, ref.kind), ref)
    return list(seen.values())
