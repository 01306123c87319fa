"""``python -m reportgen.core.languages --docs [FILE]``: rewrite the table of word
keys in docs/report-format.md from the packs; ``--check`` fails when it is stale."""

from __future__ import annotations

import sys
from pathlib import Path

from reportgen.core.languages import docs_with_table


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("--docs", "--check"):
        print("usage: python -m reportgen.core.languages --docs|--check [docs/report-format.md]")
        return 2
    path = Path(argv[1] if len(argv) > 1 else "docs/report-format.md")
    text = path.read_text(encoding="utf-8")
    new = docs_with_table(text)
    if argv[0] == "--check":
        return 0 if new == text else 1
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
