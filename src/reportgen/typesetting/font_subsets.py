"""The CJK faces of a PDF embedded with only the glyphs it shows, each face once.

WeasyPrint subsets a CFF font keeping every glyph ID below the highest one
used (HarfBuzz's "retain GIDs"): the PDF's character codes are glyph IDs, so
a subset whose glyphs kept their numbers needs no map. A Latin face numbers
its few hundred glyphs closely and loses nothing by it, but a CJK face has
65,535 glyph slots and a page of Japanese reaches the last of them: each
subset then carries some 60,000 empty glyphs, whose CharStrings offsets alone
(three bytes each, rising by one) deflate to 100-200 KB, ten times the few
hundred outlines actually drawn.

A CID-keyed CFF font needs no such padding: its charset names the CID of
each glyph, and a PDF's CIDFontType0 finds a glyph by CID (PDF 32000-1,
9.7.4.2) when the font is embedded as a bare CFF program (FontFile3 of
subtype CIDFontType0C). So each such face is rewritten here as a bare CFF
with only the glyphs the PDF's width arrays list, each under the code the
PDF draws it by (the glyph ID it had, as its CID): the outlines, their
private dictionaries and the font's top-level entries are copied byte for
byte, and only the tables that locate them are written anew. The same
face embedded twice in one file (a donor letter and the donor edition joined
after it) becomes one program holding the CIDs of both.

Fonts this does not know how to rewrite safely (a name-keyed CFF, TrueType
outlines, local subroutines, two programs of one name that are not the same
face) are left exactly as WeasyPrint wrote them. Pure functions on bytes,
and one pass over a pikepdf document.
"""

from __future__ import annotations

import bisect
import io
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any


class Unsupported(ValueError):
    """A font program this module leaves as it is."""


# --- reading a CFF program ---------------------------------------------------------

_ESCAPE = 12
# Top DICT operators whose operand is an offset into the CFF data (rewritten).
_CHARSET, _CHARSTRINGS, _PRIVATE, _ENCODING = (15,), (17,), (18,), (16,)
_FDARRAY, _FDSELECT, _ROS, _SUBRS, _FONTNAME = (12, 36), (12, 37), (12, 30), (19,), (12, 38)
_CHARSTRING_TYPE = (12, 6)


def _card16(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "big")


def _index(data: bytes, at: int) -> tuple[list[bytes], int]:
    """The items of the CFF INDEX at ``at``, and where the data after it begins."""
    count = _card16(data, at)
    if count == 0:
        return [], at + 2
    size = data[at + 2]
    if not 1 <= size <= 4:
        raise Unsupported(f"an INDEX with offsets of {size} bytes")
    first = at + 3
    offsets = [
        int.from_bytes(data[first + i * size : first + (i + 1) * size], "big")
        for i in range(count + 1)
    ]
    base = first + (count + 1) * size - 1
    items = [data[base + offsets[i] : base + offsets[i + 1]] for i in range(count)]
    return items, base + offsets[-1]


def _encode_index(items: list[bytes]) -> bytes:
    if not items:
        return b"\0\0"
    offsets = [1]
    for item in items:
        offsets.append(offsets[-1] + len(item))
    size = next(n for n in (1, 2, 3, 4) if offsets[-1] < 1 << (8 * n))
    head = len(items).to_bytes(2, "big") + bytes([size])
    return head + b"".join(o.to_bytes(size, "big") for o in offsets) + b"".join(items)


Operator = tuple[int, ...]


@dataclass
class _Entry:
    operator: Operator
    raw: bytes  # the operands as written
    values: list[float]  # the operands decoded (reals as floats)


