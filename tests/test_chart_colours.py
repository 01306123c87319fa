"""Chart colours that keep their meaning: one colour per activity category in
every edition and language of a year, distinct in greyscale and for readers
with colour-vision deficiency, never repeated, and direct labels where a
legend would grow long. The SVGs are drawn by the real chart code and parsed."""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import replace
from datetime import date
from itertools import combinations
from pathlib import Path
from xml.etree import ElementTree

import pytest

from reportgen.commands.build import load_year, run_check
from reportgen.composing.charts import ChartAsset, ChartStyle, colour_order, draw_charts
from reportgen.composing.colour_vision import CVD, distance, lightness, simulate
from reportgen.composing.edition_view import year_as_seen_by
from reportgen.composing.key_figures import KeyFigures, category_order, key_figures
from reportgen.composing.palette import (
    NEIGHBOURS_APART,
    SERIES_SLOTS,
    apart,
    function_colours,
    money_colours,
    palette,
    worst_pair,
)
from reportgen.core.diagnostics import Diagnostics
from reportgen.reading.model import Activity, FiscalYear, Theme
from reportgen.typesetting.edition_render import figures_and_charts
from tests.conftest import SAMPLE
from tests.test_figures import year  # noqa: F401  (the fixture)

SVG = "{http://www.w3.org/2000/svg}"
THEMES = [
    Theme(primary_color="#1f3a5f", accent_color="#c8553d"),  # the sample's
    Theme(primary_color="#1d5c4a", accent_color="#e0a526"),  # the UK sample's
    Theme(primary_color="#d62728", accent_color="#2ca02c"),  # red and green
    Theme(primary_color="#ff0000", accent_color="#00ff00"),  # pure red and green
    Theme(primary_color="#9ad", accent_color="#fc0"),  # pale
    Theme(primary_color="#000", accent_color="#fff"),  # no hue at all
    Theme(primary_color="#336", accent_color="#339"),  # one hue twice
]
MIN_GREY_STEP = 10.0  # CIE L* between any two colours of one chart
MIN_CVD_DISTANCE = 9.0  # CIE76 between any two, as each deficiency sees them


def _key(svg: str) -> dict[str, tuple[str, bool]]:
    """Category name -> (fill colour, hatched), read from the chart's legend or,
    with many categories, from its labelled key column."""
    root = ElementTree.fromstring(svg)
    patterns = {
        p.get("id"): p.find(f".//{SVG}rect").get("fill", "")  # type: ignore[union-attr]
        for p in root.iter(f"{SVG}pattern")
    }
    groups = {g.get("id", "").rsplit("-", 1)[-1]: g for g in root.iter(f"{SVG}g")}
    box = groups.get("legend_1") or groups["axes_2"]
    fills: list[tuple[str, bool]] = []
    names: list[str] = []
    for g in box.iter(f"{SVG}g"):
        gid = g.get("id", "")
        if "patch" in gid:
            style = g.find(f"{SVG}path").get("style", "")  # type: ignore[union-attr]
            fill = re.search(r"fill: ([^;]+)", style)
            if fill and fill.group(1).startswith("url(#"):
                fills.append((patterns[fill.group(1)[5:-1]], True))
            elif fill and fill.group(1) != "none" and "legend" not in gid:
                fills.append((fill.group(1), False))
        elif "text" in gid:
            line = " ".join((t.text or "").strip(" ") for t in g.iter(f"{SVG}text"))
            names.append(re.sub(r"\s{2}\d+$", "", line))  # the key writes the count after
    if "legend_1" in groups:
        fills = fills[1:] if len(fills) == len(names) + 1 else fills  # the legend's frame
    assert len(fills) == len(names), (fills, names)
    return {n: f for n, f in zip(names, fills, strict=True)}


