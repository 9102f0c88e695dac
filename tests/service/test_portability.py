"""Export and import on a real database: lossless round trips, refusals that write nothing, merge."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from letdown.domain.errors import Refused
from letdown.services.accounts import households
from letdown.services.portability import archive as portability
from letdown.services.portability.rows import LEFT_OUT, TABLES
from letdown.services.schedule import settings as household_settings
from letdown.store.models import Container, ContainerEvent, ExpressionSession, Household, load_all
from tests.portability_fixtures import empty_database, populate


@pytest.fixture
def full(db, household, now):
    populate(db, household.id, now)
    return household


def counts(db) -> tuple[int, ...]:
    db.rollback()
    return tuple(
        db.scalar(select(func.count()).select_from(model))
        for model in (Household, ExpressionSession, Container, ContainerEvent)
    )


def test_every_table_is_exported_or_left_out_on_purpose():
    exported = {spec.table for spec in TABLES}
    undecided = {t.name for t in load_all().sorted_tables} - exported - set(LEFT_OUT)
    assert not undecided, f"decide whether an export carries {sorted(undecided)} (portability_rows.py)"


def test_export_import_export_into_an_empty_database_gives_the_same_file(db, full, now):
    first = portability.dumps(portability.export_household(db, full.id))
    data = json.loads(first)
    kinds = {e["kind"] for c in data["containers"] for e in c["events"]}
    assert "warmed" in kinds  # the warm action travels too
    assert (data["format"], data["version"]) == ("letdown-export", 2)
    assert data["household_settings"]["night_gap_minutes"] == 280 and "reminder_settings" not in data
    assert len(data["sessions"]) > 200 and len(data["babies"]) == 2
    assert sum(len(c["events"]) for c in data["containers"]) >= 10
    assert data["storage_limits"][0]["case_name"] == "fresh-fridge"
    empty_database(db)

    result = portability.import_household(db, portability.loads(first, "backup.json"), now=now)

    assert result.added["sessions"] == len(data["sessions"]) and not result.merged
    again = portability.dumps(portability.export_household(db, result.household_id))
    assert again == first


def test_the_export_holds_no_secrets(db, full, now):
    from letdown.services.accounts import tokens

    token, _ = tokens.create(db, full.id, name="phone", now=now)
    text = portability.dumps(portability.export_household(db, full.id))
    secret = token.removeprefix(f"{tokens.PREFIX}{full.id}_")  # the secret may itself hold "_"
    assert len(secret) > 20
    assert secret not in text and "token" not in text and "password" not in text


def test_the_same_data_gives_the_same_bytes(db, full):
    one = portability.dumps(portability.export_household(db, full.id))
    two = portability.dumps(portability.export_household(db, full.id))
    assert one == two


def test_import_into_a_home_with_data_is_refused_and_changes_nothing(db, full, now):
    text = portability.dumps(portability.export_household(db, full.id))
    before = counts(db)
    with pytest.raises(Refused) as caught:
        portability.import_household(db, portability.loads(text, "b.json"), now=now, household_id=full.id)
    assert caught.value.message == (
        f"Household {full.id} already holds data; import into an empty home, "
        "or add --merge to add what is new and skip what is already there"
    )
    assert counts(db) == before


def test_merge_skips_what_is_there_by_id_and_adds_the_rest(db, full, now):
    data = portability.export_household(db, full.id)
    extra = dict(data["sessions"][0], id="newsession1", note="from the other phone")
    data["sessions"].append(extra)
    before = counts(db)

    result = portability.import_household(db, data, now=now, household_id=full.id, merge=True)

    assert result.merged
    assert result.added["sessions"] == 1
    assert result.skipped["sessions"] == len(data["sessions"]) - 1
    assert result.added["containers"] == 0 and result.skipped["containers"] == len(data["containers"])
    assert counts(db)[1] == before[1] + 1


def test_import_into_an_empty_home_takes_the_files_settings(db, household, now):
    other = households.create(db, now=now, name="Old", timezone="Europe/London", units="oz")
    populate(db, other.id, now)
    data = portability.export_household(db, other.id)
    data["household"]["name"] = "Restored"

    result = portability.import_household(db, data, now=now, household_id=household.id)

    assert result.household_id == household.id
    view = households.get(db, household.id)
    assert (view.name, view.units.value, view.usual_feed_ml) == ("Restored", "oz", 90)
    assert household_settings.feeding_mode(db, household.id).value == "partly"
    assert data["household_settings"]["feeding_mode"] == "partly"


def test_an_export_from_before_the_feeding_question_imports_as_not_said(db, full, now):
    data = portability.export_household(db, full.id)
    del data["household_settings"]["feeding_mode"]
    empty_database(db)
    result = portability.import_household(db, data, now=now, name="old.json")
    assert household_settings.feeding_mode(db, result.household_id) is None


def test_an_unknown_feeding_mode_in_a_file_is_refused_and_nothing_is_written(db, full, now):
    data = portability.export_household(db, full.id)
    data["household_settings"]["feeding_mode"] = "sometimes"
    empty_database(db)
    with pytest.raises(Refused) as caught:
        portability.import_household(db, data, now=now, name="b.json")
    assert caught.value.message == (
        "b.json: feeding_mode: unknown feeding mode 'sometimes'; choose one of exclusive, partly, occasional"
    )
    assert counts(db) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "not json {",
            "b.json is not a letdown export: it is not valid JSON (line 1, column 1: Expecting value)",
        ),
        ('{"rows": []}', 'b.json is not a letdown export: it has no "format": "letdown-export"'),
        (
            '{"format": "babybuddy", "version": 1}',
            "b.json is not a letdown export: its format is 'babybuddy', not 'letdown-export'",
        ),
        (
            '{"format": "letdown-export", "version": 9}',
            "b.json was written by a newer letdown (export version 9); this one reads version 2: upgrade letdown first",
        ),
    ],
)
def test_a_foreign_file_is_refused_with_the_reason(text, message):
    with pytest.raises(Refused) as caught:
        portability.loads(text, "b.json")
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["sessions"][3].update(comfort=12),
            "sessions[3] (id {sid}): comfort: must be a whole number from 0 to 10, got 12",
        ),
        (
            lambda d: d["sessions"][3].update(method="spoon"),
            "sessions[3] (id {sid}): method: unknown method 'spoon'; choose one of hand, pump, hands-on-pump, passive",
        ),
        (
            lambda d: d["sessions"][3].update(left_ml="lots"),
            "sessions[3].left_ml: must be a number, got 'lots'",
        ),
        (lambda d: d["sessions"][3].pop("started_at"), "sessions[3].started_at: is required"),
        (lambda d: d["sessions"][3].update(colour="red"), "sessions[3]: unknown field 'colour'"),
        (
            lambda d: d["sessions"][3].update(baby_id="nobody"),
            "sessions[3] (id {sid}): baby_id: no baby with id 'nobody'",
        ),
        (
            lambda d: d["household"].update(timezone="Mars/Base"),
            "household.timezone: unknown time zone 'Mars/Base'; use an IANA name like Europe/Paris",
        ),
        (
            lambda d: d["containers"][0]["events"][0].update(kind="moved"),
            "containers[0] (id {cid}).events[0].kind: must be 'stored', got 'moved'",
        ),
        (
            lambda d: d["containers"][0].update(ml=0),
            "containers[0] (id {cid}).ml: Volume must be more than 0 ml, got 0 ml",
        ),
        (
            lambda d: d["containers"][0].update(ml=float("inf")),
            "containers[0].ml: must be a finite number, got inf",
        ),
        (
            lambda d: d["containers"][0].update(ml=1e300),
            "containers[0] (id {cid}).ml: 1e+300 ml is over the 1000 ml limit for one container; "
            "check the value and its unit",
        ),
        (
            lambda d: d["containers"][0].update(ml=0.04),
            "containers[0] (id {cid}).ml: Volume of 0.04 ml rounds to 0 ml; the smallest is 0.1 ml",
        ),
        (
            lambda d: d["sessions"].append(dict(d["sessions"][0])),
            "sessions[{last}].id: '{sid0}' appears twice",
        ),
        (
            lambda d: d["storage_limits"][0].update(unit="months", use_by=1_000_000_000),
            "custom_limits: 'fresh-fridge': use_by of 1000000000 months is longer than "
            "the CDC limit (4 days, cdc-storage); a unit's limit may only be shorter",
        ),
        (
            lambda d: d["storage_limits"][0].update(unit="hours", use_by=99999999999999999999),
            "storage_limits[0].use_by: 99999999999999999999 is too large a number",
        ),
        (
            lambda d: d["containers"][0].update(session_id="no-such-session"),
            "containers[0] (id {cid}).session_id: no session with id 'no-such-session' in the file "
            "or this home",
        ),
    ],
)
def test_a_broken_row_is_refused_naming_it_and_nothing_is_written(db, full, now, change, message):
    data = portability.export_household(db, full.id)
    sid, sid0, cid = data["sessions"][3]["id"], data["sessions"][0]["id"], data["containers"][0]["id"]
    change(data)
    empty_database(db)
    with pytest.raises(Refused) as caught:
        portability.import_household(db, data, now=now, name="b.json")
    expected = "b.json: " + message.format(sid=sid, sid0=sid0, cid=cid, last=len(data["sessions"]) - 1)
    assert caught.value.message == expected
    assert counts(db) == (0, 0, 0, 0)


def _then(container: dict, kind: str, at: str, **fields: object) -> None:
    """Append one event to an exported container's history."""
    last = container["events"][-1]
    container["events"].append(
        last | {"seq": last["seq"] + 1, "kind": kind, "at": at, "location": None, "ml": None} | fields
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda c: _then(c, "stored", "2026-11-25T10:00:00+00:00", location="fridge", ml=90.0),
            "containers[0] (id {cid}).events[2].kind: 'stored' can only be the first event "
            "(milk is stored once)",
        ),
        (
            lambda c: (
                _then(c, "thawed", "2026-11-24T08:00:00+00:00", location="fridge"),
                _then(c, "moved", "2026-11-24T10:00:00+00:00", location="freezer"),
            ),
            "containers[0] (id {cid}).events[3]: Container {cid} holds thawed milk and can't go in the "
            "freezer: Thawed milk is never refrozen. [cdc-never-refreeze]",
        ),
        (
            lambda c: (
                _then(c, "discarded", "2026-11-24T08:00:00+00:00"),
                _then(c, "used", "2026-11-24T09:00:00+00:00"),
            ),
            "containers[0] (id {cid}).events[3]: Container {cid} was already discarded",
        ),
        (
            lambda c: _then(c, "warmed", "2026-11-24T08:00:00+00:00"),
            "containers[0] (id {cid}).events[2]: Container {cid} is frozen; thaw it first",
        ),
        (
            lambda c: (
                _then(c, "thawed", "2026-11-24T08:00:00+00:00", location="fridge"),
                _then(c, "feed-finished", "2026-11-24T09:00:00+00:00", ml=0.04),
            ),
            "containers[0] (id {cid}).events[3]: Leftover of 0.04 ml rounds to 0 ml; give 0 if the "
            "baby finished it, or at least 0.1 ml",
        ),
        (
            lambda c: (
                _then(c, "thawed", "2026-11-24T08:00:00+00:00", location="fridge"),
                _then(c, "split-into", "2026-11-24T09:00:00+00:00", ml=1e300, other_id="x"),
            ),
            "containers[0] (id {cid}).events[3].ml: 1e+300 ml is over the 1000 ml limit for one "
            "container; check the value and its unit",
        ),
    ],
)
def test_a_history_the_stash_would_refuse_is_refused_and_nothing_is_written(db, full, now, change, message):
    data = portability.export_household(db, full.id)
    container = data["containers"][0]
    assert [e["kind"] for e in container["events"]] == ["stored", "moved"]  # frozen sample milk
    change(container)
    empty_database(db)
    with pytest.raises(Refused) as caught:
        portability.import_household(db, data, now=now, name="b.json")
    assert caught.value.message == "b.json: " + message.format(cid=container["id"])
    assert counts(db) == (0, 0, 0, 0)


