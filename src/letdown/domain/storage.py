"""The milk stash's rules: what a container's history means now, and which actions it allows.

Pure functions: no I/O, no clock (times are passed in, timezone-aware), no database. The
numbers live in ``guidance/storage_rules.yaml``; a ``RuleBook`` of one profile is passed in.

How a container's standing is derived from its append-only history:

- Clocks run from expression (fresh and frozen milk), from the thaw (thawed milk) or from the
  end of the feed (leftover milk). Hours and days are elapsed time; months are calendar months
  on the household's local clock (so a DST change moves neither).
- Each stay in a place adds that place's deadline. While several apply, the earliest wins.
- Moving milk somewhere colder lifts the deadlines of warmer places it has left, but only if
  they had not yet passed: a passed deadline is never extended, and expired milk stays expired.
  In the same way, milk that had reached "use soon" in a warmer place stays "use soon".
- Moving milk somewhere warmer (or thawing it, or feeding from it) only ever adds deadlines.
- Frozen milk taken out of the freezer is thawing from that moment. Thawed milk is never
  refrozen, and leftover milk is never frozen: those actions are refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from letdown.domain.choices import THAW_PLACES, EventKind, Location, State, Status
from letdown.domain.errors import InvalidInput, Refused
from letdown.guidance.rules import PLACE_WORDS, LimitUnit, RuleBook, StorageRule


@dataclass(frozen=True)
class Event:
    """One entry of a container's history.

    ``location``: where milk was stored, moved or thawed. ``ml``: the volume stored, poured
    out (split-into) or in (split-from), or left over after a feed. ``other``: the other
    container of a split. ``note``: why milk was discarded.
    """

    kind: EventKind
    at: datetime
    location: Location | None = None
    ml: float | None = None
    other: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Deadline:
    """A rule's deadlines for a stay in one place."""

    rule: StorageRule
    location: Location
    use_by: datetime
    use_soon_at: datetime | None = None
    best_by: datetime | None = None

    @property
    def soon(self) -> datetime | None:
        """When this stay makes the milk "use soon" (its range's start, or its best-by)."""
        times = [t for t in (self.use_soon_at, self.best_by) if t is not None]
        return min(times) if times else None


@dataclass(frozen=True)
class Standing:
    """How a container stands at one moment, derived from its history."""

    state: State
    location: Location
    ml: float
    expressed_at: datetime
    status: Status
    use_by: datetime
    best_by: datetime | None
    use_soon_at: datetime | None
    rule: StorageRule
    thawed_at: datetime | None = None

    @property
    def live(self) -> bool:
        """Milk still in the stash (not used or discarded; maybe expired)."""
        return self.status not in (Status.USED, Status.DISCARDED)


TEMPERATURE_RANK = {Location.FREEZER: 0, Location.FRIDGE: 1, Location.COOLER: 2, Location.ROOM: 3}
"""Colder places first; a move to a lower rank is a move somewhere colder."""

STATUS_RANK = {Status.OK: 0, Status.USE_SOON: 1, Status.EXPIRED: 2, Status.USED: 3, Status.DISCARDED: 3}
"""How far a status has gone; for one history it never goes down as time goes on."""


def after(origin: datetime, amount: int, unit: LimitUnit, zone: ZoneInfo) -> datetime:
    """``origin`` plus a limit: elapsed hours or days, or calendar months on the local clock.

    A local time that a DST change skips or repeats resolves to the earlier instant.
    """
    start = _utc(origin)
    if unit is LimitUnit.HOURS:
        return start + timedelta(hours=amount)
    if unit is LimitUnit.DAYS:
        return start + timedelta(days=amount)
    wall = start.astimezone(zone).replace(tzinfo=None) + relativedelta(months=amount)
    return min(_utc(wall.replace(tzinfo=zone, fold=fold)) for fold in (0, 1))


def deadline(rule: StorageRule, location: Location, origin: datetime, zone: ZoneInfo) -> Deadline:
    """The deadlines ``rule`` gives milk whose clock started at ``origin``."""
    if rule.refuse or rule.unit is None or rule.use_by is None:
        return Deadline(rule, location, use_by=origin)
    soon = best = None
    if rule.use_soon_after is not None:
        soon = after(origin, rule.use_soon_after, rule.unit, zone)
    if rule.best_within is not None:
        best = after(origin, rule.best_within, rule.unit, zone)
    return Deadline(rule, location, after(origin, rule.use_by, rule.unit, zone), soon, best)


