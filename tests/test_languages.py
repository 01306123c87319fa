"""Two languages from one dataset."""

from __future__ import annotations

import re
from pathlib import Path

from reportgen.commands.build import load_year, run_check
from reportgen.composing.edition_view import year_as_seen_by
from reportgen.core.diagnostics import Diagnostics
from tests.conftest import html_alone


def test_japanese_cells_and_settings_replace_the_english_ones(sample_set: Path) -> None:
    year = load_year(sample_set / "fy2012", Diagnostics())
    assert year is not None
    english = year_as_seen_by(year, "annual-report", "en")
    japanese = year_as_seen_by(year, "annual-report", "ja")
    assert english.activities[0].title == "ICNK first anniversary statement"
    assert japanese.activities[0].title == "ICNK設立1周年の声明"
    assert japanese.activities[0].category == "政策提言"
    assert japanese.activities[0].date == english.activities[0].date
    assert not any(key.endswith(("_ja", "_en")) for key, _ in japanese.activities[0].extra)
    assert japanese.config.title == "2012年度 年次報告書"
    assert japanese.config.organization.name == "北朝鮮難民救援基金"
    assert japanese.config.signatory is not None and japanese.config.signatory.name == "加藤 博"
    assert english.config.organization.name == "Life Funds for North Korean Refugees"
    assert {s.language for s in japanese.narrative} == {"ja"}
    assert {s.language for s in english.narrative} == {"en"}


def test_an_empty_translation_falls_back_to_the_original(sample_set: Path) -> None:
    path = sample_set / "fy2012/data/activities.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace("ICNK設立1周年の声明", "", 1)
    path.write_text("\n".join(lines) + "\n")
    year = load_year(sample_set / "fy2012", Diagnostics())
    assert year is not None
    assert year_as_seen_by(year, "annual-report", "ja").activities[0].title == (
        "ICNK first anniversary statement"
    )


def test_a_section_missing_in_one_language_is_a_warning(sample_set: Path) -> None:
    (sample_set / "fy2012/narrative/03-stories.ja.md").unlink()
    result = run_check(sample_set / "fy2012")
    assert result.ok
    messages = [(d.location.path.name, d.message) for d in result.diagnostics]
    assert (
        "03-stories.en.md",
        "narrative 'stories' has no ja version (add 03-stories.ja.md)",
    ) in messages


def test_one_file_for_both_languages_needs_no_translation(sample_set: Path) -> None:
    narrative = sample_set / "fy2012/narrative"
    (narrative / "05-about-this-report.ja.md").unlink()
    (narrative / "05-about-this-report.en.md").rename(narrative / "05-about-this-report.md")
    result = run_check(sample_set / "fy2012")
    assert not any("no ja version" in d.message for d in result.diagnostics)


def test_building_one_language_only(tmp_path: Path) -> None:
    from reportgen.commands.build import run_build
    from tests.conftest import copy_root

    year = copy_root("languages", tmp_path) / "fy2012"  # three languages, little else
    result = run_build(year, tmp_path / "out", ["handout"], languages=["ja"])
    assert [str(f.path.relative_to(tmp_path / "out")) for f in result.files] == [
        "fy2012/ja/handout.pdf"
    ]


# --- language packs (issue 12): any tag CLDR knows, words as data ----------------

KOREAN_OVERVIEW = "# 개요\n\n한 해 동안 탈북민을 도운 활동을 보고합니다.\n"


def _languages(sample_set: Path, tags: str, extra: str = "") -> Path:
    """The sample set building ``tags`` (a TOML array), plus ``extra`` settings."""
    from tests.test_bad_input import replace

    replace(
        sample_set / "organization.toml", 'languages = ["en", "ja", "ko"]', f"languages = {tags}"
    )
    if extra:
        path = sample_set / "fy2012/report.toml"
        path.write_text(path.read_text("utf-8") + "\n" + extra, "utf-8")
    return sample_set / "fy2012"


