"""The donor edition as a piece made for donors, and letters by where the
donor lives (issue 27). Page contexts and HTML without a PDF, and letters
made without laying them out; the page count is read from the sample's
shared build."""

from __future__ import annotations

import re
from dataclasses import replace as changed
from pathlib import Path

from reportgen.commands.build import load_year, run_check
from reportgen.core.diagnostics import Diagnostics
from reportgen.core.editions import EDITIONS
from reportgen.reading.model import Donor
from reportgen.typesetting.html_pages import render_html
from reportgen.typesetting.letters import (
    Letter,
    abroad,
    address_lines,
    make_letters,
    return_lines,
)
from tests.conftest import BuiltSample, copy_root
from tests.pdfparse import ParsedPdf
from tests.test_accounts import _context, _two_years, _write
from tests.test_bad_input import replace

GIFT = """---
role: gift-at-work
---

# Your gift at work

- **¥5,000** paid for a night's shelter.
- **¥20,000** paid for a week of food.
"""
STORY = """---
place: lead
title: A story
---

One life at a time.
"""


def test_the_donor_edition_leads_with_the_story_the_gift_and_the_ask(tmp_path: Path) -> None:
    year = _two_years(copy_root("small", tmp_path))
    _write(year, {"narrative/05-story.en.md": STORY, "narrative/06-gift.en.md": GIFT})
    ctx, html = _context(year, "donor", "en")
    story, gift = html.index('class="narrative lead-story"'), html.index('id="gift-at-work"')
    ask, figures = html.index('class="donor-ask'), html.index('id="highlights"')
    assert story < gift < figures < html.index('id="finances"') < ask  # the ask after the money
    # without the organisation's ways to give, a box that points to the back page
    assert 'class="donor-ask"' in html and ctx.labels["donor_reply"] not in html
    with_ways = changed(ctx, organization=changed(ctx.organization, giving="<p>By post.</p>"))
    strip = render_html(with_ways, "print", EDITIONS["donor"].template).html
    ways = strip[strip.index('class="donor-ask reply-strip"') :].split("</aside>")[0]
    assert "By post." in ways and ctx.labels["donor_reply"] in ways  # a reply strip
    # The ways to give once (Korean review N36, 5): the back page keeps the
    # contacts under its own heading, not the details again.
    back = strip[strip.index('id="how-to-give"') :]
    assert strip.count("By post.") == 1 and 'class="contact"' in back
    assert f"<h2>{ctx.labels['contact']}</h2>" in back
    # Where the strip leaves a page near-empty (edition_render.donor_pdf
    # tries it): the ask beside the story again, a box, once.
    beside = render_html(changed(with_ways, ask_beside_story=True), "print",
                         EDITIONS["donor"].template).html  # fmt: skip
    assert beside.index('id="gift-at-work"') < beside.index('class="donor-ask"')
    assert beside.index('class="donor-ask"') < beside.index('id="highlights"')
    assert beside.count('<aside class="donor-ask') == 1 and "donor-ask reply-strip" not in beside
    assert beside.count("By post.") == 1
    assert "By post." in beside[beside.index('id="how-to-give"') :]
    # After a personal letter (no thank-you): the figures, then the money
    # set larger, its charts one above the other, then the ask (review r35:
    # the figures and the ask alone left a page 45 % empty).
    after = render_html(changed(ctx, after_letter=True), "print", EDITIONS["donor"].template).html
    keys = ('class="narrative lead-story"', 'id="gift-at-work"', 'id="highlights"')
    placed = [after.index(key) for key in (*keys, 'id="finances"', 'class="donor-ask"')]
    assert placed == sorted(placed) and 'id="thank-you"' not in after
    assert after.count('id="gift-at-work"') == after.count('class="donor-ask"') == 1
    stacked = 'class="data-section money-stacked"'
    assert stacked in after and stacked not in html
    # Each chart that many times its drawn width, the ring's breakdown risen by as much.
    for chart_id, scale in (("chart-income", 1.3), ("chart-expenses", 1.5)):
        drawn = ctx.charts[chart_id].size[0] * 72
        assert f'id="{chart_id}" style="width: {drawn * scale:g}pt"' in after, chart_id
        assert f'id="{chart_id}" style="width:' not in html, chart_id
    room = ctx.charts["chart-expenses"].key_room
    assert room > 0 and f"margin-top: -{room * 1.5:g}pt" in after
    assert f"margin-top: -{room:g}pt" in html
    # The annual report's lead story is marked too: print.css sets its
    # picture in the side column, so a short story shares the page before.
    assert 'class="narrative lead-story"' in _context(year, "annual-report", "en")[1]
    assert "Your gift at work" in html and "¥20,000" in html
    assert ctx.labels["donor_ask"] in html  # an ask, not only an address
    # Where the money went: the functions' chart and the lines behind each
    # function's share (its small breakdown table), never the report's
    # line-by-line income and expenditure tables.
    start = html.index('id="finances"')
    finances = html[start : html.index("</section>", start)]
    assert 'class="chart-breakdown"' in finances and 'class="data amounts' not in finances
    outside = re.sub(r'<table class="chart-breakdown".*?</table>', "", html, flags=re.S)
    for line in ("Rent", "Beds"):  # the year's two expense lines
        assert f">{line}<" in finances and f">{line}<" not in outside, line
    # One example line for each function (review r34: eleven lines are the
    # trustees' detail; the annual report keeps them all).
    breakdown = finances[finances.index('<table class="chart-breakdown"') :].split("</table>")[0]
    for group in breakdown.split("<tbody>")[1:]:
        assert group.count("<tr>") <= 1, group
    # No accounts for donors, even with a restricted fund (the Shelter fund):
    # the statement of funds is trustee material (review r34).
    assert ctx.accounts is None and 'id="accounts"' not in html
    assert "Statement of funds" not in html
    # Without the role file there is no panel (and nothing built in stands for it).
    (year / "narrative/06-gift.en.md").unlink()
    assert 'id="gift-at-work"' not in _context(year, "donor", "en")[1]


