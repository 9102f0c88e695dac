"""Use cases for the milk stash: store, move, thaw, warm, feed, use, discard, split, list, plan.

Every action loads the container's history, asks ``domain/storage.py`` whether it is allowed,
and appends one event; a refused action raises ``Refused`` and writes nothing. Listing loads a
household's containers and their events in a fixed number of queries, whatever the count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from letdown.domain import storage
from letdown.domain.choices import EventKind, Location, State, Status, StorageProfile, values
from letdown.domain.errors import InvalidInput, NotFound, Refused
from letdown.domain.storage import Event, Standing
from letdown.domain.storage_rules import RuleBook
from letdown.domain.timeparse import iso_local, parse_time
from letdown.guidance.rules import rulebook
from letdown.services.accounts import households
from letdown.services.accounts.households import HouseholdView
from letdown.services.stash.limits import entered_limits
from letdown.store.models import Container, ContainerEvent, ExpressionSession
from letdown.store.types import new_id


@dataclass(frozen=True)
class ContainerView:
    """A container, its history and how it stands at ``at``."""

    id: str
    label: str | None
    session_id: str | None
    split_from: str | None
    created_at: datetime
    at: datetime
    standing: Standing
    history: tuple[ContainerEvent, ...]
    session: ExpressionSession | None = None
    demo: bool = False

    def as_json(self, tz: ZoneInfo, *, history: bool = False) -> dict[str, Any]:
        s = self.standing
        data: dict[str, Any] = {
            "id": self.id,
            "ml": round(s.ml, 1),
            "location": s.location.value,
            "state": s.state.value,
            "status": s.status.value,
            "expressed_at": iso_local(s.expressed_at, tz),
            "thawed_at": iso_local(s.thawed_at, tz),
            "use_by": iso_local(s.use_by, tz),
            "best_by": iso_local(s.best_by, tz),
            "use_soon_at": iso_local(s.use_soon_at, tz),
            "rule": s.rule.cite(),
            "label": self.label,
            "session_id": self.session_id,
            "split_from": self.split_from,
            "evaluated_at": iso_local(self.at, tz),
            "demo": self.demo,
        }
        if history:
            data["session"] = session_json(self.session, tz) if self.session else None
            data["history"] = [event_json(e, tz) for e in self.history]
        return data


def session_json(row: ExpressionSession, tz: ZoneInfo) -> dict[str, Any]:
    """The session that produced the milk, as the start of a container's story."""
    parts = (row.left_ml, row.right_ml, row.passive_ml)
    return {
        "id": row.id,
        "started_at": iso_local(row.started_at, tz),
        "ended_at": iso_local(row.ended_at, tz),
        "method": row.method,
        "total_ml": round(sum(p or 0 for p in parts), 1),
    }


def event_json(row: ContainerEvent, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "at": iso_local(row.at, tz),
        "location": row.location,
        "ml": row.ml,
        "other_id": row.other_id,
        "note": row.note,
        "copied_from": row.copied_from,
    }


@dataclass(frozen=True)
class Context:
    """What every stash use case needs: the household, its rule book and its clock."""

    household: HouseholdView
    book: RuleBook
    now: datetime

    @property
    def tz(self) -> ZoneInfo:
        return self.household.tz

    def time(self, text: str | None, field: str) -> datetime:
        return parse_time(text or "now", field=field, now=self.now, tz=self.tz)


def context(db: Session, household_id: str, *, now: datetime) -> Context:
    household = households.get(db, household_id)
    custom = None
    if household.storage_profile is StorageProfile.CUSTOM:
        custom = entered_limits(db, household_id)
    return Context(household, rulebook(household.storage_profile, custom), now)


# --- reading -------------------------------------------------------------------------------


def to_event(row: ContainerEvent) -> Event:
    return Event(
        EventKind(row.kind),
        row.at,
        location=Location(row.location) if row.location else None,
        ml=row.ml,
        other=row.other_id,
        note=row.note,
    )


def _view(
    ctx: Context,
    row: Container,
    events: list[ContainerEvent],
    at: datetime,
    session: ExpressionSession | None = None,
) -> ContainerView:
    standing = storage.evaluate([to_event(e) for e in events], at, ctx.book, ctx.tz)
    return ContainerView(
        id=row.id,
        label=row.label,
        session_id=row.session_id,
        split_from=row.split_from,
        created_at=row.created_at,
        at=at,
        standing=standing,
        history=tuple(events),
        session=session,
        demo=bool(row.demo),
    )


