"""The one object templates see: every value formatted for one edition and
language, every chart drawn.

Pure: the selected year, its key figures (and the previous years' for
comparison) and the charts in; a frozen ``RenderContext`` out. Templates only
place what is here; they compute nothing and format nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from reportgen import i18n
from reportgen.charts import ChartAsset
from reportgen.figures import KeyFigures
from reportgen.model import FiscalYear, NarrativeSection, Organization, Signatory
from reportgen.theme import Palette

GROUP_ORDER = ("board", "officer", "advisor", "staff")


@dataclass(frozen=True)
class Stat:
    """One key figure: ``value`` big, ``label`` under it, change against last year."""

    value: str
    label: str
    change: str | None = None
    direction: str | None = None  # "up", "down" or "flat"


@dataclass(frozen=True)
class TocEntry:
    id: str
    title: str


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    note: str | None = None  # a second, smaller line under the first cell


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    numeric: tuple[int, ...] = ()  # columns aligned right
    note_column: int = 0  # the cell under which a row's note is printed
    footer: tuple[str, ...] | None = None
    print_rows: tuple[Row, ...] | None = None  # a long table's rows in print; None: all
    print_note: str | None = None  # says what print leaves out, and where it is


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
    summaries: tuple[tuple[str, str], ...] = ()  # narrative title, first paragraph (HTML)
    neighbours: tuple[tuple[str, str, str], ...] = ()  # ("prev"/"next", label, href)
    extra: Mapping[str, str] = field(default_factory=dict)


def _change(
    now: float, before: float | None, language: str, previous: str, money: bool
) -> tuple[str | None, str | None]:
    if before is None:
        return None, None
    vs = i18n.label(language, "vs_previous", previous=previous)
    if now == before:
        return f"{i18n.label(language, 'unchanged')} {vs}", "flat"
    direction = "up" if now > before else "down"
    if money or before == 0:
        if before == 0:
            return f"{i18n.label(language, 'new_this_year')}", "up"
        pct = (now - before) / before
        sign = "+" if pct > 0 else "–"
        return f"{sign}{i18n.format_percent(abs(pct), language)} {vs}", direction
    diff = int(now - before)
    sign = "+" if diff > 0 else "–"
    return f"{sign}{i18n.format_number(abs(diff), language)} {vs}", direction


def _stats(
    fig: KeyFigures, prev: KeyFigures | None, language: str, currency: str
) -> tuple[Stat, ...]:
    def stat(
        value: float | Decimal, before: float | Decimal | None, key: str, money: bool = False
    ) -> Stat:
        text = (
            i18n.format_compact_money(Decimal(value), currency, language)
            if money
            else i18n.format_number(value, language)
        )
        change, direction = _change(
            float(value), None if before is None else float(before), language,
            prev.fiscal_year if prev else "", money,
        )  # fmt: skip
        return Stat(text, i18n.label(language, key), change, direction)

    p = prev
    stats = [
        stat(fig.activities, p.activities if p else None, "activities_count"),
        stat(fig.lobbying, p.lobbying if p else None, "lobbying_count"),
    ]
    if fig.participants:
        stats.append(stat(fig.participants, p.participants if p else None, "participants"))
    if fig.coalitions:
        stats.append(
            stat(
                fig.coalition_organizations,
                p.coalition_organizations if p else None,
                "coalition_orgs",
            )
        )
        stats.append(
            stat(
                fig.coalition_countries, p.coalition_countries if p else None, "coalition_countries"
            )
        )
    if fig.income or fig.expenses:
        stats.append(stat(fig.income, p.income if p else None, "income", money=True))
        stats.append(stat(fig.expenses, p.expenses if p else None, "expenses", money=True))
    share = fig.program_share
    if share is not None:
        before = p.program_share if p else None
        change = None
        direction = None
        if before is not None:
            points = round((share - before) * 100)
            vs = i18n.label(language, "vs_previous", previous=p.fiscal_year if p else "")
            change = f"{'+' if points >= 0 else '–'}{abs(points)} pt {vs}"
            direction = "up" if points > 0 else "down" if points < 0 else "flat"
        stats.append(
            Stat(
                i18n.format_percent(share, language),
                i18n.label(language, "program_share"),
                change,
                direction,
            )
        )
    return tuple(stats)


def _short_date(value: date, language: str) -> str:
    """Dates in tables: Sep 10, 2012 / 2012年9月10日."""
    return i18n.format_date(value, language, "long" if language == "ja" else "medium")


def _d(value: date, language: str) -> str:
    return i18n.format_date(value, language, "long")


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
    note = i18n.label(
        language, "table_bounded", shown=i18n.format_number(len(keep), language),
        total=i18n.format_number(len(rows), language), what=i18n.label(language, what),
        file=attachment,
    )  # fmt: skip
    return tuple(rows[i][2] for i in keep), note


def _dated_table(
    rows: list[tuple[date, str, Row]],
    headers: tuple[str, ...],
    note_column: int,
    limit: int,
    language: str,
    name: str,
) -> Table | None:
    """A table of dated rows (date, group, row), bounded in print past ``limit``."""
    if not rows:
        return None
    printed, note = _bounded(rows, limit, language, name, f"{name}.csv")
    return Table(
        headers,
        tuple(row for _, _, row in rows),
        note_column=note_column,
        print_rows=printed,
        print_note=note,
    )


def _tables(
    year: FiscalYear, fig: KeyFigures, language: str, currency: str
) -> dict[str, Table | None]:
    def L(key: str) -> str:
        return i18n.label(language, key)

    def money(amount: Decimal) -> str:
        return i18n.format_money(amount, currency, language)

    acts = sorted(year.activities, key=lambda a: (a.date, a.title))
    limit = year.config.pdf_table_rows
    activity_rows = [
        (a.date, a.category, Row(
            (_short_date(a.date, language), a.title, a.category, a.location or ""),
            a.description,
        ))
        for a in acts
    ]  # fmt: skip
    activities = _dated_table(
        activity_rows, (L("date"), L("title"), L("category"), L("location")), 1, limit,
        language, "activities",
    )  # fmt: skip
    coalitions = (
        Table(
            (L("name"), L("role"), L("joined"), L("members"), L("countries")),
            tuple(
                Row(
                    (
                        c.name,
                        c.role,
                        _short_date(c.joined, language) if c.joined else "",
                        ""
                        if c.member_organizations is None
                        else i18n.format_number(c.member_organizations, language),
                        "" if c.countries is None else i18n.format_number(c.countries, language),
                    ),
                    c.description,
                )
                for c in year.coalitions
            ),
            numeric=(3, 4),
        )
        if year.coalitions
        else None
    )
    visits = sorted(year.lobbying, key=lambda v: (v.date, v.target))
    visit_rows = [
        (v.date, v.target_type, Row(
            (_short_date(v.date, language), v.target_type, v.target, v.topic or ""),
            v.outcome,
        ))
        for v in visits
    ]  # fmt: skip
    lobbying = _dated_table(
        visit_rows, (L("date"), L("target_type"), L("target"), L("topic")), 2, limit,
        language, "lobbying",
    )  # fmt: skip

    def amounts(rows: tuple[tuple[str, Decimal], ...], total: Decimal, label: str) -> Table | None:
        if not rows:
            return None
        return Table(
            (label, L("amount"), L("share")),
            tuple(
                Row((c, money(a), i18n.format_percent(float(a / total) if total else 0, language)))
                for c, a in rows
            ),
            numeric=(1, 2),
            footer=(L("total"), money(total), i18n.format_percent(1 if total else 0, language)),
        )

    return {
        "activities": activities,
        "coalitions": coalitions,
        "lobbying": lobbying,
        "income": amounts(fig.income_by_category, fig.income, L("kind_income")),
        "expenses": amounts(fig.expenses_by_category, fig.expenses, L("kind_expense")),
    }


def _intros(fig: KeyFigures, year: FiscalYear, language: str, currency: str) -> dict[str, str]:
    from babel.lists import format_list

    loc = "ja_JP" if language == "ja" else "en_US"
    out = {}
    if year.activities:
        dates = sorted(a.date for a in year.activities)
        out["activities"] = i18n.label(
            language,
            "activities_intro",
            count=i18n.format_number(fig.activities, language),
            categories=len(fig.by_category),
            first=_d(dates[0], language),
            last=_d(dates[-1], language),
        )
    if year.lobbying:
        types = [f"{t} ({n})" for t, n in fig.by_target_type]
        out["lobbying"] = i18n.label(
            language,
            "lobbying_intro",
            count=i18n.format_number(fig.lobbying, language),
            types=format_list(types, locale=loc),
        )
    if year.coalitions:
        out["coalitions"] = i18n.label(language, "coalitions_intro", count=fig.coalitions)
    if year.finances:
        out["finances"] = i18n.label(
            language, "finances_intro",
            income=i18n.format_money(fig.income, currency, language),
            expenses=i18n.format_money(fig.expenses, currency, language),
        )  # fmt: skip
    return out


def _people(year: FiscalYear, language: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    groups = []
    for group in GROUP_ORDER:
        members = tuple((p.name, p.role) for p in year.people if p.group == group)
        if members:
            groups.append((i18n.label(language, f"group_{group}"), members))
    return tuple(groups)


def _comparison(
    fig: KeyFigures, prev: KeyFigures | None, language: str, currency: str
) -> Table | None:
    if prev is None:
        return None

    def number(value: Decimal) -> str:
        return i18n.format_number(int(value), language)

    def money(value: Decimal) -> str:
        return i18n.format_money(value, currency, language)

    def change(now: float | Decimal, before: float | Decimal, as_money: bool) -> str:
        text, _ = _change(float(now), float(before), language, prev.fiscal_year, as_money)
        return (
            (text or "")
            .replace(i18n.label(language, "vs_previous", previous=prev.fiscal_year), "")
            .strip()
        )

    pairs: list[tuple[str, Decimal, Decimal, bool]] = [
        ("row_activities", Decimal(prev.activities), Decimal(fig.activities), False),
        ("row_lobbying", Decimal(prev.lobbying), Decimal(fig.lobbying), False),
        ("row_participants", Decimal(prev.participants), Decimal(fig.participants), False),
        (
            "row_coalition_orgs",
            Decimal(prev.coalition_organizations),
            Decimal(fig.coalition_organizations),
            False,
        ),
        ("income", prev.income, fig.income, True),
        ("expenses", prev.expenses, fig.expenses, True),
    ]
    rows = [
        (key, *((money(a), money(b)) if m else (number(a), number(b))), change(b, a, m))
        for key, a, b, m in pairs
    ]
    rows.append(("net", money(prev.net), money(fig.net), ""))
    return Table(
        ("", prev.fiscal_year, fig.fiscal_year, i18n.label(language, "change")),
        tuple(Row((i18n.label(language, key).capitalize(), a, b, c)) for key, a, b, c in rows),
        numeric=(1, 2, 3),
    )


def _summaries(year: FiscalYear) -> tuple[tuple[str, str], ...]:
    """Each narrative section's title and first paragraph (already safe HTML)."""
    out = []
    for section in year.narrative:
        paragraphs = re.findall(r"<p>.*?</p>", section.html, re.S)
        # The first real paragraph: a salutation ("Dear members,") says nothing.
        long = [p for p in paragraphs if len(re.sub(r"<[^>]+>", "", p)) >= 80]
        out.append((section.title, (long or paragraphs or [""])[0]))
    return tuple(out)


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
    tables = _tables(year, figures, language, config.currency)
    toc = [TocEntry(f"s-{s.slug}", s.title) for s in year.narrative]
    toc.append(TocEntry("key-figures", i18n.label(language, "key_figures")))
    for key, present in (
        ("activities", tables["activities"]),
        ("coalitions", tables["coalitions"]),
        ("lobbying", tables["lobbying"]),
        ("finances", tables["income"] or tables["expenses"]),
        ("people", year.people),
    ):
        if present:
            toc.append(TocEntry(key, i18n.label(language, key)))
    published = config.published or config.end
    return RenderContext(
        edition=edition,
        language=language,
        labels=i18n.LABELS[language],
        title=config.title,
        fiscal_year=config.fiscal_year,
        period=i18n.label(
            language,
            "fiscal_year_period",
            start=_d(config.start, language),
            end=_d(config.end, language),
        ),
        published=i18n.label(language, "published", date=_d(published, language)),
        published_iso=published.isoformat(),
        organization=config.organization,
        logo_uri=logo_uri,
        signatory=config.signatory,
        palette=palette,
        page_size=config.theme.page_size,
        font=config.theme.font,
        toc=tuple(toc),
        narrative=year.narrative,
        stats=_stats(figures, previous, language, config.currency),
        charts=charts,
        intros=_intros(figures, year, language, config.currency),
        activities=tables["activities"],
        coalitions=tables["coalitions"],
        lobbying=tables["lobbying"],
        income=tables["income"],
        expenses=tables["expenses"],
        people=_people(year, language),
        previous=previous.fiscal_year if previous else None,
        document_title=(
            config.title
            if edition == "annual-report"
            else f"{i18n.label(language, f'title_{edition}')} {config.fiscal_year}"
        ),
        comparison=_comparison(figures, previous, language, config.currency),
        summaries=_summaries(year),
        neighbours=neighbours,
    )
