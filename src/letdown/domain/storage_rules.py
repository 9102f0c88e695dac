"""The shapes of the storage rules: units, clocks, handlings, one rule and a profile's book.

Pure types; ``guidance/rules.py`` reads ``storage.yaml`` into them and hands the book to
``domain/storage.py``, which never reads a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from letdown.domain.choices import Location, State, StorageProfile


class LimitUnit(StrEnum):
    """Units of a storage limit: hours and days are elapsed time, months are calendar months."""

    HOURS = "hours"
    DAYS = "days"
    MONTHS = "months"


class Clock(StrEnum):
    """Where a rule's clock starts."""

    EXPRESSION = "expression"
    THAW = "thaw"
    FEED_END = "feed-end"
    STAY = "stay"
    """The start of this stay: when the milk came to this place (or was warmed)."""


#: The clock a row follows unless it says otherwise: fresh milk from expression, thawed milk
#: from the thaw, leftover milk from the end of the (first) feed it was left over from.
DEFAULT_CLOCK = {State.FRESH: Clock.EXPRESSION, State.THAWED: Clock.THAW, State.LEFTOVER: Clock.FEED_END}


class Handling(StrEnum):
    """What happened to the milk just before a stay, when a rule depends on it (``when:``)."""

    OUT_OF_COLD = "out-of-cold"
    """Fresh milk that had been in the fridge, brought to room temperature or into a cooler."""
    OUT_OF_COOLER = "out-of-cooler"
    """Fresh milk that had been in a cooler (never the fridge), brought to room temperature."""
    WARMED = "warmed"
    """Milk warmed for a feed (any kind of milk but frozen)."""


@dataclass(frozen=True)
class StorageRule:
    """One row: how long one kind of milk keeps in one place (``location`` None: anywhere).

    ``when``: the row applies only after that handling (else it is the plain case).
    ``clock``: where its limits count from. ``ours``: our careful reading where the sources
    are silent (the text says so). ``lifted_by_colder``: moving the milk somewhere colder
    before this deadline lifts it (fresh milk cooled within its window); no other deadline is
    ever lifted.
    """

    id: str
    profile: str
    milk: State
    location: Location | None
    source: str
    text: str
    unit: LimitUnit | None = None
    use_by: int | None = None
    use_soon_after: int | None = None
    best_within: int | None = None
    refuse: bool = False
    clock: Clock = Clock.EXPRESSION
    when: Handling | None = None
    ours: bool = False
    lifted_by_colder: bool = False

    def cite(self) -> dict[str, Any]:
        """The rule as every answer names it: id, source, text, and whether it is our reading."""
        return {"id": self.id, "source": self.source, "text": self.text, "ours": self.ours}


@dataclass(frozen=True)
class RuleBook:
    """The rules of one profile: one for every case (milk × location), and the rows that
    apply after a handling (milk × location × handling) where the profile has them."""

    profile: StorageProfile
    rules: Mapping[tuple[State, Location, Handling | None], StorageRule] = field(repr=False)

    def rule(self, milk: State, location: Location, when: Handling | None = None) -> StorageRule:
        """The rule for this milk in this place (after ``when``, if a row covers it)."""
        if when is not None and (milk, location, when) in self.rules:
            return self.rules[(milk, location, when)]
        return self.rules[(milk, location, None)]


PLACE_WORDS = {
    Location.ROOM: "at room temperature",
    Location.FRIDGE: "in the fridge",
    Location.FREEZER: "in the freezer",
    Location.COOLER: "in a cooler",
}
