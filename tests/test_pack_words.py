"""Every word of the language packs has a consumer: a word no template or
module asks for is dead weight a translator still has to write (review of
stop 35: `unit_heading` stayed in every pack after the unit moved above the
table). A word is asked for by its name, or by a family built by name: a
head such as ``f"function_{...}"`` or ``"role_" ~ ...``, or a tail such as
``f"{word}_plain"``."""

from __future__ import annotations

import re
from pathlib import Path

from reportgen.core.languages import word_keys

ROOT = Path(__file__).resolve().parents[1]


def _consumers() -> str:
    files = [*(ROOT / "src").rglob("*.py"), *(ROOT / "templates").rglob("*")]
    return "\n".join(p.read_text("utf-8") for p in files if p.is_file() and p.suffix != ".toml")


def test_every_pack_word_is_asked_for() -> None:
    text = _consumers()
    names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
    heads = set(re.findall(r"""["']([a-z][a-z0-9_]*_)\{""", text))
    heads |= set(re.findall(r"""["']([a-z][a-z0-9_]*_)["']\s*[~+]""", text))
    tails = set(re.findall(r"""\}(_[a-z][a-z0-9_]*)["']""", text))
    assert heads and tails  # the families the packs' words are built in are seen
    unused = [
        key
        for key in word_keys()
        if key not in names
        and not any(key.startswith(head) for head in heads)
        and not any(key.endswith(tail) for tail in tails)
    ]
    assert not unused, unused
