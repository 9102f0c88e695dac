"""``letdown init``, ``letdown household`` and ``letdown baby``."""

from __future__ import annotations

import click

from letdown.cli.common import App, UserError, json_option, pass_app, print_json, render_table
from letdown.domain.choices import FEEDING_MODE_LABELS, FeedingMode, StorageProfile, Units, values

FEEDING_HELP = (
    "How your baby feeds: "
    + "; ".join(f"{mode.value} = {label}" for mode, label in FEEDING_MODE_LABELS.items())
    + ". It decides whether 8-10 sessions a day is a target for you [nhs-expressing]; 'none' clears it."
)


def _describe(h: object, mode: FeedingMode | None, note: str) -> str:
    from letdown.services.accounts.households import HouseholdView

    assert isinstance(h, HouseholdView)
    from letdown.guidance.rules import profiles

    feed = f"{h.usual_feed_ml:g} ml" if h.usual_feed_ml else "not set"
    profile = profiles()[h.storage_profile]
    feeding = FEEDING_MODE_LABELS[mode] if mode is not None else "not said (letdown init --feeding ...)"
    return (
        f"Household {h.id}: {h.name}\n"
        f"  time zone {h.timezone} · units {h.units.value} · storage profile {h.storage_profile.value}"
        f" · usual feed {feed}\n"
        f"  storage rules: {profile.name}. {profile.text}\n"
        f"  in an emergency, triage says to call: {h.number_to_call}"
        f" (country {h.country or 'not set'}; own number {h.emergency_number or 'not set'})\n"
        f"  feeding: {feeding}\n"
        f"  {note}"
    )


def _feeding(db: object, household_id: str) -> tuple[FeedingMode | None, str, dict[str, object]]:
    """The household's feeding mode, how the frequency figures read for it, and the rule as JSON."""
    from letdown.domain.reminders import targets
    from letdown.services.schedule import settings as household_settings

    mode = household_settings.feeding_mode(db, household_id)  # type: ignore[arg-type]
    t = targets()
    return mode, t.frequency_note(mode), t.rule(mode).as_json()


@click.command()
@click.option("--name", help="The household's name.")
@click.option("--timezone", metavar="Area/City", help="IANA time zone (default: this machine's).")
@click.option("--units", type=click.Choice(values(Units)), help="Show volumes in ml or US fl oz.")
@click.option(
    "--storage-profile",
    type=click.Choice(values(StorageProfile)),
    help="Storage rules: cdc (default), abm, or custom (your baby's unit's limits).",
)
@click.option("--usual-feed-ml", type=float, metavar="X", help="The baby's usual feed, ml (for the stash).")
@click.option(
    "--country",
    metavar="CODE",
    help="Two-letter country code, like GB or US: gives triage's emergency number (an unknown "
    "code lists the known ones). Empty clears it.",
)
@click.option(
    "--emergency-number",
    metavar="N",
    help="The number triage tells you to call in an emergency (wins over the country's). Empty clears it.",
)
@click.option("--feeding", type=click.Choice([*values(FeedingMode), "none"]), help=FEEDING_HELP)
@json_option
@pass_app
def init(
    app: App,
    name: str | None,
    timezone: str | None,
    units: str | None,
    storage_profile: str | None,
    usual_feed_ml: float | None,
    country: str | None,
    emergency_number: str | None,
    feeding: str | None,
    as_json: bool,
) -> None:
    """Set up the household (or change its settings); every option is optional.

    Example: letdown init --name "The Okafors" --timezone Europe/London --units ml --feeding exclusive
    """
    from letdown.services.accounts import households
    from letdown.services.schedule import settings as household_settings

    with app.session() as db:
        current = app.household(db)
        view = households.update(
            db,
            current.id,
            name=name,
            timezone=timezone,
            units=units,
            storage_profile=storage_profile,
            usual_feed_ml=usual_feed_ml,
            country=country,
            emergency_number=emergency_number,
        )
        if feeding is not None:
            household_settings.set_feeding_mode(
                db, current.id, None if feeding == "none" else feeding, now=app.now()
            )
        mode, note, rule = _feeding(db, current.id)
    if as_json:
        print_json({**view.as_json(), "feeding_mode": rule["feeding_mode"], "frequency": rule, "note": note})
    else:
        click.echo(_describe(view, mode, note))


@click.command()
@json_option
@pass_app
def household(app: App, as_json: bool) -> None:
    """Show the household and its settings (how the baby feeds: set it with letdown init --feeding)."""
    with app.session() as db:
        view = app.household(db)
        mode, note, rule = _feeding(db, view.id)
    if as_json:
        print_json({**view.as_json(), "feeding_mode": rule["feeding_mode"], "frequency": rule, "note": note})
    else:
        click.echo(_describe(view, mode, note))


@click.group()
def baby() -> None:
    """The household's babies (a session knows the baby's age in days)."""


