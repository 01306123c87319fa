"""A content-addressed cache of build results, safe to delete at any time.

Keys are SHA-256 digests of everything a result depends on (input bytes,
templates, reportgen's version, options); values are pickles written
atomically (a temporary file, then a rename). An entry that cannot be read is
a miss, never an error, so a corrupt or half-deleted cache only costs time.
The pipeline wraps stages with it; stages never know it exists.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reportgen import __version__

log = logging.getLogger(__name__)

FOLDER = ".reportgen-cache"


@functools.cache
def _code() -> bytes:
    """reportgen itself: its version and the bytes of its modules, so that a
    changed reportgen (a new release, or a developer's edit) never reuses
    results of another."""
    hasher = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        hasher.update(path.read_bytes())
    return hasher.digest()


def digest(*parts: object) -> str:
    """A stable key from reprs of frozen values (and bytes, as they are)."""
    hasher = hashlib.sha256(_code())
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode("utf-8")
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def tree_digest(paths: Iterable[Path]) -> str:
    """The names and bytes of every file under ``paths`` (folders or files)."""
    hasher = hashlib.sha256(_code())
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if any(part.startswith(".") or part == "__pycache__" for part in path.parts[-3:]):
                continue  # editor swap files, caches
            name = str(path.resolve()).encode()
            hasher.update(len(name).to_bytes(8, "little") + name)
            data = path.read_bytes()
            hasher.update(len(data).to_bytes(8, "little") + data)
    return hasher.hexdigest()


class Cache:
    def __init__(self, root: Path | None) -> None:
        self.root = root  # None: caching off

    def _path(self, kind: str, key: str) -> Path:
        assert self.root is not None
        return self.root / kind / key[:2] / key[2:]

    def get(self, kind: str, key: str) -> Any | None:
        if self.root is None:
            return None
        try:
            with self._path(kind, key).open("rb") as handle:
                return pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception as exc:  # corrupt or from another version: a miss
            log.info("cache entry %s/%s unreadable (%s); ignored", kind, key, exc)
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        if self.root is None:
            return
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except OSError as exc:  # a full disk must not fail the build
            log.info("cache write %s/%s failed: %s", kind, key, exc)
