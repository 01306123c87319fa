"""The accounts of a year: the balance sheet balances, each fund's closing
balance follows from its opening, income, expenditure and transfers, and
this year's opening balances are last year's closing ones.

Pure apart from the diagnostics it appends. ``check_year`` runs inside
validation (what one year's folder decides alone: the balance sheet, the
transfers, a fund's income and expenditure against the finances rows of the
fund); ``carried_forward`` needs last year (read first by ``commands.build``),
since an empty opening balance is last year's closing one. Every problem is
located at the file and line of the cell concerned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from babel.numbers import get_currency_precision

from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostics, Location
from reportgen.reading.model import BalanceLine, FinanceEntry, FiscalYear, Fund
from reportgen.reading.readers.tables import RawTable

ZERO = Decimal(0)


def _money(amount: Decimal, currency: str) -> str:
    """An amount in a message: GBP 1,234.50, JPY 120,000, GBP -50.00."""
    places = max(2, get_currency_precision(currency)) if currency else 2
    if amount == amount.to_integral_value() and get_currency_precision(currency) == 0:
        places = 0
    return f"{currency} {amount:,.{places}f}"


def _at(fund: Fund, column: str) -> Location:
    """Where a fund's cell was read; its row when the cell was not there."""
    found = dict(fund.where)
    return found.get(column) or found.get("") or Location(Path("data", "funds.csv"))


def fund_key(name: str | None) -> str:
    """Funds are matched by name without regard to case or surrounding spaces."""
    return (name or "").strip().casefold()


def balance_totals(lines: Sequence[BalanceLine]) -> dict[str, Decimal]:
    totals = {"assets": ZERO, "liabilities": ZERO, "funds": ZERO}
    for line in lines:
        totals[line.section] += line.amount
    return totals


def check_year(
    funds: tuple[Fund, ...],
    balance: tuple[BalanceLine, ...],
    finances: tuple[FinanceEntry, ...],
    tables: dict[str, RawTable],
    currency: str,
    diags: Diagnostics,
) -> tuple[Fund, ...]:
    """What one year decides alone; the funds with income and expenditure
    filled from the finances rows of each fund."""
    if balance and "balance" in tables:
        _balances(balance, tables["balance"], currency, diags)
    if not funds:
        return funds
    by_fund: dict[str, dict[str, Decimal]] = {}
    for entry in finances:
        if entry.fund:
            sums = by_fund.setdefault(fund_key(entry.fund), {"income": ZERO, "expense": ZERO})
            sums[entry.kind] += entry.amount
    named = {fund_key(f.fund) for f in funds}
    _unknown_funds(tables.get("finances"), named, diags)
    filled = []
    for fund in funds:
        found = by_fund.get(fund_key(fund.fund))
        changes: dict[str, Decimal] = {}
        for column, kind in (("income", "income"), ("expenditure", "expense")):
            given: Decimal | None = getattr(fund, column)
            if found is None:
                changes[column] = given if given is not None else ZERO
            elif given is None:
                changes[column] = found[kind]
            else:
                changes[column] = given
                if given != found[kind]:
                    diags.error(_at(fund, column), M.FUND_SUM_DIFFERS(
                        column=column, fund=fund.fund, given=_money(given, currency),
                        found=_money(found[kind], currency)))  # fmt: skip
        filled.append(replace(fund, income=changes["income"],
                              expenditure=changes["expenditure"]))  # fmt: skip
    _transfers(filled, currency, diags)
    return tuple(filled)


def _balances(
    lines: tuple[BalanceLine, ...], table: RawTable, currency: str, diags: Diagnostics
) -> None:
    """Assets less liabilities equal the funds."""
    totals = balance_totals(lines)
    net = totals["assets"] - totals["liabilities"]
    if net == totals["funds"]:
        return
    where = next((dict(line.where).get("") for line in lines if line.section == "funds"), None)
    diags.error(where or table.header_location, M.BALANCE_SHEET_UNBALANCED(
        assets=_money(totals["assets"], currency),
        liabilities=_money(totals["liabilities"], currency),
        net=_money(net, currency), funds=_money(totals["funds"], currency),
        difference=_money(net - totals["funds"], currency)))  # fmt: skip


