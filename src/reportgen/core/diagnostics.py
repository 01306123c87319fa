"""Located problems in the user's content: the first of two channels for trouble.

Readers and validators never raise for bad input; they append a ``Diagnostic``
with the file and line (or workbook cell) it concerns and go on, so one run
shows every problem. The CLI prints them sorted, ``path:line: message``.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from reportgen.core import messages as M


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """Where a problem is: a file and optionally a line, a workbook cell or,
    for a PDF the build made, a page (1-based)."""

    path: Path
    line: int | None = None
    cell: str | None = None  # "Sheet1!B14" for workbooks
    page: int | None = None

    def __str__(self) -> str:
        if self.page is not None:
            return f"{self.path}: page {self.page}"
        if self.cell is not None:
            return f"{self.path}:{self.cell}"
        if self.line is not None:
            return f"{self.path}:{self.line}"
        return str(self.path)

    def display(self, base: Path | None = None) -> str:
        """The location with its path shown relative to ``base`` when inside it."""
        path = self.path
        if base is not None:
            with contextlib.suppress(ValueError):
                path = path.relative_to(base)
        if self.page is not None:  # "page" in the user's language
            return M.say(M.ON_PAGE(path=path, page=self.page))
        return str(Location(path, self.line, self.cell, self.page))


# Characters that end a line (for str.splitlines and terminals) or are invisible.
_ONE_LINE = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    location: Location
    message: str

    def sort_key(self) -> tuple[str, int, str, int, int, str]:
        loc = self.location
        sheet, row, column = "", 0, 0
        if loc.cell:
            sheet, _, ref = loc.cell.rpartition("!")
            match = re.fullmatch(r"([A-Z]+)([0-9]+)", ref)
            paragraph = re.fullmatch(r"¶([0-9]+)", ref)  # a Word document's paragraph
            if paragraph:
                row = int(paragraph.group(1))
            elif match:
                letters, digits = match.groups()
                row = int(digits)
                for ch in letters:
                    column = column * 26 + ord(ch) - 64
        return (str(loc.path), loc.line or loc.page or 0, sheet, row, column, self.message)

    def format(self, base: Path | None = None) -> str:
        """One line, always: line breaks inside quoted cell values are shown as \\n.
        In the user's language (``messages``), with the message's code when shown."""
        message = _ONE_LINE.sub(lambda m: repr(m.group())[1:-1], M.say(self.message))
        if self.severity is Severity.WARNING:
            message = M.say(M.WARNING_PREFIX(message=message))
        return M.with_code(f"{self.location.display(base)}: {message}", self.message)


@dataclass
class Diagnostics:
    """An append-only collection of diagnostics for one run. A problem is
    kept once: a second stage (or a second read of a shared file, such as a
    set's organization.toml) that finds the same problem at the same place
    adds nothing, so each is printed and counted once."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False, compare=False)

    def _add(self, diagnostic: Diagnostic) -> None:
        if not self._seen:  # items given to the constructor
            self._seen.update(self.items)
        if diagnostic not in self._seen:
            self._seen.add(diagnostic)
            self.items.append(diagnostic)

    def error(self, location: Location, message: str) -> None:
        self._add(Diagnostic(Severity.ERROR, location, message))

    def warning(self, location: Location, message: str) -> None:
        self._add(Diagnostic(Severity.WARNING, location, message))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        for diagnostic in other:
            self._add(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        unique = dict.fromkeys(self.items)  # drop exact repeats, keep order
        return sorted(unique, key=Diagnostic.sort_key)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a near miss among ``choices``, else ``""``."""
    by_lower = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.strip().lower(), list(by_lower), n=1, cutoff=0.75)
    return M.DID_YOU_MEAN(choice=by_lower[close[0]]) if close else ""


def shape(message: str) -> str:
    """A message with its values blanked: what "the same problem" means."""
    head, sep, rest = (
        message.partition(": ") if message.startswith("column '") else ("", "", message)
    )
    rest = re.sub(r"'[^']*'", "'…'", rest)
    rest = re.sub(r"-?\b\d[\d,.:-]*", "N", rest)
    return f"{head}{sep}{rest}"


def summarise(
    diagnostics: Iterable[Diagnostic], base: Path | None = None, limit: int = 10
) -> list[str]:
    """Sorted lines for the terminal; past ``limit`` of the same problem in one
    file, the rest is counted in one line instead of printed."""
    lines: list[str] = []
    seen: dict[tuple[Path, Severity, str], int] = {}
    hidden: dict[tuple[Path, Severity, str], int] = {}
    said: dict[tuple[Path, Severity, str], str] = {}  # the shape in the user's language
    current: Path | None = None

    def flush() -> None:
        for (path, severity, text), count in hidden.items():
            where = Location(path).display(base)
            line = M.say(M.MORE_LIKE(count=count, message=said.get((path, severity, text), text)))
            if severity is Severity.WARNING:
                line = M.say(M.WARNING_PREFIX(message=line))
            lines.append(f"{where}: {line}")
        hidden.clear()

    ordered = sorted(dict.fromkeys(diagnostics), key=Diagnostic.sort_key)
    for diagnostic in ordered:
        path = diagnostic.location.path
        if path != current:
            flush()
            current = path
        key = (path, diagnostic.severity, shape(diagnostic.message))
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= limit:
            lines.append(diagnostic.format(base))
        else:
            hidden[key] = hidden.get(key, 0) + 1
            said.setdefault(key, shape(M.say(diagnostic.message)))
    flush()
    return lines
