"""A digest of files: their names and bytes, for keys that must change when a
file does (the build cache's keys, a theme's key in a batch of letters)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def files_digest(paths: Iterable[Path], seed: bytes = b"") -> str:
    """The names and bytes of every file under ``paths`` (folders or files),
    after ``seed``."""
    hasher = hashlib.sha256(seed)
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
