"""``letdown user add``: the password comes from a prompt or standard input, never argv."""

from __future__ import annotations

from sqlalchemy import select

from letdown.cli.user import user_add
from letdown.services.accounts import users as accounts
from letdown.store.models import Membership, User


def test_user_add_reads_the_password_from_stdin_and_joins_the_household(run, db_url, now):
    from letdown.store.db import Store

    store = Store(db_url)
    result = run("user", "add", "Sam@Example.org", "--role", "caregiver", input="correct horse battery\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Added sam@example.org to My household as caregiver.\n"
    with store.session() as db:
        user = db.scalars(select(User)).one()
        assert user.password_hash.startswith("$argon2id$")
        assert db.scalars(select(Membership.role)).one() == "caregiver"
        assert accounts.sign_in(
            db, email="sam@example.org", password="correct horse battery", address="x", now=now
        )
    store.dispose()


def test_user_add_has_no_password_option(run):
    assert not any("pass" in opt for p in user_add.params for opt in getattr(p, "opts", []))
    result = run("user", "add", "sam@example.org", "--password", "x", input="correct horse battery\n")
    assert result.exit_code == 2 and "No such option '--password'" in result.output


def test_user_add_refuses_a_short_password_and_a_second_account(run):
    result = run("user", "add", "sam@example.org", input="short\n")
    assert result.exit_code == 2
    assert "Error: password: must be at least 10 characters, got 5" in result.output
    assert run("user", "add", "sam@example.org", input="correct horse battery\n").exit_code == 0
    again = run("user", "add", "sam@example.org", input="correct horse battery\n")
    assert again.exit_code == 2
    assert "Error: An account for sam@example.org already exists; sign in instead" in again.output


def test_user_add_without_a_password_on_stdin_fails(run):
    result = run("user", "add", "sam@example.org", input="")
    assert result.exit_code == 2 and "Error: no password on standard input" in result.output
