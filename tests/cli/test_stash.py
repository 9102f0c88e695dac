"""``letdown stash``: every command and every refusal (exit 2, ``Error: ...``, nothing changed)."""

from __future__ import annotations

import re

import pytest

from letdown.cli.common import App
from letdown.cli.stash import stash as stash_group

LIST_KEYS = {"id", "ml", "location", "state", "expressed_at", "use_by", "best_by", "status", "rule"}
OFFSET = re.compile(r"[+-]\d\d:\d\d$")


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch, now, run):
    monkeypatch.setattr(App, "now", lambda self: now)
    run("init", "--timezone", "Europe/London")


def add(run, *args: str) -> dict:
    return run.json("stash", "add", "--expressed-at", "2026-11-25T10:00", *args)


def refused(run, args: list[str], message: str) -> None:
    before = run.json("stash", "list", "--all")
    result = run("stash", *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == f"Error: {message}"
    assert run.json("stash", "list", "--all") == before


def test_add_prints_the_container_and_its_rule(run):
    result = run("stash", "add", "--ml", "120", "--expressed-at", "2026-11-25T10:00", "--location", "fridge")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].endswith("120 ml  fresh, fridge  OK")
    assert lines[1] == "  expressed Wed 25 Nov 2026 10:00 · use by Sun 29 Nov 2026 10:00"
    assert lines[2].startswith("  rule cdc-fresh-fridge (cdc-storage): Freshly expressed milk keeps")


def test_add_in_ounces_with_a_session_and_label(run):
    session = run.json(
        "log", "add", "--start", "2026-11-25T09:40", "--minutes", "20", "--method", "hand", "--left-ml", "30"
    )
    c = add(run, "--oz", "1", "--location", "freezer", "--session", session["id"], "--label", "Tue night")
    assert (c["ml"], c["state"], c["session_id"], c["label"]) == (29.6, "frozen", session["id"], "Tue night")
    assert c["best_by"] == "2027-05-25T10:00:00+01:00"
    shown = run.json("stash", "show", c["id"])
    assert shown["session"]["id"] == session["id"]
    human = run("stash", "show", c["id"]).stdout
    assert f"expressed in session {session['id']} (hand)" in human and "stored freezer 29.6 ml" in human


def test_list_json_is_evaluated_at_the_given_time(run):
    c = add(run, "--ml", "120", "--location", "fridge")
    listed = run.json("stash", "list")
    assert listed[0].keys() >= LIST_KEYS and listed[0]["status"] == "ok"
    assert all(OFFSET.search(listed[0][k]) for k in ("expressed_at", "use_by"))
    later = run.json("stash", "list", "--at", "2026-11-29T10:01")
    assert (later[0]["id"], later[0]["status"]) == (c["id"], "expired")
    assert later[0]["rule"]["id"] == "cdc-fresh-fridge"


def test_list_for_people_and_an_empty_stash(run):
    assert (
        run("stash", "list").stdout.strip() == "The stash is empty. Store milk with: letdown stash add --help"
    )
    c = add(run, "--ml", "60", "--location", "room")
    table = run("stash", "list").stdout.splitlines()
    assert table[0].split() == ["id", "volume", "where", "milk", "expressed", "use", "by", "status", "rule"]
    assert table[2].split() == [
        c["id"],
        "60",
        "ml",
        "room",
        "fresh",
        "2026-11-25",
        "10:00",
        "2026-11-25",
        "14:00",
        "ok",
        "cdc-fresh-room",
    ]


def test_move_thaw_feed_use_discard(run):
    c = add(run, "--ml", "100", "--location", "fridge")
    assert run.json("stash", "move", c["id"], "--to", "freezer", "--at", "-1h")["state"] == "frozen"
    thawed = run.json("stash", "thaw", c["id"], "--at", "-30m", "--in", "room")
    assert (thawed["state"], thawed["status"], thawed["rule"]["id"]) == ("thawed", "ok", "cdc-thawed-room")
    fed = run.json("stash", "feed", c["id"], "--finished", "-5m", "--leftover-ml", "20")
    assert (fed["state"], fed["ml"], fed["rule"]["id"]) == ("leftover", 20.0, "cdc-thawed-room")
    assert run.json("stash", "use", c["id"])["status"] == "used"
    other = add(run, "--ml", "50", "--location", "fridge")
    assert run.json("stash", "discard", other["id"], "--reason", "spilled")["status"] == "discarded"
    history = run.json("stash", "show", other["id"])["history"]
    assert history[-1]["note"] == "spilled"
    assert run.json("stash", "list") == []
    assert len(run.json("stash", "list", "--all")) == 2


