"""``reportgen new``: start a fiscal year's folder, rolled forward from the
last one or from a commented starter.

This is the one command that writes into a report set rather than into the
output folder; it never overwrites: the target must not exist. Everything is
first written into a temporary folder beside the target and renamed into
place at the end, so a failure leaves nothing half-made.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

import tomlkit
import tomlkit.exceptions
import tomlkit.items
from babel.numbers import get_territory_currencies

from reportgen.commands.new_office_files import (
    WORKBOOK,
    document_heading,
    empty_workbook,
    write_document,
    write_workbook,
)
from reportgen.composing import formats
from reportgen.core import messages as M
from reportgen.core.errors import UsageError
from reportgen.core.languages import TAG, base_of, packs_for
from reportgen.reading.column_names import ColumnNames, names_for, written_column, written_value
from reportgen.reading.fiscal_years import country_of_tag, usual_start
from reportgen.reading.narrative_html import section_slug
from reportgen.reading.receipt_presets import presets
from reportgen.reading.report_folder import TABLE_EXTENSIONS
from reportgen.reading.settings import SETTINGS, TOMLDecodeError, Values, loads, read, starter_toml
from reportgen.reading.table_registry import (
    TABLES,
    Column,
    TableSpec,
    csv_line,
    in_country,
)

PROMPT = "TODO:"  # check warns while a narrative file still holds one

PROMPTS = {
    "message": M.NEW_PROMPT_MESSAGE(),
    "overview": M.NEW_PROMPT_OVERVIEW(),
    "stories": M.NEW_PROMPT_STORIES(),
    "about": M.NEW_PROMPT_ABOUT(),
}
GENERIC_PROMPT = M.NEW_PROMPT_GENERIC


def _prompt(hint: str, tag: str) -> str:
    """``TODO: write …`` in the language ``tag`` (its catalog's, English for
    a language reportgen has no catalog for)."""
    language = base_of(tag) if base_of(tag) in M.LANGUAGES else "en"
    return f"{PROMPT} {M.say(M.NEW_WRITE(what=hint), language)}"


def _first_language(*settings: Values) -> str:
    """The report's first language: the year's, else organization.toml's, else English."""
    for values in settings:
        languages = values.get("languages")
        if isinstance(languages, list) and languages and isinstance(languages[0], str):
            return languages[0]
        if isinstance(language := values.get("language"), str):
            return language
    return "en"


# The settings whose text names the year, rolled forward with their
# translations (``title_ko``): as the schema declares them.
ROLLED = tuple(k for k, s in SETTINGS.items() if s.names_year)
# Tables whose rows a new year keeps by name, with their values emptied: what
# is counted stays, the counts are the new year's to fill in. These columns
# (and their ``<column>_<tag>`` translations) keep their cells.
# The funds go on with their names, kinds and purposes: each empty opening
# balance is then last year's closing one (reading.accounts).
KEPT_BY_NAME = {"indicators": ("name", "unit", "visibility"), "funds": ("fund", "type", "note")}


class YearNames:
    """Rolls the names of a year forward in text a director wrote (file
    names, headings, a workbook's title rows): each form of the old fiscal
    year's own years, ``2025``, ``FY2025``, ``2025-26``, ``2025–26``,
    ``2025/26``, ``2025년``, ``2025年度``, becomes the next. Only those years
    move: other numbers (``02-overview``, "Top 10") stay as written."""

    def __init__(self, start: date, end: date, new_start: date) -> None:
        self.shift = new_start.year - start.year
        years = "|".join(str(y) for y in sorted({start.year, end.year}))
        self._pattern = re.compile(rf"(?<!\d)({years})(?:([-\u2010\u2013/])(\d{{2}}))?(?!\d)")

    def __call__(self, text: str) -> str:
        def roll(match: re.Match[str]) -> str:
            year = str(int(match.group(1)) + self.shift)
            if match.group(3) is None:
                return year
            return f"{year}{match.group(2)}{_bump(match.group(3), self.shift)}"

        return self._pattern.sub(roll, text)


