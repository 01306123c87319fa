"""The one object templates see: every value formatted for one edition and
language, every chart drawn.

Pure: the selected year, its key figures (and the previous years' for
comparison) and the charts in; a frozen ``RenderContext`` out. Templates only
place what is here; they compute nothing and format nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unicodedata import east_asian_width

from babel.numbers import get_currency_name
from markupsafe import escape

from reportgen.composing import formats
from reportgen.composing.accounts import NIL, Accounts, accounts, carried
from reportgen.composing.charts import ChartAsset
from reportgen.composing.key_figures import KeyFigures
from reportgen.composing.palette import Palette
from reportgen.composing.tables import (
    Row,
    Table,
    in_case_of,
    note_adds,
    says_something,
    short_words,
)
from reportgen.core.editions import EDITIONS
from reportgen.core.languages import column_heading, fill, written_in
from reportgen.reading.model import (
    INTERNAL,
    FiscalYear,
    Indicator,
    NarrativeSection,
    Organization,
    Record,
    ReportConfig,
    Signatory,
)
from reportgen.reading.narrative_html import ROLES, role_for
from reportgen.reading.table_registry import declared_spec, specs

if TYPE_CHECKING:
    from reportgen.reading.table_registry import TableSpec

# Groups of people with a heading of their own in every language; any other
# group is headed as written. ``trustees`` and the like are the same group.
GROUP_WORDS = ("board", "trustee", "officer", "staff", "advisor", "volunteer")
GROUP_ORDER = ("board", "trustee", "officer", "advisor", "staff", "volunteer")


@dataclass(frozen=True)
class Stat:
    """One key figure: ``value`` big, ``label`` under it, change against last year."""

    value: str
    label: str
    change: str | None = None
    direction: str | None = None  # "up", "down" or "flat"
    note: str | None = None  # a short line under the figure (an indicator's note)
    progress: str | None = None  # "83% of the target of 15,000"
    unit: str | None = None  # a word after the value, set smaller ("parcels")
    text: bool = False  # the value is words, not a number: a milestone
    name: str = ""  # the built-in figure it is ("activities"), "" for an indicator


@dataclass(frozen=True)
class TocEntry:
    id: str
    title: str


@dataclass(frozen=True)
class TableSection:
    """A table listed as a section of its own, built-in or declared
    (``[tables.<name>]``), made from its ``TableSpec`` by ``list_section``."""

    id: str
    title: str
    table: Table
    name: str = ""  # the table's name
    declared: bool = True  # a declared table's section, placed after the finances
    intro: str | None = None  # a sentence above the list
    chart: str | None = None  # the id of a chart shown above the list
    css: str = "declared"  # the list's class
    key: str | None = None  # the chart whose key print sets beside the intro (TableSpec.key)


@dataclass(frozen=True)
class RenderContext:
    edition: str
    language: str
    labels: Mapping[str, str]
    title: str
    fiscal_year: str
    period: str
    published: str
    published_iso: str
    organization: Organization
    logo_uri: str | None
    signatory: Signatory | None
    palette: Palette
    page_size: str
    font: str
    toc: tuple[TocEntry, ...]
    narrative: tuple[NarrativeSection, ...]
    stats: tuple[Stat, ...]
    charts: Mapping[str, ChartAsset]
    intros: Mapping[str, str]
    activities: Table | None
    coalitions: Table | None
    lobbying: Table | None
    income: Table | None
    expenses: Table | None
    people: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    previous: str | None = None
    document_title: str = ""  # the edition's own title: cover, metadata, running foot
    comparison: Table | None = None  # this year against the previous one
    # A first year's own money (no previous year beside it): income,
    # expenses and the result in one column, from the figures the comparison uses.
    year_money: Table | None = None
    # The key figures a fitted handout shows (``fitted_stats``).
    fitted_stats: tuple[Stat, ...] = ()
    summaries: tuple[tuple[str, str], ...] = ()  # narrative title, front matter's summary (HTML)
    # What only members read (internal narrative, or editions: [handout]),
    # whole: the handout's members' notes.
    members_notes: tuple[tuple[str, str], ...] = ()
    neighbours: tuple[tuple[str, str, str], ...] = ()  # ("prev"/"next", label, href)
    extra: Mapping[str, str] = field(default_factory=dict)
    funds: Table | None = None  # income and expenditure by fund
    sections: tuple[TableSection, ...] = ()  # declared tables this edition shows
    cover: CoverPicture | None = None  # the cover's photograph
    # The report's own wording of a part, by role (narrative.ROLES): donor-letter,
    # how-to-give, back-cover; absent roles keep the built-in wording.
    roles: Mapping[str, NarrativeSection] = field(default_factory=dict)
    title_size: str = ""  # "", "m", "l" or "xl": the cover title's type size, by its length
    # Members' editions: which internal rows their figures count that the
    # public report leaves out ("including 4 internal activities ...").
    internal_note: str | None = None
    # The edition as it follows a personal donor letter: without its own
    # general letter, which the personal one replaces.
    after_letter: bool = False
    # The year has a story (a section placed ``lead``): the donor edition's
    # ask speaks of "stories like this one" only then (``donor_ask_work``).
    story: bool = False
    # No story, and the section the donor edition opens with instead (the
    # first) is a letter its own signatory signs: the edition's thank-you,
    # a second letter from the same person, is left out (review r36c, 4).
    lead_letter: bool = False
    # The small print (``place: end``) closing the flow, after the money,
    # instead of on the back cover: the letter's edition, a section shorter,
    # where that fills a page it leaves part empty (edition_render).
    closing_in_flow: bool = False
    # The donor edition's money set larger, its two charts one above the
    # other (donor.html.j2): after a letter always, otherwise where the money
    # opens a page of its own and then still fits it (edition_render.donor_pdf).
    money_stacked: bool = False
    # The donor edition's ask beside its story, as a box (donor.html.j2),
    # not after the money as a reply strip: where the strip leaves a page
    # near-empty (edition_render.donor_pdf).
    ask_beside_story: bool = False
    # The copy-fitted handout with every chart, not the first two: where the
    # fitted sheet has room for them on no more pages (review r36c, 9: a
    # first year's two sides 40 % and 60 % empty; edition_render.print_pdf).
    fit_every_chart: bool = False
    # The signatory's printed signature, in the language's order (formats.signature_lines).
    signature: tuple[str, ...] = ()
    # What the year's gifts did (the ``outcomes`` setting, in this language):
    # the donor edition's thank-you names it, as the letters do.
    outcomes: str = ""
    # For a print shop (``print_marks``): the print page's stylesheet ends with
    # 3 mm of bleed and crop marks (base.html.j2).
    print_marks: bool = False
    # The balance sheet and the statement of funds, when the year gives them.
    accounts: Accounts | None = None
    # Who signs, in order, in this language (``signatories``, else the one
    # ``signatory``): the message, the letters and the receipts sign with them.
    signatories: tuple[Signatory, ...] = ()
    # Their printed signatures (formats.signature_blocks): lines said once
    # above, one block per signatory, lines said once below.
    signatures: tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...]] = ((), (), ())
    # ``[print] bleed``: 3 mm of bleed, into which the cover's colour and
    # pictures reach (print.css.j2's ``.print-bleed``).
    bleed: bool = False
    # The edition's one section-break policy (``Edition.section_breaks``):
    # the body's class ``breaks-page`` or ``breaks-run-on``.
    section_breaks: str = "run-on"
    # The notes pages of notes.html.j2 ([print] pad_to_multiple_of).
    notes_pages: int = 0
    # Whether they open with the page of the ways to give (Edition.giving_page).
    giving_page: bool = False
    # The cover's activity marks said for what they are ("19 activities in
    # the year"), where its headline figure is another (review r36, design 4:
    # "6,842 Food parcels given" over 19 marks read as 19 parcels); "" where
    # the headline is the activity count.
    marks_caption: str = ""

    def grid_columns(self, count: int) -> int:
        """The columns of a grid of ``count`` key figures (``grid_columns``)."""
        return grid_columns(count)

    @property
    def cover_figures(self) -> tuple[Stat, ...]:
        """The key figures the cover sets (``cover_figures``)."""
        return cover_figures(self.stats)

    def say(self, key: str, **values: object) -> str:
        """A word of ``labels`` with its placeholders and grammar filled in,
        for templates: ``ctx.say("compared_with", previous=ctx.previous)``."""
        return fill(self.labels[key], values)


@dataclass(frozen=True)
class CoverPicture:
    """The cover's photograph: ``url`` relative to the year folder (the gate
    serves it), its alt text and credit line."""

    url: str
    alt: str
    credit: str | None = None


def _cover(year: FiscalYear) -> CoverPicture | None:
    cover = year.config.cover
    if cover is None:
        return None
    url = Path(os.path.relpath(cover.path, year.config.root.resolve())).as_posix()
    return CoverPicture(url, cover.alt, cover.credit)


# Where a cover title steps down a size, in measured length (a full-width
# CJK character counts two): 26 fits two lines at the largest size.
TITLE_SIZES = ((26, ""), (50, "m"), (90, "l"))


def title_size(title: str) -> str:
    """The cover type size of ``title`` (see TITLE_SIZES); "xl" past the last."""
    length = sum(2 if east_asian_width(c) in "WF" else 1 for c in title)
    return next((size for limit, size in TITLE_SIZES if length <= limit), "xl")


def internal_note(year: FiscalYear, edition: str, language: str) -> str | None:
    """Why a members' edition's counts exceed the public report's: the
    internal rows it counts, each number with its noun in agreement."""
    if EDITIONS[edition].public:
        return None
    items = []
    for key, rows in (("internal_activities", year.activities),
                      ("internal_lobbying", year.lobbying)):  # fmt: skip
        count = sum(1 for row in rows if row.visibility == INTERNAL)
        if count:
            number = formats.format_number(count, language)
            items.append(formats.label(language, key, count, count=number))
    if not items:
        return None
    listed = (formats.label(language, "internal_pair", first=items[0], second=items[1])
              if len(items) == 2 else formats.format_list(items, language))  # fmt: skip
    return formats.label(language, "internal_included", items=listed)


def _roles(year: FiscalYear, language: str) -> dict[str, NarrativeSection]:
    found = {role: role_for(year.roles, role, language) for role in ROLES}
    return {role: section for role, section in found.items() if section is not None}


def _change(
    now: float,
    before: float | None,
    language: str,
    previous: str,
    money: bool,
    figure: str | None = None,
) -> tuple[str | None, str | None]:
    """The change against last year as a card says it, in the language's
    order ("+13 vs FY2011", "前年度比 +13件", "전년도 대비 +13건")."""
    text, direction = _difference(now, before, language, money, figure)
    if text is None or direction is None:
        return None, None
    if text == formats.label(language, "new_this_year"):
        return text, direction
    vs = formats.label(language, "vs_previous", previous=previous)
    return formats.label(language, "change_order", change=text, vs=vs), direction


def _difference(
    now: float, before: float | None, language: str, money: bool, figure: str | None = None
) -> tuple[str | None, str | None]:
    """The change alone: "+13" ("+13件" where the language counts a figure
    with a counter), "+26%", "unchanged", "new this year"."""
    if before is None:
        return None, None
    if now == before:
        return formats.label(language, "unchanged"), "flat"
    direction = "up" if now > before else "down"
    if money or before == 0:
        if before == 0:
            return formats.label(language, "new_this_year"), "up"
        pct = (now - before) / before
        return formats.signed(formats.format_percent(abs(pct), language), pct < 0, language), (
            direction
        )
    diff = int(now - before)
    number = formats.format_number(abs(diff), language)
    if figure is not None:
        number = formats.label(language, f"figure_{figure}", abs(diff), count=number)
    return formats.signed(number, diff < 0, language), direction


# How many key figures the annual report's cover sets: the headline and
# two beside it (annual-report.html.j2 takes them from ``cover_figures``).
COVER_FIGURES = 3


def grid_columns(count: int, widest: int = 4) -> int:
    """The columns of a grid of ``count`` key figures (macros.html.j2's
    ``stats``, the class ``cols-N``), or 0 where they fit on one row of the
    stylesheet's ``widest``. Never a tile alone on its last row (review
    r36c, 6: five as 4 + 1): the fewest rows, then the fullest last row, of
    ``widest`` or one column fewer (5 as 3 + 2, 6 as 3 + 3, 9 as 3 + 3 + 3);
    wider only where both leave one alone (13 as 5 + 5 + 3)."""
    if count <= widest:
        return 0
    best = min(
        range(widest - 1, widest + 1),
        key=lambda c: (count % c == 1, -(-count // c), -count % c),
    )
    while count % best == 1:
        best = best + 1 if best >= widest else widest + 1
    return best


def cover_figures(stats: Sequence[Stat]) -> tuple[Stat, ...]:
    """The key figures the annual report's cover sets: the first
    ``COVER_FIGURES`` that are numbers, the headline first."""
    return tuple(s for s in stats if not s.text)[:COVER_FIGURES]


def _marks_caption(stats: Sequence[Stat], activities: int, language: str) -> str:
    """What the cover's marks are (``RenderContext.marks_caption``): the
    activities of the year, unless a figure the cover sets (the first
    ``COVER_FIGURES`` that are numbers, annual-report.html.j2) already counts
    them: "10 activities in the year" over a "10 Activities" figure says it
    twice (review r36c, 7)."""
    on_cover = cover_figures(stats)
    if not on_cover or any(s.name == "activities" for s in on_cover):
        return ""
    count = formats.format_number(activities, language)
    return formats.label(language, "cover_activities", float(activities), count=count)


def _stats(
    fig: KeyFigures,
    prev: KeyFigures | None,
    language: str,
    currency: str,
    chosen: tuple[str, ...] | None = None,
) -> tuple[Stat, ...]:
    """The key figures, in the order ``chosen`` (report.toml's ``key_figures``)
    or, by default, the organisation's indicators then each built-in figure
    that means something for this year (see ``_meaningful``)."""
    names = chosen if chosen is not None else ("indicators", *DEFAULT_FIGURES)
    stats: list[Stat] = []
    built: list[tuple[str, Stat]] = []
    for name in names:
        if name == "indicators":
            stats += [_indicator(i, prev, language, currency) for i in fig.indicators]
        elif chosen is not None or _meaningful(name, fig):
            made = _builtin(name, fig, prev, language, currency)
            if made is not None:
                stats.append(made)
                built.append((name, made))
    return tuple(_in_one_case(stats, built))


# A built-in figure whose label goes on from its figure ("87% / of
# expenditure went on charitable activities"): never capitalised.
_CONTINUES_FIGURE = frozenset({"program_share"})


def _in_one_case(stats: list[Stat], built: list[tuple[str, Stat]]) -> list[Stat]:
    """The grid's labels in one case (review r35, 8: "Food parcels given" beside
    "total income"): where every label the organisation wrote (its indicators)
    starts with a capital, the pack's labels do too, except one that goes on
    from its figure; a grid of the pack's labels alone keeps the pack's case."""
    ours = {id(made) for _, made in built}
    written = [s.label for s in stats if id(s) not in ours]
    if not written or not all(label[:1].isupper() for label in written):
        return stats
    raised = {
        id(made): replace(made, label=made.label[:1].upper() + made.label[1:])
        for name, made in built
        if name not in _CONTINUES_FIGURE and made.label[:1].islower()
    }
    return [raised.get(id(s), s) for s in stats]


# The built-in figures a report shows by default, in order (``net`` only when asked).
DEFAULT_FIGURES = ("activities", "lobbying", "participants", "coalition_orgs",
                   "coalition_countries", "income", "expenses", "program_share")  # fmt: skip
_FIGURE_TABLE = {"activities": "activities", "participants": "activities", "lobbying": "lobbying",
                 "coalition_orgs": "coalitions", "coalition_countries": "coalitions",
                 "income": "finances", "expenses": "finances", "net": "finances",
                 "program_share": "finances"}  # fmt: skip


def _meaningful(name: str, fig: KeyFigures) -> bool:
    """A default figure shows only when its table is there and its value says
    something: no zero counts, no "1 countries" for a one-country network."""
    if fig.present and _FIGURE_TABLE[name] not in fig.present:
        return False
    if name == "coalition_countries":
        return fig.coalition_countries > 1
    if name in ("income", "expenses"):
        return bool(fig.income or fig.expenses)
    if name == "program_share":
        return fig.program_share is not None
    if name == "net":
        return bool(fig.income or fig.expenses)
    attribute = _BUILT_IN[name][0]
    return bool(getattr(fig, attribute) > 0)


# Built-in figure -> (KeyFigures attribute, is money); and its word where it differs.
_BUILT_IN = {"activities": ("activities", False), "participants": ("participants", False),
             "lobbying": ("lobbying", False), "coalition_orgs": ("coalition_organizations", False),
             "coalition_countries": ("coalition_countries", False), "income": ("income", True),
             "expenses": ("expenses", True), "net": ("net", True)}  # fmt: skip
_LABEL = {"activities": "activities_count", "lobbying": "lobbying_count"}


def _coalition_orgs_word(fig: KeyFigures, prev: KeyFigures | None, plain: str) -> str:
    """The word for ``coalition_organizations``: the member count of the
    largest coalition once either year has more than one (``coalition_orgs_largest``),
    else ``plain`` (the card's ``coalition_orgs``, the comparison's ``row_coalition_orgs``)."""
    many = fig.coalitions > 1 or (prev is not None and prev.coalitions > 1)
    return "coalition_orgs_largest" if many else plain


def _builtin(
    name: str, fig: KeyFigures, prev: KeyFigures | None, language: str, currency: str
) -> Stat | None:
    p = prev
    if name == "program_share":
        return _share_stat(fig, p, language)
    attribute, money = _BUILT_IN[name]
    label_key = (
        _coalition_orgs_word(fig, None, name)
        if name == "coalition_orgs"
        else (_LABEL.get(name, name))
    )
    value: int | Decimal = getattr(fig, attribute)
    before: int | Decimal | None = getattr(p, attribute) if p else None
    text = (
        formats.format_compact_money(Decimal(value), currency, language)
        if money
        else formats.label(language, f"figure_{name}", float(value),
                           count=formats.format_number(value, language))
    )  # fmt: skip
    change, direction = _change(
        float(value), None if before is None else float(before), language,
        _year_of(p, language), money, None if money else name,
    )  # fmt: skip
    label = formats.label(language, label_key, float(value))
    return Stat(text, label, change, direction, name=name)


def _share_stat(fig: KeyFigures, p: KeyFigures | None, language: str) -> Stat | None:
    share = fig.program_share
    if share is None:
        return None
    before = p.program_share if p else None
    change = None
    direction = None
    if before is not None:
        points = round((share - before) * 100)
        vs = formats.label(language, "vs_previous", previous=_year_of(p, language))
        amount = formats.label(language, "points", abs(points),
                               points=formats.format_number(abs(points), language))  # fmt: skip
        signed = formats.signed(amount, points < 0, language)
        if points:  # 4%p 상승 in Korean, +4 points in English
            number = formats.format_number(abs(points), language)
            key = "points_rise" if points > 0 else "points_fall"
            signed = formats.label(language, key, abs(points), change=signed, points=number)
        change = formats.label(language, "change_order", vs=vs, change=signed)
        direction = "up" if points > 0 else "down" if points < 0 else "flat"
    return Stat(
        formats.format_percent(share, language), formats.label(language, "program_share"), change,
        direction,
    )  # fmt: skip


def _is_currency(unit: str | None) -> bool:
    if unit is None or not re.fullmatch(r"[A-Z]{3}", unit):
        return False
    return get_currency_name(unit, locale="en") != unit


def _indicator_value(value: Decimal, unit: str | None, language: str, currency: str) -> str:
    if _is_currency(unit):
        minor = value != value.to_integral_value()
        return formats.format_amount(value, unit or currency, language, minor)
    number = formats.format_number(value, language)
    if not unit:
        return number
    if unit in ("%", "％"):
        return f"{number}{unit}"
    return formats.label(language, "number_unit", number=number, unit=unit)


def _indicator(item: Indicator, prev: KeyFigures | None, language: str, currency: str) -> Stat:
    """One of the organisation's own figures; ``previous`` when empty comes from
    last year's row of the same name. A text value (a milestone) is set as
    written: no arithmetic, no change against last year."""
    if isinstance(item.value, str):
        return Stat(item.value, item.name, note=item.note, text=True)
    before = item.previous
    if before is None and prev is not None:
        before = next((i.value for i in prev.indicators
                       if i.name == item.name and not isinstance(i.value, str)), None)  # fmt: skip
    money = _is_currency(item.unit)
    change, direction = _change(
        float(item.value), None if before is None else float(before), language,
        _year_of(prev, language) if prev else formats.label(language, "previous_year"), money,
    )  # fmt: skip
    progress = None
    if item.target:
        progress = formats.label(
            language, "of_target",
            percent=formats.format_percent(float(item.value / item.target), language),
            target=_indicator_value(item.target, item.unit, language, currency),
        )  # fmt: skip
    worded = item.unit and not _is_currency(item.unit) and item.unit not in ("%", "％")
    value = (
        formats.format_number(item.value, language)
        if worded
        else _indicator_value(item.value, item.unit, language, currency)
    )
    shown_unit = item.unit if worded and not label_says_unit(item.name, item.unit) else None
    return Stat(value, item.name, change, direction, item.note, progress, shown_unit)


def _word_stem(word: str) -> str:
    word = word.casefold()
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def label_says_unit(label: str, unit: str | None) -> bool:
    """Whether an indicator's name already says its unit ("Food parcels
    given", parcels; "Volunteer hours", hours; "Tonnes of food donated",
    tonnes): the tile then prints no unit line, which would repeat it
    (review r34: "6,842 / parcels / Food parcels given"). Words are compared
    whole, singular or plural; a language written without spaces (人 in
    支援した人数) is never matched inside a word."""
    if not unit:
        return False
    said = {_word_stem(w) for w in re.findall(r"\w+", label)}
    wanted = [_word_stem(w) for w in re.findall(r"\w+", unit)]
    return bool(wanted) and all(w in said for w in wanted)


def _year_of(fig: KeyFigures | None, language: str) -> str:
    """A year's name in ``language`` (2011年度), from its key figures."""
    if fig is None:
        return ""
    return formats.named_year(language, fig.fiscal_year, fig.start, fig.end, fig.own_label)


