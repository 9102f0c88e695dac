"""letdown behind a real reverse proxy: Debian's Caddy with its internal TLS (deploy/Caddyfile's
shape). Shows, from the "phone" side:

- sign-in over HTTPS sets Secure cookies, and they work;
- the sign-in limit counts the real client address that Caddy reports (two phones, two counts);
- a forged X-Forwarded-For is ignored: Caddy replaces it, and letdown believes none from a peer
  not named in --forwarded-allow-ips (a client reaching letdown's port directly).

The "phones" are other loopback addresses (127.0.0.2, 127.0.0.3...): on Linux the whole
127.0.0.0/8 is this machine, so each can be a distinct client without a network.

Skipped when ``caddy`` is not installed, unless ``LETDOWN_REQUIRE_CADDY`` is set (CI sets it and
installs Debian's caddy package), then it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

BIN = Path(sys.executable).parent / "letdown"
PASSWORD = "correct horse battery"
EMAIL = "ada@example.org"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _caddy() -> str:
    found = shutil.which("caddy")
    if found:
        return found
    if os.environ.get("LETDOWN_REQUIRE_CADDY"):
        pytest.fail("LETDOWN_REQUIRE_CADDY is set but caddy is missing (apt-get install caddy)")
    pytest.skip("caddy is missing: apt-get install caddy (set LETDOWN_REQUIRE_CADDY=1 to fail instead)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what: str, proc: subprocess.Popen[bytes], log: Path) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        if proc.poll() is not None:
            raise AssertionError(f"{what} exited {proc.returncode}:\n{log.read_text()}")
        try:
            check()
            return
        except (httpx.HTTPError, OSError):
            time.sleep(0.1)
    raise AssertionError(f"{what} did not answer in 20 s:\n{log.read_text()}")


@dataclass
class Site:
    https: str  # Caddy, what phones use
    direct: str  # letdown's own port, what a client on the host could reach
    ca: Path  # Caddy's local root certificate
    app_log: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    caddy = _caddy()
    folder = tmp_path_factory.mktemp("caddy")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LETDOWN_")}
    env["LETDOWN_HOME"] = str(folder / "home")
    # A user to sign in as, made with the command line like a person would.
    subprocess.run([str(BIN), "init", "--name", "Okafor"], env=env, check=True, capture_output=True)
    subprocess.run(
        [str(BIN), "user", "add", EMAIL, "--role", "owner"],
        env=env,
        input=f"{PASSWORD}\n".encode(),
        check=True,
        capture_output=True,
    )
    app_port, https_port, http_port = free_port(), free_port(), free_port()
    app_log = folder / "letdown.log"
    app = subprocess.Popen(
        [str(BIN), "serve", "--port", str(app_port), "--forwarded-allow-ips", "127.0.0.1", "--access-log"],
        env=env,
        stdout=app_log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    caddyfile = folder / "Caddyfile"
    caddyfile.write_text(
        f"""{{
\tadmin off
\tskip_install_trust
\tstorage file_system {folder / "caddy-data"}
\thttp_port {http_port}
\thttps_port {https_port}
}}

