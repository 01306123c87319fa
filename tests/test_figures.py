"""Key figures, edition selection and charts from a small hand-made year."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.composing.charts import ChartStyle, draw_charts
from reportgen.composing.edition_view import year_as_seen_by
from reportgen.composing.key_figures import key_figures
from reportgen.composing.page_context import Stat
from reportgen.composing.page_context import _stats as _context_stats
from reportgen.composing.palette import contrast, palette
from reportgen.reading.model import (
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
    public = year_as_seen_by(year, "annual-report", "en")
    assert SECRET not in repr(public)
    assert public.donors == ()
    assert [s.slug for s in public.narrative] == ["overview"]
    members = year_as_seen_by(year, "handout", "en")
    assert SECRET in repr(members)
    assert members.donors == ()


def test_key_figures(year: FiscalYear) -> None:
    fig = key_figures(year_as_seen_by(year, "annual-report", "en"))
    assert fig.activities == 3
    assert fig.participants == 65
    assert fig.by_category == (("Event", 2), ("Publication", 1))
    assert len(fig.by_month) == 12
    assert fig.by_month[0] == (date(2012, 9, 1), 2)
    # networks overlap: the largest network's size, never their sum
    assert fig.coalition_organizations == 43
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
    # In whole percents that add up to 100 (62.5, 12.5, 25: the largest remainder, a tie, goes
    # to the larger amount), as the chart and the key figure show it.
    assert fig.program_share == pytest.approx(0.63)


def test_key_figures_of_an_empty_year(year: FiscalYear) -> None:
    empty = replace(year, activities=(), coalitions=(), lobbying=(), finances=())
    fig = key_figures(empty)
    assert fig.activities == 0 and fig.income == 0 and fig.program_share is None
    style = ChartStyle(palette(year.config.theme), "Noto Sans", "en", "JPY")
    assert draw_charts(fig, [fig], style) == {}


def test_charts_are_stable_svg_with_text_as_text_and_alt_from_data(year: FiscalYear) -> None:
    fig = key_figures(year_as_seen_by(year, "annual-report", "en"))
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
    from reportgen.reading.model import Theme

    pale = palette(Theme(primary_color="#9ad", accent_color="#fc0"))
    assert contrast(pale.primary_text, "#ffffff") >= 4.5
    assert contrast(pale.accent_text, "#ffffff") >= 4.5
    assert contrast(pale.on_primary, pale.primary) >= 3


# --- v2: indicators and key_figures ---------------------------------------------


def _year_with(sample_set: Path, indicators: str | None, toml: str = "") -> FiscalYear:
    from reportgen.commands.build import load_year
    from reportgen.core.diagnostics import Diagnostics

    root = sample_set / "fy2012"
    if indicators is not None:
        (root / "data/indicators.csv").write_text(indicators, "utf-8")
    if toml:
        report = root / "report.toml"
        report.write_text(toml + report.read_text(), "utf-8")
    diags = Diagnostics()
    year = load_year(root, diags)
    assert year is not None, [d.message for d in diags]
    return year


def _stats(year: FiscalYear, edition: str = "annual-report", language: str = "en") -> list[Stat]:
    seen = year_as_seen_by(year, edition, language)
    return list(_context_stats(key_figures(seen), None, language, "GBP",
                               seen.config.key_figures))  # fmt: skip


def test_indicators_lead_the_key_figures_translated_and_redacted(sample_set: Path) -> None:
    year = _year_with(
        sample_set,
        "name,name_ja,value,unit,previous,target,note,visibility\n"
        "Meals served,配食数,12500,meals,11800,15000,In three towns,public\n"
        "Grants won,,2500.50,GBP,,,,public\n"
        "Secret count,,7,,,,,internal\n"
        "Households helped,,320,families,,,,public\n",
    )
    stats = _stats(year)
    first, second = stats[0], stats[1]
    # A name that already says its unit prints no unit line (review r34:
    # "6,842 / parcels / Food parcels given"): "Meals served" drops "meals";
    # a unit the name does not say stays, set smaller under the number.
    helped = next(s for s in stats if s.label == "Households helped")
    assert (helped.value, helped.unit) == ("320", "families")
    assert (first.label, first.value, first.unit, first.note) == (
        "Meals served",
        "12,500",
        None,  # the name says "meals" already
        "In three towns",
    )
    assert first.change == "+700 vs last year" and first.direction == "up"
    assert first.progress == "83% of the target of 15,000 meals"
    assert (second.label, second.value) == ("Grants won", "£2,500.50")
    assert "Secret count" not in [s.label for s in stats]
    assert "Secret count" in [s.label for s in _stats(year, "handout")]
    assert _stats(year, language="ja")[0].label == "配食数"


def test_a_name_that_says_its_unit_is_matched_by_whole_words() -> None:
    from reportgen.composing.page_context import label_says_unit

    said = [("Food parcels given", "parcels"), ("Volunteer hours", "hours"),
            ("Tonnes of food donated", "tonnes"), ("People fed", "people"),
            ("Hot meals", "meal"), ("Bed nights given", "bed nights")]  # fmt: skip
    assert all(label_says_unit(label, unit) for label, unit in said)
    unsaid = [("Meals served", "parcels"), ("Households helped", "households reached"),
              ("Participants", "parts"), ("支援した人数", "人"), ("Volunteers", None)]  # fmt: skip
    assert not any(label_says_unit(label, unit) for label, unit in unsaid)


def test_key_figures_default_skips_what_means_nothing(sample_set: Path) -> None:
    root = sample_set / "fy2012"
    (root / "data/coalitions.csv").write_text(
        "name,role,member_organizations,countries\nLocal network,member,12,1\n", "utf-8"
    )
    (root / "data/lobbying.csv").unlink()
    labels = [s.label for s in _stats(_year_with(sample_set, None))]
    assert "countries across our coalitions" not in labels  # one country: no figure
    assert "partner organisations in coalitions" in labels  # one network: its size
    assert not any("meetings" in label for label in labels)  # no lobbying table, no zero


def test_key_figures_setting_chooses_and_orders(sample_set: Path) -> None:
    year = _year_with(
        sample_set, "name,value\nMeals served,10\n", 'key_figures = ["net", "indicators"]\n'
    )
    # (in the case the organisation writes its indicators in: review r35, 8)
    assert [s.label for s in _stats(year)] == ["Surplus (deficit)", "Meals served"]


def test_an_unknown_key_figure_is_an_error_with_a_hint(sample_set: Path) -> None:
    from reportgen.commands.build import run_check

    report = sample_set / "fy2012/report.toml"
    report.write_text('key_figures = ["income", "participant"]\n' + report.read_text())
    result = run_check(sample_set / "fy2012")
    assert not result.ok
    (error,) = [d for d in result.diagnostics if "key_figures" in d.message]
    assert error.location.path == report and error.location.line == 1
    assert "unknown figure 'participant' (did you mean 'participants'?)" in error.message


def test_money_shows_minor_units_only_where_some_amount_has_them() -> None:
    from reportgen.composing import formats

    assert formats.format_amount(Decimal("1200"), "GBP", "en", False) == "£1,200"
    assert formats.format_amount(Decimal("1200"), "GBP", "en", True) == "£1,200.00"
    assert figures_minor(("1200", "3.50")) and not figures_minor(("1200", "3.00"))


def figures_minor(amounts: tuple[str, ...]) -> bool:
    from reportgen.composing.key_figures import has_minor_units

    return any(has_minor_units(Decimal(a)) for a in amounts)


def test_a_share_without_functions_is_left_out_with_a_warning(
    english_set: Path, tmp_path: Path, built_english: object
) -> None:
    """Expenses without ``function`` used to print "0% of spending went to
    programmes" in all three editions, silently; now the figure (and the
    function chart, which would split nothing) is left out and check says why,
    at the first expense's line. The same build of the sample shows both."""
    import csv
    import io

    from reportgen.commands.build import run_build, run_check
    from tests.pdfparse import ParsedPdf

    path = english_set / "fy2012/data/finances.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))
    first = next(n for n, row in enumerate(rows, start=2) if row["kind"] == "expense")
    for row in rows:
        row["function"] = ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), "utf-8")
    result = run_check(english_set / "fy2012")
    assert result.ok
    (warning,) = [d for d in result.diagnostics if "'function'" in d.message]
    assert (warning.location.path, warning.location.line) == (path, first)
    count = sum(1 for row in rows if row["kind"] == "expense")
    assert warning.message.startswith(f"column 'function': {count} expenses have none (line ")
    assert "share of spending on programmes is left out" in warning.message
    run_build(english_set / "fy2012", tmp_path / "out", cache=False)
    shown = built_english.out / "fy2012"  # type: ignore[attr-defined]
    for name in ("annual-report.pdf", "handout.pdf", "donor.pdf"):
        text = ParsedPdf(tmp_path / "out/fy2012" / name).all_text()
        before = ParsedPdf(shown / name).all_text()
        for words in ("of spending went to programmes", "How the money was spent"):
            assert words not in text, (name, words)
            # The handout's one sheet, copy-fitted, shows four key figures and two charts.
            assert words in before or name == "handout.pdf", (name, words)


