"""Accounts on the web: sign up, sign in, sign out, cookies, CSRF, rate limit, closed sign-up."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from letdown.domain.choices import Role
from letdown.services.accounts import households
from letdown.services.accounts import users as accounts
from letdown.services.schedule import settings as household_settings
from letdown.store.models import Household, LoginAttempt, Membership, User, WebSession
from tests.factories import make_session
from tests.web.conftest import PASSWORD, alert_of, make_member

PAGES = ["/", "/log", "/log/new", "/stash", "/settings", "/stash/k3m9x2qa7d", "/log/k3m9x2qa7d", "/setup"]


@pytest.mark.parametrize("path", PAGES)
def test_every_household_page_asks_to_sign_in_first(browser, path):
    response = browser().client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")


def test_a_signed_out_home_goes_to_the_sign_in_form_and_back_after(browser, db, now):
    make_member(db, now, "ada@example.org")
    b = browser()
    response = b.client.get("/log?days=30", follow_redirects=False)
    assert response.headers["location"] == "/signin?next=%2Flog%3Fdays%3D30"
    b.get(response.headers["location"])
    response = b.post("/signin", {"email": "ada@example.org", "password": PASSWORD, "next": "/log?days=30"})
    assert response.status_code == 200 and str(response.url).endswith("/log?days=30")


def test_sign_up_then_set_up_a_household_with_a_baby(browser, db):
    b = browser()
    b.get("/signup")
    response = b.post("/signup", {"email": " Ada@Example.org ", "password": PASSWORD, "password2": PASSWORD})
    assert str(response.url).endswith("/setup")
    response = b.post(
        "/setup",
        {
            "name": "The Okafors",
            "timezone": "Europe/London",
            "units": "oz",
            "storage_profile": "abm",
            "baby_name": "Ada",
            "birth_date": "2026-11-01",
        },
    )
    assert response.status_code == 200 and "Welcome to The Okafors." in response.text
    user = db.scalars(select(User).where(User.email == "ada@example.org")).one()
    assert user.password_hash.startswith("$argon2id$")
    membership = db.scalars(select(Membership).where(Membership.user_id == user.id)).one()
    assert membership.role == "owner"
    household = households.get(db, membership.household_id)
    assert (household.name, household.units.value, household.storage_profile.value) == (
        "The Okafors",
        "oz",
        "abm",
    )
    assert [b.name for b in households.list_babies(db, household.id)] == ["Ada"]


def test_sign_up_refuses_a_short_password_and_a_taken_email(browser, db, now):
    make_member(db, now, "ada@example.org")
    b = browser()
    b.get("/signup")
    response = b.post("/signup", {"email": "new@example.org", "password": "short", "password2": "short"})
    assert response.status_code == 422
    assert alert_of(response) == ["password: must be at least 10 characters, got 5"]
    response = b.post("/signup", {"email": "ADA@example.org", "password": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 409
    assert alert_of(response) == ["An account for ada@example.org already exists; sign in instead"]


def test_the_session_cookie_is_http_only_same_site_lax_and_secure_over_https(browser, db, now):
    make_member(db, now, "ada@example.org")
    b = browser()
    b.get("/signin")
    response = b.post("/signin", {"email": "ada@example.org", "password": PASSWORD}, follow_redirects=False)
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("letdown_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    stored = db.scalars(select(WebSession.token_hash)).all()
    assert token not in stored and len(stored) == 1  # only its hash is kept


def test_cookies_are_not_secure_over_plain_http_to_loopback_unless_asked(app, db, now, monkeypatch):
    from fastapi.testclient import TestClient

    make_member(db, now, "ada@example.org")
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        page = client.get("/signin")
        assert "Secure" not in page.headers["set-cookie"]
        monkeypatch.setenv("LETDOWN_SECURE_COOKIES", "1")
        client.cookies.clear()  # a fresh visitor, so the page sets its cookie again
        assert "Secure" in client.get("/signin").headers["set-cookie"]
    with TestClient(app, base_url="http://192.168.1.20:8000") as client:
        monkeypatch.delenv("LETDOWN_SECURE_COOKIES")
        page = client.get("/signin")
        assert "Secure" in page.headers["set-cookie"]
        assert "start it with LETDOWN_SECURE_COOKIES=0" in page.text  # says why sign-in will not stick


def test_wrong_password_says_so_without_saying_which(browser, db, now):
    make_member(db, now, "ada@example.org")
    b = browser()
    b.get("/signin")
    for email in ("ada@example.org", "nobody@example.org"):
        response = b.post("/signin", {"email": email, "password": "wrong password"})
        assert response.status_code == 401
        assert alert_of(response) == ["Wrong email or password"]


def test_sign_in_is_rate_limited_per_email_and_address(browser, db, now):
    make_member(db, now, "ada@example.org")
    b = browser()
    b.get("/signin")
    for _ in range(accounts.LOGIN_LIMIT):
        assert (
            b.post("/signin", {"email": "ada@example.org", "password": "wrong password"}).status_code == 401
        )
    response = b.post("/signin", {"email": "ada@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert alert_of(response) == ["Too many sign-in attempts for ada@example.org; try again in 15 minutes"]
    assert db.scalars(select(LoginAttempt)).all()  # counted in the database: holds across workers
    # from another address the right password still works
    token = accounts.sign_in(db, email="ada@example.org", password=PASSWORD, address="10.0.0.9", now=now)
    assert token


def test_the_limit_lifts_after_the_window(db, now):
    from datetime import timedelta

    make_member(db, now, "ada@example.org")
    for _ in range(accounts.LOGIN_LIMIT):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(
                db, email="ada@example.org", password="nope nope nope", address="1.2.3.4", now=now
            )
    with pytest.raises(accounts.TooManyAttempts):
        accounts.sign_in(db, email="ada@example.org", password=PASSWORD, address="1.2.3.4", now=now)
    later = now + accounts.LOGIN_WINDOW + timedelta(seconds=1)
    assert accounts.sign_in(db, email="ada@example.org", password=PASSWORD, address="1.2.3.4", now=later)


def test_sign_out_ends_the_session_on_the_server(owner, db):
    b, _, _ = owner
    old = b.client.cookies.get("letdown_session")
    response = b.post("/signout")
    assert str(response.url).endswith("/signin")
    assert db.scalars(select(WebSession)).all() == []
    b.client.cookies.set("letdown_session", old)
    assert b.client.get("/", follow_redirects=False).headers["location"] == "/signin"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/log", {"start": "-30m", "minutes": "20", "method": "hand", "left": "30"}),
        ("/stash", {"volume": "100", "expressed_at": "-1h", "location": "fridge"}),
        ("/settings/invites", {"role": "caregiver"}),
        ("/settings/household", {"name": "Hijacked"}),
        ("/signout", {}),
    ],
)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(owner, db, path, data):
    b, household_id, _ = owner
    for token in (None, "forged-token"):
        body = dict(data, **({"csrf": token} if token else {}))
        response = b.client.post(path, data=body)
        assert response.status_code == 403
        assert alert_of(response) == [
            "This form is out of date or did not come from letdown; reload the page and try again"
        ]
    assert households.get(db, household_id).name == "Home of ada@example.org"
    assert b.client.get("/settings").status_code == 200  # still signed in


def test_the_sign_in_form_needs_its_csrf_cookie(browser, db, now):
    make_member(db, now, "ada@example.org")
    b = browser()
    response = b.client.post("/signin", data={"email": "ada@example.org", "password": PASSWORD, "csrf": "x"})
    assert response.status_code == 403


def test_closed_sign_up_refuses_new_accounts_but_invites_still_work(browser, db, now, monkeypatch):
    from letdown.services.accounts import members

    monkeypatch.setenv("LETDOWN_SIGNUP", "closed")
    b = browser()
    page = b.get("/signup")
    assert "Sign-up is closed on this server; ask its owner for an invite link or an account." in page.text
    response = b.post("/signup", {"email": "new@example.org", "password": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 409
    assert alert_of(response) == [
        "Sign-up is closed on this server; ask its owner for an invite link or an account"
    ]
    assert db.scalars(select(User)).all() == []

    _, household_id = make_member(db, now, "ada@example.org")
    token, _ = members.create_invite(db, household_id, role="caregiver", by=None, now=now)
    b.get(f"/signup?invite={token}")
    response = b.post(
        "/signup", {"email": "sam@example.org", "password": PASSWORD, "password2": PASSWORD, "invite": token}
    )
    assert str(response.url).endswith(f"/join/{token}")
    response = b.post(f"/join/{token}")
    assert "You joined Home of ada@example.org as caregiver." in response.text


def test_next_never_leaves_the_site(browser, db, now):
    make_member(db, now, "ada@example.org")
    b = browser()
    b.get("/signin")
    response = b.post(
        "/signin",
        {"email": "ada@example.org", "password": PASSWORD, "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_a_refused_set_up_leaves_no_household_and_a_retry_makes_one(browser, db):
    b = browser()
    b.get("/signup")
    b.post("/signup", {"email": "ada@example.org", "password": PASSWORD, "password2": PASSWORD})
    form = {"name": "The Okafors", "timezone": "Europe/London", "units": "ml", "storage_profile": "cdc"}
    for baby, error in (
        (
            {"baby_name": "Ada", "birth_date": "2026-12-01"},
            "birth_date: 2026-12-01 is in the future; give it as the due date",
        ),
        ({"baby_name": "Ada"}, "birth_date: give the baby's birth date or due date"),
        (
            {"baby_name": "Ada", "birth_date": "2026-11-01", "units": "cups"},
            "units: unknown units 'cups'; choose one of ml, oz",
        ),
    ):
        response = b.post("/setup", {**form, **baby})
        assert response.status_code == 422 and alert_of(response) == [error]
        assert db.scalars(select(Household)).all() == [] and db.scalars(select(Membership)).all() == []
    response = b.post("/setup", {**form, "baby_name": "Ada", "due_date": "2026-12-01"})
    assert "Welcome to The Okafors." in response.text
    assert len(db.scalars(select(Household)).all()) == 1 and len(db.scalars(select(Membership)).all()) == 1


def test_the_first_account_can_claim_the_command_lines_household(browser, db, now):
    cli_home = households.default(db, now=now)
    make_session(db, cli_home.id, now)
    b = browser(client=("127.0.0.1", 50000))
    b.get("/signup")
    page = b.post("/signup", {"email": "ada@example.org", "password": PASSWORD, "password2": PASSWORD})
    assert "made from the command line, with 1 session and nobody signed up to it yet" in page.text
    b.post("/setup", {"claim": "1"})
    assert "11:00 · hand · 20 min" in b.get("/log").text  # the command line's session shows on the web
    user = db.scalars(select(User)).one()
    assert db.get(Membership, (cli_home.id, user.id)).role == Role.OWNER.value
    assert len(db.scalars(select(Household)).all()) == 1
    # a second account is not offered anyone's household
    other = browser()
    other.get("/signup")
    page = other.post("/signup", {"email": "sam@example.org", "password": PASSWORD, "password2": PASSWORD})
    assert "made from the command line" not in page.text
    assert other.post("/setup", {"claim": "1"}).status_code == 409


@pytest.mark.parametrize("address", ["testclient", "192.168.1.20", "::ffff:10.0.0.2", "2001:db8::1"])
def test_the_command_lines_household_is_not_offered_to_another_machine(browser, db, now, address):
    cli_home = households.default(db, now=now)
    make_session(db, cli_home.id, now)
    b = browser(client=(address, 50000))
    b.get("/signup")
    page = b.post("/signup", {"email": "eve@example.org", "password": PASSWORD, "password2": PASSWORD})
    assert "made from the command line, with 1 session" not in page.text and 'name="claim"' not in page.text
    assert "works only from this machine" in page.text
    response = b.post("/setup", {"claim": "1"})
    assert response.status_code == 409
    (error,) = alert_of(response)
    assert error.startswith(
        "Taking over the command line's household works only from this machine "
        "(open letdown at http://127.0.0.1:"
    )
    assert db.scalars(select(Membership)).all() == []


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.0.1", "::1", "::ffff:127.0.0.1"])
def test_the_command_lines_household_can_be_claimed_from_a_loopback_address(db, now, address):
    cli_home = households.default(db, now=now)
    user = accounts.create_user(db, email="ada@example.org", password=PASSWORD, now=now)
    token = accounts.sign_in(db, email="ada@example.org", password=PASSWORD, address=address, now=now)
    viewer = accounts.current(db, token, now=now)
    assert accounts.claim(db, viewer, address=address, now=now).id == cli_home.id
    assert db.get(Membership, (cli_home.id, user.id)).role == Role.OWNER.value


def test_a_session_expires_after_30_days_without_use_and_is_cleared_at_the_next_sign_in(db, now):
    from datetime import timedelta

    make_member(db, now, "ada@example.org")
    token = accounts.sign_in(db, email="ada@example.org", password=PASSWORD, address="x", now=now)
    assert accounts.current(db, token, now=now + timedelta(days=29)) is not None  # refreshes it
    assert accounts.current(db, token, now=now + timedelta(days=29 + 31)) is None
    stale = accounts.sign_in(db, email="ada@example.org", password=PASSWORD, address="x", now=now)
    accounts.sign_in(
        db, email="ada@example.org", password=PASSWORD, address="x", now=now + timedelta(days=40)
    )
    assert accounts.current(db, stale, now=now + timedelta(days=40)) is None
    assert len(db.scalars(select(WebSession)).all()) == 1


def test_change_password_checks_the_current_one_and_signs_out_other_browsers(owner, browser, db):
    b, _, _ = owner
    other = browser()
    other.sign_in("ada@example.org")
    b.get("/settings")
    wrong = b.post(
        "/settings/password",
        {"current_password": "nope", "new_password": "a new long one", "new_password2": "a new long one"},
    )
    assert alert_of(wrong) == ["current_password: is not your current password"]
    response = b.post(
        "/settings/password",
        {"current_password": PASSWORD, "new_password": "a new long one", "new_password2": "a new long one"},
    )
    assert "Password changed; other browsers were signed out." in response.text
    assert other.client.get("/", follow_redirects=False).headers["location"] == "/signin"
    fresh = browser()
    assert fresh.sign_in("ada@example.org", "a new long one").status_code == 200
    assert b.get("/settings").status_code == 200


def test_set_up_asks_how_the_baby_feeds_and_a_bad_answer_creates_nothing(browser, db):

    b = browser()
    b.get("/signup")
    b.post("/signup", {"email": "ada@example.org", "password": PASSWORD, "password2": PASSWORD})
    page = b.get("/setup").text
    assert '<select id="feeding_mode" name="feeding_mode">' in page
    assert "exclusively expressing (my baby does not feed at the breast)" in page
    assert "The NHS advice of 8–10 sessions in 24 hours is written for a baby who is not feeding" in page
    form = {"name": "The Okafors", "timezone": "Europe/London", "units": "ml", "storage_profile": "cdc"}
    response = b.post("/setup", {**form, "feeding_mode": "sometimes"})
    assert response.status_code == 422
    assert alert_of(response) == [
        "feeding_mode: unknown feeding mode 'sometimes'; choose one of exclusive, partly, occasional"
    ]
    assert db.scalars(select(Household)).all() == []
    response = b.post("/setup", {**form, "feeding_mode": "partly"})
    assert "Welcome to The Okafors." in response.text
    household = db.scalars(select(Household)).one()
    assert household_settings.feeding_mode(db, household.id).value == "partly"
