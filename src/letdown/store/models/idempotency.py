"""Idempotency keys: a client's key for one write and the answer it got (``services/idempotency.py``).

A repeat of the write with the same key gets the stored answer instead of a second write. The
row is inserted in the same transaction as the write, so it exists exactly when the write does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from letdown.store.models.base import Base
from letdown.store.types import UTCDateTime


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"

    household_id: Mapped[str] = mapped_column(
        String(16), ForeignKey("households.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    # sha256 of the request (what was asked, where): the same key for another request is refused.
    fingerprint: Mapped[str] = mapped_column(String(64))
    # The first answer; None while the write that holds the key is still being answered.
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    body: Mapped[str | None] = mapped_column(Text, nullable=True)
    headers: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
