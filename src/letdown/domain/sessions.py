"""Expression sessions: what a valid session is, what is derived from it, and daily stats.

Pure rules: no I/O and no clock; ``now`` and ``today`` are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from letdown.domain import limits
from letdown.domain.choices import Method, values
from letdown.domain.errors import InvalidInput

# Input sanity bounds (issue #2), not health guidance: they catch typos such as a wrong unit
# or a wrong year, and say so.
MAX_ML_PER_SIDE = 1000.0
MAX_SESSION = timedelta(hours=12)
CLOCK_SKEW = timedelta(minutes=2)
MAX_NOTE_CHARS = 2000
MAX_MINUTES = MAX_SESSION / timedelta(minutes=1)
COMFORT_RANGE = (0, 10)
SIDES = ("left_ml", "right_ml", "passive_ml")


@dataclass(frozen=True)
class SessionData:
    """A session as the parent describes it, times already resolved to UTC instants."""

    started_at: datetime
    ended_at: datetime
    method: Method
    left_ml: float | None = None
    right_ml: float | None = None
    passive_ml: float | None = None
    let_downs: tuple[datetime, ...] = field(default_factory=tuple)
    comfort: int | None = None
    note: str | None = None

    @property
    def total_ml(self) -> float:
        return total_ml(self.left_ml, self.right_ml, self.passive_ml)


class SessionLike(Protocol):
    started_at: datetime
    ended_at: datetime
    left_ml: float | None
    right_ml: float | None
    passive_ml: float | None


def parse_method(text: str) -> Method:
    try:
        return Method(text.strip().lower())
    except ValueError:
        raise InvalidInput(
            "method", f"unknown method '{text}'; choose one of {', '.join(values(Method))}"
        ) from None


def total_ml(*sides: float | None) -> float:
    return round(sum(v for v in sides if v is not None), 1)


def session_minutes(value: object) -> float:
    """A session's length typed in minutes: finite, more than 0 and at most ``MAX_MINUTES``."""
    minutes = limits.finite(value, "minutes")
    if minutes <= 0:
        raise InvalidInput("minutes", f"must be more than 0, got {minutes:g}")
    if minutes > MAX_MINUTES:
        raise InvalidInput(
            "minutes",
            f"a session of {minutes:g} minutes is longer than {MAX_MINUTES:g} minutes "
            f"({MAX_SESSION / timedelta(hours=1):g} hours); check the value",
        )
    return minutes


def duration(started_at: datetime, ended_at: datetime) -> timedelta:
    return ended_at - started_at


