"""The storage clocks of issue 10, section 1, as tables: each case, the rule that decides it,
and its source id (domain only)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from letdown.domain.choices import Location, State, Status
from letdown.domain.errors import InvalidInput, Refused
from letdown.domain.sessions import MAX_ML_PER_SIDE
from letdown.domain.storage import (
    MAX_CONTAINER_ML,
    Event,
    EventKind,
    check,
    check_leftover,
    check_new,
    check_volume,
    evaluate,
)
from letdown.guidance.rules import rulebook

UTC = ZoneInfo("UTC")
H = timedelta(hours=1)
M = timedelta(minutes=1)
D = timedelta(days=1)
CDC = rulebook("cdc")
ABM = rulebook("abm")
CUSTOM = rulebook("custom")
UNIT = rulebook(
    "custom",
    {
        "fresh-room": {"unit": "hours", "use_by": 1},
        "thawed-room": {"unit": "hours", "use_by": 2},
        "leftover": {"unit": "hours", "use_by": 1},
    },
)
EXPRESSED = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
DAY = datetime(2026, 3, 10, 0, 0, tzinfo=UTC)  # the day of the thaw or the feed


def at(hhmm: str, day: datetime = DAY) -> datetime:
    hours, minutes = hhmm.split(":")
    return day + timedelta(hours=int(hours), minutes=int(minutes))


def stored(location: Location, when: datetime = EXPRESSED) -> Event:
    return Event(EventKind.STORED, when, location=location, ml=120)


def moved(to: Location, when: datetime) -> Event:
    return Event(EventKind.MOVED, when, location=to)


def thawed(when: datetime, where: Location) -> Event:
    return Event(EventKind.THAWED, when, location=where)


def warmed(when: datetime) -> Event:
    return Event(EventKind.WARMED, when)


def fed(when: datetime, leftover: float | None = None) -> Event:
    return Event(EventKind.FEED_FINISHED, when, ml=leftover)


FROZEN = stored(Location.FREEZER)
FRIDGE = stored(Location.FRIDGE)
LAST_NIGHT = stored(Location.FRIDGE, DAY - 4 * H)  # fridge milk expressed the evening before a feed

# name: (book, history, evaluated at, status, rule id, source, use_by, use_soon_at)
CASES = {
    # --- thawed milk: CDC "1–2 hours" at room, "up to 1 day (24 hours)" in the fridge, from the thaw
    "thawed at room 10:00, fridge at 11:30: still use by 12:00 (not 10:00 the next day)": (
        CDC,
        [FROZEN, thawed(at("10:00"), Location.ROOM), moved(Location.FRIDGE, at("11:30"))],
        at("11:30"),
        Status.USE_SOON,
        "cdc-thawed-room",
        "cdc-storage",
        at("12:00"),
        at("11:00"),
    ),
    "thawed at room 10:00, fridge at 11:30: expired at 12:01 and the next morning": (
        CDC,
        [FROZEN, thawed(at("10:00"), Location.ROOM), moved(Location.FRIDGE, at("11:30"))],
        at("09:00", DAY + D),
        Status.EXPIRED,
        "cdc-thawed-room",
        "cdc-storage",
        at("12:00"),
        at("11:00"),
    ),
    "thawed in the fridge 00:00, 80 minutes at room from 10:00, back in the fridge: 12:00": (
        CDC,
        [
            FROZEN,
            thawed(at("00:00"), Location.FRIDGE),
            moved(Location.ROOM, at("10:00")),
            moved(Location.FRIDGE, at("11:20")),
        ],
        at("11:20"),
        Status.USE_SOON,
        "cdc-thawed-room",
        "cdc-storage",
        at("12:00"),
        at("11:00"),
    ),
    "thawed in the fridge 00:00, at room from 23:00: still 24 hours from the thaw": (
        CDC,
        [FROZEN, thawed(at("00:00"), Location.FRIDGE), moved(Location.ROOM, at("23:00"))],
        at("23:00"),
        Status.OK,
        "cdc-thawed-fridge",
        "cdc-storage",
        at("00:00", DAY + D),
        at("00:00", DAY + D),
    ),
    "thawed in the fridge, warmed at 09:00: 1–2 hours from warming": (
        CDC,
        [FROZEN, thawed(at("00:00"), Location.FRIDGE), warmed(at("09:00"))],
        at("09:00"),
        Status.OK,
        "cdc-thawed-warmed",
        "cdc-storage",
        at("11:00"),
        at("10:00"),
    ),
    "thawed in the fridge, warmed at 09:00, back in the fridge at 09:30: still 11:00": (
        CDC,
        [
            FROZEN,
            thawed(at("00:00"), Location.FRIDGE),
            warmed(at("09:00")),
            moved(Location.FRIDGE, at("09:30")),
        ],
        at("09:30"),
        Status.OK,
        "cdc-thawed-warmed",
        "cdc-storage",
        at("11:00"),
        at("10:00"),
    ),
    "abm: thawed at room, into the fridge: the CDC limit it falls back to": (
        ABM,
        [FROZEN, thawed(at("10:00"), Location.ROOM), moved(Location.FRIDGE, at("11:30"))],
        at("11:30"),
        Status.USE_SOON,
        "abm-thawed-room",
        "cdc-storage",
        at("12:00"),
        at("11:00"),
    ),
    # --- leftover milk: CDC "use within 2 hours after the baby is finished feeding"
    "leftover moved to the fridge: 2 hours from the end of the feed": (
        CDC,
        [LAST_NIGHT, fed(at("10:00"), 40), moved(Location.FRIDGE, at("10:15"))],
        at("10:15"),
        Status.OK,
        "cdc-leftover",
        "cdc-storage",
        at("12:00"),
        None,
    ),
    "a leftover of a leftover keeps the first feed's deadline": (
        CDC,
        [LAST_NIGHT, fed(at("10:00"), 80), fed(at("11:30"), 30)],
        at("11:30"),
        Status.OK,
        "cdc-leftover",
        "cdc-storage",
        at("12:00"),
        None,
    ),
    "a leftover warmed again keeps the first feed's deadline": (
        CDC,
        [LAST_NIGHT, fed(at("10:00"), 80), moved(Location.FRIDGE, at("10:30")), warmed(at("11:30"))],
        at("11:30"),
        Status.OK,
        "cdc-leftover",
        "cdc-storage",
        at("12:00"),
        None,
    ),
    "abm: a leftover of a leftover, moved to the fridge: 1–2 hours from the first feed": (
        ABM,
        [LAST_NIGHT, fed(at("10:00"), 80), fed(at("11:00"), 30), moved(Location.FRIDGE, at("11:05"))],
        at("11:05"),
        Status.USE_SOON,
        "abm-leftover",
        "abm-8-2017",
        at("12:00"),
        at("11:00"),
    ),
    # --- fresh milk from the fridge: CDC "once brought to room temperature ... within 2 hours"
    "fresh milk two days in the fridge, taken out at 10:00: use by 12:00": (
        CDC,
        [FRIDGE, moved(Location.ROOM, EXPRESSED + 2 * D)],
        EXPRESSED + 2 * D,
        Status.OK,
        "cdc-fresh-room-out-of-cold",
        "aces-breast-milk",
        EXPRESSED + 2 * D + 2 * H,
        None,
    ),
    "fresh fridge milk taken out an hour before its fridge limit: the fridge limit": (
        CDC,
        [FRIDGE, moved(Location.ROOM, EXPRESSED + 4 * D - H)],
        EXPRESSED + 4 * D - H,
        Status.OK,
        "cdc-fresh-fridge",
        "cdc-storage",
        EXPRESSED + 4 * D,
        None,
    ),
    "fresh fridge milk out 30 minutes and back in the fridge: still 2 hours from taking out": (
        CDC,
        [FRIDGE, moved(Location.ROOM, EXPRESSED + D), moved(Location.FRIDGE, EXPRESSED + D + 30 * M)],
        EXPRESSED + D + 30 * M,
        Status.OK,
        "cdc-fresh-room-out-of-cold",
        "aces-breast-milk",
        EXPRESSED + D + 2 * H,
        None,
    ),
    "fresh fridge milk warmed: 2 hours from warming": (
        CDC,
        [FRIDGE, warmed(EXPRESSED + D)],
        EXPRESSED + D,
        Status.OK,
        "cdc-fresh-warmed",
        "aces-breast-milk",
        EXPRESSED + D + 2 * H,
        None,
    ),
    "fresh milk at room 3 hours, then the fridge: the fridge limit (cooled within its window)": (
        CDC,
        [stored(Location.ROOM), moved(Location.FRIDGE, EXPRESSED + 3 * H)],
        EXPRESSED + 3 * H,
        Status.OK,
        "cdc-fresh-fridge",
        "cdc-storage",
        EXPRESSED + 4 * D,
        None,
    ),
    "fresh milk in a cooler 10 hours, then the fridge: the fridge limit": (
        CDC,
        [stored(Location.COOLER), moved(Location.FRIDGE, EXPRESSED + 10 * H)],
        EXPRESSED + 10 * H,
        Status.OK,
        "cdc-fresh-fridge",
        "cdc-storage",
        EXPRESSED + 4 * D,
        None,
    ),
    "fridge milk to a cooler with ice packs: 24 hours from going in (our careful reading)": (
        CDC,
        [FRIDGE, moved(Location.COOLER, EXPRESSED + D)],
        EXPRESSED + D,
        Status.OK,
        "cdc-fresh-cooler-out-of-cold",
        "cdc-storage",
        EXPRESSED + 2 * D,
        None,
    ),
    "fridge milk to a cooler late: never past its fridge limit": (
        CDC,
        [FRIDGE, moved(Location.COOLER, EXPRESSED + 3 * D + 12 * H)],
        EXPRESSED + 3 * D + 12 * H,
        Status.OK,
        "cdc-fresh-fridge",
        "cdc-storage",
        EXPRESSED + 4 * D,
        None,
    ),
    "fridge milk to a cooler and back to the fridge: the cooler's 24 hours stand": (
        CDC,
        [FRIDGE, moved(Location.COOLER, EXPRESSED + D), moved(Location.FRIDGE, EXPRESSED + D + 8 * H)],
        EXPRESSED + D + 8 * H,
        Status.OK,
        "cdc-fresh-cooler-out-of-cold",
        "cdc-storage",
        EXPRESSED + 2 * D,
        None,
    ),
    "abm: fresh milk three days in the fridge, taken out: 2 hours (ABM silent)": (
        ABM,
        [FRIDGE, moved(Location.ROOM, EXPRESSED + 3 * D)],
        EXPRESSED + 3 * D,
        Status.OK,
        "abm-fresh-room-out-of-cold",
        "aces-breast-milk",
        EXPRESSED + 3 * D + 2 * H,
        None,
    ),
    "abm: fresh milk five days in the fridge is expired (4 days, our careful reading)": (
        ABM,
        [FRIDGE],
        EXPRESSED + 5 * D,
        Status.EXPIRED,
        "abm-fresh-fridge",
        "abm-8-2017",
        EXPRESSED + 4 * D,
        None,
    ),
    # --- fresh milk from a cooler (never the fridge): 2 hours from taking out (ours)
    "fresh milk from a cooler to room at 20 hours: 2 hours from taking out": (
        CDC,
        [stored(Location.COOLER), moved(Location.ROOM, EXPRESSED + 20 * H)],
        EXPRESSED + 20 * H,
        Status.OK,
        "cdc-fresh-room-out-of-cooler",
        "aces-breast-milk",
        EXPRESSED + 22 * H,
        None,
    ),
    "fresh milk from a cooler to room at 23 hours: never beyond its cooler limit": (
        CDC,
        [stored(Location.COOLER), moved(Location.ROOM, EXPRESSED + 23 * H)],
        EXPRESSED + 23 * H,
        Status.OK,
        "cdc-fresh-cooler",
        "cdc-storage",
        EXPRESSED + 24 * H,
        None,
    ),
    "abm: fresh milk from a cooler to room falls back to the same 2 hours": (
        ABM,
        [stored(Location.COOLER), moved(Location.ROOM, EXPRESSED + 20 * H)],
        EXPRESSED + 20 * H,
        Status.OK,
        "abm-fresh-room-out-of-cooler",
        "aces-breast-milk",
        EXPRESSED + 22 * H,
        None,
    ),
    # --- custom: a unit's limits never stretch the warmed or out-of-fridge clocks
    "custom: thawed milk warmed keeps 2 hours when the unit also allows 2 at room": (
        UNIT,
        [FROZEN, thawed(at("00:00"), Location.FRIDGE), warmed(at("09:00"))],
        at("09:00"),
        Status.OK,
        "cdc-thawed-warmed",
        "cdc-storage",
        at("11:00"),
        at("10:00"),
    ),
    "custom: a unit's 1 hour at room also shortens fridge milk taken out": (
        UNIT,
        [FRIDGE, moved(Location.ROOM, EXPRESSED + D)],
        EXPRESSED + D,
        Status.OK,
        "custom-fresh-room-out-of-cold",
        "custom",
        EXPRESSED + D + H,
        None,
    ),
    "custom: a leftover moved to the fridge keeps the unit's 1 hour": (
        UNIT,
        [LAST_NIGHT, fed(at("10:00"), 40), moved(Location.FRIDGE, at("10:15"))],
        at("10:15"),
        Status.OK,
        "custom-leftover",
        "custom",
        at("11:00"),
        None,
    ),
    "custom without limits: fridge milk taken out gets the CDC 2 hours": (
        CUSTOM,
        [FRIDGE, moved(Location.ROOM, EXPRESSED + D)],
        EXPRESSED + D,
        Status.OK,
        "cdc-fresh-room-out-of-cold",
        "aces-breast-milk",
        EXPRESSED + D + 2 * H,
        None,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_case_is_decided_by_its_rule_and_source(name: str) -> None:
    book, history, when, status, rule_id, source, use_by, soon = CASES[name]
    standing = evaluate(history, when, book, UTC)
    assert (standing.status, standing.rule.id, standing.rule.source) == (status, rule_id, source)
    assert (standing.use_by, standing.use_soon_at) == (use_by, soon)
    assert evaluate(history, use_by + timedelta(seconds=1), book, UTC).status in (Status.EXPIRED,)


def test_our_careful_reading_is_marked_on_the_rule_the_container_shows() -> None:
    standing = evaluate([FRIDGE, moved(Location.COOLER, EXPRESSED + D)], EXPRESSED + D, CDC, UTC)
    cite = standing.rule.cite()
    assert cite["ours"] is True and cite["source"] == "cdc-storage"
    assert cite["text"].startswith("Our careful reading (the sources give no limit for fridge milk moved")
    abm = evaluate([FRIDGE, moved(Location.COOLER, EXPRESSED + D)], EXPRESSED + D, ABM, UTC)
    assert (abm.rule.id, abm.rule.ours) == ("abm-fresh-cooler-out-of-cold", True)
    plain = evaluate([FRIDGE], EXPRESSED, CDC, UTC).rule.cite()
    assert plain["ours"] is False


def test_a_thawed_container_reports_its_thaw_and_state_after_going_back_in_the_fridge() -> None:
    history = [FROZEN, thawed(at("10:00"), Location.ROOM), moved(Location.FRIDGE, at("11:30"))]
    standing = evaluate(history, at("11:30"), CDC, UTC)
    assert (standing.state, standing.location, standing.thawed_at) == (
        State.THAWED,
        Location.FRIDGE,
        at("10:00"),
    )


def test_a_feed_started_from_the_fridge_runs_the_two_hours_from_its_start() -> None:
    history = [FRIDGE, Event(EventKind.FEED_STARTED, EXPRESSED + D), fed(EXPRESSED + D + 30 * M, 40)]
    standing = evaluate(history, EXPRESSED + D + 30 * M, CDC, UTC)
    assert (standing.state, standing.rule.id, standing.use_by) == (
        State.LEFTOVER,
        "cdc-fresh-room-out-of-cold",
        EXPRESSED + D + 2 * H,
    )


# --- refusals --------------------------------------------------------------------------------

NOW = datetime(2027, 6, 1, tzinfo=UTC)


def refused(history: list[Event], action: Event, book=CDC) -> str:
    with pytest.raises(Refused) as caught:
        check(history, action, now=NOW, book=book, zone=UTC, ident="7")
    return caught.value.message


def test_frozen_milk_is_not_warmed() -> None:
    assert refused([FROZEN], warmed(EXPRESSED + D)) == "Container 7 is frozen; thaw it first"


def test_expired_milk_is_not_warmed() -> None:
    history = [FRIDGE, moved(Location.ROOM, EXPRESSED + D)]
    assert refused(history, warmed(EXPRESSED + D + 3 * H)) == (
        "Container 7 expired at 2026-03-02T10:00+00:00 (cdc-fresh-room-out-of-cold); it can only be discarded"
    )


def test_warming_used_milk_is_refused() -> None:
    history = [FRIDGE, Event(EventKind.USED, EXPRESSED + H)]
    assert refused(history, warmed(EXPRESSED + 2 * H)) == "Container 7 was already used"


def test_a_container_is_bounded_like_one_side_of_a_session() -> None:
    assert MAX_CONTAINER_ML == MAX_ML_PER_SIDE == 1000


@pytest.mark.parametrize(
    ("ml", "field", "message"),
    [
        (math.inf, "ml", "volume must be a finite number of ml, got inf"),
        (-math.inf, "ml", "volume must be a finite number of ml, got -inf"),
        (math.nan, "ml", "volume must be a finite number of ml, got nan"),
        (1e300, "ml", "1e+300 ml is over the 1000 ml limit for one container; check the value and its unit"),
        (
            1000.01,
            "ml",
            "1000.01 ml is over the 1000 ml limit for one container; check the value and its unit",
        ),
    ],
)
def test_a_non_finite_or_huge_volume_is_invalid(ml: float, field: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_new(ml, EXPRESSED, NOW, UTC)
    assert (caught.value.field, caught.value.detail) == (field, message)


@pytest.mark.parametrize("ml", [0.04, 0.049, 1e-300])
def test_a_volume_that_rounds_to_zero_is_refused(ml: float) -> None:
    with pytest.raises(Refused) as caught:
        check_new(ml, EXPRESSED, NOW, UTC)
    assert caught.value.message == f"Volume of {ml:g} ml rounds to 0 ml; the smallest is 0.1 ml"


def test_the_bounds_themselves_are_accepted_and_rounded() -> None:
    assert check_volume(1000) == 1000
    assert check_volume(0.05) == 0.1
    assert check_leftover(0) == 0


def test_a_split_that_rounds_to_zero_or_is_not_finite_is_refused() -> None:
    assert refused([FRIDGE], Event(EventKind.SPLIT_INTO, EXPRESSED + H, ml=0.04)) == (
        "A split of 0.04 ml rounds to 0 ml; the smallest is 0.1 ml"
    )
    with pytest.raises(InvalidInput, match="a split must be a finite number of ml, got inf"):
        check(
            [FRIDGE],
            Event(EventKind.SPLIT_INTO, EXPRESSED + H, ml=math.inf),
            now=NOW,
            book=CDC,
            zone=UTC,
            ident="7",
        )


@pytest.mark.parametrize(
    ("ml", "error", "message"),
    [
        (
            0.04,
            Refused,
            "Leftover of 0.04 ml rounds to 0 ml; give 0 if the baby finished it, or at least 0.1 ml",
        ),
        (-1, Refused, "Leftover must be 0 ml or more, got -1 ml"),
        (math.inf, InvalidInput, "leftover_ml: leftover must be a finite number of ml, got inf"),
        (math.nan, InvalidInput, "leftover_ml: leftover must be a finite number of ml, got nan"),
    ],
)
def test_a_bad_leftover_is_refused_before_anything_is_written(ml: float, error: type, message: str) -> None:
    with pytest.raises(error) as caught:
        check([FRIDGE], fed(EXPRESSED + H, ml), now=NOW, book=CDC, zone=UTC, ident="7")
    assert caught.value.message == message
