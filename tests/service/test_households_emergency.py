"""The household's emergency number for triage: its own, else its country's, else the words."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from letdown.domain.errors import InvalidInput, Refused
from letdown.services.accounts import households
from letdown.services.portability import archive as portability


def test_a_new_household_has_no_number_and_triage_says_the_words(db, household):
    view = households.get(db, household.id)
    assert (view.country, view.emergency_number) == (None, None)
    assert view.number_to_call == "your local emergency number"
    assert view.as_json()["number_to_call"] == "your local emergency number"


def test_country_gives_the_number_and_an_own_number_wins(db, household):
    assert households.update(db, household.id, country="nz").number_to_call == "111"
    view = households.update(db, household.id, emergency_number=" 0800  123 ")
    assert (view.country, view.emergency_number, view.number_to_call) == ("NZ", "0800 123", "0800 123")
    assert households.update(db, household.id, emergency_number="").number_to_call == "111"
    assert households.update(db, household.id, country="").number_to_call == "your local emergency number"


def test_leaving_a_setting_out_keeps_it(db, household):
    households.update(db, household.id, country="CA", emergency_number="911")
    view = households.update(db, household.id, name="Renamed")
    assert (view.country, view.emergency_number) == ("CA", "911")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"country": "UK"},
            "country: no emergency number is known for 'UK'; choose one of GB, IE, US, CA, AU, NZ, DE, FR, "
            "ES, IT, NL, or leave it empty and type your emergency number",
        ),
        (
            {"emergency_number": "999\x00"},
            "emergency_number: '999\\0' is not a phone number; use digits, spaces, + or - (like 999 or 112)",
        ),
        ({"emergency_number": "9" * 500}, "emergency_number: is 500 characters; the most is 20"),
    ],
)
def test_a_bad_setting_is_refused_and_changes_nothing(db, household, change, message):
    households.update(db, household.id, country="IE")
    with pytest.raises(InvalidInput) as caught:
        households.update(db, household.id, name="Not saved", **change)
    assert str(caught.value) == message
    db.rollback()
    view = households.get(db, household.id)
    assert (view.name, view.country, view.emergency_number) == (household.name, "IE", None)


def test_the_settings_travel_in_an_export(db, household, now):
    households.update(db, household.id, country="AU", emergency_number="112")
    data = portability.export_household(db, household.id)
    assert (data["household"]["country"], data["household"]["emergency_number"]) == ("AU", "112")
    other = households.create(db, now=now, name="Empty", timezone="UTC")
    portability.import_household(db, data, now=now, household_id=other.id)
    assert households.get(db, other.id).number_to_call == "112"


def test_an_export_with_a_bad_country_is_refused(db, household, now):
    data = portability.export_household(db, household.id)
    data["household"]["country"] = "ZZ"
    other = households.create(db, now=now, name="Empty", timezone="UTC")
    with pytest.raises(Refused) as caught:
        portability.import_household(db, data, now=now, household_id=other.id)
    assert str(caught.value).startswith("the file: household.country: no emergency number is known for 'ZZ'")
    db.rollback()
    assert households.get(db, other.id).country is None


def test_the_migration_adds_both_columns(store):
    columns = {c["name"]: c for c in inspect(store.engine).get_columns("households")}
    assert columns["country"]["nullable"] and columns["emergency_number"]["nullable"]
