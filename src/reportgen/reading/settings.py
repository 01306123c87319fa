"""Every setting of organization.toml and report.toml, declared once.

Like MkDocs' config options, each key is one ``Setting``: its type, default,
whether ``<key>_<tag>`` translates it, whether it names a file, which editions
use it, where its checked value lives in ``ReportConfig`` and a line of docs.
Everything else is derived from ``SETTINGS``: which keys ``config`` accepts
(an unknown key is reported, with a "did you mean"), which translations it
accepts and how ``translate`` applies them, the files a build reads because a
setting names them (the cache's inputs), the starter report.toml of
``reportgen new``, the settings ``reportgen labels`` lists for a language and
the docs' table of settings.

A settings file is parsed only here (``loads``), into ``Values``, whose
``get`` refuses a key the schema lacks: no code can read a setting that is
not declared.
"""

from __future__ import annotations

import functools
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import MISSING, dataclass, fields, is_dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal, get_type_hints

from reportgen.core import messages as M
from reportgen.core.diagnostics import did_you_mean
from reportgen.core.generated_docs import command, spliced
from reportgen.core.languages import TAG
from reportgen.reading.model import ReportConfig

ALL = ("annual-report", "handout", "donor", "letters")
Names = Literal["file", "folder"]


@dataclass(frozen=True)
class Setting:
    key: str  # "title", or "<table>.<key>" inside [organization], [theme], ...
    type: str  # as the docs name it: "string", "TOML date", "array of strings", "table"...
    doc: str
    default: object = None  # the value when absent (None: none)
    required: bool = False
    translatable: bool = False  # <key>_<tag> gives its value in language <tag>
    names: Names | None = None  # a path (relative to the file that names it) to a file/folder
    editions: tuple[str, ...] = ALL  # where it shows: editions, "letters", "send"
    target: str | None = None  # its checked value in ReportConfig ("cover.alt")
    example: str | None = None  # a TOML value for the starter ({label}, {start}...)
    starter: bool = True  # in `reportgen new`'s report.toml (commented unless required)
    open: bool = False  # a table whose keys are checked by its own reader
    refused: str | None = None  # never accepted here: why, and what to do instead
    names_year: bool = False  # text naming the year: `new --from` moves it on a year

    @property
    def table(self) -> str | None:
        return self.key.partition(".")[0] if "." in self.key else None

    @property
    def name(self) -> str:
        return self.key.rpartition(".")[2]


