"""Every use reportgen makes of a dependency's private API, in one place.

A library promises its documented API; the rest (a name with a leading
underscore, an undocumented module, a local variable's name) may change in
any release without notice. Where reportgen still needs such a thing, it is
reached through one small function here, named for what it gives, and
nowhere else (tests/test_private_apis.py reads every module of reportgen to
keep it so). Each function's docstring names the dependency and the private
names it relies on; ``CHECKED`` holds the version range each dependency was
checked against, and the first use of a dependency's private API in a process
refuses an installed version outside it (``DependencyChanged``, naming the
dependency, the version found and the range) instead of failing somewhere
deep inside, or worse, quietly doing something else. Moving a range means
reading that release's source for every name listed under the dependency
and running tests/test_private_apis.py against it.

Importing this module loads no library, and versions are looked up only
when first needed (``check`` stays fast, ``--help`` and ``check`` never load
WeasyPrint): each function imports its library when called.
"""

from __future__ import annotations

import functools
import importlib.metadata
import math
import platform
import re
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from reportgen.core.errors import ReportgenError


class DependencyChanged(ReportgenError):
    """An installed dependency is outside the range whose private API
    reportgen was checked against: a fault of the installation or of
    reportgen, never of the report (exit 1)."""


@dataclass(frozen=True)
class Checked:
    """A dependency's private names reportgen uses, and the versions read."""

    distribution: str  # as pip knows it ("python": the interpreter)
    versions: str  # a PEP 440 range, as in pyproject.toml
    names: tuple[str, ...]  # the private names, as the docstrings below cite them


CHECKED: dict[str, Checked] = {
    "weasyprint": Checked(
        "weasyprint",
        ">=70,<71",
        (
            "weasyprint.document.Page._page_box",
            "weasyprint.formatting_structure.boxes",
            "weasyprint.layout.absolute.AbsolutePlaceholder._box",
            "weasyprint.text.ffi (ffi, pango)",
            "TextBox.pango_layout (reactivate, deactivate, get_first_line, layout, text)",
            "the 'box' local of the layout's and drawing's frames",
            "weasyprint.pdf.fonts.Font.subset (file_content, index, missing)",
            "weasyprint.pdf.fonts.Font.__init__ (get_hb_object_data, hb_face)",
            "weasyprint.layout.inline.justify_line",
            "weasyprint.text.line_break (Layout.set_text, Layout.layout, line_size)",
            "weasyprint.css.find_stylesheets",
            "CSS.matcher (cssselect2.Matcher.match)",
        ),
    ),
    "jinja2": Checked(
        "jinja2",
        # 3.1.5 added wrap_str_format (without it the sandbox's format check
        # would never run); 3.1.6 stopped |attr from bypassing the sandbox.
        ">=3.1.6,<3.2",
        (
            "jinja_pass_arg (set by pass_context and its kin)",
            "SandboxedEnvironment.call",
            "SandboxedEnvironment.wrap_str_format",
            "Environment.compile",
        ),
    ),
    "mammoth": Checked(
        "mammoth",
        ">=1.8,<2",  # read in 1.8.0 and 1.12.0, run with 1.13.0
        ("mammoth.documents.Text", "mammoth.documents.run"),
    ),
    "tinyhtml5": Checked(
        "tinyhtml5",
        ">=2.1,<2.2",  # read in 2.1.0
        ("tinyhtml5.inputstream.characters_until_regex",),
    ),
    "python": Checked(
        "python",
        ">=3.11,<3.15",
        (
            "concurrent.futures.ProcessPoolExecutor._processes",
            "importlib.machinery.ModuleSpec._initializing",
        ),
    ),
}

# The methods of Jinja2's sandbox that ``sandbox.Sandbox`` overrides though
# Jinja2 does not document them as hooks: renamed, the override would be
# dead code and a limit would silently stop applying.
SANDBOX_HOOKS = ("call", "wrap_str_format", "compile")

# What ``preflight`` reads of WeasyPrint's laid-out boxes (from
# ``laid_out_page_box``): attributes and methods of the boxes, and keys of
# their computed style. A test checks each on a real layout.
BOX_ATTRIBUTES = (
    "children", "element", "element_tag", "style", "position_x", "position_y",
    "width", "height", "baseline", "text", "is_table_wrapper",
    "remove_decoration_sides", "pango_layout", "descendants", "border_box_x",
    "border_box_y", "border_width", "border_height", "padding_box_x",
    "padding_width", "content_box_y", "margin_width", "margin_height",
    "page_type", "bleed",
)  # fmt: skip
STYLE_KEYS = (
    "background_color", "background_image", "border_top_width", "border_bottom_width",
    "break_before", "break_after", "string_set", "content", "visibility", "font_size",
    "color", "font_family", "font_weight", "font_style", "font_stretch", "lang",
    "float", "height",
)  # fmt: skip
BOX_CLASSES = (
    "Box", "PageBox", "BlockBox", "BlockContainerBox", "LineBox", "InlineBox", "TextBox",
    "ReplacedBox", "TableBox", "TableRowBox", "TableCellBox", "MarginBox", "FootnoteAreaBox",
)  # fmt: skip


