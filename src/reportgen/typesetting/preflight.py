"""The preflight: a print shop's look at every laid-out page, in every build.

It runs between WeasyPrint's layout (``Document.render()``) and the PDF, on
the laid-out box tree of each page (``private_apis.laid_out_page_box``: every
box with its position and size, lines as ``LineBox``, text as ``TextBox``), and returns
``Finding``s: text drawn over text, content outside its box or the page
(or below the page's area), text cut at a page's foot and printed nowhere,
pages under a third full, a heading alone at the foot of a page, a word or
date broken inside a table cell, a character no font has, and a font
embedded for a single character; and the pagination rules: a table broken
with fewer than three rows on one side, a figure apart from its caption or
heading, a running head naming a section that starts lower on its page, a
section alone on a page it could share, a section break against the
edition's policy (``Layout``), and what print production asks (bleed, a
page count that is a multiple). ``Inspection.shareable`` gives
``pdf.render_pdf`` the sections to lay out again sharing a page.
``pdf`` and ``letters`` call it for every document they lay out; ``build``
turns the findings into located warnings (``--strict`` makes them fail the
build). A template opts an element out of
one rule with ``data-preflight`` tokens (``ALLOWANCES``); everything else
is judged by geometry alone. It reads the layout only, never changes it.
What it reads of WeasyPrint's insides it reaches through ``private_apis``,
which refuses a WeasyPrint other than the one those insides were read in.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import logging
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from reportgen.core import messages as M
from reportgen.core.private_apis import box_classes, laid_out_page_box, placed_box, shaped_runs
from reportgen.typesetting.typeset import MONTHS

log = logging.getLogger(__name__)

# Kinds of finding, as printed after "preflight:".
OVERLAP = M.PF_OVERLAP()
OUTSIDE = M.PF_OUTSIDE()
SPARSE = M.PF_SPARSE()
NEAR_EMPTY = M.PF_NEAR_EMPTY()
LONE_HEADING = M.PF_LONE_HEADING()
BROKEN = M.PF_BROKEN()
MISSING_GLYPH = M.PF_MISSING_GLYPH()
ONE_CHARACTER_FONT = M.PF_ONE_CHARACTER_FONT()
# Pagination (the layer of print.css.j2 and pdf.render_pdf's sharing pass).
TABLE_REMNANT = M.PF_TABLE_REMNANT()
FIGURE_APART = M.PF_FIGURE_APART()
RUNNING_HEAD = M.PF_RUNNING_HEAD()
SHORT_PAGE = M.PF_SHORT_PAGE()
SECTION_BREAK = M.PF_SECTION_BREAK()
# Print production ([print] in report.toml), checked when asked for.
NO_BLEED = M.PF_NO_BLEED()
PAGE_COUNT = M.PF_PAGE_COUNT()
OVER_PAGES = M.PF_OVER_PAGES()
# Text laid out nowhere: a block cut at a page's foot with no next part.
CUT = M.PF_CUT()

# data-preflight="..." tokens: what an element (and all inside it) may do.
ALLOWANCES = {
    "sparse": "the pages this element is on may be under a third full (covers, a closing page)",
    "sparse-before": "the page before this element's first page may be under a third full "
    "(an element that starts a new page on purpose)",
    "bleed": "this element may reach past its box and into the page's margins and bleed",
    "overlap": "text inside this element may lie over other text (a deliberate watermark)",
}
# Named pages (CSS ``page:``) that are sparse by design, without any attribute.
SPARSE_PAGES = frozenset({"cover", "back", "back-cover", "blank"})

MIN_FILL = 1 / 3
MIN_LAST_FILL = 0.15  # a document's last page: nearly empty below this
# A page inside a document that is more than this much empty is one a
# designer sends back (review 2: a short section before a forced break, a
# table pushed off the page of its charts), whatever the reason; the last
# page of a document (or of a letter) and the pages planned short (covers,
# notes pages, a blank back) are not judged.
MAX_EMPTY = 0.40
# The contents stand on a page of their own by convention, whatever their length.
PLANNED_PAGES = SPARSE_PAGES | {"notes", "giving", "toc"}
# Notes pages that make up a bound edition's count ([print] pad_to_multiple_of):
# a spread at most; more read as blank pages (a 5-page piece padded to 8).
MAX_NOTES = 2
# The pages that make up that count: notes pages, and the page of the ways to
# give before them (notes.html.j2).
PADDING_PAGES = frozenset({"notes", "giving"})
PT = 0.75  # points in a CSS pixel, WeasyPrint's unit of length
MM = 96 / 25.4  # CSS pixels in a millimetre
MIN_ROWS = 3  # a table's rows on either side of a page break, at least
# The space a section that shares a page leaves above it (print.css.j2's
# --section-gap, the largest of any edition): a section fits in what the
# page before left when its height and this do.
SECTION_GAP = 14 * MM
BLEED = 3 * MM  # what a print shop asks for
# A section break never leaves a page more than 40 % empty (``MAX_EMPTY``): the section
# after it then runs on (``_shares``).
HALF = 1 - MAX_EMPTY
# The share of a page a section foreseen below an estimated end must leave
# free to be foreseen whole there (``_foreseen``): the sample's run-on
# sections ended up to 8 % of a page lower laid out than as a stream.
ESTIMATE_SPARE = 0.10
_SLACK = 1.0  # pt: rounding in layout, never a visible fault
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
_HYPHENS = frozenset("-\u00ad\u2010\u2011\u2012\u2013\u2014/")
# A cell paragraph no longer than this is a label (a category, a place, a name):
# a CJK or Hangul word in it must not break. In longer text, East Asian lines
# break between any two characters by convention.
_LABEL = 16
# Dates in the forms reportgen and its languages print; a line break inside one is a fault.
_MONTHS = MONTHS
_DATES = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\d{4}\s*년\s*\d{1,2}\s*월(?:\s*\d{1,2}\s*일)?"
    r"|\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}"
    rf"|\d{{1,2}}\s+(?:{_MONTHS})\.?(?:\s+\d{{4}})?"
    rf"|(?:{_MONTHS})\.?\s+(?:\d{{4}}|\d{{1,2}}(?:,?\s+\d{{4}})?)(?!\d)"  # August 2013 whole
)


@dataclass(frozen=True)
class Finding:
    """One fault on one page of one document.

    ``page`` is 1-based and counts the PDF's pages: the number a PDF viewer
    shows, and the printed folio wherever the document numbers from its
    first page (every reportgen edition and letter does)."""

    document: str
    page: int
    kind: str
    message: str

    def describe(self) -> M.Text:
        return M.PREFLIGHT(message=self.message, kind=self.kind)


@dataclass(frozen=True)
class Part:
    """Pages ``first`` (0-based) to ``end`` (exclusive) of a laid-out
    document that become one output file (a letter of a batch)."""

    document: str
    first: int
    end: int


@dataclass(frozen=True)
class Layout:
    """What the document was asked to be, for the rules that depend on it:
    ``section_breaks``: the edition's policy ("page", "run-on"; None: not
    checked); ``bleed``: 3 mm of bleed wherever something is printed to the
    edge; ``multiple``: the page count of each part a multiple of this."""

    section_breaks: str | None = None
    bleed: bool = False
    multiple: int = 1
    pages: int | None = None  # at most this many pages (the handout's two sides)


NO_LAYOUT = Layout()  # nothing asked of the document


class Inspection:
    """The laid-out pages of one document, walked once: its findings, and the
    sections that could share the page before (``shareable``)."""

    def __init__(
        self, pages: Sequence[Any], document: str, parts: Sequence[Part] = (),
        layout: Layout = NO_LAYOUT,
    ) -> None:  # fmt: skip
        boxes = [laid_out_page_box(page) for page in pages]
        parents = _parents(boxes)
        self.scans = [_scan(box, parents) for box in boxes]
        self.parts = tuple(parts) or (Part(document, 0, len(pages)),)
        self.layout = layout

    def shareable(self, half_empty: bool = True) -> tuple[str, ...]:
        """The ids of the sections that start a page although they would fit
        in what the section before left of its last page (with ``half_empty``,
        also those after a page the break leaves more than 40 % empty)."""
        ids: list[str] = []
        for part in self.parts:
            own = self.scans[part.first : part.end]
            ids += [share.id for share in _shares(own, half_empty)]
        # A section on a page of its own kind (the imprint) last, alone:
        # once the sections before it have found their pages.
        ordinary = tuple(i for i in ids if i not in self.own_pages())
        return ordinary or tuple(ids)

    def at_top(self) -> frozenset[str]:
        """The ids of the sections that open a page (nothing above them)."""
        return frozenset(s.id for scan in self.scans for s in scan.starts if s.at_top)

    def own_pages(self) -> frozenset[str]:
        """The ids of the sections that name the page they start (``page:
        imprint``): sharing the page before takes them off it."""
        return frozenset(s.id for scan in self.scans for s in scan.starts if s.own_page)

    def runs_on_low(self) -> frozenset[str]:
        """The ids of the sections that start low on a page and run on (the
        "page" policy's fault): a layout that shares pages must not add one."""
        return frozenset(
            start.id or ""
            for part in self.parts
            for _, start in _low_run_ons(self.scans[part.first : part.end])
        )

    def short_pages(self) -> int:
        """How many pages are under a third full (``MIN_FILL``) where the
        rules want them fuller: what sharing a page must not add to."""
        count = 0
        for part in self.parts:
            own = self.scans[part.first : part.end]
            for number, scan in enumerate(own, start=1):
                last = number == len(own) or all(_closing(s) for s in own[number:])
                before_break = not last and own[number].sparse_before
                count += _sparse(scan, last, before_break) is not None
        return count

    def near_empty_pages(self) -> int:
        """How many pages the near-empty rule finds (``_near_empty``)."""
        count = 0
        for part in self.parts:
            own = self.scans[part.first : part.end]
            for number, scan in enumerate(own, start=1):
                last = number == len(own) or all(_closing(s) for s in own[number:])
                before_break = not last and own[number].sparse_before
                count += not before_break and _near_empty(scan, last) is not None
        return count

    def stackable(self, near_empty: bool = True) -> tuple[str, ...]:
        """The ids of the rows that may be set stacked (``data-stack``: the
        finance charts, the finance tables) or blocks that may be split
        (``data-split``: the balance sheet) found on the page after one the
        near-empty rule finds, and not on it: kept whole, the row went
        on, and its first item alone may fill the page it left. Without
        ``near_empty``, after any page that is not full (``MAX_FILL``): a
        row set stacked there may save a page (one more notes page would
        make it up)."""
        ids: list[str] = []
        for part in self.parts:
            own = self.scans[part.first : part.end]
            for number, (scan, after) in enumerate(itertools.pairwise(own), start=1):
                last = all(_closing(s) for s in own[number:])
                if after.sparse_before or (
                    _near_empty(scan, last) is None if near_empty else _full(scan)
                ):
                    continue
                ids += [
                    element.get("id")
                    for key, element in after.elements.items()
                    if (
                        element.get("data-stack") is not None
                        or element.get("data-split") is not None
                    )
                    and element.get("id")
                    and key not in scan.elements
                ]
        return tuple(dict.fromkeys(ids))

    def foreseen(self, shared: Sequence[str]) -> Inspection:
        """The pages as they would be with the sections ``shared`` laid out
        to share the page before (``pdf.sharing_css``), foreseen from these
        pages without laying anything out (``_foreseen``): what a round of
        sharing would find, to decide several rounds from one layout. Only
        a forecast (a section that runs on is taken as a stream of its
        height); the layout that applies it is inspected as every other."""
        seen = Inspection.__new__(Inspection)
        seen.layout = self.layout
        scans: list[_Scan] = []
        parts: list[Part] = []
        for part in self.parts:
            own = _foreseen(self.scans[part.first : part.end], frozenset(shared))
            parts.append(Part(part.document, len(scans), len(scans) + len(own)))
            scans += own
        seen.scans, seen.parts = scans, tuple(parts)
        return seen

    def findings(self) -> list[Finding]:
        findings: list[Finding] = []
        cut = list(_cut_off(self.scans))
        for part in self.parts:
            own = self.scans[part.first : part.end]
            for number, scan in enumerate(own, start=1):
                # A letter's blank back (duplex): the letter ends on the page before;
                # a book's text ends before its closing pages (notes, back cover).
                last = number == len(own) or all(_closing(s) for s in own[number:])
                before_break = not last and own[number].sparse_before
                for kind, message in _page_faults(scan, last, before_break):
                    findings.append(Finding(part.document, number, kind, message))
            for index, message in cut:  # judged over the whole batch (a letter's body goes on)
                if part.first <= index < part.end:
                    findings.append(Finding(part.document, index - part.first + 1, CUT, message))
            for number, kind, message in _document_faults(own, self.layout):
                findings.append(Finding(part.document, number, kind, message))
            findings.extend(_font_faults(own, part.document))
        return findings


def examine(
    pages: Sequence[Any], document: str, parts: Sequence[Part] = (), layout: Layout = NO_LAYOUT
) -> list[Finding]:
    """Every finding on ``pages`` (a WeasyPrint ``Document.pages``), named
    ``document`` (or by ``parts``, each judged as a document of its own)."""
    return Inspection(pages, document, parts, layout).findings()


# --- one pass over a page ---------------------------------------------------


@dataclass
class _Text:
    box: Any
    line: int
    top: float
    bottom: float
    left: float
    right: float
    text: str
    overlap_allowed: bool


@dataclass
class _Panel:
    """A block painted with a background colour (a tile, a strip, a
    heading's bar): text of another element must not run over it, nor another
    panel touch it."""

    element: Any
    top: float
    bottom: float
    left: float
    right: float
    overlap_allowed: bool


@dataclass
class _Start:
    """A top-level section (a child of ``main``) beginning on a page."""

    element: Any
    id: str
    title: str
    top: float
    bottom: float  # of its box on this page
    forced: bool  # it begins with a forced break of its own
    at_top: bool  # nothing of the flow above it on the page
    # Where its content begins: below ``top`` when the section is made taller
    # than its content (the imprint set at the foot of a page of its own).
    content_top: float = 0.0
    # The section names the page it is on (``page: imprint``): sharing the
    # page before takes it onto that page's kind.
    own_page: bool = False


@dataclass
class _Scan:
    """What the checks need of one page, gathered in one walk."""

    name: str  # the CSS named page, "" when none
    blank: bool
    top: float  # the page area's top and height
    height: float
    width: float  # the page's trimmed size; the bleed beyond it is ``bleed``
    full_height: float
    bleed: tuple[float, float, float, float]  # left, top, right, bottom
    texts: list[_Text] = field(default_factory=list)
    panels: list[_Panel] = field(default_factory=list)
    bottom: float | None = None  # the lowest edge of flowing content
    last_heading: str | None = None  # the text of the heading whose box is lowest, if it is
    last_is_heading: bool = False
    sparse: bool = False
    sparse_before: bool = False
    continues_block: bool = False  # a table, list or paragraph carried over from before
    forced_start: bool = False  # the page begins with a forced break (a new part)
    outside: dict[int, str] = field(default_factory=dict)  # one per element
    # The elements with a block broken at this page's foot (id -> element, that
    # block): each must go on, on a later page, or the rest of it is lost.
    cut: dict[int, tuple[Any, Any]] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)
    # Pagination: the elements with a box here (id -> element), the body rows
    # of each table here (id -> table, rows, its heading), the running heads
    # (string name, text shown), the strings set here (name, value, whether
    # before the page's first content), the top-level sections that begin
    # here (``_Start``), the elements with a forced break after them, and
    # what is painted to the trim edge without reaching into the bleed.
    elements: dict[int, Any] = field(default_factory=dict)
    rows: dict[int, list[Any]] = field(default_factory=dict)
    heads: list[tuple[str, str]] = field(default_factory=list)
    sets: list[tuple[str, str, bool]] = field(default_factory=list)
    content_seen: bool = False
    # The panels (a box with a background or border, its first fragment)
    # that were all the content seen, one inside the other, when nothing
    # else had been: a heading inside them still opens the page.
    opening_panels: list[Any] = field(default_factory=list)
    starts: list[_Start] = field(default_factory=list)
    forced_after: set[int] = field(default_factory=set)
    at_edge: list[M.Text] = field(default_factory=list)
    heading: str = ""  # the last heading seen in flow, by the walk
    parents: dict[int, Any] = field(default_factory=dict)  # the document's (``_parents``)


