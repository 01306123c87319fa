"""Issue 26, part 3: Japanese and Korean set by their own rules.

Pure functions first (typeset's rules on a string), then one WeasyPrint
layout of a small page shared by the layout checks: justified lines whose
right edge is straight (Japanese between characters, Korean at spaces),
units, dates and initials never split, brackets set half-width where two
meet. Each layout check also lays out the page as WeasyPrint would alone
(without ``typeset`` or without the justification) and sees the fault."""

from __future__ import annotations

import re
import subprocess
import tomllib
import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.core.languages import fonts, typography
from reportgen.typesetting.typeset import (
    JOINER,
    full_width_brackets,
    half_width_marks,
    typeset,
)
from tests.conftest import SAMPLE, BuiltSample, copy_root
from tests.pdfparse import ParsedPdf

# --- the rules on strings -------------------------------------------------------


def _printed(html: str, language: str) -> str:
    return typeset(html, language, "print")


def test_japanese_parentheses_are_full_width_in_running_text() -> None:
    assert full_width_brackets("北朝鮮難民救援基金 (LFNKR)") == "北朝鮮難民救援基金（LFNKR）"
    assert full_width_brackets("国会議員 (6件)、大使館 (6件)") == "国会議員（6件）、大使館（6件）"
    assert full_width_brackets("ICNK (国際NGO連合)") == "ICNK（国際NGO連合）"
    assert full_width_brackets("see COI (Commission)") == "see COI (Commission)"  # Latin alone
    out = typeset("<p>北朝鮮難民救援基金 (LFNKR)</p>", "ja", "screen")
    assert "（LFNKR）" in out
    assert "(LFNKR)" in typeset("<p>북한난민구원기금(LFNKR)</p>", "ko", "screen")
    assert "Fund (LFNKR)" in typeset("<p>Fund (LFNKR)</p>", "en", "print")


def test_korean_words_stay_whole_in_every_block() -> None:
    """The contract (Korean line breaking between words, keep-all): a body
    paragraph's words stay whole as a heading's, a cell's and a pull quote's
    do, a number and a Latin word with them; and no block ends on a lone
    short word (안전한 / 방)."""
    page = (
        '<div class="prose"><p>국제연대(ICNK)는 2013년에 교육을 실시할 것.</p>'
        '<blockquote class="pull-quote"><p>기록이 남아 있는 한</p></blockquote></div>'
        "<table><tr><td>안전한 방과 식량</td></tr></table>"
    )
    out = _printed(page, "ko")
    body = out[out.index("국") : out.index("</p>")]
    assert body.startswith(JOINER.join("국제연대(ICNK)는")), body
    assert f"교{JOINER}육{JOINER}을" in body and "교육" not in body
    assert body.endswith(f"할\u00a0{JOINER}것{JOINER}.")  # the last line not "것." alone
    quote = out[out.index("기") : out.index("</p></blockquote>")]
    assert f"기{JOINER}록{JOINER}이" in quote
    cell = out[out.index("<td>") : out.index("</td>")]
    assert "방과" not in cell and f"방{JOINER}과" in cell
    assert f"국{JOINER}제" in _printed("<p>국제연대</p>", "ko")


def test_korean_change_signs_are_marked_to_be_set_light() -> None:
    """Design review, KO handout 2: the ▲ weighed more than the figure after
    it. Korean's ▲/▼ are wrapped to be set at 0.7 em in colour; + and − of
    other languages are left as they are."""
    out = typeset("<table><tr><td>▲15</td><td>▼3</td></tr></table>", "ko", "print")
    assert '<span class="change-sign up">▲</span>' in out
    assert '<span class="change-sign down">▼</span>' in out
    assert "change-sign" not in typeset("<p>+15 −3</p>", "en", "print")
    assert "change-sign" not in typeset("<p>+15 −3</p>", "ja", "print")


def test_a_soft_line_break_inside_japanese_is_no_space() -> None:
    out = typeset("<p>報告します。\nこの項では、加藤 博が</p>", "ja", "screen")
    assert "報告します。この項では、加藤 博が" in out  # the name's own space stays
    assert "Hello\nworld" in typeset("<p>Hello\nworld</p>", "ja", "screen")
    spaced = typeset("<p>会員限定。 この項</p>", "ja", "screen")
    assert "会員限定。この項" in spaced  # no space after 。


