"""Personalised donor letters: one PDF per donor, fast.

What is the same for every donor (the donor edition) is rendered once per
language; per donor only the one-page letter is laid out, in a WeasyPrint
document of its own, and the two are joined with pikepdf, each result a
standalone PDF with its own outline and metadata. One document per donor is
what keeps donors apart: running strings, running and fixed elements, page
counters and margin boxes never reach past a document, and each letter's
fonts are subset to that letter's own text. Letters render in worker
processes (``workers``) in batches of jobs; a worker parses the stylesheet
and loads the fonts once for all the letters it lays out.

Each letter carries its identity: the donor's id and a hash of the donor's
row (``row_digest``) in its metadata, and, with the hash of the PDF, in the
build's manifest (``LetterRecord``), which ``send`` matches against the row
it sends to.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportgen.composing import formats
from reportgen.composing.edition_view import translate_config
from reportgen.composing.key_figures import has_minor_units
from reportgen.core.envelopes import address_field
from reportgen.core.file_gate import Gate
from reportgen.core.languages import justified_between, letter_style, written_in
from reportgen.core.private_apis import (
    font_subsets_shared,
    html_parser_patterns_kept,
    justify_between_characters,
)
from reportgen.reading import model
from reportgen.reading.model import Donor, FiscalYear, Organization, ReportConfig, Signatory
from reportgen.reading.narrative_html import fill_placeholders, role_for
from reportgen.reading.page_anchors import resolved
from reportgen.typesetting.font_subsets import share_and_trim
from reportgen.typesetting.pdf import _fetcher, collector_paused, failures_raised
from reportgen.typesetting.preflight import Finding, Layout, examine
from reportgen.typesetting.templating import template, theme_key
from reportgen.typesetting.typeset import proper_names, typeset


@dataclass(frozen=True)
class Letter:
    """Everything one letter page shows (the template's only input)."""

    slug: str
    language: str
    title: str
    heading: str
    salutation: str
    thanks: str
    body: str
    closing: str
    date: str
    date_iso: str
    organization: Organization
    signatory: Signatory | None
    logo_uri: str | None
    # The report's own wording (a ``role: letter`` file), placeholders filled:
    # it replaces salutation, opening, thanks, body and closing.
    body_html: str | None = None
    theme_dir: Path | None = None
    theme_key: str = ""  # the theme's files, for the cache key of a batch
    date_at: str = "top"  # the language's letter conventions (its pack's [letter])
    closing_at: str = "left"
    date_align: str = "left"
    signature_at: str = "left"
    opening: str = ""  # the opening words (ja: 拝啓 and a greeting), paired with the closing
    signature_lines: tuple[str, ...] = ()  # the printed signature, in the language's order
    # Who signs, in order, in the letter's language, and their signatures
    # (formats.signature_blocks: lines once above, a block each, lines once below).
    signatories: tuple[Signatory, ...] = ()
    signatures: tuple[tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...]] = ((), (), ())
    # What a PDF viewer shows as the letter's page numbers ("Letter 1"); the
    # edition after it keeps its own, printed, numbers from 1.
    page_label: str = ""
    # Who the letter is for: the donor's id ("" when the row has none) and
    # the hash of the donor's row (``row_digest``), written into the PDF.
    donor_id: str = ""
    # [print] duplex_letters: a letter of an odd number of pages gets a blank
    # back, so that the donor edition after it starts a sheet of its own.
    duplex: bool = False
    separator: str = " · "  # between two items on one line (the pack's ``separator``)
    logo_alt: str = ""  # the logo's text alternative, in the letter's language
    telephone_line: str = ""  # the letterhead's TEL 03-…　FAX 03-… (formats.telephone_line)
    row_sha256: str = ""
    # The recipient's address block, placed for the window envelope of the
    # report's country (core.envelopes): its lines, and the field on the sheet
    # in mm (left, top, width, height); () and None when the row has no address.
    address_lines: tuple[str, ...] = ()
    address_name: int = -1  # which of address_lines is the donor's name (-1: none)
    address_field: tuple[float, float, float, float] | None = None
    return_address: str = ""  # the return line: the organisation's name and address
    # The same as it is set: one line, or the name over the address where the
    # line would not fit the window (never broken inside the address's first
    # words: "(우편번호 / 101-0051", Korean review K-P6).
    return_lines: tuple[str, ...] = ()
    # Where it stands: inside the field, above the address (DIN 5008's
    # Rücksendeangabe), or else on the line above the window.
    return_inside: bool = False
    signature_uri: str | None = None  # organization.signature, as a data URI
    # Each signatory's signature (``signature_image``; the first's else
    # ``organization.signature``), as data URIs in the order they sign: None
    # for one without. No picture, no gap: the typed name follows the closing.
    signature_uris: tuple[str | None, ...] = ()
    signature_alts: tuple[str, ...] = ()  # what each picture is, in the letter's language


