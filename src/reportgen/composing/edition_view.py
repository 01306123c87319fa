"""What each audience may see: visibility is enforced here, once.

``year_as_seen_by`` returns a copy of the year holding only what an edition
may show, in the language it is read in (translated cells and settings
applied). It redacts every table of the year from its declaration in
``table_registry.TABLES``: public editions lose every ``internal`` row and
narrative file; every edition loses a table whose rows reach only their own
letter (the donors); every edition loses the settings no document shows
(``[email]``). Later stages (key figures, charts, templates, metadata) only
ever see this view, so nothing they produce can leak what was removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

from reportgen.core.editions import is_public
from reportgen.core.languages import tag_problem
from reportgen.reading.model import INTERNAL, LANGUAGES, FiscalYear, Record, ReportConfig
from reportgen.reading.settings import translate as translated
from reportgen.reading.settings import unused_by_documents
from reportgen.reading.table_registry import TableSpec, specs


def is_translation(column: str, names: set[str]) -> bool:
    """``title_ko``, ``name_en-GB``: a column of the row in a language (any tag
    CLDR knows, as written), so not an extra column of its own."""
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


def year_as_seen_by(year: FiscalYear, edition: str, language: str) -> FiscalYear:
    """The year holding only what ``edition`` may show, in ``language``:
    redacted, translated, without the settings no document shows."""
    public = is_public(edition)

    narrative = tuple(
        s
        for s in year.narrative
        if edition in s.editions
        and not (public and s.visibility == INTERNAL)
        and s.language in (None, language)
    )
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
    # The same rows before and after translation, so each shown category's own name.
    kept = (a for a in year.activities if not (public and a.visibility == INTERNAL))
    ids = dict.fromkeys(
        (shown.category, own.category)
        for shown, own in zip(tables.get("activities", ()), kept, strict=True)
    )
    return replace(
        year.with_rows(tables),
        config=_documents_only(translate_config(year.config, language)),
        narrative=narrative,
        roles=roles,
        category_ids=tuple(ids),
    )


def _documents_only(config: ReportConfig) -> ReportConfig:
    """The settings without those no document shows (``[email]``: only
    ``send`` uses it), as the schema declares them, so that changing one
    re-renders nothing."""
    unused = unused_by_documents()
    kept = tuple(t for t in config.translations if t[0] not in unused)
    tables = {key: None for key in unused if "." not in key}
    return replace(config, translations=kept, **tables)  # type: ignore[arg-type]
