"""Japanese display text breaks between phrases (文節), never inside a word
(Japanese review r34 R-A6, R-A7, R-D3, R-D5, R-T1, R-T2; design review, JA
donor edition 2 and 3): typeset's rules on strings, then the sample's PDFs."""

from __future__ import annotations

import re

from reportgen.core.languages import typography
from reportgen.typesetting.typeset import JOINER, PHRASE_MOST, held, typeset
from tests.conftest import BuiltSample
from tests.pdfparse import ParsedPdf


def _set(body: str, language: str = "ja") -> str:
    return typeset(body, language, "print")


def _whole(word: str) -> str:
    return JOINER.join(word)


def test_a_gift_panel_item_and_the_giving_details_break_between_phrases() -> None:
    panel = _set(
        '<section class="gift-at-work"><div class="prose"><ul><li><strong>5,000円</strong> '
        "移動を待つご家族の一晩の宿と食事</li><li>1人が安全な第三国へ移るための旅費</li>"
        "</ul></div></section>"
    )
    for word in ("一晩の", "ご家族の", "移るための", "第三国へ"):
        assert _whole(word) in panel, (word, panel)
    giving = _set(
        '<div class="prose giving"><p>口座名義：北朝鮮難民救援基金（架空の口座）</p></div>'
    )
    assert _whole("（架空の") in giving


def test_a_table_cell_keeps_a_compound_particle_with_its_noun() -> None:
    """議題: 国連調査委員会につい/ての broke inside について."""
    cell = _set(
        "<table><tr><td>北朝鮮の人権に関する国連調査委員会についての日本の立場</td></tr></table>"
    )
    assert _whole("国連調査委員会についての") in cell, cell
    assert _whole("人権に") in cell and "に" + JOINER + "関" not in cell  # a break stays


def test_running_prose_still_breaks_anywhere_and_korean_is_untouched() -> None:
    prose = _set(
        '<div class="prose"><p>起きたことを記録に残そうと決めました。同じ目に遭う人が</p></div>'
    )
    assert "起き" in prose  # a justified body breaks between any two characters
    assert typography("ja").phrases and not typography("ko").phrases  # Korean: its own rules


def test_a_paragraph_never_ends_on_four_characters_or_fewer() -> None:
    """R-A6 ("…行い/ました。"): a lead, ragged, keeps five on its last line;
    justified body text two and a mark, never 「す。」 alone (more would
    letter-space the line above it: review r35 F-9)."""
    lead = _set('<p class="intro">4分野で計32件の活動を行いました。</p>')
    assert _whole("いました。") in lead, lead
    story = _set('<div class="prose"><p>それが野口さんの願いです。</p></div>')
    assert _whole("です。") in story and _whole("いです。") not in story, story


def test_an_attribution_starts_the_work_it_names_on_a_line_of_its_own() -> None:
    """R-A7: ―― 野口孝行「脱北、/逃避行：東南アジア編」/第1回 broke inside the title."""
    quote = _set(
        '<div class="prose"><blockquote class="pull-quote"><p>「記録に残そう」</p>'
        "<p>―― 野口孝行「脱北、逃避行：東南アジア編」第1回</p></blockquote></div>"
    )
    attribution = re.search(r'<p class="attribution">(.*?)</p>', quote)
    assert attribution, quote
    assert attribution.group(1).startswith("―")
    assert re.search(r'<span class="work">「[^<]*第\u2060?1\u2060?回</span>', attribution.group(1))


def test_the_sample_s_japanese_pages_break_no_word_the_review_named(
    built_sample: BuiltSample,
) -> None:
    folder = built_sample.out / "fy2012" / "ja"
    donor = ParsedPdf(folder / "donor.pdf").all_text()
    report = ParsedPdf(folder / "annual-report.pdf").all_text()
    for broken in ("一 晩", "1週間 分", "移 る", "（架 空", "架 空の口座"):
        assert broken not in donor, broken
    for broken in ("につい ての", "人々 の保護", "行い ました。"):
        assert broken not in report, broken
    # Review r36 F-2, F-4: names, the giving box's words and the address.
    for broken in ("野 口孝行氏", "口座名 義", "支えら れています", "https:// "):
        assert broken not in donor, broken
    for broken in ("野口孝 行氏", "北朝 鮮難民", "北朝鮮 難民救援基金", "北朝鮮難民救援 基金"):
        assert broken not in report, broken


