"""Use cases for who shares a household: members, invite links and clinicians' share links
(the household's settings are ``services/schedule/settings.py``).

Invite and share-link tokens read ``<household id>_<secret>``: the household part lets the
lookup use the ``(household_id, token_hash)`` index, and only the secret's SHA-256 is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from letdown.domain import limits, permissions
from letdown.domain.choices import Role
from letdown.domain.errors import InvalidInput, NotFound, Refused
from letdown.services.accounts import households, secret_tokens
from letdown.services.accounts.users import Viewer, add_member, parse_role, switch_household
from letdown.store.models import Invite, Membership, ShareLink, User

INVITE_DAYS = 7
SHARE_DAYS_DEFAULT = 14
SHARE_DAYS_MAX = 90


def _new_token(household_id: str) -> tuple[str, str]:
    return secret_tokens.issue(household_id, nbytes=24)


def _split(token: str) -> tuple[str, str]:
    # A malformed link looks up nothing and is answered like an unknown one.
    return secret_tokens.parse(token) or ("", "")


# --- members -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberView:
    user_id: str
    email: str
    role: Role


def list_members(db: Session, household_id: str) -> list[MemberView]:
    rows = db.execute(
        select(Membership.user_id, User.email, Membership.role)
        .join(User, User.id == Membership.user_id)
        .where(Membership.household_id == household_id)
        .order_by(Membership.created_at, User.email)
    )
    return [MemberView(uid, email, Role(role)) for uid, email, role in rows]


def remove_member(db: Session, household_id: str, user_id: str) -> None:
    """Take someone out of the household; the last owner stays."""
    row = db.get(Membership, (household_id, user_id))
    if row is None:
        raise NotFound("member", user_id)
    if row.role == Role.OWNER.value:
        owners = db.scalars(
            select(Membership.user_id).where(
                Membership.household_id == household_id, Membership.role == Role.OWNER.value
            )
        ).all()
        if len(owners) <= 1:
            raise Refused("The household's last owner cannot be removed")
    db.delete(row)
    db.commit()


# --- invites -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InviteView:
    id: str
    role: Role
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class InviteInfo:
    household_id: str
    household_name: str
    role: Role
    expires_at: datetime


def create_invite(
    db: Session, household_id: str, *, role: str, by: str | None, now: datetime
) -> tuple[str, InviteView]:
    """A link that adds one person as ``role`` (caregiver or viewer) for 7 days; shown once."""
    chosen = parse_role(role)
    if not permissions.can_invite_as(chosen):
        raise InvalidInput("role", f"an invite adds a caregiver or a viewer, not an {chosen.value}")
    households.get(db, household_id)
    token, digest = _new_token(household_id)
    row = Invite(
        household_id=household_id,
        token_hash=digest,
        role=chosen.value,
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(days=INVITE_DAYS),
    )
    db.add(row)
    db.commit()
    return token, InviteView(row.id, chosen, row.created_at, row.expires_at)


def list_invites(db: Session, household_id: str, *, now: datetime) -> list[InviteView]:
    """Invites not yet used, revoked or expired."""
    rows = db.scalars(
        select(Invite)
        .where(
            Invite.household_id == household_id,
            Invite.accepted_at.is_(None),
            Invite.revoked_at.is_(None),
            Invite.expires_at > now,
        )
        .order_by(Invite.created_at)
    )
    return [InviteView(r.id, Role(r.role), r.created_at, r.expires_at) for r in rows]


def revoke_invite(db: Session, household_id: str, invite_id: str, *, now: datetime) -> None:
    row = db.get(Invite, (household_id, invite_id))
    if row is None:
        raise NotFound("invite", invite_id)
    if row.revoked_at is None:
        row.revoked_at = now
        db.commit()


def _invite_row(db: Session, token: str, *, now: datetime) -> Invite:
    household_id, digest = _split(token)
    row = db.scalars(
        select(Invite).where(Invite.household_id == household_id, Invite.token_hash == digest)
    ).first()
    if row is None or row.revoked_at is not None:
        raise NotFound("invite", "in this link")
    if row.accepted_at is not None:
        raise Refused("This invite link has already been used; ask for a new one")
    if row.expires_at <= now:
        raise Refused("This invite link has expired; ask for a new one")
    return row


def invite_for(db: Session, token: str, *, now: datetime) -> InviteInfo:
    """What an invite link offers; NotFound or Refused when it cannot be used."""
    row = _invite_row(db, token, now=now)
    household = households.get(db, row.household_id)
    return InviteInfo(household.id, household.name, Role(row.role), row.expires_at)


def accept_invite(db: Session, viewer: Viewer, token: str, *, now: datetime) -> InviteInfo:
    """Join the household of an invite link with its role; the link is then used up."""
    row = _invite_row(db, token, now=now)
    info = invite_for(db, token, now=now)
    if db.get(Membership, (row.household_id, viewer.user_id)) is not None:
        raise Refused(f"You are already a member of {info.household_name}")
    # Used up in one conditional UPDATE: of two accounts accepting at once, only the one whose
    # UPDATE changes the row wins (the other waits for the row's lock, then finds it used).
    taken = db.execute(
        update(Invite)
        .where(
            Invite.household_id == row.household_id,
            Invite.id == row.id,
            Invite.accepted_at.is_(None),
            Invite.revoked_at.is_(None),
            Invite.expires_at > now,
        )
        .values(accepted_at=now, accepted_by=viewer.user_id)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        db.rollback()
        raise Refused("This invite link has already been used; ask for a new one")
    add_member(db, row.household_id, viewer.user_id, row.role, now=now)
    switch_household(db, viewer, row.household_id)
    return info


# --- share links ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareView:
    id: str
    name: str
    created_at: datetime
    expires_at: datetime


def create_share(
    db: Session, household_id: str, *, name: str, days: int, by: str | None, now: datetime
) -> tuple[str, ShareView]:
    """A read-only link to the household's log summary for a clinician; shown once."""
    cleaned = limits.clean_name(name)
    if not 1 <= days <= SHARE_DAYS_MAX:
        raise InvalidInput("days", f"must be from 1 to {SHARE_DAYS_MAX}, got {days}")
    households.get(db, household_id)
    token, digest = _new_token(household_id)
    row = ShareLink(
        household_id=household_id,
        token_hash=digest,
        name=cleaned,
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.add(row)
    db.commit()
    return token, ShareView(row.id, row.name, row.created_at, row.expires_at)


def list_shares(db: Session, household_id: str, *, now: datetime) -> list[ShareView]:
    rows = db.scalars(
        select(ShareLink)
        .where(
            ShareLink.household_id == household_id,
            ShareLink.revoked_at.is_(None),
            ShareLink.expires_at > now,
        )
        .order_by(ShareLink.created_at)
    )
    return [ShareView(r.id, r.name, r.created_at, r.expires_at) for r in rows]


def revoke_share(db: Session, household_id: str, share_id: str, *, now: datetime) -> None:
    row = db.get(ShareLink, (household_id, share_id))
    if row is None:
        raise NotFound("share link", share_id)
    if row.revoked_at is None:
        row.revoked_at = now
        db.commit()


def resolve_share(db: Session, token: str, *, now: datetime) -> ShareView:
    """The share link for a token, with its household; NotFound when unknown, revoked or expired."""
    household_id, digest = _split(token)
    row = db.scalars(
        select(ShareLink).where(ShareLink.household_id == household_id, ShareLink.token_hash == digest)
    ).first()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise NotFound("share link", "in this address")
    return ShareView(row.id, row.name, row.created_at, row.expires_at)


def share_household(token: str) -> str:
    """The household a (resolved) share token belongs to."""
    return token.partition("_")[0]
