"""Donor letters (``reportgen.typesetting.letters``): what each letter says about its gift."""

from __future__ import annotations

import shutil
from pathlib import Path

from reportgen.commands.build import load_year
from reportgen.core.diagnostics import Diagnostics
from reportgen.typesetting.letters import make_letters

UK_SAMPLE = Path(__file__).resolve().parents[1] / "examples/uk-food-bank"


def test_a_letter_shows_pence_only_when_its_gift_has_them(tmp_path: Path) -> None:
    shutil.copytree(UK_SAMPLE, tmp_path / "uk")
    donors = tmp_path / "uk/fy2024/data/donors.csv"
    assert "1200.50" in donors.read_text() and ",60," in donors.read_text()
    diags = Diagnostics()
    year = load_year(tmp_path / "uk/fy2024", diags)
    assert year is not None, list(diags)
    letters = {letter.salutation: letter for letter in make_letters(year, None)}
    church = letters["Dear friends at St Mary's,"]
    andrew = letters["Dear Andrew,"]
    # the default wording and the report's own letter (role: letter) alike
    assert "£1,200.50" in church.thanks and "£1,200.50" in (church.body_html or "")
    assert "£60 " in andrew.thanks and "£60.00" not in andrew.thanks
    assert "gift of £60 to" in (andrew.body_html or "")
    (tmp_path / "uk/fy2024/narrative/07-letter.md").unlink()
    year = load_year(tmp_path / "uk/fy2024", Diagnostics())
    assert year is not None
    plain = {letter.salutation: letter for letter in make_letters(year, None)}
    assert plain["Dear Andrew,"].body_html is None
    # The church keeps its own letter file (donors: organisation); a person
    # never gets it.
    assert "£1,200.50" in (plain["Dear friends at St Mary's,"].body_html or "")
    assert "Your gift of £60 in 2024–25" in plain["Dear Andrew,"].thanks
