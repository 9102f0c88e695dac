"""``/api/v1/stash``: the milk stash. One POST per action; refusals answer 409, unknown ids 404."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from letdown.api.deps import DbDep, HouseholdDep, NowDep
from letdown.api.idempotency import IdempotencyKeyDep, idempotent
from letdown.api.schemas import MAX_LABEL_CHARS, IdText, TimeText, bounded, text
from letdown.domain import limits, storage
from letdown.domain.choices import THAW_PLACES, Location, State, Status
from letdown.guidance.rules import CASE_NAMES, LimitUnit
from letdown.services.accounts import households
from letdown.services.stash import containers as stash
from letdown.services.stash import limits as storage_limits
from letdown.services.stash import plan as stash_plan

router = APIRouter(prefix="/stash", tags=["stash"])

TIME_DOC = "ISO 8601; without an offset it is read in the household's time zone; 'now' and '-30m' work."
AT_DOC = "When it happened (default: now). " + TIME_DOC
PLACES = "room, fridge, freezer or cooler."


# A volume: finite, more than 0 and at most the container bound (stored rounded to 0.1 ml).
VOLUME = bounded(0, storage.MAX_CONTAINER_ML, exclusive_low=True)


class Body(BaseModel):
    # Non-finite numbers reach the domain, which refuses them with its own message (422).
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


Label = Annotated[str | None, Field(description="A short label.", json_schema_extra=text(MAX_LABEL_CHARS))]
ContainerId = Annotated[IdText, Path(description="The container's id.")]


class ContainerCreate(Body):
    ml: float = Field(..., description="Volume in ml, more than 0.", json_schema_extra=VOLUME)
    expressed_at: TimeText = Field(..., description=TIME_DOC)
    location: Location = Field(..., description=PLACES)
    session_id: IdText | None = Field(None, description="The session that produced the milk.")
    label: Label = None


class MoveBody(Body):
    to: Location = Field(..., description=PLACES)
    at: TimeText | None = Field(None, description=AT_DOC)


class ThawBody(Body):
    at: TimeText | None = Field(
        None, description="When it thawed (default: now); the clock runs from here. " + TIME_DOC
    )
    where: Location = Field(
        Location.FRIDGE,
        alias="in",
        description="fridge or room.",
        json_schema_extra={"enum": [place.value for place in THAW_PLACES]},
    )


class ThawPlaceBody(ThawBody):
    location: Location = Field(..., description="Thaw everything frozen there (a freezer failure).")


class FeedBody(Body):
    finished: TimeText = Field(..., description="When the baby finished. " + TIME_DOC)
    started: TimeText | None = Field(None, description=TIME_DOC)
    leftover_ml: float | None = Field(
        None,
        description="What the baby left; it becomes leftover milk.",
        json_schema_extra=bounded(0, storage.MAX_CONTAINER_ML),
    )


class AtBody(Body):
    at: TimeText | None = Field(None, description=AT_DOC)


class DiscardBody(AtBody):
    reason: Label = None


class SplitBody(Body):
    ml: float = Field(
        ...,
        description="How much to pour into a new container, ml.",
        json_schema_extra=VOLUME,
    )
    at: TimeText | None = Field(None, description=AT_DOC)
    label: Label = None


AMOUNT = bounded(0, limits.MAX_STORAGE_AMOUNT, exclusive_low=True)


class LimitBody(Body):
    unit: LimitUnit = Field(..., description="hours, days or months.")
    use_by: int = Field(json_schema_extra=AMOUNT)
    use_soon_after: int | None = Field(None, description="Less than use_by.", json_schema_extra=AMOUNT)
    best_within: int | None = Field(None, description="Less than use_by.", json_schema_extra=AMOUNT)


CaseName = Annotated[
    str, Path(description="A case of the custom profile.", json_schema_extra={"enum": list(CASE_NAMES)})
]


class RuleOut(BaseModel):
    id: str = Field(..., description="The storage rule that decided the use-by time.")
    source: str = Field(..., description="Its source id (see the guide's sources), or 'custom'.")
    text: str
    ours: bool = Field(..., description="True where the sources are silent and this is our careful reading.")


class ContainerOut(BaseModel):
    id: str
    ml: float
    location: Location
    state: State
    status: Status
    expressed_at: str
    thawed_at: str | None
    use_by: str
    best_by: str | None
    use_soon_at: str | None
    rule: RuleOut
    label: str | None
    session_id: str | None
    split_from: str | None
    evaluated_at: str


def _tz(db: Any, household_id: str) -> Any:
    return households.get(db, household_id).tz


def _one(db: Any, household_id: str, view: stash.ContainerView, status: int = 200) -> JSONResponse:
    return JSONResponse(view.as_json(_tz(db, household_id)), status_code=status)


@router.get("", response_model=list[ContainerOut], summary="Containers, soonest deadline first")
def list_stash(
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    at: Annotated[
        TimeText | None, Query(description="Evaluate at this time (default: now). " + TIME_DOC)
    ] = None,
    include_all: Annotated[bool, Query(alias="all", description="Include used and discarded milk.")] = False,
) -> Any:
    views = stash.list_containers(db, household_id, now=now, at=at, include_all=include_all)
    tz = _tz(db, household_id)
    return JSONResponse([v.as_json(tz) for v in views])


@router.post("", response_model=ContainerOut, status_code=201, summary="Store milk in a new container")
def create(
    body: ContainerCreate, db: DbDep, household_id: HouseholdDep, now: NowDep, key: IdempotencyKeyDep = None
) -> Any:
    def work() -> Any:
        view = stash.add(db, household_id, now=now, **body.model_dump())
        return _one(db, household_id, view, 201)

    return idempotent(db, household_id, key, "POST /stash", body, work, now=now)


@router.get("/next", response_model=list[ContainerOut], summary="What to use first")
def next_up(
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    at: Annotated[TimeText | None, Query(description=TIME_DOC)] = None,
    count: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Any:
    views = stash_plan.next_up(db, household_id, now=now, at=at)[:count]
    tz = _tz(db, household_id)
    return JSONResponse([v.as_json(tz) for v in views])


@router.get("/summary", summary="Per place: containers, ml, and feeds at the usual feed volume")
def summary(
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    at: Annotated[TimeText | None, Query(description=TIME_DOC)] = None,
) -> Any:
    return stash_plan.summary(db, household_id, now=now, at=at).as_json()


@router.post("/thaw", summary="Thaw everything frozen in one place (a freezer failure)")
def thaw_place(
    body: ThawPlaceBody, db: DbDep, household_id: HouseholdDep, now: NowDep, key: IdempotencyKeyDep = None
) -> Any:
    def work() -> Any:
        result = stash.thaw_location(
            db, household_id, location=body.location, now=now, at=body.at, where=body.where
        )
        tz = _tz(db, household_id)
        return {
            "thawed": [v.as_json(tz) for v in result.thawed],
            "skipped": [{"id": ident, "reason": why} for ident, why in result.skipped],
        }

    return idempotent(db, household_id, key, "POST /stash/thaw", body, work, now=now)


@router.get("/limits", summary="The limits the baby's unit gave (custom storage profile)")
def get_limits(db: DbDep, household_id: HouseholdDep) -> Any:
    return storage_limits.limits(db, household_id)


@router.put("/limits/{case}", summary="Enter the unit's limit for one case")
def put_limit(case: CaseName, body: LimitBody, db: DbDep, household_id: HouseholdDep, now: NowDep) -> Any:
    return storage_limits.set_limit(db, household_id, case, body.model_dump(), now=now)


@router.delete("/limits/{case}", summary="Forget the unit's limit for one case")
def delete_limit(case: CaseName, db: DbDep, household_id: HouseholdDep) -> Any:
    return storage_limits.clear_limit(db, household_id, case)


@router.get("/{container_id}", summary="One container and its whole history")
def show(
    container_id: ContainerId,
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    at: Annotated[TimeText | None, Query(description=TIME_DOC)] = None,
) -> Any:
    view = stash.get(db, household_id, container_id, now=now, at=at)
    return view.as_json(_tz(db, household_id), history=True)


LABEL_FORMATS = {"svg": "image/svg+xml", "pdf": "application/pdf"}


@router.get(
    "/{container_id}/label.{kind}",
    summary="A printable label (svg or pdf)",
    response_class=Response,
    responses={
        200: {
            "description": "The label.",
            "content": {media: {"schema": {"type": "string"}} for media in LABEL_FORMATS.values()},
        }
    },
)
def label(
    request: Request,
    container_id: ContainerId,
    kind: Annotated[str, Path(json_schema_extra={"enum": list(LABEL_FORMATS)})],
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
) -> Response:
    """The QR code holds this server's address for the container (``/c/ID`` in the web app)."""
    from letdown.domain.errors import NotFound
    from letdown.render.labels import label_text, render_pdf, render_svg

    if kind not in ("svg", "pdf"):
        raise NotFound("label format", kind)
    household = households.get(db, household_id)
    view = stash.get(db, household_id, container_id, now=now)
    text = label_text(view, household.tz, household.units, str(request.base_url))
    if kind == "svg":
        return Response(render_svg(text), media_type="image/svg+xml")
    return Response(render_pdf(text), media_type="application/pdf")