def _dict(data: bytes) -> list[_Entry]:
    """A CFF DICT's entries in order, each with its operands' bytes kept."""
    entries: list[_Entry] = []
    start, at = 0, 0
    values: list[float] = []
    while at < len(data):
        b0 = data[at]
        if b0 <= 21:
            operator: Operator = (b0, data[at + 1]) if b0 == _ESCAPE else (b0,)
            entries.append(_Entry(operator, data[start:at], values))
            at += len(operator)
            start, values = at, []
        elif b0 == 28:
            values.append(int.from_bytes(data[at + 1 : at + 3], "big", signed=True))
            at += 3
        elif b0 == 29:
            values.append(int.from_bytes(data[at + 1 : at + 5], "big", signed=True))
            at += 5
        elif b0 == 30:
            at += 1
            while not (data[at] & 0x0F == 0x0F or data[at] >> 4 == 0x0F):
                at += 1
            at += 1
            values.append(float("nan"))  # a real: never an offset or a SID
        elif 32 <= b0 <= 246:
            values.append(b0 - 139)
            at += 1
        elif 247 <= b0 <= 250:
            values.append((b0 - 247) * 256 + data[at + 1] + 108)
            at += 2
        elif 251 <= b0 <= 254:
            values.append(-(b0 - 251) * 256 - data[at + 1] - 108)
            at += 2
        else:
            raise Unsupported(f"a DICT byte {b0}")
    if at != start:
        raise Unsupported("a DICT that ends with operands")
    return entries


def _int32(*values: int) -> bytes:
    return b"".join(b"\x1d" + v.to_bytes(4, "big", signed=True) for v in values)


def _operator_bytes(operator: Operator) -> bytes:
    return bytes(operator)


def _encode_dict(entries: list[_Entry], replaced: dict[Operator, bytes]) -> bytes:
    return b"".join(replaced.get(e.operator, e.raw) + _operator_bytes(e.operator) for e in entries)


def _find(entries: list[_Entry], operator: Operator) -> _Entry | None:
    return next((e for e in entries if e.operator == operator), None)


def _charset(data: bytes, at: int, glyphs: int) -> list[int]:
    """The CID of each glyph (glyph 0, .notdef, is CID 0)."""
    cids = [0]
    form, at = data[at], at + 1
    if form == 0:
        cids += [_card16(data, at + 2 * i) for i in range(glyphs - 1)]
        return cids
    if form not in (1, 2):
        raise Unsupported(f"a charset of format {form}")
    while len(cids) < glyphs:
        first = _card16(data, at)
        left = data[at + 2] if form == 1 else _card16(data, at + 2)
        at += 3 if form == 1 else 4
        cids += range(first, first + left + 1)
    return cids[:glyphs]


def _index_items(data: bytes, at: int, which: Iterable[int]) -> tuple[int, dict[int, bytes]]:
    """The number of items of the CFF INDEX at ``at``, and the items numbered
    ``which`` (those it has): a CJK font's 65,535 charstrings are not all read."""
    count = _card16(data, at)
    if count == 0:
        return 0, {}
    size = data[at + 2]
    if not 1 <= size <= 4:
        raise Unsupported(f"an INDEX with offsets of {size} bytes")
    first = at + 3
    base = first + (count + 1) * size - 1
    items = {}
    for i in which:
        if 0 <= i < count:
            where = first + i * size
            start = int.from_bytes(data[where : where + size], "big")
            end = int.from_bytes(data[where + size : where + 2 * size], "big")
            items[i] = data[base + start : base + end]
    return count, items


def _fd_select(data: bytes, at: int, glyphs: Iterable[int]) -> dict[int, int]:
    """The Font DICT of each of ``glyphs``."""
    form = data[at]
    if form == 0:
        return {gid: data[at + 1 + gid] for gid in glyphs}
    if form != 3:
        raise Unsupported(f"an FDSelect of format {form}")
    ranges = _card16(data, at + 1)
    firsts = [_card16(data, at + 3 + 3 * i) for i in range(ranges)]
    fds = [data[at + 5 + 3 * i] for i in range(ranges)]
    return {gid: fds[bisect.bisect_right(firsts, gid) - 1] for gid in glyphs}


@dataclass
class _FontDict:
    entries: list[_Entry]
    private: bytes  # the Private DICT, without local subroutines
    name: str  # its FontName string ("" if none), to match it across programs


@dataclass
class Cff:
    """A CID-keyed CFF program, read enough to copy its glyphs by CID."""

    header: bytes
    names: bytes  # the Name INDEX as written
    top: list[_Entry]
    strings: list[bytes]
    global_subrs: bytes  # the Global Subr INDEX as written
    glyphs: dict[int, tuple[bytes, int]]  # CID -> (charstring, Font DICT number)
    font_dicts: list[_FontDict]


