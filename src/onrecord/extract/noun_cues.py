"""Noun and adjective cues (rules.v3): "her claim that …", "Trump's view that …", "his call for a ban", "Obama's
criticism of the deal" — a noun of saying or believing, a source that owns it, and the clause or phrase it reports;
and beliefs held as a state: "aides are confident that …", "she is not sure she can …" (kind "belief").

The source must be explicit: a possessive ("her", "Trump's"), a by/from phrase ("a claim by the campaign"), or
the subject of a light verb whose object the noun is ("Trump made the claim that …", "she voiced concern that
…"). A noun with no source ("the claim that …", "fears that …") is never attributed: that would be a guess.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from .verb_content import trim

#: noun lemma -> default statement kind (None: decided from the content)
NOUN_CUES: dict[str, str | None] = {
    "claim": None, "assertion": None, "statement": None, "argument": None, "allegation": None,
    "accusation": None, "suggestion": None, "insistence": None, "contention": None, "remark": None,
    "comment": None, "assessment": None, "explanation": None, "message": None, "point": None,
    "admission": "confirmation", "acknowledgment": "confirmation", "acknowledgement": "confirmation",
    "confirmation": "confirmation", "denial": "denial", "announcement": "announcement",
    "promise": "prediction", "pledge": "prediction", "vow": "prediction", "warning": "prediction",
    "prediction": "prediction", "forecast": "prediction", "threat": "prediction",
    "demand": "request", "call": "request", "request": "request", "proposal": "request", "plea": "request",
    "appeal": "request", "view": "belief", "belief": "belief", "opinion": "belief", "hope": "belief",
    "fear": "belief", "concern": "belief", "worry": "belief", "conviction": "belief", "position": "belief",
    "criticism": None, "endorsement": None, "support": None, "praise": None, "opposition": None,
    "question": "question",
}
#: Nouns whose content is the object of a preposition ("his call for a ban", "her criticism of the deal").
NOUN_PREP: dict[str, set[str]] = {
    "call": {"for"}, "demand": {"for"}, "plea": {"for"}, "appeal": {"for"}, "request": {"for"},
    "support": {"for"}, "criticism": {"of"}, "endorsement": {"of"}, "praise": {"for", "of"},
    "opposition": {"to"}, "warning": {"about", "of", "against"}, "question": {"about"},
    "comment": {"on", "about"}, "remark": {"about"}, "concern": {"about", "over"},
    "proposal": {"for"}, "promise": {"of"},
}
#: Verbs whose subject is the source of a cue noun they take as object ("made the claim that", "voiced concern").
LIGHT_VERBS = {"make", "issue", "repeat", "reiterate", "express", "voice", "offer", "raise", "share", "renew",
               "reaffirm", "deliver", "put", "level", "air", "state", "stand"}

Content = tuple[int, int]


def noun_cues(doc: Doc) -> Iterator[tuple[Token, Token, Content]]:
    """(cue noun, source head, content range) for every noun cue with an explicit source and content."""
    for noun in doc:
        lemma = noun.lemma_.lower()
        if noun.pos_ != "NOUN" or lemma not in NOUN_CUES:
            continue
        content = _that_clause(noun) or _prep_object(noun, NOUN_PREP.get(lemma, set()))
        if content is None:
            continue
        source = _source(noun)
        if source is None:
            continue
        yield noun, source, content


def _that_clause(noun: Token) -> Content | None:
    """"the claim that Mexico will pay": a complement clause (its "that" is a mark, not a relative pronoun)."""
    for child in noun.children:
        if child.dep_ not in {"acl", "ccomp", "appos", "relcl"} or child.i < noun.i:
            continue
        if not any(m.dep_ == "mark" and m.lower_ == "that" for m in child.children):
            continue
        start, end = trim(noun.doc, list(child.subtree))
        if end > start:
            return start, end
    return None


def _prep_object(noun: Token, preps: set[str]) -> Content | None:
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in preps and child.i > noun.i:
            tokens = [t for t in child.subtree if t.i > child.i]
            start, end = trim(noun.doc, tokens) if tokens else (0, 0)
            if end > start:
                return start, end
    return None


def _source(noun: Token) -> Token | None:
    for child in noun.children:
        if child.dep_ == "poss":
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in {"by", "from"} and child.i > noun.i:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    head = noun.head
    if noun.dep_ in {"dobj", "obj"} and head.pos_ == "VERB" and head.lemma_.lower() in LIGHT_VERBS:
        return next((c for c in head.children if c.dep_ == "nsubj"), None)
    return None


#: Adjectives of belief after a copula, with a reported clause ("some Democrats are concerned that …").
BELIEF_ADJECTIVES = {"confident", "convinced", "sure", "certain", "aware", "hopeful", "optimistic", "pessimistic",
                     "concerned", "worried", "afraid", "fearful", "skeptical", "sceptical", "adamant", "doubtful",
                     "positive", "unaware"}
_COPULAS = {"be", "seem", "remain", "appear", "become", "feel", "grow"}


def adjective_cues(doc: Doc) -> Iterator[tuple[Token, Token, Content]]:
    """(cue adjective, holder head, content range) for "X is confident that …"; never when negated."""
    for adj in doc:
        if adj.pos_ != "ADJ" or adj.lemma_.lower() not in BELIEF_ADJECTIVES or adj.dep_ != "acomp":
            continue
        verb = adj.head
        if verb.lemma_.lower() not in _COPULAS or any(c.dep_ == "neg" for c in [*verb.children, *adj.children]):
            continue
        holder = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        clause = next((c for c in [*adj.children, *verb.children] if c.dep_ == "ccomp" and c.i > adj.i), None)
        if holder is None or clause is None:
            continue
        start, end = trim(doc, list(clause.subtree))
        if end > start:
            yield adj, holder, (start, end)