def test_an_address_abroad_ends_with_its_country_and_a_domestic_one_does_not() -> None:
    brighton = Donor("Margaret", address="12 Harbour Road, Brighton", postcode="BN1 1AA",
                     country="United Kingdom")  # fmt: skip
    assert abroad(brighton, "Japan") and not abroad(brighton, "united kingdom")
    assert not abroad(brighton, None) and not abroad(Donor("No country"), "Japan")
    lines = address_lines(brighton, "en", "Japan")
    assert lines == ("Margaret", "12 Harbour Road", "Brighton BN1 1AA", "UNITED KINGDOM")
    assert address_lines(brighton, "en", "United Kingdom")[-1] == "Brighton BN1 1AA"
    seoul = Donor("김민지", address="서울특별시 중구 세종대로 17", postcode="04512",
                  country="South Korea")  # fmt: skip
    assert address_lines(seoul, "ko", "Japan")[-2:] == ("김민지 귀하", "SOUTH KOREA")
    # Royal Mail's post town in capitals, where the posting country's pack says so.
    leeds = Donor("Priya", address="14 Beech Grove, Leeds", postcode="LS6 2AB")
    assert address_lines(leeds, "en-GB", town_capitals=True)[-1] == "LEEDS LS6 2AB"


def test_a_return_line_too_long_for_the_window_sets_the_name_over_the_address() -> None:
    """Korean review K-P6: the return line above the window wrapped inside the
    address ("(우편번호 / 101-0051"). One line where it fits; else the name on
    its own line, the address whole beneath it."""
    name, address = "북한난민구원기금", "(101-0051) 일본 도쿄도 지요다구 간다진보초 3-12-7(가상)"
    assert return_lines(name, address, " · ", 70.0) == (name, address)
    assert return_lines("Small Society", "1 Road, Leeds", " · ", 70.0) == (
        "Small Society · 1 Road, Leeds",
    )
    assert return_lines(name, "", " · ", 70.0) == (name,)
    assert return_lines("", "", " · ", 70.0) == ()


