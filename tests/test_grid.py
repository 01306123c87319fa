"""The print grid (issue 27): running text in a measure of 60-75 characters
(35-45 full-width ones in Japanese and Korean), a side column beside it for
side notes (a narrative's footnotes) and pull quotes (``> [!pull-quote]``),
footnote calls that do not raise their line, a typographic cover and
contents with one device."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from reportgen.core.diagnostics import Diagnostics, Location
from reportgen.core.markup import parse
from reportgen.reading.narrative_html import render_markdown
from reportgen.typesetting.side_notes import side_notes
from reportgen.typesetting.typeset import JOINER, typeset
from tests.conftest import BuiltRoot
from tests.pdfparse import ParsedPdf

MM = 96 / 25.4  # CSS px in a millimetre

NOTES = (
    '<ol class="footnotes-list">'
    '<li id="fn-a-1" class="footnote-item"><p>Resolution 22/13, adopted on '
    '<em>21 March</em> 2013. <a href="#fnref-a-1" class="footnote-backref">↩︎</a></p></li>'
    '<li id="fn-a-2" class="footnote-item"><p>A second note.</p><p>In two paragraphs. '
    '<a href="#fnref-a-2" class="footnote-backref">↩︎</a></p></li>'
    "</ol>"
)


def _call(n: int, again: str = "") -> str:
    return f'<sup class="footnote-ref"><a href="#fn-a-{n}" id="fnref-a-{n}{again}">[{n}]</a></sup>'


def _section(body: str, head: str = "", language: str = "en") -> str:
    return (
        f'<html lang="{language}"><head>{head}</head><body class="medium-print breaks-page">'
        '<main><section class="narrative" id="s-a"><h2>A</h2><div class="prose">'
        f'{body}<hr class="footnotes-sep"><section class="footnotes">{NOTES}</section>'
        "</div></section></main></body></html>"
    )


def _moved(page: str) -> Any:
    parsed = parse(page)
    side_notes(parsed.root)
    return parsed


def test_footnotes_become_side_notes_after_their_first_call() -> None:
    page = _section(
        f"<p>Text{_call(1)} and more.</p><ul><li>An item{_call(2)} here.</li></ul>"
        f"<p>Again{_call(1, ':1')}.</p>"
    )
    root = _moved(page).root
    floats = root.find_class("side-note")
    notes = root.find_class("side-note-item")
    assert len(floats) == 2 and [n.getparent() for n in notes] == floats
    assert [n.get("id") for n in notes] == ["fn-a-1", "fn-a-2"]  # the calls' targets stay
    first, second = ("".join(n.itertext()) for n in notes)
    assert first == "1Resolution 22/13, adopted on 21 March 2013."
    assert second == "2A second note. In two paragraphs."
    assert notes[0].find("em") is not None  # its markup kept
    assert floats[0].getnext().tag == "p" and floats[1].getnext().tag == "ul"
    assert "".join(floats[0].getnext().itertext()) == "Text1 and more."
    assert not root.find_class("footnotes") and not root.find_class("footnotes-sep")
    assert not root.find_class("footnote-backref")
    calls = [a.text for a in root.iter("a") if a.get("href", "").startswith("#fn-")]
    assert calls == ["1", "2", "1"]  # small figures, no brackets


def test_the_notes_one_paragraph_calls_share_one_float() -> None:
    # Two floats begun in one paragraph are set over each other (WeasyPrint).
    root = _moved(_section(f"<p>Text{_call(1)} and then{_call(2)} more.</p>")).root
    (side,) = root.find_class("side-note")
    assert [n.get("id") for n in side] == ["fn-a-1", "fn-a-2"]
    assert "".join(side.getnext().itertext()) == "Text1 and then2 more."


def test_a_note_called_where_no_float_can_go_stays_in_the_list() -> None:
    page = _section(f"<p>Text{_call(1)}.</p><table><tr><td>Cell{_call(2)}</td></tr></table>")
    root = _moved(page).root
    assert [n.get("id") for n in root.find_class("side-note-item")] == ["fn-a-1"]
    (kept,) = root.find_class("footnote-item")
    assert kept.get("id") == "fn-a-2"
    assert root.find_class("footnotes-sep")  # the list and its rule stay for it


def test_a_pictures_title_is_its_caption_in_the_side_column() -> None:
    page = _section(
        '<p><img src="a.png" alt="Volunteers" title="Sorting day, March 2013"></p>'
        '<p>Text <img src="b.png" alt="Inline" title="Not a caption"> in a line.</p>'
    )
    root = _moved(page).root
    (caption,) = root.find_class("side-caption")
    assert caption.text == "Sorting day, March 2013"
    assert caption.getnext().find("img").get("alt") == "Volunteers"


def test_the_screen_keeps_its_footnotes_at_the_end() -> None:
    page = _section(f"<p>Text{_call(1)}.</p><p>More{_call(2)}.</p>")
    screen = typeset(page, "en", "screen")
    assert 'class="side-note"' not in screen and 'class="footnotes"' in screen
    assert 'class="side-note"' in typeset(page, "en", "print")


@pytest.mark.parametrize(
    ("text", "pulled", "first"),
    [
        ('> [!pull-quote]\n> "Words."\n>\n> — A. Name', True, "<p>“Words.”</p>"),
        ("> [!PULL-QUOTE] Words on its line.", True, "<p>Words on its line.</p>"),
        ("> [!pull-quote]\n>\n> Words.", True, "<p>Words.</p>"),
        ("> Words, [!pull-quote] later.", False, "<p>Words, [!pull-quote] later.</p>"),
        ("> A quotation.", False, "<p>A quotation.</p>"),
    ],
)
def test_a_pull_quote_is_a_quotation_marked_as_one(text: str, pulled: bool, first: str) -> None:
    diags = Diagnostics()
    html = render_markdown(text, Location(Path("report.toml"), 1), Path("."), diags, "x")
    assert html is not None and not diags.has_errors
    opening = '<blockquote class="pull-quote">' if pulled else "<blockquote>"
    assert html.startswith(f"{opening}\n{first}"), html


# --- laid out: one render per language ------------------------------------------------

PARAGRAPH = (
    "Throughout the year the group repeatedly visited members of the National Diet, "
    "the Ministry of Foreign Affairs and several foreign embassies in Tokyo, explaining "
    "why the abuses suffered by North Koreans call for an international response. "
)
PARAGRAPH_JA = (
    "北朝鮮難民救援基金の2012年度は2012年9月1日から2013年8月31日までで、本報告書は"
    "2013年10月20日の第16回総会で会員に報告されました。振り返ると、何よりも際立つのは、"
    "北朝鮮の人権状況に対する国際社会の関心が大きく高まったことです。"
)


def _laid_out(language: str, paragraph: str, before: str = "") -> tuple[Any, Any]:
    from weasyprint import HTML

    from reportgen.composing.palette import palette
    from reportgen.reading.model import Theme
    from reportgen.typesetting.html_pages import css_for

    css = css_for(palette(Theme()), "A4", "Noto Sans", "print", None, language)
    body = (
        f'{before}<p id="long">{paragraph * 3}</p>'
        f'<p id="called">{paragraph}{_call(1)} {paragraph}</p>'
        '<blockquote class="pull-quote"><p>“Words set large.”</p></blockquote>'
        f"<p>{paragraph}</p>"
    )
    page = _section(body, f"<style>{css}</style>", language)
    document = HTML(string=typeset(page, language, "print")).render()
    return document, document.pages[0]


def _boxes_of(page: Any) -> dict[str, Any]:
    from reportgen.core.private_apis import box_classes, laid_out_page_box

    boxes = box_classes()
    found: dict[str, Any] = {"lines": {}, "notes": [], "quote": [], "prose": None}

    def walk(box: Any, owner: str | None) -> None:
        element = getattr(box, "element", None)
        if element is not None and element.get("id") in ("long", "called"):
            owner = element.get("id")
        classes = (element.get("class") or "").split() if element is not None else []
        if "prose" in classes and found["prose"] is None:
            found["prose"] = box
        if "side-note" in classes and box.element_tag == "span" and not found["notes"]:
            found["notes"].append(box)
        if "pull-quote" in classes and not found["quote"]:
            found["quote"].append(box)
        if "side-byline" in classes:
            found["byline"] = box
        if isinstance(box, boxes.LineBox) and owner:
            text = "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
            found["lines"].setdefault(owner, []).append((box, text.replace(JOINER, "")))
            owner = None  # a float in the line (a side note) is not the paragraph's
        for child in getattr(box, "children", []):
            walk(child, owner)

    walk(laid_out_page_box(page), None)
    return found


@pytest.mark.parametrize(
    ("language", "paragraph", "least", "most"),
    [("en", PARAGRAPH, 60, 75), ("ja", PARAGRAPH_JA, 35, 45)],
)
def test_text_keeps_its_measure_and_notes_sit_in_the_side_column(
    language: str, paragraph: str, least: int, most: int
) -> None:
    from reportgen.typesetting.preflight import examine

    document, page = _laid_out(language, paragraph)
    found = _boxes_of(page)
    lines = [len(text.strip()) for _, text in found["lines"]["long"][:-1]]
    average = sum(lines) / len(lines)
    assert least <= average <= most, (average, lines)
    prose = found["prose"]
    right = prose.content_box_x() + prose.width
    (note,) = found["notes"]
    (quote,) = found["quote"]
    for box in (note, quote):  # beside the measure, a gutter away, inside the page
        assert box.border_box_x() >= right + 5 * MM, (box.border_box_x(), right)
        assert box.border_box_x() + box.border_width() <= right + 48 * MM
    # The line that calls the note is as tall as the others: the call is not
    # raised above the line, and the lines beside the note keep the measure.
    called = found["lines"]["called"]
    heights = {round(line.height, 1) for line, _ in called}
    assert len(heights) == 1, heights
    assert all(line.position_x + line.width <= right + 1 for line, _ in called)
    assert not [f for f in examine(document.pages, "x.pdf") if f.kind == "outside its box"]


BYLINE = (
    '<aside class="side-byline"><span class="byline-name">Kato Hiroshi</span>'
    '<span class="byline-role">Representative</span><span class="byline-org">Life Funds for '
    "North Korean Refugees</span></aside>"
)


@pytest.mark.parametrize(("language", "paragraph"), [("en", PARAGRAPH), ("ja", PARAGRAPH_JA),
                                                     ("ko", PARAGRAPH_JA)])  # fmt: skip
def test_the_byline_hangs_in_the_side_column_as_the_pull_quote_does(
    language: str, paragraph: str
) -> None:
    """Review r35, 4: the signatory's name block beside the message stood
    5 mm inside the measure in Japanese and Korean (a step in the justified
    edge of paragraph 1): it starts where the pull quote starts, and the
    lines beside it keep the measure."""
    _, page = _laid_out(language, paragraph, BYLINE)
    found = _boxes_of(page)
    prose = found["prose"]
    right = prose.content_box_x() + prose.width
    byline, (quote,) = found["byline"], found["quote"]
    assert abs(byline.border_box_x() - quote.border_box_x()) < 0.5, (byline, quote)
    assert byline.border_box_x() >= right + 5 * MM
    beside = [line for line, _ in found["lines"]["long"]
              if line.position_y < byline.position_y + byline.margin_height()]  # fmt: skip
    # Justified, the longest of them ended 5 mm short of the measure (ja/ko).
    assert language == "en" or max(line.position_x + line.width for line in beside) > right - 4 * MM


def test_the_cover_states_the_year_and_the_contents_use_one_device(
    built_small: BuiltRoot,
) -> None:
    pdf = ParsedPdf(built_small.out / "fy2012" / "annual-report.pdf")
    html = (built_small.out / "fy2012" / "annual-report.html").read_text("utf-8")
    assert 'class="cover cover-typographic"' in html and 'class="cover-hero"' in html
    cover = pdf.text(1)
    assert "activit" in cover  # a key figure's label, under its number
    # Its graphic (review r34): one mark per activity, in its category's
    # colour, and the key in words: as many marks as the year's activities.
    hero = re.search(
        r'"cover-hero"><span class="cover-figure">(\d+)</span> <span[^>]*>activit', html
    )
    assert hero is not None
    assert html.count('<i class="mark') == int(hero.group(1)) > 0
    counts = re.findall(
        r'<span class="key-count">(\d+)</span>',
        html.split('cover-key">')[1].split("</ul>")[0],
    )
    assert sum(map(int, counts)) == int(hero.group(1))
    contents = pdf.text(2)
    assert "..." not in contents and "…" not in contents  # hairlines, no dot leaders


def test_a_pull_quote_is_never_split_between_pages() -> None:
    """Review 2, top ten 2: the donor editions' quote ran from p1 to p2. A
    quote too tall for what is left of the page moves whole to the next."""
    from weasyprint import HTML

    from reportgen.composing.palette import palette
    from reportgen.reading.model import Theme
    from reportgen.typesetting.html_pages import css_for

    css = css_for(palette(Theme()), "A4", "Noto Sans", "print", None, "en")
    quote = "“" + "After I was released, I decided to record it all. " * 12 + "”"
    body = (
        f"<p>{PARAGRAPH * 18}</p>"
        f'<blockquote class="pull-quote"><p>{quote}</p><p>— A. Name</p></blockquote>'
        f"<p>{PARAGRAPH * 6}</p>"
    )
    page = _section(body, f"<style>{css}</style>")
    document = HTML(string=typeset(page, "en", "print")).render()
    holding = [number for number, page in enumerate(document.pages) if _boxes_of(page)["quote"]]
    assert len(holding) == 1, holding


def test_korean_is_justified_in_the_measure_and_ragged_in_a_narrow_column() -> None:
    """Review 2, top ten 4: justified Hangul in a 35 mm pull quote opened gaps
    wider than a word; the measure stays justified."""
    from reportgen.core.private_apis import box_classes, laid_out_page_box

    _, page = _laid_out("ko", PARAGRAPH_JA)
    boxes = box_classes()
    aligned: dict[str, set[str]] = {"quote": set(), "long": set()}

    def walk(box: Any, owner: str | None) -> None:
        element = getattr(box, "element", None)
        if element is not None and "pull-quote" in (element.get("class") or ""):
            owner = "quote"
        elif element is not None and element.get("id") == "long":
            owner = "long"
        if owner and isinstance(box, boxes.ParentBox) and box.element_tag == "p":
            aligned[owner].add(box.style["text_align_all"])
        for child in getattr(box, "children", []):
            walk(child, owner)

    walk(laid_out_page_box(page), None)
    assert aligned == {"quote": {"start"}, "long": {"justify"}}, aligned


def test_a_line_before_bold_words_breaks_at_its_last_space() -> None:
    """Review 2: the UK report set "This" alone on a line, then "is a sample
    ... charity." (a run that nearly fills the measure, then <strong>)."""
    from weasyprint import HTML

    from reportgen.composing.palette import palette
    from reportgen.core.private_apis import box_classes, laid_out_page_box
    from reportgen.reading.model import Theme
    from reportgen.typesetting.html_pages import css_for

    css = css_for(palette(Theme()), "A4", "Noto Sans", "print", None, "en-GB")
    body = (
        '<p id="long">This is a sample made to show what reportgen produces for a UK charity.\n'
        "<strong>Aire Valley Food Bank is invented.</strong> Its name, registration numbers,"
        " people, donors, activities and figures are made up.</p>"
    )
    page = _section(body, f"<style>{css}</style>", "en-GB")
    document = HTML(string=typeset(page, "en-GB", "print")).render()
    boxes = box_classes()
    lines = [
        "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
        for box in laid_out_page_box(document.pages[0]).descendants()
        if isinstance(box, boxes.LineBox)
    ]
    first = next(line for line in lines if line.startswith("This"))
    assert first.startswith("This is a sample"), lines
    assert "<strong> Aire" in typeset(page, "en-GB", "print")