def _many(source: FiscalYear, count: int, internal: int = 0) -> FiscalYear:
    """``source`` with ``count`` categories of activities (the first most
    frequent), spread over the year; the last ``internal`` only internal."""
    rows = []
    for c in range(count):
        hidden = c >= count - internal
        name = (
            f"Category {c + 1} with a rather long name for a chart label"
            if c % 4 == 3
            else (f"Category {c + 1}")
        )
        for n in range(count - c + 1):
            when = date(2012 + (9 + n % 12 - 1) // 12, (9 + n % 12 - 1) % 12 + 1, 3)
            rows.append(Activity(when, f"Row {c}-{n}", name,
                                 visibility="internal" if hidden else "public"))  # fmt: skip
    return replace(source, activities=tuple(rows))


def _style(source: FiscalYear, language: str = "en") -> ChartStyle:
    return ChartStyle(palette(source.config.theme), "Noto Sans", language, "JPY")


def _charts(source: FiscalYear, edition: str) -> dict[str, ChartAsset]:
    figures = key_figures(year_as_seen_by(source, edition, "en"))
    return draw_charts(figures, [figures], _style(source))


# The palette, for any theme ------------------------------------------------


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: f"{t.primary_color}-{t.accent_color}")
def test_every_two_chart_colours_differ_in_grey(theme: Theme) -> None:
    p = palette(theme)
    colours = [*p.series, p.other]
    assert len(colours) == SERIES_SLOTS + 1 == len(set(colours))
    steps = [abs(lightness(a) - lightness(b)) for a, b in combinations(colours, 2)]
    assert min(steps) >= MIN_GREY_STEP, sorted(steps)[:3]


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: f"{t.primary_color}-{t.accent_color}")
@pytest.mark.parametrize("deficiency", sorted(CVD))
def test_every_two_chart_colours_differ_for_colour_blind_readers(
    theme: Theme, deficiency: str
) -> None:
    p = palette(theme)
    seen = [simulate(c, deficiency) for c in (*p.series, p.other)]
    assert min(distance(a, b) for a, b in combinations(seen, 2)) >= MIN_CVD_DISTANCE


def test_the_simulation_confuses_what_it_should() -> None:
    # The check can fail: a red and a green of one lightness, told apart with
    # normal vision, are nearly one colour to a deuteranope.
    red, green = "#c0504d", "#209040"
    assert distance(red, green) > 40
    assert distance(simulate(red, "deuteranopia"), simulate(green, "deuteranopia")) < 3


def test_the_stylesheet_shares_the_chart_palette() -> None:
    p = palette(THEMES[0])
    css = p.css_variables()
    for i, colour in enumerate(p.series, 1):
        assert f"--series-{i}:{colour};" in css
    assert f"--series-other:{p.other};" in css
    assert p.series[0] != p.series[1]


# Which category gets which colour ------------------------------------------


def test_public_categories_come_first_and_ties_keep_file_order() -> None:
    cats = ["B", "A", "Secret", "Secret", "Secret", "A", "B", "C"]
    hidden = [False, False, True, True, True, False, False, False]
    assert category_order(cats, hidden) == ("B", "A", "C", "Secret")
    # The same rows seen by a public edition: the same order, minus the hidden.
    public = [c for c, h in zip(cats, hidden, strict=True) if not h]
    assert category_order(public, [False] * len(public)) == ("B", "A", "C")


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """reports/ with internal rows that reorder the handout's categories (a
    flood of internal Rescue rows) and add a category only internal rows use."""
    target = tmp_path / "reports"
    shutil.copytree(SAMPLE, target)
    path = target / "fy2012" / "data" / "activities.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    extra = []
    for n in range(12):
        row = dict(rows[n % len(rows)], visibility="internal", title=f"Internal {n}")
        row.update(category="Rescue", category_ja="救援", category_ko="구출")
        if n % 3 == 0:
            row.update(category="Board retreat", category_ja="役員合宿", category_ko="이사 수련회")
        extra.append(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows + extra)
    return target / "fy2012"


