"""The log form's default session length comes from the coach's cited data, not a literal."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from letdown.domain.choices import Units
from letdown.domain.coach import coach_data, default_minutes
from letdown.web.forms import session_form


def test_a_new_log_form_lasts_the_short_end_of_the_cited_session_length():
    values = session_form(
        None, tz=ZoneInfo("Europe/London"), now=datetime(2026, 11, 25, 12, 0, tzinfo=UTC), units=Units.ML
    )
    assert (
        values["minutes"]
        == str(default_minutes("practised"))
        == str(min(coach_data().figure("session_minutes")))
    )
    assert values["start"] == "2026-11-25T11:40"
