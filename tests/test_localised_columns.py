"""Column names, fixed values and amounts in the report's languages (issue 26,
part 5): a Korean director's 날짜, 구분 수입/지출, 공개/비공개 and 360,000원, a
Japanese one's 日付, 収入, 内部 and 20,000円, a German one's 1.234,56 €.

Cheap by design: folders are read and checked, not built, except one HTML
rendering per side of the property that localised names change nothing."""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import fields, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from reportgen.commands.build import load_with_history
from reportgen.commands.new import new_year
from reportgen.core import languages
from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostics
from reportgen.reading.amounts import number_style, read_number
from reportgen.reading.column_names import AmbiguousNames, docs_with_names, names_for, resolve
from reportgen.reading.model import FiscalYear
from reportgen.reading.table_registry import TABLES
from reportgen.typesetting.edition_render import table_csv
from tests.conftest import ROOTS, copy_root, html_alone

# --- a year written wholly in Korean, Japanese or German ------------------------------

# The korean test root's tables, as written there.
KOREAN = {p.name: p.read_text("utf-8") for p in (ROOTS / "korean/fy2012/data").iterdir()}
JAPANESE = {
    "activities.csv": (
        "日付,活動名,分類,場所,内容,参加者数,公開区分\n"
        "2012-09-10,秋の声明,政策提言,東京,協力団体との共同声明,,公開\n"
        "2013-03-02,会員企画会議,行事,東京,翌年の計画,14,内部\n"
    ),
    "finances.csv": (
        "区分,科目,金額,費用区分,備考,公開区分\n"
        '収入,会費,"300,000円",,会員の年会費,公開\n'
        '支出,救援活動,"¥250,000",事業費,移動中の人々の宿泊と交通,公開\n'
        "支出,事務所,2万円,管理費,,非公開\n"
    ),
    "people.csv": "氏名,役職,グループ,公開区分\n山田 花子,理事長,理事,公開\n",
    "donors.csv": (
        "寄付者番号,氏名,宛名,メールアドレス,言語,金額\n"
        'D-001,鈴木 一郎,鈴木 一郎 様,s@example.org,ja,"50,000円"\n'
    ),
}


def _year(
    tmp_path: Path, tables: dict[str, str], language: str, currency: str, root_name: str = ""
) -> Path:
    """A test root's year (narrative, settings) with ``tables`` as its data, in
    ``language`` and ``currency``: the korean root for Korean, else clean."""
    root = copy_root(root_name or ("korean" if language == "ko" else "clean"), tmp_path)
    settings = root / "organization.toml"
    text = settings.read_text("utf-8").replace('languages = ["en"]', f'languages = ["{language}"]')
    settings.write_text(text.replace('currency = "JPY"', f'currency = "{currency}"'), "utf-8")
    data = root / "fy2012" / "data"
    for old in data.iterdir():
        old.unlink()
    for name, body in tables.items():
        (data / name).write_text(body, "utf-8")
    return root / "fy2012"


def _load(year: Path) -> tuple[FiscalYear | None, list[str]]:
    diags = Diagnostics()
    loaded, _ = load_with_history(year, diags)
    return loaded, [d.format() for d in diags.sorted() if d.severity == "error"]


def test_a_year_written_in_korean_reads_as_its_english_twin(tmp_path: Path) -> None:
    diags = Diagnostics()
    year, _ = load_with_history(copy_root("korean", tmp_path) / "fy2012", diags)
    assert [d.format() for d in diags.sorted()] == [] and year is not None  # not a warning
    assert [(a.title, a.visibility) for a in year.activities][2] == ("회원 기획의 날", "internal")
    assert year.activities[1].participants == 2
    kinds = [(f.kind, f.amount, f.function, f.visibility) for f in year.finances]
    assert kinds == [
        ("income", Decimal(360000), None, "public"),
        ("expense", Decimal(250000), "program", "public"),
        ("expense", Decimal(12000), "administration", "internal"),
    ]
    assert [(p.group, p.visibility) for p in year.people] == [("board", "public"),
                                                              ("staff", "internal")]  # fmt: skip
    assert year.donors[0].amount == Decimal(50000)


