"""The figures of a report for a lactation consultant: pure computations over a date range.

No I/O and no clock: the sessions, the zone and the dates are passed in. Days are local days
in the household's zone, both ends included. Gaps are start to start, in minutes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from letdown.domain.choices import Method, values
from letdown.domain.errors import InvalidInput
from letdown.domain.sessions import daily_stats, total_ml

MAX_DAYS = 366


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
    avg7_ml: float  # the trailing 7-day average of daily totals (days before the range count as 0)


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
    daily_average_ml: float
    sessions_per_day: float
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

    def side_share(self, side_ml: float) -> float | None:
        return round(100 * side_ml / self.total_ml, 1) if self.total_ml else None

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "days": self.days,
            "totals": {
                "sessions": self.sessions,
                "total_ml": self.total_ml,
                "daily_average_ml": self.daily_average_ml,
                "sessions_per_day": self.sessions_per_day,
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
                }
                for d in self.daily
            ],
        }


def _sum(*parts: float | None) -> float:
    return float(total_ml(*parts))


def _mean(numbers: Sequence[float]) -> float | None:
    return round(sum(numbers) / len(numbers), 1) if numbers else None


def _minutes(delta: timedelta) -> int:
    return int(delta / timedelta(minutes=1))


def build(
    sessions: Sequence[ReportSession],
    *,
    start: date,
    end: date,
    tz: ZoneInfo,
    before: Sequence[ReportSession] = (),
) -> Report:
    """The report for the local days ``start`` to ``end``.

    ``sessions`` are those that started in the range; ``before`` those of the 6 days before it
    (for the 7-day average) and the last one before the range (for the first gap).
    """
    days = check_range(start, end)
    ordered = sorted(sessions, key=lambda s: s.started_at)
    earlier = sorted(before, key=lambda s: s.started_at)
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
    for d in stats.days:
        longest: int | None = None
        for s in by_day[d.day]:
            if previous is not None:
                gap = _minutes(s.started_at - previous)
                longest = gap if longest is None else max(longest, gap)
            previous = s.started_at
        if longest is not None:
            longest_overall = longest if longest_overall is None else max(longest_overall, longest)
        daily.append(
            DayRow(
                day=d.day,
                sessions=d.sessions,
                left_ml=d.left_ml,
                right_ml=d.right_ml,
                passive_ml=d.passive_ml,
                total_ml=d.total_ml,
                longest_gap_minutes=longest,
                let_downs=sum(len(s.let_downs or ()) for s in by_day[d.day]),
                avg7_ml=d.avg7_ml,
            )
        )

    inside = [s for group in by_day.values() for s in group]
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
    week = min(7, days)
    return Report(
        start=start,
        end=end,
        days=days,
        sessions=len(inside),
        total_ml=grand,
        left_ml=_sum(*(d.left_ml for d in daily)),
        right_ml=_sum(*(d.right_ml for d in daily)),
        passive_ml=_sum(*(d.passive_ml for d in daily)),
        daily_average_ml=round(grand / days, 1),
        sessions_per_day=round(len(inside) / days, 1),
        mean_minutes=_mean([(s.ended_at - s.started_at) / timedelta(minutes=1) for s in inside]),
        longest_gap_minutes=longest_overall,
        let_downs_per_session=_mean([float(n) for n in marked]),
        sessions_with_let_downs=len(marked),
        comfort_mean=_mean([float(c) for c in comforts]),
        comfort_min=min(comforts) if comforts else None,
        comfort_counts=counts,
        methods=methods,
        daily=daily,
        first_week_avg_ml=_mean([d.total_ml for d in daily[:week]]) if days >= 14 else None,
        last_week_avg_ml=_mean([d.total_ml for d in daily[-week:]]) if days >= 14 else None,
    )
