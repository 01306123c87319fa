"""Find the years: is a folder one fiscal year or a report set, and which years
sit beside a year (its predecessor for comparison, every year for trends)?

Only looks at folder names and report.toml dates; reading the years' data is
the readers' work.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from reportgen.reading.config import REPORT_FILE
from reportgen.reading.settings import Values, read


def is_year(folder: Path) -> bool:
    return (folder / REPORT_FILE).is_file()


def years_in_set(folder: Path) -> list[Path]:
    """The year folders directly inside a report set, in name order."""
    return sorted(p for p in folder.iterdir() if p.is_dir() and is_year(p))


def _settings(folder: Path) -> Values:
    return read(folder / REPORT_FILE) or Values({})


Neighbour = tuple[str, str, date, date]  # (fiscal year label, output folder name, start, end)


def _dates(folder: Path) -> tuple[date, date] | None:
    """(start, end) of a year folder, or None when unreadable: siblings are optional."""
    data = _settings(folder)
    start, end = data.get("start"), data.get("end")
    if isinstance(start, date) and isinstance(end, date):
        return start, end
    return None


def neighbours(year: Path) -> tuple[Neighbour | None, Neighbour | None]:
    """((label, output folder name, start, end) of the year before, same of
    the year after): the dates name the year in each language (2011年度)."""
    parent = year.resolve().parent
    own = _dates(year)
    if own is None:
        return None, None
    found: list[Neighbour | None] = [None, None]
    for sibling in years_in_set(parent):
        dates = _dates(sibling)
        if dates is None or sibling.resolve() == year.resolve():
            continue
        label = str(_settings(sibling).get("fiscal_year") or sibling.name)
        if dates[1].toordinal() == own[0].toordinal() - 1:
            found[0] = (label, output_name(sibling), *dates)
        if dates[0].toordinal() == own[1].toordinal() + 1:
            found[1] = (label, output_name(sibling), *dates)
    return found[0], found[1]


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
