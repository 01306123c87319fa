"""The command line as a user meets it: exit codes, messages, nothing half-written."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from tests.conftest import BuiltSample


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_check_on_the_sample_reports_no_problems() -> None:
    project = Path(__file__).resolve().parents[1]
    result = run("check", "reports/fy2012", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "fy2012: no problems"
    assert result.stderr == ""


def test_check_a_whole_set(sample_set: Path) -> None:
    result = run("check", str(sample_set))
    assert result.returncode == 0, result.stderr
    assert "fy2011, fy2012: no problems" in result.stdout


def test_bad_input_exits_2_with_every_problem_located_and_writes_nothing(
    sample_set: Path, tmp_path: Path
) -> None:
    year = sample_set / "fy2012"
    lobbying = year / "data/lobbying.csv"
    lines = lobbying.read_text().splitlines()
    lines[13] = "2013-13-02" + lines[13][10:]
    lobbying.write_text("\n".join(lines) + "\n")
    finances = year / "data/finances.csv"
    finances.write_text(finances.read_text().replace("income,", "incme,", 1))
    out = tmp_path / "out"
    result = run("build", str(year), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 2
    err = result.stderr.splitlines()
    assert (
        "reports/fy2012/data/finances.csv:2: column 'kind': 'incme' is not one of "
        "income, expense (did you mean 'income'?)" in err
    )
    assert (
        "reports/fy2012/data/lobbying.csv:14: column 'date': '2013-13-02' "
        "is not a date (YYYY-MM-DD)" in err
    )
    assert err.index(next(e for e in err if "finances.csv" in e)) < err.index(
        next(e for e in err if "lobbying.csv" in e)
    )
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_failed_build_leaves_the_previous_output_untouched(
    sample_set: Path, tmp_path: Path, built_sample: BuiltSample
) -> None:
    out = tmp_path / "out"
    shutil.copytree(built_sample.out, out)  # the previous output: a good build of the sample
    before = _tree(out)
    assert "fy2012/en/annual-report.pdf" in before
    (sample_set / "fy2012/data/activities.csv").write_text("date,title\n2013-01-01,\n")
    second = run("build", str(sample_set / "fy2012"), "--out", str(out), "-q")
    assert second.returncode == 2
    assert _tree(out) == before
    # no staging folder nor lock file left behind (the cache folder is not one)
    left = sorted(p.name for p in out.iterdir())
    assert left == [".reportgen-cache", "fy2012"]


def test_build_reports_what_it_wrote(small_set: Path, tmp_path: Path) -> None:
    # the small test root: one language (no language folder), two donors
    year, out = small_set / "fy2012", tmp_path / "o"
    result = run("build", str(year), "--out", str(out), "--language", "en")
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}/fy2012/annual-report.pdf (" in result.stdout
    assert " pages)" in result.stdout
    assert "annual-report.html (" in result.stdout
    assert "handout.pdf (" in result.stdout and "donor.pdf (" in result.stdout
    assert result.stdout.count("/donors/") == 2  # the donors' letters
    assert result.stdout.strip().splitlines()[-1].startswith("built 6 files in ")
    assert "rendering fy2012: donor letters" in result.stderr


def test_not_a_report_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("check", str(tmp_path))
    assert result.returncode == 2
    assert "neither a report year" in result.stderr


def test_unknown_edition_is_a_usage_error(sample_set: Path) -> None:
    result = run("build", str(sample_set / "fy2012"), "--edition", "poster")
    assert result.returncode == 2
    assert "poster" in result.stderr


def test_an_internal_error_is_one_line_without_traceback(
    monkeypatch: pytest.MonkeyPatch, sample_set: Path
) -> None:
    import reportgen.commands.build

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(reportgen.commands.build, "run_build", explode)
    result = CliRunner().invoke(cli, ["build", str(sample_set / "fy2012")])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "reportgen: internal error: RuntimeError: renderer exploded (run with --debug for details)"
    )
    debug = CliRunner().invoke(cli, ["--debug", "build", str(sample_set / "fy2012")])
    assert debug.exit_code == 1
    assert "Traceback" in debug.output


def test_check_and_help_do_not_import_the_renderer(sample_set: Path) -> None:
    probe = (
        "import sys, json\n"
        "from click.testing import CliRunner\n"
        "from reportgen.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['check', {str(sample_set / 'fy2012')!r}])\n"
        "h = CliRunner().invoke(cli, ['--help'])\n"
        "print(json.dumps([r.exit_code, h.exit_code, sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('weasyprint', 'matplotlib'))]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    check_code, help_code, heavy = json.loads(result.stdout)
    assert (check_code, help_code, heavy) == (0, 0, [])


def test_help_loads_no_command() -> None:
    """``reportgen --help`` answers at once: the command line imports a
    command's modules (and through them the templates, the charts, the
    renderer's helpers) only when that command runs."""
    probe = (
        "import sys, json\n"
        "from click.testing import CliRunner\n"
        "from reportgen.cli import cli\n"
        "h = CliRunner().invoke(cli, ['--help'])\n"
        "b = CliRunner().invoke(cli, ['build', '--help'])\n"
        "print(json.dumps([h.exit_code, b.exit_code, sorted(m for m in sys.modules if "
        "m.startswith(('reportgen.commands', 'reportgen.typesetting', 'reportgen.composing', "
        "'jinja2', 'pandas', 'lxml')))]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == [0, 0, []]


def test_help_describes_the_commands() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "check"):
        assert command in result.output
    build_help = CliRunner().invoke(cli, ["build", "--help"])
    assert "--edition" in build_help.output and "--out" in build_help.output
