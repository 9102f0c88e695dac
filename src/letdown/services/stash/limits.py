"""Use cases for the ``custom`` storage profile: the limits a baby's hospital or unit gave.

The household enters one limit per case (``fresh-fridge``, ``thawed-room``, ``leftover``...);
a case left blank falls back to the cdc rule, and every answer says which applied.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from letdown.domain.errors import NotFound
from letdown.guidance.rules import parse_custom_limits
from letdown.services.accounts import households
from letdown.store.models import StorageLimit


def entered_limits(db: Session, household_id: str) -> dict[str, dict[str, Any]]:
    rows = db.scalars(select(StorageLimit).where(StorageLimit.household_id == household_id))
    return {
        r.case_name: {
            k: v
            for k, v in (
                ("unit", r.unit),
                ("use_by", r.use_by),
                ("use_soon_after", r.use_soon_after),
                ("best_within", r.best_within),
            )
            if v is not None
        }
        for r in rows
    }


def limits(db: Session, household_id: str) -> dict[str, dict[str, Any]]:
    """The limits the household entered from its baby's unit, by case name."""
    households.get(db, household_id)
    return entered_limits(db, household_id)


def set_limit(
    db: Session, household_id: str, case: str, limit: dict[str, Any], *, now: datetime
) -> dict[str, Any]:
    """Enter (or replace) the unit's limit for one case; checked like the built-in rules."""
    households.get(db, household_id)
    cleaned = {k: v for k, v in limit.items() if v is not None}
    parse_custom_limits({case: cleaned})
    row = db.get(StorageLimit, (household_id, case)) or StorageLimit(
        household_id=household_id, case_name=case
    )
    row.unit = cleaned["unit"]
    row.use_by = cleaned["use_by"]
    row.use_soon_after = cleaned.get("use_soon_after")
    row.best_within = cleaned.get("best_within")
    row.updated_at = now
    db.add(row)
    db.commit()
    return entered_limits(db, household_id)


def clear_limit(db: Session, household_id: str, case: str) -> dict[str, dict[str, Any]]:
    """Forget the unit's limit for one case (the cdc rule applies to it again)."""
    row = db.get(StorageLimit, (household_id, case))
    if row is None:
        raise NotFound("storage limit", case)
    db.delete(row)
    db.commit()
    return entered_limits(db, household_id)
