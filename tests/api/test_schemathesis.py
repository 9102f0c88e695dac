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

from letdown.api.app import create_app
from letdown.services import demo, households, tokens

SEED = 20261201
MAX_EXAMPLES = 25


def _document() -> dict:
    app = create_app("sqlite://")
    try:
        return app.openapi()
    finally:
        app.state.store.dispose()


schema = schemathesis.openapi.from_dict(_document())


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


@schema.parametrize()
@hypothesis_seed(SEED)
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms(case, seeded, record_property):
    app, headers = seeded
    case.call_and_validate(app=app, headers=headers)
    record_property("schemathesis_cases", 1)
