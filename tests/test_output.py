"""All-or-nothing writes."""

from __future__ import annotations

import errno
import os
import sys
import threading
from pathlib import Path

import pytest

from reportgen.core.errors import OutputUnwritable
from reportgen.writing import staging
from reportgen.writing.staging import OutputError, Staging, claim, recover


def _publish(
    destination: Path,
    files: dict[str, bytes],
    replace_dirs: tuple[str, ...] = (),
    exchange: bool = True,
) -> list[Path]:
    """What a build does with its files: stage them all, then commit (without
    ``exchange``, as on a system that cannot swap two folders in one step)."""
    with Staging(destination, exchange) as stage:
        for relative, data in files.items():
            stage.write(relative, data)
        return stage.commit(replace_dirs)


def test_writes_files_and_replaces_named_folders(tmp_path: Path) -> None:
    dest = tmp_path / "out" / "fy2012"
    _publish(dest, {"a.pdf": b"1", "donors/x.pdf": b"x", "donors/y.pdf": b"y"}, ("donors",))
    _publish(dest, {"a.pdf": b"2", "donors/x.pdf": b"x2"}, ("donors",))
    assert (dest / "a.pdf").read_bytes() == b"2"
    assert sorted(p.name for p in (dest / "donors").iterdir()) == ["x.pdf"]
    assert sorted(p.name for p in dest.parent.iterdir()) == ["fy2012"]


def test_files_of_other_editions_survive(tmp_path: Path) -> None:
    dest = tmp_path / "fy"
    _publish(dest, {"annual-report.pdf": b"1", "handout.pdf": b"h"})
    _publish(dest, {"annual-report.pdf": b"2"})
    assert (dest / "handout.pdf").read_bytes() == b"h"


@pytest.mark.parametrize("bad", ["../escape.pdf", "/abs.pdf", "a/../../b.pdf"])
def test_refuses_to_write_outside_its_folder(tmp_path: Path, bad: str) -> None:
    with pytest.raises(OutputError):
        _publish(tmp_path / "fy", {bad: b"x"})
    assert not (tmp_path / "fy").exists()


def test_a_full_disk_while_staging_is_one_clear_error_and_leaves_everything_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "fy"
    _publish(dest, {"a.pdf": b"old-a", "b.html": b"old-b"})
    calls = {"n": 0}
    original = Path.write_bytes

    def flaky(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", flaky)
    message = f"cannot write to the output folder {tmp_path}: No space left on device"
    with pytest.raises(OutputUnwritable, match=message):
        _publish(dest, {"a.pdf": b"new-a", "b.html": b"new-b"})
    monkeypatch.undo()
    assert (dest / "a.pdf").read_bytes() == b"old-a"
    assert (dest / "b.html").read_bytes() == b"old-b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fy"]


def test_a_render_failure_writes_nothing(
    sample_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportgen.typesetting.pdf
    from reportgen.commands.build import run_build

    out = tmp_path / "out"
    run_build(sample_set / "fy2012", out, ["annual-report"], languages=["en"])
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("layout failed")

    monkeypatch.setattr(reportgen.typesetting.pdf, "render_pdf", broken)
    (sample_set / "fy2012/narrative/01-message.en.md").write_text("# Changed\n\nNew text.\n")
    with pytest.raises(RuntimeError):
        run_build(sample_set / "fy2012", out, ["annual-report"], languages=["en"])
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in out.iterdir()) == [".reportgen-cache", "fy2012"]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


OLD = {"en/annual-report.pdf": b"report", "en/donor.pdf": b"old donor",
       "donors/d-001.pdf": b"1", "donors/d-002.pdf": b"2"}  # fmt: skip
NEW = {"en/donor.pdf": b"new donor", "donors/d-001.pdf": b"1 again", "donors/d-003.pdf": b"3"}


def test_a_folder_is_replaced_whole_with_unwritten_files_carried_over_by_link(
    tmp_path: Path,
) -> None:
    dest = tmp_path / "out" / "fy2012"
    _publish(dest, OLD, ("donors",))
    report = (dest / "en/annual-report.pdf").stat().st_ino
    _publish(dest, NEW, ("donors",))
    # the report this build did not rewrite stays, as the very same file;
    # the donors/ of the old set does not (d-002's donor left)
    assert _files(dest) == {"en/annual-report.pdf": b"report", **NEW}
    assert (dest / "en/annual-report.pdf").stat().st_ino == report
    assert sorted(p.name for p in dest.parent.iterdir()) == ["fy2012"]


def test_files_are_copied_where_they_cannot_be_linked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "fy2012"
    _publish(dest, OLD, ("donors",))

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", refused)
    _publish(dest, NEW, ("donors",))
    assert _files(dest) == {"en/annual-report.pdf": b"report", **NEW}


def test_the_year_folder_keeps_its_permissions(tmp_path: Path) -> None:
    dest = tmp_path / "fy2012"
    _publish(dest, OLD)
    dest.chmod(0o750)
    _publish(dest, NEW)
    assert dest.stat().st_mode & 0o777 == 0o750


