"""The regional English packs (issue 26, part 6): en-AU, en-US, en-CA, en-NZ
and en-IE, each a small file over its parent that changes only the words an
editor in that country changes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reportgen.core import languages

REGIONAL = ("en-AU", "en-US", "en-CA", "en-NZ", "en-IE")
PARENT = {"en-AU": "en-GB", "en-NZ": "en-GB", "en-IE": "en-GB", "en-US": "en", "en-CA": "en"}

AGM_NOTE = (
    "For members at the annual general meeting. Includes internal records: please do not pass on."
)


def _plural(text: str) -> str:
    return f"one: {text.format('')} / other: {text.format('s')}"


# Not the UK's SORP (issue 27): Australia and New Zealand say expenses.
EXPENSES = {
    "function_fundraising": "Fundraising",
    "function_administration": "Administration",
    "function_administration_note": "",  # no SORP note: administration is a function here
    "expenses": "total expenses",
    "kind_expense": "Expenses",
    "net": "surplus (deficit)",
    "trend": "Income and expenses over the years",
    "finances_intro": "Income of {income} against expenses of {expenses}.",
    "alt_expenses": (
        "{title}, {fiscal_year}: ring chart of {total} of expenses by function. {list}."
    ),
}

# What each pack changes from its parent, and nothing else.
CHANGED = {
    "en-AU": {
        **EXPENSES,
        "program_share": "of spending went to programs",
        "function_program": "Programs",
        "people": "Committee and Office Bearers",
        "group_board": "Committee",
        "group_officer": "Office Bearers",
        "title_handout": "Annual General Meeting (AGM) Handout",
        "members_only": AGM_NOTE,
    },
    "en-NZ": {
        **EXPENSES,
        "program_share": "of spending went to programmes",
        "function_program": "Programmes",
        "people": "Committee and Officers",
        "group_board": "Committee",
        "title_handout": "Annual General Meeting (AGM) Handout",
        "members_only": AGM_NOTE,
    },
    "en-IE": {
        "people": "Board of Directors and Officers",
        "group_board": "Board of Directors",
        "title_handout": "Annual General Meeting (AGM) Handout",
        "members_only": AGM_NOTE,
    },
}
NORTH_AMERICA = {
    "coalition_orgs": _plural("partner organization{} in coalitions"),
    "coalition_orgs_largest": _plural("partner organization{} in our largest coalition"),
    "row_coalition_orgs": "Partner organizations in coalitions",
    "members": "Member organizations",
    "program_share": "of spending went to programs",
    "function_program": "Programs",
    "people": "Board of Directors and Officers",
    "group_board": "Board of Directors",
    "receipt_issuer_section": "2. Recipient organization",
    "receipt_org_name": "Name of the organization",
}
CHANGED["en-CA"] = {
    **NORTH_AMERICA,
    "title_handout": "Annual General Meeting (AGM) Handout",
    "members_only": AGM_NOTE,
}
CHANGED["en-US"] = {
    **NORTH_AMERICA,
    "by_fund": "Income and expenses by fund",
    "fund_expenditure": "Expenses",
    "title_handout": "Annual Meeting Handout",
    "members_only": AGM_NOTE.replace("annual general", "annual"),
}


def _shown(word: languages.Word) -> str:
    return word if isinstance(word, str) else " / ".join(f"{k}: {v}" for k, v in word)


@pytest.mark.parametrize("tag", REGIONAL)
def test_each_pack_overlays_its_parent_only_where_intended(tag: str) -> None:
    own, parent = languages.pack(tag), languages.pack(PARENT[tag])
    assert own is not None and parent is not None
    assert [k for k, _ in own.words] == list(languages.word_keys())  # inherits every word
    assert languages.missing_words(tag, ()) == []
    mine, theirs = dict(own.words), dict(parent.words)
    changed = {k: _shown(v) for k, v in mine.items() if v != theirs[k]}
    assert changed == CHANGED[tag]
    assert languages.locale(tag) == tag.replace("-", "_")
    # the parent's typography: single quotes first where British usage rules;
    # American usage keeps the serial comma the house style drops
    usage = {"en-US": {"list_locale": "en_US"}}.get(tag, {})
    assert own.typography == replace(parent.typography, **usage)


def test_the_words_an_editor_in_each_country_expects() -> None:
    from reportgen.composing import formats

    rows = {  # tag: (fiscal_year, function_program, a coalition count of 2)
        "en-AU": ("Financial year", "Programs", "partner organisations in coalitions"),
        "en-NZ": ("Financial year", "Programmes", "partner organisations in coalitions"),
        "en-IE": ("Financial year", "Charitable activities", "partner organisations in coalitions"),
        "en-US": ("Fiscal year", "Programs", "partner organizations in coalitions"),
        "en-CA": ("Fiscal year", "Programs", "partner organizations in coalitions"),
    }
    for tag, (year, program, orgs) in rows.items():
        assert formats.label(tag, "fiscal_year") == year, tag
        assert formats.label(tag, "function_program") == program, tag
        assert formats.label(tag, "coalition_orgs", 2) == orgs, tag
        assert formats.label(tag, "fund_expenditure") == (
            "Expenses" if tag == "en-US" else "Expenditure"
        ), tag


def test_dates_follow_each_countrys_cldr_order() -> None:
    from datetime import date

    from reportgen.composing import formats

    day = date(2012, 9, 20)
    for tag in ("en-AU", "en-NZ", "en-IE"):
        assert formats.format_date(day, tag) == "20 September 2012", tag
        assert formats.format_date(day, tag, "table") == "20 Sept 2012", tag
    for tag in ("en-US", "en-CA"):
        assert formats.format_date(day, tag) == "September 20, 2012", tag
        assert formats.format_date(day, tag, "table") == "Sep 20, 2012", tag


def test_labels_prints_each_pack() -> None:
    import tomllib

    from click.testing import CliRunner

    from reportgen.cli import cli

    for tag in REGIONAL:
        out = CliRunner().invoke(cli, ["labels", "--language", tag])
        assert out.exit_code == 0, out.output
        parsed = tomllib.loads(out.output)["labels"][tag]
        assert list(parsed) == list(languages.word_keys())
        assert parsed["title_handout"] == CHANGED[tag]["title_handout"]


def test_an_australian_handout(tmp_path: Path) -> None:
    """check accepts en-AU with no [labels.en-AU], and the handout built in it
    carries the Australian title and year words."""
    from reportgen.commands.build import run_build, run_check
    from tests.conftest import copy_root
    from tests.pdfparse import ParsedPdf

    root = copy_root("small", tmp_path)
    settings = root / "organization.toml"
    settings.write_text(
        settings.read_text("utf-8").replace('languages = ["en"]', 'languages = ["en-AU"]'), "utf-8"
    )
    donors = root / "fy2012/data/donors.csv"
    donors.write_text(donors.read_text("utf-8").replace(",en,", ",en-AU,"), "utf-8")
    assert "[labels" not in settings.read_text("utf-8")
    checked = run_check(root / "fy2012")
    assert checked.ok
    assert not any("en-AU" in d.message for d in checked.diagnostics)
    result = run_build(root / "fy2012", tmp_path / "out", ["handout"])
    [handout] = [f.path for f in result.files]
    text = ParsedPdf(handout).all_text()
    assert "Annual General Meeting (AGM) Handout FY2012" in text
    assert "Financial year 1 September 2012 to 31 August 2013" in text
    assert "General Meeting Handout FY2012" not in text.replace("(AGM) Handout", "")
    assert "Fiscal year" not in text


# A lobbying counterpart in a sentence (review 2: "with Diet member (6),
# Embassy (6), and Ministry (4)" above a chart of the same three counts).


@pytest.mark.parametrize(
    ("name", "plural"),
    [
        ("Diet member", "Diet members"),  # several words keep their capitals
        ("Embassy", "embassies"),  # one capitalised word is a common noun
        ("Ministry", "ministries"),
        ("Church", "churches"),
        ("Day", "days"),
        ("NGO", "NGOs"),
        ("Person", "people"),
        ("Chairwoman", "chairwomen"),
        ("UN agency", "UN agencies"),
        ("Office (UK)", "Office (UK)"),  # not a word's end: as written
        ("大使館", "大使館"),
    ],
)
def test_a_counterpart_named_in_data_is_made_plural(name: str, plural: str) -> None:
    assert languages.grammar.english_plural(name) == plural


def _with_lobbying(tmp_path: Path, kinds: list[tuple[str, int]]) -> Path:
    from tests.conftest import copy_root

    year = copy_root("small", tmp_path) / "fy2012"
    rows = ["date,target_type,target,topic,outcome,attendees,visibility"]
    for i, (kind, count) in enumerate(kinds):
        rows += [f"2012-10-{i + 1:02d},{kind},{kind} office {n},Refugees,,1,public"
                 for n in range(count)]  # fmt: skip
    (year / "data" / "lobbying.csv").write_text("\n".join(rows) + "\n", "utf-8")
    return year


def test_the_counterparts_are_said_once_in_a_sentence_not_again_in_a_chart(
    tmp_path: Path,
) -> None:
    from tests.conftest import html_alone

    year = _with_lobbying(tmp_path / "few", [("Diet member", 6), ("Embassy", 1), ("Ministry", 4)])
    html = html_alone(year, "annual-report", "en")
    # the house style: no serial comma
    assert "11 meetings with Diet members (6), ministries (4) and embassy (1)." in html
    assert 'id="chart-by-target"' not in html
    # Many kinds of counterpart: the chart is the clearer way to read them.
    many = [(f"Kind {k}", k + 1) for k in range(7)]
    html = html_alone(_with_lobbying(tmp_path / "many", many), "annual-report", "en")
    assert 'id="chart-by-target"' in html and "Kind 7s (7)" not in html