def test_a_year_written_in_japanese_reads_as_its_english_twin(tmp_path: Path) -> None:
    year, errors = _load(_year(tmp_path, JAPANESE, "ja", "JPY"))
    assert errors == [] and year is not None
    assert [a.visibility for a in year.activities] == ["public", "internal"]
    assert [(f.kind, f.amount, f.visibility) for f in year.finances] == [
        ("income", Decimal(300000), "public"),
        ("expense", Decimal(250000), "public"),
        ("expense", Decimal(20000), "internal"),
    ]
    assert year.people[0].group == "board" and year.people[0].name == "山田 花子"


def test_a_donors_type_is_read_in_its_language_and_a_funds_type_is_its_own() -> None:
    """review-ko K35-M3: a donor's type (person, organisation) in Korean and
    Japanese (개인/단체, 個人/団体), as visibility's 공개/비공개 are; declared
    for the donors table alone (``[values."donors.type"]``), since funds
    have a column of that name with other values."""
    from reportgen.core.diagnostics import Location
    from reportgen.reading.column_names import localise
    from reportgen.reading.readers.tables import RawCell, RawRow, RawTable

    def read(table: str, language: str, header: str, value: str) -> object:
        where = Location(Path(f"{table}.csv"), 2)
        cells = {"name": RawCell("x", where), header: RawCell(value, where)}
        raw = RawTable(table, where.path, ("name", header), where, (RawRow(where, cells),))
        found = localise(raw, TABLES[table], names_for((language,)))
        return found.rows[0].cells["type"].value

    assert read("donors", "ko", "유형", "개인") == "person"
    assert read("donors", "ko", "type", "단체") == "organisation"
    assert read("donors", "ja", "type", "団体") == "organisation"
    assert read("funds", "ko", "type", "사용 제한") == "restricted"
    assert read("funds", "ko", "type", "개인") == "개인"  # not a fund's type: said by check
    assert read("donors", "ko", "type", "사용 제한") == "사용 제한"


def test_korean_names_are_not_read_in_an_english_report_but_said(tmp_path: Path) -> None:
    """English always works; another language's names only where the report
    is in it, and the error says how to make it so."""
    year, errors = _load(_year(tmp_path, KOREAN, "en", "KRW", "clean"))
    assert year is None
    said = [e for e in errors if "activities.csv:1:" in e and "'date'" in e]
    assert said and 'add "ko" to languages' in said[0], errors


def test_a_german_year_reads_amounts_as_germans_write_them(tmp_path: Path) -> None:
    tables = {
        "activities.csv": "date,title,category,visibility\n2012-09-10,Herbsttreffen,Event,public\n",
        "finances.csv": (
            "kind,category,amount,function\n"
            'income,Spenden,"1.234,56 €",\n'
            "income,Beiträge,1.234,\n"  # 1234 in German, 1.234 in English
            "expense,Miete,1234.5,administration\n"  # as a program exports it
        ),
        "people.csv": "name,role,group\nAda Signer,Vorsitz,board\n",
    }
    root = _year(tmp_path, tables, "de", "EUR")
    (root.parent / "organization.toml").write_text(
        (root.parent / "organization.toml").read_text("utf-8")
        + "\n" + languages.labels_toml("en").replace("[labels.en]", "[labels.de]"),
        "utf-8",
    )  # fmt: skip
    year, errors = _load(root)
    assert errors == [] and year is not None
    assert [f.amount for f in year.finances] == [Decimal("1234.56"), Decimal(1234),
                                                 Decimal("1234.5")]  # fmt: skip


