"""Shared fixtures: the sample report set copied into a temporary folder and
built once for real (WeasyPrint, matplotlib, everything), and a PDF reader."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE = PROJECT / "reports"


@pytest.fixture
def sample_set(tmp_path: Path) -> Path:
    """A private copy of reports/ (organization.toml, fy2011, fy2012, assets)."""
    target = tmp_path / "reports"
    shutil.copytree(SAMPLE, target)
    return target


@dataclass(frozen=True)
class BuiltSample:
    reports: Path
    out: Path

    @property
    def pdf(self) -> Path:
        return self.out / "fy2012" / "en" / "annual-report.pdf"

    @property
    def html(self) -> Path:
        return self.out / "fy2012" / "en" / "annual-report.html"


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSample]:
    """reports/fy2012, every edition, built once per test session through the real pipeline."""
    from reportgen.pipeline import build

    root = tmp_path_factory.mktemp("built")
    reports = root / "reports"
    shutil.copytree(SAMPLE, reports)
    out = root / "output"
    build(reports / "fy2012", out)
    yield BuiltSample(reports, out)
