"""The e-mail address rules: what a donor's ``email`` cell, ``--to`` and the
``[email]`` settings ``from`` and ``reply_to`` may hold.

Reading checks them (``validate`` for the donors table, ``config`` for the
settings) and ``send`` checks them again before a message leaves; all of them
use these rules, so a value validation accepted is one ``send`` can use.
"""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.utils import getaddresses, parseaddr

# A line break, a comma or a semicolon would let one cell name several
# recipients or add headers (Bcc: ...): such a cell is refused whole.
_SEPARATORS = re.compile(r"[\r\n,;]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


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
