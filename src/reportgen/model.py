"""The typed model of one fiscal year: what validation produces and every later
stage reads.

Everything here is a frozen dataclass of plain values (``date``, ``Decimal``,
strings, tuples), so a model pickles into worker processes and hashes into
the cache's keys, and no stage can change what another stage sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

EDITIONS = ("annual-report", "handout", "donor")
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b", "pdf/a-3u", "pdf/a-2b", "pdf/a-2u")
LANGUAGES = ("en", "ja")
PUBLIC = "public"
INTERNAL = "internal"

Extra = tuple[tuple[str, str], ...]  # columns the contract does not name, kept in order


@dataclass(frozen=True)
class Organization:
    name: str
    short_name: str | None = None
    website: str | None = None
    email: str | None = None
    address: str | None = None
    logo: Path | None = None


@dataclass(frozen=True)
class Theme:
    primary_color: str = "#1f3a5f"
    accent_color: str = "#c8553d"
    page_size: str = "A4"
    font: str = "Noto Sans"


@dataclass(frozen=True)
class Signatory:
    name: str
    role: str | None = None


@dataclass(frozen=True)
class ReportConfig:
    """report.toml merged over organization.toml, checked and typed."""

    root: Path  # the year folder
    title: str
    fiscal_year: str
    start: date
    end: date
    organization: Organization
    language: str = "en"
    languages: tuple[str, ...] = ("en",)
    currency: str = "JPY"
    editions: tuple[str, ...] = EDITIONS
    theme: Theme = field(default_factory=Theme)
    signatory: Signatory | None = None
    published: date | None = None  # extension: the publication date printed and stamped
    pdf_table_rows: int = 300  # extension: longest activity/lobbying table the PDF prints
    pdf_variant: str = "pdf/ua-1"  # extension: the standard every PDF claims
    print_marks: bool = False  # extension: crop marks and 3 mm bleed for a print shop
    # extension: ("title" / "organization.name" / "signatory.role" ..., language, text)
    translations: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Activity:
    date: date
    title: str
    category: str
    location: str | None = None
    description: str | None = None
    participants: int | None = None
    visibility: str = PUBLIC
    extra: Extra = ()


@dataclass(frozen=True)
class Coalition:
    name: str
    role: str
    joined: date | None = None
    member_organizations: int | None = None
    countries: int | None = None
    description: str | None = None
    visibility: str = PUBLIC
    extra: Extra = ()


@dataclass(frozen=True)
class LobbyingVisit:
    date: date
    target_type: str
    target: str
    topic: str | None = None
    outcome: str | None = None
    attendees: str | None = None
    visibility: str = PUBLIC
    extra: Extra = ()


@dataclass(frozen=True)
class FinanceEntry:
    kind: str  # "income" or "expense"
    category: str
    amount: Decimal
    function: str | None = None  # program / fundraising / administration
    note: str | None = None
    visibility: str = PUBLIC
    extra: Extra = ()


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    group: str = "board"
    visibility: str = PUBLIC
    extra: Extra = ()


@dataclass(frozen=True)
class Donor:
    name: str
    id: str | None = None
    salutation: str | None = None
    email: str | None = None
    language: str | None = None
    amount: Decimal | None = None
    extra: Extra = ()


@dataclass(frozen=True)
class NarrativeSection:
    """One narrative/*.md file, its Markdown already rendered to safe HTML."""

    slug: str
    title: str
    html: str
    source: Path
    editions: tuple[str, ...] = EDITIONS
    visibility: str = PUBLIC
    language: str | None = None  # None: serves every language


@dataclass(frozen=True)
class FiscalYear:
    config: ReportConfig
    activities: tuple[Activity, ...] = ()
    coalitions: tuple[Coalition, ...] = ()
    lobbying: tuple[LobbyingVisit, ...] = ()
    finances: tuple[FinanceEntry, ...] = ()
    people: tuple[Person, ...] = ()
    donors: tuple[Donor, ...] = ()
    narrative: tuple[NarrativeSection, ...] = ()
    tables: frozenset[str] = frozenset()  # which tables the folder provides
