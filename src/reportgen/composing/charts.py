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

import base64
import io
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import lxml.etree

from reportgen.composing import formats
from reportgen.composing.key_figures import FUNCTIONS, KeyFigures, whole_percents
from reportgen.composing.palette import Palette, function_colours, money_colours
from reportgen.core.languages import chart_fonts
from reportgen.core.plaintext import clean

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

CHART_SCHEME = "reportgen-chart:"
# Chart sizes, declared once, in inches; each chart is drawn at the size it
# prints at (the stylesheets show it at its own size, never wider: report.css
# ``.chart img``), so that a point in matplotlib is a point on paper and every
# chart's text falls on ``TYPE_SCALE`` whatever the chart. A wide chart is a
# little under the text block of an A4 page with print.css's 20 mm side
# margins (170 mm, 6.69 in); a half chart fits one of two columns of a
# ``.chart-row`` (6 mm apart) or of the handout's ``.chart-grid`` (48 %).
WIDTH_IN = 6.6
# A half chart is drawn a little under its half column (82 mm) so that a
# phone, which shows it 350 px wide, sets its 7 pt ticks at 12 px.
HALF_IN = 2.75
# Drawn for a phone's column (390 px less the margins, about 350 px), which
# the screen edition fills with it: 2.75 in (198 pt) shown 350 px wide sets
# the 7 pt ticks at 12.4 px (a phone's smallest readable text, 12 px).
NARROW_IN = 2.75
# The one type scale of every chart, in points (CSS px x 0.75 on screen),
# under the body text's 9.5 pt: tick labels and values; names and keys; the
# one figure a chart may lead with (the programme share in the ring).
TYPE_SCALE = {"tick": 7.0, "label": 8.0, "figure": 10.0}
FONT_SIZE = TYPE_SCALE["label"]
# Points kept clear between the ring's key and the breakdown risen under it.
KEY_CLEARANCE = 9.0


@dataclass(frozen=True)
class Breakdown:
    """One function of spending under the ring: its name and share, then the
    expense lines that make it up, each with its amount."""

    name: str
    share: str
    lines: tuple[tuple[str, str], ...]
    # What a shortened list says after its first k lines (``more[k]``): "and
    # 3 other lines", so that the donor edition's one example is not read as
    # the whole of the function (Korean review K35-P2).
    more: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChartAsset:
    id: str
    title: str
    svg: str
    alt: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    size: tuple[float, float]  # inches, known before the picture is drawn
    narrow: str = ""  # for phones (screen edition), when the chart has a narrow drawing
    # Said under the chart, in every edition: what "Other" groups, which
    # expense lines make up each function's share.
    notes: tuple[str, ...] = ()
    # The ring of spending: the lines behind each function's share, set as a
    # small table of three groups under the ring's key (review 2: a run-on
    # grey paragraph of nine lines).
    breakdown: tuple[Breakdown, ...] = ()
    # Points of the drawing, under the ring's key and beside the ring, that
    # the breakdown may rise into (print): the key is centred on the ring,
    # so the room below it is known from its lines before anything is drawn.
    key_room: float = 0.0
    # The chart's key as the page sets it in words (print: the side column
    # beside the Activities table, the cover's marks): each bar's swatch and
    # its count, in the chart's order. Said once here, drawn by the templates.
    key: tuple[KeyEntry, ...] = ()

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
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


@dataclass(frozen=True)
class ChartStyle:
    palette: Palette
    font: str
    language: str
    currency: str
    draw: bool = True  # False: titles, alt text and data only, no matplotlib (fast)
    # The report set's categories (canonical ids) in colour order
    # (``colour_order``), set by ``draw_charts`` from the years it is given.
    categories: tuple[str, ...] = ()

    def money(self, value: Decimal) -> str:
        return formats.format_compact_money(value, self.currency, self.language)

    def label(self, key: str, number: float | None = None, /, **values: object) -> str:
        return formats.label(self.language, key, number, **values)


@dataclass(frozen=True)
class KeyEntry:
    """One line of a chart's key: a category's name, colour and count."""

    name: str
    color: str
    count: int
    hatched: bool = False


