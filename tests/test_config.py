"""reportgen.reading.config.load_config: report.toml merged over ../organization.toml.

Every test writes a small report set in ``tmp_path`` and checks the typed
``ReportConfig`` or the exact located diagnostics (contract: "report.toml" and
"Validation: what bad input gets").
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reportgen.core.diagnostics import Diagnostics, Severity
from reportgen.reading.config import load_config
from reportgen.reading.model import ReportConfig

BASE = """\
title = "Annual Report FY2012"
fiscal_year = "FY2012"
start = 2012-09-01
end = 2013-08-31
"""
ORG = """\
[organization]
name = "Life Funds for North Korean Refugees"
"""
VALID = BASE + ORG


def make_year(tmp_path: Path, report: str, org: str | None = None) -> Path:
    """reports/organization.toml (when given) and reports/fy2012/report.toml."""
    root = tmp_path / "reports" / "fy2012"
    root.mkdir(parents=True, exist_ok=True)
    (root / "report.toml").write_text(report, encoding="utf-8")
    if org is not None:
        (root.parent / "organization.toml").write_text(org, encoding="utf-8")
    return root


def load(
    tmp_path: Path, report: str, org: str | None = None
) -> tuple[ReportConfig | None, Diagnostics]:
    root = make_year(tmp_path, report, org)
    diags = Diagnostics()
    return load_config(root, diags), diags


def lines(diags: Diagnostics, base: Path) -> list[str]:
    return [d.format(base) for d in diags.sorted()]


# --- a valid file ----------------------------------------------------------------


def test_minimal_valid_config_has_defaults(tmp_path: Path) -> None:
    config, diags = load(tmp_path, VALID)
    assert list(diags) == []
    assert config is not None
    assert config.root == tmp_path / "reports" / "fy2012"
    assert config.title == "Annual Report FY2012"
    assert config.fiscal_year == "FY2012"
    assert config.start == date(2012, 9, 1)
    assert config.end == date(2013, 8, 31)
    assert type(config.start) is date and type(config.end) is date
    assert config.organization.name == "Life Funds for North Korean Refugees"
    assert config.organization.logo is None
    assert config.language == "en"
    assert config.languages == ("en",)
    assert config.currency == "JPY"
    assert config.editions == ("annual-report", "handout", "donor")
    assert config.theme.primary_color == "#1f3a5f"
    assert config.theme.accent_color == "#c8553d"
    assert config.theme.page_size == "A4"
    assert config.signatory is None


def test_full_valid_config(tmp_path: Path) -> None:
    text = (
        BASE
        + """\
language = "ja"
currency = "USD"
editions = ["handout", "donor"]

[organization]
name = "LFNKR"
short_name = "LF"
website = "https://example.org"
email = "info@example.org"
address = "Tokyo"

[theme]
primary_color = "#abc"
accent_color = "#A1B2C3"
page_size = "Letter"
font = "Noto Sans JP"

[signatory]
name = "Kato Hiroshi"
role = "Representative"
"""
    )
    config, diags = load(tmp_path, text)
    assert diags.errors == [] and diags.warnings == []
    assert config is not None
    assert config.language == "ja"
    assert config.languages == ("ja",)
    assert config.currency == "USD"
    assert config.editions == ("handout", "donor")
    assert config.organization.short_name == "LF"
    assert config.organization.website == "https://example.org"
    assert config.theme.primary_color == "#abc"
    assert config.theme.accent_color == "#A1B2C3"
    assert config.theme.page_size == "Letter"
    assert config.theme.font == "Noto Sans JP"
    assert config.signatory is not None
    assert (config.signatory.name, config.signatory.role) == ("Kato Hiroshi", "Representative")


def test_missing_report_toml_is_an_error(tmp_path: Path) -> None:
    root = tmp_path / "fy2012"
    root.mkdir()
    diags = Diagnostics()
    assert load_config(root, diags) is None
    assert lines(diags, tmp_path) == ["fy2012/report.toml: missing required file report.toml"]


# --- merging over organization.toml -------------------------------------------------


def test_year_file_wins_and_tables_merge_key_by_key(tmp_path: Path) -> None:
    org = """\
title = "Organisation-wide title"
language = "ja"
currency = "EUR"

[organization]
name = "Org Name From Set"
website = "https://example.org"
email = "info@example.org"

[theme]
primary_color = "#111111"
accent_color = "#222222"
page_size = "Letter"

[signatory]
name = "Org Chair"
role = "Chair"
"""
    report = """\
title = "Year Title"
fiscal_year = "FY2012"
start = 2012-09-01
end = 2013-08-31
currency = "JPY"

[organization]
name = "Year Name"

[theme]
primary_color = "#333333"

