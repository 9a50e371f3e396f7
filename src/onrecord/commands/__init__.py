"""CLI command groups beyond the spine's, one module per part (entities, stories, disputes, serve, …).

Every module here that defines ``register(app)`` is found and registered by ``onrecord.cli`` at import time, so a
new part adds its commands without editing ``cli.py``. Shared options and rendering live in ``common``.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer


def register_all(app: typer.Typer) -> None:
    """Register the commands of every module of this package that has a ``register(app)`` function, by name order."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name == "common":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(app)
