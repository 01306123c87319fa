"""Benchmark: the worst valid narrative, every bound of narrative.WORKLOAD reached.

    .venv/bin/python bench/bounds.py [--kind footnotes] [--over]

Builds the sample's English annual report (PDF and HTML, no cache, one
process) with a narrative file added that brings the English documents to
exactly each limit of ``WORKLOAD`` at once (paragraphs, headings, list items,
table cells, footnotes, footnote references, pictures), and prints the wall
time, the CPU time (user and system, of every process of the build: on a
machine busy with other work, the better measure of the build's own cost)
and peak memory beside the sample's own. The limits are chosen so that
this build ends within a minute. ``--kind`` fills only that one limit (to see
what each costs); ``--over`` adds one more of each kind, which ``check``
refuses, naming the file and the count.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "src"))

from reportgen.core.diagnostics import Diagnostics  # noqa: E402
from reportgen.reading.narrative_html import WORKLOAD, _parser, workload  # noqa: E402
from reportgen.reading.readers.narrative import read_narrative  # noqa: E402


def english_counts(year: Path) -> Counter[str]:
    """What the English documents of ``year`` hold already."""
    total: Counter[str] = Counter()
    for path in sorted((year / "narrative").glob("*.md")):
        if path.name.count(".") == 1 or path.name.endswith(".en.md"):
            raw = read_narrative(path, Diagnostics())
            assert raw is not None, path
            total.update(workload(_parser().parse(raw.body, {})))
    return total


def filler(wanted: Counter[str]) -> str:
    """Markdown holding ``wanted`` more of each kind (by WORKLOAD's names).

    Each footnote's text is a paragraph and each list item holds one, so
    those come first and the plain paragraphs make up the rest."""
    footnotes, items = wanted["footnotes"], wanted["list items"]
    refs = max(wanted["footnote references"], footnotes)
    cells = wanted["table cells"]
    paragraphs = wanted["paragraphs"] - footnotes - items
    lines = ["# Bounds", ""]
    lines += [f"## Part {i}" for i in range(wanted["headings"] - 1)]  # the title is one
    lines += [""]
    calls = [f"[^n{i % footnotes}]" if footnotes else "" for i in range(refs)]
    pictures = ["![A network of partner groups](assets/coalition-network.svg)"] * wanted["pictures"]
    for i in range(max(paragraphs, 1)):
        lines += [f"Paragraph {i}{''.join(calls[i::max(paragraphs, 1)])}"
                  f"{''.join(pictures[i::max(paragraphs, 1)])}.", ""]  # fmt: skip
    lines += [f"- item {i}" for i in range(items)] + [""]
    if cells:  # one column: a header cell and a cell a row
        lines += ["| a |", "|---|"] + [f"| {i} |" for i in range(cells - 1)] + [""]
    lines += [f"[^n{i}]: Note {i}." for i in range(footnotes)]
    return "\n".join(lines) + "\n"


def measured(cmd: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of the command and its processes, peak RSS
    of the largest in MiB) of one run, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, after.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=[name for name, _, _ in WORKLOAD])
    parser.add_argument("--over", action="store_true")
    args = parser.parse_args()
    print(f"{'narrative':>24} {'seconds':>8} {'CPU s':>8} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for label in ("the sample", args.kind or "every limit"):
            work = Path(tmp) / label.replace(" ", "-")
            shutil.copytree(PROJECT / "reports", work / "reports")
            year = work / "reports/fy2012"
            if label != "the sample":
                have = english_counts(year)
                extra = 1 if args.over else 0
                wanted = Counter({name: limit - have[name] + extra for name, _, limit in WORKLOAD
                                  if args.kind in (None, name)})  # fmt: skip
                (year / "narrative/06-bounds.en.md").write_text(filler(wanted), "utf-8")
                print("   ", dict(english_counts(year)))
            cmd = [sys.executable, "-m", "reportgen", "build", str(year), "--out",
                   str(work / "out"), "--edition", "annual-report", "--language", "en",
                   "--no-cache", "-j", "1", "-q"]  # fmt: skip
            if args.over:
                result = subprocess.run(cmd, capture_output=True, text=True)
                print(f"exit {result.returncode}\n{result.stderr}")
                continue
            seconds, cpu, peak = measured(cmd)
            print(f"{label:>24} {seconds:>8.1f} {cpu:>8.1f} {peak:>9.0f}")


if __name__ == "__main__":
    main()
