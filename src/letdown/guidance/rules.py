"""Storage rules as data: load and check ``storage_rules.yaml``, build a profile's rule book.

The YAML file is read once, lazily, on first use. ``rulebook(profile, custom)`` returns the
rules for every case (milk × location) of a profile; ``domain/storage.py`` applies them.

The ``custom`` profile holds the limits a baby's hospital or unit gave, entered by the
household as a mapping of case name to limits, for example::

    {"fresh-fridge": {"unit": "days", "use_by": 2},
     "fresh-freezer": {"unit": "months", "use_by": 3}}

A case the household leaves blank falls back to the cdc rule for it, and says so.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

from letdown.domain.choices import Location, State, StorageProfile
from letdown.domain.errors import InvalidInput
from letdown.domain.storage_rules import DEFAULT_CLOCK as DEFAULT_CLOCK
from letdown.domain.storage_rules import PLACE_WORDS as PLACE_WORDS
from letdown.domain.storage_rules import Clock as Clock
from letdown.domain.storage_rules import Handling as Handling
from letdown.domain.storage_rules import LimitUnit as LimitUnit
from letdown.domain.storage_rules import RuleBook as RuleBook
from letdown.domain.storage_rules import StorageRule as StorageRule

#: The source id of limits a household entered from its baby's unit (not in sources.yaml).
CUSTOM_SOURCE = "custom"
CUSTOM_TEXT = "Limits from your baby's hospital or unit"

#: The kinds of milk a rule applies to (frozen milk is fresh milk in the freezer).
MILKS = (State.FRESH, State.THAWED, State.LEFTOVER)

_ROW_FIELDS = {
    "id",
    "profile",
    "milk",
    "location",
    "unit",
    "use_by",
    "use_soon_after",
    "best_within",
    "refuse",
    "falls_back_to",
    "source",
    "text",
    "clock",
    "when",
    "ours",
    "lifted_by_colder",
}
_LIMIT_FIELDS = ("use_by", "use_soon_after", "best_within")
#: Fields a falling-back row takes from the row it falls back to (it may not give its own).
_TAKEN_FIELDS = (*_LIMIT_FIELDS, "unit", "refuse", "clock", "lifted_by_colder")
_CUSTOM_FIELDS = {"unit", "use_by", "use_soon_after", "best_within"}


CASE_NAMES: dict[str, tuple[State, tuple[Location, ...]]] = {
    "fresh-room": (State.FRESH, (Location.ROOM,)),
    "fresh-fridge": (State.FRESH, (Location.FRIDGE,)),
    "fresh-freezer": (State.FRESH, (Location.FREEZER,)),
    "fresh-cooler": (State.FRESH, (Location.COOLER,)),
    "thawed-room": (State.THAWED, (Location.ROOM,)),
    "thawed-fridge": (State.THAWED, (Location.FRIDGE,)),
    "thawed-cooler": (State.THAWED, (Location.COOLER,)),
    "leftover": (State.LEFTOVER, (Location.ROOM, Location.FRIDGE, Location.COOLER)),
}
"""The cases a household may enter custom limits for (thawed and leftover milk is never frozen)."""


@functools.cache
def source_ids() -> frozenset[str]:
    """Every source id in ``sources.yaml``."""
    import yaml  # lazily: keeps CLI start-up fast

    text = resources.files("letdown.guidance").joinpath("sources.yaml").read_text("utf-8")
    return frozenset(row["id"] for row in yaml.safe_load(text))


@dataclass(frozen=True)
class ProfileInfo:
    """What a storage profile is, for the person choosing it."""

    id: StorageProfile
    name: str
    source: str
    text: str


@functools.cache
def profiles() -> dict[StorageProfile, ProfileInfo]:
    """Every storage profile with its name and description (``storage_profiles.yaml``)."""
    import yaml

    text = resources.files("letdown.guidance").joinpath("storage_profiles.yaml").read_text("utf-8")
    known = source_ids() | {CUSTOM_SOURCE}
    out: dict[StorageProfile, ProfileInfo] = {}
    for row in yaml.safe_load(text):
        info = ProfileInfo(
            StorageProfile(row["id"]), row["name"], row["source"], " ".join(row["text"].split())
        )
        if info.source not in known:
            raise ValueError(f"Storage profile {info.id.value} cites an unknown source '{info.source}'")
        out[info.id] = info
    if set(out) != set(StorageProfile):
        raise ValueError("storage_profiles.yaml must describe every storage profile exactly once")
    return out


@functools.cache
def load_rules() -> tuple[StorageRule, ...]:
    """Every row of ``storage_rules.yaml``, checked, with fallbacks resolved."""
    import yaml

    text = resources.files("letdown.guidance").joinpath("storage_rules.yaml").read_text("utf-8")
    return parse_rules(yaml.safe_load(text), source_ids())


def parse_rules(rows: list[dict[str, Any]], sources: frozenset[str]) -> tuple[StorageRule, ...]:
    """Check the raw rows and build rules; raises ``ValueError`` naming the bad row."""
    by_id: dict[str, dict[str, Any]] = {}
    for row in rows:
        rid = row.get("id")
        if not isinstance(rid, str) or not rid:
            raise ValueError(f"Storage rule without an id: {row!r}")
        if rid in by_id:
            raise ValueError(f"Duplicate storage rule id '{rid}'")
        unknown = set(row) - _ROW_FIELDS
        if unknown:
            raise ValueError(f"Storage rule '{rid}' has unknown fields {sorted(unknown)}")
        by_id[rid] = row
    built = tuple(_build(by_id[rid], by_id, sources) for rid in by_id)
    seen: set[tuple[str, State, Location | None, Handling | None]] = set()
    for rule in built:
        key = (rule.profile, rule.milk, rule.location, rule.when)
        if key in seen:
            raise ValueError(f"Storage rule '{rule.id}' repeats a case of profile '{rule.profile}'")
        seen.add(key)
    return built


def _build(row: dict[str, Any], by_id: dict[str, dict[str, Any]], sources: frozenset[str]) -> StorageRule:
    rid = row["id"]
    try:
        profile = StorageProfile(row["profile"])
        milk = State(row["milk"])
        location = None if row["location"] == "any" else Location(row["location"])
    except (KeyError, ValueError) as exc:
        raise ValueError(f"Storage rule '{rid}' has a bad profile, milk or location: {exc}") from exc
    if profile is StorageProfile.CUSTOM:
        raise ValueError(f"Storage rule '{rid}': custom rules come from the household")
    if milk not in MILKS:
        raise ValueError(f"Storage rule '{rid}' has milk '{milk}'; use fresh, thawed or leftover")
    if row.get("source") not in sources:
        raise ValueError(f"Storage rule '{rid}' cites unknown source '{row.get('source')}'")
    if not str(row.get("text", "")).strip():
        raise ValueError(f"Storage rule '{rid}' has no text")
    try:
        when = None if row.get("when") is None else Handling(row["when"])
    except ValueError:
        raise ValueError(f"Storage rule '{rid}' has an unknown 'when': {row['when']!r}") from None
    if when is not None and location not in (Location.ROOM, Location.COOLER):
        raise ValueError(f"Storage rule '{rid}': 'when' rows are for milk at room or in a cooler")
    if when in (Handling.OUT_OF_COLD, Handling.OUT_OF_COOLER) and milk is not State.FRESH:
        raise ValueError(f"Storage rule '{rid}': '{when}' rows are for fresh milk")
    limits = row
    target_id = row.get("falls_back_to")
    if target_id is not None:
        if any(field in row for field in _TAKEN_FIELDS):
            raise ValueError(f"Storage rule '{rid}' falls back and so gives no limits of its own")
        target = by_id.get(target_id)
        if target is None:
            raise ValueError(f"Storage rule '{rid}' falls back to unknown rule '{target_id}'")
        if target.get("source") != row["source"]:
            raise ValueError(f"Storage rule '{rid}' must cite the source of '{target_id}'")
        limits = _build(target, by_id, sources).__dict__
    try:
        clock = Clock(limits.get("clock") or DEFAULT_CLOCK[milk])
    except ValueError:
        raise ValueError(f"Storage rule '{rid}' has an unknown clock: {limits.get('clock')!r}") from None
    for flag, where in (("ours", row), ("ours", limits), ("lifted_by_colder", limits)):
        if not isinstance(where.get(flag, False), bool):
            raise ValueError(f"Storage rule '{rid}': {flag} must be true or false")
    rule = StorageRule(
        id=rid,
        profile=profile.value,
        milk=milk,
        location=location,
        source=row["source"],
        text=" ".join(str(row["text"]).split()),
        unit=None if limits.get("unit") is None else LimitUnit(limits["unit"]),
        use_by=limits.get("use_by"),
        use_soon_after=limits.get("use_soon_after"),
        best_within=limits.get("best_within"),
        refuse=bool(limits.get("refuse", False)),
        clock=clock,
        when=when,
        # a row that borrows another's limits is ours if it says so (it applies them to a
        # case the sources don't cover) or if the borrowed row is
        ours=bool(row.get("ours", False) or limits.get("ours", False)),
        lifted_by_colder=bool(limits.get("lifted_by_colder", False)),
    )
    _check_limits(rule, lambda message: ValueError(f"Storage rule '{rid}': {message}"))
    if rule.lifted_by_colder and (milk is not State.FRESH or clock is not Clock.EXPRESSION or when):
        raise ValueError(
            f"Storage rule '{rid}': only fresh milk's clock from expression may be lifted by cooling"
        )
    if rule.ours and "our careful reading" not in rule.text.lower():
        raise ValueError(f"Storage rule '{rid}' is ours and its text must say 'our careful reading'")
    return rule


def _check_limits(rule: StorageRule, error: Any) -> None:
    if rule.refuse:
        if rule.unit is not None or rule.use_by is not None:
            raise error("a refusal gives no limits")
        return
    if rule.unit is None or rule.use_by is None:
        raise error("needs a unit and use_by")
    for name in _LIMIT_FIELDS:
        value = getattr(rule, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise error(f"{name} must be a whole number, got {value!r}")
        if value is not None and value <= 0:
            raise error(f"{name} must be more than 0, got {value}")
    for name in ("use_soon_after", "best_within"):
        value = getattr(rule, name)
        if value is not None and value >= rule.use_by:
            raise error(f"{name} ({value}) must be less than use_by ({rule.use_by})")


def _rows_for(profile: StorageProfile) -> dict[tuple[State, Location, Handling | None], StorageRule]:
    table: dict[tuple[State, Location, Handling | None], StorageRule] = {}
    rows = [rule for rule in load_rules() if rule.profile == profile.value]
    for milk in MILKS:
        for location in Location:
            exact = [r for r in rows if r.milk is milk and r.location is location and r.when is None]
            anywhere = [r for r in rows if r.milk is milk and r.location is None and r.when is None]
            found = exact or anywhere
            if not found:
                raise ValueError(f"Profile '{profile}' has no rule for {milk} milk in {location}")
            table[(milk, location, None)] = found[0]
    for rule in rows:
        if rule.when is not None:
            assert rule.location is not None
            table[(rule.milk, rule.location, rule.when)] = rule
    cases = {key for key in table if key[2] is not None}
    for other in StorageProfile:
        if other is not StorageProfile.CUSTOM and other is not profile:
            theirs = {
                (r.milk, r.location, r.when) for r in load_rules() if r.profile == other.value and r.when
            }
            if theirs != cases:
                raise ValueError(f"Profiles '{profile}' and '{other}' must cover the same handled cases")
    return table


@functools.cache
def _standard_book(profile: StorageProfile) -> RuleBook:
    return RuleBook(profile=profile, rules=_rows_for(profile))


def rulebook(profile: StorageProfile | str, custom: Mapping[str, Any] | None = None) -> RuleBook:
    """The rule book of a profile; ``custom`` holds the household's unit limits by case name.

    A custom limit replaces the cdc row of its case, with that row's clock. The rows that apply
    after a handling (out of the cold, warmed) stay the cdc ones: a unit's limit can only
    shorten them (when it is shorter, it applies counted from that handling), never stretch them.
    """
    profile = StorageProfile(profile)
    if profile is not StorageProfile.CUSTOM:
        return _standard_book(profile)
    table = dict(_standard_book(StorageProfile.CDC).rules)
    for (milk, location, when), cdc in table.items():
        if not cdc.refuse:
            table[(milk, location, when)] = replace(
                cdc,
                text=f"No limit from your baby's unit for {_case_words(milk, location, when)}, "
                f"so the CDC limit applies: {cdc.text}",
            )
    for case, limits in parse_custom_limits(custom or {}).items():
        milk, locations = CASE_NAMES[case]
        for location in locations:
            table[(milk, location, None)] = limits
            for when in Handling:
                handled = table.get((milk, location, when))
                if handled is not None and _hours(limits) < _hours(handled):
                    table[(milk, location, when)] = replace(
                        limits,
                        id=f"{limits.id}-{when.value}",
                        clock=Clock.STAY,
                        when=when,
                        lifted_by_colder=False,
                        text=f"{limits.text} Counted here from when it was {_HANDLING_WORDS[when]}, "
                        "as it is shorter than the CDC limit for that.",
                    )
    return RuleBook(profile=profile, rules=table)


def _hours(rule: StorageRule) -> float:
    """A rule's deadline as elapsed hours (months count as at least 28 days)."""
    assert rule.use_by is not None
    per = {LimitUnit.HOURS: 1, LimitUnit.DAYS: 24, LimitUnit.MONTHS: 24 * 28}
    return rule.use_by * per[rule.unit or LimitUnit.HOURS]


