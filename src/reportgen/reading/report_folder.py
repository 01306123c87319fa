"""Readers: the only code that opens the user's input files.

Each reader turns files into raw, located values (strings, workbook cells) and
reports what it cannot read as diagnostics; typing and rules come later, in
``validate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostics, Location, did_you_mean
from reportgen.reading.column_names import localise, names_for
from reportgen.reading.config import read_settings
from reportgen.reading.model import ReportConfig
from reportgen.reading.narrative_front_matter import apply_narrative_files
from reportgen.reading.readers.narrative import read_narratives
from reportgen.reading.readers.raw_narrative import RawNarrative
from reportgen.reading.readers.tables import READERS, TABLE_EXTENSIONS, RawTable, read_table
from reportgen.reading.table_registry import TABLES, declared_spec

__all__ = ["TABLE_EXTENSIONS", "RawReport", "Workbook", "read_report"]


@dataclass(frozen=True)
class Workbook:
    """A workbook of data/ named like no table: one for the whole year, whose
    sheets give tables (``sheets``: every sheet's name, in order)."""

    path: Path
    sheets: tuple[str, ...]

    def sheet_for(self, table: str) -> str | None:
        return next((s for s in self.sheets if s.strip().lower() == table), None)


@dataclass(frozen=True)
class RawReport:
    """Everything read from one year folder, before typing and rules."""

    root: Path
    config: ReportConfig | None
    tables: dict[str, RawTable]
    narratives: tuple[RawNarrative, ...]
    workbooks: tuple[Workbook, ...] = ()  # whole-year workbooks, in file order
    # The theme folder the settings name, when the folder itself is acceptable
    # (its templates are checked by commands.build.load_year), else None.
    theme_dir: Path | None = None

    def table_location(self, name: str) -> tuple[Location, str]:
        """Where table ``name`` is, or would be looked for, and how to say it:
        its file or sheet; else the whole-year workbook that lacks the sheet;
        else ``data/<name>.csv`` (said as "")."""
        table = self.tables.get(name)
        if table is not None:
            sheet = table.header_location.cell
            where = f"sheet '{sheet.rpartition('!')[0]}' of " if sheet else ""
            return Location(table.path, cell=sheet), f"{where}{table.path.name}"
        data = self.root / "data"
        for extension in TABLE_EXTENSIONS:
            if (data / f"{name}{extension}").is_file():
                return Location(data / f"{name}{extension}"), f"{name}{extension}"
        if self.workbooks:
            book = self.workbooks[0]
            return Location(book.path), (
                f"{book.path.name} has no sheet named '{name}' "
                f"(its sheets: {', '.join(book.sheets) or 'none'})"
            )
        return Location(data / f"{name}.csv"), ""


def read_report(root: Path, diags: Diagnostics) -> RawReport:
    config, theme_dir = read_settings(root, diags)
    tables, workbooks = _read_tables(root, config, diags)
    narratives = read_narratives(root / "narrative", diags)
    if config is not None and config.narrative_files:
        narratives = apply_narrative_files(narratives, config.narrative_files, diags)
    return RawReport(root, config, tables, tuple(narratives), workbooks, theme_dir)


@dataclass(frozen=True)
class _Source:
    """Where a table comes from: its own file, or a sheet of a whole-year workbook."""

    path: Path
    sheet: str | None = None

    def __str__(self) -> str:
        return self.path.name if self.sheet is None else f"sheet '{self.sheet}' of {self.path.name}"


def _read_tables(
    root: Path, config: ReportConfig | None, diags: Diagnostics
) -> tuple[dict[str, RawTable], tuple[Workbook, ...]]:
    data = root / "data"
    files = sorted(p for p in data.iterdir() if p.is_file()) if data.is_dir() else []
    declared = {d.name: d for d in config.declared_tables} if config is not None else {}
    specs = {**TABLES, **{n: declared_spec(d) for n, d in declared.items()}}
    sources: dict[str, list[_Source]] = {name: [] for name in specs}
    for path in files:
        # File names are matched without regard to case: Lobbying.CSV is lobbying.csv.
        stem = path.stem.lower()
        if path.suffix.lower() in READERS and stem in specs:
            sources[stem].append(_Source(path))
    workbooks = _workbook_sources(files, sources, diags)
    names = names_for(tuple(config.languages) if config is not None else ())
    tables = {}
    for name, spec in specs.items():
        found = sources[name]
        if len(found) > 1:
            diags.error(
                Location(found[1].path),
                M.TABLE_GIVEN_TWICE(name=name, first=found[0], second=found[1]),
            )
            continue
        if not found:
            if spec.required or name in declared:  # a declared table is there to be shown
                _missing(name, data, workbooks, diags)
            continue
        columns = [c.name for c in spec.columns]
        columns += [n.lower() for c in columns for n in names.names(name, c)]
        table = read_table(name, found[0].path, diags, columns, found[0].sheet)
        if table is not None:
            tables[name] = localise(table, spec, names)
    return tables, workbooks


def _missing(name: str, data: Path, workbooks: tuple[Workbook, ...], diags: Diagnostics) -> None:
    """A table that must be there and is not: the file it would be, and the
    sheet each whole-year workbook lacks."""
    files = M.either(f"data/{name}{e}" for e in TABLE_EXTENSIONS)
    if not workbooks:
        diags.error(
            Location(data / f"{name}.csv"),
            M.MISSING_FILE(name=name),
        )
        return
    for book in workbooks:
        diags.error(
            Location(book.path),
            M.MISSING_SHEET(
                name=name,
                book=book.path.name,
                files=files,
                sheets=M.listed(book.sheets) or M.NO_SHEETS(),
            ),
        )


def _workbook_sources(
    files: list[Path], sources: dict[str, list[_Source]], diags: Diagnostics
) -> tuple[Workbook, ...]:
    """One workbook for the whole year: a workbook of data/ not named like a
    table gives each table one of its sheets is named like (any other table
    file is unknown, and said so)."""
    known = [f"{n}{e}" for n in sources for e in TABLE_EXTENSIONS]
    workbooks = []
    for path in files:
        stem = path.stem.lower()
        reader = READERS.get(path.suffix.lower())
        if reader is None or stem in sources:
            continue
        if reader.sheets is not None:
            contents = reader.sheets(path, diags)
            if contents is None:
                continue
            sheets = [name for name, _ in contents]
            blank = {name for name, filled in contents if not filled}
            given = [s for s in sheets if s.strip().lower() in sources]
            for sheet in given:
                sources[sheet.strip().lower()].append(_Source(path, sheet))
            near = _misspelt_sheets(path, sheets, given, sources, diags)
            if given or near:
                workbooks.append(Workbook(path, tuple(sheets)))
                _unused_sheets(path, sheets, [*given, *near, *blank], diags)
                continue
        hint = did_you_mean(path.name, known)
        declaration = M.DECLARE_TABLE(stem=stem) if re.fullmatch(r"[a-z][a-z0-9_-]*", stem) else ""
        diags.warning(
            Location(path), M.UNKNOWN_TABLE_FILE(name=path.name, hint=hint or declaration)
        )
    return tuple(workbooks)


def _misspelt_sheets(
    path: Path,
    sheets: list[str],
    given: list[str],
    sources: dict[str, list[_Source]],
    diags: Diagnostics,
) -> list[str]:
    """Sheets named nearly like a table (``Activites``): an error with a
    did-you-mean when nothing else gives that table (its rows would be left
    out), else a warning; the sheets said."""
    said = []
    for sheet in sheets:
        if sheet in given:
            continue
        hint = did_you_mean(sheet.strip().lower(), list(sources))
        if not hint:
            continue
        said.append(sheet)
        table = hint.split("'")[1]
        where = Location(path, cell=f"{sheet}!A1")
        if sources[table]:
            diags.warning(
                where,
                M.SHEET_NEAR_IGNORED(sheet=sheet, hint=hint, table=table, source=sources[table][0]),
            )
        else:
            diags.error(
                where,
                M.SHEET_NEAR(sheet=sheet, hint=hint, table=table),
            )
    return said


def _unused_sheets(path: Path, sheets: list[str], said: list[str], diags: Diagnostics) -> None:
    """Every other sheet of a whole-year workbook holding a value is left
    out: said with the workbook and the sheet, as its rows reach no page."""
    for sheet in sheets:
        if sheet in said:
            continue
        declaration = (
            M.SHEET_DECLARE(stem=sheet.strip().lower())
            if re.fullmatch(r"[a-z][a-z0-9_-]*", sheet.strip().lower())
            else M.SHEET_RENAME()
        )
        diags.warning(
            Location(path, cell=f"{sheet}!A1"),
            M.SHEET_UNUSED(sheet=sheet, book=path.name, how=declaration),
        )
