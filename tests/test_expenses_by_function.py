"""The expenses table grouped by function, as a statement of activities sets
it (Japanese review r34 R-A2): each function's name, its lines, a subtotal."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from reportgen.composing.accounts import NIL
from reportgen.composing.key_figures import KeyFigures
from reportgen.composing.page_context import _tables

_LINES = (
    ("program", "Rescue", Decimal("3760")),
    ("program", "Resettlement", Decimal("1280")),
    ("fundraising", "Appeal mailing", Decimal("520")),
    ("administration", "Office rent", Decimal("960")),  # larger than a programme line
    ("administration", "Audit", Decimal("180")),
)
_NOW = KeyFigures(
    fiscal_year="FY2",
    activities=0,
    participants=0,
    by_category=(),
    by_month=(),
    by_month_category=(),
    coalitions=0,
    coalition_organizations=0,
    coalition_countries=0,
    lobbying=0,
    by_target_type=(),
    income=Decimal("7000"),
    expenses=Decimal("6700"),
    income_by_category=(("Donations", Decimal("7000")),),
    expenses_by_category=tuple(sorted(((n, a) for _, n, a in _LINES), key=lambda x: -x[1])),
    expenses_by_function=(
        ("program", Decimal("5040")),
        ("fundraising", Decimal("520")),
        ("administration", Decimal("1140")),
    ),
    expense_lines=_LINES,
    present=("finances",),
)


def _rows(language: str, prev: KeyFigures | None = None) -> list[tuple[str, tuple[str, ...]]]:
    table = _tables(None, _NOW, language, "JPY", prev)["expenses"]  # type: ignore[arg-type]
    assert table is not None
    return [(r.kind, r.cells) for r in table.rows]


def test_each_line_sits_under_its_function_with_a_subtotal() -> None:
    rows = _rows("ja")
    kinds = [k for k, _ in rows]
    assert kinds == ["heading", "item", "item", "subtotal", "heading", "item", "subtotal",
                     "heading", "item", "item", "subtotal"]  # fmt: skip
    names = [c[0] for _, c in rows]
    assert names[:4] == ["事業費", "Rescue", "Resettlement", "事業費計"]
    assert names.index("Office rent") > names.index("管理費")  # not among the programme lines
    # A function of one line is set as the others are (review r35 F-1: its line
    # hung under the total as a stray caption): heading, the line, subtotal.
    assert names[4:7] == ["募金活動費", "Appeal mailing", "募金活動費計"]
    assert rows[5][1][1:] == ("520円", "8%") and rows[6][1][1:] == ("520円", "8%")
    table = _tables(None, _NOW, "ja", "JPY")["expenses"]  # type: ignore[arg-type]
    assert table is not None and not any(r.note for r in table.rows)
    subtotal = dict((c[0], c[1:]) for k, c in rows if k == "subtotal")
    assert subtotal["管理費計"] == ("1,140円", "17%")
    # The shares of the subtotals are the chart's: whole percents adding to 100.
    assert sum(int(v[-1].rstrip("%")) for v in subtotal.values()) == 100


def test_last_year_is_compared_line_by_line_and_a_line_gone_is_kept() -> None:
    before = replace(
        _NOW,
        fiscal_year="FY1",
        expense_lines=(("program", "Rescue", Decimal("2860")),
                       ("program", "Vehicle", Decimal("90")),
                       ("administration", "Office rent", Decimal("960"))),
        expenses_by_function=(("program", Decimal("2950")), ("administration", Decimal("960"))),
        expenses=Decimal("3910"),
    )  # fmt: skip
    rows = {c[0]: c[1:] for _, c in _rows("en-GB", before)}
    assert rows["Rescue"][:2] == ("JP¥3,760", "JP¥2,860")
    assert rows["Vehicle"][:2] == (NIL, "JP¥90")  # gone this year, still under its function
    assert rows["Raising funds total"][:2] == ("JP¥520", NIL)  # no such function last year
    assert rows["Charitable activities total"][:2] == ("JP¥5,040", "JP¥2,950")


def test_nothing_to_group_leaves_the_table_as_it_was() -> None:
    """One function only, or an expense without one: the plain table."""
    single = replace(_NOW, expenses_by_function=(("program", Decimal("6700")),),
                     expense_lines=tuple(("program", n, a) for _, n, a in _LINES))  # fmt: skip
    unassigned = replace(_NOW, expenses_by_function=(*_NOW.expenses_by_function[:2],
                                                     ("unassigned", Decimal("1140"))))  # fmt: skip
    for fig in (single, unassigned):
        table = _tables(None, fig, "en", "JPY")["expenses"]  # type: ignore[arg-type]
        assert table is not None and {r.kind for r in table.rows} == {""}
        assert [r.cells[0] for r in table.rows][:3] == ["Rescue", "Resettlement", "Office rent"]


def test_the_donor_breakdown_says_how_many_lines_its_example_stands_for() -> None:
    """Korean review K35-P2: the donor edition shows one line for each
    function ("사업비 76% / 구출 활동비 376만 엔"), read as the whole of it. Each
    group says, in every language, how many lines a shortened list leaves
    out after its first k (macros.chart_notes shows more[examples])."""
    from reportgen.composing.charts import ChartStyle, chart_expenses
    from reportgen.composing.palette import palette
    from reportgen.reading.model import Theme

    said = {}
    for language in ("en", "ja", "ko"):
        style = ChartStyle(palette(Theme()), "Noto Sans", language, "JPY", draw=False)
        ring = chart_expenses(_NOW, style)
        assert ring is not None
        said[language] = {g.lines[0][0]: g.more for g in ring.breakdown}
    # Counts under ten in words, the lines named for what they are (review r36).
    assert said["en"]["Rescue"] == ("and two smaller items", "and one smaller item")
    assert said["ja"]["Office rent"] == ("ほか2件", "ほか1件")
    assert said["ko"]["Rescue"] == ("외 2개 항목", "외 1개 항목")
    assert said["ko"]["Appeal mailing"] == ("외 1개 항목",)  # nothing left out after it


def test_a_function_of_one_line_named_as_it_is_takes_one_row() -> None:
    lines = tuple(("fundraising", "募金活動費", a) if f == "fundraising" else (f, n, a)
                  for f, n, a in _LINES)  # fmt: skip
    rows = _rows_of(replace(_NOW, expense_lines=lines), "ja")
    assert [k for k, c in rows if c[0].startswith("募金活動費")] == ["subtotal"]


def _rows_of(fig: KeyFigures, language: str) -> list[tuple[str, tuple[str, ...]]]:
    table = _tables(None, fig, language, "JPY")["expenses"]  # type: ignore[arg-type]
    assert table is not None
    return [(r.kind, r.cells) for r in table.rows]


def test_the_statement_of_activities_speaks_as_accounts_do() -> None:
    """Set in the accounts (under their unit line), the tables are a statement
    (review r35 F-2, F-3): its halves and totals in the statement's words, the
    amounts bare, and the year's result under the expenses, in every pack."""
    before = replace(_NOW, fiscal_year="FY1", income=Decimal("6000"), expenses=Decimal("6100"))
    words = {
        "ja": ("経常収益", "経常収益計", "経常費用", "経常費用計", "当期正味財産増減額", "△100"),
        "ko": ("수익", "수익 총계", "비용", "비용 총계", "당기운영이익(손실)", None),
        "en": ("Income", "Total income", "Expenditure", "Total expenditure",
               "Net income/(expenditure)", "(100)"),
    }  # fmt: skip
    for language, (income, income_total, spent, spent_total, result, loss) in words.items():
        tables = _tables(None, _NOW, language, "JPY", before, statement=True)  # type: ignore[arg-type]
        made, spending = tables["income"], tables["expenses"]
        assert made is not None and spending is not None
        assert made.headers[0] == income and spending.headers[0] == spent
        assert made.footer and made.footer[:3] == (income_total, "7,000", "6,000")
        assert spending.footer and spending.footer[0] == spent_total
        assert made.unit is None and spending.unit is None  # the accounts' unit line says it
        assert spending.result is not None and spending.result[:2] == (result, "300")
        assert loss is None or spending.result[2] == loss
        assert {r.kind for r in made.rows} == {"item"}  # indented under the half's name
    plain = _tables(None, _NOW, "ja", "JPY")  # type: ignore[arg-type]
    assert plain["expenses"] is not None and plain["expenses"].result is None
    assert plain["income"] is not None and plain["income"].footer[:2] == ("合計", "7,000円")
