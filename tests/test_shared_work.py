"""The suite's shared work (tests/shared_work.py) hands on only what a test
would have made itself: the same bytes, never across a changed or refused
picture, never across the report's own words, and with the log lines."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

import reportgen.composing.charts
import reportgen.typesetting.pdf
from reportgen.composing.charts import ChartStyle
from reportgen.composing.edition_view import year_as_seen_by
from reportgen.composing.key_figures import key_figures
from reportgen.composing.palette import palette
from reportgen.core.errors import RenderError
from reportgen.core.file_gate import Gate
from reportgen.core.languages import Language
from reportgen.reading.model import FiscalYear
from tests import shared_work as work
from tests.test_figures import year  # noqa: F401 - the hand-made year, as a fixture

# With REPORTGEN_SHARED_WORK=off nothing is shared, so there is nothing to test.
pytestmark = pytest.mark.skipif(work.MODE == "off", reason="shared work is off")

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<rect width="40" height="20" fill="{}"/></svg>'
)


def _folder(at: Path, colour: str, kind: str = "svg") -> Path:
    at.mkdir(parents=True)
    if kind == "svg":
        (at / "logo.svg").write_text(SVG.format(colour))
    else:
        Image.new("RGB", (40, 20), colour).save(at / "logo.png")
    return at


def _page(extra: str = "", kind: str = "svg") -> str:
    # Its own words in every test run: what is shared comes from this test.
    return (
        f"<html lang='en'><title>Page</title><p>Page {uuid.uuid4()}</p>"
        f"<img src='logo.{kind}' alt='Logo'>{extra}</html>"
    )


def _render(html: str, folder: Path) -> reportgen.typesetting.pdf.RenderedPdf:
    # Looked up at call time, as the pipeline does: the shared one.
    return reportgen.typesetting.pdf.render_pdf(html, folder, Gate.of(folder), preflight="page.pdf")


def _fresh(html: str, folder: Path) -> reportgen.typesetting.pdf.RenderedPdf:
    with work.off():
        return _render(html, folder)


def _made_and_shared(before: tuple[int, int]) -> tuple[int, int]:
    made, shared = work.counts()
    return made - before[0], shared - before[1]


def test_a_page_made_again_is_handed_on_with_the_bytes_a_making_gives(tmp_path: Path) -> None:
    html = _page()
    before = work.counts()
    first = _render(html, _folder(tmp_path / "one", "red"))
    second = _render(html, _folder(tmp_path / "two", "red"))  # another set, the same files
    assert _made_and_shared(before) == (1, 1)
    assert second == first == _fresh(html, tmp_path / "two")
    assert first.data.startswith(b"%PDF") and first.pages == 1


def test_the_same_page_beside_another_picture_is_made_again(tmp_path: Path) -> None:
    html = _page()
    before = work.counts()
    red = _render(html, _folder(tmp_path / "red", "red"))
    blue = _render(html, _folder(tmp_path / "blue", "blue"))
    assert _made_and_shared(before) == (2, 0)
    assert red.data != blue.data
    assert blue == _fresh(html, tmp_path / "blue")


@pytest.mark.parametrize(
    ("kind", "extra"),
    [("png", ""), ("svg", "<p><a href='notes.html'>Notes</a></p>")],
    ids=["raster picture", "relative link"],
)
def test_a_page_whose_pdf_holds_its_place_is_shared_only_in_that_place(
    tmp_path: Path, kind: str, extra: str
) -> None:
    # WeasyPrint names a raster picture by its URL, and writes a relative
    # link as a full path: the same page in another folder has other bytes.
    html = _page(extra, kind)
    before = work.counts()
    one = _render(html, _folder(tmp_path / "one", "red", kind))
    two = _render(html, _folder(tmp_path / "two", "red", kind))
    again = _render(html, tmp_path / "two")
    assert _made_and_shared(before) == (2, 1)
    assert one.data != two.data
    assert again == two == _fresh(html, tmp_path / "two")


def test_a_picture_the_gate_now_refuses_fails_the_render_for_real(tmp_path: Path) -> None:
    html = _page()
    _render(html, _folder(tmp_path / "good", "red"))
    bad = _folder(tmp_path / "bad", "red")
    (bad / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'
    )
    with pytest.raises(RenderError, match=r"logo\.svg"):
        _render(html, bad)


def test_the_log_lines_of_a_making_are_written_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    html = _page("<p style='frobnicate: 3'>An unknown property: WeasyPrint warns.</p>")
    _render(html, _folder(tmp_path / "one", "red"))
    made = [r.getMessage() for r in caplog.records if "frobnicate" in r.getMessage()]
    caplog.clear()
    before = work.counts()
    _render(html, _folder(tmp_path / "two", "red"))
    assert _made_and_shared(before) == (0, 1)
    shared = [r for r in caplog.records if "frobnicate" in r.getMessage()]
    assert made and [r.getMessage() for r in shared] == made
    assert {(r.name, r.levelno) for r in shared} == {("weasyprint", logging.WARNING)}


def test_charts_are_keyed_by_the_reports_own_words(year: FiscalYear) -> None:  # noqa: F811
    figures = key_figures(year_as_seen_by(year, "annual-report", "en"))
    plain = ChartStyle(palette(year.config.theme), "Noto Sans", Language("en"), "JPY")
    title = f"Kinds of work {uuid.uuid4().hex[:6]}"
    own = replace(plain, language=Language("en", (("by_category", title),)))
    before = work.counts()
    drawn = reportgen.composing.charts.draw_charts(figures, [figures], own)
    again = reportgen.composing.charts.draw_charts(figures, [figures], own)
    other = reportgen.composing.charts.draw_charts(figures, [figures], plain)
    assert drawn["chart-by-category"].title == title
    assert other["chart-by-category"].title != title  # the same tag, not the same words
    made, shared = _made_and_shared(before)
    assert made >= 1 and shared >= 1
    with work.off():
        fresh = reportgen.composing.charts.draw_charts(figures, [figures], own)
    assert again == drawn == fresh