def _container(db: Session, household_id: str, container_id: str) -> Container:
    row = db.get(Container, (household_id, container_id))
    if row is None:
        raise NotFound("container", container_id)
    return row


def _events(db: Session, household_id: str, container_id: str) -> list[ContainerEvent]:
    query = (
        select(ContainerEvent)
        .where(ContainerEvent.household_id == household_id, ContainerEvent.container_id == container_id)
        .order_by(ContainerEvent.seq)
    )
    return list(db.scalars(query))


def get(
    db: Session, household_id: str, container_id: str, *, now: datetime, at: str | None = None
) -> ContainerView:
    """One container with its whole history (from the session that produced the milk), at ``at``."""
    ctx = context(db, household_id, now=now)
    row = _container(db, household_id, container_id)
    when = ctx.time(at, "at")
    if when < row.expressed_at:
        raise InvalidInput("at", f"container {container_id} did not exist yet at {iso_local(when, ctx.tz)}")
    session = db.get(ExpressionSession, (household_id, row.session_id)) if row.session_id else None
    return _view(ctx, row, _events(db, household_id, container_id), when, session)


def _closed_by(household_id: str, when: datetime) -> Any:
    """Ids of containers used up or thrown away by ``when`` (read from their events)."""
    return select(ContainerEvent.container_id).where(
        ContainerEvent.household_id == household_id,
        ContainerEvent.at <= when,
        or_(
            ContainerEvent.kind.in_([EventKind.USED.value, EventKind.DISCARDED.value]),
            and_(ContainerEvent.kind == EventKind.FEED_FINISHED.value, ContainerEvent.ml.is_(None)),
        ),
    )


def list_containers(
    db: Session, household_id: str, *, now: datetime, at: str | None = None, include_all: bool = False
) -> list[ContainerView]:
    """Containers that existed at ``at`` (default now), soonest deadline first.

    Without ``include_all`` only milk still in the stash (expired milk included: it must be
    thrown away); used and discarded milk is left out in SQL, so a long history stays cheap.
    Four queries at most, whatever the count: household, limits, containers, events.
    """
    ctx = context(db, household_id, now=now)
    when = ctx.time(at, "at")
    chosen = [Container.household_id == household_id, Container.expressed_at <= when]
    if not include_all:
        chosen.append(Container.id.not_in(_closed_by(household_id, when)))
    rows = list(db.scalars(select(Container).where(*chosen).order_by(Container.expressed_at, Container.id)))
    by_container: dict[str, list[ContainerEvent]] = defaultdict(list)
    if rows:
        events = db.scalars(
            select(ContainerEvent)
            .join(
                Container,
                (Container.household_id == ContainerEvent.household_id)
                & (Container.id == ContainerEvent.container_id),
            )
            .where(*chosen)
            .order_by(ContainerEvent.container_id, ContainerEvent.seq)
        )
        for event in events:
            by_container[event.container_id].append(event)
    views = [_view(ctx, row, by_container[row.id], when) for row in rows]
    if not include_all:
        views = [v for v in views if v.standing.live]
    return sorted(views, key=lambda v: (not v.standing.live, v.standing.use_by, v.id))


# --- writing -------------------------------------------------------------------------------


