"""The test suite's time against the suite of an earlier commit, in one run.

    .venv/bin/python bench/suite.py [--baseline REV] [--repeat N]

The baseline defaults to 3c0a4bf, the last commit before version 2 of the
folder format (issue 12 was filed against it: "``make test`` on a 2-core
machine takes about 8 minutes today"). Its tree is checked out beside this
one (``git worktree``, removed afterwards) and its suite is run the way its
own ``make test`` ran it (``pytest -n auto`` if its Makefile says so, else
``pytest`` in one process), then this tree's suite the way ``make test``
runs it now (``pytest -n auto``). Both use this project's virtual
environment, so the same library versions, each with its own tree's ``src``
first on the path (the environment's own install of reportgen may be
another checkout's). The runs alternate when ``--repeat``
is more than 1; the medians and their ratio are printed, with each run's
count of passed tests. The issue's target is a ratio of at most 0.5.

Each suite's CPU time is measured too: user and system time of the pytest
process and every process it waited for (``getrusage(RUSAGE_CHILDREN)``
before and after, so its xdist workers and the builds and servers they
started). On a machine shared with other work the wall time swings with the
load; the CPU time is the work the suite itself does, so both ratios are
printed.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
BASELINE = "3c0a4bf"
SUMMARY = re.compile(r"(\d+) passed")


def _children_cpu() -> float:
    """User and system seconds of every child process waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _suite(tree: Path, command: list[str], temp: Path, source: Path) -> tuple[float, float, str]:
    env = dict(os.environ, CI="true", PYTHONPATH=str(source))
    started, cpu_before = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        [*command, "-q", "-p", "no:cacheprovider", f"--basetemp={temp}"],
        cwd=tree, env=env, capture_output=True, text=True,
        # Started in the background of a non-interactive shell, this process
        # ignores SIGINT, and so would every process it starts: the baseline's
        # serve tests stop their server with SIGINT and do not undo that (the
        # suite's own tests do), so they wait out their timeouts and fail.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
    lines = done.stdout.strip().splitlines()
    last = lines[-1] if lines else done.stderr.strip()[-300:]
    if done.returncode != 0:
        print(f"  (exit {done.returncode}) {last}", file=sys.stderr)
        for line in lines:  # pytest's short summary (-ra): which tests failed
            if line.startswith(("FAILED ", "ERROR ")):
                print(f"  {line[:300]}", file=sys.stderr)
    return seconds, cpu, last


def _baseline_options(revision: str) -> list[str]:
    """How the baseline's own ``make test`` ran pytest: in one process per
    core, or (before pytest-xdist) in one."""
    makefile = subprocess.run(
        ["git", "show", f"{revision}:Makefile"], cwd=PROJECT, capture_output=True, text=True
    ).stdout
    return ["-n", "auto"] if "pytest -n auto" in makefile else ["-p", "no:xdist"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default=BASELINE, help="the commit to compare with")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each suite (alternating)")
    args = parser.parse_args()
    python = str(PROJECT / ".venv" / "bin" / "python")
    with tempfile.TemporaryDirectory(prefix="reportgen-suite-") as scratch:
        base_tree = Path(scratch) / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(base_tree), args.baseline],
            cwd=PROJECT, check=True,
        )  # fmt: skip
        try:
            times: dict[str, list[float]] = {"baseline": [], "now": []}
            cpus: dict[str, list[float]] = {"baseline": [], "now": []}
            then, parallel = _baseline_options(args.baseline), ["-n", "auto"]
            suites = (
                ("baseline", base_tree, [python, "-m", "pytest", *then], base_tree / "src"),
                ("now", PROJECT, [python, "-m", "pytest", *parallel], PROJECT / "src"),
            )
            for turn in range(args.repeat):
                for name, tree, command, path in suites:
                    temp = Path(scratch) / f"{name}-{turn}"
                    seconds, cpu, last = _suite(tree, command, temp, path)
                    times[name].append(seconds)
                    cpus[name].append(cpu)
                    print(
                        f"{name:8} run {turn + 1}: {seconds:7.1f} s  {cpu:7.1f} CPU s   {last}",
                        flush=True,
                    )
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(base_tree)], cwd=PROJECT, check=False
            )
    base, now = statistics.median(times["baseline"]), statistics.median(times["now"])
    base_cpu, now_cpu = statistics.median(cpus["baseline"]), statistics.median(cpus["now"])
    print(f"\nbaseline {args.baseline}: {base:.1f} s   now: {now:.1f} s   ratio {now / base:.2f}")
    print(
        f"baseline {args.baseline}: {base_cpu:.1f} CPU s   now: {now_cpu:.1f} CPU s   "
        f"ratio {now_cpu / base_cpu:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
