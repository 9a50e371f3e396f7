"""The online storyline clusterer: a new article joins the best-scoring existing story or opens a new one.

One class, :class:`StoryClusterer`, over a :class:`StoryStore`: :class:`MemoryStore` here (evaluation, tests),
``resolve.stories.LedgerStore`` for the ledger. Nothing is recomputed over the corpus: each article costs an index
lookup for candidate stories and a score against each.

Features of an article (:func:`features_of`, plain records only):

* **terms**: lower-cased word tokens of its text (3+ letters, English stop words out), counted; weighted by
  sublinear tf × an *online* IDF from running document frequencies (``log((N+1)/(df+1)) + 1`` with N and df as
  they stand when the article arrives: no corpus-global statistics computed after the fact);
* **actors**: the canonical names of the people, organisations and groups named in the text (the article's
  ``mentions`` and its speakers; in the ledger, resolved actor ids): shown as evidence;
* **participants**: the same names by their last word, lower-cased (:func:`name_key`: "W. Mark Felt", "Mark
  Felt" and "Felt" are all ``felt``), counted per mention and weighted by the online IDF: what is scored. The
  last word is where a person's or team's name varies least between outlets ("RB Pierre Thomas", "Pierre
  Thomas"; "New Orleans Saints", "Saints");
* **places**: countries and places named in the text (kept with the features; not scored: in a trial on ECB+
  a "main places disjoint" conflict cost more recall than it gained precision);
* **dates**: absolute dates and years the text states (``extract.timex.find_times`` with the publication date as
  anchor, so "on Monday" counts only when the article is dated) and the statements' ``said_on``. The latest of
  them is the article's **event year**: a report states background years (a career, an earlier case) before the
  year of the event it reports, rarely after it.

Score of an article against a story: ``text`` (cosine of the article's TF-IDF vector with the story centroid) +
``actor_weight`` × ``participants`` (cosine of the article's participant vector with the story's participant
centroid) − ``conflict_penalty`` when the article's event year is none of the event years of the story's members
(both stating one). It joins the best story scoring ≥ ``threshold``; otherwise it opens a story. Every assignment
returns its rule, score parts and the shared evidence (terms, actors, years), which the ledger stores.

Two reports of the same kind of event (two boxers' title defences, two deaths of Watergate figures) share most of
their words; they differ in who took part and when. Hence names and the event year are scored beside the text.

Candidates: stories sharing one of the article's ``index_terms`` heaviest terms or ``index_actors`` rarest
participants (an inverted index; keys in more than ``index_max_df`` of the articles are left out), best
``max_candidates`` by number of shared keys.

**Split check** (rule ``onrecord.stories.v3``): a single pass cannot undo a wrong join, and a story that took in a
second event of the same kind keeps drawing both events' reports. So after an article joins a story of
``split_min_size`` members or more, the story's latest ``split_window`` members (each :class:`Member` keeps its unit
vectors) are cut in two by a normalised-cut bisection of their pairwise scores (the join score's parts between two
articles); when the two halves are further apart than ``split_ratio`` × the closer-knit half is within (mean pair
scores), and each half has ``split_min_part`` members, the smaller half leaves for a new story, with the figures in
its members' evidence. Bounded: one read of ≤ ``split_window`` members and a ``split_window``² score matrix per join.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Protocol

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..extract.timex import find_times
from ..records import Article, Statement

__all__ = ["Assignment", "ClusterSettings", "DocFeatures", "Member", "MemoryStore", "Split", "Story", "StoryClusterer",
           "StoryStore", "features_of", "name_key", "participant_keys"]

RULE = "onrecord.stories.v3"
SPLIT_RULE = RULE + "/split"
ACTOR_KINDS = frozenset({"person", "organization", "group"})
PLACE_KINDS = frozenset({"country", "place"})
_WORD = re.compile(r"[^\W\d_][\w'-]*[^\W_]|[^\W\d_]{3,}")
_NAME_WORD = re.compile(r"[^\W\d_]{2,}")
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "told", "would", "also", "one", "two", "new", "year", "years"}


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """The clusterer's settings (why these values: docs/stories.md)."""

    threshold: float = 0.30         # join when the score reaches this
    actor_weight: float = 0.5       # weight of the participant cosine
    conflict_penalty: float = 0.15  # subtracted per conflict (event year)
    centroid_terms: int = 400       # terms kept in a story centroid
    centroid_participants: int = 100  # participant keys kept in a story's participant centroid
    index_terms: int = 12           # an article's heaviest terms used to find candidate stories
    index_actors: int = 6           # and its rarest participants
    index_max_df: float = 0.05      # keys in more than this share of articles are not index keys …
    index_min_cap: int = 200        # … unless they are in at most this many articles
    max_candidates: int = 50        # stories scored per article
    split_ratio: float = 0.55       # split when the halves' mutual score is below this × the closer half's own
    split_min_size: int = 4         # stories of this many members are checked after a join
    split_min_part: int = 2         # each half of a split has at least this many members
    split_window: int = 40          # the latest members read for the check
    member_terms: int = 100         # terms kept of each member's vector for the check

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class DocFeatures:
    """What the clusterer reads of one article (plain values, no spaCy objects)."""

    id: str
    title: str
    terms: Counter[str]
    actors: Counter[str]
    places: Counter[str] = field(default_factory=Counter)
    years: frozenset[int] = frozenset()
    published: date | None = None
    participants: Counter[str] = field(default_factory=Counter)

    @property
    def event_year(self) -> int | None:
        """The latest year the article states (see the module docstring), or None."""
        return max(self.years) if self.years else None


