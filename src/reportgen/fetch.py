"""All resource access of a render goes through here.

A URL is served only when it is a ``data:`` URL or a ``file:`` URL (or a path)
inside one of the allowed roots: the report folder and the project's
templates. Everything else, the network above all, is refused. The PDF
renderer wraps this in a WeasyPrint ``URLFetcher`` (see ``pdf``); the HTML
edition uses it to inline images as data URIs. Reading files here is the one
exception to "only readers open input": these are the assets the validated
narrative named.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname


class RefusedResource(ValueError):
    """The URL is outside what a build may read."""


@dataclass(frozen=True)
class Resource:
    data: bytes
    mime_type: str

    @property
    def data_uri(self) -> str:
        return f"data:{self.mime_type};base64,{base64.b64encode(self.data).decode()}"


@dataclass(frozen=True)
class Sandbox:
    roots: tuple[Path, ...]

    @classmethod
    def of(cls, roots: Sequence[Path]) -> Sandbox:
        return cls(tuple(r.resolve() for r in roots))

    def local_path(self, url: str, base: Path | None = None) -> Path:
        """The file a URL names, if the sandbox allows it; else ``RefusedResource``."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file":
            path = Path(url2pathname(unquote(parts.path)))
        elif scheme == "" and not parts.netloc:
            path = Path(unquote(parts.path))
            if not path.is_absolute():
                if base is None:
                    raise RefusedResource(f"relative URL without a base: {url}")
                path = base / path
        else:
            raise RefusedResource(f"not fetched during a build: {url}")
        resolved = path.resolve()
        if not any(resolved.is_relative_to(root) for root in self.roots):
            raise RefusedResource(f"outside the report folder: {url}")
        if not resolved.is_file():
            raise RefusedResource(f"no such file: {url}")
        return resolved

    def fetch(self, url: str, base: Path | None = None) -> Resource:
        if url.startswith("data:"):
            return _decode_data_url(url)
        path = self.local_path(url, base)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Resource(path.read_bytes(), mime)


def _decode_data_url(url: str) -> Resource:
    header, _, payload = url[5:].partition(",")
    mime = header.split(";")[0] or "text/plain"
    if header.endswith(";base64"):
        return Resource(base64.b64decode(payload), mime)
    return Resource(unquote(payload).encode(), mime)
