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
from typing import Any
from xml.etree import ElementTree

import lxml.etree
import lxml.html
import tinyhtml5
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
# Attribute names of inline SVG with a namespace (as a WHATWG parser gives them).
_PREFIXES = {
    "http://www.w3.org/1999/xlink": "xlink:",
    "http://www.w3.org/XML/1998/namespace": "xml:",
    "http://www.w3.org/2000/xmlns/": "xmlns:",
}


def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(default_doctype=False, huge_tree=True)


class Page:
    """A page (a whole document, or a fragment of one) parsed into a tree."""

    def __init__(self, text: str) -> None:
        self.end = text[len(text.rstrip()) :]  # the parser drops what follows </html>
        lowered = text.lower()  # a page, wherever its <html> stands (a theme's may be late)
        self.whole = "<html" in lowered or "<!doctype" in lowered
        if self.whole:
            parser = _parser()
            self.root = lxml.html.document_fromstring(text, parser=parser)
            if any(e.type_name == "HTML_STRUCURE_ERROR" for e in parser.error_log):
                # A <html>, <head> or <body> tag after content: libxml2 drops
                # it with its attributes (the page's lang), where a browser
                # adds them to the element it made. Read as a browser reads
                # it (tinyhtml5, the WHATWG algorithm: slower, and only here).
                text = _as_a_browser_reads(text)
                self.root = lxml.html.document_fromstring(text, parser=_parser())
            self.doctype = self.root.getroottree().docinfo.doctype
        else:
            self.root = lxml.html.fragment_fromstring(text, create_parent="div", parser=_parser())
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


def _as_a_browser_reads(text: str) -> str:
    """``text`` as the tree a browser builds from it, written out again."""
    out = ["<!DOCTYPE html>\n"]
    _write(tinyhtml5.parse(text, namespace_html_elements=False), out, False)
    return "".join(out)


def _write(element: Any, out: list[str], svg: bool) -> None:
    """``element`` (of lxml's tree, or of tinyhtml5's) as HTML, into ``out``."""
    tag = element.tag
    if not isinstance(tag, str):  # a comment or a processing instruction
        if tag is lxml.etree.Comment or tag is ElementTree.Comment:
            out.append(f"<!--{element.text or ''}-->")
        elif tag is lxml.etree.ProcessingInstruction:
            out.append(f"<?{element.text or ''}>")
        out.append(_escape(element.tail or ""))
        return
    tag = tag.rpartition("}")[2]  # a WHATWG parser's SVG is in its namespace
    svg = svg or tag == "svg"
    name = SVG_ELEMENTS.get(tag, tag) if svg else tag
    out.append(f"<{name}")
    for key, value in element.attrib.items():
        if key.startswith("{"):
            space, _, local = key[1:].partition("}")
            key = _PREFIXES.get(space, "") + local
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


def _content(element: Any, out: list[str], svg: bool) -> None:
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
