"""The build cache: never stale, never different, and it skips what it can."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import reportgen.render
from reportgen.pipeline import build


def _files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".reportgen-cache" not in p.parts
    }


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"analyse": 0, "compose": 0}
    analyse, compose = reportgen.render.analyse, reportgen.render.compose

    def counted_analyse(*args: object, **kwargs: object) -> object:
        calls["analyse"] += 1
        return analyse(*args, **kwargs)  # type: ignore[arg-type]

    def counted_compose(*args: object, **kwargs: object) -> object:
        calls["compose"] += 1
        return compose(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reportgen.render, "analyse", counted_analyse)
    monkeypatch.setattr(reportgen.render, "compose", counted_compose)
    return calls


def test_cached_builds_are_byte_identical_to_cold_ones(sample_set: Path, tmp_path: Path) -> None:
    year = sample_set / "fy2012"
    build(year, tmp_path / "cold", cache=False, workers=1)
    build(year, tmp_path / "warm", workers=1)  # fills the cache
    (year / "narrative/01-message.en.md").write_text(
        (year / "narrative/01-message.en.md").read_text() + "\nOne more line.\n"
    )
    build(year, tmp_path / "warm", workers=1)  # partly from the cache
    build(year, tmp_path / "cold2", cache=False, workers=1)
    assert _files(tmp_path / "warm") == _files(tmp_path / "cold2")
    assert _files(tmp_path / "warm") != _files(tmp_path / "cold")


def test_one_narrative_file_re_renders_only_what_shows_it(
    sample_set: Path, tmp_path: Path, counting: dict[str, int]
) -> None:
    year = sample_set / "fy2012"
    build(year, tmp_path / "out", workers=1)
    # Per language, the annual report and the donor edition see the same public data:
    # one analysis between them. Two languages: 4 analyses, 6 documents.
    assert counting == {"analyse": 4, "compose": 6}
    notes = year / "narrative/04-internal-notes.en.md"  # handout only
    notes.write_text(notes.read_text() + "\nA new internal note.\n")
    build(year, tmp_path / "out", workers=1)
    assert counting == {"analyse": 4, "compose": 7}  # the English handout alone
    assert "A new internal note." not in (tmp_path / "out/fy2012/en/annual-report.html").read_text()


def test_a_data_change_redraws_the_charts(
    sample_set: Path, tmp_path: Path, counting: dict[str, int]
) -> None:
    year = sample_set / "fy2012"
    build(year, tmp_path / "out", ["annual-report"], workers=1)
    lobbying = year / "data/lobbying.csv"
    lobbying.write_text(lobbying.read_text().replace("Embassy,", "Ministry,", 1))
    build(year, tmp_path / "out", ["annual-report"], workers=1)
    # The Japanese edition reads target_type_ja, which did not change: only English redraws.
    assert counting == {"analyse": 3, "compose": 3}


def test_a_no_op_rebuild_imports_no_renderer_and_rewrites_nothing(
    sample_set: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(sample_set / "fy2012", out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}
    probe = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from reportgen.pipeline import build\n"
        f"r = build(Path({str(sample_set / 'fy2012')!r}), Path({str(out)!r}))\n"
        "print(json.dumps([len(r.files), sorted(m for m in sys.modules if m.split('.')[0] in "
        "('weasyprint', 'matplotlib', 'pandas'))]))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    count, heavy = json.loads(result.stdout)
    assert (count, heavy) == (16, [])
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")} == stamps


def test_a_deleted_or_damaged_output_is_restored(sample_set: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(sample_set / "fy2012", out)
    before = _files(out)
    (out / "fy2012/en/handout.pdf").unlink()
    (out / "fy2012/en/annual-report.html").write_text("damaged")
    (out / "fy2012/donors/old-donor.pdf").write_bytes(b"%PDF stale letter")
    build(sample_set / "fy2012", out)
    assert _files(out) == before


def test_a_corrupt_cache_is_only_a_miss(sample_set: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(sample_set / "fy2012", out, ["annual-report"])
    before = _files(out)
    for entry in (out / ".reportgen-cache").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"not a pickle")
    (out / "fy2012/en/annual-report.pdf").unlink()
    build(sample_set / "fy2012", out, ["annual-report"])
    assert _files(out) == before


def test_overlapped_and_serial_renders_are_byte_identical(sample_set: Path, tmp_path: Path) -> None:
    # One document with two workers: figures, charts and layout overlap in two
    # processes (charts served to WeasyPrint as they are drawn); one worker: in turn.
    year = sample_set / "fy2012"
    build(year, tmp_path / "overlapped", ["annual-report"], languages=["ja"], workers=2)
    build(year, tmp_path / "serial", ["annual-report"], languages=["ja"], workers=1)
    assert _files(tmp_path / "overlapped") == _files(tmp_path / "serial")
    assert len(_files(tmp_path / "serial")) == 2


@pytest.mark.parametrize("stage", ["analyse", "with_pictures"])
def test_a_failure_in_the_chart_process_fails_the_build_and_writes_nothing(
    sample_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    # One cold document with two workers: the forked process (which inherits
    # this patch) fails before the print page or while drawing the charts,
    # when the layout has already started without them.
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"{stage} failed")

    monkeypatch.setattr(reportgen.render, stage, broken)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match=f"{stage} failed"):
        build(sample_set / "fy2012", out, ["annual-report"], languages=["en"], workers=2)
    assert not (out / "fy2012").exists()
