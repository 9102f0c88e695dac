"""`letdown user passwd EMAIL`: a new password from standard input, every browser signed out."""

from __future__ import annotations

from datetime import UTC, datetime

from letdown.services.accounts import users as accounts
from letdown.store.db import Store

OLD, NEW = "correct horse battery", "a brand new passphrase"


def test_user_passwd_reads_stdin_sets_the_password_and_signs_out_every_browser(run) -> None:
    run.json("init", "--name", "Okafor")
    assert run("user", "add", "ada@example.org", input=f"{OLD}\n").exit_code == 0
    store = Store(run.db_url if "://" in run.db_url else f"sqlite:///{run.db_url}")
    now = datetime.now(UTC)
    with store.session() as db:
        accounts.sign_in(db, email="ada@example.org", password=OLD, address="127.0.0.1", now=now)
        accounts.sign_in(db, email="ada@example.org", password=OLD, address="127.0.0.1", now=now)
    result = run("user", "passwd", "Ada@Example.org", input=f"{NEW}\n")
    assert result.exit_code == 0, result.output
    assert "New password set for ada@example.org; 2 signed-in browsers signed out." in result.output
    with store.session() as db:
        assert accounts.sign_in(db, email="ada@example.org", password=NEW, address="127.0.0.1", now=now)
    store.dispose()


def test_user_passwd_refusals_change_nothing(run) -> None:
    run.json("init", "--name", "Okafor")
    run("user", "add", "ada@example.org", input=f"{OLD}\n")
    unknown = run("user", "passwd", "nobody@example.org", input=f"{NEW}\n")
    assert unknown.exit_code == 2 and "No account with id 'nobody@example.org'" in unknown.output
    short = run("user", "passwd", "ada@example.org", input="short\n")
    assert short.exit_code == 2 and "password" in short.output
    empty = run("user", "passwd", "ada@example.org", input="")
    assert empty.exit_code == 2 and "Error: no password on standard input" in empty.output
    nul = run("user", "passwd", "ada@example.org", input="abc\x00defghijkl\n")
    assert nul.exit_code == 2
