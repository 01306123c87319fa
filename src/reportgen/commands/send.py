"""``reportgen send``: each donor's letter by e-mail, once and only once.

The last step after a build, and outside it: ``send`` first runs the same
build as ``reportgen build`` (cached: fast when nothing changed) and keeps
holding the output folder while it sends, so that no other build can swap the
letters under it. Then it plans (which donor, which letter, which address;
what the send log says was sent), shows the plan, and only with ``--send``
(confirmed) delivers: one SMTP transaction per donor through ``smtplib``, at
most ``rate`` a minute, retried with backoff on temporary failures, each one
recorded in the send log (``send_log``, kept with the report set and locked
while a send runs) before and after. Messages are composed by ``donor_email``; every
donor's name and subject are checked before the first message, so that a
value no header may carry stops the send before anything goes. The password
comes from the environment or the system keyring and is never printed, logged
or put in a message.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import os
import signal
import smtplib
import ssl
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Protocol

from reportgen.commands.build import built, find_years, load_year
from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostic, Diagnostics, Location, Severity
from reportgen.core.errors import InvalidInput, NothingSent, UsageError
from reportgen.reading.config import ORGANIZATION_FILE, REPORT_FILE
from reportgen.reading.email_addresses import address_problem
from reportgen.reading.model import Donor, EmailSettings, FiscalYear
from reportgen.reading.report_folder import read_report
from reportgen.reading.year_folders import output_name
from reportgen.typesetting.donor_email import (
    HeaderProblem,
    attachment_name,
    email_message,
    header_block,
    header_text,
    wording,
)
from reportgen.typesetting.letters import (
    LetterRecord,
    letter_language,
    recorded_identity,
    row_digest,
)
from reportgen.typesetting.receipts import receipt_title, recorded_number
from reportgen.writing import send_log

log = logging.getLogger(__name__)

RATE = 30  # messages a minute: what small providers accept without throttling
PREVIEW = 3  # messages a dry run shows in full
LISTED = 20  # donors named per list before "and N more"
PASSWORD_VARIABLE = "REPORTGEN_SMTP_PASSWORD"
KEYRING_SERVICE = "reportgen-smtp"

# What the plan does with each donor.
SEND, ALREADY_SENT, CHANGED, UNKNOWN, NO_EMAIL, REFUSED, MISMATCH = (
    "send", "already sent", "changed", "unknown", "no email", "refused", "mismatch",
)  # fmt: skip


@dataclass(frozen=True)
class Options:
    send: bool = False  # without it, a dry run
    yes: bool = False  # do not ask before sending
    to: str | None = None  # every message to this test address (the log is not used)
    rate: float = RATE  # messages a minute, retries included
    resend_changed: bool = False
    resend_unknown: bool = False
    retries: int = 4  # after a temporary failure, for one message
    backoff: float = 2.0  # seconds before the first retry; doubled each time
    timeout: float = 60.0  # seconds the server may take to answer
    # "with": each donor's receipt attached to the letter's message (when the
    # donor has one); "only": the receipts alone, one message per donor with one.
    receipts: str = ""


class Ui(Protocol):
    """How ``send`` talks to its user (the CLI): lines, warnings, a question, a bar."""

    def say(self, line: str) -> None: ...
    def warn(self, diagnostics: Iterable[Diagnostic]) -> None: ...
    def confirm(self, question: str) -> bool: ...
    def step(self, message: str) -> None: ...
    def start(self, label: str, total: int) -> None: ...
    def advance(self, count: int) -> None: ...
    def finish(self) -> None: ...


@dataclass(frozen=True)
class Planned:
    """One donor in the plan."""

    donor: Donor
    slug: str
    language: str
    state: str
    letter: Path
    sha256: str = ""
    reason: str = ""
    receipt: Path | None = None  # attached after the letter (``--receipts with``)
    receipt_only: bool = False  # ``letter`` is the receipt (``--receipts only``)

    @property
    def who(self) -> str:
        email = f" <{self.donor.email}>" if self.donor.email and self.state != REFUSED else ""
        return f"{self.slug} ({' '.join(self.donor.name.split())}){email}"


@dataclass
class Outcome:
    """What ``run`` did; the CLI prints it and takes its exit code."""

    dry_run: bool
    test_address: str | None = None
    sent: list[str] = field(default_factory=list)
    already_sent: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (who, why)
    unknown: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    # (who, why): no letter of the build matches the donor's row; never sent
    mismatched: list[tuple[str, str]] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    without_email: list[str] = field(default_factory=list)
    stopped: KeyboardInterrupt | None = None  # Ctrl-C (or a stop signal) between messages
    declined: bool = False  # the user said no to the question

    @property
    def exit_code(self) -> int:
        if self.stopped is not None:
            return 128 + int(getattr(self.stopped, "signum", signal.SIGINT))
        trouble = self.failed or self.unknown or self.refused or self.mismatched
        return 1 if trouble or self.declined else 0


def run(report_dir: Path, out: Path, options: Options, ui: Ui) -> Outcome:
    """Build ``report_dir`` (one year), then plan and (with ``--send``) send its letters."""
    years = find_years(report_dir)
    if len(years) != 1:
        raise UsageError(M.SEND_ONE_YEAR(report_dir=report_dir, year=years[-1]))
    if options.to is not None and (problem := address_problem(options.to)) is not None:
        raise UsageError(M.SEND_TO_PROBLEM(problem=problem))
    try:
        with built(years[0], out, ui) as result:
            ui.warn(result.diagnostics)
            # The letters as this build's manifest records them, read under
            # the same hold on ``out``: never worked out again from the rows.
            return send_built(years[0], out, options, ui, result.letters)
    except InvalidInput as exc:  # the build's own "nothing was written" says less
        if isinstance(exc, NothingSent):
            raise
        raise NothingSent(exc.diagnostics) from None


def send_built(
    year_dir: Path, out: Path, options: Options, ui: Ui, letters: Iterable[LetterRecord]
) -> Outcome:
    """``run`` after its build, while the caller holds ``out`` (``staging.claim``);
    ``letters``: that build's records of the letters it wrote (``BuildResult``)."""
    year = _year(year_dir)
    settings = _settings(year)
    _check_headers(year, settings)
    name = output_name(year_dir)
    folder = out / name / "donors"
    records = [
        replace(r, file=r.file.removeprefix(f"{name}/"))
        for r in letters
        if r.file.startswith(f"{name}/donors/")
    ]
    # A real send holds the log (locked) from before it reads it to its end.
    record = (
        send_log.Log(send_log.location(year_dir), copy=folder / send_log.LEGACY_NAME)
        if options.send and not options.to
        else None
    )
    try:
        if record is not None:
            _adopt(record, folder, ui)
        return _send_planned(year, out / name, records, settings, options, ui, record)
    finally:
        if record is not None:
            record.close()


