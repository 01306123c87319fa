"""Column names and fixed values in the report's languages.

A language pack declares, by the table registry's own ids, the names a
director may write a column with (``[columns]``: ``date = "날짜"``, or per
table, ``[columns.people] role = "직책"``) and the words of a column's fixed
values (``[values.visibility] internal = ["비공개", "내부"]``, or for one
table's column where another table's column of that name has other values,
``[values."donors.type"] person = "개인"``), the first name being the one
reportgen writes. Everything else is derived here: the
readers' acceptance (``localise``: a table's header and values as the
registry names them, so that every later check sees one vocabulary), the
did-you-mean of an unknown column, and the names written into attached CSVs
and starter files (``written_column``, ``written_value``).

English (the ids) always works, in every report; a name is matched without
regard to case, width (``ＩＤ``) or spaces (``참가자수`` is ``참가자 수``).
A header may mix English and localised names: each column is its own.

A name that could mean two columns of one table (or two values of one
column), in one pack or across the packs of a report, is refused when the
names are loaded (``AmbiguousNames``): never a guess. A test loads every
built-in pack alone and with each other one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache

from reportgen.core import languages
from reportgen.core.generated_docs import command, spliced
from reportgen.reading.readers.tables import RawCell, RawRow, RawTable
from reportgen.reading.table_registry import TABLES, TableSchema

Pairs = tuple[tuple[str, tuple[str, ...]], ...]  # a pack's ("key", names) pairs


class AmbiguousNames(ValueError):
    """A pack's names that could mean two things, or name nothing."""


def squash(text: str) -> str:
    """A name as it is matched: NFKC (full-width forms), case and spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", str(text)).lower().split())


@dataclass(frozen=True)
class TableNames:
    accepted: Mapping[str, str] = field(default_factory=dict)  # squashed name -> column id
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # id -> names


@dataclass(frozen=True)
class ColumnNames:
    """The localised names a report accepts, its languages' in order."""

    languages: tuple[str, ...] = ()
    tables: Mapping[str, TableNames] = field(default_factory=dict)
    # column (or "table.column") -> name -> id
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    value_names: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    def table(self, name: str) -> TableNames:
        """A declared table (``[tables.<name>]``) gets only the names of the
        columns every table shares: ``visibility``."""
        if name in self.tables:
            return self.tables[name]
        shared = self.tables.get("activities", TableNames())
        names = {k: v for k, v in shared.names.items() if k == "visibility"}
        return TableNames({n: i for n, i in shared.accepted.items() if i in names}, names)

    def column(self, table: str, header: str) -> str | None:
        """The column id a localised header names in ``table``, else None."""
        return self.table(table).accepted.get(squash(header))

    def names(self, table: str, column: str) -> tuple[str, ...]:
        return self.table(table).names.get(column, ())

    def value(self, column: str, text: str, table: str = "") -> str | None:
        """The value id ``text`` names in ``column`` (of ``table``: its own
        names first, ``[values."table.column"]``)."""
        word = squash(text)
        own = self.values.get(f"{table}.{column}", {}).get(word) if table else None
        return own or self.values.get(column, {}).get(word)

    def choice_names(self, column: str, choice: str, table: str = "") -> tuple[str, ...]:
        own = self.value_names.get(f"{table}.{column}", {}).get(choice, ()) if table else ()
        return own or self.value_names.get(column, {}).get(choice, ())

    def has_values(self, column: str, table: str) -> bool:
        return bool(self.values.get(column) or self.values.get(f"{table}.{column}"))


def _columns_of(table: str) -> tuple[str, ...]:
    return TABLES[table].names


def resolve(packs: Iterable[tuple[str, Pairs, Pairs]]) -> ColumnNames:
    """The names of ``packs`` ((tag, ``Pack.columns``, ``Pack.values``), the
    report's languages in order), checked against the table registry: a key
    that names no column or value, or a name that could mean two, raises
    ``AmbiguousNames``."""
    packs = list(packs)
    every_column = {c for t in TABLES for c in _columns_of(t)}
    choices = {c.name: c.choices for t in TABLES.values() for c in t.columns if c.choices}
    choices |= {f"{t.name}.{c.name}": c.choices for t in TABLES.values() for c in t.columns}
    tables: dict[str, TableNames] = {}
    for key_tag, columns, _ in packs:
        for key, _names in columns:
            table, _, column = key.rpartition(".")
            if (table and (table not in TABLES or column not in _columns_of(table))) or (
                not table and column not in every_column
            ):
                raise AmbiguousNames(f"pack {key_tag}: [columns] '{key}' names no column")
    for table in TABLES:
        accepted: dict[str, tuple[str, str]] = {}  # squashed -> (id, tag)
        written: dict[str, list[str]] = {}
        ids = _columns_of(table)
        for tag, columns, _ in packs:
            given = dict(columns)
            for column in ids:
                for name in given.get(f"{table}.{column}", given.get(column, ())):
                    key = squash(name)
                    clash = next((c for c in ids if squash(c) == key and c != column), None)
                    if clash is None and key in accepted and accepted[key][0] != column:
                        clash = accepted[key][0]
                    if clash is not None:
                        raise AmbiguousNames(
                            f"pack {tag}: '{name}' names column '{column}' of the {table} "
                            f"table, but it is also the name of its column '{clash}'"
                        )
                    accepted.setdefault(key, (column, tag))
                    if name not in written.setdefault(column, []):
                        written[column].append(name)
        tables[table] = TableNames(
            {k: i for k, (i, _) in accepted.items()},
            {c: tuple(n) for c, n in written.items()},
        )
    values: dict[str, dict[str, str]] = {}
    value_names: dict[str, dict[str, list[str]]] = {}
    for tag, _, pairs in packs:
        for key, names in pairs:
            column, _, choice = key.rpartition(".")
            if choice not in choices.get(column, ()):
                raise AmbiguousNames(f"pack {tag}: [values.{column}] '{choice}' names no value")
            known = values.setdefault(column, {})
            for name in names:
                word = squash(name)
                clash = next(
                    (c for c in choices[column] if squash(c) == word and c != choice), None
                ) or (known[word] if known.get(word, choice) != choice else None)
                if clash is not None:
                    raise AmbiguousNames(
                        f"pack {tag}: '{name}' names the value '{choice}' of column "
                        f"'{column}', but it is also the name of its value '{clash}'"
                    )
                known[word] = choice
                listed = value_names.setdefault(column, {}).setdefault(choice, [])
                if name not in listed:
                    listed.append(name)
    return ColumnNames(
        tuple(tag for tag, _, _ in packs),
        tables,
        values,
        {c: {k: tuple(v) for k, v in by.items()} for c, by in value_names.items()},
    )


