"""The one ranking core of drafted background: which earlier texts to show with a new one, and which is "Previously".

It works on plain records only (:class:`Candidate`, :class:`Query`), so the same function serves
``onrecord background`` (candidates = ledger statements, ``resolve.background``) and the evaluation on human
background paragraphs (candidates = sentences of earlier timeline updates, ``evaluate.background``).

The rule, versioned as :data:`RULE`:

1. **Before only.** A candidate counts when it is dated strictly before the query's day and has at least
   ``min_words`` words; undated ones are left out (their place in time is unknown, so they cannot be "background").
2. **Relevance** = cosine of TF-IDF vectors (English stop words removed, sublinear tf; fitted on the query and the
   candidates of this call) + ``actor_weight`` × the set cosine of shared actors + ``story_weight`` when the
   candidate is in the query's storyline. A candidate is *related* when it is in the storyline (with
   ``story_needs_overlap``, set for a storyline that is only inferred: and shares an actor, or ``min_terms`` terms
   at half of ``min_cosine``; one common word such as "time" is no link), when its
   cosine reaches ``min_cosine`` on at least ``min_terms`` shared terms, or when it shares an actor and reaches
   half of it: a shared actor alone ("United States") is not enough to call two texts related.
3. **Recency**: ``2 ** (-age_days / half_life_days)``; score = relevance × (``recency_floor`` + (1 −
   ``recency_floor``) × recency), so old key events stay reachable while fresh ones are preferred.
4. **Redundancy** (maximal marginal relevance): items are taken greedily by ``mmr_lambda`` × score / best score −
   (1 − ``mmr_lambda``) × the largest cosine to an item already taken; near-duplicates (cosine ≥
   ``max_overlap``) are never taken; the selection stops at ``budget_words`` (an item that does not fit is
   skipped, a shorter later one may still fit) or ``max_items``.
5. **Previously** = the related candidate with the latest day (ties: the higher score).

Every :class:`Ranked` keeps its evidence: the cosine, the shared actors, the shared terms that weigh most, the
recency and the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = ["RULE", "Candidate", "Params", "Query", "Ranked", "Selection", "select", "words"]

RULE = "onrecord.background.v2"


@dataclass(frozen=True, slots=True)
class Candidate:
    """An earlier text that may go into a background: a statement's content, or a sentence of an update."""

    id: str
    text: str
    day: date | None
    actors: frozenset[str] = frozenset()
    in_story: bool = False  # in the query's storyline (same story in the ledger; same timeline in the evaluation)
    group: str = ""  # the article or update it comes from


@dataclass(frozen=True, slots=True)
class Query:
    """The new text: what it says, the day it is placed on, and the actors it names."""

    text: str
    day: date
    actors: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Params:
    """Weights and limits of the rule (defaults tuned on the train split of the background data set)."""

    budget_words: int = 135
    max_items: int = 12
    half_life_days: float = 3.0
    recency_floor: float = 0.05
    actor_weight: float = 0.5
    story_weight: float = 1.0
    min_cosine: float = 0.1
    min_terms: int = 2
    min_words: int = 4
    mmr_lambda: float = 0.7
    max_overlap: float = 0.8
    include_previously: bool = True
    story_needs_overlap: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class Ranked:
    """A candidate with the evidence of its rank."""

    candidate: Candidate
    cosine: float
    shared_actors: tuple[str, ...]
    shared_terms: tuple[str, ...]
    recency: float
    score: float
    related: bool

    def evidence(self) -> dict[str, Any]:
        """The numbers and names that placed it, for the record."""
        return {"cosine": round(self.cosine, 4), "shared_actors": list(self.shared_actors),
                "shared_terms": list(self.shared_terms), "recency": round(self.recency, 4),
                "in_story": self.candidate.in_story, "score": round(self.score, 4)}


@dataclass(slots=True)
class Selection:
    """What :func:`select` chose: the background items in time order, "Previously", and every related candidate."""

    chosen: list[Ranked] = field(default_factory=list)
    previously: Ranked | None = None
    related: list[Ranked] = field(default_factory=list)
    considered: int = 0


def words(text: str) -> int:
    """Length in whitespace-separated words (the budget's unit)."""
    return len(text.split())


