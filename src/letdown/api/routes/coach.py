"""``/api/v1/coach``: plans and coached sessions; ``/api/v1/sessions/{id}/assessment``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from letdown.api.deps import DbDep, HouseholdDep, NowDep
from letdown.api.idempotency import IdempotencyKeyDep, idempotent
from letdown.api.schemas import IdText, bounded
from letdown.api.schemas.coach import CoachedSessionIn, Experience, Stage, build_run, option_limits
from letdown.services.accounts import households
from letdown.services.log import assessment, coach

router = APIRouter(tags=["coach"])

_LIMITS = option_limits()
MINUTES_HELP = f"Expressing time, both sides (1 to {_LIMITS['max_minutes']:g})."
RHYTHM_HELP = (
    "Seconds each press lasts, and letting go as long: one press every twice that "
    f"(default {_LIMITS['rhythm_default']:g}; "
    f"{_LIMITS['rhythm_min']:g} to {_LIMITS['rhythm_max']:g})."
)
MINUTES_BOUNDS = bounded(1, _LIMITS["max_minutes"])
RHYTHM_BOUNDS = bounded(_LIMITS["rhythm_min"], _LIMITS["rhythm_max"])


@router.get("/coach/plan", summary="A coach plan: steps with cues, timings, transitions and sources")
def get_plan(
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    stage: Annotated[
        Stage | None, Query(description="Default: from the baby's age, else established.")
    ] = None,
    experience: Annotated[
        Experience | None, Query(description="Default: practised once the coach has led a session, else new.")
    ] = None,
    minutes: Annotated[
        float | None, Query(description=MINUTES_HELP, json_schema_extra=MINUTES_BOUNDS)
    ] = None,
    rhythm: Annotated[float | None, Query(description=RHYTHM_HELP, json_schema_extra=RHYTHM_BOUNDS)] = None,
) -> Any:
    return JSONResponse(
        coach.plan(
            db, household_id, now=now, stage=stage, experience=experience, minutes=minutes, rhythm_s=rhythm
        )
    )


@router.post("/coach/sessions", status_code=201, summary="Save a session the coach led")
def save_coached(
    body: CoachedSessionIn, db: DbDep, household_id: HouseholdDep, now: NowDep, key: IdempotencyKeyDep = None
) -> Any:
    def work() -> Any:
        view = coach.save(db, household_id, build_run(body, now=now), now=now)
        return JSONResponse(view.as_json(households.get(db, household_id).tz), status_code=201)

    return idempotent(db, household_id, key, "POST /coach/sessions", body, work, now=now)


@router.get(
    "/sessions/{session_id}/assessment", summary="How a session went against the signs of expressing well"
)
def get_assessment(session_id: IdText, db: DbDep, household_id: HouseholdDep) -> Any:
    return assessment.assess(db, household_id, session_id).as_json()
