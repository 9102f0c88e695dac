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
