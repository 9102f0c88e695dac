"""``letdown coach plan`` and the assessment in ``letdown log show``."""

from __future__ import annotations

from letdown.domain.coach import PlanOptions, build_plan


def test_plan_json_is_the_api_shape(run):
    body = run.json("coach", "plan", "--minutes", "2", "--stage", "early", "--rhythm", "3")
    assert body == build_plan(PlanOptions(stage="early", minutes=2, rhythm_s=3))


def test_plan_for_people_lists_steps_cues_and_sources(run):
    result = run("coach", "plan", "--minutes", "2")
    assert result.exit_code == 0
    assert "express-left-1" in result.output and "2 to 3 centimetres" in result.output
    assert "sources: nhs-hand-expression" in result.output
    assert "space = ready / let-down" in result.output


def test_plan_refuses_too_many_minutes(run):
    result = run("coach", "plan", "--minutes", "60")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: minutes: must be from 1 to 40 (about 20 a side is enough when expressing goes well), got 60"
    )


def test_log_show_includes_the_assessment(run):
    added = run.json(
        "log",
        "add",
        "--start",
        "-30m",
        "--minutes",
        "20",
        "--method",
        "hand",
        "--left-ml",
        "30",
        "--let-down",
        "-29m",
    )
    text = run("log", "show", added["id"]).output
    assert "How it went:" in text and "Several let-downs" in text and "[getting-a-let-down" in text
    body = run.json("log", "show", added["id"])
    assert [s["id"] for s in body["assessment"]["signs"]][0] == "let-down-soon"


def test_coach_help_documents_the_keys_and_speed(run):
    result = run("coach", "--help")
    assert "space = ready or let-down" in result.output
    assert "--speed" in result.output and "--speak" in result.output


def test_the_antenatal_plan_for_people_starts_with_the_check_and_names_the_keys(run):
    text = run("coach", "plan", "--stage", "antenatal").output
    assert text.splitlines()[0].startswith("Coach plan: antenatal, new, 7 min expressing")
    assert text.index("check ") < text.index("prepare ") < text.index("express-left-1")
    assert "1 = My midwife or doctor agreed -> prepare" in text
    assert "2 = Not yet or not sure -> not-agreed" in text
    assert "c = contractions (stop now)" in text
    assert "sources: nhs-forthvalley-colostrum, ncic-colostrum, dame-2017" in text


def test_the_antenatal_plan_refuses_a_session_longer_than_the_leaflets_allow(run):
    result = run("coach", "plan", "--stage", "antenatal", "--minutes", "20")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: minutes: must be from 1 to 7 before birth (a whole session of up to about 10 minutes, "
        "warming up included), got 20"
    )


def test_log_show_says_plainly_that_no_expected_amount_applies_to_one_side(run):
    assert run("init", "--feeding", "exclusive").exit_code == 0
    assert run("baby", "add", "--name", "Ada", "--born", "2026-09-20").exit_code == 0
    added = run.json(
        "log", "add", "--start", "-30m", "--minutes", "20", "--method", "hand", "--left-ml", "30"
    )
    text = run("log", "show", added["id"]).output
    assert "30 ml from the left side only. No expected amount applies to one breast" in text
    assert "!! About the amount expected" not in text
    assert run("init", "--feeding", "partly").exit_code == 0
    both = run.json(
        "log",
        "add",
        "--start",
        "-10m",
        "--minutes",
        "5",
        "--method",
        "hand",
        "--left-ml",
        "3",
        "--right-ml",
        "2",
    )
    body = run.json("log", "show", both["id"])
    sign = next(s for s in body["assessment"]["signs"] if s["id"] == "expected-amount")
    assert sign["status"] == "unknown" and "your baby also feeds at the breast" in sign["finding"]
