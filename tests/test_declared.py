"""Tables declared once: a new kind of table is one ``TableSpec`` (validated,
redacted, cached, scaffolded with nothing else touched), and a report's own
table is one ``[tables.<name>]`` in report.toml (validated, translated,
redacted, bounded in print with the full list attached, shown as a section)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pikepdf
import pytest

from reportgen.commands.build import load_year, run_build, run_check
from reportgen.commands.build_documents import _data
from reportgen.commands.new import new_year
from reportgen.composing.edition_view import year_as_seen_by
from reportgen.core.diagnostics import Diagnostics
from reportgen.reading.model import Record
from reportgen.reading.table_registry import TABLES, Column, TableSpec, register, unregister
from tests.conftest import html_alone
from tests.pdfparse import ParsedPdf

SECRET = "ZQXSHIFTSECRET"
SHIFTS = TableSpec(
    "shifts",
    (
        Column("date", "date", True),
        Column("team", required=True),
        Column("hours", "int"),
        Column("visibility", "enum", choices=("public", "internal")),
    ),
    in_year="date",
    example=("2025-04-02", "Kitchen", "6", "public"),
)


@pytest.fixture
def shifts() -> Iterator[TableSpec]:
    """The one place the new kind of table is declared."""
    register(SHIFTS)
    yield SHIFTS
    unregister(SHIFTS.name)


def _write(year: Path, name: str, text: str) -> Path:
    path = year / "data" / name
    path.write_text(text, "utf-8")
    return path


def _attachments(pdf: Path) -> dict[str, str]:
    with pikepdf.open(pdf) as doc:
        return {n: s.get_file().read_bytes().decode() for n, s in doc.attachments.items()}


def test_a_registered_table_is_validated_with_located_errors(
    shifts: TableSpec, sample_set: Path
) -> None:
    year = sample_set / "fy2012"
    _write(year, "shifts.csv", "date,team,hours\n2012-10-01,Kitchen,3\n2099-01-01,,lots\n")
    result = run_check(year)
    found = sorted(d.format(sample_set) for d in result.diagnostics if "shifts" in str(d.location))
    assert found == [
        "fy2012/data/shifts.csv:3: column 'date': 2099-01-01 is outside the fiscal year FY2012 "
        "(2012-09-01 to 2013-08-31)",
        "fy2012/data/shifts.csv:3: column 'hours': 'lots' is not a whole number",
        "fy2012/data/shifts.csv:3: column 'team' is empty but required",
    ]
    assert not result.ok


def test_a_registered_table_is_redacted_cached_and_attached(
    shifts: TableSpec, sample_set: Path, tmp_path: Path
) -> None:
    year_dir = sample_set / "fy2012"
    _write(year_dir, "shifts.csv", "date,team,hours,visibility\n2012-10-01,Kitchen,3,public\n"
           f"2012-10-02,{SECRET},5,internal\n")  # fmt: skip
    diags = Diagnostics()
    year = load_year(year_dir, diags)
    assert year is not None, diags
    assert [r.get("team") for r in year.rows("shifts")] == ["Kitchen", SECRET]
    assert all(isinstance(r, Record) for r in year.rows("shifts"))
    # Redacted from the public editions, kept for members.
    assert [r.get("team") for r in year_as_seen_by(year, "annual-report", "en").rows("shifts")] == [
        "Kitchen"
    ]
    assert len(year_as_seen_by(year, "handout", "en").rows("shifts")) == 2
    # In the cache's inputs: another public row is another key.
    changed = year.with_rows({"shifts": year.rows("shifts")[:1]})
    before = year_as_seen_by(year, "handout", "en")
    after = year_as_seen_by(changed, "handout", "en")
    assert _data(before) != _data(after)
    # A real build: the public PDF carries the public rows, never the internal one.
    run_build(year_dir, tmp_path / "out", ["annual-report"], languages=["en"])
    pdf = tmp_path / "out/fy2012/en/annual-report.pdf"
    attached = _attachments(pdf)
    assert attached["shifts.csv"].splitlines() == [
        "date,team,hours,visibility",
        "2012-10-01,Kitchen,3,public",
    ]
    text = ParsedPdf(pdf).all_text()
    assert SECRET not in text
    assert SECRET.encode() not in pdf.read_bytes()
    # Listed from its spec alone, as every table is: no template names it.
    assert "Shifts" in text and "Kitchen" in text


def test_a_registered_table_is_scaffolded(shifts: TableSpec, tmp_path: Path) -> None:
    new_year(tmp_path / "fy2025", start=date(2025, 4, 1))
    data = tmp_path / "fy2025/data"
    assert (data / "shifts.csv").read_text() == "date,team,hours,visibility\n"
    readme = (data / "README.txt").read_text()
    assert "shifts: date*, team*, hours, visibility\n  e.g. 2025-04-02,Kitchen,6,public" in readme


def test_the_scaffold_has_every_table_with_a_row_in_the_right_order(tmp_path: Path) -> None:
    new_year(tmp_path / "fy2025", start=date(2025, 1, 1))
    readme = (tmp_path / "fy2025/data/README.txt").read_text()
    for name, spec in TABLES.items():
        assert (tmp_path / f"fy2025/data/{name}.csv").read_text().startswith(spec.names[0])
        assert len(spec.example) == len(spec.columns), name
        assert f"  e.g. {spec.example_row()}" in readme
    # The donors example: name first, then the id, as the header says.
    assert "donors: name*, id, " in readme
    assert "  e.g. Jane Doe,D-001," in readme


def test_the_docs_list_every_table_as_declared() -> None:
    from reportgen.reading.table_registry import docs_tables

    docs = (Path(__file__).resolve().parents[1] / "docs/report-format.md").read_text("utf-8")
    block = re.search(r"<!-- tables: generated.*?-->\n(.*?)<!-- /tables -->", docs, re.S)
    assert block, "docs/report-format.md lost its generated table list"
    assert block.group(1) == docs_tables(), (
        "regenerate: python -m reportgen.reading.table_registry docs"
    )


# --- [tables.<name>]: a report's own table -------------------------------------

DECLARATION = """
[tables.volunteers]
title = "Volunteer programme"
title_ja = "ボランティア活動"
columns = ["date", "team", "hours", "description"]
date_column = "date"
number_columns = ["hours"]
editions = ["annual-report", "handout"]
"""


def _volunteers(year: Path, rows: int = 3) -> None:
    lines = ["date,team,team_ja,hours,description,visibility"]
    lines += [
        f"2012-10-{d:02d},Kitchen {d},台所 {d},2.5,Lunches,public" for d in range(1, rows + 1)
    ]
    lines.append(f"2012-11-01,{SECRET},{SECRET},9,{SECRET},internal")
    _write(year, "volunteers.csv", "\n".join(lines) + "\n")


def test_an_undeclared_table_is_a_warning_showing_the_declaration(sample_set: Path) -> None:
    year = sample_set / "fy2012"
    _volunteers(year)
    result = run_check(year)
    assert result.ok
    (warning,) = [d for d in result.diagnostics if "volunteers" in d.message]
    assert warning.location.path.name == "volunteers.csv"
    assert "[tables.volunteers]" in warning.message


def test_a_declared_table_is_a_section_redacted_bounded_and_attached(
    sample_set: Path, tmp_path: Path
) -> None:
    year = sample_set / "fy2012"
    report = year / "report.toml"
    report.write_text(report.read_text() + DECLARATION.replace(
        'editions = ["annual-report", "handout"]',
        'editions = ["annual-report", "handout"]\n',
    ) + "", "utf-8")  # fmt: skip
    text = report.read_text().replace("pdf_table_rows", "# pdf_table_rows")
    report.write_text("pdf_table_rows = 2\n" + text, "utf-8")
    _volunteers(year, rows=4)
    run_build(year, tmp_path / "out", ["annual-report"], languages=["en"])
    html = (tmp_path / "out/fy2012/en/annual-report.html").read_text()
    section = re.search(r'<section class="data-section declared" id="t-volunteers">.*?</section>',
                        html, re.S)  # fmt: skip
    assert section, "no section for the declared table"
    assert "Volunteer programme" in section.group(0)
    assert section.group(0).count("<tr>") == 1 + 4 + 1  # header, rows, total
    assert "10" in section.group(0)  # 4 x 2.5 hours, totalled
    assert SECRET not in html
    ja = html_alone(year, "annual-report", "ja")  # the Japanese HTML, without its PDF
    assert "ボランティア活動" in ja and "台所 1" in ja
    pdf = tmp_path / "out/fy2012/en/annual-report.pdf"
    printed = ParsedPdf(pdf).all_text()
    assert "Kitchen 4" in printed and "Kitchen 1" not in printed  # bounded: the latest rows
    assert "volunteers.csv" in printed  # says where the full list is
    attached = _attachments(pdf)["volunteers.csv"]
    assert "Kitchen 1" in attached and SECRET not in attached
    assert SECRET.encode() not in pdf.read_bytes()


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        ('[tables.volunteers]\ncolumns = ["date"]\n', "[tables.volunteers] 'title': required"),
        ('[tables.people]\ntitle = "People"\n', "'people' is a built-in table"),
        (
            '[tables.volunteers]\ntitle = "V"\neditions = ["handuot"]\n',
            "'handuot' is not one of annual-report, handout, donor (did you mean 'handout'?)",
        ),
        ('[tables.volunteers]\ntitle = "V"\ncarry_over = "yes"\n', "'yes' is not true or false"),
    ],
)
def test_bad_declarations_are_located_errors(
    sample_set: Path, declaration: str, message: str
) -> None:
    year = sample_set / "fy2012"
    _volunteers(year)
    report = year / "report.toml"
    report.write_text(report.read_text() + "\n" + declaration, "utf-8")
    line = report.read_text().splitlines().index(declaration.splitlines()[0]) + 1
    result = run_check(year)
    assert not result.ok
    found = [d for d in result.diagnostics if message in d.message]
    assert found, [d.message for d in result.diagnostics]
    assert found[0].location.path == report
    assert found[0].location.line is not None and found[0].location.line >= line


def test_a_declared_tables_bad_cells_are_located(sample_set: Path) -> None:
    year = sample_set / "fy2012"
    report = year / "report.toml"
    report.write_text(report.read_text() + DECLARATION, "utf-8")
    _write(year, "volunteers.csv", "date,team,hours\n2012-10-01,A,-1\n2011-01-01,B,x\n")
    result = run_check(year)
    found = sorted(
        d.format(sample_set) for d in result.diagnostics if "volunteers" in str(d.location)
    )
    assert found == [
        "fy2012/data/volunteers.csv:2: column 'hours': -1 is negative; it must be 0 or more",
        "fy2012/data/volunteers.csv:3: column 'date': 2011-01-01 is outside the fiscal year "
        "FY2012 (2012-09-01 to 2013-08-31)",
        "fy2012/data/volunteers.csv:3: column 'hours': 'x' is not a number",
    ]
