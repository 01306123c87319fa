"""The organisation's own wording: registration and giving, narrative files with
a role (donor-letter, letter, how-to-give, back-cover), letter placeholders,
and the cover's photograph. Real builds of a copy of the small test root
(tests/roots/small), or of the sample where the claim needs its Japanese
letters, its organisation and signatory."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from reportgen.commands.build import run_build, run_check
from reportgen.core.errors import InvalidInput
from tests.conftest import BuiltRoot
from tests.pdfparse import ParsedPdf
from tests.test_bad_input import replace

REGISTRATION = 'registration = ["Registered charity no. 1123456", "Company no. 06543210"]\n'
BUILT_IN_GIVING = "You can support our work with a one-off gift"  # the language pack's
BUILT_IN_LETTER = "a year of change"  # words of the built-in donor letter
GIVING = (
    'giving = """\nGive online at <https://give.example.org/>, or by bank transfer: '
    '**Sort code 12-34-56**, account 87654321.\n\nUK taxpayers: add Gift Aid.\n"""\n'
)


def _organization(reports: Path, lines: str) -> None:
    """Put ``lines`` in [organization], in place of the sample's own
    registration and giving (and their translations)."""
    path = reports / "organization.toml"
    own = re.compile(r'^(registration|giving)(_[\w-]+)? = (\[.*?\]|""".*?"""|".*?")\n', re.M | re.S)
    path.write_text(own.sub("", path.read_text(encoding="utf-8")), encoding="utf-8")
    replace(path, "[organization]\n", "[organization]\n" + lines)


def _errors(year: Path) -> list[str]:
    return [
        f"{d.location.display(year.parent.parent)}: {d.message}"
        for d in run_check(year).diagnostics
        if d.severity.value == "error"
    ]


def _donors(year: Path, rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, ["id", "name", "salutation", "language", "amount"])
    writer.writeheader()
    writer.writerows(rows)
    (year / "data" / "donors.csv").write_text(out.getvalue(), "utf-8")
    # the sample's gifts are the old donors': a gift of a donor not listed is an error
    (year / "data" / "gifts.csv").unlink(missing_ok=True)


def _role(year: Path, name: str, role: str, body: str, extra: str = "") -> Path:
    path = year / "narrative" / name
    path.write_text(f"---\nrole: {role}\n{extra}---\n{body}", "utf-8")
    return path


def test_registration_and_giving_in_donor_edition_letters_and_back_cover(
    small_set: Path, tmp_path: Path, built_small: BuiltRoot
) -> None:
    # the small root (one language: no language folder) has neither setting,
    # and its own donor edition shows the built-in giving text replaced here
    assert BUILT_IN_GIVING in ParsedPdf(built_small.file("donor.pdf")).all_text()
    _organization(small_set, REGISTRATION + GIVING + 'registration_ja = ["登録番号 123"]\n')
    year = small_set / "fy2012"
    _donors(year, [{"id": "a", "name": "Ann Lee", "language": "en", "amount": "100"}])
    out = tmp_path / "out"
    run_build(year, out, ["annual-report", "donor"])
    made = out / "fy2012"
    donor = ParsedPdf(made / "donor.pdf").all_text()
    assert "Registered charity no. 1123456" in donor and "Company no. 06543210" in donor
    assert "Sort code 12-34-56" in donor and "Gift Aid" in donor
    assert BUILT_IN_GIVING not in donor  # giving replaced it
    report = ParsedPdf(made / "annual-report.pdf")
    back = report.text(report.page_count)
    assert "Registered charity no. 1123456" in back and "Sort code 12-34-56" in back
    html = (made / "annual-report.html").read_text("utf-8")
    assert "<strong>Sort code 12-34-56</strong>" in html  # Markdown, rendered
    letter = ParsedPdf(out / "fy2012" / "donors" / "a.pdf").text(1)
    assert "Company no. 06543210" in letter and "Gift Aid" in letter
    assert "登録番号" not in letter  # registration_ja is for Japanese pages only