def read_cff(data: bytes, cids: Iterable[int], by_gid: bool = False) -> Cff:
    """A CID-keyed CFF program, with those of its glyphs whose CID is one of
    ``cids`` (and .notdef). ``by_gid``: the program came wrapped in
    OpenType, where the PDF's codes are glyph IDs (WeasyPrint writes
    HarfBuzz's glyph IDs, and readers such as Poppler and PDFium draw glyph
    ID = code from such a font); each glyph is then keyed by its glyph ID,
    which becomes its CID in the bare program, whatever its charset said."""
    header = data[: data[2]]
    _, after_names = _index(data, len(header))
    names = data[len(header) : after_names]
    tops, after_tops = _index(data, after_names)
    if len(tops) != 1:
        raise Unsupported("a CFF with more than one font")
    strings, after_strings = _index(data, after_tops)
    _, after_subrs = _index(data, after_strings)
    top = _dict(tops[0])
    entries = {e.operator: e for e in top}
    if _ROS not in entries:
        raise Unsupported("a name-keyed CFF font")
    if entries.get(_CHARSTRING_TYPE, _Entry((), b"", [2])).values != [2]:
        raise Unsupported("charstrings other than Type 2")
    for needed in (_CHARSET, _CHARSTRINGS, _FDARRAY, _FDSELECT):
        if needed not in entries:
            raise Unsupported("a CID-keyed CFF without charset, CharStrings, FDArray or FDSelect")
    at_charstrings = int(entries[_CHARSTRINGS].values[0])
    if by_gid:
        gids = {cid: cid for cid in cids}
    else:
        count, _ = _index_items(data, at_charstrings, ())
        charset = _charset(data, int(entries[_CHARSET].values[0]), count)
        gids = {cid: gid for gid, cid in enumerate(charset) if cid in cids}
    gids[0] = 0
    _, charstrings = _index_items(data, at_charstrings, gids.values())
    selected = _fd_select(data, int(entries[_FDSELECT].values[0]), charstrings)
    raw_dicts, _ = _index(data, int(entries[_FDARRAY].values[0]))
    font_dicts = []
    for raw in raw_dicts:
        entries_of_fd = _dict(raw)
        private = _find(entries_of_fd, _PRIVATE)
        if private is None:
            raise Unsupported("a Font DICT without a Private DICT")
        size, offset = int(private.values[0]), int(private.values[1])
        private_bytes = data[offset : offset + size]
        if _find(_dict(private_bytes), _SUBRS) is not None:
            raise Unsupported("local subroutines")
        name = _find(entries_of_fd, _FONTNAME)
        named = "" if name is None else _string(strings, int(name.values[0]))
        font_dicts.append(_FontDict(entries_of_fd, private_bytes, named))
    glyphs = {cid: (charstrings[gid], selected[gid])
              for cid, gid in gids.items() if gid in charstrings}  # fmt: skip
    return Cff(header, names, top, strings, data[after_strings:after_subrs], glyphs, font_dicts)


def _string(strings: list[bytes], sid: int) -> str:
    """The string of a SID (those below 391 are CFF's standard strings)."""
    standard = 391
    return f"#{sid}" if sid < standard else strings[sid - standard].decode("latin-1")


def read_opentype_cff(data: bytes) -> bytes:
    """The 'CFF ' table of an OpenType font."""
    if data[:4] != b"OTTO":
        raise Unsupported("not an OpenType font with CFF outlines")
    for i in range(_card16(data, 4)):
        record = 12 + 16 * i
        if data[record : record + 4] == b"CFF ":
            offset = int.from_bytes(data[record + 8 : record + 12], "big")
            length = int.from_bytes(data[record + 12 : record + 16], "big")
            return data[offset : offset + length]
    raise Unsupported("an OpenType font without a CFF table")


# --- writing one ---------------------------------------------------------------------