@dataclass(slots=True)
class Story:
    """A storyline's running state: centroids (sums of member unit vectors) of terms and participants, actor,
    stated-year and event-year counts."""

    id: str
    title: str
    size: int = 0
    centroid: dict[str, float] = field(default_factory=dict)
    actors: Counter[str] = field(default_factory=Counter)
    years: Counter[int] = field(default_factory=Counter)
    first: date | None = None
    last: date | None = None
    participants: dict[str, float] = field(default_factory=dict)
    event_years: Counter[int] = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where an article went, by which rule, with the score parts and the shared evidence."""

    article_id: str
    story_id: str
    opened: bool
    score: float
    rule: str
    evidence: dict[str, Any]


@dataclass(slots=True)
class Member:
    """What a story keeps of each member for the split check: the parts of its vectors it joined with (the heaviest
    ``member_terms`` weights of its unit term vector, as added to the story's centroid, and its participant unit
    vector), its names, years and index keys (to take them out of one story and into another)."""

    article_id: str
    title: str
    vector: dict[str, float]
    people: dict[str, float]
    actors: Counter[str]
    years: frozenset[int]
    event_year: int | None
    published: date | None
    index_keys: list[str]


@dataclass(frozen=True, slots=True)
class Split:
    """A story cut in two: the members that left ``story`` for ``new`` and why (the figures of the check)."""

    story: Story
    new: Story
    moved: list[str]
    new_keys: list[str]
    evidence: dict[str, Any]


class StoryStore(Protocol):
    """Where the clusterer's state lives: document frequencies, stories, their members and inverted index."""

    def doc_count(self) -> int: ...
    def frequencies(self, keys: Iterable[str]) -> dict[str, int]: ...
    def count(self, keys: Iterable[str]) -> None: ...
    def candidates(self, keys: Sequence[str], limit: int) -> list[Story]: ...
    def save(self, story: Story, new_keys: Iterable[str], assignment: Assignment, member: Member) -> None: ...
    def members(self, story_id: str, limit: int) -> list[Member]: ...
    def split(self, split: Split) -> None: ...