def test_numbers_keep_their_units_dates_and_initials_in_print() -> None:
    ja = _printed("<p>2013年8月31日までに36件、A. P.は2012年度の</p>", "ja")
    assert joined("2013年") + joined("8月31日") in ja and joined("36件") in ja
    assert joined("A. P.") in ja and joined("2012年度") in ja
    ko = _printed("<p>2만 엔과 9,805,480엔, 4%p 상승</p>", "ko")
    assert joined("2만 엔") in ko and joined("9,805,480엔") in ko and joined("4%p") in ko
    en = _printed("<p>A. P. gave 12 % more</p>", "en")  # language-neutral
    assert joined("A. P.") in en and joined("12 %") in en
    assert JOINER not in typeset("<p>36件</p>", "ja", "screen")


def test_a_korean_determiner_and_an_honorific_stay_with_their_word() -> None:
    """review-ko K35-T7: "한 / 해를", "이른 한 / 사람" and "이영희 / 님께"
    split at a line's end. A one-syllable determiner or numeral (tie_after)
    stays with a following word of up to 3 syllables, 씨 and 님 (tie_before)
    with a name of 2 or 3 syllables or an initial before them; a longer
    word, or 한 inside a word, breaks. A longer name (다카유키) may part
    from 씨에게 (review N36-T1): tied, the two made a unit too wide for a
    justified line's slack (1.12 em word gaps on the donor edition's p1)."""
    ko = _printed(
        "<p>한 해를 마치고 이른 한 사람, 다카유키 씨에게 그 북한인권조사위원회의 한국 "
        "이영희 님께 (김준 씨와 A 씨)</p>",
        "ko",
    )
    nbsp = "\u00a0"
    assert joined("한") + nbsp + joined("해를") in ko
    assert joined("한") + nbsp + joined("사람,") in ko
    assert joined("다카유키") + " " + joined("씨에게") in ko
    assert joined("이영희") + nbsp + joined("님께") in ko
    assert joined("(김준") + nbsp + joined("씨와") in ko
    assert "A" + nbsp in ko and joined("씨)") in ko
    assert joined("그") + " " + joined("북한인권조사위원회의") in ko  # too long to tie
    assert joined("마치고") + " " + joined("이른") + " " + joined("한") in ko
    assert nbsp not in _printed("<p>한 해를</p>", "ja")


def test_a_short_korean_title_in_angle_brackets_stays_on_one_line() -> None:
    """review-ko N36-T4: "다큐멘터리 〈The / Defector〉의" split inside a two-word
    title. A title in 〈〉 or 《》 of up to 12 characters (title_letters) has
    no-break spaces; a longer one breaks as text does (held whole, it would
    leave the line before it loose), and Japanese is untouched."""
    ko = _printed(
        "<p>다큐멘터리 〈The Defector〉의 리뷰와 《탈북 도피행》, "
        "연재 〈탈북, 도피행: 동남아시아 편〉은</p>",
        "ko",
    )
    ko = re.sub(r"</?span[^>]*>|\u2060", "", ko)  # the brackets' spans (halt), the joiners
    nbsp = "\u00a0"
    assert "〈The" + nbsp + "Defector〉의" in ko
    assert "《탈북" + nbsp + "도피행》," in ko
    assert "〈탈북, 도피행: 동남아시아 편〉은" in ko  # 16 characters: breaks
    assert nbsp not in _printed("<p>〈The Defector〉の評</p>", "ja")


def test_a_short_korean_term_in_a_cell_stays_on_one_line() -> None:
    out = _printed(
        "<table><tr><td>정책 제언</td><td>연대 파트너 단체들과 함께 성명을</td></tr></table>", "ko"
    )
    assert joined("정책 제언") in out
    assert joined("연대 파트너") not in out  # a sentence still breaks between words


def test_an_english_date_in_a_cell_stays_on_one_line() -> None:
    """The sample's timeline (en p5) broke "September 2012 – August / 2013"
    in its narrow "When" column; a date is one unit in a cell, as a CJK
    one is, and the range may still break at its dash."""
    out = _printed("<table><tr><td>September 2012 – August 2013</td></tr></table>", "en")
    assert joined("September 2012") + " – " + joined("August 2013") in out
    cell = _printed("<table><tr><td>20 October 2013, Aug. 20, 2013, May</td></tr></table>", "en")
    assert joined("20 October 2013") in cell and joined("Aug. 20, 2013") in cell
    prose = _printed("<p>On 20 October 2013 we met.</p>", "en")
    assert JOINER not in prose  # running text breaks where English may


