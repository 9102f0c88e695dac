"""The home page: since the last session, the next one due, today's volume, stash alerts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from letdown.api.deps import DbDep, NowDep
from letdown.domain.permissions import Action
from letdown.domain.reminders import targets
from letdown.services.accounts import households
from letdown.services.log import dashboard
from letdown.services.portability import demo
from letdown.web import deps
from letdown.web.deps import MaybeViewerDep
from letdown.web.flash import take_flash
from letdown.web.render import redirect, render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, db: DbDep, now: NowDep, viewer: MaybeViewerDep) -> Response:
    if viewer is None:
        return redirect("/signin")
    member = deps.get_member(viewer)
    assert member.household_id is not None
    household = households.get(db, member.household_id)
    data = dashboard.home(db, member.household_id, now=now, with_log=deps.may(member, Action.VIEW_LOG))
    context = {
        "title": "Home",
        "household": household,
        "tz": household.tz,
        "units": household.units,
        "home": data,
        "now": now,
        "targets": targets(),
        "has_demo": demo.has_demo(db, member.household_id),
    }
    return render(request, "home.html", context, flash=take_flash(db, member))
