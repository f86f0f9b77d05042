"""The import layers: a pure core, a config flow that stands apart, no cycles, small modules.

Imports are read with ``ast`` (nothing is imported): each module's explicit
``import``/``from ... import`` of a Car Bridge module is an edge. Imports
under ``if TYPE_CHECKING:`` count for cycles (they tangle the design all the
same) but not for what a module loads at run time.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent / "custom_components"
PACKAGE = ROOT / "car_bridge"
PACKAGE_NAME = "custom_components.car_bridge"
#: Rooms that may import neither Home Assistant nor a room outside this set.
PURE = ("approach", "vehicle", "places", "departures")
MAX_LINES = 400
#: Defects the other half of issue 16 (helper "house") removes: strict, so each
#: test flips to a failure the day its defect is gone and the mark can go.
HOUSE = "issue 16 part A (house) removes it"


@dataclass(frozen=True)
class Module:
    """One Car Bridge module and what it imports."""

    name: str  # relative to the package: "" for the package, "approach.engine", ...
    path: Path
    #: Car Bridge modules imported at run time, and under TYPE_CHECKING.
    runtime: frozenset[str] = field(default_factory=frozenset)
    typing: frozenset[str] = field(default_factory=frozenset)
    #: Top-level packages imported from outside Car Bridge.
    external: frozenset[str] = field(default_factory=frozenset)


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, *, type_only: bool = False) -> Iterator[tuple[ast.stmt, bool]]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, type_only
        elif isinstance(node, ast.If):
            yield from _imports(node, type_only=type_only or _is_type_checking(node))
        elif isinstance(node, ast.stmt):
            yield from _imports(node, type_only=type_only)


@cache
def modules() -> dict[str, Module]:
    """Return every Car Bridge module by its package-relative name."""
    paths = {_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
    result: dict[str, Module] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        runtime: set[str] = set()
        typing: set[str] = set()
        external: set[str] = set()
        for node, type_only in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".") if package else []
                    base = base[: len(base) - node.level + 1]
                    module = ".".join([*base, *([node.module] if node.module else [])])
                    base_name = f"{PACKAGE_NAME}.{module}".rstrip(".")
                else:
                    base_name = node.module or ""
                for alias in node.names:
                    # "from . import sensor" imports a module; "from .x import y" a name.
                    submodule = f"{base_name}.{alias.name}"
                    own = submodule.removeprefix(f"{PACKAGE_NAME}.")
                    targets.append(submodule if own in paths else base_name)
            for target in targets:
                if target == PACKAGE_NAME or target.startswith(f"{PACKAGE_NAME}."):
                    own = target.removeprefix(PACKAGE_NAME).removeprefix(".")
                    (typing if type_only else runtime).add(own)
                else:
                    external.add(target.partition(".")[0])
        result[name] = Module(
            name, path, frozenset(runtime), frozenset(typing - runtime), frozenset(external)
        )
    return result


def _room(name: str) -> str:
    return name.partition(".")[0]


def _shown(name: str) -> str:
    return name or "car_bridge (the package __init__)"


def loaded_by(name: str) -> set[str]:
    """Return every Car Bridge module ``name`` loads at run time, directly or not."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        for target in modules()[todo.pop()].runtime:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def cycles() -> list[list[str]]:
    """Return the import cycles (strongly connected groups of modules), sorted."""
    graph = {name: module.runtime | module.typing for name, module in modules().items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group: list[str] = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                found.append(sorted(group))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return sorted(found)


def test_the_graph_is_read() -> None:
    """The reader sees what it should (a reader that sees nothing passes every rule)."""
    assert {"", "coordinator", "approach.engine", "vehicle.model"} <= modules().keys()
    assert "vehicle.model" in modules()["vehicle.source"].runtime
    assert "coordinator" in modules()["data"].typing
    assert "homeassistant" in modules()["entity"].external


@pytest.mark.parametrize(
    "name", sorted(n for n in modules() if _room(n) in PURE), ids=lambda n: n or "pkg"
)
def test_pure_core_stays_pure(name: str) -> None:
    """The pure rooms import no Home Assistant and no room outside the pure core."""
    module = modules()[name]
    assert "homeassistant" not in module.external, f"{name} imports Home Assistant"
    outside = {t for t in module.runtime | module.typing if _room(t) not in PURE}
    assert not outside, f"{name} imports {sorted(map(_shown, outside))}"


def test_config_flow_loads_neither_the_package_nor_the_coordinator() -> None:
    """The config flow sits low in the house: it does not load the set-up or the data mover."""
    loaded = loaded_by("config_flow")
    assert "" not in loaded, "config_flow loads the package __init__"
    assert "coordinator" not in loaded, "config_flow loads the coordinator"


def test_no_import_cycle() -> None:
    """No group of Car Bridge modules imports itself round (TYPE_CHECKING imports count)."""
    assert cycles() == []


#: Modules over the limit today, and who splits them.
_LONG: dict[str, str] = {}


def _line_cases() -> Iterator[object]:
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        marks = [pytest.mark.xfail(strict=True, reason=_LONG[rel])] if rel in _LONG else []
        yield pytest.param(path, id=rel, marks=marks)


@pytest.mark.parametrize("path", _line_cases())
def test_module_is_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines (at most {MAX_LINES})"


def test_cycle_finder_finds_cycles(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cycle rule can fail: a made-up graph with a loop is caught."""
    fake = {
        "a": Module("a", PACKAGE / "a.py", frozenset({"b"})),
        "b": Module("b", PACKAGE / "b.py", typing=frozenset({"a"})),
        "c": Module("c", PACKAGE / "c.py", frozenset({"a"})),
    }
    monkeypatch.setattr(f"{__name__}.modules", lambda: fake)
    assert cycles() == [["a", "b"]]
    assert loaded_by("c") == {"a", "b"}
