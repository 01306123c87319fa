"""The editions, declared once, and what each audience may see: visibility is
enforced here, once.

``EDITIONS`` declares each edition (audience, template, HTML or not,
attachments, letters); nothing else compares edition names. ``select``
returns a copy of the year holding only what an edition may show, in the
language it is read in (translated cells and settings applied). It redacts
every table of the year from its declaration in ``table_registry.TABLES``: public
editions lose every ``internal`` row and narrative file; every edition loses a
table whose rows reach only their own letter (the donors). Later stages
(figures, charts, templates, metadata) only ever see the selected model, so
nothing they produce can leak what was removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any, Literal

from reportgen.reading.model import INTERNAL, LANGUAGES, FiscalYear, Record, ReportConfig

if TYPE_CHECKING:
    from reportgen.reading.table_registry import TableSpec


@dataclass(frozen=True)
class Edition:
    name: str
    audience: Literal["public", "members"]  # members also see internal rows
    template: str  # under templates/
    html: bool = False  # a self-contained HTML file besides the PDF
    attachments: bool = False  # the PDF carries its tables as CSV files
    # Follows each donor letter: rendered a second time without its own
    # general letter ("Dear friends"), which the personal letter replaces.
    letters: bool = False

    @property
    def public(self) -> bool:
        return self.audience == "public"


EDITIONS: dict[str, Edition] = {
    e.name: e
    for e in (
        Edition("annual-report", "public", "annual-report.html.j2", html=True, attachments=True),
        Edition("handout", "members", "handout.html.j2"),
        Edition("donor", "public", "donor.html.j2", letters=True),
    )
}
EDITION_NAMES = tuple(EDITIONS)


def edition(name: str) -> Edition:
    return EDITIONS[name]


def is_public(name: str) -> bool:
    return EDITIONS[name].public


def is_translation(column: str, names: set[str]) -> bool:
    """``title_ko``, ``name_en-GB``: a column of the row in a language (any tag
    CLDR knows, as written), so not an extra column of its own."""
    from reportgen.core.languages import tag_problem

    base, _, tag = column.rpartition("_")
    return base in names and (tag in LANGUAGES or tag_problem(tag) is None)


def translate(row: Any, language: str) -> Any:
    """A row in ``language``: each ``<column>_<language>`` cell that is not
    empty replaces ``<column>``; translation columns leave the extras."""
    extra = dict(row.extra)
    changes = {
        f.name: extra[f"{f.name}_{language}"]
        for f in fields(row)
        if extra.get(f"{f.name}_{language}") and isinstance(getattr(row, f.name), str | None)
    }
    names = {f.name for f in fields(row)}
    kept = tuple((k, v) for k, v in row.extra if not is_translation(k, names))
    if not changes and kept == row.extra:
        return row
    return replace(row, **changes, extra=kept)


def translate_config(config: ReportConfig, language: str) -> ReportConfig:
    """Settings with their ``<key>_<language>`` translations applied, each
    where its declaration in ``reportgen.reading.settings`` says it lives."""
    from reportgen.reading.settings import translate as translated

    result: ReportConfig = translated(config, language)
    return result


def _translate_record(row: Record, language: str) -> Record:
    """A declared table's row in ``language``: ``<column>_<language>`` cells
    replace text values, as ``translate`` does for the built-in rows."""
    extra = dict(row.extra)
    values = tuple(
        (k, extra[f"{k}_{language}"] if extra.get(f"{k}_{language}") and isinstance(v, str | None)
         else v)
        for k, v in row.values
    )  # fmt: skip
    stripped: Record = translate(replace(row, values=()), language)
    return replace(stripped, values=values)


def redact(
    name: str, rows: tuple[Any, ...], edition: str, language: str, specs: Mapping[str, TableSpec]
) -> tuple[Any, ...]:
    """The rows of table ``name`` that ``edition`` may show, translated."""
    spec = specs.get(name)
    if spec is None or spec.audience == "letter":
        return ()  # an undeclared table shows nowhere; a letter's row only in its letter
    public = is_public(edition)
    return tuple(
        _translate_record(r, language) if isinstance(r, Record) else translate(r, language)
        for r in rows
        if not (public and r.visibility == INTERNAL)
    )


def select(year: FiscalYear, edition: str, language: str) -> FiscalYear:
    public = is_public(edition)

    narrative = tuple(
        s
        for s in year.narrative
        if edition in s.editions
        and not (public and s.visibility == INTERNAL)
        and s.language in (None, language)
    )
    from reportgen.reading.table_registry import specs

    known = specs(year.config)
    tables = {name: redact(name, rows, edition, language, known) for name, rows in year.all_rows()}
    # Role files (wording of the letters, covers, how to give) are public by rule;
    # an internal one is refused by validation, and never passes here either.
    # The messages' settings and wording (``send``) are in no document, so that
    # editing them re-renders nothing.
    roles = tuple(
        s
        for s in year.roles
        if s.language in (None, language) and s.visibility != INTERNAL and s.role != "email"
    )
    return replace(
        year.with_rows(tables),
        config=_documents_only(translate_config(year.config, language)),
        narrative=narrative,
        roles=roles,
    )


def _documents_only(config: ReportConfig) -> ReportConfig:
    """The settings without those no document shows (``[email]``: only
    ``send`` uses it), as the schema declares them, so that changing one
    re-renders nothing."""
    from reportgen.reading.settings import unused_by_documents

    unused = unused_by_documents()
    kept = tuple(t for t in config.translations if t[0] not in unused)
    tables = {key: None for key in unused if "." not in key}
    return replace(config, translations=kept, **tables)  # type: ignore[arg-type]
