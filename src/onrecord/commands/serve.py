"""``onrecord serve``: the API and the web pages on a local address (uvicorn)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from .. import settings
from ..errors import OnrecordError
from .common import DbOption, err, fail


def serve(
    db: DbOption = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on [setting serve_host; default 127.0.0.1].")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port [setting serve_port; default 8000].")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes (each with its own read cache).")] = 1,
) -> None:
    """Serve the ledger: the REST API under /api and the web pages (Ctrl-C stops)."""
    import uvicorn

    from ..serve import create_app

    try:
        values = settings.load_settings()
        app = create_app(db)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    host = host or str(values["serve_host"])
    port = port or int(values["serve_port"])
    writes = "on" if app.state.api_token else "off (set ONRECORD_API_TOKEN)"
    err.print(f"serving {app.state.ledger.display_url} at http://{host}:{port}/ "
              f"(API: http://{host}:{port}/api/, write endpoints {writes})", highlight=False, markup=False)
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    url = app.state.ledger.url
    app.state.ledger.close()
    if url.get_backend_name() == "sqlite" and (url.database or ":memory:") == ":memory:":
        raise fail("an in-memory ledger cannot be shared by several workers; give --db a file or a server")
    # Worker processes build their own app from the settings: pass them the ledger this one opened (and migrated).
    os.environ["ONRECORD_DB"] = url.render_as_string(hide_password=False)
    uvicorn.run("onrecord.serve.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
