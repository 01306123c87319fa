"""A machine check of the PDF/UA-1 rules that need no human judgement.

Not a full validator (no PDF/UA checker on the package registries runs
here without Java): it checks what the Matterhorn Protocol's machine-checkable
conditions most often catch in generated reports, and returns every failure.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pikepdf


def _walk(node: Any, found: list[Any]) -> None:
    if isinstance(node, pikepdf.Array):
        for child in node:
            _walk(child, found)
    elif isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            found.append(node)
        if "/K" in node:
            _walk(node.K, found)


def structure(pdf: pikepdf.Pdf) -> list[Any]:
    """Structure elements in document order."""
    found: list[Any] = []
    if "/StructTreeRoot" in pdf.Root:
        _walk(pdf.Root.StructTreeRoot.get("/K"), found)
    return found


def check(path: Path, claim: str = "ua") -> list[str]:
    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
            problems.append("not marked as tagged (/MarkInfo /Marked)")
        if "/StructTreeRoot" not in root:
            problems.append("no structure tree")
        if not str(root.get("/Lang", "")):
            problems.append("no document language (/Lang)")
        prefs = root.get("/ViewerPreferences", {})
        if claim == "ua" and not bool(prefs.get("/DisplayDocTitle", False)):
            problems.append("the window bar would not show the title (/DisplayDocTitle)")
        meta = pdf.open_metadata()
        if not meta.get("dc:title"):
            problems.append("no dc:title in the XMP metadata")
        if claim == "ua" and meta.get("pdfuaid:part") != "1":
            problems.append("no PDF/UA-1 identification (pdfuaid:part)")
        elements = structure(pdf)
        figures = [e for e in elements if e.S == "/Figure"]
        for number, figure in enumerate(figures, 1):
            if not str(figure.get("/Alt", "")).strip():
                problems.append(f"figure {number} has no alternative text (/Alt)")
        levels = [int(str(e.S)[2]) for e in elements if str(e.S) in {f"/H{i}" for i in range(1, 7)}]
        if levels and levels[0] != 1:
            problems.append(f"the first heading is H{levels[0]}, not H1")
        for before, after in itertools.pairwise(levels):
            if after > before + 1:
                problems.append(f"heading levels skip from H{before} to H{after}")
        tables = [e for e in elements if e.S == "/Table"]
        for number, table in enumerate(tables, 1):
            inside: list[Any] = []
            _walk(table.get("/K"), inside)
            if not any(e.S == "/TH" for e in inside):
                problems.append(f"table {number} has no header cell (/TH)")
        if "/Outlines" not in root:
            problems.append("no outline (bookmarks)")
    return problems
