"""Numbers as a director writes them in the report's locale: ``360,000원``,
``₩9,850,000``, ``$200``, ``1.234,56 €``, ``20,000円``, ``2만 엔``.

A cell of a number column is read by the report's first language's CLDR
locale (Babel): where it writes ``.`` for decimals and ``,`` to group
thousands (en, ja, ko), exactly as version 1 read every number (commas
dropped, ``1.234`` is one and a bit); elsewhere (de, fr, ...) by
``babel.numbers.parse_decimal`` of that locale, strictly, so that in German
``1.234`` is 1234 and ``1,5`` is one and a half (in French ``1 234,56``,
with any space between the thousands), while a number the locale
cannot have grouped so (``1234.56``, ``1.5``) reads as written, as programs
export numbers. A cell that is already a number (a workbook's) is never
re-read.

An amount (a money column) may carry its currency before or after the
number: the report currency's ISO code, its CLDR symbol in the locale or in
English, its narrow sign (₩, ¥) or its unit word (원, 円, a pack's
``[money] units``). A sign or code of another currency is an error naming
it, never a conversion. In a report whose language writes large amounts in
myriads (its pack's ``[money] myriads``: 만, 억, 조; 万, 億, 兆), an
amount may be written in them: ``2만 엔`` is 20,000, ``1억 8,000만 원``
180,000,000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from babel.numbers import (
    NumberFormatError,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    list_currencies,
    parse_decimal,
)

from reportgen.core import languages
from reportgen.core import messages as M

# Narrow signs and unit words CLDR does not give as a currency's symbol in
# English or the report's locale: each with the currencies it may stand for,
# the most likely first (a ``$`` in a report in won is said to be dollars).
NARROW: dict[str, tuple[str, ...]] = {
    "$": ("USD", "AUD", "CAD", "NZD", "HKD", "SGD", "TWD", "MXN"),
    "¥": ("JPY", "CNY"),
    "￥": ("JPY", "CNY"),
    "₩": ("KRW",),
    "￦": ("KRW",),
    "€": ("EUR",),
    "£": ("GBP",),
    "원": ("KRW",),
    "円": ("JPY",),
    "엔": ("JPY",),
    "元": ("CNY",),
    "달러": ("USD",),
    "ドル": ("USD",),
    "유로": ("EUR",),
    "ユーロ": ("EUR",),
}

PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# A cell split into: a sign, marks before, the number, marks after.
_PARTS = re.compile(
    r"\s*(?P<sign>[+\-\u2212]?)\s*(?P<pre>[^\d\s+\-\u2212.,()]*)\s*"
    r"(?P<number>.*?)\s*(?P<post>[^\d\s.,()]*)\s*"
)


@dataclass(frozen=True)
class NumberStyle:
    """How the report writes numbers: its locale, currency and myriad words."""

    locale: str = "en_US"
    currency: str | None = None
    myriads: tuple[tuple[str, int], ...] = ()  # (word, power of ten)

    @property
    def grouped_by_comma(self) -> bool:
        """The locale writes 1,234.5 (en, ja, ko): version 1's reading."""
        return _comma_locale(self.locale)


@cache
def _comma_locale(locale: str) -> bool:
    try:
        return get_decimal_symbol(locale) == "." and get_group_symbol(locale) == ","
    except Exception:  # a locale Babel lacks: read as English (check reports the tag)
        return True


@cache
def number_style(report_languages: tuple[str, ...], currency: str | None) -> NumberStyle:
    """The style of a report in ``report_languages`` (the first sets the
    locale) whose amounts are in ``currency``."""
    first = report_languages[0] if report_languages else languages.DEFAULT
    words: dict[str, int] = {}
    for tag in report_languages:
        for power, word in enumerate(languages.money(tag).myriads, start=1):
            words.setdefault(word, 4 * power)
    return NumberStyle(languages.locale(first), currency, tuple(words.items()))


@cache
def _marks(locale: str) -> dict[str, tuple[str, ...]]:
    """Each sign, symbol or code of a currency, upper-cased, to the currencies
    it may stand for."""
    found: dict[str, list[str]] = {}
    for mark, codes in NARROW.items():
        found.setdefault(mark.upper(), []).extend(codes)
    for code in sorted(list_currencies()):
        found.setdefault(code, []).append(code)
        for where in ("en", locale):
            try:
                symbol = get_currency_symbol(code, where)
            except Exception:
                continue
            if symbol and not symbol[-1:].isdigit():
                found.setdefault(symbol.upper(), []).append(code)
    return {mark: tuple(dict.fromkeys(codes)) for mark, codes in found.items()}


def _unit_words(style: NumberStyle) -> dict[str, str]:
    return _units_of(style.locale)