def test_the_typographic_cover_sets_the_headline_figure_huge(built_small: BuiltRoot) -> None:
    """Review 2: "a flat colour field with three numbers, no idea". The first
    key figure is set huge, larger than the title; the others stay small."""
    pdf = ParsedPdf(built_small.out / "fy2012" / "annual-report.pdf")
    sizes: list[tuple[float, str]] = []

    def visit(text: str, cm: Any, tm: Any, _font: object, size: float) -> None:
        if text.strip():
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            sizes.append((size * scale, text.strip()))

    pdf.reader.pages[0].extract_text(visitor_text=visit)
    biggest, text = max(sizes)
    title = max(s for s, t in sizes if "Annual" in t or "Report" in t)
    assert text[:1].isdigit() and biggest >= 60 and biggest > 1.5 * title, (text, biggest, title)


def test_the_handouts_notes_keep_the_measure_and_the_notice_is_a_small_label() -> None:
    """Review 2 (handout p2): the members' notes ran the full 170 mm, their
    notice a 14 pt italic quotation. They keep the report's measure (123 mm);
    a notice is a 9 pt label in a box."""
    from weasyprint import HTML

    from reportgen.composing.palette import palette
    from reportgen.core.private_apis import box_classes, laid_out_page_box
    from reportgen.reading.model import Theme
    from reportgen.typesetting.html_pages import css_for

    css = css_for(palette(Theme()), "A4", "Noto Sans", "print", None, "en")
    page = (
        f'<html lang="en"><head><style>{css}</style></head><body class="edition-handout">'
        '<main><section class="handout-notes" id="members-notes"><h2>Notes</h2>'
        '<div class="prose"><blockquote><p><strong>For members only.</strong> Keep it.</p>'
        f'</blockquote><p id="long">{PARAGRAPH * 3}</p></div></section></main></body></html>'
    )
    document = HTML(string=page).render()
    boxes = box_classes()
    found: dict[str, Any] = {}

    def walk(box: Any) -> None:
        element = getattr(box, "element", None)
        if element is not None and element.tag in ("blockquote", "p"):
            key = element.get("id") or element.tag
            if key not in found and isinstance(box, boxes.BlockBox):
                found[key] = box
        for child in getattr(box, "children", []):
            walk(child)

    walk(laid_out_page_box(document.pages[0]))
    measure = found["long"].width / MM
    assert 118 <= measure <= 125, measure
    notice = found["blockquote"]
    assert notice.style["font_size"] == pytest.approx(12)  # 9 pt in CSS px
    assert notice.style["border_top_width"] > 0 and notice.style["font_style"] == "normal"


