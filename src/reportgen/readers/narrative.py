"""Read narrative files: Markdown (front matter and body, with line numbers) here,
Word documents in ``readers.word``; each file goes to the reader its extension
picks (``READERS``), and both end as the same ``RawNarrative``.

Files are taken in file-name order. The optional YAML front matter between
``---`` lines is parsed here (a syntax error is a located diagnostic); the body
is handed on as text together with the line it starts on, so that later
diagnostics point at the right line of the file. A file that is too large, or
holds a character that is not text (see ``plaintext``), is refused here, line
by line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.diagnostics import Diagnostics, Location
from reportgen.plaintext import describe, forbidden_in

MAX_BYTES = 2 * 2**20  # some 300 pages of text: far more than any narrative file


@dataclass(frozen=True)
class Picture:
    """A picture carried inside a narrative file (a Word document's), already
    checked by the gate; named by the SHA-256 of its bytes."""

    sha: str
    mime: str
    data: bytes


@dataclass(frozen=True)
class RawNarrative:
    path: Path
    front: dict[str, Any] = field(default_factory=dict)
    front_line: int = 1  # where the front matter starts (for its diagnostics)
    body: str = ""
    body_line: int = 1  # 1-based line of the file where ``body`` starts
    # A Word document's body is Markdown written by reportgen: for each of its
    # lines, the place in the document it came from ("¶14"), and its pictures.
    places: tuple[str, ...] = ()
    pictures: Mapping[str, Picture] = field(default_factory=dict)

    def where(self, index: int) -> Location:
        """The location of the body's line ``index`` (0-based) in the file."""
        if self.places:
            place = self.places[min(max(index, 0), len(self.places) - 1)]
            return Location(self.path, cell=place or None)
        return Location(self.path, self.body_line + index)


Reader = Callable[[Path, Diagnostics], "RawNarrative | None"]


def _refuse(message: str) -> Reader:
    """A reader for a kind of file that is never read, only named in an error."""

    def refuse(path: Path, diags: Diagnostics) -> RawNarrative | None:
        diags.error(Location(path), message)
        return None

    return refuse


def _word(path: Path, diags: Diagnostics) -> RawNarrative | None:
    from reportgen.readers.word import read_docx  # mammoth: imported when a .docx is there

    return read_docx(path, diags)


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
            f"the file is {size / 2**20:,.1f} MB; the limit for a narrative file is "
            f"{MAX_BYTES // 2**20} MB",
        )
        return None
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diags.error(Location(path, line), "the file is not valid UTF-8")
        return None
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if not _plain(lines, path, diags):
        return None
    if not lines or lines[0].strip() != "---":
        return RawNarrative(path, body=text)
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        diags.error(Location(path, 1), "front matter opened with '---' is never closed")
        return None
    front = _parse_front("\n".join(lines[1:end]), path, diags)
    body = "\n".join(lines[end + 1 :])
    return RawNarrative(path, front, 2, body, end + 2)


def _plain(lines: list[str], path: Path, diags: Diagnostics) -> bool:
    """False (with an error for each line) when a line holds a character that is not text."""
    ok = True
    for number, line in enumerate(lines, start=1):
        found = forbidden_in(line)
        if found is not None:
            column, char = found
            diags.error(
                Location(path, number),
                f"column {column + 1} is {describe(char)}, which is not text: delete it",
            )
            ok = False
    return ok


def _parse_front(text: str, path: Path, diags: Diagnostics) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + mark.line if mark is not None else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        diags.error(Location(path, line), f"front matter: {problem}")
        return {}
    if not isinstance(data, dict):
        diags.error(Location(path, 2), "front matter must be 'key: value' lines")
        return {}
    front = {str(k).strip().lower(): v for k, v in data.items()}
    _plain_front(front, text.split("\n"), path, diags)
    return front


def _plain_front(front: dict[str, Any], lines: list[str], path: Path, diags: Diagnostics) -> None:
    """YAML escapes (``"\\v"``, ``"\\x85"``) can write what the file itself does not
    hold: the keys, their strings and the strings of their lists are plain text
    too. Only one level down: every key the contract knows is a string or a list,
    and YAML aliases can make deeper walks exponential."""
    for key, value in front.items():
        items = value if isinstance(value, list) else [value]
        for text in [key, *items]:
            found = forbidden_in(text) if isinstance(text, str) else None
            if found is None:
                continue
            line = next((i for i, s in enumerate(lines) if s.lower().startswith(key)), 0)
            diags.error(
                Location(path, 2 + line),
                f"front matter '{key}': character {found[0] + 1} is {describe(found[1])}, "
                "which is not text: delete it",
            )
            break


# Narrative readers by file extension (lower case). Word's other formats are
# named so that a director who saved one hears why it is not read.
READERS: dict[str, Reader] = {
    ".md": read_narrative,
    ".docx": _word,
    ".docm": _refuse(
        "a macro-enabled Word document (.docm) is never read: in Word, File > Save As "
        "'Word Document (*.docx)' (macros are dropped) and remove the .docm"
    ),
    ".doc": _refuse(
        "an old binary Word document (.doc) cannot be read: in Word, File > Save As "
        "'Word Document (*.docx)' and remove the .doc"
    ),
}
