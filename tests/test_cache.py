"""The build cache: never stale, never different, and it skips what it can;
it holds data, never code, and uses no entry it did not write itself."""

from __future__ import annotations

import json
import logging
import os
import pickle
import shlex
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

import reportgen.typesetting.edition_render
from reportgen.commands.build import BuildManifest, WrittenFile, run_build
from reportgen.core.diagnostics import Diagnostic, Location, Severity
from reportgen.core.errors import RenderError
from reportgen.writing.cache import FOLDER, MAGIC, Cache, digest, secret_path, stable_repr
from reportgen.writing.cache_format import CodecError, decode, encode
from tests.conftest import BuiltRoot, BuiltSample

KINDS = {"build", "blob", "analysis", "document", "letters"}


@pytest.fixture(autouse=True)
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private $XDG_CACHE_HOME per test: the cache's secret lives there."""
    folder = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def _entries(out: Path) -> list[Path]:
    return sorted(
        p for p in (out / FOLDER).rglob("*") if p.is_file() and not p.name.startswith(".")
    )


def _files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        # the cache, and the lock that serialises builds of one output folder
        if p.is_file() and not p.relative_to(out).parts[0].startswith(".reportgen-")
    }


@dataclass(frozen=True)
class Warm:
    """A built output folder of our own, its cache filled by the shared
    build of the small test root (``built_small``)."""

    year: Path  # the shared small root's fy2012: read, never changed
    out: Path


