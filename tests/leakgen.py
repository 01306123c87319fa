"""Random report folders for the leak property (tests/test_leak_property.py).

A hypothesis strategy draws one fiscal year: every table with a few rows, each
row public or internal, internal narrative files, donors, a picture and a
logo, and writes it as a report folder, each table in a file kind drawn from
the readers' registry. The tables, editions and file kinds come from their
registries (``table_registry.TABLES``, ``editions.EDITIONS``, ``readers.tables.READERS``):
a new one is in the property without editing it; a table without a hand-made
row below gets one made from its columns' types. What may not leak is marked so that
it is found whatever form it takes: every internal row carries a token of its
own (``LEAK`` + salt + number) in each free-text cell and in its names, titles
and categories that no public row shares; its money and counts lie in ranges
no public figure can reach. Donors carry ``DONR`` tokens, public rows ``PUBL``
tokens (to prove the checks see the cells they search). Every row has a
column reportgen does not know (``staff_comment``): a public row's carries a
``PRIV`` token, which no output may hold (no page shows such a column, and
the annual report never attaches it). An internal narrative file's front
matter may follow blank lines, white space or a byte-order mark, and its
lines may end in LF, CR LF or CR.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from hypothesis import strategies as st
from PIL import Image

from reportgen.core.editions import EDITIONS as EDITION_SPECS
from reportgen.reading.readers.tables import READERS
from reportgen.reading.table_registry import TABLES as SPECS
from reportgen.reading.table_registry import TableSpec

START = date(2012, 9, 1)
END = date(2013, 8, 31)


def tables() -> tuple[str, ...]:
    """Every table whose rows are public or internal (the donors' reach only
    their letters), as the registry holds them when a folder is drawn."""
    return tuple(name for name, spec in SPECS.items() if spec.audience == "visibility")


EDITIONS = tuple(n for n, e in EDITION_SPECS.items() if not e.per_donor)  # the documents

# Public money stays below 1,000,000 a row (so every public total is below
# 10,000,000); internal money and donations have eight digits, so a total or a
# figure that counts them cannot be mistaken for a public one.
PUBLIC_AMOUNT = st.integers(0, 999_999)
INTERNAL_AMOUNT = st.integers(80_000_000, 89_999_999)
DONATION = st.integers(60_000_000, 69_999_999)
INTERNAL_PARTICIPANTS = st.integers(7_000, 7_999)  # public ones are 0..50

# Letters of several scripts, spaces and harmless punctuation; no digits (a
# figure in free text could pass for a leaked amount), no `$` or control
# characters (issues of their own, tested elsewhere).
_SCRIPTS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "éèüöñçåøÅÉ"
    "救援政策提言出版行事会議東京報告"
    "ぁあいうえおかきくけこ"
    "АБВГДежзик"
    "αβγδεζ"
    "إغاثة"
    "구조활동"
)
WORDS = (
    st.text(st.sampled_from([*_SCRIPTS, " ", " ", ",", ".", "'", "(", ")", "&"]), max_size=40)
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: any(c.isalpha() for c in s))
)
CATEGORY = st.one_of(
    st.sampled_from(
        [
            "Rescue", "Advocacy", "Event", "Publication", "救援", "政策提言", "Спасение",
            "إغاثة", "구조", "Humanitarian assistance, resettlement support and legal aid "
            "for families in transit through third countries",
        ]
    ),
    WORDS,
)  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One table row as written, and what marks it."""

    table: str
    cells: tuple[tuple[str, str], ...]
    internal: bool
    marker: str  # LEAK... for internal rows, PUBL... for public ones
    figures: tuple[str, ...] = ()  # formatted numbers only this internal row has
    private: str = ""  # PRIV...: a public row's token in a column reportgen does not know

    def cell(self, column: str) -> str:
        return dict(self.cells)[column]


