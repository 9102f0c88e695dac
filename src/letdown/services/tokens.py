"""API bearer tokens: created from the CLI, shown once, stored only as a hash.

A token reads ``ld_<household id>_<secret>``; the household part lets the lookup use the
(household_id, token_hash) index like every other query.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from letdown.domain.errors import InvalidInput, LetdownError, NotFound
from letdown.services import households
from letdown.store.models import ApiToken

PREFIX = "ld_"


class Unauthorized(LetdownError):
    """No valid bearer token."""


@dataclass(frozen=True)
class TokenView:
    id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _view(row: ApiToken) -> TokenView:
    return TokenView(id=row.id, name=row.name, created_at=row.created_at, revoked_at=row.revoked_at)


def create(db: Session, household_id: str, *, name: str, now: datetime) -> tuple[str, TokenView]:
    """A new token for the household: returns the token text (shown once) and its record."""
    households.get(db, household_id)
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 200:
        raise InvalidInput("name", "must be 1 to 200 characters")
    secret = secrets.token_urlsafe(32)
    row = ApiToken(household_id=household_id, name=cleaned, token_hash=_hash(secret), created_at=now)
    db.add(row)
    db.commit()
    return f"{PREFIX}{household_id}_{secret}", _view(row)


def list_tokens(db: Session, household_id: str) -> list[TokenView]:
    rows = db.scalars(
        select(ApiToken).where(ApiToken.household_id == household_id).order_by(ApiToken.created_at)
    )
    return [_view(r) for r in rows]


def revoke(db: Session, household_id: str, token_id: str, *, now: datetime) -> TokenView:
    row = db.get(ApiToken, (household_id, token_id))
    if row is None:
        raise NotFound("token", token_id)
    if row.revoked_at is None:
        row.revoked_at = now
        db.commit()
    return _view(row)


def authenticate(db: Session, token: str) -> str:
    """The household a bearer token belongs to; Unauthorized when it is unknown or revoked."""
    if not token.startswith(PREFIX) or token.count("_") < 2:
        raise Unauthorized("invalid bearer token")
    household_id, _, secret = token[len(PREFIX) :].partition("_")
    row = db.scalars(
        select(ApiToken).where(ApiToken.household_id == household_id, ApiToken.token_hash == _hash(secret))
    ).first()
    if row is None or row.revoked_at is not None:
        raise Unauthorized("invalid or revoked bearer token")
    return household_id