@dataclass(frozen=True)
class Swatch:
    """How one activity category (or "Other", several) is drawn: the same in
    every chart of every edition and language of a year."""

    name: str  # what the chart writes beside it
    color: str
    hatched: bool  # "Other": hatched as well as grey
    members: tuple[str, ...]  # the categories it stands for


HATCH = "////"


def colour_order(history: Sequence[KeyFigures]) -> tuple[str, ...]:
    """The report set's activity categories (canonical ids, the same in every
    language) in the order that gives each its colour: first seen, year by
    year from the earliest (``history`` is oldest first); within a year in
    ``key_figures.category_order`` (most frequent first); every public
    category of every year before any category only internal rows use.

    Why first seen rather than a hash into the palette: a year is built with
    the years before it, never after, so the order a year sees is the
    beginning of the order every later year sees. A category added later
    takes the next free colour and moves no other; a colour once given is
    kept in every later year, edition and language, and the earliest year
    (the only one that ranks from scratch) gives its most frequent
    categories the strongest colours. A hash would be as stable but would
    give two of six colours to one pair of categories about once in three
    sets (the birthday bound), and its collisions, resolved by probing, would
    depend on which categories came first anyway. Public first: a public
    edition never sees internal rows, and its colours must be the handout's."""
    public: dict[str, None] = {}
    internal: dict[str, None] = {}
    for figures in history:
        for _, canonical, shown in figures.category_ids or (
            (c, c, True) for c in figures.category_order
        ):
            (public if shown else internal).setdefault(canonical, None)
    return (*public, *(c for c in internal if c not in public))


def category_swatches(fig_data: KeyFigures, style: ChartStyle) -> tuple[Swatch, ...]:
    """The year's categories in colour order (``colour_order``): each of the
    report set's first ``len(palette.series)`` categories keeps its colour
    in every chart it appears in; past them, never a colour twice: the
    categories left share "Other"'s hatched grey, and hatching means "Other"
    in every chart of every edition (review r34: it meant Governance in the
    report and "Other (2 categories)" in the handout): one category left is
    "Other: <its name>", several "Other (n categories)"."""
    ids = fig_data.category_ids or tuple((c, c, True) for c in fig_data.category_order)
    if not ids:
        ids = tuple((c, c, True) for c, _ in fig_data.by_category)
    order = list(style.categories)
    order += [c for _, c, _ in ids if c not in order]  # a year drawn on its own
    slot = {canonical: order.index(canonical) for _, canonical, _ in ids}
    shown = sorted(ids, key=lambda item: slot[item[1]])
    slots = style.palette.series
    swatches = [
        Swatch(name, slots[slot[canonical]], False, (name,))
        for name, canonical, _ in shown
        if slot[canonical] < len(slots)
    ]
    rest = tuple(name for name, canonical, _ in shown if slot[canonical] >= len(slots))
    if len(rest) == 1:
        name = style.label("other_category", name=rest[0])
        swatches.append(Swatch(name, style.palette.other, True, rest))
    elif rest:
        name = style.label("other_categories", len(rest), count=len(rest))
        swatches.append(Swatch(name, style.palette.other, True, rest))
    return tuple(swatches)


def _bar_style(swatch: Swatch, style: ChartStyle) -> dict[str, Any]:
    """White dividers between neighbours; "Other" hatched in the muted ink."""
    looks: dict[str, Any] = {"color": swatch.color, "edgecolor": style.palette.paper,
                             "linewidth": 0.8}  # fmt: skip
    if swatch.hatched:
        looks.update(hatch=HATCH, hatchcolor=style.palette.muted)
    return looks


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
        # The list itself, not "sans-serif": matplotlib (3.6+) then takes each
        # glyph from the first face that has it (a Korean name in an English
        # chart), where a generic family would measure with its first face alone.
        "font.family": families,
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
        "legend.fontsize": FONT_SIZE,
        "xtick.labelsize": TYPE_SCALE["tick"],
        "ytick.labelsize": TYPE_SCALE["tick"],
        "hatch.linewidth": 0.6,
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
    return _own_ids(buffer.getvalue(), chart_id)


_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# A reference inside an attribute's value (``clip-path="url(#p1)"``, a style).
_URL_REFERENCE = re.compile(r"url\(#([^)]+)\)")


