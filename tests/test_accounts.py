"""Accounts, signatories and text key figures (issue 28, parts 5 and 6).

Cheap on purpose: the checks run ``check`` (reading and validation only) or
a build that stops before rendering; the pages are asserted on the page
context and on the print HTML that Jinja makes, with no PDF rendered.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reportgen.commands.build import load_with_history, run_build, run_check
from reportgen.composing.edition_view import year_as_seen_by
from reportgen.composing.page_context import RenderContext, build_context
from reportgen.composing.palette import palette
from reportgen.core.diagnostics import Diagnostics
from reportgen.core.errors import InvalidInput
from reportgen.typesetting.edition_render import Analysis, figures_and_charts, print_page
from reportgen.typesetting.letters import letter_html, make_letters
from reportgen.typesetting.templating import template
from tests.conftest import copy_root

FUNDS_2011 = """fund,type,opening,income,expenditure,transfers,closing,note
General,unrestricted,1000,,,,,Free reserves
Shelter,restricted,500,,,,,Beds for the winter
"""
FINANCES_2011 = """kind,category,amount,function,fund
income,Donations,3000,,General
income,Grant,2000,,Shelter
expense,Rent,2500,administration,General
expense,Beds,1500,program,Shelter
"""
BALANCE_2011 = """section,item,amount
assets,Cash,2600
assets,Equipment,400
liabilities,Payables,500
funds,General,1500
funds,Shelter,1000
"""
FUNDS_2012 = """fund,type,opening,income,expenditure,transfers,closing,note
General,unrestricted,,,,-200,,Free reserves
Shelter,restricted,,,,200,,Beds for the winter
"""
FINANCES_2012 = """kind,category,amount,function,fund
income,Donations,4000,,General
income,Grant,1000,,Shelter
expense,Rent,2600,administration,General
expense,Beds,1800,program,Shelter
"""
# General 1500 + 4000 - 2600 - 200 = 2700; Shelter 1000 + 1000 - 1800 + 200 = 400
BALANCE_2012 = """section,item,amount,note
assets,Cash,3150,
assets,Equipment,300,
liabilities,Payables,350,
funds,General,2700,
funds,Shelter,400,
"""


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")


def _two_years(root: Path) -> Path:
    """The root's fy2012 with accounts, and an fy2011 beside it; returns fy2012."""
    year = root / "fy2012"
    before = root / "fy2011"
    _write(before, {
        "report.toml": 'title = "Annual Report FY2011"\nfiscal_year = "FY2011"\n'
                       "start = 2011-09-01\nend = 2012-08-31\n",
        "data/activities.csv": "date,title,category\n2011-10-01,Winter appeal,Appeal\n",
        "data/funds.csv": FUNDS_2011, "data/finances.csv": FINANCES_2011,
        "data/balance.csv": BALANCE_2011,
    })  # fmt: skip
    _write(year, {"data/funds.csv": FUNDS_2012, "data/finances.csv": FINANCES_2012,
                  "data/balance.csv": BALANCE_2012})  # fmt: skip
    return year


