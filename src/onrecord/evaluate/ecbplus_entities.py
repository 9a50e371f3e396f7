"""ECB+ cross-document entity coreference: onrecord's entity resolver against the HUMAN_PART chains, B³.

ECB+ (Cybulska & Vossen 2014; ``../shared/eval/story_clustering/ecbplus``, annotations CC BY 3.0, texts
copyrighted by their publishers: read in place, never shipped) marks participants (``HUMAN_PART_PER``, ``_ORG``,
``_GPE`` …) with token anchors and links them across documents (``CROSS_DOC_COREF``, one instance id per
real-world participant). Only the sentences listed in ``ECBplus_coreference_sentences.csv`` were annotated
exhaustively; mentions outside them are left out, as are mentions in no cross-document chain (no gold label).

What the resolver sees, as it would in the ledger: each document becomes an article (tokens joined by spaces)
with one ``entities`` row and one ``article_mentions`` row per *named* gold mention (a capitalised word that the
document never writes in lower case: "Tara Reid", "Reid", "Lakers", not "the actress" or "he"). Inside a document
the names are first canonicalised the way the extractor does (a gazetteer name becomes its entry's name; a
one-word person name becomes the document's longer name that ends with it), then the documents go, in a fixed
shuffled order (seed 0), through ``resolve.entities.update`` on an in-memory ledger: the same rules, keys and
context the ledger uses. A mention's predicted cluster is its entity's actor; every other mention (pronouns,
descriptions) is a singleton — the ledger has no entity for it.

Scores: B³ precision, recall and F1 (Bagga & Baldwin 1998; per mention, averaged over mentions) on the named
mentions (the main figure) and on all mentions. Baselines on the same mentions: exact string (case-folded) and
same head (the last word, case-folded), both merged across every document.
"""

from __future__ import annotations

import csv
import logging
import random
import re
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..errors import OnrecordError
from ..ledger import open_ledger, schema
from ..records import hash_id
from ..registry import load_gazetteer
from ..resolve import entities as resolver
from ..resolve import names

__all__ = ["DEFAULT_PATH", "Mention", "b_cubed", "evaluate", "load_mentions"]

log = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parents[3].parent / "shared/eval/story_clustering/ecbplus"
SEED = 0
KINDS = {"HUMAN_PART_PER": "person", "HUMAN_PART_ORG": "organization", "HUMAN_PART_GPE": "country",
         "HUMAN_PART_FAC": "place", "HUMAN_PART_VEH": "product"}
_CLOSED = frozenset({
    "i", "he", "she", "it", "we", "they", "you", "him", "her", "them", "us", "his", "hers", "its", "their", "our",
    "the", "a", "an", "this", "that", "these", "those", "mr", "mrs", "ms", "dr", "who", "whom", "one", "some",
})


@dataclass(slots=True)
class Mention:
    """One gold participant mention: its document, text, kind, character span in the document text, gold id."""

    doc: str
    text: str
    kind: str
    start: int
    end: int
    gold: str
    named: bool
    name: str = ""  # the in-document canonical name (named mentions only)


@dataclass(slots=True)
class Document:
    name: str
    text: str
    mentions: list[Mention]


