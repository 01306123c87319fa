"""The typed model of one fiscal year: what validation produces and every later
stage reads.

Everything here is a frozen dataclass of plain values (``date``, ``Decimal``,
strings, tuples), so a model pickles into worker processes and hashes into
the cache's keys, and no stage can change what another stage sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportgen.core.diagnostics import Location
from reportgen.core.editions import EDITION_NAMES
from reportgen.core.languages import Word, builtin_tags

PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b", "pdf/a-3u", "pdf/a-2b", "pdf/a-2u")
# Tags with a built-in language pack (src/reportgen/core/languages/*.toml); a report
# may use any tag CLDR knows (config checks it), these are always recognised
# as translation suffixes (title_ja, name_en-GB).
LANGUAGES: tuple[str, ...] = builtin_tags()
PUBLIC = "public"
INTERNAL = "internal"

Extra = tuple[tuple[str, str], ...]  # columns the contract does not name, kept in order


def _all_editions() -> tuple[str, ...]:
    """Every edition's name (declared in ``editions``, which imports this module)."""
    return EDITION_NAMES


@dataclass(frozen=True)
class Organization:
    name: str
    short_name: str | None = None
    website: str | None = None
    email: str | None = None
    address: str | None = None
    logo: Path | None = None
    registration: tuple[str, ...] = ()  # legal identifiers, shown as written
    # Printed before the name where a legal entity names itself: the cover,
    # the back cover, a receipt's issuer (特定非営利活動法人 北朝鮮難民救援基金).
    legal_form: str | None = None
    telephone: str | None = None  # as printed, beside the address (TEL 03-…)
    fax: str | None = None
    office_hours: str | None = None  # when the telephone is answered
    giving: str | None = None  # how to give: Markdown already rendered to safe HTML
    signature: Path | None = None  # a scanned signature for the letters (through the gate)
    # How to give, in the letters to organisations (no Gift Aid for a church):
    # Markdown rendered; None: ``giving``.
    giving_organisation: str | None = None
    # The country it posts from ("Japan"): a donor's ``country`` other than it
    # is abroad (the letter names the country, and its foot says
    # ``giving_abroad``, or nothing of how to give).
    country: str | None = None
    giving_abroad: str | None = None  # Markdown rendered, like ``giving``
    # How to give, in the letters to a person whose Gift Aid declaration is on
    # file (``gift_aid_declared``): no invitation to make one. None:
    # ``giving_organisation``, else ``giving`` (``gift_aid_invited``).
    giving_declared: str | None = None


@dataclass(frozen=True)
class EmailSettings:
    """``[email]``: how ``reportgen send`` reaches the SMTP server, and what its
    messages say. Never a password: that comes from the environment or keyring."""

    host: str
    sender: str  # the ``from`` key: an address, optionally with a display name
    port: int = 587
    security: str = "starttls"  # "starttls", "tls" or "none" (loopback only)
    username: str | None = None
    reply_to: str | None = None
    subject: str | None = None  # placeholders as in ``role: letter``; subject_<tag> translates


@dataclass(frozen=True)
class Theme:
    primary_color: str = "#1f3a5f"
    accent_color: str = "#c8553d"
    page_size: str = "A4"
    font: str = "Noto Sans"


@dataclass(frozen=True)
class PrintSettings:
    """``[print]``: what a print shop asks of the PDFs, beyond ``print_marks``."""

    bleed: bool = False  # 3 mm of bleed on every page of an edition printed to its edge
    pad_to_multiple_of: int = 1  # a bound edition's pages, made up with notes pages
    duplex_letters: bool = False  # a blank back after a letter, so the edition starts a sheet


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str | None = None
    # ``signatories``' own translations: (language, "name" or "role", text);
    # the single ``signatory`` is translated through ``translations`` instead.
    translations: tuple[tuple[str, str, str], ...] = ()
    # ``signature_image``: their scanned signature, a picture the gate admitted,
    # printed above their name in the letters.
    signature: Path | None = None

    def in_language(self, language: str) -> Signatory:
        """This signatory as ``language`` reads them (its ``name_<tag>``, ``role_<tag>``)."""
        found = {key: text for tag, key, text in self.translations if tag == language}
        if not found and not self.translations:
            return self
        return Signatory(
            found.get("name", self.name), found.get("role", self.role), signature=self.signature
        )


