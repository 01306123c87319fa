"""Nothing internal leaks: a marker in every column of internal rows of every
table, in internal narrative files (one whose front matter follows blank
lines, one with old Mac line endings), in columns of a public row that
reportgen does not know and in a donor's row; every edition is built, and the
marker must be absent from every public output (text, raw streams,
attachments, metadata, chart SVGs) and present where it belongs. The tables
attached to the annual report hold only their declared columns, and no cell a
spreadsheet would evaluate."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from reportgen.commands.build import run_build
from reportgen.core.editions import EDITIONS
from reportgen.reading.table_registry import TABLES, TableSpec
from tests import browser
from tests.pdfparse import ParsedPdf

MARKER = "ZQXLEAKMARKER"
LANGUAGES = ("en", "ja", "ko")  # the sample's
# The editions from their registry: a new one is searched by itself.
# The editions laid out as documents (the receipts are one PDF per donor: test_receipts).
PUBLIC = tuple(e for e in EDITIONS.values() if e.public and not e.per_donor)
MEMBERS = tuple(e.name for e in EDITIONS.values() if not e.public and not e.per_donor)

INTERNAL_ROWS = {
    "activities": {
        "date": "2013-03-03", "title": f"{MARKER} title", "category": f"{MARKER}cat",
        "location": f"{MARKER} place", "description": f"{MARKER} desc", "participants": "977",
        "visibility": "internal", "x_extra": f"{MARKER} extra",
    },
    "coalitions": {
        "name": f"{MARKER} coalition", "role": f"{MARKER} role", "joined": "2012-01-01",
        "member_organizations": "977", "countries": "97", "description": f"{MARKER} desc",
        "visibility": "internal",
    },
    "lobbying": {
        "date": "2013-03-04", "target_type": f"{MARKER}type", "target": f"{MARKER} target",
        "topic": f"{MARKER} topic", "outcome": f"{MARKER} outcome",
        "attendees": f"{MARKER} attendees", "visibility": "internal",
    },
    "finances": {
        "kind": "income", "category": f"{MARKER} income", "amount": "7777777",
        "function": "", "note": f"{MARKER} note", "visibility": "internal",
    },
    "people": {
        "name": f"{MARKER} person", "role": f"{MARKER} role", "group": "board",
        "visibility": "internal",
    },
}  # fmt: skip
EXPENSE = {
    "kind": "expense", "category": f"{MARKER} expense", "amount": "6666666",
    "function": "program", "note": f"{MARKER} note", "visibility": "internal",
}  # fmt: skip
# A public row with columns reportgen does not know (never attached) and
# cells a spreadsheet would take for formulas (attached, neutralised).
PUBLIC_PERSON = {
    "name": "Formula Tester", "role": '=HYPERLINK("https://example.org/x","Open")',
    "group": "board", "visibility": "public", "home_phone": f"+81 {MARKER} phone",
    "staff_comment": f"{MARKER} comment", "auditor_note": f"@{MARKER} note",
}  # fmt: skip
FORMULA_ACTIVITY = {
    "date": "2013-03-06", "title": "-2+3 Cell test", "category": "Event",
    "location": "@SUM(1+1)", "description": "\t=1+1", "participants": "5",
    "visibility": "public",
}  # fmt: skip
DONOR = {
    "id": "D-LEAK", "name": f"{MARKER} donor", "salutation": f"Dear {MARKER}",
    "email": f"{MARKER.lower()}@example.org", "language": "en", "amount": "4242",
}  # fmt: skip


def _internal_row(spec: TableSpec) -> dict[str, str]:
    """A marked internal row for any declared table: the hand-made ones above
    where they exist, else one made from the table's declaration."""
    if spec.name in INTERNAL_ROWS:
        return INTERNAL_ROWS[spec.name]
    made = {
        "date": "2013-03-05", "int": "977", "decimal": "7777777",
    }  # fmt: skip
    return {
        c.name: "internal" if c.name == "visibility"
        else c.choices[0] if c.type == "enum"
        else made.get(c.type, f"{MARKER} {c.name}")
        for c in spec.columns
    }  # fmt: skip


