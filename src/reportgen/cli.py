"""The command line: the only module that prints or picks an exit code.

Each command is one call into ``build``; this module turns its results,
diagnostics and errors into lines on the terminal and exit codes
0 (success), 2 (invalid input or usage) and 1 (an internal error). Importing
it is cheap: the heavy libraries load only when a build renders.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import signal
import sys
import threading
import traceback
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import click

from reportgen import __version__
from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostic, Severity, summarise
from reportgen.core.editions import EDITION_NAMES as EDITIONS
from reportgen.core.errors import InvalidInput, ReportgenError, UsageError
from reportgen.core.languages import labels_toml, tag_problem
from reportgen.core.progress import Quiet
from reportgen.reading.model import PDF_VARIANTS
from reportgen.reading.receipt_presets import as_toml, presets
from reportgen.reading.settings import translations_toml

F = TypeVar("F", bound=Callable[..., Any])


class _Formatter(click.HelpFormatter):
    """Click's help layout with its own words (the usage line, the section
    headings) in the user's language."""

    HEADINGS: ClassVar[dict[str, str]] = {
        "Options": M.HELP_OPTIONS(), "Commands": M.HELP_COMMANDS(), "Arguments": M.HELP_ARGUMENTS()
    }  # fmt: skip

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, M.say(M.HELP_USAGE()) if prefix is None else prefix)

    def section(self, name: str) -> Any:
        return super().section(M.say(self.HEADINGS.get(name, name)))

    def write_heading(self, heading: str) -> None:
        """A section's heading and its colon in the language (オプション：)."""
        self.write(f"{'':>{self.current_indent}}{M.say(M.HELP_HEADING(heading=heading))}\n")

    @staticmethod
    def _said_default(text: str) -> str:
        """Click's "[default: …; x>=1]" after an option's help, in the user's language."""
        found = _EXTRAS.search(text)
        if found is None or M.user_language() == "en":
            return text
        parts = found.group(1).split("; ")
        said = [_said_range(p) for p in parts if not p.startswith("default: ")]
        default = next((p[len("default: ") :] for p in parts if p.startswith("default: ")), None)
        if default is None:
            extras = M.say(M.HELP_EXTRAS(value="; ".join(said)))
        else:
            extras = M.say(M.HELP_DEFAULT(value=M.listed([default, *said])))
        before = text[: found.start()]
        if extras.startswith("（"):  # review-ja F-13: "…。（既定：30、1以上）", no space before
            before = before.rstrip()
        return before + extras

    @staticmethod
    def _said_term(term: str) -> str:
        """An option's metavar (DIRECTORY, INTEGER RANGE) in the user's language."""
        if M.user_language() == "en":
            return term
        for english, message in _METAVARS.items():
            if term.endswith(f" {english}"):
                return term[: -len(english)] + M.say(message())
        return term

    def write_text(self, text: str) -> None:
        if not _wide(text):
            super().write_text(text)
            return
        indent = " " * self.current_indent
        self.write(_wrap_wide(text, self.width or 78, indent) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:  # fmt: skip
        """Click's definition list, its second column wrapped by display width
        when it holds Japanese or Korean (click counts a wide character as one
        column and breaks inside a Latin word beside it)."""
        rows = [(self._said_term(term), self._said_default(text)) for term, text in rows]
        if not any(_wide(text) for _, text in rows):
            super().write_dl(rows, col_max, col_spacing)
            return
        first_col = min(max((_columns(term) for term, _ in rows), default=0), col_max) + col_spacing
        for term, text in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            if not text:
                self.write("\n")
                continue
            if _columns(term) <= first_col - col_spacing:
                self.write(" " * (first_col - _columns(term)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            width = max((self.width or 78) - first_col - 2, 10)
            lines = _wrap_wide(text, width, "").splitlines() or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


_EXTRAS = re.compile(r"\[((?:default: |x>=|-?\d+<=x|required).*)\]$")
_METAVARS = {"DIRECTORY": M.HELP_METAVAR_FOLDER, "INTEGER RANGE": M.HELP_METAVAR_NUMBER,
             "TEXT": M.HELP_METAVAR_TAG, "ADDRESS": M.HELP_METAVAR_ADDRESS}  # fmt: skip


def _said_range(said: str) -> str:
    """Click's range of a number ("x>=1", "0<=x<=65535") or "required" in the user's words."""
    at_least = re.fullmatch(r"x>=(-?\d+)", said)
    if at_least:
        return M.say(M.HELP_AT_LEAST(low=at_least.group(1)))
    between = re.fullmatch(r"(-?\d+)<=x<=(-?\d+)", said)
    if between:
        return M.say(M.HELP_BETWEEN(low=between.group(1), high=between.group(2)))
    return M.say(M.HELP_REQUIRED()) if said == "required" else said


# Punctuation that never starts a line, and that never ends one (kinsoku).
_NO_START = frozenset("、。，．・：；？！）」』】〕》〉ー…‥%,.:;?!)]")
_NO_END = frozenset("（「『【〔《〈([")


def _wide(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def _columns(text: str) -> int:
    """The width of ``text`` on a terminal: two columns for a wide character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _anywhere(ch: str) -> bool:
    """A character a Japanese line may break before or after (Korean, like
    English, breaks between words only)."""
    return unicodedata.east_asian_width(ch) in "WF" and not (
        "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"
    )


def _tokens(paragraph: str) -> list[str]:
    """Words that a line may not break inside: a run of Latin letters, digits
    and marks ("[print]", "--strict", "3 mm" is two), each wide character
    alone, punctuation kept with the word it belongs to, a number with the
    counter after it (1人, 3件); " " between words."""
    raw: list[str] = []
    depth = 0  # inside [...]: one word, whatever it holds
    until = -1  # inside a short （…）, up to this index: one word (（既定：30、1以上）)
    for i, ch in enumerate(paragraph):
        if (depth or i <= until) and raw:
            raw[-1] += ch
        elif ch.isspace():
            if raw and raw[-1] != " ":
                raw.append(" ")
        elif _anywhere(ch) or not raw or raw[-1] == " " or _anywhere(raw[-1][-1]):
            raw.append(ch)
        else:
            raw[-1] += ch
        depth += (ch == "[") - (ch == "]") if depth or ch == "[" else 0
        if ch == "（" and i > until and 0 < paragraph.find("）", i) - i <= _SHORT_GROUP:
            until = paragraph.find("）", i)
    tokens: list[str] = []
    for token in raw:
        counter = bool(tokens) and tokens[-1][-1].isdigit() and _anywhere(token[0])  # 1人
        # a date stays whole: 7月1日, 2026年4月1日
        day = bool(tokens) and token[0].isdigit() and _DATE_PART.search(tokens[-1]) is not None
        if (
            tokens
            and tokens[-1] != " "
            and (token[0] in _NO_START or tokens[-1][-1] in _NO_END or counter or day)
        ):
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


def _wrap_wide(text: str, width: int, indent: str) -> str:
    """``text`` wrapped to ``width`` terminal columns, paragraph by paragraph
    (as click's ``preserve_paragraphs``: a paragraph after a line of ``\\b``
    is kept as written)."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip("\n")):
        if paragraph.startswith("\b"):
            out += [indent + line for line in paragraph[1:].lstrip("\n").splitlines()]
            out.append("")
            continue
        line, used = "", 0
        # A bracketed group ("[既定: output]", "[print]") never breaks.
        joined = re.sub(r"\[[^\]\n]*\]", lambda m: m.group().replace(" ", _KEEP),
                        " ".join(paragraph.split("\n")))  # fmt: skip
        for token in _tokens(joined):
            size = _columns(token)
            if token == " ":
                if line:
                    line, used = line + " ", used + 1
                continue
            if line.strip() and used + size > width - len(indent):
                out.append(indent + line.rstrip())
                line, used = "", 0
            line, used = line + token, used + size
        out.append(indent + line.rstrip())
        out.append("")
    return "\n".join(out[:-1]).replace(_KEEP, " ")


_KEEP = "\x00"  # a space that does not break a line
_DATE_PART = re.compile(r"\d[年月]$")  # 7月, 2026年: the next number is the same date's
_SHORT_GROUP = 12  # the most characters of a （…） a line keeps whole
_SENTENCE = re.compile(r".+?(?:[。！？]|[.!?](?=\s|$))", re.S)


def _first_sentence(text: str) -> str:
    """A command's summary in the list of commands: the first sentence of its
    help, whole (click cuts at a width, which leaves a Japanese or Korean
    summary mid-phrase)."""
    paragraph = " ".join(text.strip().split("\n\n")[0].split())
    found = _SENTENCE.match(paragraph)
    return found.group(0) if found else paragraph


class _Context(click.Context):
    formatter_class = _Formatter


def _localize(command: click.Command, ctx: click.Context) -> None:
    """The help texts of ``command`` (a catalog's ``Text``) in the user's
    language; the English stays kept on the object for the next time."""
    option = command.get_help_option(ctx)
    if option is not None:
        option.help = M.HELP_HELP()
    items: list[Any] = [command, *command.params, *([option] if option else [])]
    for item in items:
        english = item.__dict__.setdefault("_english_help", getattr(item, "help", None))
        if english is not None:
            item.help = M.say(M.declared(english))


_SUMMARIES = {"labels": M.SUMMARY_LABELS(), "messages": M.SUMMARY_MESSAGES(),
              "receipts": M.SUMMARY_RECEIPTS()}  # fmt: skip
_USAGE_PIECES = {"[OPTIONS]": M.USAGE_OPTIONS(), "COMMAND [ARGS]...": M.USAGE_COMMAND()}


def _usage_pieces(pieces: list[str]) -> list[str]:
    """Click's words in the usage line ("[OPTIONS]") in the user's language."""
    return [M.say(_USAGE_PIECES[piece]) if piece in _USAGE_PIECES else piece for piece in pieces]


# Click's own English (its messages are not in a catalog reportgen can use),
# read back into the catalog's messages; a text none of these reads exactly
# stays click's, inside a translated frame.
_CLICK_SAYS: list[tuple[re.Pattern[str], Callable[[dict[str, str]], M.Text]]] = [
    (re.compile(r"'(?P<value>.*)' is not one of (?P<choices>.*)\.", re.S),
     lambda g: M.CLICK_NOT_ONE_OF(value=_quoted([g["value"]]), choices=_choices(g["choices"]))),
    (re.compile(r"'(?P<value>.*)' is not (?P<choice>'.*')\.", re.S),
     lambda g: M.CLICK_NOT_THE_CHOICE(value=_quoted([g["value"]]), choice=_choices(g["choice"]))),
    (re.compile(r"(?P<value>.*) is not in the range (?P<range>.*)\.", re.S),
     lambda g: M.CLICK_NOT_IN_RANGE(value=g["value"], range=g["range"])),
    (re.compile(r"'(?P<value>.*)' is not a valid integer\.", re.S),
     lambda g: M.CLICK_NOT_AN_INTEGER(value=_quoted([g["value"]]))),
    (re.compile(r"'(?P<value>.*)' is not a valid integer range\.", re.S),
     lambda g: M.CLICK_NOT_AN_INTEGER_RANGE(value=_quoted([g["value"]]))),
    (re.compile(r"Directory '(?P<name>.*)' is a file\.", re.S),
     lambda g: M.CLICK_FOLDER_IS_FILE(name=_quoted([g["name"]]))),
    (re.compile(r"Option '(?P<name>.*)' requires an argument\.", re.S),
     lambda g: M.CLICK_NEEDS_VALUE(name=_quoted([g["name"]]))),
    (re.compile(r"Option '(?P<name>.*)' does not take a value\.", re.S),
     lambda g: M.CLICK_TAKES_NO_VALUE(name=_quoted([g["name"]]))),
    (re.compile(r"Got unexpected extra arguments? \((?P<args>.*)\)", re.S),
     lambda g: M.CLICK_EXTRA_ARGUMENTS(args=g["args"], count=len(g["args"].split()))),
]  # fmt: skip


def _quoted(names: Iterable[str]) -> M.Text:
    """Names as click quotes them ('-j' / '--jobs'), in the user's quotes."""
    texts = [M.CLICK_QUOTED(name=name) for name in names]
    return functools.reduce(lambda a, b: M.CLICK_OR(first=a, second=b), texts)


def _choices(said: str) -> str:
    """Click's list of choices ('a', 'b') in the user's words (Japanese: a、b)."""
    return M.listed([M.CLICK_CHOICE(name=name) for name in re.findall(r"'([^']*)'", said)])


def _exactly(text: M.Text, english: str) -> M.Text:
    """``text`` when it reads as click's ``english`` does, else click's words framed."""
    return text if str(text) == english else M.LIBRARY_REASON(reason=english)


def _click_inner(message: str) -> M.Text:
    if isinstance(message, M.Text):
        return message
    for pattern, made in _CLICK_SAYS:
        found = pattern.fullmatch(message)
        if found is not None:
            return _exactly(made(found.groupdict()), message)
    return M.LIBRARY_REASON(reason=message)


def _hint_names(exc: click.BadParameter) -> list[str] | None:
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint(exc.ctx)
    if hint is None:
        return None
    if not isinstance(hint, str):
        return list(hint)
    names = re.findall(r"'([^']*)'", hint)
    return names if " / ".join(f"'{n}'" for n in names) == hint else None


def _click_said(exc: click.ClickException) -> M.Text:
    """What click says of a usage error, as the catalog's message."""
    english = exc.format_message()
    text: M.Text
    if isinstance(exc, click.NoSuchOption | click.exceptions.NoSuchCommand):
        named = exc.option_name if isinstance(exc, click.NoSuchOption) else exc.command_name
        made = M.CLICK_NO_SUCH_OPTION if isinstance(exc, click.NoSuchOption) else (
            M.CLICK_NO_SUCH_COMMAND)  # fmt: skip
        text = made(name=_quoted([named]))
        if exc.possibilities and len(exc.possibilities) == 1:
            text = M.CLICK_DID_YOU_MEAN(message=text, possibility=_quoted(exc.possibilities))
        elif exc.possibilities:
            found = M.listed([M.CLICK_QUOTED(name=p) for p in sorted(exc.possibilities)])
            text = M.CLICK_DID_YOU_MEAN_ONE_OF(message=text, possibilities=found)
    elif isinstance(exc, click.MissingParameter):
        names = _hint_names(exc) or []
        kind = exc.param_type or (exc.param.param_type_name if exc.param else "")
        choices = english.partition("Choose from:\n\t")[2]
        if kind == "option" and choices:
            text = M.CLICK_MISSING_CHOICE(name=_quoted(names or ["?"]), choices=choices)
        elif kind == "option":
            text = M.CLICK_MISSING_OPTION(name=_quoted(names or ["?"]))
        else:
            text = M.CLICK_MISSING_ARGUMENT(name=_quoted(names or ["?"]))
    elif isinstance(exc, click.BadParameter):
        hinted = _hint_names(exc)
        inner = _click_inner(exc.message)
        text = (M.CLICK_INVALID_VALUE(name=_quoted(hinted), message=inner) if hinted
                else M.CLICK_INVALID(message=inner))  # fmt: skip
    else:
        text = _click_inner(exc.message)
    return _exactly(text, english)


def _show_click_error(exc: click.ClickException) -> None:
    """Click's report of a usage error (usage line, where to find help,
    ``Error: …``) with click's words in the user's language."""
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        exc.show()
        return
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            option = max(ctx.command.get_help_option_names(ctx), key=len)
            hint = M.say(M.CLICK_TRY_HELP(command=ctx.command_path, option=option)) + "\n"
        click.echo(f"{ctx.get_usage()}\n{hint}", err=True, color=ctx.color)
    said = M.CLICK_ERROR(message=_click_said(exc))
    click.echo(M.with_code(M.say(said), said), err=True)


class _Command(click.Command):
    context_class = _Context

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return _usage_pieces(super().collect_usage_pieces(ctx))

    def get_short_help_str(self, limit: int = 45) -> str:
        if self.name in _SUMMARIES and M.user_language() != "en":
            return M.say(_SUMMARIES[self.name])
        if self.short_help or not self.help:
            return super().get_short_help_str(limit)
        return _first_sentence(self.help)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _localize(self, ctx)
        super().format_help(ctx, formatter)


class _Group(click.Group):
    context_class = _Context
    command_class = _Command

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return _usage_pieces(super().collect_usage_pieces(ctx))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Click's own running of the command line, but its usage errors
        said in the user's language (click's words are English only)."""
        if kwargs.get("standalone_mode", True) is False:
            return super().main(*args, **kwargs)
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.ClickException as exc:
            _show_click_error(exc)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo(M.say(M.CLICK_ABORTED()), err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _localize(self, ctx)
        for command in self.commands.values():
            _localize(command, ctx)
        super().format_help(ctx, formatter)


def _said(exc: BaseException) -> str:
    """An exception's message in the user's language (its ``Text``, when it has one)."""
    if len(exc.args) == 1 and isinstance(exc.args[0], M.Text):
        return M.say(exc.args[0])
    return str(exc)


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
        click.echo(M.say(M.STOPPED_BY_SIGNAL(signal=name)), err=True)
        code = 128 + exc.signum
    except InvalidInput as exc:
        _echo_diagnostics(exc.diagnostics)
        click.echo(M.say(M.REPORTGEN_SAYS(message=_said(exc))), err=True)
        code = exc.exit_code
    except ReportgenError as exc:
        click.echo(M.say(M.REPORTGEN_ERROR(message=_said(exc))), err=True)
        code = exc.exit_code
    except KeyboardInterrupt:
        click.echo(M.say(M.INTERRUPTED()), err=True)
        code = 130
    except Exception as exc:  # the last line of defence: one clear line, no traceback
        if debug:
            traceback.print_exc()
        hint = "" if debug else M.RUN_WITH_DEBUG()
        click.echo(M.say(M.INTERNAL_ERROR(kind=type(exc).__name__, detail=exc, hint=hint)),
                   err=True)  # fmt: skip
        code = 1
    finally:
        for stop, handler in before.items():
            signal.signal(stop, handler)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, cls=_Group,
             help=M.HELP_CLI())  # fmt: skip
@click.version_option(__version__, prog_name="reportgen", help=M.HELP_VERSION())
@click.option("--debug", is_flag=True, help=M.HELP_DEBUG())
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    ctx.obj = {"debug": debug}
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.ERROR,
        format="%(name)s: %(levelname)s: %(message)s",
    )


@cli.command(help=M.HELP_BUILD())
@click.argument("report_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("output"),
    show_default=True,
    help=M.HELP_BUILD_OUT(),
)
@click.option(
    "--edition",
    "editions",
    multiple=True,
    type=click.Choice(EDITIONS),
    help=M.HELP_BUILD_EDITION(),
)
@click.option(
    "--language",
    "languages",
    multiple=True,
    callback=lambda _ctx, _param, value: tuple(_tag(v) for v in value),
    help=M.HELP_BUILD_LANGUAGE(),
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help=M.HELP_BUILD_JOBS(),
)
@click.option(
    "--pdf-variant",
    type=click.Choice(PDF_VARIANTS),
    default=None,
    help=M.HELP_BUILD_PDF_VARIANT(),
)
@click.option("--print-marks", is_flag=True, default=None, help=M.HELP_BUILD_PRINT_MARKS())
@click.option(
    "--no-cache",
    is_flag=True,
    help=M.HELP_BUILD_NO_CACHE(),
)
@click.option(
    "--strict",
    is_flag=True,
    help=M.HELP_BUILD_STRICT(),
)
@click.option("-q", "--quiet", is_flag=True, help=M.HELP_QUIET())
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
                wrote = M.WROTE_FILE_PAGES if file.pages else M.WROTE_FILE
                click.echo(M.say(wrote(path=_display(file.path), size=_size(file.size),
                                       pages=file.pages)))  # fmt: skip
            click.echo(M.say(M.BUILT_FILES(count=len(result.files), seconds=result.seconds)))
        return 0

    _run(ctx.obj["debug"], action)


def _tag(value: str) -> str:
    if (problem := tag_problem(value)) is not None:
        raise click.BadParameter(problem)
    return value


@cli.command(help=M.HELP_LABELS())
@click.option(
    "--language",
    "tag",
    default="en",
    show_default=True,
    callback=lambda _c, _p, v: _tag(v),
    help=M.HELP_LABELS_LANGUAGE(),
)
def labels(tag: str) -> None:
    click.echo(labels_toml(tag) + "\n" + translations_toml(tag), nl=False)


@cli.command(help=M.HELP_MESSAGES())
@click.option("--language", type=click.Choice(M.LANGUAGES), default=None,
              help=M.HELP_MESSAGES_LANGUAGE())  # fmt: skip
def messages(language: str | None) -> None:
    click.echo(M.listing(language or M.user_language()), nl=False)


@cli.command(help=M.HELP_RECEIPTS())
@click.option("--preset", type=click.Choice(list(presets())), required=True,
              help=M.HELP_RECEIPTS_PRESET())  # fmt: skip
def receipts(preset: str) -> None:
    click.echo(as_toml(preset), nl=False)


@cli.command(help=M.HELP_CHECK())
@click.argument("report_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--strict", is_flag=True, help=M.HELP_CHECK_STRICT())
@click.pass_context
def check(ctx: click.Context, report_dir: Path, strict: bool) -> None:

    def action() -> int:
        from reportgen.commands.build import run_check

        result = run_check(report_dir)
        _echo_diagnostics(result.diagnostics)
        errors = sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)
        warnings = len(result.diagnostics) - errors
        names = [p.name for p in result.years]
        years = M.listed(names) if names else ""  # fy2011, fy2012 (Japanese: fy2011、fy2012)
        if errors or (strict and warnings):
            note = M.CHECK_STRICT_NOTE() if strict and warnings else ""
            click.echo(M.say(M.CHECK_FAILED(errors=errors, warnings=warnings, years=years,
                                            strict=note)), err=True)  # fmt: skip
            return 2
        clean = M.CHECK_CLEAN_WARNINGS if warnings else M.CHECK_CLEAN
        click.echo(M.say(clean(years=years, warnings=warnings)))
        return 0

    _run(ctx.obj["debug"], action)


class _Progress:
    """Steps as lines, long runs as a bar, all on standard error."""

    def __init__(self, verb: str = "rendering") -> None:
        self._bar: Any = None
        self._verb = verb

    def step(self, message: str) -> None:
        click.echo(f"  {M.say(message)}", err=True)

    def start(self, label: str, total: int) -> None:
        self._bar = click.progressbar(
            length=total,
            label="  " + M.say(M.RENDERING_BAR(label=label) if self._verb else label).strip(),
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
        click.echo(M.say(line))

    def warn(self, diagnostics: Iterable[Diagnostic]) -> None:
        _echo_diagnostics(diagnostics)

    def confirm(self, question: str) -> bool:
        try:
            return click.confirm(M.say(question), default=False, err=True)
        except click.Abort:  # Ctrl-C or the end of input at the question: a no
            click.echo("", err=True)
            return False


@cli.command(help=M.HELP_SEND())
@click.argument("report_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--send", "really", is_flag=True, help=M.HELP_SEND_SEND())
@click.option("--yes", is_flag=True, help=M.HELP_SEND_YES())
@click.option("--to", metavar="ADDRESS", help=M.HELP_SEND_TO())
@click.option(
    "--rate", type=click.IntRange(min=1), default=30, show_default=True,
    help=M.HELP_SEND_RATE(),
)  # fmt: skip
@click.option("--resend-changed", is_flag=True, help=M.HELP_SEND_RESEND_CHANGED())
@click.option("--resend-unknown", is_flag=True, help=M.HELP_SEND_RESEND_UNKNOWN())
@click.option(
    "--receipts",
    type=click.Choice(["with", "only"]),
    default=None,
    help=M.HELP_SEND_RECEIPTS(),
)
@click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), default=Path("output"),
    show_default=True, help=M.HELP_SEND_OUT(),
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
    def action() -> int:
        from reportgen.commands.send import Options, run

        options = Options(send=really, yes=yes, to=to, rate=rate,
                          resend_changed=resend_changed, resend_unknown=resend_unknown,
                          receipts=receipts or "")  # fmt: skip
        outcome = run(report_dir, out, options, _SendUi())
        for line in _send_summary(outcome):
            click.echo(M.say(line), err=line.startswith("reportgen:"))
        return outcome.exit_code

    _run(ctx.obj["debug"], action)


def _send_summary(outcome: Any) -> list[str]:
    """The end of a send: what went, what did not (each named), and why."""
    lines: list[str] = [M.SEND_FAILED(who=who, why=why) for who, why in outcome.failed]
    lines += [M.SEND_UNKNOWN(who=who) for who in outcome.unknown]
    lines += [M.SEND_REFUSED(who=who, why=why) for who, why in outcome.refused]
    lines += [M.SEND_MISMATCHED(who=who, why=why) for who, why in outcome.mismatched]
    mismatched = M.SEND_COUNTS_MISMATCHED(count=len(outcome.mismatched))
    counts = M.SEND_COUNTS(
        sent=len(outcome.sent), already=outcome.already_sent, failed=len(outcome.failed),
        unknown=len(outcome.unknown), changed=len(outcome.changed), refused=len(outcome.refused),
        without=len(outcome.without_email), mismatched=mismatched if outcome.mismatched else "",
    )  # fmt: skip
    if outcome.dry_run:
        lines.append(M.SEND_DRY_RUN())
    else:
        lines.append(M.SEND_TEST_ADDRESS(counts=counts, address=outcome.test_address)
                     if outcome.test_address else counts)  # fmt: skip
    if outcome.stopped is not None:
        lines.append(M.SEND_STOPPED(count=len(outcome.sent)))
    return lines


def _day(value: str | None) -> date | None:
    """A day written YYYY-MM-DD, and only so (not 20250401, not 2025-W14-1)."""
    if value is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(M.WRITE_IT_AS_DAY())
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(M.say(M.NOT_A_DAY(value=value, reason=_said(exc)))) from None


@cli.command(help=M.HELP_NEW())
@click.argument("report_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--from",
    "previous",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help=M.HELP_NEW_FROM(),
)
@click.option("--copy-assets", is_flag=True, help=M.HELP_NEW_COPY_ASSETS())
@click.option(
    "--start",
    metavar="YYYY-MM-DD",
    callback=lambda _ctx, _param, value: _day(value),
    help=M.HELP_NEW_START(),
)
@click.option(
    "--workbook",
    is_flag=True,
    help=M.HELP_NEW_WORKBOOK(),
)
@click.option(
    "--word",
    is_flag=True,
    help=M.HELP_NEW_WORD(),
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
    def action() -> int:
        from reportgen.commands.new import new_year

        written = new_year(report_dir, previous, copy_assets, start, workbook, word)
        for rel in written:
            click.echo(M.say(M.CREATED_FILE(path=_display(report_dir / rel))))
        click.echo(M.say(M.NEXT_STEP(folder=_display(report_dir), report_dir=report_dir)))
        return 0

    _run(ctx.obj["debug"], action)


@cli.command(help=M.HELP_SERVE())
@click.argument("report_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help=M.HELP_SERVE_PORT(),
)
@click.pass_context
def serve(ctx: click.Context, report_dir: Path, port: int) -> None:
    def action() -> int:
        from reportgen.commands.build import find_years
        from reportgen.commands.serve import serve as run_serve

        year = find_years(report_dir)[-1]
        click.echo(M.say(M.PREVIEWING(year=_display(year))))
        try:
            run_serve(year, port, announce=lambda line: click.echo(M.say(line)))
        except OSError as exc:
            raise UsageError(M.CANNOT_LISTEN(port=port, reason=exc.strerror)) from None
        except KeyboardInterrupt:  # Ctrl-C while starting or stopping: still a clean stop
            pass
        click.echo(M.say(M.STOPPED()))
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