def _context(year_dir: Path, edition: str, language: str) -> tuple[RenderContext, str]:
    """The page context and the print HTML of one edition, without a PDF."""
    diags = Diagnostics()
    year, history = load_with_history(year_dir, diags)
    assert year is not None and not diags.has_errors, [d.format() for d in diags.sorted()]
    seen = year_as_seen_by(year, edition, language)
    earlier = [year_as_seen_by(y, edition, language) for y in history]
    analysis: Analysis = figures_and_charts(seen, earlier, language, draw=False)
    ctx = build_context(
        seen, edition, language, analysis.figures,
        analysis.earlier[0] if analysis.earlier else None, analysis.charts,
        palette(seen.config.theme), None,
    )  # fmt: skip
    return ctx, print_page(seen, edition, language, analysis, ctx=ctx).html


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_accounts_that_add_up_carry_last_years_balances_forward(tmp_path: Path) -> None:
    year = _two_years(copy_root("small", tmp_path))
    assert run_check(year.parent).ok
    ctx, html = _context(year, "annual-report", "en")
    assert ctx.accounts is not None and ctx.accounts.funds is not None
    funds = {row.cells[0]: row.cells[1:] for row in ctx.accounts.funds.rows}
    # opening (last year's closing), income, expenditure, transfers, closing
    assert funds["General"] == ("1,500", "4,000", "2,600", "(200)", "2,700")
    assert funds["Shelter"] == ("1,000", "1,000", "1,800", "200", "400")
    assert ctx.accounts.funds.footer == ("Total", "2,500", "5,000", "4,400", "–", "3,100")
    balance = ctx.accounts.balance
    assert balance is not None and balance.headers == ("Item", "FY2012", "FY2011")
    rows = {row.cells[0]: (row.kind, row.cells[1:]) for row in balance.rows}
    assert rows["Net assets"] == ("total", ("3,100", "2,500"))
    assert rows["Total funds"] == ("subtotal", ("3,100", "2,500"))
    # the finance tables beside last year's, in the HTML too
    assert ctx.income is not None and ctx.income.headers[1:3] == ("FY2012", "FY2011")
    # income and expenditure by fund too (the donor edition's; the annual report's
    # statement of funds takes its place there)
    assert ctx.funds is not None and ctx.funds.headers[1:3] == ("Income FY2012", "Income FY2011")
    assert 'id="accounts"' in html and "Income and expenditure by fund" not in _text(html)
    text = _text(html)
    assert "Balance sheet at 31 August 2013" in text and "Statement of funds" in text
    assert 'class="total"' in html and "Amounts in Japanese yen" in text


def test_no_last_year_no_comparatives_and_one_fund_without_a_balance_sheet(
    tmp_path: Path,
) -> None:
    year = copy_root("small", tmp_path) / "fy2012"
    _write(year, {
        "data/funds.csv": "fund,opening\nGeneral,250\n",
        "data/finances.csv": "kind,category,amount,function,fund\n"
                             "income,Donations,900,,General\nexpense,Rent,1000,program,General\n",
    })  # fmt: skip
    ctx, html = _context(year, "annual-report", "en")
    assert ctx.accounts is not None and ctx.accounts.balance is None
    assert ctx.accounts.funds is not None
    (row,) = ctx.accounts.funds.rows
    assert row.cells == ("General", "250", "900", "1,000", "150")  # no transfers column
    assert ctx.income is not None and ctx.income.headers == ("Income", "Amount", "Share")
    assert ctx.funds is not None and ctx.funds.headers == ("Fund", "Income", "Expenses")
    assert "Balance sheet" not in _text(html) and "Statement of funds" in _text(html)
    # and a year without accounts has no section
    bare, page = _context(copy_root("clean", tmp_path) / "fy2012", "annual-report", "en")
    assert bare.accounts is None and 'id="accounts"' not in page


def test_every_reconciliation_problem_is_located_at_once_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    year = _two_years(copy_root("small", tmp_path))
    _write(year, {
        # Shelter opens at 900 (last year closed at 1,000); General's closing is wrong;
        # the transfers do not net to zero
        "data/funds.csv": "fund,type,opening,income,expenditure,transfers,closing\n"
                          "General,unrestricted,,,,-200,2600\n"
                          "Shelter,restricted,900,,,300,\n",
        # assets less liabilities is not the funds
        "data/balance.csv": BALANCE_2012.replace("assets,Cash,3150", "assets,Cash,3160"),
    })  # fmt: skip
    found: dict[tuple[str, int | None], str] = {}
    for d in run_check(year).diagnostics:
        if d.severity.value == "error":
            where = (d.location.path.name, d.location.line)
            found[where] = found.get(where, "") + d.message + "\n"
    assert "closes at JPY 2,600" in found[("funds.csv", 2)]
    assert "opens at JPY 900" in found[("funds.csv", 3)]
    assert "FY2011's closing balance of the fund was JPY 1,000" in found[("funds.csv", 3)]
    assert "transfers between funds add up to JPY 100" in found[("funds.csv", 3)]
    assert "does not balance" in found[("balance.csv", 5)]
    out = tmp_path / "out"
    with pytest.raises(InvalidInput):
        run_build(year, out)
    assert not (out / "fy2012").exists()