def installed_version(dependency: str) -> str:
    if CHECKED[dependency].distribution == "python":
        return platform.python_version()
    return importlib.metadata.version(CHECKED[dependency].distribution)


def check_version(dependency: str, version: str | None = None) -> str:
    """``version`` (by default the installed one) of ``dependency``, if
    within the range its private API was checked against; else
    ``DependencyChanged``, saying which, what was found and what was read."""
    from packaging.specifiers import SpecifierSet
    from packaging.version import InvalidVersion, Version

    found = version if version is not None else installed_version(dependency)
    wanted = CHECKED[dependency].versions
    try:
        within = Version(found) in SpecifierSet(wanted)
    except InvalidVersion:
        within = False
    if not within:
        raise DependencyChanged(
            f"{dependency} {found} is installed, but reportgen uses private parts of "
            f"{dependency} ({', '.join(CHECKED[dependency].names)}) checked only with "
            f"{dependency}{wanted}: install a version in that range "
            "(pip install -e . does), or adapt reportgen/core/private_apis.py and its tests"
        )
    return found


@functools.cache
def _checked(dependency: str) -> str:
    """``check_version`` once per process: the first use is checked."""
    return check_version(dependency)


# --- WeasyPrint ---------------------------------------------------------------


def laid_out_page_box(page: Any) -> Any:
    """The laid-out box tree of a rendered page (a ``Document.pages`` item):
    WeasyPrint's ``PageBox``, every box with its position and size.
    WeasyPrint: ``Page._page_box``; the attributes reportgen reads of the
    boxes are ``BOX_ATTRIBUTES`` and ``STYLE_KEYS``."""
    _checked("weasyprint")
    return page._page_box


def box_classes() -> ModuleType:
    """The module of WeasyPrint's box classes (``BOX_CLASSES``: ``TextBox``,
    ``LineBox``, ...), to tell the boxes of a layout apart.
    WeasyPrint: ``weasyprint.formatting_structure.boxes``."""
    _checked("weasyprint")
    from weasyprint.formatting_structure import boxes

    return boxes  # type: ignore[no-any-return]


def placed_box(child: Any) -> Any:
    """The box an absolutely positioned element was laid out as, from the
    placeholder its parent holds in its children (``None`` for anything else).
    WeasyPrint: ``weasyprint.layout.absolute.AbsolutePlaceholder._box``."""
    _checked("weasyprint")
    return getattr(child, "_box", None)


def shaped_runs(box: Any) -> Iterator[tuple[str, str, list[str]]]:
    """(face, characters, characters drawn as .notdef) of each run of a text
    box's first line, shaped again as WeasyPrint does before drawing it; a
    face is named as the PDF embeds it: family, weight and style, no size.
    WeasyPrint: ``TextBox.pango_layout`` (its ``reactivate``,
    ``deactivate``, ``get_first_line``, ``layout`` and ``text``) and the Pango
    bindings of ``weasyprint.text.ffi``."""
    _checked("weasyprint")
    from weasyprint.text.ffi import ffi, pango

    layout = box.pango_layout
    layout.reactivate(box.style)
    try:
        pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
        line, _ = layout.get_first_line()
        encoded = layout.text.encode()
        run = line.runs[0]
        while run != ffi.NULL:
            item, glyphs = run.data.item, run.data.glyphs
            run = run.next
            text = encoded[item.offset : item.offset + item.length].decode(errors="replace")
            unknown = [
                chr(glyph.glyph - pango.PANGO_GLYPH_UNKNOWN_FLAG)
                for glyph in glyphs.glyphs[0 : glyphs.num_glyphs]
                if glyph.glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG
                and glyph.glyph != pango.PANGO_GLYPH_EMPTY
            ]
            yield _face_name(item.analysis.font, ffi, pango), text, unknown
    finally:
        layout.deactivate()


def _face_name(font: Any, ffi: Any, pango: Any) -> str:
    description = ffi.gc(
        pango.pango_font_describe_with_absolute_size(font), pango.pango_font_description_free
    )
    family = ffi.string(pango.pango_font_description_get_family(description)).decode()
    weight = int(pango.pango_font_description_get_weight(description))
    italic = int(pango.pango_font_description_get_style(description)) != 0
    return f"{family} {weight}{' italic' if italic else ''}"


