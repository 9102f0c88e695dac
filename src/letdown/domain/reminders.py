"""When the next expression session is due, and how today stands against the cited targets.

Pure rules: no I/O and no clock; ``now`` and the household's zone are passed in. The figures
come from ``guidance/reminders.yaml`` (each names its fact and source): 8-10 sessions in 24
hours including at night, no night gap over 5 hours, at least one between midnight and 6 am
[nhs-expressing]; more than 5 hand expressions a day in the first 3 days for a baby born
before 31 weeks [morton-2009] (a target only for a baby whose birth and due dates show it was
born that early; for any other baby in its first days it is information, never met or missed).

The figures are targets only for a household that exclusively expresses (the leaflets write
them for a baby who is not feeding at the breast); for one whose baby also feeds at the breast,
or that has not said, they are information with their source, and a day is never "met" or
"missed" against them (``feeding_modes`` in reminders.yaml; ``ModeRule``).

The day interval is start to start. When the next session by the day interval would fall in
the night window, the household's longest night gap applies instead (never shorter than the
day interval), so a parent may sleep a little longer without missing the night session.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from letdown.domain.choices import FeedingMode, Method, values
from letdown.domain.errors import InvalidInput

MIN_NIGHT_GAP_MINUTES = 60
MAX_NIGHT_GAP_MINUTES = 12 * 60


@dataclass(frozen=True)
class Target:
    id: str
    fact: str
    source: str
    values: dict[str, Any]


UNSET = "unset"  # the key of the rule for a household that has not said how it feeds


@dataclass(frozen=True)
class ModeRule:
    """What a feeding mode makes of the figures: targets or information, and whether reminders
    use the default interval. ``reads`` and ``ours`` say how letdown read the source."""

    mode: str  # a FeedingMode value, or "unset"
    targets: bool
    default_interval: bool
    source: str
    reads: str
    ours: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "feeding_mode": None if self.mode == UNSET else self.mode,
            "targets": self.targets,
            "default_interval": self.default_interval,
            "source": self.source,
            "reads": self.reads,
            "ours": self.ours,
        }


def parse_feeding_mode(value: FeedingMode | str | None) -> FeedingMode | None:
    """A feeding mode from its value (None or empty: not said), or ``InvalidInput`` naming it."""
    if value is None or isinstance(value, FeedingMode):
        return value
    if not isinstance(value, str):
        raise InvalidInput("feeding_mode", f"must be one of {', '.join(values(FeedingMode))}, got {value!r}")
    text = value.strip().lower()
    if not text:
        return None
    try:
        return FeedingMode(text)
    except ValueError:
        raise InvalidInput(
            "feeding_mode",
            f"unknown feeding mode '{value[:40]}'; choose one of {', '.join(values(FeedingMode))}",
        ) from None


@dataclass(frozen=True)
class Targets:
    """The cited figures reminders use."""

    per_day_min: int
    per_day_max: int
    night_gap_hours: int
    night_from_hour: int
    night_to_hour: int
    early_days: int
    early_hand_more_than: int
    early_born_before_weeks: int  # the study's babies were born before this many weeks
    early_preterm_weeks_before_due: int  # ours: born more than this before the due date
    sources: dict[str, str]  # target id -> source id
    modes: dict[str, ModeRule]  # FeedingMode value or "unset" -> its rule

    def rule(self, mode: FeedingMode | str | None) -> ModeRule:
        """The rule for a household's feeding mode (None: it has not said)."""
        return self.modes[UNSET if mode is None else FeedingMode(mode).value]

    def frequency_note(self, mode: FeedingMode | str | None) -> str:
        """The frequency figures as this household should read them: a target, or information."""
        rule = self.rule(mode)
        if rule.targets:
            return f"Target (you said your baby does not feed at the breast): {self.frequency_text()}"
        said = (
            "you have not said how your baby feeds" if mode is None else "your baby also feeds at the breast"
        )
        return (
            f"For information, not a target ({said}): for a baby who is not feeding at the breast, "
            f"{self.frequency_text()}"
        )

    @property
    def default_interval_minutes(self) -> int:
        """24 hours over the lower daily target: 8 a day is every 3 hours."""
        return 24 * 60 // self.per_day_min

    @property
    def default_night_gap_minutes(self) -> int:
        return self.night_gap_hours * 60

    def frequency_text(self) -> str:
        """The cited frequency guidance in words, with its sources."""
        cited = dict.fromkeys([self.sources["sessions-per-24h"], self.sources["night-gap"]])
        return (
            f"{self.per_day_min}-{self.per_day_max} times in 24 hours including at night, no night gap "
            f"over {self.night_gap_hours} hours [{', '.join(cited)}]"
        )

    def early_hand_text(self) -> str:
        """The early-days hand expression finding as information, with its source."""
        return (
            f"mothers of babies born before {self.early_born_before_weeks} weeks who hand expressed "
            f"more than {self.early_hand_more_than} times a day in the first {self.early_days} days "
            f"made more milk by week 8 [{self.sources['early-days-hand']}]"
        )

    def born_early_enough(self, birth_date: date | None, due_date: date | None) -> bool:
        """Whether the dates show a baby born before the early-days study's gestation.

        Only when both dates are known: born more than ``early_preterm_weeks_before_due`` weeks
        before the due date (letdown's reading of "born before 31 weeks", see reminders.yaml).
        """
        if birth_date is None or due_date is None:
            return False
        return (due_date - birth_date).days > self.early_preterm_weeks_before_due * 7


