"""Charts as SVG, drawn with matplotlib's object API in the document's style.

Pure: figures in, ``ChartAsset`` (SVG text, alt text written from the data,
and the data as a small table) out. Text stays text in the SVG
(``svg.fonttype = none``) so the document's own fonts draw it; the palette is
the stylesheet's; ids and bytes are stable (fixed hash salt, no date). Text is
plain text: mathtext and TeX are off for every text matplotlib draws (a ``$``
in a category is a dollar sign), and the user's labels lose any character
that is not text before they reach matplotlib.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from reportgen import i18n
from reportgen.figures import KeyFigures
from reportgen.languages import chart_fonts
from reportgen.plaintext import clean
from reportgen.theme import Palette

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

CHART_SCHEME = "reportgen-chart:"
# Inches: a little under the text block of an A4 page with print.css's 20 mm
# side margins (170 mm, 6.69 in). The stylesheets scale each chart to its box
# (width: 100%), so a chart drawn about its box's size prints its labels at
# about FONT_SIZE.
WIDTH_IN = 6.6
FONT_SIZE = 8.5


@dataclass(frozen=True)
class ChartAsset:
    id: str
    title: str
    svg: str
    alt: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    size: tuple[float, float]  # inches, known before the picture is drawn

    @property
    def frame(self) -> str:
        """An empty SVG with the root size attributes the drawn picture will
        have (matplotlib writes inches x 72 as points, formatted like this), so
        that a layout can size the chart before it is drawn."""
        width, height = (f"{x * 72:f}".rstrip("0").rstrip(".") for x in self.size)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}pt" height="{height}pt" '
            f'viewBox="0 0 {width} {height}"/>'
        )

    @property
    def url(self) -> str:
        """How the print HTML names the chart; the PDF renderer's fetcher serves it."""
        return f"{CHART_SCHEME}{self.id}"

    @property
    def data_uri(self) -> str:
        import base64

        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


@dataclass(frozen=True)
class ChartStyle:
    palette: Palette
    font: str
    language: str
    currency: str
    draw: bool = True  # False: titles, alt text and data only, no matplotlib (fast)

    def money(self, value: Decimal) -> str:
        return i18n.format_compact_money(value, self.currency, self.language)

    def label(self, key: str, number: float | None = None, /, **values: object) -> str:
        return i18n.label(self.language, key, number, **values)


def _rc(style: ChartStyle) -> dict[str, Any]:
    # CJK labels are measured with the language's own faces; Latin ones with the theme's.
    families = chart_fonts(style.font, style.language)
    return {
        # Labels are the user's words: "$5 each" is not a formula (nor TeX to run).
        "text.parse_math": False,
        "text.usetex": False,
        "svg.fonttype": "none",
        "svg.hashsalt": "reportgen",
        "svg.id": None,
        "font.family": "sans-serif",
        "font.sans-serif": families,
        "font.size": FONT_SIZE,
        "text.color": style.palette.ink,
        "axes.edgecolor": style.palette.rule,
        "axes.labelcolor": style.palette.muted,
        "xtick.color": style.palette.muted,
        "ytick.color": style.palette.muted,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": FONT_SIZE,
        "legend.frameon": False,
        "legend.fontsize": FONT_SIZE - 0.5,
    }


def _figure(style: ChartStyle, height: float, width: float = WIDTH_IN) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    fig.patch.set_alpha(0)
    return fig


def _svg(fig: Figure, chart_id: str) -> str:
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buffer = io.StringIO()
    FigureCanvasSVG(fig)
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prolog and DOCTYPE: inline-ready
    # Ids must be unique across the HTML page: prefix matplotlib's own.
    text = re.sub(r'id="([^"]+)"', rf'id="{chart_id}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{chart_id}-\1)", text)
    text = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{chart_id}-\1"', text)
    return text


def _hbar(
    ax: Axes,
    labels: Sequence[str],
    values: Sequence[float],
    texts: Sequence[str],
    colors: Sequence[str],
    style: ChartStyle,
) -> None:
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, values, color=colors, height=0.62)
    ax.set_yticks(positions, [clean(label) for label in labels])
    ax.tick_params(axis="y", length=0, pad=6)
    ax.tick_params(axis="x", length=0, labelbottom=False)
    ax.spines[["bottom", "left"]].set_visible(False)
    top = max(values) if values and max(values) > 0 else 1
    ax.set_xlim(0, top * 1.18)
    for pos, value, text in zip(positions, values, texts, strict=True):
        ax.text(
            value + top * 0.015, pos, clean(text), va="center", ha="left", color=style.palette.ink
        )


