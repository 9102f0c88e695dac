"""A clinician's read-only view through a share link: the log's summary and charts.

No sign-in: the link's token is the key. It shows nothing but the log summary (the report of
issue 7 will replace it), and it stops working once it expires or is revoked.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from letdown.api.deps import DbDep, NowDep
from letdown.domain.errors import InvalidInput
from letdown.services import households, members, sessions
from letdown.web import charts
from letdown.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/share/{token}")
def shared(request: Request, db: DbDep, now: NowDep, token: str, days: int = 30) -> Response:
    link = members.resolve_share(db, token, now=now)
    if days not in (14, 30, 90):
        raise InvalidInput("days", f"choose 14, 30 or 90, got {days}")
    household = households.get(db, members.share_household(token))
    result, tz = sessions.stats(db, household.id, days=days, now=now)
    context = {
        "title": f"Expression log of {household.name}",
        "shared_name": household.name,
        "link": link,
        "tz": tz,
        "units": household.units,
        "stats": result,
        "days": days,
        "token": token,
        "volume": charts.volume_chart(result.days, household.units),
        "count": charts.sessions_chart(result.days),
    }
    response = render(request, "share.html", context)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