@dataclass(frozen=True)
class _Where:
    """The walk's context: what the ancestors of a box decide about it."""

    in_flow: bool = True  # not in a margin box (running heads) or the footnote area
    heading: str | None = None
    allow: frozenset[str] = frozenset()
    limit: tuple[float, float] | None = None  # the containing block's padding box, x
    line: int = 0  # the LineBox a text box is on: boxes of one line never collide
    confined: bool = False  # in a float or a box of fixed height: cut, not continued


def _parents(pages: Sequence[Any]) -> dict[int, Any]:
    """Each element of the document (by id) to its parent: ElementTree's
    elements do not know theirs."""
    for page in pages:
        for child in page.children:
            if child.element is not None:
                root = child.element
                return {id(c): p for p in root.iter() for c in p}
    return {}


def _parent(element: Any, parents: dict[int, Any]) -> Any:
    return parents.get(id(element))


def _previous(element: Any, parents: dict[int, Any]) -> Any:
    """The element before ``element`` among its parent's children, if any."""
    parent = parents.get(id(element))
    if parent is None:
        return None
    children = list(parent)
    at = next(i for i, c in enumerate(children) if c is element)
    return children[at - 1] if at else None


def _scan(page: Any, parents: dict[int, Any] | None = None) -> _Scan:
    boxes = box_classes()
    bleed = page.bleed
    scan = _Scan(
        parents=parents or {},
        name=str(getattr(page.page_type, "name", "") or ""),
        blank=bool(getattr(page.page_type, "blank", False)),
        top=page.content_box_y(),
        height=page.height,
        width=page.margin_width(),
        full_height=page.margin_height(),
        bleed=(bleed["left"], bleed["top"], bleed["right"], bleed["bottom"]),
    )
    lowest: tuple[float, str | None] | None = None
    for box, where, limit in _walk(page, _Where(), boxes):
        if "sparse" in where.allow and where.in_flow:
            scan.sparse = True
        if _starts_sparse_before(box):
            scan.sparse_before = True
        _outside(box, where, limit, scan, boxes)
        if isinstance(box, boxes.TextBox):
            _collect_text(box, where, scan)
        if isinstance(box, boxes.TableCellBox):
            scan.broken.extend(_broken_in_cell(box, boxes))
        if isinstance(box, boxes.MarginBox):
            _running_head(box, boxes, scan)
        if not where.in_flow:
            continue
        _paginated(box, boxes, scan)
        if where.confined and _broken_at_foot(box, boxes):
            scan.cut.setdefault(id(box.element), (box.element, box))
        _collect_panel(box, where, scan, boxes)
        edge = _content_bottom(box, boxes)
        if edge is not None:
            _content_met(box, boxes, scan)
        if edge is not None and (lowest is None or edge >= lowest[0] - _SLACK):
            lowest = (max(edge, lowest[0]) if lowest else edge, where.heading)
        if _continued(box, boxes):
            scan.continues_block = True
        elif _forced_start(box):
            scan.forced_start = True
    if lowest is not None:
        scan.bottom, scan.last_heading = lowest[0], lowest[1]
        scan.last_is_heading = lowest[1] is not None
    return scan


