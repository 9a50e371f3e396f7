"""Article-level named entities (``article_mentions``): extracted from real text, stored with spans that point
into the stored article text, canonicalised like statement speakers."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from conftest import ROOT
from onrecord.batch import ingest_paths
from onrecord.ledger import open_ledger, schema


def test_every_mention_points_at_its_text_in_the_stored_article(tmp_path: Path, nlp: object) -> None:
    lines = (ROOT / "examples" / "wikinews.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    src = tmp_path / "three.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ledger = open_ledger(f"sqlite:///{tmp_path / 'l.db'}")
    ingest_paths([str(src)], ledger)
    m, a, e = schema.article_mentions, schema.articles, schema.entities
    query = sa.select(m.c.span_start, m.c.span_end, m.c.text, a.c.text.label("article_text"), e.c.name, e.c.kind
                      ).join(a, a.c.id == m.c.article_id).join(e, e.c.id == m.c.entity_id)
    with ledger.engine.connect() as conn:
        rows = conn.execute(query).all()
        articles = conn.execute(sa.select(sa.func.count(sa.distinct(m.c.article_id)))).scalar_one()
    assert articles == 3
    assert len(rows) > 30
    for row in rows:
        assert row.article_text[row.span_start:row.span_end] == row.text
    first = json.loads(lines[0])
    names = {(r.name, r.kind) for r in rows if r.article_text.startswith(first["title"])}
    assert ("Boeing", "organization") in names
    # Canonical names: a person's later surname-only mention carries the full name.
    persons = [r for r in rows if r.kind == "person"]
    assert any(r.text != r.name and r.name.endswith(r.text) for r in persons)