def element_being_laid_out(exc: BaseException) -> Any:
    """The HTML element WeasyPrint was laying out or drawing when ``exc`` was
    raised, if any: the innermost frame of its traceback with a ``box`` of an
    element. WeasyPrint: the local variable ``box`` of its layout and drawing
    functions, and ``Box.element``."""
    _checked("weasyprint")
    element = None
    trace = exc.__traceback__
    while trace is not None:
        found = getattr(trace.tb_frame.f_locals.get("box"), "element", None)
        if found is not None:
            element = found
        trace = trace.tb_next
    return element


@dataclass
class SharedSubsets:
    """What ``font_subsets_shared`` did: subsets made, and subsets found made;
    font files read, and found read."""

    made: int = 0
    reused: int = 0
    files_read: int = 0
    files_kept: int = 0


class _Subsets:
    """The subsets a ``font_subsets_shared`` block made, and its counts."""

    def __init__(self) -> None:
        self.seen = SharedSubsets()
        self.sources: dict[int, list[bytes]] = {}  # by length: each distinct font, once
        self.made: dict[tuple[int, int, int, bool, bool, frozenset[int]], bytes] = {}
        # The font files read, by the address of their HarfBuzz face, each
        # with a reference to the face held until the block ends (so that no
        # other face can take that address while it is a key here).
        self.files: dict[int, tuple[Any, Any]] = {}


_open_blocks: list[_Subsets] = []  # the innermost last; shared by the threads
_original_subset: list[Callable[..., None]] = []  # WeasyPrint's, once replaced
_original_font_init: list[Callable[..., None]] = []
_font_init = threading.local()  # set while WeasyPrint makes a ``Font``


@contextmanager
def font_subsets_shared() -> Iterator[SharedSubsets]:
    """While open, WeasyPrint reads each font file and subsets a font to a
    set of glyphs once in this process.

    A later document that needs the very same subset (the same font bytes,
    face and glyphs, the same options) gets the bytes the first one made,
    which are the bytes it would make (HarfBuzz is deterministic). The font's
    bytes are compared in full, never by a hash; each distinct font is kept
    once, with its subsets, until the block ends. A CJK face takes 50-100 ms
    to subset (65,535 glyphs), a letter's layout about 30 ms.

    WeasyPrint copies the whole file of each font a document uses into a
    ``bytes`` object as it starts writing the PDF (``Font.__init__``: 17 to
    27 MB for a CJK collection, some 5 ms each, four faces a Japanese
    letter). Inside a block, a face HarfBuzz already gave the file of gives
    the same ``bytes`` object again: the same bytes, read once.

    WeasyPrint: ``weasyprint.pdf.fonts.Font.subset`` (what ``Font.clean``
    calls when it writes a PDF) and ``Font.__init__`` (which reads the file
    with ``get_hb_object_data`` of the module ``weasyprint.pdf.fonts`` from
    its face), each replaced once per process by a function that calls it
    unchanged outside a block, and the font's ``file_content``, ``index``
    and ``missing``."""
    _checked("weasyprint")
    from weasyprint.pdf import fonts

    if not _original_subset:
        _original_subset.append(fonts.Font.subset)
        fonts.Font.subset = _shared_subset
        _original_font_init.append(fonts.Font.__init__)
        _original_font_init.append(fonts.get_hb_object_data)
        fonts.Font.__init__ = _font_made
        fonts.get_hb_object_data = _font_file
    block = _Subsets()
    _open_blocks.append(block)
    try:
        yield block.seen
    finally:
        _open_blocks.remove(block)
        from weasyprint.text.ffi import harfbuzz

        for face, _ in block.files.values():
            harfbuzz.hb_face_destroy(face)
        block.files.clear()


def _font_made(font: Any, *args: Any, **kwargs: Any) -> None:
    _font_init.active = True
    try:
        _original_font_init[0](font, *args, **kwargs)
    finally:
        _font_init.active = False


