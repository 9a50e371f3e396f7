"""The queries that keep the incremental resolve steps independent of ledger size (migration m012_update_indexes,
``scripts/bench_incremental.py``) give exactly what the queries they replaced gave, on a ledger of real GDELT
articles written through ``resolve.update``: shared articles of two entities, the later statements of an
expectation's actor, the stored denials near a claim; and they read the indexes they were written for."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from onrecord.ledger import open_ledger, schema
from onrecord.resolve import disputes as D
from onrecord.resolve import entities as N
from onrecord.resolve import expectations as E


@pytest.fixture(scope="module")
def gdelt_url(gdelt_ledger_url: str) -> str:
    """The shared ledger of 60 real GDELT articles written through ``resolve.update`` (tests/conftest.py)."""
    return gdelt_ledger_url


def _plan(conn: sa.Connection, query: sa.Select) -> str:
    sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    return " | ".join(row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))


# --- entities: shared articles ---------------------------------------------------------------------------------
def _intersection(conn: sa.Connection, a: str, b: str, limit: int) -> list[str]:
    """The query ``shared_articles`` ran before m012: the intersection of both entities' articles."""
    am = schema.article_mentions
    first = sa.select(am.c.article_id).where(am.c.entity_id == a)
    second = sa.select(am.c.article_id).where(am.c.entity_id == b)
    return sorted(conn.execute(sa.intersect(first, second).limit(limit)).scalars())


@pytest.mark.parametrize("limit", [5, 1])
def test_shared_articles_equal_the_intersection(gdelt_url: str, limit: int) -> None:
    """Every pair of the 30 most mentioned entities and 30 mentioned once, in both orders."""
    am = schema.article_mentions
    with open_ledger(gdelt_url) as led, led.engine.connect() as conn:
        counts = sa.select(am.c.entity_id, sa.func.count().label("n")).group_by(am.c.entity_id)
        ranked = [e for e, _ in conn.execute(counts.order_by(sa.desc("n"), am.c.entity_id))]
        entities = ranked[:30] + ranked[-30:]
        shared = 0
        for a, b in itertools.permutations(entities, 2):
            found = N.shared_articles(conn, a, b, limit)
            assert found == _intersection(conn, a, b, limit)
            shared += len(found) == limit
    assert shared >= 100  # pairs cut by the limit


def test_shared_articles_walk_one_entity_and_check_the_other_by_key(gdelt_url: str) -> None:
    am, other = schema.article_mentions, schema.article_mentions.alias("other")
    both = sa.select(other.c.article_id).where(other.c.entity_id == "b", other.c.article_id == am.c.article_id)
    query = sa.select(am.c.article_id).where(am.c.entity_id == "a", both.exists()).distinct().order_by(am.c.article_id)
    with open_ledger(gdelt_url) as led, led.engine.connect() as conn:
        plan = _plan(conn, query.limit(5))
    assert plan.count("ix_article_mentions_entity_id_article_id") == 2 and "TEMP B-TREE" not in plan


