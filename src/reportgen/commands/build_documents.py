"""The documents of a build, editions and letters: which need rendering, and
rendering them fast.

Each (year, edition, language) is a ``DocumentJob``. A job whose inputs did
not change since it was last rendered comes from the cache. For the others,
the figures and charts (pandas, matplotlib) are computed in forked processes
while this process imports the renderer (WeasyPrint), so the two costs
overlap even for a single document; then the documents are laid out, in
parallel when there are several and more than one core. The donor letters
follow in batches of one language each, also in processes and cached.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.composing import formats
from reportgen.composing.edition_view import year_as_seen_by
from reportgen.composing.page_context import edition_title
from reportgen.composing.palette import palette
from reportgen.core import messages as M
from reportgen.core.editions import EDITIONS
from reportgen.core.process_pool import (
    Inbox,
    become_child,
    chunks,
    forking,
    run,
    run_meanwhile,
)
from reportgen.core.progress import Progress
from reportgen.reading.model import FiscalYear
from reportgen.reading.settings import named_files
from reportgen.reading.year_folders import Neighbour, neighbours
from reportgen.typesetting import edition_render, letters, templating
from reportgen.typesetting.edition_render import (
    LETTER_BODY,
    Analysis,
    PrintPage,
    logo_uri,
    print_page,
    print_pdf,
    screen_page,
)
from reportgen.typesetting.html_pages import letter_css, theme_of
from reportgen.typesetting.letters import LetterRecord
from reportgen.typesetting.preflight import Finding
from reportgen.typesetting.templating import templates_dir
from reportgen.writing.cache import Cache, digest, tree_digest
from reportgen.writing.staging import write_staged

if TYPE_CHECKING:
    from reportgen.typesetting.letters import Body, Letter, LetterRecord
    from reportgen.writing.cache import Cache
    from reportgen.writing.staging import Staging

Files = dict[str, tuple[bytes, int | None]]


@dataclass(frozen=True)
class Rendered:
    """A document's files and what the preflight found on its pages: cached
    together, so that a rebuild from the cache warns as the first build did."""

    files: Files
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class DocumentJob:
    path: Path  # the year folder
    year: FiscalYear
    history: tuple[FiscalYear, ...]  # earlier years, nearest first
    edition: str
    language: str
    cache: Path | None = None


@dataclass(frozen=True)
class _Prepared:
    job: DocumentJob
    seen: FiscalYear
    earlier: tuple[FiscalYear, ...]
    data_key: str
    document_key: str
    neighbours: tuple[Neighbour | None, Neighbour | None]


def _data(year: FiscalYear) -> tuple[object, ...]:
    """What figures and charts depend on: settings and every table (all of
    ``table_registry.TABLES`` the year holds), not narrative."""
    return (year.config, year.all_rows(), year.category_ids)


def _prepare(job: DocumentJob, templates: str) -> _Prepared:
    """Select what the audience sees and derive the cache keys (cheap)."""
    seen = year_as_seen_by(job.year, job.edition, job.language)
    earlier = tuple(year_as_seen_by(y, job.edition, job.language) for y in job.history)
    data_key = analysis_key(seen, earlier, job.language)
    near = neighbours(job.path)

    config = job.year.config
    assets = [p for p in config.root.iterdir() if p.name not in ("data", "narrative")]
    assets += named_files(config)  # logo, cover picture, theme folder: what settings name
    document_key = digest(
        "document", seen, data_key, job.edition, job.language, near, templates,
        tree_digest(sorted(assets)), _letters(job),
    )  # fmt: skip
    return _Prepared(job, seen, earlier, data_key, document_key, near)


def analysis_key(seen: FiscalYear, earlier: Sequence[FiscalYear], language: str) -> str:
    """The cache key of the figures and charts of a selected year (``seen``)
    and its selected predecessors, in ``language``."""
    return digest("analysis", [_data(y) for y in (seen, *earlier)], language)


def analysis_of(
    store: Cache, seen: FiscalYear, earlier: Sequence[FiscalYear], language: str
) -> Analysis:
    """The figures and charts of a selected year, from ``store`` when it has
    them, else made (pandas, matplotlib) and kept there."""
    key = analysis_key(seen, earlier, language)
    kept = store.get("analysis", key, Analysis)
    if isinstance(kept, Analysis):
        return kept
    made = edition_render.figures_and_charts(seen, earlier, language)
    store.put("analysis", key, made)
    return made


def _letters(job: DocumentJob) -> bool:
    """Whether this document is also laid out as it follows the donor letters."""
    return EDITIONS[job.edition].letters and bool(job.year.donors)


def _figures_and_charts(item: _Prepared) -> object:
    """Worker: figures and charts of one selected year."""
    return edition_render.figures_and_charts(item.seen, item.earlier, item.job.language)


def _edition_files(task: tuple[_Prepared, object]) -> tuple[Rendered, float]:
    """Worker: lay out one document."""
    item, analysis = task
    assert isinstance(analysis, Analysis)
    started = time.perf_counter()
    found: list[Finding] = []
    files = edition_render.edition_files(
        item.seen, item.job.edition, item.job.language, analysis,
        neighbours=item.neighbours, letters=_letters(item.job), findings=found,
    )  # fmt: skip
    _release()
    return Rendered(files, tuple(found)), time.perf_counter() - started


def _release() -> None:
    """After a document in a worker that lays out several: free what the last
    one left. A laid-out document is cyclic garbage (boxes point to their
    parents), made while the collector was paused (``collector_paused``),
    and with it go the font files WeasyPrint read for it (CJK faces of
    20-27 MB each): left for the collector's own schedule, a worker grew by
    about 100 MiB with each CJK document, to 780 MiB over a whole set."""
    gc.collect()


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _forked_child_pages_and_charts(item: _Prepared, connection: Any, parent: int) -> None:
    """Child process of ``_overlapped``: everything but WeasyPrint, sent as
    soon as each part exists: the print page (figures with pandas, HTML with
    Jinja2, charts only sized), then the drawn charts (matplotlib), then the
    HTML edition. It dies with ``parent``."""
    become_child(parent)
    job = item.job
    post = functools.partial(Inbox.post, connection)
    try:
        described = edition_render.figures_and_charts(item.seen, item.earlier, job.language, False)
        post("print", print_page(item.seen, job.edition, job.language, described,
                                 neighbours=item.neighbours))  # fmt: skip
        if EDITIONS[job.edition].letters:
            post("print-stacked", print_page(
                item.seen, job.edition, job.language, described, neighbours=item.neighbours,
                money_stacked=True,
            ))  # fmt: skip
            for key, stack in (("print-beside", False), ("print-beside-stacked", True)):
                post(key, print_page(
                    item.seen, job.edition, job.language, described, neighbours=item.neighbours,
                    money_stacked=stack, ask_beside_story=True,
                ))  # fmt: skip
        if _letters(job):
            post("letter-body", print_page(
                item.seen, job.edition, job.language, described, neighbours=item.neighbours,
                after_letter=True,
            ))  # fmt: skip
            if edition_render.has_closing(item.seen):
                post("letter-body-moved", print_page(
                    item.seen, job.edition, job.language, described, neighbours=item.neighbours,
                    after_letter=True, closing_in_flow=True,
                ))  # fmt: skip
        analysis = edition_render.with_pictures(described, item.seen, job.language)
        post("drawn", analysis)
        if EDITIONS[job.edition].html:
            screen = screen_page(item.seen, job.edition, job.language, analysis,
                                 neighbours=item.neighbours)  # fmt: skip
            post("screen", screen)
    except BaseException as exc:  # the parent re-raises it
        try:
            post("failed", exc)
        except Exception:  # an exception that cannot be pickled: its words
            post("failed", RuntimeError(f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()


def _overlapped(item: _Prepared) -> tuple[Rendered, object]:
    """One document, its costs overlapped: a forked process does everything
    but the layout (figures, print HTML, then the charts and the HTML edition)
    while this process loads WeasyPrint and lays the pages out; a chart's
    picture is needed only when its page is painted."""

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_forked_child_pages_and_charts, args=(item, sender, os.getpid()), daemon=True
    )
    with forking():
        child.start()
    sender.close()
    # A thread takes the messages as they come, so that the other process
    # never waits on a full pipe while this one is busy laying out; this
    # thread unpickles them (``Inbox``), after its own import of WeasyPrint.
    inbox = Inbox(receiver)
    wait_for = inbox.wait_for

    def picture(chart_id: str) -> bytes:
        analysis = wait_for("drawn")
        assert isinstance(analysis, Analysis)
        return analysis.charts[chart_id].svg.encode("utf-8")

    finished = False
    try:
        import weasyprint  # noqa: F401  (while the other process works)

        page = wait_for("print")
        assert isinstance(page, PrintPage)
        name = f"{item.job.edition}.pdf"
        if EDITIONS[item.job.edition].letters:
            made = edition_render.donor_pdf(
                page, lambda: wait_for("print-stacked"), picture, name,
                lambda: (wait_for("print-beside"), wait_for("print-beside-stacked")),
            )  # fmt: skip
        else:
            made = print_pdf(page, picture, preflight=name)
        files: Files = {name: (made.data, made.pages)}
        found = list(made.findings)
        if _letters(item.job):
            body = edition_render.letter_body_pdf(
                wait_for("letter-body"),
                lambda: wait_for("letter-body-moved")
                if edition_render.has_closing(item.seen) else None,
                picture,
            )  # fmt: skip
            files[LETTER_BODY] = (body.data, body.pages)
            found.extend(body.findings)
        if EDITIONS[item.job.edition].html:
            files[f"{item.job.edition}.html"] = (wait_for("screen"), None)
        analysis = wait_for("drawn")
        finished = True
        return Rendered(files, tuple(found)), analysis
    finally:
        if not finished:  # this process failed: the other one's work is not wanted
            child.kill()
        child.join()
        inbox.close()


def _load_renderer() -> None:
    """Import what laying out needs, so that forked workers inherit it (the
    rest of it is imported with this module)."""
    import weasyprint  # noqa: F401

    templating.environment()


def render_documents(
    jobs: Sequence[DocumentJob],
    workers: int,
    finished: Callable[[DocumentJob, float, bool], None] | None = None,
) -> list[Rendered]:
    """The files and preflight findings of every job, in job order."""
    if not jobs:
        return []
    store = Cache(jobs[0].cache)
    templates = tree_digest([templates_dir()])
    prepared = [_prepare(job, templates) for job in jobs]
    results: dict[int, Rendered] = {}
    for index, item in enumerate(prepared):
        cached = store.get("document", item.document_key, Rendered)
        if isinstance(cached, Rendered):
            results[index] = cached
            if finished:
                finished(item.job, 0.0, True)
    todo = [i for i in range(len(prepared)) if i not in results]
    if not todo:
        return [results[i] for i in range(len(prepared))]

    analyses: dict[str, object] = {}
    for i in todo:
        key = prepared[i].data_key
        found = store.get("analysis", key, Analysis)
        if isinstance(found, Analysis):
            analyses[key] = found
    missing = list({prepared[i].data_key: prepared[i] for i in todo
                    if prepared[i].data_key not in analyses}.values())  # fmt: skip
    if len(todo) == 1 and missing and workers > 1 and _can_fork():
        # One document to lay out here: overlap everything that can overlap.
        item = prepared[todo[0]]
        started = time.perf_counter()
        files, analysis = _overlapped(item)
        store.put("analysis", item.data_key, analysis)
        store.put("document", item.document_key, files)
        if finished:
            finished(item.job, time.perf_counter() - started, False)
        results[todo[0]] = files
        return [results[i] for i in range(len(prepared))]
    made_meanwhile = run_meanwhile(_figures_and_charts, missing, workers, _load_renderer)
    for item, made in zip(missing, made_meanwhile, strict=True):
        analyses[item.data_key] = made
        store.put("analysis", item.data_key, made)

    def done(task: tuple[_Prepared, object], result: tuple[Rendered, float]) -> None:
        if finished:
            finished(task[0].job, result[1], False)

    tasks = [(prepared[i], analyses[prepared[i].data_key]) for i in todo]
    for i, (files, _) in zip(todo, run(_edition_files, tasks, workers, done), strict=True):
        results[i] = files
        store.put("document", prepared[i].document_key, files)
    return [results[i] for i in range(len(prepared))]


# --- the donor letters: batches of one language, in processes ---------------

LETTER_BATCH = 25


def render_letters(
    year: FiscalYear,
    bodies: dict[str, bytes],
    stage: Staging,
    note: Progress,
    workers: int,
    store: Cache,
    records: list[LetterRecord],
    rendered: list[tuple[str, bool]] | None = None,
) -> list[Finding]:
    """Render the letters into the staging folder, each letter's record added
    to ``records`` (and its file, with whether it was rendered anew rather
    than taken from the cache, to ``rendered``); the preflight's findings."""
    config = year.config
    # The letters of the languages built (``--language``): each is followed by
    # its own language's donor edition, never another's.
    made = [x for x in letters.make_letters(year, logo_uri(year)) if x.language in bodies]
    css = letter_css(
        palette(config.theme), config.theme.page_size, config.theme.font,
        theme_of(config.root, config.theme_dir), config.languages,
    )  # fmt: skip
    shared = {
        language: letters.Body(letters.without_bleed(pdf), _donor_title(year, language))
        for language, pdf in bodies.items()
    }
    # Each letter is a document of its own; a batch is only a unit of work
    # (and of the cache) for a worker process.
    size = LETTER_BATCH
    created = config.published or config.end
    folder = stage.path("donors")
    # Batches of one language each: a worker's fonts and stylesheets are loaded once.
    languages = sorted({letter.language for letter in made})
    jobs = [
        _LetterJob(tuple(batch), css, config.root, shared, created, folder, store.root)
        for language in languages
        for batch in chunks([x for x in made if x.language == language], size)
    ]
    note.start(M.DONOR_LETTERS_STEP(name=config.root.name), len(made))
    try:
        results = run(_letter_batch, jobs, workers, lambda job, _: note.advance(len(job.letters)))
    finally:
        note.finish()
    findings: list[Finding] = []
    for made_records, found, anew in results:
        for record in made_records:
            stage.adopt(record.file)
            if rendered is not None:
                rendered.append((record.file, anew))
        records.extend(made_records)
        findings.extend(found)
    return findings