def test_a_korean_edition_builds_with_korean_words_dates_money_and_fonts(
    sample_set: Path, tmp_path: Path
) -> None:
    from reportgen.commands.build import run_build
    from tests.pdfparse import ParsedPdf
    from tests.test_bad_input import replace, set_cell

    year = _languages(sample_set, '["en", "ko"]')
    replace(sample_set / "organization.toml", 'currency = "JPY"', 'currency = "KRW"')
    set_cell(year / "data/activities.csv", 2, "title_ko", "ICNK 출범 1주년 성명")
    (year / "narrative/02-overview.ko.md").write_text(KOREAN_OVERVIEW, "utf-8")
    result = run_build(year, tmp_path / "out", ["annual-report"], languages=["ko"])
    assert {f.path.name for f in result.files} == {"annual-report.pdf", "annual-report.html"}
    assert all(f.path.parent.name == "ko" for f in result.files)
    pdf = ParsedPdf(tmp_path / "out/fy2012/ko/annual-report.pdf")
    text = pdf.all_text()
    for words in ("목차", "숫자로 보는 한 해", "재정", "ICNK 출범 1주년 성명", "2012년 9월 1일"):
        assert words in text, words
    # Won as Korean writes it: the unit word after the number (the pack's [money]).
    assert re.search(r"\d원|\d만 원", text) and not re.search(r"[¥￥₩]|\d,\d{3} ?엔", text)
    assert "Contents" not in text and "目次" not in text
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in pdf.reader.pages
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values()
    }
    assert any(f.endswith("+Noto-Sans-CJK-KR") for f in fonts), fonts
    html = (tmp_path / "out/fy2012/ko/annual-report.html").read_text("utf-8")
    assert '<html lang="ko">' in html
    assert "word-break: keep-all" in html
    assert "Noto Sans CJK KR" in html.split("<svg", 1)[1]  # the charts' own text


def test_a_fourth_language_through_labels_alone(sample_set: Path, tmp_path: Path) -> None:
    from reportgen.commands.build import run_build
    from reportgen.core.languages import labels_toml

    block = labels_toml("en").replace("[labels.en]", "[labels.de]")
    block = block.replace('contents = "Contents"', 'contents = "Inhalt"')
    block = block.replace('"Finances"', '"Finanzen"')
    year = _languages(sample_set, '["de"]', block)
    result = run_build(year, tmp_path / "out", ["annual-report"], languages=["de"])
    assert {f.path.name for f in result.files} == {"annual-report.pdf", "annual-report.html"}
    html = (tmp_path / "out/fy2012/annual-report.html").read_text("utf-8")  # one language
    assert '<html lang="de">' in html and "Inhalt" in html and "Finanzen" in html
    assert "1. September 2012" in html  # CLDR's German dates


def test_a_language_without_a_pack_lists_every_missing_word_in_one_error(
    sample_set: Path,
) -> None:
    year = _languages(sample_set, '["en", "de"]', '[labels.de]\ncontents = "Inhalt"\n')
    result = run_check(year)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    # besides the words, the sample's own texts in the language: its three asks, in one error
    asks = [d for d in errors if "'text_de' is missing from [[asks]] number 1, 2, 3" in d.message]
    errors = [d for d in errors if d not in asks]
    assert len(asks) == 1 and len(errors) == 1, [d.message for d in errors]
    message = errors[0].message
    assert "'de' has no built-in language pack" in message
    assert "key_figures" in message and "finances" in message
    assert "contents," not in message  # given, so not missing
    assert errors[0].location.path.name == "organization.toml"


def test_labels_unknown_key_warns_and_placeholder_mismatch_is_an_error(sample_set: Path) -> None:
    block = '[labels.en]\npeeple = "Trustees"\nfiscal_year_period = "Financial year {start}"\n'
    year = _languages(sample_set, '["en"]', block)
    first = len((year / "report.toml").read_text("utf-8").splitlines()) - 2  # [labels.en]
    result = run_check(year)
    found = {(d.severity, d.location.line, d.message) for d in result.diagnostics}
    assert any(
        s == "warning" and line == first + 1 and "unknown word 'peeple'" in m and "'people'" in m
        for s, line, m in found
    ), found
    assert any(
        s == "error" and line == first + 2 and "'fiscal_year_period'" in m and "{end}" in m
        for s, line, m in found
    ), found


def test_an_unknown_language_tag_is_a_located_error(sample_set: Path) -> None:
    year = _languages(sample_set, '["en", "xx-Nowhere"]')
    result = run_check(year)
    assert not result.ok
    assert any(
        "'xx-Nowhere'" in d.message and d.location.path.name == "organization.toml"
        for d in result.diagnostics
    )


