"""``letdown due``, ``letdown reminders`` and ``letdown calendar`` as a person runs them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def test_due_with_no_session_says_the_first_is_due_now(run):
    result = run("due")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "No session logged yet: the first one is due now."
    assert (
        "Interval: every 3 h by day (default); at night (00:00-06:00) up to 5 h (default)." in result.output
    )
    assert "Stash: no container reaches use-soon or use-by in the next 24 hours." in result.output


def test_due_json_has_the_api_shape(run):
    assert (
        run("log", "add", "--start", "-1h", "--minutes", "20", "--method", "hand", "--left-ml", "5").exit_code
        == 0
    )
    body = run.json("due")
    assert body["overdue"] is False and body["interval_minutes"] == 180
    assert body["today"]["target"] == {"min": 8, "max": 10, "hours": 24}
    assert body["sources"] == ["nhs-expressing"]


def _yesterday() -> datetime:
    return datetime.now(UTC) - timedelta(days=1)  # in the first 3 days in any time zone


def test_early_days_hand_expression_is_information_for_a_baby_not_known_to_be_preterm(run):
    assert run("baby", "add", "--name", "Ada", "--born", f"{_yesterday():%Y-%m-%d}").exit_code == 0
    result = run("due")
    assert "by hand;" not in result.output
    assert (
        "For information, not a target: mothers of babies born before 31 weeks who hand expressed "
        "more than 5 times a day in the first 3 days made more milk by week 8 [morton-2009]."
    ) in result.output
    today = run.json("due")["today"]
    assert today["early_days"] is True and today["early_hand_target"] is False
    assert today["early_hand_more_than"] is None and "morton-2009" not in today["sources"]


def test_early_days_hand_expression_is_a_target_for_a_baby_born_before_31_weeks(run):
    assert run("init", "--feeding", "exclusive").exit_code == 0
    born = _yesterday()
    due = born + timedelta(weeks=10)
    assert (
        run(
            "baby", "add", "--name", "Ada", "--born", f"{born:%Y-%m-%d}", "--due", f"{due:%Y-%m-%d}"
        ).exit_code
        == 0
    )
    result = run("due")
    assert (
        "(0 by hand; for a baby born before 31 weeks, more than 5 a day by hand in the first 3 days "
        "[morton-2009])."
    ) in result.output
    assert "For information" not in result.output
    today = run.json("due")["today"]
    assert today["early_hand_target"] is True and today["early_hand_more_than"] == 5
    assert today["met"] is False and "morton-2009" in today["sources"]


def test_reminders_set_and_bad_input(run):
    result = run("reminders", "set", "--every", "2h30m", "--night-gap", "4h")
    assert result.exit_code == 0
    assert result.output.startswith(
        "Interval: every 2 h 30 min by day (set by you); at night (00:00-06:00) up to 4 h"
    )
    bad = run("reminders", "set", "--every", "often")
    assert bad.exit_code == 2
    assert bad.stderr == "Error: every: cannot read 'often' as a duration; use 3h, 2h30m or 90m\n"


def test_calendar_create_list_revoke(run):
    created = run.json("calendar", "create", "--name", "phone")
    assert created["path"] == f"/calendar/{created['token']}.ics"
    assert [f["name"] for f in run.json("calendar", "list")] == ["phone"]
    assert run("calendar", "revoke", created["id"]).output == f"Calendar feed {created['id']} revoked.\n"
    assert run.json("calendar", "list")[0]["revoked_at"] is not None
    missing = run("calendar", "revoke", "nope")
    assert missing.exit_code == 2 and missing.stderr == "Error: No calendar feed with id 'nope'\n"


def test_due_says_which_rule_decided_for_each_feeding_mode(run):
    assert (
        run("log", "add", "--start", "-1h", "--minutes", "20", "--method", "pump", "--left-ml", "5").exit_code
        == 0
    )
    text = run("due").output
    assert "Today: 1 session." in text
    assert "For information, not a target (you have not said how your baby feeds)" in text
    body = run.json("due")
    assert body["today"]["met"] is None and body["today"]["targets_apply"] is False
    assert body["rule"]["feeding_mode"] is None and body["rule"]["ours"] is True

    assert run("init", "--feeding", "exclusive").exit_code == 0
    text = run("due").output
    assert "Today: 1 of 8-10 sessions." in text
    assert "Target (you said your baby does not feed at the breast): 8-10 times in 24 hours" in text
    body = run.json("due")
    assert body["today"]["met"] is False and body["targets_apply"] is True
    assert body["rule"] == body["today"]["rule"] and body["rule"]["source"] == "nhs-expressing"

    assert run("init", "--feeding", "partly").exit_code == 0
    text = run("due").output
    assert text.splitlines()[0] == "No session is due: no interval is set (letdown reminders set --every 3h)."
    assert "Interval: none. As your baby also feeds at the breast, letdown sets no default" in text
    body = run.json("due")
    assert body["next_due_at"] is None and body["upcoming"] == [] and body["today"]["met"] is None
    shown = run.json("reminders", "show")
    assert shown["interval_minutes"] is None and shown["feeding_mode"] == "partly"
    assert shown["rule"]["reads"].startswith("the baby also feeds at the breast")


def test_the_household_shows_and_sets_how_the_baby_feeds(run):
    text = run("household").output
    assert "feeding: not said (letdown init --feeding ...)" in text
    result = run("init", "--feeding", "occasional")
    assert result.exit_code == 0
    assert "feeding: feeding at the breast, expressing now and then" in result.output
    assert "For information, not a target (your baby also feeds at the breast)" in result.output
    body = run.json("household")
    assert body["feeding_mode"] == "occasional" and body["frequency"]["targets"] is False
    assert run.json("init", "--feeding", "none")["feeding_mode"] is None


def test_a_bad_feeding_mode_is_refused_and_changes_nothing(run):
    assert run("init", "--feeding", "exclusive").exit_code == 0
    result = run("init", "--feeding", "sometimes")
    assert result.exit_code == 2
    assert (
        "Invalid value for '--feeding': 'sometimes' is not one of 'exclusive', 'partly', 'occasional', 'none'."
        in result.stderr
    )
    assert run.json("household")["feeding_mode"] == "exclusive"
