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