def _roll_date(day: date, years: int = 1) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def year_end(start: date) -> date:
    """The last day of a fiscal year that begins on ``start``: a year later less a day."""
    try:
        following = start.replace(year=start.year + 1)
    except ValueError:  # from 29 February: the next year begins on 1 March
        following = date(start.year + 1, 3, 1)
    return following - timedelta(days=1)


def year_label(start: date, end: date) -> str:
    """``2025`` for a calendar year, ``2024–25`` (an en dash) for any other."""
    if (start.month, start.day) == (1, 1) and end.year == start.year:
        return str(start.year)
    return f"{start.year}\u2013{end.year % 100:02d}"


def _next_label(label: str, start: date, new_start: date) -> str:
    """FY2012 -> FY2013, "2012/13" -> "2013/14": every year number moves on."""
    shift = new_start.year - start.year
    return re.sub(r"(?<!\d)(\d{4}|\d{2})(?!\d)", lambda m: _bump(m.group(1), shift), label)


def _bump(number: str, shift: int) -> str:
    value = int(number) + shift
    return f"{value % 100:02d}" if len(number) == 2 else str(value)


def rolled_settings(text: str, values: dict[str, str | date]) -> str:
    """The report.toml ``text`` with each top-level setting of ``values`` set
    (tomlkit: the file's comments, spacing, quoting and order stay as they
    were; a key written quoted or a string over several lines is found too).
    A setting the file lacks is added after its last top-level one; the same
    key inside a table (``[tables.x] title``) is never touched."""
    document = tomlkit.parse(text)
    for key, value in values.items():
        document[key] = _like(document.get(key), value)
    return document.as_string()


def without_receipt_date(text: str) -> str:
    """The settings without ``[receipts] issued``: last year's date of issue is
    not the new year's (its receipts are dated when their numbers are issued)."""
    document = tomlkit.parse(text)
    table = document.get("receipts")
    if not isinstance(table, dict) or "issued" not in table:
        return text
    del table["issued"]
    return document.as_string()


def _like(old: object, value: str | date) -> object:
    """``value`` as a TOML item written as ``old`` was: a literal or a
    multi-line string stays one, when it can hold the new text."""
    if isinstance(value, str) and isinstance(old, tomlkit.items.String):
        with contextlib.suppress(tomlkit.exceptions.InvalidStringError):
            return tomlkit.string(
                value, literal=old.type.is_literal(), multiline=old.type.is_multiline()
            )
    return value


