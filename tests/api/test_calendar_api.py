"""The iCalendar feed and /api/v1/due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from letdown.api.deps import get_now
from letdown.services.schedule import calendar
from letdown.services.stash import containers as stash
from tests.factories import make_session


@pytest.fixture(autouse=True)
def fixed_clock(app, now):
    """The API's clock at the tests' ``now`` (sessions and milk are made at that time)."""

    async def fixed():
        return now

    app.dependency_overrides[get_now] = fixed


def test_the_feed_lists_sessions_due_and_deadlines_with_alarms(client, db, household, now):
    make_session(db, household.id, now, start=(now - timedelta(hours=1)).isoformat())
    stash.add(
        db,
        household.id,
        ml=90,
        expressed_at=(now - timedelta(days=3, hours=12)).isoformat(),
        location="fridge",
        now=now,
        label="Tue",
    )
    token, _ = calendar.create(db, household.id, name="phone", now=now)

    response = client.get(f"/calendar/{token}.ics", headers={"Authorization": ""})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    summaries = [str(e["SUMMARY"]) for e in events]
    assert "Expression session due" in summaries
    assert any(s.startswith("Use by: container ") and "(Tue), 90 ml in the fridge" in s for s in summaries)
    assert all(len(list(e.walk("VALARM"))) == 1 for e in events)


def test_a_revoked_feed_answers_404(client, db, household, now):
    token, view = calendar.create(db, household.id, name="phone", now=now)
    calendar.revoke(db, household.id, view.id, now=now)
    # Outside /api/v1 the web app may answer errors as a page: only the status matters here.
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get("/calendar/cal_nothing_here.ics").status_code == 404


def test_due_api(client):
    body = client.get("/api/v1/due").json()
    assert body["interval_minutes"] == 180 and body["night_gap_minutes"] == 300
    assert body["today"]["sessions"] == 0


@pytest.mark.parametrize(
    ("mode", "interval", "targets", "met"),
    [(None, 180, False, None), ("exclusive", 180, True, False), ("partly", None, False, None)],
)
def test_due_api_says_which_feeding_rule_decided(client, db, household, now, mode, interval, targets, met):
    from letdown.services.schedule import settings as household_settings

    household_settings.set_feeding_mode(db, household.id, mode, now=now)
    body = client.get("/api/v1/due").json()
    assert body["interval_minutes"] == interval and body["targets_apply"] is targets
    assert body["today"]["met"] is met and body["today"]["targets_apply"] is targets
    assert body["rule"]["feeding_mode"] == mode and body["rule"]["source"] == "nhs-expressing"
    assert body["note"].endswith("[nhs-expressing]")
    assert body["note"].startswith("Target" if targets else "For information, not a target")
    if interval is None:
        assert body["next_due_at"] is None and body["upcoming"] == []


def test_an_overdue_session_keeps_its_uid_while_its_time_moves(db, household, now):
    make_session(db, household.id, now, start=(now - timedelta(hours=5)).isoformat())

    def uids(at):
        cal = Calendar.from_ical(calendar.ics(db, household.id, now=at))
        return {str(e["UID"]): e.decoded("DTSTART") for e in cal.walk("VEVENT") if "due" in str(e["UID"])}

    first, later = uids(now), uids(now + timedelta(minutes=40))
    shared = sorted(set(first) & set(later))
    assert len(shared) >= 8
    moved = [u for u in shared if first[u] != later[u]]
    assert moved  # the sessions after an overdue one move with the clock, under the same UID
