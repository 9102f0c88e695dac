"""Settings: the household, babies, session interval, sharing, members, invites, share links,
export, and the demo data."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from letdown.api.deps import DbDep, NowDep
from letdown.domain.choices import FEEDING_MODE_LABELS, StorageProfile, Units, values
from letdown.domain.emergency import countries as emergency_countries
from letdown.domain.errors import InvalidInput, LetdownError
from letdown.domain.permissions import Action
from letdown.domain.reminders import targets as reminder_targets
from letdown.domain.timeparse import parse_date
from letdown.domain.triage import DEFAULT_EMERGENCY_NUMBER
from letdown.domain.units import ml_to_oz
from letdown.guidance.library import facts, source
from letdown.services.accounts import households, members
from letdown.services.accounts import users as accounts
from letdown.services.portability import archive as portability
from letdown.services.portability import demo
from letdown.services.schedule import reminders
from letdown.services.schedule import settings as household_settings
from letdown.web import forms
from letdown.web.deps import FormDep, MemberDep, may, require
from letdown.web.errors import status_of
from letdown.web.flash import set_flash, take_flash
from letdown.web.render import redirect, render, zone_names

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    db: Session,
    viewer: accounts.Viewer,
    now: datetime,
    *,
    status: int = 200,
    error: str | None = None,
) -> Response:
    assert viewer.household_id is not None
    household = households.get(db, viewer.household_id)
    manage = may(viewer, Action.MANAGE_HOUSEHOLD)
    fact = facts().get("times-per-day")
    plan = reminders.get_plan(db, household.id)
    context = {
        "title": "Settings",
        "household": household,
        "tz": household.tz,
        "units": household.units,
        "settings": household_settings.get_settings(db, household.id),
        "babies": households.list_babies(db, household.id),
        "members": members.list_members(db, household.id),
        "invites": members.list_invites(db, household.id, now=now) if manage else [],
        "shares": members.list_shares(db, household.id, now=now) if manage else [],
        "mine": accounts.my_households(db, viewer.user_id),
        "unit_choices": values(Units),
        "feeding_modes": FEEDING_MODE_LABELS,
        "frequency_note": reminder_targets().frequency_note(
            household_settings.feeding_mode(db, household.id)
        ),
        "profiles": values(StorageProfile),
        "zones": zone_names(),
        "interval_fact": fact,
        "plan": plan,
        "targets": reminder_targets(),
        "night_fact": facts().get("overnight-gap"),
        "interval_source": source(fact.source) if fact else None,
        "has_demo": demo.has_demo(db, household.id),
        "usual_feed": _usual_feed_text(household.usual_feed_ml, household.units),
        "countries": list(emergency_countries().values()),
        "default_number": DEFAULT_EMERGENCY_NUMBER,
    }
    flash = take_flash(db, viewer) if status == 200 else None
    return render(request, "settings.html", context, status=status, error=error, flash=flash)


def _usual_feed_text(ml: float | None, units: Units) -> str:
    """The usual feed as the settings form shows it, in the household's units."""
    if ml is None:
        return ""
    return f"{round(ml_to_oz(ml), 1):g}" if units is Units.OZ else f"{ml:g}"


@router.get("/settings")
def settings_page(request: Request, db: DbDep, now: NowDep, viewer: MemberDep) -> Response:
    require(viewer, Action.VIEW_SETTINGS)
    return _page(request, db, viewer, now)


def _owner_action(
    request: Request, db: Session, viewer: accounts.Viewer, now: datetime, run: object, done: str
) -> Response:
    """Run an owner's change; show the settings again with the refusal, or redirect with ``done``."""
    require(viewer, Action.MANAGE_HOUSEHOLD)
    try:
        result = run()  # type: ignore[operator]
    except LetdownError as exc:
        return _page(request, db, viewer, now, status=status_of(exc), error=str(exc))
    set_flash(db, viewer, done.format(result=result))
    return redirect("/settings")


@router.post("/settings/household")
def save_household(request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep) -> Response:
    def run() -> None:
        assert viewer.household_id is not None
        household = households.get(db, viewer.household_id)
        # Typed in the unit the form showed; unchanged, it keeps the stored ml (no rounding drift).
        unit = forms.parse_units(form.get("usual_feed_unit"), household.units)
        typed = (form.get("usual_feed") or "").strip()
        unchanged = typed == _usual_feed_text(household.usual_feed_ml, unit)
        households.update(
            db,
            viewer.household_id,
            name=form.get("name"),
            timezone=(form.get("timezone") or "").strip() or None,
            units=form.get("units") or None,
            storage_profile=form.get("storage_profile") or None,
            usual_feed_ml=None if unchanged else forms.volume_ml(typed, unit, "usual_feed"),
            country=form.get("country"),
            emergency_number=form.get("emergency_number"),
        )

    return _owner_action(request, db, viewer, now, run, "Household saved.")


