"""Use cases for accounts: sign up, sign in (rate-limited), sign out, the signed-in browser,
the first household and claiming the command line's household.

Passwords are hashed with Argon2id. A signed-in browser holds a random token in a cookie; the
database keeps only its SHA-256, with a CSRF token for the browser's forms. Invites, share
links and members are in ``services/accounts/members.py``; household settings in
``services/schedule/settings.py``.
"""

from __future__ import annotations

import ipaddress
import math
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from letdown.domain import limits
from letdown.domain.choices import Role, values
from letdown.domain.errors import InvalidInput, LetdownError, NotFound, Refused
from letdown.domain.timeparse import zone
from letdown.services.accounts import households, secret_tokens
from letdown.services.accounts.households import HouseholdView
from letdown.store.models import (
    Household,
    HouseholdSettings,
    LoginAttempt,
    Membership,
    User,
    WebSession,
)

SESSION_LIFETIME = timedelta(days=30)
SEEN_EVERY = timedelta(hours=1)  # how often a signed-in browser's "last seen" is written
LOGIN_LIMIT = 5  # failed sign-ins per (email, address) ...
LOGIN_ACCOUNT_LIMIT = 20  # ... and per email from any address (many addresses, one account) ...
LOGIN_WINDOW = timedelta(minutes=15)  # ... in this window
MIN_PASSWORD = 10
MAX_PASSWORD = 1024


class SignInFailed(LetdownError):
    """Wrong email or password (which one is not said)."""


class TooManyAttempts(Refused):
    """Too many failed sign-ins for this email from this address; try later."""


# --- passwords -----------------------------------------------------------------------------

_hasher: Any = None


def hasher() -> Any:
    """The Argon2id hasher (argon2-cffi's defaults, RFC 9106 low-memory); imported on first use."""
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher

        _hasher = PasswordHasher()
    return _hasher


_dummy: str | None = None


def _dummy_hash() -> str:
    """A hash to verify against when the email is unknown, so that takes as long as a real check."""
    global _dummy
    if _dummy is None:
        _dummy = hasher().hash(secrets.token_urlsafe(16))
    return _dummy


def hash_password(password: str) -> str:
    hashed: str = hasher().hash(password)
    return hashed


