"""The web app: server-rendered pages on the same services as the CLI and the API.

Pages are FastAPI routers returning HTML from Jinja2 templates (``web/templates/``); static
files are served from ``web/static/``. Every page but the coach works without JavaScript.
Add a page by adding one line to ``PAGES`` and extending ``base.html``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

# Routers of the web pages, as "module:attribute"; one line per page group.
PAGES = [
    "letdown.web.pages.auth:router",
    "letdown.web.pages.home:router",
    "letdown.web.pages.log:router",
    "letdown.web.pages.stash:router",
    "letdown.web.pages.guide:router",
    "letdown.web.pages.settings:router",
    "letdown.web.pages.account:router",
    "letdown.web.pages.share:router",
    "letdown.web.pages.coach:router",
    "letdown.web.pages.timer:router",
    "letdown.web.pages.report:router",
]


def install(app: FastAPI) -> None:
    """Mount the static files, the pages and the HTML error pages on ``app``."""
    from letdown.web import errors, render

    render.mount_static(app)
    for target in PAGES:
        module, attr = target.split(":")
        app.include_router(getattr(importlib.import_module(module), attr))
    errors.install(app)
