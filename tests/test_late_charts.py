"""Charts laid out before they are drawn: WeasyPrint sizes a chart from its
frame and asks for the picture only when it paints the page (through the
fetcher and an SVG ``<image>``: public API only).

These use real WeasyPrint renders of a small page with real charts."""

from __future__ import annotations

import gc
import inspect
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest

from reportgen.composing.charts import ChartAsset, ChartStyle, draw_charts
from reportgen.composing.key_figures import KeyFigures
from reportgen.composing.palette import palette
from reportgen.core.errors import RenderError
from reportgen.core.file_gate import Gate
from reportgen.reading.model import FiscalYear
from reportgen.typesetting.pdf import collector_paused, render_pdf
from tests.pdfparse import ParsedPdf
from tests.test_figures import year  # noqa: F401  (the fixture)

ROOT_ATTRIBUTES = ("width", "height", "viewBox")


def _charts(source: FiscalYear, language: str, draw: bool = True) -> dict[str, ChartAsset]:
    from reportgen.composing.edition_view import year_as_seen_by
    from reportgen.composing.key_figures import key_figures

    figures = key_figures(year_as_seen_by(source, "annual-report", language))
    history: list[KeyFigures] = [figures]
    style = ChartStyle(palette(source.config.theme), "Noto Sans", language, "JPY", draw)
    return draw_charts(figures, history, style)


def _page(charts: dict[str, ChartAsset]) -> str:
    images = "".join(
        f'<h2>{c.title}</h2><img src="{c.url}" alt="{c.alt}" style="width: 60%">'
        for c in charts.values()
    )
    return f'<html lang="en"><head><title>Charts</title></head><body>{images}</body></html>'


def _render(
    tmp_path: Path,
    charts: dict[str, ChartAsset],
    picture: Callable[[str], bytes],
    frames: dict[str, str] | None,
) -> bytes:
    made = render_pdf(_page(charts), tmp_path, Gate.of(tmp_path), charts=picture,
                      frames=frames)  # fmt: skip
    return made.data


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_frame_has_the_size_attributes_of_the_drawn_picture(
    year: FiscalYear,  # noqa: F811
    language: str,
) -> None:
    described = _charts(year, language, draw=False)
    drawn = _charts(year, language)
    assert set(described) == set(drawn) and len(drawn) >= 5
    for chart_id, chart in drawn.items():
        assert described[chart_id].svg == ""  # described: no picture yet ...
        assert described[chart_id].frame == chart.frame  # ... but the same size
        frame = ElementTree.fromstring(chart.frame)
        picture = ElementTree.fromstring(chart.svg)
        for name in ROOT_ATTRIBUTES:
            assert frame.get(name) == picture.get(name), (chart_id, name)


