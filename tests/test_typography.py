"""Issue 13, print finish: quotes, footnote arrows, pull quotes, dates in
tables, Japanese and Korean conventions for numbers and line breaks, long
cover titles, and the handout saying why its counts differ.

Layout checks render real HTML with WeasyPrint and read the line boxes; each
one also renders the same text without ``typeset`` and sees the fault, so the
check can fail."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from reportgen.composing import formats
from reportgen.composing.page_context import title_size
from reportgen.typesetting.typeset import JOINER, curl, typeset
from tests.conftest import BuiltSample
from tests.pdfparse import ParsedPdf

# --- quotes ------------------------------------------------------------------


def test_straight_quotes_curl_in_each_language() -> None:
    assert curl("\"Hi,\" she said. It's 'ok'.", "“”‘’") == "“Hi,” she said. It’s ‘ok’."
    assert curl("O'Brien's \"book\"", "‘’“”") == "O’Brien’s ‘book’"  # en-GB: single first
    assert curl('彼は"はい"と言った', "「」『』") == "彼は「はい」と言った"
    assert formats.words("en")  # the packs load
    from reportgen.core.languages import typography

    assert typography("en-GB").quotes == "‘’“”"
    assert typography("ja").quotes == "「」『』"
    assert typography("ko").quotes == "“”‘’"
    assert typography("en-US").quotes == "“”‘’"  # from en


def test_typeset_leaves_markup_code_and_styles_alone() -> None:
    page = (
        '<style>p>a{content:"x"}</style><p title="it\'s">Don&#39;t <code>"raw"</code> '
        '<a href="/x?a=\'1\'">&quot;go&quot;</a> 2024–25</p><svg><text>"s"</text></svg>'
    )
    out = typeset(page, "en", "screen")
    assert '<style>p>a{content:"x"}</style>' in out
    assert 'title="it\'s"' in out and "href=\"/x?a='1'\"" in out
    assert "Don’t" in out and '<code>"raw"</code>' in out and "“go”" in out
    assert '<text>"s"</text>' in out
    assert JOINER not in out  # the screen keeps its own line breaking
    printed = typeset(page, "en", "print")
    assert f"2{JOINER}0{JOINER}2{JOINER}4{JOINER}–{JOINER}2{JOINER}5" in printed


class _Text(HTMLParser):
    """The text of ``.prose`` blocks, outside code."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.code = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth or ("class", "prose") in attrs:
            self.depth += 1
        self.code += tag in ("code", "pre")

    def handle_endtag(self, tag: str) -> None:
        self.depth = max(0, self.depth - 1) if self.depth else 0
        self.code -= tag in ("code", "pre")

    def handle_data(self, data: str) -> None:
        if self.depth and not self.code:
            self.text.append(data)


def _prose(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text("utf-8"))
    return "".join(parser.text)


def test_narrative_quotes_are_curly_in_every_language(built_sample: BuiltSample) -> None:
    out = built_sample.out / "fy2012"
    en = _prose(out / "en/annual-report.html")
    assert "“Fleeing North Korea: Southeast Asia”" in en
    assert "People’s Republic" in en
    assert '"' not in en and "'" not in en
    ko = _prose(out / "ko/annual-report.html")
    assert "“석방된 뒤" in ko and '"' not in ko
    text = ParsedPdf(out / "en/annual-report.pdf").all_text()
    assert "“After I was released" in text and '"' not in text


def test_pull_quote_hangs_its_mark_and_sets_its_attribution(built_sample: BuiltSample) -> None:
    html = (built_sample.out / "fy2012/en/annual-report.html").read_text("utf-8")
    assert '<span class="hang">“</span>After I was released' in html
    assert '<p class="attribution">— Takayuki Noguchi' in html
    ja = (built_sample.out / "fy2012/ja/annual-report.html").read_text("utf-8")
    assert '<span class="hang">「</span>釈放された後' in ja


# --- fonts: no fallback face for a footnote arrow ----------------------------


def _font_names(path: Path) -> set[str]:
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(path).pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            names.add(str(ref.get_object().get("/BaseFont")))
    return names