def test_giving_is_safe_markdown_and_registration_a_list(sample_set: Path) -> None:
    _organization(
        sample_set,
        'registration = "one line is fine"\ngiving = "<script>x</script> [a](data/donors.csv)"\n',
    )
    errors = _errors(sample_set / "fy2012")
    assert any(
        e.startswith("reports/organization.toml:") and "'data/donors.csv' is refused" in e
        for e in errors
    ), errors
    replace(sample_set / "organization.toml", '"one line is fine"', "[1, 2]")
    assert any("'registration' must be a list of non-empty strings" in e
               for e in _errors(sample_set / "fy2012"))  # fmt: skip


def test_role_files_replace_the_built_in_wording(
    small_set: Path, tmp_path: Path, built_small: BuiltRoot
) -> None:
    # the small root's own donor edition has the built-in letter and giving text
    built_in = ParsedPdf(built_small.file("donor.pdf")).all_text()
    assert BUILT_IN_LETTER in built_in and BUILT_IN_GIVING in built_in
    year = small_set / "fy2012"
    _role(
        year, "10-letter.md", "donor-letter", "# A word from us\n\nFriends, what a year we had.\n"
    )
    _role(year, "11-give.md", "how-to-give", "Send a cheque to the Treasurer.\n")
    _role(year, "12-back.md", "back-cover", "Printed on recycled paper.\n")
    out = tmp_path / "out"
    run_build(year, out, ["annual-report", "donor"])
    donor = ParsedPdf(out / "fy2012" / "donor.pdf").all_text()
    assert "A word from us" in donor and "Friends, what a year we had." in donor
    assert BUILT_IN_LETTER not in donor  # the built-in letter is gone
    assert "Send a cheque to the Treasurer." in donor
    assert BUILT_IN_GIVING not in donor
    report = ParsedPdf(out / "fy2012" / "annual-report.pdf")
    assert "Printed on recycled paper." in report.text(report.page_count)
    text = report.all_text()
    assert "Friends, what a year we had." not in text  # not a section of its own
    assert "A word from us" not in (out / "fy2012" / "annual-report.html").read_text()


def test_letter_placeholders_are_filled_as_plain_text_once(
    sample_set: Path, tmp_path: Path
) -> None:
    year = sample_set / "fy2012"
    for own in (year / "narrative").glob("*.md"):  # the sample's own letters give way
        if "role: letter " in own.read_text("utf-8"):
            own.unlink()
    _role(
        year, "20-letter.en.md", "letter",
        "{{salutation}}\n\n{{name}} gave {{ amount }} to {{organization}} in {{fiscal_year}}."
        " Signed {{signatory}}, {{date}}. {{name}}\n",
    )  # fmt: skip
    _role(year, "20-letter.ja.md", "letter", "{{name}}様、ありがとうございました。\n")
    _donors(year, [
        {"id": "x", "name": "{{amount}}", "salutation": "Hi <b>you</b>", "language": "en",
         "amount": "1000"},
        {"id": "y", "name": "山田", "language": "ja", "amount": "5"},
    ])  # fmt: skip
    out = tmp_path / "out"
    run_build(year, out, ["donor"], languages=["en", "ja"])  # the two donors' languages
    letter = ParsedPdf(out / "fy2012" / "donors" / "x.pdf").text(1)
    assert "Hi <b>you</b>" in letter  # escaped, shown as written
    assert "{{amount}} gave ¥1,000 to Life Funds for North Korean Refugees in FY2012." in letter
    assert "Signed Kato Hiroshi, 20 October 2013. {{amount}}" in letter
    assert "Thank you for standing with" not in letter
    japanese = ParsedPdf(out / "fy2012" / "donors" / "y.pdf").text(1)
    assert "山田様、ありがとうございました。" in japanese


