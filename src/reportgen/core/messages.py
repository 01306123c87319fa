"""Every message reportgen shows its user, declared once: code, English, translations.

A ``Message`` is one line of the catalog below: a stable code (``RG104``),
its English text as a ``str.format`` template, and, for a count, its plural.
Calling it with the values gives a ``Text``: a ``str`` that reads as the
English line (what diagnostics compare, sort and cache) and remembers its
code and values, so the command line can show it in the user's language
(``shown``) at the moment it prints. Translations live in gettext catalogs,
``reportgen/locale/<language>/LC_MESSAGES/reportgen.po``, extracted from this
module by Babel (``make messages``) and read as they are at run time (only
when the language is not English: English needs no catalog).

The language is the user's, from ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``
and ``LANG`` in that order (``ko_KR.UTF-8`` is Korean); English otherwise.
The English lines are the report format's contract, word for word, so the
code is not part of them: it is shown after the line (``[RG104]``) when the
language is not English or when ``REPORTGEN_CODES=1`` is set, and
``docs/messages.md`` lists every code (``python -m reportgen.core.messages --docs``).
"""

from __future__ import annotations

import functools
import os
import re
import string
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

LANGUAGES = ("en", "ja", "ko")  # a catalog ships for each
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "reportgen"
_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


class Message:
    """One declared message: its code, its English template and, for a
    count (the value named ``count``), its English plural."""

    __slots__ = ("code", "english", "plural")

    def __init__(self, code: str, english: str, plural: str | None = None) -> None:
        if not re.fullmatch(r"RG[0-9]{3}", code):
            raise ValueError(f"a message code is RG and three digits, not {code!r}")
        if code in CATALOG:
            raise ValueError(f"message code {code} is declared twice")
        self.code, self.english, self.plural = code, english, plural
        CATALOG[code] = self

    def __call__(self, **values: object) -> Text:
        return Text(self, values)

    def template(self, count: object = None) -> str:
        """The English template for ``count`` (the singular when there is no plural)."""
        return self.plural if self.plural is not None and count != 1 else self.english

    def fields(self) -> set[str]:
        """The names of the values the message takes."""
        return placeholders(self.english) | placeholders(self.plural or "")

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {self.english!r})"


def Plural(code: str, english: str, plural: str) -> Message:
    """A message that counts: ``english`` for one, ``plural`` for any other count
    (a separate name so that Babel extracts its two forms as one plural entry)."""
    return Message(code, english, plural)


class Text(str):
    """A message with its values: the English line, and what it takes to show
    it in another language. Pickles (to and from worker processes) whole."""

    code: str
    values: dict[str, object]

    def __new__(cls, message: Message, values: Mapping[str, object]) -> Text:
        english = message.template(values.get("count")).format(**values)
        self = super().__new__(cls, english)
        self.code, self.values = message.code, dict(values)
        return self

    def __reduce__(self) -> tuple[object, ...]:
        return (text, (self.code, self.values))

    def in_language(self, language: str) -> str:
        """The line in ``language`` (English where its catalog lacks it)."""
        message = CATALOG[self.code]
        if language == "en":
            return str.__str__(self)
        values = {k: shown(v, language) for k, v in self.values.items()}
        count = values.get("count")
        template = _translations(language).get((self.code, message.english))
        if template is None:
            return str.__str__(self)
        forms = template if isinstance(template, tuple) else (template,)
        index = 0 if count == 1 or len(forms) == 1 else 1
        return fill(forms[min(index, len(forms) - 1)], values)


# Every message, by code, in the order declared (filled by ``Message``).
CATALOG: dict[str, Message] = {}


def text(code: str, values: Mapping[str, object]) -> Text:
    """The ``Text`` of a declared code (the cache and pickling rebuild one so);
    ``KeyError`` for a code this version does not declare."""
    return Text(CATALOG[code], values)


def placeholders(template: str) -> set[str]:
    """The value names a ``str.format`` template uses."""
    return {re.split(r"[.\[!:]", name)[0]
            for _, name, _, _ in string.Formatter().parse(_PARTICLE.sub("", template))
            if name}  # fmt: skip


# Grammar a translation calls, as the language packs do: ``{|은}`` is the
# Korean particle that the sound ending the text before it takes
# ("'2013-13-02'는", "'secret'은", closing quotes aside). ``core.languages``
# sets it (its ``grammar.apply``) as it loads: this module cannot import it,
# since the packs import the diagnostics, which import this module. Until
# then a particle is written with both its forms, as "은(는)".
GRAMMAR: list[Callable[[object, str], str]] = []
_PARTICLE = re.compile(r"\{\|([^{}]+)\}")
_BOTH = {"은": "은(는)", "는": "은(는)", "이": "이(가)", "가": "이(가)", "을": "을(를)",
         "를": "을(를)", "과": "과(와)", "와": "과(와)", "으로": "(으)로",
         "로": "(으)로"}  # fmt: skip


def fill(template: str, values: Mapping[str, object]) -> str:
    """``template`` with ``values``, and the particles it calls after them."""
    out = ""
    for i, piece in enumerate(_PARTICLE.split(template)):
        if i % 2 == 0:
            out += piece.format(**values)
        else:
            out += GRAMMAR[0](out, piece)[len(out) :] if GRAMMAR else _BOTH.get(piece, piece)
    return out


def either(items: Iterable[str]) -> str:
    """``a or b or c``, the "or" in the user's language."""
    return functools.reduce(lambda a, b: FILES_OR(first=a, second=b), items)


def listed(items: Iterable[str]) -> str:
    """``a, b, c``, the separator in the user's language (Japanese: a、b、c);
    ``""`` for no items."""
    found = list(items)
    if not found:
        return ""
    return functools.reduce(lambda a, b: LIST_ITEMS(first=a, second=b), found)


def readable(template: str) -> str:
    """A template for a person to read: each particle ``{|은}`` as its two forms, 은(는)."""
    return _PARTICLE.sub(lambda m: _BOTH.get(m.group(1), m.group(1)), template)


def listing(language: str) -> str:
    """Every message by code, one a line, in ``language`` (``reportgen messages``)."""
    lines = []
    for code, message in sorted(CATALOG.items()):
        found = translation(code, language) if language != "en" else None
        english = (
            message.english if message.plural is None else f"{message.english} / {message.plural}"
        )
        lines.append(f"{code}  {_one_line(readable(found or english))}")
    return "\n".join(lines) + "\n"


def _one_line(template: str) -> str:
    """A template as one line to read: its lines joined (with no space after
    Japanese or Korean full stops' kin: 。), a tab as a space, and the braces a
    template doubles to print one shown once ({{name}} prints {name})."""
    joined = re.sub(r"(?<=[。、：）」])\n+", "", template).replace("\n", " ").replace("\t", " ")
    return re.sub(r" {2,}", " ", joined).replace("{{", "{").replace("}}", "}")


def declared(english: str) -> str:
    """The catalog's message (one that takes no values) whose English is
    ``english``, else ``english`` as it is: for a text a library copied out
    of its ``Text`` (click cleans each option's help into a plain string)."""
    return _by_english().get(english, english)


@functools.cache
def _by_english() -> dict[str, Text]:
    return {m.english: m() for m in CATALOG.values() if not m.fields() and m.plural is None}


def user_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the user reads, from the locale variables (GNU gettext's
    order): the first that is set decides; English for C, POSIX or a language
    reportgen has no catalog for. ``LANGUAGE`` may list several (``fr:ko``)."""
    env = os.environ if environ is None else environ
    for variable in _VARIABLES:
        value = env.get(variable, "")
        if not value:
            continue
        for item in value.split(":") if variable == "LANGUAGE" else (value,):
            base = re.split(r"[_.@-]", item.strip(), maxsplit=1)[0].lower()
            if base in LANGUAGES:
                return base
        if variable != "LANGUAGE":
            return "en"
    return "en"


def shown(value: object, language: str | None = None) -> object:
    """``value`` as the user reads it: a ``Text`` in their language, anything
    else as it is."""
    if isinstance(value, Text):
        return value.in_language(language or user_language())
    return value


def say(value: str, language: str | None = None) -> str:
    """A message for the terminal or a page: ``shown`` for a string."""
    result = shown(value, language)
    return result if isinstance(result, str) else str(result)


def codes_shown(language: str | None = None) -> bool:
    """Whether a line carries its code: always outside English, on request
    (``REPORTGEN_CODES=1``) in English, whose lines are the contract's."""
    return (language or user_language()) != "en" or os.environ.get("REPORTGEN_CODES") == "1"


def with_code(line: str, message: str, language: str | None = None) -> str:
    """``line`` followed by `` [RG101]`` when codes are shown and ``message``
    has one: the code of what it says, not of a frame around it (``column
    'date': …`` shows the code of the problem with the date)."""
    if not (isinstance(message, Text) and codes_shown(language)):
        return line
    while message.code in _FRAMES:
        said = message.values.get("message")  # a frame's own words, before any other value
        inner = (
            said
            if isinstance(said, Text)
            else next((v for v in message.values.values() if isinstance(v, Text)), None)
        )
        if inner is None:
            break
        message = inner
    return f"{line} [{message.code}]"


def translation(code: str, language: str) -> str | None:
    """The translated template of ``code`` in ``language`` (its forms joined by
    `` / `` for a count), ``None`` when the catalog lacks it or it is stale."""
    message = CATALOG[code]
    found = _translations(language).get((code, message.english))
    if found is None:
        return None
    return found if isinstance(found, str) else " / ".join(found)


@functools.cache
def _translations(language: str) -> dict[tuple[str, str], str | tuple[str, ...]]:
    """``language``'s catalog: (code, English) to its template. The catalog is
    read as Babel writes it (a .po file); a stale entry, whose English has
    changed since it was translated, is not used."""
    from babel.messages.pofile import read_po  # only a language other than English

    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as file:
        catalog = read_po(file, locale=language)
    found: dict[tuple[str, str], str | tuple[str, ...]] = {}
    for entry in catalog:
        if not entry.id or entry.fuzzy or not entry.context:
            continue
        english = str(entry.id[0] if isinstance(entry.id, tuple | list) else entry.id)
        strings = entry.string
        if isinstance(strings, tuple | list):
            if all(strings):
                found[(entry.context, english)] = tuple(strings)
        elif strings:
            found[(entry.context, english)] = strings
    return found


# The catalog. Codes are stable: a message that goes keeps its code retired;
# a new one takes the next free code of its block.
# RG0xx the command line and its summaries, RG1xx tables and their cells,
# RG2xx settings and the report folder, RG3xx narrative, RG4xx files the build
# reads or embeds (the file gate, archives), RG5xx building and
# output, RG6xx send, RG7xx tables and their cells (RG1xx is full), RG8xx
# starter files of `reportgen new`, RG9xx --help.

