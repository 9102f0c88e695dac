"""Hostile input on the web pages (issue #13): 4xx with a message, never 500, on both
databases; forwarded headers only from named proxies; CSP on every page."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from letdown.api.app import create_app
from letdown.api.guard import PAGE_CSP, REPORT_CSP
from letdown.domain.choices import Role
from letdown.services.accounts import households, members
from letdown.services.accounts import users as accounts
from letdown.store.models import ExpressionSession, Membership, User
from tests.factories import make_session
from tests.web.conftest import PASSWORD, alert_of, make_member

WINDOW = "(from 1900-01-01 to 2199-12-31)"


@pytest.mark.parametrize(
    "path",
    [
        "/share/ld%00x",
        "/share/%00",
        "/join/%00abc",
        "/calendar/%00.ics",
        "/calendar/abc%00.ics",
        "/signin?next=%00",
        "/signup?invite=%00",
        "/c/%00",
    ],
)
def test_nul_in_an_unauthenticated_address_is_4xx(browser, path):
    response = browser().get(path)
    assert response.status_code in (404, 422), response.text
    assert response.headers["Content-Security-Policy"] == PAGE_CSP


def test_nul_in_the_sign_in_and_sign_up_forms_is_422_and_nothing_is_written(browser, db, now):
    make_member(db, now, "ada@example.org")
    b = browser()
    b.get("/signin")
    response = b.post("/signin", {"email": "ada@example.org\x00", "password": "wrong password"})
    assert response.status_code == 422
    assert "email: contains a NUL character (\\0), which cannot be stored" in response.text
    b.get("/signup")
    response = b.post(
        "/signup", {"email": "eve\x00@example.org", "password": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 422
    assert db.scalars(select(User.email)).all() == ["ada@example.org"]


def test_an_email_with_control_characters_is_refused_at_sign_up(browser, db):
    b = browser()
    b.get("/signup")
    response = b.post(
        "/signup", {"email": "eve@example.org\x0b", "password": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 422
    response = b.post("/signup", {"email": "eve@exa mple.org", "password": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 422
    assert alert_of(response) == ["email: 'eve@exa mple.org' is not an email address"]
    assert db.scalars(select(User)).all() == []


def _log(b: Any, **fields: str) -> Any:
    b.get("/log/new")
    form = {"start": "2026-11-25T10:00", "minutes": "20", "method": "hand", "unit": "ml", "left": "30"}
    form.update(fields)
    return b.post("/log", form)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (
            {"minutes": "1e12"},
            "minutes: a session of 1e+12 minutes is longer than 720 minutes (12 hours); check the value",
        ),
        ({"minutes": "nan"}, "minutes: must be a finite number, got 'nan'"),
        ({"minutes": "inf"}, "minutes: must be a finite number, got 'inf'"),
        ({"left": "1e400"}, "left_ml: must be a finite number, got '1e400'"),
        (
            {"start": "0001-01-01T00:00"},
            f"started_at: 0001-01-01 is outside the dates letdown accepts {WINDOW}",
        ),
        (
            {"start": "9999-12-31T23:00"},
            f"started_at: 9999-12-31 is outside the dates letdown accepts {WINDOW}",
        ),
        ({"let_downs": "1e12"}, "let_downs: give minutes into the session, like 2, 9; got '1e12'"),
        (
            {"start": "2026-03-29T01:30"},
            "started_at: 2026-03-29 01:30 does not exist in Europe/London (the clocks go forward): it reads as "
            "2026-03-29T00:30+00:00 or 2026-03-29T02:30+01:00; give one of those",
        ),
        (
            {"start": "2026-10-25T01:30"},
            "started_at: 2026-10-25 01:30 happens twice in Europe/London (the clocks go back): give the offset, "
            "2026-10-25T01:30+01:00 for the first time or 2026-10-25T01:30+00:00 for the second",
        ),
    ],
)
def test_the_log_form_refuses_hostile_numbers_and_times_next_to_the_field(owner, db, fields, error):
    b, _, _ = owner
    response = _log(b, **fields)
    assert response.status_code == 422
    assert alert_of(response) == [error]
    assert db.scalars(select(ExpressionSession)).all() == []


def test_a_note_with_nul_is_422_and_nothing_is_written(owner, db):
    b, _, _ = owner
    response = _log(b, note="night\x00")
    assert response.status_code == 422
    assert "note: contains a NUL character (\\0), which cannot be stored" in response.text
    assert db.scalars(select(ExpressionSession)).all() == []


def test_the_report_page_and_every_page_carry_the_security_headers(owner):
    b, _, _ = owner
    report = b.get("/report")
    assert report.status_code == 200
    assert report.headers["Content-Security-Policy"] == REPORT_CSP
    assert report.headers["X-Content-Type-Options"] == "nosniff"
    for path in ("/", "/log", "/signin", "/no-such-page", "/static/app.css"):
        response = b.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert "Content-Security-Policy" in response.headers, path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path


@pytest.mark.parametrize(
    ("start", "end"), [("0001-01-01", "0001-01-05"), ("", "0001-01-02"), ("9999-12-20", "")]
)
def test_report_ranges_at_the_ends_of_the_calendar_are_422(owner, start, end):
    b, _, _ = owner
    response = b.get("/report", params={k: v for k, v in (("from", start), ("to", end)) if v})
    assert response.status_code == 422
    assert "is outside the dates letdown accepts" in response.text


def test_a_forwarded_address_does_not_get_around_the_sign_in_limit(browser, db, now):
    make_member(db, now, "ada@example.org")
    b = browser()
    b.get("/signin")
    for n in range(accounts.LOGIN_LIMIT):
        response = b.post(
            "/signin",
            {"email": "ada@example.org", "password": "wrong password"},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        )
        assert response.status_code == 401
    response = b.post(
        "/signin",
        {"email": "ada@example.org", "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.99"},
    )
    assert response.status_code == 429
    assert alert_of(response) == ["Too many sign-in attempts for ada@example.org; try again in 15 minutes"]


def test_a_named_proxy_is_believed_and_the_account_is_capped_across_addresses(store, db, now, monkeypatch):
    monkeypatch.setenv("LETDOWN_FORWARDED_ALLOW_IPS", "*")
    make_member(db, now, "ada@example.org")
    from tests.web.conftest import Browser

    with TestClient(create_app(store=store), base_url="https://testserver") as client:
        b = Browser(client)
        b.get("/signin")
        for n in range(accounts.LOGIN_ACCOUNT_LIMIT):
            response = b.post(
                "/signin",
                {"email": "ada@example.org", "password": "wrong password"},
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            )
            assert response.status_code == 401, n
        response = b.post(
            "/signin",
            {"email": "ada@example.org", "password": PASSWORD},
            headers={"X-Forwarded-For": "192.0.2.1"},
        )
        assert response.status_code == 429
        assert alert_of(response) == [
            "Too many sign-in attempts for ada@example.org; try again in 15 minutes"
        ]
    # each address was counted apart (the named proxy's word is taken): one failure each
    key = accounts._attempt_key("ada@example.org", "198.51.100.3")
    assert accounts._too_many(db, key, 1, now=now) is not None
    assert accounts._too_many(db, key, 2, now=now) is None


def test_a_proxied_request_from_loopback_cannot_claim_the_command_lines_household(browser, db, now):
    cli_home = households.default(db, now=now)
    make_session(db, cli_home.id, now)
    b = browser(client=("127.0.0.1", 50000))
    b.get("/signup")
    b.post("/signup", {"email": "eve@example.org", "password": PASSWORD, "password2": PASSWORD})
    response = b.post("/setup", {"claim": "1"}, headers={"X-Forwarded-For": "127.0.0.1"})
    assert response.status_code == 409
    assert db.scalars(select(Membership)).all() == []
    # the same browser straight from this machine may
    b.post("/setup", {"claim": "1"})
    user = db.scalars(select(User)).one()
    assert db.get(Membership, (cli_home.id, user.id)).role == Role.OWNER.value


def test_a_used_invite_link_is_refused_on_the_join_page(browser, db, now):
    _, household_id = make_member(db, now, "ada@example.org")
    token, _ = members.create_invite(db, household_id, role="caregiver", by=None, now=now)
    for email in ("sam@example.org", "kim@example.org"):
        accounts.create_user(db, email=email, password=PASSWORD, now=now)
    first, second = browser(), browser()
    first.sign_in("sam@example.org")
    second.sign_in("kim@example.org")
    assert "You joined" in first.post(f"/join/{token}").text
    assert second.post(f"/join/{token}").status_code == 409


def test_a_lock_held_past_the_timeout_is_a_503_page_with_retry_after(db_url, db, now, monkeypatch):
    from letdown.api.deps import get_now
    from letdown.store import db as store_db
    from letdown.store.db import Store
    from tests.web.conftest import Browser

    monkeypatch.setattr(store_db, "LOCK_TIMEOUT_MS", 300)
    make_member(db, now, "ada@example.org")
    store = Store(db_url)
    app = create_app(store=store)

    async def fixed() -> Any:
        return now

    app.dependency_overrides[get_now] = fixed
    holder = store_db.make_engine(db_url)
    try:
        with TestClient(app, base_url="https://testserver") as client:
            b = Browser(client)
            b.sign_in("ada@example.org")
            b.get("/log/new")
            with holder.connect() as conn:
                if db_url.startswith("sqlite"):
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                else:
                    conn.exec_driver_sql("LOCK TABLE expression_sessions IN EXCLUSIVE MODE")
                response = b.post(
                    "/log", {"start": "2026-11-25T10:00", "minutes": "20", "method": "hand", "unit": "ml"}
                )
                conn.rollback()
    finally:
        holder.dispose()
        store.dispose()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "The database is busy with another change; try again in a few seconds" in response.text
    assert response.headers["Content-Security-Policy"] == PAGE_CSP


def test_forwarded_proto_is_believed_only_from_a_named_proxy(store, monkeypatch):
    monkeypatch.delenv("LETDOWN_SECURE_COOKIES", raising=False)
    monkeypatch.setenv("LETDOWN_FORWARDED_ALLOW_IPS", "")
    with TestClient(create_app(store=store), base_url="http://127.0.0.1:8000") as client:
        response = client.get("/signin", headers={"X-Forwarded-Proto": "https"})
        assert "secure" not in response.headers["set-cookie"].lower()  # plain HTTP to loopback
    monkeypatch.setenv("LETDOWN_FORWARDED_ALLOW_IPS", "*")
    with TestClient(create_app(store=store), base_url="http://127.0.0.1:8000") as client:
        response = client.get("/signin", headers={"X-Forwarded-Proto": "https"})
        assert "secure" in response.headers["set-cookie"].lower()  # the named proxy says HTTPS
