"""Read narrative files: Markdown (front matter and body, with line numbers) here,
Word documents in ``readers.word``; each file goes to the reader its extension
picks (``READERS``), and both end as the same ``RawNarrative``.

Files are taken in file-name order. The optional YAML front matter between
``---`` lines is parsed here; it decides who sees the file, so it is found
after blank lines, white space, invisible marks and any line ending, and what
cannot be taken for sure as front matter is a located error that leaves the
file unread, never a public file: a YAML error, a key given twice (PyYAML
would keep the last), a first line that looks like a front matter key
without the '---' lines around it, or such a line after the closing '---'.
The body is handed on as text together with the line it starts on, so that
later diagnostics point at the right line of the file. A file that is too large, or
holds a character that is not text (see ``plaintext``), is refused here, line
by line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostics, Location
from reportgen.core.plaintext import describe, forbidden_in
from reportgen.reading.readers.raw_narrative import MAX_BYTES, RawNarrative
from reportgen.reading.readers.word import read_docx
from reportgen.reading.table_registry import GUARDED_FRONT_KEYS, guarded_lookalike

# The keys of a narrative file's front matter.
FRONT_KEYS = ("title", "editions", "visibility", "role", "summary", "donors", "place")

Reader = Callable[[Path, Diagnostics], "RawNarrative | None"]


def _refuse(message: str) -> Reader:
    """A reader for a kind of file that is never read, only named in an error."""

    def refuse(path: Path, diags: Diagnostics) -> RawNarrative | None:
        diags.error(Location(path), message)
        return None

    return refuse


def read_narratives(folder: Path, diags: Diagnostics) -> list[RawNarrative]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        reader = READERS.get(path.suffix.lower())
        # Word's own lock files (~$name.docx) sit beside an open document.
        if reader is None or not path.is_file() or path.name.startswith("~$"):
            continue
        raw = reader(path, diags)
        if raw is not None:
            found.append(raw)
    return found


def read_narrative(path: Path, diags: Diagnostics) -> RawNarrative | None:
    size = path.stat().st_size
    if size > MAX_BYTES:
        diags.error(
            Location(path),
            M.NARRATIVE_TOO_LARGE(size=size / 2**20, limit=MAX_BYTES // 2**20),
        )
        return None
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diags.error(Location(path, line), M.FILE_NOT_UTF8())
        return None
    # Every line ending Markdown knows (CommonMark: LF, CR, CR LF), so that a
    # file saved with old Mac endings is read line by line like any other.
    text = _LINE_END.sub("\n", text)
    lines = text.split("\n")
    if not _plain(lines, path, diags):
        return None
    opening = next((i for i, line in enumerate(lines) if _bare(line)), None)
    if opening is None or _bare(lines[opening]) != "---":
        if _no_front_matter(lines, opening, path, diags):
            return RawNarrative(path, body=text)
        return None
    for end in range(opening + 1, len(lines)):
        if _bare(lines[end]) in ("---", "..."):
            break
    else:
        diags.error(Location(path, opening + 1), M.FRONT_NOT_CLOSED())
        return None
    first = opening + 2  # the file's line of the front matter's first key
    front = _parse_front("\n".join(lines[opening + 1 : end]), first, path, diags)
    if front is None or not _nothing_after(lines, end, path, diags):
        return None
    body = "\n".join(lines[end + 1 :])
    return RawNarrative(path, front, first, body, end + 2)


_LINE_END = re.compile(r"\r\n?")
# A line that starts like a front matter key ("visibility: internal", "Title :").
_KEY_LINE = re.compile(r"\s*([^\W\d][\w \-]{0,30}?)\s*:(?:\s|$)")
# A line that is a near miss of the '---' that opens front matter: dashes of
# any kind, underscores, asterisks or equals signs, three or more, maybe spaced.
_FENCE_LIKE = re.compile(r"(?:[-\u2010-\u2015\u2212\ufe58\ufe63\uff0d_*=~+]\s*){3,}")


def _bare(line: str) -> str:
    """The line without white space and invisible format characters (a
    byte-order mark, a zero-width space): what decides whether it is blank or
    a '---' line."""
    return "".join(c for c in line if unicodedata.category(c) != "Cf").strip()


def _front_key(line: str) -> str | None:
    """The front matter key ``line`` starts with, if it looks like one that
    decides something (``visibility``, ``editions``, ``title``, ``role`` or
    a near miss of the first two)."""
    match = _KEY_LINE.match(_bare(line))
    if match is None:
        return None
    key = match.group(1).strip().lower()
    if key in FRONT_KEYS or guarded_lookalike(key, GUARDED_FRONT_KEYS) is not None:
        return key
    return None


def _no_front_matter(lines: list[str], opening: int | None, path: Path, diags: Diagnostics) -> bool:
    """True when the file has no front matter and does not look as if it
    meant to: a first line ``visibility: internal`` without the '---' lines
    around it, or under a near miss of '---', would otherwise be printed,
    with the text it was meant to keep internal. Such a file is an error."""
    if opening is None:
        return True
    key = _front_key(lines[opening])
    line = opening
    if key is None and _FENCE_LIKE.fullmatch(_bare(lines[opening])):
        line = next((i for i in range(opening + 1, len(lines)) if _bare(lines[i])), opening)
        key = _front_key(lines[line]) if line != opening else None
        if key is not None:
            diags.error(
                Location(path, opening + 1),
                M.FRONT_BAD_OPENING(key=key),
            )
            return False
    if key is None:
        return True
    diags.error(
        Location(path, line + 1),
        M.FRONT_NO_OPENING(key=key),
    )
    return False


def _nothing_after(lines: list[str], end: int, path: Path, diags: Diagnostics) -> bool:
    """False (with an error) when a front matter key follows the closing
    '---' (line ``end``, 0-based), directly or in a second block: it would be
    printed as text, deciding nothing."""
    after = [i for i in range(end + 1, len(lines)) if _bare(lines[i])][:2]
    if not after:
        return True
    key = _front_key(lines[after[0]])
    if key is None and len(after) == 2 and _FENCE_LIKE.fullmatch(_bare(lines[after[0]])):
        key = _front_key(lines[after[1]])
    if key is None:
        return True
    diags.error(
        Location(path, after[0] + 1),
        M.FRONT_KEY_AFTER(key=key, line=end + 1),
    )
    return False


def _plain(lines: list[str], path: Path, diags: Diagnostics) -> bool:
    """False (with an error for each line) when a line holds a character that is not text."""
    ok = True
    for number, line in enumerate(lines, start=1):
        found = forbidden_in(line)
        if found is not None:
            column, char = found
            diags.error(
                Location(path, number),
                M.NARRATIVE_NOT_TEXT(column=column + 1, char=describe(char)),
            )
            ok = False
    return ok


def _parse_front(text: str, first: int, path: Path, diags: Diagnostics) -> dict[str, Any] | None:
    """The front matter (``first``: its first line in the file), or ``None``
    when it cannot be read: never an empty one that would make the file public."""
    loader = _front_loader()(text)
    try:
        data = loader.get_single_data() if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first + mark.line if mark is not None else first - 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        diags.error(Location(path, line), M.FRONT_PROBLEM(problem=problem))
        return None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        diags.error(Location(path, first), M.FRONT_NOT_KEYS())
        return None
    for key, lines in loader.repeated:
        diags.error(
            Location(path, first + lines[-1]),
            (M.FRONT_KEY_TWICE if len(lines) == 2 else M.FRONT_KEY_TIMES)(
                key=key, count=len(lines), lines=M.listed(str(first + n) for n in lines)
            ),
        )
    if loader.repeated:
        return None
    front = {str(k).strip().lower(): v for k, v in data.items()}
    if not _plain_front(front, text.split("\n"), first, path, diags):
        return None
    return front


@cache
def _front_loader() -> type[Any]:
    class FrontLoader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML has no types
        """PyYAML's safe loader, noting every key a mapping holds twice (PyYAML
        keeps the last, silently). Keys are compared as front matter reads
        them: case and surrounding spaces ignored, so 'Visibility' and
        'visibility' are the same key; a key merged in with '<<' counts too."""

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.repeated: list[tuple[str, list[int]]] = []

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                self.flatten_mapping(node)
                seen: dict[str, list[int]] = {}
                for key_node, _ in node.value:
                    if isinstance(key_node, yaml.ScalarNode):
                        key = str(key_node.value).strip().lower()
                        seen.setdefault(key, []).append(key_node.start_mark.line)
                self.repeated += [(k, lines) for k, lines in seen.items() if len(lines) > 1]
            return super().construct_mapping(node, deep)

    return FrontLoader


def _plain_front(
    front: dict[str, Any], lines: list[str], first: int, path: Path, diags: Diagnostics
) -> bool:
    """YAML escapes (``"\\v"``, ``"\\x85"``) can write what the file itself does not
    hold: the keys, their strings and the strings of their lists are plain text
    too. Only one level down: every key the contract knows is a string or a list,
    and YAML aliases can make deeper walks exponential."""
    ok = True
    for key, value in front.items():
        items = value if isinstance(value, list) else [value]
        for text in [key, *items]:
            found = forbidden_in(text) if isinstance(text, str) else None
            if found is None:
                continue
            line = next((i for i, s in enumerate(lines) if s.lower().startswith(key)), 0)
            diags.error(
                Location(path, first + line),
                M.FRONT_VALUE_NOT_TEXT(key=key, index=found[0] + 1, char=describe(found[1])),
            )
            ok = False
            break
    return ok


# Narrative readers by file extension (lower case). Word's other formats are
# named so that a director who saved one hears why it is not read.
READERS: dict[str, Reader] = {
    ".md": read_narrative,
    ".docx": read_docx,
    ".docm": _refuse(
        "a macro-enabled Word document (.docm) is never read: in Word, File > Save As "
        "'Word Document (*.docx)' (macros are dropped) and remove the .docm"
    ),
    ".doc": _refuse(
        "an old binary Word document (.doc) cannot be read: in Word, File > Save As "
        "'Word Document (*.docx)' and remove the .doc"
    ),
}
