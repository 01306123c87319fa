"""Benchmark: the speed and memory targets of issue 29, each beside its baseline.

    .venv/bin/python bench/targets.py [--baseline REV] [--repeat N] [--donors N]
                                      [--skip-letters]

One command, one table. The baseline is an earlier commit (default a31b6e5,
the code issue 29 was measured on), unpacked into a temporary folder
(``git archive``: its src, templates, bench and sample) and run in this project's
environment, each run of it right before the same run of today's code, so
that both see the same machine:

- target 3, the whole sample report set (every year, edition and language,
  and the letters) built cold (``--no-cache``) with one process per core:
  median wall time of each (target: at most 10 s);
- target 6, the largest single process of that build (peak RSS, the
  ``resource`` figure of ``memory.timed``; target: under 500 MiB);
- target 3, second half: a rebuild after one narrative edit, by today's code
  only, as the build itself reports it (``BuildResult.rendered`` and
  ``reused``): which documents and letters it laid out again;
- target 2, 1,000 letters: ``bench/letters.py`` of each tree (its own
  from-scratch baseline in the same process: the naive way), wall time and
  ratio (targets: under 15 s, at least 100 times the naive way).

Targets 1 (sizes), 4 (``serve``) and 5 (``bench/run.py``) have benches of
their own. The machine may be shared: trust the ratios between neighbouring
runs more than any absolute figure.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "src"))
sys.path.insert(0, str(PROJECT / "bench"))


BASELINE = "a31b6e5"


def unpack(revision: str, into: Path) -> Path:
    """The baseline's src, templates, bench and sample reports, at ``into``."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, "src", "templates", "bench", "reports"],
        cwd=PROJECT, check=True, capture_output=True,
    ).stdout  # fmt: skip
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


# Runs a command; prints the peak RSS (KiB) of its largest process and the CPU
# seconds (user and system) of all of its processes.
_MEASURED = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(use.ru_maxrss, use.ru_utime + use.ru_stime)\n"
)


def whole_set(tree: Path, out: Path) -> tuple[float, float, float]:
    """(seconds, CPU seconds, MiB of the largest process) of a cold build of
    the sample set with ``tree``'s source, in a fresh process."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "reportgen", "build", str(PROJECT / "reports"),
               "--out", str(out), "--no-cache", "-q"]  # fmt: skip
    started = time.perf_counter()
    made = subprocess.run(
        [sys.executable, "-c", _MEASURED, *command], check=True, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(tree / "src")},
    )  # fmt: skip
    seconds = time.perf_counter() - started
    peak, cpu = made.stdout.split()[-2:]
    return seconds, float(cpu), int(peak) / 1024


def narrative_edit(scratch: Path) -> tuple[str, ...]:
    """Today's code: a build, one narrative file edited, the rebuild; the lines
    of what the rebuild laid out again and what it reused."""
    from reportgen.commands.build import run_build

    reports = scratch / "reports"
    shutil.copytree(PROJECT / "reports", reports)
    out = scratch / "edited"
    first = run_build(reports, out)
    edited = reports / "fy2012/narrative/01-message.en.md"  # the English annual report's
    edited.write_text(edited.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    started = time.perf_counter()
    second = run_build(reports, out)
    seconds = time.perf_counter() - started
    return (
        f"cold build: {len(first.rendered)} documents and letters rendered",
        f"after editing {edited.relative_to(reports)} ({seconds:.2f} s): "
        f"{len(second.rendered)} rendered, {len(second.reused)} reused from the cache",
        "rendered again: " + ", ".join(second.rendered),
    )


LETTER_LINES = {
    "build": re.compile(r"build, donor edition \+ letters\s+([\d.]+) s"),
    "ratio": re.compile(r"ratio from scratch / reportgen\s+([\d.]+)"),
    "scratch": re.compile(r"per letter, from scratch\s+([\d.]+) ms"),
    "per_letter": re.compile(r"per letter, reportgen\s+([\d.]+) ms"),
    "floor": re.compile(r"WeasyPrint alone, per letter\s+([\d.]+) ms"),
}


def letters(tree: Path, donors: int) -> dict[str, float]:
    made = subprocess.run(
        [sys.executable, str(tree / "bench/letters.py"), "--donors", str(donors)],
        capture_output=True, text=True,
    )  # fmt: skip
    if made.returncode != 0:
        raise SystemExit(f"bench/letters.py of {tree} failed:\n{made.stderr}")
    out = made.stdout
    found = {key: pattern.search(out) for key, pattern in LETTER_LINES.items()}
    return {key: float(match.group(1)) for key, match in found.items() if match}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--skip-letters", action="store_true")
    args = parser.parse_args()

    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="reportgen-targets-") as tmp:
        scratch = Path(tmp)
        base = unpack(args.baseline, scratch / "baseline")
        trees = {"baseline": base, "now": PROJECT}
        times: dict[str, list[float]] = {name: [] for name in trees}
        cpus: dict[str, list[float]] = {name: [] for name in trees}
        peaks: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(args.repeat):
            for name, tree in trees.items():  # the baseline first, then today's, each round
                seconds, cpu, mib = whole_set(tree, scratch / f"set-{name}")
                times[name].append(seconds)
                cpus[name].append(cpu)
                peaks[name].append(mib)
        median = {name: statistics.median(t) for name, t in times.items()}
        cpu_median = {name: statistics.median(t) for name, t in cpus.items()}
        peak = {name: max(p) for name, p in peaks.items()}
        rows.append(("3. whole set cold, 2 processes (median s)", f"{median['baseline']:.2f}",
                     f"{median['now']:.2f}", "<= 10"))  # fmt: skip
        rows.append(("   its CPU, all processes (median s)", f"{cpu_median['baseline']:.2f}",
                     f"{cpu_median['now']:.2f}", ""))  # fmt: skip
        rows.append(("6. largest process of it (max MiB)", f"{peak['baseline']:.0f}",
                     f"{peak['now']:.0f}", "< 500"))  # fmt: skip
        show(rows, args)
        edit = narrative_edit(scratch)
        print("3. one narrative edit (today's code, the build's own report):")
        for line in edit:
            print(f"   {line}", flush=True)
        if not args.skip_letters:
            made = {name: letters(tree, args.donors) for name, tree in trees.items()}
            rows.append((f"2. {args.donors} letters, wall s", f"{made['baseline']['build']:.2f}",
                         f"{made['now']['build']:.2f}", "< 15"))  # fmt: skip
            rows.append(("2. ratio to the naive way (scratch per letter)",
                         f"{made['baseline']['ratio']:.1f}", f"{made['now']['ratio']:.1f}",
                         ">= 100"))  # fmt: skip
            rows.append(("2. per letter, ms (wall time / letters)",
                         f"{made['baseline']['per_letter']:.1f}",
                         f"{made['now']['per_letter']:.1f}", ""))  # fmt: skip
            if "floor" in made["now"]:
                rows.append(("2. WeasyPrint alone per letter, ms (one process)", "",
                             f"{made['now']['floor']:.1f}", ""))  # fmt: skip
            show(rows[3:], args)


def show(rows: list[tuple[str, str, str, str]], args: argparse.Namespace) -> None:
    width = 48
    print(f"baseline {args.baseline}; {os.cpu_count()} cores; {args.repeat} runs of the set each")
    print(f"{'target':{width}}  {'baseline':>9}  {'now':>9}  goal")
    for label, before, after, goal in rows:
        print(f"{label:{width}}  {before:>9}  {after:>9}  {goal}", flush=True)


if __name__ == "__main__":
    main()
