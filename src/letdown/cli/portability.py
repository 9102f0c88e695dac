"""``letdown export`` and ``letdown import``: the whole household to a file and back."""

from __future__ import annotations

from pathlib import Path

import click

from letdown.cli.common import App, json_option, pass_app, print_json


@click.command("export")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=True, path_type=Path),
    help="Where to write: a .json file, or for CSV a folder or a .zip file. '-' prints the JSON.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv"]),
    default="json",
    show_default=True,
    help="json: one versioned file that `letdown import` reads. csv: one file per table.",
)
@pass_app
def export(app: App, out: Path, fmt: str) -> None:
    """Write the whole household (settings, babies, sessions, stash with its history) to a file.

    The JSON is versioned and stable: the same data always gives the same file. CSV writes one
    file per table (household.csv, sessions.csv, containers.csv, events.csv...) into a folder,
    or into a zip when --out ends in .zip. Tokens, passwords and share links are never written.

    Example: letdown export --out letdown-backup.json
    """
    from letdown.services.portability import archive as portability

    with app.session() as db:
        household = app.household(db)
        data = portability.export_household(db, household.id)
    if fmt == "csv":
        if str(out) == "-":
            raise click.UsageError("CSV needs a folder or a .zip file for --out")
        names = portability.write_csv(data, out)
        click.echo(f"Wrote {len(names)} CSV files to {out}: {', '.join(names)}")
        return
    text = portability.dumps(data)
    if str(out) == "-":
        click.echo(text, nl=False)
        return
    from letdown.files import write_private

    write_private(out, text)
    singular = {"babies": "baby", "sessions": "session", "containers": "container"}
    counts = ", ".join(
        f"{len(data[key])} {key if len(data[key]) != 1 else singular[key]}"
        for key in ("babies", "sessions", "containers")
        if key in data
    )
    click.echo(f"Wrote {out} ({counts})")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--merge", is_flag=True, help="Add to a home that has data; rows already there are skipped.")
@json_option
@pass_app
def import_(app: App, file: Path, merge: bool, as_json: bool) -> None:
    """Restore a file from `letdown export` into an empty home (all or nothing).

    A home that already holds data is refused unless --merge: then rows whose id is already
    there are skipped and counted, and the home keeps its own settings. A file that is not a
    letdown export, or that breaks a rule, is refused with the reason and changes nothing.

    Example: letdown import letdown-backup.json
    """
    from sqlalchemy import select

    from letdown.services.portability import archive as portability
    from letdown.store.models import Household

    data = portability.read_file(file)
    with app.session() as db:
        target = (
            app.household_id
            or db.scalars(select(Household.id).order_by(Household.created_at, Household.id).limit(1)).first()
        )
        result = portability.import_household(
            db, data, now=app.now(), household_id=target, merge=merge, name=str(file)
        )
    if as_json:
        print_json(result.as_json())
        return
    verb = "Merged" if result.merged else "Imported"
    parts = [f"{n} {key}" for key, n in result.added.items() if key not in SETTINGS and n]
    click.echo(f"{verb} {file} into household {result.household_id}: {', '.join(parts) or 'nothing new'}")
    skipped = [f"{n} {key}" for key, n in result.skipped.items() if n and key not in SETTINGS]
    if skipped:
        click.echo(f"Skipped (already there): {', '.join(skipped)}")
    if result.merged:
        click.echo("The home kept its own settings.")


SETTINGS = ("household", "household_settings")
