"""The house rules of ARCHITECTURE.md, checked on the code: no import circles, no import from
a lower layer up to a higher one (lazy imports inside functions count too), and a wheel that
lists every package.

``python tests/test_architecture.py --report [SRC]`` prints the import graph of a source tree
(default: this one's ``src``): its modules, its import arrows, its circles and the arrows that
run from a lower layer up, so two versions of procflow can be compared."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"

#: layers from the bottom up; a module may import its own layer and the ones below it.
#: Each entry is a module or a package prefix ("procflow.render" covers render.*), except
#: "procflow" itself, which is only the package's ``__init__``.
LAYERS: list[tuple[str, ...]] = [
    ("procflow.errors", "procflow.findings", "procflow.durations", "procflow.parallel",
     "procflow.markup", "procflow.yamlsafe", "procflow.edits", "procflow.corrections",
     "procflow.locales", "procflow"),
    ("procflow.model",),
    ("procflow.loader", "procflow.project", "procflow.flow", "procflow.references",
     "procflow.schema", "procflow.procedures", "procflow.safe_write", "procflow.roots",
     "procflow.schema_errors", "procflow.salvage", "procflow.yamlerrors"),
    ("procflow.rules", "procflow.sla"),
    ("procflow.lint", "procflow.fix"),
    ("procflow.render", "procflow.diff", "procflow.review", "procflow.codeowners",
     "procflow.scaffold", "procflow.report", "procflow.tickets", "procflow.rule_pages"),
    ("procflow.cli", "procflow.__main__"),
]
#: imports forbidden inside one layer (source prefix, target prefix): what is drawn and written
#: does not know about diffs; diff, review and the rule pages use markup/, not render/, for
#: Markdown and SVG; Mermaid is written from the diagram model, not from the DOT writer
FORBIDDEN = [("procflow.render", "procflow.diff"), ("procflow.diff", "procflow.render"),
             ("procflow.review", "procflow.render"), ("procflow.rule_pages", "procflow.render"),
             ("procflow.render.mermaid", "procflow.render.dot_writer"),
             ("procflow.render.diagram", "procflow.render.dot_writer")]
#: the one exception: the diff's HTML page draws its change diagram (a ``render.diagram``
#: model) with the DOT writer and the engine, as render draws a procedure's
ALLOWED = {("procflow.diff.output.diagram", "procflow.render.diagram"),
           ("procflow.diff.output.diagram", "procflow.render.dot_writer"),
           ("procflow.diff.output.diagram", "procflow.render.engine")}

Graph = dict[str, set[str]]


def module_name(path: Path, src: Path = SRC) -> str:
    parts = path.relative_to(src).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules_of(src: Path) -> dict[str, Path]:
    """Every module of the procflow package under ``src`` by its dotted name."""
    return {module_name(path, src): path for path in sorted((src / "procflow").rglob("*.py"))}


def imports_of(name: str, modules: dict[str, Path]) -> set[str]:
    """The procflow modules ``name`` imports, anywhere in its file (inside functions and
    ``if TYPE_CHECKING:`` blocks too)."""
    path = modules[name]
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
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                       for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def graph_of(src: Path) -> Graph:
    """Each module of the tree → the procflow modules it imports."""
    modules = modules_of(src)
    return {name: imports_of(name, modules) for name in modules}


MODULES = modules_of(SRC)
GRAPH = graph_of(SRC)


def layer_of(name: str) -> int | None:
    """The module's layer (0 is the bottom), or None when LAYERS does not place it."""
    best = (-1, -1)  # (length of the matching prefix, layer)
    for number, members in enumerate(LAYERS):
        for member in members:
            package = member != "procflow" and name.startswith(member + ".")
            if (name == member or package) and len(member) > best[0]:
                best = (len(member), number)
    return best[1] if best[1] >= 0 else None


def upward_imports(graph: Graph) -> list[str]:
    """Arrows from a module to one in a higher layer (modules without a layer are skipped)."""
    found = []
    for source, targets in graph.items():
        for target in targets:
            low, high = layer_of(source), layer_of(target)
            if low is not None and high is not None and high > low:
                found.append(f"{source} -> {target}")
    return sorted(found)



def forbidden_imports(graph: Graph) -> list[str]:
    """Arrows that FORBIDDEN names (and ALLOWED does not excuse)."""
    return sorted(f"{source} -> {target}" for source, targets in graph.items()
                  for target in targets for low, high in FORBIDDEN
                  if _within(source, low) and _within(target, high)
                  and (source, target) not in ALLOWED)


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")

