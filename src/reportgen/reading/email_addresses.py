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

from reportgen.core import messages as M

# A line break, a comma or a semicolon would let one cell name several
# recipients or add headers (Bcc: ...): such a cell is refused whole.
_SEPARATORS = re.compile(r"[\r\n,;]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def address_problem(value: str) -> str | None:
    """Why ``value`` is not exactly one plain address (``name@example.org``), or None."""
    if (found := _SEPARATORS.search(value)) is not None:
        what = {",": M.A_COMMA(), ";": M.A_SEMICOLON()}.get(found.group(), M.A_LINE_BREAK())
        return M.ADDRESS_SEPARATOR(value=value, what=what)
    if _CONTROL.search(value) or value != value.strip() or " " in value:
        return M.ADDRESS_SPACES(value=value)
    if not value.isascii():
        return M.ADDRESS_NOT_ASCII(value=value)
    if '"' in value or "[" in value:
        return M.ADDRESS_QUOTED(value=value)
    try:
        parsed = Address(addr_spec=value)
    except Exception:  # the parser raises several kinds; all mean "not an address"
        return M.ADDRESS_NOT_EMAIL(value=value)
    if not parsed.username or "." not in parsed.domain.strip("."):
        return M.ADDRESS_NOT_EMAIL_EG(value=value)
    return None


def sender_problem(value: str) -> str | None:
    """Like ``address_problem`` for ``from``/``reply_to``, which may carry a name."""
    if _CONTROL.search(value):
        return M.SENDER_NOT_TEXT(value=value)
    if len(getaddresses([value])) != 1:
        return M.SENDER_SEVERAL(value=value)
    name, address = parseaddr(value)
    if not address or (name and "<" not in value):
        return M.SENDER_NOT_ADDRESS(value=value)
    return address_problem(address)