def _text_of(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _first_fragment(box: Any) -> bool:
    return "top" not in getattr(box, "remove_decoration_sides", ())


def _running_head(box: Any, boxes: Any, scan: _Scan) -> None:
    """A margin box that shows one named string (``string(section, start)``),
    with the text it shows on this page."""
    content = box.style["content"]
    if not isinstance(content, (list, tuple)) or len(content) != 1:
        return
    kind, value = content[0]
    if kind != "string()":
        return
    shown = " ".join(
        "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox)).split()
    )
    scan.heads.append((str(value[0]), shown))


def _string_of(element: Any, values: Any) -> str:
    """The text a ``string-set`` gives its string: the element's attributes
    it names (``attr(data-org)``: the notes pages set the running head so),
    else the element's text (``content(text)``)."""
    if values and all(kind == "attr()" for kind, _ in values):
        return " ".join("".join(str(element.get(value[0], "")) for _, value in values).split())
    return _text_of(element)


def _paginated(box: Any, boxes: Any, scan: _Scan) -> None:
    """What the pagination rules need of one box in the flow."""
    element = box.element
    if element is None:
        return
    scan.elements.setdefault(id(element), element)
    style = box.style
    if box.element_tag in _HEADINGS and _first_fragment(box):
        scan.heading = _text_of(element)
    if style["string_set"] != "none" and _first_fragment(box) and "::" not in box.element_tag:
        before = _opens_page(element, scan)
        for name, values in style["string_set"]:
            scan.sets.append((str(name), _string_of(element, values), before))
    if style["break_after"] in _FORCED:
        scan.forced_after.add(id(element))
    if isinstance(box, boxes.TableBox):
        scan.rows.setdefault(id(element), [element, 0, scan.heading])
    elif isinstance(box, boxes.TableRowBox) and isinstance(box, boxes.Box):
        table = _parent(element, scan.parents)
        while table is not None and table.tag != "table":
            table = _parent(table, scan.parents)
        group = _parent(element, scan.parents)
        if table is not None and group is not None and group.tag not in ("thead", "tfoot"):
            scan.rows.setdefault(id(table), [table, 0, scan.heading])[1] += 1
    parent = _parent(element, scan.parents)
    if (isinstance(box, boxes.BlockLevelBox) and box.element_tag == "section" and parent is not None
            and parent.tag == "main" and _first_fragment(box)):  # fmt: skip
        top = box.border_box_y()
        inner = [child.border_box_y() for child in box.children if child.element is not None]
        scan.starts.append(_Start(
            element, element.get("id") or "", _heading_of(element), top,
            top + box.border_height(), _forced_start(box), not scan.content_seen,
            min(inner, default=top), bool(scan.name) and str(style["page"]) == scan.name,
        ))  # fmt: skip
    if _painted(box, boxes):
        _trim_edge(box, scan)


def _content_met(box: Any, boxes: Any, scan: _Scan) -> None:
    """Content found on the page: a panel that begins here, inside every
    panel seen so far and with nothing else above it, is kept as opening
    the page (``_opens_page``); anything else ends the page's opening."""
    element = box.element
    panel = not isinstance(box, (boxes.LineBox, boxes.ReplacedBox)) and _first_fragment(box)
    if (panel and element is not None
            and (not scan.content_seen or scan.opening_panels)
            and all(_inside(element, p, scan.parents) for p in scan.opening_panels)):  # fmt: skip
        scan.opening_panels.append(element)
    else:
        scan.opening_panels.clear()
    scan.content_seen = True


def _opens_page(element: Any, scan: _Scan) -> bool:
    """Whether ``element`` comes before the page's first content, or is
    the first thing inside the panels that open the page (a box with a
    background whose heading names the page: the donor edition's gift
    panel, review r35 ja F-5)."""
    if not scan.content_seen:
        return True
    return bool(scan.opening_panels) and all(
        _inside(element, p, scan.parents) for p in scan.opening_panels
    )


def _inside(element: Any, outer: Any, parents: dict[int, Any]) -> bool:
    """Whether ``element`` is ``outer`` or one of its descendants."""
    while element is not None:
        if element is outer:
            return True
        element = _parent(element, parents)
    return False


def _heading_of(section: Any) -> str:
    for child in section.iter():
        if isinstance(child.tag, str) and child.tag in _HEADINGS:
            return _text_of(child)
    return ""


def _painted(box: Any, boxes: Any) -> bool:
    """A picture, or a block with a background (colour or picture)."""
    if isinstance(box, boxes.ReplacedBox):
        return True
    if isinstance(box, (boxes.TextBox, boxes.InlineBox, boxes.LineBox)):
        return False
    if box.element_tag in ("html", "body"):
        return False
    style = box.style
    return bool(style["background_color"].alpha > 0 or any(
        kind != "none" for kind, _ in style["background_image"]
    ))  # fmt: skip


_SIDES = {"left": M.PF_SIDE_LEFT(), "top": M.PF_SIDE_TOP(), "right": M.PF_SIDE_RIGHT(),
          "bottom": M.PF_SIDE_BOTTOM()}  # fmt: skip


def _trim_edge(box: Any, scan: _Scan) -> None:
    """A painted box that reaches a trim edge of the page and stops there:
    printed so, a white hairline shows wherever the guillotine strays."""
    left, top = box.border_box_x(), box.border_box_y()
    right, bottom = left + box.border_width(), top + box.border_height()
    if right - left <= 0 or bottom - top <= 0:
        return
    reach = BLEED - _SLACK  # what a print shop asks, whatever the page was given
    edges = (
        ("left", abs(left) <= _SLACK, left <= -reach),
        ("top", abs(top) <= _SLACK, top <= -reach),
        ("right", abs(right - scan.width) <= _SLACK, right >= scan.width + reach),
        ("bottom", abs(bottom - scan.full_height) <= _SLACK, bottom >= scan.full_height + reach),
    )
    short = [_SIDES[side] for side, touches, bleeds in edges if touches and not bleeds]
    if short:
        name = box.element.get("class") or box.element_tag
        sides = functools.reduce(lambda a, b: M.PF_BOTH(first=a, second=b), short)
        scan.at_edge.append(M.PF_EDGE_STOPS(name=_short(name), sides=sides))


def _walk(
    box: Any, where: _Where, boxes: Any
) -> Iterator[tuple[Any, _Where, tuple[float, float] | None]]:
    """Every box below ``box`` with its context, in tree order, and the
    horizontal extent of the block that contains it."""
    for child in box.children:
        if not isinstance(child, boxes.Box):  # an absolutely positioned box's placeholder
            child = placed_box(child)
            if not isinstance(child, boxes.Box):
                continue
        inner = _enter(child, where, boxes)
        yield child, inner, where.limit
        if not isinstance(child, boxes.TextBox):
            yield from _walk(child, inner, boxes)


def _enter(box: Any, where: _Where, boxes: Any) -> _Where:
    in_flow, heading, allow, limit, line, confined = (
        where.in_flow, where.heading, where.allow, where.limit, where.line, where.confined,
    )  # fmt: skip
    element = box.element
    if element is not None and box.element_tag in _HEADINGS and heading is None:
        heading = " ".join("".join(element.itertext()).split())
    if element is not None and (tokens := element.get("data-preflight")):
        allow = allow | frozenset(tokens.split())
    if isinstance(box, (boxes.MarginBox, boxes.FootnoteAreaBox)):
        in_flow = False
    if isinstance(box, boxes.LineBox):
        line = id(box)
    elif isinstance(box, boxes.BlockContainerBox):
        limit = (box.padding_box_x(), box.padding_box_x() + box.padding_width())
    if not confined and not isinstance(box, (boxes.LineBox, boxes.TextBox, boxes.InlineBox)):
        confined = box.style["float"] != "none" or box.style["height"] != "auto"
    return _Where(in_flow, heading, allow, limit, line, confined)


def _content_bottom(box: Any, boxes: Any) -> float | None:
    """Where ``box`` ends, if it is content that fills a page: a line with
    text, a picture, or a panel with a background (colour or picture) or
    border (not the page's own html and body)."""
    if isinstance(box, boxes.LineBox):
        if any(isinstance(t, boxes.TextBox) and t.text.strip() for t in box.descendants()):
            return float(box.position_y + box.height)
        return None
    if isinstance(box, boxes.ReplacedBox):
        return float(box.border_box_y() + box.border_height())
    if box.element_tag in ("html", "body") or isinstance(box, (boxes.TextBox, boxes.InlineBox)):
        return None
    style = box.style
    # A background picture is content too: a decorative picture is drawn as one.
    painted = style["background_color"].alpha > 0 or any(
        kind != "none" for kind, _ in style["background_image"]
    )
    bordered = any(style[f"border_{side}_width"] for side in ("top", "bottom"))
    if (painted or bordered) and box.border_height() > 0 and box.border_width() > 0:
        return float(box.border_box_y() + box.border_height())
    return None


def _starts_sparse_before(box: Any) -> bool:
    """The first fragment of an element marked ``sparse-before``."""
    element = box.element
    if element is None or "sparse-before" not in (element.get("data-preflight") or "").split():
        return False
    return "top" not in getattr(box, "remove_decoration_sides", ())


_FORCED = frozenset({"page", "left", "right", "recto", "verso"})


def _forced_start(box: Any) -> bool:
    """The first fragment of an element with a forced break before it: such an
    element always stands at the top of its page, the start of a new part."""
    return (
        box.element is not None
        and box.style["break_before"] in _FORCED
        and "top" not in getattr(box, "remove_decoration_sides", ())
    )


def _continued(box: Any, boxes: Any) -> bool:
    """A table, list, paragraph, quote or figure that began on an earlier page."""
    if box.element_tag not in ("table", "ul", "ol", "dl", "p", "blockquote", "pre", "figure"):
        return False
    return "top" in getattr(box, "remove_decoration_sides", ())


def _collect_panel(box: Any, where: _Where, scan: _Scan, boxes: Any) -> None:
    if not isinstance(box, boxes.BlockBox) or box.element is None:
        return
    style = box.style
    ruled = style["border_left_width"] > 0 and style["border_left_color"].alpha > 0
    if box.element_tag in ("html", "body") or (style["background_color"].alpha == 0 and not ruled):
        return
    if box.border_height() <= 0 or box.border_width() <= 0:
        return
    top, left = box.border_box_y(), box.border_box_x()
    scan.panels.append(_Panel(
        box.element, top, top + box.border_height(), left, left + box.border_width(),
        "overlap" in where.allow,
    ))  # fmt: skip


def _collect_text(box: Any, where: _Where, scan: _Scan) -> None:
    text = box.text.strip()
    style = box.style
    if not text or style["visibility"] != "visible" or style["font_size"] <= 0:
        return
    if style["color"].alpha == 0 or not box.width:
        return
    # The band the glyphs occupy (cap height to descender), not the line's
    # whole height: tight line spacing makes line boxes touch, never glyphs.
    size = style["font_size"]
    baseline = box.position_y + (box.baseline or 0)
    scan.texts.append(_Text(
        box, where.line, baseline - 0.7 * size,
        baseline + 0.2 * size, box.position_x, box.position_x + box.width, text,
        "overlap" in where.allow,
    ))  # fmt: skip


def _outside(
    box: Any, where: _Where, limit: tuple[float, float] | None, scan: _Scan, boxes: Any
) -> None:
    """Text, pictures and tables reaching past their containing block, and
    anything reaching past the page (bleed included)."""
    if "bleed" in where.allow:
        return
    leaf = isinstance(box, (boxes.TextBox, boxes.ReplacedBox)) or (
        isinstance(box, boxes.BlockBox) and box.is_table_wrapper
    )
    if not leaf:
        return
    if isinstance(box, boxes.TextBox):
        if not box.text.strip() or not box.width:
            return
        left, right = box.position_x, box.position_x + box.width
        top, bottom = box.position_y, box.position_y + box.height
    else:
        left, top = box.border_box_x(), box.border_box_y()
        right, bottom = left + box.border_width(), top + box.border_height()
    if right - left <= 0:
        return
    key = id(box.element) if box.element is not None else id(box)
    if key in scan.outside:
        return
    # The box is named only once it is at fault: naming joins its paragraph's
    # text, which done for every box of a long paragraph costs its length
    # squared.
    b_left, b_top, b_right, b_bottom = scan.bleed
    if (left < -b_left - _SLACK or right > scan.width + b_right + _SLACK
            or top < -b_top - _SLACK or bottom > scan.full_height + b_bottom + _SLACK):  # fmt: skip
        scan.outside[key] = M.PF_OUTSIDE_PAGE(name=_name_of(box, boxes))
        return
    # In the flow, text ends in the page's area: below it is the margin (and
    # a running foot), where a box that could not break pushes its lines.
    area_bottom = scan.top + scan.height
    if isinstance(box, boxes.TextBox) and where.in_flow and bottom > area_bottom + _SLACK:
        over = (bottom - area_bottom) * PT
        scan.outside[key] = M.PF_BELOW_AREA(name=_name_of(box, boxes), over=over)
        return
    if limit is not None and where.in_flow:
        start, end = limit
        over = max(start - left, right - end)
        if over > _SLACK and not _hangs(box, over, end - start, boxes):
            scan.outside[key] = M.PF_WIDER_THAN_BOX(name=_name_of(box, boxes), over=over * PT)


def _broken_at_foot(box: Any, boxes: Any) -> bool:
    """A block broken at the page's foot: the rest of it is to follow on a
    later page (WeasyPrint takes the bottom border, padding and margin off
    a part that goes on). Judged in a float or a box of fixed height
    (``_Where.confined``), which lose what does not fit; not what flows
    normally (a section, the columns of a roster, a document whose later
    pages are left out on purpose: the notes pages')."""
    if box.element is None or isinstance(box, (boxes.LineBox, boxes.TextBox, boxes.InlineBox)):
        return False
    return "bottom" in box.remove_decoration_sides


def _cut_off(scans: Sequence[_Scan]) -> Iterator[tuple[int, M.Text]]:
    """Elements broken at the foot of a page that no later page goes on
    with: WeasyPrint cuts a float (or a box that cannot be split) at the
    foot of a page and, when the flow ends there, drops the rest of it
    without a word (a Gift Aid statement lost its last lines so). Only the
    outermost element cut so is named, with the page's 0-based index."""
    for index, scan in enumerate(scans):
        lost = {
            key: found for key, found in scan.cut.items()
            if not any(key in later.elements for later in scans[index + 1 :])
        }  # fmt: skip
        for element, box in lost.values():
            parent = _parent(element, scan.parents)
            if any(_inside(parent, outer, scan.parents) for outer, _ in lost.values()):
                continue  # inside another element cut so: that one is named
            boxes = box_classes()
            texts = [t.text for t in box.descendants() if isinstance(t, boxes.TextBox)]
            whole = _text_of(element)
            if whole and _bare(whole)[-_TAIL:] in _bare("".join(texts)):
                continue  # its text ends on this page: only its bottom edge went
            last = " ".join(" ".join(texts).split()[-6:])
            name = M.PF_NAME_TEXT(text=_short(whole)) if whole else M.PF_A_PICTURE()
            yield index, M.PF_CUT_OFF(name=name, last=last)


_TAIL = 12  # characters of an element's text that show it was printed to its end
# What layout adds to or drops from a text: spaces, line-end hyphens, joiners.
_UNSEEN = re.compile("[\\s\u00ad\u200b\u2060\\-\u2010]+")


def _bare(text: str) -> str:
    """Text as compared for being printed: without what layout adds or takes
    away (spaces, hyphens at line ends, joiners), and in one case
    (``text-transform``)."""
    return _UNSEEN.sub("", text).casefold()


def _hangs(box: Any, over: float, room: float, boxes: Any) -> bool:
    """Punctuation set in the margin on purpose (a hanging quotation mark),
    or anything in a box made zero wide for that purpose."""
    if room <= 0:
        return True
    if not isinstance(box, boxes.TextBox):
        return False
    marks = box.text.strip()
    return all(unicodedata.category(c).startswith("P") for c in marks) and over <= box.width + 1


def _name_of(box: Any, boxes: Any) -> M.Text:
    if isinstance(box, boxes.TextBox):
        # The whole paragraph names it best, unless the text is generated (::before).
        whole = " ".join("".join(box.element.itertext()).split()) if box.element is not None else ""
        return M.PF_NAME_TEXT(text=_short(whole if box.text.strip() in whole else box.text))
    if isinstance(box, boxes.ReplacedBox):
        alt = box.element.get("alt") if box.element is not None else None
        return M.PF_NAME_PICTURE(text=_short(alt)) if alt else M.PF_A_PICTURE()
    cells = [t.text for t in box.descendants() if isinstance(t, boxes.TextBox)]
    return M.PF_NAME_TABLE(text=_short(" ".join(cells))) if cells else M.PF_A_TABLE()


def _short(text: str, size: int = 40) -> str:
    """``text`` on one line, without invisible characters, at most ``size`` long."""
    text = " ".join("".join(c for c in text if unicodedata.category(c) != "Cf").split())
    return text if len(text) <= size else text[: size - 1] + "…"


# --- words and dates in table cells --------------------------------------------


def _broken_in_cell(cell: Any, boxes: Any) -> list[str]:
    """The words and dates a cell's lines break inside.

    Each pair of successive lines of one paragraph is located in the
    paragraph's own text: a break where the source has no space, after no
    hyphen, between two letters or digits of one word (Latin, Hangul or
    katakana or kanji; the last three only in a label of at most ``_LABEL``
    characters, since East Asian prose breaks between any two characters),
    or any break inside a date, is a fault. Breaks beside hiragana
    (particles, endings) and between kanji and kana are where Japanese may
    break, even in a label."""
    faults: list[str] = []
    for block in _line_parents(cell, boxes):
        lines = [
            "".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox))
            for line in block.children
            if isinstance(line, boxes.LineBox)
        ]
        if len(lines) < 2 or block.element is None:
            continue
        source = " ".join("".join(block.element.itertext()).split())
        dates = [(m.start(), m.end()) for m in _DATES.finditer(source)]  # once per paragraph
        for position in _break_positions(source, lines):
            if (fault := _fault_at(source, position, dates)) is not None:
                faults.append(fault)
    return faults


