"""The handout's money: the comparison with last year (every row says
something), a first year's own money, and what the fitted sheet keeps."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

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


def test_a_figure_zero_both_years_or_absent_last_year_is_left_out() -> None:
    before = replace(_BASE, fiscal_year="FY1", coalition_organizations=0, coalitions=0,
                     income=Decimal("900"), expenses=Decimal("1000"),
                     present=("activities", "finances", "lobbying"))  # fmt: skip
    rows = _rows(_BASE, before)
    assert not any("advocacy" in k.lower() for k in rows), rows  # 0 and 0 says nothing
    # No table last year: a row with nothing to compare ("— 48 —", review
    # r34), neither 0 nor "new".
    assert not any("partner" in k.lower() for k in rows), rows
    net = list(rows.values())[-1]  # the surplus (deficit) row
    assert net[2] == "−£100", net  # the net row has its change, in money


def test_a_real_zero_last_year_is_still_new() -> None:
    before = replace(_BASE, fiscal_year="FY1", coalition_organizations=0)
    coalition = next(v for k, v in _rows(_BASE, before).items() if "partner" in k.lower())
    assert coalition == ("48", "0", "new this year"), coalition  # this year first


def test_one_negative_style_in_tables_figures_and_accounts() -> None:
    """A negative amount is written as the pack's accounts write it, in every
    table and figure of a document: (£250.00), never -£250.00 beside (5,000.00)."""
    from reportgen.composing import formats
    from reportgen.composing.accounts import accounts
    from reportgen.composing.page_context import _tables
    from reportgen.reading.model import Fund

    fig = replace(
        _BASE,
        income=Decimal("750.50"),
        income_by_category=(("Grants", Decimal("1000.50")), ("Refunded grant", Decimal("-250"))),
        minor_units=True,
        funds=(Fund("Appeal", "restricted", closing=Decimal("-5000")),),
    )
    income = _tables(None, fig, "en-GB", "GBP")["income"]  # type: ignore[arg-type]
    assert income is not None
    assert [r.cells[1] for r in income.rows] == ["£1,000.50", "(£250.00)"]
    books = accounts(fig, None, "en-GB", "GBP", ("31 March", "1 April", "31 March"))
    assert books is not None and books.funds is not None
    assert "(5,000)" in [c for r in books.funds.rows for c in r.cells]
    assert formats.format_compact_money(Decimal("-19210"), "GBP", "en-GB").startswith("(")
    net = list(_rows(replace(_BASE, income=Decimal("800")), _BASE).values())[-1]
    assert net[:2] == ("(£400)", "(£200)"), net  # this year, then last
    assert formats.format_amount(Decimal("-5000"), "JPY", "ja", False) == "△5,000円"


def test_a_first_year_shows_its_own_money_and_a_fitted_handout_both_sides_of_it(
    tmp_path: Path,
) -> None:
    """Review r36c, 1 and 9: without a previous year the handout still gives
    the year's income, expenses and result (in the comparison's words); and
    the fitted handout's four figures never show income without expenses."""
    from reportgen.composing.page_context import Stat, _year_money, fitted_stats
    from tests.conftest import copy_root, html_alone

    table = _year_money(_BASE, None, "en", "GBP")
    assert table is not None and table.headers == ("", "FY2")
    assert [r.cells for r in table.rows] == [
        ("Total income", "£1,000"), ("Total expenses", "£1,200"), ("Surplus (deficit)", "(£200)"),
    ]  # fmt: skip
    assert _year_money(_BASE, replace(_BASE, fiscal_year="FY1"), "en", "GBP") is None
    assert _year_money(replace(_BASE, present=("activities",)), None, "en", "GBP") is None

    stats = [Stat("1", "a"), Stat("2", "b", name="activities"), Stat("3", "c"),
             Stat("£9", "in", name="income"), Stat("£12", "out", name="expenses")]  # fmt: skip
    assert [s.label for s in fitted_stats(stats)] == ["a", "b", "in", "out"]
    assert [s.label for s in fitted_stats([*stats[:4], Stat("5", "e")])] == ["a", "b", "c", "in"]
    with_result = [*stats[:2], Stat("£3", "net", name="net"), *stats[3:]]
    assert [s.label for s in fitted_stats(with_result)] == ["a", "b", "net", "in"]  # the result
    with_result = [*stats[:4], Stat("£3", "net", name="net"), stats[4]]
    assert [s.label for s in fitted_stats(with_result)] == ["a", "b", "in", "out"]

    # The small root with a finances table and no year before it.
    html = html_alone(copy_root("clean", tmp_path) / "fy2012", "handout", "en")
    money = html.split('class="data comparison year-money')[1].split("</table>")[0]
    for figure in ("Total income", "300,000", "Total expenses", "250,000", "Surplus", "50,000"):
        assert figure in money, figure


def test_the_fitted_handout_has_a_fuller_variant_with_every_chart(tmp_path: Path) -> None:
    """Review r36c, 9: a first year's fitted sheet left its two sides half
    empty with two charts of four. Copy-fitting also gets the fitted page
    with every chart (kept by print_pdf where it takes no more pages)."""
    from reportgen.commands.build import load_with_history
    from reportgen.composing.edition_view import year_as_seen_by
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.typesetting.edition_render import figures_and_charts, print_page
    from tests.conftest import copy_root

    diags = Diagnostics()
    year, _ = load_with_history(copy_root("clean", tmp_path) / "fy2012", diags)
    assert year is not None and not diags.has_errors
    seen = year_as_seen_by(year, "handout", "en")
    page = print_page(seen, "handout", "en", figures_and_charts(seen, [], "en", draw=False))
    assert page.fitted is not None and page.fuller is not None

    def charts(html: str) -> list[str]:
        grid = html.split('class="chart-grid"')[1].split("</section>")[0]
        return re.findall(r'id="(chart-[a-z-]+)"', grid)

    fitted, fuller = charts(page.fitted), charts(page.fuller)
    assert len(fitted) == 2 and fitted == fuller[:2], (fitted, fuller)
    assert "chart-expenses" in fuller and "chart-expenses" not in fitted, fuller