def _own_ids(svg: str, chart_id: str) -> str:
    """matplotlib's SVG, inline-ready (no XML prolog or DOCTYPE), with every
    id and every reference to one prefixed by ``chart_id``: ids must be
    unique across the HTML page. Parsed as the XML it is (lxml): the chart's
    own text (a label that reads "url(#1)") is never taken for a reference."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = lxml.etree.fromstring(svg.encode("utf-8"), parser)
    for element in root.iter():
        for key, value in element.attrib.items():
            if key == "id":
                element.set(key, f"{chart_id}-{value}")
            elif key == _XLINK_HREF and value.startswith("#"):
                element.set(key, f"#{chart_id}-{value[1:]}")
            elif "url(#" in value:
                element.set(key, _URL_REFERENCE.sub(rf"url(#{chart_id}-\1)", value))
    return str(lxml.etree.tostring(root, encoding="unicode"))


def _hbar(
    ax: Axes,
    labels: Sequence[str],
    values: Sequence[float],
    texts: Sequence[str],
    looks: Sequence[dict[str, Any]],
    style: ChartStyle,
) -> None:
    names = [_wrapped(label) for label in labels]
    spans = [_span(name) for name in names]
    # From the top: each row as tall as its name needs, the bar in its middle.
    bottom, positions = sum(spans), []
    for span in spans:
        positions.append(bottom - span / 2)
        bottom -= span
    for pos, value, look in zip(positions, values, looks, strict=True):
        ax.barh(pos, value, height=0.62, **look)
    ax.set_ylim(0, sum(spans))
    ax.set_yticks(positions, names)
    # The bars' names are labels, not ticks: the scale's label size.
    ax.tick_params(axis="y", length=0, pad=6, labelsize=TYPE_SCALE["label"])
    ax.tick_params(axis="x", length=0, labelbottom=False)
    ax.spines[["bottom", "left"]].set_visible(False)
    top = max(values) if values and max(values) > 0 else 1
    ax.set_xlim(0, top * 1.18)
    for pos, value, text in zip(positions, values, texts, strict=True):
        ax.text(
            value + top * 0.015, pos, clean(text), va="center", ha="left", color=style.palette.ink
        )


# A bar's row, in the bar chart's units: one for a name of one line; each
# further line adds a line of labels (8 pt x 1.2, 0.133 in) at ROW_IN a unit.
ROW_IN = 0.34
LINE_SPAN = TYPE_SCALE["label"] * 1.2 / 72 / ROW_IN


def _span(name: str) -> float:
    return 1 + name.count("\n") * LINE_SPAN


def _wrapped(label: str, width: int = 22) -> str:
    """A label on as many lines as it needs, never cut: beside a bar or a
    segment there is room for about ``width`` Latin letters (half as many
    CJK ones, which count double); a word longer than that has a line of
    its own, broken where it must be."""
    text = clean(label)
    out: list[str] = []
    line = ""
    for word in _breakable(text):
        while _columns(word.rstrip()) > width:  # one unbroken word wider than the line
            if line.strip():
                out.append(line.rstrip())
            cut = _fitting(word, width - 1)
            out.append(word[:cut] + "-")
            line, word = "", word[cut:]
        if line and _columns(line + word.rstrip()) > width:
            out.append(line.rstrip())
            line = word.lstrip()
        else:
            line += word
    out.append(line.rstrip())
    return "\n".join(o for o in out if o) or text


def _fitting(word: str, width: int) -> int:
    """How many characters of ``word`` fit in ``width`` columns (at least one)."""
    count = 0
    while count < len(word) and _columns(word[: count + 1]) <= width:
        count += 1
    return max(count, 1)


def _breakable(text: str) -> list[str]:
    """Pieces a line may break after: words with their following space; each
    CJK character on its own (CJK text breaks between characters)."""
    return re.findall(
        r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]|[^\s\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]+\s*|\s+",
        text,
    )


def _columns(text: str) -> int:
    return sum(
        2 if re.match(r"[\u1100-\u11ff\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]", ch) else 1
        for ch in text
    )


def _bar_list(
    chart_id: str,
    title: str,
    alt: str,
    labels: Sequence[str],
    values: Sequence[float],
    texts: Sequence[str],
    looks: Sequence[dict[str, Any]],
    style: ChartStyle,
    headers: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
) -> ChartAsset:
    """A half-width chart of labelled horizontal bars, one per row."""
    units = sum(_span(_wrapped(label)) for label in labels)
    return _render(
        chart_id,
        title,
        alt,
        0.25 + ROW_IN * units,
        lambda ax: _hbar(ax, labels, values, texts, looks, style),
        style,
        headers,
        rows,
        width=HALF_IN,
    )


def _plain(color: str, style: ChartStyle) -> dict[str, Any]:
    return {"color": color, "edgecolor": style.palette.paper, "linewidth": 0.8}


def _list(items: Sequence[str], language: str) -> str:
    return formats.format_list(list(items), language)


def chart_by_category(fig_data: KeyFigures, style: ChartStyle) -> ChartAsset | None:
    """One bar per category that has a colour of its own, most activities
    first, then "Other"; the bars are labelled, so no legend."""
    if not fig_data.by_category:
        return None
    counts = dict(fig_data.by_category)
    swatches = category_swatches(fig_data, style)
    totals = [sum(counts.get(m, 0) for m in s.members) for s in swatches]
    shown = sorted(zip(swatches, totals, strict=True), key=lambda st: (st[0].hatched, -st[1]))
    title = style.label("by_category")
    parts = [_counted(c, n, style) for c, n in fig_data.by_category]
    alt = style.label(
        "alt_by_category", fig_data.activities, title=title,
        fiscal_year=_year_name(fig_data, style), count=fig_data.activities,
        list=_list(parts, style.language),
    )  # fmt: skip
    chart = _bar_list(
        "chart-by-category", title, alt, [s.name for s, _ in shown], [n for _, n in shown],
        [str(n) for _, n in shown], [_bar_style(s, style) for s, _ in shown],
        style, (style.label("category"), style.label("count")),
        tuple((c, str(n)) for c, n in fig_data.by_category),
    )  # fmt: skip
    return replace(chart, key=tuple(KeyEntry(s.name, s.color, n, s.hatched) for s, n in shown))


def _other_notes(swatches: Sequence[Swatch], style: ChartStyle) -> tuple[str, ...]:
    """What "Other (n categories)" groups, in the chart's note."""
    return tuple(
        style.label("chart_other_note", name=s.name, list=_list(s.members, style.language))
        for s in swatches
        if len(s.members) > 1
    )


