"""One donor's e-mail, composed: the message that carries a letter (``send``).

``send`` plans who gets which letter; this module turns one donor, the
``[email]`` settings and the report's wording into an ``EmailMessage``: UTF-8
headers (RFC 2047 encoded words for names and subjects in Japanese or Korean,
so any server takes them), a Date and a Message-ID in the sender's domain, a
plain-text part and an HTML alternative made from the ``role: email``
narrative file (or the language pack's short note), and the letter PDF
attached under a name the donor recognises. It also decides what counts as
one safe recipient address, for ``validate`` and ``send`` alike.

Header values are made only from decoded, single-line text: the email package
decodes RFC 2047 encoded words in a value when it writes the message, so a
name such as ``=?utf-8?q?Alice=0D=0ABcc:...?=`` would reach the server as a
raw line break and a header of its own. ``header_text`` decodes them first
(as the package does, until nothing is left to decode) and refuses any
control character in the result; ``email_message`` then reads its own header block
back and refuses a message whose headers are not the ones it set.
"""

from __future__ import annotations

import email
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from html.parser import HTMLParser

from markupsafe import escape

from reportgen.composing import formats
from reportgen.composing.edition_view import translate_config
from reportgen.core.plaintext import describe
from reportgen.reading.model import Donor, EmailSettings, FiscalYear, NarrativeSection
from reportgen.reading.narrative_html import fill_placeholders, role_for
from reportgen.typesetting.letters import letter_values

_FILE_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_DECODE_ROUNDS = 4  # encoded words inside encoded words, at most this deep
# The headers ``email_message`` sets, in order: nothing else may be in its header block.
HEADERS = ("From", "To", "Reply-To", "Subject", "Date", "Message-ID", "MIME-Version",
           "Content-Type", "Content-Language")  # fmt: skip


class HeaderProblem(ValueError):
    """A value no header may carry (a line break or another control character,
    maybe hidden in an encoded word): the message is refused, never mended."""


def header_text(value: str) -> str:
    """``value`` as a reader of the header will see it: RFC 2047 encoded words
    decoded, whitespace runs made one space; ``HeaderProblem`` when it holds a
    line break or another control character, before or after decoding."""
    text = value
    for _ in range(_DECODE_ROUNDS + 1):
        _refuse_control(text, decoded=text != value)
        decoded = str(SMTP.header_factory("Subject", text))  # the package's own decoding
        if decoded == text:
            return " ".join(text.split())
        text = decoded
    raise HeaderProblem(f"encoded words nested more than {_DECODE_ROUNDS} deep")


def _refuse_control(text: str, decoded: bool) -> None:
    found = next((c for c in text if _is_control(c)), None)
    if found is None:
        return

    line_break = found in "\r\n\u2028\u2029\x85"
    what = "a line break" if line_break else f"the control character {describe(found)}"
    where = " once its encoded words (=?...?=) are decoded" if decoded else ""
    raise HeaderProblem(f"holds {what}{where}")


def _is_control(char: str) -> bool:
    """A character no header may hold; a tab is whitespace there (made a space)."""
    return char != "\t" and unicodedata.category(char) in ("Cc", "Zl", "Zp")


def domain_of(sender: str) -> str:
    return parseaddr(sender)[1].rpartition("@")[2]


@dataclass(frozen=True)
class Wording:
    """What one message says, placeholders already filled."""

    subject: str
    text: str
    html: str
    attachment: str  # the PDF's file name, as the donor sees it


def _sender_header(value: str) -> Address:
    name, address = parseaddr(value)
    return Address(display_name=header_text(name), addr_spec=address)


def email_message(
    donor: Donor,
    to: str,
    wording: Wording,
    settings: EmailSettings,
    pdf: bytes,
    language: str,
    now: datetime,
    more: Sequence[tuple[bytes, str]] = (),
) -> EmailMessage:
    """The message for one donor, sent to ``to`` (the donor, or a test address).

    Raises ``HeaderProblem`` for a name or subject no header may carry (``send``
    checks every donor before its first message, so that none gets here)."""
    message = EmailMessage(policy=SMTP)
    message["From"] = _sender_header(settings.sender)
    name = _folds_back("To", header_text(donor.name))
    message["To"] = Address(display_name=name, addr_spec=to)
    if settings.reply_to:
        message["Reply-To"] = _sender_header(settings.reply_to)
    subject = _folds_back("Subject", header_text(wording.subject))
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=domain_of(settings.sender))
    message.set_content(wording.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(wording.html, subtype="html", charset="utf-8", cte="quoted-printable")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=wording.attachment)
    for data, file_name in more:  # the receipt after the letter
        message.add_attachment(data, maintype="application", subtype="pdf", filename=file_name)
    message["Content-Language"] = language  # after the parts: making them moves Content-*
    content = b"".join([pdf, *(data for data, _ in more)])
    _fixed_boundaries(message, content + wording.text.encode() + wording.html.encode())
    _check_headers(message, name, subject)
    return message


def _fixed_boundaries(message: EmailMessage, content: bytes) -> None:
    """Boundaries made from the content (the package picks random ones), so the
    dry run shows the very header block the server gets, Date and Message-ID aside."""
    digest = hashlib.sha256(content).hexdigest()[:32]
    for number, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"==reportgen-{digest}-{number}")  # "==" starts no QP/base64 line


def header_block(message: EmailMessage) -> str:
    """The message's header block exactly as it goes on the wire (CRLF line ends)."""
    head = message.as_bytes().split(b"\r\n\r\n", 1)[0]
    return head.decode("ascii", "backslashreplace")


