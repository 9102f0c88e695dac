"""``letdown serve`` as a person starts it: a busy port, the access log, the LAN hint."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

BIN = Path(sys.executable).parent / "letdown"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(base: str, proc: subprocess.Popen[str]) -> None:
    for _ in range(150):
        if proc.poll() is not None:
            raise AssertionError(
                f"server exited {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}"
            )
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError("server did not answer in 15 s")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("LETDOWN_")}
    out["LETDOWN_HOME"] = str(tmp_path / "home")
    return out


@pytest.fixture
def serving(env: dict[str, str]) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port), "--access-log"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_up(f"http://127.0.0.1:{port}", proc)
        yield port, proc
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_busy_port_is_refused_with_exit_2_and_says_what_to_do(
    serving: tuple[int, subprocess.Popen[str]], env: dict[str, str]
) -> None:
    port, _ = serving
    second = subprocess.run(
        [str(BIN), "serve", "--port", str(port)], env=env, capture_output=True, text=True, timeout=30
    )
    assert second.returncode == 2
    assert f"Error: cannot listen on 127.0.0.1:{port}: the port is already in use" in second.stderr
    assert "--port" in second.stderr


def test_an_address_not_on_this_machine_is_refused_with_exit_2(env: dict[str, str]) -> None:
    result = subprocess.run(
        [str(BIN), "serve", "--host", "192.0.2.7", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "that address is not one of this machine's" in result.stderr


def test_access_log_prints_one_line_per_request(serving: tuple[int, subprocess.Popen[str]]) -> None:
    port, proc = serving
    httpx.get(f"http://127.0.0.1:{port}/signin?from=access-log-test")
    proc.terminate()
    out, _ = proc.communicate(timeout=10)
    assert '"GET /signin?from=access-log-test HTTP/1.1" 200' in out


def test_no_access_log_unless_asked(env: dict[str, str]) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_up(f"http://127.0.0.1:{port}", proc)
        httpx.get(f"http://127.0.0.1:{port}/signin")
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert "GET /signin" not in out + err


def test_serving_beyond_this_machine_explains_secure_cookies(env: dict[str, str]) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN), "serve", "--host", "0.0.0.0", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_up(f"http://127.0.0.1:{port}", proc)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "sign-in cookies are Secure" in err and "LETDOWN_SECURE_COOKIES=0" in err
