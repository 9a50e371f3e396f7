"""Finding attributions in a parsed article: cue, speaker token and content ranges.

Four finders, each a small function over the Doc, run in this order so that a quotation or a cue is claimed
at most once:
1. cue verbs (say, tell, deny, urge, …) with a reported clause, an adjacent quotation, or an object;
2. quotations no verb claimed: ``"…" - X``, ``And from X: "…"``, a quote under a brief's ``Quote:`` label, and
   a quote paragraph after a sentence that only introduces its speaker;
3. "according to X" and "in the words of X";
4. the headline form ``X: …``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .cues import (
    BELIEF_VERBS,
    CCOMP_ONLY,
    GENERIC_SUBJECTS,
    INTENT_XCOMP,
    NEEDS_CLAUSE,
    NOT_PERSON_OBJECT,
    NOT_SPEECH,
    OBJECT_CONTENT,
    PASSIVE_CUES,
    PHYSICAL_OBJECTS,
    PHYSICAL_READING,
    PREP_CONTENT,
    QUOTE_ONLY,
    REFUSAL_VERBS,
    REQUEST_XCOMP,
    STANCE_OBJECTS,
    STANCE_VERBS,
    UNSPOKEN,
    VERB_CUES,
    VERBAL_ONLY,
    cue_lemma,
)
from .noun_cues import NOUN_CUES, adjective_cues, noun_cues
from .quotes import Quote
from .sections import SectionIndex, text_of
from .speakers import (
    MILITARY_HEADS,
    PEOPLE_NOUNS,
    PERSON_PRONOUNS,
    PRONOUN_WORDS,
    ROLE_HEADS,
    SPEAKER_HEADS,
    capitalised,
    ents_between,
    headline_like,
)
from .trailing_cue import trailing_content
from .verb_content import (
    MEDIUM_NOUNS,
    NAMING_VERBS,
    SUBORDINATORS,
    after_verb,
    question_content,
    statement_noun_clauses,
)
from .verb_content import as_clause_content as _as_clause_content
from .verb_content import cut_trailing_attribution as _cut_trailing_attribution
from .verb_content import naming_content as _naming_content
from .verb_content import only_punct_between as _only_punct_between
from .verb_content import prep_content as _prep_content
from .verb_content import through_open_quote as _through_open_quote
from .verb_content import trim as _trim

INTRO_VERBS = {"speak", "comment", "address", "write", "post", "weigh", "react", "deliver", "appear", "give",
               "sum", "put", "reflect", "elaborate", "explain", "describe", "recall", "continue", "conclude"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
#: v3: a poll or a study "shows a tie" — findings report their object, when the finding is a document of record.
FINDING_VERBS = {"show", "find", "reveal", "indicate", "suggest"}
FINDING_SOURCES = {"poll", "survey", "study", "report", "data", "analysis", "result", "number", "figure",
                   "record", "document", "research", "audit", "review", "investigation", "filing", "count"}
_CONTENT_DEPS = {"ccomp", "xcomp", "parataxis"}
_DASH_AFTER = re.compile(r"^\s*[,.]?\s*[-–—]\s*(?:(said|says|stated|added|noted|wrote|stressed|emphasized|"
                         r"explained|assured|claimed|warned|told)\s+)?(?=[A-Z])")
_AND_FROM = re.compile(r"(?:^|\n)\s*(?:And )?(?:from|From) ([^:\n]{2,80}):\s*$")


@dataclass(slots=True)
class Found:
    """One attribution before speakers are resolved: character ranges into the article text."""

    cue: str
    cue_span: tuple[int, int]
    sent: Span
    content: list[tuple[int, int]]
    mode: str
    speaker_head: Token | None = None
    speaker_text: tuple[int, int] | None = None  # a speaker given as text, not a parsed subject
    speaker_from: str = ""  # "previous" / "source" when the speaker is carried over
    verb: Token | None = None
    quotes: list[Quote] = field(default_factory=list)
    default_kind: str | None = None

    @property
    def start(self) -> int:
        return min([self.cue_span[0], self.content[0][0]] + ([self.speaker_head.idx] if self.speaker_head else []))


class QuoteIndex:
    """Quotations of an article, looked up by character offset."""

    def __init__(self, quotes: Sequence[Quote]) -> None:
        self.quotes = list(quotes)
        self.claimed: set[int] = set()

    def containing(self, char: int) -> Quote | None:
        for q in self.quotes:
            if q.start < char < q.end - 1:
                return q
        return None

    def inside(self, start: int, end: int, long_only: bool = True) -> list[Quote]:
        return [q for q in self.quotes if start <= q.start and q.end <= end and not (long_only and q.short)]

    def claim(self, q: Quote) -> None:
        self.claimed.add(id(q))

    def is_claimed(self, q: Quote) -> bool:
        return id(q) in self.claimed


def find_attributions(doc: Doc, quotes: QuoteIndex, sections: SectionIndex) -> list[Found]:
    found: list[Found] = []
    used_verbs: set[int] = set()
    for f in _verb_cues(doc, quotes):
        found.append(f)
        if f.verb is not None:
            used_verbs.add(f.verb.i)
    found.extend(_noun_cues(doc, quotes, found))
    found.extend(_unclaimed_quotes(doc, quotes, sections, found))
    found.extend(_according_to(doc, quotes, found))
    head = _headline(doc, quotes, sections)
    if head is not None:
        found.append(head)
    return sorted(found, key=lambda f: f.cue_span[0])


# --- 1. cue verbs -----------------------------------------------------------------------------------------
def _verb_cues(doc: Doc, quotes: QuoteIndex) -> Iterator[Found]:
    for tok in doc:
        lemma = cue_lemma(tok.lemma_.lower(), tok.lower_)
        if lemma not in VERB_CUES or tok.pos_ not in {"VERB", "AUX"} or tok.dep_ in {"amod", "compound"}:
            continue
        if quotes.containing(tok.idx) is not None or any(c.dep_ == "neg" for c in tok.children):
            continue
        if _under_negation(tok):
            continue  # "he does not believe that Macron would declare …": Macron declared nothing
        found = _verb_attribution(tok, lemma, quotes)
        if found is not None:
            yield found


def _under_negation(verb: Token) -> bool:
    """A cue inside the reported clause of a negated verb ("does not believe that X would say", "did not claim
    that Y had announced"): what the clause reports was not asserted to have happened."""
    tok = verb
    while tok.dep_ in {"ccomp", "xcomp"} and tok.head.i != tok.i:
        tok = tok.head
        if cue_lemma(tok.lemma_.lower(), tok.lower_) in VERB_CUES and any(c.dep_ == "neg" for c in tok.children):
            return True
    return False


def _verb_attribution(verb: Token, lemma: str, quotes: QuoteIndex) -> Found | None:
    sent = verb.sent
    subject = _subject(verb)
    inside = quotes.containing(subject.idx) if subject is not None else None
    if subject is not None and inside is not None and not inside.short:
        # v5: "“Very good reporter, … this guy,” Trump, the … frontrunner, said": the parser took a word of the
        # quotation as the subject; the speaker is the name set beside it outside the quotation, if any
        subject = next((a for a in subject.subtree if a.dep_ == "appos" and quotes.containing(a.idx) is None
                        and (a.ent_type_ == "PERSON" or a.pos_ == "PROPN")), None)
    naming = _naming_content(verb, quotes) if lemma in NAMING_VERBS else None
    if naming is None and lemma == "call" and not any(c.lower_ in {"on", "upon"} for c in verb.children) and \
            _prep_content(verb, {"for"}) is None and not _quote_right_after(verb, quotes):
        return None
    content = naming or _clause_content(verb, quotes) or _parataxis_content(verb, quotes) or \
        _as_clause_content(verb, quotes) or question_content(verb)
    adjacent = _adjacent_quote(verb, subject, quotes) if content is None and lemma not in UNSPOKEN else None
    if content is None and adjacent is not None:
        quotes.claim(adjacent)
        content = ([*adjacent.parts], "direct", [adjacent])
    finding = lemma in FINDING_VERBS and subject is not None and subject.lemma_.lower() in FINDING_SOURCES
    agent = _passive_agent(verb) if subject is None and lemma in PASSIVE_CUES else None
    if agent is not None and _can_speak(agent):
        subject = agent  # v4: "Trump was endorsed by the Times", "the meeting was first reported by Politico"
        content = content or _passive_content(verb)
    if content is None and (lemma in OBJECT_CONTENT or finding):
        content = _object_content(verb)
    if content is None and lemma in PREP_CONTENT:
        content = _prep_content(verb, PREP_CONTENT[lemma])
    if content is None:
        trailing = trailing_content(verb, lemma, quotes)
        if trailing is None or not (_can_speak(trailing[1]) or lemma in FINDING_VERBS
                                    and trailing[1].lemma_.lower() in FINDING_SOURCES):
            return None
        content, subject = trailing
    ranges, mode, qs = content
    if mode == "object" and lemma in PHYSICAL_READING and not _stance_object_ok(verb, subject):
        return None
    if mode == "object" and lemma in NOT_PERSON_OBJECT and _object_is_person(verb):
        return None
    if (mode in {"object", "prep", "naming"} or lemma in {"encourage", "press"}) and not _asserted(verb, subject):
        return None  # v5: "would consider supporting", "Neither of them questioned", "or will Kyiv insist on …?"
    if lemma in REFUSAL_VERBS and (mode == "direct" or not any(c.dep_ == "xcomp" for c in verb.children)
                                   or not _can_speak(subject) or not _asserted(verb, subject)):
        return None  # v6: "declined to comment" is a refusal; "sales declined", "would refuse to" are not
    if lemma == "press" and mode != "direct" and not any(c.dep_ == "xcomp" for c in verb.children):
        return None  # "pressed lawmakers to approve" is a request; "pressed the button" is not
    if lemma == "describe" and mode == "object" and subject is not None and subject.lower_ == "it":
        return None  # "It [the report] described a deepening debilitation"
    if mode == "object" and not finding and agent is None and (lemma in NEEDS_CLAUSE or not _can_speak(subject)):
        return None  # "the plane promises increased fuel efficiency" is not a speech act
    if mode in {"prep", "naming"} and not _can_speak(subject):
        return None
    if lemma in QUOTE_ONLY and mode not in {"direct", "prep", "naming"} and not _grumble_clause(verb, lemma):
        return None
    if subject is None and mode != "direct":
        return None
    if lemma in BELIEF_VERBS and not _can_speak(subject):
        return None  # "the data suggest", "the bill wants": a belief needs someone to hold it
    if lemma in BELIEF_VERBS and subject is not None and subject.lemma_.lower() in MILITARY_HEADS:
        return None  # "Russian forces plan to attack": an assessment of intent, and whose is not said
    kind = VERB_CUES[lemma] if not (mode == "object" and lemma == "question") else None  # a doubt, not a question
    if lemma in REQUEST_XCOMP and mode != "direct" and any(c.dep_ == "xcomp" for c in verb.children):
        kind = "request"  # "told airlines not to buy", "urged allies to speed up"
    return Found(lemma, (verb.idx, verb.idx + len(verb.text)), sent, ranges,
                 ("mixed" if qs else "indirect") if mode in {"object", "prep", "naming"} else mode,
                 speaker_head=subject, verb=verb, quotes=qs, default_kind=kind)


_STANCE_TARGETS = frozenset(STANCE_OBJECTS | ROLE_HEADS | PEOPLE_NOUNS)


def _stance_object_ok(verb: Token, subject: Token | None) -> bool:
    """For ``PHYSICAL_READING`` verbs with an object: a speech act only about people, bodies or things said."""
    if subject is not None and subject.lemma_.lower() in MILITARY_HEADS:
        return False
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "obj"}), None)
    if obj is None:
        return False
    if obj.ent_type_ in {"PERSON", "ORG", "NORP"} or obj.pos_ == "PRON" and obj.lower_ != "it":
        return True
    if obj.ent_type_ in {"GPE", "LOC"} and verb.lemma_.lower() in VERBAL_ONLY:
        return True
    words = {obj.lemma_.lower(), obj.lower_}
    if words & MILITARY_HEADS:
        return False
    if words & _STANCE_TARGETS:
        return True
    # v5: a person takes a stance on anything but a place or a thing one can hit ("Trump defended the incident",
    # "she backs tougher regulations"); a country or an army with such an object acts ("Russia attacked the plant")
    return _is_person(subject) and obj.ent_type_ not in {"GPE", "LOC", "FAC"} and not words & PHYSICAL_OBJECTS


