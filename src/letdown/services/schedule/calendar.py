"""The iCalendar feed: the next sessions due and the stash's deadlines, for a phone's calendar.

A feed's URL holds a secret token (``cal_<household id>_<secret>``); only its SHA-256 is
stored, and a revoked token answers like an unknown one. Each event carries an alarm
(VALARM), so the phone alerts at the time even when letdown is not open.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from letdown import __version__
from letdown.domain.coach import coach_data
from letdown.domain.reminders import targets
from letdown.domain.schedule import hours_minutes
from letdown.domain.units import format_volume
from letdown.services.accounts import households
from letdown.services.accounts.secret_tokens import NamedTokens, TokenView
from letdown.services.schedule import reminders
from letdown.store.models import CalendarFeed

PREFIX = "cal_"
FEED_HOURS = 48  # how far ahead the feed lists sessions due and container deadlines
DEADLINE_EVENT_MINUTES = 15  # display only: how long a stash deadline event shows in the calendar


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
    t = targets()
    # A "session due" event lasts the short end of the cited session length (20-30 minutes,
    # marmet-timing in coach.yaml): the calendar shows a slot, it does not time the session.
    length = coach_data().figures["session_minutes"]
    session_minutes, longest = (int(v) for v in length.value)
    # The k-th session after the last one logged keeps its UID while its time moves (an overdue
    # session pushes the ones after it), so a phone updates the event instead of adding one.
    anchor = f"{view.last_started:%Y%m%dT%H%M}" if view.last_started else "start"
    day = plan.day_minutes or 0  # upcoming is empty when there is no interval
    for k, moment in enumerate(view.upcoming, start=1):
        if moment < now - timedelta(hours=12):
            continue
        event(
            f"due-{household_id}-{anchor}-{k}",
            "Expression session due",
            moment,
            session_minutes,
            f"Every {hours_minutes(day)} by day; at night "
            f"up to {hours_minutes(plan.night_gap_minutes)}. "
            f"{t.frequency_note(plan.feeding_mode)}. Shown for {session_minutes} minutes, the short end of a "
            f"{session_minutes}-{longest} minute hand-expression session [{length.source}].",
        )
    for d in view.deadlines:
        what = "Use soon" if d.kind == "use-soon" else "Use by"
        name = f" ({d.label})" if d.label else ""
        volume = format_volume(d.ml, household.units)
        event(
            f"{d.kind}-{household_id}-{d.container_id}",
            f"{what}: container {d.container_id}{name}, {volume} in the {d.location}",
            d.at,
            DEADLINE_EVENT_MINUTES,
            f"Rule {d.rule}. Milk past its use-by time is thrown away.",
        )
    text: bytes = cal.to_ical()
    return text
