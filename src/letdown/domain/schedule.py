"""The household's session interval (its bounds) and durations as people read them. Pure.

When the next session is due is ``domain/reminders.py``: the household's interval, else the
default from the cited targets (``guidance/reminders.yaml``).
"""

from __future__ import annotations

from datetime import timedelta

from letdown.domain.errors import InvalidInput

MIN_INTERVAL_MINUTES = 30
MAX_INTERVAL_MINUTES = 24 * 60


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


def hours_minutes(minutes: int | None, *, whole_hours: bool = False, missing: str = "-") -> str:
    """A span of whole minutes as ``2 h 05 min`` (``missing`` when there is none); with
    ``whole_hours``, ``3 h`` for a whole number of hours. The one hours-and-minutes format."""
    if minutes is None:
        return missing
    hours, mins = divmod(minutes, 60)
    return f"{hours} h" if whole_hours and not mins else f"{hours} h {mins:02d} min"


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
