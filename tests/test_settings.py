"""Settings declared once (``reportgen.reading.settings``): every consumer follows the
schema, an undeclared key cannot be read, an unknown key is reported (an error
when it is a near miss), ``--strict`` fails on any warning, and the cache key
covers every file of the package and the fonts."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest

from reportgen.commands.new import new_year
from reportgen.composing.edition_view import translate_config
from reportgen.core.diagnostics import Diagnostics, Location, Severity
from reportgen.core.languages import OPTIONAL_WORDS, pack, required_word_keys, word_keys
from reportgen.reading import settings
from reportgen.reading.config import _Checker, _Source, load_config
from reportgen.reading.settings import SETTINGS, UndeclaredSetting
from tests.package_copy import copied_package

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "reportgen"
START = date(2025, 4, 1)


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip


def starter(tmp_path: Path, extra: str = "") -> Path:
    """A year made by ``reportgen new`` (its own starter settings), plus ``extra``."""
    year = tmp_path / "reports" / "fy2025"
    year.parent.mkdir(parents=True)
    new_year(year, None, False, START)
    if extra:
        toml = year / "report.toml"
        text = toml.read_text("utf-8").replace("[organization]", extra + "\n[organization]", 1)
        toml.write_text(text, "utf-8")
    return year


def load(year: Path) -> tuple[object, Diagnostics]:
    diags = Diagnostics()
    return load_config(year, diags), diags


# --- one schema, every consumer -------------------------------------------------------

# (value in English, its translation, what the translation becomes) by type
VALUES = {
    "string": ('"English"', '"日本語"', "日本語"),
    "array of strings": ('["No 1"]', '["登録番号 1"]', ("登録番号 1",)),
    "string (Markdown)": ('"**Give** here"', '"**振込** はこちら"', "<strong>振込</strong>"),
}
OWN = {
    "start": "2025-04-01", "end": "2026-03-31", "cover_image": '"assets/cover.svg"',
    "email.host": '"smtp.example.org"', "email.from": '"Org <x@example.org>"',
}  # fmt: skip


def _with_everything(tmp_path: Path, tag: str) -> Path:
    """A year that sets every translatable setting (and what it needs), each
    with its ``_<tag>`` translation."""
    year = starter(tmp_path)
    shutil.copyfile(ROOT / "reports/assets/logo.svg", year / "assets" / "cover.svg")
    body: dict[str | None, list[str]] = {None: [f'languages = ["en", "{tag}"]']}
    for setting in SETTINGS.values():
        if setting.translatable or setting.key in OWN or (setting.required and setting.table):
            english, translated, _ = VALUES.get(setting.type, VALUES["string"])
            lines = body.setdefault(setting.table, [])
            lines.append(f"{setting.name} = {OWN.get(setting.key, english)}")
            if setting.translatable:
                lines.append(f"{setting.name}_{tag} = {translated}")
    text = "\n".join(body.pop(None))
    for table, keys in body.items():
        text += "\n\n" + "\n".join([f"[{table}]", *keys])
    (year / "report.toml").write_text(text + "\n", "utf-8")
    return year


def _at(config: object, path: str) -> object:
    for part in path.split("."):
        config = getattr(config, part)
    return config


def test_every_translatable_setting_is_applied_in_its_language(tmp_path: Path) -> None:
    """No hand-kept list: each setting the schema marks translatable is
    accepted as ``<key>_ja`` and lands where its declaration says."""
    config, diags = load(_with_everything(tmp_path, "ja"))
    assert config is not None, [d.format() for d in diags]
    assert diags.items == []
    japanese = translate_config(config, "ja")  # type: ignore[arg-type]
    for setting in SETTINGS.values():
        if not setting.translatable:
            continue
        assert setting.target is not None
        expected = VALUES.get(setting.type, VALUES["string"])[2]
        value = _at(japanese, setting.target)
        assert value == expected or (isinstance(value, str) and str(expected) in value), (
            setting.key, value)  # fmt: skip
        assert str(expected) not in str(_at(config, setting.target))  # English untouched


def test_a_setting_marked_translatable_needs_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The subtitle story: a setting that becomes translatable in the schema
    is accepted and applied by every consumer without another edit."""
    year = starter(tmp_path)
    toml = year / "report.toml"
    toml.write_text(toml.read_text("utf-8").replace(
        'name = "Your Organisation"',
        'name = "Your Organisation"\nwebsite = "https://example.org/"\n'
        'website_ja = "https://example.org/ja/"',
    ), "utf-8")  # fmt: skip
    config, diags = load(year)
    assert config is not None  # a warning (version 1): website_ja is not used
    assert translate_config(config, "ja").organization.website == "https://example.org/"  # type: ignore[arg-type]
    assert [d.message for d in diags] == [
        "unknown key 'website_ja' in [organization]: 'website' does not translate, so this "
        "value is not used"
    ]
    declared = dataclasses.replace(SETTINGS["organization.website"], translatable=True)
    monkeypatch.setitem(SETTINGS, "organization.website", declared)
    config, diags = load(year)
    assert config is not None and diags.items == []
    assert translate_config(config, "ja").organization.website == "https://example.org/ja/"  # type: ignore[arg-type]
    assert translate_config(config, "en").organization.website == "https://example.org/"  # type: ignore[arg-type]