@dataclass
class _Replay:
    """The running state while a history is replayed (internal)."""

    book: RuleBook
    zone: ZoneInfo
    milk: State = State.FRESH
    location: Location = Location.FRIDGE
    ml: float = 0.0
    expressed_at: datetime | None = None
    thawed_at: datetime | None = None
    fed_at: datetime | None = None
    terminal: Status | None = None
    active: list[Deadline] = field(default_factory=list)
    expired: Deadline | None = None
    sticky_soon: datetime | None = None

    def earliest(self) -> Deadline:
        return min(self.active, key=lambda d: d.use_by)

    def origin(self) -> datetime:
        origins = {State.FRESH: self.expressed_at, State.THAWED: self.thawed_at, State.LEFTOVER: self.fed_at}
        found = origins[self.milk]
        assert found is not None
        return found

    def enter(self, location: Location, at: datetime) -> None:
        """Milk arrives at ``location`` at ``at`` (or changes kind there)."""
        self.location = location
        if self.expired is not None:
            return
        kept = []
        for stay in self.active:
            if TEMPERATURE_RANK[stay.location] > TEMPERATURE_RANK[location]:
                if stay.soon is not None and stay.soon <= at:
                    self.sticky_soon = min(filter(None, (self.sticky_soon, stay.soon)))
            else:
                kept.append(stay)
        self.active = kept
        rule = self.book.rule(self.milk, location)
        origin = at if rule.refuse else self.origin()
        self.active.append(deadline(rule, location, origin, self.zone))

    def apply(self, event: Event) -> None:
        if self.terminal is not None:
            return
        if self.active and self.expired is None:
            first = self.earliest()
            if first.use_by < event.at:
                self.expired = first
        kind = event.kind
        if kind is EventKind.STORED:
            self.expressed_at = event.at
            self.ml = float(event.ml or 0)
            self.enter(_where(event), event.at)
        elif kind is EventKind.MOVED:
            if self.milk is State.FRESH and self.location is Location.FREEZER:
                self.milk, self.thawed_at = State.THAWED, event.at
            self.enter(_where(event), event.at)
        elif kind is EventKind.THAWED:
            self.milk, self.thawed_at = State.THAWED, event.at
            self.enter(_where(event), event.at)
        elif kind is EventKind.FEED_FINISHED:
            if event.ml:
                self.milk, self.fed_at, self.ml = State.LEFTOVER, event.at, float(event.ml)
                self.enter(Location.ROOM, event.at)
            else:
                self.terminal = Status.USED
        elif kind is EventKind.USED:
            self.terminal = Status.USED
        elif kind is EventKind.DISCARDED:
            self.terminal = Status.DISCARDED
        elif kind is EventKind.SPLIT_INTO:
            self.ml -= float(event.ml or 0)
        elif kind is EventKind.SPLIT_FROM:
            self.ml = float(event.ml or 0)


def _where(event: Event) -> Location:
    if event.location is None:
        raise InvalidInput("location", f"a {event.kind} event needs a location")
    return event.location


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"time {at.isoformat()} has no time zone")
    return at


def _utc(at: datetime) -> datetime:
    """``at`` on the UTC clock (aware datetimes that share a zone compare by wall time)."""
    return _aware(at).astimezone(UTC)


def evaluate(history: Sequence[Event], at: datetime, book: RuleBook, zone: ZoneInfo) -> Standing:
    """How the container stands at ``at``, from its events up to then (in recorded order)."""
    at = _utc(at)
    events = [replace(event, at=_utc(event.at)) for event in history]
    events = [event for event in events if event.at <= at]
    if not events or events[0].kind not in (EventKind.STORED,):
        raise ValueError("a container's history starts with the milk being stored")
    replay = _Replay(book=book, zone=zone)
    for event in events:
        replay.apply(event)
    assert replay.expressed_at is not None
    first = replay.expired or replay.earliest()
    use_by = first.use_by
    soon_times = [d.soon for d in replay.active if d.soon is not None]
    if replay.sticky_soon is not None:
        soon_times.append(replay.sticky_soon)
    soon = min(soon_times) if soon_times else None
    use_soon_at = soon if soon is not None and soon <= use_by else None
    bests = [d.best_by for d in replay.active if d.best_by is not None]
    best_by = min(bests) if bests and min(bests) < use_by else None
    if replay.terminal is not None:
        status = replay.terminal
    elif replay.expired is not None or at > use_by:
        status = Status.EXPIRED
    elif soon is not None and at >= soon:
        status = Status.USE_SOON
    else:
        status = Status.OK
    if replay.terminal is Status.USED:
        state = State.USED
    elif replay.terminal is Status.DISCARDED:
        state = State.DISCARDED
    elif replay.milk is State.FRESH and replay.location is Location.FREEZER:
        state = State.FROZEN
    else:
        state = replay.milk
    return Standing(
        state=state,
        location=replay.location,
        ml=replay.ml,
        expressed_at=replay.expressed_at,
        status=status,
        use_by=use_by,
        best_by=best_by,
        use_soon_at=use_soon_at,
        rule=first.rule,
        thawed_at=replay.thawed_at,
    )


# --- checking an action against the history -------------------------------------------------


def when(at: datetime, zone: ZoneInfo) -> str:
    """A time as messages show it: ISO 8601 to the minute, in the household's zone."""
    return at.astimezone(zone).isoformat(timespec="minutes")