# DICT operators whose operands are strings by SID (ROS: its first two):
# version, Notice, FullName, FamilyName, Weight, Copyright, PostScript,
# BaseFontName, ROS, FontName.
_SIDS: dict[Operator, int] = {
    (0,): 1, (1,): 1, (2,): 1, (3,): 1, (4,): 1, (12, 0): 1,
    (12, 21): 1, (12, 22): 1, _ROS: 2, _FONTNAME: 1,
}  # fmt: skip


def _same_face(a: Cff, b: Cff) -> bool:
    """Whether two programs are subsets of one face: the same name, global
    subroutines and top-level entries, their strings compared as strings
    (each subset numbers its strings in its own table: HarfBuzz keeps only
    those of the Font DICTs its glyphs use)."""

    def described(cff: Cff) -> list[tuple[Operator, Any]]:
        offsets = (_CHARSET, _CHARSTRINGS, _FDARRAY, _FDSELECT, _PRIVATE, _ENCODING)
        kept = (e for e in cff.top if e.operator not in offsets)
        return [(e.operator, _operands(e, cff.strings)) for e in kept]

    return a.names == b.names and a.global_subrs == b.global_subrs and described(a) == described(b)


def _operands(entry: _Entry, strings: list[bytes]) -> Any:
    """An entry's operands as written, its SIDs as the strings they stand for."""
    sids = _SIDS.get(entry.operator, 0)
    if not sids:
        return entry.raw
    named = tuple(_string(strings, int(v)) for v in entry.values[:sids])
    return (named, tuple(entry.values[sids:]))


def _renumbered(font_dict: _FontDict, strings: list[bytes], merged: list[bytes]) -> _FontDict:
    """``font_dict`` (of a program whose string table is ``strings``) with
    its SIDs renumbered into ``merged``, the written program's table (a
    string it lacks is added at its end)."""
    standard = 391
    entries = []
    for entry in font_dict.entries:
        sids = _SIDS.get(entry.operator, 0)
        if not sids or all(int(v) < standard for v in entry.values[:sids]):
            entries.append(entry)
            continue
        numbers = []
        for value in entry.values[:sids]:
            sid = int(value)
            if sid >= standard:
                text = strings[sid - standard]
                if text not in merged:
                    merged.append(text)
                sid = standard + merged.index(text)
            numbers.append(sid)
        rest = entry.raw if len(entry.values) == sids else None
        if rest is None:
            raise Unsupported("a DICT entry with SIDs and other operands")
        entries.append(_Entry(entry.operator, _int32(*numbers), [float(n) for n in numbers]))
    return _FontDict(entries, font_dict.private, font_dict.name)


