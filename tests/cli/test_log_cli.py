import re

import pytest

SESSION_KEYS = {
    "id",
    "started_at",
    "ended_at",
    "method",
    "left_ml",
    "right_ml",
    "passive_ml",
    "total_ml",
    "let_downs",
    "comfort",
    "note",
}
OFFSET = re.compile(r"[+-]\d\d:\d\d$")


def add(run, *extra):
    return run.json("log", "add", "--start", "-40m", "--minutes", "20", "--method", "hand", *extra)


def test_init_then_log_add_prints_the_session_with_offsets(run):
    out = run.json("init", "--name", "Okafor", "--timezone", "America/Chicago", "--units", "oz")
    assert out["timezone"] == "America/Chicago" and out["units"] == "oz"
    s = add(
        run,
        "--left-ml",
        "30",
        "--right-oz",
        "1",
        "--passive-ml",
        "4",
        "--let-down",
        "-38m",
        "--comfort",
        "8",
        "--note",
        "night feed",
    )
    assert s.keys() >= SESSION_KEYS
    assert (s["left_ml"], s["right_ml"], s["passive_ml"], s["total_ml"]) == (30.0, 29.6, 4.0, 63.6)
    assert OFFSET.search(s["started_at"]) and OFFSET.search(s["let_downs"][0])
    assert s["started_at"].endswith(("-06:00", "-05:00"))
    assert s["comfort"] == 8 and s["note"] == "night feed"


def test_human_output_uses_household_units(run):
    run("init", "--units", "oz", "--timezone", "UTC")
    result = run("log", "add", "--start", "-40m", "--minutes", "20", "--method", "pump", "--left-ml", "59.1")
    assert result.exit_code == 0
    assert "left 2.0 oz" in result.stdout


def test_a_fresh_home_works_without_init(run):
    s = add(run, "--left-ml", "10")
    assert s["total_ml"] == 10.0
    assert run.json("household")["name"] == "My household"


def test_list_show_edit_delete(run):
    first = add(run, "--left-ml", "10")
    second = run.json("log", "add", "--start", "-10m", "--end", "-5m", "--method", "pump", "--right-ml", "20")
    listed = run.json("log", "list")
    assert [s["id"] for s in listed] == [second["id"], first["id"]]
    shown = run.json("log", "show", first["id"])
    assert shown.pop("assessment")["signs"]
    assert shown == first
    edited = run.json("log", "edit", first["id"], "--comfort", "6", "--method", "hands-on-pump")
    assert (edited["comfort"], edited["method"], edited["left_ml"]) == (6, "hands-on-pump", 10.0)
    assert run("log", "delete", first["id"]).exit_code == 0
    assert [s["id"] for s in run.json("log", "list")] == [second["id"]]
    gone = run("log", "show", first["id"])
    assert gone.exit_code == 2
    assert gone.stderr.strip() == f"Error: No session with id '{first['id']}'"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--left-ml", "-5"], "Error: left_ml: must be 0 or more, got -5"),
        (
            ["--right-ml", "1200"],
            "Error: right_ml: 1200 ml is over the 1000 ml limit for one side; check the value and its unit",
        ),
        (["--comfort", "11"], "Error: comfort: must be a whole number from 0 to 10, got 11"),
        (["--left-ml", "5", "--left-oz", "1"], "Error: left_ml: give --left-ml or --left-oz, not both"),
    ],
)
def test_bad_input_exits_2_names_the_field_and_writes_nothing(run, args, message):
    result = run("log", "add", "--start", "-40m", "--minutes", "20", "--method", "hand", *args)
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert run.json("log", "list") == []


@pytest.mark.parametrize(
    ("args", "prefix"),
    [
        (
            ["--start", "-40m", "--minutes", "20", "--method", "squeeze"],
            "Error: method: unknown method 'squeeze'",
        ),
        (["--start", "soon", "--minutes", "20", "--method", "hand"], "Error: started_at: cannot read 'soon'"),
        (["--start", "+2h", "--minutes", "20", "--method", "hand"], "Error: started_at:"),
        (["--start", "-40m", "--end", "-50m", "--method", "hand"], "Error: ended_at: the end"),
        (["--start", "-40m", "--method", "hand"], "Error: ended_at: give an end time"),
    ],
)
def test_bad_times_and_methods_exit_2(run, args, prefix):
    result = run("log", "add", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(prefix)
    assert run.json("log", "list") == []


def test_edit_with_bad_input_changes_nothing(run):
    s = add(run, "--left-ml", "10")
    result = run("log", "edit", s["id"], "--left-ml", "-1")
    assert result.exit_code == 2
    shown = run.json("log", "show", s["id"])
    shown.pop("assessment")
    assert shown == s


def test_stats_json_has_days_and_summary(run):
    add(run, "--left-ml", "10", "--right-ml", "5")
    out = run.json("stats", "--days", "3")
    assert len(out["days"]) == 3
    today = out["days"][-1]
    assert {
        "date",
        "sessions",
        "left_ml",
        "right_ml",
        "passive_ml",
        "total_ml",
        "mean_minutes",
        "avg7_ml",
    } <= today.keys()
    assert out["summary"]["sessions"] >= 1


def test_token_create_prints_a_token(run):
    result = run("token", "create", "--name", "phone")
    assert result.exit_code == 0
    assert result.stdout.startswith("ld_")


def test_baby_add_and_session_age(run):
    run("init", "--timezone", "UTC")
    baby = run.json("baby", "add", "--name", "Ada", "--due", "2099-01-01")
    assert baby["due_date"] == "2099-01-01"
    s = add(run)
    assert s["baby_age_days"] < 0


def test_every_command_has_help(run):
    import click

    from letdown.cli.main import COMMANDS, cli

    def walk(cmd: click.Command, path: list[str]):
        yield path, cmd
        if isinstance(cmd, click.Group):
            ctx = click.Context(cmd)
            for name in cmd.list_commands(ctx):
                yield from walk(cmd.get_command(ctx, name), [*path, name])

    seen = 0
    for path, cmd in walk(cli, []):
        assert (cmd.help or "").strip(), f"letdown {' '.join(path)} has no help"
        seen += 1
    assert seen > len(COMMANDS)


def test_demo_marks_its_rows_and_removes_them(run):
    added = run.json("demo")["added"]["sessions"]
    assert added > 200
    listed = run("log", "list")
    assert "* sample data from `letdown demo`" in listed.stdout
    own = add(run, "--left-ml", "20")
    assert run.json("demo", "--remove")["removed"]["sessions"] == added
    assert [s["id"] for s in run.json("log", "list")] == [own["id"]]


def test_demo_is_refused_once_the_household_has_its_own_data(run):
    add(run, "--left-ml", "20")
    result = run("demo")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: This household already has its own sessions or stash; sample data goes only into "
        "an empty household, so it never mixes with real records.\n"
        "To try letdown with sample data, use a separate database:\n"
    )
    assert len(run.json("log", "list")) == 1


def test_household_says_to_follow_the_units_limits_for_a_custom_profile(run):
    out = run("init", "--storage-profile", "custom").stdout
    assert "follow the limits your baby's neonatal unit gives you" in out
