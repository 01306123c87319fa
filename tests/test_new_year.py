"""``reportgen new --from`` on a year that names itself in its files: the new
year names the next one everywhere, keeps what is counted, and never prints
reportgen's own prompts."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook

from reportgen.commands.build import run_check
from reportgen.commands.new import YearNames, new_year
from reportgen.core.diagnostics import Severity
from tests import wordgen
from tests.pdfparse import ParsedPdf

REPORT = """\
title = "Annual Report 2025-26"
fiscal_year = "FY2025"
start = 2025-04-01
end = 2026-03-31
language = "ko"

[organization]
name = "Seoul Refugee Support"
"""


def korean_year(folder: Path) -> Path:
    """A year as a Korean NGO keeps it: a workbook and a Word document named
    for the year, a Markdown section headed with it, its own indicators."""
    (folder / "narrative").mkdir(parents=True)
    (folder / "data").mkdir()
    (folder / "report.toml").write_text(REPORT, "utf-8")
    book = Workbook()
    sheet = book.active
    sheet.title = "Activities"
    sheet.append(["Activities 2025-26"])
    sheet.append(["date", "title", "category"])
    sheet.append([date(2025, 5, 1), "Spring school", "Education"])
    book.save(folder / "data/Activities 2025-26.xlsx")
    (folder / "data/indicators.csv").write_text(
        "name,value,unit,name_en,target,note\n"
        "정착 지원 가정,120,가정,Families settled,150,서울과 인천\n"
        "상담 건수,480,건,Counselling sessions,,\n",
        "utf-8",
    )
    doc = wordgen.document("대표 인사말 2025-26", "올해도 함께해 주셔서 감사합니다. " * 5)
    wordgen.save(doc, folder / "narrative/01-President's Report 2025-26.docx")
    (folder / "narrative/02-overview.md").write_text(
        "# 2025년 사업 개요\n\n" + "올해 우리는 많은 가정을 도왔습니다. " * 8 + "\n", "utf-8"
    )
    return folder


def test_year_names_roll_in_every_form_and_nothing_else() -> None:
    roll = YearNames(date(2025, 4, 1), date(2026, 3, 31), date(2026, 4, 1))
    assert roll("Activities 2025-26.xlsx") == "Activities 2026-27.xlsx"
    assert roll("Report 2025–26, 2025/26") == "Report 2026–27, 2026/27"
    assert roll("FY2025 · 2025년 사업 개요 · 2025年度") == "FY2026 · 2026년 사업 개요 · 2026年度"
    assert roll("March 2026") == "March 2027"
    # numbers that are not the year's stay as written
    assert roll("02-overview, Top 10, since 1999, 2024") == "02-overview, Top 10, since 1999, 2024"


def test_new_from_names_the_new_year_in_files_titles_and_headings(tmp_path: Path) -> None:
    source = korean_year(tmp_path / "reports/2025")
    target = tmp_path / "reports/2026"
    written = {p.as_posix() for p in new_year(target, source)}
    assert "data/Activities 2026-27.xlsx" in written
    assert "narrative/01-President's Report 2026-27.docx" in written
    assert not [w for w in written if "2025" in w]
    sheet = load_workbook(target / "data/Activities 2026-27.xlsx").active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["Activities 2026-27", None, None],
        ["date", "title", "category"],
    ]
    overview = (target / "narrative/02-overview.md").read_text("utf-8")
    assert overview.startswith("# 2026년 사업 개요\n")
    from docx import Document

    heading = Document(str(target / "narrative/01-President's Report 2026-27.docx")).paragraphs[0]
    assert heading.text == "대표 인사말 2026-27"


def test_new_from_keeps_the_indicators_names_and_empties_their_figures(tmp_path: Path) -> None:
    source = korean_year(tmp_path / "reports/2025")
    target = tmp_path / "reports/2026"
    new_year(target, source)
    assert (target / "data/indicators.csv").read_text("utf-8") == (
        "name,value,unit,name_en,target,note\n"
        "정착 지원 가정,,가정,Families settled,,\n"
        "상담 건수,,건,Counselling sessions,,\n"
    )
    # what is left to do is a located error for each figure, nothing retyped
    errors = [d for d in run_check(target).diagnostics if d.severity is Severity.ERROR]
    assert [(d.location.line, d.message) for d in errors] == [
        (2, "column 'value' is empty but required"),
        (3, "column 'value' is empty but required"),
    ]


def test_a_workbook_keeps_indicator_names_too(tmp_path: Path) -> None:
    source = korean_year(tmp_path / "reports/2025")
    (source / "data/indicators.csv").unlink()
    book = Workbook()
    book.active.title = "Indicators"
    book.active.append(["Key figures 2025-26"])
    book.active.append(["name", "value", "unit", "previous"])
    book.active.append(["Meals served", 12500, "meals", 11800])
    book.save(source / "data/indicators.xlsx")
    new_year(tmp_path / "reports/2026", source)
    sheet = load_workbook(tmp_path / "reports/2026/data/indicators.xlsx").active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["Key figures 2026-27", None, None, None],
        ["name", "value", "unit", "previous"],
        ["Meals served", None, "meals", None],
    ]


def test_a_section_that_is_still_the_prompt_is_left_out_with_a_warning(
    tmp_path: Path,
) -> None:
    source = korean_year(tmp_path / "reports/2025")
    (source / "data/indicators.csv").unlink()
    target = tmp_path / "reports/2026"
    new_year(target, source)
    result = run_check(target)
    assert result.ok
    left_out = sorted(
        (d.location.path.name, str(d.location)) for d in result.diagnostics
        if "left out of every edition" in d.message
    )  # fmt: skip
    assert [name for name, _ in left_out] == [
        "01-President's Report 2026-27.docx",
        "02-overview.md",
    ]
    out = tmp_path / "out"
    built = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(target), "--out", str(out),
         "--edition", "annual-report", "-q"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    assert built.stderr.count("left out of every edition") == 2
    text = ParsedPdf(out / "2026/annual-report.pdf").all_text()
    assert "TODO" not in text and "사업 개요" not in text
    html = (out / "2026/annual-report.html").read_text("utf-8")
    assert "TODO" not in html


def test_a_prompt_beside_real_text_is_never_printed(tmp_path: Path) -> None:
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.reading.narrative_html import render_narrative
    from reportgen.reading.readers.raw_narrative import RawNarrative

    diags = Diagnostics()
    raw = RawNarrative(
        tmp_path / "narrative/02-overview.md",
        body="# Overview\n\nTODO: write the year in overview.\n\nWe opened a second office.\n",
    )
    section = render_narrative(raw, tmp_path, diags)
    assert section is not None
    assert "TODO" not in section.html and "second office" in section.html
    assert [d.format(tmp_path) for d in diags.sorted()] == [
        "narrative/02-overview.md:3: warning: still holds the 'TODO:' prompt from reportgen new, "
        "which is never printed: replace it with the section's text"
    ]