def _s(key: str, type_: str, doc: str, **more: Any) -> Setting:
    more.setdefault("target", None if type_ == "table" else key)
    return Setting(key, type_, doc, **more)


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        _s("title", "string", M.SETTING_TITLE(), required=True,
           translatable=True, example='"Annual Report {label}"', names_year=True),
        _s("fiscal_year", "string", M.SETTING_FISCAL_YEAR(),
           required=True, translatable=True, example='"{label}"', names_year=True),
        _s("start", "TOML date", M.SETTING_START(), required=True,
           example="{start}"),
        _s("end", "TOML date", M.SETTING_END(), required=True, example="{end}"),
        _s("published", "TOML date", M.SETTING_PUBLISHED(), default="end", example="{published}"),
        _s("language", "language tag", M.SETTING_LANGUAGE(), default="en",
           example='"en"', target=None),
        _s("languages", "array of language tags", M.SETTING_LANGUAGES(), target="languages",
           example='["en", "ja"]'),
        _s("currency", "string", M.SETTING_CURRENCY(), default="JPY",
           example='"JPY"'),
        _s("editions", "array of strings", M.SETTING_EDITIONS(), default="all",
           example='["annual-report", "handout", "donor"]'),
        _s("pdf_table_rows", "integer >= 0", "the longest activity or lobbying list the PDF "
           "prints (the most recent rows of each category past it; the full list is in the "
           "HTML and attached as CSV); `0`: no limit", default=300,
           editions=("annual-report", "handout"), starter=False),
        _s("pdf_variant", "string", "the standard every PDF claims: `pdf/ua-1`, `pdf/a-3b`, "
           "`pdf/a-3u`, `pdf/a-2b`, `pdf/a-2u` (PDF/A files are tagged too)",
           default="pdf/ua-1", starter=False),
        _s("print_marks", "boolean", "crop marks and 3 mm bleed for a print shop",
           default=False, starter=False),
        _s("print", "table", "print production (see [print])", starter=False),
        _s("print.bleed", "boolean", "3 mm of bleed (PDF BleedBox and TrimBox) on the "
           "editions, the cover's colour and pictures printed into it", default=False,
           target="printing.bleed", editions=("annual-report", "handout", "donor"),
           starter=False),
        _s("print.pad_to_multiple_of", "integer 1 to 16", "a bound edition's page count "
           "(annual report, donor edition) made up to a multiple of this, e.g. `4`, with "
           "pages headed Notes and ruled for writing, before the back cover", default=1,
           target="printing.pad_to_multiple_of", editions=("annual-report", "donor"),
           starter=False),
        _s("print.duplex_letters", "boolean", "a blank back after a letter of an odd number "
           "of pages, so that printed on both sides the donor edition starts a sheet of its "
           "own", default=False, target="printing.duplex_letters", editions=("letters",),
           starter=False),
        _s("key_figures", "array of strings", "which key figures show, in order (see Key "
           "figures)", editions=("annual-report", "handout", "donor"), starter=False),
        _s("cover_image", "string (a file)", M.SETTING_COVER_IMAGE(), names="file",
           target="cover.path",
           editions=("annual-report", "handout", "donor"), example='"assets/cover.jpg"'),
        _s("cover_image_alt", "string", M.SETTING_COVER_IMAGE_ALT(),
           translatable=True, target="cover.alt", editions=("annual-report", "handout", "donor"),
           example='"Volunteers sorting food parcels"'),
        _s("cover_image_credit", "string", 'shown small on the picture: "Photo: A. Kim"',
           translatable=True, target="cover.credit",
           editions=("annual-report", "handout", "donor"), starter=False),
        _s("accounts_note", "string", "said once on the accounts' unit line, of every figure "
           'in them, e.g. "Illustrative figures" or "Unaudited" (not a note under one line)',
           translatable=True, editions=("annual-report", "handout", "donor"), starter=False),
        _s("outcomes", "string", "what the year's gifts did, as the end of a sentence "
           '("gave shelter and food to three people…"): the donor edition\'s thank-you says it, '
           "and a donor letter may (`{{outcomes}}`), so both name the same outcomes",
           translatable=True, editions=("donor",), starter=False),
        _s("theme_dir", "string (a folder)", "your own templates and `extra.css` (see \"Your "
           "own look: theme_dir\")", names="folder", starter=False),
        _s("organization", "table", M.SETTING_ORGANIZATION(),
           required=True),
        _s("organization.name", "string", M.SETTING_ORGANIZATION_NAME(), required=True,
           translatable=True, example='"Your Organisation"'),
        _s("organization.short_name", "string", M.SETTING_ORGANIZATION_SHORT_NAME(),
           translatable=True,
           example='"YO"'),
        _s("organization.website", "string", M.SETTING_ORGANIZATION_WEBSITE(),
           example='"https://example.org/"'),
        _s("organization.email", "string", M.SETTING_ORGANIZATION_EMAIL(),
           example='"info@example.org"'),
        _s("organization.address", "string", M.SETTING_ORGANIZATION_ADDRESS(), translatable=True,
           example='"Street, City, Country"'),
        _s("organization.legal_form", "string", M.SETTING_ORGANIZATION_LEGAL_FORM(),
           translatable=True, editions=("annual-report", "receipts"), starter=False),
        _s("organization.telephone", "string", M.SETTING_ORGANIZATION_TELEPHONE(),
           translatable=True, editions=("annual-report", "donor", "letters", "receipts"),
           example='"000-0000-0000"'),
        _s("organization.fax", "string", M.SETTING_ORGANIZATION_FAX(), translatable=True,
           editions=("annual-report", "donor", "letters", "receipts"), starter=False),
        _s("organization.office_hours", "string", M.SETTING_ORGANIZATION_OFFICE_HOURS(),
           translatable=True, editions=("annual-report", "donor"), starter=False),
        _s("organization.logo", "string (a file)", M.SETTING_ORGANIZATION_LOGO(),
           names="file", example='"assets/logo.svg"'),
        _s("organization.signature", "string (a file)", "a scanned signature (PNG, JPEG or "
           "SVG, through the gate), printed above the first signatory's name in every donor "
           "letter", names="file", editions=("letters",), starter=False),
        _s("organization.registration", "array of strings", 'legal identifiers shown as '
           'written, e.g. `["Registered charity no. 1123456"]`', translatable=True, starter=False),
        _s("organization.giving", "string (Markdown)", "how to give: bank details, web page, "
           "tax relief", translatable=True, editions=("annual-report", "donor", "letters"),
           starter=False),
        _s("organization.giving_organisation", "string (Markdown)", "how to give, at the foot "
           "of the letters to donors of `type` organisation (a company, trust or church: no "
           "Gift Aid for them); default: `giving`", translatable=True, editions=("letters",),
           starter=False),
        _s("organization.giving_declared", "string (Markdown)", "how to give, at the foot of "
           "the letters to a person whose Gift Aid declaration is on file (the donors table's "
           "`gift_aid_declared`): the same, without the invitation to make one; default: "
           "`giving_organisation`, else `giving`", translatable=True, editions=("letters",),
           starter=False),
        _s("organization.country", "string", "the country the organisation posts its letters "
           "from; a donor whose `country` differs is abroad: the letter's address ends with the "
           "country in capitals and its foot gives `giving_abroad` (or no way to give)",
           example='"Japan"', editions=("letters",), starter=False),
        _s("organization.giving_abroad", "string (Markdown)", "how to give, at the foot of the "
           "letters to donors abroad (an international transfer, a web page); without it those "
           "letters leave the way to give out", translatable=True, editions=("letters",),
           starter=False),
        _s("theme", "table", M.SETTING_THEME()),
        _s("theme.primary_color", "string", M.SETTING_THEME_PRIMARY_COLOR(), default="#1f3a5f",
           example='"#1f3a5f"'),
        _s("theme.accent_color", "string", M.SETTING_THEME_ACCENT_COLOR(), default="#c8553d",
           example='"#c8553d"'),
        _s("theme.page_size", "string", M.SETTING_THEME_PAGE_SIZE(), default="A4", example='"A4"'),
        _s("theme.font", "string", M.SETTING_THEME_FONT(),
           default="Noto Sans", example='"Noto Sans"'),
        _s("signatory", "table", M.SETTING_SIGNATORY(),
           editions=("donor", "letters")),
        _s("signatory.name", "string", M.SETTING_SIGNATORY_NAME(), required=True, translatable=True,
           editions=("donor", "letters"), example='"Your Name"'),
        _s("signatory.role", "string", M.SETTING_SIGNATORY_ROLE(), translatable=True,
           editions=("donor", "letters"), example='"Representative"'),
        # --- several signatories (issue 28) ------------------------------------
        _s("signatories", "array of tables", "instead of `[signatory]`: several people who "
           "sign, in order, each `[[signatories]]` with `name` (required) and `role`; "
           "`name_<tag>` and `role_<tag>` inside it translate (see Signatories); "
           "`signature_image` a scanned signature (a picture, through the gate) printed "
           "above the name in the letters",
           editions=("donor", "letters"), open=True, starter=False),
        _s("asks", "array of tables", "what each donor letter asks (`{{ask}}`), by the "
           "donor's gift: each `[[asks]]` with `from` (an amount) and `text` (`text_<tag>` "
           "for each other report language); one with `monthly = true` instead of `from` "
           "asks a donor who already gives every month (see Letters that fit the donor)",
           editions=("letters",), open=True, starter=False),
        _s("email", "table", M.SETTING_EMAIL(),
           editions=("send",)),
        _s("email.host", "string", M.SETTING_EMAIL_HOST(), required=True, editions=("send",),
           example='"smtp.example.org"'),
        _s("email.port", "integer", "its port (default: by `security`)", editions=("send",),
           starter=False),
        _s("email.security", "string", M.SETTING_EMAIL_SECURITY(),
           default="starttls", editions=("send",), example='"starttls"'),
        _s("email.username", "string", M.SETTING_EMAIL_USERNAME(),
           editions=("send",), example='"you@example.org"'),
        _s("email.from", "string", M.SETTING_EMAIL_FROM(), required=True, editions=("send",),
           target="email.sender", example='"Your Organisation <you@example.org>"'),
        _s("email.reply_to", "string", "the address replies go to", editions=("send",),
           starter=False),
        _s("email.password", "–", "never in a file", editions=("send",), starter=False, target=None,
           refused=M.PASSWORD_IN_FILE()),
        _s("email.subject", "string", M.SETTING_EMAIL_SUBJECT(),
           translatable=True, editions=("send",), example='"Thank you, {{{{name}}}}"'),
        # --- [receipts] (issue 28): one block, self-contained ---
        _s("receipts", "table", M.SETTING_RECEIPTS(),
           editions=("receipts",)),
        _s("receipts.preset", "string", M.SETTING_RECEIPTS_PRESET(), editions=("receipts",),
           example='"uk-gift-aid"'),
        _s("receipts.statement", "string", M.SETTING_RECEIPTS_STATEMENT(), editions=("receipts",),
           translatable=True,
           example='"This receipt is for a gift."'),
        _s("receipts.title", "string", "the receipt's heading", editions=("receipts",),
           translatable=True, starter=False),
        _s("receipts.language", "language tag", "the receipts' language (default: the "
           "preset's, else the report's first)", editions=("receipts",), starter=False),
        _s("receipts.registration", "array of strings", "the lines under the organisation's "
           "name (default: organization.registration), e.g. its ABN, EIN, 認定番号",
           editions=("receipts",), starter=False),
        _s("receipts.basis", "string", "the legal basis of the organisation's eligibility "
           "(Korea: 근거법령)", editions=("receipts",), starter=False),
        _s("receipts.prefix", "string", "before each receipt number, which is the year's "
           'label and a serial: `"GA-"` gives GA-FY2012-0001', default="",
           editions=("receipts",), starter=False),
        _s("receipts.issued", "TOML date", "the date of issue (default: the day the number "
           "was first issued, kept in the receipt log)", editions=("receipts",), starter=False),
        _s("receipts.layout", "string", "`letter`, or `kr-form` (the sections of the Korean "
           "form)", default="letter", editions=("receipts",), starter=False),
        _s("receipts.gift_aid", "boolean", "list which gifts were Gift Aided and the tax "
           "claimed (the UK)", default=False, editions=("receipts",), starter=False),
        _s("receipts.statement_no_gift_aid", "string", "with `gift_aid`: the statement for a "
           "donor none of whose gifts was Gift Aided (default: `statement`)",
           editions=("receipts",), translatable=True, starter=False),
        _s("receipts.signed", "boolean", "a place for the signature or seal",
           default=False, editions=("receipts",), starter=False),
        _s("receipts.gift_type", "string", "Korea: the gifts' 유형 (e.g. 일반기부금)",
           editions=("receipts",), starter=False),
        _s("receipts.gift_code", "string", "Korea: the gifts' 코드 (e.g. 40)",
           editions=("receipts",), starter=False),
        _s("receipts.tax_year_start", "string", "the first day of the donors' tax year as "
           '`"MM-DD"` (`"01-01"` Japan, Korea, the US; `"07-01"` Australia; `"04-06"` the UK): '
           "a receipt whose gifts fall in two tax years gives each year's total",
           editions=("receipts",), starter=False),
        _s("receipts.number_label", "string", "the label of the receipt's number (e.g. "
           "`Statement no.`; default: the language's word)", translatable=True,
           editions=("receipts",), starter=False),
        _s("receipts.signer_role", "string", "the signatory's title on the receipt, where a "
           "receipt must give the legal one (理事長 for an NPO法人's 代表者; default: the "
           "signatory's `role`)", translatable=True, editions=("receipts",), starter=False),
        _s("receipts.benefits", "string", "a gift for which the donor received something (the "
           "gifts' `benefit`): `listed` (shown with its value) or `refused` (the jurisdiction "
           "gives no receipt for it: each such gift is an error)", default="listed",
           editions=("receipts",), starter=False),
        _s("receipts.statement_benefit", "string", "the statement of a receipt on which a gift "
           "had a benefit (default: `statement`)", editions=("receipts",), translatable=True,
           starter=False),
        _s("receipts.statement_one", "string", "the statement of a receipt of a single gift, "
           "where its language's plural rules (CLDR) call 1 `one` (\"this donation\", not "
           "\"these donations\"; default: `statement`)", editions=("receipts",),
           translatable=True, starter=False),
        _s("receipts.title_one", "string", "the heading of a receipt of a single gift, where "
           "its language's plural rules (CLDR) call 1 `one` (\"Receipt for a donation\", not "
           "\"Receipt for donations\"; default: `title`)", editions=("receipts",),
           translatable=True, starter=False),
        _s("receipts.gift_aid_invitation", "string", "with `gift_aid`: the sentence inviting "
           "a Gift Aid declaration, after `statement_no_gift_aid`, only on the receipt of a "
           "person without one on file (never an organisation's)", editions=("receipts",),
           translatable=True, starter=False),
        # --- end of [receipts] ---
        _s("labels", "table", "your own words, `[labels.<tag>]` (see Words of your own)",
           open=True, starter=False),
        _s("tables", "table", "your own tables, `[tables.<name>]` (see Your own tables)",
           open=True, starter=False),
        _s("narrative", "table", 'settings of narrative files, `[narrative."<file>"]`',
           open=True, starter=False),
    )
}  # fmt: skip


