"""The terminal coach's drawing helpers (the pty test drives the whole thing)."""

from __future__ import annotations

from letdown.cli.coach_tui import big, pulse


def test_the_countdown_is_drawn_in_big_block_digits():
    rows = big("1:05")
    assert len(rows) == 5
    assert rows[0].startswith("  ██    ")  # the top of a 1
    assert all(len(row) == len(rows[0]) for row in rows)
    assert "██" in rows[1] and "██" in rows[3]  # the colon


def test_the_pulse_alternates_press_and_release_at_the_rhythm():
    step = {"rhythm_s": 2, "presses_per_position": 5}
    assert pulse(step, 0) == ("PRESS", 1, False)
    assert pulse(step, 2500) == ("release", 1, False)
    assert pulse(step, 4000) == ("PRESS", 2, False)


def test_the_pulse_says_to_move_the_fingers_after_every_few_presses():
    step = {"rhythm_s": 2, "presses_per_position": 5}
    assert pulse(step, 9 * 2000) == ("release", 5, True)
    assert pulse(step, 8 * 2000) == ("PRESS", 5, False)


def _player(stage):
    from letdown.domain.coach import PlanOptions, build_plan
    from letdown.domain.coach_player import Player

    return Player(build_plan(PlanOptions(stage=stage))).start(0)


def test_a_question_is_answered_by_number_keys_not_by_space():
    from letdown.cli.coach_tui import key_event, key_help

    player = _player("antenatal")
    assert player.current == "check"
    assert key_event(player, ord(" ")) is None
    assert key_event(player, ord("1")) == "ready" and key_event(player, ord("2")) == "finish"
    assert key_event(player, ord("3")) is None
    assert key_help(player).startswith("1 = My midwife or doctor agreed   2 = Not yet or not sure")
    assert "c = contractions" in key_help(player)


def test_c_means_contractions_only_in_a_plan_before_birth():
    from letdown.cli.coach_tui import key_event, key_help

    before, after = _player("antenatal"), _player("established")
    before.event("ready", 0)
    assert key_event(before, ord("c")) == "contractions" and key_event(before, ord(" ")) == "ready"
    assert key_event(after, ord("c")) is None and "contractions" not in key_help(after)
    assert key_event(after, ord("1")) is None and key_event(after, ord("q")) == "finish"
