"""Benchmark: how cost grows with the size of a year.

    .venv/bin/python bench/scale.py [--sizes 500 5000 20000]

Builds the sample's annual report (PDF and HTML, no cache) with a synthetic
activities table of each size, in a fresh process each, and prints wall time,
peak memory (max RSS of the largest process, and of the whole process tree
in PSS from a second, untimed run), PDF pages and HTML size, and the ratio of the largest
size's time to the one before it (linear growth would be its size ratio).
The PDF prints at most `pdf_table_rows` activities (default 300, the most
recent of each category) and attaches the full list as CSV.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from memory import available, timed, tree_peak_mib

PROJECT = Path(__file__).resolve().parents[1]


def activities(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "title", "category", "location", "description",
                         "participants", "visibility"])  # fmt: skip
        for i in range(rows):
            day = f"2013-{1 + i % 8:02d}-{1 + i % 28:02d}"
            writer.writerow([day, f"Activity {i}", f"Category {i % 6}", "Tokyo",
                             f"Synthetic row {i}", i % 50, "public"])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 20000])
    args = parser.parse_args()
    print(f"{'activities':>10} {'seconds':>8} {'peak MiB':>9} {'all MiB':>8} {'pdf pages':>9} "
          f"{'html MiB':>9}")  # fmt: skip
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            work = Path(tmp) / str(size)
            shutil.copytree(PROJECT / "reports", work / "reports")
            activities(work / "reports/fy2012/data/activities.csv", size)
            cmd = [sys.executable, "-m", "reportgen", "build", str(work / "reports/fy2012"),
                   "--out", str(work / "out"), "--edition", "annual-report", "--language", "en",
                   "--no-cache",
                   "-q"]  # fmt: skip
            seconds, peak = timed(cmd)
            pdf = work / "out/fy2012/en/annual-report.pdf"
            pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            count = next(
                (ln.split()[-1] for ln in pages.splitlines() if ln.startswith("Pages")), "?"
            )
            html = (work / "out/fy2012/en/annual-report.html").stat().st_size / 2**20
            total = f"{tree_peak_mib(cmd):8.0f}" if available() else f"{'-':>8}"
            times.append(seconds)
            print(f"{size:>10} {seconds:>8.2f} {peak:>9.0f} {total} {count:>9} {html:>9.1f}")
    if len(times) >= 2:
        a, b = args.sizes[-2], args.sizes[-1]
        print(f"time({b}) / time({a}) = {times[-1] / times[-2]:.2f} (linear: {b / a:.1f})")


if __name__ == "__main__":
    main()
