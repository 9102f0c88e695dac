"""The home page's figures: last session, the next one due, today against the week and the
cited targets, and stash alerts. Built on ``services/reminders`` (what is due, and when) so the
web app, ``letdown due`` and the calendar feed agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from letdown.domain.choices import Status
from letdown.domain.reminders import Plan, Progress
from letdown.services.log import sessions
from letdown.services.schedule import reminders


@dataclass(frozen=True)
class Alert:
    container_id: str
    status: Status
    ml: float
    use_by: datetime
    location: str


@dataclass(frozen=True)
class Home:
    last_started: datetime | None  # None when there is none, or the viewer may not see the log
    next_due: datetime | None
    overdue: bool
    plan: Plan
    progress: Progress | None
    today_ml: float | None
    avg7_ml: float | None  # the 7 days before today
    sessions_today: int | None
    alerts: list[Alert]
    use_next: Any  # the stash's ContainerView to use first, or None
    empty: bool  # no session and no milk yet


def home(db: Session, household_id: str, *, now: datetime, with_log: bool) -> Home:
    """Everything the home page shows; the log's figures only ``with_log`` (the viewer may see it)."""
    from letdown.services.stash import containers as stash
    from letdown.services.stash import plan as stash_plan

    due = reminders.due(db, household_id, now=now)
    today_ml = avg7 = count = None
    progress = None
    if with_log:
        result, _ = sessions.stats(db, household_id, days=8, now=now)
        today = result.days[-1]
        today_ml, count = today.total_ml, today.sessions
        avg7 = result.days[-2].avg7_ml
        progress = reminders.today_progress(db, household_id, now=now)
    views = stash.list_containers(db, household_id, now=now)
    alerts = [
        Alert(v.id, v.standing.status, v.standing.ml, v.standing.use_by, v.standing.location.value)
        for v in views
        if v.standing.status in (Status.USE_SOON, Status.EXPIRED)
    ]
    alerts.sort(key=lambda a: (a.status is not Status.EXPIRED, a.use_by))
    nxt = stash_plan.next_up(db, household_id, now=now)
    shown = with_log and due.last_started is not None
    return Home(
        last_started=due.last_started if shown else None,
        next_due=due.next_due if shown else None,
        overdue=due.overdue if shown else False,
        plan=due.plan,
        progress=progress,
        today_ml=today_ml,
        avg7_ml=avg7,
        sessions_today=count,
        alerts=alerts,
        use_next=nxt[0] if nxt else None,
        empty=due.last_started is None and not views,
    )