FUNCTIONS_ORDER = (*FUNCTIONS, "unassigned")
# A legend past this many entries sends the eye back and forth: label directly.
LEGEND_MAX = 4


# The busiest months an alt text names; more that tie are counted instead.
BUSIEST_NAMED = 3


def chart_by_month(fig_data: KeyFigures, style: ChartStyle) -> ChartAsset | None:
    if not fig_data.activities:
        return None
    months = [m for m, _ in fig_data.by_month]
    swatches = category_swatches(fig_data, style)
    table = {(m, c): n for m, c, n in fig_data.by_month_category}
    stacks = [[sum(table.get((m, c), 0) for c in s.members) for m in months] for s in swatches]
    keyed = len(swatches) > LEGEND_MAX

    labels = [formats.format_month(m, style.language) for m in months]

    def draw(ax: Axes) -> None:
        _draw_months(ax, labels, swatches, stacks, style, down=False)

    def draw_narrow(ax: Axes) -> None:
        _draw_months(ax, labels, swatches, stacks, style, down=True)

    lines = sum(_wrapped(s.name).count("\n") + 1 for s in swatches) if keyed else 0
    height = max(2.5, 0.75 + 0.19 * lines)
    legend_rows = 0 if keyed else (len(swatches) + 1) // 2
    narrow_height = max(0.6 + 0.24 * len(months) + 0.2 * legend_rows, 0.75 + 0.19 * lines)
    most = max(n for _, n in fig_data.by_month)
    busiest = [m for m, n in fig_data.by_month if n == most]  # every month that ties
    title = style.label("by_month")
    parts = [_counted(formats.format_month(m, style.language), n, style)
             for m, n in fig_data.by_month]  # fmt: skip
    if len(busiest) > BUSIEST_NAMED:  # eight of twelve months: their names are noise
        alt = style.label(
            "alt_by_month_tied", most, title=title, fiscal_year=_year_name(fig_data, style),
            list=_list(parts, style.language), tied=len(busiest), months=len(months),
            busiest_count=most,
        )  # fmt: skip
    else:
        alt = style.label(
            "alt_by_month", most, title=title, fiscal_year=_year_name(fig_data, style),
            list=_list(parts, style.language),
            busiest=_list([formats.format_month(m, style.language, short=False) for m in busiest],
                          style.language),
            busiest_count=most,
        )  # fmt: skip
    wide = _render(
        "chart-by-month",
        title,
        alt,
        height,
        draw,
        style,
        (style.label("month"), style.label("count")),
        tuple(
            (formats.format_month(m, style.language, short=False), str(n))
            for m, n in fig_data.by_month
        ),
    )
    wide = replace(wide, notes=_other_notes(swatches, style))
    if not style.draw:
        return wide
    # Twelve columns scaled down to a phone print their labels at about 5 px:
    # the screen edition shows phones this drawing instead, months as rows.
    narrow = _draw_svg("chart-by-month-narrow", narrow_height, draw_narrow, style, NARROW_IN)
    return replace(wide, narrow=narrow)


