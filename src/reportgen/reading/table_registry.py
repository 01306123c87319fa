"""The tables of the contract, declared once: columns, types, rules, row type,
example, editions, carry-over and audience, as data.

``TABLES`` is the one registry of table kinds; validation, redaction, the
cache, the scaffold, the docs and the leak tests walk it. Adding a column is
one line here, adding a kind of table one ``TableSpec``.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostics, Location, did_you_mean
from reportgen.reading.model import (
    TABLE_FIELDS,
    Activity,
    BalanceLine,
    Coalition,
    DeclaredTable,
    Donor,
    FinanceEntry,
    Fund,
    Gift,
    Indicator,
    LobbyingVisit,
    Person,
    Record,
    ReportConfig,
)

ColumnType = Literal["str", "date", "int", "decimal", "enum"]
VISIBILITY = ("public", "internal")
# Names that decide who sees a row or a narrative section (edition_view.year_as_seen_by):
# a near miss of one of them is an error, never a guess nor an extra field.
GUARDED_COLUMNS = ("visibility",)
GUARDED_FRONT_KEYS = ("visibility", "editions")
# Words someone might use for such a column instead of its real name.
_GUARD_WORDS = frozenset(
    {"internal", "public", "private", "hidden", "confidential", "secret", "audience",
     "restricted", "edition"}
)  # fmt: skip


def guarded_lookalike(name: str, guarded: tuple[str, ...]) -> str | None:
    """The guarded name that ``name`` looks like without being it, else ``None``.

    Case, spaces, underscores and other punctuation are ignored; a translation
    of a guarded column (``visibility_ja``) counts as a lookalike, since who
    sees a row cannot depend on the language."""
    if name in guarded:
        return None
    squashed = re.sub(r"[\W_]+", "", name.lower())
    ratio, real = max((difflib.SequenceMatcher(None, squashed, g).ratio(), g) for g in guarded)
    if ratio >= 0.7:
        return real
    for real in guarded:
        if squashed.startswith(real[:5]):
            return real
    return guarded[0] if squashed in _GUARD_WORDS else None


def csv_line(cells: Iterable[str]) -> str:
    """``cells`` as one CSV line (a cell with a comma or a quote quoted)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def in_country(country: str, name: str) -> bool:
    """Whether ``country`` as a user writes it ("South Korea") is ``name`` ("Korea")."""
    return name.casefold() in country.casefold()


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType = "str"
    required: bool = False
    choices: tuple[str, ...] = ()
    # The most characters a cell may hold where the design gives it a box of
    # its own (a key figure's tile): past it a page cannot hold the box, which
    # WeasyPrint cannot lay out; 0 is no limit but the cell limits of Tables.
    longest: int = 0
    too_long: str = ""  # what the error suggests instead (a catalog message)
    money: bool = False  # an amount in the report currency (see validate.number_problem)
    signed: bool = False  # a number that may be negative (a transfer out, a fund in deficit)
    text_ok: bool = False  # a number column whose cell may instead hold text (a milestone)
    # The countries whose law asks for it (on a receipt): a new year's starter
    # offers it only to an organisation of one of them, or of a country unknown.
    countries: tuple[str, ...] = ()
    # What data/README.txt says of it under its table (a catalog message):
    # how to keep a column that holds personal data.
    starter_note: str = ""


@dataclass(frozen=True)
class TableSchema:
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    in_year: str | None = None  # a date column that must fall inside start..end

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


# Who may see a table's rows: "visibility" (a row marked internal never reaches a
# public edition), "letter" (a row reaches only its own donor letter: every
# edition loses the whole table) or "whole" (accounts: every row or none, since
# the rows must add up; such a table has no visibility column).
Audience = Literal["visibility", "letter", "whole"]
LISTED_IN: tuple[str, ...] = ("annual-report", "handout")  # a declared table's default


