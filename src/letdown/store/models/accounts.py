"""Web accounts: sign-in sessions, sign-in attempts, invites, share links, household settings.

Household data (invites, share links, settings) leads its key and indexes with
``household_id`` like every other table. Two tables are keyed otherwise, on purpose:

- ``web_sessions`` is found from the browser's cookie before anyone knows the household
  (a person may belong to several); its key is the hash of the cookie's token.
- ``login_attempts`` counts failed sign-ins per (email, address) before any household is
  known; its key is a hash of that pair, so neither is stored in clear.

Both are small, short-lived and per user, so they can stay on one node when households are
distributed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from letdown.domain.choices import Role
from letdown.store.models.base import Base, HouseholdSecret
from letdown.store.models.household import one_of
from letdown.store.types import UTCDateTime, new_id


class WebSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_user_id", "user_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(16), ForeignKey("users.id", ondelete="CASCADE"))
    # The household this browser is looking at (a person may belong to several).
    household_id: Mapped[str | None] = mapped_column(
        String(16), ForeignKey("households.id", ondelete="SET NULL"), nullable=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    # A one-time message for the next page (POST, redirect, GET), then cleared.
    flash: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoginAttempt(Base):
    """A failed sign-in, counted per (email, address) to slow down password guessing."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "key", "at"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[str] = mapped_column(String(16), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Invite(HouseholdSecret, Base):
    """A link that adds a partner or caregiver to the household; expires and can be revoked."""

    __tablename__ = "invites"
    __extra_table_args__ = (CheckConstraint(one_of("role", Role), name="role"),)

    role: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str | None] = mapped_column(String(16), nullable=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    accepted_by: Mapped[str | None] = mapped_column(String(16), nullable=True)


class ShareLink(HouseholdSecret, Base):
    """A read-only link for a clinician to the household's reports; expires and can be revoked."""

    __tablename__ = "share_links"

    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str | None] = mapped_column(String(16), nullable=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class HouseholdSettings(Base):
    """The household's settings, one row (``services/schedule/settings.py`` owns it); a missing
    row means the defaults."""

    __tablename__ = "household_settings"

    household_id: Mapped[str] = mapped_column(
        String(16), ForeignKey("households.id", ondelete="CASCADE"), primary_key=True
    )
    # Whether caregivers and viewers may read the expression log (the expressing parent's call).
    share_log: Mapped[bool] = mapped_column(Boolean, default=False)
    # Start-to-start minutes between sessions; None: not set, so no "next due" is shown.
    session_interval_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The longest gap between sessions at night (start to start), in minutes; None: the default
    # from the cited guidance (guidance/reminders.yaml). At least the session interval
    # (domain/reminders.check_gap_against_day).
    night_gap_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # How the baby feeds (a FeedingMode value); None: not said yet. Decides whether the
    # expressing-frequency figures are targets or information (domain/reminders.py).
    feeding_mode: Mapped[str | None] = mapped_column(String(16), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
