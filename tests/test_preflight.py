"""The preflight: each fault planted in a small document laid out by real
WeasyPrint and seen on the right page; clean documents with no finding; the
PDF unchanged by it; and through real builds of a copy of the small test
root (tests/roots/small) with a fault planted by a theme: located warnings,
again from the cache, and ``--strict`` failing with nothing written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.commands.build import run_build
from reportgen.core.editions import edition
from reportgen.core.file_gate import Gate
from reportgen.typesetting import preflight
from reportgen.typesetting.pdf import render_pdf
from reportgen.typesetting.preflight import Finding
from tests.conftest import copy_root
from tests.test_theme import _theme

# Prose long enough to fill most of an A5 page at 10 pt.
FILL = "<p>" + "The quick brown fox jumps over the lazy dog. " * 38 + "</p>"
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
@page { size: A5; margin: 20mm 15mm;
        @top-left { content: "Running head of the report"; font: 9pt "DejaVu Sans"; } }
body { font: 10pt/1.4 "DejaVu Sans"; margin: 0; }
p { margin: 0 0 3mm; }
%s</style></head><body>%s</body></html>"""


def _findings(tmp_path: Path, body: str, css: str = "") -> list[Finding]:
    """Lay ``body`` out as reportgen renders a PDF, and return the preflight's findings."""
    made = render_pdf(PAGE % (css, body), tmp_path, Gate.of(tmp_path), preflight="doc.pdf")
    assert made.data.startswith(b"%PDF")
    return list(made.findings)


def _kinds(findings: list[Finding]) -> set[tuple[int, str]]:
    return {(f.page, f.kind) for f in findings}


def test_a_clean_multi_page_document_has_no_finding(tmp_path: Path) -> None:
    rows = "".join(
        f"<tr><td>{n} May 2024</td><td>Meeting with the council number {n}</td>"
        f"<td>Advocacy</td></tr>" for n in range(1, 29)
    )  # fmt: skip
    body = (
        '<section class="cover" data-preflight="sparse"><h1>Annual Report 2024</h1></section>'
        '<h2 style="break-before: page">The year</h2>' + FILL + "<h2>In detail</h2>" + FILL
        + "<h3>Meetings</h3><table><thead><tr><th>Date</th><th>What</th><th>Kind</th></tr>"
        f"</thead><tbody>{rows}{rows}</tbody></table>" + FILL + "<p>Thank you.</p>"
    )  # fmt: skip
    css = "table { width: 100%; border-collapse: collapse } td, th { padding: 1mm; }"
    assert _findings(tmp_path, body, css) == []


def test_text_over_text_running_head_over_a_kicker(tmp_path: Path) -> None:
    # The kicker is pulled up into the top margin, where the running head prints.
    body = (
        '<p style="margin-top: -14mm; text-transform: uppercase">Kicker of the title band</p>'
        + FILL + '<p style="break-before: page">Page two is clean.</p>' + FILL
    )  # fmt: skip
    found = [f for f in _findings(tmp_path, body) if f.kind == preflight.OVERLAP]
    assert [(f.document, f.page) for f in found] == [("doc.pdf", 1)]
    assert "KICKER OF THE TITLE BAND" in found[0].message
    assert "Running head of the report" in found[0].message
    # Marked as deliberate, the same geometry is no finding.
    marked = body.replace("<p style", '<p data-preflight="overlap" style', 1)
    assert preflight.OVERLAP not in {f.kind for f in _findings(tmp_path, marked)}


def test_text_over_text_in_one_flow_a_cell_overflowing_into_the_next(tmp_path: Path) -> None:
    body = FILL + (
        '<table style="table-layout: fixed; width: 60mm"><tr>'
        '<td style="width: 10mm; white-space: nowrap">Overflowingcelltext</td>'
        "<td>Neighbour</td></tr></table>"
    )
    found = _findings(tmp_path, body)
    assert (1, preflight.OVERLAP) in _kinds(found)
    assert (1, preflight.OUTSIDE) in _kinds(found)


