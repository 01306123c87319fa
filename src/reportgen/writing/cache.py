"""A content-addressed cache of build results, safe to delete at any time.

Keys are SHA-256 digests of everything a result depends on (input bytes,
options, and reportgen itself: its version, every file of the package and the
templates (language packs and data files too, not only code), and the fonts
fontconfig finds). Values are data, never code: the
``cache_format`` format (JSON and raw bytes; no pickle), written atomically (a
temporary file, then a rename). The cache lives in the output folder, which
others may be able to write (a shared drive, a synced folder), so every entry
carries an HMAC-SHA256 of its kind, key and contents under a secret that is
this user's own and lives outside that folder (``secret_path``); stored
outputs must also hash to their key. An entry that is missing, unreadable,
forged, moved to another key or damaged is a miss (a bad one is deleted),
never an error and never used, so the build makes it anew. The pipeline
wraps stages with it; stages never know it exists.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import hmac
import logging
import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from reportgen import __version__
from reportgen.core.file_digest import files_digest
from reportgen.typesetting.templating import templates_dir
from reportgen.writing.cache_format import CodecError, decode, encode
from reportgen.writing.staging import refuse_unless_real

log = logging.getLogger(__name__)

FOLDER = ".reportgen-cache"
MAGIC = b"reportgen cache entry 2\n"  # then the MAC, then the codec's bytes
BLOB = "blob"  # outputs by their own SHA-256
_SECRET_SIZE = 32
_MAC_SIZE = hashlib.sha256().digest_size
# Far above any entry a build writes (a year's letters are a few MB): a larger
# file in the folder was not written by reportgen and is not read into memory.
MAX_ENTRY = 256 * 2**20

T = TypeVar("T")


@functools.cache
def _code() -> bytes:
    """reportgen itself and what it renders with: its version, the names and
    bytes of every file of the package (modules, language packs, any data
    file) and of the templates, and the fonts installed, so that a changed
    reportgen (a new release, a developer's edit, an edited pack) or a font
    added, removed or updated never reuses results made without it."""
    hasher = hashlib.sha256(__version__.encode())
    for root in dict.fromkeys((Path(__file__).parent.parent, templates_dir())):
        for path in _files(root):
            name = path.relative_to(root).as_posix().encode()
            data = path.read_bytes()
            for part in (name, data):
                hasher.update(len(part).to_bytes(8, "little") + part)
    hasher.update(b"fonts\n")
    for line in fonts_found():
        hasher.update(line.encode("utf-8", "surrogateescape") + b"\n")
    return hasher.digest()


def _files(root: Path) -> list[Path]:
    """Every file under ``root``, bytecode caches and hidden files aside."""
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__"
                                   for part in p.relative_to(root).parts)
    )  # fmt: skip


FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")


def fonts_found() -> list[str]:
    """Each font file fontconfig offers (so WeasyPrint and matplotlib may
    draw with it, a fallback for one character included), with its size and
    modification time: ``path|size|mtime``, sorted. Without ``fc-list``, the
    files of fontconfig's usual folders."""
    try:
        listed = (
            subprocess.run(
                ["fc-list", "--format", "%{file}\\n"], capture_output=True, check=True, timeout=60
            )
            .stdout.decode("utf-8", "surrogateescape")
            .splitlines()
        )
    except (OSError, subprocess.SubprocessError):
        folders = [Path(folder).expanduser() for folder in FONT_FOLDERS]
        listed = [str(p) for folder in folders if folder.is_dir() for p in _files(folder)]
    found = []
    for name in sorted(set(listed)):
        with contextlib.suppress(OSError):
            facts = os.stat(name)
            found.append(f"{name}|{facts.st_size}|{facts.st_mtime_ns}")
    return found


def stable_repr(value: object) -> str:
    """``repr``, the same in every process: a set's members sorted. (A set of
    strings iterates in an order that follows string hashing, which Python
    seeds anew in each process: its plain repr would key a later build's
    lookups differently from the build that filled the cache.)"""
    if isinstance(value, (set, frozenset)):
        members = sorted(stable_repr(member) for member in value)
        return f"{type(value).__name__}({{{', '.join(members)}}})"
    if isinstance(value, (tuple, list)):
        inner = ", ".join(stable_repr(item) for item in value)
        return f"({inner},)" if isinstance(value, tuple) else f"[{inner}]"
    if isinstance(value, dict):  # insertion order: the same in every process
        pairs = (f"{stable_repr(k)}: {stable_repr(v)}" for k, v in value.items())
        return f"{{{', '.join(pairs)}}}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        values = (f"{f.name}={stable_repr(getattr(value, f.name))}"
                  for f in dataclasses.fields(value))  # fmt: skip
        return f"{type(value).__qualname__}({', '.join(values)})"
    return repr(value)