# Elapsed hours a limit can run at most / at least: a month is 28 to 31 days.
_MOST_HOURS = {LimitUnit.HOURS: 1, LimitUnit.DAYS: 24, LimitUnit.MONTHS: 24 * 31}
_LEAST_HOURS = {LimitUnit.HOURS: 1, LimitUnit.DAYS: 24, LimitUnit.MONTHS: 24 * 28}


def _check_not_longer(case: str, rule: StorageRule, cdc: StorageRule) -> None:
    """A unit's limit may only cut milk's time short, never stretch it past the cdc row of the
    same case: in the same unit it is at most the cdc number; across units its longest reading
    (a month of 31 days) is at most the cdc row's shortest (a month of 28 days). This also keeps
    every number small enough to store and to count dates with."""
    assert rule.unit is not None and rule.use_by is not None
    if cdc.refuse or cdc.unit is None or cdc.use_by is None:
        raise InvalidInput(
            "custom_limits", f"'{case}': the CDC rules refuse this case, so no limit can allow it"
        )
    fields = [("use_by", rule.use_by, cdc.use_by)]
    for name in ("use_soon_after", "best_within"):
        value = getattr(rule, name)
        if value is not None:
            fields.append((name, value, cdc.use_by))
    for name, value, top in fields:
        if rule.unit is cdc.unit:
            longer = value > top
        else:
            longer = value * _MOST_HOURS[rule.unit] > top * _LEAST_HOURS[cdc.unit]
        if longer:
            raise InvalidInput(
                "custom_limits",
                f"'{case}': {name} of {_plural(value, rule.unit)} is longer than the CDC limit "
                f"({_plural(top, cdc.unit)}, {cdc.source}); a unit's limit may only be shorter",
            )


