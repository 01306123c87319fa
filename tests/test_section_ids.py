"""Sections' anchors and footnote ids, unique in a year whatever the file
names: names in any script, and names that differ only by their number."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest

from reportgen.commands.build import run_build
from reportgen.reading.narrative_html import section_slugs
from tests.conftest import SAMPLE, english_only


def test_slugs_keep_letters_of_any_script_and_tell_numbered_twins_apart() -> None:
    paths = [Path(n) for n in (
        "01-代表挨拶.md", "02-Über uns.md", "03-notes.en.md", "03-notes.ja.md",
        "04-notes.md", "05-사업 개요.md", "06-!!.md",
    )]  # fmt: skip
    slugs = section_slugs(paths)
    assert slugs[Path("01-代表挨拶.md")] == "代表挨拶"
    assert slugs[Path("02-Über uns.md")] == "über-uns"
    assert slugs[Path("05-사업 개요.md")] == "사업-개요"
    # one section in two languages keeps one slug; another file of that name another
    assert slugs[Path("03-notes.en.md")] == slugs[Path("03-notes.ja.md")] == "03-notes"
    assert slugs[Path("04-notes.md")] == "04-notes"
    assert slugs[Path("06-!!.md")] == "06"
    distinct = {s for p, s in slugs.items() if p.name != "03-notes.ja.md"}
    assert len(distinct) == len(paths) - 1


def test_sections_named_alike_build_with_their_own_anchors(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    reports = tmp_path / "reports"
    shutil.copytree(SAMPLE, reports)
    english_only(reports)
    narrative = reports / "fy2012/narrative"
    for name in ("01-section.md", "02-section.md", "03-概要.md", "04-活動.md"):
        (narrative / name).write_text(
            f"# Heading of {name}\n\nText of {name}.[^1]\n\n[^1]: Note of {name}.\n", "utf-8"
        )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        run_build(reports / "fy2012", tmp_path / "out", editions=["annual-report"], cache=False)
    assert not [r for r in caplog.records if "defined twice" in r.getMessage()]
    html = next((tmp_path / "out").rglob("annual-report.html")).read_text("utf-8")
    ids = re.findall(r'\sid="([^"]+)"', html)
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates
    for name in ("01-section.md", "02-section.md", "03-概要.md", "04-活動.md"):
        # each footnote's back link leads to the paragraph of its own file
        note = re.search(rf'<li id="(fn-[^"]+)"[^>]*>\s*<p>Note of {re.escape(name)}', html)
        assert note is not None, name
        ref = note.group(1).replace("fn-", "fnref-", 1)
        text = rf"<p>Text of {re.escape(name)}\.<sup[^>]*><a [^>]*id=\"{ref}\""
        paragraph = re.search(text, html)
        assert paragraph is not None, (name, ref)


def test_a_footnote_whose_mark_is_in_the_title_keeps_its_text_and_loses_its_way_back() -> None:
    """``# Title[^1]``: the heading becomes the section's title, its mark is
    not in the body, so the note's back link has no target (found by
    tests/test_property.py): the link is dropped, the note kept."""
    from reportgen.reading.page_anchors import resolved

    page = (
        '<section id="s-a"><ol><li id="fn-a-1"><p>A note '
        '<a href="#fnref-a-1" class="footnote-backref">↩</a></p></li></ol></section>'
    )
    out = resolved(page, "annual-report.pdf")
    assert "A note" in out and 'href="#fnref-a-1"' not in out
