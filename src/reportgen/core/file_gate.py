"""The one gate for every file a build reads or embeds besides its own input.

Tables, settings and narrative are read by ``readers``. Everything else a
build touches (the logo a setting names, the pictures and links of the
narrative, whatever WeasyPrint asks for while laying out) passes here, and
only here, both when ``check`` validates and when a document is rendered:

- it must resolve (symlinks first) inside the report set: the folder holding
  ``organization.toml``, or the year folder when there is none; reportgen's
  own templates are the one other, trusted, root;
- it is never input: not a data folder, a table, a settings or narrative
  file, a hidden file, whatever its content;
- it is one of the allowed kinds by its bytes, not its name (PNG, JPEG, GIF,
  WebP, or an SVG without scripts, DTDs or outside references), within size
  and pixel limits, and a raster picture must decode completely, so that a
  picture the renderer could not load is refused here with a reason.

A refusal is a ``RefusedResource`` saying what and why; callers turn it into
a located diagnostic or an error. The network is never reached.
"""

from __future__ import annotations

import base64
import binascii
import functools
import io
import mimetypes
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from reportgen.core import messages as M

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 60_000_000  # a 50-megapixel camera's photo passes; 50,000 x 50,000 does not
RASTER_KINDS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
SVG_TYPE = "image/svg+xml"
TEMPLATE_SUFFIX = ".j2"  # the only files a theme's templates may load
MAX_TEMPLATE_BYTES = 1_000_000
# Input of the report, never embedded whatever its bytes say.
INPUT_SUFFIXES = frozenset({
    ".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods", ".toml", ".md", ".markdown", ".docx",
    ".docm", ".doc", ".txt", ".json", ".yaml", ".yml", ".py", ".j2", ".html",
})  # fmt: skip
ORGANIZATION_FILE = "organization.toml"
_SVG_NS = "{http://www.w3.org/2000/svg}"
_ACTIVE_ELEMENTS = frozenset({"script", "foreignObject", "iframe", "embed", "object", "handler"})
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


class RefusedResource(ValueError):
    """A file or URL the build may not read or embed; the message says why
    (``reason``: the catalog's, in the user's language when shown)."""

    def __init__(self, reason: M.Text) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Resource:
    data: bytes
    mime_type: str

    @property
    def data_uri(self) -> str:
        return f"data:{self.mime_type};base64,{base64.b64encode(self.data).decode()}"


def report_set(year_root: Path) -> Path:
    """The folder a year's files may come from: its report set, or itself alone."""
    parent = year_root.resolve().parent
    return parent if (parent / ORGANIZATION_FILE).is_file() else year_root.resolve()


@dataclass(frozen=True)
class Gate:
    root: Path  # the report set, resolved
    trusted: tuple[Path, ...] = ()  # reportgen's own files (templates): served as they are

    @classmethod
    def of(cls, year_root: Path, trusted: Sequence[Path] = ()) -> Gate:
        return cls(report_set(year_root), tuple(t.resolve() for t in trusted))

    def locate(self, name: str, base: Path, label: str | None = None) -> Path:
        """The file a relative or absolute path names, if it may be read at all;
        ``label`` names it in a refusal (default: the name, quoted)."""
        it = label or M.GATE_NAMED(name=name)
        path = Path(name)
        if not path.is_absolute():
            path = base / path
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop
            raise RefusedResource(M.GATE_NO_SUCH_FILE(it=it)) from None
        if any(resolved.is_relative_to(t) for t in self.trusted):
            return resolved
        if not resolved.is_relative_to(self.root):
            raise RefusedResource(M.GATE_OUTSIDE(it=it))
        if not resolved.is_file():
            raise RefusedResource(M.GATE_NO_SUCH_FILE(it=it))
        inner = resolved.relative_to(self.root).parts
        if any(part.startswith(".") for part in inner):
            raise RefusedResource(M.GATE_HIDDEN(it=it))
        if resolved.suffix.lower() in INPUT_SUFFIXES:
            raise RefusedResource(M.GATE_INPUT_FILE(it=it))
        if "data" in inner[:-1]:
            raise RefusedResource(M.GATE_IN_DATA(it=it))
        return resolved

    def admit(self, name: str, base: Path, label: str | None = None) -> Resource:
        """A picture the build may embed: located, then checked by its bytes."""
        it = label or M.GATE_NAMED(name=name)
        path = self.locate(name, base, label)
        if any(path.is_relative_to(t) for t in self.trusted):
            return Resource(path.read_bytes(), _trusted_type(path))
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise RefusedResource(
                M.GATE_TOO_BIG(it=it, size=size / 1024 / 1024, most=MAX_BYTES // 1024 // 1024)
            )
        stat = path.stat()
        return _checked(path, stat.st_mtime_ns, stat.st_size, it)

    def theme_template(self, folder: Path, name: str) -> Path:
        """The template ``name`` (a path relative to the theme ``folder``) that a
        theme may hand to Jinja2: a ``.j2`` file of at most
        ``MAX_TEMPLATE_BYTES``, resolving inside the theme folder and the report
        set, never hidden, never in a data or narrative folder. Anything else
        (``data/donors.csv``, a link out of the theme) is refused."""
        it = M.GATE_NAMED(name=name)
        folder = folder.resolve()
        if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
            raise RefusedResource(M.GATE_NOT_IN_THEME(it=it))
        try:
            path = (folder / name).resolve()
        except (OSError, RuntimeError):
            raise RefusedResource(M.GATE_NO_SUCH_FILE(it=it)) from None
        if not path.is_relative_to(folder) or not path.is_relative_to(self.root):
            raise RefusedResource(M.GATE_OUTSIDE_THEME(it=it))
        inner = path.relative_to(folder).parts
        if any(part.startswith(".") for part in inner):
            raise RefusedResource(M.GATE_HIDDEN(it=it))
        if any(part in ("data", "narrative") for part in path.relative_to(self.root).parts):
            raise RefusedResource(M.GATE_IN_DATA_OR_NARRATIVE(it=it))
        if path.suffix != TEMPLATE_SUFFIX:
            raise RefusedResource(M.GATE_NOT_TEMPLATE(it=it, suffix=TEMPLATE_SUFFIX))
        if not path.is_file():
            raise RefusedResource(M.GATE_NO_SUCH_FILE(it=it))
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            raise RefusedResource(M.GATE_TEMPLATE_TOO_BIG(it=it, most=MAX_TEMPLATE_BYTES))
        return path

    def fetch(self, url: str, base: Path | None = None) -> Resource:
        """What a URL in a page names (``data:``, ``file:`` or a relative path)."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            resource = _decode_data_url(url)
            return Resource(resource.data, picture_type(resource.data, M.GATE_EMBEDDED()))
        if scheme == "file":
            return self.admit(url2pathname(unquote(parts.path)), base or self.root)
        if scheme == "" and not parts.netloc:
            if base is None and not Path(unquote(parts.path)).is_absolute():
                raise RefusedResource(M.GATE_NO_BASE(url=url))
            return self.admit(unquote(parts.path), base or self.root)
        raise RefusedResource(M.GATE_NOT_FETCHED(url=shorten(url)))


@functools.lru_cache(maxsize=64)
def _checked(path: Path, mtime: int, size: int, label: str) -> Resource:
    """A file's bytes and type once checked (cached while the file is unchanged)."""
    data = path.read_bytes()
    return Resource(data, picture_type(data, label))


def picture_type(data: bytes, what: str) -> str:
    """The MIME type of an allowed picture, judged by its bytes; else refused."""
    head = data[:512].lstrip()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) or b"<svg" in head:
        _check_svg(data, what)
        return SVG_TYPE
    return _check_raster(data, what)


