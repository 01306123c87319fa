"""Donation receipts: one PDF per donor with gifts, each a document of its own.

A receipt holds the issuer (legal name, address, registration), the donor
(name, address, tax number where the preset needs it), each of the donor's
own gifts and their total, the receipt number and date of issue, and the
statement of ``[receipts]``. It is made from one donor's row and that
donor's gifts only (``make_receipts`` takes them donor by donor), laid out in
a WeasyPrint document of its own, so no other donor's data can reach it.

The numbers come from the receipt log (``writing.receipt_log``), which the
build reads before it renders and appends to before anything is moved into
place; here a number is only printed.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from reportgen.composing import formats
from reportgen.composing.edition_view import translate, translate_config
from reportgen.composing.key_figures import has_minor_units
from reportgen.core.languages import plural_form
from reportgen.core.private_apis import font_subsets_shared
from reportgen.reading.model import Donor, FiscalYear, Gift, ReceiptSettings, receipt_language
from reportgen.typesetting.font_subsets import trimmed_pdf
from reportgen.typesetting.letters import address_lines, donor_slugs, layout_for
from reportgen.typesetting.pdf import collector_paused, failures_raised
from reportgen.typesetting.preflight import Finding, examine
from reportgen.typesetting.templating import template
from reportgen.typesetting.typeset import typeset

# Gift Aid adds the basic rate of tax (20 %) paid on the gross gift: 25p per £1.
GIFT_AID_RATE = Decimal("0.25")
# The UK tax year runs from 6 April to 5 April: a donor's Self Assessment (and
# a higher-rate taxpayer's own claim) counts gifts by it, not by the charity's
# financial year, so Gift Aid is stated tax year by tax year.
TAX_YEAR_START = (4, 6)


@dataclass(frozen=True)
class TaxYear:
    """The Gift Aided gifts of one UK tax year and what was claimed on them."""

    first: int  # the year it starts in: 2024 for 6 April 2024 to 5 April 2025
    aided: Decimal  # the gifts with Gift Aid
    claimed: Decimal  # the Gift Aid on them at the basic rate, to the penny

    @property
    def label(self) -> str:
        return f"{self.first}\u2013{(self.first + 1) % 100:02d}"  # 2024–25

    @property
    def gross(self) -> Decimal:
        """The gifts grossed up: what the donor's own tax return counts."""
        return self.aided + self.claimed


def tax_year(day: date, start: tuple[int, int]) -> int:
    """The year the tax year holding ``day`` starts in, for a tax year
    starting on (month, day) ``start``."""
    return day.year if (day.month, day.day) >= start else day.year - 1


def uk_tax_year(day: date) -> int:
    """The year the UK tax year holding ``day`` starts in."""
    return tax_year(day, TAX_YEAR_START)


def tax_year_totals(
    gifts: Sequence[Gift], start: tuple[int, int] | None
) -> tuple[tuple[int, Decimal], ...]:
    """(first year, total) of each tax year the gifts fall in, in order;
    () when they fall in one (the receipt's total says it) or no tax year is set."""
    if start is None:
        return ()
    totals: dict[int, Decimal] = {}
    for gift in gifts:
        first = tax_year(gift.date, start)
        totals[first] = totals.get(first, Decimal(0)) + gift.amount
    return tuple(sorted(totals.items())) if len(totals) > 1 else ()


def gift_aid_by_tax_year(
    gifts: Sequence[Gift], start: tuple[int, int] = TAX_YEAR_START
) -> tuple[TaxYear, ...]:
    """The Gift Aided gifts totalled per UK tax year, in order; the claim of
    each year is its total at 25p per £1, rounded half up to the penny."""
    totals: dict[int, Decimal] = {}
    for gift in gifts:
        if gift.gift_aid == "yes":
            first = tax_year(gift.date, start)
            totals[first] = totals.get(first, Decimal(0)) + gift.amount
    return tuple(
        TaxYear(first, aided, (aided * GIFT_AID_RATE).quantize(Decimal("0.01"), ROUND_HALF_UP))
        for first, aided in sorted(totals.items())
    )


IN_KIND = frozenset({"in kind", "in-kind", "inkind", "goods", "現物", "현물"})
WORDS = (
    "receipt_number", "receipt_issued", "receipt_issuer", "receipt_donor", "receipt_gifts",
    "receipt_date", "receipt_amount", "receipt_fund", "receipt_method", "receipt_description",
    "receipt_total", "receipt_gift_aid", "receipt_signature", "receipt_address",
    "receipt_name", "receipt_tax_id", "receipt_registration", "receipt_basis",
    "receipt_donor_section", "receipt_issuer_section", "receipt_gifts_section",
    "receipt_type", "receipt_code", "receipt_kind", "receipt_cash", "receipt_in_kind",
    "receipt_org_name", "receipt_location", "receipt_tax_year", "receipt_gift_aided",
    "receipt_gift_aid_claimed", "receipt_gift_aid_gross", "receipt_agent_section",
    "receipt_tax_year_total", "separator", "receipt_benefit", "receipt_benefit_value",
)  # fmt: skip


