"""The tables docs/report-format.md holds between two markers, made from
their declarations (settings, column names, fiscal years): one way to put a
table in place and one command line for each module that makes one
(``python -m <module> --docs [file]`` rewrites the file, without ``--docs``
the table is printed)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

DOCS = "docs/report-format.md"


def spliced(text: str, begin: str, end: str, table: str) -> str:
    """``text`` with ``table`` between the markers ``begin`` and ``end``."""
    start, stop = text.index(begin) + len(begin), text.index(end)
    return text[:start] + "\n\n" + table + "\n" + text[stop:]


def command(
    table: Callable[[], str], splice: Callable[[str], str], argv: Sequence[str] = ()
) -> None:
    """A table module's ``__main__``: ``--docs [file]`` splices the table
    into the file (docs/report-format.md by default), else prints it."""
    args = list(argv or sys.argv[1:])
    if args[:1] == ["--docs"]:
        docs = Path(args[1] if len(args) > 1 else DOCS)
        docs.write_text(splice(docs.read_text("utf-8")), "utf-8")
    else:
        print(table(), end="")