#: Modal verbs under which a stance is not taken, only considered ("would consider supporting", "must defend").
_MODALS = {"would", "could", "might", "may", "should", "must", "can", "ca"}
#: Prepositions whose gerund is no act that took place ("backed off from encouraging", "prevented from backing").
_UNREAL_PREPS = {"from", "without", "against", "of", "about", "instead"}


def _asserted(verb: Token, subject: Token | None) -> bool:
    """v5 (review on war news): a stance statement (an object, a preposition's object, a naming) is one the
    article says was taken — not under a modal, not an infinitive of another verb, not a gerund after "from",
    "without" …, not in a question, and not by nobody in particular ("those who favor", "neither of them"); v6: nor
    in a condition ("if …", "unless …"), and a conjunct shares its first verb's modal or infinitive."""
    first = verb
    while first.dep_ == "conj" and first.head.i != first.i and first.tag_ == first.head.tag_:
        first = first.head  # v6: "to keep his options open and deny …": the conjunct shares the infinitive
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for v in {verb, first} for c in v.children):
        return False
    if any(v.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
           and not _subject_control(v) for v in {verb, first}):
        return False
    if verb.dep_ == "pcomp" and verb.head.lower_ in _UNREAL_PREPS:
        return False
    if any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for v in {verb, first} for c in v.children):
        return False  # v6: "if Russia refuses to deny …": a condition, not something that happened
    if verb.sent.text.rstrip().endswith("?"):
        return False
    return subject is None or subject.lower_ not in GENERIC_SUBJECTS
