"""What the coach knew about a session it led: the plan's options, the steps played, the events.

One row per coached session (the optional link from a session to the coach plan it followed).
The session itself stays in ``expression_sessions``; deleting it deletes this row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKeyConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from letdown.store.models.base import Base
from letdown.store.types import UTCDateTime


class CoachRun(Base):
    __tablename__ = "coach_runs"
    __table_args__ = (
        ForeignKeyConstraint(
            ["household_id", "session_id"],
            ["expression_sessions.household_id", "expression_sessions.id"],
            ondelete="CASCADE",
        ),
    )

    household_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    # The plan's options (stage, experience, minutes, rhythm_s) and its version.
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The steps played: [{"step", "at_ms", "by"}], times since the start.
    visits: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    flow_slowed: Mapped[int] = mapped_column(Integer, default=0)
    pain: Mapped[int] = mapped_column(Integer, default=0)
    left_s: Mapped[int] = mapped_column(Integer, default=0)
    right_s: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