def _send_planned(
    year: FiscalYear,
    year_folder: Path,
    records: list[LetterRecord],
    settings: EmailSettings,
    options: Options,
    ui: Ui,
    record: send_log.Log | None,
) -> Outcome:
    folder = year_folder / "donors"
    plan = _plan(year, year_folder, records, options, ui)
    _announce(plan, settings, options, folder, ui)
    outcome = _tally(plan, dry_run=not options.send, test_address=options.to)
    todo = [item for item in plan if item.state == SEND]
    if not options.send:
        for number, item in enumerate(todo[:PREVIEW], start=1):
            _preview(year, item, settings, options, number, len(todo), ui)
        return outcome
    if not todo:
        return outcome
    password = _password(settings)
    whom = (M.SEND_WHOM_TEST(address=options.to) if options.to
            else M.SEND_WHOM_DONORS(count=len(todo)))  # fmt: skip
    question = M.SEND_QUESTION(
        count=M.N_MESSAGES(count=len(todo)),
        whom=whom,
        server=f"{settings.host}:{settings.port}",
        sender=settings.sender,
    )
    if not options.yes and not ui.confirm(question):
        ui.say(M.SEND_NOT_CONFIRMED())
        outcome.declined = True
        return outcome
    _deliver(year, todo, settings, password, options, record or _NoLog(), ui, outcome)
    return outcome