def _object_is_person(verb: Token) -> bool:
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "obj"}), None)
    return obj is not None and (_is_person(obj) or obj.lemma_.lower() in PEOPLE_NOUNS | _PEOPLE_OBJECTS or obj.pos_ == "PRON")


#: People who are received, held or questioned: "welcomed a baby girl", "questioned the suspect".
_PEOPLE_OBJECTS = {"baby", "child", "girl", "boy", "guest", "visitor", "refugee", "migrant", "delegation", "team",
                   "suspect", "detainee", "prisoner", "defendant", "applicant"}


def _is_person(tok: Token | None) -> bool:
    """A person: a named one, he or she, or a role noun for one ("the senator")."""
    if tok is None:
        return False
    return tok.ent_type_ == "PERSON" or tok.lower_ in PERSON_PRONOUNS or tok.lemma_.lower() in ROLE_HEADS


def _passive_agent(verb: Token) -> Token | None:
    """The object of "by" in a passive ("was endorsed by the Times"), or of a participle that modifies a noun
    ("a plan backed by the governor")."""
    passive = verb.tag_ == "VBN" and (verb.dep_ == "acl" or any(c.dep_ in {"nsubjpass", "auxpass"}
                                                                 for c in verb.children))
    if not passive or any(c.dep_ == "mark" for c in verb.children):
        return None  # "as criticized by …": a relay or an aside
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None


def _passive_content(verb: Token) -> tuple[list[tuple[int, int]], str, list[Quote]] | None:
    """What the passive is about: its subject, or the noun the participle modifies (without the participle)."""
    if verb.dep_ == "acl":
        own = {t.i for t in verb.subtree}
        tokens = [t for t in verb.head.subtree if t.i not in own and t.i < verb.i]
    else:
        subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        tokens = list(subj.subtree) if subj is not None else []
    if not tokens or any(t.tag_ in {"WP", "WDT", "PRP"} for t in tokens[:1]):
        return None
    words = [t for t in tokens if not t.is_punct]
    if len(words) < 2 and words[0].pos_ != "PROPN" or all(t.pos_ in {"DET", "PRON", "PUNCT"} for t in tokens):
        return None  # "This", "those", "data": nothing a reader could check
    start, end = _trim(verb.doc, tokens)
    return ([(start, end)], "object", []) if end > start else None


def _quote_right_after(verb: Token, quotes: QuoteIndex) -> bool:
    """"what Obama called “a crucial step forward”": a quotation opens right after the verb."""
    end = verb.idx + len(verb.text)
    return any(q.start >= end and not text_of(verb.doc)[end : q.start].strip() for q in quotes.quotes)


def _can_speak(subject: Token | None) -> bool:
    """A subject that can make a statement: a named person, organisation or country, a pronoun, or a noun for
    people or institutions."""
    if subject is None:
        return False
    if subject.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"} or subject.pos_ == "PRON":
        return True
    if subject.pos_ == "PROPN" and not subject.ent_type_ and subject.is_alpha and subject.is_title \
            and subject.lower_ not in PRONOUN_WORDS and len(subject.text) > 1 and not headline_like(subject.sent):
        return True  # v4: a name the recogniser missed ("Lynch calls North Carolina her home state")
    if subject.is_title and not subject.ent_type_ and _known_surname(subject):
        return True  # v5: "Sanders" tagged a plural noun, named in full elsewhere in the article
    # v4: plural group heads ("voters") and nouns for people
    return subject.lemma_.lower() in SPEAKER_HEADS or subject.lower_ in SPEAKER_HEADS


def _known_surname(tok: Token) -> bool:
    """The word is the last word of a person's name (two words or more) found in the article."""
    return any(len(e) > 1 and e.label_ == "PERSON" and e[-1].text == tok.text for e in tok.doc.ents)


