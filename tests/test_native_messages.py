"""Issue 26's "Done when" for what reportgen says (part 4): a Korean-only and
a Japanese-only report set, run with the user's locale in that language,
show no English in any message: ``check`` with faults of many kinds planted,
``build`` with a preflight warning, ``--help`` of every command, usage
errors. What may stay Latin is what the user wrote or what is a code: file
and folder names, settings keys of the set's own files, URLs and addresses,
options (``--out``), codes ([RG101], KRW, U+F0000, YYYY-MM-DD), units."""

from __future__ import annotations

import itertools
import re
import tomllib
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.commands.new import new_year, year_end
from reportgen.core import messages as M
from reportgen.reading.receipt_presets import NEEDS
from reportgen.reading.table_registry import TABLES
from tests.conftest import copy_root
from tests.test_theme import _theme

LANGS = {"korean": "ko_KR.UTF-8", "japanese": "ja_JP.UTF-8"}
# Words that are names, not English: the program, products, units, keys,
# language tags, the default output folder.
NAMES = {"reportgen", "Word", "Markdown", "Ctrl", "mm", "pt", "base64", "keyring", "docx",
         "doc", "docm", "ja", "ko", "en", "output"}  # fmt: skip
_CODES = re.compile(
    r"`[^`]*`|\w+ = \w+|https?://\S+|[\w.+-]+@[\w.-]+|(?<![\w.])/[\w./-]+|\[RG\d{3}\]|U\+[0-9A-F]{4,6}|--?[\w-]+|"
    r"[\w./-]+\.(?:csv|toml|md|pdf|xlsx|docx|html|j2|txt)(?![A-Za-z0-9])|\[[\w|/-]+\]|"
    r"'[\w-]+(?:, ?'[\w-]+)*'|「[\w.-]+」|<\w+>|[A-Za-z]\w*/|[A-Za-z]+_(?:\w+|<\w+>)|#\w+|\{\w+\}|"
    r"[A-Za-z0-9-]+(?:、[A-Za-z0-9-]+)+"
)
_WORD = re.compile(r"[A-Za-z]{2,}")


def _own_words(root: Path) -> set[str]:
    """The keys of the set's settings files and its files' and folders'
    names (fy2012): the user's own words."""
    found = {w for path in root.rglob("*") for w in _WORD.findall(path.name)}

    def walk(table: dict[str, object]) -> None:
        for key, value in table.items():
            found.update(_WORD.findall(key))
            if isinstance(value, dict):
                walk(value)

    for path in root.rglob("*.toml"):
        walk(tomllib.loads(path.read_text("utf-8")))
    return found


def _codes() -> set[str]:
    """What the command line takes as it is: commands, the values of its
    choices (annual-report, pdf/ua-1), table names (people)."""
    found = set(cli.commands) | set(TABLES)  # type: ignore[attr-defined]
    for command in [cli, *cli.commands.values()]:  # type: ignore[attr-defined]
        for param in command.params:
            for choice in getattr(param.type, "choices", ()):
                found.update(_WORD.findall(str(choice)))
    return found


def english_left(output: str, root: Path) -> list[str]:
    """The Latin words of ``output`` that are neither codes, names nor the user's own."""
    text = output.replace(str(root), " ")
    text = _CODES.sub(" ", text)
    allowed = NAMES | _codes() | _own_words(root)
    return [w for w in _WORD.findall(text) if not w.isupper() and w not in allowed]


