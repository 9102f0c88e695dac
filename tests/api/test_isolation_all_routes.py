"""Every API route with an id answers 404 for another household's record, and no list shows it.

The routes are read from the OpenAPI description, so a new route with an id must be added to
``IDS`` (or to ``NOT_HOUSEHOLD_IDS`` with a reason) before this test passes.
"""

from __future__ import annotations

import re

import pytest

from letdown.services.stash import containers as stash
from tests.factories import make_session

# A body that fits every action route, so validation never answers before the lookup does.
BODY = {"to": "freezer", "where": "fridge", "finished": "now", "ml": 10, "left_ml": 1}
NOT_HOUSEHOLD_IDS = {
    "topic_id": "guidance is the same for every household",
    "case": "a storage limit is named by its case and always written to the caller's household",
    "kind": "a label's file format",
    "token": "the calendar feed's token names its household itself (tested with the feed)",
}


@pytest.fixture
def theirs(db, now, other_client):
    """Another household's records, made through its own API token."""
    from sqlalchemy import select

    from letdown.store.models import Household

    other = db.scalars(select(Household).where(Household.name == "Next door")).one()
    session = make_session(db, other.id, now)
    container = stash.add(db, other.id, ml=100, expressed_at="-1h", location="fridge", now=now)
    return {"household": other.id, "session_id": session.id, "container_id": container.id}


def _routes(app):
    """(method, path, a body with just the fields the route accepts) for every API operation."""
    spec = app.openapi()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            schema = (
                operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            )
            body = None
            if schema is not None:
                if "$ref" in schema:
                    schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
                body = {k: v for k, v in BODY.items() if k in schema.get("properties", {})}
            yield method.upper(), path, body


def test_every_route_with_another_households_id_answers_404(client, theirs, db, now):
    tried = 0
    for method, path, body in _routes(client.app):
        params = re.findall(r"{(\w+)}", path)
        if not params or any(p in NOT_HOUSEHOLD_IDS for p in params):
            continue
        unknown = [p for p in params if p not in theirs]
        assert not unknown, f"{method} {path}: add {unknown} to IDS or NOT_HOUSEHOLD_IDS"
        url = path
        for p in params:
            url = url.replace(f"{{{p}}}", theirs[p])
        response = client.request(method, url, json=body)
        assert response.status_code == 404, f"{method} {url}: {response.status_code} {response.text}"
        tried += 1
    assert tried >= 10
    view = stash.get(db, theirs["household"], theirs["container_id"], now=now)
    assert (view.standing.location.value, len(view.history)) == ("fridge", 1)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sessions",
        "/api/v1/stash",
        "/api/v1/stash/next",
        "/api/v1/stash/summary",
        "/api/v1/stats",
        "/api/v1/household",
        "/api/v1/export",
        "/api/v1/report",
        "/api/v1/due",
    ],
)
def test_no_list_shows_another_households_records(client, theirs, path):
    response = client.get(path)
    assert response.status_code == 200, response.text
    for value in theirs.values():
        assert value not in response.text
    assert "Next door" not in response.text