def test_a_fund_the_finances_name_must_be_in_the_funds_table(tmp_path: Path) -> None:
    year = _two_years(copy_root("small", tmp_path))
    with (year / "data/finances.csv").open("a", encoding="utf-8") as handle:
        handle.write("income,Legacy,50,,Legacy fund\n")
    errors = [d for d in run_check(year).diagnostics if d.severity.value == "error"]
    located = [(d.location.path.name, d.location.line) for d in errors
               if "'Legacy fund' is not in the funds table" in d.message]  # fmt: skip
    assert located == [("finances.csv", 6)]


def test_three_languages_set_the_accounts_in_their_own_words(tmp_path: Path) -> None:
    year = copy_root("languages", tmp_path) / "fy2012"
    _write(year, {
        "data/balance.csv": "section,item,item_ja,item_ko,amount\n"
                            "assets,Cash,現金預金,현금,1000\nliabilities,Loan,借入金,차입금,1200\n"
                            "funds,General,一般正味財産,일반 순자산,(200)\n",
    })  # fmt: skip
    seen = {}
    for language in ("en", "ja", "ko"):
        ctx, _ = _context(year, "annual-report", language)
        assert ctx.accounts is not None and ctx.accounts.balance is not None
        seen[language] = {r.cells[0]: r.cells[1] for r in ctx.accounts.balance.rows}
    assert seen["en"]["Net assets"] == "(200)" and seen["en"]["Cash"] == "1,000"
    assert seen["ja"]["正味財産合計"] == "△200" and "現金預金" in seen["ja"]
    assert seen["ko"]["순자산 총계"] == "(200)" and "현금" in seen["ko"]
    # A Japanese or Korean sheet ends as its accounts do, on liabilities and
    # funds totalled (equal to the assets), with no net assets line above.
    for language, last in (("ja", "負債及び正味財産合計"), ("ko", "부채와 순자산 총계")):
        assert list(seen[language])[-1] == last and seen[language][last] == "1,000"
    assert "正味財産（資産－負債）" not in seen["ja"] and not any("자산 −" in k for k in seen["ko"])
    assert list(seen["en"])[-1] == "Total funds" and "Total liabilities and funds" not in str(seen)
    # A balance sheet stands at a day: ja and ko head its column by the date.
    for language, day in (("ja", "2013年8月31日"), ("ko", "2013년 8월 31일")):
        ctx, _ = _context(year, "annual-report", language)
        assert ctx.accounts is not None and ctx.accounts.balance is not None
        assert ctx.accounts.balance.headers[1] == day, ctx.accounts.balance.headers


SIGNATORIES = """
[[signatories]]
name = "Ada Signer"
role = "Chair"

[[signatories]]
name = "Ben Treasurer"
role = "Treasurer"
"""


def test_signatories_sign_in_order_the_message_and_the_letters(tmp_path: Path) -> None:
    year = copy_root("small", tmp_path) / "fy2012"
    with (year / "report.toml").open("a", encoding="utf-8") as handle:
        handle.write(SIGNATORIES)
    ctx, html = _context(year, "donor", "en")
    assert [s.name for s in ctx.signatories] == ["Ada Signer", "Ben Treasurer"]
    text = _text(html.split('id="thank-you"')[1].split("</section>")[0])
    assert text.index("Ada Signer") < text.index("Chair, Small Test Society")
    assert text.index("Chair, Small Test Society") < text.index("Ben Treasurer")
    assert "Treasurer, Small Test Society" in text
    diags = Diagnostics()
    loaded, _ = load_with_history(year, diags)
    assert loaded is not None
    letter = make_letters(loaded, None)[0]
    page = _text(letter_html(template("letter.html.j2", None), letter, ""))
    assert page.index("Ada Signer") < page.index("Ben Treasurer")


def test_signatories_translate_and_share_the_organisation_line(tmp_path: Path) -> None:
    year = copy_root("languages", tmp_path) / "fy2012"
    with (year / "report.toml").open("a", encoding="utf-8") as handle:
        handle.write(SIGNATORIES.replace('role = "Treasurer"',
                                         'role = "Treasurer"\nrole_ja = "会計"'))  # fmt: skip
    ctx, _ = _context(year, "donor", "ja")
    head, blocks, tail = ctx.signatures
    assert head == ("小さな試験協会",) and tail == ()
    # each in order, the role in Japanese where given, else the pack's word
    # for a role it knows (Chair: 理事長)
    assert [b[-1] for b in blocks] == ["理事長\u3000Ada Signer", "会計\u3000Ben Treasurer"]