def test_a_long_phrase_breaks_before_its_formal_noun_not_inside_it() -> None:
    """Review r35 F-17: BudouX's one phrase つながるわけではありません was
    broken anywhere ("保護につながるわけ / ではありません"); its parts now
    stay whole, a break allowed before わけ. No run kept whole is longer
    than a pull quote's line (9 characters at 12 pt in 40 mm): わけではありません」
    whole left the quote's box by 10 pt; it breaks after its particle."""
    quote = _set('<blockquote class="pull-quote"><p>「関心の高まりが、そのまま人々の'
                 "保護につながるわけではありません」</p></blockquote>")  # fmt: skip
    for part in ("つながる", "わけでは", "ありません」"):
        assert _whole(part) in quote, (part, quote)
    assert f"つながる{JOINER}わけ".replace("つながる", _whole("つながる")) not in quote
    text = re.sub(r"<[^>]+>", "", quote)
    runs = re.findall(f"[^{JOINER}](?:{JOINER}[^{JOINER}])*", text)
    assert max(len(run.replace(JOINER, "")) for run in runs) <= PHRASE_MOST + 1, runs


def test_marks_a_joiner_keeps_apart_are_still_set_close_and_names_keep_their_san() -> None:
    """Review r35 F-14 and F-16: "（6件）、" in a lead (its counters joined)
    sets the ） half-width as a plain "）、" is; "Cさん" never breaks."""
    lead = _set('<p class="intro">国会議員（6件）、大使館（6件）、省庁（4件）と、</p>')
    assert lead.count('<span class="halt">）</span>') == 2, lead
    cell = _set("<table><tr><td>R-13-01（Cさん）、R-13-02（Aさん）</td></tr></table>")
    assert _whole("Cさん") in cell and _whole("Aさん") in cell, cell
    assert "たくさん" in _set("<p>たくさんの人</p>").replace(JOINER, "")


def test_a_japanese_receipt_writes_the_postcode_first_and_keeps_its_gifts_together() -> None:
    """Design review, JA receipt: the 受領方法 column floated mid-page (the
    gifts table ran 170 mm for three short columns); and with the postcode
    in its column the address read "…1-1-1, 150-0001"."""
    from reportgen.reading.model import Donor
    from reportgen.typesetting.receipts import _donor_address

    donor = Donor("山田 花子", address="東京都渋谷区神宮前1-1-1", postcode="150-0001")
    assert _donor_address(donor, "ja") == "〒150-0001 東京都渋谷区神宮前1-1-1"
    english = Donor("Emily Carter", address="2-4-1 Azabudai, Minato-ku", postcode="106-0041")
    assert _donor_address(english, "en") == "2-4-1 Azabudai, Minato-ku, 106-0041"  # as before


def test_the_sample_s_japanese_receipt_sets_its_gifts_in_a_narrow_block(
    built_sample: BuiltSample,
) -> None:
    """Also R-R2: the receipt gives the signatory's legal title
    (receipts.signer_role = 理事長), the title every document gives (r35 F-7)."""
    import pypdfium2 as pdfium

    receipt = built_sample.out / "fy2012" / "receipts" / "d-002.pdf"
    assert "理事長 加藤 博" in ParsedPdf(receipt).all_text().replace("\u3000", " ")
    document = pdfium.PdfDocument(receipt)
    try:
        page = document[0]
        text = page.get_textpage()
        xs, ys = {}, {}
        for word in ("受領方法", "金額", "寄附金領収書"):
            # Every occurrence: the column head is the one on the line of
            # 受領方法 (the statement's "上記の金額" may come first in the text).
            search, found = text.search(word), []
            while (hit := search.get_next()) is not None:
                found.append(text.get_charbox(hit[0]))
            box = min(found, key=lambda b: abs(b[1] - ys.get("受領方法", b[1])))
            xs[word], ys[word] = box[0], box[1]
    finally:
        document.close()
    margin = xs["寄附金領収書"]  # the page's left margin
    # The amounts end within 125 mm of the margin, not at the 170 mm measure.
    assert xs["金額"] - margin < 125 / 25.4 * 72, xs
    assert xs["受領方法"] < xs["金額"], xs