@dataclass(frozen=True)
class Narrative:
    name: str
    text: str
    marker: str
    internal: bool
    editions: tuple[str, ...] | None  # None: no editions key, so every edition


@dataclass(frozen=True)
class Donor:
    slug: str
    cells: tuple[tuple[str, str], ...]
    marker: str
    amount: str  # formatted, as the letter prints it


@dataclass(frozen=True)
class Picture:
    name: str
    data: bytes


@dataclass(frozen=True)
class Folder:
    """A drawn report year; ``write`` makes it a folder."""

    salt: str
    rows: tuple[Row, ...]
    narratives: tuple[Narrative, ...]
    donors: tuple[Donor, ...]
    picture: Picture
    kinds: tuple[tuple[str, str], ...] = ()  # (table, file extension), every table drawn

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.kinds)

    def table(self, name: str) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.table == name)

    @property
    def internal_markers(self) -> tuple[str, ...]:
        rows = [r.marker for r in self.rows if r.internal]
        return (*rows, *(n.marker for n in self.narratives if n.internal))

    @property
    def private_markers(self) -> tuple[str, ...]:
        """Tokens in columns reportgen does not know: in no output at all."""
        return tuple(r.private for r in self.rows if r.private)

    @property
    def internal_figures(self) -> tuple[str, ...]:
        return tuple(f for r in self.rows if r.internal for f in r.figures)

    def write(self, year: Path) -> None:
        for folder in ("data", "narrative", "assets"):
            (year / folder).mkdir(parents=True, exist_ok=True)
        (year / "report.toml").write_text(REPORT_TOML, "utf-8")
        (year / "assets/logo.svg").write_text(LOGO, "utf-8")
        (year / "assets" / self.picture.name).write_bytes(self.picture.data)
        for table, extension in self.kinds:
            rows = [dict(r.cells) for r in self.table(table)]
            WRITERS[extension](year / "data" / f"{table}{extension}", rows)
        if self.donors:
            _write_csv(year / "data/donors.csv", [dict(d.cells) for d in self.donors])
        for narrative in self.narratives:
            (year / "narrative" / narrative.name).write_text(narrative.text, "utf-8")


REPORT_TOML = """\
title = "Annual Report FY2012"
fiscal_year = "FY2012"
start = 2012-09-01
end = 2013-08-31
language = "en"
editions = [{editions}]

[organization]
name = "Harbour Light Refugee Aid"
logo = "assets/logo.svg"

[signatory]
name = "Mori Aya"
role = "Representative"
""".replace("{editions}", ", ".join(f'"{e}"' for e in EDITIONS))

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
    '<circle cx="20" cy="20" r="18" fill="#1f3a5f"/></svg>\n'
)


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), "utf-8")


def _write_xlsx(path: Path, rows: list[dict[str, str]]) -> None:
    """The rows as a workbook's one sheet, every cell as text, as a director
    types them (numbers and dates typed by the reader, like a CSV's)."""
    from openpyxl import Workbook

    columns = list(dict.fromkeys(key for row in rows for key in row))
    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c) or None for c in columns])
    book.save(path)


# One writer for each kind of table file reportgen reads: a kind added to the
# readers without a writer here fails the property at once.
WRITERS = {".csv": _write_csv, ".xlsx": _write_xlsx}
assert set(WRITERS) == set(READERS), f"leakgen cannot write {set(READERS) - set(WRITERS)}"


class _Tokens:
    """Distinct tokens of one drawn folder: same length, so none is a prefix
    of another, and the salt makes them unlike anything a template says."""

    def __init__(self, salt: str) -> None:
        self.salt = salt
        self.count = 0

    def __call__(self, kind: str) -> str:
        self.count += 1
        return f"{kind}{self.salt}{self.count:03d}"


DAY = st.integers(0, (END - START).days).map(lambda n: (START + timedelta(days=n)).isoformat())


