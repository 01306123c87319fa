"""Benchmark: the whole sample report set on one core and on all of them.

    .venv/bin/python bench/cores.py [--repeat N]

Builds every year, edition and language of reports/ (and the donor letters),
without the cache, once with ``-j 1`` and once with the default number of
processes (one per core), interleaved N times; prints the medians and the
speed-up. The outputs of the two must be byte-identical.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".reportgen-cache" not in p.parts
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    runs: dict[str, list[float]] = {"-j 1": [], f"-j {cores} (default)": []}
    with tempfile.TemporaryDirectory() as tmp:
        outs = {name: Path(tmp) / str(i) for i, name in enumerate(runs)}
        for _ in range(args.repeat):
            for name, extra in zip(runs, (["-j", "1"], []), strict=True):
                cmd = [sys.executable, "-m", "reportgen", "build", str(PROJECT / "reports"),
                       "--out", str(outs[name]), "--no-cache", "-q", *extra]  # fmt: skip
                started = time.perf_counter()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
                runs[name].append(time.perf_counter() - started)
        serial, parallel = (files(outs[name]) for name in runs)
        if serial != parallel:
            raise SystemExit("the outputs of -j 1 and the default differ")
        count = len(serial)
    medians = {name: statistics.median(times) for name, times in runs.items()}
    print(f"the sample report set: {count} files, {cores} cores")
    for name, median in medians.items():
        print(f"{name:20} {median:7.2f} s")
    first, last = medians.values()
    print(f"speed-up {first / last:.2f} (median of {args.repeat} runs each)")


if __name__ == "__main__":
    main()