def parse_custom_limits(custom: Mapping[str, Any]) -> dict[str, StorageRule]:
    """Check a household's unit limits; raises ``InvalidInput`` naming the bad case or value."""
    rules: dict[str, StorageRule] = {}
    for case, limits in custom.items():
        if case not in CASE_NAMES:
            raise InvalidInput("custom_limits", f"unknown case '{case}'; cases are {', '.join(CASE_NAMES)}")
        if not isinstance(limits, Mapping):
            raise InvalidInput("custom_limits", f"limits for '{case}' must be a mapping")
        unknown = set(limits) - _CUSTOM_FIELDS
        if unknown:
            raise InvalidInput("custom_limits", f"'{case}' has unknown fields {sorted(unknown)}")
        try:
            raw_unit = limits.get("unit")
            if not isinstance(raw_unit, str):
                raise ValueError(raw_unit)
            unit = LimitUnit(raw_unit)
        except ValueError:
            raise InvalidInput(
                "custom_limits", f"'{case}' needs a unit (hours, days or months), got {limits.get('unit')!r}"
            ) from None
        milk, locations = CASE_NAMES[case]
        base = _standard_book(StorageProfile.CDC).rule(milk, locations[0])
        rule = StorageRule(
            id=f"custom-{case}",
            profile=StorageProfile.CUSTOM.value,
            milk=milk,
            location=locations[0] if len(locations) == 1 else None,
            source=CUSTOM_SOURCE,
            text="",
            unit=unit,
            use_by=limits.get("use_by"),
            use_soon_after=limits.get("use_soon_after"),
            best_within=limits.get("best_within"),
            clock=base.clock,
            lifted_by_colder=base.lifted_by_colder,
        )
        _check_limits(rule, lambda message, case=case: InvalidInput("custom_limits", f"'{case}': {message}"))
        for location in locations:
            _check_not_longer(case, rule, _standard_book(StorageProfile.CDC).rule(milk, location))
        rules[case] = replace(rule, text=_custom_text(rule))
    return rules


