"""What ``check`` accepts, ``build`` makes: footnotes in quoted paragraphs,
links inside a page, pictures without alt text, and the fiscal year in the
annual report's title, on a copy of the sample that has all of them.

One English build of every edition (a fresh ``reportgen`` process, whose exit
code is the point) serves the tests that read its outputs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from reportgen.core.errors import RenderError
from reportgen.reading import page_anchors
from reportgen.reading.excerpts import excerpt
from reportgen.reading.narrative_html import _parser
from tests import pdfua, wordgen
from tests.conftest import SAMPLE, english_only
from tests.pdfparse import ParsedPdf

NOTE = "Reported by the Japanese press at the time."
WORD_TEXT = "A paragraph about the pictures of the year, long enough to be quoted as an opening."


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), "utf-8")


def _reportgen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, English alone, with: a footnote in the opening paragraph of
    a section every edition quotes or shows; a link in a quoted paragraph to
    a section the handout leaves out; a Markdown image and a Word picture
    without alt text; a title that does not name the fiscal year."""
    import shutil

    reports = tmp_path_factory.mktemp("excerpts") / "reports"
    shutil.copytree(SAMPLE, reports)
    english_only(reports)
    year = reports / "fy2012"
    narrative = year / "narrative"
    stories = narrative / "03-stories.en.md"
    _edit(stories, "sent back to North Korea.", "sent back to North Korea.[^press]")
    stories.write_text(stories.read_text("utf-8") + f"\n[^press]: {NOTE}\n", "utf-8")
    _edit(stories, "Once he was free,", "![](../assets/coalition-network.svg)\n\nOnce he was free,")
    _edit(
        narrative / "02-overview.en.md",
        "Looking back, one thing stands out",
        "(The [stories](#s-stories) tell it in people's words.) Looking back, one thing stands out",
    )
    doc = wordgen.document("Pictures of the year", WORD_TEXT)
    wordgen.add_picture(doc, wordgen.png(), None, 50)
    wordgen.save(doc, narrative / "07-pictures.docx")
    _edit(year / "report.toml", 'title = "Annual Report FY2012"', 'title = "Our Year in Review"')
    return year