def write_cff(programs: list[Cff], cids: Iterable[int]) -> bytes:
    """One bare CFF program (``FontFile3``/``CIDFontType0C``) with the glyphs
    of ``cids`` (and .notdef), each taken from the first of ``programs`` that
    draws it, under its own CID: the first program's names, strings and
    top-level entries, its Font DICTs and those of the others as needed."""
    base = programs[0]
    for other in programs[1:]:
        if not _same_face(base, other):
            raise Unsupported("two programs of different faces")
    wanted = sorted({0, *cids})
    glyphs: list[tuple[int, bytes, _FontDict, Cff]] = []
    for cid in wanted:
        found = [(p.glyphs[cid], p) for p in programs if cid in p.glyphs]
        drawn = [f for f in found if len(f[0][0]) > 1] or found
        if drawn:
            (charstring, fd), program = drawn[0]
            glyphs.append((cid, charstring, program.font_dicts[fd], program))
    # The Font DICTs the glyphs use, in the order first met, matched by name;
    # one of another program with its strings renumbered into the first's.
    merged = list(base.strings)
    used: dict[str, int] = {}
    dicts: list[_FontDict] = []
    selector: list[int] = []
    for _, _, font_dict, program in glyphs:
        key = font_dict.name or f"#{id(font_dict)}"
        if key not in used:
            used[key] = len(dicts)
            same = program is base or program.strings == base.strings
            dicts.append(font_dict if same else _renumbered(font_dict, program.strings, merged))
        selector.append(used[key])

    charset = _encode_charset([cid for cid, _, _, _ in glyphs[1:]])
    fd_select = _encode_fd_select(selector)
    charstrings = _encode_index([c for _, c, _, _ in glyphs])
    top_size = len(_encode_top(base.top, 0, 0, 0, 0))
    strings = _encode_index(merged)
    start = (len(base.header) + len(base.names) + len(_encode_index([b"\0" * top_size]))
             + len(strings) + len(base.global_subrs))  # fmt: skip
    at_charset = start
    at_fd_select = at_charset + len(charset)
    at_charstrings = at_fd_select + len(fd_select)
    at_fd_array = at_charstrings + len(charstrings)
    # Font DICTs with their Private DICTs' offsets, which follow the FDArray.
    fd_sizes = [len(_encode_dict(d.entries, {_PRIVATE: _int32(0, 0)})) for d in dicts]
    fd_array_size = len(_encode_index([b"\0" * n for n in fd_sizes]))
    at_private = at_fd_array + fd_array_size
    fd_items: list[bytes] = []
    privates: list[bytes] = []
    for d in dicts:
        fd_items.append(_encode_dict(d.entries, {_PRIVATE: _int32(len(d.private), at_private)}))
        privates.append(d.private)
        at_private += len(d.private)
    top_dict = _encode_top(base.top, at_charset, at_charstrings, at_fd_array, at_fd_select)
    written = b"".join([
        base.header, base.names, _encode_index([top_dict]), strings, base.global_subrs,
        charset, fd_select, charstrings, _encode_index(fd_items), *privates,
    ])  # fmt: skip
    if len(written) != at_private:
        raise AssertionError("the CFF program's layout was miscounted")
    return written


def _encode_top(top: list[_Entry], charset: int, charstrings: int, fd_array: int,
                fd_select: int) -> bytes:  # fmt: skip
    return _encode_dict(top, {
        _CHARSET: _int32(charset), _CHARSTRINGS: _int32(charstrings),
        _FDARRAY: _int32(fd_array), _FDSELECT: _int32(fd_select),
    })  # fmt: skip


def _ranges(values: list[int]) -> Iterator[tuple[int, int]]:
    """(first, count) of each run of consecutive numbers."""
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[j] + 1:
            j += 1
        yield values[i], j - i + 1
        i = j + 1


def _encode_charset(cids: list[int]) -> bytes:
    """Format 2 (ranges of CIDs), or format 0 where shorter."""
    ranged = b"\2" + b"".join(
        first.to_bytes(2, "big") + (count - 1).to_bytes(2, "big") for first, count in _ranges(cids)
    )
    listed = b"\0" + b"".join(cid.to_bytes(2, "big") for cid in cids)
    return min(ranged, listed, key=len)


def _encode_fd_select(selector: list[int]) -> bytes:
    runs: list[tuple[int, int]] = []  # (first glyph, Font DICT)
    for gid, fd in enumerate(selector):
        if not runs or runs[-1][1] != fd:
            runs.append((gid, fd))
    body = b"".join(first.to_bytes(2, "big") + bytes([fd]) for first, fd in runs)
    return b"\3" + len(runs).to_bytes(2, "big") + body + len(selector).to_bytes(2, "big")


# --- a PDF's fonts ---------------------------------------------------------------------


@dataclass
class _Face:
    programs: list[Cff]
    streams: list[Any]  # the FontFile3 streams, each with its program
    descriptors: list[Any]
    cids: set[int]


def _widths_cids(widths: Any) -> Iterator[int]:
    """The CIDs a /W array gives widths for (``c [w1 w2 ...]`` and ``c1 c2 w``)."""
    import pikepdf

    items = list(widths)
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            yield from range(first, first + len(items[i + 1]))
            i += 2
        else:
            yield from range(first, int(items[i + 1]) + 1)
            i += 3


