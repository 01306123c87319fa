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
from reportgen.errors import RenderError
from reportgen.figures import has_minor_units
from reportgen.languages import letter_style
from reportgen.model import Donor, FiscalYear, Organization, ReportConfig, Signatory
from reportgen.preflight import Finding


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
    # What a PDF viewer shows as the letter's page numbers ("Letter 1"); the
    # edition after it keeps its own, printed, numbers from 1.
    page_label: str = ""


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


def _gift(donor: Donor, currency: str, language: str) -> str:
    """The donor's amount, with minor units (pence, cents) only when this gift
    has them: 1,200.50 and 60, never 60.00."""
    if donor.amount is None:
        return ""
    return i18n.format_amount(donor.amount, currency, language, has_minor_units(donor.amount))


def punctuated(salutation: str, end: str) -> str:
    """The salutation ended as its language ends one ("Dear Ms Ellison,"): the
    pack's mark is added only when the salutation ends without punctuation."""
    text = salutation.rstrip()
    if not end or not text or unicodedata.category(text[-1]).startswith("P"):
        return text
    return text + end


def signature_lines(
    language: str, organization: str, signatory: Signatory | None
) -> tuple[str, ...]:
    """The printed signature in the language's order ("Kato Hiroshi" /
    "Representative, ..." in English; "北朝鮮難民救援基金" / "代表　加藤博" in Japanese)."""
    if signatory is None:
        return ()
    key = "letter_signature" if signatory.role else "letter_signature_plain"
    text = i18n.label(language, key, name=signatory.name, role=signatory.role or "",
                      organization=organization)  # fmt: skip
    return tuple(line.strip() for line in text.split("\n") if line.strip())


def fiscal_year_name(language: str, config: ReportConfig) -> str:
    """The year as the language names it: "FY2012" as written in English,
    2012年度 in Japanese (named by the year it starts, as 年度 are)."""
    return i18n.label(language, "fiscal_year_name", fiscal_year=config.fiscal_year,
                      start_year=config.start.year, end_year=config.end.year)  # fmt: skip


def _own_wording(
    year: FiscalYear, language: str, values: dict[str, str], end: str
) -> tuple[str | None, str | None]:
    """(body HTML, heading) of the report's ``role: letter`` file, filled in."""
    from reportgen.narrative import fill_placeholders, role_for

    own = role_for(year.roles, "letter", language)
    if own is None:
        return None, None
    # "{{salutation}}," in the file: the value already ends with the mark.
    html = (
        re.sub(r"(\{\{\s*salutation\s*\}\})" + re.escape(end), r"\1", own.html) if end else own.html
    )
    return fill_placeholders(html, values), fill_placeholders(
        own.title, values, markup=False
    ) or None


def letter_language(year: FiscalYear, donor: Donor) -> str:
    """The language of a donor's letter (and of the e-mail that carries it)."""
    # a language the report does not build (validate warned): its first
    return donor.language if donor.language in year.config.languages else year.config.language


def letter_values(year: FiscalYear, donor: Donor) -> dict[str, str]:
    """What the placeholders of a ``letter`` (or ``email``) file say for one donor."""
    from reportgen.editions import translate_config

    tag = letter_language(year, donor)
    language = i18n.language(year.config, tag)
    config = translate_config(year.config, tag)  # names in the donor's language
    end = letter_style(tag).salutation_end
    salutation = donor.salutation or i18n.label(language, "letter_salutation", name=donor.name)
    return {
        "name": donor.name, "salutation": punctuated(salutation, end),
        "amount": _gift(donor, config.currency, language),
        "fiscal_year": fiscal_year_name(language, config),
        "organization": config.organization.name,
        "signatory": config.signatory.name if config.signatory else "",
        "date": i18n.format_date(year.config.published or year.config.end, language),
    }  # fmt: skip


