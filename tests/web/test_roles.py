"""Roles: a caregiver has the stash and feeds, the log only when the parent shares it; a viewer
changes nothing; invites and share links expire and can be revoked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from letdown.domain.choices import Role
from letdown.services.accounts import members
from letdown.services.stash import containers as stash
from letdown.store.models import Container, Membership
from tests.factories import make_session
from tests.web.conftest import PASSWORD, alert_of, flash_of, make_member


@pytest.fixture
def household(owner, db, now):
    b, household_id, _ = owner
    make_session(db, household_id, now)
    stash.add(db, household_id, ml=90, expressed_at="-1h", location="fridge", now=now)
    return household_id


def member(browser, db, now, household_id, role):
    email = f"{role}@example.org"
    make_member(db, now, email, Role(role), household_id)
    b = browser()
    b.sign_in(email)
    return b


def test_a_caregiver_sees_the_stash_but_not_an_unshared_log(browser, db, now, household):
    b = member(browser, db, now, household, "caregiver")
    assert b.get("/stash").status_code == 200
    response = b.get("/log")
    assert response.status_code == 403
    assert alert_of(response) == ["The expression log is not shared with this household's caregivers"]
    home = b.get("/")
    assert "Last session" not in home.text and 'href="/log"' not in home.text
    assert b.post("/stash", {"volume": "60", "expressed_at": "-30m", "location": "fridge"}).status_code == 200
    assert len(db.scalars(select(Container)).all()) == 2


def test_once_shared_a_caregiver_reads_the_log_but_cannot_change_it(owner, browser, db, now, household):
    parent, _, _ = owner
    parent.get("/settings")
    parent.post("/settings/sessions", {"share_log": "on", "interval_hours": "3"})
    b = member(browser, db, now, household, "caregiver")
    assert b.get("/log").status_code == 200
    assert b.get("/log/new").status_code == 403
    response = b.post("/log", {"start": "-30m", "minutes": "10", "method": "hand"})
    assert alert_of(response) == ["Only the parent who expresses (an owner) can change the expression log"]


def test_a_viewer_looks_but_changes_nothing(browser, db, now, household):
    b = member(browser, db, now, household, "viewer")
    page = b.get("/stash")
    assert page.status_code == 200 and 'action="/stash"' not in page.text
    response = b.post("/stash", {"volume": "60", "expressed_at": "-30m", "location": "fridge"})
    assert response.status_code == 403
    assert alert_of(response) == ["A viewer can look at the stash but not change it"]
    container = db.scalars(select(Container)).one()
    assert b.post(f"/stash/{container.id}/use").status_code == 403


@pytest.mark.parametrize("role", ["caregiver", "viewer"])
def test_only_an_owner_changes_settings_members_and_links(browser, db, now, household, role):
    b = member(browser, db, now, household, role)
    assert b.get("/settings").status_code == 200
    for path, data in [
        ("/settings/household", {"name": "Mine now"}),
        ("/settings/sessions", {"share_log": "on"}),
        ("/settings/invites", {"role": "caregiver"}),
        ("/settings/shares", {"name": "x", "days": "7"}),
    ]:
        response = b.post(path, data)
        assert response.status_code == 403
        assert alert_of(response) == ["Only an owner can change the household's settings, members and links"]
    assert b.get("/settings/export").status_code == 403


def test_an_invite_link_adds_a_caregiver_once(owner, browser, db, now):
    parent, household_id, _ = owner
    parent.get("/settings")
    response = parent.post("/settings/invites", {"role": "caregiver"})
    (message,) = flash_of(response)
    link = message.split("shown once: ")[1].split(" ")[0]
    path = link.replace("https://testserver", "")
    partner = browser()
    page = partner.get(path)
    assert "This link adds you to" in page.text and "caregiver" in page.text
    partner.get(f"/signup?invite={path.rsplit('/', 1)[1]}")
    partner.post(
        "/signup",
        {
            "email": "sam@example.org",
            "password": PASSWORD,
            "password2": PASSWORD,
            "invite": path.rsplit("/", 1)[1],
        },
    )
    response = partner.post(path)
    assert flash_of(response) == ["You joined Home of ada@example.org as caregiver."]
    roles = {m.role for m in db.scalars(select(Membership).where(Membership.household_id == household_id))}
    assert roles == {"owner", "caregiver"}
    again = browser()
    response = again.get(path)
    assert response.status_code == 409
    assert alert_of(response) == ["This invite link has already been used; ask for a new one"]


def test_an_invite_can_be_revoked_and_expires(owner, db, now, browser):
    from letdown.api.deps import get_now

    parent, household_id, _ = owner
    token, invite = members.create_invite(db, household_id, role="viewer", by=None, now=now)
    parent.get("/settings")
    parent.post(f"/settings/invites/{invite.id}/revoke")
    assert browser().get(f"/join/{token}").status_code == 404
    token, _ = members.create_invite(db, household_id, role="viewer", by=None, now=now)
    app = parent.client.app

    async def later():
        return now + timedelta(days=members.INVITE_DAYS, seconds=1)

    app.dependency_overrides[get_now] = later
    response = browser().get(f"/join/{token}")
    assert response.status_code == 409
    assert alert_of(response) == ["This invite link has expired; ask for a new one"]


def test_invites_add_caregivers_and_viewers_not_owners(db, now, owner):
    _, household_id, _ = owner
    with pytest.raises(Exception, match="an invite adds a caregiver or a viewer, not an owner"):
        members.create_invite(db, household_id, role="owner", by=None, now=now)


def test_a_share_link_shows_the_log_read_only_until_revoked(owner, browser, db, now, household):
    parent, household_id, _ = owner
    parent.get("/settings")
    response = parent.post("/settings/shares", {"name": "IBCLC visit", "days": "14"})
    (message,) = flash_of(response)
    path = message.split("shown once: ")[1].split(" ")[0].replace("https://testserver", "")
    clinician = browser()
    page = clinician.get(path)
    assert page.status_code == 200
    assert "<h1>Expression report: Home of ada@example.org</h1>" in page.text and "<svg" in page.text
    assert "<form" not in page.text and "/stash" not in page.text and "<script" not in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    pdf = clinician.get(path + "?format=pdf")
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf.headers["content-disposition"]
    assert clinician.get(path + "?format=csv").status_code == 200
    (share,) = members.list_shares(db, household_id, now=now)
    parent.post(f"/settings/shares/{share.id}/revoke")
    assert clinician.get(path).status_code == 404


def test_a_share_link_expires(db, now, owner, browser):
    from letdown.api.deps import get_now

    parent, household_id, _ = owner
    token, _ = members.create_share(db, household_id, name="Dr", days=1, by=None, now=now)
    clinician = browser()
    assert clinician.get(f"/share/{token}").status_code == 200

    async def later():
        return now + timedelta(days=1, seconds=1)

    parent.client.app.dependency_overrides[get_now] = later
    assert clinician.get(f"/share/{token}").status_code == 404


def test_the_last_owner_cannot_be_removed(db, now, owner):
    _, household_id, user = owner
    with pytest.raises(Exception, match="The household's last owner cannot be removed"):
        members.remove_member(db, household_id, user.id)


def _container_from_a_session(db, now, household_id):
    """Milk stored from a hand session that started at 09:10 local time (a time no other
    line of the page has)."""
    session = make_session(db, household_id, now, start="2026-11-25 09:10", minutes=20, method="hand")
    view = stash.add(
        db,
        household_id,
        ml=80,
        expressed_at="2026-11-25 09:35",
        location="fridge",
        now=now,
        session_id=session.id,
    )
    return view.id


def test_a_caregiver_without_the_log_sees_no_session_on_the_container_page(browser, db, now, household):
    container_id = _container_from_a_session(db, now, household)
    for role in ("caregiver", "viewer"):
        page = member(browser, db, now, household, role).get(f"/stash/{container_id}")
        assert page.status_code == 200
        assert "Expressed 2026-11-25 09:10" not in page.text and "(hand)" not in page.text
        assert "09:10" not in page.text
        assert "80 ml" in page.text  # the stash itself is theirs to see


def test_the_session_shows_on_the_container_page_to_those_who_may_read_the_log(
    owner, browser, db, now, household
):
    container_id = _container_from_a_session(db, now, household)
    parent, _, _ = owner
    assert "(hand)" in parent.get(f"/stash/{container_id}").text
    parent.get("/settings")
    parent.post("/settings/sessions", {"share_log": "on", "interval_hours": "3"})
    page = member(browser, db, now, household, "caregiver").get(f"/stash/{container_id}")
    assert "09:10" in page.text and "(hand)" in page.text
