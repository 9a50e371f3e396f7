"""Serving the ledger: the FastAPI app (``create_app``), its ``/api`` routers, the HTML pages and static assets.

>>> from onrecord.serve import create_app
>>> app = create_app("sqlite:///onrecord.db")   # then: uvicorn.run(app), or `onrecord serve`
"""

from .app import create_app

__all__ = ["create_app"]
