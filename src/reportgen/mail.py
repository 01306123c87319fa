"""One donor's e-mail, composed: the message that carries a letter (``send``).

``send`` plans who gets which letter; this module turns one donor, the
``[email]`` settings and the report's wording into an ``EmailMessage``: UTF-8
headers (RFC 2047 encoded words for names and subjects in Japanese or Korean,
so any server takes them), a Date and a Message-ID in the sender's domain, a
plain-text part and an HTML alternative made from the ``role: email``
narrative file (or the language pack's short note), and the letter PDF
attached under a name the donor recognises. It also decides what counts as
one safe recipient address, for ``validate`` and ``send`` alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr
from html.parser import HTMLParser

from reportgen import i18n
from reportgen.model import Donor, EmailSettings, FiscalYear, NarrativeSection

# A line break, a comma or a semicolon would let one cell name several
# recipients or add headers (Bcc: ...): such a cell is refused whole.
_SEPARATORS = re.compile(r"[\r\n,;]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_FILE_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def address_problem(value: str) -> str | None:
    """Why ``value`` is not exactly one plain address (``name@example.org``), or None."""
    if (found := _SEPARATORS.search(value)) is not None:
        what = {",": "a comma", ";": "a semicolon"}.get(found.group(), "a line break")
        return f"{value!r} holds {what}: give exactly one address"
    if _CONTROL.search(value) or value != value.strip() or " " in value:
        return f"{value!r} holds spaces or characters that are not text"
    if not value.isascii():
        return f"{value!r} is not plain ASCII: write the domain in its xn-- form"
    if '"' in value or "[" in value:
        return f"{value!r}: quoted names and address literals are not accepted"
    try:
        parsed = Address(addr_spec=value)
    except Exception:  # the parser raises several kinds; all mean "not an address"
        return f"{value!r} is not an e-mail address"
    if not parsed.username or "." not in parsed.domain.strip("."):
        return f"{value!r} is not an e-mail address (name@example.org)"
    return None


def sender_problem(value: str) -> str | None:
    """Like ``address_problem`` for ``from``/``reply_to``, which may carry a name."""
    if _CONTROL.search(value):
        return f"{value!r} holds a line break or characters that are not text"
    if len(getaddresses([value])) != 1:
        return f"{value!r} names several addresses: give exactly one"
    name, address = parseaddr(value)
    if not address or (name and "<" not in value):
        return f"{value!r} is not an address such as 'LFNKR <contact@example.org>'"
    return address_problem(address)


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
    return Address(display_name=name, addr_spec=address)


def compose(
    donor: Donor,
    to: str,
    wording: Wording,
    settings: EmailSettings,
    pdf: bytes,
    language: str,
    now: datetime,
) -> EmailMessage:
    """The message for one donor, sent to ``to`` (the donor, or a test address)."""
    message = EmailMessage(policy=SMTP)
    message["From"] = _sender_header(settings.sender)
    # The name is shown, never trusted: a line break in it becomes a space.
    message["To"] = Address(display_name=_folds_back("To", _one_line(donor.name)), addr_spec=to)
    if settings.reply_to:
        message["Reply-To"] = _sender_header(settings.reply_to)
    message["Subject"] = _folds_back("Subject", _one_line(wording.subject))
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=domain_of(settings.sender))
    message.set_content(wording.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(wording.html, subtype="html", charset="utf-8", cte="quoted-printable")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=wording.attachment)
    message["Content-Language"] = language  # after the parts: making them moves Content-*
    return message


def _folds_back(name: str, text: str) -> str:
    """``text``, or with no-break spaces for its spaces when Python's header
    folding would lose them: it folds long non-ASCII text at a space between two
    encoded words, and readers drop whitespace there (RFC 2047, section 6.2)."""
    import email

    trial = EmailMessage(policy=SMTP)
    trial[name] = text if name == "Subject" else Address(display_name=text, addr_spec="a@b.c")
    back = email.message_from_bytes(trial.as_bytes(), policy=email.policy.default)[name]
    shown = str(back) if name == "Subject" else back.addresses[0].display_name
    return text if shown == text else text.replace(" ", "\u00a0")


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def attachment_name(title: str) -> str:
    """A file name every mail program and file system accepts: ``title.pdf``."""
    name = _FILE_UNSAFE.sub(" ", title)
    return " ".join(name.split())[:100].strip(" .") + ".pdf"


def wording(year: FiscalYear, donor: Donor, tag: str) -> Wording:
    """Subject, text and HTML of the message for ``donor`` in language ``tag``."""
    from reportgen.letters import letter_values
    from reportgen.narrative import fill_placeholders, role_for

    language = i18n.language(year.config, tag)
    values = letter_values(year, donor)  # exactly what the letter says
    settings = year.config.email
    assert settings is not None, "send checks [email] before composing"
    subject = _subject(year, tag) or i18n.label(
        language, "email_subject", org=values["organization"], fiscal_year=values["fiscal_year"]
    )
    own = role_for(year.roles, "email", language)
    body = _own_body(own, values) if own is not None else _note(values, language)
    return Wording(
        subject=fill_placeholders(subject, values, markup=False),
        text=plain_text(body),
        html=f'<!DOCTYPE html>\n<html lang="{tag}"><head><meta charset="utf-8"></head>'
        f"<body>{body}</body></html>\n",
        attachment=attachment_name(i18n.label(language, "letter_for", name=donor.name)),
    )


def _subject(year: FiscalYear, tag: str) -> str | None:
    settings = year.config.email
    translated = {
        lang: str(text) for key, lang, text in year.config.translations if key == "email.subject"
    }
    return translated.get(tag) or (settings.subject if settings is not None else None)


def _own_body(own: NarrativeSection, values: dict[str, str]) -> str:
    from markupsafe import escape

    from reportgen.narrative import fill_placeholders

    heading = fill_placeholders(own.title, values, markup=False)
    top = f"<h1>{escape(heading)}</h1>\n" if heading else ""
    return top + fill_placeholders(own.html, values)


def _note(values: dict[str, str], language: i18n.Language) -> str:
    """The built-in message: salutation, one sentence, closing, signature (HTML)."""
    from markupsafe import escape

    note = i18n.label(
        language, "email_note", org=values["organization"], fiscal_year=values["fiscal_year"]
    )
    signature = [values["signatory"], values["organization"]]
    lines = "<br>\n".join(str(escape(s)) for s in signature if s)
    return (
        f"<p>{escape(values['salutation'])}</p>\n<p>{escape(note)}</p>\n"
        f"<p>{escape(i18n.label(language, 'letter_closing'))}<br>\n{lines}</p>\n"
    )


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
