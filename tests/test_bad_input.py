"""Every class of bad input the contract names, made on a copy of the sample,
with the exact line ``reportgen check`` prints for it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from tests.conftest import SAMPLE

Mutation = Callable[[Path], None]


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    """Change one cell of a CSV whose records are one line each."""
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), "utf-8")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def data(year: Path, name: str) -> Path:
    return year / "data" / name


def line_of(path: Path, text: str) -> int:
    """The line of the sample's ``path`` that holds ``text`` (found, not
    hard-coded, so that editing the sample does not move the expectation)."""
    lines = path.read_text("utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if text in line]
    assert len(found) == 1, f"{text!r} is on lines {found} of {path}"
    return found[0]


ORGANIZATION = SAMPLE / "organization.toml"


CASES: list[tuple[str, Mutation, str]] = [
    (
        "missing required file",
        lambda y: data(y, "activities.csv").unlink(),
        "reports/fy2012/data/activities.csv: missing required file: data/activities.csv "
        "(or data/activities.xlsx)",
    ),
    (
        "missing required column, with did you mean",
        lambda y: replace(data(y, "activities.csv"), "date,title,", "date,titel,"),
        "reports/fy2012/data/activities.csv:1: missing required column 'title' "
        "(found 'titel': did you mean 'title'?)",
    ),
    (
        "empty required cell",
        lambda y: set_cell(data(y, "activities.csv"), 3, "title", ""),
        "reports/fy2012/data/activities.csv:3: column 'title' is empty but required",
    ),
    (
        "not a date",
        lambda y: set_cell(data(y, "lobbying.csv"), 14, "date", "2013-13-02"),
        "reports/fy2012/data/lobbying.csv:14: column 'date': '2013-13-02' is not a date "
        "(YYYY-MM-DD)",
    ),
    (
        "not a number",
        lambda y: set_cell(data(y, "finances.csv"), 5, "amount", "about 5000"),
        "reports/fy2012/data/finances.csv:5: column 'amount': 'about 5000' is not a number",
    ),
    (
        "not a whole number",
        lambda y: set_cell(data(y, "activities.csv"), 4, "participants", "12.5"),
        "reports/fy2012/data/activities.csv:4: column 'participants': '12.5' is not a whole number",
    ),
    (
        "date outside the fiscal year (activities)",
        lambda y: set_cell(data(y, "activities.csv"), 2, "date", "2013-09-01"),
        "reports/fy2012/data/activities.csv:2: column 'date': 2013-09-01 is outside the fiscal "
        "year FY2012 (2012-09-01 to 2013-08-31)",
    ),
    (
        "date outside the fiscal year (lobbying)",
        lambda y: set_cell(data(y, "lobbying.csv"), 2, "date", "2012-08-31"),
        "reports/fy2012/data/lobbying.csv:2: column 'date': 2012-08-31 is outside the fiscal "
        "year FY2012 (2012-09-01 to 2013-08-31)",
    ),
    (
        "negative number",
        lambda y: set_cell(data(y, "finances.csv"), 6, "amount", "-25000"),
        "reports/fy2012/data/finances.csv:6: column 'amount': -25000 is negative; it must be "
        "0 or more",
    ),
    (
        "unknown visibility",
        lambda y: set_cell(data(y, "activities.csv"), 5, "visibility", "interal"),
        "reports/fy2012/data/activities.csv:5: column 'visibility': 'interal' is not one of "
        "public, internal (did you mean 'internal'?)",
    ),
    (
        "unknown kind",
        lambda y: set_cell(data(y, "finances.csv"), 2, "kind", "incme"),
        "reports/fy2012/data/finances.csv:2: column 'kind': 'incme' is not one of income, "
        "expense (did you mean 'income'?)",
    ),
    (
        "unknown function",
        lambda y: set_cell(data(y, "finances.csv"), 9, "function", "programs"),
        "reports/fy2012/data/finances.csv:9: column 'function': 'programs' is not one of "
        "program, fundraising, administration (did you mean 'program'?)",
    ),
    (
        "unknown visibility of a person",  # v2: a group is free text
        lambda y: set_cell(data(y, "people.csv"), 3, "visibility", "secret"),
        "reports/fy2012/data/people.csv:3: column 'visibility': 'secret' is not one of public, "
        "internal",
    ),
    (
        "a negative gift",  # v2: a donor's language the report does not build is a warning
        lambda y: set_cell(data(y, "donors.csv"), 2, "amount", "-5"),
        "reports/fy2012/data/donors.csv:2: column 'amount': -5 is negative; it must be 0 or more",
    ),
    (
        "duplicate donor id",
        lambda y: set_cell(data(y, "donors.csv"), 4, "id", "D-001"),
        "reports/fy2012/data/donors.csv:4: duplicate donor id 'D-001' (first used at line 2)",
    ),
    (
        "a file that is not UTF-8",
        lambda y: data(y, "people.csv").write_bytes(
            "name,role,group,visibility\n加藤 博,代表,board,public\n".encode("shift_jis")
        ),
        "reports/fy2012/data/people.csv:2: the file is not valid UTF-8 (byte 0x89); save it "
        "as 'CSV UTF-8'",
    ),
    (
        "an unreadable workbook",
        lambda y: (
            data(y, "coalitions.csv").unlink(),
            data(y, "coalitions.xlsx").write_bytes(b"PK\x03\x04 not really a workbook"),
        ),
        "reports/fy2012/data/coalitions.xlsx: cannot read the workbook: File is not a zip file",
    ),
    (
        "a table given both as CSV and XLSX",
        lambda y: data(y, "people.xlsx").write_bytes(b""),
        "reports/fy2012/data/people.xlsx: table 'people' is given both as people.csv and "
        "people.xlsx: keep one",
    ),
    (
        "a narrative link that leaves the report folder",
        lambda y: replace(
            y / "narrative/02-overview.en.md",
            "## Working in coalition",
            "See [our files](../../organization.toml).\n\n## Working in coalition",
        ),
        "reports/fy2012/narrative/02-overview.en.md:8: link '../../organization.toml' leaves "
        "the report folder",
    ),
    (
        "a narrative image that is not there",
        lambda y: replace(
            y / "narrative/03-stories.en.md", "\n\n", "\n\n![Team](../assets/team.jpg)\n\n"
        ),
        "reports/fy2012/narrative/03-stories.en.md",
    ),
    (
        "a link with a scheme that is not http(s)",
        lambda y: replace(
            y / "narrative/01-message.en.md",
            "Dear members",
            "[Click](javascript:alert(1)) Dear members",
        ),
        "reports/fy2012/narrative/01-message.en.md:7: link 'javascript:alert(1)' is not allowed: "
        "use a file inside the report folder or an http(s) URL",
    ),
    (
        "a TOML syntax error",
        lambda y: replace(y / "report.toml", 'fiscal_year = "FY2012"', 'fiscal_year = "FY2012'),
        "reports/fy2012/report.toml:3: TOML syntax error: Illegal character '\\n'",
    ),
    (
        "a colour that is not a colour",
        lambda y: replace(
            y.parent / "organization.toml",
            'primary_color = "#1f3a5f"',
            'primary_color = "navy; background: url(http://x)"',
        ),
        f"reports/organization.toml:{line_of(ORGANIZATION, 'primary_color = ')}: "
        "'primary_color': 'navy; background: url(http://x)' "
        "is not a colour such as #1f3a5f",
    ),
    (
        "a page size that does not exist",
        lambda y: replace(y.parent / "organization.toml", 'page_size = "A4"', 'page_size = "a5"'),
        f"reports/organization.toml:{line_of(ORGANIZATION, 'page_size = ')}: "
        "'page_size': 'a5' is not one of A4, Letter",
    ),
    (
        "a required key missing",
        lambda y: replace(y / "report.toml", "end = 2013-08-31\n", ""),
        "reports/fy2012/report.toml: missing required key 'end'",
    ),
]

WARNINGS: list[tuple[str, Mutation, str]] = [
    (
        "unknown key, with did you mean",
        lambda y: replace(y / "report.toml", "start =", 'langauge = "en"\nstart ='),
        "reports/fy2012/report.toml:4: warning: unknown key 'langauge' (did you mean 'language'?)",
    ),
    (
        "unknown key like no known one",
        lambda y: replace(y / "report.toml", "start =", 'notes_for_me = "x"\nstart ='),
        "reports/fy2012/report.toml:4: warning: unknown key 'notes_for_me'",
    ),
    (
        "unknown column",
        lambda y: replace(data(y, "people.csv"), "group,visibility", "group,visibility,phone"),
        "reports/fy2012/data/people.csv:1: warning: unknown column 'phone' is kept as an "
        "extra field, neither shown nor attached to the PDF (only a theme's templates can use "
        "it)",
    ),
    (
        "an empty optional table",
        lambda y: data(y, "coalitions.csv").write_text(
            "name,role,joined,member_organizations,countries,description,visibility\n"
        ),
        "reports/fy2012/data/coalitions.csv:1: warning: the coalitions table has no rows",
    ),
]


def _check(sample_set: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    monkeypatch.chdir(sample_set.parent)
    result = CliRunner().invoke(cli, ["check", "reports/fy2012"])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr.splitlines()


@pytest.mark.parametrize(("name", "mutate", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_error_is_located_and_fails_the_check(
    sample_set: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    mutate: Mutation,
    expected: str,
) -> None:
    mutate(sample_set / "fy2012")
    code, lines = _check(sample_set, monkeypatch)
    assert code == 2
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)


@pytest.mark.parametrize(("name", "mutate", "expected"), WARNINGS, ids=[c[0] for c in WARNINGS])
def test_each_warning_is_located_and_passes(
    sample_set: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    mutate: Mutation,
    expected: str,
) -> None:
    mutate(sample_set / "fy2012")
    code, lines = _check(sample_set, monkeypatch)
    assert code == 0, lines
    assert expected in lines


def test_every_problem_at_once_sorted_by_file_and_line(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    year = sample_set / "fy2012"
    for _, mutate, _ in CASES[3:15]:
        mutate(year)
    code, lines = _check(sample_set, monkeypatch)
    assert code == 2
    located = [line for line in lines if line.startswith("reports/")]
    assert len(located) >= 12

    def key(line: str) -> tuple[str, int]:
        path, _, rest = line.partition(":")
        number = rest.split(":")[0]
        return path, int(number) if number.isdigit() else 0

    assert located == sorted(located, key=key)
    assert lines[-1] == f"reportgen: {len(located)} error(s), 0 warning(s) in fy2012"