def _check_headers(message: EmailMessage, name: str, subject: str) -> None:
    """Read the written header block back: the same headers, the same name and
    subject (but for whitespace: long names fold with a space or two more)."""
    back = email.message_from_string(header_block(message) + "\r\n\r\n",
                                     policy=email.policy.default)  # fmt: skip
    names = list(back.keys())
    to: tuple[Address, ...] = back["To"].addresses if back["To"] is not None else ()
    if (
        names != list(message.keys())
        or not set(names) <= set(HEADERS)
        or len(to) != 1
        or _squeezed(to[0].display_name) != _squeezed(name)
        or _squeezed(str(back["Subject"])) != _squeezed(subject)
    ):
        raise HeaderProblem(f"the written headers are not the ones set: {names}")


def _squeezed(text: str) -> str:
    """``text`` without its whitespace, which folding may move (never a header)."""
    return "".join(text.split())


def _folds_back(name: str, text: str) -> str:
    """``text``, or with no-break spaces for its spaces when Python's header
    folding would lose them: it folds long non-ASCII text at a space between two
    encoded words, and readers drop whitespace there (RFC 2047, section 6.2)."""
    trial = EmailMessage(policy=SMTP)
    trial[name] = text if name == "Subject" else Address(display_name=text, addr_spec="a@b.c")
    back = email.message_from_bytes(trial.as_bytes(), policy=email.policy.default)[name]
    shown = str(back) if name == "Subject" else back.addresses[0].display_name
    return text if shown == text else text.replace(" ", "\u00a0")


def _shown(name: str) -> str:
    """A name as its header shows it (the attachment's name should match), or as
    written when no header could carry it (``send`` refuses that donor)."""
    try:
        return header_text(name)
    except HeaderProblem:
        return name


def attachment_name(title: str) -> str:
    """A file name every mail program and file system accepts: ``title.pdf``."""
    name = _FILE_UNSAFE.sub(" ", title)
    return " ".join(name.split())[:100].strip(" .") + ".pdf"


def wording(year: FiscalYear, donor: Donor, tag: str, receipt_only: bool = False) -> Wording:
    """Subject, text and HTML of the message for ``donor`` in language ``tag``;
    with ``receipt_only``, of a message that carries the donor's receipt alone."""
    language = formats.language(year.config, tag)
    values = letter_values(year, donor)  # exactly what the letter says
    settings = year.config.email
    assert settings is not None, "send checks [email] before composing"
    subject = _subject(year, tag) or formats.label(
        language, "email_subject", org=values["organization"], fiscal_year=values["fiscal_year"]
    )
    own = None if receipt_only else role_for(year.roles, "email", language)
    config = translate_config(year.config, tag)  # names in the donor's language
    lines = formats.signature_lines(language, config.organization.name, config.signatory)
    body = (
        _own_body(own, values) if own is not None else _note(values, language, lines, receipt_only)
    )
    if receipt_only:
        subject = formats.label(language, "receipt_email_subject", org=values["organization"],
                                fiscal_year=values["fiscal_year"])  # fmt: skip
    return Wording(
        subject=fill_placeholders(subject, values, markup=False),
        text=plain_text(body),
        html=f'<!DOCTYPE html>\n<html lang="{tag}"><head><meta charset="utf-8"></head>'
        f"<body>{body}</body></html>\n",
        attachment=attachment_name(formats.label(language, "letter_for", name=_shown(donor.name))),
    )


def _subject(year: FiscalYear, tag: str) -> str | None:
    settings = year.config.email
    translated = {
        lang: str(text) for key, lang, text in year.config.translations if key == "email.subject"
    }
    return translated.get(tag) or (settings.subject if settings is not None else None)


def _own_body(own: NarrativeSection, values: dict[str, str]) -> str:

    heading = fill_placeholders(own.title, values, markup=False)
    top = f"<h1>{escape(heading)}</h1>\n" if heading else ""
    return top + fill_placeholders(own.html, values)


def _note(
    values: dict[str, str],
    language: formats.Language,
    lines: tuple[str, ...],
    receipt: bool = False,
) -> str:
    """The built-in message: salutation, one sentence, the closing the
    language ends a message with (none in Japanese: 敬具 answers a 拝啓 the
    message lacks), then the signature in the language's order (``lines``)."""
    note = formats.label(
        language, "receipt_email_note" if receipt else "email_note",
        org=values["organization"], fiscal_year=values["fiscal_year"],
    )  # fmt: skip
    closing = formats.label(language, "email_closing")
    signed = [closing] if closing else []
    join = formats.label(language, "email_signature_join")
    signed += [join.join(lines)] if join and lines else lines or [values["organization"]]
    joined = "<br>\n".join(str(escape(s)) for s in signed if s)
    return f"<p>{escape(values['salutation'])}</p>\n<p>{escape(note)}</p>\n<p>{joined}</p>\n"


class _Text(HTMLParser):
    """Safe HTML (ours: rendered Markdown) to readable plain text."""

    BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "table", "pre")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.out.append("\n\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in ("br", "tr"):
            self.out.append("\n")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
        elif tag == "img":
            self.out.append(dict(attrs).get("alt") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href = self.links.pop()
            if href and href.startswith(("http://", "https://", "mailto:")):
                self.out.append(f" <{href.removeprefix('mailto:')}>")
        elif tag in ("td", "th"):
            self.out.append("  ")

    def handle_data(self, data: str) -> None:
        self.out.append(" ".join(data.split("\n")))  # HTML's line breaks are spaces


def plain_text(html: str) -> str:
    """The text part: paragraphs apart by one blank line, links written out."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.out)
    lines = [" ".join(line.split()) if not line.startswith("- ") else "- " + " ".join(
        line[2:].split()) for line in text.split("\n")]  # fmt: skip
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