def _line_parents(cell: Any, boxes: Any) -> Iterator[Any]:
    """The blocks of ``cell`` (itself included) whose children are lines."""
    if any(isinstance(c, boxes.LineBox) for c in cell.children):
        yield cell
    for child in cell.children:
        if isinstance(child, boxes.BlockContainerBox) and not isinstance(child, boxes.LineBox):
            yield from _line_parents(child, boxes)


def _break_positions(source: str, lines: list[str]) -> Iterator[int]:
    """Where in ``source`` each line but the last ends; a line that ends in a
    hyphen (added by hyphenation or written) or cannot be found is skipped."""
    folded = source.casefold()
    cursor = 0
    for line in lines[:-1]:
        text = line.strip()
        if not text:
            continue
        if text[-1] in _HYPHENS:
            found = folded.find(text[:-1].casefold(), cursor)
            cursor = found + len(text) - 1 if found >= 0 else cursor
            continue
        found = folded.find(text.casefold(), cursor)
        if found < 0:
            return
        cursor = found + len(text)
        yield cursor


def _fault_at(source: str, position: int, dates: Sequence[tuple[int, int]]) -> M.Text | None:
    """The fault of a line break at ``position`` of ``source``, if any;
    ``dates``: the (start, end) of each date in ``source``, in order."""
    if not 0 < position < len(source):
        return None
    index = bisect.bisect_left(dates, (position, position)) - 1
    if index >= 0 and dates[index][0] < position < dates[index][1]:
        start, end = dates[index]
        return M.PF_DATE_BROKEN(date=source[start:end], before=source[start:position])
    before, after = source[position - 1], source[position]
    if before.isspace() or after.isspace():
        return None
    kinds = (_script(before), _script(after))
    if kinds[0] != kinds[1] or kinds[0] is None:
        return None
    start, end = position, position
    while start > 0 and _script(source[start - 1]) == kinds[0]:
        start -= 1
    while end < len(source) and _script(source[end]) == kinds[0]:
        end += 1
    word = source[start:end]
    if kinds[0] == "hiragana" or (kinds[0] != "latin" and len(source) > _LABEL):
        return None
    return M.PF_WORD_BROKEN(word=_short(word), before=source[start:position])