def _plant_tables(year: Path, japanese: bool) -> None:
    data = year / "data"
    activities = data / "activities.csv"
    lines = activities.read_text("utf-8").splitlines()
    lines[0] += ",メモ欄" if japanese else ",메모란"  # an unknown column: a warning
    lines[1] = "2012-13-45," + lines[1].split(",", 1)[1] + ",x"  # not a date
    cells = lines[2].split(",")
    cells[5] = "多数" if japanese else "많음"  # not a whole number
    lines[2] = ",".join(cells) + ",y"
    lines[3] += ",z"
    activities.write_text("\n".join(lines) + "\n", "utf-8")
    finances = data / "finances.csv"
    text = finances.read_text("utf-8")
    finances.write_text(re.sub(r'"360,000[円원]"', '"$50"', text), "utf-8")  # a foreign amount
    long = ("とても長い指標の名前" if japanese else "아주 긴 지표의 이름") * 14
    (data / "indicators.csv").write_text(
        ("指標,数値\n" if japanese else "지표,수치\n") + f"{long},5\n", "utf-8"
    )  # a name longer than a tile holds
    message = year / "narrative" / "01-message.md"
    message.write_text(
        message.read_text("utf-8")
        + "\n[資料](files/none.pdf)\n\n![図](data/donors.csv)\n\n[外](/etc/passwd)\n",
        "utf-8",
    )  # a link to nothing, a picture refused by the gate, an absolute link


def _plant_settings(year: Path) -> None:
    settings = year / "report.toml"
    settings.write_text(
        settings.read_text("utf-8")
        + 'titel = "x"\ntheme_dir = "data"\n\n[email]\npassword = "x"\n',
        "utf-8",
    )  # a near miss, a theme folder inside data, a password in a file


@pytest.mark.parametrize("name", sorted(LANGS))
def test_check_says_every_problem_in_the_users_language(name: str, tmp_path: Path) -> None:
    runner = CliRunner()
    tables = copy_root(name, tmp_path / "tables")
    _plant_tables(tables / "fy2012", name == "japanese")
    settings = copy_root(name, tmp_path / "settings")
    _plant_settings(settings / "fy2012")
    for root, codes in (
        (tables, ["RG101", "RG102", "RG114", "RG122", "RG167", "RG360", "RG361"]),
        (settings, ["RG258", "RG283", "RG284"]),
    ):
        result = runner.invoke(cli, ["check", str(root)], env={"LANG": LANGS[name]})
        assert result.exit_code == 2, result.output
        for code in codes:
            assert f"[{code}]" in result.output, (code, result.output)
        assert english_left(result.output, root) == [], result.output


def test_a_column_is_named_as_the_user_wrote_it(tmp_path: Path) -> None:
    """Korean editor, M2: the header says 날짜, so the message says 날짜, not date."""
    root = copy_root("korean", tmp_path)
    _plant_tables(root / "fy2012", japanese=False)
    result = CliRunner().invoke(cli, ["check", str(root)], env={"LANG": "ko_KR.UTF-8"})
    assert (
        "열 '날짜': '2012-13-45'는 올바른 날짜가 아닙니다(YYYY-MM-DD 형식) [RG101]" in result.output
    )
    # M2, M3: no particle after '$50' (read 50달러), the editor's wording
    foreign = "금액 '$50'(USD)의 통화가 보고서 통화(KRW)와 다릅니다(report.toml의 currency). "
    assert foreign + "보고서 통화(KRW)로 환산해 적어 주세요" in result.output
    assert "열 '참가자 수': '많음'" in result.output
    assert "'date'" not in result.output.split("[RG101]")[0].splitlines()[-1]
    english = CliRunner().invoke(
        cli, ["check", str(root)], env={"LANG": "C"}, prog_name="reportgen"
    )
    assert "column '날짜': '2012-13-45' is not a date (YYYY-MM-DD)" in english.output


@pytest.mark.parametrize("name", sorted(LANGS))
def test_a_build_warns_in_the_users_language(name: str, tmp_path: Path) -> None:
    """A preflight warning (a character no font has, planted by a theme) in Korean or Japanese."""
    root = copy_root(name, tmp_path)
    _theme(root, {"extra.css": 'body::before { content: " \\F0000"; }\n'})
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", str(root), "--edition", "handout", "--out", str(out), "-j", "1"],
        env={"LANG": LANGS[name]},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "[RG585]" in result.output and "U+F0000" in result.output, result.output
    assert english_left(result.output.replace(str(out), " "), root) == [], result.output
    # review-ko K-P8: the edition named in the user's language, no space before "("
    progress = {
        "korean": ("문서 1개를 만드는 중(1개 연도, 프로세스 1개)", "fy2012: 총회 자료(ko) "),
        "japanese": ("文書1件を作成中（1年度、1プロセス）", "fy2012: 総会資料（ja）"),
    }[name]
    assert all(line in result.output for line in progress), result.output


