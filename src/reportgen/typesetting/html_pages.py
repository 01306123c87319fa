"""Render an edition's HTML from its context: for print (the PDF's source) or
for the screen (the self-contained HTML edition).

The two media share the templates; they differ in the stylesheet, in how
charts are embedded (an ``<img>`` with alt text for the tagged PDF, inline SVG
followed by its data table on screen) and in that the screen edition inlines
every image as a data URI, so that opening it fetches nothing.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

from reportgen.composing.page_context import RenderContext
from reportgen.composing.palette import Palette
from reportgen.core import languages, markup
from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostic, Location, Severity
from reportgen.core.errors import RenderError
from reportgen.core.file_gate import Gate, RefusedResource
from reportgen.core.private_apis import html_parser_patterns_kept
from reportgen.typesetting.templating import ThemeFailed, extra_css, render, safe_style, stylesheet
from reportgen.typesetting.typeset import proper_names, typeset


@dataclass(frozen=True)
class RenderedHtml:
    edition: str
    medium: str
    html: str


PAGE_HEIGHTS = {"A4": "297mm", "Letter": "279.4mm"}


def css_for(
    palette: Palette,
    page_size: str,
    font: str,
    medium: str,
    theme: ThemeFolder | None = None,
    language: str = "en",
) -> str:
    """The stylesheet of a medium, with the theme's values filled in, the
    language pack's rules (faces, line breaking), and the report's own
    ``extra.css`` after the built-in rules."""
    variables = f":root{{{palette.css_variables()}--font-body:'{font}';}}\n"
    folder = theme.folder if theme else None
    own = languages.css(language, medium)
    if medium == "screen":
        return variables + stylesheet("report.css", "screen.css") + own + _extra(theme)
    page = render(
        "css/print.css.j2", folder,
        page_size=page_size,
        page_height=PAGE_HEIGHTS[page_size],
        palette=palette,
        font_stack=languages.font_stack(font, [language]),
        margin_stack=languages.font_stack(font, [language], own_first=True),
    )  # fmt: skip
    return variables + stylesheet("report.css") + own + page + _extra(theme)


@dataclass(frozen=True)
class ThemeFolder:
    """A report's theme folder (``theme_dir``) and the gate its files pass."""

    folder: Path
    gate: Gate

    def made(self, name: str) -> Path:
        """Where a problem of the page template ``name`` made is reported: the
        theme's own file of that name, else the theme folder."""
        own = self.folder / name
        return own if own.is_file() else self.folder


def _extra(theme: ThemeFolder | None) -> str:
    if theme is None:
        return ""
    css = extra_css(theme.folder, theme.gate)
    return f"\n/* extra.css */\n{css}" if css else ""


def letter_css(
    palette: Palette,
    page_size: str,
    font: str,
    theme: ThemeFolder | None = None,
    tags: tuple[str, ...] = ("en",),
) -> str:
    """The small stylesheet of personalised letter pages in the report's
    languages ``tags`` (and ``extra.css``)."""
    return render(
        "css/letter.css.j2", theme.folder if theme else None,
        page_size=page_size,
        palette=palette,
        font_stack=languages.font_stack(font, tags),
    ) + "".join(languages.css(t, "print") for t in tags) + _extra(theme)  # fmt: skip


def receipt_css(
    palette: Palette,
    page_size: str,
    font: str,
    theme: ThemeFolder | None = None,
    tag: str = "en",
) -> str:
    """The stylesheet of a receipt in language ``tag`` (and ``extra.css``);
    the language's rules name the theme's font as ``--font-body``."""
    return f":root{{--font-body:'{font}';}}\n" + render(
        "css/receipt.css.j2", theme.folder if theme else None,
        page_size=page_size,
        palette=palette,
        font_stack=languages.font_stack(font, (tag,)),
    ) + languages.css(tag, "print") + _extra(theme)  # fmt: skip


def render_html(
    ctx: RenderContext,
    medium: str,
    template: str,
    theme: ThemeFolder | None = None,
    *,
    fit: bool = False,
) -> RenderedHtml:
    """The page of ``template`` for ``medium``; with ``fit``, as copy-fitting
    sets it a little tighter (the template marks its body so: base.html.j2)."""
    css = safe_style(css_for(ctx.palette, ctx.page_size, ctx.font, medium, theme, ctx.language))
    folder = theme.folder if theme else None
    html = render(template, folder, ctx=ctx, medium=medium, css=css, fit=fit)
    if theme is not None and medium == "print":
        # The same rule for the PDF's source (the HTML edition is checked as
        # it is locked down): a theme's error before WeasyPrint ever runs.
        refuse_unsafe(_PREFIX + html, theme.made(template))
    people = (name for _, group in ctx.people for name, _ in group)
    names = proper_names(ctx.organization, ctx.signatories, people)
    return RenderedHtml(ctx.edition, medium, typeset(html, ctx.language, medium, names))


def theme_of(root: Path, folder: Path | None) -> ThemeFolder | None:
    """The theme of the year at ``root``, when its settings name one."""
    return None if folder is None else ThemeFolder(folder, Gate.of(root))