@dataclass(frozen=True)
class TableSpec(TableSchema):
    """Everything reportgen knows about one kind of table, declared once.

    Validation, redaction (``edition_view.year_as_seen_by``), the cache's inputs, the
    scaffold (starter files and ``data/README.txt``), the docs' column list and
    the leak tests all iterate ``TABLES``: a table declared here is in all of
    them, and one that is not is in none."""

    row_type: type = Record  # a model dataclass; ``Record`` for tables without one
    example: tuple[str, ...] = ()  # one row, column by column, for the scaffold
    carry_over: bool = False  # ``reportgen new --from`` copies its rows
    audience: Audience = "visibility"
    empty_ok: bool = False  # no rows is normal, not worth a warning
    unique: tuple[str, ...] = ()  # columns whose non-empty values must differ
    note: str = ""  # a sentence for the docs after the column list
    # How its rows are listed, as a section of its own (context.list_section,
    # the template macro ``table_section``): built-in and declared tables alike.
    # A table listed in no edition (finances, people, indicators, donors) is
    # shown in another form: amounts, a roster, key figures, letters.
    editions: tuple[str, ...] = LISTED_IN  # the editions that list its rows
    title: str | None = None  # the section's title; None: the language's word for its name
    titles: tuple[tuple[str, str], ...] = ()  # (language, title)
    shown: tuple[str, ...] = ()  # the columns listed, in order; () = all but visibility
    headings: tuple[tuple[str, str], ...] = ()  # (column, word) where the word is not its name
    row_note: tuple[str, str] | None = None  # (column printed small, under this column's cell)
    order: tuple[str, ...] = ()  # columns the rows are sorted by; () = file order
    group: str | None = None  # a long list keeps in print at least one row of each value
    chart: str | None = None  # the id of a chart (charts.py) shown above the list
    # The id of a chart whose key (each swatch and its count, ChartAsset.key)
    # print sets in the side column beside the list's intro.
    key: str | None = None
    numbers: tuple[str, ...] = ()  # totalled in the list's last row
    declared: bool = False  # from report.toml's [tables.<name>], not built in

    def starter_columns(self, country: str | None) -> tuple[Column, ...]:
        """The columns a new year's starter offers an organisation of ``country``."""
        return tuple(c for c in self.columns if not c.countries or country is None
                     or any(in_country(country, name) for name in c.countries))  # fmt: skip

    def example_row(self) -> str:
        """The example as one CSV line."""
        return csv_line(self.example)


