"""``letdown import-babybuddy`` and ``letdown push-babybuddy``: interop with a Baby Buddy server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from letdown.cli.common import App, json_option, pass_app, print_json


def server_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option(
            "--url",
            required=True,
            metavar="URL",
            help="The Baby Buddy server, e.g. http://babybuddy.local:8000",
        ),
        click.option(
            "--token",
            required=True,
            envvar="BABYBUDDY_TOKEN",
            metavar="KEY",
            help="Baby Buddy API key (or set BABYBUDDY_TOKEN).",
        ),
        click.option(
            "--child", type=int, metavar="ID", help="Baby Buddy child id (default: the only child)."
        ),
        click.option(
            "--units",
            type=click.Choice(["ml", "oz"]),
            help="Unit of Baby Buddy's amounts (it stores none; default: the household's).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.command("import-babybuddy")
@server_options
@json_option
@pass_app
def import_babybuddy(
    app: App, url: str, token: str, child: int | None, units: str | None, as_json: bool
) -> None:
    """Import Baby Buddy's pumping entries (and feedings from a breast with an amount) as sessions.

    Entries imported before are skipped, so it is safe to run again.

    Example: letdown import-babybuddy --url http://babybuddy.local:8000 --token KEY
    """
    from letdown.services.integrations import babybuddy

    with app.session() as db:
        report = babybuddy.import_entries(
            db, app.household(db).id, url=url, token=token, now=app.now(), units=units, child=child
        )
    if as_json:
        print_json(report.as_json())
        return
    i, a = report.imported, report.already
    click.echo(
        f"Imported {i['pumping']} pumping and {i['feeding']} feeding entries from {report.server} "
        f"({a['pumping'] + a['feeding']} already imported, {len(report.skipped)} skipped)."
    )
    for kind, remote, why in report.skipped:
        click.echo(f"  skipped {kind} #{remote}: {why}")


@click.command("push-babybuddy")
@server_options
@json_option
@pass_app
def push_babybuddy(
    app: App, url: str, token: str, child: int | None, units: str | None, as_json: bool
) -> None:
    """Send sessions not yet on Baby Buddy to its /api/pumping/ endpoint (sample data never).

    What was sent is remembered, so a second run sends only new sessions.

    Example: letdown push-babybuddy --url http://babybuddy.local:8000 --token KEY --child 1
    """
    from letdown.services.integrations import babybuddy

    with app.session() as db:
        report = babybuddy.push_sessions(
            db, app.household(db).id, url=url, token=token, now=app.now(), units=units, child=child
        )
    if as_json:
        print_json(report.as_json())
        return
    click.echo(
        f"Sent {len(report.pushed)} sessions to {report.server} ({report.already} were there already)."
    )
