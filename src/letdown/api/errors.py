"""One JSON error shape for every failure:

``{"ok": false, "status": 422, "error": "left_ml: must be 0 or more, got -5",
"errors": [{"field": "left_ml", "message": "must be 0 or more, got -5"}]}``
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from letdown.domain.errors import InvalidInput, LetdownError, NotFound, Refused
from letdown.services.accounts.tokens import Unauthorized
from letdown.store.db import RETRY_AFTER_S, is_busy

BUSY_MESSAGE = "The database is busy with another change; try again in a few seconds"


def error_response(
    status: int,
    message: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if status == 503:
        headers["Retry-After"] = str(RETRY_AFTER_S)
    body = {"ok": False, "status": status, "error": message, "errors": errors or []}
    return JSONResponse(body, status_code=status, headers=headers)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def _message(error: dict[str, Any], field: str) -> str:
    """pydantic's message, but for a choice: the same words as the CLI and the web form."""
    if error.get("type") == "enum":
        expected = str(error.get("ctx", {}).get("expected", "")).replace("'", "").replace(" or ", ", ")
        name = field.rsplit(".", 1)[-1]
        return f"unknown {name} '{error.get('input')}'; choose one of {expected}"
    return str(error["msg"])


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for e in exc.errors():
        field = _field(tuple(e["loc"]))
        errors.append({"field": field, "message": _message(e, field)})
    message = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return error_response(422, message, errors)


async def _domain(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LetdownError)
    if isinstance(exc, InvalidInput):
        return error_response(422, str(exc), [{"field": exc.field, "message": exc.detail}])
    if isinstance(exc, NotFound):
        return error_response(404, str(exc))
    if isinstance(exc, Unauthorized):
        return error_response(401, str(exc))
    if isinstance(exc, Refused):
        return error_response(409, str(exc))
    return error_response(400, str(exc))


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


_PARAM = re.compile(r"\{[^}]+\}")


def _documented(request: Request) -> list[tuple[re.Pattern[str], int, set[str]]]:
    """The OpenAPI document's paths as (pattern, number of parameters, methods), built once."""
    cached = getattr(request.app.state, "allow_table", None)
    if cached is None:
        cached = []
        for template, operations in request.app.openapi().get("paths", {}).items():
            parts = _PARAM.split(template)
            pattern = re.compile("^" + "[^/]+".join(re.escape(part) for part in parts) + "$")
            methods = {m.upper() for m in operations if m.upper() in _METHODS}
            cached.append((pattern, len(parts) - 1, methods))
        request.app.state.allow_table = cached
    return cached


def allowed_methods(request: Request) -> list[str]:
    """The methods this address takes: from the OpenAPI document when it lists the address (a
    literal path such as ``/stash/thaw`` wins over a template that also matches it, like
    ``/stash/{container_id}``), else by trying each method against the app's routes."""
    matches = [
        (params, methods)
        for pattern, params, methods in _documented(request)
        if pattern.match(request.url.path)
    ]
    found: set[str] = set()
    if matches:
        fewest = min(params for params, _ in matches)
        for params, methods in matches:
            if params == fewest:
                found |= methods
    else:
        for method in _METHODS:
            scope = {**request.scope, "method": method}
            if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
                found.add(method)
    if "GET" in found:
        found.add("HEAD")
    return sorted(found)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        allowed = allowed_methods(request)
        headers["Allow"] = ", ".join(allowed)
        message = f"{request.method} is not taken here; this address takes {', '.join(allowed)}"
        return error_response(405, message, headers=headers)
    if exc.status_code == 404 and request.url.path.startswith("/api/"):
        return error_response(404, "There is nothing at this address", headers=headers)
    return error_response(exc.status_code, str(exc.detail), headers=headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    """A fault (a bug): under /api/ the one JSON shape, elsewhere a short page. Starlette logs
    the exception and re-raises it after this answer, so it is never silent."""
    message = "Something went wrong on the server; nothing was changed. Try again, or report it."
    if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        return error_response(500, message)
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Something went wrong</title>'
        '<link rel="stylesheet" href="/static/app.css"></head><body><main><h1>Something went wrong</h1>'
        f'<p role="alert">{message}</p><p><a href="/">Back to letdown</a></p></main></body></html>'
    )
    return HTMLResponse(page, status_code=500)


async def _database(_: Request, exc: Exception) -> JSONResponse:
    """A lock held past the timeout is 503 with Retry-After; any other database error is a bug."""
    if is_busy(exc):
        return error_response(503, BUSY_MESSAGE)
    raise exc


def install(app: FastAPI) -> None:
    app.add_exception_handler(OperationalError, _database)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(LetdownError, _domain)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _server_error)
