"""Read narrative/*.docx: a Word document into the same ``RawNarrative`` as Markdown.

The package is judged before any parser sees it: its size, its zip archive
(members, inflated sizes, ratio, as for workbooks), its kind (an encrypted or
old binary document is an OLE container, not a zip; a macro-enabled one holds
a VBA project) and its XML: every part that is XML is read through by expat
(the parser mammoth's minidom uses) and refused if it declares a DTD anywhere,
so no entity of it can put text into the document. The document is then found
the way Word (and mammoth) find it: the ``officeDocument`` relationship of
``_rels/.rels``, whose part [Content_Types].xml must call a Word document;
``word/document.xml`` is only a usual name. A scan of that main part, and of
every part it refers to (notes, comments, headers, footers), finds what Word
can pull in from outside (linked pictures, INCLUDE and DDE fields) and where
each picture sits and how large Word draws it. mammoth turns Word's semantic
structure into HTML, with each picture handed to a callback that checks it by
its bytes through the gate's rules (20 MB, 60 megapixels, allowed kinds) and
names it by its SHA-256; ``word_html`` writes that HTML as Markdown with every
character of text escaped. From there on a Word document is a Markdown
narrative like any other: same sanitising, same link rules, same model.
"""

from __future__ import annotations

import hashlib
import itertools
import zipfile
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostics, Location
from reportgen.core.file_gate import MAX_BYTES as MAX_PICTURE_BYTES
from reportgen.core.file_gate import RefusedResource, picture_type
from reportgen.core.plaintext import describe, forbidden_in
from reportgen.core.private_apis import DependencyChanged, with_leading_text
from reportgen.reading.readers.raw_narrative import MAX_BYTES as MAX_TEXT_BYTES
from reportgen.reading.readers.raw_narrative import Picture, RawNarrative
from reportgen.reading.readers.tables import archive_problem
from reportgen.reading.readers.word_html import MARKER, NestedTooDeep, to_markdown

MAX_DOCX_BYTES = 64 * 2**20  # pictures make a document large; its text never is
# One XML part: 300 pages of text with Word's run markup is some 5 MB of XML;
# mammoth holds a part as a DOM, at about 15 times its size.
MAX_XML_BYTES = 24 * 2**20
MAX_PICTURES = 500
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of encrypted and .doc files
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MACRO_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# Parts mammoth reads beside the main one, by these names when no relationship
# of the main part names them (mammoth.docx._find_part_path's fallback).
_MAMMOTH_FALLBACKS = ("word/footnotes.xml", "word/endnotes.xml", "word/comments.xml")
# Parts the main part refers to that hold formatting, never text of the
# document (mammoth reads styles and numbering as such): not scanned for
# fields, which saves parsing a megabyte of styles per document.
_FORMATTING = frozenset({"styles", "stylesWithEffects", "numbering", "settings", "webSettings",
                         "fontTable", "theme"})  # fmt: skip
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
V = "{urn:schemas-microsoft-com:vml}"
MC_CHOICE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Choice"
EMU_PER_MM = 36_000
# Fields that bring in another file, a program's data or an embedded object.
OUTSIDE_FIELDS = frozenset({"INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "LINK", "DDE",
                            "DDEAUTO", "IMPORT", "EMBED", "AUTOTEXT", "AUTOTEXTLIST"})  # fmt: skip
