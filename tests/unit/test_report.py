"""The report's figures, from sessions alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from letdown.domain.errors import InvalidInput
from letdown.domain.report import build, check_range

LONDON = ZoneInfo("Europe/London")


@dataclass
class S:
    started_at: datetime
    minutes: int = 20
    method: str = "pump"
    left_ml: float | None = 40.0
    right_ml: float | None = 30.0
    passive_ml: float | None = None
    let_downs: tuple = field(default_factory=tuple)
    comfort: int | None = 8

    @property
    def ended_at(self) -> datetime:
        return self.started_at + timedelta(minutes=self.minutes)


def at(day: int, hour: float) -> datetime:
    return datetime(2026, 11, day, tzinfo=UTC) + timedelta(hours=hour)


def test_totals_sides_methods_and_averages():
    sessions = [
        S(at(10, 6), method="hand", left_ml=10, right_ml=10, passive_ml=5, let_downs=("a", "b"), comfort=6),
        S(at(10, 9)),
        S(at(11, 6), let_downs=("a", "b", "c", "d")),
    ]
    r = build(sessions, start=date(2026, 11, 10), end=date(2026, 11, 11), tz=LONDON)
    assert (r.days, r.sessions, r.total_ml, r.daily_average_ml, r.sessions_per_day) == (
        2,
        3,
        165.0,
        82.5,
        1.5,
    )
    assert (r.left_ml, r.right_ml, r.passive_ml) == (90.0, 70.0, 5.0)
    assert r.side_share(r.left_ml) == 54.5
    assert [(m.method, m.sessions, m.total_ml, m.mean_ml) for m in r.methods] == [
        ("hand", 1, 25.0, 25.0),
        ("pump", 2, 140.0, 70.0),
    ]
    assert (r.let_downs_per_session, r.sessions_with_let_downs) == (3.0, 2)
    assert (r.comfort_mean, r.comfort_min, r.comfort_counts) == (7.3, 6, {6: 1, 8: 2})


def test_gaps_are_start_to_start_and_count_the_session_before_the_range():
    before = [S(at(9, 22))]
    sessions = [S(at(10, 3)), S(at(10, 6)), S(at(10, 14)), S(at(11, 1))]
    r = build(sessions, start=date(2026, 11, 10), end=date(2026, 11, 11), tz=LONDON, before=before)
    assert [d.longest_gap_minutes for d in r.daily] == [8 * 60, 11 * 60]
    assert r.longest_gap_minutes == 11 * 60


def test_days_are_local_days():
    tokyo = ZoneInfo("Asia/Tokyo")
    r = build([S(at(10, 16))], start=date(2026, 11, 10), end=date(2026, 11, 11), tz=tokyo)
    assert [d.sessions for d in r.daily] == [0, 1]  # 16:00 UTC is 01:00 the next day in Tokyo


def test_the_trend_compares_the_first_and_last_weeks():
    sessions = [S(at(1 + d, 8), left_ml=10 * d, right_ml=0) for d in range(14)]
    r = build(sessions, start=date(2026, 11, 1), end=date(2026, 11, 14), tz=LONDON)
    assert (r.first_week_avg_ml, r.last_week_avg_ml) == (30.0, 100.0)
    assert r.daily[-1].avg7_ml == 100.0


def test_an_empty_range_has_no_averages_to_invent():
    r = build([], start=date(2026, 11, 1), end=date(2026, 11, 1), tz=LONDON)
    assert (r.sessions, r.total_ml, r.mean_minutes, r.comfort_mean, r.let_downs_per_session) == (
        0,
        0.0,
        None,
        None,
        None,
    )


def test_a_bad_range_is_refused_naming_it():
    with pytest.raises(InvalidInput) as caught:
        check_range(date(2026, 11, 10), date(2026, 11, 1))
    assert str(caught.value) == "to: 2026-11-01 is before the start 2026-11-10"
    with pytest.raises(InvalidInput):
        check_range(date(2025, 1, 1), date(2026, 11, 1))
