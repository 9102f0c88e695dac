"""Account lifecycle on the web, per role: an owner resets a member's password (which signs
them out), leaving a household, deleting an account and its data."""

from __future__ import annotations

from sqlalchemy import func, select

from letdown.domain.choices import Role
from letdown.store.models import ExpressionSession, Household, Membership, User, WebSession
from tests.factories import make_session
from tests.web.conftest import PASSWORD, alert_of, flash_of, make_member

NEW = "a brand new passphrase"


def count(db, model, *where) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model).where(*where))


def test_an_owner_resets_a_members_password_and_signs_them_out(db, now, owner, browser) -> None:
    ada, household_id, _ = owner
    bo, _ = make_member(db, now, "bo@example.org", Role.CAREGIVER, household_id)
    bo_browser = browser()
    bo_browser.sign_in("bo@example.org")
    assert bo_browser.get("/settings").status_code == 200
    r = ada.post(
        f"/settings/members/{bo.id}/password",
        {"new_password": NEW, "new_password2": NEW},
        follow_redirects=True,
    )
    assert "New password set for bo@example.org; they were signed out everywhere." in flash_of(r)
    assert bo_browser.get("/settings", follow_redirects=False).status_code in (303, 307)
    assert count(db, WebSession, WebSession.user_id == bo.id) == 0
    again = browser()
    again.sign_in("bo@example.org", NEW)
    assert "Signed in as bo@example.org" in again.get("/settings").text
    assert browser().sign_in("bo@example.org", PASSWORD).status_code == 401


def test_reset_refusals_mismatch_self_and_an_account_in_another_household(db, now, owner) -> None:
    ada, household_id, ada_user = owner
    bo, _ = make_member(db, now, "bo@example.org", Role.VIEWER, household_id)
    r = ada.post(f"/settings/members/{bo.id}/password", {"new_password": NEW, "new_password2": NEW + "x"})
    assert r.status_code == 422 and "the two new passwords are not the same" in " ".join(alert_of(r))
    r = ada.post(f"/settings/members/{ada_user.id}/password", {"new_password": NEW, "new_password2": NEW})
    assert r.status_code == 409 and "Change your own password with your current one" in " ".join(alert_of(r))
    other, other_home = make_member(db, now, "cy@example.org")
    from letdown.services.accounts import users as accounts

    accounts.add_member(db, household_id, other.id, Role.CAREGIVER, now=now)
    r = ada.post(f"/settings/members/{other.id}/password", {"new_password": NEW, "new_password2": NEW})
    assert r.status_code == 409
    assert "cy@example.org also belongs to another household" in " ".join(alert_of(r))
    r = ada.post("/settings/members/nobody/password", {"new_password": NEW, "new_password2": NEW})
    assert r.status_code == 404


def test_caregivers_and_viewers_cannot_reset_passwords(db, now, owner, browser) -> None:
    _, household_id, ada_user = owner
    for email, role in [("cg@example.org", Role.CAREGIVER), ("vw@example.org", Role.VIEWER)]:
        make_member(db, now, email, role, household_id)
        b = browser()
        b.sign_in(email)
        r = b.post(f"/settings/members/{ada_user.id}/password", {"new_password": NEW, "new_password2": NEW})
        assert r.status_code == 403, email
        assert "Only an owner can change the household's settings" in " ".join(alert_of(r))
    still = browser()
    still.sign_in("ada@example.org")
    assert "Signed in as ada@example.org" in still.get("/settings").text


def test_a_caregiver_leaves_and_the_household_goes_on(db, now, owner, browser) -> None:
    _, household_id, _ = owner
    cg, _ = make_member(db, now, "cg@example.org", Role.CAREGIVER, household_id)
    b = browser()
    b.sign_in("cg@example.org")
    r = b.post("/settings/leave", follow_redirects=False)
    assert r.status_code == 303
    assert count(db, Membership, Membership.user_id == cg.id) == 0
    assert count(db, Household, Household.id == household_id) == 1
    assert b.get("/stash", follow_redirects=False).status_code in (303, 307)  # no household now


def test_the_last_owner_cannot_leave(db, now, owner, browser) -> None:
    ada, household_id, _ = owner
    r = ada.post("/settings/leave")
    assert r.status_code == 409
    assert "You are this household's only member: delete your account" in " ".join(alert_of(r))
    make_member(db, now, "cg@example.org", Role.CAREGIVER, household_id)
    r = ada.post("/settings/leave")
    assert "make another member an owner before leaving" in " ".join(alert_of(r))


def test_deleting_an_account_offers_the_export_and_deletes_a_household_only_it_uses(db, now, owner) -> None:
    ada, household_id, ada_user = owner
    make_session(db, household_id, now)
    page = ada.get("/account/delete")
    assert page.status_code == 200
    assert 'href="/settings/export"' in page.text and "Home of ada@example.org" in page.text
    wrong = ada.post("/account/delete", {"password": "not it at all", "confirm": "yes"})
    assert wrong.status_code == 422 and "password: is not your current password" in " ".join(alert_of(wrong))
    unticked = ada.post("/account/delete", {"password": PASSWORD})
    assert unticked.status_code == 422
    assert count(db, User, User.id == ada_user.id) == 1
    done = ada.post("/account/delete", {"password": PASSWORD, "confirm": "yes"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/signin"
    assert count(db, User, User.id == ada_user.id) == 0
    assert count(db, Household, Household.id == household_id) == 0
    assert count(db, ExpressionSession, ExpressionSession.household_id == household_id) == 0


def test_deleting_an_account_leaves_a_shared_household_to_the_others(db, now, owner, browser) -> None:
    _, household_id, ada_user = owner
    make_session(db, household_id, now)
    cg, _ = make_member(db, now, "cg@example.org", Role.CAREGIVER, household_id)
    b = browser()
    b.sign_in("cg@example.org")
    gone = b.post("/account/delete", {"password": PASSWORD, "confirm": "yes"}, follow_redirects=False)
    assert gone.status_code == 303
    assert count(db, User, User.id == cg.id) == 0
    assert count(db, ExpressionSession, ExpressionSession.household_id == household_id) == 1


def test_the_only_owner_of_a_shared_household_cannot_delete_the_account(db, now, owner) -> None:
    ada, household_id, ada_user = owner
    make_member(db, now, "cg@example.org", Role.CAREGIVER, household_id)
    page = ada.get("/account/delete")
    assert "You are the only owner of Home of ada@example.org, which others still use" in page.text
    r = ada.post("/account/delete", {"password": PASSWORD, "confirm": "yes"})
    assert r.status_code == 409
    assert count(db, User, User.id == ada_user.id) == 1
