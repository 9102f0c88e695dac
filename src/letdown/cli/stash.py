"""``letdown stash``: the milk stash (containers, where they are, and when to use them)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from letdown.cli.common import App, json_option, pass_app, print_json, render_table
from letdown.cli.stash_limits import limits
from letdown.domain.choices import THAW_PLACES, Location, values

if TYPE_CHECKING:
    from letdown.services.accounts.households import HouseholdView
    from letdown.services.stash.containers import ContainerView

PLACES = values(Location)
WHEN = "%a %d %b %Y %H:%M"
SHORT = "%Y-%m-%d %H:%M"


def at_option(help_text: str = "When it happened (default: now).") -> Callable[..., Any]:
    return click.option("--at", metavar="T", help=help_text)


def _volume(ml: float | None, oz: float | None, name: str = "ml") -> float | None:
    from letdown.domain.errors import InvalidInput
    from letdown.domain.units import oz_to_ml

    if ml is not None and oz is not None:
        raise InvalidInput(name, "give it in ml or in oz, not both")
    return oz_to_ml(oz) if oz is not None else ml


def _line(view: ContainerView, household: HouseholdView) -> str:
    from letdown.domain.units import format_volume

    s, tz = view.standing, household.tz
    lines = [
        f"Container {view.id}  {format_volume(s.ml, household.units)}  {s.word}, "
        f"{s.location.value}  {s.status.value.upper()}"
    ]
    dates = [f"expressed {s.expressed_at.astimezone(tz):{WHEN}}", f"use by {s.use_by.astimezone(tz):{WHEN}}"]
    if s.use_soon_at is not None and s.use_soon_at != s.best_by:
        dates.append(f"use soon from {s.use_soon_at.astimezone(tz):{WHEN}}")
    if s.best_by is not None:
        dates.append(f"best by {s.best_by.astimezone(tz):{WHEN}}")
    lines.append("  " + " · ".join(dates))
    ours = "; our careful reading" if s.rule.ours else ""
    lines.append(f"  rule {s.rule.id} ({s.rule.source}{ours}): {s.rule.text}")
    if view.label:
        lines.append(f"  label: {view.label}")
    return "\n".join(lines)


def _show(view: ContainerView, household: HouseholdView, as_json: bool, *, history: bool = False) -> None:
    if as_json:
        print_json(view.as_json(household.tz, history=history))
        return
    click.echo(_line(view, household))
    if history:
        _history(view, household)


def _history(view: ContainerView, household: HouseholdView) -> None:
    from letdown.domain.units import format_volume

    tz = household.tz
    click.echo("  history:")
    if view.session is not None:
        row = view.session
        click.echo(
            f"    {row.started_at.astimezone(tz):{WHEN}}  expressed in session {row.id} ({row.method})"
        )
    for event in view.history:
        parts = [event.kind]
        if event.location:
            parts.append(event.location)
        if event.ml is not None:
            parts.append(format_volume(event.ml, household.units))
        if event.other_id:
            parts.append(("to " if event.kind == "split-into" else "from ") + event.other_id)
        if event.note:
            parts.append(f"({event.note})")
        if event.copied_from:
            parts.append(f"[in container {event.copied_from}]")
        click.echo(f"    {event.at.astimezone(tz):{WHEN}}  {' '.join(parts)}")


def _table(views: list[ContainerView], household: HouseholdView) -> str:
    from letdown.domain.units import format_volume

    tz = household.tz
    rows = [
        [
            f"{v.id}*" if v.demo else v.id,
            format_volume(v.standing.ml, household.units),
            v.standing.location.value,
            v.standing.word,
            f"{v.standing.expressed_at.astimezone(tz):{SHORT}}",
            f"{v.standing.use_by.astimezone(tz):{SHORT}}",
            v.standing.status.value,
            v.standing.rule.id,
        ]
        for v in views
    ]
    table = render_table(["id", "volume", "where", "milk", "expressed", "use by", "status", "rule"], rows)
    if any(v.demo for v in views):
        table += "\n* sample data from `letdown demo` (remove it with: letdown demo --remove)"
    return table


@click.group()
def stash() -> None:
    """The milk stash: store, move, thaw, warm, feed, use, discard, split, and what to use first.

    Every answer names the storage rule and its source (the household's storage profile:
    cdc, abm, or custom limits from the baby's unit).
    """


@stash.command("add")
@click.option("--ml", type=float, metavar="X", help="Volume, ml.")
@click.option("--oz", type=float, metavar="X", help="Volume, US fl oz.")
@click.option(
    "--expressed-at",
    metavar="T",
    help="When the milk was expressed (default with --session: when that session started).",
)
@click.option("--location", required=True, type=click.Choice(PLACES), help="Where it is kept.")
@click.option("--session", "session_id", metavar="ID", help="The session that produced it.")
@click.option("--label", metavar="TEXT", help="A note for the label.")
@json_option
@pass_app
def add(
    app: App,
    ml: float | None,
    oz: float | None,
    expressed_at: str | None,
    location: str,
    session_id: str | None,
    label: str | None,
    as_json: bool,
) -> None:
    """Store milk in a new container.

    \b
    Examples:
      letdown stash add --ml 120 --expressed-at -30m --location fridge
      letdown stash add --ml 120 --location fridge --session k3m9x2qa7d   (counts from its start)
    """
    from letdown.domain.errors import InvalidInput
    from letdown.services.stash import containers as service

    volume = _volume(ml, oz)
    if volume is None:
        raise InvalidInput("ml", "give the volume with --ml or --oz")
    with app.session() as db:
        household = app.household(db)
        view = service.add(
            db,
            household.id,
            ml=volume,
            expressed_at=expressed_at,
            location=location,
            now=app.now(),
            session_id=session_id,
            label=label,
        )
        _show(view, household, as_json)


@stash.command("list")
@at_option("Evaluate at T (default: now).")
@click.option("--all", "include_all", is_flag=True, help="Include used and discarded milk.")
@json_option
@pass_app
def list_(app: App, at: str | None, include_all: bool, as_json: bool) -> None:
    """List containers, soonest deadline first, with status, use-by and the rule that decided.

    Example: letdown stash list --at "2026-12-01 08:00" --json
    """
    from letdown.services.stash import containers as service

    with app.session() as db:
        household = app.household(db)
        views = service.list_containers(db, household.id, now=app.now(), at=at, include_all=include_all)
    if as_json:
        print_json([v.as_json(household.tz) for v in views])
    elif not views:
        click.echo("The stash is empty. Store milk with: letdown stash add --help")
    else:
        click.echo(_table(views, household))


@stash.command("show")
@click.argument("container_id")
@at_option("Evaluate at T (default: now).")
@json_option
@pass_app
def show(app: App, container_id: str, at: str | None, as_json: bool) -> None:
    """Show a container and its whole history, from the session that produced the milk."""
    from letdown.services.stash import containers as service

    with app.session() as db:
        household = app.household(db)
        view = service.get(db, household.id, container_id, now=app.now(), at=at)
        _show(view, household, as_json, history=True)


@stash.command("move")
@click.argument("container_id")
@click.option("--to", required=True, type=click.Choice(PLACES), help="Where it goes.")
@at_option()
@json_option
@pass_app
def move(app: App, container_id: str, to: str, at: str | None, as_json: bool) -> None:
    """Move a container (frozen milk taken out of the freezer starts thawing).

    Example: letdown stash move k3m9x2qa7d --to freezer
    """
    from letdown.services.stash import containers as service

    with app.session() as db:
        household = app.household(db)
        _show(service.move(db, household.id, container_id, to=to, now=app.now(), at=at), household, as_json)


@stash.command("thaw")
@click.argument("container_id", required=False)
@click.option("--location", type=click.Choice(PLACES), help="Thaw everything frozen there (freezer failure).")
@at_option("When it thawed (default: now); the clock runs from here, so if unsure give the earlier time.")
@click.option(
    "--in",
    "where",
    type=click.Choice([p.value for p in THAW_PLACES]),
    default="fridge",
    show_default=True,
    help="Where it thaws.",
)
@json_option
@pass_app
def thaw(
    app: App, container_id: str | None, location: str | None, at: str | None, where: str, as_json: bool
) -> None:
    """Thaw a frozen container, or everything frozen in one place.

    Example: letdown stash thaw k3m9x2qa7d --in fridge;  letdown stash thaw --location freezer --at -6h
    """
    from letdown.domain.errors import InvalidInput
    from letdown.services.stash import containers as service

    if container_id is not None and location is not None:
        raise InvalidInput("container_id", "give a container id or --location, not both")
    if container_id is None and location is None:
        raise InvalidInput("container_id", "give a container id, or --location to thaw a whole place")
    with app.session() as db:
        household = app.household(db)
        if container_id is not None:
            view = service.thaw(db, household.id, container_id, now=app.now(), at=at, where=where)
            _show(view, household, as_json)
            return
        assert location is not None
        result = service.thaw_location(db, household.id, location=location, now=app.now(), at=at, where=where)
    if as_json:
        print_json(
            {
                "thawed": [v.as_json(household.tz) for v in result.thawed],
                "skipped": [{"id": i, "reason": why} for i, why in result.skipped],
            }
        )
        return
    click.echo(f"Thawed {len(result.thawed)} container(s) in the {where}.")
    if result.thawed:
        click.echo(_table(result.thawed, household))
    for ident, why in result.skipped:
        click.echo(f"Skipped {ident}: {why}")


@stash.command("warm")
@click.argument("container_id")
@at_option("When it was warmed (default: now); the warmed-milk clock runs from here.")
@json_option
@pass_app
def warm(app: App, container_id: str, at: str | None, as_json: bool) -> None:
    """Milk warmed for a feed: the warmed-milk rule of the household's storage profile starts.

    Its clock runs from the warming, and warming never gives milk more time than it already
    had: thawed milk keeps its limit from the thaw, fridge milk its fridge limit, leftover milk
    its limit from the first feed. Frozen milk is thawed first.

    Example: letdown stash warm k3m9x2qa7d --at -10m
    """
    from letdown.services.stash import containers as service

    with app.session() as db:
        household = app.household(db)
        _show(service.warm(db, household.id, container_id, now=app.now(), at=at), household, as_json)


@stash.command("feed")
@click.argument("container_id")
@click.option("--finished", required=True, metavar="T", help="When the baby finished.")
@click.option("--started", metavar="T", help="When the feed started.")
@click.option("--leftover-ml", type=float, metavar="X", help="What the baby left, ml (it becomes leftover).")
@click.option("--leftover-oz", type=float, metavar="X", help="What the baby left, US fl oz.")
@json_option
@pass_app
def feed(
    app: App,
    container_id: str,
    finished: str,
    started: str | None,
    leftover_ml: float | None,
    leftover_oz: float | None,
    as_json: bool,
) -> None:
    """Record a feed from a container; what is left is leftover milk.

    Leftover milk follows the leftover rule of the household's storage profile, counted from the
    end of the feed.

    Example: letdown stash feed k3m9x2qa7d --finished -5m --leftover-ml 20
    """
    from letdown.services.stash import containers as service

    leftover = _volume(leftover_ml, leftover_oz, "leftover_ml")
    with app.session() as db:
        household = app.household(db)
        view = service.feed(
            db,
            household.id,
            container_id,
            finished=finished,
            started=started,
            leftover_ml=leftover,
            now=app.now(),
        )
        _show(view, household, as_json)


@stash.command("use")
@click.argument("container_id")
@at_option()
@json_option
@pass_app
def use(app: App, container_id: str, at: str | None, as_json: bool) -> None:
    """Mark a container as used up."""
    from letdown.services.stash import containers as service

    with app.session() as db:
        household = app.household(db)
        _show(service.use(db, household.id, container_id, now=app.now(), at=at), household, as_json)


@stash.command("discard")
@click.argument("container_id")
@at_option()
@click.option("--reason", metavar="TEXT", help="Why it was thrown away.")
@json_option
@pass_app
def discard(app: App, container_id: str, at: str | None, reason: str | None, as_json: bool) -> None:
    """Throw a container away (the only thing expired milk allows)."""
    from letdown.services.stash import containers as service

    with app.session() as db:
        household = app.household(db)
        view = service.discard(db, household.id, container_id, now=app.now(), at=at, reason=reason)
        _show(view, household, as_json)


@stash.command("split")
@click.argument("container_id")
@click.option("--ml", type=float, metavar="X", help="How much to pour out, ml.")
@click.option("--oz", type=float, metavar="X", help="How much to pour out, US fl oz.")
@at_option()
@click.option("--label", metavar="TEXT", help="A label for the new container.")
@json_option
@pass_app
def split(
    app: App,
    container_id: str,
    ml: float | None,
    oz: float | None,
    at: str | None,
    label: str | None,
    as_json: bool,
) -> None:
    """Pour part of a container into a new one that keeps its history.

    Example: letdown stash split k3m9x2qa7d --ml 60
    """
    from letdown.domain.errors import InvalidInput
    from letdown.services.stash import containers as service

    volume = _volume(ml, oz)
    if volume is None:
        raise InvalidInput("ml", "give the volume with --ml or --oz")
    with app.session() as db:
        household = app.household(db)
        old, new = service.split(db, household.id, container_id, ml=volume, now=app.now(), at=at, label=label)
    if as_json:
        print_json({"from": old.as_json(household.tz), "new": new.as_json(household.tz)})
    else:
        click.echo(_line(old, household))
        click.echo(_line(new, household))


@stash.command("next")
@at_option("Plan at T (default: now).")
@click.option("--count", type=click.IntRange(min=1), default=1, show_default=True, help="How many to show.")
@json_option
@pass_app
def next_(app: App, at: str | None, count: int, as_json: bool) -> None:
    """What to use first: thawed, leftover and fresh before frozen, nearest deadline first."""
    from letdown.services.stash import plan as stash_plan

    with app.session() as db:
        household = app.household(db)
        views = stash_plan.next_up(db, household.id, now=app.now(), at=at)[:count]
    if as_json:
        print_json([v.as_json(household.tz) for v in views])
    elif not views:
        click.echo("No usable milk in the stash.")
    else:
        click.echo("\n".join(_line(v, household) for v in views))


@stash.command("summary")
@at_option("Count at T (default: now).")
@json_option
@pass_app
def summary(app: App, at: str | None, as_json: bool) -> None:
    """Per place: containers, volume, and feeds at the baby's usual feed volume."""
    from letdown.domain.units import format_volume
    from letdown.services.stash import plan as stash_plan

    with app.session() as db:
        household = app.household(db)
        result = stash_plan.summary(db, household.id, now=app.now(), at=at)
    if as_json:
        print_json(result.as_json())
        return
    rows = [
        [
            p.location.value,
            str(p.containers),
            format_volume(p.ml, household.units),
            "-" if p.feeds is None else f"{p.feeds:g}",
            str(p.expired),
        ]
        for p in result.places
    ]
    click.echo(render_table(["where", "containers", "volume", "feeds", "expired"], rows))
    if result.note:
        hint = " Set it with: letdown init --usual-feed-ml X" if result.usual_feed_ml is None else ""
        click.echo(f"\n{result.note}{hint}")


def _base_url_setting() -> str | None:
    from letdown.config import settings

    return settings().base_url or None


@stash.command("label")
@click.argument("container_id")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write: .svg or .pdf.",
)
@click.option(
    "--base-url",
    default=_base_url_setting,
    metavar="URL",
    help="The web app's address (default $LETDOWN_BASE_URL): the QR code then opens the container.",
)
@pass_app
def label(app: App, container_id: str, out: Path, base_url: str | None) -> None:
    """Write a printable label: volume, expressed, use-by, and a QR code of the container.

    Example: letdown stash label k3m9x2qa7d --out label.pdf --base-url https://milk.example.org
    """
    from letdown.render.labels import label_text, write_label
    from letdown.services.stash import containers as service

    with app.session() as db:
        household = app.household(db)
        view = service.get(db, household.id, container_id, now=app.now())
    kind = write_label(label_text(view, household.tz, household.units, base_url), out)
    click.echo(f"Wrote the {kind.upper()} label of container {container_id} to {out}.")


stash.add_command(limits)