def _script(char: str) -> str | None:
    """The kind of word ``char`` belongs to; ``None`` for punctuation and space."""
    if not (char.isalnum() or char in "ー々"):
        return None
    name = unicodedata.name(char, "")
    if name.startswith("HANGUL"):
        return "hangul"
    if name.startswith("KATAKANA") or char == "ー":
        return "katakana"
    if name.startswith("HIRAGANA"):
        return "hiragana"
    if name.startswith("CJK") or char == "々":
        return "han"
    return "latin"


# --- judging a page -------------------------------------------------------------


SPILL = M.PF_SPILL()


def ends_short(findings: Sequence[Finding], pages: int) -> bool:
    """Whether the last page is one the preflight calls sparse (the end of what
    the page before began, or nearly empty): a document that a slightly
    tighter setting may fit on one page less."""
    return any(f.kind == SPARSE and f.page == pages for f in findings)


def _page_faults(scan: _Scan, last: bool, before_break: bool) -> Iterator[tuple[str, str]]:
    for message in dict.fromkeys(scan.outside.values()):
        yield OUTSIDE, message
    for message in dict.fromkeys(scan.broken):
        yield BROKEN, message
    for message in _overlaps(scan.texts):
        yield OVERLAP, message
    for message in _collisions(scan.panels, scan.texts, scan.parents):
        yield OVERLAP, message
    if (sparse := _sparse(scan, last, before_break)) is not None:
        yield SPARSE, sparse
    elif not before_break and (empty := _near_empty(scan, last)) is not None:
        yield NEAR_EMPTY, empty
    sparse_ok = scan.sparse or scan.blank or scan.name in SPARSE_PAGES
    if not last and not sparse_ok and scan.last_is_heading:
        yield LONE_HEADING, M.PF_HEADING_ENDS_PAGE(heading=_short(scan.last_heading or ""))


