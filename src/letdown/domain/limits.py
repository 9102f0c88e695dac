"""Input limits, defined once: every interface (API schemas, web forms, CLI, import) imports them.

These are sanity bounds on what a person or a program may send, not health guidance: they turn
typos, hostile input and values the database or the calendar cannot hold into a clear refusal
(``InvalidInput``: CLI exit 2, HTTP 422) instead of a crash.

- Numbers must be finite (no NaN, no infinity) and inside the range the field names.
- Times and dates must fall in ``EARLIEST`` .. ``LATEST`` (UTC): wide enough for any birth date
  and any real session, narrow enough that arithmetic around them (a week before, a day after,
  a time zone's offset) never leaves the calendar.
- Text must not hold a NUL character (PostgreSQL cannot store it) or a lone UTF-16 surrogate
  (not a character: it cannot be encoded as UTF-8), nor other control characters but tab and
  line breaks.
- Request bodies and JSON documents are bounded in size and nesting.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from letdown.domain.errors import InvalidInput

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
EARLIEST_DATE = EARLIEST.date()
LATEST_DATE = (LATEST - timedelta(days=1)).date()
WINDOW_TEXT = f"from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"

# A relative time (``-30m``, ``-2d``) reaches at most this far from now.
MAX_RELATIVE = LATEST - EARLIEST

# Daily figures (stats) look back at most this many days, today included: ten years.
MAX_STATS_DAYS = 3660

# A storage limit the baby's unit gave (custom profile) counts at most this many of its unit
# (hours, days or months): a sanity bound that keeps the number storable, not guidance.
MAX_STORAGE_AMOUNT = 1000

# Bodies: JSON routes and forms, and the larger export files /api/v1/import reads.
MAX_BODY_BYTES = 1024 * 1024
MAX_IMPORT_BYTES = 32 * 1024 * 1024
MAX_JSON_DEPTH = 32

# Emails: RFC 5321 caps the address at 254 characters and the local part at 64.
MAX_EMAIL = 254
MAX_EMAIL_LOCAL = 64
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@"
    r"(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)

# Characters refused in text: C0 controls but tab, line feed and carriage return; DEL; and the
# C1 controls. Lone surrogates are checked apart (they are not characters at all).
# (Lone surrogates are left out of the patterns below: a regular expression engine working on
# Unicode scalar values cannot name them, and UTF-8 or generated text cannot hold them.)
_REFUSED_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Storable text as a regular expression (for the OpenAPI document): none of the refused characters.
STORABLE_PATTERN = rf"^[^{_REFUSED_CHARS}]*$"
#: Storable text with at least one character that is not a space.
STORABLE_WORDS_PATTERN = rf"^[^{_REFUSED_CHARS}]*[^{_REFUSED_CHARS}\s][^{_REFUSED_CHARS}]*$"


def finite(value: Any, field: str, *, low: float | None = None, high: float | None = None) -> float:
    """``value`` as a finite float inside ``low`` .. ``high`` (either may be None), or InvalidInput."""
    if isinstance(value, bool):
        raise InvalidInput(field, f"must be a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInput(field, f"must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise InvalidInput(field, f"must be a finite number, got {value!r}")
    if low is not None and number < low:
        raise InvalidInput(field, f"must be {low:g} or more, got {number:g}")
    if high is not None and number > high:
        raise InvalidInput(field, f"must be at most {high:g}, got {number:g}")
    return number


def whole(value: Any, field: str, *, low: int, high: int) -> int:
    """``value`` as a whole number inside ``low`` .. ``high``, or InvalidInput."""
    number = finite(value, field)
    if not number.is_integer():
        raise InvalidInput(field, f"must be a whole number from {low} to {high}, got {value!r}")
    if not low <= number <= high:
        raise InvalidInput(field, f"must be a whole number from {low} to {high}, got {int(number)}")
    return int(number)


def outside(field: str, shown: str) -> InvalidInput:
    """The refusal of a time or date outside the window, naming the field and the window."""
    return InvalidInput(field, f"{shown} is outside the dates letdown accepts ({WINDOW_TEXT})")


def zone_place(zone: tzinfo) -> str:
    """A zone as people say it: ``America/Los_Angeles`` → ``Los Angeles``."""
    key = getattr(zone, "key", None) or str(zone)
    return key.rsplit("/", 1)[-1].replace("_", " ")


def later_than_now(at: datetime, now: datetime, zone: tzinfo) -> str:
    """The plain words for a time after now, both shown on the household's clock (a phone in
    another zone, or a time typed with its own offset, reads differently)."""
    here, clock = at.astimezone(zone), now.astimezone(zone)
    fmt = "%H:%M" if here.date() == clock.date() else "%d %b %H:%M"
    key = getattr(zone, "key", None) or str(zone)
    return (
        f"That time ({here:{fmt}} {zone_place(zone)} time) is later than now ({clock:{fmt}}). "
        f"Times here are in the household's zone, {key}."
    )


def check_moment(moment: datetime, field: str) -> datetime:
    """An aware instant inside the window, or InvalidInput naming the field and the window."""
    if not EARLIEST <= moment < LATEST:
        raise outside(field, moment.date().isoformat())
    return moment


_NAIVE_FIRST = EARLIEST.replace(tzinfo=None) + timedelta(days=1)
_NAIVE_LAST = LATEST.replace(tzinfo=None) - timedelta(days=1)


def check_naive(moment: datetime, field: str) -> datetime:
    """A wall-clock time (any zone) inside the window, with a day's margin for the zone's offset."""
    if not _NAIVE_FIRST <= moment < _NAIVE_LAST:
        raise outside(field, moment.date().isoformat())
    return moment


def check_date(day: date, field: str) -> date:
    """A calendar day inside the window (a week's margin so ranges around it stay in the calendar)."""
    if not EARLIEST_DATE + timedelta(days=7) <= day <= LATEST_DATE - timedelta(days=7):
        raise outside(field, day.isoformat())
    return day


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None when it can."""
    if "\x00" in text:
        return "contains a NUL character (\\0), which cannot be stored"
    if _SURROGATE.search(text):
        return "contains an invalid character (a lone UTF-16 surrogate); check the text's encoding"
    found = _CONTROL.search(text)
    if found:
        return f"contains a control character (U+{ord(found.group()):04X}), which cannot be stored"
    return None


def clean_text(text: str, field: str) -> str:
    """``text`` unchanged when it can be stored, else InvalidInput naming the field."""
    problem = text_problem(text)
    if problem:
        raise InvalidInput(field, problem)
    return text


def clean_name(text: str, field: str = "name", *, most: int = 200) -> str:
    """A name (household, baby, link, token): trimmed, 1 to ``most`` characters, storable."""
    cleaned = clean_text(text, field).strip()
    if not cleaned:
        raise InvalidInput(field, "must not be empty")
    if len(cleaned) > most:
        raise InvalidInput(field, f"is {len(cleaned)} characters; the most is {most}")
    return cleaned


def email_address(text: str) -> str:
    """An email address, trimmed and lower-cased; InvalidInput unless it is a plain address
    (ASCII, no spaces or control characters, a dotted domain, RFC 5321 lengths)."""
    email = text.strip(" ").lower()  # spaces around are a slip; any other character counts
    shown = text.strip(" ")[:80].encode("unicode_escape", "backslashreplace").decode("ascii")
    local = email.rpartition("@")[0]
    if (
        len(email) > MAX_EMAIL
        or len(local) > MAX_EMAIL_LOCAL
        or not email.isascii()
        or not _EMAIL.match(email)
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
    ):
        raise InvalidInput("email", f"'{shown}' is not an email address")
    return email


def json_problem(data: Any, max_depth: int = MAX_JSON_DEPTH) -> tuple[str, str] | None:
    """(where, why) for the first thing in a parsed JSON document that cannot be taken in:
    nesting deeper than ``max_depth``, or a key or string that is not storable text."""
    stack: list[tuple[Any, str, int]] = [(data, "", 1)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > max_depth:
                return where or "body", f"is nested more than {max_depth} levels deep"
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, value in pairs:
                if isinstance(key, str):
                    problem = text_problem(key)
                    if problem:
                        return f"{where}.{key!r}".lstrip("."), f"a key {problem}"
                stack.append((value, f"{where}.{key}".lstrip("."), depth + 1))
        elif isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return where or "body", problem
    return None
