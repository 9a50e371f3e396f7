"""Drafted background against human background paragraphs (Pratapa, Small & Dreyer, EMNLP 2023), ROUGE.

The data (``../shared/eval/timeline_summarization/background_summaries``, CC BY-NC 4.0, read in place, never
shipped): 14 news events; for each, three annotators rewrote every dated timeline step as an *Update* and wrote a
*Background* paragraph for it. ``splits/{train,dev,test}.txt`` name the events of each split.

Setup, as the dataset's own loading script builds its examples: for each event, each annotator and each step t
after the first (a non-empty Background), the input is that annotator's Updates of the steps before t (dated), the
guidance is the Update of t, the reference is that annotator's Background of t. One document = one
(event, annotator, step).

Systems, all extractive over the sentences of the earlier Updates and all with the same word budget
(``Params.budget_words``, the median Background length of the train split, 135 words):

- ``onrecord``: :func:`onrecord.resolve.background_rank.select` — the same ranking core as ``onrecord
  background``; query = the Update of t, candidates = earlier sentences dated by their Update, actors = runs of
  capitalised words (a text-only stand-in for the ledger's resolved entities);
- ``lead``: the earliest sentences (the start of the storyline);
- ``recent``: the latest sentences (the steps just before t), shown in time order;
- ``lexrank``: sentence centrality (PageRank over the TF-IDF cosine graph, edges ≥ 0.1) over the earlier
  sentences, without the query.

The dataset paper's extractive baselines, their length budget and figures are not in the files here (the data
card gives none), so they are **unconfirmed**; the three baselines above are computed in the same run instead.

Scores: ROUGE-1/2/L F1 (``rouge-score``, Porter stemming), averaged over documents; ``per_annotator`` averages
the documents of each annotator against their own Background; ``all_references`` scores each output against
every annotator's Background of the same step and averages.
"""

from __future__ import annotations

import csv
import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from nltk.stem import porter
from rouge_score import tokenize as rouge_tokenize
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from ..errors import OnrecordError
from ..resolve.background_rank import Candidate, Params, Query, select, words

