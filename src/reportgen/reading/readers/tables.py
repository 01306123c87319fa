"""Read one data table, CSV or XLSX, into raw located rows; the reader is
chosen by the file's extension from ``READERS`` (the one list of table file
kinds: the folder scan, the scaffold and the leak tests walk it).

A CSV is read with the standard ``csv`` module (RFC 4180 quoting, a BOM
allowed) so that every row keeps the 1-based line it starts on; a workbook is
read with openpyxl so that every cell keeps its ``Sheet!B14`` address: the
sheet named like the table, else the first holding a value (or the sheet a
whole-year workbook gives the table), with the header found among the first
ten rows by the table's column names, rows above it (a title) ignored. Values
stay raw: strings from CSV, cell values from XLSX. Column names are normalised
(case, surrounding spaces) here, once.

Input is bounded before it is trusted with memory or time: a workbook's zip
archive is measured (members, inflated sizes, compression ratio) before
openpyxl opens it, rows and cells are counted while reading, and every text
cell is checked here for length and for characters that are not plain text.
"""

from __future__ import annotations

import csv
import io
import itertools
import logging
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostics, Location
from reportgen.core.plaintext import describe, forbidden_in

log = logging.getLogger(__name__)

CellValue = str | int | float | date | datetime | bool | None

# Limits far above any real annual report (the benchmarks' largest year has
# 20,000 activities), low enough that a hostile file fails fast and small.
MAX_CELL_CHARS = 10_000  # a cell longer than this is a pasted document, not a value
MAX_ROWS = 100_000
MAX_CELLS = 1_000_000
MAX_CSV_BYTES = 64 * 2**20
# A workbook is a zip archive: these bound what it may inflate to before
# openpyxl reads a byte of it. Spreadsheet XML compresses about 5 to 30 times.
MAX_MEMBERS = 1_000
MAX_MEMBER_BYTES = 64 * 2**20
MAX_INFLATED_BYTES = 128 * 2**20
MAX_RATIO = 200
HEADER_SEARCH = 10  # the header is among a sheet's first ten rows


@dataclass(frozen=True)
class RawCell:
    value: CellValue
    location: Location


@dataclass(frozen=True)
class RawRow:
    location: Location  # the row as a whole: its first line, or its first cell
    cells: dict[str, RawCell]  # normalised column name -> cell


@dataclass(frozen=True)
class RawTable:
    name: str  # "activities", ...
    path: Path
    columns: tuple[str, ...]  # normalised, in file order
    header_location: Location
    rows: tuple[RawRow, ...]
    # The header as written where it used a language's column names
    # (reading.column_names.localise); () when ``columns`` is it.
    written: tuple[str, ...] = ()


def normalise_column(name: object) -> str:
    return str(name if name is not None else "").strip().lower()