@dataclass(frozen=True)
class Ask:
    """One ``[[asks]]``: what a donor's letter asks of them (``{{ask}}``), for a
    gift in the year of at least ``start``, or, ``monthly``, of a donor who
    already gives every month (never asked to start)."""

    text: str
    start: Decimal = Decimal(0)
    monthly: bool = False
    translations: tuple[tuple[str, str], ...] = ()  # (language, text): ``text_<tag>``

    def in_language(self, language: str) -> str:
        return dict(self.translations).get(language, self.text)


def ask_for(asks: tuple[Ask, ...], amount: Decimal | None, monthly: bool) -> Ask | None:
    """The ask of a donor who gave ``amount`` in the year: a monthly giver's
    own when there is one, else the one with the highest ``from`` the gift
    reaches (a donor without an amount: from 0); None when none fits."""
    if monthly:
        for ask in asks:
            if ask.monthly:
                return ask
    reached = [a for a in asks if not a.monthly and a.start <= (amount or Decimal(0))]
    return max(reached, key=lambda a: a.start, default=None)


@dataclass(frozen=True)
class ReceiptSettings:
    """``[receipts]``: what each donor's receipt says (the statement the
    jurisdiction requires), as the organisation confirmed it with its adviser.
    A ``preset`` fills every key the table leaves out (``reading.receipt_presets``)."""

    statement: str  # the sentence(s) the law asks for, as written ({organization} filled)
    title: str  # the document's heading
    language: str  # the language the receipts are written in
    preset: str | None = None  # the preset it started from ("uk-gift-aid"...)
    registration: tuple[str, ...] = ()  # lines under the issuer's name; () = the organisation's
    basis: str | None = None  # the legal basis of the organisation's eligibility (Korea)
    prefix: str = ""  # before each number: "R2012-" gives R2012-0001
    issued: date | None = None  # the date of issue; None: the day the number was first issued
    layout: str = "letter"  # "letter", or "kr-form" (the 별지 제45호의2서식 sections)
    gift_aid: bool = False  # the UK: list which gifts were Gift Aided and what was claimed
    # With gift_aid: the statement of a donor none of whose gifts was Gift Aided.
    statement_no_gift_aid: str | None = None
    signed: bool = False  # a line for a signature or seal (Korea, Japan)
    gift_type: str | None = None  # Korea: 유형 (e.g. 일반기부금)
    gift_code: str | None = None  # Korea: 코드 (e.g. 40)
    number_label: str | None = None  # the number's label ("Statement no."); None: the pack's
    signer_role: str | None = None  # the signatory's title on the receipt; None: their role
    tax_year_start: tuple[int, int] | None = None  # (month, day) the donors' tax year starts
    # A gift for which the donor received something (its ``benefit``):
    # "listed" (shown with its value, the statement_benefit said) or
    # "refused" (the jurisdiction gives no receipt for it: a located error).
    benefits: str = "listed"
    statement_benefit: str | None = None  # the statement when a gift had a benefit
    # The statement of a receipt of one gift, where the language's plural rules
    # (CLDR) call one ``one`` ("this donation"); None: ``statement``.
    statement_one: str | None = None
    # The heading of a receipt of one gift, by the same rule; None: ``title``.
    title_one: str | None = None
    # With gift_aid: the sentence inviting a Gift Aid declaration, added to
    # statement_no_gift_aid only for a donor it may invite (Donor.gift_aid_invited).
    gift_aid_invitation: str | None = None


@dataclass(frozen=True)
class DeclaredTable:
    """``[tables.<name>]`` of report.toml: a data file of the organisation's own."""

    name: str
    title: str
    titles: tuple[tuple[str, str], ...] = ()  # (language, title)
    columns: tuple[str, ...] = ()  # shown, in this order; () = all but visibility
    date_column: str | None = None
    number_columns: tuple[str, ...] = ()
    editions: tuple[str, ...] = ("annual-report", "handout")
    carry_over: bool = False


@dataclass(frozen=True)
class CoverImage:
    """The cover's photograph (admitted by the gate) and what is said of it."""

    path: Path
    alt: str
    credit: str | None = None


