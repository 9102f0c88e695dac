"""``letdown user``: web accounts, added from the command line (for closed sign-up)."""

from __future__ import annotations

import sys

import click

from letdown.cli.common import App, UserError, json_option, pass_app, print_json, render_table
from letdown.domain.choices import Role, values


@click.group()
def user() -> None:
    """Accounts that sign in to the web app (see LETDOWN_SIGNUP=closed)."""


def _read_password() -> str:
    """From a hidden prompt on a terminal (asked twice), else the first line of standard input."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    if not line:
        raise UserError("no password on standard input")
    return line.rstrip("\r\n")


@user.command("add")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(values(Role)),
    default=Role.OWNER.value,
    show_default=True,
    help="owner: everything; caregiver: the stash and feeds; viewer: read-only.",
)
@json_option
@pass_app
def user_add(app: App, email: str, role: str, as_json: bool) -> None:
    """Add an account to the household (--household, else the first), with its role.

    The password is read from a hidden prompt, or from standard input when it is not a
    terminal; never from the command line, where other users and the shell history see it.

    Example: printf '%s\\n' "$PASSWORD" | letdown user add ada@example.org --role caregiver
    """
    from letdown.services.accounts import users as accounts

    password = _read_password()
    with app.session() as db:
        household = app.household(db)
        view = accounts.add_user(db, household.id, email=email, password=password, role=role, now=app.now())
    if as_json:
        print_json({"id": view.id, "email": view.email, "household_id": household.id, "role": role})
    else:
        click.echo(f"Added {view.email} to {household.name} as {role}.")


@user.command("list")
@json_option
@pass_app
def user_list(app: App, as_json: bool) -> None:
    """List the household's members."""
    from letdown.services.accounts import members

    with app.session() as db:
        household = app.household(db)
        rows = members.list_members(db, household.id)
    if as_json:
        print_json([{"id": m.user_id, "email": m.email, "role": m.role.value} for m in rows])
        return
    click.echo(render_table(["email", "role"], [[m.email, m.role.value] for m in rows]) or "No members yet.")


@user.command("passwd")
@click.argument("email")
@pass_app
def user_passwd(app: App, email: str) -> None:
    """Set a new password for an account; every browser signed in as it is signed out.

    For a forgotten password: whoever runs the server sets a new one and tells its owner. The
    password is read from a hidden prompt (asked twice), or from the first line of standard
    input when it is not a terminal; never from the command line.

    Example: printf '%s\\n' "$NEW_PASSWORD" | letdown user passwd ada@example.org
    """
    from letdown.services.accounts import lifecycle

    password = _read_password()
    with app.session() as db:
        signed_out = lifecycle.set_password(db, email, password, now=app.now())
    browsers = "browser" if signed_out == 1 else "browsers"
    click.echo(f"New password set for {email.strip().lower()}; {signed_out} signed-in {browsers} signed out.")
