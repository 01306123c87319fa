"""All-or-nothing writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.output import OutputError, write_outputs


def test_writes_files_and_replaces_named_folders(tmp_path: Path) -> None:
    dest = tmp_path / "out" / "fy2012"
    write_outputs(dest, {"a.pdf": b"1", "donors/x.pdf": b"x", "donors/y.pdf": b"y"}, ("donors",))
    write_outputs(dest, {"a.pdf": b"2", "donors/x.pdf": b"x2"}, ("donors",))
    assert (dest / "a.pdf").read_bytes() == b"2"
    assert sorted(p.name for p in (dest / "donors").iterdir()) == ["x.pdf"]
    assert sorted(p.name for p in dest.parent.iterdir()) == ["fy2012"]


def test_files_of_other_editions_survive(tmp_path: Path) -> None:
    dest = tmp_path / "fy"
    write_outputs(dest, {"annual-report.pdf": b"1", "handout.pdf": b"h"})
    write_outputs(dest, {"annual-report.pdf": b"2"})
    assert (dest / "handout.pdf").read_bytes() == b"h"


@pytest.mark.parametrize("bad", ["../escape.pdf", "/abs.pdf", "a/../../b.pdf"])
def test_refuses_to_write_outside_its_folder(tmp_path: Path, bad: str) -> None:
    with pytest.raises(OutputError):
        write_outputs(tmp_path / "fy", {bad: b"x"})
    assert not (tmp_path / "fy").exists()


def test_a_failure_while_staging_leaves_everything_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "fy"
    write_outputs(dest, {"a.pdf": b"old-a", "b.html": b"old-b"})
    calls = {"n": 0}
    original = Path.write_bytes

    def flaky(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", flaky)
    with pytest.raises(OSError, match="disk full"):
        write_outputs(dest, {"a.pdf": b"new-a", "b.html": b"new-b"})
    monkeypatch.undo()
    assert (dest / "a.pdf").read_bytes() == b"old-a"
    assert (dest / "b.html").read_bytes() == b"old-b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fy"]


def test_a_render_failure_writes_nothing(
    sample_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportgen.pdf
    from reportgen.pipeline import build

    out = tmp_path / "out"
    build(sample_set / "fy2012", out, ["annual-report"])
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("layout failed")

    monkeypatch.setattr(reportgen.pdf, "render_pdf", broken)
    (sample_set / "fy2012/narrative/01-message.en.md").write_text("# Changed\n\nNew text.\n")
    with pytest.raises(RuntimeError):
        build(sample_set / "fy2012", out, ["annual-report"])
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in out.iterdir()) == [".reportgen-cache", "fy2012"]
