"""report.toml merged over ../organization.toml, checked into a ``ReportConfig``.

Like MkDocs' config schema, every key is checked against its declaration in
``reportgen.reading.settings`` and every problem is collected with the file and line
of its key: an unknown key is a warning (with a "did you mean" for a near
miss), never silently dropped, and never an error (version 1); a
``<key>_<tag>`` translation is accepted exactly for the keys declared
translatable. Values are read only through ``_Checker``, which refuses an
undeclared key. Nothing from the theme reaches the CSS unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportgen.core import languages as packs
from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostics, Location, did_you_mean
from reportgen.core.editions import DOCUMENTS
from reportgen.core.editions import EDITION_NAMES as EDITIONS
from reportgen.core.file_gate import Gate, RefusedResource
from reportgen.core.languages import Word, tag_problem
from reportgen.core.plaintext import describe, forbidden_in
from reportgen.reading import receipt_presets
from reportgen.reading.email_addresses import sender_problem
from reportgen.reading.model import (
    LANGUAGES,
    PDF_VARIANTS,
    Ask,
    CoverImage,
    EmailSettings,
    NarrativeFile,
    Organization,
    PrintSettings,
    ReceiptSettings,
    ReportConfig,
    Signatory,
    Theme,
)
from reportgen.reading.narrative_front_matter import read_narrative_files
from reportgen.reading.narrative_html import PLACEHOLDER, PLACEHOLDERS, render_markdown
from reportgen.reading.settings import SETTINGS, TOMLDecodeError, Values, declared, loads, unknown
from reportgen.reading.table_registry import read_declarations

REPORT_FILE = "report.toml"
ORGANIZATION_FILE = "organization.toml"

# Tables whose keys are settings of their own ([organization]...), merged key
# by key; the open ones ([labels.<tag>], [tables.<name>]...) have their own readers.
RECEIPT_LAYOUTS = ("letter", "kr-form")
# What a [[signatories]] entry may give besides its ``name_<tag>``, ``role_<tag>``.
SIGNER_KEYS = ("name", "role", "signature_image")
# What a receipt does with a gift the donor received something for (reading.validate).
RECEIPT_BENEFITS = ("listed", "refused")
KEYED_TABLES = tuple(k for k, s in SETTINGS.items() if s.type == "table" and not s.open)

# The names ``key_figures`` in report.toml may list, in the default order.
BUILT_IN_FIGURES = (
    "activities", "participants", "lobbying", "coalition_orgs", "coalition_countries",
    "income", "expenses", "net", "program_share",
)  # fmt: skip
KEY_FIGURE_NAMES = ("indicators", *BUILT_IN_FIGURES)


def check_key_figures(value: object, where: Location, diags: Diagnostics) -> tuple[str, ...] | None:
    """``key_figures`` of report.toml: names of figures, each known, each once."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        diags.error(where, M.KEY_FIGURES_NOT_LIST())
        return None
    chosen: list[str] = []
    for name in value:
        if name not in KEY_FIGURE_NAMES:
            diags.error(
                where,
                M.KEY_FIGURES_UNKNOWN(
                    name=name,
                    hint=did_you_mean(name, KEY_FIGURE_NAMES),
                    choices=M.listed(KEY_FIGURE_NAMES),
                ),
            )
        elif name in chosen:
            diags.error(where, M.KEY_FIGURES_TWICE(name=name))
        else:
            chosen.append(name)
    return tuple(chosen)


SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
LOOPBACK = ("127.0.0.1", "localhost", "::1")
COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
FONT = re.compile(r"[^\W_][^\W_ \-]*(?:[ \-][^\W_]+)*")  # letters, digits, spaces, hyphens
CURRENCY = re.compile(r"[A-Z]{3}")
WEBSITE = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)
EMAIL = re.compile(r"[^@\s\"'<>]+@[^@\s\"'<>]+\.[^@\s\"'<>]+")
PAGE_SIZES = ("A4", "Letter")


@dataclass(frozen=True)
class _Source:
    """One TOML file: its data and where each key sits, for diagnostics."""

    path: Path
    values: Values
    text: str

    def where(self, key: str, table: str | None = None) -> Location:
        return Location(self.path, _key_line(self.text, key, table))


def _key_line(text: str, key: str, table: str | None) -> int | None:
    """The line of ``key`` (inside ``[table]`` when given) in a TOML text."""
    current: str | None = None
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[([^\]]+)\]", line)
        if header:
            current = header.group(1).strip()
            if table is None and current == key:
                return number
            continue
        if current == table and pattern.match(line):
            return number
    return None


def _bad_utf8(data: bytes, exc: UnicodeDecodeError) -> tuple[int, str]:
    """The line of the first byte that is not UTF-8, and how to find it there."""
    line_start = data.rfind(b"\n", 0, exc.start) + 1
    line = data.count(b"\n", 0, exc.start) + 1
    column = len(data[line_start : exc.start].decode("utf-8")) + 1
    return line, f"the file is not valid UTF-8: byte 0x{data[exc.start]:02x} at column {column}"


