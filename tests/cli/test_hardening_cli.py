"""Hostile input on the command line (issue #13): ``Error: ...`` and exit 2, never a
traceback, and nothing written."""

from __future__ import annotations

import json

import pytest

WINDOW = "(from 1900-01-01 to 2199-12-31)"


def log_add(run, *args: str):
    return run("log", "add", "--method", "hand", *args)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--start", "-30m", "--minutes", "1e12"],
            "Error: minutes: a session of 1e+12 minutes is longer than 720 minutes (12 hours); check the value",
        ),
        (["--start", "-30m", "--minutes", "nan"], "Error: minutes: must be a finite number, got nan"),
        (["--start", "-30m", "--minutes", "inf"], "Error: minutes: must be a finite number, got inf"),
        (
            ["--start", "-30m", "--minutes", "10", "--left-ml", "nan"],
            "Error: left_ml: must be a finite number, got nan",
        ),
        (
            ["--start", "-30m", "--minutes", "10", "--left-oz", "inf"],
            "Error: left_ml: must be a finite number, got inf",
        ),
        (
            ["--start", "0001-01-01T00:00", "--minutes", "10"],
            f"Error: started_at: 0001-01-01 is outside the dates letdown accepts {WINDOW}",
        ),
        (
            ["--start", "9999-12-31T23:00", "--minutes", "10"],
            f"Error: started_at: 9999-12-31 is outside the dates letdown accepts {WINDOW}",
        ),
        (
            ["--start", "-99999999d", "--minutes", "10"],
            f"Error: started_at: '-99999999d' is outside the dates letdown accepts {WINDOW}",
        ),
        (
            ["--start", "-30m", "--minutes", "10", "--let-down", "0001-01-01"],
            f"Error: let_downs: 0001-01-01 is outside the dates letdown accepts {WINDOW}",
        ),
        (
            ["--start", "-30m", "--minutes", "10", "--note", "bad \udcff byte"],
            "Error: note: contains an invalid character (a lone UTF-16 surrogate); check the text's encoding",
        ),
        (
            ["--start", "-30m", "--minutes", "10", "--note", "esc \x1b[2J"],
            "Error: note: contains a control character (U+001B), which cannot be stored",
        ),
    ],
)
def test_hostile_session_input_exits_2_with_a_message_and_writes_nothing(run, args, message):
    result = log_add(run, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == message
    assert run.json("log", "list") == []


def test_local_times_that_do_not_exist_or_happen_twice_name_both_readings(run):
    assert run("init", "--name", "T", "--timezone", "America/New_York").exit_code == 0
    skipped = log_add(run, "--start", "2026-03-08 02:30", "--minutes", "10")
    assert skipped.exit_code == 2
    assert skipped.stderr.strip() == (
        "Error: started_at: 2026-03-08 02:30 does not exist in America/New_York (the clocks go forward): "
        "it reads as 2026-03-08T01:30-05:00 or 2026-03-08T03:30-04:00; give one of those"
    )
    twice = log_add(run, "--start", "2026-11-01 01:30", "--minutes", "10")
    assert twice.exit_code == 2
    assert twice.stderr.strip() == (
        "Error: started_at: 2026-11-01 01:30 happens twice in America/New_York (the clocks go back): give the "
        "offset, 2026-11-01T01:30-04:00 for the first time or 2026-11-01T01:30-05:00 for the second"
    )
    assert run.json("log", "list") == []
    chosen = run.json(
        "log", "add", "--method", "hand", "--start", "2026-11-01T01:30-05:00", "--minutes", "10"
    )
    assert chosen["started_at"] == "2026-11-01T01:30:00-05:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--from", "0001-01-01", "--to", "0001-01-05"],
            f"Error: to: 0001-01-05 is outside the dates letdown accepts {WINDOW}",
        ),
        (["--to", "0001-01-02"], f"Error: to: 0001-01-02 is outside the dates letdown accepts {WINDOW}"),
        (
            ["--from", "9999-12-20", "--to", "9999-12-31"],
            f"Error: to: 9999-12-31 is outside the dates letdown accepts {WINDOW}",
        ),
    ],
)
def test_report_ranges_at_the_ends_of_the_calendar_exit_2(run, tmp_path, args, message):
    result = run("report", "--out", str(tmp_path / "r.html"), *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == message
    assert not (tmp_path / "r.html").exists()


def test_a_baby_born_in_year_one_is_refused(run):
    result = run("baby", "add", "--name", "Ada", "--born", "0001-01-01")
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"Error: birth_date: 0001-01-01 is outside the dates letdown accepts {WINDOW}"
    )


