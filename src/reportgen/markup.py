"""HTML pages as a parser reads them: lxml's HTML parser in, HTML text out.

The steps that change a finished page before a renderer (``typeset``, the
links of ``anchors``, the pictures ``html.inline_images`` inlines) work on
the tree lxml parses, never on the text with regular expressions: a ``>``
inside a quoted attribute, a link inside a comment and the text of a
``<script>`` or ``<style>`` are then what a browser takes them for.

The tree is written back by ``serialize``, not by lxml's own HTML writer:
libxml2's writer percent-escapes every non-ASCII character of an ``href`` or
``src`` (``#s-概要`` becomes ``#s-%E6%A6%82%E8%A6%81``, which no longer names
the section's id), and its parser lowercases the names of inline SVG
(``viewBox``, ``clipPath``), which the writer gives back as they are
restored here (the names an HTML parser adjusts when it meets them, from the
HTML standard's tables).
"""

from __future__ import annotations

from collections.abc import Iterator

import lxml.etree
import lxml.html
from tinyhtml5.constants import adjust_svg_attributes

# Elements without content or end tag (HTML standard, "void elements").
VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})  # fmt: skip
# Elements whose text is raw: written as it stands, never escaped.
RAW_TEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "plaintext"})
# SVG element names in their case (HTML standard, "adjust SVG element names").
SVG_ELEMENTS = {
    name.lower(): name
    for name in (
        "altGlyph", "altGlyphDef", "altGlyphItem", "animateColor", "animateMotion",
        "animateTransform", "clipPath", "feBlend", "feColorMatrix", "feComponentTransfer",
        "feComposite", "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap",
        "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG",
        "feFuncR", "feGaussianBlur", "feImage", "feMerge", "feMergeNode", "feMorphology",
        "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile",
        "feTurbulence", "foreignObject", "glyphRef", "linearGradient", "radialGradient",
        "textPath",
    )
}  # fmt: skip
_PARSER = lxml.html.HTMLParser(default_doctype=False, huge_tree=True)


class Page:
    """A page (a whole document, or a fragment of one) parsed into a tree."""

    def __init__(self, text: str) -> None:
        head = text.lstrip()[:9].lower()
        self.end = text[len(text.rstrip()) :]  # the parser drops what follows </html>
        self.whole = head.startswith(("<!doctype", "<html"))
        if self.whole:
            self.root = lxml.html.document_fromstring(text, parser=_PARSER)
            self.doctype = self.root.getroottree().docinfo.doctype
        else:
            self.root = lxml.html.fragment_fromstring(text, create_parent="div", parser=_PARSER)
            self.doctype = ""

    def elements(self, tag: str | None = None) -> Iterator[lxml.html.HtmlElement]:
        """The page's elements (those named ``tag``) in document order."""
        for element in self.root.iter(tag) if tag else self.root.iter():
            if isinstance(element.tag, str):
                yield element

    def text(self) -> str:
        """The page as HTML again."""
        out: list[str] = [self.doctype + "\n"] if self.doctype else []
        if self.whole:
            _write(self.root, out, False)
            out.append(self.end)
        else:  # the fragment's own content, without the parent made for it
            _content(self.root, out, False)
        return "".join(out)


def parse(text: str) -> Page:
    return Page(text)


def _write(element: lxml.html.HtmlElement, out: list[str], svg: bool) -> None:
    tag = element.tag
    if not isinstance(tag, str):  # a comment or a processing instruction
        if tag is lxml.etree.Comment:
            out.append(f"<!--{element.text or ''}-->")
        elif tag is lxml.etree.ProcessingInstruction:
            out.append(f"<?{element.text or ''}>")
        out.append(_escape(element.tail or ""))
        return
    svg = svg or tag == "svg"
    name = SVG_ELEMENTS.get(tag, tag) if svg else tag
    out.append(f"<{name}")
    for key, value in element.attrib.items():
        key = adjust_svg_attributes.get(key, key) if svg else key
        out.append(f' {key}="{_attribute(value)}"')
    if svg and not len(element) and not element.text:
        out.append("/>")  # SVG's own way to write an empty element
    elif tag in VOID:
        out.append(">")
    else:
        out.append(">")
        if tag in RAW_TEXT and not svg:
            out.append(element.text or "")
        else:
            _content(element, out, svg)
        out.append(f"</{name}>")
    out.append(_escape(element.tail or ""))


def _content(element: lxml.html.HtmlElement, out: list[str], svg: bool) -> None:
    out.append(_escape(element.text or ""))
    for child in element:
        _write(child, out, svg)


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    return text.replace(">", "&gt;") if ">" in text else text


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;")
