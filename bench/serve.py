"""Benchmark: ``serve``, from saving a narrative file to the new page.

    .venv/bin/python bench/serve.py [--baseline REV] [--edits N] [--rounds N]

A preview of a copy of the sample's fy2012 (the annual report's HTML, as
``reportgen serve`` shows it) is started in a fresh process, with its file
watcher; then a sentence is added to a narrative file N times, and each time
the seconds from the save to the new page being ready to serve (the server's
``wait_for_change``, which is what wakes the open page's reload) are taken.
The same is done with the source of an earlier commit (default a31b6e5, the
code issue 29 measured), one process of each by turns, ``--rounds`` times.
Prints the median of each and the ratio (the target of issue 29: under 0.3 s).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "bench"))

from targets import BASELINE, unpack  # noqa: E402


def child(source: Path, edits: int) -> None:
    """In a fresh process: the preview of a sample copy with ``source``."""
    sys.path.insert(0, str(source))
    from reportgen.commands import serve

    serve.preload()
    with tempfile.TemporaryDirectory(prefix="reportgen-bench-serve-") as tmp:
        reports = Path(tmp) / "reports"
        shutil.copytree(PROJECT / "reports", reports)
        year = reports / "fy2012"
        preview = serve.Preview(year)
        preview.rebuild()  # the server's first build, before it serves
        watcher = threading.Thread(target=serve.watch, args=(preview,), daemon=True)
        watcher.start()
        time.sleep(1.0)  # the watcher is watching
        edited = year / "narrative/01-message.en.md"
        seconds = []
        for n in range(edits):
            sentence = f"Sentence number {n} of the preview bench."
            seen = preview.version
            started = time.perf_counter()
            with edited.open("a", encoding="utf-8") as handle:
                handle.write(f"\n{sentence}\n")
            while sentence.encode() not in preview.page:
                seen = preview.wait_for_change(seen, 60)
            seconds.append(time.perf_counter() - started)
            time.sleep(0.5)
        preview.stop()
    print(json.dumps(seconds))


def measure(baseline: str = BASELINE, edits: int = 5, rounds: int = 2) -> dict[str, list[float]]:
    """Seconds from each save to the new page, of the ``baseline`` commit's
    source and of today's ("baseline", "now"): one fresh process of each by
    turns, ``rounds`` times, ``edits`` saves in each."""
    with tempfile.TemporaryDirectory(prefix="reportgen-serve-") as tmp:
        base = unpack(baseline, Path(tmp))
        sources = {"baseline": base / "src", "now": PROJECT / "src"}
        times: dict[str, list[float]] = {name: [] for name in sources}
        for _ in range(rounds):
            for name, source in sources.items():
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(source), "--edits", str(edits)],
                    check=True, capture_output=True, text=True,
                ).stdout  # fmt: skip
                times[name] += json.loads(out.strip().splitlines()[-1])
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.edits)
        return
    times = measure(args.baseline, args.edits, args.rounds)
    median = {name: statistics.median(t) for name, t in times.items()}
    print(f"save to new page, {args.rounds} x {args.edits} edits each")
    for name, value in median.items():
        print(f"{name:9} median {value:6.3f} s   all: {' '.join(f'{t:.2f}' for t in times[name])}")
    print(f"ratio now / baseline {median['now'] / median['baseline']:.2f}")


if __name__ == "__main__":
    main()