def _sparse(scan: _Scan, last: bool, before_break: bool) -> M.Text | None:
    """Why the page is too empty, if it is."""
    sparse_ok = scan.sparse or scan.blank or scan.name in SPARSE_PAGES
    if sparse_ok or before_break or scan.height <= 0:
        return None
    fill = 0.0 if scan.bottom is None else (scan.bottom - scan.top) / scan.height
    spill = last and scan.continues_block
    # A last page may end a document short, but not nearly empty unless
    # it is a part of its own (a closing page after a forced break).
    nearly_empty = fill < MIN_LAST_FILL and not scan.forced_start
    if fill < MIN_FILL and (not last or spill or nearly_empty):
        why = SPILL if spill else ""
        return M.PF_PAGE_FULL(percent=f"{max(fill, 0.0) * 100:.0f}", why=why)
    return None


def _blank(scan: _Scan) -> bool:
    """A page left blank: by the layout (a left or right break), or the named
    page ``blank`` (a letter's back, ``letters.BLANK_PAGE``)."""
    return scan.blank or scan.name == "blank"


# Pages after the text that hold none of it: planned to close a document
# (notes pages that make up a bound count, the back cover). The page before
# them is the text's last, judged as a last page: it may end short (a
# roster set compact, a count padded with notes), but not nearly empty nor
# holding only the end of what the page before began.
CLOSING_PAGES = frozenset({"notes", "giving", "back", "back-cover"})


def _closing(scan: _Scan) -> bool:
    """A page after the text: blank (``_blank``) or planned to close it."""
    return _blank(scan) or scan.name in CLOSING_PAGES


def _near_empty(scan: _Scan, last: bool) -> M.Text | None:
    """Why a page that is not the document's last nor planned short is more
    than ``MAX_EMPTY`` empty, if it is (a page under a third full is
    ``_sparse``'s)."""
    if last or scan.sparse or scan.blank or scan.name in PLANNED_PAGES or scan.height <= 0:
        return None
    fill = 0.0 if scan.bottom is None else (scan.bottom - scan.top) / scan.height
    if fill < 1 - MAX_EMPTY:
        return M.PF_NEAR_EMPTY_TEXT(percent=f"{(1 - max(fill, 0.0)) * 100:.0f}")
    return None


# A page filled to this fraction has no room for the first item of a row.
MAX_FILL = 0.9


def _full(scan: _Scan) -> bool:
    """Whether a page's content reaches ``MAX_FILL`` of its height."""
    fill = 0.0 if scan.bottom is None else (scan.bottom - scan.top) / scan.height
    return scan.height <= 0 or fill >= MAX_FILL


def _shares(scans: Sequence[_Scan], half_empty: bool = True) -> Iterator[_Start]:
    """The sections that start a page by a break of their own (the page
    before of the same kind) where they should share the page before: a
    section that, whole on its page, would fit in what the page before
    leaves below its content (then those after it, while the space lasts,
    each alone on its page); or any section after a page the break would
    leave more than 40 % empty (``HALF``): it runs on from there. Only the
    first kind with ``half_empty`` false: what always fits, the second kind
    being tried (``pdf.render_pdf``) and kept only where it spills nothing."""
    index = 1
    while index < len(scans):
        before = scans[index - 1]
        free = before.top + before.height - (before.bottom or before.top)
        fill = 1 - free / before.height if before.height > 0 else 1.0
        first = True
        while index < len(scans) and (start := _sharer(scans, index)) is not None:
            whole = not any(id(start.element) in later.elements for later in scans[index + 1 :])
            # The height its content needs (a section set at the foot of a
            # page of its own takes only that when it shares one).
            need = start.bottom - max(start.top, start.content_top) + SECTION_GAP
            if not (whole and need <= free) and not (half_empty and first and fill < HALF):
                break
            yield start
            first = False
            free -= need
            index += 1
            if not whole or (scans[index - 1].bottom or 0) > start.bottom + _SLACK:
                break  # more than the section on its page: the chain ends
        # The next candidate is judged against a page that stays as it is.
        index += 1


def _blocks(scans: Sequence[_Scan]) -> list[list[_Scan]]:
    """The pages in runs that each begin at a page break: a section that
    opens its page by a break of its own, or a page of another kind."""
    blocks: list[list[_Scan]] = []
    for number, scan in enumerate(scans):
        opens = bool(scan.starts) and scan.starts[0].forced and scan.starts[0].at_top
        if not blocks or opens or scan.name != scans[number - 1].name:
            blocks.append([])
        blocks[-1].append(scan)
    return blocks