def parse_location(text: str, field: str = "location") -> Location:
    try:
        return Location(text.strip().lower())
    except ValueError:
        raise InvalidInput(
            field, f"unknown location '{text}'; choose one of {', '.join(values(Location))}"
        ) from None


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool):
        raise InvalidInput(field, f"must be a number, got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InvalidInput(field, f"must be a number, got {value!r}") from None


def _append(db: Session, row: Container, events: list[ContainerEvent], event: Event, now: datetime) -> None:
    seq = events[-1].seq + 1 if events else 1
    new = ContainerEvent(
        household_id=row.household_id,
        container_id=row.id,
        seq=seq,
        kind=event.kind.value,
        at=event.at,
        location=event.location.value if event.location else None,
        ml=event.ml,
        other_id=event.other,
        note=event.note,
        recorded_at=now,
    )
    db.add(new)
    events.append(new)


def _commit(db: Session, container_id: str) -> None:
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Refused(f"Container {container_id} was changed by someone else just now; try again") from None


def add(
    db: Session,
    household_id: str,
    *,
    ml: Any,
    expressed_at: str | None,
    location: str,
    now: datetime,
    session_id: str | None = None,
    label: str | None = None,
) -> ContainerView:
    """Store new milk in a container.

    Without ``expressed_at``, milk from a session counts from the session's start: the earliest
    the milk can have been expressed, so its use-by is never later than the rules allow.
    """
    ctx = context(db, household_id, now=now)
    volume = _number(ml, "ml")
    place = parse_location(location)
    source = None
    if session_id is not None:
        source = db.get(ExpressionSession, (household_id, session_id))
        if source is None:
            raise InvalidInput("session_id", f"no session with id '{session_id}'")
    if expressed_at is None or not str(expressed_at).strip():
        if source is None:
            raise InvalidInput(
                "expressed_at", "give when the milk was expressed, or the session it came from"
            )
        when = source.started_at
    else:
        when = ctx.time(expressed_at, "expressed_at")
    storage.check_new(volume, when, now, ctx.tz)
    if source is not None and when < source.started_at:
        started = iso_local(source.started_at, ctx.tz)
        raise InvalidInput(
            "expressed_at", f"is before session {session_id} started ({started}); milk comes from it"
        )
    if label is not None and len(label) > 200:
        raise InvalidInput("label", f"is {len(label)} characters; the most is 200")
    row = Container(
        household_id=household_id,
        expressed_at=when,
        ml=round(volume, 1),
        session_id=session_id,
        label=label.strip() or None if label else None,
        created_at=now,
    )
    db.add(row)
    db.flush()
    events: list[ContainerEvent] = []
    _append(db, row, events, Event(EventKind.STORED, when, location=place, ml=row.ml), now)
    _commit(db, row.id)
    return _view(ctx, row, events, max(now, when))


def _act(db: Session, household_id: str, container_id: str, now: datetime, make: Any) -> ContainerView:
    """Check each event ``make(ctx)`` builds against the history, then append them in one commit."""
    ctx = context(db, household_id, now=now)
    row = _container(db, household_id, container_id)
    events = _events(db, household_id, container_id)
    new = make(ctx)
    history = [to_event(e) for e in events]
    for event in new:
        storage.check(history, event, now=now, book=ctx.book, zone=ctx.tz, ident=container_id)
        history.append(event)
    for event in new:
        _append(db, row, events, event, now)
    _commit(db, container_id)
    return _view(ctx, row, events, max(now, new[-1].at))


def move(
    db: Session, household_id: str, container_id: str, *, to: str, now: datetime, at: str | None = None
) -> ContainerView:
    """Move a container to another place (frozen milk taken out of the freezer starts thawing)."""
    place = parse_location(to, "to")
    return _act(
        db,
        household_id,
        container_id,
        now,
        lambda c: [Event(EventKind.MOVED, c.time(at, "at"), location=place)],
    )


def thaw(
    db: Session,
    household_id: str,
    container_id: str,
    *,
    now: datetime,
    at: str | None = None,
    where: str = "fridge",
) -> ContainerView:
    """Frozen milk is thawing (or thawed) in the fridge or at room temperature from ``at``."""
    place = parse_location(where, "in")
    return _act(
        db,
        household_id,
        container_id,
        now,
        lambda c: [Event(EventKind.THAWED, c.time(at, "at"), location=place)],
    )


def warm(
    db: Session, household_id: str, container_id: str, *, now: datetime, at: str | None = None
) -> ContainerView:
    """The milk was warmed for a feed at ``at``: it is at room temperature, and the warmed-milk
    rule's clock starts (it never extends a deadline the milk already had)."""
    return _act(db, household_id, container_id, now, lambda c: [Event(EventKind.WARMED, c.time(at, "at"))])


@dataclass(frozen=True)
class ThawResult:
    thawed: list[ContainerView]
    skipped: list[tuple[str, str]]  # (container id, why)


def thaw_location(
    db: Session,
    household_id: str,
    *,
    location: str,
    now: datetime,
    at: str | None = None,
    where: str = "fridge",
) -> ThawResult:
    """Thaw everything frozen in one place now, thawing since ``at`` (a freezer failure).

    Milk already expired at ``at`` is skipped with its reason; any other refusal (a time before
    a container's last event) refuses the whole action, and nothing is written.
    """
    ctx = context(db, household_id, now=now)
    source, place = parse_location(location), parse_location(where, "in")
    when = ctx.time(at, "at")
    views = list_containers(db, household_id, now=now)
    frozen = [v for v in views if v.standing.location is source and v.standing.state is State.FROZEN]
    if not frozen:
        raise Refused(f"No frozen milk in the {source}")
    event = Event(EventKind.THAWED, when, location=place)
    todo, skipped = [], []
    for view in frozen:  # every check before any write
        history = [to_event(e) for e in view.history]
        then = storage.evaluate(history, when, ctx.book, ctx.tz) if history[-1].at <= when else None
        if then is not None and then.status is Status.EXPIRED:
            skipped.append((view.id, f"expired at {iso_local(then.use_by, ctx.tz)}; throw it away"))
            continue
        storage.check(history, event, now=now, book=ctx.book, zone=ctx.tz, ident=view.id)
        todo.append(view)
    thawed = []
    for view in todo:
        row, events = _container(db, household_id, view.id), list(view.history)
        _append(db, row, events, event, now)
        thawed.append((row, events))
    _commit(db, ", ".join(v.id for v in todo))
    return ThawResult([_view(ctx, r, e, max(now, when)) for r, e in thawed], skipped)


def feed(
    db: Session,
    household_id: str,
    container_id: str,
    *,
    finished: str,
    now: datetime,
    started: str | None = None,
    leftover_ml: Any = None,
) -> ContainerView:
    """The baby fed from the container; what is left becomes leftover milk (none: used up)."""
    leftover = None if leftover_ml is None else storage.check_leftover(_number(leftover_ml, "leftover_ml"))

    def make(c: Context) -> list[Event]:
        end = Event(EventKind.FEED_FINISHED, c.time(finished, "finished"), ml=leftover or None)
        if started is None:
            return [end]
        start = Event(EventKind.FEED_STARTED, c.time(started, "started"))
        if start.at > end.at:
            raise InvalidInput("finished", "the feed must finish after it started")
        return [start, end]

    return _act(db, household_id, container_id, now, make)


def use(
    db: Session, household_id: str, container_id: str, *, now: datetime, at: str | None = None
) -> ContainerView:
    """The milk was used up (fed, or poured into a bottle)."""
    return _act(db, household_id, container_id, now, lambda c: [Event(EventKind.USED, c.time(at, "at"))])


def discard(
    db: Session,
    household_id: str,
    container_id: str,
    *,
    now: datetime,
    at: str | None = None,
    reason: str | None = None,
) -> ContainerView:
    """The milk was thrown away (expired milk can only be discarded)."""
    note = reason.strip() or None if reason else None
    return _act(
        db,
        household_id,
        container_id,
        now,
        lambda c: [Event(EventKind.DISCARDED, c.time(at, "at"), note=note)],
    )


def split(
    db: Session,
    household_id: str,
    container_id: str,
    *,
    ml: Any,
    now: datetime,
    at: str | None = None,
    label: str | None = None,
) -> tuple[ContainerView, ContainerView]:
    """Pour part of a container into a new one that keeps the history. Returns (old, new)."""
    ctx = context(db, household_id, now=now)
    volume = storage.check_volume(_number(ml, "ml"), "A split")
    row = _container(db, household_id, container_id)
    events = _events(db, household_id, container_id)
    when = ctx.time(at, "at")
    child = Container(
        household_id=household_id,
        expressed_at=row.expressed_at,
        ml=round(volume, 1),
        session_id=row.session_id,
        split_from=row.id,
        label=label if label is not None else row.label,
        created_at=now,
    )
    child.id = new_id()  # the parent's event names it, so it is made before any write
    out = Event(EventKind.SPLIT_INTO, when, ml=round(volume, 1), other=child.id)
    storage.check([to_event(e) for e in events], out, now=now, book=ctx.book, zone=ctx.tz, ident=container_id)
    db.add(child)
    db.flush()
    child_events: list[ContainerEvent] = []
    for old in events:
        _append(db, child, child_events, to_event(old), now)
        child_events[-1].copied_from = old.copied_from or row.id
    _append(db, child, child_events, Event(EventKind.SPLIT_FROM, when, ml=child.ml, other=row.id), now)
    _append(db, row, events, out, now)
    _commit(db, container_id)
    at_time = max(now, when)
    return _view(ctx, row, events, at_time), _view(ctx, child, child_events, at_time)
