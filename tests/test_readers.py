"""Each document made for its reader (issue 27, part 5): letters with an
address block for the window envelope of the report's country, a letter per
type of donor, one type family; the handout one sheet of two sides; (part 6)
a column that tells nothing left out of any table. On the
`readers` test root: data the samples lack (a donor without address, a church
among the donors, a 122-character title, no lobbying)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reportgen.commands.build import run_build
from reportgen.composing.page_context import list_section
from reportgen.composing.tables import note_adds, says_something
from reportgen.core.envelopes import ENVELOPES, address_field
from reportgen.core.file_gate import Gate
from reportgen.core.languages import letter_style, packs_for
from reportgen.reading.model import Activity, Donor
from reportgen.reading.narrative_html import front_problem
from reportgen.reading.table_registry import TABLES
from reportgen.typesetting import preflight
from reportgen.typesetting.letters import address_lines
from reportgen.typesetting.pdf import render_pdf
from tests.conftest import copy_root, html_alone
from tests.pdfparse import ParsedPdf
from tests.test_letter_design import where

MM = 72 / 25.4  # points in a millimetre


def test_each_envelope_gives_a_field_inside_its_window_wherever_the_sheet_slides() -> None:
    uk = address_field("dl-90x35")
    # DL 220 x 110, window 90 x 35 at 20 mm left, 15 mm up; an A4 third is
    # 99 mm tall and 210 wide, so it slides 11 mm down and 10 mm right.
    assert (uk.left, uk.top, uk.width, uk.height) == (20.0, 60.0, 80.0, 24.0)
    din = address_field("din-5008-b")
    assert (din.left, din.top, din.width, din.height, din.return_line) == (20, 45, 85, 45, True)
    for name in ENVELOPES:
        field = address_field(name)
        assert field.width > 50 and field.height > 20, name  # room for five lines
        assert field.top + field.height < 297 / 3, name  # on the top third


def test_every_language_pack_names_a_declared_envelope() -> None:
    for tag in ("en", "en-GB", "en-AU", "en-NZ", "en-IE", "en-US", "en-CA", "ja", "ko"):
        assert packs_for(tag), tag
        assert letter_style(tag).envelope in ENVELOPES, tag
    assert letter_style("en-AU").envelope == letter_style("en-GB").envelope == "dl-90x35"


def test_address_lines_by_the_posts_order() -> None:
    person = Donor("Priya Example", address="14 Beech Grove, Leeds", postcode="LS6 2AB")
    assert address_lines(person, "en-GB") == ("Priya Example", "14 Beech Grove", "Leeds LS6 2AB")
    abroad = Donor("Claire", address="1 rue X\n75001 Paris", country="France")
    assert address_lines(abroad, "en") == ("Claire", "1 rue X", "75001 Paris", "FRANCE")
    japanese = Donor("山田 花子", address="東京都渋谷区神宮前1-1-1", postcode="150-0001")
    expected = ("〒150-0001", "東京都渋谷区神宮前1-1-1", "山田 花子 様")
    assert address_lines(japanese, "ja") == expected
    assert address_lines(Donor("No Address"), "en") == ()
    assert address_lines(Donor("Blank", address="  "), "en") == ()


def test_front_matter_summary_and_donors_are_checked() -> None:
    assert front_problem("summary", "A few lines.") is None
    assert front_problem("summary", "x" * 401) is not None
    assert front_problem("summary", 3) is not None
    assert front_problem("donors", "organisation") is None
    assert "person, organisation" in str(front_problem("donors", "church"))


def test_the_preflight_reports_a_handout_over_its_two_sides(tmp_path: Path) -> None:
    fill = "<p>" + "The quick brown fox jumps over the lazy dog. " * 38 + "</p>"
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><style>'
        "@page { size: A4; margin: 20mm } body { font: 10pt sans-serif }</style></head>"
        "<body><main>%s</main></body></html>"
    )
    sheet = preflight.Layout(pages=2)

    def kinds(body: str) -> list[str]:
        made = render_pdf(page % body, tmp_path, Gate.of(tmp_path), preflight="handout.pdf",
                          layout=sheet)  # fmt: skip
        return [f.kind for f in made.findings]

    assert preflight.OVER_PAGES in kinds(fill * 9)  # planted: three pages and more
    assert preflight.OVER_PAGES not in kinds(fill * 5)  # two sides: no finding


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readers")
    root = copy_root("readers", folder)
    out = folder / "out"
    run_build(root / "fy2024", out, ["donor"], workers=1)
    return out / "fy2024/donors"


def test_the_address_block_stands_in_the_uk_window_and_only_with_an_address(
    letters: Path,
) -> None:
    field = address_field("dl-90x35")
    path = letters / "r-001.pdf"
    height = float(ParsedPdf(path).reader.pages[0].mediabox.height)
    for line in ("Priya Example", "14 Beech Grove", "LEEDS LS6 2AB"):
        x, y = where(path, 1, line)
        assert field.left * MM - 1 <= x <= (field.left + field.width) * MM, line
        assert field.top * MM <= height - y <= (field.top + field.height) * MM, line
    church = ParsedPdf(letters / "r-002.pdf").text(1)
    assert "Town Street" in church and "LS13 3XX" in church
    without = ParsedPdf(letters / "r-003.pdf").text(1)
    assert "Andrew Example" not in without  # no address: no block, no name in a window


def test_a_letter_per_type_of_donor_and_gift_aid_once(letters: Path) -> None:
    person = ParsedPdf(letters / "r-001.pdf").text(1)
    church = ParsedPdf(letters / "r-002.pdf").text(1)
    assert person.count("Gift Aid") == 1  # the foot asks; the body does not repeat it
    assert "Gift Aid" not in church  # giving_organisation: nothing asked of a church
    assert "congregation" in church and "congregation" not in person  # its own letter file
    for slug in ("r-001", "r-002", "r-003"):  # "Thank you" above the salutation in every one
        path = letters / f"{slug}.pdf"
        assert where(path, 1, "Thank you")[1] > where(path, 1, "Dear")[1], slug


def test_one_family_for_date_body_and_signature_and_a_signature_image(letters: Path) -> None:
    pdf = ParsedPdf(letters / "r-001.pdf")
    page = pdf.reader.pages[0]
    assert "Signature of Ada Signer" in pdf.figures()  # organization.signature, a tagged figure
    fonts: dict[str, str] = {}

    def visit(text: str, _cm: object, _tm: object, font: object, _size: object) -> None:
        if text.strip() and isinstance(font, dict):
            fonts[text.strip()] = str(font.get("/BaseFont", ""))

    page.extract_text(visitor_text=visit)
    family = {
        fonts[k].split("+")[-1].split("-")[0]
        for k in fonts
        if k.startswith(("18 September 2025", "Thank you for your gift", "Ada Signer"))
    }
    assert len(family) == 1, fonts


def test_a_column_that_tells_nothing_is_left_out_of_any_listed_table(tmp_path: Path) -> None:
    assert not says_something([1, 1], numeric=True)  # every coalition in one country
    assert not says_something([1], numeric=True)  # a food bank's one coalition
    assert says_something([48], numeric=True) and says_something([1, 3], numeric=True)
    assert not says_something(["member"] * 3, numeric=False)  # the same of three rows
    assert says_something(["member", "member"], numeric=False)
    assert not says_something([None, ""], numeric=False)
    year = copy_root("readers", tmp_path) / "fy2024"
    html = html_alone(year, "annual-report", "en-GB")
    at = html.index("Leeds Example Network")
    coalitions = html[html.rindex("<table", 0, at) : html.index("</table>", at)]
    assert "Countries" not in coalitions and "Member organisations" in coalitions
    # the role "member" in the names' case (review r35, 7)
    assert coalitions.count(">Member</td>") == 2 and ">member<" not in coalitions
    # the same table where the countries differ keeps its column
    csv = year / "data/coalitions.csv"
    csv.write_text(csv.read_text("utf-8").replace(",12,1,", ",12,3,"), "utf-8")
    assert "Countries" in html_alone(year, "annual-report", "en-GB")


def test_the_donor_edition_leads_with_the_story_asks_after_the_money_and_ends_with_about(
    letters: Path,
) -> None:
    assert front_problem("place", "lead") is None and front_problem("place", "end") is None
    assert "lead, end" in str(front_problem("place", "middle"))
    pdf = ParsedPdf(letters.parent / "donor.pdf")
    text = pdf.all_text()
    story, figures = text.index("Sam\u2019s story"), text.index("Highlights of the year")
    money, about = text.index("Where the money went"), text.index("About this report")
    assert story < figures < money < about  # the story first, the disclaimer at the end
    # The back page: the contacts only, since the reply strip carries the
    # ways to give (review r36: not twice in one edition).
    back = pdf.text(pdf.page_count)
    assert "Contact" in back and "How to give" not in back
    # The ask after the money, as a reply strip on its page (review r35, 10:
    # that page 30 to 45 % empty), with the organisation's ways to give.
    pages = [pdf.text(n) for n in range(1, pdf.page_count)]
    asked = [n for n, page in enumerate(pages) if "How to give" in page]
    assert asked == [next(n for n, page in enumerate(pages) if "Where the money went" in page)]
    assert "Give online" in pages[asked[0]] and "Sam\u2019s story" not in pages[asked[0]]


def test_a_description_that_repeats_its_title_is_left_out() -> None:
    """Review 2: "Assisted two people to reach safety / Assisted two people to
    reach safety in Southeast Asia"."""
    title = "Assisted two people to reach safety"
    assert note_adds(f"{title} in Southeast Asia.", title) is None
    assert note_adds(title.upper() + ".", title) is None  # case and stops ignored
    assert note_adds("ＡＢ会議", "AB会議") is None  # width too
    assert note_adds("With the ministry's refugee desk.", title) == (
        "With the ministry's refugee desk."
    )
    # A short title may begin a fuller sentence: only an exact repeat goes.
    assert note_adds("Meeting with the refugee desk", "Meeting") is not None
    assert note_adds("Meeting", "Meeting") is None
    assert note_adds("", title) is None and note_adds(None, title) is None
    rows = (
        Activity(date(2025, 5, 1), title, "Rescue", description=f"{title} in Southeast Asia"),
        Activity(date(2025, 6, 1), "Seminar", "Event", description="Seminar on the new law"),
    )
    table = list_section(TABLES["activities"], rows, "en", 50).table
    assert [r.note for r in table.rows] == [None, "Seminar on the new law"]
