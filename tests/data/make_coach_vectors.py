"""Write ``coach_vectors.json``: plan options and event traces in, the Python player's answer out.

Run after a deliberate change to the plans or the interpreter, read the diff, and commit both:
``.venv/bin/python tests/data/make_coach_vectors.py``. The Python tests (tests/unit/
test_coach_player.py) and the browser tests (tests/browser/test_coach_js.py) replay every vector
and must give the same ``expected``; each vector also carries its plan so the browser needs no
plan builder, and the Python test checks that plan still matches ``build_plan(options)``.
"""

from __future__ import annotations

import json
from pathlib import Path

from letdown.domain.coach import PlanOptions, build_plan
from letdown.domain.coach_player import play

S = 1000  # ms in a second

CASES = [
    {
        "name": "a short plan played straight through",
        "options": {"minutes": 1},
        "trace": [{"t": 1 * S, "event": "ready"}, {"t": 20 * S, "event": "let-down"}],
        "end_ms": 200 * S,
    },
    {
        "name": "no let-down after the wait offers more stimulation, then the turn resumes",
        "options": {"minutes": 10},
        "trace": [
            {"t": 0, "event": "ready"},
            {"t": 250 * S},
            {"t": 330 * S, "event": "let-down"},
            {"t": 400 * S, "event": "let-down"},
        ],
        "end_ms": 900 * S,
    },
    {
        "name": "flow slowing rotates the fingers, and the third slowing switches sides",
        "options": {"minutes": 2, "experience": "practised"},
        "trace": [
            {"t": 500, "event": "ready"},
            {"t": 10 * S, "event": "let-down"},
            {"t": 20 * S, "event": "flow-slowed"},
            {"t": 23 * S, "event": "flow-slowed"},
            {"t": 40 * S, "event": "flow-slowed"},
            {"t": 50 * S, "event": "flow-slowed"},
            {"t": 60 * S, "event": "let-down"},
        ],
        "end_ms": 300 * S,
    },
    {
        "name": "pain stops the clock until the parent carries on",
        "options": {"minutes": 2, "experience": "practised"},
        "trace": [
            {"t": 0, "event": "ready"},
            {"t": 5 * S, "event": "let-down"},
            {"t": 40 * S, "event": "pain"},
            {"t": 95 * S, "event": "ready"},
            {"t": 96 * S, "event": "let-down"},
        ],
        "end_ms": 300 * S,
    },
    {
        "name": "pain during a rotation goes back to the turn, not to the rotation",
        "options": {"minutes": 2, "experience": "practised"},
        "trace": [
            {"t": 0, "event": "ready"},
            {"t": 61 * S, "event": "let-down"},
            {"t": 70 * S, "event": "flow-slowed"},
            {"t": 72 * S, "event": "pain"},
            {"t": 80 * S, "event": "ready"},
        ],
        "end_ms": 300 * S,
    },
    {
        "name": "pause and carry on, then finish early; later events change nothing",
        "options": {"minutes": 4},
        "trace": [
            {"t": 2 * S, "event": "ready"},
            {"t": 30 * S, "event": "pause"},
            {"t": 90 * S, "event": "pause"},
            {"t": 150 * S, "event": "let-down"},
            {"t": 200 * S, "event": "finish"},
            {"t": 210 * S, "event": "let-down"},
            {"t": 220 * S, "event": "pause"},
        ],
        "end_ms": 600 * S,
    },
    {
        "name": "a let-down while getting ready is marked and ready still moves on",
        "options": {"minutes": 3, "stage": "antenatal"},
        "trace": [
            {"t": 4 * S, "event": "let-down"},
            {"t": 9 * S, "event": "ready"},
            {"t": 15 * S, "event": "ready"},
            {"t": 17 * S},
        ],
        "end_ms": 400 * S,
    },
    {
        "name": "the default plan for a practised parent, with let-downs across the rounds",
        "options": {"experience": "practised", "stage": "early"},
        "trace": [
            {"t": 30 * S, "event": "ready"},
            {"t": 75 * S, "event": "let-down"},
            {"t": 300 * S, "event": "let-down"},
            {"t": 500 * S, "event": "flow-slowed"},
            {"t": 700 * S, "event": "let-down"},
            {"t": 1000 * S, "event": "let-down"},
            {"t": 1200 * S, "event": "let-down"},
        ],
        "end_ms": 2000 * S,
    },
    {
        "name": "a pause in a turn stops its clock, and taps that mean nothing there are only counted",
        "options": {"minutes": 2, "experience": "practised"},
        "trace": [
            {"t": 0, "event": "ready"},
            {"t": 3 * S, "event": "ready"},
            {"t": 10 * S, "event": "ready"},
            {"t": 40 * S, "event": "pause"},
            {"t": 45 * S, "event": "flow-slowed"},
            {"t": 100 * S, "event": "ready"},
            {"t": 101 * S, "event": "let-down"},
        ],
        "end_ms": 400 * S,
    },
    {
        "name": "before birth: not yet agreed with the midwife ends at once, with nothing expressed",
        "options": {"stage": "antenatal"},
        "trace": [{"t": 6 * S, "event": "finish"}, {"t": 8 * S, "event": "ready"}],
        "end_ms": 700 * S,
    },
    {
        "name": "before birth: contractions during a turn end the session with what to do",
        "options": {"stage": "antenatal"},
        "trace": [
            {"t": 5 * S, "event": "ready"},
            {"t": 9 * S, "event": "ready"},
            {"t": 150 * S, "event": "let-down"},
            {"t": 200 * S, "event": "contractions"},
            {"t": 210 * S, "event": "let-down"},
            {"t": 220 * S, "event": "ready"},
        ],
        "end_ms": 700 * S,
    },
    {
        "name": "before birth: contractions while paused or easing off end the session too",
        "options": {"stage": "antenatal", "experience": "practised", "minutes": 4},
        "trace": [
            {"t": 1 * S, "event": "ready"},
            {"t": 2 * S, "event": "ready"},
            {"t": 90 * S, "event": "pain"},
            {"t": 95 * S, "event": "pause"},
            {"t": 100 * S, "event": "contractions"},
        ],
        "end_ms": 700 * S,
    },
    {
        "name": "before birth the plan runs its short course with no wait for a let-down",
        "options": {"stage": "antenatal", "experience": "practised"},
        "trace": [{"t": 1 * S, "event": "ready"}, {"t": 2 * S, "event": "ready"}],
        "end_ms": 900 * S,
    },
    {
        "name": "after birth a plan has no contractions step: the event is only counted",
        "options": {"minutes": 2, "experience": "practised"},
        "trace": [{"t": 0, "event": "ready"}, {"t": 70 * S, "event": "contractions"}],
        "end_ms": 400 * S,
    },
    {
        "name": "timers due at the same tick are played in order at their own times",
        "options": {"minutes": 1, "rhythm_s": 1.5},
        "trace": [{"t": 0, "event": "ready"}, {"t": 100 * S}],
        "end_ms": 10_000 * S,
    },
    {
        "name": "before birth: pause and pain at the check keep the check; contractions there end it",
        "options": {"stage": "antenatal"},
        "trace": [
            {"t": 1 * S, "event": "pause"},
            {"t": 2 * S, "event": "pain"},
            {"t": 3 * S, "event": "contractions"},
        ],
        "end_ms": 600 * S,
    },
    {
        "name": "before birth the whole-session bound finishes a paused session in real time",
        "options": {"stage": "antenatal", "experience": "practised"},
        "trace": [
            {"t": 1 * S, "event": "ready"},
            {"t": 2 * S, "event": "ready"},
            {"t": 5 * S, "event": "pause"},
        ],
        "end_ms": 3 * 3600 * S,
    },
]


def build() -> dict[str, object]:
    vectors = []
    for case in CASES:
        options = case["options"]
        plan = build_plan(
            PlanOptions(
                stage=options.get("stage", "established"),
                experience=options.get("experience", "new"),
                minutes=options.get("minutes"),
                rhythm_s=options.get("rhythm_s"),
            )
        )
        expected = play(plan, case["trace"], case["end_ms"])
        vectors.append({**case, "plan": plan, "expected": expected})
    return {
        "about": "Coach interpreter vectors: plan + event trace in, visits and let-downs out. "
        "Generated by tests/data/make_coach_vectors.py; replayed by the Python and the browser player.",
        "vectors": vectors,
    }


if __name__ == "__main__":
    target = Path(__file__).with_name("coach_vectors.json")
    target.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target}")
