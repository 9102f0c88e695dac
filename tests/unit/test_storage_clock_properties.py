"""Properties of the storage clocks over random histories (hypothesis), issue 10 section 1.

No move, thaw, warming or feed ever makes a deadline later than the rules of every state the
milk has been in allow. The one lift the sources describe (fresh milk, counted from expression,
put somewhere colder within its window) is checked on its own: it never goes past the colder
place's own limit from expression, and never lifts a clock started by taking milk out, warming,
thawing or feeding.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from letdown.domain.choices import Location, State, Status
from letdown.domain.errors import InvalidInput, Refused
from letdown.domain.storage import TEMPERATURE_RANK, Event, EventKind, after, check, evaluate
from letdown.guidance.rules import RuleBook, rulebook

ZONES = [ZoneInfo("UTC"), ZoneInfo("America/New_York"), ZoneInfo("Australia/Sydney")]
CUSTOM_LIMITS = {
    "fresh-fridge": {"unit": "days", "use_by": 2, "use_soon_after": 1},
    "fresh-room": {"unit": "hours", "use_by": 3},
    "thawed-room": {"unit": "hours", "use_by": 2},
    "thawed-fridge": {"unit": "hours", "use_by": 12},
    "leftover": {"unit": "hours", "use_by": 2},
}
BOOKS = [rulebook("cdc"), rulebook("abm"), rulebook("custom", CUSTOM_LIMITS), rulebook("custom")]
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)
H = timedelta(hours=1)

starts = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2028, 1, 1),
    timezones=st.just(UTC),
)
gaps = st.one_of(
    st.integers(0, 3 * 60),
    st.integers(0, 30 * 60),
    st.integers(0, 6 * 24 * 60),
).map(lambda minutes: timedelta(minutes=minutes))
KINDS = [
    EventKind.MOVED,
    EventKind.MOVED,
    EventKind.MOVED,
    EventKind.THAWED,
    EventKind.WARMED,
    EventKind.FEED_STARTED,
    EventKind.FEED_FINISHED,
    EventKind.FEED_FINISHED,
    EventKind.SPLIT_INTO,
]
actions = st.tuples(
    st.sampled_from(KINDS), gaps, st.sampled_from(list(Location)), st.sampled_from([0, 10, 60])
)
histories = st.tuples(
    starts,
    st.sampled_from(list(Location)),
    st.lists(actions, max_size=10),
    st.sampled_from(BOOKS),
    st.sampled_from(ZONES),
)


def _event(kind: EventKind, at: datetime, location: Location, ml: float) -> Event:
    if kind is EventKind.THAWED:
        location = location if location in (Location.FRIDGE, Location.ROOM) else Location.FRIDGE
    if kind in (EventKind.WARMED, EventKind.FEED_STARTED, EventKind.FEED_FINISHED, EventKind.SPLIT_INTO):
        return Event(kind, at, ml=ml or None)
    return Event(kind, at, location=location)


def build(start, first, steps, book: RuleBook, zone: ZoneInfo, *, validate: bool) -> list[Event]:
    at = start
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


def _limit(book: RuleBook, milk: State, location: Location, origin: datetime, zone: ZoneInfo) -> datetime:
    rule = book.rule(milk, location)
    assert rule.unit is not None and rule.use_by is not None
    return after(origin, rule.use_by, rule.unit, zone)


def bounds(history: list[Event], book: RuleBook, zone: ZoneInfo) -> list[tuple[datetime, str]]:
    """What the sources allow, worked out here independently of the replay (checked histories).

    - thawed milk: 24 hours from the thaw (or the profile's thawed-fridge limit), and 2 hours
      (or a unit's own thawed-room limit) from its first time at room, in a cooler or on a
      feed, and 2 hours from warming whatever the profile;
    - leftover milk: 2 hours (or the profile's leftover limit) from the end of the first feed;
    - warmed milk: 2 hours from the warming;
    - fresh milk once in the fridge: 2 hours from being taken out to room or on a feed, and its
      fridge limit from expression, whatever happens after.
    """
    out: list[tuple[datetime, str]] = []
    expressed = history[0].at
    place = history[0].location
    thawed = leftover = chilled = False
    two_hours = 2 * H

    def arrive(at: datetime, where: Location | None, how: str) -> None:
        nonlocal chilled
        if thawed and not leftover and where in (Location.ROOM, Location.COOLER):
            # 2 hours by the cdc and abm rows; a unit's own thawed-milk limit where it gave one
            out.append((_limit(book, State.THAWED, where, at, zone), f"thawed milk {how} at {at}"))
        if not thawed and not leftover and chilled and where is Location.ROOM:
            out.append((at + two_hours, f"fridge milk {how} at {at}"))
        if where is Location.FRIDGE and not thawed and not leftover:
            chilled = True
            out.append((_limit(book, State.FRESH, Location.FRIDGE, expressed, zone), "fridge limit"))

    arrive(expressed, place, "stored")
    for event in history[1:]:
        kind = event.kind
        if kind in (EventKind.USED, EventKind.DISCARDED) or (
            kind is EventKind.FEED_FINISHED and not event.ml
        ):
            break
        if kind is EventKind.MOVED:
            if event.location is Location.FREEZER and not thawed and not leftover:
                # fresh milk frozen within its fridge limit follows the freezer's [cdc-storage]
                out = [(b, why) for b, why in out if why != "fridge limit" or b < event.at]
            if place is Location.FREEZER and not thawed:
                thawed = True
                out.append((_limit(book, State.THAWED, Location.FRIDGE, event.at, zone), "thaw (moved out)"))
            place = event.location
            arrive(event.at, place, "moved")
        elif kind is EventKind.THAWED:
            thawed = True
            out.append((_limit(book, State.THAWED, Location.FRIDGE, event.at, zone), "thaw"))
            place = event.location
            arrive(event.at, place, "thawed")
        elif kind is EventKind.WARMED:
            out.append((event.at + two_hours, f"warmed at {event.at}"))
            place = Location.ROOM
            arrive(event.at, place, "warmed")
        elif kind is EventKind.FEED_STARTED:
            if place is not Location.ROOM:
                place = Location.ROOM
                arrive(event.at, place, "fed")
        elif kind is EventKind.FEED_FINISHED:
            if not leftover:
                out.append((_limit(book, State.LEFTOVER, Location.ROOM, event.at, zone), "leftover"))
            leftover = True
            place = Location.ROOM
    return out


def prefixes(history: list[Event]):
    for index in range(1, len(history) + 1):
        yield history[:index], history[index - 1].at


@settings(max_examples=400, deadline=None)
@given(histories)
def test_no_deadline_is_later_than_every_state_the_milk_has_been_in_allows(case) -> None:
    start, first, steps, book, zone = case
    history = build(start, first, steps, book, zone, validate=True)
    for prefix, at in prefixes(history):
        standing = evaluate(prefix, at, book, zone)
        if not standing.live:
            continue
        for bound, why in bounds(prefix, book, zone):
            assert standing.use_by <= bound, (why, standing.rule.id)


@settings(max_examples=400, deadline=None)
@given(histories, st.booleans())
def test_no_event_but_cooling_fresh_milk_ever_makes_the_deadline_later(case, validate) -> None:
    start, first, steps, book, zone = case
    history = build(start, first, steps, book, zone, validate=validate)
    for index, event in enumerate(history[1:], start=1):
        before = evaluate(history[:index], event.at, book, zone)
        now = evaluate(history[: index + 1], event.at, book, zone)
        if not before.live or event.kind in (EventKind.SPLIT_INTO, EventKind.SPLIT_FROM):
            continue
        cooling = (
            event.location is not None
            and TEMPERATURE_RANK[event.location] < TEMPERATURE_RANK[before.location]
            and before.state is State.FRESH
        )
        if not cooling:
            assert now.use_by <= before.use_by, (event.kind, before.rule.id, now.rule.id)


@settings(max_examples=400, deadline=None)
@given(histories)
def test_cooling_fresh_milk_never_goes_past_the_colder_places_limit(case) -> None:
    start, first, steps, book, zone = case
    history = build(start, first, steps, book, zone, validate=True)
    expressed = history[0].at
    for index, event in enumerate(history[1:], start=1):
        if event.kind is not EventKind.MOVED:
            continue
        before = evaluate(history[:index], event.at, book, zone)
        if before.state is not State.FRESH or not before.live:
            continue
        assert event.location is not None
        if TEMPERATURE_RANK[event.location] >= TEMPERATURE_RANK[before.location]:
            continue
        now = evaluate(history[: index + 1], event.at, book, zone)
        if now.state is State.FROZEN:
            continue  # frozen: the freezer's months, checked by the freezer rows' own tests
        rule = book.rule(State.FRESH, event.location)
        chilled = any(e.location is Location.FRIDGE for e in history[:index])
        if chilled:
            # fridge milk follows its out-of-the-fridge rows (counted from the move), never
            # beyond its fridge limit
            assert now.use_by <= _limit(book, State.FRESH, Location.FRIDGE, expressed, zone)
        elif rule.clock.value == "expression" and not rule.refuse:
            assert now.use_by <= _limit(book, State.FRESH, event.location, expressed, zone)


@settings(max_examples=300, deadline=None)
@given(histories)
def test_expired_milk_stays_expired_whatever_is_recorded_after(case) -> None:
    start, first, steps, book, zone = case
    history = build(start, first, steps, book, zone, validate=False)
    expired = False
    for index, event in enumerate(history):
        standing = evaluate(history[: index + 1], event.at, book, zone)
        if standing.live:
            expired = expired or standing.status is Status.EXPIRED
            assert not expired or standing.status is Status.EXPIRED


@settings(max_examples=300, deadline=None)
@given(histories, gaps)
def test_warmed_milk_never_has_more_than_two_hours_in_any_profile(case, gap) -> None:
    start, first, steps, book, zone = case
    history = build(start, first, steps, book, zone, validate=True)
    at = history[-1].at + gap
    action = Event(EventKind.WARMED, at)
    try:
        check(history, action, now=FAR_FUTURE, book=book, zone=zone, ident="1")
    except (Refused, InvalidInput):
        return
    warmed = [*history, action]
    assert evaluate(warmed, at, book, zone).use_by <= at + 2 * H
    for location in (Location.FRIDGE, Location.COOLER):  # cooling it again never lifts the clock
        again = [*warmed, Event(EventKind.MOVED, at + H, location=location)]
        assert evaluate(again, at + H, book, zone).use_by <= at + 2 * H