# --- expectations: later statements ----------------------------------------------------------------------------
@pytest.mark.parametrize("cap", [E.CANDIDATES, 3])
def test_later_statements_equal_the_one_query(gdelt_url: str, cap: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """For every dated statement with an actor (as if it set an expectation): the same later statements in the
    same order as the query they replaced (both of its plans), by either plan of the "about" stream; with the
    ledger's cap and with a cap of 3 that cuts the lists of the busy actors."""
    monkeypatch.setattr(E, "CANDIDATES", cap)
    with open_ledger(gdelt_url) as led, led.engine.connect() as conn:
        articles = list(conn.execute(sa.select(schema.articles.c.id)).scalars())
        statements = E._statement_rows(conn, articles)
        about = E._about_map(conn, [st["id"] for st in statements])
        families = E._Families(conn)
        compared = cut = 0
        for st in statements:
            family = families.family(about.get(st["id"], set()) | ({st["speaker_entity_id"]} - {None}))
            if not family:
                continue
            day, article = st["evidence_on"], st["article_id"]
            old = list(conn.execute(E._later_query(family, day, article, by_date=False)).scalars())
            assert old == list(conn.execute(E._later_query(family, day, article, by_date=True)).scalars())
            assert E._later_ids(conn, family, day, article, False) == old
            assert E._later_ids(conn, family, day, article, True) == old
            compared += bool(old)
            cut += len(old) == cap
    assert compared >= 100
    assert cut >= 20 if cap == 3 else cut == 0


def test_later_statements_about_an_actor_read_their_dates_from_an_index(gdelt_url: str) -> None:
    s, sa_ = schema.statements, schema.statement_about
    query = (sa.select(E.STATED_ON, s.c.id)
             .where(s.c.id.in_(sa.select(sa_.c.statement_id).where(sa_.c.entity_id.in_(["a", "b"]))),
                    E.STATED_ON > date(2024, 1, 1)).order_by(E.STATED_ON, s.c.id.desc()).limit(E.CANDIDATES))
    by_speaker = (sa.select(E.STATED_ON, s.c.id).where(s.c.speaker_entity_id == "a", E.STATED_ON > date(2024, 1, 1))
                  .order_by(E.STATED_ON, s.c.id.desc()).limit(E.CANDIDATES))
    with open_ledger(gdelt_url) as led, led.engine.connect() as conn:
        assert "COVERING INDEX ix_statements_id_placed_on" in _plan(conn, query)
        assert _plan(conn, by_speaker) == ("SEARCH statements USING COVERING INDEX "
                                           "ix_statements_speaker_entity_id_placed_on (speaker_entity_id=? AND placed_on>?)")


# --- disputes: denials near a claim ----------------------------------------------------------------------------
def _denials_in(conn: sa.Connection, low: date, high: date) -> dict[str, date]:
    """The query ``_denials_near`` ran before m012 over one window: denials by cue or kind, through the date index."""
    s = schema.statements
    query = (sa.select(s.c.id, D.WHEN).where(D.WHEN.between(low, high), s.c.speaker_name.is_not(None),
                                             sa.or_(s.c.kind == "denial",
                                                    s.c.cue.in_(sorted(D.DENY_CUES | D.REJECT_CUES)))))
    return {sid: D._day(on) for sid, on in conn.execute(query)}


def test_denials_near_each_claim_are_those_of_the_old_window_it_can_link(gdelt_url: str) -> None:
    """Per article: the old query read one window from the first claim's day to the last one's (± 14 days) for all
    claims; each claim now gets exactly the denials of that window within its own 14 days (``compare`` links no
    other: a claim link needs the two within ``WINDOWS["claim"]`` days)."""
    s, window = schema.statements, timedelta(days=D.WINDOWS["claim"])
    with open_ledger(gdelt_url) as led, led.engine.connect() as conn:
        articles = list(conn.execute(sa.select(schema.articles.c.id)).scalars())
        claims = kept = 0
        for article in articles:
            infos = list(D.load(conn, list(conn.execute(sa.select(s.c.id).where(s.c.article_id == article))
                                           .scalars())).values())
            days = sorted(i.on for i in infos if D._is_claim(i) and i.on is not None)
            near = D._denials_near(conn, infos)
            if not days:
                assert near == {}
                continue
            old = _denials_in(conn, days[0] - window, days[-1] + window)
            for info in infos:
                if D._is_claim(info):
                    assert info.on is not None
                    assert near[info.id] == {d for d, on in old.items() if abs((on - info.on).days) <= window.days}
                    claims += 1
                    kept += len(near[info.id])
    assert claims >= 200 and kept >= 50


def test_denials_are_read_from_their_partial_index(gdelt_url: str) -> None:
    s = schema.statements
    query = sa.select(s.c.id, D.WHEN).where(D.WHEN.between(date(2022, 1, 1), date(2022, 2, 1)),
                                           s.c.speaker_name.is_not(None), D.IS_DENIAL)
    with open_ledger(gdelt_url) as led, led.engine.connect() as conn:
        assert _plan(conn, query) == ("SEARCH statements USING INDEX ix_statements_denials_placed_on "
                                      "(placed_on>? AND placed_on<?)")


def _about_candidates_before(conn: sa.Connection, info: D.Info, kinds: tuple[str, ...]) -> set[str]:
    """``_about_candidates`` before: the whole claim window read, then kind and entity checked here."""
    entities = D._entities_of(conn, set(info.about))
    if not entities:
        return set()
    s = schema.statements
    rows = [r for r in D._window(conn, info, D.WINDOWS["claim"], s.c.speaker_name.is_not(None)) if r.kind in kinds]
    found = {r.id for r in rows if r.speaker_entity_id in set(entities)}
    return found | D._about_any(conn, [r.id for r in rows], entities)


def test_claims_sharing_an_entity_with_a_denial_equal_the_window_filtered_in_python(gdelt_url: str) -> None:
    """For every dated statement of the ledger (as if it were a denial): the same claims as before."""
    s = schema.statements
    with open_ledger(gdelt_url) as led, led.engine.connect() as conn:
        infos = D.load(conn, list(conn.execute(sa.select(s.c.id)).scalars()))
        compared = found = 0
        for info in infos.values():
            if info.on is None:
                continue
            new = D._about_candidates(conn, info, D.CLAIM_KINDS)
            assert new == _about_candidates_before(conn, info, D.CLAIM_KINDS)
            compared += bool(new)
            found += len(new)
    assert compared >= 300 and found >= 3000


# --- expectations: the text gates ------------------------------------------------------------------------------
def _past_form_by_words(text: str) -> bool:
    """The first test of ``has_verdict_phrase`` before: a loop over the words."""
    return any(E._is_past_form(m.group()) for m in E._WORD.finditer(text))


@pytest.mark.parametrize("text", ["They held talks", "the court upheld it", "'Held", "-MET", "x-held", "It's set",
                                  "we need", "took-", "a-took", "’-took.", "İheld", "\u212aed", "ſent"])
def test_past_form_pattern_equals_the_word_loop_on_edge_cases(text: str) -> None:
    assert E._has_past_form(text) == _past_form_by_words(text)


def test_past_form_pattern_equals_the_word_loop_on_real_statements(gdelt_url: str) -> None:
    s = schema.statements
    with open_ledger(gdelt_url) as led, led.engine.connect() as conn:
        texts = list(conn.execute(sa.select(s.c.content)).scalars())
    found = [E._has_past_form(t) for t in texts]
    assert found == [_past_form_by_words(t) for t in texts]
    assert 100 <= sum(found) < len(found)


# --- disputes: is a pair linked already ------------------------------------------------------------------------
def test_a_pair_is_looked_up_by_its_statements_not_by_every_dispute_of_the_slot(gdelt_url: str) -> None:
    from onrecord.resolve import dispute_store as S

    slot = (S.d.c.slot + "") == "claim"
    known = (sa.select(S.links.c.dispute_id).join(S.d, S.d.c.id == S.links.c.dispute_id)
             .where(slot, S.links.c.statement_a == "a", S.links.c.statement_b == "b",
                    S.links.c.dispute_id.in_(sa.select(S.acc.c.dispute_id).where(S.acc.c.statement_id == "a"))))
    existing = (sa.select(S.acc.c.dispute_id).join(S.d, S.d.c.id == S.acc.c.dispute_id)
                .where(slot, S.acc.c.statement_id.in_(["a", "b"])))
    with open_ledger(gdelt_url) as led, led.engine.connect() as conn:
        plan = _plan(conn, known)
        assert "ix_dispute_accounts_statement_id" in plan and "ix_disputes_slot" not in plan, plan
        assert _plan(conn, existing).startswith("SEARCH dispute_accounts USING INDEX ix_dispute_accounts_statement_id")