def select(query: Query, candidates: list[Candidate], params: Params | None = None) -> Selection:
    """Rank ``candidates`` for ``query`` and pick a non-redundant background within the budget (module docstring)."""
    params = params or Params()
    earlier = [c for c in candidates
               if c.day is not None and c.day < query.day and words(c.text) >= params.min_words]
    if not earlier:
        return Selection(considered=0)
    matrix, terms = _vectors(query.text, [c.text for c in earlier])
    ranked = _rank_all(query, earlier, matrix, terms, params)
    related = [i for i, r in enumerate(ranked) if r.related]
    if not related:
        return Selection(considered=len(earlier))
    previously = max(related, key=lambda i: (earlier[i].day, ranked[i].score))
    seed = [previously] if params.include_previously else []
    chosen = _mmr(related, ranked, matrix, seed, params)
    chosen.sort(key=lambda i: (earlier[i].day, earlier[i].id))
    by_score = sorted(related, key=lambda i: -ranked[i].score)
    return Selection([ranked[i] for i in chosen], ranked[previously], [ranked[i] for i in by_score], len(earlier))


def _vectors(query: str, texts: list[str]) -> tuple[Any, np.ndarray]:
    """L2-normalised TF-IDF rows: row 0 is the query, row i + 1 is ``texts[i]``; and the vocabulary."""
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b")
    try:
        matrix = vectorizer.fit_transform([query, *texts])
    except ValueError:  # no word left after stop words: nothing to compare
        from scipy.sparse import csr_matrix

        return csr_matrix((len(texts) + 1, 1)), np.array([""])
    return matrix.tocsr(), vectorizer.get_feature_names_out()


def _rank_all(query: Query, earlier: list[Candidate], matrix: Any, terms: np.ndarray,
              params: Params) -> list[Ranked]:
    """Evidence and score of every candidate (cosines in one sparse product)."""
    products = matrix[1:].multiply(matrix[0]).tocsr()
    cosines = np.asarray(products.sum(axis=1)).ravel()
    return [_rank(query, c, float(cosines[i]), _top_terms(products, i, terms), params)
            for i, c in enumerate(earlier)]


def _top_terms(products: Any, i: int, terms: np.ndarray, k: int = 5) -> tuple[str, ...]:
    """The ``k`` shared terms that weigh most in candidate ``i``'s cosine with the query."""
    start, end = products.indptr[i], products.indptr[i + 1]
    data, cols = products.data[start:end], products.indices[start:end]
    order = np.argsort(-data, kind="stable")[:k]
    return tuple(str(terms[cols[j]]) for j in order if data[j] > 0)


def _rank(query: Query, cand: Candidate, cosine: float, shared_terms: tuple[str, ...], params: Params) -> Ranked:
    shared = tuple(sorted(query.actors & cand.actors))
    actor_cos = len(shared) / float(np.sqrt(len(query.actors) * len(cand.actors))) if shared else 0.0
    age = (query.day - cand.day).days if cand.day else 0
    recency = float(2.0 ** (-age / params.half_life_days))
    relevance = cosine + params.actor_weight * actor_cos + params.story_weight * cand.in_story
    score = relevance * (params.recency_floor + (1 - params.recency_floor) * recency)
    worded = len(shared_terms) >= params.min_terms
    in_story = cand.in_story and (not params.story_needs_overlap or bool(shared)
                                  or (worded and cosine >= params.min_cosine / 2))
    related = in_story or (worded and cosine >= params.min_cosine) or (
        bool(shared) and cosine >= params.min_cosine / 2)
    return Ranked(cand, cosine, shared, shared_terms, recency, score, related)


def _mmr(pool: list[int], ranked: list[Ranked], matrix: Any, seed: list[int], params: Params) -> list[int]:
    """Greedy maximal marginal relevance over ``pool`` (indexes into ``ranked``), starting from ``seed``."""
    rows = matrix[1:][pool]
    similar = (rows @ rows.T).toarray()
    scores = np.array([ranked[i].score for i in pool])
    scores = scores / (scores.max() or 1.0)
    overlap = np.zeros(len(pool))
    open_ = np.ones(len(pool), dtype=bool)
    chosen: list[int] = []
    used = 0

    def take(k: int) -> None:
        nonlocal used, overlap
        chosen.append(pool[k])
        used += words(ranked[pool[k]].candidate.text)
        overlap = np.maximum(overlap, similar[k])

    for i in seed:
        k = pool.index(i)
        open_[k] = False
        take(k)
    while open_.any() and len(chosen) < params.max_items:
        gain = np.where(open_, params.mmr_lambda * scores - (1 - params.mmr_lambda) * overlap, -np.inf)
        k = int(np.argmax(gain))
        open_[k] = False
        size = words(ranked[pool[k]].candidate.text)
        if overlap[k] < params.max_overlap and used + size <= params.budget_words:
            take(k)
    return chosen