def _annotated(path: Path) -> dict[str, set[int]]:
    """File stem ("1_10ecbplus") → the sentence numbers whose coreference was annotated exhaustively."""
    found: dict[str, set[int]] = defaultdict(set)
    with (path / "ECBplus_coreference_sentences.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            found[f"{row['Topic']}_{row['File']}"].add(int(row["Sentence Number"]))
    return found


def parse_document(path: Path, sentences: set[int]) -> Document:
    """One ECB+ file: its text (tokens joined by spaces) and its gold HUMAN_PART mentions in ``sentences``."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise OnrecordError(f"{path}: not a readable ECB+ XML file ({exc})") from exc
    tokens: dict[str, tuple[int, int, str, int]] = {}  # t_id → start, end, text, sentence
    parts: list[str] = []
    offset = 0
    for tok in root.iter("token"):
        word = tok.text or ""
        tokens[tok.get("t_id", "")] = (offset, offset + len(word), word, int(tok.get("sentence", "0")))
        parts.append(word)
        offset += len(word) + 1
    text = " ".join(parts)
    gold = _gold_instances(root)
    lowered = {w for w in parts if w[:1].islower()}
    mentions = []
    markables = root.find("Markables")
    for markable in markables if markables is not None else []:
        anchors = [tokens[a.get("t_id", "")] for a in markable.findall("token_anchor") if a.get("t_id") in tokens]
        m_id = markable.get("m_id", "")
        if not markable.tag.startswith("HUMAN_PART") or not anchors or m_id not in gold:
            continue
        if anchors[0][3] not in sentences:
            continue
        words = [t[2] for t in anchors]
        named = any(w[:1].isupper() and w.lower() not in _CLOSED and w.lower() not in lowered for w in words)
        mentions.append(Mention(path.stem, text[anchors[0][0]:anchors[-1][1]], KINDS.get(markable.tag, "unknown"),
                                anchors[0][0], anchors[-1][1], gold[m_id], named))
    return Document(path.stem, text, mentions)


def _gold_instances(root: ET.Element) -> dict[str, str]:
    """m_id → the cross-document instance id of its HUMAN_PART chain."""
    found: dict[str, str] = {}
    for rel in root.iter("CROSS_DOC_COREF"):
        note = rel.get("note", "")
        if note.startswith("HUM"):
            for source in rel.findall("source"):
                found[source.get("m_id", "")] = note
    return found


def load_mentions(path: str | Path | None = None, limit: int | None = None) -> list[Document]:
    """The ECB+ documents (in the fixed shuffled order) with their gold participant mentions."""
    root = Path(path) if path is not None else DEFAULT_PATH
    corpus = root / "ECB+"
    if not corpus.is_dir():
        raise OnrecordError(f"ECB+ not found at {corpus}; pass --path to the ecbplus folder "
                            "(../shared/eval/story_clustering/ecbplus)")
    annotated = _annotated(root)
    files = sorted(corpus.glob("*/*.xml"))
    random.Random(SEED).shuffle(files)
    if limit is not None:
        files = files[:limit]
    return [parse_document(f, annotated.get(f.stem, set())) for f in files]


def canonicalise(doc: Document) -> None:
    """In-document names, as the extractor gives them: gazetteer entry names; a one-word person name becomes the
    document's longer person name ending with it; a title ("Mr.") dropped."""
    gaz = load_gazetteer()
    named = [m for m in doc.mentions if m.named]
    for m in named:
        entry = gaz.lookup(m.text)
        m.name = entry.name if entry is not None else re.sub(r"^(Mr|Mrs|Ms|Dr)\.? ", "", m.text).strip()
    persons = [m.name for m in named if m.kind == "person" and len(names.person_words(m.name)) > 1]
    for m in named:
        if m.kind == "person" and len(names.person_words(m.name)) == 1:
            m.name = next((full for full in persons if names.is_surname_of(m.name, full)), m.name)


def _store(conn: sa.Connection, doc: Document) -> str:
    """Write the document as an article with its named mentions; returns the article id."""
    article_id = hash_id("ecbplus", doc.name)
    conn.execute(sa.insert(schema.articles), [{
        "id": article_id, "url": None, "title": doc.name, "outlet": None, "published": None, "lang": "en",
        "text": doc.text, "content_hash": hash_id("ecbplus-text", doc.name, doc.text, length=64),
        "source": doc.name, "ingested_at": datetime.now(UTC).replace(tzinfo=None)}])
    named = [m for m in doc.mentions if m.named]
    wanted = {hash_id("entity", m.name, m.kind): (m.name, m.kind) for m in named}
    stored = set(conn.execute(sa.select(schema.entities.c.id).where(schema.entities.c.id.in_(list(wanted)))).scalars())
    rows = [{"id": eid, "name": n, "kind": k} for eid, (n, k) in wanted.items() if eid not in stored]
    if rows:
        conn.execute(sa.insert(schema.entities), rows)
    if named:
        conn.execute(sa.insert(schema.article_mentions), [
            {"article_id": article_id, "position": i, "entity_id": hash_id("entity", m.name, m.kind),
             "span_start": m.start, "span_end": m.end, "text": m.text} for i, m in enumerate(named)])
    return article_id


def resolve_documents(docs: Sequence[Document]) -> tuple[dict[int, str], float]:
    """Run the resolver over the documents, one update each; mention index → predicted cluster, ms per document."""
    ledger = open_ledger("sqlite://")
    started = time.perf_counter()
    with ledger.engine.begin() as conn:
        for doc in docs:
            canonicalise(doc)
            resolver.update(conn, [_store(conn, doc)])
        mentions = [m for doc in docs for m in doc.mentions]
        ids = resolver.actor_ids(conn, [hash_id("entity", m.name, m.kind) for m in mentions if m.named])
    elapsed = (time.perf_counter() - started) * 1000 / max(len(docs), 1)
    ledger.close()
    predicted = {i: ids[hash_id("entity", m.name, m.kind)] if m.named else f"singleton:{i}"
                 for i, m in enumerate(mentions)}
    return predicted, elapsed


def b_cubed(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """B³ precision, recall and F1 of a clustering (one label per item) against gold labels."""
    if not gold:
        return {"p": 0.0, "r": 0.0, "f1": 0.0}
    by_gold: dict[str, set[int]] = defaultdict(set)
    by_pred: dict[str, set[int]] = defaultdict(set)
    for i, (g, c) in enumerate(zip(gold, predicted, strict=True)):
        by_gold[g].add(i)
        by_pred[c].add(i)
    precision = recall = 0.0
    for g, c in zip(gold, predicted, strict=True):
        both = len(by_gold[g] & by_pred[c])
        precision += both / len(by_pred[c])
        recall += both / len(by_gold[g])
    p, r = precision / len(gold), recall / len(gold)
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def _scores(mentions: Sequence[Mention], label: Callable[[int, Mention], str], keep: Iterable[int]) -> dict[str, float]:
    chosen = list(keep)
    return b_cubed([mentions[i].gold for i in chosen], [label(i, mentions[i]) for i in chosen])


def evaluate(path: str | Path | None = None, *, split: str = "dev", limit: int | None = None) -> dict[str, Any]:
    """B³ of the resolver and of two string baselines on ECB+ HUMAN_PART chains (``split`` is ignored: ECB+ has
    no splits); ``limit`` takes the first N documents of the fixed shuffled order."""
    docs = load_mentions(path, limit)
    predicted, ms = resolve_documents(docs)
    mentions = [m for doc in docs for m in doc.mentions]
    named = [i for i, m in enumerate(mentions) if m.named]
    every = range(len(mentions))
    ours = _scores(mentions, lambda i, m: predicted[i], named)
    exact = lambda i, m: m.text.casefold() if m.named else f"singleton:{i}"  # noqa: E731
    head = lambda i, m: m.text.split()[-1].casefold() if m.named else f"singleton:{i}"  # noqa: E731
    everything = _scores(mentions, lambda i, m: predicted[i], every)
    return {
        "b3_p": ours["p"], "b3_r": ours["r"], "b3_f1": ours["f1"],
        "baseline": {"exact_string": _scores(mentions, exact, named), "same_head": _scores(mentions, head, named)},
        "all_mentions": {"b3_p": everything["p"], "b3_r": everything["r"], "b3_f1": everything["f1"],
                         "baseline_exact_string": _scores(mentions, exact, every),
                         "baseline_same_head": _scores(mentions, head, every), "mentions": len(mentions)},
        "mentions": len(named), "documents": len(docs),
        "gold_entities": len({mentions[i].gold for i in named}), "ms_per_document": round(ms, 1),
        "resolver": resolver.RESOLVER,
    }