def test_no_fallback_font_is_embedded_for_the_footnote_arrow(built_sample: BuiltSample) -> None:
    html = (built_sample.out / "fy2012/en/annual-report.html").read_text("utf-8")
    assert 'class="footnote-backref"' in html  # the screen keeps its way back
    for pdf in sorted((built_sample.out / "fy2012").glob("*/*.pdf")):
        names = _font_names(pdf)
        assert names, pdf
        assert not [n for n in names if "DejaVu" in n], (pdf, names)
    assert "↩" not in ParsedPdf(built_sample.out / "fy2012/en/annual-report.pdf").all_text()


# --- money and changes in Japanese and Korean ---------------------------------


def test_compact_money_follows_each_languages_convention() -> None:
    amount = Decimal(9805480)
    assert formats.format_compact_money(amount, "JPY", "ja") == "980.5万円"
    # Korean sums in whole 만, one style for every size (8,640만 원, 1억 8,000만 원)
    assert formats.format_compact_money(amount, "KRW", "ko") == "981만 원"
    assert formats.format_compact_money(amount, "JPY", "ko") == "981만 엔"
    assert formats.format_compact_money(amount, "JPY", "en") == "¥9.8M"
    assert formats.format_compact_money(Decimal(123456), "USD", "ja") == "12.3万米ドル"


def test_japanese_key_figures_say_yen_after_the_number_and_no_triangle(
    built_sample: BuiltSample,
) -> None:
    pdf = ParsedPdf(built_sample.out / "fy2012/ja/annual-report.pdf")
    figures = next(pdf.text(n) for n in range(1, pdf.page_count + 1) if "数字で見る一年" in
                   pdf.text(n) and "収入合計" in pdf.text(n))  # fmt: skip
    assert re.search(r"\d+(\.\d)?万円", figures)
    assert not re.search(r"[¥￥][\d.]+万", figures)
    assert "▲" not in pdf.all_text() and "△" not in pdf.all_text()
    assert re.search(r"前年度比 \+\d+(%|件)", figures) and "FY2011" not in figures
    assert formats.signed("3", True, "ja") == "−3"  # U+2212, never ▲
    from reportgen.composing.palette import palette
    from reportgen.reading.model import Theme
    from reportgen.typesetting.html_pages import css_for

    css = css_for(palette(Theme()), "A4", "Noto Sans", "print", None, "ja")
    assert ":lang(ja) .stat-change::before { content: none; }" in css


# --- dates in tables ----------------------------------------------------------


def test_table_dates_put_the_day_first_and_never_wrap(built_sample: BuiltSample) -> None:
    html = (built_sample.out / "fy2012/en/annual-report.html").read_text("utf-8")
    assert '<td class="date" data-label="Date">10 Sep 2012</td>' in html
    assert not re.search(r"\b(Sep|Oct|Nov) \d{1,2}, 20\d\d", html)
    assert formats.format_date(__import__("datetime").date(2011, 9, 8), "en-GB", "table") == (
        "8 Sep 2011"  # CLDR's en_GB says "Sept"; the pack's months_short, three letters
    )
    assert "table.data td.date { white-space: nowrap; }" in html


# --- line breaking, measured on WeasyPrint's line boxes -----------------------


def _lines(html: str) -> dict[str, list[list[str]]]:
    """The lines of every element with an id, as WeasyPrint lays them out."""
    from weasyprint import HTML

    from reportgen.core.private_apis import box_classes, laid_out_page_box

    boxes = box_classes()
    found: dict[str, list[list[str]]] = {}

    def walk(box: Any, owner: str | None) -> Iterator[None]:
        element = getattr(box, "element", None)
        if element is not None and element.get("id") and box.element_tag != "html":
            owner = element.get("id")
        if isinstance(box, boxes.LineBox) and owner:
            text = "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
            found.setdefault(owner, [[]])[-1].append(text.replace(JOINER, ""))
            return
        for child in getattr(box, "children", []):
            yield from walk(child, owner)

    document = HTML(string=html).render()
    for page in document.pages:
        list(walk(laid_out_page_box(page), None))
    return found


