"""Every reader: tagged PDFs that pass the machine checks of PDF/UA-1, HTML
with zero axe-core violations in a real browser, Japanese that renders with
embedded fonts, archival PDF/A, print marks, and byte-identical rebuilds."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pikepdf
import pytest

from reportgen.commands.build import run_build
from tests import browser
from tests.conftest import SAMPLE_CHART_IDS, BuiltRoot, BuiltSample
from tests.pdfparse import ParsedPdf
from tests.pdfua import check, structure

EDITIONS = [f"{lang}/{name}" for lang in ("en", "ja") for name in ("annual-report.pdf",
            "handout.pdf", "donor.pdf")]  # fmt: skip


@pytest.mark.parametrize("name", EDITIONS)
def test_every_edition_passes_the_pdf_ua_machine_checks(
    built_sample: BuiltSample, name: str
) -> None:
    path = built_sample.out / "fy2012" / name
    assert check(path) == []
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == name[:2]
        kinds = {str(e.S) for e in structure(pdf)}
        assert {"/H1", "/H2", "/Figure", "/Table", "/TH"} <= kinds


def test_the_checker_catches_what_it_checks(built_sample: BuiltSample, tmp_path: Path) -> None:
    with pikepdf.open(built_sample.pdf) as pdf:
        for element in structure(pdf):
            if element.S == "/Figure":
                del element["/Alt"]
        del pdf.Root["/Lang"]
        pdf.save(tmp_path / "broken.pdf")
    problems = check(tmp_path / "broken.pdf")
    assert "no document language (/Lang)" in problems
    assert any("has no alternative text" in p for p in problems)


def test_letters_are_tagged_pdf_ua_documents_too(built_sample: BuiltSample) -> None:
    letters = sorted((built_sample.out / "fy2012/donors").glob("*.pdf"))
    assert len(letters) == 9
    for path in letters:
        assert check(path) == [], path.name
        with pikepdf.open(path) as pdf:
            # Only this letter's pages (its own document) and the edition's: no other donor's page
            # hides in the file, referenced or not.
            page_objects = [
                o for o in pdf.objects
                if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Page"
            ]  # fmt: skip
            assert len(page_objects) == len(pdf.pages)
            first = next(e for e in structure(pdf) if str(e.S) == "/H1")
            assert first.Pg.objgen == pdf.pages[0].objgen  # the letter's heading leads


def test_japanese_edition_text_dates_and_fonts(built_sample: BuiltSample) -> None:
    path = built_sample.out / "fy2012/ja/annual-report.pdf"
    pdf = ParsedPdf(path)
    text = pdf.all_text()
    for words in ("2012年度 年次報告書", "目次", "理事長からのごあいさつ", "数字で見る一年",
                  "財務", "北朝鮮難民救援基金", "2012年9月1日", "2013年8月31日"):  # fmt: skip
        assert words in text, words
    # The accounts say their unit once (単位：円), their figures bare (review r35 F-3).
    assert "単位：円" in text and re.search(r"経常収益計\s*9,805,480\s", text), text
    with pikepdf.open(path) as raw:
        fonts = {
            str(font.BaseFont): font
            for page in raw.pages
            for font in page.Resources.get("/Font", {}).values()
        }
        assert any("CJK" in name for name in fonts)
        for name, font in fonts.items():
            descriptor = font.DescendantFonts[0].FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
    assert "\ufffd" not in text


def test_archival_pdf_a_with_its_data_attached(sample_set: Path, tmp_path: Path) -> None:
    run_build(
        sample_set / "fy2012",
        tmp_path / "out",
        ["annual-report"],
        pdf_variant="pdf/a-3b",
        languages=["en"],
    )
    with pikepdf.open(tmp_path / "out/fy2012/en/annual-report.pdf") as pdf:
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "B")
        attached = dict(pdf.attachments)
        assert sorted(attached) == [
            "activities.csv", "balance.csv", "coalitions.csv", "finances.csv", "lobbying.csv",
            "people.csv",
        ]  # fmt: skip
        finances = attached["finances.csv"].get_file().read_bytes().decode()
        assert finances.startswith("kind,category,amount,function,fund,note,visibility")
        assert "internal" not in finances
    assert check(tmp_path / "out/fy2012/en/annual-report.pdf", claim="a") == []


def test_report_toml_chooses_the_variant_and_marks(small_set: Path, tmp_path: Path) -> None:
    toml = small_set / "fy2012/report.toml"  # the small test root: no language folder
    toml.write_text(toml.read_text() + 'pdf_variant = "pdf/a-3u"\nprint_marks = true\n')
    run_build(small_set / "fy2012", tmp_path / "out", ["handout"])
    with pikepdf.open(tmp_path / "out/fy2012/handout.pdf") as pdf:
        assert pdf.open_metadata().get("pdfaid:conformance") == "U"
        page = pdf.pages[0]
        media = [float(v) for v in page.MediaBox]
        trim = [float(v) for v in page.TrimBox]
        assert media[2] - media[0] > trim[2] - trim[0] + 10  # room for bleed and marks


def test_print_marks_are_the_print_stylesheets_last_rule_whatever_the_theme_writes(
    small_set: Path, tmp_path: Path
) -> None:
    """The template writes the marks (``ctx.print_marks``) at the end of the
    page's stylesheet, after extra.css; a theme's head holding "</style>" in a
    comment before it keeps them (a text replacement of the first "</style>"
    put them inside the comment, and the PDF had neither bleed nor marks)."""
    from reportgen.typesetting.templating import templates_dir
    from tests.test_theme import _theme

    base = (templates_dir() / "base.html.j2").read_text("utf-8")
    _theme(small_set, {
        "base.html.j2": base.replace("<style>", "<!-- the sheet ends at </style> -->\n<style>", 1),
        "extra.css": "@page { marks: none; }\n",
    })  # fmt: skip
    toml = small_set / "fy2012/report.toml"  # the small test root: no language folder
    toml.write_text(toml.read_text() + "print_marks = true\n")
    run_build(small_set / "fy2012", tmp_path / "out", ["handout"])
    with pikepdf.open(tmp_path / "out/fy2012/handout.pdf") as pdf:
        page = pdf.pages[0]
        media = [float(v) for v in page.MediaBox]
        trim = [float(v) for v in page.TrimBox]
        assert media[2] - media[0] > trim[2] - trim[0] + 10  # room for bleed and marks


def test_bleed_on_request_only(built_sample: BuiltSample, built_small: BuiltRoot) -> None:
    # The sample asks for it ([print] bleed in its organization.toml): 3 mm
    # past the trim on every side; the small root does not: none.
    with pikepdf.open(built_sample.pdf) as pdf:
        page = pdf.pages[0]
        media, trim = ([float(v) for v in page.get(k)] for k in ("/MediaBox", "/TrimBox"))
        assert trim[0] - media[0] == pytest.approx(3 * 72 / 25.4, abs=0.05)
    with pikepdf.open(built_small.out / "fy2012" / "annual-report.pdf") as pdf:
        page = pdf.pages[0]
        assert [float(v) for v in page.MediaBox] == [
            float(v) for v in page.get("/TrimBox", page.MediaBox)
        ]


def _digests(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        # the cache, and the lock that serialises builds of one output folder
        if p.is_file() and not p.relative_to(out).parts[0].startswith(".reportgen-")
    }


@pytest.mark.slow
def test_building_twice_gives_the_same_bytes(
    built_english: BuiltSample, english_set: Path, tmp_path: Path
) -> None:
    # The first build is the shared one: another folder, two processes, a cold
    # cache. The second: in one process, without a cache, every page made
    # here. (English alone: test_pipeline does the same for the Korean
    # editions and letters.)
    second = run_build(english_set / "fy2012", tmp_path / "two", cache=False, workers=1)
    # three editions, the HTML one, nine letters, the three receipts of data/gifts
    assert len(second.files) == 16
    assert _digests(built_english.out) == _digests(tmp_path / "two")


browser_only = pytest.mark.skipif(
    not browser.available() and not os.environ.get("CI"), reason="chromium is not installed"
)


@browser_only
@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "ja"])
def test_axe_core_finds_no_violation(built_sample: BuiltSample, language: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page_path = built_sample.out / "fy2012" / language / "annual-report.html"
    with browser.chromium() as chromium:
        page = chromium.new_page()
        page.goto(page_path.as_uri())
        results = Axe().run(page)
        violations = [
            (v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]
        ]
        assert violations == []
        assert results.response["passes"], "axe ran no rule at all"
        # Landmarks, one h1, the language, a skip link and scoped table headers.
        assert page.locator("main#content").count() == 1
        assert page.locator("h1").count() == 1
        assert page.evaluate("document.documentElement.lang") == language
        assert page.locator("a.skip-link[href='#content']").count() == 1
        assert page.locator("table.data th:not([scope])").count() == 0


def test_html_charts_are_followed_by_their_data(built_sample: BuiltSample) -> None:
    html = (built_sample.out / "fy2012/ja/annual-report.html").read_text()
    figures = re.findall(r'<figure class="chart[^"]*" id="([^"]+)"', html)
    assert sorted(figures) == sorted(SAMPLE_CHART_IDS)
    assert len(re.findall(r'<details class="chart-data">', html)) == len(figures)
    assert "グラフのデータ" in html