def inline_images(html: str, root: Path, gate: Gate) -> str:
    """Every local ``<img src>`` replaced by a data URI (screen edition), each
    through the gate; validation refused already what the gate refuses, so a
    refusal here is a failure, never a picture left out. The page is parsed
    (lxml): an ``<img>`` in a comment or a script's text is none. Before
    ``locked_down``, whose policy comes before the page's ``<html>``."""
    parsed = markup.parse(html)
    changed = False
    for image in parsed.elements("img"):
        url = image.get("src")
        if not url or url.startswith("data:"):
            continue
        try:
            image.set("src", gate.fetch(url, base=root).data_uri)
        except RefusedResource as exc:
            raise RenderError(M.PICTURE_REFUSED(reason=exc.reason)) from None
        changed = True
    return parsed.text() if changed else html


# The HTML edition runs no script and fetches nothing. A theme's templates are
# untrusted like the rest of the report folder, so the finished page is parsed
# the way a browser parses it (tinyhtml5, the WHATWG algorithm) and refused
# when it holds anything that runs, fetches or redirects; the policy below is
# a second wall, placed where a parser must take it as the head's first
# element.
PAGE_POLICY = (
    "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)
POLICY_META = f'<meta http-equiv="Content-Security-Policy" content="{PAGE_POLICY}">'
REFERRER_META = '<meta name="referrer" content="no-referrer">'
# The doctype and then the policy: in the HTML parsing algorithm a <meta>
# before anything else opens the <html> and <head> elements and is their
# first child; the page's own <html> and <head> tags that follow only add
# their attributes. Nothing a template writes can come before it.
_PREFIX = "<!DOCTYPE html>" + POLICY_META + REFERRER_META
# Elements a page of the report never has: they run code, load another
# document, change where links go, or are parsed differently by a browser
# that runs scripts (noscript, template and the raw-text elements).
REFUSED_ELEMENTS = frozenset({
    "script", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
    "applet", "base", "link", "portal", "xmp", "noembed", "noframes", "plaintext",
})  # fmt: skip
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "background"})
_UNSAFE_SCHEME = re.compile(r"^(?:javascript|vbscript|data:text/html)", re.IGNORECASE)
_IGNORED_IN_URL = re.compile(r"[\x00-\x20]")  # what a browser skips in a scheme


def locked_down(page: str, template: Path | None = None) -> str:
    """``page`` with the policy as its head's first element, once the parsed
    page is found to hold no script, no ``meta http-equiv``, no event handler
    and no element that loads or redirects. ``template``: the theme's
    template that made the page, where a refusal is reported
    (``ThemeFailed``); without one the page is reportgen's own, and a refusal
    is a bug (``RenderError``)."""
    own = page.lstrip("\ufeff \t\r\n")
    if own[:15].lower() == "<!doctype html>":
        own = own[15:]  # the prefix's doctype is the page's (a second is ignored anyway)
    document = _PREFIX + own
    refuse_unsafe(document, template)
    return document


def refuse_unsafe(document: str, template: Path | None) -> None:
    """Raise when ``document`` holds anything ``unsafe_markup`` finds: a
    located problem of the theme's ``template``, or without one a bug."""
    problems = unsafe_markup(document)
    if problems:
        if template is None:
            raise RenderError(M.HTML_EDITION_HOLDS(problem=problems[0][1]))

        raise ThemeFailed([
            Diagnostic(Severity.ERROR, _line_of(template, needle),
                       M.TEMPLATE_HTML_FORBIDDEN(problem=problem))
            for needle, problem in problems
        ])  # fmt: skip


def _line_of(template: Path, needle: str) -> Location:
    """The template's first line that holds ``needle`` (any case): where the
    markup most likely comes from; the file alone when no line does."""
    if template.is_file():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            lines = template.read_text("utf-8").lower().splitlines()
            for number, line in enumerate(lines, 1):
                if needle.lower() in line:
                    return Location(template, number)
    return Location(template)


def unsafe_markup(document: str) -> list[tuple[str, str]]:
    """What in ``document``, parsed as a browser does, could run, load or
    redirect; and the policy not being the head's first element: (text to
    look for in a template, what it is) pairs."""
    import tinyhtml5

    html_parser_patterns_kept()
    tree = tinyhtml5.parse(document, namespace_html_elements=False)
    found: list[tuple[str, str]] = []
    head = tree.find("head")
    first = head[0] if head is not None and len(head) else None
    if first is None or first.tag != "meta" or first.get("content") != PAGE_POLICY:
        found.append(("<head", "a head whose first element is not the page's security policy"))
    for element in tree.iter():
        if not isinstance(element.tag, str):  # a comment
            continue
        tag = element.tag.rpartition("}")[2].lower()
        if tag in REFUSED_ELEMENTS:
            found.append((f"<{tag}", f"a <{tag}> element"))
        if tag == "meta" and "http-equiv" in element.attrib and element is not first:
            what = f'a <meta http-equiv="{element.get("http-equiv")}"> element'
            found.append(("http-equiv", what))
        for name, value in element.attrib.items():
            local = str(name).rpartition("}")[2].lower()
            if local.startswith("on"):
                found.append((local, f"an event handler ({local}) on a <{tag}> element"))
            elif local in ("srcdoc", "ping"):
                found.append((local, f"a {local} attribute on a <{tag}> element"))
            elif local in _URL_ATTRIBUTES and _UNSAFE_SCHEME.match(
                _IGNORED_IN_URL.sub("", str(value))
            ):
                found.append((f"{local}=", f"a script address in the {local} of a <{tag}> element"))
    return list(dict.fromkeys(found))
