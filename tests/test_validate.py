"""reportgen.commands.build.load_year on small year folders: every rule of "Tables"
and "Validation: what bad input gets", checked by its exact message.

Each test builds ``tmp_path/reports/fy2012`` so that ``Diagnostic.format(tmp_path)``
prints paths exactly like the contract's example
(``reports/fy2012/data/lobbying.csv:14: column 'date': ...``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from reportgen.commands.build import load_year
from reportgen.core.diagnostics import Diagnostics
from reportgen.reading.model import FiscalYear

REPORT = """\
title = "Annual Report FY2012"
fiscal_year = "FY2012"
start = 2012-09-01
end = 2013-08-31

[organization]
name = "Life Funds for North Korean Refugees"
"""

# A folder that passes every completeness check too, so a valid build has no
# diagnostics at all; tests replace or add single files.
COMPLETE = {
    "data/activities.csv": "date,title,category\n2012-10-01,Statement,Advocacy\n",
    "data/people.csv": "name,role\nKato Hiroshi,Representative\n",
    "data/finances.csv": "kind,category,amount,function\nincome,Donations,100,\n"
    "expense,Rent,50,administration\n",
    "narrative/01-overview.md": "# Overview\n\nWe help refugees.\n",
}

LOBBY_HEADER = "date,target_type,target\n"
LOBBY_OK = "2012-10-04,Embassy,Embassy of the United Kingdom\n"


def make_year(
    tmp_path: Path,
    files: dict[str, str | bytes | None],
    report: str = REPORT,
    complete: bool = True,
) -> Path:
    """Write reports/fy2012 with COMPLETE (unless ``complete`` is false) updated by
    ``files``; a value of None removes that file."""
    root = tmp_path / "reports" / "fy2012"
    root.mkdir(parents=True)
    (root / "report.toml").write_text(report, encoding="utf-8")
    merged: dict[str, str | bytes | None] = {**(COMPLETE if complete else {}), **files}
    for name, content in merged.items():
        if content is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def workbook(path: Path, rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path.read_bytes()


def run(
    tmp_path: Path, files: dict[str, str | bytes | None], **kwargs: object
) -> tuple[FiscalYear | None, Diagnostics]:
    root = make_year(tmp_path, files, **kwargs)  # type: ignore[arg-type]
    diags = Diagnostics()
    return load_year(root, diags), diags


def shown(diags: Diagnostics, base: Path) -> list[str]:
    return [d.format(base) for d in diags.sorted()]


def errors(diags: Diagnostics, base: Path) -> list[str]:
    return [d.format(base) for d in diags.sorted() if d.severity.value == "error"]


# --- a valid folder -----------------------------------------------------------------------


def test_complete_valid_folder_has_no_diagnostics(tmp_path: Path) -> None:
    year, diags = run(tmp_path, {})
    assert shown(diags, tmp_path) == []
    assert year is not None
    assert year.config.fiscal_year == "FY2012"
    assert year.tables == frozenset({"activities", "people", "finances"})
    assert [s.slug for s in year.narrative] == ["overview"]


def test_valid_folder_gives_typed_values(tmp_path: Path) -> None:
    files = {
        "data/activities.csv": (
            "Date , Title,CATEGORY,location,participants,visibility,Notes,photo_credit\n"
            "2012-09-01,First day,Event,Tokyo,12,,inside joke,\n"
            '2013-08-31,Last day,Rescue,," 1,200 ",Internal,,Jane\n'
        ),
        "data/finances.csv": (
            "kind,category,amount,function,visibility\n"
            'INCOME,Donations,"5,420,000",,public\n'
            "expense,Rent,1234.50,Program,\n"
            "expense,Fees,0,administration,internal\n"
        ),
        "data/people.csv": (
            "name,role,group\nKato Hiroshi,Representative,\nA. P.,Director,board\n"
            "B. Q.,Accountant,Staff\n"
        ),
        "data/coalitions.csv": (
            "name,role,joined,member_organizations,countries\n"
            "ICNK,member,2011-09-08,43,15\n"  # joined before the year: fine
        ),
        "data/lobbying.csv": LOBBY_HEADER + LOBBY_OK,
        "data/donors.csv": "id,name,language,amount\nD-1,Margaret,EN,50000\nD-2,Hanako,,\n",
    }
    year, diags = run(tmp_path, files)
    assert errors(diags, tmp_path) == []
    assert year is not None

    first, last = year.activities
    assert first.date == date(2012, 9, 1) and type(first.date) is date
    assert last.date == date(2013, 8, 31)  # both ends of the year are inside it
    assert (first.title, first.category, first.location) == ("First day", "Event", "Tokyo")
    assert first.participants == 12
    assert last.participants == 1200
    assert last.location is None
    assert first.visibility == "public"  # empty cell: the default
    assert last.visibility == "internal"  # case-insensitive
    assert first.extra == (("notes", "inside joke"),)  # empty extra cells are dropped
    assert last.extra == (("photo_credit", "Jane"),)

    income, rent, fees = year.finances
    assert income.kind == "income"
    assert income.amount == Decimal("5420000") and isinstance(income.amount, Decimal)
    assert rent.amount == Decimal("1234.50") and isinstance(rent.amount, Decimal)
    assert rent.function == "program"
    assert income.function is None
    assert fees.amount == Decimal(0)
    assert fees.visibility == "internal"

    assert [(p.name, p.group) for p in year.people] == [
        ("Kato Hiroshi", "board"),  # default
        ("A. P.", "board"),
        ("B. Q.", "staff"),
    ]
    assert all(p.visibility == "public" for p in year.people)

    (coalition,) = year.coalitions
    assert coalition.joined == date(2011, 9, 8)
    assert (coalition.member_organizations, coalition.countries) == (43, 15)

    (visit,) = year.lobbying
    assert visit.date == date(2012, 10, 4)
    assert visit.target == "Embassy of the United Kingdom"

    d1, d2 = year.donors
    assert (d1.id, d1.name, d1.language, d1.amount) == ("D-1", "Margaret", "en", Decimal(50000))
    assert (d2.language, d2.amount) == (None, None)
    assert year.tables == frozenset(
        {"activities", "finances", "people", "coalitions", "lobbying", "donors"}
    )


def test_valid_xlsx_table_gives_dates_and_decimals(tmp_path: Path) -> None:
    root = tmp_path / "scratch"
    root.mkdir()
    activities = workbook(
        root / "a.xlsx",
        [
            ["date", "title", "category", "participants", "Extra Col"],
            [datetime(2012, 10, 1), "A", "Event", 3, 7.0],
            [date(2013, 1, 2), "B", "Rescue", 4.0, "x"],
            ["2013-02-03", "C", "Publication", None, None],
        ],
    )
    finances = workbook(
        root / "f.xlsx",
        [["kind", "category", "amount"], ["income", "Donations", 1500.5], ["expense", "Rent", 20]],
    )
    year, diags = run(
        tmp_path,
        {
            "data/activities.csv": None,
            "data/activities.xlsx": activities,
            "data/finances.csv": None,
            "data/finances.xlsx": finances,
        },
    )
    assert [d.message for d in diags.errors] == []
    assert year is not None
    dates = [a.date for a in year.activities]
    assert dates == [date(2012, 10, 1), date(2013, 1, 2), date(2013, 2, 3)]
    assert all(type(d) is date for d in dates)  # not datetime
    assert [a.participants for a in year.activities] == [3, 4, None]
    assert year.activities[0].extra == (("extra col", "7"),)
    assert [f.amount for f in year.finances] == [Decimal("1500.5"), Decimal(20)]
    assert all(isinstance(f.amount, Decimal) for f in year.finances)


def test_activities_with_a_header_and_zero_rows_is_valid(tmp_path: Path) -> None:
    year, diags = run(tmp_path, {"data/activities.csv": "date,title,category\n"})
    assert errors(diags, tmp_path) == []
    assert "has no rows" not in " ".join(d.message for d in diags)
    assert year is not None and year.activities == ()


# --- wrong values ----------------------------------------------------------------------


def test_bad_date_message_matches_the_contract_example(tmp_path: Path) -> None:
    rows = LOBBY_OK * 12 + "2013-13-02,Ministry,Ministry of Foreign Affairs\n"  # line 14
    year, diags = run(tmp_path, {"data/lobbying.csv": LOBBY_HEADER + rows})
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/lobbying.csv:14: column 'date': '2013-13-02' is not a date "
        "(YYYY-MM-DD)"
    ]
    (error,) = diags.errors
    assert error.location.line == 14
    assert error.location.path == tmp_path / "reports" / "fy2012" / "data" / "lobbying.csv"


@pytest.mark.parametrize(
    "value", ["2013/01/02", "02-01-2013", "2013-1-2", "yesterday", "2013-02-30", "20130102"]
)
def test_values_that_are_not_iso_dates(tmp_path: Path, value: str) -> None:
    year, diags = run(tmp_path, {"data/activities.csv": f"date,title,category\n{value},A,Event\n"})
    assert year is None
    assert shown(diags, tmp_path) == [
        f"reports/fy2012/data/activities.csv:2: column 'date': '{value}' is not a date (YYYY-MM-DD)"
    ]


def test_optional_date_column_is_checked_too(tmp_path: Path) -> None:
    year, diags = run(
        tmp_path, {"data/coalitions.csv": "name,role,joined\nICNK,member,Sept 2011\n"}
    )
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/coalitions.csv:2: column 'joined': 'Sept 2011' is not a date "
        "(YYYY-MM-DD)"
    ]


def test_bad_date_in_xlsx_is_located_by_cell(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    content = workbook(
        scratch / "l.xlsx",
        [
            ["target_type", "date", "target"],
            ["Ministry", date(2012, 10, 1), "MOFA"],
            ["Ministry", "2013-13-02", "MOFA"],
        ],
    )
    year, diags = run(tmp_path, {"data/lobbying.xlsx": content})
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/lobbying.xlsx:Sheet1!B3: column 'date': '2013-13-02' is not a date "
        "(YYYY-MM-DD)"
    ]
    assert diags.errors[0].location.cell == "Sheet1!B3"


def test_activity_date_outside_the_fiscal_year(tmp_path: Path) -> None:
    content = (
        "date,title,category\n"
        "2012-08-31,Day before,Event\n"
        "2012-09-01,First day,Event\n"
        "2013-08-31,Last day,Event\n"
        "2013-09-01,Day after,Event\n"
    )
    year, diags = run(tmp_path, {"data/activities.csv": content})
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/activities.csv:2: column 'date': 2012-08-31 is outside the fiscal "
        "year FY2012 (2012-09-01 to 2013-08-31)",
        "reports/fy2012/data/activities.csv:5: column 'date': 2013-09-01 is outside the fiscal "
        "year FY2012 (2012-09-01 to 2013-08-31)",
    ]


def test_lobbying_date_outside_the_fiscal_year(tmp_path: Path) -> None:
    year, diags = run(
        tmp_path, {"data/lobbying.csv": LOBBY_HEADER + LOBBY_OK + "2014-01-15,Diet member,X\n"}
    )
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/lobbying.csv:3: column 'date': 2014-01-15 is outside the fiscal "
        "year FY2012 (2012-09-01 to 2013-08-31)"
    ]


def test_lobbying_xlsx_date_cell_outside_the_fiscal_year(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    content = workbook(
        scratch / "l.xlsx",
        [["date", "target_type", "target"], [datetime(2011, 3, 11), "Ministry", "MOFA"]],
    )
    year, diags = run(tmp_path, {"data/lobbying.xlsx": content})
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/lobbying.xlsx:Sheet1!A2: column 'date': 2011-03-11 is outside the "
        "fiscal year FY2012 (2012-09-01 to 2013-08-31)"
    ]


def test_negative_numbers(tmp_path: Path) -> None:
    files = {
        "data/activities.csv": "date,title,category,participants\n2012-10-01,A,Event,-3\n",
        "data/finances.csv": "kind,category,amount\nincome,Donations,-5\nexpense,Rent,-0.5\n",
        "data/coalitions.csv": "name,role,countries\nICNK,member,-1\n",
        "data/donors.csv": "name,amount\nM,-100\n",
    }
    year, diags = run(tmp_path, files)
    assert year is None
    assert errors(diags, tmp_path) == [
        "reports/fy2012/data/activities.csv:2: column 'participants': -3 is negative; it must be "
        "0 or more",
        "reports/fy2012/data/coalitions.csv:2: column 'countries': -1 is negative; it must be "
        "0 or more",
        "reports/fy2012/data/donors.csv:2: column 'amount': -100 is negative; it must be 0 or more",
        "reports/fy2012/data/finances.csv:2: column 'amount': -5 is negative; it must be 0 or more",
        "reports/fy2012/data/finances.csv:3: column 'amount': -0.5 is negative; it must be "
        "0 or more",
    ]


# "¥1000" is an amount in the report's JPY (issue 26, test_localised_columns).
@pytest.mark.parametrize("value", ["abc", "12abc", "NaN", "Infinity", "1.2.3"])
def test_amount_that_is_not_a_number(tmp_path: Path, value: str) -> None:
    year, diags = run(
        tmp_path, {"data/finances.csv": f"kind,category,amount\nincome,Donations,{value}\n"}
    )
    assert year is None
    assert errors(diags, tmp_path) == [
        f"reports/fy2012/data/finances.csv:2: column 'amount': '{value}' is not a number"
    ]


@pytest.mark.parametrize("value", ["2.5", "many", "1e3", "3 people"])
def test_participants_that_is_not_a_whole_number(tmp_path: Path, value: str) -> None:
    year, diags = run(
        tmp_path,
        {"data/activities.csv": f"date,title,category,participants\n2012-10-01,A,E,{value}\n"},
    )
    assert year is None
    assert errors(diags, tmp_path) == [
        f"reports/fy2012/data/activities.csv:2: column 'participants': '{value}' is not a whole "
        "number"
    ]


@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        (
            "data/activities.csv",
            "date,title,category,visibility\n2012-10-01,A,Event,publc\n",
            "reports/fy2012/data/activities.csv:2: column 'visibility': 'publc' is not one of "
            "public, internal (did you mean 'public'?)",
        ),
        (
            "data/activities.csv",
            "date,title,category,visibility\n2012-10-01,A,Event,secret\n",
            "reports/fy2012/data/activities.csv:2: column 'visibility': 'secret' is not one of "
            "public, internal",
        ),
        (
            "data/finances.csv",
            "kind,category,amount\nincome,Donations,1\nincme,Fees,2\n",
            "reports/fy2012/data/finances.csv:3: column 'kind': 'incme' is not one of income, "
            "expense (did you mean 'income'?)",
        ),
        (
            "data/finances.csv",
            "kind,category,amount,function\nincome,Donations,1,\nexpense,Rent,2,Programs\n",
            "reports/fy2012/data/finances.csv:3: column 'function': 'Programs' is not one of "
            "program, fundraising, administration (did you mean 'program'?)",
        ),
    ],
)
def test_unknown_choice_values(tmp_path: Path, file: str, content: str, message: str) -> None:
    year, diags = run(tmp_path, {file: content})
    assert year is None
    assert errors(diags, tmp_path) == [message]


def test_empty_required_cells(tmp_path: Path) -> None:
    content = (
        "date,title,category\n"
        "2012-10-01,A,Event\n"
        "2012-10-02,,Event\n"  # empty
        "2012-10-03,   ,Event\n"  # only spaces
        ",D,Event\n"  # empty date
        "2012-10-05,E\n"  # short row: no category cell
    )
    year, diags = run(tmp_path, {"data/activities.csv": content})
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/activities.csv:3: column 'title' is empty but required",
        "reports/fy2012/data/activities.csv:4: column 'title' is empty but required",
        "reports/fy2012/data/activities.csv:5: column 'date' is empty but required",
        "reports/fy2012/data/activities.csv:6: column 'category' is empty but required",
    ]


def test_empty_required_cell_in_xlsx_is_located_by_cell(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    content = workbook(
        scratch / "p.xlsx", [["name", "role"], ["Kato", "Representative"], ["A. P.", None]]
    )
    year, diags = run(tmp_path, {"data/people.csv": None, "data/people.xlsx": content})
    assert year is None
    assert errors(diags, tmp_path) == [
        "reports/fy2012/data/people.xlsx:Sheet1!B3: column 'role' is empty but required"
    ]


# --- columns and files -----------------------------------------------------------------------


def test_missing_required_column_with_did_you_mean(tmp_path: Path) -> None:
    year, diags = run(
        tmp_path, {"data/activities.csv": "date,titel,category\n2012-10-01,A,Event\n,,\n"}
    )
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/activities.csv:1: missing required column 'title' "
        "(found 'titel': did you mean 'title'?)",
    ]


def test_empty_files(tmp_path: Path) -> None:
    year, diags = run(tmp_path, {"data/activities.csv": "", "data/lobbying.csv": ""})
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/activities.csv:1: the file is empty: it needs at least a header row",
        "reports/fy2012/data/lobbying.csv:1: warning: the file is empty; the table is left out",
    ]


def test_missing_required_column_without_a_near_miss(tmp_path: Path) -> None:
    year, diags = run(tmp_path, {"data/finances.csv": "kind,category\nincome,Donations\n"})
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/finances.csv:1: missing required column 'amount': the header has "
        "'kind', 'category'; the finances table's columns are 'kind', 'category', 'amount', "
        "'function', 'fund', 'note', 'visibility' ('kind', 'category', 'amount' required)"
    ]


def test_a_missing_column_names_the_columns_found_and_expected(tmp_path: Path) -> None:
    """The issue's folder: 'Activity' where 'title' belongs (no near miss)."""
    year, diags = run(
        tmp_path, {"data/activities.csv": "Date,Activity,Category\n2012-10-01,A,Event\n"}
    )
    assert year is None
    (message,) = [d.message for d in diags.errors]
    assert message.startswith("missing required column 'title': the header has 'date', ")
    assert "'activity'" in message and "the activities table's columns are 'date', 'title'" in (
        message
    )


