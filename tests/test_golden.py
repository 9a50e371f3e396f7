"""Golden articles: expected statement records, written by reading the article, compared field by field.

Each file in tests/golden/ names its article (a path under ../shared/eval or examples/, read in place — article
texts are never copied into this repository), the metadata to read it with, and the statements a careful reader
finds in it. An expected statement lists only the fields the reader is sure of; its ``content`` is matched by
prefix (``content_startswith``) to find the extracted record, then every listed field must be equal.

``known_misses`` lists expectations the rules do not meet yet, each with the reason: they are reported, counted
against the floor, and must not silently disappear (a known miss that starts to pass fails the test, so that it is
promoted to an expectation).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import EVAL, ROOT
from onrecord.extract import extract_article
from onrecord.ingest import iter_articles

GOLDEN = Path(__file__).parent / "golden"
FILES = sorted(GOLDEN.glob("*.json"))


def _load_article(spec: dict[str, Any]) -> Any:
    source = spec["source"]
    path = (EVAL.parent.parent / source) if source.startswith("shared/") else ROOT / source
    if source.startswith("shared/") and not EVAL.exists():
        pytest.skip(f"evaluation data not found at {EVAL} (../shared/eval is absent on this machine)")
    line = spec.get("line")
    published = date.fromisoformat(spec["published"]) if spec.get("published") else None
    items = list(iter_articles([str(path)], outlet=spec.get("outlet"), published=published, title=spec.get("title")))
    if line is not None:
        items = [items[line - 1]]
    [article] = items
    assert not hasattr(article, "reason"), f"{source}: {getattr(article, 'reason', '')}"
    return article


def _get(record: dict[str, Any], dotted: str) -> Any:
    value: Any = record
    for part in dotted.split("."):
        if isinstance(value, list):
            value = [v.get(part) if isinstance(v, dict) else None for v in value]
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


def _find(records: list[dict[str, Any]], expected: dict[str, Any]) -> dict[str, Any] | None:
    prefix = _norm(expected["content_startswith"])
    hits = [r for r in records if _norm(r["content"]).startswith(prefix)]
    if "cue" in expected and len(hits) > 1:
        hits = [r for r in hits if r["cue"] == expected["cue"]] or hits
    return hits[0] if hits else None


def _diff(records: list[dict[str, Any]], expected: dict[str, Any]) -> list[str]:
    found = _find(records, expected)
    if found is None:
        return [f"MISSING statement starting {expected['content_startswith']!r}"]
    problems = []
    for key, want in expected.items():
        if key in {"content_startswith", "note"}:
            continue
        got = _get(found, key)
        if got != want:
            problems.append(f"  {expected['content_startswith'][:50]!r}: {key} expected {want!r}, got {got!r}")
    return problems


@pytest.mark.parametrize("golden", FILES, ids=[f.stem for f in FILES])
def test_golden_article(golden: Path, nlp: Any) -> None:
    spec = json.loads(golden.read_text(encoding="utf-8"))
    article = _load_article(spec)
    records = [st.to_record(article) for st in extract_article(article, nlp)]
    problems = [p for exp in spec["statements"] for p in _diff(records, exp)]
    promoted = [m["content_startswith"] for m in spec.get("known_misses", []) if not _diff(records, m["expected"])]
    extracted = "\n".join(f"    {r['speaker']['name']!r} {r['cue']} {r['mode']} {r['kind']}: {r['content'][:80]!r}"
                          for r in records)
    assert not problems, f"{golden.name}: {len(problems)} differences\n" + "\n".join(problems) + \
        f"\n  extracted:\n{extracted}"
    assert not promoted, f"{golden.name}: known misses now pass, move them to statements: {promoted}"


def test_golden_corpus_is_large_enough() -> None:
    specs = [json.loads(f.read_text(encoding="utf-8")) for f in FILES]
    assert len(specs) >= 15
    assert sum(1 for s in specs if "ukraine_war_news_gdelt" in s["source"]) >= 10
    assert sum(len(s["statements"]) for s in specs) >= 60