# Fields whose shown text is all a report needs (mammoth makes HYPERLINK a link).
QUIET_FIELDS = frozenset({"HYPERLINK", "PAGE", "NUMPAGES", "SECTIONPAGES"})
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
"""


@dataclass(frozen=True)
class _Drawing:
    """A picture as document.xml places it."""

    place: str  # "¶14"
    width_mm: float | None
    height_mm: float | None
    linked: bool  # the bytes are outside the document, only named by it


@dataclass
class _Scan:
    drawings: list[_Drawing] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)  # (place, field code)


def read_docx(path: Path, diags: Diagnostics) -> RawNarrative | None:
    """The document as a ``RawNarrative``; ``None`` (with errors) when it cannot be read."""
    problem = _package_problem(path)
    if problem is not None:
        diags.error(Location(path), problem)
        return None
    before = len(diags.errors)
    try:
        scan = _scan(path)
    except ValueError as exc:
        diags.error(Location(path), M.WORD_UNREADABLE(reason=_reason(exc)))
        return None
    _report_scan(path, scan, diags)
    converted = _convert(path, scan, diags)
    if converted is None or len(diags.errors) > before:
        return None
    html, pictures = converted
    try:
        lines, places = to_markdown(html)
    except NestedTooDeep as exc:
        diags.error(Location(path, cell=exc.place or None), str(exc))
        return None
    except RecursionError:  # tables inside tables inside tables, past any real document
        diags.error(Location(path), str(NestedTooDeep("")))
        return None
    body = "\n".join(lines)
    if not _checked_text(path, lines, places, body, diags):
        return None
    return RawNarrative(path, body=body, places=tuple(places), pictures=pictures)


def _package_problem(path: Path) -> M.Text | None:
    """Why the file is not read at all, or ``None``: judged on bytes and the zip
    directory only, before any XML parser or mammoth sees it."""
    size = path.stat().st_size
    if size > MAX_DOCX_BYTES:
        return M.WORD_TOO_BIG(size=size / 2**20, most=MAX_DOCX_BYTES // 2**20)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == _OLE:
        return _ole_problem(path)
    problem = archive_problem(path, M.ARCHIVE_DOCUMENT())
    if problem is not None:
        if problem.code == M.ARCHIVE_UNREADABLE.code:
            return M.WORD_DAMAGED(reason=problem.values["reason"])
        return problem
    with zipfile.ZipFile(path) as archive:
        return _parts_problem(archive)


def _ole_problem(path: Path) -> M.Text:
    """An OLE container named .docx: Word encrypts a protected document into
    one (its streams are named EncryptionInfo and EncryptedPackage)."""
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data:
        return M.WORD_ENCRYPTED()
    return M.WORD_BINARY()


def _parts_problem(archive: zipfile.ZipFile) -> M.Text | None:
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        return M.WORD_NO_TYPES()
    for info in archive.infolist():
        problem = _xml_problem(archive, info)
        if problem is not None:
            return problem
    types = archive.read("[Content_Types].xml")
    if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in types:
        return _MACROS
    try:
        _main_part(archive)
    except ValueError as exc:
        return _reason(exc)
    return None


_MACROS = M.WORD_MACROS()
_NOT_WORD = M.WORD_NOT_WORD()


def _reason(exc: ValueError) -> M.Text:
    """Why a document is refused: the catalog's words the reader raised, or
    (from a library) its own words, framed."""
    said = exc.args[0] if exc.args else None
    return said if isinstance(said, M.Text) else M.LIBRARY_REASON(reason=exc)


class _Declared(Exception):
    """expat met a DTD (or an entity declaration, which only a DTD holds)."""


def _looks_like_xml(head: bytes) -> bool:
    """Whether expat could read a part starting with ``head`` as XML: after a
    byte-order mark and white space (in UTF-8 or UTF-16), a '<'. A part of
    nothing but white space so far counts too: it is read to its end."""
    squeezed = head.replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe").lstrip()
    return squeezed[:1] in (b"<", b"")


def _xml_problem(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> M.Text | None:
    """Why one member of the package is refused as XML, or ``None``: too large,
    not well-formed, or declaring a DTD wherever it does (after a comment of
    any length too). Members that are not XML (pictures) are judged elsewhere."""
    with archive.open(info) as part:
        head = part.read(4096)
    if info.is_dir() or (not head and info.file_size == 0) or not _looks_like_xml(head):
        return None
    if info.file_size > MAX_XML_BYTES:
        return M.WORD_PART_TOO_BIG(part=info.filename, size=info.file_size / 2**20,
                                   most=MAX_XML_BYTES // 2**20)  # fmt: skip
    parser = expat.ParserCreate()

    def declared(*args: object) -> None:
        raise _Declared

    parser.StartDoctypeDeclHandler = declared
    parser.EntityDeclHandler = declared
    parser.UnparsedEntityDeclHandler = declared
    try:
        parser.Parse(archive.read(info), True)
    except _Declared:
        return M.WORD_PART_DTD(part=info.filename, line=parser.CurrentLineNumber)
    except expat.ExpatError as exc:
        if info.filename.lower().endswith((".xml", ".rels")):
            reason = M.LIBRARY_REASON(reason=expat.errors.messages[exc.code])
            return M.WORD_PART_NOT_XML(part=info.filename, line=exc.lineno, reason=reason)
    return None


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _xml(archive: zipfile.ZipFile, name: str) -> Any:
    """A part as an lxml element (every part was checked by ``_xml_problem``)."""
    from lxml import etree

    try:
        return etree.fromstring(archive.read(name), _parser())
    except etree.XMLSyntaxError as exc:
        raise ValueError(M.WORD_XML_BAD(name=name, reason=M.LIBRARY_REASON(reason=exc))) from None


@dataclass(frozen=True)
class _Relationship:
    kind: str  # the last segment of its type: "officeDocument", "footnotes", "image"
    type: str
    target: str | None  # the part it names, as a member of the zip; None: outside
    id: str


def _rels_of(name: str) -> str:
    """The relationships part of part ``name`` (``word/_rels/document.xml.rels``)."""
    folder, _, base = name.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def _relationships(archive: zipfile.ZipFile, source: str | None) -> list[_Relationship]:
    """The relationships of part ``source`` (``None``: of the package), their
    targets resolved as mammoth resolves them: relative to the source's
    folder, or from the root when they start with '/'."""
    name = _rels_of(source) if source else "_rels/.rels"
    if name not in archive.namelist():
        return []
    folder = source.rpartition("/")[0] if source else ""
    found = []
    for rel in _xml(archive, name).iter(PACKAGE_RELS):
        kind = str(rel.get("Type") or "")
        target = str(rel.get("Target") or "")
        outside = rel.get("TargetMode") == "External"
        found.append(_Relationship(
            kind.rpartition("/")[2], kind, None if outside else _part_name(folder, target),
            str(rel.get("Id")),
        ))  # fmt: skip
    return found


def _part_name(folder: str, target: str) -> str:
    """A relationship's target as the zip member it names; a target with '.'
    or '..' segments, backslashes or escapes (which Word and mammoth would
    resolve differently) names none ('')."""
    joined = target if target.startswith("/") or not folder else f"{folder}/{target}"
    joined = joined.lstrip("/")
    segments = joined.split("/")
    if any(s in ("", ".", "..") for s in segments) or "\\" in joined or "%" in joined:
        return ""
    return joined


def _main_part(archive: zipfile.ZipFile) -> str:
    """The document's main part, as Word finds it: the one ``officeDocument``
    relationship of ``_rels/.rels``, naming a part of the package that
    [Content_Types].xml calls a Word document. ValueError says why not."""
    office = [r for r in _relationships(archive, None) if r.kind == "officeDocument"]
    if len(office) != 1 or office[0].type != _OFFICE_DOCUMENT:
        raise ValueError(M.WORD_NO_MAIN())
    name = office[0].target
    if not name or name not in archive.namelist():
        target = office[0].target
        raise ValueError(M.WORD_MAIN_MISSING(part=target) if target else M.WORD_MAIN_OUTSIDE())
    kind = _content_type(archive, name)
    if kind == _MACRO_TYPE:
        raise ValueError(_MACROS)
    if kind != _MAIN_TYPE:
        raise ValueError(_NOT_WORD)
    return name


def _content_type(archive: zipfile.ZipFile, name: str) -> str | None:
    """What [Content_Types].xml says part ``name`` is: its Override, else the
    Default for its extension (both compared without case, as OPC says)."""
    types = _xml(archive, "[Content_Types].xml")
    for override in types.iter(f"{CONTENT_TYPES}Override"):
        if str(override.get("PartName") or "").lower() == f"/{name}".lower():
            return str(override.get("ContentType"))
    extension = name.rpartition(".")[2].lower()
    for default in types.iter(f"{CONTENT_TYPES}Default"):
        if str(default.get("Extension") or "").lower() == extension:
            return str(default.get("ContentType"))
    return None


def _related_parts(archive: zipfile.ZipFile, main: str) -> list[tuple[str, str]]:
    """(what it is, part name) of every XML part the main part refers to but
    its formatting, and of those they refer to (a footnote's own parts), and
    the parts mammoth reads by their usual names: where a field can sit
    besides the body."""
    names = set(archive.namelist())
    found: dict[str, str] = {}
    todo = deque([main])
    while todo:
        for rel in _relationships(archive, todo.popleft()):
            target = rel.target
            if not target or target == main or target in found or target not in names:
                continue
            if rel.kind in _FORMATTING:
                continue
            if _is_xml(archive, target):
                found[target] = rel.kind
                todo.append(target)
    for name in _MAMMOTH_FALLBACKS:
        if name in names and name not in found and name != main:
            found[name] = name.rpartition("/")[2].removesuffix(".xml")
    return [(kind, name) for name, kind in found.items()]


def _is_xml(archive: zipfile.ZipFile, name: str) -> bool:
    with archive.open(name) as part:
        return _looks_like_xml(part.read(4096))


def _scan(path: Path) -> _Scan:
    """Pictures (place, size, linked or not) and fields of the document's main
    part, in document order, skipping what mammoth skips (``mc:Choice``); the
    fields of every part it refers to as well ("footnotes ¶2")."""
    with zipfile.ZipFile(path) as archive:
        main = _main_part(archive)
        root = _xml(archive, main)
        external = {r.id for r in _relationships(archive, main) if r.target is None}
        related = [(kind, _xml(archive, name)) for kind, name in _related_parts(archive, main)]
    scan = _Scan()
    for label, part in [("", root), *related]:
        count = 0
        for paragraph in part.iter(f"{W}p"):
            if any(a.tag == MC_CHOICE for a in paragraph.iterancestors()):
                continue
            count += 1
            place = f"{label} ¶{count}".lstrip()
            _scan_paragraph(paragraph, place, external if part is root else None, scan)
    return scan


def _scan_paragraph(paragraph: Any, place: str, external: set[str] | None, scan: _Scan) -> None:
    """The paragraph's fields; its pictures too when ``external`` (the ids of
    the main part's outside relationships) is given."""

    def own(element: Any) -> bool:  # not inside a nested paragraph (a text box)
        return next(element.iterancestors(f"{W}p")) is paragraph and not any(
            a.tag == MC_CHOICE for a in element.iterancestors()
        )

    for element in paragraph.iter(f"{WP}inline", f"{WP}anchor", f"{V}imagedata"):
        if external is None:
            break
        if not own(element):
            continue
        if element.tag == f"{V}imagedata":
            scan.drawings.append(_Drawing(place, None, None, element.get(f"{R}id") in external))
            continue
        blip = next(element.iter(f"{A}blip"), None)
        if blip is None:
            continue  # a chart or shape without a picture: mammoth shows nothing
        extent = element.find(f"{WP}extent")
        width, height = _extent(extent)
        linked = blip.get(f"{R}embed") is None and blip.get(f"{R}link") is not None
        scan.drawings.append(_Drawing(place, width, height, linked))
    for code in _field_codes(paragraph, own):
        kind = code.split()[0].upper() if code.split() else ""
        if kind:
            scan.fields.append((place, kind))


def _field_codes(paragraph: Any, own: Callable[[Any], bool]) -> list[str]:
    """The code of each field of the paragraph: a simple field's ``w:instr``, or
    the ``w:instrText`` runs between a complex field's begin and separate marks."""
    codes = [str(f.get(f"{W}instr") or "") for f in paragraph.iter(f"{W}fldSimple") if own(f)]
    current: list[str] | None = None
    for element in paragraph.iter(f"{W}fldChar", f"{W}instrText"):
        if not own(element):
            continue
        if element.tag == f"{W}instrText":
            if current is not None:
                current.append(element.text or "")
            continue
        kind = element.get(f"{W}fldCharType")
        if kind == "begin":
            current = []
        elif current is not None:  # separate or end: the code is complete
            codes.append("".join(current))
            current = None
    return codes


def _extent(extent: Any) -> tuple[float | None, float | None]:
    if extent is None:
        return None, None
    try:
        return int(extent.get("cx")) / EMU_PER_MM, int(extent.get("cy")) / EMU_PER_MM
    except (TypeError, ValueError):
        return None, None


def _report_scan(path: Path, scan: _Scan, diags: Diagnostics) -> None:
    if len(scan.drawings) > MAX_PICTURES:
        diags.error(
            Location(path),
            M.WORD_TOO_MANY_PICTURES(count=len(scan.drawings), limit=MAX_PICTURES),
        )
    for number, drawing in enumerate(scan.drawings, start=1):
        if drawing.linked:
            diags.error(
                Location(path, cell=drawing.place),
                M.WORD_LINKED_PICTURE(number=number),
            )
    for place, kind in scan.fields:
        where = Location(path, cell=place)
        if kind in OUTSIDE_FIELDS:
            diags.error(
                where,
                M.WORD_OUTSIDE_FIELD(kind=kind),
            )
        elif kind not in QUIET_FIELDS:
            diags.warning(
                where,
                M.WORD_STALE_FIELD(kind=kind),
            )


def _convert(path: Path, scan: _Scan, diags: Diagnostics) -> tuple[str, dict[str, Picture]] | None:
    """mammoth's HTML of the document, each paragraph opening with its number
    (``MARKER``), and the pictures it holds by SHA-256."""
    import mammoth
    from mammoth import documents, transforms

    pictures: dict[str, Picture] = {}
    numbers: dict[int, int] = {}  # id(mammoth image) -> picture number

    def prepare(document: Any) -> Any:
        images = transforms.get_descendants_of_type(document, documents.Image)
        numbers.update({id(image): n for n, image in enumerate(images, start=1)})
        counter = itertools.count(1)

        def mark(paragraph: Any) -> Any:
            return with_leading_text(paragraph, MARKER.format(next(counter)))

        return transforms.paragraph(mark)(document)

    callback = _picture_callback(path, scan, numbers, pictures, diags)
    try:
        with path.open("rb") as handle:
            result = mammoth.convert_to_html(
                handle,
                style_map=STYLE_MAP,
                include_embedded_style_map=False,  # a document's own map could emit any tag
                external_file_access=False,
                transform_document=prepare,
                convert_image=mammoth.images.img_element(callback),
            )
    except DependencyChanged:
        raise  # the installation's fault, not the document's
    except Exception as exc:  # mammoth raises many kinds for a damaged document
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        diags.error(Location(path), M.WORD_UNREADABLE(reason=text))
        return None
    return str(result.value), pictures


def _picture_callback(
    path: Path,
    scan: _Scan,
    numbers: dict[int, int],
    pictures: dict[str, Picture],
    diags: Diagnostics,
) -> Callable[[Any], dict[str, str]]:
    def convert(image: Any) -> dict[str, str]:
        number = numbers.get(id(image), 0)
        drawing = scan.drawings[number - 1] if 0 < number <= len(scan.drawings) else None
        if drawing is not None and drawing.linked:
            return {}  # reported by _report_scan
        where = Location(path, cell=drawing.place if drawing else None)
        picture = _picture(image, number, pictures, where, diags)
        if picture is None:
            return {}
        if not image.alt_text:
            diags.warning(
                where,
                M.WORD_NO_ALT(number=number),
            )
        size = ""
        if drawing is not None and drawing.width_mm and drawing.height_mm:
            size = f"#{drawing.width_mm:.1f}x{drawing.height_mm:.1f}"
        return {"src": f"word-picture:{picture.sha}{size}"}

    return convert


def _picture(
    image: Any, number: int, pictures: dict[str, Picture], where: Location, diags: Diagnostics
) -> Picture | None:
    """The picture's bytes, checked like any picture a report embeds."""
    try:
        with image.open() as handle:
            data = handle.read(MAX_PICTURE_BYTES + 1)
    except Exception:  # a missing part, or a linked file mammoth will not open
        diags.error(where, M.WORD_PICTURE_UNREADABLE(number=number))
        return None
    if len(data) > MAX_PICTURE_BYTES:
        diags.error(
            where,
            M.WORD_PICTURE_TOO_LARGE(number=number, limit=MAX_PICTURE_BYTES // 2**20),
        )
        return None
    sha = hashlib.sha256(data).hexdigest()
    if sha in pictures:  # the same picture twice is checked once
        return pictures[sha]
    try:
        mime = picture_type(data, M.GATE_PICTURE_NUMBER(number=number))
    except RefusedResource as exc:
        diags.error(where, exc.reason)
        return None
    pictures[sha] = Picture(sha, mime, data)
    return pictures[sha]


def _checked_text(
    path: Path, lines: list[str], places: list[str], body: str, diags: Diagnostics
) -> bool:
    """The same text rules as a Markdown file: a size limit, and no character
    that is not text (each found one is an error at its paragraph)."""
    size = len(body.encode("utf-8"))
    if size > MAX_TEXT_BYTES:
        diags.error(
            Location(path),
            M.WORD_TOO_MUCH_TEXT(size=size / 2**20, limit=MAX_TEXT_BYTES // 2**20),
        )
        return False
    ok = True
    for line, place in zip(lines, places, strict=True):
        found = forbidden_in(line)
        if found is not None:
            diags.error(
                Location(path, cell=place or None),
                M.WORD_NOT_TEXT(char=describe(found[1])),
            )
            ok = False
    return ok
