"""The house design rules of issue 27 that are pure functions: the English
list style, short kinds set unwrapped."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.composing.formats import format_list
from reportgen.composing.tables import in_case_of, short_words
from reportgen.typesetting.typeset import typeset
from tests.conftest import BuiltSample


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Diet members (6), embassies (6) and ministries (4)"),  # house: no serial comma
        ("en-GB", "Diet members (6), embassies (6) and ministries (4)"),
        ("en-US", "Diet members (6), embassies (6), and ministries (4)"),  # American usage
        ("ko", "Diet members (6), embassies (6), ministries (4)"),  # list_join
    ],
)
def test_lists_follow_the_house_style_of_each_language(language: str, expected: str) -> None:
    items = ["Diet members (6)", "embassies (6)", "ministries (4)"]
    assert format_list(items, language) == expected
    assert format_list(items[:2], language).count(",") == (1 if language == "ko" else 0)


def test_a_column_of_short_kinds_is_set_whole_and_a_column_of_phrases_wraps() -> None:
    assert short_words(["Diet member", "Embassy", "", "Ministry"])
    assert short_words(["国会議員", "大使館"])
    assert not short_words(["Member of the House of Councillors"])
    assert not short_words(["Prime Minister's Office"])  # three words
    assert not short_words(["衆議院議員（自民党）の事務所"])  # wide: counted twice
    assert not short_words(["", " "])


def test_a_column_of_terms_follows_the_case_of_the_names_beside_it() -> None:
    """Review r35, 7: the role "member" in lower case beside title-case names."""
    names = ["Tokyo Refugee Support Liaison Network", "ICNK", "Leeds Food Aid Network"]
    terms = ["member", "founding member", "Secretariat"]
    assert in_case_of(names, terms) == ["Member", "Founding member", "Secretariat"]
    assert in_case_of(["東京難民支援連絡ネットワーク"], ["加盟団体"]) == ["加盟団体"]  # no case
    assert in_case_of(["local pantry network"], ["member"]) == ["member"]  # as written
    assert in_case_of(["Aire Network", "eco-forum"], ["member", "member"]) == ["member"] * 2
    assert in_case_of(["1st Response Group", "Harbour Trust"], ["member"]) == ["Member"]


def _section(body: str) -> str:
    return f'<section class="narrative"><div class="prose">{body}</div></section>'


def test_a_pull_quote_stands_beside_the_paragraph_it_comes_from() -> None:
    """Written after its source paragraph, it moves before it in print (a
    float stands level with what follows it), in every narrative section,
    also after a section whose footnotes moved to the side column."""
    notes = (
        '<p>Called<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>.</p>'
        '<section class="footnotes"><ol class="footnotes-list"><li id="fn1" class="footnote-item">'
        "<p>A note.</p></li></ol></section>"
    )
    quoted = (
        '<p>one</p><p id="source">two</p>'
        '<blockquote class="pull-quote"><p>q</p></blockquote><p>three</p>'
    )
    page = f"<html><body>{_section(notes)}{_section(quoted)}</body></html>"
    printed = typeset(page, "en", "print")
    assert printed.index("pull-quote") < printed.index('id="source"') < printed.index("three")
    assert printed.index("<p>one</p>") < printed.index("pull-quote")
    assert 'class="side-note"' in printed  # the first section's note, beside its call
    screen = typeset(page, "en", "screen")
    assert screen.index('id="source"') < screen.index("pull-quote")  # a phone reads it in order


def test_the_donor_edition_thanks_with_the_outcomes_the_letters_name(tmp_path: Path) -> None:
    """Review r34 (donor EN 2): the thank-you as specific as the letters,
    from one source: the ``outcomes`` setting, in each donor's language."""
    from reportgen.commands.build import load_with_history
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.typesetting.edition_render import render_edition
    from reportgen.typesetting.letters import letter_values
    from tests.conftest import copy_root
    from tests.pdfparse import ParsedPdf

    year = copy_root("small", tmp_path) / "fy2012"
    said = "gave shelter to two families on their way"
    with (year / "report.toml").open("a", encoding="utf-8") as toml:
        toml.write(f'outcomes = "{said}"\n')
    diags = Diagnostics()
    loaded, history = load_with_history(year, diags)
    assert loaded is not None and not diags.has_errors
    assert {letter_values(loaded, d)["outcomes"] for d in loaded.donors} == {said}
    files = render_edition(loaded, history, "donor", "en", pdf=True, html=False)
    (tmp_path / "donor.pdf").write_bytes(files["donor.pdf"][0])
    first = " ".join(ParsedPdf(tmp_path / "donor.pdf").text(1).split())
    assert f"This year your support {said}." in first
    assert "a year of change" not in first  # the generic sentence gives way


