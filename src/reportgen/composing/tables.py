"""A table as a page shows it: formatted cells, which columns are numbers,
a footer; what every list, finance table and account of the context is made of.

Pure data: ``page_context`` and ``accounts`` fill it, templates place it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    note: str | None = None  # a second, smaller line under the first cell
    # Accounts: "heading" (a section's name), "item", "subtotal" or "total"
    # (ruled above); "" for the rows of any other table.
    kind: str = ""


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    numeric: tuple[int, ...] = ()  # columns aligned right
    note_column: int = 0  # the cell under which a row's note is printed
    footer: tuple[str, ...] | None = None
    print_rows: tuple[Row, ...] | None = None  # a long table's rows in print; None: all
    print_note: str | None = None  # says what print leaves out, and where it is
    dates: tuple[int, ...] = ()  # columns of dates: never wrapped inside
