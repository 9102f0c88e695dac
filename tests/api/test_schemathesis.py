"""schemathesis over every API operation, in process, on SQLite and PostgreSQL.

A bounded, seeded run: every operation the OpenAPI document lists gets its examples, the
coverage phase (boundaries, missing and wrong parameters, methods the path does not take) and
generated cases, positive and negative, checked with every schemathesis check. It must find
no 5xx and no response that the document does not describe.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import seed as hypothesis_seed
from schemathesis.specs.openapi.checks import positive_data_acceptance

from letdown.api.app import create_app
from letdown.services.accounts import households, tokens
from letdown.services.portability import demo

SEED = 20261201
MAX_EXAMPLES = 25

# Operations whose rules reach past what a schema can state: times read against now and the
# household's zone ("in the future", a skipped local time), one field against another (an end
# after its start, use_soon_after under use_by, minutes by stage), or the data as it stands (a
# container that is not frozen). For these a request valid by the document may still be
# refused, with 422 (or 409) in the one error shape; every other check still runs on them.
BEYOND_SCHEMA = {
    "GET /api/v1/sessions",
    "POST /api/v1/sessions",
    "PATCH /api/v1/sessions/{session_id}",
    "GET /api/v1/stash",
    "POST /api/v1/stash",
    "GET /api/v1/stash/next",
    "GET /api/v1/stash/summary",
    "POST /api/v1/stash/thaw",
    "GET /api/v1/stash/{container_id}",
    "POST /api/v1/stash/{container_id}/move",
    "POST /api/v1/stash/{container_id}/thaw",
    "POST /api/v1/stash/{container_id}/warm",
    "POST /api/v1/stash/{container_id}/feed",
    "POST /api/v1/stash/{container_id}/use",
    "POST /api/v1/stash/{container_id}/discard",
    "POST /api/v1/stash/{container_id}/split",
    "PUT /api/v1/stash/limits/{case}",
    "GET /api/v1/coach/plan",
    "POST /api/v1/coach/sessions",
    "POST /api/v1/triage",
    "GET /api/v1/report",
}
REFUSED_BY_RULE = {422, 409}


def _document() -> dict:
    app = create_app("sqlite://")
    try:
        return app.openapi()
    finally:
        app.state.store.dispose()


schema = schemathesis.openapi.from_dict(_document())
# Requests go to the app in process (``app=``); the address is only for reports and re-sent checks.
schema.config.update(base_url="http://testserver")


@pytest.fixture
def seeded(store):
    """The app on a household with a month of sessions and a stash, and a bearer token for it."""
    now = datetime.now(UTC)
    app = create_app(store=store)
    with store.session() as db:
        home = households.create(db, now=now, name="Schemathesis home", timezone="Europe/London")
        demo.seed(db, home.id, now=now)
        token, _ = tokens.create(db, home.id, name="schemathesis", now=now)
    return app, {"Authorization": f"Bearer {token}"}


@pytest.fixture
def cases(record_property):
    """Counts the cases one operation's run generated; the suite's summary adds them up."""
    count = [0]
    yield count
    record_property("schemathesis_cases", count[0])


@schema.parametrize()
@hypothesis_seed(SEED)
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms(case, seeded, cases):
    app, headers = seeded
    # The document is loaded once; each test points it at its own app (its own database), so
    # the checks that send more requests (no token, a wrong token) reach the same app.
    case.operation.schema.app = app
    case.operation.app = app
    beyond = case.operation.label in BEYOND_SCHEMA
    excluded = [positive_data_acceptance] if beyond else []
    response = case.call_and_validate(headers=headers, excluded_checks=excluded)
    if beyond and case.meta is not None and case.meta.generation.mode.is_positive:
        # The same check, but a rule the document cannot state may refuse the request.
        assert response.status_code < 400 or response.status_code in {401, 404, *REFUSED_BY_RULE}, (
            f"{case.operation.label}: valid data answered {response.status_code}: {response.text[:300]}"
        )
    cases[0] += 1