def test_a_category_has_one_colour_in_every_edition_and_language(sample_copy: Path) -> None:
    loaded = load_year(sample_copy, Diagnostics())
    assert loaded is not None
    translated = {"en": {}, "ja": {}, "ko": {}} | {}
    with (sample_copy / "data" / "activities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for lang in ("ja", "ko"):
                translated[lang][row[f"category_{lang}"]] = row["category"]
    seen: dict[str, set[str]] = {}
    keys = {}
    drawn = {}
    for edition in ("annual-report", "handout", "donor"):
        for language in ("en", "ja", "ko"):
            charts = figures_and_charts(
                year_as_seen_by(loaded, edition, language), [], language
            ).charts
            drawn[(edition, language)] = charts
            month = charts["chart-by-month"]
            for svg in (month.svg, month.narrow):
                key = _key(svg)
                keys[(edition, language)] = key
                for name, (fill, _) in key.items():
                    english = translated.get(language, {}).get(name, name)
                    seen.setdefault(english, set()).add(fill)
    assert {name: len(fills) for name, fills in seen.items()} == dict.fromkeys(seen, 1)
    # The handout puts Rescue first (internal rows) but keeps its public colour,
    # and the category only internal rows use never reaches a public chart.
    handout = key_figures(year_as_seen_by(loaded, "handout", "en"))
    assert handout.by_category[0][0] == "Rescue"
    assert "Board retreat" in keys[("handout", "en")]
    for language in ("en", "ja", "ko"):
        public = " ".join(
            c.svg + c.narrow + c.alt for c in drawn[("annual-report", language)].values()
        )
        assert "Board retreat" not in public and "役員合宿" not in public
        assert "이사 수련회" not in public


@pytest.mark.parametrize("count", [4, 7, 11, 15, 30])
def test_no_colour_repeats_and_long_keys_become_labels(
    year: FiscalYear,  # noqa: F811
    count: int,
) -> None:
    charts = _charts(_many(year, count), "annual-report")
    month = charts["chart-by-month"]
    root = ElementTree.fromstring(month.svg)
    ids = {g.get("id", "").rsplit("-", 1)[-1] for g in root.iter(f"{SVG}g")}
    for svg in (month.svg, month.narrow):
        key = _key(svg)
        fills = [f for f, _ in key.values()]
        assert len(fills) == len(set(fills)), key  # never a colour twice
        assert len(key) == min(count, SERIES_SLOTS + 1)
        greys = [lightness(f) for f in fills]
        assert min(abs(a - b) for a, b in combinations(greys, 2)) >= MIN_GREY_STEP
        hatched = [name for name, (_, h) in key.items() if h]
        if count > SERIES_SLOTS + 1:
            assert hatched == [f"Other ({count - SERIES_SLOTS} categories)"]
        elif count == SERIES_SLOTS + 1:
            # one left over keeps its name, as "Other": hatching means Other
            assert hatched == ["Other: Category 7"]
        else:
            assert hatched == []
    if count > 4:  # a legend of at most four; past that, labels beside a key column
        assert "legend_1" not in ids and "axes_2" in ids
    else:
        assert "legend_1" in ids
    # Stacked segments are divided by white lines.
    segments = [
        p.get("style", "") for p in root.iter(f"{SVG}path") if "fill: #" in p.get("style", "")
    ]
    assert any("stroke: #ffffff" in s for s in segments)
    # The bar chart: one bar per colour, "Other" last.
    bars = charts["chart-by-category"].svg
    labels = [t.text for t in ElementTree.fromstring(bars).iter(f"{SVG}text")]
    if count > SERIES_SLOTS + 1:
        assert f"Other ({count - SERIES_SLOTS} categories)" in labels


def test_a_long_name_is_wrapped_whole_not_run_off(year: FiscalYear) -> None:  # noqa: F811
    month = _charts(_many(year, 11), "annual-report")["chart-by-month"]
    texts = [t.text or "" for t in ElementTree.fromstring(month.svg).iter(f"{SVG}text")]
    names = [re.sub(r"\s{2}\d+$", "", t) for t in texts]  # less the count
    assert not any("…" in n for n in names)
    # "Category 4 with a rather long name for a chart label", broken between words.
    at = names.index("Category 4 with a")
    assert names[at + 1 : at + 3] == ["rather long name for a", "chart label"]
    assert max(len(n) for n in names) <= 22


def test_a_category_keeps_its_colour_in_every_year_and_language() -> None:
    """FY2011 and FY2012 rank Advocacy and Publication differently; each keeps
    one colour in both years, in English and in Japanese (by its own name,
    not its translation)."""
    fy2011 = load_year(SAMPLE / "fy2011", Diagnostics())
    fy2012 = load_year(SAMPLE / "fy2012", Diagnostics())
    assert fy2011 is not None and fy2012 is not None
    colours: dict[str, set[str]] = {}
    ranks = {}
    for language in ("en", "ja"):
        names = {}
        for row in fy2011.activities + fy2012.activities:
            names[dict(row.extra).get(f"category_{language}") or row.category] = row.category
        for current, earlier in ((fy2011, []), (fy2012, [fy2011])):
            seen = year_as_seen_by(current, "annual-report", language)
            before = [year_as_seen_by(y, "annual-report", language) for y in earlier]
            analysis = figures_and_charts(seen, before, language)
            ranks[(current.config.fiscal_year, language)] = analysis.figures.category_order
            for name, (fill, _) in _key(analysis.charts["chart-by-month"].svg).items():
                colours.setdefault(names[name], set()).add(fill)
    assert ranks[("FY2011", "en")] != ranks[("FY2012", "en")]  # what made them swap
    assert len(colours) >= 4
    assert all(len(fills) == 1 for fills in colours.values()), colours
    assert len({f for fills in colours.values() for f in fills}) == len(colours)


def test_a_new_category_takes_the_next_colour_and_moves_none(
    year: FiscalYear,  # noqa: F811
) -> None:
    figures = key_figures(year)

    def year_of(*ids: tuple[str, bool]) -> KeyFigures:
        return replace(figures, category_ids=tuple((c, c, public) for c, public in ids))

    first = year_of(("Event", True), ("Rescue", True), ("Retreat", False))
    second = year_of(("Rescue", True), ("Advocacy", True), ("Event", True))
    assert colour_order([first]) == ("Event", "Rescue", "Retreat")
    # A later year's new public category comes after every earlier public
    # one, and before any category only internal rows use.
    assert colour_order([first, second]) == ("Event", "Rescue", "Advocacy", "Retreat")
    public = [replace(f, category_ids=tuple(i for i in f.category_ids if i[2]))
              for f in (first, second)]  # fmt: skip
    assert colour_order(public) == ("Event", "Rescue", "Advocacy")


def test_korean_and_japanese_charts_say_nothing_in_english(sample_copy: Path) -> None:
    loaded = load_year(sample_copy, Diagnostics())
    previous = load_year(sample_copy.parent / "fy2011", Diagnostics())
    assert loaded is not None and previous is not None
    for language, font in (("ja", "Noto Sans CJK JP"), ("ko", "Noto Sans CJK KR")):
        earlier = [year_as_seen_by(previous, "annual-report", language)]
        seen = year_as_seen_by(loaded, "annual-report", language)
        charts = figures_and_charts(seen, earlier, language).charts
        assert "chart-trend" in charts
        for chart in charts.values():
            root = ElementTree.fromstring(chart.svg)
            for text in root.iter(f"{SVG}text"):
                assert not re.search(r"[A-Za-z]{2,}", text.text or ""), (chart.id, text.text)
                assert font in text.get("style", "")
            assert not re.search(r"FY\d", chart.alt)
        year_names = [
            t.text for t in ElementTree.fromstring(charts["chart-trend"].svg).iter(f"{SVG}text")
        ]
        assert ("2012年度" if language == "ja" else "2012년도") in year_names


# Neighbours ----------------------------------------------------------------


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: f"{t.primary_color}-{t.accent_color}")
def test_neighbours_are_told_apart_or_the_theme_is_warned_of(theme: Theme) -> None:
    """Any two categories may stand side by side in a month's stack: every two
    chart colours are ``NEIGHBOURS_APART`` apart for every reader, or
    ``worst_pair`` names the nearest two (and the build warns: below)."""
    p = palette(theme)
    colours = [*p.series, p.other]
    nearest = min(apart(a, b) for a, b in combinations(colours, 2))
    found = worst_pair(p)
    if found is None:
        assert nearest >= NEIGHBOURS_APART
    else:
        assert found[2] == pytest.approx(nearest) and nearest < NEIGHBOURS_APART
    # The themes of both samples separate them: Publication and Rescue were 10.7 apart.
    if theme in THEMES[:2]:
        assert found is None


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: f"{t.primary_color}-{t.accent_color}")
def test_the_functions_of_spending_take_colours_far_apart(theme: Theme) -> None:
    """A ring makes each function the neighbour of the others: the three are
    steps of lightness of one hue, told apart by every reader (the UK
    sample's two greens were one step of lightness apart)."""
    p = palette(theme)
    program, fundraising, administration, unassigned = function_colours(p)
    assert unassigned == p.other
    ring = (program, fundraising, administration)
    assert min(apart(a, b) for a, b in combinations(ring, 2)) >= 12
    if theme in THEMES[:2]:
        assert min(apart(a, b) for a, b in combinations(ring, 2)) >= 14


