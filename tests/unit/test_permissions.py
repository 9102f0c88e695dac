from datetime import UTC, datetime, timedelta

import pytest

from letdown.domain import permissions, schedule
from letdown.domain.choices import Role
from letdown.domain.errors import InvalidInput
from letdown.domain.permissions import Action, Forbidden

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_an_owner_may_do_everything():
    assert all(permissions.allowed(Role.OWNER, action) for action in Action)


def test_a_caregiver_has_the_stash_and_the_log_only_when_shared():
    assert permissions.allowed(Role.CAREGIVER, Action.EDIT_STASH)
    assert not permissions.allowed(Role.CAREGIVER, Action.VIEW_LOG)
    assert permissions.allowed(Role.CAREGIVER, Action.VIEW_LOG, log_shared=True)
    assert not permissions.allowed(Role.CAREGIVER, Action.EDIT_LOG, log_shared=True)
    assert not permissions.allowed(Role.CAREGIVER, Action.MANAGE_HOUSEHOLD)


def test_a_viewer_changes_nothing():
    changes = {Action.EDIT_LOG, Action.EDIT_STASH, Action.MANAGE_HOUSEHOLD, Action.USE_COACH}
    assert not any(permissions.allowed(Role.VIEWER, a, log_shared=True) for a in changes)
    assert permissions.allowed(Role.VIEWER, Action.VIEW_STASH)


def test_a_refusal_says_why():
    with pytest.raises(Forbidden, match="^The expression log is not shared with this household's viewers$"):
        permissions.check(Role.VIEWER, Action.VIEW_LOG)


def test_invites_are_for_caregivers_and_viewers():
    assert [r for r in Role if permissions.can_invite_as(r)] == [Role.CAREGIVER, Role.VIEWER]


def test_the_interval_is_checked():
    assert schedule.validate_interval(30) == 30
    with pytest.raises(InvalidInput, match="must be from 30 minutes to 24 hours, got 10 minutes"):
        schedule.validate_interval(10)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(minutes=45), "45 min"),
        (timedelta(hours=2, minutes=5), "2 h 05 min"),
        (timedelta(days=3, hours=4), "3 d 4 h"),
    ],
)
def test_short_durations(delta, text):
    assert schedule.short_duration(delta) == text
