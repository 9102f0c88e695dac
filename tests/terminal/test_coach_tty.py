"""Drive ``letdown coach`` through a pseudo-terminal: keys in, a saved session out."""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

LETDOWN = [sys.executable, "-c", "from letdown.cli.main import run; run()"]


class Terminal:
    """A child process on a pty, with the screen output collected as text."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        os.set_blocking(self.master, False)
        import fcntl
        import struct
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.process = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True, start_new_session=True
        )
        os.close(slave)
        self.output = b""

    def read(self, timeout: float = 0.1) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            with contextlib.suppress(OSError):
                self.output += os.read(self.master, 65536)

    def expect(self, text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        start = len(self.output)
        while time.monotonic() < deadline:
            if text.encode() in self.output[max(0, start - len(text)) :]:
                return
            self.read()
            if self.process.poll() is not None:
                self.read()
                if text.encode() in self.output:
                    return
                break
        raise AssertionError(
            f"{text!r} not seen; screen ends with:\n{self.output[-2000:].decode(errors='replace')}"
        )

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> int:
        try:
            return self.process.wait(timeout=20)
        finally:
            os.close(self.master)


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"TERM": "xterm", "LETDOWN_HOME": str(tmp_path), "COLUMNS": "100", "LINES": "30", "TZ": "UTC"})
    env.pop("LETDOWN_DATABASE_URL", None)
    return env


def test_the_terminal_coach_runs_a_short_plan_and_saves_the_session(tmp_path):
    db = f"sqlite:///{tmp_path}/letdown.db"
    env = _env(tmp_path)
    term = Terminal(
        [*LETDOWN, "--db", db, "coach", "--minutes", "1", "--experience", "practised", "--speed", "20"], env
    )
    try:
        term.expect("Get ready")
        term.send(" ")  # ready
        term.expect("Bring on a let-down")
        term.send(" ")  # a let-down: on to the left side
        term.expect("Express: Left")
        term.expect("PRESS")
        term.send(" ")  # another let-down
        time.sleep(0.3)
        term.send("s")  # flow slowed: rotate
        term.expect("Move your fingers")
        term.expect("Express: Right", timeout=30)
        term.expect("Left side, ml", timeout=30)
        term.send("21\r")
        term.expect("Right side, ml")
        term.send("18.5\r")
        term.expect("Comfort")
        term.send("8\r")
        term.expect("Saved session")
        assert term.close() == 0
    finally:
        if term.process.poll() is None:
            term.process.kill()

    out = subprocess.run(
        [*LETDOWN, "--db", db, "log", "list", "--json"], capture_output=True, text=True, env=env, check=True
    )
    sessions = json.loads(out.stdout)
    assert len(sessions) == 1
    saved = sessions[0]
    assert saved["method"] == "hand"
    assert (saved["left_ml"], saved["right_ml"], saved["comfort"]) == (21.0, 18.5, 8)
    assert len(saved["let_downs"]) == 2
    # At 20 times speed: 60 s of stimulation cut short, 30 s a side and a 15 s switch, in plan time.
    assert 60 <= saved["duration_minutes"] * 60 <= 110
    shown = subprocess.run(
        [*LETDOWN, "--db", db, "log", "show", saved["id"], "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert json.loads(shown.stdout)["id"] == saved["id"]


def test_the_coach_refuses_without_a_terminal(tmp_path):
    result = subprocess.run(
        [*LETDOWN, "--db", f"sqlite:///{tmp_path}/x.db", "coach"],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert "Error: letdown coach needs a terminal; to see the plan, run: letdown coach plan" in result.stderr


def test_quitting_at_once_saves_nothing(tmp_path):
    db = f"sqlite:///{tmp_path}/letdown.db"
    env = _env(tmp_path)
    term = Terminal([*LETDOWN, "--db", db, "coach", "--minutes", "1"], env)
    try:
        term.expect("Get ready")
        term.send("q")
        term.expect("Stopped before the session began: nothing saved.")
        assert term.close() == 0
    finally:
        if term.process.poll() is None:
            term.process.kill()


def test_before_birth_the_terminal_asks_first_and_not_yet_saves_nothing(tmp_path):
    db = f"sqlite:///{tmp_path}/letdown.db"
    env = _env(tmp_path)
    term = Terminal([*LETDOWN, "--db", db, "coach", "--stage", "antenatal"], env)
    try:
        term.expect("1 = My midwife or doctor agreed")
        assert b"Before you start" in term.output and b"waiting for your answer: press 1 or 2" in term.output
        term.send(" ")  # space does not answer the question
        time.sleep(0.3)
        term.send("2")  # not yet or not sure
        term.expect("Ask first.")
        term.expect("Nothing saved.")
        assert term.close() == 0
    finally:
        if term.process.poll() is None:
            term.process.kill()
    out = subprocess.run(
        [*LETDOWN, "--db", db, "log", "list", "--json"], capture_output=True, text=True, env=env, check=True
    )
    assert json.loads(out.stdout) == []


def test_before_birth_c_for_contractions_ends_the_session_with_what_to_do(tmp_path):
    db = f"sqlite:///{tmp_path}/letdown.db"
    env = _env(tmp_path)
    term = Terminal([*LETDOWN, "--db", db, "coach", "--stage", "antenatal", "--speed", "20"], env)
    try:
        term.expect("2 = Not yet or not sure")
        term.send("1")  # agreed
        term.expect("Get ready")
        term.send(" ")
        term.expect("Warm up gently")
        term.expect("Express: Left", timeout=30)
        assert b"c = contractions" in term.output
        term.send("c")
        term.expect("Left side, ml")
        assert b"Stop now. Stop expressing and rest." in term.output
        assert b"call your maternity unit or midwife" in term.output
        term.send("\r")
        term.expect("Right side, ml")
        term.send("\r")
        term.expect("Comfort")
        term.send("\r")
        term.expect("Saved session")
        assert term.close() == 0
    finally:
        if term.process.poll() is None:
            term.process.kill()
