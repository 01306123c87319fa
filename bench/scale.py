"""Benchmark: how cost grows with the size of a year, against WeasyPrint alone.

    .venv/bin/python bench/scale.py                      every case at its default sizes
    .venv/bin/python bench/scale.py --case paragraph --sizes 50 200

Each case makes a copy of the sample report set with one thing grown, builds
its English annual report (PDF and HTML, ``--no-cache``, a fresh process),
then times WeasyPrint alone, in a fresh process, on the very print HTML the
build handed it (charts inline, the same write options: PDF/UA tags,
identifier, attached tables). Both are timed in the same run, one right after
the other, so that their ratio holds on any machine. The cases:

- ``paragraph``: one narrative paragraph of SIZE KB (50 to 1,500);
- ``paragraphs``: a narrative of SIZE pages of ordinary paragraphs (to 400);
- ``word``: a Word narrative (``.docx``) of SIZE pages, headings and paragraphs;
- ``activities``: an activities table of SIZE rows (the PDF prints at most
  ``pdf_table_rows`` and attaches the full list as CSV).

For each: wall seconds of the build and of WeasyPrint alone and their ratio
(target: at most 1.3 at every size), the same for CPU seconds (user and
system, of every process each ran), the build's peak memory (largest
process), PDF pages and the print HTML's size. On a machine that others load,
wall times swing by a third or more from one run to the next; CPU seconds
swing less, and their ratio is the work the build adds to WeasyPrint's (its
chart process included, which on free cores costs no wall time).
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from memory import timed
from run import FLOOR_SAME_PDF

PROJECT = Path(__file__).resolve().parents[1]
SIZES = {
    "paragraph": [50, 200, 500, 1500],
    "paragraphs": [100, 400],
    "word": [300],
    "activities": [500, 5000, 20000],
}
UNITS = {"paragraph": "KB", "paragraphs": "pages", "word": "pages", "activities": "rows"}
# Words of ordinary prose, cycled: no two neighbouring sentences alike, no
# word so long that it needs breaking.
SOURCE = (
    "the year our volunteers met families at the station and walked with them to a safe "
    "house where a warm meal and a bed were waiting while lawyers prepared the papers that "
    "would let each person stay and work and send their children to school in time for "
    "the new term and every donation however small paid for part of that journey"
)
WORDS = SOURCE.split()
PAGE_CHARS = 3000  # about a page of 10-point prose in the report's column

# Writes the print HTML the build hands to WeasyPrint (charts inline) and its
# write options, for the floor to render: run in a process of its own.
FINAL_PAGE = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from run import final_page
final_page(Path(sys.argv[1]), "en", Path(sys.argv[2]))
"""


def prose(chars: int, seed: int = 0) -> str:
    """About ``chars`` characters of sentences."""
    out: list[str] = []
    size = 0
    i = seed
    while size < chars:
        length = 9 + i % 13
        words = [WORDS[(i * 7 + k) % len(WORDS)] for k in range(length)]
        sentence = " ".join(words).capitalize() + "."
        out.append(sentence)
        size += len(sentence) + 1
        i += 1
    return " ".join(out)


def activities(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "title", "category", "location", "description",
                         "participants", "visibility"])  # fmt: skip
        for i in range(rows):
            day = f"2013-{1 + i % 8:02d}-{1 + i % 28:02d}"
            writer.writerow([day, f"Activity {i}", f"Category {i % 6}", "Tokyo",
                             f"Synthetic row {i}", i % 50, "public"])  # fmt: skip