def _commands() -> list[list[str]]:
    return [[], *([name] for name in sorted(cli.commands))]  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", sorted(LANGS.values()))
def test_help_of_every_command_has_no_english(lang: str, tmp_path: Path) -> None:
    runner = CliRunner()
    for command in _commands():
        result = runner.invoke(cli, [*command, "--help"], env={"LANG": lang}, prog_name="reportgen")
        assert result.exit_code == 0, result.output
        assert english_left(result.output, tmp_path) == [], (command, result.output)


@pytest.mark.parametrize("lang", sorted(LANGS.values()))
def test_usage_errors_have_no_english(lang: str, tmp_path: Path) -> None:
    """click's own words: the usage line, "Try … for help", "Error: No such
    option", "Missing argument", "Invalid value", extra arguments."""
    runner = CliRunner()
    for args in (
        ["build", "--bogus", str(tmp_path)],
        ["build"],
        ["build", str(tmp_path), "--edition", "x"],
        ["build", str(tmp_path), "-j", "0"],
        ["check", str(tmp_path), "x"],
        ["bild"],
        ["receipts"],
    ):
        result = runner.invoke(cli, args, env={"LANG": lang}, prog_name="reportgen")
        assert result.exit_code == 2, (args, result.output)
        assert "Error" not in result.output and "Usage" not in result.output, result.output
        typed = result.output.replace("bild", " ")  # the user's own word
        assert english_left(typed, tmp_path) == [], (args, result.output)


def test_usage_errors_read_as_click_writes_them_in_english(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["build", "--bogus", str(tmp_path)], env={"LANG": "C"}, prog_name="reportgen"
    )
    assert result.output.startswith("Usage: reportgen build [OPTIONS] REPORT_DIR\n")
    assert "Try 'reportgen build --help' for help.\n\nError: No such option '--bogus'." in (
        result.output
    )
    korean = runner.invoke(
        cli, ["build", "--bogus", str(tmp_path)], env={"LANG": "ko_KR.UTF-8"}, prog_name="reportgen"
    )
    # Korean editor, M6: the usage line's words in Korean.
    assert korean.output.startswith("사용법: reportgen build [옵션] REPORT_DIR\n")
    assert "오류: '--bogus' 옵션은 없습니다." in korean.output
    top = runner.invoke(cli, [], env={"LANG": "ko_KR.UTF-8"}, prog_name="reportgen")
    assert "사용법: reportgen [옵션] 명령 [인수]..." in top.output
    japanese = runner.invoke(cli, ["build"], env={"LANG": "ja_JP.UTF-8"}, prog_name="reportgen")
    assert "エラー：引数「REPORT_DIR」が指定されていません。 [RG946]" in japanese.output


def test_japanese_messages_set_punctuation_and_counts_as_japanese_does() -> None:
    """Japanese editor, M-1, M-3, M-4: 「」 and full-width （）：？ in messages,
    no space between a number and its counter, the documents' 事業年度."""
    bad_date = M.IN_COLUMN(column="日付", problem=M.NOT_A_DATE(value="2012-13-45"))
    assert (
        bad_date.in_language("ja") == "列「日付」：「2012-13-45」は日付ではありません（YYYY-MM-DD）"
    )
    assert (
        M.DID_YOU_MEAN(choice="title").in_language("ja") == "（「title」の誤りではありませんか？）"
    )
    top = CliRunner().invoke(cli, ["--help"], env={"LANG": "ja_JP.UTF-8"}).output
    assert "labels    言語パックの語を貼り付け用に一覧表示します。\n" in top  # M-6
    failed = M.CHECK_FAILED(errors=3, warnings=0, years="fy2012", strict="")
    # review-ja N-1: the years checked, then what was found in them
    assert failed.in_language("ja") == "reportgen: fy2012 を検証しました。エラー3件、警告0件"
    clean = M.CHECK_CLEAN_WARNINGS(years="fy2026", warnings=15)
    assert clean.in_language("ja") == "fy2026: エラーはありません（警告15件）"
    runner = CliRunner()
    for command in _commands():
        said = runner.invoke(cli, [*command, "--help"], env={"LANG": "ja_JP.UTF-8"}).output
        assert "会計年度" not in said, (command, said)