RETURN_PT = 7.0  # the return line's type size (letter.css.j2, .letter-return)
LETTER_MARGIN = 22.0  # mm: the letter's left margin, where the window's text starts at the least


def _fits(text: str, width_mm: float) -> bool:
    """Whether ``text`` set at ``RETURN_PT`` fits ``width_mm``, counting a
    wide character (Hangul, kana, Han) as an em and any other as 0.6 em (an
    estimate on the safe side for the Noto faces)."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)
    return ems * RETURN_PT * 25.4 / 72 <= width_mm


def return_lines(name: str, address: str, separator: str, width_mm: float) -> tuple[str, ...]:
    """The return line as set above the window: "name · address" where it
    fits ``width_mm``, else the name over the address."""
    parts = [x for x in (name, address) if x]
    whole = separator.join(parts)
    if not whole or _fits(whole, width_mm) or len(parts) < 2:
        return (whole,) if whole else ()
    return tuple(parts)


def abroad(donor: Donor, home: str | None) -> bool:
    """Whether a donor lives in another country than the one the letters are
    posted from (``organization.country``): only when both are given."""
    there = (donor.country or "").strip().casefold()
    return bool(there and home and home.strip().casefold() != there)


def address_lines(
    donor: Donor, language: str, home: str | None = None, town_capitals: bool = False
) -> tuple[str, ...]:
    """The lines of a donor's address block as the post reads them: the name,
    then the address (a line at each comma or line break), the postcode and
    the country alone, in capitals, on the last line (left out when it is
    ``home``, the country the letters are posted from); in Japanese, the 〒
    postcode and the address first and the name, with 様, after them. () when the
    row has no address. ``town_capitals``: the line the postcode ends, the
    post town, in capitals (Royal Mail)."""
    if not donor.address or not donor.address.strip():
        return ()
    parts = [p.strip() for p in re.split(r"[\n,]", donor.address) if p.strip()]
    name = formats.label(language, "letter_address_name", name=donor.name)
    postcode = (donor.postcode or "").strip()
    country = (donor.country or "").strip().upper()
    if home and not abroad(donor, home):
        country = ""
    if language.split("-")[0] in ("ja", "ko"):
        mark = (
            "〒" if language.startswith("ja") and postcode and not postcode.startswith("〒") else ""
        )
        head = (f"{mark}{postcode}",) if postcode else ()
        # The destination country stays the last line (UPU), after the name.
        return (*head, *parts, name, *((country,) if country else ()))
    if postcode:
        town = parts[-1].upper() if town_capitals else parts[-1]
        parts[-1] = f"{town} {postcode}"
    return (name, *parts, *((country,) if country else ()))


@dataclass(frozen=True)
class LetterRecord:
    """One letter as the build's manifest records it: which donor row it was
    made for and the hash of the exact file written."""

    file: str  # relative to the year's output folder: donors/<slug>.pdf
    donor_id: str  # "" when the row has no id
    row_sha256: str  # ``row_digest`` of the row the letter was made from
    pdf_sha256: str


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:60].strip("-")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(donor: Donor, fields: Sequence[str] | None = None) -> str:
    """A donor row as one canonical text: JSON, keys sorted, no spaces, every
    value a string or null (amounts as written in the model's Decimal)."""
    values: dict[str, object] = {
        "id": donor.id, "name": donor.name, "salutation": donor.salutation,
        "email": donor.email, "language": donor.language,
        "amount": None if donor.amount is None else str(donor.amount),
        "extra": [list(pair) for pair in donor.extra],
    }  # fmt: skip
    for key in ("address", "tax_id", "type", "postcode", "country"):  # absent from older rows' text
        if getattr(donor, key) is not None:
            values[key] = getattr(donor, key)
    if fields is not None:
        values = {key: values[key] for key in fields}
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def row_digest(donor: Donor) -> str:
    """The sha256 of a donor's row in canonical form (``_canonical``): any change
    to the row (a name, an address, an amount) changes it, the row's place in
    the table does not."""
    return _sha256(_canonical(donor))


def _identity_hash(donor: Donor) -> str:
    """A short hash of who the donor is (id, name, e-mail), not of the gift:
    the same donor keeps it when an amount changes."""
    return _sha256(_canonical(donor, ("id", "name", "email")))[:10]


def donor_slugs(donors: Sequence[Donor]) -> list[str]:
    """Safe, unique file names that do not depend on the rows' order: the id
    when it has letters or digits, else the name; a donor with neither (a
    name in Japanese, Korean... without an id) is ``donor-`` and a hash of
    the name. Donors whose names clash are each told apart by a hash of
    their identity (id, name, e-mail), then of the whole row; rows identical
    in every column make identical letters, numbered in turn."""
    bases = [
        _ascii_slug(d.id or "") or _ascii_slug(d.name) or f"donor-{_sha256(d.id or d.name)[:10]}"
        for d in donors
    ]
    counts = Counter(bases)
    slugs = [
        f"{base}-{_identity_hash(d)}" if counts[base] > 1 else base
        for base, d in zip(bases, donors, strict=True)
    ]
    counts = Counter(slugs)
    slugs = [
        f"{base}-{row_digest(d)[:10]}" if counts[base] > 1 else base
        for base, d in zip(slugs, donors, strict=True)
    ]
    taken: Counter[str] = Counter()
    numbered = []
    for slug in slugs:
        taken[slug] += 1
        numbered.append(slug if taken[slug] == 1 else f"{slug}-{taken[slug]}")
    return numbered


def _gift(donor: Donor, currency: str, language: str) -> str:
    """The donor's amount, with minor units (pence, cents) only when this gift
    has them: 1,200.50 and 60, never 60.00."""
    if donor.amount is None:
        return ""
    return formats.format_gift(donor.amount, currency, language, has_minor_units(donor.amount))


def punctuated(salutation: str, end: str) -> str:
    """The salutation ended as its language ends one ("Dear Ms Ellison,"): the
    pack's mark is added only when the salutation ends without punctuation."""
    text = salutation.rstrip()
    if not end or not text or unicodedata.category(text[-1]).startswith("P"):
        return text
    return text + end


def fiscal_year_name(language: str, config: ReportConfig) -> str:
    """The year as the language names it: "FY2012" as written in English,
    2012年度 in Japanese (named by the year it starts, as 年度 are), or the
    report's own ``fiscal_year_<tag>``."""
    return formats.year_name(language, config)


def _own_wording(
    year: FiscalYear, language: str, values: dict[str, str], end: str, donor: Donor
) -> tuple[str | None, str | None]:
    """(body HTML, heading) of the report's ``role: letter`` file for this
    donor's type (``donors:`` of its front matter), filled in."""
    kind = "organisation" if donor.is_organisation else "person"
    own = role_for(year.roles, "letter", language, kind)
    if own is None:
        return None, None
    # "{{salutation}}," in the file: the value already ends with the mark.
    html = (
        re.sub(r"(\{\{\s*salutation\s*\}\})" + re.escape(end), r"\1", own.html) if end else own.html
    )
    return fill_placeholders(html, values), fill_placeholders(
        own.title, values, markup=False
    ) or None


def own_salutation(donor: Donor, language: str) -> str:
    """The donor's salutation when it is written in the letter's language,
    else the pack's ("Dear Ms Ellison" never opens a Korean letter: "Jane
    Ellison 님께" does)."""
    if donor.salutation and written_in(donor.salutation, language):
        return donor.salutation
    return formats.label(language, "letter_salutation", name=donor.name)


def letter_language(year: FiscalYear, donor: Donor) -> str:
    """The language of a donor's letter (and of the e-mail that carries it):
    the donor's own when the report is written in it, else its first
    (``model.letter_language``, which the receipts share)."""
    return model.letter_language(year.config, donor)


# A monthly giver: at least this many gifts of one amount in as many
# calendar months in a row (a standing order, a direct debit).
MONTHLY_RUN = 3


def donor_gifts(year: FiscalYear, donor: Donor) -> tuple[model.Gift, ...]:
    """The donor's own rows of data/gifts (none for a row without an id)."""
    return tuple(g for g in year.gifts if donor.id and g.donor == donor.id)


def monthly_amount(gifts: Sequence[model.Gift]) -> Decimal | None:
    """What a donor gives every month, or None: the amount of the longest run
    of at least ``MONTHLY_RUN`` gifts of that amount in consecutive calendar
    months. Read from the dates and amounts, not from ``method``, whose words
    are the organisation's own, in any language; one-off gifts beside the run
    (an appeal) do not change it."""
    months: dict[Decimal, set[int]] = {}
    for gift in gifts:
        if gift.amount > 0:
            months.setdefault(gift.amount, set()).add(gift.date.year * 12 + gift.date.month)
    best: tuple[int, Decimal] | None = None
    for amount, seen in months.items():
        run = longest = 0
        for month in sorted(seen):
            run = run + 1 if month - 1 in seen else 1
            longest = max(longest, run)
        if longest >= MONTHLY_RUN and (best is None or (longest, amount) > best):
            best = (longest, amount)
    return None if best is None else best[1]


def giving_kind(donor: Donor, gifts: Sequence[model.Gift]) -> str:
    """How a letter speaks of the donor's giving in the year, the one choice
    every wording follows: ``none`` (no amount), ``group`` (an organisation:
    thanked as its members), ``monthly``, ``several`` gifts, or ``one``."""
    if donor.amount is None:
        return "none"
    if donor.is_organisation:
        return "group"
    if monthly_amount(gifts) is not None:
        return "monthly"
    return "several" if len(gifts) > 1 else "one"


def gifts_phrase(donor: Donor, gifts: Sequence[model.Gift], currency: str, language: str) -> str:
    """``{{gifts}}``: the year's giving in the letter's words, "your gift of
    £60", "your £20 every month (£250 in all)", "your 3 gifts (£90 in all)",
    "the gift of £1,200.50 from everyone at St Mary's"."""
    kind = giving_kind(donor, gifts)
    amount = _gift(donor, currency, language)
    if kind == "monthly":
        each = monthly_amount(gifts) or Decimal(0)
        money = formats.format_gift(each, currency, language, has_minor_units(each))
        return formats.label(language, "letter_gifts_monthly", each=money, amount=amount)
    if kind == "several":
        count = len(gifts)
        return formats.label(
            language, "letter_gifts_several", count, count=formats.format_number(count, language),
            amount=amount,
        )  # fmt: skip
    return formats.label(language, f"letter_gifts_{kind}", amount=amount, name=donor.name)


def letter_values(year: FiscalYear, donor: Donor) -> dict[str, str]:
    """What the placeholders of a ``letter`` (or ``email``) file say for one donor."""
    tag = letter_language(year, donor)
    language = formats.language(year.config, tag)
    config = translate_config(year.config, tag)  # names in the donor's language
    end = letter_style(tag).salutation_end
    salutation = own_salutation(donor, language)
    gifts = donor_gifts(year, donor)
    ask = model.ask_for(year.config.asks, donor.amount, monthly_amount(gifts) is not None)
    values = {
        "name": donor.name, "salutation": punctuated(salutation, end),
        "amount": _gift(donor, config.currency, language),
        "fiscal_year": fiscal_year_name(language, config),
        "organization": config.organization.name,
        "signatory": formats.format_list(
            [s.in_language(tag).name for s in config.signers], language
        ),
        "date": formats.format_date(year.config.published or year.config.end, language),
        "gifts": gifts_phrase(donor, gifts, config.currency, language),
        "ask": ask.in_language(tag) if ask is not None else "",
        "outcomes": config.outcomes or "",
    }  # fmt: skip
    return {**values, **donor_columns(donor, values["amount"])}


def donor_columns(donor: Donor, amount: str) -> dict[str, str]:
    """``{{donor.<column>}}``: each column of the donor's own row as text, its
    extra columns too; an empty cell says nothing."""
    own = {
        f"donor.{f.name}": "" if getattr(donor, f.name) is None else str(getattr(donor, f.name))
        for f in dataclass_fields(donor)
        if f.name not in ("extra", "amount")
    }
    extra = {f"donor.{name}": value for name, value in donor.extra}
    return {**extra, **own, "donor.amount": amount}


def _letter(
    year: FiscalYear,
    donor: Donor,
    slug: str,
    logo_uri: str | None,
    theme: str,
    signature_uri: str | None = None,
    uris: dict[Path, str] | None = None,
) -> Letter:
    published = year.config.published or year.config.end
    tag = letter_language(year, donor)
    language = formats.language(year.config, tag)
    config = translate_config(year.config, tag)  # names in the donor's language
    style = letter_style(tag)

    def say(key: str, **values: object) -> str:
        return formats.label(language, key, **values)

    signers = tuple(s.in_language(tag) for s in config.signers)
    signatures = formats.signature_blocks(language, config.organization.name, signers)
    # A letter's last line from everyone (北朝鮮難民救援基金 役職員一同), where the pack has one.
    sign_off = say("letter_sign_off", organization=config.organization.name).strip()
    if sign_off and signers:
        signatures = (signatures[0], signatures[1], (*signatures[2], sign_off))
    values = letter_values(year, donor)
    gift, fiscal_year = values["amount"], values["fiscal_year"]
    salutation, when = values["salutation"], values["date"]
    body_html, heading = _own_wording(year, language, values, style.salutation_end, donor)
    # The envelope is the posting country's: the report's first language decides.
    window = address_field(letter_style(year.config.language).envelope, year.config.theme.page_size)
    home = year.config.organization.country
    posted = letter_style(year.config.language)
    lines = address_lines(donor, language, home, posted.town_capitals)
    kind = giving_kind(donor, donor_gifts(year, donor))
    addressee = formats.label(language, "letter_address_name", name=donor.name)
    thanks = (
        say("letter_no_amount", fiscal_year=fiscal_year) if kind == "none"
        else say("letter_amount", amount=gift, fiscal_year=fiscal_year) if kind == "one"
        else say("letter_thanks_gifts", gifts=values["gifts"], fiscal_year=fiscal_year)
    )  # fmt: skip
    # The built-in wording asks too, when the settings declare [[asks]], after
    # the thanks, where the pack's ``letter_ask`` puts it (empty: a Japanese
    # 御礼状 asks for nothing).
    body = say("letter_body", org=config.organization.name, fiscal_year=fiscal_year)
    if values["ask"] and (ask := say("letter_ask", ask=values["ask"]).strip()):
        body = f"{ask}\n{body}"
    return Letter(
        slug=slug,
        language=tag,
        title=say("letter_for", name=donor.name) + say("separator") + config.organization.name,
        heading=heading or say("thank_you"),
        salutation=salutation,
        thanks=thanks,
        body=body,
        closing=say("letter_closing"),
        date=when,
        date_iso=published.isoformat(),
        organization=_footed(config.organization, donor),
        signatory=signers[0] if signers else None,
        logo_uri=logo_uri,
        body_html=body_html,
        theme_dir=year.config.theme_dir,
        theme_key=theme,
        date_at=style.date,
        closing_at=style.closing,
        date_align=style.date_align,
        signature_at=style.signature,
        opening=say("letter_opening"),
        signature_lines=(
            *signatures[0],
            *(x for block in signatures[1] for x in block),
            *signatures[2],
        ),
        signatories=signers,
        signatures=signatures,
        page_label=say("letter_page", page="").strip(),  # the number follows the word
        donor_id=donor.id or "",
        separator=say("separator"),
        logo_alt=say("logo_alt", name=config.organization.short_name or config.organization.name),
        telephone_line=formats.telephone_line(config.organization, language),
        row_sha256=row_digest(donor),
        duplex=year.config.printing.duplex_letters,
        address_lines=lines,
        address_name=lines.index(addressee) if addressee in lines else -1,
        address_field=(window.left, window.top, window.width, window.height) if lines else None,
        return_address=(
            say("separator").join(
                x for x in (config.organization.name, postal(config.organization.address)) if x
            )
            if lines
            else ""
        ),
        return_lines=return_lines(
            config.organization.name,
            postal(config.organization.address),
            say("separator"),
            # the template's inset; it may run 90 mm, past the window's width
            max(window.width - max(LETTER_MARGIN - window.left, 0.0), 90.0),
        )
        if lines
        else (),
        signature_uri=signature_uri,  # a theme's own template may still place it
        signature_uris=_signature_uris(year.config.signers, signature_uri, uris or {}),
        signature_alts=tuple(say("signature_alt", name=s.name) for s in signers),
        return_inside=window.return_line,
    )


# A remark closing an address, in either script's parentheses: "(illustrative)",
# "（架空の住所）", "(가상 주소)".
_REMARK = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def postal(address: str | None) -> str:
    """An address as the return line prints it: what the post reads, without
    a remark that closes it ("Leeds LS11 5XX (illustrative)" gives "Leeds LS11
    5XX"), so that the line fits on one line above the window (design review
    3: "(illustrative)" was left alone on a second line). The letterhead keeps
    the address as written."""
    return _REMARK.sub("", address or "").strip()


def _footed(organization: Organization, donor: Donor) -> Organization:
    """The organisation as a donor's letter foot shows it: for a donor abroad,
    ``giving_abroad`` (else no way to give: a domestic bank transfer is of no
    use abroad); for an organisation, ``giving_organisation`` when given; for
    a person whose Gift Aid declaration is on file (``Donor.gift_aid_invited``),
    ``giving_declared``, else ``giving_organisation``: never asked to make one."""
    giving = organization.giving
    if abroad(donor, organization.country):
        giving = organization.giving_abroad
    elif donor.is_organisation and organization.giving_organisation:
        giving = organization.giving_organisation
    elif not donor.gift_aid_invited:  # a declaration on file: not asked to make one
        giving = organization.giving_declared or organization.giving_organisation or giving
    # Its lines as written in the settings are no lines of the foot: WeasyPrint
    # (v70) breaks a footnote's text at each newline of its source, so a
    # paragraph of the foot stopped at 60 % of the measure (review 2).
    return replace(organization, giving=giving.replace("\n", " ") if giving else None)


def _signature_uris(
    signers: Sequence[Signatory], organisation_uri: str | None, uris: dict[Path, str]
) -> tuple[str | None, ...]:
    """Each signatory's signature picture, in order: their own, else (the
    first only) the organisation's ``signature``; () when nobody has one."""
    found = tuple(
        uris[s.signature] if s.signature is not None
        else organisation_uri if number == 0 else None
        for number, s in enumerate(signers)
    )  # fmt: skip
    return found if any(found) else ()


def make_letters(year: FiscalYear, logo_uri: str | None) -> list[Letter]:
    theme = theme_key(year.config.theme_dir)
    gate = Gate.of(year.config.root)
    signature = year.config.organization.signature
    signature_uri = (
        None if signature is None else gate.admit(str(signature), year.config.root).data_uri
    )
    # Each picture through the gate once, whoever signs with it.
    uris = {
        s.signature: gate.admit(str(s.signature), year.config.root).data_uri
        for s in year.config.signers
        if s.signature is not None
    }
    return [
        _letter(year, donor, slug, logo_uri, theme, signature_uri, uris)
        for slug, donor in zip(donor_slugs(year.donors), year.donors, strict=True)
    ]


def letter_html(fill: Callable[..., str], letter: Letter, css: str) -> str:
    """The HTML document of one letter (``fill``: the letter template), set
    like the editions: curly quotes, Korean words kept whole, no lone last
    character in Japanese; every link inside it has its target."""
    signers = letter.signatories or tuple(s for s in (letter.signatory,) if s is not None)
    names = proper_names(letter.organization, signers)
    page = typeset(fill(letter=letter, css=css), letter.language, "print", names)
    return resolved(page, "the letters", themed=letter.theme_dir is not None)


@dataclass(frozen=True)
class Body:
    """The shared donor edition of one language, rendered once."""

    pdf: bytes
    title: str


def _nums(tree: Any) -> dict[int, Any]:
    """A number tree's flat /Nums as a dict (WeasyPrint writes one level)."""
    values = list(tree.get("/Nums", []))
    return {int(values[i]): values[i + 1] for i in range(0, len(values), 2)}


def _graft_structure(pdf: Any, letter: Any, pages: tuple[int, int]) -> None:
    """Move the letter's tags from its own PDF into the joined file, in front
    of the body's: the letter stays a tagged, PDF/UA document.

    The letter's elements are cut loose from their document element before
    they are copied, so that nothing but them comes over with them.
    """
    import pikepdf

    source = letter.Root.StructTreeRoot
    target = pdf.Root.StructTreeRoot
    document = target.K if isinstance(target.K, pikepdf.Dictionary) else target.K[0]
    wanted = {letter.pages[n].objgen for n in range(*pages)}
    own = source.K if isinstance(source.K, pikepdf.Dictionary) else source.K[0]
    kids = own.K if isinstance(own.K, pikepdf.Array) else [own.K]
    mine = [kid for kid in kids if "/Pg" in kid and kid.Pg.objgen in wanted]
    for kid in mine:
        kid.P = letter.make_indirect(pikepdf.Dictionary())  # cut loose (see above)
    copied = [pdf.copy_foreign(kid) for kid in mine]
    for kid in copied:
        kid.P = document
    children = document.K if isinstance(document.K, pikepdf.Array) else [document.K]
    document.K = pikepdf.Array([*copied, *children])
    nums = _nums(target.ParentTree)
    entries = _nums(source.ParentTree)
    key = max(nums, default=-1) + 1
    for offset, number in enumerate(range(*pages)):
        old = letter.pages[number].get("/StructParents")
        if old is None or int(old) not in entries:
            continue
        entry = entries[int(old)]
        nums[key] = pdf.make_indirect(pikepdf.Array(
            [pdf.copy_foreign(e) if e.is_indirect else e for e in entry]
        ))  # fmt: skip
        pdf.pages[offset].StructParents = key
        key += 1
    flat = pikepdf.Array()
    for number in sorted(nums):
        flat.append(number)
        flat.append(nums[number])
    target.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=flat))
    if "/ParentTreeNextKey" in target:
        target.ParentTreeNextKey = key


