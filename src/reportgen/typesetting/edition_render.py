"""Render one edition of one year in one language: the stages from selection
to bytes (year_as_seen_by -> key figures -> charts -> page context -> html -> pdf).

Pure apart from WeasyPrint reading the report's pictures through the gate:
a year model in, file names and bytes out. The pipeline decides what to
render and where the bytes go; the preview server calls it for HTML only.
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import reportgen.composing.charts
import reportgen.typesetting.pdf
from reportgen.composing import formats
from reportgen.composing.charts import ChartStyle
from reportgen.composing.edition_view import is_translation, year_as_seen_by
from reportgen.composing.key_figures import key_figures
from reportgen.composing.page_context import build_context
from reportgen.composing.palette import palette
from reportgen.core.editions import EDITIONS
from reportgen.core.file_gate import Gate
from reportgen.reading.column_names import names_for, written_column, written_value
from reportgen.reading.model import FiscalYear, Record
from reportgen.reading.page_anchors import resolved
from reportgen.reading.table_registry import TABLES
from reportgen.typesetting.html_pages import (
    inline_images,
    letter_css,
    locked_down,
    render_html,
    theme_of,
)
from reportgen.typesetting.letters import letter_html, make_letters
from reportgen.typesetting.preflight import NEAR_EMPTY, NO_LAYOUT, Layout, ends_short
from reportgen.typesetting.receipts import Numbered, make_receipt, receipt_donors, receipt_html
from reportgen.typesetting.templating import ThemeFailed, template, templates_dir

if TYPE_CHECKING:
    from reportgen.composing.charts import ChartAsset
    from reportgen.composing.key_figures import KeyFigures
    from reportgen.composing.page_context import RenderContext
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.typesetting.pdf import RenderedPdf
    from reportgen.typesetting.preflight import Finding

Neighbour = tuple[str, str, date, date] | None  # (fiscal year label, output folder, start, end)
# The donor edition as it follows each personal letter: a rendered part that
# the letters are joined to, never an output file of its own.
LETTER_BODY = ".letter-body.pdf"
# The notes pages that make up a bound edition's page count ([print]).
NOTES_TEMPLATE = "notes.html.j2"
# Copy-fitting lays a document out twice: worth it where one page in a few is
# saved (a handout, the donor edition, a report), not for a long document,
# whose cost it would double to save one page in hundreds.
FIT_PAGES = 40


def logo_uri(year: FiscalYear) -> str | None:
    logo = year.config.organization.logo
    if logo is None:
        return None
    return Gate.of(year.config.root).admit(str(logo), year.config.root).data_uri


@dataclass(frozen=True)
class Analysis:
    """Key figures of a selected year and its predecessors, and the charts."""

    figures: KeyFigures
    earlier: tuple[KeyFigures, ...]  # nearest first
    charts: dict[str, ChartAsset]


def figures_and_charts(
    seen: FiscalYear, earlier_seen: Sequence[FiscalYear], language: str, draw: bool = True
) -> Analysis:
    """Figures (pandas) and charts (matplotlib) of an already selected year.
    With ``draw`` False the charts carry titles, alt text, data and size but
    no SVG, and matplotlib is not imported: what the page needs before the
    pictures (``with_pictures`` adds them)."""
    figures = key_figures(seen)
    earlier = tuple(key_figures(y) for y in earlier_seen)
    return Analysis(figures, earlier, _charts(seen, language, figures, earlier, draw))


def with_pictures(analysis: Analysis, seen: FiscalYear, language: str) -> Analysis:
    """``analysis`` (of ``seen``) with its charts drawn, figures not recomputed."""
    return replace(analysis, charts=_charts(seen, language, analysis.figures, analysis.earlier))


def _charts(
    seen: FiscalYear,
    language: str,
    figures: KeyFigures,
    earlier: tuple[KeyFigures, ...],
    draw: bool = True,
) -> dict[str, ChartAsset]:
    config = seen.config
    style = ChartStyle(
        palette(config.theme), config.theme.font, formats.language(config, language),
        config.currency, draw,
    )  # fmt: skip
    # Through its module: the tests' memo layer (tests/shared_work.py) replaces it there.
    return reportgen.composing.charts.draw_charts(figures, [*reversed(earlier), figures], style)


@dataclass(frozen=True)
class PrintPage:
    """An edition's print HTML and everything WeasyPrint needs besides it:
    made without WeasyPrint, so that another process can make it."""

    html: str
    root: Path  # the report folder: the base of relative URLs
    variant: str | None
    attachments: tuple[tuple[str, bytes], ...]
    stamp: date | None
    frames: dict[str, str]  # chart id -> empty SVG of the chart's size
    # Each narrative file of the page and the HTML it gave: a renderer's
    # failure on one of its pictures or links names the file (pdf.failures_raised).
    sources: tuple[tuple[Path, str], ...] = ()
    # The page as copy-fitting sets it a little tighter (the template's
    # ``fit``), or None when the template does not fit copy.
    fitted: str | None = None
    # Its pagination (the edition's section breaks, [print]'s bleed and page
    # multiple) and, when the count is to be made up, a page of notes pages.
    layout: Layout = NO_LAYOUT
    notes: str | None = None
    # The fitted page with more in it (the handout's every chart:
    # ``RenderContext.fit_every_chart``), kept where it takes no more pages
    # than ``fitted``; None where the template sets nothing more.
    fuller: str | None = None


def _context(
    seen: FiscalYear,
    edition: str,
    language: str,
    analysis: Analysis,
    neighbours: tuple[Neighbour, Neighbour],
) -> RenderContext:
    config = seen.config
    depth = "../../" if len(config.languages) > 1 else "../"
    named = formats.language(config, language)
    links = tuple(
        (rel, formats.named_year(named, label, start, end),
         f"{depth}{folder}/{language + '/' if depth == '../../' else ''}{edition}.html")
        for rel, found in zip(("prev", "next"), neighbours, strict=True)
        if found is not None
        for label, folder, start, end in [found]
    )  # fmt: skip
    return build_context(
        seen, edition, language, analysis.figures,
        analysis.earlier[0] if analysis.earlier else None, analysis.charts,
        palette(config.theme), logo_uri(seen), links,
    )  # fmt: skip


def print_page(
    seen: FiscalYear,
    edition: str,
    language: str,
    analysis: Analysis,
    *,
    neighbours: tuple[Neighbour, Neighbour] = (None, None),
    ctx: RenderContext | None = None,
    after_letter: bool = False,
    closing_in_flow: bool = False,
    money_stacked: bool = False,
    ask_beside_story: bool = False,
) -> PrintPage:
    """The print HTML (Jinja2); ``analysis`` need not have its pictures yet.
    With ``after_letter``, the edition as it follows a personal donor letter;
    with ``closing_in_flow`` too, its small print after the money, not on
    the back cover (``letter_body_pdf``). With ``money_stacked``, the donor
    edition's money set larger; with ``ask_beside_story``, its ask beside
    the story, not after the money (``donor_pdf``)."""
    config = seen.config
    ctx = ctx or _context(seen, edition, language, analysis, neighbours)
    if after_letter:
        ctx = replace(ctx, after_letter=True, closing_in_flow=closing_in_flow)
    if money_stacked:
        ctx = replace(ctx, money_stacked=True)
    if ask_beside_story:
        ctx = replace(ctx, ask_beside_story=True)
    theme = theme_of(config.root, config.theme_dir)

    def page_html(fit: bool, every_chart: bool = False) -> str:
        shown = replace(ctx, fit_every_chart=True) if every_chart else ctx
        made = render_html(shown, "print", EDITIONS[edition].template, theme, fit=fit)
        return resolved(made.html, f"{edition}.pdf", themed=theme is not None)

    html_text = page_html(fit=False)
    # Copy-fitting's tighter page, as the template sets it (``fit``); none
    # when the template sets the page the same either way (a theme's own).
    fitted = page_html(fit=True)
    fuller = page_html(fit=True, every_chart=True)
    # The annual report carries its public data with it (archival, and the full
    # lists of tables too long to print).
    attachments = (
        tuple(
            (f"{name}.csv", table_csv(name, rows, language))
            for name, rows in seen.all_rows()
            if rows
        )
        if EDITIONS[edition].attachments
        else ()
    )
    declared = EDITIONS[edition]
    multiple = config.printing.pad_to_multiple_of if declared.bound else 1
    notes = None
    if multiple > 1:
        padding = replace(ctx, notes_pages=multiple - 1, giving_page=declared.giving_page)
        made = render_html(padding, "print", NOTES_TEMPLATE, theme)
        notes = resolved(made.html, f"{edition}.pdf", themed=theme is not None)
    bleed = config.printing.bleed or config.print_marks  # crop marks come with 3 mm of bleed
    layout = Layout(declared.section_breaks, bleed, multiple, declared.pages)
    return PrintPage(
        html_text, config.root, config.pdf_variant, attachments, config.published or config.end,
        {i: c.frame for i, c in analysis.charts.items()},
        tuple((s.source, s.html + s.excerpt) for s in (*seen.narrative, *seen.roles)),
        fitted if fitted != html_text else None, layout, notes,
        fuller if fuller != fitted else None,
    )  # fmt: skip


def print_pdf(
    page: PrintPage,
    charts: Callable[[str], bytes],
    preflight: str | None = None,
) -> RenderedPdf:
    """WeasyPrint: the PDF of a print page. ``charts`` gives a chart's SVG by
    id; it is asked for a picture only when the pages are painted (the layout
    uses the frames' sizes), so the pictures may still be being drawn, and
    the bytes are the same either way. ``preflight``: the document's name,
    to inspect its pages."""

    def lay_out(html: str) -> RenderedPdf:
        # Through its module: the tests' memo layer (tests/shared_work.py) replaces it there.
        return reportgen.typesetting.pdf.render_pdf(
            html, page.root, Gate.of(page.root, [templates_dir()]), variant=page.variant,
            attachments=page.attachments, stamp=page.stamp, charts=charts,
            frames=page.frames, preflight=preflight, sources=page.sources,
            layout=page.layout, notes=page.notes,
        )  # fmt: skip

    first = lay_out(page.html)
    over = page.layout.pages is not None and first.pages > page.layout.pages
    if page.fitted is None or not (over or (
            ends_short(first.findings, first.pages) and first.pages <= FIT_PAGES)):  # fmt: skip
        return first
    # Copy-fitting: the last page would hold only a few lines or rows (of
    # what the page before began, or nearly nothing). Set once more a little
    # tighter (the template's ``fit``: print.css.j2's body.fit); keep that
    # only if it fits on fewer pages.
    tighter = lay_out(page.fitted)
    if tighter.pages >= first.pages:
        return first
    if page.fuller is None:
        return tighter
    # The fitted sheet with every chart back (a first year's handout: two
    # sides half empty), kept where it takes no more pages and the
    # preflight finds no more faults in it.
    fuller = lay_out(page.fuller)
    if fuller.pages <= tighter.pages and len(fuller.findings) <= len(tighter.findings):
        return fuller
    return tighter


def has_closing(seen: FiscalYear) -> bool:
    """Whether the year has small print (``place: end``) to place."""
    return any(s.place == "end" for s in seen.narrative)


# The donor edition's section of the money (donor.html.j2).
MONEY = "finances"


def donor_pdf(
    page: PrintPage,
    stacked: Callable[[], PrintPage],
    charts: Callable[[str], bytes],
    preflight: str,
    beside: Callable[[], tuple[PrintPage, PrintPage]] | None = None,
) -> RenderedPdf:
    """The donor edition (an edition that has letters), its ask after the
    money as a reply strip. Where that leaves a page near-empty (the story
    short, the figures alone on the page before the money), the ask beside
    the story instead (``beside``: that print page, and it with the money
    stacked) is tried, and kept only if its pages are no more and its
    faults fewer. Always inspected, so that the layout is the same with or
    without a preflight report."""
    made = _money_fitted(page, stacked, charts, preflight)
    if beside is None or not any(f.kind == NEAR_EMPTY for f in made.findings):
        return made
    gc.collect()  # the layouts' garbage before the next is made
    near, far = beside()
    tried = _money_fitted(near, lambda: far, charts, preflight)
    if tried.pages <= made.pages and len(tried.findings) < len(made.findings):
        return tried
    return made


def _money_fitted(
    page: PrintPage,
    stacked: Callable[[], PrintPage],
    charts: Callable[[str], bytes],
    preflight: str,
) -> RenderedPdf:
    """Where the donor edition's money opens a page of its own (nothing of
    the figures before it on that page), that page is left part empty by two
    charts side by side: the money set larger, its charts one above the
    other (``stacked``: that print page) is tried, and kept only if its
    pages are no more and its faults no more."""
    made = print_pdf(page, charts, preflight=preflight)
    if MONEY not in made.opening:
        return made
    gc.collect()  # the first layout's garbage before the second is made
    tried = print_pdf(stacked(), charts, preflight=preflight)
    if tried.pages <= made.pages and len(tried.findings) <= len(made.findings):
        return tried
    return made


def letter_body_pdf(
    page: PrintPage,
    moved: Callable[[], PrintPage | None],
    charts: Callable[[str], bytes],
) -> RenderedPdf:
    """The edition as it follows each letter (``LETTER_BODY``). A section
    shorter (no thank-you), it may leave the page before its back cover
    part empty: then the small print set after the money (``moved``: that
    print page, None without small print) is tried, and kept only if its
    pages are no more and their faults fewer. Always inspected, so that
    the layout is the same with or without a preflight report."""
    body = print_pdf(page, charts, preflight=LETTER_BODY)
    if not any(f.kind == NEAR_EMPTY for f in body.findings):
        return body
    other = moved()
    if other is None:
        return body
    gc.collect()  # the first layout's garbage before the second is made
    tried = print_pdf(other, charts, preflight=LETTER_BODY)
    if tried.pages <= body.pages and len(tried.findings) < len(body.findings):
        return tried
    return body


def screen_page(
    seen: FiscalYear,
    edition: str,
    language: str,
    analysis: Analysis,
    *,
    neighbours: tuple[Neighbour, Neighbour] = (None, None),
    ctx: RenderContext | None = None,
) -> bytes:
    """The self-contained HTML edition; ``analysis`` with its pictures."""
    root = seen.config.root
    ctx = (
        replace(ctx, charts=analysis.charts)
        if ctx
        else _context(seen, edition, language, analysis, neighbours)
    )
    theme = theme_of(root, seen.config.theme_dir)
    name = EDITIONS[edition].template
    screen = render_html(ctx, "screen", name, theme)
    linked = resolved(screen.html, f"{edition}.html", themed=theme is not None)
    inlined = inline_images(linked, root, Gate.of(root, [templates_dir()]))
    return locked_down(inlined, theme.made(name) if theme else None).encode("utf-8")


def edition_files(
    seen: FiscalYear,
    edition: str,
    language: str,
    analysis: Analysis,
    *,
    neighbours: tuple[Neighbour, Neighbour] = (None, None),
    pdf: bool = True,
    html: bool | None = None,
    findings: list[Finding] | None = None,
    letters: bool = False,
) -> dict[str, tuple[bytes, int | None]]:
    """Context, templates and WeasyPrint: file name -> (bytes, pages or None).
    With ``findings``, the PDF's pages are inspected and the preflight's
    findings appended to it. With ``letters`` (the year has donors), an
    edition that follows the letters is laid out a second time as it does so
    (``LETTER_BODY``: joined to each letter, never written as a file)."""
    ctx = _context(seen, edition, language, analysis, neighbours)
    files: dict[str, tuple[bytes, int | None]] = {}
    if pdf:
        page = print_page(seen, edition, language, analysis, ctx=ctx)
        name = f"{edition}.pdf"

        def drawn(chart_id: str) -> bytes:
            return analysis.charts[chart_id].svg.encode("utf-8")

        if EDITIONS[edition].letters:

            def variant(stacked: bool, beside: bool) -> PrintPage:
                return print_page(seen, edition, language, analysis, ctx=ctx,
                                  money_stacked=stacked, ask_beside_story=beside)  # fmt: skip

            made = donor_pdf(page, lambda: variant(True, False), drawn, name,
                             lambda: (variant(False, True), variant(True, True)))  # fmt: skip
        else:
            made = print_pdf(page, drawn, preflight=name if findings is not None else None)
        files[name] = (made.data, made.pages)
        if findings is not None:
            findings.extend(made.findings)
        if letters and EDITIONS[edition].letters:
            # The first layout's garbage (with the font files WeasyPrint read
            # for it, 20-27 MB a CJK face) goes before the second is made:
            # not both at once in memory.
            gc.collect()
            page = print_page(seen, edition, language, analysis, ctx=ctx, after_letter=True)
            body = letter_body_pdf(
                page,
                lambda: print_page(seen, edition, language, analysis, ctx=ctx,
                                   after_letter=True, closing_in_flow=True)
                if has_closing(seen) else None,
                lambda chart_id: analysis.charts[chart_id].svg.encode("utf-8"),
            )  # fmt: skip
            files[LETTER_BODY] = (body.data, body.pages)
            if findings is not None:
                findings.extend(body.findings)
    if html if html is not None else EDITIONS[edition].html:
        files[f"{edition}.html"] = (screen_page(seen, edition, language, analysis, ctx=ctx), None)
    return files


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"):
# its first character. The full-width forms too, which a spreadsheet set up
# for Japanese may take for their ASCII twins.
FORMULA_START = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def spreadsheet_safe(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet evaluates: a single quote before a
    text that starts (after spaces) like a formula. Numbers never come here,
    so an amount of -5 stays the number it is."""
    risky = text[:1] in FORMULA_START or text.lstrip(" ")[:1] in FORMULA_START
    return "'" + text if risky else text