@dataclass(frozen=True)
class ReportConfig:
    """report.toml merged over organization.toml, checked and typed."""

    root: Path  # the year folder
    title: str
    fiscal_year: str
    start: date
    end: date
    organization: Organization
    language: str = "en"
    languages: tuple[str, ...] = ("en",)
    currency: str = "JPY"
    editions: tuple[str, ...] = field(default_factory=_all_editions)
    theme: Theme = field(default_factory=Theme)
    signatory: Signatory | None = None
    signatories: tuple[Signatory, ...] = ()  # v2: [[signatories]], in order
    asks: tuple[Ask, ...] = ()  # [[asks]]: the letters' asks, by gift
    published: date | None = None  # extension: the publication date printed and stamped
    pdf_table_rows: int = 300  # extension: longest activity/lobbying table the PDF prints
    pdf_variant: str = "pdf/ua-1"  # extension: the standard every PDF claims
    print_marks: bool = False  # extension: crop marks and 3 mm bleed for a print shop
    printing: PrintSettings = field(default_factory=PrintSettings)  # v2: [print]
    # extension: ("title" / "organization.name" / "signatory.role" ..., language, text);
    # the text of "organization.registration" is a tuple of lines
    translations: tuple[tuple[str, str, str | tuple[str, ...]], ...] = ()
    # [labels.<tag>]: (tag, key, word), the year's over the organisation's, key by key
    labels: tuple[tuple[str, str, Word], ...] = ()
    cover: CoverImage | None = None  # a photograph for the covers
    accounts_note: str | None = None  # on the accounts' unit line ("Illustrative figures")
    # What the year's gifts did, the end of a sentence: the donor edition's
    # thank-you and the letters' {{outcomes}} say the same words.
    outcomes: str | None = None
    theme_dir: Path | None = None  # templates and extra.css in front of the built-in ones
    key_figures: tuple[str, ...] | None = None  # v2: which key figures, in order; None: default
    declared_tables: tuple[DeclaredTable, ...] = ()  # v2: [tables.<name>]
    narrative_files: tuple[NarrativeFile, ...] = ()  # v2: [narrative."<file>"]
    email: EmailSettings | None = None  # v2: [email], for ``reportgen send`` only
    receipts: ReceiptSettings | None = None  # [receipts]: a receipt per donor from data/gifts

    @property
    def signers(self) -> tuple[Signatory, ...]:
        """Who signs, in order: ``signatories``, else the one ``signatory``."""
        if self.signatories:
            return self.signatories
        return (self.signatory,) if self.signatory is not None else ()


@dataclass(frozen=True)
class Activity:
    date: date
    title: str
    category: str
    location: str | None = None
    description: str | None = None
    participants: int | None = None
    visibility: str = PUBLIC
    extra: Extra = ()


@dataclass(frozen=True)
class Coalition:
    name: str
    role: str
    joined: date | None = None
    member_organizations: int | None = None
    countries: int | None = None
    description: str | None = None
    visibility: str = PUBLIC
    extra: Extra = ()


@dataclass(frozen=True)
class LobbyingVisit:
    date: date
    target_type: str
    target: str
    topic: str | None = None
    outcome: str | None = None
    attendees: str | None = None
    visibility: str = PUBLIC
    extra: Extra = ()


@dataclass(frozen=True)
class FinanceEntry:
    kind: str  # "income" or "expense"
    category: str
    amount: Decimal
    function: str | None = None  # program / fundraising / administration
    fund: str | None = None  # free text: restricted, unrestricted, a fund's name
    note: str | None = None
    visibility: str = PUBLIC
    extra: Extra = ()


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    group: str = "board"
    visibility: str = PUBLIC
    extra: Extra = ()


@dataclass(frozen=True)
class Donor:
    name: str
    id: str | None = None
    salutation: str | None = None
    email: str | None = None
    language: str | None = None
    amount: Decimal | None = None
    address: str | None = None  # shown on the donor's receipt only
    tax_id: str | None = None  # the donor's own tax number, where a receipt must show it
    # "person" or "organisation" (a company, a trust, a church): which letter
    # they get (no Gift Aid request to an organisation); None: a person.
    type: str | None = None
    postcode: str | None = None  # the address's last lines, for the window envelope
    country: str | None = None
    # The UK: the date of the donor's Gift Aid declaration, which a Gift Aid
    # statement refers to (a Gift Aided gift needs one).
    gift_aid_declared: date | None = None
    extra: Extra = ()

    @property
    def is_organisation(self) -> bool:
        return self.type in ORGANISATION

    @property
    def gift_aid_invited(self) -> bool:
        """Whether a letter may invite this donor to make a Gift Aid
        declaration: the one rule, for every letter and its foot. Never an
        organisation (only an individual taxpayer's gift can be Gift Aided),
        never a donor whose declaration is on file."""
        return not self.is_organisation and self.gift_aid_declared is None