def test_labels_override_words_year_over_organisation(sample_set: Path) -> None:
    org = sample_set / "organization.toml"
    org.write_text(
        org.read_text("utf-8").replace(
            "[organization]", '[labels.en]\npeople = "Org people"\ncontents = "Org contents"\n\n'
            "[organization]", 1,
        ),
        "utf-8",
    )  # fmt: skip
    year = _languages(sample_set, '["en"]', '[labels.en]\npeople = "Trustees and Staff"\n')
    html = html_alone(year, "annual-report", "en")
    assert "Trustees and Staff" in html and "Org contents" in html
    assert "Board and Officers" not in html and "Org people" not in html


def test_nouns_agree_with_their_numbers() -> None:
    from reportgen.composing import formats

    assert formats.label("en", "coalition_countries", 1) == "country across our coalitions"
    assert formats.label("en", "coalition_countries", 2) == "countries across our coalitions"
    assert formats.label("en", "activities_count", 1) == "activity"
    assert formats.label("en", "activities_count", 0) == "activities"
    assert formats.label("ko", "activities_count", 1) == formats.label("ko", "activities_count", 5)
    one = formats.label("en", "activities_intro", 1, count=1, categories=1, first="a", last="a")
    assert one == "1 activity in 1 category, on a."


def test_british_english_dates_in_tables_and_spelling(sample_set: Path) -> None:
    year = _languages(sample_set, '["en-GB"]')
    html = html_alone(year, "annual-report", "en-GB")
    assert "10 Sep 2012" in html  # the first activity's row: CLDR en_GB's medium date,
    assert not re.search(r"\bSept\b", html)  # three letters a month (the pack's months_short)
    assert "Sep 10, 2012" not in html
    assert "Financial year" in html and "Charitable activities" in html  # the SORP's words
    assert "Expenses" not in html and "total expenses" not in html


def test_plain_english_keeps_v1_formats() -> None:
    from datetime import date

    from reportgen.composing import formats

    day = date(2012, 9, 10)
    assert formats.format_date(day, "en") == "10 September 2012"
    # Tables put the day first, as the long dates of the prose do (issue 13).
    assert formats.format_date(day, "en", "table") == "10 Sep 2012"
    assert formats.format_date(day, "en-US") == "September 10, 2012"
    assert formats.format_date(day, "ja", "table") == "2012年9月10日"
    assert formats.format_date(day, "ko", "table") == "2012년 9월 10일"
    assert formats.format_month(day, "en") == "Sep"
    assert formats.format_month(day, "ja", short=False) == "2012年9月"


def test_reportgen_labels_prints_valid_toml_with_every_key() -> None:
    import tomllib

    from click.testing import CliRunner

    from reportgen.cli import cli
    from reportgen.core.languages import word_keys

    for tag in ("en", "ja", "ko", "en-GB"):
        out = CliRunner().invoke(cli, ["labels", "--language", tag])
        assert out.exit_code == 0, out.output
        parsed = tomllib.loads(out.output)["labels"][tag]
        assert list(parsed) == list(word_keys())
    assert tomllib.loads(CliRunner().invoke(cli, ["labels"]).output)["labels"]["en"][
        "coalition_countries"
    ] == {"one": "country across our coalitions", "other": "countries across our coalitions"}
    bad = CliRunner().invoke(cli, ["labels", "--language", "xx-Nowhere"])
    assert bad.exit_code == 2


def test_the_docs_table_of_words_is_generated_from_the_packs() -> None:
    from reportgen.core.languages import docs_with_table

    docs = Path(__file__).resolve().parents[1] / "docs/report-format.md"
    text = docs.read_text("utf-8")
    assert docs_with_table(text) == text, "run: python -m reportgen.core.languages --docs"


def test_packs_ship_in_the_package_and_translate_every_word() -> None:
    from importlib import resources

    from reportgen.core.languages import builtin_tags, missing_words, pack, word_keys

    assert set(builtin_tags()) >= {"en", "en-GB", "ja", "ko"}
    assert resources.files("reportgen.core.languages").joinpath("ko.toml").is_file()
    for tag in ("ja", "ko"):
        own = pack(tag)
        assert own is not None
        assert set(word_keys()) - {k for k, _ in own.words} == set(), tag
    for tag in builtin_tags():  # what check demands of every language, built-in ones too
        assert missing_words(tag, ()) == [], tag


