"""From attributions to Statement records: speakers resolved in text order, relays, time, setting, kind."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from ..records import Article, EntityRef, Relay, Speaker, Statement
from ..registry import Gazetteer, OutletRegistry
from .attribution import Found, token_at
from .cues import REFUSAL_VERBS
from .kinds import classify, expectation, said_on, setting
from .mentions import text_mentions
from .relays import DATELINE, dateline_relay, relays_in, source_line
from .sections import SectionIndex, text_of
from .speakers import MentionResolver, entities_in, ents_between

_ADDRESSEE_PREPS = {"to"}


def assemble(article: Article, doc: Doc, found: list[Found], sections: SectionIndex, gazetteer: Gazetteer,
             outlets: OutletRegistry, ruleset: str, quoted: list[tuple[int, int]] | None = None) -> list[Statement]:
    """Statements from the attributions found; ``quoted``: the article's quotations (character ranges), whose
    dates are never when a statement was made ("Dicks, who called the plan “dead in 2003”, said …")."""
    resolver = MentionResolver(doc, gazetteer)
    article.mentions = text_mentions(doc, resolver)
    previous: list[Speaker] = []
    source_relays = _source_lines(article, doc, resolver, outlets, sections)
    dateline = dateline_relay(article.text, outlets, article.outlet)
    statements = []
    contents = [(id(f), f.cue_span[0], a, b) for f in found if f.mode in {"direct", "mixed"} or _by_person(f)
                for a, b in f.content]
    for f in found:
        st = _statement(article, doc, f, sections, resolver, outlets, previous, ruleset, quoted or [])
        if st is None:
            continue
        _add_article_relays(st, source_relays, dateline)
        # a statement reported inside a quotation or a person's words (Lukashenko said he did not believe that
        # "the president of France, Emmanuel Macron, would declare …") does not make its speaker the one later
        # pronouns and "the head of state" refer to; under a cue that follows it ("X said …, BelTA learned") it does
        # v5: nor does a participle hung on a noun ("no different from George H.W. Bush calling Reagan's policies …"):
        # an aside about someone, not the article's speaker
        aside = f.verb is not None and f.verb.dep_ == "acl" and f.speaker_head is not None \
            and f.speaker_head.i == f.verb.head.i and f.speaker_head.dep_ not in {"nsubj", "nsubjpass", "ROOT"}
        # v6: nor does a refusal ("Perino refused to go along …"): nothing was said that a later "he said" continues
        aside = aside or f.cue in REFUSAL_VERBS
        if not aside and not any(i != id(f) and cue < f.cue_span[0] and a <= f.cue_span[0] < b
                                 for i, cue, a, b in contents):
            previous.append(st.speaker)
        statements.append(st)
    return statements


def _by_person(f: Found) -> bool:
    """Whether a cue's subject looks like a person (a PERSON entity or a pronoun), from the parse alone."""
    head = f.speaker_head
    return head is not None and (head.ent_type_ == "PERSON" or head.pos_ == "PRON")


def _statement(article: Article, doc: Doc, f: Found, sections: SectionIndex, resolver: MentionResolver,
               outlets: OutletRegistry, previous: list[Speaker], ruleset: str,
               quoted: list[tuple[int, int]]) -> Statement | None:
    speaker, speaker_span = _speaker(f, resolver, previous, outlets)
    f.content = _without_dateline(article.text, f.content)
    content = _content_text(article, f.content)
    if not content or len(content) < 3:
        return None
    kind = classify(f.default_kind, f.cue, content, f.verb, token_at(doc, f.content[0][0]))
    c_start, c_end = f.content[0][0], f.content[-1][1]
    starts = [f.cue_span[0], c_start] + ([speaker_span[0]] if speaker_span else [])
    ends = [f.cue_span[1], c_end] + ([speaker_span[1]] if speaker_span else [])
    span = (_widen_left(article.text, min(starts)), _widen_right(article.text, max(ends)))
    exclude = [(c_start, c_end)]
    quotations = [(a, b) for a, b in quoted if a < f.sent.end_char and b > f.sent.start_char]
    relays = _relays(doc, f, exclude, outlets, speaker)
    addressee = _addressee(f.verb, resolver, outlets)
    st = Statement(
        article_id=article.id, speaker=speaker, cue=f.cue, mode=f.mode, kind=kind,  # type: ignore[arg-type]
        content=content, span=span, section=sections.get(c_start), addressee=addressee,
        said_on=said_on(f.sent, f.verb, exclude + quotations, article.published), setting=setting(f.verb, exclude),
        relays=relays, about=_about(doc, resolver, f.content, speaker),
        content_span=(c_start, c_end), cue_span=f.cue_span, speaker_span=speaker_span, ruleset=ruleset,
    )
    st.expectation = expectation(kind, content, article.published)
    if st.expectation is not None and st.kind == "assertion":
        st.kind = "prediction"  # forward-looking content with a due window
    if st.setting and st.said_on and st.said_on.text in st.setting:
        st.setting = _without_time(st.setting, st.said_on.text)
    return st


