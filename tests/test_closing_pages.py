"""The book's last pages (issue 28, review 3): the board and officers set as a
compact directory (the groups run on in two columns, a person a line), so
that a long roster neither leaves a page near-empty nor spills its tail onto
a page of its own, and the imprint ("About this report") shares its page;
the text's last page before the closing pages (notes, the back cover) is
judged as a last page. Built for real from the ``clean`` test root with a
roster the sample lacks (four groups, 30 people, long names and roles)."""

from __future__ import annotations

from pathlib import Path

from reportgen.commands.build import run_build
from reportgen.core.file_gate import Gate
from reportgen.typesetting import preflight
from reportgen.typesetting.pdf import render_pdf
from tests.conftest import copy_root
from tests.pdfparse import ParsedPdf
from tests.test_letter_design import where

GROUPS = {"board": 10, "officer": 6, "staff": 10, "advisor": 4}
ROLES = ["Director", "Treasurer", "Coordinator of volunteers and food drives", "Auditor"]
ABOUT = (
    "---\nplace: end\n---\n\n# About This Report\n\nEvery figure here is invented.\n\n"
    "The names are invented too.\n"
)


def _people() -> str:
    rows = ["name,role,group,visibility"]
    for group, count in GROUPS.items():
        for n in range(1, count + 1):
            long = " Featherstonehaugh-Smythe" if n % 5 == 0 else ""
            name = f"{group.title()} Person {n:02d}{long}"
            rows.append(f"{name},{ROLES[n % len(ROLES)]},{group},public")
    return "\n".join(rows) + "\n"


def test_a_long_roster_is_one_compact_page_with_the_imprint(tmp_path: Path) -> None:
    root = copy_root("clean", tmp_path)
    year = root / "fy2012"
    (year / "data/people.csv").write_text(_people(), encoding="utf-8")
    (year / "narrative/09-about.en.md").write_text(ABOUT, encoding="utf-8")
    result = run_build(root, tmp_path / "out", editions=["annual-report"], workers=1)
    pages = {preflight.NEAR_EMPTY, preflight.SPARSE, preflight.SHORT_PAGE}
    faults = [d.message for d in result.diagnostics if any(f": {k}:" in d.message for k in pages)]
    assert faults == []
    pdf = ParsedPdf(tmp_path / "out/fy2012/annual-report.pdf")
    texts = [pdf.text(n) for n in range(1, pdf.page_count + 1)]
    names = [f"{group.title()} Person {n:02d}" for group, count in GROUPS.items()
             for n in range(1, count + 1)]  # fmt: skip
    on = sorted({n for n, text in enumerate(texts) for name in names if name in text})
    # 30 people in two columns, a line each: one page, the imprint under them,
    # right before the back cover (in a grid of two a person, two lines
    # each, the same roster took a page and a half).
    assert len(on) == 1, on
    assert "About This Report" in texts[on[0]] and on[0] == len(texts) - 2
    # Its heading as near its text as a subhead's (review r35, 10: "About
    # This Report" kept a blank line under it, twice the gap): baseline to
    # baseline, the heading's line and the gap of an ordinary subhead.
    path = tmp_path / "out/fy2012/annual-report.pdf"
    heading = where(path, on[0] + 1, "About This Report")[1]
    gap = heading - where(path, on[0] + 1, "Every figure here")[1]
    assert gap < 20, gap


NOTES = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><style>"
    "@page { size: A5; margin: 20mm 15mm } @page notes { } @page back { margin: 0 }"
    "body { font: 10pt/1.4 'DejaVu Sans'; margin: 0 }</style></head><body><main>"
    "<section><h2>Board</h2><div style='height: 80mm; border-top: 1px solid #888'></div>"
    "</section>%s</main>"
    "<footer style='page: back; break-before: page'>Back cover</footer></body></html>"
)


def test_the_page_before_the_notes_and_back_cover_ends_the_text(tmp_path: Path) -> None:
    # Half a page, then only notes pages and the back cover: the text's last
    # page, which may end short. A page of text after it makes it near-empty.
    notes = "<section style='page: notes; break-before: page'><h2>Notes</h2></section>"
    more = "<section style='break-before: page'><h2>More</h2><p>Text.</p></section>"
    for after, found in ((notes * 2, []), (more, [1])):
        made = render_pdf(NOTES % after, tmp_path, Gate.of(tmp_path), preflight="doc.pdf")
        near = [f.page for f in made.findings if f.kind == preflight.NEAR_EMPTY]
        assert near == found, made.findings


