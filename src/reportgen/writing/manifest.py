"""The build's manifest: what a whole build depends on and what it wrote.

A build request (the years, editions, options and every input byte) hashes
to one key; under it the cache keeps the files the build wrote, by content
hash, with its warnings. An unchanged request restores those files (writing
only what differs) without loading a renderer; ``build`` asks here first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.core.diagnostics import Diagnostic
from reportgen.core.file_gate import Gate, RefusedResource
from reportgen.reading import settings as declared
from reportgen.reading.year_folders import years_in_set
from reportgen.typesetting.letters import LetterRecord
from reportgen.typesetting.templating import templates_dir
from reportgen.writing.cache import digest, tree_digest
from reportgen.writing.staging import KEPT, Staging, WrittenFile

if TYPE_CHECKING:
    from reportgen.writing.cache import Cache


@dataclass(frozen=True)
class BuildManifest:
    """What a build wrote: per output file its content hash and page count,
    and per donor letter whom it was made for (``LetterRecord``, its
    ``file`` relative to out)."""

    diagnostics: tuple[Diagnostic, ...]
    files: dict[str, tuple[str, int | None]]  # path relative to out -> (sha256, pages)
    letters: tuple[LetterRecord, ...] = ()


def input_paths(years: Sequence[Path]) -> list[Path]:
    """Every file and folder a build of ``years`` reads: each year of their
    sets (earlier years are compared), the settings, the logo, the cover
    picture and the theme folder they name. Sorted, resolved."""

    inputs: set[Path] = set()
    for year in years:
        parent = year.resolve().parent
        inputs.update(p.resolve() for p in years_in_set(parent))
        inputs.add(year.resolve())
        for settings in (parent / "organization.toml", year / "report.toml"):
            if settings.is_file():
                inputs.add(settings.resolve())
                values = declared.read(settings)
                for setting, named in declared.named_paths(values) if values else []:
                    if setting.names == "file":
                        # Only what the gate would read: never a device or a far file
                        # (validation reports a refused logo).
                        with suppress(RefusedResource):
                            inputs.add(Gate.of(year).locate(named, settings.parent))
                    else:  # a folder (validation keeps it inside the report set)
                        folder = (settings.parent / named).resolve()
                        if folder.is_dir() and folder.is_relative_to(Gate.of(year).root):
                            inputs.add(folder)
    return sorted(inputs)


def request_key(
    years: Sequence[Path], editions: Sequence[str] | None, out: Path, options: object
) -> str:
    """Everything a build's outputs depend on: every input byte, the templates,
    reportgen's version and the options."""
    outside = [p for p in input_paths(years) if not p.is_relative_to(out.resolve())]
    return digest(
        options,
        tuple(editions or ()),
        tuple(str(y.resolve()) for y in years),
        str(out.resolve()),
        tree_digest(outside),
        tree_digest([templates_dir()]),
    )


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def remember(
    written_files: Sequence[WrittenFile],
    diagnostics: tuple[Diagnostic, ...],
    out: Path,
    request: str,
    store: Cache,
    letters: tuple[LetterRecord, ...] = (),
) -> None:
    """Keep what a build wrote, so that an unchanged build restores it."""
    files: dict[str, tuple[str, int | None]] = {}
    for written in written_files:
        sha = store.put_blob(written.path.read_bytes())
        files[written.path.relative_to(out).as_posix()] = (sha, written.pages)
    store.put("build", request, BuildManifest(diagnostics, files, letters))


def restore(
    manifest: BuildManifest, out: Path, store: Cache, replace_dirs: tuple[str, ...]
) -> list[WrittenFile] | None:
    """The outputs of an unchanged build, rewritten only where they differ;
    ``None`` when the cache cannot supply them (then build anew). A file in
    one of ``replace_dirs`` that the build did not write goes, as it does
    when the build commits (``Staging.commit``)."""
    by_year: dict[str, dict[str, tuple[str, int | None]]] = {}
    for rel, entry in manifest.files.items():
        year, _, name = rel.partition("/")
        by_year.setdefault(year, {})[name] = entry
    for year, files in by_year.items():
        destination = out / year
        present = {p.relative_to(destination).as_posix() for p in destination.rglob("*")
                   if p.is_file()} if destination.is_dir() else set()  # fmt: skip
        replaced = {p for p in present if p.split("/", 1)[0] in replace_dirs}
        stale = replaced - set(files) - set(KEPT)
        if not stale and all(
            (destination / n).is_file() and _sha(destination / n) == sha
            for n, (sha, _) in files.items()
        ):
            continue
        blobs = {n: store.get_blob(sha) for n, (sha, _) in files.items()}
        if any(not isinstance(b, bytes) for b in blobs.values()):
            return None
        with Staging(destination) as stage:
            for name, data in blobs.items():
                stage.write(name, data)  # type: ignore[arg-type]
            stage.commit(replace_dirs=replace_dirs)
    return [
        WrittenFile(out / rel, (out / rel).stat().st_size, pages)
        for rel, (_, pages) in manifest.files.items()
    ]
