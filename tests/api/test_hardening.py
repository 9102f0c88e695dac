"""Hostile input on the API (issue #13): each answers 4xx in the one JSON error shape and
changes nothing; a database lock held too long is 503 with Retry-After."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from letdown.api.app import create_app
from letdown.services.accounts import tokens
from letdown.store import db as store_db
from letdown.store.db import Store
from tests.api.conftest import assert_error

WINDOW = "(from 1900-01-01 to 2199-12-31)"


def iso(delta_minutes: float) -> str:
    return (datetime.now(UTC) + timedelta(minutes=delta_minutes)).isoformat()


def body(**overrides):
    data = {"started_at": iso(-40), "minutes": 20, "method": "hand", "left_ml": 30}
    data.update(overrides)
    return data


def raw_post(client, path: str, text: str):
    return client.post(path, content=text.encode(), headers={"Content-Type": "application/json"})


def count(client) -> int:
    return len(client.get("/api/v1/sessions").json())


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('"minutes": 1e12', "minutes"),
        ('"minutes": NaN', "minutes"),
        ('"minutes": Infinity', "minutes"),
        ('"minutes": 1e400', "minutes"),
        ('"left_ml": -Infinity', "left_ml"),
        ('"left_ml": NaN', "left_ml"),
    ],
)
def test_unbounded_or_non_finite_numbers_are_422(client, text, field):
    start = iso(-40)
    response = raw_post(client, "/api/v1/sessions", f'{{"started_at": "{start}", "method": "hand", {text}}}')
    found = assert_error(response, 422)
    assert found["errors"][0]["field"] == field
    assert count(client) == 0


def test_minutes_over_twelve_hours_name_the_limit(client):
    response = client.post("/api/v1/sessions", json=body(minutes=1e12))
    assert_error(
        response,
        422,
        "minutes: a session of 1e+12 minutes is longer than 720 minutes (12 hours); check the value",
    )


def test_a_volume_that_rounds_to_zero_is_kept_as_zero(client):
    created = client.post("/api/v1/sessions", json=body(left_ml=0.01, right_ml=5e-324))
    assert created.status_code == 201
    assert (created.json()["left_ml"], created.json()["right_ml"]) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"started_at": "0001-01-01T00:00"},
            f"started_at: 0001-01-01 is outside the dates letdown accepts {WINDOW}",
        ),
        (
            {"started_at": "9999-12-31T23:30"},
            f"started_at: 9999-12-31 is outside the dates letdown accepts {WINDOW}",
        ),
        (
            {"started_at": "-99999999d"},
            f"started_at: '-99999999d' is outside the dates letdown accepts {WINDOW}",
        ),
        (
            {"let_downs": ["0001-01-01T00:00"]},
            f"let_downs: 0001-01-01 is outside the dates letdown accepts {WINDOW}",
        ),
    ],
)
def test_times_outside_the_window_are_422(client, overrides, message):
    assert_error(client.post("/api/v1/sessions", json=body(**overrides)), 422, message)
    assert count(client) == 0


def test_list_since_the_end_of_the_calendar_is_422(client):
    assert_error(
        client.get("/api/v1/sessions", params={"since": "-99999999d"}),
        422,
        f"since: '-99999999d' is outside the dates letdown accepts {WINDOW}",
    )


@pytest.mark.parametrize(
    ("start", "end"), [("0001-01-01", "0001-01-05"), (None, "0001-01-02"), ("9999-12-20", None)]
)
def test_report_ranges_at_the_ends_of_the_calendar_are_422(client, start, end):
    params = {k: v for k, v in (("from", start), ("to", end)) if v}
    found = assert_error(client.get("/api/v1/report", params=params), 422)
    assert "is outside the dates letdown accepts" in found["error"]


@pytest.mark.parametrize(
    ("escaped", "problem"),
    [
        ("\\u0000", "contains a NUL character (\\0), which cannot be stored"),
        ("\\ud800", "contains an invalid character (a lone UTF-16 surrogate); check the text's encoding"),
    ],
)
def test_a_note_with_nul_or_a_lone_surrogate_is_422(client, escaped, problem):
    text = json.dumps(body(note="PLACEHOLDER")).replace("PLACEHOLDER", f"a{escaped}b")
    assert_error(raw_post(client, "/api/v1/sessions", text), 422, f"note: {problem}")
    assert count(client) == 0


def test_nul_in_a_patch_is_422_and_keeps_the_note(client):
    s = client.post("/api/v1/sessions", json=body(note="kept")).json()
    response = client.patch(
        f"/api/v1/sessions/{s['id']}",
        content=b'{"note": "x\\u0000"}',
        headers={"Content-Type": "application/json"},
    )
    assert_error(response, 422, "note: contains a NUL character (\\0), which cannot be stored")
    assert client.get(f"/api/v1/sessions/{s['id']}").json()["note"] == "kept"


def test_nul_in_the_path_or_query_is_4xx_not_500(client):
    assert_error(client.get("/api/v1/sessions/ab%00cd"), 404)
    found = assert_error(client.get("/api/v1/sessions?since=%00"), 422)
    assert found["errors"] == [
        {"field": "query", "message": "contains a NUL character (\\0), which cannot be stored"}
    ]


def test_a_time_the_clocks_skip_is_refused_naming_both_readings(client):
    # The household is in Europe/London: 01:30 on 29 March 2026 does not exist.
    assert_error(
        client.post("/api/v1/sessions", json=body(started_at="2026-03-29T01:30")),
        422,
        "started_at: 2026-03-29 01:30 does not exist in Europe/London (the clocks go forward): it reads as "
        "2026-03-29T00:30+00:00 or 2026-03-29T02:30+01:00; give one of those",
    )


def test_an_ambiguous_time_is_refused_and_its_offset_chooses(client):
    assert_error(
        client.post("/api/v1/sessions", json=body(started_at="2026-10-25T01:30")),
        422,
        "started_at: 2026-10-25 01:30 happens twice in Europe/London (the clocks go back): give the offset, "
        "2026-10-25T01:30+01:00 for the first time or 2026-10-25T01:30+00:00 for the second",
    )
    second = client.post("/api/v1/sessions", json=body(started_at="2026-10-25T01:30+00:00"))
    assert second.status_code == 201 and second.json()["started_at"] == "2026-10-25T01:30:00+00:00"


def test_a_body_over_the_limit_is_413_before_it_is_read(client):
    big = json.dumps(body(note="x" * (1024 * 1024)))
    found = assert_error(raw_post(client, "/api/v1/sessions", big), 413)
    assert found["error"] == "body: is larger than 1 MB, the most this address takes"

    def chunks():  # no Content-Length: counted as it streams
        for _ in range(40):
            yield b" " * 65536

    streamed = client.post("/api/v1/sessions", content=chunks(), headers={"Content-Type": "application/json"})
    assert_error(streamed, 413, "body: is larger than 1 MB, the most this address takes")
    assert count(client) == 0


def test_deep_json_is_422_naming_the_depth(client):
    deep = '{"note": ' + "[" * 5000 + "]" * 5000 + "}"
    found = assert_error(raw_post(client, "/api/v1/sessions", deep), 422)
    assert found["error"] == "body: is nested more than 32 levels deep"
    assert count(client) == 0


def test_an_import_over_its_limit_is_413_and_deep_nesting_is_refused(client):
    over = b"{" + b" " * (32 * 1024 * 1024) + b"}"
    assert_error(
        client.post("/api/v1/import", content=over, headers={"Content-Type": "application/json"}),
        413,
        "body: is larger than 32 MB, the most this address takes",
    )
    deep = b"[" * 100000 + b"]" * 100000
    found = assert_error(client.post("/api/v1/import", content=deep), 409)
    assert "nested more than 32 levels deep" in found["error"]


def test_an_import_with_non_finite_numbers_or_nul_text_is_refused(client, other_client):
    s = client.post("/api/v1/sessions", json=body()).json()
    exported = client.get("/api/v1/export").text
    assert s["id"] in exported
    hostile = exported.replace('"left_ml": 30.0', '"left_ml": NaN')
    found = assert_error(other_client.post("/api/v1/import", content=hostile.encode()), 409)
    assert "left_ml" in found["error"] and "finite" in found["error"]
    nul = exported.replace('"method": "hand"', '"method": "hand\\u0000"')
    found = assert_error(other_client.post("/api/v1/import", content=nul.encode()), 409)
    assert "NUL" in found["error"]
    assert other_client.get("/api/v1/sessions").json() == []


def test_coach_end_far_in_the_future_is_422(client):
    payload = {"options": {}, "started_at": iso(-30), "events": [], "ended_ms": 10**15}
    found = assert_error(client.post("/api/v1/coach/sessions", json=payload), 422)
    assert (
        found["error"] == "ended_ms: 1000000000000000 ms is outside the session (it lasts at most 12 hours)"
    )
    payload["ended_ms"] = 1000
    payload["started_at"] = "9999-12-31T23:59:00+00:00"
    found = assert_error(client.post("/api/v1/coach/sessions", json=payload), 422)
    assert found["error"] == f"started_at: 9999-12-31 is outside the dates letdown accepts {WINDOW}"


def test_every_response_carries_the_security_headers(client):
    for response in (client.get("/api/v1/sessions"), client.get("/healthz"), client.get("/api/v1/nope")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_a_lock_held_past_the_timeout_is_503_with_retry_after(db_url, household, db, now, monkeypatch):
    monkeypatch.setattr(store_db, "LOCK_TIMEOUT_MS", 300)
    store = Store(db_url)
    token, _ = tokens.create(db, household.id, name="t", now=now)
    holder = store_db.make_engine(db_url)
    try:
        with holder.connect() as conn:
            if db_url.startswith("sqlite"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("LOCK TABLE expression_sessions IN EXCLUSIVE MODE")
            with TestClient(create_app(store=store), headers={"Authorization": f"Bearer {token}"}) as c:
                response = c.post("/api/v1/sessions", json=body())
            conn.rollback()
        found = assert_error(
            response, 503, "The database is busy with another change; try again in a few seconds"
        )
        assert found["errors"] == []
        assert response.headers["Retry-After"] == "5"
    finally:
        holder.dispose()
        store.dispose()


def test_triage_hours_must_be_finite(client):
    response = raw_post(client, "/api/v1/triage", '{"symptoms": ["redness"], "hours": Infinity}')
    found = assert_error(response, 422)
    assert found["errors"][0]["field"] == "hours"