def parse_modes(rows: dict[str, dict[str, Any]]) -> dict[str, ModeRule]:
    expected = {*values(FeedingMode), UNSET}
    if set(rows) != expected:
        raise ValueError(f"feeding_modes must name exactly {sorted(expected)}, got {sorted(rows)}")
    return {
        mode: ModeRule(
            mode=mode,
            targets=bool(row["targets"]),
            default_interval=bool(row["default_interval"]),
            source=str(row["source"]),
            reads=" ".join(str(row["reads"]).split()),
            ours=bool(row.get("ours", False)),
        )
        for mode, row in rows.items()
    }


def parse_targets(rows: Sequence[dict[str, Any]], modes: dict[str, dict[str, Any]] | None = None) -> Targets:
    by_id = {row["id"]: row for row in rows}
    return Targets(
        per_day_min=int(by_id["sessions-per-24h"]["min"]),
        per_day_max=int(by_id["sessions-per-24h"]["max"]),
        night_gap_hours=int(by_id["night-gap"]["hours"]),
        night_from_hour=int(by_id["night-session"]["from_hour"]),
        night_to_hour=int(by_id["night-session"]["to_hour"]),
        early_days=int(by_id["early-days-hand"]["days"]),
        early_hand_more_than=int(by_id["early-days-hand"]["more_than_per_day"]),
        early_born_before_weeks=int(by_id["early-days-hand"]["born_before_weeks"]),
        early_preterm_weeks_before_due=int(
            by_id["early-days-hand"]["preterm_reading"]["born_more_than_weeks_before_due"]
        ),
        sources={row["id"]: row["source"] for row in rows},
        modes=parse_modes(modes or _all_targets_modes()),
    )


def _all_targets_modes() -> dict[str, dict[str, Any]]:
    """Rules for callers that give no modes (tests of the figures alone): every mode a target."""
    row = {"targets": True, "default_interval": True, "source": "nhs-expressing", "reads": "test"}
    return {mode: dict(row) for mode in (*values(FeedingMode), UNSET)}


@lru_cache(maxsize=1)
def targets() -> Targets:
    """The targets in ``guidance/reminders.yaml``, with the feeding-mode rules."""
    from letdown.guidance.library import read_yaml

    data = read_yaml("reminders.yaml")
    return parse_targets(data["targets"], data["feeding_modes"])


_DURATION = re.compile(r"^(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?$")


