"""The import contracts of tools/import_contracts.py (run by ``make lint``) hold, and the checker
catches a broken one: a layer imported upwards, web reaching into api.routes, a cycle made by an
import inside a function."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _checker():
    spec = importlib.util.spec_from_file_location("import_contracts", ROOT / "tools" / "import_contracts.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "letdown" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(tmp_path).parents:
            init = tmp_path / parent / "__init__.py"
            if parent != Path(".") and not init.exists():
                init.write_text("")
        path.write_text(text)
    return tmp_path


def test_letdowns_imports_keep_every_contract():
    assert _checker().problems() == []


def test_a_domain_module_importing_a_service_is_refused(tmp_path):
    src = _tree(
        tmp_path,
        {"domain/rule.py": "from letdown.services import use\n", "services/use.py": "X = 1\n"},
    )
    checker = _checker()
    checker.PENDING = set()
    assert checker.problems(src) == ["layer: letdown.domain.rule imports letdown.services.use"]


def test_web_reaching_into_api_routes_is_refused(tmp_path):
    src = _tree(
        tmp_path,
        {"web/page.py": "from letdown.api.routes.coach import X\n", "api/routes/coach.py": "X = 1\n"},
    )
    checker = _checker()
    checker.PENDING = set()
    assert checker.problems(src) == ["layer: letdown.web.page imports letdown.api.routes.coach"]


def test_a_cycle_through_a_function_level_import_is_refused(tmp_path):
    src = _tree(
        tmp_path,
        {
            "services/a.py": "from letdown.services import b\n",
            "services/b.py": "def f():\n    from letdown.services import a\n    return a\n",
        },
    )
    checker = _checker()
    checker.PENDING = set()
    assert checker.problems(src) == ["cycle: letdown.services.a <-> letdown.services.b"]


def test_a_pending_exception_that_is_gone_must_be_removed(tmp_path):
    src = _tree(tmp_path, {"domain/rule.py": "X = 1\n"})
    checker = _checker()
    checker.PENDING = {("letdown.domain.rule", "letdown.guidance.library")}
    assert checker.problems(src) == [
        "stale PENDING entry (remove it): letdown.domain.rule -> letdown.guidance.library"
    ]
