"""Benchmark: drawing every chart of both samples, today's code against a baseline's.

    .venv/bin/python bench/charts.py [--baseline REV] [--repeat N]

Draws the charts (matplotlib, SVG) of every year, edition and language of
reports/ and examples/uk-food-bank, the way a build does
(``edition_render.figures_and_charts``), in a fresh process per tree: the
working tree's ``src`` and the baseline commit's (default ``main``), unpacked
with ``git archive``, by turns N times. Prints each tree's median CPU seconds
for the drawing alone (reading the folders and importing are not counted)
and the ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SETS = (PROJECT / "reports", PROJECT / "examples" / "uk-food-bank")

# Run in the measured tree's process: read every year, then time the drawing.
CHILD = """
import json, sys, time
from pathlib import Path
import matplotlib
from reportgen.commands.build import load_with_history
from reportgen.composing.edition_view import year_as_seen_by
from reportgen.core.diagnostics import Diagnostics
from reportgen.typesetting.edition_render import figures_and_charts

jobs = []
for root in map(Path, sys.argv[1:]):
    for folder in sorted(p.parent for p in root.glob("*/report.toml")):
        year, history = load_with_history(folder, Diagnostics())
        assert year is not None, folder
        for edition in year.config.editions:
            if edition == "receipts":
                continue
            for language in year.config.languages:
                seen = year_as_seen_by(year, edition, language)
                earlier = [year_as_seen_by(y, edition, language) for y in history]
                jobs.append((seen, earlier, language))
figures_and_charts(*jobs[0])  # fonts found, caches warm, as in a build's second chart
started = time.process_time()
count = sum(len(figures_and_charts(*job).charts) for job in jobs)
print(json.dumps({"seconds": time.process_time() - started, "charts": count}))
"""


def measure(src: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, *map(str, SETS)],
        check=True, capture_output=True, text=True, cwd=PROJECT,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin", "HOME": str(Path.home())},
    )  # fmt: skip
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="main")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", args.baseline, "src"], cwd=PROJECT,
                                 check=True, capture_output=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        trees = {"today": PROJECT / "src", args.baseline: Path(tmp) / "src"}
        times: dict[str, list[float]] = {name: [] for name in trees}
        counts: dict[str, float] = {}
        for _ in range(args.repeat):
            for name, src in trees.items():
                result = measure(src)
                times[name].append(result["seconds"])
                counts[name] = result["charts"]
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, median in medians.items():
        print(f"{name:12} {median:6.2f} s CPU  {int(counts[name])} charts")
    today, base = medians.values()
    print(f"ratio {today / base:.2f} (median of {args.repeat} runs each)")


if __name__ == "__main__":
    main()
