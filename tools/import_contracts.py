"""letdown's import contracts, checked by ``make lint`` (and by tests/unit/test_import_contracts.py).

Every ``import`` in ``src/letdown`` counts, the ones inside functions and ``TYPE_CHECKING`` blocks
included. The contracts:

1. Layers, outermost first: interfaces (``cli``, ``web``, ``api``) → ``render`` → ``services`` →
   ``store`` and ``guidance`` → ``domain`` → the package root and ``config``. A module imports only
   from its own layer or from layers below it (the interfaces may use each other within 2).
2. Among the interfaces: ``web`` does not import ``api.routes``; ``api`` and ``web`` never import
   ``cli``; ``api`` never imports ``web``. ``store`` and ``guidance`` don't import each other.
3. The module import graph has no cycles.

``PENDING`` lists the layer breaks still to remove, each by name: the check fails on any break not
listed there and on any listed break that is gone (so the list only shrinks).

Run: ``python tools/import_contracts.py`` (exit 0 when kept, 1 with the broken contracts listed).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

RANK = {
    "letdown.cli": 5,
    "letdown.web": 5,
    "letdown.api": 5,
    "letdown.render": 4,
    "letdown.services": 3,
    "letdown.store": 2,
    "letdown.guidance": 2,
    "letdown.domain": 1,
    "letdown.config": 0,
    "letdown": 0,
}

FORBIDDEN = [
    ("letdown.web", "letdown.api.routes"),
    ("letdown.web", "letdown.cli"),
    ("letdown.api", "letdown.cli"),
    ("letdown.api", "letdown.web"),
    ("letdown.store", "letdown.guidance"),
    ("letdown.guidance", "letdown.store"),
]

# Layer breaks still to remove (issue 11, "domain purity"): the domain reads its YAML through
# guidance/ instead of being handed the data, as build_plan(data=...) already is.
PENDING: set[tuple[str, str]] = {
    ("letdown.domain.assessment", "letdown.guidance.library"),
    ("letdown.domain.coach", "letdown.guidance.library"),
    ("letdown.domain.emergency", "letdown.guidance.library"),
    ("letdown.domain.reminders", "letdown.guidance.library"),
    ("letdown.domain.triage", "letdown.guidance.library"),
}


def modules(src: Path = SRC) -> dict[str, Path]:
    found = {}
    for path in sorted((src / "letdown").rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(mods: dict[str, Path]) -> dict[str, set[str]]:
    """Each module's imports of letdown modules (a name imported from a package counts as the
    submodule when there is one, else as the package)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in mods else base)
            for target in targets:
                while target not in mods and "." in target:
                    target = target.rpartition(".")[0]
                if target in mods and target.startswith("letdown") and target != name:
                    graph[name].add(target)
    return graph


def layer(module: str) -> str:
    best = "letdown"
    for prefix in RANK:
        if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
            best = prefix
    return best


def within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def problems(src: Path = SRC) -> list[str]:
    graph = imports(modules(src))
    out = []
    seen_pending = set()
    for source, targets in sorted(graph.items()):
        for target in sorted(targets):
            a, b = layer(source), layer(target)
            broken = RANK[b] > RANK[a]
            broken |= any(within(source, s) and within(target, t) for s, t in FORBIDDEN)
            if broken:
                if (source, target) in PENDING:
                    seen_pending.add((source, target))
                else:
                    out.append(f"layer: {source} imports {target}")
    for source, target in sorted(PENDING - seen_pending):
        out.append(f"stale PENDING entry (remove it): {source} -> {target}")
    for component in cycles(graph):
        out.append("cycle: " + " <-> ".join(component))
    return out


def main() -> int:
    found = problems()
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} import contract(s) broken")
        return 1
    print("import contracts kept: layers, interface boundaries, no cycles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