def _grumble_clause(verb: Token, lemma: str) -> bool:
    """"grumbled that …", "agreed that …": a that-clause makes these speech acts too."""
    return lemma not in {"continue"} and any(
        c.dep_ == "ccomp" and any(m.lower_ == "that" for m in c.children) for c in verb.children)


def _subject(verb: Token) -> Token | None:
    """The speaker's head: nsubj of the verb, of the verb it is conjoined with, or of the clause a
    participle hangs off ("…, saying that"); a relative pronoun resolves to the noun it modifies."""
    named = [c for c in verb.children if c.dep_ == "nsubj" and c.ent_type_ == "PERSON"]
    if len(named) == 1 and sum(c.dep_ == "nsubj" for c in verb.children) > 1:
        return named[0]  # v4: "USAF's chief of staff General Duncan McNab stated" parsed with two subjects
    for child in verb.children:
        if child.dep_ == "nsubj":
            if child.tag_ in {"WP", "WDT"} and verb.dep_ == "relcl":
                return verb.head
            return child
        if child.dep_ == "nsubjpass" and verb.lemma_ != "quote":
            return None
    if verb.dep_ == "conj" and verb.head.pos_ in {"VERB", "AUX"}:
        opened = verb.head.left_edge.text in {"“", '"', "``", "''"}
        closed = re.search(r"[”\"]|''", text_of(verb.doc)[verb.head.idx : verb.idx]) if opened else None
        if closed is not None:  # v5: "“We were wrong …,” Ramos, 58, told AFP" parsed as one coordination
            start = verb.head.idx + closed.end()
            named = [c for c in verb.head.children if c.dep_ in {"conj", "nsubj"} and start <= c.idx < verb.idx
                     and (c.pos_ in {"PROPN", "PRON"} or c.ent_type_)]
            return named[-1] if named else None
        return _subject(verb.head)
    if verb.dep_ in {"advcl", "xcomp"} and verb.tag_ == "VBG":
        return _subject(verb.head)
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.lemma_.lower() in MEDIUM_NOUNS \
            and verb.head.dep_ in {"dobj", "obj"} and verb.head.head.pos_ == "VERB":
        return _subject(verb.head.head)  # v4: "X issued a statement saying …", "releasing a statement saying"
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in {"NOUN", "PROPN"} and _can_speak(verb.head) \
            and verb.lemma_ != "cite":  # "officials, citing data from Ukraine": a source, not a statement
        return verb.head  # v5: "a family of super PACs supporting Ted Cruz", "Sanders, describing a country …"
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.dep_ == "prep" and verb.head.head.pos_ in {"VERB", "AUX"}:
        return _subject(verb.head.head)  # v3: "After saying he was nervous, the man …", "concluded by making clear"
    if verb.dep_ == "xcomp" and verb.head.lemma_ == "quote":  # "X was quoted as saying"
        for child in verb.head.children:
            if child.dep_ == "nsubjpass":
                return child
    if verb.dep_ == "xcomp" and verb.tag_ == "VB" and _subject_control(verb):
        return _subject(verb.head) if verb.head.pos_ in {"VERB", "AUX"} else _subject(verb.head.head)
    return None


#: Heads whose infinitive is a speech act that happens ("continued to insist", "began to argue"). Never
#: "refused to confirm", "declined to say", "failed to mention", "tried to deny", "plans to announce", "is likely to
#: announce", "has to announce": the act did not (or not yet) take place, and a made-up statement is worse than none.
ASPECT_HEADS = {"continue", "begin", "start", "go", "keep", "proceed", "repeat"}


def _subject_control(verb: Token) -> bool:
    """v3: "she continued to insist …", "he began to argue …": the infinitive's subject is the subject of the clause
    it completes, for aspectual heads only (``ASPECT_HEADS``), and unless an object stands between."""
    head = verb.head
    if head.pos_ not in {"VERB", "AUX"} or head.lemma_.lower() not in ASPECT_HEADS:
        return False
    if any(c.dep_ == "neg" for c in head.children):
        return False
    return not any(c.dep_ in {"dobj", "obj", "nsubjpass"} for c in head.children)


def _clause_content(verb: Token, quotes: QuoteIndex) -> tuple[list[tuple[int, int]], str, list[Quote]] | None:
    medium = statement_noun_clauses(verb)
    lemma = cue_lemma(verb.lemma_.lower(), verb.lower_)
    for child in [*verb.children, *medium]:
        dep = "ccomp" if child in medium else child.dep_
        if dep not in _CONTENT_DEPS or (dep != "ccomp" and lemma in CCOMP_ONLY
                                        and not (dep == "xcomp" and lemma in INTENT_XCOMP)):
            continue
        if child.i > verb.i and any(c.tag_ == "VBG" and verb.i < c.i < child.i and c.dep_ in {"advcl", "conj"}
                                    and cue_lemma(c.lemma_.lower(), c.lower_) in VERB_CUES for c in verb.children):
            continue  # v6: "likened X to Y, saying: “…”" parsed with the quote's clause on "likened": it is the saying's
        if lemma in REFUSAL_VERBS and dep != "xcomp":
            continue  # v6: what was refused is the infinitive; "X reported, the Foundation refused to …" is no content
        if child.i < verb.i and any(m.dep_ == "mark" and m.lower_ in SUBORDINATORS for m in child.children):
            continue  # "after the senator suspended his campaign, Cruz said …": a time clause, not the content
        if child.i < verb.i and any(m.dep_ == "mark" and m.lower_ in SUBORDINATORS for m in verb.children):
            continue  # v5: "X is upbeat, in part because he sees …" parsed upside down: the main clause is no content
        if child.i < verb.i and any(t.text == ";" for t in verb.doc[child.right_edge.i + 1 : verb.i]):
            continue  # v5: "… was not part of the swap; Iran insists it does not know": another sentence
        if child.dep_ == "xcomp" and verb.lemma_ in {"say", "tell", "state"} and child.tag_ != "VB":
            continue
        if child.dep_ == "parataxis" and quotes.containing(child.idx) is None:
            continue
        tokens = _leading_adjunct(child, _without_nested_speech(child)) or list(child.subtree)
        if child.dep_ == "xcomp":  # "expects the New GM to focus on …": the object is the infinitive's subject
            objects = [t for c in verb.children if c.dep_ in {"dobj", "obj"} and c.i < child.i for t in c.subtree]
            tokens = sorted(objects + tokens, key=lambda t: t.i) if verb.lemma_ not in REQUEST_XCOMP else tokens
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        quote = quotes.containing(child.idx) or quotes.containing(start + 1)
        if quote is not None and quote.start <= start + 1 and (quote.end >= end - 2 or _only_punct_between(text_of(verb.doc), quote.end, end)):
            if quotes.is_claimed(quote):
                continue
            quotes.claim(quote)
            return [*quote.parts], "direct", [quote]
        if quote is not None and (quote.start > verb.idx or quote.end < verb.idx):
            # a clause inside a quotation whose cue stands outside it: the quotation is the content
            if quote.start < start and not quotes.is_claimed(quote):
                quotes.claim(quote)
                return [*quote.parts], "direct", [quote]
        start, end = _trim(verb.doc, tokens)
        if end <= start:
            continue
        end = _cut_trailing_attribution(text_of(verb.doc), start, end)
        end = _through_open_quote(quotes, start, end)
        inner = quotes.inside(start - 1, end + 1, long_only=False)
        for q in inner:
            quotes.claim(q)
        return [(start, end)], ("mixed" if inner else "indirect"), inner
    return None


