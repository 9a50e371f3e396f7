"""Shared fixtures: the model pipeline (loaded once), the public evaluation data, a temporary ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def eval_path(*parts: str) -> Path:
    """A path under ../shared/eval; the test is skipped (with the reason) when that data is absent."""
    path = EVAL.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"evaluation data not found at {path} (../shared/eval is absent on this machine)")
    return path


@pytest.fixture(scope="session")
def nlp():
    from onrecord.extract import load_pipeline

    return load_pipeline()


@pytest.fixture()
def ledger_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.db'}"


@pytest.fixture(scope="session")
def gdelt_ledger_url(tmp_path_factory, nlp) -> str:
    """A file ledger of 60 real GDELT articles (every 5th of the first 300 of at least 400 characters, dated by their
    file names, so dates spread over weeks), written in batches of 10 through every resolve step. Read-only for the
    tests that share it (a test that changes it works on a copy: ``VACUUM INTO``)."""
    from datetime import date

    from onrecord import resolve
    from onrecord.extract import extract_article
    from onrecord.ingest.structure import parse_plain_text
    from onrecord.ledger import open_ledger

    folder = eval_path("news", "ukraine_war_news_gdelt", "articles")
    names = sorted(p.name for p in folder.glob("*.txt") if p.stat().st_size >= 400)[:300:5]
    url = f"sqlite:///{tmp_path_factory.mktemp('gdelt') / 'ledger.db'}"
    with open_ledger(url) as led:
        for start in range(0, len(names), 10):
            articles = [parse_plain_text((folder / n).read_text(encoding="utf-8"), url=f"gdelt:{n}",
                                         published=date(int(n[:4]), int(n[4:6]), int(n[6:8])))
                        for n in names[start:start + 10]]
            led.write_batch([(a, extract_article(a, nlp)) for a in articles], after=resolve.update)
    return url
