"""SemEval-2015 Task 4 (TimeLine, Track A): entity timelines over Wikinews, scored as (date, event) pairs.

Data: ``../shared/eval/timeline/semeval2015_task4_timeline`` (Minard et al. 2015, CC BY 3.0; read in place). The
test set is three corpora of 30 Wikinews articles (``SemEval_Task4_data/corpus_{1,2,3}``) with 13 + 12 + 14 target
entities and a gold timeline each (``TimeLines_Gold_Standard/<entity>.txt``: rows ``ordinal <tab> date <tab>
docid-sentence-token [coreferent mentions …]``, dates ``YYYY-MM-DD`` with ``XX`` for unknown parts,
``XXXX-XX-XX`` undated). ``split="trial"`` reads the trial set (30 Apple articles, 6 timelines); any other split
(the CLI's default "dev" included) reads the test set: the task has no development split, and nothing here is
fitted to either.

Our system (Track A: raw text, events and dates found by us), per target entity, on the Track A TimeML text
(sentences as given, the DCT as publication date):

* a sentence names the entity when it contains its name (case-insensitive, on tokens), or — for a two- or
  three-word name the spaCy NER tags as a person — its last word;
* the events of the entity are the verbs (``VERB``) that govern a mention: the nearest verb ancestor of the
  mention's head, and the verbs conjoined with it (the entity as a shared subject);
* an event's date is the first time expression of its sentence (``extract.timex.find_times``, anchored on the DCT,
  direction "any"), written as the task writes dates (day ``YYYY-MM-DD``, month ``YYYY-MM-XX``, coarser
  ``YYYY-XX-XX``); an event with no date of its own is ``XXXX-XX-XX`` (onrecord's rule: never the publication
  date). ``with_dct`` reports a second run in which such events take the DCT, as the task's annotators often
  anchored them — shown as that, a variant, not our timeline.

Scores: a predicted (date, mention) pair is correct when a gold row of that entity lists the mention (doc,
sentence, token string) and has the same date; each gold row is matched once. P = correct / predicted pairs,
R = matched rows / gold rows, per entity and micro-averaged; ``events`` is the same ignoring dates. The task's
official scorer (temporal awareness over the relations a timeline implies, UzZaman et al. 2011) is not in the data
folder and is not reproduced here, so these are not the official figures; the official results of the
participating systems are not in the data folder either (unconfirmed here).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import OnrecordError
from ..extract.timex import find_times
from ..records import TimeRef

__all__ = ["DEFAULT_PATH", "GoldRow", "TimelineDoc", "evaluate", "load_corpus", "parse", "parse_gold", "predict", "score",
           "task_date"]

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parents[3].parent / "shared/eval/timeline/semeval2015_task4_timeline"
UNDATED = "XXXX-XX-XX"
_S = re.compile(r'<s id="(\d+)">(.*?)</s>', re.S)


@dataclass(frozen=True, slots=True)
class TimelineDoc:
    """A Track A document: its id, creation date and sentences (tokens joined by spaces), keyed by sentence id."""

    id: str
    dct: date | None
    sentences: dict[int, str]


@dataclass(frozen=True, slots=True)
class GoldRow:
    """One gold timeline row: its date and its event mentions ``(doc id, sentence id, token)``."""

    date: str
    mentions: frozenset[tuple[str, int, str]]


def _unescape(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def parse_tml(path: Path) -> TimelineDoc:
    """A Track A TimeML file: ``DOCID``, the DCT's value and the ``<s id>`` sentences."""
    raw = path.read_text(encoding="utf-8")
    doc_id = re.search(r"<DOCID>\s*([^<\s]+)\s*</DOCID>", raw)
    dct = re.search(r'functionInDocument="CREATION_TIME"[^>]*value="(\d{4}-\d{2}-\d{2})"', raw)
    if doc_id is None:
        raise OnrecordError(f"{path}: no DOCID; not a SemEval-2015 Task 4 TimeML file")
    sentences = {int(i): _unescape(t) for i, t in _S.findall(raw)}
    return TimelineDoc(doc_id.group(1), date.fromisoformat(dct.group(1)) if dct else None, sentences)


