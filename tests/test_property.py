"""The property of issue 23, on report folders unlike the samples
(tests/foldergen.py): what ``check`` accepts, ``build`` makes.

- ``check`` exits 0 => ``build`` exits 0, and every public row of every table
  the annual report shows (the accounts too: each fund and balance-sheet line)
  is found in the annual report's text or in the CSV files attached to it;
- each receipt holds its own donor and every one of that donor's gifts, and
  no other donor's name or gift; each letter names no other donor; no gift
  reaches the annual report;
- ``check`` exits 2 => every problem it prints is located (``file:line:`` or
  ``file.xlsx:Sheet!B14``), and a folder drawn with a mistake always exits 2;
- nothing ever exits 1 or prints a traceback.

``make test`` tries a few folders; ``make property`` tries 500 (and larger
ones): ``REPORTGEN_PROPERTY_EXAMPLES`` and ``REPORTGEN_PROPERTY_BIG=1`` set
the run.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from reportgen.cli import cli
from tests.foldergen import Drawn, folders
from tests.pdfparse import ParsedPdf

EXAMPLES = int(os.environ.get("REPORTGEN_PROPERTY_EXAMPLES", "4"))
BIG = os.environ.get("REPORTGEN_PROPERTY_BIG") == "1"
LOCATED = re.compile(r"^\S+?(:\d+(:\d+)?|:[^!\s]+![A-Z]+\d+)?: ")
SUMMARY = re.compile(r"^reportgen: \d+ error\(s\), \d+ warning\(s\) in ")
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)


def _squashed(text: str) -> str:
    """Text as a search sees it: no spaces, soft hyphens or line-break hyphens."""
    return re.sub(r"[\s\u00ad\u200b]|-(?=\s)", "", text)


def _annual_report(out: Path) -> Path:
    found = sorted(out.rglob("annual-report.pdf"))
    assert len(found) == 1, found
    return found[0]


def _attachments(pdf: Path) -> str:
    with pikepdf.open(pdf) as document:
        return "\n".join(
            spec.get_file().read_bytes().decode("utf-8") for spec in document.attachments.values()
        )


def _assert_located(stderr: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines and SUMMARY.match(lines[-1]), stderr
    problems = lines[:-1]
    assert problems, "an error exit names at least one problem"
    for line in problems:
        assert LOCATED.match(line), line


def holds(drawn: Drawn) -> None:
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        year = Path(tmp) / "reports" / "fy"
        drawn.write(year)
        checked = runner.invoke(cli, ["check", str(year)])
        said = checked.output + (checked.stderr or "")
        assert checked.exit_code in (0, 2), said
        assert "Traceback" not in said and "internal error" not in said, said
        if drawn.mistake is not None:
            assert checked.exit_code == 2, f"{drawn.mistake} passed check:\n{said}"
        if checked.exit_code == 2:
            _assert_located(checked.stderr)
            return
        out = Path(tmp) / "out"
        built = runner.invoke(cli, ["build", str(year), "--out", str(out), "--jobs", "1", "-q"])
        said = built.output + (built.stderr or "")
        assert built.exit_code == 0, f"check passed, build failed:\n{said}"
        pdf = _annual_report(out)
        text = _squashed(ParsedPdf(pdf).all_text())
        attached = _attachments(pdf)
        for table, tokens in drawn.public.items():
            missing = [t for t in tokens if t not in text and t not in attached]
            assert not missing, f"public rows of {table} not in the annual report: {missing}"
        given = [t for tokens in drawn.gifts.values() for t in tokens]
        assert not [t for t in given if t in text or t in attached], "a gift in the report"
        _own_data_only(drawn, out)


def _own_data_only(drawn: Drawn, out: Path) -> None:
    """Each receipt: its donor (the PDF's metadata names the id) and all of
    the donor's gifts, nothing of another donor; each letter: at most one
    donor's name."""
    receipts = sorted(out.rglob("receipts/*.pdf"))
    giving = {d for d, tokens in drawn.gifts.items() if tokens}
    assert len(receipts) == (len(giving) if drawn.receipts else 0), receipts
    for path in receipts:
        with pikepdf.open(path) as pdf:
            donor = str(pdf.docinfo.get("/ReportgenDonorID", ""))
        text = _squashed(ParsedPdf(path).all_text())
        own = drawn.gifts[donor]
        assert all(t in text for t in own), (path.name, donor)
        others = [t for d, tokens in drawn.gifts.items() if d != donor for t in tokens]
        names = [t for t, d in drawn.donors.items() if d != donor]
        leaked = [t for t in others + names if t in text]
        assert not leaked, f"{path.name} (donor {donor}) holds {leaked}"
        assert [t for t, d in drawn.donors.items() if d == donor and t in text], path.name
    for path in sorted(out.rglob("donors/*.pdf")):
        text = _squashed(ParsedPdf(path).text(1))
        named = [t for t in drawn.donors if t in text]
        assert len(named) <= 1, f"{path.name} names {named}"


@pytest.mark.slow
@PROPERTY
@given(folders(big=BIG))
def test_what_check_accepts_build_makes(drawn: Drawn) -> None:
    holds(drawn)
