"""Raw report to typed ``FiscalYear``: every rule of the contract, all at once.

Pure apart from the diagnostics it appends: each cell is parsed by its
column's type, each row checked against its table's rules, and a row with any
error is left out of the model (the run fails anyway, after reporting all).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import fields, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from babel.numbers import get_currency_precision

from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostics, Location, did_you_mean
from reportgen.core.editions import DOCUMENTS
from reportgen.core.languages import builtin_tags, packs_for, tag_problem
from reportgen.reading.accounts import carried_forward, check_year
from reportgen.reading.amounts import NumberStyle, number_style, read_number
from reportgen.reading.column_names import ColumnNames, names_for, squash, written_value
from reportgen.reading.email_addresses import address_problem
from reportgen.reading.model import (
    LANGUAGES,
    PUBLIC,
    FiscalYear,
    Gift,
    NarrativeSection,
    Record,
    ReportConfig,
    receipt_language,
    same_language,
)
from reportgen.reading.narrative_html import (
    ASK_PLACEHOLDER,
    DONOR_PLACEHOLDER,
    check_workload,
    checked_roles,
    render_narrative,
    section_slug,
    section_slugs,
)
from reportgen.reading.readers.tables import RawCell, RawRow, RawTable
from reportgen.reading.report_folder import RawReport
from reportgen.reading.table_registry import (
    ALIASES,
    FUNCTIONS,
    GUARDED_COLUMNS,
    TABLES,
    Column,
    TableSpec,
    declared_spec,
    guarded_lookalike,
)

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
BOARD_GROUPS = ("board", "trustee")  # who counts as "the board" for completeness


def validate(
    raw: RawReport, diags: Diagnostics, previous: FiscalYear | str | None = None
) -> FiscalYear | None:
    """The typed year, or ``None`` when ``diags`` holds any error; ``previous``
    (last year, when its folder is beside this one) gives the funds' opening
    balances (``reading.accounts``)."""
    config = raw.config
    tables: dict[str, tuple[Any, ...]] = {}
    declared = {d.name: d for d in config.declared_tables} if config is not None else {}
    for name, table in raw.tables.items():
        spec = TABLES.get(name)
        if spec is None and name in declared:
            spec = declared_spec(declared[name], tuple(table.columns))
        if spec is not None:
            tables[name] = _validate_table(table, spec, config, diags)
    if config is not None and ("funds" in tables or "balance" in tables):
        funds = check_year(
            tables.get("funds", ()), tables.get("balance", ()), tables.get("finances", ()),
            raw.tables, config.currency, diags,
        )  # fmt: skip
        if "funds" in tables:
            tables["funds"] = funds
        # Every account's problem at once: last year's balances are checked
        # beside this year's other problems, not after they are mended.
        carried = carried_forward(FiscalYear(config=config).with_rows(tables), previous, diags)
        tables.update({n: carried.rows(n) for n in ("funds", "balance") if n in tables})
    _text_values(raw, diags)
    narrative, roles = checked_roles(list(_validate_narrative(raw, diags)), diags)
    if config is not None:  # reported with every other problem, errors or not
        _donor_language_warnings(raw, config.languages, diags)
    _donor_addresses(raw, diags)
    _gift_donors(raw, diags)
    if config is not None:
        _gift_benefits(raw, config, diags)
    _donor_placeholders(raw, narrative, roles, diags)
    if config is not None and not config.asks:
        _asks_undeclared(raw, roles, diags)
    if config is not None:
        _outcomes_said(raw, roles, config, diags)
    _figures_left_out(raw, diags)
    if config is None or diags.has_errors:
        return None
    year = FiscalYear(
        config=config, narrative=narrative, tables=frozenset(tables), roles=roles
    ).with_rows(tables)
    _languages_complete(year, diags)
    year = _donor_languages(year)
    year = donors_with_gifts(year, diags)
    _receipts_without_gifts(year, diags, raw.table_location)
    _receipt_languages(year, diags)
    completeness(year, diags, raw.table_location)
    _figures_against_tables(year, diags, raw.table_location)
    return year


def _figures_against_tables(
    year: FiscalYear, diags: Diagnostics, where: Callable[[str], tuple[Location, str]]
) -> None:
    """A key figure whose unit names a number column of a declared table
    ("Volunteer hours", in hours, beside the volunteers table's ``hours``)
    says what that column's public rows total; a report that prints both
    and disagrees is said, once per figure."""
    for table in year.config.declared_tables:
        rows = [r for r in year.rows(table.name) if r.visibility == PUBLIC]
        for column in table.number_columns if rows else ():
            cells = [r.get(column) for r in rows]
            total = sum((Decimal(str(v)) for v in cells if isinstance(v, (int, float, Decimal))),
                        Decimal(0))  # fmt: skip
            for figure in year.indicators:
                unit = (figure.unit or "").strip().lower()
                if unit != column.lower() or not isinstance(figure.value, Decimal):
                    continue
                if figure.value != total:
                    diags.warning(where("indicators")[0], M.FIGURE_AGAINST_TABLE(
                        name=figure.name, value=f"{figure.value:,}", unit=figure.unit,
                        column=column, table=where(table.name)[1] or f"{table.name}.csv",
                        total=f"{total:,}"))  # fmt: skip


def _text_values(raw: RawReport, diags: Diagnostics) -> None:
    """A key figure whose value is text (a milestone) has nothing to compare
    or measure against: its ``previous`` and ``target`` are errors, its
    ``unit`` is not shown."""
    table = raw.tables.get("indicators")
    if table is None:
        return
    column = next(c for c in TABLES["indicators"].columns if c.name == "value")
    config = raw.config
    style = number_style(tuple(config.languages), config.currency) if config is not None else None
    for row in table.rows:
        value, error = _parse(row.cells.get("value"), column, style)
        if error or not isinstance(value, str):
            continue
        for name in ("previous", "target", "unit"):
            cell = row.cells.get(name)
            if cell is None or not _as_text(cell.value):
                continue
            said = _said_column(raw, table, name)
            if name == "unit":
                diags.warning(cell.location, M.MILESTONE_UNIT(column=said))
            else:
                diags.error(cell.location, M.MILESTONE_COMPARED(column=said, value=value))


def _figures_left_out(raw: RawReport, diags: Diagnostics) -> None:
    """A figure the rows cannot give is left out (figures.KeyFigures), never
    shown wrong, and said here: an expense without ``function`` leaves the
    share spent on programmes unknown. Not said when report.toml's
    ``key_figures`` leaves that figure out anyway."""
    table = raw.tables.get("finances")
    chosen = raw.config.key_figures if raw.config is not None else None
    if (
        table is None
        or "kind" not in table.columns
        or (chosen is not None and "program_share" not in chosen)
    ):
        return
    expenses = [
        row
        for row in table.rows
        if (kind := row.cells.get("kind")) is not None and _as_text(kind.value).lower() == "expense"
    ]
    choices = {c: _said_value(raw, table, "function", c) for c in FUNCTIONS}
    left_out = M.SHARE_LEFT_OUT(**choices)
    function = _said_column(raw, table, "function")
    if expenses and "function" not in table.columns:
        diags.warning(
            table.header_location, M.NO_FUNCTION_COLUMN(column=function, left_out=left_out)
        )
        return
    lines = [
        row.location
        for row in expenses
        if (cell := row.cells.get("function")) is None or not _as_text(cell.value)
    ]
    if not lines:
        return
    # Listed as messages, so that "line 3" is said in the user's language.
    shown = M.listed([*(_short(loc) for loc in lines[:5]), *(["..."] if len(lines) > 5 else [])])
    diags.warning(
        lines[0],
        M.EXPENSES_WITHOUT_FUNCTION(
            column=function, count=len(lines), shown=shown, left_out=left_out
        ),
    )


def _donor_language_warnings(raw: RawReport, languages: Sequence[str], diags: Diagnostics) -> None:
    """A donor's language the report does not build is a warning: that letter
    is written in the report's first language."""
    spelled = {t.lower() for t in languages}
    table = raw.tables.get("donors")
    for row in table.rows if table is not None else ():
        cell = row.cells.get("language")
        tag = _as_text(cell.value).strip() if cell is not None else ""
        if cell is not None and tag and tag.lower() not in spelled:
            diags.warning(
                cell.location,
                M.DONOR_LANGUAGE_NOT_BUILT(
                    tag=tag,
                    languages=M.listed(languages),
                    first=languages[0],
                    hint=did_you_mean(tag, languages),
                ),
            )


def _donor_languages(year: FiscalYear) -> FiscalYear:
    """Each donor's language as the report spells it (``EN`` is ``en``)."""
    spelled = {t.lower(): t for t in year.config.languages}
    donors = tuple(
        replace(d, language=spelled.get((d.language or "").strip().lower())) for d in year.donors
    )
    return replace(year, donors=donors) if donors != year.donors else year


def _donor_addresses(raw: RawReport, diags: Diagnostics) -> None:
    """An ``email`` that is not one plain address is a warning here (the letter
    is still made) and an error for that donor in ``send`` (never sent to); a
    row without a postal ``address`` is a warning naming the donor (its letter
    has no address block for a window envelope), when the table has the column."""
    table = raw.tables.get("donors")
    if table is None:
        return
    for row in table.rows:
        cell = row.cells.get("email")
        value = _as_text(cell.value) if cell is not None else ""
        if cell is not None and value.strip() and (problem := address_problem(value)) is not None:
            diags.warning(
                cell.location,
                M.DONOR_EMAIL_UNUSABLE(column=_said_column(raw, table, "email"), problem=problem),
            )
        # A table with an ``address`` column is posted: a row without one
        # makes a letter with no address block, which cannot go in a window
        # envelope, so the build names the donors to address by hand. (A
        # table without the column sends its letters by e-mail.)
        postal = row.cells.get("address")
        if postal is not None and not _as_text(postal.value).strip():
            name = row.cells.get("name")
            who = _as_text(name.value).strip() if name is not None else ""
            diags.warning(row.location, M.DONOR_WITHOUT_ADDRESS(donor=who or "?"))


# --- gifts and receipts (issue 28) ------------------------------------------------


def _gift_donors(raw: RawReport, diags: Diagnostics) -> None:
    """A gift names a donor by the ``id`` of a row of the donors table."""
    gifts = raw.tables.get("gifts")
    if gifts is None:
        return
    donors = raw.tables.get("donors")
    ids = {
        _as_text(cell.value)
        for row in (donors.rows if donors is not None else ())
        if (cell := row.cells.get("id")) is not None and _as_text(cell.value)
    }
    for row in gifts.rows:
        cell = row.cells.get("donor")
        ident = _as_text(cell.value) if cell is not None else ""
        if cell is None or not ident or ident in ids:
            continue  # an empty cell is said as a required column's
        where = M.NO_DONORS_TABLE() if donors is None else M.NO_SUCH_DONOR_ID()
        diags.error(
            cell.location,
            M.NOT_A_DONOR(
                column=_said_column(raw, gifts, "donor"),
                ident=ident,
                why=where,
                hint=did_you_mean(ident, ids),
            ),
        )


def gift_aid_benefit_limit(amount: Decimal) -> Decimal:
    """HMRC's donor-benefit limit for one gift (from 6 April 2019): 25 % of a
    gift up to £100, £25 up to £1,000, 5 % above (and £2,500 a tax year)."""
    if amount <= 100:
        return (amount * Decimal("0.25")).quantize(Decimal("0.01"))
    if amount <= 1000:
        return Decimal(25)
    return min(amount * Decimal("0.05"), GIFT_AID_BENEFIT_CAP)


GIFT_AID_BENEFIT_CAP = Decimal(2500)  # a donor's benefits in one UK tax year, Gift Aided gifts


def _gift_benefits(raw: RawReport, config: ReportConfig, diags: Diagnostics) -> None:
    """A gift's benefit (what the donor received) has its description and
    its value, the value at most the gift; the receipts say what may be
    receipted: no receipt for it at all (``benefits = "refused"``), or, with
    Gift Aid, a Gift Aided gift only within HMRC's benefit limits and under
    the donor's declaration (its date, the donors table's ``gift_aid_declared``).
    Each problem at the gift's own cell."""
    gifts, donors = raw.tables.get("gifts"), raw.tables.get("donors")
    if gifts is None:
        return
    settings = config.receipts
    receipting = settings is not None and bool(set(config.editions) - set(DOCUMENTS))
    declared = {
        _as_text(ident.value)
        for row in (donors.rows if donors is not None else ())
        if (ident := row.cells.get("id")) is not None
        and (cell := row.cells.get("gift_aid_declared")) is not None and _as_text(cell.value)
    }  # fmt: skip
    spec = TABLES["gifts"]
    style = number_style(tuple(config.languages), config.currency)
    benefits: dict[tuple[str, int], Decimal] = {}  # (donor, UK tax year) -> Gift Aided benefits
    for row in gifts.rows:
        gift = _validate_row(row, spec, config, Diagnostics(), style=style)
        if not isinstance(gift, Gift):
            continue  # its problems are said by the table's own checks
        cells = row.cells
        if bool(gift.benefit) != (gift.benefit_value is not None):
            missing = "benefit_value" if gift.benefit else "benefit"
            diags.error(_cell(cells, "benefit", row), M.BENEFIT_INCOMPLETE(missing=missing))
            continue
        value = gift.benefit_value
        if value is not None and value > gift.amount:
            diags.error(_cell(cells, "benefit_value", row),
                        M.BENEFIT_OVER_AMOUNT(value=value, amount=gift.amount))  # fmt: skip
            continue
        if not receipting or settings is None:
            continue
        if gift.benefit and settings.benefits == "refused":
            written = M.THE_PRESET(preset=settings.preset) if settings.preset else "[receipts]"
            diags.error(_cell(cells, "benefit", row),
                        M.BENEFIT_REFUSED(benefit=gift.benefit, written=written))  # fmt: skip
        if not settings.gift_aid or gift.gift_aid != "yes":
            continue
        if gift.donor not in declared:
            diags.error(_cell(cells, "gift_aid", row), M.GIFT_AID_UNDECLARED(ident=gift.donor))
        if value:
            limit = gift_aid_benefit_limit(gift.amount)
            first = gift.date.year if (gift.date.month, gift.date.day) >= (4, 6) else (
                gift.date.year - 1)  # fmt: skip
            total = benefits[gift.donor, first] = benefits.get((gift.donor, first), 0) + value
            if value > limit:
                diags.error(_cell(cells, "benefit_value", row),
                            M.GIFT_AID_BENEFIT_LIMIT(value=value, amount=gift.amount,
                                                     limit=limit))  # fmt: skip
            elif total > GIFT_AID_BENEFIT_CAP:
                capped = M.GIFT_AID_BENEFIT_CAP(total=total, cap=GIFT_AID_BENEFIT_CAP)
                diags.error(_cell(cells, "benefit_value", row), capped)


def _cell(cells: Mapping[str, RawCell], column: str, row: RawRow) -> Location:
    cell = cells.get(column)
    return cell.location if cell is not None else row.location


def donors_with_gifts(year: FiscalYear, diags: Diagnostics) -> FiscalYear:
    """Each donor with gifts has as ``amount`` the sum of them; a donor row's
    own amount that says otherwise is a warning (the gifts win)."""
    if not year.gifts:
        return year
    sums: dict[str, Decimal] = {}
    for gift in year.gifts:
        sums[gift.donor] = sums.get(gift.donor, Decimal(0)) + gift.amount
    donors = []
    for donor in year.donors:
        total = sums.get(donor.id or "")
        if total is None:
            donors.append(donor)
            continue
        if donor.amount is not None and donor.amount != total:
            diags.warning(
                Location(year.config.root / "data" / "donors.csv"),
                M.DONOR_AMOUNT_DIFFERS(ident=donor.id, amount=donor.amount, total=total),
            )
        donors.append(replace(donor, amount=total))
    return replace(year, donors=tuple(donors))


def _receipts_without_gifts(
    year: FiscalYear, diags: Diagnostics, where: Callable[[str], tuple[Location, str]]
) -> None:
    """[receipts] asks for receipts; without a gift there is none to make."""
    config = year.config
    if config.receipts is None or year.gifts or not set(config.editions) - set(DOCUMENTS):
        return
    location, _ = where("gifts")
    diags.warning(location, M.RECEIPTS_WITHOUT_GIFTS())


def _receipts_table(config: ReportConfig) -> Location:
    """Where ``[receipts]`` is written: the year's report.toml, else the set's
    organization.toml (its line when found)."""
    for path in (config.root / "report.toml", config.root.parent / "organization.toml"):
        try:
            lines = path.read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            if line.strip().startswith("[receipts]"):
                return Location(path, number)
    return Location(config.root / "report.toml")


def _receipt_languages(year: FiscalYear, diags: Diagnostics) -> None:
    """Each donor's receipt is in the donor's language (``model.receipt_language``):
    the statement ``[receipts]`` (or its preset) is written in serves donors of
    that language, and each other language a donor with gifts reads needs its
    own ``statement_<tag>`` (and ``title_<tag>``...), else an error naming them."""
    settings = year.config.receipts
    if settings is None or not year.gifts or not set(year.config.editions) - set(DOCUMENTS):
        return
    given = {(key, tag) for key, tag, _ in year.config.translations}
    keys = ["statement"] + ["title"] * (settings.title != "Receipt")
    keys += ["statement_no_gift_aid"] * bool(settings.gift_aid and settings.statement_no_gift_aid)
    keys += ["gift_aid_invitation"] * bool(settings.gift_aid and settings.gift_aid_invitation)
    keys += ["number_label"] * bool(settings.number_label)
    keys += ["signer_role"] * bool(settings.signer_role)
    keys += ["statement_benefit"] * bool(settings.statement_benefit and any(
        gift.benefit for gift in year.gifts))  # fmt: skip
    giving = {gift.donor for gift in year.gifts}
    missing: dict[str, list[str]] = {}
    for donor in year.donors:
        if donor.id not in giving:
            continue
        tag = receipt_language(year.config, settings, donor)
        if tag in missing or same_language(settings.language, tag):
            continue
        lack = [f"{k}_{tag}" for k in keys if (f"receipts.{k}", tag) not in given]
        if lack:
            missing[tag] = lack
    written = M.THE_PRESET(preset=settings.preset) if settings.preset else "[receipts]"
    for tag, lack in missing.items():
        asked = ", ".join(f"'{k}'" for k in lack)
        diags.error(_receipts_table(year.config), M.RECEIPT_LANGUAGE_MISSING(
            tag=tag, written=written, language=settings.language, keys=asked))  # fmt: skip


def _donor_placeholders(
    raw: RawReport,
    narrative: Iterable[NarrativeSection],
    roles: Iterable[NarrativeSection],
    diags: Diagnostics,
) -> None:
    """``{{donor.<column>}}`` in a letter or e-mail file names a column of the
    donors table (its own extra columns too), said at the file's line."""
    donors = raw.tables.get("donors")
    columns = tuple(c for c in (donors.columns if donors is not None else ()) if c)
    for where, text in _letter_lines(raw, roles):
        for match in DONOR_PLACEHOLDER.finditer(text):
            column = match.group(1)
            if column not in columns:
                diags.error(
                    where,
                    M.UNKNOWN_DONOR_PLACEHOLDER(placeholder=match.group(0), column=column,
                                                columns=_listed(columns),
                                                hint=did_you_mean(column, columns))
                    if columns else M.UNKNOWN_DONOR_PLACEHOLDER_NO_TABLE(
                        placeholder=match.group(0), column=column,
                        hint=did_you_mean(column, columns)),
                )  # fmt: skip


def _letter_lines(raw: RawReport, roles: Iterable[NarrativeSection]) -> Iterator[tuple[Any, str]]:
    """Each line of the letter and e-mail files (roles ``letter``, ``email``)
    with where it stands: what the checks of a letter's placeholders read."""
    speaking = {s.source for s in roles if s.role in ("letter", "email")}
    for source in raw.narratives:
        if source.path not in speaking:
            continue
        for number, text in enumerate(source.body.split("\n")):
            yield source.where(number), text


def _asks_undeclared(raw: RawReport, roles: Iterable[NarrativeSection], diags: Diagnostics) -> None:
    """``{{ask}}`` in a letter file when the settings declare no ``[[asks]]``:
    an error at the line, not a letter that silently asks nothing."""
    for where, text in _letter_lines(raw, roles):
        if ASK_PLACEHOLDER.search(text):
            diags.error(where, M.ASK_UNDECLARED())


# ``{{outcomes}}`` in a letter or e-mail file (spaces inside the braces allowed).
_OUTCOMES = re.compile(r"\{\{\s*outcomes\s*\}\}")


def _outcomes_said(
    raw: RawReport, roles: Iterable[NarrativeSection], config: ReportConfig, diags: Diagnostics
) -> None:
    """``{{outcomes}}`` in a letter or e-mail file needs the ``outcomes``
    setting: without it every letter would read "gifts like yours ." (said
    at the file's line)."""
    if config.outcomes:
        return
    for where, text in _letter_lines(raw, roles):
        if _OUTCOMES.search(text):
            diags.error(where, M.OUTCOMES_NOT_SET())


def _languages_complete(year: FiscalYear, diags: Diagnostics) -> None:
    """Warn about a narrative file present in one report language and not another."""
    languages = year.config.languages
    if len(languages) < 2:
        return
    by_slug: dict[str, dict[str | None, Path]] = {}
    for section in year.narrative:
        by_slug.setdefault(section.slug, {})[section.language] = section.source
    for slug, found in by_slug.items():
        if None in found:
            continue  # one file serves every language
        for language in languages:
            if language not in found:
                have = next(iter(found.values()))
                diags.warning(
                    Location(have),
                    M.NARRATIVE_LANGUAGE_MISSING(
                        slug=slug, language=language, stem=have.name.rsplit(".", 2)[0]
                    ),
                )


def _validate_narrative(raw: RawReport, diags: Diagnostics) -> tuple[NarrativeSection, ...]:
    # A file every language shares is written in the report's first language.
    main = raw.config.languages[0] if raw.config is not None and raw.config.languages else "en"
    slugs = section_slugs([n.path for n in raw.narratives])
    sections, tallies = [], []
    for narrative in raw.narratives:
        tally: Counter[str] = Counter()
        sections.append(
            render_narrative(narrative, raw.root, diags, main, slugs[narrative.path], tally)
        )
        tallies.append((narrative.path, section_slug(narrative.path)[1], tally))
    languages = raw.config.languages if raw.config is not None else ()
    check_workload(tallies, tuple(languages), diags)
    return tuple(s for s in sections if s is not None)


def _is_translation(column: str, known: tuple[str, ...]) -> bool:
    """``title_ja``: a column of the contract in another language (see Languages)."""
    base, _, language = column.rpartition("_")
    return base in known and (language in LANGUAGES or tag_problem(language) is None)


def _validate_table(
    table: RawTable, schema: TableSpec, config: ReportConfig | None, diags: Diagnostics
) -> tuple[Any, ...]:
    known = schema.names
    names = names_for(tuple(config.languages) if config is not None else ())
    style = number_style(tuple(config.languages), config.currency) if config is not None else None
    written = dict(zip(table.columns, table.written or table.columns, strict=True))
    # A table written with a language's names is answered with them too; an
    # English one exactly as version 1 answers it.
    said = names if table.written else ColumnNames(names.languages)
    if not table.columns:
        if schema.required:
            diags.error(table.header_location, M.FILE_EMPTY_REQUIRED())
        else:
            diags.warning(table.header_location, M.FILE_EMPTY_LEFT_OUT())
        return ()
    guarded = tuple(c for c in GUARDED_COLUMNS if c in known)
    lookalikes = {c for c in table.columns if guarded and guarded_lookalike(c, guarded)}
    lookalikes |= _localised_lookalikes(table.columns, guarded, schema.name, names)
    for column_name in sorted(lookalikes):
        _guarded_column(column_name, guarded, table.header_location, diags, names, schema.name)
    unknown = [
        c
        for c in table.columns
        if c and c not in known and not _is_translation(c, known) and c not in lookalikes
    ]
    misspelt: set[str] = set()
    missing = [c.name for c in schema.columns if c.required and c.name not in table.columns]
    for name in missing:
        hint = did_you_mean(name, unknown)
        found = hint.split("'")[1] if hint else None
        own = said.names(schema.name, name)
        if found is None and own:  # 날자 for 날짜: the user's language's name
            found = next((c for c in unknown if _near(c, own)), None)
        if found:
            misspelt.add(found)
            meant = _near(found, own) or name
            diags.error(
                table.header_location,
                M.MISSING_COLUMN_NEAR(named=_named(name, own), found=found, meant=meant),
            )
        elif own:  # a header in the user's language: their names first, the ids after
            names_said = [n for c in known for n in said.names(schema.name, c)[:1]]
            diags.error(
                table.header_location,
                M.MISSING_COLUMN_OWN(
                    own=own[0],
                    column=name,
                    header=_listed(written.get(c, c) for c in table.columns),
                    table=_table_named(schema.name, table.header_location, said),
                    names=_listed(names_said),
                    ids=_listed(known),
                    required=_listed(
                        said.names(schema.name, c.name)[0]
                        if said.names(schema.name, c.name)
                        else c.name
                        for c in schema.columns
                        if c.required
                    ),
                    other=_other_language(table.columns, schema.name, names),
                ),
            )
        else:
            diags.error(
                table.header_location,
                M.MISSING_COLUMN(
                    named=_named(name, own),
                    header=_listed(written.get(c, c) for c in table.columns),
                    table=schema.name,
                    known=_listed(known),
                    required=_listed(c.name for c in schema.columns if c.required),
                    more=_in_languages(schema.name, known, said),
                    other=_other_language(table.columns, schema.name, names),
                ),
            )
    seen: set[str] = set()
    for column_name in table.columns:
        if column_name and column_name in seen:
            spelt = [w for c, w in zip(table.columns, table.written or table.columns,
                                       strict=True) if c == column_name]  # fmt: skip
            both = f" (as {_listed(dict.fromkeys(spelt))})" if len(set(spelt)) > 1 else ""
            diags.error(table.header_location, M.COLUMN_TWICE(column=column_name, both=both))
        seen.add(column_name)
        if column_name in unknown and column_name not in misspelt:
            # A warning, as version 1 says of unknown columns (--strict fails on
            # it); a near miss of a column the file lacks says what it means.
            hint = did_you_mean(column_name, [c for c in known if c not in table.columns])
            absent = [c for c in known if c not in table.columns]
            near = _near(column_name, [n for c in absent for n in said.names(schema.name, c)])
            hint = hint or (f" (did you mean '{near}'?)" if near else "")
            diags.warning(
                table.header_location,
                (M.UNKNOWN_COLUMN_NEAR if hint else M.UNKNOWN_COLUMN)(
                    column=column_name, hint=hint or did_you_mean(column_name, known)
                ),
            )
    if not table.rows and not schema.empty_ok:
        diags.warning(table.header_location, M.TABLE_NO_ROWS(table=schema.name))
    # Every row is checked even when the header is wrong, so that one run shows
    # every problem; a missing column is said once, above, not on each row.
    rows = []
    # A column is named as the user wrote it (날짜, not date) where the header
    # used a language's names.
    written_as = dict(zip(table.columns, table.written, strict=False)) if table.written else {}
    for raw_row in table.rows:
        row = _validate_row(raw_row, schema, config, diags, frozenset(missing), style, names,
                            bool(table.written), written_as)  # fmt: skip
        if row is not None:
            rows.append(row)
    for column_name in schema.unique:
        _check_unique(table, column_name, schema.name, diags)
    return () if missing else tuple(rows)


def _listed(names: Iterable[str]) -> str:
    """Column names as a list in the user's words ('a', 'b'; Japanese a、b)."""
    quoted = [M.COLUMN_IN_LIST(name=n) for n in names if n]
    return M.listed(quoted) if quoted else M.NO_COLUMN_NAMES()


def _table_named(table: str, where: Location, said: ColumnNames) -> M.Text:
    """A table as its header's language names it, with its file: 활동 표(activities.csv)."""
    tag = said.languages[0] if said.languages else "en"
    found = packs_for(tag)
    word = dict(found[0].words).get(table) if found else None
    return M.TABLE_OWN_NAMED(own=word if isinstance(word, str) else table, file=where.path.name)


def _near(word: str, names: Iterable[str], cjk: float = 0.5) -> str | None:
    """The name among ``names`` that ``word`` nearly is: difflib's 0.75 for
    Latin names, ``cjk`` for CJK ones, where one syllable of two is half the
    word (날자 for 날짜, 日附 for 日付)."""
    names = list(names)
    by = {squash(n): n for n in names}
    key = squash(word)
    if key in by:
        return by[key]
    cutoff = cjk if any(ord(ch) > 0x2E80 for ch in key) else 0.75
    close = difflib.get_close_matches(key, list(by), n=1, cutoff=cutoff)
    return by[close[0]] if close else None


def _named(column: str, own: tuple[str, ...]) -> str:
    """A column quoted, with its name in the user's language: 'date' ('날짜')."""
    return M.COLUMN_OWN_NAMED(column=column, own=own[0]) if own else M.COLUMN_QUOTED(column=column)


def _in_languages(table: str, known: tuple[str, ...], names: ColumnNames) -> str:
    """``, or '날짜', ...``: the columns in the report's languages, a catalog
    message (the "or" in the user's language too)."""
    listed = [written_in for c in known for written_in in names.names(table, c)[:1]]
    return M.COLUMNS_IN_LANGUAGES(names=_listed(listed)) if listed else ""


def _other_language(header: Iterable[str], table: str, names: ColumnNames) -> str:
    """A header written in a pack's language that the report does not build:
    said, with the setting that would accept it."""
    for tag in builtin_tags():
        if tag in names.languages:
            continue
        other = names_for((tag,))
        if any(other.column(table, c) for c in header):
            return M.HEADER_IN_OTHER_LANGUAGE(tag=tag)
    return ""


def _localised_lookalikes(
    header: Iterable[str], guarded: tuple[str, ...], table: str, names: ColumnNames
) -> set[str]:
    """Headers near a guarded column's localised name (공개여부x for 공개 여부)
    or named like one of its values (공개, 内部), which would otherwise be
    unknown columns: said like a near English one. Nearness is difflib's
    0.75 here, not 0.5: 공개일 (a publication date) is a column of its own."""
    found = set()
    for column in header:
        if column in guarded:
            continue
        for real in guarded:
            words = [n for values in names.value_names.get(real, {}).values() for n in values]
            if (
                _near(column, names.names(table, real), cjk=0.75)
                or squash(column) in {squash(w) for w in words}
            ) and column not in names.names(table, real):
                found.add(column)
    return found


def _guarded_column(
    column: str,
    guarded: tuple[str, ...],
    where: Location,
    diags: Diagnostics,
    names: ColumnNames | None = None,
    table: str = "",
) -> None:
    """A header near a column that decides who sees a row: an error, never a guess
    (as an extra field, a misspelt ``visiblity`` would publish internal rows)."""
    real = guarded_lookalike(column, guarded)
    if real is None and names is not None:
        real = next(
            (
                f"{g}' or '{near}"
                for g in guarded
                if (near := _near(column, names.names(table, g), cjk=0.75)) is not None
            ),
            guarded[0],
        )
    if _is_translation(column, guarded):
        diags.error(
            where,
            M.GUARDED_BY_LANGUAGE(column=column, real=real),
        )
        return
    diags.error(
        where,
        M.GUARDED_LOOKALIKE(column=column, real=real),
    )


def _validate_row(
    raw_row: RawRow,
    schema: TableSpec,
    config: ReportConfig | None,
    diags: Diagnostics,
    skip: frozenset[str] = frozenset(),
    style: NumberStyle | None = None,
    names: ColumnNames | None = None,
    localised: bool = False,
    said: dict[str, str] | None = None,
) -> Any | None:
    """The row typed, or ``None`` after its errors; columns in ``skip`` (said
    missing from the header) are not checked."""
    values: dict[str, Any] = {}
    ok = not skip
    for column in schema.columns:
        if column.name in skip:
            continue
        shown = (said or {}).get(column.name, column.name)
        cell = raw_row.cells.get(column.name)
        location = cell.location if cell else raw_row.location
        value, error = _parse(cell, column, style)
        if (
            error
            and column.type == "enum"
            and names is not None
            and cell is not None
            and (localised or not _as_text(cell.value).isascii())
        ):
            error = _enum_in_languages(error, cell, column, names)
        if error:
            diags.error(location, M.IN_COLUMN(column=shown, problem=error))
            ok = False
            continue
        if value is None and column.required:
            diags.error(location, M.EMPTY_BUT_REQUIRED(column=shown))
            ok = False
            continue
        if column.type in ("int", "decimal") and isinstance(value, int | Decimal):
            currency = config.currency if config is not None else None
            if (problem := number_problem(value, column, currency)) is not None:
                diags.error(location, M.IN_COLUMN(column=shown, problem=problem))
                ok = False
                continue
        if (
            schema.in_year == column.name
            and config is not None
            and isinstance(value, date)
            and not config.start <= value <= config.end
        ):
            diags.error(
                location,
                M.OUTSIDE_YEAR(
                    column=shown,
                    day=value.isoformat(),
                    label=config.fiscal_year,
                    start=config.start.isoformat(),
                    end=config.end.isoformat(),
                ),
            )
            ok = False
        if column.longest and isinstance(value, str) and len(value) > column.longest:
            diags.error(
                location,
                M.TOO_LONG(
                    column=shown,
                    length=len(value),
                    longest=column.longest,
                    why=column.too_long,
                ),
            )
            ok = False
            continue
        if column.type == "str" and column.choices and value not in (None, *column.choices):
            hint = did_you_mean(str(value).lower(), column.choices)
            if hint:
                diags.warning(
                    location,
                    M.OWN_CHOICE(column=shown, value=value, hint=hint),
                )
        if value is not None:
            values[column.name] = value
    if not ok:
        return None
    extra = tuple(
        (name, _as_text(cell.value))
        for name, cell in raw_row.cells.items()
        if name not in schema.names and _as_text(cell.value)
    )
    if schema.row_type is Record:
        visibility = values.pop("visibility", "public")
        return Record(tuple(values.items()), visibility, extra)
    kept = {f.name for f in fields(schema.row_type)}
    if "where" in kept:  # cells located for checks made after validation (reading.accounts)
        values["where"] = (("", raw_row.location),
                           *((n, c.location) for n, c in raw_row.cells.items()))  # fmt: skip
    return schema.row_type(**{k: v for k, v in values.items() if k in kept}, extra=extra)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse(
    cell: RawCell | None, column: Column, style: NumberStyle | None = None
) -> tuple[Any, str | None]:
    """(typed value or None when empty, error text or None); ``style``: how
    the report writes numbers (``reading.amounts``), else version 1's way."""
    if cell is None or cell.value is None:
        return None, None
    value = cell.value
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None, None
    if column.type in ("int", "decimal") and isinstance(value, str) and style is not None:
        return _parse_written_number(value, column, style)
    parser = _PARSERS[column.type]
    return parser(value, column)


# What a number written without a currency is made of (version 1 reads it).
_PLAIN_CHARS = frozenset("0123456789,._+-eE() ")


def _parse_written_number(text: str, column: Column, style: NumberStyle) -> tuple[Any, str | None]:
    """A number as the report's locale writes it, an amount with its currency."""
    if style.grouped_by_comma and (not column.money or not set(text) - _PLAIN_CHARS):
        return _PARSERS[column.type](text, column)  # version 1's reading, to the letter
    number, error = read_number(text, style, money=column.money, signed=column.signed)
    if number is None:
        if column.text_ok and not re.match(r"[\s+\-.(]*[0-9]", text):
            return text, None  # text, not a number: set as written
        if column.type == "int" and error and error.endswith("is not a number"):
            error = error.replace("is not a number", "is not a whole number")
        return None, error
    if not number.is_finite():
        return None, f"'{text}' is not a number"
    if column.type == "int":
        if number != number.to_integral_value():
            return None, f"'{text}' is not a whole number"
        if abs(number) >= MAX_NUMBER:
            return None, f"the number is too large: numbers must be below {MAX_NUMBER:,}"
    if number < 0 and not column.signed:
        return None, f"{text} is negative; it must be 0 or more"
    return (int(number) if column.type == "int" else number), None


def _parse_str(value: Any, column: Column) -> tuple[Any, str | None]:
    """Free text; where the column names usual values (people's ``group``), one
    of them in any case or plural ("Trustees") is kept as that value."""
    text = _as_text(value)
    word = text.lower()
    for choice in column.choices:
        if word in (choice, f"{choice}s"):
            return choice, None
    return text, None


def _parse_date(value: Any, column: Column) -> tuple[Any, str | None]:
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    text = _as_text(value)
    if ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text), None
        except ValueError:
            pass
    return None, M.NOT_A_DATE(value=text)