def _year(path: Path) -> FiscalYear:
    diags = Diagnostics()
    year = load_year(path, diags)
    if year is None:  # the build just validated it: only a change in between gets here
        raise NothingSent(diags.sorted())
    return year


def _settings(year: FiscalYear) -> EmailSettings:
    where = Location(year.config.root / "report.toml")
    if year.config.email is None:
        raise NothingSent([Diagnostic(
            Severity.ERROR, where,
            M.SEND_NO_EMAIL_SETTINGS(),
        )])  # fmt: skip
    if "donor" not in year.config.editions:
        raise NothingSent([Diagnostic(Severity.ERROR, where, M.SEND_NO_DONOR_EDITION())])
    return year.config.email


def _check_headers(year: FiscalYear, settings: EmailSettings) -> None:
    """Every value a header will carry, decoded and single-line, or nothing is sent:
    the names in [email] ``from``/``reply_to``, each donor's name and subject."""
    problems: list[Diagnostic] = []
    for key, value in (("from", settings.sender), ("reply_to", settings.reply_to or "")):
        try:
            header_text(parseaddr(value)[0])
        except HeaderProblem as exc:
            where = Location(_email_settings_file(year))
            problems.append(
                Diagnostic(
                    Severity.ERROR, where, M.SEND_BAD_HEADER(key=key, value=value, problem=exc)
                )
            )
    for index, donor in enumerate(year.donors):
        if not donor.email or address_problem(donor.email) is not None:
            continue  # never written to: listed by the plan
        try:
            header_text(donor.name)
        except HeaderProblem as exc:
            where = _donor_cell(year, index, "name")
            problems.append(Diagnostic(Severity.ERROR, where,
                                       M.SEND_BAD_NAME(name=donor.name, problem=exc)))  # fmt: skip
            continue
        subject = wording(year, donor, letter_language(year, donor)).subject
        try:
            header_text(subject)
        except HeaderProblem as exc:
            where = _donor_cell(year, index, "salutation")
            subject_problem = M.SEND_BAD_SUBJECT(subject=subject, problem=exc)
            problems.append(Diagnostic(Severity.ERROR, where, subject_problem))
    if problems:
        raise NothingSent(problems)


def _email_settings_file(year: FiscalYear) -> Path:
    """The file whose [email] table is used: report.toml's, else organization.toml's."""
    own = year.config.root / REPORT_FILE
    shared = year.config.root.parent / ORGANIZATION_FILE
    has_email = "[email]" in own.read_text("utf-8", "replace")
    return own if has_email or not shared.is_file() else shared


def _donor_cell(year: FiscalYear, index: int, column: str) -> Location:
    """Where donor ``index`` (in file order) is written: its cell, else its row."""
    table = read_report(year.config.root, Diagnostics()).tables.get("donors")
    if table is None:
        return Location(year.config.root / "data")
    rows = [r for r in table.rows if any(str(c.value or "").strip() for c in r.cells.values())]
    if len(rows) != len(year.donors) or index >= len(rows):
        return Location(table.path)
    cell = rows[index].cells.get(column)
    return cell.location if cell is not None else rows[index].location