class UndeclaredSetting(KeyError):
    """Code asked for a setting the schema lacks: a bug of ours, never the user's."""


def declared(key: str) -> Setting:
    """The declaration of ``key``; raises ``UndeclaredSetting`` when there is none."""
    try:
        return SETTINGS[key]
    except KeyError:
        raise UndeclaredSetting(
            f"setting '{key}' is not declared in reportgen.reading.settings"
        ) from None


def translatable() -> tuple[str, ...]:
    return tuple(k for k, s in SETTINGS.items() if s.translatable)


def keys_of(table: str | None) -> tuple[str, ...]:
    """The names a table (``None``: the top level) may hold."""
    return tuple(s.name for s in SETTINGS.values() if s.table == table)


def unknown(name: str, table: str | None) -> tuple[bool, M.Text]:
    """An unknown key's message and whether it is an error. The contract
    (version 1) makes every unknown key a warning that never fails a build,
    so none is an error; the message says what was most likely meant (a near
    miss of a known key, ``subtitel``; a translation of a key that does not
    translate, ``currency_ja``), and ``--strict`` fails on it."""
    known = keys_of(table)
    where = M.SETTING_IN_TABLE(table=table) if table else ""
    base, _, tag = name.rpartition("_")
    if base in known and TAG.fullmatch(tag):
        if SETTINGS[f"{table}.{base}" if table else base].translatable:
            return False, M.UNKNOWN_SETTING_LANGUAGE(name=name, where=where, tag=tag)
        return False, M.UNKNOWN_SETTING_NO_TRANSLATION(name=name, where=where, base=base)
    return False, M.UNKNOWN_SETTING(name=name, where=where, hint=did_you_mean(name, known))