def table_csv(name: str, rows: Sequence[object], language: str = "en") -> bytes:
    """The rows of a (selected, so public) table as CSV, for the full list a
    long table attaches to the PDF: the table's own columns (the contract's,
    or those its declaration names) and their ``<column>_<tag>``
    translations, never a column reportgen does not know (a ``home_phone`` or
    ``staff_comment`` no page shows); each text cell ``spreadsheet_safe``.
    Its column names and fixed values are those ``language``'s pack writes
    (``reading.column_names``: 날짜, 구분, 수입 in Korean), which ``check``
    reads back in a report in that language."""

    own = [*dict.fromkeys(k for row in rows if isinstance(row, Record) for k, _ in row.values)]
    # A kind of table in the registry has its columns, empty ones too; a
    # declared table's are those its rows hold.
    columns = list(TABLES[name].names) if name in TABLES else [*own, "visibility"]
    known = set(columns)
    translations = list(dict.fromkeys(
        key for row in rows for key, _ in getattr(row, "extra", ()) if is_translation(key, known)
    ))  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = names_for((str(language),))
    writer.writerow([written_column(names, name, c) for c in columns] + translations)
    for row in rows:
        cells = {f.name: getattr(row, f.name) for f in fields(row)}  # type: ignore[arg-type]
        if isinstance(row, Record):
            cells.update(cells.pop("values"))
        extra = dict(cells.pop("extra", ()))
        values = [
            written_value(names, c, v, name) if isinstance(v, str) else v
            for c, v in ((c, cells.get(c)) for c in columns)
        ] + [extra.get(c) for c in translations]
        writer.writerow([_cell(v) for v in values])
    return out.getvalue().encode("utf-8")


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return value.isoformat() if isinstance(value, date) else value


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
    """One edition of one year in one language, from the year as its audience sees
    it to its files (no caching: see ``build_documents``).

    ``history``: earlier years, nearest first. ``html`` defaults to whether
    the edition has an HTML file."""
    seen = year_as_seen_by(year, edition, language)
    earlier = [year_as_seen_by(y, edition, language) for y in history]
    analysis = figures_and_charts(seen, earlier, language)
    return edition_files(
        seen, edition, language, analysis, neighbours=neighbours, pdf=pdf, html=html
    )


