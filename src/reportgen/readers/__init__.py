"""Readers: the only code that opens the user's input files.

Each reader turns files into raw, located values (strings, workbook cells) and
reports what it cannot read as diagnostics; typing and rules come later, in
``validate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reportgen.config import load_config
from reportgen.diagnostics import Diagnostics, Location, did_you_mean
from reportgen.model import ReportConfig
from reportgen.readers.narrative import RawNarrative, read_narratives
from reportgen.readers.tables import RawTable, read_table, workbook_sheets
from reportgen.schema import TABLES, declared_spec

TABLE_EXTENSIONS = (".csv", ".xlsx")


@dataclass(frozen=True)
class RawReport:
    """Everything read from one year folder, before typing and rules."""

    root: Path
    config: ReportConfig | None
    tables: dict[str, RawTable]
    narratives: tuple[RawNarrative, ...]


def read_report(root: Path, diags: Diagnostics) -> RawReport:
    config = load_config(root, diags)
    tables = _read_tables(root, config, diags)
    narratives = read_narratives(root / "narrative", diags)
    if config is not None and config.narrative_files:
        from reportgen.narrative_files import apply_narrative_files

        narratives = apply_narrative_files(narratives, config.narrative_files, diags)
    return RawReport(root, config, tables, tuple(narratives))


@dataclass(frozen=True)
class _Source:
    """Where a table comes from: its own file, or a sheet of a whole-year workbook."""

    path: Path
    sheet: str | None = None

    def __str__(self) -> str:
        return self.path.name if self.sheet is None else f"sheet '{self.sheet}' of {self.path.name}"


def _read_tables(
    root: Path, config: ReportConfig | None, diags: Diagnostics
) -> dict[str, RawTable]:
    data = root / "data"
    files = sorted(p for p in data.iterdir() if p.is_file()) if data.is_dir() else []
    declared = {d.name: d for d in config.declared_tables} if config is not None else {}
    specs = {**TABLES, **{n: declared_spec(d) for n, d in declared.items()}}
    sources: dict[str, list[_Source]] = {name: [] for name in specs}
    for path in files:
        # File names are matched without regard to case: Lobbying.CSV is lobbying.csv.
        stem = path.stem.lower()
        if path.suffix.lower() in TABLE_EXTENSIONS and stem in specs:
            sources[stem].append(_Source(path))
    _workbook_sources(files, sources, diags)
    tables = {}
    for name, spec in specs.items():
        found = sources[name]
        if len(found) > 1:
            diags.error(
                Location(found[1].path),
                f"table '{name}' is given both as {found[0]} and {found[1]}: keep one",
            )
            continue
        if not found:
            if spec.required or name in declared:  # a declared table is there to be shown
                diags.error(
                    Location(data / f"{name}.csv"),
                    f"missing required file: data/{name}.csv (or data/{name}.xlsx)",
                )
            continue
        columns = [c.name for c in spec.columns]
        table = read_table(name, found[0].path, diags, columns, found[0].sheet)
        if table is not None:
            tables[name] = table
    return tables


def _workbook_sources(
    files: list[Path], sources: dict[str, list[_Source]], diags: Diagnostics
) -> None:
    """One workbook for the whole year: a .xlsx of data/ not named like a table
    gives each table one of its sheets is named like (any other table file is
    unknown, and said so)."""
    known = [f"{n}{e}" for n in sources for e in TABLE_EXTENSIONS]
    for path in files:
        stem = path.stem.lower()
        if path.suffix.lower() not in TABLE_EXTENSIONS or stem in sources:
            continue
        if path.suffix.lower() == ".xlsx":
            sheets = workbook_sheets(path, diags)
            if sheets is None:
                continue
            given = [s for s in sheets if s.strip().lower() in sources]
            for sheet in given:
                sources[sheet.strip().lower()].append(_Source(path, sheet))
            if given:
                _unused_sheets(path, sheets, given, list(sources), diags)
                continue
        hint = did_you_mean(path.name, known)
        declaration = (
            f'; to show it, declare it in report.toml: [tables.{stem}] title = "..."'
            if re.fullmatch(r"[a-z][a-z0-9_-]*", stem)
            else ""
        )
        diags.warning(
            Location(path), f"unknown table '{path.name}' is ignored{hint or declaration}"
        )


def _unused_sheets(
    path: Path, sheets: list[str], given: list[str], names: list[str], diags: Diagnostics
) -> None:
    """A sheet of a whole-year workbook named like no table: said, as a misspelt
    'Activites' would otherwise leave the table out without a word."""
    for sheet in sheets:
        if sheet in given:
            continue
        hint = did_you_mean(sheet.strip().lower(), names)
        if hint:
            diags.warning(
                Location(path, cell=f"{sheet}!A1"),
                f"sheet '{sheet}' is named like no table and is ignored{hint}",
            )
