"""Quality regression: re-run each data set's fixed fast subset and compare with the figures recorded in
docs/quality.json by `make quality` (scripts/quality.py); a watched metric more than 0.02 below its record fails.

The subset of each data set (e.g. PolNeAR dev, first 12 documents) is the one recorded with its figures, so the
comparison is like for like. Data sets whose adapter or data is absent on this machine are skipped, with the
reason. Raising a figure never fails: run `make quality` to record the new floor.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, eval_path

RECORD = ROOT / "docs" / "quality.json"
TOLERANCE = 0.02


def _record() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RECORD.read_text(encoding="utf-8"))
    return data


def _flatten(figures: dict[str, Any], prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[f"{prefix}{key}"] = float(value)
    return out


def _names() -> list[str]:
    return sorted(_record()["datasets"]) if RECORD.is_file() else []


def test_record_exists_and_lists_polnear_and_te3() -> None:
    record = _record()
    assert {"polnear", "te3-platinum"} <= set(record["datasets"])
    for name, rec in record["datasets"].items():
        assert rec["watch"], f"{name}: no watched metrics in docs/quality.json"
        assert set(rec["watch"]) <= set(_flatten(rec["subset"])), f"{name}: watched metrics missing from subset"


def test_quality_md_figures_are_the_recorded_ones() -> None:
    """The generated block of docs/quality.md shows the recorded content overlap F1 (never typed by hand)."""
    text = (ROOT / "docs" / "quality.md").read_text(encoding="utf-8")
    block = text.split("<!-- quality:polnear:start -->")[1].split("<!-- quality:polnear:end -->")[0]
    content = _record()["datasets"]["polnear"]["full"]["content"]["overlap"]
    assert " / ".join(f"{content[k]:.3f}" for k in ("p", "r", "f1")) in block


@pytest.mark.parametrize("name", _names())
def test_subset_does_not_fall_below_record(name: str, nlp: Any) -> None:
    from onrecord.evaluate import ADAPTERS

    rec = _record()["datasets"][name]
    module_name = f"onrecord.evaluate.{ADAPTERS[name]}"
    assert importlib.util.find_spec(module_name) is not None, (
        f"docs/quality.json records {name!r} but its adapter {module_name} is gone: restore it or re-run make quality")
    module = importlib.import_module(module_name)
    folder = Path(module.DEFAULT_PATH)
    eval_path(*folder.parts[folder.parts.index("eval") + 1 :])
    kwargs = dict(rec["subset_run"])
    if name == "polnear":
        kwargs["nlp"] = nlp  # the session's pipeline, not a second load
    now = _flatten(module.evaluate(None, **kwargs))
    was = _flatten(rec["subset"])
    drops = [f"{k}: {now.get(k, 0.0):.3f} < recorded {was[k]:.3f} - {TOLERANCE}"
             for k in rec["watch"] if now.get(k, 0.0) < was[k] - TOLERANCE]
    assert not drops, (f"{name} ({rec['subset_run']}) fell more than {TOLERANCE} below docs/quality.json "
                       f"(recorded {rec['date']}, {rec['ruleset']}):\n  " + "\n  ".join(drops))


def test_readme_figures_block_is_rendered_from_the_record() -> None:
    spec = importlib.util.spec_from_file_location("quality_script", ROOT / "scripts" / "quality.py")
    assert spec is not None and spec.loader is not None
    quality = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(quality)
    record = _record()
    block = quality.render_readme_figures(record)
    assert f"| polnear | content overlap F1 (dev) | {record['datasets']['polnear']['full']['content']['overlap']['f1']:.3f} |" \
        in block
    readme = "intro\n<!-- figures:start -->\nold\n<!-- figures:end -->\nrest\n"
    assert quality.replace_block(readme, "<!-- figures:start -->", "<!-- figures:end -->", block) == \
        f"intro\n<!-- figures:start -->\n{block}\n<!-- figures:end -->\nrest\n"
