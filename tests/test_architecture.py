"""The house rules of ARCHITECTURE.md, checked on the code: no import circles, no import from
a lower layer up to a higher one (lazy imports inside functions count too), and a wheel that
lists every package."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"

#: layers from the bottom up; a module may import its own layer and the ones below it.
#: Each entry is a module or a package prefix ("procflow.render" covers render.*).
LAYERS: list[tuple[str, ...]] = [
    ("procflow.errors", "procflow.findings", "procflow.durations", "procflow.parallel",
     "procflow.markup", "procflow.yamlsafe", "procflow"),
    ("procflow.model",),
    ("procflow.loader", "procflow.project", "procflow.flow", "procflow.references",
     "procflow.schema", "procflow.procedures", "procflow.safe_write", "procflow.roots"),
    ("procflow.rules", "procflow.lint", "procflow.sla", "procflow.fix"),
    ("procflow.render", "procflow.diff", "procflow.review", "procflow.codeowners",
     "procflow.scaffold", "procflow.report", "procflow.tickets"),
    ("procflow.cli", "procflow.__main__"),
]
#: imports forbidden inside one layer: what is drawn and written does not know about diffs
FORBIDDEN = [("procflow.render", "procflow.diff")]


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(SRC.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The procflow modules ``name`` imports, anywhere in its file."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                       for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def layer_of(name: str) -> int:
    best = (-1, -1)  # (length of the matching prefix, layer)
    for number, members in enumerate(LAYERS):
        for member in members:
            if (name == member or name.startswith(member + ".")) and len(member) > best[0]:
                best = (len(member), number)
    assert best[1] >= 0, f"{name} is in no layer of tests/test_architecture.py"
    return best[1]


def test_every_module_has_a_layer() -> None:
    for name in MODULES:
        layer_of(name)


def test_no_import_runs_from_a_lower_layer_up() -> None:
    upward = sorted(f"{source} -> {target}" for source, targets in GRAPH.items()
                    for target in targets if layer_of(target) > layer_of(source))
    assert upward == []


def test_forbidden_imports_between_packages_of_one_layer() -> None:
    found = sorted(f"{source} -> {target}" for source, targets in GRAPH.items()
                   for target in targets for low, high in FORBIDDEN
                   if source.startswith(low) and target.startswith(high))
    assert found == []


def test_no_import_circles() -> None:
    """Tarjan's strongly connected components: every one must be a single module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for name in sorted(GRAPH):
        if name not in index:
            visit(name)
    assert circles == []


def test_the_checker_sees_a_circle_and_an_upward_import(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks above can fail: a model that imported the CLI would be caught twice."""
    monkeypatch.setitem(GRAPH, "procflow.model", GRAPH["procflow.model"] | {"procflow.cli.app"})
    monkeypatch.setitem(GRAPH, "procflow.cli.app", GRAPH["procflow.cli.app"] | {"procflow.model"})
    with pytest.raises(AssertionError):
        test_no_import_runs_from_a_lower_layer_up()
    with pytest.raises(AssertionError):
        test_no_import_circles()


def test_the_wheel_lists_every_package() -> None:
    """pyproject.toml lists the packages (to ship templates/ as procflow.templates)."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    packages = {module_name(path) for path in SRC.rglob("__init__.py")}
    folders_with_data = {"procflow.starters"}
    assert listed == packages | folders_with_data | {"procflow.templates"}