def test_a_letter_that_says_the_outcomes_needs_them_set(tmp_path: Path) -> None:
    """``{{outcomes}}`` with no ``outcomes`` setting: an error at the letter
    file's line (RG229), not letters that read "gifts like yours ."."""
    from reportgen.commands.build import load_with_history
    from reportgen.core.diagnostics import Diagnostics
    from tests.conftest import copy_root

    year = copy_root("small", tmp_path) / "fy2012"
    letter = year / "narrative" / "09-letter.en.md"
    letter.write_text(
        "---\nrole: letter\n---\n\n{{salutation}}\n\nThis year gifts like yours {{ outcomes }}.\n",
        "utf-8",
    )
    diags = Diagnostics()
    load_with_history(year, diags)
    said = [d.format() for d in diags.sorted() if "outcomes" in d.format()]
    assert len(said) == 1 and "09-letter.en.md:7:" in said[0], said
    with (year / "report.toml").open("a", encoding="utf-8") as toml:
        toml.write('outcomes = "gave shelter to two families"\n')
    diags = Diagnostics()
    load_with_history(year, diags)
    assert not diags.has_errors, [d.format() for d in diags.sorted()]


def test_the_donor_breakdown_gives_one_example_of_each_function() -> None:
    """The ring's breakdown (macros.chart_notes): every line in the report,
    the largest line of each function alone where a template asks for
    examples (the donor edition)."""
    from reportgen.composing.charts import Breakdown, ChartAsset
    from reportgen.typesetting.templating import environment

    lines = (("Office rent", "¥960K"), ("Office staff", "¥420K"), ("Audit", "¥180K"))
    ring = ChartAsset(
        "chart-expenses", "How the money was spent", "", "", (), (), (1.0, 1.0),
        breakdown=(Breakdown("Administration", "18%", lines, ("", "and 2 more", "and 1 more")),),
    )  # fmt: skip
    macros = environment().get_template("macros.html.j2").make_module({"ctx": None})
    labels = {"lines_by_function": "Lines", "sentence_gap": " "}
    every = str(macros.chart_notes(ring, labels, "print"))
    example = str(macros.chart_notes(ring, labels, "print", 1))
    assert all(line in every for line, _ in lines)
    assert "Office rent" in example and "Office staff" not in example and "Audit" not in example
    # and says it is an example: how many lines it leaves out (review K35-P2)
    assert "and 2 more" in example and "more" not in every


def test_the_message_page_uses_its_side_column(built_sample: BuiltSample) -> None:
    """Review r34 (EN 2): beside the Representative's letter, its signatory
    as a byline and the sentence it pulls, in every language."""
    from tests.pdfparse import ParsedPdf

    for language, name, pulled in (
        ("en", "Kato Hiroshi", "Awareness is not yet protection."),
        ("ja", "加藤 博", "関心の高まり"),
        ("ko", "가토 히로시", "관심이 곧 보호는 아닙니다."),
    ):
        pdf = ParsedPdf(built_sample.out / "fy2012" / language / "annual-report.pdf")
        page = pdf.text(3)  # the message, after the cover and the contents
        assert page.count(name) == 2, (language, page[:300])  # the byline and the signature
        assert page.count(pulled) == 2, (language, pulled)  # the quote and its sentence