# A row of two blocks kept whole (the finance tables under the charts) after
# half a page: whole, it goes on and leaves the page near-empty; marked
# data-stack, the last layout sets it stacked and its first block stays.
ROW = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><style>"
    "@page { size: A5; margin: 20mm 15mm } body { font: 10pt/1.4 'DejaVu Sans'; margin: 0 }"
    "main > section { break-before: page } .row { display: flex; gap: 4mm }"
    ".row > div { flex: 1 1 0; break-inside: avoid; border-top: 1px solid #888 }"
    "</style></head><body><main>"
    "<section id='one'><h2>Finances</h2><div style='height: 80mm; border-top: 1px solid #888'>"
    "</div><div class='row' id='tables'%s><div style='height: 60mm'>Income</div>"
    "<div style='height: 120mm'>Expenses</div></div></section>"
    "<section id='two'><h2>Board</h2><p>Names.</p></section></main></body></html>"
)


def test_a_row_that_leaves_a_page_near_empty_is_set_stacked(tmp_path: Path) -> None:
    gate, layout = Gate.of(tmp_path), preflight.Layout("page")
    whole = render_pdf(ROW % "", tmp_path, gate, preflight="doc.pdf", layout=layout)
    assert (1, preflight.NEAR_EMPTY) in {(f.page, f.kind) for f in whole.findings}
    stacked = render_pdf(ROW % " data-stack", tmp_path, gate, preflight="doc.pdf", layout=layout)
    assert not [f for f in stacked.findings if f.kind == preflight.NEAR_EMPTY], stacked.findings
    assert (whole.stacked, stacked.stacked) == ((), ("tables",))  # the floor of bench/run.py
    (tmp_path / "stacked.pdf").write_bytes(stacked.data)
    pdf = ParsedPdf(tmp_path / "stacked.pdf")
    assert "Income" in pdf.text(1) and "Expenses" in pdf.text(2)


def _part(name: str, items: int) -> str:
    """A part of a balance sheet: its heading row, its lines, its total."""
    rows = "".join(f"<tr><td>{name} line {n}</td><td>{n},000</td></tr>" for n in range(items))
    head = f"<tr class='heading'><td>{name}</td><td></td></tr>"
    return f"{head}{rows}<tr><td>Total {name}</td><td>9,000</td></tr>"


# The balance sheet (kept whole) under half a page of statement: whole, it
# goes on and leaves the page near-empty; marked data-split, it may break
# before one of its parts (a heading row), never inside one.
SHEET = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><style>"
    "@page { size: A5; margin: 20mm 15mm } body { font: 9pt/1.3 'DejaVu Sans'; margin: 0 }"
    "main > section { break-before: page } table { width: 100%%; border-collapse: collapse }"
    "td, th { padding: 0.5mm 0 } .account, .account table { break-inside: avoid }"
    "</style></head><body><main>"
    "<section id='accounts'><h2>Accounts</h2><div style='height: 80mm; border-top: 1px solid #888'>"
    "</div><div class='account' id='balance-sheet'%s><h3>Balance sheet</h3><table>"
    "<thead><tr><th>Item</th><th>Amount</th></tr></thead><tbody>"
    + _part("Assets", 7)
    + _part("Liabilities", 2)
    + _part("Funds", 6)
    + "</tbody></table></div></section>"
    "<section id='board'><h2>Board</h2><div style='height: 60mm; border-top: 1px solid #888'>"
    "</div></section></main></body></html>"
)


