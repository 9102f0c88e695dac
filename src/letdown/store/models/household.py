"""Households, their members, babies and API tokens.

Every table but ``users`` carries ``household_id``, leads its primary key and every index with it,
so that the data can later be distributed by household without a redesign.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from letdown.domain.choices import Role, StorageProfile, Units, values
from letdown.store.models.base import Base, HouseholdSecret
from letdown.store.types import UTCDateTime, new_id


def one_of(column: str, enum: type) -> str:
    listed = ", ".join(f"'{v}'" for v in values(enum))
    return f"{column} IN ({listed})"


class Household(Base):
    __tablename__ = "households"
    __table_args__ = (
        CheckConstraint(one_of("units", Units), name="units"),
        CheckConstraint(one_of("storage_profile", StorageProfile), name="storage_profile"),
    )

    id: Mapped[str] = mapped_column(String(16), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    units: Mapped[str] = mapped_column(String(8), default=Units.ML.value)
    storage_profile: Mapped[str] = mapped_column(String(16), default=StorageProfile.CDC.value)
    usual_feed_ml: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Triage's emergency number: the household's own, else its country's (domain/emergency.py).
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    emergency_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class User(Base):
    """A person who signs in. Global (a reference table): one person may join several households."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(16), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (CheckConstraint(one_of("role", Role), name="role"),)

    household_id: Mapped[str] = mapped_column(
        String(16), ForeignKey("households.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(
        String(16), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Baby(Base):
    __tablename__ = "babies"

    household_id: Mapped[str] = mapped_column(
        String(16), ForeignKey("households.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(16), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiToken(HouseholdSecret, Base):
    __tablename__ = "api_tokens"

    name: Mapped[str] = mapped_column(String(200))


def baby_fk() -> ForeignKeyConstraint:
    """A composite foreign key (household_id, baby_id) → babies, for tables that name a baby."""
    return ForeignKeyConstraint(["household_id", "baby_id"], ["babies.household_id", "babies.id"])