def circles(graph: Graph) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module: each is a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
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
                found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return sorted(found)


def test_every_module_has_a_layer() -> None:
    unplaced = [name for name in MODULES if layer_of(name) is None]
    assert unplaced == [], "add these to LAYERS in tests/test_architecture.py"


def test_no_import_runs_from_a_lower_layer_up() -> None:
    assert upward_imports(GRAPH) == []


def test_forbidden_imports_between_packages_of_one_layer() -> None:
    assert forbidden_imports(GRAPH) == []


def test_no_import_circles() -> None:
    assert circles(GRAPH) == []


def test_the_checker_sees_a_circle_and_an_upward_import(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks above can fail: a model that imported the CLI would be caught twice."""
    monkeypatch.setitem(GRAPH, "procflow.model", GRAPH["procflow.model"] | {"procflow.cli.app"})
    monkeypatch.setitem(GRAPH, "procflow.cli.app", GRAPH["procflow.cli.app"] | {"procflow.model"})
    with pytest.raises(AssertionError):
        test_no_import_runs_from_a_lower_layer_up()
    with pytest.raises(AssertionError):
        test_no_import_circles()


def test_a_lazy_import_inside_a_function_counts(tmp_path: Path) -> None:
    """An import hidden in a function body (run only when called) is still an arrow: a rule
    module that imported lint lazily is an upward import, and a lazy import back is a circle."""
    package = tmp_path / "procflow"
    (package / "rules").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "rules" / "__init__.py").write_text("", encoding="utf-8")
    (package / "rules" / "docs.py").write_text(
        "def pages() -> None:\n    from procflow.lint import validate\n", encoding="utf-8")
    (package / "lint.py").write_text(
        "def validate() -> None:\n    if True:\n        from .rules import docs\n",
        encoding="utf-8")
    graph = graph_of(tmp_path)
    assert graph["procflow.rules.docs"] == {"procflow.lint"}
    assert graph["procflow.lint"] == {"procflow.rules.docs"}
    assert upward_imports(graph) == ["procflow.rules.docs -> procflow.lint"]
    assert circles(graph) == [["procflow.lint", "procflow.rules.docs"]]


def test_the_wheel_lists_every_package() -> None:
    """pyproject.toml lists the packages (to ship templates/ as procflow.templates)."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    packages = {module_name(path) for path in SRC.rglob("__init__.py")}
    folders_with_data = {"procflow.starters"}
    assert listed == packages | folders_with_data | {"procflow.templates"}



def test_the_templates_are_shipped_from_the_top_level_folder_without_a_link_in_src() -> None:
    """templates/ stays where users see it; the wheel maps it to procflow.templates through
    package-dir (tests/test_render_wheel.py renders from an installed wheel), so src/ holds
    no symbolic link that a checkout on another system could break."""
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["setuptools"]["package-dir"]["procflow.templates"] == "templates"
    assert (ROOT / "templates" / "procedure.md.j2").is_file()
    assert [path for path in SRC.rglob("*") if path.is_symlink()] == []

def report(src: Path) -> str:
    """The import graph of the source tree ``src`` as text, its totals first."""
    graph = graph_of(src)
    arrows = sorted(f"{source} -> {target}" for source, targets in graph.items()
                    for target in targets)
    found, upward = circles(graph), upward_imports(graph)
    forbidden = forbidden_imports(graph)
    unplaced = sorted(name for name in graph if layer_of(name) is None)
    lines = [f"source tree: {src}",
             f"modules: {len(graph)}", f"import arrows: {len(arrows)}",
             f"circles (strongly connected components of more than one module): {len(found)}",
             *(f"  circle: {' <-> '.join(members)}" for members in found),
             f"arrows from a lower layer up: {len(upward)}",
             *(f"  up: {arrow}" for arrow in upward),
             f"forbidden arrows within a layer (FORBIDDEN): {len(forbidden)}",
             *(f"  forbidden: {arrow}" for arrow in forbidden),
             f"modules in no layer of LAYERS (not judged): {len(unplaced)}",
             *(f"  unplaced: {name}" for name in unplaced),
             "", "modules:", *(f"  {name}" for name in sorted(graph)),
             "", "import arrows:", *(f"  {arrow}" for arrow in arrows)]
    return "\n".join(lines)


if __name__ == "__main__":
    if not sys.argv[1:2] == ["--report"] or len(sys.argv) > 3:
        sys.exit("usage: python tests/test_architecture.py --report [SRC]  (SRC holds procflow/)")
    print(report(Path(sys.argv[2]).resolve() if len(sys.argv) == 3 else SRC))