def _plain_values(data: Values, src: _Source, diags: Diagnostics) -> None:
    """Every string a setting holds (TOML escapes such as \\u000B included) is plain text."""
    todo: list[tuple[str, str | None, Any]] = [(k, None, v) for k, v in data.items()]
    while todo:  # iterative: TOML nests tables and arrays as deep as it likes
        key, table, value = todo.pop()
        if isinstance(value, dict):
            inner = key if table is None else table
            todo.extend((k, inner, v) for k, v in value.items())
        elif isinstance(value, list):
            todo.extend((key, table, v) for v in value)
        elif isinstance(value, str) and (found := forbidden_in(value)) is not None:
            where = src.where(key, table)
            if where.line is None and table is not None:
                where = src.where(table)
            name = key if table is None else f"{table}.{key}"
            diags.error(
                where,
                M.SETTING_NOT_TEXT(name=name, index=found[0] + 1, char=describe(found[1])),
            )


def _read_toml(path: Path, diags: Diagnostics) -> _Source | None:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line, message = _bad_utf8(data, exc)
        diags.error(Location(path, bad_line), message)
        return None
    try:
        values = loads(text)
    except TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(match.group(1)) if match else None
        if line is None and "end of document" in message:
            line = max(1, len(text.splitlines()))
        reason = re.sub(r"\s*\((at line \d+, column \d+|at end of document)\)", "", message)
        diags.error(Location(path, line), M.TOML_SYNTAX(reason=reason))
        return None
    source = _Source(path, values, text)
    _plain_values(values, source, diags)
    return source


def load_config(root: Path, diags: Diagnostics) -> ReportConfig | None:
    """Read and check the year's settings; ``None`` when they are unusable."""
    return read_settings(root, diags)[0]


def read_settings(root: Path, diags: Diagnostics) -> tuple[ReportConfig | None, Path | None]:
    """The year's settings checked (``None`` when they are unusable), and its
    theme folder when the folder itself is acceptable, even beside other
    problems: its templates are checked by the stage that runs them
    (``typesetting.templating.check_theme``), so that one run shows every
    problem of the year."""
    report_path = root / REPORT_FILE
    if not report_path.is_file():
        diags.error(Location(report_path), M.MISSING_REPORT_TOML())
        return None, None
    sources = []
    org_path = root.parent / ORGANIZATION_FILE
    if org_path.is_file():
        sources.append(_read_toml(org_path, diags))
    sources.append(_read_toml(report_path, diags))
    if any(s is None for s in sources):
        return None, None
    return _check(root, [s for s in sources if s is not None], diags)


def _merge(sources: list[_Source]) -> dict[str, tuple[Any, _Source]]:
    """Key by key, later files win; tables are merged key by key too."""
    merged: dict[str, tuple[Any, _Source]] = {}
    for src in sources:
        for key, value in src.values.items():
            if key in KEYED_TABLES and isinstance(value, dict):
                for sub, subvalue in value.items():
                    merged[f"{key}.{sub}"] = (subvalue, src)
                merged.setdefault(key, ({}, src))
            else:
                merged[key] = (value, src)
    return merged


def _check(
    root: Path, sources: list[_Source], diags: Diagnostics
) -> tuple[ReportConfig | None, Path | None]:
    merged = _merge(sources)
    report = sources[-1]
    checker = _Checker(merged, report, diags)
    translations: list[tuple[str, str, str | tuple[str, ...]]] = []
    tags = {*LANGUAGES, *checker.named_tags()}
    for key, (value, src) in list(merged.items()):
        base, _, language = key.rpartition("_")
        if language in tags and base in SETTINGS and SETTINGS[base].translatable:
            del merged[key]  # a translation, e.g. title_ja: not a key of its own
            table, _, sub = key.partition(".")
            where = src.where(sub, table) if sub else src.where(key)
            kind = SETTINGS[base].type
            if kind == "array of strings":
                lines = _lines(value, key, where, diags)
                if lines is not None:
                    translations.append((base, language, lines))
            elif isinstance(value, str) and value.strip():
                text = value.strip()
                if kind == "string (Markdown)":
                    text = _markdown(text, key, where, root, diags, language) or ""
                translations.append((base, language, text))
            else:
                diags.error(where, M.NOT_A_NON_EMPTY_STRING(key=key))
    for key, (_, src) in merged.items():
        table, _, sub = key.rpartition(".")
        if key in SETTINGS and (refused := SETTINGS[key].refused) is not None:
            diags.error(src.where(sub, table or None), refused)  # e.g. a password in a file
        elif key not in SETTINGS:
            error, message = unknown(sub, table or None)
            (diags.error if error else diags.warning)(src.where(sub, table or None), message)

    title = checker.string("title", required=True)
    fiscal_year = checker.string("fiscal_year", required=True)
    start = checker.date("start")
    end = checker.date("end")
    if start and end and start > end:
        diags.error(report.where("end"), M.END_BEFORE_START(end=end, start=start))
    language = checker.tag("language") or str(declared("language").default)
    languages = checker.tags("languages") or (language,)
    printing = checker.printing()
    asked = ("print.pad_to_multiple_of",) if printing.pad_to_multiple_of > 1 else ()
    labels = _labels(sources, languages, checker.where("languages" if checker.has("languages")
                                                      else "language"), diags, asked)  # fmt: skip
    currency = checker.string("currency") or str(declared("currency").default)
    if not CURRENCY.fullmatch(currency):
        diags.error(checker.where("currency"), M.NOT_ISO_CURRENCY(currency=currency))
    # Unset: every document, and the receipts when [receipts] asks for them.
    editions = checker.string_list("editions", EDITIONS) or (
        EDITIONS if checker.has("receipts") else DOCUMENTS
    )
    organization = checker.organization()
    theme = checker.theme()
    signatory = checker.signatory()
    signatories = checker.signatories(tags)
    asks = checker.asks(languages)
    published = checker.date("published", required=False) if checker.has("published") else None
    rows = checker.value("pdf_table_rows")
    if not isinstance(rows, int) or isinstance(rows, bool) or rows < 0:
        diags.error(
            checker.where("pdf_table_rows"),
            M.PDF_TABLE_ROWS(value=rows),
        )
        rows = declared("pdf_table_rows").default
    variant = checker.choice("pdf_variant", PDF_VARIANTS)
    marks = checker.value("print_marks")
    if not isinstance(marks, bool):
        diags.error(
            checker.where("print_marks"), M.NOT_TRUE_OR_FALSE(key="print_marks", value=marks)
        )
        marks = False
    cover = checker.cover()
    key_figures = (
        check_key_figures(checker.value("key_figures"), checker.where("key_figures"), diags)
        if checker.has("key_figures")
        else None
    )
    tables = (
        read_declarations(
            checker.value("tables"),
            checker.locator("tables"),
            tuple(e for e in editions if e in DOCUMENTS),
            diags,
        )
        if checker.has("tables")
        else ()
    )
    theme_dir = checker.theme_dir()
    email = checker.email(translations)
    receipts = checker.receipts(languages, organization, labels)
    narrative_files = (
        _narrative_files(checker.value("narrative"), checker.locator("narrative"), diags)
        if checker.has("narrative")
        else ()
    )
    if not (title and fiscal_year and start and end and organization) or diags.has_errors:
        return None, theme_dir
    config = ReportConfig(
        root=root,
        title=title,
        fiscal_year=fiscal_year,
        start=start,
        end=end,
        organization=organization,
        language=languages[0] if checker.has("languages") else language,
        languages=languages,
        labels=labels,
        currency=currency,
        editions=editions,
        theme=theme,
        signatory=signatory,
        signatories=signatories,
        asks=asks,
        published=published,
        pdf_table_rows=rows,
        translations=tuple(sorted(translations)),
        pdf_variant=variant,
        print_marks=marks,
        printing=printing,
        key_figures=key_figures,
        declared_tables=tables,
        narrative_files=narrative_files,
        cover=cover,
        accounts_note=checker.string("accounts_note"),
        outcomes=checker.string("outcomes"),
        theme_dir=theme_dir,
        email=email,
        receipts=receipts,
    )
    return config, theme_dir


