"""The tables of the contract: their columns, types and rules, as data.

``validate`` walks these descriptions; adding a column is one line here.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["str", "date", "int", "decimal", "enum"]
VISIBILITY = ("public", "internal")
# Names that decide who sees a row or a narrative section (editions.select):
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


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType = "str"
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSchema:
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    in_year: str | None = None  # a date column that must fall inside start..end

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


_VIS = Column("visibility", "enum", choices=VISIBILITY)

TABLES: dict[str, TableSchema] = {
    t.name: t
    for t in (
        TableSchema(
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
        ),
        TableSchema(
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
        ),
        TableSchema(
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
        ),
        TableSchema(
            "finances",
            (
                Column("kind", "enum", True, ("income", "expense")),
                Column("category", required=True),
                Column("amount", "decimal", True),
                Column("function", "enum", choices=("program", "fundraising", "administration")),
                Column("note"),
                _VIS,
            ),
        ),
        TableSchema(
            "people",
            (
                Column("name", required=True),
                Column("role", required=True),
                Column("group", "enum", choices=("board", "officer", "staff", "advisor")),
                _VIS,
            ),
        ),
        TableSchema(
            "donors",
            (
                Column("name", required=True),
                Column("id"),
                Column("salutation"),
                Column("email"),
                Column("language", "enum", choices=("en", "ja")),
                Column("amount", "decimal"),
            ),
        ),
    )
}