@st.composite
def _category(draw: st.DrawFn, marker: str, public: list[str]) -> str:
    """A public row's category, or an internal row's: one a public row has,
    or one of its own that carries its marker (first, so a shortened label
    keeps it)."""
    if marker.startswith("PUBL") or not public or draw(st.booleans()):
        value = draw(CATEGORY)
        return value if marker.startswith("PUBL") else f"{marker} {value}"
    return draw(st.sampled_from(public))


def _text(draw: st.DrawFn, marker: str, internal: bool, optional: bool = True) -> str:
    """A free-text cell: an internal row's always carries its marker."""
    words = draw(WORDS)
    if internal:
        return f"{marker} {words}"
    return "" if optional and draw(st.booleans()) else words


@st.composite
def _rows(draw: st.DrawFn, table: str, token: _Tokens) -> list[Row]:
    flags = draw(st.lists(st.booleans(), min_size=1, max_size=4))
    rows: list[Row] = []
    public_categories: list[str] = []
    for internal in flags:
        marker = token("LEAK" if internal else "PUBL")
        cells, figures = _cells(draw, table, marker, internal, public_categories)
        if not internal and "category" in cells:
            public_categories.append(cells["category"])
        if not internal and "target_type" in cells:
            public_categories.append(cells["target_type"])
        private = "" if internal else token("PRIV")
        cells["staff_comment"] = f"{marker} {draw(WORDS)}" if internal else private
        rows.append(Row(table, tuple(cells.items()), internal, marker, figures, private))
    return rows


def _cells(
    draw: st.DrawFn, table: str, marker: str, internal: bool, categories: list[str]
) -> tuple[dict[str, str], tuple[str, ...]]:
    """One row of ``table``; the formatted figures only an internal row has."""
    visibility = "internal" if internal else draw(st.sampled_from(["public", ""]))

    def text(optional: bool = True) -> str:
        return _text(draw, marker, internal, optional)

    named = f"{marker} {draw(WORDS)}"  # a title or name: public ones carry PUBL tokens
    if table == "activities":
        count = draw(INTERNAL_PARTICIPANTS if internal else st.integers(0, 50))
        cells = {
            "date": draw(DAY), "title": named,
            "category": draw(_category(marker, categories)), "location": text(),
            "description": text(), "participants": str(count), "x_note": text(),
        }  # fmt: skip
        figures = (f"{count:,}",) if internal else ()
    elif table == "coalitions":
        cells = {
            "name": named, "role": text(optional=False) if internal else "member",
            "joined": draw(DAY), "member_organizations": str(draw(st.integers(0, 60))),
            "countries": str(draw(st.integers(0, 30))), "description": text(),
        }  # fmt: skip
        figures = ()
    elif table == "lobbying":
        cells = {
            "date": draw(DAY), "target_type": draw(_category(marker, categories)),
            "target": named, "topic": text(), "outcome": text(), "attendees": text(),
        }  # fmt: skip
        figures = ()
    elif table == "finances":
        kind = draw(st.sampled_from(["income", "expense"]))
        amount = draw(INTERNAL_AMOUNT if internal else PUBLIC_AMOUNT)
        function = draw(st.sampled_from(["program", "fundraising", "administration"]))
        cells = {
            "kind": kind, "category": draw(_category(marker, categories)),
            "amount": str(amount), "function": function if kind == "expense" else "",
            "note": text(),
        }  # fmt: skip
        figures = (f"{amount:,}",) if internal else ()
    elif table == "people":
        cells = {
            "name": named, "role": text(optional=False) if internal else "Director",
            "group": draw(st.sampled_from(["board", "officer", "staff", "advisor"])),
        }  # fmt: skip
        figures = ()
    else:
        cells, figures = _from_spec(draw, SPECS[table], marker, internal, named)
    return {**cells, "visibility": visibility}, figures


