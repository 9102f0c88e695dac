"""Secret tokens that name their household: ``<prefix><household id>_<secret>``.

API tokens, calendar feeds, invites and share links all use this shape. Only a SHA-256 digest
of the secret is stored (the secrets are long and random, so a fast hash is enough), and the
household part lets the lookup use a (household_id, token_hash) index like every other query.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from letdown.domain import limits
from letdown.domain.errors import LetdownError, NotFound


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(household_id: str, *, prefix: str = "", nbytes: int = 32) -> tuple[str, str]:
    """A new token for the household and the digest to store."""
    secret = secrets.token_urlsafe(nbytes)
    return f"{prefix}{household_id}_{secret}", digest(secret)


def parse(token: str, *, prefix: str = "") -> tuple[str, str] | None:
    """The household id and the digest to look up, or None when the token is malformed."""
    if not token.startswith(prefix):
        return None
    household_id, sep, secret = token[len(prefix) :].partition("_")
    if not sep or not household_id or not secret:
        return None
    return household_id, digest(secret)


class Unauthorized(LetdownError):
    """No valid token (unknown, malformed or revoked)."""


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


class NamedTokens:
    """Create, list, revoke and check the named, revocable tokens of one table.

    The table has ``household_id``, ``id``, ``name``, ``token_hash``, ``created_at`` and
    ``revoked_at`` (API tokens, calendar feeds).
    """

    def __init__(self, model: Any, *, prefix: str, kind: str, nbytes: int, refused: str) -> None:
        self.model = model
        self.prefix = prefix
        self.kind = kind
        self.nbytes = nbytes
        self.refused = refused

    def _view(self, row: Any) -> TokenView:
        return TokenView(id=row.id, name=row.name, created_at=row.created_at, revoked_at=row.revoked_at)

    def create(self, db: Session, household_id: str, *, name: str, now: datetime) -> tuple[str, TokenView]:
        """A new token for the household: the token text (shown once) and its record."""
        from letdown.services.accounts import households

        households.get(db, household_id)
        cleaned = limits.clean_name(name)
        token, token_hash = issue(household_id, prefix=self.prefix, nbytes=self.nbytes)
        row = self.model(household_id=household_id, name=cleaned, token_hash=token_hash, created_at=now)
        db.add(row)
        db.commit()
        return token, self._view(row)

    def list(self, db: Session, household_id: str) -> list[TokenView]:
        m = self.model
        rows = db.scalars(select(m).where(m.household_id == household_id).order_by(m.created_at, m.id))
        return [self._view(r) for r in rows]

    def revoke(self, db: Session, household_id: str, token_id: str, *, now: datetime) -> TokenView:
        row = db.get(self.model, (household_id, token_id))
        if row is None:
            raise NotFound(self.kind, token_id)
        if row.revoked_at is None:
            row.revoked_at = now
            db.commit()
        return self._view(row)

    def authenticate(self, db: Session, token: str) -> str:
        """The household a token belongs to; Unauthorized when it is malformed, unknown or revoked."""
        parsed = parse(token, prefix=self.prefix)
        if parsed is None:
            raise Unauthorized(self.refused)
        household_id, token_hash = parsed
        m = self.model
        row = db.scalars(select(m).where(m.household_id == household_id, m.token_hash == token_hash)).first()
        if row is None or row.revoked_at is not None:
            raise Unauthorized(self.refused)
        return household_id