def _without_nested_speech(clause: Token) -> list[Token]:
    """The tokens of a reported clause, up to a second speech act hanging inside it ("…, while the minister
    sighed: …"), which is a statement of its own."""
    tokens = list(clause.subtree)
    for tok in tokens:
        lemma = tok.lemma_.lower()
        if tok.i <= clause.i or lemma not in VERB_CUES or lemma in UNSPOKEN or tok.dep_ not in {"advcl", "conj"}:
            continue
        if tok.lemma_.lower() in STANCE_VERBS and not any(c.dep_ in {"ccomp", "parataxis"} for c in tok.children):
            continue
        if any(c.dep_ == "nsubj" for c in tok.children):
            cut = tok.left_edge.i
            kept = [t for t in tokens if t.i < cut]
            while kept and (kept[-1].is_punct or kept[-1].dep_ in {"mark", "cc"}):
                kept.pop()
            return kept or tokens
    return tokens


def _parataxis_content(verb: Token, quotes: QuoteIndex) -> tuple[list[tuple[int, int]], str, list[Quote]] | None:
    """``Washington is “using …”, he said, lashing out …``: the cue hangs off the clause it reports. A cue inside
    its clause (``This campaign, he says, is different``) reports both sides of it: two content ranges."""
    if verb.dep_ != "parataxis" or verb.head.pos_ not in {"VERB", "AUX"}:
        return None
    sent = verb.sent
    tokens = [t for t in verb.doc[sent.start : verb.left_edge.i] if not t.is_space]
    start, end = _trim(verb.doc, tokens) if tokens else (0, 0)
    if end <= start:
        return None
    after = [t for t in verb.doc[verb.right_edge.i + 1 : sent.end] if not t.is_space]
    if verb.head.i < verb.i:
        after = []
    elif not [t for t in after if not t.is_punct]:
        return None
    quote = next((q for q in quotes.quotes if q.start <= start and q.end >= end - 1), None)
    if quote is not None and not after and not quotes.is_claimed(quote):
        quotes.claim(quote)
        return [*quote.parts], "direct", [quote]
    ranges = [(start, _through_open_quote(quotes, start, end))]
    if after:
        a_start, a_end = _trim(verb.doc, after)
        if a_end > a_start:
            ranges.append((a_start, _through_open_quote(quotes, a_start, a_end)))
    whole = [next((q for q in quotes.quotes if q.start <= s + 1 and q.end >= e - 1 and not quotes.is_claimed(q)), None)
             for s, e in ranges]
    if len(ranges) > 1 and all(q is not None for q in whole):  # “This campaign,” he says, “is different.”
        split = [q for q in whole if q is not None]
        for q in split:
            quotes.claim(q)
        return [p for q in split for p in q.parts], "direct", split
    inner = [q for r in ranges for q in quotes.inside(r[0] - 1, r[1] + 1, long_only=False)]
    for q in inner:
        quotes.claim(q)
    return ranges, ("mixed" if inner else "indirect"), inner


def _leading_adjunct(clause: Token, tokens: list[Token]) -> list[Token]:
    """"said on Saturday he had discussed …": a prepositional phrase before the clause's subject belongs to the
    cue (the parser often hangs it on the reported verb)."""
    subject = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subject is None:
        return tokens
    first = subject.left_edge.i
    lead = [t for t in tokens if t.i < first]
    if lead and lead[0].dep_ == "prep" and lead[0].head.i == clause.i and all(t.i < first for t in lead[0].subtree):
        return [t for t in tokens if t.i >= first or t.dep_ == "mark"]
    return tokens


def _adjacent_quote(verb: Token, subject: Token | None, quotes: QuoteIndex) -> Quote | None:
    """``"…," X said`` / ``"…," said X`` / ``X said: "…"`` — a quotation right next to the cue clause."""
    text = text_of(verb.doc)
    # v5: not the subject's tokens inside a quotation the parser hung on it ("“…,” Sarandon, 69, told MSNBC")
    left = min([verb.idx] + ([t.idx for t in subject.subtree if quotes.containing(t.idx) is None
                              and not t.is_punct] if subject is not None else []))
    right_tokens = [verb] + ([t for t in subject.subtree] if subject is not None and subject.i > verb.i else [])
    right = max(t.idx + len(t.text) for t in right_tokens)
    tail = _cue_tail(verb)  # v4: "told Breitbart News Daily host Matt Boyle, “…”", "telling reporters, “…”"
    for q in quotes.quotes:
        if q.short or quotes.is_claimed(q):
            continue
        if q.end <= left and _gap_ok(text[q.end : left], before=True):
            return q
        if q.start >= right and _gap_ok(text[right : q.start], before=False):
            return q
        if tail > right and q.start >= tail and text[tail : q.start].strip() in {",", ":"}:
            return q
    return None


