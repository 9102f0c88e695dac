"""Reading web forms into the services' inputs (parsing only: the rules stay in the services)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from letdown.domain import limits
from letdown.domain.choices import Units
from letdown.domain.coach import default_minutes
from letdown.domain.errors import InvalidInput
from letdown.domain.sessions import MAX_MINUTES
from letdown.domain.timeparse import parse_time
from letdown.domain.units import ml_to_oz, oz_to_ml
from letdown.services.log.sessions import SessionInput, SessionView

VOLUME_FIELDS = (("left", "left_ml"), ("right", "right_ml"), ("passive", "passive_ml"))


def number(text: str | None, field: str) -> float | None:
    """A number typed in a form (a comma is read as a decimal point); empty means not given."""
    raw = (text or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        float(raw)
    except ValueError:
        raise InvalidInput(field, f"must be a number, got '{raw}'") from None
    return limits.finite(raw, field)


def volume_ml(text: str | None, units: Units, field: str) -> float | None:
    value = number(text, field)
    if value is None:
        return None
    return oz_to_ml(value) if units is Units.OZ else value


def volume_text(ml: float, units: Units) -> str:
    """A stored volume as a form field's value, in the household's unit."""
    return f"{ml_to_oz(ml):.2f}".rstrip("0").rstrip(".") if units is Units.OZ else f"{ml:g}"


def parse_units(text: str | None, default: Units) -> Units:
    try:
        return Units((text or default.value).strip().lower())
    except ValueError:
        raise InvalidInput("unit", f"unknown unit '{text}'; choose ml or oz") from None


def session_input(form: dict[str, str], *, tz: ZoneInfo, now: datetime, default_units: Units) -> SessionInput:
    """A session from the log form. Let-downs are typed as minutes into the session (``2, 9``)."""
    raw = SessionInput()
    raw.start = form.get("start", "").strip()
    raw.minutes = number(form.get("minutes"), "minutes")
    raw.method = form.get("method", "")
    units = parse_units(form.get("unit"), default_units)
    for name, attr in VOLUME_FIELDS:
        setattr(raw, attr, volume_ml(form.get(name), units, attr))
    comfort = form.get("comfort", "").strip()
    raw.comfort = comfort or None
    raw.note = form.get("note", "")
    # Commas, semicolons, spaces or one field per let-down (a phone's number pad has no comma).
    marks = [m for m in re.split(r"[,;\s]+", form.get("let_downs", "")) if m.strip()]
    if marks and raw.start:
        start = parse_time(raw.start, field="started_at", now=now, tz=tz)
        times = []
        for mark in marks:
            minutes = number(mark, "let_downs")
            if minutes is None or not 0 <= minutes <= MAX_MINUTES:
                raise InvalidInput("let_downs", f"give minutes into the session, like 2, 9; got '{mark}'")
            times.append((start + timedelta(minutes=minutes)).isoformat())
        raw.let_downs = times
    else:
        raw.let_downs = []
    return raw


def session_form(view: SessionView | None, *, tz: ZoneInfo, now: datetime, units: Units) -> dict[str, Any]:
    """The log form's values: a session being edited, or a new one that ended just now."""
    if view is None:
        # The short end of the cited hand-expression session length (coach.yaml, llli-marmet).
        minutes = default_minutes("practised")
        start = (now - timedelta(minutes=minutes)).astimezone(tz)
        return {
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "minutes": str(minutes),
            "method": "hand",
            "unit": units.value,
        }

    def shown(ml: float | None) -> str:
        return "" if ml is None else volume_text(ml, units)

    marks = [f"{(t - view.started_at) / timedelta(minutes=1):g}" for t in view.let_downs]
    return {
        "start": view.started_at.astimezone(tz).strftime("%Y-%m-%dT%H:%M"),
        "minutes": f"{view.minutes:g}",
        "method": view.method.value,
        "unit": units.value,
        "left": shown(view.left_ml),
        "right": shown(view.right_ml),
        "passive": shown(view.passive_ml),
        "let_downs": ", ".join(marks),
        "comfort": "" if view.comfort is None else str(view.comfort),
        "note": view.note or "",
    }
