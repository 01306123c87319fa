"""Debian's chromium driven by Playwright: never a downloaded browser."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def available() -> bool:
    return shutil.which(CHROMIUM) is not None


@contextmanager
def chromium(extra: Sequence[str] = ()) -> Iterator[Any]:
    """The browser; ``extra``: more command-line flags."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*FLAGS, *extra])
        try:
            yield browser
        finally:
            browser.close()
