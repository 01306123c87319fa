"""Pagination and print production (issue 27): each preflight rule sees its
fault planted in a small document laid out by real WeasyPrint, and does not
see it once the pagination rules of print.css.j2 (or the layout passes of
``pdf.render_pdf``) are applied; the sample, built, has none of them; the
print settings make the PDF boxes and page counts a print shop asks for."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from reportgen.commands.build import run_build
from reportgen.core.editions import EDITIONS
from reportgen.core.file_gate import Gate
from reportgen.typesetting import preflight
from reportgen.typesetting.pdf import foreseen_sharing, render_pdf
from reportgen.typesetting.preflight import Finding, Layout
from tests.conftest import BuiltSample

FILL = "<p>" + "The quick brown fox jumps over the lazy dog. " * 30 + "</p>"
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
@page { size: A5; margin: 20mm 15mm;
        @top-right { content: string(section, %s); font: 8pt "DejaVu Sans"; } }
body { font: 10pt/1.4 "DejaVu Sans"; margin: 0; }
p { margin: 0 0 3mm; }
h2 { string-set: section content(text); margin: 0 0 3mm; }
table { width: 100%%; border-collapse: collapse } td, th { padding: 1.5mm; }
%s</style></head><body><main>%s</main></body></html>"""
# The rules of templates/css/print.css.j2 that the faults below break.
ROWS_RULE = (
    "tbody > tr:nth-child(-n+2):not(:last-child) { break-after: avoid; }"
    "tbody > tr:nth-last-child(-n+2):not(:first-child) { break-before: avoid; }"
)
FIGURE_RULE = "h2 { break-after: avoid; } figure { break-inside: avoid; }"


def _made(tmp_path: Path, body: str, css: str = "", head: str = "start", **options: object):
    page = PAGE % (head, css, body)
    return render_pdf(page, tmp_path, Gate.of(tmp_path), preflight="doc.pdf", **options)  # type: ignore[arg-type]


def _kinds(findings: tuple[Finding, ...] | list[Finding]) -> set[tuple[int, str]]:
    return {(f.page, f.kind) for f in findings}


def _table(rows: int) -> str:
    body = "".join(f"<tr><td>Row {n}</td><td>Something done</td></tr>" for n in range(1, rows + 1))
    return f"<table><thead><tr><th>Row</th><th>What</th></tr></thead><tbody>{body}</tbody></table>"


def _filler(mm: float) -> str:
    return f'<div style="height: {mm}mm; border-top: 1px solid #888"></div>'


@pytest.mark.parametrize("rows", [40, 5])
def test_table_remnants_planted_then_held_by_the_row_rules(tmp_path: Path, rows: int) -> None:
    # A filler that leaves room for exactly two rows and the header before the break.
    body = "<section><h2>Activities</h2>" + _filler(140) + _table(rows) + "</section>"
    planted = _made(tmp_path, body)
    remnants = [f for f in planted.findings if f.kind == preflight.TABLE_REMNANT]
    assert remnants and remnants[0].page == 1, planted.findings
    assert "alone on this page" in remnants[0].message
    held = _made(tmp_path, body, ROWS_RULE)
    assert not [f for f in held.findings if f.kind == preflight.TABLE_REMNANT], held.findings


def test_a_short_table_does_not_hold_the_next_section_to_it(tmp_path: Path) -> None:
    # The row rules applied to a table's last row too: its break-after: avoid
    # was the table's, held the next section's heading and chart to it, and
    # all went to the next page, leaving this one near-empty.
    figure = '<figure style="margin: 0"><div style="height: 60mm; background: #369"></div></figure>'
    body = (
        _filler(95) + "<section><h2>Coalitions</h2>" + _table(2) + "</section>"
        "<section><h2>Advocacy</h2>" + figure + FILL + "</section>"
    )
    held = _made(tmp_path, body, FIGURE_RULE + ROWS_RULE.replace(":not(:last-child)", "")
                 .replace(":not(:first-child)", ""))  # fmt: skip
    assert (1, preflight.NEAR_EMPTY) in _kinds(held.findings), held.findings
    freed = _made(tmp_path, body, FIGURE_RULE + ROWS_RULE)
    assert not [f for f in freed.findings if f.kind == preflight.NEAR_EMPTY], freed.findings


