"""Each letter to its own donor (issue 24): a theme's extra.css that uses every
CSS feature that reaches across pages (running strings, running and fixed
elements, page and document counters, margin boxes, bookmarks) shows no
donor anything of another, and no letter embeds a font that maps a
character of another donor's name. Read back from the built PDFs: their
text (PDFium), their outlines (pypdf) and every font's ToUnicode map
(pikepdf)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from reportgen.commands.build import BuildResult, run_build
from tests.pdfparse import ParsedPdf


@dataclass(frozen=True)
class Donor:
    id: str
    name: str
    salutation: str
    language: str
    amount: int
    shown_amount: str  # as the letter prints it (the currency's sign or word aside)


# Names, salutations and amounts that appear nowhere else: Latin letters
# (Þ, Ø, Ł, Ż...) and kanji (鷹, 蘭, 鶴, 菫...) that no other text of the
# letters or the donor edition has.
DONORS = (
    Donor("A-1", "Þórdís Ægisdóttir", "Dear Þórdís", "en", 41111, "41,111"),
    Donor("A-2", "Łucja Żabińska", "Dear Łucja", "en", 52222, "52,222"),
    Donor("A-3", "Øystein Quarrington", "Dear Øystein", "en", 63333, "63,333"),
    Donor("A-4", "鷹野 蘭", "鷹野 蘭 様", "ja", 74444, "74,444"),
    Donor("A-5", "鶴見 菫", "鶴見 菫 様", "ja", 85555, "85,555"),
    Donor("A-6", "楓原 麟", "楓原 麟 様", "ja", 96666, "96,666"),
)

# Every feature of CSS that carries something from one page (or one element)
# to later pages, each given a donor's words to carry.
CROSSING_CSS = """
.letter-salutation {
  string-set: who content(text), whom content(text);
  bookmark-level: 1; bookmark-label: content(text);
  counter-increment: donors;
}
.letter-salutation::before { content: counter(donors) ". "; }
.letter-body > .para:first-child, .letter-opening + .para { string-set: gift content(text); }
.letter-to { position: fixed; top: 0; left: 0; }
.letter-opening { position: running(opening); }
.letter-date { position: running(dated); }
body { counter-reset: donors; }
@page {
  counter-increment: sheets;
  @top-left { content: string(who, start); }
  @top-center { content: string(who, first) " / " string(whom, last); }
  @top-right { content: string(gift, start) string(gift, last); }
  @bottom-left { content: element(opening, start); }
  @bottom-center { content: element(dated, last); }
  @bottom-right { content: "sheet " counter(sheets) " page " counter(page) " of " counter(pages); }
}
"""


def _write_set(root: Path, css: str) -> Path:
    year = root / "fy2024"
    (year / "data").mkdir(parents=True)
    (root / "theme").mkdir()
    (root / "theme" / "extra.css").write_text(css, "utf-8")
    (root / "organization.toml").write_text(
        'languages = ["en", "ja"]\ntheme_dir = "theme"\n[organization]\nname = "Test Org"\n'
        'name_ja = "テスト基金"\n[signatory]\nname = "Kato Hiroshi"\n', "utf-8",
    )  # fmt: skip
    (year / "report.toml").write_text(
        'title = "Annual Report 2024"\nfiscal_year = "2024"\nstart = 2024-01-01\n'
        'end = 2024-12-31\neditions = ["donor"]\ncurrency = "USD"\n', "utf-8",
    )  # fmt: skip
    (year / "data" / "activities.csv").write_text("date,title,category\n", "utf-8")
    rows = "".join(
        f"{d.id},{d.name},{d.salutation},{d.id.lower()}@example.org,{d.language},{d.amount}\n"
        for d in DONORS
    )
    (year / "data" / "donors.csv").write_text(
        "id,name,salutation,email,language,amount\n" + rows, "utf-8"
    )
    return year


@pytest.fixture(scope="module")
def crossing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    root = tmp_path_factory.mktemp("crossing")
    year = _write_set(root / "reports", CROSSING_CSS)
    # A single worker: every letter of a language in the same process.
    result = run_build(year, root / "output", workers=1)
    return root / "output" / "fy2024" / "donors", result


def _letter(folder: Path, donor: Donor) -> Path:
    return folder / f"{donor.id.lower()}.pdf"


def _letter_pages(pdf: ParsedPdf) -> int:
    """How many pages the letter has before the donor edition (page labels)."""
    labels = pdf.reader.page_labels
    return sum(1 for label in labels if not label.strip().isdigit())


def _flat(text: str) -> str:
    """Text without white space (PDFium spaces out some runs of the margins)."""
    return re.sub(r"\s+", "", text)


def _others(donor: Donor) -> list[Donor]:
    return [d for d in DONORS if d is not donor]


def test_the_crossing_css_reaches_the_margins(crossing: tuple[Path, BuildResult]) -> None:
    """The features are in force: each letter's own words are in its margin
    boxes, its fixed heading and its bookmarks (so the next test's absences
    mean something)."""
    folder, _ = crossing
    for donor in DONORS:
        pdf = ParsedPdf(_letter(folder, donor))
        text = _flat(pdf.text(1))
        # the paragraph, then string(who, first) and string(whom, last) in the margin
        assert text.count(_flat(donor.salutation)) >= 3, text
        assert f"1.{_flat(donor.salutation)}" in text, text  # the document's own counter
        assert text.count(donor.shown_amount) >= 2, text  # the paragraph, string(gift, last)
        assert "sheet1page1of1" in text, text


def test_no_letter_shows_another_donor(crossing: tuple[Path, BuildResult]) -> None:
    folder, _ = crossing
    for donor in DONORS:
        pdf = ParsedPdf(_letter(folder, donor))
        text = _flat(pdf.all_text())
        outline = _flat(" ".join(entry.title for entry in pdf.outline()))
        info = _flat(" ".join(str(v) for v in pdf.metadata().values()))
        for other in _others(donor):
            for value in (other.name, other.salutation, other.shown_amount, other.id):
                for where, seen in (("text", text), ("outline", outline), ("metadata", info)):
                    assert _flat(value) not in seen, f"{donor.id}'s letter {where} shows {value!r}"
        # Counters start again in each letter: no letter is "2." of a batch, and
        # each letter's pages are counted alone.
        pages = _letter_pages(pdf)
        letter_text = _flat(" ".join(pdf.text(n) for n in range(1, pages + 1)))
        assert re.findall(r"(\d+)\." + re.escape(_flat(donor.salutation)), letter_text) == ["1"]
        assert f"of{pages}" in letter_text and f"sheet{pages + 1}" not in letter_text


# ---- fonts ------------------------------------------------------------------


def _cmap_characters(data: bytes) -> set[str]:
    """The characters a ToUnicode CMap maps glyphs to (bfchar and bfrange)."""
    text = data.decode("latin-1")
    found: set[str] = set()

    def chars(hexa: str) -> str:
        return bytes.fromhex(hexa).decode("utf-16-be", "replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for _, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            found.update(chars(target))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, target in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block
        ):
            if target.startswith("["):
                for each in re.findall(r"<([0-9A-Fa-f]+)>", target):
                    found.update(chars(each))
            else:
                start = int(target[1:-1], 16)
                for offset in range(int(high, 16) - int(low, 16) + 1):
                    found.add(chr(start + offset))
    return found


def font_characters(path: Path) -> dict[str, set[str]]:
    """Every font of a PDF (by its base name) and the characters its
    ToUnicode map names: what the embedded subset can draw and a reader's
    copy would give."""
    fonts: dict[str, set[str]] = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
                continue
            if "/ToUnicode" not in obj:
                continue
            name = str(obj.get("/BaseFont", "?"))
            fonts.setdefault(name, set()).update(_cmap_characters(obj.ToUnicode.read_bytes()))
    return fonts


def test_no_letter_embeds_a_character_only_another_donors_name_has(
    crossing: tuple[Path, BuildResult],
) -> None:
    folder, _ = crossing
    for donor in DONORS:
        path = _letter(folder, donor)
        own = set(ParsedPdf(path).all_text())
        fonts = font_characters(path)
        assert fonts, "no font with a ToUnicode map"
        # (The maps are read: the letter's own salutation is in them.)
        drawn = set().union(*fonts.values())
        assert set(donor.salutation) - {" "} <= drawn, f"{donor.id}: its salutation is not"
        for other in _others(donor):
            foreign = set(other.name + other.salutation) - own - {" "}
            for font, chars in fonts.items():
                assert not foreign & chars, (
                    f"{donor.id}'s font {font} maps {sorted(foreign & chars)} of {other.name}"
                )


def test_every_stream_of_a_letter_is_deflated_but_its_metadata(
    crossing: tuple[Path, BuildResult],
) -> None:
    """The letter's page is written uncompressed and deflated only when it is
    joined to the donor edition (``letters.join``): nothing of it may stay
    uncompressed. The XMP metadata alone is left plain, as PDF/A advises."""
    folder, _ = crossing
    for donor in DONORS:
        with pikepdf.open(_letter(folder, donor)) as pdf:
            plain = [
                str(obj.get("/Type", obj.get("/Subtype", "?")))
                for obj in pdf.objects
                if isinstance(obj, pikepdf.Stream) and "/Filter" not in obj
            ]
        assert plain == ["/Metadata"], f"{donor.id}: streams left uncompressed: {plain}"
