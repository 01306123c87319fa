"""Plain text and bounded input (issue 11, cases 3, 9, 10, 11, 12 and 14):
what a hostile or careless report folder puts in a cell, a setting or a
narrative file is a located error or is drawn literally, never a crash, a
silent loss, or a row published by a guess."""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.composing.page_context import SENTENCE_GROUPS
from reportgen.core.plaintext import clean, describe
from reportgen.reading.readers.tables import MAX_CELL_CHARS
from reportgen.typesetting.templating import environment
from tests.pdfparse import ParsedPdf
from tests.test_bad_input import replace, set_cell

CONTROL = ["\x00", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\ufffe"]


def _run(sample_set: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, list[str]]:
    monkeypatch.chdir(sample_set.parent)
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    return result.exit_code, result.output.splitlines()


def _check(sample_set: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    return _run(sample_set, monkeypatch, "check", "reports/fy2012")


def _refused(sample_set: Path, monkeypatch: pytest.MonkeyPatch, expected: str) -> None:
    """``check`` and ``build`` both exit 2 with ``expected`` and write nothing."""
    code, lines = _check(sample_set, monkeypatch)
    assert code == 2, lines
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)
    code, lines = _run(sample_set, monkeypatch, "build", "reports/fy2012", "--out", "out")
    assert code == 2, lines
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)
    assert not (sample_set.parent / "out").exists()