def _cue_tail(verb: Token) -> int:
    """End (in characters) of the cue verb's own addressee and adjuncts after it — objects, "on Tuesday", "in a
    statement" — when no other verb stands among them; the verb's end otherwise."""
    tokens = after_verb(verb, {"dobj", "dative", "prep", "npadvmod", "advmod"})
    if not tokens or any(t.pos_ in {"VERB", "AUX"} for t in tokens):
        return verb.idx + len(verb.text)
    last = max(tokens, key=lambda t: t.i)
    return last.idx + len(last.text)


def _gap_ok(gap: str, before: bool) -> bool:
    stripped = gap.strip()
    if "\n\n" in gap:
        # a quote may open the next paragraph after "X said:" (or "X told reporters on Friday:")
        return not before and stripped.endswith(":") and "\n\n" not in stripped and _colon_tail(stripped)
    if before:
        return stripped in {"", ",", "-", "–", "—", ", -", ", –", ", —"} or re.fullmatch(
            r",?\s*(?:[-–—]\s*)?(?:\w+\s+){0,6}", gap) is not None and len(gap) < 40 and "," not in stripped[1:]
    if stripped in {"", ":", ",", "that", ": that", "as saying", "as saying:", "as saying that"}:
        return True
    return _colon_tail(stripped)


def _colon_tail(stripped: str) -> bool:
    """"X told reporters on Friday: “…”" — a short tail of the cue clause ending in a colon."""
    return stripped.endswith(":") and len(stripped.split()) <= 12 and not re.search(r"[.!?;\"“”]", stripped[:-1])


def _object_content(verb: Token) -> tuple[list[tuple[int, int]], str, list[Quote]] | None:
    for child in verb.children:
        if child.dep_ in {"dobj", "obj"} and child.pos_ in {"NOUN", "PROPN"}:
            tokens = list(child.subtree)
            as_prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" and c.i > child.i), None)
            if as_prep is not None:  # v5: "proposed Minsk as a venue"
                tokens = [t for t in verb.doc[tokens[0].i : as_prep.right_edge.i + 1]]
            start, end = _trim(verb.doc, tokens)
            if end > start:
                return [(start, end)], "object", []
    return None


# --- 1b. noun cues (v3) -------------------------------------------------------------------------------------
def _noun_cues(doc: Doc, quotes: QuoteIndex, found: list[Found]) -> Iterator[Found]:
    """"her claim that …", "his call for a ban": see ``noun_cues``; never inside a quotation or a content
    another cue already reports."""
    taken = [r for f in found for r in f.content]
    for noun, source, (start, end) in [*noun_cues(doc), *adjective_cues(doc)]:
        if quotes.containing(noun.idx) is not None or not _can_speak(source):
            continue
        if any(a <= noun.idx < b or a < end and start < b for a, b in taken):
            continue
        end = _through_open_quote(quotes, start, end)
        inner = quotes.inside(start - 1, end + 1, long_only=False)
        if any(quotes.is_claimed(q) for q in inner):
            continue
        for q in inner:
            quotes.claim(q)
        taken.append((start, end))
        yield Found(noun.lemma_.lower(), (noun.idx, noun.idx + len(noun.text)), noun.sent, [(start, end)],
                    "mixed" if inner else "indirect", speaker_head=source, quotes=inner,
                    default_kind=NOUN_CUES.get(noun.lemma_.lower(), "belief"))


# --- 2. quotations no verb claimed ------------------------------------------------------------------------
def _unclaimed_quotes(doc: Doc, quotes: QuoteIndex, sections: SectionIndex, found: list[Found]) -> Iterator[Found]:
    text = text_of(doc)
    seen = list(found)
    for q in quotes.quotes:
        if quotes.is_claimed(q):
            continue
        attempt = _dash_speaker(doc, q) or _and_from(doc, q) or _quote_section(doc, q, sections)
        if attempt is None and not q.short:
            attempt = _intro_sentence(doc, q) or _verb_next_to_quote(doc, q) or _continued_quote(doc, q, seen)
        if attempt is None:
            continue
        quotes.claim(q)
        seen.append(attempt)
        yield attempt
    del text, found


def _span_at(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _dash_speaker(doc: Doc, q: Quote) -> Found | None:
    """``"…" - Commissioner X`` or ``- … - said X``: after the dash, a short name-like phrase ends the sentence."""
    m = _DASH_AFTER.match(text_of(doc)[q.end : q.end + 120])
    if not m:
        return None
    at = q.end + m.end()
    tok = token_at(doc, at)
    if tok is None:
        return None
    tail = [t for t in doc[tok.i : tok.sent.end] if not t.is_space]
    while tail and tail[-1].is_punct:
        tail.pop()
    cut = next((i for i, t in enumerate(tail) if t.text == "," or t.lower_ in {"quoted", "cited", "citing"}), len(tail))
    if cut < len(tail) and tail[cut].text == "," and not any(t.lower_ in {"quoted", "cited", "citing", "according"} for t in tail[cut:]):
        return None  # "- Without US support, Poland …": a new sentence after a list dash, not a speaker
    phrase = tail[:cut]
    if not phrase or len(phrase) > 10 or phrase[0].pos_ not in {"PROPN", "NOUN", "DET", "ADJ"}:
        return None
    root = _np_root(phrase[-1])
    if not (root.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} or root.lemma_.lower() in _ROLE_WORDS):
        return None
    if m.group(1) is None and any(t.pos_ in {"VERB", "AUX"} for t in phrase):
        return None
    head = _np_root(phrase[-1])
    cue = m.group(1).lower() if m.group(1) else "dash"
    lemma = _CUE_FORMS.get(cue, cue)
    cue_span = (q.end, at) if m.group(1) is None else (q.end + m.start(1), q.end + m.end(1))
    return Found(lemma, cue_span, tok.sent, [*q.parts], "direct", speaker_head=head, quotes=[q])