class MemoryStore:
    """The clusterer's state in dictionaries: for evaluation and tests."""

    def __init__(self) -> None:
        self.df: Counter[str] = Counter()
        self.docs = 0
        self.stories: dict[str, Story] = {}
        self.index: dict[str, set[str]] = {}
        self.assignments: list[Assignment] = []  # as placed; after a split ``story_of`` says where an article is
        self.member_rows: dict[str, list[Member]] = {}  # story id -> members in arrival order
        self.story_of: dict[str, str] = {}  # article id -> its story now (after any split)
        self.splits: list[Split] = []

    def doc_count(self) -> int:
        return self.docs

    def frequencies(self, keys: Iterable[str]) -> dict[str, int]:
        return {k: self.df[k] for k in keys}

    def count(self, keys: Iterable[str]) -> None:
        self.docs += 1
        self.df.update(set(keys))

    def candidates(self, keys: Sequence[str], limit: int) -> list[Story]:
        hits: Counter[str] = Counter()
        for key in keys:
            hits.update(self.index.get(key, ()))
        best = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]  # ties by id, as ``LedgerStore`` orders
        return [self.stories[s] for s, _ in best]

    def save(self, story: Story, new_keys: Iterable[str], assignment: Assignment, member: Member) -> None:
        self.stories[story.id] = story
        for key in new_keys:
            self.index.setdefault(key, set()).add(story.id)
        self.assignments.append(assignment)
        self.member_rows.setdefault(story.id, []).append(member)
        self.story_of[member.article_id] = story.id

    def members(self, story_id: str, limit: int) -> list[Member]:
        return self.member_rows.get(story_id, [])[-limit:]

    def split(self, split: Split) -> None:
        moved = set(split.moved)
        rows = self.member_rows[split.story.id]
        self.member_rows[split.story.id] = [m for m in rows if m.article_id not in moved]
        self.member_rows[split.new.id] = [m for m in rows if m.article_id in moved]
        self.stories[split.story.id], self.stories[split.new.id] = split.story, split.new
        for key in split.new_keys:
            self.index.setdefault(key, set()).add(split.new.id)
        for article_id in split.moved:
            self.story_of[article_id] = split.new.id
        self.splits.append(split)


def lead(text: str, paragraphs: int = 3) -> str:
    """The headline and the first paragraphs (blank-line separated): where a news article states its event."""
    return "\n\n".join(text.split("\n\n", paragraphs)[:paragraphs])


def tokens(text: str) -> Counter[str]:
    """Lower-cased content words of ``text`` (letters first and last, stop words out), counted."""
    return Counter(w for w in (m.group(0).lower() for m in _WORD.finditer(text)) if len(w) > 2 and w not in _STOP)


def stated_years(text: str, published: date | None, statements: Sequence[Statement] = ()) -> frozenset[int]:
    """Years of the dates the text states (day, month or year granularity, one calendar year) and of ``said_on``;
    with a publication date, not the years after it: "deployment is possible in 2025" in a 2024 article is a
    forecast, not the year of the event the article reports."""
    years = {ref.start.year for _, _, ref in find_times(text, published)
             if ref.start.year == ref.end.year and ref.granularity in {"day", "month", "year", "season", "quarter"}}
    years.update(s.said_on.start.year for s in statements if s.said_on is not None)
    if published is not None:
        years = {y for y in years if y <= published.year}
    return frozenset(years)


def short_names(actors: Counter[str]) -> Counter[str]:
    """Counts with a one-word name folded into the one longer name of the same article that ends with it
    ("Lohan" → "Lindsay Lohan"); a one-word name that ends two longer names stays as it is."""
    longer: dict[str, list[str]] = {}
    for name in actors:
        if " " in name:
            longer.setdefault(name.rsplit(" ", 1)[1], []).append(name)
    folded: Counter[str] = Counter()
    for name, n in actors.items():
        targets = longer.get(name, []) if " " not in name else []
        folded[targets[0] if len(targets) == 1 else name] += n
    return folded


def name_key(name: str) -> str | None:
    """The last word of a name, lower-cased ("W. Mark Felt" → "felt", "New Orleans Saints" → "saints"), after any
    generational suffix ("Martin Luther King Jr." → "king", not "jr"), or None when it has no word of two letters or
    more."""
    words = _NAME_WORD.findall(name.lower())
    while len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else None


