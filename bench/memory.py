"""Time and memory of a command and of every process it starts.

``timed`` gives the wall time and the peak RSS of the largest process (what
``resource`` reports for children). reportgen works in more than one process
at once, so ``tree_peak_mib`` samples the sum over the whole process tree
from /proc, in PSS (pages shared after a fork counted once, split between the
sharers). Sampling costs a little CPU, so the benches take it from a
separate, untimed run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

PROC = Path("/proc")

# Runs a command and prints the peak RSS (KiB) of its largest process.
_PEAK = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def timed(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS of the largest process in MiB) of one fresh run."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _PEAK, *cmd], check=True, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    return seconds, int(out.stdout.split()[-1]) / 1024


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir(PROC):
        if not entry.name.isdigit():
            continue
        try:
            stat = (PROC / entry.name / "stat").read_text()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _pss_kib(pid: int) -> int:
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_peak_mib(cmd: list[str], interval: float = 0.005) -> float:
    """Run ``cmd``; the largest total PSS of it and its descendants, in MiB."""
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        tree = _children()
        pids, stack = [], [process.pid]
        while stack:
            pid = stack.pop()
            pids.append(pid)
            stack.extend(tree.get(pid, ()))
        peak = max(peak, sum(_pss_kib(pid) for pid in pids))
        time.sleep(interval)
    if process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, cmd)
    return peak / 1024


def available() -> bool:
    return (PROC / "self" / "smaps_rollup").exists()