_ROLE_WORDS = {"spokesman", "spokeswoman", "spokesperson", "minister", "president", "commissioner", "official",
               "source", "adviser", "advisor", "head", "chief", "commander", "ambassador", "secretary", "leader"}
_CUE_FORMS = {"says": "say", "said": "say", "stated": "state", "added": "add", "noted": "note", "wrote": "write",
              "stressed": "stress", "emphasized": "emphasize", "explained": "explain", "assured": "assure",
              "claimed": "claim", "warned": "warn", "told": "tell"}


def _and_from(doc: Doc, q: Quote) -> Found | None:
    before = text_of(doc)[max(0, q.start - 100) : q.start]
    m = _AND_FROM.search(before)
    if not m:
        return None
    start = q.start - len(before) + m.start(1)
    tok = token_at(doc, start)
    if tok is None:
        return None
    return Found("say", (start - 5, start), tok.sent, [*q.parts], "direct", speaker_head=_np_root(tok), quotes=[q])


def _quote_section(doc: Doc, q: Quote, sections: SectionIndex) -> Found | None:
    """A quotation under a brief's ``Quote:`` label belongs to the speaker named before it."""
    if sections.get(q.start) != "Quote":
        return None
    tok = token_at(doc, q.start + 1)
    if tok is None:
        return None
    return Found("quote", (q.start, q.start), tok.sent, [*q.parts], "direct", speaker_from="previous", quotes=[q])


def _intro_sentence(doc: Doc, q: Quote) -> Found | None:
    """A quote paragraph right after a sentence that only introduces the speaker ("Zelensky addressed the
    nation on Sunday." ¶ "…")."""
    if q.start == 0 or text_of(doc)[q.start - 1] != "\n":
        return None
    tok = token_at(doc, q.start + 1)
    if tok is None or tok.sent.start == 0:
        return None
    prev = doc[tok.sent.start - 1].sent
    root = prev.root
    colon = text_of(doc)[prev.start_char : q.start].rstrip().endswith(":")
    if root.lemma_.lower() not in INTRO_VERBS | (set(VERB_CUES) - UNSPOKEN) and not (
            colon and root.pos_ == "VERB" and not any(c.dep_ == "neg" for c in root.children)):
        return None  # v4: any verb introduces the quotation when its sentence ends in a colon
    subject = _subject(root)
    if subject is None or text_of(doc)[prev.end_char : q.start].strip(" \n") not in {"", ":"}:
        return None
    if colon and root.lemma_.lower() not in INTRO_VERBS | set(VERB_CUES) and not _can_speak(subject):
        return None
    return Found(root.lemma_.lower(), (root.idx, root.idx + len(root.text)), prev, [*q.parts], "direct",
                 speaker_head=subject, verb=None, quotes=[q])


QUESTION_CUES = {"ask", "inquire", "wonder", "query", "question"}
def _verb_next_to_quote(doc: Doc, q: Quote) -> Found | None:
    """rules.v4: a quotation right after or right before a clause whose verb is not in the cue lexicon but whose
    subject can speak — ``Trump barked “Go back to Univision,”``, ``he addressed the crowd again: “…”``, ``“This is
    a big win for me,” he confessed``. The verb becomes the cue. Not when the verb is negated, its subject cannot
    speak, a preposition stands before the quotation ("appeared on “This Week”"), or the quotation reads like a
    title (every word capitalised)."""
    text = text_of(doc)
    tok = token_at(doc, q.start + 1)
    if tok is None or _title_like(text[q.inner_start : q.inner_end]):
        return None
    sent = tok.sent
    left = [t for t in doc[sent.start : tok.i] if not t.is_space and t.idx < q.start]
    verb: Token | None = None
    if left and text[left[-1].idx + len(left[-1].text) : q.start].strip() == "":
        colon = left[-1].text == ":"
        last = left[-2] if left[-1].text in {":", ","} and len(left) > 1 else left[-1]
        if last.pos_ == "VERB":
            verb = last
        elif last.dep_ in {"prt", "advmod"} and last.head.pos_ == "VERB":
            verb = last.head
        elif colon and last.pos_ != "ADP":
            verb = next((a for a in last.ancestors if a.pos_ == "VERB"), None)
            if verb is not None and any(t.pos_ in {"VERB", "AUX"} for t in doc[verb.i + 1 : last.i + 1]):
                verb = None
        if verb is not None and not any(c.dep_ == "nsubj" and c.i < verb.i for c in verb.children):
            verb = None
    if verb is None:
        after = [t for t in doc[tok.i : sent.end] if t.idx >= q.end and not t.is_space]
        opens_sentence = not text[sent.start_char : q.start].strip()
        if after and opens_sentence and text[q.end : after[0].idx].strip() in {"", ","}:
            tail = [t for t in after if not t.is_punct]
            verbs = [t for t in tail if t.pos_ == "VERB"]
            if len(verbs) == 1 and len(tail) <= 8 and any(c.dep_ == "nsubj" and c.idx >= q.end
                                                           for c in verbs[0].children):
                verb = verbs[0]
    if verb is None or verb.lemma_.lower() in NOT_SPEECH or any(c.dep_ == "neg" for c in verb.children):
        return None
    if not (verb.dep_ == "ROOT" or verb.dep_ in {"conj", "parataxis"} and verb.head.dep_ == "ROOT"):
        return None  # a verb of a subordinate clause ("the fact that Russia continues dialogue, “…”")
    between = text[verb.idx : q.start] if verb.idx < q.start else text[q.end : verb.idx]
    if q.start <= verb.idx < q.end or any(m in between for m in "\"“”«»‘’"):
        return None  # the verb stands inside this or another quotation
    subject = _subject(verb)
    if subject is None or not _can_speak(subject) or q.start <= subject.idx < q.end:
        return None
    lemma = verb.lemma_.lower()
    return Found(lemma, (verb.idx, verb.idx + len(verb.text)), verb.sent, [*q.parts], "direct",
                 speaker_head=subject, verb=verb, quotes=[q], default_kind=VERB_CUES.get(lemma))


