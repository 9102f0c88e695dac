from letdown.services import demo, sessions
from tests.factories import make_session


def test_demo_adds_a_month_marked_as_sample_and_removes_only_it(db, household, now):
    own = make_session(db, household.id, now)
    added = demo.seed(db, household.id, now=now)
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
    from letdown.services import stash

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
