"""Sample data for a first look: a realistic month of sessions, clearly marked and removable.

Every row it writes carries ``demo = True``; ``remove`` deletes exactly those rows and nothing
the household recorded itself. The figures are sample data, not guidance: daily totals ramp up
over the month towards the typical 750-800 ml a day of established lactation [iom-1991].
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from letdown.domain import sessions as rules
from letdown.domain.choices import Method
from letdown.services import households
from letdown.services.sessions import apply
from letdown.store.models import ExpressionSession

DAYS = 30
NOTES = [
    "Baby in the NICU; photo helped the let-down.",
    "Warm flannel first, much easier.",
    "Sore on the left, adjusted the C-hold.",
    "Partner did the night feed.",
]


@dataclass(frozen=True)
class DemoSummary:
    sessions: int

    def as_json(self) -> dict[str, int]:
        return {"sessions": self.sessions}


def _month(now: datetime, rng: random.Random) -> list[rules.SessionData]:
    """About eight sessions a day for a month: hand expression first, then pump and hands-on pumping."""
    out: list[rules.SessionData] = []
    start_day = (now - timedelta(days=DAYS)).replace(hour=6, minute=0, second=0, microsecond=0)
    for day in range(DAYS):
        ramp = min(1.0, 0.15 + day / 12)  # sample curve, see module docstring
        per_session = 95 * ramp
        for k in range(rng.choice([7, 8, 8, 9])):
            started = start_day + timedelta(days=day, hours=k * 2.6, minutes=rng.randint(-20, 20))
            minutes = rng.randint(12, 28)
            ended = started + timedelta(minutes=minutes)
            if ended > now - timedelta(minutes=5):
                continue
            if day < 4:
                method = Method.HAND
            else:
                method = rng.choice([Method.PUMP, Method.PUMP, Method.HANDS_ON_PUMP, Method.HAND])
            left = round(per_session * rng.uniform(0.35, 0.6), 0)
            right = round(per_session * rng.uniform(0.3, 0.55), 0)
            passive = round(rng.uniform(2, 12), 0) if method is Method.HAND and rng.random() < 0.3 else None
            let_downs = tuple(
                started + timedelta(seconds=s)
                for s in sorted({rng.randint(50, 150), *(rng.randint(180, minutes * 60) for _ in range(3))})
            )
            out.append(
                rules.SessionData(
                    started_at=started,
                    ended_at=ended,
                    method=method,
                    left_ml=left,
                    right_ml=right,
                    passive_ml=passive,
                    let_downs=let_downs,
                    comfort=rng.choice([6, 7, 8, 8, 9, 10]),
                    note=rng.choice(NOTES) if rng.random() < 0.05 else None,
                )
            )
    return out


def seed(db: Session, household_id: str, *, now: datetime, seed_value: int = 2026) -> DemoSummary:
    """Replace any earlier sample data with a fresh month of it."""
    household = households.get(db, household_id)
    remove(db, household_id, commit=False)
    rng = random.Random(seed_value)
    baby_id = households.current_baby_id(db, household_id)
    rows = []
    for data in _month(now, rng):
        valid = rules.validate_session(data, now=now, tz=household.tz)
        row = ExpressionSession(
            household_id=household_id, baby_id=baby_id, demo=True, created_at=now, updated_at=now
        )
        apply(row, valid)
        rows.append(row)
    db.add_all(rows)
    db.commit()
    return DemoSummary(sessions=len(rows))


def remove(db: Session, household_id: str, *, commit: bool = True) -> DemoSummary:
    """Delete the household's sample data, and only it."""
    count = db.scalar(
        select(func.count()).where(ExpressionSession.household_id == household_id, ExpressionSession.demo)
    )
    db.execute(
        delete(ExpressionSession).where(
            ExpressionSession.household_id == household_id, ExpressionSession.demo
        )
    )
    if commit:
        db.commit()
    return DemoSummary(sessions=int(count or 0))


def has_demo(db: Session, household_id: str) -> bool:
    return (
        db.scalar(
            select(ExpressionSession.id)
            .where(ExpressionSession.household_id == household_id, ExpressionSession.demo)
            .limit(1)
        )
        is not None
    )