def test_text_over_a_painted_box_and_painted_boxes_that_touch(tmp_path: Path) -> None:
    """Review 2: a note pulled up into the key-figure tiles, and a strip whose
    corner met the next heading's bar; the text-only check saw neither."""
    tiles = (
        '<div style="display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; margin-bottom: 3mm">'
        '<div style="background: #eee; padding: 3mm">32 activities</div>'
        '<div style="background: #eee; padding: 3mm">16 meetings</div></div>'
    )
    note = '<p style="margin-top: -5mm; border-left: 1mm solid red">These figures include more.</p>'
    strip = '<aside style="background: #fee; padding: 3mm">How to give</aside>'
    bar = (
        '<h2 style="margin: 0"><span style="display: block; height: 2mm; background: red">'
        "</span>Highlights</h2>"
    )
    found = _findings(tmp_path, tiles + note + strip + bar)
    messages = [f.message for f in found if f.kind == preflight.OVERLAP]
    assert any("These figures include more." in m and "painted" in m for m in messages), messages
    assert any("How to give" in m and "touch" in m for m in messages), messages
    spaced = (
        (tiles + note + strip + bar)
        .replace("-5mm", "1mm")
        .replace('padding: 3mm">How', 'padding: 3mm; margin-bottom: 6mm">How')
    )
    assert preflight.OVERLAP not in {f.kind for f in _findings(tmp_path, spaced)}


def test_content_outside_its_box_and_the_page(tmp_path: Path) -> None:
    body = (
        FILL + '<div style="break-before: page; width: 60mm">'
        '<table style="width: 100mm"><tr><td>A table wider than its column</td></tr></table>'
        "</div>" + FILL
        + '<div style="break-before: page"><p style="position: absolute; left: 130mm">'
        "Past the edge</p></div>" + FILL
    )  # fmt: skip
    found = [f for f in _findings(tmp_path, body) if f.kind == preflight.OUTSIDE]
    assert [f.page for f in found] == [2, 3]  # once per element, not per line
    assert "wider than its box" in found[0].message and "A table wider" in found[0].message
    assert "past the edge of the page" in found[1].message
    assert "Past the edge" in found[1].message


def test_hanging_punctuation_and_bleed_are_not_outside(tmp_path: Path) -> None:
    body = (
        '<blockquote><p><span style="display: inline-block; width: 0; margin: 0 0.5em 0 -0.5em">'
        "“</span>A quotation that hangs its mark.</p></blockquote>"
        '<div data-preflight="bleed" style="margin: 0 -20mm; background: #234">'
        '<img style="width: 158mm; height: 20mm; display: block" src="data:image/svg+xml,'
        '%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%2210%22 height=%2210%22/%3E" '
        'alt="band"></div>' + FILL[:1500] + "</p>"
    )
    assert preflight.OUTSIDE not in {f.kind for f in _findings(tmp_path, body)}
    unmarked = body.replace(' data-preflight="bleed"', "")
    assert (1, preflight.OUTSIDE) in _kinds(_findings(tmp_path, unmarked))


def test_sparse_page_before_a_forced_break(tmp_path: Path) -> None:
    body = FILL + FILL[:400] + "</p>" + '<section style="break-before: page">' + FILL + "</section>"
    found = [f for f in _findings(tmp_path, body) if f.kind == preflight.SPARSE]
    assert [f.page for f in found] == [2]
    assert " % full" in found[0].message
    marked = body.replace("<section ", '<section data-preflight="sparse-before" ')
    assert preflight.SPARSE not in {f.kind for f in _findings(tmp_path, marked)}


def test_short_last_pages_covers_and_blank_pages_are_not_sparse(tmp_path: Path) -> None:
    body = (
        '<section data-preflight="sparse"><h1>Cover</h1></section>'
        '<section style="break-before: right">' + FILL + "</section>"
        "<p style='break-before: page'>A short closing page.</p>"
    )
    assert _findings(tmp_path, body) == []


