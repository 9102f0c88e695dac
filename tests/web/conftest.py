"""Web page tests: a TestClient per person, signed in through the real forms."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from letdown.api.app import create_app
from letdown.domain.choices import Role
from letdown.services.accounts import households
from letdown.services.accounts import users as accounts

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(autouse=True)
def fast_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with the cheapest parameters: the same code path, a fraction of the time."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture(autouse=True)
def open_signup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LETDOWN_SIGNUP", raising=False)
    monkeypatch.delenv("LETDOWN_SECURE_COOKIES", raising=False)


class Browser:
    """A person's browser: keeps cookies and the CSRF token of the last page it saw."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf: str | None = None

    def get(self, path: str, **kw: Any) -> Any:
        response = self.client.get(path, **kw)
        found = _CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True, **kw: Any) -> Any:
        if csrf and self.csrf is None:
            self.get("/signin" if self.client.cookies.get("letdown_session") is None else "/settings")
        body = dict(data or {})
        if csrf:
            body.setdefault("csrf", self.csrf)
        response = self.client.post(path, data=body, **kw)
        found = _CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def sign_in(self, email: str, password: str = PASSWORD) -> Any:
        self.get("/signin")
        response = self.post("/signin", {"email": email, "password": password})
        self.get("/settings")
        return response


@pytest.fixture
def app(store: Any, now: datetime) -> Any:
    """The app with its clock fixed at the tests' ``now``."""
    from letdown.api.deps import get_now

    async def fixed() -> datetime:
        return now

    application = create_app(store=store)
    application.dependency_overrides[get_now] = fixed
    return application


@pytest.fixture
def browser(app: Any) -> Iterator[Callable[[], Browser]]:
    clients: list[TestClient] = []

    def make(**kw: Any) -> Browser:
        client = TestClient(app, base_url="https://testserver", **kw)
        client.__enter__()
        clients.append(client)
        return Browser(client)

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def make_member(
    db: Any, now: datetime, email: str, role: Role = Role.OWNER, household_id: str | None = None
) -> Any:
    """A user in a household (a new one unless ``household_id``); returns (user, household id)."""
    if household_id is None:
        household_id = households.create(db, now=now, name=f"Home of {email}", timezone="Europe/London").id
    user = accounts.create_user(db, email=email, password=PASSWORD, now=now)
    accounts.add_member(db, household_id, user.id, role, now=now)
    return user, household_id


@pytest.fixture
def owner(db: Any, now: datetime, browser: Callable[[], Browser]) -> Any:
    """A signed-in owner of a household: (browser, household id, user)."""
    user, household_id = make_member(db, now, "ada@example.org")
    b = browser()
    b.sign_in("ada@example.org")
    return b, household_id, user


def flash_of(response: Any) -> list[str]:
    return re.findall(r'role="status">([^<]*)<', response.text)


def alert_of(response: Any) -> list[str]:
    import html

    return [html.unescape(t) for t in re.findall(r'role="alert">([^<]*)<', response.text)]