def test_the_donut_names_its_share_inside_the_hole(year: FiscalYear) -> None:
    """Review 2: "Charitable activities" (en-GB) at 7 pt was wider than the
    donut's hole and ran over the ring; it is set on two lines there."""
    fig = key_figures(year_as_seen_by(year, "annual-report", "en"))
    style = ChartStyle(palette(year.config.theme), "Noto Sans", "en-GB", "GBP")
    svg = draw_charts(fig, [fig], style)["chart-expenses"].svg
    small = [t.strip() for t in re.findall(r"<text[^>]*font-size: 7px[^>]*>([^<]*)<", svg)]
    assert "Charitable activities" not in small, small
    assert "Charitable" in small and "activities" in small, small


@pytest.mark.parametrize(("language", "currency"), [("en-GB", "GBP"), ("ja", "JPY")])
def test_the_breakdown_rises_only_into_the_room_under_the_key(
    year: FiscalYear, language: str, currency: str
) -> None:
    """The ring's breakdown starts ``key_room`` points above the drawing's
    foot (print): that must stay below the key's last line, as drawn."""
    fig = key_figures(year_as_seen_by(year, "annual-report", "en"))
    style = ChartStyle(palette(year.config.theme), "Noto Sans", language, currency)
    ring = draw_charts(fig, [fig], style)["chart-expenses"]
    assert ring.breakdown and ring.key_room > 0
    height = ring.size[1] * 72
    # The key's words: right of the ring (the drawing's right half).
    key = [
        float(y)
        for x, y in re.findall(r'<text[^>]*x="([\d.]+)" y="([\d.]+)"', ring.svg)
        if float(x) > ring.size[0] * 72 / 2
    ]
    assert key, "the key's text is drawn as text"
    lowest = max(key) + 3  # a baseline, and the descenders below it
    assert lowest > height / 2  # the key's last line, below the ring's centre
    assert lowest < height - ring.key_room, (lowest, height, ring.key_room)


