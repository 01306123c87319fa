"""Report folders unlike the samples, for the property of issue 23
(tests/test_property.py): random but valid tables drawn from the table
registry (``reportgen.reading.table_registry.TABLES``), every optional column present or
absent, one row or many, many categories, long words and long paragraphs,
footnotes and pictures anywhere (with and without alt text), Markdown and
Word narrative, CSV files or one workbook, any fiscal-year start, and every
language reportgen ships plus one it does not (German, given as a complete
``[labels.de]`` block).

A drawn folder may also carry one deliberate mistake (a date outside the
year, a word in a number column, an unknown choice): then ``check`` must
refuse it with a located message.

Every public row carries a token of its own (``ROW`` + salt + number) in the
column the report shows it by, so the property can look for each row in the
annual report's text or in the CSV files attached to it.

Accounts (issue 28) are drawn so that they add up, as ``check`` demands: a
funds table whose income and expenditure are the finances rows naming each
fund, transfers that net to zero, and a balance sheet whose assets less
liabilities are its funds (the funds' closing balances when both are drawn).
A folder with gifts may ask for receipts (``[receipts]``, its own statement
or a preset); each gift's description carries a token of its own (``GIFT``
+ salt + number), so the property can tell that each receipt holds its own
donor's gifts and no other donor's.
"""

from __future__ import annotations

import csv
import functools
import io
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import strategies as st
from openpyxl import Workbook
from PIL import Image

from reportgen.reading.receipt_presets import presets
from reportgen.reading.table_registry import FUND_TYPES, TABLES, TableSpec
from tests import wordgen

# The column by which each built-in table's rows are found in the report: a
# free-text column the annual report prints for every row (or, where rows are
# summed, the CSV attachment holds).
KEY_COLUMN = {
    "activities": "title",
    "coalitions": "name",
    "lobbying": "target",
    "finances": "category",
    "people": "name",
    "indicators": "name",
    "donors": "name",
    "funds": "fund",
    "balance": "item",
}
LANGUAGES = ("en", "en-GB", "ja", "ko", "de")
# Letters of several scripts; no digits (a number in text could pass for a
# figure), no control characters (errors of their own, tested elsewhere).
_LETTERS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "éèüöñçåøßÅÉ救援政策提言出版行事会議東京報告ぁあいうえおかきくけこ"
    "АБВГДежзикαβγδεζإغاثة구조활동사업"
)
WORD = st.text(st.sampled_from(_LETTERS), min_size=1, max_size=12)
LONG_WORD = st.text(st.sampled_from(_LETTERS), min_size=40, max_size=90)


@st.composite
def words(draw: st.DrawFn, most: int = 8) -> str:
    parts = draw(st.lists(st.one_of(WORD, WORD, WORD, LONG_WORD), min_size=1, max_size=most))
    return " ".join(parts)


@dataclass
class Drawn:
    """One drawn report folder: its files, what must reach the report, and
    the mistake it carries, if any."""

    salt: str
    language: str
    files: dict[str, bytes] = field(default_factory=dict)
    public: dict[str, list[str]] = field(default_factory=dict)  # table -> row tokens
    mistake: str | None = None
    donors: dict[str, str] = field(default_factory=dict)  # every donor's token -> its id
    gifts: dict[str, list[str]] = field(default_factory=dict)  # donor id -> gift tokens
    receipts: bool = False  # [receipts] asks for them

    def write(self, year: Path) -> None:
        for name, data in self.files.items():
            path = year / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    def __repr__(self) -> str:  # what hypothesis prints for a failing example
        listing = ", ".join(f"{k} ({len(v)} B)" for k, v in self.files.items())
        return f"Drawn({self.salt}, {self.language}, mistake={self.mistake!r}: {listing})"


class _Tokens:
    def __init__(self, salt: str) -> None:
        self.salt, self.count = salt, 0

    def __call__(self) -> str:
        self.count += 1
        return f"ROW{self.salt}{self.count:04d}"


