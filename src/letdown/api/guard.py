"""The edge of the app, one ASGI middleware in front of every route (API and web pages):

- **Proxies**: ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed only from the peer
  addresses named in ``LETDOWN_FORWARDED_ALLOW_IPS`` (comma-separated addresses or networks,
  ``*`` for any; ``letdown serve --forwarded-allow-ips`` sets it). By default no peer is
  trusted. The real peer address stays available to ``peer_address`` (claiming the command
  line's household needs it).
- **Hostile addresses**: a NUL character or a lone surrogate in the path answers 404, in the
  query 422: they can name nothing, and PostgreSQL cannot even compare them.
- **Bodies**: at most ``limits.MAX_BODY_BYTES`` (``MAX_IMPORT_BYTES`` for ``/api/v1/import``),
  refused with 413 from ``Content-Length`` or as soon as the stream passes the limit, before
  anything is parsed. A JSON body (but an import, which is checked as it is read) must nest at
  most ``limits.MAX_JSON_DEPTH`` deep and hold only storable text, else 422 naming where.
- **Headers**: every response gets ``X-Content-Type-Options``, ``Referrer-Policy`` and a
  Content-Security-Policy (the pages' own when a route set one).

Refusals use the one JSON error shape under ``/api/`` and a short HTML page elsewhere.
"""

from __future__ import annotations

import html
import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import unquote_to_bytes

from letdown.domain import limits

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

FORWARDED_ENV = "LETDOWN_FORWARDED_ALLOW_IPS"
IMPORT_PATH = "/api/v1/import"

PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The clinician's report is one self-contained page: inline styles and SVG, no script.
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)

# The report's headers, on /report and /share/...: body data, not kept in a cache, not indexed,
# no referrer leaving the page (a share link's token is in its address).
REPORT_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": REPORT_CSP,
}
DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


class TrustedProxies:
    """The peers whose forwarded headers are believed (``LETDOWN_FORWARDED_ALLOW_IPS``)."""

    def __init__(self, setting: str | None) -> None:
        self.any = False
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for item in (setting or "").split(","):
            item = item.strip()
            if not item:
                continue
            if item == "*":
                self.any = True
                continue
            try:
                self.networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(
                    f"{FORWARDED_ENV}: '{item}' is not an IP address or network "
                    "(like 127.0.0.1 or 10.0.0.0/8)"
                ) from None

    @classmethod
    def from_env(cls) -> TrustedProxies:
        from letdown.config import settings

        return cls(settings().forwarded_allow_ips or None)

    def trusts(self, host: str | None) -> bool:
        if self.any:
            return True
        try:
            ip = ipaddress.ip_address((host or "").strip("[]"))
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        return any(ip in net for net in self.networks)


def _header(scope: Scope, name: bytes) -> str | None:
    values = [v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == name]
    return ",".join(values) if values else None


def peer_address(scope: Scope) -> str | None:
    """The address of whoever opened the connection (not what a proxy says), and only when the
    request carries no forwarded header: a request relayed by a proxy is from elsewhere."""
    state = scope.get("state") or {}
    if state.get("forwarded"):
        return None
    return state.get("peer")


def _refusal(scope: Scope, status: int, field: str, message: str) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    path: str = scope.get("path", "")
    extra: list[tuple[bytes, bytes]] = []
    if path.startswith("/api/"):
        errors = [{"field": field, "message": message}] if field else []
        text = f"{field}: {message}" if field else message
        body = json.dumps({"ok": False, "status": status, "error": text, "errors": errors}).encode()
        extra.append((b"content-type", b"application/json"))
    else:
        titles = {404: "Not found", 413: "Too large", 422: "Check the form"}
        title = titles.get(status, "Refused")
        body = (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="stylesheet" href="/static/app.css"></head><body><main><h1>{title}</h1>'
            f'<p role="alert">{html.escape(message)}</p><p><a href="/">Back to letdown</a></p>'
            "</main></body></html>"
        ).encode()
        extra.append((b"content-type", b"text/html; charset=utf-8"))
    extra.append((b"content-length", str(len(body)).encode()))
    return body, extra