_VIS = Column("visibility", "enum", choices=VISIBILITY)
FUNCTIONS = ("program", "fundraising", "administration")
# People's groups with a translated heading; any other group is headed as written.
GROUPS = ("board", "trustee", "officer", "staff", "advisor", "volunteer")
# The sections of a balance sheet, in the order shown; the usual kinds of fund.
BALANCE_SECTIONS = ("assets", "liabilities", "funds")
FUND_TYPES = ("unrestricted", "designated", "restricted", "endowment")
# Spellings accepted for a choice, mapped to the one the model keeps.
ALIASES: dict[str, str] = {"programme": "program"}

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        TableSpec(
            "activities",
            (
                Column("date", "date", True),
                Column("title", required=True),
                Column("category", required=True),
                Column("location"),
                Column("description"),
                Column("participants", "int"),
                _VIS,
            ),
            required=True,
            in_year="date",
            row_type=Activity,
            example=("2025-03-14", M.EXAMPLE_ACTIVITY_TITLE(), M.EXAMPLE_ACTIVITY_CATEGORY(),
                     M.EXAMPLE_ACTIVITY_LOCATION(), M.EXAMPLE_ACTIVITY_DESCRIPTION(),
                     "45", "public"),
            empty_ok=True,
            note="`category` is free text such as Rescue, Advocacy, Event, Publication.",
            editions=("annual-report",),
            shown=("date", "title", "category", "location"),
            row_note=("description", "title"),
            order=("date", "title"),
            group="category",
            key="chart-by-category",
        ),
        TableSpec(
            "coalitions",
            (
                Column("name", required=True),
                Column("role", required=True),
                Column("joined", "date"),
                Column("member_organizations", "int"),
                Column("countries", "int"),
                Column("description"),
                _VIS,
            ),
            row_type=Coalition,
            example=(M.EXAMPLE_COALITION_NAME(), M.EXAMPLE_COALITION_ROLE(), "2011-09-08", "43",
                     "15", M.EXAMPLE_COALITION_DESCRIPTION(), "public"),
            carry_over=True,
            note="`role` is e.g. member, founding member, secretariat.",
            editions=("annual-report",),
            shown=("name", "role", "joined", "member_organizations", "countries"),
            headings=(("member_organizations", "members"),),
            row_note=("description", "name"),
        ),
        TableSpec(
            "lobbying",
            (
                Column("date", "date", True),
                Column("target_type", required=True),
                Column("target", required=True),
                Column("topic"),
                Column("outcome"),
                Column("attendees"),
                _VIS,
            ),
            in_year="date",
            row_type=LobbyingVisit,
            example=("2025-05-20", M.EXAMPLE_LOBBYING_TARGET_TYPE(), M.EXAMPLE_LOBBYING_TARGET(),
                     M.EXAMPLE_LOBBYING_TOPIC(), M.EXAMPLE_LOBBYING_OUTCOME(), "2", "public"),
            note="`target_type` is e.g. Diet member, Ministry, Embassy.",
            editions=("annual-report",),
            shown=("date", "target_type", "target", "topic"),
            row_note=("outcome", "target"),
            order=("date", "target"),
            group="target_type",
            chart="chart-by-target",
        ),
        TableSpec(
            "finances",
            (
                Column("kind", "enum", True, ("income", "expense")),
                Column("category", required=True),
                Column("amount", "decimal", True, money=True),
                Column("function", "enum", choices=FUNCTIONS),
                Column("fund"),
                Column("note"),
                _VIS,
            ),
            row_type=FinanceEntry,
            editions=(),  # shown as amounts by category, function and fund
            example=("income", M.EXAMPLE_FINANCE_CATEGORY(), "1200000", "", M.EXAMPLE_FUND(),
                     M.EXAMPLE_FINANCE_NOTE(),
                     "public"),
            note="`amount` is in the report currency; `function` (for expenses) also accepts "
            "`programme`; `fund` (free text, e.g. restricted, unrestricted or a fund's name) "
            "adds income and expenditure by fund to the finance section.",
        ),
        TableSpec(
            "people",
            (
                Column("name", required=True),
                Column("role", required=True),
                Column("group", choices=GROUPS),
                _VIS,
            ),
            row_type=Person,
            example=(M.NEW_EXAMPLE_SIGNATORY(), M.NEW_EXAMPLE_ROLE(), "board", "public"),
            editions=(),  # shown as a roster, by group
            carry_over=True,
            note="`group` is free text (default `board`): board, trustee, officer, staff, "
            "advisor and volunteer get translated headings; any other value is a group of its "
            "own, headed as written, in order of first appearance.",
        ),
        TableSpec(
            "donors",
            (
                Column("name", required=True),
                Column("id"),
                Column("salutation"),
                Column("email"),
                Column("language"),  # a language tag the report builds (validate warns otherwise)
                Column("amount", "decimal", money=True),
                Column("address"),  # receipts only
                # receipts only (Korea: 주민등록번호)
                Column("tax_id", countries=("Korea",), starter_note=M.NOTE_TAX_ID()),
                Column("type", "enum", choices=("person", "organisation", "organization")),
                Column("postcode"),  # letters' address block and receipts
                Column("country"),
                Column("gift_aid_declared", "date", countries=("United Kingdom",)),  # receipts only
            ),
            row_type=Donor,
            example=(M.EXAMPLE_DONOR_NAME(), "D-001", M.EXAMPLE_DONOR_SALUTATION(),
                     M.EXAMPLE_DONOR_EMAIL(), M.EXAMPLE_DONOR_LANGUAGE(), "10000",
                     M.EXAMPLE_DONOR_ADDRESS(), "", "person", M.EXAMPLE_DONOR_POSTCODE(),
                     "", ""),
            editions=(),
            audience="letter",
            unique=("id",),
            note="`id` is unique when present; `language` is one the report builds (default "
            "the report's first). A donor's row appears only in that donor's own letter, never "
            "in any edition, chart or count elsewhere. `address` and `tax_id` (the donor's own tax "
            "number, where a receipt must show it) appear on the donor's receipt only. With "
            "data/gifts, a donor's `amount` is the sum of their gifts. `type` is `person` (the "
            "default) or `organisation` (a company, trust or church: its letter is the "
            "`donors: organisation` variant, and never asks for Gift Aid). `address` (its lines "
            "separated by commas or line breaks), `postcode` and `country` also make the "
            "recipient's address block of a letter, placed for the window envelope of the "
            "report's country (see Letters); a donor without `address` gets no address block. "
            "`gift_aid_declared` (the UK): the date the donor made their Gift Aid declaration, "
            "which their Gift Aid statement quotes; a gift marked `gift_aid` `yes` needs it.",
        ),
        # --- gifts and receipts (issue 28): one block, self-contained ---
        TableSpec(
            "gifts",
            (
                Column("donor", required=True),
                Column("date", "date", True),
                Column("amount", "decimal", True, money=True),
                Column("fund"),
                Column("method"),
                Column("gift_aid", "enum", choices=("yes", "no"), countries=("United Kingdom",)),
                Column("description"),
                Column("benefit"),
                Column("benefit_value", "decimal", money=True),
            ),
            in_year="date",
            row_type=Gift,
            example=("D-001", "2025-04-30", "5000", M.EXAMPLE_FUND(), M.EXAMPLE_GIFT_METHOD(),
                     "", "", "", ""),
            editions=(),
            audience="letter",
            empty_ok=True,
            note="`donor` is a donor's `id` in the donors table; `date` falls inside the year. "
            "Each donor's gifts appear only on that donor's own receipt and letter (as the "
            "sum, `{{amount}}`), never in any edition. `gift_aid` (the UK): whether the "
            "donor's Gift Aid declaration covers the gift; `description`: what was given, for "
            "a gift in kind. `benefit` and `benefit_value`: what the donor received in return "
            "(a dinner, a ticket) and your good-faith estimate of its value, both or neither; "
            "the value is at most the gift's amount. Whether such a gift can be receipted is "
            "the receipts' preset's (see Receipts).",
        ),
        TableSpec(
            "indicators",
            (
                Column("name", required=True, longest=120,
                       too_long=M.SAY_REST_IN_NOTE()),
                Column("value", "decimal", True, text_ok=True, longest=120,
                       too_long=M.SAY_REST_IN_NOTE()),
                Column("unit", longest=40),
                Column("previous", "decimal"),
                Column("target", "decimal"),
                Column("note"),
                _VIS,
            ),
            row_type=Indicator,
            example=(M.EXAMPLE_INDICATOR_NAME(), "12500", M.EXAMPLE_INDICATOR_UNIT(), "11800",
                     "15000", M.EXAMPLE_INDICATOR_NOTE(),
                     "public"),
            editions=(),  # shown as key figures
            note="Your own key figures, first on the key-figures page in file order. `unit` is "
            "shown after the number, or is an ISO 4217 code to show money; an empty "
            "`previous` is taken from last year's row of the same `name`; `target` shows "
            "progress; a tile holds a `name` of at most 120 characters and a `unit` of 40. "
            "A `value` that is text, not a number (a milestone: `A new koala ward opened`), "
            "is set as written, without arithmetic or a change against last year (leave "
            "`previous`, `target` and `unit` empty); `value_<tag>` translates it. "
            "`name_<tag>`, `unit_<tag>`, `note_<tag>` translate.",
        ),
        # --- accounts (issue 28): balance sheet and statement of funds -----------
        TableSpec(
            "balance",
            (
                Column("section", "enum", True, BALANCE_SECTIONS),
                Column("item", required=True),
                Column("amount", "decimal", True, money=True, signed=True),
                Column("note"),
            ),
            row_type=BalanceLine,
            example=("assets", M.EXAMPLE_BALANCE_ITEM(), "125000", M.EXAMPLE_BALANCE_NOTE()),
            editions=(),  # shown as accounts: the balance sheet
            audience="whole",
            empty_ok=True,  # a starter's header alone: no accounts yet
            note="The balance sheet at the year's last day, one line per item in the order "
            "shown: `section` is `assets`, `liabilities` (amounts owed, written as positive "
            "numbers) or `funds`; assets less liabilities must equal the funds, and the funds "
            "must total the closing balances of `funds` when both are given. An `amount` may "
            "be negative (`-1200` or `(1200)`). `item_<tag>` and `note_<tag>` translate. "
            "Every row is public: the accounts are shown whole.",
        ),
        TableSpec(
            "funds",
            (
                Column("fund", required=True),
                Column("type", choices=FUND_TYPES),
                Column("opening", "decimal", money=True, signed=True),
                Column("income", "decimal", money=True),
                Column("expenditure", "decimal", money=True),
                Column("transfers", "decimal", money=True, signed=True),
                Column("closing", "decimal", money=True, signed=True),
                Column("note"),
            ),
            row_type=Fund,
            example=(M.EXAMPLE_FUND_NAME(), "restricted", "", "", "", "0", "",
                     M.EXAMPLE_FUND_NOTE()),
            editions=(),  # shown as accounts: the statement of funds
            audience="whole",
            empty_ok=True,
            unique=("fund",),
            note="One row per fund, for the statement of funds. `fund` is the name the "
            "`fund` column of finances uses; `type` is `unrestricted`, `designated`, "
            "`restricted` or `endowment` (or your own word). An empty `opening` is last "
            "year's `closing` of the same fund when last year's folder is beside this one "
            "(else 0: a fund new this year); an empty `income` or `expenditure` is the sum of "
            "the finances rows of the fund; an empty `closing` is opening + income - "
            "expenditure + transfers. A given amount must agree: a closing that does not "
            "follow from the others, an opening that is not last year's closing, transfers "
            "that do not net to zero are errors. `note` (the fund's purpose) and "
            "`fund_<tag>`, `note_<tag>` translate.",
        ),
    )
}  # fmt: skip
BUILT_IN = frozenset(TABLES)


