"""The shape of the code: stages as packages, in the order data flows.

Each stage imports only itself and the stages before it, and no module is
part of an import cycle. Every import counts, those inside functions and under
``if TYPE_CHECKING`` too: an import hidden in a function is still a
dependency. The import graph is grimp's (import-linter's graph library), and
the contracts of ``[tool.importlinter]`` in pyproject.toml are run as they
are, so ``lint-imports`` on the command line and this test agree.

Imports stand at the top of each module, where a reader looks for what it
depends on. Inside a function stand only the heavy libraries of ``LAZY``,
each with the reason the commands that do not need it must not load it.
"""

from __future__ import annotations

import ast
import functools
import os
import subprocess
import sys
from pathlib import Path

import grimp

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


def test_the_import_linter_contracts_are_kept() -> None:
    """``lint-imports`` with pyproject.toml's contracts: the stages as layers
    (every child of ``reportgen`` named in one), no cycle between siblings.
    In a process of its own: import-linter configures logging as it starts,
    which would silence the loggers of every later test in this process."""
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()",
         "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(
            [str(PACKAGE.parent), os.environ.get("PYTHONPATH", "")])},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


# Libraries imported only inside the functions that use them, and why.
LAZY = {
    "weasyprint": "lays out pages: --help, check and a no-op rebuild never load it",
    "matplotlib": "draws charts: --help, check and a no-op rebuild never load it",
    "pandas": "computes key figures: a no-op rebuild never loads it",
    "pikepdf": "edits a PDF once rendered: only a build that renders one",
    "PIL": "measures raster pictures: only when a picture is embedded or a chart drawn",
    "mammoth": "Word documents: only when the folder holds one",
    "docx": "Word documents (python-docx): only when the folder holds one or new writes one",
    "openpyxl": "workbooks: only when the folder holds one or new writes one",
    "lxml": "parses Word's XML and laid-out HTML: only with a Word document or a render",
    "tinycss2": "a theme's extra.css: only when a theme has one",
    "tinyhtml5": "a themed page parsed as a browser would: only with a theme",
    "keyring": "the SMTP password: only reportgen send",
    "watchfiles": "watches the folder: only reportgen serve",
    "babel.messages": "reads a message catalog (.po): only when the user's language is not "
    "English (core/messages)",
    "packaging": "compares a dependency's version with its checked range: only at the first use "
    "of a private API (core/private_apis)",
}


def _imports_in_functions(path: Path) -> list[tuple[int, str]]:
    """(line, module) of each import inside a function of ``path``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Import):
                found |= {(inner.lineno, alias.name) for alias in inner.names}
            elif isinstance(inner, ast.ImportFrom):
                found.add((inner.lineno, "." * inner.level + (inner.module or "")))
    return sorted(found)


def test_imports_inside_functions_are_found(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "import os\n\ndef f():\n    import pandas as pd\n    from reportgen.core import errors\n"
        "    def g():\n        from . import x\n"
    )
    assert _imports_in_functions(module) == [(4, "pandas"), (5, "reportgen.core"), (7, ".")]


# The one place reportgen's own modules are imported inside functions: the
# command line imports a command when it runs, so that `reportgen --help`
# loads none of them (0.1 s instead of 0.5 s; test_cli.test_help_loads_no_command).
COMMANDS_WHEN_RUN = ("reportgen/cli.py", "reportgen.commands.")


def _allowed_inside(path: Path, module: str) -> bool:
    where, commands = COMMANDS_WHEN_RUN
    if str(path.relative_to(PACKAGE.parent)) == where and module.startswith(commands):
        return True
    return module.split(".")[0] in LAZY or any(module.startswith(f"{k}.") for k in LAZY)


def test_only_the_heavy_libraries_are_imported_inside_functions() -> None:
    inside = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {module}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, module in _imports_in_functions(path)
        if not _allowed_inside(path, module)
    ]
    assert inside == [], "import these at the top of the module"


def test_every_lazy_library_is_still_imported_lazily_somewhere() -> None:
    """A library that no function imports any more leaves the list."""
    used = {
        name
        for path in PACKAGE.rglob("*.py")
        for _, module in _imports_in_functions(path)
        for name in (module.split(".")[0], module.rpartition(".")[0], module)
    }
    assert set(LAZY) <= used