def _without_time(setting_text: str, time_text: str) -> str:
    """"at a meeting … in Minsk on Friday" → "at a meeting … in Minsk": the time is in ``said_on``."""
    cut = setting_text.find(time_text)
    head = re.sub(r"\s+(on|in|at|during|this|last|on the)$", "", setting_text[:cut].rstrip(" ,"))
    return head if len(head.split()) >= 2 and cut > 0 else setting_text


def _speaker(f: Found, resolver: MentionResolver, previous: list[Speaker],
             outlets: OutletRegistry) -> tuple[Speaker, tuple[int, int] | None]:
    if f.speaker_head is not None:
        speaker, span = resolver.speaker(f.speaker_head, previous)
        outlet = outlets.match(speaker.mention) if speaker.kind != "person" else None
        if outlet is not None:
            speaker = Speaker(outlet.name, "organization", speaker.mention, speaker.role)
        return speaker, span
    if f.speaker_from == "previous" and previous:
        sp = previous[-1]
        return Speaker(sp.name, sp.kind, sp.mention, sp.role), None
    return Speaker(None, "unknown", "", None), None




def _without_dateline(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A reported clause that starts a wire item does not include its dateline ("MINSK, 7 February (BelTA) –")."""
    if not ranges:
        return ranges
    s, e = ranges[0]
    m = DATELINE.match(text[s:e])
    if m is None:
        return ranges
    skip = m.end() + len(text[s + m.end() : e]) - len(text[s + m.end() : e].lstrip())
    return [(s + skip, e), *ranges[1:]]


def _content_text(article: Article, ranges: list[tuple[int, int]]) -> str:
    """The attributed words, with editors' bracketed notes taken out (they are never the source's words)."""
    text = ""
    previous_end = None
    for s, e in ranges:
        piece = article.text[s:e]
        for note in sorted(article.notes, key=lambda n: -n.start):
            if s <= note.start and note.end <= e:
                piece = piece[: note.start - s] + piece[note.end - s :]
        piece = re.sub(r"[ \t]{2,}", " ", piece).strip()
        if piece:  # parts of one paragraph (a cue inside the clause) join with " … ", paragraphs with a blank line
            same = previous_end is not None and "\n" not in article.text[previous_end:s]
            text += ("" if not text else " … " if same else "\n\n") + piece
        previous_end = e
    return text.strip()


def _widen_left(text: str, start: int) -> int:
    while start > 0 and text[start - 1] in "“«\"‘„":
        start -= 1
    return start


def _widen_right(text: str, end: int) -> int:
    while end < len(text) and text[end] in "”»\"’":
        end += 1
    return end


def _relays(doc: Doc, f: Found, exclude: list[tuple[int, int]], outlets: OutletRegistry,
            speaker: Speaker) -> list[Relay]:
    sent = f.sent
    start, end = sent.start_char, sent.end_char
    if f.content and f.content[-1][1] > end:  # a quotation running past the cue's sentence
        end = _paragraph_end(text_of(doc), f.content[-1][1])
    if f.content and f.content[0][0] < start:
        start = f.content[0][0]
    end = _paragraph_end(text_of(doc), end) if text_of(doc)[end:end + 2].strip().startswith("(") else end
    found = relays_in(text_of(doc), start, end, exclude, outlets, speaker.name)
    found.sort(key=lambda r: (r.rank, abs(r.start - f.cue_span[0])))
    out: list[Relay] = []
    for r in found:
        if all(r.relay.outlet != o.outlet for o in out):
            out.append(r.relay)
    return out


def _paragraph_end(text: str, at: int) -> int:
    nxt = text.find("\n\n", at)
    return len(text) if nxt < 0 else nxt


def _addressee(verb: Token | None, resolver: MentionResolver, outlets: OutletRegistry) -> EntityRef | None:
    """Whom it was said to: the object of tell/ask/urge/assure/inform/warn, or "said to X"."""
    if verb is None:
        return None
    lemma = verb.lemma_.lower()
    for child in verb.children:
        target = None
        if child.dep_ in {"dobj", "dative", "obj"} and lemma in {"tell", "ask", "urge", "assure", "inform", "warn",
                                                                  "brief", "reassure", "remind", "promise", "call"}:
            target = child
        elif child.dep_ == "prep" and child.lower_ in _ADDRESSEE_PREPS and lemma in {"say", "speak", "explain", "write"}:
            target = next((c for c in child.children if c.dep_ == "pobj"), None)
        if target is not None and target.pos_ in {"NOUN", "PROPN", "PRON"}:
            return _entity_ref(target, resolver, outlets)
    return None


def _entity_ref(tok: Token, resolver: MentionResolver, outlets: OutletRegistry) -> EntityRef:
    span = tok.doc[tok.left_edge.i : tok.i + 1]
    outlet = outlets.match(span.text)
    if outlet is not None:
        return EntityRef(outlet.name, "organization")
    for ent in ents_between(tok.doc, span.start_char, span.end_char):
        if ent.start <= tok.i < ent.end:
            return resolver.entity(ent)
    if tok.pos_ == "PRON":
        return EntityRef(tok.text, "unknown")
    kind = "group" if tok.tag_ in {"NNS", "NNPS"} else "unknown"
    text = re.sub(r"^(the|a|an) ", "", span.text, flags=re.I)
    return EntityRef(text, kind)


def _about(doc: Doc, resolver: MentionResolver, ranges: list[tuple[int, int]], speaker: Speaker) -> list[EntityRef]:
    spans: list[Span] = [e for s, t in ranges for e in ents_between(doc, s, t)]
    return [ref for ref in entities_in(resolver, spans) if ref.name != speaker.name]


def _source_lines(article: Article, doc: Doc, resolver: MentionResolver, outlets: OutletRegistry,
                  sections: SectionIndex) -> list[tuple[str | None, list[Relay]]]:
    """Relays named by ``Source:`` paragraphs, with the speaker they apply to (None: every statement)."""
    out: list[tuple[str | None, list[Relay]]] = []
    for para in article.paragraphs:
        if para.section != "Source":
            continue
        text = article.text[para.start : para.end]
        who, relays = source_line(text, outlets)
        if not relays:
            continue
        name = None
        if who:
            span = doc.char_span(para.start, para.start + len(who), alignment_mode="expand")
            ents = ents_between(doc, span.start_char, span.end_char) if span is not None else []
            name = resolver.entity(ents[0]).name if ents else who
        out.append((name, relays))
    return out


def _add_article_relays(st: Statement, source_relays: list[tuple[str | None, list[Relay]]],
                        dateline: Relay | None) -> None:
    for who, relays in source_relays:
        if who is None or who == st.speaker.name or (st.speaker.name and who.split()[-1] == st.speaker.name.split()[-1]):
            for relay in relays:
                if relay.outlet not in {r.outlet for r in st.relays} and relay.outlet != st.speaker.name:
                    st.relays.append(relay)
    if dateline is not None and dateline.outlet not in {r.outlet for r in st.relays} and dateline.outlet != st.speaker.name:
        st.relays.append(dateline)
