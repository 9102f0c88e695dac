"""The models, loaded on first use so that a command imports only the tables it touches.

``from letdown.store.models import ExpressionSession`` imports just that model's module (and
what it refers to). Anything that works on the whole schema (Alembic, export, tests) calls
``load_all()`` first and uses the metadata it returns: never ``Base.metadata`` alone, which
holds only the models loaded so far.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData

from letdown.store.models.base import Base

if TYPE_CHECKING:
    from letdown.store.models.accounts import HouseholdSettings, Invite, LoginAttempt, ShareLink, WebSession
    from letdown.store.models.coach import CoachRun
    from letdown.store.models.household import ApiToken, Baby, Household, Membership, User
    from letdown.store.models.idempotency import IdempotencyKey
    from letdown.store.models.portability import BabyBuddyLink, CalendarFeed
    from letdown.store.models.session import ExpressionSession
    from letdown.store.models.stash import Container, ContainerEvent, StorageLimit

#: model name -> the module (in this package) that defines it
_WHERE = {
    "ApiToken": "household",
    "Baby": "household",
    "Household": "household",
    "Membership": "household",
    "User": "household",
    "ExpressionSession": "session",
    "Container": "stash",
    "ContainerEvent": "stash",
    "StorageLimit": "stash",
    "HouseholdSettings": "accounts",
    "Invite": "accounts",
    "LoginAttempt": "accounts",
    "ShareLink": "accounts",
    "WebSession": "accounts",
    "CoachRun": "coach",
    "IdempotencyKey": "idempotency",
    "BabyBuddyLink": "portability",
    "CalendarFeed": "portability",
}

__all__ = [
    "ApiToken",
    "Baby",
    "BabyBuddyLink",
    "Base",
    "CalendarFeed",
    "CoachRun",
    "Container",
    "ContainerEvent",
    "ExpressionSession",
    "Household",
    "HouseholdSettings",
    "IdempotencyKey",
    "Invite",
    "LoginAttempt",
    "Membership",
    "ShareLink",
    "StorageLimit",
    "User",
    "WebSession",
    "load_all",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def load_all() -> MetaData:
    """Import every model and return the complete metadata."""
    for module in sorted(set(_WHERE.values())):
        importlib.import_module(f"{__name__}.{module}")
    return Base.metadata
