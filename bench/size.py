"""Benchmark: the bytes of the Japanese and Korean documents against English.

    .venv/bin/python bench/size.py [--baseline REV] [--no-pixels] [--faces]

Builds the whole sample set (a temporary copy of reports/, every year,
edition and language, and the donor letters, ``--no-cache``) twice in the
same run: with this checkout's ``src``, and with the ``src`` of the baseline
commit (default: the last one before the CJK faces were trimmed,
``typesetting/font_subsets.py``; a ``git worktree``, removed afterwards).
For each Japanese and Korean document it prints its size now, its English
counterpart's size now, the ratio, the size the baseline made, and the
font programs embedded now and then (CJK ones in brackets). Then, unless
``--no-pixels``, it renders every page of each CJK document both ways at
150 dpi with Poppler's ``pdftoppm`` and prints the largest difference of any
pixel (0 to 255) and how many pixels differ.

Where the bytes go, for each document as built now: the CJK font programs
(KB, and the glyph-face pairs they hold: one glyph drawn in two faces counts
twice), and the rest of the file beside the rest of its English counterpart
(which holds that document's Latin fonts). A CJK edition at most twice its
English counterpart leaves ``2 x English - rest`` for its CJK outlines; the
last column says how many KB the edition is over (``+``) or under that.
``--faces``: under each document, the KB of each font program it embeds by
face, and those of its English counterpart.

Targets (issue 29): a Japanese or Korean letter at most 300 KB; each CJK
edition at most twice its English counterpart; not one pixel changed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pikepdf
from PIL import Image, ImageChops

PROJECT = Path(__file__).resolve().parents[1]
BASELINE = "a31b6e5"  # the last commit before typesetting/font_subsets.py
CJK = ("ja", "ko")
LETTER_LIMIT = 300_000
RATIO_LIMIT = 2.0


def build(source: Path, reports: Path, out: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(source))
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(reports), "--out", str(out),
         "--no-cache", "-q"],
        env=env, check=True, cwd=source.parent,
    )  # fmt: skip
    return time.perf_counter() - started


def language(path: Path) -> str:
    with pikepdf.open(path) as pdf:
        return str(pdf.Root.get("/Lang", ""))


def programs(path: Path) -> tuple[int, int]:
    """(font programs embedded, of which CJK faces)."""
    found: dict[tuple[int, int], str] = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in obj:
                        found[obj[key].objgen] = str(obj.FontName)
    return len(found), sum("CJK" in name for name in found.values())


def cjk_fonts(path: Path) -> tuple[int, int]:
    """(bytes of the CJK font programs as stored, glyph-face pairs they draw:
    the CIDs each CJK face's width arrays list, counted once a face)."""
    streams: dict[tuple[int, int], int] = {}
    glyphs: dict[str, set[int]] = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Subtype") != "/Type0":
                continue
            for font in obj.get("/DescendantFonts", []):
                descriptor = font.get("/FontDescriptor")
                if descriptor is None or "CJK" not in str(descriptor.FontName):
                    continue
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        stream = descriptor[key]
                        streams[stream.objgen] = len(stream.read_raw_bytes())
                face = str(descriptor.FontName).split("+")[-1]
                glyphs.setdefault(face, set()).update(widths_cids(font.get("/W", [])))
    return sum(streams.values()), sum(len(cids) for cids in glyphs.values())


def faces(path: Path) -> dict[str, int]:
    """Bytes of each font program as stored, by its face (``Noto-Sans-CJK-JP-Bold``),
    largest first: which faces a document embeds, and what each costs."""
    found: dict[tuple[int, int], tuple[str, int]] = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in obj:
                        face = str(obj.FontName).split("+")[-1]
                        found[obj[key].objgen] = (face, len(obj[key].read_raw_bytes()))
    by_face: dict[str, int] = {}
    for face, size in found.values():
        by_face[face] = by_face.get(face, 0) + size
    return dict(sorted(by_face.items(), key=lambda item: -item[1]))


def widths_cids(widths: object) -> set[int]:
    """The CIDs a /W array gives widths for (``c [w ...]`` and ``c1 c2 w``)."""
    items = list(widths)  # type: ignore[call-overload]
    cids: set[int] = set()
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            cids.update(range(first, first + len(items[i + 1])))
            i += 2
        else:
            cids.update(range(first, int(items[i + 1]) + 1))
            i += 3
    return cids


def pixel_difference(before: Path, after: Path, scratch: Path) -> tuple[int, int, int]:
    """(pages, largest difference of one pixel's channel, pixels that differ)
    of the two PDFs rendered at 150 dpi by pdftoppm."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    for name, pdf in (("a", before), ("b", after)):
        subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(scratch / name)], check=True)
    old, new = sorted(scratch.glob("a-*.png")), sorted(scratch.glob("b-*.png"))
    if len(old) != len(new):
        raise SystemExit(f"{after}: {len(new)} pages, {len(old)} before")
    largest = differing = 0
    for a, b in zip(old, new, strict=True):
        difference = ImageChops.difference(
            Image.open(a).convert("RGB"), Image.open(b).convert("RGB")
        )
        largest = max(largest, max(high for _, high in difference.getextrema()))
        differing += sum(difference.convert("L").histogram()[1:])
    return len(old), largest, differing


def documents(out: Path) -> list[tuple[str, Path, Path]]:
    """(label, a CJK document, its English counterpart), editions then letters."""
    found = []
    for year in sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for tag in CJK:
            for pdf in sorted((year / tag).glob("*.pdf")) if (year / tag).is_dir() else []:
                found.append((f"{year.name}/{tag}/{pdf.name}", pdf, year / "en" / pdf.name))
        for kind in ("donors", "receipts"):  # one file per donor, in the donor's language
            files = sorted((year / kind).glob("*.pdf")) if (year / kind).is_dir() else []
            by_language: dict[str, list[Path]] = {}
            for pdf in files:
                by_language.setdefault(language(pdf), []).append(pdf)
            english = by_language.get("en", [])
            if not english:
                continue
            # The English file of median size stands for English letters (receipts).
            middle = sorted(english, key=lambda p: p.stat().st_size)[len(english) // 2]
            for tag in CJK:
                for pdf in by_language.get(tag, []):
                    found.append((f"{year.name}/{kind}/{pdf.name} ({tag})", pdf, middle))
    return found


def per_donor(label: str) -> bool:
    """A donor letter or receipt (held to the letter limit), not an edition."""
    return "/donors/" in label or "/receipts/" in label


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, help="the commit to compare with")
    parser.add_argument("--no-pixels", action="store_true", help="skip the 150 dpi comparison")
    parser.add_argument("--faces", action="store_true",
                        help="under each document, its font programs' KB by face")  # fmt: skip
    args = parser.parse_args()
    pixels = not args.no_pixels and shutil.which("pdftoppm") is not None
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        reports = tmp / "reports"
        shutil.copytree(PROJECT / "reports", reports)
        base_tree = tmp / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(base_tree), args.baseline],
            cwd=PROJECT, check=True,
        )  # fmt: skip
        try:
            then = build(base_tree / "src", reports, tmp / "before")
            now = build(PROJECT / "src", reports, tmp / "after")
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(base_tree)], cwd=PROJECT, check=False
            )
        print(f"sample set built in {now:.1f} s now, {then:.1f} s with {args.baseline}\n")
        header = f"{'document':<40} {'now KB':>7} {'en KB':>6} {'ratio':>6} {'2x':>5}"
        header += f" {'before KB':>9} {'fonts now':>9} {'then':>6}"
        header += f" {'CJK font KB':>11} {'glyphs':>6} {'rest KB':>7} {'over 2x KB':>10}"
        if pixels:
            header += f" {'pages':>5} {'max px diff':>11} {'px differing':>12}"
        print(header)
        ratios: list[float] = []
        letters: list[int] = []
        editions_over = 0
        worst_pixel = 0
        for label, pdf, english in documents(tmp / "after"):
            before = tmp / "before" / pdf.relative_to(tmp / "after")
            size, en, old = pdf.stat().st_size, english.stat().st_size, before.stat().st_size
            ratio = size / en
            if per_donor(label):
                letters.append(size)
                verdict = "-"
            else:
                ratios.append(ratio)
                verdict = "met" if ratio <= RATIO_LIMIT else "no"
                editions_over += ratio > RATIO_LIMIT
            fonts_now, fonts_then = programs(pdf), programs(before)
            cjk_bytes, glyphs = cjk_fonts(pdf)
            line = (f"{label:<40} {size / 1000:7.0f} {en / 1000:6.0f} {ratio:6.2f} {verdict:>5}"
                    f" {old / 1000:9.0f} {fonts_now[0]:>5} [{fonts_now[1]}]"
                    f" {fonts_then[0]:>2} [{fonts_then[1]}]"
                    f" {cjk_bytes / 1000:11.0f} {glyphs:>6} {(size - cjk_bytes) / 1000:7.0f}"
                    f" {(size - RATIO_LIMIT * en) / 1000:+10.0f}")  # fmt: skip
            if pixels:
                pages, largest, differing = pixel_difference(before, pdf, tmp / "pages")
                worst_pixel = max(worst_pixel, largest)
                line += f" {pages:>5} {largest:>11} {differing:>12}"
            print(line)
            if args.faces:
                for name, path in (("now", pdf), ("English", english)):
                    kb = ", ".join(f"{f} {n / 1000:.1f}" for f, n in faces(path).items())
                    print(f"    faces {name}: {kb}")
        print()
        print(f"editions: largest ratio to English {max(ratios):.2f} (median "
              f"{statistics.median(ratios):.2f}; target at most {RATIO_LIMIT:.1f}); "
              f"{editions_over} of {len(ratios)} over")  # fmt: skip
        print(f"CJK letters and receipts: largest {max(letters) / 1000:.0f} KB (target at most "
              f"{LETTER_LIMIT / 1000:.0f} KB)")  # fmt: skip
        if pixels:
            print(f"pages at 150 dpi: largest pixel difference {worst_pixel} (target 0)")
        else:
            print("pages not compared (--no-pixels, or no pdftoppm: apt-get install poppler-utils)")


if __name__ == "__main__":
    main()