# The numbers a table may hold: below 10^15 (a thousand trillion) in absolute
# value, money with at most its currency's decimal places (2, or 3 for a
# currency such as BHD whose minor unit is a thousandth) and other numbers with
# at most MAX_PLACES. Within these every sum, share and change the report
# shows is computed exactly (28 significant digits) and formatted; beyond
# them, the build could not print the amount.
MAX_NUMBER = 10**15
MAX_PLACES = 6
MONEY_PLACES = 2


def money_places(currency: str | None) -> int:
    """The decimal places an amount in ``currency`` may have."""
    if not currency:
        return MONEY_PLACES

    return max(MONEY_PLACES, int(get_currency_precision(currency)))


def number_problem(value: int | Decimal, column: Column, currency: str | None) -> str | None:
    """Why a parsed number is outside what a table may hold, else ``None``."""
    if not -MAX_NUMBER < value < MAX_NUMBER:
        return M.TOO_LARGE_POWER(limit=MAX_NUMBER)
    if isinstance(value, Decimal) and value:
        _, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)  # a finite number (the parser saw to it)
        trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
        places = max(0, -(exponent + trailing))
        allowed = money_places(currency) if column.money else MAX_PLACES
        if places > allowed:
            what = M.WHAT_A_NUMBER()
            if column.money:
                what = M.WHAT_AN_AMOUNT_IN(currency=currency) if currency else M.WHAT_AN_AMOUNT()
            return M.TOO_MANY_PLACES(places=places, what=what, allowed=allowed)
    return None