def test_a_last_page_holding_only_the_tail_of_a_table_is_sparse(tmp_path: Path) -> None:
    # The page fits four of the six rows: two spill onto a last page of their own.
    rows = "".join(f"<tr><td>Row {n}</td><td>Something happened</td></tr>" for n in range(6))
    body = FILL + f"<table>{rows}</table>"
    found = _findings(tmp_path, body)
    pages = max(f.page for f in found) if found else 0
    sparse = [f for f in found if f.kind == preflight.SPARSE]
    assert sparse and sparse[0].page == pages == 2
    assert "the end of what the page before began" in sparse[0].message


def test_a_heading_alone_at_the_foot_of_a_page(tmp_path: Path) -> None:
    body = (
        FILL + "<h2>A heading left behind</h2>"
        '<p style="break-before: page">Its text, on the next page.</p>' + FILL
        + "<h2>A heading with its text</h2><p>Right below it.</p>"
    )  # fmt: skip
    found = [f for f in _findings(tmp_path, body) if f.kind == preflight.LONE_HEADING]
    assert [f.page for f in found] == [1]
    assert "A heading left behind" in found[0].message


def test_words_and_dates_broken_inside_narrow_cells(tmp_path: Path) -> None:
    cell = '<td style="width: {w}mm{extra}"{lang}>{text}</td>'
    cells = [
        cell.format(w=11, extra="; overflow-wrap: anywhere", lang="", text="Conference"),
        cell.format(w=12, extra="", lang="", text="8 September 2011"),
        cell.format(w=12, extra="", lang="", text="August 2013"),  # named whole, not “August 20”
        cell.format(w=9, extra="", lang=' lang="ja"', text="2011年9月8日"),
        cell.format(w=6, extra="", lang=' lang="ja"', text="イベント"),
        cell.format(w=6, extra="", lang=' lang="ja"', text="政策提言"),
        # Breaks where a line may break: at a space, after a hyphen, in Japanese prose.
        cell.format(w=14, extra="", lang="", text="Annual general meeting"),
        cell.format(w=10, extra="; hyphens: auto", lang="", text="extraordinarily"),
        cell.format(w=30, extra="", lang=' lang="ja"',
                    text="会員・支援者向けのニュースレター秋号を日本語と英語で発行しました。"),
    ]  # fmt: skip
    css = 'td { font-family: "Noto Sans CJK JP", "DejaVu Sans"; vertical-align: top }'
    body = FILL + f'<table style="break-before: page"><tr>{"".join(cells)}</tr></table>'
    found = [f for f in _findings(tmp_path, body, css) if f.kind == preflight.BROKEN]
    assert {f.page for f in found} == {2}
    text = "\n".join(f.message for f in found)
    for expected in (
        "“Conference”",
        "“8 September 2011”",
        "“August 2013”",
        "2011年9月8日",
        "“イベント”",
        "“政策提言”",
    ):
        assert expected in text, text
    for clean in ("Annual", "extraordinarily", "ニュースレター", "会員"):
        assert clean not in text, text


def test_a_character_no_font_has(tmp_path: Path) -> None:
    body = FILL + '<p style="break-before: page">A private sign: \U000f0000.</p>'
    found = [f for f in _findings(tmp_path, body) if f.kind == preflight.MISSING_GLYPH]
    assert [(f.page, f.message) for f in found] == [(2, "no font has “\U000f0000” (U+F0000)")]


def test_a_font_embedded_for_one_character(tmp_path: Path) -> None:
    body = FILL + "<p>Back to the text <span style=\"font-family: 'DejaVu Serif'\">↩</span></p>"
    found = [f for f in _findings(tmp_path, body) if f.kind == preflight.ONE_CHARACTER_FONT]
    assert len(found) == 1 and found[0].page == 1
    assert "DejaVu Serif" in found[0].message and "U+21A9" in found[0].message
    # Two characters in that face: a use, not an accident.
    two = body.replace("↩</span>", "↩ §</span>")
    assert preflight.ONE_CHARACTER_FONT not in {f.kind for f in _findings(tmp_path, two)}


