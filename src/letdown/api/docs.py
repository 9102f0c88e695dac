"""The API's documentation pages, served entirely by letdown: no CDN, no other host.

``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) load their scripts and styles from
``/docs/assets/``: the files shipped in the ``fastapi-offline`` package (Swagger UI 5 and
ReDoc 2, the versions FastAPI's own pages point at). Only its static files are used. The page
starts Swagger UI from a script file of ours (``web/static/apidocs.js``), so the page's
Content-Security-Policy allows scripts from this host only.
"""

from __future__ import annotations

import html
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_PATH = "/docs/assets"
SWAGGER_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png")

# Swagger UI and ReDoc set styles from script; ReDoc renders its search in a worker from a blob.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
REDOC_CSP = DOCS_CSP.replace("script-src 'self'", "script-src 'self'; worker-src blob:")


def assets_dir() -> Path:
    """The folder holding Swagger UI's and ReDoc's files (from the ``fastapi-offline`` wheel)."""
    return Path(str(files("fastapi_offline") / "static"))


def _page(title: str, head: str, body: str, csp: str) -> HTMLResponse:
    document = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="{ASSETS_PATH}/favicon.png">{head}</head>'
        f"<body>{body}</body></html>"
    )
    return HTMLResponse(document, headers={"Content-Security-Policy": csp})


def install(app: FastAPI) -> None:
    """Serve ``/docs``, ``/redoc`` and their assets (the app is built with both URLs off)."""
    app.mount(ASSETS_PATH, StaticFiles(directory=assets_dir()), name="apidocs-assets")
    title = f"{app.title} API"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _page(
            title,
            f'<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">',
            '<div id="swagger-ui" data-openapi="/openapi.json"></div>'
            f'<script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>'
            '<script src="/static/apidocs.js"></script>',
            DOCS_CSP,
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _page(
            f"{app.title} API (ReDoc)",
            "",
            '<redoc spec-url="/openapi.json"></redoc>'
            f'<script src="{ASSETS_PATH}/redoc.standalone.js"></script>',
            REDOC_CSP,
        )