# --- amounts, one by one --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "report", "currency", "number"),
    [
        ("360,000원", "ko", "KRW", "360000"),
        ("360,000 원", "ko", "KRW", "360000"),
        ("₩9,850,000", "ko", "KRW", "9850000"),
        ("1억 8,000만 원", "ko", "KRW", "180000000"),
        ("8,640만", "ko", "KRW", "86400000"),
        ("$200", "en", "USD", "200"),
        ("USD 200", "en", "USD", "200"),
        ("$200", "en-AU", "AUD", "200"),
        ("1.234,56 €", "de", "EUR", "1234.56"),
        ("-1.200,50 €", "de", "EUR", "-1200.50"),
        ("1.234", "de", "EUR", "1234"),
        ("1,5", "de", "EUR", "1.5"),
        ("1234.56", "de", "EUR", "1234.56"),
        ("1 234,56 €", "fr", "EUR", "1234.56"),
        ("1\u202f234,56\xa0€", "fr", "EUR", "1234.56"),
        ("1.234.567,89 €", "de", "EUR", "1234567.89"),
        ("1.234", "en", "USD", "1.234"),
        ("1,234", "en", "USD", "1234"),
        ("¥20,000", "ja", "JPY", "20000"),
        ("￥20,000", "ja", "JPY", "20000"),
        ("20,000円", "ja", "JPY", "20000"),
        ("2万円", "ja", "JPY", "20000"),
        ("2万 円", "ja", "JPY", "20000"),
        ("(1,200)", "en", "USD", "-1200"),
    ],
)
def test_an_amount_reads_as_its_locale_writes_it(
    text: str, report: str, currency: str, number: str
) -> None:
    style = number_style((report,), currency)
    assert read_number(text, style, money=True, signed=True) == (Decimal(number), None)


@pytest.mark.parametrize(
    ("text", "report", "currency", "said"),
    [
        ("$200", "ko", "KRW", "in USD, but the report's currency is KRW"),
        ("2만 엔", "ko", "KRW", "in JPY, but the report's currency is KRW"),
        ("¥20,000", "ko", "KRW", "in JPY"),
        ("200 EUR", "en", "USD", "in EUR"),
        ("$200", "en-GB", "GBP", "in USD"),
        ("2만 3억 원", "ko", "KRW", "not a number"),  # myriads out of order
        ("1만 20,000원", "ko", "KRW", "not a number"),  # a remainder of a myriad or more
        ("2万円", "en", "JPY", "not a number"),  # myriads only in a language that counts so
        ("1만 2천원", "ko", "KRW", "not a number"),  # 천 is not read
        ("twelve", "en", "USD", "not a number"),
        ("12 apples", "en", "USD", "not a number"),
        ("$200 USD", "en", "USD", "write the currency once"),
    ],
)
def test_an_amount_in_another_currency_or_no_amount_is_refused(
    text: str, report: str, currency: str, said: str
) -> None:
    number, problem = read_number(text, number_style((report,), currency), money=True)
    assert number is None and problem is not None and said in problem


def test_a_number_that_is_no_amount_takes_no_currency() -> None:
    assert read_number("$12", number_style(("en",), "USD"))[0] is None


def test_an_amount_in_the_wrong_currency_is_located(tmp_path: Path) -> None:
    tables = dict(KOREAN)
    tables["finances.csv"] = '구분,항목,금액\n수입,회비,"360,000원"\n지출,구조,$200\n'
    _, errors = _load(_year(tmp_path, tables, "ko", "KRW"))
    assert [e for e in errors if "finances.csv:3:" in e and "in USD" in e], errors


# --- names: unknown, misspelt, mixed, given twice -------------------------------------


def test_a_misspelt_korean_column_is_said_in_korean(tmp_path: Path) -> None:
    tables = dict(KOREAN)
    tables["activities.csv"] = KOREAN["activities.csv"].replace("날짜", "날자", 1)
    year, errors = _load(_year(tmp_path, tables, "ko", "KRW"))
    assert year is None
    said = "missing required column 'date' ('날짜') (found '날자': did you mean '날짜'?)"
    assert any("activities.csv:1:" in e and said in e for e in errors), errors