def test_adjacent_marks_are_compressed_in_japanese() -> None:
    ja = typography("ja")
    text = "：『The Defector』（映画）。「あ」"
    marks = {text[i] + str(i) for i in half_width_marks(text, ja)}
    assert marks == {
        "『1",
        "』14",
        "）18",
        "。19",
    }  # ：『 (the second); 』（, ）。, 。「 (the first)
    assert half_width_marks("あいう、えお", ja) == set()
    ko = typography("ko")
    assert half_width_marks("〈탈북〉이", ko) == {0, 3}
    assert half_width_marks("“x”", typography("en")) == set()
    out = typeset("<p>：『The Defector』</p>", "ja", "screen")
    assert '<span class="halt">『</span>' in out


def joined(text: str) -> str:
    return JOINER.join(text.replace(" ", "\u00a0"))


# --- measured on WeasyPrint's layout ---------------------------------------------

JA = (
    "映画は、本を手に取ることのない人々にも同じ物語を届けることができます。当基金の理事の"
    "一人であるA. P.は、二人の若い女性を追ったドキュメンタリー映画『The Defector』の評を"
    "書きました。2013年8月31日までに36件の活動を行い、国会議員（6件）と面会しました。"
    "二人の脱出の経緯は、多くの北朝鮮女性の体験と重なるものです。スクジャの姉は7年前、"
    "働いて家族に仕送りをするために中国へ渡っていました。"
)
KO = (
    "영화는 책을 펼쳐 볼 일이 없는 사람들에게도 같은 이야기를 전할 수 있습니다. 저희 이사 중 "
    "한 명인 A. P.는 두 젊은 여성을 따라간 다큐멘터리 〈The Defector〉의 리뷰를 썼습니다. "
    "2012년도에 보내 주신 2만 엔의 후원금은 저희 활동에 큰 힘이 되었습니다. 두 사람의 "
    "탈출은 많은 북한 여성들이 겪은 일과 닮아 있습니다. 2013년 8월 31일까지 모두 32건의 "
    "활동을 펼쳤습니다."
)


def _body(language: str, text: str, width: str) -> str:
    return (
        f'<div class="prose"><p id="p" style="width: {width}; font-size: 10pt; '
        f'text-indent: 0">{text}</p></div>'
    )


@cache
def _laid_out(
    language: str, text: str, width: str, typeset_it: bool
) -> tuple[tuple[Any, ...], ...]:
    """Each line of ``#p``: (text, left, right) of its text, in CSS px."""
    from weasyprint import HTML

    from reportgen.composing.palette import palette
    from reportgen.core.languages import justified_between
    from reportgen.core.private_apis import (
        box_classes,
        justify_between_characters,
        laid_out_page_box,
    )
    from reportgen.reading.model import Theme
    from reportgen.typesetting.html_pages import css_for

    if typeset_it:  # else the page as main set it: no typeset, ragged right
        justify_between_characters(justified_between())
    boxes = box_classes()
    css = css_for(palette(Theme()), "A4", "Noto Sans", "print", None, language)
    body = _body(language, text, width)
    page = f'<html lang="{language}"><head><style>{css}</style></head><body>{body}</body></html>'
    if typeset_it:
        page = typeset(page, language, "print")
    else:
        page = page.replace('id="p" style="', 'id="p" style="text-align: start; ')
    lines: list[tuple[str, float, float]] = []

    def walk(box: Any, inside: bool = False) -> Iterator[None]:
        element = getattr(box, "element", None)
        inside = inside or (element is not None and element.get("id") == "p")
        if isinstance(box, boxes.LineBox) and inside:
            texts = [t for t in box.descendants() if isinstance(t, boxes.TextBox)]
            if texts:
                lines.append(
                    (
                        "".join(t.text for t in texts).replace(JOINER, "").replace("\u00a0", " "),
                        min(t.position_x for t in texts),
                        max(t.position_x + t.width for t in texts),
                    )
                )
            return
        for child in getattr(box, "children", []):
            yield from walk(child, inside)

    document = HTML(string=page).render()
    list(walk(laid_out_page_box(document.pages[0])))
    return tuple(lines)


def _ragged(lines: tuple[tuple[Any, ...], ...]) -> float:
    """How far the right ends of all lines but the last spread, in CSS px."""
    rights = [right for _, _, right in lines[:-1]]
    return max(rights) - min(rights)