def test_fiscal_year_translates(tmp_path: Path) -> None:
    config, diags = load(starter(tmp_path, 'languages = ["en", "ja"]\nfiscal_year_ja = "2025年度"'))
    assert config is not None and diags.items == []
    assert translate_config(config, "ja").fiscal_year == "2025年度"  # type: ignore[arg-type]


def test_translation_of_a_key_that_does_not_translate_is_a_warning(tmp_path: Path) -> None:
    year = starter(tmp_path, 'languages = ["en", "ja"]\ncurrency_ja = "JPY"')
    config, diags = load(year)
    assert config is not None
    [error] = diags.items
    assert error.severity is Severity.WARNING
    assert error.message == (
        "unknown key 'currency_ja': 'currency' does not translate, so this value is not used"
    )
    assert error.location.line is not None
    lines = (year / "report.toml").read_text("utf-8").splitlines()
    assert lines[error.location.line - 1].startswith("currency_ja")


def test_translation_into_a_language_the_report_does_not_build_is_a_warning(
    tmp_path: Path,
) -> None:
    config, diags = load(starter(tmp_path, 'title_fr = "Rapport annuel"'))
    assert config is not None
    assert [(d.severity, d.message) for d in diags] == [(Severity.WARNING, (
        "unknown key 'title_fr': 'fr' is not a language of this report (language, languages)"
    ))]  # fmt: skip


def test_undeclared_setting_cannot_be_read(tmp_path: Path) -> None:
    values = settings.loads('title = "T"\nsubtitle = "S"\n')
    assert values.get("title") == "T"
    with pytest.raises(UndeclaredSetting):
        values.get("subtitle")
    year = starter(tmp_path)
    config, _ = load(year)
    assert config is not None
    checker = _Checker({}, _Source(year / "report.toml", settings.loads(""), ""), Diagnostics())
    for read in (checker.has, checker.value, checker.string):
        with pytest.raises(UndeclaredSetting):
            read("subtitle")


ACCESSORS = {"has", "value", "string", "_get", "date", "choice", "tag", "tags", "string_list",
             "picture", "locator", "where", "_list", "get", "translations"}  # fmt: skip


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "__pycache__" not in p.parts)


def test_settings_files_are_parsed_only_by_the_schema() -> None:
    """No code holds a settings file as a raw dict: only ``reportgen.reading.settings``
    parses TOML (the language packs are not settings)."""
    parsers = set()
    for path in _modules():
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names] if isinstance(node, ast.Import)
                else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            )  # fmt: skip
            if "tomllib" in names:
                parsers.add(path.relative_to(SRC).as_posix())
    assert parsers == {"reading/settings.py", "core/languages/__init__.py"}