def test_a_text_key_figure_is_set_as_words_without_a_change(tmp_path: Path) -> None:
    year = copy_root("small", tmp_path) / "fy2012"
    _write(year, {"data/indicators.csv": "name,value,unit,previous,note\n"
                                         "Milestone,A new koala ward opened,,,In March\n"
                                         "Meals,1200,meals,1000,\n"})  # fmt: skip
    ctx, html = _context(year, "annual-report", "en")
    milestone, meals = ctx.stats[:2]
    assert (milestone.value, milestone.text, milestone.change) == (
        "A new koala ward opened", True, None)  # fmt: skip
    assert meals.change is not None and not meals.text
    assert 'class="stat stat-text"' in html and "A new koala ward opened" in html
    # a text value has nothing to compare with: previous is an error at its cell
    (year / "data/indicators.csv").write_text(
        "name,value,previous\nMilestone,A new ward opened,3\n", "utf-8"
    )
    errors = [d for d in run_check(year).diagnostics if d.severity.value == "error"]
    assert [(d.location.path.name, d.location.line) for d in errors] == [("indicators.csv", 2)]


def test_the_uk_sample_carries_its_restricted_fund_forward(tmp_path: Path) -> None:
    sample = Path(__file__).resolve().parents[1] / "examples/uk-food-bank"
    shutil.copytree(sample, tmp_path / "uk")
    ctx, _ = _context(tmp_path / "uk/fy2024", "annual-report", "en-GB")
    assert ctx.accounts is not None and ctx.accounts.funds is not None
    lunch = next(r for r in ctx.accounts.funds.rows if r.cells[0] == "Holiday lunch clubs")
    assert lunch.cells[1] == "3,150.00"  # 2023–24's closing balance


def test_a_new_year_from_the_last_keeps_the_funds_and_carries_their_balances(
    tmp_path: Path,
) -> None:
    from reportgen.commands.new import new_year

    year = _two_years(copy_root("small", tmp_path))
    new_year(year.parent / "fy2013", year)
    assert (year.parent / "fy2013/data/funds.csv").read_text("utf-8").splitlines()[1:] == [
        "General,unrestricted,,,,,,Free reserves",
        "Shelter,restricted,,,,,,Beds for the winter",
    ]
    ctx, _ = _context(year.parent / "fy2013", "annual-report", "en")
    assert ctx.accounts is not None and ctx.accounts.funds is not None
    assert [r.cells[1] for r in ctx.accounts.funds.rows] == ["2,700", "400"]


def test_signatories_are_checked_where_written(tmp_path: Path) -> None:
    year = copy_root("small", tmp_path) / "fy2012"
    report = year / "report.toml"
    before = len(report.read_text("utf-8").splitlines())
    with report.open("a", encoding="utf-8") as handle:
        handle.write('\n[signatory]\nname = "Old Signer"\n' + SIGNATORIES
                     + '\n[[signatories]]\nrole = "Secretary"\nnmae = "Typo"\n')  # fmt: skip
    found = [(d.severity.value, d.location.line, d.message) for d in run_check(year).diagnostics
             if d.location.path.name == "report.toml"]  # fmt: skip
    third = before + 13  # the third [[signatories]] header
    assert ("error", third, "signatory 3 of 'signatories' has no 'name': who signs?") in found
    assert any(s == "warning" and line == third and "'nmae'" in m for s, line, m in found)
    assert any(s == "warning" and "'signatory' is not used" in m for s, _, m in found)


