"""Benchmarks: reportgen against the floor, measured side by side in one run.

    make bench          (or: .venv/bin/python bench/run.py [--repeat N])

The floor is a fresh Python process in which WeasyPrint alone renders the
final print HTML of the sample's annual report (that HTML is produced by
reportgen once, up front). reportgen's cold build is the `reportgen build`
command in a fresh process, PDF and HTML. Both are timed wall-clock over N
runs; the medians and their ratio are printed, with peak memory (max RSS of
the child process). Numbers are only comparable within one run. The cold
build runs with --no-cache; "nothing changed" rebuilds an unchanged report
into an output folder whose cache is already filled.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
YEAR = PROJECT / "reports" / "fy2012"

FLOOR = """
import sys
from pathlib import Path
from weasyprint import HTML
from reportgen.fetch import Sandbox
from reportgen.pdf import _fetcher
fetcher = _fetcher(Sandbox.of([Path(sys.argv[3])]))
html = open(sys.argv[1], encoding="utf-8").read()
HTML(string=html, base_url=sys.argv[2], url_fetcher=fetcher).write_pdf(sys.argv[4])
"""


# Runs a command and prints the peak RSS (KiB) of that command alone.
PEAK = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def timed(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one fresh child process."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", PEAK, *cmd], check=True, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    return seconds, int(out.stdout.split()[-1]) / 1024


def final_html(work: Path) -> Path:
    """The print HTML reportgen hands to WeasyPrint for the sample."""
    from reportgen import html as html_stage
    from reportgen import pipeline

    captured: list[str] = []
    original = html_stage.render_html

    def capture(ctx, medium, template):  # type: ignore[no-untyped-def]
        rendered = original(ctx, medium, template)
        if medium == "print":
            captured.append(rendered.html)
        return rendered

    html_stage.render_html = capture  # type: ignore[assignment]
    try:
        from reportgen.diagnostics import Diagnostics
        from reportgen.project import earlier_years

        year = pipeline.load_year(YEAR, Diagnostics())
        history = [pipeline.load_year(p, Diagnostics()) for p in earlier_years(YEAR)]
        pipeline.render_edition(year, [h for h in history if h], "annual-report", "en")
    finally:
        html_stage.render_html = original  # type: ignore[assignment]
    # The floor gets the same chart pictures, inline (reportgen serves them to
    # WeasyPrint from its own fetcher, as they are drawn).
    from reportgen.editions import select
    from reportgen.render import analyse

    seen = select(year, "annual-report", "en")
    earlier = [select(h, "annual-report", "en") for h in history if h]
    charts = analyse(seen, earlier, "en").charts
    page = captured[0]
    for chart in charts.values():
        page = page.replace(f'src="{chart.url}"', f'src="{chart.data_uri}"')
    path = work / "final.html"
    path.write_text(page, "utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        html = final_html(work)
        cases = {
            "floor: WeasyPrint alone, fresh process": [
                python, "-c", FLOOR, str(html), YEAR.as_uri() + "/", str(YEAR),
                str(work / "floor.pdf"),
            ],
            "reportgen build (PDF + HTML), cold": [
                python, "-m", "reportgen", "build", str(YEAR), "--out", str(work / "out"), "-q",
                "--edition", "annual-report", "--language", "en", "--no-cache",
            ],
            "reportgen build, nothing changed (cache)": [
                python, "-m", "reportgen", "build", str(YEAR), "--out", str(work / "warm"), "-q",
                "--edition", "annual-report", "--language", "en",
            ],
            "reportgen check": [python, "-m", "reportgen", "check", str(YEAR)],
            "reportgen --help": [python, "-m", "reportgen", "--help"],
        }  # fmt: skip
        subprocess.run(cases["reportgen build, nothing changed (cache)"], check=True)  # fill it
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for _ in range(args.repeat):  # interleaved, so drift hits every case alike
            for name, cmd in cases.items():
                results[name].append(timed(cmd))
    floor = statistics.median(s for s, _ in results["floor: WeasyPrint alone, fresh process"])
    print(f"{'case':44} {'median s':>9} {'ratio':>7} {'peak MiB':>9}")
    for name, runs in results.items():
        median = statistics.median(s for s, _ in runs)
        peak = max(m for _, m in runs)
        print(f"{name:44} {median:9.2f} {median / floor:7.2f} {peak:9.0f}")
    print(f"(median of {args.repeat} runs each; ratio = median / floor)")


if __name__ == "__main__":
    main()
