"""Evaluation on PolNeAR (Newell, Margolin & Ruths, LREC 2018): cue, source and content span P/R/F1.

Layout read: ``<path>/<split>/text/<name>.txt`` (the raw article) and ``<path>/<split>/attributions/
<name>_<annotator>.ann`` (brat standoff over character offsets of that text). Texts are processed in sorted
name order; ``limit`` takes the first N. A text with no ``.ann`` file is skipped with a warning.

* **Articles.** ``article_from_raw`` keeps the raw text unchanged (so brat offsets and ours agree): the first
  non-empty line is the headline; every other non-empty line is a body paragraph, except that a line starting
  with a lowercase letter directly below another line (no blank line between) continues that paragraph — a
  hard-wrapped sentence. Paragraph bounds exclude surrounding whitespace.
* **Gold.** Each ``E`` line is one relation with its ``Cue``, ``Source`` and ``Content`` spans (numbered roles
  such as ``Content2`` are further spans of the same role; ``Attribution``, ``Discuss`` and ``Discard`` spans are
  ignored). A relation without a Source still counts for cue and content. Each ``T`` span (possibly
  discontinuous) is one gold span.
* **Predictions.** Per statement: cue = ``cue_span``, source = ``speaker_span`` (None when the speaker was carried
  over from an earlier sentence: then no predicted source span), content = ``content_span``.
* **Span metrics**: exact and overlap P/R/F1 as defined in ``onrecord.evaluate.spans``.
* **Speaker accuracy.** Over gold relations that have a Source and whose content is overlapped by some statement's
  content span (a correctly found quote), the share where the speaker of the statement with the largest content
  overlap (first in text order on ties) matches the gold source: its ``speaker_span`` overlaps a gold Source
  span, or — unless the gold source is only pronouns ("he", "they", "his") — the last word of its canonical
  name (ignoring Jr./Sr./II–IV) occurs as a whole word in the gold source text, case-insensitive (credits
  coreference: our "he" resolved to "Hillary Clinton" against the gold source "Clinton"), or the gold source is
  a relative pronoun ("who", "which", "that") and our speaker span is the noun phrase it hangs on, with only
  commas or spaces between ("Gov. Chris Christie, who said …": PolNeAR marks "who"; its antecedent is the
  same speaker). 0 when none qualify.
* **Workers.** ``workers=N`` (N > 1) scores the documents in N processes (each loads the model once); the counts
  are summed in document order, so the figures are the same as with one process.
* **Several annotators.** An article annotated by k annotators is scored against each ``.ann`` file separately,
  and each (article, annotator) pass adds its counts with weight 1/k: every article weighs the same, whatever
  its number of annotators. Counts are then micro-averaged (summed) over the split.
"""

from __future__ import annotations

import logging
import multiprocessing
import re
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import OnrecordError
from ..records import Article, Paragraph, Statement
from .spans import Span, SpanCounts, count_spans, normalise, overlaps

log = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parents[3].parent / "shared" / "eval" / "quotes" / "polnear"
ROLES = ("cue", "source", "content")
PRONOUNS = frozenset(
    "i me my mine myself we us our ours ourselves you your yours he him his himself she her hers herself "
    "it its itself they them their theirs themselves who whom whose this that these those one".split()
)
RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t|$)")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")
_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"[\w'’.-]+")


@dataclass(slots=True)
class Relation:
    """One gold attribution relation (an ``E`` line)."""

    id: str
    cue: list[Span] = field(default_factory=list)
    source: list[Span] = field(default_factory=list)
    content: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    name: str
    text_path: Path
    ann_paths: list[Path]


# -- articles -------------------------------------------------------------------------------------------------


def article_from_raw(text: str, source: str | None = None) -> Article:
    """An Article whose ``text`` is ``text`` unchanged, with headline and body paragraphs found by scanning it."""
    paragraphs: list[Paragraph] = []
    for m in _LINE.finditer(text):
        start, end = _strip(text, m.start(), m.end())
        if start == end:
            continue
        if not paragraphs:
            paragraphs.append(Paragraph(start, end, section="headline", kind="headline"))
        elif _continues(text, paragraphs[-1], start):
            paragraphs[-1].end = end
        else:
            paragraphs.append(Paragraph(start, end, section="body", kind="body"))
    title = text[paragraphs[0].start : paragraphs[0].end] if paragraphs else ""
    return Article(title=title, text=text, paragraphs=paragraphs, source=source)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _continues(text: str, previous: Paragraph, start: int) -> bool:
    """A lowercase line right below a body line (no blank line between) is a hard-wrapped continuation."""
    return previous.kind == "body" and text[start].islower() and text.count("\n", previous.end, start) == 1


