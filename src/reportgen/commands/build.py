"""``reportgen build`` and ``reportgen check``: a build, as a short list of
named steps: plan, render, write.

read -> validate -> year_as_seen_by(edition) -> key figures -> charts -> page
context -> html -> pdf -> staging. Each stage is a function of plain data.
``run_build`` plans: it decides what runs for which years, editions and
languages, asks ``manifest`` whether the whole build is unchanged, hands the
documents and letters to ``build_documents`` (which renders them, cached and
in processes) and what they made to ``staging`` (which writes a year's folder
all at once). ``run_check`` is the same pipeline stopped after validation.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.commands import build_receipts
from reportgen.commands.build_documents import DocumentJob, render_documents, render_letters
from reportgen.composing.palette import NEIGHBOURS_APART, palette, worst_pair
from reportgen.core import messages as M
from reportgen.core import process_pool
from reportgen.core.diagnostics import Diagnostic, Diagnostics, Location, Severity
from reportgen.core.editions import DOCUMENTS
from reportgen.core.editions import EDITION_NAMES as EDITIONS
from reportgen.core.editions import edition as edition_spec
from reportgen.core.errors import InvalidInput, StrictFailed, UsageError
from reportgen.core.file_gate import Gate, report_set
from reportgen.core.progress import Progress, Quiet
from reportgen.reading.accounts import UNREADABLE
from reportgen.reading.model import FiscalYear
from reportgen.reading.report_folder import read_report
from reportgen.reading.validate import validate
from reportgen.reading.year_folders import earlier_years, is_year, output_name, years_in_set
from reportgen.typesetting.edition_render import (
    LETTER_BODY,
    render_edition,  # noqa: F401  (re-exported for callers)
    try_theme,
)
from reportgen.typesetting.letters import LetterRecord
from reportgen.typesetting.templating import check_theme
from reportgen.writing.cache import FOLDER, Cache, undone_on_failure
from reportgen.writing.manifest import BuildManifest, remember, request_key, restore
from reportgen.writing.staging import Staging, WrittenFile, claim

if TYPE_CHECKING:
    from reportgen.commands.build_documents import Rendered
    from reportgen.typesetting.preflight import Finding
    from reportgen.writing.cache import Cache
    from reportgen.writing.staging import Staging

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    files: tuple[WrittenFile, ...]
    diagnostics: tuple[Diagnostic, ...]
    seconds: float
    # Whom each donor letter this build wrote was made for (``file`` relative
    # to out), as its manifest records it: what ``send`` matches rows against.
    letters: tuple[LetterRecord, ...] = ()
    # What this build laid out anew and what it took from the cache, each a
    # document (``fy2012/en/annual-report``: year folder, language, edition)
    # or a letter (``fy2012/donors/d-001.pdf``). A build restored whole from
    # its record (nothing changed) renders nothing and lists nothing here.
    rendered: tuple[str, ...] = ()
    reused: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    years: tuple[Path, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.severity.value == "error" for d in self.diagnostics)


@dataclass
class _Loaded:
    path: Path
    year: FiscalYear | None
    history: list[FiscalYear] = field(default_factory=list)  # predecessors, nearest first


def find_years(report_dir: Path) -> list[Path]:
    report_dir = named(report_dir)
    if not report_dir.is_dir():
        raise UsageError(M.NO_SUCH_FOLDER(folder=report_dir))
    if is_year(report_dir):
        return [report_dir]
    years = years_in_set(report_dir)
    if not years:
        raise UsageError(M.NOT_A_REPORT(folder=report_dir))
    return years


def named(folder: Path) -> Path:
    """``folder`` as written, unless it names no folder of its own (``.``,
    ``..``, ``fy2012/..``): then the absolute path, so that its name and its
    parent (where organization.toml is looked for) are the real ones."""
    normal = Path(os.path.normpath(folder))
    return normal if normal.name not in ("", ".", "..") else Path(os.path.abspath(folder))


def refuse_output_in_input(report_dir: Path, out: Path) -> None:
    """``out`` may not be, hold, or lie inside a folder the build reads: the
    year folders and their report set. (An output written into the input is
    read back as input by the next build, and the members' handout, written
    beside the narrative, would go wherever the report set is shared.)"""
    target = out.resolve()
    for year in find_years(report_dir):
        for source in dict.fromkeys((report_set(year), year.resolve())):
            if target == source or target.is_relative_to(source) or source.is_relative_to(target):
                where = (
                    M.OUT_IS_SOURCE
                    if target == source
                    else (
                        M.OUT_INSIDE_SOURCE if target.is_relative_to(source) else M.OUT_HOLDS_SOURCE
                    )
                )
                raise UsageError(where(out=out, source=source))


Loads = dict[Path, tuple[FiscalYear | None, Diagnostics]]


def load_year(path: Path, diags: Diagnostics, loads: Loads | None = None) -> FiscalYear | None:
    """Read and validate one year folder, its theme's templates included,
    with last year's folder when it is beside it (whose closing balances are
    this year's opening ones: ``reading.accounts``). ``loads`` keeps each
    year read, with its own problems, so that no year is read twice."""
    loads = {} if loads is None else loads
    previous = _previous(path, loads)
    raw = read_report(path, diags)
    if raw.theme_dir is not None:
        check_theme(raw.theme_dir, Gate.of(raw.root), diags)
    year = validate(raw, diags, previous)
    loads[path.resolve()] = (year, diags)
    return year


def _previous(path: Path, loads: Loads) -> FiscalYear | str | None:
    """Last year, read with problems of its own (reported when it is built);
    ``UNREADABLE`` when they are errors."""
    chain = earlier_years(path)
    if not chain:
        return None
    key = chain[0].resolve()
    if key not in loads:
        load_year(chain[0], Diagnostics(), loads)
    year, own = loads[key]
    return UNREADABLE if own.has_errors or year is None else year


def _load(years: Sequence[Path], diags: Diagnostics, loads: Loads | None = None) -> list[_Loaded]:
    loads = {} if loads is None else loads
    loaded = []
    for path in years:
        key = path.resolve()
        if key not in loads:
            load_year(path, Diagnostics(), loads)
        year, own = loads[key]
        diags.extend(own.items)
        if year is not None and not own.has_errors:
            _chart_colours(path, year, diags)
        loaded.append(_Loaded(path, year))
    for item in loaded:
        for earlier in earlier_years(item.path):
            key = earlier.resolve()
            if key not in loads:
                load_year(earlier, Diagnostics(), loads)
            previous, own = loads[key]
            if own.has_errors:
                if key not in (i.path.resolve() for i in loaded):
                    diags.warning(
                        Location(earlier / "report.toml"),
                        M.EARLIER_YEAR_LEFT_OUT(),
                    )
                break
            if previous is None:
                break
            item.history.append(previous)
    return loaded


def _chart_colours(path: Path, year: FiscalYear, diags: Diagnostics) -> None:
    """A warning when the theme's colours give chart colours that cannot be
    told apart side by side (``palette.worst_pair``), at the year's settings
    (the theme may be set there or in organization.toml, which it names)."""
    found = worst_pair(palette(year.config.theme))
    if found is None:
        return
    one, other, apart = found
    diags.warning(
        Location(path / "report.toml"),
        M.THEME_COLOURS_CLOSE(
            one=one, other=other, apart=f"{apart:.0f}", needed=f"{NEIGHBOURS_APART:.0f}"
        ),
    )


def load_with_history(
    year_dir: Path, diags: Diagnostics, earlier: Loads | None = None
) -> tuple[FiscalYear | None, list[FiscalYear]]:
    """One year and its valid predecessors (nearest first), for the preview.
    ``earlier``: its earlier years as ``earlier_loads`` read them, not read again."""
    item = _load([year_dir], diags, dict(earlier or {}))[0]
    return item.year, item.history


def earlier_loads(year_dir: Path) -> Loads:
    """The earlier years of ``year_dir``'s set, each read as ``load_with_history``
    reads them (with its own problems), for a later ``load_with_history``."""
    loads: Loads = {}
    for earlier in earlier_years(year_dir):
        if earlier.resolve() not in loads:
            load_year(earlier, Diagnostics(), loads)
    return loads


def run_check(report_dir: Path) -> CheckResult:
    years = find_years(report_dir)
    diags = Diagnostics()
    for item in _load(years, diags):
        if item.year is not None and item.year.config.theme_dir is not None:
            try_theme(item.year, item.history, diags)  # what a build would find
    return CheckResult(tuple(years), tuple(diags.sorted()))


def run_build(
    report_dir: Path,
    out: Path,
    editions: Sequence[str] | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    cache: bool = True,
    pdf_variant: str | None = None,
    print_marks: bool | None = None,
    languages: Sequence[str] | None = None,
    strict: bool = False,
) -> BuildResult:
    """Build every year under ``report_dir`` into ``out/<year>/``; all or nothing.

    One build of ``out`` at a time: a second one waits (and says so), then
    finds what a crashed build left tidied up. With ``cache``, results are
    kept under ``out/.reportgen-cache``: an unchanged build only checks its
    outputs, and an unchanged document or chart is not rendered again. With
    ``strict``, any warning (of the input, or of the preflight of the laid-out
    pages) fails the build (``StrictFailed``) before anything is written, as
    ``mkdocs build --strict`` and ``sphinx-build -W`` do; the input's warnings
    fail it before anything is rendered."""
    note = progress or Quiet()
    refuse_output_in_input(report_dir, out)
    with (
        claim(out, lambda: note.step(M.WAITING_FOR_BUILD(out=out))),
        undone_on_failure(out / FOLDER if cache else None),
    ):
        return _build(report_dir, out, editions, note, workers, cache, pdf_variant, print_marks,
                      languages, strict)  # fmt: skip


@contextmanager
def built(report_dir: Path, out: Path, progress: Progress | None = None) -> Iterator[BuildResult]:
    """``build`` with its defaults, then keep holding ``out`` while the caller
    reads what it wrote: ``send`` mails letters that no other build can swap
    while it sends."""
    note = progress or Quiet()
    refuse_output_in_input(report_dir, out)
    with claim(out, lambda: note.step(M.WAITING_FOR_BUILD(out=out))):
        with undone_on_failure(out / FOLDER):
            result = _build(report_dir, out, progress=note)
        yield result


def _build(
    report_dir: Path,
    out: Path,
    editions: Sequence[str] | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    cache: bool = True,
    pdf_variant: str | None = None,
    print_marks: bool | None = None,
    languages: Sequence[str] | None = None,
    strict: bool = False,
) -> BuildResult:
    """``build``, while this process holds ``out``."""
    started = time.perf_counter()
    for name in editions or ():
        if name not in EDITIONS:
            raise UsageError(M.UNKNOWN_EDITION(name=name, choices=M.listed(EDITIONS)))
    years = find_years(report_dir)
    note = progress or Quiet()
    store = Cache(out / FOLDER if cache else None)
    options = (pdf_variant, print_marks, tuple(languages or ()))
    request = request_key(years, editions, out, options) if cache else ""
    # A build of some languages writes the letters of their donors only: the
    # others' stay as the last build of every language left them.
    letters = ("donors",) if not languages else ()
    replaced = (*letters, build_receipts.FOLDER)  # a folder a build staged is replaced whole
    manifest = store.get("build", request, BuildManifest) if cache else None
    if isinstance(manifest, BuildManifest):
        if strict:
            _fail_if_warned(manifest.diagnostics)
        restored = restore(manifest, out, store, replaced)
        if restored is not None:
            note.step(M.NOTHING_CHANGED())
            elapsed = time.perf_counter() - started
            return BuildResult(tuple(restored), manifest.diagnostics, elapsed, manifest.letters)
    diags = Diagnostics()
    loaded = _load(years, diags)
    if diags.has_errors:
        raise InvalidInput(diags.sorted())
    if strict:  # the input's warnings: no need to lay a page out to refuse
        _fail_if_warned(diags.items)
    for item in loaded:  # options from the command line win over report.toml
        if item.year is not None and (pdf_variant is not None or print_marks is not None):
            changes: dict[str, object] = {}
            if pdf_variant is not None:
                changes["pdf_variant"] = pdf_variant
            if print_marks is not None:
                changes["print_marks"] = print_marks
            item.year = replace(item.year, config=replace(item.year.config, **changes))  # type: ignore[arg-type]
    jobs = workers or process_pool.default_workers()
    plan = [
        DocumentJob(item.path, item.year, tuple(item.history), edition, language, store.root)
        for item in loaded
        if item.year is not None
        for edition in (tuple(editions) if editions else item.year.config.editions)
        if edition in DOCUMENTS  # the receipts are one PDF per donor, made below
        for language in item.year.config.languages
        if not languages or language in languages
    ]
    note.step(M.RENDERING_PLAN(documents=M.N_DOCUMENTS(count=len(plan)),
                               years=M.N_YEARS(count=len(loaded)),
                               processes=M.N_PROCESSES(count=min(jobs, len(plan)))))  # fmt: skip

    made: dict[bool, list[str]] = {True: [], False: []}  # rendered anew or not

    def finished(job: DocumentJob, seconds: float, cached: bool) -> None:
        said = M.DOCUMENT_FROM_CACHE if cached else M.DOCUMENT_DONE
        note.step(said(name=job.path.name, edition=edition_spec(job.edition).shown(),
                       language=job.language,
                       seconds=seconds))  # fmt: skip
        made[not cached].append(f"{output_name(job.path)}/{job.language}/{job.edition}")

    rendered = render_documents(plan, jobs, finished)
    written: list[WrittenFile] = []
    records: list[LetterRecord] = []
    with ExitStack() as stack:
        staged = []
        pending: list[build_receipts.Pending] = []
        for item in loaded:
            assert item.year is not None
            stage = stack.enter_context(Staging(out / output_name(item.path)))
            mine = [(job, made) for job, made in zip(plan, rendered, strict=True)
                    if job.path == item.path]  # fmt: skip
            found = _document_findings(item.year, mine)
            made_letters: list[LetterRecord] = []
            letters_made: list[tuple[str, bool]] = []
            pages = _stage_year(item.year, [(job, made.files) for job, made in mine], stage,
                                note, jobs, store, found, made_letters, letters_made)  # fmt: skip
            chosen = tuple(editions) if editions else item.year.config.editions
            if build_receipts.wanted(item.year, chosen):
                note.step(M.RECEIPTS_STEP(name=item.path.name))
                pending.append(build_receipts.stage_receipts(
                    item.year, stage, stack, store, date.today(), found
                ))  # fmt: skip
            year_folder = output_name(item.path)
            records += [replace(r, file=f"{year_folder}/{r.file}") for r in made_letters]
            for name, anew in letters_made:
                made[anew].append(f"{year_folder}/{name}")
            diags.extend(_preflight_warnings(found, stage.destination))
            staged.append((stage, pages))
        if strict:  # before the first output is touched
            _fail_if_warned(diags.items)
        for receipts in pending:  # each number on disk before any receipt reaches the output
            receipts.record()
        for stage, pages in staged:  # only now, with every year rendered, touch the output
            for path in stage.commit(replace_dirs=replaced):
                rel = path.relative_to(stage.destination).as_posix()
                written.append(WrittenFile(path, path.stat().st_size, pages.get(rel)))
    result = BuildResult(
        tuple(written),
        tuple(diags.sorted()),
        time.perf_counter() - started,
        tuple(records),
        tuple(sorted(made[True])),
        tuple(sorted(made[False])),
    )
    if cache:
        remember(result.files, result.diagnostics, out, request, store, result.letters)
    return result


def _stage_year(
    year: FiscalYear,
    rendered: list[tuple[DocumentJob, dict[str, tuple[bytes, int | None]]]],
    stage: Staging,
    note: Progress,
    workers: int,
    store: Cache,
    found: list[Finding] | None = None,
    letters: list[LetterRecord] | None = None,
    letters_made: list[tuple[str, bool]] | None = None,
) -> dict[str, int]:
    """Stage a year's rendered documents, then render its donor letters
    (whose preflight findings are added to ``found``, their records to
    ``letters``, and each letter's file with whether it was rendered anew
    or taken from the cache to ``letters_made``)."""
    pages: dict[str, int] = {}
    multilingual = len(year.config.languages) > 1
    bodies: dict[str, bytes] = {}
    for job, files in rendered:
        prefix = f"{job.language}/" if multilingual else ""
        for name, (data, count) in files.items():
            if name == LETTER_BODY:  # what follows each letter: joined, not written
                bodies[job.language] = data
                continue
            stage.write(prefix + name, data)
            if count is not None:
                pages[prefix + name] = count
    if bodies and year.donors:
        letter_findings = render_letters(
            year,
            bodies,
            stage,
            note,
            workers,
            store,
            [] if letters is None else letters,
            letters_made,
        )
        if found is not None:
            found.extend(letter_findings)
    return pages


def _document_findings(
    year: FiscalYear, rendered: list[tuple[DocumentJob, Rendered]]
) -> list[Finding]:
    """The preflight's findings of a year's documents, named by their path
    in the year's output folder (``en/annual-report.pdf``)."""
    multilingual = len(year.config.languages) > 1
    return [
        replace(finding, document=f"{job.language}/{finding.document}" if multilingual
                else finding.document)
        for job, made in rendered
        for finding in made.findings
    ]  # fmt: skip