def parse_gold(path: Path) -> tuple[str, list[GoldRow]]:
    """A gold timeline file: the entity name (line 1) and its rows."""
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = []
    for line in lines[1:]:
        cells = line.strip().split("\t")
        if len(cells) >= 3:
            mentions = frozenset(_mention(c) for c in cells[2:] if c.count("-") >= 2)
            rows.append(GoldRow(cells[1], mentions))
    return lines[0].strip(), rows


def _mention(cell: str) -> tuple[str, int, str]:
    doc, sentence, token = cell.split("-", 2)
    return doc, int(sentence), token


Gold = dict[str, tuple[str, list[GoldRow]]]


def load_corpus(path: str | Path | None = None, split: str = "test") -> list[tuple[list[TimelineDoc], Gold]]:
    """The corpora of ``split`` ("trial", else the test set): each its documents and gold timelines, keyed by
    the gold file's name (two files may carry the same entity name on line 1), as (entity name, rows)."""
    root = Path(path) if path is not None else DEFAULT_PATH
    if split == "trial":
        pairs = [(root / "Corpus-trial-data_task4_TimeML", root / "TimeLines_trial_data_task4_v1.2")]
    else:
        pairs = [(c / "corpus_trackA_TimeML", c / "TimeLines_Gold_Standard")
                 for c in sorted((root / "SemEval_Task4_data").glob("corpus_*"))]
    corpora = []
    for docs_dir, gold_dir in pairs:
        docs = [parse_tml(p) for p in sorted(docs_dir.glob("*.tml"))]
        gold = {p.stem: parse_gold(p) for p in sorted(gold_dir.glob("*.txt"))}
        if docs and gold:
            corpora.append((docs, gold))
    if not corpora:
        raise OnrecordError(f"no SemEval-2015 Task 4 documents and timelines under {root} (split {split!r})")
    return corpora


def task_date(ref: TimeRef | None) -> str:
    """A TimeRef as the task writes dates: day YYYY-MM-DD, month YYYY-MM-XX, anything coarser YYYY-XX-XX."""
    if ref is None:
        return UNDATED
    if ref.granularity == "day" and ref.start == ref.end:
        return ref.start.isoformat()
    if ref.granularity == "month" and (ref.start.year, ref.start.month) == (ref.end.year, ref.end.month):
        return f"{ref.start.year:04d}-{ref.start.month:02d}-XX"
    if ref.start.year == ref.end.year:
        return f"{ref.start.year:04d}-XX-XX"
    return UNDATED


def _mention_heads(sent: Any, name: str, person_surname: bool) -> list[Any]:
    """Head tokens of the entity's mentions in a parsed sentence."""
    low = [t.lower_ for t in sent]
    heads = []
    words = name.lower().split()
    forms = [words]
    if person_surname and 2 <= len(words) <= 3:
        forms.append(words[-1:])
    for form in forms:
        for i in range(len(low) - len(form) + 1):
            if low[i:i + len(form)] == form:
                span = sent[i:i + len(form)]
                heads.append(span.root)
    return heads


def _events(head: Any) -> list[Any]:
    """The nearest verb governing ``head``, and the verbs conjoined with it."""
    token = head
    while token.head.i != token.i:
        token = token.head
        if token.pos_ == "VERB":
            return [token, *[c for c in token.children if c.dep_ == "conj" and c.pos_ == "VERB"]]
    return []


def _is_person(nlp: Any, name: str) -> bool:
    return any(e.label_ == "PERSON" for e in nlp(f"{name} said so.").ents)


Parsed = list[tuple[TimelineDoc, int, Any, list[Any]]]


