"""Adapters for the public evaluation data sets in ../shared/eval and their metrics.

``run(name, ...)`` dispatches to an adapter; every adapter returns a plain dict of figures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import OnrecordError

DATASETS = ("polnear", "te3-platinum")


def run(name: str, *, path: str | Path | None = None, split: str = "dev", limit: int | None = None) -> dict[str, Any]:
    """Evaluate onrecord on data set ``name`` (see ``DATASETS``)."""
    adapters: dict[str, Callable[[], dict[str, Any]]] = {
        "polnear": lambda: _polnear(path, split, limit),
        "te3-platinum": lambda: _te3(path, limit),
    }
    if name not in adapters:
        raise OnrecordError(f"unknown data set {name!r}; choose one of: {', '.join(DATASETS)}")
    return adapters[name]()


def _polnear(path: str | Path | None, split: str, limit: int | None) -> dict[str, Any]:
    from . import polnear

    return polnear.evaluate(path, split=split, limit=limit)


def _te3(path: str | Path | None, limit: int | None) -> dict[str, Any]:
    from . import te3

    return te3.evaluate(path, limit=limit)


__all__ = ["DATASETS", "run"]