def _font_file(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> Any:
    """``get_hb_object_data``: the whole file of a font's face, kept in the
    open block while ``Font.__init__`` asks for it (only there: the faces
    a subset makes are new, and passed on as WeasyPrint reads them)."""
    read = _original_font_init[1]
    block = _open_blocks[-1] if _open_blocks else None
    if block is None or ot_color is not None or not getattr(_font_init, "active", False):
        return read(hb_object, ot_color, glyph)
    from weasyprint.text.ffi import ffi, harfbuzz

    address = int(ffi.cast("uintptr_t", hb_object))
    if address in block.files:
        block.seen.files_kept += 1
        return block.files[address][1]
    data = read(hb_object)
    block.files[address] = (harfbuzz.hb_face_reference(hb_object), data)
    block.seen.files_read += 1
    return data


def _shared_subset(font: Any, to_unicode: dict[int, Any], hinting: bool) -> None:
    original = _original_subset[0]
    block = _open_blocks[-1] if _open_blocks else None
    if block is None or not to_unicode:
        original(font, to_unicode, hinting)
        return
    content = font.file_content
    same = block.sources.setdefault(len(content), [])
    # (the same object first: a file kept by the block is the same ``bytes``)
    number = next(
        (n for n, known in enumerate(same) if known is content or known == content), len(same)
    )
    key = (len(content), number, font.index, bool(font.missing), bool(hinting),
           frozenset(to_unicode))  # fmt: skip
    if key in block.made:
        font.file_content = block.made[key]
        block.seen.reused += 1
        return
    original(font, to_unicode, hinting)
    if number == len(same):
        same.append(content)
    block.made[key] = font.file_content
    block.seen.made += 1


class StylesheetsKept:
    """What ``author_stylesheets_kept`` did: a page's stylesheets parsed, and
    found parsed; an element's matching rules looked up, and found."""

    def __init__(self) -> None:
        self.parsed = 0
        self.reused = 0
        self.matched = 0
        self.rematched = 0
        # (the page's element tree, media, fetcher, base URL, font and counter
        # configurations, colour profiles) and its stylesheets, by identity
        self.sheets: list[tuple[tuple[Any, ...], list[Any]]] = []


class _MatchesKept:
    """A stylesheet's matcher that looks each element up once: the rules that
    match an element depend only on the element and its tree, both unchanged
    while the page is laid out again."""

    def __init__(self, matcher: Any, seen: StylesheetsKept) -> None:
        self._matcher = matcher
        self._seen = seen
        self._found: dict[Any, list[Any]] = {}  # by the element, not its wrapper

    def match(self, element: Any) -> list[Any]:
        key = element.etree_element
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._matcher.match(element)
            self._seen.matched += 1
        else:
            self._seen.rematched += 1
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._matcher, name)


_open_sheets: list[StylesheetsKept] = []  # the innermost last
_original_find: list[Callable[..., Any]] = []  # WeasyPrint's, once replaced


@contextmanager
def author_stylesheets_kept() -> Iterator[StylesheetsKept]:
    """While open, a page laid out again (``HTML.render`` once more on the
    same ``HTML``, with the same font configuration, counter styles and
    colour profiles) takes the stylesheets of its ``<style>`` and ``<link>``
    elements as the first layout parsed them, instead of parsing them again,
    and the rules each of its elements matches as they were found. A user
    stylesheet given to ``render`` is parsed and matched each time (page
    sharing's differs from round to round). The parsed rules are the same
    objects WeasyPrint would make again (the same text, media and base URL);
    their ``@font-face``, ``@counter-style`` and ``@color-profile`` rules were
    added to the very configurations the later layouts use, which is why
    they must be the same objects. The sample's annual report spent about a
    sixth of each layout on this. WeasyPrint: ``weasyprint.css.find_stylesheets``
    (called by ``get_all_computed_styles`` for each layout), replaced once per
    process by a function that calls it unchanged outside a block, and each
    stylesheet's ``matcher`` (a ``cssselect2.Matcher``; only its ``match`` is
    kept)."""
    _checked("weasyprint")
    from weasyprint import css

    if not _original_find:
        _original_find.append(css.find_stylesheets)
        css.find_stylesheets = _kept_stylesheets
    block = StylesheetsKept()
    _open_sheets.append(block)
    try:
        yield block
    finally:
        _open_sheets.remove(block)


def _kept_stylesheets(*arguments: Any, **named: Any) -> Any:
    original = _original_find[0]
    block = _open_sheets[-1] if _open_sheets else None
    if block is None or named or len(arguments) < 7:
        return original(*arguments, **named)
    # wrapper_element, media_type, url_fetcher, base_url, font_config,
    # counter_style, color_profiles (the page rules and layers lists are new
    # each time, and the parsed sheets keep their own)
    key = arguments[:7]
    for known, sheets in block.sheets:
        if len(known) == len(key) and all(a is b or (isinstance(a, str) and a == b)
                                          for a, b in zip(known, key, strict=True)):  # fmt: skip
            block.reused += 1
            return iter(sheets)
    sheets = list(original(*arguments))
    for sheet in sheets:
        sheet.matcher = _MatchesKept(sheet.matcher, block)
    block.sheets.append((key, sheets))
    block.parsed += 1
    return iter(sheets)