def show_ml(ml: float) -> str:
    """A volume as messages show it (``120 ml``, ``29.6 ml``)."""
    return f"{round(ml, 1):g} ml"


def check_volume(ml: float, what: str = "Volume") -> None:
    """Refuse a volume of zero or less."""
    if not ml > 0:
        raise Refused(f"{what} must be more than 0 ml, got {show_ml(ml)}")


def check_time(at: datetime, now: datetime, zone: ZoneInfo) -> None:
    """Refuse a time in the future."""
    if _utc(at) > _utc(now):
        raise Refused(f"Time {when(at, zone)} is in the future")


def check_new(ml: float, expressed_at: datetime, now: datetime, zone: ZoneInfo) -> None:
    """Check new milk before it is stored."""
    check_volume(ml)
    check_time(expressed_at, now, zone)


def check(
    history: Sequence[Event],
    action: Event,
    *,
    now: datetime,
    book: RuleBook,
    zone: ZoneInfo,
    ident: str,
    allow_expired: bool = False,
) -> Standing:
    """Refuse ``action`` on container ``ident`` if its history does not allow it.

    Returns the standing just before the action. Raises ``Refused`` naming what and why.
    ``allow_expired`` is for replaying a recorded history (an import): whether milk had
    expired then depended on the rules of that time, which may not be today's profile; every
    other check (refreezing, order, volumes) still applies.
    """
    name = f"Container {ident}"
    check_time(action.at, now, zone)
    last = history[-1]
    if _utc(action.at) < _utc(last.at):
        raise Refused(
            f"Time {when(action.at, zone)} is before the last event of container {ident} "
            f"({last.kind} at {when(last.at, zone)})"
        )
    standing = evaluate(history, action.at, book, zone)
    if standing.status is Status.USED:
        raise Refused(f"{name} was already used")
    if standing.status is Status.DISCARDED:
        raise Refused(f"{name} was already discarded")
    kind = action.kind
    if kind is EventKind.DISCARDED:
        return standing
    if standing.status is Status.EXPIRED and not allow_expired:
        raise Refused(
            f"{name} expired at {when(standing.use_by, zone)} ({standing.rule.id}); it can only be discarded"
        )
    frozen = standing.state is State.FROZEN
    if kind is EventKind.MOVED:
        to = _where(action)
        if to is standing.location:
            raise Refused(f"{name} is already {PLACE_WORDS[to]}")
        rule = book.rule(standing.state if not frozen else State.FRESH, to)
        if rule.refuse:
            raise Refused(
                f"{name} holds {standing.state} milk and can't go in the freezer: {rule.text} [{rule.id}]"
            )
    elif kind is EventKind.THAWED:
        if not frozen:
            raise Refused(f"{name} is not frozen (it holds {standing.state} milk)")
        if _where(action) not in THAW_PLACES:
            raise InvalidInput("in", f"thaw in the fridge or at room, not '{action.location}'")
    elif kind in (EventKind.FEED_STARTED, EventKind.FEED_FINISHED, EventKind.USED, EventKind.SPLIT_INTO):
        if frozen:
            raise Refused(f"{name} is frozen; thaw it first")
        if kind is EventKind.FEED_FINISHED and action.ml:
            if action.ml < 0:
                raise Refused(f"Leftover must be 0 ml or more, got {show_ml(action.ml)}")
            if action.ml > standing.ml:
                raise Refused(
                    f"{name} held {show_ml(standing.ml)}; the leftover can't be more, "
                    f"got {show_ml(action.ml)}"
                )
        if kind is EventKind.SPLIT_INTO:
            _check_split(standing, float(action.ml or 0), name)
    else:
        raise ValueError(f"{kind} is not an action on an existing container")
    return standing


def _check_split(standing: Standing, ml: float, name: str) -> None:
    check_volume(ml, "A split")
    if ml > standing.ml:
        raise Refused(f"{name} holds only {show_ml(standing.ml)}; can't pour {show_ml(ml)} from it")
    if ml >= standing.ml:
        raise Refused(
            f"{name} holds {show_ml(standing.ml)}; a split must leave some behind, got {show_ml(ml)}"
        )


def split_history(history: Sequence[Event], ml: float, at: datetime, parent: str) -> list[Event]:
    """The history of a new container poured from ``parent``: its past, then the split."""
    return [*history, Event(EventKind.SPLIT_FROM, at, ml=ml, other=parent)]


def use_first_key(standing: Standing) -> tuple[bool, datetime]:
    """Sort key for what to use first: thawed, leftover and fresh before frozen, then nearest
    deadline first."""
    return (standing.state is State.FROZEN, standing.use_by)


def usable(standings: Iterable[Standing]) -> list[Standing]:
    """Milk that can still be fed (not expired, used or discarded)."""
    return [s for s in standings if s.status in (Status.OK, Status.USE_SOON)]