def test_japanese_lines_are_justified_between_characters() -> None:
    lines = _laid_out("ja", JA, "83mm", True)
    assert len(lines) > 4
    assert _ragged(lines) < 0.05, lines
    assert _ragged(_laid_out("ja", JA, "83mm", False)) > 2  # without the pack's justify: ragged


def test_korean_lines_are_justified_words_whole() -> None:
    """Every line but the last ends flush, except one that holds a Latin
    title: Latin letters and digits are never letter-spaced, so such a line
    may have too few syllables to take its slack within justify_limit."""
    lines = _laid_out("ko", KO, "70mm", True)
    assert len(lines) > 3
    hangul = tuple(line for line in lines[:-1] if not re.search(r"[A-Za-z]{3}", line[0]))
    assert len(hangul) >= 3 and _ragged((*hangul, lines[-1])) < 0.05, lines


WHOLE = {
    "ja": ("2013年", "8月31日", "36件", "A. P.", "（6件）"),
    "ko": ("2만 엔", "A. P.", "2012년도에", "8월 31일"),
}
WIDTHS = ("43mm", "47mm", "52mm", "61mm", "70mm", "83mm")


def _split(language: str, text: str, width: str, typeset_it: bool) -> list[str]:
    """The units of ``WHOLE`` that no line holds whole."""
    lines = [line for line, _, _ in _laid_out(language, text, width, typeset_it)]
    return [unit for unit in WHOLE[language] if not any(unit in line for line in lines)]


def test_units_dates_and_initials_never_split_at_a_line_end() -> None:
    for language, text in (("ja", JA), ("ko", KO)):
        alone = {unit for width in WIDTHS for unit in _split(language, text, width, False)}
        assert alone, language  # WeasyPrint alone splits some of them at some width
        for width in WIDTHS:
            assert _split(language, text, width, True) == [], (language, width)


# --- fonts: any script the data holds --------------------------------------------


@pytest.mark.slow
def test_an_english_report_with_korean_and_japanese_data_has_every_glyph(tmp_path: Path) -> None:
    """A Korean partner's name and a Japanese title in an English report, a
    Hangul category in its charts: matplotlib measures every label with a
    face that has its glyphs (no "Glyph ... missing" warning), and the PDF
    shows no missing glyph (``--strict`` fails on one)."""
    reports = copy_root("clean", tmp_path)
    activities = reports / "fy2012" / "data" / "activities.csv"
    activities.write_text(
        "date,title,category,location,description,participants,visibility\n"
        "2012-09-10,Statement with 북한인권시민연합,Advocacy,Tokyo,With partners.,,public\n"
        "2012-11-15,Talk at 東京大学 (とうきょう),행사,Tokyo,A talk.,20,public\n"
        "2013-03-02,Members' planning day,Event,Tokyo,Planning.,14,internal\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["build", str(reports / "fy2012"), "--out", str(out), "--edition", "handout", "-q"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CliRunner().invoke(cli, [*args, "--strict"])
    assert result.exit_code == 0, result.output
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    pdf = out / "fy2012" / "handout.pdf"
    drawn = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True)
    assert "행사" in drawn.stdout  # the chart's category, drawn as text


# --- the packs' and the sample's words ---------------------------------------------


def _sample_year() -> Any:
    from reportgen.commands.build import load_year
    from reportgen.core.diagnostics import Diagnostics

    diags = Diagnostics()
    year = load_year(SAMPLE / "fy2012", diags)
    assert year is not None, list(diags)
    return year


def test_letters_sign_off_and_set_their_heading_as_each_language_does() -> None:
    from reportgen.typesetting.letters import make_letters

    letters = {x.donor_id: x for x in make_letters(_sample_year(), None)}
    japanese, korean, english = letters["D-002"], letters["D-009"], letters["D-001"]
    # One sender: the signature names the organisation, no 役職員一同 below it.
    assert japanese.signatures[2] == () and english.signatures[2] == ()
    assert japanese.signature_lines[:2] == ("北朝鮮難民救援基金", "理事長\u3000加藤 博")
    # Every letter sets its heading above the salutation (감사의 말씀, then 김민지 님께).
    template = (Path(__file__).parents[1] / "templates" / "letter.html.j2").read_text("utf-8")
    assert template.index('class="letter-to"') < template.index('class="letter-salutation"')
    assert korean.heading and japanese.heading


