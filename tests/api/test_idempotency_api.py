"""``Idempotency-Key`` (issue 12): a repeat of a write returns the first answer and writes nothing,
on SQLite and PostgreSQL, across a restart, and when repeats race each other."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from letdown.api.app import create_app
from letdown.services.accounts import tokens
from letdown.store.db import Store
from letdown.store.models import ExpressionSession, IdempotencyKey
from tests.api.conftest import assert_error

KEY = "3f1c9a62-5f7e-4d4e-a7a4-0d2b8f1e6c11"


def iso(delta_minutes: float) -> str:
    return (datetime.now(UTC) + timedelta(minutes=delta_minutes)).isoformat()


def session_body(**overrides):
    data = {"started_at": iso(-40), "minutes": 20, "method": "hand", "left_ml": 30, "right_ml": 25}
    data.update(overrides)
    return data


def count_sessions(store: Store, household_id: str) -> int:
    with store.session() as db:
        query = select(func.count()).select_from(ExpressionSession)
        return db.execute(query.where(ExpressionSession.household_id == household_id)).scalar_one()


def test_the_same_key_twice_gives_one_row_and_the_same_answer(client, store, household):
    body = session_body()
    first = client.post("/api/v1/sessions", json=body, headers={"Idempotency-Key": KEY})
    again = client.post("/api/v1/sessions", json=body, headers={"Idempotency-Key": KEY})
    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert count_sessions(store, household.id) == 1
    assert [s["id"] for s in client.get("/api/v1/sessions").json()] == [first.json()["id"]]


def test_without_a_key_each_post_is_a_new_session(client, store, household):
    client.post("/api/v1/sessions", json=session_body())
    client.post("/api/v1/sessions", json=session_body())
    assert count_sessions(store, household.id) == 2


def test_a_repeat_after_a_restart_still_writes_nothing(store, db_url, household, db, now):
    token, _ = tokens.create(db, household.id, name="test", now=now)
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": KEY}
    body = session_body()
    with TestClient(create_app(store=store), headers=headers) as before:
        first = before.post("/api/v1/sessions", json=body)
    restarted = Store(db_url)  # a new process: new engine, new app, same database
    try:
        with TestClient(create_app(store=restarted), headers=headers) as after:
            again = after.post("/api/v1/sessions", json=body)
    finally:
        restarted.dispose()
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert count_sessions(store, household.id) == 1


def test_concurrent_repeats_give_one_row(client, store, household):
    body = session_body()
    start = threading.Barrier(6)
    answers: list = []

    def post() -> None:
        start.wait()
        answers.append(client.post("/api/v1/sessions", json=body, headers={"Idempotency-Key": KEY}))

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [201] * 6, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 5
    assert count_sessions(store, household.id) == 1


def test_a_refused_write_keeps_no_key_so_the_corrected_entry_goes_through(client, store, household):
    refused = client.post(
        "/api/v1/sessions", json=session_body(left_ml=1500), headers={"Idempotency-Key": KEY}
    )
    body = assert_error(refused, 422)
    assert body["errors"][0]["field"] == "left_ml"
    with store.session() as db:
        assert db.execute(select(func.count()).select_from(IdempotencyKey)).scalar_one() == 0
    corrected = client.post(
        "/api/v1/sessions", json=session_body(left_ml=150), headers={"Idempotency-Key": KEY}
    )
    assert corrected.status_code == 201, corrected.text
    assert corrected.json()["left_ml"] == 150
    assert count_sessions(store, household.id) == 1


def test_the_same_key_for_another_request_is_refused_and_writes_nothing(client, store, household):
    client.post("/api/v1/sessions", json=session_body(left_ml=30), headers={"Idempotency-Key": KEY})
    other = client.post("/api/v1/sessions", json=session_body(left_ml=31), headers={"Idempotency-Key": KEY})
    assert_error(
        other,
        422,
        "Idempotency-Key: was already used for a different request; send a new key for a new entry",
    )
    assert count_sessions(store, household.id) == 1


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "Idempotency-Key: must not be empty"),
        ("x" * 256, "Idempotency-Key: is 256 characters; the most is 255"),
        ("two words", "Idempotency-Key: may hold only visible ASCII characters (letters, digits, - _ . :)"),
    ],
)
def test_a_bad_key_is_refused_and_writes_nothing(client, store, household, key, message):
    assert_error(
        client.post("/api/v1/sessions", json=session_body(), headers={"Idempotency-Key": key}), 422, message
    )
    assert count_sessions(store, household.id) == 0


def test_keys_belong_to_one_household(client, other_client, store, household):
    mine = client.post("/api/v1/sessions", json=session_body(), headers={"Idempotency-Key": KEY})
    theirs = other_client.post("/api/v1/sessions", json=session_body(), headers={"Idempotency-Key": KEY})
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert "Idempotent-Replayed" not in theirs.headers


def test_coach_sessions_stash_actions_and_import_are_idempotent(client, app, store, household):
    now = datetime.now(UTC)
    coached = {
        "options": {"minutes": 1, "experience": "practised"},
        "started_at": (now - timedelta(minutes=10)).isoformat(),
        "events": [{"t": 500, "event": "ready"}, {"t": 10_000, "event": "let-down"}],
        "ended_ms": 300_000,
        "left_ml": 20,
        "right_ml": 25,
    }
    one = client.post("/api/v1/coach/sessions", json=coached, headers={"Idempotency-Key": "coach-1"})
    two = client.post("/api/v1/coach/sessions", json=coached, headers={"Idempotency-Key": "coach-1"})
    assert one.status_code == two.status_code == 201 and one.json() == two.json()
    assert count_sessions(store, household.id) == 1

    milk = {"ml": 120, "expressed_at": iso(-60), "location": "fridge"}
    made = [client.post("/api/v1/stash", json=milk, headers={"Idempotency-Key": "stash-1"}) for _ in range(2)]
    assert made[0].json() == made[1].json()
    assert len(client.get("/api/v1/stash").json()) == 1
    cid = made[0].json()["id"]
    split = [
        client.post(f"/api/v1/stash/{cid}/split", json={"ml": 40}, headers={"Idempotency-Key": "split-1"})
        for _ in range(2)
    ]
    assert split[0].status_code == split[1].status_code == 201
    assert split[0].json() == split[1].json()
    assert len(client.get("/api/v1/stash").json()) == 2  # one split, not two
    assert client.get(f"/api/v1/stash/{cid}").json()["ml"] == 80

    exported = client.get("/api/v1/export").content
    imported = [
        client.post("/api/v1/import?merge=true", content=exported, headers={"Idempotency-Key": "import-1"})
        for _ in range(2)
    ]
    assert imported[0].status_code == 200, imported[0].text
    assert imported[1].json() == imported[0].json()
    assert imported[1].headers["Idempotent-Replayed"] == "true"


def test_the_openapi_documents_the_header_on_every_write(client):
    spec = client.get("/api/v1/openapi.json")
    if spec.status_code == 404:
        spec = client.get("/openapi.json")
    paths = spec.json()["paths"]
    writes = [
        ("/api/v1/sessions", "post"),
        ("/api/v1/coach/sessions", "post"),
        ("/api/v1/stash", "post"),
        ("/api/v1/stash/{container_id}/split", "post"),
        ("/api/v1/import", "post"),
    ]
    for path, method in writes:
        params = {p["name"]: p for p in paths[path][method].get("parameters", [])}
        assert "Idempotency-Key" in params, path
        assert params["Idempotency-Key"]["in"] == "header"
        assert "first answer" in params["Idempotency-Key"]["description"]
