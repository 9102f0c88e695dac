"""The small frictions a new user met, each fixed: stash from a session, the calendar address,
demo data in a home with data, and demo data that runs up to now in the household's zone."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from letdown.services.accounts import households
from letdown.services.log import sessions
from letdown.services.portability import demo
from letdown.services.schedule import reminders


def test_stash_from_a_session_counts_from_its_start_without_expressed_at(run) -> None:
    run.json("init", "--name", "Okafor", "--timezone", "Europe/London")
    made = run.json("log", "add", "--start", "-40m", "--minutes", "20", "--method", "pump", "--left-ml", "60")
    added = run.json("stash", "add", "--ml", "60", "--location", "fridge", "--session", made["id"])
    assert added["expressed_at"] == made["started_at"]
    # The README's example: a time before the session started is still refused, with the reason.
    refused = run(
        "stash", "add", "--ml", "60", "--location", "fridge", "--session", made["id"], "--expressed-at", "-1h"
    )
    assert refused.exit_code == 2
    assert f"is before session {made['id']} started" in refused.output


def test_stash_without_a_time_or_a_session_says_what_to_give(run) -> None:
    run.json("init", "--name", "Okafor")
    result = run("stash", "add", "--ml", "60", "--location", "fridge")
    assert result.exit_code == 2
    assert "give when the milk was expressed, or the session it came from" in result.output


def test_stash_from_an_unknown_session_is_refused(run) -> None:
    run.json("init", "--name", "Okafor")
    result = run("stash", "add", "--ml", "60", "--location", "fridge", "--session", "nope")
    assert result.exit_code == 2 and "no session with id 'nope'" in result.output


def test_calendar_create_prints_the_full_address_from_letdown_base_url(run, monkeypatch) -> None:
    run.json("init", "--name", "Okafor")
    monkeypatch.setenv("LETDOWN_BASE_URL", "https://milk.example.org/")
    result = run("calendar", "create", "--name", "phone")
    assert result.exit_code == 0, result.output
    line = result.output.splitlines()[1].strip()
    assert line.startswith("https://milk.example.org/calendar/") and line.endswith(".ics")
    assert "YOUR-SERVER" not in result.output
    out = json.loads(run("calendar", "create", "--json", "--base-url", "http://10.0.0.5:8000").stdout)
    assert out["url"] == f"http://10.0.0.5:8000{out['path']}"


def test_calendar_create_without_an_address_says_how_to_set_it(run, monkeypatch) -> None:
    run.json("init", "--name", "Okafor")
    monkeypatch.delenv("LETDOWN_BASE_URL", raising=False)
    result = run("calendar", "create")
    assert result.exit_code == 0
    assert "http://YOUR-SERVER/calendar/" in result.output
    assert "set LETDOWN_BASE_URL or --base-url" in result.output


@pytest.mark.parametrize("bad", ["milk.example.org", "ftp://x", "https://", "https://x/?a=1"])
def test_calendar_create_refuses_an_address_that_is_not_one_and_creates_nothing(run, bad) -> None:
    run.json("init", "--name", "Okafor")
    result = run("calendar", "create", "--base-url", bad)
    assert result.exit_code == 2
    assert f"'{bad}' is not a web address like https://milk.example.org" in result.output
    assert run.json("calendar", "list") == [] or run.json("calendar", "list") == {"feeds": []}


def test_demo_in_a_home_with_data_says_how_to_try_it_in_a_separate_database(run) -> None:
    run.json("init", "--name", "Okafor")
    run.json("log", "add", "--start", "-40m", "--minutes", "20", "--method", "hand")
    result = run("demo")
    assert result.exit_code == 2
    assert "sample data goes only into an empty household" in result.output
    assert "letdown --db demo.db init --name Demo" in result.output
    assert "letdown --db demo.db demo" in result.output


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/Los_Angeles", "Europe/London", "Asia/Kolkata"])
@pytest.mark.parametrize("hour_utc", [1, 9, 17, 23])
def test_demo_runs_up_to_now_in_the_households_zone(db, now, zone, hour_utc) -> None:
    at = now.replace(hour=hour_utc, minute=30)
    home = households.create(db, now=at, name="Demo", timezone=zone)
    demo.seed(db, home.id, now=at)
    listed = sessions.list_sessions(db, home.id, now=at, since="-40d")
    starts = sorted(v.started_at for v in listed)
    # The last sample session ended within the last few hours: Home is not "overdue by a day".
    assert at - starts[-1] < timedelta(hours=4), (zone, starts[-1])
    assert all(v.ended_at <= at for v in listed)
    due = reminders.due(db, home.id, now=at)
    assert due.last_started is not None and at - due.last_started < timedelta(hours=4)
    # Days start at 06:00 on the household's wall clock (give or take the sample's jitter).
    tz = ZoneInfo(zone)
    first = starts[0].astimezone(tz)
    assert (first.hour, first.minute) in {(5, m) for m in range(40, 60)} | {(6, m) for m in range(0, 21)}
    assert (at.astimezone(tz).date() - first.date()).days == demo.DAYS


def test_demo_days_keep_their_wall_clock_across_a_daylight_saving_change(db) -> None:
    at = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)  # London moved its clocks on 25 October
    home = households.create(db, now=at, name="Demo", timezone="Europe/London")
    demo.seed(db, home.id, now=at)
    tz = ZoneInfo("Europe/London")
    firsts: dict[object, datetime] = {}
    for view in sessions.list_sessions(db, home.id, now=at, since="-40d"):
        local = view.started_at.astimezone(tz)
        if 4 <= local.hour < 8:
            firsts.setdefault(local.date(), local)
            firsts[local.date()] = min(firsts[local.date()], local)
    before = [v for d, v in firsts.items() if str(d) < "2026-10-25"]
    after = [v for d, v in firsts.items() if str(d) > "2026-10-25"]
    assert before and after
    for local in before + after:
        assert local.hour in (5, 6), local
