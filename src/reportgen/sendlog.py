"""The send log: what ``send`` did with each letter, so that none goes twice.

``output/<year>/donors/send-log.jsonl`` holds one JSON object per line,
appended and flushed to disk before and after each SMTP transaction:
``sending`` before (so a crash, a Ctrl-C or a dropped connection in the
middle leaves a trace), then ``sent`` (with the Message-ID) or ``failed``.
A letter's state is read back from the last lines of its donor: a ``sending``
with nothing after it may have reached the donor and is never sent again on
its own. The log is data only; a line it cannot read (a crash in the middle of
a write, an edit by hand) is skipped and counted, never trusted. Builds carry
the file over when they replace the letters (``output.KEPT``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

LOG_NAME = "send-log.jsonl"
SENDING, SENT, FAILED = "sending", "sent", "failed"


@dataclass(frozen=True)
class Entry:
    """One line of the log."""

    slug: str  # the letter's file name without .pdf: what a donor is known by here
    id: str | None
    email: str
    sha256: str  # the letter PDF that was (being) sent
    status: str  # SENDING, SENT or FAILED
    time: str
    message_id: str = ""
    error: str = ""


@dataclass(frozen=True)
class History:
    """What the log says of one donor's letter."""

    sent_sha256: str | None = None  # the letter last known delivered
    pending: bool = False  # a transaction began and nothing says how it ended


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def read(path: Path) -> tuple[dict[str, History], int]:
    """Each donor's history (by slug), and how many lines could not be read."""
    histories: dict[str, History] = {}
    unreadable = 0
    if not path.is_file():
        return histories, 0
    for line in path.read_bytes().splitlines():
        entry = _parse(line)
        if entry is None:
            unreadable += line.strip() != b""
            continue
        before = histories.get(entry.slug, History())
        if entry.status == SENT:
            histories[entry.slug] = History(entry.sha256, pending=False)
        else:
            histories[entry.slug] = History(before.sent_sha256, pending=entry.status == SENDING)
    return histories, unreadable


def _parse(line: bytes) -> Entry | None:
    try:
        data = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    text = {k: v for k, v in data.items() if isinstance(v, str)}
    if not all(k in text for k in ("slug", "email", "sha256", "status", "time")):
        return None
    if text["status"] not in (SENDING, SENT, FAILED):
        return None
    return Entry(
        slug=text["slug"], id=text.get("id"), email=text["email"], sha256=text["sha256"],
        status=text["status"], time=text["time"], message_id=text.get("message_id", ""),
        error=text.get("error", ""),
    )  # fmt: skip


class Log:
    """The log file, open for appending while ``send`` holds the output folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        created = not path.exists()
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW
        self._descriptor = os.open(path, flags, 0o644)
        if created:
            _sync_folder(path.parent)

    def append(self, entries: Iterable[Entry]) -> None:
        """Write whole lines and have them on disk before returning."""
        data = b"".join(
            json.dumps(_fields(e), ensure_ascii=False, sort_keys=True).encode() + b"\n"
            for e in entries
        )
        written = 0
        while written < len(data):
            written += os.write(self._descriptor, data[written:])
        os.fsync(self._descriptor)

    def close(self) -> None:
        os.close(self._descriptor)

    def __enter__(self) -> Log:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _fields(entry: Entry) -> dict[str, str | None]:
    values: dict[str, str | None] = {
        "slug": entry.slug, "id": entry.id, "email": entry.email, "sha256": entry.sha256,
        "status": entry.status, "time": entry.time,
    }  # fmt: skip
    if entry.message_id:
        values["message_id"] = entry.message_id
    if entry.error:
        values["error"] = entry.error
    return values


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