def declared_spec(declared: DeclaredTable, header: tuple[str, ...] = ()) -> TableSpec:
    """The spec of a ``[tables.<name>]`` table; ``header`` (the file's columns)
    gives the columns when the declaration does not list them."""
    listed = declared.columns or tuple(
        c for c in header if c and c not in GUARDED_COLUMNS and not _suffixed(c, header)
    )
    names = tuple(dict.fromkeys((*listed, *filter(None, (declared.date_column,)),
                                 *declared.number_columns)))  # fmt: skip

    def column(name: str) -> Column:
        if name == declared.date_column:
            return Column(name, "date", True)
        return Column(name, "decimal" if name in declared.number_columns else "str")

    return TableSpec(
        declared.name,
        (*(column(n) for n in names if n != "visibility"), _VIS),
        in_year=declared.date_column,
        editions=declared.editions,
        carry_over=declared.carry_over,
        title=declared.title,
        titles=declared.titles,
        shown=listed,
        order=tuple(filter(None, (declared.date_column,))),
        numbers=declared.number_columns,
        declared=True,
    )


def _suffixed(column: str, header: tuple[str, ...]) -> bool:
    """``team_ko`` beside ``team``: a translation, not a column of its own."""
    base, _, tag = column.rpartition("_")
    return bool(base) and base in header and bool(re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", tag))


def specs(config: ReportConfig | None) -> dict[str, TableSpec]:
    """Every kind of table a year may hold: the registry, then its declared ones."""
    declared = config.declared_tables if config is not None else ()
    return {**TABLES, **{d.name: declared_spec(d) for d in declared if d.name not in TABLES}}


def register(spec: TableSpec) -> None:
    """Add a kind of table: every stage that iterates ``TABLES`` handles it."""
    if spec.name in TABLES:
        raise ValueError(f"table '{spec.name}' is already declared")
    TABLES[spec.name] = spec


def unregister(name: str) -> None:
    TABLES.pop(name, None)


def _check_fields() -> None:
    """A table with a field in ``FiscalYear`` and no declaration here (or the
    reverse) would be redacted by nobody: refuse to load."""
    with_field = set(TABLE_FIELDS)
    declared = {n for n, t in TABLES.items() if t.row_type is not Record}
    if with_field != declared:
        raise RuntimeError(
            f"FiscalYear's tables {sorted(with_field)} != schema's {sorted(declared)}"
        )


_check_fields()


DECLARATION_KEYS = ("title", "columns", "date_column", "number_columns", "editions", "carry_over")
_TABLE_NAME = re.compile(r"[a-z][a-z0-9_-]*")
_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def read_declarations(
    value: object,
    where: Callable[[str, str | None], Location],
    editions: tuple[str, ...],
    diags: Diagnostics,
) -> tuple[DeclaredTable, ...]:
    """``[tables.<name>]`` of report.toml, checked; ``where(key, table)`` locates
    a key. Every problem is reported; a bad declaration is left out."""
    if not isinstance(value, dict):
        diags.error(where("tables", None), M.TABLES_NOT_A_TABLE())
        return ()
    found = []
    for name, body in value.items():
        at = f"tables.{name}"
        if name in TABLES:
            diags.error(
                where(at, None),
                M.TABLE_BUILT_IN(name=name),
            )
            continue
        if not _TABLE_NAME.fullmatch(str(name)):
            diags.error(
                where(at, None),
                M.TABLE_BAD_NAME(name=name),
            )
            continue
        if not isinstance(body, dict):
            diags.error(where(at, None), M.TABLE_NOT_A_TABLE(name=name))
            continue

        def locate(key: str, table: str = at) -> Location:
            """The key's line, else the table's header (a missing key)."""
            found = where(key, table)
            return found if found.line is not None else where(table, None)

        declared = _declaration(str(name), body, locate, editions, diags)
        if declared is not None:
            found.append(declared)
    return tuple(found)


def _declaration(
    name: str,
    body: dict[str, object],
    where: Callable[[str], Location],
    editions: tuple[str, ...],
    diags: Diagnostics,
) -> DeclaredTable | None:
    ok = True

    def fail(key: str, message: str) -> None:
        nonlocal ok
        ok = False
        diags.error(where(key), M.TABLE_KEY_PROBLEM(name=name, key=key, problem=message))

    def strings(key: str) -> tuple[str, ...]:
        value = body.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            fail(key, M.TABLE_COLUMNS_LIST())
            return ()
        return tuple(v.strip().lower() for v in value)

    titles = []
    for key, value in body.items():
        base, _, tag = key.rpartition("_")
        if base == "title" and _TAG.fullmatch(tag):
            if isinstance(value, str) and value.strip():
                titles.append((tag, value.strip()))
            else:
                fail(key, M.TABLE_KEY_NOT_STRING())
        elif key not in DECLARATION_KEYS:
            diags.warning(
                where(key),
                M.TABLE_UNKNOWN_KEY(key=key, name=name, hint=did_you_mean(key, DECLARATION_KEYS)),
            )
    title = body.get("title")
    if not isinstance(title, str) or not title.strip():
        fail("title", M.TABLE_TITLE_REQUIRED())
        title = name
    columns = strings("columns")
    numbers = strings("number_columns")
    date_column = body.get("date_column")
    if date_column is not None and not (isinstance(date_column, str) and date_column.strip()):
        fail("date_column", M.TABLE_DATE_COLUMN())
        date_column = None
    shown = strings("editions") if "editions" in body else ("annual-report", "handout")
    for item in shown:
        if item not in editions:
            hint = did_you_mean(item, editions)
            fail(
                "editions",
                M.TABLE_EDITION_UNKNOWN(item=item, choices=M.listed(editions), hint=hint),
            )
    carry = body.get("carry_over", False)
    if not isinstance(carry, bool):
        fail("carry_over", M.TABLE_CARRY_OVER(value=carry))
    for column in (*numbers, *filter(None, [date_column])):
        if columns and column not in columns:
            fail("columns", M.TABLE_COLUMN_UNLISTED(column=column))
    if not ok:
        return None
    return DeclaredTable(
        name, str(title).strip(), tuple(sorted(titles)), columns,
        date_column.strip().lower() if isinstance(date_column, str) else None, numbers,
        shown, bool(carry),
    )  # fmt: skip


def _column_doc(column: Column) -> str:
    notes = ["required"] if column.required else []
    notes += {
        "date": ["date"],
        "int": ["integer >= 0"],
        "decimal": ["number" if column.signed else "number >= 0"]
        + (["or text"] if column.text_ok else []),
        "enum": [" or ".join(f"`{c}`" for c in column.choices)],
        "str": [],
    }[column.type]
    return f"`{column.name}`" + (f" ({', '.join(notes)})" if notes else "")


def docs_tables() -> str:
    """The docs' list of the built-in tables, made from ``TABLES`` (docs/report-format.md
    holds it between ``<!-- tables: generated`` and ``<!-- /tables -->``; a test
    checks they agree)."""
    out = []
    for spec in TABLES.values():
        if spec.row_type is Record:
            continue  # registered at run time, not part of the format
        flags = [
            w
            for w, on in (
                ("required file", spec.required),
                ("carried over by `reportgen new --from`", spec.carry_over),
            )
            if on
        ]
        head = f"**{spec.name}**" + (f" ({'; '.join(flags)})" if flags else "")
        text = f"{head} — {', '.join(_column_doc(c) for c in spec.columns)}."
        if spec.note:
            text += f" {spec.note}"
        out.append(text)
    return "\n\n".join(out) + "\n"


if __name__ == "__main__":
    print(docs_tables(), end="")