def _append(path: Path, rows: list[dict[str, str]]) -> None:
    if not path.is_file():
        path.write_text(",".join(rows[0]) + "\n", "utf-8")
    reader = csv.DictReader(io.StringIO(path.read_text("utf-8")))
    fields = list(reader.fieldnames or [])
    existing = list(reader)
    for row in rows:
        for key in row:
            if key not in fields:
                fields.append(key)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows([*existing, *rows])
    path.write_text(out.getvalue(), "utf-8")


@pytest.fixture(scope="module")
def leaky(tmp_path_factory: pytest.TempPathFactory, private_user_cache: Path) -> Path:
    """The sample with a marked internal row in every table, an internal
    donor and an internal narrative file, built once per test run."""
    import shutil

    from tests.conftest import SAMPLE, shared_folder

    def make(root: Path) -> None:
        shutil.copytree(SAMPLE, root / "reports")
        year = root / "reports/fy2012"
        # Every kind of table declared, so that a new one is in this test by itself.
        for spec in TABLES.values():
            if spec.audience == "visibility":
                _append(year / "data" / f"{spec.name}.csv", [_internal_row(spec)])
        _append(year / "data/finances.csv", [EXPENSE])
        _append(year / "data/donors.csv", [DONOR])
        _append(year / "data/people.csv", [PUBLIC_PERSON])
        _append(year / "data/activities.csv", [FORMULA_ACTIVITY])
        (year / "narrative/06-secret.md").write_text(
            f"---\nvisibility: internal\n---\n# {MARKER} heading\n\n{MARKER} body text.\n"
        )
        (year / "narrative/07-blank-first.md").write_text(
            f"\n\n---\nvisibility: internal\n---\n# {MARKER} after blank lines\n\n{MARKER} b.\n"
        )
        (year / "narrative/08-old-mac.md").write_bytes(
            f"---\rvisibility: internal\r---\r# {MARKER} old Mac\r\r{MARKER} text.\r".encode()
        )
        run_build(year, root / "out")

    return shared_folder(tmp_path_factory, "leaky", make) / "out/fy2012"


def _public_files(out: Path) -> list[Path]:
    letters = [p for p in (out / "donors").glob("*.pdf") if p.name != "d-leak.pdf"]
    editions = [out / lang / f"{e.name}.pdf" for lang in LANGUAGES for e in PUBLIC]
    return [*editions, *letters]


def test_the_marker_reaches_no_public_pdf(leaky: Path) -> None:
    files = _public_files(leaky)
    assert len(files) == len(LANGUAGES) * len(PUBLIC) + 9  # every letter but the leak's own
    for path in files:
        pdf = ParsedPdf(path)
        assert MARKER not in pdf.all_text(), path.name
        assert MARKER.encode() not in pdf.raw_streams(), path.name
        assert MARKER.lower().encode() not in pdf.raw_streams(), path.name
        assert not any(MARKER in value for value in pdf.metadata().values()), path.name
        assert not any(MARKER in title for title in (e.title for e in pdf.outline()))
        assert not any(MARKER in alt for alt in pdf.figures()), path.name


def test_the_marker_reaches_no_html_or_chart(leaky: Path) -> None:
    pages = [e.name for e in PUBLIC if e.html]
    assert pages
    for language in ("en", "ja"):
        for name in pages:
            html = (leaky / language / f"{name}.html").read_text()
            assert MARKER not in html and MARKER.lower() not in html
            svgs = re.findall(r"<svg.*?</svg>", html, re.S)
            assert len(svgs) >= 6
            assert not any(MARKER in svg for svg in svgs)


def test_internal_amounts_do_not_change_public_totals(leaky: Path) -> None:
    text = ParsedPdf(leaky / "en/annual-report.pdf").all_text()
    assert "9,805,480" in text and "9,704,300" in text
    assert "977" not in re.sub(r"\d{4}-\d{2}-\d{2}", "", text)