def test_a_missing_column_does_not_hide_the_rows_errors(tmp_path: Path) -> None:
    """Every row is still checked, every column of it; the missing column is
    said once, on the header, not on each row."""
    year, diags = run(
        tmp_path,
        {"data/lobbying.csv": "date,target,topic\nnot-a-date,X,a\n2012-10-04,,b\n2013-13-01,Y,c\n"},
    )
    assert year is None
    assert errors(diags, tmp_path) == [
        "reports/fy2012/data/lobbying.csv:1: missing required column 'target_type': the header "
        "has 'date', 'target', 'topic'; the lobbying table's columns are 'date', 'target_type', "
        "'target', 'topic', 'outcome', 'attendees', 'visibility' ('date', 'target_type', "
        "'target' required)",
        "reports/fy2012/data/lobbying.csv:2: column 'date': 'not-a-date' is not a date "
        "(YYYY-MM-DD)",
        "reports/fy2012/data/lobbying.csv:3: column 'target' is empty but required",
        "reports/fy2012/data/lobbying.csv:4: column 'date': '2013-13-01' is not a date "
        "(YYYY-MM-DD)",
    ]


def test_every_problem_of_every_file_in_one_run(tmp_path: Path) -> None:
    """A header typo in one table, a bad amount in another, a bad e-mail in a
    third: all said at once (the e-mail used to wait for the amount's fix)."""
    year, diags = run(
        tmp_path,
        {
            "data/activities.csv": "date,titel,category\n2012-10-01,A,Event\nnope,B,Event\n",
            "data/finances.csv": "kind,category,amount,function\nincome,Gifts,ten,\n",
            "data/donors.csv": "id,name,email\nD-1,Ann,ann@@example\n",
        },
    )
    assert year is None
    found = shown(diags, tmp_path)
    assert any("activities.csv:1: missing required column 'title'" in f for f in found)
    assert any("activities.csv:3: column 'date': 'nope'" in f for f in found)
    assert any("finances.csv:2: column 'amount': 'ten' is not a number" in f for f in found)
    assert any(f.startswith("reports/fy2012/data/donors.csv:2: warning: column 'email'")
               for f in found), found  # fmt: skip


