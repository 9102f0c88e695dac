"""The milk stash: containers by place with their use-by, what to use next, and the actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from letdown.api.deps import DbDep, NowDep
from letdown.domain.choices import Location, values
from letdown.domain.errors import InvalidInput, LetdownError, NotFound
from letdown.domain.permissions import Action
from letdown.render import labels as stash_labels
from letdown.services.accounts import households
from letdown.services.accounts import users as accounts
from letdown.services.accounts.households import HouseholdView
from letdown.services.portability import demo
from letdown.services.stash import containers as stash
from letdown.services.stash import plan as stash_plan
from letdown.web import field_errors, forms
from letdown.web.deps import FormDep, MemberDep, may, require
from letdown.web.errors import status_of
from letdown.web.flash import set_flash, take_flash
from letdown.web.render import redirect, render

router = APIRouter(include_in_schema=False)


def _household(db: Session, viewer: accounts.Viewer) -> HouseholdView:
    assert viewer.household_id is not None
    return households.get(db, viewer.household_id)


def _list_page(
    request: Request,
    db: Session,
    viewer: accounts.Viewer,
    now: datetime,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
    exc: LetdownError | None = None,
) -> Response:
    household = _household(db, viewer)
    found = (
        field_errors.field_error(
            exc, field_errors.STORE_FIELDS, field_errors.form_units(form or {}, household.units)
        )
        if exc is not None
        else None
    )
    if exc is not None:
        error = found.message if found else str(exc)
    views = stash.list_containers(db, household.id, now=now)
    nxt = stash_plan.next_up(db, household.id, now=now)
    places = [(loc, [v for v in views if v.standing.location.value == loc]) for loc in values(Location)]
    default_at = now.astimezone(household.tz).strftime("%Y-%m-%dT%H:%M")
    context = {
        "title": "Stash",
        "has_demo": demo.has_demo(db, household.id),
        "household": household,
        "tz": household.tz,
        "units": household.units,
        "places": [(loc, items) for loc, items in places if items],
        "next": nxt[0] if nxt else None,
        "now": now,
        "locations": values(Location),
        "form": form or {"expressed_at": default_at, "location": "fridge", "unit": household.units.value},
        "errors": found.as_context() if found else {},
    }
    flash = take_flash(db, viewer) if status == 200 else None
    return render(request, "stash.html", context, status=status, error=error, flash=flash)


@router.get("/stash")
def stash_page(request: Request, db: DbDep, now: NowDep, viewer: MemberDep) -> Response:
    require(viewer, Action.VIEW_STASH)
    return _list_page(request, db, viewer, now)


@router.post("/stash")
def add_container(request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep) -> Response:
    require(viewer, Action.EDIT_STASH)
    household = _household(db, viewer)
    try:
        units = forms.parse_units(form.get("unit"), household.units)
        ml = forms.volume_ml(form.get("volume"), units, "ml")
        if ml is None:
            raise InvalidInput("ml", "give the volume of milk")
        view = stash.add(
            db,
            household.id,
            ml=ml,
            expressed_at=form.get("expressed_at", "").strip() or "now",
            location=form.get("location", ""),
            label=form.get("label") or None,
            now=now,
            session_id=form.get("session_id") or None,
        )
    except LetdownError as exc:
        return _list_page(request, db, viewer, now, status=status_of(exc), form=form, exc=exc)
    set_flash(
        db,
        viewer,
        f"Stored {view.id}: use by {view.standing.use_by.astimezone(household.tz):%a %d %b %Y %H:%M}.",
    )
    return redirect(f"/stash/{view.id}")


def _container_page(
    request: Request,
    db: Session,
    viewer: accounts.Viewer,
    now: datetime,
    container_id: str,
    *,
    status: int = 200,
    error: str | None = None,
) -> Response:
    household = _household(db, viewer)
    view = stash.get(db, household.id, container_id, now=now)
    if not may(viewer, Action.VIEW_LOG):
        # The session that produced the milk is the log's: its time and method stay with those
        # who may read the log (issue #13). The container's own times are the stash's.
        view = replace(view, session=None, session_id=None)
    context = {
        "title": f"Container {view.id}",
        "household": household,
        "tz": household.tz,
        "units": household.units,
        "c": view,
        "now": now,
        "locations": values(Location),
        "has_demo": view.demo,
    }
    flash = take_flash(db, viewer) if status == 200 else None
    return render(request, "container.html", context, status=status, error=error, flash=flash)


@router.get("/stash/{container_id}")
def container_page(
    request: Request, db: DbDep, now: NowDep, viewer: MemberDep, container_id: str
) -> Response:
    require(viewer, Action.VIEW_STASH)
    return _container_page(request, db, viewer, now, container_id)


@router.get("/c/{container_id}")
def scanned(container_id: str) -> Response:
    """A label's QR code opens its container (sign-in first when needed)."""
    if not container_id.isalnum():
        raise NotFound("container", container_id)
    return redirect(f"/stash/{container_id}")


