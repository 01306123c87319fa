"""Write a build's files, all or nothing.

A ``Staging`` folder is made beside the destination; renderers (the parent
process or letter workers) write every file into it, and only ``commit``,
called when everything succeeded, moves them into place (each move atomic).
On any failure the staging folder is removed and earlier outputs stay exactly
as they were. Like Pelican's writer, it refuses to write outside its folder
or twice to one file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from types import TracebackType


class OutputError(Exception):
    pass


def _safe(relative: str) -> PurePosixPath:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise OutputError(f"refusing to write outside the output folder: {relative}")
    return path


class Staging:
    """A temporary folder beside ``destination`` that becomes part of it on commit."""

    def __init__(self, destination: Path) -> None:
        self.destination = destination
        self.folder: Path | None = None
        self.written: list[str] = []

    def __enter__(self) -> Staging:
        self.destination.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(
            tempfile.mkdtemp(prefix=f".{self.destination.name}.", dir=self.destination.parent)
        )
        return self

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
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.written.append(relative)

    def adopt(self, relative: str) -> None:
        """Count a file another process wrote at ``path(relative)``."""
        if relative in self.written:
            raise OutputError(f"refusing to write twice to {relative}")
        if not self.path(relative).is_file():
            raise OutputError(f"a worker did not write {relative}")
        self.written.append(relative)

    def commit(self, replace_dirs: tuple[str, ...] = ()) -> list[Path]:
        """Move every staged file into place; folders in ``replace_dirs`` are
        replaced whole, so that files an earlier build made and this one did
        not (a removed donor's letter) disappear."""
        assert self.folder is not None
        self.destination.mkdir(exist_ok=True)
        for folder in replace_dirs:
            if (self.folder / folder).is_dir():
                old = self.destination / folder
                if old.exists():
                    shutil.rmtree(old)
                os.replace(self.folder / folder, old)
        for rel in self.written:
            source = self.folder / rel
            if source.exists():
                target = self.destination / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
        return [self.destination / rel for rel in self.written]


def write_staged(folder: Path, relative: str, data: bytes) -> None:
    """Write one file into a staging folder (from a worker process)."""
    target = folder / str(_safe(relative))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def write_outputs(
    destination: Path, files: Mapping[str, bytes], replace_dirs: tuple[str, ...] = ()
) -> list[Path]:
    """Write ``files`` (relative posix path -> bytes) under ``destination``, all or nothing."""
    for rel in files:
        _safe(rel)
    with Staging(destination) as stage:
        for rel, data in files.items():
            stage.write(rel, data)
        return stage.commit(replace_dirs)
