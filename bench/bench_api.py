"""Benchmark of the expression log: API latency and throughput, server memory, CLI cold start.

Seeds ten years of sessions (about 30,000) for one household into a scratch database, starts
``letdown serve`` on loopback, and sends a bounded load (a fixed number of requests per
client) with 1 and 16 concurrent clients. Prints a table. Not a test: run it by hand.

    .venv/bin/python bench/bench_api.py [--db URL] [--requests 300] [--workers 1]

Targets (2-core machine): p99 under 50 ms, cold start under 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert

BIN = Path(sys.executable).parent / "letdown"
YEARS = 10
PER_DAY = 8  # about 30,000 sessions over ten years, the figure


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(url: str) -> tuple[str, int]:
    """A household with ten years of sessions; returns a bearer token and the session count."""
    from letdown.services.accounts import households, tokens
    from letdown.store.db import Store
    from letdown.store.models import ExpressionSession
    from letdown.store.types import new_id

    store = Store(url)
    now = datetime.now(UTC)
    rng = random.Random(7)
    with store.session() as db:
        home = households.create(db, now=now, name="Bench", timezone="Europe/London")
        token, _ = tokens.create(db, home.id, name="bench", now=now)
        rows = []
        start = now - timedelta(days=365 * YEARS)
        day = 0
        while start + timedelta(days=day) < now - timedelta(days=1):
            base = start + timedelta(days=day)
            for k in range(PER_DAY):
                s = base + timedelta(hours=3 * k, minutes=rng.randint(0, 40))
                rows.append(
                    {
                        "household_id": home.id,
                        "id": new_id(),
                        "started_at": s,
                        "ended_at": s + timedelta(minutes=rng.randint(10, 30)),
                        "method": rng.choice(["hand", "pump", "hands-on-pump"]),
                        "left_ml": float(rng.randint(10, 90)),
                        "right_ml": float(rng.randint(10, 90)),
                        "passive_ml": None,
                        "let_downs": [(s + timedelta(minutes=2)).isoformat()],
                        "comfort": rng.randint(5, 10),
                        "note": None,
                        "created_at": s,
                        "updated_at": s,
                    }
                )
            day += 1
        for i in range(0, len(rows), 5000):
            db.execute(insert(ExpressionSession), rows[i : i + 5000])
        db.commit()
    store.dispose()
    return token, len(rows)


def rss_kib(pid: int) -> tuple[int, int]:
    """Current and peak resident memory of a process and its children (uvicorn workers)."""
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    cur = peak = 0
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                cur += int(line.split()[1])
            if line.startswith("VmHWM:"):
                peak += int(line.split()[1])
    return cur, peak


def load(
    base: str, token: str, kind: str, clients: int, per_client: int, rate: float | None = None
) -> dict[str, float]:
    """``clients`` concurrent clients, each sending ``per_client`` requests; latencies in ms.

    Without ``rate`` each client sends back to back (saturation: throughput). With ``rate``
    (requests per second, all clients together) each client paces itself, so the load is
    bounded and the latency is the server's, not a queue's. The clients are asyncio tasks on
    one connection each, so the load generator itself stays light on a small machine.
    """
    return asyncio.run(_load(base, token, kind, clients, per_client, rate))


async def _load(
    base: str, token: str, kind: str, clients: int, per_client: int, rate: float | None
) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    headers = {"Authorization": f"Bearer {token}"}
    interval = clients / rate if rate else 0.0
    limits = httpx.Limits(max_connections=1)
    pool = [
        httpx.AsyncClient(base_url=base, headers=headers, timeout=10, limits=limits) for _ in range(clients)
    ]
    # Connect first (one untimed request each): the figures are for requests on open,
    # kept-alive connections, not for the load generator's own start-up.
    await asyncio.gather(*(c.get("/healthz") for c in pool))
    start = time.perf_counter()

    async def worker(n: int) -> None:
        nonlocal errors
        client = pool[n]
        next_at = start + (n * interval / clients if rate else 0.0)
        for i in range(per_client):
            if rate:
                pause = next_at - time.perf_counter()
                if pause > 0:
                    await asyncio.sleep(pause)
                next_at += interval
            t0 = time.perf_counter()
            if kind == "list":
                r = await client.get("/api/v1/sessions")
            else:
                minutes_ago = 60 + (n * per_client + i) % 600
                body = {"started_at": f"-{minutes_ago}m", "minutes": 15, "method": "hand", "left_ml": 20}
                r = await client.post("/api/v1/sessions", json=body)
            latencies.append((time.perf_counter() - t0) * 1000)
            errors += r.status_code >= 400

    await asyncio.gather(*(worker(n) for n in range(clients)))
    elapsed = time.perf_counter() - start
    await asyncio.gather(*(c.aclose() for c in pool))
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p90": q[89],
        "p99": q[98],
    }


def cold_start(args: list[str], env: dict[str, str], runs: int = 7, program: Path = BIN) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([str(program), *args], env=env, check=True, capture_output=True)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="Database URL (default: a scratch SQLite file)")
    parser.add_argument("--requests", type=int, default=300, help="Requests per client at concurrency 1")
    parser.add_argument("--workers", type=int, default=1, help="Server processes")
    parser.add_argument(
        "--rate", type=float, default=100.0, help="Bounded load: requests/s of all 16 clients together"
    )
    opts = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="letdown-bench-")
    from letdown.config import normalize_url

    url = normalize_url(opts.db) if opts.db else f"sqlite:///{scratch}/bench.db"
    t0 = time.perf_counter()
    token, count = seed(url)
    seeded = time.perf_counter() - t0

    port = free_port()
    env = {**os.environ, "LETDOWN_DATABASE_URL": url, "LETDOWN_HOME": scratch}
    server = subprocess.Popen(
        [str(BIN), "serve", "--port", str(port), "--workers", str(opts.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit(
                "server did not start: " + server.stderr.read().decode() if server.stderr else ""
            )
        idle_rss, _ = rss_kib(server.pid)
        load(base, token, "list", 1, 20)  # warm up
        results = []
        for kind in ("list", "create"):
            results.append((kind, "1", load(base, token, kind, 1, opts.requests)))
            per_client = max(opts.requests // 8, 20)
            results.append(
                (kind, f"16@{opts.rate:g}/s", load(base, token, kind, 16, per_client, rate=opts.rate))
            )
            results.append((kind, "16 max", load(base, token, kind, 16, per_client)))
        rss, peak = rss_kib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)

    cli_env = {**env, "LETDOWN_DATABASE_URL": url}
    help_ms = cold_start(["--help"], cli_env)
    list_ms = cold_start(["log", "list", "--json"], cli_env)
    # The floor under any command that reads the database: Python plus SQLAlchemy's ORM.
    floor_ms = cold_start(["-c", "import sqlalchemy.orm"], cli_env, program=Path(sys.executable))

    print(
        f"letdown API bench: {count} sessions seeded in {seeded:.1f} s; server workers={opts.workers}; "
        f"database {url.split('@')[-1].split('://')[0]}; {os.cpu_count()} CPUs"
    )
    print(
        f"{'endpoint':<22}{'clients':>12}{'requests':>10}{'errors':>8}{'req/s':>9}"
        f"{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}"
    )
    for kind, clients, r in results:
        name = "GET /api/v1/sessions" if kind == "list" else "POST /api/v1/sessions"
        print(
            f"{name:<22}{clients:>12}{r['requests']:>10}{r['errors']:>8}{r['rps']:>9.0f}"
            f"{r['p50']:>9.1f}{r['p90']:>9.1f}{r['p99']:>9.1f}"
        )
    print(
        f"server RSS: idle {idle_rss / 1024:.0f} MiB, after load {rss / 1024:.0f} MiB, "
        f"peak {peak / 1024:.0f} MiB"
    )
    print(
        f"cold start (median of 7): letdown --help {help_ms:.0f} ms; "
        f"letdown log list --json {list_ms:.0f} ms "
        f"(floor: python -c 'import sqlalchemy.orm' {floor_ms:.0f} ms)"
    )
    print(
        json.dumps(
            {
                "sessions": count,
                "results": [{"kind": k, "clients": c, **r} for k, c, r in results],
                "rss_mib": rss / 1024,
                "help_ms": help_ms,
                "floor_ms": floor_ms,
                "list_ms": list_ms,
            }
        )
    )


if __name__ == "__main__":
    main()