def test_every_key_code_asks_for_is_declared() -> None:
    """Every literal key passed to a settings accessor, in every module that
    reads settings, is declared (the accessor would fail loudly otherwise)."""
    readers = {"config.py", "new.py", "year_folders.py", "manifest.py", "settings.py"}
    asked = set()
    for path in _modules():
        if path.name not in readers:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ACCESSORS and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"self", "checker", "settings", "values", "shared",
                                           "src", "data"}
            ):  # fmt: skip
                asked.add((path.name, node.args[0].value))
    assert len(asked) > 30
    undeclared = {(f, k) for f, k in asked if k not in SETTINGS}
    assert undeclared == set()


def test_docs_table_of_settings_is_the_schemas() -> None:
    text = (ROOT / "docs" / "report-format.md").read_text("utf-8")
    assert settings.docs_with_table(text) == text, (
        "run: python -m reportgen.reading.settings --docs"
    )
    for key in SETTINGS:
        assert f"`{key}`" in text or f"`[{key}]`" in text


def test_schema_defaults_are_the_models() -> None:
    for setting in SETTINGS.values():
        if setting.default not in (None, "end", "all") and setting.target is not None:
            assert settings.model_default(setting) == setting.default, setting.key


def test_starter_names_every_starter_key_and_each_is_known(tmp_path: Path) -> None:
    """``reportgen new``'s report.toml comes from the schema: every key it
    shows, uncommented, is a key the build knows."""
    year = starter(tmp_path)
    text = (year / "report.toml").read_text("utf-8")
    for setting in SETTINGS.values():
        if setting.starter and setting.type != "table":
            assert f"{setting.name} = " in text, setting.key
    assert tomllib.loads(text)["title"] == "Annual Report 2025–26"
    setting = re.compile(r"# (\[[a-z_]+\]|[a-z_]+ = )")
    lines = [line[2:] if setting.match(line) else line for line in text.splitlines()]
    everything = "\n".join(lines).replace("assets/cover.jpg", "assets/logo.svg")
    (year / "assets" / "logo.svg").write_bytes((ROOT / "reports/assets/logo.svg").read_bytes())
    (year / "report.toml").write_text(everything, "utf-8")
    _, diags = load(year)
    assert not [d for d in diags if "unknown key" in d.message], [d.message for d in diags]


def test_cache_inputs_are_the_files_settings_name(tmp_path: Path) -> None:
    from reportgen.writing.manifest import input_paths

    year = starter(tmp_path, 'cover_image = "assets/cover.png"\ncover_image_alt = "A picture"')
    (year / "assets" / "cover.png").write_bytes(b"\x89PNG")
    assert (year / "assets" / "cover.png").resolve() in input_paths([year])
    named = [p for s, p in settings.named_paths(settings.read(year / "report.toml"))]  # type: ignore[arg-type]
    assert named == ["assets/cover.png"]


def test_labels_lists_the_settings_that_translate() -> None:
    result = run("labels", "--language", "de")
    assert result.returncode == 0, result.stderr
    for key in settings.translatable():
        assert f"{key.rpartition('.')[2]}_de = " in result.stdout
    assert len(tomllib.loads(result.stdout)["labels"]["de"]) == len(word_keys())


# --- unknown keys: warnings (version 1), with a did-you-mean; --strict refuses them ---


def test_near_miss_is_a_located_warning_with_did_you_mean(tmp_path: Path) -> None:
    year = starter(tmp_path, 'fiscal_yaer = "FY"')
    result = run("check", str(year))
    assert result.returncode == 0, result.stderr
    line = next(n for n, t in enumerate((year / "report.toml").read_text("utf-8").splitlines(), 1)
                if t.startswith("fiscal_yaer"))  # fmt: skip
    assert (
        f"report.toml:{line}: warning: unknown key 'fiscal_yaer' (did you mean 'fiscal_year'?)"
        in result.stderr
    )
    assert run("check", "--strict", str(year)).returncode == 2
    assert "Traceback" not in result.stderr


