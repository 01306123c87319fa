"""``reportgen new``: a new year that validates and builds, never overwriting."""

from __future__ import annotations

import shutil
import tomllib
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from reportgen.cli import cli
from reportgen.commands import new as new_command
from reportgen.commands.build import run_build, run_check
from reportgen.commands.new import (
    _next_label,
    _roll_date,
    new_year,
    rolled_settings,
    year_end,
    year_label,
)
from reportgen.core.errors import UsageError
from reportgen.reading import fiscal_years
from reportgen.reading.fiscal_years import country_of_tag, usual_start
from reportgen.reading.table_registry import TABLES

UK_SAMPLE = Path(__file__).resolve().parents[1] / "examples/uk-food-bank"


def test_a_new_year_from_the_sample_rolls_forward_validates_and_builds(
    sample_set: Path, tmp_path: Path
) -> None:
    target = sample_set / "fy2013"
    new_year(target, sample_set / "fy2012")
    settings = tomllib.loads((target / "report.toml").read_text())
    assert settings["title"] == "Annual Report FY2013"
    assert settings["fiscal_year"] == "FY2013"
    assert settings["start"] == date(2013, 9, 1) and settings["end"] == date(2014, 8, 31)
    assert settings["published"] == date(2014, 10, 20)  # 2013-10-20, a year on
    # every translation of the title moves on too
    assert settings["title_ja"] == "2013年度 年次報告書"
    assert settings["title_ko"] == "2013년도 연차 보고서"
    for name, spec in TABLES.items():
        source = sample_set / f"fy2012/data/{name}.csv"
        if not source.is_file():
            continue
        old = source.read_text().splitlines()
        new = (target / f"data/{name}.csv").read_text().splitlines()
        # people and coalitions carry over from year to year; the rest start empty
        assert new == (old if spec.carry_over else [old[0]]), name
    assert {n for n, t in TABLES.items() if t.carry_over} == {"people", "coalitions"}
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
    result = run_check(target)
    assert result.ok, result.diagnostics
    # Each file still only the prompt, said once (review r35 F-13), not twice.
    todo = [d for d in result.diagnostics if "reportgen new" in d.message]
    assert len(todo) == len(list((target / "narrative").glob("*.md")))
    assert not any("TODO:" in d.message for d in todo)
    built = run_build(target, tmp_path / "out", ["annual-report"], languages=["en"])
    assert any(f.path.name == "annual-report.pdf" for f in built.files)
    # FY2012 is the new year's predecessor: the comparison is there.
    assert "vs FY2012" in (tmp_path / "out/fy2013/en/annual-report.html").read_text()


def test_assets_are_copied_only_when_asked(sample_set: Path) -> None:
    new_year(sample_set / "fy2013", sample_set / "fy2012", copy_assets=True)
    assert (sample_set / "fy2013/assets/coalition-network.svg").is_file()


def test_workbook_tables_keep_their_header(sample_set: Path) -> None:
    book = Workbook()
    book.active.title = "Lobbying"
    book.active.append(["date", "target_type", "target"])
    book.active.append(["2012-10-04", "Ministry", "MOFA"])
    (sample_set / "fy2012/data/lobbying.csv").unlink()
    book.save(sample_set / "fy2012/data/lobbying.xlsx")
    new_year(sample_set / "fy2013", sample_set / "fy2012")
    sheet = load_workbook(sample_set / "fy2013/data/lobbying.xlsx").worksheets[0]
    assert sheet.title == "Lobbying"
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["date", "target_type", "target"]
    ]


def test_tables_that_carry_over_are_copied(sample_set: Path) -> None:
    report = sample_set / "fy2012/report.toml"
    report.write_text(report.read_text() + '\n[tables.kit]\ntitle = "Kit"\ncarry_over = true\n')
    (sample_set / "fy2012/data/kit.csv").write_text("item,count\nVan,1\n")
    new_year(sample_set / "fy2013", sample_set / "fy2012")
    assert (sample_set / "fy2013/data/kit.csv").read_text() == "item,count\nVan,1\n"
    people = (sample_set / "fy2012/data/people.csv").read_bytes()
    assert (sample_set / "fy2013/data/people.csv").read_bytes() == people


