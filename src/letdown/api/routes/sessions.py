"""``/api/v1/sessions`` and ``/api/v1/stats``: the expression log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from letdown.api.deps import DbDep, HouseholdDep, NowDep
from letdown.api.idempotency import IdempotencyKeyDep, idempotent
from letdown.api.schemas import IdText, TimeText, bounded, text
from letdown.domain import limits
from letdown.domain import sessions as rules
from letdown.domain.choices import Method
from letdown.services.accounts import households
from letdown.services.log import sessions
from letdown.services.log.sessions import MAX_LIMIT, UNSET, SessionInput

router = APIRouter(tags=["sessions"])

TIME_DOC = "ISO 8601; without an offset it is read in the household's time zone; 'now' and '-30m' work."


class SessionFields(BaseModel):
    # Non-finite numbers are refused here; every range is checked by the domain, with the same
    # message as the CLI and the web form (domain/limits.py, domain/sessions.py).
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    started_at: TimeText | None = Field(None, description=TIME_DOC)
    ended_at: TimeText | None = Field(None, description=TIME_DOC)
    minutes: float | None = Field(
        None,
        description=f"Length in minutes (over 0, at most {rules.MAX_MINUTES:g}), instead of ended_at.",
        json_schema_extra=bounded(0, rules.MAX_MINUTES, exclusive_low=True),
    )
    method: Method | None = Field(None, description="How the milk was expressed.")
    left_ml: float | None = Field(
        None,
        description=f"0 to {rules.MAX_ML_PER_SIDE:g} ml.",
        json_schema_extra=bounded(0, rules.MAX_ML_PER_SIDE),
    )
    right_ml: float | None = Field(
        None,
        description=f"0 to {rules.MAX_ML_PER_SIDE:g} ml.",
        json_schema_extra=bounded(0, rules.MAX_ML_PER_SIDE),
    )
    passive_ml: float | None = Field(
        None,
        description="Milk caught from the other side.",
        json_schema_extra=bounded(0, rules.MAX_ML_PER_SIDE),
    )
    let_downs: list[TimeText] | None = Field(None, description="Let-down times. " + TIME_DOC)
    comfort: int | None = Field(
        None, description="0 (painful) to 10 (comfortable).", json_schema_extra=bounded(*rules.COMFORT_RANGE)
    )
    note: str | None = Field(
        None,
        description=f"At most {rules.MAX_NOTE_CHARS} characters.",
        json_schema_extra=text(rules.MAX_NOTE_CHARS),
    )

    def to_input(self, *, partial: bool) -> SessionInput:
        given = self.model_dump(exclude_unset=partial)
        raw = SessionInput()
        mapping = {"started_at": "start", "ended_at": "end"}
        for key, value in given.items():
            if partial or value is not None or key == "let_downs":
                setattr(raw, mapping.get(key, key), value)
        if not partial and raw.let_downs is UNSET:
            raw.let_downs = []
        return raw


class SessionCreate(SessionFields):
    started_at: TimeText = Field(..., description=TIME_DOC)
    method: Method = Field(..., description="How the milk was expressed.")


class SessionOut(BaseModel):
    id: str
    started_at: str
    ended_at: str
    duration_minutes: float
    method: Method
    left_ml: float | None
    right_ml: float | None
    passive_ml: float | None
    total_ml: float
    let_downs: list[str]
    comfort: int | None
    note: str | None
    baby_age_days: int | None
    demo: bool
    created_at: str
    updated_at: str


@router.get("/sessions", response_model=list[SessionOut], summary="List sessions, newest first")
def list_sessions(
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    since: Annotated[TimeText | None, Query(description=TIME_DOC)] = None,
    until: Annotated[TimeText | None, Query(description=TIME_DOC)] = None,
    limit: Annotated[
        int | None,
        Query(description="Default 50 when since is not given.", json_schema_extra=bounded(1, MAX_LIMIT)),
    ] = None,
) -> Any:
    views = sessions.list_sessions(db, household_id, now=now, since=since, until=until, limit=limit)
    tz = households.get(db, household_id).tz
    return JSONResponse([v.as_json(tz) for v in views])


@router.post("/sessions", response_model=SessionOut, status_code=201, summary="Record a session")
def create_session(
    body: SessionCreate, db: DbDep, household_id: HouseholdDep, now: NowDep, key: IdempotencyKeyDep = None
) -> Any:
    def work() -> Any:
        view = sessions.create(db, household_id, body.to_input(partial=False), now=now)
        return JSONResponse(view.as_json(households.get(db, household_id).tz), status_code=201)

    return idempotent(db, household_id, key, "POST /sessions", body, work, now=now)


@router.get("/sessions/{session_id}", response_model=SessionOut, summary="One session")
def get_session(session_id: IdText, db: DbDep, household_id: HouseholdDep) -> Any:
    view = sessions.get(db, household_id, session_id)
    return view.as_json(households.get(db, household_id).tz)


@router.patch("/sessions/{session_id}", response_model=SessionOut, summary="Change a session")
def update_session(
    session_id: IdText, body: SessionFields, db: DbDep, household_id: HouseholdDep, now: NowDep
) -> Any:
    view = sessions.update(db, household_id, session_id, body.to_input(partial=True), now=now)
    return view.as_json(households.get(db, household_id).tz)


@router.delete("/sessions/{session_id}", status_code=204, summary="Delete a session")
def delete_session(session_id: IdText, db: DbDep, household_id: HouseholdDep) -> Response:
    sessions.delete(db, household_id, session_id)
    return Response(status_code=204)


class DayOut(BaseModel):
    date: str
    sessions: int
    left_ml: float
    right_ml: float
    passive_ml: float
    total_ml: float
    mean_minutes: float | None
    avg7_ml: float


class SummaryOut(BaseModel):
    sessions: int
    total_ml: float
    daily_average_ml: float
    mean_minutes: float | None


class StatsOut(BaseModel):
    days: list[DayOut]
    summary: SummaryOut


@router.get("/stats", response_model=StatsOut, summary="Daily totals, per side, and the 7-day average")
def get_stats(
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    days: Annotated[
        int,
        Query(
            description="How many days, today included.", json_schema_extra=bounded(1, limits.MAX_STATS_DAYS)
        ),
    ] = 7,
) -> Any:
    result, _ = sessions.stats(db, household_id, days=days, now=now)
    return JSONResponse(sessions.stats_json(result))


@router.get("/household", summary="The caller's household and its settings")
def get_household(db: DbDep, household_id: HouseholdDep) -> Any:
    return households.get(db, household_id).as_json()
