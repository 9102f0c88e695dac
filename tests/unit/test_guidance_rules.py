"""The storage rule table is well formed: unique ids, known sources, every case covered."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from letdown.domain.choices import Location, StorageProfile
from letdown.domain.errors import InvalidInput
from letdown.guidance.rules import (
    CASE_NAMES,
    MILKS,
    load_rules,
    parse_custom_limits,
    parse_rules,
    rulebook,
    source_ids,
)


def raw_rows() -> list[dict]:
    text = resources.files("letdown.guidance").joinpath("storage_rules.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def test_rule_ids_are_unique() -> None:
    ids = [row["id"] for row in raw_rows()]
    assert len(ids) == len(set(ids))


def test_every_rule_source_resolves_in_sources_yaml() -> None:
    for rule in load_rules():
        assert rule.source in source_ids(), rule.id


def test_storage_rules_cite_only_the_storage_sources() -> None:
    assert {rule.source for rule in load_rules()} == {"cdc-storage", "abm-8-2017", "aces-breast-milk"}
    # the CDC table gives no 2 hours for fresh milk out of the cold or warmed: those rows cite
    # the secondary page that does (guidance-facts.md: "secondary pages only")
    assert sorted(rule.id for rule in load_rules() if rule.source == "aces-breast-milk") == [
        "abm-fresh-room-out-of-cold",
        "abm-fresh-room-out-of-cooler",
        "abm-fresh-warmed",
        "cdc-fresh-room-out-of-cold",
        "cdc-fresh-room-out-of-cooler",
        "cdc-fresh-warmed",
    ]


def test_careful_readings_are_marked_ours_and_say_so() -> None:
    rules = {rule.id: rule for rule in load_rules()}
    for rid in (
        "abm-fresh-fridge",
        "abm-fresh-room",
        "cdc-thawed-cooler",
        "abm-thawed-cooler",
        "cdc-fresh-room-out-of-cooler",
        "abm-fresh-room-out-of-cooler",
    ):
        assert rules[rid].ours, rid
        assert "our careful reading" in rules[rid].text.lower(), rid
    fridge = rules["abm-fresh-fridge"]
    assert (fridge.unit.value, fridge.use_by, fridge.use_soon_after) == ("days", 4, None)
    assert "5–8 days only for milk expressed under very clean conditions" in fridge.text


@pytest.mark.parametrize("profile", list(StorageProfile))
def test_every_profile_has_a_rule_for_every_milk_in_every_place(profile: StorageProfile) -> None:
    book = rulebook(profile)
    for milk in MILKS:
        for location in Location:
            assert book.rule(milk, location).text


def test_thawed_milk_in_the_freezer_is_refused_in_every_profile() -> None:
    for profile in StorageProfile:
        rule = rulebook(profile).rule(milk=MILKS[1], location=Location.FREEZER)
        assert rule.refuse and "never refrozen" in rule.text


def test_abm_falls_back_to_cdc_for_thawed_milk_and_says_so() -> None:
    book, cdc = rulebook("abm"), rulebook("cdc")
    for location in (Location.ROOM, Location.FRIDGE, Location.COOLER):
        rule = book.rule(MILKS[1], location)
        same = cdc.rule(MILKS[1], location)
        assert rule.source == "cdc-storage"
        assert (rule.unit, rule.use_by, rule.use_soon_after) == (same.unit, same.use_by, same.use_soon_after)
        assert "no verified figure" in rule.text or "no source gives" in rule.text.lower()


def test_rule_texts_are_single_lines_in_our_words() -> None:
    for rule in load_rules():
        assert "\n" not in rule.text and rule.text.endswith((".", ")"))


def bad(rows: list[dict]) -> str:
    with pytest.raises(ValueError) as caught:
        parse_rules(rows, source_ids())
    return str(caught.value)


ROW = {
    "id": "x-fresh-room",
    "profile": "cdc",
    "milk": "fresh",
    "location": "room",
    "unit": "hours",
    "use_by": 4,
    "source": "cdc-storage",
    "text": "Words.",
}


def test_the_loader_refuses_duplicate_ids_unknown_sources_and_bad_limits() -> None:
    assert bad([ROW, ROW]) == "Duplicate storage rule id 'x-fresh-room'"
    assert bad([{**ROW, "source": "blog"}]) == ("Storage rule 'x-fresh-room' cites unknown source 'blog'")
    assert bad([{**ROW, "use_soon_after": 4}]) == (
        "Storage rule 'x-fresh-room': use_soon_after (4) must be less than use_by (4)"
    )
    assert bad([{**ROW, "milk": "frozen"}]) == (
        "Storage rule 'x-fresh-room' has milk 'frozen'; use fresh, thawed or leftover"
    )
    assert bad([{**ROW, "colour": "red"}]) == ("Storage rule 'x-fresh-room' has unknown fields ['colour']")
    assert bad([{**ROW, "falls_back_to": "nope", "unit": None}]) == (
        "Storage rule 'x-fresh-room' falls back and so gives no limits of its own"
    )


def test_custom_limits_are_checked_and_name_the_case() -> None:
    assert set(parse_custom_limits({"fresh-fridge": {"unit": "days", "use_by": 2}})) == {"fresh-fridge"}
    with pytest.raises(InvalidInput) as caught:
        parse_custom_limits({"fresh-attic": {"unit": "days", "use_by": 2}})
    assert caught.value.message == (
        "custom_limits: unknown case 'fresh-attic'; cases are " + ", ".join(CASE_NAMES)
    )
    with pytest.raises(InvalidInput) as caught:
        parse_custom_limits({"fresh-fridge": {"unit": "weeks", "use_by": 2}})
    assert caught.value.message == (
        "custom_limits: 'fresh-fridge' needs a unit (hours, days or months), got 'weeks'"
    )
    with pytest.raises(InvalidInput) as caught:
        parse_custom_limits({"fresh-fridge": {"unit": "days", "use_by": 0}})
    assert caught.value.message == "custom_limits: 'fresh-fridge': use_by must be more than 0, got 0"


def test_every_number_in_a_storage_rule_is_a_sourced_fact() -> None:
    """Limits and the figures in each text come from facts.yaml, under the rule's own source."""
    from letdown.guidance import library

    pool: dict[str, set[float]] = {}
    for fact in library.facts().values():
        pool.setdefault(fact.source, set()).update(abs(n) for n in fact.numbers)
    for rule in load_rules():
        limits = {rule.use_by, rule.use_soon_after, rule.best_within} - {None}
        prose = re.sub(r"#\d+", "", rule.text)  # "Protocol #8" names a protocol, not a figure
        written = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", prose)}
        assert {float(n) for n in limits} | written <= pool[rule.source], rule.id