#: Generational suffixes that end a name but say nothing of who it is.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def participant_keys(names: Iterable[str]) -> Counter[str]:
    """:func:`name_key` of each name (one per mention), counted."""
    return Counter(k for k in map(name_key, names) if k)


def features_of(article: Article, statements: Sequence[Statement] = ()) -> DocFeatures:
    """The clusterer's features of an extracted article (its ``mentions`` and statements)."""
    names = [m.name for m in article.mentions if m.kind in ACTOR_KINDS]
    names += [s.speaker.name for s in statements if s.speaker.name and s.speaker.kind in ACTOR_KINDS]
    places = Counter(m.name for m in article.mentions if m.kind in PLACE_KINDS)
    return DocFeatures(article.id, article.title, tokens(article.text) + tokens(lead(article.text)),
                       short_names(Counter(names)), places, stated_years(article.text, article.published, statements),
                       article.published, participant_keys(names))


def actor_key(name: str) -> str:
    return "@" + name


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
    return {k: v / norm for k, v in weights.items()}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(k, 0.0) for k, w in a.items())


def _mean_link(scores: list[list[float]], a: Sequence[int], b: Sequence[int]) -> float:
    """Mean score between the members ``a`` and ``b`` (pairs of distinct members; 0.0 when there is none)."""
    pairs = [scores[i][j] for i in a for j in b if i != j]
    return sum(pairs) / len(pairs) if pairs else 0.0


def bisect(scores: list[list[float]]) -> tuple[list[int], list[int]]:
    """Two groups of the items of a symmetric score matrix: the normalised cut (Shi and Malik) with the lowest
    value among the cuts of the items ordered by the second eigenvector of the normalised Laplacian (negative
    scores count as 0)."""
    import numpy as np

    weights = np.clip(np.array(scores, dtype=float), 0.0, None)
    np.fill_diagonal(weights, 0.0)
    degree = weights.sum(axis=1)
    degree[degree == 0] = 1e-9
    scale = 1.0 / np.sqrt(degree)
    laplacian = np.eye(len(scores)) - scale[:, None] * weights * scale[None, :]
    _, vectors = np.linalg.eigh(laplacian)
    order = [int(i) for i in np.argsort(vectors[:, 1] * scale, kind="stable")]
    best: tuple[float, int] | None = None
    for k in range(1, len(order)):
        cut = weights[np.ix_(order[:k], order[k:])].sum()
        value = cut / degree[order[:k]].sum() + cut / degree[order[k:]].sum()
        if best is None or value < best[0] - 1e-12:
            best = (value, k)
    k = best[1] if best else 1
    return sorted(order[:k]), sorted(order[k:])


def _cosine(unit: dict[str, float], centroid: dict[str, float]) -> float:
    """Cosine of a unit vector with a centroid (any norm)."""
    return _dot(unit, centroid) / (math.sqrt(sum(v * v for v in centroid.values())) or 1.0)


