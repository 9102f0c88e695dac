"""Every choice the product offers, defined once and imported everywhere else."""

from __future__ import annotations

from enum import StrEnum


class Method(StrEnum):
    """How milk was expressed in a session."""

    HAND = "hand"
    PUMP = "pump"
    HANDS_ON_PUMP = "hands-on-pump"
    PASSIVE = "passive"


class Role(StrEnum):
    """A member's role in a household."""

    OWNER = "owner"
    CAREGIVER = "caregiver"
    VIEWER = "viewer"


class Units(StrEnum):
    """How volumes are shown (they are always stored in millilitres)."""

    ML = "ml"
    OZ = "oz"


class StorageProfile(StrEnum):
    """Which table of storage rules decides use-by times."""

    CDC = "cdc"
    ABM = "abm"
    CUSTOM = "custom"


class Location(StrEnum):
    """Where a container of milk is kept."""

    ROOM = "room"
    FRIDGE = "fridge"
    FREEZER = "freezer"
    COOLER = "cooler"


class State(StrEnum):
    """What has happened to the milk in a container (derived from its history)."""

    FRESH = "fresh"
    FROZEN = "frozen"
    THAWED = "thawed"
    LEFTOVER = "leftover"
    USED = "used"
    DISCARDED = "discarded"


class Status(StrEnum):
    """How a container stands at a moment (derived, never stored)."""

    OK = "ok"
    USE_SOON = "use-soon"
    EXPIRED = "expired"
    USED = "used"
    DISCARDED = "discarded"


class EventKind(StrEnum):
    """What can happen to a container (its history is a list of these, never edited)."""

    STORED = "stored"
    MOVED = "moved"
    THAWED = "thawed"
    WARMED = "warmed"
    FEED_STARTED = "feed-started"
    FEED_FINISHED = "feed-finished"
    USED = "used"
    DISCARDED = "discarded"
    SPLIT_INTO = "split-into"
    SPLIT_FROM = "split-from"


class FeedingMode(StrEnum):
    """How the baby is fed: it decides whether the expressing-frequency figures are targets
    (they come from guidance for a baby who is not feeding at the breast)."""

    EXCLUSIVE = "exclusive"  # exclusively expressing: the baby does not feed at the breast
    PARTLY = "partly"  # partly at the breast, partly expressed milk
    OCCASIONAL = "occasional"  # feeding at the breast, expressing now and then


#: How each feeding mode is put to people (forms, the CLI, the home page).
FEEDING_MODE_LABELS: dict[FeedingMode, str] = {
    FeedingMode.EXCLUSIVE: "exclusively expressing (my baby does not feed at the breast)",
    FeedingMode.PARTLY: "partly at the breast, partly expressed milk",
    FeedingMode.OCCASIONAL: "feeding at the breast, expressing now and then",
}


#: Where frozen milk may thaw.
THAW_PLACES = (Location.FRIDGE, Location.ROOM)


def values(enum: type[StrEnum]) -> list[str]:
    """The string values of a choice, in definition order (for help text and errors)."""
    return [member.value for member in enum]
