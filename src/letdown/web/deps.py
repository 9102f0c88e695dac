"""What every page needs: who is signed in, their household and role, cookies and CSRF.

Cookies are ``HttpOnly`` and ``SameSite=Lax``. ``Secure`` follows ``LETDOWN_SECURE_COOKIES``:
``1`` always, ``0`` never, unset (``auto``) always except over plain HTTP to a loopback
address (``localhost``, ``127.0.0.1``, ``::1``), where browsers would refuse nothing and no
network sees the cookie. Behind a TLS proxy, name the proxy's address in
``LETDOWN_FORWARDED_ALLOW_IPS`` (``letdown serve --forwarded-allow-ips``) so its
``X-Forwarded-Proto`` is believed.

Every POST form carries a CSRF token: the signed-in browser's own (kept with its session), or
before signing in a random one in a cookie (double submit).
"""

from __future__ import annotations

import ipaddress
import secrets
from typing import Annotated

from fastapi import Depends, Request, Response

from letdown.api.deps import DbDep, NowDep
from letdown.config import settings
from letdown.domain import limits, permissions
from letdown.domain.errors import LetdownError
from letdown.domain.permissions import Action
from letdown.services.accounts import users as accounts
from letdown.services.accounts.users import Viewer
from letdown.web.csrf import csrf_ok

SESSION_COOKIE = "letdown_session"
CSRF_COOKIE = "letdown_csrf"
THEME_COOKIE = "letdown_theme"


class SignInRequired(LetdownError):
    """No signed-in browser: the page redirects to the sign-in form."""


class HouseholdRequired(LetdownError):
    """Signed in but in no household yet: the page redirects to the household set-up."""


class CsrfFailed(LetdownError):
    """A form came without the page's token (an old page, or another site posting)."""


def signup_open() -> bool:
    """``LETDOWN_SIGNUP=closed`` closes open sign-up (invite links still work)."""
    return settings().signup.strip().lower() != "closed"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def secure_cookies(request: Request) -> bool:
    setting = (settings().secure_cookies or "auto").strip().lower()
    if setting in ("1", "true", "yes", "on"):
        return True
    if setting in ("0", "false", "no", "off"):
        return False
    return request.url.scheme == "https" or not _loopback(request.url.hostname or "")


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        path="/",
    )


def sign_in_cookie(request: Request, response: Response, token: str) -> None:
    set_cookie(request, response, SESSION_COOKIE, token, int(accounts.SESSION_LIFETIME.total_seconds()))


def anon_csrf(request: Request) -> str:
    """The pre-sign-in CSRF token: the cookie's, or a new one (``render`` sets the cookie)."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token or len(token) > 100:
        token = getattr(request.state, "new_csrf", None) or secrets.token_urlsafe(24)
        request.state.new_csrf = token
    return token


def get_viewer(request: Request, db: DbDep, now: NowDep) -> Viewer | None:
    viewer = accounts.current(db, request.cookies.get(SESSION_COOKIE), now=now)
    request.state.viewer = viewer
    return viewer


MaybeViewerDep = Annotated[Viewer | None, Depends(get_viewer)]


def get_user(viewer: MaybeViewerDep) -> Viewer:
    if viewer is None:
        raise SignInRequired("Sign in to see this page")
    return viewer


UserDep = Annotated[Viewer, Depends(get_user)]


def get_member(viewer: UserDep) -> Viewer:
    if viewer.household_id is None or viewer.role is None:
        raise HouseholdRequired("Set up or join a household first")
    return viewer


MemberDep = Annotated[Viewer, Depends(get_member)]


def require(viewer: Viewer, action: Action) -> None:
    """Raise ``Forbidden`` when the viewer's role does not allow ``action``."""
    assert viewer.role is not None
    permissions.check(viewer.role, action, log_shared=viewer.log_shared)


def may(viewer: Viewer | None, action: Action) -> bool:
    if viewer is None or viewer.role is None:
        return False
    return permissions.allowed(viewer.role, action, log_shared=viewer.log_shared)


async def checked_form(request: Request, viewer: MaybeViewerDep) -> dict[str, str]:
    """The posted form as text fields, after its CSRF token is checked; repeated fields are
    joined with newlines (see ``getlist``)."""
    form = await request.form()
    expected = viewer.csrf_token if viewer is not None else request.cookies.get(CSRF_COOKIE)
    if not csrf_ok(expected, str(form.get("csrf") or "")):
        raise CsrfFailed(
            "This form is out of date or did not come from letdown; reload the page and try again"
        )
    out: dict[str, str] = {}
    for key in form:
        items = [str(v) for v in form.getlist(key) if isinstance(v, str)]
        out[key] = "\n".join(items)
        # Text that cannot be stored (NUL, lone surrogates, control characters) is refused
        # here for every form, before any query sees it.
        limits.clean_text(key, "form")
        limits.clean_text(out[key], key)
    return out


FormDep = Annotated[dict[str, str], Depends(checked_form)]


def getlist(form: dict[str, str], key: str) -> list[str]:
    value = form.get(key, "")
    return [v for v in value.split("\n") if v] if value else []


def client_address(request: Request) -> str:
    """The client's address: the peer's, or what a trusted proxy says (``api/guard.py``)."""
    return request.client.host if request.client else "unknown"


def machine_address(request: Request) -> str | None:
    """The peer's own address when no proxy relayed the request (see ``guard.peer_address``):
    what "from this machine" is judged on."""
    from letdown.api.guard import peer_address

    return peer_address(request.scope)