def _unknown_funds(table: RawTable | None, named: set[str], diags: Diagnostics) -> None:
    """A finances row naming a fund that the funds table lacks."""
    for row in table.rows if table is not None else ():
        cell = row.cells.get("fund")
        name = str(cell.value).strip() if cell is not None and cell.value is not None else ""
        if cell is not None and name and fund_key(name) not in named:
            diags.error(cell.location, M.FUND_NOT_LISTED(name=name))


def _transfers(funds: list[Fund], currency: str, diags: Diagnostics) -> None:
    """A transfer moves money between funds: the transfers net to zero."""
    total = sum((f.transfers or ZERO for f in funds), ZERO)
    if total == ZERO:
        return
    last = next(f for f in reversed(funds) if f.transfers)
    diags.error(_at(last, "transfers"), M.TRANSFERS_NOT_ZERO(total=_money(total, currency)))


# Last year's folder is beside this one but has errors of its own.
UNREADABLE = "unreadable"


def carried_forward(
    year: FiscalYear, previous: FiscalYear | str | None, diags: Diagnostics
) -> FiscalYear:
    """The year with every fund's opening and closing balance filled and
    checked: an empty opening is last year's closing (0 for a fund new this
    year), a given one must be it; a given closing must follow from the rest."""
    currency = year.config.currency
    if previous is UNREADABLE:
        return _without_last_year(year, diags)
    assert not isinstance(previous, str)
    before = (
        {fund_key(f.fund): f for f in previous.funds}
        if previous is not None and "funds" in previous.tables
        else None
    )
    resolved = []
    for fund in year.funds:
        last = before.get(fund_key(fund.fund)) if before is not None else None
        carried = last.closing if last is not None and last.closing is not None else ZERO
        opening = fund.opening
        if opening is None:
            opening = carried
        elif before is not None and opening != carried:
            said = (M.YEARS_CLOSING(label=previous.config.fiscal_year) if previous
                    else M.LAST_YEARS())  # fmt: skip
            diags.error(_at(fund, "opening"), M.FUND_OPENING_DIFFERS(
                fund=fund.fund, opening=_money(opening, currency), said=said,
                carried=_money(carried, currency)))  # fmt: skip
        computed = opening + fund.movements
        closing = fund.closing
        if closing is None:
            closing = computed
        elif closing != computed:
            diags.error(_at(fund, "closing"), M.FUND_CLOSING_DIFFERS(
                fund=fund.fund, closing=_money(closing, currency),
                opening=_money(opening, currency),
                income=_money(fund.income or ZERO, currency),
                expenditure=_money(fund.expenditure or ZERO, currency),
                transfers=_money(fund.transfers or ZERO, currency),
                computed=_money(computed, currency),
                difference=_money(closing - computed, currency)))  # fmt: skip
        resolved.append(replace(fund, opening=opening, closing=closing, where=()))
    if before is not None and year.funds:
        here = {fund_key(f.fund) for f in year.funds}
        for key, last in before.items():
            if key not in here and last.closing:
                diags.error(_at(year.funds[0], ""), M.FUND_GONE(
                    fund=last.fund, closing=_money(last.closing, currency)))  # fmt: skip
    _funds_in_balance(year.balance, resolved, currency, diags)
    balance = tuple(replace(line, where=()) for line in year.balance)
    return replace(year, funds=tuple(resolved), balance=balance)


def _without_last_year(year: FiscalYear, diags: Diagnostics) -> FiscalYear:
    """Last year's folder has errors: an opening balance it would give is unknown."""
    for fund in year.funds:
        if fund.opening is None:
            diags.error(_at(fund, "opening"), M.FUND_OPENING_UNKNOWN(fund=fund.fund))
    return year


def _funds_in_balance(
    lines: tuple[BalanceLine, ...], funds: list[Fund], currency: str, diags: Diagnostics
) -> None:
    """The balance sheet's funds are the funds' closing balances."""
    if not lines or not funds:
        return
    on_sheet = balance_totals(lines)["funds"]
    closing = sum((f.closing or ZERO for f in funds), ZERO)
    if on_sheet == closing:
        return
    where = next((dict(line.where).get("") for line in lines if line.section == "funds"), None)
    diags.error(where or Location(Path("data", "balance.csv")), M.BALANCE_FUNDS_DIFFER(
        on_sheet=_money(on_sheet, currency), closing=_money(closing, currency),
        difference=_money(on_sheet - closing, currency)))  # fmt: skip