def parse_minutes(text: str, field: str) -> int:
    """``3h``, ``2h30m``, ``90m`` or a bare number of minutes, as whole minutes."""
    raw = text.strip().lower()
    if raw.isdigit():
        return int(raw)
    match = _DURATION.match(raw)
    if not raw or match is None or not (match.group("h") or match.group("m")):
        raise InvalidInput(field, f"cannot read '{text}' as a duration; use 3h, 2h30m or 90m")
    return int(match.group("h") or 0) * 60 + int(match.group("m") or 0)


def validate_night_gap(minutes: int | None) -> int | None:
    """A longest night gap in whole minutes from 1 to 12 hours, or None (the default)."""
    if minutes is None:
        return None
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise InvalidInput("night_gap", f"must be a whole number of minutes, got {minutes!r}")
    if not MIN_NIGHT_GAP_MINUTES <= minutes <= MAX_NIGHT_GAP_MINUTES:
        raise InvalidInput(
            "night_gap",
            f"must be from {MIN_NIGHT_GAP_MINUTES // 60} to {MAX_NIGHT_GAP_MINUTES // 60} hours, "
            f"got {minutes} minutes",
        )
    return minutes


def check_gap_against_day(gap: int | None, day: int | None) -> None:
    """The one rule across the two intervals: the longest night gap is never shorter than the
    day interval (either unset: nothing to compare)."""
    if gap is not None and day is not None and gap < day:
        raise InvalidInput(
            "night_gap",
            f"the longest night gap ({gap} minutes) must be at least the day interval ({day} minutes)",
        )


@dataclass(frozen=True)
class Plan:
    """The household's intervals, and whether each is the guidance default.

    ``day_minutes`` is None when the household set no interval and its feeding mode takes no
    default (its baby also feeds at the breast): then no session is "due"."""

    day_minutes: int | None
    night_gap_minutes: int
    day_is_default: bool
    night_is_default: bool
    feeding_mode: FeedingMode | None = None


def plan(
    day_minutes: int | None,
    night_gap_minutes: int | None,
    t: Targets,
    mode: FeedingMode | None = None,
) -> Plan:
    day = day_minutes or (t.default_interval_minutes if t.rule(mode).default_interval else None)
    night = night_gap_minutes or t.default_night_gap_minutes
    return Plan(
        day,
        max(day, night) if day is not None else night,
        day_minutes is None,
        night_gap_minutes is None,
        mode,
    )


def in_night(moment: datetime, tz: ZoneInfo, t: Targets) -> bool:
    hour = moment.astimezone(tz).hour
    return t.night_from_hour <= hour < t.night_to_hour


def next_after(last_started: datetime, p: Plan, tz: ZoneInfo, t: Targets) -> datetime:
    """When the session after one that started at ``last_started`` is due."""
    if p.day_minutes is None:
        raise ValueError("no interval: nothing is due")
    by_day = last_started + timedelta(minutes=p.day_minutes)
    if in_night(by_day, tz, t):
        return last_started + timedelta(minutes=p.night_gap_minutes)
    return by_day


def upcoming(
    last_started: datetime | None,
    p: Plan,
    *,
    now: datetime,
    tz: ZoneInfo,
    t: Targets,
    hours: int = 24,
) -> list[datetime]:
    """The sessions due from the next one until ``hours`` after ``now``.

    The first may be in the past (overdue); the ones after it count from ``now`` in that case,
    as the parent will start from when they next express. With no session yet, the first is now.
    With no interval (``Plan.day_minutes`` None) nothing is due: an empty list.
    """
    if p.day_minutes is None:
        return []
    first = now if last_started is None else next_after(last_started, p, tz, t)
    out = [first]
    base = max(first, now)
    end = now + timedelta(hours=hours)
    while True:
        following = next_after(base, p, tz, t)
        if following > end:
            return out
        out.append(following)
        base = following