https://localhost:{https_port} {{
\tbind 127.0.0.1
\ttls internal
\tencode zstd gzip
\treverse_proxy 127.0.0.1:{app_port}
}}
"""
    )
    caddy_log = folder / "caddy.log"
    proxy = subprocess.Popen(
        [caddy, "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
        env={**env, "HOME": str(folder), "XDG_DATA_HOME": str(folder / "xdg")},
        stdout=caddy_log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(
            lambda: httpx.get(f"http://127.0.0.1:{app_port}/healthz", timeout=1), "letdown", app, app_log
        )
        ca = folder / "caddy-data" / "pki" / "authorities" / "local" / "root.crt"
        url = f"https://localhost:{https_port}"

        def through_caddy() -> None:
            if not ca.exists():
                raise OSError("no CA yet")
            httpx.get(
                f"{url}/healthz", verify=ssl.create_default_context(cafile=str(ca)), timeout=2
            ).raise_for_status()

        wait_for(through_caddy, "caddy", proxy, caddy_log)
        yield Site(url, f"http://127.0.0.1:{app_port}", ca, app_log)
    finally:
        for proc in (proxy, app):
            proc.terminate()
            proc.wait(10)


def phone(site: Site, address: str, *, direct: bool = False) -> httpx.Client:
    """A client whose connections come from ``address`` (another loopback address)."""
    transport = httpx.HTTPTransport(
        local_address=address, verify=ssl.create_default_context(cafile=str(site.ca))
    )
    return httpx.Client(base_url=site.direct if direct else site.https, transport=transport)


def sign_in(client: httpx.Client, password: str, headers: dict[str, str] | None = None) -> httpx.Response:
    form = client.get("/signin")
    token = _CSRF.search(form.text)
    assert token, form.text[:500]
    return client.post(
        "/signin", data={"email": EMAIL, "password": password, "csrf": token.group(1)}, headers=headers or {}
    )


def test_sign_in_through_caddy_sets_secure_cookies_that_work(site: Site) -> None:
    with phone(site, "127.0.0.2") as client:
        response = sign_in(client, PASSWORD)
        assert response.status_code == 303, response.text[:500]
        cookies = response.headers.get_list("set-cookie")
        session = [c for c in cookies if c.startswith("letdown_session=")]
        assert session, cookies
        assert "; secure" in session[0].lower() and "httponly" in session[0].lower()
        home = client.get("/settings")
        assert home.status_code == 200 and EMAIL in home.text
        # Caddy compresses too; what reaches the phone is still the page.
        assert (
            client.get("/settings", headers={"Accept-Encoding": "gzip"}).headers["content-encoding"] == "gzip"
        )


def test_the_sign_in_limit_counts_the_real_client_address_and_ignores_forged_headers(site: Site) -> None:
    with phone(site, "127.0.0.3") as a:
        for i in range(5):
            # Each try forges a new X-Forwarded-For: Caddy replaces it with the real address.
            failed = sign_in(a, "wrong password", {"X-Forwarded-For": f"203.0.113.{i}"})
            assert failed.status_code == 401 and "Wrong email or password" in failed.text
        limited = sign_in(a, PASSWORD, {"X-Forwarded-For": "203.0.113.99"})
        assert limited.status_code == 429
        assert f"Too many sign-in attempts for {EMAIL}" in limited.text
    # Another phone on the same network is its own client: not limited by the first one.
    with phone(site, "127.0.0.4") as b:
        assert sign_in(b, PASSWORD).status_code == 303
    # The access log names the real phones, not Caddy's address.
    log = site.app_log.read_text()
    assert re.search(r"127\.0\.0\.3:\d+ - \"POST /signin HTTP/1\.1\" 401", log), log[-2000:]
    assert re.search(r"127\.0\.0\.4:\d+ - \"POST /signin HTTP/1\.1\" 303", log), log[-2000:]
    assert "203.0.113." not in log


def test_forwarded_headers_from_a_peer_not_named_are_ignored(site: Site) -> None:
    # A client on the host reaching letdown's own port, pretending to be many clients in turn.
    with phone(site, "127.0.0.5", direct=True) as sneaky:
        for i in range(5):
            headers = {"X-Forwarded-For": f"198.51.100.{i}", "X-Forwarded-Proto": "https"}
            assert sign_in(sneaky, "wrong password", headers).status_code == 401
        limited = sign_in(sneaky, PASSWORD, {"X-Forwarded-For": "198.51.100.200"})
        assert limited.status_code == 429, "the forged addresses were believed"
    log = site.app_log.read_text()
    assert "198.51.100." not in log
    assert re.search(r"127\.0\.0\.5:\d+ - \"POST /signin HTTP/1\.1\" 429", log), log[-2000:]
