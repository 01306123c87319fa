"""Work and places bounded: numbers, the narrative's elements, the lock and
cache folders, the output folder, ``new``'s arguments, and what a failed
build leaves (issues 23 and 24: crashes and hangs after ``check`` passed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from reportgen.commands.build import run_check
from reportgen.core.diagnostics import Diagnostics, Severity
from reportgen.reading.narrative_html import WORKLOAD, _parser, workload
from reportgen.reading.readers.narrative import read_narrative
from reportgen.writing.cache import Cache, undone_on_failure

YEAR = "fy2012"


def run(
    *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The CLI as a user runs it; the timeout fails a test that hangs."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        capture_output=True, text=True, cwd=cwd, timeout=timeout, env=env,
    )  # fmt: skip


def listing(folder: Path) -> dict[str, bytes | str]:
    """Everything under ``folder`` (itself included): files by their bytes,
    links by their target, folders as such. ``{}`` when it does not exist."""
    if not os.path.lexists(folder):
        return {}
    found: dict[str, bytes | str] = {".": "folder"}
    for root, folders, files in os.walk(folder):
        for name in (*folders, *files):
            path = Path(root) / name
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = f"link to {os.readlink(path)}"
            elif path.is_dir():
                found[key] = "folder"
            elif path.is_file():
                found[key] = path.read_bytes()
            else:  # a pipe: reading it would wait for a writer
                found[key] = "special"
    return found


def errors(year: Path) -> list[str]:
    return [d.format() for d in run_check(year).diagnostics if d.severity is Severity.ERROR]


def _set_cell(csv: Path, row_start: str, column: str, value: str) -> None:
    """Put ``value`` in ``column`` of the row that starts with ``row_start``."""
    lines = csv.read_text("utf-8").splitlines()
    index = lines[0].split(",").index(column)
    for n, line in enumerate(lines):
        if line.startswith(row_start):
            cells = line.split(",")
            cells[index] = value
            lines[n] = ",".join(cells)
            break
    else:
        raise AssertionError(f"no row {row_start!r} in {csv}")
    csv.write_text("\n".join(lines) + "\n", "utf-8")


# --- amounts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "row", "value", "message"),
    [
        ("donors", "D-001", "1e30", "column 'amount': the number is too large"),
        ("donors", "D-001", "1000000000000000", "column 'amount': the number is too large"),
        ("finances", "income,Donations", "1e30", "column 'amount': the number is too large"),
        (
            "donors",
            "D-001",
            "12.345",
            "the number has 3 decimal places; an amount in JPY may have at most 2",
        ),
        ("finances", "income,Donations", "5420000.001", "3 decimal places"),
        ("finances", "income,Donations", "1e-999999", "999,999 decimal places"),
    ],
)
def test_an_amount_beyond_the_range_is_a_located_error(
    sample_set: Path, table: str, row: str, value: str, message: str
) -> None:
    csv = sample_set / YEAR / "data" / f"{table}.csv"
    _set_cell(csv, row, "amount", value)
    line = next(n for n, text in enumerate(csv.read_text().splitlines(), 1) if text.startswith(row))
    found = errors(sample_set / YEAR)
    assert len(found) == 1, found
    assert found[0].startswith(f"{csv}:{line}: ")
    assert message in found[0]


def test_amounts_just_inside_the_range_are_valid(sample_set: Path) -> None:
    data = sample_set / YEAR / "data"
    _set_cell(data / "donors.csv", "D-001", "amount", "999999999999999.99")
    _set_cell(data / "finances.csv", "income,Donations", "amount", "1200.50")
    assert errors(sample_set / YEAR) == []


def test_a_donor_of_1e30_is_exit_2_and_nothing_written(sample_set: Path, tmp_path: Path) -> None:
    # it was "internal error: InvalidOperation", exit 1, after check said all was well
    _set_cell(sample_set / YEAR / "data/donors.csv", "D-001", "amount", "1e30")
    out = tmp_path / "out"
    result = run("build", str(sample_set / YEAR), "--out", str(out), "-q")
    assert result.returncode == 2, result.stderr
    assert "donors.csv:2: column 'amount': the number is too large" in result.stderr
    assert "internal error" not in result.stderr
    assert not os.path.lexists(out)


# --- the narrative's workload -----------------------------------------------


def _english_counts(year: Path) -> Counter[str]:
    """What the English documents of the sample year hold already."""
    total: Counter[str] = Counter()
    for path in sorted((year / "narrative").glob("*.md")):
        if path.name.count(".") == 1 or path.name.endswith(".en.md"):
            raw = read_narrative(path, Diagnostics())
            assert raw is not None
            total.update(workload(_parser().parse(raw.body, {})))
    return total


def _markdown(kind: str, n: int) -> str:
    """``n`` elements of ``kind`` (a WORKLOAD name), and as few others as may be."""
    if kind == "paragraphs":
        return "".join(f"Paragraph {i}.\n\n" for i in range(n))
    if kind == "headings":
        return "".join(f"## Heading {i}\n\n" for i in range(n))
    if kind == "list items":
        return "".join(f"- item {i}\n" for i in range(n))
    if kind == "table cells":
        return "| a |\n|---|\n" + "".join(f"| {i} |\n" for i in range(n - 1))
    if kind == "footnotes":
        calls = "".join(f"[^{i}]" for i in range(n))
        return f"Text{calls}.\n\n" + "".join(f"[^{i}]: Note {i}.\n" for i in range(n))
    if kind == "footnote references":
        return "Text" + "[^a]" * n + ".\n\n[^a]: The note.\n"
    if kind == "pictures":
        return "Text " + "![A network](../assets/coalition-network.svg)" * n + "\n"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", [name for name, _, _ in WORKLOAD])
def test_the_narrative_of_a_document_is_bounded_with_a_located_error(
    english_set: Path, kind: str
) -> None:
    year = english_set / YEAR
    limit = next(limit for name, _, limit in WORKLOAD if name == kind)
    added = year / "narrative/06-bulk.en.md"
    have = _english_counts(year)
    assert have[kind] < limit
    added.write_text(_markdown(kind, limit - have[kind]), "utf-8")
    assert _english_counts(year)[kind] == limit
    assert errors(year) == []  # just at the bound: valid
    added.write_text(_markdown(kind, limit - have[kind] + 1), "utf-8")
    found = errors(year)
    assert len(found) == 1, found
    assert found[0].startswith(f"{added}: ")
    assert f"{limit + 1:,} {kind}" in found[0]
    assert f"at most {limit:,}" in found[0]


def test_files_that_share_a_document_add_up(english_set: Path) -> None:
    narrative = english_set / YEAR / "narrative"
    (narrative / "06-a.en.md").write_text(_markdown("footnotes", 200), "utf-8")
    (narrative / "07-b.md").write_text(_markdown("footnotes", 150), "utf-8")  # every language's
    found = [e for e in errors(english_set / YEAR) if " footnotes " in e]
    assert len(found) == 1, found
    assert found[0].startswith(f"{narrative / '06-a.en.md'}: the en documents would hold 351")
    assert "06-a.en.md 200, 07-b.md 150, 02-overview.en.md 1" in found[0]


def test_forty_thousand_footnotes_are_refused_at_once(english_set: Path, tmp_path: Path) -> None:
    # it was 4.5 GB of memory and no end
    added = english_set / YEAR / "narrative/06-bulk.en.md"
    added.write_text(_markdown("footnotes", 40_000), "utf-8")
    out = tmp_path / "out"
    for command in (("check",), ("build", "--out", str(out))):
        result = run(command[0], str(english_set / YEAR), *command[1:], timeout=90)
        assert result.returncode == 2, result.stderr
        assert f"{added}: the en documents would hold 40,001 footnotes (06-bulk.en.md 40,000, " in (
            result.stderr
        )
    assert not os.path.lexists(out)


# --- the lock and the cache are never followed ---------------------------------


def _planted(out: Path, name: str, kind: str, elsewhere: Path) -> None:
    out.mkdir(parents=True)
    place = out / name
    if kind == "dangling link":
        place.symlink_to(elsewhere / "missing" / "lock")
    elif kind == "link":
        place.symlink_to(elsewhere)
    elif kind == "fifo":
        os.mkfifo(place)
    elif kind == "folder":
        place.mkdir()
    elif kind == "file":
        place.write_bytes(b"")


@pytest.mark.parametrize("kind", ["dangling link", "link", "fifo", "folder"])
def test_a_lock_file_that_is_not_a_file_is_refused_without_a_loop(
    sample_set: Path, tmp_path: Path, kind: str
) -> None:
    # a dangling link was a silent busy loop at 100 % CPU
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "theirs").write_bytes(b"keep")
    out = tmp_path / "out"
    _planted(out, ".reportgen-lock", kind, elsewhere / "theirs" if kind == "link" else elsewhere)
    before, before_elsewhere = listing(out), listing(elsewhere)
    result = run("build", str(sample_set / YEAR), "--out", str(out), "-q", timeout=60)
    assert result.returncode == 2, result.stderr
    assert f"{out / '.reportgen-lock'}: the lock file is " in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert listing(out) == before
    assert listing(elsewhere) == before_elsewhere


def test_an_output_folder_where_no_file_can_be_made_is_an_error_not_a_loop(
    sample_set: Path,
) -> None:
    # --out /proc/self: the lock file's open failed with "no such file", which
    # the old code took for a folder removed meanwhile and retried forever
    result = run("build", str(sample_set / YEAR), "--out", "/proc/self", "-q", timeout=60)
    assert result.returncode == 2, result.stderr
    assert "cannot write to the output folder /proc/self" in result.stderr


@pytest.mark.parametrize("kind", ["link", "dangling link", "file"])
def test_a_cache_folder_that_is_not_a_folder_is_refused(
    small_set: Path, tmp_path: Path, kind: str
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    _planted(out, ".reportgen-cache", kind, elsewhere)
    before = listing(out)
    result = run("build", str(small_set / YEAR), "--out", str(out), "-q", timeout=120)
    assert result.returncode == 2, result.stderr
    assert f"{out / '.reportgen-cache'}: the cache folder is " in result.stderr
    assert listing(out) == before
    assert listing(elsewhere) == {".": "folder"}  # no cache entry written where it pointed
    # without the cache, the link is not looked at at all
    plain = run("build", str(small_set / YEAR), "--out", str(out), "-q", "--no-cache",
                "--edition", "handout", "--language", "en", timeout=300)  # fmt: skip
    assert plain.returncode == 0, plain.stderr
    assert listing(elsewhere) == {".": "folder"}


def test_links_inside_the_cache_folder_are_not_followed(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "cache", tmp_path / "elsewhere"
    elsewhere.mkdir()
    store = Cache(root)
    store.put("document", "ab" + "0" * 62, b"first")
    (root / "blob").symlink_to(elsewhere)
    store.put_blob(b"some output")
    assert list(elsewhere.iterdir()) == []
    (elsewhere / "9f").mkdir()
    planted = elsewhere / "9f" / ("0" * 62)
    planted.write_bytes(b"not an entry")
    assert store.get("blob", "9f" + "0" * 62, bytes) is None
    assert planted.read_bytes() == b"not an entry"  # a bad entry behind a link is not deleted
    assert store.get("document", "ab" + "0" * 62, bytes) == b"first"


# --- the output folder stays out of the input ----------------------------------


@pytest.mark.parametrize("where", ["inside the set", "the set", "holding the set", "the year",
                                   "inside the year", "a link into the set"])  # fmt: skip
def test_an_output_folder_in_the_report_set_is_refused(
    sample_set: Path, tmp_path: Path, where: str
) -> None:
    year = sample_set / YEAR
    out = {
        "inside the set": sample_set / "out",
        "the set": sample_set,
        "holding the set": tmp_path,
        "the year": year,
        "inside the year": year / "narrative" / "out",
        "a link into the set": tmp_path / "link",
    }[where]
    if where == "a link into the set":
        out.symlink_to(sample_set / "assets")
    before = listing(tmp_path)
    result = run("build", str(year), "--out", str(out), "-q")
    assert result.returncode == 2, result.stderr
    assert f"reportgen: error: --out {out}: the output folder " in result.stderr
    assert "which the build reads; choose a folder outside it" in result.stderr
    assert listing(tmp_path) == before


# --- reportgen new ---------------------------------------------------------------


def test_new_refuses_bad_arguments_with_a_located_error(sample_set: Path, tmp_path: Path) -> None:
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    bad_end = tmp_path / "last"
    bad_end.mkdir()
    (bad_end / "report.toml").write_text("start = 9999-01-01\nend = 9999-12-31\n")
    cases = [
        (("new", str(dangling)), f"{dangling}: already exists (a symbolic link to "),
        (
            ("new", str(tmp_path / "a"), "--start", "9999-06-01"),
            "--start 9999-06-01: the fiscal year would end",
        ),
        (("new", str(tmp_path / "b"), "--start", "9999-12-01"), "--start 9999-12-01: "),
        (
            ("new", str(tmp_path / "c"), "--from", str(sample_set)),
            f"{sample_set} is not a report year (it has no report.toml)",
        ),
        (
            ("new", str(tmp_path / "d"), "--from", str(sample_set / "assets")),
            "is not a report year",
        ),
        (
            ("new", str(tmp_path / "e"), "--from", str(bad_end)),
            f"{bad_end / 'report.toml'}: the year after it would end",
        ),
        (("new", str(sample_set / "organization.toml" / "x")), "cannot be made: Not a directory"),
    ]
    before = listing(tmp_path)
    for args, message in cases:
        result = run(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
        assert listing(tmp_path) == before, args  # nothing made, no staging folder left


# --- a failed build leaves the output folder as it was ----------------------------


def test_a_failed_build_leaves_no_output_folder_nor_lock(sample_set: Path, tmp_path: Path) -> None:
    (sample_set / YEAR / "data/activities.csv").write_text("date,title\n2013-01-01,\n")
    out = tmp_path / "new" / "out"
    result = run("build", str(sample_set / YEAR), "--out", str(out), "-q")
    assert result.returncode == 2, result.stderr
    assert not os.path.lexists(tmp_path / "new")
    existing = tmp_path / "existing"
    (existing / ".reportgen-cache/build/ab").mkdir(parents=True)
    (existing / ".reportgen-cache/build/ab/cd").write_bytes(b"an old entry")
    (existing / "fy2012").mkdir()
    (existing / "fy2012/annual-report.pdf").write_bytes(b"last year's")
    before = listing(existing)
    result = run("build", str(sample_set / YEAR), "--out", str(existing), "-q")
    assert result.returncode == 2, result.stderr
    assert listing(existing) == before


def test_an_error_mid_render_leaves_the_output_folder_and_its_cache_as_they_were(
    english_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportgen.commands.build
    from reportgen.commands.build import run_build

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("letters failed")

    monkeypatch.setattr(reportgen.commands.build, "render_letters", broken)
    out = tmp_path / "out"
    (out / ".reportgen-cache/build/ab").mkdir(parents=True)
    (out / ".reportgen-cache/build/ab/cd").write_bytes(b"an old entry")
    (out / "notes.txt").write_bytes(b"the user's")
    before = listing(out)
    with pytest.raises(RuntimeError, match="letters failed"):
        run_build(english_set / YEAR, out, ["donor"])  # the donor edition is cached, then it fails
    assert listing(out) == before


def test_a_cache_folder_a_failed_build_made_is_removed(tmp_path: Path) -> None:
    root = tmp_path / "out" / ".reportgen-cache"
    with pytest.raises(KeyboardInterrupt), undone_on_failure(root):
        Cache(root).put("document", "cd" + "1" * 62, b"made")
        assert any(root.rglob("*1111"))
        raise KeyboardInterrupt
    assert not os.path.lexists(root)
    with undone_on_failure(root):  # a build that succeeds keeps what it made
        Cache(root).put("document", "cd" + "1" * 62, b"made")
    assert Cache(root).get("document", "cd" + "1" * 62, bytes) == b"made"


# --- check . in a year folder ------------------------------------------------------


def test_check_dot_in_a_year_folder_finds_the_set_and_names_the_year(sample_set: Path) -> None:
    result = run("check", ".", cwd=sample_set / YEAR)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("fy2012: no problems")
    _set_cell(sample_set / YEAR / "data/donors.csv", "D-001", "amount", "1e30")
    result = run("check", ".", cwd=sample_set / YEAR)
    assert result.returncode == 2
    assert "missing required table" not in result.stderr
    assert "data/donors.csv:2: column 'amount'" in result.stderr
    assert result.stderr.rstrip().endswith("1 error(s), 0 warning(s) in fy2012")
    nested = sample_set / YEAR / "narrative"
    result = run("check", "..", cwd=nested)
    assert result.stderr.rstrip().endswith("in fy2012"), result.stderr
    shutil.rmtree(nested)  # a year without narrative still names itself
