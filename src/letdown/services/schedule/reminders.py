"""Use cases for reminders: the household's intervals, what is due next, today's progress.

The day interval and the longest night gap are household settings
(``household_settings.session_interval_minutes`` and ``.night_gap_minutes``, written by
``services/schedule/settings``). Either left unset means the default from the cited guidance
(``domain/reminders.py``).

``today_progress`` is what the home page shows: today's count against 8-10 in 24 hours, a
target only for a household that exclusively expresses (``household_settings.feeding_mode``);
otherwise the figures are information with their source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from letdown.domain import reminders as rules
from letdown.domain.choices import FeedingMode, Status
from letdown.domain.sessions import age_in_days
from letdown.domain.timeparse import iso_local
from letdown.services.accounts import households
from letdown.services.schedule import settings as household_settings
from letdown.store.models import Baby, ExpressionSession, HouseholdSettings

HORIZON_HOURS = 24


def _day_interval(db: Session, household_id: str) -> int | None:
    row = db.get(HouseholdSettings, household_id)
    return row.session_interval_minutes if row is not None else None


def _feeding_mode(db: Session, household_id: str) -> FeedingMode | None:
    row = db.get(HouseholdSettings, household_id)
    return rules.parse_feeding_mode(row.feeding_mode) if row is not None else None


def get_plan(db: Session, household_id: str) -> rules.Plan:
    """The household's intervals (its own, else the guidance defaults where its feeding mode
    takes them: a household whose baby also feeds at the breast has no default interval)."""
    households.get(db, household_id)
    row = db.get(HouseholdSettings, household_id)
    night = row.night_gap_minutes if row is not None else None
    return rules.plan(
        _day_interval(db, household_id), night, rules.targets(), _feeding_mode(db, household_id)
    )


def set_intervals(
    db: Session,
    household_id: str,
    *,
    now: datetime,
    day_minutes: int | None = None,
    night_gap_minutes: int | None = None,
    reset: bool = False,
) -> rules.Plan:
    """Set the day interval and/or the longest night gap; ``reset`` goes back to the defaults."""
    household_settings.stage_intervals(
        db,
        household_id,
        now=now,
        day_minutes=day_minutes,
        night_gap_minutes=night_gap_minutes,
        clear_day=reset,
        clear_night=reset,
    )
    db.commit()
    return get_plan(db, household_id)


def _last_started(db: Session, household_id: str) -> datetime | None:
    return db.scalar(
        select(ExpressionSession.started_at)
        .where(ExpressionSession.household_id == household_id)
        .order_by(ExpressionSession.started_at.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Deadline:
    container_id: str
    kind: str  # "use-soon" or "use-by"
    at: datetime
    ml: float
    location: str
    label: str | None
    rule: str

    def as_json(self, tz: ZoneInfo) -> dict[str, Any]:
        return {
            "container_id": self.container_id,
            "kind": self.kind,
            "at": iso_local(self.at, tz),
            "ml": round(self.ml, 1),
            "location": self.location,
            "label": self.label,
            "rule": self.rule,
        }


def deadlines(db: Session, household_id: str, *, now: datetime, hours: int = HORIZON_HOURS) -> list[Deadline]:
    """Containers that reach use-soon or use-by between now and ``hours`` from now, soonest first."""
    from letdown.services.stash import containers as stash

    end = now + timedelta(hours=hours)
    out: list[Deadline] = []
    for view in stash.list_containers(db, household_id, now=now):
        s = view.standing
        if s.status is Status.EXPIRED:
            continue
        marks = [("use-soon", s.use_soon_at), ("use-by", s.use_by)]
        for kind, at in marks:
            if at is not None and now < at <= end:
                out.append(Deadline(view.id, kind, at, s.ml, s.location.value, view.label, s.rule.id))
    return sorted(out, key=lambda d: (d.at, d.container_id, d.kind))


@dataclass(frozen=True)
class DueView:
    now: datetime
    tz: ZoneInfo
    last_started: datetime | None
    plan: rules.Plan
    next_due: datetime | None  # None: no interval (the feeding mode takes no default), nothing due
    overdue: bool
    upcoming: list[datetime]
    deadlines: list[Deadline]

    def as_json(self) -> dict[str, Any]:
        t = rules.targets()
        rule = t.rule(self.plan.feeding_mode)
        return {
            "feeding_mode": rule.as_json()["feeding_mode"],
            "targets_apply": rule.targets,
            "rule": rule.as_json(),
            "note": t.frequency_note(self.plan.feeding_mode),
            "last_started_at": iso_local(self.last_started, self.tz),
            "next_due_at": iso_local(self.next_due, self.tz),
            "overdue": self.overdue,
            "upcoming": [iso_local(u, self.tz) for u in self.upcoming],
            "interval_minutes": self.plan.day_minutes,
            "interval_is_default": self.plan.day_is_default,
            "night_gap_minutes": self.plan.night_gap_minutes,
            "night_gap_is_default": self.plan.night_is_default,
            "night_hours": [t.night_from_hour, t.night_to_hour],
            "containers": [d.as_json(self.tz) for d in self.deadlines],
            "sources": sorted({t.sources["sessions-per-24h"], t.sources["night-gap"]}),
        }


def due(db: Session, household_id: str, *, now: datetime, hours: int = HORIZON_HOURS) -> DueView:
    """When the next session is due (and the ones after it), and the stash's deadlines ahead."""
    household = households.get(db, household_id)
    tz = household.tz
    p = get_plan(db, household_id)
    last = _last_started(db, household_id)
    ahead = rules.upcoming(last, p, now=now, tz=tz, t=rules.targets(), hours=hours)
    return DueView(
        now=now,
        tz=tz,
        last_started=last,
        plan=p,
        next_due=ahead[0] if ahead else None,
        overdue=bool(ahead) and last is not None and ahead[0] <= now,
        upcoming=ahead,
        deadlines=deadlines(db, household_id, now=now, hours=hours),
    )


def today_progress(db: Session, household_id: str, *, now: datetime) -> rules.Progress:
    """Today's session count against the cited targets (for the home page). Four queries."""
    household = households.get(db, household_id)
    tz = household.tz
    since = now - timedelta(hours=48)
    rows = db.execute(
        select(ExpressionSession.started_at, ExpressionSession.method).where(
            ExpressionSession.household_id == household_id, ExpressionSession.started_at >= since
        )
    ).all()
    baby_id = households.current_baby_id(db, household_id)  # the baby new sessions are for
    baby = db.get(Baby, (household_id, baby_id)) if baby_id else None
    age = age_in_days(now.astimezone(tz).date(), baby.birth_date, None) if baby and baby.birth_date else None
    return rules.progress(
        [(r.started_at, r.method) for r in rows],
        now=now,
        tz=tz,
        baby_age_days=age,
        p=get_plan(db, household_id),
        t=rules.targets(),
        birth_date=baby.birth_date if baby else None,
        due_date=baby.due_date if baby else None,
        mode=_feeding_mode(db, household_id),
    )
