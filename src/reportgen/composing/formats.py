"""Words and formats of each report language: headings, labels, dates, money.

The words come from the language packs (``reportgen.core.languages``: data files,
one per tag, plus the report's ``[labels.<tag>]``); dates, numbers and
currency go through Babel (CLDR data) for the whole tag, so ``ja`` gives
2012年9月1日, ``ko`` 2012년 9월 1일 and ``en-GB`` 1 September 2012. No module
branches on a language: what differs between languages is in the packs.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_skeleton, get_date_format
from babel.lists import format_list as babel_list
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    get_currency_name,
    get_currency_precision,
    get_currency_unit_pattern,
)
from babel.numbers import format_percent as babel_percent

from reportgen.core import languages
from reportgen.core.languages import Language, label, words

if TYPE_CHECKING:
    from reportgen.reading.model import Organization, ReportConfig, Signatory

__all__ = [
    "Language",
    "address_line",
    "country_name",
    "currency_word",
    "format_accounts",
    "format_compact_money",
    "format_date",
    "format_gift",
    "format_list",
    "format_money",
    "format_month",
    "format_number",
    "format_percent",
    "format_table_amount",
    "label",
    "language",
    "myriad_amount",
    "named_year",
    "negative",
    "role_word",
    "signature_blocks",
    "signature_lines",
    "signed",
    "table_unit",
    "telephone_line",
    "words",
    "year_name",
]


def language(config: ReportConfig, tag: str) -> Language:
    """``tag`` carrying the report's own ``[labels.<tag>]`` words."""
    own = tuple((key, word) for t, key, word in getattr(config, "labels", ()) if t == str(tag))
    return Language(str(tag), own)


def _loc(language: str) -> str:
    return languages.locale(language)


def _short_month(value: date, language: str) -> str | None:
    """The pack's own abbreviation of the month (``[format] months_short``), else None."""
    names = (languages.fmt(language, "months_short") or "").split()
    return names[value.month - 1] if len(names) == 12 else None


def format_date(value: date, language: str, style: str = "long") -> str:
    """A date; ``style`` ``long`` (cover, letters) or ``table`` (tables) as the
    pack says for the exact tag, else CLDR's style of that name. A pack's
    ``months_short`` names the abbreviated month (MMM): en-GB's "Sep", not
    CLDR's "Sept"."""
    if style == "table":
        style = languages.fmt(language, "date_table") or "long"
    pattern = languages.fmt(language, f"date_{style}") or style
    month = _short_month(value, language)
    if month is not None:
        if pattern in ("short", "medium", "long", "full"):  # a CLDR style: its pattern
            pattern = str(get_date_format(pattern, locale=_loc(language)).pattern)  # type: ignore[arg-type]
        quoted = "'" + month.replace("'", "''") + "'"
        pattern = re.sub(r"(?<!M)MMM(?!M)", lambda _: quoted, pattern)
    return babel_date(value, pattern, locale=_loc(language))


def format_month(value: date, language: str, short: bool = True) -> str:
    """Sep / 9月 (short) or September 2012 / 2012年9月."""
    if short and (month := _short_month(value, language)) is not None:
        return month
    return format_skeleton("MMM" if short else "yMMMM", value, locale=_loc(language))


def format_number(value: int | float | Decimal, language: str) -> str:
    return format_decimal(value, locale=_loc(language))


def negative(value: Decimal, text: str, language: str) -> str:
    """``text`` (the amount's magnitude, formatted) marked negative as the
    language's accounts mark it, (1,234) in English, △1,234 in Japanese,
    when ``value`` is below zero: the one convention of every amount a
    document prints, tables, figures and accounts alike."""
    return label(language, "negative_amount", amount=text) if value < 0 else text


def format_money(value: Decimal, currency: str, language: str) -> str:
    if value < 0:
        return negative(value, format_money(-value, currency, language), language)
    if languages.money(language).full == "unit":
        digits = get_currency_precision(currency)
        return _in_units(
            value, currency, language, "#,##0" + ("." + "0" * digits if digits else "")
        )
    return format_currency(value, currency, locale=_loc(language))


