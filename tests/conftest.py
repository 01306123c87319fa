"""Shared fixtures: the sample report set copied into a temporary folder, and
built once for real (WeasyPrint, matplotlib, everything) per test run.

Tests that only read a build's outputs take a shared build (``built_sample``,
``built_set``, or a folder of their own made through ``shared_folder``)
instead of making their own; tests that change the input or the output
folder build their own copy. A shared folder is made once for the whole
run, also when pytest-xdist runs the tests in several processes (whose
session and module fixtures are each their own): the first process to need
it makes it under a file lock, the others wait and read it. Nothing relies
on which process runs which test (xdist's ``loadgroup`` does not group with
pytest 9.2: pytest-xdist issue 1386). The whole run uses a private user
cache folder (the build cache's secret lives there), never ``~/.cache``.

Nothing below the builds is shared or remembered between tests: every
render a test asks for is made for real. A claim that needs less than the
whole sample builds a small test root instead of a copy of it
(``tests/roots/<name>``: ``small_set``, ``built_small``, ``copy_root``).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE = PROJECT / "reports"
ROOTS = Path(__file__).resolve().parent / "roots"  # small report sets, one per concern
# The charts of the sample's fy2012 annual report, said once for every test that
# counts them. Its three kinds of counterpart are said in Advocacy's intro, so
# no chart of the same counts is drawn (page_context.SENTENCE_GROUPS).
SAMPLE_CHART_IDS = ("chart-by-month", "chart-by-category", "chart-income", "chart-expenses",
                    "chart-trend")  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files with slow tests first, each file's tests still together and in
    their order. ``make test`` runs ``pytest -n auto``, and xdist hands the
    tests out in this order: the long ones start early instead of leaving
    one process busy at the end while the other waits."""
    slow_files = {item.nodeid.split("::")[0] for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in slow_files)


@pytest.fixture(scope="session", autouse=True)
def private_user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``$XDG_CACHE_HOME`` for the whole run, one for all xdist processes and
    inherited by the builds tests start in other processes: the developer's
    own cache secret is never read or written, every run starts without one,
    and a test may reuse the cache of a shared build."""
    folder = shared_folder(tmp_path_factory, "user-cache", lambda _: None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture(autouse=True)
def one_process_per_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """A build a test runs here renders in this one process unless the test
    asks for more (``workers=2``): the suite already runs one test process per
    core, and a second render process per build only adds forks to share the
    same cores. The parallel paths have their own tests, and the shared builds
    and every build through the command line keep the default (one process
    per core)."""
    from reportgen.core import process_pool

    monkeypatch.setattr(process_pool, "default_workers", lambda: 1)


@pytest.fixture
def sample_set(tmp_path: Path) -> Path:
    """A private copy of reports/ (organization.toml, fy2011, fy2012, assets)."""
    target = tmp_path / "reports"
    shutil.copytree(SAMPLE, target)
    return target


def copy_root(name: str, into: Path) -> Path:
    """A private copy of the test root ``tests/roots/<name>`` (a report set
    much smaller than the sample, for a claim that does not need the
    sample's content), at ``into/<name>``."""
    target = into / name
    shutil.copytree(ROOTS / name, target)
    return target


@pytest.fixture
def small_set(tmp_path: Path) -> Path:
    """A private copy of ``tests/roots/small``: every edition, two donors'
    letters, one language, three activities, two narrative files."""
    return copy_root("small", tmp_path)


def english_only(reports: Path) -> None:
    """Make a copy of the sample English alone (its Japanese and Korean donors'
    letters then in English too): the same kinds of files to write, check
    and replace, in about a third of the time. For tests about the build's
    machinery, not its languages."""
    settings = reports / "organization.toml"
    text = settings.read_text("utf-8")
    settings.write_text(text.replace('languages = ["en", "ja", "ko"]', 'languages = ["en"]'))
    assert 'languages = ["en"]' in settings.read_text("utf-8")


def html_alone(year: Path, edition: str, language: str) -> str:
    """The HTML file of one edition of ``year``, made as a build makes it
    (the same reading, earlier years and templates) but without rendering
    the PDF beside it: for a claim about the HTML alone."""
    from reportgen.commands.build import load_with_history
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.typesetting.edition_render import render_edition

    diags = Diagnostics()
    loaded, history = load_with_history(year, diags)
    assert loaded is not None and not diags.has_errors, [d.format() for d in diags.sorted()]
    files = render_edition(loaded, history, edition, language, pdf=False, html=True)
    assert set(files) == {f"{edition}.html"}
    return files[f"{edition}.html"][0].decode("utf-8")


@pytest.fixture
def english_set(sample_set: Path) -> Path:
    """A private copy of reports/, English alone (``english_only``)."""
    english_only(sample_set)
    return sample_set


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_folder(
    factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]
) -> Path:
    """A folder that ``make`` fills once per test run, whichever xdist worker
    asks first. After a failed ``make`` the next one to ask tries again."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    folder = base / f"shared-{name}"
    with _locked(base / f"shared-{name}.lock"):
        if not (base / f"shared-{name}.done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (base / f"shared-{name}.done").touch()
    return folder


@dataclass(frozen=True)
class BuiltSample:
    """A built copy of the sample set: read its outputs, never change them."""

    reports: Path
    out: Path

    @property
    def pdf(self) -> Path:
        return self.out / "fy2012" / "en" / "annual-report.pdf"

    @property
    def html(self) -> Path:
        return self.out / "fy2012" / "en" / "annual-report.html"


def _sample(factory: pytest.TempPathFactory) -> Path:
    """The run's one shared copy of reports/, which the shared builds read."""
    return (
        shared_folder(factory, "sample", lambda root: shutil.copytree(SAMPLE, root / "reports"))
        / "reports"
    )


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory, private_user_cache: Path) -> BuiltSample:
    """reports/fy2012, every edition and language, built once per test run
    through the real pipeline (two processes, a fresh cache)."""
    from reportgen.commands.build import run_build

    reports = _sample(tmp_path_factory)
    root = shared_folder(
        tmp_path_factory, "fy2012",
        lambda root: run_build(reports / "fy2012", root / "output", workers=2),
    )  # fmt: skip
    return BuiltSample(reports, root / "output")