@functools.cache
def _labels(language: str) -> str:
    """A complete ``[labels.<language>]`` block: the English words under
    another tag (reportgen labels prints every word ready to paste)."""
    out = subprocess.run(
        [sys.executable, "-m", "reportgen", "labels", "--language", "en"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return out.replace("[labels.en]", f"[labels.{language}]")


def _report_toml(language: str, start: date, end: date, title: str) -> str:
    label = f"FY{start.year}"
    text = (
        f'title = "{title}"\nfiscal_year = "{label}"\nstart = {start.isoformat()}\n'
        f'end = {end.isoformat()}\nlanguage = "{language}"\n\n'
        '[organization]\nname = "Riverside Mutual Aid Association of the Northern Valleys"\n'
        'short_name = "RMAA"\nlogo = "assets/logo.png"\n\n'
        '[signatory]\nname = "Okonkwo-Lindqvist Adaeze"\nrole = "Chair"\n'
    )
    if language == "de":
        text += "\n" + _labels("de")
    return text


def _png(draw: st.DrawFn) -> bytes:
    size = (draw(st.integers(1, 300)), draw(st.integers(1, 300)))
    colour = tuple(draw(st.integers(0, 255)) for _ in range(3))
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def _cell(draw: st.DrawFn, spec: TableSpec, column: str, kind: str, start: date, end: date,
          choices: tuple[str, ...], categories: list[str]) -> str:  # fmt: skip
    if kind == "date":
        return (start + timedelta(days=draw(st.integers(0, (end - start).days)))).isoformat()
    if kind == "int":
        return str(draw(st.integers(0, 100_000)))
    if kind == "decimal":
        whole = draw(st.integers(0, 9_999_999))
        return str(whole) if draw(st.booleans()) else f"{whole}.{draw(st.integers(0, 99)):02d}"
    if kind == "enum":
        return draw(st.sampled_from(choices))
    if column in ("category", "target_type"):
        return draw(st.sampled_from(categories))
    if column == "email":
        return f"{draw(st.sampled_from('abcdefgh'))}{draw(st.integers(0, 999))}@example.org"
    return draw(words())


@st.composite
def _table(
    draw: st.DrawFn, spec: TableSpec, tokens: _Tokens, start: date, end: date, big: bool
) -> tuple[list[dict[str, str]], list[str]]:
    """Rows of one table (as cells) and the tokens of its public rows."""
    optional = [c for c in spec.columns if not c.required]
    present = {c.name for c in spec.columns if c.required} | {
        c.name for c in optional if draw(st.booleans())
    }
    columns = [c for c in spec.columns if c.name in present]
    many = draw(st.sampled_from([1, 1, 2, 5, 12, 40] + ([300, 1500] if big else [])))
    how_many_categories = draw(st.sampled_from([1, 2, 5, 14, 30]))
    categories = [draw(words(4)) for _ in range(how_many_categories)]
    rows: list[dict[str, str]] = []
    public: list[str] = []
    key = KEY_COLUMN.get(spec.name)
    for number in range(many):
        row = {}
        for column in columns:
            if column.name == "visibility":
                row["visibility"] = draw(st.sampled_from(["public", "", "internal"]))
                continue
            if not column.required and draw(st.integers(0, 3)) == 0:
                row[column.name] = ""
                continue
            kind = column.type
            row[column.name] = _cell(
                draw, spec, column.name, kind, start, end, column.choices, categories
            )
        if spec.name == "donors" and "id" in row:
            row["id"] = f"D{number:05d}"
        if spec.name == "donors" and "language" in row:
            row["language"] = ""
        if spec.name == "indicators":
            row["name"] = f"{row['name']} {number}"  # names are looked up by name
        token = tokens()
        if key is not None:
            row[key] = f"{token} {row[key]}" if spec.name != "finances" else token
        if row.get("visibility") != "internal":
            public.append(token)
        rows.append(row)
    return rows, public


def _csv(rows: list[dict[str, str]]) -> bytes:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _workbook(tables: dict[str, list[dict[str, str]]], title_rows: bool) -> bytes:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(name.capitalize())
        if title_rows:
            sheet.append([f"{name.capitalize()} of the year"])
        columns = list(dict.fromkeys(k for row in rows for k in row))
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(c, "") for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@st.composite
def _markdown(draw: st.DrawFn, title: str, pictures: list[str], big: bool) -> str:
    """A section: paragraphs, lists, a table, footnotes and pictures in any of them."""
    notes: list[str] = []

    def note() -> str:
        if draw(st.integers(0, 2)) != 0:
            return ""
        notes.append(draw(words(6)))
        return f"[^{len(notes)}]"

    def picture() -> str:
        if not pictures or draw(st.integers(0, 3)) != 0:
            return ""
        alt = draw(st.sampled_from(["", "", draw(words(3))]))
        return f"\n\n![{alt}](../assets/{draw(st.sampled_from(pictures))})\n\n"

    blocks = [f"# {title}{note()}"]
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["paragraph", "paragraph", "list", "table", "long"]))
        if kind == "list":
            items = draw(st.lists(words(6), min_size=1, max_size=6))
            blocks.append("\n".join(f"- {item}{note()}" for item in items))
        elif kind == "table":
            cells = draw(st.lists(words(3), min_size=2, max_size=6))
            blocks.append(
                "| A | B |\n|---|---|\n"
                + "\n".join(f"| {c}{note()} | {draw(WORD)} |" for c in cells)
            )
        elif kind == "long":
            size = draw(st.sampled_from([2_000, 8_000] + ([60_000] if big else [])))
            text = draw(words(12))
            blocks.append(" ".join([text] * max(1, size // max(1, len(text)))) + note())
        else:
            blocks.append(draw(words(40)) + note())
        blocks.append(picture())
    body = "\n\n".join(b for b in blocks if b)
    footnotes = "\n".join(f"[^{n}]: {text}" for n, text in enumerate(notes, 1))
    return f"{body}\n\n{footnotes}\n"


def _word(draw: st.DrawFn, title: str, picture: bytes) -> bytes:
    paragraphs = draw(st.lists(words(30), min_size=1, max_size=5))
    doc = wordgen.document(title, *paragraphs)
    if draw(st.booleans()):
        wordgen.add_picture(doc, picture, draw(st.sampled_from([None, draw(words(3))])))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


MISTAKES = ("date outside the year", "word in a number column", "unknown choice")


@st.composite
def folders(draw: st.DrawFn, big: bool = False, mistakes: bool = True) -> Drawn:
    salt = f"{draw(st.integers(0, 16**5 - 1)):05X}"
    language = draw(st.sampled_from(LANGUAGES))
    start = date(draw(st.integers(2000, 2030)), draw(st.integers(1, 12)), 1)
    end = date(start.year + 1, start.month, 1) - timedelta(days=1)
    drawn = Drawn(salt, language)
    tokens = _Tokens(salt)
    title = draw(st.sampled_from(["Annual Report", "Our Year Together", draw(words(10))]))
    drawn.files["report.toml"] = _report_toml(language, start, end, title).encode()
    drawn.files["assets/logo.png"] = _png(draw)
    pictures = []
    for number in range(draw(st.integers(0, 2))):
        pictures.append(f"picture-{number}.png")
        drawn.files[f"assets/picture-{number}.png"] = _png(draw)

    # Accounts (audience "whole") must add up, which random rows do not:
    # tests/test_accounts.py draws its own.
    built_in = [n for n, spec in TABLES.items() if not spec.declared and spec.audience != "whole"]
    chosen = [n for n in built_in if TABLES[n].required or draw(st.booleans())]
    tables: dict[str, list[dict[str, str]]] = {}
    for name in chosen:
        rows, public = draw(_table(TABLES[name], tokens, start, end, big))
        tables[name] = rows
        if "annual-report" in TABLES[name].editions:
            drawn.public[name] = public

    if "gifts" in tables:  # a gift names a donor by id (else it is an error)
        for number, row in enumerate(tables.get("donors", [])):
            row["id"] = f"D{number:05d}"  # gifts need ids: the donors then have them
        ids = [row["id"] for row in tables.get("donors", []) if row.get("id")]
        if ids:
            for row in tables["gifts"]:
                row["donor"] = draw(st.sampled_from(ids))
        else:
            del tables["gifts"]

    if draw(st.booleans()):
        _accounts(draw, tables, drawn, tokens, big)
    for row in tables.get("donors", []):
        drawn.donors[row["name"].split()[0]] = row.get("id", "")
    for number, row in enumerate(tables.get("gifts", []), 1):
        token = f"GIFT{salt}{number:04d}"
        row["description"] = f"{token} {row.get('description') or ''}".strip()
        drawn.gifts.setdefault(row["donor"], []).append(token)
    if "gifts" in tables and draw(st.integers(0, 2)) != 0:
        drawn.receipts = True
        receipts = _receipts_toml(draw)
        drawn.files["report.toml"] += receipts.encode()
        _as_the_receipts_take_them(tables, receipts)
    elif "gifts" in tables:
        _as_the_receipts_take_them(tables, "")

    if mistakes and draw(st.integers(0, 4)) == 0:
        drawn.mistake = _mistake(draw, tables, end)

    if draw(st.integers(0, 3)) == 0:
        drawn.files["data/year.xlsx"] = _workbook(tables, title_rows=draw(st.booleans()))
    else:
        for name, rows in tables.items():
            drawn.files[f"data/{name}.csv"] = _csv(rows)

    sections = draw(st.integers(1, 4))
    for number in range(1, sections + 1):
        heading = draw(words(5))
        if draw(st.integers(0, 4)) == 0:
            drawn.files[f"narrative/{number:02d}-section.docx"] = _word(draw, heading, _png(draw))
        else:
            text = draw(_markdown(heading, pictures, big))
            drawn.files[f"narrative/{number:02d}-section.md"] = text.encode()
    return drawn


def _amount(draw: st.DrawFn, signed: bool = False) -> Decimal:
    cents = draw(st.integers(-999_999_99 if signed else 0, 999_999_99))
    return Decimal(cents) / 100 if draw(st.booleans()) else Decimal(cents // 100)


def _accounts(
    draw: st.DrawFn,
    tables: dict[str, list[dict[str, str]]],
    drawn: Drawn,
    tokens: _Tokens,
    big: bool,
) -> None:
    """A funds table, a balance sheet or both, drawn to add up."""
    funds: list[dict[str, str]] = []
    closing: list[Decimal] = []
    if draw(st.booleans()):
        count = draw(st.sampled_from([1, 2, 5] + ([40] if big else [])))
        names = [f"{tokens()} {draw(words(4))}" for _ in range(count)]
        finances = tables.get("finances", [])
        for row in finances:  # a finances row names one of the funds, or none
            row["fund"] = draw(st.sampled_from(["", *names]))
        transfers = [_amount(draw, signed=True) if draw(st.booleans()) else Decimal(0)
                     for _ in names]  # fmt: skip
        transfers[-1] = -sum(transfers[:-1], Decimal(0))  # a transfer out is one in
        for name, moved in zip(names, transfers, strict=True):
            opening = _amount(draw, signed=True) if draw(st.booleans()) else None
            income = sum((Decimal(r["amount"]) for r in finances
                          if r["fund"] == name and r["kind"] == "income"), Decimal(0))  # fmt: skip
            spent = sum((Decimal(r["amount"]) for r in finances
                         if r["fund"] == name and r["kind"] == "expense"), Decimal(0))  # fmt: skip
            closing.append((opening or Decimal(0)) + income - spent + moved)
            funds.append({
                "fund": name,
                "type": draw(st.sampled_from(("", *FUND_TYPES))),
                "opening": "" if opening is None else str(opening),
                "income": "", "expenditure": "",  # the finances' sums
                "transfers": str(moved) if moved or draw(st.booleans()) else "",
                "closing": str(closing[-1]) if draw(st.booleans()) else "",
                "note": draw(st.sampled_from(["", draw(words(6))])),
            })  # fmt: skip
        tables["funds"] = funds
        drawn.public["funds"] = [row["fund"].split()[0] for row in funds]
    if draw(st.booleans()):
        lines: list[dict[str, str]] = []

        def line(section: str, amount: Decimal) -> None:
            lines.append({"section": section, "item": f"{tokens()} {draw(words(4))}",
                          "amount": str(amount)})  # fmt: skip

        on_sheet = closing or [_amount(draw, signed=True) for _ in range(draw(st.integers(1, 3)))]
        for amount in on_sheet:
            line("funds", amount)
        owed = [_amount(draw) for _ in range(draw(st.integers(0, 3)))]
        for amount in owed:
            line("liabilities", amount)
        held = [_amount(draw) for _ in range(draw(st.integers(0, 3)))]
        for amount in held:
            line("assets", amount)
        # the last asset makes assets less liabilities equal the funds
        line("assets", sum(on_sheet, Decimal(0)) + sum(owed, Decimal(0)) - sum(held, Decimal(0)))
        tables["balance"] = draw(st.permutations(lines))
        drawn.public["balance"] = [row["item"].split()[0] for row in lines]


def _receipts_toml(draw: st.DrawFn) -> str:
    """A [receipts] table: a preset, or a statement of the organisation's own."""
    preset = draw(st.sampled_from([None, *presets()]))
    if preset is None:
        return ('\n[receipts]\nstatement = "We received the gifts above from you, '
                'with thanks."\nsigned = true\n')  # fmt: skip
    text = f'\n[receipts]\npreset = "{preset}"\n'
    return text + 'basis = "Test law, article 1"\n' * (preset == "kr-income-tax")


def _as_the_receipts_take_them(tables: dict[str, list[dict[str, str]]], receipts: str) -> None:
    """A drawn gift's benefit made one a receipt can state: a description and
    a value of 1 (within the gift and HMRC's limits) on a gift of at least 4,
    else none, and none where the preset refuses a gift with a benefit; with
    Gift Aid, every donor has declared (``gift_aid_declared``)."""
    named = receipts.split('preset = "')[1].split('"')[0] if 'preset = "' in receipts else None
    preset = presets()[named] if named else None
    refused = preset is not None and preset.get("benefits") == "refused"
    for row in tables.get("gifts", []):
        if "benefit" in row or "benefit_value" in row:
            keep = bool(row.get("benefit") and row.get("benefit_value")) and not refused
            keep = keep and Decimal(row["amount"]) >= 4
            row["benefit"] = row.get("benefit", "") if keep else ""
            row["benefit_value"] = "1" if keep else ""
    if preset is not None and preset.get("gift_aid"):
        for row in tables.get("donors", []):
            row["gift_aid_declared"] = "2000-01-01"


def _mistake(draw: st.DrawFn, tables: dict[str, list[dict[str, str]]], end: date) -> str | None:
    kind = draw(st.sampled_from(MISTAKES))
    for name, rows in tables.items():
        spec = TABLES[name]
        for column in spec.columns:
            if not rows or column.name not in rows[0]:
                continue
            wanted = {"date outside the year": "date", "word in a number column": "int",
                      "unknown choice": "enum"}[kind]  # fmt: skip
            if column.type != wanted and not (wanted == "int" and column.type == "decimal"):
                continue
            row = draw(st.sampled_from(rows))
            if kind == "date outside the year":
                if spec.in_year != column.name:
                    continue
                row[column.name] = (end + timedelta(days=400)).isoformat()
            elif kind == "word in a number column":
                row[column.name] = "several"
            else:
                row[column.name] = "somethingelse"
            return f"{kind}: {name}.{column.name}"
    return None