def test_a_donor_abroad_gets_the_foot_for_donors_abroad_or_none(tmp_path: Path) -> None:
    root = copy_root("small", tmp_path)
    year = root / "fy2012"
    (year / "data/donors.csv").write_text(
        "id,name,language,amount,address,postcode,country\n"
        'D-1,Home Donor,en,100,"1-1 Kanda, Tokyo",101-0051,Japan\n'
        'D-2,Away Donor,en,100,"12 Harbour Road, Brighton",BN1 1AA,United Kingdom\n',
        "utf-8",
    )
    giving = 'giving = "Bank transfer: **Mizuho 0000000**."\ncountry = "Japan"\n'
    replace(root / "organization.toml", "[organization]\n", "[organization]\n" + giving)

    def letters() -> dict[str, Letter]:
        loaded = load_year(year, Diagnostics())
        assert loaded is not None
        return {letter.donor_id: letter for letter in make_letters(loaded, None)}

    made = letters()
    home, away = made["D-1"], made["D-2"]
    assert "Mizuho" in (home.organization.giving or "")
    assert away.organization.giving is None
    assert away.address_lines[-1] == "UNITED KINGDOM"
    assert home.address_lines[-1] == "Tokyo 101-0051"
    assert away.return_address.startswith("Small Test Society")
    abroad_giving = 'giving_abroad = "Give online at **give.example.org**."\n'
    replace(root / "organization.toml", "[organization]\n", "[organization]\n" + abroad_giving)
    away = letters()["D-2"]
    assert "give.example.org" in (away.organization.giving or "")


def test_a_posted_letter_without_an_address_is_a_warning_naming_the_donor(
    tmp_path: Path,
) -> None:
    year = copy_root("small", tmp_path) / "fy2012"
    donors = year / "data/donors.csv"
    # No address column: the letters go by e-mail, and nothing is said.
    assert not [d for d in run_check(year).diagnostics if "no address" in d.message]
    donors.write_text(
        "id,name,language,amount,address\n"
        'D-1,Posted Donor,en,100,"1 High Street, Leeds"\n'
        "D-2,Hand Addressed,en,100,\n",
        "utf-8",
    )
    [warning] = [d for d in run_check(year).diagnostics if "no address" in d.message]
    assert warning.severity.value == "warning"
    assert warning.location.path == donors and warning.location.line == 3
    assert "'Hand Addressed'" in warning.message and "window envelope" in warning.message


def test_the_sample_donor_editions_are_four_pages(built_sample: BuiltSample) -> None:
    for language in ("en", "ja", "ko"):
        pdf = ParsedPdf(built_sample.out / "fy2012" / language / "donor.pdf")
        assert pdf.page_count == 4, language


SIGNED_MESSAGE = """---
title: Message from the Chair
---

Dear friends, thank you for a year of steady work.

**Ada  Signer**\\
Chair
"""


def test_a_donor_edition_without_a_story_has_one_letter_and_asks_for_the_work(
    tmp_path: Path,
) -> None:
    """Review r36c, 4 and 5: without a story, the edition opened with the
    thank-you and then the message, each signed by the same person, and its
    ask said "Stories like this one". One letter, the signer's own, and an
    ask about the work; with a story, the thank-you and the story's ask."""
    year = _two_years(copy_root("small", tmp_path))
    _write(year, {"narrative/01-message.en.md": SIGNED_MESSAGE})
    ctx, html = _context(year, "donor", "en")
    assert (ctx.story, ctx.lead_letter) == (False, True)
    assert 'id="thank-you"' not in html and html.count("Ada Signer") == 0  # the message's own
    assert html.count("Ada  Signer") == 1 and 'class="narrative lead-story"' in html
    assert ctx.labels["donor_ask_work"] in html and "Stories like" not in html
    _write(year, {"narrative/05-story.en.md": STORY})
    ctx, html = _context(year, "donor", "en")
    assert (ctx.story, ctx.lead_letter) == (True, False)
    assert 'id="thank-you"' in html and ctx.labels["donor_ask"] in html
    assert html.index('id="thank-you"') < html.index("A story") < html.index("Ada  Signer")
