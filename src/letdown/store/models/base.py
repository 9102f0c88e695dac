"""The declarative base: one metadata with a naming convention Alembic can rely on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from letdown.store.types import UTCDateTime, new_id

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class HouseholdSecret:
    """The one base of a household's secret-token rows: API tokens, calendar feeds, invites and
    share links. The token reads ``<prefix><household id>_<secret>``; only the secret's SHA-256
    is stored (``services/accounts/secret_tokens.py``), found through the unique
    ``(household_id, token_hash)`` index, and a row is revoked, never deleted, by its owner.
    A table adds its own columns and ``__extra_table_args__``."""

    __tablename__: str
    __extra_table_args__: tuple[Any, ...] = ()

    @declared_attr.directive
    @classmethod
    def __table_args__(cls) -> tuple[Any, ...]:
        lookup = Index(
            f"ix_{cls.__tablename__}_household_id_token_hash", "household_id", "token_hash", unique=True
        )
        return (*cls.__extra_table_args__, lookup)

    @declared_attr
    @classmethod
    def household_id(cls) -> Mapped[str]:
        return mapped_column(
            String(16), ForeignKey("households.id", ondelete="CASCADE"), primary_key=True, sort_order=-2
        )

    # The key leads with the household, then the row's id (like every household table).
    id: Mapped[str] = mapped_column(String(16), primary_key=True, default=new_id, sort_order=-1)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