@baby.command("add")
@click.option("--name", required=True, help="The baby's name.")
@click.option("--born", metavar="YYYY-MM-DD", help="Birth date.")
@click.option("--due", metavar="YYYY-MM-DD", help="Due date (before birth, or for a preterm baby).")
@json_option
@pass_app
def baby_add(app: App, name: str, born: str | None, due: str | None, as_json: bool) -> None:
    """Add a baby.

    Example: letdown baby add --name Ada --born 2026-11-01
    """
    from letdown.domain.timeparse import parse_date
    from letdown.services.accounts import households

    birth = parse_date(born, field="birth_date") if born else None
    due_date = parse_date(due, field="due_date") if due else None
    with app.session() as db:
        current = app.household(db)
        view = households.add_baby(
            db, current.id, name=name, birth_date=birth, due_date=due_date, now=app.now()
        )
    if as_json:
        print_json(view.as_json())
    else:
        click.echo(f"Added {view.name} ({view.id}).")


@baby.command("edit")
@click.argument("baby_id", metavar="ID")
@click.option("--name", help="The baby's name.")
@click.option("--born", metavar="YYYY-MM-DD", help="Birth date ('' to clear it, keeping a due date).")
@click.option("--due", metavar="YYYY-MM-DD", help="Due date ('' to clear it).")
@json_option
@pass_app
def baby_edit(
    app: App, baby_id: str, name: str | None, born: str | None, due: str | None, as_json: bool
) -> None:
    """Change a baby's name, birth date or due date.

    Example: letdown baby edit k3m9x2qa7d --born 2026-11-03
    """
    from letdown.domain.timeparse import parse_date
    from letdown.services.accounts import lifecycle

    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = name
    if born is not None:
        changes["birth_date"] = parse_date(born, field="birth_date") if born.strip() else None
    if due is not None:
        changes["due_date"] = parse_date(due, field="due_date") if due.strip() else None
    if not changes:
        raise UserError("nothing to change: give --name, --born or --due")
    with app.session() as db:
        view = lifecycle.edit_baby(db, app.household(db).id, baby_id, now=app.now(), **changes)
    if as_json:
        print_json(view.as_json())
    else:
        click.echo(f"Changed {view.name} ({view.id}).")


@baby.command("remove")
@click.argument("baby_id", metavar="ID")
@click.option("--yes", is_flag=True, help="Do not ask.")
@pass_app
def baby_remove(app: App, baby_id: str, yes: bool) -> None:
    """Remove a baby. Their logged sessions stay in the log, no longer linked to a baby.

    Example: letdown baby remove k3m9x2qa7d
    """
    from letdown.services.accounts import lifecycle

    with app.session() as db:
        household_id = app.household(db).id
        notice = lifecycle.removal_notice(db, household_id, baby_id)
        if not yes:
            click.confirm(f"Remove baby {baby_id}? {notice}", abort=True, err=True)
        lifecycle.remove_baby(db, household_id, baby_id)
    click.echo(f"Removed baby {baby_id}. {notice}")


@baby.command("list")
@json_option
@pass_app
def baby_list(app: App, as_json: bool) -> None:
    """List the household's babies."""
    from letdown.services.accounts import households

    with app.session() as db:
        current = app.household(db)
        views = households.list_babies(db, current.id)
    if as_json:
        print_json([v.as_json() for v in views])
        return
    if not views:
        click.echo("No babies yet. Add one with: letdown baby add --name NAME --born YYYY-MM-DD")
        return
    rows = [[v.id, v.name, str(v.birth_date or "-"), str(v.due_date or "-")] for v in views]
    click.echo(render_table(["id", "name", "born", "due"], rows))


@click.command()
@click.option("--remove", is_flag=True, help="Delete the sample data (and only it).")
@json_option
@pass_app
def demo(app: App, remove: bool, as_json: bool) -> None:
    """Fill the household with a realistic month of sample data, marked as demo and removable.

    Example: letdown demo            (then: letdown stats --days 30; later: letdown demo --remove)
    """
    from letdown.domain.errors import Refused
    from letdown.services.portability import demo as demo_service

    with app.session() as db:
        current = app.household(db)
        if remove:
            summary = demo_service.remove(db, current.id)
        else:
            try:
                summary = demo_service.seed(db, current.id, now=app.now())
            except Refused as exc:
                raise UserError(
                    f"{exc}.\nTo try letdown with sample data, use a separate database:\n"
                    "  letdown --db demo.db init --name Demo\n"
                    "  letdown --db demo.db demo\n"
                    "  letdown --db demo.db serve --port 8001    (then open http://127.0.0.1:8001)"
                ) from None
    if as_json:
        print_json({"removed" if remove else "added": summary.as_json()})
    elif remove:
        click.echo(f"Removed the sample data: {summary.sessions} sessions, {summary.containers} containers.")
    else:
        click.echo(
            f"Added a month of sample data: {summary.sessions} sessions and {summary.containers} "
            "containers, marked demo.\n"
            "Try: letdown stats --days 14 · letdown stash list · remove it with: letdown demo --remove"
        )
