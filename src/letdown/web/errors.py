"""Errors on web pages: HTML for people, while ``/api/`` keeps its one JSON error shape."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from letdown.api.errors import BUSY_MESSAGE, allowed_methods, error_response
from letdown.domain.errors import InvalidInput, LetdownError, NotFound, Refused
from letdown.domain.permissions import Forbidden
from letdown.services.accounts.users import SignInFailed, TooManyAttempts
from letdown.store.db import RETRY_AFTER_S, is_busy
from letdown.web import deps
from letdown.web.render import redirect, render

Handler = Callable[[Request, Exception], Awaitable[Response]]


def status_of(exc: LetdownError) -> int:
    if isinstance(exc, deps.CsrfFailed | Forbidden):
        return 403
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, TooManyAttempts):
        return 429
    if isinstance(exc, Refused):
        return 409
    if isinstance(exc, InvalidInput):
        return 422
    if isinstance(exc, SignInFailed):
        return 401
    return 400


def _page(request: Request, status: int, message: str) -> Response:
    titles = {
        403: "Not allowed",
        404: "Not found",
        409: "Refused",
        422: "Check the form",
        429: "Wait a little",
        503: "Busy",
    }
    return render(
        request,
        "error.html",
        {"title": titles.get(status, "Something went wrong"), "message": message},
        status=status,
    )


def wants_json(request: Request) -> bool:
    """JSON errors: under ``/api/``, and for a page's script that asks for JSON (the save queue
    sends ``Accept: application/json``; the coach posts JSON) whatever the path."""
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    content_type = request.headers.get("content-type", "")
    return "application/json" in accept or content_type.startswith("application/json")


def install(app: FastAPI) -> None:
    """Wrap the API's handlers: JSON under ``/api/``, HTML pages elsewhere."""
    api_domain: Handler = app.exception_handlers[LetdownError]  # type: ignore[assignment]
    api_http: Handler = app.exception_handlers[StarletteHTTPException]  # type: ignore[assignment]
    api_validation: Handler = app.exception_handlers[RequestValidationError]  # type: ignore[assignment]
    api_database: Handler = app.exception_handlers[OperationalError]  # type: ignore[assignment]

    async def domain(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            return await api_domain(request, exc)
        assert isinstance(exc, LetdownError)
        if wants_json(request):  # a page's script: the API's shape, the page's statuses
            if isinstance(exc, deps.SignInRequired | deps.HouseholdRequired):
                return error_response(401, str(exc))
            fields = [{"field": exc.field, "message": exc.detail}] if isinstance(exc, InvalidInput) else []
            return error_response(status_of(exc), str(exc), fields)
        if isinstance(exc, deps.SignInRequired):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return redirect(f"/signin?next={quote(target, safe='')}")
        if isinstance(exc, deps.HouseholdRequired):
            return redirect("/setup")
        return _page(request, status_of(exc), str(exc))

    async def http(request: Request, exc: Exception) -> Response:
        if wants_json(request) or request.url.path in ("/openapi.json", "/docs"):
            return await api_http(request, exc)
        assert isinstance(exc, StarletteHTTPException)
        message = "There is no page at this address" if exc.status_code == 404 else str(exc.detail)
        response = _page(request, exc.status_code, message)
        if exc.status_code == 405:
            response.headers["Allow"] = ", ".join(allowed_methods(request))
        return response

    async def validation(request: Request, exc: Exception) -> Response:
        if wants_json(request):
            return await api_validation(request, exc)
        assert isinstance(exc, RequestValidationError)
        parts = [f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()]
        return _page(request, 422, "; ".join(parts))

    async def database(request: Request, exc: Exception) -> Response:
        if wants_json(request) or not is_busy(exc):
            return await api_database(request, exc)
        response = _page(request, 503, BUSY_MESSAGE)
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
        return response

    app.add_exception_handler(LetdownError, domain)
    app.add_exception_handler(OperationalError, database)
    app.add_exception_handler(StarletteHTTPException, http)
    app.add_exception_handler(RequestValidationError, validation)