def _in_units(value: Decimal, currency: str, language: str, number_format: str) -> str:
    """The number, then the currency's unit word: 30,000円."""
    number = format_decimal(value, format=number_format, locale=_loc(language))
    return _with_unit(number, currency, language, languages.money(language).joined)


def _unit_word(currency: str, language: str) -> str:
    """The currency's unit word: the pack's, else CLDR's (円, 원)."""
    return dict(languages.money(language).units).get(currency) or get_currency_name(
        currency, count=2, locale=_loc(language)
    )


def _with_unit(number: str, currency: str, language: str, joined: bool = False) -> str:
    """A formatted number with the currency's unit word in CLDR's pattern for
    an amount (30,000円, 980.5 엔), or right after it when ``joined`` (360,000원)."""
    unit = _unit_word(currency, language)
    if joined:
        return f"{number}{unit}"
    pattern = get_currency_unit_pattern(currency, count=2, locale=_loc(language))
    return pattern.replace("{0}", number).replace("{1}", unit)


def format_percent(value: float, language: str) -> str:
    """A share: 26%, and "less than 1%" in the language's words (1%未満, 1% 미만)."""
    if 0 < value < 0.005:
        least = babel_percent(0.01, locale=_loc(language))
        return label(language, "less_than", value=least)
    return babel_percent(value, locale=_loc(language))


def myriad_amount(value: Decimal, words: tuple[str, ...], language: str) -> str:
    """An amount in whole myriads, each group of four digits with its word
    (만, 억, 조), as Korean reports set sums: 8,640만, 1억 8,000만, 2억;
    below one myriad the number itself (5,000)."""
    number = int(abs(value).to_integral_value())
    sign = "-" if value < 0 else ""
    if number < 10_000 or not words:
        return sign + format_decimal(number, format="#,##0", locale=_loc(language))
    rest = (number + 5_000) // 10_000  # rounded to the nearest myriad
    groups = []
    for word in words:
        groups.append((rest % 10_000, word))
        rest //= 10_000
    if rest:  # past the last word: its group holds the rest
        groups[-1] = (groups[-1][0] + rest * 10_000, groups[-1][1])
    parts = [
        format_decimal(count, format="#,##0", locale=_loc(language)) + word
        for count, word in reversed(groups)
        if count
    ]
    return sign + " ".join(parts)


def year_name(language: str, config: ReportConfig) -> str:
    """The fiscal year as ``language`` names it: the report's own
    ``fiscal_year_<tag>`` when it gives one, else the pack's name for it
    ("FY2012" as written in English, 2012年度, 2012년도)."""
    for key, tag, text in getattr(config, "translations", ()):
        if key == "fiscal_year" and tag == str(language) and isinstance(text, str):
            return text
    return named_year(language, config.fiscal_year, config.start, config.end)


def named_year(language: str, label_: str, start: date | None, end: date | None,
               own: bool = False) -> str:  # fmt: skip
    """A year's name in ``language`` from its label and dates (see ``year_name``)."""
    if own or start is None or end is None:
        return label_
    return label(language, "fiscal_year_name", fiscal_year=label_, start_year=start.year,
                 end_year=end.year)  # fmt: skip


def format_compact_money(value: Decimal, currency: str, language: str) -> str:
    """Short amounts for key figures and chart labels: ¥10.2M, 980.5万円, 980.5만 원.

    The pack's ``[money] compact`` chooses CLDR's symbol form or its unit
    form (the compact number in CLDR's pattern for a currency amount, with the
    currency's unit word, which the pack may replace)."""
    if value < 0:
        return negative(value, format_compact_money(-value, currency, language), language)
    loc = _loc(language)
    style = languages.money(language)
    if style.compact == "myriad":
        return _with_unit(myriad_amount(value, style.myriads, language), currency, language,
                          joined=abs(value) < 10_000 and style.joined)  # fmt: skip
    if style.compact != "unit":
        return format_compact_currency(value, currency, locale=loc, fraction_digits=1)
    return _with_unit(
        format_compact_decimal(value, locale=loc, fraction_digits=1), currency, language
    )