def _draw_months(
    ax: Axes,
    labels: Sequence[str],
    swatches: Sequence[Swatch],
    stacks: Sequence[Sequence[int]],
    style: ChartStyle,
    down: bool,
) -> None:
    """Stacked counts per month, in slot order from the axis out: columns
    across (print, desktop) or, ``down``, rows (phones)."""
    places = list(range(len(labels)))[::-1] if down else list(range(len(labels)))
    base = [0] * len(labels)
    for swatch, values in zip(swatches, stacks, strict=True):
        looks = _bar_style(swatch, style)
        if down:
            ax.barh(places, values, left=base, height=0.66, label=_wrapped(swatch.name), **looks)
        else:
            ax.bar(places, values, bottom=base, width=0.66, label=_wrapped(swatch.name), **looks)
        base = [b + v for b, v in zip(base, values, strict=True)]
    values_axis = ax.xaxis if down else ax.yaxis
    (ax.set_yticks if down else ax.set_xticks)(places, labels)
    ax.tick_params(length=0)
    values_axis.grid(True, color=style.palette.rule, linewidth=0.6)
    values_axis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]
    ax.set_axisbelow(True)
    ax.spines[["bottom" if down else "left"]].set_visible(False)
    if down:
        ax.spines[["left"]].set_visible(True)
    top = max(base) * 1.12 if max(base) else 1
    (ax.set_xlim if down else ax.set_ylim)(0, top)
    if len(swatches) > LEGEND_MAX:
        _year_key(ax, swatches, [sum(v) for v in stacks], style)
    else:
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2 if down else len(swatches),
                  handlelength=1, handleheight=1, borderaxespad=0.2)  # fmt: skip


def _year_key(
    ax: Axes, swatches: Sequence[Swatch], totals: Sequence[int], style: ChartStyle
) -> None:
    """The key of a stacked chart with many categories, as data: beside the
    months, one column of the year's totals stacked in the same order, each
    segment labelled with its name and count (labels pushed apart where
    segments are thin, with a leader line back to their segment)."""
    key = ax.inset_axes((1.025, 0.0, 0.04, 1.0))
    total = sum(totals) or 1
    bottom, centres = 0, []
    for swatch, count in zip(swatches, totals, strict=True):
        key.bar(0, count, bottom=bottom, width=1.0, **_bar_style(swatch, style))
        centres.append(bottom + count / 2)
        bottom += count
    key.set_xlim(-0.5, 0.5)
    key.set_ylim(0, total)
    key.axis("off")
    texts = [f"{_wrapped(s.name)}  {n}" for s, n in zip(swatches, totals, strict=True)]
    # A line of text in the key's data units: the axes are about the
    # figure's height less the month labels and margins.
    figure = ax.get_figure(root=True)
    height = figure.get_figheight() if figure is not None else 2.5
    line = total * (FONT_SIZE * 1.3 / 72) / max(height - 0.45, 0.5)
    heights = [line * (t.count("\n") + 1) for t in texts]
    for text, centre, y in zip(texts, centres, _spread(centres, heights, total), strict=True):
        key.text(1.1, y, text, va="center", ha="left", color=style.palette.ink, clip_on=False)
        if abs(y - centre) > line * 0.3:
            key.plot((0.55, 1.0), (centre, y), color=style.palette.muted, linewidth=0.5,
                     clip_on=False)  # fmt: skip