def test_the_activities_list_repeats_no_chart_the_page_draws(built_small: BuiltRoot) -> None:
    """r35 ja F-8: "分野別の活動" twice on a page, as the bar chart and as the
    list beside the activities' heading (review r34's side key, TableSpec.key).
    The chart drawn before the list, the key is not repeated beside it."""
    pdf = ParsedPdf(built_small.out / "fy2012" / "annual-report.pdf")
    pages = [pdf.text(i) for i in range(1, pdf.page_count + 1)]
    listed = next(n for n, text in enumerate(pages) if "activities in 2 categories" in text)
    charted = [n for n, text in enumerate(pages) if "Activities by category" in text]
    assert charted and charted[0] <= listed  # the chart, drawn before the list
    assert sum(text.count("Activities by category") for text in pages) == 1, charted


def test_two_who_sign_the_donor_thank_you_sit_side_by_side() -> None:
    """Review r35, 6: the donor edition's two signatories stood one under the
    other (their roles too long for half the measure), and pushed the lead
    story's last lines onto page 2; side by side, as in the letters."""
    from weasyprint import HTML

    from reportgen.composing.palette import palette
    from reportgen.core.private_apis import laid_out_page_box
    from reportgen.reading.model import Theme
    from reportgen.typesetting.html_pages import css_for

    css = css_for(palette(Theme()), "A4", "Noto Sans", "print", None, "en")
    block = ('<p class="signature"><span class="signature-line">{}</span><br>'
             '<span class="signature-line">{}, Aire Valley Food Bank</span></p>')  # fmt: skip
    page = (
        f'<html lang="en"><head><style>{css}</style></head><body class="medium-print '
        'edition-donor"><section class="thank-you"><div class="prose"><p>Thank you.</p>'
        '<div class="signatures"><div class="signature-blocks">'
        + block.format("Helen Okafor", "Chair of Trustees")
        + block.format("Rajesh Patel", "Treasurer")
        + "</div></div></div></section></body></html>"
    )
    found: list[Any] = []

    def walk(box: Any) -> None:
        element = getattr(box, "element", None)
        if (box.element_tag == "p" and "signature" in (element.get("class") or "").split()
                and all(f.element is not element for f in found)):  # fmt: skip
            found.append(box)
        for child in getattr(box, "children", []):
            walk(child)

    walk(laid_out_page_box(HTML(string=page).render().pages[0]))
    first, second = found
    assert first.position_y == second.position_y and second.position_x > first.position_x
    assert first.position_x + first.margin_width() <= second.position_x  # no overlap
    assert first.height == second.height  # each role on one line


