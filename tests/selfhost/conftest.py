"""Self-hosting tests reuse the command-line tests' ``run`` fixture (a CliRunner on ``--db``)."""

from tests.cli.conftest import run  # noqa: F401
