"""The report use case on a real database."""

from __future__ import annotations

from datetime import timedelta

from letdown.services.portability import demo, report
from letdown.services.stash import containers as stash
from tests.factories import make_session


def test_the_report_counts_sessions_signs_and_the_stash(db, household, now):
    make_session(
        db, household.id, now, start=(now - timedelta(hours=5)).isoformat(), method="hand", comfort=9
    )
    make_session(db, household.id, now, start=(now - timedelta(hours=2)).isoformat(), method="pump")
    stash.add(
        db,
        household.id,
        ml=80,
        expressed_at=(now - timedelta(hours=1)).isoformat(),
        location="fridge",
        now=now,
    )

    bundle = report.build(db, household.id, now=now, start="2026-11-25", end="2026-11-25")

    r = bundle.report
    assert (r.sessions, r.total_ml, r.longest_gap_minutes) == (2, 110.0, 180)
    assert [m.method for m in r.methods] == ["hand", "pump"]
    assert bundle.signs is not None and all(s.passed + s.attention + s.unknown == 2 for s in bundle.signs)
    fridge = next(p for p in bundle.stash.places if p.location.value == "fridge")
    assert (fridge.containers, fridge.ml) == (1, 80)
    assert bundle.as_json()["disclaimer"].startswith("letdown informs; it does not diagnose.")


def test_the_default_range_is_the_last_14_days(db, household, now):
    bundle = report.build(db, household.id, now=now)
    assert (bundle.report.start.isoformat(), bundle.report.end.isoformat()) == ("2026-11-12", "2026-11-25")


def test_the_report_takes_the_same_number_of_queries_whatever_the_data(db, household, now, count_queries):
    start = count_queries.count
    report.build(db, household.id, now=now)
    empty = count_queries.count - start
    demo.seed(db, household.id, now=now)
    db.expire_all()
    start = count_queries.count
    report.build(db, household.id, now=now)
    assert count_queries.count - start <= empty + 1  # + the coach runs of the sessions found
