"""``/coach``: the guided hand-expression coach in the browser; ``/log/{id}/assessment``: how a
session went.

The page embeds the plan as JSON; ``static/coach.js`` plays it (the same interpreter as
``domain/coach_player.py``) and posts the session to ``/coach/sessions`` with the page's CSRF
token in ``X-CSRF-Token``. When the network is down it keeps the session in localStorage and
posts it when the browser is back online.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse, Response

from letdown.api.deps import DbDep, NowDep
from letdown.api.idempotency import IdempotencyKeyDep, idempotent
from letdown.api.schemas.coach import CoachedSessionIn, Experience, Stage, build_run, option_limits
from letdown.domain.permissions import Action
from letdown.domain.units import oz_to_ml
from letdown.guidance import library
from letdown.services.accounts import households
from letdown.services.log import assessment, coach, sessions
from letdown.web.csrf import csrf_ok
from letdown.web.deps import CsrfFailed, MemberDep, require
from letdown.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/coach")
def coach_page(
    request: Request,
    db: DbDep,
    now: NowDep,
    viewer: MemberDep,
    stage: Annotated[Stage | None, Query()] = None,
    experience: Annotated[Experience | None, Query()] = None,
    minutes: Annotated[float | None, Query()] = None,
    rhythm: Annotated[float | None, Query()] = None,
) -> Response:
    require(viewer, Action.USE_COACH)
    assert viewer.household_id is not None
    household = households.get(db, viewer.household_id)
    plan = coach.plan(
        db, viewer.household_id, now=now, stage=stage, experience=experience, minutes=minutes, rhythm_s=rhythm
    )
    # Inside <script type="application/json">: no "</" may end the element early.
    plan_json = json.dumps(plan, ensure_ascii=False).replace("</", "<\\/")
    context = {
        "household": household,
        "title": "Coach",
        "plan": plan,
        "plan_json": plan_json,
        "limits": option_limits(),
    }
    return render(request, "coach.html", context)


class WebCoachedSessionIn(CoachedSessionIn):
    """The page's body: the volumes are typed in the household's ``unit`` (ml when absent, as
    in a session queued by an older page)."""

    unit: Literal["ml", "oz"] = "ml"

    def in_ml(self) -> CoachedSessionIn:
        fields = self.model_dump(exclude={"unit"})
        if self.unit == "oz":
            for name in ("left_ml", "right_ml", "passive_ml"):
                if fields[name] is not None:
                    fields[name] = oz_to_ml(fields[name])
        return CoachedSessionIn.model_validate(fields)


@router.post("/coach/sessions")
def save_session(
    body: WebCoachedSessionIn,
    db: DbDep,
    now: NowDep,
    viewer: MemberDep,
    x_csrf_token: Annotated[str | None, Header()] = None,
    key: IdempotencyKeyDep = None,
) -> Response:
    if not csrf_ok(viewer.csrf_token, x_csrf_token):
        raise CsrfFailed("This page is out of date or did not come from letdown; reload it and try again")
    require(viewer, Action.USE_COACH)
    assert viewer.household_id is not None
    household_id = viewer.household_id

    def work() -> Response:
        view = coach.save(db, household_id, build_run(body.in_ml(), now=now), now=now)
        return JSONResponse({"id": view.id, "url": f"/log/{view.id}/assessment"}, status_code=201)

    return idempotent(db, household_id, key, "POST /coach/sessions", body, work, now=now)


@router.get("/log/{session_id}/assessment")
def how_it_went(request: Request, db: DbDep, viewer: MemberDep, session_id: str) -> Response:
    require(viewer, Action.VIEW_LOG)
    assert viewer.household_id is not None
    household = households.get(db, viewer.household_id)
    view = sessions.get(db, viewer.household_id, session_id)
    result = assessment.assess(db, viewer.household_id, session_id)
    context: dict[str, Any] = {
        "household": household,
        "tz": household.tz,
        "units": household.units,
        "title": "How it went",
        "session": view,
        "assessment": result,
        "sources": library.sources(),
    }
    return render(request, "coach_session.html", context)
