"""A stand-in for a Baby Buddy server: the documented JSON shapes, token auth and pagination
(Django REST framework's limit/offset: ``{"count", "next", "previous", "results"}``).

Runs in a thread on 127.0.0.1 with a free port; nothing else is contacted.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, Header, HTTPException, Request

KEY = "0123456789abcdef0123456789abcdef01234567"
PAGE = 2  # small, so that every list spans pages


def make_app(state: dict[str, Any]) -> FastAPI:
    app = FastAPI()

    def check(authorization: str | None) -> None:
        if authorization != f"Token {KEY}":
            raise HTTPException(401, "Invalid token.")

    def page(request: Request, rows: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
        child = request.query_params.get("child")
        if child is not None:
            rows = [r for r in rows if str(r.get("child")) == child]
        base = str(request.url.remove_query_params(["limit", "offset"]))
        sep = "&" if "?" in base else "?"
        nxt = f"{base}{sep}limit={limit}&offset={offset + limit}" if offset + limit < len(rows) else None
        prev = f"{base}{sep}limit={limit}&offset={max(0, offset - limit)}" if offset > 0 else None
        return {"count": len(rows), "next": nxt, "previous": prev, "results": rows[offset : offset + limit]}

    for name in ("children", "pumping", "feedings"):

        def listing(
            request: Request,
            limit: int = PAGE,
            offset: int = 0,
            authorization: str | None = Header(None),
            name: str = name,
        ) -> dict[str, Any]:
            check(authorization)
            state["requests"].append(("GET", str(request.url)))
            return page(request, state[name], limit, offset)

        app.get(f"/api/{name}/")(listing)

    @app.post("/api/pumping/", status_code=201)
    async def create(request: Request, authorization: str | None = Header(None)) -> dict[str, Any]:
        check(authorization)
        body = await request.json()
        for key in ("child", "start", "end"):
            if not body.get(key):
                raise HTTPException(400, {key: ["This field is required."]})
        entry = {"id": 1000 + len(state["pumping"]), "duration": None, "tags": [], **body}
        state["pumping"].append(entry)
        state["requests"].append(("POST", "/api/pumping/"))
        return entry

    return app


def sample_state() -> dict[str, Any]:
    return {
        "requests": [],
        "children": [
            {"id": 1, "first_name": "Ada", "last_name": "O", "birth_date": "2026-11-01", "slug": "ada-o"}
        ],
        "pumping": [
            {
                "id": 11,
                "child": 1,
                "amount": 60.0,
                "start": "2026-11-24T06:00:00Z",
                "end": "2026-11-24T06:20:00Z",
                "duration": "00:20:00",
                "notes": "",
                "tags": [],
            },
            {
                "id": 12,
                "child": 1,
                "amount": 45.5,
                "start": "2026-11-24T09:05:00+00:00",
                "end": "2026-11-24T09:25:00+00:00",
                "duration": "00:20:00",
                "notes": "after the feed",
                "tags": [],
            },
            {
                "id": 13,
                "child": 1,
                "amount": None,
                "start": "2026-11-24T12:00:00Z",
                "end": "2026-11-24T12:15:00Z",
                "duration": "00:15:00",
                "notes": None,
                "tags": [],
            },
        ],
        "feedings": [
            {
                "id": 21,
                "child": 1,
                "start": "2026-11-24T14:00:00Z",
                "end": "2026-11-24T14:20:00Z",
                "duration": "00:20:00",
                "type": "breast milk",
                "method": "left breast",
                "amount": 30,
                "notes": "",
                "tags": [],
            },
            {
                "id": 22,
                "child": 1,
                "start": "2026-11-24T15:00:00Z",
                "end": "2026-11-24T15:10:00Z",
                "duration": "00:10:00",
                "type": "breast milk",
                "method": "bottle",
                "amount": 90,
                "notes": "",
                "tags": [],
            },
            {
                "id": 23,
                "child": 1,
                "start": "2026-11-24T17:00:00Z",
                "end": "2026-11-24T17:20:00Z",
                "duration": "00:20:00",
                "type": "breast milk",
                "method": "both breasts",
                "amount": None,
                "notes": "",
                "tags": [],
            },
        ],
    }


@contextmanager
def serve(state: dict[str, Any]) -> Iterator[str]:
    """Serve the stand-in on a free loopback port; yields its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(make_app(state), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the Baby Buddy stand-in did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
