"""Every word of a Japanese or Korean page comes from its language: the
packs' grammar in use (particles, counters, the year's name, comparisons,
units), and no English word of reportgen's in a rendered ja or ko edition.

The page checks read the session's shared build of the sample
(``built_sample``); the wording checks compose pages and letters without
rendering them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html

from reportgen.commands.build import load_year
from reportgen.composing.edition_view import year_as_seen_by
from reportgen.composing.page_context import RenderContext, build_context
from reportgen.composing.palette import palette
from reportgen.core import languages
from reportgen.core.diagnostics import Diagnostics
from reportgen.core.editions import EDITIONS
from reportgen.reading.model import FiscalYear
from reportgen.typesetting import edition_render, templating
from reportgen.typesetting.donor_email import wording
from reportgen.typesetting.html_pages import render_html
from reportgen.typesetting.letters import letter_html, make_letters
from tests.conftest import SAMPLE, BuiltSample
from tests.pdfparse import ParsedPdf

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

# Latin words a Japanese or Korean page of the sample may hold, each with why.
ALLOWED = {
    "ICNK": "the coalition's own acronym, used as its name in every language",
    "COI": "the UN Commission of Inquiry's acronym, as Japanese and Korean news write it",
    "NGO": "the acronym Japanese and Korean use (NGO, 国際NGO, 국제 NGO)",
    "NPO": "the acronym of the legal form, as Japanese and Korean write it (NPO法人, NPO 법인)",
    "LFNKR": "the organisation's short name (short_name)",
    "MOFA": "the sample's Korean text names Japan's ministry by its acronym",
    "The Defector": "a film's title as released, in the sample's narrative",
    "reportgen": "the tool's name, in the sample's note about itself",
    "HTML": "a file format's name: the packs' HTML版 / HTML판",
    "PDF": "a file format's name: the packs' PDF",
    "%p": "the Korean unit of percentage points (퍼센트포인트), as Korean reports write it",
    "TEL": "the Japanese label of a telephone number (TEL 03-…), as Japanese print writes it",
    "FAX": "the Japanese label of a fax number (FAX 03-…)",
}
# The sample's anonymised people ("A. P.", "Aさん", "A씨") and cases ("R-12-04").
INITIALS = re.compile(
    r"(?<![A-Za-z])(?:[A-Z]\.\s?){1,3}|(?<![A-Za-z])[A-E](?=\s?さ|\s?씨)|R-\d\d-\d\d"
)
SKIPPED = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\S+\.csv\b")


def english_vocabulary() -> set[str]:
    """Every word of the English packs and of the templates' own text."""
    words: set[str] = set()
    for tag in (t for t in languages.builtin_tags() if languages.base_of(t) == "en"):
        for text in languages.words(tag).values():
            words.update(
                w.lower() for w in re.findall(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}", "", text))
            )
    for template in TEMPLATES.glob("*.j2"):
        source = re.sub(r"\{[{%#].*?[}%#]\}", " ", template.read_text("utf-8"), flags=re.S)
        text = lxml_html.fromstring(source).text_content() if source.strip() else ""
        words.update(w.lower() for w in re.findall(r"[A-Za-z]{2,}", text))
    return words


def foreign_words(text: str) -> list[str]:
    """The Latin words of ``text`` that the allow-list does not explain."""
    text = SKIPPED.sub(" ", text)
    for allowed in sorted(ALLOWED, key=len, reverse=True):
        text = text.replace(allowed, " ")
    text = INITIALS.sub(" ", text)
    return re.findall(r"[A-Za-z][A-Za-z'’-]*", text)


def html_text(path: Path) -> str:
    """An HTML page's visible text and its text alternatives (alt,
    aria-label, title): what a reader or a screen reader meets."""
    tree = lxml_html.fromstring(path.read_bytes())
    # not shown: styles, scripts, and the metadata matplotlib writes into an SVG
    for element in tree.xpath("//style|//script|//*[local-name()='metadata']"):
        element.drop_tree()
    texts = [tree.text_content()]
    texts += tree.xpath("//@alt|//@aria-label|//@title|//title/text()")
    return " ".join(texts)


def test_the_allow_list_and_the_vocabulary_are_what_they_claim() -> None:
    vocabulary = english_vocabulary()
    assert {"compared", "pt", "vs", "logo", "fiscal", "dear"} <= vocabulary | {"pt"}
    assert {"committee", "organizations", "bearers"} <= vocabulary  # the regional packs
    assert foreign_words("FY2011比 +4 pt") == ["FY", "pt"]
    assert foreign_words("〈The Defector〉의 https://x.org/a a@b.org A. P.는") == []


