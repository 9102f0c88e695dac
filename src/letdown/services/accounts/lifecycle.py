"""An account's life after sign-up: a new password set from the command line, an owner resetting
a member's password, leaving a household, deleting an account with its data; and editing or
removing a baby (only an owner: ``Action.MANAGE_HOUSEHOLD``, checked by the callers' pages).
Removing a baby keeps their sessions in the log, unlinked: the log is the parent's own record.

Who may do what:

- ``letdown user passwd`` (whoever runs the server's command line) sets any account's password.
- An **owner** resets the password of another member of their household, but only of an account
  that belongs to no other household (an owner of one household must not take over an account
  that reaches another one). The member is signed out everywhere.
- Anyone **leaves** a household, but its last owner: a household always keeps an owner.
- Anyone **deletes** their own account with their password. Households where they are the only
  member are deleted with all their data (the page offers the export first); where others remain
  they are taken out, and a last owner with other members is refused until another is owner.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from letdown.domain import permissions
from letdown.domain.choices import Role
from letdown.domain.errors import InvalidInput, NotFound, Refused
from letdown.domain.permissions import Action
from letdown.services.accounts import households
from letdown.services.accounts import users as accounts
from letdown.services.accounts.households import BabyView
from letdown.services.accounts.users import Viewer
from letdown.store.models import (
    Baby,
    ExpressionSession,
    Household,
    Membership,
    User,
    WebSession,
    load_all,
)


def _sign_out_everywhere(db: Session, user_id: str) -> int:
    result = db.execute(delete(WebSession).where(WebSession.user_id == user_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def set_password(db: Session, email: str, new: str, *, now: datetime) -> int:
    """Set the password of the account ``email`` (the command line); returns the browsers signed out."""
    address = accounts.normalize_email(email)
    user = db.scalars(select(User).where(User.email == address)).first()
    if user is None:
        raise NotFound("account", address)
    user.password_hash = accounts.hash_password(accounts.validate_password(new))
    signed_out = _sign_out_everywhere(db, user.id)
    db.commit()
    return signed_out


def reset_member_password(db: Session, viewer: Viewer, user_id: str, new: str, *, now: datetime) -> str:
    """An owner gives a member of their household a new password; returns the member's email."""
    if viewer.role is None or viewer.household_id is None:
        raise Refused("You are not in a household")
    permissions.check(viewer.role, Action.MANAGE_HOUSEHOLD)
    if user_id == viewer.user_id:
        raise Refused("Change your own password with your current one (Settings, Password)")
    member = db.get(Membership, (viewer.household_id, user_id))
    user = db.get(User, user_id)
    if member is None or user is None:
        raise NotFound("member", user_id)
    elsewhere = db.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.user_id == user_id, Membership.household_id != viewer.household_id)
    )
    if elsewhere:
        raise Refused(
            f"{user.email} also belongs to another household, so only they can change their password "
            "(or whoever runs the server: letdown user passwd)"
        )
    user.password_hash = accounts.hash_password(accounts.validate_password(new))
    _sign_out_everywhere(db, user_id)
    db.commit()
    return user.email


def _owners(db: Session, household_id: str) -> list[str]:
    return list(
        db.scalars(
            select(Membership.user_id).where(
                Membership.household_id == household_id, Membership.role == Role.OWNER.value
            )
        ).all()
    )


def _members(db: Session, household_id: str) -> list[str]:
    return list(db.scalars(select(Membership.user_id).where(Membership.household_id == household_id)).all())


def leave_household(db: Session, viewer: Viewer) -> None:
    """Take the signed-in person out of their current household (never its last owner)."""
    if viewer.household_id is None:
        raise Refused("You are not in a household")
    household_id = viewer.household_id
    if viewer.role is Role.OWNER and _owners(db, household_id) == [viewer.user_id]:
        others = len(_members(db, household_id)) - 1
        if others:
            raise Refused("You are this household's only owner: make another member an owner before leaving")
        raise Refused("You are this household's only member: delete your account to delete it with its data")
    db.execute(
        delete(Membership).where(
            Membership.household_id == household_id, Membership.user_id == viewer.user_id
        )
    )
    db.execute(
        update(WebSession)
        .where(WebSession.user_id == viewer.user_id, WebSession.household_id == household_id)
        .values(household_id=None)
    )
    db.commit()