@dataclass(frozen=True)
class Numbered:
    """A receipt's number as the log issued it."""

    number: str
    issued: date
    replaces: str = ""


@dataclass(frozen=True)
class ReceiptLine:
    date: str
    date_iso: str
    amount: str
    fund: str = ""
    method: str = ""
    description: str = ""
    gift_aid: str = ""  # the word for yes or no, when Gift Aid is listed
    in_kind: bool = False
    benefit: str = ""  # what the donor received in return
    benefit_value: str = ""  # its good-faith estimate, as money


@dataclass(frozen=True)
class Receipt:
    """Everything one receipt shows (the template's only input)."""

    slug: str
    language: str
    layout: str
    title: str
    number: str
    replaces: str  # the sentence saying which receipt this one replaces, or ""
    issued: str
    issued_iso: str
    issuer: str
    issuer_address: str
    issuer_contact: str
    issuer_telephone: str  # TEL 03-…　FAX 03-…, a line of its own (formats.telephone_line)
    registration: tuple[str, ...]
    basis: str
    donor_name: str
    donor_address: str
    donor_tax_id: str
    declaration: str  # the UK: the sentence naming the donor's Gift Aid declaration, or ""
    lines: tuple[ReceiptLine, ...]
    total: str
    statement: str
    # Each tax year's total, when the gifts fall in more than one: (label, amount).
    tax_years: tuple[tuple[str, str], ...]
    gift_aid_years: tuple[tuple[str, str, str, str], ...]  # per UK tax year: its label,
    # the gifts with Gift Aid, the Gift Aid claimed on them, and both together
    gift_type: str
    gift_code: str
    signed: bool
    signature_lines: tuple[str, ...]
    signer: str  # the signatory's role and name, for a form's "issued by" line
    words: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]  # the gift columns shown besides date and amount
    all_gift_aided: str = ""  # the UK: the line saying every gift was Gift Aided, or ""
    logo_uri: str | None = None
    donor_id: str = ""
    theme_dir: Path | None = None

    @property
    def file(self) -> str:
        return f"receipts/{self.slug}.pdf"


def receipt_donors(year: FiscalYear) -> list[tuple[str, Donor, tuple[Gift, ...]]]:
    """(slug, donor, the donor's own gifts) of each donor with gifts, in the
    donors table's order; the slug is the donor's letter's (donors/<slug>.pdf)."""
    by_donor: dict[str, list[Gift]] = {}
    for gift in year.gifts:
        by_donor.setdefault(gift.donor, []).append(gift)
    return [
        (slug, donor, tuple(sorted(by_donor[donor.id], key=lambda g: (g.date, g.amount))))
        for slug, donor in zip(donor_slugs(year.donors), year.donors, strict=True)
        if donor.id and donor.id in by_donor
    ]


def receipt_title(year: FiscalYear, donor: Donor) -> str:
    """A donor's receipt's title, in the donor's receipt language (the name
    its e-mail attachment takes)."""
    settings = year.config.receipts
    if settings is None:
        return "Receipt"
    translated = translate_config(year.config, receipt_language(year.config, settings, donor))
    return (translated.receipts or settings).title


def gift_key(gift: Gift) -> tuple[str, ...]:
    """What a receipt number is issued for, gift by gift: its date and amount,
    then what else the receipt says of it (fund, method, Gift Aid, description,
    and a benefit when there is one: a key without it is the key of old logs)."""
    key: tuple[str, ...] = (
        gift.date.isoformat(), str(gift.amount), gift.fund or "", gift.method or "",
        gift.gift_aid or "", gift.description or "",
    )  # fmt: skip
    if gift.benefit or gift.benefit_value is not None:
        key += (gift.benefit or "", str(gift.benefit_value or ""))
    return key


