"""Charts laid out before they are drawn: WeasyPrint sizes a chart from its
frame and asks for the picture only when it paints the page.

These use real WeasyPrint renders of a small page with real charts."""

from __future__ import annotations

import gc
import inspect
from base64 import b64encode
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
    asked: list[tuple[str, bool]] = []

    def picture(chart_id: str) -> bytes:
        painting = any(f.function == "write_pdf" for f in inspect.stack())
        asked.append((chart_id, painting))
        return charts[chart_id].svg.encode()

    late = _render(tmp_path, charts, picture, {i: c.frame for i, c in charts.items()})
    assert sorted(i for i, _ in asked) == sorted(charts)  # each picture once
    assert all(painting for _, painting in asked)  # none while laying out
    asked.clear()
    eager = _render(tmp_path, charts, picture, None)
    assert not any(painting for _, painting in asked)  # fetched while laying out
    assert late == eager
    (tmp_path / "late.pdf").write_bytes(late)
    parsed = ParsedPdf(tmp_path / "late.pdf")
    assert sorted(parsed.figures()) == sorted(c.alt for c in charts.values())
    assert "Publication" in parsed.all_text()  # a label drawn inside a chart, as text


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


def test_if_weasyprints_image_hook_changes_charts_are_fetched_as_before(
    year: FiscalYear,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import weasyprint.document

    charts = _charts(year, "en")
    frames = {i: c.frame for i, c in charts.items()}
    late = _render(tmp_path, charts, lambda i: charts[i].svg.encode(), frames)
    real = weasyprint.document.original_get_image_from_uri

    def changed(*args: object, **kwargs: object) -> object:  # another signature
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint.document, "original_get_image_from_uri", changed)
    asked: list[bool] = []

    def picture(chart_id: str) -> bytes:
        asked.append(any(f.function == "write_pdf" for f in inspect.stack()))
        return charts[chart_id].svg.encode()

    assert _render(tmp_path, charts, picture, frames) == late
    assert asked and not any(asked)


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


def test_weasyprints_private_image_protocol_is_the_one_late_charts_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``pdf._late_charts`` swaps ``weasyprint.document.original_get_image_from_uri``,
    which WeasyPrint does not promise to keep (pyproject.toml bounds its
    version for that). Were it to change, charts would quietly be fetched
    while laying out again: right, but slower. This fails instead, saying
    what changed; then read ``_late_charts`` and adapt it and this test."""
    import weasyprint
    import weasyprint.document
    import weasyprint.images

    changed = (
        f"WeasyPrint {weasyprint.__version__} changed what "
        "reportgen.typesetting.pdf._late_charts uses"
    )
    real = getattr(weasyprint.document, "original_get_image_from_uri", None)
    assert real is weasyprint.images.get_image_from_uri, f"{changed}: the hook's name"
    names = list(inspect.signature(real).parameters)
    assert names[:4] == ["cache", "url_fetcher", "options", "url"], f"{changed}: {names}"
    assert "context" in names, f"{changed}: {names}"
    made = list(inspect.signature(weasyprint.images.SVGImage).parameters)
    assert made == ["tree", "base_url", "url_fetcher", "context"], f"{changed}: SVGImage{made}"
    for method, arity in (("get_intrinsic_size", 3), ("draw", 5)):
        found = inspect.signature(getattr(weasyprint.images.SVGImage, method)).parameters
        assert len(found) == arity, f"{changed}: SVGImage.{method}{list(found)}"

    # The behaviour: the layout looks the hook up when it starts, calls it with
    # keywords (a dict ``cache``, the ``url``), sizes the image it returns while
    # laying out (and may again when painting) and draws it only when writing
    # the PDF.
    calls: list[str] = []
    painting = False

    class Spy:
        def __init__(self, image: object) -> None:
            self.image = image

        def get_intrinsic_size(self, image_resolution: float, font_size: float) -> object:
            calls.append("size while painting" if painting else "size")
            return self.image.get_intrinsic_size(image_resolution, font_size)  # type: ignore[attr-defined]

        def draw(self, stream: object, width: float, height: float, style: object) -> None:
            calls.append("draw while painting" if painting else "draw while laying out")
            self.image.draw(stream, width, height, style)  # type: ignore[attr-defined]

    def hook(*args: object, **kwargs: object) -> object:
        assert not args and isinstance(kwargs.get("cache"), dict), f"{changed}: {args}, {kwargs}"
        url = kwargs.get("url")
        assert isinstance(url, str) and url.startswith("data:"), f"{changed}: url={url!r}"
        calls.append("hook")
        return Spy(real(**kwargs))

    monkeypatch.setattr(weasyprint.document, "original_get_image_from_uri", hook)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"/>'
    page = f'<p><img alt="box" src="data:image/svg+xml;base64,{b64encode(svg).decode()}"></p>'
    document = weasyprint.HTML(string=page).render()
    laid_out = list(calls)
    painting = True
    document.write_pdf()
    assert laid_out[:1] == ["hook"] and "size" in laid_out, f"{changed}: {laid_out}"
    assert "draw while laying out" not in laid_out, f"{changed}: {laid_out}"
    assert calls[len(laid_out) :].count("draw while painting") == 1, f"{changed}: {calls}"
