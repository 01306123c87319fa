"""HTML for print to PDF bytes with WeasyPrint, every URL through the gate.

Reproducible: the metadata dates come from the document's own
``dcterms.created`` (set from the input), the PDF identifier is derived from
the HTML, and nothing depends on the clock.
"""

from __future__ import annotations

import gc
import hashlib
import io
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

from reportgen.composing.charts import CHART_SCHEME
from reportgen.core import languages
from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostic, Location, Severity
from reportgen.core.errors import ContentFailed, RenderError, ReportgenError
from reportgen.core.file_gate import Gate, RefusedResource, shorten
from reportgen.core.private_apis import (
    author_stylesheets_kept,
    element_being_laid_out,
    html_parser_patterns_kept,
    justify_between_characters,
    laid_out_page_box,
)
from reportgen.typesetting.font_subsets import trimmed_pdf
from reportgen.typesetting.preflight import (
    MAX_NOTES,
    NO_LAYOUT,
    TABLE_REMNANT,
    Finding,
    Inspection,
    Layout,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    findings: tuple[Finding, ...] = ()  # the preflight's, when asked for
    # The sections laid out to share the page before (``sharing_css``).
    shared: tuple[str, ...] = ()
    # The rows and blocks laid out stacked or split (``stacking_css``).
    stacked: tuple[str, ...] = ()
    # The ids of the sections that open a page, when the preflight was asked for.
    opening: frozenset[str] = frozenset()


# Where the painting asks for a chart's picture (``_late_frame``); never in a page.
DRAWN_SCHEME = "reportgen-chart-drawn:"
_SIZE_ATTRIBUTES = ("width", "height", "viewBox")


class _Charts:
    """The report's charts as the fetcher serves them.

    A chart with a frame (an empty SVG of the drawn picture's size, known
    before the picture exists) is served as that frame holding an SVG
    ``<image>`` of its picture: laying out needs only the frame's size, and
    WeasyPrint fetches the ``<image>`` of an SVG when it paints it (in
    ``write_pdf``), by which time the chart process has had the whole layout
    to draw it. Public API only (the fetcher and SVG), so WeasyPrint may
    change its insides freely. A chart without a frame is served as drawn.

    A picture that cannot be had (the chart process failed) is kept in
    ``failure`` (WeasyPrint would only log it and paint nothing), to be
    raised once the PDF is written (``raise_failure``)."""

    def __init__(self, picture: Callable[[str], bytes], frames: Mapping[str, str]) -> None:
        self.picture = picture
        self.frames = frames
        self.failure: BaseException | None = None

    def serve(self, url: str) -> bytes | None:
        """The SVG of a chart URL (either scheme), or ``None`` for any other
        URL (a picture URL of a chart without a frame is one: the gate refuses it)."""

        if url.startswith(DRAWN_SCHEME) and url[len(DRAWN_SCHEME) :] in self.frames:
            return self._drawn(url[len(DRAWN_SCHEME) :])
        if not url.startswith(CHART_SCHEME):
            return None
        chart_id = url[len(CHART_SCHEME) :]
        if chart_id in self.frames:
            return _late_frame(self.frames[chart_id], DRAWN_SCHEME + chart_id)
        return self.picture(chart_id)

    def _drawn(self, chart_id: str) -> bytes:
        try:
            data = self.picture(chart_id)  # a failed chart process raises here
            drawn = ElementTree.fromstring(data)
            frame = ElementTree.fromstring(self.frames[chart_id])
            for name in _SIZE_ATTRIBUTES:
                if drawn.get(name) != frame.get(name):
                    raise RuntimeError(
                        f"{CHART_SCHEME}{chart_id}: the drawn chart's {name} "
                        f"{drawn.get(name)!r} is not the {frame.get(name)!r} it was laid out with"
                    )
        except BaseException as exc:
            if self.failure is None:
                self.failure = exc
            raise
        return data

    def raise_failure(self) -> None:
        if self.failure is not None:
            raise self.failure


def _late_frame(frame: str, picture_url: str) -> bytes:
    """``frame`` (an empty SVG with the picture's width, height and viewBox)
    holding the picture at ``picture_url`` over the whole of its viewBox: the
    picture, whose own viewBox is the same, is drawn at one to one."""
    root = ElementTree.fromstring(frame)
    size = " ".join(f"{name}={quoteattr(root.get(name) or '')}" for name in _SIZE_ATTRIBUTES)
    x, y, width, height = (quoteattr(n) for n in (root.get("viewBox") or "").split())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" {size}><image x={x} y={y} '
        f"width={width} height={height} href={quoteattr(picture_url)}/></svg>"
    ).encode()


