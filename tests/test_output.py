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
