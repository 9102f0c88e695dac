"""An account's life from the web: an owner resets a member's password, leaving a household,
deleting an account (the rules are in ``services/lifecycle.py``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from letdown.api.deps import DbDep, NowDep
from letdown.domain.errors import InvalidInput, LetdownError
from letdown.domain.permissions import Action
from letdown.domain.timeparse import parse_date
from letdown.services.accounts import lifecycle
from letdown.store.models import Household
from letdown.web import deps
from letdown.web.deps import FormDep, MemberDep, UserDep, may
from letdown.web.errors import status_of
from letdown.web.flash import set_flash
from letdown.web.pages.settings import _page as settings_page
from letdown.web.render import redirect, render

router = APIRouter(include_in_schema=False)


@router.post("/settings/members/{user_id}/password")
def reset_password(
    request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep, user_id: str
) -> Response:
    try:
        if form.get("new_password", "") != form.get("new_password2", ""):
            raise InvalidInput("new_password2", "the two new passwords are not the same")
        email = lifecycle.reset_member_password(db, viewer, user_id, form.get("new_password", ""), now=now)
    except LetdownError as exc:
        return settings_page(request, db, viewer, now, status=status_of(exc), error=str(exc))
    set_flash(db, viewer, f"New password set for {email}; they were signed out everywhere.")
    return redirect("/settings")


@router.post("/settings/leave")
def leave(request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep) -> Response:
    try:
        lifecycle.leave_household(db, viewer)
    except LetdownError as exc:
        return settings_page(request, db, viewer, now, status=status_of(exc), error=str(exc))
    return redirect("/")


def _delete_page(
    request: Request, db: DbDep, viewer: UserDep, *, status: int = 200, error: str | None = None
) -> Response:
    try:
        deleted, left = lifecycle.deletion_plan(db, viewer.user_id)
        refusal = None
    except LetdownError as exc:
        deleted, left, refusal = [], [], str(exc)
    rows = {h: db.get(Household, h) for h in deleted + left}
    names = {h: (row.name if row is not None else h) for h, row in rows.items()}
    return render(
        request,
        "account_delete.html",
        {
            "title": "Delete your account",
            "deleted": [names[h] for h in deleted],
            "left": [names[h] for h in left],
            "refusal": refusal,
            "can_export": viewer.role is not None and may(viewer, Action.MANAGE_HOUSEHOLD),
        },
        status=status,
        error=error,
    )


@router.get("/account/delete")
def delete_form(request: Request, db: DbDep, viewer: UserDep) -> Response:
    return _delete_page(request, db, viewer)


@router.post("/account/delete")
def delete(request: Request, db: DbDep, viewer: UserDep, form: FormDep) -> Response:
    if form.get("confirm") != "yes":
        return _delete_page(request, db, viewer, status=422, error="Tick the box to confirm")
    try:
        lifecycle.delete_account(db, viewer, password=form.get("password", ""))
    except LetdownError as exc:
        db.rollback()
        return _delete_page(request, db, viewer, status=status_of(exc), error=str(exc))
    response = redirect("/signin")
    response.delete_cookie(deps.SESSION_COOKIE, path="/")
    return response


def _owner_only(viewer: MemberDep) -> str:
    deps.require(viewer, Action.MANAGE_HOUSEHOLD)
    assert viewer.household_id is not None
    return viewer.household_id


@router.post("/settings/babies/{baby_id}/edit")
def edit_baby(
    request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep, baby_id: str
) -> Response:
    household_id = _owner_only(viewer)
    try:
        born = form.get("birth_date", "").strip()
        due = form.get("due_date", "").strip()
        view = lifecycle.edit_baby(
            db,
            household_id,
            baby_id,
            now=now,
            name=form.get("name", ""),
            birth_date=parse_date(born, field="birth_date") if born else None,
            due_date=parse_date(due, field="due_date") if due else None,
        )
    except LetdownError as exc:
        db.rollback()
        return settings_page(request, db, viewer, now, status=status_of(exc), error=str(exc))
    set_flash(db, viewer, f"Saved {view.name}.")
    return redirect("/settings")


@router.post("/settings/babies/{baby_id}/remove")
def remove_baby(
    request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep, baby_id: str
) -> Response:
    household_id = _owner_only(viewer)
    try:
        notice = lifecycle.removal_notice(db, household_id, baby_id)
        if form.get("confirm") != "yes":
            raise InvalidInput("confirm", f"tick the box to remove the baby. {notice}")
        lifecycle.remove_baby(db, household_id, baby_id)
    except LetdownError as exc:
        return settings_page(request, db, viewer, now, status=status_of(exc), error=str(exc))
    set_flash(db, viewer, f"Removed. {notice}")
    return redirect("/settings")
