"""API bearer tokens: created from the CLI, shown once, stored only as a hash.

A token reads ``ld_<household id>_<secret>`` (see ``secret_tokens``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from letdown.services.accounts.secret_tokens import NamedTokens, TokenView, Unauthorized
from letdown.store.models import ApiToken

PREFIX = "ld_"
_TOKENS = NamedTokens(
    ApiToken, prefix=PREFIX, kind="token", nbytes=32, refused="invalid or revoked bearer token"
)

__all__ = ["PREFIX", "TokenView", "Unauthorized", "authenticate", "create", "list_tokens", "revoke"]


def create(db: Session, household_id: str, *, name: str, now: datetime) -> tuple[str, TokenView]:
    """A new token for the household: returns the token text (shown once) and its record."""
    return _TOKENS.create(db, household_id, name=name, now=now)


def list_tokens(db: Session, household_id: str) -> list[TokenView]:
    return _TOKENS.list(db, household_id)


def revoke(db: Session, household_id: str, token_id: str, *, now: datetime) -> TokenView:
    return _TOKENS.revoke(db, household_id, token_id, now=now)


def authenticate(db: Session, token: str) -> str:
    """The household a bearer token belongs to; Unauthorized when it is unknown or revoked."""
    return _TOKENS.authenticate(db, token)
