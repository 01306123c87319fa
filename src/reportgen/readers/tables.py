"""Read one data table, CSV or XLSX, into raw located rows.

A CSV is read with the standard ``csv`` module (RFC 4180 quoting, a BOM
allowed) so that every row keeps the 1-based line it starts on; a workbook is
read with openpyxl (first sheet, header in row 1) so that every cell keeps its
``Sheet!B14`` address. Values stay raw: strings from CSV, cell values from
XLSX. Column names are normalised (case, surrounding spaces) here, once.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportgen.diagnostics import Diagnostics, Location

log = logging.getLogger(__name__)

CellValue = str | int | float | date | datetime | bool | None


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


def _read_csv(name: str, path: Path, diags: Diagnostics) -> RawTable | None:
    text = _decode(path, diags)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    rows: list[RawRow] = []
    line_after = 0  # physical lines consumed so far
    try:
        for record in reader:
            start = line_after + 1
            line_after = reader.line_num
            if not record or all(not c.strip() for c in record):
                continue  # blank line
            if header is None:
                header = [normalise_column(c) for c in record]
                header_line = start
                continue
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


def _read_xlsx(name: str, path: Path, diags: Diagnostics) -> RawTable | None:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        diags.error(Location(path), f"cannot read the workbook: {_short(exc)}")
        return None
    try:
        sheet = workbook.worksheets[0]
        title = sheet.title
        header: list[str] | None = None
        rows: list[RawRow] = []
        for row_no, values in enumerate(sheet.iter_rows(values_only=True), start=1):
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
