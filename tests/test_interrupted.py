"""Builds that are killed, stopped, run twice at once or cannot write: no
output lost or half-replaced, nothing left running, nothing left behind.
Each builds the small test root (tests/roots/small: every edition, one
language): what is killed or refused is the build's machinery, the same
for any report."""

from __future__ import annotations

import ctypes
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from reportgen import cli
from reportgen.core import process_pool
from tests.conftest import BuiltRoot

YEAR = "fy2012"


def _start(
    year: Path, out: Path, *options: str, preexec_fn: Callable[[], None] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reportgen", "build", str(year), "--out", str(out), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=preexec_fn,
    )


def _finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = process.communicate(timeout=300)
    return process.returncode, err


def _manifest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith(f".{YEAR}."))


def _running(marker: Path) -> list[int]:
    """Processes whose command line names ``marker`` (a build and its forks)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(marker) in (entry / "cmdline").read_text():
                found.append(int(entry.name))
        except OSError:
            continue  # ended meanwhile
    return found


def _none_running(marker: Path, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while _running(marker):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen[str]) -> bool:
    """Poll until ``condition`` holds; False if the build ended first."""
    while not condition():
        if process.poll() is not None:
            return False
        time.sleep(0.002)
    return True


def _donors(year: Path, ids: range, changed: str = "") -> None:
    """The root's donors and more, so that the letters take a while to write."""
    table = year / "data/donors.csv"
    lines = table.read_text("utf-8").splitlines()
    extra = [f"D-{n},Donor {n}{changed},Dear donor {n},d{n}@example.org,en,{n}" for n in ids]
    table.write_text("\n".join([*lines, *extra]) + "\n", "utf-8")


needs_proc = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")


@pytest.mark.slow
@needs_proc
def test_kill_9_at_any_instant_leaves_the_old_or_the_new_set_and_nothing_behind(
    small_set: Path, tmp_path: Path
) -> None:
    # Issue 11, case 7: killed during the final write, a build deleted donor
    # letters, and staging folders piled up. Two inputs whose letters differ
    # (other donors, another amount), built in turn and killed at random
    # instants: at random in a cold build, or just after its staging
    # folder appears (the final write), which is where letters were lost.
    year = small_set / YEAR
    original = (year / "data/donors.csv").read_bytes()
    _donors(year, range(100, 140))
    first = (year / "data/donors.csv").read_bytes()
    (year / "data/donors.csv").write_bytes(original)
    _donors(year, range(120, 170), changed=" (renewed)")
    second = (year / "data/donors.csv").read_bytes()
    out = tmp_path / "out"

    def build(donors: bytes, *options: str) -> subprocess.Popen[str]:
        (year / "data/donors.csv").write_bytes(donors)
        return _start(year, out, "-q", *options)

    # another edition too, carried over by the builds of the donor edition
    code, err = _finish(build(first, "--edition", "handout", "--edition", "donor"))
    assert code == 0, err
    sets = {first: _manifest(out / YEAR)}
    started = time.monotonic()
    code, err = _finish(build(second, "--edition", "donor"))
    cold = time.monotonic() - started
    assert code == 0, err
    sets[second] = _manifest(out / YEAR)

    def others(files: dict[str, str]) -> dict[str, str]:
        return {name: sha for name, sha in files.items() if not name.startswith("donor")}

    # other editions carried over, letters (and the donor edition) not the same
    assert others(sets[first]) == others(sets[second])
    assert "handout.pdf" in others(sets[first])  # one language: no language folders
    assert {n for n in sets[first] if n.startswith("donors/")} != {
        n for n in sets[second] if n.startswith("donors/")
    }

    rng = random.Random(11)
    during_write = 0
    for turn in range(8):
        donors, previous = (first, second) if turn % 2 == 0 else (second, first)
        if turn % 4 == 3:  # a cold build, killed anywhere, letter workers running or not
            process = build(donors, "--edition", "donor", "--no-cache")
            time.sleep(rng.uniform(0.1, 1.0) * cold)
        else:
            process = build(donors, "--edition", "donor")
            if _wait_for(lambda: bool(_leftovers(out)), process):
                time.sleep(rng.uniform(0, 0.05))
                during_write += 1
        process.kill()
        process.wait()
        assert _none_running(out), f"turn {turn}: a killed build's process lives on"
        if (out / YEAR).exists():
            assert _manifest(out / YEAR) in (sets[donors], sets[previous]), f"turn {turn}"
        else:  # only where folders cannot be exchanged: the old set waits aside
            assert _manifest(out / f".{YEAR}.previous") == sets[previous], f"turn {turn}"
    assert during_write >= 3  # the final write was hit, not only the rendering

    code, err = _finish(build(first, "--edition", "donor"))  # recovers, then builds
    assert code == 0, err
    assert _manifest(out / YEAR) == sets[first]
    assert _leftovers(out) == []


