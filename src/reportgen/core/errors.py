"""Our own exception tree: the second channel for trouble.

A stage that cannot go on raises one of these; the CLI turns it into a short
line and an exit code. Problems in the user's content are not exceptions but
diagnostics (see ``diagnostics``), except that a run which found any error
ends by raising ``InvalidInput`` carrying them all.
"""

from __future__ import annotations

from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostic


class ReportgenError(Exception):
    """Base of every error reportgen raises on purpose."""

    exit_code = 1


class UsageError(ReportgenError):
    """The command line asked for something impossible (exit 2)."""

    exit_code = 2


class InvalidInput(ReportgenError):
    """The report folder has errors; nothing was written (exit 2)."""

    exit_code = 2

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        count = sum(1 for d in diagnostics if d.severity.value == "error")
        super().__init__(M.PROBLEMS_FOUND(count=count))


class StrictFailed(InvalidInput):
    """``build --strict`` found warnings (of the input or of the preflight);
    nothing was written (exit 2)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics)
        count = sum(1 for d in diagnostics if d.severity.value == "warning")
        preflight = sum(1 for d in diagnostics if d.message.startswith("preflight: "))
        kind = M.STRICT_PREFLIGHT_WARNINGS if count == preflight else M.STRICT_WARNINGS
        self.args = (kind(count=count),)


class RenderError(ReportgenError):
    """The renderer failed on input that validated: a bug of ours (exit 1)."""


class ContentFailed(InvalidInput):
    """The renderer failed on a part of the input it could name (a picture or
    link of a narrative file): a located problem (exit 2), nothing written.
    Picklable, so that it crosses from a worker process intact."""

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.diagnostics,))


class OutputUnwritable(ReportgenError):
    """The output folder cannot be written (its permissions, a full disk, a file
    where a folder should be); earlier outputs stay as they were (exit 2)."""

    exit_code = 2


class NothingSent(InvalidInput):
    """``send`` found bad settings or input before its first message (exit 2)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics)
        count = sum(1 for d in diagnostics if d.severity.value == "error")
        self.args = (M.PROBLEMS_NOTHING_SENT(count=count),)