def test_the_sample_s_statement_and_balance_sheet_share_one_grid(
    built_sample: BuiltSample,
) -> None:
    """R-A2 and design review 5: 決算 holds 活動計算書 and 貸借対照表, whole,
    their years' figures ending at the same x."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(built_sample.out / "fy2012" / "ja" / "annual-report.pdf")
    try:
        ends = {}
        for page in document:
            text = page.get_textpage()
            for row, figure in (("statement", "7,410,000"), ("balance", "3,682,680")):
                index, count = text.search(figure).get_next() or (None, 0)
                if index is not None:
                    ends[row] = text.get_charbox(index + count - 1)[2]
    finally:
        document.close()
    assert set(ends) == {"statement", "balance"}, ends
    assert abs(ends["statement"] - ends["balance"]) < 1, ends


def test_terms_listed_with_a_middle_dot_may_break_after_it() -> None:
    """The ring's breakdown (a narrow cell): 政策提言・ロビー活動費 held whole
    as one phrase reached 4 pt past its box; it may break after ・, never
    before it nor inside either term."""
    cell = _set("<table><tr><td>政策提言・ロビー活動費</td></tr></table>")
    assert _whole("政策提言・") + "ロ" in cell, cell  # no joiner after ・: a break
    assert _whole("ロビー活動費") in cell
    assert _whole("通信費・消耗品費") in _set("<table><tr><td>通信費・消耗品費</td></tr></table>")


def test_names_before_an_honorific_and_the_organisation_s_own_never_split() -> None:
    """Review r36 F-2: body text breaks between any two characters, and split
    names: "野 / 口孝行氏", "北朝 / 鮮難民救援基金". A run of kanji or katakana
    before 氏, さん, 様 is a name; the names a page is given (the organisation's
    forms, its people) stay whole too, where they fit the measure."""
    body = _set("<p>手助けしたとして野口孝行氏に、マイケル・カービー様にも</p>")
    assert _whole("野口孝行氏") in body and _whole("カービー様") in body, body
    assert "て" + JOINER + "野" not in body  # the kana before the name still break
    names = ("特定非営利活動法人 北朝鮮難民救援基金", "加藤 博", "LFNKR")
    page = typeset("<p>当会の発行物ではなく、北朝鮮難民救援基金による確認。加藤博が</p>",
                   "ja", "print", names)  # fmt: skip
    assert _whole("北朝鮮難民救援基金") in page and _whole("加藤") in page, page
    assert JOINER not in typeset("<p>北朝鮮難民救援基金</p>", "ja", "screen", names)
    # A name longer than any line of a pull quote (about 9 characters) may break there.
    too_long = ("北朝鮮難民救援基金日本事務局長",)
    quote = typeset('<blockquote class="pull-quote"><p>北朝鮮難民救援基金日本事務局長</p>'
                    "</blockquote>", "ja", "print", too_long)  # fmt: skip
    assert _whole("北朝鮮難民救援基金日本事務局長") not in quote, quote


def test_a_web_address_never_breaks_after_its_scheme() -> None:
    """Review r36 (JA 4, KO N36-T2, design 6): "https:// / www.…" in every
    language's giving box; the scheme and host are one unit, the path may
    break; an e-mail address is whole."""
    for language in ("en", "ja", "ko"):
        out = _set("<p>TEL 03-5000-0000 https://www.example.org/give/now or a@b.example today</p>",
                   language)  # fmt: skip
        # Joiners beside the marks only (a joiner between two letters would
        # sit inside a ligature: "ffi" of "office"), which is where Latin breaks.
        assert held("https://www.example.org/") in out, (language, out)
        assert "www" in out and "/" + JOINER + "g" not in out  # the path still breaks
        assert held("a@b.example") in out
    assert JOINER not in typeset("<p>https://www.example.org/</p>", "en", "screen")


def test_the_giving_box_breaks_between_phrases_its_labels_whole() -> None:
    """Review r36 F-4: "口座名 / 義", "支えら / れています" in the donor
    edition's ask: a panel's measure holds a longer phrase than a pull quote,
    a label before its colon is whole, BudouX reads each run between spaces."""
    ask = _set(
        '<aside class="donor-ask"><p>こうした歩みは、皆様のご寄付に支えられています。</p>'
        '<div class="prose"><p>みずほ銀行 神田支店 普通 0000000　口座名義：北朝鮮難民救援基金'
        "（架空の口座）</p></div></aside>"
    )
    for word in ("支えられています。", "口座名義：", "神田支店", "北朝鮮難民救援基金"):
        assert _whole(word) in ask, (word, ask)
