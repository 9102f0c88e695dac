"""Reading the times people type: ISO 8601 (with or without an offset), ``now``, ``-30m``.

A time with an offset means that instant; a time without one is read in the household's
time zone. Everything returned is an aware datetime in UTC. No clock here: ``now`` is passed in.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from letdown.domain import limits
from letdown.domain.errors import InvalidInput

_RELATIVE = re.compile(
    r"^(?P<sign>[+-])\s*(?:(?P<d>\d+)\s*d)?\s*(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?$"
)

TIME_HELP = "ISO 8601 (2026-11-25T03:10, with or without offset), 'now', or relative like -30m, -2h, -1d"


def zone(name: str, field: str = "timezone") -> ZoneInfo:
    """The IANA time zone called ``name``; an unknown name is an InvalidInput on ``field``."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InvalidInput(field, f"unknown time zone '{name}'; use an IANA name like Europe/Paris") from None


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """Attach ``tz`` to a wall-clock time and return the UTC instant.

    For computed times (a day's midnight): a wall time the clocks skip is read with the offset
    before the change, and a repeated one as its first occurrence. Times people type go through
    ``localize_typed``, which refuses both instead of guessing.
    """
    return naive.replace(tzinfo=tz).astimezone(UTC)


def _reading(naive: datetime, tz: ZoneInfo, fold: int) -> str:
    offset = naive.replace(tzinfo=tz, fold=fold).utcoffset()
    assert offset is not None
    return naive.replace(tzinfo=timezone(offset)).isoformat(timespec="minutes")


def localize_typed(naive: datetime, tz: ZoneInfo, field: str) -> datetime:
    """A wall-clock time a person typed, in ``tz``, as a UTC instant.

    A time the clocks skip (spring forward) or pass twice (fall back) is refused, naming both
    readings with their offsets, so the person says which one they mean.
    """
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first.astimezone(UTC)
    shown = naive.strftime("%Y-%m-%d %H:%M")
    a, b = _reading(naive, tz, 0), _reading(naive, tz, 1)
    back = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive
    if back:
        raise InvalidInput(
            field,
            f"{shown} happens twice in {tz.key} (the clocks go back): give the offset, "
            f"{a} for the first time or {b} for the second",
        )
    # Skipped: each offset reads the wall time as a different real instant.
    later = max(first.astimezone(UTC), second.astimezone(UTC))
    earlier = min(first.astimezone(UTC), second.astimezone(UTC))
    raise InvalidInput(
        field,
        f"{shown} does not exist in {tz.key} (the clocks go forward): it reads as "
        f"{earlier.astimezone(tz).isoformat(timespec='minutes')} or "
        f"{later.astimezone(tz).isoformat(timespec='minutes')}; give one of those",
    )


def parse_time(text: str, *, field: str, now: datetime, tz: ZoneInfo) -> datetime:
    """Parse a user's time into an aware UTC datetime; raise InvalidInput naming ``field``."""
    raw = text.strip()
    if not raw:
        raise InvalidInput(field, "a time is required")
    if raw.lower() == "now":
        return now.astimezone(UTC)
    rel = _RELATIVE.match(raw)
    if rel and any(rel.group(k) for k in ("d", "h", "m")):
        try:
            delta = timedelta(
                days=int(rel.group("d") or 0),
                hours=int(rel.group("h") or 0),
                minutes=int(rel.group("m") or 0),
            )
            if delta > limits.MAX_RELATIVE:
                raise OverflowError
            moment = (now + delta if rel.group("sign") == "+" else now - delta).astimezone(UTC)
        except (OverflowError, ValueError):
            raise limits.outside(field, f"'{raw}'") from None
        return limits.check_moment(moment, field)
    candidate = raw.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", raw) else raw
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        raise InvalidInput(field, f"cannot read '{text}' as a time; use {TIME_HELP}") from None
    if parsed.tzinfo is None:
        return limits.check_moment(localize_typed(limits.check_naive(parsed, field), tz, field), field)
    try:
        return limits.check_moment(parsed.astimezone(UTC), field)
    except OverflowError:
        raise limits.outside(field, f"'{raw}'") from None


def parse_date(text: str, *, field: str) -> date:
    """Parse an ISO date (YYYY-MM-DD); raise InvalidInput naming ``field``."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(field, f"cannot read '{text}' as a date; use YYYY-MM-DD") from None
    return limits.check_date(day, field)


def iso_local(moment: datetime | None, tz: ZoneInfo) -> str | None:
    """An instant as ISO 8601 in the household's zone, with its offset (seconds kept only if set)."""
    if moment is None:
        return None
    local = moment.astimezone(tz)
    return local.isoformat(timespec="seconds")