def test_an_unknown_enum_value_lists_the_languages_words(tmp_path: Path) -> None:
    tables = dict(KOREAN)
    tables["finances.csv"] = "구분,항목,금액\n수익,회비,1000\n"
    _, errors = _load(_year(tmp_path, tables, "ko", "KRW"))
    said = [e for e in errors if "finances.csv:2:" in e]
    assert said and "(수입, 지출)" in said[0] and "did you mean '수입'?" in said[0], errors


def test_a_header_may_mix_english_and_korean_but_not_name_a_column_twice(
    tmp_path: Path,
) -> None:
    tables = dict(KOREAN)
    tables["activities.csv"] = "date,활동명,category,공개 여부\n2012-09-10,성명,Advocacy,public\n"
    year, errors = _load(_year(tmp_path, tables, "ko", "KRW"))
    assert errors == [] and year is not None and year.activities[0].title == "성명"
    tables["activities.csv"] = "date,날짜,활동명,분류\n2012-09-10,2012-09-10,성명,옹호\n"
    _, errors = _load(_year(tmp_path / "twice", tables, "ko", "KRW"))
    assert any("column 'date' appears twice (as 'date', '날짜')" in e for e in errors), errors


def test_a_lookalike_of_the_korean_visibility_column_is_never_guessed(tmp_path: Path) -> None:
    """A header near 공개 여부, or named like one of its values (a column 공개
    holding 공개/비공개), would publish the internal rows as an extra field."""
    tables = dict(KOREAN)
    tables["activities.csv"] = KOREAN["activities.csv"].replace("공개 여부", "공개여부x")
    _, errors = _load(_year(tmp_path, tables, "ko", "KRW"))
    assert any("'공개여부x' looks like 'visibility' or '공개 여부'" in e for e in errors), errors
    tables["activities.csv"] = KOREAN["activities.csv"].replace("공개 여부", "공개")
    _, errors = _load(_year(tmp_path / "value", tables, "ko", "KRW"))
    assert any("column '공개' looks like 'visibility'" in e for e in errors), errors
    tables["activities.csv"] = "날짜,활동명,분류,공개일\n2012-09-10,성명,옹호,2012-09-11\n"
    year, errors = _load(_year(tmp_path / "own", tables, "ko", "KRW"))
    assert errors == [] and year is not None  # a publication date is a column of its own


# --- the packs' names: checked when loaded --------------------------------------------


def test_every_pack_and_every_pair_of_packs_names_each_column_once() -> None:
    tags = languages.builtin_tags()
    for tag in tags:
        names_for((tag,))
    for pair in itertools.combinations(tags, 2):
        names_for(pair)
    assert names_for(("ko",)).column("finances", "구분") == "kind"
    assert names_for(("ko",)).column("balance", "구분") == "section"


@pytest.mark.parametrize(
    ("columns", "values", "said"),
    [
        ((("note", ("비고",)), ("category", ("비고",))), (), "also the name of its column"),
        ((("note", ("category",)),), (), "also the name of its column 'category'"),
        ((("nonsense", ("x",)),), (), "names no column"),
        ((("people.date", ("x",)),), (), "names no column"),
        ((), (("kind.income", ("수입",)), ("kind.expense", ("수입",))), "its value 'income'"),
        ((), (("visibility.public", ("internal",)),), "its value 'internal'"),
        ((), (("kind.profit", ("x",)),), "names no value"),
    ],
)
def test_a_pack_whose_names_could_mean_two_things_is_refused(
    columns: tuple[tuple[str, tuple[str, ...]], ...],
    values: tuple[tuple[str, tuple[str, ...]], ...],
    said: str,
) -> None:
    with pytest.raises(AmbiguousNames, match=re.escape(said)):
        resolve([("xx", columns, values)])


def test_two_packs_that_name_one_word_two_ways_are_refused() -> None:
    one = ("aa", (("note", ("Memo",)),), ())
    two = ("bb", (("category", ("memo",)),), ())
    with pytest.raises(AmbiguousNames, match="also the name of its column 'note'"):
        resolve([one, two])


# --- the property: localised names change nothing on the page -------------------------