def predict(parsed: Parsed, entities: Iterable[str], nlp: Any,
            with_dct: bool = False) -> dict[str, set[tuple[str, tuple[str, int, str]]]]:
    """Predicted (date, mention) pairs for each target entity, over the parsed sentences (:func:`parse`)."""
    found: dict[str, set[tuple[str, tuple[str, int, str]]]] = {}
    for name in entities:
        person = _is_person(nlp, name)
        pairs: set[tuple[str, tuple[str, int, str]]] = set()
        for doc, sid, sent, times in parsed:
            heads = _mention_heads(sent, name, person)
            if not heads:
                continue
            when = task_date(times[0][2]) if times else UNDATED
            if when == UNDATED and with_dct and doc.dct is not None:
                when = doc.dct.isoformat()
            for head in heads:
                pairs.update((when, (doc.id, sid, ev.text)) for ev in _events(head))
        found[name] = pairs
    return found


def parse(docs: Sequence[TimelineDoc], nlp: Any) -> Parsed:
    """Every sentence parsed (``nlp.pipe``), with its time expressions anchored on the document's DCT."""
    items = [(doc, sid, text) for doc in docs for sid, text in sorted(doc.sentences.items())]
    parsed = []
    for (doc, sid, text), sent in zip(items, nlp.pipe(t for _, _, t in items), strict=True):
        parsed.append((doc, sid, sent, find_times(text, doc.dct, "any")))
    return parsed


def score(predicted: set[tuple[str, tuple[str, int, str]]], gold: Sequence[GoldRow],
          dates: bool = True) -> dict[str, Any]:
    """P/R/F1 of predicted (date, mention) pairs against gold rows (``dates=False``: mentions only)."""
    by_mention: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    for i, row in enumerate(gold):
        for m in row.mentions:
            by_mention[m].append(i)
    preds = {(d if dates else "", m) for d, m in predicted}
    matched: set[int] = set()
    correct = 0
    for when, mention in sorted(preds):
        rows = [i for i in by_mention.get(mention, []) if i not in matched and (not dates or gold[i].date == when)]
        if rows:
            matched.add(rows[0])
            correct += 1
    return _prf(correct, len(preds), len(matched), len(gold))


def _prf(correct: int, predicted: int, matched: int, gold: int) -> dict[str, Any]:
    p = correct / predicted if predicted else 0.0
    r = matched / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "predicted": predicted, "correct": correct,
            "gold": gold}


def _micro(per: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return _prf(sum(v["correct"] for v in per.values()), sum(v["predicted"] for v in per.values()),
                sum(v["correct"] for v in per.values()), sum(v["gold"] for v in per.values()))


def evaluate(path: str | Path | None = None, *, split: str = "test", limit: int | None = None,
             nlp: Any = None) -> dict[str, Any]:
    """Score our entity timelines on the SemEval-2015 Task 4 Track A data (``limit``: first N target entities)."""
    from ..extract.pipeline import load_pipeline

    nlp = nlp or load_pipeline()
    per_entity: dict[str, dict[str, Any]] = {}
    events: dict[str, dict[str, Any]] = {}
    dct: dict[str, dict[str, Any]] = {}
    documents = 0
    for docs, gold in load_corpus(path, split):
        keys = sorted(gold)[: None if limit is None else max(0, limit - len(per_entity))]
        if not keys:
            continue
        documents += len(docs)
        parsed = parse(docs, nlp)
        names = sorted({gold[k][0] for k in keys})
        ours, fallback = predict(parsed, names, nlp), predict(parsed, names, nlp, with_dct=True)
        for key in keys:
            name, rows = gold[key]
            per_entity[key] = {"entity": name, **score(ours[name], rows)}
            events[key] = score(ours[name], rows, dates=False)
            dct[key] = score(fallback[name], rows)
    return {"micro": _micro(per_entity), "events": _micro(events), "with_dct": _micro(dct),
            "per_entity": per_entity, "entities": len(per_entity), "documents": documents,
            "split": "trial" if split == "trial" else "test",
            "note": "(date, event) pair P/R/F1; not the official temporal-awareness scorer"}
