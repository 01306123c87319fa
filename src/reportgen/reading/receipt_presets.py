"""The presets of ``[receipts]``: starting text per jurisdiction, as data.

The presets live in ``receipt_presets.toml`` beside this module, text a user
can read, print (``reportgen receipts --preset <name>``) and override key by
key in report.toml's ``[receipts]``. They are starting points, never advice:
each carries a note saying what the organisation must confirm with its adviser.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from reportgen.core import messages as M
from reportgen.reading.settings import loads

SOURCE = Path(__file__).with_name("receipt_presets.toml")
# What a preset may say a receipt needs, and where the user gives it.
NEEDS = {
    "registration": M.NEED_REGISTRATION(),
    "address": M.NEED_ADDRESS(),
    "basis": M.NEED_BASIS(),
    "donor_address": M.NEED_DONOR_ADDRESS(),
    "donor_tax_id": M.NEED_DONOR_TAX_ID(),
}


@dataclass(frozen=True)
class Preset:
    name: str
    country: str
    language: str
    values: tuple[tuple[str, object], ...]  # the [receipts] keys it fills in
    needs: tuple[str, ...]
    note: str

    def get(self, key: str) -> object:
        return dict(self.values).get(key)


@functools.cache
def presets() -> dict[str, Preset]:
    found = {}
    for name, body in loads(SOURCE.read_text("utf-8")).items():  # TOML read by the schema's parser
        values = {k: v for k, v in body.items() if k not in ("country", "needs", "note")}
        found[name] = Preset(
            name, body["country"], body["language"], tuple(values.items()),
            tuple(body.get("needs", ())), body["note"],
        )  # fmt: skip
    return found


def as_toml(name: str) -> str:
    """A preset written out as a ``[receipts]`` table to paste into report.toml."""
    preset = presets()[name]
    lines = [f"# {preset.country}: {preset.note}"]
    lines += [f"# A receipt shows {NEEDS[need]}." for need in preset.needs]
    lines += ["[receipts]", f'preset = "{name}"']
    for key, value in preset.values:
        if isinstance(value, bool):
            lines.append(f"{key} = {str(value).lower()}")
        else:
            text = str(value).replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'{key} = "{text}"')
    return "\n".join(lines) + "\n"


def docs_presets() -> str:
    """The docs' list of presets (docs/report-format.md, between
    ``<!-- receipt presets`` and ``<!-- /receipt presets -->``)."""
    out = []
    for name, preset in presets().items():
        out.append(
            f"- `{name}` ({preset.country}, `{preset.language}`): “{preset.get('title')}”. "
            f"Statement: “{preset.get('statement')}” Needs: "
            + "; ".join(NEEDS[n] for n in preset.needs)
            + f". *{preset.note}*"
        )
    return "\n".join(out) + "\n"


BEGIN = "<!-- receipt presets: generated"
END = "<!-- /receipt presets -->"


def docs_with_presets(text: str) -> str:
    begin = text.index("\n", text.index(BEGIN)) + 1
    return text[:begin] + docs_presets() + text[text.index(END) :]


if __name__ == "__main__":
    import sys

    docs = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/report-format.md")
    docs.write_text(docs_with_presets(docs.read_text("utf-8")), "utf-8")
