"""The Jinja2 environment: templates from templates/, autoescaping always on.

Templates live in the project's templates/ folder (or inside the installed
package); data values and narrative reach them already typed, and anything
not marked safe is escaped. Every value a template prints first loses the
characters that are not text (``plaintext.clean``): validation refuses them in
the input, and this keeps any that slip through out of the HTML.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.plaintext import clean

if TYPE_CHECKING:
    from jinja2 import Environment


def templates_dir() -> Path:
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


@cache
def environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(templates_dir()),
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


def stylesheet(*names: str) -> str:
    """The named CSS files of templates/css, joined in order."""
    folder = templates_dir() / "css"
    return "\n".join((folder / name).read_text("utf-8") for name in names)
