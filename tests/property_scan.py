"""The property of issue 23 over many generated folders, on every core.

``make property`` runs this: ``python -m tests.property_scan [N] [--big-every K]
[--workers W]``. Each worker draws folders from tests/foldergen.py (every K-th
one a large folder) and checks ``tests.test_property.holds`` on it. A folder
that breaks the property is written under ``output/property-failures/`` so it
can be rebuilt by hand; the run exits 1 if any did.

Unlike the pytest form (``test_what_check_accepts_build_makes``) this does not
shrink a failure, but it spreads the examples over the cores and prints a
count and a time for the closing note.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
import warnings
from pathlib import Path

FAILURES = Path("output/property-failures")


def _worker(args: tuple[int, int, int, int]) -> list[tuple[str, float, str]]:
    worker, workers, count, big_every = args
    warnings.filterwarnings("ignore")
    from tests.foldergen import folders
    from tests.test_property import holds

    normal, big = folders(big=False), folders(big=True)
    results = []
    for number in range(worker, count, workers):
        is_big = big_every > 0 and number % big_every == big_every - 1
        drawn = (big if is_big else normal).example()
        started = time.monotonic()
        kind = "big" if is_big else "normal"
        try:
            holds(drawn)
        except AssertionError as failure:
            where = FAILURES / f"{number:04d}-{drawn.salt}"
            where.mkdir(parents=True, exist_ok=True)
            drawn.write(where)
            first = " | ".join(str(failure).splitlines()[:4])[:500]
            print(f"{number:4d} FAIL {kind} {drawn.language} -> {where}: {first}", flush=True)
            results.append(("fail", time.monotonic() - started, kind))
            continue
        took = time.monotonic() - started
        mistake = f" mistake={drawn.mistake}" if drawn.mistake else ""
        print(f"{number:4d} ok   {kind:6s} {drawn.language:5s} {took:5.1f}s{mistake}", flush=True)
        results.append(("ok", took, kind))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=500)
    parser.add_argument(
        "--big-every", type=int, default=6, help="every K-th folder is large (0: none)"
    )
    parser.add_argument("--workers", type=int, default=multiprocessing.cpu_count())
    options = parser.parse_args(argv)
    started = time.monotonic()
    jobs = [(w, options.workers, options.count, options.big_every) for w in range(options.workers)]
    with multiprocessing.get_context("spawn").Pool(options.workers) as pool:
        results = [r for part in pool.map(_worker, jobs) for r in part]
    failed = sum(1 for status, _, _ in results if status == "fail")
    big = sum(1 for _, _, kind in results if kind == "big")
    wall = time.monotonic() - started
    print(
        f"property: {len(results)} folders ({big} large), {failed} failed, "
        f"{wall / 60:.1f} min on {options.workers} worker(s)",
        flush=True,
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
