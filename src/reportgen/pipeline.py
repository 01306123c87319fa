"""The build, as a short list of named stages.

read -> validate -> select(edition) -> figures -> charts -> context -> html ->
pdf -> output. Each stage is a function of plain data; this module alone
strings them together and decides what runs for which years, editions and
languages. ``check`` is the same pipeline stopped after validation.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.diagnostics import Diagnostic, Diagnostics, Location
from reportgen.errors import InvalidInput, UsageError
from reportgen.model import EDITIONS, FiscalYear
from reportgen.project import earlier_years, is_year, output_name, years_in_set

log = logging.getLogger(__name__)

TEMPLATES = {"annual-report": "annual-report.html.j2"}
Progress = Callable[[str], None]


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


def build(
    report_dir: Path,
    out: Path,
    editions: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build every year under ``report_dir`` into ``out/<year>/``; all or nothing."""
    started = time.perf_counter()
    for name in editions or ():
        if name not in EDITIONS:
            raise UsageError(f"unknown edition '{name}' (choose from {', '.join(EDITIONS)})")
    years = find_years(report_dir)
    diags = Diagnostics()
    loaded = _load(years, diags)
    if diags.has_errors:
        raise InvalidInput(diags.sorted())
    note = progress or (lambda message: None)
    outputs: list[tuple[Path, dict[str, bytes], dict[str, int]]] = []
    for item in loaded:
        assert item.year is not None
        wanted = tuple(editions) if editions else item.year.config.editions
        files, pages = _render_year(item, wanted, diags, note)
        outputs.append((out / output_name(item.path), files, pages))
    written = []
    from reportgen.output import write_outputs

    for destination, files, pages in outputs:
        for path in write_outputs(destination, files, replace_dirs=("donors",)):
            rel = path.relative_to(destination).as_posix()
            written.append(WrittenFile(path, path.stat().st_size, pages.get(rel)))
    return BuildResult(tuple(written), tuple(diags.sorted()), time.perf_counter() - started)


def _render_year(
    item: _Loaded, editions: Sequence[str], diags: Diagnostics, note: Progress
) -> tuple[dict[str, bytes], dict[str, int]]:
    year = item.year
    assert year is not None
    config = year.config
    files: dict[str, bytes] = {}
    pages: dict[str, int] = {}
    multilingual = len(config.languages) > 1
    for edition in editions:
        if edition not in TEMPLATES:
            diags.warning(
                Location(config.root / "report.toml"),
                f"the '{edition}' edition is not available in this version of reportgen; skipped",
            )
            continue
        for language in config.languages:
            prefix = f"{language}/" if multilingual else ""
            note(f"{item.path.name}: {edition} ({language})")
            made = render_edition(item.year, item.history, edition, language)
            for name, (data, count) in made.items():
                files[prefix + name] = data
                if count is not None:
                    pages[prefix + name] = count
    return files, pages


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
    logo = None
    if config.organization.logo is not None:
        logo = (
            Sandbox.of([config.organization.logo.parent])
            .fetch(str(config.organization.logo))
            .data_uri
        )
    ctx = build_context(
        seen, edition, language, figures, earlier[0] if earlier else None, charts, colours, logo
    )
    template = TEMPLATES[edition]
    printed = render_html(ctx, "print", template)
    pdf = render_pdf(printed.html, config.root, sandbox)
    screen = render_html(ctx, "screen", template)
    page = inline_images(screen.html, config.root, sandbox)
    return {
        f"{edition}.pdf": (pdf.data, pdf.pages),
        f"{edition}.html": (page.encode("utf-8"), None),
    }