def test_a_theme_whose_chart_colours_cannot_be_told_apart_is_warned_of(
    small_set: Path,
) -> None:
    settings = small_set / "organization.toml"
    settings.write_text(
        settings.read_text("utf-8")
        + '\n[theme]\nprimary_color = "#d62728"\naccent_color = "#2ca02c"\n',
        "utf-8",
    )
    found = [d.format() for d in run_check(small_set / "fy2012").diagnostics]
    assert any(
        "report.toml" in d and "accent_color farther from primary_color" in d for d in found
    ), found
    text = settings.read_text("utf-8").replace("#d62728", "#1f3a5f")
    settings.write_text(text.replace("#2ca02c", "#c8553d"), "utf-8")  # the sample's
    found = [d.format() for d in run_check(small_set / "fy2012").diagnostics]
    assert not any("accent_color farther" in d for d in found), found


# One meaning per colour --------------------------------------------------


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: f"{t.primary_color}-{t.accent_color}")
def test_money_and_functions_have_colours_no_category_has(theme: Theme) -> None:
    """Income and expenses are a two-tone pair of their own, the functions of
    spending a family of their own: neither borrows a category's colour (review
    2: coral was Advocacy, Expenses and Fundraising on facing pages)."""
    p = palette(theme)
    categories = {*p.series, p.other}
    income, expenses = money_colours(p)
    *functions, unassigned = function_colours(p)
    assert unassigned == p.other  # what is left over is grey wherever it stands
    families = [categories, {income, expenses}, set(functions)]
    for one, other in combinations(families, 2):
        assert not one & other
        # Not a shade away either: with normal vision at least a clear step apart.
        assert min(distance(a, b) for a in one for b in other) >= 3.5
    # Each family's members differ in grey, so a ring or a pair of bars reads
    # in a greyscale print and for every reader.
    for family in ([income, expenses], functions):
        steps = [abs(lightness(a) - lightness(b)) for a, b in combinations(family, 2)]
        assert min(steps) >= MIN_GREY_STEP
    if theme in THEMES[:2]:  # the samples: far apart, not merely different
        assert min(distance(f, c) for f in functions for c in categories) >= 15
        assert min(distance(m, c) for m in (income, expenses) for c in categories) >= 12


