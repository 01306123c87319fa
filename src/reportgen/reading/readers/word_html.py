"""mammoth's HTML of a Word document, written as the Markdown a narrative file holds.

Why Markdown and not HTML: the Markdown path (``narrative_html``) is the one place
where narrative is sanitised, its links checked and its title taken; writing
Word's content as Markdown sends it through that same place. mammoth's own
Markdown writer escapes too little (a ``1.`` or ``|`` of the text would become
structure), so this module writes it: only known elements become Markdown
(headings, paragraphs, emphasis, lists, tables, quotes, links, footnotes,
pictures mammoth handed to ``readers.word``), any other element gives only its
text, and every character of text that Markdown could read as markup is
backslash-escaped, so no text of the document becomes a link, an element or
HTML. Each line carries the place of the document it comes from (``¶14``), read
from the numbers ``readers.word`` put at the start of each paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

MARKER = "\ue000{}\ue001"  # private-use characters around a paragraph's number
_MARKER = re.compile("\ue000([0-9]+)\ue001")
# Every ASCII punctuation character CommonMark gives a meaning somewhere, but
# not ':' (so that "TODO:" stays findable), braces ({{name}} in a letter) or
# quotes (meaningful only in a link's title, which is never written; left as
# they are, the typographer curls them as it does a Markdown file's).
_ESCAPE = re.compile(r"([\\`*_\[\]()#+\-.!|<>&~^=])")
_SPACE = re.compile(r"[ \t\r\n]+")
_NOTE = re.compile(r"#(footnote|endnote)-([0-9]+)$")
_NOTE_ITEM = re.compile(r"(footnote|endnote)-([0-9]+)$")
_HEADING = re.compile(r"h([1-6])$")
MAX_DEPTH = 20  # as narrative.MAX_NESTING: lists and quotes inside one another


class NestedTooDeep(ValueError):
    def __init__(self, place: str) -> None:
        super().__init__(
            f"the document nests lists, quotes or tables more than {MAX_DEPTH} levels deep: "
            "simplify it"
        )
        self.place = place


def escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


@dataclass
class _Writer:
    lines: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (label, text)
    place: str = ""

    def emit(self, text: str, prefix: str = "", rest: str | None = None) -> None:
        """One block's text: its first line after ``prefix``, the others after
        ``rest`` (the indentation that keeps them inside a list item or quote)."""
        follow = prefix if rest is None else rest
        for i, line in enumerate(text.split("\n")):
            self.lines.append((prefix if i == 0 else follow) + line)
            self.places.append(self.place)

    def blank(self, prefix: str = "") -> None:
        if self.lines and self.lines[-1].strip(" >"):
            self.lines.append(prefix.rstrip())
            self.places.append(self.place)


def to_markdown(html: str) -> tuple[list[str], list[str]]:
    """(Markdown lines, the place of each) for mammoth's ``html``."""
    import lxml.html

    root = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")
    writer = _Writer()
    _blocks(root, writer, "", 0)
    for label, text in writer.notes:
        writer.place = label
        writer.blank()
        writer.emit(f"[^{label.replace(' ', '-')}]: {text}")
    return writer.lines, writer.places


def _blocks(element: Any, writer: _Writer, prefix: str, depth: int) -> None:
    """The block children of ``element`` (loose text becomes a paragraph)."""
    if depth > MAX_DEPTH:
        raise NestedTooDeep(writer.place)
    loose = _text(element.text, writer)
    if loose.strip():
        writer.emit(loose.strip(), prefix)
        writer.blank(prefix)
    for child in element:
        _block(child, writer, prefix, depth)
        tail = _text(child.tail, writer)
        if tail.strip():
            writer.emit(tail.strip(), prefix)
            writer.blank(prefix)


def _block(element: Any, writer: _Writer, prefix: str, depth: int) -> None:
    if not isinstance(element.tag, str):
        return  # a comment or processing instruction: nothing of the document
    tag = element.tag
    heading = _HEADING.match(tag)
    if heading:
        text = _inline(element, writer, breaks=False).strip()
        if text:
            writer.emit(f"{'#' * int(heading.group(1))} {text}", prefix)
            writer.blank(prefix)
    elif tag in ("ul", "ol"):
        if _is_notes(element):
            _notes(element, writer)
            return
        _list(element, writer, prefix, depth + 1)
        writer.blank(prefix)
    elif tag == "table":
        _table(element, writer, prefix)
        writer.blank(prefix)
    elif tag == "blockquote":
        _blocks(element, writer, prefix + "> ", depth + 1)
        writer.blank(prefix)
    elif tag in ("div", "section", "article", "body"):
        _blocks(element, writer, prefix, depth + 1)
    else:  # p, and any element this module does not know: its text only
        text = _trimmed(_inline(element, writer, breaks=True))
        if text:
            writer.emit(text, prefix)
            writer.blank(prefix)


def _trimmed(text: str) -> str:
    """Without the spaces and line breaks a paragraph starts or ends with."""
    return re.sub(r"^(?:\\\n|\s)+|(?:\s|\\\n)+$", "", text)


