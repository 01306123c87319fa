"""The Jinja2 environment: the built-in templates, and a report's own theme in
front of them, every template in the sandbox, autoescaping always on.

Templates live in the project's templates/ folder (or inside the installed
package). A report set's ``theme_dir`` is a ``ChoiceLoader`` placed in front of
them, as MkDocs' ``custom_dir``: a theme file with the same relative path
replaces the built-in one, and ``{% extends "builtin/annual-report.html.j2" %}``
reaches the built-in one it replaces. A theme is untrusted like the rest of the
report folder: every template runs in Jinja2's ``ImmutableSandboxedEnvironment``
(tightened so that no path object can be opened), sees only the one context of
an already selected edition, and its ``extra.css`` reaches the page only with
every ``url()`` served by the gate. A template error in a theme is a located
problem (``theme/annual-report.html.j2:12: message``, exit 2), never a traceback.

Data values and narrative reach templates already typed, and anything not
marked safe is escaped. Every value a template prints first loses the
characters that are not text (``plaintext.clean``): validation refuses them in
the input, and this keeps any that slip through out of the HTML.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path, PurePath
from types import ModuleType
from typing import TYPE_CHECKING, Any

from reportgen.diagnostics import Diagnostic, Diagnostics, Location, Severity
from reportgen.errors import InvalidInput
from reportgen.plaintext import clean

if TYPE_CHECKING:
    from jinja2 import Environment

    from reportgen.gate import Gate

BUILTIN_PREFIX = "builtin"  # "builtin/annual-report.html.j2": the built-in one, always
EXTRA_CSS = "extra.css"


def templates_dir() -> Path:
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


class ThemeFailed(InvalidInput):
    """A theme's template or stylesheet failed: a located problem (exit 2).
    Picklable, so that it crosses from a worker process intact."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.diagnostics,))


def _sandbox() -> type:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        """Jinja2's sandbox, and no path, module or class reachable: a template
        sees values, never a way to the files behind them."""

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            if isinstance(obj, PurePath | ModuleType | type) or isinstance(
                value, ModuleType | type
            ):
                return False
            return bool(super().is_safe_attribute(obj, attr, value))

        def is_safe_callable(self, obj: Any) -> bool:
            owner = getattr(obj, "__self__", None)
            if isinstance(obj, type) or isinstance(owner, PurePath | ModuleType | type):
                return False
            return bool(super().is_safe_callable(obj))

    return Sandbox


def _theme_loader(folder: Path) -> Any:
    from jinja2 import FileSystemLoader, TemplateNotFound

    class ThemeLoader(FileSystemLoader):
        """A theme's files, never through a link that leaves its folder."""

        def get_source(self, environment: Any, template: str) -> Any:
            source = super().get_source(environment, template)
            path = Path(source[1]).resolve()
            if not path.is_relative_to(folder) or any(
                p.startswith(".") for p in path.relative_to(folder).parts
            ):
                raise TemplateNotFound(template)
            return source

    return ThemeLoader(str(folder))


def environment(theme_dir: Path | None = None) -> Environment:
    """The environment of a theme as its files are now (a file added to the
    theme is seen: Jinja2 alone would keep the built-in one it had loaded)."""
    return _environment(theme_dir, _listing(theme_dir) if theme_dir else ())


def _listing(folder: Path) -> tuple[tuple[str, int, int], ...]:
    found = []
    for path in sorted(folder.rglob("*")):
        with contextlib.suppress(OSError):
            stat = path.stat()
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


