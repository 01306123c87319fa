"""Benchmarks: reportgen against the floor, measured side by side in one run.

    make bench          (or: .venv/bin/python bench/run.py [--repeat N] [--language ja])

The floor is a fresh Python process in which WeasyPrint alone renders the
final print HTML of the sample's annual report (that HTML is produced by
reportgen once, up front, with the charts inline). A second floor renders it
with reportgen's write options (PDF/UA tags, identifier, attached tables);
its PDF must have reportgen's pages, page by page the same text, which
shows the two lay out the same thing. reportgen's cold build is the `reportgen build` command in a
fresh process, PDF and HTML, `--no-cache`; also in one process (`-j 1`).
"Nothing changed" rebuilds an unchanged report into an output folder whose
cache is already filled; "a file it does not show changed" rebuilds after
an edit to a narrative file of the members' handout alone (a copy of the
sample): the whole-build record misses, the annual report comes from the
cache of documents, which a new process must find under the same keys.
All are timed wall-clock over N interleaved runs; the medians and their
ratio to the floor are printed, with the CPU seconds of each (user and
system, every process of it), the peak memory of the largest process
(max RSS) and of the whole process tree (PSS, from one more untimed run).
Numbers are only comparable within one run.

The floors lay out the very pages reportgen's PDF has: when reportgen lets
a short section share the page before (issue 27's second layout), the floors
get the same rule as a user stylesheet (``pdf.sharing_css`` of the sections
reportgen chose, after ``pdf.stacking_css`` of the rows it set stacked), so
they make one layout of the final page where reportgen makes the deciding
layouts too. ``--busy`` keeps one core busy (a process
spinning) while everything is timed: issue 29's target 5 asks for the same
ratio then.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from memory import available, timed, tree_peak_mib

PROJECT = Path(__file__).resolve().parents[1]
YEAR = PROJECT / "reports" / "fy2012"
# Edit a file (a line never written before, so no earlier build's record
# matches), then become the build.
EDIT_THEN = """
import os, sys, time
path, command = sys.argv[1], sys.argv[2:]
with open(path, "a", encoding="utf-8") as out:
    out.write(f"\\nAn edit for the benchmark, {time.time_ns()}.\\n")
os.execv(command[0], command)
"""

FLOOR = """
import json, sys
from pathlib import Path
from weasyprint import CSS, HTML
from reportgen.core.file_gate import Gate
from reportgen.typesetting.pdf import _fetcher
fetcher = _fetcher(Gate.of(Path(sys.argv[3])))
html = open(sys.argv[1], encoding="utf-8").read()
options = json.loads(Path(sys.argv[5]).read_text())
sharing = [CSS(string=options["sharing"])] if options["sharing"] else []
document = HTML(string=html, base_url=sys.argv[2], url_fetcher=fetcher).render(
    stylesheets=sharing)
NOTES
document.write_pdf(sys.argv[4])
"""

# The same, with the write options reportgen uses (PDF/UA tags, identifier,
# the data tables attached): its pages must be reportgen's (the same text, page by page).
FLOOR_SAME_PDF = """
import json, sys
from datetime import datetime
from pathlib import Path
from weasyprint import CSS, HTML, Attachment
from reportgen.core.file_gate import Gate
from reportgen.typesetting.pdf import _fetcher
fetcher = _fetcher(Gate.of(Path(sys.argv[3])))
html = open(sys.argv[1], encoding="utf-8").read()
options = json.loads(Path(sys.argv[5]).read_text())
when = datetime.fromisoformat(options["stamp"])
attachments = [
    Attachment(string=Path(path).read_bytes(), name=Path(path).name, created=when, modified=when,
               url_fetcher=fetcher, relationship="Data")
    for path in options["attachments"]
]
sharing = [CSS(string=options["sharing"])] if options["sharing"] else []
document = HTML(string=html, base_url=sys.argv[2], url_fetcher=fetcher).render(
    stylesheets=sharing)
NOTES
document.write_pdf(
    sys.argv[4], pdf_identifier=options["identifier"].encode(),
    pdf_variant=options["variant"], attachments=attachments)