def test_unknown_placeholder_is_located_with_a_suggestion(sample_set: Path) -> None:
    year = sample_set / "fy2012"
    _role(year, "20-letter.md", "letter", "Dear {{name}},\n\nThanks for {{amont}}.\n")
    errors = _errors(year)
    assert any(
        e.startswith("reports/fy2012/narrative/20-letter.md:6: unknown placeholder '{{amont}}'")
        and "did you mean 'amount'" in e
        for e in errors
    ), errors


def test_placeholders_are_only_for_letters(small_set: Path, tmp_path: Path) -> None:
    year = small_set / "fy2012"
    _role(year, "10-letter.md", "donor-letter", "Dear {{whoever}}, thank you.\n")
    assert _errors(year) == []
    assert not [d for d in run_check(year).diagnostics if d.location.path.name == "10-letter.md"]
    run_build(year, tmp_path / "out", ["donor"])
    donor = ParsedPdf(tmp_path / "out" / "fy2012" / "donor.pdf").all_text()
    assert "Dear {{whoever}}, thank you." in donor


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("visibility: internal\n", "it cannot be 'visibility: internal'"),
        ("", "role 'letter' is already given by 20-letter.md"),
    ],
)
def test_bad_role_files(sample_set: Path, front: str, expected: str) -> None:
    year = sample_set / "fy2012"
    _role(year, "20-letter.md", "letter", "Hello {{name}}\n")
    _role(year, "21-other.md", "letter", "Hi\n", front)
    errors = _errors(year)
    assert any(e.startswith("reports/fy2012/narrative/21-other.md") and expected in e
               for e in errors), errors  # fmt: skip


def test_unknown_role(sample_set: Path) -> None:
    _role(sample_set / "fy2012", "20-x.md", "leter", "Hi\n")
    errors = _errors(sample_set / "fy2012")
    assert any("'leter' is not one of" in e and "did you mean 'letter'" in e for e in errors)


def _picture(path: Path, size: tuple[int, int], color: str) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path)


def _cover(year: Path, name: str, lines: str) -> None:
    text = (year / "report.toml").read_text("utf-8")
    (year / "report.toml").write_text(f'cover_image = "{name}"\n{lines}' + text, "utf-8")


@pytest.mark.parametrize("size", [(1200, 800), (600, 1400)], ids=["landscape", "portrait"])
def test_cover_picture_with_alt_and_credit(
    small_set: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    year = small_set / "fy2012"
    _picture(small_set / "assets" / "cover.jpg", size, "white")
    _cover(year, "../assets/cover.jpg",
           'cover_image_alt = "Volunteers at the Tokyo office"\n'
           'cover_image_credit = "Photo: A. Kim"\n')  # fmt: skip
    out = tmp_path / "out"
    run_build(year, out, ["annual-report", "handout"])
    report = ParsedPdf(out / "fy2012" / "annual-report.pdf")
    assert "Volunteers at the Tokyo office" in report.figures()
    cover = report.text(1)
    assert "Photo: A. Kim" in cover and "Annual Report FY2012" in cover
    assert report.reader.pages[0].images, "the cover has no picture"
    handout = ParsedPdf(out / "fy2012" / "handout.pdf")
    assert "Volunteers at the Tokyo office" in handout.figures()
    html = (out / "fy2012" / "annual-report.html").read_text("utf-8")
    assert re.search(r'<img src="data:image/jpeg;base64,[^"]+" alt="Volunteers at the', html)


def test_cover_picture_errors(small_set: Path) -> None:
    year = small_set / "fy2012"
    (small_set / "assets").mkdir()
    (small_set / "assets" / "cover.png").write_bytes(b"not a picture at all")
    _cover(year, "../assets/cover.png", "")
    errors = _errors(year)
    assert any(e.startswith("small/fy2012/report.toml:1: 'cover_image':") and
               "not a picture" in e for e in errors), errors  # fmt: skip
    assert any("'cover_image' needs 'cover_image_alt'" in e for e in errors), errors
    with pytest.raises(InvalidInput):
        run_build(year, small_set.parent / "out", ["handout"])
    assert not (small_set.parent / "out" / "fy2012").exists()