# --- reading a settings file: only here ------------------------------------------


class Values:
    """A settings file's values, read only by declared key."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def get(self, key: str, default: object = None) -> Any:
        """The value of ``key`` (``"organization.logo"``), else ``default``."""
        setting = declared(key)
        scope: Any = self._data
        if setting.table is not None:
            scope = scope.get(setting.table)
            if not isinstance(scope, dict):
                return default
        return scope.get(setting.name, default)

    def __contains__(self, key: str) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def items(self) -> Iterator[tuple[str, Any]]:
        """Every (key, value) the file holds, known or not, as written; a
        value of a table is a dict. For the checks of unknown keys and translations."""
        yield from self._data.items()

    def translations(self, key: str) -> Iterator[tuple[str, Any]]:
        """(tag, value) of each ``<key>_<tag>`` of a translatable top-level key."""
        if not declared(key).translatable or declared(key).table is not None:
            raise UndeclaredSetting(f"setting '{key}' has no translations")
        for name, value in self._data.items():
            base, _, tag = name.rpartition("_")
            if base == key and TAG.fullmatch(tag):
                yield tag, value

    def with_value(self, name: str, value: object) -> Values:
        """A copy with top-level ``name`` (a key or a translation) set, to compare."""
        base = name.rpartition("_")[0] if name not in SETTINGS else name
        if base not in SETTINGS:
            declared(name)
        return Values({**self._data, name: value})

    def same_as(self, other: Values) -> bool:
        return self._data == other._data

    def names(self) -> set[str]:
        """The top-level names the file sets."""
        return set(self._data)


_MISSING = object()


def loads(text: str) -> Values:
    """Parse a settings file's text (``tomllib.TOMLDecodeError`` when it is not TOML)."""
    return Values(tomllib.loads(text))


