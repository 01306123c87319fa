"""Write a build's files so that no crash can lose one: the last stage.

A year's output folder is replaced as a whole. A ``Staging`` folder beside it
(``.<year>.staging-XXXX``) receives the complete new set: every file this
build renders (here or in letter workers) and, by hard link, every file of the
old folder this build does not rewrite (other editions). Only ``commit``, once
everything succeeded, puts it in place, in one atomic step: the two folders
are exchanged (Linux ``renameat2``) and the old one removed. Where the system
or the filesystem cannot exchange, the old folder is first renamed aside to
``.<year>.previous``; should a crash come between the two renames, the next
build puts it back. So at every instant a year's folder holds its whole old
set or its whole new set. ``claim`` serialises the builds of one output
folder (a lock file) and removes what crashed builds left. Like Pelican's
writer, ``Staging`` refuses to write outside its folder or twice to one file.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import logging
import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any

from reportgen.core import messages as M
from reportgen.core.errors import OutputUnwritable

log = logging.getLogger(__name__)

LOCK = ".reportgen-lock"
# Records of what was done with a year's outputs, which no build writes: a
# build carries them into the new folder even where it replaces their folder
# whole (``send`` would otherwise mail a letter again after the next build).
KEPT = ("donors/send-log.jsonl",)

# What a build leaves beside a year's folder while it writes: its staging
# folder, the old folder set aside, or (from reportgen before 0.2) a staging
# folder named by tempfile alone.
_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?:(?P<previous>previous)|staging-\w+|[a-z0-9_]{8})")


@dataclass(frozen=True)
class WrittenFile:
    """One output file of a build: where, its size, its pages (PDFs)."""

    path: Path
    size: int
    pages: int | None = None


class OutputError(Exception):
    """A bug of ours: a write outside the output folder, or twice to one file."""


def _safe(relative: str) -> PurePosixPath:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise OutputError(f"refusing to write outside the output folder: {relative}")
    return path


def _shown(path: Path) -> Path:
    """The output folder the user named, for messages: never a staging folder."""
    for folder in (path, *path.parents):
        if _LEFTOVER.fullmatch(folder.name):
            return folder.parent
    return path


@contextmanager
def _writing(folder: Path) -> Iterator[None]:
    """Turn the system's refusal to write (permissions, a full disk, a file
    where a folder should be) into one clear error naming the folder."""
    try:
        yield
    except OSError as exc:
        # mkdir where a file stands says "File exists", which misleads
        code = errno.ENOTDIR if isinstance(exc, FileExistsError) else exc.errno
        reason = os.strerror(code) if code else str(exc)
        raise OutputUnwritable(M.CANNOT_WRITE_OUTPUT(folder=_shown(folder), reason=reason)) from exc


@contextmanager
def claim(out: Path, waiting: Callable[[], None]) -> Iterator[None]:
    """Hold ``out`` for one build: wait while another build holds it (calling
    ``waiting`` once), then put back or remove what crashed builds left.

    The lock file is removed again when the build ends, while still held, if
    it was not there before, and so are folders made only to hold it when the
    build wrote nothing into them: a failed build leaves no trace."""
    made = _missing(out)
    existed = os.path.lexists(out / LOCK)
    with _writing(out):
        descriptor = _lock(out, waiting)
    try:
        with _writing(out):
            recover(out)
        yield
    finally:
        try:
            if not existed:
                (out / LOCK).unlink()  # while still holding it: see _lock
            if made and not any(out.iterdir()):
                for folder in made:
                    folder.rmdir()
        except OSError:
            pass  # another build's files arrived meanwhile: they stay
        finally:
            os.close(descriptor)


def _missing(out: Path) -> list[Path]:
    """``out`` and its ancestors that do not exist yet, nearest first."""
    missing: list[Path] = []
    folder = out.absolute()
    while not os.path.lexists(folder) and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def refuse_unless_real(path: Path, kind: str, what: str) -> None:
    """Raise ``OutputUnwritable`` when ``path`` exists and is not a real ``kind``
    ("file" or "folder"): a symbolic link there is never followed (it could
    send what reportgen writes anywhere), nor is a device or pipe used."""
    try:
        facts = os.lstat(path)
    except FileNotFoundError:
        return
    wanted = stat.S_ISREG if kind == "file" else stat.S_ISDIR
    if stat.S_ISLNK(facts.st_mode):
        found = M.FOUND_LINK()
    elif not wanted(facts.st_mode):
        found = M.FOUND_FOLDER() if stat.S_ISDIR(facts.st_mode) else M.FOUND_NOT_REGULAR()
    else:
        return
    raise OutputUnwritable(
        M.NOT_FOLLOWED(path=_shown(path.parent) / path.name, what=what, found=found, kind=kind)
    )


# How often a lock file removed between our open and our lock is opened
# again: each retry means another build finished meanwhile, so a few suffice.
_LOCK_TRIES = 100


def _lock(out: Path, waiting: Callable[[], None]) -> int:
    """An open descriptor holding the exclusive lock on ``out``'s lock file.

    The file is opened without following a symbolic link. Only a lock file
    another build removed after we opened it is tried again (a bounded number
    of times): any other failure to open it is raised, never retried."""
    told = False
    for _ in range(_LOCK_TRIES):
        out.mkdir(parents=True, exist_ok=True)
        refuse_unless_real(out / LOCK, "file", "the lock file")
        try:
            descriptor = os.open(
                out / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK,
                0o644,
            )  # fmt: skip
        except FileNotFoundError:
            if os.path.isdir(out):
                raise  # the folder is there and still no file can be made in it
            continue  # a build that wrote nothing just removed the folder it had made
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENXIO, errno.EISDIR):  # a link or fifo planted
                refuse_unless_real(out / LOCK, "file", "the lock file")
            raise
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                refuse_unless_real(out / LOCK, "file", "the lock file")
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not told:
                    waiting()
                    told = True
                fcntl.flock(descriptor, fcntl.LOCK_EX)
            # The holder before us may have removed the lock file (see claim);
            # a lock on a file no longer at that path excludes nobody.
            mine = os.fstat(descriptor)
            current = os.stat(out / LOCK, follow_symlinks=False)
            if (current.st_dev, current.st_ino) == (mine.st_dev, mine.st_ino):
                return descriptor
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(descriptor)
            raise
        os.close(descriptor)
    raise OSError(errno.EAGAIN, "the lock file kept disappearing", str(out / LOCK))


def recover(out: Path) -> None:
    """Put back a year's folder a crash left set aside; remove staging folders
    of crashed builds. Only while holding the lock: a running build's staging
    folder looks the same."""
    for entry in sorted(out.iterdir()):
        found = _LEFTOVER.fullmatch(entry.name)
        if found is None or entry.is_symlink() or not entry.is_dir():
            continue
        current = out / found["name"]
        if found["previous"] and not os.path.lexists(current):
            log.warning("putting back %s, set aside by a build that did not finish", current)
            os.rename(entry, current)
        else:
            log.info("removing %s, left by a build that did not finish", entry)
            shutil.rmtree(entry)


class Staging:
    """A folder beside ``destination`` that replaces it, whole, on commit.

    ``exchange``: swap the two folders in one step where the system can
    (Linux's ``renameat2`` with ``RENAME_EXCHANGE``); False: by two renames,
    as on a system or filesystem that cannot, a crash between them undone
    by ``recover``."""

    def __init__(self, destination: Path, exchange: bool = True) -> None:
        self.destination = destination
        self.exchange = exchange
        self.folder: Path | None = None
        self.written: list[str] = []

    def __enter__(self) -> Staging:
        parent = self.destination.parent
        with _writing(parent):
            parent.mkdir(parents=True, exist_ok=True)
            for _ in range(_LOCK_TRIES):  # a name taken twice in a row is rare: never loop
                # not tempfile.mkdtemp: its folders are private (0700), and
                # this one becomes the output, with the usual permissions
                folder = parent / f".{self.destination.name}.staging-{secrets.token_hex(4)}"
                with suppress(FileExistsError):
                    folder.mkdir()
                    self.folder = folder
                    return self
            raise OSError(errno.EAGAIN, "no free name for a staging folder", str(parent))

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def path(self, relative: str) -> Path:
        """Where a file goes while staged (for writers in other processes)."""
        assert self.folder is not None, "use Staging as a context manager"
        return self.folder / str(_safe(relative))

    def write(self, relative: str, data: bytes) -> None:
        if relative in self.written:
            raise OutputError(f"refusing to write twice to {relative}")
        assert self.folder is not None, "use Staging as a context manager"
        write_staged(self.folder, relative, data)
        self.written.append(relative)

    def adopt(self, relative: str) -> None:
        """Count a file another process wrote at ``path(relative)``."""
        if relative in self.written:
            raise OutputError(f"refusing to write twice to {relative}")
        if not self.path(relative).is_file():
            raise OutputError(f"a worker did not write {relative}")
        self.written.append(relative)

    def commit(self, replace_dirs: tuple[str, ...] = ()) -> list[Path]:
        """Make the staged set the destination's content, in one atomic step.

        Files of the old folder this build did not write are carried over,
        except inside the folders of ``replace_dirs`` that this build staged:
        those are replaced whole, so that files an earlier build made and this
        one did not (a removed donor's letter) disappear."""
        assert self.folder is not None, "use Staging as a context manager"
        with _writing(self.destination.parent):
            replaced = {name for name in replace_dirs if (self.folder / name).is_dir()}
            _carry_over(self.destination, self.folder, replaced)
            _keep_records(self.destination, self.folder)
            if self.destination.is_dir():  # permissions someone gave the folder stay
                shutil.copymode(self.destination, self.folder)
            _flush(self.folder)
            _swap(self.folder, self.destination, self.exchange)
        return [self.destination / rel for rel in self.written]


def _carry_over(old: Path, new: Path, replaced: set[str]) -> None:
    """Link into ``new`` every file of ``old`` that ``new`` does not have."""
    if not old.is_dir() or old.is_symlink():
        return
    for root, folders, files in os.walk(old):
        here = Path(root).relative_to(old)
        if not here.parts:
            folders[:] = [name for name in folders if name not in replaced]
        target = new / here
        if not os.path.lexists(target):
            target.mkdir()
        elif target.is_symlink() or not target.is_dir():
            folders[:] = []  # the new set has a file where the old had a folder: it wins
            continue
        # os.walk lists links to folders among the folders without entering them
        links = [name for name in folders if (Path(root) / name).is_symlink()]
        for name in (*files, *links):
            if not os.path.lexists(target / name):
                _link_or_copy(Path(root) / name, target / name)


def _keep_records(old: Path, new: Path) -> None:
    for relative in KEPT:
        source, target = old / relative, new / relative
        if source.is_file() and not source.is_symlink() and not os.path.lexists(target):
            target.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(source, target)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:  # a filesystem without hard links, or a link count at its limit
        shutil.copy2(source, target, follow_symlinks=False)


def _flush(folder: Path) -> None:
    """Have the staged files on disk before they become the output, so that
    not even a power cut can leave a swapped-in folder of empty files."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        syncfs = _libc_function("syncfs")
        if syncfs is None or syncfs(descriptor) != 0:
            os.sync()
    finally:
        os.close(descriptor)


def _swap(staged: Path, current: Path, exchange: bool = True) -> None:
    """Put ``staged`` at ``current`` and remove what was there."""
    if not os.path.lexists(current):
        os.rename(staged, current)
    elif exchange and _exchange(staged, current):
        _remove(staged)  # now the old set
    else:
        aside = current.parent / f".{current.name}.previous"
        if os.path.lexists(aside):
            _remove(aside)
        os.rename(current, aside)
        os.rename(staged, current)  # a crash just before this: recover() puts the old back
        _remove(aside)
    descriptor = os.open(current.parent, os.O_RDONLY)
    try:
        os.fsync(descriptor)  # the renames themselves, on disk
    finally:
        os.close(descriptor)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step; False where the system or the filesystem
    cannot (then the caller falls back to two renames)."""
    renameat2 = _libc_function("renameat2")
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                 _RENAME_EXCHANGE) == 0:  # fmt: skip
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


@functools.cache
def _libc_function(name: str) -> Any:
    """A function of the C library that Python does not wrap (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError):  # an older or different C library
        return None


def write_staged(folder: Path, relative: str, data: bytes) -> None:
    """Write one file into a staging folder (here or in a worker process)."""
    target = folder / str(_safe(relative))
    with _writing(folder):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