@lru_cache(maxsize=8)
def _environment(theme_dir: Path | None, listing: tuple[tuple[str, int, int], ...]) -> Environment:
    from jinja2 import (
        ChoiceLoader,
        FileSystemLoader,
        PrefixLoader,
        StrictUndefined,
        select_autoescape,
    )

    builtin = FileSystemLoader(templates_dir())
    loaders = [builtin, PrefixLoader({BUILTIN_PREFIX: builtin})]
    if theme_dir is not None:
        loaders.insert(0, _theme_loader(theme_dir.resolve()))
    env: Environment = _sandbox()(
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
    from markupsafe import Markup

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
    """Template ``name``, loaded once, to fill many times (the donor letters)."""
    from jinja2 import TemplateError

    if theme_dir is None:
        return environment().get_template(name).render
    try:
        loaded = environment(theme_dir).get_template(name)
    except TemplateError as exc:
        raise ThemeFailed([_located(exc, theme_dir)]) from None

    def fill(**values: Any) -> str:
        try:
            return loaded.render(**values)
        except TemplateError as exc:
            raise ThemeFailed([_located(exc, theme_dir)]) from None

    return fill


def _located(exc: Exception, theme_dir: Path) -> Diagnostic:
    """Where in the theme a template error happened: the innermost template frame."""
    from jinja2 import TemplateSyntaxError

    where = Location(theme_dir)
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        where = Location(Path(exc.filename), exc.lineno)
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        mine = [f for f in frames if Path(f.filename).resolve().is_relative_to(theme_dir)]
        if mine or frames:
            frame = (mine or frames)[-1]
            where = Location(Path(frame.filename), frame.lineno)
    message = str(exc.message if hasattr(exc, "message") and exc.message else exc)
    return Diagnostic(Severity.ERROR, where, f"template error: {message}")


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
    from jinja2 import TemplateError

    env = environment(theme_dir)
    for path in theme_files(theme_dir):
        name = path.relative_to(theme_dir).as_posix()
        if not path.resolve().is_relative_to(theme_dir.resolve()):
            diags.error(Location(path), "the theme file is a link to outside the theme folder")
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


def _served_css(path: Path, theme_dir: Path, gate: Gate, diags: Diagnostics) -> str:
    import tinycss2
    from tinycss2 import ast

    from reportgen.gate import RefusedResource

    if not path.resolve().is_relative_to(theme_dir.resolve()):
        diags.error(Location(path), "extra.css is a link to outside the theme folder")
        return ""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        diags.error(Location(path), "the file is not valid UTF-8")
        return ""
    if "</" in text or "<!--" in text:
        line = text[: max(text.find("</"), text.find("<!--"))].count("\n") + 1
        diags.error(Location(path, line), "a stylesheet may not hold '</' or '<!--'")
        return ""

    def serve(url: str, line: int) -> str:
        try:
            if url.lower().startswith("data:"):
                return gate.fetch(url).data_uri
            return gate.admit(url, path.parent, f"'{url}'").data_uri
        except RefusedResource as exc:
            diags.error(Location(path, line), f"url({url}) is refused: {exc}")
            return "data:,"

    def walk(tokens: list[Any]) -> list[Any]:
        out: list[Any] = []
        for token in tokens:
            if isinstance(token, ast.URLToken):
                uri = serve(token.value, token.source_line)
                out.append(ast.URLToken(token.source_line, token.source_column, uri, f"url({uri})"))
            elif isinstance(token, ast.FunctionBlock):
                if token.lower_name in ("url", "src"):
                    strings = [a for a in token.arguments if isinstance(a, ast.StringToken)]
                    url = strings[0].value if strings else ""
                    uri = serve(url, token.source_line)
                    out.append(
                        ast.URLToken(token.source_line, token.source_column, uri, f"url({uri})")
                    )
                else:
                    token.arguments = walk(token.arguments)
                    out.append(token)
            elif isinstance(token, ast.AtRule) and token.lower_at_keyword == "import":
                diags.error(
                    Location(path, token.source_line),
                    "@import is refused: put every rule in extra.css itself",
                )
            elif isinstance(token, ast.QualifiedRule | ast.AtRule):
                token.prelude = walk(token.prelude)
                if token.content is not None:
                    token.content = walk(token.content)
                out.append(token)
            elif isinstance(
                token, ast.CurlyBracketsBlock | ast.ParenthesesBlock | ast.SquareBracketsBlock
            ):
                token.content = walk(token.content)
                out.append(token)
            else:
                out.append(token)
        return out

    rules = tinycss2.parse_stylesheet(text, skip_comments=True)
    return str(tinycss2.serialize(walk(rules)))


def theme_key(theme_dir: Path | None) -> str:
    """What a theme's files are, for the cache keys ("" without a theme)."""
    if theme_dir is None:
        return ""
    from reportgen.cache import tree_digest

    return tree_digest([theme_dir]) + os.fspath(theme_dir)
