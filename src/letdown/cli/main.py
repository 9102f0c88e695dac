"""The ``letdown`` command line."""

from __future__ import annotations

import importlib

import click

from letdown import __version__
from letdown.cli.common import App, UserError

# Each entry: command name -> "module:attribute". Modules load only when their command runs
# (or when --help lists them), so start-up stays fast.
COMMANDS: dict[str, str] = {
    "init": "letdown.cli.household:init",
    "household": "letdown.cli.household:household",
    "baby": "letdown.cli.household:baby",
    "demo": "letdown.cli.household:demo",
    "log": "letdown.cli.log:log",
    "stash": "letdown.cli.stash:stash",
    "stats": "letdown.cli.log:stats",
    "token": "letdown.cli.admin:token",
    "db": "letdown.cli.admin:db",
    "serve": "letdown.cli.admin:serve",
    "user": "letdown.cli.user:user",
    "guide": "letdown.cli.guide:guide",
    "triage": "letdown.cli.triage:triage",
    "coach": "letdown.cli.coach:coach",
    "export": "letdown.cli.portability:export",
    "import": "letdown.cli.portability:import_",
    "due": "letdown.cli.reminders:due",
    "reminders": "letdown.cli.reminders:reminders",
    "calendar": "letdown.cli.reminders:calendar",
    "report": "letdown.cli.report:report",
    "backup": "letdown.cli.backup:backup",
    "restore": "letdown.cli.backup:restore",
    "import-babybuddy": "letdown.cli.babybuddy:import_babybuddy",
    "push-babybuddy": "letdown.cli.babybuddy:push_babybuddy",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use; domain errors become ``Error:`` exit 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module, attr = COMMANDS[cmd_name].split(":")
            command: click.Command = getattr(importlib.import_module(module), attr)
            return command
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> object:
        from letdown.domain.errors import LetdownError

        try:
            return super().invoke(ctx)
        except LetdownError as exc:
            raise UserError(str(exc)) from None
        except Exception as exc:
            if type(exc).__name__ == "OperationalError":
                from letdown.store.db import is_busy

                if is_busy(exc):
                    raise UserError(
                        "the database is busy with another change; try again in a few seconds"
                    ) from None
            raise


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="letdown")
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    help="Database URL or SQLite file (default: $LETDOWN_DATABASE_URL, else $LETDOWN_HOME/letdown.db).",
)
@click.option("--household", "household_id", metavar="ID", help="Household to act on (default: the first).")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None, household_id: str | None) -> None:
    """letdown: log expression sessions, keep the milk stash safe, and learn hand expression.

    Times are ISO 8601 (with an offset they mean that instant, without one the household's
    time zone), or 'now', or relative like -30m, -2h, -1d.
    """
    ctx.obj = App(db_url, household_id)


def run() -> None:
    cli(prog_name="letdown")
