"""The receipt log: each receipt number issued once, for one donor's gifts.

One log per year, kept with the report set beside the send log: the file
``<year folder>.receipt-log.jsonl`` in the folder that holds the year folder,
found from the year folder's own path (the same from any working directory
and with any ``--out``). It is outside the year folder, so never an input of
a build; only a build that writes receipts appends to it.

Each record is one line of JSON whose ``check`` is a hash of its other fields,
ended by a newline, written with one ``write`` and ``os.fsync`` before the
next: the number, the donor's id and file name, the donor's gifts (and their
hash), the number it replaces, the date of issue and the hash of the receipt
PDF. The records of a build are appended after its receipts are rendered and
before any output is moved into place, so a receipt that reached the output
always has its whole record. A line without its newline, or whose ``check``
does not match, is torn (the build that wrote it was killed): it is ignored,
and since that build never moved its receipts into place, nothing anyone holds
carries the number it named.

``assign`` decides the numbers from what the log says: the same gifts of the
same donor keep their number (and date of issue); changed gifts get the next
number, marked as replacing the donor's last one; a new donor gets the next
number. The log is locked (``flock``) from reading to the last append, so two
builds of the same year never hand out one number twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostic, Location, Severity
from reportgen.core.errors import InvalidInput
from reportgen.writing import append_log

SUFFIX = ".receipt-log.jsonl"
DIGITS = 4  # R-0001: numbers are padded to this width (and grow past it)


def location(year_dir: Path) -> Path:
    """The receipt log of ``year_dir``: beside it, named after it."""
    return append_log.location(year_dir, SUFFIX)


@dataclass(frozen=True)
class Issued:
    """One record: a receipt number and what it was issued for."""

    number: str
    sequence: int  # the number's place in the year's series, from 1
    donor: str  # the donor's id
    slug: str  # receipts/<slug>.pdf
    gifts: tuple[tuple[str, ...], ...]  # (date, amount, ...) of each gift, as issued
    gifts_sha256: str
    issued: str  # ISO date of issue
    pdf_sha256: str = ""
    replaces: str = ""  # the number this one cancels and replaces


@dataclass
class State:
    """What a log says: each donor's latest receipt, and the highest sequence."""

    latest: dict[str, Issued] = field(default_factory=dict)
    numbers: dict[str, Issued] = field(default_factory=dict)  # by number, latest record
    highest: int = 0
    torn: list[int] = field(default_factory=list)  # line numbers of torn records


def gifts_digest(gifts: Sequence[tuple[str, ...]]) -> str:
    """The hash of a donor's gifts, in any order: what a number is issued for."""
    canonical = json.dumps(sorted(list(g) for g in gifts), ensure_ascii=True,
                           separators=(",", ":"))  # fmt: skip
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def record_line(entry: Issued) -> bytes:
    values: dict[str, object] = {
        "number": entry.number, "sequence": entry.sequence, "donor": entry.donor,
        "slug": entry.slug, "gifts": [list(g) for g in entry.gifts],
        "gifts_sha256": entry.gifts_sha256, "issued": entry.issued,
        "pdf_sha256": entry.pdf_sha256, "replaces": entry.replaces,
    }  # fmt: skip
    return append_log.checked_line(values)


def _parse(line: bytes) -> Issued | None:
    try:
        data = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.pop("check", None) != append_log.checksum(data):
        return None
    try:
        return Issued(
            number=str(data["number"]), sequence=int(data["sequence"]),
            donor=str(data["donor"]), slug=str(data["slug"]),
            gifts=tuple(tuple(str(x) for x in gift) for gift in data["gifts"]),
            gifts_sha256=str(data["gifts_sha256"]), issued=str(data["issued"]),
            pdf_sha256=str(data["pdf_sha256"]), replaces=str(data["replaces"]),
        )  # fmt: skip
    except (KeyError, TypeError, ValueError):
        return None


def scan(data: bytes) -> State:
    """What the bytes of a log say; torn lines are noted and ignored."""
    state = State()
    lines = data.split(b"\n")
    tail = lines.pop()  # after the last newline: empty, or a record cut off
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        entry = _parse(line)
        if entry is None:
            state.torn.append(number)
            continue
        state.latest[entry.donor] = entry
        state.numbers[entry.number] = entry
        state.highest = max(state.highest, entry.sequence)
    if tail.strip():
        state.torn.append(len(lines) + 1)
    return state


@dataclass(frozen=True)
class Wanted:
    """A donor who is to have a receipt: who, and for which gifts."""

    donor: str
    slug: str
    gifts: tuple[tuple[str, ...], ...]  # (ISO date, amount, ...) of each gift


def assign(state: State, wanted: Iterable[Wanted], prefix: str, today: date) -> list[Issued]:
    """Each wanted receipt's number, in the order given (new numbers go in
    that order): the donor's last number when the gifts are the same, else
    the next one, replacing the donor's last."""
    highest = state.highest
    made = []
    for item in wanted:
        digest = gifts_digest(item.gifts)
        last = state.latest.get(item.donor)
        if last is not None and last.gifts_sha256 == digest:
            made.append(Issued(last.number, last.sequence, item.donor, item.slug, item.gifts,
                               digest, last.issued, last.pdf_sha256, last.replaces))  # fmt: skip
            continue
        highest += 1
        made.append(Issued(
            f"{prefix}{highest:0{DIGITS}d}", highest, item.donor, item.slug, item.gifts, digest,
            today.isoformat(), replaces=last.number if last is not None else "",
        ))  # fmt: skip
    return made


class Log:
    """The log file (``append_log.AppendLog``): opened without following a
    link, locked until closed; another build of this year waits for it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = append_log.AppendLog(path, _refusal)

    def read(self) -> State:
        return scan(self._file.read())

    def append(self, entries: Iterable[Issued]) -> None:
        """Each record whole and on disk before the next; a line cut off by an
        earlier crash is ended first, so the next record starts a line."""
        self._file.append_lines(record_line(entry) for entry in entries)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Log:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def changed(state: State, made: Sequence[Issued]) -> list[Issued]:
    """The records a build must append: new numbers, and numbers whose PDF
    is not the one last recorded (a new template, a corrected address)."""
    return [
        entry
        for entry in made
        if (old := state.numbers.get(entry.number)) is None
        or (old.pdf_sha256, old.slug) != (entry.pdf_sha256, entry.slug)
    ]


def _refusal(path: Path, exc: OSError | None, folder: bool) -> InvalidInput:
    if exc is None:
        return _refused(path, "is not a regular file")
    return _refused(path, exc.strerror or "cannot be opened")


def _refused(path: Path, why: str) -> InvalidInput:
    return InvalidInput(
        [Diagnostic(Severity.ERROR, Location(path), M.RECEIPT_LOG_REFUSED(why=why))]
    )