def test_the_japanese_figure_cards_put_the_label_first() -> None:
    from weasyprint import HTML

    from reportgen.composing.palette import palette
    from reportgen.core.private_apis import box_classes, laid_out_page_box
    from reportgen.reading.model import Theme
    from reportgen.typesetting.html_pages import css_for

    card = (
        '<ul class="stats"><li class="stat"><span class="stat-value">32件</span>'
        '<span class="stat-label">活動件数</span>'
        '<span class="stat-change up">前年度比 +13件</span></li></ul>'
    )
    boxes = box_classes()

    def tops(language: str) -> dict[str, float]:
        css = css_for(palette(Theme()), "A4", "Noto Sans", "print", None, language)
        page = (
            f'<html lang="{language}"><head><style>{css}</style></head><body>{card}</body></html>'
        )
        found: dict[str, float] = {}

        def walk(box: Any) -> None:
            if isinstance(box, boxes.TextBox):
                found.setdefault(box.text, box.position_y)
            for child in getattr(box, "children", []):
                walk(child)

        walk(laid_out_page_box(HTML(string=page).render().pages[0]))
        return found

    ja = tops("ja")
    assert ja["活動件数"] < ja["32件"] < ja["前年度比 +13件"]  # 活動件数, then 32件
    en = tops("en")
    assert en["32件"] < en["活動件数"]  # other languages keep the number first


def test_the_sample_reads_as_written_after_its_year() -> None:
    """The sample's own text ([sample] of the native review): a year that has
    ended is not 今年 / 올해, the Korean 그해, 단 1엔도 and 외무성 alone,
    the Japanese message signed on one line in Japanese order."""
    for path in sorted(SAMPLE.glob("fy20*/narrative/*.ja.md")):
        text = path.read_text("utf-8")
        assert "今年" not in text and "感謝を込めて" not in text, path
        assert "二人の" not in text, path  # numerals as the rest of the text: 2人
    for path in sorted(SAMPLE.glob("fy20*/narrative/*.ko.md")):
        text = path.read_text("utf-8")
        for wrong in ("올해", "그해", "단 1엔도", "MOFA"):
            assert wrong not in text, (path, wrong)
        assert not re.search(r"(?<!일본 )외무성", text), path
    message = (SAMPLE / "fy2012/narrative/01-message.ja.md").read_text("utf-8")
    assert "北朝鮮難民救援基金　理事長　**加藤 博**" in message  # one title (review r35 F-7)
    giving = (SAMPLE / "organization.toml").read_text("utf-8")
    assert "통신란" not in giving and "예금주: 북한난민구원기금" in giving
    assert "**銀行振込**：" in giving and "：** " not in giving  # bold closes, no space after ：
    assert "invented" in (SAMPLE / "fy2012/narrative/05-about-this-report.en.md").read_text("utf-8")


def test_a_japanese_letter_asks_for_nothing_at_its_foot(built_sample: BuiltSample) -> None:
    year = built_sample.out / "fy2012"
    japanese = ParsedPdf(year / "donors" / "d-002.pdf").text(1)
    assert "銀行振込" not in japanese and "役職員一同" not in japanese  # one sender
    # The Korean letter keeps an ask at its foot. Its donor (d-009) lives in
    # Seoul, abroad from the organisation's country, so the ask is the set's
    # ``giving_abroad_ko``, never the domestic bank and postal transfer.
    org = tomllib.loads((built_sample.reports / "organization.toml").read_text("utf-8"))
    words = " ".join(ParsedPdf(year / "donors" / "d-009.pdf").text(1).split())
    abroad = org["organization"]["giving_abroad_ko"].replace("**", "").split()
    assert " ".join(abroad[-6:]) in words, words  # the ask's own words, as written
    domestic = re.search(r"\*\*(.+?):?\*\*", org["organization"]["giving_ko"])
    assert domestic and domestic.group(1).rstrip(":") not in words  # no 은행 송금


def test_an_opening_bracket_that_starts_a_justified_line_is_trimmed() -> None:
    # Ten characters fill each 10em line: the second line opens with 「.
    text = "あいうえおかきくけこ「さしすせそ」となにぬねのはひふへほまみむめもやゆよ。"
    lines = _laid_out("ja", text, "100pt", True)
    assert lines[1][0].startswith("「"), lines
    # The bracket is set half-width in place (the font's halt feature), so
    # the line keeps its start, inside its box; that the bracket's blank is
    # gone on the page is test_korean_justification's
    # test_a_trimmed_bracket_stays_inside_its_box.
    assert lines[1][1] == pytest.approx(lines[0][1], abs=0.01)  # never outside the box
    assert lines[1][2] == pytest.approx(lines[0][2], abs=0.01)  # the right edge as straight


