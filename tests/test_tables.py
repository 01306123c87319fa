"""reportgen.reading.readers.tables.read_table: raw located rows from CSV and XLSX.

Contract: "A data file may be .csv (UTF-8, a byte-order mark allowed,
comma-separated, RFC 4180 quoting) or .xlsx (first sheet, header in row 1)";
the line is 1-based with the header on line 1; a workbook cell is
``file.xlsx:Sheet1!B14``.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from reportgen.core.diagnostics import Diagnostics, Location
from reportgen.reading.readers.tables import RawTable, normalise_column, read_table


def read_csv(
    tmp_path: Path, content: str | bytes, name: str = "activities"
) -> tuple[RawTable | None, Diagnostics]:
    path = tmp_path / f"{name}.csv"
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    diags = Diagnostics()
    return read_table(name, path, diags), diags


def row_lines(table: RawTable) -> list[int | None]:
    return [row.location.line for row in table.rows]


# --- CSV: line numbers -------------------------------------------------------------------


def test_csv_rows_keep_their_1_based_line_header_is_line_1(tmp_path: Path) -> None:
    table, diags = read_csv(
        tmp_path, "date,title,category\n2012-10-01,A,Event\n2012-10-02,B,Rescue\n"
    )
    assert list(diags) == []
    assert table is not None
    assert table.name == "activities"
    assert table.path == tmp_path / "activities.csv"
    assert table.columns == ("date", "title", "category")
    assert table.header_location == Location(tmp_path / "activities.csv", 1)
    assert row_lines(table) == [2, 3]
    first = table.rows[0]
    assert {k: c.value for k, c in first.cells.items()} == {
        "date": "2012-10-01",
        "title": "A",
        "category": "Event",
    }
    # every cell of a CSV row points at the row's line
    assert {c.location for c in first.cells.values()} == {Location(tmp_path / "activities.csv", 2)}
    assert str(table.rows[1].cells["title"].location) == f"{tmp_path / 'activities.csv'}:3"


def test_csv_multiline_quoted_cell_shifts_the_following_rows(tmp_path: Path) -> None:
    content = (
        "date,title,description\n"  # 1
        "2012-10-01,A,one line\n"  # 2
        '2012-10-02,B,"first line\n'  # 3
        "second line\n"  # 4
        'third, with ""quotes"""\n'  # 5
        "2012-10-03,C,after\n"  # 6
        '2012-10-04,"D\n'  # 7
        'D2",x\n'  # 8
        "2012-10-05,E,last\n"  # 9
    )
    table, diags = read_csv(tmp_path, content)
    assert list(diags) == []
    assert table is not None
    assert row_lines(table) == [2, 3, 6, 7, 9]
    assert (
        table.rows[1].cells["description"].value == 'first line\nsecond line\nthird, with "quotes"'
    )
    assert table.rows[3].cells["title"].value == "D\nD2"
    assert table.rows[2].cells["title"].location.line == 6


def test_csv_blank_lines_are_skipped_but_counted(tmp_path: Path) -> None:
    content = "date,title\n\n2012-10-01,A\n\n\n2012-10-02,B\n ,  \n2012-10-03,C\n\n"
    table, diags = read_csv(tmp_path, content)
    assert list(diags) == []
    assert table is not None
    assert row_lines(table) == [3, 6, 8]  # line 7 holds only blank cells
    assert [r.cells["title"].value for r in table.rows] == ["A", "B", "C"]


def test_csv_crlf_line_endings(tmp_path: Path) -> None:
    content = 'date,title\r\n2012-10-01,"A\r\nB"\r\n2012-10-02,C\r\n'
    table, diags = read_csv(tmp_path, content)
    assert list(diags) == []
    assert table is not None
    assert row_lines(table) == [2, 4]
    assert table.rows[0].cells["title"].value == "A\r\nB"


def test_csv_header_only_gives_zero_rows(tmp_path: Path) -> None:
    table, diags = read_csv(tmp_path, "date,title,category\n")
    assert list(diags) == []
    assert table is not None
    assert table.columns == ("date", "title", "category")
    assert table.rows == ()