def _workbook(rows: list[list[str]], patch: tuple[bytes, bytes] | None = None) -> bytes:
    """An .xlsx of ``rows``; ``patch`` replaces bytes in its XML (for what openpyxl
    refuses to write)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if patch is None:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info).replace(*patch))
    return out.getvalue()


# Case 3: a column that decides who sees a row is never guessed.


def test_a_misspelt_visibility_header_is_an_error_not_a_warning(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    activities = sample_set / "fy2012/data/activities.csv"
    assert ",internal\n" in activities.read_text("utf-8")  # rows that must stay internal
    replace(activities, ",visibility\n", ",visiblity\n")
    _refused(
        sample_set,
        monkeypatch,
        "reports/fy2012/data/activities.csv:1: column 'visiblity' looks like 'visibility', "
        "which decides who sees each row",
    )


@pytest.mark.parametrize(
    "header",
    ["Visiblity", "visibilty", "visability", "visible", "visbility", "Visi bility",
     "VISIBILITY_", "internal", "public", "visibility_ja"],
)  # fmt: skip
def test_headers_near_visibility_are_errors(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch, header: str
) -> None:
    replace(sample_set / "fy2012/data/people.csv", ",visibility\n", f",{header}\n")
    code, lines = _check(sample_set, monkeypatch)
    assert code == 2
    name = header.strip().lower()
    assert any(
        line.startswith(f"reports/fy2012/data/people.csv:1: column '{name}'")
        and "'visibility'" in line
        and "warning" not in line
        for line in lines
    ), lines


def test_a_misspelt_visibility_header_in_a_workbook_is_an_error(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = sample_set / "fy2012/data"
    (data / "coalitions.csv").unlink()
    rows = [["name", "role", "Visiblity"], ["A network", "member", "internal"]]
    (data / "coalitions.xlsx").write_bytes(_workbook(rows))
    code, lines = _check(sample_set, monkeypatch)
    assert code == 2
    assert any(
        line.startswith("reports/fy2012/data/coalitions.xlsx:Sheet!A1: column 'visiblity' looks")
        for line in lines
    ), lines


@pytest.mark.parametrize("key", ["visiblity", "Visibilty", "editons", "edition"])
def test_a_misspelt_front_matter_visibility_or_editions_is_an_error(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    notes = sample_set / "fy2012/narrative/04-internal-notes.en.md"
    text = notes.read_text("utf-8")
    assert text.startswith("---\n") and "\nvisibility: internal\n" in text
    replace(notes, "\nvisibility: internal\n", f"\n{key}: internal\nvisibility: internal\n")
    code, lines = _check(sample_set, monkeypatch)
    assert code == 2
    assert any(
        line.startswith(
            f"reports/fy2012/narrative/04-internal-notes.en.md:2: front matter key "
            f"'{key.lower()}' looks like"
        )
        for line in lines
    ), lines


def test_other_unknown_columns_stay_warnings(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replace(sample_set / "fy2012/data/people.csv", ",visibility\n", ",visibility,published\n")
    code, lines = _check(sample_set, monkeypatch)
    assert code == 0, lines
    assert (
        "reports/fy2012/data/people.csv:1: warning: unknown column 'published' is kept as an "
        "extra field, neither shown nor attached to the PDF (only a theme's templates can use "
        "it)" in lines
    )


# Case 9: a dollar sign is a dollar sign; case 10: nesting at the limit builds.

DOLLARS = {
    "finances": "Book sales (US$ 10% off, $5 each)",  # the exact input
    "activities": r"Advocacy $x^2$ \$ $$",
    "lobbying": r"$\frac{1}{0}$ Ministry $",
    "fiscal_year": "FY$2012$",
}


def _svg_texts(html: str) -> list[str]:
    """The text of every <text> in every inline SVG chart, parsed as XML."""
    texts = []
    for svg in re.findall(r"<svg\b.*?</svg>", html, re.S):
        root = ElementTree.fromstring(svg)
        texts += ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
        # A long label is drawn on two lines (one <text> each, in one group).
        for group in root.iter("{http://www.w3.org/2000/svg}g"):
            lines = [t for t in group if t.tag == "{http://www.w3.org/2000/svg}text"]
            if len(lines) > 1:
                texts.append(" ".join("".join(t.itertext()) for t in lines))
    return texts


def test_dollars_in_every_chart_label_are_drawn_literally(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    year = sample_set / "fy2012"
    set_cell(year / "data/finances.csv", 5, "category", DOLLARS["finances"])
    set_cell(year / "data/activities.csv", 2, "category", DOLLARS["activities"])
    set_cell(year / "data/lobbying.csv", 2, "target_type", DOLLARS["lobbying"])
    # More kinds of counterpart than the intro's sentence names, so that
    # Advocacy draws its chart of them (the label under test) too.
    for line in range(3, SENTENCE_GROUPS + 3):
        set_cell(year / "data/lobbying.csv", line, "target_type", f"Counterpart {line}")
    replace(year / "report.toml", 'fiscal_year = "FY2012"', 'fiscal_year = "FY$2012$"')
    # Markdown nested exactly to the limit renders (and the PDF survives it).
    replace(
        year / "narrative/03-stories.en.md",
        "\n\n",
        "\n\n" + "*" * 38 + "DEEP-EMPHASIS" + "*" * 38 + "\n\n" + ">" * 19 + " DEEP-QUOTE\n\n",
    )
    code, lines = _run(
        sample_set, monkeypatch, "build", "reports/fy2012", "--out", "out",
        "--edition", "annual-report", "--language", "en",
    )  # fmt: skip
    assert code == 0, lines
    html = (sample_set.parent / "out/fy2012/en/annual-report.html").read_text("utf-8")
    texts = _svg_texts(html)
    for value in DOLLARS.values():
        assert value in texts, (value, texts)
    assert f"{DOLLARS['finances']} ¥386K" in html  # the alt text, word for word
    assert "DEEP-EMPHASIS" in html and "DEEP-QUOTE" in html
    pdf = ParsedPdf(sample_set.parent / "out/fy2012/en/annual-report.pdf").all_text()
    assert DOLLARS["finances"] in pdf
    # Nineteen quote levels leave a narrow measure: the line may break at the hyphen.
    assert "DEEP-EMPHASIS" in pdf and "DEEP-QUOTE" in pdf.replace("DEEP- ", "DEEP-")


@pytest.mark.parametrize(
    ("name", "markdown"),
    [
        ("the issue's emphasis", "*" * 1000 + "x" + "*" * 1000),
        ("emphasis one past the limit", "*" * 40 + "x" + "*" * 40),
        ("quotes", ">" * 1000 + " x"),
        ("lists", "\n".join("  " * i + "- item" for i in range(300))),
        ("underscores", "_" * 1000 + "x" + "_" * 1000),
        ("quoted lists", "\n".join("> " * i + "- item" for i in range(1, 200))),
    ],
)
def test_markdown_nested_too_deep_is_a_located_error(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch, name: str, markdown: str
) -> None:
    story = sample_set / "fy2012/narrative/03-stories.en.md"
    lines = story.read_text("utf-8").split("\n")
    story.write_text("\n".join([*lines, "", markdown, ""]), "utf-8")
    first = len(lines) + 2
    # The line where the limit is passed: inside what was added.
    where = {f"reports/fy2012/narrative/03-stories.en.md:{first + i}" for i in range(30)}
    code, out = _check(sample_set, monkeypatch)
    assert code == 2
    errors = [line for line in out if "nests more than 20 levels deep" in line]
    assert len(errors) == 1 and errors[0].rsplit(": the Markdown", 1)[0] in where, out
    _refused(sample_set, monkeypatch, errors[0])


def test_brackets_without_end_are_text(sample_set: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    story = sample_set / "fy2012/narrative/03-stories.en.md"
    story.write_text(story.read_text("utf-8") + "\n" + "[" * 1000 + "x\n", "utf-8")
    code, lines = _check(sample_set, monkeypatch)
    assert code == 0, lines


# Case 11: control characters are located errors wherever they are written.


def test_a_nul_or_vertical_tab_in_a_category_is_a_located_error(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    activities = sample_set / "fy2012/data/activities.csv"
    set_cell(activities, 3, "category", "Res\x00cue")
    set_cell(activities, 4, "category", "Public\x0bation")
    code, lines = _check(sample_set, monkeypatch)
    assert code == 2
    assert (
        "reports/fy2012/data/activities.csv:3: column 'category': character 4 is U+0000 (null), "
        "which is not text: delete it" in lines
    )
    _refused(
        sample_set,
        monkeypatch,
        "reports/fy2012/data/activities.csv:4: column 'category': character 7 is U+000B "
        "(vertical tab), which is not text: delete it",
    )


@pytest.mark.parametrize("char", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_control_characters_in_a_csv_cell(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch, char: str
) -> None:
    set_cell(sample_set / "fy2012/data/lobbying.csv", 3, "outcome", f"Agreed{char}.")
    code, lines = _check(sample_set, monkeypatch)
    assert code == 2
    assert (
        f"reports/fy2012/data/lobbying.csv:3: column 'outcome': character 7 is {describe(char)}, "
        "which is not text: delete it" in lines
    ), lines


def test_a_control_character_on_a_later_line_of_a_cell_is_located_on_that_line(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_cell(sample_set / "fy2012/data/lobbying.csv", 3, "outcome", "one\ntwo\nthree\x0c")
    code, lines = _check(sample_set, monkeypatch)
    assert code == 2
    assert any(
        line.startswith("reports/fy2012/data/lobbying.csv:5: column 'outcome': character 14 is")
        for line in lines
    ), lines


@pytest.mark.parametrize("char", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_control_characters_in_a_workbook_cell(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch, char: str
) -> None:
    data = sample_set / "fy2012/data"
    (data / "people.csv").unlink()
    rows = [["name", "role", "group", "visibility"], ["K. MARK", "Director", "board", "public"]]
    # XML 1.0 can carry DEL and C1 controls; the others only as a character
    # reference, which the XML parser refuses: either way, a located error.
    (data / "people.xlsx").write_bytes(_workbook(rows, (b"MARK", f"&#x{ord(char):X};".encode())))
    code, lines = _check(sample_set, monkeypatch)
    assert code == 2
    if char in "\x7f\x85":
        expected = (
            f"reports/fy2012/data/people.xlsx:Sheet!A2: column 'name': character 4 is "
            f"{describe(char)}, which is not text: delete it"
        )
    else:
        expected = "reports/fy2012/data/people.xlsx: cannot read the workbook: reference to "
    assert any(line.startswith(expected) for line in lines), lines


@pytest.mark.parametrize("char", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_control_characters_in_a_narrative_file(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch, char: str
) -> None:
    story = sample_set / "fy2012/narrative/03-stories.en.md"
    lines = story.read_text("utf-8").split("\n")
    lines[4] = f"ab{char}" + lines[4]
    story.write_text("\n".join(lines), "utf-8")
    code, out = _check(sample_set, monkeypatch)
    assert code == 2
    assert (
        f"reports/fy2012/narrative/03-stories.en.md:5: column 3 is {describe(char)}, which is "
        "not text: delete it" in out
    ), out


def test_control_characters_written_as_escapes_in_a_narrative_file(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file holds only text, but YAML and HTML escapes decode to what is not."""
    narrative = sample_set / "fy2012/narrative"
    replace(narrative / "03-stories.en.md", 'title: "Stories', 'title: "\\vStories')
    replace(narrative / "02-overview.en.md", "\n\n", "\n\nA form&#12;feed.\n\n")
    code, lines = _check(sample_set, monkeypatch)
    assert code == 2
    assert (
        "reports/fy2012/narrative/03-stories.en.md:3: front matter 'title': character 1 is "
        "U+000B (vertical tab), which is not text: delete it" in lines
    ), lines
    assert any(
        line.startswith("reports/fy2012/narrative/02-overview.en.md:")
        and line.endswith(
            "a character reference here stands for U+000C (form feed), which is not text: delete it"
        )
        for line in lines
    ), lines