@pytest.fixture
def warm(
    built_small: BuiltRoot, private_user_cache: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Warm:  # fmt: skip
    """A copy of the small root's shared build's output folder, cache included, brought up
    to date for its new place by a build that renders nothing: the cache
    keys of documents name the input folder, which is the same; the record
    of a whole build names the output folder, so the copied one is dropped
    and the build writes its own. The run's secret, as the shared build."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(private_user_cache))
    out = tmp_path / "out"
    shutil.copytree(built_small.out, out)
    shutil.rmtree(out / FOLDER / "build")  # the record of the shared folder's build
    year = built_small.year
    with monkeypatch.context() as patch:
        patch.setattr(reportgen.typesetting.edition_render, "edition_files", _must_not_run)
        run_build(year, out)
    assert _files(out) == _files(built_small.out)
    return Warm(year, out)


def _must_not_run(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"rendered: the shared build's cache was not used {args[1:]!r:.300}")


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"figures_and_charts": 0, "edition_files": 0}
    figures_and_charts, edition_files = (
        reportgen.typesetting.edition_render.figures_and_charts,
        reportgen.typesetting.edition_render.edition_files,
    )

    def counted_figures_and_charts(*args: object, **kwargs: object) -> object:
        calls["figures_and_charts"] += 1
        return figures_and_charts(*args, **kwargs)  # type: ignore[arg-type]

    def counted_edition_files(*args: object, **kwargs: object) -> object:
        calls["edition_files"] += 1
        return edition_files(*args, **kwargs)  # type: ignore[arg-type]

    render = reportgen.typesetting.edition_render
    monkeypatch.setattr(render, "figures_and_charts", counted_figures_and_charts)
    monkeypatch.setattr(render, "edition_files", counted_edition_files)
    return calls


@pytest.mark.slow
def test_cached_builds_are_byte_identical_to_cold_ones(
    english_set: Path, tmp_path: Path, built_english: BuiltSample
) -> None:
    # A cold build of a changed year fills the cache; the year changed back
    # builds partly from it (the documents that do not show the change) and
    # must equal the shared build, a cold build of the same folder.
    year = english_set / "fy2012"
    message = year / "narrative/01-message.en.md"  # the annual report and the handout
    original = message.read_text()
    message.write_text(original + "\nOne more line.\n")
    run_build(year, tmp_path / "out", workers=1)  # cold, fills the cache
    changed, cold = _files(tmp_path / "out"), _files(built_english.out)
    assert changed["fy2012/annual-report.pdf"] != cold["fy2012/annual-report.pdf"]
    message.write_text(original)
    run_build(year, tmp_path / "out", workers=1)  # partly from the cache
    assert _files(tmp_path / "out") == cold
    # documents the change did not touch, the same bytes either way
    assert changed["fy2012/donor.pdf"] == cold["fy2012/donor.pdf"]
    assert all(changed[name] == cold[name] for name in cold if name.startswith("fy2012/donors/"))


def test_one_narrative_file_re_renders_only_what_shows_it(small_set: Path, tmp_path: Path) -> None:
    # Counted through the build's own report of what it laid out and what it
    # took from the cache (``BuildResult.rendered`` / ``reused``).
    year = small_set / "fy2012"
    first = run_build(year, tmp_path / "out", workers=1)
    documents = {"fy2012/en/annual-report", "fy2012/en/handout", "fy2012/en/donor"}
    letters = {r.file for r in first.letters}
    assert len(letters) == 2
    assert set(first.rendered) == documents | letters and first.reused == ()
    notes = year / "narrative/02-internal-notes.en.md"  # handout only
    notes.write_text(notes.read_text() + "\nA new internal note.\n")
    second = run_build(year, tmp_path / "out", workers=1)
    assert second.rendered == ("fy2012/en/handout",)  # the handout alone
    # the other documents, and the letters (their donor edition unchanged), from the cache
    assert set(second.reused) == documents - {"fy2012/en/handout"} | letters
    assert "A new internal note." not in (tmp_path / "out/fy2012/annual-report.html").read_text()
    third = run_build(year, tmp_path / "out", workers=1)  # nothing changed: restored whole
    assert third.rendered == () and third.reused == ()


def test_a_build_in_another_process_finds_what_an_earlier_one_kept(
    small_set: Path, tmp_path: Path
) -> None:
    # Each build is its own process, and Python seeds string hashing anew in
    # each: keys made from a set's repr differed, and every document of a
    # year rendered again after a one-file change.
    year, out = small_set / "fy2012", tmp_path / "out"

    def run(seed: str) -> str:
        command = [sys.executable, "-m", "reportgen", "build", str(year), "--out", str(out),
                   "--edition", "annual-report", "--edition", "handout"]  # fmt: skip
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stderr

    run("1")
    notes = year / "narrative/02-internal-notes.en.md"  # shown in the handout only
    notes.write_text(notes.read_text() + "\nA new internal note.\n")
    log = run("2")
    assert "fy2012: annual-report (en) unchanged, from the cache" in log, log
    assert "fy2012: handout (en) done in" in log, log


@dataclass(frozen=True)
class Holder:
    names: frozenset[str]
    rows: tuple[dict[str, object], ...]


def test_stable_repr_orders_sets_and_keeps_the_rest_as_repr() -> None:
    one = Holder(frozenset({"people", "activities", "donors"}), ({"b": 1, "a": Decimal("2.50")},))
    assert stable_repr(one) == (
        "Holder(names=frozenset({'activities', 'donors', 'people'}), "
        "rows=({'b': 1, 'a': Decimal('2.50')},))"
    )
    assert stable_repr([1, (2,), set()]) == "[1, (2,), set({})]"
    assert digest(one) == digest(Holder(frozenset(["donors", "people", "activities"]), one.rows))


def test_a_data_change_redraws_the_charts(
    sample_set: Path, tmp_path: Path, counting: dict[str, int]
) -> None:
    year = sample_set / "fy2012"
    run_build(year, tmp_path / "out", ["annual-report"], workers=1, languages=["en", "ja"])
    lobbying = year / "data/lobbying.csv"
    lobbying.write_text(lobbying.read_text().replace("Embassy,", "Ministry,", 1))
    run_build(year, tmp_path / "out", ["annual-report"], workers=1, languages=["en", "ja"])
    # The Japanese edition reads target_type_ja, which did not change: only English redraws.
    assert counting == {"figures_and_charts": 3, "edition_files": 3}


@pytest.mark.slow
def test_a_no_op_rebuild_imports_no_renderer_and_rewrites_nothing(
    small_set: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_build(small_set / "fy2012", out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}
    probe = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from reportgen.commands.build import run_build\n"
        f"r = run_build(Path({str(small_set / 'fy2012')!r}), Path({str(out)!r}))\n"
        "print(json.dumps([len(r.files), sorted(m for m in sys.modules if m.split('.')[0] in "
        "('weasyprint', 'matplotlib', 'pandas'))]))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    count, heavy = json.loads(result.stdout)
    assert (count, heavy) == (len(stamps) + 1, [])  # the PDFs and the HTML edition
    assert len(stamps) >= 5
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")} == stamps


def test_a_deleted_or_damaged_output_is_restored(warm: Warm) -> None:
    before = _files(warm.out)
    (warm.out / "fy2012/handout.pdf").unlink()
    (warm.out / "fy2012/annual-report.html").write_text("damaged")
    (warm.out / "fy2012/donors/old-donor.pdf").write_bytes(b"%PDF stale letter")
    run_build(warm.year, warm.out)
    assert _files(warm.out) == before


def test_a_corrupt_cache_is_only_a_miss(warm: Warm) -> None:
    before = _files(warm.out)
    for entry in (warm.out / ".reportgen-cache").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"not a pickle")
    (warm.out / "fy2012/annual-report.pdf").unlink()
    run_build(warm.year, warm.out, ["annual-report"])  # the other editions carried over
    assert _files(warm.out) == before


def test_overlapped_and_serial_renders_are_byte_identical(sample_set: Path, tmp_path: Path) -> None:
    # One document with two workers: figures, charts and layout overlap in two
    # processes (charts served to WeasyPrint as they are drawn); one worker: in turn.
    year = sample_set / "fy2012"
    run_build(year, tmp_path / "overlapped", ["annual-report"], languages=["ja"], workers=2)
    run_build(year, tmp_path / "serial", ["annual-report"], languages=["ja"], workers=1)
    assert _files(tmp_path / "overlapped") == _files(tmp_path / "serial")
    assert len(_files(tmp_path / "serial")) == 2


@pytest.mark.parametrize("stage", ["figures_and_charts", "with_pictures"])
def test_a_failure_in_the_chart_process_fails_the_build_and_writes_nothing(
    sample_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    # One cold document with two workers: the forked process (which inherits
    # this patch) fails before the print page or while drawing the charts,
    # when the layout has already started without them.
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"{stage} failed")

    monkeypatch.setattr(reportgen.typesetting.edition_render, stage, broken)
    out = tmp_path / "out"
    with pytest.raises((RuntimeError, RenderError), match=f"{stage} failed"):
        run_build(sample_set / "fy2012", out, ["annual-report"], languages=["en"], workers=2)
    assert not (out / "fy2012").exists()


class _RunsACommand:
    """The attack of issue 11, case 5: unpickling this runs a shell command."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (self.command,)


@pytest.mark.slow
def test_a_planted_pickle_runs_nothing_and_the_build_makes_everything_anew(
    warm: Warm, tmp_path: Path, built_small: BuiltRoot
) -> None:
    out = warm.out
    marker = tmp_path / "pwned"
    attack = pickle.dumps(_RunsACommand(f"touch {shlex.quote(str(marker))}"))
    entries = _entries(out)
    assert {p.relative_to(out / FOLDER).parts[0] for p in entries} == KINDS
    for entry in entries:
        entry.write_bytes(attack)
    (out / "fy2012/annual-report.pdf").unlink()  # so the build reads every kind
    run_build(warm.year, out)
    assert not marker.exists()
    assert _files(out) == _files(built_small.out)  # a cold build of the same folder
    # The planted entries were thrown away and replaced by good ones.
    assert all(p.read_bytes().startswith(MAGIC) for p in _entries(out))


@pytest.mark.slow
def test_three_flipped_bytes_in_every_entry_exit_0_with_the_right_outputs(
    warm: Warm, built_small: BuiltRoot
) -> None:
    year, out = warm.year, warm.out
    for entry in _entries(out):
        data = bytearray(entry.read_bytes())
        for at in (len(data) // 4, len(data) // 2, 3 * len(data) // 4):
            data[at] ^= 0x01
        entry.write_bytes(bytes(data))
    (out / "fy2012/annual-report.pdf").unlink()  # so the build reads every kind
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(year), "--out", str(out), "-q"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _files(out) == _files(built_small.out)  # a cold build of the same folder


@pytest.mark.slow
def test_swapped_entries_are_misses_not_wrong_documents(
    sample_set: Path, tmp_path: Path, built_sample: BuiltSample
) -> None:
    # Each language's handout moved to the other's key: both verify as
    # entries, neither under the key it now sits at.
    year = sample_set / "fy2012"
    out = tmp_path / "out"
    run_build(year, out, ["handout"], languages=["en", "ja"])
    documents = [p for p in _entries(out) if p.relative_to(out / FOLDER).parts[0] == "document"]
    assert len(documents) == 2
    first, second = (p.read_bytes() for p in documents)
    documents[0].write_bytes(second)
    documents[1].write_bytes(first)
    for path in _entries(out):
        if path.relative_to(out / FOLDER).parts[0] == "build":
            path.unlink()  # so that the build asks for the documents
    run_build(year, out, ["handout"], languages=["en", "ja"])
    cold = _files(built_sample.out)  # every edition, built cold
    assert sorted(_files(out)) == ["fy2012/en/handout.pdf", "fy2012/ja/handout.pdf"]
    assert _files(out) == {name: cold[name] for name in _files(out)}


def test_an_entry_under_another_key_or_kind_is_a_miss_and_deleted(tmp_path: Path) -> None:
    store = Cache(tmp_path / FOLDER)
    one, other = "1" * 64, "2" * 64
    store.put("document", one, {"a.pdf": (b"%PDF-1.7 one", 3)})
    entry = tmp_path / FOLDER / "document" / one[:2] / one[2:]
    for kind, key in (("document", other), ("letters", one)):
        moved = tmp_path / FOLDER / kind / key[:2] / key[2:]
        moved.parent.mkdir(parents=True, exist_ok=True)
        moved.write_bytes(entry.read_bytes())
        assert store.get(kind, key, dict) is None
        assert not moved.exists()
    assert store.get("document", one, dict) == {"a.pdf": (b"%PDF-1.7 one", 3)}


def test_a_blob_must_hash_to_its_key(tmp_path: Path) -> None:
    store = Cache(tmp_path / FOLDER)
    sha = store.put_blob(b"the real output")
    assert store.get_blob(sha) == b"the real output"
    wrong = "0" * 64
    store.put("blob", wrong, b"other bytes")  # a well-formed entry, but not content-addressed
    assert store.get_blob(wrong) is None


def test_a_cache_made_under_another_secret_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    key = "3" * 64
    Cache(tmp_path / FOLDER).put("letters", key, {"donors/a.pdf": b"%PDF"})
    assert Cache(tmp_path / FOLDER).get("letters", key, dict) == {"donors/a.pdf": b"%PDF"}
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    with caplog.at_level(logging.INFO, logger="reportgen.writing.cache"):
        assert Cache(tmp_path / FOLDER).get("letters", key, dict) is None
    assert "MAC does not verify" in caplog.text


def test_a_build_under_another_secret_renders_everything_again(
    small_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counting: dict[str, int]
) -> None:
    year = small_set / "fy2012"
    run_build(year, tmp_path / "out", ["annual-report"], workers=1)
    run_build(year, tmp_path / "out", ["annual-report"], workers=1)
    assert counting == {
        "figures_and_charts": 1,
        "edition_files": 1,
    }  # the second build: from the cache
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    (tmp_path / "out/fy2012/annual-report.pdf").unlink()
    run_build(year, tmp_path / "out", ["annual-report"], workers=1)
    assert counting == {"figures_and_charts": 2, "edition_files": 2}


def test_the_secret_is_private_and_outside_the_output_folder(
    tmp_path: Path, user_cache: Path
) -> None:
    Cache(tmp_path / FOLDER)
    secret = secret_path()
    assert secret == user_cache / "reportgen" / "cache-secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert len(secret.read_bytes()) == 32
    assert [p.name for p in secret.parent.iterdir()] == ["cache-secret"]  # no temporary left


def test_without_a_usable_secret_caching_is_off(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    Cache(tmp_path / FOLDER)
    secret_path().chmod(0o644)  # others could read it: it is no secret
    with caplog.at_level(logging.INFO, logger="reportgen.writing.cache"):
        store = Cache(tmp_path / FOLDER)
    assert store.root is None
    assert "build cache off" in caplog.text and "not private" in caplog.text
    store.put("letters", "4" * 64, {})
    assert not (tmp_path / FOLDER / "letters").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_planted_as_an_entry_is_a_miss_not_a_hang(tmp_path: Path) -> None:
    store = Cache(tmp_path / FOLDER)
    key = "5" * 64
    entry = tmp_path / FOLDER / "build" / key[:2] / key[2:]
    entry.parent.mkdir(parents=True)
    os.mkfifo(entry)
    assert store.get("build", key, BuildManifest) is None
    assert not entry.exists()


def test_the_codec_round_trips_every_value_a_build_stores(
    sample_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored: list[tuple[str, object]] = []
    put = Cache.put

    def spy(self: Cache, kind: str, key: str, value: object) -> None:
        stored.append((kind, value))
        put(self, kind, key, value)

    monkeypatch.setattr(Cache, "put", spy)
    # One process, so that the spy sees all; one language has every kind of value.
    run_build(sample_set / "fy2012", tmp_path / "out", workers=1, languages=["en"])
    assert {kind for kind, _ in stored} == KINDS | {"receipts"}  # the sample has receipts
    for kind, value in stored:
        again = decode(encode(value))
        assert again == value, kind
        assert repr(again) == repr(value), kind  # tuples stay tuples, Decimal keeps its digits
    blob = next(value for kind, value in stored if kind == "blob")
    assert isinstance(blob, bytes)
    assert len(encode(blob)) < len(blob) + 100  # raw, not base64


def test_the_codec_round_trips_each_plain_kind() -> None:
    value = {
        "text": "日本語 \x00 \ud800",
        1: [None, True, 0.1, -0.0, 10**30, Decimal("1.50"), b"\x00\xff"],
        (1, "a"): (Path("a/b.csv"), Severity.WARNING),
        "manifest": BuildManifest(
            (Diagnostic(Severity.WARNING, Location(Path("data/x.csv"), 3, None), "careful"),),
            {"fy2012/en/a.pdf": ("ab" * 32, 4)},
        ),
    }
    assert repr(decode(encode(value))) == repr(value)


@pytest.mark.parametrize(
    "forged",
    [
        {"c": "Popen", "f": {"args": ["touch", "x"]}},
        {"c": "subprocess.Popen", "f": {}},
        {"e": "os.system", "v": "touch x"},
        {"c": "WrittenFile", "f": {"path": {"p": "x"}, "size": 1, "pages": None}},
        {"c": "Location", "f": {"path": {"p": "x"}, "line": 1}},  # a declared field missing
        {"c": "Location", "f": {"path": {"p": "x"}, "line": 1, "cell": None, "extra": 1}},
        {"b": 0},  # no such byte string
        {"x": 1},
    ],
)
def test_the_codec_refuses_what_it_did_not_write(forged: object) -> None:
    header = json.dumps({"value": forged, "segments": []}).encode()
    with pytest.raises(CodecError):
        decode(len(header).to_bytes(8, "little") + header)


@pytest.mark.parametrize("data", [b"", b"\x05", pickle.dumps({"a": 1}), b"\xff" * 8 + b"{}"])
def test_the_codec_refuses_bytes_of_another_format(data: bytes) -> None:
    with pytest.raises(CodecError):
        decode(data)


def test_the_codec_refuses_to_store_a_class_it_does_not_list() -> None:
    with pytest.raises(CodecError):
        encode(WrittenFile(Path("x"), 1))
    with pytest.raises(CodecError):
        encode({1, 2})


def test_an_entry_too_large_to_be_ours_is_not_read_and_is_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportgen.writing.cache

    store = Cache(tmp_path / FOLDER)
    key = "3" * 64
    store.put("document", key, {"a.pdf": (b"%PDF-1.7", 1)})
    entry = tmp_path / FOLDER / "document" / key[:2] / key[2:]
    with entry.open("r+b") as handle:  # sparse: no disk, but a size no entry has
        handle.truncate(reportgen.writing.cache.MAX_ENTRY + 1)
    import tracemalloc

    tracemalloc.start()
    try:
        assert store.get("document", key, dict) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2**20, peak  # refused by its size, never read into memory
    assert not entry.exists()
    # And a value larger than the limit is simply not kept.
    monkeypatch.setattr(reportgen.writing.cache, "MAX_ENTRY", 64)
    store.put("document", key, {"a.pdf": (b"x" * 100, 1)})
    assert not entry.exists()