def _spread(centres: Sequence[float], heights: Sequence[float], top: float) -> list[float]:
    """Label positions near ``centres`` (ascending) that do not overlap:
    pushed up past their lower neighbours, then down from ``top`` again."""
    ys = list(centres)
    for i in range(1, len(ys)):
        ys[i] = max(ys[i], ys[i - 1] + (heights[i - 1] + heights[i]) / 2)
    if ys and ys[-1] + heights[-1] / 2 > top:
        ys[-1] = top - heights[-1] / 2
        for i in range(len(ys) - 2, -1, -1):
            ys[i] = min(ys[i], ys[i + 1] - (heights[i] + heights[i + 1]) / 2)
    return ys


def chart_by_target(fig_data: KeyFigures, style: ChartStyle) -> ChartAsset | None:
    if not fig_data.by_target_type:
        return None
    labels = [t for t, _ in fig_data.by_target_type]
    counts = [n for _, n in fig_data.by_target_type]
    title = style.label("by_target")
    parts = [_counted(t, n, style) for t, n in fig_data.by_target_type]
    alt = style.label(
        "alt_by_target", fig_data.lobbying, title=title, fiscal_year=_year_name(fig_data, style),
        count=fig_data.lobbying, list=_list(parts, style.language),
    )  # fmt: skip
    return _bar_list(
        "chart-by-target", title, alt, labels, counts, [str(n) for n in counts],
        [_plain(style.palette.primary, style)] * len(labels), style,
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
    parts = [style.label("alt_amount_item", name=c, amount=style.money(a))
             for c, a in fig_data.income_by_category]  # fmt: skip
    alt = style.label(
        "alt_income", title=title, fiscal_year=_year_name(fig_data, style), total=total,
        list=_list(parts, style.language),
    )  # fmt: skip
    return _bar_list(
        "chart-income", title, alt, labels, values, texts,
        [_plain(money_colours(style.palette)[0], style)] * len(labels), style,
        (style.label("category"), style.label("amount")),
        tuple(
            (c, formats.format_money(a, style.currency, style.language))
            for c, a in fig_data.income_by_category
        ),
    )  # fmt: skip


# The donut's hole has a radius of 0.66 (the ring is 0.34 wide): below its
# centre, where the name stands, a line 1.0 wide keeps clear of the ring.
HOLE_LABEL_WIDTH = 1.0


def _fit_in_hole(ax: Axes, text: Any, width: float) -> bool:
    """The name in the donut's hole kept inside it (review 2: "Charitable
    activities" ran over the ring): on two lines where it may break (between
    words, or CJK characters), at the scale's size. A name that still does
    not fit, one long word, is not cut ("Progr-/ammes") nor set off the
    scale: it leaves the hole (False), where the key names it beside its
    share."""
    ax.set_aspect("equal")
    ax.apply_aspect()

    def wide() -> bool:
        box = text.get_window_extent().transformed(ax.transData.inverted())
        return bool(box.width > width)

    words = str(text.get_text())
    if wide() and len(_breakable(words.strip())) > 1:
        text.set_text(_wrapped(words, (_columns(words) + 1) // 2 + 1))
        text.set_y(-0.3)
    if wide():
        text.remove()
        return False
    return True


def chart_expenses(fig_data: KeyFigures, style: ChartStyle) -> ChartAsset | None:
    split = [(f, a) for f, a in fig_data.expenses_by_function if a > 0]
    if not fig_data.expenses or all(f == "unassigned" for f, _ in split):
        return None  # no expense names its function: a split of nothing
    names = [style.label(f"function_{f}") for f, _ in split]
    # Whole percents that add up to 100 (largest remainder), as the key figure says.
    shares = list(whole_percents([a for _, a in split]))
    colors = function_colours(style.palette)

    labels = [
        f"{_wrapped(n, 16)}  {formats.format_percent(s, style.language)}"
        for n, s in zip(names, shares, strict=True)
    ]

    def draw(ax: Axes) -> None:
        ax.set_position((0.0, 0.05, 0.5, 0.9))
        ax.pie(
            [float(a) for _, a in split],
            colors=[colors[FUNCTIONS_ORDER.index(f)] for f, _ in split],
            startangle=90,
            counterclock=False,
            wedgeprops={"width": 0.34, "edgecolor": "white", "linewidth": 1.2},
        )
        share = fig_data.program_share
        if share is not None:
            figure = ax.text(0, 0.08, formats.format_percent(share, style.language),
                             ha="center", va="center", fontsize=TYPE_SCALE["figure"],
                             fontweight="bold", color=style.palette.ink)  # fmt: skip
            name = ax.text(0, -0.22, style.label("function_program"), ha="center", va="center",
                           color=style.palette.muted, fontsize=TYPE_SCALE["tick"])  # fmt: skip
            if not _fit_in_hole(ax, name, HOLE_LABEL_WIDTH):
                figure.set_y(0)  # the share alone, at the hole's centre
        ax.legend(labels, loc="center left", bbox_to_anchor=(1.02, 0.5), handlelength=1,
                  handleheight=1, borderaxespad=0)  # fmt: skip
        ax.set_aspect("equal")

    title = style.label("expenses_by_function")
    parts = [
        style.label("alt_share_item", name=n, share=formats.format_percent(s, style.language),
                    amount=style.money(a))
        for n, s, (_, a) in zip(names, shares, split, strict=True)
    ]  # fmt: skip
    alt = style.label(
        "alt_expenses", title=title, fiscal_year=_year_name(fig_data, style),
        total=style.money(fig_data.expenses), list=_list(parts, style.language),
    )  # fmt: skip
    height = 1.65  # the ring and its key; the note of its lines below it takes the room
    chart = _render(
        "chart-expenses",
        title,
        alt,
        height,
        draw,
        style,
        (style.label("function"), style.label("amount"), style.label("share")),
        tuple(
            (
                n,
                formats.format_money(a, style.currency, style.language),
                formats.format_percent(s, style.language),
            )
            for n, s, (_, a) in zip(names, shares, split, strict=True)
        ),
        width=HALF_IN,
    )
    # The key's height as matplotlib sets it (lines of 1.2 em, 0.5 em between
    # entries, 0.4 em of border pad above and below), a margin kept clear.
    lines = sum(label.count("\n") + 1 for label in labels)
    key = FONT_SIZE * (1.2 * lines + 0.5 * (len(labels) - 1) + 0.8)
    room = max((height * 72 - key) / 2 - KEY_CLEARANCE, 0.0)
    # Where the framework does not count administration as a function (the
    # SORP allocates support costs to the activities), the pack says so under
    # the ring.
    note = style.label("function_administration_note")
    notes = (note,) if note and any(f == "administration" for f, _ in split) else ()
    groups = _breakdown(fig_data, dict(zip(names, shares, strict=True)), style)
    return replace(chart, breakdown=groups, key_room=round(room, 1), notes=notes)


def _breakdown(
    fig_data: KeyFigures, shares: dict[str, float], style: ChartStyle
) -> tuple[Breakdown, ...]:
    """Which expense lines make up each function's share, a group a function
    in the ring's order: "Programmes 76%", then "Rescue ¥3.1M", "Publication
    ¥2M" (lines of no amount left out)."""
    groups = []
    for function in FUNCTIONS_ORDER:
        lines = [(line, a) for f, line, a in fig_data.expense_lines if f == function and a > 0]
        name = style.label(f"function_{function}")
        if not lines or name not in shares:
            continue
        left = [len(lines) - k for k in range(len(lines))]
        more = tuple(style.label("breakdown_more", n, count=_number(n, style)) for n in left)
        groups.append(Breakdown(
            name, formats.format_percent(shares[name], style.language),
            tuple((line, style.money(a)) for line, a in lines), more,
        ))  # fmt: skip
    return tuple(groups)


def _number(count: int, style: ChartStyle) -> str:
    return formats.format_number(count, style.language)


def _counted(name: str, count: int, style: ChartStyle) -> str:
    """One bar of a count for alt text: "Events 12", "イベント12件", "행사 12건"."""
    number = formats.format_number(count, style.language)
    return style.label("alt_count_item", count, name=name, count=number)


def _year_name(fig_data: KeyFigures, style: ChartStyle) -> str:
    """The year as the language names it (2012年度 in Japanese): a figure in
    a Japanese report says no "FY2012"."""
    if fig_data.start is not None or not fig_data.by_month:
        return formats.named_year(style.language, fig_data.fiscal_year, fig_data.start,
                                  fig_data.end, fig_data.own_label)  # fmt: skip
    first, last = fig_data.by_month[0][0], fig_data.by_month[-1][0]  # figures made by hand
    return formats.named_year(style.language, fig_data.fiscal_year, first, last)


def chart_trend(history: Sequence[KeyFigures], style: ChartStyle) -> ChartAsset | None:
    if len(history) < 2:
        return None
    years = [_year_name(h, style) for h in history]
    income = [float(h.income) for h in history]
    expenses = [float(h.expenses) for h in history]
    inc_label, exp_label = style.label("kind_income"), style.label("kind_expense")

    income_colour, expense_colour = money_colours(style.palette)

    def draw(ax: Axes) -> None:
        xs = list(range(len(years)))
        ax.bar([x - 0.19 for x in xs], income, width=0.36, label=inc_label,
               **_plain(income_colour, style))  # fmt: skip
        ax.bar([x + 0.19 for x in xs], expenses, width=0.36, label=exp_label,
               **_plain(expense_colour, style))  # fmt: skip
        for x, h in zip(xs, history, strict=True):
            ax.text(x - 0.19, float(h.income), style.money(h.income), ha="center", va="bottom",
                    fontsize=TYPE_SCALE["tick"])  # fmt: skip
            ax.text(x + 0.19, float(h.expenses), style.money(h.expenses), ha="center",
                    va="bottom", fontsize=TYPE_SCALE["tick"])  # fmt: skip
        ax.set_xticks(xs, [clean(y) for y in years])
        ax.tick_params(length=0)
        ax.set_yticks([])
        ax.spines[["left"]].set_visible(False)
        ax.set_ylim(0, max(income + expenses) * 1.18 or 1)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, handlelength=1,
                  handleheight=1, borderaxespad=0.2)  # fmt: skip

    title = style.label("trend")
    parts = [style.label("alt_year_item", year=y, income_label=inc_label,
                         income=style.money(h.income), expenses_label=exp_label,
                         expenses=style.money(h.expenses))
             for y, h in zip(years, history, strict=True)]  # fmt: skip
    alt = style.label(
        "alt_trend", title=title, first=years[0], last=years[-1],
        list=style.label("alt_trend_separator").join(parts),
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
                y,
                formats.format_money(h.income, style.currency, style.language),
                formats.format_money(h.expenses, style.currency, style.language),
            )
            for y, h in zip(years, history, strict=True)
        ),
        width=HALF_IN,
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
    svg = _draw_svg(chart_id, height, draw, style, width) if style.draw else ""
    return ChartAsset(chart_id, title, svg, alt, headers, rows, (width, height))


def _draw_svg(
    chart_id: str, height: float, draw: Callable[[Axes], None], style: ChartStyle, width: float
) -> str:
    import matplotlib

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    with matplotlib.rc_context():
        # matplotlib's own defaults, then ours: a matplotlibrc in the current
        # folder or the user's settings never changes (or runs) anything here.
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(_rc(style))  # type: ignore[arg-type]
        fig = _figure(style, height, width)
        draw(fig.add_subplot())
        return _svg(fig, chart_id)


def draw_charts(
    figures: KeyFigures, history: Sequence[KeyFigures], style: ChartStyle
) -> dict[str, ChartAsset]:
    """Every chart the figures allow, by id; a chart with no data is left out.
    ``history``: the years to compare, oldest first, ending with ``figures``'
    own (it binds each category's colour: ``colour_order``)."""
    style = replace(style, categories=colour_order([*history, figures]))
    made = [
        chart_by_month(figures, style),
        chart_by_category(figures, style),
        chart_by_target(figures, style),
        chart_income(figures, style),
        chart_expenses(figures, style),
        chart_trend(history, style),
    ]
    return {c.id: c for c in made if c is not None}