def digest(*parts: object) -> str:
    """A stable key from the reprs of frozen values (``stable_repr``; bytes
    as they are)."""
    hasher = hashlib.sha256(_code())
    for part in parts:
        data = part if isinstance(part, bytes) else stable_repr(part).encode("utf-8")
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def tree_digest(paths: Iterable[Path]) -> str:
    """The names and bytes of every file under ``paths`` (folders or files),
    after reportgen's own code."""
    return files_digest(paths, _code())


def secret_path() -> Path:
    """Where this user's cache secret lives: in the user's own cache folder
    (``$XDG_CACHE_HOME``, else ``~/.cache``), never beside the outputs."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "reportgen" / "cache-secret"


def _secret() -> bytes | None:
    """This user's secret, made on first use; ``None`` (caching off) when it
    cannot be read or made, or others could read or replace it."""
    try:
        path = secret_path()
        if not path.exists():
            _make_secret(path)
        return _read_secret(path)
    except (OSError, RuntimeError, ValueError) as exc:
        log.info("build cache off: no usable secret (%s)", exc)
        return None


def _make_secret(path: Path) -> None:
    """Random bytes, in place at once: linked from a complete private file, so
    a second build at the same moment reads one whole secret, the first one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".cache-secret-")  # mode 0600
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(os.urandom(_SECRET_SIZE))
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def _read_secret(path: Path) -> bytes:
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(handle, "rb") as source:
        info = os.fstat(source.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{path} is not a regular file")
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            raise ValueError(f"{path} is not private to this user (owner and mode 0600)")
        secret = source.read(_SECRET_SIZE + 1)
    if len(secret) != _SECRET_SIZE:
        raise ValueError(f"{path} does not hold a {_SECRET_SIZE}-byte secret")
    return secret


class BadEntry(Exception):
    """A cache entry that must not be used: forged, moved, damaged or wrong."""


class Cache:
    """Entries of the cache folder ``root`` (``None``: caching off), by kind and key."""

    def __init__(self, root: Path | None) -> None:
        if root is not None:
            refuse_unless_real(root, "folder", "the cache folder")
        secret = _secret() if root is not None else None
        self.root = root if secret is not None else None  # None: caching off
        self._secret = secret or b""

    def _path(self, kind: str, key: str) -> Path:
        assert self.root is not None
        return self.root / kind / key[:2] / key[2:]

    def _mac(self, kind: str, key: str, payload: bytes) -> bytes:
        """Binds the contents to their kind and key: an entry copied to another
        key, or written without the secret, does not verify."""
        mac = hmac.new(self._secret, digestmod=hashlib.sha256)
        for part in (MAGIC, kind.encode(), key.encode(), payload):
            mac.update(len(part).to_bytes(8, "little"))
            mac.update(part)
        return mac.digest()

    def get(self, kind: str, key: str, expected: type[T]) -> T | None:
        """The value stored under ``key`` if it verifies and is an ``expected``;
        ``None`` otherwise (a bad entry is deleted)."""
        if self.root is None:
            return None
        path = self._path(kind, key)
        if not _real_folders(self.root, path.parent):
            return None
        try:
            data = _read_entry(path)
            if data is None:
                return None
            value = self._open(kind, key, data)
            if not isinstance(value, expected):
                raise BadEntry(f"holds a {type(value).__name__}, not a {expected.__name__}")
            if kind == BLOB and (
                not isinstance(value, bytes) or hashlib.sha256(value).hexdigest() != key
            ):
                raise BadEntry("its bytes do not hash to its key")
        except (OSError, BadEntry, CodecError) as exc:
            log.info("cache entry %s/%s discarded: %s", kind, key, exc)
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        return value

    def _open(self, kind: str, key: str, data: bytes) -> object:
        head = len(MAGIC) + _MAC_SIZE
        if not data.startswith(MAGIC) or len(data) < head:
            raise BadEntry("not a cache entry of this format")
        payload = data[head:]
        if not hmac.compare_digest(data[len(MAGIC) : head], self._mac(kind, key, payload)):
            raise BadEntry("its MAC does not verify (damaged, moved or not written by this user)")
        return decode(payload)

    def put(self, kind: str, key: str, value: object) -> None:
        if self.root is None:
            return
        payload = encode(value)  # a value it cannot hold is our bug: raise
        if len(MAGIC) + _MAC_SIZE + len(payload) > MAX_ENTRY:
            log.info("cache entry %s/%s not kept: %d bytes", kind, key, len(payload))
            return
        path = self._path(kind, key)
        temporary = None
        try:
            if not _real_folders(self.root, path.parent):
                raise OSError(f"{path.parent} or a folder above it is not a real folder")
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(MAGIC)
                out.write(self._mac(kind, key, payload))
                out.write(payload)
            os.replace(temporary, path)
        except OSError as exc:  # a full disk must not fail the build
            log.info("cache write %s/%s failed: %s", kind, key, exc)
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)

    def get_blob(self, sha: str) -> bytes | None:
        """Output bytes by their SHA-256 (hex)."""
        return self.get(BLOB, sha, bytes)

    def put_blob(self, data: bytes) -> str:
        """Keep ``data`` (unless a good copy is kept already); its SHA-256."""
        sha = hashlib.sha256(data).hexdigest()
        if self.get_blob(sha) is None:
            self.put(BLOB, sha, data)
        return sha