@router.post("/{container_id}/move", response_model=ContainerOut, summary="Move a container")
def move(
    container_id: ContainerId,
    body: MoveBody,
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    key: IdempotencyKeyDep = None,
) -> Any:
    def work() -> Any:
        view = stash.move(db, household_id, container_id, to=body.to, now=now, at=body.at)
        return _one(db, household_id, view)

    return idempotent(db, household_id, key, f"POST /stash/{container_id}/move", body, work, now=now)


@router.post("/{container_id}/thaw", response_model=ContainerOut, summary="Thaw a frozen container")
def thaw(
    container_id: ContainerId,
    body: ThawBody,
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    key: IdempotencyKeyDep = None,
) -> Any:
    def work() -> Any:
        view = stash.thaw(db, household_id, container_id, now=now, at=body.at, where=body.where)
        return _one(db, household_id, view)

    return idempotent(db, household_id, key, f"POST /stash/{container_id}/thaw", body, work, now=now)


@router.post(
    "/{container_id}/warm",
    response_model=ContainerOut,
    summary="Milk warmed for a feed: the warmed-milk clock starts",
    description="The milk is at room temperature from `at`, and the warmed-milk rule of the "
    "household's storage profile runs from then; it never gives the milk more time than the limits "
    "it already had. Frozen milk is refused (thaw it first).",
)
def warm(
    container_id: ContainerId,
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    body: AtBody | None = None,
    key: IdempotencyKeyDep = None,
) -> Any:
    def work() -> Any:
        view = stash.warm(db, household_id, container_id, now=now, at=body.at if body else None)
        return _one(db, household_id, view)

    return idempotent(db, household_id, key, f"POST /stash/{container_id}/warm", body, work, now=now)