def test_csv_short_row_gives_none_for_missing_cells(tmp_path: Path) -> None:
    table, diags = read_csv(tmp_path, "date,title,category\n2012-10-01\n")
    assert list(diags) == []
    assert table is not None
    cells = table.rows[0].cells
    assert cells["date"].value == "2012-10-01"
    assert cells["title"].value is None and cells["category"].value is None


def test_csv_row_with_too_many_cells_is_an_error_on_its_line(tmp_path: Path) -> None:
    table, diags = read_csv(tmp_path, "date,title\n2012-10-01,A\n2012-10-02,B,extra\n")
    assert table is not None
    assert [d.format(tmp_path) for d in diags] == [
        "activities.csv:3: 3 cells, the header has 2: quote the cell that contains a comma "
        '("Leeds, UK"), or remove the extra cells'
    ]
    assert len(table.rows) == 1  # the shifted row is not checked cell by cell


def test_csv_trailing_empty_cells_beyond_header_are_fine(tmp_path: Path) -> None:
    table, diags = read_csv(tmp_path, "date,title\n2012-10-01,A,,\n")
    assert list(diags) == []
    assert table is not None and len(table.rows) == 1


# --- CSV: encoding and column names ----------------------------------------------------


def test_csv_bom_is_accepted(tmp_path: Path) -> None:
    table, diags = read_csv(
        tmp_path, b"\xef\xbb\xbfdate,title\r\n2012-10-01,\xe6\x97\xa5\xe6\x9c\xac\r\n"
    )
    assert list(diags) == []
    assert table is not None
    assert table.columns == ("date", "title")  # not "\ufeffdate"
    assert table.rows[0].cells["title"].value == "日本"
    assert row_lines(table) == [2]


def test_csv_column_names_are_normalised(tmp_path: Path) -> None:
    table, diags = read_csv(tmp_path, " Date ,TITLE,\tCategory\t, Participants\n2012-10-01,A,B,3\n")
    assert list(diags) == []
    assert table is not None
    assert table.columns == ("date", "title", "category", "participants")
    assert set(table.rows[0].cells) == {"date", "title", "category", "participants"}
    assert table.rows[0].cells["participants"].value == "3"


def test_normalise_column() -> None:
    assert normalise_column("  Target_Type ") == "target_type"
    assert normalise_column(None) == ""
    assert normalise_column(2012) == "2012"


def test_csv_values_stay_raw_strings(tmp_path: Path) -> None:
    table, _ = read_csv(tmp_path, 'date,participants\n 2012-10-01 ,"  12 "\n')
    assert table is not None
    assert table.rows[0].cells["participants"].value == "  12 "
    assert table.rows[0].cells["date"].value == " 2012-10-01 "


def test_csv_not_utf8_is_an_error_with_its_line(tmp_path: Path) -> None:
    content = "date,title\n2012-10-01,ok\n2012-10-02,caf\xe9\n".encode("latin-1")
    table, diags = read_csv(tmp_path, content)
    assert table is None
    assert [d.format(tmp_path) for d in diags] == [
        "activities.csv:3: the file is not valid UTF-8 (byte 0xe9); save it as 'CSV UTF-8'"
    ]
    assert diags.has_errors


def test_csv_shift_jis_is_an_error_with_its_line(tmp_path: Path) -> None:
    content = "date,title\n2012-10-01,ok\n\n2012-10-02,東京\n".encode("shift_jis")
    table, diags = read_csv(tmp_path, content)
    assert table is None
    assert len(diags.errors) == 1
    assert diags.errors[0].location == Location(tmp_path / "activities.csv", 4)
    assert diags.errors[0].message.startswith("the file is not valid UTF-8 (byte 0x")


def test_csv_empty_file_is_a_table_without_columns(tmp_path: Path) -> None:
    # Whether that is an error (a required table) or a warning is validation's call.
    table, diags = read_csv(tmp_path, "")
    assert list(diags) == []
    assert table is not None and table.columns == () and table.rows == ()


def test_csv_unterminated_quote_is_an_error_not_an_exception(tmp_path: Path) -> None:
    table, diags = read_csv(tmp_path, 'date,title\n2012-10-01,"abc\nmore\n')
    assert table is None
    assert len(diags.errors) == 1
    assert diags.errors[0].message.startswith("cannot read CSV: ")
    assert diags.errors[0].location.path == tmp_path / "activities.csv"
    assert diags.errors[0].location.line is not None