def test_every_storage_profile_is_described_with_a_known_source():
    from letdown.domain.choices import StorageProfile
    from letdown.guidance.rules import profiles

    described = profiles()
    assert set(described) == set(StorageProfile)
    assert "neonatal unit" in described[StorageProfile.CUSTOM].text


# --- issue 10: clocks, handled cases, our careful readings --------------------------------


def test_the_loader_checks_clocks_handlings_ours_and_lifts() -> None:
    assert bad([{**ROW, "clock": "sunrise"}]) == "Storage rule 'x-fresh-room' has an unknown clock: 'sunrise'"
    assert bad([{**ROW, "when": "shaken"}]) == "Storage rule 'x-fresh-room' has an unknown 'when': 'shaken'"
    assert bad([{**ROW, "when": "warmed", "location": "fridge"}]) == (
        "Storage rule 'x-fresh-room': 'when' rows are for milk at room or in a cooler"
    )
    assert bad([{**ROW, "when": "out-of-cold", "milk": "thawed"}]) == (
        "Storage rule 'x-fresh-room': 'out-of-cold' rows are for fresh milk"
    )
    assert bad([{**ROW, "ours": True}]) == (
        "Storage rule 'x-fresh-room' is ours and its text must say 'our careful reading'"
    )
    assert bad([{**ROW, "ours": "yes"}]) == "Storage rule 'x-fresh-room': ours must be true or false"
    for lifted in ({"milk": "thawed"}, {"clock": "stay"}, {"when": "warmed", "clock": "stay"}):
        assert bad([{**ROW, "lifted_by_colder": True, **lifted}]) == (
            "Storage rule 'x-fresh-room': only fresh milk's clock from expression may be lifted by cooling"
        )
    target = {**ROW, "id": "x-target"}
    for field, value in (("clock", "stay"), ("lifted_by_colder", True)):
        row = {k: v for k, v in ROW.items() if k not in ("unit", "use_by")}
        assert bad([target, {**row, "falls_back_to": "x-target", field: value}]) == (
            "Storage rule 'x-fresh-room' falls back and so gives no limits of its own"
        )
    # a row that borrows another's limits may be our careful reading, and must then say so
    row = {k: v for k, v in ROW.items() if k not in ("unit", "use_by")}
    assert bad([target, {**row, "falls_back_to": "x-target", "ours": True}]) == (
        "Storage rule 'x-fresh-room' is ours and its text must say 'our careful reading'"
    )
    assert bad([{**ROW, "when": "out-of-cooler", "milk": "thawed"}]) == (
        "Storage rule 'x-fresh-room': 'out-of-cooler' rows are for fresh milk"
    )
    assert bad(
        [ROW, {**ROW, "id": "x-two", "when": "warmed"}, {**ROW, "id": "x-three", "when": "warmed"}]
    ) == ("Storage rule 'x-three' repeats a case of profile 'cdc'")