def test_duplicate_column_is_an_error(tmp_path: Path) -> None:
    year, diags = run(
        tmp_path, {"data/activities.csv": "date,title,category,Title\n2012-10-01,A,Event,B\n"}
    )
    assert year is None
    assert errors(diags, tmp_path) == [
        "reports/fy2012/data/activities.csv:1: column 'title' appears twice"
    ]


def test_missing_required_activities_file(tmp_path: Path) -> None:
    year, diags = run(tmp_path, {"data/activities.csv": None})
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/activities.csv: missing required file: data/activities.csv "
        "(or data/activities.xlsx)"
    ]


def test_no_data_folder_at_all(tmp_path: Path) -> None:
    year, diags = run(tmp_path, {}, complete=False)
    assert year is None
    assert errors(diags, tmp_path) == [
        "reports/fy2012/data/activities.csv: missing required file: data/activities.csv "
        "(or data/activities.xlsx)"
    ]


def test_missing_optional_tables_are_fine(tmp_path: Path) -> None:
    year, diags = run(tmp_path, {"data/people.csv": None, "data/finances.csv": None})
    assert errors(diags, tmp_path) == []
    assert year is not None
    assert year.tables == frozenset({"activities"})
    assert year.people == () and year.finances == ()


def test_duplicate_donor_id(tmp_path: Path) -> None:
    content = "id,name\nD-1,Margaret\nD-2,Hanako\nD-1,Someone Else\n\nD-1,Third\n"
    year, diags = run(tmp_path, {"data/donors.csv": content})
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/donors.csv:4: duplicate donor id 'D-1' (first used at line 2)",
        "reports/fy2012/data/donors.csv:6: duplicate donor id 'D-1' (first used at line 2)",
    ]