def test_no_space_before_a_parenthesis_in_the_korean_packs_words() -> None:
    from reportgen.core.languages import words

    spaced = {k: v for k, v in words("ko").items() if re.search(r"[\uac00-\ud7a3] \(", v)}
    assert spaced == {}  # 재무상태표(2013년 8월 31일 현재), not 재무상태표 (…)


def test_a_cells_last_line_keeps_three_characters_after_a_joined_compound() -> None:
    cell = "<td>第三国を経由して移動する北朝鮮の人々の保護</td>"
    out = _printed(f"<table><tr>{cell}</tr></table>", "ja")
    assert joined("の保護") in out  # not "の / 保護": 保護 was joined as a compound first


def test_half_width_marks_are_narrower_on_the_page() -> None:
    half_em = 10 * 4 / 3 / 2  # of the 10pt text, in CSS px
    for language, text, marks in (
        ("ko", "연재 〈탈북, 도피행〉이 실렸고", 2),  # 〈 and 〉
        ("ja", "映画：『The Defector』（2013年）を見た", 2),  # 『 after ：, 』 before （
    ):
        loose = _laid_out(language, text, "120mm", False)
        tight = _laid_out(language, text, "120mm", True)
        assert len(loose) == len(tight) == 1
        narrower = (loose[0][2] - loose[0][1]) - (tight[0][2] - tight[0][1])
        assert narrower == pytest.approx(marks * half_em, abs=0.05), (language, narrower)


def test_emphasis_in_japanese_and_korean_is_gothic_not_bold() -> None:
    from weasyprint import HTML

    from reportgen.composing.palette import palette
    from reportgen.core.private_apis import box_classes, laid_out_page_box
    from reportgen.reading.model import Theme
    from reportgen.typesetting.html_pages import css_for

    boxes = box_classes()
    titles = (("ja", "『<em>脱北、逃避行</em>』"), ("ko", "《<em>탈북, 도피행</em>》"))
    colors = palette(Theme())
    for language, title in titles:
        css = css_for(colors, "A4", "Noto Sans", "print", None, language)
        # In serif prose (the Korean annual report), and in an edition the
        # pack sets in its gothic alone (the handout), where the headings'
        # colour sets it apart (issue 29).
        for edition, color in (("annual-report", None), ("handout", colors.primary_text)):
            if edition == "annual-report" and edition in fonts(language).one_family:
                continue
            body = f'<body class="edition-{edition}"><div class="prose"><p>{title}</p></div></body>'
            page = f'<html lang="{language}"><head><style>{css}</style></head>{body}</html>'
            emphasised = [
                b.style
                for b in laid_out_page_box(HTML(string=page).render().pages[0]).descendants()
                if isinstance(b, boxes.TextBox) and b.text in ("脱北、逃避行", "탈북, 도피행")
            ]
            assert [s["font_weight"] for s in emphasised] == [400], language  # not 700
            assert "Sans CJK" in emphasised[0]["font_family"][0]
            text = emphasised[0]["color"]
            shown = "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in text[:3]))
            assert (shown == color.lower()) if color else shown != colors.primary_text.lower()


def test_a_japanese_salutation_or_signature_is_a_line_not_indented_prose() -> None:
    page = (
        "<p>会員の皆さま、支援者の皆さまへ</p><p>私たちは毎年、問いを投げかけています。</p>"
        "<p>北朝鮮難民救援基金　代表　<strong>加藤 博</strong></p><p>「記録に残そう」</p>"
    )
    out = typeset(page, "ja", "print")
    assert out.count('class="line"') == 2
    assert '<p class="line">会員の皆さま' in out and '<p class="line">北朝鮮難民救援基金' in out
    assert 'class="line"' not in typeset("<p>Dear members</p>", "en", "print")


def test_an_address_kept_whole_reads_back_letter_for_letter() -> None:
    """Review r36: an e-mail or web address is kept whole (no break after
    "https://"); joiners between its letters sat inside the "ffi" ligature of
    "office" and its text read back as "oޱce@…". Joiners only beside marks."""
    from weasyprint import HTML

    words = "Write to office@example.org or https://www.office-affairs.org/give today."
    page = typeset(f'<html lang="en"><body><p>{words}</p></body></html>', "en", "print")
    assert "office" in page and "@\u2060" in page  # letters bare, the marks held
    pdf = pdfium.PdfDocument(HTML(string=page).write_pdf())
    assert pdf[0].get_textpage().get_text_range() == words