def test_a_starter_without_from_is_complete_and_valid(tmp_path: Path) -> None:
    target = tmp_path / "reports/fy-new"
    written = new_year(target)
    assert Path("report.toml") in written and Path("data/README.txt") in written
    text = (target / "report.toml").read_text()
    assert "[organization]" in text and "# [theme]" in text
    result = run_check(target)
    assert result.ok, result.diagnostics
    run_build(target, tmp_path / "out", ["annual-report"])
    assert (tmp_path / "out/fy-new/annual-report.pdf").is_file()


def test_a_starter_in_a_set_uses_the_shared_organization(sample_set: Path) -> None:
    new_year(sample_set / "fy-next")
    assert "\n[organization]" not in (sample_set / "fy-next/report.toml").read_text()
    assert run_check(sample_set / "fy-next").ok


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


def test_rolling_a_uk_year_keeps_tables_declarations_and_empties_what_does_not_carry_over(
    tmp_path: Path,
) -> None:
    uk = tmp_path / "uk"
    shutil.copytree(UK_SAMPLE, uk)
    report = uk / "fy2024/report.toml"
    text = report.read_text("utf-8")
    assert '\ntitle = "Annual Report and Impact Review 2024–25"\n' in text
    text = text.replace("\nfiscal_year =", '\ntitle_ko = "2024–25 연차 보고서"\nfiscal_year =', 1)
    report.write_text(text, "utf-8")
    written = new_year(uk / "fy2025", uk / "fy2024")
    new = (uk / "fy2025/report.toml").read_text("utf-8")
    settings = tomllib.loads(new)
    assert settings["title"] == "Annual Report and Impact Review 2025–26"
    assert settings["title_ko"] == "2025–26 연차 보고서"
    assert settings["fiscal_year"] == "2025–26"
    assert (settings["start"], settings["end"]) == (date(2025, 4, 1), date(2026, 3, 31))
    assert settings["published"] == date(2026, 9, 18)
    assert "published = 2026-09-18  # the annual general meeting\n" in new  # its comment stays
    # the declared table's own title is not the report's: it stays as it was
    assert settings["tables"]["volunteers"]["title"] == "Our volunteers"
    assert settings["tables"]["volunteers"]["carry_over"] is False
    # [receipts] issued is the year's own date of issue: not carried over
    assert "\nissued = " in text and "\nissued = " not in new
    old = [line for line in text.splitlines() if not line.startswith("issued = ")]
    assert len(new.splitlines()) == len(old)
    top = old[: next(n for n, line in enumerate(old) if line.startswith("["))]  # not tables
    assert [a for a, b in zip(old, new.splitlines(), strict=True) if a != b] == [
        line for line in top
        if line.split(" =")[0] in ("title", "title_ko", "fiscal_year", "start", "end", "published")
    ]  # fmt: skip
    data = uk / "fy2024/data"
    volunteers = (uk / "fy2025/data/volunteers.csv").read_text("utf-8")
    assert volunteers == (data / "volunteers.csv").read_text("utf-8").splitlines(True)[0]
    assert (uk / "fy2025/data/people.csv").read_bytes() == (data / "people.csv").read_bytes()
    assert (uk / "fy2025/data/coalitions.csv").read_bytes() == (
        data / "coalitions.csv"
    ).read_bytes()
    assert Path("data/volunteers.csv") in written
    # the indicators keep their names; their figures are the one thing left to fill in
    assert (uk / "fy2025/data/indicators.csv").read_text("utf-8").splitlines()[1:] == [
        "Food parcels given,,parcels,,,,public",
        "People fed,,people,,,,public",
        "Volunteer hours,,hours,,,,public",
        "Tonnes of food donated,,tonnes,,,,public",
        "Milestone of the year,,,,,,public",  # a text key figure: words left to fill in too
    ]
    result = run_check(uk / "fy2025")
    assert [(d.location.path.name, d.location.line, d.message) for d in result.diagnostics
            if d.severity.name == "ERROR"] == [
        ("indicators.csv", line, "column 'value' is empty but required")
        for line in (2, 3, 4, 5, 6)
    ]  # fmt: skip
    # the funds go on by name, each opening balance carried from 2024–25's closing
    assert (
        (uk / "fy2025/data/funds.csv")
        .read_text("utf-8")
        .splitlines()[1]
        .startswith("General fund,unrestricted,,,,,,")
    )