def test_donors_without_id_may_repeat(tmp_path: Path) -> None:
    year, diags = run(tmp_path, {"data/donors.csv": "id,name\n,Anonymous\n,Anonymous\n"})
    assert errors(diags, tmp_path) == []
    assert year is not None and len(year.donors) == 2


def test_duplicate_donor_id_in_xlsx(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    content = workbook(scratch / "d.xlsx", [["name", "id"], ["A", "X1"], ["B", "X1"]])
    year, diags = run(tmp_path, {"data/donors.xlsx": content})
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/donors.xlsx:Sheet1!B3: duplicate donor id 'X1' "
        "(first used at Sheet1!B2)"
    ]


def test_table_given_both_as_csv_and_xlsx(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    content = workbook(scratch / "a.xlsx", [["date", "title", "category"]])
    year, diags = run(tmp_path, {"data/activities.xlsx": content})
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/activities.xlsx: table 'activities' is given both as "
        "activities.csv and activities.xlsx: keep one"
    ]


def test_unknown_column_is_a_warning_and_the_build_goes_on(tmp_path: Path) -> None:
    year, diags = run(
        tmp_path,
        {"data/activities.csv": "date,title,category,catgory,photo\n2012-10-01,A,Event,x,p.jpg\n"},
    )
    assert year is not None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/activities.csv:1: warning: unknown column 'catgory' is kept as an "
        "extra field (did you mean 'category'?), neither shown nor attached to the PDF (only a "
        "theme's templates can use it)",
        "reports/fy2012/data/activities.csv:1: warning: unknown column 'photo' is kept as an "
        "extra field, neither shown nor attached to the PDF (only a theme's templates can use "
        "it)",
    ]
    assert year.activities[0].extra == (("catgory", "x"), ("photo", "p.jpg"))