def _plan(
    year: FiscalYear, year_folder: Path, records: list[LetterRecord], options: Options, ui: Ui
) -> list[Planned]:
    """Each donor's fate, from the row, the build's record of its letter, the
    letter on disk and the send log."""
    folder = year_folder / "donors"
    histories = _histories(year, folder, ui)
    made = _by_row(records)
    plan = []
    for donor in year.donors:
        record = _record_for(made, donor)
        slug = Path(record.file).stem if record else (donor.id or "(no id)")
        letter = year_folder / record.file if record else folder
        item = Planned(donor, slug, letter_language(year, donor), SEND, letter)
        if not donor.email:
            plan.append(_with(item, NO_EMAIL))
            continue
        if (problem := address_problem(donor.email)) is not None:
            plan.append(_with(item, REFUSED, reason=problem))
            continue
        if record is None:
            plan.append(_with(item, MISMATCH, reason=(
                "the build made no letter from this row as it reads now (was donors changed "
                "while the build ran?): not sent; run send again"
            )))  # fmt: skip
            continue
        data = _read_letter(letter)
        if (problem := _mismatch(record, data)) is not None:
            plan.append(_with(item, MISMATCH, reason=problem))
            continue
        sha = record.pdf_sha256
        if options.receipts:
            receipt = _receipt_of(year_folder, slug, donor)
            if receipt is None and options.receipts == RECEIPTS_ONLY:
                continue  # no receipt for this donor: nothing to send
            if receipt is not None:
                item = _receipt_item(item, receipt, options.receipts == RECEIPTS_ONLY)
                slug = item.slug
                sha = message_digest(item)
        only = item.receipt_only  # a receipt's history is its own, by its own name
        history = histories.get(slug, id=None if only else donor.id,
                                email=None if only else donor.email)  # fmt: skip
        state = SEND
        if options.to is None:  # a test run ignores the log, and writes none
            if history.pending and not options.resend_unknown:
                state = UNKNOWN
            elif history.sent_sha256 == sha:
                state = ALREADY_SENT
            elif history.sent_sha256 is not None and not options.resend_changed:
                state = CHANGED
        plan.append(_with(item, state, sha256=sha))
    return plan


def _histories(year: FiscalYear, folder: Path, ui: Ui) -> send_log.Histories:
    """What the send log says of each donor (and an older log under the output
    folder, from before logs moved to the report set); torn lines are warned of."""
    log_path = send_log.location(year.config.root)
    older = folder / send_log.LEGACY_NAME
    histories = send_log.read([(older, True), (log_path, False)])
    ui.say(M.SEND_LOG_AT(path=log_path))
    if older.is_file():  # (read above: not a link)
        ui.say(M.SEND_LOG_ALSO(path=older))
    ui.warn([Diagnostic(Severity.WARNING, Location(t.path, t.line), M.SEND_TORN_RECORD(
        who=t.slug if t.slug is not None else M.SEND_TORN_EVERY()))
        for t in histories.torn])  # fmt: skip
    return histories


def _adopt(record: send_log.Log, folder: Path, ui: Ui) -> None:
    """Copy an older log under the output folder into the report set's, once."""
    older = folder / send_log.LEGACY_NAME
    own = send_log.read([(record.path, False)])
    copied = record.adopt(older, own)
    if copied:
        ui.say(M.SEND_LOG_COPIED(count=copied, older=older, path=record.path))


Made = dict[tuple[str, str], list[LetterRecord]]  # (donor id, row hash) -> letters


def _by_row(records: Iterable[LetterRecord]) -> Made:
    """The build's letters by the donor row each was made for (id, row hash)."""
    made: dict[tuple[str, str], list[LetterRecord]] = {}
    for record in sorted(records, key=lambda r: r.file):
        made.setdefault((record.donor_id, record.row_sha256), []).append(record)
    return made


def _record_for(made: Made, donor: Donor) -> LetterRecord | None:
    """The letter the build made from exactly this row (each letter goes to one
    row: rows identical in every column made identical letters, one each)."""
    waiting = made.get((donor.id or "", row_digest(donor)))
    return waiting.pop(0) if waiting else None