def _short_date(value: date, language: str) -> str:
    """Dates in tables, as the language pack says: Sep 10, 2012 / 2012年9月10日."""
    return formats.format_date(value, language, "table")


def _d(value: date, language: str) -> str:
    return formats.format_date(value, language, "long")


def _bounded(
    rows: list[tuple[date, str, Row]], limit: int, language: str, what: str, attachment: str
) -> tuple[tuple[Row, ...] | None, str | None]:
    """The most recent rows of each group, when a table is longer than ``limit``.

    ``rows``: (date, group, row), in date order. Every group keeps at least
    one row; the rest of the room goes to the most recent rows of each."""
    if not limit or len(rows) <= limit:
        return None, None
    groups: dict[str, list[int]] = {}
    for index, (_, group, _row) in enumerate(rows):
        groups.setdefault(group, []).append(index)
    share = max(1, limit // len(groups))
    keep = sorted(i for members in groups.values() for i in members[-share:])
    note = formats.label(
        language, "table_bounded", shown=formats.format_number(len(keep), language),
        total=formats.format_number(len(rows), language),
        what=what,
        file=attachment,
    )  # fmt: skip
    return tuple(rows[i][2] for i in keep), note


def _tables(
    year: FiscalYear,
    fig: KeyFigures,
    language: str,
    currency: str,
    prev: KeyFigures | None = None,
    statement: bool = False,
) -> dict[str, Table | None]:
    """The finance tables; with ``prev`` (last year's folder is beside this
    one and has finances), last year's amounts in a column beside this year's.
    ``statement``: set as the accounts' statement of activities, under the
    accounts' unit line: bare amounts, the statement's own words (経常収益,
    経常収益計, ...: the pack's ``statement_*``) and its result line
    (当期正味財産増減額) under the expenses."""

    def L(key: str) -> str:
        return formats.label(language, key)

    minor = fig.minor_units or (prev is not None and prev.minor_units)

    def money(amount: Decimal) -> str:
        if statement:  # the accounts' unit line says the unit
            return formats.format_accounts(amount, language, bool(minor))
        return formats.format_table_amount(amount, currency, language, minor)

    unit = None if statement else formats.table_unit(currency, language)
    income_word, expense_word = (
        (L("statement_income"), L("statement_expenses"))
        if statement
        else (L("kind_income"), L("kind_expense"))
    )
    kind = "item" if statement else ""  # a statement's lines, indented under its halves

    def amounts(
        rows: tuple[tuple[str, Decimal], ...],
        total: Decimal,
        label: str,
        before: tuple[tuple[str, Decimal], ...] | None,
        total_before: Decimal,
        total_word: str,
    ) -> Table | None:
        if not rows:
            return None

        def share(amount: Decimal) -> str:
            return formats.format_percent(float(amount / total) if total else 0, language)

        if before is None:
            return Table(
                (label, L("amount"), L("share")),
                tuple(Row((c, money(a), share(a)), kind=kind) for c, a in rows),
                numeric=(1, 2),
                footer=(total_word, money(total),
                        formats.format_percent(1 if total else 0, language)),
                unit=unit,
            )  # fmt: skip
        then = dict(before)
        gone = [(c, a) for c, a in before if c not in dict(rows)]
        return Table(
            (label, _year_of(fig, language), _year_of(prev, language), L("share")),
            tuple(Row((c, money(a), money(then[c]) if c in then else NIL, share(a)), kind=kind)
                  for c, a in rows)
            + tuple(Row((c, NIL, money(a), ""), kind=kind) for c, a in gone),
            numeric=(1, 2, 3),
            footer=(total_word, money(total), money(total_before),
                    formats.format_percent(1 if total else 0, language)),
            unit=unit,
        )  # fmt: skip

    compare = prev is not None and bool(prev.income or prev.expenses)
    expenses = amounts(fig.expenses_by_category, fig.expenses, expense_word,
                       prev.expenses_by_category if compare and prev else None,
                       prev.expenses if prev else Decimal(0),
                       L("statement_expenses_total") if statement else L("total"))  # fmt: skip
    expenses = _by_function(expenses, fig, prev if compare else None, money, language)
    if statement and expenses is not None:  # income less expenses: the year's result
        result: tuple[str, ...] = (L("statement_result"), money(fig.income - fig.expenses))
        if compare and prev is not None:
            result += (money(prev.income - prev.expenses),)
        expenses = replace(expenses, result=(*result, ""))
    return {
        "income": amounts(fig.income_by_category, fig.income, income_word,
                          prev.income_by_category if compare and prev else None,
                          prev.income if prev else Decimal(0),
                          L("statement_income_total") if statement else L("total")),
        "expenses": expenses,
        "funds": _funds(fig, money, L, language, currency, prev),
    }  # fmt: skip


@dataclass(frozen=True)
class FunctionGroup:
    """One function's part of the expenses: its total, last year's (None:
    none), and its lines as (line, this year, last year), None where absent."""

    function: str
    total: Decimal
    before: Decimal | None
    lines: tuple[tuple[str, Decimal | None, Decimal | None], ...]


def by_function(fig: KeyFigures, prev: KeyFigures | None) -> tuple[FunctionGroup, ...]:
    """The expense lines grouped under their function (programme,
    fundraising, administration), as a statement of activities sets them
    (a Japanese 活動計算書: 事業費 / 管理費 with a subtotal each): each
    function with its total, last year's (or None), and its lines, largest
    first, each with this year's and last year's amount (None: no such line).
    () when grouping says nothing: a single function, or some expense without
    one (its line would have no group)."""
    functions = [f for f, _ in fig.expenses_by_function]
    if len(functions) < 2 or "unassigned" in functions:
        return ()
    then_lines = {(f, line): a for f, line, a in prev.expense_lines} if prev else {}
    then_totals = dict(prev.expenses_by_function) if prev else {}
    groups: list[FunctionGroup] = []
    for function, total in fig.expenses_by_function:
        now = [(line, a) for f, line, a in fig.expense_lines if f == function]
        named = {line for line, _ in now}
        gone = [
            (line, a) for (f, line), a in then_lines.items() if f == function and line not in named
        ]
        lines: tuple[tuple[str, Decimal | None, Decimal | None], ...] = tuple(
            (line, a, then_lines.get((function, line))) for line, a in now
        )
        lines += tuple((line, None, a) for line, a in gone)
        groups.append(FunctionGroup(function, total, then_totals.get(function), lines))
    return tuple(groups)


def _by_function(
    table: Table | None,
    fig: KeyFigures,
    prev: KeyFigures | None,
    money: Callable[[Decimal], str],
    language: str,
) -> Table | None:
    """The expenses table with its rows grouped by function (``by_function``):
    a heading row for each function, its lines indented, and a subtotal, a
    function of one line too (review r35 F-1: its line's name set as a stray
    caption under the total); one row only where its line is named as it is;
    the table as it is when there is nothing to group."""
    groups = by_function(fig, prev)
    if table is None or not groups:
        return table

    def share(amount: Decimal) -> str:
        return formats.format_percent(float(amount / fig.expenses) if fig.expenses else 0, language)

    def amounts(now: Decimal | None, then: Decimal | None, part: str = "") -> tuple[str, ...]:
        cells: tuple[str, ...] = (money(now) if now is not None else NIL,)
        if prev is not None:
            cells += (money(then) if then is not None else NIL,)
        return (*cells, part or (share(now) if now is not None else ""))

    # A function's share as the chart of the split gives it (whole percents
    # adding up to 100), so that table and chart say the same.
    parts = dict(zip([f for f, _ in fig.expenses_by_function], fig.function_shares, strict=True))
    rows: list[Row] = []
    for group in groups:
        name = formats.label(language, f"function_{group.function}")
        part = formats.format_percent(parts[group.function], language)
        if len(group.lines) == 1 and group.lines[0][0] == name:  # the line is the function
            rows.append(Row((name, *amounts(group.total, group.before, part)), kind="subtotal"))
            continue
        rows.append(Row((name, *("" for _ in table.headers[1:])), kind="heading"))
        alone = part if len(group.lines) == 1 else ""  # the group's share, not a rounding apart
        rows += [Row((line, *amounts(now, then, alone)), kind="item")
                 for line, now, then in group.lines]  # fmt: skip
        subtotal = formats.label(language, "function_total", function=name)
        rows.append(Row((subtotal, *amounts(group.total, group.before, part)), kind="subtotal"))
    return replace(table, rows=tuple(rows))


def _funds(
    fig: KeyFigures,
    money: Callable[[Decimal], str],
    L: Callable[[str], str],
    language: str,
    currency: str,
    prev: KeyFigures | None = None,
) -> Table | None:
    """Income and expenditure by fund, when the finances name funds; with
    ``prev`` naming funds too, last year's amounts beside this year's."""
    if not (fig.income_by_fund or fig.expenses_by_fund):
        return None
    income, expenses = dict(fig.income_by_fund), dict(fig.expenses_by_fund)
    compare = prev is not None and bool(prev.income_by_fund or prev.expenses_by_fund)
    before = (dict(prev.income_by_fund), dict(prev.expenses_by_fund)) if prev and compare \
        else ({}, {})  # fmt: skip
    funds = list(dict.fromkeys([*income, *expenses, *before[0], *before[1]]))

    def name(fund: str) -> str:
        return L("fund_unassigned") if fund == "unassigned" else fund

    def amount(found: dict[str, Decimal], fund: str) -> str:
        return money(found[fund]) if fund in found else NIL

    unit = formats.table_unit(currency, language)
    if not compare or prev is None:
        return Table(
            (L("fund"), L("kind_income"), L("kind_expense")),
            tuple(Row((name(f), amount(income, f), amount(expenses, f))) for f in funds),
            numeric=(1, 2),
            footer=(L("total"), money(fig.income), money(fig.expenses)),
            unit=unit,
        )
    now, then = _year_of(fig, language), _year_of(prev, language)
    return Table(
        (L("fund"), f"{L('kind_income')} {now}", f"{L('kind_income')} {then}",
         f"{L('kind_expense')} {now}", f"{L('kind_expense')} {then}"),
        tuple(Row((name(f), amount(income, f), amount(before[0], f), amount(expenses, f),
                   amount(before[1], f))) for f in funds),
        numeric=(1, 2, 3, 4),
        footer=(L("total"), money(fig.income), money(prev.income), money(fig.expenses),
                money(prev.expenses)),
        unit=unit,
    )  # fmt: skip


def _sections(
    year: FiscalYear, edition: str, language: str, intros: Mapping[str, str]
) -> tuple[TableSection, ...]:
    """Every table this edition lists, in the registry's order (built-in ones,
    then declared ones), each from its spec."""
    out = []
    for name, spec in specs(year.config).items():
        rows = year.rows(name)
        if edition not in spec.editions or not rows or spec.audience != "visibility":
            continue
        if spec.declared:  # its columns, when not declared, are its file's
            declared = next(d for d in year.config.declared_tables if d.name == name)
            spec = declared_spec(declared, tuple(k for k, _ in rows[0].values))
        section = list_section(spec, rows, language, year.config.pdf_table_rows, intros.get(name))
        if name in intros and _said_in_a_sentence(spec, rows):
            section = replace(section, chart=None)  # the intro gives every bar already
        out.append(section)
    return tuple(out)


# The intro of a grouped list names each group with its count ("Diet members
# (6), embassies (6) and ministries (4)"); up to this many groups, a chart of
# the same counts would repeat the sentence, and is left out.
SENTENCE_GROUPS = 5


def _said_in_a_sentence(spec: TableSpec, rows: Sequence[object]) -> bool:
    """Whether the section's chart counts what its intro says already: the
    chart counts the list's groups and there are few enough of them."""
    if spec.group is None or spec.chart is None or spec.declared:
        return False
    return len({_value(r, spec.group) for r in rows}) <= SENTENCE_GROUPS


def _value(row: object, column: str | None) -> object:
    """A cell of a typed row: a model dataclass's field, or a ``Record``'s value."""
    if column is None:
        return None
    return row.get(column) if isinstance(row, Record) else getattr(row, column, None)


def _cell(value: object, language: str) -> str:
    if isinstance(value, date):
        return _short_date(value, language)
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return formats.format_number(value, language)
    return "" if value is None else str(value)


def _section_title(spec: TableSpec, language: str) -> str:
    """A declared title (in ``language`` where given), else the language's
    word for the table's name, else the name as written."""
    if spec.title is not None:
        return _title_of(spec.title, spec.titles, language)
    return formats.words(language).get(spec.name) or spec.name.replace("_", " ").capitalize()


def _heading(spec: TableSpec, column: str, language: str) -> str:
    key = dict(spec.headings).get(column, column)
    if spec.declared or key not in formats.words(language):
        return column_heading(language, column)
    return formats.label(language, key)


def list_section(
    spec: TableSpec, rows: tuple[Any, ...], language: str, limit: int, intro: str | None = None
) -> TableSection:
    """A table's rows listed as its spec says (columns, headings, order, the
    note under a cell, numbers totalled), bounded in print past ``limit``."""
    columns = spec.shown or tuple(c.name for c in spec.columns if c.name != "visibility")
    types = {c.name: c.type for c in spec.columns}
    noted, under = spec.row_note or (None, None)
    # Columns that tell the reader nothing are left out (tables.says_something);
    # the first column, which names the row, the one a note sits under and a
    # totalled one (its total says something) stay.
    columns = tuple(
        c for i, c in enumerate(columns)
        if i == 0 or c == under or c in spec.numbers or says_something(
            [_value(r, c) for r in rows], types.get(c) in ("int", "decimal"))
    )  # fmt: skip
    ordered = sorted(
        rows, key=lambda r: tuple(_sort_key(_value(r, c)) for c in spec.order)
    ) if spec.order else list(rows)  # fmt: skip
    body = [
        (_dated(_value(r, spec.in_year)), str(_value(r, spec.group) or ""),
         Row(tuple(_cell(_value(r, c), language) for c in columns),
             note_adds(_text(_value(r, noted)), _text(_value(r, under)))))
        for r in ordered
    ]  # fmt: skip
    whole = tuple(
        i for i, c in enumerate(columns)
        if i > 0 and c != under and types.get(c) not in ("int", "decimal", "date")
        and short_words([r.cells[i] for _, _, r in body])
    )  # fmt: skip
    body = _terms_in_case(body, whole)
    title = _section_title(spec, language)
    footer = None
    if spec.numbers:
        totals = {c: sum((_number(_value(r, c)) for r in rows), Decimal(0)) for c in spec.numbers}
        footer = tuple(
            formats.format_number(totals[c], language) if c in totals
            else (formats.label(language, "total") if i == 0 else "")
            for i, c in enumerate(columns)
        )  # fmt: skip
    printed, note = _bounded(body, limit, language, title, f"{spec.name}.csv")
    table = Table(
        tuple(_heading(spec, c, language) for c in columns),
        tuple(r for _, _, r in body),
        numeric=tuple(i for i, c in enumerate(columns) if types.get(c) in ("int", "decimal")),
        note_column=columns.index(under) if under in columns else -1,
        footer=footer, print_rows=printed, print_note=note,
        dates=tuple(i for i, c in enumerate(columns) if types.get(c) == "date"),
        whole=whole,
    )  # fmt: skip
    return TableSection(
        f"t-{spec.name}" if spec.declared else spec.name, title, table, spec.name,
        spec.declared, intro, spec.chart, "declared" if spec.declared else spec.name,
        spec.key,
    )  # fmt: skip


def _terms_in_case(
    body: list[tuple[date, str, Row]], whole: tuple[int, ...]
) -> list[tuple[date, str, Row]]:
    """Each column of short terms (``whole``) in the case of the names in the
    first column (``tables.in_case_of``)."""
    names = [r.cells[0] for _, _, r in body]
    columns = {i: in_case_of(names, [r.cells[i] for _, _, r in body]) for i in whole}
    return [
        (when, group, replace(r, cells=tuple(
            columns[i][n] if i in columns else cell for i, cell in enumerate(r.cells))))
        for n, (when, group, r) in enumerate(body)
    ]  # fmt: skip


def _dated(value: object) -> date:
    return value if isinstance(value, date) else date.min


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _number(value: object) -> Decimal:
    return Decimal(value) if isinstance(value, Decimal | int) else Decimal(0)


def _sort_key(value: object) -> tuple[bool, Any]:
    """Empty cells last; the rest by value."""
    return (value is None, value if value is not None else 0)


def _title_of(title: str, titles: tuple[tuple[str, str], ...], language: str) -> str:
    return dict(titles).get(language, title)


def _intros(fig: KeyFigures, year: FiscalYear, language: str, currency: str) -> dict[str, str]:
    """A sentence above each list or summary of the year's own tables."""
    out = {}
    if year.activities:
        dates = sorted(a.date for a in year.activities)
        out["activities"] = formats.label(
            language,
            "activities_intro",
            fig.activities,
            count=formats.format_number(fig.activities, language),
            categories=len(fig.by_category),
            first=_d(dates[0], language),
            last=_d(dates[-1], language),
        )
    if year.lobbying:
        types = [
            formats.label(language, "counterpart_count", n, name=t,
                          count=formats.format_number(n, language))
            for t, n in fig.by_target_type
        ]  # fmt: skip
        out["lobbying"] = formats.label(
            language,
            "lobbying_intro",
            fig.lobbying,
            count=formats.format_number(fig.lobbying, language),
            types=formats.format_list(types, language),
        )
    if year.coalitions:
        out["coalitions"] = formats.label(
            language, "coalitions_intro", fig.coalitions, count=fig.coalitions
        )
    if year.finances:
        out["finances"] = formats.label(
            language, "finances_intro",
            income=formats.format_text_amount(fig.income, currency, language, fig.minor_units),
            expenses=formats.format_text_amount(fig.expenses, currency, language, fig.minor_units),
        )  # fmt: skip
    return out


def _group_key(group: str) -> str:
    """ "Trustees" and "trustee" are one group; other text stays as written."""
    word = group.strip().lower()
    for known in GROUP_WORDS:
        if word in (known, f"{known}s"):
            return known
    return group.strip()


def _people(year: FiscalYear, language: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Known groups first, in their usual order, each under its translated
    heading; then the organisation's own groups as written, in order of
    first appearance."""
    found: dict[str, list[tuple[str, str]]] = {}
    for person in year.people:
        found.setdefault(_group_key(person.group), []).append((person.name, person.role))
    order = [g for g in GROUP_ORDER if g in found] + [g for g in found if g not in GROUP_WORDS]
    return tuple(
        (formats.label(language, f"group_{g}") if g in GROUP_WORDS else g, tuple(found[g]))
        for g in order
    )


def _comparison(
    fig: KeyFigures, prev: KeyFigures | None, language: str, currency: str
) -> Table | None:
    if prev is None:
        return None

    def number(value: Decimal) -> str:
        return formats.format_number(int(value), language)

    def money(value: Decimal) -> str:
        return formats.format_amount(value, currency, language, fig.minor_units or prev.minor_units)

    def change(now: float | Decimal, before: float | Decimal, as_money: bool) -> str:
        text, _ = _difference(float(now), float(before), language, as_money)
        return text or ""

    def given(figure: str, year: KeyFigures) -> bool:
        """Whether ``year`` gives the table ``figure`` counts (a year read
        without its list of tables is taken to give them all)."""
        return not year.present or _FIGURE_TABLE[figure] in year.present

    # (figure, row word, last year's value, this year's, is money)
    pairs: list[tuple[str, str, Decimal, Decimal, bool]] = [
        ("activities", "row_activities", Decimal(prev.activities), Decimal(fig.activities), False),
        ("lobbying", "row_lobbying", Decimal(prev.lobbying), Decimal(fig.lobbying), False),
        (
            "participants",
            "row_participants",
            Decimal(prev.participants),
            Decimal(fig.participants),
            False,
        ),
        (
            "coalition_orgs",
            _coalition_orgs_word(fig, prev, "row_coalition_orgs"),
            Decimal(prev.coalition_organizations),
            Decimal(fig.coalition_organizations),
            False,
        ),
        ("income", "income", prev.income, fig.income, True),
        ("expenses", "expenses", prev.expenses, fig.expenses, True),
        ("net", "net", prev.net, fig.net, True),
    ]
    rows = []
    for figure, key, a, b, m in pairs:
        had, has = given(figure, prev), given(figure, fig)
        if not (had and has) or (a == 0 and b == 0):
            # A row that compares nothing: a year without the table (not 0,
            # not "new": review r34's "— 48 —"), or zero in both.
            continue
        show = money if m else number
        before, now = show(a), show(b)
        if figure == "net" and a != b:  # a balance can change sign: the difference
            delta = formats.signed(money(abs(b - a)), b < a, language)
        else:
            delta = change(b, a, m)
        rows.append((key, now, before, delta))
    # This year first, as the statement and the balance sheet set it (review
    # r35 F-15: one house order in every document).
    return Table(
        ("", _year_of(fig, language), _year_of(prev, language), formats.label(language, "change")),
        tuple(Row((formats.label(language, key).capitalize(), a, b, c)) for key, a, b, c in rows),
        numeric=(1, 2, 3),
    )


def _year_money(
    fig: KeyFigures, prev: KeyFigures | None, language: str, currency: str
) -> Table | None:
    """The year's own money where there is no previous year to compare it
    with (review r36c, 1: a first year's handout showed none): total income,
    total expenses and the surplus (deficit), in the comparison's words."""
    if prev is not None or not _meaningful("income", fig):
        return None
    rows = tuple(
        Row(
            (
                formats.label(language, key).capitalize(),
                formats.format_amount(value, currency, language, fig.minor_units),
            )
        )
        for key, value in (("income", fig.income), ("expenses", fig.expenses), ("net", fig.net))
    )
    return Table(("", _year_of(fig, language)), rows, numeric=(1,))


# A fitted handout's key figures: as many as this, income and expenses kept together.
FITTED_FIGURES = 4
_PAIRED = ("income", "expenses")


def fitted_stats(stats: Sequence[Stat], count: int = FITTED_FIGURES) -> tuple[Stat, ...]:
    """The first ``count`` key figures, except that income never shows without
    expenses nor expenses without income (review r36c, 9: a deficit year's
    handout showed what came in but not what went out): the missing one of
    the pair takes the place of the last figure that is not in the pair. The
    year's result (``net``) beside either says enough."""
    shown = list(stats[:count])
    names = {s.name for s in shown}
    for name in _PAIRED:
        partner = next((s for s in stats if s.name == name), None)
        if partner is None or name in names or "net" in names or not names & set(_PAIRED):
            continue
        drop = next((s for s in reversed(shown) if s.name not in _PAIRED), None)
        if drop is None:
            continue
        shown.remove(drop)
        shown.append(partner)
        names = {s.name for s in shown}
    order = {id(s): i for i, s in enumerate(stats)}
    return tuple(sorted(shown, key=lambda s: order[id(s)]))


def _flat(
    signatures: tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...]],
) -> tuple[str, ...]:
    """Every signature's lines one after another (``signature``, for themes
    written before ``signatures``)."""
    head, blocks, tail = signatures
    return (*head, *(line for block in blocks for line in block), *tail)


def _lead_letter(narrative: Sequence[NarrativeSection], signers: Sequence[Signatory]) -> bool:
    """Whether the donor edition, without a story, opens with a letter one of
    its signatories signs (``RenderContext.lead_letter``): the first section
    not placed ``end`` names them (spaces aside: 加藤 博, 加藤　博)."""
    if any(s.place == "lead" for s in narrative):
        return False
    first = next((s for s in narrative if s.place != "end"), None)
    if first is None:
        return False
    text = re.sub(r"\s+", "", re.sub(r"<[^>]*>", "", first.html))
    return any(n and n in text for n in (re.sub(r"\s+", "", s.name) for s in signers))


def _summaries(year: FiscalYear) -> tuple[tuple[str, str], ...]:
    """(title, summary HTML) of each narrative section whose front matter gives
    a ``summary``: the director's own words, escaped; a section without one
    has no summary (never its first paragraph cut off)."""
    return tuple(
        (section.title, f"<p>{escape(section.summary)}</p>")
        for section in year.narrative
        if section.summary
    )


def titled_year(language: str, config: ReportConfig) -> str:
    """The report's title, saying which year it reports on: as written when it
    names the fiscal year (its label, "FY2012", or the language's name for
    it, "2012年度"), else with that name added in the language's order
    ("Annual Report FY2030"), as the short editions' titles have it. A title
    written in another language's script, with no ``title_<tag>``, gives way
    to the pack's ("2012년도 연차 보고서", not "Annual Report FY2012")."""
    year = formats.year_name(language, config)
    given = any(key == "title" and tag == str(language) for key, tag, _ in config.translations)
    if not given and not written_in(config.title, language):  # the pack's words
        own = formats.label(language, "report_title")
        return formats.label(language, "edition_title", title=own, fiscal_year=year)
    if config.fiscal_year in config.title or year in config.title:
        return config.title
    return formats.label(language, "edition_title", title=config.title, fiscal_year=year)


def edition_title(language: str, edition: str, config: ReportConfig) -> str:
    """A short edition's title with the year as its language names it and in
    its order: "Report to Our Donors FY2012", "2012年度　ご寄付者への報告"."""
    year = formats.year_name(language, config)
    title = formats.label(language, f"title_{edition}")
    return formats.label(language, "edition_title", title=title, fiscal_year=year)


def build_context(
    year: FiscalYear,
    edition: str,
    language: str,
    figures: KeyFigures,
    previous: KeyFigures | None,
    charts: Mapping[str, ChartAsset],
    palette: Palette,
    logo_uri: str | None,
    neighbours: tuple[tuple[str, str, str], ...] = (),
) -> RenderContext:
    config = year.config
    language = formats.language(config, language)  # the tag, with the report's [labels.<tag>]
    tables = _tables(year, figures, language, config.currency, previous)
    intros = _intros(figures, year, language, config.currency)
    sections = _sections(year, edition, language, intros)
    listed = {s.name: s.table for s in sections if not s.declared}
    # Contents in the order of the page: narrative, figures, the built-in
    # lists, the finances, the declared lists, the people.
    # A narrative placed at the end ("About this report") closes the book as
    # its imprint, unnumbered and out of the contents (annual-report.html.j2).
    toc = [TocEntry(f"s-{s.slug}", s.title) for s in year.narrative if s.place != "end"]
    toc.append(TocEntry("key-figures", formats.label(language, "key_figures")))
    toc += [TocEntry(s.id, s.title) for s in sections if not s.declared]
    if tables["income"] or tables["expenses"]:
        toc.append(TocEntry("finances", formats.label(language, "finances")))
    made_accounts = accounts(figures, previous, language, config.currency, (
        _d(config.end, language), _short_date(config.start, language),
        _short_date(config.end, language),
    ))  # fmt: skip
    made_accounts = carried(made_accounts, EDITIONS[edition].accounts)
    if (
        made_accounts is not None
        and made_accounts.balance
        and (tables["income"] or tables["expenses"])
    ):  # the tables are the accounts' statement (annual-report.html.j2: statement)
        tables = _tables(year, figures, language, config.currency, previous, statement=True)
    if made_accounts is not None and config.accounts_note:  # of every figure: on the unit line
        unit = f"{made_accounts.unit}{formats.label(language, 'separator')}{config.accounts_note}"
        made_accounts = replace(made_accounts, unit=unit)
    if made_accounts is not None:
        toc.append(TocEntry("accounts", formats.label(language, "accounts")))
    toc += [TocEntry(s.id, s.title) for s in sections if s.declared]
    if year.people:
        toc.append(TocEntry("people", formats.label(language, "people")))
    published = config.published or config.end
    title = titled_year(language, config)
    signers = tuple(s.in_language(language) for s in config.signers)
    signatures = formats.signature_blocks(language, config.organization.name, signers)
    # An edition that declares no title of its own is headed by the report's.
    document_title = (
        title if EDITIONS[edition].title is None else edition_title(language, edition, config)
    )
    stats = _stats(figures, previous, language, config.currency, config.key_figures)
    return RenderContext(
        edition=edition,
        language=str(language),
        labels=formats.words(language),
        title=title,
        fiscal_year=formats.year_name(language, config),
        period=formats.label(
            language,
            "fiscal_year_period",
            start=_d(config.start, language),
            end=_d(config.end, language),
        ),
        published=formats.label(language, "published", date=_d(published, language)),
        published_iso=published.isoformat(),
        organization=config.organization,
        logo_uri=logo_uri,
        signatory=signers[0] if signers else None,
        palette=palette,
        page_size=config.theme.page_size,
        font=config.theme.font,
        toc=tuple(toc),
        narrative=year.narrative,
        stats=stats,
        marks_caption=_marks_caption(stats, figures.activities, language),
        charts=charts,
        intros=intros,
        activities=listed.get("activities"),
        coalitions=listed.get("coalitions"),
        lobbying=listed.get("lobbying"),
        income=tables["income"],
        expenses=tables["expenses"],
        people=_people(year, language),
        previous=_year_of(previous, language) if previous else None,
        document_title=document_title,
        comparison=_comparison(figures, previous, language, config.currency),
        year_money=_year_money(figures, previous, language, config.currency),
        fitted_stats=fitted_stats(stats),
        summaries=_summaries(year),
        members_notes=tuple(
            (s.title, s.html)
            for s in year.narrative
            if s.visibility == INTERNAL or tuple(s.editions) == ("handout",)
        ),
        neighbours=neighbours,
        funds=tables["funds"],
        sections=sections,
        cover=_cover(year),
        roles=_roles(year, language),
        signature=_flat(signatures),
        outcomes=config.outcomes or "",
        signatories=signers,
        signatures=signatures,
        story=any(s.place == "lead" for s in year.narrative),
        lead_letter=_lead_letter(year.narrative, signers),
        accounts=made_accounts,
        title_size=title_size(document_title),
        internal_note=internal_note(year, edition, language),
        print_marks=config.print_marks,
        bleed=config.printing.bleed or config.print_marks,  # marks come with bleed
        section_breaks=EDITIONS[edition].section_breaks,
    )
