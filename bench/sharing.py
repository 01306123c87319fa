"""Benchmark: what issue 27's deciding layout costs the annual report.

    .venv/bin/python bench/sharing.py [--repeat N] [--language en]

In one process, the sample's annual report (fy2012) laid out and written by
turns two ways: as reportgen does it (``pdf.render_pdf`` with the edition's
section breaks: a first layout, then a second one in which the short
sections share the page before), and once only with the sharing that the
first way chose given as a stylesheet from the start (what a single-layout
pagination would cost: the floor of issue 29's target 5 does this). Both
make the same pages (checked: the same text on each page). Prints the median
CPU seconds (this process's user and system) and wall seconds of each, and
their ratio.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "src"))

YEAR = PROJECT / "reports" / "fy2012"


def _text(pdf: bytes) -> str:
    """The text of each page (Poppler's pdftotext), pages apart."""
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True)  # fmt: skip
    return done.stdout.decode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--language", default="en")
    args = parser.parse_args()

    from dataclasses import replace

    from reportgen.commands import build
    from reportgen.composing.edition_view import year_as_seen_by
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.reading.year_folders import earlier_years, neighbours
    from reportgen.typesetting.edition_render import figures_and_charts, print_page, print_pdf
    from reportgen.typesetting.pdf import sharing_css, stacking_css

    year = build.load_year(YEAR, Diagnostics())
    assert year is not None
    history = [y for p in earlier_years(YEAR) if (y := build.load_year(p, Diagnostics()))]
    seen = year_as_seen_by(year, "annual-report", args.language)
    earlier = [year_as_seen_by(h, "annual-report", args.language) for h in history]
    analysis = figures_and_charts(seen, earlier, args.language)
    page = print_page(seen, "annual-report", args.language, analysis, neighbours=neighbours(YEAR))

    def charts(chart_id: str) -> bytes:
        return analysis.charts[chart_id].svg.encode("utf-8")

    decided = print_pdf(page, charts)  # warm: imports, fonts
    if not decided.shared:
        raise SystemExit("no section shares a page here: nothing to compare")
    stacked = stacking_css(decided.stacked) if decided.stacked else ""  # the rows set stacked
    rule = f"<style>{stacked}{sharing_css(decided.shared)}</style>"
    once = replace(page, html=page.html.replace("</head>", rule + "</head>", 1), layout=replace(
        page.layout, section_breaks=None), fitted=None)  # fmt: skip

    ways = {"reportgen (deciding layout + final layout)": page, "one layout, sharing given": once}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in ways}
    texts: dict[str, str] = {}
    for _ in range(args.repeat):
        for name, way in ways.items():
            gc.collect()
            cpu, wall = time.process_time(), time.perf_counter()
            made = print_pdf(way, charts)
            times[name].append((time.process_time() - cpu, time.perf_counter() - wall))
            texts[name] = _text(made.data)
    if len(set(texts.values())) != 1:
        raise SystemExit("the two ways made different pages")
    base = statistics.median(c for c, _ in times["one layout, sharing given"])
    print(f"annual report ({args.language}), {decided.pages} pages; load average "
          f"{os.getloadavg()[0]:.1f}; median of {args.repeat}")  # fmt: skip
    print(f"{'way':44} {'CPU s':>7} {'wall s':>7} {'CPU ratio':>9}")
    for name, runs in times.items():
        cpu = statistics.median(c for c, _ in runs)
        wall = statistics.median(w for _, w in runs)
        print(f"{name:44} {cpu:7.2f} {wall:7.2f} {cpu / base:9.2f}")


if __name__ == "__main__":
    main()