def _volume(form: dict[str, str], household: HouseholdView, name: str, field: str) -> float | None:
    return forms.volume_ml(form.get(name), forms.parse_units(form.get("unit"), household.units), field)


ACTIONS: dict[str, tuple[str, Callable[..., Any]]] = {
    "move": (
        "Moved to the {loc}.",
        lambda db, h, cid, f, now: stash.move(db, h.id, cid, to=f.get("to", ""), now=now),
    ),
    "thaw": (
        "Thawing in the {loc}.",
        lambda db, h, cid, f, now: stash.thaw(db, h.id, cid, where=f.get("where", "fridge"), now=now),
    ),
    "warm": (
        "Warmed: use by {use_by}. The rule that decides now is {rule}.",
        lambda db, h, cid, f, now: stash.warm(db, h.id, cid, now=now),
    ),
    "feed": (
        "Feed recorded.",
        lambda db, h, cid, f, now: stash.feed(
            db, h.id, cid, finished="now", leftover_ml=_volume(f, h, "leftover", "leftover_ml"), now=now
        ),
    ),
    "use": ("Marked as used.", lambda db, h, cid, f, now: stash.use(db, h.id, cid, now=now)),
    "discard": (
        "Thrown away.",
        lambda db, h, cid, f, now: stash.discard(db, h.id, cid, reason=f.get("reason") or None, now=now),
    ),
    "split": (
        "Split into a new container.",
        lambda db, h, cid, f, now: stash.split(db, h.id, cid, ml=_volume(f, h, "volume", "ml"), now=now),
    ),
}


@router.post("/stash/{container_id}/{action}")
def act(
    request: Request, db: DbDep, now: NowDep, viewer: MemberDep, form: FormDep, container_id: str, action: str
) -> Response:
    require(viewer, Action.EDIT_STASH)
    household = _household(db, viewer)
    stash.get(db, household.id, container_id, now=now)  # another household's id: 404
    if action not in ACTIONS:
        raise InvalidInput("action", f"unknown action '{action}'; choose one of {', '.join(ACTIONS)}")
    message, run = ACTIONS[action]
    try:
        result = run(db, household, container_id, form, now)
    except LetdownError as exc:
        return _container_page(request, db, viewer, now, container_id, status=status_of(exc), error=str(exc))
    view = result[0] if isinstance(result, tuple) else result
    s = view.standing
    rule = f"{s.rule.id} [{s.rule.source}]" + (", our careful reading" if s.rule.ours else "")
    use_by = f"{s.use_by.astimezone(household.tz):%d %b %H:%M} {household.tz.key}"
    set_flash(db, viewer, message.format(loc=s.location.value, rule=rule, use_by=use_by))
    if action == "split":
        return redirect(f"/stash/{result[1].id}")
    return redirect(f"/stash/{container_id}")


@router.get("/stash/{container_id}/label")
def label(request: Request, db: DbDep, now: NowDep, viewer: MemberDep, container_id: str) -> Response:
    """A printable label whose QR code holds this server's address for the container."""
    import segno

    require(viewer, Action.VIEW_STASH)
    household = _household(db, viewer)
    view = stash.get(db, household.id, container_id, now=now)
    text = stash_labels.label_text(view, household.tz, household.units)
    url = stash_labels.container_url(str(request.base_url), view.id)
    qr = segno.make(url, error="m", micro=False).svg_inline(scale=4, dark="#000", light="#fff", omitsize=True)
    context = {"title": f"Label {view.id}", "household": household, "text": text, "qr": qr, "url": url}
    return render(request, "label.html", context)
