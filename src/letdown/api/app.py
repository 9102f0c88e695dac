"""The ASGI application: JSON API under /api/v1 (OpenAPI at /openapi.json) and the web pages."""

from __future__ import annotations

import gc
import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from starlette_compress import CompressMiddleware, add_compress_type

from letdown import __version__
from letdown.api import docs, errors
from letdown.api.deps import no_unknown_query
from letdown.api.guard import Guard
from letdown.api.schemas import ERRORS
from letdown.config import database_url
from letdown.store.db import Store

API_PREFIX = "/api/v1"
COMPRESS_MIN_BYTES = 500
add_compress_type("text/csv")  # exports and report tables; the rest of letdown's types are listed

# Routers under /api/v1, as "module:attribute"; one line per resource.
ROUTERS = [
    "letdown.api.routes.sessions:router",
    "letdown.api.routes.guide:router",
    "letdown.api.routes.coach:router",
    "letdown.api.routes.stash:router",
    "letdown.api.routes.calendar:router",
    "letdown.api.routes.report:router",
    "letdown.api.routes.portability:router",
]

# Routers at the site's root, outside /api/v1 (the calendar feed: /calendar/TOKEN.ics).
ROOT_ROUTERS = [
    "letdown.api.routes.calendar:feed_router",
]


def create_app(url: str | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the app on a database (``url``, else the configured one); migrates a new database."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Everything loaded at start-up lives as long as the process: move it out of the
        # garbage collector's sight so full collections stay short (a shorter latency tail).
        gc.collect()
        gc.freeze()
        yield
        if owned:
            app.state.store.dispose()

    owned = store is None
    app = FastAPI(
        title="letdown",
        version=__version__,
        description="Log expression sessions, keep the milk stash safe, and find cited guidance.",
        lifespan=lifespan,
        docs_url=None,  # served by letdown.api.docs from this host's own files
        redoc_url=None,
    )
    app.state.store = store or Store(database_url(url))
    app.add_middleware(Guard)
    # Outermost: every text response (pages, JSON, CSS, JS, errors) leaves compressed when the
    # client accepts it: zstd, Brotli or gzip (starlette-compress); tiny bodies stay as they are.
    app.add_middleware(CompressMiddleware, minimum_size=COMPRESS_MIN_BYTES)
    errors.install(app)
    for target in ROUTERS:
        module, attr = target.split(":")
        # Every operation documents every error status it may answer, in the one shape.
        app.include_router(
            getattr(importlib.import_module(module), attr),
            prefix=API_PREFIX,
            responses=ERRORS,
            dependencies=[Depends(no_unknown_query)],
        )
    for target in ROOT_ROUTERS:
        module, attr = target.split(":")
        app.include_router(getattr(importlib.import_module(module), attr))
    docs.install(app)  # /docs and /redoc with their own assets, before the web pages' catch-alls
    importlib.import_module("letdown.web").install(app)  # the web pages, static files, HTML errors

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
