"""Browser tests: Debian's Chromium driven by Playwright against a real server on a free port.

They run in ``make test`` and CI. They skip only when /usr/bin/chromium is missing and
``LETDOWN_REQUIRE_BROWSER`` is unset (CI sets it, so there a missing browser fails).
Nothing here downloads a browser: never run ``playwright install``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
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
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright (tests/browser)")


def _require() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("LETDOWN_REQUIRE_BROWSER"):
        pytest.fail(f"LETDOWN_REQUIRE_BROWSER is set but {CHROMIUM} is missing (apt-get install chromium)")
    pytest.skip(
        f"{CHROMIUM} is missing: apt-get install chromium (set LETDOWN_REQUIRE_BROWSER=1 to fail instead)"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, db_url: str) -> None:
        self.url = url
        self.db_url = db_url

    def engine(self) -> Any:
        from sqlalchemy import create_engine

        return create_engine(self.db_url)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``letdown serve``'s app under uvicorn, on a fresh SQLite file, one per test module."""
    _require()
    folder = tmp_path_factory.mktemp("browser")
    db_url = f"sqlite:///{folder / 'letdown.db'}"
    port = _free_port()
    env = {**os.environ, "LETDOWN_DATABASE_URL": db_url, "LETDOWN_SIGNUP": "open"}
    env.pop("LETDOWN_SECURE_COOKIES", None)
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "letdown.api.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    f"the server did not start: {(folder / 'server.log').read_text()}"
                ) from None
            time.sleep(0.1)
    yield Server(url, db_url)
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    _require()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def new_page(chromium: Any, viewport: str) -> Iterator[Any]:
    """Pages in fresh browser contexts (one per person) at the test's viewport."""
    contexts: list[Any] = []

    def make() -> Any:
        context = chromium.new_context(
            viewport=VIEWPORTS[viewport], locale="en-GB", timezone_id="Europe/London"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))  # type: ignore[attr-defined]
        return page

    yield make
    for context in contexts:
        context.close()


def shoot(page: Any, viewport: str, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{viewport}-{name}.png"), full_page=True)


def check_accessibility(page: Any) -> None:
    """axe-core in the page: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{page.url}: {bad}"
