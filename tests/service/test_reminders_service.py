"""Reminders on a real database: the household's intervals, what is due, stash deadlines."""

from __future__ import annotations

from datetime import timedelta

import pytest

from letdown.domain.errors import InvalidInput
from letdown.services.schedule import reminders
from letdown.services.stash import containers as stash
from tests.factories import make_session


def test_defaults_until_the_household_sets_its_own(db, household, now):
    plan = reminders.get_plan(db, household.id)
    assert (plan.day_minutes, plan.night_gap_minutes, plan.day_is_default) == (180, 300, True)
    plan = reminders.set_intervals(db, household.id, now=now, day_minutes=150, night_gap_minutes=270)
    assert (plan.day_minutes, plan.night_gap_minutes, plan.day_is_default, plan.night_is_default) == (
        150,
        270,
        False,
        False,
    )
    plan = reminders.set_intervals(db, household.id, now=now, reset=True)
    assert (plan.day_minutes, plan.night_gap_minutes) == (180, 300)


def test_a_night_gap_shorter_than_the_day_interval_is_refused(db, household, now):
    with pytest.raises(InvalidInput) as caught:
        reminders.set_intervals(db, household.id, now=now, day_minutes=240, night_gap_minutes=120)
    assert str(caught.value) == (
        "night_gap: the longest night gap (120 minutes) must be at least the day interval (240 minutes)"
    )
    assert reminders.get_plan(db, household.id).day_is_default


def test_due_follows_the_last_session_and_lists_stash_deadlines(db, household, now):
    make_session(db, household.id, now, start=(now - timedelta(hours=1)).isoformat())
    fridge = stash.add(
        db,
        household.id,
        ml=90,
        expressed_at=(now - timedelta(days=3, hours=12)).isoformat(),
        location="fridge",
        now=now,
    )
    stash.add(
        db,
        household.id,
        ml=90,
        expressed_at=(now - timedelta(hours=1)).isoformat(),
        location="freezer",
        now=now,
    )

    view = reminders.due(db, household.id, now=now)

    assert view.next_due == now + timedelta(hours=2) and not view.overdue
    assert [(d.container_id, d.kind) for d in view.deadlines] == [(fridge.id, "use-by")]
    assert view.deadlines[0].at == now + timedelta(hours=12)


def test_today_progress_for_the_home_page(db, household, now):
    for hours in (1, 4, 7):
        make_session(db, household.id, now, start=(now - timedelta(hours=hours)).isoformat(), method="pump")
    progress = reminders.today_progress(db, household.id, now=now)
    assert (progress.sessions, progress.target_min, progress.target_max) == (3, 8, 10)
    assert progress.as_json()["target"] == {"min": 8, "max": 10, "hours": 24}
