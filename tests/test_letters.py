"""Donor letters (``reportgen.typesetting.letters``): what each letter says about its gift."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from reportgen.commands.build import load_year, run_build
from reportgen.composing import formats
from reportgen.core.diagnostics import Diagnostics
from reportgen.reading.config import load_config
from reportgen.reading.model import Ask, Gift, ask_for
from reportgen.typesetting.letters import make_letters, monthly_amount, postal
from tests.conftest import copy_root
from tests.pdfparse import ParsedPdf

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


# --- letters that fit the donor (issues 27, 28) -----------------------------------


def _gift(day: date, amount: int) -> Gift:
    return Gift(donor="X", date=day, amount=Decimal(amount))


def test_a_monthly_giver_is_told_from_dates_and_amounts_not_words() -> None:
    twelve = [_gift(date(2012, 9 + n, 5) if n < 4 else date(2013, n - 3, 5), 1000)
              for n in range(12)]  # fmt: skip
    assert monthly_amount(twelve) == Decimal(1000)
    # an appeal gift beside the standing order does not change it
    assert monthly_amount([*twelve[:3], _gift(date(2012, 12, 20), 50000)]) == Decimal(1000)
    # two months in a row are not yet a habit; three gifts with a gap are not monthly
    assert monthly_amount(twelve[:2]) is None
    assert monthly_amount([twelve[0], twelve[1], twelve[3]]) is None
    # three gifts in three months, of different amounts, are several gifts
    assert monthly_amount([_gift(date(2012, 9, 1), 10), _gift(date(2012, 10, 1), 20),
                           _gift(date(2012, 11, 1), 30)]) is None  # fmt: skip
    # two gifts in one month count once
    assert monthly_amount([twelve[0], _gift(date(2012, 9, 25), 1000), twelve[1]]) is None


def test_the_ask_is_the_highest_tier_the_gift_reaches() -> None:
    asks = (Ask("small", Decimal(0)), Ask("middle", Decimal(30000)),
            Ask("large", Decimal(100000)), Ask("monthly", monthly=True))  # fmt: skip
    said = {amount: (ask.text if (ask := ask_for(asks, amount, False)) else None)
            for amount in (None, Decimal(5000), Decimal(30000), Decimal(120000))}  # fmt: skip
    assert said == {None: "small", Decimal(5000): "small", Decimal(30000): "middle",
                    Decimal(120000): "large"}  # fmt: skip
    assert (found := ask_for(asks, Decimal(120000), True)) and found.text == "monthly"
    assert ask_for(asks[1:3], Decimal(5000), False) is None  # below every tier: nothing
    assert (found := ask_for(asks[:1], Decimal(5), True)) and found.text == "small"


def test_english_dates_abbreviate_a_month_to_three_letters() -> None:
    """en-GB's CLDR data abbreviates September "Sept"; the pack's months_short
    says "Sep", in a table's dates and a chart's months alike."""
    assert formats.format_date(date(2024, 9, 5), "en-GB", "table") == "5 Sep 2024"
    assert formats.format_month(date(2024, 9, 5), "en-GB") == "Sep"
    assert formats.format_date(date(2024, 9, 5), "en-GB") == "5 September 2024"
    assert formats.format_date(date(2024, 5, 5), "en-GB", "table") == "5 May 2024"


def test_the_return_line_drops_a_closing_remark() -> None:
    assert postal("Unit 4, Canal Wharf, Leeds LS11 5XX (illustrative)") == (
        "Unit 4, Canal Wharf, Leeds LS11 5XX"
    )
    assert postal("〒101-0051 東京都千代田区神田神保町3-12-7（架空の住所）") == (
        "〒101-0051 東京都千代田区神田神保町3-12-7"
    )
    assert postal("Unit 4 (rear), Leeds LS11 5XX") == "Unit 4 (rear), Leeds LS11 5XX"


ASKS = """
[[asks]]
from = 0
text = "Small ask: 5,000 yen pays for a night's shelter."

[[asks]]
from = 30000
text = "Middle ask: 20,000 yen keeps a family safe for a week."

[[asks]]
monthly = true
text = "Monthly thanks: your standing order lets us plan ahead."
"""

LETTER = """---
role: letter
---

{{salutation}}

Thank you for {{gifts}} in {{fiscal_year}}.

{{ask}}