def test_setting_a_key_keeps_its_comment_and_leaves_tables_alone() -> None:
    text = (
        'title = "Report #3, FY2012"  # the third\n'
        "end = 2013-08-31\n"
        "\n"
        "[tables.kit]\n"
        'title = "Kit FY2012"\n'
    )
    rolled = rolled_settings(text, {"title": "Report #3, FY2013", "end": date(2014, 8, 31)})
    assert rolled == text.replace('FY2012"  #', 'FY2013"  #').replace("2013-08-31", "2014-08-31")
    # no top-level title: the table's stays, the report gets one of its own
    only_table = '[tables.kit]\ntitle = "Kit"\n'
    added = rolled_settings(only_table, {"title": "New"})
    assert tomllib.loads(added) == {"title": "New", "tables": {"kit": {"title": "Kit"}}}
    assert added.endswith(only_table)


# A report.toml as people write them: comments above and beside values, odd
# spacing, a literal string holding a "#", a key written quoted, a title over
# several lines, inline tables and translations (``_ja``). The regular
# expression this replaced refused the quoted key and the multi-line title
# ("write it on one line").
HAND_WRITTEN = """\
# The report of FY2012, as the board approved it.
title   =   'Annual Report FY2012 # final'   # the board's wording
"title_ja" = "2012年度 年次報告書"  # 「年度」 as the members say it
title_ko = \"\"\"2012년도
연차 보고서\"\"\"
fiscal_year="FY2012"#no spaces
start = 2012-09-01
end   = 2013-08-31   # a year less a day
published = 2013-10-20  # the 16th General Meeting
theme = { color = "#1f4e79", font = "Noto Sans" }  # house colours

[organization]
name = "Citizens' Network"  # title = "FY2012" in a comment stays
logo = { path = "assets/logo.svg" }
"""


def test_rolling_forward_keeps_a_hand_written_report_toml_as_written(sample_set: Path) -> None:
    (sample_set / "fy2012/report.toml").write_text(HAND_WRITTEN, "utf-8")
    new_year(sample_set / "fy2013", sample_set / "fy2012")
    new = (sample_set / "fy2013/report.toml").read_text("utf-8")
    settings = tomllib.loads(new)
    assert settings["title"] == "Annual Report FY2013 # final"
    assert settings["title_ja"] == "2013年度 年次報告書"
    assert settings["title_ko"] == "2013년도\n연차 보고서"  # still over two lines
    assert settings["fiscal_year"] == "FY2013"
    assert (settings["start"], settings["end"]) == (date(2013, 9, 1), date(2014, 8, 31))
    assert settings["published"] == date(2014, 10, 20)
    assert settings["theme"] == {"color": "#1f4e79", "font": "Noto Sans"}
    assert settings["organization"]["logo"] == {"path": "assets/logo.svg"}
    # every line but the values that moved on is as it was, comments and all
    changed = {
        "title   =   'Annual Report FY2012 # final'   # the board's wording":
            "title   =   'Annual Report FY2013 # final'   # the board's wording",
        '"title_ja" = "2012年度 年次報告書"  # 「年度」 as the members say it':
            '"title_ja" = "2013年度 年次報告書"  # 「年度」 as the members say it',
        'fiscal_year="FY2012"#no spaces': 'fiscal_year="FY2013"#no spaces',
        "start = 2012-09-01": "start = 2013-09-01",
        "end   = 2013-08-31   # a year less a day": "end   = 2014-08-31   # a year less a day",
        "published = 2013-10-20  # the 16th General Meeting":
            "published = 2014-10-20  # the 16th General Meeting",
    }  # fmt: skip
    changed['title_ko = """2012년도'] = 'title_ko = """2013년도'
    assert new.splitlines() == [changed.get(line, line) for line in HAND_WRITTEN.splitlines()]


class _NoClock(date):
    """``date`` for a scaffold that must not look at the clock."""

    @classmethod
    def today(cls) -> date:
        raise AssertionError("reportgen new read the clock")


