"""The coach interpreter: every shared vector, plus the rules stated one by one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from letdown.domain.coach import PlanOptions, build_plan
from letdown.domain.coach_player import Player, PlayerError, play

VECTORS = json.loads((Path(__file__).parents[1] / "data" / "coach_vectors.json").read_text(encoding="utf-8"))[
    "vectors"
]


def _options(raw: dict) -> PlanOptions:
    return PlanOptions(
        stage=raw.get("stage", "established"),
        experience=raw.get("experience", "new"),
        minutes=raw.get("minutes"),
        rhythm_s=raw.get("rhythm_s"),
    )


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector_plays_as_expected(vector):
    assert play(vector["plan"], vector["trace"], vector["end_ms"]) == vector["expected"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector_plan_is_still_what_the_options_build(vector):
    """If this fails, the plans changed: rerun tests/data/make_coach_vectors.py and read the diff."""
    assert build_plan(_options(vector["options"])) == vector["plan"]


def test_vectors_cover_every_event_and_every_step_kind():
    events = {item.get("event") for v in VECTORS for item in v["trace"]} | {
        visit["by"] for v in VECTORS for visit in v["expected"]["visits"]
    }
    assert {"ready", "let-down", "flow-slowed", "pain", "pause", "finish", "timeout", "no-let-down"} <= events
    kinds = {
        {s["id"]: s for s in v["plan"]["steps"]}[visit["step"]]["kind"]
        for v in VECTORS
        for visit in v["expected"]["visits"]
    }
    assert kinds == {"prepare", "stimulate", "express", "rotate", "switch", "rest", "finish"}


def short_plan(**options):
    return build_plan(PlanOptions(minutes=options.pop("minutes", 2), **options))


def test_a_tap_means_ready_while_a_step_waits_for_it_and_let_down_otherwise():
    player = Player(short_plan()).start(0)
    assert player.primary_event() == "ready"
    player.event("ready", 1000)
    assert player.current == "stimulate"
    assert player.primary_event() == "let-down"


def test_a_let_down_is_marked_in_any_step_until_the_finish():
    player = Player(short_plan()).start(0)
    for t in (1000, 2000):
        player.event("let-down", t)
    player.event("finish", 3000)
    player.event("let-down", 4000)
    assert player.let_downs == [1000, 2000]
    assert player.finished_ms == 3000


def test_a_turn_resumes_where_it_left_off_after_an_interlude():
    player = Player(short_plan()).start(0)
    player.event("ready", 0).event("let-down", 0)
    assert player.current == "express-left-1"
    player.event("flow-slowed", 10_000)
    assert player.current == "rotate"
    player.tick(15_000)
    assert player.current == "express-left-1"
    assert player.remaining_ms() == 50_000


def test_time_in_pain_check_does_not_count_as_expressing():
    player = Player(short_plan()).start(0)
    player.event("ready", 0).event("let-down", 0).event("pain", 10_000)
    assert player.current == "adjust" and player.remaining_ms() is None
    player.event("ready", 100_000)
    assert player.current == "express-left-1"
    assert player.side_ms(100_000) == {"left": 10_000, "right": 0}


def test_repeated_slowing_switches_sides():
    plan = short_plan()
    times = next(s for s in plan["steps"] if s["id"] == "express-left-1")["repeats"]["flow-slowed"]["times"]
    player = Player(plan).start(0)
    player.event("ready", 0).event("let-down", 0)
    t = 1000
    for _ in range(times - 1):
        player.event("flow-slowed", t)
        assert player.current == "rotate"
        t += 10_000
        player.tick(t)
    player.event("flow-slowed", t)
    assert player.current == "switch-1"


def test_no_let_down_is_offered_stimulation_once():
    plan = short_plan(minutes=20)
    player = Player(plan).start(0)
    player.event("ready", 0).tick(120_000)
    assert player.current == "express-left-1"
    player.tick(120_000 + 180_000)
    assert player.current == "stimulate-more"
    player.tick(120_000 + 180_000 + 120_000)
    assert player.current == "express-left-1"
    player.tick(120_000 + 180_000 + 120_000 + 60_000)
    assert player.current == "express-left-1"


def test_time_may_not_go_back():
    player = Player(short_plan()).start(5000)
    with pytest.raises(PlayerError, match="time went back from 5000 ms to 4000 ms"):
        player.tick(4000)


def test_going_back_with_nothing_interrupted_is_an_error():
    plan = {
        "start": "a",
        "steps": [{"id": "a", "kind": "rest", "ends_on": "ready", "transitions": {"ready": "$back"}}],
    }
    with pytest.raises(PlayerError, match="step 'a' goes back, but nothing was interrupted"):
        Player(plan).start(0).event("ready", 1)
