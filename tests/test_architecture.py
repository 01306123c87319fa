"""The shape of the code: stages as packages, in the order data flows.

Each stage imports only itself and the stages before it, and no module is
part of an import cycle. Every import counts, those inside functions and under
``if TYPE_CHECKING`` too: an import hidden in a function is still a
dependency. The import graph is grimp's (import-linter's graph library), and
the contracts of ``[tool.importlinter]`` in pyproject.toml are run as they
are, so ``lint-imports`` on the command line and this test agree.
"""

from __future__ import annotations

import functools
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

import reportgen

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(reportgen.__file__).resolve().parent
# The stages, earliest first; the command line sits above them all.
STAGES = ("core", "reading", "composing", "typesetting", "writing", "commands")
ABOVE = ("reportgen.cli", "reportgen.__main__")


def test_the_package_under_test_is_this_checkout() -> None:
    """The graph is read from the installed ``reportgen``: it must be this one."""
    assert PACKAGE == ROOT / "src" / "reportgen", f"PYTHONPATH does not start with {ROOT / 'src'}"


@functools.cache
def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("reportgen", cache_dir=None)


def _rank(module: str) -> int:
    """The stage a module belongs to (0 is ``core``); past the last for the
    command line; -1 for a module that is in no stage."""
    parts = module.split(".")
    if module in ABOVE:
        return len(STAGES)
    if len(parts) > 1 and parts[1] in STAGES:
        return STAGES.index(parts[1])
    return -1


def _where(graph: grimp.ImportGraph, importer: str, imported: str) -> str:
    details = graph.get_import_details(importer=importer, imported=imported)
    return ", ".join(f"{importer}:{d['line_number']}" for d in details) or importer


def test_every_module_belongs_to_a_stage() -> None:
    graph = _graph()
    outside = sorted(m for m in graph.modules if m != "reportgen" and _rank(m) < 0)
    assert outside == [], f"put each in one of {', '.join(STAGES)}"


def test_no_import_runs_against_the_flow() -> None:
    graph = _graph()
    against = sorted(
        f"{_where(graph, importer, imported)} imports {imported}"
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported != "reportgen" and _rank(imported) > _rank(importer)
    )
    assert against == [], (
        "a stage imports a later one: move what both need down to the earlier stage"
    )


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
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

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_cycles_are_found() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_is_part_of_an_import_cycle() -> None:
    graph = _graph()
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert _cycles(edges) == []


def test_the_import_linter_contracts_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    """``lint-imports`` with pyproject.toml's contracts: the stages as layers
    (every child of ``reportgen`` named in one), no cycle between siblings."""
    status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    output = capsys.readouterr().out
    assert status == 0, output
    assert "2 kept, 0 broken" in output