[signatory]
role = "Representative"
"""
    config, diags = load(tmp_path, report, org)
    assert lines(diags, tmp_path) == []
    assert config is not None
    assert config.title == "Year Title"  # the year wins
    assert config.currency == "JPY"  # the year wins
    assert config.language == "ja"  # only in organization.toml: inherited
    assert config.organization.name == "Year Name"
    assert config.organization.website == "https://example.org"
    assert config.organization.email == "info@example.org"
    assert config.theme.primary_color == "#333333"
    assert config.theme.accent_color == "#222222"
    assert config.theme.page_size == "Letter"
    assert config.signatory is not None
    assert (config.signatory.name, config.signatory.role) == ("Org Chair", "Representative")


def test_organization_table_may_come_from_organization_toml_only(tmp_path: Path) -> None:
    config, diags = load(tmp_path, BASE, ORG)
    assert lines(diags, tmp_path) == []
    assert config is not None
    assert config.organization.name == "Life Funds for North Korean Refugees"


def test_organization_toml_in_the_year_folder_itself_is_not_used(tmp_path: Path) -> None:
    root = make_year(tmp_path, BASE)
    (root / "organization.toml").write_text(ORG, encoding="utf-8")
    diags = Diagnostics()
    assert load_config(root, diags) is None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml: missing required table [organization] "
        "(here or in ../organization.toml)"
    ]


# --- missing and wrong values ---------------------------------------------------------


@pytest.mark.parametrize("key", ["title", "fiscal_year", "start", "end"])
def test_missing_required_key(tmp_path: Path, key: str) -> None:
    text = "\n".join(line for line in VALID.splitlines() if not line.startswith(key + " "))
    config, diags = load(tmp_path, text + "\n")
    assert config is None
    assert lines(diags, tmp_path) == [f"reports/fy2012/report.toml: missing required key '{key}'"]


def test_missing_organization_table_and_name(tmp_path: Path) -> None:
    config, diags = load(tmp_path, BASE)
    assert config is None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml: missing required table [organization] "
        "(here or in ../organization.toml)"
    ]
    config, diags = load(tmp_path, BASE + '[organization]\nwebsite = "https://x.org"\n')
    assert config is None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml: missing required key 'name' in [organization]"
    ]


def test_empty_title_is_an_error_on_its_line(tmp_path: Path) -> None:
    config, diags = load(tmp_path, VALID.replace('"Annual Report FY2012"', '"  "'))
    assert config is None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml:1: 'title' must be a non-empty string"
    ]


def test_end_before_start(tmp_path: Path) -> None:
    text = VALID.replace("end = 2013-08-31", "end = 2012-08-31")
    config, diags = load(tmp_path, text)
    assert config is None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml:4: 'end' (2012-08-31) is before 'start' (2012-09-01)"
    ]


def test_start_equal_to_end_is_allowed(tmp_path: Path) -> None:
    config, diags = load(tmp_path, VALID.replace("end = 2013-08-31", "end = 2012-09-01"))
    assert diags.errors == []
    assert config is not None and config.start == config.end


def test_dates_given_as_strings_are_errors(tmp_path: Path) -> None:
    text = VALID.replace("start = 2012-09-01", 'start = "2012-09-01"').replace(
        "end = 2013-08-31", 'end = "2013-08-31"'
    )
    config, diags = load(tmp_path, text)
    assert config is None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml:3: 'start' must be a TOML date such as 2012-09-01 "
        "(without quotes)",
        "reports/fy2012/report.toml:4: 'end' must be a TOML date such as 2012-09-01 "
        "(without quotes)",
    ]


def test_datetime_instead_of_date_is_an_error(tmp_path: Path) -> None:
    config, diags = load(
        tmp_path, VALID.replace("start = 2012-09-01", "start = 2012-09-01T10:00:00")
    )
    assert config is None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml:3: 'start' must be a TOML date such as 2012-09-01 "
        "(without quotes)"
    ]


def test_bad_language_currency_and_edition(tmp_path: Path) -> None:
    text = BASE + 'language = "jp"\ncurrency = "yen"\neditions = ["handout", "donors"]\n' + ORG
    config, diags = load(tmp_path, text)
    assert config is None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml:5: 'language': 'jp' is not a language that CLDR knows",
        "reports/fy2012/report.toml:6: 'currency': 'yen' is not an ISO 4217 code",
        "reports/fy2012/report.toml:7: 'editions': 'donors' is not one of annual-report, "
        "handout, donor, receipts (did you mean 'donor'?)",
    ]


# --- unknown keys: warnings naming the key, the file and its line ----------------------------


def test_unknown_key_near_a_known_one_is_a_warning_with_did_you_mean(tmp_path: Path) -> None:
    """A near miss (``curency``) gets a "did you mean"; every unknown key is a
    warning, which does not fail a build (version 1's rule; --strict does)."""
    text = BASE + 'curency = "JPY"\nbanana = 1\n' + ORG
    config, diags = load(tmp_path, text)
    assert config is not None
    assert [d.severity for d in diags] == [Severity.WARNING, Severity.WARNING]
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml:5: warning: unknown key 'curency' (did you mean 'currency'?)",
        "reports/fy2012/report.toml:6: warning: unknown key 'banana'",
    ]
    first = diags.sorted()[0]
    assert first.location.line == 5
    assert first.location.path == tmp_path / "reports" / "fy2012" / "report.toml"