@pytest.fixture(scope="session")
def built_set(
    tmp_path_factory: pytest.TempPathFactory, private_user_cache: Path, built_sample: BuiltSample
) -> BuiltSample:
    """The whole sample set (fy2011 and fy2012, every edition and language),
    built once per test run in one call of the real pipeline, in two
    processes. It starts with a copy of ``built_sample``'s cache, which (the
    same input folder) spares it rendering fy2012 again."""
    from reportgen.commands.build import run_build

    def make(root: Path) -> None:
        from reportgen.writing.cache import FOLDER

        shutil.copytree(built_sample.out / FOLDER, root / "output" / FOLDER)
        run_build(built_sample.reports, root / "output", workers=2)

    return BuiltSample(
        built_sample.reports, shared_folder(tmp_path_factory, "set", make) / "output"
    )


@pytest.fixture(scope="session")
def built_english(
    tmp_path_factory: pytest.TempPathFactory, private_user_cache: Path, built_sample: BuiltSample
) -> BuiltSample:
    """reports/fy2012 English alone (``english_only``), every edition, built
    once per test run like ``built_sample``: what ``english_set`` builds to,
    in a cache of its own."""
    from reportgen.commands.build import run_build

    def make(root: Path) -> None:
        shutil.copytree(SAMPLE, root / "reports")
        english_only(root / "reports")
        run_build(root / "reports" / "fy2012", root / "output", workers=2)

    root = shared_folder(tmp_path_factory, "english", make)
    return BuiltSample(root / "reports", root / "output")


@dataclass(frozen=True)
class BuiltRoot:
    """A test root built once per run: read its outputs, never change them.
    One language, so its files have no language folder."""

    reports: Path
    out: Path

    @property
    def year(self) -> Path:
        return self.reports / "fy2012"

    def file(self, name: str) -> Path:
        return self.out / "fy2012" / name


@pytest.fixture(scope="session")
def built_small(tmp_path_factory: pytest.TempPathFactory, private_user_cache: Path) -> BuiltRoot:
    """``tests/roots/small``, every edition, built once per test run through
    the real pipeline (two processes, a fresh cache), from a copy of its own."""
    from reportgen.commands.build import run_build

    def make(root: Path) -> None:
        run_build(copy_root("small", root) / "fy2012", root / "output", workers=2)

    root = shared_folder(tmp_path_factory, "root-small", make)
    return BuiltRoot(root / "small", root / "output")