# --- the command line ---
WARNING_PREFIX = Message("RG001", "warning: {message}")
MORE_LIKE = Plural(
    "RG002",
    '{count:,} more like "{message}" (not shown)',
    '{count:,} more like "{message}" (not shown)',
)
DID_YOU_MEAN = Message("RG003", " (did you mean '{choice}'?)")
ON_PAGE = Message("RG043", "{path}: page {page}")  # where a problem is in a PDF the build made
PROBLEMS_FOUND = Plural(
    "RG004",
    "{count} problem found; nothing was written",
    "{count} problems found; nothing was written",
)
STRICT_WARNINGS = Plural(
    "RG005",
    "--strict: {count} warning; nothing was written",
    "--strict: {count} warnings; nothing was written",
)
STRICT_PREFLIGHT_WARNINGS = Plural(
    "RG006",
    "--strict: {count} preflight warning; nothing was written",
    "--strict: {count} preflight warnings; nothing was written",
)
PROBLEMS_NOTHING_SENT = Plural(
    "RG007", "{count} problem found; nothing was sent", "{count} problems found; nothing was sent"
)
STOPPED_BY_SIGNAL = Message("RG008", "reportgen: stopped by {signal}; nothing was written")
REPORTGEN_SAYS = Message("RG009", "reportgen: {message}")
REPORTGEN_ERROR = Message("RG010", "reportgen: error: {message}")
INTERRUPTED = Message("RG011", "reportgen: interrupted; nothing was written")
INTERNAL_ERROR = Message("RG012", "reportgen: internal error: {kind}: {detail}{hint}")
RUN_WITH_DEBUG = Message("RG013", " (run with --debug for details)")
WROTE_FILE = Message("RG014", "wrote {path} ({size})")
WROTE_FILE_PAGES = Message("RG015", "wrote {path} ({size}, {pages} pages)")
BUILT_FILES = Message("RG016", "built {count} files in {seconds:.1f} s")
CHECK_FAILED = Message(
    "RG017", "reportgen: {errors} error(s), {warnings} warning(s) in {years}{strict}"
)
CHECK_STRICT_NOTE = Message("RG018", " (--strict: warnings fail)")
CHECK_CLEAN = Message("RG019", "{years}: no problems")
CHECK_CLEAN_WARNINGS = Message("RG020", "{years}: no problems ({warnings} warning(s))")
SEND_FAILED = Message("RG021", "failed: {who}: {why}")
SEND_UNKNOWN = Message("RG022", "unknown, maybe sent: {who}")
SEND_REFUSED = Message("RG023", "refused address: {who}: {why}")
SEND_MISMATCHED = Message("RG024", "letter does not match its donor, not sent: {who}: {why}")
SEND_COUNTS = Message(
    "RG025",
    "{sent} sent, {already} already sent before, {failed} failed, {unknown} unknown, "
    "{changed} changed and not resent, {refused} refused, {without} without an email{mismatched}",
)
SEND_COUNTS_MISMATCHED = Message("RG026", ", {count} not matching their letter")
SEND_TEST_ADDRESS = Message("RG027", "{counts} (to the test address {address})")
SEND_DRY_RUN = Message("RG028", "dry run: nothing was sent (add --send to send)")
SEND_STOPPED = Message(
    "RG029",
    "reportgen: stopped after {count} message(s); the send log is up to date: run the same "
    "command again to send the rest",
)
NOT_A_DAY = Message("RG030", "{value!r} is not a day ({reason}), e.g. 2025-04-01")
WRITE_IT_AS_DAY = Message("RG031", "write it YYYY-MM-DD")
CREATED_FILE = Message("RG032", "created {path}")
NEXT_STEP = Message("RG033", "next: fill in {folder} and run: reportgen check {report_dir}")
PREVIEWING = Message("RG034", "previewing {year}")
CANNOT_LISTEN = Message("RG035", "cannot listen on 127.0.0.1:{port}: {reason}")
STOPPED = Message("RG036", "stopped")
SERVING = Message("RG037", "Serving {url} (Ctrl-C to stop)")
HELP_USAGE = Message("RG038", "Usage: ")
HELP_OPTIONS = Message("RG039", "Options")
HELP_COMMANDS = Message("RG040", "Commands")
HELP_ARGUMENTS = Message("RG041", "Arguments")
HELP_DEFAULT = Message("RG042", "[default: {value}]")  # after an option's help
HELP_EXTRAS = Message("RG743", "[{value}]")  # after an option's help: its range, "required"
# The words click puts after an option (its metavar) and its range, as the help shows them.
HELP_METAVAR_FOLDER = Message("RG968", "DIRECTORY")
HELP_METAVAR_NUMBER = Message("RG969", "INTEGER RANGE")
HELP_METAVAR_TAG = Message("RG970", "TEXT")  # --language: a language tag
HELP_METAVAR_ADDRESS = Message("RG971", "ADDRESS")
HELP_AT_LEAST = Message("RG972", "x>={low}")
HELP_BETWEEN = Message("RG973", "{low}<=x<={high}")
HELP_REQUIRED = Message("RG974", "required")
HELP_HEADING = Message("RG975", "{heading}:")  # a help section's heading (Options:)

# --- progress of a build and the plan of a send ---
WAITING_FOR_BUILD = Message("RG062", "waiting for another build of {out} to finish")
NOTHING_CHANGED = Message("RG063", "nothing changed since the last build")
RENDERING_PLAN = Message("RG064", "rendering {documents} of {years} in {processes}")
N_DOCUMENTS = Plural("RG096", "{count} document", "{count} documents")
N_YEARS = Plural("RG097", "{count} year", "{count} years")
N_PROCESSES = Plural("RG098", "{count} process", "{count} processes")
N_MESSAGES = Plural("RG099", "{count} message", "{count} messages")
N_DONORS = Plural("RG046", "{count} donor", "{count} donors")
DOCUMENT_FROM_CACHE = Message("RG065", "{name}: {edition} ({language}) unchanged, from the cache")
DOCUMENT_DONE = Message("RG066", "{name}: {edition} ({language}) done in {seconds:.1f} s")
# An edition as a progress line names it (core/editions.py): the English is its name.
EDITION_ANNUAL_REPORT = Message("RG044", "annual-report")
EDITION_HANDOUT = Message("RG045", "handout")
EDITION_DONOR = Message("RG049", "donor")
RECEIPTS_STEP = Message("RG067", "{name}: receipts")
DONOR_LETTERS_STEP = Message("RG068", "{name}: donor letters")
RENDERING_BAR = Message("RG069", "rendering {label}")
SENDING_BAR = Message("RG070", "sending")
SEND_NOT_CONFIRMED = Message("RG071", "not confirmed: nothing was sent")
SEND_WHOM_TEST = Message("RG072", "the test address {address}")
SEND_WHOM_DONORS = Message("RG073", "{count} donors")
SEND_QUESTION = Message("RG074", "Send {count} to {whom} through {server} as {sender}?")
SEND_LOG_AT = Message("RG075", "send log: {path}")
SEND_LOG_ALSO = Message("RG076", "  also read: {path} (the log of an earlier reportgen)")
SEND_LOG_COPIED = Message(
    "RG077", "copied {count} record(s) of the earlier send log {older} into {path}"
)
SEND_PLAN_DONORS = Message("RG078", "{count}; letters in {folder}")
SEND_PLAN_TO_SEND = Message("RG079", "  to send{target}: {count}{per}")
SEND_PLAN_TARGET = Message("RG080", " to the test address {address}")
SEND_PLAN_ALREADY = Message("RG081", "  already sent: {count}")
SEND_PLAN_NO_EMAIL = Message("RG082", "without an email")
SEND_PLAN_REFUSED = Message("RG083", "refused addresses (never sent to; fix the email column)")
SEND_PLAN_MISMATCH = Message(
    "RG084", "no letter of this build matches the donor's row (never sent)"
)
SEND_PLAN_CHANGED = Message(
    "RG085", "letter changed since it was sent (not resent without --resend-changed)"
)
SEND_PLAN_UNKNOWN = Message(
    "RG086",
    "unknown, maybe sent: a send was cut off mid-message (check the server's sent mail; resend "
    "only with --resend-unknown)",
)
SEND_PLAN_COUNT = Message("RG087", "  {title}: {count}")
SEND_PLAN_MORE = Message("RG088", "    and {count} more")
SEND_SERVER = Message("RG089", "server: {server} ({security}); {login}")
SEND_NO_LOGIN = Message("RG090", "no login")
SEND_LOGIN = Message("RG091", "login {username}, password from {source}")
SEND_KEYRING = Message("RG092", "the system keyring (service {service})")
SEND_MESSAGE_HEAD = Message("RG093", "--- message {number} of {total} ---")
SEND_READS = Message("RG094", "(reads: {readable})")
SEND_ATTACHED = Message("RG095", "[attached: {name}, {size:.0f} KB]")

# --- the preview's pages (reportgen serve) ---
SERVE_PROBLEMS_TITLE = Message("RG050", "The report has problems to fix")
SERVE_PROBLEMS_HINT = Message("RG051", "Fix them and save: this page comes back by itself.")
SERVE_PROBLEMS_PDF_HINT = Message("RG052", "Fix them and save, then ask for the PDF again.")
SERVE_INTERNAL_HINT = Message(
    "RG053", "An internal error (run reportgen build with --debug for details):"
)
SERVE_PREVIEW_BADGE = Message("RG054", "Preview")
SERVE_NOT_BUILT = Message("RG055", "The preview could not be built")
SERVE_REQUEST_FAILED = Message("RG056", "The request failed")
SERVE_PDF_FAILED = Message("RG057", "{name}.pdf could not be rendered")
SERVE_PROCESS_ENDED = Message("RG058", "the render process ended with {how}")
SERVE_TOO_LONG = Message("RG059", "the render took longer than {seconds:.0f} s")
SERVE_SIGNAL = Message("RG060", "signal {number}")
SERVE_EXIT_STATUS = Message("RG061", "exit status {number}")