def test_the_preflight_never_changes_the_pdf(tmp_path: Path) -> None:
    html = PAGE % ("", FILL + "<h2>Heading</h2>" + FILL + "<p>\U000f0000</p>")
    plain = render_pdf(html, tmp_path, Gate.of(tmp_path))
    checked = render_pdf(html, tmp_path, Gate.of(tmp_path), preflight="doc.pdf")
    assert plain.findings == () and checked.findings
    assert plain.data == checked.data


def test_letters_of_a_batch_are_judged_each_as_its_own_file(tmp_path: Path) -> None:
    from weasyprint import HTML

    letters = "".join(
        f'<article style="break-before: page">{FILL}<h2>Alone {n}</h2></article>'
        f'<p style="break-before: page">Second page of letter {n}.</p>'
        for n in range(3)
    )
    document = HTML(string=PAGE % ("", letters)).render()
    parts = [preflight.Part(f"donors/{n}.pdf", 2 * n, 2 * n + 2) for n in range(3)]
    found = preflight.examine(document.pages, "", parts)
    # Each letter: the heading alone at the foot of its page 1; its short last
    # page is its natural end.
    assert sorted((f.document, f.page, f.kind) for f in found) == [
        (f"donors/{n}.pdf", 1, preflight.LONE_HEADING) for n in range(3)
    ]


# --- through the build ----------------------------------------------------------

# A planted fault a theme may bring: a sign no font has, after the cover title
# (page 1 of the annual report), and a line of text far past the page's edge.
PLANTED = (
    '.cover-title::after { content: " \\F0000"; }\n'
    '.cover-org::before { content: "Planted past the edge"; position: absolute; left: 300mm; }\n'
)


def _preflight_lines(result_lines: list[str]) -> list[str]:
    return [line for line in result_lines if "preflight:" in line]


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".reportgen-cache" not in p.parts
    }


@pytest.mark.slow
def test_build_warns_with_file_and_page_and_again_from_the_cache(
    small_set: Path, tmp_path: Path
) -> None:
    _theme(small_set, {"extra.css": PLANTED})
    out = tmp_path / "out"
    year = small_set / "fy2012"
    first = run_build(year, out, ["annual-report"], languages=["en"])
    report = out / "fy2012" / "annual-report.pdf"  # one language: no language folder
    warned = [d for d in first.diagnostics if d.message.startswith("preflight: ")]
    mine = {(d.location.path, d.location.page, d.message) for d in warned}
    assert (report, 1, "preflight: missing glyph: no font has “\U000f0000” (U+F0000)") in mine
    assert any(
        path == report and page == 1 and "planted" in message.lower()
        and "past the edge of the page" in message
        for path, page, message in mine
    )  # fmt: skip
    shown = [d.format() for d in warned]
    assert f"{report}: page 1: warning: preflight: missing glyph: no font has" in "\n".join(shown)
    # Nothing changed: the same warnings, from the build's manifest.
    again = run_build(year, out, ["annual-report"], languages=["en"])
    assert [d for d in again.diagnostics if d.message.startswith("preflight: ")] == warned
    # Another build that takes the annual report from the document cache.
    more = run_build(year, out, ["annual-report", "handout"], languages=["en"])
    assert set(warned) <= set(more.diagnostics)


