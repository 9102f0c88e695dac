import pytest
from sqlalchemy import func, select

from letdown.domain.errors import Refused
from letdown.services.accounts import households
from letdown.services.log import sessions
from letdown.services.portability import demo
from letdown.services.stash import containers as stash
from letdown.services.stash import limits as storage_limits
from letdown.store.models import Container, ExpressionSession
from tests.factories import make_session


def test_demo_adds_a_month_marked_as_sample_and_removes_only_it(db, household, now):
    added = demo.seed(db, household.id, now=now)
    own = make_session(db, household.id, now)
    assert added.sessions > 200
    listed = sessions.list_sessions(db, household.id, now=now, since="-31d")
    assert len(listed) == added.sessions + 1
    assert {v.method.value for v in listed} >= {"hand", "pump", "hands-on-pump"}
    assert all(v.demo for v in listed if v.id != own.id)
    assert all(v.let_downs for v in listed if v.demo)
    removed = demo.remove(db, household.id)
    assert removed.sessions == added.sessions
    assert [v.id for v in sessions.list_sessions(db, household.id, now=now)] == [own.id]
    assert not own.demo


def test_seeding_twice_replaces_the_sample_data(db, household, now):
    first = demo.seed(db, household.id, now=now)
    second = demo.seed(db, household.id, now=now)
    assert (
        len(sessions.list_sessions(db, household.id, now=now, since="-31d"))
        == second.sessions
        == first.sessions
    )


def test_demo_stash_shows_every_status_and_is_removed_with_the_rest(db, household, now):
    added = demo.seed(db, household.id, now=now)
    views = stash.list_containers(db, household.id, now=now)
    assert len(views) == added.containers > 10
    assert all(v.demo for v in views)
    assert {v.standing.status.value for v in views} >= {"ok", "expired"}
    assert {v.standing.location.value for v in views} >= {"room", "fridge", "freezer"}
    assert "thawed" in {v.standing.state.value for v in views}
    removed = demo.remove(db, household.id)
    assert removed.containers == added.containers
    assert stash.list_containers(db, household.id, now=now) == []


def test_demo_goes_only_into_a_household_without_data_of_its_own(db, household, now):
    make_session(db, household.id, now)
    with pytest.raises(Refused) as refused:
        demo.seed(db, household.id, now=now)
    assert str(refused.value) == (
        "This household already has its own sessions or stash; sample data goes only into an empty "
        "household, so it never mixes with real records"
    )
    assert not demo.has_demo(db, household.id)


def test_demo_is_refused_next_to_a_real_container_too(db, household, now):
    stash.add(db, household.id, ml=90, expressed_at="-2h", location="fridge", now=now)
    with pytest.raises(Refused):
        demo.seed(db, household.id, now=now)
    assert len(stash.list_containers(db, household.id, now=now)) == 1


def _demo_rows(db, household_id):
    return [
        db.scalar(select(func.count()).select_from(m).where(m.household_id == household_id, m.demo))
        for m in (ExpressionSession, Container)
    ]


def test_demo_with_short_custom_limits_skips_refused_moves_and_removes_everything(db, household, now):
    households.update(db, household.id, storage_profile="custom")
    storage_limits.set_limit(db, household.id, "fresh-fridge", {"unit": "hours", "use_by": 2}, now=now)
    added = demo.seed(db, household.id, now=now)
    views = stash.list_containers(db, household.id, now=now)
    assert len(views) == added.containers > 10
    assert all(v.demo for v in views)
    assert _demo_rows(db, household.id) == [added.sessions, added.containers]
    removed = demo.remove(db, household.id)
    assert (removed.sessions, removed.containers) == (added.sessions, added.containers)
    assert _demo_rows(db, household.id) == [0, 0]
    assert stash.list_containers(db, household.id, now=now, include_all=True) == []


def test_a_failure_part_way_leaves_no_sample_data(db, household, now, monkeypatch):
    real_thaw = stash.thaw

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(stash, "thaw", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        demo.seed(db, household.id, now=now)
    assert _demo_rows(db, household.id) == [0, 0]
    assert not demo.has_own_data(db, household.id)
    monkeypatch.setattr(stash, "thaw", real_thaw)
    assert demo.seed(db, household.id, now=now).containers > 10
