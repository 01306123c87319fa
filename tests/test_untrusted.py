"""Untrusted content stays inert: values print literally, nothing is fetched,
and huge inputs give readable messages."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.commands.build import run_build
from tests.pdfparse import ParsedPdf
from tests.test_bad_input import replace, set_cell

HOSTILE = '<script>alert("x")</script> {{ 7*7 }} {% if 1 %}jinja{% endif %}'


def test_data_values_and_narrative_print_literally(sample_set: Path, tmp_path: Path) -> None:
    year = sample_set / "fy2012"
    set_cell(year / "data/activities.csv", 2, "title", HOSTILE)
    set_cell(year / "data/activities.csv", 2, "description", "<img src=x onerror=alert(1)>")
    replace(
        year / "narrative/01-message.en.md",
        "Dear members",
        "<b>raw</b> <iframe src='http://127.0.0.1:9/'></iframe> {{ 7*7 }} Dear members",
    )
    run_build(year, tmp_path / "out", ["annual-report"], languages=["en"])
    html = (tmp_path / "out/fy2012/en/annual-report.html").read_text()
    assert "<script" not in html and "<iframe" not in html and "<b>raw" not in html
    assert "onerror=alert" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    # As text, never markup; its straight quotes curled like any text's (issue 13).
    assert "&lt;script&gt;alert(“x”)&lt;/script&gt; {{ 7*7 }}" in html
    assert "{% if 1 %}jinja{% endif %}" in html
    assert "&lt;b&gt;raw&lt;/b&gt;" in html
    text = ParsedPdf(tmp_path / "out/fy2012/en/annual-report.pdf").all_text()
    assert "<script>alert(“x”)</script> {{ 7*7 }}" in text
    assert "<b>raw</b>" in text


class Listener:
    """A local TCP server that only counts who connects."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def test_nothing_is_fetched_while_building_a_report_full_of_urls(
    sample_set: Path, tmp_path: Path, listener: Listener
) -> None:
    base = f"http://127.0.0.1:{listener.port}"
    year = sample_set / "fy2012"
    replace(
        year / "narrative/02-overview.en.md",
        "## Working in coalition",
        f"![remote photo]({base}/photo.png) [a link]({base}/page) <{base}/auto>\n\n"
        f'<img src="{base}/raw.png"> <link rel="attachment" href="{base}/x">\n\n'
        "## Working in coalition",
    )
    set_cell(year / "data/activities.csv", 2, "description", f"{base}/in-a-cell.png")
    replace(
        sample_set / "organization.toml",
        'website = "https://www.northkoreanrefugees.com/"',
        f'website = "{base}/"',
    )
    # English alone: every URL planted above is in an English page (the website in all)
    run_build(year, tmp_path / "out", ["annual-report"], languages=["en"])
    assert listener.connections == 0
    html = (tmp_path / "out/fy2012/en/annual-report.html").read_text()
    assert f'<a class="remote-image" href="{base}/photo.png">remote photo</a>' in html
    assert f'href="{base}/page"' in html
    # The listener does record connections: one from us proves the test can fail.
    socket.create_connection(("127.0.0.1", listener.port)).close()
    for _ in range(50):
        if listener.connections:
            break
        threading.Event().wait(0.02)
    assert listener.connections == 1


def _big_activities(rows: int, bad_every: int = 0) -> str:
    lines = ["date,title,category,location,description,participants,visibility"]
    for i in range(rows):
        day = f"2013-{1 + i % 8:02d}-{1 + i % 28:02d}"
        if bad_every and i % bad_every == 0:
            day = f"2013/{1 + i % 8:02d}/{1 + i % 28:02d}"
        lines.append(f"{day},Activity {i},Category {i % 6},Tokyo,Row {i},{i % 50},public")
    return "\n".join(lines) + "\n"


def test_a_huge_table_validates_and_its_messages_stay_readable(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    year = sample_set / "fy2012"
    (year / "data/activities.csv").write_text(_big_activities(20_000, bad_every=4))
    monkeypatch.chdir(sample_set.parent)
    result = CliRunner().invoke(cli, ["check", "reports/fy2012"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 12
    assert lines[0] == (
        "reports/fy2012/data/activities.csv:2: column 'date': '2013/01/01' is not a date "
        "(YYYY-MM-DD)"
    )
    assert lines[10] == (
        "reports/fy2012/data/activities.csv: 4,990 more like \"column 'date': '…' is not a "
        'date (YYYY-MM-DD)" (not shown)'
    )
    assert lines[11] == "reportgen: 5000 error(s), 0 warning(s) in fy2012"


def test_a_huge_valid_table_passes_check(sample_set: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    year = sample_set / "fy2012"
    (year / "data/activities.csv").write_text(_big_activities(20_000))
    monkeypatch.chdir(sample_set.parent)
    result = CliRunner().invoke(cli, ["check", "reports/fy2012"])
    assert result.exit_code == 0, result.output
