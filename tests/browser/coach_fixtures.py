"""Browser fixtures for the coach tests: Debian's Chromium through Playwright, and a real server.

Chromium is ``/usr/bin/chromium`` (never downloaded). Tests that need it are marked ``browser``
and skip when Playwright or Chromium is missing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, db_url: str, household_id: str, email: str) -> None:
        self.url = url
        self.db_url = db_url
        self.household_id = household_id
        self.email = email


@pytest.fixture
def coach_server(tmp_path: Path) -> Iterator[Server]:
    """A real server on a free port, on a fresh SQLite file with an owner who can sign in."""
    from letdown.domain.choices import Role
    from letdown.services import accounts, households
    from letdown.store.db import Store

    db_url = f"sqlite:///{tmp_path}/letdown.db"
    store = Store(db_url)
    now = datetime.now(UTC)
    with store.session() as db:
        household = households.create(db, now=now, name="Coach home", timezone="UTC")
        user = accounts.create_user(db, email="parent@example.org", password=PASSWORD, now=now)
        accounts.add_member(db, household.id, user.id, Role.OWNER, now=now)
    store.dispose()
    port = _free_port()
    env = {**os.environ, "LETDOWN_HOME": str(tmp_path), "LETDOWN_SECURE_COOKIES": "0"}
    env.pop("LETDOWN_DATABASE_URL", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from letdown.cli.main import run; run()",
            "--db",
            db_url,
            "serve",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("the server did not start") from None
            time.sleep(0.1)
    yield Server(url, db_url, household.id, "parent@example.org")
    process.terminate()
    process.wait(timeout=10)
