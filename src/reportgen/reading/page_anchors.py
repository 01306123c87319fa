"""Links inside a page: every ``href="#x"`` of an edition's final HTML must
name an ``id`` of that same page, or WeasyPrint stops on "No anchor #x".

Runs on the finished HTML of every edition and medium (and of the letters),
just before the renderer. A link the report's own narrative wrote
(``[see the figures](#key-figures)``, marked ``internal-link`` by
``narrative_html``) to a part that this edition leaves out keeps its text and
loses its link: the handout has no full sections to link to. So does any
link of a page made with a theme's templates (``theme_dir``), which decide
what the page has (a theme that leaves out ``<main id="content">`` leaves the
skip link without its target). Without a theme, any other link without its
target (a footnote, a contents entry) is a fault of reportgen's, raised as
``RenderError`` with the anchor named. One pass over the page.
"""

from __future__ import annotations

from reportgen.core import markup
from reportgen.core import messages as M
from reportgen.core.errors import RenderError

# The class ``narrative_html`` gives a Markdown link to a part of the report.
AUTHORED = "internal-link"
# Links the narrative's own text makes: its links to parts of the report, and
# a footnote's way back to its mark (which a heading taken as the section's
# title, or an excerpt, may not carry).
AUTHORED_CLASSES = (AUTHORED, "footnote-backref")
# The ids the built-in templates give the parts of a page, which a narrative
# may link to besides a section (``#s-<slug>``); which of them a page has
# depends on its edition and data.
PAGE_ANCHORS = frozenset({
    "content", "key-figures", "activities", "coalitions", "lobbying", "finances", "people",
    "charts", "summaries", "highlights", "thank-you", "how-to-give",
})  # fmt: skip


def resolved(page: str, document: str, themed: bool = False) -> str:
    """``page`` with the narrative's links (and with ``themed``, every link) to
    parts it lacks made plain text; ``RenderError`` for any other link to an
    anchor the page does not have. The page is parsed (lxml), so that a
    link inside a comment or a script's text is none, and a quoted ``>``
    ends no tag; it is written again only when a link was unmade."""
    parsed = markup.parse(page)
    # What a link can name: an element's id, an <a name> (as WeasyPrint reads them).
    ids = {e.get("id") for e in parsed.elements() if e.get("id") is not None}
    ids |= {a.get("name") for a in parsed.elements("a") if a.get("name") is not None}
    missing: list[str] = []
    unlinked = False
    for link in parsed.elements("a"):
        href = link.get("href", "")
        if not href.startswith("#") or len(href) == 1 or href[1:] in ids:
            continue
        if themed or set(link.get("class", "").split()) & set(AUTHORED_CLASSES):
            del link.attrib["href"]
            unlinked = True
        else:
            missing.append(href[1:])
    if missing:
        shown = ", ".join(f"#{m}" for m in dict.fromkeys(missing))
        raise RenderError(M.MISSING_ANCHOR(document=document, shown=shown))
    return parsed.text() if unlinked else page