def test_a_running_head_from_lower_on_the_page_is_a_fault(tmp_path: Path) -> None:
    body = (
        "<section><h2>Stories</h2>" + FILL + FILL + "</section>"
        "<section><h2>Coalitions</h2><p>Short.</p></section>"
    )
    first = _made(tmp_path, body, head="first")
    heads = [f for f in first.findings if f.kind == preflight.RUNNING_HEAD]
    assert heads and "“Coalitions”" in heads[0].message and "“Stories”" in heads[0].message
    start = _made(tmp_path, body, head="start")
    assert not [f for f in start.findings if f.kind == preflight.RUNNING_HEAD]


def test_a_panel_that_opens_its_page_names_it_in_the_running_head(tmp_path: Path) -> None:
    """Review r35 ja F-5: a box with a background (the donor edition's gift
    panel) whose heading opens the page names it; the same panel lower on
    a page does not."""
    panel = (
        '<section style="background: #eee; padding: 4mm{}"><h2>Your gift at work</h2>'
        "<p>Short.</p></section><section><h2>Highlights</h2><p>Short.</p></section>"
    )
    story = "<section><h2>Stories</h2>" + FILL + "</section>"
    opening = _made(tmp_path, story + panel.format("; break-before: page"))
    assert opening.pages == 2
    assert not [f for f in opening.findings if f.kind == preflight.RUNNING_HEAD], opening.findings
    long_story = "<section><h2>Stories</h2>" + FILL * 2 + "</section>"
    lower = _made(tmp_path, long_story + panel.format(""), head="first")
    heads = [f for f in lower.findings if f.kind == preflight.RUNNING_HEAD]
    assert heads and "“Your gift at work”" in heads[0].message, lower.findings


def test_a_figure_apart_from_its_heading(tmp_path: Path) -> None:
    figure = (
        '<figure style="margin: 0"><figcaption>Activities by month</figcaption>'
        '<div style="height: 60mm; background: #369"></div></figure>'
    )
    body = "<section>" + _filler(125) + "<h2>The year in figures</h2>" + figure + "</section>"
    # (WeasyPrint's own stylesheet keeps headings with what follows: undone here.)
    apart = _made(tmp_path, body, "figure { break-inside: avoid; } h2 { break-after: auto; }")
    found = [f for f in apart.findings if f.kind == preflight.FIGURE_APART]
    assert found and "“The year in figures” on page 1" in found[0].message, apart.findings
    kept = _made(tmp_path, body, FIGURE_RULE)
    assert not [f for f in kept.findings if f.kind == preflight.FIGURE_APART], kept.findings


SECTIONS = (
    '<section id="one"><h2>Message</h2>' + FILL + "</section>"
    '<section id="two"><h2>About this report</h2><p>Two lines of text.</p></section>'
    '<section id="three"><h2>People</h2>' + FILL + FILL + "</section>"
)
PAGED = "main > section { break-before: page; }"


def test_a_short_section_alone_on_a_page_is_found_and_then_shares(tmp_path: Path) -> None:
    # Without the edition's policy (no second layout) the fault is found ...
    alone = _made(tmp_path, SECTIONS, PAGED)
    short = [f for f in alone.findings if f.kind == preflight.SHORT_PAGE]
    assert [f.page for f in short] == [1] and "“About this report”" in short[0].message
    # ... and with it the short section shares the page before, on purpose.
    shared = _made(tmp_path, SECTIONS, PAGED, layout=Layout("page"))
    assert shared.pages == alone.pages - 1
    assert not [f for f in shared.findings if f.kind == preflight.SHORT_PAGE], shared.findings
    assert not [f for f in shared.findings if f.kind == preflight.SECTION_BREAK]


# The annual report's imprint: a page of its own kind, the text at its foot.
IMPRINT = (
    "@page imprint { } .imprint { page: imprint; break-before: page; min-height: 160mm;"
    " display: flex; flex-direction: column; justify-content: flex-end; }"
)