def _hhmm(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def validate_session(data: SessionData, *, now: datetime, tz: ZoneInfo) -> SessionData:
    """Return ``data`` with volumes rounded to 0.1 ml, or raise InvalidInput naming the field."""
    for name in SIDES:
        value = getattr(data, name)
        if value is None:
            continue
        value = limits.finite(value, name)
        if value < 0:
            raise InvalidInput(name, f"must be 0 or more, got {value:g}")
        if value > MAX_ML_PER_SIDE:
            raise InvalidInput(
                name,
                f"{value:g} ml is over the {MAX_ML_PER_SIDE:g} ml limit for one side; "
                "check the value and its unit",
                over_ml=MAX_ML_PER_SIDE,
            )
    for name, moment in (("started_at", data.started_at), ("ended_at", data.ended_at)):
        limits.check_moment(moment, name)
    if data.started_at > now + CLOCK_SKEW:
        raise InvalidInput("started_at", limits.later_than_now(data.started_at, now, tz))
    if data.ended_at <= data.started_at:
        raise InvalidInput(
            "ended_at",
            f"the end ({_hhmm(data.ended_at, tz)}) must be after the start ({_hhmm(data.started_at, tz)})",
        )
    if data.ended_at > now + CLOCK_SKEW:
        raise InvalidInput("ended_at", limits.later_than_now(data.ended_at, now, tz))
    if data.ended_at - data.started_at > MAX_SESSION:
        hours = (data.ended_at - data.started_at) / timedelta(hours=1)
        raise InvalidInput(
            "ended_at",
            f"a session of {hours:.1f} hours is longer than {MAX_SESSION / timedelta(hours=1):g} "
            "hours; check the start and end",
        )
    for moment in data.let_downs:
        if not data.started_at <= moment <= data.ended_at:
            raise InvalidInput(
                "let_downs",
                f"{_hhmm(moment, tz)} is outside the session "
                f"({_hhmm(data.started_at, tz)} to {_hhmm(data.ended_at, tz)})",
            )
    low, high = COMFORT_RANGE
    if data.comfort is not None and not low <= data.comfort <= high:
        raise InvalidInput("comfort", f"must be a whole number from {low} to {high}, got {data.comfort}")
    if data.note is not None and len(data.note) > MAX_NOTE_CHARS:
        raise InvalidInput("note", f"is {len(data.note)} characters; the most is {MAX_NOTE_CHARS}")
    if data.note is not None:
        limits.clean_text(data.note, "note")

    def _round(v: float | None) -> float | None:
        return None if v is None else round(float(v), 1)

    return SessionData(
        started_at=data.started_at,
        ended_at=data.ended_at,
        method=data.method,
        left_ml=_round(data.left_ml),
        right_ml=_round(data.right_ml),
        passive_ml=_round(data.passive_ml),
        let_downs=tuple(sorted(data.let_downs)),
        comfort=data.comfort,
        note=(data.note.strip() or None) if data.note is not None else None,
    )


def age_in_months(on: date, birth_date: date | None) -> int | None:
    """Whole calendar months since birth on a day; None before birth or without a birth date."""
    if birth_date is None or on < birth_date:
        return None
    delta = relativedelta(on, birth_date)
    return delta.years * 12 + delta.months


def age_in_days(on: date, birth_date: date | None, due_date: date | None) -> int | None:
    """The baby's age in days on a day; negative before birth (counted from the due date)."""
    anchor = birth_date or due_date
    if anchor is None:
        return None
    return (on - anchor).days


class BabyLike(Protocol):
    id: str
    birth_date: date | None
    due_date: date | None


def current_baby(babies: Sequence[BabyLike]) -> str | None:
    """The baby a new session is for: the youngest baby already born; before any birth, the
    baby due soonest. Twins (same date) resolve by id, which does not change their age."""
    born = [b for b in babies if b.birth_date is not None]
    if born:
        return max(born, key=lambda b: (b.birth_date, b.id)).id
    due = [b for b in babies if b.due_date is not None]
    if due:
        return min(due, key=lambda b: (b.due_date, b.id)).id
    return None


@dataclass(frozen=True)
class DayStats:
    day: date
    sessions: int
    left_ml: float
    right_ml: float
    passive_ml: float
    total_ml: float
    mean_minutes: float | None
    avg7_ml: float


@dataclass(frozen=True)
class Stats:
    days: list[DayStats]
    sessions: int
    total_ml: float
    daily_average_ml: float
    mean_minutes: float | None


def stats_window(today: date, days: int) -> tuple[date, date]:
    """The first and last local day whose sessions ``daily_stats`` needs (7-day average included)."""
    return today - timedelta(days=days - 1 + 6), today


def daily_stats(sessions: Iterable[SessionLike], *, tz: ZoneInfo, today: date, days: int) -> Stats:
    """Per local day (oldest first): totals by side, sessions, mean length, trailing 7-day average."""
    if days < 1:
        raise InvalidInput("days", f"must be 1 or more, got {days}")
    first, _ = stats_window(today, days)
    span = (today - first).days + 1
    buckets: dict[date, list[SessionLike]] = {first + timedelta(days=i): [] for i in range(span)}
    for s in sessions:
        day = s.started_at.astimezone(tz).date()
        if day in buckets:
            buckets[day].append(s)

    totals = {
        d: total_ml(*(total_ml(s.left_ml, s.right_ml, s.passive_ml) for s in b)) for d, b in buckets.items()
    }
    out: list[DayStats] = []
    for i in range(days):
        day = today - timedelta(days=days - 1 - i)
        group = buckets[day]
        minutes = [(s.ended_at - s.started_at) / timedelta(minutes=1) for s in group]
        window = [totals[day - timedelta(days=k)] for k in range(7)]
        out.append(
            DayStats(
                day=day,
                sessions=len(group),
                left_ml=total_ml(*(s.left_ml for s in group)),
                right_ml=total_ml(*(s.right_ml for s in group)),
                passive_ml=total_ml(*(s.passive_ml for s in group)),
                total_ml=totals[day],
                mean_minutes=round(sum(minutes) / len(minutes), 1) if minutes else None,
                avg7_ml=round(sum(window) / 7, 1),
            )
        )
    all_sessions: Sequence[SessionLike] = [s for d in out for s in buckets[d.day]]
    all_minutes = [(s.ended_at - s.started_at) / timedelta(minutes=1) for s in all_sessions]
    grand = total_ml(*(d.total_ml for d in out))
    return Stats(
        days=out,
        sessions=len(all_sessions),
        total_ml=grand,
        daily_average_ml=round(grand / days, 1),
        mean_minutes=round(sum(all_minutes) / len(all_minutes), 1) if all_minutes else None,
    )
