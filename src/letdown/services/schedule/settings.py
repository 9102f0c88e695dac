"""The household's settings, one owner: the session (day) interval and the longest night gap,
whether the log is shared with members, and how the baby feeds.

Every write is checked before anything is written and committed once, so a refusal changes
nothing. The rule across fields (the night gap is at least the day interval) is the domain's
(``domain/reminders.check_gap_against_day``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from letdown.domain import reminders as reminder_rules
from letdown.domain import schedule
from letdown.domain.choices import FeedingMode
from letdown.services.accounts import households
from letdown.store.models import HouseholdSettings


class _Keep:
    """``save_session_settings(feeding_mode=KEEP)``: leave how the baby feeds as it is."""


KEEP = _Keep()
# --- the settings row ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingsView:
    share_log: bool
    session_interval_minutes: int | None
    feeding_mode: FeedingMode | None = None  # None: not said yet


def _view(row: HouseholdSettings) -> SettingsView:
    mode = reminder_rules.parse_feeding_mode(row.feeding_mode)
    return SettingsView(row.share_log, row.session_interval_minutes, mode)


def get_settings(db: Session, household_id: str) -> SettingsView:
    row = db.get(HouseholdSettings, household_id)
    if row is None:
        return SettingsView(False, None)
    return _view(row)


def feeding_mode(db: Session, household_id: str) -> FeedingMode | None:
    """How the household said its baby feeds (None: not said)."""
    return get_settings(db, household_id).feeding_mode


def set_feeding_mode(
    db: Session, household_id: str, mode: FeedingMode | str | None, *, now: datetime
) -> SettingsView:
    """Say how the baby feeds (None or empty: not said). Checked before anything is written."""
    households.get(db, household_id)
    parsed = reminder_rules.parse_feeding_mode(mode)
    row = settings_row(db, household_id, now=now)
    row.feeding_mode = parsed.value if parsed is not None else None
    db.commit()
    return _view(row)


def settings_row(db: Session, household_id: str, *, now: datetime) -> HouseholdSettings:
    """The household's settings row, added (not committed) if it has none yet."""
    row = db.get(HouseholdSettings, household_id)
    if row is None:
        row = HouseholdSettings(household_id=household_id, share_log=False, updated_at=now)
        db.add(row)
    row.updated_at = now
    return row


def update_settings(
    db: Session,
    household_id: str,
    *,
    now: datetime,
    share_log: bool | None = None,
    session_interval_minutes: int | None = None,
    clear_interval: bool = False,
) -> SettingsView:
    households.get(db, household_id)
    interval = None if clear_interval else schedule.validate_interval(session_interval_minutes)
    row = settings_row(db, household_id, now=now)
    if share_log is not None:
        row.share_log = share_log
    if clear_interval:
        row.session_interval_minutes = None
    elif interval is not None:
        row.session_interval_minutes = interval
    db.commit()
    return _view(row)


def save_session_settings(
    db: Session,
    household_id: str,
    *,
    now: datetime,
    day_minutes: int | None,
    night_gap_minutes: int | None,
    share_log: bool,
    feeding_mode: FeedingMode | str | None | _Keep = KEEP,
) -> SettingsView:
    """The settings form's session part in one go: an interval left empty (None) goes back to
    the cited default (``services/reminders``), whether the log is shared, and how the baby
    feeds (empty: not said; ``KEEP``, the default, leaves it). Every value is checked before
    anything is written, and all of it is one commit: a refusal changes nothing."""
    mode = None if isinstance(feeding_mode, _Keep) else reminder_rules.parse_feeding_mode(feeding_mode)

    stage_intervals(
        db,
        household_id,
        now=now,
        day_minutes=day_minutes,
        night_gap_minutes=night_gap_minutes,
        clear_day=day_minutes is None,
        clear_night=night_gap_minutes is None,
    )
    row = settings_row(db, household_id, now=now)
    row.share_log = share_log
    if not isinstance(feeding_mode, _Keep):
        row.feeding_mode = mode.value if mode is not None else None
    db.commit()
    return _view(row)


def stage_intervals(
    db: Session,
    household_id: str,
    *,
    now: datetime,
    day_minutes: int | None = None,
    night_gap_minutes: int | None = None,
    clear_day: bool = False,
    clear_night: bool = False,
) -> None:
    """Check both intervals, then write them without committing (the caller commits once), so a
    refused value changes nothing. ``clear_day``/``clear_night`` go back to the default."""
    households.get(db, household_id)
    day = None if clear_day else schedule.validate_interval(day_minutes)
    gap = None if clear_night else reminder_rules.validate_night_gap(night_gap_minutes)
    if gap is not None:
        current = db.get(HouseholdSettings, household_id)
        kept = current.session_interval_minutes if current is not None else None
        reminder_rules.check_gap_against_day(gap, None if clear_day else day if day is not None else kept)
    if clear_day or day is not None:
        settings_row(db, household_id, now=now).session_interval_minutes = day
    if clear_night or gap is not None:
        settings_row(db, household_id, now=now).night_gap_minutes = gap