def _plural(amount: int, unit: LimitUnit) -> str:
    word = unit.value if amount != 1 else unit.value[:-1]
    return f"{amount} {word}"


_FROM_WORDS = {
    Clock.EXPRESSION: "from expression",
    Clock.THAW: "from the thaw",
    Clock.FEED_END: "from the end of the feed",
    Clock.STAY: "from when it was put there",
}
_HANDLING_WORDS = {
    Handling.OUT_OF_COLD: "taken out of the fridge",
    Handling.OUT_OF_COOLER: "taken out of a cooler",
    Handling.WARMED: "warmed",
}


def _case_words(milk: State, location: Location | None, when: Handling | None = None) -> str:
    if milk is State.LEFTOVER:
        return "leftover milk"
    words = f"{milk.value} milk {PLACE_WORDS[location]}" if location else f"{milk.value} milk"
    return f"{words} once {_HANDLING_WORDS[when]}" if when else words


def _custom_text(rule: StorageRule) -> str:
    assert rule.unit is not None and rule.use_by is not None
    words = (
        f"{CUSTOM_TEXT}: {_case_words(rule.milk, rule.location)} keeps up to "
        f"{_plural(rule.use_by, rule.unit)} {_FROM_WORDS[rule.clock]}"
    )
    extras = []
    if rule.best_within is not None:
        extras.append(f"best within {_plural(rule.best_within, rule.unit)}")
    if rule.use_soon_after is not None:
        extras.append(f"use soon after {_plural(rule.use_soon_after, rule.unit)}")
    return words + (f" ({'; '.join(extras)})." if extras else ".")
