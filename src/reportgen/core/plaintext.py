"""What counts as plain text: the characters no cell, setting or narrative may hold.

Readers and the settings check use ``forbidden_in`` to turn a control character
into a located diagnostic naming it; the template environment and the charts
use ``clean`` as defence in depth, so that nothing that slipped past validation
can reach the HTML, the SVG or the PDF. Tab, line feed and carriage return are
text; every other C0 control, DEL, the C1 controls, the Unicode noncharacters
and lone surrogates (which only a workbook's ``_xD800_`` escape can produce)
are not.
"""

from __future__ import annotations

import re

# Names people know these by; the rest are called by their class.
_NAMES = {
    0x00: "null",
    0x07: "bell",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x1A: "substitute",
    0x1B: "escape",
    0x7F: "delete",
    0x85: "next line",
}
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + _NONCHARACTERS + "]")


def describe(char: str) -> str:
    """``U+000B (vertical tab)``: a character as the user can look it up."""
    point = ord(char)
    if point in _NAMES:
        name = _NAMES[point]
    elif 0xD800 <= point <= 0xDFFF:
        name = "a lone surrogate"
    elif point < 0x20 or 0x7F <= point <= 0x9F:
        name = "a control character"
    else:
        name = "a noncharacter"
    return f"U+{point:04X} ({name})"


def forbidden_in(text: str) -> tuple[int, str] | None:
    """The index and the first character of ``text`` that is not plain text."""
    match = _FORBIDDEN.search(text)
    return (match.start(), match.group()) if match else None


def clean(text: str) -> str:
    """``text`` without the characters that are not plain text."""
    return _FORBIDDEN.sub("", text)
