"""Schemathesis against the app's own OpenAPI schema, in process (ASGI), over a ledger of real Wikinews articles:
every operation gets a few generated requests (bounded: ``MAX_EXAMPLES`` each), and every answer must conform to
the schema (status codes, content types, response bodies) and never be a 5xx.

The check that every schema-valid request is accepted is left out: some rules cannot be said in OpenAPI (a cursor
must be one the API gave out, ``since`` must not be after ``until``, a posted text must hold an article), and
their 400/422 problems are tested one by one in test_api.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from conftest import ROOT
from onrecord.ingest import read_bytes
from onrecord.ledger import open_ledger
from onrecord.records import Article
from onrecord.serve import create_app

MAX_EXAMPLES = 12
TOKEN = "schemathesis-token"
LINES = (13, 21)  # Opel (a relay, an addressee), Apple UK iTunes (said_on, an expectation)


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory, nlp: Any) -> Iterator[Any]:
    from onrecord.extract import extract_article

    ledger = open_ledger(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}")
    lines = (ROOT / "examples" / "wikinews.jsonl").read_bytes().splitlines()
    items = []
    for n in LINES:
        (article,) = read_bytes(lines[n - 1], f"wikinews.jsonl:{n}", fmt="jsonl")
        assert isinstance(article, Article)
        items.append((article, extract_article(article, nlp)))
    ledger.write_batch(items)
    app = create_app(str(ledger.url), token=TOKEN, max_body=20_000)
    yield schemathesis.openapi.from_asgi("/api/openapi.json", app)
    ledger.close()


def operations() -> list[str]:
    """The operations of the schema ("GET /api/statements", …), read without a ledger for test ids."""
    app = create_app("sqlite://")
    return sorted(f"{method.upper()} {path}" for path, ops in app.openapi()["paths"].items() for method in ops)


@pytest.mark.parametrize("label", operations())
def test_every_operation_conforms_to_its_schema(api_schema: Any, label: str) -> None:
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None, label

    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def conforms(case: Any) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, excluded_checks=[positive_data_acceptance])

    conforms()
