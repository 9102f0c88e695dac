"""Sample data for a first look: a realistic month of sessions and a stash, clearly marked and
removable.

Every row it writes carries ``demo = True``; ``remove`` deletes exactly those rows and nothing
the household recorded itself. The figures are sample data, not guidance: daily totals ramp up
over the month towards the typical 750-800 ml a day of established lactation [iom-1991]. The
stash goes through the stash use cases, so its use-by times come from the household's storage
rules like any other container's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from letdown.domain import sessions as rules
from letdown.domain.choices import Method
from letdown.domain.errors import Refused
from letdown.services.accounts import households
from letdown.services.log.sessions import apply
from letdown.services.stash import containers as stash
from letdown.store.models import Container, ExpressionSession

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
    containers: int = 0

    def as_json(self) -> dict[str, int]:
        return {"sessions": self.sessions, "containers": self.containers}


def _month(now: datetime, rng: random.Random, tz: ZoneInfo) -> list[rules.SessionData]:
    """About eight sessions a day for a month up to now: hand expression first, then pump and
    hands-on pumping. Days start at 06:00 in the household's zone, and the last day is today, so
    the latest session ended within the last few hours, as in a household that is logging."""
    out: list[rules.SessionData] = []
    local = (now.astimezone(tz) - timedelta(days=DAYS)).replace(hour=6, minute=0, second=0, microsecond=0)
    for day in range(DAYS + 1):
        # Each day's 06:00 on the wall clock (aware arithmetic in a ZoneInfo is wall-clock
        # arithmetic), whatever daylight saving did in between; then in UTC.
        start_day = (local + timedelta(days=day)).astimezone(UTC)
        ramp = min(1.0, 0.15 + day / 12)  # sample curve, see module docstring
        per_session = 95 * ramp
        # Nine slots 2.6 h apart, the last about 03:00, so no gap runs past about 3.5 h even
        # in the small hours; a daytime one is skipped now and then.
        for k in range(9):
            if 0 < k < 8 and rng.random() < 0.12:
                continue
            started = start_day + timedelta(hours=k * 2.6, minutes=rng.randint(-20, 20))
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


OWN_DATA = (
    "This household already has its own sessions or stash; sample data goes only into an empty "
    "household, so it never mixes with real records"
)


def has_own_data(db: Session, household_id: str) -> bool:
    """Whether the household recorded any session or container itself (not sample data)."""
    for model in (ExpressionSession, Container):
        found = db.scalar(
            select(model.id).where(model.household_id == household_id, model.demo.is_(False)).limit(1)
        )
        if found is not None:
            return True
    return False


def seed(db: Session, household_id: str, *, now: datetime, seed_value: int = 2026) -> DemoSummary:
    """Replace any earlier sample data with a fresh month of it, in a household with no data of its own.

    Each container is marked as sample data as soon as it is written, so a failure part-way
    leaves nothing ``remove`` would miss; on a failure the sample data written so far is removed.
    """
    household = households.get(db, household_id)
    if has_own_data(db, household_id):
        raise Refused(OWN_DATA)
    remove(db, household_id, commit=False)
    rng = random.Random(seed_value)
    baby_id = households.current_baby_id(db, household_id)
    rows = []
    for data in _month(now, rng, household.tz):
        valid = rules.validate_session(data, now=now, tz=household.tz)
        row = ExpressionSession(
            household_id=household_id, baby_id=baby_id, demo=True, created_at=now, updated_at=now
        )
        apply(row, valid)
        rows.append(row)
    db.add_all(rows)
    db.commit()
    try:
        containers = _stash(db, household_id, rows, now=now, rng=rng)
    except Exception:
        db.rollback()
        remove(db, household_id)
        raise
    return DemoSummary(sessions=len(rows), containers=containers)


# (hours since the milk was expressed, where it went, hours after expression it moved, thawed at
# hours ago or None). Spread so the stash shows every status: fresh at room temperature, fridge
# milk near its use-by and past it, frozen bags, and a thawed bag due today.
_STASH_PLAN: list[tuple[float, str, float | None, float | None]] = [
    (1.5, "room", None, None),
    (20, "fridge", None, None),
    (70, "fridge", None, None),
    (93, "fridge", None, None),
    (110, "fridge", None, None),
    (150, "freezer", 3, 20),
    *((24 * d + 5, "freezer", 2, None) for d in (2, 4, 6, 9, 12, 15, 18, 21, 24, 27)),
]


def _stash(
    db: Session,
    household_id: str,
    sessions_made: list[ExpressionSession],
    *,
    now: datetime,
    rng: random.Random,
) -> int:
    """Containers from the sample sessions, moved and thawed through the stash use cases.

    A move or thaw the household's storage rules refuse (milk already expired under a custom
    profile's short limits) is skipped: the container stays where it was.
    """
    count = 0
    for hours_ago, place, moved_after, thawed_hours_ago in _STASH_PLAN:
        expressed = now - timedelta(hours=hours_ago)
        source = min(sessions_made, key=lambda r: abs(r.ended_at - expressed), default=None)
        if source is not None and abs(source.ended_at - expressed) < timedelta(hours=3):
            expressed, session_id = source.ended_at, source.id
        else:
            session_id = None
        first_place = "fridge" if moved_after is not None else place
        view = stash.add(
            db,
            household_id,
            ml=float(rng.choice([60, 90, 120, 150])),
            expressed_at=expressed.isoformat(),
            location=first_place,
            session_id=session_id,
            now=expressed,
        )
        db.execute(
            update(Container)
            .where(Container.household_id == household_id, Container.id == view.id)
            .values(demo=True)
        )
        db.commit()
        count += 1
        try:
            if moved_after is not None:
                moved = expressed + timedelta(hours=moved_after)
                stash.move(db, household_id, view.id, to=place, at=moved.isoformat(), now=moved)
            if thawed_hours_ago is not None:
                thawed = now - timedelta(hours=thawed_hours_ago)
                stash.thaw(db, household_id, view.id, at=thawed.isoformat(), where="fridge", now=thawed)
        except Refused:
            db.rollback()
    return count


def remove(db: Session, household_id: str, *, commit: bool = True) -> DemoSummary:
    """Delete the household's sample data, and only it (container events go with their container)."""
    counts = []
    for model in (Container, ExpressionSession):
        where = (model.household_id == household_id, model.demo)
        counts.append(int(db.scalar(select(func.count()).select_from(model).where(*where)) or 0))
        db.execute(delete(model).where(*where))
    if commit:
        db.commit()
    return DemoSummary(sessions=counts[1], containers=counts[0])


def has_demo(db: Session, household_id: str) -> bool:
    return (
        db.scalar(
            select(ExpressionSession.id)
            .where(ExpressionSession.household_id == household_id, ExpressionSession.demo)
            .limit(1)
        )
        is not None
    )