def _cid_fonts(pdf: Any) -> Iterator[Any]:
    """Each CIDFontType0 font the pages draw with, once: those of the pages'
    resources and, within them, of forms, patterns, Type 3 glyphs and
    annotations' appearances (fewer objects to look at than the whole file)."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    todo = [page.obj for page in pdf.pages]
    while todo:
        node = todo.pop()
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        resources = node.get("/Resources")
        parent = node.get("/Parent")
        while resources is None and parent is not None:  # a page's inherited resources
            resources, parent = parent.get("/Resources"), parent.get("/Parent")
        if resources is not None:
            for font in resources.get("/Font", {}).values():
                if font.get("/Subtype") == "/Type0":
                    for descendant in font.get("/DescendantFonts", []):
                        if descendant.get("/Subtype") == "/CIDFontType0" and (
                            descendant.objgen not in seen or not descendant.is_indirect
                        ):
                            seen.add(descendant.objgen)
                            yield descendant
                elif font.get("/Subtype") == "/Type3":
                    todo.append(font)
                    todo.extend(font.get("/CharProcs", {}).values())
            for kind in ("/XObject", "/Pattern"):
                todo.extend(resources.get(kind, {}).values())
        for annotation in node.get("/Annots", []):
            for appearance in annotation.get("/AP", {}).values():
                if isinstance(appearance, pikepdf.Stream):
                    todo.append(appearance)
                else:  # one appearance per state
                    todo.extend(appearance.values())


def _faces(pdf: Any) -> dict[str, _Face]:
    """The CID-keyed CFF faces the pages of ``pdf`` draw with, by name, each
    with every program, stream and descriptor of that name and the CIDs its
    fonts show."""
    import pikepdf

    found: dict[str, tuple[dict[tuple[int, int], Any], list[Any], set[int]]] = {}
    for font in _cid_fonts(pdf):
        descriptor = font.get("/FontDescriptor")
        stream = None if descriptor is None else descriptor.get("/FontFile3")
        if descriptor is None or stream is None or "/W" not in font:
            continue
        streams, descriptors, cids = found.setdefault(str(descriptor.FontName), ({}, [], set()))
        streams[stream.objgen] = stream
        descriptors.append(descriptor)
        cids.update(_widths_cids(font.W))
    faces = {}
    for name, (streams, descriptors, cids) in found.items():
        try:
            programs = [_program(stream, cids) for stream in streams.values()]
        except (Unsupported, IndexError, ValueError, pikepdf.PdfError):
            continue
        faces[name] = _Face(programs, list(streams.values()), descriptors, cids)
    return faces


def _program(stream: Any, cids: set[int]) -> Cff:
    kind, data = stream.get("/Subtype"), stream.read_bytes()
    if kind == "/OpenType":
        return read_cff(read_opentype_cff(data), cids, by_gid=True)
    if kind == "/CIDFontType0C":
        return read_cff(data, cids)
    raise Unsupported(f"a font program of subtype {kind}")


def share_and_trim(pdf: Any) -> int:
    """Rewrite each CID-keyed CFF face of ``pdf`` (pikepdf) once, with only
    the CIDs its fonts' width arrays list, as a bare CFF program that every
    font of that face refers to. The number of faces rewritten."""
    import pikepdf

    done = 0
    for face in _faces(pdf).values():
        try:
            program = write_cff(face.programs, face.cids)
        except Unsupported:
            continue
        # A new stream: a font this pass did not see (none, as WeasyPrint
        # writes PDFs) would keep the program it had, whole.
        stream = pdf.make_stream(zlib.compress(program))
        stream.Filter = pikepdf.Name.FlateDecode
        stream.Subtype = pikepdf.Name.CIDFontType0C
        for descriptor in face.descriptors:
            descriptor.FontFile3 = stream
        done += 1
    return done


def needs_trimming(data: bytes) -> bool:
    """Whether a PDF as WeasyPrint writes it may hold a font to rewrite: an
    OpenType font program (a font stream's dictionary is never compressed)."""
    return b"/OpenType" in data


def trimmed_pdf(data: bytes) -> bytes:
    """``data`` (a PDF) with its CJK faces trimmed (``share_and_trim``), or
    ``data`` itself when it has none. Deterministic: the same bytes give the
    same bytes; every other object is copied as it was (not re-encoded)."""
    import pikepdf

    if not needs_trimming(data):
        return data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if not share_and_trim(pdf):
            return data
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
        )
        return out.getvalue()