@pytest.mark.parametrize("imprint_mm", [20, 120])
def test_the_imprint_shares_the_last_page_when_it_fits(tmp_path: Path, imprint_mm: int) -> None:
    body = (
        '<section id="people"><h2>Board</h2>' + _filler(60) + "</section>"
        '<section id="about" class="imprint" data-preflight="sparse"><h2>About this report</h2>'
        + _filler(imprint_mm)
        + "</section>"
    )
    alone = _made(tmp_path, body, PAGED + IMPRINT)
    # Where it stands, on its planned page, it is no fault (the board's page
    # is: more than 40 % empty) ...
    assert {(1, preflight.NEAR_EMPTY)} == _kinds(alone.findings)
    # ... but when it fits under the board (a page 60 % empty) it goes there,
    # at its content's height; when it does not, it keeps its page (at the foot).
    shared = _made(tmp_path, body, PAGED + IMPRINT, layout=Layout("page"))
    fits = imprint_mm < 60
    assert shared.shared == (("about",) if fits else ())
    assert shared.pages == alone.pages - (1 if fits else 0)
    assert _kinds(shared.findings) == (set() if fits else {(1, preflight.NEAR_EMPTY)})


def test_a_long_section_runs_on_from_a_page_left_more_than_half_empty(tmp_path: Path) -> None:
    body = (
        '<section id="one"><h2>Message</h2><p>A short message, a few lines.</p></section>'
        '<section id="two"><h2>Activities</h2>' + _table(40) + "</section>"
    )
    forced = _made(tmp_path, body, PAGED + ROWS_RULE)
    shared = _made(tmp_path, body, PAGED + ROWS_RULE, layout=Layout("page"))
    assert shared.pages == forced.pages - 1
    kinds = {f.kind for f in shared.findings}
    assert not kinds & {preflight.SECTION_BREAK, preflight.SHORT_PAGE, preflight.TABLE_REMNANT}


def test_a_page_left_near_empty_is_found_unless_last_or_planned(tmp_path: Path) -> None:
    # Half the page, then a forced break: more than 40 % empty, yet over a
    # third full (the sparse rule's), so only the near-empty rule sees it.
    body = (
        '<section id="one"><h2>Coalitions</h2>' + _filler(85) + "</section>"
        '<section id="two"><h2>Advocacy</h2>' + FILL + "</section>"
        '<section id="three" style="page: notes"><h2>Notes</h2>' + _filler(20) + "</section>"
    )
    forced = _made(tmp_path, body, PAGED)
    assert forced.pages == 3
    found = [f for f in forced.findings if f.kind == preflight.NEAR_EMPTY]
    # The planted page; not the notes page, planned and the document's last.
    assert [f.page for f in found] == [1], forced.findings
    assert "44 % empty" in found[0].message  # a heading and 85 mm of 170 mm
    assert not [f for f in forced.findings if f.kind == preflight.SPARSE]
    planned = _made(tmp_path, body.replace('id="one"', 'id="one" data-preflight="sparse"'), PAGED)
    assert not [f for f in planned.findings if f.kind == preflight.NEAR_EMPTY]
    # The edition's policy lets the section run on from the page it would leave so.
    shared = _made(tmp_path, body, PAGED, layout=Layout("page"))
    assert not [f for f in shared.findings if f.page == 1 and f.kind == preflight.NEAR_EMPTY]


def test_sections_against_the_editions_policy(tmp_path: Path) -> None:
    # "page": a long section that starts mid-page; "run-on": a forced page.
    mixed = _made(
        tmp_path,
        SECTIONS.replace("<p>Two lines of text.</p>", FILL),
        PAGED + "#three { break-before: auto; }",
        layout=Layout("page"),
    )
    found = [f for f in mixed.findings if f.kind == preflight.SECTION_BREAK]
    assert found and "“People” starts low on a page" in found[0].message, mixed.findings
    run_on = _made(tmp_path, SECTIONS, "#three { break-before: page; }", layout=Layout("run-on"))
    found = [f for f in run_on.findings if f.kind == preflight.SECTION_BREAK]
    assert found and "“People” starts a new page" in found[0].message


