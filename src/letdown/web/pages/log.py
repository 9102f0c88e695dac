"""The expression log: sessions by day, charts over 14, 30 or 90 days, add and edit."""

from __future__ import annotations

import secrets
from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from letdown.api.deps import DbDep, NowDep
from letdown.api.idempotency import IdempotencyKeyDep, idempotent
from letdown.domain.choices import Location, Method, values
from letdown.domain.errors import InvalidInput, LetdownError
from letdown.domain.permissions import Action
from letdown.services.accounts import households
from letdown.services.accounts.households import HouseholdView
from letdown.services.log import sessions
from letdown.services.portability import demo
from letdown.web import charts, field_errors, forms
from letdown.web.deps import FormDep, MemberDep, may, require
from letdown.web.errors import status_of, wants_json
from letdown.web.flash import set_flash, take_flash
from letdown.web.render import redirect, render

router = APIRouter(include_in_schema=False)
WINDOWS = (14, 30, 90)


def _base(household: HouseholdView) -> dict[str, object]:
    return {"household": household, "tz": household.tz, "units": household.units}


def _store_offer(
    db: DbDep, viewer: MemberDep, household: HouseholdView, saved: str | None
) -> dict[str, str] | None:
    """After a session is saved: its milk, ready to store (linked, expressed at its start, volume
    prefilled in the household's unit). None when there is nothing to offer."""
    if not saved or not may(viewer, Action.EDIT_STASH):
        return None
    assert viewer.household_id is not None
    try:
        view = sessions.get(db, viewer.household_id, saved)
    except LetdownError:
        return None
    if view.total_ml <= 0:
        return None
    volume = forms.volume_text(view.total_ml, household.units)
    return {
        "session_id": view.id,
        "expressed_at": view.started_at.astimezone(household.tz).strftime("%Y-%m-%dT%H:%M"),
        "volume": volume,
        "unit": household.units.value,
    }


@router.get("/log")
def log(
    request: Request, db: DbDep, now: NowDep, viewer: MemberDep, days: int = 14, saved: str | None = None
) -> Response:
    require(viewer, Action.VIEW_LOG)
    if days not in WINDOWS:
        raise InvalidInput("days", f"choose 14, 30 or 90, got {days}")
    assert viewer.household_id is not None
    household = households.get(db, viewer.household_id)
    result, tz = sessions.stats(db, viewer.household_id, days=days, now=now)
    first = result.days[0].day.isoformat()
    listed = sessions.list_sessions(db, viewer.household_id, now=now, since=first)
    by_day = [
        (day, list(group)) for day, group in groupby(listed, key=lambda s: s.started_at.astimezone(tz).date())
    ]
    context = {
        **_base(household),
        "title": "Log",
        "days": days,
        "windows": WINDOWS,
        "stats": result,
        "by_day": by_day,
        "volume": charts.volume_chart(result.days, household.units),
        "count": charts.sessions_chart(result.days),
        "offer": _store_offer(db, viewer, household, saved),
        "locations": values(Location),
        "has_demo": demo.has_demo(db, viewer.household_id),
    }
    return render(request, "log.html", context, flash=take_flash(db, viewer))


def _form_page(
    request: Request,
    household: HouseholdView,
    form: dict[str, str],
    *,
    session_id: str | None,
    status: int = 200,
    exc: LetdownError | None = None,
) -> Response:
    found = (
        field_errors.field_error(
            exc, field_errors.SESSION_FIELDS, field_errors.form_units(form, household.units)
        )
        if exc is not None
        else None
    )
    context = {
        **_base(household),
        "title": "Edit session" if session_id else "Log a session",
        "form": form,
        "session_id": session_id,
        "methods": values(Method),
        "errors": found.as_context() if found else {},
    }
    error = (found.message if found else str(exc)) if exc is not None else None
    return render(request, "session_form.html", context, status=status, error=error)


@router.get("/log/new")
def new_session(request: Request, db: DbDep, now: NowDep, viewer: MemberDep) -> Response:
    require(viewer, Action.EDIT_LOG)
    assert viewer.household_id is not None
    household = households.get(db, viewer.household_id)
    values_ = forms.session_form(None, tz=household.tz, now=now, units=household.units)
    # One key per form: a second submit of the same form (a double tap, a resend) saves nothing
    # more. The page's script sends a fresh key per entry instead (static/savequeue.js).
    values_["idempotency_key"] = secrets.token_urlsafe(16)
    return _form_page(request, household, values_, session_id=None)


@router.post("/log")
def create_session(
    request: Request,
    db: DbDep,
    now: NowDep,
    viewer: MemberDep,
    form: FormDep,
    key: IdempotencyKeyDep = None,
) -> Response:
    """The log form, the timer and the save queue: HTML (a redirect, or the form with its error)
    for a browser's form, JSON for a script that asks for it (``Accept: application/json``)."""
    require(viewer, Action.EDIT_LOG)
    assert viewer.household_id is not None
    household_id = viewer.household_id
    household = households.get(db, household_id)
    as_json = wants_json(request)
    key = key or form.get("idempotency_key") or None
    payload = {k: v for k, v in form.items() if k not in ("csrf", "idempotency_key")}

    def work() -> Response:
        try:
            raw = forms.session_input(form, tz=household.tz, now=now, default_units=household.units)
            view = sessions.create(db, household_id, raw, now=now)
        except LetdownError as exc:
            if as_json:
                raise
            return _form_page(request, household, form, session_id=None, status=status_of(exc), exc=exc)
        set_flash(db, viewer, "Session saved.")
        if as_json:
            return JSONResponse(
                {"id": view.id, "url": f"/log/{view.id}", "next": f"/log?saved={view.id}"}, status_code=201
            )
        return redirect(f"/log?saved={view.id}")

    return idempotent(db, household_id, key, "POST /log", payload, work, now=now)


@router.get("/log/{session_id}")
def edit_session(request: Request, db: DbDep, now: NowDep, viewer: MemberDep, session_id: str) -> Response:
    require(viewer, Action.EDIT_LOG)
    assert viewer.household_id is not None
    household = households.get(db, viewer.household_id)
    view = sessions.get(db, viewer.household_id, session_id)
    values_ = forms.session_form(view, tz=household.tz, now=now, units=household.units)
    return _form_page(request, household, values_, session_id=session_id)


@router.post("/log/{session_id}")
def update_session(
    request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep, session_id: str
) -> Response:
    require(viewer, Action.EDIT_LOG)
    assert viewer.household_id is not None
    household = households.get(db, viewer.household_id)
    sessions.get(db, viewer.household_id, session_id)  # another household's id: 404 before any parsing
    try:
        raw = forms.session_input(form, tz=household.tz, now=now, default_units=household.units)
        sessions.update(db, viewer.household_id, session_id, raw, now=now)
    except LetdownError as exc:
        return _form_page(request, household, form, session_id=session_id, status=status_of(exc), exc=exc)
    set_flash(db, viewer, "Session updated.")
    return redirect("/log")


@router.post("/log/{session_id}/delete")
def delete_session(
    request: Request, db: DbDep, viewer: MemberDep, form: FormDep, session_id: str
) -> Response:
    require(viewer, Action.EDIT_LOG)
    assert viewer.household_id is not None
    sessions.delete(db, viewer.household_id, session_id)
    set_flash(db, viewer, "Session deleted.")
    return redirect("/log")