def test_two_builds_of_one_report_at_once_both_succeed(
    small_set: Path, tmp_path: Path, built_small: BuiltRoot
) -> None:
    # Issue 11, case 8: they crashed with "internal error: FileNotFoundError".
    out = tmp_path / "out"
    builds = [_start(small_set / YEAR, out) for _ in range(2)]
    results = [_finish(process) for process in builds]
    assert [code for code, _ in results] == [0, 0], results
    waited = [err for _, err in results if f"waiting for another build of {out}" in err]
    assert len(waited) == 1
    ours, shared = _manifest(out / YEAR), _manifest(built_small.out / YEAR)
    assert {"annual-report.pdf", "handout.pdf", "donor.pdf"} < ours.keys()
    assert any(name.startswith("donors/") for name in ours)
    assert ours == shared  # the files of the shared build
    assert _leftovers(out) == []


@needs_proc
@pytest.mark.parametrize("when", ["workers starting", "letters rendering"])
def test_sigterm_stops_the_build_its_workers_and_writes_nothing(
    small_set: Path, tmp_path: Path, when: str
) -> None:
    # Issue 11, case 7: after SIGTERM, workers were orphaned, blocked on pipes.
    # Stopped as its first workers start (where a handler's exception could
    # be lost in the at-fork callbacks), or with letters half staged.
    out = tmp_path / "out"
    _donors(small_set / YEAR, range(100, 140))  # letters in several batches
    options = ("--edition", "donor", "--no-cache", "-j", "2")
    process = _start(small_set / YEAR, out, *options)

    def has_workers() -> bool:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        try:
            return bool(children.read_text().split())
        except OSError:
            return False

    if when == "letters rendering":
        assert _wait_for(lambda: any(out.glob(f".{YEAR}.staging-*/donors/*")), process)
    assert _wait_for(has_workers, process)
    process.send_signal(signal.SIGTERM)
    code, err = _finish(process)
    assert code == 128 + signal.SIGTERM, err
    assert err.splitlines()[-1] == "reportgen: stopped by SIGTERM; nothing was written"
    assert "Traceback" not in err and "Exception ignored" not in err
    assert _none_running(out)
    assert not out.exists()  # no staging, not even the folder made to hold the lock


@needs_proc
def test_kill_9_with_the_chart_process_running_leaves_no_process(
    small_set: Path, tmp_path: Path
) -> None:
    # One cold document: a forked process draws the charts meanwhile. It held
    # its own copy of the pipe, so with the build killed it blocked on it.
    out = tmp_path / "out"
    options = ("--edition", "handout", "--no-cache", "-j", "2")
    process = _start(small_set / YEAR, out, *options)
    assert _wait_for(lambda: len(_running(out)) > 1, process)
    process.kill()
    process.wait()
    assert _none_running(out)


def _sleeps_or_fails(seconds: int) -> int:
    if not seconds:
        raise RuntimeError("this job failed")
    time.sleep(seconds)
    return seconds


def test_a_failed_job_stops_the_other_workers_at_once() -> None:
    # They used to finish their jobs first: a minute here, for nothing.
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="this job failed"):
        process_pool.run(_sleeps_or_fails, [60, 60, 0], 3)
    assert time.monotonic() - started < 30


def test_sighup_is_a_clean_stop_too(capsys: pytest.CaptureFixture[str]) -> None:
    def hung_up() -> int:
        os.kill(os.getpid(), signal.SIGHUP)
        time.sleep(30)
        return 0

    before = signal.getsignal(signal.SIGHUP)
    with pytest.raises(SystemExit) as stopped:
        cli._run(False, hung_up)
    assert stopped.value.code == 128 + signal.SIGHUP
    assert capsys.readouterr().err == "reportgen: stopped by SIGHUP; nothing was written\n"
    assert signal.getsignal(signal.SIGHUP) == before


def _without_root_override() -> None:
    """In the child, before exec: root's power to write anywhere is dropped
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH leave the bounding set), so that a
    read-only folder is read-only even for root. Not root: nothing to drop."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP; EPERM when not root


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="drops Linux capabilities")
@pytest.mark.parametrize("earlier", [False, True], ids=["empty", "with-earlier-output"])
def test_a_read_only_output_folder_is_a_clear_error(
    small_set: Path, tmp_path: Path, earlier: bool
) -> None:
    # Issue 11, case 14: it was "internal error: OSError".
    out = tmp_path / "out"
    options = ("--edition", "handout", "--no-cache")
    if earlier:
        code, err = _finish(_start(small_set / YEAR, out, *options))
        assert code == 0, err
    else:
        out.mkdir()
    before = sorted(out.rglob("*")), _manifest(out)
    out.chmod(0o555)
    try:
        process = _start(small_set / YEAR, out, *options, preexec_fn=_without_root_override)
        code, err = _finish(process)
    finally:
        out.chmod(0o755)
    assert code == 2
    assert err.splitlines()[-1] == (
        f"reportgen: error: cannot write to the output folder {out}: Permission denied"
    )
    assert (sorted(out.rglob("*")), _manifest(out)) == before


def test_an_output_folder_inside_a_file_is_a_clear_error(small_set: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "report.pdf"
    blocker.write_bytes(b"%PDF")
    code, err = _finish(_start(small_set / YEAR, blocker / "out"))
    assert code == 2
    assert err.splitlines() == [
        f"reportgen: error: cannot write to the output folder {blocker}/out: Not a directory"
    ]
    assert blocker.read_bytes() == b"%PDF"
