"""``/api/v1/coach``: plans and coached sessions; ``/api/v1/sessions/{id}/assessment``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from letdown.api.deps import DbDep, HouseholdDep, NowDep
from letdown.api.idempotency import IdempotencyKeyDep, idempotent
from letdown.domain.coach import coach_data, max_minutes
from letdown.domain.errors import InvalidInput
from letdown.services import assessment, coach, households

router = APIRouter(tags=["coach"])

Stage = Literal["antenatal", "early", "established"]
Experience = Literal["new", "practised"]


def option_limits() -> dict[str, float]:
    """The plan options' bounds and defaults from the coach's data (``guidance/coach.yaml``),
    for the API's descriptions and the web page's inputs."""
    data = coach_data()
    low, high = data.setting("rhythm_bounds_s")
    return {
        "max_minutes": max_minutes(data),
        "rhythm_min": low,
        "rhythm_max": high,
        "rhythm_default": data.figure("press_s"),
    }


_LIMITS = option_limits()
MINUTES_HELP = f"Expressing time, both sides (1 to {_LIMITS['max_minutes']:g})."
RHYTHM_HELP = (
    "Seconds each press lasts, and letting go as long: one press every twice that "
    f"(default {_LIMITS['rhythm_default']:g}; "
    f"{_LIMITS['rhythm_min']:g} to {_LIMITS['rhythm_max']:g})."
)


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
    minutes: Annotated[float | None, Query(description=MINUTES_HELP)] = None,
    rhythm: Annotated[float | None, Query(description=RHYTHM_HELP)] = None,
) -> Any:
    return JSONResponse(
        coach.plan(
            db, household_id, now=now, stage=stage, experience=experience, minutes=minutes, rhythm_s=rhythm
        )
    )


class PlanOptionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    stage: Stage = "established"
    experience: Experience = "new"
    minutes: float | None = None
    rhythm_s: float | None = None


class CoachEventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    t: int = Field(ge=0, description="Milliseconds since the start.")
    event: str | None = Field(None, description="An event name; none for a clock tick.")


class CoachedSessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    options: PlanOptionsIn = Field(description="The options of the plan followed; the server rebuilds it.")
    started_at: datetime = Field(description="When the session started, ISO 8601 with an offset.")
    events: list[CoachEventIn] = Field(default_factory=list, max_length=5000)
    ended_ms: int | None = Field(
        None, ge=0, description=f"Milliseconds from the start to the end (at most {coach.MAX_MS})."
    )
    left_ml: float | None = None
    right_ml: float | None = None
    passive_ml: float | None = None
    comfort: int | None = None
    note: str | None = None


def build_run(body: CoachedSessionIn, plan: dict[str, Any]) -> coach.CoachedSession:
    if body.started_at.tzinfo is None:
        raise InvalidInput("started_at", "needs a time zone offset, like 2026-11-25T03:10:00+00:00")
    return coach.CoachedSession(
        plan=plan,
        started_at=body.started_at,
        events=[e.model_dump() for e in body.events],
        ended_ms=body.ended_ms,
        left_ml=body.left_ml,
        right_ml=body.right_ml,
        passive_ml=body.passive_ml,
        comfort=body.comfort,
        note=body.note,
    )


@router.post("/coach/sessions", status_code=201, summary="Save a session the coach led")
def save_coached(
    body: CoachedSessionIn, db: DbDep, household_id: HouseholdDep, now: NowDep, key: IdempotencyKeyDep = None
) -> Any:
    def work() -> Any:
        opts = body.options
        plan = coach.plan(
            None,
            None,
            now=now,
            stage=opts.stage,
            experience=opts.experience,
            minutes=opts.minutes,
            rhythm_s=opts.rhythm_s,
        )
        view = coach.save(db, household_id, build_run(body, plan), now=now)
        return JSONResponse(view.as_json(households.get(db, household_id).tz), status_code=201)

    return idempotent(db, household_id, key, "POST /coach/sessions", body, work, now=now)


@router.get(
    "/sessions/{session_id}/assessment", summary="How a session went against the signs of expressing well"
)
def get_assessment(session_id: str, db: DbDep, household_id: HouseholdDep) -> Any:
    return assessment.assess(db, household_id, session_id).as_json()
