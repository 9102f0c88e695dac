"""Start-up stays light: a command loads only the models and libraries it needs."""

import json
import subprocess
import sys

PROBE = """
import json, sys
from letdown.cli.main import cli
try:
    cli(sys.argv[1:], standalone_mode=False)
finally:
    loaded = sorted(m for m in sys.modules if m.startswith(("letdown.", "fastapi", "yaml", "jinja2")))
    print("\\nLOADED " + json.dumps(loaded), file=sys.stderr)
"""


def loaded_by(*args: str, env_home: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env={"LETDOWN_HOME": env_home, "PATH": "/usr/bin:/bin"},
        check=True,
    )
    line = [x for x in result.stderr.splitlines() if x.startswith("LOADED ")][-1]
    return json.loads(line.removeprefix("LOADED "))


def test_log_list_loads_only_the_log_models_and_no_web_stack(tmp_path):
    loaded_by("log", "list", env_home=str(tmp_path))  # the first run creates and migrates the database
    loaded = loaded_by("log", "list", "--json", env_home=str(tmp_path))
    models = {m.rsplit(".", 1)[1] for m in loaded if m.startswith("letdown.store.models.")}
    assert models <= {"base", "household", "session"}
    assert not [m for m in loaded if m.startswith(("fastapi", "jinja2", "letdown.web", "letdown.api"))]


def test_help_loads_no_database_code(tmp_path):
    loaded = loaded_by("--help", env_home=str(tmp_path))
    assert not [
        m for m in loaded if m.startswith(("letdown.store", "letdown.services", "letdown.guidance", "yaml"))
    ]
    assert "letdown.domain.storage" not in loaded