TOMLDecodeError = tomllib.TOMLDecodeError


def read(path: Path) -> Values | None:
    """A settings file, or ``None`` when it cannot be read (validation reports why)."""
    try:
        return loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def named_paths(values: Values) -> list[tuple[Setting, str]]:
    """The files and folders a settings file names, as written (relative to its folder)."""
    found = []
    for setting in SETTINGS.values():
        raw = values.get(setting.key) if setting.names else None
        if isinstance(raw, str) and raw.strip():
            found.append((setting, raw))
    return found


# --- the checked values in ReportConfig --------------------------------------------


def _resolve(obj: object, path: str) -> object:
    for part in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def unused_by_documents() -> frozenset[str]:
    """The settings no document or letter shows (``[email]`` and its keys)."""
    return frozenset(k for k, s in SETTINGS.items() if not set(s.editions) & set(ALL))


def named_files(config: object) -> list[Path]:
    """The files a checked config names (logo, cover picture, theme folder)."""
    found = []
    for setting in SETTINGS.values():
        if setting.names and setting.target:
            value = _resolve(config, setting.target)
            if isinstance(value, Path):
                found.append(value)
    return found


def _replace_at(obj: Any, path: str, value: object) -> Any:
    """``obj`` with the field at ``path`` replaced; unchanged when a parent is absent."""
    head, _, rest = path.partition(".")
    if not rest:
        return replace(obj, **{head: value})
    inner = getattr(obj, head)
    if inner is None:  # e.g. no [signatory]: its translation has nothing to translate
        return obj
    return replace(obj, **{head: _replace_at(inner, rest, value)})


