"""The house rules of the package: no import cycles, dependencies flow one way, a light face.

The import graph is read from the source with ``ast`` (module-level, function-level and
``TYPE_CHECKING`` imports alike), so a cycle dodged with a function-level import still fails.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "routeplan"

LAYERS: dict[str, float] = {
    "errors": 0,
    "version": 0,
    "lazy": 0,
    "i18n": 1,
    "write_errors": 1.5,
    "config": 2,
    "timefmt": 3,
    "links": 3,
    "stopwatch": 3,
    "model": 3,
    "routing": 4,
    "travel": 4,
    "tiers": 5,
    "calendar": 5,
    "territory": 5,
    "io": 6,
    "intake": 6.5,
    "planning": 7,
    "kpis": 7,
    "maps": 7,
    "capacity": 7.5,
    "synthetic": 7.5,
    "serve": 7.8,  # DESIGN.md: jobs -> {serve, maps, kpis, io, planning}
    "jobs": 8,
    "cli": 9,
}
"""Each top-level module or package and its layer: imports go to lower layers (or within)."""

ONLY: dict[str, set[str]] = {"routing": {"errors"}}
"""Packages restricted to an explicit list of other parts of routeplan."""


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """Modules of routeplan that ``path`` imports (resolved to modules or packages)."""
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("routeplan")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            if not base.startswith("routeplan"):
                continue
            for alias in node.names:
                child = f"{base}.{alias.name}"
                out.add(child if child in known else base)
    return {m for m in out if m in known and m != name}


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(path, name, set(found)) for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    sys.setrecursionlimit(10_000)

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def part(module: str) -> str:
    """The top-level part of routeplan a module belongs to (``routeplan.maps.base`` → maps)."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else ""


def test_no_import_cycles() -> None:
    found = cycles(graph())
    assert not found, f"import cycles: {found}"


def test_the_cycle_check_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_part_has_a_layer() -> None:
    parts = {part(m) for m in modules()} - {""}
    assert parts <= set(LAYERS), f"give these a layer in LAYERS: {sorted(parts - set(LAYERS))}"


def test_dependencies_flow_one_way() -> None:
    wrong = []
    for module, targets in graph().items():
        here = part(module)
        if not here:
            continue
        for target in targets:
            there = part(target)
            if not there or there == here:
                continue
            allowed = there in ONLY[here] if here in ONLY else LAYERS[there] < LAYERS[here]
            if not allowed:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports against the layering:\n" + "\n".join(sorted(wrong))


def test_at_most_twelve_modules_at_the_top() -> None:
    top = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top) <= 12, sorted(top)


def test_import_routeplan_is_light_and_names_its_api() -> None:
    code = (
        "import sys, routeplan; "
        "heavy = [m for m in ('folium', 'ortools', 'plotly', 'geopandas') if m in sys.modules]; "
        "print(len(routeplan.__all__), heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=SRC
    ).stdout.split(maxsplit=1)
    assert int(out[0]) >= 10
    assert out[1].strip() == "[]"


@pytest.mark.parametrize("name", __import__("routeplan").__all__)
def test_every_public_name_resolves_and_is_documented(name: str) -> None:
    import routeplan

    value = getattr(routeplan, name)
    if not isinstance(value, str):
        assert (value.__doc__ or "").strip(), f"routeplan.{name} has no docstring"