@cache
def names_for(report_languages: tuple[str, ...]) -> ColumnNames:
    """The names a report in ``report_languages`` accepts (each language's
    nearest pack: ``ko-KR`` has ``ko``'s)."""
    packs = []
    for tag in dict.fromkeys(report_languages):
        found = languages.packs_for(tag)
        if found and (found[0].columns or found[0].values):
            packs.append((tag, found[0].columns, found[0].values))
    return resolve(packs)


def written_column(names: ColumnNames, table: str, column: str) -> str:
    """The name reportgen writes for ``column`` of ``table``: the first
    language's first name, else the id."""
    return next(iter(names.names(table, column)), column)


def written_value(names: ColumnNames, column: str, value: str, table: str = "") -> str:
    return next(iter(names.choice_names(column, value, table)), value)


def localise(table: RawTable, spec: TableSchema, names: ColumnNames) -> RawTable:
    """``table`` with its localised column names and fixed values as the
    registry's ids (cells keep their locations); the same table when it has
    none. A column given twice (``date`` and ``날짜``) is said by ``validate``
    with both names (``RawTable.written``)."""
    ids = spec.names
    renamed = {c: (c if c in ids else names.column(spec.name, c) or c) for c in table.columns}
    present = set(renamed.values())
    with_values = [
        c for c in spec.columns if c.name in present and names.has_values(c.name, spec.name)
    ]
    if all(k == v for k, v in renamed.items()) and not with_values:
        return table
    rows, translated = [], any(k != v for k, v in renamed.items())
    english = {c.name: frozenset(c.choices) for c in with_values}
    for row in table.rows:
        cells: dict[str, RawCell] = {}
        for header, cell in row.cells.items():
            column = renamed.get(header, header)
            if (
                column in english
                and isinstance(cell.value, str)
                and cell.value not in english[column]
                and (choice := names.value(column, cell.value, spec.name)) in english[column]
            ):
                translated = translated or choice != cell.value
                cell = RawCell(choice, cell.location)
            cells.setdefault(column, cell)
        rows.append(RawRow(row.location, cells))
    if not translated:
        return table
    return replace(
        table,
        columns=tuple(renamed[c] for c in table.columns),
        rows=tuple(rows),
        written=table.written or table.columns,
    )


# --- the docs' list -------------------------------------------------------------------

DOCS_BEGIN = (
    "<!-- column names: generated by `python -m reportgen.reading.column_names --docs`; "
    "do not edit -->"
)
DOCS_END = "<!-- end of column names -->"


def docs_names() -> str:
    """The Markdown tables of each built-in pack's column names (by table) and
    values (by column); a pack with none (``en``, ``en-GB``) is left out."""
    tags = [t for t in languages.builtin_tags() if names_for((t,)).tables != names_for(()).tables]
    every = {t: names_for((t,)) for t in tags}
    lines = ["| table | column | " + " | ".join(f"`{t}`" for t in tags) + " |",
             "|---|---|" + "---|" * len(tags)]  # fmt: skip
    for table in TABLES:
        for column in _columns_of(table):
            cells = [" / ".join(every[t].names(table, column)) or "–" for t in tags]
            lines.append(f"| {table} | `{column}` | " + " | ".join(cells) + " |")
    lines += ["", "| column | value | " + " | ".join(f"`{t}`" for t in tags) + " |",
              "|---|---|" + "---|" * len(tags)]  # fmt: skip
    shown: set[tuple[str, str]] = set()
    for spec in TABLES.values():
        for col in spec.columns:
            for choice in col.choices:
                if (col.name, choice) in shown:
                    continue
                shown.add((col.name, choice))
                cells = [" / ".join(every[t].choice_names(col.name, choice, spec.name)) or "–"
                         for t in tags]  # fmt: skip
                lines.append(f"| `{col.name}` | `{choice}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def docs_with_names(text: str) -> str:
    """``text`` (docs/report-format.md) with the generated tables between the markers."""
    return spliced(text, DOCS_BEGIN, DOCS_END, docs_names())


if __name__ == "__main__":
    command(docs_names, docs_with_names)