_SPACES = " \u00a0"
_OPENING_BRACKETS = "「『（〔［｛〈《【〘〖"
_original_justify: list[Callable[..., None]] = []  # WeasyPrint's, once replaced


# By language, set by the caller: the pattern of a character a line stretches
# beside, whether an opening bracket is trimmed, the most a gap beside such a
# character grows (em), a space's share against it, the most a space grows (em),
# whether a line past both limits is justified anyway (its spaces take the rest),
# and a space's growth past which the gaps beside such characters take up to a
# second limit (em) first (0, 0: none).
_Between = tuple[re.Pattern[str], bool, float, float, float, bool, float, float]
_between: dict[str, _Between] = {}


def justify_between_characters(
    languages: Mapping[str, tuple[str, bool, float, float, float, bool, float, float]],
) -> None:
    """From now on in this process, a justified line (``text-align:
    justify``) in one of ``languages`` (its ``lang``; by tag, the pattern of
    one character between which it stretches, whether an opening bracket
    that starts a line is trimmed, the most a gap beside such a character
    may grow, in em, how many times that share a space takes, the most a
    space may grow, in em, whether a line past both is justified anyway,
    and a space's growth past which the gaps beside such characters first
    take more, up to a second limit, in em (0, 0: never):
    ``languages.justified_between()``) that
    holds one of those characters is stretched between those characters and at its spaces, as
    Japanese is set (CSS's ``text-justify: inter-character``, which
    WeasyPrint does not support: it stretches only spaces, and leaves a line
    of Japanese, which has none, ragged), and as Korean is, its words whole,
    mostly at its spaces and a little between syllables, so that no word gap
    opens wide and no syllable stands visibly apart. Every gap beside such a
    character takes one share and every space its weight in shares, each up
    to its limit, the rest going to the other kind; a line without them is
    justified by WeasyPrint unchanged; an opening bracket that starts
    such a line may lose its blank half; a line whose gaps would grow past
    both limits (a long unbreakable date or name pushed to the
    next line) is left ragged rather than letter-spaced, or, in a language
    that justifies loose lines (Korean), has its spaces take the rest, up
    to twice their limit. In a language that eases its word spaces (Korean),
    a space that would grow past its ease lets the syllable gaps grow up to
    their second limit first (still unseen), so the widest word gaps open
    less. Text
    broken with narrowed word spaces (a negative CSS ``word-spacing``, Korean
    print) is justified from there, so a line may shrink as well as stretch
    (a space's limit counts from the font's space), and a line set at its
    start (a paragraph's last) gets its spaces back as far as it has room. WeasyPrint:
    ``justify_line`` of ``weasyprint.layout.inline`` (what ``text_align``
    calls), replaced once, and ``weasyprint.text.line_break`` (``Layout``,
    its ``set_text`` and ``layout``, ``line_size``): each stretched text box
    gets a layout that adds Pango letter spacing to those characters
    whenever it is set again (to be drawn)."""
    _checked("weasyprint")
    from weasyprint.layout import inline

    _between.update({tag: (re.compile(how[0]), *how[1:]) for tag, how in languages.items()})
    if not _original_justify:
        _original_justify.append(inline.justify_line)
        inline.justify_line = _justify_line
        _original_align.append(inline.text_align)
        inline.text_align = _text_align


_original_align: list[Callable[..., float]] = []  # WeasyPrint's text_align, once replaced


def _text_align(context: Any, line: Any, available_width: float, last: bool) -> float:
    """WeasyPrint's ``text_align``; a line it sets at its start (ragged, a
    paragraph's last line, one left ragged by ``_justify_line``) that opens
    with a bracket has the bracket set half-width, as a justified one has
    (``_justify_line``): the line keeps its start and the words after the
    bracket close up by its blank half, so nothing leaves the line's box."""
    offset = _original_align[0](context, line, available_width, last)
    if offset or getattr(line, "reportgen_trimmed", False):
        return offset
    from weasyprint.formatting_structure import boxes

    _spaces_back(context, line, available_width, boxes)
    if (trim := _opening_trim(line)) and (first := _first_leaf(line, boxes)) is not None:
        _stretch(context, line, (0.0, 0.0), 0.0, {}, boxes, (first, trim))
    return offset


