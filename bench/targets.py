"""Benchmark: the six targets of issue 29, each beside its baseline, in one table.

    .venv/bin/python bench/targets.py [--quick] [--baseline REV] [--repeat N]
                                      [--donors N] [--busy] [--only 1,2,...]
    make bench-targets          (make bench-targets ARGS=--quick)

Every figure is measured in this run, and so is its baseline, by the
sub-benches imported as functions (``letters.measure``, ``run.measure``,
``serve.measure``, ``size.documents``), never by reading their printed text:

1. sizes: the largest Japanese or Korean letter (at most 300 KB) and the
   largest ratio of a CJK edition to its English counterpart (at most 2),
   and each CJK edition's ratio on a line of its own,
   from the whole-set builds of target 3; baseline: the same figures of the
   baseline commit's build (``bench/size.py`` compares their pixels);
2. 1,000 letters (``bench/letters.py``): the build's wall time on every core
   (under 15 s) and its ratio to the naive way, a full render per letter, in
   the same process (at least 100x); also its CPU per letter beside
   WeasyPrint's alone on the same letter pages;
3. the whole sample set cold (``--no-cache``, every year, edition, language
   and the letters) with one process per core: median wall time (at most
   10 s) and CPU; baseline: the baseline commit's build by turns. Then a
   rebuild after one narrative edit, as the build reports it: only
   documents of the edited file's year and language (fy2012's English
   annual report and handout, which show it) may be laid out again;
4. ``serve``, save to new page (``bench/serve.py``, under 0.3 s); baseline:
   the baseline commit's preview, a process of each by turns; then the same
   to the new text shown in chromium (``--browser``), where it is installed;
5. the annual report cold, CPU seconds of ``reportgen build`` over
   WeasyPrint alone on the same HTML in a fresh process (``bench/run.py
   --cold-only``; at most 1.10x; ``--busy``: also with one core kept busy);
6. the largest process of the whole-set build of target 3 (under 500 MiB).

The baseline commit (default a31b6e5, the code issue 29 was measured on) is
unpacked into a temporary folder (``git archive``: its src, templates, bench
and sample) and run in this project's environment. ``--quick`` (one run of
each, 200 donors scaled to 1,000, fewer serve edits) costs a few CPU minutes
rather than a quarter of an hour. The machine may be shared: trust CPU
seconds and the ratios between neighbouring runs more than wall times.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "src"))
sys.path.insert(0, str(PROJECT / "bench"))


BASELINE = "a31b6e5"


def unpack(revision: str, into: Path) -> Path:
    """The baseline's src, templates, bench and sample reports, at ``into``."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, "src", "templates", "bench", "reports"],
        cwd=PROJECT, check=True, capture_output=True,
    ).stdout  # fmt: skip
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


# Runs a command; prints the peak RSS (KiB) of its largest process and the CPU
# seconds (user and system) of all of its processes.
_MEASURED = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "if done.returncode:\n"
    "    sys.exit(done.returncode)\n"
    "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(use.ru_maxrss, use.ru_utime + use.ru_stime)\n"
)


class Refused(Exception):
    """The code built refused the sample (exit 2): an older commit's reader
    does not know what today's sample uses."""


