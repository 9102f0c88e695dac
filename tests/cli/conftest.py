from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner, Result

from letdown.cli.main import cli


class Cli:
    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self.runner.invoke(cli, ["--db", self.db_url, *args], input=input, catch_exceptions=False)

    def json(self, *args: str) -> Any:
        result = self(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def run(db_url: str) -> Cli:
    return Cli(db_url)