# --- XLSX ----------------------------------------------------------------------------------


def save_workbook(path: Path, rows: list[list[object]], title: str = "Sheet1") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def read_xlsx(
    tmp_path: Path, rows: list[list[object]], title: str = "Sheet1"
) -> tuple[RawTable | None, Diagnostics]:
    path = save_workbook(tmp_path / "activities.xlsx", rows, title)
    diags = Diagnostics()
    return read_table("activities", path, diags), diags


def test_xlsx_cells_are_located_by_sheet_and_cell(tmp_path: Path) -> None:
    table, diags = read_xlsx(
        tmp_path,
        [
            ["date", "title", "category"],
            [date(2012, 10, 1), "A", "Event"],
            [date(2012, 10, 2), "B", "Rescue"],
        ],
    )
    assert list(diags) == []
    assert table is not None
    path = tmp_path / "activities.xlsx"
    assert table.columns == ("date", "title", "category")
    assert table.header_location == Location(path, cell="Sheet1!A1")
    b3 = table.rows[1].cells["title"]
    assert b3.value == "B"
    assert b3.location == Location(path, cell="Sheet1!B3")
    assert b3.location.cell == "Sheet1!B3"
    assert b3.location.line is None
    assert str(b3.location) == f"{path}:Sheet1!B3"
    assert b3.location.display(tmp_path) == "activities.xlsx:Sheet1!B3"
    assert table.rows[0].location == Location(path, cell="Sheet1!A2")
    assert table.rows[0].cells["category"].location.cell == "Sheet1!C2"


def test_xlsx_date_cells_come_through_as_dates(tmp_path: Path) -> None:
    table, diags = read_xlsx(
        tmp_path,
        [
            ["date", "title", "participants"],
            [date(2012, 10, 1), "A", 3],
            [datetime(2013, 1, 2, 0, 0), "B", 4.5],
            ["2013-02-03", "C", "7"],
        ],
    )
    assert list(diags) == []
    assert table is not None
    values = [r.cells["date"].value for r in table.rows]
    assert isinstance(values[0], date)
    assert (values[0].year, values[0].month, values[0].day) == (2012, 10, 1)
    assert isinstance(values[1], date)
    assert (values[1].year, values[1].month, values[1].day) == (2013, 1, 2)
    assert values[2] == "2013-02-03"  # a text cell stays text
    assert table.rows[0].cells["participants"].value == 3
    assert table.rows[1].cells["participants"].value == 4.5
    assert table.rows[2].cells["participants"].value == "7"


def test_xlsx_column_names_normalised_and_empty_rows_skipped(tmp_path: Path) -> None:
    path = tmp_path / "activities.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws["A1"], ws["B1"], ws["C1"] = " Date ", "TITLE", "Category "
    ws["A2"], ws["B2"], ws["C2"] = "2012-10-01", "A", "x"
    ws["A3"] = "   "  # only blank text: a blank row
    ws["A5"], ws["B5"], ws["C5"] = "2012-10-05", "E", "y"
    other = wb.create_sheet("Second")
    other["A1"] = "ignored"
    wb.save(path)
    diags = Diagnostics()
    table = read_table("activities", path, diags)
    assert list(diags) == []
    assert table is not None
    assert table.columns == ("date", "title", "category")
    assert [r.location.cell for r in table.rows] == ["Data!A2", "Data!A5"]
    assert table.rows[1].cells["title"].location == Location(path, cell="Data!B5")


def test_xlsx_only_the_first_sheet_is_read(tmp_path: Path) -> None:
    path = tmp_path / "activities.xlsx"
    wb = Workbook()
    first = wb.active
    first.title = "Activities"
    first.append(["date", "title"])
    first.append(["2012-10-01", "from the first sheet"])
    second = wb.create_sheet("Other")
    second.append(["name"])
    second.append(["from the second sheet"])
    wb.active = 1  # even when another sheet is the active one
    wb.save(path)
    diags = Diagnostics()
    table = read_table("activities", path, diags)
    assert list(diags) == []
    assert table is not None
    assert table.columns == ("date", "title")
    assert [r.cells["title"].value for r in table.rows] == ["from the first sheet"]
    assert table.header_location.cell == "Activities!A1"


