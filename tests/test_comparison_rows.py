"""The handout's comparison with last year: every row says something."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from reportgen.composing.key_figures import KeyFigures
from reportgen.composing.page_context import _comparison

_BASE = KeyFigures(
    fiscal_year="FY2",
    activities=10,
    participants=100,
    by_category=(),
    by_month=(),
    by_month_category=(),
    coalitions=1,
    coalition_organizations=48,
    coalition_countries=1,
    lobbying=0,
    by_target_type=(),
    income=Decimal("1000"),
    expenses=Decimal("1200"),
    income_by_category=(),
    expenses_by_category=(),
    expenses_by_function=(),
    present=("activities", "coalitions", "finances", "lobbying"),
)


def _rows(now: KeyFigures, before: KeyFigures) -> dict[str, tuple[str, ...]]:
    table = _comparison(now, before, "en", "GBP")
    assert table is not None
    return {r.cells[0]: tuple(r.cells[1:]) for r in table.rows}


def test_a_figure_zero_both_years_is_left_out_and_one_absent_last_year_is_a_dash() -> None:
    before = replace(_BASE, fiscal_year="FY1", coalition_organizations=0, coalitions=0,
                     income=Decimal("900"), expenses=Decimal("1000"),
                     present=("activities", "finances", "lobbying"))  # fmt: skip
    rows = _rows(_BASE, before)
    assert not any("advocacy" in k.lower() for k in rows), rows  # 0 and 0 says nothing
    coalition = next(v for k, v in rows.items() if "partner" in k.lower())
    assert coalition == ("—", "48", "—"), coalition  # no table last year: not 0, not "new"
    net = list(rows.values())[-1]  # the surplus (deficit) row
    assert net[2] == "−£100", net  # the net row has its change, in money


def test_a_real_zero_last_year_is_still_new() -> None:
    before = replace(_BASE, fiscal_year="FY1", coalition_organizations=0)
    coalition = next(v for k, v in _rows(_BASE, before).items() if "partner" in k.lower())
    assert coalition == ("0", "48", "new this year"), coalition