def _described(pdf: ParsedPdf) -> list[str]:
    """What a PDF viewer shows of a document's metadata (not its producer)."""
    shown = ("/Title", "/Subject", "/Author", "/Keywords")
    return [v for k, v in pdf.metadata().items() if k in shown]


def _editions(built: BuiltSample, tag: str) -> dict[str, str]:
    year = built.out / "fy2012"
    found = {
        f"{tag}/{name}": ParsedPdf(year / tag / name).all_text()
        + " ".join(ParsedPdf(year / tag / name).figures())
        + " ".join(_described(ParsedPdf(year / tag / name)))
        for name in ("annual-report.pdf", "handout.pdf", "donor.pdf")
    }
    found[f"{tag}/annual-report.html"] = html_text(year / tag / "annual-report.html")
    return found


@pytest.mark.parametrize(("tag", "letters"), [("ja", ("d-002", "d-007")), ("ko", ("d-009",))])
def test_no_english_word_on_a_japanese_or_korean_page(
    built_sample: BuiltSample, tag: str, letters: tuple[str, ...]
) -> None:
    texts = _editions(built_sample, tag)
    for slug in letters:
        letter = ParsedPdf(built_sample.out / "fy2012" / "donors" / f"{slug}.pdf")
        texts[slug] = letter.all_text() + " ".join(_described(letter))
        # A letter posted abroad ends its address with the country in English
        # capitals, as Japan Post asks (issue 27): the post's words, not the page's.
        texts[slug] = texts[slug].replace("SOUTH KOREA", "")
    vocabulary = english_vocabulary()
    for name, text in texts.items():
        found = foreign_words(text)
        assert not found, (name, sorted(set(found)))
        assert not {w.lower() for w in found} & vocabulary
    link = {"ja": "前年度：2011年度", "ko": "이전 연도: 2011년도"}[tag]  # to the year before
    assert link in texts[f"{tag}/annual-report.html"]
    every = " ".join(texts.values())
    # what the native editors found, each once
    for wrong in (
        "FY2011",
        "FY2012",
        " pt",
        "와(과)",
        "과(와)",
        "(으)로",
        "2の連携団体",
        "国会議員 (6)",
    ):
        assert wrong not in every, wrong


# --- the words a page is composed of, without rendering it ----------------------


def _year(root: Path, name: str = "fy2012") -> FiscalYear:
    diags = Diagnostics()
    year = load_year(root / name, diags)
    assert year is not None, list(diags)
    return year


@pytest.fixture(scope="module")
def sample_years(tmp_path_factory: pytest.TempPathFactory) -> tuple[FiscalYear, FiscalYear]:
    root = tmp_path_factory.mktemp("native") / "reports"
    shutil.copytree(SAMPLE, root)
    return _year(root), _year(root, "fy2011")


def _context(years: tuple[FiscalYear, FiscalYear], edition: str, tag: str) -> RenderContext:
    year, before = years
    seen = year_as_seen_by(year, edition, tag)
    earlier = (year_as_seen_by(before, edition, tag),)
    analysis = edition_render.figures_and_charts(seen, earlier, tag, draw=False)
    return build_context(
        seen, edition, tag, analysis.figures, analysis.earlier[0], analysis.charts,
        palette(year.config.theme), None,
    )  # fmt: skip


def test_japanese_cards_intros_and_comparison_read_as_japanese(
    sample_years: tuple[FiscalYear, FiscalYear],
) -> None:
    ctx = _context(sample_years, "handout", "ja")
    changes = [s.change for s in ctx.stats]
    assert "前年度比 +15件" in changes  # not "+13 FY2011比"
    assert "前年度比 +4ポイント" in changes  # not "+4 pt"
    assert [s.value for s in ctx.stats][:3] == ["36件", "18件", "558人"]
    report = _context(sample_years, "annual-report", "ja")
    assert report.intros["coalitions"] == "2つの連携団体・ネットワークに参加しています。"
    assert "国会議員（6件）" in report.intros["lobbying"] and "計16件" in report.intros["lobbying"]
    assert ctx.say("compared_with", previous=ctx.previous) == "前年度（2011年度）との比較"
    assert ctx.comparison is not None and ctx.comparison.headers[1:3] == ("2012年度", "2011年度")
    assert ctx.say("year_at_a_glance", fiscal_year=ctx.fiscal_year) == "2012年度の概要"
    donor = _context(sample_years, "donor", "ja")
    assert donor.say(
        "donor_letter_1", org="北朝鮮難民救援基金", fiscal_year=donor.fiscal_year
    ).startswith("2012年度も北朝鮮難民救援基金の")
    charts = " ".join(c.alt for c in report.charts.values())
    assert "FY" not in charts and "2012年度" in charts