@pytest.fixture(scope="module")
def built(year: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = year.parent.parent / "out"
    result = _reportgen("build", str(year), "--out", str(out))
    return out / "fy2012", result


Built = tuple[Path, subprocess.CompletedProcess[str]]


def test_the_year_builds_every_edition(built: Built) -> None:
    folder, result = built
    assert result.returncode == 0, result.stderr
    assert "internal error" not in result.stderr
    for name in ("annual-report.pdf", "annual-report.html", "handout.pdf", "donor.pdf"):
        assert (folder / name).is_file(), name


def test_the_handout_quotes_no_opening_paragraph_and_the_editions_keep_the_note(
    built: Built,
) -> None:
    folder, _ = built
    # The handout's summaries are the ones front matter gives (issue 27), never
    # a section's first paragraph cut off.
    handout = ParsedPdf(folder / "handout.pdf").all_text()
    assert "In December 2003" not in handout and NOTE not in handout
    for name in ("annual-report.pdf", "donor.pdf"):
        assert NOTE in ParsedPdf(folder / name).all_text(), name


def test_every_link_inside_a_page_has_its_target(built: Built, year: Path) -> None:
    folder, _ = built
    page = lxml_html.fromstring((folder / "annual-report.html").read_bytes())
    ids = set(page.xpath("//@id"))
    targets = [h[1:] for h in page.xpath("//a/@href") if h.startswith("#")]
    assert targets and [t for t in targets if t not in ids] == []
    assert "s-stories" in targets  # the narrative's own link, where the section is
    # the print pages of every edition, as WeasyPrint got them
    from reportgen.commands import build
    from reportgen.composing.edition_view import year_as_seen_by
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.core.editions import DOCUMENTS
    from reportgen.typesetting.edition_render import figures_and_charts, print_page

    loaded = build.load_year(year, Diagnostics())
    assert loaded is not None
    for edition in DOCUMENTS:
        seen = year_as_seen_by(loaded, edition, "en")
        made = print_page(seen, edition, "en", figures_and_charts(seen, [], "en", draw=False))
        tree = lxml_html.fromstring(made.html.encode())
        ids = set(tree.xpath("//@id"))
        dangling = [h for h in tree.xpath("//a/@href") if h.startswith("#") and h[1:] not in ids]
        assert dangling == [], edition
        if edition == "handout":  # no first paragraph quoted (issue 27): nor its link
            assert "The stories tell it" not in tree.text_content().replace("\u2060", "")


def test_pictures_without_alt_text_are_decorative_in_the_tags(
    built: Built,
) -> None:
    folder, _ = built
    report = folder / "annual-report.pdf"
    assert pdfua.check(report) == []
    assert "" not in ParsedPdf(report).figures()  # no figure without its /Alt
    text = ParsedPdf(report).all_text()
    assert WORD_TEXT in " ".join(text.split())
    html = (folder / "annual-report.html").read_text("utf-8")
    assert html.count('class="decorative-picture" role="presentation"') == 2
    assert 'alt=""' not in html


def test_check_and_build_give_the_same_located_warnings_for_them(built: Built, year: Path) -> None:
    _, result = built
    checked = _reportgen("check", str(year))
    assert checked.returncode == 0, checked.stderr

    def alt(lines: str) -> list[str]:
        return sorted({ln for ln in lines.splitlines() if "no alt text" in ln})

    assert alt(checked.stderr) == alt(result.stderr)
    assert [re.sub(r"^.*?(narrative/)", r"\1", ln).split(": warning")[0]
            for ln in alt(checked.stderr)] == [
        "narrative/03-stories.en.md:8", "narrative/07-pictures.docx:¶3",
    ]  # fmt: skip


def test_the_annual_report_names_its_fiscal_year(
    built: Built,
) -> None:
    folder, _ = built
    pdf = ParsedPdf(folder / "annual-report.pdf")
    assert "Our Year in Review FY2012" in pdf.text(1)  # the cover
    assert "Our Year in Review FY2012" in pdf.text(4)  # the running foot
    html = (folder / "annual-report.html").read_text("utf-8")
    assert "<title>Our Year in Review FY2012 · " in html
    assert re.search(r'class="cover-title[^"]*">Our Year in Review FY2012<', html)


# --- the parts, without a build -------------------------------------------------


def test_an_excerpt_renumbers_its_notes_and_follows_a_note_that_cites_another() -> None:
    md = _parser()
    text = (
        "Dear all,\n\nA long enough opening paragraph, which is the one a summary quotes[^b]"
        " and again^[An inline note.] and once more[^b].\n\nLater[^a].\n\n"
        "[^a]: Note A.\n[^b]: Note B, after[^a].\n"
    )
    env = {"docId": "s"}
    quote = excerpt(md.parse(text, env), md, "s")
    assert "Dear all" not in quote and "Later" not in quote
    notes = re.findall(r'<li id="([^"]+)" class="footnote-item"><p>(.*?)</p>', quote)
    assert notes == [
        ("fn-s_excerpt-1", 'Note B, after<sup class="footnote-ref"><a href="#fn-s_excerpt-3" '
                           'id="fnref-s_excerpt-3">[3]</a></sup>.'),
        ("fn-s_excerpt-2", "An inline note."),
        ("fn-s_excerpt-3", "Note A."),
    ]  # fmt: skip
    ids = set(re.findall(r' id="([^"]+)"', quote))
    assert all(h in ids for h in re.findall(r'href="#([^"]+)"', quote))


def test_anchors_unlink_the_narratives_links_and_refuse_the_rest() -> None:
    page = '<p id="a"><a href="#a">here</a> <a href="#gone" class="internal-link">there</a></p>'
    assert page_anchors.resolved(page, "x.pdf") == page.replace(' href="#gone"', "")
    with pytest.raises(RenderError, match=r"x\.pdf: links to #fn-1"):
        page_anchors.resolved('<a href="#fn-1">1</a>', "x.pdf")
    # a theme's templates decide what the page has: its links lose their targets quietly
    assert (
        page_anchors.resolved('<a href="#content">skip</a>', "x.html", themed=True) == "<a>skip</a>"
    )


def test_each_letter_has_its_footnotes_in_its_own_document() -> None:
    """Each letter is a document of its own (issue 24): a footnote's link
    lands in the letter that cites it, and every link of it has its target."""
    from reportgen.reading.model import Organization
    from reportgen.typesetting.letters import Letter, letter_html
    from reportgen.typesetting.templating import template

    body = (
        '<p>Thank you.<sup class="footnote-ref"><a href="#fn-letter-1" id="fnref-letter-1">'
        '[1]</a></sup></p><section class="footnotes"><ol><li id="fn-letter-1">'
        "<p>Gift Aid adds 25%.</p></li></ol></section>"
    )
    letter = Letter("d0", "en", "Letter", "", "", "", "", "", "", "2013-10-20",
                    Organization("Org"), None, None, body_html=body)  # fmt: skip
    page = letter_html(template("letter.html.j2", None), letter, "")
    tree = lxml_html.fromstring(page.encode())
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))
    (link,) = tree.xpath("//sup//a/@href")
    assert link[1:] in ids


def test_a_long_paragraph_is_quoted_to_a_glance_with_its_elements_closed() -> None:
    """A 60 KB opening paragraph quoted whole made the handout's columns take
    many minutes to balance (found by tests/test_property.py): the quote is
    cut at a word near EXCERPT_MAX, elements still open are closed, and the
    notes cited only after the cut are not carried."""
    from markdown_it.token import Token

    from reportgen.reading.excerpts import EXCERPT_MAX, excerpt
    from reportgen.reading.narrative_html import _parser

    md = _parser()
    words = "word " * 20_000
    text = f"# T\n\nA note first[^1]. **{words}end**[^2].\n\n[^1]: one\n[^2]: two\n"
    tokens: list[Token] = md.parse(text, {"docId": "t"})
    quote = excerpt(tokens, md, "t")
    tree = lxml_html.fromstring(quote)
    paragraph = tree.xpath("//p")[0].text_content()
    assert EXCERPT_MAX - 20 < len(paragraph) <= EXCERPT_MAX + 10 and paragraph.endswith("…")
    assert quote.count("<strong>") == quote.count("</strong>") == 1
    assert "one" in quote and "two" not in quote
