"""The pipeline on variations of the sample: a whole set, workbooks, a year
without predecessor, completeness warnings (the HTML alone where a claim is
about it); Letter paper on the small test root."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook
from pypdf import PdfReader

from reportgen.commands.build import run_build, run_check
from tests.conftest import BuiltRoot, BuiltSample, html_alone


def _csv_to_xlsx(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Activities"
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    target = path.with_suffix(".xlsx")
    workbook.save(target)
    path.unlink()
    return target


def test_a_report_set_builds_every_year(built_set: BuiltSample) -> None:
    out = built_set.out
    names = sorted(p.relative_to(out).as_posix() for p in out.glob("*/*/annual-report.*"))
    assert names == [
        f"{year}/{lang}/annual-report.{ext}"
        for year in ("fy2011", "fy2012")
        for lang in ("en", "ja", "ko")
        for ext in ("html", "pdf")
    ]
    first_year = (out / "fy2011/en/annual-report.html").read_text()
    assert "Annual Report FY2011" in first_year
    assert "vs FY2010" not in first_year and "chart-trend" not in first_year
    latest = (out / "fy2012/en/annual-report.html").read_text()
    assert "vs FY2011" in latest and 'id="chart-trend"' in latest


def test_workbooks_give_the_same_report_as_csv(sample_set: Path) -> None:
    csv_result = run_check(sample_set / "fy2012")
    _csv_to_xlsx(sample_set / "fy2012/data/activities.csv")
    assert run_check(sample_set / "fy2012").diagnostics == csv_result.diagnostics
    html = html_alone(sample_set / "fy2012", "annual-report", "en")
    assert "32 activities in 4 categories" in html


def test_letter_paper_from_the_theme(
    small_set: Path, tmp_path: Path, built_small: BuiltRoot
) -> None:
    def size(pdf: Path) -> tuple[int, int]:
        box = PdfReader(pdf).pages[0].mediabox
        return round(float(box.width)), round(float(box.height))

    assert size(built_small.file("annual-report.pdf")) == (595, 842)  # A4 unless told
    org = small_set / "organization.toml"
    org.write_text(org.read_text() + '\n[theme]\npage_size = "Letter"\n')
    run_build(small_set / "fy2012", tmp_path / "out", ["annual-report"])
    assert size(tmp_path / "out/fy2012/annual-report.pdf") == (612, 792)


def test_a_year_alone_has_no_comparison(sample_set: Path, tmp_path: Path) -> None:
    alone = tmp_path / "alone" / "fy2012"
    shutil.copytree(sample_set / "fy2012", alone)
    shutil.copy(sample_set / "organization.toml", alone.parent)
    shutil.copytree(sample_set / "assets", alone.parent / "assets")
    html = html_alone(alone, "annual-report", "en")
    assert "vs FY2011" not in html and 'id="chart-trend"' not in html


def test_completeness_warnings(sample_set: Path) -> None:
    year = sample_set / "fy2012"
    (year / "data/people.csv").unlink()
    for md in (year / "narrative").glob("*overview*"):
        md.unlink()
    finances = year / "data/finances.csv"
    rows = [r for r in finances.read_text().splitlines() if not r.startswith("income,")]
    finances.write_text("\n".join(rows) + "\n")
    result = run_check(year)
    assert result.ok
    messages = {(d.location.path.name, d.message) for d in result.diagnostics}
    assert ("people.csv", "no board members listed (people table)") in messages
    assert ("finances.csv", "no income in the finances table") in messages
    assert (
        "narrative",
        "no mission statement or overview in the narrative (add e.g. narrative/02-overview.md)",
    ) in messages


def test_an_earlier_year_with_errors_is_left_out_with_a_warning(sample_set: Path) -> None:
    bad = sample_set / "fy2011/data/activities.csv"
    bad.write_text(bad.read_text() + "not-a-date,Broken,Event,,,,\n")
    result = run_check(sample_set / "fy2012")
    assert result.ok
    assert any(
        d.location.path.parent.name == "fy2011" and "left out of the comparison" in d.message
        for d in result.diagnostics
    )


def test_neighbouring_years_link_to_each_other(built_set: BuiltSample) -> None:
    out = built_set.out
    older = (out / "fy2011/en/annual-report.html").read_text()
    newer = (out / "fy2012/en/annual-report.html").read_text()
    assert '<a rel="next" href="../../fy2012/en/annual-report.html">Next year: FY2012</a>' in older
    assert '<a rel="prev"' not in older
    assert (
        '<a rel="prev" href="../../fy2011/en/annual-report.html">Previous year: FY2011</a>' in newer
    )
    assert (out / "fy2011/en" / "../../fy2012/en/annual-report.html").is_file()
    japanese = (out / "fy2012/ja/annual-report.html").read_text()
    assert 'href="../../fy2011/ja/annual-report.html">前年度：2011年度</a>' in japanese


@pytest.mark.slow
def test_parallel_and_serial_builds_give_the_same_files(
    sample_set: Path, tmp_path: Path, built_set: BuiltSample
) -> None:
    # The set in one process, Korean only (test_accessibility builds a whole
    # year in one process), against the shared set built in two.
    one = run_build(
        sample_set, tmp_path / "one", ["annual-report", "donor"], workers=1, languages=["ko"]
    )
    two = built_set.out
    names = sorted(f.path.relative_to(tmp_path / "one").as_posix() for f in one.files)
    editions = ("annual-report.html", "annual-report.pdf", "donor.pdf")
    assert names == [
        *(f"fy2011/ko/{name}" for name in editions),
        "fy2012/donors/d-009.pdf",  # the Korean donor's letter (fy2011 has no donors table)
        *(f"fy2012/ko/{name}" for name in editions),
    ]
    for name in names:
        a = (tmp_path / "one" / name).read_bytes()
        b = (two / name).read_bytes()
        assert a == b, name
