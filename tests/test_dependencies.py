"""What reportgen imports is what pyproject.toml declares, and the locks agree.

Every module imported anywhere in src/ (at the top, inside functions, under
TYPE_CHECKING, or by name through importlib) is either the standard library,
reportgen's own, or comes from a distribution that [project] dependencies
names itself, not one that happens to arrive as another package's dependency.
The same for tests/, bench/ and scripts/ against the dependencies plus the
`test` extra. The hashed locks (requirements/run.txt, requirements/dev.txt,
written by `make locks`) pin every declared package inside its declared range,
pin each shared package alike, and the run-time lock holds nothing that only
development needs.
"""

from __future__ import annotations

import ast
import functools
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from pyproject_hooks import BuildBackendHookCaller

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUN_LOCK = ROOT / "requirements" / "run.txt"
DEV_LOCK = ROOT / "requirements" / "dev.txt"


def _requirements(texts: Iterable[str]) -> list[Requirement]:
    return [Requirement(text) for text in texts]


RUNTIME = _requirements(PYPROJECT["project"]["dependencies"])
TEST_EXTRA = _requirements(PYPROJECT["project"]["optional-dependencies"]["test"])
BUILD = _requirements(PYPROJECT["build-system"]["requires"])


def _names(requirements: Iterable[Requirement]) -> set[str]:
    return {canonicalize_name(r.name) for r in requirements}


# --- imports ---------------------------------------------------------------


def imported_modules(source: str) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every absolute import in a module, wherever it is."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                yield node.lineno, node.module
        elif isinstance(node, ast.Call) and node.args:
            # importlib.import_module("x"), import_module("x"), __import__("x")
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            name = getattr(node.args[0], "value", None)  # a constant's; relative ones skipped
            by_name = called in {"import_module", "__import__"}
            if by_name and isinstance(name, str) and not name.startswith("."):
                yield node.lineno, name


def _local_names(folder: Path) -> set[str]:
    """Top-level names a file in `folder` imports from the project, not from a package:
    its neighbours (a script's own folder is on sys.path), the checkout's root
    (`tests`) and src/ (`reportgen`)."""
    names = set()
    for place in (folder, ROOT, ROOT / "src"):
        for entry in place.iterdir():
            if entry.suffix == ".py":
                names.add(entry.stem)
            elif entry.is_dir() and (entry / "__init__.py").exists():
                names.add(entry.name)
    return names


@functools.cache
def _module_distributions() -> dict[str, list[str]]:
    return packages_distributions()


def undeclared_imports(folders: Iterable[Path], declared: set[str]) -> list[str]:
    """`file:line: message` for each third-party import whose distribution is not declared."""
    module_distributions = _module_distributions()
    problems = []
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            local = _local_names(path.parent)
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            for line, name in imported_modules(path.read_text(encoding="utf-8")):
                top = name.partition(".")[0]
                if top in sys.stdlib_module_names or top in local:
                    continue
                owners = {canonicalize_name(d) for d in module_distributions.get(top, [])}
                if not owners:
                    problems.append(f"{where}:{line}: {name} is installed by no distribution")
                elif not owners & declared:
                    problems.append(
                        f"{where}:{line}: {name} comes from {' or '.join(sorted(owners))},"
                        " which pyproject.toml does not declare"
                    )
    return problems


def test_every_import_in_src_is_a_declared_runtime_dependency() -> None:
    assert undeclared_imports([ROOT / "src"], _names(RUNTIME)) == []


def test_every_import_in_tests_bench_and_scripts_is_declared_for_development() -> None:
    # The test extra installs reportgen too, so its dependencies count here.
    declared = _names(RUNTIME) | _names(TEST_EXTRA)
    folders = [ROOT / "tests", ROOT / "bench", ROOT / "scripts"]
    assert undeclared_imports(folders, declared) == []


def test_the_scan_finds_imports_wherever_they_are(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "from __future__ import annotations\n"
        "import importlib\n"
        "from typing import TYPE_CHECKING\n"
        "import jinja2.sandbox\n"
        "from . import sibling\n"
        "import neighbour\n"
        "if TYPE_CHECKING:\n"
        "    from markupsafe import Markup\n"
        "def parse():\n"
        "    from lxml import html\n"
        "    return importlib.import_module('tinycss2')\n",
        encoding="utf-8",
    )
    (tmp_path / "neighbour.py").write_text("", encoding="utf-8")
    problems = undeclared_imports([tmp_path], {"jinja2"})
    assert problems == [
        f"{module}:8: markupsafe comes from markupsafe, which pyproject.toml does not declare",
        f"{module}:10: lxml comes from lxml, which pyproject.toml does not declare",
        f"{module}:11: tinycss2 comes from tinycss2, which pyproject.toml does not declare",
    ]
    assert undeclared_imports([tmp_path], {"jinja2", "markupsafe", "lxml", "tinycss2"}) == []
    module.write_text("def f():\n    import no_such_module_anywhere\n", encoding="utf-8")
    assert undeclared_imports([tmp_path], set()) == [
        f"{module}:2: no_such_module_anywhere is installed by no distribution"
    ]


