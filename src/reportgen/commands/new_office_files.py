"""The starter files ``reportgen new`` writes in a director's own tools: the
year's data as one workbook (``--workbook``) and narrative as Word documents
(``--word``), and the same kinds carried forward by ``--from``.

Called by ``new`` inside its staging folder, so a failure leaves nothing
behind. The workbook has a sheet per table (the header, then the table's
example row from ``table_registry.TABLES``, typed as Excel shows it, dates moved into
the new year); the documents hold a heading in Word's 'Heading 1' style (the
section's title) and the prompt that ``check`` warns about until it is replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from reportgen.core import messages as M
from reportgen.reading.column_names import ColumnNames, written_column, written_value
from reportgen.reading.readers.tables import HEADER_SEARCH, find_header_row
from reportgen.reading.table_registry import TABLES, TableSpec

WORKBOOK = "year.xlsx"


def write_workbook(
    path: Path,
    start: date,
    names: ColumnNames | None = None,
    country: str | None = None,
    language: str = "en",
) -> None:
    """One workbook for the year: a sheet per built-in table, named like it;
    its column names and example values in ``names``' first language, its
    columns those an organisation of ``country`` needs."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, spec in TABLES.items():
        sheet = book.create_sheet(name)
        columns = spec.starter_columns(country)
        sheet.append([written_column(names, spec.name, c.name) if names else c.name
                      for c in columns])  # fmt: skip
        # A donor row would write a letter to a made-up person, and one line of
        # accounts would not add up (audience "whole"): the header only.
        if spec.example and spec.audience == "visibility":
            example = [
                written_value(names, c.name, v, spec.name)
                if names and isinstance(v, str) and c.choices
                else M.say(v, language) if isinstance(v, str) else v
                for c, v in zip(spec.columns, _typed_example(spec, start), strict=False)
                if c in columns
            ]  # fmt: skip
            sheet.append(example)
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 40)
    book.save(path)


def _typed_example(spec: TableSpec, start: date) -> list[object]:
    """The example row with dates and numbers as Excel cells, not text."""
    row: list[object] = []
    for column, text in zip(spec.columns, spec.example, strict=False):
        value: object = text or None
        if column.type == "date" and text:
            # The year's own date, so that the example passes the in-year rule.
            value = start if column.name == spec.in_year else date.fromisoformat(text)
        elif column.type in ("int", "decimal") and text:
            value = _number(text)
        row.append(value)
    return row


def _number(text: str) -> object:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    return int(number) if number == number.to_integral_value() else float(number)


def write_document(path: Path, title: str, paragraphs: list[str]) -> None:
    """A Word document: ``title`` as 'Heading 1', then one paragraph each."""
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.core_properties.title = title
    document.save(str(path))


def document_heading(path: Path) -> str | None:
    """The first heading of a Word document (for ``--from``), or ``None``."""
    from docx import Document

    try:
        document = Document(str(path))
    except Exception:  # python-docx raises many kinds for a damaged file
        return None
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if paragraph.text.strip() and (style.startswith("Heading") or style == "Title"):
            return paragraph.text.strip()
    return None


def empty_workbook(
    source: Path,
    target: Path,
    carried: frozenset[str],
    kept: Callable[[str, str], bool] = lambda table, column: False,
    roll: Callable[[str], str] = lambda text: text,
    column_names: ColumnNames | None = None,
) -> None:
    """A workbook of last year without its rows: each sheet keeps what is
    above and in its header (a title, the column names), with ``roll``
    naming the new year in the rows above the header; a sheet of a table
    that carries over keeps everything; the cells of a column ``kept``
    (table, column) stay in the rows that have any."""
    from openpyxl import load_workbook

    book = load_workbook(source)
    own = source.stem.lower()
    for sheet in book.worksheets:
        name = own if own in TABLES else sheet.title.strip().lower()
        if name in carried:
            continue
        columns = {c.name for c in TABLES[name].columns} if name in TABLES else set()
        if column_names is not None:  # a header in the report's languages' names
            columns |= {n.lower() for c in set(columns) for n in column_names.names(name, c)}
        header = _header_row(sheet, columns)
        above = sheet.iter_rows(max_row=header - 1) if header > 1 else ()
        for row in above:  # a title: "Activities 2025-26"
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = roll(cell.value)
        names = [str(c.value or "").strip().lower() for c in sheet[header]] if header else []
        keep = [i for i, column in enumerate(names) if kept(name, column)]
        if not keep:
            if sheet.max_row > header:
                sheet.delete_rows(header + 1, sheet.max_row - header)
            continue
        for row in sheet.iter_rows(min_row=header + 1):
            for i, cell in enumerate(row):
                if i not in keep and cell.value is not None:
                    cell.value = None
    book.save(target)


def _header_row(sheet: Any, columns: set[str]) -> int:
    return find_header_row(list(sheet.iter_rows(max_row=HEADER_SEARCH, values_only=True)), columns)
