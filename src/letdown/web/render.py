"""Rendering pages: one Jinja2 environment, the filters templates use, and the static files."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape

from letdown.api.guard import PAGE_CSP
from letdown.domain.choices import Units
from letdown.domain.permissions import Action
from letdown.domain.schedule import short_duration
from letdown.domain.units import format_volume
from letdown.web import deps

HERE = Path(__file__).parent
STATIC = HERE / "static"


def _profile_names() -> dict[str, str]:
    from letdown.guidance.rules import profiles

    return {p.value: info.name for p, info in profiles().items()}


def _profile_texts() -> dict[str, str]:
    from letdown.guidance.rules import profiles

    return {p.value: info.text for p, info in profiles().items()}


@cache
def asset_version() -> str:
    """A short hash of the static files, appended to their URLs so they can be cached for long."""
    digest = hashlib.sha256()
    for path in sorted(STATIC.iterdir()):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


@cache
def zone_names() -> list[str]:
    """IANA zones people pick from (Area/City), for the time zone fields' suggestions."""
    from zoneinfo import available_timezones

    return sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


@pass_context
def _vol(ctx: Any, ml: float | None) -> str:
    return format_volume(ml, ctx.get("units") or Units.ML)


@pass_context
def _local(ctx: Any, moment: datetime | None, fmt: str | None = None) -> str:
    """A time in the household's zone: ``Wed 25 Nov 14:30``, with the year when it is not this one."""
    if moment is None:
        return "-"
    tz: ZoneInfo = ctx.get("tz") or ZoneInfo("UTC")
    local = moment.astimezone(tz)
    if fmt is None:
        now: datetime | None = ctx.get("now")
        this_year = (now or datetime.now(tz)).astimezone(tz).year
        fmt = "%a %d %b %H:%M" if local.year == this_year else "%a %d %b %Y %H:%M"
    return local.strftime(fmt)


@pass_context
def _iso(ctx: Any, moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.isoformat(timespec="seconds")


def _duration(delta: timedelta | None) -> str:
    return "-" if delta is None else short_duration(delta)


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "svg"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(vol=_vol, local=_local, iso=_iso, duration=_duration)
    env.globals.update(
        Action=Action,
        may=deps.may,
        asset_version=asset_version,
        profile_names=_profile_names(),
        profile_texts=_profile_texts(),
    )
    return env


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    flash: str | None = None,
    error: str | None = None,
) -> HTMLResponse:
    """A page. Context always has ``viewer``, ``csrf``, ``flash``, ``error`` and ``theme``."""
    viewer = getattr(request.state, "viewer", None)
    csrf = viewer.csrf_token if viewer is not None else deps.anon_csrf(request)
    ctx: dict[str, Any] = {
        "request": request,
        "viewer": viewer,
        "csrf": csrf,
        "flash": flash,
        "error": error,
        "theme": request.cookies.get(deps.THEME_COOKIE, "")
        if request.cookies.get(deps.THEME_COOKIE, "")
        in (
            "dark",
            "light",
        )
        else "",
        "path": request.url.path,
    }
    ctx.update(context or {})
    html = environment().get_template(template).render(ctx)
    response = HTMLResponse(html, status_code=status, headers=_headers())
    new = getattr(request.state, "new_csrf", None)
    if new:
        deps.set_cookie(request, response, deps.CSRF_COOKIE, new, None)
    return response


def _headers() -> dict[str, str]:
    return {
        "Cache-Control": "no-store",
        "Content-Security-Policy": PAGE_CSP,
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
    }


def redirect(url: str) -> RedirectResponse:
    """POST-redirect-GET: 303 so the browser GETs the next page."""
    return RedirectResponse(url, status_code=303)


#: Pages the service worker keeps from the first visit (and every guide topic).
OFFLINE_PAGES = ("/", "/log", "/log/new", "/timer", "/coach", "/guide")
#: Static files templates name without a version.
UNVERSIONED = ("/static/icon.svg", "/static/icon-180.png", "/static/icon-192.png", "/static/icon-512.png")


@cache
def offline_config() -> dict[str, Any]:
    """What the service worker caches: the versioned static files and the app's pages."""
    from letdown.services import guide

    version = asset_version()
    assets = [f"/static/{p.name}?v={version}" for p in sorted(STATIC.iterdir()) if p.name != "sw.js"]
    assets += [*UNVERSIONED, "/manifest.webmanifest"]
    pages = [*OFFLINE_PAGES, *(f"/guide/{t.id}" for t in guide.list_topics())]
    return {"version": version, "assets": assets, "pages": pages}


def mount_static(app: FastAPI) -> None:
    """``/static/*`` (long-cached: their URLs carry a version) and the web app manifest."""

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        path = STATIC / name
        if "/" in name or name.startswith(".") or not path.is_file():
            return Response("Not found", status_code=404, media_type="text/plain")
        media = {
            ".css": "text/css",
            ".js": "text/javascript",
            ".svg": "image/svg+xml",
            ".png": "image/png",
            ".webmanifest": "application/manifest+json",
        }.get(path.suffix, "application/octet-stream")
        return Response(
            path.read_bytes(),
            media_type=media,
            headers={
                "Cache-Control": "public, max-age=31536000, immutable",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @app.get("/sw.js", include_in_schema=False)
    def service_worker() -> Response:
        """The service worker (``static/sw.js``) at the root, so it controls every page, with
        what it keeps offline on its first line."""
        return Response(
            f"self.LETDOWN = {json.dumps(offline_config())};\n" + (STATIC / "sw.js").read_text("utf-8"),
            media_type="text/javascript",
            headers={
                "Cache-Control": "no-cache",
                "X-Content-Type-Options": "nosniff",
                # A worker's own policy governs its fetches: the same origin only.
                "Content-Security-Policy": "default-src 'self'",
            },
        )

    @app.get("/manifest.webmanifest", include_in_schema=False)
    def manifest() -> Response:
        return Response(
            (STATIC / "manifest.webmanifest").read_bytes(),
            media_type="application/manifest+json",
            headers={"Cache-Control": "public, max-age=3600"},
        )