def test_korean_particles_cards_and_money_read_as_korean(
    sample_years: tuple[FiscalYear, FiscalYear],
) -> None:
    donor = _context(sample_years, "donor", "ko")
    first = donor.say("donor_letter_1", org="북한난민구원기금", fiscal_year=donor.fiscal_year)
    assert first.startswith("2012년도에도 저희 북한난민구원기금과 함께해")  # not 기금와(과)
    changes = [s.change for s in donor.stats]
    assert "전년도 대비 ▲13건" in changes  # the comparison first, one sign
    assert "전년도 대비 ▲4%p" in changes  # a share's change marked as the others are (P14)
    values = [s.value for s in donor.stats]
    assert "981만 엔" in values and "970만 엔" in values  # one style, whole 만
    ctx = _context(sample_years, "annual-report", "ko")
    assert ctx.intros["lobbying"] == (
        "국회의원(6건), 대사관(6건), 정부 부처(4건)와 모두 16건의 면담을 가졌습니다."
    )  # a sentence like the intros around it, its list without 및
    handout = _context(sample_years, "handout", "ko")
    assert handout.say("compared_with", previous=handout.previous) == "전년도(2011년도) 대비"
    assert handout.internal_note is not None and "비공개 활동 4건" in handout.internal_note
    assert "2건이 포함" in handout.internal_note  # 이, chosen by 건


@pytest.mark.parametrize(
    ("tag", "pointer"), [("ja", "「ご寄付の使途」のページ"), ("ko", "‘후원금의 쓰임’ 면")]
)
def test_the_donor_message_points_to_the_section_by_its_title_in_that_edition(
    sample_years: tuple[FiscalYear, FiscalYear], tag: str, pointer: str
) -> None:
    """The donor edition's finances are titled ``where_money_went``; its
    message names them so (not 財務 / 재정, which that edition has not)."""
    ctx = _context(sample_years, "donor", tag)
    page = render_html(ctx, "print", EDITIONS["donor"].template).html
    page = re.sub(r"<(?!/?section)[^>]+>|\u2060", "", page)  # no-break spans, joiners
    message = page.split('class="thank-you"', 1)[1].split("</section>", 1)[0]
    assert pointer in message and page.count(ctx.labels["where_money_went"]) >= 2  # and its h2
    assert "財務" not in message and "재정" not in message


@pytest.mark.parametrize(
    ("tag", "row"),
    [
        ("en", "Partner organisations in our largest coalition"),
        ("ja", "最大の連携ネットワークの加盟団体数"),
        ("ko", "최대 연대체의 회원 단체 수"),
    ],
)
def test_the_comparison_names_the_largest_coalitions_members_as_the_card_does(
    sample_years: tuple[FiscalYear, FiscalYear], tag: str, row: str
) -> None:
    """40 -> 43 is the largest coalition's member count (the sample joins
    several), not a number of partners: the handout's row says so, as its card."""
    ctx = _context(sample_years, "handout", tag)
    assert ctx.comparison is not None
    labels = [r.cells[0] for r in ctx.comparison.rows]
    assert row in labels, labels
    assert row.lower() in [s.label.lower() for s in ctx.stats]


def test_one_word_per_concept_in_each_pack(sample_years: tuple[FiscalYear, FiscalYear]) -> None:
    """The editors' terms: 分野 (the text's 4分野) in the chart, the table and the
    rest; 構成比 / 구성비; 정책 제언 in the section's title as in the category;
    no 幹部 / 간부; a Korean minus, not the Japanese －."""
    ja, ko = languages.words("ja"), languages.words("ko")
    report = _context(sample_years, "annual-report", "ja")
    assert "分野" in report.intros["activities"]
    assert report.charts["chart-by-category"].alt.startswith("分野別の活動")
    assert (ja["category"], ja["share"], ja["group_officer"]) == ("分野", "構成比", "事務局")
    assert "分類" not in " ".join(str(ja[k]) for k in ("by_category", "other_categories"))
    assert ko["lobbying"].startswith("정책 제언") and ko["share"] == "구성비"
    # Korean review 4 (this round): the text's "4개 분야", so 분야 on the page too
    ko_report = _context(sample_years, "annual-report", "ko")
    assert "분야" in ko_report.intros["activities"] and ko["category"] == "분야"
    assert "분류" not in " ".join(str(ko[k]) for k in ("by_category", "other_categories"))
    assert "간부" not in ko["group_officer"] and "幹部" not in ja["group_officer"]
    assert "－" not in ko["net_assets"]
    assert ja["group_officer"] != ja["group_staff"]


