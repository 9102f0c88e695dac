from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from letdown.domain.choices import Method
from letdown.domain.errors import InvalidInput
from letdown.domain.sessions import SessionData, age_in_days, daily_stats, parse_method, validate_session

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
START = NOW - timedelta(hours=1)
GOOD = SessionData(
    started_at=START,
    ended_at=START + timedelta(minutes=20),
    method=Method.HAND,
    left_ml=30.04,
    right_ml=25,
    let_downs=(START + timedelta(minutes=2),),
    comfort=8,
)


def check(data: SessionData) -> SessionData:
    return validate_session(data, now=NOW, tz=LONDON)


def error_of(data: SessionData) -> str:
    with pytest.raises(InvalidInput) as err:
        check(data)
    return str(err.value)


def test_a_good_session_is_kept_with_volumes_rounded_to_a_tenth() -> None:
    out = check(GOOD)
    assert out.left_ml == 30.0
    assert out.total_ml == 55.0


def test_negative_volume_is_refused_naming_the_side() -> None:
    assert error_of(replace(GOOD, right_ml=-5)) == "right_ml: must be 0 or more, got -5"


def test_absurd_volume_over_1000_ml_a_side_is_refused() -> None:
    assert error_of(replace(GOOD, left_ml=1500)) == (
        "left_ml: 1500 ml is over the 1000 ml limit for one side; check the value and its unit"
    )


def test_end_before_start_is_refused() -> None:
    msg = error_of(replace(GOOD, ended_at=START - timedelta(minutes=5)))
    assert msg == "ended_at: the end (2026-11-25 10:55) must be after the start (2026-11-25 11:00)"


def test_start_in_the_future_is_refused() -> None:
    later = NOW + timedelta(hours=2)
    msg = error_of(replace(GOOD, started_at=later, ended_at=later + timedelta(minutes=10)))
    assert msg == (
        "started_at: That time (14:00 London time) is later than now (12:00). "
        "Times here are in the household's zone, Europe/London."
    )


def test_comfort_outside_0_to_10_is_refused() -> None:
    assert error_of(replace(GOOD, comfort=11)) == "comfort: must be a whole number from 0 to 10, got 11"


def test_let_down_outside_the_session_is_refused() -> None:
    msg = error_of(replace(GOOD, let_downs=(START - timedelta(minutes=1),)))
    assert msg.startswith("let_downs: 2026-11-25 10:59 is outside the session")


def test_unknown_method_lists_the_valid_ones() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_method("squeeze")
    assert (
        str(err.value) == "method: unknown method 'squeeze'; choose one of hand, pump, hands-on-pump, passive"
    )


def test_baby_age_is_negative_before_birth() -> None:
    assert age_in_days(date(2026, 11, 25), None, date(2026, 12, 5)) == -10
    assert age_in_days(date(2026, 11, 25), date(2026, 11, 20), date(2026, 12, 5)) == 5
    assert age_in_days(date(2026, 11, 25), None, None) is None


def test_daily_stats_group_by_local_day_and_average_seven_days() -> None:
    # 23:30 UTC on 24 Nov is already 25 Nov in Sydney
    sydney = ZoneInfo("Australia/Sydney")
    late = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    sessions = [
        replace(GOOD, started_at=late, ended_at=late + timedelta(minutes=10), left_ml=70, right_ml=0),
        replace(GOOD, started_at=late - timedelta(days=1), ended_at=late - timedelta(days=1, minutes=-30)),
    ]
    stats = daily_stats(sessions, tz=sydney, today=date(2026, 11, 25), days=2)
    assert [d.day for d in stats.days] == [date(2026, 11, 24), date(2026, 11, 25)]
    today = stats.days[-1]
    assert (today.sessions, today.total_ml, today.mean_minutes) == (1, 70.0, 10.0)
    assert today.avg7_ml == round((70 + 55.04) / 7, 1)
    assert stats.sessions == 2


def test_a_new_session_is_for_the_youngest_born_baby_else_the_one_due_soonest() -> None:
    from types import SimpleNamespace as B

    from letdown.domain.sessions import current_baby

    unborn = B(id="a", birth_date=None, due_date=date(2026, 12, 20))
    older = B(id="b", birth_date=date(2025, 1, 2), due_date=None)
    newborn = B(id="c", birth_date=date(2026, 11, 23), due_date=date(2026, 11, 30))
    assert current_baby([unborn, older, newborn]) == "c"
    assert current_baby([unborn]) == "a"
    assert current_baby([]) is None
