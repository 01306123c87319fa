"""Render an edition's HTML from its context: for print (the PDF's source) or
for the screen (the self-contained HTML edition).

The two media share the templates; they differ in the stylesheet, in how
charts are embedded (an ``<img>`` with alt text for the tagged PDF, inline SVG
followed by its data table on screen) and in that the screen edition inlines
every image as a data URI, so that opening it fetches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reportgen import languages
from reportgen.context import RenderContext
from reportgen.errors import RenderError
from reportgen.gate import Gate, RefusedResource
from reportgen.templating import extra_css, render, stylesheet
from reportgen.theme import Palette
from reportgen.typeset import typeset

_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")')


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
    )  # fmt: skip
    return variables + stylesheet("report.css") + own + page + _extra(theme)


@dataclass(frozen=True)
class ThemeFolder:
    """A report's theme folder (``theme_dir``) and the gate its files pass."""

    folder: Path
    gate: Gate


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


def render_html(
    ctx: RenderContext, medium: str, template: str, theme: ThemeFolder | None = None
) -> RenderedHtml:
    css = css_for(ctx.palette, ctx.page_size, ctx.font, medium, theme, ctx.language)
    folder = theme.folder if theme else None
    html = render(template, folder, ctx=ctx, medium=medium, css=css)
    return RenderedHtml(ctx.edition, medium, typeset(html, ctx.language, medium))


def theme_of(root: Path, folder: Path | None) -> ThemeFolder | None:
    """The theme of the year at ``root``, when its settings name one."""
    return None if folder is None else ThemeFolder(folder, Gate.of(root))


def inline_images(html: str, root: Path, gate: Gate) -> str:
    """Every local ``<img src>`` replaced by a data URI (screen edition), each
    through the gate; validation refused already what the gate refuses, so a
    refusal here is a failure, never a picture left out."""

    def replace(match: re.Match[str]) -> str:
        url = match.group(2).replace("&amp;", "&")
        if url.startswith("data:"):
            return match.group(0)
        try:
            uri = gate.fetch(url, base=root).data_uri
        except RefusedResource as exc:
            raise RenderError(f"a picture of the page was refused: {exc}") from None
        return f"{match.group(1)}{uri}{match.group(3)}"

    return _IMG_SRC.sub(replace, html)


# The HTML edition runs no script and fetches nothing. The page says so itself,
# as the first element of its head, so that a theme's template (untrusted, like
# the rest of the report folder) cannot make a reader's browser run a script or
# call out: an inline <script>, an on* attribute or a javascript: link is
# blocked by the browser, whatever the template printed.
PAGE_POLICY = (
    "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)
POLICY_META = f'<meta http-equiv="Content-Security-Policy" content="{PAGE_POLICY}">'
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_DOCTYPE = re.compile(r"\s*<!doctype[^>]*>", re.IGNORECASE)
# What may stand before <head> without running anything: the doctype, comments,
# the <html> start tag and white space.
_HARMLESS_PREFIX = re.compile(
    r"(?:\s|<!doctype[^>]*>|<!--.*?-->|<html\b[^<>]*>)*", re.IGNORECASE | re.DOTALL
)


def locked_down(page: str) -> str:
    """``page`` with the policy as the first element of its head."""
    head = _HEAD.search(page)
    if head and _HARMLESS_PREFIX.fullmatch(page[: head.start()]):
        return page[: head.end()] + POLICY_META + page[head.end() :]
    # A template that writes something before its head: the policy goes first
    # (after the doctype, which must stay first), and the parser puts it in the
    # head it opens for it.
    doctype = _DOCTYPE.match(page)
    cut = doctype.end() if doctype else 0
    return page[:cut] + POLICY_META + page[cut:]