def read_table(
    name: str,
    path: Path,
    diags: Diagnostics,
    columns: Collection[str] = (),
    sheet: str | None = None,
) -> RawTable | None:
    """Read ``path`` with the reader its extension picks; ``None`` when it
    cannot be read at all.

    For a workbook, ``columns`` (the table's column names) find the header row
    and ``sheet`` names the sheet to read (else it is chosen by ``_pick_sheet``)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        diags.error(
            Location(path),
            M.TABLE_READER_KIND(kinds=M.either(READERS), suffix=path.suffix or M.THIS_FILE()),
        )
        return None
    return reader.read(name, path, diags, columns, sheet)


def _decode(path: Path, diags: Diagnostics) -> str | None:
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diags.error(
            Location(path, line),
            M.NOT_UTF8(byte=data[exc.start]),
        )
        return None


def _check_text(value: str, what: str, location: Location, diags: Diagnostics) -> None:
    """A text value too long, or holding a character that is not text, is an error;
    ``location.line`` is where the value starts (a CSV cell may span lines)."""
    if len(value) > MAX_CELL_CHARS:
        diags.error(
            location,
            M.CELL_TOO_LONG(what=what, length=len(value), limit=MAX_CELL_CHARS),
        )
    found = forbidden_in(value)
    if found is not None:
        index, char = found
        if location.line is not None:
            location = Location(location.path, location.line + value.count("\n", 0, index))
        diags.error(
            location,
            M.CELL_NOT_TEXT(what=what, index=index + 1, char=describe(char)),
        )


def _check_record(
    record: list[str], names: list[str] | None, path: Path, start: int, diags: Diagnostics
) -> None:
    """Check every cell of a CSV record; ``names`` is None for the header itself."""
    line = start
    for i, value in enumerate(record):
        if _suspect(value):
            name = names[i] if names is not None and i < len(names) else ""
            what = M.CELL_COLUMN_NAMED(name=name) if name else M.CELL_COLUMN_NUMBERED(number=i + 1)
            if names is None:
                what = M.CELL_IN_HEADER(what=what)
            _check_text(value, what, Location(path, line), diags)
        line += value.count("\n")


def _suspect(value: object) -> bool:
    """Whether a cell needs ``_check_text``: a quick test, as it runs on every cell."""
    return isinstance(value, str) and (
        len(value) > MAX_CELL_CHARS or forbidden_in(value) is not None
    )


def _too_big(count: int, cells: int, loc: Location, diags: Diagnostics) -> bool:
    """Past the row or cell limit: one error, and the caller stops reading."""
    if count <= MAX_ROWS and cells <= MAX_CELLS:
        return False
    diags.error(
        loc,
        M.TABLE_TOO_LARGE(rows=MAX_ROWS, cells=MAX_CELLS),
    )
    return True


def _read_csv(
    name: str,
    path: Path,
    diags: Diagnostics,
    columns: Collection[str] = (),
    sheet: str | None = None,
) -> RawTable | None:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        diags.error(
            Location(path),
            M.TABLE_FILE_TOO_LARGE(size=size / 2**20, limit=MAX_CSV_BYTES // 2**20),
        )
        return None
    text = _decode(path, diags)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[RawRow] = []
    cell_count = 0
    line_after = 0  # physical lines consumed so far
    try:
        for record in reader:
            start = line_after + 1
            line_after = reader.line_num
            if not record or all(not c.strip() for c in record):
                continue  # blank line
            cell_count += len(record)
            count = len(rows) + (header is not None)  # data rows, this one included
            if _too_big(count, cell_count, Location(path, start), diags):
                return None
            if header is None:
                header = [normalise_column(c) for c in record]
                header_line = start
                _check_record(record, None, path, start, diags)
                continue
            _check_record(record, header, path, start, diags)
            loc = Location(path, start)
            if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
                # Its cells are shifted: checking them by column would only say
                # what follows from this, so it is the row's one error.
                diags.error(
                    loc,
                    M.RECORD_CELLS(count=len(record), header=len(header)),
                )
                continue
            cells = {
                col: RawCell(record[i] if i < len(record) else None, loc)
                for i, col in enumerate(header)
                if col
            }
            rows.append(RawRow(loc, cells))
    except csv.Error as exc:
        diags.error(Location(path, reader.line_num or 1), M.CANNOT_READ_CSV(reason=exc))
        return None
    if header is None:  # no header at all: validation decides how bad that is
        return RawTable(name, path, (), Location(path, 1), ())
    return RawTable(name, path, tuple(header), Location(path, header_line), tuple(rows))


def archive_problem(path: Path, what: M.Text | None = None) -> M.Text | None:
    """Why the zip archive of a workbook (or Word document: ``what``) is refused
    before parsing, or ``None``.

    The declared sizes can be trusted as bounds: ``zipfile`` stops inflating a
    member at its declared size (and fails its CRC check if there was more)."""
    what = what or M.ARCHIVE_WORKBOOK()
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return M.ARCHIVE_UNREADABLE(what=what, reason=_short(exc))
    if len(members) > MAX_MEMBERS:
        return M.ARCHIVE_PARTS(what=what, count=len(members), most=MAX_MEMBERS)
    mb = 2**20
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_MEMBER_BYTES:
            size = member.file_size / mb
            return M.ARCHIVE_PART_BIG(what=what, part=member.filename, size=size,
                                      most=MAX_MEMBER_BYTES // mb)  # fmt: skip
        if member.file_size > mb and ratio > MAX_RATIO:
            return M.ARCHIVE_BOMB(what=what, part=member.filename, ratio=ratio, most=MAX_RATIO)
    total = sum(m.file_size for m in members)
    if total > MAX_INFLATED_BYTES:
        return M.ARCHIVE_TOTAL(what=what, size=total / mb, most=MAX_INFLATED_BYTES // mb)
    return None


def workbook_contents(path: Path, diags: Diagnostics) -> list[tuple[str, bool]] | None:
    """Each sheet's name and whether it holds any value; ``None`` (with an
    error) when the workbook cannot be read."""
    workbook = _open_workbook(path, diags)
    if workbook is None:
        return None
    try:
        return [(sheet.title, _has_value(sheet)) for sheet in workbook.worksheets]
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        diags.error(Location(path), M.CANNOT_READ_WORKBOOK(reason=_short(exc)))
        return None
    finally:
        workbook.close()


def _open_workbook(path: Path, diags: Diagnostics) -> Any:
    from openpyxl import load_workbook

    problem = archive_problem(path)
    if problem is not None:
        diags.error(Location(path), problem)
        return None
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        diags.error(Location(path), M.CANNOT_READ_WORKBOOK(reason=_short(exc)))
        return None


def _read_xlsx(
    name: str, path: Path, diags: Diagnostics, columns: Collection[str], wanted: str | None
) -> RawTable | None:
    workbook = _open_workbook(path, diags)
    if workbook is None:
        return None
    try:
        sheet = _pick_sheet(workbook, name, wanted)
        # Trust the cells, not the sheet's declared size: a claimed A1:XFD1048576
        # would otherwise pad every row to 16,384 cells.
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        return _read_sheet(name, path, sheet, set(columns), diags)
    except Exception as exc:
        diags.error(Location(path), M.CANNOT_READ_WORKBOOK(reason=_short(exc)))
        return None
    finally:
        workbook.close()


def _pick_sheet(workbook: Any, name: str, wanted: str | None) -> Any:
    """``wanted``, else the sheet named like the table (case and surrounding
    spaces aside), else the first sheet holding any value, else the first."""
    sheets = workbook.worksheets
    if wanted is not None:
        return workbook[wanted]
    for sheet in sheets:
        if sheet.title.strip().lower() == name:
            return sheet
    return next((sheet for sheet in sheets if _has_value(sheet)), sheets[0])


def _has_value(sheet: Any) -> bool:
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    rows = itertools.islice(sheet.iter_rows(values_only=True), MAX_ROWS)
    return any(not _blank(values) for values in rows)


def _blank(values: tuple[CellValue, ...]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def find_header_row(head: list[tuple[CellValue, ...]], columns: set[str]) -> int:
    """The 1-based row of the header among the first rows: the first holding
    one of the table's column names, else the first with any value."""
    for number, values in enumerate(head, start=1):
        if columns and any(normalise_column(v) in columns for v in values if v is not None):
            return number
    return next((n for n, values in enumerate(head, start=1) if not _blank(values)), 1)