def test_section_leads_and_chart_titles_are_sentences_and_plain_terms(
    sample_years: tuple[FiscalYear, FiscalYear],
) -> None:
    """The editors' A-2, A-5 (ja) and P3, P4, P13, P16 (ko): a finances lead
    is a sentence, charts are titled by what they count."""
    ja = _context(sample_years, "annual-report", "ja")
    assert ja.intros["finances"] == "収入は9,805,480円、支出は9,704,300円でした。"
    assert ja.charts["chart-by-target"].alt.startswith("面会先別の面会件数")
    ko = _context(sample_years, "annual-report", "ko")
    assert ko.intros["finances"] == "수입은 9,805,480엔, 지출은 9,704,300엔이었습니다."
    assert ko.charts["chart-income"].alt.startswith("재원별 수입")
    assert ko.charts["chart-expenses"].alt.startswith("용도별 지출")
    trend = ko.charts["chart-trend"].alt
    assert "2011년도 수입 776만 엔·지출 775만 엔, 2012년도" in trend, trend
    subject = languages.label("ko", "email_subject", org="북한난민구원기금", fiscal_year="2012년도")
    assert subject == "[북한난민구원기금] 2012년도 후원에 감사드립니다"


def test_a_korean_letter_wishes_well_in_a_paragraph_of_its_own(
    sample_years: tuple[FiscalYear, FiscalYear],
) -> None:
    letter = next(x for x in make_letters(sample_years[0], None) if x.language == "ko")
    made = letter_html(templating.template("letter.html.j2"), letter, "")
    page = re.sub(r"<(?!/?p\b)[^>]+>|\u2060", "", made)
    assert re.search(r"<p[^>]*>\s*늘 건강하시고 평안하시기를 바랍니다\.\s*</p>", page), page


def _one_language(root: Path, tag: str) -> FiscalYear:
    settings = root / "organization.toml"
    settings.write_text(
        settings.read_text("utf-8").replace(
            'languages = ["en", "ja", "ko"]', f'languages = ["{tag}"]'
        ),
        "utf-8",
    )
    for key in ("title", "role"):  # no words of its own in the language
        for path in (root / "fy2012/report.toml", settings):
            path.write_text(
                re.sub(rf"^{key}_{tag} = .*\n", "", path.read_text("utf-8"), flags=re.M), "utf-8"
            )
    return _year(root)


def test_a_one_language_korean_year_writes_every_letter_in_korean(tmp_path: Path) -> None:
    shutil.copytree(SAMPLE, tmp_path / "reports")
    year = _one_language(tmp_path / "reports", "ko")
    letters = {letter.donor_id: letter for letter in make_letters(year, None)}
    ellison = letters["D-001"]
    assert ellison.language == "ko"
    assert ellison.salutation == "Margaret Ellison 님께"  # not "Dear Ms Ellison"
    assert letters["D-002"].salutation == "山田 花子 님께"  # a Japanese salutation neither
    assert letters["D-009"].salutation == "김민지 님께"  # the donor's own, in Korean
    assert "Representative" not in " ".join(ellison.signature_lines)
    assert ellison.signature_lines[-1] == "대표 가토 히로시 드림"
    donor = next(d for d in year.donors if d.id == "D-001")
    message = wording(year, donor, "ko")
    assert "Dear" not in message.text and "대표 가토 히로시 드림" in message.text
    ctx = _context((year, _year(tmp_path / "reports", "fy2011")), "annual-report", "ko")
    assert ctx.title == "2012년도 연차 보고서"  # the pack's title, not "Annual Report FY2012"