def format_table_amount(value: Decimal, currency: str, language: str, minor: bool) -> str:
    """An amount in a table of amounts: as ``format_amount``, or the number
    alone where the pack's ``[money] table_unit`` says the unit once, above
    the table (``table_unit``), as Korean accounts do."""
    if not languages.money(language).table_unit:
        return format_amount(value, currency, language, minor)
    if value < 0:
        return negative(value, format_table_amount(-value, currency, language, minor), language)
    digits = get_currency_precision(currency) if minor else 0
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value if minor else value.to_integral_value(), format=pattern,
                          locale=_loc(language))  # fmt: skip


def table_unit(currency: str, language: str) -> str | None:
    """The line above a table of amounts that says their unit once ("단위: 엔",
    as the accounts' page does), where the cells leave it out; None where
    each amount carries its own."""
    if not languages.money(language).table_unit:
        return None
    return label(language, "amounts_in", currency=_unit_word(currency, language))


def format_gift(value: Decimal, currency: str, language: str, minor: bool) -> str:
    """One gift in running text (a letter): as ``format_amount``, except that
    a language whose pack counts sums in myriads says a round one so: "2만 엔의
    후원금", as a Korean letter does, not "20,000엔의"."""
    style = languages.money(language)
    whole = value == value.to_integral_value()
    if (
        style.compact == "myriad"
        and style.myriads
        and whole
        and value >= 10_000
        and (int(value) % 10_000 == 0)
    ):
        return _with_unit(myriad_amount(value, style.myriads, language), currency, language)
    return format_amount(value, currency, language, minor)


def signed(text: str, negative: bool, language: str) -> str:
    """A change with the sign the language puts before it (+12, −3)."""
    marks = languages.typography(language)
    return f"{marks.minus if negative else marks.plus}{text}"


def format_list(items: list[str], language: str) -> str:
    """``a, b and c`` / ``a、b、c`` (CLDR, in the pack's ``list_locale`` when
    it names one: the English house style has no serial comma), or the items
    joined by the pack's ``list_join`` throughout (Korean: ``a, b, c``, no 및)."""
    marks = languages.typography(language)
    if marks.list_join:
        return marks.list_join.join(items)
    return babel_list(items, locale=marks.list_locale or _loc(language))


def format_amount(value: Decimal, currency: str, language: str, minor: bool) -> str:
    """Money with its minor units (pence, cents) only when ``minor``: an
    amount shows them only where some amount of its table or figure has them."""
    if value < 0:
        return negative(value, format_amount(-value, currency, language, minor), language)
    if minor:
        return format_money(value, currency, language)
    if languages.money(language).full == "unit":
        return _in_units(value.to_integral_value(), currency, language, "#,##0")

    pattern = Locale.parse(_loc(language)).currency_formats["standard"].pattern
    whole = pattern.replace("0.00", "0").replace("0.0", "0")
    return format_currency(
        value.to_integral_value(), currency, format=whole, locale=_loc(language),
        currency_digits=False,
    )  # fmt: skip


#: From this many whole units (pounds, yen, won) an amount said in a
#: sentence is rounded to whole units, as annual reports write them ("income
#: of £144,528"; review r35): pence in running text read as a ledger. Tables
#: and receipts keep what the data says; a small sum keeps its pence.
WHOLE_IN_TEXT_FROM = Decimal(1000)


def format_text_amount(value: Decimal, currency: str, language: str, minor: bool) -> str:
    """An amount in running text (an intro, a summary): as ``format_amount``,
    rounded half up to whole units when it is ``WHOLE_IN_TEXT_FROM`` or more."""
    if abs(value) < WHOLE_IN_TEXT_FROM:
        return format_amount(value, currency, language, minor)
    whole = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return format_amount(whole, currency, language, False)


