"""``letdown stash limits``: the limits a baby's hospital or unit gave (custom storage profile)."""

from __future__ import annotations

import click

from letdown.cli.common import App, json_option, pass_app, print_json


@click.group("limits", invoke_without_command=True)
@json_option
@click.pass_context
def limits(ctx: click.Context, as_json: bool) -> None:
    """The limits your baby's hospital or unit gave (the custom storage profile).

    Cases: fresh-room, fresh-fridge, fresh-freezer, fresh-cooler, thawed-room,
    thawed-fridge, thawed-cooler, leftover. A case left blank follows the CDC rule.
    """
    if ctx.invoked_subcommand is None:
        app = ctx.find_object(App)
        assert app is not None  # the group's callback made it (cli/main.py)
        _print_limits(app, as_json)


def _print_limits(app: App, as_json: bool) -> None:
    from letdown.services.stash import limits as storage_limits

    with app.session() as db:
        household = app.household(db)
        entered = storage_limits.limits(db, household.id)
    if as_json:
        print_json({"storage_profile": household.storage_profile.value, "limits": entered})
        return
    click.echo(f"Storage profile: {household.storage_profile.value}")
    if household.storage_profile.value != "custom":
        click.echo("These limits apply once the profile is custom: letdown init --storage-profile custom")
    if not entered:
        click.echo("No unit limits entered; every case follows the CDC rule.")
    for case, limit in entered.items():
        extra = "".join(
            f", {k.replace('_', ' ')} {v}" for k, v in limit.items() if k not in ("unit", "use_by")
        )
        click.echo(f"  {case}: use by {limit['use_by']} {limit['unit']}{extra}")


@limits.command("set")
@click.argument("case")
@click.option(
    "--unit", required=True, type=click.Choice(["hours", "days", "months"]), help="Unit of the limits."
)
@click.option("--use-by", required=True, type=int, metavar="N", help="The deadline.")
@click.option("--use-soon-after", type=int, metavar="N", help="When 'use soon' starts.")
@click.option("--best-within", type=int, metavar="N", help="Best quality until.")
@json_option
@pass_app
def limits_set(
    app: App,
    case: str,
    unit: str,
    use_by: int,
    use_soon_after: int | None,
    best_within: int | None,
    as_json: bool,
) -> None:
    """Enter the unit's limit for one case.

    Example: letdown stash limits set fresh-fridge --unit days --use-by 2
    """
    from letdown.services.stash import limits as storage_limits

    limit = {"unit": unit, "use_by": use_by, "use_soon_after": use_soon_after, "best_within": best_within}
    with app.session() as db:
        household = app.household(db)
        storage_limits.set_limit(db, household.id, case, limit, now=app.now())
    _print_limits(app, as_json)


@limits.command("clear")
@click.argument("case")
@json_option
@pass_app
def limits_clear(app: App, case: str, as_json: bool) -> None:
    """Forget the unit's limit for one case (the CDC rule applies to it again)."""
    from letdown.services.stash import limits as storage_limits

    with app.session() as db:
        household = app.household(db)
        storage_limits.clear_limit(db, household.id, case)
    _print_limits(app, as_json)