def test_xlsx_header_only_gives_zero_rows(tmp_path: Path) -> None:
    table, diags = read_xlsx(tmp_path, [["date", "title", "category"]])
    assert list(diags) == []
    assert table is not None
    assert table.rows == ()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a workbook at all",
        bytes(range(256)) * 8,
        b"PK\x03\x04" + b"\x00" * 100,  # looks like a zip, is not one
    ],
)
def test_damaged_xlsx_is_an_error_not_an_exception(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "finances.xlsx"
    path.write_bytes(content)
    diags = Diagnostics()
    assert read_table("finances", path, diags) is None
    assert len(diags) == 1
    error = diags.errors[0]
    assert error.location == Location(path)
    assert error.message.startswith("cannot read the workbook: ")
    assert len(error.message.splitlines()) == 1


def test_zip_that_is_not_a_workbook_is_an_error(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "people.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    diags = Diagnostics()
    assert read_table("people", path, diags) is None
    assert [d.severity.value for d in diags] == ["error"]
    assert diags.errors[0].message.startswith("cannot read the workbook: ")


def test_extension_decides_the_reader(tmp_path: Path) -> None:
    # a CSV text saved with an .XLSX extension (upper case) is read as a workbook
    path = tmp_path / "activities.XLSX"
    path.write_text("date,title\n2012-10-01,A\n", encoding="utf-8")
    diags = Diagnostics()
    assert read_table("activities", path, diags) is None
    assert diags.errors[0].message.startswith("cannot read the workbook: ")


# --- readers by extension, tables shown from their spec ----------------------------------


def test_readers_are_chosen_by_extension_from_one_registry(tmp_path: Path) -> None:
    from reportgen.reading.readers.tables import READERS
    from reportgen.reading.report_folder import TABLE_EXTENSIONS

    assert TABLE_EXTENSIONS == tuple(READERS) == (".csv", ".xlsx")
    path = tmp_path / "activities.ods"
    path.write_bytes(b"PK")
    diags = Diagnostics()
    assert read_table("activities", path, diags) is None
    assert [d.format(tmp_path) for d in diags] == [
        "activities.ods: a table is read from .csv or .xlsx files, not .ods"
    ]


def _print_html(year_dir: Path, edition: str) -> str:
    from reportgen.commands.build import load_year
    from reportgen.composing.edition_view import year_as_seen_by
    from reportgen.typesetting.edition_render import figures_and_charts, print_page

    diags = Diagnostics()
    year = load_year(year_dir, diags)
    assert year is not None, [d.format() for d in diags.errors]
    seen = year_as_seen_by(year, edition, "en")
    return print_page(seen, edition, "en", figures_and_charts(seen, [], "en", draw=False)).html


def test_a_built_in_table_is_listed_as_its_spec_says(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No template names a built-in list: changing the coalitions' spec (its
    editions, columns, order, note) changes every edition's page by itself."""
    import re
    from dataclasses import replace

    from reportgen.reading.table_registry import TABLES

    year = sample_set / "fy2012"
    assert 'id="coalitions"' not in _print_html(year, "donor")
    spec = replace(
        TABLES["coalitions"], editions=("annual-report", "donor"), shown=("countries", "name"),
        order=("name",), row_note=("role", "name"), title="Our networks",
    )  # fmt: skip
    monkeypatch.setitem(TABLES, "coalitions", spec)
    for edition in ("annual-report", "donor"):
        page = _print_html(year, edition)
        section = re.search(r'<section class="data-section" id="coalitions">.*?</section>', page,
                            re.S)  # fmt: skip
        assert section is not None, edition
        html = section.group()
        assert "<h2>Our networks</h2>" in html
        assert re.findall(r"<th[^>]*>([^<]*)</th>", html) == ["Countries", "Name"]
        names = re.findall(r'<span class="cell-main">([^<]*)</span>', html)
        assert names == sorted(names) and len(names) == 2
        assert '<td class="num">15</td>' in html  # a whole number, right-aligned
        assert '<span class="cell-note">member</span>' in html
    assert 'id="coalitions"' not in _print_html(year, "handout")