def test_a_balance_sheet_that_leaves_a_page_near_empty_breaks_between_its_parts(
    tmp_path: Path,
) -> None:
    gate, layout = Gate.of(tmp_path), preflight.Layout("page")
    whole = render_pdf(SHEET % "", tmp_path, gate, preflight="doc.pdf", layout=layout)
    assert (1, preflight.NEAR_EMPTY) in {(f.page, f.kind) for f in whole.findings}
    split = render_pdf(SHEET % " data-split", tmp_path, gate, preflight="doc.pdf", layout=layout)
    assert split.findings == (), split.findings  # no remnant, no short page either
    # The board, after the whole balance sheet on a page of its own, then
    # shares the page of its last parts: a page less.
    assert "board" not in whole.shared and split.shared == ("board",)
    assert split.pages == whole.pages - 1
    (tmp_path / "split.pdf").write_bytes(split.data)
    pdf = ParsedPdf(tmp_path / "split.pdf")
    first, second = pdf.text(1), pdf.text(2)
    # The first part whole on the page it left, the next ones whole after.
    assert "Assets line 6" in first and "Total Assets" in first, first
    assert "Liabilities" not in first, first
    assert "Liabilities line 1" in second and "Funds line 5" in second and "Board" in second
    assert "Item" in second  # the table's head again over its part


# A balance sheet kept whole (its groups: assets, liabilities, funds) after
# half a page: whole, it goes on and leaves the page near-empty; marked
# data-split, the last layout breaks it before a group, and the section
# after it then shares the page it went on to.
SPLIT = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><style>"
    "@page { size: A5; margin: 20mm 15mm } body { font: 10pt/1.4 'DejaVu Sans'; margin: 0 }"
    "main > section { break-before: page } .account, .account table { break-inside: avoid }"
    "table { width: 100%%; border-collapse: collapse } td { padding: 1.5mm 0 }"
    "</style></head><body><main>"
    "<section id='one'><h2>Accounts</h2><div style='height: 80mm; border-top: 1px solid #888'>"
    "</div><div class='account' id='balance'%s><h3>Balance sheet</h3><table><tbody>%s</tbody>"
    "</table></div></section>"
    "<section id='two'><h2>Board</h2><p>Names.</p></section></main></body></html>"
)
BALANCE_GROUPS = "".join(
    f"<tr class='heading'><td>{group}</td><td></td></tr>"
    + "".join(f"<tr><td>{group} line {n}</td><td>100</td></tr>" for n in range(1, 5))
    for group in ("Assets", "Liabilities", "Funds")
)


def test_a_balance_sheet_that_leaves_a_page_near_empty_breaks_before_a_group(
    tmp_path: Path,
) -> None:
    gate, layout = Gate.of(tmp_path), preflight.Layout("page")
    whole = render_pdf(
        SPLIT % ("", BALANCE_GROUPS), tmp_path, gate, preflight="doc.pdf", layout=layout
    )
    assert (1, preflight.NEAR_EMPTY) in {(f.page, f.kind) for f in whole.findings}
    split = render_pdf(
        SPLIT % (" data-split", BALANCE_GROUPS), tmp_path, gate, preflight="doc.pdf", layout=layout
    )
    assert not [f for f in split.findings if f.kind == preflight.NEAR_EMPTY], split.findings
    (tmp_path / "split.pdf").write_bytes(split.data)
    pdf = ParsedPdf(tmp_path / "split.pdf")
    assert pdf.page_count == 2
    first, second = pdf.text(1), pdf.text(2)
    assert "Assets line 4" in first and "Liabilities" not in first  # broken before a group
    assert second.index("Liabilities") < second.index("Funds") < second.index("Board")


# A row of two tables (the income and expenditure, the expenses' the taller
# at half width) and a balance sheet after half a page (fy2011, after the
# statement of activities grew): whole, the row goes on and leaves the page
# near-empty; the row stacked alone keeps its income there, but its
# expenses, set full width, leave the next page near-empty in turn, the
# balance sheet going on whole. The two together fill both pages.
EXPENSES = "Rent and rates for the warehouse and the office, " * 17
CHAIN = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><style>"
    "@page { size: A5; margin: 20mm 15mm } body { font: 9pt/1.3 'DejaVu Sans'; margin: 0 }"
    "h2 { margin: 0 0 3mm } p { margin: 0 } main > section { break-before: page }"
    "table { width: 100%%; border-collapse: collapse } td, th { padding: 0.5mm 0 }"
    ".account, .account table { break-inside: avoid } .row { display: flex; gap: 4mm;"
    " margin-bottom: 4mm } .row > div { flex: 1 1 0; break-inside: avoid;"
    " border-top: 1px solid #888 }"
    "</style></head><body><main><section id='accounts'><h2>Accounts</h2>"
    "<div style='height: 70mm; border-top: 1px solid #888'></div>"
    "<div class='row' id='tables'%s><div style='height: 50mm'>Income</div><div><p>Expenses: "
    + EXPENSES
    + "</p></div></div><div class='account' id='balance-sheet'%s><h3>Balance sheet</h3><table>"
    "<thead><tr><th>Item</th><th>Amount</th></tr></thead><tbody>"
    + _part("Assets", 6)
    + _part("Liabilities", 4)
    + _part("Funds", 13)
    + "</tbody></table></div></section></main></body></html>"
)