# --- tables and their cells ---
IN_COLUMN = Message("RG100", "column '{column}': {problem}")
NOT_A_DATE = Message("RG101", "'{value}' is not a date (YYYY-MM-DD)")
NOT_A_WHOLE_NUMBER = Message("RG102", "'{value}' is not a whole number")
NOT_A_NUMBER = Message("RG103", "'{value}' is not a number")
AMOUNT_CURRENCY_TWICE = Message("RG165", "'{value}' is not a number (write the currency once)")
AMOUNT_CURRENCY_UNKNOWN = Message(
    "RG166", "'{value}': the report's currency is unknown (set currency in report.toml)"
)
AMOUNT_OTHER_CURRENCY = Message(
    "RG167",
    "'{value}' is an amount in {other}, but the report's currency is {currency} (currency in "
    "report.toml): write amounts in {currency}, converted",
)
NEGATIVE = Message("RG104", "{value} is negative; it must be 0 or more")
TOO_LARGE = Message("RG105", "the number is too large: numbers must be below {limit:,}")
TOO_LARGE_POWER = Message(
    "RG106", "the number is too large: numbers must be below {limit:,} (10^15)"
)
TOO_MANY_PLACES = Message(
    "RG107", "the number has {places:,} decimal places; {what} may have at most {allowed}"
)
WHAT_A_NUMBER = Message("RG108", "a number")
WHAT_AN_AMOUNT = Message("RG109", "an amount")
WHAT_AN_AMOUNT_IN = Message("RG110", "an amount in {currency}")
NOT_ONE_OF = Message("RG111", "'{value}' is not one of {choices}{hint}")
EMPTY_BUT_REQUIRED = Message("RG112", "column '{column}' is empty but required")
OUTSIDE_YEAR = Message(
    "RG113",
    "column '{column}': {day} is outside the fiscal year {label} ({start} to {end})",
)
TOO_LONG = Message(
    "RG114",
    "column '{column}': {length:,} characters, at most {longest} fit where it is shown{why}",
)
OWN_CHOICE = Message(
    "RG115", "column '{column}': '{value}' is shown as a {column} of its own{hint}"
)
FILE_EMPTY_REQUIRED = Message("RG116", "the file is empty: it needs at least a header row")
FILE_EMPTY_LEFT_OUT = Message("RG117", "the file is empty; the table is left out")
MISSING_COLUMN_NEAR = Message(
    "RG118", "missing required column {named} (found '{found}': did you mean '{meant}'?)"
)
MISSING_COLUMN = Message(
    "RG119",
    "missing required column {named}: the header has {header}; the {table} table's columns "
    "are {known} ({required} required){more}{other}",
)
# RG119 of a header in the user's language: their names first, the ids after.
MISSING_COLUMN_OWN = Message(
    "RG700",
    "missing required column '{own}' ({column}): the header has {header}; the columns of {table} "
    "are {names} (or in English {ids}); {required} required{other}",
)
COLUMN_IN_LIST = Message("RG701", "'{name}'")  # a column in a list of them
TABLE_OWN_NAMED = Message("RG702", "the {own} table ({file})")
COLUMN_OWN_NAMED = Message(
    "RG703", "'{column}' ('{own}')"
)  # its id, its name in the header's language
COLUMN_QUOTED = Message("RG704", "'{column}'")
NOTE_TAX_ID = Message(  # data/README.txt, under the donors' columns
    "RG705",
    "tax_id: the donor's own tax number, printed on their receipt only; keep the file where "
    "only those who issue receipts can read it",
)
# RG119's {more} and {other}: what the user may also write, in their words.
COLUMNS_IN_LANGUAGES = Message("RG168", ", or {names}")
HEADER_IN_OTHER_LANGUAGE = Message(
    "RG169",
    '; the header is written in {tag}\'s column names: add "{tag}" to languages in '
    "report.toml, or write the names in English",
)
NO_COLUMN_NAMES = Message("RG120", "no column names")
COLUMN_TWICE = Message("RG121", "column '{column}' appears twice{both}")
UNKNOWN_COLUMN = Message(
    "RG122",
    "unknown column '{column}' is kept as an extra field{hint}, neither shown nor attached to "
    "the PDF (only a theme's templates can use it)",
)
UNKNOWN_COLUMN_NEAR = Message(
    "RG123",
    "unknown column '{column}' is kept as an extra field{hint}, neither shown nor attached to "
    "the PDF (only a theme's templates can use it): rename it, or its values are left out of "
    "the report",
)
TABLE_NO_ROWS = Message("RG124", "the {table} table has no rows")
GUARDED_BY_LANGUAGE = Message(
    "RG125",
    "column '{column}': '{real}' cannot differ by language (it decides who sees a row); "
    "remove the column",
)
GUARDED_LOOKALIKE = Message(
    "RG126",
    "column '{column}' looks like '{real}', which decides who sees each row; it is never "
    "guessed: name the column '{real}', or rename it to something unlike it",
)
DUPLICATE_ID = Message("RG127", "duplicate {what} {column} '{ident}' (first used at {first})")
DUPLICATE_WHAT_DONOR = Message("RG128", "donor")
AT_LINE = Message("RG129", "line {line}")
MILESTONE_UNIT = Message(
    "RG130",
    "column '{column}': the value is text (a milestone), which is set as written: the unit is "
    "not shown",
)
MILESTONE_COMPARED = Message(
    "RG131",
    "column '{column}': the value '{value}' is text (a milestone), which has no {column} to "
    "compare it with: leave '{column}' empty, or give a number as value",
)
SHARE_LEFT_OUT = Message(
    "RG132",
    "the share of spending on programmes is left out of the key figures; give each expense "
    "{program}, {fundraising} or {administration}",
)
NO_FUNCTION_COLUMN = Message("RG133", "no column '{column}': {left_out}")
EXPENSES_WITHOUT_FUNCTION = Plural(
    "RG134",
    "column '{column}': {count:,} expense has none ({shown}), so {left_out}",
    "column '{column}': {count:,} expenses have none ({shown}), so {left_out}",
)
DONOR_LANGUAGE_NOT_BUILT = Message(
    "RG135",
    "language '{tag}' is not one this report builds ({languages}): the letter is written in "
    "{first}{hint}",
)
DONOR_EMAIL_UNUSABLE = Message(
    "RG136", "column '{column}': {problem}; reportgen send will not write to it"
)
DONOR_WITHOUT_ADDRESS = Message(
    "RG189",
    "donor '{donor}' has no address: the letter has no address block and cannot go in a "
    "window envelope (address it by hand, or give the row an address)",
)
NOT_A_DONOR = Message("RG137", "column '{column}': '{ident}' is not a donor ({why}){hint}")
NO_DONORS_TABLE = Message("RG138", "no donors table")
NO_SUCH_DONOR_ID = Message("RG139", "the donors table has no such id")
DONOR_AMOUNT_DIFFERS = Message(
    "RG140",
    "donor '{ident}': amount {amount} differs from the sum of their gifts ({total}); the "
    "gifts' sum is used",
)
RECEIPTS_WITHOUT_GIFTS = Message(
    "RG141", "[receipts] is set but the year has no gifts (data/gifts), so no receipt is made"
)
BENEFIT_INCOMPLETE = Message(
    "RG221",
    "a gift's benefit needs both what the donor received ('benefit') and your good-faith "
    "estimate of its value ('benefit_value'): '{missing}' is empty",
)
BENEFIT_OVER_AMOUNT = Message(
    "RG222", "column 'benefit_value': {value} is more than the gift itself ({amount})"
)
BENEFIT_REFUSED = Message(
    "RG223",
    "column 'benefit': the donor received something for this gift ('{benefit}'), and "
    '{written} gives no receipt for such a gift (benefits = "refused": there it is not a '
    "deductible gift); take the gift out of data/gifts, or record only the part that is a "
    "gift, as your adviser says",
)
GIFT_AID_UNDECLARED = Message(
    "RG224",
    "column 'gift_aid': the gift is marked Gift Aid, but donor '{ident}' has no Gift Aid "
    "declaration date ('gift_aid_declared' in the donors table): Gift Aid is claimed only "
    "under a declaration, and the donor's statement quotes its date",
)
GIFT_AID_BENEFIT_LIMIT = Message(
    "RG225",
    "column 'benefit_value': {value} is above HMRC's donor-benefit limit for a gift of "
    "{amount} ({limit}), so the gift cannot be Gift Aided: mark it gift_aid no",
)
GIFT_AID_BENEFIT_CAP = Message(
    "RG226",
    "column 'benefit_value': the donor's benefits on Gift Aided gifts come to {total} in this "
    "UK tax year, above HMRC's limit of {cap}: mark this gift gift_aid no",
)
UNKNOWN_DONOR_PLACEHOLDER = Message(
    "RG142",
    "unknown placeholder '{placeholder}': the donors table has no column '{column}' "
    "(its columns: {columns}){hint}",
)
UNKNOWN_DONOR_PLACEHOLDER_NO_TABLE = Message(
    "RG143",
    "unknown placeholder '{placeholder}': the donors table has no column '{column}' "
    "(there is no donors table){hint}",
)
OUTCOMES_NOT_SET = Message(
    "RG229",
    "'{{{{outcomes}}}}' says what the year's gifts did, but report.toml sets no 'outcomes': "
    'add outcomes = "gave …" (the end of a sentence), or take the placeholder out',
)
NARRATIVE_LANGUAGE_MISSING = Message(
    "RG144", "narrative '{slug}' has no {language} version (add {stem}.{language}.md)"
)
NO_OVERVIEW = Message(
    "RG145",
    "no mission statement or overview in the narrative (add e.g. narrative/02-overview.md)",
)
NO_PUBLIC_ACTIVITIES = Message("RG146", "no public activities: the year has no summary{said}")
NO_BOARD = Message("RG147", "no board members listed (people table){said}")
NO_INCOME = Message("RG148", "no income in the finances table{said}")
NO_EXPENSE = Message("RG149", "no expense in the finances table{said}")
WHERE_SAID = Message("RG150", ": {said}")

# --- reading a table's file (reading/readers/tables.py) ---
TABLE_READER_KIND = Message("RG151", "a table is read from {kinds} files, not {suffix}")
THIS_FILE = Message("RG152", "this file")
NOT_UTF8 = Message(
    "RG153", "the file is not valid UTF-8 (byte 0x{byte:02x}); save it as 'CSV UTF-8'"
)
CELL_TOO_LONG = Message(
    "RG154",
    "{what}: the cell holds {length:,} characters; the limit is {limit:,} (put long text in a "
    "narrative file)",
)
CELL_NOT_TEXT = Message(
    "RG155", "{what}: character {index} is {char}, which is not text: delete it"
)
CELL_COLUMN_NAMED = Message("RG156", "column '{name}'")
CELL_COLUMN_NUMBERED = Message("RG157", "column {number}")
CELL_IN_HEADER = Message("RG158", "the header, {what}")
TABLE_TOO_LARGE = Message(
    "RG159",
    "the table is too large: more than {rows:,} rows or {cells:,} cells (an annual report's "
    "table is far smaller; is this the right file?)",
)
TABLE_FILE_TOO_LARGE = Message(
    "RG160", "the file is {size:,.0f} MB; the limit for a table is {limit} MB"
)
RECORD_CELLS = Message(
    "RG161",
    "{count} cells, the header has {header}: quote the cell that contains a comma "
    '("Leeds, UK"), or remove the extra cells',
)
CANNOT_READ_CSV = Message("RG162", "cannot read CSV: {reason}")
CANNOT_READ_WORKBOOK = Message("RG163", "cannot read the workbook: {reason}")
HEADER_ROW_TAKEN = Plural(
    "RG164",
    "row {header} is taken as the header; row {first} above it ('{shown}') is ignored",
    "row {header} is taken as the header; rows {first}-{last} above it ('{shown}') are ignored",
)

# --- the report folder (reading/report_folder.py) ---
TABLE_GIVEN_TWICE = Message(
    "RG170", "table '{name}' is given both as {first} and {second}: keep one"
)
MISSING_FILE = Message("RG171", "missing required file: data/{name}.csv (or data/{name}.xlsx)")
MISSING_SHEET = Message(
    "RG172",
    "missing required table '{name}': no sheet of {book} is named '{name}' (its sheets: "
    "{sheets}), and there is no {files}",
)
NO_SHEETS = Message("RG173", "none")
FILES_OR = Message("RG174", "{first} or {second}")
UNKNOWN_TABLE_FILE = Message("RG175", "unknown table '{name}' is ignored{hint}")
DECLARE_TABLE = Message(
    "RG176", '; to show it, declare it in report.toml: [tables.{stem}] title = "..."'
)
SHEET_NEAR_IGNORED = Message(
    "RG177",
    "sheet '{sheet}' is named like no table and is ignored{hint}; table '{table}' is read from "
    "{source}",
)
SHEET_NEAR = Message(
    "RG178",
    "sheet '{sheet}' is named like no table{hint}: rename the sheet '{table}' to read it as "
    "that table",
)
SHEET_UNUSED = Message("RG179", "sheet '{sheet}' of {book} matches no table and is ignored{how}")
SHEET_DECLARE = Message(
    "RG180",
    "; to show it, name it like a table, or declare it in report.toml: [tables.{stem}] title "
    '= "..."',
)
SHEET_RENAME = Message(
    "RG181", "; to show its rows, name the sheet like a table (docs/report-format.md)"
)

