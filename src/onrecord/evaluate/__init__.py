"""Adapters for the public evaluation data sets in ../shared/eval and their metrics.

``run(name, ...)`` dispatches to an adapter module; every adapter module has
``evaluate(path, *, split, limit) -> dict`` returning a plain dict of figures (a data set without splits ignores
``split``).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from ..errors import OnrecordError

#: data set name → adapter module under ``onrecord.evaluate``.
ADAPTERS = {
    "polnear": "polnear",                    # quotes: cue / source / content spans, speaker accuracy
    "te3-platinum": "te3",                   # time expressions: detection and normalisation
    "ecbplus": "ecbplus",                    # storylines: document clustering (sub-topic and topic)
    "ecbplus-entities": "ecbplus_entities",  # entity resolution: cross-document HUMAN_PART chains, B³
    "semeval-timeline": "semeval_timeline",  # entity timelines: (date, event) pairs per target entity
    "background": "background",              # drafted background against human background paragraphs, ROUGE
}
DATASETS = tuple(ADAPTERS)


def run(name: str, *, path: str | Path | None = None, split: str = "dev", limit: int | None = None,
        **options: Any) -> dict[str, Any]:
    """Evaluate onrecord on data set ``name`` (see ``DATASETS``); ``options`` go to the adapter (``workers``)."""
    if name not in ADAPTERS:
        raise OnrecordError(f"unknown data set {name!r}; choose one of: {', '.join(DATASETS)}")
    module = importlib.import_module(f"{__name__}.{ADAPTERS[name]}")
    result: dict[str, Any] = module.evaluate(path, split=split, limit=limit, **options)
    return result


__all__ = ["ADAPTERS", "DATASETS", "run"]
