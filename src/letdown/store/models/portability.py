"""Tables for reaching outside letdown: calendar feeds and Baby Buddy links.

Each leads its key and indexes with ``household_id`` like every other household table.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from letdown.store.models.base import Base, HouseholdSecret
from letdown.store.types import UTCDateTime, new_id


class CalendarFeed(HouseholdSecret, Base):
    """A secret iCalendar feed URL (``/calendar/TOKEN.ics``); only the token's hash is stored."""

    __tablename__ = "calendar_feeds"

    name: Mapped[str] = mapped_column(String(200))


class BabyBuddyLink(Base):
    """One letdown session matched to one Baby Buddy entry, imported from it or pushed to it.

    The unique key on (server, kind, remote id) makes a second import skip what it already has,
    and a session pushed once is never pushed again (nor imported back).
    """

    __tablename__ = "babybuddy_links"
    __table_args__ = (
        CheckConstraint("remote_kind IN ('pumping', 'feeding')", name="remote_kind"),
        CheckConstraint("direction IN ('imported', 'pushed')", name="direction"),
        Index(
            "ix_babybuddy_links_household_id_server_remote_kind_remote_id",
            "household_id",
            "server",
            "remote_kind",
            "remote_id",
            unique=True,
        ),
        Index("ix_babybuddy_links_household_id_session_id", "household_id", "session_id"),
    )

    household_id: Mapped[str] = mapped_column(
        String(16), ForeignKey("households.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(16), primary_key=True, default=new_id)
    server: Mapped[str] = mapped_column(String(300))
    remote_kind: Mapped[str] = mapped_column(String(16))
    remote_id: Mapped[int] = mapped_column(Integer)
    # No foreign key: deleting a session keeps the link, so the entry is not imported again.
    session_id: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(16))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime)
