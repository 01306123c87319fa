"""The sample annual report, built for real and checked by parsing its PDF."""

from __future__ import annotations

import re

import pytest

from reportgen.composing.charts import BUSIEST_NAMED
from tests.conftest import BuiltSample
from tests.pdfparse import ParsedPdf

SECTIONS = [
    "Message from the Representative",
    "The Year in Overview",
    "The Year in Figures",
    "Activities",
    "Coalitions and Networks",
    "Advocacy and Lobbying",
    "Finances",
    "Board and Officers",
]


@pytest.fixture(scope="module")
def pdf(built_sample: BuiltSample) -> ParsedPdf:
    return ParsedPdf(built_sample.pdf)


def _contents(pdf: ParsedPdf) -> dict[str, int]:
    """Contents entries on page 2: title -> printed page number."""
    text = pdf.reader.pages[1].extract_text() or ""
    entries = {}
    for line in text.splitlines():
        match = re.match(r"^\s*\d{2}\s*(.+?)[\s.]*?(\d+)\s*$", line)
        if match:
            entries[match.group(1).strip(" .")] = int(match.group(2))
    return entries


def test_page_count_is_a_real_report(pdf: ParsedPdf) -> None:
    assert 12 <= pdf.page_count <= 30


def test_cover_names_the_organisation_and_fiscal_year(pdf: ParsedPdf) -> None:
    cover = pdf.text(1)
    assert "Life Funds for North Korean Refugees" in cover
    assert "Annual Report FY2012" in cover
    assert "1 September 2012 to 31 August 2013" in cover


def test_contents_lists_every_section_with_its_true_page(pdf: ParsedPdf) -> None:
    contents = _contents(pdf)
    outline = {e.title: e.page for e in pdf.outline() if e.level == 1}
    for title in SECTIONS:
        assert title in contents, f"{title} missing from contents {contents}"
        page = contents[title]
        assert outline[title] == page, f"{title}: contents says {page}, outline {outline[title]}"
        assert title in pdf.text(page), f"{title} is not on page {page}"


def test_outline_matches_contents_order(pdf: ParsedPdf) -> None:
    top = [e.title for e in pdf.outline() if e.level == 1]
    assert [t for t in top if t in SECTIONS] == SECTIONS
    pages = [e.page for e in pdf.outline() if e.level == 1]
    assert pages == sorted(pages)


def test_running_headers_name_the_section_and_page(pdf: ParsedPdf) -> None:
    contents = _contents(pdf)
    page = contents["Activities"]  # a section that starts its page: the running head names it
    text = pdf.text(page)
    assert text.count("Activities") >= 2  # running head and heading
    assert "Life Funds for North Korean Refugees" in text
    assert re.search(rf"\b{page}\b", text)
    assert "Annual Report FY2012" in text


def test_key_figures_are_printed(pdf: ParsedPdf) -> None:
    page = _contents(pdf)["The Year in Figures"]
    text = pdf.text(page)
    # Public rows only: 36 activities of which 4 internal; 18 visits of which 2 internal.
    assert re.search(r"\b32\s*activities", text)
    assert re.search(r"\b16\s*advocacy meetings", text)
    assert re.search(r"¥9\.8M\s*total income", text)
    assert "vs FY2011" in text


def test_every_chart_is_a_tagged_figure_with_alt_text_from_its_data(pdf: ParsedPdf) -> None:
    alts = [a for a in pdf.figures() if a]
    charts = [a for a in alts if "chart" in a]
    assert len(charts) >= 5
    by_month = next(a for a in charts if a.startswith("Activities through the year"))
    # Each month with its count, then the peak that those counts make: named
    # when few months share it, counted when many tie (the sample's eight).
    month = r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d+)\b"
    counts = [int(n) for n in re.findall(month, by_month)]
    assert len(counts) == 12 and by_month.index("Sep") < by_month.index("Aug"), by_month
    most = max(counts)
    if counts.count(most) > BUSIEST_NAMED:
        assert f"{counts.count(most)} of the 12 months share the most, {most} each." in by_month
    else:
        assert "Busiest month: " in by_month and f"with {most}" in by_month
    income = next(a for a in charts if a.startswith("Where the money came from"))
    assert "¥9.8M in total" in income and "Donations" in income


def test_tables_repeat_their_header_on_continuation_pages(pdf: ParsedPdf) -> None:
    start = _contents(pdf)["Activities"]
    end = _contents(pdf)["Coalitions and Networks"]
    assert end - start >= 2, "the activity table should span pages"
    for page in range(start, end):
        assert "DATE ACTIVITY CATEGORY LOCATION" in pdf.text(page).upper()


def test_internal_rows_and_narrative_are_absent(pdf: ParsedPdf, built_sample: BuiltSample) -> None:
    text = pdf.all_text()
    internal_titles = []
    for line in (built_sample.reports / "fy2012/data/activities.csv").read_text().splitlines():
        if line.rstrip().endswith(",internal"):
            internal_titles.append(line.split(",")[1].strip('"'))
    assert internal_titles
    for title in internal_titles:
        assert title not in text
    assert "Internal" not in [e.title for e in pdf.outline()]


def test_metadata_and_language(pdf: ParsedPdf) -> None:
    meta = pdf.metadata()
    assert meta["/Title"].startswith("Annual Report FY2012")
    assert meta["/Author"] == "Life Funds for North Korean Refugees"
    assert meta["/CreationDate"].startswith("D:20131020")
    root = pdf.reader.trailer["/Root"]
    assert root["/Lang"] == "en"


def test_back_cover_has_contact_details(pdf: ParsedPdf) -> None:
    back = pdf.text(pdf.page_count)
    assert "northkoreanrefugees.com" in back
    assert "contact@example.org" in back
    # ja review r35 F-19, r36 F-5: the telephone, the hours beneath it, then
    # the fax, each number under its own label
    hours = "Office hours: Weekdays 10:00–17:00 (Japan time)"
    assert f"+81 3-5000-0000 (illustrative) {hours} +81 3-5000-0001 (illustrative)" in back
    assert "· Fax" not in back and "TEL. FAX" in back  # the labels (set in capitals)
