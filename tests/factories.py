"""Factories for tests: ``make_x(**overrides)`` with sensible defaults."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from letdown.services.log import sessions
from letdown.services.log.sessions import SessionInput


def session_input(now: datetime, **overrides: Any) -> SessionInput:
    start = overrides.pop("start", (now - timedelta(hours=1)).isoformat())
    values: dict[str, Any] = {
        "start": start,
        "minutes": 20,
        "method": "hand",
        "left_ml": 30.0,
        "right_ml": 25.0,
        "let_downs": [],
    }
    values.update(overrides)
    raw = SessionInput()
    for key, value in values.items():
        setattr(raw, key, value)
    return raw


def make_session(db: Any, household_id: str, now: datetime, **overrides: Any) -> sessions.SessionView:
    return sessions.create(db, household_id, session_input(now, **overrides), now=now)