def _letter(year: FiscalYear, donor: Donor, slug: str, logo_uri: str | None, theme: str) -> Letter:
    from reportgen.editions import translate_config

    published = year.config.published or year.config.end
    tag = letter_language(year, donor)
    language = i18n.language(year.config, tag)
    config = translate_config(year.config, tag)  # names in the donor's language
    style = letter_style(tag)

    def say(key: str, **values: object) -> str:
        return i18n.label(language, key, **values)

    values = letter_values(year, donor)
    gift, fiscal_year = values["amount"], values["fiscal_year"]
    salutation, when = values["salutation"], values["date"]
    body_html, heading = _own_wording(year, language, values, style.salutation_end)
    thanks = (
        say("letter_amount", amount=gift, fiscal_year=fiscal_year)
        if donor.amount is not None
        else say("letter_no_amount", fiscal_year=fiscal_year)
    )
    return Letter(
        slug=slug,
        language=tag,
        title=f"{say('letter_for', name=donor.name)} · {config.organization.name}",
        heading=heading or say("thank_you"),
        salutation=salutation,
        thanks=thanks,
        body=say("letter_body", org=config.organization.name),
        closing=say("letter_closing"),
        date=when,
        date_iso=published.isoformat(),
        organization=config.organization,
        signatory=config.signatory,
        logo_uri=logo_uri,
        body_html=body_html,
        theme_dir=year.config.theme_dir,
        theme_key=theme,
        date_at=style.date,
        closing_at=style.closing,
        date_align=style.date_align,
        signature_at=style.signature,
        opening=say("letter_opening"),
        signature_lines=signature_lines(language, config.organization.name, config.signatory),
        page_label=say("letter_page", page="").strip(),  # the number follows the word
    )


def make_letters(year: FiscalYear, logo_uri: str | None) -> list[Letter]:
    from reportgen.templating import theme_key

    theme = theme_key(year.config.theme_dir)
    return [
        _letter(year, donor, slug, logo_uri, theme)
        for slug, donor in zip(donor_slugs(year.donors), year.donors, strict=True)
    ]


_FOOTNOTE_IDS = re.compile(r'(\sid="|\shref="#)(?=fn)')


def letters_html(letters: Sequence[Letter], css: str) -> str:
    """One HTML document holding every letter of a batch, each on its own page."""
    from reportgen.anchors import resolved
    from reportgen.templating import template
    from reportgen.typeset import typeset

    fill = template("letter.html.j2", letters[0].theme_dir)
    # Set like the editions: curly quotes, Korean words kept whole, no lone
    # last character in Japanese.
    pages = [typeset(fill(letter=letter, css=css), letter.language, "print") for letter in letters]
    # Each rendered letter is a full document; keep the first head, join the bodies.
    bodies = [re.search(r"<body[^>]*>(.*)</body>", p, re.S).group(1) for p in pages]  # type: ignore[union-attr]
    head = pages[0].split("<body", 1)[0]
    # Each letter's footnotes under ids of its own: every letter repeats the
    # same wording, and a note must be found in the letter that cites it.
    own = [_FOOTNOTE_IDS.sub(lambda m, i=i: f"{m.group(1)}letter-{i}-", b)
           for i, b in enumerate(bodies)]  # fmt: skip
    marked = "".join(
        f'<div class="letter-page" id="letter-{i}" lang="{letters[i].language}">{b}</div>'
        for i, b in enumerate(own)
    )
    return resolved(f'{head}<body class="medium-print edition-letter">{marked}</body></html>',
                    "the letters", themed=letters[0].theme_dir is not None)  # fmt: skip


@dataclass(frozen=True)
class Body:
    """The shared donor edition of one language, rendered once."""

    pdf: bytes
    title: str


def _nums(tree: Any) -> dict[int, Any]:
    """A number tree's flat /Nums as a dict (WeasyPrint writes one level)."""
    values = list(tree.get("/Nums", []))
    return {int(values[i]): values[i + 1] for i in range(0, len(values), 2)}


def _graft_structure(pdf: Any, batch: Any, pages: tuple[int, int]) -> None:
    """Move the letter pages' tags from the batch into the joined file, in front
    of the body's: the letter stays a tagged, PDF/UA document.

    Only this letter's elements are copied: each is first cut loose from the
    batch's document element, which also holds every other donor's letter.
    """
    import pikepdf

    source = batch.Root.StructTreeRoot
    target = pdf.Root.StructTreeRoot
    document = target.K if isinstance(target.K, pikepdf.Dictionary) else target.K[0]
    wanted = {batch.pages[n].objgen for n in range(*pages)}
    batch_document = source.K if isinstance(source.K, pikepdf.Dictionary) else source.K[0]
    kids = batch_document.K if isinstance(batch_document.K, pikepdf.Array) else [batch_document.K]
    mine = [kid for kid in kids if "/Pg" in kid and kid.Pg.objgen in wanted]
    for kid in mine:
        kid.P = batch.make_indirect(pikepdf.Dictionary())  # cut loose (see above)
    copied = [pdf.copy_foreign(kid) for kid in mine]
    for kid in copied:
        kid.P = document
    children = document.K if isinstance(document.K, pikepdf.Array) else [document.K]
    document.K = pikepdf.Array([*copied, *children])
    nums = _nums(target.ParentTree)
    entries = _nums(source.ParentTree)
    key = max(nums, default=-1) + 1
    for offset, number in enumerate(range(*pages)):
        old = batch.pages[number].get("/StructParents")
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