"""


# The notes pages that make the page count up to the edition's multiple,
# numbered and placed as reportgen places them (``pdf.notes_folio_css``,
# ``pdf.padded``, functions on laid-out documents): WeasyPrint lays the
# notes page out too.
NOTES = """
if options["notes"] and (missing := -len(document.pages) % options["multiple"]):
    from reportgen.typesetting.pdf import notes_folio_css, padded
    notes = HTML(string=options["notes"], base_url=sys.argv[2], url_fetcher=fetcher)
    folio = CSS(string=notes_folio_css(document, options["notes"]))
    made = notes.render(stylesheets=[folio], font_config=document.font_config)
    document = padded(document, made, missing)
"""
FLOOR = FLOOR.replace("NOTES\n", NOTES.lstrip("\n"))
FLOOR_SAME_PDF = FLOOR_SAME_PDF.replace("NOTES\n", NOTES.lstrip("\n"))


def final_page(work: Path, language: str, at: Path = YEAR) -> tuple[Path, Path]:
    """The print HTML reportgen hands to WeasyPrint for the year ``at`` (the
    sample's), with the charts inline (reportgen serves them from its own
    fetcher as they are drawn), and reportgen's write options for it (as JSON),
    with the stylesheet of the sections its layout lets share a page."""
    import hashlib
    import json

    from reportgen.commands import build
    from reportgen.composing.edition_view import year_as_seen_by
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.reading.year_folders import earlier_years, neighbours
    from reportgen.typesetting.edition_render import figures_and_charts, print_page, print_pdf
    from reportgen.typesetting.pdf import sharing_css, stacking_css

    year = build.load_year(at, Diagnostics())
    history = [build.load_year(p, Diagnostics()) for p in earlier_years(at)]
    assert year is not None
    seen = year_as_seen_by(year, "annual-report", language)
    earlier = [year_as_seen_by(h, "annual-report", language) for h in history if h]
    analysis = figures_and_charts(seen, earlier, language)
    page = print_page(seen, "annual-report", language, analysis, neighbours=neighbours(at))
    made = print_pdf(page, lambda chart_id: analysis.charts[chart_id].svg.encode("utf-8"))
    html = page.html
    for chart in analysis.charts.values():
        html = html.replace(f'src="{chart.url}"', f'src="{chart.data_uri}"')
    (work / "final.html").write_text(html, "utf-8")
    attached = []
    for name, data in page.attachments:
        (work / name).write_bytes(data)
        attached.append(str(work / name))
    options = {
        "identifier": hashlib.sha256(page.html.encode()).hexdigest()[:32],
        "variant": page.variant or "pdf/ua-1",
        "stamp": f"{page.stamp.isoformat() if page.stamp else '2000-01-01'}T00:00:00+00:00",
        "attachments": attached,
        # The rows reportgen set stacked, then the sections it let share a
        # page: its last layout's two stylesheets, in that order.
        "sharing": (stacking_css(made.stacked) if made.stacked else "")
        + (sharing_css(made.shared) if made.shared else ""),
        "notes": page.notes or "",
        "multiple": page.layout.multiple,
    }
    (work / "options.json").write_text(json.dumps(options), "utf-8")
    return work / "final.html", work / "options.json"


def cpu_timed(cmd: list[str]) -> tuple[float, float, float]:
    """(wall s, peak MiB of the largest process, CPU s of every process of it)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, peak = timed(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, peak, cpu


def _text(pdf: Path) -> str:
    """The text of each page (Poppler's pdftotext), pages apart."""
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


BUSY = "while True:\n    pass\n"  # one core's worth of other work


FLOOR_CASE = "floor: WeasyPrint alone, fresh process"
COLD_CASE = "reportgen build (PDF + HTML), cold"
Runs = dict[str, list[tuple[float, float, float]]]


def measure(
    repeat: int = 5,
    language: str = "en",
    busy: bool = False,
    cold_only: bool = False,
    tree_peaks: bool = True,
) -> tuple[Runs, dict[str, float], str]:
    """Each case's runs (wall s, peak MiB, CPU s), interleaved ``repeat``
    times; the PSS of each case's process tree (when ``tree_peaks`` and the
    system shows it); the sharing rule the floors were given ("" if none).
    ``cold_only``: the floors and the cold builds only (target 5)."""
    python = sys.executable
    floor = FLOOR_CASE
    build = ["-m", "reportgen", "build", str(YEAR), "-q", "--edition", "annual-report",
             "--language", language]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        html, options = final_page(work, language)
        shutil.copytree(YEAR.parent, work / "set")
        notes = work / f"set/fy2012/narrative/04-internal-notes.{language}.md"
        edited = [python, "-m", "reportgen", "build", str(work / "set/fy2012"), "-q",
                  "--edition", "annual-report", "--language", language]  # fmt: skip
        page = [str(html), YEAR.as_uri() + "/", str(YEAR)]
        cases = {
            floor: [python, "-c", FLOOR, *page, str(work / "floor.pdf"), str(options)],
            "  the same PDF (tags, attachments) alone": [
                python, "-c", FLOOR_SAME_PDF, *page, str(work / "same.pdf"), str(options),
            ],
            COLD_CASE: [
                python, *build, "--out", str(work / "out"), "--no-cache",
            ],
            "  the same in one process (-j 1)": [
                python, *build, "--out", str(work / "serial"), "--no-cache", "-j", "1",
            ],
            "reportgen build, nothing changed (cache)": [
                python, *build, "--out", str(work / "warm"),
            ],
            "  a file it does not show changed (cache)": [
                python, "-c", EDIT_THEN, str(notes), python, *edited[1:],
                "--out", str(work / "edited"),
            ],
            "reportgen check": [python, "-m", "reportgen", "check", str(YEAR)],
            "reportgen --help": [python, "-m", "reportgen", "--help"],
        }  # fmt: skip
        if cold_only:
            cases = dict(list(cases.items())[:4])
        else:
            subprocess.run(cases["reportgen build, nothing changed (cache)"], check=True)  # fill it
            subprocess.run([*edited, "--out", str(work / "edited")], check=True)  # and this one
        results: Runs = {name: [] for name in cases}
        spinner = subprocess.Popen([python, "-c", BUSY]) if busy else None
        try:
            for _ in range(repeat):  # interleaved, so drift hits every case alike
                for name, cmd in cases.items():
                    results[name].append(cpu_timed(cmd))
        finally:
            if spinner is not None:
                spinner.kill()
                spinner.wait()
        totals = (
            {name: tree_peak_mib(cmd) for name, cmd in cases.items()}
            if tree_peaks and available() else {}
        )  # fmt: skip
        shared = json.loads(options.read_text())["sharing"]
        made = work / f"out/fy2012/{language}/annual-report.pdf"
        if _text(work / "same.pdf") != _text(made):
            raise SystemExit("the floor's pages differ from reportgen's: the comparison is void")
    return results, totals, shared


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--language", choices=["en", "ja"], default="en")
    parser.add_argument("--busy", action="store_true", help="keep one core busy meanwhile")
    parser.add_argument("--cold-only", action="store_true",
                        help="only the floors and the cold builds (target 5)")  # fmt: skip
    args = parser.parse_args()
    floor = FLOOR_CASE
    results, totals, shared = measure(args.repeat, args.language, args.busy, args.cold_only)
    base = statistics.median(s for s, _, _ in results[floor])
    base_cpu = statistics.median(c for _, _, c in results[floor])
    print(f"{'case':44} {'median s':>9} {'ratio':>6} {'+s':>6} {'CPU s':>6} {'CPU ratio':>9} "
          f"{'peak MiB':>9} {'all MiB':>8}")  # fmt: skip
    for name, runs in results.items():
        median = statistics.median(s for s, _, _ in runs)
        cpu = statistics.median(c for _, _, c in runs)
        peak = max(m for _, m, _ in runs)
        total = f"{totals[name]:8.0f}" if name in totals else f"{'-':>8}"
        print(f"{name:44} {median:9.2f} {median / base:6.2f} {median - base:+6.2f} "
              f"{cpu:6.2f} {cpu / base_cpu:9.2f} {peak:9.0f} {total}")  # fmt: skip
    busy_note = ", one core kept busy throughout" if args.busy else ""
    print(f"(median of {args.repeat} runs each{busy_note}; ratio = median / floor; CPU s = user")
    print(" and system of every process; peak MiB = the largest process; all MiB = the whole")
    print(" process tree, PSS, from one more untimed run.)")
    print("The floors lay out the final page: " + ("with reportgen's sharing rule " + shared
          if shared else "no section shares a page") + ".")  # fmt: skip
    print("The floor's PDF with reportgen's write options has reportgen's pages, page by page")
    print("the same text (pdftotext); its bytes differ only where reportgen's charts are")
    print("painted late (an SVG frame around the picture, pdf._late_frame).")


if __name__ == "__main__":
    main()
