"""Narrative Markdown to safe HTML, with its links checked.

CommonMark with tables and footnotes (markdown-it-py). Raw HTML is escaped,
never rendered. Headings move down one level (the report owns ``h1``) and the
first heading becomes the section title unless the front matter gives one.
Every link and image must be an http(s) URL or name a file of the year folder
that the gate admits (never a data, settings or narrative file; images only
of an allowed kind by their bytes); local targets are rewritten relative to
the year folder, from where the gate serves them to the renderer.
"""

from __future__ import annotations

import base64
import io
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from defusedxml.ElementTree import fromstring
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, isWhiteSpace
from markdown_it.rules_inline.state_inline import Delimiter
from markupsafe import escape
from mdit_py_plugins.footnote import footnote_plugin

from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostics, Location, did_you_mean
from reportgen.core.editions import DOCUMENTS
from reportgen.core.file_gate import Gate, RefusedResource
from reportgen.core.languages import tag_problem, typography
from reportgen.core.plaintext import describe, forbidden_in
from reportgen.reading.excerpts import excerpt
from reportgen.reading.model import LANGUAGES, ORGANISATION, PUBLIC, NarrativeSection
from reportgen.reading.page_anchors import AUTHORED, PAGE_ANCHORS
from reportgen.reading.readers.narrative import FRONT_KEYS
from reportgen.reading.readers.raw_narrative import Picture, RawNarrative
from reportgen.reading.table_registry import GUARDED_FRONT_KEYS, VISIBILITY, guarded_lookalike

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

PROMPT = "TODO:"  # how reportgen new's prompts begin (new.PROMPT)
# A file with one of these roles replaces the built-in wording of a part instead
# of becoming a section (``email`` is for the messages that carry the letters).
ROLES = ("donor-letter", "letter", "how-to-give", "back-cover", "email", "gift-at-work")
# What a ``role: letter`` file may say of each donor, and nothing else.
# ``gifts`` names the year's giving as it was ("your £20 every month"), ``ask``
# the settings' ``[[asks]]`` that fits the donor, ``outcomes`` the setting of
# what the year's gifts did.
PLACEHOLDERS = (
    "name", "salutation", "amount", "fiscal_year", "organization", "signatory", "date",
    "gifts", "ask", "outcomes",
)  # fmt: skip
ASK_PLACEHOLDER = re.compile(r"\{\{\s*ask\s*\}\}")
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
# ``{{donor.<column>}}``: a column of the donor's own row, its extra columns
# too (validate checks the donors table has it, at the letter file's line).
DONOR_PLACEHOLDER = re.compile(r"\{\{\s*donor\.([^{}\s]+?)\s*\}\}")
DONOR_PREFIX = "donor."
SAFE_SCHEMES = ("http", "https", "mailto")
# How a Word document's Markdown names one of its own pictures (readers.word):
# ``word-picture:<sha256>#<width>x<height>`` in millimetres. Only a picture the
# reader extracted and the gate checked answers to it; in a Markdown file it is
# an unknown scheme, refused like any other.
WORD_PICTURE = "word-picture"
_SIZE = re.compile(r"([0-9]{1,4}(?:\.[0-9])?)x([0-9]{1,4}(?:\.[0-9])?)")
# How deep lists, quotes, emphasis and links may nest: far past real writing,
# well short of what the renderers' recursion survives. markdown-it stops
# nesting blocks silently at its own maxNesting, so that is set higher, for
# every document deeper than ours to be found and refused.
MAX_NESTING = 20
# What the narrative of one document may hold, counted over every file that
# goes into a language's documents (its own files and those every language
# shares): each element is laid out, tagged and checked one by one, and some
# cost more the more of them there are (footnotes), so these bound the work
# of a build, as MAX_BYTES in readers.narrative bounds the bytes. Chosen so
# that a document with every limit reached at once still builds within a
# minute (bench/bounds.py measures it); far past any real annual report.
# (name, markdown-it token types counted, the most one document may hold)
WORKLOAD: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("paragraphs", ("paragraph_open",), 6000),
    ("headings", ("heading_open",), 300),
    ("list items", ("list_item_open",), 500),
    ("table cells", ("th_open", "td_open"), 2000),
    ("footnotes", ("footnote_open",), 300),
    ("footnote references", ("footnote_ref",), 600),
    ("pictures", ("image",), 200),
)