def _fills(svg: str) -> set[str]:
    return set(re.findall(r"fill: ?(#[0-9a-f]{6})", svg))


def test_no_colour_means_two_things_across_a_documents_charts(
    year: FiscalYear,  # noqa: F811
) -> None:
    """Every chart of one document, drawn: a colour that fills a category's
    mark fills nothing that means income, expenses or a function."""
    figures = key_figures(year_as_seen_by(year, "annual-report", "en"))
    before = replace(figures, fiscal_year="FY2011")
    style = _style(year)
    charts = draw_charts(figures, [before, figures], style)
    assert {"chart-by-month", "chart-by-category", "chart-trend", "chart-expenses"} <= set(charts)
    p = style.palette
    plain = {p.paper, p.ink, p.muted, p.rule, "#ffffff", "#000000"}
    meaning = {
        "chart-by-month": "category",
        "chart-by-category": "category",
        "chart-by-target": "count",
        "chart-income": "money",
        "chart-trend": "money",
        "chart-expenses": "function",
    }
    seen: dict[str, set[str]] = {}
    for chart in charts.values():
        for colour in _fills(chart.svg + chart.narrow) - plain:
            seen.setdefault(colour, set()).add(meaning[chart.id])
    assert {c: m for c, m in seen.items() if len(m) > 1} == {}
    # The planted fault is caught: the old trend chart drew in series 1 and 2.
    assert p.series[0] in {c for c, m in seen.items() if "category" in m}
    assert not _fills(charts["chart-trend"].svg) & set(p.series)


def test_the_name_in_the_ring_is_never_cut_inside_a_word(year: FiscalYear) -> None:  # noqa: F811
    """Review 2 fixed "Charitable activities" running over the ring by two
    lines; one word ("Programmes") was then cut "Progr-/ammes". A word too
    wide for the hole leaves it: the key names it beside its share."""
    figures = key_figures(year_as_seen_by(year, "annual-report", "en"))
    svg = draw_charts(figures, [figures], _style(year))["chart-expenses"].svg
    texts = [(t.text or "").strip() for t in ElementTree.fromstring(svg).iter(f"{SVG}text")]
    assert not any(t.endswith("-") for t in texts), texts
    assert any(t.startswith("Programmes") for t in texts)  # the key's entry
    # Two words still break between them and stay in the hole.
    gb = draw_charts(figures, [figures], replace(_style(year), language="en-GB"))
    root = ElementTree.fromstring(gb["chart-expenses"].svg)
    texts = [(t.text or "").strip() for t in root.iter(f"{SVG}text")]
    assert "Charitable" in texts and "activities" in texts, texts
    # The SORP counts no third function: British English names the share
    # for what it is and says under the ring that the accounts allocate it;
    # the other languages' frameworks need no such note.
    assert "Governance and support" in " ".join(" ".join(texts).split()), texts
    (note,) = gb["chart-expenses"].notes
    assert "Charities SORP" in note
    assert not draw_charts(figures, [figures], replace(_style(year), draw=False))[
        "chart-expenses"
    ].notes
