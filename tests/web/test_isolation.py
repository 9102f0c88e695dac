"""Nobody sees another household's data: every page and action with another household's ids
answers 404, exactly like an id that does not exist, and changes nothing."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from letdown.services.accounts import households, members
from letdown.services.accounts import users as accounts
from letdown.services.log import sessions
from letdown.services.stash import containers as stash
from letdown.store.models import Baby, Invite, Membership, ShareLink, User
from tests.factories import make_session
from tests.web.conftest import PASSWORD, alert_of, make_member


@pytest.fixture
def two_homes(owner, db, now):
    """Ada's signed-in browser, and Ben's household with a session, milk, an invite and a share."""
    b, mine, _ = owner
    ben, theirs = make_member(db, now, "ben@example.org")
    session = make_session(db, theirs, now)
    container = stash.add(db, theirs, ml=120, expressed_at="-2h", location="fridge", now=now)
    _, invite = members.create_invite(db, theirs, role="caregiver", by=ben.id, now=now)
    _, share = members.create_share(db, theirs, name="IBCLC", days=7, by=ben.id, now=now)
    baby = households.add_baby(db, theirs, name="Cy", birth_date=date(2026, 11, 1), due_date=None, now=now)
    return (
        b,
        mine,
        theirs,
        {
            "session": session.id,
            "container": container.id,
            "invite": invite.id,
            "share": share.id,
            "user": ben.id,
            "baby": baby.id,
        },
    )


GETS = ["/log/{session}", "/log/{session}/assessment", "/stash/{container}", "/stash/{container}/label"]
POSTS = [
    ("/log/{session}", {"start": "-30m", "minutes": "10", "method": "hand"}),
    ("/log/{session}/delete", {}),
    ("/stash/{container}/use", {}),  # the {action} route, once per action
    ("/stash/{container}/discard", {}),
    ("/stash/{container}/move", {"to": "freezer"}),
    ("/stash/{container}/thaw", {"where": "fridge"}),
    ("/stash/{container}/feed", {}),
    ("/stash/{container}/split", {"volume": "10"}),
    ("/settings/invites/{invite}/revoke", {}),
    ("/settings/shares/{share}/revoke", {}),
    ("/settings/members/{user}/remove", {}),
    (
        "/settings/members/{user}/password",
        {"new_password": "taken over now", "new_password2": "taken over now"},
    ),
    ("/settings/babies/{baby}/edit", {"name": "Mine", "birth_date": "2026-11-02"}),
    ("/settings/babies/{baby}/remove", {"confirm": "yes"}),
]


@pytest.mark.parametrize("path", GETS)
def test_pages_of_another_households_records_are_not_found(two_homes, path):
    b, _, _, ids = two_homes
    response = b.get(path.format(**ids))
    assert response.status_code == 404
    assert alert_of(response)[0].startswith("No ")


def test_a_scanned_label_of_another_household_is_not_found(two_homes):
    b, _, _, ids = two_homes
    assert b.get(f"/c/{ids['container']}").status_code == 404


@pytest.mark.parametrize(("path", "data"), POSTS)
def test_actions_on_another_households_records_are_not_found_and_change_nothing(
    two_homes, db, now, path, data
):
    b, _, theirs, ids = two_homes
    b.get("/settings")
    response = b.post(path.format(**ids), data)
    assert response.status_code == 404, response.text
    assert sessions.get(db, theirs, ids["session"]).left_ml == 30.0
    view = stash.get(db, theirs, ids["container"], now=now)
    assert (view.standing.location.value, view.standing.status.value, len(view.history)) == (
        "fridge",
        "ok",
        1,
    )
    db.expire_all()
    assert db.get(Invite, (theirs, ids["invite"])).revoked_at is None
    assert db.get(ShareLink, (theirs, ids["share"])).revoked_at is None
    assert db.get(Membership, (theirs, ids["user"])) is not None
    assert db.get(Baby, (theirs, ids["baby"])).name == "Cy"
    assert accounts.verify_password(db.get(User, ids["user"]).password_hash, PASSWORD)


def test_lists_show_only_the_households_own_records(two_homes):
    b, _, _, ids = two_homes
    for path in ("/", "/log?days=90", "/stash", "/settings"):
        text = b.get(path).text
        for value in (ids["session"], ids["container"], ids["invite"], ids["share"], "ben@example.org"):
            assert value not in text, (path, value)


def test_switching_to_another_households_id_is_not_found(two_homes):
    b, _, theirs, _ = two_homes
    b.get("/settings")
    assert b.post("/switch", {"household": theirs}).status_code == 404


def test_another_households_share_link_shows_only_that_household(two_homes, db, now):
    b, mine, theirs, _ = two_homes
    make_session(db, mine, now, left_ml=777.0)
    token, _ = members.create_share(db, theirs, name="Dr", days=7, by=None, now=now)
    text = b.get(f"/share/{token}").text
    assert "Expression report: Home of ben@example.org" in text and "777" not in text
    forged = mine + "_" + token.partition("_")[2]  # the secret under another household's id
    assert b.get(f"/share/{forged}").status_code == 404


def test_an_invite_joins_only_its_own_household(two_homes, db, now, browser):
    _, mine, theirs, _ = two_homes
    token, _ = members.create_invite(db, mine, role="caregiver", by=None, now=now)
    sam = browser()
    sam.get("/signup")
    sam.post(
        "/signup",
        {
            "email": "sam@example.org",
            "password": "correct horse battery",
            "password2": "correct horse battery",
        },
    )
    sam.post(f"/join/{token}")
    joined = {m.household_id for m in db.scalars(select(Membership).where(Membership.role == "caregiver"))}
    assert joined == {mine}


# Web routes whose ids are not household records: tokens carry their own check, topics are shared.
NOT_HOUSEHOLD_IDS = {"/join/{token}", "/share/{token}", "/guide/{topic_id}", "/c/{container_id}"}


def test_every_web_route_with_an_id_is_in_this_file():
    import importlib

    from letdown.web import PAGES

    covered = {re.sub(r"{\w+}", "{}", p) for p in GETS} | {re.sub(r"{\w+}", "{}", p) for p, _ in POSTS}
    covered |= {"/stash/{}/{}"} | {re.sub(r"{\w+}", "{}", p) for p in NOT_HOUSEHOLD_IDS}
    for target in PAGES:
        module, attr = target.split(":")
        for route in getattr(importlib.import_module(module), attr).routes:
            if "{" in route.path:
                assert re.sub(r"{\w+}", "{}", route.path) in covered, f"add {route.path} to GETS or POSTS"
