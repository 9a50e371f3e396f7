"""Error analysis of quote extraction on PolNeAR: which gold attributions are missed, which predictions are wrong,
and where found spans differ at their edges — counted by error type, with one short example each.

    python scripts/error_analysis.py --split train --limit 150          # tune on train
    python scripts/error_analysis.py --split dev --examples 1 --json    # the figures in docs/quality.md

Counts are weighted like the adapter (an article annotated by k annotators adds 1/k per annotator's file), so they
add up to the adapter's gold and predicted span counts. Each miss, false positive or boundary difference gets the
first error type whose test holds, in the order the types are listed below; the types are meant for reading, not
for scoring. ``--cache DIR`` keeps parsed articles (spaCy DocBin) between runs so that tuning the rules only
re-runs them, not the parser (delete the folder after changing the model or the gazetteer).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Token

from onrecord.evaluate.polnear import (
    ROLES,
    Document,
    Relation,
    _score,
    article_from_raw,
    discover,
    parse_ann,
    speaker_matches,
)
from onrecord.evaluate.spans import Span, SpanCounts, exact_match, normalise, overlaps
from onrecord.extract import load_pipeline
from onrecord.extract.cues import VERB_CUES, cue_lemma
from onrecord.extract.pipeline import parse, statements_from_doc
from onrecord.records import Statement

QUOTE_MARKS = "“”\"«»‘’"
NEGATIONS = {"not", "n't", "never", "no", "nobody", "nothing", "none", "refuse", "refused", "declined"}


@dataclass(slots=True)
class Case:
    """One gold relation or one prediction, with what the classifiers need."""

    text: str
    doc: Doc
    relation: Relation | None = None
    statement: Statement | None = None
    statements: list[Statement] = field(default_factory=list)


def excerpt(text: str, span: Span, words: int = 12) -> str:
    """At most ``words`` words of a span's text, on one line."""
    pieces = " … ".join(text[a:b] for a, b in span.pieces)
    tokens = pieces.split()
    return " ".join(tokens[:words]) + (" …" if len(tokens) > words else "")


def _tokens(doc: Doc, span: Span) -> list[Token]:
    out: list[Token] = []
    for a, b in span.pieces:
        part = doc.char_span(a, b, alignment_mode="expand")
        if part is not None:
            out.extend(part)
    return out


def _cue_head(case: Case) -> Token | None:
    assert case.relation is not None
    if not case.relation.cue:
        return None
    toks = [t for t in _tokens(case.doc, case.relation.cue[0]) if not t.is_punct]
    verbs = [t for t in toks if t.pos_ in {"VERB", "AUX"} and t.lemma_ not in {"be", "have", "do", "will"}]
    nouns = [t for t in toks if t.pos_ in {"NOUN", "PROPN"}]
    return (verbs or nouns or toks or [None])[0]


def _cue_text(case: Case) -> str:
    assert case.relation is not None
    return " ".join(case.text[a:b] for s in case.relation.cue for a, b in s.pieces).lower()


def _content_text(case: Case) -> str:
    assert case.relation is not None
    return " ".join(case.text[a:b] for s in case.relation.content for a, b in s.pieces)


def _is_direct(case: Case) -> bool:
    content = _content_text(case).strip()
    return bool(content) and (content[0] in QUOTE_MARKS or content[-1] in QUOTE_MARKS)


def _cue_sentence_differs(case: Case) -> bool:
    assert case.relation is not None
    cue = _tokens(case.doc, case.relation.cue[0]) if case.relation.cue else []
    content = [t for s in case.relation.content for t in _tokens(case.doc, s)]
    if not cue or not content:
        return False
    return {t.sent.start for t in cue}.isdisjoint({t.sent.start for t in content})


def _nested(case: Case, others: list[Relation]) -> bool:
    """The gold content holds another relation's cue, or lies inside another relation's content."""
    assert case.relation is not None
    mine = case.relation
    for other in others:
        if other is mine:
            continue
        if any(overlaps(c, o) for c in mine.content for o in other.cue):
            return True
        if any(o.start <= c.start and c.end <= o.end for c in mine.content for o in other.content):
            return True
    return False


def _lemma(case: Case) -> str:
    head = _cue_head(case)
    return cue_lemma(head.lemma_.lower(), head.lower_) if head is not None else ""