def _mismatch(record: LetterRecord, data: bytes) -> str | None:
    """Why the file on disk is not the letter the build's manifest records
    for this donor, or None when it is (its hash, and the donor its own
    metadata names)."""
    import pikepdf

    if hashlib.sha256(data).hexdigest() != record.pdf_sha256:
        return f"{record.file} is not the file the build wrote for this donor (its sha256 differs)"
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            identity = recorded_identity(pdf)
    except pikepdf.PdfError:
        return f"{record.file} cannot be read as a PDF"
    if identity != (record.donor_id, record.row_sha256):
        return f"{record.file} says it was made for another donor row (id '{identity[0]}')"
    return None


# --- receipts (issue 28): sent with the letter, or alone ----------------------

RECEIPTS_WITH, RECEIPTS_ONLY = "with", "only"
RECEIPT_PREFIX = "receipt-"  # a receipt sent alone is known in the send log by this name


def _receipt_of(year_folder: Path, slug: str, donor: Donor) -> Path | None:
    """The donor's receipt as the build wrote it (receipts/<slug>.pdf, the
    letter's name), when its metadata names this donor; else None."""
    import pikepdf

    path = year_folder / "receipts" / f"{slug}.pdf"
    if not donor.id or not path.is_file() or path.is_symlink():
        return None
    try:
        with pikepdf.open(path) as pdf:
            owner, _ = recorded_number(pdf)
    except pikepdf.PdfError:
        return None
    return path if owner == donor.id else None


def _receipt_item(item: Planned, receipt: Path, only: bool) -> Planned:
    if only:
        return replace(item, slug=RECEIPT_PREFIX + item.slug, letter=receipt, receipt_only=True)
    return replace(item, receipt=receipt)


def message_digest(item: Planned) -> str:
    """What the send log records as sent: the letter's sha256, or with a
    receipt attached, the sha256 of both files' hashes (a replaced receipt is
    a changed message)."""
    letter = hashlib.sha256(_read_letter(item.letter)).hexdigest()
    if item.receipt is None:
        return letter
    receipt = hashlib.sha256(_read_letter(item.receipt)).hexdigest()
    return hashlib.sha256(f"{letter}\n{receipt}".encode()).hexdigest()


def _attachments(year: FiscalYear, item: Planned) -> tuple[tuple[bytes, str], ...]:
    """The receipt attached after the letter, under its title and number."""
    if item.receipt is None:
        return ()
    return (_receipt_attachment(year, item.receipt, item.donor),)


def _receipt_attachment(year: FiscalYear, path: Path, donor: Donor) -> tuple[bytes, str]:
    import pikepdf

    data = _read_letter(path)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _, number = recorded_number(pdf)
    return data, attachment_name(f"{receipt_title(year, donor)} {number}")


def _with(item: Planned, state: str, sha256: str = "", reason: str = "") -> Planned:
    return replace(item, state=state, sha256=sha256, reason=reason)