def make_receipt(
    year: FiscalYear,
    settings: ReceiptSettings,
    slug: str,
    donor: Donor,
    gifts: Sequence[Gift],
    numbered: Numbered,
    logo_uri: str | None = None,
) -> Receipt:
    """One donor's receipt, from that donor's row and gifts only, in the
    donor's language (``model.receipt_language``) with ``[receipts]``'s
    statement in that language (``statement_<tag>``, checked by validate)."""
    tag = receipt_language(year.config, settings, donor)
    language = formats.language(year.config, tag)
    config = translate_config(year.config, tag)
    if config.receipts is not None and tag != settings.language:
        settings = config.receipts  # its statement and title in the donor's language
    currency = config.currency
    tax_years = (
        gift_aid_by_tax_year(gifts, settings.tax_year_start or TAX_YEAR_START)
        if settings.gift_aid
        else ()
    )
    # One money format in a receipt: pence on every amount when any amount it
    # shows has them (a gift, or the Gift Aid claimed: £57.50), else on none.
    shown = [g.amount for g in gifts] + [
        v for t in tax_years for v in (t.aided, t.claimed, t.gross)
    ]  # fmt: skip
    minor = any(has_minor_units(v) for v in shown)

    def say(key: str, **values: object) -> str:
        return formats.label(language, key, **values)

    def money(amount: Decimal) -> str:
        return formats.format_amount(amount, currency, language, minor)

    funds = {f.fund: translate(f, tag).fund for f in year.funds}
    yes, no = say("receipt_yes"), say("receipt_no")
    lines = []
    for gift in gifts:
        shown = translate(gift, tag)  # fund_<tag>, method_<tag>, description_<tag>
        fund = shown.fund or ""
        if gift.fund and shown.fund == gift.fund:  # else the funds table's own translation
            fund = funds.get(gift.fund, gift.fund)
        lines.append(ReceiptLine(
            date=formats.format_date(gift.date, language, "table"),
            date_iso=gift.date.isoformat(),
            amount=money(gift.amount),
            fund=fund,
            method=shown.method or "",
            description=shown.description or "",
            gift_aid=(yes if gift.gift_aid == "yes" else no) if settings.gift_aid else "",
            in_kind=(gift.method or "").strip().lower() in IN_KIND,
            benefit=shown.benefit or "",
            benefit_value=money(gift.benefit_value) if gift.benefit_value is not None else "",
        ))  # fmt: skip
    # A fund only some gifts have goes beside their method ("online (Winter
    # appeal)"), not into a column empty in most rows; a column when every
    # gift has one, or when no gift has a method.
    if any(line.method for line in lines) and not all(line.fund for line in lines):
        lines = [
            replace(line, fund="", method=say("receipt_method_fund", method=line.method,
                                              fund=line.fund))
            if line.fund and line.method else line
            for line in lines
        ]  # fmt: skip
    # Every gift Gift Aided: one line says so (all_gift_aided), not a "Yes" a row.
    # None Gift Aided: statement_no_gift_aid says so, when given.
    every_aided = settings.gift_aid and all(g.gift_aid == "yes" for g in gifts)
    said = every_aided or (not tax_years and bool(settings.statement_no_gift_aid))
    columns = tuple(
        name for name in ("fund", "method", "description", "benefit", "benefit_value")
        if any(getattr(line, name) for line in lines)
    ) + (("gift_aid",) if settings.gift_aid and not said else ())  # fmt: skip
    # A donor none of whose gifts was Gift Aided: no claim to state (tax_years empty).
    statement = settings.statement
    one = plural_form(language, len(gifts)) == "one"
    title = settings.title_one if settings.title_one and one else settings.title
    if settings.statement_one and one:
        statement = settings.statement_one  # "this donation": one gift (CLDR's rules)
    if settings.gift_aid and not tax_years and settings.statement_no_gift_aid:
        statement = settings.statement_no_gift_aid
        if settings.gift_aid_invitation and donor.gift_aid_invited:  # the one rule (letters')
            statement = f"{statement} {settings.gift_aid_invitation}"
    elif any(gift.benefit for gift in gifts) and settings.statement_benefit:
        statement = settings.statement_benefit  # the US: the quid pro quo statement
    words = dict((key, say(key)) for key in WORDS)
    if settings.number_label:
        words["receipt_number"] = settings.number_label
    organization = config.organization
    signatory = config.signatory
    if signatory is not None and settings.signer_role:  # the legal title (理事長)
        signatory = replace(signatory, role=settings.signer_role)
    # The language's separator: no Latin "·" in a Japanese line (review R-2).
    contact = words["separator"].join(x for x in (organization.website, organization.email) if x)
    issuer = " ".join(x for x in (organization.legal_form, organization.name) if x)
    return Receipt(
        slug=slug,
        language=tag,
        layout=settings.layout,
        title=title,
        number=numbered.number,
        replaces=say("receipt_replaces", number=numbered.replaces) if numbered.replaces else "",
        issued=formats.format_date(numbered.issued, language),
        issued_iso=numbered.issued.isoformat(),
        issuer=issuer,
        issuer_address=organization.address or "",
        issuer_contact=contact,
        issuer_telephone=formats.telephone_line(organization, language),
        registration=settings.registration or organization.registration,
        basis=settings.basis or "",
        donor_name=say("receipt_donor_name", name=donor.name),
        donor_address=_donor_address(donor, language),
        donor_tax_id=donor.tax_id or "",
        declaration=say(
            "receipt_declaration",
            date=formats.format_date(donor.gift_aid_declared, language),
        )
        if tax_years and donor.gift_aid_declared
        else "",
        lines=tuple(lines),
        all_gift_aided=formats.label(language, "receipt_all_gift_aided", len(gifts))
        if every_aided
        else "",
        total=money(sum((g.amount for g in gifts), Decimal(0))),
        statement=statement.replace("{organization}", organization.name),
        tax_years=tuple(
            (
                say(
                    "receipt_tax_year_total",
                    year=str(first)
                    if settings.tax_year_start == (1, 1)
                    else f"{first}\u2013{(first + 1) % 100:02d}",
                ),
                money(amount),
            )
            # with Gift Aid, its own table gives each tax year's gifts
            for first, amount in tax_year_totals(
                gifts, None if settings.gift_aid else settings.tax_year_start
            )
        ),
        gift_aid_years=tuple(
            (
                t.label,
                money(t.aided),
                money(t.claimed),
                money(t.gross),
            )
            for t in tax_years
        ),
        gift_type=settings.gift_type or "",
        gift_code=settings.gift_code or "",
        signed=settings.signed,
        signature_lines=_with_legal_form(
            formats.signature_lines(language, organization.name, signatory, "receipt_signer"),
            organization.name,
            organization.legal_form,
        ),
        signer=" ".join(
            x
            for x in (
                formats.role_word(signatory.role or "", language),
                signatory.name,
            )
            if x
        )
        if signatory
        else "",
        words=tuple(words.items()),
        columns=columns,
        logo_uri=logo_uri,
        donor_id=donor.id or "",
        theme_dir=year.config.theme_dir,
    )