@router.post("/settings/sessions")
def save_sessions(request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep) -> Response:
    def run() -> None:
        assert viewer.household_id is not None
        day = forms.number(form.get("interval_hours"), "session_interval")
        night = forms.number(form.get("night_gap_hours"), "night_gap")
        household_settings.save_session_settings(
            db,
            viewer.household_id,
            now=now,
            day_minutes=round(day * 60) if day is not None else None,
            night_gap_minutes=round(night * 60) if night is not None else None,
            share_log=form.get("share_log") == "on",
            feeding_mode=form.get("feeding_mode", household_settings.KEEP),
        )

    return _owner_action(request, db, viewer, now, run, "Saved.")


@router.post("/settings/babies")
def add_baby(request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep) -> Response:
    def run() -> str:
        assert viewer.household_id is not None
        birth, due = form.get("birth_date", "").strip(), form.get("due_date", "").strip()
        baby = households.add_baby(
            db,
            viewer.household_id,
            name=form.get("name", ""),
            birth_date=parse_date(birth, field="birth_date") if birth else None,
            due_date=parse_date(due, field="due_date") if due else None,
            now=now,
        )
        return baby.name

    return _owner_action(request, db, viewer, now, run, "Added {result}.")


@router.post("/settings/invites")
def invite(request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep) -> Response:
    base = str(request.base_url).rstrip("/")

    def run() -> str:
        assert viewer.household_id is not None
        token, view = members.create_invite(
            db, viewer.household_id, role=form.get("role", "caregiver"), by=viewer.user_id, now=now
        )
        until = view.expires_at.astimezone(households.get(db, viewer.household_id).tz)
        return f"{base}/join/{token} (for a {view.role.value}, until {until:%d %b})"

    return _owner_action(request, db, viewer, now, run, "Invite link, shown once: {result}")


@router.post("/settings/invites/{invite_id}/revoke")
def revoke_invite(
    request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep, invite_id: str
) -> Response:
    assert viewer.household_id is not None
    require(viewer, Action.MANAGE_HOUSEHOLD)
    members.revoke_invite(db, viewer.household_id, invite_id, now=now)
    set_flash(db, viewer, "Invite revoked.")
    return redirect("/settings")


@router.post("/settings/shares")
def share(request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep) -> Response:
    base = str(request.base_url).rstrip("/")

    def run() -> str:
        assert viewer.household_id is not None
        days = forms.number(form.get("days"), "days")
        if days is None or not days.is_integer():
            raise InvalidInput("days", f"must be a whole number of days, got '{form.get('days', '')}'")
        token, view = members.create_share(
            db, viewer.household_id, name=form.get("name", ""), days=int(days), by=viewer.user_id, now=now
        )
        until = view.expires_at.astimezone(households.get(db, viewer.household_id).tz)
        return f"{base}/share/{token} (until {until:%d %b})"

    return _owner_action(request, db, viewer, now, run, "Share link, shown once: {result}")


@router.post("/settings/shares/{share_id}/revoke")
def revoke_share(
    request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep, share_id: str
) -> Response:
    assert viewer.household_id is not None
    require(viewer, Action.MANAGE_HOUSEHOLD)
    members.revoke_share(db, viewer.household_id, share_id, now=now)
    set_flash(db, viewer, "Share link revoked.")
    return redirect("/settings")


@router.post("/settings/members/{user_id}/remove")
def remove_member(
    request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep, user_id: str
) -> Response:
    def run() -> None:
        assert viewer.household_id is not None
        members.remove_member(db, viewer.household_id, user_id)

    return _owner_action(request, db, viewer, now, run, "Removed.")


@router.post("/settings/password")
def change_password(request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep) -> Response:
    try:
        if form.get("new_password", "") != form.get("new_password2", ""):
            raise InvalidInput("new_password2", "the two new passwords are not the same")
        accounts.change_password(
            db, viewer, current=form.get("current_password", ""), new=form.get("new_password", ""), now=now
        )
    except LetdownError as exc:
        return _page(request, db, viewer, now, status=status_of(exc), error=str(exc))
    set_flash(db, viewer, "Password changed; other browsers were signed out.")
    return redirect("/settings")


@router.get("/settings/export")
def export(db: DbDep, viewer: MemberDep) -> Response:
    """The household's data as JSON (the same file as ``letdown export``)."""
    require(viewer, Action.MANAGE_HOUSEHOLD)
    assert viewer.household_id is not None
    data = portability.export_household(db, viewer.household_id)
    return Response(
        portability.dumps(data),
        media_type="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="letdown-export.json"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/demo")
def seed_demo(request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep) -> Response:
    require(viewer, Action.MANAGE_HOUSEHOLD)
    assert viewer.household_id is not None
    summary = demo.seed(db, viewer.household_id, now=now)
    set_flash(db, viewer, f"Added a month of demo data: {summary.sessions} sessions. Remove it in Settings.")
    return redirect("/")


@router.post("/demo/remove")
def remove_demo(request: Request, db: DbDep, viewer: MemberDep, form: FormDep) -> Response:
    require(viewer, Action.MANAGE_HOUSEHOLD)
    assert viewer.household_id is not None
    demo.remove(db, viewer.household_id)
    set_flash(db, viewer, "Demo data removed.")
    return redirect("/settings")