def without_bleed(pdf: bytes) -> bytes:
    """The donor edition as a letter carries it: each page cut to its trim
    box (``[print] bleed`` gives the edition 3 mm more on every side, for a
    print shop). A letter is printed on the office's own A4 or Letter, the
    letter's pages and the edition's alike: one page size in one file, which
    a printer neither shrinks nor crops (design review 3, "a letter pack
    mixes two page sizes"). The edition alone keeps its bleed."""
    import pikepdf

    document = pikepdf.open(io.BytesIO(pdf))
    cut = False
    for page in document.pages:
        trim = page.obj.get("/TrimBox")
        if trim is not None and [float(v) for v in trim] != [float(v) for v in page.mediabox]:
            box = pikepdf.Array([float(v) for v in trim])
            page.obj.MediaBox = box
            page.obj.CropBox = box
            page.obj.BleedBox = box
            cut = True
    if not cut:
        return pdf
    out = io.BytesIO()
    document.save(out, static_id=True)
    return out.getvalue()


# The keys of a letter's document information that say whom it was made for.
DONOR_ID_KEY = "/ReportgenDonorID"
DONOR_ROW_KEY = "/ReportgenDonorRowSHA256"


def join(source: Any, body: Body, letter: Letter, created: date) -> bytes:
    """The letter's pages (``source``, its own PDF) then the body: one
    standalone PDF with outline and metadata, and the donor it is for.

    qpdf (through pikepdf) copies the letter's pages in front of the body's
    untouched objects, which is many times faster than re-serialising both.
    """
    import pikepdf

    pages = (0, len(source.pages))
    pdf = pikepdf.open(io.BytesIO(body.pdf))
    for offset, number in enumerate(range(*pages)):
        pdf.pages.insert(offset, source.pages[number])
    _graft_structure(pdf, source, pages)
    with pdf.open_outline() as outline:
        outline.root.insert(0, pikepdf.OutlineItem(letter.heading, 0))
    # (The XMP is edited first: leaving this block copies it over the document info.)
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["dc:title"] = letter.title
    stamp = created.strftime("D:%Y%m%d000000Z")
    pdf.docinfo["/Title"] = letter.title
    pdf.docinfo["/Author"] = letter.organization.name
    pdf.docinfo["/Subject"] = body.title
    pdf.docinfo["/CreationDate"] = stamp
    pdf.docinfo["/ModDate"] = stamp
    pdf.docinfo[DONOR_ID_KEY] = pikepdf.String(letter.donor_id)
    pdf.docinfo[DONOR_ROW_KEY] = pikepdf.String(letter.row_sha256)
    pdf.Root.Lang = pikepdf.String(letter.language)
    # Two documents in one file, each numbered as printed: the letter's pages
    # "Letter 1"..., then the edition's own folios from 1.
    letter_pages = pikepdf.Dictionary(S=pikepdf.Name.D, P=pikepdf.String(f"{letter.page_label} "))
    edition_pages = pikepdf.Dictionary(S=pikepdf.Name.D, St=1)
    pdf.Root.PageLabels = pikepdf.Dictionary(
        Nums=pikepdf.Array([0, letter_pages, pages[1] - pages[0], edition_pages])
    )
    pdf.Root.PageMode = pikepdf.Name.UseOutlines
    share_and_trim(pdf)  # one program per face for the letter and the edition

    out = io.BytesIO()
    pdf.save(out, static_id=True, compress_streams=True)  # the letter's pages deflated here
    return out.getvalue()


