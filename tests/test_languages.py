"""Two languages from one dataset."""

from __future__ import annotations

from pathlib import Path

from reportgen.diagnostics import Diagnostics
from reportgen.editions import select
from reportgen.pipeline import check, load_year


def test_japanese_cells_and_settings_replace_the_english_ones(sample_set: Path) -> None:
    year = load_year(sample_set / "fy2012", Diagnostics())
    assert year is not None
    english = select(year, "annual-report", "en")
    japanese = select(year, "annual-report", "ja")
    assert english.activities[0].title == "ICNK first anniversary statement"
    assert japanese.activities[0].title == "ICNK設立1周年の声明"
    assert japanese.activities[0].category == "政策提言"
    assert japanese.activities[0].date == english.activities[0].date
    assert not any(key.endswith(("_ja", "_en")) for key, _ in japanese.activities[0].extra)
    assert japanese.config.title == "2012年度 年次報告書"
    assert japanese.config.organization.name == "北朝鮮難民救援基金"
    assert japanese.config.signatory is not None and japanese.config.signatory.name == "加藤博"
    assert english.config.organization.name == "Life Funds for North Korean Refugees"
    assert {s.language for s in japanese.narrative} == {"ja"}
    assert {s.language for s in english.narrative} == {"en"}


def test_an_empty_translation_falls_back_to_the_original(sample_set: Path) -> None:
    path = sample_set / "fy2012/data/activities.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace("ICNK設立1周年の声明", "", 1)
    path.write_text("\n".join(lines) + "\n")
    year = load_year(sample_set / "fy2012", Diagnostics())
    assert year is not None
    assert select(year, "annual-report", "ja").activities[0].title == (
        "ICNK first anniversary statement"
    )


def test_a_section_missing_in_one_language_is_a_warning(sample_set: Path) -> None:
    (sample_set / "fy2012/narrative/03-stories.ja.md").unlink()
    result = check(sample_set / "fy2012")
    assert result.ok
    messages = [(d.location.path.name, d.message) for d in result.diagnostics]
    assert (
        "03-stories.en.md",
        "narrative 'stories' has no ja version (add 03-stories.ja.md)",
    ) in messages


def test_one_file_for_both_languages_needs_no_translation(sample_set: Path) -> None:
    narrative = sample_set / "fy2012/narrative"
    (narrative / "05-about-this-report.ja.md").unlink()
    (narrative / "05-about-this-report.en.md").rename(narrative / "05-about-this-report.md")
    result = check(sample_set / "fy2012")
    assert not any("no ja version" in d.message for d in result.diagnostics)


def test_building_one_language_only(sample_set: Path, tmp_path: Path) -> None:
    from reportgen.pipeline import build

    result = build(sample_set / "fy2012", tmp_path / "out", ["handout"], languages=["ja"])
    assert [str(f.path.relative_to(tmp_path / "out")) for f in result.files] == [
        "fy2012/ja/handout.pdf"
    ]
