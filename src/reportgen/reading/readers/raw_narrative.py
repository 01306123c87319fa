"""What a narrative reader returns, whichever the kind of file: a
``RawNarrative`` (front matter, body text with its lines or places, pictures)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.core.diagnostics import Location

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