# -- gold -----------------------------------------------------------------------------------------------------


def parse_ann(ann: str) -> list[Relation]:
    """The relations of one brat ``.ann`` file; lines that are neither ``T`` nor ``E`` lines are ignored."""
    spans: dict[str, tuple[str, Span]] = {}
    for line in ann.splitlines():
        m = _T_LINE.match(line)
        if m:
            pieces = [tuple(int(n) for n in p.split()) for p in m.group(3).split(";")]
            spans[m.group(1)] = (m.group(2), Span.of(*[(p[0], p[1]) for p in pieces]))
    relations = []
    for line in ann.splitlines():
        m = _E_LINE.match(line)
        if m:
            relation = _relation(m.group(1), m.group(2).split(), spans)
            if relation.cue or relation.source or relation.content:
                relations.append(relation)
    return relations


def _relation(rid: str, args: list[str], spans: dict[str, tuple[str, Span]]) -> Relation:
    relation = Relation(rid)
    for arg in args:
        role, _, ref = arg.partition(":")
        role = role.rstrip("0123456789").lower()
        if role in ROLES and ref in spans:
            getattr(relation, role).append(spans[ref][1])
    return relation


def gold_spans(relations: Sequence[Relation]) -> dict[str, list[Span]]:
    return {role: [s for r in relations for s in getattr(r, role)] for role in ROLES}


# -- predictions and speakers ---------------------------------------------------------------------------------


def predicted_spans(statements: Sequence[Statement]) -> dict[str, list[Span]]:
    attrs = {"cue": "cue_span", "source": "speaker_span", "content": "content_span"}
    return {
        role: [Span.of(s) for st in statements if (s := getattr(st, attr)) is not None]
        for role, attr in attrs.items()
    }


def speaker_counts(text: str, relations: Sequence[Relation], statements: Sequence[Statement]) -> tuple[int, int]:
    """(matched speakers, gold relations with a Source whose content some statement overlaps)."""
    hits = found = 0
    for relation in relations:
        if not relation.source or not relation.content:
            continue
        best = _best_statement(text, relation, statements)
        if best is None:
            continue
        found += 1
        hits += speaker_matches(text, best, relation.source)
    return hits, found


def _best_statement(text: str, relation: Relation, statements: Sequence[Statement]) -> Statement | None:
    gold = [normalise(text, s) for s in relation.content]
    best, best_overlap = None, 0
    for st in statements:
        if st.content_span is None:
            continue
        pred = normalise(text, Span.of(st.content_span))
        shared = sum(max(0, min(e1, e2) - max(s1, s2)) for g in gold for s1, e1 in g.pieces for s2, e2 in pred.pieces)
        if shared > best_overlap:
            best, best_overlap = st, shared
    return best


def speaker_matches(text: str, statement: Statement, sources: Sequence[Span]) -> bool:
    """The speaker-match rule of the module docstring."""
    gold = [normalise(text, s) for s in sources]
    if statement.speaker_span is not None:
        ours = normalise(text, Span.of(statement.speaker_span))
        if any(overlaps(ours, g) for g in gold):
            return True
    source_text = " ".join(text[a:b] for s in gold for a, b in s.pieces)
    if statement.speaker_span is not None and _antecedent_of(text, statement.speaker_span, gold):
        return True
    last = _last_name_word(statement.speaker.name)
    if last is None or _is_pronoun(source_text):
        return False
    return re.search(rf"(?<!\w){re.escape(last)}(?!\w)", source_text, re.IGNORECASE) is not None


def _antecedent_of(text: str, speaker_span: tuple[int, int], gold: Sequence[Span]) -> bool:
    """The gold source is a relative pronoun right after our speaker's noun phrase ("Christie, who")."""
    for g in gold:
        if text[g.start : g.end].lower() in RELATIVE_PRONOUNS and speaker_span[1] <= g.start and \
                not text[speaker_span[1] : g.start].strip(" ,\n"):
            return True
    return False


def _last_name_word(name: str | None) -> str | None:
    words = [w.strip(".,'’-") for w in _WORD.findall(name or "")]
    words = [w for w in words if w and w.lower() not in NAME_SUFFIXES]
    return words[-1] if words and len(words[-1]) > 1 else None


