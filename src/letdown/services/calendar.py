"""The iCalendar feed: the next sessions due and the stash's deadlines, for a phone's calendar.

A feed's URL holds a secret token (``cal_<household id>_<secret>``); only its SHA-256 is
stored, and a revoked token answers like an unknown one. Each event carries an alarm
(VALARM), so the phone alerts at the time even when letdown is not open.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from letdown import __version__
from letdown.domain.errors import InvalidInput, NotFound
from letdown.domain.units import format_volume
from letdown.services import households, reminders
from letdown.services.tokens import Unauthorized
from letdown.store.models import CalendarFeed

PREFIX = "cal_"
FEED_HOURS = 48  # how far ahead the feed lists sessions due and container deadlines
SESSION_MINUTES = 20  # how long a "session due" event lasts in the calendar


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class FeedView:
    id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def _view(row: CalendarFeed) -> FeedView:
    return FeedView(row.id, row.name, row.created_at, row.revoked_at)


def create(db: Session, household_id: str, *, name: str, now: datetime) -> tuple[str, FeedView]:
    """A new feed: returns its token (shown once; the URL is ``/calendar/TOKEN.ics``) and record."""
    households.get(db, household_id)
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 200:
        raise InvalidInput("name", "must be 1 to 200 characters")
    secret = secrets.token_urlsafe(24)
    row = CalendarFeed(household_id=household_id, name=cleaned, token_hash=_hash(secret), created_at=now)
    db.add(row)
    db.commit()
    return f"{PREFIX}{household_id}_{secret}", _view(row)


def list_feeds(db: Session, household_id: str) -> list[FeedView]:
    rows = db.scalars(
        select(CalendarFeed)
        .where(CalendarFeed.household_id == household_id)
        .order_by(CalendarFeed.created_at, CalendarFeed.id)
    )
    return [_view(r) for r in rows]


def revoke(db: Session, household_id: str, feed_id: str, *, now: datetime) -> FeedView:
    row = db.get(CalendarFeed, (household_id, feed_id))
    if row is None:
        raise NotFound("calendar feed", feed_id)
    if row.revoked_at is None:
        row.revoked_at = now
        db.commit()
    return _view(row)


def authenticate(db: Session, token: str) -> str:
    """The household of a feed token; Unauthorized when it is unknown or revoked."""
    if not token.startswith(PREFIX) or token.count("_") < 2:
        raise Unauthorized("unknown or revoked calendar feed")
    household_id, _, secret = token[len(PREFIX) :].partition("_")
    row = db.scalars(
        select(CalendarFeed).where(
            CalendarFeed.household_id == household_id, CalendarFeed.token_hash == _hash(secret)
        )
    ).first()
    if row is None or row.revoked_at is not None:
        raise Unauthorized("unknown or revoked calendar feed")
    return household_id


def ics(db: Session, household_id: str, *, now: datetime) -> bytes:
    """The feed's iCalendar text: sessions due and container deadlines in the next two days."""
    from icalendar import Alarm, Calendar, Event

    household = households.get(db, household_id)
    view = reminders.due(db, household_id, now=now, hours=FEED_HOURS)
    cal = Calendar()
    cal.add("prodid", f"-//letdown//letdown {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"letdown: {household.name}")
    cal.add("refresh-interval", timedelta(minutes=30), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT30M")

    def event(uid: str, summary: str, start: datetime, minutes: int, description: str) -> None:
        item = Event()
        item.add("uid", f"{uid}@letdown")
        item.add("dtstamp", now)
        item.add("dtstart", start)
        item.add("dtend", start + timedelta(minutes=minutes))
        item.add("summary", summary)
        item.add("description", description)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", timedelta(0))
        item.add_component(alarm)
        cal.add_component(item)

    plan = view.plan
    # The k-th session after the last one logged keeps its UID while its time moves (an overdue
    # session pushes the ones after it), so a phone updates the event instead of adding one.
    anchor = f"{view.last_started:%Y%m%dT%H%M}" if view.last_started else "start"
    for k, moment in enumerate(view.upcoming, start=1):
        if moment < now - timedelta(hours=12):
            continue
        event(
            f"due-{household_id}-{anchor}-{k}",
            "Expression session due",
            moment,
            SESSION_MINUTES,
            f"Every {plan.day_minutes // 60} h {plan.day_minutes % 60:02d} min by day; at night up to "
            f"{plan.night_gap_minutes // 60} h {plan.night_gap_minutes % 60:02d} min. "
            "Guidance: 8-10 times in 24 hours, including at night [nhs-expressing].",
        )
    for d in view.deadlines:
        what = "Use soon" if d.kind == "use-soon" else "Use by"
        name = f" ({d.label})" if d.label else ""
        volume = format_volume(d.ml, household.units)
        event(
            f"{d.kind}-{household_id}-{d.container_id}",
            f"{what}: container {d.container_id}{name}, {volume} in the {d.location}",
            d.at,
            15,
            f"Rule {d.rule}. Milk past its use-by time is thrown away.",
        )
    return cal.to_ical()