# --- settings: report.toml and organization.toml (reading/config.py) ---
KEY_FIGURES_NOT_LIST = Message(
    "RG230", '\'key_figures\' must be a list of names, e.g. ["indicators", "income"]'
)
KEY_FIGURES_UNKNOWN = Message(
    "RG231", "'key_figures': unknown figure '{name}'{hint} (choose from {choices})"
)
KEY_FIGURES_TWICE = Message("RG232", "'key_figures': '{name}' is listed twice")
SETTING_NOT_TEXT = Message(
    "RG233", "'{name}': character {index} is {char}, which is not text: delete it"
)
TOML_SYNTAX = Message("RG234", "TOML syntax error: {reason}")
MISSING_REPORT_TOML = Message("RG235", "missing required file report.toml")
NOT_A_NON_EMPTY_STRING = Message("RG236", "'{key}' must be a non-empty string")
END_BEFORE_START = Message("RG237", "'end' ({end}) is before 'start' ({start})")
NOT_ISO_CURRENCY = Message("RG238", "'currency': '{currency}' is not an ISO 4217 code")
PDF_TABLE_ROWS = Message(
    "RG239", "'pdf_table_rows': {value!r} is not a whole number >= 0 (0: no limit)"
)
NOT_TRUE_OR_FALSE = Message("RG240", "'{key}': {value!r} is not true or false")
LABELS_NOT_TABLES = Message("RG241", "'labels' must be tables such as [labels.en-GB]")
LABELS_NOT_WORDS = Message("RG242", "'labels.{tag}' must be a table of words")
LABELS_TAG_PROBLEM = Message("RG243", "[labels.{tag}]: {problem}")
LABELS_MISSING = Message(
    "RG244",
    "{have}: give every missing word in [labels.{tag}] (`reportgen labels --language {tag}` "
    "prints them all); missing: {missing}",
)
LABELS_PACK_LACKS = Message(
    "RG245", "'{tag}': its language pack lacks {count} of the {total} words"
)
LABELS_NO_PACK = Message("RG246", "'{tag}' has no built-in language pack")
NOT_A_LIST_OF_STRINGS_EG = Message(
    "RG247", "'{key}' must be a list of non-empty strings, e.g. [\"Charity no. 1\"]"
)
MISSING_KEY_IN_TABLE = Message("RG248", "missing required key '{key}' in [{table}]")
MISSING_KEY = Message("RG249", "missing required key '{key}'")
NOT_A_TOML_DATE = Message(
    "RG250", "'{key}' must be a TOML date such as 2012-09-01 (without quotes)"
)
NOT_ONE_OF_SETTING = Message("RG251", "'{key}': {value!r} is not one of {choices}{hint}")
NOT_A_LIST_OF_STRINGS = Message("RG252", "'{key}' must be a non-empty list of strings")
MISSING_ORGANIZATION = Message(
    "RG253", "missing required table [organization] (here or in ../organization.toml)"
)
NOT_A_WEBSITE = Message("RG254", "'website': {value!r} is not an http(s) address")
NOT_AN_EMAIL = Message("RG255", "'email': {value!r} is not an e-mail address")
UNUSED_WITHOUT_COVER = Message("RG256", "'{key}' without 'cover_image' is unused")
COVER_NEEDS_ALT = Message(
    "RG257",
    "'cover_image' needs 'cover_image_alt': say what the picture shows, for readers who cannot "
    "see it",
)
UNKNOWN_SETTING = Message("RG284", "unknown key '{name}'{where}{hint}")
UNKNOWN_SETTING_LANGUAGE = Message(
    "RG285",
    "unknown key '{name}'{where}: '{tag}' is not a language of this report (language, languages)",
)
UNKNOWN_SETTING_NO_TRANSLATION = Message(
    "RG286", "unknown key '{name}'{where}: '{base}' does not translate, so this value is not used"
)
SETTING_IN_TABLE = Message("RG287", " in [{table}]")
# What a receipt preset needs (RG277's {need}: reading/receipt_presets.py).
NEED_REGISTRATION = Message(
    "RG288",
    "the organisation's registration (organization.registration, or [receipts] registration)",
)
NEED_ADDRESS = Message("RG289", "the organisation's address (organization.address)")
NEED_BASIS = Message("RG290", "the legal basis of its eligibility ([receipts] basis)")
NEED_DONOR_ADDRESS = Message("RG291", "each donor's address (the donors table's `address` column)")
NEED_DONOR_TAX_ID = Message("RG292", "each donor's tax number (the donors table's `tax_id` column)")
PASSWORD_IN_FILE = Message(
    "RG283",
    "'password' does not belong in a file of the report folder: set the environment variable "
    "REPORTGEN_SMTP_PASSWORD or store it in the system keyring (see `reportgen send --help`), "
    "and delete this line",
)
THEME_DIR_PROBLEM = Message("RG258", "'theme_dir': '{raw}'{problem}")
NOT_A_THEME_VALUE = Message("RG259", "'{key}': {value!r} is not {hint}")
A_COLOUR_PRIMARY = Message("RG260", "a colour such as #1f3a5f")
A_COLOUR_ACCENT = Message("RG261", "a colour such as #c8553d")
A_FONT_NAME = Message("RG262", "a font family name (letters, digits, spaces, hyphens)")
NOT_A_PAGE_SIZE = Message("RG263", "'page_size': {value!r} is not one of A4, Letter{hint}")
NOT_A_HOST = Message("RG264", "'host': {value!r} is not a host name")
SECURITY_NONE_REMOTE = Message(
    "RG265",
    "'security': 'none' sends the password and the letters unencrypted, so it is only for a "
    "server on this machine (127.0.0.1 or localhost), not {host!r}: use 'starttls' or 'tls'",
)
NOT_A_PORT = Message("RG266", "'port': {value!r} is not a port number (1 to 65535)")
SUBJECT_PLACEHOLDER = Message(
    "RG267", "'{key}': unknown placeholder '{placeholder}': a subject can say {known}{hint}"
)
SIGNATORIES_NOT_LIST = Message(
    "RG268",
    "'signatories' must be a list of tables, each [[signatories]] with a name and a role, e.g. "
    'name = "Helen Okafor" and role = "Chair"',
)
SIGNATORY_UNUSED = Message(
    "RG269",
    "'signatory' is not used: 'signatories' in the same file names who signs (put the "
    "signatory first among them, and delete [signatory])",
)
SIGNATORY_NUMBER = Message("RG270", "signatory {number} of 'signatories'")
SIGNATORY_UNKNOWN_KEY = Message("RG271", "unknown key '{key}' in {said}{hint}")
SIGNATORY_NOT_STRING = Message("RG272", "'{key}' of {said} must be a non-empty string")
SIGNATORY_NO_NAME = Message("RG273", "{said} has no 'name': who signs?")
SIGNATURE_IMAGE_REFUSED = Message("RG293", "'signature_image' of {said}: {problem}")
ASKS_NOT_LIST = Message(
    "RG294",
    "'asks' must be a list of tables, each [[asks]] with 'from' (an amount) and 'text', e.g. "
    'from = 100 and text = "£100 keeps a lunch club open for a week."',
)
ASK_NUMBER = Message("RG295", "ask {number} of 'asks'")
ASK_NO_TEXT = Message("RG296", "{said} has no 'text': what does the letter ask?")
ASK_FROM = Message(
    "RG297", "'from' of {said} must be an amount of at least 0 (a number), not {value!r}"
)
ASK_TWICE = Message(
    "RG298",
    "{said} is for the same gifts as {other}: give each ask its own 'from' (and at most one "
    "'monthly = true')",
)
ASK_UNTRANSLATED = Message(
    "RG299",
    "'text_{tag}' is missing from [[asks]] number {numbers} (counted from the first): a letter "
    "in {tag} would ask in another language; give 'text_{tag}' in each",
)
ASK_MONTHLY_NOT_BOOL = Message("RG205", "'monthly' of {said} must be true or false, not {value!r}")
ASK_MONTHLY_FROM = Message(
    "RG206",
    "{said} is for monthly givers whatever their gift: its 'from' is not used (delete it)",
)
ASK_UNDECLARED = Message(
    "RG207",
    "'{{{{ask}}}}' but the settings declare no [[asks]]: the letter would ask nothing here; "
    "declare the asks in report.toml or organization.toml (see Letters that fit the donor)",
)
RECEIPTS_KEY_REQUIRED = Message(
    "RG274", "[receipts]: '{key}' is required (or choose a preset: {presets})"
)
RECEIPTS_LANGUAGE = Message("RG275", "'language': {problem}")
RECEIPTS_WORDS_LACKING = Message(
    "RG276",
    "[receipts]: the receipts are written in '{language}', whose words lack {missing}: give "
    "them in [labels.{language}]",
)
RECEIPTS_PRESET_NEEDS = Message(
    "RG277", "[receipts]: a {preset} receipt shows {need}, which is not given"
)
LABELS_ISSUE = Message("RG279", "[labels.{tag}] {problem}")
KEY_PROBLEM = Message("RG280", "'{key}': {problem}{hint}")
THING_PROBLEM = Message("RG281", "{what}: {problem}")
FIGURE_AGAINST_TABLE = Message(
    "RG282",
    "key figure '{name}' is {value} {unit}, but column '{column}' of {table} totals {total}: "
    "a reader sees both; make them agree, or give the figure another unit",
)
SEND_PLAN_ITEM = Message("RG047", "    {who}{reason}")
SEND_PLAN_REASON = Message("RG048", ": {reason}")
PAD_TO_MULTIPLE = Message(
    "RG278",
    "'pad_to_multiple_of': {value!r} is not a whole number from 1 to 16 (4 for a booklet, 1 for "
    "no padding)",
)

# --- declared tables (reading/table_registry.py) ---
TABLES_NOT_A_TABLE = Message("RG190", "'tables' must be a table of [tables.<name>] tables")
TABLE_BUILT_IN = Message(
    "RG191",
    "[tables.{name}]: '{name}' is a built-in table; its columns are fixed "
    "(docs/report-format.md); give your own table another name",
)
TABLE_BAD_NAME = Message(
    "RG192",
    "[tables.{name}]: a table's name is lowercase letters, digits, '-' and '_' (the file's name "
    "without .csv/.xlsx)",
)
TABLE_NOT_A_TABLE = Message("RG193", "'tables.{name}' must be a table ([tables.{name}])")
TABLE_KEY_PROBLEM = Message("RG194", "[tables.{name}] '{key}': {problem}")
TABLE_COLUMNS_LIST = Message("RG182", 'must be a list of column names, e.g. ["date", "hours"]')
TABLE_KEY_NOT_STRING = Message("RG183", "must be a non-empty string")
TABLE_TITLE_REQUIRED = Message("RG184", 'required: the section\'s title, e.g. title = "Volunteers"')
TABLE_DATE_COLUMN = Message("RG185", "must be a column name")
TABLE_EDITION_UNKNOWN = Message("RG186", "'{item}' is not one of {choices}{hint}")
TABLE_CARRY_OVER = Message("RG187", "{value!r} is not true or false")
TABLE_COLUMN_UNLISTED = Message(
    "RG188", "'{column}' is named as a date or number column but not listed"
)
TABLE_UNKNOWN_KEY = Message("RG195", "unknown key '{key}' in [tables.{name}]{hint}")

# --- narrative files' settings in report.toml (reading/narrative_front_matter.py) ---
NARRATIVE_NOT_TABLES = Message("RG196", "'narrative' must be tables: [narrative.\"<file>\"]")
NARRATIVE_NOT_SETTINGS = Message("RG197", '[narrative."{name}"] must be a table of settings')
NARRATIVE_GUARDED = Message(
    "RG198",
    "{label}: '{key}' looks like '{guarded}', which decides who sees this section; it is never "
    "guessed: write '{guarded}'",
)
NARRATIVE_UNKNOWN_KEY = Message("RG199", "{label}: unknown key '{key}'{hint}")
NARRATIVE_KEY_PROBLEM = Message("RG200", "{label} '{key}': {problem}")
NARRATIVE_ROLE_INTERNAL = Message(
    "RG201",
    "{label}: a file with role '{role}' gives wording to the public editions and letters: it "
    "cannot be internal",
)
NARRATIVE_NO_FILE = Message("RG202", '[narrative."{name}"]: there is no narrative/{name}{hint}')
NARRATIVE_WHOLE_NAME = Message("RG203", " (give the file's whole name)")
NARRATIVE_KEY_TWICE = Message(
    "RG204",
    "'{key}' of {name} is given both in its front matter (line {line}) and here: keep one",
)

# --- the accounts (reading/accounts.py) ---
FUND_SUM_DIFFERS = Message(
    "RG210",
    "column '{column}': fund '{fund}': its {column} is {given}, but the finances rows of the "
    "fund add up to {found}: correct one, or leave this cell empty to take the finances' sum",
)
BALANCE_SHEET_UNBALANCED = Message(
    "RG211",
    "the balance sheet does not balance: assets {assets} less liabilities {liabilities} is "
    "{net}, but the funds add up to {funds} (a difference of {difference})",
)
FUND_NOT_LISTED = Message(
    "RG212",
    "column 'fund': '{name}' is not in the funds table, which lists every fund (add a row for "
    "it, or name one of its funds)",
)
TRANSFERS_NOT_ZERO = Message(
    "RG213",
    "column 'transfers': the transfers between funds add up to {total}, not 0: a transfer out "
    "of one fund is a transfer into another",
)
FUND_OPENING_DIFFERS = Message(
    "RG214",
    "column 'opening': fund '{fund}' opens at {opening}, but {said} balance of the fund was "
    "{carried}: leave the cell empty to carry it forward, or correct last year's funds",
)
YEARS_CLOSING = Message("RG215", "{label}'s closing")
LAST_YEARS = Message("RG216", "last year's")
FUND_CLOSING_DIFFERS = Message(
    "RG217",
    "column 'closing': fund '{fund}' closes at {closing}, but opening {opening} + income "
    "{income} - expenditure {expenditure} + transfers {transfers} is {computed} (a difference "
    "of {difference})",
)
FUND_GONE = Message(
    "RG218",
    "fund '{fund}' closed last year at {closing} but is not in this year's funds: add it (a "
    "fund spent in full closes at 0)",
)
FUND_OPENING_UNKNOWN = Message(
    "RG219",
    "column 'opening': fund '{fund}': its opening balance is last year's closing one, but last "
    "year's folder has errors (check it on its own): mend them, or give the opening balance here",
)
BALANCE_FUNDS_DIFFER = Message(
    "RG220",
    "the balance sheet's funds add up to {on_sheet}, but the funds' closing balances (the funds "
    "table) add up to {closing} (a difference of {difference})",
)

# --- narrative files (reading/readers/narrative.py) ---
NARRATIVE_TOO_LARGE = Message(
    "RG300", "the file is {size:,.1f} MB; the limit for a narrative file is {limit} MB"
)
FILE_NOT_UTF8 = Message("RG301", "the file is not valid UTF-8")
FRONT_NOT_CLOSED = Message("RG302", "front matter opened with '---' is never closed")
FRONT_BAD_OPENING = Message(
    "RG303",
    "this line is meant to open front matter ('{key}:' follows) but is not '---': front matter "
    "starts with a line of exactly three hyphens, '---', and ends with another",
)
FRONT_NO_OPENING = Message(
    "RG304",
    "'{key}:' looks like front matter, but there is no '---' line above it: put the front "
    "matter between two lines of '---' at the top of the file (if it is meant as text, start "
    "the file with something else)",
)
FRONT_KEY_AFTER = Message(
    "RG305",
    "'{key}:' comes after the front matter's closing '---' (line {line}), where it would be "
    "printed as text: put every key between the first two '---' lines",
)
NARRATIVE_NOT_TEXT = Message("RG306", "column {column} is {char}, which is not text: delete it")
FRONT_PROBLEM = Message("RG307", "front matter: {problem}")
FRONT_NOT_KEYS = Message("RG308", "front matter must be 'key: value' lines")
FRONT_KEY_TWICE = Message("RG309", "front matter: '{key}' is given twice (lines {lines}): keep one")
FRONT_KEY_TIMES = Message(
    "RG311", "front matter: '{key}' is given {count} times (lines {lines}): keep one"
)
FRONT_VALUE_NOT_TEXT = Message(
    "RG310", "front matter '{key}': character {index} is {char}, which is not text: delete it"
)

