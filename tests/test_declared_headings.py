"""Column headings of a report's own tables (``[tables.<name>]``): the
capitalised column name, or a ``column_<name>`` word of ``[labels.<tag>]``."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from reportgen.commands.build import run_build, run_check
from reportgen.core.languages import Language, column_heading
from tests.pdfparse import ParsedPdf

UK_SAMPLE = Path(__file__).resolve().parents[1] / "examples/uk-food-bank"


def _uk(tmp_path: Path, labels: str) -> Path:
    shutil.copytree(UK_SAMPLE, tmp_path / "uk")
    report = tmp_path / "uk/fy2024/report.toml"
    text = report.read_text("utf-8")
    assert "\n[labels.en-GB]\n" in text
    report.write_text(text.replace("\n[labels.en-GB]\n", "\n[labels.en-GB]\n" + labels), "utf-8")
    return tmp_path / "uk/fy2024"


def test_a_column_heading_comes_from_labels_else_from_its_name() -> None:
    assert column_heading("en", "hours_given") == "Hours given"
    own = Language("en-GB", (("column_hours_given", "Hours volunteered"),))
    assert column_heading(own, "hours_given") == "Hours volunteered"
    assert column_heading(own, "team") == "Team"


def test_column_words_name_the_declared_tables_columns(tmp_path: Path) -> None:
    year = _uk(tmp_path, 'column_hours = "Hours given"\ncolumn_volunteers = "People"\n')
    result = run_check(year)
    assert result.ok and not result.diagnostics, result.diagnostics
    out = tmp_path / "out"
    run_build(year, out, ["annual-report"])
    html = (out / "fy2024/annual-report.html").read_text("utf-8")
    section = html[html.index('id="t-volunteers"') :]
    heads = re.findall(r"<th scope=\"col\"[^>]*>([^<]*)</th>", section[: section.index("</thead>")])
    assert heads == ["Team", "People", "Hours given", "Note"]
    pdf = ParsedPdf(out / "fy2024/annual-report.pdf").all_text()
    assert "TEAM PEOPLE HOURS GIVEN NOTE" in pdf.upper()  # print's headings are capitals


def test_a_column_word_must_be_plain_text(tmp_path: Path) -> None:
    year = _uk(tmp_path, 'column_hours = { one = "hour", other = "hours" }\n'
                         'column_team = "Team {name}"\ncolumn_ = "?"\n')  # fmt: skip
    lines = (year / "report.toml").read_text("utf-8").splitlines()
    at = {line.split(" =")[0]: n for n, line in enumerate(lines, 1) if line.startswith("column_")}
    found = sorted(d.format(tmp_path) for d in run_check(year).diagnostics if "labels" in d.message)
    assert found == [
        f"uk/fy2024/report.toml:{at['column_hours']}: [labels.en-GB] 'column_hours' must be a "
        "text (a column heading)",
        f"uk/fy2024/report.toml:{at['column_team']}: [labels.en-GB] 'column_team': a column "
        "heading has no placeholders",
        f"uk/fy2024/report.toml:{at['column_']}: warning: [labels.en-GB] unknown word 'column_'",
    ]