@pytest.mark.parametrize(
    ("start", "label", "end"),
    [
        ("2024-04-01", "2024–25", date(2025, 3, 31)),
        ("2025-01-01", "2025", date(2025, 12, 31)),
        ("2023-09-01", "2023–24", date(2024, 8, 31)),
    ],
)
def test_a_starter_begins_on_the_day_given_without_reading_the_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str, label: str, end: date
) -> None:
    monkeypatch.setattr(new_command, "date", _NoClock)
    with pytest.raises(AssertionError, match="read the clock"):
        new_year(tmp_path / "clock")  # without --start the clock says which year
    result = CliRunner().invoke(cli, ["new", str(tmp_path / "fy"), "--start", start])
    assert result.exit_code == 0, result.output
    settings = tomllib.loads((tmp_path / "fy/report.toml").read_text("utf-8"))
    assert settings["start"] == date.fromisoformat(start) and settings["end"] == end
    assert settings["fiscal_year"] == label
    assert settings["title"] == f"Annual Report {label}"
    checked = run_check(tmp_path / "fy")
    assert checked.ok, checked.diagnostics


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        ("2025-02-30", "day is out of range for month"),
        ("20250401", "write it YYYY-MM-DD"),
        ("2025-W14-1", "write it YYYY-MM-DD"),
        ("next april", "write it YYYY-MM-DD"),
    ],
)
def test_a_bad_start_is_a_usage_error(tmp_path: Path, start: str, reason: str) -> None:
    result = CliRunner().invoke(cli, ["new", str(tmp_path / "fy"), "--start", start])
    assert result.exit_code == 2
    assert f"Invalid value for '--start': '{start}' is not a day ({reason})" in result.output
    assert list(tmp_path.iterdir()) == []


def test_start_and_from_do_not_go_together(sample_set: Path) -> None:
    args = ["new", str(sample_set / "fy2013"), "--from", str(sample_set / "fy2012")]
    result = CliRunner().invoke(cli, [*args, "--start", "2013-04-01"])
    assert result.exit_code == 2
    assert "--start is for a new starter; with --from the year begins the day after" in (
        result.output
    )
    assert not (sample_set / "fy2013").exists()


def test_year_ends_and_labels() -> None:
    assert year_end(date(2024, 4, 1)) == date(2025, 3, 31)
    assert year_end(date(2025, 1, 1)) == date(2025, 12, 31)
    assert year_end(date(2024, 2, 29)) == date(2025, 2, 28)  # the next begins on 1 March
    assert year_end(date(2023, 3, 1)) == date(2024, 2, 29)
    assert year_label(date(2099, 7, 1), date(2100, 6, 30)) == "2099–00"
    assert year_label(date(2025, 1, 1), date(2025, 12, 31)) == "2025"


def test_a_starter_year_begins_as_the_country_keeps_its_books() -> None:
    """review-ja F-8: 2026年度 is April-March to a Japanese reader; the
    default start is the year in progress as the country's organisations
    keep it, the calendar year where the table says nothing."""
    today = date(2027, 2, 10)
    assert usual_start("Japan", today) == date(2026, 4, 1)  # still 2026年度 in February
    assert usual_start("日本", date(2026, 4, 1)) == date(2026, 4, 1)
    assert usual_start(" UK ", today) == usual_start("England", today) == date(2026, 4, 1)
    assert usual_start("Australia", today) == date(2026, 7, 1)
    assert usual_start("New Zealand", today) == date(2026, 4, 1)
    assert usual_start("Republic of Korea", today) == usual_start("한국", today) == date(2027, 1, 1)
    assert usual_start("Ukraine", today) == date(2027, 1, 1)  # not the UK
    assert usual_start("Brazil", today) == usual_start(None, today) == date(2027, 1, 1)
    assert country_of_tag("en-GB") == "United Kingdom" and country_of_tag("en-AU") == "Australia"
    assert country_of_tag("ja") is None and country_of_tag("en") is None


def test_the_docs_list_the_usual_fiscal_years() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs/report-format.md"
    text = docs.read_text("utf-8")
    assert fiscal_years.docs_with_table(text) == text, (
        "run python -m reportgen.reading.fiscal_years --docs"
    )


def test_a_table_the_organization_declares_carries_over_as_declared(sample_set: Path) -> None:
    shared = sample_set / "organization.toml"
    shared.write_text(
        shared.read_text("utf-8") + '\n[tables.kit]\ntitle = "Kit"\ncarry_over = true\n', "utf-8"
    )
    (sample_set / "fy2012/data/kit.csv").write_text("item,count\nVan,1\n")
    (sample_set / "fy2012/data/loans.csv").write_text("item,count\nTent,2\n")
    result = run_check(sample_set / "fy2012")  # the build reads the declaration there too
    unknown = [d.location.path.name for d in result.diagnostics if "unknown table" in d.message]
    assert result.ok and unknown == ["loans.csv"], result.diagnostics
    new_year(sample_set / "fy2013", sample_set / "fy2012")
    assert (sample_set / "fy2013/data/kit.csv").read_text() == "item,count\nVan,1\n"
    assert (sample_set / "fy2013/data/loans.csv").read_text() == "item,count\n"
