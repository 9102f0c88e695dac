"""A single-use invite accepted by many accounts at once makes exactly one member (issue #13),
on SQLite and PostgreSQL: the invite is used up by one conditional UPDATE."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select

from letdown.domain.errors import Refused
from letdown.services.accounts import households, members
from letdown.services.accounts import users as accounts
from letdown.store.db import Store
from letdown.store.models import Invite, Membership

ACCOUNTS = 6
ROUNDS = 5


@pytest.fixture(autouse=True)
def fast_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def _viewer(db: Any, user_id: str, now: Any) -> accounts.Viewer:
    token = accounts._new_session(db, user_id, now=now, household_id=None)
    viewer = accounts.current(db, token, now=now)
    assert viewer is not None
    return viewer


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_one_winner_when_many_accept_the_same_invite_at_once(
    store: Store, db: Any, now: Any, round_: int
) -> None:
    home = households.create(db, now=now, name="Home", timezone="UTC")
    token, _ = members.create_invite(db, home.id, role="caregiver", by=None, now=now)
    viewers = []
    for n in range(ACCOUNTS):
        user = accounts.create_user(db, email=f"p{n}@example.org", password="correct horse battery", now=now)
        viewers.append(_viewer(db, user.id, now))

    barrier = threading.Barrier(ACCOUNTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(viewer: accounts.Viewer) -> None:
        with store.session() as session:
            barrier.wait()
            try:
                members.accept_invite(session, viewer, token, now=now)
                outcome = "joined"
            except Refused as exc:
                outcome = str(exc)
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=accept, args=(v,)) for v in viewers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(outcomes) == ["This invite link has already been used; ask for a new one"] * (
        ACCOUNTS - 1
    ) + ["joined"]
    db.expire_all()
    joined = db.scalars(select(Membership).where(Membership.household_id == home.id)).all()
    assert len(joined) == 1
    invite = db.scalars(select(Invite).where(Invite.household_id == home.id)).one()
    assert invite.accepted_by == joined[0].user_id
