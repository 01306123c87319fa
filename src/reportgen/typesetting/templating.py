"""The Jinja2 environment: the built-in templates, and a report's own theme in
front of them, every template in the sandbox, autoescaping always on.

Templates live in the project's templates/ folder (or inside the installed
package). A report set's ``theme_dir`` is a ``ChoiceLoader`` placed in front of
them, as MkDocs' ``custom_dir``: a theme file with the same relative path
replaces the built-in one, and ``{% extends "builtin/annual-report.html.j2" %}``
reaches the built-in one it replaces. A theme is untrusted like the rest of the
report folder: its templates are loaded through the gate (``.j2`` files of its
own folder only), every template runs in ``reportgen.typesetting.sandbox`` (Jinja2's
``ImmutableSandboxedEnvironment``, no path object reachable, the work of each
render bounded), sees only the one context of an already selected edition, and
its ``extra.css`` reaches the page only once every token is checked with its
escapes decoded and every ``url()`` is served by the gate. Whatever goes wrong
in a theme's template is a located problem
(``theme/annual-report.html.j2:12: template error: ...``, exit 2), never a
traceback.

Data values and narrative reach templates already typed, and anything not
marked safe is escaped. Every value a template prints first loses the
characters that are not text (``plaintext.clean``): validation refuses them in
the input, and this keeps any that slip through out of the HTML.
"""

from __future__ import annotations

import contextlib
import os
import re
import traceback
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from markupsafe import Markup

from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostic, Diagnostics, Location, Severity
from reportgen.core.errors import InvalidInput
from reportgen.core.file_digest import files_digest
from reportgen.core.file_gate import Gate, RefusedResource
from reportgen.core.plaintext import clean
from reportgen.core.private_apis import DependencyChanged
from reportgen.typesetting.sandbox import Sandbox, bounded

if TYPE_CHECKING:
    from jinja2 import Environment

    from reportgen.core.file_gate import Gate

BUILTIN_PREFIX = "builtin"  # "builtin/annual-report.html.j2": the built-in one, always
EXTRA_CSS = "extra.css"


def templates_dir() -> Path:
    packaged = Path(__file__).parent.parent / "templates"  # reportgen/templates in a wheel
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


class ThemeFailed(InvalidInput):
    """A theme's template or stylesheet failed: a located problem (exit 2).
    Picklable, so that it crosses from a worker process intact."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.diagnostics,))


def _theme_loader(folder: Path) -> Any:

    gate = Gate.of(folder)

    class ThemeLoader(BaseLoader):
        """A theme's templates, each through the gate (``Gate.theme_template``):
        a ``.j2`` file inside the theme folder, never data, narrative or a link
        that leaves the folder."""

        def get_source(self, environment: Any, template: str) -> Any:
            try:
                path = gate.theme_template(folder, template)
            except RefusedResource:
                raise TemplateNotFound(template) from None
            stat = path.stat()
            try:
                text = path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                raise TemplateNotFound(template) from None
            return text, str(path), lambda: _unchanged(path, stat.st_mtime_ns)

    return ThemeLoader()


def _unchanged(path: Path, mtime: int) -> bool:
    try:
        return path.stat().st_mtime_ns == mtime
    except OSError:
        return False


def environment(theme_dir: Path | None = None) -> Environment:
    """The environment of a theme as its files are now (a file added to the
    theme is seen: Jinja2 alone would keep the built-in one it had loaded)."""
    return _environment(theme_dir, _listing(theme_dir) if theme_dir else ())


def compiled() -> int:
    """Load (compile) every built-in template now; how many. A process that
    forks its renders (``serve``) does this once, so that each render
    inherits them compiled instead of compiling the templates it uses again
    (about 0.1 s of CPU a preview). A theme's templates are not touched."""
    env = environment()
    names = env.list_templates(extensions=["j2"])
    for name in names:
        env.get_template(name)
    return len(names)


def _listing(folder: Path) -> tuple[tuple[str, int, int], ...]:
    found = []
    for path in sorted(folder.rglob("*")):
        with contextlib.suppress(OSError):
            stat = path.stat()
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