def _real_folders(root: Path, folder: Path) -> bool:
    """Whether ``folder`` and each folder between it and ``root`` is a real
    folder or not there yet: an entry is never read, written or deleted
    through a symbolic link planted inside the cache."""
    for step in (folder, *folder.parents):
        if step == root.parent:
            return True
        try:
            if not stat.S_ISDIR(os.lstat(step).st_mode):
                log.info("cache folder %s is not a real folder: not used", step)
                return False
        except FileNotFoundError:
            continue
    return True


@contextmanager
def undone_on_failure(root: Path | None) -> Iterator[None]:
    """Around a build: should it fail (or be stopped), the cache folder
    ``root`` is left as it was before, the entries the build added removed,
    and the folder itself when the build made it. A symbolic link (or any
    other thing than a folder) at ``root`` is refused first, never followed."""
    if root is None:
        yield
        return
    refuse_unless_real(root, "folder", "the cache folder")
    before = _listing(root) if os.path.lexists(root) else None
    try:
        yield
    except BaseException:
        _undo(root, before)
        raise


def _listing(root: Path) -> set[str]:
    """Every file and folder under ``root``, relative to it (links not entered)."""
    found: set[str] = set()
    for folder, folders, files in os.walk(root):
        here = os.path.relpath(folder, root)
        found.update(os.path.normpath(os.path.join(here, name)) for name in (*folders, *files))
    return found


def _undo(root: Path, before: set[str] | None) -> None:
    """Remove what appeared under ``root`` since ``before`` was listed."""
    try:
        if before is None:
            if os.path.isdir(root) and not os.path.islink(root):
                shutil.rmtree(root)
            return
        added = sorted(_listing(root) - before, key=len, reverse=True)  # deepest first
        for relative in added:
            path = root / relative
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
    except OSError as exc:  # the build's own error is the one to report
        log.info("cache folder %s not tidied after a failed build: %s", root, exc)


def _read_entry(path: Path) -> bytes | None:
    """An entry's bytes, ``None`` when there is none. Only a regular file is
    read: a FIFO or a link to a device planted in the folder is a bad entry,
    not a hang."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags)
    except FileNotFoundError:
        return None
    with os.fdopen(handle, "rb") as source:
        facts = os.fstat(source.fileno())
        if not stat.S_ISREG(facts.st_mode):
            raise BadEntry("not a regular file")
        if facts.st_size > MAX_ENTRY:
            raise BadEntry(f"{facts.st_size:,} bytes, more than any entry reportgen writes")
        return source.read(MAX_ENTRY + 1)