def test_unknown_key_passes_check_but_not_strict(tmp_path: Path) -> None:
    year = starter(tmp_path, 'subtitel = "A year of meals"')
    loose = run("check", str(year))
    assert loose.returncode == 0, loose.stderr
    assert "warning: unknown key 'subtitel'" in loose.stderr
    strict = run("check", "--strict", str(year))
    assert strict.returncode == 2
    assert strict.stderr.count("warning: unknown key 'subtitel'") == 1
    assert "(--strict: warnings fail)" in strict.stderr


def test_build_strict_fails_on_an_input_warning_and_writes_nothing(tmp_path: Path) -> None:
    year = starter(tmp_path, 'subtitel = "A year of meals"')
    out = tmp_path / "out"
    result = run("build", str(year), "--out", str(out), "--strict", "--edition", "handout")
    assert result.returncode == 2, result.stderr
    assert "warning: unknown key 'subtitel'" in result.stderr
    assert "--strict:" in result.stderr and "nothing was written" in result.stderr
    assert not (out / "fy2025").exists()


def test_a_problem_found_twice_is_kept_once() -> None:
    diags = Diagnostics()
    where = Location(Path("report.toml"), 3)
    for _ in range(2):
        diags.warning(where, "unknown key 'x'")
        diags.extend([*diags.items])
    assert len(diags.items) == 1


@pytest.mark.slow
def test_each_warning_prints_once_for_a_set(tmp_path: Path) -> None:
    """A warning of the set's organization.toml, read for both years, and
    each year's own warnings: every one printed once, by check and by build."""
    reports = tmp_path / "reports"
    shutil.copytree(ROOT / "reports", reports)
    with (reports / "organization.toml").open("a", encoding="utf-8") as file:
        file.write('\n[labels.en]\npeeple = "Trustees"\n')
    for year in ("fy2011", "fy2012"):
        text = (reports / year / "report.toml").read_text("utf-8")
        (reports / year / "report.toml").write_text(f"my_note = 1\n{text}", "utf-8")
    checked = run("check", str(reports))
    built = run("build", str(reports), "--out", str(tmp_path / "out"), "-q", "--edition",
                "handout", "--language", "en")  # fmt: skip
    for result in (checked, built):
        assert result.returncode == 0, result.stderr
        warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
        assert len(warnings) == len(set(warnings)), warnings
        for problem in (
            "unknown word 'peeple'",
            "fy2011/report.toml:1: warning: unknown key 'my_note'",
            "fy2012/report.toml:1: warning: unknown key 'my_note'",
        ):
            assert sum(problem in line for line in warnings) == 1, (problem, warnings)


# --- the cache key: every file of the package, the fonts ---------------------------------


@pytest.mark.slow
def test_editing_a_language_pack_rebuilds_with_the_new_words(tmp_path: Path) -> None:
    package, env = copied_package(tmp_path)
    year = starter(tmp_path)
    out = tmp_path / "out"
    args = ("build", str(year), "--out", str(out), "--edition", "handout")
    first = run(*args, env=env)
    assert first.returncode == 0, first.stderr
    from tests.pdfparse import ParsedPdf

    assert "The Year at a Glance" in ParsedPdf(out / "fy2025/handout.pdf").all_text()
    pack = package / "core" / "languages" / "en.toml"
    pack.write_text(pack.read_text("utf-8").replace(
        'year_at_a_glance = "The Year at a Glance"', 'year_at_a_glance = "Our year in brief"'
    ), "utf-8")  # fmt: skip
    second = run(*args, env=env)
    assert second.returncode == 0, second.stderr
    assert "nothing changed" not in second.stderr
    text = ParsedPdf(out / "fy2025/handout.pdf").all_text()
    assert "Our year in brief" in text and "The Year at a Glance" not in text