def _fetcher(gate: Gate, charts: _Charts | None = None) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SandboxedFetcher(URLFetcher):  # type: ignore[misc]
        """Serves what the gate admits (pictures of the report set, reportgen's
        own templates, data: pictures) and the report's own charts
        (``_Charts``); refuses the rest."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if charts is not None and (chart := charts.serve(url)) is not None:
                return URLFetcherResponse(
                    url, body=chart, headers={"Content-Type": "image/svg+xml"}
                )
            try:
                resource = gate.fetch(url)
            except RefusedResource as exc:
                log.info("refused %s", exc)
                raise ValueError(str(exc)) from None
            return URLFetcherResponse(
                url, body=resource.data, headers={"Content-Type": resource.mime_type}
            )

    return SandboxedFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


Sources = Sequence[tuple[Path, str]]  # a narrative file and the HTML it gave the page


def _locate(needle: str, sources: Sources) -> tuple[Path, int] | None:
    """The narrative file whose HTML holds ``needle`` (a picture's URL, a
    link's target), and the number of its paragraph there (0: before any)."""
    for path, html in sources:
        for form in dict.fromkeys((needle, escape(needle, quote=True))):
            found = html.find(form) if form else -1
            if found >= 0:
                return path, html.count("<p>", 0, found) + html.count("<p ", 0, found)
    return None


def _located(
    what: str, message: str, needles: Sequence[str], sources: Sources
) -> Diagnostic | None:
    """A renderer's failure as a problem of the narrative part it names, if any."""
    for needle in needles:
        found = _locate(needle, sources)
        if found is not None:
            path, paragraph = found
            where = M.FAILED_IN_PARAGRAPH(paragraph=paragraph) if paragraph else ""
            part = (M.FAILED_ON_LINK(target=needle[7:-1]) if needle.startswith('href="')
                    else M.FAILED_ON_PICTURE(name=shorten(needle)))  # fmt: skip
            return Diagnostic(Severity.ERROR, Location(path),
                              M.RENDER_FAILED_ON(what=what, part=part, where=where,
                                                 message=message))  # fmt: skip
    return None


@contextmanager
def failures_raised(what: str, sources: Sources = (), base: str = "") -> Iterator[None]:
    """WeasyPrint logs a resource it could not load (a picture, a stylesheet,
    an attachment) and goes on without it; here each such error fails the
    render instead, and its message, which may quote a whole data: URL, never
    reaches the terminal. A failure (logged or raised) that names a picture
    or link of a narrative file of ``sources`` is that file's problem
    (``ContentFailed``, exit 2); any other is a bug (``RenderError``).
    ``base``: the page's base URL, which WeasyPrint puts before a relative
    URL it names."""
    weasyprint_log = logging.getLogger("weasyprint")  # its documented logger
    failures: list[tuple[str, tuple[str, ...]]] = []  # message, what it names

    def keep(record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            return True
        args = record.args if isinstance(record.args, tuple) else ()
        shown = tuple(shorten(a) if isinstance(a, str) else shorten(str(a)) for a in args)
        named = tuple(a for a in args if isinstance(a, str))
        named += tuple(unquote(a[len(base) :]) for a in named if base and a.startswith(base))
        named += tuple(f'href="#{a}"' for a in named)  # "No anchor #%s": the link to it
        try:
            failures.append((str(record.msg) % shown if shown else str(record.msg), named))
        except (TypeError, ValueError):
            failures.append((str(record.msg), named))
        return False

    weasyprint_log.addFilter(keep)
    try:
        yield
    except (ReportgenError, KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:
        element = element_being_laid_out(exc)
        named = tuple(v for k in ("src", "href") if element is not None
                      and isinstance(v := element.get(k), str) and v)  # fmt: skip
        failures.append((f"{type(exc).__name__}: {shorten(str(exc))}", named))
        raised: BaseException | None = exc
    else:
        raised = None
    finally:
        weasyprint_log.removeFilter(keep)
    if not failures:
        return
    located = [_located(what, m, named, sources) for m, named in failures]
    if all(located):
        raise ContentFailed([d for d in located if d is not None]) from raised
    shown = "; ".join(dict.fromkeys(m for m, _ in failures))
    raise RenderError(M.THING_PROBLEM(what=what, problem=shown)) from raised


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while WeasyPrint lays out and
    writes: the layout allocates millions of objects, which trigger hundreds
    of collections, yet leaves little cyclic garbage. Measured on the sample:
    about 6% less time, 1 MiB more memory. Restored after (``serve`` lives on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write_options(
    html: str,
    variant: str | None,
    attachments: Sequence[tuple[str, bytes]],
    stamp: date | None,
    fetcher: Any,
) -> dict[str, Any]:
    from weasyprint import Attachment

    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    # PDF/UA-1 tags the document; the PDF/A variants get tags on top of their claim.
    options: dict[str, Any] = {"pdf_identifier": identifier, "pdf_variant": variant or "pdf/ua-1"}
    if variant and variant.startswith("pdf/a"):
        options["pdf_tags"] = True
    if attachments:
        when = datetime.combine(stamp or date(2000, 1, 1), time(0), tzinfo=UTC)
        options["attachments"] = [
            Attachment(
                file_obj=io.BytesIO(data),
                name=name,
                created=when,
                modified=when,
                url_fetcher=fetcher,
                relationship="Data",
            )
            for name, data in attachments
        ]
    return options


def render_pdf(
    html: str,
    base: Path,
    gate: Gate,
    variant: str | None = None,
    attachments: Sequence[tuple[str, bytes]] = (),
    stamp: date | None = None,
    charts: Callable[[str], bytes] | None = None,
    frames: Mapping[str, str] | None = None,
    preflight: str | None = None,
    sources: Sources = (),
    layout: Layout = NO_LAYOUT,
    notes: str | None = None,
) -> RenderedPdf:
    """``attachments``: (file name, bytes) embedded in the PDF, dated ``stamp``;
    ``charts``: the SVG of a chart by id, for the chart URLs of the HTML.
    ``frames``: an empty SVG of each chart's size by id (``ChartAsset.frame``):
    the layout then asks ``charts`` for the picture only when it paints it,
    not when it reaches it (``_Charts``). ``preflight``: the document's
    name, to inspect its laid-out pages (``RenderedPdf.findings``).
    ``sources``: the narrative files of the page with their HTML, to name the
    one a failure comes from (``failures_raised``).

    ``layout``: the edition's pagination. Sections that start a page ("page")
    but would fit in what the one before left of its page are laid out
    again to share it (``sharing_css``); a page count that must be a multiple
    (``layout.multiple``) is made up with pages of ``notes`` (an HTML page of
    notes pages, at least ``multiple - 1``), before the back cover."""
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle

    html_parser_patterns_kept()  # WeasyPrint parses the page with tinyhtml5
    justify_between_characters(languages.justified_between())  # 両端揃え; Korean words whole
    served = _Charts(charts, frames or {}) if charts is not None else None
    shared: tuple[str, ...] = ()
    stacked: tuple[str, ...] = ()
    fetcher = _fetcher(gate, served)
    base_url = base.resolve().as_uri() + "/"
    # Each layout of the same page after the first takes its stylesheets as
    # the first parsed them (``author_stylesheets_kept``): the same counter
    # styles and colour profiles then go to every layout, as the fonts do.
    same = {"counter_style": CounterStyle(), "color_profiles": {}}
    with (failures_raised("the PDF could not be made", sources, base_url), collector_paused(),
          author_stylesheets_kept()):  # fmt: skip
        page = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        document = page.render(**same)
        if layout.section_breaks == "page":
            # Each layout may leave a page short that the one before did not
            # (a section moved up moves what follows): a few rounds at most,
            # the later ones for a section that fits whole only.
            # A round is kept only if it adds neither a page nor a page
            # under a third full (a section pulled up may spill its end).
            # Two sections moved up in one round can push each other: one
            # that then starts low and runs on is refused and the round tried
            # again without it.
            seen = Inspection(document.pages, "", layout=layout)
            refused: frozenset[str] = frozenset()
            # The rounds below, foreseen from this layout's pages (each
            # section's height, each page's fill) and laid out in one go:
            # kept if that layout passes what a round must, the rounds then
            # going on from it (on the sample: the imprint, or one section
            # the forecast missed); otherwise they start from the first
            # layout, as if nothing were foreseen.
            if foreseen := foreseen_sharing(seen, layout, notes):
                tried = page.render(
                    stylesheets=[CSS(string=sharing_css(foreseen))],
                    font_config=document.font_config,
                    **same,
                )
                looked = Inspection(tried.pages, "", layout=layout)
                if _round_kept(seen, looked, foreseen, layout, notes):
                    shared, document, seen = foreseen, tried, looked
            for _ in range(SHARING_ROUNDS):
                # A section moved up may leave the page before the next
                # break more than 40 % empty: each round looks again.
                more = tuple(i for i in seen.shareable() if i not in refused)
                if not more:
                    break
                # The first layout's fonts (faces found, Pango's caches warm):
                # byte-identical PDFs; the Japanese report 5-9 % less CPU (bench/README).
                tried = page.render(
                    stylesheets=[CSS(string=sharing_css(shared + more))],
                    font_config=document.font_config,
                    **same,
                )
                looked = Inspection(tried.pages, "", layout=layout)
                spilt = looked.runs_on_low() - seen.runs_on_low()
                if spilt:
                    refused |= spilt
                    continue
                if (len(tried.pages) > len(document.pages)
                        or looked.short_pages() > seen.short_pages()):  # fmt: skip
                    # The page it leaves short may be one the next section
                    # fills whole (the accounts' last rows, then the board):
                    # the two moves are tried together before giving up.
                    follow = tuple(
                        i
                        for i in looked.shareable(half_empty=False)
                        if i not in shared + more and i not in refused
                    )
                    if follow:
                        again = page.render(
                            stylesheets=[CSS(string=sharing_css(shared + more + follow))],
                            font_config=document.font_config,
                            **same,
                        )
                        joined = Inspection(again.pages, "", layout=layout)
                        own = looked.own_pages()
                        if (not joined.runs_on_low() - seen.runs_on_low()
                                and len(again.pages) <= len(document.pages)
                                and joined.short_pages() <= seen.short_pages()
                                and not _left_alone(joined, follow, own)):  # fmt: skip
                            shared, document, seen = shared + more + follow, again, joined
                            continue
                    # One of them spoils the round: keep the first (the
                    # page's own) to try alone, or give up on a lone one.
                    refused |= frozenset(more[1:] or more)
                    continue
                if _left_alone(looked, more, seen.own_pages()):
                    refused |= frozenset(more)  # it did not fit after all
                    continue
                if set(more) <= seen.own_pages() and (
                        _notes_for(len(tried.pages), layout, notes) > MAX_NOTES
                        >= _notes_for(len(document.pages), layout, notes)):  # fmt: skip
                    # The imprint taken onto the page before saves a page
                    # that more than two notes pages would make up again
                    # (``preflight.MAX_NOTES``: they read as blank pages).
                    refused |= frozenset(more)
                    continue
                shared, document, seen = shared + more, tried, looked
            # A row kept whole that went on to the next page, leaving this
            # one more than 40 % empty (the finance tables under tall charts,
            # the charts under a long table): its items one under the other,
            # the first may stay. Each row alone, in the order of the book,
            # then all of them; the first layout that takes a near-empty
            # page away and makes nothing else worse is kept. A row stacked
            # may leave the page after it near-empty before the next row (the
            # charts stacked, then the accounts' statement under the ring):
            # the rows that layout finds are tried in turn, each row once.

            def stacking(rows: tuple[str, ...]) -> tuple[Any, Inspection, tuple[str, ...]]:
                """The layout with ``stacked + rows`` stacked, and the
                sections it then lets share the page before (``follow``)."""
                sheets = [CSS(string=stacking_css(stacked + rows))]
                if shared:
                    sheets.append(CSS(string=sharing_css(shared)))
                tried = page.render(stylesheets=sheets, font_config=document.font_config)
                looked = Inspection(tried.pages, "", layout=layout)
                # What a block split leaves of its page may now hold the
                # section after it whole (the statement of funds, then
                # the trustees): the two together.
                follow = tuple(i for i in looked.shareable(half_empty=False) if i not in shared)
                if follow:
                    sheets = [CSS(string=stacking_css(stacked + rows))]
                    sheets.append(CSS(string=sharing_css(shared + follow)))
                    again = page.render(stylesheets=sheets, font_config=document.font_config)
                    joined = Inspection(again.pages, "", layout=layout)
                    if not _left_alone(joined, follow, looked.own_pages()):
                        return again, joined, follow
                    follow = ()
                return tried, looked, follow

            while True:
                # More notes pages than may make up the count (they read as
                # blank): a row that saves a page is tried too, wherever it
                # went on from a page with room left (review r35's taller
                # statement of activities no longer left its page near-empty).
                saving = _notes_for(len(document.pages), layout, notes) > MAX_NOTES
                found = seen.stackable() + (seen.stackable(near_empty=False) if saving else ())
                stack = tuple(i for i in dict.fromkeys(found) if i not in stacked)
                if not stack:
                    break
                tries = [(i,) for i in stack] + ([stack] if len(stack) > 1 else [])
                layouts: dict[tuple[str, ...], tuple[Any, Inspection, tuple[str, ...]]] = {}
                kept: tuple[str, ...] | None = None
                for rows in tries:
                    layouts[rows] = stacking(rows)
                    if _stacking_kept(seen, layouts[rows][1], saving):
                        kept = rows
                        break
                # None helps alone: a row stacked may push the next one on,
                # leaving its page near-empty instead (the income and
                # expenditure stacked, the balance sheet then whole on the
                # next page): each try again with the rows its layout finds.
                for rows in tries if kept is None else ():
                    for _ in range(CHAINED_ROWS):
                        after = layouts[rows][1].stackable()
                        more = tuple(i for i in after if i not in stacked + rows)
                        if not more:
                            break
                        rows += more
                        layouts[rows] = stacking(rows)
                        if _stacking_kept(seen, layouts[rows][1], saving):
                            kept = rows
                            break
                    if kept is not None:
                        break
                if kept is None:
                    break  # no row of this layout helps
                document, seen, follow = layouts[kept]
                stacked += kept
                shared += follow
        if layout.multiple > 1 and notes and (missing := -len(document.pages) % layout.multiple):
            extra = HTML(string=notes, base_url=base_url, url_fetcher=fetcher)
            folio = CSS(string=notes_folio_css(document, notes))
            made = extra.render(stylesheets=[folio], font_config=document.font_config)
            if sum(_page_name(p) == GIVING_PAGE for p in made.pages) > 1:
                # Ways to give too long for their page: notes pages only,
                # their folios following on (the page is one page or none).
                hidden = CSS(string=f"#{GIVING_ID} {{ display: none }}")
                made = extra.render(stylesheets=[folio, hidden], font_config=document.font_config)
            document = padded(document, made, missing)
        inspected = Inspection(document.pages, preflight, layout=layout) if preflight else None
        findings = tuple(inspected.findings()) if inspected else ()
        opening = inspected.at_top() if inspected else frozenset[str]()
        data = document.write_pdf(**_write_options(html, variant, attachments, stamp, fetcher))
        data = trimmed_pdf(data)  # each CJK face with only its glyphs (font_subsets)
        if served is not None:
            served.raise_failure()  # a chart WeasyPrint could only log as missing
    return RenderedPdf(data, len(document.pages), findings, shared, stacked, opening)


# Layouts after the first that let short sections share a page, at most.
SHARING_ROUNDS = 4


def sharing_css(ids: Sequence[str]) -> str:
    """The stylesheet of the second layout: each section of ``ids`` follows
    the one before on its page, the space of a run-on section above it
    (print.css.j2's ``--section-gap``)."""
    selectors = ", ".join(f"main > section#{_css_ident(i)}" for i in ids)
    # A user stylesheet (``render(stylesheets=...)``): important, to win over the page's own.
    # A section that names its page (the imprint) leaves it for the page
    # before's kind, and takes the height of its content only.
    return (
        f"{selectors} {{ break-before: auto !important; "
        "margin-top: var(--section-gap, 14mm) !important; "
        "page: auto !important; min-height: 0 !important; }"
    )


def stacking_css(ids: Sequence[str]) -> str:
    """The stylesheet that sets each row of ``ids`` (a flex row marked
    ``data-stack``) stacked: its items one under the other, each whole, the
    row free to break between them; an item as wide as the row's
    ``--stacked-width`` says (print.css.j2: a chart keeps its width in the row).
    A block of ``ids`` marked ``data-split`` (the balance sheet) may break
    inside its table instead, before one of the table's groups (a row of
    class ``heading``), a group's heading never alone at a page's foot."""
    rows = ", ".join(f"#{_css_ident(i)}[data-stack]" for i in ids)
    items = ", ".join(f"#{_css_ident(i)}[data-stack] > *" for i in ids)
    blocks = ", ".join(
        f"#{_css_ident(i)}[data-split]{inner}"
        for i in ids
        for inner in ("", " .table-wrap", " table")
    )
    groups = ", ".join(f"#{_css_ident(i)}[data-split] tbody > tr:not(.heading)" for i in ids)
    return (
        f"{rows} {{ display: block !important; break-inside: auto !important; }}"
        f"{items} {{ break-inside: avoid !important; width: var(--stacked-width, auto); }}"
        f"{blocks} {{ break-inside: auto !important; }}"
        f"{groups} {{ break-before: avoid !important; }}"
    )


# Rows a stacked row may bring with it, at most (``render_pdf``'s stacking).
CHAINED_ROWS = 2


def _stacking_kept(seen: Inspection, looked: Inspection, saving: bool) -> bool:
    """Whether the pages ``looked`` (more rows stacked) may replace ``seen``:
    no page more, one near-empty page less (with ``saving``: or one page
    less and no near-empty page more), and nothing else worse: no page more
    under a third full, no section newly starting low and running on, no
    table remnant."""
    pages, before = len(looked.scans), len(seen.scans)
    near, was = looked.near_empty_pages(), seen.near_empty_pages()
    return (
        pages <= before
        and (near < was or (saving and pages < before and near <= was))
        and looked.short_pages() <= seen.short_pages()
        and not looked.runs_on_low() - seen.runs_on_low()
        and not _remnant(looked)
    )


def _remnant(looked: Inspection) -> bool:
    """Whether a layout leaves a table remnant (a row or two alone)."""
    return any(f.kind == TABLE_REMNANT for f in looked.findings())


def foreseen_sharing(seen: Inspection, layout: Layout, notes: str | None) -> tuple[str, ...]:
    """The sections the sharing rounds of ``render_pdf`` would choose,
    foreseen from one layout's pages (``Inspection.foreseen``) instead of a
    layout a round: each round's sections are taken as the pages foreseen
    with them are kept by the same tests (``_round_kept``, less what only a
    layout shows), until a round finds nothing more."""
    shared: tuple[str, ...] = ()
    refused: frozenset[str] = frozenset()
    now = seen
    for _ in range(2 * SHARING_ROUNDS):
        more = tuple(i for i in now.shareable() if i not in refused and i not in shared)
        if not more:
            break
        looked = seen.foreseen(shared + more)
        if spilt := looked.runs_on_low() - now.runs_on_low():
            refused |= spilt
        elif not _round_kept(now, looked, more, layout, notes):
            refused |= frozenset(more[1:] or more)
        else:
            shared, now = shared + more, looked
    return shared


def _round_kept(
    seen: Inspection, looked: Inspection, more: Sequence[str], layout: Layout, notes: str | None
) -> bool:
    """Whether the pages ``looked`` (``more`` laid out to share) may replace
    ``seen``: no section newly starting low and running on, no page more,
    no page more under a third full, no section of its own page left
    opening one, and no more than ``MAX_NOTES`` notes pages where none were
    needed beyond them (the rounds' tests, ``render_pdf``)."""
    before, after = len(seen.scans), len(looked.scans)
    return not (
        looked.runs_on_low() - seen.runs_on_low()
        or after > before
        or looked.short_pages() > seen.short_pages()
        or _left_alone(looked, more, seen.own_pages())
        or (set(more) <= seen.own_pages()
            and _notes_for(after, layout, notes) > MAX_NOTES >= _notes_for(before, layout, notes))
    )  # fmt: skip


def _left_alone(looked: Inspection, ids: Sequence[str], own: frozenset[str]) -> bool:
    """Whether one of the sections ``ids`` that named their page (``own``),
    laid out to share the page before, still opens a page (it did not fit:
    the imprint then stands at the top of a page, not at its foot)."""
    return any(i in ids and i in own for i in looked.at_top())


def _notes_for(pages: int, layout: Layout, notes: str | None) -> int:
    """How many notes pages make up a count of ``pages`` to the layout's multiple."""
    # (The page of the ways to give, where the notes document has one, is
    # one of them: the preflight counts it among the padding too.)
    return -pages % layout.multiple if layout.multiple > 1 and notes else 0


def _css_ident(text: str) -> str:
    """``text`` as a CSS identifier: every character but letters, digits,
    hyphens and underscores escaped (an id from a narrative's slug)."""
    return "".join(
        c if (c.isalnum() and not (i == 0 and c.isdigit())) or c in "-_" else f"\\{ord(c):x} "
        for i, c in enumerate(text)
    )


def notes_folio_css(document: Any, notes: str) -> str:
    """The stylesheet of the notes pages that make up ``document``'s count:
    their folios go on from the page before them, as on every page (the
    imprint set first, when it is used, takes its page's)."""
    at = notes_at(document)
    # (Its section's mark, not the page's name, which its stylesheet holds too.)
    lone = _lone_imprint(document)
    start = at + 1 if lone or IMPRINT_FIRST_MARK not in notes else at
    # The imprint set first carries the ways to give: their own page is
    # not laid out, so that the notes pages' folios follow on.
    carried = lone and IMPRINT_FIRST_MARK in notes
    hidden = f" #{GIVING_ID} {{ display: none }}" if carried else ""
    return f"@page :first {{ counter-set: page {start} }}" + hidden


def notes_at(document: Any) -> int:
    """Where notes pages go in ``document``: before its back cover (a last
    page named ``back``) and the inside back cover before it (a page named
    ``imprint``), or at its end when it has none."""
    pages = list(document.pages)
    names = [getattr(laid_out_page_box(p).page_type, "name", "") for p in pages[-2:]]
    at = len(pages) - 1 if names[-1:] == ["back"] else len(pages)
    if at < len(pages) and names[:1] == ["imprint"] and len(names) == 2:
        at -= 1
    return at


#: The page the notes document opens with when the book has an imprint
#: (notes.html.j2): the imprint set at the top of a page with the running
#: head and folio, for a book whose imprint stands alone on the inside back
#: cover and that notes pages make up (review r35, 5: a notes page, then
#: the imprint alone at the foot of the next, read as two blank pages).
IMPRINT_FIRST = "imprint-first"
IMPRINT_FIRST_MARK = 'class="narrative imprint imprint-first"'  # its section in the HTML


#: The page of the notes document that asks for support and gives the
#: organisation's ways to give (notes.html.j2, ``organization.giving``):
#: the first page that makes up the count, the notes pages after it
#: (review r36, design 5: two ruled notes pages in a row read as padding).
GIVING_PAGE = "giving"
GIVING_ID = "giving-page"  # its section's id in the notes document


def _page_name(page: Any) -> str:
    return str(getattr(laid_out_page_box(page).page_type, "name", "") or "")


def _lone_imprint(document: Any) -> bool:
    """Whether ``document``'s imprint stands alone on the inside back cover
    (a page named ``imprint`` where notes pages would go)."""
    at = notes_at(document)
    return at < len(document.pages) and _page_name(document.pages[at]) == "imprint"


def padded(document: Any, notes: Any, count: int) -> Any:
    """``document`` with ``count`` pages of ``notes`` before its back cover
    (a last page named ``back``) and the inside back cover before it (a page
    named ``imprint``), or at its end when it has none. An imprint alone on
    the inside back cover gives way to the notes document's opening page
    (``IMPRINT_FIRST``), the notes pages after it: the imprint ends the text
    at the top of its page, and the notes come before the back cover."""
    pages = list(document.pages)
    at = notes_at(document)
    made = list(notes.pages)
    opening = [p for p in made if _page_name(p) == IMPRINT_FIRST]
    giving = [p for p in made if _page_name(p) == GIVING_PAGE]
    made = [p for p in made if _page_name(p) not in (IMPRINT_FIRST, GIVING_PAGE)]
    if len(opening) == 1 and _lone_imprint(document):
        # The imprint set first carries the ways to give (notes.html.j2).
        pages[at] = opening[0]
        at += 1
    elif len(giving) == 1:
        made = [*giving, *made]
    extra = made[:count]
    if len(extra) < count:
        raise RenderError(M.NOTES_PAGES(extra=len(extra), count=count))
    return document.copy([*pages[:at], *extra, *pages[at:]])