@cache
def _parser(quotes: str = "\u201c\u201d\u2018\u2019") -> MarkdownIt:
    """The parser; ``quotes`` are the language's quote marks, which the
    typographer puts for straight ones (only those: no other replacements,
    so ``--`` and ``(c)`` stay as written)."""
    md = MarkdownIt(
        "commonmark",
        {"html": False, "typographer": True, "quotes": quotes, "maxNesting": MAX_NESTING + 10},
    )
    md.enable(["table", "smartquotes"]).use(footnote_plugin)
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # we check links ourselves
    md.add_render_rule("image", _render_image)
    md.inline.ruler.at("emphasis", _emphasis)
    md.core.ruler.push("plain_titles", _plain_titles)
    md.core.ruler.push("pull_quotes", _pull_quotes)
    return md


def _wide(char: str) -> bool:
    """A full-width character: Japanese, Chinese, Korean, their punctuation."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _emphasis(state: StateInline, silent: bool) -> bool:
    """CommonMark's emphasis, with ``*`` usable beside full-width text.

    CommonMark decides whether ``**`` opens or closes from its neighbours, and
    a closing run between punctuation and a letter does not close, which
    suits spaced scripts but not Japanese or Chinese, written without spaces:
    ``**会員限定。**この項は`` stayed literal. Beside a full-width character a
    ``*`` run opens when a non-space follows it and closes when a non-space
    precedes it (as markdown-it's cjk-friendly extension does); ``_`` and
    every other context keep CommonMark's rules."""
    start = state.pos
    marker = state.src[start]
    if silent or marker not in ("_", "*"):
        return False
    scanned = state.scanDelims(start, marker == "*")
    can_open, can_close, length = scanned.can_open, scanned.can_close, scanned.length
    last = state.src[start - 1] if start > 0 else " "
    end = start + length
    following = state.src[end] if end < state.posMax else " "
    if marker == "*" and (_wide(last) or _wide(following)):
        can_open = not isWhiteSpace(ord(following))
        can_close = not isWhiteSpace(ord(last))
    for _ in range(length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(
                marker=ord(marker),
                length=length,
                token=len(state.tokens) - 1,
                end=-1,
                open=can_open,
                close=can_close,
            )
        )
    state.pos += length
    return True


# A quotation that opens with this marker is a pull quote: words of the text
# set large beside it (print: in the side column), ``blockquote.pull-quote``.
PULL_QUOTE = re.compile(r"\[!pull-quote\][ \t]*", re.IGNORECASE)


def _pull_quotes(state: StateCore) -> None:
    """``> [!pull-quote]`` as the first words of a quotation (alone on its
    line or before its text) makes it a pull quote; the marker is not printed."""
    tokens = state.tokens
    emptied: list[int] = []
    for i, token in enumerate(tokens[:-2]):
        inline = tokens[i + 2]
        if token.type != "blockquote_open" or tokens[i + 1].type != "paragraph_open":
            continue
        children = inline.children or []
        if inline.type != "inline" or not children or children[0].type != "text":
            continue
        if not (marker := PULL_QUOTE.match(children[0].content)):
            continue
        token.attrSet("class", "pull-quote")
        if rest := children[0].content[marker.end() :]:
            children[0].content = rest
        else:
            del children[0]
            while children and children[0].type in ("softbreak", "hardbreak"):
                del children[0]
        inline.content = PULL_QUOTE.sub("", inline.content, count=1).lstrip("\n")
        if not children:  # the marker was a paragraph of its own
            emptied.append(i + 1)
    for start in reversed(emptied):  # its paragraph's open, inline and close
        del tokens[start : start + 3]


TITLE_BRACKETS = {"『": "』", "《": "》", "〈": "〉", "「": "」"}


def _plain_titles(state: StateCore) -> None:
    """``*『脱北、逃避行』*`` and ``『*The Defector*』`` as the title in its
    brackets alone: in Japanese and Korean the brackets already mark a title,
    and the emphasis CJK text gets (bold: it has no italic) makes it shout."""
    for token in state.tokens:
        children = token.children or []
        drop: set[int] = set()
        for i in range(len(children) - 2):
            first, text, last = children[i : i + 3]
            if (first.type, text.type, last.type) != ("em_open", "text", "em_close"):
                continue
            words = text.content
            before = children[i - 1].content if i and children[i - 1].type == "text" else ""
            after = children[i + 3].content if i + 3 < len(children) else ""
            if (len(words) > 1 and TITLE_BRACKETS.get(words[0]) == words[-1]) or (
                before and after and TITLE_BRACKETS.get(before[-1]) == after[:1]
            ):
                drop.update((i, i + 2))
        if drop:
            token.children = [c for i, c in enumerate(children) if i not in drop]


def _render_image(self: object, tokens: list[Token], idx: int, options: object, env: object) -> str:
    """Local images as ``<img>``; remote ones as a link, never fetched."""
    token = tokens[idx]
    src = str(token.attrs.get("src", ""))
    alt = escapeHtml("".join(c.content for c in token.children or []))
    if src.startswith("data:image/") and not alt.strip():
        return _decorative(src, token)
    if src.startswith("data:image/"):  # a Word picture, checked and sized (_embed_picture)
        width = token.attrs.get("data-width")
        style = f' style="width: {escapeHtml(str(width))}mm"' if width else ""
        return f'<img src="{src}" alt="{alt}"{style}>'
    if urlsplit(src).scheme:
        return f'<a class="remote-image" href="{escapeHtml(src)}">{alt or escapeHtml(src)}</a>'
    title = token.attrs.get("title")
    title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
    return f'<img src="{escapeHtml(src)}" alt="{alt}"{title_attr}>'


def _decorative(src: str, token: Token) -> str:
    """A picture without alt text, as a decorative one: a background, which
    the tagged PDF marks as an artifact (an ``<img>`` is a figure, and a
    figure must say what it shows) and screen readers skip on screen too.
    Its box keeps the picture's proportions (``data-ratio``: height per width,
    in percent) at its width in Word (millimetres) or its own (pixels)."""
    width = token.attrs.get("data-width")
    pixels = token.attrs.get("data-pixels")
    ratio = token.attrs.get("data-ratio") or "56.25"
    size = f"{width}mm" if width else f"{pixels}px" if pixels else "100%"
    return (
        f'<span class="decorative-picture" role="presentation" '
        f'style="display: block; width: {size}; max-width: 100%">'
        f'<span style="display: block; padding-top: {escapeHtml(str(ratio))}%; '
        f"background-image: url({escapeHtml(src)}); background-size: 100% 100%; "
        'background-repeat: no-repeat"></span></span>'
    )


def _proportions(data: bytes, mime: str) -> tuple[float, float] | None:
    """(width, height) of a picture the gate admitted, in pixels; None when
    it does not say (an SVG without sizes)."""
    if mime == "image/svg+xml":
        root = fromstring(data)
        box = (root.get("viewBox") or "").replace(",", " ").split()
        try:
            if len(box) == 4:
                return float(box[2]), float(box[3])
            return float(root.get("width", "")), float(root.get("height", ""))
        except ValueError:
            return None
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    return float(width), float(height)


def section_slug(path: Path) -> tuple[str, str | None]:
    """``02-overview.ja.md`` (or ``.docx``) -> (``overview``, ``ja``)."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name  # .md, .docx
    language = None
    base, dot, suffix = stem.rpartition(".")
    if dot and (suffix in LANGUAGES or tag_problem(suffix) is None):
        stem, language = base, suffix  # any tag CLDR knows, as written: .ko.md, .en-GB.md
    return _slugify(re.sub(r"^[0-9]+[-_ .]*", "", stem)) or _slugify(stem) or "section", language


def _slugify(name: str) -> str:
    """Letters and digits of any script (an HTML id may hold them), runs of
    anything else as one hyphen: ``Über uns`` -> ``über-uns``, ``概要`` -> ``概要``."""
    return re.sub(r"[\W_]+", "-", name).strip("-").lower()


def section_slugs(paths: Sequence[Path]) -> dict[Path, str]:
    """Each narrative file's slug, unique in its year: files that differ only
    by their number (``01-notes.md``, ``02-notes.md``) are told apart by it.
    The slug names the section's anchor and its footnotes' ids, and pairs a
    file's translations (``02-overview.en.md`` with ``02-overview.ja.md``)."""
    stems: dict[Path, str] = {}
    slugs: dict[Path, str] = {}
    for path in paths:
        slug, language = section_slug(path)
        stem = path.name[: -len(path.suffix)] if path.suffix else path.name
        stems[path] = stem[: -len(language) - 1] if language else stem
        slugs[path] = slug
    owners: dict[str, set[str]] = {}
    for path, slug in slugs.items():
        owners.setdefault(slug, set()).add(stems[path])
    return {
        path: slug if len(owners[slug]) == 1 else _slugify(stems[path]) or slug
        for path, slug in slugs.items()
    }


def _quotes(language: str) -> str:
    return typography(language).quotes


def render_narrative(
    raw: RawNarrative,
    root: Path,
    diags: Diagnostics,
    main_language: str = "en",
    slug: str | None = None,
    tally: Counter[str] | None = None,
) -> NarrativeSection | None:
    """A narrative file as a section; its quotes are those of the file's own
    language, or for a file every language shares, of ``main_language`` (the
    report's first): marks follow the language the text is written in. Its
    elements are counted into ``tally`` by the names of ``WORKLOAD``."""
    before = len(diags.errors)
    front = _check_front(raw, diags)
    own_slug, language = section_slug(raw.path)
    slug = slug or own_slug
    md = _parser(_quotes(language or main_language))
    env = {"docId": slug}
    tokens = md.parse(raw.body, env)
    if tally is not None:
        tally.update(workload(tokens))
    problem = _structure_problem(tokens)
    if problem is not None:
        diags.error(raw.where(problem[0]), problem[1])
        return None
    title = front.get("title") or _take_first_heading(tokens)
    role = front.get("role")
    if role in ("letter", "email"):  # the two that speak to one donor
        _check_placeholders(raw, diags)
    if role is not None:
        title = title or ""  # a role file's heading is optional: the part has its own
    elif not title:
        title = slug.replace("-", " ").capitalize()
        diags.warning(
            raw.where(0),
            M.NO_TITLE(
                how=M.NO_TITLE_WORD(name=raw.path.name) if raw.places else M.NO_TITLE_MARKDOWN()
            ),
        )
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
        if token.type == "inline" and token.children:
            line = token.map[0] if token.map else 0
            for child in token.children:
                _check_link(child, raw.where(line), root, diags, raw.pictures)
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
    prompts = set(_drop_prompts(tokens))
    # A file of nothing but the prompt is said once (review r35 F-13): it is left out.
    only_prompt = bool(prompts) and _only_headings(tokens)
    for number in sorted(prompts) if not only_prompt else ():
        diags.warning(
            raw.where(number),
            M.TODO_NEVER_PRINTED(),
        )
    for number, text in enumerate(raw.body.split("\n")):
        if text.lstrip().startswith(PROMPT) and number not in prompts:
            diags.warning(
                raw.where(number),
                M.TODO_STILL_THERE(),
            )
    if len(diags.errors) > before:
        return None
    if only_prompt:
        diags.warning(
            raw.where(min(prompts)),
            M.ONLY_PROMPT(),
        )
        return None
    html = md.renderer.render(tokens, md.options, env)
    return NarrativeSection(
        excerpt=excerpt(tokens, md, slug),  # what a summary quotes
        slug=slug,
        title=str(title),
        html=html,
        source=raw.path,
        editions=tuple(str(e) for e in front.get("editions", DOCUMENTS)),  # type: ignore[attr-defined]
        visibility=str(front.get("visibility", PUBLIC)),
        language=language,
        role=None if role is None else str(role),
        summary=str(front.get("summary", "")).strip(),
        donors=None if front.get("donors") is None else _donor_type(str(front["donors"])),
        place=None if front.get("place") is None else str(front["place"]),
    )


def _donor_type(value: str) -> str:
    """``donors:`` of a letter file as one spelling: "person" or "organisation"."""
    return "organisation" if value in ORGANISATION else value


def render_markdown(
    text: str, where: Location, root: Path, diags: Diagnostics, what: str, language: str = "en"
) -> str | None:
    """A Markdown setting (``giving``) as safe HTML, checked like a narrative
    file; its headings sit under a section's (``#`` becomes ``h3``)."""
    before = len(diags.errors)
    md = _parser(_quotes(language))
    env = {"docId": "setting"}
    tokens = md.parse(text, env)
    first = where.line or 1
    problem = _structure_problem(tokens)
    if problem is not None:
        diags.error(
            Location(where.path, first + problem[0]), M.THING_PROBLEM(what=what, problem=problem[1])
        )
        return None
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"
        if token.type == "inline" and token.children:
            line = first + (token.map[0] if token.map else 0)
            for child in token.children:
                _check_link(child, Location(where.path, line), root, diags)
    if len(diags.errors) > before:
        return None
    return str(md.renderer.render(tokens, md.options, env))


def _check_placeholders(raw: RawNarrative, diags: Diagnostics) -> None:
    """Every ``{{placeholder}}`` of a letter file is one the letter fills."""
    for number, text in enumerate(raw.body.split("\n")):
        for match in PLACEHOLDER.finditer(text):
            name = match.group(1)
            if name not in PLACEHOLDERS and not name.startswith(DONOR_PREFIX):
                diags.error(
                    raw.where(number),
                    M.LETTER_PLACEHOLDER(
                        placeholder=match.group(0),
                        known=M.listed("{{" + p + "}}" for p in PLACEHOLDERS),
                        hint=did_you_mean(name, PLACEHOLDERS),
                    ),
                )


def fill_placeholders(text: str, values: dict[str, str], markup: bool = True) -> str:
    """A letter file's HTML (or, without ``markup``, its plain title) with each
    placeholder replaced by its value as plain text, in one pass: a value that
    itself looks like ``{{amount}}`` is shown as written, never filled in turn."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:  # a donor's column left empty (validate checked it exists)
            return "" if name.startswith(DONOR_PREFIX) else match.group(0)
        return str(escape(values[name])) if markup else values[name]

    return PLACEHOLDER.sub(value, text)


def checked_roles(
    sections: list[NarrativeSection], diags: Diagnostics
) -> tuple[tuple[NarrativeSection, ...], tuple[NarrativeSection, ...]]:
    """(sections, role files): at most one file per role, language and type of
    donor (``donors:``)."""
    seen: dict[tuple[str, str | None, str | None], NarrativeSection] = {}
    for section in sections:
        if section.role is None:
            continue
        if section.donors is not None and section.role != "letter":
            diags.warning(Location(section.source), M.DONORS_ONLY_LETTER(role=section.role))
        key = (section.role, section.language, section.donors)
        if key in seen:
            diags.error(
                Location(section.source),
                M.ROLE_TWICE(role=section.role, other=seen[key].source.name),
            )
        seen.setdefault(key, section)
    return (
        tuple(s for s in sections if s.role is None),
        tuple(s for s in sections if s.role is not None),
    )


def role_for(
    roles: tuple[NarrativeSection, ...], role: str, language: str, donors: str | None = None
) -> NarrativeSection | None:
    """The file that gives ``role`` in ``language``: its own, else the shared one.
    With ``donors`` (a letter to an organisation), a file for that type of donor
    comes first; a file for another type never serves."""
    fitting = [s for s in roles if s.role == role and s.donors in (donors, None)]
    ranked = sorted(fitting, key=lambda s: (s.donors is None, s.language is None))
    for section in ranked:
        if section.language in (language, None):
            return section
    return None


# Where a section may be placed (``place:``): the donor edition's first or last.
PLACES = ("lead", "end")
# The values of ``donors:`` in a letter file's front matter.
DONOR_TYPES = ("person", "organisation", "organization")


def front_problem(key: str, value: object) -> str | None:
    """Why ``summary``, ``donors`` or ``place`` of front matter is wrong, or ``None``."""
    if key == "place":
        if value in PLACES:
            return None
        return M.VALUE_NOT_ONE_OF(value=value, choices="lead, end",
                                  hint=did_you_mean(str(value), PLACES))  # fmt: skip
    if key == "summary":
        ok = isinstance(value, str) and bool(value.strip()) and len(value) <= SUMMARY_MAX
        return None if ok else M.SUMMARY_TOO_LONG(most=SUMMARY_MAX)
    if value in DONOR_TYPES:
        return None
    return M.VALUE_NOT_ONE_OF(value=value, choices="person, organisation",
                              hint=did_you_mean(str(value), DONOR_TYPES))  # fmt: skip


# A handout summary is a few lines the director writes: longer would not fit
# the handout's second side beside the charts.
SUMMARY_MAX = 400


def workload(tokens: list[Token]) -> Counter[str]:
    """How many of each kind of element of ``WORKLOAD`` the tokens hold."""
    names = {kind: name for name, kinds, _ in WORKLOAD for kind in kinds}
    found: Counter[str] = Counter()
    todo = [tokens]
    while todo:
        for token in todo.pop():
            if token.type in names:
                found[names[token.type]] += 1
            if token.children:
                todo.append(token.children)
    return found


def check_workload(
    files: list[tuple[Path, str | None, Counter[str]]],
    languages: tuple[str, ...],
    diags: Diagnostics,
) -> None:
    """An error for each kind of element of which one language's documents
    would hold more than ``WORKLOAD`` allows. ``files``: (narrative file, its
    language or ``None`` when every language shares it, its tally). Located
    at the file that holds the most of them; the message names every file
    that adds some, with its count."""
    for language in languages or ("",):
        mine = [(path, tally) for path, own, tally in files if own in (None, language or own)]
        for name, _, limit in WORKLOAD:
            counts = sorted(((t[name], p) for p, t in mine if t[name]), key=lambda c: -c[0])
            total = sum(count for count, _ in counts)
            if total <= limit:
                continue
            most, where = counts[0]
            if most == total:
                diags.error(
                    Location(where),
                    M.WORKLOAD_ONE_FILE(total=total, name=name, limit=limit),
                )
                continue
            each = ", ".join(f"{p.name} {c:,}" for c, p in counts[:5])
            each += M.WORKLOAD_MORE_FILES(count=len(counts) - 5) if len(counts) > 5 else ""
            what = M.THE_LANGUAGE_DOCUMENTS(language=language) if language else M.THE_DOCUMENTS()
            diags.error(
                Location(where),
                M.WORKLOAD_FILES(what=what, total=total, name=name, each=each, limit=limit),
            )


def _structure_problem(tokens: list[Token]) -> tuple[int, str] | None:
    """(body line, 0-based; message) of the first place where elements nest past
    ``MAX_NESTING``, or an entity such as ``&#12;`` decodes to a character that
    is not text (the file itself was checked when read).

    Walked with a stack, not recursion: emphasis such as ``*`` x 1000 nests
    hundreds deep, which markdown-it's maxNesting does not bound."""
    todo: list[tuple[list[Token], int, int]] = [(tokens, 0, 0)]
    while todo:
        stream, depth, line = todo.pop()
        for token in stream:
            if token.map:
                line = token.map[0]
            depth += token.nesting
            if depth > MAX_NESTING:
                return line, (
                    f"the Markdown here nests more than {MAX_NESTING} levels deep (lists, "
                    "quotes, emphasis, links inside one another): simplify it"
                )
            for text in (token.content, *map(str, token.attrs.values())):
                found = forbidden_in(text)
                if found is not None:
                    return line, (
                        f"a character reference here stands for {describe(found[1])}, "
                        "which is not text: delete it"
                    )
            if token.children:
                todo.append((token.children, depth, line))
    return None


def _check_front(raw: RawNarrative, diags: Diagnostics) -> dict[str, object]:
    front = dict(raw.front)
    where = Location(raw.path, raw.front_line)
    for key in list(front):
        if key not in FRONT_KEYS:
            guarded = guarded_lookalike(key, GUARDED_FRONT_KEYS)
            if guarded is not None:  # a misspelt 'visiblity: internal' would publish it
                diags.error(
                    where,
                    M.FRONT_GUARDED(key=key, guarded=guarded),
                )
            else:
                diags.warning(
                    where, M.FRONT_UNKNOWN_KEY(key=key, hint=did_you_mean(key, FRONT_KEYS))
                )
            del front[key]
    if "role" in front:
        role = front["role"]
        if role not in ROLES:
            diags.error(
                where,
                M.FRONT_NOT_ONE_OF(
                    key="role",
                    value=role,
                    choices=M.listed(ROLES),
                    hint=did_you_mean(str(role), ROLES),
                ),
            )
            del front["role"]
        elif front.get("visibility") == "internal":
            diags.error(
                where,
                M.ROLE_NOT_INTERNAL(role=role),
            )
    if "title" in front and not (isinstance(front["title"], str) and front["title"].strip()):
        diags.error(where, M.FRONT_TITLE_EMPTY())
        del front["title"]
    for key in ("summary", "donors", "place"):
        problem = front_problem(key, front[key]) if key in front else None
        if problem is not None:
            diags.error(where, M.FRONT_KEY_PROBLEM(key=key, problem=problem))
            del front[key]
    if "visibility" in front and front["visibility"] not in VISIBILITY:
        diags.error(
            where,
            M.FRONT_NOT_ONE_OF(
                key="visibility",
                value=front["visibility"],
                choices="public, internal",
                hint=did_you_mean(str(front["visibility"]), VISIBILITY),
            ),
        )
    if "editions" in front:
        value = front["editions"]
        items = value if isinstance(value, list) else [value]
        for item in items:
            if item not in DOCUMENTS:
                diags.error(
                    where,
                    M.FRONT_NOT_ONE_OF(
                        key="editions",
                        value=item,
                        choices=M.listed(DOCUMENTS),
                        hint=did_you_mean(str(item), DOCUMENTS),
                    ),
                )
        front["editions"] = [i for i in items if i in DOCUMENTS]
    return front


def _drop_prompts(tokens: list[Token]) -> list[int]:
    """Remove each top-level paragraph that is a ``reportgen new`` prompt
    ("TODO: write ..."); the body lines (0-based) they stood on."""
    found: list[int] = []
    depth = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (token.type == "paragraph_open" and depth == 0
                and tokens[index + 1].content.lstrip().startswith(PROMPT)):  # fmt: skip
            found.append(token.map[0] if token.map else 0)
            del tokens[index : index + 3]
            continue
        depth += token.nesting
        index += 1
    return found


def _only_headings(tokens: list[Token]) -> bool:
    """Whether nothing but headings is left (a section without text)."""
    inside = False
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            inside = token.type == "heading_open"
        elif not inside:
            return False
    return True


def _take_first_heading(tokens: list[Token]) -> str | None:
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[i + 1]
            # The plain text of the heading: emphasis and code marks are not part of it.
            title = "".join(
                c.content for c in inline.children or [] if c.type in ("text", "code_inline")
            ).strip()
            del tokens[i : i + 3]
            return title or None
    return None


def _check_link(
    token: Token,
    where: Location,
    root: Path,
    diags: Diagnostics,
    pictures: Mapping[str, Picture] | None = None,
) -> None:
    attr = {"link_open": "href", "image": "src"}.get(token.type)
    if attr is None:
        return
    url = str(token.attrs.get(attr, ""))
    what = "image" if token.type == "image" else "link"
    said = M.WHAT_IMAGE() if what == "image" else M.WHAT_LINK()
    if url.startswith("#") and what == "link" and len(url) > 1:
        _internal_link(token, url[1:], where, diags)
        return
    if not url or url.startswith("#"):
        return
    parts = urlsplit(url)
    if what == "image" and parts.scheme == WORD_PICTURE and parts.path in (pictures or {}):
        _embed_picture(token, (pictures or {})[parts.path], parts.fragment)
        return
    source = where.path
    if parts.scheme:
        if parts.scheme.lower() in SAFE_SCHEMES and (what == "link" or parts.scheme != "mailto"):
            return  # a remote image is rendered as a link (see _render_image)
        diags.error(
            where,
            M.URL_NOT_ALLOWED(what=said, url=url),
        )
        return
    if parts.netloc:
        diags.error(where, M.URL_OTHER_HOST(what=said, url=url))
        return
    target = _resolve_local(unquote(parts.path), source.parent, root)
    if isinstance(target, str):
        diags.error(where, M.URL_PROBLEM(what=said, url=url, problem=target))
        return
    gate = Gate.of(root)
    try:
        gate.locate(str(target), target.parent, M.GATE_IT())
        picture = gate.admit(str(target), target.parent, M.GATE_IT()) if what == "image" else None
    except RefusedResource as exc:
        diags.error(where, M.URL_REFUSED(what=said, url=url, reason=exc.reason))
        return
    if picture is not None and not "".join(c.content for c in token.children or []).strip():
        diags.warning(
            where,
            M.IMAGE_NO_ALT(url=url),
        )
        token.attrs["src"] = picture.data_uri  # drawn as a background (_decorative)
        size = _proportions(picture.data, picture.mime_type)
        if size and size[0] > 0 and size[1] > 0:
            token.attrs["data-pixels"] = f"{size[0]:.0f}"
            token.attrs["data-ratio"] = f"{100 * size[1] / size[0]:.3f}"
        return
    rel = Path(os.path.relpath(target, root.resolve())).as_posix()
    token.attrs[attr] = rel + (f"#{parts.fragment}" if parts.fragment else "")


def _internal_link(token: Token, target: str, where: Location, diags: Diagnostics) -> None:
    """A link to a part of the report: marked, so that an edition without that
    part prints its text unlinked (``page_anchors``); a target no page can have is
    a warning."""
    token.attrs["class"] = AUTHORED
    if target.startswith("s-") or target in PAGE_ANCHORS:
        return
    diags.warning(
        where,
        M.LINK_NOWHERE(target=target, anchors=M.listed("#" + a for a in sorted(PAGE_ANCHORS))),
    )


def _embed_picture(token: Token, picture: Picture, size: str) -> None:
    """A Word picture as a data URI (nothing to fetch, nothing written beside
    the input), at the width Word gave it; CSS keeps it inside the column."""
    payload = base64.b64encode(picture.data).decode("ascii")
    token.attrs["src"] = f"data:{picture.mime};base64,{payload}"
    match = _SIZE.fullmatch(size)
    if match:
        token.attrs["data-width"] = match.group(1)
        if float(match.group(1)) > 0:
            token.attrs["data-ratio"] = f"{100 * float(match.group(2)) / float(match.group(1)):.3f}"
    if "data-ratio" not in token.attrs:
        found = _proportions(picture.data, picture.mime)
        if found and found[0] > 0 and found[1] > 0:
            token.attrs["data-ratio"] = f"{100 * found[1] / found[0]:.3f}"


def _resolve_local(path: str, here: Path, root: Path) -> Path | M.Text:
    """The file a relative link names, beside the Markdown file or else from
    the year folder, inside the year folder; else why not, as text."""
    if path.startswith("/"):
        return M.LINK_ABSOLUTE()
    allowed = root.resolve()
    inside = False
    for base in (here, root):
        resolved = Path(os.path.normpath(base / path)).resolve()
        if not resolved.is_relative_to(allowed):
            continue
        inside = True
        if resolved.is_file():
            return resolved
    return M.LINK_NOT_FOUND() if inside else M.LINK_LEAVES()
