"""``/api/v1/export`` and ``/api/v1/import``."""

from __future__ import annotations

import pytest

from letdown.api.deps import get_now
from tests.api.conftest import assert_error
from tests.factories import make_session


@pytest.fixture(autouse=True)
def fixed_clock(app, now):
    """The API's clock at the tests' ``now`` (the sessions are made at that time)."""

    async def fixed():
        return now

    app.dependency_overrides[get_now] = fixed


def test_export_then_import_into_another_household(client, other_client, db, household, now):
    make_session(db, household.id, now)
    exported = client.get("/api/v1/export")
    assert exported.status_code == 200 and exported.json()["format"] == "letdown-export"

    imported = other_client.post("/api/v1/import", content=exported.content)
    assert imported.status_code == 200, imported.text
    assert imported.json()["added"]["sessions"] == 1
    assert other_client.get("/api/v1/export").json()["sessions"] == exported.json()["sessions"]


def test_import_into_a_household_with_data_answers_409_unless_merge(client, db, household, now):
    make_session(db, household.id, now)
    body = client.get("/api/v1/export").content
    assert_error(client.post("/api/v1/import", content=body), 409)
    merged = client.post("/api/v1/import", params={"merge": "true"}, content=body).json()
    assert merged["merged"] is True and merged["skipped"]["sessions"] == 1


def test_a_foreign_body_answers_409_with_the_reason(client):
    assert_error(
        client.post("/api/v1/import", content=b'{"format": "other"}'),
        409,
        "the request body is not a letdown export: its format is 'other', not 'letdown-export'",
    )