def try_theme(year: FiscalYear, history: Sequence[FiscalYear], diags: Diagnostics) -> None:
    """``check``'s run of a theme: every edition's templates rendered once, for
    print and for the screen, in the year's first language, on the year's own
    context (charts not drawn), and the first donor's letter; whatever fails
    (a template error, a limit, markup the HTML edition may not hold) is the
    located problem a build would stop at."""
    config = year.config
    theme = theme_of(config.root, config.theme_dir)
    if theme is None:
        return
    language = config.languages[0]
    try:
        for edition in config.editions:
            if EDITIONS[edition].per_donor:
                continue  # laid out per donor: the receipts are tried below
            seen = year_as_seen_by(year, edition, language)
            earlier = [year_as_seen_by(y, edition, language) for y in history]
            analysis = figures_and_charts(seen, earlier, language, draw=False)
            ctx = _context(seen, edition, language, analysis, (None, None))
            name = f"{edition}.html.j2"
            render_html(ctx, "print", name, theme)
            locked_down(render_html(ctx, "screen", name, theme).html, theme.made(name))
        if year.donors:
            letters = make_letters(year, None)[:1]
            css = letter_css(palette(config.theme), config.theme.page_size, config.theme.font,
                             theme, (language,))  # fmt: skip
            fill = template("letter.html.j2", letters[0].theme_dir)
            letter_html(fill, letters[0], css)
        own = receipt_donors(year)[:1] if config.receipts is not None else []
        for slug, donor, gifts in own:
            assert config.receipts is not None
            trial = make_receipt(year, config.receipts, slug, donor, gifts,
                                 Numbered("0", config.end))  # fmt: skip
            receipt_html(template("receipt.html.j2", trial.theme_dir), trial)
    except ThemeFailed as failed:
        for problem in failed.diagnostics:
            diags.error(problem.location, problem.message)