def _donor_title(year: FiscalYear, language: str) -> str:
    return edition_title(formats.language(year.config, language), "donor", year.config)


@dataclass(frozen=True)
class _LetterJob:
    letters: tuple[Letter, ...]
    css: str
    base: Path
    bodies: dict[str, Body]
    created: date
    folder: Path  # the staging folder's donors/
    cache: Path | None = None


def _letter_batch(job: _LetterJob) -> tuple[list[LetterRecord], tuple[Finding, ...], bool]:
    """Worker: render a batch of letters (or take it from the cache) and write
    them into the staging folder; what each letter is (its record for the
    manifest), the preflight's findings, and whether it was rendered anew."""

    store = Cache(job.cache)
    key = digest("letters", job.letters, job.css, job.bodies, job.created)
    cached = store.get("letters", key, Rendered)
    made: dict[str, bytes] = {}
    if isinstance(cached, Rendered):
        made = {name: data for name, (data, _) in cached.files.items()}
        findings = cached.findings
    else:
        found: list[Finding] = []
        letters.render_batch(
            job.letters, job.css, job.base, job.bodies, job.created, made.__setitem__,
            findings=found,
        )  # fmt: skip
        _release()
        findings = tuple(found)
        store.put("letters", key, Rendered({n: (d, None) for n, d in made.items()}, findings))
    records = []
    for letter in job.letters:
        relative = f"donors/{letter.slug}.pdf"
        data = made[relative]
        write_staged(job.folder, relative.removeprefix("donors/"), data)
        records.append(LetterRecord(
            relative, letter.donor_id, letter.row_sha256, hashlib.sha256(data).hexdigest()
        ))  # fmt: skip
    return records, findings, not isinstance(cached, Rendered)
