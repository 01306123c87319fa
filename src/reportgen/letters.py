"""Personalised donor letters: one PDF per donor, fast.

What is the same for every donor (the donor edition) is rendered once per
language; per donor only the one-page letter is laid out, and the two are
joined with pypdf, each result a standalone PDF with its own outline and
metadata. Letters render in worker processes (``workers``) in batches: a
batch is one WeasyPrint document of many letter pages, split page by page.
The donor's row reaches only that donor's letter.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportgen import i18n
from reportgen.model import Donor, FiscalYear, Organization, Signatory


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


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:60].strip("-")


def donor_slugs(donors: Sequence[Donor]) -> list[str]:
    """Safe, unique file names: the id when given, else the name; numbered on clashes."""
    slugs: list[str] = []
    taken: set[str] = set()
    for number, donor in enumerate(donors, start=1):
        base = _ascii_slug(donor.id or "") or _ascii_slug(donor.name) or f"donor-{number}"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def make_letters(year: FiscalYear, logo_uri: str | None) -> list[Letter]:
    config = year.config
    published = config.published or config.end
    letters = []
    for slug, donor in zip(donor_slugs(year.donors), year.donors, strict=True):
        language = donor.language or config.language

        def say(key: str, language: str = language, **values: object) -> str:
            return i18n.label(language, key, **values)

        amount = (
            say(
                "letter_amount",
                amount=i18n.format_money(donor.amount, config.currency, language),
                fiscal_year=config.fiscal_year,
            )
            if donor.amount is not None
            else say("letter_no_amount", fiscal_year=config.fiscal_year)
        )
        default_salutation = (
            f"{donor.name} 様" if language == "ja" else say("letter_salutation", name=donor.name)
        )
        letters.append(
            Letter(
                slug=slug,
                language=language,
                title=f"{say('letter_for', name=donor.name)} · {config.organization.name}",
                heading=say("thank_you"),
                salutation=donor.salutation or default_salutation,
                thanks=amount,
                body=say("letter_body", org=config.organization.name),
                closing=say("letter_closing"),
                date=i18n.format_date(published, language),
                date_iso=published.isoformat(),
                organization=config.organization,
                signatory=config.signatory,
                logo_uri=logo_uri,
            )
        )
    return letters


def letters_html(letters: Sequence[Letter], css: str) -> str:
    """One HTML document holding every letter of a batch, each on its own page."""
    from reportgen.templating import environment

    template = environment().get_template("letter.html.j2")
    pages = [template.render(letter=letter, css=css) for letter in letters]
    # Each rendered letter is a full document; keep the first head, join the bodies.
    bodies = [re.search(r"<body[^>]*>(.*)</body>", p, re.S).group(1) for p in pages]  # type: ignore[union-attr]
    head = pages[0].split("<body", 1)[0]
    marked = "".join(
        f'<div class="letter-page" id="letter-{i}" lang="{letters[i].language}">{b}</div>'
        for i, b in enumerate(bodies)
    )
    return f'{head}<body class="medium-print edition-letter">{marked}</body></html>'


@dataclass(frozen=True)
class Body:
    """The shared donor edition of one language, rendered once."""

    pdf: bytes
    outline: tuple[tuple[str, int], ...]  # (title, 0-based page) of its top entries
    title: str


def body_outline(pdf: bytes) -> tuple[tuple[str, int], ...]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return tuple(
        (str(item.title), reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    )


def join(letter_pdf: bytes, body: Body, body_reader: Any, letter: Letter, created: date) -> bytes:
    """Letter pages then the body: one standalone PDF with outline and metadata."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    letter_reader = PdfReader(io.BytesIO(letter_pdf))
    writer.append(letter_reader, import_outline=False)
    offset = len(letter_reader.pages)
    writer.append(body_reader, import_outline=False)
    writer.add_outline_item(title=letter.heading, page_number=0)
    for title, page in body.outline:
        writer.add_outline_item(title=title, page_number=page + offset)
    stamp = created.strftime("D:%Y%m%d000000Z")
    writer.add_metadata(
        {
            "/Title": letter.title,
            "/Author": letter.organization.name,
            "/Subject": body.title,
            "/CreationDate": stamp,
            "/ModDate": stamp,
        }
    )
    writer._root_object[NameObject("/Lang")] = TextStringObject(letter.language)
    writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_batch(
    letters: Sequence[Letter],
    css: str,
    base: Path,
    bodies: dict[str, Body],
    created: date,
    write: Callable[[str, bytes], None],
) -> int:
    """Lay out a batch of letters in one document, split it, join and write each."""
    from pypdf import PdfReader

    from reportgen.fetch import Sandbox
    from reportgen.pdf import _fetcher

    if not letters:
        return 0
    from weasyprint import HTML

    document = HTML(
        string=letters_html(letters, css),
        base_url=base.resolve().as_uri() + "/",
        url_fetcher=_fetcher(Sandbox.of([base])),
    ).render()
    starts: dict[int, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("letter-"):
                starts.setdefault(int(anchor[7:]), number)
    readers = {lang: PdfReader(io.BytesIO(b.pdf)) for lang, b in bodies.items()}
    bounds = [*sorted(starts.values()), len(document.pages)]
    for index, letter in enumerate(letters):
        first = starts[index]
        last = bounds[bounds.index(first) + 1]
        pages = document.copy(document.pages[first:last])
        letter_pdf = pages.write_pdf(pdf_identifier=letter.slug.encode())
        language = letter.language if letter.language in bodies else next(iter(bodies))
        write(
            f"donors/{letter.slug}.pdf",
            join(letter_pdf, bodies[language], readers[language], letter, created),
        )
    return len(letters)
