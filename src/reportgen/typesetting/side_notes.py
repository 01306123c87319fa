"""A narrative's footnotes as side notes, for print.

The print grid (print.css.j2) sets running text in a measure with a side
column beside it. A footnote is read beside where it is called: each note of
a narrative section moves from the list at the section's end to a
``span.side-note-item`` in a ``span.side-note`` just before the paragraph
(or list) that first calls it, which the stylesheet floats into the side
column level with that paragraph's first line; the notes one paragraph calls
share its float. Floats begun inside a line are set over one another by
WeasyPrint, floats between blocks stack. The note keeps the list item's
``id``, so its call still links to it. A picture alone in its paragraph
with a title (Markdown's ``![what it shows](x.jpg "Caption")``) has the
title printed as its caption there too.

A note stays in the list when one of its calls is where a float cannot go
(a table cell, a quote, a heading) or when it holds more than paragraphs (a
list, a table); the list goes only when every note has left it. The screen
keeps its footnotes at the section's end: a phone has no side column.

A pull quote (``> [!pull-quote]``) is written after the paragraph it comes
from; a float stands level with what follows it, so it moves before that
paragraph (and before the paragraph's side notes), beside the words it
quotes rather than beside the next paragraph (review r34: 90 mm below its
source, beside another person's story). Where a quote is set in the measure
(the donor edition) it then follows the paragraph before its source.
"""

from __future__ import annotations

import copy
import re

from lxml.html import Element as html_element
from lxml.html import HtmlElement

# What may stand between a note's call and its section's text: the float
# then sits in a line of the measure.
_INLINE_PATH = frozenset({"p", "li", "ul", "ol", "em", "strong", "span", "a", "sup", "b", "i"})
_BRACKETS = re.compile(r"^\[(.*)\]$")


def side_notes(root: HtmlElement) -> None:
    """Moves the footnotes of every ``section.narrative`` under ``root``
    beside their calls, and sets a picture's title as its caption in the
    side column (see the module)."""
    # A list first: moving a section's notes out of the tree ends a live
    # iteration there, and the sections after it were left as they were.
    for section in list(root.iter("section")):
        if "narrative" not in (section.get("class") or "").split():
            continue
        for notes in list(_with_class(section, "section", "footnotes")):
            _move(section, notes)
        for picture in list(section.iter("img")):
            _caption(picture)
        for quote in list(_with_class(section, "blockquote", "pull-quote")):
            _anchor(quote)


def _anchor(quote: HtmlElement) -> None:
    """A pull quote moved before the paragraph it follows (see the module),
    when that is a paragraph of running text in the same prose."""
    source = quote.getprevious()
    if source is None or source.tag != "p" or source.get("class"):
        return
    if source.find("img") is not None:  # a picture's paragraph: not its words
        return
    target = source
    while (before := target.getprevious()) is not None and "side-note" in (
        before.get("class") or ""
    ).split():
        target = before
    tail = quote.tail
    quote.tail = None
    target.addprevious(quote)
    quote.tail = tail


def _caption(picture: HtmlElement) -> None:
    """A picture's title (``![what it shows](x.jpg "Caption")``) as a
    ``span.side-caption`` floated beside the paragraph that holds it alone."""
    title = (picture.get("title") or "").strip()
    paragraph = picture.getparent()
    if not title or paragraph is None or paragraph.tag != "p" or len(paragraph) != 1:
        return
    if (paragraph.text or "").strip() or (picture.tail or "").strip():
        return
    holder = paragraph.getparent()
    if holder is None or "prose" not in (holder.get("class") or "").split():
        return
    caption = html_element("span", {"class": "side-note side-caption"})
    caption.text = title
    paragraph.addprevious(caption)


def _with_class(root: HtmlElement, tag: str, name: str) -> list[HtmlElement]:
    return [e for e in root.iter(tag) if name in (e.get("class") or "").split()]


def _move(section: HtmlElement, notes: HtmlElement) -> None:
    calls: dict[str, list[HtmlElement]] = {}
    for sup in _with_class(section, "sup", "footnote-ref"):
        for link in sup.iter("a"):
            calls.setdefault((link.get("href") or "").lstrip("#"), []).append(sup)
    items = _with_class(notes, "li", "footnote-item")
    kept = 0
    floats: list[tuple[HtmlElement, HtmlElement]] = []  # (block, its float)
    for item in items:
        first = calls.get(item.get("id") or "", [])
        if not first or not _simple(item) or not all(_in_measure(s, section) for s in first):
            kept += 1
            continue
        for sup in first:
            _unbracket(sup)
        _place(first[0], item, floats)
        item.getparent().remove(item)
    if kept:
        return
    before = notes.getprevious()
    if before is not None and before.tag == "hr" and "footnotes-sep" in (before.get("class") or ""):
        _drop(before)
    _drop(notes)


def _simple(item: HtmlElement) -> bool:
    """A note of paragraphs only, which a line of text can hold."""
    return len(item) > 0 and all(child.tag == "p" for child in item)


def _in_measure(sup: HtmlElement, section: HtmlElement) -> bool:
    for parent in sup.iterancestors():
        if parent is section:
            return True
        if parent.tag == "div" and "prose" in (parent.get("class") or "").split():
            continue
        if parent.tag not in _INLINE_PATH:
            return False
    return False


def _unbracket(sup: HtmlElement) -> None:
    for link in sup.iter("a"):
        if link.text and (match := _BRACKETS.match(link.text)):
            link.text = match.group(1)


def _place(
    sup: HtmlElement, item: HtmlElement, floats: list[tuple[HtmlElement, HtmlElement]]
) -> None:
    """The note as a span before the block that calls it (``sup``): its
    number, then its paragraphs' content (without the link back), one after
    another; the notes one block calls share one float, one under the other."""
    note = html_element("span", {"class": "side-note-item", "id": item.get("id") or ""})
    mark = html_element("span", {"class": "side-note-mark"})
    mark.text = "".join(sup.itertext()).strip()
    note.append(mark)
    for number, paragraph in enumerate(item):
        body = copy.deepcopy(paragraph)
        for back in _with_class(body, "a", "footnote-backref"):
            _drop(back)
        _append_text(note, (" " if number else "") + (body.text or ""))
        for child in body:
            note.append(child)
    _strip_end(note)
    block = _block_of(sup)
    # Compared as elements held here: lxml keeps one proxy per element
    # while a reference to it lives (an id() could be reused).
    for held, shared in floats:
        if held is block:
            shared.append(note)
            return
    side = html_element("span", {"class": "side-note"})
    floats.append((block, side))
    side.append(note)
    block.addprevious(side)


def _block_of(sup: HtmlElement) -> HtmlElement:
    """The paragraph or list of the prose that holds ``sup``."""
    block = sup
    for parent in sup.iterancestors():
        if parent.tag == "div" and "prose" in (parent.get("class") or "").split():
            return block
        block = parent
    return block


def _append_text(parent: HtmlElement, text: str) -> None:
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _strip_end(note: HtmlElement) -> None:
    last = note[-1] if len(note) else None
    if last is not None and last.tail:
        last.tail = last.tail.rstrip()


def _drop(element: HtmlElement) -> None:
    """``element`` out of the tree, its tail kept in its place."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        _append_after(element, element.tail)
    parent.remove(element)


def _append_after(element: HtmlElement, text: str) -> None:
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent = element.getparent()
        parent.text = (parent.text or "") + text