HEADINGS = {
    "날짜": "date", "활동명": "title", "분류": "category", "장소": "location",
    "설명": "description", "참가자 수": "participants", "공개 여부": "visibility",
    "구분": "kind", "항목": "category", "금액": "amount", "비용 구분": "function",
    "비고": "note", "이름": "name", "직책": "role", "그룹": "group",
    "후원자 번호": "id", "호칭": "salutation", "이메일": "email", "언어": "language",
}  # fmt: skip
CELLS = {
    ",공개\n": ",public\n", ",비공개\n": ",internal\n", ",내부\n": ",internal\n",
    "\n수입,": "\nincome,", "\n지출,": "\nexpense,", ",사업비,": ",program,",
    ",관리비,": ",administration,", ",이사,": ",board,", ",사무국,": ",staff,",
    '"360,000원"': "360000", '"₩250,000"': "250000", '"1만 2,000원"': "12000",
    '"50,000원"': "50000",
}  # fmt: skip


def _english_twin(tables: dict[str, str]) -> dict[str, str]:
    """``tables`` with every Korean column name and value as its English id,
    written out here by hand so that the pack is not its own oracle."""
    out = {}
    for name, text in tables.items():
        head, _, body = text.partition("\n")
        body = "\n" + body
        for korean, english in CELLS.items():
            body = body.replace(korean, english)
        out[name] = ",".join(HEADINGS.get(c, c) for c in head.split(",")) + body
    return out


def test_a_korean_named_year_renders_as_its_english_named_twin(tmp_path: Path) -> None:
    english = _english_twin(KOREAN)
    assert not any(re.search(r"[\uac00-\ud7a3]", v.partition("\n")[0]) for v in english.values())
    assert "12000,administration,,internal" in english["finances.csv"]
    korean_page = html_alone(_year(tmp_path / "ko", KOREAN, "ko", "KRW"), "annual-report", "ko")
    english_page = html_alone(_year(tmp_path / "en", english, "ko", "KRW"), "annual-report", "ko")
    assert "360,000" in korean_page and "가을 성명 발표" in korean_page
    assert korean_page == english_page


# --- what reportgen writes: attachments and starter files -----------------------------


def test_an_attached_csv_is_in_the_documents_language_and_reads_back(tmp_path: Path) -> None:
    """A Korean PDF's finances.csv has 구분, 금액, 수입; put in a Korean year's
    data/ it reads as the rows it came from."""
    year_dir = _year(tmp_path / "first", KOREAN, "ko", "KRW")
    year, errors = _load(year_dir)
    assert errors == [] and year is not None
    written = {
        name: table_csv(name, year.rows(name), "ko").decode("utf-8")
        for name in ("activities", "finances", "people")
    }
    head, first = list(csv.reader(io.StringIO(written["finances"])))[:2]
    assert head == ["구분", "항목", "금액", "비용 구분", "기금", "비고", "공개 여부"]
    assert first[:3] == ["수입", "회비", "360000"] and first[-1] == "공개"
    assert "이사·감사" in written["people"]  # the group board, as the pack first names it
    assert table_csv("finances", year.finances, "en").decode().startswith("kind,category,amount")
    again, errors = _load(_year(tmp_path / "again", {
        **{f"{n}.csv": text for n, text in written.items()},
        "donors.csv": KOREAN["donors.csv"],
    }, "ko", "KRW"))  # fmt: skip
    assert errors == [] and again is not None
    for name in ("activities", "finances", "people"):
        assert again.rows(name) == year.rows(name)


def _starter(tmp_path: Path, language: str, workbook: bool) -> FiscalYear:
    tmp_path.mkdir()
    (tmp_path / "organization.toml").write_text(
        f'languages = ["{language}"]\ncurrency = "KRW"\n\n[organization]\nname = "Test"\n'
        'email = "office@example.org"\n',
        "utf-8",
    )
    new_year(tmp_path / "fy2025", start=date(2025, 1, 1), workbook=workbook)
    year, errors = _load(tmp_path / "fy2025")
    assert errors == [] and year is not None
    return year