def test_each_edition_carries_the_accounts_its_declaration_names(tmp_path: Path) -> None:
    """``Edition.accounts`` decides: the annual report carries the balance
    sheet and the statement of funds; the members' handout (one sheet) and
    the statement of funds alone (never its income and expenditure by fund),
    the donor edition no accounts (trustee material); each template that may
    carry accounts sets them with the one partial."""
    from reportgen.core.editions import DOCUMENTS, EDITIONS

    year = _two_years(copy_root("small", tmp_path))
    for name in DOCUMENTS:
        shown = EDITIONS[name].accounts
        ctx, html = _context(year, name, "en")
        text = _text(html)
        assert (ctx.accounts is not None) is bool(shown), name
        assert ("Balance sheet at 31 August 2013" in text) is ("balance" in shown), name
        funds = "funds" in shown
        assert ("Statement of funds" in text) is funds, name
        if funds:
            assert "Income and expenditure by fund" not in text, name
        template = (Path(__file__).parents[1] / "templates" / EDITIONS[name].template).read_text()
        assert ('include "partials/accounts.html.j2"' in template) is bool(shown), name
    assert EDITIONS["annual-report"].accounts == ("balance", "funds")
    assert EDITIONS["handout"].accounts == ("funds",)
    assert EDITIONS["donor"].accounts == ()


@pytest.mark.parametrize(
    ("language", "unit"),
    [("en", "Amounts in Japanese yen · Illustrative figures"), ("ja", "架空の数値です")],
)
def test_a_note_of_every_figure_stands_on_the_unit_line(
    tmp_path: Path, language: str, unit: str
) -> None:
    """Review 2: "Illustrative figures" sat under "Unrestricted net assets", as
    if it described that line. `accounts_note` says it once, on the unit line,
    in the reader's language."""
    sample = Path(__file__).resolve().parents[1] / "reports"
    shutil.copytree(sample, tmp_path / "reports")
    ctx, html = _context(tmp_path / "reports/fy2012", "annual-report", language)
    assert ctx.accounts is not None and ctx.accounts.unit.endswith(unit)
    assert ctx.accounts.balance is not None
    assert not any(r.note and unit.split(" · ")[-1] in r.note for r in ctx.accounts.balance.rows)
    assert html.replace("\u2060", "").count(unit.split(" · ")[-1]) == 1  # word joiners out


def test_with_a_balance_sheet_the_income_and_expenses_are_the_accounts_first_statement(
    tmp_path: Path,
) -> None:
    """Japanese review r34 R-A2: 決算 holds 活動計算書 and 貸借対照表. With a
    balance sheet, the income and expenses tables open the accounts section
    under their own heading, before the balance sheet; the finances section
    keeps the charts. Without one, the tables stay in the finances section."""
    year = _two_years(copy_root("small", tmp_path))
    _ctx, html = _context(year, "annual-report", "ja")
    accounts = html[html.index('id="accounts"') :]
    finances = html[html.index('id="finances"') : html.index('id="accounts"')]
    assert 'class="data amounts' not in finances
    text = _text(accounts).replace("\u2060", "")
    assert "活動計算書" in text and "経常収益" in text and "貸借対照表" in text, text[:600]
    assert text.index("活動計算書") < text.index("経常収益") < text.index("貸借対照表"), text
    # In the statement's words, its amounts bare under the unit line, its
    # result below (review r35 F-2, F-3); the balance sheet's heads say which
    # year's end each column is, its title no single day (F-18).
    assert "経常収益計 5,000 5,000" in text and "経常費用計 4,400 4,000" in text
    assert "当期正味財産増減額 600 1,000 貸借対照表 科目" in text and "000円" not in text
    assert "当年度末（2013年8月31日） 前年度末（2012年8月31日）" in text
    # Whole, unless that leaves the statement's page near-empty (pdf.splitting_css).
    assert '<div class="account" id="balance-sheet" data-split="">' in accounts
    # One convention for every table of the accounts, in every language
    # (review r35, 9: ¥ in every cell of the statement, none in the balance
    # sheet): the unit said once, on the accounts' line, no sign in a cell.
    for language, sign in (("en", "\u00a5"), ("ko", "\uc5d4")):
        page = _context(year, "annual-report", language)[1]
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", page[page.index('id="accounts"') :])
        assert cells and not [c for c in cells if sign in c], (language, cells)
    bare = _two_years(copy_root("small", tmp_path / "plain"))
    for folder in (bare, bare.parent / "fy2011"):
        (folder / "data" / "balance.csv").unlink()
    _ctx, plain = _context(bare, "annual-report", "en")
    end = plain.index('id="accounts"') if 'id="accounts"' in plain else len(plain)
    assert 'class="data amounts' in plain[plain.index('id="finances"') : end]  # no balance sheet
    assert "Income and expenditure</h3>" not in plain
