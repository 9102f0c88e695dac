"""``/api/v1/report``."""

from __future__ import annotations

from datetime import timedelta

from tests.api.conftest import assert_error
from tests.factories import make_session


def test_report_json(client, db, household, now):
    make_session(
        db,
        household.id,
        now,
        start=(now - timedelta(hours=3)).isoformat(),
        let_downs=[(now - timedelta(hours=3) + timedelta(minutes=2)).isoformat()],
    )
    make_session(db, household.id, now, start=(now - timedelta(hours=1)).isoformat())
    body = client.get("/api/v1/report", params={"from": "2026-11-20", "to": "2026-11-25"}).json()
    assert (body["from"], body["to"], body["days"]) == ("2026-11-20", "2026-11-25", 6)
    assert body["totals"]["sessions"] == 2 and body["totals"]["total_ml"] == 110.0
    assert body["totals"]["longest_gap_minutes"] == 120
    assert body["sides"]["left"] == {"ml": 60.0, "percent": 54.5}
    assert [s["id"] for s in body["assessment"]][:1] == ["let-down-soon"]
    assert {p["location"] for p in body["stash"]["locations"]} == {"room", "fridge", "freezer", "cooler"}


def test_a_bad_range_answers_422(client):
    assert_error(
        client.get("/api/v1/report", params={"from": "2026-11-20", "to": "2026-11-01"}),
        422,
        "to: 2026-11-01 is before the start 2026-11-20",
    )
