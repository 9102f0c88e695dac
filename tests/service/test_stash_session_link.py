"""A container linked to a session holds milk from that session, so it can't predate it."""

from datetime import timedelta

import pytest

from letdown.domain.errors import InvalidInput
from letdown.services.stash import containers as stash
from tests.factories import make_session


def test_milk_cannot_be_expressed_before_its_session_started(db, household, now):
    session = make_session(db, household.id, now, start=(now - timedelta(minutes=30)).isoformat())
    with pytest.raises(InvalidInput) as err:
        stash.add(
            db,
            household.id,
            ml=60,
            expressed_at=(now - timedelta(hours=1)).isoformat(),
            location="fridge",
            session_id=session.id,
            now=now,
        )
    assert err.value.field == "expressed_at"
    assert str(err.value) == (
        f"expressed_at: is before session {session.id} started (2026-11-25T11:30:00+00:00); milk comes from it"
    )
    db.rollback()
    assert stash.list_containers(db, household.id, now=now) == []
    ok = stash.add(
        db, household.id, ml=60, expressed_at="-5m", location="fridge", session_id=session.id, now=now
    )
    assert ok.session_id == session.id