def test_split_keeps_the_history(run):
    c = add(run, "--ml", "120", "--location", "fridge")
    out = run.json("stash", "split", c["id"], "--ml", "45")
    assert (out["from"]["ml"], out["new"]["ml"], out["new"]["split_from"]) == (75.0, 45.0, c["id"])
    history = run.json("stash", "show", out["new"]["id"])["history"]
    assert [(e["kind"], e["copied_from"]) for e in history] == [("stored", c["id"]), ("split-from", None)]


def test_thaw_everything_in_the_freezer(run):
    a = add(run, "--ml", "100", "--location", "freezer")
    b = add(run, "--ml", "80", "--location", "freezer")
    result = run.json("stash", "thaw", "--location", "freezer", "--at", "-1h")
    assert sorted(x["id"] for x in result["thawed"]) == sorted([a["id"], b["id"]])
    assert result["skipped"] == []
    human = run("stash", "thaw", "--location", "freezer")
    assert human.exit_code == 2 and human.stderr.strip() == "Error: No frozen milk in the freezer"


def test_next_and_summary(run):
    frozen = add(run, "--ml", "100", "--location", "freezer")
    fresh = add(run, "--ml", "90", "--location", "fridge")
    assert [x["id"] for x in run.json("stash", "next", "--count", "5")] == [fresh["id"], frozen["id"]]
    assert run("stash", "next").stdout.startswith(f"Container {fresh['id']}")
    summary = run("stash", "summary").stdout
    assert summary.endswith(
        "\nThe baby's usual feed volume is not set, so feeds are not counted. "
        "Set it with: letdown init --usual-feed-ml X\n"
    )
    run("init", "--usual-feed-ml", "60")
    places = run.json("stash", "summary")["locations"]
    assert [(p["location"], p["containers"], p["ml"], p["feeds"]) for p in places] == [
        ("room", 0, 0, 0.0),
        ("fridge", 1, 90.0, 1.5),
        ("freezer", 1, 100.0, 1.7),
        ("cooler", 0, 0, 0.0),
    ]


def test_label_writes_svg_or_pdf_by_extension(run, tmp_path):
    c = add(run, "--ml", "120", "--location", "fridge", "--label", "Night <3")
    svg, pdf = tmp_path / "label.svg", tmp_path / "label.pdf"
    result = run("stash", "label", c["id"], "--out", str(svg))
    assert result.stdout.strip() == f"Wrote the SVG label of container {c['id']} to {svg}."
    text = svg.read_text()
    assert text.startswith("<svg") and "Night &lt;3" in text and "Use by 29 Nov 2026 10:00" in text
    assert run("stash", "label", c["id"], "--out", str(pdf)).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    bad = run("stash", "label", c["id"], "--out", str(tmp_path / "label.png"))
    assert bad.exit_code == 2 and bad.stderr.strip() == "Error: out: 'label.png' must end in .svg or .pdf"


def test_custom_limits(run):
    run("init", "--storage-profile", "custom")
    out = run.json("stash", "limits", "set", "fresh-fridge", "--unit", "days", "--use-by", "2")
    assert out == {"storage_profile": "custom", "limits": {"fresh-fridge": {"unit": "days", "use_by": 2}}}
    c = add(run, "--ml", "50", "--location", "fridge")
    assert (c["rule"]["id"], c["rule"]["source"]) == ("custom-fresh-fridge", "custom")
    assert "fresh-fridge: use by 2 days" in run("stash", "limits").stdout
    assert run.json("stash", "limits", "clear", "fresh-fridge")["limits"] == {}


