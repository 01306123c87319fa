"""reportgen's package and templates copied into a temporary folder, laid out
as in the checkout, with an environment whose Python imports the copy: for
tests that change the package's own files (a language pack, a declaration)
and run the result, without touching the checkout."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def copied_package(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The copied package folder (``.../src/reportgen``) and the environment
    that runs it (its ``src`` on ``PYTHONPATH``)."""
    src = tmp_path / "code" / "src"
    shutil.copytree(
        ROOT / "src" / "reportgen",
        src / "reportgen",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copytree(ROOT / "templates", tmp_path / "code" / "templates")
    return src / "reportgen", {**os.environ, "PYTHONPATH": str(src)}