def _spaces_back(context: Any, line: Any, available_width: float, boxes: Any) -> None:
    """A line of a language in ``_between`` broken with narrowed word spaces
    (a negative CSS ``word-spacing``: a justified line may then shrink as
    well as stretch) that is set at its start, not justified (a paragraph's
    last line, one left ragged), gets its spaces back as the font sets them,
    or as much of that as the line's room allows, the same for each space."""
    language = str(line.style["lang"] or "").lower().split("-")[0]
    if language not in _between or line.width >= available_width:
        return
    texts = [box for box in line.descendants() if isinstance(box, boxes.TextBox)]
    narrowed = [box for box in texts if _word_spacing(box) < 0]
    if not narrowed:
        return
    shares: _Shares = {}
    for box in narrowed:
        spaced = [i for i, char in enumerate(box.text) if char in _SPACES]
        last = len(box.text) - 1
        count = sum(((i > 0) + (i < last)) / 2 for i in spaced)
        if count:
            shares[id(box)] = (spaced, 0.0, count)
    spaces = sum(count for _, _, count in shares.values())
    if not spaces:
        return
    back = min(-_word_spacing(narrowed[0]), (available_width - line.width) / spaces)
    if back > 0:
        _stretch(context, line, (0.0, back), 0.0, shares, boxes)


def _word_spacing(box: Any) -> float:
    """A text box's CSS ``word-spacing``, in points (computed)."""
    return float(box.style["word_spacing"] or 0.0)


def _first_leaf(line: Any, boxes: Any) -> Any:
    """The first box drawn on ``line`` (a text, a picture, an inline block)."""
    for box in line.descendants():
        if not isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            return box
    return None


def _opening_trim(line: Any) -> float:
    """The blank half of an opening bracket that starts ``line``, in a
    language that trims it; 0 for a bracket set half-width already (``halt``)
    or hung (``hang``), or a line that starts with a picture."""
    from weasyprint.formatting_structure import boxes

    language = str(line.style["lang"] or "").lower().split("-")[0]
    if language not in _between or not _between[language][1]:
        return 0.0
    first = _first_leaf(line, boxes)
    if not isinstance(first, boxes.TextBox) or first.text[:1] not in _OPENING_BRACKETS:
        return 0.0
    element = getattr(first, "element", None)
    classes = (element.get("class") or "").split() if element is not None else []
    if "halt" in classes or "hang" in classes:
        return 0.0
    return float(first.style["font_size"]) / 2


def _spaced(text: str, characters: re.Pattern[str]) -> list[int]:
    """The indices of ``text``'s characters that take letter spacing."""
    return [i for i, char in enumerate(text) if char in _SPACES or characters.match(char)]


_Shares = dict[int, tuple[list[int], float, float]]  # by text box: see _justify_line


def _justify_line(context: Any, line: Any, extra_width: float) -> None:
    from weasyprint.formatting_structure import boxes

    texts = [box for box in line.descendants() if isinstance(box, boxes.TextBox)]
    language = str(line.style["lang"] or "").lower().split("-")[0]
    if language not in _between:
        _original_justify[0](context, line, extra_width)
        return
    characters, trim_opening, most, weight, space_most, loose, ease, eased = _between[language]
    if not any(characters.search(b.text) for b in texts):
        _original_justify[0](context, line, extra_width)
        return
    # Pango gives a spaced character half its spacing on each side within a
    # text box (none past the box's ends); a gap between two boxes with a
    # spaced character on either side gets a whole share as the first box's
    # width. Each box: its spaced characters, and how many gaps beside a
    # character and how many spaces it widens by (halves counted as such).
    shares: _Shares = {}
    for number, box in enumerate(texts):
        spaced = _spaced(box.text, characters)
        last = len(box.text) - 1
        halves = [((i > 0) + (i < last)) / 2 for i in spaced]
        gaps = sum(h for i, h in zip(spaced, halves, strict=True) if box.text[i] not in _SPACES)
        spaces = sum(halves) - gaps
        following = texts[number + 1].text[:1] if number + 1 < len(texts) else ""
        if (
            box.text
            and following
            and (_spaced(box.text[-1], characters) or _spaced(following, characters))
        ):
            if box.text[-1] in _SPACES or following in _SPACES:
                spaces += 1
            else:
                gaps += 1
        shares[id(box)] = (spaced, gaps, spaces)
    # An opening bracket that starts a line is set half-width (its blank,
    # the left half of its em, trimmed, by the font's halt feature): the
    # line keeps its start and stretches by as much more.
    first = texts[0] if texts else None
    trim = _opening_trim(line) if trim_opening else 0.0
    gaps = sum(g for _, g, _ in shares.values())
    spaces = sum(s for _, _, s in shares.values())
    if not (gaps or spaces) or not first:
        return
    size = first.style["font_size"]
    # Broken with narrowed word spaces (a negative word-spacing), a space may
    # grow by as much more before it passes its limit, which counts from the
    # space the font sets.
    narrowed = -min(_word_spacing(first), 0.0)
    slack = extra_width + trim
    limit = space_most * size + narrowed if space_most else math.inf
    gap_most = most * size or math.inf
    if ease:  # past its ease a space waits while the syllable gaps take up to ``eased``
        soft = min(ease * size + narrowed, limit)
        spacing = _shares_of(slack, gaps, spaces, weight, gap_most, soft)
        if spacing is None:
            spacing = _shares_of(slack, gaps, spaces, weight, eased * size, soft)
        gap_most = max(gap_most, eased * size)
        if spacing is None and spaces:  # the gaps at their second limit, the spaces the rest
            space = (slack - gaps * gap_most) / spaces
            spacing = (gap_most, space) if space <= limit + 1e-6 else None
    else:
        spacing = _shares_of(slack, gaps, spaces, weight, gap_most, limit)
    if spacing is None and loose and spaces:  # loose: spaces up to twice their limit
        loosest = 2 * space_most * size + narrowed if space_most else math.inf
        spacing = _shares_of(slack, gaps, spaces, weight, gap_most, loosest)
    if spacing is None:
        return  # ragged (its spaces given back by _text_align): a letter-spaced line reads worse
    line.reportgen_trimmed = True
    _stretch(context, line, spacing, 0.0, shares, boxes, (first, trim) if trim else None)