def _narrative_files(
    value: Any, where: Callable[[str, str | None], Location], diags: Diagnostics
) -> tuple[NarrativeFile, ...]:
    """``[narrative."<file>"]``: settings for narrative files (narrative_front_matter)."""
    return read_narrative_files(value, where, diags)


def _labels(
    sources: list[_Source],
    languages: tuple[str, ...],
    where: Location,
    diags: Diagnostics,
    asked: tuple[str, ...] = (),
) -> tuple[tuple[str, str, Word], ...]:
    """``[labels.<tag>]`` of organization.toml and report.toml (the year wins,
    key by key), checked against the language packs; ``asked``: the settings
    in use that need words of their own (``packs.OPTIONAL_WORDS``)."""
    given: dict[str, dict[str, tuple[Any, _Source]]] = {}
    for src in sources:
        table = src.values.get("labels", {})
        if not isinstance(table, dict):
            diags.error(src.where("labels"), M.LABELS_NOT_TABLES())
            continue
        for tag, words in table.items():
            if not isinstance(words, dict):
                diags.error(src.where("labels"), M.LABELS_NOT_WORDS(tag=tag))
                continue
            if (problem := packs.tag_problem(tag)) is not None:
                diags.error(
                    src.where(f"labels.{tag}"), M.LABELS_TAG_PROBLEM(tag=tag, problem=problem)
                )
                continue
            given.setdefault(tag, {}).update((k, (v, src)) for k, v in words.items())
    out: list[tuple[str, str, Word]] = []
    for tag, words in sorted(given.items()):
        for issue in packs.check_labels(tag, {k: v for k, (v, _) in words.items()}):
            at = words[issue.key][1].where(issue.key, f"labels.{tag}") if issue.key else where
            (diags.error if issue.error else diags.warning)(
                at, M.LABELS_ISSUE(tag=tag, problem=issue.message)
            )
        out += [
            (tag, k, packs.as_word(v))
            for k, (v, _) in words.items()
            if k in packs.word_keys() or packs.is_column_key(k)
        ]
    for tag in languages:
        missing = packs.missing_words(tag, given.get(tag, {}), asked)
        if missing:
            have = (M.LABELS_PACK_LACKS(tag=tag, count=len(missing),
                                        total=len(packs.required_word_keys()))
                    if packs.has_pack(tag) else M.LABELS_NO_PACK(tag=tag))  # fmt: skip
            diags.error(where, M.LABELS_MISSING(have=have, tag=tag, missing=M.listed(missing)))
    return tuple(out)