@dataclass(frozen=True)
class Progress:
    """Today (local day) against the targets."""

    day: date
    sessions: int
    hand_sessions: int
    target_min: int
    target_max: int
    early_days: bool  # the baby is in its first days (the hand-expression finding is shown)
    early_hand_target: bool  # ... and was born early enough for it to be a target (see met)
    early_hand_more_than: int
    longest_gap_minutes: int | None  # start to start over the last 24 hours (to now)
    night_gap_minutes: int
    sources: tuple[str, ...]
    rule: ModeRule | None = None  # the feeding-mode rule that decided targets vs information
    note: str = ""  # the figures as this household should read them, with their sources

    @property
    def targets_apply(self) -> bool:
        return self.rule is None or self.rule.targets

    @property
    def met(self) -> bool | None:
        """Whether today met the targets; None when they are information, not targets."""
        if not self.targets_apply:
            return None
        if self.early_hand_target and self.hand_sessions <= self.early_hand_more_than:
            return False
        return self.sessions >= self.target_min

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "sessions": self.sessions,
            "hand_sessions": self.hand_sessions,
            "target": {"min": self.target_min, "max": self.target_max, "hours": 24},
            "targets_apply": self.targets_apply,
            "early_days": self.early_days,
            "early_hand_target": self.early_hand_target,
            "early_hand_more_than": self.early_hand_more_than if self.early_hand_target else None,
            "longest_gap_minutes": self.longest_gap_minutes,
            "night_gap_minutes": self.night_gap_minutes,
            "met": self.met,
            "rule": self.rule.as_json() if self.rule is not None else None,
            "note": self.note,
            "sources": list(self.sources),
        }


def longest_gap(starts: Iterable[datetime], *, now: datetime, hours: int = 24) -> int | None:
    """The longest time between session starts over the last ``hours`` (the gap to now included)."""
    window = now - timedelta(hours=hours)
    times = sorted(s for s in starts if s <= now)
    before = [s for s in times if s < window]
    inside = [s for s in times if s >= window]
    if not inside and not before:
        return None
    points = ([before[-1]] if before else []) + inside + [now]
    gaps = [(b - a) / timedelta(minutes=1) for a, b in zip(points, points[1:], strict=False)]
    return int(max(gaps)) if gaps else None


def progress(
    sessions: Iterable[tuple[datetime, Method | str]],
    *,
    now: datetime,
    tz: ZoneInfo,
    baby_age_days: int | None,
    p: Plan,
    t: Targets,
    birth_date: date | None = None,
    due_date: date | None = None,
    mode: FeedingMode | None = None,
) -> Progress:
    """Today's sessions against the targets; ``sessions`` are (started_at, method) pairs.

    The figures are targets only when the feeding mode's rule says so (exclusively expressing);
    otherwise ``met`` is None and ``note`` gives them as information with their source. The
    early-days hand expression figure is a target only then too, and only for a baby whose
    birth and due dates show it was born before the study's gestation
    (``Targets.born_early_enough``).
    """
    items = list(sessions)
    today = now.astimezone(tz).date()
    start = datetime.combine(today, time.min, tzinfo=tz)
    todays = [(s, m) for s, m in items if start <= s.astimezone(tz) and s <= now]
    early = baby_age_days is not None and 0 <= baby_age_days < t.early_days
    rule = t.rule(mode)
    early_target = early and rule.targets and t.born_early_enough(birth_date, due_date)
    sources = [t.sources["sessions-per-24h"], t.sources["night-gap"]]
    if early_target:
        sources.append(t.sources["early-days-hand"])
    return Progress(
        day=today,
        sessions=len(todays),
        hand_sessions=sum(1 for _, m in todays if Method(m) is Method.HAND),
        target_min=t.per_day_min,
        target_max=t.per_day_max,
        early_days=early,
        early_hand_target=early_target,
        early_hand_more_than=t.early_hand_more_than,
        longest_gap_minutes=longest_gap((s for s, _ in items), now=now),
        night_gap_minutes=p.night_gap_minutes,
        sources=tuple(dict.fromkeys(sources)),
        rule=rule,
        note=t.frequency_note(mode),
    )