def _page(language: str, body: str, medium_typeset: bool) -> str:
    from reportgen.composing.palette import palette
    from reportgen.reading.model import Theme
    from reportgen.typesetting.html_pages import css_for

    css = css_for(palette(Theme()), "A4", "Noto Sans", "print", None, language)
    page = f'<html lang="{language}"><head><style>{css}</style></head><body>{body}</body></html>'
    return typeset(page, language, "print") if medium_typeset else page


CELLS = ["イベント", "政策提言", "国会議員", "2011年9月8日", "人道的な処遇"]


def _narrow_table() -> str:
    cells = "".join(f'<td id="c{i}" style="width: 9mm">{t}</td>' for i, t in enumerate(CELLS))
    return f'<table class="data" style="width: 40mm; table-layout: fixed"><tr>{cells}</tr></table>'


def test_japanese_cells_never_break_inside_a_term_or_date() -> None:
    loose = _lines(_page("ja", _narrow_table(), medium_typeset=False))
    assert any(len(loose[f"c{i}"][0]) > 1 for i in range(4))  # the fault, without typeset
    lines = _lines(_page("ja", _narrow_table(), medium_typeset=True))
    for i, term in enumerate(CELLS[:4]):
        assert lines[f"c{i}"][0] == [term], lines[f"c{i}"]
    assert "人道的" in "".join(line for line in lines["c4"][0] if "人" in line and "的" in line)


KOREAN = (
    "2013년 3월, 유엔 인권이사회는 조선민주주의인민공화국 인권에 관한 조사위원회, 곧 유엔 "
    "북한인권조사위원회(COI)를 설치하기로 결정했습니다. 증인들이 공개적으로 증언했습니다."
)


def test_korean_lines_break_only_between_words() -> None:
    body = f'<p id="k" style="width: 60mm; font-size: 12pt">{KOREAN}</p>'
    words = set(KOREAN.split())
    loose = _lines(_page("ko", body, medium_typeset=False))["k"][0]
    assert any(line.strip().split()[-1] not in words for line in loose[:-1])  # the fault
    lines = _lines(_page("ko", body, medium_typeset=True))["k"][0]
    assert len(lines) > 3
    for line in lines:
        for word in line.split():
            assert word in words, (word, lines)


def test_japanese_paragraphs_never_end_on_a_line_of_one_character() -> None:
    # 21 characters at 10 per line: left alone, the last line holds one.
    text = "あいうえおかきくけこさしすせそたちつてとな"
    body = f'<p id="j" style="width: 10em; font-size: 10pt; line-height: 1.5">{text}</p>'
    loose = _lines(_page("ja", body, medium_typeset=False))["j"][0]
    assert len(loose[-1].strip()) == 1
    lines = _lines(_page("ja", body, medium_typeset=True))["j"][0]
    assert len(lines[-1].strip()) >= 3


def test_japanese_pull_quote_is_upright(tmp_path: Path) -> None:
    from weasyprint import HTML

    from reportgen.core.private_apis import box_classes, laid_out_page_box

    boxes = box_classes()
    body = '<div class="prose"><blockquote><p id="q">「記録に残そう」</p></blockquote></div>'
    document = HTML(string=_page("ja", body, medium_typeset=True)).render()
    styles = [
        b.style["font_style"]
        for b in laid_out_page_box(document.pages[0]).descendants()
        if isinstance(b, boxes.TextBox) and "記録" in b.text
    ]
    assert styles == ["normal"]
    english = HTML(string=_page("en", body.replace("「記録に残そう」", '"Record"'), True)).render()
    assert [
        b.style["font_style"]
        for b in laid_out_page_box(english.pages[0]).descendants()
        if isinstance(b, boxes.TextBox) and "Record" in b.text
    ] == ["italic"]