# --- Word documents (reading/readers/word.py) ---
WORD_UNREADABLE = Message("RG330", "cannot read the document: {reason}")
WORD_TOO_MANY_PICTURES = Message(
    "RG331", "the document holds {count:,} pictures; the limit is {limit}"
)
WORD_LINKED_PICTURE = Message(
    "RG332",
    "picture {number} is linked to a file outside the document, which is never fetched: insert "
    "the picture itself (Insert > Pictures > This Device)",
)
WORD_OUTSIDE_FIELD = Message(
    "RG333",
    "a {kind} field brings in another file or program, which is never done: select it and "
    "press Ctrl+Shift+F9 to keep its text, or delete it",
)
WORD_STALE_FIELD = Message(
    "RG334",
    "a {kind} field shows the text Word last displayed; reportgen never updates fields "
    "(Ctrl+Shift+F9 in Word makes it plain text)",
)
WORD_NO_ALT = Message(
    "RG335",
    "picture {number} has no alt text, so it is shown as a decorative picture (screen readers "
    "skip it): if it says something, in Word, right-click it > View Alt Text and say what it "
    "shows",
)
WORD_PICTURE_UNREADABLE = Message("RG336", "picture {number} cannot be read from the document")
WORD_PICTURE_TOO_LARGE = Message(
    "RG337",
    "picture {number} is larger than {limit} MB, the most a picture may be: make it smaller in "
    "Word (Picture Format > Compress Pictures)",
)
WORD_TOO_MUCH_TEXT = Message(
    "RG338",
    "the document holds {size:,.1f} MB of text; the limit for a narrative file is {limit} MB "
    "(some 300 pages)",
)
WORD_NOT_TEXT = Message("RG339", "the paragraph holds {char}, which is not text: delete it")

WORD_TOO_BIG = Message(
    "RG373",
    "the document is {size:,.0f} MB; the limit for a Word document is {most} MB (make its "
    "pictures smaller)",
)
WORD_DAMAGED = Message(
    "RG374", "cannot read the document (it is damaged, or not a Word document): {reason}"
)
WORD_ENCRYPTED = Message(
    "RG375",
    "the document is password-protected (encrypted), so it cannot be read: in Word, File > "
    "Info > Protect Document > Encrypt with Password, clear the password and save",
)
WORD_BINARY = Message(
    "RG376",
    "this is an old binary Word document (.doc) named .docx: in Word, File > Save As 'Word "
    "Document (*.docx)'",
)
WORD_NO_TYPES = Message(
    "RG377",
    "this is not a Word document (no [Content_Types].xml): save it from Word as .docx",
)
WORD_MACROS = Message(
    "RG378",
    "the document holds macros (a .docm renamed .docx?), which are never read: in Word, File > "
    "Save As 'Word Document (*.docx)'",
)
WORD_NOT_WORD = Message(
    "RG379", "this is not a Word document: save it from Word as 'Word Document (*.docx)'"
)
WORD_PART_TOO_BIG = Message(
    "RG380",
    "the document's part {part} is {size:,.0f} MB of XML; the limit is {most} MB (split the "
    "document)",
)
WORD_PART_DTD = Message(
    "RG381", "the document's part {part} declares a DTD (line {line}), which Word never writes"
)
WORD_PART_NOT_XML = Message(
    "RG382",
    "cannot read the document (it is damaged): its part {part} is not well-formed XML (line "
    "{line}: {reason})",
)
WORD_XML_BAD = Message("RG383", "{name} is not well-formed XML ({reason})")
WORD_NO_MAIN = Message(
    "RG384",
    "this is not a Word document (its _rels/.rels must name exactly one main document part): "
    "save it from Word as 'Word Document (*.docx)'",
)
WORD_MAIN_MISSING = Message(
    "RG385",
    "this is not a Word document (its main part {part!r} is missing): save it from Word as "
    "'Word Document (*.docx)'",
)
WORD_MAIN_OUTSIDE = Message(
    "RG386",
    "this is not a Word document (its main part 'outside it' is missing): save it from Word "
    "as 'Word Document (*.docx)'",
)

# --- narrative text (reading/narrative_html.py) ---
NO_TITLE = Message("RG340", "the narrative has no title: {how}")
NO_TITLE_WORD = Message(
    "RG341",
    "give its first line Word's 'Title' or 'Heading 1' style, or set title in report.toml "
    '[narrative."{name}"]',
)
NO_TITLE_MARKDOWN = Message("RG342", "add a '# Heading' or 'title:' front matter")
TODO_NEVER_PRINTED = Message(
    "RG343",
    "still holds the 'TODO:' prompt from reportgen new, which is never printed: replace it "
    "with the section's text",
)
TODO_STILL_THERE = Message(
    "RG344", "still holds a 'TODO:' prompt from reportgen new: replace it with the text"
)
ONLY_PROMPT = Message(
    "RG345",
    "has no text yet, only reportgen new's prompt: the section is left out of every edition "
    "until it has some",
)
LETTER_PLACEHOLDER = Message(
    "RG346",
    "unknown placeholder '{placeholder}': a letter can say {known} and "
    "{{{{donor.<column>}}}}{hint}",
)
ROLE_TWICE = Message(
    "RG347",
    "role '{role}' is already given by {other}: keep one file per role (and language, and for "
    "a letter, type of donor)",
)
TAX_YEAR_START = Message(
    "RG370",
    '\'tax_year_start\': {value!r} is not a day of the year as "MM-DD" (e.g. "01-01", '
    '"04-06", "07-01")',
)
RECEIPT_LANGUAGE_MISSING = Message(
    "RG371",
    "[receipts]: donors whose language is '{tag}' get their receipt in '{tag}', but {written} is "
    "written in '{language}': give {keys} in [receipts] (wording your adviser confirmed), or "
    "remove their language from the donors table",
)
THE_PRESET = Message("RG372", "the preset {preset}")
FRONT_KEY_PROBLEM = Message("RG366", "front matter '{key}': {problem}")
VALUE_NOT_ONE_OF = Message("RG367", "{value!r} is not one of {choices}{hint}")
SUMMARY_TOO_LONG = Message("RG368", "must be a non-empty string of at most {most} characters")
DONORS_ONLY_LETTER = Message(
    "RG369", "'donors' is only for a letter file: a '{role}' file serves every donor"
)
WORKLOAD_ONE_FILE = Message(
    "RG348",
    "{total:,} {name}: the narrative of one document may hold at most {limit:,}; split the text "
    "into fewer {name} or shorten it",
)
WORKLOAD_FILES = Message(
    "RG349",
    "{what} would hold {total:,} {name} ({each}); the narrative of one document may hold at "
    "most {limit:,}",
)
WORKLOAD_MORE_FILES = Message("RG350", " and {count:,} more files")
THE_LANGUAGE_DOCUMENTS = Message("RG351", "the {language} documents")
THE_DOCUMENTS = Message("RG352", "the documents")
FRONT_GUARDED = Message(
    "RG353",
    "front matter key '{key}' looks like '{guarded}', which decides who sees this section; it "
    "is never guessed: write '{guarded}'",
)
FRONT_UNKNOWN_KEY = Message("RG354", "unknown front matter key '{key}'{hint}")
FRONT_NOT_ONE_OF = Message("RG355", "front matter '{key}': {value!r} is not one of {choices}{hint}")
ROLE_NOT_INTERNAL = Message(
    "RG356",
    "a file with role '{role}' gives wording to the public editions and letters: it cannot be "
    "'visibility: internal'",
)
FRONT_TITLE_EMPTY = Message("RG357", "front matter 'title' must be a non-empty string")
URL_NOT_ALLOWED = Message(
    "RG358",
    "{what} '{url}' is not allowed: use a file inside the report folder or an http(s) URL",
)
URL_OTHER_HOST = Message("RG359", "{what} '{url}' points to another host")
URL_PROBLEM = Message("RG360", "{what} '{url}' {problem}")
URL_REFUSED = Message("RG361", "{what} '{url}' is refused: {reason}")
IMAGE_NO_ALT = Message(
    "RG362",
    "image '{url}' has no alt text, so it is shown as a decorative picture (screen readers skip "
    "it): if it says something, write it in the brackets: ![…]({url})",
)
LINK_NOWHERE = Message(
    "RG363",
    "link '#{target}' names no part of the report, so it is printed as plain text: link to a "
    "narrative section as '#s-<name>' (its file name without number, language and extension) "
    "or to one of {anchors}",
)
WHAT_IMAGE = Message("RG364", "image")
WHAT_LINK = Message("RG365", "link")

# --- a theme (typesetting/templating.py) ---
TEMPLATE_ERROR = Message("RG320", "template error: {problem}")
THEME_LINK_OUTSIDE = Message("RG321", "the theme file is a link to outside the theme folder")
EXTRA_CSS_LINK_OUTSIDE = Message("RG322", "extra.css is a link to outside the theme folder")
CSS_ENDS_STYLE = Message(
    "RG323", "a stylesheet may not hold '{found}' (it would end the style element)"
)
CSS_URL_REFUSED = Message("RG324", "url({url}) is refused: {reason}")
CSS_HOLDS_MARKUP = Message(
    "RG325",
    "{what} holds '{found}' once its escapes are decoded: a stylesheet may not hold markup or "
    "anything that ends the style element",
)
CSS_NOT_VALID = Message("RG326", "not valid CSS: {reason}")
CSS_IMPORT_REFUSED = Message("RG327", "@import is refused: put every rule in extra.css itself")
CSS_REFUSED = Message("RG328", "'{value}' is refused in a stylesheet")
CSS_MARKUP_REFUSED = Message("RG329", "'<{value}' is refused in a stylesheet (markup)")

# --- building and writing (commands/build.py, writing/, typesetting/) ---
NO_SUCH_FOLDER = Message("RG500", "{folder}: no such folder")
NOT_A_REPORT = Message(
    "RG501",
    "{folder}: neither a report year (no report.toml) nor a report set (no sub-folder holds a "
    "report.toml)",
)
UNKNOWN_EDITION = Message("RG502", "unknown edition '{name}' (choose from {choices})")
OUT_IS_SOURCE = Message(
    "RG503",
    "--out {out}: the output folder is the report folder {source}, which the build reads; "
    "choose a folder outside it",
)
OUT_INSIDE_SOURCE = Message(
    "RG504",
    "--out {out}: the output folder is inside the report folder {source}, which the build "
    "reads; choose a folder outside it",
)
OUT_HOLDS_SOURCE = Message(
    "RG505",
    "--out {out}: the output folder holds the report folder {source}, which the build reads; "
    "choose a folder outside it",
)
EARLIER_YEAR_LEFT_OUT = Message(
    "RG506",
    "this earlier year has errors (check it on its own), so it is left out of the comparison",
)
CANNOT_WRITE_OUTPUT = Message("RG507", "cannot write to the output folder {folder}: {reason}")
NOT_FOLLOWED = Message(
    "RG508",
    "{path}: {what} is {found}, which reportgen never follows or uses: remove it (a {kind} is "
    "made in its place)",
)
FOUND_LINK = Message("RG509", "a symbolic link")
FOUND_FOLDER = Message("RG510", "a folder")
FOUND_NOT_REGULAR = Message("RG511", "not a regular file")
RECEIPT_LOG_REFUSED = Message(
    "RG512",
    "the receipt log {why}: receipts cannot be numbered (it must be a regular file beside the "
    "year folder, never a symbolic link)",
)
SEND_LOG_BUSY = Message(
    "RG513",
    "another `reportgen send` of this year is sending (it holds this log); wait for it to end",
)
MISSING_ANCHOR = Message("RG514", "{document}: links to {shown}, which the page does not have")
HTML_EDITION_HOLDS = Message("RG515", "the HTML edition holds {problem}")
PICTURE_REFUSED = Message("RG516", "a picture of the page was refused: {reason}")
TEMPLATE_HTML_FORBIDDEN = Message(
    "RG517",
    "template error: the HTML edition would hold {problem}, which a report page may not have "
    "(nothing in it may run, load or redirect)",
)
NOTES_PAGES = Message("RG518", "the notes page gave {extra} pages, not the {count} needed")
RENDER_FAILED_ON = Message(
    "RG519", "{what}: it failed on {part}{where} ({message}); correct or replace it"
)
FAILED_IN_PARAGRAPH = Message("RG520", " in its paragraph {paragraph}")
FAILED_ON_LINK = Message("RG521", "the link to '{target}'")
FAILED_ON_PICTURE = Message("RG522", "the picture '{name}'")

