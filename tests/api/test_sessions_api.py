from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import assert_error


def iso(delta_minutes: float) -> str:
    return (datetime.now(UTC) + timedelta(minutes=delta_minutes)).isoformat()


def body(**overrides):
    data = {"started_at": iso(-40), "minutes": 20, "method": "hand", "left_ml": 30, "right_ml": 25}
    data.update(overrides)
    return data


def test_without_a_token_the_api_answers_401(app):
    with TestClient(app) as anonymous:
        assert_error(anonymous.get("/api/v1/sessions"), 401)
        assert_error(anonymous.get("/api/v1/sessions", headers={"Authorization": "Bearer ld_x_y"}), 401)


def test_create_read_update_delete(client):
    created = client.post("/api/v1/sessions", json=body(let_downs=[iso(-39)], comfort=9))
    assert created.status_code == 201, created.text
    s = created.json()
    assert s["total_ml"] == 55.0 and s["comfort"] == 9 and len(s["let_downs"]) == 1
    assert s["started_at"].endswith("+00:00")  # Europe/London in winter
    assert client.get(f"/api/v1/sessions/{s['id']}").json() == s
    patched = client.patch(f"/api/v1/sessions/{s['id']}", json={"note": "better", "right_ml": 40})
    assert patched.status_code == 200
    assert (patched.json()["note"], patched.json()["right_ml"], patched.json()["left_ml"]) == (
        "better",
        40.0,
        30.0,
    )
    assert [x["id"] for x in client.get("/api/v1/sessions").json()] == [s["id"]]
    assert client.delete(f"/api/v1/sessions/{s['id']}").status_code == 204
    assert_error(client.get(f"/api/v1/sessions/{s['id']}"), 404, f"No session with id '{s['id']}'")


def test_a_time_without_offset_is_read_in_the_household_zone(client):
    s = client.post("/api/v1/sessions", json=body(started_at="2026-07-01T03:00", minutes=15)).json()
    assert s["started_at"] == "2026-07-01T03:00:00+01:00"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"left_ml": -1}, "left_ml", "left_ml: must be 0 or more, got -1"),
        ({"right_ml": 1001}, "right_ml", None),
        ({"comfort": 12}, "comfort", "comfort: must be a whole number from 0 to 10, got 12"),
        ({"method": "squeeze"}, "method", None),
        ({"started_at": "last tuesday"}, "started_at", None),
        ({"minutes": None, "ended_at": iso(-50)}, "ended_at", None),
        ({"started_at": iso(60)}, "started_at", None),
        ({"let_downs": [iso(-100)]}, "let_downs", None),
    ],
)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(client, overrides, field, message):
    response = client.post("/api/v1/sessions", json=body(**overrides))
    err = assert_error(response, 422, message)
    assert err["errors"][0]["field"] == field
    assert client.get("/api/v1/sessions").json() == []


def test_wrong_types_and_unknown_fields_are_422_with_the_same_shape(client):
    err = assert_error(client.post("/api/v1/sessions", json=body(left_ml="lots")), 422)
    assert err["errors"][0]["field"] == "left_ml"
    err = assert_error(client.post("/api/v1/sessions", json=body(volume=3)), 422)
    assert err["errors"][0]["field"] == "volume"


def test_another_households_session_answers_404_like_a_missing_one(client, other_client):
    theirs = other_client.post("/api/v1/sessions", json=body()).json()
    missing = client.get("/api/v1/sessions/nosuchid00")
    foreign = client.get(f"/api/v1/sessions/{theirs['id']}")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["error"] == f"No session with id '{theirs['id']}'"
    assert_error(client.patch(f"/api/v1/sessions/{theirs['id']}", json={"note": "x"}), 404)
    assert_error(client.delete(f"/api/v1/sessions/{theirs['id']}"), 404)
    assert client.get("/api/v1/sessions").json() == []
    assert other_client.get(f"/api/v1/sessions/{theirs['id']}").json()["note"] is None


def test_stats(client):
    client.post("/api/v1/sessions", json=body())
    out = client.get("/api/v1/stats", params={"days": 2}).json()
    assert len(out["days"]) == 2
    assert out["summary"]["sessions"] == 1
    assert_error(client.get("/api/v1/stats", params={"days": 0}), 422, "days: must be from 1 to 3660, got 0")


def test_list_endpoint_queries_do_not_grow_with_rows(client, count_queries):
    for i in range(3):
        client.post("/api/v1/sessions", json=body(started_at=iso(-100 - 30 * i)))
    before = count_queries.count
    client.get("/api/v1/sessions")
    few = count_queries.count - before
    for i in range(15):
        client.post("/api/v1/sessions", json=body(started_at=iso(-300 - 30 * i)))
    before = count_queries.count
    assert len(client.get("/api/v1/sessions").json()) == 18
    assert count_queries.count - before == few


def test_openapi_lists_the_session_routes(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/v1/sessions", "/api/v1/sessions/{session_id}", "/api/v1/stats"} <= spec["paths"].keys()
