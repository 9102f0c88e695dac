"""The reminder rules: cited figures, when the next session is due, today's progress."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from letdown.domain import reminders as r
from letdown.domain.choices import FeedingMode
from letdown.domain.errors import InvalidInput
from letdown.guidance.library import facts, read_yaml, sources

LONDON = ZoneInfo("Europe/London")
T = r.targets()
EXCLUSIVE = FeedingMode.EXCLUSIVE


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
        [(s, "pump") for s in starts],
        now=now,
        tz=LONDON,
        baby_age_days=30,
        p=r.plan(None, None, T, EXCLUSIVE),
        t=T,
        mode=EXCLUSIVE,
    )
    assert (p.sessions, p.target_min, p.target_max, p.met, p.early_days) == (6, 8, 10, False, False)
    assert p.longest_gap_minutes == 240  # 16:00 to now
    assert p.sources == ("nhs-expressing",)


def _first_day(t=T, mode=FeedingMode.EXCLUSIVE, **dates):
    now = at("2026-11-25T23:00")
    starts = [at("2026-11-25T00:30") + timedelta(hours=2.5 * k) for k in range(9)]
    return r.progress(
        [(s, "hand") for s in starts[:5]] + [(s, "pump") for s in starts[5:]],
        now=now,
        tz=LONDON,
        baby_age_days=1,
        p=r.plan(None, None, T, mode),
        t=t,
        mode=mode,
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


# --- how the household feeds decides targets vs information (issue 10, section 4) -------------

MODES = [None, *FeedingMode]


def _day(count, mode, *, baby_age_days=30, **dates):
    now = at("2026-11-25T23:00")
    starts = [at("2026-11-25T00:30") + timedelta(hours=2.5 * k) for k in range(count)]
    return r.progress(
        [(s, "hand") for s in starts],
        now=now,
        tz=LONDON,
        baby_age_days=baby_age_days,
        p=r.plan(None, None, T, mode),
        t=T,
        mode=mode,
        **dates,
    )


@pytest.mark.parametrize(
    ("mode", "count", "met", "note"),
    [
        (
            FeedingMode.EXCLUSIVE,
            9,
            True,
            "Target (you said your baby does not feed at the breast): 8-10 times",
        ),
        (
            FeedingMode.EXCLUSIVE,
            3,
            False,
            "Target (you said your baby does not feed at the breast): 8-10 times",
        ),
        (FeedingMode.PARTLY, 3, None, "For information, not a target (your baby also feeds at the breast)"),
        (FeedingMode.PARTLY, 9, None, "For information, not a target (your baby also feeds at the breast)"),
        (
            FeedingMode.OCCASIONAL,
            1,
            None,
            "For information, not a target (your baby also feeds at the breast)",
        ),
        (None, 2, None, "For information, not a target (you have not said how your baby feeds)"),
    ],
)
def test_the_figures_are_targets_only_when_exclusively_expressing(mode, count, met, note):
    p = _day(count, mode)
    assert p.met is met
    assert p.targets_apply is (mode is FeedingMode.EXCLUSIVE)
    assert p.note.startswith(note) and p.note.endswith("[nhs-expressing]")
    body = p.as_json()
    assert body["met"] is met and body["targets_apply"] is p.targets_apply
    assert body["rule"]["feeding_mode"] == (mode.value if mode else None)
    assert body["rule"]["source"] == "nhs-expressing" and body["rule"]["reads"]
    assert body["rule"]["ours"] is (mode is not FeedingMode.EXCLUSIVE)


def test_every_feeding_mode_has_a_rule_in_the_data_and_readings_where_the_source_is_silent_are_ours():
    rows = read_yaml("reminders.yaml")["feeding_modes"]
    assert set(rows) == {*(m.value for m in FeedingMode), "unset"}
    for mode, row in rows.items():
        assert row["source"] in sources() and row["reads"], mode
        assert row["targets"] is (mode == "exclusive"), mode
        assert bool(row.get("ours")) is (mode != "exclusive"), mode


@pytest.mark.parametrize(
    ("mode", "own", "day"),
    [
        (FeedingMode.EXCLUSIVE, None, 180),
        (None, None, 180),  # not said: reminders keep the default they had, as information
        (FeedingMode.PARTLY, None, None),
        (FeedingMode.OCCASIONAL, None, None),
        (FeedingMode.PARTLY, 240, 240),  # the household's own interval is always kept
        (FeedingMode.OCCASIONAL, 360, 360),
    ],
)
def test_a_household_whose_baby_feeds_at_the_breast_gets_no_default_interval(mode, own, day):
    p = r.plan(own, None, T, mode)
    assert p.day_minutes == day and p.feeding_mode == mode
    ahead = r.upcoming(at("2026-11-25T09:00"), p, now=at("2026-11-25T10:00"), tz=LONDON, t=T)
    assert (ahead == []) is (day is None)


def test_the_early_days_hand_figure_is_a_target_only_when_exclusively_expressing_too():
    dates = {"birth_date": date(2026, 11, 24), "due_date": date(2027, 1, 27)}  # born before 31 weeks
    assert _day(9, FeedingMode.EXCLUSIVE, baby_age_days=1, **dates).early_hand_target
    for mode in (None, FeedingMode.PARTLY, FeedingMode.OCCASIONAL):
        p = _day(9, mode, baby_age_days=1, **dates)
        assert p.early_days and not p.early_hand_target and p.met is None, mode
        assert "morton-2009" not in p.sources


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "sometimes",
            "feeding_mode: unknown feeding mode 'sometimes'; choose one of exclusive, partly, occasional",
        ),
        (
            "x" * 500,
            "feeding_mode: unknown feeding mode '"
            + "x" * 40
            + "'; choose one of exclusive, partly, occasional",
        ),
        (
            "exclusive\x00",
            "feeding_mode: unknown feeding mode 'exclusive\x00'; choose one of exclusive, partly, occasional",
        ),
        (3, "feeding_mode: must be one of exclusive, partly, occasional, got 3"),
    ],
)
def test_a_bad_feeding_mode_is_refused_naming_it(value, message):
    with pytest.raises(InvalidInput) as caught:
        r.parse_feeding_mode(value)
    assert str(caught.value) == message


def test_a_feeding_mode_is_read_whatever_its_case_and_empty_means_not_said():
    assert r.parse_feeding_mode(" Partly ") is FeedingMode.PARTLY
    assert r.parse_feeding_mode("") is None and r.parse_feeding_mode(None) is None


@settings(max_examples=80, deadline=None)
@given(
    mode=st.sampled_from(MODES),
    offsets=st.lists(st.integers(min_value=0, max_value=48 * 60), max_size=30),
    age=st.one_of(st.none(), st.integers(min_value=-30, max_value=400)),
    own=st.one_of(st.none(), st.integers(min_value=60, max_value=12 * 60)),
)
def test_property_only_an_exclusively_expressing_household_is_ever_judged_against_the_figures(
    mode, offsets, age, own
):
    now = at("2026-11-25T23:00")
    history = [(now - timedelta(minutes=m), "hand") for m in offsets]
    plan = r.plan(own, None, T, mode)
    p = r.progress(
        history,
        now=now,
        tz=LONDON,
        baby_age_days=age,
        p=plan,
        t=T,
        mode=mode,
        birth_date=date(2026, 11, 24),
        due_date=date(2027, 2, 1),
    )
    if mode is FeedingMode.EXCLUSIVE:
        assert p.met in (True, False) and p.note.startswith("Target")
    else:
        assert p.met is None and not p.early_hand_target
        assert p.note.startswith("For information, not a target") and "[nhs-expressing]" in p.note
    if own is not None:
        assert plan.day_minutes == own
    elif mode in (FeedingMode.PARTLY, FeedingMode.OCCASIONAL):
        assert plan.day_minutes is None
        assert r.upcoming(history[0][0] if history else None, plan, now=now, tz=LONDON, t=T) == []


def test_hours_and_minutes_have_one_format():
    from letdown.domain.schedule import hours_minutes

    assert [hours_minutes(m) for m in (None, 0, 5, 59, 60, 125, 24 * 60)] == [
        "-",
        "0 h 00 min",
        "0 h 05 min",
        "0 h 59 min",
        "1 h 00 min",
        "2 h 05 min",
        "24 h 00 min",
    ]
    assert [hours_minutes(m, whole_hours=True) for m in (180, 170)] == ["3 h", "2 h 50 min"]