def _read_sheet(
    name: str, path: Path, sheet: Any, columns: set[str], diags: Diagnostics
) -> RawTable | None:
    from openpyxl.utils import get_column_letter

    title = sheet.title
    rows_in = sheet.iter_rows(values_only=True)
    head = list(itertools.islice(rows_in, HEADER_SEARCH))
    header_row = find_header_row(head, columns)
    _skipped_rows(head[: header_row - 1], header_row, path, title, diags)
    header: list[str] | None = None
    rows: list[RawRow] = []
    cell_count = 0
    for row_no, values in enumerate(itertools.chain(head, rows_in), start=1):
        if row_no < header_row:
            continue
        cell_count += len(values)
        count = row_no - header_row
        if _too_big(count, cell_count, Location(path, cell=f"{title}!A{row_no}"), diags):
            return None
        for i, value in enumerate(values):
            if not _suspect(value):
                continue
            col = header[i] if header is not None and i < len(header) else ""
            what = (M.CELL_COLUMN_NAMED(name=col) if col
                    else M.CELL_COLUMN_NUMBERED(number=get_column_letter(i + 1)))  # fmt: skip
            if header is None:
                what = M.CELL_IN_HEADER(what=what)
            where = Location(path, cell=f"{title}!{get_column_letter(i + 1)}{row_no}")
            _check_text(str(value), what, where, diags)
        if header is None:
            header = [normalise_column(v) for v in values]
            continue
        if _blank(values):
            continue
        cells = {}
        for i, col in enumerate(header):
            if not col:
                continue
            value = values[i] if i < len(values) else None
            cells[col] = RawCell(
                value, Location(path, cell=f"{title}!{get_column_letter(i + 1)}{row_no}")
            )
        rows.append(RawRow(Location(path, cell=f"{title}!A{row_no}"), cells))
    if header is None:
        return RawTable(name, path, (), Location(path, cell=f"{title}!A1"), ())
    header_cell = Location(path, cell=f"{title}!A{header_row}")
    return RawTable(name, path, tuple(header), header_cell, tuple(rows))


def _skipped_rows(
    above: list[tuple[CellValue, ...]], header_row: int, path: Path, title: str, diags: Diagnostics
) -> None:
    """A warning when rows with values sit above the header (a title, a banner)."""
    filled = [n for n, values in enumerate(above, start=1) if not _blank(values)]
    if not filled:
        return
    first = next(str(v).strip() for v in above[filled[0] - 1] if v is not None and str(v).strip())
    shown = first if len(first) <= 40 else first[:39] + "…"
    diags.warning(
        Location(path, cell=f"{title}!A{header_row}"),
        M.HEADER_ROW_TAKEN(count=len(filled), header=header_row, first=filled[0],
                           last=filled[-1], shown=shown),
    )  # fmt: skip


def _short(exc: Exception) -> M.Text:
    """The library's own words for ``exc`` (its first line), framed as such."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return M.LIBRARY_REASON(reason=text or type(exc).__name__)


@dataclass(frozen=True)
class TableReader:
    """One kind of table file: how to read it, and (for a workbook, which can
    hold a whole year's tables) how to list its sheets."""

    extension: str  # ".csv", lowercase with its dot
    read: Callable[
        [str, Path, Diagnostics, Collection[str], str | None], RawTable | None
    ]  # (table, path, diags, column names, sheet or None)
    # A workbook's sheets (name, holds a value), or None when it cannot be read.
    sheets: Callable[[Path, Diagnostics], list[tuple[str, bool]] | None] | None = None


READERS: dict[str, TableReader] = {
    r.extension: r
    for r in (
        TableReader(".csv", _read_csv),
        TableReader(".xlsx", _read_xlsx, sheets=workbook_contents),
    )
}
TABLE_EXTENSIONS = tuple(READERS)
