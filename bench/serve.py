"""Benchmark: ``serve``, from saving a narrative file to the new page.

    .venv/bin/python bench/serve.py [--baseline REV] [--edits N] [--rounds N] [--browser]

A preview of a copy of the sample's fy2012 (the annual report's HTML, as
``reportgen serve`` shows it) is started in a fresh process, with its file
watcher; then a sentence is added to a narrative file N times, and each time
the seconds from the save to the new page being ready to serve (the server's
``wait_for_change``, which is what wakes the open page) are taken. With
``--browser``, the preview is also served over HTTP and open in Debian's
chromium (Playwright, as tests/test_serve.py drives it), and the seconds are
those from the save to the sentence being on the page in the browser: what
issue 29's target 4 names. The same is done with the source of an earlier
commit (default a31b6e5, the code issue 29 measured), one process of each by
turns, ``--rounds`` times. Prints the median of each and the ratio (the
target of issue 29: under 0.3 s).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "bench"))

from targets import BASELINE, unpack  # noqa: E402


def child(source: Path, edits: int, browser: bool = False) -> None:
    """In a fresh process: the preview of a sample copy with ``source``
    (with ``browser``, served and open in chromium)."""
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
        edited = year / "narrative/01-message.en.md"
        with contextlib.ExitStack() as stack:
            page = stack.enter_context(_open_page(serve, preview)) if browser else None
            time.sleep(1.0)  # the watcher is watching
            seconds = []
            for n in range(edits):
                sentence = f"Sentence number {n} of the preview bench."
                seen = preview.version
                started = time.perf_counter()
                with edited.open("a", encoding="utf-8") as handle:
                    handle.write(f"\n{sentence}\n")
                if page is not None:
                    page.get_by_text(sentence).wait_for(timeout=60_000)
                else:
                    while sentence.encode() not in preview.page:
                        seen = preview.wait_for_change(seen, 60)
                seconds.append(time.perf_counter() - started)
                time.sleep(0.5)
        preview.stop()
    print(json.dumps(seconds))


@contextlib.contextmanager
def _open_page(serve: Any, preview: Any) -> Iterator[Any]:
    """The preview served on a free port and open in chromium: the page."""
    sys.path.insert(0, str(PROJECT))
    from tests import browser

    server = serve.make_server(preview, 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                     daemon=True).start()  # fmt: skip
    try:
        with browser.chromium() as chromium:
            page = chromium.new_page()
            page.goto(f"http://{serve.HOST}:{server.server_address[1]}/")
            yield page
    finally:
        preview.stop()  # ends the page's event stream, then the server
        server.shutdown()
        server.server_close()


def measure(
    baseline: str = BASELINE, edits: int = 5, rounds: int = 2, browser: bool = False
) -> dict[str, list[float]]:
    """Seconds from each save to the new page, of the ``baseline`` commit's
    source and of today's ("baseline", "now"): one fresh process of each by
    turns, ``rounds`` times, ``edits`` saves in each; with ``browser``, to
    the new text on the page in chromium."""
    with tempfile.TemporaryDirectory(prefix="reportgen-serve-") as tmp:
        base = unpack(baseline, Path(tmp))
        sources = {"baseline": base / "src", "now": PROJECT / "src"}
        times: dict[str, list[float]] = {name: [] for name in sources}
        for _ in range(rounds):
            for name, source in sources.items():
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(source), "--edits", str(edits),
                     *(["--browser"] if browser else [])],
                    check=True, capture_output=True, text=True,
                ).stdout  # fmt: skip
                times[name] += json.loads(out.strip().splitlines()[-1])
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--browser", action="store_true", help="to the text shown in chromium")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.edits, args.browser)
        return
    times = measure(args.baseline, args.edits, args.rounds, args.browser)
    median = {name: statistics.median(t) for name, t in times.items()}
    where = "the new text shown in chromium" if args.browser else "new page ready to serve"
    print(f"save to {where}, {args.rounds} x {args.edits} edits each")
    for name, value in median.items():
        print(f"{name:9} median {value:6.3f} s   all: {' '.join(f'{t:.2f}' for t in times[name])}")
    print(f"ratio now / baseline {median['now'] / median['baseline']:.2f}")


if __name__ == "__main__":
    main()