def _bar_list(
    chart_id: str,
    title: str,
    alt: str,
    labels: Sequence[str],
    values: Sequence[float],
    texts: Sequence[str],
    colors: Sequence[str],
    style: ChartStyle,
    headers: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
) -> ChartAsset:
    """A half-width chart of labelled horizontal bars, one per row."""
    return _render(
        chart_id,
        title,
        alt,
        0.45 + 0.32 * len(labels),
        lambda ax: _hbar(ax, labels, values, texts, colors, style),
        style,
        headers,
        rows,
        width=WIDTH_IN / 2 - 0.1,
    )


def _list(items: Sequence[str], language: str) -> str:
    return i18n.format_list(list(items), language)


def chart_by_category(fig_data: KeyFigures, style: ChartStyle) -> ChartAsset | None:
    if not fig_data.by_category:
        return None
    labels = [c for c, _ in fig_data.by_category]
    counts = [n for _, n in fig_data.by_category]
    colors = [style.palette.series[i % len(style.palette.series)] for i in range(len(labels))]
    title = style.label("by_category")
    parts = [f"{c} {n}" for c, n in fig_data.by_category]
    alt = style.label(
        "alt_by_category", fig_data.activities, title=title, fiscal_year=fig_data.fiscal_year,
        count=fig_data.activities, list=_list(parts, style.language),
    )  # fmt: skip
    return _bar_list(
        "chart-by-category", title, alt, labels, counts, [str(n) for n in counts], colors,
        style, (style.label("category"), style.label("count")),
        tuple((c, str(n)) for c, n in fig_data.by_category),
    )  # fmt: skip


def chart_by_month(fig_data: KeyFigures, style: ChartStyle) -> ChartAsset | None:
    if not fig_data.activities:
        return None
    months = [m for m, _ in fig_data.by_month]
    categories = [c for c, _ in fig_data.by_category]
    table = {(m, c): n for m, c, n in fig_data.by_month_category}

    def draw(ax: Axes) -> None:
        bottom = [0] * len(months)
        for i, category in enumerate(categories):
            values = [table.get((m, category), 0) for m in months]
            color = style.palette.series[i % len(style.palette.series)]
            ax.bar(range(len(months)), values, bottom=bottom, color=color, width=0.66,
                   label=clean(category))  # fmt: skip
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        ax.set_xticks(range(len(months)), [i18n.format_month(m, style.language) for m in months])
        ax.tick_params(length=0)
        ax.yaxis.grid(True, color=style.palette.rule, linewidth=0.6)
        ax.set_axisbelow(True)
        ax.spines[["left"]].set_visible(False)
        ax.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
        ax.set_ylim(0, max(bottom) * 1.12 if max(bottom) else 1)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(len(categories), 5),
                  handlelength=1, handleheight=1, borderaxespad=0.2)  # fmt: skip

    busiest = max(fig_data.by_month, key=lambda mn: mn[1])
    title = style.label("by_month")
    parts = [f"{i18n.format_month(m, style.language)} {n}" for m, n in fig_data.by_month]
    alt = style.label(
        "alt_by_month", busiest[1], title=title, fiscal_year=fig_data.fiscal_year,
        list=_list(parts, style.language),
        busiest=i18n.format_month(busiest[0], style.language, short=False),
        busiest_count=busiest[1],
    )  # fmt: skip
    return _render(
        "chart-by-month",
        title,
        alt,
        2.5,
        draw,
        style,
        (style.label("month"), style.label("count")),
        tuple(
            (i18n.format_month(m, style.language, short=False), str(n))
            for m, n in fig_data.by_month
        ),
    )