def test_a_hostile_import_file_exits_2_and_changes_nothing(run, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100000 + "]" * 100000)
    result = run("import", str(deep))
    assert result.exit_code == 2
    assert "nested more than 32 levels deep" in result.stderr
    run.json("log", "add", "--method", "hand", "--start", "-40m", "--minutes", "20", "--left-ml", "30")
    out = tmp_path / "export.json"
    assert run("export", "--out", str(out)).exit_code == 0
    data = json.loads(out.read_text())
    data["sessions"][0]["note"] = "x\x00y"
    hostile = tmp_path / "nul.json"
    hostile.write_text(json.dumps(data))
    result = run("--db", str(tmp_path / "other.db"), "import", str(hostile))
    assert result.exit_code == 2
    assert "sessions.0.note contains a NUL character" in result.stderr
    data["sessions"][0]["note"] = None
    data["sessions"][0]["left_ml"] = float("nan")
    hostile.write_text(json.dumps(data))
    result = run("--db", str(tmp_path / "other.db"), "import", str(hostile))
    assert result.exit_code == 2
    assert "left_ml" in result.stderr and "finite" in result.stderr


def test_triage_hours_must_be_finite(run):
    result = run("triage", "--symptom", "redness", "--hours", "inf")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: hours: must be a finite number, got inf"


def test_serve_trusts_forwarded_headers_only_from_named_proxies(run, monkeypatch):
    import uvicorn

    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: calls.append(kw))
    # serve sets these for its workers: set here so they are put back after the test
    monkeypatch.setenv("LETDOWN_FORWARDED_ALLOW_IPS", "")
    monkeypatch.setenv("LETDOWN_DATABASE_URL", run.db_url)
    bad = run("serve", "--forwarded-allow-ips", "my-proxy")
    assert bad.exit_code == 2
    assert "'my-proxy' is not an IP address or network (like 127.0.0.1 or 10.0.0.0/8)" in bad.stderr
    assert calls == []
    assert run("serve").exit_code == 0
    assert calls[-1]["proxy_headers"] is False
    import os

    assert os.environ["LETDOWN_FORWARDED_ALLOW_IPS"] == ""
    assert run("serve", "--forwarded-allow-ips", "127.0.0.1, 10.0.0.0/8").exit_code == 0
    assert os.environ["LETDOWN_FORWARDED_ALLOW_IPS"] == "127.0.0.1, 10.0.0.0/8"
    assert calls[-1]["proxy_headers"] is False


def test_a_lock_held_past_the_timeout_is_a_busy_error_not_a_traceback(run, db_url, monkeypatch):
    from letdown.store import db as store_db

    assert run("init", "--name", "T", "--timezone", "UTC").exit_code == 0
    monkeypatch.setattr(store_db, "LOCK_TIMEOUT_MS", 300)
    holder = store_db.make_engine(db_url)
    try:
        with holder.connect() as conn:
            if db_url.startswith("sqlite"):
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("LOCK TABLE expression_sessions IN EXCLUSIVE MODE")
            result = log_add(run, "--start", "-30m", "--minutes", "10")
            conn.rollback()
    finally:
        holder.dispose()
    assert result.exit_code == 2
    assert (
        result.stderr.strip() == "Error: the database is busy with another change; try again in a few seconds"
    )


@pytest.mark.parametrize("email", ["sam@example.org\x0b", "sam\x1b@example.org", "sam@exa\tmple.org"])
def test_user_add_refuses_an_email_with_control_characters(run, email):
    result = run("user", "add", email, input="correct horse battery\n")
    assert result.exit_code == 2
    shown = email.encode("unicode_escape").decode("ascii")
    assert result.stderr.strip() == f"Error: email: '{shown}' is not an email address"
