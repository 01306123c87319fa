"""The live preview, driven in Debian's chromium: edits appear by themselves,
broken input shows its messages, the fix brings the report back."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import browser
from tests.test_bad_input import set_cell

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not browser.available() and not os.environ.get("CI"), reason="chromium is not installed"
    ),
]


@pytest.fixture
def server(sample_set: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "serve", str(sample_set / "fy2012"), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    url = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and url is None:
        line = process.stdout.readline()
        match = re.search(r"Serving (http://127\.0\.0\.1:\d+/)", line)
        url = match.group(1) if match else None
    assert url, "the server did not announce its address"
    yield url, process
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on ``port`` (from /proc/net/tcp*)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.split(":")
            if int(hexport, 16) == port and state == "0A":  # 0A: LISTEN
                found.add(address)
    return found


def test_edits_appear_by_themselves_and_errors_show_in_the_page(
    server: tuple[str, subprocess.Popen[str]], sample_set: Path
) -> None:
    url, process = server
    message = sample_set / "fy2012/narrative/01-message.en.md"
    with browser.chromium() as chromium:
        page = chromium.new_page()
        page.goto(url)
        assert page.locator("h1").inner_text() == "Annual Report FY2012"

        message.write_text(message.read_text() + "\nA sentence written during the preview.\n")
        page.get_by_text("A sentence written during the preview.").wait_for(timeout=20_000)

        activities = sample_set / "fy2012/data/activities.csv"
        good = activities.read_text()
        set_cell(activities, 5, "date", "2013-02-30")
        page.get_by_text("column 'date': '2013-02-30' is not a date").wait_for(timeout=20_000)
        assert "activities.csv:5" in page.content()

        activities.write_text(good)
        page.locator("h1", has_text="Annual Report FY2012").wait_for(timeout=20_000)
        assert page.get_by_text("A sentence written during the preview.").is_visible()

        response = page.request.get(url + "pdf/handout.pdf")
        assert response.status == 200 and response.body().startswith(b"%PDF")
    assert process.poll() is None


def test_listens_on_loopback_only(server: tuple[str, subprocess.Popen[str]]) -> None:
    url, _ = server
    port = int(url.rsplit(":", 1)[1].strip("/"))
    assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and nothing else
    others = {
        info[4][0]
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        if not info[4][0].startswith("127.")
    }
    for address in others:  # this machine's own other addresses refuse the connection
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=2).close()


def test_ctrl_c_stops_cleanly(server: tuple[str, subprocess.Popen[str]]) -> None:
    _, process = server
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    assert process.stdout is not None
    assert "stopped" in process.stdout.read()
    assert process.stderr is not None
    assert "Traceback" not in process.stderr.read()