def test_every_edition_declares_one_section_break_policy() -> None:
    assert {e.section_breaks for e in EDITIONS.values()} <= {"page", "run-on"}
    css = (Path(__file__).parents[1] / "templates" / "css" / "print.css.j2").read_text()
    # The breaks of top-level sections come from the policy's class alone.
    found = re.findall(r"([^\n{}]*main > section)\s*\{[^}]*break-before", css)
    assert found == [".breaks-page main > section"]


BAND = '<div class="band" style="height: 40mm; background: #1f3a5f; margin: -20mm -15mm 0"></div>'


def test_bleed_boxes_and_a_band_that_stops_at_the_trim(tmp_path: Path) -> None:
    bleed = "@page { bleed: 3mm; }"
    short = _made(tmp_path, BAND + FILL, bleed, layout=Layout(bleed=True))
    found = [f for f in short.findings if f.kind == preflight.NO_BLEED]
    assert found and "left and top and right trim edge" in found[0].message
    without = _made(tmp_path, BAND + FILL, layout=Layout(bleed=True))
    assert [f for f in without.findings if f.kind == preflight.NO_BLEED]
    reaching = BAND.replace("-20mm -15mm 0", "-23mm -18mm 0")
    made = _made(tmp_path, reaching + FILL, bleed, layout=Layout(bleed=True))
    assert not [f for f in made.findings if f.kind == preflight.NO_BLEED], made.findings
    pdf = pikepdf.open(__import__("io").BytesIO(made.data))
    page = pdf.pages[0]
    media, trim, box = (
        [float(v) for v in page.obj[k]] for k in ("/MediaBox", "/TrimBox", "/BleedBox")
    )
    bleed_pt = 3 * 72 / 25.4
    assert trim[0] - media[0] == pytest.approx(bleed_pt, abs=0.05)
    assert media[2] - trim[2] == pytest.approx(bleed_pt, abs=0.05)
    assert box == pytest.approx(media, abs=0.05)


NOTES = (
    "<!doctype html><html><head><style>@page { size: A5; margin: 20mm 15mm; } "
    ".notes-page { page: notes; break-before: page; }</style></head><body>"
    + '<section class="notes-page"><h2>Notes</h2></section>' * 3
    + "</body></html>"
)