def role_word(role: str, language: str) -> str:
    """A person's role in ``language``: as written when it is written in it,
    else the pack's word for a common role (``role_representative``: 代表,
    대표) when it has one, else as written."""
    if not role or languages.written_in(role, language):
        return role
    key = "role_" + re.sub(r"[^a-z0-9]+", "_", role.strip().lower()).strip("_")
    return words(language).get(key) or role


def signature_lines(
    language: str, organization: str, signatory: Signatory | None, word: str = "letter_signature"
) -> tuple[str, ...]:
    """The printed signature in the language's order ("Kato Hiroshi" /
    "Representative, ..." in English; "北朝鮮難民救援基金" / "代表　加藤博" in Japanese).
    ``word`` names the pack's pattern: a receipt's (``receipt_signer``) has no
    letter's closing (Korean 드림)."""
    if signatory is None:
        return ()
    key = word if signatory.role else f"{word}_plain"
    text = label(language, key, name=signatory.name, role=role_word(signatory.role or "", language),
              organization=organization)  # fmt: skip
    return tuple(line.strip() for line in text.split("\n") if line.strip())


def signature_blocks(
    language: str, organization: str, signers: tuple[Signatory, ...]
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """Several signatures, in order: (lines said once above them, one block of
    lines per signatory, lines said once below). A line every block shares at
    its start or end (the organisation, in the languages that name it on a
    line of its own) is said once; one signatory is one block, as
    ``signature_lines`` gives it."""
    blocks = [signature_lines(language, organization, s) for s in signers]
    head: tuple[str, ...] = ()
    tail: tuple[str, ...] = ()
    if len(blocks) > 1 and all(len(b) > 1 for b in blocks):
        if len({b[0] for b in blocks}) == 1:
            head, blocks = blocks[0][:1], [b[1:] for b in blocks]
        elif len({b[-1] for b in blocks}) == 1:
            tail, blocks = blocks[0][-1:], [b[:-1] for b in blocks]
    return head, tuple(blocks), tail


def format_accounts(value: Decimal, language: str, minor: bool) -> str:
    """An amount as accounts print it: no currency sign (the table says it
    once), minor units only when ``minor``, a negative one as the language's
    accounts mark it: (1,234) in English, △1,234 in Japanese."""
    pattern = "#,##0.00" if minor else "#,##0"
    text = format_decimal(abs(value), format=pattern, locale=_loc(language))
    return negative(value, text, language)


def country_name(country: str, language: str) -> str:
    """``country`` as ``language`` names it (South Korea → 대한민국), found by
    its name in English or in that language (CLDR); as given when unknown."""
    wanted = country.strip().casefold()
    if not wanted:
        return ""
    own = Locale.parse(_loc(language))
    for names in (Locale("en").territories, own.territories):
        code = next((c for c, n in names.items() if n.casefold() == wanted), None)
        if code is not None and code in own.territories:
            return str(own.territories[code])
    return country.strip()


def address_line(address: str, postcode: str, country: str, language: str) -> str:
    """A postal address on one line of running text, in the language's order
    (``[letter] address_line``: "(04512) 대한민국 서울특별시 …"), the parts a row
    leaves empty left out with their marks."""
    pattern = languages.letter_style(language).address_line
    line = pattern.format(
        address=address.strip(), postcode=postcode.strip(), country=country_name(country, language)
    )
    line = re.sub(r"\(\s*\)", "", line)  # an empty postcode's brackets
    line = re.sub(r"\s*,(\s*,)+", ",", line)  # an empty part's comma
    return line.strip(" ,")


def currency_word(currency: str, language: str) -> str:
    """The currency's name for an "amounts in" line: British pounds, 円."""
    unit = dict(languages.money(language).units).get(currency)
    return unit or get_currency_name(currency, count=2, locale=_loc(language))


def telephone_line(organization: Organization, language: Language) -> str:
    """The telephone and fax on one line, each after its label in the
    language (TEL 03-…　FAX 03-…, Tel. +44 …): "" when neither is set."""
    parts = [
        f"{label(language, key)} {number}"
        for key, number in (("telephone", organization.telephone), ("fax", organization.fax))
        if number
    ]
    return label(language, "separator").join(parts)