def test_a_misspelt_optional_column_says_what_it_means_and_fails_strict(tmp_path: Path) -> None:
    """'partcipants' beside no 'participants': its numbers would reach no
    figure. Version 1 makes an unknown column a warning that does not fail a
    build, so it is one that says which column was meant and that its values
    are left out; --strict fails on it (tests/test_settings.py)."""
    year, diags = run(
        tmp_path,
        {"data/activities.csv": "date,title,category,partcipants\n2012-10-01,A,Event,40\n"},
    )
    assert year is not None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/activities.csv:1: warning: unknown column 'partcipants' is kept as "
        "an extra field (did you mean 'participants'?), neither shown nor attached to the PDF "
        "(only a theme's templates can use it): rename it, or its values are left out of the "
        "report",
    ]


def test_unknown_table_file_is_a_warning(tmp_path: Path) -> None:
    year, diags = run(tmp_path, {"data/lobying.csv": LOBBY_HEADER + LOBBY_OK})
    assert year is not None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/lobying.csv: warning: unknown table 'lobying.csv' is ignored "
        "(did you mean 'lobbying.csv'?)"
    ]


@pytest.mark.parametrize("name", ["Lobbying.csv", "lobbying.CSV"])
def test_table_file_in_another_case_is_read_or_reported(tmp_path: Path, name: str) -> None:
    bad = LOBBY_HEADER + "2014-01-15,Ministry,MOFA\n"  # outside the year
    _, diags = run(tmp_path, {f"data/{name}": bad})
    assert diags.has_errors or any(name in d.message for d in diags.warnings)