def test_page_count_padded_with_notes_pages_before_the_back_cover(tmp_path: Path) -> None:
    body = FILL * 3 + '<div style="page: back; break-before: page">Back cover</div>'
    plain = _made(tmp_path, body, layout=Layout(multiple=4))
    assert plain.pages % 4 and (plain.pages, preflight.PAGE_COUNT) in _kinds(plain.findings)
    padded = _made(tmp_path, body, layout=Layout(multiple=4), notes=NOTES)
    assert padded.pages == 4
    assert not [f for f in padded.findings if f.kind == preflight.PAGE_COUNT]
    pdf = pikepdf.open(__import__("io").BytesIO(padded.data))
    texts = [b"Notes" in p.obj.Contents.read_bytes() or p.obj.Resources for p in pdf.pages]
    assert len(texts) == 4
    # Padded by three notes pages: more than a spread reads as blank pages.
    short = _made(tmp_path, "<p>A page.</p>", layout=Layout(multiple=4), notes=NOTES)
    counted = [f for f in short.findings if f.kind == preflight.PAGE_COUNT]
    assert short.pages == 4 and [f.page for f in counted] == [2], short.findings
    assert "3 notes pages make up the count of 4" in counted[0].message
    assert "fit the content to 4 pages" in counted[0].message
    # The inside back cover (a page named imprint) stays before the back cover.
    from tests.pdfparse import ParsedPdf

    closing = (
        '<p>A page.</p><div style="page: imprint; break-before: page">About this report</div>'
        '<div style="page: back; break-before: page">Back cover</div>'
    )
    # A notes page has the folio of its place, as every page does (review
    # r35, 5): its document's page counter goes on from the page before it.
    folio = NOTES.replace(
        "margin: 20mm 15mm;", 'margin: 20mm 15mm; @bottom-right { content: "p" counter(page) }'
    )
    made = _made(tmp_path, closing, layout=Layout(multiple=4), notes=folio)
    (tmp_path / "closing.pdf").write_bytes(made.data)
    parsed = ParsedPdf(tmp_path / "closing.pdf")
    texts = [parsed.text(n).strip() for n in range(1, parsed.page_count + 1)]
    assert [t.split()[0] for t in texts] == ["A", "Notes", "About", "Back"], texts
    assert "p2" in texts[1].split(), texts[1]
    # With the imprint set first in the notes document, that page takes the
    # lone imprint's place: the text ends with it, the notes come after it.
    first = folio.replace(
        "<body>",
        '<body><section class="narrative imprint imprint-first" style="page: imprint-first">'
        "About, at the top</section>",
    )
    made = _made(tmp_path, closing, layout=Layout(multiple=4), notes=first)
    (tmp_path / "closing.pdf").write_bytes(made.data)
    parsed = ParsedPdf(tmp_path / "closing.pdf")
    texts = [parsed.text(n).strip() for n in range(1, parsed.page_count + 1)]
    assert [t.split()[0] for t in texts] == ["A", "About,", "Notes", "Back"], texts
    assert "p2" in texts[1].split() and "p3" in texts[2].split(), texts
    # A book whose imprint shares a page leaves that page out.
    shared = '<p>A page.</p><div style="page: back; break-before: page">Back cover</div>'
    made = _made(tmp_path, shared, layout=Layout(multiple=4), notes=first)
    (tmp_path / "shared.pdf").write_bytes(made.data)
    parsed = ParsedPdf(tmp_path / "shared.pdf")
    texts = [parsed.text(n).strip() for n in range(1, parsed.page_count + 1)]
    assert [t.split()[0] for t in texts] == ["A", "Notes", "Notes", "Back"], texts
    assert "p2" in texts[1].split(), texts[1]
    # The page of the ways to give comes first where the book needs padding
    # (review r36), in the folios' sequence; the imprint set first carries
    # the ways to give itself, and the notes pages follow it.
    giving = first.replace(
        "About, at the top</section>",
        "About, at the top</section>"
        '<section id="giving-page" style="page: giving; break-before: page">Giving</section>',
    )
    for body, expected in (
        (shared, ["A", "Giving", "Notes", "Back"]),
        (closing, ["A", "About,", "Notes", "Back"]),
    ):
        made = _made(tmp_path, body, layout=Layout(multiple=4), notes=giving)
        (tmp_path / "giving.pdf").write_bytes(made.data)
        parsed = ParsedPdf(tmp_path / "giving.pdf")
        texts = [parsed.text(n).strip() for n in range(1, parsed.page_count + 1)]
        assert [t.split()[0] for t in texts] == expected, texts
        assert "p2" in texts[1].split() and "p3" in texts[2].split(), texts
    # Ways to give longer than a page: notes pages only, numbered on.
    long = giving.replace(">Giving</section>", ">Giving" + "<p>Line.</p>" * 60 + "</section>")
    made = _made(tmp_path, shared, layout=Layout(multiple=4), notes=long)
    (tmp_path / "giving.pdf").write_bytes(made.data)
    parsed = ParsedPdf(tmp_path / "giving.pdf")
    texts = [parsed.text(n).strip() for n in range(1, parsed.page_count + 1)]
    assert [t.split()[0] for t in texts] == ["A", "Notes", "Notes", "Back"], texts
    assert "p2" in texts[1].split() and "p3" in texts[2].split(), texts


def test_a_letter_without_its_blank_back_for_duplex(tmp_path: Path) -> None:
    """``[print] duplex_letters``: a one-page letter alone is a page-count
    fault; with its blank back it is not, and the letter's page, though
    short, is its last (no near-empty page)."""
    letter = "<p>Dear friend,</p><p>" + "Thank you for your gift this year. " * 20 + "</p>"
    alone = _made(tmp_path, letter, layout=Layout(multiple=2))
    assert (1, preflight.PAGE_COUNT) in _kinds(alone.findings), alone.findings
    back = '<div style="page: blank; break-before: page"></div>'
    backed = _made(tmp_path, letter + back, "@page blank { @top-right { content: none } }",
                   layout=Layout(multiple=2))  # fmt: skip
    assert backed.pages == 2
    kinds = {f.kind for f in backed.findings}
    assert not kinds & {preflight.PAGE_COUNT, preflight.NEAR_EMPTY, preflight.SPARSE}, (
        backed.findings
    )
    # The same page followed by another of text would be near-empty.
    more = _made(tmp_path, letter + '<p style="break-before: page">P.S.</p>')
    assert (1, preflight.NEAR_EMPTY) in _kinds(more.findings), more.findings


