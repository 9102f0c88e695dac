"""The iCalendar feed: the next sessions due and the stash's deadlines, for a phone's calendar.

A feed's URL holds a secret token (``cal_<household id>_<secret>``); only its SHA-256 is
stored, and a revoked token answers like an unknown one. Each event carries an alarm
(VALARM), so the phone alerts at the time even when letdown is not open.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from letdown import __version__
from letdown.domain.units import format_volume
from letdown.services import households, reminders
from letdown.services.secret_tokens import NamedTokens, TokenView
from letdown.store.models import CalendarFeed

PREFIX = "cal_"
FEED_HOURS = 48  # how far ahead the feed lists sessions due and container deadlines
SESSION_MINUTES = 20  # how long a "session due" event lasts in the calendar


_FEEDS = NamedTokens(
    CalendarFeed, prefix=PREFIX, kind="calendar feed", nbytes=24, refused="unknown or revoked calendar feed"
)
FeedView = TokenView


def create(db: Session, household_id: str, *, name: str, now: datetime) -> tuple[str, FeedView]:
    """A new feed: returns its token (shown once; the URL is ``/calendar/TOKEN.ics``) and record."""
    return _FEEDS.create(db, household_id, name=name, now=now)


def list_feeds(db: Session, household_id: str) -> list[FeedView]:
    return _FEEDS.list(db, household_id)


def revoke(db: Session, household_id: str, feed_id: str, *, now: datetime) -> FeedView:
    return _FEEDS.revoke(db, household_id, feed_id, now=now)


def authenticate(db: Session, token: str) -> str:
    """The household of a feed token; Unauthorized when it is unknown or revoked."""
    return _FEEDS.authenticate(db, token)


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
