"""Planning with the stash: what to use first, and how much is where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from letdown.domain import storage
from letdown.domain.choices import Location, Status
from letdown.services.accounts import households
from letdown.services.stash.containers import ContainerView, list_containers


def next_up(db: Session, household_id: str, *, now: datetime, at: str | None = None) -> list[ContainerView]:
    """Milk to use first: thawed, leftover and fresh before frozen; nearest deadline first."""
    views = [v for v in list_containers(db, household_id, now=now, at=at) if v.standing.live]
    usable = [v for v in views if v.standing.status in (Status.OK, Status.USE_SOON)]
    return sorted(usable, key=lambda v: (*storage.use_first_key(v.standing), v.id))


@dataclass(frozen=True)
class PlaceSummary:
    location: Location
    containers: int
    ml: float
    feeds: float | None
    expired: int

    def as_json(self) -> dict[str, Any]:
        return {
            "location": self.location.value,
            "containers": self.containers,
            "ml": round(self.ml, 1),
            "feeds": self.feeds,
            "expired": self.expired,
        }


@dataclass(frozen=True)
class Summary:
    places: list[PlaceSummary]
    usual_feed_ml: float | None
    note: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "locations": [p.as_json() for p in self.places],
            "usual_feed_ml": self.usual_feed_ml,
            "note": self.note,
        }


FEED_NOT_SET = "The baby's usual feed volume is not set, so feeds are not counted."
"""Shown wherever the summary is (CLI, web, report): each interface adds how to set it there."""


def summary(db: Session, household_id: str, *, now: datetime, at: str | None = None) -> Summary:
    """Per place: containers, ml still usable, how many usual feeds that makes, and expired ones."""
    household = households.get(db, household_id)
    views = list_containers(db, household_id, now=now, at=at)
    feed_ml = household.usual_feed_ml
    places = []
    for place in Location:
        here = [v for v in views if v.standing.location is place]
        good = [v for v in here if v.standing.status in (Status.OK, Status.USE_SOON)]
        ml = sum(v.standing.ml for v in good)
        feeds = round(ml / feed_ml, 1) if feed_ml else None
        places.append(PlaceSummary(place, len(good), ml, feeds, len(here) - len(good)))
    return Summary(places, feed_ml, None if feed_ml else FEED_NOT_SET)