@pytest.mark.slow
def test_strict_fails_with_exit_2_and_leaves_the_outputs_as_they_were(tmp_path: Path) -> None:
    reports = copy_root("clean", tmp_path)  # no warning but what the theme plants
    out = tmp_path / "out"
    year = reports / "fy2012"
    args = ["build", str(year), "--out", str(out), "--edition", "handout", "--language", "en"]
    runner = CliRunner()
    first = runner.invoke(cli, [*args, "-q", "--strict"])
    assert first.exit_code == 0, first.output
    before = _tree(out)
    assert before
    _theme(reports, {"extra.css": PLANTED.replace(".cover-title", ".masthead-title")})
    strict = runner.invoke(cli, [*args, "--strict"])
    assert strict.exit_code == 2, strict.output
    assert "missing glyph" in strict.output and "nothing was written" in strict.output
    assert "Traceback" not in strict.output
    assert _tree(out) == before
    # Without --strict the same build writes, and warns.
    loose = runner.invoke(cli, [*args, "-q"])
    assert loose.exit_code == 0 and "missing glyph" in loose.output
    after = _tree(out)
    assert after != before
    # Strict again, the build now unchanged (its manifest in the cache): still refused.
    refused = runner.invoke(cli, [*args, "--strict"])
    assert refused.exit_code == 2 and "nothing was written" in refused.output
    assert _tree(out) == after


@pytest.mark.slow
def test_letters_warn_once_for_a_fault_every_letter_shares(small_set: Path, tmp_path: Path) -> None:
    _theme(small_set, {"extra.css": '.letter-to::after { content: " \\F0000"; }\n'})
    donors = small_set / "fy2012" / "data" / "donors.csv"  # a third letter: two "more"
    donors.write_text(
        donors.read_text("utf-8") + "D-003,Jane Example,,j3@example.org,en,3000\n", "utf-8"
    )
    out = tmp_path / "out"
    result = run_build(small_set / "fy2012", out, ["donor"], languages=["en"])
    letters = sorted((out / "fy2012" / "donors").glob("*.pdf"))
    assert len(letters) > 2
    warned = [d for d in result.diagnostics if "missing glyph" in d.message]
    # One warning for all the letters (the donor edition itself has no fault).
    assert len(warned) == 1, [d.format() for d in warned]
    (only,) = warned
    assert only.location.path in letters and only.location.page == 1
    assert only.message.endswith(f"(and in {len(letters) - 1} more letters)")


def test_a_nearly_empty_last_page_is_sparse_unless_it_is_a_part_of_its_own(
    tmp_path: Path,
) -> None:
    # A panel filling most of the page, then a short paragraph kept whole that
    # no longer fits: it moves to a last page of its own, nearly empty.
    panel = '<div style="height: 160mm; background: #eee"></div>'
    kept = "<div style='break-inside: avoid'>" + "A closing line of thanks. " * 6 + "</div>"
    found = _findings(tmp_path, panel + kept)
    last = max((f.page for f in found), default=0)
    sparse = [f for f in found if f.kind == preflight.SPARSE]
    assert [f.page for f in sparse] == [last] and last >= 2
    assert "the end of what the page before began" not in sparse[0].message
    # The same short page after a forced break is a closing part: no finding.
    forced = kept.replace("style='", "style='break-before: page; ")
    assert _findings(tmp_path, panel + forced) == []