MISS_TYPES: list[tuple[str, Callable[[Case, list[Relation]], bool]]] = [
    ("no cue in gold", lambda c, o: not c.relation or not c.relation.cue),
    ("'according to' cue", lambda c, o: "according" in _cue_text(c)),
    ("negated or hedged cue (didn't say, declined to)", lambda c, o: bool(NEGATIONS & set(_cue_text(c).split()))),
    ("cue in another sentence than the content", lambda c, o: _cue_sentence_differs(c)),
    ("noun cue (statement, claim, report, view)", lambda c, o: (h := _cue_head(c)) is not None
     and h.pos_ in {"NOUN", "PROPN"}),
    ("nested inside or holding another attribution", _nested),
    ("direct quote, verb cue in lexicon", lambda c, o: _is_direct(c) and _lemma(c) in VERB_CUES),
    ("direct quote, cue not in lexicon", lambda c, o: _is_direct(c)),
    ("indirect, verb cue in lexicon", lambda c, o: _lemma(c) in VERB_CUES),
    ("indirect, cue not in lexicon (belief, feeling, action)", lambda c, o: True),
]


FP_TYPES: list[tuple[str, Callable[[Case], bool]]] = [
    ("direct quote, no gold relation", lambda c: c.statement is not None and c.statement.mode == "direct"),
    ("according to, no gold relation", lambda c: c.statement is not None and c.statement.cue == "according to"),
    ("indirect or mixed, no gold relation", lambda c: True),
]


def _boundary_type(text: str, pred: Span, gold: Span) -> str:
    """How an overlapping, non-exact content span differs from the gold one."""
    p, g = normalise(text, pred), normalise(text, gold)
    gold_text = text[g.start : g.end]
    if g.start < p.start and re.match(r"(?i)that\b", gold_text) and text[g.start + 4 : p.start].strip(" ,") == "":
        return "gold content starts with 'that' (PARC)" if p.end == g.end else "leading 'that' and the end differ"
    if g.is_discontinuous:
        return "gold content is discontinuous (cue inside)"
    if p.start == g.start:
        return "ours ends earlier" if p.end < g.end else "ours ends later"
    if p.end == g.end:
        return "ours starts later" if p.start > g.start else "ours starts earlier"
    return "both ends differ"


def _cue_boundary(text: str, pred: Span, gold: Span) -> str:
    p, g = normalise(text, pred), normalise(text, gold)
    if g.start < p.start and p.end <= g.end:
        before = text[g.start : p.start].strip().lower()
        return f"gold cue adds words before ours ({before.split()[-1] if before else '?'})"
    if g.end > p.end:
        return "gold cue adds words after ours"
    return "other cue difference"


@dataclass(slots=True)
class Tally:
    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, weight: float, example: str, keep: int) -> None:
        self.counts[kind] += weight
        if len(self.examples.setdefault(kind, [])) < keep:
            self.examples[kind].append(example)


def documents(split: str, limit: int | None, nlp: Language, cache: Path | None) -> Iterator[tuple[str, str, Doc,
                                                                                               list[Path]]]:
    docs = discover(None, split)
    for d in docs[:limit] if limit else docs:
        if not d.ann_paths:
            continue
        text = d.text_path.read_text(encoding="utf-8")
        yield d.name, text, _parsed(d.name, text, nlp, cache), d.ann_paths


def _parsed(name: str, text: str, nlp: Language, cache: Path | None) -> Doc:
    article = article_from_raw(text, source=name)
    if cache is None:
        return parse(article, nlp)
    path = cache / f"{name}.spacy"
    if path.exists():
        return next(DocBin().from_disk(path).get_docs(nlp.vocab))
    doc = parse(article, nlp)
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(docs=[doc], store_user_data=True).to_disk(path)
    return doc


def analyse(split: str, limit: int | None, keep: int, cache: Path | None) -> dict[str, object]:
    nlp = load_pipeline()
    misses, fps, bounds, cues = Tally(), Tally(), Tally(), Tally()
    totals = Counter[str]()
    spans = {role: SpanCounts() for role in ROLES}
    speakers = [0.0, 0.0]
    for name, text, doc, ann_paths in documents(split, limit, nlp, cache):
        article = article_from_raw(text, source=name)
        statements = statements_from_doc(article, doc)
        _score(Document(name, Path(name), ann_paths), text, statements, spans, speakers)
        preds = [(st, Span.of(st.content_span)) for st in statements if st.content_span]
        weight = 1.0 / len(ann_paths)
        all_gold: list[Relation] = []
        for ann in ann_paths:
            relations = parse_ann(ann.read_text(encoding="utf-8"))
            all_gold.extend(relations)
            _relations(text, doc, relations, preds, weight, keep, misses, bounds, cues, totals)
        for st, span in preds:
            totals["predicted"] += 1
            if not any(overlaps(normalise(text, span), normalise(text, g)) for r in all_gold for g in r.content):
                case = Case(text, doc, statement=st, statements=statements)
                kind = next(k for k, test in FP_TYPES if test(case))
                fps.add(f"{kind} (cue {st.cue})" if st.cue in {"say", "according to"} else kind, 1.0,
                        f"{name}: [{st.cue}] {excerpt(text, span)}", keep)
    figures = {role: {m: {k: round(v, 3) for k, v in s.items()} for m, s in spans[role].scores().items()}
               for role in ROLES}
    figures["speaker_accuracy"] = round(speakers[0] / speakers[1], 3) if speakers[1] else 0.0  # type: ignore[assignment]
    return {"split": split, "documents": limit, "figures": figures, "totals": dict(totals), "missed": _report(misses),
            "false_positives": _report(fps), "content_boundaries": _report(bounds), "cue_boundaries": _report(cues)}