def grow(year: Path, case: str, size: int) -> None:
    """The sample year at ``year`` with ``case`` grown to ``size``."""
    narrative = year / "narrative"
    if case == "paragraph":
        text = f"# One long paragraph\n\n{prose(size * 1000)}\n"
        (narrative / "06-long.md").write_text(text, "utf-8")
    elif case == "paragraphs":
        paragraphs = [prose(1000, seed=n) for n in range(size * PAGE_CHARS // 1000)]
        body = "\n\n".join(
            (f"## Part {n // 12 + 1}\n\n" if n % 12 == 0 else "") + p
            for n, p in enumerate(paragraphs)
        )
        (narrative / "06-long.md").write_text(f"# Many paragraphs\n\n{body}\n", "utf-8")
    elif case == "word":
        sys.path.insert(0, str(PROJECT))
        from tests import wordgen

        doc = wordgen.document("A long Word document")
        for n in range(size * PAGE_CHARS // 1000):
            if n % 12 == 0:
                doc.add_heading(f"Part {n // 12 + 1}", level=2)
            doc.add_paragraph(prose(1000, seed=n))
        wordgen.save(doc, narrative / "06-long.docx")
    else:
        activities(year / "data/activities.csv", size)


def cpu_seconds() -> float:
    """User and system CPU seconds of every finished child process so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def cpu_timed(cmd: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s of the whole process tree, peak MiB of its largest process)."""
    before = cpu_seconds()
    seconds, peak = timed(cmd)
    return seconds, cpu_seconds() - before, peak


Measured = tuple[float, float, float, float, float, str, float]


def measure(tmp: Path, case: str, size: int) -> Measured:
    """(build s, WeasyPrint alone s, build CPU s, WeasyPrint CPU s, build peak
    MiB, PDF pages, print HTML MiB)."""
    work = tmp / f"{case}-{size}"
    shutil.copytree(PROJECT / "reports", work / "reports")
    year = work / "reports/fy2012"
    grow(year, case, size)
    build = [sys.executable, "-m", "reportgen", "build", str(year), "--out", str(work / "out"),
             "--edition", "annual-report", "--language", "en", "--no-cache", "-q"]  # fmt: skip
    seconds, cpu, peak = cpu_timed(build)
    subprocess.run(
        [sys.executable, "-c", FINAL_PAGE, str(work), str(year), str(PROJECT / "bench")],
        check=True,
    )
    page = [str(work / "final.html"), year.as_uri() + "/", str(year)]
    alone = [sys.executable, "-c", FLOOR_SAME_PDF, *page, str(work / "floor.pdf"),
             str(work / "options.json")]  # fmt: skip
    floor, floor_cpu, _ = cpu_timed(alone)
    pdf = work / "out/fy2012/en/annual-report.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = next((ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages")), "?")
    html = (work / "final.html").stat().st_size / 2**20
    shutil.rmtree(work)
    return seconds, floor, cpu, floor_cpu, peak, pages, html


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=list(SIZES), action="append")
    parser.add_argument("--sizes", type=int, nargs="+", help="sizes of the (one) case")
    args = parser.parse_args()
    cases = args.case or list(SIZES)
    if args.sizes and len(cases) != 1:
        parser.error("--sizes needs exactly one --case")
    print(f"{'case':>10} {'size':>11} {'build s':>8} {'alone s':>8} {'ratio':>6} "
          f"{'build CPU':>10} {'alone CPU':>10} {'ratio':>6} "
          f"{'peak MiB':>9} {'pages':>6} {'html MiB':>9}", flush=True)  # fmt: skip
    worst = [0.0, 0.0]
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            for size in args.sizes or SIZES[case]:
                seconds, floor, cpu, floor_cpu, peak, pages, html = measure(Path(tmp), case, size)
                worst = [max(worst[0], seconds / floor), max(worst[1], cpu / floor_cpu)]
                print(f"{case:>10} {f'{size} {UNITS[case]}':>11} {seconds:8.2f} {floor:8.2f} "
                      f"{seconds / floor:6.2f} {cpu:10.2f} {floor_cpu:10.2f} "
                      f"{cpu / floor_cpu:6.2f} {peak:9.0f} {pages:>6} {html:9.1f}",
                      flush=True)  # fmt: skip
    print(f"largest ratio: wall {worst[0]:.2f}, CPU {worst[1]:.2f} (target: at most 1.3)")


if __name__ == "__main__":
    main()