def test_the_packs_labels_follow_the_case_the_organisation_writes(sample_set: Path) -> None:
    """Review r35, 8: "Food parcels given" beside "total income" in one grid.
    Indicators written in sentence case raise the pack's labels to it, save
    one that goes on from its figure ("78% of spending went ..."); the
    sample's grid, the pack's labels alone, stays lower case."""
    plain = {s.label for s in _stats(_year_with(sample_set, None))}
    assert {"total income", "of spending went to programmes"} <= plain
    year = _year_with(sample_set, "name,value,unit,visibility\nMeals served,12500,meals,public\n")
    labels = {s.label for s in _stats(year)}
    assert {"Meals served", "Total income", "Total expenses", "Activities"} <= labels
    assert "of spending went to programmes" in labels
    assert {s.label for s in _stats(year, language="ja")} >= {"Meals served"}  # no case: as is


def test_the_covers_marks_say_what_they_count_under_another_headline(tmp_path: Path) -> None:
    """Review r36, design 4: "6,842 Food parcels given" over a mark for each
    activity, whose key said "Food parcels 4", read as four parcels. Under a
    headline that is not the activity count the marks say what they are; under
    the activity count they need no words."""
    from tests.conftest import copy_root
    from tests.test_accounts import _context, _two_years

    year = _two_years(copy_root("small", tmp_path))
    ctx, html = _context(year, "annual-report", "en")
    assert ctx.stats[0].name == "activities" and ctx.marks_caption == ""
    assert 'class="cover-marks-caption"' not in html
    report = year / "report.toml"
    toml = report.read_text("utf-8")
    report.write_text('key_figures = ["income", "expenses", "activities"]\n' + toml)
    ctx, html = _context(year, "annual-report", "en")
    public = ctx.stats[2].value  # the activities this public edition shows
    assert ctx.marks_caption == ""  # review r36c, 7: a cover figure already counts them
    assert 'class="cover-marks-caption"' not in html
    assert f"{public} activities in the year" not in html
    report.write_text('key_figures = ["income", "expenses", "net", "activities"]\n' + toml)
    ctx, html = _context(year, "annual-report", "en")
    assert [s.name for s in ctx.cover_figures] == ["income", "expenses", "net"]
    assert ctx.marks_caption == f"{public} activities in the year"
    assert f'<p class="cover-marks-caption">{public} activities in the year</p>' in html


def test_a_grid_of_key_figures_never_leaves_a_tile_alone_on_a_row(tmp_path: Path) -> None:
    """Review r36c, 6: five tiles set 4 + 1, "Total expenditure" alone on its
    row. Any count of figures over one row: no last row of one, the rows as
    few and as full as the stylesheet's four columns (or three) allow."""
    from reportgen.composing.page_context import grid_columns
    from tests.conftest import copy_root
    from tests.test_accounts import _context, _two_years

    for count in range(1, 62):
        cols = grid_columns(count)
        assert cols == 0 if count <= 4 else (count % cols != 1 and cols >= 3), (count, cols)
    assert [grid_columns(n) for n in (5, 6, 7, 9, 13)] == [3, 3, 4, 3, 5]
    year = _two_years(copy_root("small", tmp_path))
    report = year / "report.toml"
    five = '["activities", "participants", "income", "expenses", "net"]'
    report.write_text(f"key_figures = {five}\n" + report.read_text("utf-8"))
    for edition in ("annual-report", "donor"):
        ctx, html = _context(year, edition, "en")
        assert len(ctx.stats) == 5
        assert '<ul class="stats cols-3">' in html, edition