def test_pictures_are_asked_for_when_painting_and_bytes_do_not_change(
    year: FiscalYear,  # noqa: F811
    tmp_path: Path,
) -> None:
    charts = _charts(year, "en")
    frames = {i: c.frame for i, c in charts.items()}
    asked: list[tuple[str, bool]] = []

    def picture(chart_id: str) -> bytes:
        painting = any(f.function == "write_pdf" for f in inspect.stack())
        asked.append((chart_id, painting))
        return charts[chart_id].svg.encode()

    late = _render(tmp_path, charts, picture, frames)
    assert sorted(i for i, _ in asked) == sorted(charts)  # each picture once
    assert all(painting for _, painting in asked)  # none while laying out
    # A picture that is there at once gives the same bytes as one that comes late.
    ready = {i: c.svg.encode() for i, c in charts.items()}
    assert _render(tmp_path, charts, ready.__getitem__, frames) == late
    (tmp_path / "late.pdf").write_bytes(late)
    parsed = ParsedPdf(tmp_path / "late.pdf")
    assert sorted(parsed.figures()) == sorted(c.alt for c in charts.values())
    assert "Publication" in parsed.all_text()  # a label drawn inside a chart, as text


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_late_chart_is_painted_as_the_picture_itself_would_be(
    year: FiscalYear,  # noqa: F811
    tmp_path: Path,
    language: str,
) -> None:
    """The frame holds the picture at one to one: every page of the PDF looks
    as it does when the charts' pictures are embedded as they are (no frame),
    to within two levels of a colour channel (rounding in the extra step)."""
    import numpy
    import pypdfium2

    charts = _charts(year, language)
    ready = {i: c.svg.encode() for i, c in charts.items()}
    late = _render(tmp_path, charts, ready.__getitem__, {i: c.frame for i, c in charts.items()})
    direct = _render(tmp_path, charts, ready.__getitem__, None)
    pages = [pypdfium2.PdfDocument(data) for data in (late, direct)]
    assert len(pages[0]) == len(pages[1]) >= 2
    for number in range(len(pages[0])):
        late_page, direct_page = (
            numpy.asarray(p[number].render(scale=2).to_pil().convert("RGB"), dtype=int)
            for p in pages
        )
        assert late_page.shape == direct_page.shape
        difference = numpy.abs(late_page - direct_page)
        # At most two levels of a colour channel, on a handful of pixels: the
        # rounding of the extra step where a picture's edge falls between pixels.
        assert difference.max() <= 2, (number, int((difference > 1).sum()))
        assert (difference > 1).sum() <= 50, (number, int((difference > 1).sum()))
        texts = [p[number].get_textpage().get_text_range() for p in pages]
        assert texts[0] == texts[1]


def test_a_failed_picture_fails_the_render(year: FiscalYear, tmp_path: Path) -> None:  # noqa: F811
    charts = _charts(year, "en")

    def picture(chart_id: str) -> bytes:
        raise RuntimeError("the chart process failed")

    # WeasyPrint logs and skips an SVG it cannot draw; a missing chart must not
    # pass silently like that.
    with pytest.raises((RuntimeError, RenderError), match="the chart process failed"):
        _render(tmp_path, charts, picture, {i: c.frame for i, c in charts.items()})


def test_a_picture_of_another_size_is_refused(year: FiscalYear, tmp_path: Path) -> None:  # noqa: F811
    charts = _charts(year, "en")
    wrong = {i: c.svg.replace('width="', 'width="1', 1).encode() for i, c in charts.items()}
    with pytest.raises(
        (RuntimeError, RenderError), match=r"width .* is not the .* it was laid out with"
    ):
        _render(tmp_path, charts, wrong.__getitem__, {i: c.frame for i, c in charts.items()})


def test_the_collector_is_paused_only_while_rendering() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_matplotlib_settings_of_the_folder_or_user_never_apply(
    year: FiscalYear,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A matplotlibrc in the current folder (read when matplotlib is imported)
    could turn on TeX, which runs a program, or restyle every chart: the
    charts start from matplotlib's own defaults, whatever was loaded."""
    import matplotlib

    plain = {id: c.svg for id, c in _charts(year, "en").items()}
    monkeypatch.setitem(matplotlib.rcParams, "text.usetex", True)
    monkeypatch.setitem(matplotlib.rcParams, "axes.facecolor", "#ff0000")
    monkeypatch.setitem(matplotlib.rcParams, "font.size", 40.0)
    styled = {id: c.svg for id, c in _charts(year, "en").items()}
    assert styled == plain
    assert all("#ff0000" not in svg for svg in styled.values())


def test_a_picture_url_of_no_framed_chart_is_refused_by_the_gate(tmp_path: Path) -> None:
    """The scheme the frames name their pictures by serves framed charts
    only; anything else under it is an unknown URL like any other."""
    page = '<html lang="en"><body><img alt="x" src="reportgen-chart-drawn:nope"></body></html>'
    asked: list[str] = []

    def picture(chart_id: str) -> bytes:
        asked.append(chart_id)
        return b""

    with pytest.raises(RenderError, match="reportgen-chart-drawn:nope"):
        render_pdf(page, tmp_path, Gate.of(tmp_path), charts=picture, frames={})
    assert asked == []