def _foreseen(scans: Sequence[_Scan], shared: frozenset[str]) -> list[_Scan]:
    """``scans`` with each run of pages (``_blocks``) that a section of
    ``shared`` opens set after the content of the page before, as sharing
    lays it out: whole there if it fits, else running on over pages as full
    as it needs (its content taken as one stream, the height of what each of
    its pages held); the other runs as they are."""
    pages: list[_Scan] = []
    estimated: set[int] = set()  # the pages whose end a stream gave (by ``id``)
    for block in _blocks(scans):
        opening = block[0].starts[0] if block[0].starts else None
        before = pages[-1] if pages else None
        if (opening is None or opening.id not in shared or before is None
                or before.bottom is None or before.height <= 0):  # fmt: skip
            pages += block
            continue
        top = max(opening.top, opening.content_top)
        heights = [(block[0].bottom or top) - top]
        heights += [(s.bottom or s.top) - s.top for s in block[1:]]
        stream = sum(heights)
        start = before.bottom + SECTION_GAP
        end = before.top + before.height
        elements = {k: v for s in block for k, v in s.elements.items()}
        moved = replace(opening, top=start, content_top=start, forced=False, at_top=False)
        # Below a page whose end is estimated, a section fits only with room
        # to spare: laid out, a section that runs on ends lower than its
        # stream (what its breaks leave at the foot of each page).
        spare = ESTIMATE_SPARE * before.height if id(before) in estimated else 0.0
        if len(block) == 1 and start + stream + spare <= end:
            moved.bottom = start + stream
            pages[-1] = replace(
                before, bottom=moved.bottom, starts=[*before.starts, moved],
                elements={**before.elements, **elements}, sparse=before.sparse or block[0].sparse,
            )  # fmt: skip
            if spare:
                estimated.add(id(pages[-1]))
            continue
        if len(block) == 1 and start - SECTION_GAP - before.top >= HALF * before.height:
            # A short section that does not fit below a page more than
            # ``HALF`` full goes on whole (its heading kept with what
            # follows, its rows together): it opens the next page as before.
            starts = [replace(opening, forced=False), *block[0].starts[1:]]
            pages.append(replace(block[0], starts=starts))
            continue
        moved.bottom = end
        pages[-1] = replace(before, bottom=end, starts=[*before.starts, moved],
                            elements={**before.elements, **elements})  # fmt: skip
        left = stream - max(end - start, 0.0)
        model = block[-1]
        while left > 0:
            room = model.height
            pages.append(replace(model, bottom=model.top + min(left, room), starts=[],
                                 elements=dict(elements), forced_start=False,
                                 continues_block=True))  # fmt: skip
            estimated.add(id(pages[-1]))
            left -= room
    return pages


def _sharer(scans: Sequence[_Scan], index: int) -> _Start | None:
    """The top-level section that opens page ``index`` by a break of its
    own, after a page of the same kind that may hold more, if any."""
    scan, before = scans[index], scans[index - 1]
    if scan.blank or not scan.starts:
        return None
    if before.sparse or before.blank or before.bottom is None:
        return None
    start = scan.starts[0]
    if not (start.forced and start.at_top and start.id):
        return None
    # A page of another kind only when the section asks for it itself (the
    # imprint's page): sharing the page before, it leaves its own.
    if scan.name != before.name and not start.own_page:
        return None
    previous = _previous(start.element, scan.parents)
    if previous is not None and any(id(previous) in s.forced_after for s in scans[:index]):
        return None  # the break is the one before's (the contents end a page)
    return start