def _lines(value: Any, key: str, where: Location, diags: Diagnostics) -> tuple[str, ...] | None:
    """A setting that is a list of lines of text (``registration``)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        diags.error(where, M.NOT_A_LIST_OF_STRINGS_EG(key=key))
        return None
    return tuple(v.strip() for v in value)


def _markdown(
    text: str, key: str, where: Location, root: Path, diags: Diagnostics, language: str = "en"
) -> str | None:
    """A setting written in Markdown (``giving``), as safe HTML, through the
    narrative's own pipeline: raw HTML escaped, links and pictures checked;
    quote marks of ``language`` (a translation's own)."""
    return render_markdown(text, where, root, diags, what=f"'{key}'", language=language)


# Folders of a report set that hold its input or its output: a theme folder
# may be none of them, inside none and contain none (a theme's templates could
# otherwise include a donor table or an internal narrative file).
INPUT_FOLDERS = ("data", "narrative")
OUTPUT_FOLDER = "output"  # the default --out, when it is run from the report set


def theme_folder_problem(folder: Path, root: Path) -> M.Text | None:
    """Why ``folder`` (resolved) cannot be a theme of the report set ``root``,
    or None: it must be inside the report set, not hidden, and disjoint from
    every year folder, every ``data`` and ``narrative_html`` folder and the output
    folder (neither equal to, nor inside, nor containing one)."""
    if folder == root:
        return M.THEME_IS_SET()
    if not folder.is_relative_to(root):
        return M.THEME_OUTSIDE()
    inner = folder.relative_to(root).parts
    if any(p.startswith(".") for p in inner):
        return M.THEME_HIDDEN()
    if any(p in (*INPUT_FOLDERS, OUTPUT_FOLDER) for p in inner):
        return M.THEME_IN_INPUT()
    for depth in range(1, len(inner) + 1):
        if (root.joinpath(*inner[:depth]) / REPORT_FILE).is_file():
            return M.THEME_IN_YEAR()
    if not folder.is_dir():
        return M.THEME_NO_FOLDER()
    for path in folder.rglob("*"):
        if path.is_dir() and path.name in (*INPUT_FOLDERS, OUTPUT_FOLDER):
            return M.THEME_HOLDS_FOLDER(name=path.name)
        if path.name in (REPORT_FILE, ORGANIZATION_FILE):
            return M.THEME_HOLDS_YEAR()
    return None


def _month_day(text: str) -> tuple[int, int] | None:
    """(month, day) of ``"MM-DD"``, a day every year has; else None."""
    found = re.fullmatch(r"(\d\d)-(\d\d)", text)
    if found is None:
        return None
    try:
        date(2001, int(found[1]), int(found[2]))
    except ValueError:
        return None
    return int(found[1]), int(found[2])


class _Checker:
    """Typed look-ups into the merged settings, each problem a diagnostic."""

    def __init__(
        self, merged: dict[str, tuple[Any, _Source]], report: _Source, diags: Diagnostics
    ) -> None:
        self.merged = merged
        self.report = report
        self.diags = diags
        self.root = report.path.parent

    def where(self, key: str) -> Location:
        table, _, sub = key.partition(".")
        src = self.merged[key][1] if key in self.merged else self.report
        return src.where(sub, table) if sub else src.where(key)

    def has(self, key: str) -> bool:
        """Whether the settings give ``key`` (declared, or this raises)."""
        declared(key)
        return key in self.merged

    def value(self, key: str) -> Any:
        """The value as written, else the declared default."""
        return self.merged[key][0] if self.has(key) else declared(key).default

    def locator(self, key: str) -> Callable[[str, str | None], Location]:
        """How to find a line inside an open table ([tables.<name>]...)."""
        return self.merged[key][1].where if self.has(key) else self.report.where

    def named_tags(self) -> set[str]:
        """The tags ``language`` and ``languages`` name, before they are checked:
        what a translation suffix (``title_de``) may be besides the built-in packs."""
        named = [self.value("language") if self.has("language") else None]
        value = self.value("languages")
        named += value if isinstance(value, list) else []
        return {t for t in named if isinstance(t, str)}

    def _get(self, key: str, required: bool = False) -> Any:
        if self.has(key):
            return self.merged[key][0]
        if required:
            table, _, sub = key.partition(".")
            what = M.MISSING_KEY_IN_TABLE(key=sub, table=table) if sub else M.MISSING_KEY(key=key)
            self.diags.error(Location(self.report.path), what)
        return None

    def string(self, key: str, required: bool = False) -> str | None:
        value = self._get(key, required)
        if value is None:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.diags.error(self.where(key), M.NOT_A_NON_EMPTY_STRING(key=key))
            return None
        return value.strip()

    def picture(self, key: str, name: str) -> Path | None:
        """A setting that names a picture: through the gate every embedded file passes."""
        gate = Gate.of(self.report.path.parent)
        try:
            found = gate.locate(name, self.merged[key][1].path.parent, M.GATE_NAMED(name=name))
            gate.admit(str(found), found.parent, M.GATE_NAMED(name=name))
        except RefusedResource as exc:
            self.diags.error(
                self.where(key),
                M.KEY_PROBLEM(key=key.rpartition(".")[2], problem=exc.reason, hint=""),
            )
            return None
        return found

    def date(self, key: str, required: bool = True) -> date | None:
        value = self._get(key, required=required)
        if value is None:
            return None
        if isinstance(value, date) and not hasattr(value, "hour"):
            return value
        self.diags.error(self.where(key), M.NOT_A_TOML_DATE(key=key))
        return None

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        """One of ``choices``, else (reported when given) the declared default."""
        default = str(declared(key).default)
        value = self._get(key)
        if value is None:
            return default
        if value not in choices:
            self.diags.error(
                self.where(key),
                M.NOT_ONE_OF_SETTING(
                    key=key,
                    value=value,
                    choices=M.listed(choices),
                    hint=did_you_mean(str(value), choices),
                ),
            )
            return default
        return str(value)

    def tag(self, key: str) -> str | None:
        """A language tag CLDR knows (``en``, ``en-GB``, ``ko``)."""
        value = self._get(key)
        if value is None:
            return None
        if (problem := tag_problem(value)) is not None:
            hint = did_you_mean(str(value), LANGUAGES)
            self.diags.error(self.where(key), M.KEY_PROBLEM(key=key, problem=problem, hint=hint))
            return None
        return str(value)

    def _list(self, key: str) -> list[Any] | None:
        """A setting that must be a non-empty list, or None (reported) when it is not."""
        value = self._get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not value:
            self.diags.error(self.where(key), M.NOT_A_LIST_OF_STRINGS(key=key))
            return None
        return value

    def tags(self, key: str) -> tuple[str, ...] | None:
        value = self._list(key)
        if value is None:
            return None
        good = []
        for item in value:
            if (problem := tag_problem(item)) is None:
                good.append(str(item))
            else:
                hint = did_you_mean(str(item), LANGUAGES)
                self.diags.error(
                    self.where(key), M.KEY_PROBLEM(key=key, problem=problem, hint=hint)
                )
        return tuple(dict.fromkeys(good)) or None

    def string_list(self, key: str, choices: tuple[str, ...]) -> tuple[str, ...] | None:
        value = self._list(key)
        if value is None:
            return None
        good = []
        for item in value:
            if item in choices:
                good.append(str(item))
            else:
                self.diags.error(
                    self.where(key),
                    M.NOT_ONE_OF_SETTING(
                        key=key,
                        value=item,
                        choices=M.listed(choices),
                        hint=did_you_mean(str(item), choices),
                    ),
                )
        return tuple(dict.fromkeys(good)) or None

    def organization(self) -> Organization | None:
        if not self.has("organization"):
            self.diags.error(
                Location(self.report.path),
                M.MISSING_ORGANIZATION(),
            )
            return None
        name = self.string("organization.name", required=True)
        logo = None
        if (raw_logo := self.string("organization.logo")) is not None:
            logo = self.picture("organization.logo", raw_logo)
        signature = None
        if (raw_signature := self.string("organization.signature")) is not None:
            signature = self.picture("organization.signature", raw_signature)
        website = self.string("organization.website")
        if website is not None and not WEBSITE.fullmatch(website):
            self.diags.error(
                self.where("organization.website"),
                M.NOT_A_WEBSITE(value=website),
            )
        email = self.string("organization.email")
        if email is not None and not EMAIL.fullmatch(email):
            self.diags.error(self.where("organization.email"), M.NOT_AN_EMAIL(value=email))
        if name is None:
            return None
        registration: tuple[str, ...] = ()
        if self.has("organization.registration"):
            registration = _lines(
                self.value("organization.registration"), "registration",
                self.where("organization.registration"), self.diags,
            ) or ()  # fmt: skip

        def markdown(name: str) -> str | None:
            """``organization.<name>``, a Markdown text, as safe HTML (unset: as set)."""
            text = self.string(f"organization.{name}")
            if not text:
                return text
            return _markdown(text, name, self.where(f"organization.{name}"), self.root, self.diags)

        giving = markdown("giving")
        for_organisations = markdown("giving_organisation")
        abroad = markdown("giving_abroad")
        declared = markdown("giving_declared")
        return Organization(
            name=name,
            short_name=self.string("organization.short_name"),
            website=website,
            email=email,
            address=self.string("organization.address"),
            logo=logo,
            registration=registration,
            legal_form=self.string("organization.legal_form"),
            telephone=self.string("organization.telephone"),
            fax=self.string("organization.fax"),
            office_hours=self.string("organization.office_hours"),
            giving=giving or None,
            signature=signature,
            giving_organisation=for_organisations or None,
            country=self.string("organization.country"),
            giving_abroad=abroad or None,
            giving_declared=declared or None,
        )

    def cover(self) -> CoverImage | None:
        """``cover_image`` through the gate, with its required alt text."""
        raw = self.string("cover_image")
        alt = self.string("cover_image_alt")
        credit = self.string("cover_image_credit")
        if raw is None:
            for key in ("cover_image_alt", "cover_image_credit"):
                if self.has(key):
                    self.diags.warning(self.where(key), M.UNUSED_WITHOUT_COVER(key=key))
            return None
        path = self.picture("cover_image", raw)
        if not alt:
            self.diags.error(
                self.where("cover_image"),
                M.COVER_NEEDS_ALT(),
            )
            return None
        return CoverImage(path, alt, credit or None) if path else None

    def theme_dir(self) -> Path | None:
        """``theme_dir``: a folder of its own in the report set, relative to the
        file naming it (``theme_folder_problem`` says what it may not be)."""
        raw = self.string("theme_dir")
        if raw is None:
            return None
        where = self.where("theme_dir")
        root = Gate.of(self.report.path.parent).root
        folder = (self.merged["theme_dir"][1].path.parent / raw).resolve()
        problem = theme_folder_problem(folder, root)
        if problem is not None:
            self.diags.error(where, M.THEME_DIR_PROBLEM(raw=raw, problem=problem))
            return None
        return folder

    def theme(self) -> Theme:
        default = Theme()
        values = {}
        for key, pattern, hint in (
            ("primary_color", COLOR, M.A_COLOUR_PRIMARY()),
            ("accent_color", COLOR, M.A_COLOUR_ACCENT()),
            ("font", FONT, M.A_FONT_NAME()),
        ):
            value = self._get(f"theme.{key}")
            if value is None:
                continue
            if isinstance(value, str) and pattern.fullmatch(value):
                values[key] = value
            else:
                self.diags.error(
                    self.where(f"theme.{key}"), M.NOT_A_THEME_VALUE(key=key, value=value, hint=hint)
                )
        size = self._get("theme.page_size")
        if size is not None:
            if size in PAGE_SIZES:
                values["page_size"] = size
            else:
                self.diags.error(
                    self.where("theme.page_size"),
                    M.NOT_A_PAGE_SIZE(value=size, hint=did_you_mean(str(size), PAGE_SIZES)),
                )
        return Theme(**{**default.__dict__, **values})

    def email(
        self, translations: list[tuple[str, str, str | tuple[str, ...]]]
    ) -> EmailSettings | None:
        """``[email]``, for ``reportgen send``: every key checked where it is written."""
        if not self.has("email"):
            return None
        host = self.string("email.host", required=True)
        if host is not None and not re.fullmatch(r"[A-Za-z0-9.:\-\[\]]+", host):
            self.diags.error(self.where("email.host"), M.NOT_A_HOST(value=host))
            host = None
        security = self.choice("email.security", SECURITY)
        if security == "none" and host is not None and host.strip("[]") not in LOOPBACK:
            self.diags.error(self.where("email.security"), M.SECURITY_NONE_REMOTE(host=host))
        port = self._get("email.port")
        if port is None:
            port = DEFAULT_PORTS[security]
        elif not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
            self.diags.error(self.where("email.port"), M.NOT_A_PORT(value=port))
        addresses = {}
        for key in ("from", "reply_to"):
            value = self.string(f"email.{key}", required=key == "from")
            if value is not None and (problem := sender_problem(value)) is not None:
                self.diags.error(
                    self.where(f"email.{key}"), M.KEY_PROBLEM(key=key, problem=problem, hint="")
                )
                value = None
            addresses[key] = value
        subject = self.string("email.subject")
        self._placeholders("email.subject", subject)
        for base, tag, text in translations:
            if base == "email.subject":
                self._placeholders(f"email.subject_{tag}", str(text))
        if host is None or addresses["from"] is None or not isinstance(port, int):
            return None
        return EmailSettings(
            host=host, sender=addresses["from"], port=port, security=security,
            username=self.string("email.username"), reply_to=addresses["reply_to"],
            subject=subject,
        )  # fmt: skip

    def _placeholders(self, key: str, text: str | None) -> None:
        """A subject says only what a letter may say: ``{{name}}``, ``{{amount}}``..."""
        table, _, sub = key.partition(".")
        sources = (
            (self.merged[key][1],) if key in self.merged else (self.report, self.merged[table][1])
        )  # a translation: no longer among the keys
        where = next((w for src in sources if (w := src.where(sub, table)).line),
                     self.where(table))  # fmt: skip
        for match in PLACEHOLDER.finditer(text or ""):
            if match.group(1) not in PLACEHOLDERS:
                self.diags.error(where, M.SUBJECT_PLACEHOLDER(
                    key=sub, placeholder=match.group(0),
                    known=M.listed("{{" + p + "}}" for p in PLACEHOLDERS),
                    hint=did_you_mean(match.group(1), PLACEHOLDERS)))  # fmt: skip

    def signatories(self, tags: set[str]) -> tuple[Signatory, ...]:
        """``[[signatories]]``: who signs, in order, each checked where written;
        ``name_<tag>`` and ``role_<tag>`` translate (``tags``: the languages)."""
        if not self.has("signatories"):
            return ()
        value, src = self.merged["signatories"]
        headers = [n for n, line in enumerate(src.text.splitlines(), start=1)
                   if re.match(r"\s*\[\[\s*signatories\s*\]\]", line)]  # fmt: skip
        at_all = src.where("signatories")
        if at_all.line is None and headers:
            at_all = Location(src.path, headers[0])
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            self.diags.error(at_all, M.SIGNATORIES_NOT_LIST())
            return ()
        if src.values.get("signatory") is not None:
            self.diags.warning(src.where("signatory"), M.SIGNATORY_UNUSED())
        found = []
        for number, entry in enumerate(value):
            at = Location(src.path, headers[number]) if number < len(headers) else at_all
            signer = self._signer(entry, at, number + 1, tags)
            if signer is not None:
                found.append(signer)
        return tuple(found)

    def _signer(
        self, entry: dict[str, Any], at: Location, number: int, tags: set[str]
    ) -> Signatory | None:
        said = M.SIGNATORY_NUMBER(number=number)
        texts: dict[str, str] = {}
        translations = []
        signature: Path | None = None
        for key, text in entry.items():
            base, _, tag = key.rpartition("_")
            known = key in SIGNER_KEYS or (base in ("name", "role") and tag in tags)
            if not known:
                self.diags.warning(at, M.SIGNATORY_UNKNOWN_KEY(
                    key=key, said=said, hint=did_you_mean(key, SIGNER_KEYS)))  # fmt: skip
            elif not isinstance(text, str) or not text.strip():
                self.diags.error(at, M.SIGNATORY_NOT_STRING(key=key, said=said))
            elif key == "signature_image":
                signature = self._signature_image(text.strip(), at, said)
            elif key in ("name", "role"):
                texts[key] = text.strip()
            else:
                translations.append((tag, base, text.strip()))
        if "name" not in texts:
            if "name" not in entry:
                self.diags.error(at, M.SIGNATORY_NO_NAME(said=said))
            return None
        return Signatory(texts["name"], texts.get("role"), tuple(sorted(translations)), signature)

    def _signature_image(self, name: str, at: Location, said: str) -> Path | None:
        """A signatory's ``signature_image``: a picture through the gate, like
        every file a build embeds (inside the report set, a picture by its
        bytes, within the size and pixel limits); refused, an error at ``at``."""
        gate = Gate.of(self.report.path.parent)
        base = (at.path or self.report.path).parent
        try:
            found = gate.locate(name, base, M.GATE_NAMED(name=name))
            gate.admit(str(found), found.parent, M.GATE_NAMED(name=name))
        except RefusedResource as exc:
            self.diags.error(at, M.SIGNATURE_IMAGE_REFUSED(said=said, problem=exc.reason))
            return None
        return found

    def asks(self, languages: tuple[str, ...]) -> tuple[Ask, ...]:
        """``[[asks]]``: the letters' asks by gift, each checked where written:
        a ``text`` (and ``text_<tag>`` for each other report language), a
        ``from`` amount >= 0 or ``monthly = true``, no two from one amount."""
        if not self.has("asks"):
            return ()
        value, src = self.merged["asks"]
        headers = [n for n, line in enumerate(src.text.splitlines(), start=1)
                   if re.match(r"\s*\[\[\s*asks\s*\]\]", line)]  # fmt: skip
        at_all = src.where("asks")
        if at_all.line is None and headers:
            at_all = Location(src.path, headers[0])
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            self.diags.error(at_all, M.ASKS_NOT_LIST())
            return ()
        found: list[Ask] = []
        taken: dict[tuple[Decimal, bool], str] = {}
        # Each language an ask lacks, said once, at the first entry lacking it.
        lacking: dict[str, list[int]] = {}
        for number, entry in enumerate(value):
            for tag in dict.fromkeys(t for t in languages[1:] if t != languages[0]):
                if f"text_{tag}" not in entry:
                    lacking.setdefault(tag, []).append(number)
        for tag, numbers in lacking.items():
            first = numbers[0]
            self.diags.error(
                Location(src.path, headers[first]) if first < len(headers) else at_all,
                M.ASK_UNTRANSLATED(tag=tag, numbers=", ".join(str(n + 1) for n in numbers)),
            )
        for number, entry in enumerate(value):
            at = Location(src.path, headers[number]) if number < len(headers) else at_all
            ask = self._ask(entry, at, M.ASK_NUMBER(number=number + 1), languages)
            if ask is None or any(number in numbers for numbers in lacking.values()):
                continue
            key = (ask.start, ask.monthly)
            said = M.ASK_NUMBER(number=number + 1)
            if key in taken:
                self.diags.error(at, M.ASK_TWICE(said=said, other=taken[key]))
                continue
            taken[key] = said
            found.append(ask)
        return tuple(found)

    def _ask(
        self, entry: dict[str, Any], at: Location, said: str, languages: tuple[str, ...]
    ) -> Ask | None:
        others = [tag for tag in languages[1:] if tag != languages[0]]
        known = ("text", "from", "monthly", *(f"text_{tag}" for tag in others))
        texts: dict[str, str] = {}
        start, monthly, fine = Decimal(0), False, True
        for key, item in entry.items():
            if key not in known:
                self.diags.warning(at, M.SIGNATORY_UNKNOWN_KEY(
                    key=key, said=said, hint=did_you_mean(key, known)))  # fmt: skip
            elif key == "monthly":
                if not isinstance(item, bool):
                    self.diags.error(at, M.ASK_MONTHLY_NOT_BOOL(said=said, value=item))
                    fine = False
                monthly = item is True
            elif key == "from":
                if isinstance(item, bool) or not isinstance(item, int | float) or item < 0:
                    self.diags.error(at, M.ASK_FROM(said=said, value=item))
                    fine = False
                else:
                    start = Decimal(str(item))
            elif not isinstance(item, str) or not item.strip():
                self.diags.error(at, M.SIGNATORY_NOT_STRING(key=key, said=said))
                fine = False
            else:
                texts[key] = " ".join(item.split())
        if "text" not in texts:
            if "text" not in entry:
                self.diags.error(at, M.ASK_NO_TEXT(said=said))
            return None
        if monthly and "from" in entry:
            self.diags.warning(at, M.ASK_MONTHLY_FROM(said=said))
        if not fine:
            return None
        translations = tuple((k.partition("_")[2], t) for k, t in texts.items() if k != "text")
        return Ask(texts["text"], Decimal(0) if monthly else start, monthly, translations)

    # --- [receipts] (issue 28) ---------------------------------------------------

    def receipts(
        self,
        languages: tuple[str, ...],
        organization: Organization | None,
        labels: tuple[tuple[str, str, Word], ...],
    ) -> ReceiptSettings | None:
        """``[receipts]``, a preset's text under the keys the table gives."""
        if not self.has("receipts"):
            return None
        chosen = self.string("receipts.preset")
        preset = receipt_presets.presets().get(chosen) if chosen else None
        if chosen and preset is None:
            names = tuple(receipt_presets.presets())
            self.diags.error(
                self.where("receipts.preset"),
                M.NOT_ONE_OF_SETTING(
                    key="preset",
                    value=chosen,
                    choices=M.listed(names),
                    hint=did_you_mean(chosen, names),
                ),
            )
            return None

        def given(key: str) -> object:
            value = self._get(f"receipts.{key}")
            return value if value is not None else (preset.get(key) if preset else None)

        def text(key: str, required: bool = False) -> str | None:
            value = given(key)
            if value is None and required:
                self.diags.error(
                    self.where("receipts"),
                    M.RECEIPTS_KEY_REQUIRED(key=key, presets=M.listed(receipt_presets.presets())),
                )
                return None
            if value is not None and (not isinstance(value, str) or not value.strip()):
                self.diags.error(self.where(f"receipts.{key}"), M.NOT_A_NON_EMPTY_STRING(key=key))
                return None
            return value.strip() if isinstance(value, str) else None

        def flag(key: str) -> bool:
            value = given(key)
            if value is not None and not isinstance(value, bool):
                self.diags.error(self.where(f"receipts.{key}"),
                                 M.NOT_TRUE_OR_FALSE(key=key, value=value))  # fmt: skip
                return False
            return bool(value)

        statement, title = text("statement", required=True), text("title")
        language = text("language") or languages[0]
        if (problem := tag_problem(language)) is not None:
            self.diags.error(self.where("receipts.language"), M.RECEIPTS_LANGUAGE(problem=problem))
        elif missing := packs.missing_words(
            language, [k for t, k, _ in labels if t == language], optional=True
        ):
            self.diags.error(self.where("receipts"), M.RECEIPTS_WORDS_LACKING(
                language=language, missing=M.listed(missing)))  # fmt: skip
        layout = text("layout") or "letter"
        if layout not in RECEIPT_LAYOUTS:
            hint = did_you_mean(layout, RECEIPT_LAYOUTS)
            layouts = ", ".join(RECEIPT_LAYOUTS)
            self.diags.error(self.where("receipts.layout"), M.NOT_ONE_OF_SETTING(
                key="layout", value=layout, choices=layouts, hint=hint))  # fmt: skip
        benefits = text("benefits") or "listed"
        if benefits not in RECEIPT_BENEFITS:
            self.diags.error(self.where("receipts.benefits"), M.NOT_ONE_OF_SETTING(
                key="benefits", value=benefits, choices=M.listed(RECEIPT_BENEFITS),
                hint=did_you_mean(benefits, RECEIPT_BENEFITS)))  # fmt: skip
            benefits = "listed"
        registration: tuple[str, ...] = ()
        if self.has("receipts.registration"):
            where = self.where("receipts.registration")
            value = self.value("receipts.registration")
            registration = _lines(value, "registration", where, self.diags) or ()
        issued = self.date("receipts.issued", required=False)
        tax_year_start: tuple[int, int] | None = None
        if (start := text("tax_year_start")) is not None:
            tax_year_start = _month_day(start)
            if tax_year_start is None:
                self.diags.error(self.where("receipts.tax_year_start"),
                                 M.TAX_YEAR_START(value=start))  # fmt: skip
        if preset is not None:
            have = {
                "registration": bool(registration or (organization and organization.registration)),
                "address": bool(organization and organization.address),
                "basis": bool(text("basis")),
            }
            for need in preset.needs:
                if not have.get(need, True):
                    self.diags.warning(self.where("receipts"), M.RECEIPTS_PRESET_NEEDS(
                        preset=preset.name, need=receipt_presets.NEEDS[need]))  # fmt: skip
        if statement is None:
            return None
        return ReceiptSettings(
            statement=statement, title=title or "Receipt", language=language,
            preset=chosen, registration=registration, basis=text("basis"),
            prefix=text("prefix") or "", issued=issued, layout=layout,
            gift_aid=flag("gift_aid"), signed=flag("signed"),
            statement_no_gift_aid=text("statement_no_gift_aid"),
            gift_type=text("gift_type"), gift_code=text("gift_code"),
            number_label=text("number_label"), tax_year_start=tax_year_start,
            signer_role=text("signer_role"),
            benefits=benefits, statement_benefit=text("statement_benefit"),
            statement_one=text("statement_one"),
            title_one=text("title_one"),
            gift_aid_invitation=text("gift_aid_invitation"),
        )  # fmt: skip

    def printing(self) -> PrintSettings:
        """``[print]``: booleans, and a page multiple from 1 to 16."""
        values: dict[str, Any] = {}
        for name in ("bleed", "duplex_letters"):
            value = self._get(f"print.{name}")
            if value is None:
                continue
            if isinstance(value, bool):
                values[name] = value
            else:
                self.diags.error(self.where(f"print.{name}"),
                                 M.NOT_TRUE_OR_FALSE(key=name, value=value))  # fmt: skip
        value = self._get("print.pad_to_multiple_of")
        if value is not None:
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 16:
                values["pad_to_multiple_of"] = value
            else:
                self.diags.error(
                    self.where("print.pad_to_multiple_of"),
                    M.PAD_TO_MULTIPLE(value=value),
                )
        return PrintSettings(**values)

    def signatory(self) -> Signatory | None:
        if not self.has("signatory"):
            return None
        name = self.string("signatory.name", required=True)
        return Signatory(name, self.string("signatory.role")) if name else None
