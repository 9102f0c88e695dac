from datetime import date, timedelta

import pytest

from letdown.domain.errors import InvalidInput, NotFound
from letdown.services.accounts import households
from letdown.services.log import sessions
from letdown.store.models import ExpressionSession
from tests.factories import make_session, session_input


def count_rows(db) -> int:
    return db.query(ExpressionSession).count()


def test_a_recorded_session_reads_back_with_derived_totals(db, household, now):
    view = make_session(db, household.id, now, passive_ml=5, let_downs=["-58m"], note=" ok ")
    again = sessions.get(db, household.id, view.id)
    assert again.total_ml == 60.0
    assert again.minutes == 20
    assert again.note == "ok"
    assert len(again.let_downs) == 1


def test_bad_input_writes_nothing(db, household, now):
    with pytest.raises(InvalidInput) as err:
        sessions.create(db, household.id, session_input(now, left_ml=2000), now=now)
    assert err.value.field == "left_ml"
    db.rollback()
    assert count_rows(db) == 0


def test_a_session_knows_the_baby_age_in_days(db, household, now):
    households.add_baby(db, household.id, name="Ada", birth_date=None, due_date=date(2026, 12, 5), now=now)
    view = make_session(db, household.id, now)
    assert view.baby_age_days == -10


def test_edit_changes_only_what_is_given(db, household, now):
    view = make_session(db, household.id, now, comfort=5)
    edited = sessions.update(db, household.id, view.id, session_input_only(right_ml=40), now=now)
    assert (edited.left_ml, edited.right_ml, edited.comfort) == (30.0, 40.0, 5)
    assert edited.started_at == view.started_at and edited.ended_at == view.ended_at


def session_input_only(**values):
    raw = sessions.SessionInput()
    for k, v in values.items():
        setattr(raw, k, v)
    return raw


def test_editing_the_start_keeps_the_length(db, household, now):
    view = make_session(db, household.id, now)
    new_start = (view.started_at - timedelta(hours=2)).isoformat()
    edited = sessions.update(db, household.id, view.id, session_input_only(start=new_start), now=now)
    assert edited.minutes == 20


def test_another_households_session_is_not_found(db, household, now):
    other = households.create(db, now=now, name="Other", timezone="UTC")
    view = make_session(db, other.id, now)
    with pytest.raises(NotFound) as err:
        sessions.get(db, household.id, view.id)
    assert str(err.value) == f"No session with id '{view.id}'"
    with pytest.raises(NotFound):
        sessions.delete(db, household.id, view.id)


def test_list_is_newest_first_and_filters_by_time(db, household, now):
    old = make_session(db, household.id, now, start=(now - timedelta(days=3)).isoformat())
    new = make_session(db, household.id, now)
    assert [v.id for v in sessions.list_sessions(db, household.id, now=now)] == [new.id, old.id]
    assert [v.id for v in sessions.list_sessions(db, household.id, now=now, since="-1d")] == [new.id]
    assert [v.id for v in sessions.list_sessions(db, household.id, now=now, until="-2d")] == [old.id]


def test_list_loads_in_a_fixed_number_of_queries(store, db, household, now, count_queries):
    households.add_baby(db, household.id, name="Ada", birth_date=date(2026, 11, 1), due_date=None, now=now)
    for i in range(3):
        make_session(db, household.id, now, start=(now - timedelta(hours=3 + i)).isoformat())
    db.expire_all()
    before = count_queries.count
    sessions.list_sessions(db, household.id, now=now)
    few = count_queries.count - before
    for i in range(20):
        make_session(db, household.id, now, start=(now - timedelta(days=1, hours=i)).isoformat())
    db.expire_all()
    before = count_queries.count
    views = sessions.list_sessions(db, household.id, now=now)
    assert len(views) == 23
    assert count_queries.count - before == few <= 3


def test_stats_sum_per_day_in_the_household_zone(db, household, now):
    make_session(db, household.id, now, left_ml=40, right_ml=20)
    make_session(db, household.id, now, start=(now - timedelta(hours=3)).isoformat(), left_ml=10, right_ml=0)
    make_session(db, household.id, now, start=(now - timedelta(days=1)).isoformat())
    result, _ = sessions.stats(db, household.id, days=2, now=now)
    yesterday, today = result.days
    assert (today.sessions, today.left_ml, today.right_ml, today.total_ml) == (2, 50.0, 20.0, 70.0)
    assert (yesterday.sessions, yesterday.total_ml) == (1, 55.0)
    assert today.avg7_ml == round(125 / 7, 1)
