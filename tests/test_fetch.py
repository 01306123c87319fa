"""The sandbox every render fetches through."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.fetch import RefusedResource, Sandbox


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    (tmp_path / "year/assets").mkdir(parents=True)
    (tmp_path / "year/assets/a.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "year/assets/link.svg").symlink_to(tmp_path / "secret.txt")
    return Sandbox.of([tmp_path / "year"])


def test_serves_files_inside_the_report_folder(sandbox: Sandbox, tmp_path: Path) -> None:
    found = sandbox.fetch((tmp_path / "year/assets/a.svg").as_uri())
    assert found.data == b"<svg/>" and found.mime_type == "image/svg+xml"
    assert sandbox.fetch("assets/a.svg", base=tmp_path / "year").data == b"<svg/>"
    assert sandbox.fetch("data:text/plain;base64,aGk=").data == b"hi"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.png",
        "ftp://example.org/x",
        "file:///etc/passwd",
    ],
)
def test_refuses_the_network_and_other_files(sandbox: Sandbox, url: str) -> None:
    with pytest.raises(RefusedResource):
        sandbox.fetch(url)


def test_refuses_escapes_by_dots_and_symlinks(sandbox: Sandbox, tmp_path: Path) -> None:
    with pytest.raises(RefusedResource):
        sandbox.fetch("../secret.txt", base=tmp_path / "year")
    with pytest.raises(RefusedResource):
        sandbox.fetch("assets/link.svg", base=tmp_path / "year")
