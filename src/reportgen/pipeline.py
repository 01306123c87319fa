"""The build, as a short list of named stages.

read -> validate -> select(edition) -> figures -> charts -> context -> html ->
pdf -> output. Each stage is a function of plain data; this module alone
strings them together and decides what runs for which years, editions and
languages. ``check`` is the same pipeline stopped after validation.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from reportgen.diagnostics import Diagnostic, Diagnostics, Location
from reportgen.errors import InvalidInput, UsageError
from reportgen.model import EDITIONS, FiscalYear
from reportgen.project import earlier_years, is_year, output_name, years_in_set

if TYPE_CHECKING:
    from reportgen.letters import Body, Letter
    from reportgen.output import Staging

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    size: int
    pages: int | None = None


@dataclass(frozen=True)
class BuildResult:
    files: tuple[WrittenFile, ...]
    diagnostics: tuple[Diagnostic, ...]
    seconds: float


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
    if not report_dir.is_dir():
        raise UsageError(f"{report_dir}: no such folder")
    if is_year(report_dir):
        return [report_dir]
    years = years_in_set(report_dir)
    if not years:
        raise UsageError(
            f"{report_dir}: neither a report year (no report.toml) nor a report set "
            "(no sub-folder holds a report.toml)"
        )
    return years


def load_year(path: Path, diags: Diagnostics) -> FiscalYear | None:
    """Read and validate one year folder."""
    from reportgen.readers import read_report
    from reportgen.validate import validate

    return validate(read_report(path, diags), diags)


def _load(years: Sequence[Path], diags: Diagnostics) -> list[_Loaded]:
    loaded = [_Loaded(p, load_year(p, diags)) for p in years]
    cache = {item.path.resolve(): item.year for item in loaded}
    for item in loaded:
        for earlier in earlier_years(item.path):
            key = earlier.resolve()
            if key not in cache:
                own = Diagnostics()
                cache[key] = load_year(earlier, own)
                if own.has_errors:
                    diags.warning(
                        Location(earlier / "report.toml"),
                        "this earlier year has errors (check it on its own), so it is "
                        "left out of the comparison",
                    )
            previous = cache[key]
            if previous is None:
                break
            item.history.append(previous)
    return loaded


def check(report_dir: Path) -> CheckResult:
    years = find_years(report_dir)
    diags = Diagnostics()
    _load(years, diags)
    return CheckResult(tuple(years), tuple(diags.sorted()))


class Progress(Protocol):
    """What a long build tells its user: steps, and bars for long runs."""

    def step(self, message: str) -> None: ...
    def start(self, label: str, total: int) -> None: ...
    def advance(self, count: int) -> None: ...
    def finish(self) -> None: ...


class Quiet:
    def step(self, message: str) -> None:
        pass

    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def finish(self) -> None:
        pass


def build(
    report_dir: Path,
    out: Path,
    editions: Sequence[str] | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> BuildResult:
    """Build every year under ``report_dir`` into ``out/<year>/``; all or nothing."""
    from reportgen.concurrency import default_workers
    from reportgen.output import Staging

    started = time.perf_counter()
    for name in editions or ():
        if name not in EDITIONS:
            raise UsageError(f"unknown edition '{name}' (choose from {', '.join(EDITIONS)})")
    years = find_years(report_dir)
    diags = Diagnostics()
    loaded = _load(years, diags)
    if diags.has_errors:
        raise InvalidInput(diags.sorted())
    note = progress or Quiet()
    jobs = workers or default_workers()
    written: list[WrittenFile] = []
    with ExitStack() as stack:
        staged = []
        for item in loaded:
            assert item.year is not None
            wanted = tuple(editions) if editions else item.year.config.editions
            stage = stack.enter_context(Staging(out / output_name(item.path)))
            pages = _render_year(item, wanted, stage, note, jobs)
            staged.append((stage, pages))
        for stage, pages in staged:  # only now, with every year rendered, touch the output
            for path in stage.commit(replace_dirs=("donors",)):
                rel = path.relative_to(stage.destination).as_posix()
                written.append(WrittenFile(path, path.stat().st_size, pages.get(rel)))
    return BuildResult(tuple(written), tuple(diags.sorted()), time.perf_counter() - started)


def _render_year(
    item: _Loaded, editions: Sequence[str], stage: Staging, note: Progress, workers: int
) -> dict[str, int]:
    year = item.year
    assert year is not None
    config = year.config
    pages: dict[str, int] = {}
    multilingual = len(config.languages) > 1
    bodies: dict[str, bytes] = {}
    for edition in editions:
        for language in config.languages:
            prefix = f"{language}/" if multilingual else ""
            note.step(f"{item.path.name}: {edition} ({language})")
            made = render_edition(year, item.history, edition, language)
            for name, (data, count) in made.items():
                stage.write(prefix + name, data)
                if count is not None:
                    pages[prefix + name] = count
            if edition == "donor":
                bodies[language] = made["donor.pdf"][0]
    if "donor" in editions and year.donors:
        _render_letters(year, bodies, stage, note, workers)
    return pages


def _render_letters(
    year: FiscalYear, bodies: dict[str, bytes], stage: Staging, note: Progress, workers: int
) -> None:
    from reportgen import letters
    from reportgen.concurrency import chunks, run
    from reportgen.html import letter_css
    from reportgen.theme import palette

    config = year.config
    made = letters.make_letters(year, _logo(year))
    css = letter_css(palette(config.theme), config.theme.page_size, config.theme.font)
    shared = {
        language: letters.Body(pdf, _donor_title(year, language))
        for language, pdf in bodies.items()
    }
    size = max(1, min(40, -(-len(made) // (workers * 4))))
    created = config.published or config.end
    folder = stage.path("donors")
    # Batches of one language each: a batch's PDF then embeds only the fonts it needs.
    languages = sorted({letter.language for letter in made})
    jobs = [
        _LetterJob(tuple(batch), css, config.root, shared, created, folder)
        for language in languages
        for batch in chunks([x for x in made if x.language == language], size)
    ]
    note.start(f"{config.root.name}: donor letters", len(made))
    try:
        results = run(_letter_batch, jobs, workers, lambda job, _: note.advance(len(job.letters)))
    finally:
        note.finish()
    for names in results:
        for name in names:
            stage.adopt(f"donors/{name}")


def _donor_title(year: FiscalYear, language: str) -> str:
    from reportgen import i18n

    return f"{i18n.label(language, 'title_donor')} {year.config.fiscal_year}"


@dataclass(frozen=True)
class _LetterJob:
    letters: tuple[Letter, ...]
    css: str
    base: Path
    bodies: dict[str, Body]
    created: date
    folder: Path  # the staging folder's donors/


def _letter_batch(job: _LetterJob) -> list[str]:
    """Worker: render a batch of letters and write them into the staging folder."""
    from reportgen.letters import render_batch
    from reportgen.output import write_staged

    names: list[str] = []

    def write(relative: str, data: bytes) -> None:
        name = relative.removeprefix("donors/")
        write_staged(job.folder, name, data)
        names.append(name)

    render_batch(job.letters, job.css, job.base, job.bodies, job.created, write)
    return names


def _logo(year: FiscalYear) -> str | None:
    from reportgen.fetch import Sandbox

    logo = year.config.organization.logo
    if logo is None:
        return None
    return Sandbox.of([logo.parent]).fetch(str(logo)).data_uri


EDITION_FILES = {"annual-report": True, "handout": False, "donor": False}  # also HTML?


def render_edition(
    year: FiscalYear | None, history: Sequence[FiscalYear], edition: str, language: str
) -> dict[str, tuple[bytes, int | None]]:
    """One edition of one year in one language: file name -> (bytes, pages)."""
    from reportgen.charts import ChartStyle, draw_charts
    from reportgen.context import build_context
    from reportgen.editions import select
    from reportgen.fetch import Sandbox
    from reportgen.figures import key_figures
    from reportgen.html import inline_images, render_html
    from reportgen.pdf import render_pdf
    from reportgen.templating import templates_dir
    from reportgen.theme import palette

    assert year is not None
    config = year.config
    seen = select(year, edition, language)
    figures = key_figures(seen)
    earlier = [key_figures(select(y, edition, language)) for y in history]
    colours = palette(config.theme)
    style = ChartStyle(colours, config.theme.font, language, config.currency)
    charts = draw_charts(figures, [*reversed(earlier), figures], style)
    sandbox = Sandbox.of([config.root, templates_dir()])
    ctx = build_context(
        seen, edition, language, figures, earlier[0] if earlier else None, charts, colours,
        _logo(year),
    )  # fmt: skip
    template = f"{edition}.html.j2"
    printed = render_html(ctx, "print", template)
    pdf = render_pdf(printed.html, config.root, sandbox)
    files: dict[str, tuple[bytes, int | None]] = {f"{edition}.pdf": (pdf.data, pdf.pages)}
    if EDITION_FILES[edition]:
        screen = render_html(ctx, "screen", template)
        page = inline_images(screen.html, config.root, sandbox)
        files[f"{edition}.html"] = (page.encode("utf-8"), None)
    return files