@lru_cache(maxsize=8)
def _environment(theme_dir: Path | None, listing: tuple[tuple[str, int, int], ...]) -> Environment:
    builtin = FileSystemLoader(templates_dir())
    loaders = [builtin, PrefixLoader({BUILTIN_PREFIX: builtin})]
    if theme_dir is not None:
        loaders.insert(0, _theme_loader(theme_dir.resolve()))

    env: Environment = Sandbox(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_plain,
    )
    return env


def _plain(value: object) -> object:
    """What ``{{ … }}`` prints, without control characters; markup stays markup."""
    if isinstance(value, Markup):
        return Markup(clean(str(value)))
    if isinstance(value, str):
        return clean(value)
    return value


def render(name: str, theme_dir: Path | None = None, **values: Any) -> str:
    """Template ``name`` (the theme's when it has one) filled with ``values``.
    With a theme, any template error is a located problem of the theme."""
    return template(name, theme_dir)(**values)


def template(name: str, theme_dir: Path | None = None) -> Callable[..., str]:
    """Template ``name``, loaded once, to fill many times (the donor letters).
    Each fill is a render of its own within the sandbox's limits
    (``reportgen.typesetting.sandbox``). With a theme, whatever goes wrong while a template
    loads or runs is a located problem of the theme (``ThemeFailed``)."""
    if theme_dir is None:
        plain = environment().get_template(name)
        return lambda **values: bounded(plain.generate(**values))
    try:
        loaded = environment(theme_dir).get_template(name)
    except DependencyChanged:
        raise  # the installation's fault, not the theme's
    except Exception as exc:  # a theme's syntax error, a missing include, a loop of extends
        raise ThemeFailed([_located(exc, theme_dir, name)]) from None

    def fill(**values: Any) -> str:
        try:
            return bounded(loaded.generate(**values))
        except Exception as exc:  # 1/0, a limit, an undefined name: the theme's error
            raise ThemeFailed([_located(exc, theme_dir, name)]) from None

    return fill


def _located(exc: Exception, theme_dir: Path, name: str | None = None) -> Diagnostic:
    """Where in the theme a template error happened: the innermost frame of a
    theme's template (Jinja2 rewrites tracebacks to the template's lines), else
    the innermost template frame, else the template being rendered."""
    where = Location(theme_dir / name if name and (theme_dir / name).is_file() else theme_dir)
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        where = Location(Path(exc.filename), exc.lineno)
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        mine = [f for f in frames if Path(f.filename).resolve().is_relative_to(theme_dir)]
        if mine or frames:
            frame = (mine or frames)[-1]
            where = Location(Path(frame.filename), frame.lineno)
    return Diagnostic(Severity.ERROR, where, M.TEMPLATE_ERROR(problem=_message(exc)))