def delete_household_data(db: Session, household_id: str) -> None:
    """Every row of the household, children first (no commit)."""
    tables = [t for t in reversed(load_all().sorted_tables) if "household_id" in t.c]
    for table in tables:
        db.execute(delete(table).where(table.c.household_id == household_id))
    db.execute(delete(Household).where(Household.id == household_id))


def deletion_plan(db: Session, user_id: str) -> tuple[list[str], list[str]]:
    """(households deleted with the account, households it only leaves); refuses a last owner
    of a household that others still use."""
    deleted, left = [], []
    for (household_id,) in db.execute(select(Membership.household_id).where(Membership.user_id == user_id)):
        members = _members(db, household_id)
        if members == [user_id]:
            deleted.append(household_id)
            continue
        if _owners(db, household_id) == [user_id]:
            name = db.get(Household, household_id)
            raise Refused(
                f"You are the only owner of {name.name if name else household_id}, which others still "
                "use: make one of them an owner first"
            )
        left.append(household_id)
    return deleted, left


def delete_account(db: Session, viewer: Viewer, *, password: str) -> int:
    """Delete the signed-in account after its password is checked; returns households deleted."""
    user = db.get(User, viewer.user_id)
    if user is None or not accounts.verify_password(user.password_hash, password):
        raise InvalidInput("password", "is not your current password")
    deleted, _left = deletion_plan(db, user.id)
    _sign_out_everywhere(db, user.id)
    db.execute(delete(Membership).where(Membership.user_id == user.id))
    for household_id in deleted:
        delete_household_data(db, household_id)
    db.delete(user)
    db.commit()
    return len(deleted)


# --- babies ------------------------------------------------------------------------------------

KEEP = object()  # an edit leaves this field as it is
BABY_SESSIONS_KEPT = (
    "Their {n} logged session{s} {verb} in the log (the parent's own record), no longer linked to a baby."
)


def _baby(db: Session, household_id: str, baby_id: str) -> Baby:
    row = db.get(Baby, (household_id, baby_id))
    if row is None:
        raise NotFound("baby", baby_id)
    return row


def baby_sessions(db: Session, household_id: str, baby_id: str) -> int:
    """How many logged sessions name this baby (what removing it would unlink)."""
    _baby(db, household_id, baby_id)
    return int(
        db.scalar(
            select(func.count())
            .select_from(ExpressionSession)
            .where(ExpressionSession.household_id == household_id, ExpressionSession.baby_id == baby_id)
        )
        or 0
    )


def removal_notice(db: Session, household_id: str, baby_id: str) -> str:
    n = baby_sessions(db, household_id, baby_id)
    return BABY_SESSIONS_KEPT.format(n=n, s="" if n == 1 else "s", verb="stays" if n == 1 else "stay")


def edit_baby(
    db: Session,
    household_id: str,
    baby_id: str,
    *,
    now: datetime,
    name: object = KEEP,
    birth_date: object = KEEP,
    due_date: object = KEEP,
) -> BabyView:
    """Change a baby's name, birth date or due date (the same rules as adding one)."""
    row = _baby(db, household_id, baby_id)
    household = households.get(db, household_id)
    new_name = row.name if name is KEEP else households._validate_name(str(name))
    born = row.birth_date if birth_date is KEEP else birth_date
    due = row.due_date if due_date is KEEP else due_date
    if born is None and due is None:
        raise InvalidInput("birth_date", "give a birth date or a due date")
    if isinstance(born, date) and born > now.astimezone(household.tz).date():
        raise InvalidInput("birth_date", f"{born.isoformat()} is in the future; give it as the due date")
    row.name, row.birth_date, row.due_date = new_name, born, due  # type: ignore[assignment]
    db.commit()
    return households._baby_view(row)


def remove_baby(db: Session, household_id: str, baby_id: str) -> int:
    """Remove a baby; their sessions stay in the log, unlinked. Returns how many were unlinked."""
    row = _baby(db, household_id, baby_id)
    unlinked = db.execute(
        update(ExpressionSession)
        .where(ExpressionSession.household_id == household_id, ExpressionSession.baby_id == baby_id)
        .values(baby_id=None)
    ).rowcount  # type: ignore[attr-defined]
    db.delete(row)
    db.commit()
    return int(unlinked or 0)