def translate(config: Any, language: str) -> Any:
    """``config`` with its ``<key>_<language>`` translations applied, each at
    its setting's ``target``."""
    for key, tag, text in config.translations:
        if tag == language:
            config = _replace_at(config, declared(key).target or key, text)
    return config


def _check_targets() -> None:
    """Every target names a field of ReportConfig (through its nested
    dataclasses): a setting declared without a place to live fails loudly here."""
    for setting in SETTINGS.values():
        if setting.target is None:
            continue
        kind: Any = ReportConfig
        for part in setting.target.split("."):
            hints = _hints(kind)
            if part not in hints:
                raise RuntimeError(f"setting '{setting.key}': no field '{setting.target}'")
            kind = next((a for a in getattr(hints[part], "__args__", (hints[part],))
                         if is_dataclass(a)), hints[part])  # fmt: skip
        if setting.translatable and not _holds_text(hints[part]):
            raise RuntimeError(f"setting '{setting.key}' is translatable but not text")
        if setting.default not in (None, "end", "all") and model_default(setting) not in (
            setting.default,
            MISSING_DEFAULT,
        ):
            raise RuntimeError(f"setting '{setting.key}': its default is not the model's")


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    return get_type_hints(kind)


def _holds_text(hint: Any) -> bool:
    args = getattr(hint, "__args__", (hint,))
    return any(a is str or getattr(a, "__origin__", None) is tuple for a in args)


def model_default(setting: Setting) -> object:
    """The default the model's dataclass gives the setting's target."""
    owner: Any = ReportConfig
    *path, name = (setting.target or setting.key).split(".")
    for part in path:
        hint = _hints(owner)[part]
        owner = next(a for a in getattr(hint, "__args__", (hint,)) if is_dataclass(a))
    for f in fields(owner):
        if f.name == name:
            return f.default
    return None


MISSING_DEFAULT = MISSING  # a model field without a default (required there)


