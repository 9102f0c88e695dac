"""The stash use cases on a real database: every action, every refusal (which writes nothing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from letdown.domain.errors import InvalidInput, NotFound, Refused
from letdown.services.accounts import households
from letdown.services.stash import containers as stash
from letdown.services.stash import limits as storage_limits
from letdown.services.stash import plan as stash_plan
from letdown.store.models import Container, ContainerEvent
from tests.factories import make_session


def iso(now, **delta) -> str:
    return (now - timedelta(**delta)).isoformat()


def add(db, household, now, *, location="fridge", ml=120, **ago):
    return stash.add(
        db, household.id, ml=ml, expressed_at=iso(now, **(ago or {"hours": 1})), location=location, now=now
    )


def counts(db) -> tuple[int, int]:
    db.rollback()
    containers = db.scalar(select(func.count()).select_from(Container))
    events = db.scalar(select(func.count()).select_from(ContainerEvent))
    return containers, events


def refused(db, action, message: str) -> None:
    """The action is refused with exactly ``message`` and changes nothing."""
    before = counts(db)
    with pytest.raises(Refused) as caught:
        action()
    assert caught.value.message == message
    assert counts(db) == before


def test_stored_milk_reads_back_with_its_rule(db, household, now):
    view = add(db, household, now, hours=2)
    again = stash.get(db, household.id, view.id, now=now)
    s = again.standing
    assert (s.state.value, s.location.value, s.status.value, s.ml) == ("fresh", "fridge", "ok", 120)
    assert s.use_by == now - timedelta(hours=2) + timedelta(days=4)
    assert s.rule.cite()["id"] == "cdc-fresh-fridge"
    assert [e.kind for e in again.history] == ["stored"]


def test_milk_from_a_session_shows_the_session_in_its_history(db, household, now):
    session = make_session(db, household.id, now)
    view = stash.add(
        db,
        household.id,
        ml=55,
        expressed_at=iso(now, minutes=40),
        location="fridge",
        now=now,
        session_id=session.id,
        label="night",
    )
    data = stash.get(db, household.id, view.id, now=now).as_json(household.tz, history=True)
    assert data["session"]["id"] == session.id and data["session"]["total_ml"] == 55.0
    assert data["label"] == "night"
    with pytest.raises(InvalidInput) as caught:
        stash.add(db, household.id, ml=5, expressed_at="-1h", location="fridge", now=now, session_id="nope")
    assert caught.value.message == "session_id: no session with id 'nope'"


@pytest.mark.parametrize("ml", [0, -5])
def test_a_volume_of_zero_or_less_is_refused(db, household, now, ml):
    refused(
        db,
        lambda: stash.add(db, household.id, ml=ml, expressed_at="-1h", location="fridge", now=now),
        f"Volume must be more than 0 ml, got {ml} ml",
    )


def test_a_time_in_the_future_is_refused(db, household, now):
    refused(
        db,
        lambda: stash.add(db, household.id, ml=50, expressed_at="+1h", location="fridge", now=now),
        "That time (13:00 London time) is later than now (12:00). "
        "Times here are in the household's zone, Europe/London.",
    )


def test_an_unknown_location_names_the_choices(db, household, now):
    with pytest.raises(InvalidInput) as caught:
        stash.add(db, household.id, ml=50, expressed_at="-1h", location="attic", now=now)
    assert caught.value.message == (
        "location: unknown location 'attic'; choose one of room, fridge, freezer, cooler"
    )


def test_move_to_the_freezer_freezes_and_the_clock_stays_from_expression(db, household, now):
    view = add(db, household, now, days=3)
    moved = stash.move(db, household.id, view.id, to="freezer", now=now)
    assert (moved.standing.state.value, moved.standing.rule.id) == ("frozen", "cdc-fresh-freezer")
    assert moved.standing.best_by == datetime(2027, 5, 22, 11, tzinfo=UTC)  # 12:00 BST, 6 months on


def test_thawed_milk_is_never_refrozen(db, household, now):
    view = add(db, household, now, location="freezer", days=10)
    stash.thaw(db, household.id, view.id, now=now, at="-2h")
    refused(
        db,
        lambda: stash.move(db, household.id, view.id, to="freezer", now=now),
        f"Container {view.id} holds thawed milk and can't go in the freezer: "
        "Thawed milk is never refrozen. [cdc-never-refreeze]",
    )


def test_thaw_starts_the_thawed_clock(db, household, now):
    view = add(db, household, now, location="freezer", days=10)
    thawed = stash.thaw(db, household.id, view.id, now=now, at="-1h", where="room")
    s = thawed.standing
    assert (s.state.value, s.location.value, s.rule.id) == ("thawed", "room", "cdc-thawed-room")
    assert (s.use_soon_at, s.use_by, s.status.value) == (now, now + timedelta(hours=1), "use-soon")
    fresh = add(db, household, now)
    refused(
        db,
        lambda: stash.thaw(db, household.id, fresh.id, now=now),
        f"Container {fresh.id} is not frozen (it holds fresh milk)",
    )


def test_thaw_everything_in_the_freezer_at_once_skips_expired_milk(db, household, now):
    a = add(db, household, now, location="freezer", days=20)
    b = add(db, household, now, location="freezer", days=30)
    old = add(db, household, now, location="freezer", days=400)
    fridge = add(db, household, now)
    result = stash.thaw_location(db, household.id, location="freezer", now=now, at="-30m")
    assert sorted(v.id for v in result.thawed) == sorted([a.id, b.id])
    assert result.skipped == [(old.id, "expired at 2026-10-21T13:00:00+01:00; throw it away")]
    assert stash.get(db, household.id, fridge.id, now=now).standing.state.value == "fresh"
    refused(
        db,
        lambda: stash.thaw_location(db, household.id, location="cooler", now=now),
        "No frozen milk in the cooler",
    )


def test_thawing_a_place_with_a_time_before_any_last_event_writes_nothing(db, household, now):
    add(db, household, now, location="freezer", days=2)
    late = add(db, household, now, location="fridge", days=1)
    stash.move(db, household.id, late.id, to="freezer", now=now, at="-10m")
    refused(
        db,
        lambda: stash.thaw_location(db, household.id, location="freezer", now=now, at="-20m"),
        f"Time 2026-11-25T11:40+00:00 is before the last event of container {late.id} "
        "(moved at 2026-11-25T11:50+00:00)",
    )


def test_a_feed_leaves_leftover_milk_on_a_two_hour_clock(db, household, now):
    view = add(db, household, now, hours=5)
    fed = stash.feed(db, household.id, view.id, finished="-30m", leftover_ml=40, now=now)
    s = fed.standing
    assert (s.state.value, s.ml, s.rule.id) == ("leftover", 40, "cdc-leftover")
    assert s.use_by == now + timedelta(hours=1, minutes=30)
    assert [e.kind for e in fed.history] == ["stored", "feed-finished"]
    used = stash.feed(db, household.id, view.id, finished="now", now=now)
    assert used.standing.status.value == "used"


def test_a_feed_started_from_fridge_milk_runs_its_two_hours_from_the_start(db, household, now):
    """Milk out of the fridge for a feed is used within 2 hours of coming out [aces-breast-milk]."""
    view = add(db, household, now, hours=5)
    fed = stash.feed(db, household.id, view.id, finished="-30m", started="-50m", leftover_ml=40, now=now)
    s = fed.standing
    assert (s.state.value, s.rule.id, s.rule.source) == (
        "leftover",
        "cdc-fresh-room-out-of-cold",
        "aces-breast-milk",
    )
    assert s.use_by == now + timedelta(hours=1, minutes=10)
    assert [e.kind for e in fed.history] == ["stored", "feed-started", "feed-finished"]


def test_a_leftover_larger_than_the_container_is_refused(db, household, now):
    view = add(db, household, now)
    refused(
        db,
        lambda: stash.feed(db, household.id, view.id, finished="now", leftover_ml=150, now=now),
        f"Container {view.id} held 120 ml; the leftover can't be more, got 150 ml",
    )


def test_use_and_discard_close_a_container(db, household, now):
    a, b = add(db, household, now), add(db, household, now)
    assert stash.use(db, household.id, a.id, now=now).standing.status.value == "used"
    gone = stash.discard(db, household.id, b.id, now=now, reason="smelled off")
    assert (gone.standing.status.value, gone.history[-1].note) == ("discarded", "smelled off")
    refused(
        db,
        lambda: stash.move(db, household.id, a.id, to="room", now=now),
        f"Container {a.id} was already used",
    )
    refused(
        db, lambda: stash.discard(db, household.id, b.id, now=now), f"Container {b.id} was already discarded"
    )


def test_expired_milk_can_only_be_discarded(db, household, now):
    view = add(db, household, now, days=5)
    refused(
        db,
        lambda: stash.move(db, household.id, view.id, to="freezer", now=now),
        f"Container {view.id} expired at 2026-11-24T12:00+00:00 (cdc-fresh-fridge); it can only be discarded",
    )
    assert stash.discard(db, household.id, view.id, now=now).standing.status.value == "discarded"


def test_a_time_before_the_last_event_is_refused(db, household, now):
    view = add(db, household, now, hours=3)
    stash.move(db, household.id, view.id, to="freezer", now=now, at="-1h")
    refused(
        db,
        lambda: stash.move(db, household.id, view.id, to="fridge", now=now, at="-2h"),
        f"Time 2026-11-25T10:00+00:00 is before the last event of container {view.id} "
        "(moved at 2026-11-25T11:00+00:00)",
    )


def test_split_pours_part_into_a_new_container_that_keeps_the_history(db, household, now):
    view = add(db, household, now, hours=3)
    parent, child = stash.split(db, household.id, view.id, ml=50, now=now)
    assert (parent.standing.ml, child.standing.ml) == (70, 50)
    assert child.split_from == view.id and child.standing.use_by == parent.standing.use_by
    assert [(e.kind, e.copied_from) for e in child.history] == [("stored", view.id), ("split-from", None)]
    assert parent.history[-1].other_id == child.id
    refused(
        db,
        lambda: stash.split(db, household.id, view.id, ml=70, now=now),
        f"Container {view.id} holds 70 ml; a split must leave some behind, got 70 ml",
    )
    refused(
        db,
        lambda: stash.split(db, household.id, view.id, ml=80, now=now),
        f"Container {view.id} holds only 70 ml; can't pour 80 ml from it",
    )


def test_list_shows_milk_still_in_the_stash_soonest_deadline_first(db, household, now):
    frozen = add(db, household, now, location="freezer", days=3)
    old = add(db, household, now, days=3)
    new = add(db, household, now, hours=1)
    used = add(db, household, now)
    stash.use(db, household.id, used.id, now=now)
    assert [v.id for v in stash.list_containers(db, household.id, now=now)] == [old.id, new.id, frozen.id]
    everything = stash.list_containers(db, household.id, now=now, include_all=True)
    assert [v.id for v in everything][-1] == used.id and len(everything) == 4


def test_list_at_a_past_time_sees_the_stash_as_it_was(db, household, now):
    early = add(db, household, now, days=2)
    stash.move(db, household.id, early.id, to="freezer", now=now, at="-1d")
    add(db, household, now, hours=1)
    then = stash.list_containers(db, household.id, now=now, at=iso(now, days=1, hours=1))
    assert [(v.id, v.standing.location.value) for v in then] == [(early.id, "fridge")]


def test_list_loads_in_a_fixed_number_of_queries(store, db, household, now, count_queries):
    def listed() -> int:
        before = count_queries.count
        stash.list_containers(db, household.id, now=now, include_all=True)
        return count_queries.count - before

    for _ in range(2):
        stash.move(db, household.id, add(db, household, now, days=1).id, to="freezer", now=now)
    small = listed()
    for _ in range(6):
        stash.move(db, household.id, add(db, household, now, days=1).id, to="freezer", now=now)
    assert listed() == small <= 4


def test_next_puts_thawed_and_fresh_milk_before_frozen(db, household, now):
    frozen = add(db, household, now, location="freezer", days=100)
    fridge = add(db, household, now, days=2)
    thawed = add(db, household, now, location="freezer", days=50)
    stash.thaw(db, household.id, thawed.id, now=now, at="-1h")
    expired = add(db, household, now, days=6)
    order = [v.id for v in stash_plan.next_up(db, household.id, now=now)]
    assert order == [thawed.id, fridge.id, frozen.id] and expired.id not in order


def test_summary_counts_feeds_only_when_the_usual_feed_is_set(db, household, now):
    add(db, household, now, ml=120)
    add(db, household, now, ml=60, location="freezer")
    add(db, household, now, ml=90, days=6)  # expired
    result = stash_plan.summary(db, household.id, now=now)
    fridge = result.places[1].as_json()
    assert fridge == {"location": "fridge", "containers": 1, "ml": 120, "feeds": None, "expired": 1}
    assert result.note == "The baby's usual feed volume is not set, so feeds are not counted."
    households.update(db, household.id, usual_feed_ml=80)
    result = stash_plan.summary(db, household.id, now=now)
    assert [p.feeds for p in result.places] == [0.0, 1.5, 0.8, 0.0] and result.note is None


def test_the_custom_profile_uses_the_units_limits_and_falls_back_to_cdc(db, household, now):
    households.update(db, household.id, storage_profile="custom")
    storage_limits.set_limit(db, household.id, "fresh-fridge", {"unit": "days", "use_by": 2}, now=now)
    view = add(db, household, now, hours=1)
    rule = view.standing.rule.cite()
    assert (rule["id"], rule["source"]) == ("custom-fresh-fridge", "custom")
    assert rule["text"].startswith("Limits from your baby's hospital or unit")
    cooler = add(db, household, now, location="cooler")
    assert cooler.standing.rule.id == "cdc-fresh-cooler"
    assert storage_limits.clear_limit(db, household.id, "fresh-fridge") == {}
    assert stash.get(db, household.id, view.id, now=now).standing.rule.id == "cdc-fresh-fridge"
    with pytest.raises(InvalidInput):
        storage_limits.set_limit(db, household.id, "fresh-attic", {"unit": "days", "use_by": 2}, now=now)
    with pytest.raises(NotFound):
        storage_limits.clear_limit(db, household.id, "fresh-fridge")


def test_another_households_container_is_not_found(db, household, now):
    other = households.create(db, now=now, name="Other", timezone="UTC")
    view = stash.add(db, other.id, ml=50, expressed_at="-1h", location="fridge", now=now)
    with pytest.raises(NotFound) as caught:
        stash.get(db, household.id, view.id, now=now)
    assert caught.value.message == f"No container with id '{view.id}'"
    with pytest.raises(NotFound):
        stash.use(db, household.id, view.id, now=now)
    assert stash.list_containers(db, household.id, now=now) == []


def test_two_writers_to_one_container_collide_instead_of_both_landing(store, db, household, now, monkeypatch):
    from letdown.domain import storage
    from letdown.store.models import ContainerEvent

    view = add(db, household, now)
    real_check = storage.check

    def check_while_someone_else_writes(*args, **kwargs):
        with store.session() as other:
            other.add(
                ContainerEvent(
                    household_id=household.id,
                    container_id=view.id,
                    seq=2,
                    kind="moved",
                    at=now,
                    location="room",
                    recorded_at=now,
                )
            )
            other.commit()
        return real_check(*args, **kwargs)

    monkeypatch.setattr(storage, "check", check_while_someone_else_writes)
    with pytest.raises(Refused) as caught:
        stash.move(db, household.id, view.id, to="freezer", now=now)
    assert caught.value.message == f"Container {view.id} was changed by someone else just now; try again"
    monkeypatch.setattr(storage, "check", real_check)
    assert [e.kind for e in stash.get(db, household.id, view.id, now=now).history] == ["stored", "moved"]


def test_container_events_are_append_only(db, household, now):
    view = add(db, household, now)
    event = db.scalars(select(ContainerEvent).where(ContainerEvent.container_id == view.id)).one()
    event.location = "room"
    with pytest.raises(RuntimeError, match="append-only"):
        db.flush()


# --- issue 10: warm, and clocks no move lifts ------------------------------------------------


def test_warm_appends_one_event_and_starts_the_two_hour_clock(db, household, now):
    view = add(db, household, now, days=2)
    warmed = stash.warm(db, household.id, view.id, now=now, at=iso(now, minutes=15))
    s = warmed.standing
    assert (s.location.value, s.rule.id, s.rule.source) == ("room", "cdc-fresh-warmed", "aces-breast-milk")
    assert s.use_by == now + timedelta(hours=1, minutes=45)
    assert [e.kind for e in warmed.history] == ["stored", "warmed"]
    back = stash.move(db, household.id, view.id, to="fridge", now=now)
    assert (back.standing.use_by, back.standing.rule.id) == (s.use_by, "cdc-fresh-warmed")


def test_warming_frozen_milk_is_refused_and_writes_nothing(db, household, now):
    view = add(db, household, now, location="freezer")
    refused(
        db,
        lambda: stash.warm(db, household.id, view.id, now=now),
        f"Container {view.id} is frozen; thaw it first",
    )


def test_fridge_milk_taken_out_gets_two_hours_not_expired_at_once(db, household, now):
    view = add(db, household, now, days=2)
    out = stash.move(db, household.id, view.id, to="room", now=now)
    s = out.standing
    assert (s.status.value, s.rule.id, s.use_by) == (
        "ok",
        "cdc-fresh-room-out-of-cold",
        now + timedelta(hours=2),
    )


def test_the_abm_profile_falls_back_to_the_cdc_warmed_rule(db, household, now):
    households.update(db, household.id, storage_profile="abm")
    view = add(db, household, now, days=3)
    s = stash.warm(db, household.id, view.id, now=now).standing
    assert (s.rule.id, s.rule.source, s.use_by) == (
        "abm-fresh-warmed",
        "aces-breast-milk",
        now + timedelta(hours=2),
    )


@pytest.mark.parametrize(
    ("ml", "error", "message"),
    [
        (float("inf"), InvalidInput, "ml: volume must be a finite number of ml, got inf"),
        (
            1e300,
            InvalidInput,
            "ml: 1e+300 ml is over the 1000 ml limit for one container; check the value and its unit",
        ),
        (0.04, Refused, "Volume of 0.04 ml rounds to 0 ml; the smallest is 0.1 ml"),
    ],
)
def test_a_bad_volume_stores_nothing(db, household, now, ml, error, message):
    before = counts(db)
    with pytest.raises(error) as caught:
        add(db, household, now, ml=ml)
    assert caught.value.message == message
    assert counts(db) == before


@pytest.mark.parametrize(
    "limit",
    [
        {"unit": "months", "use_by": 1_000_000_000},
        {"unit": "days", "use_by": 100_000_000},
        {"unit": "hours", "use_by": 99999999999999999999},
    ],
)
def test_a_custom_limit_past_the_cdc_row_is_refused_and_stash_reads_still_work(db, household, now, limit):
    households.update(db, household.id, storage_profile="custom")
    view = add(db, household, now, location="freezer")
    with pytest.raises(InvalidInput, match="longer than the CDC limit"):
        storage_limits.set_limit(db, household.id, "fresh-freezer", limit, now=now)
    assert storage_limits.limits(db, household.id) == {}
    assert stash.get(db, household.id, view.id, now=now).standing.rule.id == "cdc-fresh-freezer"
