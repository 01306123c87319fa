"""The test suite's time against the suite of an earlier commit, in one run.

    .venv/bin/python bench/suite.py [--baseline REV] [--repeat N]

The baseline defaults to 3c0a4bf, the last commit before version 2 of the
folder format (issue 12 was filed against it: "``make test`` on a 2-core
machine takes about 8 minutes today"). Its tree is checked out beside this
one (``git worktree``, removed afterwards) and its suite is run the way its
own ``make test`` ran it (``pytest``, one process), then this tree's suite
the way ``make test`` runs it now (``pytest -n auto``). Both use this
project's virtual environment, so the same library versions, with the
baseline's ``src`` first on the path. The runs alternate when ``--repeat``
is more than 1; the medians and their ratio are printed, with each run's
count of passed tests. The issue's target is a ratio of at most 0.5.
"""

from __future__ import annotations

import argparse
import os
import re
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


def _suite(
    tree: Path, command: list[str], temp: Path, extra_path: Path | None
) -> tuple[float, str]:
    env = dict(os.environ, CI="true")
    if extra_path is not None:
        env["PYTHONPATH"] = str(extra_path)
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "-q", "-p", "no:cacheprovider", f"--basetemp={temp}"],
        cwd=tree, env=env, capture_output=True, text=True,
        # Started in the background of a non-interactive shell, this process
        # ignores SIGINT, and so would every process it starts: the baseline's
        # serve tests stop their server with SIGINT and do not undo that (the
        # suite's own tests do), so they wait out their timeouts and fail.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    seconds = time.perf_counter() - started
    lines = done.stdout.strip().splitlines()
    last = lines[-1] if lines else done.stderr.strip()[-300:]
    if done.returncode != 0:
        print(f"  (exit {done.returncode}) {last}", file=sys.stderr)
    return seconds, last


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
            serial, parallel = ["-p", "no:xdist"], ["-n", "auto"]
            suites = (
                ("baseline", base_tree, [python, "-m", "pytest", *serial], base_tree / "src"),
                ("now", PROJECT, [python, "-m", "pytest", *parallel], None),
            )
            for turn in range(args.repeat):
                for name, tree, command, path in suites:
                    temp = Path(scratch) / f"{name}-{turn}"
                    seconds, last = _suite(tree, command, temp, path)
                    times[name].append(seconds)
                    print(f"{name:8} run {turn + 1}: {seconds:7.1f} s   {last}", flush=True)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(base_tree)], cwd=PROJECT, check=False
            )
    base, now = statistics.median(times["baseline"]), statistics.median(times["now"])
    print(f"\nbaseline {args.baseline}: {base:.1f} s   now: {now:.1f} s   ratio {now / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
