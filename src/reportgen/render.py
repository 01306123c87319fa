"""Render one edition of one year in one language: the stages from selection
to bytes (select -> figures -> charts -> context -> html -> pdf).

Pure apart from WeasyPrint reading the report's assets through the sandbox:
a year model in, file names and bytes out. The pipeline decides what to
render and where the bytes go; the preview server calls it for HTML only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reportgen.model import FiscalYear

if TYPE_CHECKING:
    from reportgen.charts import ChartAsset
    from reportgen.figures import KeyFigures

# Which editions also have a self-contained HTML file.
HTML_EDITIONS = frozenset({"annual-report"})
Neighbour = tuple[str, str] | None  # (fiscal year label, output folder name)


def logo_uri(year: FiscalYear) -> str | None:
    from reportgen.fetch import Sandbox

    logo = year.config.organization.logo
    if logo is None:
        return None
    return Sandbox.of([logo.parent]).fetch(str(logo)).data_uri


@dataclass(frozen=True)
class Analysis:
    """Key figures of a selected year and its predecessors, and the charts."""

    figures: KeyFigures
    earlier: tuple[KeyFigures, ...]  # nearest first
    charts: dict[str, ChartAsset]


def analyse(
    seen: FiscalYear, earlier_seen: Sequence[FiscalYear], language: str, draw: bool = True
) -> Analysis:
    """Figures (pandas) and charts (matplotlib) of an already selected year.
    With ``draw`` False the charts carry titles, alt text and data but no SVG,
    and matplotlib is not imported: what the page needs before the pictures."""
    from reportgen.charts import ChartStyle, draw_charts
    from reportgen.figures import key_figures
    from reportgen.theme import palette

    config = seen.config
    figures = key_figures(seen)
    earlier = tuple(key_figures(y) for y in earlier_seen)
    style = ChartStyle(palette(config.theme), config.theme.font, language, config.currency, draw)
    charts = draw_charts(figures, [*reversed(earlier), figures], style)
    return Analysis(figures, earlier, charts)


def compose(
    seen: FiscalYear,
    edition: str,
    language: str,
    analysis: Analysis,
    *,
    neighbours: tuple[Neighbour, Neighbour] = (None, None),
    pdf: bool = True,
    html: bool | None = None,
    drawn: Callable[[], Analysis] | None = None,
) -> dict[str, tuple[bytes, int | None]]:
    """Context, templates and WeasyPrint: file name -> (bytes, pages or None).

    ``analysis`` may hold charts without pictures when ``drawn`` gives (waiting
    if need be) the analysis with them: the layout then starts while the
    charts are still being drawn elsewhere, and waits only when it reaches one."""
    from reportgen.context import build_context
    from reportgen.fetch import Sandbox
    from reportgen.html import inline_images, render_html
    from reportgen.templating import templates_dir
    from reportgen.theme import palette

    config = seen.config
    sandbox = Sandbox.of([config.root, templates_dir()])
    depth = "../../" if len(config.languages) > 1 else "../"
    links = tuple(
        (rel, label, f"{depth}{folder}/{language + '/' if depth == '../../' else ''}{edition}.html")
        for rel, found in zip(("prev", "next"), neighbours, strict=True)
        if found is not None
        for label, folder in [found]
    )
    ctx = build_context(
        seen, edition, language, analysis.figures,
        analysis.earlier[0] if analysis.earlier else None, analysis.charts,
        palette(config.theme), logo_uri(seen), links,
    )  # fmt: skip
    template = f"{edition}.html.j2"
    files: dict[str, tuple[bytes, int | None]] = {}

    def pictures() -> dict[str, ChartAsset]:
        return (drawn() if drawn is not None else analysis).charts

    def chart_svg(chart_id: str) -> bytes:
        return pictures()[chart_id].svg.encode("utf-8")

    if pdf:
        from reportgen.pdf import render_pdf

        printed = render_html(ctx, "print", template)
        html_text = printed.html
        if config.print_marks:  # for a print shop: 3 mm of bleed and crop marks
            html_text = html_text.replace(
                "</style>", "@page { bleed: 3mm; marks: crop cross; }</style>", 1
            )
        # The annual report carries its public data with it (archival, and the full
        # lists of tables too long to print).
        attachments = (
            [(f"{name}.csv", table_csv(name, rows)) for name, rows in _tables(seen) if rows]
            if edition == "annual-report"
            else []
        )
        made = render_pdf(
            html_text, config.root, sandbox, variant=config.pdf_variant,
            attachments=attachments, stamp=config.published or config.end, charts=chart_svg,
        )  # fmt: skip
        files[f"{edition}.pdf"] = (made.data, made.pages)
    if html if html is not None else edition in HTML_EDITIONS:
        screen = render_html(replace(ctx, charts=pictures()), "screen", template)
        page = inline_images(screen.html, config.root, sandbox)
        files[f"{edition}.html"] = (page.encode("utf-8"), None)
    return files


def _tables(year: FiscalYear) -> list[tuple[str, Sequence[object]]]:
    return [
        ("activities", year.activities),
        ("coalitions", year.coalitions),
        ("lobbying", year.lobbying),
        ("finances", year.finances),
        ("people", year.people),
    ]


def table_csv(name: str, rows: Sequence[object]) -> bytes:
    """The rows of a (selected, so public) table as CSV: the contract's columns,
    then the extra ones, for the full list a long table attaches to the PDF."""
    import csv
    import io
    from dataclasses import fields

    from reportgen.schema import TABLES

    columns = list(TABLES[name].names)
    extras = list(dict.fromkeys(key for row in rows for key, _ in getattr(row, "extra", ())))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns + extras)
    for row in rows:
        known = {f.name: getattr(row, f.name) for f in fields(row)}  # type: ignore[arg-type]
        extra = dict(known.pop("extra", ()))
        values = [known.get(c) for c in columns] + [extra.get(c) for c in extras]
        writer.writerow(["" if v is None else v.isoformat() if hasattr(v, "isoformat") else v
                         for v in values])  # fmt: skip
    return out.getvalue().encode("utf-8")


def render_edition(
    year: FiscalYear,
    history: Sequence[FiscalYear],
    edition: str,
    language: str,
    *,
    neighbours: tuple[Neighbour, Neighbour] = (None, None),
    pdf: bool = True,
    html: bool | None = None,
) -> dict[str, tuple[bytes, int | None]]:
    """Select, analyse and compose one edition (no caching: see ``pipeline``).

    ``history``: earlier years, nearest first. ``html`` defaults to whether
    the edition has an HTML file."""
    from reportgen.editions import select

    seen = select(year, edition, language)
    earlier = [select(y, edition, language) for y in history]
    analysis = analyse(seen, earlier, language)
    return compose(seen, edition, language, analysis, neighbours=neighbours, pdf=pdf, html=html)
