"""``letdown log`` (record and review expression sessions) and ``letdown stats``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from letdown.cli.common import App, json_option, pass_app, print_json, render_table
from letdown.domain.choices import Method, values

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from letdown.services.accounts.households import HouseholdView
    from letdown.services.log.sessions import SessionInput, SessionView

SIDES = (("left", "left_ml"), ("right", "right_ml"), ("passive", "passive_ml"))


def session_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options ``log add`` and ``log edit`` share."""
    options = [
        click.option("--start", metavar="T", help="When it started."),
        click.option("--end", metavar="T", help="When it ended."),
        click.option("--minutes", type=float, metavar="N", help="How long it lasted (instead of --end)."),
        click.option("--method", metavar="M", help=f"One of: {', '.join(values(Method))}."),
    ]
    for side, _ in SIDES:
        options += [
            click.option(f"--{side}-ml", type=float, metavar="X", help=f"Volume from the {side} side, ml."),
            click.option(
                f"--{side}-oz", type=float, metavar="X", help=f"Volume from the {side} side, US fl oz."
            ),
        ]
    options += [
        click.option("--let-down", "let_downs", multiple=True, metavar="T", help="A let-down time (repeat)."),
        click.option("--comfort", type=int, metavar="N", help="Comfort from 0 (painful) to 10."),
        click.option("--note", metavar="TEXT", help="A note."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _input(opts: dict[str, Any], *, editing: bool) -> SessionInput:
    from letdown.domain.errors import InvalidInput
    from letdown.domain.units import oz_to_ml
    from letdown.services.log.sessions import SessionInput

    raw = SessionInput()
    for name in ("start", "end", "minutes", "method", "comfort", "note"):
        if opts.get(name) is not None:
            setattr(raw, name, opts[name])
    for side, field in SIDES:
        ml, oz = opts.get(f"{side}_ml"), opts.get(f"{side}_oz")
        if ml is not None and oz is not None:
            raise InvalidInput(field, f"give --{side}-ml or --{side}-oz, not both")
        if oz is not None and oz < 0:
            raise InvalidInput(f"{side}_oz", f"must be 0 or more, got {oz:g}")
        if ml is not None:
            setattr(raw, field, ml)
        elif oz is not None:
            setattr(raw, field, oz_to_ml(oz))
    if opts.get("let_downs") or not editing:
        raw.let_downs = list(opts.get("let_downs") or [])
    return raw


def describe(view: SessionView, household: HouseholdView) -> str:
    """A session as a few lines for people, in the household's zone and units."""
    from letdown.domain.units import format_volume

    tz = household.tz
    start = view.started_at.astimezone(tz)
    end = view.ended_at.astimezone(tz)
    lines = [
        f"Session {view.id}{' (sample data)' if view.demo else ''}  {view.method.value}  "
        f"{start:%a %d %b %Y %H:%M}-{end:%H:%M} ({view.minutes:g} min)"
    ]
    parts = [
        f"{side} {format_volume(getattr(view, field), household.units)}"
        for side, field in SIDES
        if getattr(view, field) is not None
    ]
    parts.append(f"total {format_volume(view.total_ml, household.units)}")
    lines.append("  " + " · ".join(parts))
    extra = []
    if view.let_downs:
        times = ", ".join(t.astimezone(tz).strftime("%H:%M") for t in view.let_downs)
        extra.append(f"let-downs {times}")
    if view.comfort is not None:
        extra.append(f"comfort {view.comfort}/10")
    if view.baby_age_days is not None:
        extra.append(
            f"baby {view.baby_age_days} days old"
            if view.baby_age_days >= 0
            else f"{-view.baby_age_days} days before the due date"
        )
    if extra:
        lines.append("  " + " · ".join(extra))
    if view.note:
        lines.append(f"  note: {view.note}")
    return "\n".join(lines)


def _show(view: SessionView, household: HouseholdView, as_json: bool) -> None:
    if as_json:
        print_json(view.as_json(household.tz))
    else:
        click.echo(describe(view, household))


@click.group()
def log() -> None:
    """Record and review expression sessions."""


@log.command("add")
@session_options
@json_option
@pass_app
def add(app: App, /, as_json: bool, **opts: Any) -> None:
    """Record a session.

    Example: letdown log add --start -25m --minutes 20 --method hand --left-ml 30 --right-ml 25
    """
    from letdown.services.log import sessions

    with app.session() as db:
        household = app.household(db)
        view = sessions.create(db, household.id, _input(opts, editing=False), now=app.now())
        _show(view, household, as_json)


@log.command("list")
@click.option("--since", metavar="T", help="Only sessions that started at or after T.")
@click.option("--until", metavar="T", help="Only sessions that started at or before T.")
@click.option("--limit", type=int, metavar="N", help="At most N (default: 50 when --since is not given).")
@json_option
@pass_app
def list_(app: App, since: str | None, until: str | None, limit: int | None, as_json: bool) -> None:
    """List sessions, newest first.

    Example: letdown log list --since -7d
    """
    from letdown.domain.units import format_volume
    from letdown.services.log import sessions

    with app.session() as db:
        household = app.household(db)
        views = sessions.list_sessions(db, household.id, now=app.now(), since=since, until=until, limit=limit)
        tz: ZoneInfo = household.tz
        if as_json:
            print_json([v.as_json(tz) for v in views])
            return
        if not views:
            click.echo("No sessions yet. Record one with: letdown log add --help")
            return
        rows = [
            [
                f"{v.id}*" if v.demo else v.id,
                v.started_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                f"{v.minutes:g}",
                v.method.value,
                *(format_volume(getattr(v, f), household.units) for _, f in SIDES),
                format_volume(v.total_ml, household.units),
                str(len(v.let_downs)),
                "-" if v.comfort is None else str(v.comfort),
            ]
            for v in views
        ]
        headers = [
            "id",
            "start",
            "min",
            "method",
            "left",
            "right",
            "passive",
            "total",
            "let-downs",
            "comfort",
        ]
        click.echo(render_table(headers, rows))
        if any(v.demo for v in views):
            click.echo("* sample data from `letdown demo` (remove it with: letdown demo --remove)")


@log.command("show")
@click.argument("session_id")
@json_option
@pass_app
def show(app: App, session_id: str, as_json: bool) -> None:
    """Show one session, and how it went against the signs of expressing well."""
    from letdown.services.log import assessment, sessions

    with app.session() as db:
        household = app.household(db)
        view = sessions.get(db, household.id, session_id)
        result = assessment.assess(db, household.id, session_id)
    if as_json:
        print_json({**view.as_json(household.tz), "assessment": result.as_json()})
    else:
        click.echo(describe(view, household) + "\n\n" + assessment.describe(result))
        click.echo("  (In `letdown coach`: space marks a let-down, s marks the flow slowing.)")


@log.command("edit")
@click.argument("session_id")
@session_options
@json_option
@pass_app
def edit(app: App, /, session_id: str, as_json: bool, **opts: Any) -> None:
    """Change a session: only the options given change (--let-down replaces all let-downs).

    Example: letdown log edit k3m9x2qa7d --right-ml 35 --comfort 7
    """
    from letdown.services.log import sessions

    with app.session() as db:
        household = app.household(db)
        view = sessions.update(db, household.id, session_id, _input(opts, editing=True), now=app.now())
        _show(view, household, as_json)


@log.command("delete")
@click.argument("session_id")
@json_option
@pass_app
def delete(app: App, session_id: str, as_json: bool) -> None:
    """Delete a session."""
    from letdown.services.log import sessions

    with app.session() as db:
        household = app.household(db)
        sessions.delete(db, household.id, session_id)
    if as_json:
        print_json({"deleted": session_id})
    else:
        click.echo(f"Deleted session {session_id}.")


@click.command()
@click.option("--days", type=int, default=7, show_default=True, help="How many days, today included.")
@json_option
@pass_app
def stats(app: App, days: int, as_json: bool) -> None:
    """Per day: total and per side, sessions, mean length, and the 7-day average."""
    from letdown.domain.units import format_volume
    from letdown.services.log import sessions

    with app.session() as db:
        household = app.household(db)
        result, _ = sessions.stats(db, household.id, days=days, now=app.now())
    if as_json:
        print_json(sessions.stats_json(result))
        return
    u = household.units
    rows = [
        [
            d.day.strftime("%a %Y-%m-%d"),
            str(d.sessions),
            format_volume(d.left_ml, u),
            format_volume(d.right_ml, u),
            format_volume(d.passive_ml, u),
            format_volume(d.total_ml, u),
            "-" if d.mean_minutes is None else f"{d.mean_minutes:g}",
            format_volume(d.avg7_ml, u),
        ]
        for d in reversed(result.days)
    ]
    headers = ["day", "sessions", "left", "right", "passive", "total", "mean min", "7-day avg"]
    click.echo(render_table(headers, rows))
    click.echo(
        f"\n{result.sessions} sessions, {format_volume(result.total_ml, u)} in {days} days "
        f"({format_volume(result.daily_average_ml, u)} a day)"
    )
