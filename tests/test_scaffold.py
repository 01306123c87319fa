"""``reportgen new``: a new year that validates and builds, never overwriting."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from reportgen.cli import cli
from reportgen.errors import UsageError
from reportgen.pipeline import build, check
from reportgen.scaffold import _next_label, _roll_date, new_year


def test_a_new_year_from_the_sample_rolls_forward_validates_and_builds(
    sample_set: Path, tmp_path: Path
) -> None:
    target = sample_set / "fy2013"
    new_year(target, sample_set / "fy2012")
    settings = tomllib.loads((target / "report.toml").read_text())
    assert settings["title"] == "Annual Report FY2013"
    assert settings["fiscal_year"] == "FY2013"
    assert settings["start"] == date(2013, 9, 1) and settings["end"] == date(2014, 8, 31)
    assert "published" not in settings
    for name in ("activities", "coalitions", "lobbying", "finances", "people", "donors"):
        old = (sample_set / f"fy2012/data/{name}.csv").read_text().splitlines()
        assert (target / f"data/{name}.csv").read_text().splitlines() == [old[0]]
    message = (target / "narrative/01-message.en.md").read_text()
    assert "title: Message from the Representative" in message
    assert "TODO: write a letter from the representative" in message
    assert (
        "TODO: FY2013のこの章の本文を書いてください。"
        in (target / "narrative/01-message.ja.md").read_text()
    )
    internal = (target / "narrative/04-internal-notes.en.md").read_text()
    assert "visibility: internal" in internal and "editions: [handout]" in internal
    assert not (target / "assets").exists()
    result = check(target)
    assert result.ok, result.diagnostics
    todo = [d for d in result.diagnostics if "TODO:" in d.message]
    assert len(todo) == len(list((target / "narrative").glob("*.md")))
    built = build(target, tmp_path / "out", ["annual-report"])
    assert any(f.path.name == "annual-report.pdf" for f in built.files)
    # FY2012 is the new year's predecessor: the comparison is there.
    assert "vs FY2012" in (tmp_path / "out/fy2013/en/annual-report.html").read_text()


def test_assets_are_copied_only_when_asked(sample_set: Path) -> None:
    new_year(sample_set / "fy2013", sample_set / "fy2012", copy_assets=True)
    assert (sample_set / "fy2013/assets/coalition-network.svg").is_file()


def test_workbook_tables_keep_their_header(sample_set: Path) -> None:
    book = Workbook()
    book.active.title = "People"
    book.active.append(["name", "role", "group"])
    book.active.append(["A. P.", "Director", "board"])
    (sample_set / "fy2012/data/people.csv").unlink()
    book.save(sample_set / "fy2012/data/people.xlsx")
    new_year(sample_set / "fy2013", sample_set / "fy2012")
    sheet = load_workbook(sample_set / "fy2013/data/people.xlsx").worksheets[0]
    assert sheet.title == "People"
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [["name", "role", "group"]]


def test_a_starter_without_from_is_complete_and_valid(tmp_path: Path) -> None:
    target = tmp_path / "reports/fy-new"
    written = new_year(target)
    assert Path("report.toml") in written and Path("data/README.txt") in written
    text = (target / "report.toml").read_text()
    assert "[organization]" in text and "# [theme]" in text
    result = check(target)
    assert result.ok, result.diagnostics
    build(target, tmp_path / "out", ["annual-report"])
    assert (tmp_path / "out/fy-new/annual-report.pdf").is_file()


def test_a_starter_in_a_set_uses_the_shared_organization(sample_set: Path) -> None:
    new_year(sample_set / "fy-next")
    assert "\n[organization]" not in (sample_set / "fy-next/report.toml").read_text()
    assert check(sample_set / "fy-next").ok


def test_never_overwrites(sample_set: Path) -> None:
    before = sorted(p.name for p in (sample_set / "fy2012").rglob("*"))
    with pytest.raises(UsageError, match="already exists"):
        new_year(sample_set / "fy2012", sample_set / "fy2011")
    assert sorted(p.name for p in (sample_set / "fy2012").rglob("*")) == before
    result = CliRunner().invoke(cli, ["new", str(sample_set / "fy2012")])
    assert result.exit_code == 2
    assert "never overwrites" in result.output
    assert sorted(p.name for p in sample_set.iterdir() if p.name.startswith(".")) == []


def test_from_must_be_a_year(sample_set: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a report year"):
        new_year(tmp_path / "x", tmp_path)
    assert not (tmp_path / "x").exists()


def test_rolling_dates_and_labels() -> None:
    assert _roll_date(date(2024, 2, 29)) == date(2025, 2, 28)
    assert _next_label("FY2012", date(2012, 9, 1), date(2013, 9, 1)) == "FY2013"
    assert _next_label("2012/13", date(2012, 4, 1), date(2013, 4, 1)) == "2013/14"
    assert _next_label("Year 2019-2020", date(2019, 4, 1), date(2020, 4, 1)) == "Year 2020-2021"
