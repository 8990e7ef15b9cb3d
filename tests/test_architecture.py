"""The package's shape, checked from its source: data flows one way, no cycles, files stay small.

The layers, lowest first (a module may import its own package and any layer before it):
foundations → data → initializers → nn → engine → analysis → runs → viz → report → experiments →
the front doors (estimator, course, bench, explore, torch) → cli. Nothing imports the package root
(``initlab/__init__.py``), which only re-exports the public surface lazily.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "initlab"
HEAVY = ("sklearn", "scipy", "matplotlib", "pandas", "numba")

LAYERS: list[set[str]] = [
    {"_version", "errors", "specs", "registry", "checks"},
    {"data"},
    {"initializers"},
    {"nn"},
    {"engine"},
    {"analysis"},
    {"runs"},
    {"viz"},
    {"report"},
    {"experiments"},
    {"estimator", "course", "bench", "explore", "torch", "signal"},
    {"cli"},
]
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}
MAX_TOP_MODULES = 8
MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 80


def module_name(path: Path) -> str:
    parts = ["initlab", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def resolve(name: str) -> str:
    """The module an imported dotted name lives in (``initlab.x.f`` → ``initlab.x``)."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imports(module: str) -> set[str]:
    """initlab modules that ``module`` imports anywhere in its body: lazy imports inside functions
    and imports for type hints only (``if TYPE_CHECKING:``) included, since both are dependencies
    a reader follows."""
    tree = ast.parse(MODULES[module].read_text())
    found = set()
    package = module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {resolve(a.name) for a in node.names if a.name.startswith("initlab")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            if not base.startswith("initlab"):
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else resolve(base))
    found.discard(module)
    return found


GRAPH = {module: imports(module) for module in MODULES}


def layer(module: str) -> int | None:
    parts = module.split(".")
    return RANK.get(parts[1]) if len(parts) > 1 else None


def test_every_part_of_the_package_has_a_layer():
    unplaced = sorted({m.split(".")[1] for m in MODULES if m != "initlab"} - set(RANK))
    assert unplaced == [], f"give these a place in LAYERS: {unplaced}"


def test_no_module_imports_a_higher_layer_or_the_package_root():
    wrong = []
    for module, targets in GRAPH.items():
        if module == "initlab":
            continue
        for target in targets:
            if target == "initlab":
                wrong.append(f"{module} imports the package root")
            elif layer(target) > layer(module):
                wrong.append(f"{module} (layer {layer(module)}) imports {target} ({layer(target)})")
    assert wrong == []


def test_no_import_cycles():
    """Depth-first search over the import graph; any back edge is a cycle."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(GRAPH[node]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_cycle_check_finds_a_planted_cycle():
    """The search above on a small graph with a cycle a → b → c → a (so it can fail)."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    state: dict[str, int] = {}
    found = []

    def visit(node: str) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                found.append((node, target))
            elif target not in state:
                visit(target)
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert found == [("c", "a")]


def test_the_top_of_the_package_holds_at_most_eight_modules():
    top = sorted(p.name for p in SRC.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_files_and_functions_stay_small(path: Path):
    text = path.read_text()
    lines = len(text.splitlines())
    assert lines <= MAX_FILE_LINES, f"{lines} lines: split it by concept"
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def _heavy_modules_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return eval(out.stdout.strip().splitlines()[-1])  # a list of names printed by the probe


def test_import_initlab_loads_no_heavy_library():
    assert _heavy_modules_after("import initlab") == []


def test_initlab_help_loads_no_heavy_library():
    code = (
        "import sys\nsys.argv = ['initlab', '--help']\nfrom initlab.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert _heavy_modules_after(code) == []


def test_a_public_name_loads_what_it_needs():
    """The lazy surface still works: touching ``initlab.compare`` imports the study."""
    assert _heavy_modules_after("import initlab\ninitlab.compare") != []