def test_a_japanese_message_closes_without_keigu_and_signs_in_japanese_order(
    tmp_path: Path,
) -> None:
    shutil.copytree(SAMPLE, tmp_path / "reports")
    year = _year(tmp_path / "reports")
    donor = next(d for d in year.donors if d.id == "D-002")
    message = wording(year, donor, "ja")
    assert "敬具" not in message.text  # no 拝啓 in a message, so no 敬具
    assert "<p>北朝鮮難民救援基金\u3000理事長\u3000加藤 博</p>" in message.html  # one line
    letter = next(x for x in make_letters(year, None) if x.donor_id == "D-002")
    assert letter.title.startswith("山田 花子 様への御礼状")
    assert "本年度" not in letter.body and "2012年度" in letter.body
    assert letter.body.endswith("まずは略儀ながら書中にて御礼かたがたご報告申し上げます。")
    # One 差出人: the organisation signs once, no 役職員一同 below the representative.
    assert letter.signature_lines == ("北朝鮮難民救援基金", "理事長\u3000加藤 博")


@pytest.mark.parametrize("tag", languages.builtin_tags())
def test_a_pack_does_not_sign_a_letter_twice(tag: str) -> None:
    """A sign-off naming the organisation below a signature that names it
    already signs the letter twice (北朝鮮難民救援基金 twice)."""
    words = languages.words(tag)
    sign_off, signature = str(words["letter_sign_off"]), str(words["letter_signature"])
    assert not ("{organization}" in sign_off and "{organization}" in signature), tag


def test_a_report_names_its_year_in_a_language_its_own_way(tmp_path: Path) -> None:
    """``fiscal_year_<tag>`` overrides the pack's name of the year everywhere."""
    shutil.copytree(SAMPLE, tmp_path / "reports")
    settings = tmp_path / "reports/fy2012/report.toml"
    text = settings.read_text("utf-8")
    settings.write_text(text.replace('fiscal_year = "FY2012"\n', 'fiscal_year = "FY2012"\n'
                                     'fiscal_year_ja = "平成24年度"\n'))  # fmt: skip
    year = _year(tmp_path / "reports")
    ctx = _context((year, _year(tmp_path / "reports", "fy2011")), "donor", "ja")
    assert ctx.fiscal_year == "平成24年度"
    assert ctx.title.startswith("平成24年度") or "平成24年度" in ctx.document_title
    letter = next(x for x in make_letters(year, None) if x.donor_id == "D-002")
    assert "平成24年度" in letter.thanks
    other = _context((year, _year(tmp_path / "reports", "fy2011")), "donor", "ko")
    assert other.fiscal_year == "2012년도"  # the other languages keep the pack's name


def test_korean_lists_are_commas_and_tied_months_are_counted_not_named(
    sample_years: tuple[FiscalYear, FiscalYear],
) -> None:
    """Review P12: a Korean list joins its last item with a comma, not 및
    (intros, chart notes, alt text); when more than three months tie for the
    most activities, the alt text counts them instead of naming all eight."""
    ko = _context(sample_years, "annual-report", "ko")
    texts = [*ko.intros.values(), *(c.alt for c in ko.charts.values())]
    texts += [n for c in ko.charts.values() for n in c.notes]
    assert texts and not [t for t in texts if " 및 " in t]
    alt = ko.charts["chart-by-month"].alt
    assert alt.endswith("가장 많은 달은 3건으로, 12개월 가운데 8개월입니다."), alt
    ja = _context(sample_years, "annual-report", "ja").charts["chart-by-month"].alt
    assert ja.endswith("最も多い月は3件で、12か月のうち8か月でした。"), ja
    assert "2013年8月" not in ja.split("。")[-2]
    assert languages.typography("ja").list_join == ""  # CLDR's 、 list


def test_japanese_receipts_carry_no_latin_separator_and_name_the_method(
    sample_years: tuple[FiscalYear, FiscalYear],
) -> None:
    """Review R-2, R-5, R-6: the 寄附金受領証明書's header, footer and title
    separate their parts with the language's separator, not "·"; the column
    is 受領方法; the e-mail note asks politely."""
    from datetime import date

    from reportgen.typesetting.receipts import Numbered, make_receipt, receipt_donors, receipt_html

    year = sample_years[0]
    settings = year.config.receipts
    assert settings is not None
    made = []
    for slug, donor, gifts in receipt_donors(year):
        receipt = make_receipt(year, settings, slug, donor, gifts, Numbered("1", date(2013, 1, 1)))
        if receipt.language == "ja":
            made.append(receipt_html(templating.template("receipt.html.j2"), receipt))
    assert made
    for page in made:
        text = re.sub(r"<style.*?</style>", "", page, flags=re.S)
        assert (
            "·" not in text and "　特定非営利活動法人 北朝鮮難民救援基金" in text
        )  # separator, legal form (F-19)
    assert languages.words("ja")["receipt_method"] == "受領方法"
    assert "保管くださいますよう" in languages.words("ja")["receipt_email_note"]
    assert "연말정산" in languages.words("ko")["receipt_email_note"]


