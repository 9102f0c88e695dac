"""The reminder rules: cited figures, when the next session is due, today's progress."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from letdown.domain import reminders as r
from letdown.domain.errors import InvalidInput
from letdown.guidance.library import facts, read_yaml, sources

LONDON = ZoneInfo("Europe/London")
T = r.targets()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_every_reminder_figure_is_a_number_of_its_cited_fact():
    for row in read_yaml("reminders.yaml")["targets"]:
        fact = facts()[row["fact"]]
        assert row["source"] == fact.source and row["source"] in sources()
        for key, value in row.items():
            if isinstance(value, int | float) and not isinstance(value, bool) and key != "from_hour":
                assert float(value) in fact.numbers, (row["id"], key, value)


def test_defaults_come_from_the_guidance():
    assert (T.per_day_min, T.per_day_max, T.night_gap_hours) == (8, 10, 5)
    assert T.default_interval_minutes == 180  # 24 h over 8 sessions
    assert T.default_night_gap_minutes == 300
    assert (T.night_from_hour, T.night_to_hour) == (0, 6)
    assert (T.early_days, T.early_hand_more_than, T.early_born_before_weeks) == (3, 5, 31)


def test_the_next_session_is_the_day_interval_after_the_last_start():
    plan = r.plan(None, None, T)
    assert r.next_after(at("2026-11-25T10:00"), plan, LONDON, T) == at("2026-11-25T13:00")


def test_when_the_day_interval_lands_in_the_night_the_night_gap_applies():
    plan = r.plan(None, None, T)
    assert r.next_after(at("2026-11-25T23:30"), plan, LONDON, T) == at("2026-11-26T04:30")


def test_the_night_gap_is_never_shorter_than_the_day_interval():
    plan = r.plan(240, 120, T)
    assert plan.night_gap_minutes == 240


def test_upcoming_counts_on_from_now_when_overdue():
    plan = r.plan(None, None, T)
    now = at("2026-11-25T12:00")
    ahead = r.upcoming(at("2026-11-25T07:00"), plan, now=now, tz=LONDON, t=T, hours=7)
    assert ahead == [at("2026-11-25T10:00"), at("2026-11-25T15:00"), at("2026-11-25T18:00")]


def test_with_no_session_yet_the_first_is_due_now():
    now = at("2026-11-25T12:00")
    assert r.upcoming(None, r.plan(None, None, T), now=now, tz=LONDON, t=T, hours=1)[0] == now


@pytest.mark.parametrize(
    ("text", "minutes"), [("3h", 180), ("2h30m", 150), ("90m", 90), ("45", 45), ("1h 5min", 65)]
)
def test_durations_read_as_minutes(text, minutes):
    assert r.parse_minutes(text, "every") == minutes


def test_a_bad_duration_names_the_value():
    with pytest.raises(InvalidInput) as caught:
        r.parse_minutes("soon", "every")
    assert str(caught.value) == "every: cannot read 'soon' as a duration; use 3h, 2h30m or 90m"


def test_a_night_gap_out_of_range_is_refused():
    with pytest.raises(InvalidInput) as caught:
        r.validate_night_gap(20 * 60)
    assert str(caught.value) == "night_gap: must be from 1 to 12 hours, got 1200 minutes"


def test_progress_counts_todays_local_sessions_against_8_to_10():
    now = at("2026-11-25T20:00")
    starts = [at("2026-11-24T23:30")] + [at("2026-11-25T01:00") + timedelta(hours=3 * k) for k in range(6)]
    p = r.progress(
        [(s, "pump") for s in starts], now=now, tz=LONDON, baby_age_days=30, p=r.plan(None, None, T), t=T
    )
    assert (p.sessions, p.target_min, p.target_max, p.met, p.early_days) == (6, 8, 10, False, False)
    assert p.longest_gap_minutes == 240  # 16:00 to now
    assert p.sources == ("nhs-expressing",)


def _first_day(t=T, **dates):
    now = at("2026-11-25T23:00")
    starts = [at("2026-11-25T00:30") + timedelta(hours=2.5 * k) for k in range(9)]
    return r.progress(
        [(s, "hand") for s in starts[:5]] + [(s, "pump") for s in starts[5:]],
        now=now,
        tz=LONDON,
        baby_age_days=1,
        p=r.plan(None, None, T),
        t=t,
        **dates,
    )


def test_in_the_first_days_hand_expression_is_a_target_for_a_baby_born_before_31_weeks():
    # Born 64 days (9 weeks and a day) before the due date: before 31 weeks by letdown's reading.
    p = _first_day(birth_date=date(2026, 11, 24), due_date=date(2027, 1, 27))
    assert p.early_days and p.early_hand_target and p.hand_sessions == 5
    assert not p.met  # more than 5 by hand are needed
    assert "morton-2009" in p.sources
    assert p.as_json()["early_hand_more_than"] == 5


def test_for_other_babies_the_early_days_figure_is_information_not_a_target():
    for dates in (
        {},  # dates unknown
        {"birth_date": date(2026, 11, 24), "due_date": None},
        {"birth_date": date(2026, 11, 24), "due_date": date(2026, 11, 30)},  # term
        {"birth_date": date(2026, 11, 24), "due_date": date(2027, 1, 26)},  # 63 days: 31 weeks
    ):
        p = _first_day(**dates)
        assert p.early_days and not p.early_hand_target, dates
        assert p.met, dates  # 9 sessions: the target of 8-10 is met, whatever was by hand
        assert p.sources == ("nhs-expressing",)
        assert p.as_json()["early_hand_more_than"] is None


def test_the_preterm_reading_is_in_the_data_and_marked_as_ours():
    row = next(row for row in read_yaml("reminders.yaml")["targets"] if row["id"] == "early-days-hand")
    assert row["born_before_weeks"] in facts()[row["fact"]].numbers
    reading = row["preterm_reading"]
    assert reading["ours"] is True and reading["reads"]
    assert T.early_preterm_weeks_before_due == reading["born_more_than_weeks_before_due"]
    stricter = replace(T, early_preterm_weeks_before_due=12)
    assert not _first_day(
        stricter, birth_date=date(2026, 11, 24), due_date=date(2027, 1, 27)
    ).early_hand_target


def test_the_guidance_texts_are_built_from_the_data():
    assert T.frequency_text() == (
        "8-10 times in 24 hours including at night, no night gap over 5 hours [nhs-expressing]"
    )
    assert T.early_hand_text().startswith("mothers of babies born before 31 weeks who hand expressed")
    assert T.early_hand_text().endswith("[morton-2009]")
