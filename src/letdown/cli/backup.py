"""``letdown backup`` and ``letdown restore``: a consistent copy of the database, and back."""

from __future__ import annotations

from pathlib import Path

import click

from letdown.cli.common import App, UserError, pass_app


def _sqlite_file(app: App) -> Path:
    from letdown.config import database_url
    from letdown.files import sqlite_path
    from letdown.store.backup import pg_guidance

    url = database_url(app.db_url)
    path = sqlite_path(url)
    if path is None:
        if url.startswith("postgresql"):
            raise UserError(pg_guidance(url))
        raise UserError("letdown backup copies SQLite database files only")
    return path


@click.command("backup")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="A new file, or a folder to put letdown-DATE-TIME.db in (default: backups/ beside the database).",
)
@click.option(
    "--keep",
    type=click.IntRange(1, 10000),
    help="Then delete all but the KEEP newest letdown-*.db in that folder (for a nightly job).",
)
@pass_app
def backup(app: App, out: Path | None, keep: int | None) -> None:
    """Copy the SQLite database safely, even while `letdown serve` is writing to it.

    The copy is one consistent snapshot (SQLite's online backup API), private (0600), and
    checked with SQLite's integrity check before this command says it is done. An existing file
    is never overwritten. For PostgreSQL, use pg_dump (the command says how).

    \b
    Examples:
      letdown backup
      letdown backup --out /mnt/usb/letdown/ --keep 14
    """
    from letdown.store import backup as backups

    db_path = _sqlite_file(app)
    result = backups.backup(db_path, out, now=app.now())
    click.echo(f"Backed up {db_path} to {result.path} ({result.bytes // 1024} KB, integrity check ok)")
    if keep is not None:
        gone = backups.prune(result.path.parent, keep)
        if gone:
            click.echo(f"Deleted {len(gone)} older backup{'s' if len(gone) != 1 else ''}, kept {keep}")


@click.command("restore")
@click.argument("backup_file", metavar="BACKUP", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@pass_app
def restore(app: App, backup_file: Path, yes: bool) -> None:
    """Put a backup made by `letdown backup` in place of the database.

    The backup is checked first (SQLite's integrity check, a letdown schema no newer than this
    letdown). The current database is kept beside it as letdown.db.before-restore-DATE-TIME,
    and an older backup is brought up to the current schema. Stop `letdown serve` first so no
    one is signed in to data that is about to change.

    Example: letdown restore ~/.local/share/letdown/backups/letdown-20261130-031500.db
    """
    from letdown.store import backup as backups
    from letdown.store.db import make_engine, upgrade

    db_path = _sqlite_file(app)
    if db_path.exists() and db_path.stat().st_size > 0 and not yes:
        click.confirm(
            f"Replace {db_path} with {backup_file}? Everything written since that backup is set aside "
            "(kept in a .before-restore file)",
            abort=True,
            err=True,
        )
    kept = backups.restore(backup_file, db_path, now=app.now(), known_revisions=backups.known_revisions())
    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    engine.dispose()
    click.echo(f"Restored {backup_file} into {db_path}")
    if kept is not None:
        click.echo(f"The database as it was is kept at {kept}")
