"""Who may see and do what in a household, by role. Pure rules: no I/O.

- ``owner``: everything, including settings, members, invites and share links.
- ``caregiver`` (a partner, a grandparent, a nanny): the stash and feeds, read and write.
  The expression log is body data of the parent who expresses: a caregiver sees it only
  when an owner shares it (the household's ``share_log`` setting), and never edits it.
- ``viewer``: read-only; sees what a caregiver sees, changes nothing.
- a clinician's share link is not a member: it reads the log summary and nothing else
  (``services/accounts/users.py`` resolves it; no role here).
"""

from __future__ import annotations

from enum import StrEnum

from letdown.domain.choices import Role
from letdown.domain.errors import LetdownError


class Forbidden(LetdownError):
    """The signed-in member's role does not allow this; nothing was shown or changed."""


class Action(StrEnum):
    VIEW_HOME = "view-home"
    VIEW_LOG = "view-log"
    EDIT_LOG = "edit-log"
    VIEW_STASH = "view-stash"
    EDIT_STASH = "edit-stash"
    USE_COACH = "use-coach"
    VIEW_SETTINGS = "view-settings"
    MANAGE_HOUSEHOLD = "manage-household"


_ALWAYS: dict[Role, frozenset[Action]] = {
    Role.OWNER: frozenset(Action),
    Role.CAREGIVER: frozenset({Action.VIEW_HOME, Action.VIEW_STASH, Action.EDIT_STASH, Action.VIEW_SETTINGS}),
    Role.VIEWER: frozenset({Action.VIEW_HOME, Action.VIEW_STASH, Action.VIEW_SETTINGS}),
}

_WHY: dict[Action, str] = {
    Action.VIEW_LOG: "The expression log is not shared with this household's {role}s",
    Action.EDIT_LOG: "Only the parent who expresses (an owner) can change the expression log",
    Action.EDIT_STASH: "A {role} can look at the stash but not change it",
    Action.USE_COACH: "The coach is for the parent who expresses (an owner)",
    Action.MANAGE_HOUSEHOLD: "Only an owner can change the household's settings, members and links",
}


def allowed(role: Role | str, action: Action, *, log_shared: bool = False) -> bool:
    """Whether a member with ``role`` may do ``action``; ``log_shared`` is the household setting."""
    member = Role(role)
    if action in _ALWAYS[member]:
        return True
    return action is Action.VIEW_LOG and log_shared


def check(role: Role | str, action: Action, *, log_shared: bool = False) -> None:
    """Raise ``Forbidden`` with a plain reason when ``role`` may not do ``action``."""
    if not allowed(role, action, log_shared=log_shared):
        why = _WHY.get(action, "A {role} cannot do this")
        raise Forbidden(why.format(role=Role(role).value))


def can_invite_as(role: Role | str) -> bool:
    """Invites add partners and helpers; owners are added from the command line only."""
    return Role(role) in (Role.CAREGIVER, Role.VIEWER)
