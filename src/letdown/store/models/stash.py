"""The milk stash: containers, their append-only event history, and a household's unit limits.

Status, state and use-by are never stored: ``domain/storage.py`` derives them from the events.
Events are only ever inserted; the ``(household_id, container_id, seq)`` key makes two
concurrent writers to one container collide instead of both succeeding.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import false

from letdown.domain.choices import EventKind, Location
from letdown.store.models.base import Base
from letdown.store.models.household import one_of
from letdown.store.types import UTCDateTime, new_id


class Container(Base):
    """A bottle or bag of milk. ``ml`` is what was stored in it (or poured into it by a split)."""

    __tablename__ = "containers"
    __table_args__ = (
        CheckConstraint("ml > 0", name="ml_positive"),
        Index("ix_containers_household_id_expressed_at", "household_id", "expressed_at"),
    )

    household_id: Mapped[str] = mapped_column(
        String(16), ForeignKey("households.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(16), primary_key=True, default=new_id)
    expressed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ml: Mapped[float] = mapped_column(Float)
    # The session that produced the milk (no foreign key: deleting a session keeps the milk).
    session_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    split_from: Mapped[str | None] = mapped_column(String(16), nullable=True)
    label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Sample data from `letdown demo`: shown as such and removed by `letdown demo --remove`.
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ContainerEvent(Base):
    """One entry of a container's history, in ``seq`` order; never updated."""

    __tablename__ = "container_events"
    __table_args__ = (
        CheckConstraint(one_of("kind", EventKind), name="kind"),
        CheckConstraint(f"location IS NULL OR {one_of('location', Location)}", name="location"),
        ForeignKeyConstraint(
            ["household_id", "container_id"],
            ["containers.household_id", "containers.id"],
            ondelete="CASCADE",
        ),
    )

    household_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    container_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str | None] = mapped_column(String(8), nullable=True)
    ml: Mapped[float | None] = mapped_column(Float, nullable=True)
    other_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Set on events a split copied from the container the milk was poured out of.
    copied_from: Mapped[str | None] = mapped_column(String(16), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


@event.listens_for(ContainerEvent, "before_update")
def _append_only(_mapper: object, _connection: object, target: ContainerEvent) -> None:
    raise RuntimeError(f"container events are append-only (container {target.container_id})")


class StorageLimit(Base):
    """A limit the household entered from its baby's unit, for the ``custom`` storage profile."""

    __tablename__ = "storage_limits"
    __table_args__ = (
        CheckConstraint("unit IN ('hours', 'days', 'months')", name="unit"),
        CheckConstraint("use_by > 0", name="use_by_positive"),
    )

    household_id: Mapped[str] = mapped_column(
        String(16), ForeignKey("households.id", ondelete="CASCADE"), primary_key=True
    )
    case_name: Mapped[str] = mapped_column(String(16), primary_key=True)
    unit: Mapped[str] = mapped_column(String(8))
    use_by: Mapped[int] = mapped_column(Integer)
    use_soon_after: Mapped[int | None] = mapped_column(Integer, nullable=True)
    best_within: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
