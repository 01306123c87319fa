"""A failure of WeasyPrint on content that passed ``check`` is a located
problem of the narrative file it comes from (exit 2, nothing written); only a
failure that names nothing of the input is a bug of ours (exit 1)."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.core.errors import ContentFailed, RenderError
from reportgen.typesetting.pdf import failures_raised
from tests.conftest import SAMPLE, english_only

# An SVG every XML check accepts, whose viewBox WeasyPrint cannot read.
BAD_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 a b"><rect width="5" height="5"/></svg>'
)


def test_a_picture_weasyprint_cannot_lay_out_is_a_located_error(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(SAMPLE, reports)
    english_only(reports)
    year = reports / "fy2012"
    (year / "assets/bad.svg").write_text(BAD_SVG, "utf-8")
    stories = year / "narrative/03-stories.en.md"
    text = stories.read_text("utf-8")
    picture = "![A drawing](../assets/bad.svg)\n\nOnce he was free,"
    stories.write_text(text.replace("Once he was free,", picture, 1), "utf-8")

    def reportgen(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "reportgen", *args], cwd=tmp_path,
                              capture_output=True, text=True, timeout=600)  # fmt: skip

    assert reportgen("check", "reports/fy2012").returncode == 0
    built = reportgen("build", "reports/fy2012", "--out", "out", "--edition", "annual-report")
    assert built.returncode == 2, built.stderr
    assert "internal error" not in built.stderr and "Traceback" not in built.stderr
    assert (
        "reports/fy2012/narrative/03-stories.en.md: the PDF could not be made: it failed on the "
        "picture 'assets/bad.svg' in its paragraph 2 (ValueError: could not convert string to "
        "float: 'a'); correct or replace it"
    ) in built.stderr
    assert "nothing was written" in built.stderr
    assert not (tmp_path / "out").exists()


def test_a_logged_failure_names_the_file_whose_picture_it_names(tmp_path: Path) -> None:
    weasyprint_log = logging.getLogger("weasyprint")  # WeasyPrint's documented logger

    source = tmp_path / "narrative/02-overview.md"
    html = '<p>First.</p>\n<p>See <img src="assets/a.png" alt="A"></p>'
    with (
        pytest.raises(ContentFailed) as raised,
        failures_raised("the PDF could not be made", [(source, html)]),
    ):
        weasyprint_log.error("Failed to load image at %r: %s", "assets/a.png", "broken")
    (problem,) = raised.value.diagnostics
    assert problem.location.path == source
    assert "the picture 'assets/a.png' in its paragraph 2" in problem.message
    # WeasyPrint names a relative picture by its whole URL
    base = tmp_path.as_uri() + "/"
    with (
        pytest.raises(ContentFailed),
        failures_raised("x", [(source, html)], base),
    ):
        weasyprint_log.error("Failed to load image at %r: %s", base + "assets/a.png", "broken")
    # a link whose target is missing, named by its anchor
    with (
        pytest.raises(ContentFailed),
        failures_raised("x", [(source, '<p><a href="#gone">a</a></p>')]),
    ):
        weasyprint_log.error("No anchor #%s for internal URI reference", "gone")


def test_a_failure_that_names_nothing_of_the_input_is_a_bug() -> None:
    weasyprint_log = logging.getLogger("weasyprint")  # WeasyPrint's documented logger

    with (
        pytest.raises(RenderError, match="Missing required"),
        failures_raised("the PDF could not be made", []),
    ):
        weasyprint_log.error('Missing required "lang" attribute at the root of the document')
    with (
        pytest.raises(RenderError, match="ZeroDivisionError"),
        failures_raised("the PDF could not be made", []),
    ):
        raise ZeroDivisionError("a bug")
