"""The CLI's --json prints what the API answers for the same object: one shape for both."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from letdown.cli.main import cli
from letdown.services.stash import containers as stash
from tests.factories import make_session

AT = "2026-11-25T12:00:00+00:00"


def cli_json(db_url: str, *args: str):
    result = CliRunner().invoke(cli, ["--db", db_url, *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def filled(db, household, now):
    make_session(db, household.id, now, start="-3h", left_ml=40.0, right_ml=35.5, note="after the bath")
    make_session(db, household.id, now, start="-7h", left_ml=20.0, right_ml=None)
    fresh = stash.add(db, household.id, ml=120, expressed_at="-2h", location="fridge", now=now)
    frozen = stash.add(db, household.id, ml=90, expressed_at="-30h", location="freezer", now=now)
    stash.move(db, household.id, frozen.id, to="fridge", now=now)
    return household, fresh


def test_log_list_json_is_the_sessions_api_body(client, db_url, filled):
    body = client.get("/api/v1/sessions").json()
    assert len(body) == 2 and body[0]["note"] == "after the bath"
    assert cli_json(db_url, "log", "list") == body


def test_stash_list_show_and_next_json_are_the_stash_api_bodies(client, db_url, filled):
    _, fresh = filled
    assert (
        cli_json(db_url, "stash", "list", "--at", AT) == client.get("/api/v1/stash", params={"at": AT}).json()
    )
    assert (
        cli_json(db_url, "stash", "list", "--all", "--at", AT)
        == client.get("/api/v1/stash", params={"at": AT, "all": True}).json()
    )
    assert (
        cli_json(db_url, "stash", "show", fresh.id, "--at", AT)
        == client.get(f"/api/v1/stash/{fresh.id}", params={"at": AT}).json()
    )
    assert (
        cli_json(db_url, "stash", "next", "--count", "2", "--at", AT)
        == client.get("/api/v1/stash/next", params={"at": AT, "count": 2}).json()
    )
