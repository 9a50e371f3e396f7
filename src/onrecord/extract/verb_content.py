"""Content of a cue verb beyond its reported clause (rules.v2): a named predicate ("called Trump “unhinged”"), a
prepositional object ("called for a ban", "spoke about the war") and the clause an as-clause hangs on ("As
Breitbart News reported, the White House refused …"); with the span helpers the clause finders share.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

if TYPE_CHECKING:
    from .attribution import QuoteIndex
    from .quotes import Quote

Content = tuple[list[tuple[int, int]], str, list["Quote"]]


def trim(doc: Doc, tokens: list[Token]) -> tuple[int, int]:
    """Character range of a reported clause without a leading "that"/"if"/"whether" mark or edge punctuation."""
    while tokens and (tokens[0].is_punct or tokens[0].lower_ == "that"):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct and tokens[-1].text not in {"?", "!", '"', "”", "»"}:
        tokens = tokens[:-1]
    if not tokens:
        return 0, 0
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def through_open_quote(quotes: QuoteIndex, start: int, end: int) -> int:
    """A reported clause that stops inside a quoted fragment (its closing ``,"`` or ``."`` was trimmed) runs on to
    the closing mark, so the fragment is whole: ``… is a fight "we have to make,"``."""
    for q in quotes.quotes:
        if start <= q.start < end < q.end and q.end - end <= 3:
            return q.end
    return end


def as_clause_content(verb: Token, quotes: QuoteIndex) -> Content | None:
    """"As Breitbart News reported, the White House refused …": the clause the as-clause hangs on is the content."""
    if verb.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        return None
    if any(c.dep_ in {"dobj", "ccomp", "xcomp"} for c in verb.children) or verb.head.i < verb.i:
        return None
    own = {t.i for t in verb.subtree}
    tokens = [t for t in verb.head.subtree if t.i not in own and t.i > verb.i and not t.is_space]
    start, end = trim(verb.doc, tokens) if tokens else (0, 0)
    if end - start < 10:
        return None
    end = through_open_quote(quotes, start, end)
    inner = quotes.inside(start - 1, end + 1, long_only=False)
    for q in inner:
        quotes.claim(q)
    return [(start, end)], ("mixed" if inner else "indirect"), inner


def prep_content(verb: Token, preps: set[str]) -> Content | None:
    """"called for a ban", "spoke about the war": the object of the verb's preposition is what was said about
    ("called for the strongholds to be hit": a for-clause too)."""
    for child in verb.children:
        if child.dep_ == "advcl" and "for" in preps and any(m.dep_ == "mark" and m.lower_ == "for"
                                                             for m in child.children):
            tokens = [t for t in child.subtree if not (t.dep_ == "mark" and t.head.i == child.i)]
            start, end = trim(verb.doc, tokens)
            if end > start:
                return [(start, end)], "prep", []
        if child.dep_ == "prep" and child.lower_ in preps:
            tokens = [t for t in child.subtree if t.i > child.i]
            start, end = trim(verb.doc, tokens) if tokens else (0, 0)
            if end > start:
                return [(start, end)], "prep", []
    return None


#: Verbs that name or characterise their object: "called Trump “unhinged”", "described the field as “all very
#: good”", "accused Obama of exploitation" — the object with its predicate is the content; value: the
#: prepositions that carry the predicate.
NAMING_VERBS: dict[str, set[str]] = {
    "call": set(), "describe": {"as"}, "portray": {"as"}, "characterize": {"as"}, "characterise": {"as"},
    "label": {"as"}, "brand": {"as"}, "dub": set(), "refer": {"as"}, "accuse": {"of"}, "blame": {"for"},
    "praise": {"for"}, "criticize": {"for"}, "criticise": {"for"}, "thank": {"for"}, "congratulate": {"on", "for"},
    "see": {"as"}, "view": {"as"}, "regard": {"as"}, "consider": {"as"},  # v3: beliefs about an object
    "deem": set(), "identify": {"as"},  # v5: "deemed the trade-off reasonable", "identified the man as …"
}
QUESTION_VERBS = {"ask", "wonder", "inquire", "question"}
#: Marks of adverbial clauses: a clause they open is never the reported content, even when parsed as a ccomp.
SUBORDINATORS = {"after", "before", "when", "while", "because", "since", "although", "though", "as", "until",
                 "once", "unless", "whereas"}
#: Nouns for the medium of a statement: "said in a statement that …" (the parser hangs the clause on the noun).
MEDIUM_NOUNS = {"statement", "interview", "release", "post", "tweet", "letter", "speech", "email", "note", "remarks",
                "message", "op-ed", "editorial", "video", "memo", "filing", "conference", "briefing", "call"}


def naming_content(verb: Token, quotes: QuoteIndex) -> Content | None:
    """An object with a predicate naming it (see ``NAMING_VERBS``) is a statement about the object."""
    preps = NAMING_VERBS.get(verb.lemma_.lower(), set())
    after = [c for c in verb.children if c.i > verb.i]
    kids = {c.dep_ for c in after}
    has_object = bool({"dobj", "xcomp"} & kids) or any(c.dep_ == "prep" and c.lower_ == "to" for c in after)
    has_predicate = bool({"oprd", "xcomp"} & kids - {"xcomp"} if "dobj" not in kids else {"oprd", "xcomp"} & kids)
    objects = [c for c in after if c.dep_ == "dobj"]
    quoted_appos = [a for o in objects for a in o.children if a.dep_ == "appos" and quotes.containing(a.idx) is not None]
    has_predicate = has_predicate or bool(quoted_appos and verb.lemma_.lower() in {"call", "dub", "label", "brand"})
    has_predicate = has_predicate or any(c.dep_ == "prep" and c.lower_ in preps for o in [verb, *objects]
                                         for c in o.children if c.i > verb.i)
    if not ((has_object and has_predicate) or "oprd" in kids):
        return None
    if any(c.dep_ in {"nsubjpass", "prt"} or c.dep_ == "ccomp" and c.i > verb.i for c in verb.children):
        return None
    tokens = [t for t in verb.subtree if t.i > verb.i and not t.is_space]
    cut = next((t.i for t in tokens if t.head.i == verb.i and (t.dep_ in {"advcl", "cc", "conj"} or (
        t.dep_ == "prep" and t.lower_ not in preps | {"to"}))), None)
    tokens = [t for t in tokens if cut is None or t.i < cut]
    if tokens and tokens[0].dep_ == "prep" and tokens[0].lower_ == "to":  # "referred to Rubio as …"
        tokens = tokens[1:]
    start, end = trim(verb.doc, tokens) if tokens else (0, 0)
    if end <= start:
        return None
    inner = quotes.inside(start - 1, end + 1, long_only=False)
    for q in inner:
        quotes.claim(q)
    return [(start, end)], "naming", inner


def statement_noun_clauses(verb: Token) -> list[Token]:
    """A that-clause hung on the medium noun of "says in a statement that …", as a ccomp of the verb would be."""
    out = []
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.i < verb.i:
            continue
        for noun in prep.children:
            if noun.dep_ == "pobj" and noun.lemma_.lower() in MEDIUM_NOUNS:
                out += [c for c in noun.children if c.dep_ in {"acl", "ccomp", "relcl"} and c.i > noun.i
                        and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
    return out


def question_content(verb: Token) -> Content | None:
    """"asked workers if they planned to attend": an if/whether clause the parser hung on the verb as an adverbial."""
    if verb.lemma_.lower() not in QUESTION_VERBS:
        return None
    for child in verb.children:
        if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in {"if", "whether"} for m in child.children):
            start, end = trim(verb.doc, list(child.subtree))
            if end > start:
                return [(start, end)], "indirect", []
    return None


_TRAILING = re.compile(
    r",\s+(?:(?:as\s+)?(?:quoted|cited|reported)\s+(?:by|in)\b|according\s+to\b|citing\b|"
    r"(?:he|she|they|it)\s+(?:said|added|noted|stressed|told)\b|[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,4}\s+"
    r"(?:reported|reports|has\s+learned|said|says)\b)[^,]*$")


def cut_trailing_attribution(text: str, start: int, end: int) -> int:
    """An indirect clause ends before a trailing ", quoted by BelTA" / ", according to X" / ", RIA reported"."""
    m = _TRAILING.search(text, start, end)
    if m is None or end - m.start() > 90:
        return end
    return m.start()


def only_punct_between(text: str, a: int, b: int) -> bool:
    return a >= b or not text[a:b].strip(" ,.;:!?\"”“'’")


def after_verb(verb: Token, deps: set[str]) -> list[Token]:
    """The tokens of the verb's children after it with one of ``deps`` — its own addressee and adjuncts ("told
    reporters", "on Saturday", "in a statement"), for the rules that find where a cue clause ends."""
    return [t for c in verb.children if c.i > verb.i and c.dep_ in deps and c.text != "," for t in c.subtree]
