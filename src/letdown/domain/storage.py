"""The milk stash's rules: what a container's history means now, and which actions it allows.

Pure functions: no I/O, no clock (times are passed in, timezone-aware), no database. The
numbers live in ``guidance/storage_rules.yaml``; a ``RuleBook`` of one profile is passed in.

How a container's standing is derived from its append-only history:

- Each stay in a place (storing, a move, a thaw, warming, starting a feed from milk that was
  not at room temperature, the end of a feed with milk left over) adds one deadline, from
  the rule for that milk in that place. While several apply, the earliest wins, and that
  rule (id, text, source, and whether it is our careful reading) is the one the container
  shows.
- Clocks run from expression (fresh and frozen milk), from the thaw (thawed milk in the
  fridge), from the end of the first feed the milk was left over from (leftover milk), or
  from the start of the stay itself (thawed milk at room or in a cooler; fresh milk out of
  the fridge; warmed milk). Hours and days are elapsed time; months are calendar months on
  the household's local clock (so a DST change moves neither).
- A deadline, once set, is never lifted, with one exception the sources describe: milk that
  is still fresh, put somewhere colder before a room, cooler or fridge deadline counted from
  expression has passed (rows marked ``lifted_by_colder``), follows the colder place's limit
  instead of that deadline. No clock started by taking milk out of the fridge, warming,
  thawing or feeding is ever lifted. A passed deadline is never extended, expired milk stays
  expired, and milk that had reached "use soon" in a warmer place stays "use soon".
- So, with the cdc rules: thawed milk is used within 2 hours (use soon from 1 hour) of its
  first time at room, in a cooler or warmed, and within 24 hours of the thaw, wherever it
  goes after. Leftover milk is used within 2 hours of the end of the feed it was first left
  over from; moving it, or feeding from it again, never extends that. Fresh milk that had been
  in the fridge gets 2 hours from being taken out to room temperature (or started on a feed),
  24 hours from going into a cooler (our careful reading), and never more than its fridge
  deadline. Fresh milk taken out of a cooler (never in the fridge) to room temperature gets
  the same 2 hours from being taken out, never beyond its cooler deadline (our careful
  reading). Warmed milk (fresh, thawed or leftover) is used within 2 hours of warming.
- Frozen milk taken out of the freezer is thawing from that moment. Thawed milk is never
  refrozen, and leftover milk is never frozen: those actions are refused. Frozen milk is not
  warmed or fed from: thaw it first.
- Volumes are finite, at most ``MAX_CONTAINER_ML``, and at least 0.1 ml once rounded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from letdown.domain.choices import THAW_PLACES, EventKind, Location, State, Status
from letdown.domain.errors import InvalidInput, Refused
from letdown.domain.limits import later_than_now
from letdown.domain.sessions import MAX_ML_PER_SIDE
from letdown.domain.storage_rules import PLACE_WORDS, Clock, Handling, LimitUnit, RuleBook, StorageRule


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
    warmed: bool = False

    @property
    def word(self) -> str:
        """The milk as a person says it: "warmed" once warmed for a feed (a display word; the
        kind of milk, and so its rules, stays fresh or thawed), else the state's name."""
        if self.warmed and self.state is State.FRESH:
            return "warmed"
        if self.warmed and self.state is State.THAWED:
            return "warmed thawed"
        return self.state.value

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
    """The running state while a history is replayed (internal).

    ``active`` holds one deadline per stay. The invariant: a deadline leaves ``active`` only
    when its rule says ``lifted_by_colder`` and the milk moves somewhere colder before it
    passes. Every other deadline, once set, stays, and the earliest one decides.
    """

    book: RuleBook
    zone: ZoneInfo
    milk: State = State.FRESH
    location: Location = Location.FRIDGE
    ml: float = 0.0
    expressed_at: datetime | None = None
    thawed_at: datetime | None = None
    fed_at: datetime | None = None
    chilled: bool = False
    cooled: bool = False
    warmed: bool = False
    terminal: Status | None = None
    active: list[Deadline] = field(default_factory=list)
    expired: Deadline | None = None
    sticky_soon: datetime | None = None

    def earliest(self) -> Deadline:
        return min(self.active, key=lambda d: d.use_by)

    def origin(self, rule: StorageRule, at: datetime) -> datetime:
        origins = {
            Clock.EXPRESSION: self.expressed_at,
            Clock.THAW: self.thawed_at,
            Clock.FEED_END: self.fed_at,
            Clock.STAY: at,
        }
        found = origins[rule.clock]
        assert found is not None
        return found

    def enter(self, location: Location, at: datetime, *, warmed: bool = False) -> None:
        """Milk arrives at ``location`` at ``at`` (or changes kind there, or is warmed)."""
        colder = TEMPERATURE_RANK[location] < TEMPERATURE_RANK[self.location]
        self.location = location
        if self.expired is not None:
            return
        if colder and self.milk is State.FRESH:  # only fresh milk is cooled within its window
            kept = []
            for stay in self.active:
                if (
                    stay.rule.lifted_by_colder
                    and TEMPERATURE_RANK[stay.location] > TEMPERATURE_RANK[location]
                ):
                    if stay.soon is not None and stay.soon <= at:
                        self.sticky_soon = min(filter(None, (self.sticky_soon, stay.soon)))
                else:
                    kept.append(stay)
            self.active = kept
        handling = None
        if warmed:
            handling = Handling.WARMED
        elif self.milk is State.FRESH and self.chilled:
            handling = Handling.OUT_OF_COLD
        elif self.milk is State.FRESH and self.cooled:
            handling = Handling.OUT_OF_COOLER
        rule = self.book.rule(self.milk, location, handling)
        origin = at if rule.refuse else self.origin(rule, at)
        self.active.append(deadline(rule, location, origin, self.zone))
        if location is Location.FRIDGE:
            self.chilled = True
        elif location is Location.COOLER:
            self.cooled = True

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
            self.location = _where(event)
            self.enter(self.location, event.at)
        elif kind is EventKind.MOVED:
            if self.milk is State.FRESH and self.location is Location.FREEZER:
                self.milk, self.thawed_at = State.THAWED, event.at
            self.enter(_where(event), event.at)
        elif kind is EventKind.THAWED:
            self.milk, self.thawed_at = State.THAWED, event.at
            self.enter(_where(event), event.at)
        elif kind is EventKind.WARMED:
            self.warmed = True
            self.enter(Location.ROOM, event.at, warmed=True)
        elif kind is EventKind.FEED_STARTED:
            if self.location is not Location.ROOM:
                self.enter(Location.ROOM, event.at)
        elif kind is EventKind.FEED_FINISHED:
            if event.ml:
                if self.milk is not State.LEFTOVER:
                    self.milk, self.fed_at = State.LEFTOVER, event.at
                self.ml = float(event.ml)
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
        warmed=replay.warmed,
    )


