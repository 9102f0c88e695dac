"""The home page's figures: last session, next one due, today against the week, stash alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from letdown.domain import schedule
from letdown.domain.choices import Status
from letdown.services import members, sessions
from letdown.store.models import ExpressionSession


@dataclass(frozen=True)
class Alert:
    container_id: str
    status: Status
    ml: float
    use_by: datetime
    location: str


@dataclass(frozen=True)
class Home:
    last_started: datetime | None
    due: schedule.Due
    interval_minutes: int | None
    today_ml: float | None  # None when the viewer may not see the log
    avg7_ml: float | None  # the 7 days before today
    sessions_today: int | None
    alerts: list[Alert]
    empty: bool  # no session and no milk yet


def home(db: Session, household_id: str, *, now: datetime, with_log: bool) -> Home:
    """Everything the home page shows; the log's figures only ``with_log`` (the viewer may see it)."""
    from letdown.services import stash

    settings = members.get_settings(db, household_id)
    last = db.scalar(
        select(ExpressionSession.started_at)
        .where(ExpressionSession.household_id == household_id)
        .order_by(ExpressionSession.started_at.desc())
        .limit(1)
    )
    today_ml = avg7 = count = None
    if with_log:
        result, _ = sessions.stats(db, household_id, days=8, now=now)
        today = result.days[-1]
        today_ml, count = today.total_ml, today.sessions
        avg7 = result.days[-2].avg7_ml
    views = stash.list_containers(db, household_id, now=now)
    alerts = [
        Alert(v.id, v.standing.status, v.standing.ml, v.standing.use_by, v.standing.location.value)
        for v in views
        if v.standing.status in (Status.USE_SOON, Status.EXPIRED)
    ]
    alerts.sort(key=lambda a: (a.status is not Status.EXPIRED, a.use_by))
    due = (
        schedule.due(last, settings.session_interval_minutes, now=now)
        if with_log
        else schedule.Due(None, None, False)
    )
    return Home(
        last_started=last if with_log else None,
        due=due,
        interval_minutes=settings.session_interval_minutes,
        today_ml=today_ml,
        avg7_ml=avg7,
        sessions_today=count,
        alerts=alerts,
        empty=last is None and not views,
    )