def test_only_fresh_milk_counted_from_expression_is_lifted_by_cooling() -> None:
    lifted = sorted(rule.id for rule in load_rules() if rule.lifted_by_colder)
    assert lifted == [
        "abm-fresh-cooler",
        "abm-fresh-fridge",
        "abm-fresh-room",
        "cdc-fresh-cooler",
        "cdc-fresh-fridge",
        "cdc-fresh-room",
    ]


def test_thawed_milk_at_room_counts_from_the_stay_and_in_the_fridge_from_the_thaw() -> None:
    for profile in ("cdc", "abm", "custom"):
        book = rulebook(profile)
        assert book.rule(MILKS[1], Location.ROOM).clock.value == "stay"
        assert book.rule(MILKS[1], Location.COOLER).clock.value == "stay"
        assert book.rule(MILKS[1], Location.FRIDGE).clock.value == "thaw"
        assert book.rule(MILKS[2], Location.FRIDGE).clock.value == "feed-end"


@pytest.mark.parametrize("profile", ["cdc", "abm", "custom"])
def test_warmed_and_out_of_fridge_milk_have_two_hours_in_every_profile(profile: str) -> None:
    from letdown.guidance.rules import Handling

    book = rulebook(profile)
    for milk in MILKS:
        rule = book.rule(milk, Location.ROOM, Handling.WARMED)
        assert (rule.when, rule.clock.value, rule.unit.value, rule.use_by) == (
            Handling.WARMED,
            "stay",
            "hours",
            2,
        )
        assert rule.source == ("aces-breast-milk" if milk is MILKS[0] else "cdc-storage")
    out = book.rule(MILKS[0], Location.ROOM, Handling.OUT_OF_COLD)
    assert (out.clock.value, out.use_by, out.source, out.ours) == ("stay", 2, "aces-breast-milk", False)
    left_cooler = book.rule(MILKS[0], Location.ROOM, Handling.OUT_OF_COOLER)
    assert (left_cooler.clock.value, left_cooler.use_by, left_cooler.ours) == ("stay", 2, True)
    cooler = book.rule(MILKS[0], Location.COOLER, Handling.OUT_OF_COLD)
    assert (cooler.clock.value, cooler.use_by, cooler.ours) == ("stay", 24, True)
    assert "our careful reading" in cooler.text.lower()


def test_a_units_limit_shortens_the_handled_rows_but_never_stretches_them() -> None:
    from letdown.guidance.rules import Handling

    long = rulebook(
        "custom",
        {"fresh-room": {"unit": "hours", "use_by": 3}, "thawed-room": {"unit": "hours", "use_by": 2}},
    )
    assert long.rule(MILKS[0], Location.ROOM, Handling.OUT_OF_COLD).use_by == 2
    assert long.rule(MILKS[1], Location.ROOM, Handling.WARMED).use_by == 2
    short = rulebook("custom", {"fresh-room": {"unit": "hours", "use_by": 1}})
    rule = short.rule(MILKS[0], Location.ROOM, Handling.OUT_OF_COLD)
    assert (rule.id, rule.source, rule.use_by, rule.clock.value) == (
        "custom-fresh-room-out-of-cold",
        "custom",
        1,
        "stay",
    )
    assert rule.text.endswith(
        "Counted here from when it was taken out of the fridge, as it is shorter than the CDC limit for that."
    )