def whole_set(
    tree: Path, out: Path, reports: Path = PROJECT / "reports"
) -> tuple[float, float, float]:
    """(seconds, CPU seconds, MiB of the largest process) of a cold build of
    the sample set ``reports`` with ``tree``'s source, in a fresh process."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "reportgen", "build", str(reports),
               "--out", str(out), "--no-cache", "-q"]  # fmt: skip
    started = time.perf_counter()
    made = subprocess.run(
        [sys.executable, "-c", _MEASURED, *command], capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(tree / "src")},
    )  # fmt: skip
    if made.returncode == 2:
        raise Refused(made.stderr.strip().splitlines()[-1])
    made.check_returncode()
    seconds = time.perf_counter() - started
    peak, cpu = made.stdout.split()[-2:]
    return seconds, float(cpu), int(peak) / 1024


def narrative_edit(scratch: Path) -> tuple[int, tuple[str, ...], tuple[str, ...], float]:
    """Today's code: a build, one narrative file of the English annual report
    edited, the rebuild: (documents and letters of the cold build, what the
    rebuild laid out again, what it reused, its seconds)."""
    from reportgen.commands.build import run_build

    reports = scratch / "reports"
    shutil.copytree(PROJECT / "reports", reports)
    out = scratch / "edited"
    first = run_build(reports, out)
    edited = reports / EDITED
    edited.write_text(edited.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    started = time.perf_counter()
    second = run_build(reports, out)
    return len(first.rendered), second.rendered, second.reused, time.perf_counter() - started


EDITED = "fy2012/narrative/01-message.en.md"  # shown by the English annual report and handout


def _only_its_documents(rendered: tuple[str, ...]) -> bool:
    """Whether a rebuild after editing ``EDITED`` laid out only documents of
    its year and language (fy2012's English editions: the annual report and
    the handout show the message), no letter and nothing of another year or
    language."""
    return bool(rendered) and all(name.startswith("fy2012/en/") for name in rendered)


def cjk_sizes(out: Path) -> tuple[float, dict[str, float]]:
    """(largest Japanese or Korean letter in KB, each CJK edition's ratio to
    its English counterpart by its label) of a built set (``size.documents``)."""
    from size import documents

    letters, ratios = [0.0], {}
    for label, pdf, english in documents(out):
        if "/donors/" in label:
            letters.append(pdf.stat().st_size / 1000)
        elif "/receipts/" not in label:
            ratios[label] = pdf.stat().st_size / english.stat().st_size
    return max(letters), ratios


Row = tuple[str, str, str, str, str]  # target, figure, baseline, goal, met


def _met(ok: bool) -> str:
    return "yes" if ok else "NO"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--repeat", type=int, default=None, help="runs of each (3; --quick 1)")
    parser.add_argument("--donors", type=int, default=None, help="letters (1000; --quick 200)")
    parser.add_argument("--quick", action="store_true", help="fewer runs, donors and edits")
    parser.add_argument("--busy", action="store_true", help="target 5 with one core busy too")
    parser.add_argument("--only", default="1,2,3,4,5,6", help="the targets to measure")
    args = parser.parse_args()
    repeat = args.repeat or (1 if args.quick else 3)
    donors = args.donors or (200 if args.quick else 1000)
    only = {int(x) for x in args.only.split(",") if x.strip()}

    rows: list[Row] = []
    print(f"baseline {args.baseline}; {os.cpu_count()} cores; {repeat} run(s) of each; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="reportgen-targets-") as tmp:
        scratch = Path(tmp)
        if only & {1, 3, 6}:
            base = unpack(args.baseline, scratch / "baseline")
            trees = {"baseline": base, "now": PROJECT}
            samples = {name: PROJECT / "reports" for name in trees}
            times: dict[str, list[float]] = {name: [] for name in trees}
            cpus: dict[str, list[float]] = {name: [] for name in trees}
            peaks: dict[str, list[float]] = {name: [] for name in trees}
            for _ in range(repeat):
                for name, tree in trees.items():  # the baseline first, then today's, each round
                    try:
                        seconds, cpu, mib = whole_set(tree, scratch / f"set-{name}", samples[name])
                    except Refused as refused:
                        if samples[name] != PROJECT / "reports":
                            raise
                        # The sample grew what the baseline cannot read (a
                        # narrative role, an organisation key; it refuses at
                        # once): it builds the sample of its own commit.
                        print(f"{name} refuses today's sample ({refused}); it builds its own")
                        samples[name] = tree / "reports"
                        seconds, cpu, mib = whole_set(tree, scratch / f"set-{name}", samples[name])
                    times[name].append(seconds)
                    cpus[name].append(cpu)
                    peaks[name].append(mib)
            wall = {name: statistics.median(t) for name, t in times.items()}
            cpu = {name: statistics.median(t) for name, t in cpus.items()}
            peak = {name: max(p) for name, p in peaks.items()}
            if 1 in only:
                letter, edition = cjk_sizes(scratch / "set-now")
                letter_then, edition_then = cjk_sizes(scratch / "set-baseline")
                rows.append(("1. largest CJK letter, KB", f"{letter:.0f}",
                             f"{letter_then:.0f}", "<= 300", _met(letter <= 300)))  # fmt: skip
                largest, then = max(edition.values()), max(edition_then.values())
                rows.append(("1. largest CJK edition / English", f"{largest:.2f}",
                             f"{then:.2f}", "<= 2.00", _met(largest <= 2.0)))  # fmt: skip
                for label, ratio in sorted(edition.items()):  # each CJK edition
                    before = f"{edition_then[label]:.2f}" if label in edition_then else "-"
                    rows.append((f"   {label} / English", f"{ratio:.2f}", before, "<= 2.00",
                                 _met(ratio <= 2.0)))  # fmt: skip
            if 3 in only:
                fast = _met(wall["now"] <= 10)
                rows.append(("3. whole set cold, wall s (median)", f"{wall['now']:.2f}",
                             f"{wall['baseline']:.2f}", "<= 10", fast))  # fmt: skip
                rows.append(("   its CPU s, every process (median)", f"{cpu['now']:.2f}",
                             f"{cpu['baseline']:.2f}", "", ""))  # fmt: skip
            if 6 in only:
                small = _met(peak["now"] < 500)
                rows.append(("6. largest process of it, MiB", f"{peak['now']:.0f}",
                             f"{peak['baseline']:.0f}", "< 500", small))  # fmt: skip
        if 3 in only:
            total, rendered, reused, seconds = narrative_edit(scratch)
            rows.append((f"3. one edit: laid out again, of {len(rendered) + len(reused)}",
                         f"{len(rendered)}", f"{total} cold", "fy2012/en only",
                         _met(_only_its_documents(rendered))))  # fmt: skip
            rows.append((f"   ({seconds:.1f} s) " + ", ".join(rendered), "", "", "", ""))
        if 2 in only:
            from letters import measure as letters_measure

            made = letters_measure(donors, scratch=2 if args.quick else 4,
                                   floor=20 if args.quick else 40)  # fmt: skip
            per_letter = made["build"] / donors
            thousand = per_letter * 1000
            scaled = "" if donors == 1000 else f" (from {donors})"
            rows.append((f"2. 1,000 letters, wall s{scaled}", f"{thousand:.1f}",
                         f"{made['scratch'] * 1000:.0f} naive", "< 15",
                         _met(thousand < 15)))  # fmt: skip
            ratio = made["scratch"] / per_letter
            rows.append(("2. naive way / reportgen, per letter", f"{ratio:.1f}", "1", ">= 100",
                         _met(ratio >= 100)))  # fmt: skip
            rows.append((f"   CPU ms a letter, every process ({made['workers']:.0f} workers)",
                         f"{made['build_cpu'] / donors * 1000:.0f}",
                         f"{made['floor'] * 1000:.0f} alone", "", ""))  # fmt: skip
        if 4 in only:
            from serve import measure as serve_measure

            saves = serve_measure(args.baseline, 3 if args.quick else 5, 1 if args.quick else 2)
            now, then = (statistics.median(saves[name]) for name in ("now", "baseline"))
            rows.append(("4. serve, save to new page, s (median)", f"{now:.3f}", f"{then:.3f}",
                         "< 0.3", _met(now < 0.3)))  # fmt: skip
            if shutil.which("/usr/bin/chromium"):  # to the new text on the page in the browser
                shown = serve_measure(args.baseline, 3 if args.quick else 5,
                                      1 if args.quick else 2, browser=True)  # fmt: skip
                now, then = (statistics.median(shown[name]) for name in ("now", "baseline"))
                rows.append(("4. the same, to the text shown in chromium, s", f"{now:.3f}",
                             f"{then:.3f}", "< 0.3", _met(now < 0.3)))  # fmt: skip
        if 5 in only:
            from run import COLD_CASE, FLOOR_CASE
            from run import measure as run_measure

            for busy in (False, True) if args.busy else (False,):
                runs, _, _ = run_measure(repeat, "en", busy, cold_only=True, tree_peaks=False)
                build_cpu = statistics.median(c for _, _, c in runs[COLD_CASE])
                floor_cpu = statistics.median(c for _, _, c in runs[FLOOR_CASE])
                ratio = build_cpu / floor_cpu
                label = "one core busy" if busy else "CPU"
                rows.append((f"5. annual report cold / WeasyPrint, {label}", f"{ratio:.2f}",
                             f"{floor_cpu:.2f} s", "<= 1.10", _met(ratio <= 1.10)))  # fmt: skip
                build_wall = statistics.median(s for s, _, _ in runs[COLD_CASE])
                floor_wall = statistics.median(s for s, _, _ in runs[FLOOR_CASE])
                rows.append(("   the same, wall", f"{build_wall / floor_wall:.2f}",
                             f"{floor_wall:.2f} s", "", ""))  # fmt: skip
    show(rows, args.baseline)


def show(rows: list[Row], baseline: str) -> None:
    """The rows in the order of the targets (a row whose label starts with
    spaces belongs to the target above it), as a table."""
    numbered, target = [], 0
    for row in rows:
        target = int(row[0][0]) if row[0][0].isdigit() else target
        numbered.append((target, row))
    rows = [row for _, row in sorted(numbered, key=lambda pair: pair[0])]
    width = max(len(row[0]) for row in rows) if rows else 10
    print(f"{'target':{width}}  {'figure':>8}  {'baseline':>14}  {'goal':>12}  met")
    for label, figure, before, goal, met in rows:
        print(f"{label:{width}}  {figure:>8}  {before:>14}  {goal:>12}  {met}", flush=True)
    print(f"(baseline: {baseline}'s code for 1, 3, 4 and 6; the naive way for 2; WeasyPrint")
    print(" alone on the same HTML in a fresh process for 5, and its CPU s)")


if __name__ == "__main__":
    main()