def recorded_identity(pdf: Any) -> tuple[str, str]:
    """(donor id, row hash) a letter's metadata says it was made for (pikepdf)."""
    info = pdf.docinfo
    return str(info.get(DONOR_ID_KEY, "")), str(info.get(DONOR_ROW_KEY, ""))


class _Layout:
    """What a process reuses across the letters it lays out, each in a
    document of its own: the fetcher, the parsed stylesheet and the font
    configuration (fonts found and loaded once). Nothing of a letter stays
    in it: a document's layout, its running strings and counters, and the
    fonts it embeds (subset to its own text) are made anew for each."""

    def __init__(self, css: str, base: Path) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        html_parser_patterns_kept()  # WeasyPrint parses each letter with tinyhtml5
        justify_between_characters(justified_between())  # 両端揃え; Korean words whole
        self.base_url = base.resolve().as_uri() + "/"
        self.fetcher = _fetcher(Gate.of(base))
        self.fonts = FontConfiguration()
        self.stylesheet = CSS(
            string=css, base_url=self.base_url, url_fetcher=self.fetcher, font_config=self.fonts
        )
        self._blank: list[Any] = []

    def blank_pages(self) -> list[Any]:
        """The blank back of a letter printed on both sides, laid out once:
        it shows nothing of any donor (``BLANK_PAGE``), and writing a page
        only reads its boxes."""
        if not self._blank:
            self._blank.extend(self.render(BLANK_PAGE).pages)
        return self._blank

    def render(self, html: str) -> Any:
        from weasyprint import HTML

        page = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
        return page.render(stylesheets=[self.stylesheet], font_config=self.fonts)


