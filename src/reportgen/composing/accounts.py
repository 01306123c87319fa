"""The accounts as the annual report prints them: the balance sheet (with
last year's column when last year's folder is beside this one) and the
statement of funds.

Pure: key figures of this year and last in, ``Table``s of formatted cells
out. Amounts are set as accounts set them: right-aligned, without the
currency sign (the table says it once), a negative amount as the language's
accounts mark it, totals on rows of their own that the template rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from reportgen.composing import formats
from reportgen.composing.key_figures import KeyFigures, has_minor_units
from reportgen.composing.tables import Row, Table
from reportgen.reading.model import BalanceLine, Fund
from reportgen.reading.table_registry import BALANCE_SECTIONS, FUND_TYPES

ZERO = Decimal(0)
NIL = "\u2013"  # a nil amount, as accounts print it
_Money = Callable[[Decimal | None], str]
_SECTION_TOTAL = {"assets": "total_assets", "liabilities": "total_liabilities",
                  "funds": "total_funds"}  # fmt: skip


@dataclass(frozen=True)
class Accounts:
    """What the finance section adds when the year gives accounts."""

    unit: str  # "Amounts in British pounds"
    balance_title: str | None = None  # "Balance sheet at 31 March 2025"
    balance: Table | None = None
    funds: Table | None = None


def carried(made: Accounts | None, parts: tuple[str, ...]) -> Accounts | None:
    """The accounts an edition carries (``Edition.accounts``): the balance
    sheet, the statement of funds, both or none."""
    if made is None:
        return None
    balance = made.balance if "balance" in parts else None
    funds = made.funds if "funds" in parts else None
    if balance is None and funds is None:
        return None
    return replace(made, balance=balance, balance_title=made.balance_title if balance else None,
                   funds=funds)  # fmt: skip


def accounts(
    fig: KeyFigures,
    prev: KeyFigures | None,
    language: str,
    currency: str,
    dates: tuple[str, str, str],
) -> Accounts | None:
    """The balance sheet and the statement of funds, when the year has them;
    ``dates``: the year's last day as the language writes it, and its first
    and last as its tables do."""
    if not fig.balance and not fig.funds:
        return None
    amounts = [line.amount for line in fig.balance]
    amounts += [a for f in fig.funds for a in (f.opening, f.income, f.expenditure,
                                              f.transfers, f.closing) if a is not None]  # fmt: skip
    if prev is not None:
        amounts += [line.amount for line in prev.balance]
    minor = any(has_minor_units(a) for a in amounts)

    def money(value: Decimal | None) -> str:
        """An amount; nil (or none, where last year had no such line) as a dash."""
        return NIL if not value else formats.format_accounts(value, language, minor)

    unit = formats.label(language, "amounts_in", currency=formats.currency_word(currency, language))
    balance = _balance(fig, prev if prev is not None and prev.balance else None, language, money)
    return Accounts(
        unit,
        formats.label(
            language,
            "balance_sheet_compared" if prev is not None and prev.balance else "balance_sheet",
            date=dates[0],
        )
        if balance
        else None,
        balance,
        _funds(fig.funds, language, money, dates[1:]) if fig.funds else None,
    )


def _balance(
    fig: KeyFigures, prev: KeyFigures | None, language: str, money: _Money
) -> Table | None:
    """Assets, less liabilities, is net assets; the funds below them total the
    same. A pack with ``total_liabilities_and_funds`` (ja, ko) ends the sheet
    as its accounts do instead: liabilities and funds totalled, equal to the
    assets, and no net assets line."""
    if not fig.balance:
        return None
    L = formats.words(language)
    before = {(line.section, line.item.casefold()): line.amount for line in prev.balance} \
        if prev is not None else {}  # fmt: skip
    rows: list[Row] = []

    def row(label: str, now: Decimal | None, then: Decimal | None, kind: str = "") -> Row:
        cells = (label, money(now)) + ((money(then),) if prev is not None else ())
        return Row(cells, kind=kind)

    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for section in BALANCE_SECTIONS:
        lines = [line for line in fig.balance if line.section == section]
        gone = [line for line in (prev.balance if prev is not None else ())
                if line.section == section and (section, line.item.casefold()) not in
                {(x.section, x.item.casefold()) for x in lines}]  # fmt: skip
        if not lines and not gone:
            totals[section] = (ZERO, ZERO)
            continue
        rows.append(Row((L[f"balance_{section}"],) + ("",) * (1 + (prev is not None)),
                        kind="heading"))  # fmt: skip
        for line in lines:
            rows.append(_line(line, before.get((section, line.item.casefold())), prev, money))
        for line in gone:
            rows.append(row(line.item, None, line.amount))
        now = sum((line.amount for line in lines), ZERO)
        then = sum((line.amount for line in prev.balance if line.section == section), ZERO) \
            if prev is not None else ZERO  # fmt: skip
        totals[section] = (now, then)
        rows.append(row(L[_SECTION_TOTAL[section]], now, then, "subtotal"))
        if section == "liabilities" and not L["total_liabilities_and_funds"]:
            net = totals["assets"][0] - now, totals["assets"][1] - then
            rows.append(row(L["net_assets"], net[0], net[1], "total"))
    if L["total_liabilities_and_funds"]:  # 負債及び正味財産合計: the sheet's two sides agree
        both = [totals["liabilities"][i] + totals["funds"][i] for i in (0, 1)]
        rows.append(row(L["total_liabilities_and_funds"], both[0], both[1], "total"))
    headers = (L["balance_item"], _at_end(fig, language, "balance_column" if prev is None
                                          else "balance_column_current")) + (
        (_at_end(prev, language, "balance_column_previous"),) if prev else ()
    )  # fmt: skip
    return Table(headers, tuple(rows), numeric=tuple(range(1, len(headers))))


def _year(fig: KeyFigures, language: str) -> str:
    """A year's name in ``language`` (2012年度), as every other heading gives it."""
    return formats.named_year(language, fig.fiscal_year, fig.start, fig.end, fig.own_label)


