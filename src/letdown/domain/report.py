"""The figures of a report for a lactation consultant: pure computations over a date range.

No I/O and no clock: the sessions, the zone, the dates and ``now`` are passed in. Days are local
days in the household's zone, both ends included. Gaps are start to start, in minutes.

Only complete days go into averages and trends: when the range reaches today, today is a partial
day, shown apart (``DayRow.partial``) and never averaged as a full day; days after today are not
shown at all. Night sessions are those that start from 00:00 to 05:59 local time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from letdown.domain.choices import Method, values
from letdown.domain.errors import InvalidInput
from letdown.domain.sessions import daily_stats, total_ml

MAX_DAYS = 366
NIGHT_END_HOUR = 6  # a night session starts from 00:00 up to (not including) 06:00, local time


class ReportSession(Protocol):
    started_at: datetime
    ended_at: datetime
    method: Any
    left_ml: float | None
    right_ml: float | None
    passive_ml: float | None
    let_downs: Any
    comfort: int | None


def check_range(start: date, end: date) -> int:
    """The number of days from ``start`` to ``end`` (both included); refuses a bad range."""
    if end < start:
        raise InvalidInput("to", f"{end.isoformat()} is before the start {start.isoformat()}")
    days = (end - start).days + 1
    if days > MAX_DAYS:
        raise InvalidInput("to", f"a report covers at most {MAX_DAYS} days, got {days}")
    return days


@dataclass(frozen=True)
class DayRow:
    day: date
    sessions: int
    left_ml: float
    right_ml: float
    passive_ml: float
    total_ml: float
    longest_gap_minutes: int | None  # the longest start-to-start gap ending on this day
    let_downs: int
    avg7_ml: float | None  # trailing 7-day average of daily totals; None on a partial day
    night_sessions: int = 0  # sessions that started from 00:00 to 05:59
    partial: bool = False  # today: the day is not over, so it is never averaged


@dataclass(frozen=True)
class Last24:
    """The 24 hours before ``until`` (now, or the end of the range when it ended before now)."""

    until: datetime
    sessions: int
    total_ml: float
    left_ml: float
    right_ml: float
    passive_ml: float


@dataclass(frozen=True)
class MethodRow:
    method: str
    sessions: int
    total_ml: float
    mean_ml: float | None
    mean_minutes: float | None


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    days: int
    sessions: int
    total_ml: float
    left_ml: float
    right_ml: float
    passive_ml: float
    daily_average_ml: float | None  # None: no complete day in the range
    sessions_per_day: float | None
    mean_minutes: float | None
    longest_gap_minutes: int | None
    let_downs_per_session: float | None  # over the sessions with let-downs marked
    sessions_with_let_downs: int
    comfort_mean: float | None
    comfort_min: int | None
    comfort_counts: dict[int, int]
    methods: list[MethodRow]
    daily: list[DayRow]
    first_week_avg_ml: float | None
    last_week_avg_ml: float | None
    complete_days: int = 0  # the days averaged: the range up to yesterday when it reaches today
    night_sessions: int = 0
    night_sessions_per_day: float | None = None
    partial_day: DayRow | None = None
    last24: Last24 | None = None

    def side_share(self, side_ml: float) -> float | None:
        return round(100 * side_ml / self.total_ml, 1) if self.total_ml else None

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "days": self.days,
            "complete_days": self.complete_days,
            "totals": {
                "sessions": self.sessions,
                "total_ml": self.total_ml,
                "daily_average_ml": self.daily_average_ml,
                "sessions_per_day": self.sessions_per_day,
                "night_sessions": self.night_sessions,
                "night_sessions_per_day": self.night_sessions_per_day,
                "mean_minutes": self.mean_minutes,
                "longest_gap_minutes": self.longest_gap_minutes,
            },
            "sides": {
                side: {"ml": ml, "percent": self.side_share(ml)}
                for side, ml in (
                    ("left", self.left_ml),
                    ("right", self.right_ml),
                    ("passive", self.passive_ml),
                )
            },
            "methods": [
                {
                    "method": m.method,
                    "sessions": m.sessions,
                    "total_ml": m.total_ml,
                    "mean_ml": m.mean_ml,
                    "mean_minutes": m.mean_minutes,
                }
                for m in self.methods
            ],
            "let_downs": {
                "per_session": self.let_downs_per_session,
                "sessions_with_let_downs": self.sessions_with_let_downs,
            },
            "comfort": {
                "mean": self.comfort_mean,
                "lowest": self.comfort_min,
                "counts": {str(k): v for k, v in sorted(self.comfort_counts.items())},
            },
            "trend": {"first_week_avg_ml": self.first_week_avg_ml, "last_week_avg_ml": self.last_week_avg_ml},
            "daily": [
                {
                    "date": d.day.isoformat(),
                    "sessions": d.sessions,
                    "left_ml": d.left_ml,
                    "right_ml": d.right_ml,
                    "passive_ml": d.passive_ml,
                    "total_ml": d.total_ml,
                    "longest_gap_minutes": d.longest_gap_minutes,
                    "let_downs": d.let_downs,
                    "avg7_ml": d.avg7_ml,
                    "night_sessions": d.night_sessions,
                    "partial": d.partial,
                }
                for d in self.daily
            ],
            "last_24_hours": None
            if self.last24 is None
            else {
                "until": self.last24.until.isoformat(),
                "sessions": self.last24.sessions,
                "total_ml": self.last24.total_ml,
                "left_ml": self.last24.left_ml,
                "right_ml": self.last24.right_ml,
                "passive_ml": self.last24.passive_ml,
            },
        }


def _sum(*parts: float | None) -> float:
    return float(total_ml(*parts))


def _mean(numbers: Sequence[float]) -> float | None:
    return round(sum(numbers) / len(numbers), 1) if numbers else None


def _minutes(delta: timedelta) -> int:
    return int(delta / timedelta(minutes=1))


def _is_night(s: ReportSession, tz: ZoneInfo) -> bool:
    return s.started_at.astimezone(tz).hour < NIGHT_END_HOUR


def last_24_hours(sessions: Sequence[ReportSession], until: datetime) -> Last24:
    """Sessions that started in the 24 hours before ``until`` (``until`` itself excluded)."""
    since = until - timedelta(hours=24)
    group = [s for s in sessions if since <= s.started_at < until]
    return Last24(
        until=until,
        sessions=len(group),
        total_ml=_sum(*(total_ml(s.left_ml, s.right_ml, s.passive_ml) for s in group)),
        left_ml=_sum(*(s.left_ml for s in group)),
        right_ml=_sum(*(s.right_ml for s in group)),
        passive_ml=_sum(*(s.passive_ml for s in group)),
    )


def build(
    sessions: Sequence[ReportSession],
    *,
    start: date,
    end: date,
    tz: ZoneInfo,
    before: Sequence[ReportSession] = (),
    now: datetime | None = None,
) -> Report:
    """The report for the local days ``start`` to ``end``.

    ``sessions`` are those that started in the range; ``before`` those of the 6 days before it
    (for the 7-day average) and the last one before the range (for the first gap). With ``now``,
    today (local) is a partial day shown apart and days after it are left out; every average,
    trend and period figure covers the complete days only.
    """
    days = check_range(start, end)
    ordered = sorted(sessions, key=lambda s: s.started_at)
    earlier = sorted(before, key=lambda s: s.started_at)
    today = now.astimezone(tz).date() if now is not None else None
    # Totals by side and the 7-day average: the same figures as ``letdown stats``.
    stats = daily_stats([*earlier, *ordered], tz=tz, today=end, days=days)
    by_day: dict[date, list[ReportSession]] = {d.day: [] for d in stats.days}
    for s in ordered:
        local = s.started_at.astimezone(tz).date()
        if local in by_day:
            by_day[local].append(s)

    previous = earlier[-1].started_at if earlier else None
    longest_overall: int | None = None
    daily: list[DayRow] = []
    partial_day: DayRow | None = None
    for d in stats.days:
        if today is not None and d.day > today:
            break  # the future: nothing to show
        partial = today is not None and d.day == today
        longest: int | None = None
        for s in by_day[d.day]:
            if previous is not None:
                gap = _minutes(s.started_at - previous)
                longest = gap if longest is None else max(longest, gap)
            previous = s.started_at
        row = DayRow(
            day=d.day,
            sessions=d.sessions,
            left_ml=d.left_ml,
            right_ml=d.right_ml,
            passive_ml=d.passive_ml,
            total_ml=d.total_ml,
            longest_gap_minutes=longest,
            let_downs=sum(len(s.let_downs or ()) for s in by_day[d.day]),
            avg7_ml=None if partial else d.avg7_ml,
            night_sessions=sum(1 for s in by_day[d.day] if _is_night(s, tz)),
            partial=partial,
        )
        if partial:
            partial_day = row
            continue
        if longest is not None:
            longest_overall = longest if longest_overall is None else max(longest_overall, longest)
        daily.append(row)

    complete = len(daily)
    inside = [s for d in daily for s in by_day[d.day]]
    grand = _sum(*(d.total_ml for d in daily))
    methods = []
    for name in values(Method):
        group = [s for s in inside if str(getattr(s.method, "value", s.method)) == name]
        if not group:
            continue
        amounts = [total_ml(s.left_ml, s.right_ml, s.passive_ml) for s in group]
        methods.append(
            MethodRow(
                method=name,
                sessions=len(group),
                total_ml=_sum(*amounts),
                mean_ml=_mean(amounts),
                mean_minutes=_mean([(s.ended_at - s.started_at) / timedelta(minutes=1) for s in group]),
            )
        )
    marked = [len(s.let_downs) for s in inside if s.let_downs]
    comforts = [s.comfort for s in inside if s.comfort is not None]
    counts: dict[int, int] = {}
    for c in comforts:
        counts[c] = counts.get(c, 0) + 1
    week = min(7, complete)
    nights = sum(d.night_sessions for d in daily)
    everything = [*earlier, *ordered]
    range_end = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    until = min(now, range_end) if now is not None else range_end
    return Report(
        start=start,
        end=end,
        days=days,
        sessions=len(inside),
        total_ml=grand,
        left_ml=_sum(*(d.left_ml for d in daily)),
        right_ml=_sum(*(d.right_ml for d in daily)),
        passive_ml=_sum(*(d.passive_ml for d in daily)),
        daily_average_ml=round(grand / complete, 1) if complete else None,
        sessions_per_day=round(len(inside) / complete, 1) if complete else None,
        mean_minutes=_mean([(s.ended_at - s.started_at) / timedelta(minutes=1) for s in inside]),
        longest_gap_minutes=longest_overall,
        let_downs_per_session=_mean([float(n) for n in marked]),
        sessions_with_let_downs=len(marked),
        comfort_mean=_mean([float(c) for c in comforts]),
        comfort_min=min(comforts) if comforts else None,
        comfort_counts=counts,
        methods=methods,
        daily=daily,
        first_week_avg_ml=_mean([d.total_ml for d in daily[:week]]) if complete >= 14 else None,
        last_week_avg_ml=_mean([d.total_ml for d in daily[-week:]]) if complete >= 14 else None,
        complete_days=complete,
        night_sessions=nights,
        night_sessions_per_day=round(nights / complete, 1) if complete else None,
        partial_day=partial_day,
        last24=last_24_hours(everything, until),
    )


# --- The head of the report and the stash in days --------------------------------------------

TERM_DAYS = 280  # 40 weeks: a due date is 40 weeks of gestation (how due dates are counted)


@dataclass(frozen=True)
class BabyHead:
    name: str
    age: str  # "not recorded" without a birth date
    gestation_at_birth: str  # "37+2 weeks"; "not recorded" without both dates


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def age_text(birth: date | None, today: date) -> str:
    """A baby's age as a person says it: days for 2 weeks, weeks up to 13, then months."""
    if birth is None:
        return "not recorded"
    days = (today - birth).days
    if days < 0:
        return "not born yet"
    if days < 14:
        return _plural(days, "day")
    if days < 13 * 7:
        return _plural(days // 7, "week")
    months = (today.year - birth.year) * 12 + today.month - birth.month - (today.day < birth.day)
    return _plural(months, "month")


def gestation_text(birth: date | None, due: date | None) -> str:
    """Gestation at birth from the birth and due dates, as weeks+days ("36+4 weeks")."""
    if birth is None or due is None:
        return "not recorded"
    days = TERM_DAYS - (due - birth).days
    if days <= 0:
        return "not recorded"
    return f"{days // 7}+{days % 7} weeks"


def baby_head(name: str, birth: date | None, due: date | None, today: date) -> BabyHead:
    return BabyHead(name, age_text(birth, today), gestation_text(birth, due))


def supply_days(usable_ml: float, usual_feed_ml: float | None, feeds_per_day: float) -> float | None:
    """How many days the usable stash lasts at the usual feed, ``feeds_per_day`` feeds a day,
    rounded down to the half day (never more than there is). None without a usual feed."""
    if not usual_feed_ml or usual_feed_ml <= 0 or feeds_per_day <= 0:
        return None
    days = usable_ml / (usual_feed_ml * feeds_per_day)
    return math.floor(days * 2) / 2
