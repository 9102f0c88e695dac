"""When the next expression session is due. Pure rules: ``now`` is passed in.

letdown has no default interval: the guidance data gives how many sessions a day help when a
baby cannot feed (fact ``times-per-day``) but no interval that fits every parent, so the
household sets its own and nothing is shown until it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from letdown.domain.errors import InvalidInput

MIN_INTERVAL_MINUTES = 30
MAX_INTERVAL_MINUTES = 24 * 60


@dataclass(frozen=True)
class Due:
    since_last: timedelta | None  # from the start of the last session
    next_at: datetime | None
    overdue: bool


def validate_interval(minutes: int | None) -> int | None:
    """An interval in whole minutes from 30 minutes to 24 hours, or None (not set)."""
    if minutes is None:
        return None
    if not MIN_INTERVAL_MINUTES <= minutes <= MAX_INTERVAL_MINUTES:
        raise InvalidInput(
            "session_interval",
            f"must be from {MIN_INTERVAL_MINUTES} minutes to {MAX_INTERVAL_MINUTES // 60} hours, "
            f"got {minutes} minutes",
        )
    return minutes


def due(last_started: datetime | None, interval_minutes: int | None, *, now: datetime) -> Due:
    """Time since the last session started and when the next is due (start to start)."""
    if last_started is None:
        return Due(None, None, False)
    since = max(now - last_started, timedelta(0))
    if interval_minutes is None:
        return Due(since, None, False)
    next_at = last_started + timedelta(minutes=interval_minutes)
    return Due(since, next_at, now >= next_at)


def short_duration(delta: timedelta) -> str:
    """``2 h 05 min``, ``45 min``, ``3 d 4 h``: how long, as a tired person reads it."""
    minutes = int(abs(delta) / timedelta(minutes=1))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins:02d} min"
    return f"{mins} min"