def _title_like(inner: str) -> bool:
    """"More Rubio-Style Debate", "Fox and Friends": every word of four letters or more is capitalised."""
    return capitalised(inner)[1] == 1.0


def _continued_quote(doc: Doc, q: Quote, found: list[Found]) -> Found | None:
    """v3: ``“A,” she said. “B.”`` — a quotation that opens the sentence right after a quoted statement, in the same
    paragraph, continues that statement: same speaker, same cue."""
    text = text_of(doc)
    # the parser may end the cue's sentence after the next quotation's opening mark (``… Mr. Vian said. ''His``)
    before = [f for f in found if f.mode == "direct" and f.quotes and f.sent.start_char < q.start
              and max(x.end for x in f.quotes) <= q.start and f.sent.end_char <= q.start + 2]
    if not before:
        return None
    prev = max(before, key=lambda f: f.sent.end_char)
    end = prev.content[-1][1]
    if prev.cue in QUESTION_CUES or prev.default_kind == "question" or "?" in text[end - 1:end + 2]:
        return None  # "“Are you running?” asked Smith. “Not yet.”": the answer is someone else's
    gap = text[prev.sent.end_char : q.start]
    last_quote = max(x.end for x in prev.quotes)
    if gap.strip() or "\n" in text[last_quote : q.start] or last_quote < prev.sent.start_char:
        return None
    tok = token_at(doc, q.inner_start)
    if tok is None or tok.sent.start_char <= prev.sent.start_char:
        return None
    return Found(prev.cue, prev.cue_span, prev.sent, [*q.parts], "direct", speaker_head=prev.speaker_head,
                 speaker_text=prev.speaker_text, speaker_from=prev.speaker_from, verb=prev.verb, quotes=[q],
                 default_kind=prev.default_kind)


def token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, min(len(text_of(doc)), char + 1), alignment_mode="expand")
    if span is None or not len(span):
        return None
    tok = span[0]
    while tok.is_space and tok.i + 1 < len(doc):
        tok = doc[tok.i + 1]
    return tok


def _np_root(tok: Token) -> Token:
    """The head noun of the noun phrase a token belongs to."""
    while tok.dep_ in {"compound", "amod", "det", "poss", "nmod", "case"} and tok.head.i != tok.i:
        tok = tok.head
    if tok.ent_iob_ in {"B", "I"}:
        for ent in ents_between(tok.doc, tok.sent.start_char, tok.sent.end_char):
            if ent.start <= tok.i < ent.end:
                return ent.root
    return tok


# --- 3. according to ----------------------------------------------------------------------------------------
def _according_to(doc: Doc, quotes: QuoteIndex, found: list[Found]) -> Iterator[Found]:
    claimed_sents = {f.sent.start for f in found}
    for tok in doc:
        if tok.lower_ != "according" or tok.i + 2 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        if quotes.containing(tok.idx) is not None:
            continue
        pobj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        sent = tok.sent
        phrase_end = max(t.i for t in pobj.subtree) + 1
        if sent.start in claimed_sents and _is_relay_phrase(doc, tok, found):
            continue
        ranges = [r for r in _sentence_minus(sent, tok.i, phrase_end) if r[1] > r[0]]
        if not ranges:
            continue
        inner = [q for q in quotes.inside(ranges[0][0] - 1, ranges[-1][1] + 1, long_only=False)]
        mode = "mixed" if inner else "indirect"
        for q in inner:
            quotes.claim(q)
        yield Found("according to", (tok.idx, doc[tok.i + 1].idx + 2), sent, ranges, mode, speaker_head=pobj, quotes=inner)


def _is_relay_phrase(doc: Doc, tok: Token, found: list[Found]) -> bool:
    """"according to X" in a sentence that already has an attribution is a relay (or a second source) — unless that
    attribution is a belief reported inside it ("According to Smith, the firm wanted to cut costs")."""
    return any(f.sent.start == tok.sent.start and f.default_kind != "belief" for f in found)


def _sentence_minus(sent: Span, start_i: int, end_i: int) -> list[tuple[int, int]]:
    doc = sent.doc
    before = [t for t in doc[sent.start : start_i] if not t.is_space]
    after = [t for t in doc[end_i : sent.end] if not t.is_space]
    ranges = []
    for part in (before, after):
        if part:
            s, e = _trim(doc, part)
            if e > s:
                ranges.append((s, e))
    return ranges[-1:] if len(ranges) == 2 and len(before) < 2 else ranges


# --- 4. headline "X: …" -----------------------------------------------------------------------------------
_HEADLINE = re.compile(r"^([^:\n]{2,70}):\s+(\S.*)$")


def _headline(doc: Doc, quotes: QuoteIndex, sections: SectionIndex) -> Found | None:
    end = text_of(doc).find("\n")
    end = len(text_of(doc)) if end < 0 else end
    m = _HEADLINE.match(text_of(doc)[:end])
    if not m:
        return None
    head_span = _span_at(doc, 0, m.end(1))
    if head_span is None or not any(t.pos_ == "PROPN" or t.ent_type_ for t in head_span):
        return None
    if len(head_span) > 8 or any(t.pos_ == "VERB" for t in head_span):
        return None
    c_start, c_end = m.start(2), m.end(2)
    q = next((q for q in quotes.quotes if q.start <= c_start + 1 and q.end >= c_end - 1), None)
    if q is not None:
        quotes.claim(q)
        content, mode, qs = [*q.parts], "direct", [q]
    else:
        content, mode, qs = [(c_start, c_end)], "indirect", []
    root = head_span.root
    return Found("colon", (m.end(1), m.end(1) + 1), doc[0].sent, content, mode, speaker_head=root, quotes=qs)
