"""Property-based: whatever a director's files hold, reportgen answers with
success or a located message and exit 2, never a traceback."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from reportgen.cli import cli
from tests.conftest import SAMPLE

LOCATED = re.compile(r"^\S+?(:\d+|:[^!\s]+![A-Z]+\d+)?: ")
SUMMARY = re.compile(r"^reportgen: \d+ error\(s\), \d+ warning\(s\) in ")
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_with(change: Callable[[Path], None]) -> None:
    """Copy the sample, apply ``change`` to fy2012, run check, assert the outcome."""
    with tempfile.TemporaryDirectory() as tmp:
        reports = Path(tmp) / "reports"
        shutil.copytree(SAMPLE, reports)
        change(reports / "fy2012")
        result = CliRunner().invoke(cli, ["check", str(reports / "fy2012")])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    lines = result.stderr.splitlines()
    if result.exit_code == 2:
        assert lines and SUMMARY.match(lines[-1]), lines
        lines = lines[:-1]
        assert lines, "an error exit must name at least one problem"
    for line in lines:
        assert LOCATED.match(line), line


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for position, cut, insert in edits:
        at = position % (len(out) + 1)
        out[at : at + cut] = insert
    return bytes(out)


EDITS = st.lists(
    st.tuples(
        st.integers(0, 10_000),
        st.integers(0, 8),
        st.one_of(
            st.binary(max_size=6),
            st.sampled_from([b",", b'"', b"\n", b"\r\n", b"-", b"internal", b"\xff", b"="]),
        ),
    ),
    min_size=1,
    max_size=6,
)


@FUZZ
@given(
    table=st.sampled_from(["activities", "lobbying", "finances", "people", "donors"]), edits=EDITS
)
def test_mutated_csv(table: str, edits: list[tuple[int, int, bytes]]) -> None:
    def change(year: Path) -> None:
        path = year / "data" / f"{table}.csv"
        path.write_bytes(mutate(path.read_bytes(), edits))

    check_with(change)


@FUZZ
@given(edits=EDITS)
def test_mutated_toml(edits: list[tuple[int, int, bytes]]) -> None:
    def change(year: Path) -> None:
        path = year / "report.toml"
        path.write_bytes(mutate(path.read_bytes(), edits))

    check_with(change)


MARKDOWN = st.lists(
    st.sampled_from([*"ab #*_`[]()!<>:/.\\-|\n^{}%\"'", "../", "http://", "é", "日", "---\n"]),
    max_size=120,
).map("".join)


@FUZZ
@given(front=st.one_of(st.none(), MARKDOWN), body=MARKDOWN)
def test_random_markdown(front: str | None, body: str) -> None:
    def change(year: Path) -> None:
        text = body if front is None else f"---\n{front}\n---\n{body}"
        (year / "narrative/09-fuzz.md").write_text(text, "utf-8")

    check_with(change)


CELL = st.one_of(
    st.none(),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 1, 1)),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 1, 1)),
)
HEADERS = ["date", "title", "category", "location", "description", "participants", "visibility"]


@FUZZ
@given(
    header=st.lists(st.sampled_from([*HEADERS, "Titel", "", " DATE "]), min_size=0, max_size=8),
    rows=st.lists(st.lists(CELL, max_size=8), max_size=6),
)
def test_random_workbook(header: list[str], rows: list[list[object]]) -> None:
    def change(year: Path) -> None:
        (year / "data/activities.csv").unlink()
        workbook = Workbook()
        sheet = workbook.active
        if header:
            sheet.append(header)
        for row in rows:
            sheet.append(row)
        workbook.save(year / "data/activities.xlsx")

    check_with(change)


@FUZZ
@given(edits=EDITS)
def test_damaged_workbook(edits: list[tuple[int, int, bytes]]) -> None:
    def change(year: Path) -> None:
        (year / "data/people.csv").unlink()
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["name", "role", "group"])
        sheet.append(["A. P.", "Director", "board"])
        path = year / "data/people.xlsx"
        workbook.save(path)
        path.write_bytes(mutate(path.read_bytes(), edits))

    check_with(change)