def test_refusals_exit_2_and_change_nothing(run):
    c = add(run, "--ml", "120", "--location", "freezer")
    run("stash", "thaw", c["id"], "--at", "-1h")
    ident = c["id"]
    refused(
        run,
        ["move", ident, "--to", "freezer"],
        f"Container {ident} holds thawed milk and can't go in the freezer: "
        "Thawed milk is never refrozen. [cdc-never-refreeze]",
    )
    refused(
        run,
        ["split", ident, "--ml", "120"],
        f"Container {ident} holds 120 ml; a split must leave some behind, got 120 ml",
    )
    refused(
        run,
        ["split", ident, "--ml", "150"],
        f"Container {ident} holds only 120 ml; can't pour 150 ml from it",
    )
    refused(
        run,
        ["use", ident, "--at", "-2h"],
        f"Time 2026-11-25T10:00+00:00 is before the last event of container {ident} "
        "(thawed at 2026-11-25T11:00+00:00)",
    )
    refused(
        run,
        ["discard", ident, "--at", "+1h"],
        "That time (13:00 London time) is later than now (12:00). "
        "Times here are in the household's zone, Europe/London.",
    )
    refused(
        run,
        ["add", "--ml", "0", "--expressed-at", "-1h", "--location", "fridge"],
        "Volume must be more than 0 ml, got 0 ml",
    )
    old = run.json("stash", "add", "--ml", "50", "--expressed-at", "2026-11-20T10:00", "--location", "fridge")
    refused(
        run,
        ["move", old["id"], "--to", "freezer"],
        f"Container {old['id']} expired at 2026-11-24T10:00+00:00 (cdc-fresh-fridge); it can only be discarded",
    )
    run("stash", "discard", old["id"])
    refused(run, ["move", old["id"], "--to", "room"], f"Container {old['id']} was already discarded")
    refused(run, ["use", "nope"], "No container with id 'nope'")


def test_every_stash_command_has_help():
    commands = dict(stash_group.commands)
    assert {
        "add",
        "list",
        "show",
        "move",
        "thaw",
        "warm",
        "feed",
        "use",
        "discard",
        "split",
        "next",
        "summary",
        "label",
        "limits",
    } <= set(commands)
    for name, command in commands.items():
        assert command.help and command.help.strip(), name


def test_label_qr_opens_the_container_when_the_base_url_is_known(run, tmp_path, monkeypatch):
    from letdown.render import labels as stash_labels

    seen = []
    real = stash_labels._qr_modules
    monkeypatch.setattr(stash_labels, "_qr_modules", lambda text: seen.append(text) or real(text))
    c = add(run, "--ml", "120", "--location", "fridge")
    run("stash", "label", c["id"], "--out", str(tmp_path / "a.svg"))
    run(
        "stash", "label", c["id"], "--out", str(tmp_path / "b.svg"), "--base-url", "https://milk.example.org/"
    )
    assert seen == [c["id"], f"https://milk.example.org/c/{c['id']}"]


def test_label_takes_the_base_url_from_letdown_base_url_and_the_flag_wins(run, tmp_path, monkeypatch):
    from letdown.render import labels as stash_labels

    seen = []
    real = stash_labels._qr_modules
    monkeypatch.setattr(stash_labels, "_qr_modules", lambda text: seen.append(text) or real(text))
    c = add(run, "--ml", "120", "--location", "fridge")
    monkeypatch.setenv("LETDOWN_BASE_URL", "https://home.example.org")
    run("stash", "label", c["id"], "--out", str(tmp_path / "a.svg"))
    run("stash", "label", c["id"], "--out", str(tmp_path / "b.svg"), "--base-url", "https://milk.example.org")
    monkeypatch.setenv("LETDOWN_BASE_URL", "")  # empty: unset
    run("stash", "label", c["id"], "--out", str(tmp_path / "c.svg"))
    assert seen == [f"https://home.example.org/c/{c['id']}", f"https://milk.example.org/c/{c['id']}", c["id"]]


def test_help_names_the_thaw_places_and_the_profiles_leftover_rule(run):
    thaw = run("stash", "thaw", "--help").stdout
    assert "--in [fridge|room]              Where it thaws.  [default: fridge]" in thaw
    feed = " ".join(run("stash", "feed", "--help").stdout.split())
    assert "Leftover milk follows the leftover rule of the household's storage profile, counted" in feed
    assert "2-hour" not in feed
    warm = " ".join(run("stash", "warm", "--help").stdout.split())
    assert "the warmed-milk rule of the household's storage profile starts" in warm
    assert "hour" not in warm


# --- issue 10: warm, clocks no move lifts, bounded volumes -----------------------------------


def test_warm_prints_the_two_hour_rule_and_moving_back_keeps_it(run):
    c = add(run, "--ml", "120", "--location", "fridge")
    result = run("stash", "warm", c["id"], "--at", "-10m")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("120 ml  warmed, room  OK")
    assert lines[1] == "  expressed Wed 25 Nov 2026 10:00 · use by Wed 25 Nov 2026 13:50"
    assert lines[2].startswith(
        "  rule cdc-fresh-warmed (aces-breast-milk): Warmed milk is used within 2 hours"
    )
    back = run.json("stash", "move", c["id"], "--to", "fridge")
    assert (back["use_by"], back["rule"]["id"]) == ("2026-11-25T13:50:00+00:00", "cdc-fresh-warmed")
    history = run.json("stash", "show", c["id"])["history"]
    assert [e["kind"] for e in history] == ["stored", "warmed", "moved"]
    assert "warmed" in run("stash", "show", c["id"]).stdout


