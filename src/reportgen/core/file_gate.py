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
    """A file or URL the build may not read or embed; the message says why."""


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
        it = label or f"'{name}'"
        path = Path(name)
        if not path.is_absolute():
            path = base / path
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop
            raise RefusedResource(f"{it}: no such file") from None
        if any(resolved.is_relative_to(t) for t in self.trusted):
            return resolved
        if not resolved.is_relative_to(self.root):
            raise RefusedResource(f"{it} is outside the report folder")
        if not resolved.is_file():
            raise RefusedResource(f"{it}: no such file")
        inner = resolved.relative_to(self.root).parts
        if any(part.startswith(".") for part in inner):
            raise RefusedResource(f"{it} is a hidden file")
        if resolved.suffix.lower() in INPUT_SUFFIXES:
            raise RefusedResource(f"{it} is a data, settings or narrative file")
        if "data" in inner[:-1]:
            raise RefusedResource(f"{it} is inside a data folder")
        return resolved

    def admit(self, name: str, base: Path, label: str | None = None) -> Resource:
        """A picture the build may embed: located, then checked by its bytes."""
        it = label or f"'{name}'"
        path = self.locate(name, base, label)
        if any(path.is_relative_to(t) for t in self.trusted):
            return Resource(path.read_bytes(), _trusted_type(path))
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise RefusedResource(
                f"{it} is {size / 1024 / 1024:.1f} MB; pictures may be at most "
                f"{MAX_BYTES // 1024 // 1024} MB"
            )
        stat = path.stat()
        return _checked(path, stat.st_mtime_ns, stat.st_size, it)

    def theme_template(self, folder: Path, name: str) -> Path:
        """The template ``name`` (a path relative to the theme ``folder``) that a
        theme may hand to Jinja2: a ``.j2`` file of at most
        ``MAX_TEMPLATE_BYTES``, resolving inside the theme folder and the report
        set, never hidden, never in a data or narrative folder. Anything else
        (``data/donors.csv``, a link out of the theme) is refused."""
        it = f"'{name}'"
        folder = folder.resolve()
        if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
            raise RefusedResource(f"{it} is not a path inside the theme folder")
        try:
            path = (folder / name).resolve()
        except (OSError, RuntimeError):
            raise RefusedResource(f"{it}: no such file") from None
        if not path.is_relative_to(folder) or not path.is_relative_to(self.root):
            raise RefusedResource(f"{it} is outside the theme folder")
        inner = path.relative_to(folder).parts
        if any(part.startswith(".") for part in inner):
            raise RefusedResource(f"{it} is a hidden file")
        if any(part in ("data", "narrative") for part in path.relative_to(self.root).parts):
            raise RefusedResource(f"{it} is inside a data or narrative folder")
        if path.suffix != TEMPLATE_SUFFIX:
            raise RefusedResource(f"{it} is not a template (a {TEMPLATE_SUFFIX} file)")
        if not path.is_file():
            raise RefusedResource(f"{it}: no such file")
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            raise RefusedResource(f"{it} is larger than {MAX_TEMPLATE_BYTES:,} bytes")
        return path

    def fetch(self, url: str, base: Path | None = None) -> Resource:
        """What a URL in a page names (``data:``, ``file:`` or a relative path)."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            resource = _decode_data_url(url)
            return Resource(resource.data, picture_type(resource.data, "an embedded picture"))
        if scheme == "file":
            return self.admit(url2pathname(unquote(parts.path)), base or self.root)
        if scheme == "" and not parts.netloc:
            if base is None and not Path(unquote(parts.path)).is_absolute():
                raise RefusedResource(f"relative URL without a base: {url}")
            return self.admit(unquote(parts.path), base or self.root)
        raise RefusedResource(f"'{shorten(url)}' is not fetched during a build")


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
        raise RefusedResource(
            f"{what} has more than {MAX_PIXELS // 1_000_000} million pixels, the most a "
            "picture may have"
        ) from None
    except UnidentifiedImageError:
        raise RefusedResource(
            f"{what} is not a picture of an allowed kind (PNG, JPEG, GIF, WebP or SVG)"
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise RefusedResource(f"{what} is a damaged picture ({exc})") from None
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
        raise RefusedResource(
            f"{what} is an SVG with a DOCTYPE or entities, which pictures may not have"
        ) from None
    except ParseError as exc:
        raise RefusedResource(f"{what} is not a well-formed SVG ({exc})") from None
    if root.tag != f"{_SVG_NS}svg":
        raise RefusedResource(f"{what} is not an SVG picture")
    for element in root.iter():
        tag = str(element.tag).rpartition("}")[2]
        if tag in _ACTIVE_ELEMENTS:
            raise RefusedResource(f"{what} is an SVG with a <{tag}> element")
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2]
            if local.lower().startswith("on"):
                raise RefusedResource(f"{what} is an SVG with a script attribute ({local})")
            if local == "href":
                _check_reference(value, what)
            if local == "style":
                _check_css(value, what)
        if tag == "style":
            _check_css(element.text or "", what)


def _check_css(css: str, what: str) -> None:
    if "@import" in css.lower():
        raise RefusedResource(f"{what} is an SVG whose style imports another file")
    for target in _CSS_URL.findall(css):
        _check_reference(target, what)


def _check_reference(target: str, what: str) -> None:
    """Inside an SVG only its own fragments and embedded pictures may be named."""
    target = target.strip()
    if target.startswith("#") or not target:
        return
    if target.lower().startswith("data:"):
        resource = _decode_data_url(target)
        picture_type(resource.data, f"a picture inside {what}")
        return
    raise RefusedResource(
        f"{what} is an SVG that refers to another file or address ({shorten(target)})"
    )


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
            raise RefusedResource(f"'{shorten(url)}' is not valid base64") from None
    return Resource(unquote(payload).encode(), mime)