def chart_by_target(fig_data: KeyFigures, style: ChartStyle) -> ChartAsset | None:
    if not fig_data.by_target_type:
        return None
    labels = [t for t, _ in fig_data.by_target_type]
    counts = [n for _, n in fig_data.by_target_type]
    title = style.label("by_target")
    parts = [f"{t} {n}" for t, n in fig_data.by_target_type]
    alt = style.label(
        "alt_by_target", fig_data.lobbying, title=title, fiscal_year=fig_data.fiscal_year,
        count=fig_data.lobbying, list=_list(parts, style.language),
    )  # fmt: skip
    return _bar_list(
        "chart-by-target", title, alt, labels, counts, [str(n) for n in counts],
        [style.palette.primary] * len(labels), style,
        (style.label("target_type"), style.label("count")),
        tuple((t, str(n)) for t, n in fig_data.by_target_type),
    )  # fmt: skip


def chart_income(fig_data: KeyFigures, style: ChartStyle) -> ChartAsset | None:
    if not fig_data.income_by_category:
        return None
    labels = [c for c, _ in fig_data.income_by_category]
    values = [float(a) for _, a in fig_data.income_by_category]
    texts = [style.money(a) for _, a in fig_data.income_by_category]
    title = style.label("income_by_category")
    total = style.money(fig_data.income)
    parts = [f"{c} {style.money(a)}" for c, a in fig_data.income_by_category]
    alt = style.label(
        "alt_income", title=title, fiscal_year=fig_data.fiscal_year, total=total,
        list=_list(parts, style.language),
    )  # fmt: skip
    return _bar_list(
        "chart-income", title, alt, labels, values, texts,
        [style.palette.primary] * len(labels), style,
        (style.label("category"), style.label("amount")),
        tuple(
            (c, i18n.format_money(a, style.currency, style.language))
            for c, a in fig_data.income_by_category
        ),
    )  # fmt: skip


def chart_expenses(fig_data: KeyFigures, style: ChartStyle) -> ChartAsset | None:
    split = [(f, a) for f, a in fig_data.expenses_by_function if a > 0]
    if not split or not fig_data.expenses:
        return None
    names = [style.label(f"function_{f}") for f, _ in split]
    shares = [float(a / fig_data.expenses) for _, a in split]
    colors = [style.palette.primary, style.palette.accent, "#8a919c", style.palette.series[2]]

    def draw(ax: Axes) -> None:
        ax.set_position((0.0, 0.05, 0.5, 0.9))
        ax.pie(
            shares,
            colors=colors[: len(shares)],
            startangle=90,
            counterclock=False,
            wedgeprops={"width": 0.34, "edgecolor": "white", "linewidth": 1.2},
        )
        share = fig_data.program_share
        if share is not None:
            ax.text(0, 0.08, i18n.format_percent(share, style.language), ha="center",
                    va="center", fontsize=15, fontweight="bold",
                    color=style.palette.ink)  # fmt: skip
            ax.text(0, -0.22, style.label("function_program"), ha="center", va="center",
                    color=style.palette.muted)  # fmt: skip
        labels = [
            f"{n}  {i18n.format_percent(s, style.language)}"
            for n, s in zip(names, shares, strict=True)
        ]
        ax.legend(labels, loc="center left", bbox_to_anchor=(1.02, 0.5), handlelength=1,
                  handleheight=1, borderaxespad=0)  # fmt: skip
        ax.set_aspect("equal")

    title = style.label("expenses_by_function")
    parts = [
        f"{n} {i18n.format_percent(s, style.language)} ({style.money(a)})"
        for n, s, (_, a) in zip(names, shares, split, strict=True)
    ]
    alt = style.label(
        "alt_expenses", title=title, fiscal_year=fig_data.fiscal_year,
        total=style.money(fig_data.expenses), list=_list(parts, style.language),
    )  # fmt: skip
    return _render(
        "chart-expenses",
        title,
        alt,
        1.9,
        draw,
        style,
        (style.label("function"), style.label("amount"), style.label("share")),
        tuple(
            (
                n,
                i18n.format_money(a, style.currency, style.language),
                i18n.format_percent(s, style.language),
            )
            for n, s, (_, a) in zip(names, shares, split, strict=True)
        ),
        width=WIDTH_IN / 2 - 0.1,
    )


