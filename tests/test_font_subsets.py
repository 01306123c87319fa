"""The CJK faces of a PDF trimmed to the glyphs it shows (typesetting/font_subsets):
pages drawn the same, text the same, each face once, letters small.

One small real WeasyPrint render (Japanese in the four faces the designs
use) is shared by the pixel, text and determinism checks; the size and face
limits are read from the session's sample build (``built_sample``), which
the rest of the suite builds anyway."""

from __future__ import annotations

import functools
import io
from pathlib import Path

import numpy
import pikepdf
import pypdfium2 as pdfium
import pytest

from reportgen.typesetting.font_subsets import (
    Unsupported,
    read_cff,
    read_opentype_cff,
    share_and_trim,
    trimmed_pdf,
    write_cff,
)
from tests.conftest import BuiltSample
from tests.pdfparse import ParsedPdf

# The limits a Japanese or Korean donor letter is held to (issue 29): its
# bytes, and the CJK faces it embeds, each once (Sans and Serif, regular and bold).
LETTER_BYTES = 300_000
CJK_FACES = 4

PAGE = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page { size: A6; margin: 10mm }
body { font-family: "Noto Sans CJK JP"; font-size: 9pt }
.serif { font-family: "Noto Serif CJK JP" }
</style></head><body>
<h1>体験談：証言を伝える</h1>
<p>2003年12月、中国の裁判所は野口孝行氏に有罪判決を言い渡しました。（ご寄付の使途）</p>
<p class="serif">釈放された野口氏は、あの出来事について<b>できる限り</b>記録に残そうと
決意しました。</p><p class="serif">「第1回：救出作戦の始まり」で幕を開け、東南アジアでの
救援活動の物語を描いています。</p>
</body></html>"""


@functools.cache
def _as_weasyprint_writes_it() -> bytes:
    from weasyprint import HTML

    return HTML(string=PAGE).write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]


def _pixels(data: bytes) -> list[numpy.ndarray]:
    document = pdfium.PdfDocument(data)
    try:
        return [numpy.asarray(page.render(scale=150 / 72).to_pil().convert("RGB"))
                for page in document]  # fmt: skip
    finally:
        document.close()


def _programs(pdf: pikepdf.Pdf) -> dict[str, list[pikepdf.Stream]]:
    """Each embedded font program, by the face name of its descriptors."""
    found: dict[str, dict[tuple[int, int], pikepdf.Stream]] = {}
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in obj:
                    found.setdefault(str(obj.FontName), {})[obj[key].objgen] = obj[key]
    return {name: list(streams.values()) for name, streams in found.items()}


def test_trimmed_faces_draw_the_same_pages_and_text(tmp_path: Path) -> None:
    before = _as_weasyprint_writes_it()
    after = trimmed_pdf(before)
    assert len(after) < len(before) / 3  # four faces of ~60,000 empty glyphs each, gone
    assert trimmed_pdf(before) == after  # the same bytes each time
    for old, new in zip(_pixels(before), _pixels(after), strict=True):
        # Poppler draws them identically (bench/size.py compares every page);
        # PDFium smooths a bare CFF's edges a shade differently than the same
        # program wrapped in OpenType (measured: at most 22 of 255, on about 1%
        # of the pixels), while a wrong or missing glyph differs by far more.
        difference = numpy.abs(old.astype(int) - new.astype(int))
        assert difference.max() <= 32 and (difference > 0).mean() < 0.02
    (tmp_path / "before.pdf").write_bytes(before)
    (tmp_path / "after.pdf").write_bytes(after)
    assert (
        ParsedPdf(tmp_path / "after.pdf").all_text()
        == ParsedPdf(tmp_path / "before.pdf").all_text()
    )
    with pikepdf.open(io.BytesIO(after)) as pdf:
        programs = _programs(pdf)
        cjk = {n: s for n, s in programs.items() if "CJK" in n}
        assert len(cjk) == 4 and all(len(s) == 1 for s in cjk.values()), cjk  # Sans, Serif, bold
        assert all(s[0].Subtype == "/CIDFontType0C" for s in cjk.values())


def test_a_face_embedded_twice_becomes_one_program() -> None:
    """The letter page and the donor edition after it, as ``join`` puts them
    together: the faces they share are written once, with both their glyphs."""
    with pikepdf.open(io.BytesIO(_as_weasyprint_writes_it())) as first:
        trimmed = pikepdf.open(io.BytesIO(trimmed_pdf(_as_weasyprint_writes_it())))
        for page in first.pages:
            trimmed.pages.append(page)
        assert share_and_trim(trimmed) == 4
        programs = _programs(trimmed)
        assert all(len(s) == 1 for n, s in programs.items() if "CJK" in n), programs
        out = io.BytesIO()
        trimmed.save(out)
    pages = _pixels(out.getvalue())
    assert numpy.array_equal(pages[0], pages[1])  # the same page drawn from either half


# A page drawing a few ideographs only: HarfBuzz's subset of its face keeps
# only the Font DICTs (and their names' strings) those glyphs use, so its
# string table differs from that of a subset with Latin letters and kana.
FEW = PAGE.split("<body>")[0] + "<body><p>東京事務所</p></body></html>"


def test_subsets_of_one_face_with_their_own_string_tables_become_one_program() -> None:
    """The letter page (its letterhead's few Gothic ideographs) and the donor
    edition after it: the same face subset twice, each with the strings of
    the Font DICTs it uses; joined, written once (the letter 281 -> 172 KB)."""
    from weasyprint import HTML

    few = HTML(string=FEW).write_pdf(pdf_variant="pdf/ua-1")
    with pikepdf.open(io.BytesIO(trimmed_pdf(_as_weasyprint_writes_it()))) as joined:
        other = pikepdf.open(io.BytesIO(few))
        joined.pages.extend(other.pages)
        share_and_trim(joined)
        programs = _programs(joined)
        out = io.BytesIO()
        joined.save(out)
    sans = [s for n, s in programs.items() if n.endswith("Sans-CJK-JP")]
    assert len(sans) == 1 and len(sans[0]) == 1, programs
    alone = _pixels(trimmed_pdf(few))[0]
    drawn = _pixels(out.getvalue())[-1]
    difference = numpy.abs(alone.astype(int) - drawn.astype(int))
    assert (difference > 64).mean() < 0.001  # the ideographs drawn from the merged program


def test_glyphs_come_from_the_program_that_draws_them() -> None:
    with pikepdf.open(io.BytesIO(_as_weasyprint_writes_it())) as pdf:
        stream = next(s[0] for n, s in _programs(pdf).items() if n.endswith("Serif-CJK-JP"))
        cff = read_opentype_cff(stream.read_bytes())
    drawn = [cid for cid, (charstring, _) in read_cff(cff, range(65536), by_gid=True).glyphs.items()
             if cid and len(charstring) > 1]  # fmt: skip
    program = write_cff([read_cff(cff, drawn, by_gid=True)], drawn[:5])
    kept = read_cff(program, range(65536))
    assert sorted(kept.glyphs) == [0, *drawn[:5]]  # .notdef and the CIDs asked, under their CIDs
    whole = read_cff(cff, drawn, by_gid=True)
    assert all(kept.glyphs[cid][0] == whole.glyphs[cid][0] for cid in drawn[:5])  # byte for byte
    assert write_cff([read_cff(program, drawn[:5])], drawn[:5]) == program  # stable


def test_fonts_it_cannot_rewrite_are_left_alone() -> None:
    with pytest.raises(Unsupported):
        read_opentype_cff(b"\0\1\0\0" + bytes(100))  # TrueType outlines
    plain = b"%PDF-1.7\n% no OpenType font here\n"
    assert trimmed_pdf(plain) is plain


def _letters(built: BuiltSample, language: str) -> list[Path]:
    found = []
    for path in sorted((built.out / "fy2012/donors").glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            if str(pdf.Root.get("/Lang", "")) == language:
                found.append(path)
    return found


@pytest.mark.parametrize("language", ["ja", "ko"])
def test_cjk_letters_are_small_and_embed_each_face_once(
    built_sample: BuiltSample, language: str
) -> None:
    letters = _letters(built_sample, language)
    assert letters, f"the sample has a {language} donor"
    for path in letters:
        assert path.stat().st_size <= LETTER_BYTES, (path.name, path.stat().st_size)
        with pikepdf.open(path) as pdf:
            cjk = {n: s for n, s in _programs(pdf).items() if "CJK" in n}
        assert len(cjk) <= CJK_FACES, sorted(cjk)
        assert all(len(streams) == 1 for streams in cjk.values()), (path.name, cjk)


# Every face an edition in Japanese or Korean embeds (issue 29): the CJK Sans
# and Serif, regular and bold, and at most the two Latin faces its tables set
# figures in. A face more (a fallback, a weight synthesised, a chart's own
# font) costs 1-60 KB: count them rather than bytes, which vary with the text.
EDITION_FACES = 6


def _glyphs_drawn(pdf: pikepdf.Pdf) -> dict[str, set[int]]:
    """The CIDs each CJK face's width arrays list (the glyphs its text draws)."""
    drawn: dict[str, set[int]] = {}
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0":
            for font in obj.DescendantFonts:
                name = str(font.FontDescriptor.FontName)
                if "CJK" in name:
                    items, cids, i = list(font.W), drawn.setdefault(name, set()), 0
                    while i < len(items):  # c [w1 w2 ...] or c1 c2 w
                        if isinstance(items[i + 1], pikepdf.Array):
                            cids.update(range(int(items[i]), int(items[i]) + len(items[i + 1])))
                            i += 2
                        else:
                            cids.update(range(int(items[i]), int(items[i + 1]) + 1))
                            i += 3
    return drawn


@pytest.mark.parametrize("language", ["ja", "ko"])
def test_cjk_editions_embed_few_faces_each_once_with_only_its_glyphs(
    built_sample: BuiltSample, language: str
) -> None:
    editions = sorted((built_sample.out / "fy2012" / language).glob("*.pdf"))
    assert {p.stem for p in editions} >= {"annual-report", "handout", "donor"}
    for path in editions:
        with pikepdf.open(path) as pdf:
            programs = _programs(pdf)
            drawn = _glyphs_drawn(pdf)
            assert len(programs) <= EDITION_FACES, (path.name, sorted(programs))
            assert 0 < len(drawn) <= CJK_FACES, (path.name, sorted(drawn))
            for name in drawn:
                (stream,) = programs[name]  # each face once
                assert stream.get("/Subtype") == "/CIDFontType0C", (path.name, name)
                glyphs = len(read_cff(stream.read_bytes(), range(1 << 16)).glyphs)
                # Only the glyphs drawn, and .notdef: no padding up to the highest.
                assert glyphs <= len(drawn[name] | {0}), (path.name, name, glyphs)


# Issue 29: each Japanese or Korean edition at most twice its English one. The
# Japanese handout and donor edition are not there yet, set in one family
# (2.21 and 2.36 on the sample, bench/README.md): held below where they were
# before it (2.90 and 2.96), each CJK glyph's outline being at its floor.
TWICE = 2.0
NOT_YET = {("ja", "handout"): 2.5, ("ja", "donor"): 2.5}


@pytest.mark.parametrize("language", ["ja", "ko"])
def test_cjk_editions_within_twice_english_and_one_family_where_the_pack_says(
    built_sample: BuiltSample, language: str
) -> None:
    from reportgen.core import languages

    year = built_sample.out / "fy2012"
    serif = {name.replace(" ", "-") for name in languages.fonts(language).serif}
    for path in sorted((year / language).glob("*.pdf")):
        ratio = path.stat().st_size / (year / "en" / path.name).stat().st_size
        assert ratio <= NOT_YET.get((language, path.stem), TWICE), (path.name, round(ratio, 2))
        with pikepdf.open(path) as pdf:
            faces = {name.split("+")[-1] for name in _glyphs_drawn(pdf)}
        one_family = path.stem in languages.fonts(language).one_family
        # The pack's one family: its sans, regular and bold; the others keep their serif prose.
        assert not faces & serif if one_family else faces & serif, (path.name, sorted(faces))
