"""Read one data table, CSV or XLSX, into raw located rows.

A CSV is read with the standard ``csv`` module (RFC 4180 quoting, a BOM
allowed) so that every row keeps the 1-based line it starts on; a workbook is
read with openpyxl (first sheet, header in row 1) so that every cell keeps its
``Sheet!B14`` address. Values stay raw: strings from CSV, cell values from
XLSX. Column names are normalised (case, surrounding spaces) here, once.

Input is bounded before it is trusted with memory or time: a workbook's zip
archive is measured (members, inflated sizes, compression ratio) before
openpyxl opens it, rows and cells are counted while reading, and every text
cell is checked here for length and for characters that are not plain text.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportgen.diagnostics import Diagnostics, Location
from reportgen.plaintext import describe, forbidden_in

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


def normalise_column(name: object) -> str:
    return str(name if name is not None else "").strip().lower()


def read_table(name: str, path: Path, diags: Diagnostics) -> RawTable | None:
    """Read ``path`` (by its extension); ``None`` when it cannot be read at all."""
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(name, path, diags)
    return _read_csv(name, path, diags)


def _decode(path: Path, diags: Diagnostics) -> str | None:
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diags.error(
            Location(path, line),
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as 'CSV UTF-8'",
        )
        return None


def _check_text(value: str, what: str, location: Location, diags: Diagnostics) -> None:
    """A text value too long, or holding a character that is not text, is an error;
    ``location.line`` is where the value starts (a CSV cell may span lines)."""
    if len(value) > MAX_CELL_CHARS:
        diags.error(
            location,
            f"{what}: the cell holds {len(value):,} characters; the limit is "
            f"{MAX_CELL_CHARS:,} (put long text in a narrative file)",
        )
    found = forbidden_in(value)
    if found is not None:
        index, char = found
        if location.line is not None:
            location = Location(location.path, location.line + value.count("\n", 0, index))
        diags.error(
            location,
            f"{what}: character {index + 1} is {describe(char)}, which is not text: delete it",
        )


def _check_record(
    record: list[str], names: list[str] | None, path: Path, start: int, diags: Diagnostics
) -> None:
    """Check every cell of a CSV record; ``names`` is None for the header itself."""
    line = start
    for i, value in enumerate(record):
        if _suspect(value):
            name = names[i] if names is not None and i < len(names) else ""
            what = f"column '{name}'" if name else f"column {i + 1}"
            if names is None:
                what = f"the header, {what}"
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
        f"the table is too large: more than {MAX_ROWS:,} rows or {MAX_CELLS:,} cells "
        "(an annual report's table is far smaller; is this the right file?)",
    )
    return True


def _read_csv(name: str, path: Path, diags: Diagnostics) -> RawTable | None:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        diags.error(
            Location(path),
            f"the file is {size / 2**20:,.0f} MB; the limit for a table is "
            f"{MAX_CSV_BYTES // 2**20} MB",
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
            if len(record) > len(header):
                extra = record[len(header) :]
                if any(c.strip() for c in extra):
                    diags.error(
                        loc,
                        f"row has {len(record)} cells but the header has {len(header)} columns",
                    )
            cells = {
                col: RawCell(record[i] if i < len(record) else None, loc)
                for i, col in enumerate(header)
                if col
            }
            rows.append(RawRow(loc, cells))
    except csv.Error as exc:
        diags.error(Location(path, reader.line_num or 1), f"cannot read CSV: {exc}")
        return None
    if header is None:  # no header at all: validation decides how bad that is
        return RawTable(name, path, (), Location(path, 1), ())
    return RawTable(name, path, tuple(header), Location(path, header_line), tuple(rows))


def _archive_problem(path: Path) -> str | None:
    """Why the workbook's zip archive is refused before parsing, or ``None``.

    The declared sizes can be trusted as bounds: ``zipfile`` stops inflating a
    member at its declared size (and fails its CRC check if there was more)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return f"cannot read the workbook: {_short(exc)}"
    if len(members) > MAX_MEMBERS:
        return f"the workbook holds {len(members):,} parts; the limit is {MAX_MEMBERS:,}"
    mb = 2**20
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_MEMBER_BYTES:
            return (
                f"the workbook's part {member.filename} inflates to "
                f"{member.file_size / mb:,.0f} MB; the limit is {MAX_MEMBER_BYTES // mb} MB"
            )
        if member.file_size > mb and ratio > MAX_RATIO:
            return (
                f"the workbook's part {member.filename} is compressed {ratio:,.0f} to 1 "
                f"(the limit is {MAX_RATIO} to 1): it looks like a zip bomb"
            )
    total = sum(m.file_size for m in members)
    if total > MAX_INFLATED_BYTES:
        return (
            f"the workbook inflates to {total / mb:,.0f} MB; the limit is "
            f"{MAX_INFLATED_BYTES // mb} MB"
        )
    return None


def _read_xlsx(name: str, path: Path, diags: Diagnostics) -> RawTable | None:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    problem = _archive_problem(path)
    if problem is not None:
        diags.error(Location(path), problem)
        return None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        diags.error(Location(path), f"cannot read the workbook: {_short(exc)}")
        return None
    try:
        sheet = workbook.worksheets[0]
        title = sheet.title
        # Trust the cells, not the sheet's declared size: a claimed A1:XFD1048576
        # would otherwise pad every row to 16,384 cells.
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        header: list[str] | None = None
        rows: list[RawRow] = []
        cell_count = 0
        for row_no, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cell_count += len(values)
            if _too_big(row_no - 1, cell_count, Location(path, cell=f"{title}!A{row_no}"), diags):
                return None
            for i, value in enumerate(values):
                if not _suspect(value):
                    continue
                col = header[i] if header is not None and i < len(header) else ""
                what = f"column '{col}'" if col else f"column {get_column_letter(i + 1)}"
                if header is None:
                    what = f"the header, {what}"
                where = Location(path, cell=f"{title}!{get_column_letter(i + 1)}{row_no}")
                _check_text(str(value), what, where, diags)
            if header is None:
                header = [normalise_column(v) for v in values]
                header_cell = f"{title}!A{row_no}"
                continue
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            cells = {}
            for i, col in enumerate(header):
                if not col:
                    continue
                value = values[i] if i < len(values) else None
                cell = f"{title}!{get_column_letter(i + 1)}{row_no}"
                cells[col] = RawCell(value, Location(path, cell=cell))
            rows.append(RawRow(Location(path, cell=f"{title}!A{row_no}"), cells))
    except Exception as exc:
        diags.error(Location(path), f"cannot read the workbook: {_short(exc)}")
        return None
    finally:
        workbook.close()
    if header is None:
        return RawTable(name, path, (), Location(path, cell=f"{title}!A1"), ())
    return RawTable(name, path, tuple(header), Location(path, cell=header_cell), tuple(rows))


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text or type(exc).__name__