@pytest.mark.parametrize("char", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
def test_control_characters_in_a_settings_value(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch, char: str
) -> None:
    escape = f"\\u{ord(char):04X}"  # TOML allows them only escaped
    settings = (sample_set / "organization.toml").read_text("utf-8")
    line = settings[: settings.index('short_name = "LFNKR"')].count("\n") + 1
    replace(sample_set / "organization.toml", 'short_name = "LFNKR"', f'short_name = "LF{escape}"')
    code, lines = _check(sample_set, monkeypatch)
    assert code == 2
    assert (
        f"reports/organization.toml:{line}: 'organization.short_name': character 3 is "
        f"{describe(char)}, which is not text: delete it" in lines
    ), lines


def test_templates_and_charts_never_emit_control_characters() -> None:
    from markupsafe import Markup

    from reportgen.composing.charts import ChartStyle, chart_by_category
    from reportgen.composing.key_figures import KeyFigures
    from reportgen.composing.palette import palette
    from reportgen.reading.model import Theme

    template = environment().from_string("<p>{{ text }}|{{ markup }}|{{ number }}</p>")
    out = template.render(text="a\x0bb<", markup=Markup("<b>c\x00\x85d</b>"), number=3)
    assert out == "<p>ab&lt;|<b>cd</b>|3</p>"
    assert clean("x\ud800\ufffe\x9f\ty\n") == "x\ty\n"
    none = Decimal(0)
    categories = (("Res\x00cue", 2), ("Pub\x0blication", 1))  # past validation, somehow
    figures = KeyFigures("FY2012", 3, 0, categories, (), (), 0, 0, 0, 0, (), none, none, (), (), ())
    style = ChartStyle(palette(Theme()), "Noto Sans", "en", "JPY")
    chart = chart_by_category(figures, style)
    assert chart is not None
    assert {"Rescue", "Publication"} <= set(_svg_texts(chart.svg))


# Case 12: a workbook is measured before it is parsed, and bounded while read.


def _bomb(path: Path, inflated_mb: int) -> None:
    """A valid workbook whose sheet is ``inflated_mb`` MB of rows, a few MB zipped."""
    valid = _workbook([["name", "role", "group", "visibility"]])
    row = b'<row><c t="inlineStr"><is><t>Bomb</t></is></c></row>' * 20_000
    row += b" " * (2**20 - len(row))  # exactly 1 MiB of rows and whitespace
    with zipfile.ZipFile(io.BytesIO(valid)) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, body, zipfile.ZIP_DEFLATED)
                continue
            # No declared size: openpyxl would stop at the one row it claims.
            body = re.sub(rb'<dimension ref="[^"]*"/>', b"", body)
            head, _, tail = body.partition(b"</sheetData>")
            member = zipfile.ZipInfo(info.filename)
            member.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(member, "w", force_zip64=True) as sink:
                sink.write(head)
                for _ in range(inflated_mb):
                    sink.write(row)
                sink.write(b"</sheetData>" + tail)