def test_the_key_follows_every_package_file_and_the_fonts(tmp_path: Path) -> None:
    """The cache key of a copy of the package, each in a fresh process: a data
    file added to the package changes it, and so does another set of fonts."""
    package, env = copied_package(tmp_path)

    def key(fonts: str | None = None) -> str:
        code = "from reportgen.writing import cache\n"
        if fonts is not None:  # the machine's fonts, as fontconfig would list them
            code += f"cache.fonts_found = lambda: [{fonts!r}]\n"
        code += "noto = any('Noto' in f for f in cache.fonts_found())\n"
        code += "print(cache.__file__, cache.digest('x'), noto)"
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        where, digest, noto = done.stdout.split()
        assert where == str(package / "writing" / "cache.py")  # the copy answered
        assert noto == ("True" if fonts is None else "False")
        return digest

    before = key()
    (package / "core" / "languages" / "notes.txt").write_text("a data file", "utf-8")
    after_file = key()
    after_font = key("/fonts/New.ttf|1|2")
    assert len({before, after_file, after_font}) == 3


# --- language packs: no language silently filled with English -------------------------


def test_an_incomplete_pack_is_a_check_error_listing_its_missing_words(tmp_path: Path) -> None:
    package, env = copied_package(tmp_path)
    # Every English word: en.toml's and each edition's title (declared with it).
    english = {k: v if isinstance(v, str) else dict(v) for k, v in pack("en").words}
    given = dict([(k, v) for k, v in english.items() if isinstance(v, str)][:8])
    words = "\n".join(f"{k} = {json.dumps(v)}" for k, v in given.items())
    (package / "core" / "languages" / "de.toml").write_text(
        f'[pack]\nname = "Deutsch"\n\n[words]\n{words}\n', "utf-8"
    )
    year = starter(tmp_path, 'language = "de"')
    result = run("check", str(year), env=env)
    assert result.returncode == 2, result.stderr
    [error] = [line for line in result.stderr.splitlines() if "language pack lacks" in line]
    # The receipts' words are asked of a language only where receipts are
    # written in it; a word only a setting's output shows, only with it on.
    required = required_word_keys()
    missing = [k for k in required if k not in given and k not in OPTIONAL_WORDS]
    assert f"'de': its language pack lacks {len(missing)} of the {len(required)} words" in error
    assert all(k in error for k in missing) and "contents," not in error
    assert error.startswith(str(year / "report.toml"))
    built = run("build", str(year), "--out", str(tmp_path / "out"), env=env)
    assert built.returncode == 2 and not (tmp_path / "out" / "fy2025").exists()
    # The missing words given in [labels.de]: the language is complete.
    labels = "\n".join(f"{k} = {_toml(english[k])}" for k in missing)
    with (year / "report.toml").open("a", encoding="utf-8") as file:
        file.write(f"\n[labels.de]\n{labels}\n")
    fixed = run("check", str(year), env=env)
    assert fixed.returncode == 0, fixed.stderr


def _toml(word: object) -> str:
    if isinstance(word, dict):
        return "{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in word.items()) + " }"
    return json.dumps(word)


def test_the_starter_s_notes_line_up_whatever_the_width_of_the_values() -> None:
    """Review r35 F-10: a note after a value of full-width characters (署名者の
    氏名) stood as many columns right as the value had such characters. In a
    monospaced editor each takes two columns: every note starts in one."""
    import unicodedata

    from reportgen.reading.settings import starter_toml

    values = {"label": "2026年度", "start": "2026-01-01", "end": "2026-12-31",
              "published": "2027-03-01"}  # fmt: skip
    own = {"signatory.name": "署名者の氏名", "signatory.role": "代表理事"}
    text = starter_toml(values, True, own, "ja")

    def columns(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    starts = {columns(line[: line.index("  # ")]) for line in text.splitlines() if "  # " in line
              and columns(line[: line.index("  # ")]) <= 30}  # fmt: skip
    assert '# name = "署名者の氏名"' in text
    assert starts == {30}, starts
