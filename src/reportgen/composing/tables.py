"""A table as a page shows it: formatted cells, which columns are numbers,
a footer; what every list, finance table and account of the context is made of.

Pure data: ``page_context`` and ``accounts`` fill it, templates place it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    note: str | None = None  # a second, smaller line under the first cell
    # Accounts: "heading" (a section's name), "item", "subtotal" or "total"
    # (ruled above); "" for the rows of any other table.
    kind: str = ""


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    numeric: tuple[int, ...] = ()  # columns aligned right
    note_column: int = 0  # the cell under which a row's note is printed
    footer: tuple[str, ...] | None = None
    print_rows: tuple[Row, ...] | None = None  # a long table's rows in print; None: all
    print_note: str | None = None  # says what print leaves out, and where it is
    dates: tuple[int, ...] = ()  # columns of dates: never wrapped inside
    # The unit of its amounts, said once above it ("단위: 엔": formats.table_unit)
    # where the cells leave it out; None where each amount carries its own.
    unit: str | None = None
    # Columns of a short kind ("Diet member", "Embassy"): never wrapped
    # inside either (short_words), so a kind reads as one term.
    whole: tuple[int, ...] = ()
    # A statement's last line, after its footer (当期正味財産増減額: income
    # less expenses), double-ruled below; None for any other table.
    result: tuple[str, ...] | None = None

    @property
    def fits_a_phone(self) -> bool:
        """Whether the table fits a phone's width as a table: a name and at
        most ``PHONE_FIGURES`` columns of figures (the finance tables, a
        balance sheet). Any other shows each row as a card on a phone
        (macros.table, screen.css): the one rule for every table."""
        figures = range(1, len(self.headers))
        return 0 < len(figures) <= PHONE_FIGURES and all(i in self.numeric for i in figures)


# A phone (390 px) holds a table of a name and this many columns of figures,
# its names wrapping; more columns, or a column of words, become cards.
PHONE_FIGURES = 3


# A cell of a column of kinds holds at most this many characters and words
# ("Diet member"): the column is then set unwrapped (review r34: "Diet /
# member" in two lines of the MET WITH column).
SHORT_CHARACTERS = 16
SHORT_WORDS = 2


def short_words(values: Sequence[str]) -> bool:
    """Whether every cell of a column of words is a short term (at most
    ``SHORT_CHARACTERS`` characters, a full-width one counted twice, and
    ``SHORT_WORDS`` words): one that reads
    as one term and should not wrap. False for a column with no words."""
    present = [v for v in values if v.strip()]
    return bool(present) and all(
        _width(v) <= SHORT_CHARACTERS and len(v.split()) <= SHORT_WORDS for v in present
    )


def _width(text: str) -> int:
    """Characters counted by width: a full-width one (漢字, 한글) as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# A column that says the same of this many rows or more tells the reader
# nothing that a sentence would not (every coalition a "member").
CONSTANT_ROWS = 3


def says_something(values: Sequence[object], numeric: bool) -> bool:
    """Whether a column of a listed table tells its reader anything: the one
    rule for every table and every organisation (``page_context.list_section``
    applies it). Not when every cell is empty; not when a number is the same
    0 or 1 in every row (a local food bank's coalition in "1" country); not
    when every one of ``CONSTANT_ROWS`` or more rows says the same."""
    present = [v for v in values if v is not None and str(v).strip() != ""]
    if not present:
        return False
    if len(present) < len(values) or len({str(v) for v in present}) > 1:
        return True
    if numeric and _as_number(present[0]) in (0, 1):
        return False
    return len(values) < CONSTANT_ROWS


def in_case_of(names: Sequence[str], terms: Sequence[str]) -> list[str]:
    """A column of short terms (a coalition's role, "member") in the case the
    organisation writes the names beside them (review r35, 7: "member" next to
    "Tokyo Refugee Support Liaison Network"): where every name that starts
    with a cased letter starts with a capital, a term that starts in lower
    case gets a capital too, as the key figures' labels do
    (``page_context._in_one_case``). Names in a script without case (漢字,
    한글), or written in lower case, leave the terms as they are."""
    firsts = [n.strip()[:1] for n in names]
    cased = [c for c in firsts if c.upper() != c.lower()]
    if not cased or not all(c.isupper() for c in cased):
        return list(terms)
    return [t[:1].upper() + t[1:] if t[:1].islower() else t for t in terms]


# A title this long (letters compared) that opens the note is the note's
# own start; a shorter one ("Meeting") may merely begin a fuller sentence.
REPEATED_START = 12


def note_adds(note: str | None, named: str | None) -> str | None:
    """A row's note (an activity's description), or None when it only says
    again what the cell above it says: it repeats the title, or starts with
    it ("Assisted two people to reach safety" over "Assisted two people to
    reach safety in Southeast Asia"), when the title is long enough to be a
    sentence of its own (``REPEATED_START``). Letters, digits and ideographs
    are compared, case, width and punctuation ignored."""
    if note is None or not note.strip():
        return None
    title, said = _letters(named or ""), _letters(note)
    if said == title or (len(title) >= REPEATED_START and said.startswith(title)):
        return None
    return note


def _letters(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _as_number(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