def test_export_takes_the_same_number_of_queries_whatever_the_data(db, household, now, count_queries):
    db.expire_all()
    start = count_queries.count
    portability.export_household(db, household.id)
    empty = count_queries.count - start
    populate(db, household.id, now)
    db.expire_all()
    start = count_queries.count
    portability.export_household(db, household.id)
    assert count_queries.count - start == empty


def test_a_row_that_breaks_a_database_rule_rolls_everything_back(db, full, now):
    data = portability.export_household(db, full.id)
    data["babybuddy_links"] = [
        {
            "id": "link000001",
            "server": "http://bb.local",
            "remote_kind": "sleep",
            "remote_id": 1,
            "session_id": data["sessions"][0]["id"],
            "direction": "imported",
            "linked_at": "2026-11-20T10:00:00+00:00",
        }
    ]
    empty_database(db)
    with pytest.raises(Refused) as caught:
        portability.import_household(db, data, now=now, name="b.json")
    assert caught.value.message.startswith("b.json breaks a database rule, nothing was imported: ")
    assert counts(db) == (0, 0, 0, 0)


def _as_version_1(data: dict) -> dict:
    """The same export as letdown wrote it before the settings were one table."""
    old = dict(data, version=1)
    settings = dict(old["household_settings"])
    gap = settings.pop("night_gap_minutes")
    old["household_settings"] = settings
    old["reminder_settings"] = {"night_gap_minutes": gap, "updated_at": settings["updated_at"]}
    return old