# --- checking an action against the history -------------------------------------------------


def when(at: datetime, zone: ZoneInfo) -> str:
    """A time as messages show it: ISO 8601 to the minute, in the household's zone."""
    return at.astimezone(zone).isoformat(timespec="minutes")


def show_ml(ml: float) -> str:
    """A volume as messages show it (``120 ml``, ``29.6 ml``)."""
    return f"{round(ml, 1):g} ml"


MAX_CONTAINER_ML = MAX_ML_PER_SIDE
"""The most one container may hold: the same input sanity bound as one side of a session
(it catches a wrong unit or a typo; it is not health guidance)."""


def _check_finite(ml: float, what: str, field: str) -> None:
    if not math.isfinite(ml):
        raise InvalidInput(field, f"{what.lower()} must be a finite number of ml, got {ml!r}")
    if ml > MAX_CONTAINER_ML:
        raise InvalidInput(
            field,
            f"{ml:g} ml is over the {MAX_CONTAINER_ML:g} ml limit for one container; "
            "check the value and its unit",
            over_ml=MAX_CONTAINER_ML,
        )


def check_volume(ml: float, what: str = "Volume", field: str = "ml") -> float:
    """Refuse a volume that is not finite, over the bound, or 0 ml or less once rounded to
    0.1 ml (as it is stored). Returns the rounded volume."""
    _check_finite(ml, what, field)
    if not ml > 0:
        raise Refused(f"{what} must be more than 0 ml, got {show_ml(ml)}")
    if round(ml, 1) <= 0:
        raise Refused(f"{what} of {ml:g} ml rounds to 0 ml; the smallest is 0.1 ml")
    return round(ml, 1)


def check_leftover(ml: float) -> float:
    """Refuse a leftover that is not finite, over the bound, negative, or more than 0 ml but
    rounding to 0 ml (0 means the baby finished it). Returns it rounded to 0.1 ml."""
    _check_finite(ml, "Leftover", "leftover_ml")
    if ml < 0:
        raise Refused(f"Leftover must be 0 ml or more, got {show_ml(ml)}")
    if ml > 0 and round(ml, 1) <= 0:
        raise Refused(
            f"Leftover of {ml:g} ml rounds to 0 ml; give 0 if the baby finished it, or at least 0.1 ml"
        )
    return round(ml, 1)


def check_time(at: datetime, now: datetime, zone: ZoneInfo) -> None:
    """Refuse a time in the future."""
    if _utc(at) > _utc(now):
        raise Refused(later_than_now(at, now, zone))


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
    elif kind in (
        EventKind.WARMED,
        EventKind.FEED_STARTED,
        EventKind.FEED_FINISHED,
        EventKind.USED,
        EventKind.SPLIT_INTO,
    ):
        if frozen:
            raise Refused(f"{name} is frozen; thaw it first")
        if kind is EventKind.FEED_FINISHED and action.ml is not None:
            check_leftover(action.ml)
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
