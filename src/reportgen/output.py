"""Write a build's files, all or nothing.

Everything is first written into a temporary folder beside the destination;
only when every file is there are they moved into place (each move atomic).
On any failure the temporary folder is removed and earlier outputs stay
exactly as they were. Like Pelican's writer, it refuses to write outside its
folder or twice to one file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath


class OutputError(Exception):
    pass


def _safe(relative: str) -> PurePosixPath:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise OutputError(f"refusing to write outside the output folder: {relative}")
    return path


def write_outputs(
    destination: Path, files: Mapping[str, bytes], replace_dirs: tuple[str, ...] = ()
) -> list[Path]:
    """Write ``files`` (relative posix path -> bytes) under ``destination``.

    Folders named in ``replace_dirs`` are replaced whole (so that files of an
    earlier build which this one no longer makes disappear).
    """
    paths = {str(_safe(rel)): data for rel, data in files.items()}
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", dir=destination.parent))
    try:
        for rel, data in paths.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        destination.mkdir(exist_ok=True)
        for folder in replace_dirs:
            if (staging / folder).is_dir():
                old = destination / folder
                if old.exists():
                    shutil.rmtree(old)
                os.replace(staging / folder, old)
        for rel in paths:
            source = staging / rel
            if source.exists():
                target = destination / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [destination / rel for rel in paths]