def test_empty_optional_table_is_a_warning(tmp_path: Path) -> None:
    year, diags = run(tmp_path, {"data/lobbying.csv": LOBBY_HEADER})
    assert year is not None
    assert year.lobbying == ()
    assert "lobbying" in year.tables
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/lobbying.csv:1: warning: the lobbying table has no rows"
    ]


def test_trailing_empty_header_cells_are_not_an_error(tmp_path: Path) -> None:
    year, diags = run(
        tmp_path, {"data/activities.csv": "date,title,category,,\n2012-10-01,A,Event,,\n"}
    )
    assert errors(diags, tmp_path) == []
    assert year is not None and len(year.activities) == 1


def test_translated_column_is_not_an_unknown_column(tmp_path: Path) -> None:
    report = REPORT.replace("end = 2013-08-31\n", 'end = 2013-08-31\nlanguages = ["en", "ja"]\n')
    year, diags = run(
        tmp_path,
        {
            "data/activities.csv": (
                "date,title,title_ja,category\n2012-10-01,Statement,声明,Advocacy\n"
            )
        },
        report=report,
    )
    assert year is not None
    assert [d.message for d in diags.warnings if "unknown column" in d.message] == []


def test_not_utf8_table_fails_the_build(tmp_path: Path) -> None:
    content = "date,title,category\n2012-10-01,東京,Event\n".encode("shift_jis")
    year, diags = run(tmp_path, {"data/activities.csv": content})
    assert year is None
    (line,) = errors(diags, tmp_path)
    assert line.startswith(
        "reports/fy2012/data/activities.csv:2: the file is not valid UTF-8 (byte 0x"
    )