__all__ = ["DEFAULT_PATH", "Step", "evaluate", "load_event", "run_systems", "sentences"]

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parents[3].parent / "shared/eval/timeline_summarization/background_summaries"
ANNOTATORS = ("annotator1", "annotator2", "annotator3")
SPLITS = ("train", "dev", "test")
METRICS = ("rouge1", "rouge2", "rougeL")
SYSTEMS = ("onrecord", "lead", "recent", "lexrank")

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“(]?[A-Z0-9])")
_NAME = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:of\s+|de\s+|al-)?[A-Z][\w'’.-]*)*")


@dataclass(frozen=True, slots=True)
class Step:
    """One row of an annotator's timeline."""

    day: date
    update: str
    background: str


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\\n", " ")).strip()


def load_event(folder: Path, annotator: str) -> list[Step]:
    """An annotator's timeline of one event (``Date``, ``Update``, ``Background`` TSV), in file order."""
    path = folder / f"{annotator}.tsv"
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    try:
        return [Step(date.fromisoformat(r["Date"].strip("[] ")), _clean(r["Update"]), _clean(r["Background"] or ""))
                for r in rows]
    except (KeyError, ValueError) as exc:
        raise OnrecordError(f"{path}: not a background timeline (Date, Update, Background): {exc}") from None


def sentences(text: str) -> list[str]:
    """Sentences of an Update, cut after . ! ? before a capital or digit (abbreviations may cut too early)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def actors(text: str) -> frozenset[str]:
    """Runs of capitalised words, minus lone function words ("The", "On"): names, roughly, with no NLP."""
    found = set()
    for match in _NAME.findall(text):
        name = match.strip(".")
        if " " not in name and name.lower() in ENGLISH_STOP_WORDS:
            continue
        found.add(name.lower())
    return frozenset(found)


def _candidates(past: list[Step]) -> list[Candidate]:
    return [Candidate(id=f"{step.day.isoformat()}#{k}", text=s, day=step.day, actors=actors(s),
                      in_story=True, group=step.day.isoformat())
            for step in past for k, s in enumerate(sentences(step.update))]


def _fill(items: list[Candidate], budget: int) -> list[Candidate]:
    """Take ``items`` in the order given while they fit into ``budget`` words (one that does not fit is skipped)."""
    taken, used = [], 0
    for item in items:
        size = words(item.text)
        if used + size <= budget:
            taken.append(item)
            used += size
    return taken


def _lexrank(items: list[Candidate], budget: int) -> list[Candidate]:
    if len(items) < 2:
        return _fill(items, budget)
    try:
        matrix = TfidfVectorizer(stop_words="english").fit_transform([c.text for c in items])
    except ValueError:
        return _fill(items, budget)
    sim = (matrix @ matrix.T).toarray()
    graph = (sim >= 0.1).astype(float)
    graph /= np.maximum(graph.sum(axis=1, keepdims=True), 1.0)
    rank = np.full(len(items), 1.0 / len(items))
    for _ in range(50):
        rank = 0.15 / len(items) + 0.85 * graph.T @ rank
    order = [items[i] for i in np.argsort(-rank, kind="stable")]
    return _fill(order, budget)


def run_systems(past: list[Step], now: Step, params: Params) -> dict[str, str]:
    """Every system's output for step ``now`` given the earlier steps ``past``: sentences in time order."""
    items = _candidates(past)
    budget = params.budget_words
    query = Query(now.update, now.day, actors(now.update))
    chosen = [r.candidate for r in select(query, items, params).chosen]
    picks = {
        "onrecord": chosen,
        "lead": _fill(items, budget),
        "recent": _fill(items[::-1], budget),
        "lexrank": _lexrank(items, budget),
    }
    position = {c.id: i for i, c in enumerate(items)}
    return {name: " ".join(c.text for c in sorted(found, key=lambda c: position[c.id]))
            for name, found in picks.items()}


def _documents(path: Path, split: str) -> Iterator[tuple[str, str, list[Step], int]]:
    """(event, annotator, timeline, index of step t) for every step with a Background, in split order."""
    split_file = path / "splits" / f"{split}.txt"
    if not split_file.exists():
        raise OnrecordError(f"no split {split!r} in {path} (expected {split_file}; splits: {', '.join(SPLITS)})")
    for event in split_file.read_text(encoding="utf-8").split():
        for annotator in ANNOTATORS:
            timeline = load_event(path / "events" / event, annotator)
            for t in range(1, len(timeline)):
                if timeline[t].background:
                    yield event, annotator, timeline, t


# ---- ROUGE ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    fmeasure: float


def _score(correct: int, predicted: int, gold: int) -> Score:
    p, r = correct / max(predicted, 1), correct / max(gold, 1)
    return Score(p, r, 2 * p * r / (p + r) if p + r else 0.0)


class Rouge:
    """ROUGE-1/2/L exactly as ``rouge_score.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)``
    computes them (its tokenizer and Porter stemmer), but fast enough for thousands of documents: stems and
    token lists are cached, and the LCS length is computed bit-parallel (Hyyrö 2004) instead of by a Python
    table. ``tests/test_evaluate_background.py`` checks that the figures equal rouge-score's."""

    def __init__(self) -> None:
        self._stemmer = porter.PorterStemmer()
        self._stems: dict[str, str] = {}
        self._tokens: dict[str, list[str]] = {}

    def tokens(self, text: str) -> list[str]:
        found = self._tokens.get(text)
        if found is None:
            raw = rouge_tokenize.SPACES_RE.split(rouge_tokenize.NON_ALPHANUM_RE.sub(" ", text.lower()))
            found = [self._stem(t) for t in raw if rouge_tokenize.VALID_TOKEN_RE.match(t)]
            if len(self._tokens) > 50_000:
                self._tokens.clear()
            self._tokens[text] = found
        return found

    def _stem(self, token: str) -> str:
        if len(token) <= 3:
            return token
        stem = self._stems.get(token)
        if stem is None:
            stem = self._stems[token] = self._stemmer.stem(token)
        return stem

    def score(self, target: str, prediction: str) -> dict[str, Score]:
        ref, hyp = self.tokens(target), self.tokens(prediction)
        return {"rouge1": _ngram_score(ref, hyp, 1), "rouge2": _ngram_score(ref, hyp, 2),
                "rougeL": _score(lcs_length(ref, hyp), len(hyp), len(ref)) if ref and hyp else Score(0, 0, 0)}


def _ngram_score(ref: list[str], hyp: list[str], n: int) -> Score:
    gold = Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
    pred = Counter(tuple(hyp[i:i + n]) for i in range(len(hyp) - n + 1))
    return _score(sum((gold & pred).values()), sum(pred.values()), sum(gold.values()))


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of two token lists (bit-parallel over ``a``)."""
    masks: dict[str, int] = {}
    for i, token in enumerate(a):
        masks[token] = masks.get(token, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for token in b:
        u = v & masks.get(token, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - v.bit_count()


class _Means:
    """Running sums of ROUGE F1 (and P, R) by key."""

    def __init__(self) -> None:
        self.sums: dict[str, np.ndarray] = {}
        self.counts: dict[str, int] = {}

    def add(self, key: str, scores: dict[str, Score]) -> None:
        vector = np.array([getattr(scores[m], part) for m in METRICS for part in ("precision", "recall", "fmeasure")])
        self.sums[key] = self.sums.get(key, np.zeros(9)) + vector
        self.counts[key] = self.counts.get(key, 0) + 1

    def f1(self, key: str) -> dict[str, float]:
        mean = self.sums[key] / max(self.counts[key], 1)
        return {m: round(float(mean[3 * k + 2]), 4) for k, m in enumerate(METRICS)}

    def prf(self, key: str) -> dict[str, dict[str, float]]:
        mean = self.sums[key] / max(self.counts[key], 1)
        return {m: {"p": float(mean[3 * k]), "r": float(mean[3 * k + 1]), "f1": float(mean[3 * k + 2])}
                for k, m in enumerate(METRICS)}


def evaluate(path: str | Path | None = None, *, split: str = "dev", limit: int | None = None,
             params: Params | None = None) -> dict[str, Any]:
    """Score every system on the documents of ``split`` (the first ``limit`` only, when given); see the module."""
    root = Path(path) if path else DEFAULT_PATH
    if not root.exists():
        raise OnrecordError(f"background data set not found at {root}; pass --path to its folder")
    params = params or Params()
    scorer = Rouge()
    means = _Means()
    outputs: list[tuple[str, date, dict[str, str]]] = []
    n = 0
    for event, annotator, timeline, t in _documents(root, split):
        if limit is not None and n >= limit:
            break
        n += 1
        now = timeline[t]
        found = run_systems(timeline[:t], now, params)
        for system, text in found.items():
            scores = scorer.score(now.background, text)
            means.add(system, scores)
            means.add(f"{system}|{annotator}", scores)
        outputs.append((event, now.day, found))
    _all_references(root, outputs, scorer, means)
    return _report(means, n, split, params)


def _all_references(root: Path, outputs: list[tuple[str, date, dict[str, str]]], scorer: Rouge, means: _Means) -> None:
    """Score each output against every annotator's Background of the same step."""
    backgrounds: dict[tuple[str, date], list[str]] = {}
    for event in {e for e, _, _ in outputs}:
        for annotator in ANNOTATORS:
            for step in load_event(root / "events" / event, annotator):
                if step.background:
                    backgrounds.setdefault((event, step.day), []).append(step.background)
    for event, day, found in outputs:
        for system, text in found.items():
            for reference in backgrounds.get((event, day), []):
                means.add(f"{system}|all", scorer.score(reference, text))


def _report(means: _Means, n: int, split: str, params: Params) -> dict[str, Any]:
    if n == 0:
        raise OnrecordError(f"no documents with a Background in split {split!r}")
    ours = means.f1("onrecord")
    return {
        **ours,
        "per_annotator": {a: means.f1(f"onrecord|{a}") for a in ANNOTATORS if f"onrecord|{a}" in means.counts},
        "all_references": means.f1("onrecord|all"),
        "baselines": {s: means.f1(s) | {"all_references": means.f1(f"{s}|all")} for s in SYSTEMS[1:]},
        "paper_baselines": "unconfirmed: the paper's extractive baselines, budget and figures are not in the data files",
        "rouge": {f"{s}/{m}": v for s in SYSTEMS for m, v in means.prf(s).items()},
        "documents": n,
        "split": split,
        "budget_words": params.budget_words,
        "params": params.to_dict(),
    }
