"""Finance tables set one above the other share one column grid."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2 as pdfium

from tests.conftest import copy_root

_THIS = """kind,category,amount,function,note,visibility
income,Membership fees,300000,,,public
income,Donations from individuals and local congregations,1234560,,,public
expense,Rescue operations,250000,program,,public
expense,Rent,7654320,administration,,public
"""
_LAST = _THIS.replace("1234560", "1000000").replace("7654320", "7000000")
# The balance sheet under them (review r34, EN 5): on their grid too.
_BALANCE = """section,item,amount
assets,Cash and deposits,{cash}
liabilities,Payables,100000
funds,Unrestricted net assets,{funds}
"""


def _right_edges(pdf: Path, words: tuple[str, ...]) -> dict[str, float]:
    """The right edge (points) of the first occurrence of each of ``words``
    (the ink of its last glyph: compare words that end in the same one)."""
    document = pdfium.PdfDocument(pdf)
    try:
        found: dict[str, float] = {}
        for page in document:
            text = page.get_textpage()
            for word in words:
                match = text.search(word).get_next()
                if match and word not in found:
                    index, count = match
                    found[word] = text.get_charbox(index + count - 1)[2]
        return found
    finally:
        document.close()


def test_stacked_income_and_expense_tables_end_their_columns_at_one_x(tmp_path: Path) -> None:
    from reportgen.commands.build import run_build

    root = copy_root("clean", tmp_path)
    (root / "fy2012/data/finances.csv").write_text(_THIS, "utf-8")
    (root / "fy2011/data").mkdir(parents=True)  # last year: its finances alone
    shutil.copy(root / "fy2012/report.toml", root / "fy2011/report.toml")
    (root / "fy2011/data/finances.csv").write_text(_LAST, "utf-8")
    (root / "fy2011/data/activities.csv").write_text("date,title,category\n", "utf-8")
    for year, cash in (("fy2012", 2345670), ("fy2011", 2000000)):
        balance = _BALANCE.format(cash=cash, funds=cash - 100000)
        (root / year / "data/balance.csv").write_text(balance, "utf-8")
    report = (root / "fy2011/report.toml").read_text("utf-8")
    report = report.replace("FY2012", "FY2011").replace("2012-09-01", "2011-09-01")
    (root / "fy2011/report.toml").write_text(
        report.replace("2013-08-31", "2012-08-31").replace("2013-10-20", "2012-10-20"), "utf-8"
    )
    # The annual report sets the line-by-line tables (the donor edition, which
    # once did, shows where the money went by function only).
    run_build(root / "fy2012", tmp_path / "out", editions=["annual-report"], cache=False)
    pdf = next((tmp_path / "out/fy2012").rglob("annual-report.pdf"))
    # This year's column, last year's: income's and expenses' amounts.
    edges = _right_edges(
        pdf, ("1,234,560", "7,654,320", "1,000,000", "7,000,000", "2,345,670", "2,000,000")
    )
    assert len(edges) == 6, edges
    assert abs(edges["1,234,560"] - edges["7,654,320"]) < 1, edges
    assert abs(edges["1,000,000"] - edges["7,000,000"]) < 1, edges
    assert abs(edges["2,345,670"] - edges["7,654,320"]) < 1, edges  # the balance sheet
    assert abs(edges["2,000,000"] - edges["7,000,000"]) < 1, edges