def _preflight_warnings(findings: Sequence[Finding], folder: Path) -> list[Diagnostic]:
    """Findings as located warnings on the files in ``folder``. The same
    finding on the same page of many letters is one warning, on the first."""

    warnings: dict[tuple[str, int, M.Text], tuple[Path, int]] = {}
    for finding in findings:
        message = finding.describe()
        if finding.document.endswith(LETTER_BODY):
            language = finding.document.removesuffix(LETTER_BODY).rstrip("/")
            folder_of = folder / "donors"
            message = (M.PF_AFTER_LETTER(message=message, page=finding.page, language=language)
                       if language else
                       M.PF_AFTER_EACH_LETTER(message=message, page=finding.page))  # fmt: skip
            key = (str(folder_of), 0, message)
        else:
            letter = finding.document.startswith("donors/")
            key = ("donors/" if letter else finding.document, finding.page, message)
            folder_of = folder / finding.document
        path, count = warnings.get(key, (folder_of, 0))
        warnings[key] = (path, count + 1)
    made = []
    for (_, page, message), (path, count) in warnings.items():
        said = M.PF_MORE_LETTERS(message=message, count=count - 1) if count > 1 else message
        made.append(Diagnostic(Severity.WARNING, Location(path, page=page or None),
                               said))  # fmt: skip
    return made


def _fail_if_warned(diagnostics: Sequence[Diagnostic]) -> None:
    if any(d.severity is Severity.WARNING for d in diagnostics):
        raise StrictFailed(sorted(dict.fromkeys(diagnostics), key=Diagnostic.sort_key))