# --- locks -----------------------------------------------------------------


@dataclass(frozen=True)
class Pin:
    version: str
    hashes: frozenset[str]


def read_lock(path: Path) -> dict[str, Pin]:
    """A pip-compile lock: `name==version --hash=sha256:...`, lines joined at `\\`."""
    pins: dict[str, Pin] = {}
    logical = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#"):
            continue
        logical += " " + line.removesuffix("\\")
        if line.endswith("\\"):
            continue
        words, logical = logical.split(), ""
        if not words:
            continue
        requirement = Requirement(words[0])
        specifiers = list(requirement.specifier)
        assert len(specifiers) == 1 and specifiers[0].operator == "==", f"{path.name}: {raw}"
        hashes = frozenset(w.removeprefix("--hash=") for w in words[1:] if w.startswith("--hash="))
        assert len(hashes) == len(words) - 1, f"{path.name}: {words[0]} has options besides hashes"
        pins[canonicalize_name(requirement.name)] = Pin(specifiers[0].version, hashes)
    return pins


def _outside_range(requirements: Iterable[Requirement], lock: Path) -> list[str]:
    pins = read_lock(lock)
    problems = []
    for requirement in requirements:
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is None:
            problems.append(f"{lock.name}: {requirement} is not pinned")
        elif not requirement.specifier.contains(pin.version, prereleases=True):
            problems.append(f"{lock.name}: {requirement} but the lock pins {pin.version}")
    return problems


@functools.cache
def _editable_build_requirements() -> list[Requirement]:
    """What the build backend asks for to install reportgen editable (hatchling: editables)."""
    backend = BuildBackendHookCaller(str(ROOT), PYPROJECT["build-system"]["build-backend"])
    return _requirements(backend.get_requires_for_build_editable())


def test_every_declared_dependency_is_pinned_in_its_lock_with_hashes() -> None:
    problems = _outside_range(RUNTIME + BUILD, RUN_LOCK)
    problems += _outside_range(RUNTIME + BUILD + TEST_EXTRA, DEV_LOCK)
    for lock in (RUN_LOCK, DEV_LOCK):
        problems += [
            f"{lock.name}: {name} has no sha256 hash"
            for name, pin in read_lock(lock).items()
            if not pin.hashes or not all(h.startswith("sha256:") for h in pin.hashes)
        ]
    assert problems == []


def test_the_development_lock_pins_every_run_time_package_alike() -> None:
    run, dev = read_lock(RUN_LOCK), read_lock(DEV_LOCK)
    assert {name: pin for name, pin in dev.items() if name in run} == run


def _may_apply(marker: Marker | None, extra: str, anywhere: bool) -> bool:
    """Whether a requirement with this marker applies when `extra` is asked for:
    here (this interpreter and platform) or, with `anywhere`, on some platform."""
    if marker is None:
        return True
    if anywhere and "extra" not in str(marker):
        return True
    return marker.evaluate({"extra": extra})


def needed(requirements: Iterable[Requirement], anywhere: bool) -> tuple[set[str], set[str]]:
    """The distributions these requirements bring in, from installed metadata,
    and those of them that are not installed."""
    names: set[str] = set()
    missing: set[str] = set()
    done: set[tuple[str, str]] = set()
    todo = list(requirements)
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        names.add(name)
        for extra in {"", *requirement.extras}:
            if (name, extra) in done:
                continue
            done.add((name, extra))
            try:
                metadata = distribution(name)
            except PackageNotFoundError:
                missing.add(name)
                continue
            for text in metadata.requires or []:
                sub = Requirement(text)
                if _may_apply(sub.marker, extra, anywhere):
                    todo.append(sub)
    return names, missing


def test_the_run_time_lock_holds_what_make_sample_needs_and_nothing_for_development() -> None:
    run_time = RUNTIME + BUILD + _editable_build_requirements()
    here, missing = needed(run_time, anywhere=False)
    anywhere, _ = needed(run_time, anywhere=True)
    run = set(read_lock(RUN_LOCK))
    assert missing == set(), "not installed: run scripts/bootstrap.sh"
    assert here - run == set(), "needed by reportgen here but not in requirements/run.txt"
    development = run - anywhere
    assert development == set(), "in requirements/run.txt but needed by nothing make sample needs"
    assert _names(TEST_EXTRA) & run <= here, "a test tool in requirements/run.txt"


def test_the_development_lock_holds_what_make_test_needs_and_nothing_else() -> None:
    everything = RUNTIME + BUILD + _editable_build_requirements() + TEST_EXTRA
    here, missing = needed(everything, anywhere=False)
    anywhere, _ = needed(everything, anywhere=True)
    dev = set(read_lock(DEV_LOCK))
    assert missing == set(), "not installed: run scripts/bootstrap.sh --test"
    assert here - dev == set(), "needed by the tests here but not in requirements/dev.txt"
    assert dev - anywhere == set(), "in requirements/dev.txt but needed by nothing"