def test_the_sample_has_none_of_the_pagination_faults(
    built_sample: BuiltSample, tmp_path: Path
) -> None:
    from reportgen.writing.cache import FOLDER

    shutil.copytree(built_sample.out / FOLDER, tmp_path / "out" / FOLDER)
    result = run_build(built_sample.reports / "fy2012", tmp_path / "out", workers=1)
    kinds = (preflight.TABLE_REMNANT, preflight.FIGURE_APART, preflight.RUNNING_HEAD,
             preflight.SHORT_PAGE, preflight.SECTION_BREAK)  # fmt: skip
    faults = [d.message for d in result.diagnostics if any(f": {k}:" in d.message for k in kinds)]
    assert faults == []
    # No annual report of the sample (en, ja, ko) has a page left near-empty.
    empty = [
        f"{d.location.path}: {d.message}"
        for d in result.diagnostics
        if f": {preflight.NEAR_EMPTY}:" in d.message and "annual-report" in str(d.location.path)
    ]
    assert empty == []


def test_print_settings_through_a_build(small_set: Path, tmp_path: Path) -> None:
    """One build of the small root with every [print] setting: bleed boxes on
    the editions, bound editions padded with notes pages before the back
    cover, the loose handout not, each one-page letter followed by a blank
    back; and no preflight finding of the print rules."""
    import io

    from tests import pdfua
    from tests.pdfparse import ParsedPdf

    report = small_set / "fy2012" / "report.toml"
    report.write_text(
        report.read_text("utf-8")
        + "\n[print]\nbleed = true\npad_to_multiple_of = 4\nduplex_letters = true\n",
        "utf-8",
    )
    # The organisation gives its ways to give: the annual report's first
    # page that makes up the count asks for support with them (review r36).
    org = small_set / "organization.toml"
    org.write_text(
        org.read_text("utf-8").replace(
            'email = "office@example.org"\n',
            'email = "office@example.org"\ngiving = "By bank transfer to account 1234."\n',
        ),
        "utf-8",
    )
    result = run_build(small_set / "fy2012", tmp_path / "out", workers=1)
    kinds = (preflight.NO_BLEED, preflight.PAGE_COUNT)
    # (The small root's donor edition is 5 pages, made up to 8 with three notes
    # pages: a fault of its length, not of the padding, seen on its own.)
    assert not [
        d
        for d in result.diagnostics
        if any(f": {k}:" in d.message for k in kinds) and "notes pages make up" not in d.message
    ], [d.message for d in result.diagnostics]
    out = tmp_path / "out" / "fy2012"
    bleed_pt = 3 * 72 / 25.4
    for name, bound in (("annual-report", True), ("donor", True), ("handout", False)):
        pdf = pikepdf.open(out / f"{name}.pdf")
        media, trim = ([float(v) for v in pdf.pages[0].obj[k]] for k in ("/MediaBox", "/TrimBox"))
        assert trim[0] - media[0] == pytest.approx(bleed_pt, abs=0.05), name
        if bound:
            assert len(pdf.pages) % 4 == 0, name
    parsed = ParsedPdf(out / "annual-report.pdf")
    texts = [parsed.text(n) for n in range(1, parsed.page_count + 1)]
    notes = [n for n, page in enumerate(texts) if page.strip().startswith("Notes")]
    assert notes and max(notes) == len(texts) - 2 and min(notes) == len(texts) - 1 - len(notes)
    # Before the notes pages, the page of the ways to give, in the folio's
    # sequence, with the contacts and a reply slip; the back cover still
    # closes the book.
    giving = texts[min(notes) - 1]
    assert giving.strip().startswith("Supporting our work"), giving
    assert "account 1234" in giving and "office@example.org" in giving and "Reply slip" in giving
    assert str(min(notes)) in giving.split(), giving  # its folio: its place in the book
    # The donor edition gives the ways to give in its reply strip and back
    # page: its notes pages are notes pages only.
    donor = ParsedPdf(out / "donor.pdf")
    assert not any("Reply slip" in donor.text(n) for n in range(1, donor.page_count + 1))
    letters = sorted((out / "donors").glob("*.pdf"))
    assert letters
    # Pages joined from another layout (notes) and the blank back keep PDF/UA.
    assert pdfua.check(out / "annual-report.pdf") == []
    assert pdfua.check(letters[0]) == []
    for letter in letters:
        pdf = pikepdf.open(io.BytesIO(letter.read_bytes()))
        labels = pdf.Root.PageLabels.Nums
        assert int(labels[2]) % 2 == 0, letter.name  # the letter's pages: even
        assert ParsedPdf(letter).text(int(labels[2])) == ""  # its last: the blank back