def _parse_int(value: Any, column: Column) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return None, M.NOT_A_WHOLE_NUMBER(value=value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _as_text(value).replace(",", "")
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        return None, M.NOT_A_WHOLE_NUMBER(value=_as_text(value))
    if len(text.lstrip("+-0")) > len(str(MAX_NUMBER)):  # int() of 5,000 digits refuses
        return None, M.TOO_LARGE(limit=MAX_NUMBER)
    number = int(text)
    if number < 0:
        return None, M.NEGATIVE(value=number)
    return number, None


def _parse_decimal(value: Any, column: Column) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return None, M.NOT_A_NUMBER(value=value)
    text = _as_text(value).replace(",", "").replace("_", "")
    if column.signed and re.fullmatch(r"\(\s*[0-9.]+\s*\)", text):
        text = "-" + text.strip("() ")  # (1200): a negative amount, as accounts write it
    if not re.fullmatch(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", text):
        if column.text_ok and not re.match(r"[\s+\-.(]*[0-9]", text):
            return _as_text(value), None  # text, not a number: set as written
        return None, M.NOT_A_NUMBER(value=_as_text(value))
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, M.NOT_A_NUMBER(value=_as_text(value))
    if not number.is_finite():
        return None, M.NOT_A_NUMBER(value=_as_text(value))
    if number < 0 and not column.signed:
        return None, M.NEGATIVE(value=_as_text(value))
    return number, None


def _parse_enum(value: Any, column: Column) -> tuple[Any, str | None]:
    text = _as_text(value).lower()
    text = ALIASES.get(text, text) if ALIASES.get(text) in column.choices else text
    if text in column.choices:
        return text, None
    return None, M.NOT_ONE_OF(
        value=_as_text(value),
        choices=M.listed(column.choices),
        hint=did_you_mean(text, column.choices),
    )


def _enum_in_languages(error: str, cell: RawCell, column: Column, names: ColumnNames) -> str:
    """An unknown value said with the values in the report's languages too:
    '수익' is not one of income, expense (수입, 지출) (did you mean '수입'?)."""
    words = [n for choice in column.choices for n in names.choice_names(column.name, choice)[:1]]
    if not words:
        return error
    text = _as_text(cell.value)
    near = _near(text, [n for c in column.choices for n in names.choice_names(column.name, c)])
    head = error.split(" (did you mean")[0]
    hint = f" (did you mean '{near}'?)" if near else error[len(head) :]
    return f"{head} ({', '.join(words)}){hint}"


_PARSERS = {
    "str": _parse_str,
    "date": _parse_date,
    "int": _parse_int,
    "decimal": _parse_decimal,
    "enum": _parse_enum,
}


def _check_unique(table: RawTable, column: str, name: str, diags: Diagnostics) -> None:
    first: dict[str, Location] = {}
    what = M.DUPLICATE_WHAT_DONOR() if name == "donors" else name
    for row in table.rows:
        cell = row.cells.get(column)
        ident = _as_text(cell.value) if cell else ""
        if not ident or cell is None:
            continue
        if ident in first:
            diags.error(
                cell.location,
                M.DUPLICATE_ID(what=what, column=column, ident=ident, first=_short(first[ident])),
            )
        else:
            first[ident] = cell.location


def _said_column(raw: RawReport, table: RawTable, column: str) -> str:
    """A column as a message names it (RG700's rule): a table whose header
    is written in a language's column names is answered with them, its own
    name for the column first (or the language's, for one it lacks); an
    English one by the id."""
    if not table.written:
        return column
    if column in table.columns:
        return table.written[table.columns.index(column)]
    languages = tuple(raw.config.languages) if raw.config is not None else ()
    return next(iter(names_for(languages).names(table.name, column)), column)


def _said_value(raw: RawReport, table: RawTable, column: str, value: str) -> str:
    """A fixed value of ``column`` as a message names it: in the language of
    a table whose header is written in one (사업비), else the id."""
    if not table.written:
        return value
    languages = tuple(raw.config.languages) if raw.config is not None else ()
    return written_value(names_for(languages), column, value)


def _short(location: Location) -> str:
    return location.cell if location.cell else M.AT_LINE(line=location.line)


def completeness(
    year: FiscalYear,
    diags: Diagnostics,
    where: Callable[[str], tuple[Location, str]] | None = None,
) -> None:
    """Warn where the report lacks what the sector expects of an annual report;
    ``where(table)`` locates a table and says where it was looked for
    (``RawReport.table_location``)."""
    root = year.config.root

    def at(name: str) -> tuple[Location, str]:
        if where is not None:
            found, said = where(name)
            # A table the folder lacks is said with the place it was looked for
            # (a whole-year workbook's missing sheet), not a file that is not there.
            return found, M.WHERE_SAID(said=said) if said and name not in year.tables else ""
        return Location(root / "data" / f"{name}.csv"), ""

    public_narrative = [s for s in year.narrative if s.visibility == "public"]
    words = re.compile(r"mission|overview|who-we-are|概要|ミッション|活動報告", re.IGNORECASE)
    if not any(words.search(s.slug) or words.search(s.title) for s in public_narrative):
        diags.warning(
            Location(root / "narrative"),
            M.NO_OVERVIEW(),
        )
    if not any(a.visibility == "public" for a in year.activities):
        location, said = at("activities")
        diags.warning(location, M.NO_PUBLIC_ACTIVITIES(said=said))
    if not any(p.group.lower() in BOARD_GROUPS and p.visibility == "public" for p in year.people):
        location, said = at("people")
        diags.warning(location, M.NO_BOARD(said=said))
    kinds = {f.kind for f in year.finances if f.visibility == "public"}
    for kind in ("income", "expense"):
        if kind not in kinds:
            location, said = at("finances")
            diags.warning(location, (M.NO_INCOME if kind == "income" else M.NO_EXPENSE)(said=said))