def _list(element: Any, writer: _Writer, prefix: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise NestedTooDeep(writer.place)
    marker = "1. " if element.tag == "ol" else "- "
    inner = prefix + " " * len(marker)
    for item in element:
        if item.tag != "li":
            continue
        # The item's own text first (mammoth writes it directly in the <li>),
        # then its nested lists and further paragraphs, indented under it.
        text = _trimmed(_inline_until_block(item, writer))
        writer.emit(text or "\u00a0", prefix + marker, inner)
        for child in item:
            if child.tag in ("ul", "ol"):
                _list(child, writer, inner, depth + 1)
            elif child.tag in ("p", "table", "blockquote") or _HEADING.match(str(child.tag)):
                writer.blank(inner)
                _block(child, writer, inner, depth + 1)


def _inline_until_block(item: Any, writer: _Writer) -> str:
    """The inline content of a list item before its first nested block."""
    parts = [_text(item.text, writer)]
    for child in item:
        if child.tag in ("ul", "ol", "p", "table", "blockquote") or _HEADING.match(str(child.tag)):
            break
        parts.append(_inline(child, writer, breaks=True))
        parts.append(_text(child.tail, writer))
    return "".join(parts)


def _table(element: Any, writer: _Writer, prefix: str) -> None:
    """A pipe table: the first row is the header (Word tables open with theirs);
    merged cells are repeated empty; a cell's paragraphs join on one line."""
    rows: list[list[str]] = []
    places: list[str] = []
    for row in _rows(element):
        cells: list[str] = []
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            cells.append(" ".join(_inline(cell, writer, breaks=False).split()))
            if len(cells) == 1:
                places.append(writer.place)  # a row is where its first cell is
            span = cell.get("colspan", "1")
            cells.extend([""] * (min(int(span), 50) - 1 if span.isdigit() and span != "0" else 0))
        if cells:
            rows.append(cells)
    if not rows:
        return
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    for number, (row, place) in enumerate(zip(rows, places, strict=True)):
        writer.place = place
        writer.emit(_row(row), prefix)
        if number == 0:
            writer.emit(_row(["---"] * width), prefix)


def _rows(table: Any) -> list[Any]:
    """The table's own rows (in thead, tbody or directly), not a nested table's."""
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if c.tag == "tr")
    return rows


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c or " " for c in cells) + " |"


def _is_notes(element: Any) -> bool:
    items = [c for c in element if c.tag == "li"]
    return bool(items) and all(_NOTE_ITEM.match(c.get("id", "")) for c in items)


def _notes(element: Any, writer: _Writer) -> None:
    for item in element:
        match = _NOTE_ITEM.match(item.get("id", ""))
        if match is None:
            continue
        label = f"{match.group(1)} {match.group(2)}"
        writer.place = label
        text = _inline(item, writer, breaks=False).strip()
        writer.notes.append((label, text or "\u00a0"))


def _text(text: str | None, writer: _Writer) -> str:
    """Plain text of the document, escaped; a paragraph number moves the place."""
    if not text:
        return ""
    for number in _MARKER.findall(text):
        writer.place = f"¶{number}"
    return escape(_SPACE.sub(" ", _MARKER.sub("", text)))


def _inline(element: Any, writer: _Writer, breaks: bool) -> str:
    """The element's content as inline Markdown; ``breaks``: a line break may
    stay one (not in a heading or a table cell, which are one line)."""
    parts = [_text(element.text, writer)]
    for child in element:
        before = next((p for p in reversed(parts) if p), "")
        # Emphasis right after emphasis would make one run of '*' ("***"), read
        # wrongly: the second is written with '_' then.
        parts.append(_inline_child(child, writer, breaks, before.endswith("*")))
        parts.append(_text(child.tail, writer))
    return "".join(parts)


def _inline_child(child: Any, writer: _Writer, breaks: bool, after_star: bool = False) -> str:
    if not isinstance(child.tag, str):
        return ""  # a comment: nothing of the document
    tag = child.tag
    if tag == "br":
        return "\\\n" if breaks else " "
    if tag == "img":
        return _image(child)
    if tag == "a":
        return _link(child, writer, breaks)
    inner = _inline(child, writer, breaks)
    if tag in ("strong", "b"):
        return _wrap(inner, "__" if after_star else "**")
    if tag in ("em", "i"):
        return _wrap(inner, "_" if after_star else "*")
    if tag in ("p", "li", "ul", "ol", "tr", "table", "blockquote") or _HEADING.match(tag):
        return f" {inner.strip()} "  # a block inside a cell or note: its text, on the line
    return inner


def _wrap(inner: str, mark: str) -> str:
    """Emphasis around the words only: ``** bold **`` would not be emphasis."""
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _image(element: Any) -> str:
    src = element.get("src", "")
    if not src.startswith("word-picture:"):
        return ""  # mammoth's callback refused it (and said why)
    return f"![{escape(_SPACE.sub(' ', element.get('alt', '')).strip())}]({src})"


def _link(element: Any, writer: _Writer, breaks: bool) -> str:
    href = element.get("href")
    text = _inline(element, writer, breaks)
    note = _NOTE.match(href or "")
    if note:
        return f"[^{note.group(1)}-{note.group(2)}]"
    if href is None or href.startswith("#"):
        # A bookmark, a note's way back, or a link inside the document: its text.
        return "" if re.fullmatch(r"\s*↑\s*", text) else text
    label = text.strip() or escape(href)
    # Spaces and angle brackets encoded, parentheses escaped: the address as
    # Word has it, on one line, never ending the destination early.
    destination = quote(href, safe=":/?#@!$&*+,;=%~._-()'")
    destination = destination.replace("(", "\\(").replace(")", "\\)")
    return f"[{label}]({destination})"
