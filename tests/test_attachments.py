"""The tables attached to the annual report's PDF (render.table_csv): only the
columns a table declares (and their translations), and no cell a spreadsheet
would evaluate. The built-in tables are covered by test_leaks; here the rule
itself, and a report's own table in a real build read back with pikepdf."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pikepdf

from reportgen.commands.build import run_build, run_check
from reportgen.reading.model import Activity, FinanceEntry, Record
from reportgen.typesetting.edition_render import spreadsheet_safe, table_csv

SECRET = "ZQXATTACHSECRET"


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_cells_a_spreadsheet_would_evaluate_are_neutralised() -> None:
    for text in ("=1+1", "+81 3 1234", "-5", "@SUM(A1)", "\t=1", "\r=1", "  =1", "\uff1d1+1"):
        assert spreadsheet_safe(text) == "'" + text
    for text in ("", "Tokyo", "5", "a=b", "'quoted", "Rescue - phase 2"):
        assert spreadsheet_safe(text) == text


def test_numbers_stay_numbers_and_text_is_neutralised() -> None:
    """An amount of -5 (the model's Decimal) is the number it is; the same
    characters in a text column are text, neutralised."""
    row = FinanceEntry("income", "=HYPERLINK(\"https://example.org\")", Decimal("-5"),
                       note="-5", extra=(("note_ja", "@x"), ("home_phone", "+81 90")))  # fmt: skip
    rows = _rows(table_csv("finances", [row]))
    assert rows[0] == ["kind", "category", "amount", "function", "fund", "note", "visibility",
                       "note_ja"]  # fmt: skip
    assert rows[1] == ["income", "'=HYPERLINK(\"https://example.org\")", "-5", "", "", "'-5",
                       "public", "'@x"]  # fmt: skip


def test_only_declared_columns_are_attached() -> None:
    activity = Activity(
        date(2012, 10, 1), "Walk", "Event",
        extra=(("home_phone", SECRET), ("staff_comment", SECRET), ("title_ko", "걷기")),
    )  # fmt: skip
    rows = _rows(table_csv("activities", [activity]))
    assert "home_phone" not in rows[0] and "staff_comment" not in rows[0]
    assert rows[0][-1] == "title_ko" and rows[1][-1] == "걷기"
    assert SECRET not in str(rows)
    record = Record((("team", "Kitchen"), ("hours", Decimal("2.5"))),
                    extra=(("team_ja", "台所"), ("auditor_note", SECRET)))  # fmt: skip
    rows = _rows(table_csv("volunteers", [record]))
    assert rows == [
        ["team", "hours", "visibility", "team_ja"],
        ["Kitchen", "2.5", "public", "台所"],
    ]


DECLARATION = """
[tables.volunteers]
title = "Volunteer programme"
columns = ["date", "team", "hours", "description"]
date_column = "date"
number_columns = ["hours"]
editions = ["annual-report", "handout"]
"""


def test_a_declared_tables_attachment_is_its_declared_columns(
    small_set: Path, tmp_path: Path
) -> None:
    year = small_set / "fy2012"  # the small test root: English alone
    report = year / "report.toml"
    report.write_text(report.read_text("utf-8") + DECLARATION, "utf-8")
    (year / "data/volunteers.csv").write_text(
        "date,team,team_ja,hours,description,home_phone,staff_comment,visibility\n"
        f'2012-10-01,Kitchen,台所,2.5,=WEBSERVICE("https://example.org"),{SECRET},'
        f"{SECRET},public\n",
        "utf-8",
    )
    warnings = [
        d.message for d in run_check(year).diagnostics if "volunteers.csv" in str(d.location)
    ]
    assert "unknown column 'home_phone' is kept as an extra field, neither shown nor attached " \
        "to the PDF (only a theme's templates can use it)" in warnings  # fmt: skip
    run_build(year, tmp_path / "out", ["annual-report"])
    pdf = tmp_path / "out/fy2012/annual-report.pdf"
    with pikepdf.open(pdf) as doc:
        attached = doc.attachments["volunteers.csv"].get_file().read_bytes()
    assert _rows(attached) == [
        ["date", "team", "hours", "description", "visibility", "team_ja"],
        ["2012-10-01", "Kitchen", "2.5", '\'=WEBSERVICE("https://example.org")', "public", "台所"],
    ]
    assert SECRET.encode() not in pdf.read_bytes()
