from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from letdown.domain.errors import InvalidInput
from letdown.domain.timeparse import iso_local, parse_time

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
NY = ZoneInfo("America/New_York")


def parse(text: str) -> datetime:
    return parse_time(text, field="started_at", now=NOW, tz=NY)


def test_a_time_without_offset_is_read_in_the_household_zone() -> None:
    assert parse("2026-11-25T03:10") == datetime(2026, 11, 25, 8, 10, tzinfo=UTC)


def test_a_time_with_offset_means_that_instant() -> None:
    assert parse("2026-11-25T03:10+01:00") == datetime(2026, 11, 25, 2, 10, tzinfo=UTC)
    assert parse("2026-11-25T03:10Z") == datetime(2026, 11, 25, 3, 10, tzinfo=UTC)


def test_now_and_relative_times() -> None:
    assert parse("now") == NOW
    assert parse("-30m") == datetime(2026, 11, 25, 11, 30, tzinfo=UTC)
    assert parse("-2h") == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    assert parse("-1d") == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert parse("-1h30m") == datetime(2026, 11, 25, 10, 30, tzinfo=UTC)


def test_a_space_works_in_place_of_the_T() -> None:
    assert parse("2026-11-25 03:10") == datetime(2026, 11, 25, 8, 10, tzinfo=UTC)


def test_an_unreadable_time_names_the_field() -> None:
    with pytest.raises(InvalidInput) as err:
        parse("yesterday-ish")
    assert err.value.field == "started_at"
    assert str(err.value).startswith("started_at: cannot read 'yesterday-ish' as a time")


def test_shown_in_the_household_zone_with_offset() -> None:
    assert iso_local(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), NY) == "2026-07-01T08:00:00-04:00"