@pytest.mark.parametrize("language", ["en", "ja", "ko"])
def test_the_donor_thanks_and_the_story_under_it_share_one_measure(language: str) -> None:
    """Review K35-T4, design review r35 4: the donor edition's 감사의 말씀
    (Korean) and 御礼 (Japanese) were set narrower than the story below them,
    two right edges on one page. In every language they share the story's
    measure. Laid out, not drawn: the two blocks' right edges."""
    from weasyprint import HTML

    from reportgen.composing.palette import palette
    from reportgen.core.private_apis import laid_out_page_box
    from reportgen.reading.model import Theme
    from reportgen.typesetting.html_pages import css_for

    css = css_for(palette(Theme()), "A4", "Noto Sans", "print", None, language)
    page = (
        f'<html lang="{language}"><head><style>{css}</style></head>'
        '<body class="medium-print edition-donor"><main>'
        '<section class="thank-you" id="thank-you"><h2>T</h2><div class="prose letter">'
        "<p>Thanks.</p></div></section>"
        '<section class="narrative" id="s-a"><h2>S</h2><div class="prose"><p>Story.</p></div>'
        "</section></main></body></html>"
    )
    document = HTML(string=typeset(page, language, "print")).render()
    rights: dict[str, float] = {}

    def walk(box: Any) -> None:
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        if "prose" in classes and getattr(box, "element_tag", "") == "div":
            kind = "thanks" if "letter" in classes else "story"
            rights.setdefault(kind, box.content_box_x() + box.width)
        for child in getattr(box, "children", []):
            walk(child)

    for laid_out in document.pages:
        walk(laid_out_page_box(laid_out))
    assert set(rights) == {"thanks", "story"}, rights
    assert abs(rights["thanks"] - rights["story"]) < 0.5, rights
