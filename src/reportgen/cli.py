"""The command line: the only module that prints or picks an exit code.

Each command is one call into ``build``; this module turns its results,
diagnostics and errors into lines on the terminal and exit codes
0 (success), 2 (invalid input or usage) and 1 (an internal error). Importing
it is cheap: the heavy libraries load only when a build renders.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from reportgen import __version__
from reportgen.core.diagnostics import Diagnostic, Severity, summarise
from reportgen.core.editions import EDITION_NAMES as EDITIONS
from reportgen.core.errors import InvalidInput, ReportgenError, UsageError
from reportgen.core.languages import labels_toml, tag_problem
from reportgen.core.progress import Quiet
from reportgen.reading.model import PDF_VARIANTS
from reportgen.reading.receipt_presets import as_toml, presets
from reportgen.reading.settings import translations_toml

F = TypeVar("F", bound=Callable[..., Any])


def _echo_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    for line in summarise(diagnostics, Path.cwd()):
        click.echo(line, err=True)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"


class _Stopped(KeyboardInterrupt):
    """A terminate or hang-up signal, raised where the program is, so that it
    unwinds like Ctrl-C: staging removed, workers stopped, no traceback."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    raise _Stopped(signum)


def _run(debug: bool, action: Callable[[], int]) -> None:
    """Run a command, mapping every outcome to a message and an exit code."""
    stops = (signal.SIGTERM, signal.SIGHUP)
    handled = threading.current_thread() is threading.main_thread()
    before = {stop: signal.signal(stop, _stop) for stop in stops} if handled else {}
    try:
        code = action()
    except _Stopped as exc:
        name = signal.Signals(exc.signum).name
        click.echo(f"reportgen: stopped by {name}; nothing was written", err=True)
        code = 128 + exc.signum
    except InvalidInput as exc:
        _echo_diagnostics(exc.diagnostics)
        click.echo(f"reportgen: {exc}", err=True)
        code = exc.exit_code
    except ReportgenError as exc:
        click.echo(f"reportgen: error: {exc}", err=True)
        code = exc.exit_code
    except KeyboardInterrupt:
        click.echo("reportgen: interrupted; nothing was written", err=True)
        code = 130
    except Exception as exc:  # the last line of defence: one clear line, no traceback
        if debug:
            traceback.print_exc()
        click.echo(
            f"reportgen: internal error: {type(exc).__name__}: {exc}"
            + ("" if debug else " (run with --debug for details)"),
            err=True,
        )
        code = 1
    finally:
        for stop, handler in before.items():
            signal.signal(stop, handler)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn a folder of NGO data and Markdown into an annual report.

    REPORT_DIR is one fiscal year (a folder with report.toml) or a report set
    (a folder of such years). See the report folder format in the README.
    """
    ctx.obj = {"debug": debug}
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.ERROR,
        format="%(name)s: %(levelname)s: %(message)s",
    )


@cli.command()
@click.argument("report_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("output"),
    show_default=True,
    help="Folder the year folders are written into.",
)
@click.option(
    "--edition",
    "editions",
    multiple=True,
    type=click.Choice(EDITIONS),
    help="Build only this edition (repeatable). Default: report.toml's 'editions'.",
)
@click.option(
    "--language",
    "languages",
    multiple=True,
    callback=lambda _ctx, _param, value: tuple(_tag(v) for v in value),
    help="Build only this language of the report, a tag such as en, en-GB, ja, ko "
    "(repeatable), and the letters of its donors; the other languages' files stay as "
    "they were. Default: all.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that render the documents, a single document's charts and the donor "
    "letters (1: all in this process). Default: one per core this process may use.",
)
@click.option(
    "--pdf-variant",
    type=click.Choice(PDF_VARIANTS),
    default=None,
    help="The standard the PDFs claim (default: report.toml's pdf_variant, else pdf/ua-1). "
    "pdf/a-3b for archiving; the annual report always carries its data tables as CSV.",
)
@click.option(
    "--print-marks", is_flag=True, default=None, help="Crop marks and 3 mm bleed for a print shop."
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Render everything anew (the cache lives in OUT/.reportgen-cache, safe to delete).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail (exit 2, nothing written) on any warning: of the input (an unknown key or "
    "column, an empty table...) or of the preflight of the laid-out pages (text over text, "
    "content outside its box, sparse pages, lone headings, broken words, missing glyphs, "
    "fonts embedded for one character, table remnants, figures apart, running heads, pages "
    "left short, section breaks, and with [print] bleed and page counts).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.pass_context
def build(
    ctx: click.Context,
    report_dir: Path,
    out: Path,
    editions: tuple[str, ...],
    languages: tuple[str, ...],
    jobs: int | None,
    pdf_variant: str | None,
    print_marks: bool | None,
    no_cache: bool,
    strict: bool,
    quiet: bool,
) -> None:
    """Validate REPORT_DIR and write its editions under OUT/<year>/.

    Editions: annual-report (PDF and HTML), handout (members), donor (and one
    letter per row of data/donors when that table exists).
    """

    def action() -> int:
        from reportgen.commands.build import run_build

        progress = Quiet() if quiet else _Progress()
        result = run_build(
            report_dir, out, editions or None, progress=progress, workers=jobs,
            cache=not no_cache, pdf_variant=pdf_variant, print_marks=print_marks or None,
            languages=languages or None, strict=strict,
        )  # fmt: skip
        _echo_diagnostics(result.diagnostics)
        if not quiet:
            for file in result.files:
                pages = f", {file.pages} pages" if file.pages else ""
                click.echo(f"wrote {_display(file.path)} ({_size(file.size)}{pages})")
            click.echo(f"built {len(result.files)} files in {result.seconds:.1f} s")
        return 0

    _run(ctx.obj["debug"], action)


def _tag(value: str) -> str:
    if (problem := tag_problem(value)) is not None:
        raise click.BadParameter(problem)
    return value


@cli.command()
@click.option(
    "--language",
    "tag",
    default="en",
    show_default=True,
    callback=lambda _c, _p, v: _tag(v),
    help="The language tag whose words to print (en, en-GB, ja, ko, or any other).",
)
def labels(tag: str) -> None:
    """Print every word of a language pack as a [labels.<tag>] block to paste
    into organization.toml or report.toml, then the settings that take a
    translation into that language."""
    click.echo(labels_toml(tag) + "\n" + translations_toml(tag), nl=False)


@cli.command()
@click.option("--preset", type=click.Choice(list(presets())), required=True,
              help="The jurisdiction's starting text.")  # fmt: skip
def receipts(preset: str) -> None:
    """Print a receipts preset as a [receipts] table to paste into report.toml
    and edit: starting text, never advice (confirm it with your adviser)."""
    click.echo(as_toml(preset), nl=False)


@cli.command()
@click.argument("report_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--strict", is_flag=True, help="Fail (exit 2) on warnings too.")
@click.pass_context
def check(ctx: click.Context, report_dir: Path, strict: bool) -> None:
    """Validate REPORT_DIR without writing anything; exit 2 on errors (with
    --strict, on warnings too)."""

    def action() -> int:
        from reportgen.commands.build import run_check

        result = run_check(report_dir)
        _echo_diagnostics(result.diagnostics)
        errors = sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)
        warnings = len(result.diagnostics) - errors
        years = ", ".join(p.name for p in result.years)
        if errors or (strict and warnings):
            click.echo(f"reportgen: {errors} error(s), {warnings} warning(s) in {years}"
                       + (" (--strict: warnings fail)" if strict and warnings else ""),
                       err=True)  # fmt: skip
            return 2
        click.echo(f"{years}: no problems" + (f" ({warnings} warning(s))" if warnings else ""))
        return 0

    _run(ctx.obj["debug"], action)


class _Progress:
    """Steps as lines, long runs as a bar, all on standard error."""

    def __init__(self, verb: str = "rendering") -> None:
        self._bar: Any = None
        self._verb = verb

    def step(self, message: str) -> None:
        click.echo(f"  {message}", err=True)

    def start(self, label: str, total: int) -> None:
        self._bar = click.progressbar(
            length=total,
            label="  " + f"{self._verb} {label}".strip(),
            file=sys.stderr,
            show_pos=True,
        )
        self._bar.__enter__()

    def advance(self, count: int) -> None:
        if self._bar is not None:
            self._bar.update(count)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


class _SendUi(_Progress):
    """``send``'s plan and messages on standard output; steps, bars and the
    question on standard error."""

    def __init__(self) -> None:
        super().__init__(verb="")

    def say(self, line: str) -> None:
        click.echo(line)

    def warn(self, diagnostics: Iterable[Diagnostic]) -> None:
        _echo_diagnostics(diagnostics)

    def confirm(self, question: str) -> bool:
        try:
            return click.confirm(question, default=False, err=True)
        except click.Abort:  # Ctrl-C or the end of input at the question: a no
            click.echo("", err=True)
            return False


@cli.command()
@click.argument("report_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--send", "really", is_flag=True, help="Send. Without it, a dry run: show the "
              "plan and the first messages, send nothing.")  # fmt: skip
@click.option("--yes", is_flag=True, help="With --send: do not ask before sending.")
@click.option("--to", metavar="ADDRESS", help="Send every message to this one test address "
              "instead of the donors (not recorded in the send log).")  # fmt: skip
@click.option(
    "--rate", type=click.IntRange(min=1), default=30, show_default=True,
    help="At most this many messages a minute.",
)  # fmt: skip
@click.option("--resend-changed", is_flag=True, help="Send again the letters that changed "
              "since they were sent.")  # fmt: skip
@click.option("--resend-unknown", is_flag=True, help="Send again the letters whose sending "
              "was cut off mid-message (they may have arrived: check first).")  # fmt: skip
@click.option(
    "--receipts",
    type=click.Choice(["with", "only"]),
    default=None,
    help=(
        "with: attach each donor's receipt (receipts/<name>.pdf) to the letter's message; "
        "only: send the receipts alone, one message per donor who has one."
    ),
)
@click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), default=Path("output"),
    show_default=True, help="The output folder the build writes the letters into.",
)  # fmt: skip
@click.pass_context
def send(
    ctx: click.Context,
    report_dir: Path,
    really: bool,
    yes: bool,
    to: str | None,
    rate: int,
    resend_changed: bool,
    resend_unknown: bool,
    receipts: str | None,
    out: Path,
) -> None:
    """E-mail each donor of REPORT_DIR (one year) their letter, once.

    Builds first (as `reportgen build`), then sends through the [email]
    settings' server. The password comes from the environment variable
    REPORTGEN_SMTP_PASSWORD or the system keyring (`keyring set reportgen-smtp
    USERNAME`). Exit 0: all sent (or a clean dry run); 1: some not sent, each
    named; 2: bad settings or input, nothing sent.
    """

    def action() -> int:
        from reportgen.commands.send import Options, run

        options = Options(send=really, yes=yes, to=to, rate=rate,
                          resend_changed=resend_changed, resend_unknown=resend_unknown,
                          receipts=receipts or "")  # fmt: skip
        outcome = run(report_dir, out, options, _SendUi())
        for line in _send_summary(outcome):
            click.echo(line, err=line.startswith("reportgen:"))
        return outcome.exit_code

    _run(ctx.obj["debug"], action)


def _send_summary(outcome: Any) -> list[str]:
    """The end of a send: what went, what did not (each named), and why."""
    lines = [f"failed: {who}: {why}" for who, why in outcome.failed]
    lines += [f"unknown, maybe sent: {who}" for who in outcome.unknown]
    lines += [f"refused address: {who}: {why}" for who, why in outcome.refused]
    lines += [f"letter does not match its donor, not sent: {who}: {why}"
              for who, why in outcome.mismatched]  # fmt: skip
    counts = (
        f"{len(outcome.sent)} sent, {outcome.already_sent} already sent before, "
        f"{len(outcome.failed)} failed, {len(outcome.unknown)} unknown, "
        f"{len(outcome.changed)} changed and not resent, {len(outcome.refused)} refused, "
        f"{len(outcome.without_email)} without an email"
        + (f", {len(outcome.mismatched)} not matching their letter" if outcome.mismatched else "")
    )
    if outcome.dry_run:
        lines.append("dry run: nothing was sent (add --send to send)")
    else:
        lines.append(counts + (f" (to the test address {outcome.test_address})"
                               if outcome.test_address else ""))  # fmt: skip
    if outcome.stopped is not None:
        lines.append(
            f"reportgen: stopped after {len(outcome.sent)} message(s); the send log is up to "
            "date: run the same command again to send the rest"
        )
    return lines


def _day(value: str | None) -> date | None:
    """A day written YYYY-MM-DD, and only so (not 20250401, not 2025-W14-1)."""
    if value is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError("write it YYYY-MM-DD")
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a day ({exc}), e.g. 2025-04-01") from None


@cli.command()
@click.argument("report_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--from",
    "previous",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Roll this year's folder forward: dates, labels, titles (and their translations) "
    "and the publication day move on a year; tables keep their headers (people, coalitions "
    "and tables declared with carry_over = true keep their rows too); narrative keeps its "
    "titles with prompts.",
)
@click.option("--copy-assets", is_flag=True, help="Also copy the previous year's assets/.")
@click.option(
    "--start",
    metavar="YYYY-MM-DD",
    callback=lambda _ctx, _param, value: _day(value),
    help="Without --from: the fiscal year's first day (it ends a year later less a day). "
    "Default: 1 January of this year.",
)
@click.option(
    "--workbook",
    is_flag=True,
    help="Without --from: the starter data as one workbook, data/year.xlsx, a sheet per table "
    "with an example row (instead of a CSV file per table).",
)
@click.option(
    "--word",
    is_flag=True,
    help="Without --from: the starter narrative as Word documents (.docx) instead of Markdown.",
)
@click.pass_context
def new(
    ctx: click.Context,
    report_dir: Path,
    previous: Path | None,
    copy_assets: bool,
    start: date | None,
    workbook: bool,
    word: bool,
) -> None:
    """Start a new fiscal year in REPORT_DIR (which must not exist yet).

    Without --from, a complete starter with commented examples.
    """

    def action() -> int:
        from reportgen.commands.new import new_year

        written = new_year(report_dir, previous, copy_assets, start, workbook, word)
        for rel in written:
            click.echo(f"created {_display(report_dir / rel)}")
        click.echo(f"next: fill in {_display(report_dir)} and run: reportgen check {report_dir}")
        return 0

    _run(ctx.obj["debug"], action)


@cli.command()
@click.argument("report_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port). Nothing listens on other interfaces.",
)
@click.pass_context
def serve(ctx: click.Context, report_dir: Path, port: int) -> None:
    """Preview REPORT_DIR's HTML edition in a browser, rebuilt on every save.

    The page reloads by itself; invalid input shows its messages in the page.
    For a report set, the latest year is previewed. Ctrl-C stops it.
    """

    def action() -> int:
        from reportgen.commands.build import find_years
        from reportgen.commands.serve import serve as run_serve

        year = find_years(report_dir)[-1]
        click.echo(f"previewing {_display(year)}")
        try:
            run_serve(year, port, announce=click.echo)
        except OSError as exc:
            raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
        except KeyboardInterrupt:  # Ctrl-C while starting or stopping: still a clean stop
            pass
        click.echo("stopped")
        return 0

    _run(ctx.obj["debug"], action)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def main() -> None:
    """The console script. Ends the process without Python's teardown: after
    a build, freeing the laid-out documents object by object takes longer
    than the operating system needs to drop the whole process (about 0.4 s
    for the sample), and every file is already written and closed."""
    try:
        cli(prog_name="reportgen")
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
