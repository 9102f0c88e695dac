"""``letdown import-babybuddy`` and ``letdown push-babybuddy`` against the loopback stand-in."""

from __future__ import annotations

import pytest

from tests.babybuddy_standin import KEY, sample_state, serve


@pytest.fixture
def server():
    state = sample_state()
    with serve(state) as url:
        yield url, state


def test_import_then_push_as_a_person_runs_them(run, server):
    url, state = server
    result = run("import-babybuddy", "--url", url, "--token", KEY)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        f"Imported 3 pumping and 1 feeding entries from {url} (0 already imported, 2 skipped)."
    )
    assert "  skipped feeding #22: a bottle feed is what the baby drank, not milk expressed" in result.output

    assert (
        run(
            "log", "add", "--start", "-1h", "--minutes", "15", "--method", "pump", "--left-ml", "40"
        ).exit_code
        == 0
    )
    pushed = run.json("push-babybuddy", "--url", url, "--token", KEY, "--child", "1")
    assert len(pushed["pushed"]) == 1 and pushed["already_there"] == 4
    assert state["pumping"][-1]["amount"] == 40.0


def test_a_bad_url_exits_2(run):
    result = run("import-babybuddy", "--url", "babybuddy.local", "--token", KEY)
    assert result.exit_code == 2
    assert result.stderr == "Error: url: 'babybuddy.local' is not an http(s) URL of a Baby Buddy server\n"
