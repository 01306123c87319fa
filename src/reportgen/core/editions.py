"""The editions, declared once.

``EDITIONS`` declares each edition (audience, template, HTML or not,
attachments, letters); nothing else compares edition names. What each
audience may see is enforced in one place, ``composing.edition_view``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reportgen.core import messages as M


@dataclass(frozen=True)
class Edition:
    name: str
    audience: Literal["public", "members"]  # members also see internal rows
    template: str  # under templates/
    html: bool = False  # a self-contained HTML file besides the PDF
    attachments: bool = False  # the PDF carries its tables as CSV files
    # Follows each donor letter: rendered a second time without its own
    # general letter ("Dear friends"), which the personal letter replaces.
    letters: bool = False
    # Its title in English, under the report's own ("General Meeting
    # Handout FY2012"); each language pack translates it as the word
    # ``title_<name>`` (check names a language whose pack lacks it). None: the
    # edition is headed by the report's own title (the annual report).
    title: str | None = None
    # Not one document but one PDF per donor, from the donor's own rows only
    # (``receipts/<slug>.pdf``): never planned as a document of the year.
    per_donor: bool = False
    # How its top-level sections meet, the one policy for all of them:
    # "page": each starts a page, unless it fits in what the section before
    # left of its last page (it then shares that page, on purpose:
    # ``preflight.sharing``); "run-on": each follows the one before on the page.
    section_breaks: Literal["page", "run-on"] = "run-on"
    # A bound publication: ``[print] pad_to_multiple_of`` makes up its page
    # count with notes pages. A loose sheet (the handout) is not padded.
    bound: bool = False
    # Its notes pages open with a page that asks for support and gives the
    # organisation's ways to give (``organization.giving``; notes.html.j2):
    # an edition that gives them nowhere inside (the donor edition has its
    # reply strip and back page: they are given once).
    giving_page: bool = False
    # At most this many pages (the handout: one sheet, printed on both sides);
    # the preflight reports a document over it, and copy-fitting's tighter
    # layout (the template's ``fit``) gives way first: fewer charts and key figures.
    pages: int | None = None
    # Which accounts it carries when the year gives them (data/balance,
    # data/funds): "balance" (the balance sheet) and "funds" (the statement of
    # funds). Its template sets them with partials/accounts.html.j2.
    accounts: tuple[Literal["balance", "funds"], ...] = ()
    # Its name in a line to the user (a build's progress), a catalog message
    # whose English is ``name``: 총회 자료, 総会資料 in Korean and Japanese.
    said: M.Message | None = None

    @property
    def public(self) -> bool:
        return self.audience == "public"

    def shown(self) -> str:
        """Its name as a line to the user says it (in the user's language)."""
        return self.said() if self.said is not None else self.name


EDITIONS: dict[str, Edition] = {
    e.name: e
    for e in (
        Edition(
            "annual-report",
            "public",
            "annual-report.html.j2",
            html=True,
            attachments=True,
            section_breaks="page",
            bound=True,
            giving_page=True,
            # What a regulator reads first: the whole accounts.
            accounts=("balance", "funds"),
            said=M.EDITION_ANNUAL_REPORT,
        ),
        Edition(
            "handout",
            "members",
            "handout.html.j2",
            title="General Meeting Handout",
            # The members approve the year's accounts at the general meeting
            # (an association's AGM, a 社員総会, a 정기총회) from the annual
            # report; their one sheet carries the statement of funds (what
            # became of money given for a purpose), not the balance sheet,
            # which with the key figures, charts and notes fills no sheet.
            accounts=("funds",),
            pages=2,
            said=M.EDITION_HANDOUT,
        ),
        Edition(
            "donor",
            "public",
            "donor.html.j2",
            letters=True,
            title="Report to Our Donors",
            bound=True,
            # No accounts: the statement of funds and the balance sheet are
            # the trustees', the members' and the regulator's reading (the
            # annual report, the handout). A donor reads where the money went
            # (the functions' chart), not fund movements (review r34: "trustee
            # material", a page 60 % empty in the UK edition).
            said=M.EDITION_DONOR,
        ),
        Edition("receipts", "public", "receipt.html.j2", per_donor=True),
    )
}
EDITION_NAMES = tuple(EDITIONS)
# The editions laid out as one document per year and language.
DOCUMENTS = tuple(name for name, e in EDITIONS.items() if not e.per_donor)
for _name in DOCUMENTS:  # a document's progress line names it: a catalog message of its name
    if EDITIONS[_name].said is None or EDITIONS[_name].said.english != _name:  # type: ignore[union-attr]
        raise RuntimeError(f"edition '{_name}' has no message of its name (said)")


def edition(name: str) -> Edition:
    return EDITIONS[name]


def is_public(name: str) -> bool:
    return EDITIONS[name].public
