"""The ingest runner: idempotent reruns, parallel workers, and a worker that dies."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import ROOT
from onrecord.batch import ingest_paths, runner
from onrecord.errors import ExtractionError
from onrecord.ledger import open_ledger

EXAMPLES = str(ROOT / "examples" / "wikinews.jsonl")


def test_two_workers_store_the_same_as_one_and_rerun_skips(tmp_path: Path) -> None:
    one = open_ledger(f"sqlite:///{tmp_path / 'one.db'}")
    two = open_ledger(f"sqlite:///{tmp_path / 'two.db'}")
    s1 = ingest_paths([EXAMPLES], one, workers=1)
    s2 = ingest_paths([EXAMPLES], two, workers=2)
    assert (s1.ingested, s1.statements) == (s2.ingested, s2.statements) == (25, s1.statements)
    again = ingest_paths([EXAMPLES], two, workers=2)
    assert (again.ingested, again.duplicates, again.statements) == (0, 25, 0)


def _die(chunk: object) -> object:
    os._exit(9)


def test_a_dead_worker_ends_the_run_with_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "_extract_chunk", _die)  # forked workers inherit the patch
    ledger = open_ledger(f"sqlite:///{tmp_path / 'dead.db'}")
    with pytest.raises(ExtractionError, match="worker died"):
        ingest_paths([EXAMPLES], ledger, workers=2)
