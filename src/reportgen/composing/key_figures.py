"""Key figures of a (selected) year, computed with pandas.

Pure: a ``FiscalYear`` already restricted to one audience in, a frozen
``KeyFigures`` of plain values out: counts by category, month and target,
coalition reach, income and expenses by category and function. Comparing two
years is a matter of comparing two ``KeyFigures``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from reportgen.reading.model import INTERNAL, BalanceLine, FiscalYear, Fund, Indicator

if TYPE_CHECKING:
    import pandas as pd

Counts = tuple[tuple[str, int], ...]
Amounts = tuple[tuple[str, Decimal], ...]
FUNCTIONS = ("program", "fundraising", "administration")


@dataclass(frozen=True)
class KeyFigures:
    fiscal_year: str
    activities: int
    participants: int
    by_category: Counts
    by_month: tuple[tuple[date, int], ...]  # first day of each fiscal month
    by_month_category: tuple[tuple[date, str, int], ...]
    coalitions: int
    coalition_organizations: int
    coalition_countries: int
    lobbying: int
    by_target_type: Counts
    income: Decimal
    expenses: Decimal
    income_by_category: Amounts
    expenses_by_category: Amounts
    expenses_by_function: Amounts  # program / fundraising / administration / unassigned
    indicators: tuple[Indicator, ...] = ()  # the organisation's own figures, in file order
    income_by_fund: Amounts = ()  # when finances has a fund column
    expenses_by_fund: Amounts = ()
    present: tuple[str, ...] = ()  # the tables the year provides
    # Activity categories in the order that gives each its chart colour: see
    # ``category_order``.
    category_order: tuple[str, ...] = ()
    # Each of ``category_order`` as (shown name, canonical id, public): the id,
    # the same in every language, is what binds a category's colour
    # (``charts.colour_order``); public is False for a category only internal rows use.
    category_ids: tuple[tuple[str, str, bool], ...] = ()
    # The expense lines behind each function's share: (function, line, amount),
    # functions in ``expenses_by_function``'s order, largest line first.
    expense_lines: tuple[tuple[str, str, Decimal], ...] = ()
    minor_units: bool = False  # some finance amount has pence or cents
    balance: tuple[BalanceLine, ...] = ()  # the balance sheet at the year's end, as given
    funds: tuple[Fund, ...] = ()  # each fund's movements, balances carried forward
    # The year's dates, and whether its label is the report's own word for
    # this language (``fiscal_year_<tag>``): what names it (formats.named_year).
    start: date | None = None
    end: date | None = None
    own_label: bool = False

    @property
    def net(self) -> Decimal:
        return self.income - self.expenses

    @property
    def function_shares(self) -> tuple[float, ...]:
        """Each function's share of the expenses (``expenses_by_function``'s
        order), in whole percents that add up to 100 (``whole_percents``)."""
        return whole_percents([a for _, a in self.expenses_by_function])

    @property
    def program_share(self) -> float | None:
        """Programme spending as a share of all expenses, 0..1, in whole
        percents as the chart of the split shows it; ``None`` when it cannot
        be known: no expenses, or some expense without a function (validation
        warns), which would make it look smaller than it is."""
        by_function = dict(self.expenses_by_function)
        if not self.expenses or "unassigned" in by_function:
            return None
        if "program" not in by_function:
            return 0.0
        functions = [f for f, _ in self.expenses_by_function]
        return self.function_shares[functions.index("program")]


def whole_percents(amounts: Sequence[Decimal]) -> tuple[float, ...]:
    """Shares of ``amounts`` (0..1) rounded to whole percents that add up to
    100, by the largest remainder method (Hare): each share's whole percents
    rounded down, then the points left over given one each to the shares
    with the largest remainders (ties: the larger amount, then the first).
    A share that rounds to 0 though its amount is not keeps its exact value,
    which ``formats.format_percent`` writes as "less than 1%"."""
    total = sum(amounts, Decimal(0))
    if total <= 0:
        return tuple(0.0 for _ in amounts)
    exact = [a * 100 / total for a in amounts]
    whole = [int(e) for e in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - whole[i]), -amounts[i], i))
    for i in order[: 100 - sum(whole)]:
        whole[i] += 1
    return tuple(
        float(a / total) if w == 0 and a > 0 else w / 100
        for w, a in zip(whole, amounts, strict=True)
    )


def _frame(rows: tuple[Any, ...], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame([{c: getattr(r, c) for c in columns} for r in rows], columns=columns)


def _counts(series: pd.Series) -> Counts:
    counts = series.value_counts()
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return tuple((str(k), int(v)) for k, v in ordered)


def _amounts(frame: pd.DataFrame, key: str) -> Amounts:
    if frame.empty:
        return ()
    sums = frame.groupby(key, sort=False)["amount"].agg(lambda s: sum(s, Decimal(0)))
    ordered = sorted(sums.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return tuple((str(k), Decimal(v)) for k, v in ordered)


def category_order(categories: Sequence[str], internal: Sequence[bool]) -> tuple[str, ...]:
    """Every category of the year's activities (given in file order) in the
    order that assigns chart colours: the public ones first, most frequent
    first (ties: the first seen in the file), then those only internal rows
    use. Public colours so depend on public rows only: an edition that also
    shows internal rows (the handout) colours every public category as the
    public report does, and a public edition, which never sees internal rows,
    cannot learn anything from its colours. File order, not the name, breaks
    ties, so that every language agrees."""

    def ranked(names: list[str]) -> list[str]:
        counts = Counter(names)  # keys in order of first appearance
        position = {name: i for i, name in enumerate(counts)}
        return sorted(counts, key=lambda name: (-counts[name], position[name]))

    public = ranked([c for c, hidden in zip(categories, internal, strict=True) if not hidden])
    rest = [c for c in ranked(list(categories)) if c not in public]
    return (*public, *rest)


def fiscal_months(start: date, end: date) -> list[date]:
    months, current = [], date(start.year, start.month, 1)
    while current <= end:
        months.append(current)
        year, month = divmod(current.month, 12)
        current = date(current.year + year, month + 1, 1)
    return months


def key_figures(year: FiscalYear) -> KeyFigures:
    config = year.config
    acts = _frame(year.activities, ["date", "category", "participants", "visibility"])
    months = fiscal_months(config.start, config.end)
    if acts.empty:
        by_month = tuple((m, 0) for m in months)
        by_month_category: tuple[tuple[date, str, int], ...] = ()
    else:
        acts["month"] = [date(d.year, d.month, 1) for d in acts["date"]]
        per_month = acts.groupby("month").size()
        by_month = tuple((m, int(per_month.get(m, 0))) for m in months)
        grouped = acts.groupby(["month", "category"]).size()
        by_month_category = tuple((m, str(c), int(n)) for (m, c), n in sorted(grouped.items()))
    coal = _frame(year.coalitions, ["member_organizations", "countries"])
    lob = _frame(year.lobbying, ["target_type"])
    fin = _frame(year.finances, ["kind", "category", "amount", "function", "fund"])
    income = fin[fin["kind"] == "income"] if not fin.empty else fin
    expense = fin[fin["kind"] == "expense"].copy() if not fin.empty else fin
    if not expense.empty:
        expense["function"] = expense["function"].fillna("unassigned")
    order = category_order(
        [str(c) for c in acts["category"]], [v == INTERNAL for v in acts["visibility"]]
    )
    return KeyFigures(
        fiscal_year=config.fiscal_year,
        start=config.start,
        end=config.end,
        own_label=any(
            key == "fiscal_year" and text == config.fiscal_year
            for key, _, text in config.translations
        ),
        activities=len(acts),
        participants=int(acts["participants"].fillna(0).sum()) if not acts.empty else 0,
        by_category=_counts(acts["category"]) if not acts.empty else (),
        by_month=by_month,
        by_month_category=by_month_category,
        coalitions=len(coal),
        # Networks overlap: their sizes do not add up. The largest network's size.
        coalition_organizations=int(coal["member_organizations"].fillna(0).max())
        if not coal.empty
        else 0,
        coalition_countries=int(coal["countries"].fillna(0).max()) if not coal.empty else 0,
        lobbying=len(lob),
        by_target_type=_counts(lob["target_type"]) if not lob.empty else (),
        income=sum(income["amount"], Decimal(0)) if not income.empty else Decimal(0),
        expenses=sum(expense["amount"], Decimal(0)) if not expense.empty else Decimal(0),
        income_by_category=_amounts(income, "category"),
        expenses_by_category=_amounts(expense, "category"),
        expenses_by_function=_function_split(expense),
        indicators=year.indicators,
        income_by_fund=_funds(income),
        expenses_by_fund=_funds(expense),
        present=tuple(sorted(year.tables)),
        category_order=order,
        category_ids=_category_ids(order, year),
        expense_lines=_expense_lines(expense),
        minor_units=any(has_minor_units(f.amount) for f in year.finances),
        balance=year.balance,
        funds=year.funds,
    )


def _category_ids(order: Sequence[str], year: FiscalYear) -> tuple[tuple[str, str, bool], ...]:
    ids = dict(year.category_ids)
    public = {a.category for a in year.activities if a.visibility != INTERNAL}
    return tuple((name, ids.get(name, name), name in public) for name in order)


def _expense_lines(expense: pd.DataFrame) -> tuple[tuple[str, str, Decimal], ...]:
    if expense.empty:
        return ()
    order = [f for f, _ in _function_split(expense)]
    return tuple(
        (function, line, amount)
        for function in order
        for line, amount in _amounts(expense[expense["function"] == function], "category")
    )


def has_minor_units(amount: Decimal) -> bool:
    """1234.50 has them, 1234 and 1234.00 do not."""
    return amount != amount.to_integral_value()


def _funds(frame: pd.DataFrame) -> Amounts:
    """Amounts by fund, when any row names one (the others: "unassigned")."""
    if frame.empty or frame["fund"].isna().all():
        return ()
    frame = frame.copy()
    frame["fund"] = frame["fund"].fillna("unassigned")
    return _amounts(frame, "fund")


def _function_split(expense: pd.DataFrame) -> Amounts:
    found = dict(_amounts(expense, "function"))
    order = [*FUNCTIONS, "unassigned"]
    return tuple((f, found[f]) for f in order if f in found)
