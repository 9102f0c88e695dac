"""All models; importing this package registers every table on ``Base.metadata``."""

from letdown.store.models.accounts import HouseholdSettings, Invite, LoginAttempt, ShareLink, WebSession
from letdown.store.models.base import Base
from letdown.store.models.coach import CoachRun
from letdown.store.models.household import ApiToken, Baby, Household, Membership, User
from letdown.store.models.portability import BabyBuddyLink, CalendarFeed, ReminderSettings
from letdown.store.models.session import ExpressionSession
from letdown.store.models.stash import Container, ContainerEvent, StorageLimit

__all__ = [
    "ApiToken",
    "Baby",
    "BabyBuddyLink",
    "Base",
    "CalendarFeed",
    "CoachRun",
    "Container",
    "ContainerEvent",
    "ExpressionSession",
    "Household",
    "HouseholdSettings",
    "Invite",
    "LoginAttempt",
    "Membership",
    "ReminderSettings",
    "ShareLink",
    "StorageLimit",
    "User",
    "WebSession",
]