def test_unknown_theme_key_is_a_located_warning_with_did_you_mean(tmp_path: Path) -> None:
    text = VALID + '\n[theme]\npage_size = "A4"\nprimary_colour = "#ffffff"\n'
    config, diags = load(tmp_path, text)
    assert config is not None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml:10: warning: unknown key 'primary_colour' in [theme] "
        "(did you mean 'primary_color'?)"
    ]


def test_unknown_table_is_located_on_its_header_line(tmp_path: Path) -> None:
    text = VALID + '\n[themes]\nfont = "Arial"\n\n[extras]\nnote = "x"\n'
    config, diags = load(tmp_path, text)
    assert config is not None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml:8: warning: unknown key 'themes' (did you mean 'theme'?)",
        "reports/fy2012/report.toml:11: warning: unknown key 'extras'",
    ]


def test_unknown_key_in_organization_toml_names_that_file(tmp_path: Path) -> None:
    org = '[organization]\nname = "X"\nwebsight = "https://x.org"\n'
    config, diags = load(tmp_path, BASE, org)
    assert config is not None
    assert lines(diags, tmp_path) == [
        "reports/organization.toml:3: warning: unknown key 'websight' in [organization] "
        "(did you mean 'website'?)"
    ]


# --- theme values never reach the CSS unchecked ---------------------------------------


@pytest.mark.parametrize(
    "value",
    ["red", "#12345", "#1f3a5f; background:url(x)", "#ggg", "1f3a5f", "#1f3a5f "],
)
def test_bad_colour_is_an_error(tmp_path: Path, value: str) -> None:
    text = VALID + f'\n[theme]\nprimary_color = "{value}"\n'
    config, diags = load(tmp_path, text)
    assert config is None
    assert lines(diags, tmp_path) == [
        f"reports/fy2012/report.toml:9: 'primary_color': '{value}' is not a colour such as #1f3a5f"
    ]


def test_non_string_colour_is_an_error(tmp_path: Path) -> None:
    config, diags = load(tmp_path, VALID + "\n[theme]\naccent_color = 0x123456\n")
    assert config is None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml:9: 'accent_color': 1193046 is not a colour such as #c8553d"
    ]


@pytest.mark.parametrize("value", ["#fff", "#FFF", "#1f3a5f", "#A0b1C2"])
def test_good_colours(tmp_path: Path, value: str) -> None:
    config, diags = load(tmp_path, VALID + f'\n[theme]\naccent_color = "{value}"\n')
    assert diags.errors == []
    assert config is not None and config.theme.accent_color == value


@pytest.mark.parametrize(
    ("value", "hint"),
    [("a4", " (did you mean 'A4'?)"), ("Legal", ""), ("B5", "")],
)
def test_bad_page_size(tmp_path: Path, value: str, hint: str) -> None:
    config, diags = load(tmp_path, VALID + f'\n[theme]\npage_size = "{value}"\n')
    assert config is None
    assert lines(diags, tmp_path) == [
        f"reports/fy2012/report.toml:9: 'page_size': '{value}' is not one of A4, Letter{hint}"
    ]


@pytest.mark.parametrize(
    "value",
    ["Noto Sans'; }", 'Arial\\"', "Arial;", "Arial, sans-serif", "url(x)", "-Arial", ""],
)
def test_bad_font_name(tmp_path: Path, value: str) -> None:
    config, diags = load(tmp_path, VALID + f'\n[theme]\nfont = "{value}"\n')
    assert config is None
    shown = value.replace('\\"', '"')
    assert [d.message for d in diags] == [
        f"'font': {shown!r} is not a font family name (letters, digits, spaces, hyphens)"
    ]
    assert diags.errors[0].location.line == 9


@pytest.mark.parametrize("value", ["Noto Sans JP", "Source-Han-Serif", "Arial"])
def test_good_font_names(tmp_path: Path, value: str) -> None:
    config, diags = load(tmp_path, VALID + f'\n[theme]\nfont = "{value}"\n')
    assert diags.errors == []
    assert config is not None and config.theme.font == value


# --- TOML syntax and encoding ----------------------------------------------------------


def test_toml_syntax_error_has_its_line(tmp_path: Path) -> None:
    text = BASE + '[organization]\nname = "X"\nwebsite = = 1\n'
    config, diags = load(tmp_path, text)
    assert config is None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml:7: TOML syntax error: Invalid value"
    ]