def test_the_marker_is_in_the_members_handout(leaky: Path) -> None:
    assert MEMBERS
    for language in ("en", "ja"):
        for name in MEMBERS:
            assert MARKER in ParsedPdf(leaky / language / f"{name}.pdf").all_text()


def test_a_donor_row_reaches_only_its_own_letter(leaky: Path) -> None:
    own = ParsedPdf(leaky / "donors/d-leak.pdf")
    assert f"Dear {MARKER}" in own.text(1)
    assert "4,242" in own.text(1)
    handout = ParsedPdf(leaky / "en/handout.pdf")
    assert f"{MARKER} donor" not in handout.all_text()
    assert "4,242" not in handout.all_text()


def test_the_internal_narratives_are_in_the_handout_only_once_read(leaky: Path) -> None:
    text = ParsedPdf(leaky / "en/handout.pdf").all_text()
    assert f"{MARKER} after blank lines" in text and f"{MARKER} old Mac" in text


def _attached(path: Path, language: str = "en") -> dict[str, list[dict[str, str]]]:
    """The attached tables, each row by column id: a Japanese PDF's columns
    are named in Japanese (日付), as its pack names them (issue 26)."""
    import pikepdf

    from reportgen.reading.column_names import names_for

    names = names_for((language,))
    with pikepdf.open(path) as pdf:
        files = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
    return {
        name: [
            {names.column(name.removesuffix(".csv"), k) or k: v for k, v in row.items()}
            for row in csv.DictReader(io.StringIO(data.decode("utf-8")))
        ]
        for name, data in files.items()
    }


def test_attached_tables_hold_declared_columns_and_no_formula(leaky: Path) -> None:
    from reportgen.composing.edition_view import is_translation

    for language in ("en", "ja"):
        attached = _attached(leaky / language / "annual-report.pdf", language)
        assert {"people.csv", "activities.csv"} <= set(attached)
        for name, rows in attached.items():
            spec = TABLES[name.removesuffix(".csv")]
            header = list(rows[0])
            unknown = [c for c in header if c not in spec.names
                       and not is_translation(c, set(spec.names))]  # fmt: skip
            assert unknown == [], name
            for row in rows:
                for column, cell in row.items():
                    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (name, column)
                    assert MARKER not in cell, (name, column)
        person = next(r for r in attached["people.csv"] if r["name"] == "Formula Tester")
        assert person["role"] == '\'=HYPERLINK("https://example.org/x","Open")'
        activity = next(r for r in attached["activities.csv"] if r["date"] == "2013-03-06")
        assert activity["title"] == "'-2+3 Cell test"
        assert activity["location"] == "'@SUM(1+1)"
        assert activity["description"] == "'=1+1"  # read without its tab, then neutralised
        assert activity["participants"] == "5"


def test_unknown_columns_reach_no_page(leaky: Path) -> None:
    """The public person is shown, without the columns reportgen does not know."""
    text = ParsedPdf(leaky / "en/annual-report.pdf").all_text()
    assert "Formula Tester" in text
    assert MARKER not in text


@pytest.mark.browser
@pytest.mark.skipif(not browser.available(), reason="chromium is not installed")
def test_the_html_editions_in_chromium_show_no_marker_and_request_nothing(leaky: Path) -> None:
    """Each public HTML edition as a reader's browser shows it: the rendered
    text holds no internal row, and no request leaves the page (a request log
    of every load; only the page itself and its data: URIs)."""
    pages = [
        leaky / language / f"{e.name}.html" for language in LANGUAGES for e in PUBLIC if e.html
    ]
    assert pages
    with browser.chromium() as chromium:
        for path in pages:
            page = chromium.new_page(viewport={"width": 1280, "height": 900})
            requests: list[str] = []
            page.on("request", lambda r, log=requests: log.append(r.url))
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            assert [r for r in requests if not r.startswith("data:")] == [path.as_uri()], path
            shown = page.locator("body").inner_text()
            assert MARKER not in shown and MARKER.lower() not in shown, path
            page.close()