def join(batch: Any, pages: tuple[int, int], body: Body, letter: Letter, created: date) -> bytes:
    """Letter pages then the body: one standalone PDF with outline and metadata.

    qpdf (through pikepdf) copies the letter's pages in front of the body's
    untouched objects, which is many times faster than re-serialising both.
    """
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(body.pdf))
    for offset, number in enumerate(range(*pages)):
        pdf.pages.insert(offset, batch.pages[number])
    _graft_structure(pdf, batch, pages)
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
    pdf.Root.Lang = pikepdf.String(letter.language)
    # Two documents in one file, each numbered as printed: the letter's pages
    # "Letter 1"..., then the edition's own folios from 1.
    letter_pages = pikepdf.Dictionary(S=pikepdf.Name.D, P=pikepdf.String(f"{letter.page_label} "))
    edition_pages = pikepdf.Dictionary(S=pikepdf.Name.D, St=1)
    pdf.Root.PageLabels = pikepdf.Dictionary(
        Nums=pikepdf.Array([0, letter_pages, pages[1] - pages[0], edition_pages])
    )
    pdf.Root.PageMode = pikepdf.Name.UseOutlines

    out = io.BytesIO()
    pdf.save(out, static_id=True)
    return out.getvalue()


def _preflight(
    pages: Sequence[Any], letters: Sequence[Letter], starts: dict[int, int], bounds: list[int]
) -> list[Finding]:
    """The preflight of a batch, each letter's pages judged as its own file."""
    from reportgen.preflight import Part, examine

    parts = [
        Part(f"donors/{letter.slug}.pdf", starts[i], bounds[bounds.index(starts[i]) + 1])
        for i, letter in enumerate(letters)
    ]
    return examine(pages, "", parts)


def render_batch(
    letters: Sequence[Letter],
    css: str,
    base: Path,
    bodies: dict[str, Body],
    created: date,
    write: Callable[[str, bytes], None],
    findings: list[Finding] | None = None,
) -> int:
    """Lay out a batch of letters in one document, split it, join and write
    each. With ``findings``, the preflight inspects each letter's pages (the
    donor edition that follows is inspected where it is rendered)."""
    import pikepdf

    from reportgen.gate import Gate
    from reportgen.pdf import _fetcher, collector_paused, failures_raised

    if not letters:
        return 0
    from weasyprint import HTML

    with failures_raised("the donor letters could not be made"), collector_paused():
        document = HTML(
            string=letters_html(letters, css),
            base_url=base.resolve().as_uri() + "/",
            url_fetcher=_fetcher(Gate.of(base)),
        ).render()
        starts: dict[int, int] = {}
        for number, page in enumerate(document.pages):
            for anchor in page.anchors:
                if anchor.startswith("letter-"):
                    starts.setdefault(int(anchor[7:]), number)
        firsts = [starts.get(i) for i in range(len(letters))]
        if None in firsts or len(set(firsts)) != len(firsts):
            # Two letters sharing a page would show one donor another's letter.
            raise RenderError("donor letters were not laid out one per page")
        bounds = [*sorted(starts.values()), len(document.pages)]
        if findings is not None:
            findings.extend(_preflight(document.pages, letters, starts, bounds))
        # One PDF for the whole batch (fonts subset once), then split page ranges off it.
        batch = pikepdf.open(
            io.BytesIO(document.write_pdf(pdf_identifier=b"letters", pdf_variant="pdf/ua-1"))
        )
    for index, letter in enumerate(letters):
        first = starts[index]
        last = bounds[bounds.index(first) + 1]
        data = join(batch, (first, last), bodies[letter.language], letter, created)
        write(f"donors/{letter.slug}.pdf", data)
    return len(letters)