def _message(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "templates call or include each other too deep (endless recursion?)"
    if isinstance(exc, TemplateNotFound):
        return (
            f"no template '{exc.name}' in the theme or the built-in ones (a theme may "
            "load only .j2 files of its own folder)"
        )
    text = str(getattr(exc, "message", None) or exc) if not isinstance(
        exc, TemplateSyntaxError) else str(exc.message or exc)  # fmt: skip
    if isinstance(exc, ArithmeticError | LookupError | TypeError | ValueError):
        return f"{type(exc).__name__}: {text}"
    return text


def stylesheet(*names: str) -> str:
    """The named CSS files of templates/css, joined in order."""
    folder = templates_dir() / "css"
    return "\n".join((folder / name).read_text("utf-8") for name in names)


def theme_files(theme_dir: Path) -> Iterator[Path]:
    """The theme's templates, in name order (hidden files are not the theme's)."""
    for path in sorted(theme_dir.rglob("*.j2")):
        if not any(p.startswith(".") for p in path.relative_to(theme_dir).parts):
            yield path


def check_theme(theme_dir: Path, gate: Gate, diags: Diagnostics) -> None:
    """Every problem a theme's files show before any rendering: template syntax
    (and files that leave the folder), and ``extra.css``."""
    env = environment(theme_dir)
    for path in theme_files(theme_dir):
        name = path.relative_to(theme_dir).as_posix()
        if not path.resolve().is_relative_to(theme_dir.resolve()):
            diags.error(Location(path), M.THEME_LINK_OUTSIDE())
            continue
        try:
            env.get_template(name)
        except TemplateError as exc:
            found = _located(exc, theme_dir)
            diags.error(found.location, found.message)
    extra_css(theme_dir, gate, diags)


def extra_css(theme_dir: Path | None, gate: Gate, diags: Diagnostics | None = None) -> str:
    """The theme's ``extra.css``, each ``url()`` replaced by the picture the gate
    serves (a data URI, so the HTML edition stays self-contained); ``""``
    without one. A refusal is a diagnostic, or with no ``diags`` raises
    ``ThemeFailed``."""
    if theme_dir is None:
        return ""
    path = theme_dir / EXTRA_CSS
    if not path.is_file():
        return ""
    own = Diagnostics() if diags is None else diags
    before = len(own.errors)
    css = _served_css(path, theme_dir, gate, own)
    if diags is None and len(own.errors) > before:
        raise ThemeFailed(list(own.errors))
    return css


# What would end a <style> element or start markup once CSS escapes are
# decoded: "</", "<!", "<" before a letter, and "-->".
MARKUP = re.compile(r"<[/!?A-Za-z]|-->")
# What must never stand in an embedded stylesheet (a <style> element's text
# ends at "</"; the comment markers are refused too, as older parsers read them).
STYLE_BREAKERS = re.compile(r"</|<!--|-->")


def _served_css(path: Path, theme_dir: Path, gate: Gate, diags: Diagnostics) -> str:
    """``extra.css`` tokenised (tinycss2), every token checked with its escapes
    decoded, each ``url()`` served by the gate, and serialised again with
    every string written safely for a ``<style>`` element."""
    import tinycss2

    if not path.resolve().is_relative_to(theme_dir.resolve()):
        diags.error(Location(path), M.EXTRA_CSS_LINK_OUTSIDE())
        return ""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        diags.error(Location(path), M.FILE_NOT_UTF8())
        return ""
    rules = tinycss2.parse_stylesheet(text, skip_comments=True)
    before = len(diags.errors)
    served = _CssWalk(path, gate, diags).walk(rules)
    if len(diags.errors) > before:
        return ""
    return safe_style(str(tinycss2.serialize(served)), path)


def safe_style(css: str, where: Path | None = None) -> str:
    """``css`` as it may stand inside ``<style>…</style>``: nothing in it may end
    the element or start markup (the check of ``extra.css`` refused any such
    text already; this is the last guard, for every stylesheet embedded)."""
    found = STYLE_BREAKERS.search(css)
    if found is not None:
        line = css[: found.start()].count("\n") + 1
        raise ThemeFailed([Diagnostic(
            Severity.ERROR, Location(where or Path(EXTRA_CSS), line if where else None),
            M.CSS_ENDS_STYLE(found=found.group(0)),
        )])  # fmt: skip
    return css


class _CssWalk:
    """Checks and rewrites the tokens of one stylesheet."""

    def __init__(self, path: Path, gate: Gate, diags: Diagnostics) -> None:
        self.path, self.gate, self.diags = path, gate, diags

    def error(self, token: Any, message: str) -> None:
        line, column = getattr(token, "source_line", None), getattr(token, "source_column", None)
        self.diags.error(Location(self.path, line, f"{line}:{column}" if line else None), message)

    def serve(self, url: str, token: Any) -> str:
        try:
            if url.lower().startswith("data:"):
                return self.gate.fetch(url).data_uri
            return self.gate.admit(url, self.path.parent, M.GATE_NAMED(name=url)).data_uri
        except RefusedResource as exc:
            self.error(token, M.CSS_URL_REFUSED(url=url, reason=exc.reason))
            return "data:,"

    def markup(self, token: Any, text: str, what: str) -> bool:
        """Whether ``text`` (decoded) holds markup; an error if it does."""
        found = MARKUP.search(text)
        if found is not None:
            self.error(token, M.CSS_HOLDS_MARKUP(what=what, found=found.group(0)))
        return found is not None

    def walk(self, tokens: list[Any]) -> list[Any]:
        from tinycss2 import ast

        out: list[Any] = []
        previous: Any = None
        for token in tokens:
            if isinstance(token, ast.Comment):
                continue  # dropped: nothing of a comment reaches the page
            out.extend(self.token(token, previous))
            if not isinstance(token, ast.WhitespaceToken):
                previous = token
        return out

    def token(self, token: Any, previous: Any) -> list[Any]:
        from tinycss2 import ast

        if isinstance(token, ast.ParseError):
            self.error(token, M.CSS_NOT_VALID(reason=token.message))
        elif isinstance(token, ast.LiteralToken):
            self.literal(token, previous)
        elif isinstance(token, ast.StringToken):
            if not self.markup(token, token.value, "a string"):
                return [ast.StringToken(token.source_line, token.source_column, token.value,
                                        _css_string(token.value))]  # fmt: skip
        elif isinstance(token, ast.URLToken):
            if not self.markup(token, token.value, "a url()"):
                return [self._url(self.serve(token.value, token), token)]
        elif isinstance(token, ast.IdentToken | ast.HashToken | ast.AtKeywordToken):
            self.markup(token, token.value, "a name")
        elif isinstance(token, ast.DimensionToken):
            self.markup(token, token.unit, "a unit")
        elif isinstance(token, ast.FunctionBlock):
            return self.function(token)
        elif isinstance(token, ast.AtRule) and token.lower_at_keyword == "import":
            self.error(token, M.CSS_IMPORT_REFUSED())
            return []
        elif isinstance(token, ast.QualifiedRule | ast.AtRule):
            if isinstance(token, ast.AtRule):
                self.markup(token, token.at_keyword, "an at-rule")
            token.prelude = self.walk(token.prelude)
            if token.content is not None:
                token.content = self.walk(token.content)
        elif isinstance(
            token, ast.CurlyBracketsBlock | ast.ParenthesesBlock | ast.SquareBracketsBlock
        ):
            token.content = self.walk(token.content)
        return [token]

    def literal(self, token: Any, previous: Any) -> None:
        from tinycss2 import ast

        if token.value in ("<!--", "-->"):
            self.error(token, M.CSS_REFUSED(value=token.value))
        elif (
            isinstance(previous, ast.LiteralToken)
            and previous.value == "<"
            and (token.value in ("/", "!", "?"))
        ):
            self.error(previous, M.CSS_MARKUP_REFUSED(value=token.value))

    def function(self, token: Any) -> list[Any]:
        from tinycss2 import ast

        if self.markup(token, token.name, "a function name"):
            return [token]
        if token.lower_name in ("url", "src"):
            strings = [a for a in token.arguments if isinstance(a, ast.StringToken)]
            url = strings[0].value if strings else ""
            if self.markup(token, url, f"a {token.lower_name}()"):
                return [token]
            return [self._url(self.serve(url, token), token)]
        token.arguments = self.walk(token.arguments)
        return [token]

    @staticmethod
    def _url(uri: str, token: Any) -> Any:
        from tinycss2 import ast

        return ast.URLToken(token.source_line, token.source_column, uri, f"url({uri})")


def _css_string(value: str) -> str:
    """A CSS string token for ``value`` that holds no '<', '>' or '&' as such:
    each is a hexadecimal escape, so no HTML parser sees markup in it."""
    out = []
    for char in value:
        if char in '<>&"\\' or char == "\n" or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def theme_key(theme_dir: Path | None) -> str:
    """What a theme's files are, for the cache keys ("" without a theme)."""
    if theme_dir is None:
        return ""
    return files_digest([theme_dir]) + os.fspath(theme_dir)
