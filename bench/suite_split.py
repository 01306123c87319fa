"""Where the test suite's time goes: each test file's time, split by stage.

    .venv/bin/python bench/suite_split.py [PYTEST ARGS...]

Runs the suite as ``make test`` does (``pytest -n auto``, or the arguments
given), with this file loaded as a pytest plugin in every test process. The
plugin times, per test (setup, call and teardown together): in-process
builds (``build.run_build``), and inside them the charts (matplotlib), the
layout (WeasyPrint's ``HTML.render``) and the PDF writing
(``Document.write_pdf``); reading PDF text in the tests; and waiting for
subprocesses (command-line builds, servers). It prints the files by their
time, then the stages' totals. Builds in forked render processes (the shared
builds use two) count in "build" but not in its stages. Not a benchmark of
reportgen: a map for making the suite faster.
"""

from __future__ import annotations

import collections
import functools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

PROJECT = Path(__file__).resolve().parents[1]
STAGES = ("build", "charts", "layout", "pdf", "pdf text", "subprocess")
_totals: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
_current = ["(collection)"]
_running: set[str] = set()  # stages being timed: a nested call (communicate's wait) counts once


def _timed(owner: Any, name: str, stage: str) -> None:
    original: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(original)
    def timed(*args: Any, **kwargs: Any) -> Any:
        if stage in _running:
            return original(*args, **kwargs)
        _running.add(stage)
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            _running.discard(stage)
            _totals[_current[0]][stage] += time.perf_counter() - started

    setattr(owner, name, timed)


def pytest_configure(config: pytest.Config) -> None:
    import tests.pdfparse
    import weasyprint
    import weasyprint.document

    import reportgen.commands.build
    import reportgen.composing.charts

    _timed(reportgen.commands.build, "build", "build")
    _timed(reportgen.composing.charts, "draw_charts", "charts")
    _timed(weasyprint.HTML, "render", "layout")
    _timed(weasyprint.document.Document, "write_pdf", "pdf")
    _timed(tests.pdfparse, "_page_texts", "pdf text")
    _timed(subprocess.Popen, "communicate", "subprocess")
    _timed(subprocess.Popen, "wait", "subprocess")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    _current[0] = item.nodeid
    started = time.perf_counter()
    yield
    _totals[item.nodeid]["total"] += time.perf_counter() - started


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = os.environ.get("REPORTGEN_SUITE_SPLIT")
    if folder:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        data = {test: dict(counts) for test, counts in _totals.items()}
        (Path(folder) / f"{worker}.json").write_text(json.dumps(data), "utf-8")


def _report(folder: Path) -> None:
    files: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for part in folder.glob("*.json"):
        for test, counts in json.loads(part.read_text("utf-8")).items():
            files[test.split("::")[0]].update(counts)
    columns = ("total", *STAGES)
    print(f"{'seconds':>7} " + " ".join(f"{c:>10}" for c in STAGES) + "  file")
    overall: collections.Counter[str] = collections.Counter()
    for name, counts in sorted(files.items(), key=lambda item: -item[1]["total"]):
        overall.update(counts)
        print(" ".join(f"{counts[c]:>{7 if c == 'total' else 10}.1f}" for c in columns), name)
    print(" ".join(f"{overall[c]:>{7 if c == 'total' else 10}.1f}" for c in columns), "(all)")


def main() -> int:
    args = sys.argv[1:] or ["-n", "auto"]
    with tempfile.TemporaryDirectory(prefix="reportgen-split-") as scratch:
        env = dict(
            os.environ,
            REPORTGEN_SUITE_SPLIT=scratch,
            PYTHONPATH=os.pathsep.join([str(PROJECT / "bench"), os.environ.get("PYTHONPATH", "")]),
        )
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "suite_split", "-q", "-p", "no:cacheprovider",
             f"--basetemp={Path(scratch) / 'tmp'}", *args],
            cwd=PROJECT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        lines = done.stdout.strip().splitlines()
        print(lines[-1] if lines else done.stderr[-2000:])
        print(f"wall clock {time.perf_counter() - started:.1f} s; per test process:")
        _report(Path(scratch))
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
