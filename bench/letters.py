"""Benchmark: personalised donor letters at scale.

    .venv/bin/python bench/letters.py [--donors 1000] [--scratch 4] [--jobs N]

Builds the sample's donor edition with a synthetic donors table of N rows
(the way reportgen does it: shared body once, one letter page per donor,
joined, in parallel) and, in the same run, renders a few donors' PDFs from
scratch (donor edition and letter laid out anew for each donor). Prints
letters per second and the ratio of per-letter cost.
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "src"))


def synthetic_donors(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "salutation", "email", "language", "amount", "address"])
        for i in range(count):
            ja = i % 5 == 0
            name = f"寄付者 {i}" if ja else f"Donor Number {i}"
            writer.writerow([
                f"B-{i:05d}", name, f"{name} 様" if ja else f"Dear {name}",
                f"donor{i}@example.org", "ja" if ja else "en", 1000 * (1 + i % 90),
                # every other donor has an address: letters with and without the block
                "" if i % 2 else f"{i} Example Street, Example Town EX{i % 9} 1AA",
            ])  # fmt: skip
    # The sample's gifts name its own donors (receipts, issue 28): no gift
    # names a synthetic donor, and none names a donor who is no longer there.
    gifts = path.with_name("gifts.csv")
    if gifts.is_file():
        gifts.write_text(gifts.read_text("utf-8").splitlines()[0] + "\n", "utf-8")


def _cpu() -> float:
    """CPU seconds (user and system) of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(
    donors: int = 1000, scratch: int = 4, jobs: int | None = None, floor: int = 40
) -> dict[str, float]:
    """The figures of target 2 in this process: the build of ``donors`` letters
    (``build`` wall s, ``build_cpu`` CPU s of it and its workers), the naive
    way per letter (``scratch``, s), WeasyPrint alone per letter (``floor``,
    s) and the ``workers`` used."""
    from reportgen.commands.build import load_year, render_edition, run_build
    from reportgen.composing.palette import palette
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.core.private_apis import font_subsets_shared
    from reportgen.core.process_pool import default_workers
    from reportgen.reading.year_folders import earlier_years
    from reportgen.typesetting.edition_render import logo_uri as _logo
    from reportgen.typesetting.html_pages import letter_css, theme_of
    from reportgen.typesetting.letters import (
        Body,
        _layout,
        letter_html,
        make_letters,
        render_batch,
    )
    from reportgen.typesetting.templating import template

    workers = jobs or default_workers()
    with tempfile.TemporaryDirectory() as tmp:
        reports = Path(tmp) / "reports"
        shutil.copytree(PROJECT / "reports", reports)
        year_dir = reports / "fy2012"
        synthetic_donors(year_dir / "data/donors.csv", donors)
        (year_dir / "data/gifts.csv").unlink(missing_ok=True)  # its donors' ids are gone

        run_build(year_dir, Path(tmp) / "warm", ["annual-report"])  # imports, font caches
        cpu = _cpu()
        started = time.perf_counter()
        result = run_build(year_dir, Path(tmp) / "out", ["donor"], workers=workers)
        total = time.perf_counter() - started
        total_cpu = _cpu() - cpu
        letters = [f for f in result.files if "/donors/" in str(f.path)]
        assert len(letters) == donors

        year = load_year(year_dir, Diagnostics())
        assert year is not None
        history = [y for p in earlier_years(year_dir) if (y := load_year(p, Diagnostics()))]
        made = make_letters(year, _logo(year))[:scratch]
        css = letter_css(palette(year.config.theme), "A4", year.config.theme.font)
        started = time.perf_counter()
        for letter in made:  # the naive way: everything laid out again for each donor
            body = render_edition(year, history, "donor", year.config.language)["donor.pdf"][0]
            bodies = {letter.language: Body(body, "Donor report")}
            render_batch([letter], css, year_dir, bodies, year.config.end, lambda n, d: None)
        naive = (time.perf_counter() - started) / len(made)

        # The floor: WeasyPrint alone on letter pages, as reportgen gives them
        # to it (the stylesheet parsed once, a batch's equal font subsets made
        # once), laid out and written, nothing joined nor inspected: its cost
        # per letter, over the first letters (the donors' mix of languages).
        sample = make_letters(year, _logo(year))[:floor]
        layout = _layout(letter_css(
            palette(year.config.theme), year.config.theme.page_size, year.config.theme.font,
            theme_of(year.config.root, year.config.theme_dir), year.config.languages,
        ), year.config.root)  # fmt: skip
        fill = template("letter.html.j2", year.config.theme_dir)
        pages = [letter_html(fill, letter, "") for letter in sample]
        started = time.perf_counter()
        with font_subsets_shared():
            for page in pages:
                layout.render(page).write_pdf(pdf_identifier=b"0" * 32, pdf_variant="pdf/ua-1")
        alone = (time.perf_counter() - started) / len(pages)
    return {
        "donors": donors, "workers": workers, "build": total, "build_cpu": total_cpu,
        "scratch": naive, "scratched": len(made), "floor": alone, "floored": len(pages),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--donors", type=int, default=1000)
    parser.add_argument("--scratch", type=int, default=4, help="donors rendered from scratch")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--floor", type=int, default=40, help="letters for the floor")
    args = parser.parse_args()
    found = measure(args.donors, args.scratch, args.jobs, args.floor)
    donors, workers, total = args.donors, int(found["workers"]), found["build"]
    per_letter = total / donors
    print(f"donors                         {donors}")
    print(f"workers                        {workers}")
    print(f"build, donor edition + letters {total:8.2f} s")
    print(f"  its CPU, every process       {found['build_cpu']:8.2f} s")
    print(f"letters per second             {donors / total:8.1f}")
    print(f"per letter, reportgen          {per_letter * 1000:8.1f} ms")
    print(f"per letter, from scratch       {found['scratch'] * 1000:8.1f} ms  "
          f"(mean of {found['scratched']:.0f})")  # fmt: skip
    print(f"ratio from scratch / reportgen {found['scratch'] / per_letter:8.1f}")
    print(
        f"WeasyPrint alone, per letter   {found['floor'] * 1000:8.1f} ms  (layout and write, "
        f"{found['floored']:.0f} of the letters, one process)"
    )
    print(
        f"its floor for {donors} letters     {found['floor'] * donors / workers:8.2f} s  "
        f"(on {workers} processes, donor editions not counted)"
    )


if __name__ == "__main__":
    main()
