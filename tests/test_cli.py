"""Every CLI command on real inputs: the bundled Wikinews examples and small files written by the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT, eval_path
from onrecord.cli import app

EXAMPLES = ROOT / "examples"
runner = CliRunner()

BRIEF = (
    "Lukashenko: Oreshnik will be deployed in Belarus in December\n\n"
    "Source: Lukashenko quoted by BelTA\n\n"
    "Details: Belarusian President Alexander Lukashenko said on Friday that the Oreshnik missile system would be "
    "deployed in Belarus in December.\n\n"
    "Quote: \"We will have these weapons here, and nobody will take them from us.\"\n\n"
    "Support Ukrainska Pravda on Patreon!\n"
)


@pytest.fixture()
def brief(tmp_path: Path) -> Path:
    path = tmp_path / "brief.txt"
    path.write_text(BRIEF, encoding="utf-8")
    return path


@pytest.fixture()
def db(tmp_path: Path, brief: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = runner.invoke(app, ["ingest", str(brief), "--db", url, "--published", "2024-12-06", "--outlet", "Ukrainska Pravda"])
    assert result.exit_code == 0, result.output
    return url


def test_extract_jsonl_prints_records_in_the_public_shape(brief: Path) -> None:
    result = runner.invoke(app, ["extract", str(brief), "--published", "2024-12-06", "--outlet", "Ukrainska Pravda"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert records, result.output
    keys = {"id", "article", "speaker", "addressee", "cue", "mode", "kind", "content", "said_on", "setting", "relays",
            "about", "expectation", "section", "span"}
    assert all(set(r) == keys for r in records)
    details = next(r for r in records if r["section"] == "Details")
    assert details["speaker"]["name"] == "Alexander Lukashenko"
    assert details["said_on"]["start"] == "2024-12-06"
    assert [x["outlet"] for x in details["relays"]] == ["BelTA"]
    assert details["expectation"]["due"] == {"start": "2024-12-01", "end": "2024-12-31"} or \
        details["expectation"]["due"]["end"] == "2024-12-31"
    assert not any("Patreon" in r["content"] for r in records)


def test_extract_reads_stdin() -> None:
    result = runner.invoke(app, ["extract", "-", "--published", "2024-12-06"], input=BRIEF)
    assert result.exit_code == 0, result.output
    assert '"cue": "say"' in result.stdout


def test_extract_table_format(brief: Path) -> None:
    result = runner.invoke(app, ["extract", str(brief), "--format", "table"])
    assert result.exit_code == 0
    assert "Lukashenko" in result.stdout and "3 statements" in result.stdout


def test_extract_rejects_bad_date(brief: Path) -> None:
    result = runner.invoke(app, ["extract", str(brief), "--published", "6 Dec"])
    assert result.exit_code == 1
    assert "--published takes a date as YYYY-MM-DD" in result.stderr


def test_ingest_summary_and_rerun_skips_duplicates(tmp_path: Path, brief: Path, db: str) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", db])
    assert result.exit_code == 0, result.output
    assert "ingested 0 articles" in result.stderr
    assert "1 duplicates skipped" in result.stderr
    assert "failed" in result.stderr and "empty.txt" in result.stderr


def test_ingest_exit_code_when_nothing_could_be_read(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    result = runner.invoke(app, ["ingest", str(bad), "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 1
    assert "bad.bin" in result.stderr


def test_statements_filters_and_formats(db: str) -> None:
    result = runner.invoke(app, ["statements", "--db", db, "--relayed-by", "BelTA", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and all("BelTA" in [x["outlet"] for x in r["relays"]] for r in records)
    csv_out = runner.invoke(app, ["statements", "--db", db, "--speaker", "Lukashenko", "--format", "csv"])
    assert csv_out.stdout.splitlines()[0].startswith("id,article_id")
    assert len(csv_out.stdout.splitlines()) >= 2
    none = runner.invoke(app, ["statements", "--db", db, "--search", "Patreon", "--format", "jsonl"])
    assert none.stdout.strip() == ""
    fts = runner.invoke(app, ["statements", "--db", db, "--search", "Oreshnik", "--format", "jsonl"])
    assert fts.stdout.strip()


def test_article_and_stats(db: str) -> None:
    stats = runner.invoke(app, ["stats", "--db", db])
    assert stats.exit_code == 0
    assert "1 articles" in stats.stdout and "BelTA" in stats.stdout
    listing = runner.invoke(app, ["statements", "--db", db, "--format", "jsonl", "--limit", "1"])
    article_id = json.loads(listing.stdout.splitlines()[0])["article"]["id"]
    shown = runner.invoke(app, ["article", article_id[:8], "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "[Details]" in shown.stdout and "▸ Alexander Lukashenko" in shown.stdout
    missing = runner.invoke(app, ["article", "ffffffffff", "--db", db])
    assert missing.exit_code == 1


def test_outlets_lists_the_registry() -> None:
    result = runner.invoke(app, ["outlets", "--search", "belta"])
    assert result.exit_code == 0
    assert "BelTA" in result.stdout and "BY" in result.stdout


def test_ingest_the_demo_corpus(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    result = runner.invoke(app, ["ingest", str(EXAMPLES / "wikinews.jsonl"), "--db", url])
    assert result.exit_code == 0, result.output
    assert "0 failed" in result.stderr
    stats = runner.invoke(app, ["stats", "--db", url])
    assert "Wikinews" in stats.stdout


def test_evaluate_te3_platinum_json() -> None:
    eval_path("temporal_normalization", "te3_platinum")
    result = runner.invoke(app, ["evaluate", "te3-platinum", "--limit", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["documents"] == 2
    assert all(0 <= figures[k][m] <= 1 for k in ("strict", "relaxed", "value") for m in ("p", "r", "f1"))


def test_evaluate_unknown_data_set() -> None:
    result = runner.invoke(app, ["evaluate", "nope"])
    assert result.exit_code == 1
    assert "unknown data set 'nope'" in result.stderr


def test_extract_missing_file_exits_non_zero(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "nope.txt" in result.stderr


def test_markup_in_user_text_is_printed_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "markup.txt"
    path.write_text("Odd [/b] headline\n\nThe minister said that the [/b] tag [red]was[/red] printed.\n", encoding="utf-8")
    table = runner.invoke(app, ["extract", str(path), "--format", "table"])
    assert table.exit_code == 0, table.output
    assert "[/b]" in table.stdout
    bad_date = runner.invoke(app, ["extract", str(path), "--published", "[/x]"])
    assert bad_date.exit_code == 1 and "[/x]" in bad_date.stderr
