"""The coach's request shapes, used by ``/api/v1/coach`` and the web's coach page."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from letdown.api.schemas import bounded, text
from letdown.domain import sessions as session_rules
from letdown.domain.coach import coach_data, max_minutes
from letdown.domain.errors import InvalidInput
from letdown.services.log import coach

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


class PlanOptionsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    stage: Stage = "established"
    experience: Experience = "new"
    minutes: float | None = Field(None, json_schema_extra=bounded(1, max_minutes(coach_data())))
    rhythm_s: float | None = Field(None, json_schema_extra=bounded(*coach_data().setting("rhythm_bounds_s")))


class CoachEventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    t: int = Field(
        ge=0, description="Milliseconds since the start.", json_schema_extra={"maximum": coach.MAX_MS}
    )
    event: str | None = Field(None, description="An event name; none for a clock tick.")


class CoachedSessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    options: PlanOptionsIn = Field(description="The options of the plan followed; the server rebuilds it.")
    started_at: datetime = Field(description="When the session started, ISO 8601 with an offset.")
    events: list[CoachEventIn] = Field(default_factory=list, max_length=5000)
    ended_ms: int | None = Field(
        None,
        ge=0,
        description=f"Milliseconds from the start to the end (at most {coach.MAX_MS}).",
        json_schema_extra={"maximum": coach.MAX_MS},
    )
    left_ml: float | None = Field(None, json_schema_extra=bounded(0, session_rules.MAX_ML_PER_SIDE))
    right_ml: float | None = Field(None, json_schema_extra=bounded(0, session_rules.MAX_ML_PER_SIDE))
    passive_ml: float | None = Field(None, json_schema_extra=bounded(0, session_rules.MAX_ML_PER_SIDE))
    comfort: int | None = Field(None, json_schema_extra=bounded(*session_rules.COMFORT_RANGE))
    note: str | None = Field(None, json_schema_extra=text(session_rules.MAX_NOTE_CHARS))


def build_run(body: CoachedSessionIn, *, now: datetime) -> coach.CoachedSession:
    """The run to save: the plan rebuilt on the server from the options the page followed."""
    if body.started_at.tzinfo is None:
        raise InvalidInput("started_at", "needs a time zone offset, like 2026-11-25T03:10:00+00:00")
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
