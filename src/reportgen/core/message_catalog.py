"""``python -m reportgen.core.message_catalog``: the message catalog's files.

``--extract`` has Babel read ``core/messages.py`` (its ``Message`` and
``Plural`` declarations: the code is the context, the English the id) into
``locale/reportgen.pot`` and merges it into each language's ``.po``, where a
translator fills the new entries; ``--docs [FILE]`` writes ``docs/messages.md``
(every code, its English and its translations); ``--check`` fails when
either is stale. ``make messages`` runs the first two.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from reportgen.core import messages as M

SOURCE = Path(M.__file__)
TEMPLATE = M.LOCALE_DIR / f"{M.DOMAIN}.pot"
# As `pybabel extract -k Message:1c,2 -k Plural:1c,2,3` (pyproject's [tool.babel]).
KEYWORDS = {"Message": ((1, "c"), 2), "Plural": ((1, "c"), 2, 3)}
TRANSLATED = tuple(language for language in M.LANGUAGES if language != "en")


def po_path(language: str) -> Path:
    return M.LOCALE_DIR / language / "LC_MESSAGES" / f"{M.DOMAIN}.po"


def extracted() -> Catalog:
    """The template, as Babel extracts it from the declarations."""
    catalog = Catalog(project="reportgen", domain=M.DOMAIN, fuzzy=False)
    for lineno, message, comments, context in extract_from_file(
        "python", SOURCE, keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True
    ):
        catalog.add(message, context=context, auto_comments=comments,
                    locations=[(f"reportgen/core/{SOURCE.name}", lineno)])  # fmt: skip
    return catalog


def _bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, sort_output=False,
             include_previous=False, ignore_obsolete=True, include_lineno=False)  # fmt: skip
    return out.getvalue()


def _stable(catalog: Catalog) -> Catalog:
    """Without the dates Babel stamps, so that unchanged input writes the same bytes."""
    catalog.creation_date = catalog.revision_date = datetime(2026, 1, 1, tzinfo=UTC)
    catalog.fuzzy = False
    catalog.copyright_holder = "the reportgen authors"
    return catalog


def catalogs() -> dict[Path, bytes]:
    """The template and every language's catalog as they should be on disk."""
    template = _stable(extracted())
    files = {TEMPLATE: _bytes(template)}
    for language in M.LANGUAGES:
        path = po_path(language)
        if path.is_file():
            with path.open("rb") as file:
                catalog = read_po(file, locale=language)
        else:
            catalog = Catalog(locale=language, domain=M.DOMAIN)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.project = "reportgen"
        files[path] = _bytes(_stable(catalog))
    return files


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def docs() -> str:
    """docs/messages.md: every message by code, in each language."""
    names = {"en": "English", "ja": "日本語", "ko": "한국어"}
    lines = [
        "# Messages",
        "",
        "Every message reportgen prints, by its code. Generated from",
        "`src/reportgen/core/messages.py` and the catalogs in `src/reportgen/locale/`",
        "by `python -m reportgen.core.message_catalog --docs`; do not edit by hand.",
        "",
        "reportgen speaks the language of the locale variables `LANGUAGE`, `LC_ALL`,",
        "`LC_MESSAGES` and `LANG` (the first one set; `LANG=ko_KR.UTF-8` is Korean),",
        f"among {', '.join(names[lang] + f' (`{lang}`)' for lang in M.LANGUAGES)}; any other",
        "is English. Starter files of `reportgen new` are written in the report's first",
        "language. A line keeps its place (`file:line:`) in every language. Outside",
        "English each line ends with its code (`[RG101]`); in English, whose lines the",
        "report format fixes word for word, set `REPORTGEN_CODES=1` to see them.",
        "`{name}` stands for a value of the message; a Korean particle written 은(는) is",
        "printed in the one form the word before it takes (catalogs write it `{|은}`).",
        "`reportgen messages [--language TAG]` prints the same list.",
        "",
        "| code | " + " | ".join(names[lang] for lang in M.LANGUAGES) + " |",
        "|---|" + "---|" * len(M.LANGUAGES),
    ]
    for code, message in sorted(M.CATALOG.items()):
        cells = [code]
        for language in M.LANGUAGES:
            english = message.english if message.plural is None else (
                f"{message.english} / {message.plural}")  # fmt: skip
            found = M.translation(code, language) if language != "en" else english
            cells.append(f"`{_cell(M.readable(found))}`" if found else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("--extract", "--docs", "--check"):
        print("usage: python -m reportgen.core.message_catalog --extract|--docs|--check [FILE]")
        return 2
    path = Path(argv[1] if len(argv) > 1 else "docs/messages.md")
    wanted = catalogs()
    if argv[0] == "--check":
        stale = [p for p, data in wanted.items() if not p.is_file() or p.read_bytes() != data]
        if not path.is_file() or path.read_text("utf-8") != docs():
            stale.append(path)
        for file in stale:
            print(f"stale: {file}")
        return 1 if stale else 0
    if argv[0] == "--extract":
        for file, data in wanted.items():
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
        return 0
    path.write_text(docs(), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
