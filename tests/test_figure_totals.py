"""A key figure that names a table's column agrees with that column's total."""

from __future__ import annotations

import shutil
from pathlib import Path

UK = Path(__file__).resolve().parents[1] / "examples/uk-food-bank"


def test_a_key_figure_disagreeing_with_its_tables_total_is_said(tmp_path: Path) -> None:
    from reportgen.commands.build import run_check

    root = tmp_path / "uk"
    shutil.copytree(UK, root)
    year = root / "fy2024"
    found = [d for d in run_check(year).diagnostics if "totals" in d.message]
    assert found == []  # the sample's 21,460 hours are its volunteers table's total
    table = year / "data/volunteers.csv"
    table.write_text(table.read_text("utf-8").replace(",6480,", ",1620,"), "utf-8")
    (warning,) = [d for d in run_check(year).diagnostics if "totals" in d.message]
    assert warning.location.path == year / "data/indicators.csv"
    assert warning.message == (
        "key figure 'Volunteer hours' is 21,460 hours, but column 'hours' of volunteers.csv "
        "totals 16,600: a reader sees both; make them agree, or give the figure another unit"
    )