class Guard:
    def __init__(self, app: ASGIApp, proxies: TrustedProxies | None = None) -> None:
        self.app = app
        self.proxies = proxies if proxies is not None else TrustedProxies.from_env()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self._forwarding(scope)
        send = self._with_headers(scope, send)

        path: str = scope.get("path", "")
        if limits.text_problem(path):
            await self._refuse(scope, send, 404, "", "There is no page at this address")
            return
        query = unquote_to_bytes(scope.get("query_string", b"").decode("latin-1").replace("+", " "))
        try:
            decoded = query.decode("utf-8")
        except UnicodeDecodeError:
            await self._refuse(scope, send, 422, "query", "is not UTF-8 text")
            return
        problem = limits.text_problem(decoded)
        if problem:
            await self._refuse(scope, send, 422, "query", problem)
            return

        limit = limits.MAX_IMPORT_BYTES if path == IMPORT_PATH else limits.MAX_BODY_BYTES
        length = _header(scope, b"content-length")
        if length is not None:
            try:
                too_big = int(length.split(",")[0]) > limit
            except ValueError:
                too_big = False
            if too_big:
                await self._too_large(scope, send, limit)
                return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE") and length is None:
            await self.app(scope, receive, send)
            return

        # Read the body (bounded), then hand it to the app as if it came from the client.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._too_large(scope, send, limit)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)

        content_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
        is_json = content_type == "application/json" or content_type.endswith("+json")
        if body and is_json and path != IMPORT_PATH:
            found = json_refusal(body)
            if found is not None:
                await self._refuse(scope, send, 422, *found)
                return

        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _forwarding(self, scope: Scope) -> None:
        client = scope.get("client")
        peer = client[0] if client else None
        forwarded_for = _header(scope, b"x-forwarded-for")
        relayed = any(
            _header(scope, name) is not None
            for name in (b"x-forwarded-for", b"x-forwarded-proto", b"forwarded")
        )
        state = scope.setdefault("state", {})
        state["peer"] = peer
        state["forwarded"] = relayed
        if not relayed or not self.proxies.trusts(peer):
            return
        if forwarded_for:
            hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
            chosen = hops[0] if hops else None
            for hop in reversed(hops):
                if not self.proxies.trusts(hop):
                    chosen = hop
                    break
            if chosen:
                scope["client"] = (chosen, 0)
        proto = _header(scope, b"x-forwarded-proto")
        if proto:
            scheme = proto.split(",")[-1].strip().lower()
            if scheme in ("http", "https"):
                scope["scheme"] = scheme

    def _with_headers(self, scope: Scope, send: Send) -> Send:

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if b"x-content-type-options" not in names:
                    headers.append((b"x-content-type-options", b"nosniff"))
                if b"referrer-policy" not in names:
                    headers.append((b"referrer-policy", b"same-origin"))
                if b"content-security-policy" not in names:
                    csp = PAGE_CSP if content_type.startswith(b"text/html") else DATA_CSP
                    headers.append((b"content-security-policy", csp.encode()))
                message["headers"] = headers
            await send(message)

        return wrapped

    async def _too_large(self, scope: Scope, send: Send, limit: int) -> None:
        megabytes = limit // (1024 * 1024)
        await self._refuse(
            scope, send, 413, "body", f"is larger than {megabytes} MB, the most this address takes"
        )

    async def _refuse(self, scope: Scope, send: Send, status: int, field: str, message: str) -> None:
        body, headers = _refusal(scope, status, field, message)
        if status == 413:
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def json_refusal(body: bytes) -> tuple[str, str] | None:
    """(field, message) when a JSON body is nested too deep or holds text that cannot be
    stored; None otherwise (malformed JSON is left to the route, which says where)."""
    try:
        data = json.loads(body)
    except RecursionError:
        return "body", f"is nested more than {limits.MAX_JSON_DEPTH} levels deep"
    except ValueError:
        return None
    return limits.json_problem(data)