# --- derived text: the starter, the docs, `reportgen labels` -----------------------


def starter_toml(
    values: dict[str, str],
    organization: bool = True,
    own: dict[str, object] | None = None,
    language: str = "en",
    chosen: frozenset[str] = frozenset(),
    notes: Mapping[str, str] | None = None,
) -> str:
    """The settings of ``reportgen new``'s report.toml: required keys set,
    the others commented, each table's keys under it. ``values`` fills the
    examples' ``{label}``, ``{start}``...; ``own`` gives a key's example
    value in the report's language (a string, quoted here); each note is the
    setting's ``doc`` in ``language`` (the message catalog's); the top-level
    keys in ``chosen`` are set, not commented; ``notes`` gives a set key a
    note of its own (``start``: follow your articles)."""
    own = own or {}
    notes = notes or {}
    lines: list[str] = []
    for setting in SETTINGS.values():
        if not setting.starter or setting.table is not None:
            continue
        if setting.type == "table":
            if setting.key == "organization" and not organization:
                continue
            members = [s for s in SETTINGS.values() if s.table == setting.key and s.starter]
            on = setting.required
            comment = "" if on else "# "
            lines += ["", _commented(f"{comment}[{setting.key}]", setting.doc, language)]
            lines += [_starter_line(s, values, on and s.required, own, language) for s in members]
        else:
            on = setting.required or setting.key in chosen  # chosen: set, not an example
            line = _starter_line(setting, values, on, own, language)
            if on and setting.key in notes:
                line = _commented(line, notes[setting.key], language)
            lines.append(line)
    return "\n".join(lines) + "\n"


def _starter_line(
    setting: Setting, values: dict[str, str], on: bool, own: dict[str, object], language: str
) -> str:
    example = (setting.example or '""').format(**values)
    if setting.key in own:
        example = _toml_value(own[setting.key])
    text = f"{'' if on else '# '}{setting.name} = {example}"
    return text if on else _commented(text, setting.doc, language)


def _toml_value(value: object) -> str:
    """A string or an array of strings as TOML writes it."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _commented(text: str, doc: str, language: str = "en") -> str:
    """``text`` and, from the 33rd column on, the note: padded by the columns
    a terminal gives each character (a Japanese or Korean one takes two)."""
    note = M.say(doc, language).replace("`", "")
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return f"{text}{' ' * max(30 - columns, 0)}  # {note}"


DOCS_BEGIN = (
    "<!-- settings: generated by `python -m reportgen.reading.settings --docs`; do not edit -->"
)
DOCS_END = "<!-- end of settings -->"


def docs_table() -> str:
    """The docs' Markdown table of every setting."""
    lines = [
        "| key | type | default | translates | editions | meaning |",
        "|---|---|---|---|---|---|",
    ]
    for s in SETTINGS.values():
        key = f"`[{s.key}]`" if s.type == "table" else f"`{s.key}`"
        default = "required" if s.required else ("–" if s.default is None else _literal(s))
        default = "refused" if s.refused else default
        where = "every" if s.editions == ALL else ", ".join(s.editions)
        lines.append(f"| {key} | {s.type} | {default} | {'yes' if s.translatable else ''} | "
                     f"{where} | {s.doc} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def _literal(setting: Setting) -> str:
    value = setting.default
    if value in ("end", "all") and setting.type != "string":
        return f"{value}" if value == "all" else "`end`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`'
    return f"`{value}`"


def docs_with_table(text: str) -> str:
    return spliced(text, DOCS_BEGIN, DOCS_END, docs_table())


def translations_toml(tag: str) -> str:
    """For ``reportgen labels``: the settings that take a ``_<tag>`` translation."""
    lines = [f"# Settings you can translate into '{tag}' (beside each, in its own table):"]
    for s in SETTINGS.values():
        if s.translatable:
            where = f"[{s.table}] " if s.table else ""
            lines.append(f"# {where}{s.name}_{tag} = ...")
    return "\n".join(lines) + "\n"


def is_date(value: object) -> bool:
    return isinstance(value, date) and not hasattr(value, "hour")


_check_targets()

if __name__ == "__main__":
    command(docs_table, docs_with_table)