def test_a_version_1_file_imports_with_its_night_gap_and_exports_as_version_2(db, full, now):
    from letdown.services.schedule import reminders

    current = portability.export_household(db, full.id)
    empty_database(db)
    old = json.dumps(_as_version_1(current))
    result = portability.import_household(db, portability.loads(old, "old.json"), now=now)
    assert reminders.get_plan(db, result.household_id).night_gap_minutes == 280
    assert portability.dumps(portability.export_household(db, result.household_id)) == portability.dumps(
        current
    )


def test_a_version_1_file_with_only_a_reminder_section_gets_default_settings(db, full, now):
    from letdown.services.schedule import reminders

    old = _as_version_1(portability.export_household(db, full.id))
    old["household_settings"] = None
    empty_database(db)
    result = portability.import_household(db, old, now=now, name="old.json")
    assert reminders.get_plan(db, result.household_id).night_gap_minutes == 280
    assert household_settings.get_settings(db, result.household_id) == household_settings.SettingsView(
        False, None
    )


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ([280], "old.json: reminder_settings: must be an object, got list"),
        ({"night_gap_minutes": 280, "colour": "red"}, "old.json: reminder_settings: unknown field 'colour'"),
        (
            {"night_gap_minutes": 20, "updated_at": "2026-11-01T00:00:00+00:00"},
            "night_gap: must be from 1 to 12 hours, got 20 minutes",
        ),
    ],
)
def test_a_bad_version_1_reminder_section_is_refused_and_writes_nothing(db, full, now, section, message):
    old = _as_version_1(portability.export_household(db, full.id))
    old["reminder_settings"] = section
    empty_database(db)
    with pytest.raises(Exception) as refused:
        portability.import_household(db, old, now=now, name="old.json")
    assert message in str(refused.value)
    assert counts(db) == (0, 0, 0, 0)