def _at_end(fig: KeyFigures, language: str, key: str = "balance_column") -> str:
    """A balance sheet's column: the pack's ``balance_column`` (beside last
    year's: ``balance_column_current``, ``balance_column_previous``), by the
    year's name (FY2012) or by the day it stands at (2013年8月31日), as the
    language heads it."""
    year = _year(fig, language)
    day = formats.format_date(fig.end, language) if fig.end is not None else year
    return formats.label(language, key, year=year, date=day)


def _line(line: BalanceLine, then: Decimal | None, prev: KeyFigures | None, money: _Money) -> Row:
    cells = (line.item, money(line.amount)) + ((money(then),) if prev is not None else ())
    return Row(cells, line.note, kind="item")


def _funds(funds: tuple[Fund, ...], language: str, money: _Money, dates: tuple[str, str]) -> Table:
    """Each fund: at the start of the year, income, expenditure, transfers, at its end."""
    L = formats.words(language)
    columns = ("opening", "income", "expenditure", "transfers", "closing")
    shown = [c for c in columns if c != "transfers" or any(f.transfers for f in funds)]
    rows = []
    for fund in funds:
        kind = fund.type if fund.type in FUND_TYPES else None
        note = " · ".join(filter(None, (L[f"fund_type_{kind}"] if kind else fund.type,
                                        fund.note)))  # fmt: skip
        rows.append(Row((fund.fund, *(money(getattr(fund, c)) for c in shown)), note or None,
                        kind="item"))  # fmt: skip
    footer = (L["total"], *(money(sum((getattr(f, c) or ZERO for f in funds), ZERO))
                            for c in shown))  # fmt: skip
    when = {"opening": dates[0], "closing": dates[1]}
    return Table(
        (L["fund"], *(formats.label(language, f"fund_{c}", date=when.get(c, "")) for c in shown)),
        tuple(rows),
        numeric=tuple(range(1, len(shown) + 1)),
        footer=footer,
    )