def test_the_new_folder_is_swapped_in_by_one_exchange(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Linux: renameat2(RENAME_EXCHANGE), so that there is no instant without
    # the folder; the two renames of the fallback are never used.
    if staging._libc_function("renameat2") is None:
        pytest.skip("no renameat2 in this C library")
    dest = tmp_path / "fy2012"
    _publish(dest, OLD, ("donors",))
    renames: list[object] = []
    monkeypatch.setattr(os, "rename", lambda *a: renames.append(a))
    _publish(dest, NEW, ("donors",))
    assert renames == []
    assert _files(dest) == {"en/annual-report.pdf": b"report", **NEW}


def test_without_exchange_a_crash_between_the_two_renames_is_undone_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    dest = out / "fy2012"
    _publish(dest, OLD, ("donors",))
    real = os.rename
    calls: list[tuple[object, object]] = []

    def dies_before_the_second(source: object, target: object) -> None:
        calls.append((source, target))
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process ends here
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", dies_before_the_second)
    with pytest.raises(KeyboardInterrupt):
        _publish(dest, NEW, ("donors",), exchange=False)
    monkeypatch.setattr(os, "rename", real)
    assert not dest.exists()
    assert (out / ".fy2012.previous").is_dir()
    with claim(out, lambda: None):  # what the next build does first
        assert _files(dest) == OLD
        assert sorted(p.name for p in out.iterdir()) == [".reportgen-lock", "fy2012"]
    _publish(dest, NEW, ("donors",), exchange=False)  # and the fallback, uninterrupted
    assert _files(dest) == {"en/annual-report.pdf": b"report", **NEW}
    assert sorted(p.name for p in out.iterdir()) == ["fy2012"]  # the lock file went with the claim


def test_what_crashed_builds_left_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _publish(out / "fy2012", OLD)
    for leftover in (".fy2012.staging-1a2b3c4d", ".fy2012.k3j4h5g6", ".fy2012.previous"):
        (out / leftover / "donors").mkdir(parents=True)
        (out / leftover / "donors/d-009.pdf").write_bytes(b"half")
    (out / "notes.txt").write_bytes(b"the user's")
    recover(out)
    assert sorted(p.name for p in out.iterdir()) == ["fy2012", "notes.txt"]
    assert _files(out / "fy2012") == OLD


def test_a_second_claim_of_one_folder_waits_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "out"
    events: list[str] = []
    second_waits = threading.Event()

    def waiting() -> None:
        events.append("waiting")
        second_waits.set()

    def second() -> None:
        with claim(out, waiting):
            events.append("second")

    with claim(out, lambda: events.append("first waited")):
        other = threading.Thread(target=second)
        other.start()
        assert second_waits.wait(30)
        events.append("first")
    other.join(30)
    assert events == ["waiting", "first", "second"]


def test_a_claim_that_wrote_nothing_leaves_no_folder(tmp_path: Path) -> None:
    with claim(tmp_path / "new" / "out", lambda: None):
        assert (tmp_path / "new/out/.reportgen-lock").is_file()
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folders_are_named_with_the_reason(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")
    message = f"output folder {blocker}/out: Not a directory"
    with pytest.raises(OutputUnwritable, match=message), claim(blocker / "out", lambda: None):
        pass
    with pytest.raises(OutputUnwritable, match="Not a directory"), Staging(blocker / "fy"):
        pass


class _Crash(BaseException):
    """The process ends here: nothing after it touches the disk."""


class _CrashPoint:
    """Through an audit hook (they cannot be removed, so it stays, disarmed):
    crash just before the n-th operation that changes the filesystem."""

    CHANGES = ("os.rename", "os.remove", "os.rmdir", "os.link", "os.mkdir", "os.chmod",
               "os.symlink", "os.truncate", "shutil.copyfile", "ctypes.call_function")  # fmt: skip
    armed: int | None = None
    crashed = False

    def __call__(self, event: str, args: tuple[object, ...]) -> None:
        if self.armed is None:
            return
        if event == "open":
            mode, flags = args[1], args[2]
            if not (isinstance(mode, str) and set(mode) & set("wax+")) and not (
                isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            ):
                return
        elif event not in self.CHANGES:
            return
        if self.crashed or self.armed == 0:
            self.crashed = True
            raise _Crash
        self.armed -= 1


_crash_point = _CrashPoint()
sys.addaudithook(_crash_point)


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_crash_at_any_instant_leaves_the_old_or_the_new_set(
    tmp_path: Path, exchange: bool
) -> None:
    # Issue 11, case 7: the old donors/ was removed before the new one was moved
    # in, so a build killed in between lost letters. Here the build "dies"
    # before each filesystem change of a write in turn, until one completes.
    old = {**OLD, "en/handout.pdf": b"handout"}
    new = {"en/annual-report.pdf": b"report", "en/handout.pdf": b"handout", **NEW}
    instant = 0
    while True:
        out = tmp_path / str(instant) / "out"
        _publish(out / "fy2012", old, ("donors",))
        _crash_point.armed, _crash_point.crashed = instant, False
        try:
            _publish(out / "fy2012", {**NEW, "en/handout.pdf": b"handout"}, ("donors",), exchange)
        except _Crash:
            pass
        finally:
            completed = not _crash_point.crashed
            _crash_point.armed = None
        with claim(out, lambda: None):  # the next build's recovery
            assert _files(out / "fy2012") in (old, new), f"crashed before change {instant}"
            assert sorted(p.name for p in out.iterdir()) == [".reportgen-lock", "fy2012"]
        if completed:
            break
        instant += 1
    assert _files(out / "fy2012") == new
    assert instant > 10  # every instant of the write was tried, not one