_layouts: dict[tuple[str, Path], _Layout] = {}


def _layout(css: str, base: Path) -> _Layout:
    """This process's ``_Layout`` for ``css`` (a worker keeps it between jobs)."""
    key = (hashlib.sha256(css.encode()).hexdigest(), base)
    if key not in _layouts:
        _layouts.clear()  # one stylesheet at a time: a build's letters share it
        _layouts[key] = _Layout(css, base)
    return _layouts[key]


def layout_for(css: str, base: Path) -> _Layout:
    """This process's reusable layout for ``css`` (the receipts use it too)."""
    return _layout(css, base)


# The blank back of a letter printed on both sides: the named page ``blank``
# (letter.css.j2) has no margin boxes, and the preflight expects it empty.
BLANK_PAGE = '<!DOCTYPE html><html><body><div style="page: blank"></div></body></html>'


def render_letter(
    letter: Letter, html: str, layout: _Layout, findings: list[Finding] | None = None
) -> Any:
    """Lay out one letter in a document of its own; its PDF (pikepdf)."""
    import pikepdf

    document = layout.render(html)
    if letter.duplex and len(document.pages) % 2:
        document = document.copy([*document.pages, *layout.blank_pages()])
    if findings is not None:
        findings.extend(examine(document.pages, f"donors/{letter.slug}.pdf",
                                layout=Layout(multiple=2 if letter.duplex else 1)))  # fmt: skip
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    # Written uncompressed: this PDF is only read back by ``join``, whose save
    # deflates what it copies (qpdf, zlib's default level: a letter's page is
    # some 20 bytes larger than at WeasyPrint's level 9). A CJK face's subset,
    # which ``share_and_trim`` replaces by its own program, is then never
    # deflated for nothing: a Japanese letter costs 25-30 ms less CPU (a third
    # of writing and joining it), the same pages (bench/README.md, issue 29).
    data = document.write_pdf(
        pdf_identifier=identifier, pdf_variant="pdf/ua-1", uncompressed_pdf=True
    )
    return pikepdf.open(io.BytesIO(data))


def render_batch(
    letters: Sequence[Letter],
    css: str,
    base: Path,
    bodies: dict[str, Body],
    created: date,
    write: Callable[[str, bytes], None],
    findings: list[Finding] | None = None,
) -> int:
    """Lay out each letter of a batch in a document of its own, join it to
    its language's body and write it. With ``findings``, the preflight
    inspects each letter's pages (the donor edition that follows is
    inspected where it is rendered)."""
    if not letters:
        return 0
    fill = template("letter.html.j2", letters[0].theme_dir)
    # A subset that another letter of the batch needed too (a CJK face set
    # in the same words: the heading, the closing, the organisation's name)
    # is made once: the same bytes, without HarfBuzz's 50-100 ms a face.
    with (
        failures_raised("the donor letters could not be made"),
        collector_paused(),
        font_subsets_shared(),
    ):
        # The stylesheet is given to each document parsed once (``_Layout``),
        # not in its <style>: the letter template gets no css of its own.
        layout = _layout(css, base)
        for letter in letters:
            source = render_letter(letter, letter_html(fill, letter, ""), layout, findings)
            joined = join(source, bodies[letter.language], letter, created)
            write(f"donors/{letter.slug}.pdf", joined)
    return len(letters)
