"""Find the years: is a folder one fiscal year or a report set, and which years
sit beside a year (its predecessor for comparison, every year for trends)?

Only looks at folder names and report.toml dates; reading the years' data is
the readers' work.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

from reportgen.config import REPORT_FILE


def is_year(folder: Path) -> bool:
    return (folder / REPORT_FILE).is_file()


def years_in_set(folder: Path) -> list[Path]:
    """The year folders directly inside a report set, in name order."""
    return sorted(p for p in folder.iterdir() if p.is_dir() and is_year(p))


def _dates(folder: Path) -> tuple[date, date] | None:
    """(start, end) of a year folder, or None when unreadable: siblings are optional."""
    try:
        data = tomllib.loads((folder / REPORT_FILE).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    start, end = data.get("start"), data.get("end")
    if isinstance(start, date) and isinstance(end, date):
        return start, end
    return None


def earlier_years(year: Path) -> list[Path]:
    """The chain of predecessors of ``year`` among its siblings, nearest first.

    A predecessor is the sibling whose ``end`` is the day before this ``start``.
    """
    parent = year.resolve().parent
    dated = {p: d for p in years_in_set(parent) if (d := _dates(p)) is not None}
    chain: list[Path] = []
    current = dated.get(year.resolve())
    while current is not None:
        wanted = current[0].toordinal() - 1
        before = [p for p, d in dated.items() if d[1].toordinal() == wanted and p not in chain]
        if not before:
            break
        chain.append(before[0])
        current = dated[before[0]]
    return chain


def output_name(year: Path) -> str:
    """The folder name a year's outputs go to: the year folder's own name."""
    name = year.resolve().name
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name) or "report"
