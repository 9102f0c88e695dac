"""``letdown due``, ``letdown reminders`` and ``letdown calendar`` as a person runs them."""

from __future__ import annotations


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
