"""Not a comparison: where the CPU seconds of a whole-set build go (issue 29, target 3).

    .venv/bin/python bench/profile_set.py [REPORTS] [--language en,ja]

Builds every year, edition and language of ``REPORTS`` (default the sample,
``reports/``) cold (no cache), in this one process (``-j 1``), so that
every CPU second is counted here and each document's cost is its own. It
times, in CPU seconds of this process: the reading, the figures and charts
(pandas, matplotlib), each document (and, inside it, each of WeasyPrint's
layouts with the pages it made, and the writing of the PDF), the donor
letters by language and the receipts; what is left is the command's own
work (the plan, the staging, the manifest). With two cores, a build that
uses both cannot take less wall time than half the total.

It wraps functions of the build (``_figures_and_charts``, ``_edition_files``,
``_letter_batch``, ``stage_receipts``) and WeasyPrint's ``HTML.render`` and
``Document.write_pdf`` to time them, as ``bench/suite_split.py`` does: a
measuring harness, never part of a test.
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "src"))

_label = ["(outside documents)"]
_layouts: dict[str, list[tuple[float, int]]] = collections.defaultdict(list)
_writes: collections.Counter[str] = collections.Counter()
_stages: collections.Counter[str] = collections.Counter()
_documents: collections.Counter[str] = collections.Counter()


def _cpu() -> float:
    return time.process_time()


def _wrap(owner: Any, name: str, around: Callable[..., Any]) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapped(*args: Any, **kwargs: Any) -> Any:  # a function: a method binds its self
        return around(original, *args, **kwargs)

    setattr(owner, name, wrapped)


def _render(original: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    started = _cpu()
    document = original(*args, **kwargs)
    _layouts[_label[0]].append((_cpu() - started, len(document.pages)))
    return document


def _write(original: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    started = _cpu()
    try:
        return original(*args, **kwargs)
    finally:
        _writes[_label[0]] += _cpu() - started


def _stage(stage: str) -> Callable[..., Any]:
    def timed(original: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        started = _cpu()
        try:
            return original(*args, **kwargs)
        finally:
            _stages[stage] += _cpu() - started

    return timed


def _document(original: Callable[..., Any], task: Any) -> Any:
    item = task[0]
    _label[0] = f"{item.job.path.name}/{item.job.language}/{item.job.edition}"
    started = _cpu()
    try:
        return original(task)
    finally:
        _documents[_label[0]] += _cpu() - started
        _stages["documents"] += _cpu() - started
        _label[0] = "(outside documents)"


def _letters(original: Callable[..., Any], job: Any) -> Any:
    _label[0] = f"letters ({job.letters[0].language})"
    started = _cpu()
    try:
        return original(job)
    finally:
        _documents[_label[0]] += _cpu() - started
        _stages["donor letters"] += _cpu() - started
        _label[0] = "(outside documents)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="?", type=Path, default=PROJECT / "reports")
    parser.add_argument("--language", default="", help="only these languages (en,ja)")
    args = parser.parse_args()

    import weasyprint
    import weasyprint.document

    from reportgen.commands import build, build_documents, build_receipts

    _wrap(weasyprint.HTML, "render", _render)
    _wrap(weasyprint.document.Document, "write_pdf", _write)
    _wrap(build_documents, "_figures_and_charts", _stage("figures and charts"))
    _wrap(build_documents, "_edition_files", _document)
    _wrap(build_documents, "_letter_batch", _letters)
    _wrap(build_receipts, "stage_receipts", _stage("receipts"))
    _wrap(build, "_load", _stage("reading"))
    languages = [x for x in args.language.split(",") if x] or None

    with tempfile.TemporaryDirectory(prefix="reportgen-profile-") as out:
        started, wall = _cpu(), time.perf_counter()
        build._build(args.reports, Path(out), workers=1, cache=False, languages=languages)
        total, wall = _cpu() - started, time.perf_counter() - wall
    _show(total, wall)
    os._exit(0)  # the laid-out documents' teardown is not part of a build


def _show(total: float, wall: float) -> None:
    print(f"\nwhole build, one process: {total:.2f} CPU s ({wall:.2f} s wall; "
          f"load average {os.getloadavg()[0]:.1f})\n")  # fmt: skip
    print("| stage | CPU s | share |")
    print("|---|---:|---:|")
    rest = total - sum(_stages.values())
    for stage, seconds in [*_stages.most_common(), ("the command's own work", rest)]:
        print(f"| {stage} | {seconds:.2f} | {seconds / total:.0%} |")
    print("\n| document | CPU s | layouts | their CPU s | pages of each | writing s | rest s |")
    print("|---|---:|---:|---:|---|---:|---:|")
    count = spent = written = 0.0
    for name in sorted(_documents):
        made = _layouts.get(name, [])
        laid = sum(seconds for seconds, _ in made)
        count, spent, written = count + len(made), spent + laid, written + _writes[name]
        pages = " ".join(str(p) for _, p in made) if len(made) <= 8 else f"{len(made)} of 1"
        rest = _documents[name] - laid - _writes[name]
        print(f"| {name} | {_documents[name]:.2f} | {len(made)} | {laid:.2f} | {pages} "
              f"| {_writes[name]:.2f} | {rest:.2f} |")  # fmt: skip
    print(f"\nlayouts: {count:.0f}, {spent:.2f} CPU s ({spent / total:.0%}); "
          f"writing the PDFs: {written:.2f} CPU s ({written / total:.0%})")  # fmt: skip


if __name__ == "__main__":
    main()