# --- cover titles -------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "size"),
    [
        ("Annual Report 2024–25", ""),  # 21
        ("Annual Report and Impact Review of the Leeds Food Bank 2024–25", "l"),  # 63
        ("2024–25年度 年次報告書", ""),
        ("特定非営利活動法人 北朝鮮難民救援基金 2024–25年度 年次報告書", "l"),
        ("A" * 120, "xl"),
        ("연차 보고서 " * 6, "l"),  # 72: Hangul counts two
    ],
)
def test_cover_title_size_steps_down_with_length(title: str, size: str) -> None:
    assert title_size(title) == size


@pytest.mark.slow  # three annual reports rendered
def test_long_cover_titles_never_break_inside_a_year_range(tmp_path: Path) -> None:
    from reportgen.commands.build import run_build
    from tests.conftest import copy_root

    titles = {
        "title": "Annual Report and Impact Review of Our Work with Refugees 2024–25",
        "title_ja": "北朝鮮難民救援基金 活動と成果の年次報告書 脱北者支援の記録 2024–25",
        "title_ko": "북한 난민 구호 기금 연차 보고서 및 활동 성과 검토 2024–25",
    }
    reports = copy_root("languages", tmp_path)  # the cover in three languages, little else
    path = reports / "fy2012/report.toml"
    text = path.read_text("utf-8")
    text, replaced = re.subn(r"(?m)^title(_ja|_ko)? = .*\n", "", text)
    assert replaced == 3
    head = "\n".join(f'{k} = "{v}"' for k, v in titles.items())
    path.write_text(head + "\n" + text, "utf-8")
    run_build(reports / "fy2012", tmp_path / "out", ["annual-report"])
    for language in ("en", "ja", "ko"):
        pdf = tmp_path / f"out/fy2012/{language}/annual-report.pdf"
        import subprocess

        cover = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert "2024–25" in cover, (language, cover)
        assert not re.search(r"2024–\s*$", cover, re.M), cover


# --- the handout says why its counts exceed the report's ----------------------


def test_handout_names_the_internal_rows_it_counts(built_sample: BuiltSample) -> None:
    out = built_sample.out / "fy2012"
    handout = ParsedPdf(out / "en/handout.pdf").text(1)
    report = ParsedPdf(out / "en/annual-report.pdf").all_text()
    note = re.search(r"These figures include (\d+) internal activities and (\d+) internal "
                     r"advocacy meetings not shown in the public report\.", handout)  # fmt: skip
    assert note, handout
    public = re.search(r"(\d+) ?activities", report)
    members = re.search(r"(\d+) ?activities", handout)
    assert public and members
    assert int(members.group(1)) == int(public.group(1)) + int(note.group(1))
    lobbying = [re.search(r"(\d+) ?advocacy meetings", t) for t in (report, handout)]
    assert lobbying[0] and lobbying[1]
    assert int(lobbying[1].group(1)) == int(lobbying[0].group(1)) + int(note.group(2))
    assert "비공개 활동 4건" in ParsedPdf(out / "ko/handout.pdf").text(1)
    assert "非公開の活動4件" in ParsedPdf(out / "ja/handout.pdf").text(1)
    assert "internal" not in ParsedPdf(out / "en/donor.pdf").all_text().lower().replace(
        "international", ""
    )
    one = formats.label("en", "internal_activities", 1, count="1")
    assert one == "1 internal activity"


def test_a_year_range_stays_on_one_line_where_it_would_break() -> None:
    # Narrow enough that "2024–" fits the second line and "25" would not.
    body = '<h1 id="t" style="width: 6.75em; font-size: 40pt">Annual Report 2024–25</h1>'
    loose = _lines(_page("en", body, medium_typeset=False))["t"][0]
    assert any(line.rstrip().endswith("2024–") for line in loose), loose  # the fault
    lines = _lines(_page("en", body, medium_typeset=True))["t"][0]
    assert any("2024–25" in line for line in lines), lines


