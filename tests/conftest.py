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
