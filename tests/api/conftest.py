from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from letdown.api.app import create_app
from letdown.services.accounts import tokens


@pytest.fixture
def app(store):
    return create_app(store=store)


@pytest.fixture
def client(app, db, household, now) -> Iterator[TestClient]:
    token, _ = tokens.create(db, household.id, name="test", now=now)
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as c:
        yield c


@pytest.fixture
def other_client(app, db, now) -> Iterator[TestClient]:
    """A client of a second household."""
    from letdown.services.accounts import households

    other = households.create(db, now=now, name="Next door", timezone="UTC")
    token, _ = tokens.create(db, other.id, name="test", now=now)
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as c:
        yield c


def assert_error(response: Any, status: int, message: str | None = None) -> dict[str, Any]:
    """Every error has one shape: ok, status, error, errors."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["errors"], list)
    if message is not None:
        assert body["error"] == message
    return body


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many cases schemathesis generated (tests/api/test_schemathesis.py), per database."""
    totals: dict[str, int] = {}
    operations: dict[str, int] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "teardown":
                continue
            for name, value in getattr(report, "user_properties", []):
                if name == "schemathesis_cases":
                    backend = report.nodeid.rsplit("[", 1)[-1].rstrip("]")
                    totals[backend] = totals.get(backend, 0) + value
                    operations[backend] = operations.get(backend, 0) + 1
    for backend, total in sorted(totals.items()):
        terminalreporter.write_line(
            f"schemathesis: {total} cases generated over {operations[backend]} operations on {backend}"
        )