def verify_password(stored: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(hasher().verify(stored or _dummy_hash(), password)) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def normalize_email(text: str) -> str:
    return limits.email_address(text)


def validate_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput("password", f"must be at least {MIN_PASSWORD} characters, got {len(password)}")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput("password", f"must be at most {MAX_PASSWORD} characters")
    return limits.clean_text(password, "password")


_sha256 = secret_tokens.digest


# --- users ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserView:
    id: str
    email: str
    display_name: str | None


def create_user(
    db: Session, *, email: str, password: str, now: datetime, display_name: str | None = None
) -> UserView:
    """A new account; refused when the email is taken. Commits."""
    address = normalize_email(email)
    validate_password(password)
    if db.scalar(select(User.id).where(User.email == address)) is not None:
        raise Refused(f"An account for {address} already exists; sign in instead")
    name = limits.clean_name(display_name, "display_name") if display_name and display_name.strip() else None
    row = User(email=address, display_name=name, password_hash=hash_password(password), created_at=now)
    db.add(row)
    db.commit()
    return UserView(row.id, row.email, row.display_name)


def parse_role(text: str) -> Role:
    try:
        return Role(str(text).strip().lower())
    except ValueError:
        raise InvalidInput(
            "role", f"unknown role '{text}'; choose one of {', '.join(values(Role))}"
        ) from None


def add_member(db: Session, household_id: str, user_id: str, role: Role | str, *, now: datetime) -> None:
    """Make a user a member of a household (or change their role there). Commits."""
    chosen = parse_role(role)
    households.get(db, household_id)
    row = db.get(Membership, (household_id, user_id))
    if row is None:
        db.add(Membership(household_id=household_id, user_id=user_id, role=chosen.value, created_at=now))
    else:
        row.role = chosen.value
    db.commit()


def add_user(
    db: Session, household_id: str, *, email: str, password: str, role: str, now: datetime
) -> UserView:
    """``letdown user add``: an account that is a member of ``household_id`` with ``role``."""
    parse_role(role)
    households.get(db, household_id)
    user = create_user(db, email=email, password=password, now=now)
    add_member(db, household_id, user.id, role, now=now)
    return user


# --- signing in ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """Who is looking: the signed-in user, their household (if any) and role there."""

    token_hash: str
    user_id: str
    email: str
    household_id: str | None
    role: Role | None
    csrf_token: str
    log_shared: bool
    flash: str | None


def _attempt_key(email: str, address: str) -> str:
    return _sha256(f"{email}|{address}")


def _new_session(db: Session, user_id: str, *, now: datetime, household_id: str | None) -> str:
    token = secrets.token_urlsafe(32)
    db.execute(delete(WebSession).where(WebSession.user_id == user_id, WebSession.expires_at <= now))
    if household_id is None:
        household_id = db.scalar(
            select(Membership.household_id)
            .where(Membership.user_id == user_id)
            .order_by(Membership.created_at, Membership.household_id)
            .limit(1)
        )
    db.add(
        WebSession(
            token_hash=_sha256(token),
            user_id=user_id,
            household_id=household_id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    db.commit()
    return token


def sign_up(
    db: Session, *, email: str, password: str, now: datetime, signup_open: bool, invited: bool = False
) -> tuple[str, UserView]:
    """A new account, signed in: returns the cookie token and the user.

    Refused when sign-up is closed (``LETDOWN_SIGNUP=closed``), unless the person came with a
    valid invite link (``invited``: checked by the caller through ``members.invite_for``).
    """
    if not signup_open and not invited:
        raise Refused("Sign-up is closed on this server; ask its owner for an invite link or an account")
    user = create_user(db, email=email, password=password, now=now)
    return _new_session(db, user.id, now=now, household_id=None), user


def _too_many(db: Session, key: str, limit: int, *, now: datetime) -> timedelta | None:
    """How long until a failure under ``key`` falls out of the window, when ``limit`` are in it."""
    recent = db.scalars(
        select(LoginAttempt.at)
        .where(LoginAttempt.key == key, LoginAttempt.at > now - LOGIN_WINDOW)
        .order_by(LoginAttempt.at)
    ).all()
    if len(recent) < limit:
        return None
    return recent[-limit] + LOGIN_WINDOW - now


def sign_in(db: Session, *, email: str, password: str, address: str, now: datetime) -> str:
    """Check the password and start a browser session; returns the cookie token.

    At most ``LOGIN_LIMIT`` failures per (email, address), and ``LOGIN_ACCOUNT_LIMIT`` per
    email from all addresses together, in ``LOGIN_WINDOW``; counted in the database so the
    limits hold across server processes. The address is the peer's, or a trusted proxy's word
    for it (``api/guard.py``): a client cannot pick its own.
    """
    cleaned = limits.clean_text(email, "email").strip().lower()
    limits.clean_text(password, "password")
    key = _attempt_key(cleaned, address)
    account_key = _attempt_key(cleaned, "*")
    cutoff = now - LOGIN_WINDOW
    waits = [
        w
        for w in (
            _too_many(db, key, LOGIN_LIMIT, now=now),
            _too_many(db, account_key, LOGIN_ACCOUNT_LIMIT, now=now),
        )
        if w is not None
    ]
    if waits:
        minutes = max(1, math.ceil(max(waits).total_seconds() / 60))
        unit = "minute" if minutes == 1 else "minutes"
        raise TooManyAttempts(f"Too many sign-in attempts for {cleaned}; try again in {minutes} {unit}")
    user = db.scalars(select(User).where(User.email == cleaned)).first()
    if not verify_password(user.password_hash if user else None, password) or user is None:
        db.execute(
            delete(LoginAttempt).where(LoginAttempt.key.in_((key, account_key)), LoginAttempt.at <= cutoff)
        )
        db.add(LoginAttempt(key=key, at=now))
        db.add(LoginAttempt(key=account_key, at=now))
        db.commit()
        raise SignInFailed("Wrong email or password")
    db.execute(delete(LoginAttempt).where(LoginAttempt.key == key))
    if hasher().check_needs_rehash(user.password_hash):  # the parameters were raised since
        user.password_hash = hash_password(password)
    return _new_session(db, user.id, now=now, household_id=None)


def sign_out(db: Session, token: str) -> None:
    db.execute(delete(WebSession).where(WebSession.token_hash == _sha256(token)))
    db.commit()


def current(db: Session, token: str | None, *, now: datetime) -> Viewer | None:
    """The signed-in browser for a cookie token, or None (unknown, expired). One query."""
    if not token:
        return None
    row = db.execute(
        select(WebSession, User.email, Membership.role, HouseholdSettings.share_log)
        .join(User, User.id == WebSession.user_id)
        .outerjoin(
            Membership,
            (Membership.household_id == WebSession.household_id) & (Membership.user_id == WebSession.user_id),
        )
        .outerjoin(HouseholdSettings, HouseholdSettings.household_id == WebSession.household_id)
        .where(WebSession.token_hash == _sha256(token))
    ).first()
    if row is None:
        return None
    session, email, role, share_log = row
    if session.expires_at <= now:
        db.delete(session)
        db.commit()
        return None
    if now - session.last_seen_at >= SEEN_EVERY:
        session.last_seen_at = now
        session.expires_at = now + SESSION_LIFETIME
        db.commit()
    return Viewer(
        token_hash=session.token_hash,
        user_id=session.user_id,
        email=email,
        household_id=session.household_id if role else None,
        role=Role(role) if role else None,
        csrf_token=session.csrf_token,
        log_shared=bool(share_log),
        flash=session.flash,
    )


def change_password(db: Session, viewer: Viewer, *, current: str, new: str, now: datetime) -> None:
    """A new password after the current one is checked; every other signed-in browser is signed out."""
    user = db.get(User, viewer.user_id)
    if user is None or not verify_password(user.password_hash, current):
        raise InvalidInput("current_password", "is not your current password")
    user.password_hash = hash_password(validate_password(new))
    db.execute(
        delete(WebSession).where(
            WebSession.user_id == viewer.user_id, WebSession.token_hash != viewer.token_hash
        )
    )
    db.commit()


def switch_household(db: Session, viewer: Viewer, household_id: str) -> None:
    if db.get(Membership, (household_id, viewer.user_id)) is None:
        raise NotFound("household", household_id)
    db.get(WebSession, viewer.token_hash).household_id = household_id  # type: ignore[union-attr]
    db.commit()


def my_households(db: Session, user_id: str) -> list[tuple[str, str, Role]]:
    """(household id, name, role) for every household the user belongs to."""
    rows = db.execute(
        select(Household.id, Household.name, Membership.role)
        .join(Membership, Membership.household_id == Household.id)
        .where(Membership.user_id == user_id)
        .order_by(Membership.created_at, Household.id)
    )
    return [(hid, name, Role(role)) for hid, name, role in rows]


# --- the first household -------------------------------------------------------------------


def claimable(db: Session) -> tuple[HouseholdView, int] | None:
    """The command line's household, when it is the database's only one and nobody belongs to
    any household yet: the first account may take it over with its data. Returns it and how
    many sessions it holds."""
    from letdown.store.models import ExpressionSession

    if db.scalar(select(func.count()).select_from(Membership)):
        return None
    rows = db.scalars(select(Household).limit(2)).all()
    if len(rows) != 1:
        return None
    sessions = db.scalar(
        select(func.count())
        .select_from(ExpressionSession)
        .where(ExpressionSession.household_id == rows[0].id)
    )
    return households.view(rows[0]), int(sessions or 0)


def from_this_machine(address: str | None) -> bool:
    """Whether a request's client address is a loopback one (127.0.0.0/8, ::1)."""
    try:
        ip = ipaddress.ip_address((address or "").strip("[]"))
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def claim_refusal(port: int | None = None) -> str:
    where = f"http://127.0.0.1:{port}" if port else "http://127.0.0.1"
    return (
        "Taking over the command line's household works only from this machine "
        f"(open letdown at {where} on the computer it runs on)"
    )


def claim(
    db: Session, viewer: Viewer, *, address: str | None, now: datetime, port: int | None = None
) -> HouseholdView:
    """Become the owner of the command line's household (see ``claimable``). Only from a
    loopback ``address``: on an open server, the first stranger to sign up must not get the
    command line's data."""
    if not from_this_machine(address):
        raise Refused(claim_refusal(port))
    found = claimable(db)
    if found is None:
        raise Refused("There is no household without members to claim")
    household, _ = found
    add_member(db, household.id, viewer.user_id, Role.OWNER, now=now)
    switch_household(db, viewer, household.id)
    return household


def create_household(
    db: Session,
    viewer: Viewer,
    *,
    name: str,
    timezone: str,
    units: str,
    storage_profile: str,
    now: datetime,
    baby_name: str | None = None,
    birth_date: date | None = None,
    due_date: date | None = None,
    feeding_mode: str | None = None,
) -> HouseholdView:
    """A new household owned by the signed-in user, with its first baby if one is named, and how
    the baby feeds if said (``household_settings.set_feeding_mode``).

    Everything is checked before anything is written, so a refusal leaves no household behind
    (and trying again does not make a second one)."""
    households._validate_name(name)
    tz = zone(timezone)
    households.parse_units(units)
    households.parse_profile(storage_profile)
    from letdown.domain.reminders import parse_feeding_mode

    mode = parse_feeding_mode(feeding_mode)
    if baby_name and baby_name.strip():
        if birth_date is None and due_date is None:
            raise InvalidInput("birth_date", "give the baby's birth date or due date")
        if birth_date is not None and birth_date > now.astimezone(tz).date():
            raise InvalidInput(
                "birth_date", f"{birth_date.isoformat()} is in the future; give it as the due date"
            )
        households._validate_name(baby_name)
    household = households.create(
        db, now=now, name=name, timezone=timezone, units=units, storage_profile=storage_profile
    )
    add_member(db, household.id, viewer.user_id, Role.OWNER, now=now)
    if baby_name and baby_name.strip():
        households.add_baby(
            db, household.id, name=baby_name, birth_date=birth_date, due_date=due_date, now=now
        )
    if mode is not None:
        from letdown.services.schedule import settings as household_settings

        household_settings.set_feeding_mode(db, household.id, mode, now=now)
    switch_household(db, viewer, household.id)
    return household
