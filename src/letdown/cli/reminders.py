"""``letdown due``, ``letdown reminders`` and ``letdown calendar``: what is due, and alerts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

from letdown.cli.common import App, json_option, pass_app, print_json, render_table

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from letdown.domain.reminders import Plan


def _hm(minutes: int) -> str:
    from letdown.domain.schedule import hours_minutes

    return hours_minutes(minutes, whole_hours=True)


def _when(moment: datetime, now: datetime, tz: ZoneInfo) -> str:
    from letdown.domain.schedule import short_duration

    local = moment.astimezone(tz)
    day = "today" if local.date() == now.astimezone(tz).date() else local.strftime("%a %d %b")
    relative = f"in {short_duration(moment - now)}" if moment > now else f"{short_duration(now - moment)} ago"
    return f"{day} {local:%H:%M} ({relative})"


def _plan_lines(plan: Plan) -> list[str]:
    from letdown.domain.reminders import targets

    t = targets()
    hours = f"{t.night_from_hour:02d}:00-{t.night_to_hour:02d}:00"
    note = f"{t.frequency_note(plan.feeding_mode)}."
    if plan.day_minutes is None:
        return [
            "Interval: none. As your baby also feeds at the breast, letdown sets no default; "
            "set your own with: letdown reminders set --every 3h",
            note,
        ]
    day = "default" if plan.day_is_default else "set by you"
    night = "default" if plan.night_is_default else "set by you"
    return [
        f"Interval: every {_hm(plan.day_minutes)} by day ({day}); at night "
        f"({hours}) up to {_hm(plan.night_gap_minutes)} ({night}).",
        note,
    ]


@click.command()
@json_option
@pass_app
def due(app: App, as_json: bool) -> None:
    """When the next session is due, and which containers reach use-soon or use-by in 24 hours.

    Example: letdown due
    """
    from letdown.services.schedule import reminders

    now = app.now()
    with app.session() as db:
        household = app.household(db)
        view = reminders.due(db, household.id, now=now)
        progress = reminders.today_progress(db, household.id, now=now)
    if as_json:
        print_json({**view.as_json(), "today": progress.as_json()})
        return
    tz = household.tz
    if view.next_due is None:
        click.echo("No session is due: no interval is set (letdown reminders set --every 3h).")
    elif view.last_started is None:
        click.echo("No session logged yet: the first one is due now.")
    else:
        word = "was due" if view.overdue else "is due"
        click.echo(f"Next session {word} {_when(view.next_due, now, tz)}.")
        click.echo(f"Last one started {_when(view.last_started, now, tz)}.")
    later = [_when(u, now, tz).split(" (")[0] for u in view.upcoming[1:]]
    if later:
        click.echo(f"Then: {', '.join(later)}.")
    from letdown.domain.reminders import targets

    t = targets()
    if not progress.targets_apply:
        click.echo(f"Today: {progress.sessions} session{'' if progress.sessions == 1 else 's'}.")
    else:
        click.echo(
            f"Today: {progress.sessions} of {progress.target_min}-{progress.target_max} sessions"
            + (
                f" ({progress.hand_sessions} by hand; for a baby born before {t.early_born_before_weeks} "
                f"weeks, more than {progress.early_hand_more_than} a day by hand in the first "
                f"{t.early_days} days [{t.sources['early-days-hand']}])"
                if progress.early_hand_target
                else ""
            )
            + "."
        )
    if progress.early_days and not progress.early_hand_target:
        click.echo(f"For information, not a target: {t.early_hand_text()}.")
    for line in _plan_lines(view.plan):
        click.echo(line)
    if not view.deadlines:
        click.echo("Stash: no container reaches use-soon or use-by in the next 24 hours.")
        return
    from letdown.domain.units import format_volume

    click.echo("Stash in the next 24 hours:")
    rows = [
        [d.container_id, d.kind, _when(d.at, now, tz), format_volume(d.ml, household.units), d.location]
        for d in view.deadlines
    ]
    click.echo(render_table(["container", "reaches", "when", "volume", "where"], rows))


@click.group()
def reminders() -> None:
    """The session interval by day and the longest gap at night (defaults from the guidance)."""


@reminders.command("show")
@json_option
@pass_app
def show(app: App, as_json: bool) -> None:
    """Show the intervals in use."""
    from letdown.services.schedule import reminders as service

    with app.session() as db:
        plan = service.get_plan(db, app.household(db).id)
    if as_json:
        print_json(_plan_json(plan))
        return
    for line in _plan_lines(plan):
        click.echo(line)


def _plan_json(plan: Plan) -> dict[str, object]:
    from letdown.domain.reminders import targets

    rule = targets().rule(plan.feeding_mode)
    return {
        "feeding_mode": rule.as_json()["feeding_mode"],
        "targets_apply": rule.targets,
        "rule": rule.as_json(),
        "note": targets().frequency_note(plan.feeding_mode),
        "interval_minutes": plan.day_minutes,
        "interval_is_default": plan.day_is_default,
        "night_gap_minutes": plan.night_gap_minutes,
        "night_gap_is_default": plan.night_is_default,
    }


@reminders.command("set")
@click.option("--every", metavar="DURATION", help="Start to start by day: 3h, 2h30m, 150m.")
@click.option("--night-gap", metavar="DURATION", help="The longest gap at night, e.g. 5h.")
@click.option("--reset", is_flag=True, help="Go back to the defaults from the guidance.")
@json_option
@pass_app
def set_(app: App, every: str | None, night_gap: str | None, reset: bool, as_json: bool) -> None:
    """Set the session interval and the longest night gap.

    Example: letdown reminders set --every 3h --night-gap 5h
    """
    from letdown.domain.reminders import parse_minutes
    from letdown.services.schedule import reminders as service

    if not (every or night_gap or reset):
        raise click.UsageError("give --every, --night-gap or --reset")
    day = parse_minutes(every, "every") if every else None
    gap = parse_minutes(night_gap, "night_gap") if night_gap else None
    with app.session() as db:
        plan = service.set_intervals(
            db, app.household(db).id, now=app.now(), day_minutes=day, night_gap_minutes=gap, reset=reset
        )
    if as_json:
        print_json(_plan_json(plan))
        return
    for line in _plan_lines(plan):
        click.echo(line)


@click.group()
def calendar() -> None:
    """Calendar feeds (/calendar/TOKEN.ics): sessions due and stash deadlines, with alerts."""


@calendar.command("create")
@click.option("--name", default="phone", show_default=True, help="What the feed is for.")
@click.option(
    "--base-url",
    envvar="LETDOWN_BASE_URL",
    metavar="URL",
    help="The web app's address, as phones reach it (default $LETDOWN_BASE_URL).",
)
@json_option
@pass_app
def calendar_create(app: App, name: str, base_url: str | None, as_json: bool) -> None:
    """Create a feed; its secret URL is shown once. Subscribe to it in your phone's calendar.

    Example: letdown calendar create --name "my phone" --base-url https://milk.example.org
    """
    from urllib.parse import urlsplit

    from letdown.domain.errors import InvalidInput
    from letdown.services.schedule import calendar as service

    if base_url:
        parts = urlsplit(base_url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise InvalidInput("base_url", f"'{base_url}' is not a web address like https://milk.example.org")
        base_url = base_url.strip().rstrip("/")

    with app.session() as db:
        token, view = service.create(db, app.household(db).id, name=name, now=app.now())
    path = f"/calendar/{token}.ics"
    url = f"{base_url}{path}" if base_url else None
    if as_json:
        print_json({**view.as_json(), "token": token, "path": path, "url": url})
        return
    click.echo(f"Calendar feed {view.id} created. Subscribe to (shown once):")
    if url:
        click.echo(f"  {url}")
    else:
        click.echo(f"  http://YOUR-SERVER{path}")
        click.echo("  (YOUR-SERVER: the address phones reach letdown at; set LETDOWN_BASE_URL or --base-url)")


@calendar.command("list")
@json_option
@pass_app
def calendar_list(app: App, as_json: bool) -> None:
    """List the feeds (their URLs are secret and not shown again)."""
    from letdown.services.schedule import calendar as service

    with app.session() as db:
        feeds = service.list_feeds(db, app.household(db).id)
    if as_json:
        print_json([f.as_json() for f in feeds])
        return
    rows = [
        [f.id, f.name, f.created_at.date().isoformat(), "revoked" if f.revoked_at else "active"]
        for f in feeds
    ]
    click.echo(render_table(["id", "name", "created", "state"], rows) or "No calendar feeds.")


@calendar.command("revoke")
@click.argument("feed_id")
@pass_app
def calendar_revoke(app: App, feed_id: str) -> None:
    """Revoke a feed: its URL stops working at once."""
    from letdown.services.schedule import calendar as service

    with app.session() as db:
        service.revoke(db, app.household(db).id, feed_id, now=app.now())
    click.echo(f"Calendar feed {feed_id} revoked.")