def test_damaged_workbook_fails_the_build(tmp_path: Path) -> None:
    year, diags = run(tmp_path, {"data/coalitions.xlsx": b"\x00\x01 broken"})
    assert year is None
    assert errors(diags, tmp_path) == [
        "reports/fy2012/data/coalitions.xlsx: cannot read the workbook: File is not a zip file"
    ]


# --- everything reported together, sorted -------------------------------------------------------


def test_many_errors_in_several_files_are_reported_together_and_sorted(tmp_path: Path) -> None:
    activities = (
        "date,title,category,participants\n"  # 1
        "2012-10-01,A,Event,1\n"  # 2
        "2012-10-02,,Event,1\n"  # 3: empty title
        + "2012-10-03,B,Event,1\n" * 6  # 4-9
        + "2012-10-10,C,Event,lots\n"  # 10: not a whole number
    )
    files = {
        "data/lobbying.csv": LOBBY_HEADER + LOBBY_OK * 7 + "2013-13-02,Ministry,MOFA\n",  # 9
        "data/finances.csv": "kind,category,amount\nincome,Donations,1\nincom,Fees,-2\n",  # 3
        "data/activities.csv": activities,
        "data/people.csv": "name,role,group\nKato,,board\n",  # 2
        "data/extra.csv": "x\n1\n",  # warning
    }
    report = REPORT.replace("start = 2012-09-01", 'start = "2012-09-01"')
    year, diags = run(tmp_path, files, report=report)
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/activities.csv:3: column 'title' is empty but required",
        "reports/fy2012/data/activities.csv:10: column 'participants': 'lots' is not a whole "
        "number",
        "reports/fy2012/data/extra.csv: warning: unknown table 'extra.csv' is ignored; to "
        'show it, declare it in report.toml: [tables.extra] title = "..."',
        "reports/fy2012/data/finances.csv:3: column 'amount': -2 is negative; it must be 0 or more",
        "reports/fy2012/data/finances.csv:3: column 'kind': 'incom' is not one of income, expense "
        "(did you mean 'income'?)",
        "reports/fy2012/data/lobbying.csv:9: column 'date': '2013-13-02' is not a date "
        "(YYYY-MM-DD)",
        "reports/fy2012/data/people.csv:2: column 'role' is empty but required",
        "reports/fy2012/report.toml:3: 'start' must be a TOML date such as 2012-09-01 "
        "(without quotes)",
    ]
    keys = [(str(d.location.path), d.location.line or 0) for d in diags.sorted()]
    assert keys == sorted(keys)  # by file, then by line as a number (3 before 10)
    assert len(diags.errors) == 7


