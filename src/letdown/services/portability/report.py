"""Use case: the report a parent shares with a lactation consultant, for a date range.

``build`` gathers the figures (``domain/report.py``), the assessment signs of every session in
the range (``domain/assessment.py``, counted per sign), and the stash summary, in a fixed
number of queries. ``letdown.render.report`` renders it as HTML, PDF or CSV; ``render_html``
there is what the clinician's share page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from letdown.domain import report as rules
from letdown.domain.timeparse import iso_local, localize, parse_date
from letdown.guidance.library import DISCLAIMER
from letdown.services.accounts import households
from letdown.services.accounts.households import HouseholdView
from letdown.services.stash import plan as stash_plan
from letdown.store.models import Baby, ExpressionSession

NOT_AVAILABLE = "not available"


@dataclass(frozen=True)
class SignCount:
    id: str
    title: str
    passed: int
    attention: int
    unknown: int
    sources: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "pass": self.passed,
            "attention": self.attention,
            "unknown": self.unknown,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class ReportBundle:
    household: HouseholdView
    report: rules.Report
    signs: list[SignCount] | None  # None: the assessment is not available in this build
    stash: stash_plan.Summary
    generated_at: datetime

    @property
    def tz(self) -> ZoneInfo:
        return self.household.tz

    def as_json(self) -> dict[str, Any]:
        return {
            "household": {"name": self.household.name, "timezone": self.household.timezone},
            **self.report.as_json(),
            "assessment": [s.as_json() for s in self.signs] if self.signs is not None else NOT_AVAILABLE,
            "stash": self.stash.as_json(),
            "generated_at": iso_local(self.generated_at, self.tz),
            "disclaimer": DISCLAIMER,
        }


def parse_range(start: str | None, end: str | None, *, today: date) -> tuple[date, date]:
    """``--from``/``--to`` as dates; both default to the last 14 days ending today."""
    last = parse_date(end, field="to") if end else today
    first = parse_date(start, field="from") if start else last - timedelta(days=13)
    rules.check_range(first, last)
    return first, last


def _signs(
    rows: list[ExpressionSession], db: Session, household_id: str, tz: ZoneInfo
) -> list[SignCount] | None:
    from letdown.domain import assessment
    from letdown.services.log.assessment import facts_of
    from letdown.store.models import CoachRun

    babies = {b.id: b for b in db.scalars(select(Baby).where(Baby.household_id == household_id))}
    ids = [r.id for r in rows]
    runs = (
        {
            r.session_id: r
            for r in db.scalars(
                select(CoachRun).where(CoachRun.household_id == household_id, CoachRun.session_id.in_(ids))
            )
        }
        if ids
        else {}
    )
    from letdown.services.schedule import settings as household_settings

    mode = household_settings.feeding_mode(
        db, household_id
    )  # amounts are compared like with like (assessment)
    tally: dict[str, list[Any]] = {}
    for row in rows:
        baby = babies.get(row.baby_id) if row.baby_id else None
        facts = facts_of(row, baby, tz, runs.get(row.id), mode)
        for sign in assessment.assess(facts).signs:
            entry = tally.setdefault(sign.id, [sign.title, 0, 0, 0, set(sign.sources)])
            index = {assessment.PASS: 1, assessment.ATTENTION: 2}.get(sign.status, 3)
            entry[index] += 1
            entry[4] |= set(sign.sources)
    return [SignCount(k, v[0], v[1], v[2], v[3], tuple(sorted(v[4]))) for k, v in tally.items()]


def build(
    db: Session, household_id: str, *, now: datetime, start: str | None = None, end: str | None = None
) -> ReportBundle:
    """The report for the local days ``start`` to ``end`` (YYYY-MM-DD; default the last 14 days)."""
    household = households.get(db, household_id)
    tz = household.tz
    first, last = parse_range(start, end, today=now.astimezone(tz).date())
    lower = localize(datetime.combine(first, time.min), tz)
    upper = localize(datetime.combine(last + timedelta(days=1), time.min), tz)
    week_before = localize(datetime.combine(first - timedelta(days=6), time.min), tz)
    base = select(ExpressionSession).where(ExpressionSession.household_id == household_id)
    rows = list(
        db.scalars(
            base.where(
                ExpressionSession.started_at >= week_before, ExpressionSession.started_at < upper
            ).order_by(ExpressionSession.started_at, ExpressionSession.id)
        )
    )
    inside = [r for r in rows if r.started_at >= lower]
    before = [r for r in rows if r.started_at < lower]
    if not before:
        last_one = db.scalars(
            base.where(ExpressionSession.started_at < lower)
            .order_by(ExpressionSession.started_at.desc())
            .limit(1)
        ).first()
        before = [last_one] if last_one is not None else []
    views = [_SessionValues(r) for r in inside]
    report = rules.build(views, start=first, end=last, tz=tz, before=[_SessionValues(r) for r in before])
    summary = stash_plan.summary(db, household_id, now=now)
    return ReportBundle(household, report, _signs(inside, db, household_id, tz), summary, now)


class _SessionValues:
    """A stored session as the report reads it (let-down times parsed)."""

    __slots__ = (
        "started_at",
        "ended_at",
        "method",
        "left_ml",
        "right_ml",
        "passive_ml",
        "let_downs",
        "comfort",
    )

    def __init__(self, row: ExpressionSession) -> None:
        self.started_at = row.started_at
        self.ended_at = row.ended_at
        self.method = row.method
        self.left_ml = row.left_ml
        self.right_ml = row.right_ml
        self.passive_ml = row.passive_ml
        self.let_downs = tuple(row.let_downs or ())
        self.comfort = row.comfort
