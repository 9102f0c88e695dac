"""A household with a bit of everything an export must carry: babies, demo sessions with
let-downs, a coached session, a stash with a long history (moves, thaw, warm, feed, split, discard),
custom storage limits and settings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete

from letdown.services.accounts import households
from letdown.services.portability import demo
from letdown.services.schedule import reminders
from letdown.services.schedule import settings as household_settings
from letdown.services.stash import containers as stash
from letdown.services.stash import limits as storage_limits
from letdown.store.models import load_all


def iso(now: datetime, **delta: float) -> str:
    return (now - timedelta(**delta)).isoformat()


def populate(db: Any, household_id: str, now: datetime) -> None:
    households.update(db, household_id, units="oz", usual_feed_ml=90)
    households.add_baby(
        db, household_id, name="Ada", birth_date=(now - timedelta(days=31)).date(), due_date=None, now=now
    )
    households.add_baby(
        db, household_id, name="Ben", birth_date=None, due_date=(now + timedelta(days=200)).date(), now=now
    )
    demo.seed(db, household_id, now=now)
    reminders.set_intervals(db, household_id, now=now, day_minutes=170, night_gap_minutes=280)
    household_settings.set_feeding_mode(db, household_id, "partly", now=now)
    storage_limits.set_limit(db, household_id, "fresh-fridge", {"unit": "hours", "use_by": 48}, now=now)
    a = stash.add(
        db,
        household_id,
        ml=120,
        expressed_at=iso(now, days=6),
        location="freezer",
        now=now,
        label="night bag",
    )
    stash.move(db, household_id, a.id, to="fridge", now=now, at=iso(now, days=1))
    b = stash.add(db, household_id, ml=150, expressed_at=iso(now, hours=30), location="fridge", now=now)
    old, new = stash.split(db, household_id, b.id, ml=60, now=now, at=iso(now, hours=20))
    stash.feed(
        db,
        household_id,
        new.id,
        started=iso(now, hours=3),
        finished=iso(now, hours=2, minutes=40),
        leftover_ml=20,
        now=now,
    )
    stash.warm(db, household_id, old.id, now=now, at=iso(now, hours=1))
    c = stash.add(db, household_id, ml=80, expressed_at=iso(now, days=3), location="room", now=now)
    stash.discard(db, household_id, c.id, now=now, at=iso(now, days=2), reason="left out")
    stash.add(db, household_id, ml=70, expressed_at=iso(now, hours=5), location="cooler", now=now)


def empty_database(db: Any) -> None:
    """Every row of every table gone, as in a new database."""
    for table in reversed(load_all().sorted_tables):
        db.execute(delete(table))
    db.commit()
