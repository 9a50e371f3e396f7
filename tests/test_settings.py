"""Settings: defaults, user file, environment, and documentation of every setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from onrecord import settings
from onrecord.errors import ConfigError


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ONRECORD_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.delenv("ONRECORD_DB", raising=False)
    assert settings.get("db") == "sqlite:///onrecord.db"


def test_user_file_then_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cfg = tmp_path / "settings.toml"
    cfg.write_text('db = "sqlite:///from-file.db"\nbatch_size = 7\n', encoding="utf-8")
    monkeypatch.setenv("ONRECORD_CONFIG", str(cfg))
    monkeypatch.delenv("ONRECORD_DB", raising=False)
    assert settings.get("db") == "sqlite:///from-file.db"
    assert settings.get("batch_size") == 7
    monkeypatch.setenv("ONRECORD_DB", "sqlite:///from-env.db")
    assert settings.get("db") == "sqlite:///from-env.db"


def test_bad_user_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cfg = tmp_path / "settings.toml"
    cfg.write_text("colour = 'blue'\n", encoding="utf-8")
    monkeypatch.setenv("ONRECORD_CONFIG", str(cfg))
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        settings.load_settings()
    monkeypatch.setenv("ONRECORD_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("ONRECORD_BATCH_SIZE", "many")
    with pytest.raises(ConfigError, match="needs a whole number"):
        settings.load_settings()


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for s in settings.SETTINGS:
        assert f"`{s.name}`" in doc and f"ONRECORD_{s.name.upper()}" in doc, s.name


def test_every_command_is_documented() -> None:
    from onrecord.cli import app

    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        assert f"## onrecord {name}" in doc, name