def test_sorted_drops_exact_repeats(tmp_path: Path) -> None:
    from reportgen.core.diagnostics import Location

    diags = Diagnostics()
    where = Location(tmp_path / "a.csv", 2)
    diags.error(where, "same")
    diags.error(where, "same")
    diags.warning(where, "same")
    assert [(d.severity.value, d.message) for d in diags.sorted()] == [
        ("error", "same"),
        ("warning", "same"),
    ]


def test_workbook_problems_are_sorted_by_row_number(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    rows: list[list[object]] = [["date", "title", "category"]]
    rows += [[date(2012, 10, 1), None, "Event"]]  # row 2: empty title
    rows += [[date(2012, 10, 1), "ok", "Event"]] * 7  # rows 3-9
    rows += [[date(2012, 10, 1), None, "Event"]]  # row 10: empty title
    content = workbook(scratch / "a.xlsx", rows)
    year, diags = run(tmp_path, {"data/activities.csv": None, "data/activities.xlsx": content})
    assert year is None
    assert [d.location.cell for d in diags.sorted()] == ["Sheet1!B2", "Sheet1!B10"]


def test_missing_report_toml_and_bad_tables_are_reported_together(tmp_path: Path) -> None:
    root = make_year(tmp_path, {"data/activities.csv": "date,title,category\nbad,A,E\n"})
    (root / "report.toml").unlink()
    diags = Diagnostics()
    assert load_year(root, diags) is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/activities.csv:2: column 'date': 'bad' is not a date (YYYY-MM-DD)",
        "reports/fy2012/report.toml: missing required file report.toml",
    ]


def test_programme_is_program_and_groups_are_free_text(tmp_path: Path) -> None:
    year, diags = run(
        tmp_path,
        {
            "data/finances.csv": "kind,category,amount,function,fund\n"
            "income,Grants,10,,Restricted\nexpense,Meals,2,Programme,\n",
            "data/people.csv": "name,role,group\nA,Chair,Trustees\nB,Cook,Kitchen team\n"
            "C,Treasurer,bord\n",
        },
    )
    assert year is not None, errors(diags, tmp_path)
    assert [f.function for f in year.finances] == [None, "program"]
    assert [f.fund for f in year.finances] == ["Restricted", None]
    assert [p.group for p in year.people] == ["trustee", "Kitchen team", "bord"]
    warned = [d.message for d in diags if "bord" in d.message]
    assert warned == [
        "column 'group': 'bord' is shown as a group of its own (did you mean 'board'?)"
    ]
    # trustees count as the board: no "no board members" warning
    assert not [d for d in diags if "board members" in d.message]


def test_an_unquoted_comma_is_the_rows_one_error(tmp_path: Path) -> None:
    """The shifted cells would each be a wrong type; only the cause is said."""
    header = "date,title,category,location,description,participants,visibility\n"
    year, diags = run(
        tmp_path,
        {"data/activities.csv": header + "2012-10-01,Seminar,Event,Leeds, UK,Talk,40,public\n"},
    )
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/activities.csv:2: 8 cells, the header has 7: quote the cell that "
        'contains a comma ("Leeds, UK"), or remove the extra cells'
    ]


def test_a_key_figure_name_longer_than_its_tile_is_a_located_error(tmp_path: Path) -> None:
    """A name no tile can hold made a handout WeasyPrint could not lay out
    (found by tests/test_property.py): check refuses it at its cell."""
    long_name = "Meals " + "x" * 130
    year, diags = run(
        tmp_path,
        {"data/indicators.csv": f"name,value,unit\nMeals served,12,meals\n{long_name},3,\n"},
    )
    assert year is None
    assert shown(diags, tmp_path) == [
        "reports/fy2012/data/indicators.csv:3: column 'name': 136 characters, at most 120 fit "
        "where it is shown: say the rest in its note"
    ]
