"""The word gaps of Korean (or any) justified text, measured on a PDF's glyphs.

A line is the glyphs that share a baseline; a word gap the white between the
last glyph before a space and the first after it, in em (the median advance
of the line's Hangul syllables, which Noto CJK sets one em wide). A line is
"short" when it ends well before the right edge the lines around it share
while the next line continues its paragraph (same left edge, same pitch).

    PYTHONPATH=src python -m tests.word_gaps OUT/fy2012/ko/annual-report.pdf [--top 8]

prints each document's widest word gaps in its body text (em, the line's
page and text) and its short lines (``--all``: in every line). Used by
tests/test_korean_justification.py and for the figures in bench/README.md
("Korean word gaps").
"""

from __future__ import annotations

import argparse
import collections
import itertools
import statistics
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium


@dataclass(frozen=True)
class Line:
    page: int  # from 1
    baseline: float  # points from the page's bottom
    left: float
    right: float
    em: float  # points
    text: str
    gaps: tuple[float, ...]  # its word gaps, in em, left to right

    @property
    def widest(self) -> float:
        return max(self.gaps, default=0.0)


def _hangul(char: str) -> bool:
    return "\uac00" <= char <= "\ud7a3"


def lines(pdf: Path, pages: range | None = None) -> list[Line]:
    """Every line of ``pdf`` (of ``pages``, from 0) holding three Hangul
    syllables or more, top to bottom, page by page. Glyphs further apart
    than 2 em (a table's columns, a side column beside the text) start a
    new line at the same baseline."""
    found: list[Line] = []
    document = pdfium.PdfDocument(pdf)
    try:
        for number in pages if pages is not None else range(len(document)):
            text = document[number].get_textpage()
            rows: dict[int, list[tuple[str, float, float]]] = {}
            row = 0
            for i in range(text.count_chars()):
                char = text.get_text_range(i, 1)
                if char in "\u2060\u00ad\r\n":
                    continue
                left, bottom, right, _ = text.get_charbox(i, loose=True)
                # A space's box may stand off the line: it belongs to the glyph before it.
                row = round(bottom) if char.strip() or not rows else row
                rows.setdefault(row, []).append((char, left, right))
            for y, row_chars in sorted(rows.items(), reverse=True):
                found.extend(_split(number + 1, y, sorted(row_chars, key=lambda c: c[1])))
    finally:
        document.close()
    return found


def _split(page: int, y: float, chars: list[tuple[str, float, float]]) -> list[Line]:
    widths = [right - left for c, left, right in chars if _hangul(c)]
    if len(widths) < 3:
        return []
    em = statistics.median(widths)
    glyphs = [g for g in chars if g[0].strip()]
    spaces = [left for c, left, _ in chars if not c.strip()]
    pieces: list[list[tuple[str, float, float]]] = [[glyphs[0]]]
    gaps: list[list[float]] = [[]]
    for a, b in itertools.pairwise(glyphs):
        white = b[1] - a[2]
        if white > 2 * em:
            pieces.append([b])
            gaps.append([])
            continue
        marker = len(pieces[-1]) == 1 and not a[0].isalnum()  # a list's bullet
        # An opening bracket set half-width (halt) keeps its whole em's box,
        # half of it blank, over the space before it: not measured.
        halt = b[0] in "〈《「『（"
        if not marker and not halt and any(a[2] - 0.5 <= x <= b[1] + 0.5 for x in spaces):
            gaps[-1].append(white / em)
            pieces[-1].append((" ", a[2], b[1]))
        pieces[-1].append(b)
    return [
        Line(page, y, piece[0][1], piece[-1][2], em, "".join(c for c, _, _ in piece), tuple(g))
        for piece, g in zip(pieces, gaps, strict=True)
        if sum(_hangul(c) for c, _, _ in piece) >= 3
    ]


def body(found: list[Line]) -> list[Line]:
    """The lines set in the body's size (to 2 %) with three word gaps or
    more: running text, not a table's row, a card's label or a heading. The
    body's size is the one with the most word gaps in lines of five or more
    (a table's cells hold few words a line)."""
    sizes: collections.Counter[float] = collections.Counter()
    for line in found:
        if len(line.gaps) >= 5:
            sizes[round(line.em, 1)] += len(line.gaps)
    if not sizes:
        return []
    em = sizes.most_common(1)[0][0]
    return [line for line in found if abs(line.em - em) <= 0.02 * em and len(line.gaps) >= 3]


def paragraphs(found: list[Line]) -> list[list[Line]]:
    """``found`` in runs of lines that continue each other: same page, left
    edge and size, each one line's pitch below the one before."""
    runs: list[list[Line]] = []
    for line in found:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and last.page == line.page
            and abs(last.em - line.em) < 0.05 * line.em
            and abs(last.left - line.left) < 0.5 * line.em
            and 0 < last.baseline - line.baseline < 2.2 * line.em
        ):
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


def short_lines(found: list[Line], tolerance_em: float = 1.0) -> list[Line]:
    """The lines that end more than ``tolerance_em`` before the right edge of
    their paragraph (``paragraphs``; its lines' rightmost end) while the next
    line continues it."""
    short = []
    for paragraph in paragraphs(found):
        edge = max(line.right for line in paragraph)
        short.extend(line for line in paragraph[:-1] if line.right < edge - tolerance_em * line.em)
    return short


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdfs", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=8, help="how many of the widest gaps")
    parser.add_argument("--all", action="store_true", help="every line, not only the body's")
    arguments = parser.parse_args()
    for pdf in arguments.pdfs:
        found = lines(pdf) if arguments.all else body(lines(pdf))
        gaps = sorted((g for line in found for g in line.gaps), reverse=True)
        print(f"{pdf}: {len(found)} lines, {len(gaps)} word gaps", end="")
        if gaps:
            print(
                f", median {statistics.median(gaps):.2f} em, over 0.5 em: "
                f"{sum(g > 0.5 for g in gaps)}"
            )
        else:
            print()
        for line in sorted(found, key=lambda line: -line.widest)[: arguments.top]:
            print(f"  {line.widest:.2f} em  p{line.page}  {line.text[:60]}")
        for line in short_lines(found):
            print(f"  short line p{line.page}, {line.right:.0f} pt: {line.text[:60]}")


if __name__ == "__main__":
    main()