def test_copy_fitting_sets_a_spilling_document_tighter_to_save_its_last_page(
    sample_set: Path, tmp_path: Path
) -> None:
    from reportgen.typesetting.templating import templates_dir
    from tests.pdfparse import ParsedPdf

    # Members' notes planted in the FY2011 handout push its second side (the
    # charts and the notes) onto a third page: over the handout's one sheet.
    year = sample_set / "fy2011"
    para = "The committee reviewed the casework, the budget and the plan for the meeting. " * 6
    (year / "narrative/03-notes.en.md").write_text(
        "---\ntitle: Notes for members\nvisibility: internal\neditions: [handout]\n---\n\n"
        + "\n\n".join([para] * 5) + "\n", "utf-8"
    )  # fmt: skip
    over = "over its pages"
    # (Without its balance sheet, which the members' handout carries too.)
    (year / "data" / "balance.csv").unlink()
    fitted = run_build(year, tmp_path / "fit", ["handout"], languages=["en"], workers=1)
    assert not [d for d in fitted.diagnostics if over in d.message]
    assert ParsedPdf(tmp_path / "fit/fy2011/en/handout.pdf").page_count == 2
    # The template sets the tighter page (``fit``), wherever it writes its
    # body's classes: a theme's body with another attribute first is fitted
    # too (the class was once spliced in after '<body class="').
    base = (templates_dir() / "base.html.j2").read_text("utf-8")
    assert '<body class="{% if fit %}fit {% endif %}' in base
    _theme(sample_set, {"base.html.j2": base.replace("<body class=", '<body dir="ltr" class=')})
    own = run_build(year, tmp_path / "own", ["handout"], languages=["en"], workers=1)
    assert not [d for d in own.diagnostics if over in d.message]
    assert ParsedPdf(tmp_path / "own/fy2011/en/handout.pdf").page_count == 2
    # A theme whose templates ignore ``fit`` is never fitted: the same
    # handout runs over its sheet, and the preflight says so.
    handout = (templates_dir() / "handout.html.j2").read_text("utf-8")
    unfitted = handout.replace("{% block body %}", "{% block body %}{% set fit = false %}")
    _theme(sample_set, {
        "base.html.j2": base.replace("{% if fit %}fit {% endif %}", ""),
        "handout.html.j2": unfitted,
    })  # fmt: skip
    loose = run_build(year, tmp_path / "loose", ["handout"], languages=["en"], workers=1)
    pages = ParsedPdf(tmp_path / "loose/fy2011/en/handout.pdf").page_count
    sheet = edition("handout").pages  # the handout's one sheet, both sides
    assert sheet is not None and pages > sheet  # by how much is the content's, not the test's
    assert any("handout.pdf" in str(d.location.path) and d.location.page == pages
               for d in loose.diagnostics if over in d.message)  # fmt: skip


def test_text_cut_at_the_foot_of_a_page_by_a_float_or_a_box_of_fixed_height(
    tmp_path: Path,
) -> None:
    """WeasyPrint cuts a float taller than what is left of the page, and a
    box of fixed height, at the page's foot and, when the flow ends there,
    prints the rest nowhere and says nothing (the Gift Aid statement of
    receipt uk-001 lost its last lines so)."""
    from tests.pdfparse import ParsedPdf

    statement = "Gift Aid is claimed on tax you have paid. " * 30 + "Tell us if you move."
    body = FILL + f'<p class="statement">{statement}</p><p>Signed.</p>'
    floated = ".statement { float: left; width: 60% }"
    made = render_pdf(PAGE % (floated, body), tmp_path, Gate.of(tmp_path), preflight="doc.pdf")
    (tmp_path / "cut.pdf").write_bytes(made.data)
    assert "Tell us if you move" not in ParsedPdf(tmp_path / "cut.pdf").all_text()
    cut = [f for f in made.findings if f.kind == preflight.CUT]
    assert [f.page for f in cut] == [1], made.findings
    assert "Gift Aid is claimed" in cut[0].message and "is cut at the foot" in cut[0].message
    # In the flow, the same paragraph goes on to the next page: nothing is cut.
    assert preflight.CUT not in {f.kind for f in _findings(tmp_path, body)}
    boxed = FILL + f'<div style="height: 20mm"><p>{statement}</p></div>'
    assert [f.page for f in _findings(tmp_path, boxed) if f.kind == preflight.CUT] == [1]


def test_text_below_the_pages_area_is_outside_its_box(tmp_path: Path) -> None:
    # A5 with 20 mm margins: the area ends 190 mm down; the line is set at
    # about 192 mm, in the bottom margin but on the paper.
    body = '<p style="position: relative; top: 172mm">Pushed into the margin.</p>'
    found = [f for f in _findings(tmp_path, body) if f.kind == preflight.OUTSIDE]
    assert [f.page for f in found] == [1]
    assert "Pushed into the margin." in found[0].message and "below the page" in found[0].message
    assert _findings(tmp_path, body.replace("172mm", "150mm")) == []