def _is_pronoun(source_text: str) -> bool:
    words = [w.strip(".,'’-").lower() for w in _WORD.findall(source_text)]
    return bool(words) and all(w in PRONOUNS for w in words)


# -- corpus ---------------------------------------------------------------------------------------------------


def discover(path: str | Path | None = None, split: str = "dev") -> list[Document]:
    """The split's texts in sorted name order, each with its annotators' ``.ann`` files."""
    root = Path(path) if path is not None else DEFAULT_PATH
    text_dir, ann_dir = root / split / "text", root / split / "attributions"
    for folder in (text_dir, ann_dir):
        if not folder.is_dir():
            raise OnrecordError(f"PolNeAR folder not found: {folder} (expected <path>/{split}/text and "
                                f"<path>/{split}/attributions; pass --path to a copy of PolNeAR's data folder)")
    texts = sorted(text_dir.glob("*.txt"))
    if not texts:
        raise OnrecordError(f"no PolNeAR texts (*.txt) in {text_dir}")
    anns: dict[str, list[Path]] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        anns.setdefault(ann.stem.rsplit("_", 1)[0], []).append(ann)
    return [Document(t.stem, t, anns.get(t.stem, [])) for t in texts]


def _readable(docs: Sequence[Document]) -> Iterator[tuple[Document, str]]:
    for doc in docs:
        if not doc.ann_paths:
            log.warning("PolNeAR text %s has no .ann file: skipped", doc.text_path)
            continue
        try:
            yield doc, doc.text_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("PolNeAR text %s could not be read (%s): skipped", doc.text_path, exc)


def evaluate(path: str | Path | None = None, split: str = "dev", limit: int | None = None,
             nlp: Any = None, workers: int = 1) -> dict[str, Any]:
    """Span P/R/F1 (exact and overlap) for cue, source and content, speaker accuracy, and documents scored."""
    if workers < 1:
        raise OnrecordError(f"workers must be at least 1, got {workers}")
    docs = discover(path, split)[:limit] if limit is not None else discover(path, split)
    totals = {role: SpanCounts() for role in ROLES}
    speakers = [0.0, 0.0]
    if workers == 1 or len(docs) < 2:
        scored = _score_documents(docs, nlp)
        parts = [scored]
    else:
        chunks = [docs[i : i + 8] for i in range(0, len(docs), 8)]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            parts = list(pool.map(_score_documents, chunks))
    for part_totals, part_speakers, _ in parts:
        for role in ROLES:
            totals[role].add(part_totals[role])
        speakers[0] += part_speakers[0]
        speakers[1] += part_speakers[1]
    result: dict[str, Any] = {role: totals[role].scores() for role in ROLES}
    result["speaker_accuracy"] = speakers[0] / speakers[1] if speakers[1] else 0.0
    result["documents"] = sum(n for _, _, n in parts)
    return result


def _score_documents(docs: Sequence[Document], nlp: Any = None) -> tuple[dict[str, SpanCounts], list[float], int]:
    """Counts of a run of documents (one worker's share): span counts per role, speaker counts, documents read."""
    from ..extract import extract_many, load_pipeline

    readable = list(_readable(docs))
    articles = (article_from_raw(text, source=doc.name) for doc, text in readable)
    totals = {role: SpanCounts() for role in ROLES}
    speakers = [0.0, 0.0]
    for (doc, _), (article, statements) in zip(readable, extract_many(articles, nlp or load_pipeline()),
                                               strict=True):
        _score(doc, article.text, statements, totals, speakers)
    return totals, speakers, len(readable)


def _score(doc: Document, text: str, statements: list[Statement], totals: dict[str, SpanCounts],
           speakers: list[float]) -> None:
    """Add one article's counts: each annotator's file with weight 1/k."""
    predicted = predicted_spans(statements)
    weight = 1.0 / len(doc.ann_paths)
    for ann_path in doc.ann_paths:
        relations = parse_ann(ann_path.read_text(encoding="utf-8"))
        gold = gold_spans(relations)
        for role in ROLES:
            totals[role].add(count_spans(text, predicted[role], gold[role]), weight)
        hits, found = speaker_counts(text, relations, statements)
        speakers[0] += weight * hits
        speakers[1] += weight * found


__all__ = [
    "DEFAULT_PATH",
    "Relation",
    "article_from_raw",
    "discover",
    "evaluate",
    "gold_spans",
    "parse_ann",
    "predicted_spans",
    "speaker_counts",
    "speaker_matches",
]
