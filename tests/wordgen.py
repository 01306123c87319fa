"""Real Word documents for the tests, written with python-docx, and the parts
python-docx has no API for (footnotes, fields, linked pictures, hyperlinks)
written into the package the way Word writes them."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from PIL import Image

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def png(width: int = 120, height: int = 60, colour: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def huge_png(width: int = 50_000, height: int = 50_000) -> bytes:
    """A PNG that says it is ``width`` x ``height`` (a few bytes of pixels
    follow): what a decompression bomb looks like to a reader of headers."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    pixels = zlib.compress(b"\x00" + b"\x00" * width, 9)  # one row of the many
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))  # fmt: skip


def document(title: str | None = "Our year", *paragraphs: str) -> DocumentObject:
    doc = Document()
    if title is not None:
        doc.add_heading(title, level=1)
    for text in paragraphs:
        doc.add_paragraph(text)
    return doc


def add_picture(doc: DocumentObject, data: bytes, alt: str | None, width_mm: float = 60) -> None:
    shape = doc.add_paragraph().add_run().add_picture(io.BytesIO(data), width=Mm(width_mm))
    if alt is not None:
        shape._inline.docPr.set("descr", alt)


LIST_IDS = {False: 901, True: 902}  # numbering definitions of nine levels, as Word has


def add_list_item(doc: DocumentObject, text: str, level: int, numbered: bool = False) -> None:
    """A list paragraph at ``level`` (0-based) of a bulleted or numbered list."""
    numbering = doc.part.numbering_part.element
    if not numbering.xpath(f'./w:num[@w:numId="{LIST_IDS[numbered]}"]'):
        for kind, num_id in (("bullet", LIST_IDS[False]), ("decimal", LIST_IDS[True])):
            levels = "".join(
                f'<w:lvl w:ilvl="{n}"><w:start w:val="1"/><w:numFmt w:val="{kind}"/>'
                f'<w:lvlText w:val="{"•" if kind == "bullet" else f"%{n + 1}."}"/></w:lvl>'
                for n in range(9)
            )
            numbering.insert(0, parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">{levels}</w:abstractNum>'
            ))  # fmt: skip
            numbering.append(parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/>'
                "</w:num>"
            ))  # fmt: skip
    paragraph = doc.add_paragraph(text)
    props = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    props.get_or_add_ilvl().val = level
    props.get_or_add_numId().val = LIST_IDS[numbered]


def add_hyperlink(doc: DocumentObject, text: str, url: str) -> None:
    paragraph = doc.add_paragraph("See ")
    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>'
    )
    paragraph._p.append(link)


def add_field(doc: DocumentObject, code: str, shown: str) -> None:
    """A complex field, as Word writes one: begin, code, separate, result, end."""
    paragraph = doc.add_paragraph("Field: ")
    for xml in (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r><w:t>{shown}</w:t></w:r>",
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)))


def add_linked_picture(doc: DocumentObject, target: str) -> None:
    """A picture whose bytes stay outside the document (Insert > Link to File)."""
    add_picture(doc, png(), "A linked picture")
    blip = doc.paragraphs[-1]._p.xpath(".//a:blip")[0]
    rid = doc.part.relate_to(target, RT.IMAGE, is_external=True)
    del blip.attrib[qn("r:embed")]
    blip.set(qn("r:link"), rid)


def save(doc: DocumentObject, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def add_footnote(path: Path, anchor: str, note: str) -> None:
    """Give the paragraph holding ``anchor`` a footnote saying ``note``: the
    footnotes part, its relationship and content type, and the reference run."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W_NS}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        f'<w:footnote w:id="1"><w:p><w:r><w:t>{note}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    parts["word/footnotes.xml"] = footnotes.encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>',
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/word/footnotes.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
    ).encode()
    body = parts["word/document.xml"].decode()
    run = f"<w:t>{anchor}</w:t></w:r>"
    assert run in body, anchor
    parts["word/document.xml"] = body.replace(
        run, run + '<w:r><w:footnoteReference w:id="1"/></w:r>', 1
    ).encode()
    rewrite(path, parts)


def rewrite(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def add_part(path: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts[name] = data
    rewrite(path, parts)


def encrypted_container() -> bytes:
    """The start of what Word writes for a password-protected document: an OLE
    compound file (its signature, then sectors) whose directory names the
    streams EncryptionInfo and EncryptedPackage (UTF-16LE)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    names = b"".join(
        n.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64
        for n in ("Root Entry", "EncryptionInfo", "EncryptedPackage")
    )
    return header + names + b"\x00" * 1024


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def with_dtd(xml: bytes, padding: int = 0, entity: str = "secret", text: str = "") -> bytes:
    """A part with a DTD declaring ``entity`` as ``text``, after an XML comment
    of ``padding`` bytes (spread over lines), as in a hand-made package."""
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    root = body.lstrip()[1:].split(None, 1)[0].rstrip(b">/")
    comment = b"<!--" + b"\n".join([b"x" * 99] * (padding // 100)) + b"-->\n" if padding else b""
    dtd = f'<!DOCTYPE {root.decode()} [<!ENTITY {entity} "{text}">]>\n'.encode()
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + comment + dtd + body


def move_main_part(path: Path, name: str, decoy: DocumentObject | None = None) -> None:
    """Make ``name`` the document's main part, as ``_rels/.rels`` and
    [Content_Types].xml say (its own relationships moved beside it); with a
    ``decoy``, word/document.xml holds that other document's body, which Word
    never shows."""
    parts = parts_of(path)
    folder, _, base = name.rpartition("/")
    parts[name] = parts.pop("word/document.xml")
    rels = parts.pop("word/_rels/document.xml.rels")
    parts[f"{folder}/_rels/{base}.rels"] = rels
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"word/document.xml", name.encode())
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"/word/document.xml", f"/{name}".encode()
    )
    if decoy is not None:
        buffer = io.BytesIO()
        decoy.save(buffer)
        with zipfile.ZipFile(buffer) as other:
            parts["word/document.xml"] = other.read("word/document.xml")
    rewrite(path, parts)