def test_a_stacked_row_that_pushes_the_balance_sheet_on_brings_it_along(tmp_path: Path) -> None:
    gate, layout = Gate.of(tmp_path), preflight.Layout("page")
    whole = render_pdf(CHAIN % ("", ""), tmp_path, gate, preflight="doc.pdf", layout=layout)
    assert (1, preflight.NEAR_EMPTY) in {(f.page, f.kind) for f in whole.findings}
    marked = CHAIN % (" data-stack", " data-split")
    both = render_pdf(marked, tmp_path, gate, preflight="doc.pdf", layout=layout)
    assert both.findings == (), both.findings
    (tmp_path / "both.pdf").write_bytes(both.data)
    pdf = ParsedPdf(tmp_path / "both.pdf")
    assert "Income" in pdf.text(1) and "Expenses" not in pdf.text(1)
    assert "Expenses" in pdf.text(2) and "Total Assets" in pdf.text(2), pdf.text(2)
    assert "Funds line 12" in pdf.text(3)


# A book padded to a multiple of four with notes pages: the balance sheet
# kept whole goes on from a page 65 % full (not near-empty) and the board
# after it takes a page of its own: five pages, three notes pages (they
# read as blank). Split before a group, the balance sheet's end and the
# board share a page: four pages, none to make up.
BOOK = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><style>"
    "@page { size: A5; margin: 20mm 15mm } @page back { margin: 0 }"
    "body { font: 9pt/1.3 'DejaVu Sans'; margin: 0 } h2 { margin: 0 0 3mm }"
    "main > section { break-before: page } table { width: 100%%; border-collapse: collapse }"
    "td, th { padding: 0.5mm 0 } .account, .account table { break-inside: avoid }"
    "</style></head><body><main><section id='intro'><h2>Overview</h2>"
    "<div style='height: 150mm; border-top: 1px solid #888'></div></section>"
    "<section id='accounts'><h2>Accounts</h2><div style='height: 105mm; border-top: 1px solid"
    " #888'></div><div class='account' id='balance-sheet'%s><h3>Balance sheet</h3><table>"
    "<thead><tr><th>Item</th><th>Amount</th></tr></thead><tbody>"
    + _part("Assets", 4)
    + _part("Liabilities", 2)
    + _part("Funds", 6)
    + "</tbody></table></div></section><section id='board'><h2>Board</h2>"
    "<div style='height: 60mm; border-top: 1px solid #888'></div></section></main>"
    "<footer style='page: back; break-before: page'>Back cover</footer></body></html>"
)
NOTES_PAGES = (
    "<!doctype html><html><head><style>@page { size: A5; margin: 20mm 15mm; } "
    ".notes-page { page: notes; break-before: page; }</style></head><body>"
    + '<section class="notes-page"><h2>Notes</h2></section>' * 3
    + "</body></html>"
)


def test_a_balance_sheet_is_split_to_save_a_page_notes_would_make_up(tmp_path: Path) -> None:
    gate, layout = Gate.of(tmp_path), preflight.Layout("page", multiple=4)
    options = {"preflight": "doc.pdf", "layout": layout, "notes": NOTES_PAGES}
    whole = render_pdf(BOOK % "", tmp_path, gate, **options)  # type: ignore[arg-type]
    assert whole.pages == 8 and [f.kind for f in whole.findings] == [preflight.PAGE_COUNT]
    split = render_pdf(BOOK % " data-split", tmp_path, gate, **options)  # type: ignore[arg-type]
    assert split.pages == 4 and split.findings == (), split.findings
    assert split.shared == ("board",)