def test_a_donor_language_the_report_does_not_build_is_a_warning(sample_set: Path) -> None:
    from tests.test_bad_input import set_cell

    set_cell(sample_set / "fy2012/data/donors.csv", 2, "language", "fr")
    set_cell(sample_set / "fy2012/data/donors.csv", 3, "language", "JA")
    result = run_check(sample_set / "fy2012")
    assert result.ok
    assert any(
        d.location.path.name == "donors.csv" and d.location.line == 2
        and "language 'fr' is not one this report builds (en, ja, ko)" in d.message
        for d in result.diagnostics
    )  # fmt: skip
    assert not any("'JA'" in d.message for d in result.diagnostics)
    year = load_year(sample_set / "fy2012", Diagnostics())
    assert year is not None
    assert [d.language for d in year.donors[:2]] == [None, "ja"]  # None: the first language


def test_the_donor_language_warning_comes_with_the_errors_too(sample_set: Path) -> None:
    from tests.test_bad_input import set_cell

    set_cell(sample_set / "fy2012/data/donors.csv", 2, "language", "fr")
    set_cell(sample_set / "fy2012/data/donors.csv", 3, "amount", "lots")  # an error beside it
    result = run_check(sample_set / "fy2012")
    assert not result.ok
    found = {
        (d.severity.value, d.location.line)
        for d in result.diagnostics
        if d.location.path.name == "donors.csv"
    }
    assert {("error", 3), ("warning", 2)} <= found


def test_page_margins_lead_with_the_faces_the_body_leads_with() -> None:
    from reportgen.core import languages

    # A Japanese or Korean edition: its own face first, so the running heads'
    # figures and page numbers add no Latin face (issue 29).
    edition = languages.font_stack("Noto Sans", ["ja"], own_first=True)
    assert edition.startswith("'Noto Sans CJK JP', 'Noto Sans'")
    korean = languages.font_stack("Inter", ["ko"], own_first=True)
    assert korean.startswith("'Noto Sans CJK KR', 'Inter'")
    # English, or receipts and letters whose one stylesheet sets English too:
    # the theme's font first.
    assert languages.font_stack("Inter", ["en"], own_first=True).startswith("'Inter', 'Noto Sans'")
    assert languages.font_stack("Inter", ["ja"]).startswith("'Inter', 'Noto Sans', 'Noto Sans CJK")
    mixed = languages.font_stack("Inter", ["en", "ja", "ko"], own_first=True)
    assert mixed.startswith("'Inter', 'Noto Sans', 'Noto Sans CJK JP', 'Noto Sans CJK KR'")


def test_a_japanese_editions_margins_alone_lead_with_its_own_face() -> None:
    from reportgen.composing.palette import palette
    from reportgen.reading.model import Theme
    from reportgen.typesetting.html_pages import css_for

    css = css_for(palette(Theme()), "A4", "Noto Sans", "print", None, "ja")
    margins = re.findall(r"@(?:top|bottom)-(?:left|right) \{ content: [^;]+; font: [^;]+;", css)
    assert len(margins) == 4 and all("pt 'Noto Sans CJK JP', 'Noto Sans'" in m for m in margins)
    # The side column keeps its stack (a change of face would move its lines).
    side_note = re.search(r"\.side-note \{[^}]*font: 400 7\.5pt/1\.4 ([^;]+);", css)
    assert side_note is not None
    assert side_note.group(1).startswith("'Noto Sans', 'Noto Sans CJK JP'")
    english = css_for(palette(Theme()), "A4", "Noto Sans", "print", None, "en")
    assert "@top-left { content: string(org); font: 7.5pt 'Noto Sans', " in english


def test_a_pack_sets_the_editions_it_names_in_its_sans_alone() -> None:
    import pytest

    from reportgen.core import languages
    from reportgen.core.editions import EDITIONS

    for tag in ("ja", "ko"):
        css = languages.css(tag, "print")
        named = languages.fonts(tag).one_family
        assert {"handout", "donor"} <= set(named) <= set(EDITIONS)
        sans = languages.fonts(tag).sans[0]
        (rule,) = [line for line in css.splitlines() if ".prose, " in line and "edition-" in line]
        assert rule.endswith(f'{{ font-family: "{sans}", var(--font-body), sans-serif; }}'), tag
        for name in EDITIONS:
            assert (f":lang({tag}) .edition-{name} .prose," in rule) == (name in named)
        assert f":lang({tag}) .edition-handout .prose em" in css  # emphasis set apart, not bold
    # Korean's annual report keeps its serif prose (it meets twice English with it).
    assert "annual-report" not in languages.fonts("ko").one_family
    assert "edition-" not in languages.css("en", "print")
    with pytest.raises(ValueError, match="one_family names no edition"):
        languages._editions("xx", ["brochure"])