def test_toml_unclosed_table_header_has_its_line(tmp_path: Path) -> None:
    config, diags = load(tmp_path, BASE + '[organization\nname = "X"\n')
    assert config is None
    assert len(diags.errors) == 1
    error = diags.errors[0]
    assert error.location.line == 5
    assert error.message.startswith("TOML syntax error: ")
    assert "at line" not in error.message  # the position is in the location, not repeated


def test_toml_unterminated_string_mid_file_has_its_line(tmp_path: Path) -> None:
    config, diags = load(tmp_path, 'title = "Annual Report\nfiscal_year = "FY2012"\n')
    assert config is None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml:1: TOML syntax error: Illegal character '\\n'"
    ]


def test_toml_unterminated_string_on_last_line_has_its_line(tmp_path: Path) -> None:
    # tomllib says "at end of document" here: the line must still be given
    config, diags = load(tmp_path, VALID + 'address = "Tokyo')
    assert config is None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml:7: TOML syntax error: Unterminated string"
    ]


def test_syntax_error_in_organization_toml_names_that_file(tmp_path: Path) -> None:
    config, diags = load(tmp_path, VALID, '[organization]\nname = "X"\nemail = \n')
    assert config is None
    assert lines(diags, tmp_path) == [
        "reports/organization.toml:3: TOML syntax error: Invalid value"
    ]


def test_report_toml_not_utf8_is_an_error(tmp_path: Path) -> None:
    root = make_year(tmp_path, "")
    (root / "report.toml").write_bytes(VALID.replace("Life", "L\xefe").encode("latin-1"))
    diags = Diagnostics()
    assert load_config(root, diags) is None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml:6: the file is not valid UTF-8: byte 0xef at column 10"
    ]


# --- the logo: relative to the file that names it -----------------------------------------

PNG = (  # a 1 x 1 picture: the gate checks pictures by their bytes
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\r\xefF"
    b"\xb8\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_logo_relative_to_report_toml(tmp_path: Path) -> None:
    root = make_year(tmp_path, VALID + 'logo = "assets/logo.png"\n')
    (root / "assets").mkdir()
    (root / "assets" / "logo.png").write_bytes(PNG)
    diags = Diagnostics()
    config = load_config(root, diags)
    assert diags.errors == []
    assert config is not None
    assert config.organization.logo == (root / "assets" / "logo.png").resolve()


def test_logo_relative_to_organization_toml(tmp_path: Path) -> None:
    root = make_year(tmp_path, BASE, ORG + 'logo = "assets/logo.png"\n')
    reports = root.parent
    (reports / "assets").mkdir()
    (reports / "assets" / "logo.png").write_bytes(PNG)
    # the same name beside report.toml must not be the one chosen
    (root / "assets").mkdir()
    (root / "assets" / "logo.png").write_bytes(b"other")
    diags = Diagnostics()
    config = load_config(root, diags)
    assert diags.errors == []
    assert config is not None
    assert config.organization.logo == (reports / "assets" / "logo.png").resolve()


def test_logo_in_organization_toml_is_not_looked_up_beside_report_toml(tmp_path: Path) -> None:
    root = make_year(tmp_path, BASE, ORG + 'logo = "logo.png"\n')
    (root / "logo.png").write_bytes(PNG)  # beside report.toml, not organization.toml
    diags = Diagnostics()
    assert load_config(root, diags) is None
    assert lines(diags, tmp_path) == [
        "reports/organization.toml:3: 'logo': 'logo.png': no such file"
    ]


def test_missing_logo_file_is_an_error(tmp_path: Path) -> None:
    config, diags = load(tmp_path, VALID + 'logo = "assets/nope.png"\n')
    assert config is None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml:7: 'logo': 'assets/nope.png': no such file"
    ]


def test_many_config_problems_are_reported_together(tmp_path: Path) -> None:
    text = """\
title = "T"
fiscal_year = "FY2012"
start = "2012-09-01"
end = 2013-08-31
colour = "red"

[organization]
name = "X"
logo = "missing.png"

[theme]
primary_color = "blue"
page_size = "A5"
"""
    config, diags = load(tmp_path, text)
    assert config is None
    assert lines(diags, tmp_path) == [
        "reports/fy2012/report.toml:3: 'start' must be a TOML date such as 2012-09-01 "
        "(without quotes)",
        "reports/fy2012/report.toml:5: warning: unknown key 'colour'",
        "reports/fy2012/report.toml:9: 'logo': 'missing.png': no such file",
        "reports/fy2012/report.toml:12: 'primary_color': 'blue' is not a colour such as #1f3a5f",
        "reports/fy2012/report.toml:13: 'page_size': 'A5' is not one of A4, Letter",
    ]
