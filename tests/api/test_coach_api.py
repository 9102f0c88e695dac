"""/api/v1/coach and /api/v1/sessions/{id}/assessment."""

from __future__ import annotations

from datetime import timedelta

import pytest

from letdown.api.deps import get_now
from letdown.domain.coach import PlanOptions, build_plan
from letdown.services.schedule import settings as household_settings
from tests.api.conftest import assert_error


@pytest.fixture(autouse=True)
def fixed_clock(app, now):
    async def fixed():
        return now

    app.dependency_overrides[get_now] = fixed
    yield
    app.dependency_overrides.pop(get_now, None)


def test_plan_is_the_domain_plan_as_json(client):
    body = client.get("/api/v1/coach/plan", params={"minutes": 2, "experience": "practised"}).json()
    assert body == build_plan(PlanOptions(minutes=2, experience="practised"))
    assert {"id", "kind", "title", "cue", "duration_s", "transitions", "topics"} <= set(body["steps"][0])


def test_the_plan_options_described_are_the_coachs_own_limits(client):
    from letdown.domain.coach import coach_data, max_minutes

    low, high = coach_data().setting("rhythm_bounds_s")
    press = coach_data().figure("press_s")
    params = client.get("/openapi.json").json()["paths"]["/api/v1/coach/plan"]["get"]["parameters"]
    described = {p["name"]: p["description"] for p in params}
    assert described["minutes"] == f"Expressing time, both sides (1 to {max_minutes()})."
    assert described["rhythm"] == (
        "Seconds each press lasts, and letting go as long: one press every twice that "
        f"(default {press:g}; {low:g} to {high:g})."
    )
    too_long = client.get("/api/v1/coach/plan", params={"minutes": max_minutes() + 1})
    assert too_long.status_code == 422 and f"must be from 1 to {max_minutes()}" in too_long.text


def test_plan_options_are_checked_naming_the_value(client):
    assert_error(
        client.get("/api/v1/coach/plan", params={"minutes": 90}),
        422,
        "minutes: must be from 1 to 40 (about 20 a side is enough when expressing goes well), got 90",
    )
    body = assert_error(client.get("/api/v1/coach/plan", params={"stage": "late"}), 422)
    assert body["errors"][0]["field"] == "stage"


def test_plan_needs_a_token(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as anonymous:
        assert_error(anonymous.get("/api/v1/coach/plan"), 401)


def _coached(now, **overrides):
    body = {
        "options": {"minutes": 1, "experience": "practised"},
        "started_at": (now - timedelta(minutes=10)).isoformat(),
        "events": [
            {"t": 500, "event": "ready"},
            {"t": 10_000, "event": "let-down"},
            {"t": 70_000, "event": "let-down"},
        ],
        "ended_ms": 300_000,
        "left_ml": 20,
        "right_ml": 25,
        "comfort": 9,
    }
    body.update(overrides)
    return body


def test_a_coached_session_is_saved_and_assessed(client, now):
    saved = client.post("/api/v1/coach/sessions", json=_coached(now))
    assert saved.status_code == 201, saved.text
    session = saved.json()
    assert session["method"] == "hand" and len(session["let_downs"]) == 2
    assert session["duration_minutes"] == round(85 / 60, 1)
    assessed = client.get(f"/api/v1/sessions/{session['id']}/assessment")
    assert assessed.status_code == 200
    signs = {s["id"]: s for s in assessed.json()["signs"]}
    assert signs["several-let-downs"]["status"] == "pass"
    assert signs["steady-flow"]["status"] == "pass"
    assert assessed.json()["disclaimer"]


def test_a_coached_session_with_a_bad_event_is_refused(client, now):
    body = _coached(now, events=[{"t": 5, "event": "sneeze"}])
    assert_error(client.post("/api/v1/coach/sessions", json=body), 422, "events: unknown event 'sneeze'")


def test_the_assessment_of_another_households_session_is_not_found(client, other_client, now):
    session = client.post("/api/v1/coach/sessions", json=_coached(now)).json()
    assert_error(
        other_client.get(f"/api/v1/sessions/{session['id']}/assessment"),
        404,
        f"No session with id '{session['id']}'",
    )


def test_a_logged_session_is_assessed_too(client, now):
    created = client.post(
        "/api/v1/sessions",
        json={"started_at": "-30m", "minutes": 15, "method": "pump", "left_ml": 50, "let_downs": ["-29m"]},
    ).json()
    body = client.get(f"/api/v1/sessions/{created['id']}/assessment").json()
    signs = {s["id"]: s["status"] for s in body["signs"]}
    assert signs["steady-flow"] == "unknown" and signs["several-let-downs"] == "attention"


def test_the_antenatal_plan_starts_with_the_check_and_has_a_contractions_end(client):
    body = client.get("/api/v1/coach/plan", params={"stage": "antenatal"}).json()
    assert body == build_plan(PlanOptions(stage="antenatal"))
    assert body["start"] == "check" and body["global"]["contractions"] == "contractions"
    assert body["max_minutes"] == 7
    assert_error(
        client.get("/api/v1/coach/plan", params={"stage": "antenatal", "minutes": 30}),
        422,
        "minutes: must be from 1 to 7 before birth (a whole session of up to about 10 minutes, "
        "warming up included), got 30",
    )


def test_an_antenatal_session_not_agreed_is_refused_and_one_ended_by_contractions_is_saved(client, now):
    options = {"stage": "antenatal", "experience": "practised"}
    refused = _coached(now, options=options, events=[{"t": 3000, "event": "finish"}], ended_ms=None)
    assert_error(
        client.post("/api/v1/coach/sessions", json=refused),
        422,
        "events: the session ended at 'Ask first' before any expressing; nothing to save",
    )
    events = [
        {"t": 1000, "event": "ready"},
        {"t": 2000, "event": "ready"},
        {"t": 90_000, "event": "contractions"},
    ]
    saved = client.post(
        "/api/v1/coach/sessions", json=_coached(now, options=options, events=events, ended_ms=None)
    )
    assert saved.status_code == 201, saved.text
    assert saved.json()["duration_minutes"] == round(90 / 60, 1)


@pytest.mark.parametrize(
    ("mode", "sides", "status", "text"),
    [
        ("exclusive", {"left_ml": 5, "right_ml": 4}, "attention", "Compared because you exclusively express"),
        (
            "exclusive",
            {"left_ml": 50},
            "unknown",
            "50 ml from the left side only. No expected amount applies",
        ),
        ("partly", {"left_ml": 5, "right_ml": 4}, "unknown", "your baby also feeds at the breast"),
        (None, {"left_ml": 5, "right_ml": 4}, "unknown", "letdown does not know how your baby feeds"),
    ],
)
def test_the_assessment_compares_amounts_like_with_like_and_names_the_rule(
    client, db, household, now, mode, sides, status, text
):
    from datetime import date

    from letdown.services.accounts import households

    household_settings.set_feeding_mode(db, household.id, mode, now=now)
    households.add_baby(db, household.id, name="Ada", birth_date=date(2026, 9, 20), due_date=None, now=now)
    created = client.post(
        "/api/v1/sessions", json={"started_at": "-30m", "minutes": 15, "method": "pump", **sides}
    ).json()
    body = client.get(f"/api/v1/sessions/{created['id']}/assessment").json()
    sign = next(s for s in body["signs"] if s["id"] == "expected-amount")
    assert sign["status"] == status and text in sign["finding"]
    if status == "unknown":
        assert (
            "Rule: a session is compared with a baby's per-feed intake only when it stands in for a feed"
            in (sign["finding"])
        )
