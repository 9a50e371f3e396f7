"""What keeps the incremental resolve steps cheap on a large ledger (scripts/bench_incremental.py): migrations
m008_resolve_indexes and m010_expectation_actors, the query plans of the disputes and expectations steps, and the
expectations step's text gate."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.dialects import sqlite

from onrecord.ledger import Ledger, open_ledger, schema, store
from onrecord.resolve import disputes as D
from onrecord.resolve import expectations as E


@pytest.fixture()
def ledger(tmp_path) -> Ledger:
    led = open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    yield led
    led.close()


def _applied(ledger: Ledger) -> set[str]:
    """Every revision the ledger has run: the ones in ``alembic_version`` and their ancestors."""
    with ledger.engine.connect() as conn:
        heads = list(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
    cfg = Config()
    cfg.set_main_option("script_location", str(store.HERE / "migrations"))
    return {rev.revision for rev in ScriptDirectory.from_config(cfg).iterate_revisions(heads, "base")}


def _plan(ledger: Ledger, query: sa.Select) -> list[str]:
    sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with ledger.engine.connect() as conn:
        return [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]


@pytest.mark.parametrize(("table", "name", "columns"), [
    (schema.statement_slots, "ix_statement_slots_statement_id_slot", ["statement_id", "slot"]),
    (schema.statement_about, "ix_statement_about_entity_id_statement_id", ["entity_id", "statement_id"]),
    (schema.expectations, "ix_expectations_stated_on_id", ["stated_on", "id"]),
    (schema.expectation_actors, "ix_expectation_actors_entity_id_stated_on_expectation_id",
     ["entity_id", "stated_on", "expectation_id"]),
])
def test_m008_m010_create_the_indexes_the_schema_module_names(ledger: Ledger, table: sa.Table, name: str,
                                                              columns: list[str]) -> None:
    with ledger.engine.connect() as conn:
        indexes = {i["name"]: i["column_names"] for i in sa.inspect(conn).get_indexes(table.name)}
    assert indexes[name] == columns
    assert {"m008_resolve_indexes", "m010_expectation_actors"} <= _applied(ledger)
    assert name in {i.name for i in table.indexes}


def test_earlier_expectations_of_an_entity_are_one_index_range_newest_first(ledger: Ledger) -> None:
    """An entity's earlier expectations are read newest first from ``expectation_actors``' index, which stops at
    the candidate limit: no sort, no pass over the statements by or about the actor, whatever their number."""
    plan = _plan(ledger, E._newest_query("e1", date(2024, 1, 1), E.CANDIDATES))
    assert plan == ["SEARCH expectation_actors USING COVERING INDEX "
                    "ix_expectation_actors_entity_id_stated_on_expectation_id (entity_id=? AND stated_on<?)"]


def test_later_statements_of_a_busy_actor_follow_the_date_index(ledger: Ledger) -> None:
    """For an actor with many statements, later statements are read in date order from the index and each is
    checked by key, stopping at the candidate limit: no sort of every statement about the actor."""
    s = schema.statements
    query = (sa.select(s.c.id).where(E._sharing(["e1"], by_date=True), E.STATED_ON > date(2024, 1, 1))
             .order_by(E.STATED_ON, s.c.id.desc()).limit(E.CANDIDATES))
    plan = " | ".join(_plan(ledger, query))
    assert "ix_statements_placed_on_id" in plan and "ix_statement_about_entity_id_statement_id" in plan
    assert "TEMP B-TREE" not in plan and "MULTI-INDEX OR" not in plan


def test_dispute_candidates_start_from_the_date_window(ledger: Ledger) -> None:
    """The window of a statement is read through the date index, and the slot check is a key look-up: never all
    the statements of a slot or of an entity, whose number grows with the ledger."""
    info = D.Info("s1", "a1", "Vladimir Putin", "p", date(2024, 11, 21), "assertion", "say", "c", 0)
    s = schema.statements
    query = (sa.select(s.c.id).where(D._in_window(info, D.WINDOWS["weapon"]), s.c.id != info.id,
                                     D._has_slot("weapon")))
    plan = " | ".join(_plan(ledger, query))
    assert "ix_statements_placed_on_id" in plan
    assert "ix_statement_slots_statement_id_slot" in plan
    assert "ix_statement_slots_slot " not in plan and "SCAN statements" not in plan


PLEDGE = {"what": "Oreshnik missiles will be deployed in Belarus in the second half of 2025",
          "due_text": "in the second half of 2025", "due_end": date(2025, 12, 31)}


@pytest.mark.parametrize(("content", "verdict"), [
    ("the Oreshnik missile system has been deployed in Belarus and is on combat duty", "fulfilled"),
    ("the deployment of Oreshnik missiles in Belarus has been postponed", "unfulfilled"),
    ("the talks in Istanbul ended without an agreement on prisoners", None),
    ("Belarus held elections in January", None),
])
def test_the_text_gate_never_drops_a_statement_judge_would_link(content: str, verdict: str | None) -> None:
    evidence = {"content": content, "kind": "assertion", "evidence_on": date(2025, 12, 18)}
    found = E.judge(PLEDGE, evidence, same_actor=False, about=["Belarus", "Oreshnik"])
    assert (found.verdict if found else None) == verdict
    assert E.may_judge(PLEDGE["what"], PLEDGE["due_text"], content) is (verdict is not None)