def test_warm_refusals_exit_2_and_change_nothing(run):
    frozen = add(run, "--ml", "120", "--location", "freezer")
    refused(run, ["warm", frozen["id"]], f"Container {frozen['id']} is frozen; thaw it first")
    refused(run, ["warm", "nope"], "No container with id 'nope'")
    c = add(run, "--ml", "120", "--location", "fridge")
    refused(
        run,
        ["warm", c["id"], "--at", "+1h"],
        "That time (13:00 London time) is later than now (12:00). "
        "Times here are in the household's zone, Europe/London.",
    )
    refused(
        run,
        ["warm", c["id"], "--at", "2026-11-25T09:00"],
        f"Time 2026-11-25T09:00+00:00 is before the last event of container {c['id']} "
        "(stored at 2026-11-25T10:00+00:00)",
    )


def test_thawed_at_room_then_fridge_stays_on_its_two_hours(run):
    c = add(run, "--ml", "120", "--location", "freezer")
    run("stash", "thaw", c["id"], "--in", "room", "--at", "-90m")
    moved = run("stash", "move", c["id"], "--to", "fridge").stdout.splitlines()
    assert moved[0].endswith("120 ml  thawed, fridge  USE-SOON")
    assert "use by Wed 25 Nov 2026 12:30" in moved[1]
    assert moved[2].startswith("  rule cdc-thawed-room (cdc-storage): Thawed milk at room temperature")


def test_a_leftover_moved_to_the_fridge_keeps_the_feed_clock(run):
    c = add(run, "--ml", "120", "--location", "fridge")
    run("stash", "feed", c["id"], "--finished", "-30m", "--leftover-ml", "40")
    moved = run.json("stash", "move", c["id"], "--to", "fridge")
    assert (moved["state"], moved["use_by"], moved["rule"]["id"]) == (
        "leftover",
        "2026-11-25T13:30:00+00:00",
        "cdc-leftover",
    )
    again = run.json("stash", "feed", c["id"], "--finished", "now", "--leftover-ml", "10")
    assert (again["use_by"], again["rule"]["id"]) == ("2026-11-25T13:30:00+00:00", "cdc-leftover")


def test_fridge_milk_to_a_cooler_says_it_is_our_careful_reading(run):
    c = add(run, "--ml", "120", "--location", "fridge")
    out = run("stash", "move", c["id"], "--to", "cooler").stdout.splitlines()
    assert out[2].startswith(
        "  rule cdc-fresh-cooler-out-of-cold (cdc-storage; our careful reading): Our careful reading"
    )
    assert run.json("stash", "show", c["id"])["rule"]["ours"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ml", "inf"], "ml: volume must be a finite number of ml, got inf"),
        (["--ml", "nan"], "ml: volume must be a finite number of ml, got nan"),
        (
            ["--ml", "1e300"],
            "ml: 1e+300 ml is over the 1000 ml limit for one container; check the value and its unit",
        ),
        (
            ["--oz", "1e300"],
            "ml: 2.95735e+301 ml is over the 1000 ml limit for one container; check the value and its unit",
        ),
        (["--ml", "0.04"], "Volume of 0.04 ml rounds to 0 ml; the smallest is 0.1 ml"),
    ],
)
def test_a_bad_volume_exits_2_and_stores_nothing(run, args, message):
    refused(run, ["add", *args, "--expressed-at", "-1h", "--location", "fridge"], message)


def test_a_bad_split_or_leftover_exits_2_and_changes_nothing(run):
    c = add(run, "--ml", "120", "--location", "fridge")
    ident = c["id"]
    refused(
        run, ["split", ident, "--ml", "0.04"], "A split of 0.04 ml rounds to 0 ml; the smallest is 0.1 ml"
    )
    refused(run, ["split", ident, "--ml", "inf"], "ml: a split must be a finite number of ml, got inf")
    refused(
        run,
        ["feed", ident, "--finished", "now", "--leftover-ml", "0.04"],
        "Leftover of 0.04 ml rounds to 0 ml; give 0 if the baby finished it, or at least 0.1 ml",
    )
    refused(
        run,
        ["feed", ident, "--finished", "now", "--leftover-ml", "inf"],
        "leftover_ml: leftover must be a finite number of ml, got inf",
    )