def test_a_korean_starter_is_written_in_korean_and_reads_as_the_english_one(
    tmp_path: Path,
) -> None:
    _starter(tmp_path / "ko", "ko", workbook=False)
    data = tmp_path / "ko/fy2025/data"
    assert (data / "activities.csv").read_text("utf-8").startswith("날짜,활동명,분류,장소")
    assert (data / "finances.csv").read_text("utf-8").startswith("구분,항목,금액,비용 구분")
    assert "날짜(date)*" in (data / "README.txt").read_text("utf-8")
    korean = _starter(tmp_path / "kob", "ko", workbook=True)
    english = _starter(tmp_path / "enb", "en", workbook=True)
    sheet = load_workbook(tmp_path / "kob/fy2025/data/year.xlsx")["finances"]
    assert [c.value for c in sheet[1]][:3] == ["구분", "항목", "금액"]
    assert sheet[2][0].value == "수입"
    # The same rows, but the example's words in Korean (봄 세미나 for Spring seminar).
    words = {str(c): M.say(c, "ko") for s in TABLES.values() for c in s.example
             if isinstance(c, M.Text)}  # fmt: skip
    for name in ("activities", "finances", "people", "indicators", "coalitions"):
        expected = [replace(row, **{f.name: words[v] for f in fields(row)
                                    if isinstance(v := getattr(row, f.name), str) and v in words})
                    for row in english.rows(name)]  # fmt: skip
        assert list(korean.rows(name)) == expected and expected, name


def test_the_docs_list_every_packs_names() -> None:
    text = (Path(__file__).parent.parent / "docs/report-format.md").read_text("utf-8")
    assert docs_with_names(text) == text, "run: python -m reportgen.reading.column_names --docs"


def test_an_unknown_korean_column_is_a_warning_with_a_korean_did_you_mean(tmp_path: Path) -> None:
    tables = dict(KOREAN)
    tables["activities.csv"] = KOREAN["activities.csv"].replace("장소", "장쏘", 1)
    diags = Diagnostics()
    year, _ = load_with_history(_year(tmp_path, tables, "ko", "KRW"), diags)
    assert year is not None
    said = [d.format() for d in diags.sorted() if "unknown column '장쏘'" in d.format()]
    assert said and "activities.csv:1:" in said[0] and "(did you mean '장소'?)" in said[0]


def test_a_workbook_with_a_title_above_its_japanese_header_is_read(tmp_path: Path) -> None:
    """The header is found among the first rows by the report's names too."""
    year_dir = _year(tmp_path, {k: v for k, v in JAPANESE.items() if k != "finances.csv"},
                     "ja", "JPY")  # fmt: skip
    book = Workbook()
    sheet = book.active
    sheet.title = "finances"
    rows = (
        ["2012年度 収支"], [], ["区分", "科目", "金額", "公開区分"],
        ["収入", "会費", "¥300,000", "公開"], ["支出", "家賃", 120000, "内部"],
    )  # fmt: skip
    for row in rows:
        sheet.append(row)
    book.save(year_dir / "data/finances.xlsx")
    year, errors = _load(year_dir)
    assert errors == [] and year is not None
    assert [(f.kind, f.amount, f.visibility) for f in year.finances] == [
        ("income", Decimal(300000), "public"),
        ("expense", Decimal(120000), "internal"),
    ]


def test_a_new_year_from_a_korean_one_keeps_its_indicators_by_their_korean_names(
    tmp_path: Path,
) -> None:
    tables = dict(KOREAN)
    tables["indicators.csv"] = (
        "지표,수치,단위,전년,목표,비고,공개 여부\n구조된 사람,2,명,1,5,동남아시아에서,공개\n"
    )
    source = _year(tmp_path, tables, "ko", "KRW")
    new_year(source.parent / "fy2013", source)
    assert (source.parent / "fy2013/data/indicators.csv").read_text("utf-8") == (
        "지표,수치,단위,전년,목표,비고,공개 여부\n구조된 사람,,명,,,,공개\n"
    )
