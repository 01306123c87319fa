"""The chart system: one type scale in points whatever a chart's size, shares
that add up to 100, names wrapped and never cut, many categories grouped as
"Other" with a note, and the expense lines behind each function's share.
Pure functions are tested without drawing; one small build's PDF is parsed
for what only the laid-out page shows."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from reportgen.commands.build import load_with_history
from reportgen.composing.charts import TYPE_SCALE, _wrapped
from reportgen.composing.key_figures import whole_percents
from reportgen.core.diagnostics import Diagnostics
from reportgen.typesetting.edition_render import render_edition
from tests.conftest import copy_root
from tests.pdfparse import ParsedPdf, chart_text_sizes

SVG = "{http://www.w3.org/2000/svg}"
LONG = (
    "Local authority holiday activities and food programme grants for school-age "
    "children and their families in the Aire valley"
)
# Expenses whose shares round to 99 one by one: 76.4 + 5.4 + 18.2.
EXPENSES = (
    ("Rescue operations", "500000", "program"),
    ("Shelter and transport", "264000", "program"),
    ("Fundraising mailings", "54000", "fundraising"),
    ("Office rent", "182000", "administration"),
)


def test_shares_add_up_to_100_by_the_largest_remainder() -> None:
    amounts = [Decimal(a) for _, a, _ in EXPENSES]
    by_function = [amounts[0] + amounts[1], amounts[2], amounts[3]]
    naive = [round(float(a / sum(by_function)) * 100) for a in by_function]
    assert sum(naive) == 99  # the fault this guards against
    shares = whole_percents(by_function)
    assert [round(s * 100) for s in shares] == [77, 5, 18]
    assert round(sum(shares) * 100) == 100
    # Three equal thirds: one of them takes the point left over, the first.
    assert [round(s * 100) for s in whole_percents([Decimal(1)] * 3)] == [34, 33, 33]
    # A share that rounds to nothing keeps its value ("less than 1%").
    tiny = whole_percents([Decimal(9995), Decimal(5)])
    assert tiny[0] == 1.0 and 0 < tiny[1] < 0.005
    assert whole_percents([Decimal(0), Decimal(0)]) == (0.0, 0.0)


def test_a_long_name_is_wrapped_whole() -> None:
    wrapped = _wrapped(LONG)
    lines = wrapped.split("\n")
    assert "…" not in wrapped and len(lines) > 3
    assert " ".join(lines) == LONG  # every word, in order, none cut
    assert max(len(line) for line in lines) <= 22
    # A word longer than the line is broken, not cut short.
    word = "Donaudampfschifffahrtsgesellschaftskapitän"
    assert _wrapped(word).replace("-\n", "") == word
    # CJK breaks between characters, two columns each.
    japanese = "地方自治体による休暇中の活動と食事の提供事業への補助金"
    assert all(len(line) <= 11 for line in _wrapped(japanese).split("\n"))
    assert _wrapped(japanese).replace("\n", "") == japanese


@pytest.fixture(scope="module")
def many_categories(tmp_path_factory: pytest.TempPathFactory) -> ParsedPdf:
    """The small root with 40 categories, one named in 120 characters, and
    expenses whose shares round to 99 one by one: its annual report, built."""
    folder = tmp_path_factory.mktemp("chart-system")
    root = copy_root("small", folder)
    data = root / "fy2012" / "data"
    names = [f"Category {n}" for n in range(1, 40)]
    names.insert(1, LONG)
    with (data / "activities.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "title", "category", "participants", "visibility"])
        for n, name in enumerate(names):
            for repeat in range(3 if n < 4 else 1):  # four categories lead
                month = n % 12 + 1  # the fiscal year: September 2012 to August 2013
                writer.writerow([f"{2013 if month < 9 else 2012}-{month:02}-{repeat + 3:02}",
                                 f"Day {n}", name,
                                 "", "public"])  # fmt: skip
    with (data / "finances.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kind", "category", "amount", "function", "visibility"])
        writer.writerow(["income", "Membership fees", "1200000", "", "public"])
        for line, amount, function in EXPENSES:
            writer.writerow(["expense", line, amount, function, "public"])
    # One edition rendered in this process (no pipeline, no cache): its two files.
    diags = Diagnostics()
    year, history = load_with_history(root / "fy2012", diags)
    assert year is not None and not diags.has_errors, [d.format() for d in diags.sorted()]
    files = render_edition(year, history, "annual-report", "en", pdf=True, html=True)
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return ParsedPdf(folder / "annual-report.pdf")


def test_every_chart_prints_its_text_on_the_one_scale(many_categories: ParsedPdf) -> None:
    # The pages that show a chart (a cover's text may be a form too: opacity).
    titles = ("Activities through the year", "Activities by category", "How the money was spent")
    pages = [p for p in range(many_categories.page_count)
             if any(t in many_categories.text(p + 1) for t in titles)]  # fmt: skip
    assert pages
    sizes = [size for page in pages for size in chart_text_sizes(many_categories.path, page)]
    assert len(sizes) > 100  # the charts' text was found
    scale = set(TYPE_SCALE.values())
    off = sorted({round(s, 2) for s in sizes if min(abs(s - t) for t in scale) > 0.05})
    assert not off, f"chart text off the scale {sorted(scale)}: {off}"
    assert {round(s) for s in sizes} >= {7, 8, 10}


def test_many_categories_and_a_long_name_stay_legible(many_categories: ParsedPdf) -> None:
    text = many_categories.all_text()
    # The long name in full beside its bar and in the month chart's key (wrapped).
    words = re.sub(r"\s+", " ", text)
    assert "…" not in words
    assert words.count("Aire valley") >= 3  # both charts and the activities table
    # Past the colours, "Other" with the note of what it groups.
    assert "Other (34 categories): Category 6, Category 7," in words
    assert "Category 39." in words


def test_the_lines_behind_each_share_and_shares_that_add_up(many_categories: ParsedPdf) -> None:
    words = re.sub(r"\s+", " ", many_categories.all_text())
    # A small table of three groups under the ring's key (review 2: a run-on
    # paragraph): each function with its share, then its lines and amounts.
    assert "Programmes 77% Rescue operations ¥500K Shelter and transport ¥264K" in words
    assert "Fundraising 5% Fundraising mailings ¥54K" in words
    assert "Administration 18% Office rent ¥182K" in words
    assert "77%" in words and "76%" not in words  # the ring's centre says the same
    html = (many_categories.path.parent / "annual-report.html").read_text("utf-8")
    table = html[html.index('<table class="chart-breakdown"') :]
    table = table[: table.index("</table>")]
    assert table.count("<tbody>") == 3 and table.count('scope="rowgroup"') == 3


def test_chart_svgs_use_only_the_scale(many_categories: ParsedPdf) -> None:
    """The scale in the drawing itself, as the HTML edition inlines it."""
    html = (many_categories.path.parent / "annual-report.html").read_text("utf-8")
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    assert svgs
    sizes = set()
    for svg in svgs:
        for element in ElementTree.fromstring(svg).iter(f"{SVG}text"):
            found = re.search(r"font-size: ([\d.]+)px", element.get("style", ""))
            assert found, element.get("style")
            sizes.add(float(found.group(1)))
    assert sizes <= set(TYPE_SCALE.values()), sizes