def _relations(text: str, doc: Doc, relations: list[Relation], preds: list[tuple[Statement, Span]], weight: float,
               keep: int, misses: Tally, bounds: Tally, cues: Tally, totals: Counter[str]) -> None:
    for rel in relations:
        for gold in rel.content:
            totals["gold content"] += weight
            hit = [(st, p) for st, p in preds if overlaps(normalise(text, p), normalise(text, gold))]
            if not hit:
                case = Case(text, doc, relation=rel)
                kind = next(k for k, test in MISS_TYPES if test(case, relations))
                cue = excerpt(text, rel.cue[0], 4) if rel.cue else "-"
                misses.add(kind, weight, f"[{cue}] {excerpt(text, gold)}", keep)
                continue
            if any(exact_match(normalise(text, p), normalise(text, gold)) for _, p in hit):
                totals["content exact"] += weight
                continue
            st, p = hit[0]
            bounds.add(_boundary_type(text, p, gold), weight, f"ours: {excerpt(text, p, 6)} | gold: "
                       f"{excerpt(text, gold, 6)}", keep)
            if st.cue_span and rel.cue and not exact_match(normalise(text, Span.of(st.cue_span)),
                                                           normalise(text, rel.cue[0])):
                cues.add(_cue_boundary(text, Span.of(st.cue_span), rel.cue[0]), weight,
                         f"ours: {text[slice(*st.cue_span)]} | gold: {excerpt(text, rel.cue[0], 6)}", keep)
            if rel.source and not speaker_matches(text, st, rel.source):
                totals["wrong speaker"] += weight


def _report(tally: Tally) -> list[dict[str, object]]:
    return [{"type": k, "count": round(v, 1), "examples": tally.examples.get(k, [])}
            for k, v in tally.counts.most_common()]


def top_errors(report: dict[str, object], n: int = 10) -> str:
    """A Markdown table of the ``n`` most frequent error types (misses, false positives and content boundaries)
    with one example each, cut to 12 words (never article text at length)."""
    rows = []
    for section, label in (("missed", "missed"), ("false_positives", "false positive"),
                           ("content_boundaries", "content boundary")):
        for row in report[section]:  # type: ignore[attr-defined]
            example = row["examples"][0].split(": ", 1)[-1] if row["examples"] else ""  # no document name
            example = " ".join(example.split()[:12])
            rows.append((row["count"], label, row["type"], example))
    rows.sort(key=lambda r: -r[0])
    lines = ["| # | error type | class | count | example (≤ 12 words) |", "|---:|---|---|---:|---|"]
    lines += [f"| {i} | {t} | {c} | {n:.0f} | {e.replace('|', '/')} |" for i, (n, c, t, e) in enumerate(rows[:n], 1)]
    totals = report["totals"]  # type: ignore[index]
    return "\n".join(lines) + (f"\n\nGenerated by `python scripts/error_analysis.py --split {report['split']} --doc "
                               f"docs/quality.md`: {totals['gold content']:.0f} gold content spans, "
                               f"{totals['predicted']:.0f} predicted.")


def write_doc(path: Path, report: dict[str, object]) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = "<!-- quality:polnear-errors:start -->", "<!-- quality:polnear-errors:end -->"
    a, b = text.find(start), text.find(end)
    if a < 0 or b < a:
        raise SystemExit(f"{path}: no {start} … {end} block")
    path.write_text(text[: a + len(start)] + "\n" + top_errors(report) + "\n" + text[b:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="dev", choices=["train", "dev"])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--examples", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--doc", type=Path, default=None,
                    help="rewrite the <!-- quality:polnear-errors --> block of this file (docs/quality.md)")
    args = ap.parse_args(argv)
    report = analyse(args.split, args.limit, max(1, args.examples), args.cache)
    if args.doc is not None:
        write_doc(args.doc, report)
    if args.json:
        json.dump(report, sys.stdout, indent=1, ensure_ascii=False)
        print()
        return 0
    print(f"{args.split}: {report['totals']}")
    for role, figures in report["figures"].items():  # type: ignore[attr-defined]
        print(f"  {role}: {figures}")
    for section in ("missed", "false_positives", "content_boundaries", "cue_boundaries"):
        print(f"\n## {section}")
        for row in report[section]:  # type: ignore[attr-defined]
            print(f"{row['count']:8.1f}  {row['type']}")
            for ex in row["examples"]:
                print(f"          e.g. {ex}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