# --- files the build reads or embeds (core/file_gate.py, readers' archives) ---
GATE_NAMED = Message("RG400", "'{name}'")
GATE_IT = Message("RG401", "it")
GATE_NO_SUCH_FILE = Message("RG402", "{it}: no such file")
GATE_OUTSIDE = Message("RG403", "{it} is outside the report folder")
GATE_HIDDEN = Message("RG404", "{it} is a hidden file")
GATE_INPUT_FILE = Message("RG405", "{it} is a data, settings or narrative file")
GATE_IN_DATA = Message("RG406", "{it} is inside a data folder")
GATE_TOO_BIG = Message("RG407", "{it} is {size:.1f} MB; pictures may be at most {most} MB")
GATE_NOT_IN_THEME = Message("RG408", "{it} is not a path inside the theme folder")
GATE_OUTSIDE_THEME = Message("RG409", "{it} is outside the theme folder")
GATE_IN_DATA_OR_NARRATIVE = Message("RG410", "{it} is inside a data or narrative folder")
GATE_NOT_TEMPLATE = Message("RG411", "{it} is not a template (a {suffix} file)")
GATE_TEMPLATE_TOO_BIG = Message("RG412", "{it} is larger than {most:,} bytes")
GATE_NO_BASE = Message("RG413", "relative URL without a base: {url}")
GATE_NOT_FETCHED = Message("RG414", "'{url}' is not fetched during a build")
GATE_PIXELS = Message(
    "RG415", "{what} has more than {millions} million pixels, the most a picture may have"
)
GATE_NOT_A_PICTURE = Message(
    "RG416", "{what} is not a picture of an allowed kind (PNG, JPEG, GIF, WebP or SVG)"
)
GATE_DAMAGED = Message("RG417", "{what} is a damaged picture ({reason})")
GATE_SVG_DTD = Message(
    "RG418", "{what} is an SVG with a DOCTYPE or entities, which pictures may not have"
)
GATE_SVG_BAD = Message("RG419", "{what} is not a well-formed SVG ({reason})")
GATE_NOT_SVG = Message("RG420", "{what} is not an SVG picture")
GATE_SVG_ELEMENT = Message("RG421", "{what} is an SVG with a <{tag}> element")
GATE_SVG_SCRIPT = Message("RG422", "{what} is an SVG with a script attribute ({attribute})")
GATE_SVG_IMPORT = Message("RG423", "{what} is an SVG whose style imports another file")
GATE_SVG_REFERS = Message(
    "RG424", "{what} is an SVG that refers to another file or address ({target})"
)
GATE_BAD_BASE64 = Message("RG425", "'{url}' is not valid base64")
GATE_EMBEDDED = Message("RG426", "an embedded picture")
GATE_INSIDE = Message("RG427", "a picture inside {what}")
GATE_PICTURE_NUMBER = Message("RG428", "picture {number}")
ARCHIVE_UNREADABLE = Message("RG430", "cannot read the {what}: {reason}")
ARCHIVE_PARTS = Message("RG431", "the {what} holds {count:,} parts; the limit is {most:,}")
ARCHIVE_PART_BIG = Message(
    "RG432", "the {what}'s part {part} inflates to {size:,.0f} MB; the limit is {most} MB"
)
ARCHIVE_BOMB = Message(
    "RG433",
    "the {what}'s part {part} is compressed {ratio:,.0f} to 1 (the limit is {most} to 1): it "
    "looks like a zip bomb",
)
ARCHIVE_TOTAL = Message("RG434", "the {what} inflates to {size:,.0f} MB; the limit is {most} MB")
ARCHIVE_WORKBOOK = Message("RG435", "workbook")
ARCHIVE_DOCUMENT = Message("RG436", "document")
THEME_IS_SET = Message(
    "RG437", " is the report set itself: give the theme a folder of its own, such as 'theme'"
)
THEME_OUTSIDE = Message("RG438", " is outside the report folder")
THEME_HIDDEN = Message("RG439", " is a hidden folder")
THEME_IN_INPUT = Message(
    "RG440",
    " is inside a data, narrative or output folder: give the theme a folder of its own",
)
THEME_IN_YEAR = Message(
    "RG441",
    " is a year folder or inside one: put the theme beside the year folders (in the report "
    "set, such as 'theme' next to organization.toml)",
)
THEME_NO_FOLDER = Message("RG442", ": no such folder")
THEME_HOLDS_FOLDER = Message(
    "RG443", " holds a {name} folder: a theme folder holds templates and pictures only"
)
THEME_HOLDS_YEAR = Message(
    "RG444", " holds a year folder or settings: a theme holds templates and pictures only"
)
LINK_ABSOLUTE = Message("RG445", "must be relative to the report folder")
LINK_NOT_FOUND = Message("RG446", "not found in the report folder")
LINK_LEAVES = Message("RG447", "leaves the report folder")
SAY_REST_IN_NOTE = Message("RG448", ": say the rest in its note")
LIBRARY_REASON = Message("RG449", "{reason}")  # a library's own words, framed outside English

# --- the preflight's findings (typesetting/preflight.py, commands/build.py) ---
PREFLIGHT = Message("RG540", "preflight: {kind}: {message}")
PF_OVERLAP = Message("RG541", "text over text")
PF_OUTSIDE = Message("RG542", "outside its box")
PF_SPARSE = Message("RG543", "sparse page")
PF_LONE_HEADING = Message("RG544", "lone heading")
PF_BROKEN = Message("RG545", "broken word")
PF_MISSING_GLYPH = Message("RG546", "missing glyph")
PF_ONE_CHARACTER_FONT = Message("RG547", "font for one character")
PF_TABLE_REMNANT = Message("RG548", "table remnant")
PF_FIGURE_APART = Message("RG549", "figure apart")
PF_RUNNING_HEAD = Message("RG550", "running head")
PF_SHORT_PAGE = Message("RG551", "page left short")
PF_SECTION_BREAK = Message("RG552", "section break")
PF_NO_BLEED = Message("RG553", "no bleed")
PF_PAGE_COUNT = Message("RG554", "page count")
PF_OVER_PAGES = Message("RG555", "over its pages")
PF_OUTSIDE_PAGE = Message("RG556", "{name} reaches past the edge of the page")
PF_WIDER_THAN_BOX = Message("RG557", "{name} is {over:.0f} pt wider than its box")
PF_BELOW_AREA = Message("RG558", "{name} runs {over:.0f} pt below the page's text area")
PF_CUT_OFF = Message(
    "RG559",
    "{name} is cut at the foot of the page after “{last}”: the rest of it is printed nowhere "
    "(a float or a box that cannot break): let it break, or move it into the flow",
)
PF_NAME_TEXT = Message("RG560", "text “{text}”")
PF_NAME_PICTURE = Message("RG561", "picture “{text}”")
PF_A_PICTURE = Message("RG562", "a picture")
PF_NAME_TABLE = Message("RG563", "table “{text}”")
PF_A_TABLE = Message("RG564", "a table")
PF_DATE_BROKEN = Message("RG565", "the date “{date}” is broken after “{before}”")
PF_WORD_BROKEN = Message("RG566", "“{word}” is broken after “{before}”")
PF_HEADING_ENDS_PAGE = Message("RG567", "the heading “{heading}” ends the page")
PF_PAGE_FULL = Message("RG568", "the page is {percent} % full{why}")
PF_SPILL = Message("RG569", " (the end of what the page before began)")
PF_WOULD_SHARE = Message(
    "RG570",
    "“{title}” ({height:.0f} mm) starts the next page, though it would fit below this "
    "page's content: let it share the page",
)
PF_EDGE_NO_BLEED = Message(
    "RG571", "“{name}” is printed to the edge of a page without 3 mm of bleed"
)
PF_SHORT_OF_BLEED = Message("RG572", "{edge}, short of the 3 mm bleed")
PF_OVER_PAGES_TEXT = Message(
    "RG573",
    "{pages} pages where the edition has {allowed}: leave out what gives way (charts, key "
    "figures, a table) or shorten the text",
)
PF_NOT_A_MULTIPLE = Message("RG574", "{pages} pages, not a multiple of {multiple}")
PF_TABLE_UNDER = Message("RG575", "the table under “{heading}”")
PF_REMNANT = Message(
    "RG576",
    "{rows} of the {total} rows of {name} are alone on this page (at least {least} on either "
    "side of a break)",
)
PF_FIGURE_SPLIT = Message("RG577", "the figure “{title}” is split across pages {first} and {last}")
PF_FIGURE_FROM_HEADING = Message(
    "RG578",
    "the figure “{title}” is on page {page}, its heading “{heading}” on page {heading_page}",
)
PF_HEAD_NAMES = Message(
    "RG579", "the running head names “{shown}”, but the page opens in “{expected}”"
)
PF_LOW_RUN_ON = Message(
    "RG580",
    "“{title}” starts low on a page and runs on: in this edition a section starts a "
    "page, unless it shares one whole or the page before it is more than 40 % empty",
)
PF_NEAR_EMPTY = Message("RG596", "near-empty page")
PF_CUT = Message("RG599", "cut text")
PF_NEAR_EMPTY_TEXT = Message(
    "RG597",
    "the page is {percent} % empty: let the next section or table share it, or fill it on purpose",
)
PF_NOTES_PAGES = Message(
    "RG598",
    "{notes} notes pages make up the count of {pages}: more than {most} look blank; fit the "
    "content to {target} pages",
)
PF_FORCED_BREAK = Message("RG581", "“{title}” starts a new page: in this edition sections run on")
PF_DRAWN_OVER = Message("RG582", "“{first}” and “{second}” are drawn over each other")
PF_OVER_PAINT = Message("RG583", "“{text}” is drawn over a painted box")
PF_TOUCH = Message("RG584", "“{first}” and “{second}” touch (less than 1 mm apart)")
PF_NO_FONT = Message("RG585", "no font has “{char}” (U+{point:04X})")
PF_FONT_FOR_ONE = Message("RG586", "{face} is embedded for “{char}” (U+{point:04X}) alone")
PF_EDGE_STOPS = Message("RG587", "“{name}” stops at the {sides} trim edge")
PF_SIDE_LEFT = Message("RG588", "left")
PF_SIDE_TOP = Message("RG589", "top")
PF_SIDE_RIGHT = Message("RG590", "right")
PF_SIDE_BOTTOM = Message("RG591", "bottom")
PF_BOTH = Message("RG592", "{first} and {second}")
PF_AFTER_LETTER = Message(
    "RG593", "{message} (page {page} of the donor edition after each {language} letter)"
)
PF_AFTER_EACH_LETTER = Message(
    "RG594", "{message} (page {page} of the donor edition after each letter)"
)
PF_MORE_LETTERS = Plural(
    "RG595",
    "{message} (and in {count} more letter)",
    "{message} (and in {count} more letters)",
)

# --- reportgen new (commands/new.py) ---
NEW_FORMS_WITH_FROM = Message(
    "RG810",
    "--workbook and --word are for a new starter; with --from the new year keeps the kinds of "
    "files the previous one has",
)
NEW_EXISTS = Message(
    "RG811",
    "{target}: already exists ({what}); reportgen new never overwrites or follows anything "
    "there: choose a new name",
)
NEW_EXISTS_LINK = Message("RG812", "a symbolic link to {target}")
NEW_EXISTS_IT = Message("RG813", "it")
NEW_NOT_A_YEAR = Message("RG814", "{source} is not a report year (it has no report.toml)")
NEW_START_WITH_FROM = Message(
    "RG815",
    "--start is for a new starter; with --from the year begins the day after the end of {source}",
)
NEW_CANNOT_MAKE = Message("RG816", "{target}: cannot be made: {reason}")
NEW_PAST_LAST_DAY = Message(
    "RG817",
    "{what}: the fiscal year would end (or be published, {days} days later) after {last}, the "
    "last day a date can be; choose an earlier start",
)
NEW_CANNOT_READ = Message("RG818", "{path}: cannot be read: {reason}")
NEW_NOT_UTF8 = Message("RG819", "it is not UTF-8 text")
NEW_FIX_FIRST = Message("RG820", "{path}: {problem}; fix it first (reportgen check)")
NEW_NEEDS_DATES = Message("RG821", "{path} needs TOML dates 'start' and 'end'")
NEW_NEXT_PAST_LAST_DAY = Message(
    "RG822",
    "{path}: the year after it would end (or be published) after {last}, the last day a date "
    "can be",
)
NEW_CANNOT_ROLL = Message("RG823", "{path}: cannot be rolled forward: {reason}")

