"""Page weight of the web app on the wire: the home page's HTML and the whole first load.

Seeds a household with a month of demo sessions and a stash of milk near its use-by into a
scratch database, starts ``letdown serve`` on loopback, signs in through the real form, and
fetches the home page and everything it loads (CSS, JS, icon, manifest), then other heavy
pages. Each is fetched three times and the bytes that crossed the wire counted: uncompressed
(``Accept-Encoding: identity``, what letdown sent before it compressed), gzip, and Brotli
(what browsers ask for). Not a test: run by hand.

    .venv/bin/python bench/bench_pages.py

Budgets, on the wire with gzip: home HTML <= 14 KB (one round trip), whole first load <= 60 KB.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent / "letdown"
HOME_BUDGET = 14 * 1024
FIRST_LOAD_BUDGET = 60 * 1024
EMAIL, PASSWORD = "bench@example.org", "correct horse battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(url: str) -> None:
    from letdown.domain.choices import Role
    from letdown.services.accounts import households
    from letdown.services.accounts import users as accounts
    from letdown.services.portability import demo
    from letdown.services.schedule import settings as household_settings
    from letdown.services.stash import containers as stash
    from letdown.store.db import Store

    store = Store(url)
    now = datetime.now(UTC)
    with store.session() as db:
        home = households.create(db, now=now, name="The Okafors", timezone="Europe/London")
        user = accounts.create_user(db, email=EMAIL, password=PASSWORD, now=now)
        accounts.add_member(db, home.id, user.id, Role.OWNER, now=now)
        household_settings.update_settings(db, home.id, now=now, session_interval_minutes=180)
        demo.seed(db, home.id, now=now)
        for hours, place in [(70, "fridge"), (90, "fridge"), (5, "room"), (30, "fridge"), (2, "freezer")]:
            expressed = (now - timedelta(hours=hours)).isoformat()
            stash.add(db, home.id, ml=90, expressed_at=expressed, location=place, now=now)
    store.dispose()


ENCODINGS = ("identity", "gzip", "br")


def on_wire(client: httpx.Client, path: str) -> tuple[int, ...]:
    """Bytes received for ``path`` with each of ``ENCODINGS`` (the body as sent, not decoded)."""
    sizes = []
    for encoding in ENCODINGS:
        with client.stream("GET", path, headers={"Accept-Encoding": encoding}) as response:
            response.raise_for_status()
            sent = response.headers.get("content-encoding", "identity")
            # Bodies under 500 bytes go as they are (compressing them gains nothing).
            assert sent in (encoding, "identity"), f"{path}: asked {encoding}, got {sent}"
            sizes.append(sum(len(chunk) for chunk in response.iter_raw()))
    return tuple(sizes)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="letdown-bench-pages-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    seed(url)
    port = free_port()
    env = {**os.environ, "LETDOWN_SECURE_COOKIES": "0"}
    server = subprocess.Popen(
        [str(BIN), "--db", url, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/healthz")
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        with httpx.Client(base_url=base, follow_redirects=True) as client:
            form = client.get("/signin").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
            client.post("/signin", data={"email": EMAIL, "password": PASSWORD, "csrf": csrf})
            home = client.get("/")
            assert home.url.path == "/", f"not signed in: {home.url}"
            assets = re.findall(r'<(?:link|script)[^>]+(?:href|src)="(/[^"]+)"', home.text)
            rows = [("home HTML", *on_wire(client, "/"))]
            for path in assets:
                rows.append((path.split("?")[0], *on_wire(client, path)))
            others = []
            for path in ("/log", "/log?days=90", "/stash", "/guide", "/guide/let-down", "/settings"):
                others.append((path, *on_wire(client, path)))
    finally:
        server.terminate()
        server.wait()
    total = sum(r[2] for r in rows)
    header = f"{'':<24}{'identity':>9}{'gzip':>9}{'br':>9}"
    print(header.replace(" " * 10, "first load", 1))
    for name, raw, packed, brotli in rows:
        print(f"{name:<24}{raw:>9}{packed:>9}{brotli:>9}")
    print(f"{'total':<24}{sum(r[1] for r in rows):>9}{total:>9}{sum(r[3] for r in rows):>9}")
    home_gz = rows[0][2]
    home_ok = "ok" if home_gz <= HOME_BUDGET else "OVER"
    total_ok = "ok" if total <= FIRST_LOAD_BUDGET else "OVER"
    print(f"home HTML gzip:  {home_gz / 1024:6.1f} KB (budget 14 KB) {home_ok}")
    print(f"first load gzip: {total / 1024:6.1f} KB (budget 60 KB) {total_ok}")
    print("\n" + header.replace(" " * 11, "other pages", 1))
    for name, raw, packed, brotli in others:
        print(f"{name:<24}{raw:>9}{packed:>9}{brotli:>9}")


if __name__ == "__main__":
    main()