def _check_raster(data: bytes, what: str) -> str:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=list(RASTER_KINDS)) as image:
            kind = image.format or ""
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise Image.DecompressionBombError(f"{width} x {height}")
            _load_whole(image)
    except Image.DecompressionBombError:  # Pillow's own limit, or ours
        raise RefusedResource(M.GATE_PIXELS(what=what, millions=MAX_PIXELS // 1_000_000)) from None
    except UnidentifiedImageError:
        raise RefusedResource(M.GATE_NOT_A_PICTURE(what=what)) from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise RefusedResource(
            M.GATE_DAMAGED(what=what, reason=M.LIBRARY_REASON(reason=exc))
        ) from None
    return RASTER_KINDS[kind]


_STRICT = threading.Lock()


def _load_whole(image: Any) -> None:
    """Decode every pixel, so that a picture that does not decode fails here.
    WeasyPrint, once imported, tells Pillow to accept truncated pictures (and
    draws them part grey); the gate does not, whatever was imported before."""
    from PIL import ImageFile

    with _STRICT:
        lenient = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _check_svg(data: bytes, what: str) -> None:
    """An SVG is drawing only: no DTD or entities, no scripts, no outside references."""

    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise RefusedResource(M.GATE_SVG_DTD(what=what)) from None
    except ParseError as exc:
        reason = M.LIBRARY_REASON(reason=exc)
        raise RefusedResource(M.GATE_SVG_BAD(what=what, reason=reason)) from None
    if root.tag != f"{_SVG_NS}svg":
        raise RefusedResource(M.GATE_NOT_SVG(what=what))
    for element in root.iter():
        tag = str(element.tag).rpartition("}")[2]
        if tag in _ACTIVE_ELEMENTS:
            raise RefusedResource(M.GATE_SVG_ELEMENT(what=what, tag=tag))
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2]
            if local.lower().startswith("on"):
                raise RefusedResource(M.GATE_SVG_SCRIPT(what=what, attribute=local))
            if local == "href":
                _check_reference(value, what)
            if local == "style":
                _check_css(value, what)
        if tag == "style":
            _check_css(element.text or "", what)


def _check_css(css: str, what: str) -> None:
    if "@import" in css.lower():
        raise RefusedResource(M.GATE_SVG_IMPORT(what=what))
    for target in _CSS_URL.findall(css):
        _check_reference(target, what)


def _check_reference(target: str, what: str) -> None:
    """Inside an SVG only its own fragments and embedded pictures may be named."""
    target = target.strip()
    if target.startswith("#") or not target:
        return
    if target.lower().startswith("data:"):
        resource = _decode_data_url(target)
        picture_type(resource.data, M.GATE_INSIDE(what=what))
        return
    raise RefusedResource(M.GATE_SVG_REFERS(what=what, target=shorten(target)))


def _trusted_type(path: Path) -> str:
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def shorten(url: str) -> str:
    """A URL fit for a message: a data URL's payload is never printed."""
    if url.lower().startswith("data:"):
        return url.partition(",")[0] + ",…"
    return url if len(url) <= 120 else url[:117] + "…"


def _decode_data_url(url: str) -> Resource:
    header, _, payload = url[5:].partition(",")
    mime = header.split(";")[0] or "text/plain"
    if header.endswith(";base64"):
        try:
            return Resource(base64.b64decode(payload, validate=False), mime)
        except (binascii.Error, ValueError):
            raise RefusedResource(M.GATE_BAD_BASE64(url=shorten(url))) from None
    return Resource(unquote(payload).encode(), mime)
