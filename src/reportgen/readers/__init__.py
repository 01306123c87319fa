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
from reportgen.readers.tables import RawTable, read_table
from reportgen.schema import TABLES

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
    tables = {}
    data = root / "data"
    files = sorted(p for p in data.iterdir() if p.is_file()) if data.is_dir() else []
    declared = {d.name: d for d in config.declared_tables} if config is not None else {}
    kinds = {**{n: t.required for n, t in TABLES.items()}, **{n: True for n in declared}}
    for name, required in kinds.items():
        # File names are matched without regard to case: Lobbying.CSV is lobbying.csv.
        found = [p for ext in TABLE_EXTENSIONS for p in files if p.name.lower() == f"{name}{ext}"]
        if len(found) > 1:
            diags.error(
                Location(found[1]),
                f"table '{name}' is given both as {found[0].name} and {found[1].name}: keep one",
            )
            continue
        if not found:
            if required:
                diags.error(
                    Location(data / f"{name}.csv"),
                    f"missing required file: data/{name}.csv (or data/{name}.xlsx)",
                )
            continue
        table = read_table(name, found[0], diags)
        if table is not None:
            tables[name] = table
    known = [f"{n}{e}" for n in kinds for e in TABLE_EXTENSIONS]
    for path in files:
        if path.suffix.lower() in TABLE_EXTENSIONS and path.stem.lower() not in kinds:
            hint = did_you_mean(path.name, known)
            stem = path.stem.lower()
            declaration = (
                f'; to show it, declare it in report.toml: [tables.{stem}] title = "..."'
                if re.fullmatch(r"[a-z][a-z0-9_-]*", stem)
                else ""
            )
            diags.warning(
                Location(path), f"unknown table '{path.name}' is ignored{hint or declaration}"
            )
    narratives = tuple(read_narratives(root / "narrative", diags))
    return RawReport(root, config, tables, narratives)
