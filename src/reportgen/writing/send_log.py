"""The send log: what ``send`` did with each letter, so that none goes twice.

One log per year, kept with the report set and never with the outputs: the
file ``<year folder>.send-log.jsonl`` in the folder that holds the year folder
(beside organization.toml in a report set), found from the year folder's own
path, so that the same send run from any working directory, with any
``--out``, reads the same log. It is outside the year folder, so it is never
an input of a build, and no build writes, moves or drops it.

Each record is one line: a JSON object whose ``check`` is a hash of its other
fields, ended by a newline, appended with one write and ``os.fsync`` before the
next: ``sending`` before an SMTP transaction (so a crash, a Ctrl-C or a dropped
connection in the middle leaves a trace), then ``sent`` (with the Message-ID)
or ``failed``. A line without its newline or whose ``check`` does not match is
torn (a crash in the middle of a write, an edit by hand): it counts as "maybe
sent" for the donor it names, and when it names none, for every donor not
recorded as sent after it. The record after a torn line is still read, even
when an older version glued it to the torn line. The file and the folder it
is opened in are never followed through a symbolic link.

Logs of reportgen before this one lived in ``output/<year>/donors/
send-log.jsonl``; ``send`` still reads such a log (``LEGACY_NAME``) and, on a
real send, copies what it says into the log here (``Log.adopt``).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path

from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostic, Location, Severity
from reportgen.core.errors import NothingSent
from reportgen.writing import append_log

SUFFIX = ".send-log.jsonl"
LEGACY_NAME = "send-log.jsonl"  # in output/<year>/donors/, before logs moved to the report set
SENDING, SENT, FAILED = "sending", "sent", "failed"
ANYONE = ""  # the slug of a "sending" record that may stand for any donor (``adopt``)

# Where a record begins: "slug" is always its first key (in older logs, anywhere).
_START = re.compile(rb'\{"')
_SLUG = re.compile(rb'(?<!\\)"slug": ?("(?:[^"\\\x00-\x1f]|\\.)*")')


@dataclass(frozen=True)
class Entry:
    """One record of the log."""

    slug: str  # the letter's file name without .pdf: what a donor is known by here
    id: str | None
    email: str
    sha256: str  # the letter PDF that was (being) sent
    status: str  # SENDING, SENT or FAILED
    time: str
    message_id: str = ""
    error: str = ""
    imported: str = ""  # the hash of an older log this record was copied from


@dataclass(frozen=True)
class History:
    """What the log says of one donor's letter."""

    sent_sha256: str | None = None  # the letter last known delivered
    pending: bool = False  # maybe sent: nothing says how its transaction ended


@dataclass(frozen=True)
class Torn:
    """A line that is not a whole record, and whom it may have been about."""

    path: Path
    line: int
    slug: str | None  # None: it names no donor, so it may be about any of them


@dataclass
class Histories:
    """Each donor's history, from every log read, in order."""

    known: dict[str, History] = field(default_factory=dict)
    # The same histories by donor id and by address: a donor whose file name
    # changed (an older reportgen named some letters by their row's place) is
    # still known by them.
    by_id: dict[str, History] = field(default_factory=dict)
    by_email: dict[str, History] = field(default_factory=dict)
    torn: list[Torn] = field(default_factory=list)
    records: int = 0
    imported: set[str] = field(default_factory=set)  # hashes of older logs copied in
    # After a record that may be about anyone: the donors recorded as sent since.
    sent_since_anyone: set[str] | None = None

    def get(
        self,
        slug: str,
        default: History | None = None,
        id: str | None = None,
        email: str | None = None,
    ) -> History:
        """One donor's history, by the letter's file name, else by the donor's
        id, else by address (``default`` is ignored: a donor the log does not
        name may still be "maybe sent", after a torn line that names nobody)."""
        history = self.known.get(slug)
        if history is None and id:
            history = self.by_id.get(id)
        if history is None and email:
            history = self.by_email.get(email.strip().lower())
        history = history or History()
        if self.sent_since_anyone is not None and slug not in self.sent_since_anyone:
            return History(history.sent_sha256, pending=True)
        return history

    def add(self, entry: Entry) -> None:
        self.records += 1
        if entry.imported:
            self.imported.add(entry.imported)
        if entry.slug == ANYONE:
            if entry.status == SENDING:
                self.sent_since_anyone = set()
            return
        keys = [(self.known, entry.slug)]
        if entry.id:
            keys.append((self.by_id, entry.id))
        if entry.email:
            keys.append((self.by_email, entry.email.strip().lower()))
        for table, key in keys:
            before = table.get(key, History())
            if entry.status == SENT:
                table[key] = History(entry.sha256, pending=False)
            else:
                table[key] = History(before.sent_sha256, pending=entry.status == SENDING)
        if entry.status == SENT and self.sent_since_anyone is not None:
            self.sent_since_anyone.add(entry.slug)

    def tear(self, torn: Torn) -> None:
        self.torn.append(torn)
        if torn.slug is None:
            self.sent_since_anyone = set()
        else:
            before = self.known.get(torn.slug, History())
            self.known[torn.slug] = History(before.sent_sha256, pending=True)

    def as_entries(self, imported: str, time: str) -> Iterator[Entry]:
        """Records that say what these histories say (to copy an older log)."""

        def record(slug: str, status: str, sha256: str = "") -> Entry:
            return Entry(slug, None, "", sha256, status, time, imported=imported)

        since = self.sent_since_anyone
        for slug, history in self.known.items():
            if history.sent_sha256 is not None and (since is None or slug not in since):
                yield record(slug, SENT, history.sent_sha256)
        if since is not None:
            yield record(ANYONE, SENDING)
            for slug in sorted(since):
                yield record(slug, SENT, self.known[slug].sent_sha256 or "")
        for slug, history in self.known.items():
            if history.pending:
                yield record(slug, SENDING)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def location(year_dir: Path) -> Path:
    """The log of ``year_dir``: beside it, named after it; the same from any folder."""
    return append_log.location(year_dir, SUFFIX)


