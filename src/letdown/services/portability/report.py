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

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from letdown.domain import report as rules
from letdown.domain.choices import FEEDING_MODE_LABELS, FeedingMode
from letdown.domain.sessions import total_ml
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


FEEDS_FACT = "feeds-kent-2006"  # feeds a day, for the stash in days of supply


@dataclass(frozen=True)
class SessionRow:
    """One session in the report's table (volumes in ml; the note only when it may be shown)."""

    started_at: datetime  # local
    baby: str | None
    method: str
    minutes: int
    left_ml: float | None
    right_ml: float | None
    passive_ml: float | None
    total_ml: float
    let_downs: int
    comfort: int | None
    note: str | None
    partial_day: bool  # started today: the day is not over

    def as_json(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at.isoformat(),
            "baby": self.baby,
            "method": self.method,
            "minutes": self.minutes,
            "left_ml": self.left_ml,
            "right_ml": self.right_ml,
            "passive_ml": self.passive_ml,
            "total_ml": self.total_ml,
            "let_downs": self.let_downs,
            "comfort": self.comfort,
            "note": self.note,
            "today": self.partial_day,
        }


@dataclass(frozen=True)
class Supply:
    """The usable stash in days at the usual feed and a typical number of feeds a day."""

    usable_ml: float
    usual_feed_ml: float | None
    feeds_per_day: float
    days: float | None  # None: the usual feed is not set
    source: str

    def as_json(self) -> dict[str, Any]:
        return {
            "usable_ml": round(self.usable_ml, 1),
            "usual_feed_ml": self.usual_feed_ml,
            "feeds_per_day": self.feeds_per_day,
            "days": self.days,
            "source": self.source,
        }


@dataclass(frozen=True)
class ReportBundle:
    household: HouseholdView
    report: rules.Report
    signs: list[SignCount] | None  # None: the assessment is not available in this build
    stash: stash_plan.Summary
    generated_at: datetime
    babies: tuple[rules.BabyHead, ...] = ()
    feeding: str = "not said"
    exclusive: bool | None = None  # exclusively expressing? None: not said
    range_note: str = ""
    rows: tuple[SessionRow, ...] = ()
    notes_shown: bool = True
    supply: Supply | None = None
    # Set when sample data from `letdown demo` falls in the range: left out (the default), or
    # included on request and then marked as not a real record.
    demo_note: str | None = None

    @property
    def tz(self) -> ZoneInfo:
        return self.household.tz

    def as_json(self) -> dict[str, Any]:
        return {
            "household": {"name": self.household.name, "timezone": self.household.timezone},
            "babies": [
                {"name": b.name, "age": b.age, "gestation_at_birth": b.gestation_at_birth}
                for b in self.babies
            ],
            "feeding": self.feeding,
            "exclusively_expressing": self.exclusive,
            "range": self.range_note,
            **self.report.as_json(),
            "sessions_table": [r.as_json() for r in self.rows],
            "notes_shown": self.notes_shown,
            "supply": self.supply.as_json() if self.supply is not None else None,
            "assessment": [s.as_json() for s in self.signs] if self.signs is not None else NOT_AVAILABLE,
            "stash": self.stash.as_json(),
            "generated_at": iso_local(self.generated_at, self.tz),
            "demo_note": self.demo_note,
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


def range_note(start: str | None, end: str | None, first: date, last: date, today: date) -> str:
    """How the date range was chosen, said plainly at the top of the report."""
    if not start and not end:
        return "the last 14 days (the default)"
    if end and not start:
        return f"the 14 days up to {last:%d %b %Y}, as asked"
    return f"{first:%d %b %Y} to {last:%d %b %Y}, as asked"


def build(
    db: Session,
    household_id: str,
    *,
    now: datetime,
    start: str | None = None,
    end: str | None = None,
    show_notes: bool = True,
    include_demo: bool = False,
) -> ReportBundle:
    """The report for the local days ``start`` to ``end`` (YYYY-MM-DD; default the last 14 days).

    Sample data from ``letdown demo`` is left out unless ``include_demo``; either way the report
    says so when there is some in the range. Today is a partial day, shown apart
    (``domain/report.py``). The parent's notes are in the session table only with
    ``show_notes`` (a share link says)."""
    household = households.get(db, household_id)
    tz = household.tz
    today = now.astimezone(tz).date()
    first, last = parse_range(start, end, today=today)
    lower = localize(datetime.combine(first, time.min), tz)
    upper = localize(datetime.combine(last + timedelta(days=1), time.min), tz)
    week_before = localize(datetime.combine(first - timedelta(days=6), time.min), tz)
    base = select(ExpressionSession).where(ExpressionSession.household_id == household_id)
    in_range = (ExpressionSession.started_at >= lower, ExpressionSession.started_at < upper)
    samples = db.scalar(
        select(func.count())
        .select_from(ExpressionSession)
        .where(ExpressionSession.household_id == household_id, ExpressionSession.demo.is_(True), *in_range)
    )
    demo_note = None
    if samples and include_demo:
        demo_note = (
            f"This report includes {samples} sessions of sample data from letdown demo: not a real record."
        )
    elif samples:
        demo_note = (
            f"{samples} sessions of sample data from letdown demo are left out of this report "
            "(ask for them with include_demo)."
        )
    if not include_demo:
        base = base.where(ExpressionSession.demo.is_(False))
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
    report = rules.build(
        views, start=first, end=last, tz=tz, before=[_SessionValues(r) for r in before], now=now
    )
    summary = stash_plan.summary(db, household_id, now=now, include_demo=include_demo)
    from letdown.services.schedule import settings as household_settings

    babies = list(
        db.scalars(select(Baby).where(Baby.household_id == household_id).order_by(Baby.created_at, Baby.name))
    )
    names = {b.id: b.name for b in babies}
    mode = household_settings.feeding_mode(db, household_id)
    shown = [r for r in inside if r.started_at.astimezone(tz).date() <= today]
    table = tuple(
        SessionRow(
            started_at=r.started_at.astimezone(tz),
            baby=names.get(r.baby_id) if r.baby_id else None,
            method=str(r.method),
            minutes=round((r.ended_at - r.started_at).total_seconds() / 60),
            left_ml=r.left_ml,
            right_ml=r.right_ml,
            passive_ml=r.passive_ml,
            total_ml=float(total_ml(r.left_ml, r.right_ml, r.passive_ml)),
            let_downs=len(r.let_downs or ()),
            comfort=r.comfort,
            note=(r.note or None) if show_notes else None,
            partial_day=r.started_at.astimezone(tz).date() == today,
        )
        for r in shown
    )
    from letdown.guidance.library import facts

    feeds_fact = facts()[FEEDS_FACT]
    per_day = float(feeds_fact.data["feeds_per_day"])
    usable = sum(p.ml for p in summary.places)
    supply = Supply(
        usable,
        summary.usual_feed_ml,
        per_day,
        rules.supply_days(usable, summary.usual_feed_ml, per_day),
        feeds_fact.source,
    )
    return ReportBundle(
        household,
        report,
        _signs(shown, db, household_id, tz),
        summary,
        now,
        babies=tuple(rules.baby_head(b.name, b.birth_date, b.due_date, today) for b in babies),
        feeding=FEEDING_MODE_LABELS[mode] if mode is not None else "not said",
        exclusive=None if mode is None else mode is FeedingMode.EXCLUSIVE,
        range_note=range_note(start, end, first, last, today),
        rows=table,
        notes_shown=show_notes,
        supply=supply,
        demo_note=demo_note,
    )


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
