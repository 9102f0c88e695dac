"""Sign up, sign in, sign out, the first household, and joining one from an invite link."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from letdown.api.deps import DbDep, NowDep
from letdown.domain.choices import FEEDING_MODE_LABELS, StorageProfile, Units, values
from letdown.domain.errors import InvalidInput, LetdownError
from letdown.domain.reminders import targets as reminder_targets
from letdown.domain.timeparse import parse_date
from letdown.services.accounts import households, members
from letdown.services.accounts import users as accounts
from letdown.web import deps
from letdown.web.deps import FormDep, MaybeViewerDep, UserDep
from letdown.web.errors import status_of
from letdown.web.flash import set_flash
from letdown.web.render import redirect, render, zone_names

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//host`` or a full URL) may follow sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _signed_in(request: Request, token: str, target: str) -> Response:
    response = redirect(_safe_next(target))
    deps.sign_in_cookie(request, response, token)
    return response


@router.get("/signin")
def signin_form(request: Request, viewer: MaybeViewerDep, next: str = "/") -> Response:
    if viewer is not None:
        return redirect(_safe_next(next))
    return render(
        request,
        "signin.html",
        {
            "title": "Sign in",
            "next": _safe_next(next),
            "signup_open": deps.signup_open(),
            "email": "",
            "cookie_blocked": deps.secure_cookies(request) and request.url.scheme != "https",
        },
    )


@router.post("/signin")
def signin(request: Request, db: DbDep, now: NowDep, form: FormDep) -> Response:
    target = _safe_next(form.get("next"))
    try:
        token = accounts.sign_in(
            db,
            email=form.get("email", ""),
            password=form.get("password", ""),
            address=deps.client_address(request),
            now=now,
        )
    except LetdownError as exc:
        return render(
            request,
            "signin.html",
            {
                "title": "Sign in",
                "next": target,
                "signup_open": deps.signup_open(),
                "email": form.get("email", ""),
            },
            status=status_of(exc),
            error=str(exc),
        )
    return _signed_in(request, token, target)


@router.get("/signup")
def signup_form(request: Request, viewer: MaybeViewerDep, invite: str = "") -> Response:
    if viewer is not None:
        return redirect(f"/join/{invite}" if invite else "/")
    return render(
        request,
        "signup.html",
        {"title": "Create an account", "signup_open": deps.signup_open(), "invite": invite, "email": ""},
    )


@router.post("/signup")
def signup(request: Request, db: DbDep, now: NowDep, form: FormDep) -> Response:
    invite = form.get("invite", "").strip()
    try:
        invited = False
        if invite:
            members.invite_for(db, invite, now=now)
            invited = True
        if form.get("password", "") != form.get("password2", ""):
            raise InvalidInput("password2", "the two passwords are not the same")
        token, _ = accounts.sign_up(
            db,
            email=form.get("email", ""),
            password=form.get("password", ""),
            now=now,
            signup_open=deps.signup_open(),
            invited=invited,
        )
    except LetdownError as exc:
        context = {
            "title": "Create an account",
            "signup_open": deps.signup_open(),
            "invite": invite,
            "email": form.get("email", ""),
        }
        return render(request, "signup.html", context, status=status_of(exc), error=str(exc))
    return _signed_in(request, token, f"/join/{invite}" if invite else "/setup")


@router.post("/signout")
def signout(request: Request, db: DbDep, form: FormDep) -> Response:
    token = request.cookies.get(deps.SESSION_COOKIE)
    if token:
        accounts.sign_out(db, token)
    response = redirect("/signin")
    response.delete_cookie(deps.SESSION_COOKIE, path="/")
    return response


def _port(request: Request) -> int | None:
    server = request.scope.get("server")
    return server[1] if server else request.url.port


def _setup_context(request: Request, db: DbDep, viewer: accounts.Viewer) -> dict[str, object]:
    claim = accounts.claimable(db)
    local = accounts.from_this_machine(deps.machine_address(request))
    return {
        "title": "Set up your household",
        "claim": claim if local else None,
        "claim_elsewhere": accounts.claim_refusal(_port(request)) if claim and not local else None,
        "mine": accounts.my_households(db, viewer.user_id),
        "units": values(Units),
        "profiles": values(StorageProfile),
        "feeding_modes": FEEDING_MODE_LABELS,
        "frequency": reminder_targets(),
        "timezone": households.system_timezone(),
        "zones": zone_names(),
        "form": {},
    }


@router.get("/setup")
def setup_form(request: Request, db: DbDep, viewer: UserDep) -> Response:
    return render(request, "setup.html", _setup_context(request, db, viewer))


@router.post("/setup")
def setup(request: Request, db: DbDep, now: NowDep, viewer: UserDep, form: FormDep) -> Response:
    try:
        if form.get("claim"):
            household = accounts.claim(
                db, viewer, address=deps.machine_address(request), now=now, port=_port(request)
            )
        else:
            birth = form.get("birth_date", "").strip()
            due = form.get("due_date", "").strip()
            household = accounts.create_household(
                db,
                viewer,
                name=form.get("name", ""),
                timezone=form.get("timezone", "").strip() or "UTC",
                units=form.get("units", "ml"),
                storage_profile=form.get("storage_profile", "cdc"),
                baby_name=form.get("baby_name"),
                birth_date=parse_date(birth, field="birth_date") if birth else None,
                due_date=parse_date(due, field="due_date") if due else None,
                feeding_mode=form.get("feeding_mode") or None,
                now=now,
            )
    except LetdownError as exc:
        context = {**_setup_context(request, db, viewer), "form": form}
        return render(request, "setup.html", context, status=status_of(exc), error=str(exc))
    set_flash(db, viewer, f"Welcome to {household.name}.")
    return redirect("/")


@router.post("/switch")
def switch(request: Request, db: DbDep, viewer: UserDep, form: FormDep) -> Response:
    accounts.switch_household(db, viewer, form.get("household", ""))
    return redirect("/")


@router.get("/join/{token}")
def join_form(request: Request, db: DbDep, now: NowDep, viewer: MaybeViewerDep, token: str) -> Response:
    info = members.invite_for(db, token, now=now)
    return render(request, "join.html", {"title": "Join a household", "info": info, "token": token})


@router.post("/join/{token}")
def join(request: Request, db: DbDep, now: NowDep, viewer: UserDep, form: FormDep, token: str) -> Response:
    info = members.accept_invite(db, viewer, token, now=now)
    set_flash(db, viewer, f"You joined {info.household_name} as {info.role.value}.")
    return redirect("/")