SAMPLE_TEXT = {  # the editors' [sample] items: (now written, no longer written)
    "ja": (
        ("脱北者の逃避行を手助けした", "北朝鮮からの脱北者と行動"),
        ("統計では伝えきれないものを伝えてくれます", "統計にはできないこと"),
        ("獄中でスクジャは", "獄中で彼女は"),
        ("（架空の例）日本に定住する", "例示のための架空の例"),
        ("会員・支援者・ボランティアの皆様に感謝し", "1人の第三国への移動"),
        ("説明資料の本国への送付を約束", "送付していただくことに"),  # S-1
        ("2人の若い女性", "二人の若い女性"),  # S-3
        ("会員の皆様", "皆さま"),  # one form, as the pack's 皆様
        ("口座名義：北朝鮮難民救援基金", "寄付」とご住所をお書き添えください。領収書"),
    ),
    "ko": (
        ("그가 돕던 두 사람은", "노구치 씨는 8개월"),  # S1
        ("유엔 조사를 요청했습니다", "여전히 넉넉하지"),  # S2
        ("말이 아닌 행동으로 응답할지를", "들은 바에 따라"),  # S3
        ("회원·후원자·자원봉사자 신년 모임", "질문주의서"),  # S5, S6
        ("정보를 교환했습니다.", "일반 순자산"),  # S6, S7 (보통순자산)
    ),
}


@pytest.mark.parametrize("tag", ["ja", "ko"])
def test_the_samples_own_text_reads_as_the_editors_asked(
    built_sample: BuiltSample, tag: str
) -> None:
    """The [sample] items of the 2026 ja and ko reviews, in the built HTML of
    the annual report and the text of the handout's PDF (its members' notes)."""
    folder = built_sample.out / "fy2012" / tag
    page = (folder / "annual-report.html").read_text("utf-8")
    handout = ParsedPdf(folder / "handout.pdf").all_text()
    text = re.sub(r"\s+", "", re.sub(r"<[^>]+>|\u2060", "", page) + handout)
    notes = {
        "ja": ("活動一覧のうち非公開の項目は", "内部向けの行"),  # H-5
        "ko": ("활동 표의 비공개 행은", "내부용 행"),  # S4
    }
    if tag == "ja":  # the diagram's alt (its caption is in the drawing)
        assert 'alt="連合の模式図' in page and "抽象的な図" not in page
    if tag == "ko":  # T6: a range unspaced, as the cover and the header set it
        assert "2012년 9월~2013년 8월" in page and "9월 ~ 2013" not in page
    for now, before in (*SAMPLE_TEXT[tag], notes[tag]):
        now, before = re.sub(r"\s+", "", now), re.sub(r"\s+", "", before)
        assert now in text and before not in text, (now, before)


def test_japanese_leads_alt_texts_and_titles_read_as_sentences(
    sample_years: tuple[FiscalYear, FiscalYear],
) -> None:
    """Japanese review r34 (R-A3, R-A4, R-A5, R-H1, R-H2, R-D4, R-D6): the
    advocacy lead is a sentence, not a telegraphic fragment; the trend's alt
    text ends each year with 。 (not one year running into the next with 、);
    the month chart's alt text does not repeat its title; the members'
    note joins its two kinds with と and says も; the handout's chart heading
    is not about money; the donor edition's ask box is not titled like the
    back cover; an edition's title takes a half-width space after the year."""
    report = _context(sample_years, "annual-report", "ja")
    assert report.intros["lobbying"].endswith("と、計16件の面会を行いました。"), report.intros
    trend = report.charts["chart-trend"].alt
    assert re.search(r"支出[^、。]+。2012年度：", trend), trend
    by_month = report.charts["chart-by-month"].alt
    assert by_month.startswith("月別の活動件数（2012年度）。") and by_month.count("月別の活動") == 1
    handout = _context(sample_years, "handout", "ja")
    assert handout.labels["charts"] == "活動の内訳"
    assert handout.internal_note == (
        "上記の数字には、公開版の報告書に掲載していない非公開の活動4件と非公開の面会2件も含まれます。"
    )
    assert handout.document_title == "2012年度 総会資料"
    donor = _context(sample_years, "donor", "ja")
    assert donor.labels["donor_ask_title"] != donor.labels["how_to_give"]
    assert "一回のご寄付" not in donor.labels["donor_ask"]
    # The same two-item rule in the other languages: no comma before "and".
    english = _context(sample_years, "handout", "en").internal_note or ""
    assert " and " in english and ", and" not in english