def chart_trend(history: Sequence[KeyFigures], style: ChartStyle) -> ChartAsset | None:
    if len(history) < 2:
        return None
    years = [h.fiscal_year for h in history]
    income = [float(h.income) for h in history]
    expenses = [float(h.expenses) for h in history]
    inc_label, exp_label = style.label("kind_income"), style.label("kind_expense")

    def draw(ax: Axes) -> None:
        xs = list(range(len(years)))
        ax.bar([x - 0.19 for x in xs], income, width=0.36, color=style.palette.primary,
               label=inc_label)  # fmt: skip
        ax.bar([x + 0.19 for x in xs], expenses, width=0.36, color=style.palette.accent,
               label=exp_label)  # fmt: skip
        for x, h in zip(xs, history, strict=True):
            ax.text(x - 0.19, float(h.income), style.money(h.income), ha="center", va="bottom",
                    fontsize=FONT_SIZE - 1)  # fmt: skip
            ax.text(x + 0.19, float(h.expenses), style.money(h.expenses), ha="center",
                    va="bottom", fontsize=FONT_SIZE - 1)  # fmt: skip
        ax.set_xticks(xs, [clean(y) for y in years])
        ax.tick_params(length=0)
        ax.set_yticks([])
        ax.spines[["left"]].set_visible(False)
        ax.set_ylim(0, max(income + expenses) * 1.18 or 1)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, handlelength=1,
                  handleheight=1, borderaxespad=0.2)  # fmt: skip

    title = style.label("trend")
    parts = [f"{h.fiscal_year}: {inc_label} {style.money(h.income)}, {exp_label} "
             f"{style.money(h.expenses)}" for h in history]  # fmt: skip
    alt = style.label(
        "alt_trend", title=title, first=years[0], last=years[-1],
        list=style.label("list_separator").join(parts),
    )  # fmt: skip
    return _render(
        "chart-trend",
        title,
        alt,
        2.1,
        draw,
        style,
        (style.label("fiscal_year"), inc_label, exp_label),
        tuple(
            (
                h.fiscal_year,
                i18n.format_money(h.income, style.currency, style.language),
                i18n.format_money(h.expenses, style.currency, style.language),
            )
            for h in history
        ),
        width=WIDTH_IN / 2 - 0.1,
    )


def _render(
    chart_id: str,
    title: str,
    alt: str,
    height: float,
    draw: Callable[[Axes], None],
    style: ChartStyle,
    headers: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
    width: float = WIDTH_IN,
) -> ChartAsset:
    if not style.draw:
        return ChartAsset(chart_id, title, "", alt, headers, rows, (width, height))
    import matplotlib

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    with matplotlib.rc_context():
        # matplotlib's own defaults, then ours: a matplotlibrc in the current
        # folder or the user's settings never changes (or runs) anything here.
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(_rc(style))  # type: ignore[arg-type]
        fig = _figure(style, height, width)
        draw(fig.add_subplot())
        svg = _svg(fig, chart_id)
    return ChartAsset(chart_id, title, svg, alt, headers, rows, (width, height))


def draw_charts(
    figures: KeyFigures, history: Sequence[KeyFigures], style: ChartStyle
) -> dict[str, ChartAsset]:
    """Every chart the figures allow, by id; a chart with no data is left out."""
    made = [
        chart_by_month(figures, style),
        chart_by_category(figures, style),
        chart_by_target(figures, style),
        chart_income(figures, style),
        chart_expenses(figures, style),
        chart_trend(history, style),
    ]
    return {c.id: c for c in made if c is not None}
