"""``/timer``: the one-tap session timer (issue 12). The page is a shell; ``static/timer.js`` keeps
the run on the device (per-side times, pauses, let-downs), and on Stop the volumes form saves
the session through the save queue to ``POST /log``, online or not."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from letdown.api.deps import DbDep
from letdown.domain.choices import Method, values
from letdown.domain.permissions import Action
from letdown.services.accounts import households
from letdown.web.deps import MemberDep, require
from letdown.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/timer")
def timer_page(request: Request, db: DbDep, viewer: MemberDep) -> Response:
    require(viewer, Action.EDIT_LOG)
    assert viewer.household_id is not None
    household = households.get(db, viewer.household_id)
    # The timer times expressing: every method but passive collection (caught, not expressed).
    methods = [m for m in values(Method) if m != Method.PASSIVE.value]
    context = {"title": "Timer", "household": household, "units": household.units, "methods": methods}
    return render(request, "timer.html", context)
