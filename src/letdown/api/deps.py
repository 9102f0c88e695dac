"""Typed dependencies for routes: the database session, the caller's household, the clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from letdown.domain.errors import InvalidInput
from letdown.services.accounts import tokens
from letdown.store.db import Store

_bearer = HTTPBearer(auto_error=False, description="A token from `letdown token create`.")


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def get_db(request: Request) -> AsyncIterator[Session]:
    """A session per request. Async so FastAPI needs no thread for it: making a Session does no
    I/O (the connection is taken on the first query, inside the route's worker thread)."""
    with get_store(request).session() as db:
        yield db


async def get_now() -> datetime:
    return datetime.now(UTC)


DbDep = Annotated[Session, Depends(get_db)]
NowDep = Annotated[datetime, Depends(get_now)]


def get_household_id(
    db: DbDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise tokens.Unauthorized("a bearer token is required (create one with: letdown token create)")
    return tokens.authenticate(db, credentials.credentials)


HouseholdDep = Annotated[str, Depends(get_household_id)]


def no_unknown_query(request: Request) -> None:
    """Refuse a query parameter the operation does not take (a typo like ``?limt=5`` would
    otherwise be ignored in silence): 422 naming it and the ones the address takes."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known: set[str] = set()
    stack = [dependant]
    while stack:
        current = stack.pop()
        known |= {param.alias for param in current.query_params}
        stack.extend(current.dependencies)
    for name in request.query_params:
        if name not in known:
            takes = ", ".join(sorted(known)) or "none"
            raise InvalidInput(name or "query", f"is not a parameter of this address (it takes: {takes})")