# ---- reading -----------------------------------------------------------------


def read(sources: Iterable[tuple[Path, bool]]) -> Histories:
    """The histories told by the logs ``(path, legacy)``, read in that order;
    a log that is absent says nothing. Raises ``NothingSent`` for a log that is
    a symbolic link or not a regular file."""
    histories = Histories()
    for path, legacy in sources:
        data = read_bytes(path)
        if data is not None:
            scan(data, path, histories, legacy=legacy)
    return histories


def read_bytes(path: Path) -> bytes | None:
    """A log's bytes, or None when there is none; never through a link."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _refused(path, exc) from None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise _refused(path, None)
        return handle.read()


def scan(data: bytes, path: Path, into: Histories, legacy: bool = False) -> None:
    """Add the records of one log's bytes to ``into``: every whole line, and a
    torn mark for every line that is not one."""
    lines = data.split(b"\n")
    tail = lines.pop()  # what follows the last newline: empty, or a line cut off
    for number, line in enumerate(lines, start=1):
        _line(line, number, path, into, legacy)
    if tail.strip():
        for fragment in _fragments(tail):
            into.tear(Torn(path, len(lines) + 1, _attributed(fragment)))


def _line(line: bytes, number: int, path: Path, into: Histories, legacy: bool) -> None:
    if not line.strip() or (legacy and _is_copy(line)):
        return  # a checked line in an older log's place: the copy of the log (Log.copy)
    if (entry := _parse(line, legacy)) is not None:
        into.add(entry)
        return
    # A whole record after a torn one on the same line (an older version
    # appended it there): the record counts, the torn part before it too.
    for start in _START.finditer(line, 1):
        if (entry := _parse(line[start.start() :], legacy)) is not None:
            for fragment in _fragments(line[: start.start()]):
                into.tear(Torn(path, number, _attributed(fragment)))
            into.add(entry)
            return
    for fragment in _fragments(line):
        into.tear(Torn(path, number, _attributed(fragment)))


def _fragments(torn: bytes) -> list[bytes]:
    """The torn records run together in ``torn``, each from its ``{"``."""
    starts = [m.start() for m in _START.finditer(torn)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    pieces = [torn[a:b] for a, b in zip(starts, [*starts[1:], len(torn)], strict=True)]
    return [piece for piece in pieces if piece.strip()]


def _attributed(fragment: bytes) -> str | None:
    """The donor a torn record names, when its slug is there whole."""
    found = _SLUG.search(fragment)
    if found is None:
        return None
    try:
        slug = json.loads(found.group(1))
    except ValueError:
        return None
    return slug if isinstance(slug, str) and slug != ANYONE else None


def _parse(line: bytes, legacy: bool) -> Entry | None:
    try:
        data = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    check = data.pop("check", None)
    if check is None and not legacy:  # every record of this log carries its check
        return None
    if check is not None and check != append_log.checksum(data):
        return None
    text = {k: v for k, v in data.items() if isinstance(v, str)}
    if not all(k in text for k in ("slug", "email", "sha256", "status", "time")):
        return None
    if text["status"] not in (SENDING, SENT, FAILED):
        return None
    known = {f.name for f in fields(Entry)} - {"id"}
    return Entry(id=data.get("id") if isinstance(data.get("id"), str) else None,
                 **{k: v for k, v in text.items() if k in known})  # fmt: skip


def _is_copy(line: bytes) -> bool:
    try:
        data = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return False
    if not isinstance(data, dict) or "check" not in data:
        return False
    check = data.pop("check")
    return bool(check == append_log.checksum(data))


def record_line(entry: Entry) -> bytes:
    """One record, a line of ASCII: "slug" first (so a torn line still names
    its donor), "check" last."""
    values: dict[str, object] = {
        "slug": entry.slug, "id": entry.id, "email": entry.email, "sha256": entry.sha256,
        "status": entry.status, "time": entry.time,
    }  # fmt: skip
    for name in ("message_id", "error", "imported"):
        if getattr(entry, name):
            values[name] = getattr(entry, name)
    return append_log.checked_line(values)


# ---- writing -----------------------------------------------------------------


class Log:
    """The log file, open for appending and locked while ``send`` sends.

    Opened in its folder without following a link (``O_NOFOLLOW``), locked
    (``flock``) so that a second ``send`` of the same year, from any folder,
    stops before its first message, and ended by a newline when the last
    write of an earlier run was cut off, so that the next record starts a line.
    """

    def __init__(self, path: Path, copy: Path | None = None) -> None:
        self.path = path
        self.copy = copy  # the contract's place, beside the letters: a copy, never trusted
        self._file = append_log.AppendLog(
            path, _refused, busy=lambda: _busy(path), nonblocking_open=True
        )
        try:
            self._file.seal()
        except BaseException:
            self._file.close()
            raise

    def _write(self, data: bytes) -> None:
        self._file.write(data)

    def append(self, entries: Iterable[Entry]) -> None:
        """Write each record whole and have it on disk before the next; then
        the same line to the copy beside the letters."""
        for entry in entries:
            line = record_line(entry)
            self._write(line)
            self._write_copy(line)

    def _write_copy(self, line: bytes) -> None:
        """``output/<year>/donors/send-log.jsonl``, where the contract of
        version 2 puts the log: kept for readers of that place. It is never
        what decides a send (a build may replace it; ``adopt`` skips it as
        the copy it is); one that cannot be written, or is a link, is left."""
        if self.copy is None or not self.copy.parent.is_dir():
            return
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            descriptor = os.open(self.copy, flags | os.O_NONBLOCK, 0o644)
        except OSError:
            self.copy = None
            return
        try:
            size = os.fstat(descriptor).st_size
            if stat.S_ISREG(os.fstat(descriptor).st_mode):
                ended = not size or os.pread(descriptor, 1, size - 1) == b"\n"
                os.write(descriptor, line if ended else b"\n" + line)
        finally:
            os.close(descriptor)

    def adopt(self, older: Path, histories: Histories) -> int:
        """Copy what the older log ``older`` says into this one, once; how many
        records that took (0 when it was copied before or says nothing)."""
        data = read_bytes(older)
        if not data:
            return 0
        mine = read_bytes(self.path) or b""
        if set(data.splitlines(keepends=True)) <= set(mine.splitlines(keepends=True)):
            return 0  # the copy this log writes beside the letters: nothing new in it
        digest = hashlib.sha256(data).hexdigest()
        if digest in histories.imported:
            return 0
        own = Histories()
        scan(data, older, own, legacy=True)
        entries = list(own.as_entries(digest, now()))
        self.append(entries)
        return len(entries)

    def close(self) -> None:
        """Unlock and close; a log this run made and left empty is removed."""
        self._file.close()

    def __enter__(self) -> Log:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _busy(path: Path) -> NothingSent:
    return NothingSent([Diagnostic(Severity.ERROR, Location(path), M.SEND_LOG_BUSY())])


def _refused(path: Path, exc: OSError | None, folder: bool = False) -> NothingSent:
    what = "folder of the send log" if folder else "send log"
    if exc is not None and exc.errno in (errno.ELOOP, errno.ENOTDIR):
        why = f"the {what} is a symbolic link: refusing to follow it (move the real one here)"
    elif exc is not None:
        why = f"the {what} cannot be opened ({exc.strerror})"
    else:
        why = f"the {what} is not a regular file"
    return NothingSent([Diagnostic(Severity.ERROR, Location(path), why)])