class StoryClusterer:
    """Online single-pass clustering of articles into storylines over a :class:`StoryStore`."""

    def __init__(self, settings: ClusterSettings | None = None, store: StoryStore | None = None,
                 new_id: Any = None) -> None:
        self.settings = settings or ClusterSettings()
        self.store: StoryStore = store if store is not None else MemoryStore()
        self._new_id = new_id or (lambda key: f"s{key}")

    def add(self, doc: DocFeatures) -> Assignment:
        """Place one article: count its terms, score candidate stories, join the best or open a story."""
        keys = list(doc.terms) + [actor_key(p) for p in doc.participants]
        self.store.count(keys)
        idf = self._idf(keys)
        vector = self._vector(doc, idf)
        people = self._participant_vector(doc, idf)
        index_keys = self._index_keys(doc, vector, idf)
        best: tuple[float, Story, dict[str, Any]] | None = None
        for story in self.store.candidates(index_keys, self.settings.max_candidates):
            score, parts = self.score(doc, vector, idf, story, people)
            if best is None or score > best[0]:
                best = (score, story, parts)
        if best is not None and best[0] >= self.settings.threshold:
            story, opened, score, parts = best[1], False, best[0], best[2]
        else:
            story = Story(self._new_id(doc.id), doc.title)
            opened, score = True, 0.0
            parts = {"best_score": round(best[0], 4) if best else None,
                     "best_story": best[1].id if best else None}
        assignment = Assignment(doc.id, story.id, opened, round(score, 4), RULE, parts)
        member = Member(doc.id, doc.title, dict(sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))
                                                [: self.settings.member_terms]),
                        people, Counter(doc.actors), doc.years, doc.event_year, doc.published, index_keys)
        new_keys = self._grow(story, member, vector)
        self.store.save(story, new_keys, assignment, member)
        if not opened and story.size >= self.settings.split_min_size:
            split = self._check_split(story)
            if split is not None and doc.id in split.moved:
                return Assignment(doc.id, split.new.id, False, assignment.score, SPLIT_RULE,
                                  {**parts, "split": split.evidence})
        return assignment

    def _idf(self, keys: Sequence[str]) -> dict[str, float]:
        n = self.store.doc_count()
        return {k: math.log((n + 1) / (df + 1)) + 1.0 for k, df in self.store.frequencies(keys).items()}

    @staticmethod
    def _vector(doc: DocFeatures, idf: dict[str, float]) -> dict[str, float]:
        return _unit({t: (1.0 + math.log(c)) * idf[t] for t, c in doc.terms.items()})

    @staticmethod
    def _participant_vector(doc: DocFeatures, idf: dict[str, float]) -> dict[str, float]:
        return _unit({p: (1.0 + math.log(c)) * idf[actor_key(p)] for p, c in doc.participants.items()})

    def _index_keys(self, doc: DocFeatures, vector: dict[str, float], idf: dict[str, float]) -> list[str]:
        """The article's heaviest terms and rarest participants, leaving out keys too common to narrow the search
        (in more than ``index_max_df`` of the articles, once that share is over ``index_min_cap`` articles)."""
        n = self.store.doc_count()
        cap = max(self.settings.index_min_cap, self.settings.index_max_df * n)
        floor = math.log((n + 1) / (cap + 1)) + 1.0
        terms = [t for t in sorted(vector, key=lambda t: (-vector[t], t)) if idf[t] >= floor]
        actors = sorted((actor_key(p) for p in doc.participants), key=lambda k: (-idf[k], k))
        return terms[: self.settings.index_terms] + [k for k in actors if idf[k] >= floor][: self.settings.index_actors]

    def score(self, doc: DocFeatures, vector: dict[str, float], idf: dict[str, float], story: Story,
              people: dict[str, float] | None = None) -> tuple[float, dict[str, Any]]:
        """Score of ``doc`` against ``story`` and its parts: text cosine, participant cosine, conflicts."""
        if people is None:
            people = self._participant_vector(doc, idf)
        text = _cosine(vector, story.centroid)
        participants = _cosine(people, story.participants)
        conflicts = self._conflicts(doc, story)
        score = self._total(text, participants, len(conflicts))
        shared_terms = sorted(vector, key=lambda t: -vector[t] * story.centroid.get(t, 0.0))[:8]
        shared_people = sorted((p for p in people if p in story.participants),
                               key=lambda p: -people[p] * story.participants[p])
        parts = {"text": round(text, 4), "actors": round(participants, 4), "conflicts": conflicts,
                 "shared_actors": sorted(a for a in doc.actors if a in story.actors)[:10],
                 "shared_participants": shared_people[:10],
                 "shared_terms": [t for t in shared_terms if t in story.centroid],
                 "shared_years": sorted(y for y in doc.years if y in story.years),
                 "event_year": doc.event_year}
        return score, parts

    def _total(self, text: float, participants: float, conflicts: int) -> float:
        """The score from its parts: text cosine + ``actor_weight`` × participant cosine − ``conflict_penalty`` per
        conflict (for an article against a story, and for two members in the split check)."""
        return text + self.settings.actor_weight * participants - self.settings.conflict_penalty * conflicts

    @staticmethod
    def _conflicts(doc: DocFeatures, story: Story) -> list[str]:
        """``years``: the article's event year is none of the story members' event years (both stating one)."""
        year = doc.event_year
        return ["years"] if year is not None and story.event_years and year not in story.event_years else []

    def _grow(self, story: Story, member: Member, vector: dict[str, float] | None = None) -> list[str]:
        """Add the article to the story's state (its whole term ``vector`` when given, else the member's cut one:
        a split subtracts the same weights, and only the leavers' terms past ``member_terms`` stay behind); the
        index keys the story did not have yet."""
        centroid = Counter(story.centroid)
        centroid.update(vector or member.vector)
        story.centroid = dict(centroid.most_common(self.settings.centroid_terms))
        participants = Counter(story.participants)
        participants.update(member.people)
        story.participants = dict(participants.most_common(self.settings.centroid_participants))
        story.actors.update(member.actors)
        story.years.update(member.years)
        if member.event_year is not None:
            story.event_years[member.event_year] += 1
        story.size += 1
        if member.published is not None:
            story.first = min(story.first or member.published, member.published)
            story.last = max(story.last or member.published, member.published)
        return member.index_keys

    @staticmethod
    def _shrink(story: Story, members: Sequence[Member]) -> None:
        """Take members out of the story's state (their vectors out of the centroids; first and last published
        stay as they were: the members outside the split window are not read)."""
        for name, table in (("centroid", story.centroid), ("participants", story.participants)):
            left = dict(table)
            for m in members:
                for key, weight in (m.vector if name == "centroid" else m.people).items():
                    if key in left:
                        left[key] -= weight
            setattr(story, name, {k: v for k, v in left.items() if v > 1e-6})
        for m in members:
            story.actors.subtract(m.actors)
            story.years.subtract(m.years)
            if m.event_year is not None:
                story.event_years[m.event_year] -= 1
        story.actors = +story.actors  # unary plus keeps the positive counts only
        story.years = +story.years
        story.event_years = +story.event_years
        story.size -= len(members)

    def pair_scores(self, members: Sequence[Member]) -> list[list[float]]:
        """The join score's parts between each two members: cosine of their (cut) term vectors + ``actor_weight`` ×
        participant cosine − ``conflict_penalty`` when both state an event year and they differ; 0 on the diagonal."""
        units = [_unit(m.vector) for m in members]
        n = len(members)
        scores = [[0.0] * n for _ in range(n)]
        for i, a in enumerate(members):
            for j in range(i + 1, n):
                b = members[j]
                conflict = a.event_year is not None and b.event_year is not None and a.event_year != b.event_year
                scores[i][j] = scores[j][i] = self._total(_dot(units[i], units[j]), _dot(a.people, b.people),
                                                          int(conflict))
        return scores

    def _check_split(self, story: Story) -> Split | None:
        """Cut the story's latest members in two when its halves are far apart (module docstring)."""
        settings = self.settings
        members = self.store.members(story.id, settings.split_window)
        if len(members) < settings.split_min_size:
            return None
        n = len(members)
        scores = self.pair_scores(members)
        first, second = bisect(scores)
        if min(len(first), len(second)) < settings.split_min_part:
            return None
        between = _mean_link(scores, first, second)
        within = min(_mean_link(scores, first, first), _mean_link(scores, second, second))
        if within <= 0 or between >= settings.split_ratio * within:
            return None
        keep, leave = (first, second) if (len(first), -min(first)) >= (len(second), -min(second)) else (second, first)
        leaving = [members[i] for i in sorted(leave)]
        new = Story(self._new_id(f"{leaving[0].article_id}/split/{story.id}"), leaving[0].title)
        new_keys: list[str] = []
        for m in leaving:
            new_keys.extend(k for k in self._grow(new, m) if k not in new_keys)
        self._shrink(story, leaving)
        evidence = {"rule": SPLIT_RULE, "from": story.id, "between": round(between, 4), "within": round(within, 4),
                    "ratio": round(between / within, 4), "members_read": n, "left": len(leaving), "stayed": len(keep)}
        split = Split(story, new, [m.article_id for m in leaving], new_keys, evidence)
        self.store.split(split)
        return split
