"""What every command shares: the app context, ``--json``, output and error mapping.

Heavy modules (SQLAlchemy, the services) are imported inside commands so that
``letdown --help`` starts fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from letdown.services.accounts.households import HouseholdView
    from letdown.store.db import Store

F = TypeVar("F", bound=Callable[..., Any])

INVALID = 2  # exit code for invalid input or a refused action


class UserError(click.ClickException):
    """Printed as ``Error: ...`` on stderr with exit code 2."""

    exit_code = INVALID


class App:
    """The database and household a command works on."""

    def __init__(self, db_url: str | None, household_id: str | None) -> None:
        self.db_url = db_url
        self.household_id = household_id

    @cached_property
    def store(self) -> Store:
        from letdown.config import database_url
        from letdown.store.db import Store

        return Store(database_url(self.db_url))

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.store.session() as db:
            yield db

    def now(self) -> datetime:
        return datetime.now(UTC)

    def household(self, db: Session) -> HouseholdView:
        from letdown.services.accounts import households

        if self.household_id:
            return households.get(db, self.household_id)
        return households.default(db, now=self.now())


pass_app = click.make_pass_decorator(App)


def json_option(func: F) -> F:
    """``--json``: print the API's JSON shape instead of text for people."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON (the API's shape).")(func)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def render_table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain aligned table; numbers are right-aligned."""
    if not rows:
        return ""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            numeric = cell[:1].isdigit() and i > 0
            out.append(cell.rjust(widths[i]) if numeric else cell.ljust(widths[i]))
        return "  ".join(out).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(INVALID)