# --- addresses and language tags (reading/email_addresses.py, core/languages) ---
ADDRESS_SEPARATOR = Message("RG612", "{value!r} holds {what}: give exactly one address")
A_COMMA = Message("RG613", "a comma")
A_SEMICOLON = Message("RG614", "a semicolon")
A_LINE_BREAK = Message("RG615", "a line break")
ADDRESS_SPACES = Message("RG616", "{value!r} holds spaces or characters that are not text")
ADDRESS_NOT_ASCII = Message(
    "RG617", "{value!r} is not plain ASCII: write the domain in its xn-- form"
)
ADDRESS_QUOTED = Message("RG618", "{value!r}: quoted names and address literals are not accepted")
ADDRESS_NOT_EMAIL = Message("RG619", "{value!r} is not an e-mail address")
ADDRESS_NOT_EMAIL_EG = Message("RG620", "{value!r} is not an e-mail address (name@example.org)")
SENDER_NOT_TEXT = Message("RG621", "{value!r} holds a line break or characters that are not text")
SENDER_SEVERAL = Message("RG622", "{value!r} names several addresses: give exactly one")
SENDER_NOT_ADDRESS = Message(
    "RG623", "{value!r} is not an address such as 'LFNKR <contact@example.org>'"
)
NOT_A_TAG = Message("RG624", "{tag!r} is not a language tag such as en, en-GB, ja, ko, de")
NOT_IN_CLDR = Message("RG625", "{tag!r} is not a language that CLDR knows")

# --- reportgen send (commands/send.py) ---
SEND_ONE_YEAR = Message(
    "RG600",
    "{report_dir} is a report set: send the letters of one year at a time, e.g. reportgen send "
    "{year}",
)
SEND_TO_PROBLEM = Message("RG601", "--to: {problem}")
SEND_NO_EMAIL_SETTINGS = Message(
    "RG602",
    "no [email] settings: add an [email] table with at least 'host' and 'from' to report.toml "
    "or ../organization.toml (see docs/report-format.md)",
)
SEND_NO_DONOR_EDITION = Message(
    "RG603", "'editions' leaves out 'donor', so the build makes no letters to send"
)
SEND_BAD_HEADER = Message("RG604", "'email.{key}': {value!r} {problem}")
SEND_BAD_NAME = Message(
    "RG605",
    "column 'name': {name!r} {problem}: no message can carry it; nothing is sent until it is fixed",
)
SEND_BAD_SUBJECT = Message(
    "RG606",
    "the subject made for this donor, {subject!r}, {problem}: no message can carry it; nothing "
    "is sent until it is fixed",
)
SEND_TORN_RECORD = Message(
    "RG607",
    "a torn or unreadable record of the send log (a crash while it was written, or an edit by "
    "hand): counted as maybe sent for {who}",
)
SEND_TORN_EVERY = Message("RG608", "every donor not recorded as sent after it")
SEND_LETTER_UNREADABLE = Message("RG609", "the letter cannot be read ({reason})")
SEND_NO_PASSWORD = Message(
    "RG610",
    "no password for {username}: set {variable}, or store it with `keyring set {service} "
    "{username}`; nothing was sent",
)
SEND_NOTHING_SENT = Message("RG611", "{problem}; nothing was sent")

# Messages that frame another: a line shows the code of the one inside.
_FRAMES = frozenset({IN_COLUMN.code, WARNING_PREFIX.code, REPORTGEN_SAYS.code,
                     REPORTGEN_ERROR.code, PREFLIGHT.code, PF_AFTER_LETTER.code,
                     PF_AFTER_EACH_LETTER.code, PF_MORE_LETTERS.code})  # fmt: skip

# --- --help: the commands and their options ---
HELP_HELP = Message("RG900", "Show this message and exit.")
HELP_VERSION = Message("RG901", "Show the version and exit.")
HELP_DEBUG = Message("RG902", "Show tracebacks and debug logging.")
HELP_CLI = Message(
    "RG903",
    "Turn a folder of NGO data and Markdown into an annual report.\n\n"
    "REPORT_DIR is one fiscal year (a folder with report.toml) or a report set (a folder of "
    "such years). See the report folder format in the README.",
)
HELP_BUILD = Message(
    "RG904",
    "Validate REPORT_DIR and write its editions under OUT/<year>/.\n\n"
    "Editions: annual-report (PDF and HTML), handout (members), donor (and one letter per row "
    "of data/donors when that table exists).",
)
HELP_BUILD_OUT = Message("RG905", "Folder the year folders are written into.")
HELP_BUILD_EDITION = Message(
    "RG906", "Build only this edition (repeatable). Default: report.toml's 'editions'."
)
HELP_BUILD_LANGUAGE = Message(
    "RG907",
    "Build only this language of the report, a tag such as en, en-GB, ja, ko (repeatable), and "
    "the letters of its donors; the other languages' files stay as they were. Default: all.",
)
HELP_BUILD_JOBS = Message(
    "RG908",
    "Processes that render the documents, a single document's charts and the donor letters "
    "(1: all in this process). Default: one per core this process may use.",
)
HELP_BUILD_PDF_VARIANT = Message(
    "RG909",
    "The standard the PDFs claim (default: report.toml's pdf_variant, else pdf/ua-1). pdf/a-3b "
    "for archiving; the annual report always carries its data tables as CSV.",
)
HELP_BUILD_PRINT_MARKS = Message("RG910", "Crop marks and 3 mm bleed for a print shop.")
HELP_BUILD_NO_CACHE = Message(
    "RG911", "Render everything anew (the cache lives in OUT/.reportgen-cache, safe to delete)."
)
HELP_BUILD_STRICT = Message(
    "RG912",
    "Fail (exit 2, nothing written) on any warning: of the input (an unknown key or column, an "
    "empty table...) or of the preflight of the laid-out pages (text over text, content outside "
    "its box, sparse and near-empty pages, lone headings, broken words, missing glyphs, fonts "
    "embedded for one character, table remnants, figures apart, running heads, pages left "
    "short, section breaks, and with [print] bleed and page counts).",
)
HELP_QUIET = Message("RG913", "Print only problems.")
HELP_LABELS = Message(
    "RG914",
    "Print every word of a language pack as a [labels.<tag>] block to paste into "
    "organization.toml or report.toml, then the settings that take a translation into that "
    "language.",
)
HELP_LABELS_LANGUAGE = Message(
    "RG915", "The language tag whose words to print (en, en-GB, ja, ko, or any other)."
)
HELP_RECEIPTS = Message(
    "RG916",
    "Print a receipts preset as a [receipts] table to paste into report.toml and edit: "
    "starting text, never advice (confirm it with your adviser).",
)
HELP_RECEIPTS_PRESET = Message("RG917", "The jurisdiction's starting text.")
HELP_CHECK = Message(
    "RG918",
    "Validate REPORT_DIR without writing anything; exit 2 on errors (with --strict, on warnings "
    "too).",
)
HELP_CHECK_STRICT = Message("RG919", "Fail (exit 2) on warnings too.")
HELP_SEND = Message(
    "RG920",
    "E-mail each donor of REPORT_DIR (one year) their letter, once.\n\n"
    "Builds first (as `reportgen build`), then sends through the [email] settings' server. The "
    "password comes from the environment variable REPORTGEN_SMTP_PASSWORD or the system keyring "
    "(`keyring set reportgen-smtp USERNAME`). Exit 0: all sent (or a clean dry run); 1: some "
    "not sent, each named; 2: bad settings or input, nothing sent.",
)
HELP_SEND_SEND = Message(
    "RG921",
    "Send. Without it, a dry run: show the plan and the first messages, send nothing.",
)
HELP_SEND_YES = Message("RG922", "With --send: do not ask before sending.")
HELP_SEND_TO = Message(
    "RG923",
    "Send every message to this one test address instead of the donors (not recorded in the "
    "send log).",
)
HELP_SEND_RATE = Message("RG924", "At most this many messages a minute.")
HELP_SEND_RESEND_CHANGED = Message(
    "RG925", "Send again the letters that changed since they were sent."
)
HELP_SEND_RESEND_UNKNOWN = Message(
    "RG926",
    "Send again the letters whose sending was cut off mid-message (they may have arrived: "
    "check first).",
)
HELP_SEND_RECEIPTS = Message(
    "RG927",
    "with: attach each donor's receipt (receipts/<name>.pdf) to the letter's message; only: "
    "send the receipts alone, one message per donor who has one.",
)
HELP_SEND_OUT = Message("RG928", "The output folder the build writes the letters into.")
HELP_NEW = Message(
    "RG929",
    "Start a new fiscal year in REPORT_DIR (which must not exist yet).\n\n"
    "Without --from, a complete starter with commented examples.",
)
HELP_NEW_FROM = Message(
    "RG930",
    "Roll this year's folder forward: dates, labels, titles (and their translations) and the "
    "publication day move on a year; tables keep their headers (people, coalitions and tables "
    "declared with carry_over = true keep their rows too); narrative keeps its titles with "
    "prompts.",
)
HELP_NEW_COPY_ASSETS = Message("RG931", "Also copy the previous year's assets/.")
HELP_NEW_START = Message(
    "RG932",
    "Without --from: the fiscal year's first day (it ends a year later less a day). Default: "
    "the first day of the year in progress as the organisation's country usually keeps it "
    "(1 April in Japan and the UK, 1 July in Australia), else 1 January.",
)
HELP_NEW_WORKBOOK = Message(
    "RG933",
    "Without --from: the starter data as one workbook, data/year.xlsx, a sheet per table with "
    "an example row (instead of a CSV file per table).",
)
HELP_NEW_WORD = Message(
    "RG934",
    "Without --from: the starter narrative as Word documents (.docx) instead of Markdown.",
)
HELP_SERVE = Message(
    "RG935",
    "Preview REPORT_DIR's HTML edition in a browser, rebuilt on every save.\n\n"
    "The page reloads by itself; invalid input shows its messages in the page. For a report "
    "set, the latest year is previewed. Ctrl-C stops it.",
)
HELP_MESSAGES = Message(
    "RG937",
    "Print every message reportgen can show, by its code, in your language (or the one "
    "--language names), as docs/messages.md lists them.",
)
HELP_MESSAGES_LANGUAGE = Message("RG938", "The language of the messages (en, ja or ko).")
HELP_SERVE_PORT = Message(
    "RG936", "Port on 127.0.0.1 (0: any free port). Nothing listens on other interfaces."
)

# --- click's own words: usage errors (cli.py), as click says them in English ---
CLICK_ERROR = Message("RG940", "Error: {message}")
CLICK_TRY_HELP = Message("RG941", "Try '{command} {option}' for help.")
CLICK_NO_SUCH_OPTION = Message("RG942", "No such option {name}.")
CLICK_NO_SUCH_COMMAND = Message("RG943", "No such command {name}.")
CLICK_DID_YOU_MEAN = Message("RG944", "{message} Did you mean {possibility}?")
CLICK_DID_YOU_MEAN_ONE_OF = Message("RG945", "{message} (Did you mean one of: {possibilities}?)")
CLICK_MISSING_ARGUMENT = Message("RG946", "Missing argument {name}.")
CLICK_MISSING_OPTION = Message("RG947", "Missing option {name}.")
CLICK_MISSING_CHOICE = Message("RG948", "Missing option {name}. Choose from:\n\t{choices}")
CLICK_INVALID_VALUE = Message("RG949", "Invalid value for {name}: {message}")
CLICK_NOT_THE_CHOICE = Message("RG950", "{value} is not {choice}.")
CLICK_NOT_ONE_OF = Message("RG951", "{value} is not one of {choices}.")
CLICK_NOT_IN_RANGE = Message("RG952", "{value} is not in the range {range}.")
CLICK_NOT_AN_INTEGER = Message("RG953", "{value} is not a valid integer.")
CLICK_FOLDER_IS_FILE = Message("RG954", "Directory {name} is a file.")
CLICK_NEEDS_VALUE = Message("RG955", "Option {name} requires an argument.")
CLICK_TAKES_NO_VALUE = Message("RG956", "Option {name} does not take a value.")
CLICK_EXTRA_ARGUMENTS = Plural(
    "RG957", "Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"
)
CLICK_ABORTED = Message("RG958", "Aborted!")
CLICK_INVALID = Message("RG959", "Invalid value: {message}")
CLICK_QUOTED = Message("RG960", "'{name}'")
CLICK_CHOICE = Message("RG939", "'{name}'")  # one of a list of choices
CLICK_OR = Message("RG961", "{first} / {second}")
CLICK_NOT_AN_INTEGER_RANGE = Message("RG964", "{value} is not a valid integer range.")
# A command's summary in the list of commands, where its help's first
# sentence is long (outside English only: the English list keeps that sentence).
SUMMARY_LABELS = Message("RG965", "Print a language pack's words, ready to paste.")
SUMMARY_MESSAGES = Message("RG966", "Print every message by its code.")
SUMMARY_RECEIPTS = Message("RG967", "Print a receipt preset.")
USAGE_OPTIONS = Message("RG962", "[OPTIONS]")  # the usage line's pieces
USAGE_COMMAND = Message("RG963", "COMMAND [ARGS]...")
_FRAMES |= {CLICK_ERROR.code}