With gratitude,
"""


def _generated_donors(year: Path) -> None:
    """Donors the sample lacks: one gift, twelve monthly gifts, three gifts of
    different amounts, a group, a Gift Aid declaration on file, no gift."""
    (year / "data/donors.csv").write_text(
        "id,name,salutation,email,language,amount,type,gift_aid_declared\n"
        "G-1,One Gift,Dear One,one@example.org,en,,,\n"
        "G-2,Every Month,Dear Monthly,monthly@example.org,en,,,\n"
        "G-3,Three Gifts,Dear Three,three@example.org,en,,,\n"
        "G-4,Riverside Reading Circle,Dear friends,circle@example.org,en,,organisation,\n"
        "G-5,Declared Donor,Dear Declared,declared@example.org,en,40000,,2011-05-01\n"
        "G-6,No Gift,Dear Friend,none@example.org,en,,,\n",
        "utf-8",
    )
    months = [date(2012, 9, 15) + timedelta(days=31 * n) for n in range(12)]
    rows = ["G-1,2012-11-02,5000", *(f"G-2,{d.replace(day=15)},2000" for d in months),
            "G-3,2012-10-01,1000", "G-3,2013-01-10,4000", "G-3,2013-06-30,2500",
            "G-4,2013-02-14,120000"]  # fmt: skip
    (year / "data/gifts.csv").write_text("donor,date,amount\n" + "\n".join(rows) + "\n")


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """tests/roots/small with generated donors, asks, a letter file saying
    {{gifts}} and {{ask}}, a foot inviting Gift Aid, and a signature image:
    its donor edition and letters built once; each letter's first page's text."""
    folder = tmp_path_factory.mktemp("fitted")
    root = copy_root("small", folder)
    year = root / "fy2012"
    _generated_donors(year)
    (year / "narrative/07-letter.md").write_text(LETTER, "utf-8")
    (year / "report.toml").write_text((year / "report.toml").read_text("utf-8") + ASKS)
    (root / "assets").mkdir(exist_ok=True)
    picture = Image.new("RGB", (300, 90), "white")
    for x in range(20, 280):
        picture.putpixel((x, 45 + (x % 23) - 11), (20, 30, 90))
    picture.save(root / "assets/signature.png")
    settings = root / "organization.toml"
    text = (
        settings.read_text("utf-8")
        .replace(
            "[organization]\n",
            '[organization]\ngiving = "Tick the Gift Aid box: we claim 25p for every pound."\n'
            'giving_declared = "Thank you: your Gift Aid declaration is on file."\n',
        )
        .replace("[signatory]", "[[signatories]]")
    )
    settings.write_text(text + 'signature_image = "assets/signature.png"\n', "utf-8")
    out = folder / "output"
    run_build(year, out, editions=["donor"], workers=1)
    letters = {p.stem: p for p in (out / "fy2012/donors").glob("*.pdf")}
    assert sorted(letters) == ["g-1", "g-2", "g-3", "g-4", "g-5", "g-6"]
    texts = {name: " ".join(ParsedPdf(path).text(1).split()) for name, path in letters.items()}
    with pikepdf.open(letters["g-1"]) as pdf:  # the letter's page's pictures
        texts["_image_on_g-1"] = str(len(pdf.pages[0].get_images()))
    return texts


def test_each_letter_thanks_the_donor_for_the_gifts_they_made(fitted: dict[str, str]) -> None:
    assert "Thank you for your gift of ¥5,000 in FY2012." in fitted["g-1"]
    assert "Thank you for your ¥2,000 every month (¥24,000 in all) in FY2012." in fitted["g-2"]
    assert "Thank you for your 3 gifts (¥7,500 in all) in FY2012." in fitted["g-3"]
    assert (
        "Thank you for the gift of ¥120,000 from everyone at Riverside Reading Circle in FY2012."
        in fitted["g-4"]
    )
    assert "Thank you for your gift of ¥40,000 in FY2012." in fitted["g-5"]
    assert "Thank you for your support in FY2012." in fitted["g-6"]


def test_each_letter_asks_what_fits_the_gift_and_never_a_monthly_giver_to_start(
    fitted: dict[str, str],
) -> None:
    asks = {name: [a for a in ("Small ask", "Middle ask", "Monthly thanks") if a in text]
            for name, text in fitted.items() if name.startswith("g-")}  # fmt: skip
    assert asks == {
        "g-1": ["Small ask"], "g-2": ["Monthly thanks"], "g-3": ["Small ask"],
        "g-4": ["Middle ask"], "g-5": ["Middle ask"], "g-6": ["Small ask"],
    }  # fmt: skip


def test_a_declaration_on_file_is_never_asked_for_again(fitted: dict[str, str]) -> None:
    assert "Tick the Gift Aid box" in fitted["g-1"]  # the foot invites a person without one
    assert "Tick the Gift Aid box" not in fitted["g-5"]
    assert "your Gift Aid declaration is on file" in fitted["g-5"]
    assert "Tick the Gift Aid box" not in fitted["g-4"]  # an organisation: never


def test_a_signature_image_signs_above_the_typed_name(fitted: dict[str, str]) -> None:
    assert int(fitted["_image_on_g-1"]) >= 1  # the signature (the small root has no logo)
    assert "Ada Signer" in fitted["g-1"]


# --- asks and signature images, checked where written -----------------------------


def _config_problems(tmp_path: Path, report: str, org: str = "") -> list[str]:
    """The located problems ``check`` finds in a report.toml (and organization.toml)."""
    year = tmp_path / "set/fy2012"
    year.mkdir(parents=True, exist_ok=True)
    (year / "report.toml").write_text(
        'title = "T"\nfiscal_year = "FY2012"\nstart = 2012-09-01\nend = 2013-08-31\n'
        'languages = ["en", "ja"]\n' + report,
        "utf-8",
    )
    (year.parent / "organization.toml").write_text('[organization]\nname = "Org"\n' + org)
    diags = Diagnostics()
    load_config(year, diags)
    return [d.format(tmp_path) for d in diags.sorted()]


def test_every_problem_of_the_asks_is_said_at_its_entry(tmp_path: Path) -> None:
    said = _config_problems(tmp_path, (
        '[[asks]]\nfrom = 0\ntext = "Small"\ntext_ja = "少額"\n'  # line 6: fine
        '[[asks]]\nfrom = -5\ntext = "Negative"\ntext_ja = "負"\n'  # line 10
        '[[asks]]\nfrom = 0\ntext = "Again"\ntext_ja = "再び"\n'  # line 14: same tier
        '[[asks]]\nfrom = 100\ntext_ja = "本文なし"\n'  # line 18: no text
        '[[asks]]\nfrom = 200\ntext = "Untranslated"\nfrmo = 3\n'  # line 21
        '[[asks]]\nmonthly = "yes"\ntext = "Monthly"\ntext_ja = "毎月"\n'  # line 25
    ))  # fmt: skip
    assert said == [
        "set/fy2012/report.toml:10: 'from' of ask 2 of 'asks' must be an amount of at "
        "least 0 (a number), not -5",
        "set/fy2012/report.toml:14: ask 3 of 'asks' is for the same gifts as ask 1 of "
        "'asks': give each ask its own 'from' (and at most one 'monthly = true')",
        "set/fy2012/report.toml:18: ask 4 of 'asks' has no 'text': what does the letter ask?",
        "set/fy2012/report.toml:21: 'text_ja' is missing from [[asks]] number 5 (counted "
        "from the first): a letter in ja would ask in another language; give 'text_ja' in each",
        "set/fy2012/report.toml:21: warning: unknown key 'frmo' in ask 5 of 'asks' (did you "
        "mean 'from'?)",
        "set/fy2012/report.toml:25: 'monthly' of ask 6 of 'asks' must be true or false, not 'yes'",
    ], said
    assert _config_problems(tmp_path, 'asks = "give more"\n') == [
        "set/fy2012/report.toml:6: 'asks' must be a list of tables, each [[asks]] with "
        "'from' (an amount) and 'text', e.g. from = 100 and text = \"£100 keeps a lunch club "
        'open for a week."'
    ]


def test_an_ask_in_a_letter_needs_asks_declared(small_set: Path) -> None:
    year = small_set / "fy2012"
    (year / "narrative/07-letter.md").write_text(LETTER, "utf-8")
    diags = Diagnostics()
    assert load_year(year, diags) is None
    found = [d.format(small_set) for d in diags.sorted() if d.severity.name == "ERROR"]
    assert len(found) == 1 and found[0].startswith("fy2012/narrative/07-letter.md:9: "), found
    assert "'{{ask}}' but the settings declare no [[asks]]" in found[0]


def test_a_signature_image_passes_the_gate_or_is_refused_at_its_signatory(
    tmp_path: Path,
) -> None:
    (tmp_path / "set/assets").mkdir(parents=True)
    (tmp_path / "set/assets/notes.png").write_text("not a picture at all", "utf-8")
    Image.new("1", (9000, 7000)).save(tmp_path / "set/assets/huge.png")  # 63 megapixels
    (tmp_path / "outside.png").write_bytes((tmp_path / "set/assets/huge.png").read_bytes())
    Image.new("RGB", (300, 90), "white").save(tmp_path / "set/assets/fine.png")
    signers = "".join(
        f'[[signatories]]\nname = "Signer {n}"\nsignature_image = "{path}"\n'
        for n, path in enumerate(("assets/fine.png", "../outside.png", "assets/notes.png",
                                  "assets/huge.png"), start=1)
    )  # fmt: skip
    said = _config_problems(tmp_path, "", signers)
    assert [line.split(": ")[0] for line in said] == [
        "set/organization.toml:6",
        "set/organization.toml:9",
        "set/organization.toml:12",
    ], said  # signer 1's picture passes; each other is refused at its own entry
    assert all("warning" not in line and "'signature_image' of signatory" in line
               for line in said)  # fmt: skip
    assert "signatory 2 of" in said[0] and "signatory 4 of" in said[2]
