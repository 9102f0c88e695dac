"""Input limits (issue #13): finite numbers, the time window, storable text, emails, local
times that do not exist or happen twice."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from letdown.domain import limits
from letdown.domain.choices import Method
from letdown.domain.errors import InvalidInput
from letdown.domain.sessions import SessionData, session_minutes, validate_session
from letdown.domain.timeparse import parse_date, parse_time

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
NY = ZoneInfo("America/New_York")
WINDOW = "(from 1900-01-01 to 2199-12-31)"


def refusal(fn, *args, **kw) -> str:
    with pytest.raises(InvalidInput) as caught:
        fn(*args, **kw)
    return str(caught.value)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", float("nan"), float("inf"), "1e400"])
def test_non_finite_numbers_are_refused(value) -> None:
    assert refusal(limits.finite, value, "left_ml").startswith("left_ml: must be a finite number")


@pytest.mark.parametrize("value", [True, "ten", None, [1]])
def test_non_numbers_are_refused(value) -> None:
    assert refusal(limits.finite, value, "left_ml").startswith("left_ml: must be a number")


@pytest.mark.parametrize("value", [1e12, "nan", "inf", 0, -5, 721])
def test_session_minutes_are_finite_and_at_most_twelve_hours(value) -> None:
    message = refusal(session_minutes, value)
    assert message.startswith("minutes: ")
    if value == 1e12:
        assert (
            message
            == "minutes: a session of 1e+12 minutes is longer than 720 minutes (12 hours); check the value"
        )


def test_volumes_that_round_to_zero_are_kept_as_zero() -> None:
    data = SessionData(
        started_at=datetime(2026, 11, 25, 11, 0, tzinfo=UTC),
        ended_at=datetime(2026, 11, 25, 11, 20, tzinfo=UTC),
        method=Method.HAND,
        left_ml=1e-300,
        right_ml=5e-324,
    )
    valid = validate_session(data, now=NOW, tz=NY)
    assert (valid.left_ml, valid.right_ml, valid.total_ml) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    "text, shown",
    [
        ("0001-01-01T00:00", "0001-01-01"),
        ("9999-12-31T23:00", "9999-12-31"),
        ("9999-12-31T23:00+00:00", "9999-12-31"),
        ("1899-12-31", "1899-12-31"),
        ("-99999999d", "'-99999999d'"),
        ("+999999999d", "'+999999999d'"),
        ("0001-01-01T00:00+14:00", "'0001-01-01T00:00+14:00'"),
    ],
)
def test_times_outside_the_window_name_the_field_and_the_window(text: str, shown: str) -> None:
    message = refusal(parse_time, text, field="started_at", now=NOW, tz=NY)
    assert message == f"started_at: {shown} is outside the dates letdown accepts {WINDOW}"


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "0001-01-05"])
def test_dates_outside_the_window_are_refused(text: str) -> None:
    assert (
        refusal(parse_date, text, field="to") == f"to: {text} is outside the dates letdown accepts {WINDOW}"
    )


def test_a_time_the_clocks_skip_is_refused_naming_both_readings() -> None:
    message = refusal(parse_time, "2026-03-08 02:30", field="started_at", now=NOW, tz=NY)
    assert message == (
        "started_at: 2026-03-08 02:30 does not exist in America/New_York (the clocks go forward): "
        "it reads as 2026-03-08T01:30-05:00 or 2026-03-08T03:30-04:00; give one of those"
    )


def test_a_time_that_happens_twice_is_refused_naming_both_offsets() -> None:
    message = refusal(parse_time, "2026-11-01T01:30", field="ended_at", now=NOW, tz=NY)
    assert message == (
        "ended_at: 2026-11-01 01:30 happens twice in America/New_York (the clocks go back): give the "
        "offset, 2026-11-01T01:30-04:00 for the first time or 2026-11-01T01:30-05:00 for the second"
    )


def test_either_reading_is_taken_when_given_with_its_offset() -> None:
    first = parse_time("2026-11-01T01:30-04:00", field="t", now=NOW, tz=NY)
    second = parse_time("2026-11-01T01:30-05:00", field="t", now=NOW, tz=NY)
    assert (second - first).total_seconds() == 3600


@given(st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2198, 1, 1)))
def test_every_wall_time_is_taken_or_refused_with_a_message(naive: datetime) -> None:
    text = naive.isoformat(timespec="minutes")
    try:
        moment = parse_time(text, field="t", now=NOW, tz=NY)
    except InvalidInput as exc:
        assert "America/New_York" in str(exc) and " or " in str(exc)
    else:
        assert moment.astimezone(NY).replace(tzinfo=None) == naive.replace(second=0, microsecond=0)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("a\x00b", "contains a NUL character (\\0), which cannot be stored"),
        ("a\ud800b", "contains an invalid character (a lone UTF-16 surrogate); check the text's encoding"),
        ("a\x1bb", "contains a control character (U+001B), which cannot be stored"),
    ],
)
def test_text_that_cannot_be_stored_is_refused(text: str, problem: str) -> None:
    assert refusal(limits.clean_text, text, "note") == f"note: {problem}"


def test_tabs_and_line_breaks_are_text() -> None:
    assert limits.clean_text("left\tfirst\r\nthen right", "note") == "left\tfirst\r\nthen right"


@pytest.mark.parametrize(
    "email",
    [
        "ada@example.org\x00",
        "ada\r\n@example.org",
        "ada@exa mple.org",
        "ada@example",
        "a..b@example.org",
        "ada@example.org\x0b",
        "ädä@example.org",
        "x" * 65 + "@example.org",
        "@example.org",
        "ada@-x.org",
    ],
)
def test_emails_with_control_characters_or_bad_shape_are_refused(email: str) -> None:
    assert refusal(limits.email_address, email).startswith("email: '")


def test_a_plain_email_is_lower_cased() -> None:
    assert limits.email_address("  Ada.Okafor+milk@Example.ORG ") == "ada.okafor+milk@example.org"


def test_json_deeper_than_the_limit_is_named() -> None:
    deep: list = []
    for _ in range(40):
        deep = [deep]
    where, why = limits.json_problem({"a": deep})  # type: ignore[misc]
    assert why == "is nested more than 32 levels deep"
    assert where == "a" + ".0" * 31  # the 33rd level: the object, "a", then 31 lists
    assert limits.json_problem({"sessions": [{"note": "x\x00"}]}) == (
        "sessions.0.note",
        "contains a NUL character (\\0), which cannot be stored",
    )
