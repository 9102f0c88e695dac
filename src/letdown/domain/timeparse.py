"""Reading the times people type: ISO 8601 (with or without an offset), ``now``, ``-30m``.

A time with an offset means that instant; a time without one is read in the household's
time zone. Everything returned is an aware datetime in UTC. No clock here: ``now`` is passed in.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
    """Attach ``tz`` to a wall-clock time and return the UTC instant."""
    return naive.replace(tzinfo=tz).astimezone(UTC)


def parse_time(text: str, *, field: str, now: datetime, tz: ZoneInfo) -> datetime:
    """Parse a user's time into an aware UTC datetime; raise InvalidInput naming ``field``."""
    raw = text.strip()
    if not raw:
        raise InvalidInput(field, "a time is required")
    if raw.lower() == "now":
        return now.astimezone(UTC)
    rel = _RELATIVE.match(raw)
    if rel and any(rel.group(k) for k in ("d", "h", "m")):
        delta = timedelta(
            days=int(rel.group("d") or 0),
            hours=int(rel.group("h") or 0),
            minutes=int(rel.group("m") or 0),
        )
        return (now + delta if rel.group("sign") == "+" else now - delta).astimezone(UTC)
    candidate = raw.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", raw) else raw
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        raise InvalidInput(field, f"cannot read '{text}' as a time; use {TIME_HELP}") from None
    if parsed.tzinfo is None:
        return localize(parsed, tz)
    return parsed.astimezone(UTC)


def parse_date(text: str, *, field: str) -> date:
    """Parse an ISO date (YYYY-MM-DD); raise InvalidInput naming ``field``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(field, f"cannot read '{text}' as a date; use YYYY-MM-DD") from None


def iso_local(moment: datetime | None, tz: ZoneInfo) -> str | None:
    """An instant as ISO 8601 in the household's zone, with its offset (seconds kept only if set)."""
    if moment is None:
        return None
    local = moment.astimezone(tz)
    return local.isoformat(timespec="seconds")