def _shares_of(
    slack: float, gaps: float, spaces: float, weight: float, most: float, space_most: float
) -> tuple[float, float] | None:
    """How much each gap beside a character and each space grows so that
    ``slack`` is taken: a space ``weight`` times a gap, each kind up to its
    limit, the rest going to the other kind; None past both limits."""
    gap = slack / (gaps + weight * spaces)
    space = weight * gap
    if gap > most:
        gap = most
        space = (slack - gaps * gap) / spaces if spaces else math.inf
    elif space > space_most:
        space = space_most
        gap = (slack - spaces * space) / gaps if gaps else math.inf
    tolerance = 1e-6
    if gap > most + tolerance or space > space_most + tolerance:
        return None
    return gap, space


def _stretch(
    context: Any, box: Any, spacing: tuple[float, float], x_advance: float,
    shares: _Shares, boxes: Any, halved: tuple[Any, float] | None = None,
) -> float:  # fmt: skip
    """WeasyPrint's ``add_word_spacing``, with the shares of ``_justify_line``:
    ``spacing``, what a gap beside a character and what a space grows by;
    ``halved``: the text box whose first character (an opening bracket) is
    set half-width, and the width that takes off it."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        spaced, gaps, spaces = shares.get(id(box), ([], 0.0, 0.0))
        trim = halved[1] if halved is not None and halved[0] is box else 0.0
        if gaps or spaces or trim:
            gap, space = spacing
            # A space's letter spacing replaces its word-spacing (which
            # WeasyPrint sets twice over at a box's ends, where Pango gives half).
            last = len(box.text) - 1
            words = _word_spacing(box)
            each = [
                (i, space + words * (1 + (i in (0, last))) if box.text[i] in _SPACES else gap)
                for i in spaced
            ]
            layout = _spaced_layout(box.style, box.text, each, halt=bool(trim))
            layout.deactivate()
            box.pango_layout = layout
            grown = gap * gaps + space * spaces - trim
            box.width += grown
            x_advance += grown
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        children = box.children[::-1] if box.style["direction"] == "rtl" else box.children
        for child in children:
            if child.is_in_normal_flow():
                x_advance = _stretch(context, child, spacing, x_advance, shares, boxes, halved)
        box.width += x_advance - before
    else:
        box.translate(x_advance, 0)
    return x_advance


def _spaced_layout(
    style: Any, text: str, spaced: list[tuple[int, float]], *, halt: bool = False
) -> Any:
    """A WeasyPrint ``Layout`` of ``text`` whose ``spaced`` characters (by
    index) get their Pango letter spacing each time its text is set, and whose
    first character is set half-width (OpenType ``halt``) if ``halt``."""
    if not _spaced_layout_class:
        _spaced_layout_class.append(_make_spaced_layout_class())
    layout = _spaced_layout_class[0](style, spaced, halt)
    layout.set_text(text)
    return layout


_spaced_layout_class: list[Any] = []  # made once, when first needed (WeasyPrint loaded)


def _make_spaced_layout_class() -> Any:
    from weasyprint.text.ffi import TO_UNITS, ffi, pango
    from weasyprint.text.line_break import Layout

    class SpacedLayout(Layout):  # type: ignore[misc]
        def __init__(self, style: Any, spaced: list[tuple[int, float]], halt: bool) -> None:
            self.spaced, self.halt = spaced, halt
            super().__init__(style, 0)

        def set_text(self, text: str, justify: bool = False) -> None:
            super().set_text(text, justify)
            attributes = pango.pango_layout_get_attributes(self.layout)
            if attributes == ffi.NULL:
                attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
            offsets = [0]
            for char in text:
                offsets.append(offsets[-1] + len(char.encode()))
            for i, spacing in self.spaced:
                if i < len(text):
                    attribute = pango.pango_attr_letter_spacing_new(round(spacing * TO_UNITS))
                    attribute.start_index, attribute.end_index = offsets[i], offsets[i + 1]
                    pango.pango_attr_list_change(attributes, attribute)
            if self.halt and text:
                # Font features of several attributes add up in Pango: the
                # style's own stay on the bracket.
                attribute = pango.pango_attr_font_features_new(b"halt 1")
                attribute.start_index, attribute.end_index = 0, offsets[1]
                pango.pango_attr_list_insert(attributes, attribute)
            pango.pango_layout_set_attributes(self.layout, attributes)

    return SpacedLayout


# --- Jinja2 -----------------------------------------------------------------------


def passes_first_argument(function: Callable[..., Any]) -> bool:
    """Whether Jinja2 calls ``function`` (a filter) with the context, eval
    context or environment before its value (``pass_context`` and its kin).
    Jinja2: the ``jinja_pass_arg`` attribute those decorators set."""
    _checked("jinja2")
    return hasattr(function, "jinja_pass_arg")


def pass_first_argument_as(wrapper: Callable[..., Any], function: Callable[..., Any]) -> None:
    """Make Jinja2 call ``wrapper`` with what it passes ``function`` first.
    Jinja2: the ``jinja_pass_arg`` attribute."""
    _checked("jinja2")
    wrapper.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]


def check_sandbox_hooks() -> None:
    """Called by ``sandbox.Sandbox`` when made: Jinja2 is one whose
    undocumented sandbox hooks (``SANDBOX_HOOKS``) were checked."""
    _checked("jinja2")


# --- mammoth -----------------------------------------------------------------------


def with_leading_text(paragraph: Any, text: str) -> Any:
    """A copy of a paragraph of mammoth's document model (as a
    ``transform_document`` function gets it) that begins with a run of
    ``text``. mammoth documents reading and copying elements, not making
    them: ``mammoth.documents.Text`` and ``mammoth.documents.run``."""
    _checked("mammoth")
    from mammoth import documents

    return paragraph.copy(children=[documents.run([documents.Text(text)]), *paragraph.children])


# --- tinyhtml5 ---------------------------------------------------------------------


class _CharacterRuns(dict[tuple[Any, bool], Any]):
    """tinyhtml5's patterns for a run of characters, made on a miss and kept
    under the key they are looked up by."""

    def __missing__(self, key: tuple[Any, bool]) -> Any:
        characters, opposite = key
        # tinyhtml5's own recipe, unchanged: the same pattern it would make.
        escaped = "".join([f"\\x{ord(character):02x}" for character in characters])
        pattern = self[key] = re.compile(f"[{escaped}]+" if opposite else f"[^{escaped}]+")
        return pattern


def html_parser_patterns_kept() -> None:
    """Make tinyhtml5 (the HTML parser of WeasyPrint and of ``html_pages``)
    keep the patterns its tokenizer looks for. Its ``chars_until`` keeps them
    in the module's ``characters_until_regex`` dictionary, but stores each
    under the pattern instead of the characters it looks them up by, so
    every call made the pattern anew: about two fifths of the time a
    144 KB page took to parse. Here that dictionary makes and keeps each
    pattern itself, as tinyhtml5 makes it; the parsed tree is the same.
    Once per process; tinyhtml5: ``tinyhtml5.inputstream.characters_until_regex``."""
    _checked("tinyhtml5")
    from tinyhtml5 import inputstream

    if not isinstance(inputstream.characters_until_regex, _CharacterRuns):
        inputstream.characters_until_regex = _CharacterRuns()


# --- Python's standard library --------------------------------------------------------


def pool_processes(pool: Any) -> list[Any]:
    """The worker processes of a ``ProcessPoolExecutor`` (Python 3.14 has
    ``kill_workers()``; before it, the only way to stop them at once).
    Python: ``ProcessPoolExecutor._processes``, which ``shutdown`` forgets
    (take them first)."""
    _checked("python")
    return list((pool._processes or {}).values())


def modules_being_imported() -> list[str]:
    """The modules some thread is importing now: in ``sys.modules`` already,
    their code not yet run to its end. Python: ``ModuleSpec._initializing``,
    which the import system sets for exactly that time (it is what the message
    "partially initialized module" reads)."""
    _checked("python")
    return [
        name
        for name, module in sys.modules.copy().items()
        if getattr(getattr(module, "__spec__", None), "_initializing", False)
    ]
