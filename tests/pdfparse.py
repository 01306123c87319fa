"""Reading PDFs for assertions: text per page, outline, tagged figures."""

from __future__ import annotations

import contextlib
import functools
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    page: int  # 1-based
    level: int


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


# Pages' text by file (path, inode, size, modification time): the shared
# builds' PDFs are read by many tests in one process. A changed file has
# another key.
_TEXTS: dict[tuple[str, int, int, int], list[str]] = {}


def _page_texts(path: Path) -> list[str]:
    """Each page's text as PDFium (Chromium's PDF engine) extracts it: what a
    reader's copy and paste or search finds, and about twenty times faster
    than pypdf's extraction, which was a large part of the suite's time."""
    document = pdfium.PdfDocument(path)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            # PDFium gives a hyphen that ends a line as U+0002: the page shows "-".
            found = textpage.get_text_bounded().replace("\x02", "-")
            texts.append(re.sub(r"\s+", " ", found))
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


class ParsedPdf:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        info = self.path.stat()
        key = (str(self.path.resolve()), info.st_ino, info.st_size, info.st_mtime_ns)
        if key not in _TEXTS:
            _TEXTS[key] = _page_texts(self.path)
        self._texts = _TEXTS[key]

    @functools.cached_property
    def reader(self) -> PdfReader:
        """pypdf's reading, for the structure: outline, tags, metadata."""
        return PdfReader(self.path)

    @property
    def page_count(self) -> int:
        return len(self._texts)

    def text(self, page: int) -> str:
        """Text of a 1-based page, whitespace collapsed."""
        if page < 1:
            raise IndexError(page)
        return self._texts[page - 1]

    def all_text(self) -> str:
        return " ".join(self.text(i) for i in range(1, self.page_count + 1))

    def outline(self) -> list[OutlineEntry]:
        entries: list[OutlineEntry] = []

        def walk(items: list[Any], level: int) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item, level + 1)
                else:
                    page = self.reader.get_destination_page_number(item) + 1
                    entries.append(OutlineEntry(str(item.title), page, level))

        walk(self.reader.outline, 1)
        return entries

    def figures(self) -> list[str]:
        """The /Alt text of every /Figure in the structure tree."""
        root = _resolve(self.reader.trailer["/Root"])
        tree = _resolve(root.get("/StructTreeRoot"))
        found: list[str] = []
        if tree is None:
            return found

        def walk(node: Any) -> None:
            node = _resolve(node)
            if isinstance(node, list):
                for child in node:
                    walk(child)
            elif isinstance(node, DictionaryObject):
                if node.get("/S") == "/Figure":
                    found.append(str(node.get("/Alt", "")))
                if "/K" in node:
                    walk(node["/K"])

        walk(tree.get("/K"))
        return found

    def metadata(self) -> dict[str, str]:
        meta = self.reader.metadata or {}
        return {str(k): str(v) for k, v in meta.items()}

    def raw_streams(self) -> bytes:
        """Every stream of the file, decompressed where it was Flate-encoded."""
        data = self.path.read_bytes()
        chunks = [data]
        for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
            with contextlib.suppress(zlib.error):
                chunks.append(zlib.decompress(match.group(1)))
        return b"\n".join(chunks)


def chart_text_sizes(path: Path, page: int) -> list[float]:
    """The size in points, as printed, of each piece of text inside a
    picture drawn as a form XObject on ``page`` (0-based): WeasyPrint draws
    each SVG picture (the charts) as one. The text's own size times the
    scale of every matrix between it and the page."""
    import ctypes
    import math

    import pypdfium2.raw as raw

    def scale(matrix: Any) -> float:
        return math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))

    def walk(objects: list[Any], factor: float, inside: bool) -> list[float]:
        found = []
        for obj in objects:
            if obj.type == raw.FPDF_PAGEOBJ_FORM:
                children = [
                    pdfium.PdfObject(raw.FPDFFormObj_GetObject(obj.raw, i), page=obj.page,
                                     pdf=obj.pdf, level=obj.level + 1)
                    for i in range(raw.FPDFFormObj_CountObjects(obj.raw))
                ]  # fmt: skip
                found += walk(children, factor * scale(obj.get_matrix()), True)
            elif obj.type == raw.FPDF_PAGEOBJ_TEXT and inside:
                size = ctypes.c_float()
                raw.FPDFTextObj_GetFontSize(obj.raw, ctypes.byref(size))
                found.append(size.value * factor * scale(obj.get_matrix()))
        return found

    document = pdfium.PdfDocument(path)
    try:
        return walk(list(document[page].get_objects(max_depth=1)), 1.0, False)
    finally:
        document.close()
