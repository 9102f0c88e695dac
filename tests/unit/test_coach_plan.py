"""Coach plans: built from sourced guidance data, within the sources' timings, valid as graphs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from letdown.domain.coach import (
    BACK,
    EVENTS,
    KINDS,
    PlanOptions,
    build_plan,
    coach_data,
    plan_seconds,
    segments,
    stage_max_minutes,
)
from letdown.domain.errors import InvalidInput
from letdown.guidance import library

ALL_OPTIONS = [
    PlanOptions(stage=stage, experience=exp, minutes=minutes)
    for stage in ("antenatal", "early", "established")
    for exp in ("new", "practised")
    for minutes in (None, 1, 7, 40)
    if not (stage == "antenatal" and minutes == 40)  # refused before birth (see below)
]


def _prepare(plan):
    return next(s for s in plan["steps"] if s["id"] == "prepare")


def _numbers(value):
    return value if isinstance(value, list) else [value]


def test_every_figure_is_a_number_of_the_fact_it_names():
    facts = library.facts()
    for name, figure in coach_data().figures.items():
        fact = facts[figure.fact]
        for number in _numbers(figure.value):
            assert float(number) in fact.numbers, f"{name}: {number} is not in fact {fact.id}"
        assert figure.source in library.sources()


def test_every_setting_names_a_known_source_and_says_it_is_ours():
    for name, row in coach_data().settings.items():
        assert row["source"] in library.sources(), name
        assert row["ours"] is True, name
        assert row["reads"], name


@pytest.mark.parametrize("options", ALL_OPTIONS, ids=str)
def test_every_plan_is_a_valid_graph(options):
    plan = build_plan(options)
    ids = {s["id"] for s in plan["steps"]}
    assert len(ids) == len(plan["steps"])
    assert plan["start"] in ids
    for step in plan["steps"]:
        assert step["kind"] in KINDS
        assert step["title"] and step["cue"]
        assert "[" not in step["cue"] and "{" not in step["cue"], "cues are spoken: no citations or slots"
        if step["kind"] == "finish":
            assert step["duration_s"] is None and not step["transitions"]
        else:
            assert (step["duration_s"] is None) != (step["ends_on"] is None), step["id"]
        for event, target in step["transitions"].items():
            assert event in EVENTS
            assert target in ids or (target == BACK and step["returns"]), (step["id"], target)
        for source in step["sources"]:
            assert source in library.sources()
        for topic in step["topics"]:
            assert topic in library.topics()
    assert set(plan["global"].values()) <= ids


def test_every_checklist_item_cites_a_source_and_a_topic():
    for options in ALL_OPTIONS:
        prepare = _prepare(build_plan(options))
        for item in prepare["checklist"]:
            assert item["sources"] and all(s in library.sources() for s in item["sources"])
            assert item["topics"] and all(t in library.topics() for t in item["topics"])


@pytest.mark.parametrize("minutes", [1, 7, 10, 20, 25, 30, 33, 40])
def test_each_turn_on_a_breast_is_at_most_seven_minutes_the_marmet_round(minutes):
    low, high = coach_data().figure("round_minutes_per_breast")
    turns = segments(minutes)
    assert all(turn <= high * 60 for turn in turns)
    assert sum(turns) <= minutes * 60 / 2


def test_a_full_length_plan_uses_rounds_inside_the_marmet_range():
    low, high = coach_data().figure("round_minutes_per_breast")
    for minutes in (20, 30, 40):
        assert all(low * 60 <= turn <= high * 60 for turn in segments(minutes))


def test_each_side_gets_half_the_time_and_at_most_twenty_minutes():
    plan = build_plan(PlanOptions(minutes=40))
    for side in ("left", "right"):
        total = sum(s["duration_s"] for s in plan["steps"] if s["kind"] == "express" and s["side"] == side)
        assert total == 20 * 60


def test_sides_alternate_starting_left_and_the_last_turn_leads_to_the_finish():
    plan = build_plan(PlanOptions(minutes=30))
    turns = [s for s in plan["steps"] if s["kind"] == "express"]
    assert [s["side"] for s in turns] == ["left", "right"] * 3
    assert turns[-1]["transitions"]["timeout"] == "finish"
    for step, following in zip(turns, turns[1:], strict=False):
        switch = next(s for s in plan["steps"] if s["id"] == step["transitions"]["timeout"])
        assert switch["kind"] == "switch" and switch["transitions"]["timeout"] == following["id"]


def test_default_length_is_the_marmet_session_range_upper_end_for_new_and_lower_for_practised():
    assert build_plan(PlanOptions(experience="new"))["options"]["minutes"] == 30
    assert build_plan(PlanOptions(experience="practised"))["options"]["minutes"] == 20


def test_the_default_rhythm_is_a_press_of_about_two_seconds():
    plan = build_plan(PlanOptions())
    assert plan["rhythm_s"] == 2
    assert plan["figures"]["press_s"] == {"value": 2, "source": "nhs-hand-expression", "fact": "hand-c-shape"}
    assert all(s["rhythm_s"] == 2 for s in plan["steps"] if s["kind"] == "express")


def test_the_rhythm_option_sets_every_turn():
    plan = build_plan(PlanOptions(rhythm_s=3))
    assert all(s["rhythm_s"] == 3 for s in plan["steps"] if s["kind"] == "express")
    # The pulse presses 3 s and lets go 3 s: the words say the same rhythm (issue 12).
    assert "Press for 3 seconds, let go for 3, so one press every 6 seconds" in plan["steps"][2]["cue"]


def test_switch_side_goes_straight_to_the_change_of_side_but_not_from_the_last_side():
    plan = build_plan(PlanOptions(minutes=20))
    express = [s for s in plan["steps"] if s["kind"] == "express"]
    assert express[0]["transitions"]["switch-side"] == "switch-1"
    assert all("switch-side" in s["transitions"] for s in express[:-1])
    assert "switch-side" not in express[-1]["transitions"]
    assert all(s["cue_short"] and len(s["cue_short"]) <= len(s["cue"]) for s in express)


def test_a_new_parent_is_taught_the_c_hold_two_to_three_centimetres_back():
    first = build_plan(PlanOptions(experience="new"))["steps"][2]
    assert first["id"] == "express-left-1"
    assert "2 to 3 centimetres behind the nipple" in first["cue"]
    assert "nhs-hand-expression" in first["sources"]


def test_only_the_first_turn_waits_for_a_let_down_and_offers_stimulation():
    plan = build_plan(PlanOptions())
    waiting = [s["id"] for s in plan["steps"] if "let_down_wait_s" in s]
    assert waiting == ["express-left-1"]
    assert plan["steps"][2]["transitions"]["no-let-down"] == "stimulate-more"


def test_pain_anywhere_leads_to_the_adjust_step_which_says_it_should_feel_comfortable():
    plan = build_plan(PlanOptions())
    assert plan["global"]["pain"] == "adjust"
    adjust = next(s for s in plan["steps"] if s["id"] == "adjust")
    assert adjust["kind"] == "rest" and "should not hurt" in adjust["cue"]
    assert "when-to-call" in adjust["topics"]


def test_antenatal_plans_say_drops_are_normal_and_bring_a_small_container():
    plan = build_plan(PlanOptions(stage="antenatal"))
    checklist = [item["id"] for item in _prepare(plan)["checklist"]]
    assert "small-container" in checklist and "calm" in checklist
    first = next(s for s in plan["steps"] if s["kind"] == "express")
    assert "nothing at all is normal" in first["cue"]
    assert "antenatal-expression" in plan["topics"]


def test_established_plans_have_no_colostrum_items():
    checklist = [item["id"] for item in _prepare(build_plan(PlanOptions()))["checklist"]]
    assert checklist == ["clean", "needs", "warm", "baby"]


def test_every_stage_prepares_with_clean_hands_warmth_and_comfort_and_after_birth_the_baby_near():
    for options in ALL_OPTIONS:
        checklist = {item["id"] for item in _prepare(build_plan(options))["checklist"]}
        assert {"clean", "warm"} <= checklist
        assert ("baby" in checklist) == (options.stage != "antenatal")


# --- before birth (issue 10, section 3) -----------------------------------------------------------


def test_before_birth_the_first_step_asks_whether_the_midwife_or_doctor_agreed():
    for exp in ("new", "practised"):
        plan = build_plan(PlanOptions(stage="antenatal", experience=exp))
        check = plan["steps"][0]
        assert plan["start"] == "check" and check["kind"] == "prepare"
        assert "midwife or doctor has said it is right for you" in check["cue"]
        assert "from 36 to 37 weeks" in check["cue"]
        for situation in (
            "stitch in your cervix",
            "labour has started too early",
            "placenta praevia",
            "twins or more",
            "too much fluid",
            "bleeding, contractions or your waters",
        ):
            assert situation in check["cue"], situation
        assert check["choices"] == [
            {"event": "ready", "label": "My midwife or doctor agreed"},
            {"event": "finish", "label": "Not yet or not sure"},
        ]
        assert check["transitions"] == {
            "ready": "prepare",
            "finish": "not-agreed",
            "pause": "check",
            "pain": "check",
        }
        assert {"nhs-forthvalley-colostrum", "ncic-colostrum"} <= set(check["sources"])


def test_not_agreed_ends_the_session_with_nothing_to_save():
    plan = build_plan(PlanOptions(stage="antenatal"))
    step = next(s for s in plan["steps"] if s["id"] == "not-agreed")
    assert step["kind"] == "finish" and step["saves"] is False
    assert "Ask your midwife or doctor" in step["cue"]
    assert all(s.get("saves", True) for s in plan["steps"] if s["id"] != "not-agreed")


def test_contractions_end_an_antenatal_session_from_anywhere_with_what_to_do():
    plan = build_plan(PlanOptions(stage="antenatal"))
    assert plan["global"]["contractions"] == "contractions"
    step = next(s for s in plan["steps"] if s["id"] == "contractions")
    assert step["kind"] == "finish"
    assert step["cue"].startswith("Stop expressing and rest.")
    assert "call your maternity unit or midwife" in step["cue"]
    assert "nhs-forthvalley-colostrum" in step["sources"] and "when-to-call" in step["topics"]
    assert "contractions" in EVENTS


def test_plans_after_birth_have_no_check_and_no_contractions_step():
    for stage in ("early", "established"):
        plan = build_plan(PlanOptions(stage=stage))
        ids = {s["id"] for s in plan["steps"]}
        assert plan["start"] == "prepare" and not ids & {"check", "not-agreed", "contractions"}
        assert "contractions" not in plan["global"]


def test_before_birth_nothing_asks_for_the_baby_or_waits_for_a_let_down():
    for exp in ("new", "practised"):
        plan = build_plan(PlanOptions(stage="antenatal", experience=exp))
        for text, step in _texts(plan):
            assert "baby close by" not in text and "their photo" not in text, step["id"]
        assert not any("let_down_wait_s" in s for s in plan["steps"])
        assert "stimulate-more" not in {s["id"] for s in plan["steps"]}
        stimulate = next(s for s in plan["steps"] if s["id"] == "stimulate")
        assert (
            stimulate["title"] == "Warm up gently"
            and "Gentle" in stimulate["cue"]
            or "gentle" in stimulate["cue"]
        )


def test_before_birth_the_default_plan_fills_but_never_passes_the_ten_minute_session():
    data = coach_data()
    assert data.figure("antenatal_session_minutes_max") == 10
    assert stage_max_minutes("antenatal", "new") == 7 and stage_max_minutes("antenatal", "practised") == 8
    for exp, minutes in (("new", 7), ("practised", 8)):
        plan = build_plan(PlanOptions(stage="antenatal", experience=exp))
        assert plan["options"]["minutes"] == minutes and plan["max_minutes"] == minutes
        assert plan_seconds(plan) + 2 * 2 * 5 <= 10 * 60  # two finger moves a side at most


@settings(max_examples=60, deadline=None)
@given(
    experience=st.sampled_from(["new", "practised"]),
    minutes=st.floats(min_value=1, max_value=8, allow_nan=False),
    rhythm=st.floats(min_value=1, max_value=5, allow_nan=False),
    slowings=st.lists(st.integers(min_value=0, max_value=600_000), max_size=12),
)
def test_property_an_antenatal_session_played_straight_through_stays_within_ten_minutes(
    experience, minutes, rhythm, slowings
):
    from letdown.domain.coach_player import Player

    try:
        plan = build_plan(
            PlanOptions(stage="antenatal", experience=experience, minutes=minutes, rhythm_s=rhythm)
        )
    except InvalidInput as err:
        assert minutes > stage_max_minutes("antenatal", experience)
        assert "before birth" in str(err)
        return
    player = Player(plan).start(0).event("ready", 0).event("ready", 0)
    for t in sorted(slowings):
        player.event("flow-slowed", t)
    player.tick(3_600_000)
    assert player.finished and player.current == "finish"
    assert player.finished_ms <= 10 * 60 * 1000


@pytest.mark.parametrize(("experience", "top"), [("new", 7), ("practised", 8)])
def test_before_birth_a_longer_session_is_refused_naming_the_source_bound(experience, top):
    with pytest.raises(InvalidInput) as err:
        build_plan(PlanOptions(stage="antenatal", experience=experience, minutes=top + 1))
    assert str(err.value) == (
        f"minutes: must be from 1 to {top} before birth (a whole session of up to about 10 minutes, "
        f"warming up included), got {top + 1}"
    )


def test_the_cli_help_says_the_antenatal_bounds_the_data_gives():
    import click

    from letdown.cli.coach import plan_options

    @click.command()
    @plan_options
    def cmd(**_):
        pass

    text = "".join(cmd.get_help(click.Context(cmd)).split())  # the help wraps at hyphens too
    new, practised = stage_max_minutes("antenatal", "new"), stage_max_minutes("antenatal", "practised")
    assert f"atmost{new}new,{practised}practised" in text
    assert "uptoabout10minutes[nhs-forthvalley-colostrum]" in text


def test_plan_seconds_counts_stimulation_turns_and_switches():
    plan = build_plan(PlanOptions(minutes=2, experience="practised"))
    assert plan_seconds(plan) == 60 + 60 + 15 + 60


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            PlanOptions(stage="late"),
            "stage: unknown stage 'late'; choose one of antenatal, early, established",
        ),
        (
            PlanOptions(experience="expert"),
            "experience: unknown experience 'expert'; choose one of new, practised",
        ),
        (
            PlanOptions(minutes=45),
            "minutes: must be from 1 to 40 (about 20 a side is enough when expressing goes well), got 45",
        ),
        (
            PlanOptions(minutes=0.5),
            "minutes: must be from 1 to 40 (about 20 a side is enough when expressing goes well), got 0.5",
        ),
        (PlanOptions(rhythm_s=9), "rhythm: must be from 1 to 5 seconds, got 9"),
    ],
)
def test_bad_options_are_refused_naming_the_value(options, message):
    with pytest.raises(InvalidInput) as err:
        build_plan(options)
    assert str(err.value) == message


def _texts(plan):
    for step in plan["steps"]:
        yield step["title"], step
        yield step["cue"], step
        for item in step.get("checklist", []):
            yield item["text"], step


@pytest.mark.parametrize("options", ALL_OPTIONS + [PlanOptions(rhythm_s=3.5)], ids=str)
def test_every_number_a_cue_says_comes_from_the_figures_or_the_options(options):
    import re

    plan = build_plan(options)
    allowed = {float(n) for fig in plan["figures"].values() for n in _numbers(fig["value"])}
    allowed.add(float(plan["rhythm_s"]))
    allowed.add(2 * float(plan["rhythm_s"]))  # press + let go: one press every twice the rhythm
    for text, step in _texts(plan):
        for number in re.findall(r"\d+(?:\.\d+)?", text):
            assert float(number) in allowed, f"{step['id']}: {number} in {text!r}"