def test_help_keeps_a_number_with_its_counter() -> None:
    """review-ja N-5: "1人" is never broken into "1" at a line's end and "人"
    at the next one's start, at whatever width the terminal gives."""
    runner = CliRunner()
    for columns in range(70, 82):
        said = runner.invoke(cli, ["send", "--help"], env={"LANG": "ja_JP.UTF-8"},
                             terminal_width=columns).output  # fmt: skip
        for line, after in itertools.pairwise(said.splitlines()):
            wide = after.strip()[:1] and unicodedata.east_asian_width(after.strip()[0]) in "WF"
            assert not (line[-1:].isdigit() and wide), (columns, line, after)
        said = runner.invoke(cli, ["new", "--help"], env={"LANG": "ja_JP.UTF-8"},
                             terminal_width=columns).output  # fmt: skip
        for line, after in itertools.pairwise(said.splitlines()):  # nor a date: 7月 / 1日
            assert not (re.search(r"\d[年月]$", line) and after.strip()[:1].isdigit()), line


@pytest.mark.parametrize("lang", sorted(LANGS.values()))
def test_help_is_wrapped_by_the_width_a_terminal_gives_each_character(lang: str) -> None:
    """A Japanese or Korean character takes two columns (East Asian Width):
    click's wrapping by len() made lines twice too long; a bracketed group
    ("[print]", "[기본값: output]", "（既定：30、1以上）") and, in Korean, a word are
    never broken."""
    runner = CliRunner()
    for command in _commands():
        said = runner.invoke(cli, [*command, "--help"], env={"LANG": lang, "COLUMNS": "80"}).output
        lines = said.splitlines()
        for line in lines:
            columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
            term = line.lstrip().startswith("-")  # an option's own line, as in English
            assert columns <= 80 or term or " " not in line.strip(), (command, line)
            assert not re.search(r"\[[^\]]*$", line) or line.lstrip().startswith("--"), line
            assert not line.endswith(("（既定：", "（1以")), line


def _new_year_in(language: str, tmp_path: Path) -> str:
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "organization.toml").write_text(
        f'languages = ["{language}"]\n[organization]\nname = "試験"\n', "utf-8"
    )
    new_year(reports / "2025", start=date(2025, 4, 1))
    return (reports / "2025" / "report.toml").read_text("utf-8")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ko", ['title = "2025년도 연차 보고서"', 'fiscal_year = "2025년도"', 'role = "대표"',
                'subject = "{{name}} 님, 감사합니다"']),
        ("ja", ['title = "2025年度 年次報告書"', 'fiscal_year = "2025年度"', 'role = "代表理事"']),
    ],
)  # fmt: skip
def test_new_writes_the_starters_examples_in_the_reports_language(
    language: str, expected: list[str], tmp_path: Path
) -> None:
    """Korean editor, M7: a Korean year's report.toml is titled "2013년도 연차
    보고서", not "Annual Report 2013–14"."""
    settings = _new_year_in(language, tmp_path)
    for line in expected:
        assert line in settings, settings
    assert "Annual Report" not in settings and 'Representative"' not in settings