def test_a_narrative_file_takes_the_quotes_of_its_own_language(tmp_path: Path) -> None:
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.reading.narrative_html import render_narrative
    from reportgen.reading.readers.narrative import read_narrative

    text = '# T\n\nShe said "it\'s \'fine\'" and `"code"`.\n'
    found = {}
    for name, main in (("a.md", "en"), ("b.md", "en-GB"), ("c.ja.md", "en"), ("d.ko.md", "ja")):
        path = tmp_path / name
        path.write_text(text, "utf-8")
        diags = Diagnostics()
        raw = read_narrative(path, diags)
        assert raw is not None
        section = render_narrative(raw, tmp_path, diags, main)
        assert section is not None and not diags.errors
        found[name] = section.html
    assert "“it’s ‘fine’”" in found["a.md"]
    assert "‘it’s “fine”’" in found["b.md"]  # a shared file: the report's first language
    assert "「it’s 『fine』」" in found["c.ja.md"]  # its own suffix wins
    assert "“it’s ‘fine’”" in found["d.ko.md"]
    assert all("<code>&quot;code&quot;</code>" in html for html in found.values())


def test_no_word_joiner_reaches_bookmarks_or_metadata(built_sample: BuiltSample) -> None:
    for language in ("en", "ja", "ko"):
        pdf = ParsedPdf(built_sample.out / f"fy2012/{language}/annual-report.pdf")
        titles = [entry.title for entry in pdf.outline()]
        assert titles and not [t for t in titles if JOINER in t], titles
        assert JOINER not in pdf.metadata().get("/Title", ""), pdf.metadata()
        assert JOINER not in pdf.all_text()


@pytest.mark.parametrize(
    ("language", "currency", "minor", "expected"),
    [
        ("ja", "JPY", False, "30,000円"),
        ("ko", "JPY", False, "30,000엔"),  # joined, as Korean accounts write it
        ("ko", "KRW", False, "30,000원"),
        ("en", "JPY", False, "¥30,000"),
        ("en-GB", "GBP", True, "£30,000.00"),
    ],
)
def test_whole_amounts_follow_the_packs_money_style(
    language: str, currency: str, minor: bool, expected: str
) -> None:
    from decimal import Decimal

    from reportgen.composing.formats import format_amount, format_money

    shown = format_amount(Decimal(30000), currency, language, minor)
    assert shown == expected
    if not minor:
        assert format_money(Decimal(30000), currency, language) == expected


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("en-GB", "144527.60", "£144,528"),  # review r35: a summary for donors
        ("en-GB", "142416.35", "£142,416"),
        ("en-GB", "-2500.50", "(£2,501)"),  # rounded half up, away from zero
        ("en-GB", "250.50", "£250.50"),  # a small sum keeps its pence
        ("ja", "9805480.40", "9,805,480円"),
        ("ko", "1234567.50", "1,234,568원"),
    ],
)
def test_running_text_says_large_amounts_in_whole_units(
    language: str, amount: str, expected: str
) -> None:
    currency = {"en-GB": "GBP", "ja": "JPY", "ko": "KRW"}[language]
    assert formats.format_text_amount(Decimal(amount), currency, language, True) == expected
    intro = formats.label(language, "finances_intro", income=expected, expenses=expected)
    assert expected in intro


def test_a_receipt_puts_the_signers_role_and_organisation_on_lines_of_their_own() -> None:
    """Review r35: "Chairperson, Life Funds / for North Korean / Refugees"
    wrapped in the receipt's 40 mm box; the role is a line, the name another."""
    from reportgen.reading.model import Signatory

    signer = Signatory(name="Kato Hiroshi", role="Chairperson")
    lines = formats.signature_lines("en", "Life Funds for North Korean Refugees", signer,
                                    "receipt_signer")  # fmt: skip
    assert lines == ("Kato Hiroshi", "Chairperson", "Life Funds for North Korean Refugees")


def test_a_count_of_one_is_said_in_words_in_the_coalitions_intro() -> None:
    """Review r35, 7: "Membership of 1 coalition or network." read as template output."""
    one = formats.label("en-GB", "coalitions_intro", 1, count=1)
    assert one == "We belong to one coalition or network."
    # Review r36, 4: "2 coalitions" too; one to nine in words, ten on in digits.
    assert formats.label("en", "coalitions_intro", 2, count=2) == (
        "We belong to two coalitions and networks."
    )
    assert formats.label("en", "coalitions_intro", 12, count=12) == (
        "We belong to 12 coalitions and networks."
    )