def test_a_japanese_addressee_is_set_larger_than_the_address(
    sample_years: tuple[FiscalYear, FiscalYear],
) -> None:
    """Japanese review r34 R-L1: in a Japanese 宛名 the name is visibly larger
    than the address, and every letter writes the 〒 postcode on its own line."""
    letters = [x for x in make_letters(sample_years[0], None) if x.language == "ja"]
    assert len(letters) >= 2
    for letter in letters:
        assert letter.address_lines[0].startswith("〒"), letter.address_lines
        assert letter.address_lines[letter.address_name].endswith(" 様")
    made = letter_html(templating.template("letter.html.j2"), letters[0], "")
    assert re.search(r'<span class="letter-addressee">[^<]+ 様</span>', made)
    assert ".letter-addressee { font-size: 1.3em" in languages.css("ja", "print")


def test_a_japanese_donor_finds_the_telephone_and_the_legal_form_everywhere(
    built_sample: BuiltSample,
) -> None:
    """Ja review r35 F-19: no telephone anywhere, and no 法人格 on the cover.
    TEL on the letterhead, the receipt, the donor edition's ask and both
    back pages; 特定非営利活動法人 before the name on the cover, the back
    cover and the receipt (its own line above the name in the signature)."""
    out = built_sample.out / "fy2012"
    tel, fax = "TEL 03-5000-0000（架空）", "FAX 03-5000-0001（架空）"
    letter = ParsedPdf(out / "donors" / "d-002.pdf").text(1)
    assert f"{tel} {fax}" in letter
    receipt = ParsedPdf(out / "receipts" / "d-002.pdf").text(1)
    assert f"{tel} {fax}" in receipt
    assert "特定非営利活動法人 北朝鮮難民救援基金 理事長 加藤 博" in receipt
    donor = ParsedPdf(out / "ja" / "donor.pdf")
    # (The back page's heading: 連絡先 where the reply strip gave the ways to give.)
    rest = donor.all_text().split("ご支援のお願い", 1)[1]
    ask = re.split("ご寄付の方法|連絡先", rest, maxsplit=1)[0]
    assert f"{tel} https://www.northkoreanrefugees.com/" in ask  # two ways to reach us
    # Review r36 F-5: TEL and FAX each a label above its number, the hours
    # under the telephone, the organisation's name above them on both back pages.
    donor_back = donor.text(donor.page_count)
    assert "03-5000-0000（架空） 受付時間：平日 10:00～17:00 03-5000-0001（架空）" in donor_back
    assert donor_back.index("特定非営利活動法人 北朝鮮難民救援基金") < donor_back.index("〒101")
    assert fax not in donor_back and "TEL FAX" in donor_back  # the labels, set apart
    report = ParsedPdf(out / "ja" / "annual-report.pdf")
    assert "特定非営利活動法人 北朝鮮難民救援基金" in report.text(1)
    back = report.text(report.page_count)
    assert back.startswith("特定非営利活動法人 北朝鮮難民救援基金") and "03-5000-0001" in back
    english = ParsedPdf(out / "en" / "annual-report.pdf").text(1)
    assert "特定非営利活動法人" not in english  # legal_form_ja is for Japanese pages


def test_the_telephone_line_labels_each_number_in_the_language() -> None:
    from reportgen.composing.formats import telephone_line
    from reportgen.reading.model import Organization

    both = Organization(name="X", telephone="02-123-4567", fax="02-123-4568")
    assert telephone_line(both, "ko") == "전화 02-123-4567 · 팩스 02-123-4568"
    assert telephone_line(both, "ja") == "TEL 02-123-4567\u3000FAX 02-123-4568"
    assert telephone_line(Organization(name="X", fax="0113 496 0001"), "en") == "Fax 0113 496 0001"
    assert telephone_line(Organization(name="X"), "en") == ""