def _document_faults(scans: Sequence[_Scan], layout: Layout) -> Iterator[tuple[int, str, str]]:
    """The rules that look at more than one page: table remnants, a figure
    apart from its caption or heading, running heads, pages left short,
    the edition's section breaks, and what print production asked for."""
    yield from _remnants(scans)
    yield from _figures_apart(scans)
    yield from _running_heads(scans)
    for share in _shares(scans, half_empty=False):
        number = next(n for n, s in enumerate(scans, start=1) if share in s.starts) - 1
        if scans[number].sparse:
            continue  # on a page planned short (the imprint's): where it may stand
        height = (share.bottom - share.top) / MM
        yield (
            number,
            SHORT_PAGE,
            M.PF_WOULD_SHARE(title=_short(share.title), height=height),
        )
    if layout.section_breaks is not None:
        yield from _section_breaks(scans, layout.section_breaks)
    if layout.bleed:
        for number, scan in enumerate(scans, start=1):
            if scan.at_edge and min(scan.bleed) < BLEED - _SLACK:
                yield (
                    number,
                    NO_BLEED,
                    M.PF_EDGE_NO_BLEED(name=scan.at_edge[0].values["name"]),
                )
            else:
                for message in dict.fromkeys(scan.at_edge):
                    yield number, NO_BLEED, M.PF_SHORT_OF_BLEED(edge=message)
    if layout.pages is not None and len(scans) > layout.pages:
        yield (
            len(scans),
            OVER_PAGES,
            M.PF_OVER_PAGES_TEXT(pages=len(scans), allowed=layout.pages),
        )
    if layout.multiple > 1 and scans and len(scans) % layout.multiple:
        count = M.PF_NOT_A_MULTIPLE(pages=len(scans), multiple=layout.multiple)
        yield len(scans), PAGE_COUNT, count
    # The page of the ways to give is padding too (pdf.padded, review r36):
    # the count the layout rounds make up (pdf._notes_for).
    notes = [n for n, scan in enumerate(scans, start=1) if scan.name in PADDING_PAGES]
    if layout.multiple > 1 and len(notes) > MAX_NOTES:
        # The multiple below what the content makes (a 5-page piece: 4).
        target = max((len(scans) - len(notes)) // layout.multiple, 1) * layout.multiple
        yield (
            notes[0],
            PAGE_COUNT,
            M.PF_NOTES_PAGES(notes=len(notes), pages=len(scans), most=MAX_NOTES, target=target),
        )


def _pages_of(scans: Sequence[_Scan], element: Any) -> list[int]:
    return [n for n, s in enumerate(scans, start=1) if id(element) in s.elements]


def _remnants(scans: Sequence[_Scan]) -> Iterator[tuple[int, str, str]]:
    """A table broken across pages with fewer than ``MIN_ROWS`` of its body
    rows on one side of a break."""
    tables: dict[int, list[tuple[int, int, str]]] = {}
    for number, scan in enumerate(scans, start=1):
        for key, (_, rows, heading) in scan.rows.items():
            if rows:
                tables.setdefault(key, []).append((number, rows, heading))
    for pieces in tables.values():
        if len(pieces) < 2:
            continue
        total = sum(rows for _, rows, _ in pieces)
        name = M.PF_TABLE_UNDER(heading=_short(pieces[0][2])) if pieces[0][2] else M.PF_A_TABLE()
        for number, rows, _ in pieces:
            if rows < MIN_ROWS:
                yield (
                    number,
                    TABLE_REMNANT,
                    M.PF_REMNANT(rows=rows, total=total, name=name, least=MIN_ROWS),
                )


def _figures_apart(scans: Sequence[_Scan]) -> Iterator[tuple[int, str, str]]:
    """A figure split from its caption, or on another page than the heading
    (and opening words) right before it."""
    seen: set[int] = set()
    for scan in scans:
        for key, element in scan.elements.items():
            if element.tag != "figure" or key in seen:
                continue
            seen.add(key)
            parts = [e for e in element.iter() if isinstance(e.tag, str)]
            pages = sorted({n for e in parts for n in _pages_of(scans, e)})
            caption = next((e for e in parts if e.tag == "figcaption"), None)
            title = _text_of(caption) if caption is not None else ""
            if len(pages) > 1:
                yield (
                    pages[0],
                    FIGURE_APART,
                    M.PF_FIGURE_SPLIT(title=_short(title), first=pages[0], last=pages[-1]),
                )
                continue
            lead = _lead(element, scan.parents)
            if lead is None or not pages:
                continue
            lead_pages = _pages_of(scans, lead)
            if lead_pages and lead_pages[-1] != pages[0]:
                yield (
                    pages[0],
                    FIGURE_APART,
                    M.PF_FIGURE_FROM_HEADING(
                        title=_short(title),
                        page=pages[0],
                        heading=_short(_text_of(lead)),
                        heading_page=lead_pages[-1],
                    ),
                )


def _lead(figure: Any, parents: dict[int, Any]) -> Any:
    """The heading or opening words right before ``figure`` (or the row of
    figures it opens), if any: what must stay on its page."""
    anchor = figure
    parent = _parent(anchor, parents)
    while parent is not None and _previous(anchor, parents) is None and parent.tag == "div":
        anchor, parent = parent, _parent(parent, parents)
    previous = _previous(anchor, parents)
    if previous is None or not isinstance(previous.tag, str):
        return None
    if previous.tag in _HEADINGS or "intro" in (previous.get("class") or "").split():
        return previous
    return None


def _running_heads(scans: Sequence[_Scan]) -> Iterator[tuple[int, str, str]]:
    """A running head must name what is in effect at the top of its page:
    the string set before the page's first content, else the last one set
    on an earlier page; never one set lower on the page."""
    value: dict[str, str] = {}
    for number, scan in enumerate(scans, start=1):
        later: list[tuple[str, str]] = []
        for name, text, before in scan.sets:
            if before:
                value[name] = text
            else:
                later.append((name, text))
        for name, shown in scan.heads:
            expected = value.get(name, "")
            if shown and expected and shown != expected:
                yield (
                    number,
                    RUNNING_HEAD,
                    M.PF_HEAD_NAMES(shown=_short(shown), expected=_short(expected)),
                )
        value.update(later)


def _low_run_ons(scans: Sequence[_Scan]) -> Iterator[tuple[int, _Start]]:
    """The sections that start below the top 60 % of a page and run on to
    the next: what the "page" policy forbids (a section shares a page only
    whole, or after a page that was more than 40 % empty)."""
    for number, scan in enumerate(scans, start=1):
        for start in scan.starts:
            # What the page held above it (its top less the gap of a shared section).
            above = (start.top - SECTION_GAP - scan.top) / scan.height if scan.height else 1.0
            runs_on = any(id(start.element) in s.elements for s in scans[number:])
            if not start.at_top and above >= HALF and runs_on:
                yield number, start


def _section_breaks(scans: Sequence[_Scan], policy: str) -> Iterator[tuple[int, str, str]]:
    """Every top-level section meets the one before by the edition's policy:
    "page": it starts a page, unless it shares one whole (it ends there);
    "run-on": it never forces a page of the same kind as the one before."""
    low = {id(start) for _, start in _low_run_ons(scans)} if policy == "page" else set()
    for number, scan in enumerate(scans, start=1):
        for start in scan.starts:
            previous = scans[number - 2] if number > 1 else None
            if id(start) in low:
                yield (
                    number,
                    SECTION_BREAK,
                    M.PF_LOW_RUN_ON(title=_short(start.title)),
                )
            elif (policy == "run-on" and start.forced and previous is not None
                    and previous.name == scan.name and not scan.sparse):  # fmt: skip
                yield (
                    number,
                    SECTION_BREAK,
                    M.PF_FORCED_BREAK(title=_short(start.title)),
                )


def _overlaps(texts: list[_Text]) -> Iterator[M.Text]:
    """Pairs of text boxes whose glyph bands overlap by at least a quarter of
    the smaller one, from different lines (a sweep down the page)."""
    ordered = sorted(texts, key=lambda t: t.top)
    seen: set[tuple[str, str]] = set()
    for index, one in enumerate(ordered):
        for other in ordered[index + 1 :]:
            if other.top >= one.bottom:
                break
            if one.line == other.line or one.overlap_allowed or other.overlap_allowed:
                continue
            width = min(one.right, other.right) - max(one.left, other.left)
            height = min(one.bottom, other.bottom) - max(one.top, other.top)
            if width <= 2 or height <= 2:
                continue
            smaller = min((t.right - t.left) * (t.bottom - t.top) for t in (one, other))
            if width * height >= 0.25 * smaller:
                pair = (_short(one.text, 30), _short(other.text, 30))
                if pair not in seen:
                    seen.add(pair)
                    yield M.PF_DRAWN_OVER(first=pair[0], second=pair[1])


_TOUCH = 3.0  # CSS px (0.8 mm): panels closer than this touch


def _related(one: Any, other: Any, parents: dict[int, Any]) -> bool:
    """The same element, or one inside the other."""
    if one is None or other is None:
        return True

    def inside(inner: Any, outer: Any) -> bool:
        while inner is not None:
            if inner is outer:
                return True
            inner = parents.get(id(inner))
        return False

    return inside(one, other) or inside(other, one)


def _collisions(
    panels: list[_Panel], texts: list[_Text], parents: dict[int, Any]
) -> Iterator[M.Text]:
    """Text of one element drawn over another's painted block (review 2: a
    note over the key-figure tiles), and painted blocks of unrelated elements
    that touch (a strip and the next heading's bar); ``_overlaps`` sees text
    only, and these are boxes."""
    seen: set[str] = set()
    for panel in panels:
        if panel.overlap_allowed:
            continue
        for text in texts:
            if text.overlap_allowed or text.box.element is None:
                continue
            width = min(panel.right, text.right) - max(panel.left, text.left)
            height = min(panel.bottom, text.bottom) - max(panel.top, text.top)
            if width > 2 and height > 1 and not _related(text.box.element, panel.element, parents):
                message = M.PF_OVER_PAINT(text=_short(text.text, 30))
                if message not in seen:
                    seen.add(message)
                    yield message
    for index, one in enumerate(panels):
        for other in panels[index + 1 :]:
            if one.overlap_allowed or other.overlap_allowed:
                continue
            width = min(one.right, other.right) - max(one.left, other.left)
            gap = max(one.top, other.top) - min(one.bottom, other.bottom)
            if width > 2 and gap < _TOUCH and not _related(one.element, other.element, parents):
                names = tuple(
                    _short(_text_of(p.element) or p.element.tag, 30) for p in (one, other)
                )
                message = M.PF_TOUCH(first=names[0], second=names[1])
                if message not in seen:
                    seen.add(message)
                    yield message


# --- glyphs and fonts -------------------------------------------------------------


def _font_faults(scans: Sequence[_Scan], document: str) -> Iterator[Finding]:
    """Characters no font has, and fonts that draw one character only, from
    the shaped text of each line (WeasyPrint's Pango layouts).

    Shaping again is the cost here, so a line is shaped only when it holds a
    character not yet seen in its style (font list, weight, style, language):
    the same character in the same style falls to the same face."""
    used: dict[str, tuple[int, set[str]]] = {}  # face -> first page, characters drawn
    faces: dict[tuple[object, str], tuple[str, bool]] = {}  # (style, char) -> face, missing
    pages: list[dict[str, None]] = []
    try:
        for number, scan in enumerate(scans, start=1):
            missing: dict[str, None] = {}
            for text in scan.texts:
                style = _style_key(text.box.style)
                characters = {c for c in text.box.text if not c.isspace()}
                if any((style, c) not in faces for c in characters):
                    for face, shaped, unknown in shaped_runs(text.box):
                        for char in shaped:
                            faces[style, char] = (face, char in unknown)
                for char in characters:
                    face, lost = faces.get((style, char), ("", False))
                    if face:
                        used.setdefault(face, (number, set()))[1].add(char)
                    if lost:
                        missing[char] = None
            pages.append(missing)
    except (AttributeError, TypeError, KeyError) as exc:  # another WeasyPrint: skip, say why
        log.info("preflight: glyphs not checked (%s: %s)", type(exc).__name__, exc)
        return
    for number, missing in enumerate(pages, start=1):
        for char in missing:
            yield Finding(document, number, MISSING_GLYPH,
                          M.PF_NO_FONT(char=char, point=ord(char)))  # fmt: skip
    for face, (first, drawn) in sorted(used.items(), key=lambda item: item[1][0]):
        if len(drawn) == 1:
            char = next(iter(drawn))
            yield Finding(document, first, ONE_CHARACTER_FONT,
                          M.PF_FONT_FOR_ONE(face=face, char=char, point=ord(char)))  # fmt: skip


def _style_key(style: Any) -> tuple[object, ...]:
    return (tuple(style["font_family"]), style["font_weight"], style["font_style"],
            style["font_stretch"], style["lang"])  # fmt: skip
