"""Key figures, edition selection and charts from a small hand-made year."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.charts import ChartStyle, draw_charts
from reportgen.editions import select
from reportgen.figures import key_figures
from reportgen.model import (
    Activity,
    Coalition,
    Donor,
    FinanceEntry,
    FiscalYear,
    LobbyingVisit,
    NarrativeSection,
    Organization,
    ReportConfig,
)
from reportgen.theme import contrast, palette

SECRET = "SECRET-MARKER-7f3a"


@pytest.fixture
def year() -> FiscalYear:
    config = ReportConfig(
        root=Path("."),
        title="Annual Report FY2012",
        fiscal_year="FY2012",
        start=date(2012, 9, 1),
        end=date(2013, 8, 31),
        organization=Organization("Example NGO"),
    )
    return FiscalYear(
        config=config,
        activities=(
            Activity(date(2012, 9, 3), "Seminar", "Event", participants=40),
            Activity(date(2012, 9, 20), "Leaflet", "Publication"),
            Activity(date(2013, 2, 1), "Talk", "Event", participants=25),
            Activity(date(2013, 3, 9), SECRET, "Rescue", visibility="internal", participants=2),
        ),
        coalitions=(
            Coalition("ICNK", "member", member_organizations=43, countries=15),
            Coalition("Local net", "member", member_organizations=5, countries=1),
        ),
        lobbying=(
            LobbyingVisit(date(2012, 10, 1), "Ministry", "MOFA"),
            LobbyingVisit(date(2012, 11, 1), "Embassy", "Embassy A"),
            LobbyingVisit(date(2012, 12, 1), "Embassy", "Embassy B"),
        ),
        finances=(
            FinanceEntry("income", "Donations", Decimal("600000")),
            FinanceEntry("income", "Grants", Decimal("400000")),
            FinanceEntry("expense", "Rescue", Decimal("500000"), "program"),
            FinanceEntry("expense", "Rent", Decimal("200000"), "administration"),
            FinanceEntry("expense", "Mailing", Decimal("100000"), "fundraising"),
            FinanceEntry("expense", SECRET, Decimal("999"), "program", visibility="internal"),
        ),
        donors=(Donor("A Donor", "d1", amount=Decimal(5)),),
        narrative=(
            NarrativeSection("overview", "Overview", "<p>hi</p>", Path("o.md")),
            NarrativeSection(
                "notes", "Notes", f"<p>{SECRET}</p>", Path("n.md"), visibility="internal"
            ),
            NarrativeSection("ja", "概要", "<p>ja</p>", Path("o.ja.md"), language="ja"),
        ),
    )


def test_public_selection_drops_internal_rows_narrative_and_donors(year: FiscalYear) -> None:
    public = select(year, "annual-report", "en")
    assert SECRET not in repr(public)
    assert public.donors == ()
    assert [s.slug for s in public.narrative] == ["overview"]
    members = select(year, "handout", "en")
    assert SECRET in repr(members)
    assert members.donors == ()


def test_key_figures(year: FiscalYear) -> None:
    fig = key_figures(select(year, "annual-report", "en"))
    assert fig.activities == 3
    assert fig.participants == 65
    assert fig.by_category == (("Event", 2), ("Publication", 1))
    assert len(fig.by_month) == 12
    assert fig.by_month[0] == (date(2012, 9, 1), 2)
    assert fig.coalition_organizations == 48
    assert fig.coalition_countries == 15
    assert fig.by_target_type == (("Embassy", 2), ("Ministry", 1))
    assert fig.income == Decimal(1000000)
    assert fig.expenses == Decimal(800000)
    assert fig.net == Decimal(200000)
    assert fig.expenses_by_function == (
        ("program", Decimal(500000)),
        ("fundraising", Decimal(100000)),
        ("administration", Decimal(200000)),
    )
    assert fig.program_share == pytest.approx(0.625)


def test_key_figures_of_an_empty_year(year: FiscalYear) -> None:
    empty = replace(year, activities=(), coalitions=(), lobbying=(), finances=())
    fig = key_figures(empty)
    assert fig.activities == 0 and fig.income == 0 and fig.program_share is None
    style = ChartStyle(palette(year.config.theme), "Noto Sans", "en", "JPY")
    assert draw_charts(fig, [fig], style) == {}


def test_charts_are_stable_svg_with_text_as_text_and_alt_from_data(year: FiscalYear) -> None:
    fig = key_figures(select(year, "annual-report", "en"))
    previous = replace(fig, fiscal_year="FY2011", income=Decimal(500000))
    style = ChartStyle(palette(year.config.theme), "Noto Sans", "en", "JPY")
    charts = draw_charts(fig, [previous, fig], style)
    assert set(charts) == {
        "chart-by-month", "chart-by-category", "chart-by-target", "chart-income",
        "chart-expenses", "chart-trend",
    }  # fmt: skip
    again = draw_charts(fig, [previous, fig], style)
    assert all(charts[k].svg == again[k].svg for k in charts)
    income = charts["chart-income"]
    assert income.svg.startswith("<svg")
    assert "<text" in income.svg and "Donations" in income.svg  # text stays text
    assert "Donations ¥600K" in income.alt and "¥1M in total" in income.alt
    assert "62.5%" not in charts["chart-expenses"].alt  # percentages are rounded
    assert (
        "Programmes 62%" in charts["chart-expenses"].alt
        or "Programmes 63%" in charts["chart-expenses"].alt
    )
    assert "FY2011" in charts["chart-trend"].alt
    assert charts["chart-by-month"].rows[0] == ("September 2012", "2")
    assert 'id="chart-income-' in income.svg  # ids are namespaced per chart
    assert SECRET not in "".join(c.svg + c.alt for c in charts.values())


def test_palette_keeps_text_readable() -> None:
    from reportgen.model import Theme

    pale = palette(Theme(primary_color="#9ad", accent_color="#fc0"))
    assert contrast(pale.primary_text, "#ffffff") >= 4.5
    assert contrast(pale.accent_text, "#ffffff") >= 4.5
    assert contrast(pale.on_primary, pale.primary) >= 3