@cache
def _units_of(locale: str) -> dict[str, str]:
    """The unit word the pack of the report's first language gives a currency."""
    units = dict(languages.money(_tag_of(locale)).units)
    return {word.upper(): code for code, word in units.items()}


def _tag_of(locale: str) -> str:
    return locale.replace("_", "-")


def read_number(
    text: str, style: NumberStyle, *, money: bool = False, signed: bool = False
) -> tuple[Decimal | None, str | None]:
    """``text`` (a cell's stripped text) as a number, else ``(None, why)``;
    ``money``: it may carry the report's currency; ``signed``: ``(1200)`` is
    -1200, as accounts write it."""
    parts = _PARTS.fullmatch(text)
    if parts is None:
        return None, M.NOT_A_NUMBER(value=text)
    body, post = parts["number"], parts["post"]
    for word, _ in style.myriads:  # 2만엔: the myriad belongs to the number
        if post.startswith(word):
            body, post = f"{body}{word}", post[len(word) :]
    marks = [m for m in (parts["pre"], post) if m]
    if marks and not re.search(r"\d", body):
        return None, M.NOT_A_NUMBER(value=text)
    if marks:
        problem = _currency_problem(text, marks, style) if money else M.NOT_A_NUMBER(value=text)
        if problem is not None:
            return None, problem
    else:
        body = text  # nothing around the number: read it whole, as version 1 did
    negative = parts["sign"] in ("-", "\u2212") if marks else False
    if signed and re.fullmatch(r"\(\s*[^()]+\s*\)", body):
        body, negative = body.strip("() "), not negative
    counted, number = _myriads(body, style) if style.myriads else (False, None)
    if not counted:
        number = _plain(body, style)
    if number is None:
        return None, M.NOT_A_NUMBER(value=text)
    return (-number if negative else number), None


def _currency_problem(text: str, marks: list[str], style: NumberStyle) -> str | None:
    if len(marks) > 1:
        return M.AMOUNT_CURRENCY_TWICE(value=text)
    mark = marks[0].upper()
    own = _unit_words(style)
    codes = (own[mark],) if mark in own else _marks(style.locale).get(mark)
    if not codes:
        return M.NOT_A_NUMBER(value=text)
    if style.currency is None:
        return M.AMOUNT_CURRENCY_UNKNOWN(value=text)
    if style.currency in codes:
        return None
    return M.AMOUNT_OTHER_CURRENCY(value=text, other=codes[0], currency=style.currency)


@cache
def _space_group(locale: str) -> str | None:
    """The locale's group symbol when it is a space (fr: U+202F), else None."""
    try:
        group = get_group_symbol(locale)
    except Exception:
        return None
    return group if group.isspace() else None


def _plain(text: str, style: NumberStyle) -> Decimal | None:
    space = None if style.grouped_by_comma else _space_group(style.locale)
    if space is not None:
        text = re.sub(r"\s", space, text)  # 1 234,56 typed with any space
    if style.grouped_by_comma:
        text = text.replace(",", "").replace("_", "")
    elif not PLAIN.fullmatch(text):
        return _finite(text, style.locale)
    elif (grouped := _finite(text, style.locale)) is not None:
        return grouped  # grouped as the locale groups (1.234 in German), else as written
    if not PLAIN.fullmatch(text):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _finite(text: str, locale: str) -> Decimal | None:
    """Babel's strict reading of ``text`` in ``locale``, when it is a finite number."""
    try:
        number = parse_decimal(text, locale, strict=True)
    except (NumberFormatError, ValueError, InvalidOperation):
        return None
    return number if number.is_finite() else None


def _myriads(text: str, style: NumberStyle) -> tuple[bool, Decimal | None]:
    """(whether ``text`` counts in myriads, its value): ``1억 8,000만`` is
    180000000; myriads out of order (``2만 3억``) or a remainder of a myriad
    or more (``1만 20,000``) are not a number."""
    powers = dict(style.myriads)
    words = "".join(powers)
    piece = re.compile(rf"\s*([^\s{words}]+)\s*([{words}])")
    pieces, at = [], 0
    while (found := piece.match(text, at)) is not None:
        pieces.append((found[1], found[2]))
        at = found.end()
    if not pieces:
        return False, None
    rest = text[at:].strip()
    total, last = Decimal(0), 99
    for digits, word in pieces:
        number = _plain(digits, style)
        if number is None or number < 0 or powers[word] >= last:
            return True, None
        total, last = total + number * 10 ** powers[word], powers[word]
    if rest:
        tail = _plain(rest, style)
        if tail is None or tail < 0 or tail >= 10**last:
            return True, None
        total += tail
    return True, total