def new_year(
    target: Path,
    source: Path | None = None,
    copy_assets: bool = False,
    start: date | None = None,
    workbook: bool = False,
    word: bool = False,
) -> list[Path]:
    """Create ``target``; return the files written (relative to it).

    From ``source``, the year after it; else a starter for the fiscal year that
    begins on ``start`` (default: 1 January of this year, from the clock), its
    data as one workbook with ``workbook`` and its narrative as Word documents
    with ``word`` (new_office_files)."""
    if source is not None and (workbook or word):
        raise UsageError(M.NEW_FORMS_WITH_FROM())
    if os.path.lexists(target):
        what = (M.NEW_EXISTS_LINK(target=os.readlink(target)) if target.is_symlink()
                else M.NEW_EXISTS_IT())  # fmt: skip
        raise UsageError(M.NEW_EXISTS(target=target, what=what))
    if source is not None and not (source / "report.toml").is_file():
        raise UsageError(M.NEW_NOT_A_YEAR(source=source))
    if source is not None and start is not None:
        raise UsageError(M.NEW_START_WITH_FROM(source=source))
    if start is not None:
        _representable(start, f"--start {start.isoformat()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as exc:
        raise UsageError(M.NEW_CANNOT_MAKE(target=target, reason=_reason(exc))) from None
    try:
        if source is None:
            _starter(staging, target, start, workbook, word)
        else:
            _roll_forward(source, staging, copy_assets)
        written = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file())
        os.rename(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise UsageError(M.NEW_CANNOT_MAKE(target=target, reason=_reason(exc))) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _reason(exc: OSError) -> str:
    # mkdir where a file stands says "File exists", which misleads
    return os.strerror(errno.ENOTDIR) if isinstance(exc, FileExistsError) else str(exc.strerror)


# A new year's dates, and the day its report is published (60 days after
# its end), must be days the calendar of Python's ``date`` holds.
_PUBLISHED_AFTER = timedelta(days=60)


def _representable(start: date, what: str) -> None:
    """A ``UsageError`` naming ``what`` when the year that begins on ``start``
    (its end, its publication day) lies past the last day a date can be."""
    try:
        year_end(start) + _PUBLISHED_AFTER
    except (OverflowError, ValueError):
        raise UsageError(M.NEW_PAST_LAST_DAY(what=what, days=_PUBLISHED_AFTER.days,
                                             last=date.max.isoformat())) from None  # fmt: skip


def _roll_forward(source: Path, folder: Path, copy_assets: bool) -> None:
    try:
        text = (source / "report.toml").read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = M.NEW_NOT_UTF8() if isinstance(exc, UnicodeDecodeError) else exc.strerror
        raise UsageError(M.NEW_CANNOT_READ(path=source / "report.toml", reason=reason)) from None
    try:
        settings = loads(text)
    except TOMLDecodeError as exc:
        raise UsageError(M.NEW_FIX_FIRST(path=source / "report.toml", problem=exc)) from None
    start, end = settings.get("start"), settings.get("end")
    if not isinstance(start, date) or not isinstance(end, date):
        raise UsageError(M.NEW_NEEDS_DATES(path=source / "report.toml"))
    published = settings.get("published")
    try:
        new_start = end + timedelta(days=1)
        new_end = year_end(new_start)
        new_end + _PUBLISHED_AFTER
        rolled = _roll_date(published) if isinstance(published, date) else None
    except (OverflowError, ValueError):
        raise UsageError(
            M.NEW_NEXT_PAST_LAST_DAY(path=source / "report.toml", last=date.max.isoformat())
        ) from None
    old_label = str(settings.get("fiscal_year", ""))
    label = (
        _next_label(old_label, start, new_start) if old_label else year_label(new_start, new_end)
    )
    title = str(settings.get("title") or f"Annual Report {label}")
    values: dict[str, str | date] = {
        "title": _roll_text(title, old_label, label, start, new_start),
        "fiscal_year": label,
        "start": new_start,
        "end": new_end,
    }
    if rolled is not None:
        values["published"] = rolled
    labels = dict(settings.translations("fiscal_year"))
    for key, value in _translations(settings):  # title_ja, title_ko, ...
        own = labels.get(key.rpartition("_")[2])  # its language's label
        old, new = old_label, label
        if isinstance(own, str):
            old, new = own, _next_label(own, start, new_start)
        values[key] = _roll_text(value, old, new, start, new_start)
    try:
        text = without_receipt_date(rolled_settings(text, values))
    except tomlkit.exceptions.ParseError as exc:  # what tomllib read, tomlkit could not
        raise UsageError(M.NEW_CANNOT_ROLL(path=source / "report.toml", reason=exc)) from None
    (folder / "report.toml").write_text(text, "utf-8")
    names = YearNames(start, end, new_start)
    shared = _shared(source)
    _empty_tables(source / "data", folder / "data", _carried(settings, shared), names,
                  names_for(_languages(settings, shared)))  # fmt: skip
    first = _first_language(settings, shared)
    _narrative_prompts(source / "narrative", folder / "narrative", label, names, first)
    if copy_assets and (source / "assets").is_dir():
        shutil.copytree(source / "assets", folder / "assets")


def _roll_text(text: str, old_label: str, label: str, start: date, new_start: date) -> str:
    """A setting that names the year, a year on: its fiscal-year label replaced
    where it has it, else every year number in it moved on."""
    if old_label and old_label in text:
        return text.replace(old_label, label)
    return _next_label(text, start, new_start)


def _translations(settings: Values) -> list[tuple[str, str]]:
    """The top-level translations (``<key>_<tag>``) of the settings a new year rolls forward."""
    return [
        (f"{base}_{tag}", value)
        for base in ROLLED
        for tag, value in settings.translations(base)
        if isinstance(value, str)
    ]


def _shared(source: Path) -> Values:
    """The settings of the set's organization.toml (none when it is missing or unreadable)."""
    return read(source.parent / "organization.toml") or Values({})


def _carried(settings: Values, shared: Values) -> frozenset[str]:
    """The tables whose rows a new year keeps: built-in ones marked ``carry_over``
    and declared ones with ``carry_over = true`` (the year's declarations, else
    organization.toml's, as the build reads them)."""
    declared = settings.get("tables") if "tables" in settings else shared.get("tables")
    own = {
        name
        for name, body in (declared.items() if isinstance(declared, dict) else ())
        if isinstance(body, dict) and body.get("carry_over") is True
    }
    return frozenset({n for n, t in TABLES.items() if t.carry_over} | own)


def _languages(*sources: Values) -> tuple[str, ...]:
    """The report's languages as the first of ``sources`` that gives them
    says (``languages``, or version 1's ``language``); ``en`` otherwise."""
    for settings in sources:
        given = settings.get("languages") if "languages" in settings else None
        if isinstance(given, list) and given and all(isinstance(t, str) for t in given):
            return tuple(given)
        one = settings.get("language") if "language" in settings else None
        if isinstance(one, str) and one:
            return (one,)
    return ("en",)


def _kept(table: str, column: str, names: ColumnNames | None = None) -> bool:
    """Whether a new year keeps the cells of ``column`` in ``table``
    (``KEPT_BY_NAME``), the column by its id or by a name of the report's
    languages (``names``: 지표 is ``name``)."""
    kept = KEPT_BY_NAME.get(table, ())
    base, _, tag = column.rpartition("_")
    if names is not None and column not in kept:
        column = names.column(table, column) or column
    return column in kept or (base in kept and TAG.fullmatch(tag) is not None)


def _empty_tables(
    source: Path,
    target: Path,
    carried: frozenset[str] = frozenset(),
    names: YearNames | None = None,
    columns: ColumnNames | None = None,
) -> None:
    target.mkdir()
    roll: Callable[[str], str] = names or (lambda text: text)
    columns = columns or names_for(())

    def kept(table: str, column: str) -> bool:
        return _kept(table, column, columns)

    for path in sorted(source.iterdir()) if source.is_dir() else []:
        if path.suffix.lower() not in TABLE_EXTENSIONS:
            continue
        out = target / roll(path.name)
        if path.stem.lower() in carried:
            shutil.copyfile(path, out)
        elif path.suffix.lower() == ".csv":
            out.write_bytes(_emptied_csv(path.read_bytes(), path.stem.lower(), kept))
        else:  # a table's workbook, or one for the whole year: each sheet's header kept
            empty_workbook(path, out, carried, kept, roll, columns)
    if not any(target.glob("activities.*")) and not _sheet_for(target, "activities"):
        header = ",".join(
            written_column(columns, "activities", c) for c in TABLES["activities"].names
        )
        (target / "activities.csv").write_text(header + "\n", "utf-8")


def _emptied_csv(data: bytes, table: str, kept_cell: Callable[[str, str], bool] = _kept) -> bytes:
    """A table's CSV for the new year: its header line as written, and for a
    table kept by name (``KEPT_BY_NAME``) each row with only those cells."""
    lines = data.splitlines(keepends=True)
    if not lines or table not in KEPT_BY_NAME:
        return lines[0] if lines else b""
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        return lines[0]  # check will say what is wrong with last year's file
    header = [c.strip().lower() for c in rows[0]] if rows else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows[1:]:
        kept = [
            v if i < len(header) and kept_cell(table, header[i]) else "" for i, v in enumerate(row)
        ]
        if any(v.strip() for v in kept):
            writer.writerow(kept)
    first = lines[0] if lines[0].endswith((b"\n", b"\r")) else lines[0] + b"\n"
    return first + out.getvalue().encode()


def _sheet_for(folder: Path, table: str) -> bool:
    """Whether a workbook of ``folder`` has a sheet named like ``table``."""
    from openpyxl import load_workbook

    for path in folder.glob("*.xlsx"):
        book = load_workbook(path, read_only=True)
        try:
            if any(name.strip().lower() == table for name in book.sheetnames):
                return True
        finally:
            book.close()
    return False


def _word_prompts(
    source: Path, target: Path, label: str, roll: YearNames | None = None, first: str = "en"
) -> None:
    """Last year's Word narrative, a year on: each document's heading and a
    prompt, its name and heading naming the new year."""
    for path in sorted(source.glob("*.docx")) if source.is_dir() else []:
        if path.name.startswith("~$"):
            continue
        slug = re.sub(r"^[0-9]+[-_ .]*", "", path.stem.split(".")[0]).lower()
        hint = next((p for key, p in PROMPTS.items() if key in slug), None)
        hint = hint or GENERIC_PROMPT(fiscal_year=label)
        heading = document_heading(path) or slug.replace("-", " ").capitalize()
        name = roll(path.name) if roll else path.name
        tag = section_slug(path)[1] or first
        write_document(target / name, roll(heading) if roll else heading,
                       [_prompt(hint, tag)])  # fmt: skip


def _narrative_prompts(
    source: Path, target: Path, label: str, roll: YearNames | None = None, first: str = "en"
) -> None:
    target.mkdir()
    _word_prompts(source, target, label, roll, first)
    for path in sorted(source.glob("*.md")) if source.is_dir() else []:
        text = path.read_text("utf-8")
        front = ""
        body = text
        match = re.match(r"---\n(.*?)\n(---|\.\.\.)\n", text, re.S)
        if match:
            front, body = text[: match.end()], text[match.end() :]
        heading = re.search(r"^#\s+.+$", body, re.M)
        slug = re.sub(r"^[0-9]+[-_ .]*", "", path.stem.split(".")[0]).lower()
        hint = next((p for key, p in PROMPTS.items() if key in slug), None)
        hint = hint or GENERIC_PROMPT(fiscal_year=label)
        if roll is not None:  # its title and heading name the new year
            front = roll(front)
        parts = [front + "\n"] if front else []
        if heading and "title:" not in front:
            parts.append((roll(heading.group(0)) if roll else heading.group(0)) + "\n\n")

        tag = section_slug(path)[1]
        if tag is not None and base_of(tag) != "en":  # the prompt in the file's language
            parts.append(f"{PROMPT} {formats.label(tag, 'scaffold_prompt', fiscal_year=label)}\n")
        else:
            parts.append(_prompt(hint, tag or first) + "\n")
        (target / (roll(path.name) if roll else path.name)).write_text("".join(parts), "utf-8")


STARTER_HEAD = M.NEW_TOML_HEAD()  # as comments, in the report's first language

STARTER_NARRATIVE = {
    "01-message.md": (M.NEW_HEADING_MESSAGE(), "message"),
    "02-overview.md": (M.NEW_HEADING_OVERVIEW(), "overview"),
}


def _starter(
    folder: Path, target: Path, start: date | None, workbook: bool = False, word: bool = False
) -> None:
    has_org = (target.parent / "organization.toml").is_file()
    shared = read(target.parent / "organization.toml") or Values({})
    first = _first_language(shared)
    chosen: frozenset[str] = frozenset()
    if not has_org and M.user_language() != "en":  # review-ko K-M4: the user's own language
        first, chosen = M.user_language(), frozenset({"language"})
    language = base_of(first) if base_of(first) in M.LANGUAGES else "en"
    country = _country(shared, first)
    if start is None:  # the year in progress, as the country keeps its books (review-ja F-8)
        start = usual_start(country or country_of_tag(first), date.today())  # the clock, once
    end = year_end(start)
    label = year_label(start, end)
    head = "".join(f"# {line}\n" for line in M.say(STARTER_HEAD, language).split("\n")) + "\n"

    examples = {"label": label, "start": start.isoformat(), "end": end.isoformat(),
                "published": (end + _PUBLISHED_AFTER).isoformat()}  # fmt: skip
    own: dict[str, object] = {**_own_examples(language, start, label), **_receipt_examples(
        shared, first, country, language)}  # fmt: skip
    notes = {"start": M.NEW_START_NOTE()}  # the year is the articles', not reportgen's
    starter = starter_toml(examples, not has_org, own, language, chosen, notes)
    (folder / "report.toml").write_text(head + starter, "utf-8")
    data = folder / "data"
    data.mkdir()
    # The tables in the first language's column names (a Korean set's: 날짜, 활동명).
    names = names_for((first,) if chosen else _languages(_shared(target))[:1])
    if workbook:
        write_workbook(data / WORKBOOK, start, names, country, language)
    else:
        for name, spec in TABLES.items():
            if spec.required or not spec.declared:
                columns = spec.starter_columns(country)
                header = ",".join(written_column(names, name, c.name) for c in columns)
                (data / f"{name}.csv").write_text(header + "\n", "utf-8")
    help_text = _tables_help(language, names, start, country)
    (data / "README.txt").write_text(help_text, "utf-8")
    narrative = folder / "narrative"
    narrative.mkdir()
    for name, (title, prompt) in STARTER_NARRATIVE.items():
        text = f"# {M.say(title, language)}\n\n{_prompt(PROMPTS[prompt], first)}\n"
        if word:
            heading, _, body = text.partition("\n\n")
            write_document(narrative / f"{name[:-3]}.docx", heading.lstrip("# "), [body.strip()])
        else:
            (narrative / name).write_text(text, "utf-8")
    (folder / "assets").mkdir()


def _own_examples(language: str, start: date, label: str) -> dict[str, str]:
    """The starter's example values in the report's first language: a
    Japanese or Korean year is named by the year it starts in (2026年度)."""
    if language == "en":
        return {}
    year = str(start.year)
    said = {
        "title": M.NEW_EXAMPLE_TITLE(label=year),
        "fiscal_year": M.NEW_EXAMPLE_FISCAL_YEAR(label=year),
        "signatory.name": M.NEW_EXAMPLE_SIGNATORY(),
        "signatory.role": M.NEW_EXAMPLE_ROLE(),
        "email.subject": M.NEW_EXAMPLE_SUBJECT(),
        "cover_image_alt": M.NEW_EXAMPLE_COVER_ALT(),
        "organization.name": M.NEW_EXAMPLE_ORGANIZATION(),
        "organization.address": M.NEW_EXAMPLE_ADDRESS(),
        "organization.short_name": M.NEW_EXAMPLE_SHORT_NAME(),
    }
    found = packs_for(language)
    fonts = {"theme.font": found[0].fonts.sans[0]} if found and found[0].fonts.sans else {}
    return {**{key: M.say(text, language) for key, text in said.items()}, **fonts}


def _country(shared: Values, first: str) -> str | None:
    """The organisation's country: organization.toml's, else the one whose
    receipt preset speaks the report's first language (ja: Japan), else
    unknown (an English report may be anywhere)."""
    given = shared.get("organization.country")
    if isinstance(given, str) and given.strip():
        return given.strip()
    found = {p.country for p in presets().values() if base_of(p.language) == base_of(first)}
    return found.pop() if len(found) == 1 and base_of(first) != "en" else None


def _receipt_examples(
    shared: Values, first: str, country: str | None, language: str
) -> dict[str, object]:
    """The starter's examples that depend on where the organisation is and
    who it is: the receipt preset of its country, its languages, its name."""
    said: dict[str, object] = {}
    preset = next((p.name for p in presets().values() if country and in_country(
        country, p.country)), None)  # fmt: skip
    if preset is not None:
        said["receipts.preset"] = preset
    if base_of(first) != "en":
        said["language"] = first
        said["languages"] = [first, "en"]
        found = packs_for(first)
        territory = (found[0].locale or "").partition("_")[2] if found else ""
        money = get_territory_currencies(territory) if territory else []
        if money:  # the currency of the language's country (ko_KR: KRW)
            said["currency"] = money[0]
    if language != "en":
        said["receipts.statement"] = M.say(M.NEW_EXAMPLE_STATEMENT(), language)
    name = shared.get("organization.name")
    if not (isinstance(name, str) and name.strip()) and language != "en":
        name = M.say(M.NEW_EXAMPLE_ORGANIZATION(), language)  # the [organization] example's
    if isinstance(name, str) and name.strip():
        said["email.from"] = f"{name.strip()} <you@example.org>"
    return said


def _tables_help(
    language: str = "en",
    names: ColumnNames | None = None,
    start: date | None = None,
    country: str | None = None,
) -> str:
    """data/README.txt: each table's columns as the starter writes them, the
    English id after a localised name, and an example row in the report's
    language, its in-year date inside the year that starts on ``start``."""
    lines = [*M.say(M.NEW_TABLES_HELP(), language).split("\n"), ""]
    names = names or names_for(())
    if names.languages:
        # before "Example rows": what may be written comes before the examples
        said = M.listed([_language_name(tag) for tag in names.languages])
        lines[-2:-2] = M.say(M.NEW_TABLES_LANGUAGES(languages=said), language).split("\n")
    for name, spec in TABLES.items():
        columns = spec.starter_columns(country)
        cols = M.listed([M.NEW_COLUMN_REQUIRED(column=_column_help(names, name, c.name))
                         if c.required else _column_help(names, name, c.name)
                         for c in columns])  # fmt: skip
        cells = zip(spec.columns, spec.example, strict=False)
        row = [_example_cell(spec, c, cell, language, names, start)
               for c, cell in cells if c in columns]  # fmt: skip
        example = M.say(M.NEW_EXAMPLE_ROW(row=csv_line(row)), language)
        notes = [f"  {M.say(c.starter_note, language)}" for c in columns if c.starter_note]
        notes += _values_help(spec, columns, language, names)
        lines += [M.say(M.NEW_TABLE_COLUMNS(table=name, columns=cols), language), example,
                  *notes, ""]  # fmt: skip
    return "\n".join(lines)


def _values_help(
    spec: TableSpec, columns: Sequence[Column], language: str, names: ColumnNames
) -> list[str]:
    """Under a table's example: each column of fixed values with its values
    as the report's languages name them, the ids after (유형(type): 개인(person),
    단체(organisation)); none for a report in English, nor for visibility
    (said at the top)."""
    found = []
    for column in columns:
        said = [
            M.NEW_VALUE_NAMED(name=own[0], value=choice)
            for choice in column.choices
            if column.name != "visibility"
            and (own := names.choice_names(column.name, choice, spec.name))
        ]
        if said:
            named = _column_help(names, spec.name, column.name)
            found.append(M.say(M.NEW_COLUMN_VALUES(column=named, values=M.listed(said)), language))
    return found


def _language_name(tag: str) -> str:
    """A language as its own pack names it (日本語, 한국어), else its tag."""
    found = packs_for(tag)
    return found[0].name if found else tag


def _example_cell(
    spec: TableSpec, column: Column, cell: str, language: str, names: ColumnNames,
    start: date | None,
) -> str:  # fmt: skip
    """One cell of a table's example row as a report in ``language`` writes it."""
    if column.choices:
        return written_value(names, column.name, cell, spec.name)
    if column.name == "language" and spec.name == "donors":  # the donor's: the report's own
        return language
    if column.type == "date" and column.name == spec.in_year and cell and start is not None:
        return _in_year(date.fromisoformat(cell), start).isoformat()
    return M.say(cell, language)


def _in_year(day: date, start: date) -> date:
    """``day``'s month and day in the fiscal year that starts on ``start``."""
    moved = _same_day(day, start.year)
    return moved if moved >= start else _same_day(day, start.year + 1)


def _same_day(day: date, year: int) -> date:
    return day.replace(year=year, day=min(day.day, 28) if day.month == 2 else day.day)


def _column_help(names: ColumnNames, table: str, column: str) -> str:
    written = written_column(names, table, column)
    return column if written == column else M.NEW_COLUMN_NAMED(written=written, column=column)
