"""``/calendar/TOKEN.ics``: a household's iCalendar feed (the token is the secret in the URL),
and ``/api/v1/due``: what is due next, as ``letdown due --json`` prints it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from letdown.api.deps import DbDep, HouseholdDep, NowDep
from letdown.services.schedule import calendar, reminders

router = APIRouter(tags=["reminders"])
feed_router = APIRouter(tags=["reminders"])


@router.get("/due")
def get_due(db: DbDep, household_id: HouseholdDep, now: NowDep) -> dict[str, Any]:
    """When the next session is due, today's count against the targets, stash deadlines ahead."""
    view = reminders.due(db, household_id, now=now)
    progress = reminders.today_progress(db, household_id, now=now)
    return {**view.as_json(), "today": progress.as_json()}


_PAGE = {"text/html": {"schema": {"type": "string"}}}
_ALLOW = {"Allow": {"description": "The methods the address takes.", "schema": {"type": "string"}}}


# Outside /api/, so its errors are short pages, like any other page of the site.
@feed_router.get(
    "/calendar/{token}.ics",
    response_class=Response,
    responses={
        200: {"description": "The feed.", "content": {"text/calendar": {"schema": {"type": "string"}}}},
        404: {"description": "No feed with this token (unknown or revoked).", "content": _PAGE},
        405: {"description": "Only GET is taken here.", "content": _PAGE, "headers": _ALLOW},
        422: {"description": "A token that cannot be read.", "content": _PAGE},
        500: {"description": "A fault on the server.", "content": _PAGE},
        503: {"description": "The database is busy; try again.", "content": _PAGE},
    },
)
def get_feed(token: str, db: DbDep, now: NowDep) -> Response:
    """The feed; an unknown or revoked token answers 404, like a page that is not there."""
    from letdown.domain.errors import NotFound
    from letdown.services.accounts.tokens import Unauthorized

    try:
        household_id = calendar.authenticate(db, token)
    except Unauthorized:
        raise NotFound("calendar feed", token[:12] + "...") from None
    body = calendar.ics(db, household_id, now=now)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )
