"""Use cases for the expression log: record, list, show, edit, delete sessions, and stats."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from letdown.domain import limits
from letdown.domain import sessions as rules
from letdown.domain.choices import Method
from letdown.domain.errors import InvalidInput, NotFound
from letdown.domain.timeparse import iso_local, localize, parse_time
from letdown.services.accounts import households
from letdown.store.models import Baby, ExpressionSession


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()
DEFAULT_LIMIT = 50
MAX_LIMIT = 10000


@dataclass
class SessionInput:
    """A session as typed by a person: times as text, volumes in ml. ``UNSET`` means "not given"."""

    start: Any = UNSET
    end: Any = UNSET
    minutes: Any = UNSET
    method: Any = UNSET
    left_ml: Any = UNSET
    right_ml: Any = UNSET
    passive_ml: Any = UNSET
    let_downs: Any = UNSET
    comfort: Any = UNSET
    note: Any = UNSET

    def given(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not UNSET}


@dataclass(frozen=True)
class SessionView:
    id: str
    started_at: datetime
    ended_at: datetime
    method: Method
    left_ml: float | None
    right_ml: float | None
    passive_ml: float | None
    let_downs: tuple[datetime, ...]
    comfort: int | None
    note: str | None
    baby_age_days: int | None
    created_at: datetime
    updated_at: datetime
    demo: bool = False

    @property
    def total_ml(self) -> float:
        return rules.total_ml(self.left_ml, self.right_ml, self.passive_ml)

    @property
    def minutes(self) -> float:
        return round((self.ended_at - self.started_at) / timedelta(minutes=1), 1)

    def as_json(self, tz: ZoneInfo) -> dict[str, object]:
        return {
            "id": self.id,
            "started_at": iso_local(self.started_at, tz),
            "ended_at": iso_local(self.ended_at, tz),
            "duration_minutes": self.minutes,
            "method": self.method.value,
            "left_ml": self.left_ml,
            "right_ml": self.right_ml,
            "passive_ml": self.passive_ml,
            "total_ml": self.total_ml,
            "let_downs": [iso_local(t, tz) for t in self.let_downs],
            "comfort": self.comfort,
            "note": self.note,
            "baby_age_days": self.baby_age_days,
            "demo": self.demo,
            "created_at": iso_local(self.created_at, tz),
            "updated_at": iso_local(self.updated_at, tz),
        }


def data_of(row: ExpressionSession) -> rules.SessionData:
    """A stored session as the domain's session data (let-down times parsed)."""
    return rules.SessionData(
        started_at=row.started_at,
        ended_at=row.ended_at,
        method=Method(row.method),
        left_ml=row.left_ml,
        right_ml=row.right_ml,
        passive_ml=row.passive_ml,
        let_downs=tuple(datetime.fromisoformat(t) for t in row.let_downs or ()),
        comfort=row.comfort,
        note=row.note,
    )


def _view(row: ExpressionSession, babies: dict[str, Baby], tz: ZoneInfo) -> SessionView:
    baby = babies.get(row.baby_id) if row.baby_id else None
    age = (
        rules.age_in_days(row.started_at.astimezone(tz).date(), baby.birth_date, baby.due_date)
        if baby
        else None
    )
    d = data_of(row)
    return SessionView(
        id=row.id,
        started_at=d.started_at,
        ended_at=d.ended_at,
        method=d.method,
        left_ml=d.left_ml,
        right_ml=d.right_ml,
        passive_ml=d.passive_ml,
        let_downs=d.let_downs,
        comfort=d.comfort,
        note=d.note,
        baby_age_days=age,
        created_at=row.created_at,
        updated_at=row.updated_at,
        demo=bool(row.demo),
    )


def _babies(db: Session, household_id: str) -> dict[str, Baby]:
    return {b.id: b for b in db.scalars(select(Baby).where(Baby.household_id == household_id))}


def _number(value: Any, name: str) -> float | None:
    if value is None:
        return None
    return limits.finite(value, name)


def _comfort(value: Any) -> int | None:
    if value is None:
        return None
    low, high = rules.COMFORT_RANGE
    if not isinstance(value, int | float | str):
        raise InvalidInput("comfort", f"must be a whole number from {low} to {high}, got {value!r}")
    return limits.whole(value, "comfort", low=low, high=high)


def _resolve(
    raw: SessionInput, base: rules.SessionData | None, *, now: datetime, tz: ZoneInfo
) -> rules.SessionData:
    """Turn typed input (merged over ``base`` when editing) into validated session data."""
    given = raw.given()
    if "end" in given and "minutes" in given and given["end"] is not None and given["minutes"] is not None:
        raise InvalidInput("ended_at", "give either an end time or the minutes, not both")

    if "start" in given:
        started = parse_time(str(given["start"]), field="started_at", now=now, tz=tz)
    elif base is not None:
        started = base.started_at
    else:
        raise InvalidInput("started_at", "a start time is required")

    if given.get("minutes") is not None:
        ended = started + timedelta(minutes=rules.session_minutes(given["minutes"]))
    elif given.get("end") is not None:
        ended = parse_time(str(given["end"]), field="ended_at", now=now, tz=tz)
    elif base is not None:
        ended = started + (base.ended_at - base.started_at)
        if "start" not in given:
            ended = base.ended_at
    else:
        raise InvalidInput("ended_at", "give an end time or how many minutes it lasted")

    if "method" in given:
        if given["method"] is None:
            raise InvalidInput("method", "a method is required")
        method = rules.parse_method(str(given["method"]))
    elif base is not None:
        method = base.method
    else:
        raise InvalidInput("method", "a method is required")

    def pick(name: str, convert: Any) -> Any:
        if name in given:
            return convert(given[name])
        return getattr(base, name) if base is not None else None

    let_downs_raw = given.get("let_downs", UNSET)
    if let_downs_raw is UNSET:
        let_downs = base.let_downs if base is not None else ()
    else:
        let_downs = tuple(
            parse_time(str(t), field="let_downs", now=now, tz=tz) for t in (let_downs_raw or ())
        )

    note = pick("note", lambda v: None if v is None else str(v))
    data = rules.SessionData(
        started_at=started,
        ended_at=ended,
        method=method,
        left_ml=pick("left_ml", lambda v: _number(v, "left_ml")),
        right_ml=pick("right_ml", lambda v: _number(v, "right_ml")),
        passive_ml=pick("passive_ml", lambda v: _number(v, "passive_ml")),
        let_downs=let_downs,
        comfort=pick("comfort", _comfort),
        note=note,
    )
    return rules.validate_session(data, now=now, tz=tz)


def apply(row: ExpressionSession, data: rules.SessionData) -> None:
    """Copy validated session data onto a row (also used by the demo seeder)."""
    row.started_at = data.started_at
    row.ended_at = data.ended_at
    row.method = data.method.value
    row.left_ml = data.left_ml
    row.right_ml = data.right_ml
    row.passive_ml = data.passive_ml
    row.let_downs = [t.astimezone(UTC).isoformat() for t in data.let_downs]
    row.comfort = data.comfort
    row.note = data.note


def create(db: Session, household_id: str, raw: SessionInput, *, now: datetime) -> SessionView:
    household = households.get(db, household_id)
    data = _resolve(raw, None, now=now, tz=household.tz)
    row = ExpressionSession(
        household_id=household_id,
        baby_id=households.current_baby_id(db, household_id),
        created_at=now,
        updated_at=now,
    )
    apply(row, data)
    db.add(row)
    db.commit()
    return _view(row, _babies(db, household_id), household.tz)


def _row(db: Session, household_id: str, session_id: str) -> ExpressionSession:
    row = db.get(ExpressionSession, (household_id, session_id))
    if row is None:
        raise NotFound("session", session_id)
    return row


def get(db: Session, household_id: str, session_id: str) -> SessionView:
    household = households.get(db, household_id)
    return _view(_row(db, household_id, session_id), _babies(db, household_id), household.tz)


def update(
    db: Session, household_id: str, session_id: str, raw: SessionInput, *, now: datetime
) -> SessionView:
    household = households.get(db, household_id)
    row = _row(db, household_id, session_id)
    data = _resolve(raw, data_of(row), now=now, tz=household.tz)
    apply(row, data)
    row.updated_at = now
    db.commit()
    return _view(row, _babies(db, household_id), household.tz)


def delete(db: Session, household_id: str, session_id: str) -> None:
    row = _row(db, household_id, session_id)
    db.delete(row)
    db.commit()


def list_sessions(
    db: Session,
    household_id: str,
    *,
    now: datetime,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> list[SessionView]:
    """Sessions newest first. Without ``since`` the newest 50; ``limit`` caps either way.

    Three queries whatever the count: household, babies, sessions.
    """
    household = households.get(db, household_id)
    tz = household.tz
    query = select(ExpressionSession).where(ExpressionSession.household_id == household_id)
    if since is not None:
        query = query.where(ExpressionSession.started_at >= parse_time(since, field="since", now=now, tz=tz))
    if until is not None:
        query = query.where(ExpressionSession.started_at <= parse_time(until, field="until", now=now, tz=tz))
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("limit", f"must be from 1 to {MAX_LIMIT}, got {limit}")
    if limit is None and since is None:
        limit = DEFAULT_LIMIT
    query = query.order_by(ExpressionSession.started_at.desc(), ExpressionSession.id.desc())
    if limit is not None:
        query = query.limit(limit)
    babies = _babies(db, household_id)
    return [_view(r, babies, tz) for r in db.scalars(query)]


def stats(db: Session, household_id: str, *, days: int, now: datetime) -> tuple[rules.Stats, ZoneInfo]:
    """Daily figures for the last ``days`` local days (today included)."""
    if not 1 <= days <= limits.MAX_STATS_DAYS:
        raise InvalidInput("days", f"must be from 1 to {limits.MAX_STATS_DAYS}, got {days}")
    household = households.get(db, household_id)
    tz = household.tz
    today = now.astimezone(tz).date()
    first, _ = rules.stats_window(today, days)
    start = localize(datetime.combine(first, time.min), tz)
    end = localize(datetime.combine(today + timedelta(days=1), time.min), tz)
    rows = db.scalars(
        select(ExpressionSession).where(
            ExpressionSession.household_id == household_id,
            ExpressionSession.started_at >= start,
            ExpressionSession.started_at < end,
        )
    ).all()
    return rules.daily_stats(rows, tz=tz, today=today, days=days), tz


def stats_json(result: rules.Stats) -> dict[str, object]:
    def day(d: rules.DayStats) -> dict[str, object]:
        return {
            "date": d.day.isoformat(),
            "sessions": d.sessions,
            "left_ml": d.left_ml,
            "right_ml": d.right_ml,
            "passive_ml": d.passive_ml,
            "total_ml": d.total_ml,
            "mean_minutes": d.mean_minutes,
            "avg7_ml": d.avg7_ml,
        }

    return {
        "days": [day(d) for d in result.days],
        "summary": {
            "sessions": result.sessions,
            "total_ml": result.total_ml,
            "daily_average_ml": result.daily_average_ml,
            "mean_minutes": result.mean_minutes,
        },
    }