@pytest.mark.parametrize("language", ["ko", "ja"])
def test_new_writes_no_english_in_the_starter_settings(language: str, tmp_path: Path) -> None:
    """review-ja N-8, review-ko K-M4: each setting's note in the report's
    language, the notes in one column however wide the examples' characters,
    and the examples of the organisation's country (its receipt preset)."""
    settings = _new_year_in(language, tmp_path)
    lines = [line for line in settings.splitlines() if "  # " in line]
    notes = [line.partition("  # ")[2] for line in lines]
    assert not [note for note in notes if english_left(note, tmp_path)], notes
    for line in lines:
        before = line.partition("  # ")[0]
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in before)
        assert width == 30 or (width > 30 and not before.endswith(" ")), line
    preset = {"ko": "kr-income-tax", "ja": "jp-nintei-npo"}[language]
    assert f'# preset = "{preset}"' in settings and 'uk-gift-aid"' not in settings
    assert "This receipt" not in settings and f'# language = "{language}"' in settings


@pytest.mark.parametrize(
    ("organization", "begins", "expected"),
    [
        ('languages = ["ja", "en"]\n[organization]\nname = "試験"\ncountry = "日本"\n', "04-01",
         ['# font = "Noto Sans CJK JP"',
          "# 事業年度は定款に合わせてください。start と end をあわせて書き換えます"]),
        ('languages = ["ko"]\n[organization]\nname = "시험"\n', "01-01",
         ['# font = "Noto Sans CJK KR"', "# 회계연도는 정관에 맞추세요.",
          '# name = "서명하는 사람의 이름"  # 편지와 인사말 끝에 들어갈 이름']),
        ('language = "en-GB"\n[organization]\nname = "Trust"\n', "04-01",
         ['# font = "Noto Sans"',
          "# the fiscal year your governing document sets: change start and end together"]),
    ],
)  # fmt: skip
def test_a_starter_keeps_the_year_and_words_of_the_organisations_country(
    organization: str, begins: str, expected: list[str], tmp_path: Path
) -> None:
    """review-ja F-8, F-11 and review-ko N36-M1: without --start a Japanese or
    British year runs April-March (the clock gives only which year), a Korean
    one the calendar year; the font, short name and notes are the language's."""
    (tmp_path / "organization.toml").write_text(organization, "utf-8")
    new_year(tmp_path / "year")
    text = (tmp_path / "year" / "report.toml").read_text("utf-8")
    settings = tomllib.loads(text)
    assert settings["start"].strftime("%m-%d") == begins, text
    assert settings["end"] == year_end(settings["start"])
    for line in expected:
        assert line in text, text
    readme = (tmp_path / "year" / "data" / "README.txt").read_text("utf-8")
    assert "방학 점심" not in readme and "(읽을 수 있는" not in text and "（読み込める" not in text
    if "日本" in organization:
        assert settings["fiscal_year"] == f"{settings['start'].year}年度"
        assert ",東京都千代田区千代田1-1,個人,100-0001," in readme  # the postcode of the address
    if "시험" in organization:
        assert "  예: 긴급 의료 기금," in readme


