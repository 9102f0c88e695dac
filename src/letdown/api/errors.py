"""One JSON error shape for every failure:

``{"ok": false, "status": 422, "error": "left_ml: must be 0 or more, got -5",
"errors": [{"field": "left_ml", "message": "must be 0 or more, got -5"}]}``
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from letdown.domain.errors import InvalidInput, LetdownError, NotFound, Refused
from letdown.services.accounts.tokens import Unauthorized
from letdown.store.db import RETRY_AFTER_S, is_busy

BUSY_MESSAGE = "The database is busy with another change; try again in a few seconds"


def error_response(status: int, message: str, errors: list[dict[str, str]] | None = None) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status == 503:
        headers = {"Retry-After": str(RETRY_AFTER_S)}
    body = {"ok": False, "status": status, "error": message, "errors": errors or []}
    return JSONResponse(body, status_code=status, headers=headers)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"field": _field(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
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


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return error_response(exc.status_code, str(exc.detail))


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