def test_a_zip_bomb_workbook_is_refused_before_parsing(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = sample_set / "fy2012/data"
    (data / "people.csv").unlink()
    _bomb(data / "people.xlsx", 500)
    assert (data / "people.xlsx").stat().st_size < 5 * 2**20
    started = time.perf_counter()
    _refused(
        sample_set,
        monkeypatch,
        "reports/fy2012/data/people.xlsx: the workbook's part xl/worksheets/sheet1.xml "
        "inflates to 500 MB; the limit is 64 MB",
    )
    print(f"zip bomb refused by check and build in {time.perf_counter() - started:.2f} s")


def test_a_highly_compressed_workbook_is_refused(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = sample_set / "fy2012/data"
    (data / "people.csv").unlink()
    _bomb(data / "people.xlsx", 20)
    code, lines = _check(sample_set, monkeypatch)
    assert code == 2
    assert any(
        line.startswith("reports/fy2012/data/people.xlsx: the workbook's part ")
        and "looks like a zip bomb" in line
        for line in lines
    ), lines


def test_rows_and_cells_are_bounded_while_reading(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = sample_set / "fy2012/data"
    (data / "people.csv").unlink()
    # A tiny sheet whose one row claims to be row 5,000,000: every row above
    # it is read as empty, and each costs time.
    cell = b'<c r="A5000000" t="inlineStr"><is><t>x</t></is></c>'
    far = (b"</row>", b'</row><row r="5000000">' + cell + b"</row>")
    (data / "people.xlsx").write_bytes(_workbook([["name", "role"]], far))
    code, lines = _check(sample_set, monkeypatch)
    assert code == 2
    assert any(
        line.startswith("reports/fy2012/data/people.xlsx:Sheet!A100002: the table is too large")
        for line in lines
    ), lines


def test_a_workbook_claiming_a_huge_size_is_read_by_its_cells(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = sample_set / "fy2012/data"
    rows = [line.split(",") for line in (data / "people.csv").read_text("utf-8").splitlines()]
    (data / "people.csv").unlink()
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[len(rows[0]) - 1]
    claimed = (
        f'<dimension ref="A1:{last}{len(rows)}"/>'.encode(),
        b'<dimension ref="A1:XFD1048576"/>',
    )
    book = _workbook(rows, claimed)
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        assert b"A1:XFD1048576" in archive.read("xl/worksheets/sheet1.xml")
    (data / "people.xlsx").write_bytes(book)
    code, lines = _check(sample_set, monkeypatch)
    assert code == 0, lines


def _far_rows() -> Iterator[str]:
    yield "name,role,group,visibility\n"
    for i in range(100_001):
        yield f"P{i},Staff,staff,public\n"


def test_a_csv_with_too_many_rows_is_refused(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (sample_set / "fy2012/data/people.csv").write_text("".join(_far_rows()), "utf-8")
    code, lines = _check(sample_set, monkeypatch)
    assert code == 2
    assert any(
        line.startswith("reports/fy2012/data/people.csv:100002: the table is too large")
        for line in lines
    ), lines


# Case 14: settings that are not UTF-8 say where; a long cell is not cut silently.


@pytest.mark.parametrize(
    ("file", "old"),
    [("fy2012/report.toml", "Annual Report FY2012"), ("organization.toml", "3-12-7 Kanda")],
)
def test_settings_that_are_not_utf8_give_line_and_column(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch, file: str, old: str
) -> None:
    path = sample_set / file
    text = path.read_text("utf-8")
    line = text[: text.index(old)].count("\n") + 1  # the line the sample has it on
    text = text.replace(old, f"Rapport annuel — {old} é", 1)
    column = text.split("\n")[line - 1].index("é") + 1  # in characters: '—' is 3 bytes
    path.write_bytes(text.encode("utf-8").replace("é".encode(), "é".encode("latin-1")))
    _refused(
        sample_set,
        monkeypatch,
        f"reports/{file}:{line}: the file is not valid UTF-8: byte 0xe9 at column {column}",
    )


def test_a_130_kb_cell_is_a_located_error_saying_the_limit(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 130 KB of pasted text, just under the csv module's own field limit (131,072).
    long_text = ("A line of a document pasted into one cell.\n" * 4000)[:130_000]
    set_cell(sample_set / "fy2012/data/activities.csv", 3, "description", long_text)
    _refused(
        sample_set,
        monkeypatch,
        f"reports/fy2012/data/activities.csv:3: column 'description': the cell holds "
        f"{len(long_text):,} characters; the limit is {MAX_CELL_CHARS:,}",
    )


def test_a_cell_at_the_limit_is_accepted(sample_set: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    set_cell(sample_set / "fy2012/data/activities.csv", 3, "description", "a" * MAX_CELL_CHARS)
    code, lines = _check(sample_set, monkeypatch)
    assert code == 0, lines