# --- the starter files of `reportgen new` (in the report's first language) ---
NEW_WRITE = Message("RG800", "write {what}")
NEW_PROMPT_MESSAGE = Message(
    "RG801",
    "a letter from the representative to members and friends: what the year meant, thanks, and "
    "what comes next (300-400 words).",
)
NEW_PROMPT_OVERVIEW = Message(
    "RG802",
    "the year in overview: the context, the main achievements and the difficulties, with a few "
    "subheadings (400-600 words).",
)
NEW_PROMPT_STORIES = Message(
    "RG803",
    "one or two stories that show the work through the people it serves (250 words each; leave "
    "out anything that could identify someone at risk).",
)
NEW_PROMPT_ABOUT = Message(
    "RG804",
    "what this report covers, where its figures come from, and anything illustrative or estimated.",
)
NEW_PROMPT_GENERIC = Message("RG805", "this section's text for {fiscal_year}.")
NEW_TOML_HEAD = Message(
    "RG808",
    "report.toml: the settings of one fiscal year. Dates are TOML dates (no quotes).\n"
    "The full format: docs/report-format.md in the reportgen project.\n"
    'A key with _<tag> translates it (title_ja = "..."): `reportgen labels --language TAG`\n'
    "lists which do.",
)
NEW_TABLES_HELP = Message(
    "RG809",
    "One CSV (UTF-8) or XLSX file per table; the first row holds the column names.\n"
    "Required columns are marked *. Every table may also have 'visibility':\n"
    "public (the default) or internal (never shown in public editions).\n"
    "Example rows (dates are YYYY-MM-DD):",
)
NEW_EXAMPLE_ROW = Message("RG824", "  e.g. {row}")
NEW_TABLE_COLUMNS = Message("RG839", "{table}: {columns}")  # data/README.txt, a table a line
NEW_COLUMN_NAMED = Message("RG838", "{written} ({column})")  # a localised name, its id
NEW_COLUMN_REQUIRED = Message("RG837", "{column}*")
LIST_ITEMS = Message("RG836", "{first}, {second}")  # a list, in the user's language
THEME_COLOURS_CLOSE = Message(
    "RG826",
    "[theme]: primary_color and accent_color give chart colours {one} and {other}, only "
    "{apart} apart (CIE76) for some readers, who need {needed} to tell neighbouring "
    "categories apart: choose an accent_color farther from primary_color in hue or "
    "lightness (here or in organization.toml)",
)
NEW_TABLES_LANGUAGES = Message(
    "RG825",
    "The column names and values of {languages} (given first, the\n"
    "English name after it) and the English ones are both read.",
)
NEW_HEADING_MESSAGE = Message("RG806", "Message from the Representative")
# The starter report.toml's example values, in the report's first language.
NEW_EXAMPLE_TITLE = Message("RG827", "Annual Report {label}")
NEW_EXAMPLE_FISCAL_YEAR = Message("RG828", "FY{label}")
NEW_EXAMPLE_SIGNATORY = Message("RG829", "Your Name")
NEW_EXAMPLE_ROLE = Message("RG830", "Representative")
NEW_EXAMPLE_SUBJECT = Message("RG831", "Thank you, {{{{name}}}}")
NEW_EXAMPLE_COVER_ALT = Message("RG832", "Volunteers sorting food parcels")
NEW_HEADING_OVERVIEW = Message("RG807", "The Year in Overview")
NEW_EXAMPLE_STATEMENT = Message("RG885", "This receipt is for a gift.")
NEW_EXAMPLE_ORGANIZATION = Message("RG834", "Your Organisation")
NEW_EXAMPLE_ADDRESS = Message("RG833", "Street, City, Country")
NEW_EXAMPLE_SHORT_NAME = Message("RG741", "YO")  # the [organization] example's short name
# The note beside the starter's `start`: the default follows the country
# (reading/fiscal_years.py), the organisation's own year its articles.
NEW_START_NOTE = Message(
    "RG740",
    "the fiscal year your governing document sets: change start and end together",
)
# The example rows of the starter's tables (reading/table_registry.py declares
# each row; these are its words, shown in the report's first language).
EXAMPLE_ACTIVITY_TITLE = Message("RG886", "Spring seminar")
EXAMPLE_ACTIVITY_CATEGORY = Message("RG887", "Event")
EXAMPLE_ACTIVITY_LOCATION = Message("RG888", "Tokyo")
EXAMPLE_ACTIVITY_DESCRIPTION = Message("RG889", "Talk and discussion")
EXAMPLE_COALITION_NAME = Message("RG890", "Example Coalition")
EXAMPLE_COALITION_ROLE = Message("RG835", "member")
EXAMPLE_COALITION_DESCRIPTION = Message("RG891", "A network of NGOs")
EXAMPLE_LOBBYING_TARGET_TYPE = Message("RG892", "Ministry")
EXAMPLE_LOBBYING_TARGET = Message("RG893", "Ministry of Foreign Affairs")
EXAMPLE_LOBBYING_TOPIC = Message("RG894", "Refugee protection")
EXAMPLE_LOBBYING_OUTCOME = Message("RG895", "Follow-up agreed")
EXAMPLE_FINANCE_CATEGORY = Message("RG896", "Donations")
EXAMPLE_FUND = Message("RG897", "unrestricted")
EXAMPLE_FINANCE_NOTE = Message("RG898", "From individuals")
EXAMPLE_DONOR_NAME = Message("RG899", "Jane Doe")
EXAMPLE_DONOR_SALUTATION = Message("RG840", "Dear Ms Doe")
EXAMPLE_DONOR_ADDRESS = Message("RG841", "1 High Street, Town")
EXAMPLE_DONOR_POSTCODE = Message("RG742", "AB1 2CD")  # the example address's (review-ja F-11)
# The example donor's e-mail and letter language, the starter's own (review-ko K35-M3).
EXAMPLE_DONOR_EMAIL = Message("RG716", "jane@example.org")
EXAMPLE_DONOR_LANGUAGE = Message("RG717", "en")  # the language tag of the translation
# data/README.txt: a column's fixed values in the report's language, the ids after.
NEW_COLUMN_VALUES = Message("RG718", "  {column}: {values}")
NEW_VALUE_NAMED = Message("RG719", "{name} ({value})")
EXAMPLE_GIFT_METHOD = Message("RG842", "standing order")
EXAMPLE_INDICATOR_NAME = Message("RG843", "Meals served")
EXAMPLE_INDICATOR_UNIT = Message("RG844", "meals")
EXAMPLE_INDICATOR_NOTE = Message("RG845", "In three towns")
EXAMPLE_BALANCE_ITEM = Message("RG846", "Cash at bank")
EXAMPLE_BALANCE_NOTE = Message("RG847", "Current and deposit accounts")
EXAMPLE_FUND_NAME = Message("RG848", "Holiday lunch clubs")
EXAMPLE_FUND_NOTE = Message("RG849", "Meals for children in the school holidays")

# --- each setting's note: the docs' table and, as a comment, the starter report.toml ---
# (reading/settings.py declares the settings; these are their `doc`)
SETTING_TITLE = Message("RG850", 'the report\'s title, e.g. "Annual Report FY2012"')
SETTING_FISCAL_YEAR = Message(
    "RG851",
    'the year\'s label used in text, e.g. "FY2012"; a language without `fiscal_year_<tag>` '
    "names the year its own way (2012年度, 2012년도)",
)
SETTING_START = Message("RG852", "the fiscal year's first day")
SETTING_END = Message("RG853", "its last day (`start <= end`)")
SETTING_PUBLISHED = Message(
    "RG854",
    "the day the report is presented, shown on the cover and stamped as the PDFs' creation date",
)
SETTING_LANGUAGE = Message(
    "RG855",
    "the report's language (see Languages): headings, dates, numbers, currency",
)
SETTING_LANGUAGES = Message(
    "RG856",
    'instead of `language`: build every edition in each, e.g. `["en", "ja"]`',
)
SETTING_CURRENCY = Message("RG857", "ISO 4217 code of finances and donations")
SETTING_EDITIONS = Message("RG858", "which of `annual-report`, `handout`, `donor` to build")
SETTING_COVER_IMAGE = Message(
    "RG859",
    'a photograph for the covers (through the gate: see "Files a build may embed")',
)
SETTING_COVER_IMAGE_ALT = Message(
    "RG860",
    "required with `cover_image`: what it shows, for readers who cannot see it (the PDF's "
    "figure /Alt, the HTML's `alt`)",
)
SETTING_ORGANIZATION = Message("RG861", "required, here or in organization.toml")
SETTING_ORGANIZATION_NAME = Message("RG862", "the organisation's name")
SETTING_ORGANIZATION_SHORT_NAME = Message("RG863", "its short name")
SETTING_ORGANIZATION_WEBSITE = Message("RG864", "an http(s) address")
SETTING_ORGANIZATION_EMAIL = Message("RG865", "an e-mail address")
SETTING_ORGANIZATION_ADDRESS = Message("RG866", "its postal address")
SETTING_ORGANIZATION_LEGAL_FORM = Message(
    "RG228",
    "its legal form, printed before its name on the cover, the back cover and the receipts "
    "(特定非営利活動法人 北朝鮮難民救援基金); usually only in the language whose readers expect "
    "it (`legal_form_ja`)",
)
SETTING_ORGANIZATION_TELEPHONE = Message(
    "RG208",
    "its telephone number as printed (labelled Tel., TEL, 전화 by the language); "
    "`telephone_<tag>` for readers of another language, e.g. with the country code",
)
SETTING_ORGANIZATION_FAX = Message("RG209", "its fax number as printed, beside the telephone")
SETTING_ORGANIZATION_OFFICE_HOURS = Message(
    "RG227", "when the telephone is answered, e.g. `Mon–Fri 10:00–17:00`"
)
SETTING_ORGANIZATION_LOGO = Message("RG867", "a picture (through the gate)")
SETTING_THEME = Message("RG868", "the look of every edition")
SETTING_THEME_PRIMARY_COLOR = Message("RG869", "`#rgb` or `#rrggbb`")
SETTING_THEME_ACCENT_COLOR = Message("RG870", "`#rgb` or `#rrggbb`")
SETTING_THEME_PAGE_SIZE = Message("RG871", '`"A4"` or `"Letter"`')
SETTING_THEME_FONT = Message("RG872", "a font family name: letters, digits, spaces, hyphens")
SETTING_SIGNATORY = Message("RG873", "who signs the donor letter and the chair's message")
SETTING_SIGNATORY_NAME = Message("RG874", "who signs")
SETTING_SIGNATORY_ROLE = Message("RG875", "e.g. Representative")
SETTING_EMAIL = Message("RG876", "for `reportgen send` (see [email])")
SETTING_EMAIL_HOST = Message("RG877", "the SMTP server")
SETTING_EMAIL_SECURITY = Message("RG878", "`starttls`, `tls`, or `none` (127.0.0.1 only)")
SETTING_EMAIL_USERNAME = Message("RG879", "the login name (the password is never in a file)")
SETTING_EMAIL_FROM = Message("RG880", "the sender's address")
SETTING_EMAIL_SUBJECT = Message("RG881", "the subject line (placeholders as in `role: letter`)")
SETTING_RECEIPTS = Message("RG882", "a receipt per donor from data/gifts (see Receipts)")
SETTING_RECEIPTS_PRESET = Message(
    "RG883",
    "starting text: `au-dgr`, `uk-gift-aid`, `us-written-acknowledgment`, `jp-nintei-npo`, "
    "`kr-income-tax`; every key below overrides it",
)
SETTING_RECEIPTS_STATEMENT = Message(
    "RG884",
    "the statement the law asks for (`{{organization}}` is the organisation's name); required"
    " without `preset`; `statement_<tag>` for donors whose language is `<tag>`",
)
