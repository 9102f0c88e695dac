"""Properties of the storage rules over many generated histories (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from letdown.domain.choices import Location, State, Status
from letdown.domain.errors import InvalidInput, Refused
from letdown.domain.storage import (
    STATUS_RANK,
    TEMPERATURE_RANK,
    Event,
    EventKind,
    after,
    check,
    evaluate,
)
from letdown.guidance.rules import LimitUnit, RuleBook, rulebook

DST_ZONES = [ZoneInfo(name) for name in ("America/New_York", "Europe/London", "Australia/Sydney")]
ZONES = [*DST_ZONES, ZoneInfo("UTC")]
BOOKS = [
    rulebook("cdc"),
    rulebook("abm"),
    rulebook(
        "custom",
        {
            "fresh-fridge": {"unit": "days", "use_by": 2, "use_soon_after": 1},
            "thawed-fridge": {"unit": "hours", "use_by": 12},
        },
    ),
]
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)

starts = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2028, 1, 1),
    timezones=st.sampled_from(ZONES),
    allow_imaginary=False,
)
gaps = st.one_of(
    st.integers(0, 6 * 60),
    st.integers(0, 6 * 24 * 60),
    st.integers(0, 400 * 24 * 60),
).map(lambda minutes: timedelta(minutes=minutes))
locations = st.sampled_from(list(Location))
actions = st.tuples(
    st.sampled_from(
        [
            EventKind.MOVED,
            EventKind.MOVED,
            EventKind.MOVED,
            EventKind.THAWED,
            EventKind.FEED_FINISHED,
            EventKind.SPLIT_INTO,
            EventKind.USED,
            EventKind.DISCARDED,
        ]
    ),
    gaps,
    locations,
    st.sampled_from([0, 10, 60, 200]),
)


def _event(kind: EventKind, at: datetime, location: Location, ml: float) -> Event:
    if kind is EventKind.THAWED:
        location = location if location in (Location.FRIDGE, Location.ROOM) else Location.FRIDGE
    return Event(kind, at, location=location, ml=ml)


def build(
    start: datetime, first: Location, steps, book: RuleBook, zone: ZoneInfo, *, validate: bool
) -> list[Event]:
    """A history from generated steps; with ``validate``, refused actions are left out."""
    at = start.astimezone(UTC)  # local times that share a zone compare by wall clock
    history = [Event(EventKind.STORED, at, location=first, ml=120)]
    for kind, gap, location, ml in steps:
        at = at + gap
        action = _event(kind, at, location, ml)
        if validate:
            try:
                check(history, action, now=FAR_FUTURE, book=book, zone=zone, ident="1")
            except (Refused, InvalidInput):
                continue
        history.append(action)
    return history


histories = st.tuples(
    starts,
    locations,
    st.lists(actions, max_size=8),
    st.sampled_from(BOOKS),
    st.sampled_from(ZONES),
    st.booleans(),
)


def sample_times(history: list[Event]) -> list[datetime]:
    start, end = history[0].at, history[-1].at + timedelta(days=400)
    times = {start, end}
    for event in history:
        times.update({event.at, event.at + timedelta(seconds=1), event.at - timedelta(seconds=1)})
    step = (end - start) / 40
    times.update(start + i * step for i in range(41))
    return sorted(t for t in times if t >= start)


@settings(max_examples=300, deadline=None)
@given(histories)
def test_a_later_time_never_improves_a_status(case) -> None:
    start, first, steps, book, zone, validate = case
    history = build(start, first, steps, book, zone, validate=validate)
    ranks = [STATUS_RANK[evaluate(history, t, book, zone).status] for t in sample_times(history)]
    assert ranks == sorted(ranks)


@settings(max_examples=300, deadline=None)
@given(histories, st.lists(st.tuples(gaps, locations), min_size=1, max_size=6))
def test_no_sequence_of_moves_extends_a_passed_deadline(case, moves) -> None:
    start, first, steps, book, zone, validate = case
    history = build(start, first, steps, book, zone, validate=validate)
    expired_at = next(
        (t for t in sample_times(history) if evaluate(history, t, book, zone).status is Status.EXPIRED), None
    )
    if expired_at is None:
        return
    history = [event for event in history if event.at <= expired_at]
    before = evaluate(history, expired_at, book, zone)
    at = expired_at
    for gap, location in moves:
        at += gap
        history.append(Event(EventKind.MOVED, at, location=location))
        now = evaluate(history, at, book, zone)
        assert now.status is Status.EXPIRED
        assert now.use_by == before.use_by


@settings(max_examples=300, deadline=None)
@given(histories)
def test_moving_somewhere_warmer_never_extends_a_deadline(case) -> None:
    start, first, steps, book, zone, _ = case
    history = build(start, first, steps, book, zone, validate=True)
    for index, event in enumerate(history[1:], start=1):
        if event.kind is not EventKind.MOVED:
            continue
        before = evaluate(history[:index], event.at, book, zone)
        if TEMPERATURE_RANK[event.location] > TEMPERATURE_RANK[before.location]:
            assert evaluate(history[: index + 1], event.at, book, zone).use_by <= before.use_by


@settings(max_examples=300, deadline=None)
@given(histories)
def test_nothing_thawed_is_ever_frozen_again(case) -> None:
    start, first, steps, book, zone, validate = case
    history = build(start, first, steps, book, zone, validate=validate)
    seen_thawed = False
    for t in sample_times(history):
        state = evaluate(history, t, book, zone).state
        seen_thawed = seen_thawed or state in (State.THAWED, State.LEFTOVER)
        assert not (seen_thawed and state is State.FROZEN)


@settings(max_examples=300, deadline=None)
@given(histories)
def test_checked_histories_never_put_thawed_or_leftover_milk_in_the_freezer(case) -> None:
    start, first, steps, book, zone, _ = case
    history = build(start, first, steps, book, zone, validate=True)
    for index, event in enumerate(history[1:], start=1):
        if event.kind is EventKind.MOVED and event.location is Location.FREEZER:
            state = evaluate(history[:index], event.at, book, zone).state
            assert state not in (State.THAWED, State.LEFTOVER)


local_times = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 1, 1))


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(DST_ZONES), local_times, st.integers(1, 12))
def test_months_are_calendar_months_on_the_local_clock_in_dst_zones(zone, local, months) -> None:
    # A real origin is an instant: a wall time skipped by DST (e.g. Sydney 2028-10-01 02:00)
    # is first resolved to the instant it names, then read back on the local clock.
    origin = local.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    result = after(origin, months, LimitUnit.MONTHS, zone).astimezone(zone)
    expected = origin.replace(tzinfo=None) + relativedelta(months=months)
    assert result.date() == expected.date() or result.replace(tzinfo=None) < expected
    round_trip = expected.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) == expected:  # the local time exists that day
        assert result.replace(tzinfo=None) == expected
    else:  # skipped by DST: the earlier instant, within the hour
        assert timedelta(0) < expected - result.replace(tzinfo=None) <= timedelta(hours=1)


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(DST_ZONES),
    starts,
    st.integers(1, 200),
    st.sampled_from([LimitUnit.HOURS, LimitUnit.DAYS]),
)
def test_hours_and_days_are_elapsed_time_in_dst_zones(zone, origin, amount, unit) -> None:
    result = after(origin, amount, unit, zone)
    step = timedelta(hours=1) if unit is LimitUnit.HOURS else timedelta(days=1)
    assert result.astimezone(UTC) - origin.astimezone(UTC) == amount * step
