"""One locked, append-only, crash-safe log file: what the send log and the
receipt log have in common.

Both logs are a file of one JSON record a line, kept beside the year folder
and named after it (``location``). Each record carries ``check``, the hash of
its other fields (``checksum``), and is written with one ``write`` loop and
``os.fsync`` before the next, so a crash at any instant leaves whole records
and at most one line cut off at the end; ``seal`` ends such a line before the
next record, so that record starts a line of its own.

``AppendLog`` opens the file in its folder without following a link in either
(``O_NOFOLLOW``), refuses anything but a regular file, and holds an exclusive
``flock`` until it is closed: waiting for it (a build) or refusing at once
(``send``, which must not wait on another send). A log it created and left
empty is removed when it is closed. The records' fields, and so each file's
format on disk, belong to the log that writes them (``send_log``,
``receipt_log``); this module only moves their bytes.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

# Why a log was refused: (the path, the OS error or None for "not a regular
# file", whether the path is the log's folder) -> the exception to raise.
Refusal = Callable[[Path, OSError | None, bool], Exception]


def location(year_dir: Path, suffix: str) -> Path:
    """The log of ``year_dir`` with ``suffix``: beside it, named after it,
    the same from any working directory."""
    year = year_dir.resolve()
    return year.parent / f"{year.name}{suffix}"


def checksum(values: dict[str, object]) -> str:
    """The ``check`` of a record: the hash of its other fields, keys sorted."""
    canonical = json.dumps(values, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def checked_line(values: dict[str, object]) -> bytes:
    """A record as its line: its fields in the order given, ``check`` last."""
    line = dict(values)
    line["check"] = checksum(values)
    return json.dumps(line, ensure_ascii=True).encode("ascii") + b"\n"


class AppendLog:
    """The log file, open for appending and locked until ``close``."""

    def __init__(self, path: Path, refused: Refusal, busy: Callable[[], Exception] | None = None,
                 nonblocking_open: bool = False) -> None:  # fmt: skip
        """``busy``: refuse at once with it when another process holds the
        lock (else wait for it); ``nonblocking_open``: never wait in ``open``
        (a FIFO put in the log's place)."""
        self.path = path
        self._refused = refused
        self.created = False
        folder_flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            self._folder = os.open(path.parent, folder_flags)
        except OSError as exc:
            raise refused(path.parent, exc, True) from None
        try:
            self._descriptor = self._open(nonblocking_open)
        except BaseException:
            os.close(self._folder)
            raise
        try:
            self._lock(busy)
        except BaseException:
            os.close(self._descriptor)
            os.close(self._folder)
            raise

    def _open(self, nonblocking: bool) -> int:
        flags = os.O_RDWR | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC
        if nonblocking:
            flags |= os.O_NONBLOCK
        name = self.path.name
        try:
            try:
                descriptor = os.open(name, flags | os.O_CREAT | os.O_EXCL, 0o644,
                                     dir_fd=self._folder)  # fmt: skip
                self.created = True
                os.fsync(self._folder)  # the new file's name is on disk before any record
            except FileExistsError:
                descriptor = os.open(name, flags, dir_fd=self._folder)
        except OSError as exc:
            raise self._refused(self.path, exc, False) from None
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            raise self._refused(self.path, None, False)
        return descriptor

    def _lock(self, busy: Callable[[], Exception] | None) -> None:
        if busy is None:
            fcntl.flock(self._descriptor, fcntl.LOCK_EX)
            return
        try:
            fcntl.flock(self._descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy() from None

    def read(self) -> bytes:
        """The whole log as it is now."""
        size = os.fstat(self._descriptor).st_size
        return os.pread(self._descriptor, size, 0) if size else b""

    def seal(self) -> None:
        """End a line an earlier crash cut off, so the next record starts a line."""
        size = os.fstat(self._descriptor).st_size
        if size and os.pread(self._descriptor, 1, size - 1) != b"\n":
            self.write(b"\n")

    def write(self, data: bytes) -> None:
        """``data`` appended whole and on disk before this returns."""
        written = 0
        while written < len(data):
            written += os.write(self._descriptor, data[written:])
        os.fsync(self._descriptor)

    def append_lines(self, lines: Iterable[bytes]) -> None:
        """Each line whole and on disk before the next, after a ``seal``."""
        self.seal()
        for line in lines:
            self.write(line)

    def close(self) -> None:
        """Unlock and close; a log this run made and left empty is removed."""
        if self.created and os.fstat(self._descriptor).st_size == 0:
            os.unlink(self.path.name, dir_fd=self._folder)
        os.close(self._descriptor)
        os.close(self._folder)
