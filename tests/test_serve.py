"""The live preview: edits appear by themselves in Debian's chromium, broken
input shows its messages, the fix brings the report back; only its own host
name is answered (DNS rebinding), PDFs render one at a time in a process that
gives its memory back, and every failure is a page, never an empty reply."""

from __future__ import annotations

import html
import http.client
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from reportgen.commands import serve
from tests import browser
from tests.conftest import copy_root
from tests.pdfparse import ParsedPdf
from tests.test_bad_input import set_cell

in_chromium = pytest.mark.skipif(
    not browser.available() and not os.environ.get("CI"), reason="chromium is not installed"
)


@contextmanager
def _serving(year: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "serve", str(year), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As from a terminal, where Ctrl-C reaches the server. A test run started
        # in the background of a non-interactive shell ignores SIGINT, and a
        # child would inherit that (Python then never raises KeyboardInterrupt).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdout is not None
        url = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and url is None:
            line = process.stdout.readline()
            match = re.search(r"Serving (http://127\.0\.0\.1:\d+/)", line)
            url = match.group(1) if match else None
        assert url, "the server did not announce its address"
        yield url, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            finally:
                if process.poll() is None:  # never left behind for the next test
                    process.kill()
                    process.wait()


@pytest.fixture
def server(sample_set: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A server of the test's own copy of the sample, to change or to stop."""
    with _serving(sample_set / "fy2012") as running:
        yield running


@pytest.fixture
def small_server(small_set: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A server of the test's own copy of the small test root, to stop."""
    with _serving(small_set / "fy2012") as running:
        yield running


@pytest.fixture(scope="module")
def shared_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """One server for the tests that only ask it things (never change its
    input, never stop it): of the small test root, which has every edition."""
    reports = copy_root("small", tmp_path_factory.mktemp("served"))
    with _serving(reports / "fy2012") as running:
        yield running


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


@pytest.mark.slow
@pytest.mark.browser
@in_chromium
def test_edits_appear_by_themselves_and_errors_show_in_the_page(
    server: tuple[str, subprocess.Popen[str]], sample_set: Path
) -> None:
    url, process = server
    message = sample_set / "fy2012/narrative/01-message.en.md"
    with browser.chromium() as chromium:
        page = chromium.new_page()
        blocked: list[str] = []  # the security policy must not stop the reload script
        page.on("console", lambda entry: blocked.append(entry.text))
        loads: list[str] = []  # documents the tab loaded: the first, then each reload
        page.on("load", lambda loaded: loads.append(loaded.url))
        page.goto(url)
        assert page.locator("h1").inner_text() == "Annual Report FY2012"

        message.write_text(message.read_text() + "\nA sentence written during the preview.\n")
        page.get_by_text("A sentence written during the preview.").wait_for(timeout=20_000)
        # A narrative edit: the new body put in place, no new document.
        assert len(loads) == 1, loads
        assert page.locator("h1").count() == 1

        activities = sample_set / "fy2012/data/activities.csv"
        good = activities.read_text()
        set_cell(activities, 5, "date", "2013-02-30")
        page.get_by_text("column 'date': '2013-02-30' is not a date").wait_for(timeout=20_000)
        assert "activities.csv:5" in page.content()
        assert len(loads) == 2, loads  # another head (the problems page): reloaded

        activities.write_text(good)
        page.locator("h1", has_text="Annual Report FY2012").wait_for(timeout=20_000)
        assert page.get_by_text("A sentence written during the preview.").is_visible()

        response = page.request.get(url + "pdf/handout.pdf")
        assert response.status == 200 and response.body().startswith(b"%PDF")
    assert not [text for text in blocked if "Content Security Policy" in text]
    assert process.poll() is None


def test_listens_on_loopback_only(shared_server: tuple[str, subprocess.Popen[str]]) -> None:
    url, _ = shared_server
    port = int(url.rsplit(":", 1)[1].strip("/"))
    assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and nothing else
    others = {
        str(info[4][0])
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        if not str(info[4][0]).startswith("127.")
    }
    for address in others:  # this machine's own other addresses refuse the connection
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=2).close()


def test_ctrl_c_stops_cleanly(small_server: tuple[str, subprocess.Popen[str]]) -> None:
    _, process = small_server
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    assert process.stdout is not None
    assert "stopped" in process.stdout.read()
    assert process.stderr is not None
    assert "Traceback" not in process.stderr.read()


HOST = "127.0.0.1"
ROUTES = ("/", "/events", "/pdf/handout.pdf", "/pdf/annual-report.pdf", "/nothing-here")


def _port(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None
    return port


def _get(
    url: str, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of one request; ``headers``
    may name another Host, as a page on a rebound host name would."""
    # Long enough for twenty renders in line on a busy machine.
    connection = http.client.HTTPConnection(HOST, _port(url), timeout=900)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        body = b"" if path == "/events" and response.status == 200 else response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def _stop(process: subprocess.Popen[str]) -> str:
    """Ctrl-C the server and return what it wrote to stderr."""
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)
    assert process.stderr is not None
    return process.stderr.read()


def test_another_host_name_gets_nothing_of_the_report(
    shared_server: tuple[str, subprocess.Popen[str]],
) -> None:
    url, _ = shared_server
    port = _port(url)
    for host in ("evil.example", f"attacker.com:{port}", f"127.0.0.1.evil.example:{port}", ""):
        for path in ROUTES:
            status, headers, body = _get(url, path, {"Host": host})
            assert status == 421, (host, path)
            assert body == f"This server answers only http://127.0.0.1:{port}/\n".encode()
            assert headers["content-type"].startswith("text/plain")
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        status, _, body = _get(url, "/", {"Host": host})
        assert status == 200 and b"Annual Report FY2012" in body


def test_other_sites_pages_get_no_cors_permission_and_the_safety_headers(
    shared_server: tuple[str, subprocess.Popen[str]],
) -> None:
    url, _ = shared_server
    port = _port(url)
    for origin in ("http://evil.example", "null", f"http://attacker.com:{port}"):
        for path in ROUTES:
            status, headers, body = _get(url, path, {"Origin": origin})
            assert status == 403 and b"%PDF" not in body and b"Annual" not in body
            assert not [name for name in headers if name.startswith("access-control-")]
    for method in ("OPTIONS", "POST", "PUT", "DELETE", "HEAD"):
        status, headers, _ = _get(url, "/", {"Origin": "http://evil.example"}, method)
        assert status >= 400
        assert not [name for name in headers if name.startswith("access-control-")]

    own = {"Origin": f"http://127.0.0.1:{port}"}  # the preview's own page asking
    for path in ("/", "/events", "/pdf/handout.pdf"):
        status, headers, _ = _get(url, path, own)
        assert status == 200, path
        assert not [name for name in headers if name.startswith("access-control-")]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
    _, headers, page = _get(url, "/")
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert page.count(b"<script") == 1  # the reload script, allowed by its hash


@pytest.mark.browser
@in_chromium
def test_a_page_that_rebinds_its_name_to_the_machine_cannot_read_the_handout(
    shared_server: tuple[str, subprocess.Popen[str]],
) -> None:
    url, _ = shared_server
    port = _port(url)
    # The attacker's name resolves to this machine, as after DNS rebinding: to
    # the browser, the server is then the attacker's own origin.
    rules = "--host-resolver-rules=MAP attacker.com 127.0.0.1"
    with browser.chromium([rules]) as chromium:
        page = chromium.new_page()
        response = page.goto(f"http://attacker.com:{port}/")
        assert response is not None and response.status == 421
        status, text = page.evaluate(
            """async () => {
                const response = await fetch("/pdf/handout.pdf");
                return [response.status, await response.text()];
            }"""
        )
    assert status == 421 and "%PDF" not in text
    assert text == f"This server answers only http://127.0.0.1:{port}/\n"


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _font_names(path: Path) -> set[str]:
    """Base fonts of every page and of the forms (charts) drawn on it."""
    names: set[str] = set()

    def collect(resources: Any) -> None:
        resources = resources.get_object() if resources is not None else None
        if not isinstance(resources, dict):
            return
        for font in (resources.get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
        for form in (resources.get("/XObject") or {}).values():
            collect(form.get_object().get("/Resources"))

    for page in PdfReader(path).pages:
        collect(page.get("/Resources"))
    return names


@pytest.mark.slow
def test_twenty_pdfs_at_once_are_identical_and_the_memory_comes_back(
    server: tuple[str, subprocess.Popen[str]], tmp_path: Path, sample_set: Path
) -> None:
    url, process = server
    status, _, warm = _get(url, "/pdf/handout.pdf")
    assert status == 200
    before = _rss_mb(process.pid)
    with ThreadPoolExecutor(20) as pool:
        replies = list(pool.map(lambda _: _get(url, "/pdf/handout.pdf"), range(20)))
    after = _rss_mb(process.pid)

    assert [status for status, _, _ in replies] == [200] * 20
    # Each render's memory went with its process: today's main grew by 600 MB.
    assert after - before < 40, (before, after)
    assert {headers["content-type"] for _, headers, _ in replies} == {"application/pdf"}
    assert {body for _, _, body in replies} == {warm}  # byte for byte: same fonts, same charts
    path = tmp_path / "handout.pdf"
    path.write_bytes(warm)
    pdf = ParsedPdf(path)
    assert pdf.page_count >= 1 and "FY2012" in pdf.all_text()
    fonts = _font_names(path)
    assert fonts and all(name.startswith("Noto") for name in fonts), fonts

    # Nothing changed: those were the first PDF again, not renders. Each input
    # change, in the year or beside it, is a new render, and its memory goes too.
    settings = sample_set / "organization.toml"
    name = 'name = "Life Funds for North Korean Refugees"'

    def renamed() -> None:  # beside the year: the organisation's name
        text = settings.read_text("utf-8")
        settings.write_text(text.replace(name, name[:-1] + ' (Tokyo)"', 1), "utf-8")

    def income() -> None:  # in the year: the membership fees of its finances
        set_cell(sample_set / "fy2012/data/finances.csv", 2, "amount", "1870000")

    bodies = []
    for change in (renamed, income):
        change()
        with ThreadPoolExecutor(3) as pool:
            replies = list(pool.map(lambda _: _get(url, "/pdf/handout.pdf"), range(3)))
        assert [status for status, _, _ in replies] == [200] * 3
        assert len({body for _, _, body in replies}) == 1
        bodies.append(replies[0][2])
    assert len({warm, *bodies}) == 3, "a changed input served an earlier PDF"
    assert _rss_mb(process.pid) - before < 40
    assert "Traceback" not in _stop(process)


def test_a_pdf_asked_for_while_the_input_has_an_error_is_a_page_naming_it(
    server: tuple[str, subprocess.Popen[str]], sample_set: Path
) -> None:
    url, process = server
    set_cell(sample_set / "fy2012/data/activities.csv", 5, "date", "2013-02-30")
    status, headers, body = _get(url, "/pdf/handout.pdf")
    assert status == 409
    assert headers["content-type"] == "text/html; charset=utf-8"
    page = html.unescape(body.decode("utf-8"))
    assert "The report has problems to fix" in page
    assert "activities.csv:5" in page and "column 'date': '2013-02-30' is not a date" in page
    assert "Traceback" not in _stop(process)


def test_the_issues_failing_input_gets_a_reply_never_an_empty_one(
    server: tuple[str, subprocess.Popen[str]], sample_set: Path
) -> None:
    """The issue's input: a category matplotlib once read as mathtext, which
    failed the renderer and gave an empty reply and a traceback. Whether it
    now renders, a gate names it (409) or the renderer fails (500), the reply
    says so, and the terminal shows at most one line."""
    url, process = server
    finances = sample_set / "fy2012/data/finances.csv"
    set_cell(finances, 3, "category", "Book sales (US$ 10% off, $5 each)")
    status, headers, body = _get(url, "/pdf/handout.pdf")
    if status == 200:
        assert headers["content-type"] == "application/pdf" and body.startswith(b"%PDF")
    else:
        assert status in (409, 500)
        assert headers["content-type"] == "text/html; charset=utf-8"
        items = re.findall(r"<li>(.+?)</li>", body.decode("utf-8"), re.S)
        assert items and all(item.strip() for item in items)
    stderr = _stop(process)
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) <= 1


@pytest.fixture
def in_thread(sample_set: Path) -> Iterator[str]:
    """The server in this process, so a test can break the renderer it forks."""
    preview = serve.Preview(sample_set / "fy2012")
    server = serve.make_server(preview, 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    yield f"http://{HOST}:{server.server_address[1]}/"
    preview.stop()
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_a_failing_renderer_gives_a_500_page_and_one_log_line(
    in_thread: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("the renderer broke\n  on a second line")

    monkeypatch.setattr("reportgen.typesetting.edition_render.edition_files", broken)
    caplog.set_level(logging.DEBUG, logger="reportgen")
    status, headers, body = _get(in_thread, "/pdf/handout.pdf")
    assert status == 500
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "<li>RuntimeError: the renderer broke on a second line</li>" in body.decode("utf-8")
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == [
        "handout.pdf could not be rendered: RuntimeError: the renderer broke on a second line"
    ]
    assert errors[0].exc_info is None
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err


def test_a_narrative_edit_redraws_no_chart_and_a_data_edit_does(small_set: Path) -> None:
    # The figures and charts of a render are kept in the server's own cache
    # folder: an edit to the narrative finds them there (the entry is not
    # written again), an edit to the data draws them anew.
    year = small_set / "fy2012"
    preview = serve.Preview(year)

    def kept() -> dict[Path, tuple[int, int]]:
        entries = (Path(preview.kept.name) / "analysis").rglob("*")
        return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in entries if p.is_file()}

    preview.rebuild()
    first = kept()
    assert len(first) == 1 and preview.ok
    message = year / "narrative/01-message.en.md"
    message.write_text(message.read_text("utf-8") + "\nA sentence added in the preview.\n")
    preview.rebuild()
    assert b"A sentence added in the preview." in preview.page
    assert kept() == first  # found, not made again
    activities = year / "data/activities.csv"
    activities.write_text(activities.read_text("utf-8").replace("Tokyo", "Osaka", 1))
    preview.rebuild()
    assert b"Osaka" in preview.page and len(kept()) == 2
    preview.stop()


def test_a_render_that_dies_or_hangs_is_a_failure_not_a_hang() -> None:
    def killed() -> serve.Outcome:
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("not reached")

    def hangs() -> serve.Outcome:
        time.sleep(60)
        raise AssertionError("not reached")

    assert serve.in_child(killed) == serve.Outcome(
        "failure", lines=("the render process ended with signal 9",)
    )
    started = time.monotonic()
    assert serve.in_child(hangs, timeout=1) == serve.Outcome(
        "failure", lines=("the render took longer than 1 s",)
    )
    assert time.monotonic() - started < 10


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(child) for child in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def test_a_render_process_dies_with_the_server(
    small_server: tuple[str, subprocess.Popen[str]],
) -> None:
    url, process = small_server

    def ask() -> None:
        with pytest.raises(OSError):  # the server is killed before it answers
            _get(url, "/pdf/annual-report.pdf")

    request = threading.Thread(target=ask, daemon=True)
    request.start()
    deadline = time.monotonic() + 30
    renders: set[int] = set()
    while not renders and time.monotonic() < deadline:
        renders = _children(process.pid)
        time.sleep(0.01)
    assert renders, "no render process was seen"
    process.kill()
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in renders) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in renders)
    request.join(timeout=10)


def test_the_pdf_key_reads_only_what_the_gate_lets_a_build_read(
    sample_set: Path, tmp_path: Path
) -> None:
    # serve keys its kept PDFs by the bytes of what a render reads: a FIFO in
    # the year (never a regular file) is not opened, and a logo named outside
    # the report set is not read, so neither hangs nor changes the key.
    year = sample_set / "fy2012"
    before = serve.inputs_digest(year)
    os.mkfifo(year / "data" / "pipe.csv")
    outside = tmp_path / "outside.svg"
    outside.write_text("<svg/>")
    settings = sample_set / "organization.toml"
    text = settings.read_text("utf-8")
    settings.write_text(text.replace('logo = "assets/', f'logo = "{outside}" # ', 1), "utf-8")
    watched = serve.watched_paths(year)
    assert not any(p.is_relative_to(outside) for p in watched)
    changed = serve.inputs_digest(year)  # returns: the FIFO is skipped, not read
    outside.write_text("<svg><!-- another --></svg>")
    assert serve.inputs_digest(year) == changed  # the outside file is not an input
    assert changed != before  # organization.toml itself is one


def test_the_earlier_year_is_read_once_until_what_it_reads_changes(small_set: Path) -> None:
    # The server reads the earlier years once and hands them to each forked
    # render: an edit to this year's narrative does not read them again; an
    # edit to an earlier year's data does, and the render is given the new one.
    year = small_set / "fy2012"
    earlier = small_set / "fy2011"
    shutil.copytree(year / "data", earlier / "data")
    (earlier / "data/donors.csv").unlink()
    activities = earlier / "data/activities.csv"
    activities.write_text(activities.read_text("utf-8").replace("2012-", "2011-").replace(
        "2013-", "2012-"), "utf-8")  # fmt: skip
    (earlier / "report.toml").write_text(
        'title = "Annual Report FY2011"\nfiscal_year = "FY2011"\n'
        "start = 2011-09-01\nend = 2012-08-31\npublished = 2012-10-20\n",
        "utf-8",
    )
    preview = serve.Preview(year)

    def cities() -> set[str]:
        assert preview.earlier is not None
        read, _ = preview.earlier[1][earlier.resolve()]
        assert read is not None
        return {a.location for a in read.activities}

    preview.rebuild()
    assert preview.ok and preview.earlier is not None
    first = preview.earlier[1]
    assert "Osaka" not in cities()
    message = year / "narrative/01-message.en.md"
    message.write_text(message.read_text("utf-8") + "\nA sentence added in the preview.\n")
    preview.rebuild()
    assert b"A sentence added in the preview." in preview.page and preview.ok
    assert preview.earlier[1] is first  # not read again
    activities.write_text(activities.read_text("utf-8").replace("Tokyo", "Osaka", 1), "utf-8")
    preview.rebuild()
    assert preview.ok and preview.earlier[1] is not first
    assert "Osaka" in cities()
    preview.stop()