@router.post(
    "/{container_id}/feed", response_model=ContainerOut, summary="Record a feed; the rest is leftover"
)
def feed(
    container_id: ContainerId,
    body: FeedBody,
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    key: IdempotencyKeyDep = None,
) -> Any:
    def work() -> Any:
        view = stash.feed(
            db,
            household_id,
            container_id,
            finished=body.finished,
            started=body.started,
            leftover_ml=body.leftover_ml,
            now=now,
        )
        return _one(db, household_id, view)

    return idempotent(db, household_id, key, f"POST /stash/{container_id}/feed", body, work, now=now)


@router.post("/{container_id}/use", response_model=ContainerOut, summary="Mark a container used up")
def use(
    container_id: ContainerId,
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    body: AtBody | None = None,
    key: IdempotencyKeyDep = None,
) -> Any:
    def work() -> Any:
        view = stash.use(db, household_id, container_id, now=now, at=body.at if body else None)
        return _one(db, household_id, view)

    return idempotent(db, household_id, key, f"POST /stash/{container_id}/use", body, work, now=now)


@router.post("/{container_id}/discard", response_model=ContainerOut, summary="Throw a container away")
def discard(
    container_id: ContainerId,
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    body: DiscardBody | None = None,
    key: IdempotencyKeyDep = None,
) -> Any:
    given = body or DiscardBody()

    def work() -> Any:
        view = stash.discard(db, household_id, container_id, now=now, at=given.at, reason=given.reason)
        return _one(db, household_id, view)

    return idempotent(db, household_id, key, f"POST /stash/{container_id}/discard", given, work, now=now)


@router.post("/{container_id}/split", status_code=201, summary="Pour part into a new container")
def split(
    container_id: ContainerId,
    body: SplitBody,
    db: DbDep,
    household_id: HouseholdDep,
    now: NowDep,
    key: IdempotencyKeyDep = None,
) -> Any:
    def work() -> Any:
        old, new = stash.split(
            db, household_id, container_id, ml=body.ml, now=now, at=body.at, label=body.label
        )
        tz = _tz(db, household_id)
        return JSONResponse({"from": old.as_json(tz), "new": new.as_json(tz)}, status_code=201)

    return idempotent(db, household_id, key, f"POST /stash/{container_id}/split", body, work, now=now)