def test_print_settings_are_checked_with_their_line(small_set: Path) -> None:
    from reportgen.commands.build import run_check

    report = small_set / "fy2012" / "report.toml"
    report.write_text(
        report.read_text("utf-8")
        + '\n[print]\nbleed = "yes"\npad_to_multiple_of = 0\nduplx_letters = true\n',
        "utf-8",
    )
    lines = len(report.read_text("utf-8").splitlines())
    found = {d.message: d for d in run_check(small_set / "fy2012").diagnostics}
    assert found["'bleed': 'yes' is not true or false"].location.line == lines - 2
    assert any(m.startswith("'pad_to_multiple_of': 0 is not a whole number") for m in found)
    assert any("did you mean 'duplex_letters'" in m for m in found)


def _page(starts: list[preflight._Start], bottom: float) -> preflight._Scan:
    """A laid-out page as the preflight sees it: 1000 px of page area from 0."""
    page = preflight._Scan(name="", blank=False, top=0.0, height=1000.0, width=700.0,
                           full_height=1100.0, bleed=(0.0,) * 4, bottom=bottom)  # fmt: skip
    page.starts = starts
    page.elements = {id(s.element): s.element for s in starts}
    return page


def _opening(name: str, bottom: float) -> preflight._Start:
    from xml.etree.ElementTree import Element

    return preflight._Start(Element("section", id=name), name, name.title(), 0.0, bottom,
                            forced=True, at_top=True)  # fmt: skip


def test_sharing_foreseen_from_one_layout_sees_what_the_rounds_would() -> None:
    # A page over 40 % empty, a long section that runs on to a page three
    # quarters full, a short section that does not fit there: sharing moves
    # the long one up, whose end then leaves room for the short one (what
    # only a second round would see), foreseen from the one layout.
    one, two, three = _opening("one", 550.0), _opening("two", 1000.0), _opening("three", 200.0)
    tail = _page([], 750.0)
    tail.elements = {id(two.element): two.element}
    seen = preflight.Inspection([], "")
    seen.scans = [_page([one], 550.0), _page([two], 1000.0), tail, _page([three], 200.0)]
    seen.parts = (preflight.Part("", 0, 4),)
    assert seen.shareable() == ("two",)
    after = seen.foreseen(("two",))
    gap = preflight.SECTION_GAP
    assert [p.bottom for p in after.scans] == [1000.0, 1000.0, pytest.approx(300 + gap), 200.0]
    assert after.shareable() == ("three",)
    assert foreseen_sharing(seen, Layout("page"), None) == ("two", "three")
    last = seen.foreseen(("two", "three")).scans
    assert len(last) == 3 and [s.id for s in last[2].starts] == ["three"]


def test_sharing_foreseen_is_what_the_layouts_choose(tmp_path: Path) -> None:
    from weasyprint import HTML

    body = (
        '<section id="one"><h2>Message</h2><p>A short message, a few lines.</p></section>'
        '<section id="two"><h2>Activities</h2>' + _table(44) + "</section>"
        '<section id="three"><h2>People</h2><p>Two lines of text.</p></section>'
    )
    html = PAGE % ("start", PAGED + ROWS_RULE, body)
    page = Layout("page")
    first = preflight.Inspection(HTML(string=html).render().pages, "", layout=page)
    made = render_pdf(html, tmp_path, Gate.of(tmp_path), layout=page)
    assert set(foreseen_sharing(first, page, None)) == set(made.shared) == {"two", "three"}
