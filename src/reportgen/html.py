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

from reportgen.context import RenderContext
from reportgen.errors import RenderError
from reportgen.gate import Gate, RefusedResource
from reportgen.templating import environment, stylesheet
from reportgen.theme import Palette

MEDIA = ("print", "screen")
_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]+)(")')


@dataclass(frozen=True)
class RenderedHtml:
    edition: str
    medium: str
    html: str


PAGE_HEIGHTS = {"A4": "297mm", "Letter": "279.4mm"}


def css_for(palette: Palette, page_size: str, font: str, medium: str) -> str:
    """The stylesheet of a medium, with the theme's values filled in."""
    variables = f":root{{{palette.css_variables()}--font-body:'{font}';}}\n"
    if medium == "screen":
        return variables + stylesheet("report.css", "screen.css")
    template = environment().get_template("css/print.css.j2")
    page = template.render(
        page_size=page_size,
        page_height=PAGE_HEIGHTS[page_size],
        palette=palette,
        font_stack=f"'{font}', 'Noto Sans', 'Noto Sans CJK JP', sans-serif",
    )
    return variables + stylesheet("report.css") + page


def letter_css(palette: Palette, page_size: str, font: str) -> str:
    """The small stylesheet of a personalised letter page."""
    return (
        environment()
        .get_template("css/letter.css.j2")
        .render(
            page_size=page_size,
            palette=palette,
            font_stack=f"'{font}', 'Noto Sans', 'Noto Sans CJK JP', sans-serif",
        )
    )


def render_html(ctx: RenderContext, medium: str, template: str) -> RenderedHtml:
    css = css_for(ctx.palette, ctx.page_size, ctx.font, medium)
    html = environment().get_template(template).render(ctx=ctx, medium=medium, css=css)
    return RenderedHtml(ctx.edition, medium, html)


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