def _from_spec(
    draw: st.DrawFn, spec: TableSpec, marker: str, internal: bool, named: str
) -> tuple[dict[str, str], tuple[str, ...]]:
    """A row of any table, made from its columns' types: the first text
    column named with the marker, every other text cell of an internal row
    marked, its numbers in ranges no public figure reaches."""
    cells: dict[str, str] = {}
    figures: list[str] = []
    first_text = next((c.name for c in spec.columns if c.type == "str" and not c.choices), None)
    for column in spec.columns:
        if column.name == "visibility":
            continue
        if column.type == "date":
            cells[column.name] = draw(DAY)
        elif column.type in ("int", "decimal"):
            number = draw(INTERNAL_AMOUNT if internal else PUBLIC_AMOUNT)
            cells[column.name] = str(number)
            figures += [f"{number:,}"] if internal else []
        elif column.choices:
            cells[column.name] = draw(st.sampled_from(column.choices))
        elif column.name == first_text:
            cells[column.name] = named
        else:
            cells[column.name] = _text(draw, marker, internal, optional=not column.required)
    return cells, tuple(figures)


@st.composite
def _internal_narrative(draw: st.DrawFn, token: _Tokens, number: int) -> Narrative:
    marker = token("LEAK")
    chosen = st.lists(st.sampled_from(EDITIONS), min_size=1, max_size=3, unique=True)
    editions = draw(st.one_of(st.none(), chosen.map(tuple)))
    front = f"title: {marker} notes\nvisibility: internal\n"
    if editions is not None:
        front += f"editions: [{', '.join(editions)}]\n"
    body = (
        f"# {marker} {draw(WORDS)}\n\n{marker} {draw(WORDS)}\n\n"
        f"- {marker} item\n- [{marker} link](https://example.org/{marker.lower()})\n\n"
        f"| Case | Cost |\n|---|---:|\n| {marker} | 12 |\n"
    )
    name = f"{number:02d}-{marker.lower()}.md"  # the file name is internal too
    lead = draw(st.sampled_from(["", "\n", "\n\n", " \n\t\n", "\ufeff\n"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = f"{lead}---\n{front}---\n{body}".replace("\n", ending)
    return Narrative(name, text, marker, True, editions)


@st.composite
def _picture(draw: st.DrawFn) -> Picture:
    kind = draw(st.sampled_from(["PNG", "JPEG", "GIF"]))
    size = (draw(st.integers(1, 40)), draw(st.integers(1, 40)))
    colour = tuple(draw(st.integers(0, 255)) for _ in range(3))
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return Picture(f"photo.{kind.lower()}", out.getvalue())


@st.composite
def folders(draw: st.DrawFn) -> Folder:
    token = _Tokens(f"{draw(st.integers(0, 16**6 - 1)):06X}")
    names = tables()
    rows = [row for table in names for row in draw(_rows(table, token))]
    picture = draw(_picture())
    overview_marker = token("PUBL")
    overview = Narrative(
        "01-overview.md",
        f"# Overview\n\n{overview_marker} {draw(WORDS)}\n\n![A photo](../assets/{picture.name})\n",
        overview_marker, False, None,
    )  # fmt: skip
    count = draw(st.integers(1, 2))
    internal = [draw(_internal_narrative(token, number)) for number in range(2, 2 + count)]
    donors = []
    for number in range(1, draw(st.integers(0, 3)) + 1):
        marker = token("DONR")
        amount = draw(DONATION)
        cells = {
            "id": f"D-{number}", "name": f"{marker} {draw(WORDS)}",
            "salutation": f"Dear {marker}", "email": f"{marker.lower()}@example.org",
            "language": "en", "amount": str(amount),
        }  # fmt: skip
        donors.append(Donor(f"d-{number}", tuple(cells.items()), marker, f"{amount:,}"))
    kinds = tuple((t, draw(st.sampled_from(tuple(READERS)))) for t in names)
    return Folder(token.salt, tuple(rows), (overview, *internal), tuple(donors), picture, kinds)