def _with_legal_form(lines: tuple[str, ...], name: str, legal_form: str | None) -> tuple[str, ...]:
    """The signature's lines with the legal form on a line of its own above
    the organisation's name (特定非営利活動法人 / 北朝鮮難民救援基金 / 理事長 …)."""
    if not legal_form:
        return lines
    return tuple(x for line in lines for x in ((legal_form, line) if line == name else (line,)))


def receipt_html(fill: Callable[..., str], receipt: Receipt) -> str:
    names = (receipt.issuer, receipt.donor_name)
    return typeset(fill(receipt=receipt, w=dict(receipt.words), css=""), receipt.language,
                   "print", names)  # fmt: skip


DONOR_ID_KEY = "/ReportgenDonorID"
NUMBER_KEY = "/ReportgenReceiptNumber"


def render_receipts(
    receipts: Sequence[Receipt],
    css: str,
    base: Path,
    write: Callable[[str, bytes], None],
    findings: list[Finding] | None = None,
) -> int:
    """Lay out each receipt in a document of its own and write it."""
    if not receipts:
        return 0
    import pikepdf

    fill = template("receipt.html.j2", receipts[0].theme_dir)
    # Each font file read once, and a subset another receipt needed too made
    # once: the very bytes HarfBuzz makes for each (``font_subsets_shared``).
    with (
        failures_raised("the receipts could not be made"),
        collector_paused(),
        font_subsets_shared(),
    ):
        layout = layout_for(css, base)
        for receipt in receipts:
            html = receipt_html(fill, receipt)
            document = layout.render(html)
            if findings is not None:
                findings.extend(examine(document.pages, receipt.file))
            identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
            data = document.write_pdf(pdf_identifier=identifier, pdf_variant="pdf/ua-1")
            data = trimmed_pdf(data)  # each CJK face with only its glyphs (font_subsets)
            pdf = pikepdf.open(io.BytesIO(data))
            pdf.docinfo[DONOR_ID_KEY] = pikepdf.String(receipt.donor_id)
            pdf.docinfo[NUMBER_KEY] = pikepdf.String(receipt.number)
            out = io.BytesIO()
            pdf.save(out, static_id=True)
            write(receipt.file, out.getvalue())
    return len(receipts)


def recorded_number(pdf: Any) -> tuple[str, str]:
    """(donor id, receipt number) a receipt's metadata says (pikepdf)."""
    info = pdf.docinfo
    return str(info.get(DONOR_ID_KEY, "")), str(info.get(NUMBER_KEY, ""))


def _donor_address(donor: Donor, language: str) -> str:
    """The donor's address on one line: in Japanese in the post's order, the
    〒 postcode first (〒150-0001 東京都渋谷区…, as the letter's block has it,
    not "…, 150-0001"); otherwise as written, then the postcode and country."""
    if language.split("-")[0] == "ja":
        name = formats.label(language, "letter_address_name", name=donor.name)
        return " ".join(line for line in address_lines(donor, language) if line != name)
    return formats.address_line(
        donor.address or "", donor.postcode or "", donor.country or "", language
    )