def _read_letter(path: Path) -> bytes:
    """A letter the build just wrote: a regular file, never a link planted there."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        raise NothingSent([Diagnostic(
            Severity.ERROR, Location(path), M.SEND_LETTER_UNREADABLE(reason=exc.strerror)
        )]) from None  # fmt: skip
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read()


def _tally(plan: list[Planned], dry_run: bool, test_address: str | None) -> Outcome:
    outcome = Outcome(dry_run=dry_run, test_address=test_address)
    for item in plan:
        if item.state == ALREADY_SENT:
            outcome.already_sent += 1
        elif item.state == CHANGED:
            outcome.changed.append(item.who)
        elif item.state == UNKNOWN:
            outcome.unknown.append(item.who)
        elif item.state == REFUSED:
            outcome.refused.append((item.who, item.reason))
        elif item.state == MISMATCH:
            outcome.mismatched.append((item.who, item.reason))
        elif item.state == NO_EMAIL:
            outcome.without_email.append(item.who)
    return outcome


def _announce(
    plan: list[Planned], settings: EmailSettings, options: Options, folder: Path, ui: Ui
) -> None:
    todo = [item for item in plan if item.state == SEND]
    languages = Counter(item.language for item in todo)
    per = ", ".join(f"{tag} {n}" for tag, n in sorted(languages.items()))
    target = M.SEND_PLAN_TARGET(address=options.to) if options.to else ""
    ui.say(M.SEND_PLAN_DONORS(count=M.N_DONORS(count=len(plan)), folder=folder))
    ui.say(M.SEND_PLAN_TO_SEND(target=target, count=len(todo), per=f" ({per})" if per else ""))
    ui.say(M.SEND_PLAN_ALREADY(count=sum(1 for i in plan if i.state == ALREADY_SENT)))
    lists = (
        (NO_EMAIL, M.SEND_PLAN_NO_EMAIL()),
        (REFUSED, M.SEND_PLAN_REFUSED()),
        (MISMATCH, M.SEND_PLAN_MISMATCH()),
        (CHANGED, M.SEND_PLAN_CHANGED()),
        (UNKNOWN, M.SEND_PLAN_UNKNOWN()),
    )
    for state, title in lists:
        items = [i for i in plan if i.state == state]
        ui.say(M.SEND_PLAN_COUNT(title=title, count=len(items)))
        shown = items if state in (REFUSED, MISMATCH) else items[:LISTED]
        for item in shown:
            ui.say(
                M.SEND_PLAN_ITEM(
                    who=item.who,
                    reason=M.SEND_PLAN_REASON(reason=item.reason) if item.reason else "",
                )
            )
        if len(items) > len(shown):
            ui.say(M.SEND_PLAN_MORE(count=len(items) - len(shown)))
    ui.say(M.SEND_SERVER(server=f"{settings.host}:{settings.port}", security=settings.security,
                         login=_login(settings)))  # fmt: skip


def _login(settings: EmailSettings) -> str:
    if settings.username is None:
        return M.SEND_NO_LOGIN()
    source = (
        PASSWORD_VARIABLE
        if os.environ.get(PASSWORD_VARIABLE)
        else M.SEND_KEYRING(service=KEYRING_SERVICE)
    )
    return M.SEND_LOGIN(username=settings.username, source=source)


def _password(settings: EmailSettings) -> str | None:
    """The password, from the environment or else the keyring; never from a file."""
    if settings.username is None:
        return None
    found = os.environ.get(PASSWORD_VARIABLE) or _keyring(settings.username)
    if not found:
        raise UsageError(M.SEND_NO_PASSWORD(username=settings.username, variable=PASSWORD_VARIABLE,
                                            service=KEYRING_SERVICE))  # fmt: skip
    return found


def _keyring(username: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, username)
    except Exception as exc:  # no backend, a locked store: the same as no password
        log.info("the keyring gave no password: %s", type(exc).__name__)
        return None


def _message(
    year: FiscalYear, item: Planned, settings: EmailSettings, options: Options, pdf: bytes
) -> EmailMessage:
    to = options.to or item.donor.email or ""
    now = datetime.now().astimezone()
    said = wording(year, item.donor, item.language, receipt_only=item.receipt_only)
    if item.receipt_only:
        pdf, name = _receipt_attachment(year, item.letter, item.donor)
        said = replace(said, attachment=name)
    return email_message(
        item.donor, to, said, settings, pdf, item.language, now, _attachments(year, item)
    )


def _preview(
    year: FiscalYear,
    item: Planned,
    settings: EmailSettings,
    options: Options,
    number: int,
    total: int,
    ui: Ui,
) -> None:
    pdf = _read_letter(item.letter)
    message = _message(year, item, settings, options, pdf)
    ui.say(M.SEND_MESSAGE_HEAD(number=number, total=total))
    wire = header_block(message).split("\r\n")
    for line in wire:  # as they go to the server
        ui.say(line)
    for name in ("To", "Subject"):  # and readable, where the wire form is encoded
        readable = f"{name}: {message[name]}"
        if readable not in wire:
            ui.say(M.SEND_READS(readable=readable))
    text = message.get_body(("plain",))
    ui.say("")
    ui.say(text.get_content().rstrip("\n") if text is not None else "")
    for part in message.iter_attachments():
        size = len(part.get_payload(decode=True) or b"")
        ui.say(M.SEND_ATTACHED(name=part.get_filename(), size=size / 1024))


# ---- delivery ---------------------------------------------------------------


class _Reply(Exception):
    """The server answered a transaction with an error code: nothing was delivered."""

    def __init__(self, code: int, text: bytes | str) -> None:
        shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        super().__init__(f"{code} {' '.join(shown.split())}")
        self.code = code

    @property
    def temporary(self) -> bool:
        return 400 <= self.code < 500


class _Dropped(Exception):
    """The connection failed before the message went: nothing was delivered."""


class _Unknown(Exception):
    """The connection failed while the message went: it may have been delivered."""


class _Fatal(Exception):
    """A setting the server refuses (login, certificate, no STARTTLS): stop."""


class _Server:
    """One SMTP connection, made on demand and made again after a drop."""

    def __init__(self, settings: EmailSettings, password: str | None, timeout: float) -> None:
        self.settings = settings
        self._password = password
        self.timeout = timeout
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        try:
            if s.security == "tls":
                connection: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=self.timeout, context=context
                )
            else:
                connection = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
            connection.ehlo()
            if s.security == "starttls":
                if not connection.has_extn("starttls"):
                    connection.close()
                    raise _Fatal(f"{s.host} does not offer STARTTLS: refusing to send unencrypted")
                connection.starttls(context=context)
                connection.ehlo()
            if s.username is not None:
                connection.login(s.username, self._password or "")
        except smtplib.SMTPAuthenticationError as exc:
            answer = _Reply(exc.smtp_code, exc.smtp_error)
            raise _Fatal(f"{s.host} refused the login of {s.username}: {answer}") from None
        except ssl.SSLCertVerificationError as exc:
            why = exc.verify_message
            raise _Fatal(f"the certificate of {s.host} is not trusted: {why}") from None
        except ssl.SSLError as exc:
            raise _Fatal(f"TLS with {s.host}:{s.port} failed: {exc.reason}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise _Dropped(f"cannot reach {s.host}:{s.port}: {_reason(exc)}") from None
        return connection

    def ensure(self) -> smtplib.SMTP:
        if self.connection is None:
            self.connection = self._connect()
        return self.connection

    def transact(self, message: EmailMessage, to: str) -> None:
        """One SMTP transaction; raises _Reply, _Dropped or _Unknown when it fails."""
        connection = self.ensure()
        sender = parseaddr(self.settings.sender)[1]
        try:
            code, text = connection.mail(sender)
            if code == 250:
                code, text = connection.rcpt(to)
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise _Dropped(f"connection lost: {_reason(exc)}") from None
        if code not in (250, 251):
            self._reset(code)
            raise _Reply(code, text)
        try:
            connection.data(message.as_bytes())
        except smtplib.SMTPDataError as exc:
            self._reset(exc.smtp_code)
            raise _Reply(exc.smtp_code, exc.smtp_error) from None
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise _Unknown(f"connection lost while the message went: {_reason(exc)}") from None

    def _reset(self, code: int) -> None:
        if code == 421:  # the server is closing the connection
            self.close()
            return
        with suppress(OSError, smtplib.SMTPException):
            if self.connection is not None:
                self.connection.rset()

    def close(self) -> None:
        if self.connection is not None:
            with suppress(OSError, smtplib.SMTPException):
                self.connection.quit()
            with suppress(OSError):
                self.connection.close()
            self.connection = None


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


class _Pace:
    """At most ``per_minute`` transactions a minute, evenly spaced."""

    def __init__(self, per_minute: float) -> None:
        self.interval = 60.0 / per_minute
        self.last = -math.inf

    def wait(self) -> None:
        delay = self.last + self.interval - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self.last = time.monotonic()


class _Interrupts:
    """Ctrl-C during a transaction waits for its end (and its log line), so that
    a stop never leaves a message half sent; a second Ctrl-C stops at once."""

    def __init__(self) -> None:
        self.pending = False

    @contextmanager
    def deferred(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def later(signum: int, frame: object) -> None:
            if self.pending:
                raise KeyboardInterrupt
            self.pending = True

        before = signal.signal(signal.SIGINT, later)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, before)

    def check(self) -> None:
        if self.pending:
            raise KeyboardInterrupt


class _NoLog:
    """A test run (``--to``) is not recorded: a real send afterwards reaches everyone."""

    def append(self, entries: Iterable[send_log.Entry]) -> None:
        pass


def _deliver(
    year: FiscalYear,
    todo: list[Planned],
    settings: EmailSettings,
    password: str | None,
    options: Options,
    record: send_log.Log | _NoLog,
    ui: Ui,
    outcome: Outcome,
) -> None:
    server = _Server(settings, password, options.timeout)
    pace, interrupts = _Pace(options.rate), _Interrupts()
    ui.start(M.SENDING_BAR(), len(todo))
    done = 0
    try:
        for item in todo:
            _one(year, item, settings, options, server, record, pace, interrupts, outcome)
            done += 1
            ui.advance(1)
            interrupts.check()
    except KeyboardInterrupt as exc:
        outcome.stopped = exc
    except _Fatal as exc:
        if not outcome.sent:
            raise UsageError(M.SEND_NOTHING_SENT(problem=exc)) from None
        outcome.failed += [(item.who, f"not sent: {exc}") for item in todo[done:]]
    except _Dropped as exc:  # the server stayed out of reach: the rest waits for a rerun
        outcome.failed += [(item.who, f"not sent: {exc}") for item in todo[done:]]
    finally:
        ui.finish()
        server.close()


def _one(
    year: FiscalYear,
    item: Planned,
    settings: EmailSettings,
    options: Options,
    server: _Server,
    record: send_log.Log | _NoLog,
    pace: _Pace,
    interrupts: _Interrupts,
    outcome: Outcome,
) -> None:
    """Send one donor's message: retried on temporary failures, logged each time."""
    pdf = _read_letter(item.letter)
    if message_digest(item) != item.sha256:  # not the letter planned: never sent
        outcome.mismatched.append((item.who, f"{item.letter.name} changed after it was planned"))
        return
    message = _message(year, item, settings, options, pdf)
    to = options.to or item.donor.email or ""
    entry = send_log.Entry(
        slug=item.slug, id=None if item.receipt_only else item.donor.id, email=to,
        sha256=item.sha256,
        status=send_log.SENDING, time="", message_id=str(message["Message-ID"]),
    )  # fmt: skip
    problem = ""
    for attempt in range(options.retries + 1):
        if attempt:
            interrupts.check()  # no retry after Ctrl-C
            time.sleep(options.backoff * 2 ** (attempt - 1))
        try:
            server.ensure()
        except _Dropped as exc:
            problem = str(exc)
            if attempt == options.retries:
                raise
            continue
        pace.wait()
        with interrupts.deferred():
            record.append([_at(entry, send_log.SENDING)])
            try:
                server.transact(message, to)
            except (_Reply, _Dropped) as exc:
                temporary = not isinstance(exc, _Reply) or exc.temporary
                record.append([_at(entry, send_log.FAILED, error=str(exc))])
                if not temporary:
                    outcome.failed.append((item.who, f"refused by the server: {exc}"))
                    return
                problem = str(exc)
                continue
            except _Unknown as exc:
                outcome.unknown.append(f"{item.who}: {exc}")
                return
            record.append([_at(entry, send_log.SENT)])
        outcome.sent.append(item.who)
        return
    outcome.failed.append((item.who, f"gave up after {options.retries + 1} tries: {problem}"))


def _at(entry: send_log.Entry, status: str, error: str = "") -> send_log.Entry:
    return replace(entry, status=status, time=send_log.now(), error=error)
