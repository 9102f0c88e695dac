"""Expression sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import false

from letdown.domain.choices import Method
from letdown.store.models.base import Base
from letdown.store.models.household import baby_fk, one_of
from letdown.store.types import UTCDateTime, new_id


class ExpressionSession(Base):
    __tablename__ = "expression_sessions"
    __table_args__ = (
        CheckConstraint(one_of("method", Method), name="method"),
        baby_fk(),
        Index("ix_expression_sessions_household_id_started_at", "household_id", "started_at"),
    )

    household_id: Mapped[str] = mapped_column(
        String(16), ForeignKey("households.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(16), primary_key=True, default=new_id)
    baby_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime)
    method: Mapped[str] = mapped_column(String(16))
    left_ml: Mapped[float | None] = mapped_column(Float, nullable=True)
    right_ml: Mapped[float | None] = mapped_column(Float, nullable=True)
    passive_ml: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Let-down moments as ISO 8601 UTC strings, in order.
    let_downs: Mapped[list[str]] = mapped_column(JSON, default=list)
    comfort: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Sample data from `letdown demo`: shown as such and removed by `letdown demo --remove`.
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
