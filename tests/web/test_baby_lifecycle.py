"""Editing and removing a baby, per role, web and command line: removing says what happens to
the baby's sessions (they stay in the log, unlinked) and asks first."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from letdown.domain.choices import Role
from letdown.services.accounts import households
from letdown.store.models import Baby, ExpressionSession
from tests.factories import make_session
from tests.web.conftest import alert_of, flash_of, make_member


def test_an_owner_edits_a_baby_and_bad_dates_are_refused(db, now, owner) -> None:
    ada, household_id, _ = owner
    baby = households.add_baby(
        db, household_id, name="Bo", birth_date=date(2026, 11, 1), due_date=None, now=now
    )
    r = ada.post(
        f"/settings/babies/{baby.id}/edit", {"name": "Bo Okafor", "birth_date": "2026-11-03", "due_date": ""}
    )
    assert "Saved Bo Okafor." in flash_of(r)
    db.expire_all()
    row = db.get(Baby, (household_id, baby.id))
    assert row.name == "Bo Okafor" and row.birth_date == date(2026, 11, 3)
    future = ada.post(
        f"/settings/babies/{baby.id}/edit", {"name": "Bo", "birth_date": "2027-01-01", "due_date": ""}
    )
    assert future.status_code == 422
    assert "2027-01-01 is in the future; give it as the due date" in " ".join(alert_of(future))
    neither = ada.post(f"/settings/babies/{baby.id}/edit", {"name": "Bo", "birth_date": "", "due_date": ""})
    assert "give a birth date or a due date" in " ".join(alert_of(neither))
    db.expire_all()
    assert db.get(Baby, (household_id, baby.id)).name == "Bo Okafor"


def test_removing_a_baby_asks_and_keeps_their_sessions_unlinked(db, now, owner) -> None:
    ada, household_id, _ = owner
    baby = households.add_baby(
        db, household_id, name="Bo", birth_date=date(2026, 11, 1), due_date=None, now=now
    )
    made = make_session(db, household_id, now)
    assert db.get(ExpressionSession, (household_id, made.id)).baby_id == baby.id
    unasked = ada.post(f"/settings/babies/{baby.id}/remove", {})
    assert unasked.status_code == 422
    assert "Their 1 logged session stays in the log" in " ".join(alert_of(unasked))
    r = ada.post(f"/settings/babies/{baby.id}/remove", {"confirm": "yes"})
    assert any("no longer linked to a baby" in f for f in flash_of(r))
    db.expire_all()
    assert db.get(Baby, (household_id, baby.id)) is None
    kept = db.scalars(select(ExpressionSession).where(ExpressionSession.household_id == household_id)).all()
    assert len(kept) == 1 and kept[0].baby_id is None


def test_caregivers_and_viewers_cannot_edit_or_remove_a_baby(db, now, owner, browser) -> None:
    _, household_id, _ = owner
    baby = households.add_baby(
        db, household_id, name="Bo", birth_date=date(2026, 11, 1), due_date=None, now=now
    )
    for email, role in [("cg@example.org", Role.CAREGIVER), ("vw@example.org", Role.VIEWER)]:
        make_member(db, now, email, role, household_id)
        b = browser()
        b.sign_in(email)
        assert (
            b.post(f"/settings/babies/{baby.id}/edit", {"name": "X", "birth_date": "2026-11-01"}).status_code
            == 403
        )
        assert b.post(f"/settings/babies/{baby.id}/remove", {"confirm": "yes"}).status_code == 403
    db.expire_all()
    assert db.get(Baby, (household_id, baby.id)).name == "Bo"


def test_another_households_baby_is_not_found(db, now, owner) -> None:
    ada, _, _ = owner
    _, other_home = make_member(db, now, "cy@example.org")
    theirs = households.add_baby(
        db, other_home, name="Cy", birth_date=date(2026, 11, 1), due_date=None, now=now
    )
    assert ada.post(f"/settings/babies/{theirs.id}/remove", {"confirm": "yes"}).status_code == 404
    assert (
        ada.post(
            f"/settings/babies/{theirs.id}/edit", {"name": "Mine", "birth_date": "2026-11-01"}
        ).status_code
        == 404
    )


def test_cli_baby_edit_and_remove(db_url) -> None:
    from tests.cli.conftest import Cli

    run = Cli(db_url)
    run.json("init", "--name", "Okafor")
    baby = run.json("baby", "add", "--name", "Bo", "--born", "2026-11-01")
    run.json("log", "add", "--start", "-40m", "--minutes", "20", "--method", "hand")
    edited = run.json("baby", "edit", baby["id"], "--name", "Bo Okafor")
    assert edited["name"] == "Bo Okafor" and edited["birth_date"] == "2026-11-01"
    nothing = run("baby", "edit", baby["id"])
    assert nothing.exit_code == 2 and "nothing to change" in nothing.output
    declined = run("baby", "remove", baby["id"], input="n\n")
    assert declined.exit_code == 1
    assert (
        "Their 1 logged session stays in the log (the parent's own record), no longer linked to a baby."
        in declined.output
    )
    done = run("baby", "remove", baby["id"], input="y\n")
    assert done.exit_code == 0 and f"Removed baby {baby['id']}." in done.output
    assert run.json("baby", "list") == []
    assert len(run.json("log", "list")) == 1
    missing = run("baby", "remove", "nope", "--yes")
    assert missing.exit_code == 2 and "No baby with id 'nope'" in missing.output