# The values of the donors table's ``type`` that name an organisation.
ORGANISATION = ("organisation", "organization")


@dataclass(frozen=True)
class Gift:
    """One gift of one donor (data/gifts.csv): ``donor`` is the donor's id."""

    donor: str
    date: date
    amount: Decimal
    fund: str | None = None
    method: str | None = None
    gift_aid: str | None = None  # "yes" or "no": the UK donor declared Gift Aid for it
    description: str | None = None  # what was given, for a gift in kind
    # What the donor received in return (a dinner, a ticket) and the
    # organisation's good-faith estimate of its value.
    benefit: str | None = None
    benefit_value: Decimal | None = None
    extra: Extra = ()


@dataclass(frozen=True)
class Indicator:
    """One of the organisation's own key figures (data/indicators.csv)."""

    name: str
    value: Decimal | str  # a number, or text: a milestone ("a new koala ward opened")
    unit: str | None = None  # shown after the number, or an ISO 4217 code: money
    previous: Decimal | None = None
    target: Decimal | None = None
    note: str | None = None
    visibility: str = PUBLIC
    extra: Extra = ()


# --- accounts (issue 28): the balance sheet and the statement of funds ---------


@dataclass(frozen=True)
class BalanceLine:
    """A line of the balance sheet at the year's end (data/balance.csv)."""

    section: str  # "assets", "liabilities" or "funds"
    item: str
    amount: Decimal  # as written: a liability is a positive amount owed
    note: str | None = None
    visibility: str = PUBLIC  # accounts are whole: every row is public
    extra: Extra = ()
    # Where each cell was read, for the check against the funds made after
    # validation (reading.accounts); emptied once it has run.
    where: tuple[tuple[str, Location], ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Fund:
    """A fund's movements over the year (data/funds.csv). Empty amounts are
    filled by ``reading.accounts``: the opening from last year's closing, the
    income and expenditure from the finances rows of the fund, the closing
    from the others."""

    fund: str
    type: str | None = None  # unrestricted, designated, restricted, endowment, or as written
    opening: Decimal | None = None
    income: Decimal | None = None
    expenditure: Decimal | None = None
    transfers: Decimal | None = None
    closing: Decimal | None = None
    note: str | None = None
    visibility: str = PUBLIC  # accounts are whole: every row is public
    extra: Extra = ()
    # Where each cell was read ((column, location)), for the checks that need
    # last year (reading.accounts); emptied once they have run.
    where: tuple[tuple[str, Location], ...] = field(default=(), compare=False, repr=False)

    @property
    def movements(self) -> Decimal:
        zero = Decimal(0)
        return (self.income or zero) - (self.expenditure or zero) + (self.transfers or zero)


@dataclass(frozen=True)
class Record:
    """A row of a table without a class of its own (a declared table)."""

    values: tuple[tuple[str, Any], ...]  # (column, typed value), in the file's order
    visibility: str = PUBLIC
    extra: Extra = ()

    def get(self, column: str) -> Any:
        return dict(self.values).get(column)


@dataclass(frozen=True)
class NarrativeFile:
    """``[narrative."<file>"]`` of report.toml: front matter for one narrative file."""

    name: str  # the file's name in narrative/, e.g. "04-board-notes.docx"
    settings: tuple[tuple[str, Any], ...]  # (front matter key, value), checked
    where: Location  # its [narrative."<name>"] line


@dataclass(frozen=True)
class NarrativeSection:
    """One narrative file (.md, or .docx read as Markdown), rendered to safe HTML."""

    slug: str
    title: str
    html: str
    source: Path
    editions: tuple[str, ...] = field(default_factory=_all_editions)
    visibility: str = PUBLIC
    language: str | None = None  # None: serves every language
    role: str | None = None  # replaces the built-in wording of a part (narrative.ROLES)
    # The first real paragraph as safe HTML, with its own footnotes (renumbered
    # from 1, ids of their own): what a summary quotes (excerpts.excerpt).
    excerpt: str = ""
    # ``summary`` of its front matter: the director's own few lines for the
    # handout, as plain text ("" : the handout gives the section no summary).
    summary: str = ""
    # ``donors`` of a ``role: letter`` file: the letter of donors of this type
    # ("person" or "organisation"); None: of every donor without a file of their own.
    donors: str | None = None
    # ``place`` of its front matter: "lead" (the donor edition opens with it:
    # the story of what gifts did), "end" (it closes the donor edition before
    # how to give: "About this report"); None: in its file order.
    place: str | None = None


@dataclass(frozen=True)
class FiscalYear:
    config: ReportConfig
    activities: tuple[Activity, ...] = ()
    coalitions: tuple[Coalition, ...] = ()
    lobbying: tuple[LobbyingVisit, ...] = ()
    finances: tuple[FinanceEntry, ...] = ()
    people: tuple[Person, ...] = ()
    donors: tuple[Donor, ...] = ()
    gifts: tuple[Gift, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    balance: tuple[BalanceLine, ...] = ()
    funds: tuple[Fund, ...] = ()
    # Tables without a field of their own (declared in report.toml, or registered
    # kinds): (name, rows), in declaration order.
    records: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    narrative: tuple[NarrativeSection, ...] = ()
    tables: frozenset[str] = frozenset()  # which tables the folder provides
    roles: tuple[NarrativeSection, ...] = ()  # narrative files with a role: wording, not sections
    # An edition's view (``edition_view.year_as_seen_by``): each activity
    # category as the view names it (translated) and as the folder does (its
    # canonical id, which binds its chart colour in every language).
    category_ids: tuple[tuple[str, str], ...] = ()

    def rows(self, name: str) -> tuple[Any, ...]:
        """The rows of table ``name`` (empty when the folder lacks it)."""
        if name in TABLE_FIELDS:
            return getattr(self, name)  # type: ignore[no-any-return]
        return dict(self.records).get(name, ())

    def with_rows(self, tables: dict[str, tuple[Any, ...]]) -> FiscalYear:
        """A copy with these tables' rows replaced (fields and records alike)."""
        own = {k: v for k, v in tables.items() if k in TABLE_FIELDS}
        records = tuple((k, tables.get(k, v)) for k, v in self.records)
        added = tuple((k, v) for k, v in tables.items() if k not in own and k not in
                      dict(self.records))  # fmt: skip
        return replace(self, **own, records=records + added)  # type: ignore[arg-type]

    def all_rows(self) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        """Every table of the year: (name, rows), built-ins first."""
        return tuple((n, getattr(self, n)) for n in TABLE_FIELDS) + self.records


# The fields of ``FiscalYear`` that hold a table's rows; ``table_registry.TABLES`` must
# name exactly these as its built-in kinds (checked when ``table_registry`` loads).
TABLE_FIELDS = tuple(
    f.name
    for f in fields(FiscalYear)
    if f.name not in ("config", "narrative", "tables", "records", "roles", "category_ids")
)


# --- a donor's language, decided here for the letter and the receipt alike ---


def own_language(config: ReportConfig, donor: Donor) -> str | None:
    """The donor's own language when the report is written in it, else None
    (the letter then takes the report's first language, the receipt the
    receipts' own)."""
    return donor.language if donor.language in config.languages else None


def letter_language(config: ReportConfig, donor: Donor) -> str:
    """The language of a donor's letter (and of the e-mail that carries it)."""
    return own_language(config, donor) or config.language


def receipt_language(config: ReportConfig, settings: ReceiptSettings, donor: Donor) -> str:
    """The language of a donor's receipt: the donor's own, as for the letter,
    else the language ``[receipts]`` is written in."""
    return own_language(config, donor) or settings.language


def same_language(one: str, other: str) -> bool:
    """Whether text written in ``one`` serves a reader of ``other``: the same
    primary language (a statement in en-GB serves an en-AU donor)."""
    return one.partition("-")[0].lower() == other.partition("-")[0].lower()