@pytest.mark.parametrize(("lang", "short"), [("ja_JP.UTF-8", "略称"), ("ko_KR.UTF-8", "약칭")])
def test_a_starter_without_an_organization_names_it_in_the_users_language(
    lang: str, short: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """review-ko N36-M1: no "YO" (an English initialism) in a Japanese or Korean starter."""
    monkeypatch.setenv("LANG", lang)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    new_year(tmp_path / "year", start=date(2025, 4, 1))
    text = (tmp_path / "year" / "report.toml").read_text("utf-8")
    assert f'# short_name = "{short}"' in text and '"YO"' not in text, text


def test_the_editors_words_for_help_and_receipts() -> None:
    """review-ja M-8, M-9 and review-ko M4, M6: the help in natural sentences,
    the documents' words, and what a receipt preset needs in Korean."""
    runner = CliRunner()

    def said(lang: str, *args: str) -> str:
        output = runner.invoke(cli, [*args, "--help"], env={"LANG": lang}).output
        return re.sub(r"\n\s+", "", output)  # as one line, wrapping aside

    ja, ko = said("ja_JP.UTF-8", "build"), said("ko_KR.UTF-8", "build")
    assert "印刷所入稿用に、トンボと3 mmの塗り足しを付けます。" in ja
    assert "描画に使うプロセス数（1 を指定すると並列化しません）。" in ja
    assert (
        "指定した言語（en、en-GB、ja、ko などのタグ。複数指定可）の報告書と、その言語の御礼状" in ja
    )
    assert "인쇄소용 재단선과 3mm 도련을 넣습니다." in ko
    assert "각 판을 만들어 OUT/<연도>/에 저장합니다." in ko
    # review-ko K-M7: click's metavars and ranges in the user's words
    assert "--out 폴더" in ko and "--language 태그" in ko and "-j, --jobs 정수" in ko
    assert "[1 이상]" in ko and "INTEGER" not in ko and "[x>=1]" not in ko
    assert "--out フォルダー" in ja and "。（1以上）" in ja and "[1以上]" not in ja
    assert "[필수]" in said("ko_KR.UTF-8", "receipts") and "（必須）" in said(
        "ja_JP.UTF-8", "receipts"
    )
    assert "御礼状をメールで送ります（1人につき1回のみ）" in said("ja_JP.UTF-8", "send")
    assert "낱말" not in said("ko_KR.UTF-8", "labels") and "문구" in said("ko_KR.UTF-8", "labels")
    need = M.RECEIPTS_PRESET_NEEDS(preset="kr-income-tax", need=NEEDS["basis"])
    assert need.in_language("ko") == (
        "[receipts]: kr-income-tax 영수증에 들어갈 기부금공제대상 단체 "
        "근거법령([receipts] basis)이 지정되지 않았습니다"
    )


def test_the_starter_readme_names_the_korean_columns_before_its_examples(tmp_path: Path) -> None:
    """Korean editor, M8: 'visibility' public/internal is 공개 여부 공개/비공개
    in a Korean starter, and what may be written comes before the examples."""
    _new_year_in("ko", tmp_path)
    readme = (tmp_path / "reports" / "2025" / "data" / "README.txt").read_text("utf-8")
    assert "'공개 여부' 열을 둘 수 있습니다." in readme and "visibility' 열" not in readme
    assert readme.index("열 이름과 값은") < readme.index("예시 행")


@pytest.mark.parametrize("language", ["ja", "ko"])
def test_the_starter_tables_are_the_organisations_own(language: str, tmp_path: Path) -> None:
    """review-ja N-9, review-ko K-M5/K-M6: the example rows in the report's
    language, dated inside the new year, a comma inside a cell quoted; no
    Gift Aid column outside the UK (a Korean set keeps the 주민등록번호 its
    receipts need); the English id after the name with no space before it."""
    _new_year_in(language, tmp_path)
    data = tmp_path / "reports" / "2025" / "data"
    readme = (data / "README.txt").read_text("utf-8")
    said = ("  例：", "  예: ")  # an example row, as the README introduces one
    examples = [line.split("：" if language == "ja" else ": ", 1)[1]
                for line in readme.splitlines() if line.startswith(said)]  # fmt: skip
    assert len(examples) == len(TABLES)
    words = {w for row in examples for w in _WORD.findall(row)}
    # Latin only in the codes and the e-mail address: the donor's type and
    # language are the report's own (review-ko K35-M3: jane, en, person).
    assert words <= {"NGO", "example", "org", "younghee", "hanako", language}, words
    type_said = {"ko": "  유형(type) 값: 개인(person), 단체(organisation)",
                 "ja": "  種類（type）の値：個人（person）、団体（organisation）"}  # fmt: skip
    assert type_said[language] in readme.splitlines(), readme
    days = [d for row in examples for d in re.findall(r"\d{4}-\d\d-\d\d", row)]
    in_year = [d for d in days if d != "2011-09-08"]  # a coalition joined long ago
    assert len(in_year) == 3 and all("2025-04-01" <= d <= "2026-03-31" for d in in_year), days
    donors = (data / "donors.csv").read_text("utf-8")
    gifts = (data / "gifts.csv").read_text("utf-8")
    assert "gift_aid" not in readme and "ギフトエイド" not in donors + gifts + readme
    assert "기프트" not in donors + gifts + readme
    assert ("주민등록번호" in donors) == (language == "ko") and "postcode" not in donors
    if language == "ko":  # review-ko K-M6: how to keep it
        assert "  주민등록번호(tax_id): 기부금영수증에만 쓰입니다. 개인정보 보호법에 따라" in readme
    assert " (" not in readme and " （" not in readme
    own = "日本語の名前" if language == "ja" else "한국어 이름"
    assert own in readme


def test_the_editors_leftovers_in_the_catalogue() -> None:
    """review-ko N36-M2/M3, review-ja F-13: examples in the reader's language,
    no particle after a quoted Latin address, one register, full-width colons
    and 「」 in Japanese."""
    for code in ("RG161", "RG184", "RG207", "RG268"):
        for lang in ("ja", "ko"):
            said = M.translation(code, lang) or ""
            assert not re.search(r"Leeds|Okafor|Chair|Volunteers|\(Letters", said), (code, said)
    for message in (M.NOT_AN_EMAIL, M.ADDRESS_NOT_EMAIL, M.ADDRESS_NOT_EMAIL_EG):
        said = message(value="lee@example").in_language("ko")
        assert "'lee@example': 이메일 주소가 아닙니다" in said, said
    assert "채우세요" in (M.translation("RG597", "ko") or "")
    formal = [code for code in M.CATALOG if "십시오" in (M.translation(code, "ko") or "")]
    assert not formal, formal  # every Korean message asks in one register: -세요
    for code in ("RG198", "RG199", "RG201", "RG202", "RG271"):
        said = M.translation(code, "ja") or ""
        assert "}: " not in said and "} に" not in said and "]: " not in said, (code, said)
    for code in ("RG291", "RG292", "RG513"):
        assert "`" not in (M.translation(code, "ja") or "") + (M.translation(code, "ko") or "")


def test_japanese_messages_quote_a_value_in_corner_brackets() -> None:
    """review-ja N-2: no Python repr ('x') nor ASCII quotes around a value in
    a Japanese message, no half-width colon between Japanese words; click's
    suggestions and lists of choices read as Japanese."""
    for code in M.CATALOG:
        said = M.translation(code, "ja") or ""
        assert "!r}" not in said and not re.search(r"'[^'\s]*\{\w+\}[^']*'", said), (code, said)
        assert not re.search(r"[^\x00-\x7f]: [^\x00-\x7f]", said), (code, said)
    pdf_rows = M.text("RG239", {"value": "many"})
    assert pdf_rows.in_language("ja").startswith("「pdf_table_rows」：「many」は")
    assert "（0：制限なし）" in pdf_rows.in_language("ja")
    runner = CliRunner()
    said = runner.invoke(cli, ["chek"], env={"LANG": "ja_JP.UTF-8"}).output
    assert "「check」の誤りではありませんか？" in said, said
    said = runner.invoke(cli, ["build", ".", "--edition", "x"], env={"LANG": "ja_JP.UTF-8"}).output
    assert "（annual-report、handout、donor、receipts のいずれか）" in said, said
    english = runner.invoke(cli, ["build", ".", "--edition", "x"], env={"LANG": "C"}).output
    assert "'x' is not one of 'annual-report', 'handout', 'donor', 'receipts'." in english


def test_a_missing_column_is_named_as_the_user_names_it(tmp_path: Path) -> None:
    """review-ko K-M2: a Korean-headed file that lacks a required column is
    told in its own names first, the English ids after, its table as the
    report names it with its file, no space before "("."""
    root = copy_root("korean", tmp_path)
    activities = root / "fy2012" / "data" / "activities.csv"
    rows = [line.split(",") for line in activities.read_text("utf-8").splitlines()]
    gone = rows[0].index("분류")
    activities.write_text(
        "\n".join(",".join(c for i, c in enumerate(r) if i != gone) for r in rows) + "\n", "utf-8"
    )
    runner = CliRunner()
    korean = runner.invoke(cli, ["check", str(root)], env={"LANG": "ko_KR.UTF-8"}).output
    assert "필수 열 '분류'(category)가 없습니다. 머리글 행: '날짜', '활동명', '장소'," in korean
    assert "활동 표(activities.csv)에 쓸 수 있는 열: '날짜', '활동명', '분류'," in korean
    assert "(영어 이름 'date', 'title', 'category'," in korean
    assert "필수 열: '날짜', '활동명', '분류' [RG700]" in korean
    japanese = runner.invoke(cli, ["check", str(root)], env={"LANG": "ja_JP.UTF-8"}).output
    assert "必須の列「분류」（category）がありません。見出し行：날짜、활동명、장소、" in japanese


def test_a_warning_on_a_korean_table_names_its_columns_and_values_in_korean(
    tmp_path: Path,
) -> None:
    """review-ko K35-M1: RG134 and RG136 on a Korean-headed table named the
    column by its id ('function', 'email'), the values in English (program,
    ...) and the line in English ("line 3"): the user's own column name, the
    values and the line as the pack says them. An English table keeps the
    English words (tests/test_validate.py)."""
    root = copy_root("korean", tmp_path)
    data = root / "fy2012" / "data"
    finances = data / "finances.csv"
    lines = finances.read_text("utf-8").splitlines()
    assert lines[0].split(",")[3] == "비용 구분" and ",사업비," in lines[2]
    lines[2] = lines[2].replace(",사업비,", ",,", 1)
    finances.write_text("\n".join(lines) + "\n", "utf-8")
    donors = data / "donors.csv"
    donors.write_text(donors.read_text("utf-8").replace("@example.org", "@example", 1), "utf-8")
    korean = CliRunner().invoke(cli, ["check", str(root)], env={"LANG": "ko_KR.UTF-8"}).output
    assert (
        "열 '비용 구분': 지출 1건(3행)에 값이 없어 사업비 비율을 주요 지표에서 뺍니다. "
        "지출마다 사업비, 모금비, 관리비 중 하나를 적으세요 [RG134]"
    ) in korean, korean
    assert "열 '이메일': " in korean and "열 'email'" not in korean, korean


def test_new_without_an_organization_starts_in_the_users_language(tmp_path: Path) -> None:
    """review-ko K-M4: with no organization.toml to say otherwise, a Korean
    user's starter is Korean (its language set, its tables' names, its
    currency and receipt preset), and it passes check."""
    runner = CliRunner()
    year = tmp_path / "2026"
    made = runner.invoke(cli, ["new", str(year), "--start", "2026-01-01"],
                         env={"LANG": "ko_KR.UTF-8"})  # fmt: skip
    assert made.exit_code == 0, made.output
    settings = (year / "report.toml").read_text("utf-8")
    assert '\nlanguage = "ko"\n' in settings and 'title = "2026년도 연차 보고서"' in settings
    assert '# currency = "KRW"' in settings and '# preset = "kr-income-tax"' in settings
    assert 'name = "단체 이름"' in settings and '# from = "단체 이름 <you@example.org>"' in settings
    assert (year / "data" / "activities.csv").read_text("utf-8").startswith("날짜,활동명,")
    assert (year / "narrative" / "01-message.md").read_text("utf-8").startswith("# 대표 인사말")
    checked = runner.invoke(cli, ["check", str(year)], env={"LANG": "ko_KR.UTF-8"})
    assert checked.exit_code == 0, checked.output


def test_a_list_of_choices_reads_as_japanese(tmp_path: Path) -> None:
    """review-ja N-2: the choices a setting takes listed with 、 in Japanese,
    with ", " in English, as before."""
    root = copy_root("japanese", tmp_path)
    settings = root / "fy2012" / "report.toml"
    text = settings.read_text("utf-8").replace(
        "published =", 'editions = ["handbook"]\npublished ='
    )
    settings.write_text(text, "utf-8")
    runner = CliRunner()
    japanese = runner.invoke(cli, ["check", str(root)], env={"LANG": "ja_JP.UTF-8"}).output
    english = runner.invoke(cli, ["check", str(root)], env={"LANG": "C"}).output
    assert "annual-report、handout、donor" in japanese, japanese
    assert "annual-report, handout, donor" in english, english
