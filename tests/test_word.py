"""Narrative written in Word (readers.word, readers.word_html, narrative_files):
real .docx files made with python-docx, read, checked, and built into PDFs
that are parsed; every bad document the contract names, located, exit 2."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.commands.build import run_build, run_check
from reportgen.core.diagnostics import Diagnostics
from reportgen.reading.narrative_html import render_narrative
from reportgen.reading.readers.narrative import read_narratives
from reportgen.reading.readers.word import read_docx
from tests import wordgen
from tests.pdfparse import ParsedPdf

UK = Path(__file__).resolve().parents[1] / "examples/uk-food-bank"
SECRET = "Board only: the lease talks with Canal Wharf"


@pytest.fixture
def uk(tmp_path: Path) -> Path:
    """A private copy of the UK sample set; returns its year folder."""
    shutil.copytree(UK, tmp_path / "uk")
    return tmp_path / "uk" / "fy2024"


def rendered(path: Path, root: Path) -> tuple[str, str, list[str]]:
    """(title, HTML, diagnostics) of one Word file read and rendered as a narrative."""
    diags = Diagnostics()
    raw = read_docx(path, diags)
    section = render_narrative(raw, root, diags) if raw is not None else None
    lines = [d.format(root) for d in diags.sorted()]
    return (section.title if section else ""), (section.html if section else ""), lines


def full_document(folder: Path) -> Path:
    """Headings, emphasis, lists, a table, a link, a picture and a footnote."""
    doc = wordgen.document("Overview of the year")
    para = doc.add_paragraph("We served ")
    para.add_run("more families").bold = True
    para.add_run(" than ")
    para.add_run("ever before").italic = True
    para.add_run(".")
    doc.add_heading("Where the food went", level=2)
    doc.add_paragraph("Emergency parcels", style="List Bullet")
    doc.add_paragraph("Holiday lunch clubs", style="List Bullet")
    doc.add_paragraph("First, sort the donations", style="List Number")
    table = doc.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Town", "Parcels"), ("Armley", "2,140"), ("Bramley", "1,870")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    wordgen.add_hyperlink(doc, "our website", "https://example.org/food")
    wordgen.add_picture(doc, wordgen.png(300, 150), "Volunteers packing parcels", width_mm=80)
    doc.add_paragraph("Numbers are counted by hand at each centre.")
    path = wordgen.save(doc, folder / "02-year.docx")
    wordgen.add_footnote(path, "Numbers are counted by hand at each centre.", "Audited in May.")
    return path


def test_a_document_becomes_the_same_html_as_markdown(uk: Path) -> None:
    title, html, lines = rendered(full_document(uk / "narrative"), uk)
    assert lines == []
    assert title == "Overview of the year"
    assert "<strong>more families</strong>" in html and "<em>ever before</em>" in html
    assert "<h3>Where the food went</h3>" in html  # a section's headings sit under it
    assert re.search(r"<ul>\s*<li>Emergency parcels</li>\s*<li>Holiday lunch clubs</li>", html)
    assert "<ol>" in html and "First, sort the donations" in html
    assert "<th>Town</th>" in html and "<td>2,140</td>" in html
    assert '<a href="https://example.org/food">our website</a>' in html
    img = re.search(r'<img src="data:image/png;base64,[^"]+" alt="([^"]*)" style="([^"]*)">', html)
    assert img is not None and img.groups() == ("Volunteers packing parcels", "width: 80.0mm")
    assert 'class="footnote' in html and "Audited in May." in html


def test_text_that_looks_like_markup_stays_text(uk: Path) -> None:
    doc = wordgen.document(
        "Plain # text",
        '<script>alert(1)</script> <img src=x onerror="y()">',
        "1. not a list | not a cell **not bold** [not](javascript:alert(2)) &#12; &amp;",
        "# not a heading",
        "- not a bullet",
    )
    _, html, lines = rendered(wordgen.save(doc, uk / "narrative/02-x.docx"), uk)
    assert lines == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=" in html
    assert "1. not a list | not a cell **not bold** [not](javascript:alert(2)) &amp;#12; " in html
    assert "<p># not a heading</p>" in html and "<p>- not a bullet</p>" in html
    tags = set(re.findall(r"<(/?[a-z0-9]+)", html))
    assert tags == {"p", "/p"}, tags  # no element but paragraphs: no link, list, table


def test_nested_lists_and_a_table_inside_a_table(uk: Path) -> None:
    doc = wordgen.document("Structure")
    for text, level in (("Food", 0), ("Tins", 1), ("Beans", 2), ("Fresh", 1), ("Advice", 0)):
        wordgen.add_list_item(doc, text, level)
    wordgen.add_list_item(doc, "Refer", 0, numbered=True)
    wordgen.add_list_item(doc, "Collect", 1, numbered=True)
    outer = doc.add_table(rows=2, cols=1)
    outer.cell(0, 0).text = "Centre"
    outer.cell(1, 0).text = "Armley"
    outer.cell(1, 0).add_table(rows=1, cols=1).cell(0, 0).text = "Tuesdays"
    _, html, lines = rendered(wordgen.save(doc, uk / "narrative/02-s.docx"), uk)
    assert lines == []
    flat = re.sub(r"\s+", "", html)
    assert "<ul><li>Food<ul><li>Tins<ul><li>Beans</li></ul></li><li>Fresh</li></ul></li>" in flat
    assert "<ol><li>Refer<ol><li>Collect</li></ol></li></ol>" in flat
    assert "<td>Armley Tuesdays</td>" in html and html.count("<table>") == 1


def test_title_style_and_language_suffix(uk: Path) -> None:
    doc = wordgen.Document()
    doc.add_paragraph("조합원 여러분께", style="Title")
    doc.add_paragraph("올해도 감사합니다.")
    path = wordgen.save(doc, uk / "narrative/01-message.ko.docx")
    diags = Diagnostics()
    raws = [r for r in read_narratives(uk / "narrative", diags) if r.path == path]
    section = render_narrative(raws[0], uk, diags)
    assert section is not None and diags.errors == []
    assert (section.title, section.slug, section.language) == ("조합원 여러분께", "message", "ko")


def test_no_heading_is_a_warning_at_the_first_paragraph(uk: Path) -> None:
    path = wordgen.save(wordgen.document(None, "Just text."), uk / "narrative/09-notes.docx")
    title, _, lines = rendered(path, uk)
    assert title == "Notes"
    assert lines == [
        "narrative/09-notes.docx:¶1: warning: the narrative has no title: give its first line "
        "Word's 'Title' or 'Heading 1' style, or set title in report.toml "
        '[narrative."09-notes.docx"]'
    ]


def test_picture_without_alt_text_is_a_warning_naming_its_number(uk: Path) -> None:
    doc = wordgen.document("Pictures", "One.")
    wordgen.add_picture(doc, wordgen.png(), "A red square")
    wordgen.add_picture(doc, wordgen.png(colour="navy"), None)
    _, html, lines = rendered(wordgen.save(doc, uk / "narrative/02-p.docx"), uk)
    assert lines == [
        "narrative/02-p.docx:¶4: warning: picture 2 has no alt text, so it is shown as a "
        "decorative picture (screen readers skip it): if it says something, in Word, "
        "right-click it > View Alt Text and say what it shows"
    ]
    assert html.count("<img") == 1 and html.count('class="decorative-picture"') == 1


def test_same_picture_twice_is_one_content_addressed_picture(uk: Path) -> None:
    doc = wordgen.document("Twice")
    data = wordgen.png(50, 50, "green")
    wordgen.add_picture(doc, data, "Green", 20)
    wordgen.add_picture(doc, data, "Green again", 40)
    diags = Diagnostics()
    raw = read_docx(wordgen.save(doc, uk / "narrative/02-t.docx"), diags)
    assert raw is not None and len(raw.pictures) == 1
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    assert list(raw.pictures) == [sha]
    assert f"word-picture:{sha}#20.0x20.0" in raw.body and f"word-picture:{sha}#40.0" in raw.body


def test_links_obey_the_markdown_rules(uk: Path) -> None:
    doc = wordgen.document("Links")
    wordgen.add_hyperlink(doc, "the data", "data/activities.csv")
    wordgen.add_hyperlink(doc, "a script", "javascript:alert(1)")
    wordgen.add_hyperlink(doc, "a local file", "file:///etc/passwd")
    wordgen.add_hyperlink(doc, "fine", "https://example.org/")
    _, _, lines = rendered(wordgen.save(doc, uk / "narrative/02-l.docx"), uk)
    assert lines == [
        "narrative/02-l.docx:¶2: link 'data/activities.csv' is refused: it is a data, settings "
        "or narrative file",
        "narrative/02-l.docx:¶3: link 'javascript:alert(1)' is not allowed: use a file inside "
        "the report folder or an http(s) URL",
        "narrative/02-l.docx:¶4: link 'file:///etc/passwd' is not allowed: use a file inside "
        "the report folder or an http(s) URL",
    ]


def test_a_markdown_file_cannot_name_a_word_picture(uk: Path) -> None:
    path = uk / "narrative/09-x.md"
    path.write_text("# X\n\n![a](word-picture:" + "0" * 64 + ")\n", "utf-8")
    diags = Diagnostics()
    raw = next(r for r in read_narratives(uk / "narrative", diags) if r.path == path)
    assert render_narrative(raw, uk, diags) is None
    assert "is not allowed" in diags.errors[0].message


def test_fields_and_linked_pictures(uk: Path) -> None:
    doc = wordgen.document("Fields")
    wordgen.add_field(doc, 'DATE \\@ "d MMMM yyyy"', "1 May 2025")
    wordgen.add_field(doc, 'INCLUDETEXT "C:\\\\secret.docx"', "included")
    wordgen.add_linked_picture(doc, "file:///C:/Pictures/photo.png")
    _, _, lines = rendered(wordgen.save(doc, uk / "narrative/02-f.docx"), uk)
    assert lines == [
        "narrative/02-f.docx:¶2: warning: a DATE field shows the text Word last displayed; "
        "reportgen never updates fields (Ctrl+Shift+F9 in Word makes it plain text)",
        "narrative/02-f.docx:¶3: a INCLUDETEXT field brings in another file or program, which "
        "is never done: select it and press Ctrl+Shift+F9 to keep its text, or delete it",
        "narrative/02-f.docx:¶4: picture 1 is linked to a file outside the document, which is "
        "never fetched: insert the picture itself (Insert > Pictures > This Device)",
    ]


def test_a_character_that_is_not_text_is_located(uk: Path) -> None:
    doc = wordgen.document("Odd", "fine", "a \u0085 next-line character")
    _, _, lines = rendered(wordgen.save(doc, uk / "narrative/02-c.docx"), uk)
    assert lines == [
        "narrative/02-c.docx:¶3: the paragraph holds U+0085 (next line), which is not text: "
        "delete it"
    ]


def test_todo_prompts_are_found_in_word_too(uk: Path) -> None:
    doc = wordgen.document("Message", "TODO: write the message")
    title, html, lines = rendered(wordgen.save(doc, uk / "narrative/02-m.docx"), uk)
    # nothing but the prompt: the section is left out, never printed
    assert (title, html) == ("", "")
    assert lines == [
        "narrative/02-m.docx:¶2: warning: has no text yet, only reportgen new's prompt: the "
        "section is left out of every edition until it has some",
    ]  # said once (review r35 F-13), not again as a prompt never printed


def test_word_lock_files_are_not_narrative(uk: Path) -> None:
    (uk / "narrative/~$message.docx").write_bytes(b"\x00" * 162)
    diags = Diagnostics()
    read_narratives(uk / "narrative", diags)
    assert diags.errors == []


# Bad documents: (name, bytes maker, the one error `check` prints)
def _corrupt(folder: Path) -> None:
    data = (UK / "fy2024/narrative/01-message.docx").read_bytes()
    (folder / "03-bad.docx").write_bytes(data[: len(data) // 2])


def _macro_inside(folder: Path) -> None:
    path = wordgen.save(wordgen.document("Macros"), folder / "03-bad.docx")
    wordgen.add_part(path, "word/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really")


def _dtd(folder: Path) -> None:
    path = wordgen.save(wordgen.document("DTD"), folder / "03-bad.docx")
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
    parts["word/document.xml"] = bomb + parts["word/document.xml"].split(b"?>", 1)[1]
    wordgen.rewrite(path, parts)


def _dtd_after_a_comment(folder: Path) -> None:
    """A DTD after a comment of 5 KB (past any first few bytes a reader might
    look at), whose entity puts the secret into the body."""
    doc = wordgen.document("DTD", "Before ENTITYSPOT after")
    path = wordgen.save(doc, folder / "03-bad.docx")
    parts = wordgen.parts_of(path)
    xml = parts["word/document.xml"].replace(b"ENTITYSPOT", b"&secret;")
    parts["word/document.xml"] = wordgen.with_dtd(xml, padding=5000, text=SECRET)
    wordgen.rewrite(path, parts)


def _dtd_in_utf16_styles(folder: Path) -> None:
    """A DTD in a part other than the body, in UTF-16: no byte of it reads
    '<!DOCTYPE' in ASCII."""
    path = wordgen.save(wordgen.document("DTD"), folder / "03-bad.docx")
    parts = wordgen.parts_of(path)
    xml = wordgen.with_dtd(parts["word/styles.xml"], padding=300, text=SECRET).decode()
    parts["word/styles.xml"] = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    wordgen.rewrite(path, parts)


def _redirected_main_part(folder: Path) -> None:
    """The main part moved to word/main.xml (so _rels/.rels says), with an
    INCLUDETEXT field; word/document.xml is a harmless decoy."""
    doc = wordgen.document("Redirected", "Our year.")
    wordgen.add_field(doc, 'INCLUDETEXT "C:\\\\board\\\\minutes.docx"', "included")
    path = wordgen.save(doc, folder / "03-bad.docx")
    wordgen.move_main_part(path, "word/main.xml", wordgen.document("Decoy", "Nothing here."))


def _field_in_a_footnote(folder: Path) -> None:
    path = wordgen.save(wordgen.document("Notes", "Counted by hand."), folder / "03-bad.docx")
    wordgen.add_footnote(path, "Counted by hand.", "FIELDSPOT")
    parts = wordgen.parts_of(path)
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
        ' INCLUDEPICTURE "https://example.org/track.png" </w:instrText></w:r><w:r>'
        '<w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r><w:r>'
        '<w:fldChar w:fldCharType="end"/></w:r>'
    )
    parts["word/footnotes.xml"] = parts["word/footnotes.xml"].replace(
        b"<w:r><w:t>FIELDSPOT</w:t></w:r>", field.encode()
    )
    wordgen.rewrite(path, parts)


def _two_main_parts(folder: Path) -> None:
    path = wordgen.save(wordgen.document("Two"), folder / "03-bad.docx")
    parts = wordgen.parts_of(path)
    rels = parts["_rels/.rels"].decode()
    second = (
        '<Relationship Id="rIdTwo" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/other.xml"/></Relationships>'
    )
    parts["_rels/.rels"] = rels.replace("</Relationships>", second).encode()
    parts["word/other.xml"] = parts["word/document.xml"]
    wordgen.rewrite(path, parts)


def _zip_bomb(folder: Path) -> None:
    path = wordgen.save(wordgen.document("Bomb"), folder / "03-bad.docx")
    wordgen.add_part(path, "word/media/padding.bin", b"\x00" * (80 * 2**20))


BAD = [
    (
        "corrupt",
        _corrupt,
        "narrative/03-bad.docx: cannot read the document (it is damaged, or not a Word "
        "document): File is not a zip file",
    ),
    (
        "encrypted",
        lambda f: (f / "03-bad.docx").write_bytes(wordgen.encrypted_container()),
        "narrative/03-bad.docx: the document is password-protected (encrypted), so it cannot "
        "be read: in Word, File > Info > Protect Document > Encrypt with Password, clear the "
        "password and save",
    ),
    (
        "docm",
        lambda f: wordgen.save(wordgen.document("M"), f / "03-bad.docm"),
        "narrative/03-bad.docm: a macro-enabled Word document (.docm) is never read: in Word, "
        "File > Save As 'Word Document (*.docx)' (macros are dropped) and remove the .docm",
    ),
    (
        "macros renamed",
        _macro_inside,
        "narrative/03-bad.docx: the document holds macros (a .docm renamed .docx?), which are "
        "never read: in Word, File > Save As 'Word Document (*.docx)'",
    ),
    (
        "old binary",
        lambda f: (f / "03-bad.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
        "narrative/03-bad.doc: an old binary Word document (.doc) cannot be read: in Word, "
        "File > Save As 'Word Document (*.docx)' and remove the .doc",
    ),
    (
        "dtd",
        _dtd,
        "narrative/03-bad.docx: the document's part word/document.xml declares a DTD (line 1), "
        "which Word never writes",
    ),
    (
        "dtd after a 5 KB comment",
        _dtd_after_a_comment,
        "narrative/03-bad.docx: the document's part word/document.xml declares a DTD (line 52), "
        "which Word never writes",
    ),
    (
        "dtd in another part, in UTF-16",
        _dtd_in_utf16_styles,
        "narrative/03-bad.docx: the document's part word/styles.xml declares a DTD (line 5), "
        "which Word never writes",
    ),
    (
        "a field in the main part _rels/.rels names",
        _redirected_main_part,
        "narrative/03-bad.docx:¶3: a INCLUDETEXT field brings in another file or program, "
        "which is never done: select it and press Ctrl+Shift+F9 to keep its text, or delete it",
    ),
    (
        "a field in a footnote",
        _field_in_a_footnote,
        "narrative/03-bad.docx:footnotes ¶3: a INCLUDEPICTURE field brings in another file or "
        "program, which is never done: select it and press Ctrl+Shift+F9 to keep its text, or "
        "delete it",
    ),
    (
        "two main parts",
        _two_main_parts,
        "narrative/03-bad.docx: this is not a Word document (its _rels/.rels must name exactly "
        "one main document part): save it from Word as 'Word Document (*.docx)'",
    ),
    (
        "zip bomb",
        _zip_bomb,
        "narrative/03-bad.docx: the document's part word/media/padding.bin inflates to 80 MB; "
        "the limit is 64 MB",
    ),
]


@pytest.mark.parametrize(("name", "make", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_documents_are_one_located_error(
    uk: Path, name: str, make: object, expected: str
) -> None:
    make(uk / "narrative")  # type: ignore[operator]
    result = CliRunner().invoke(cli, ["check", str(uk)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [d.format(uk) for d in run_check(uk).diagnostics if d.severity.value == "error"]
    assert errors == [expected]


def test_a_huge_picture_fails_the_build_fast_and_writes_nothing(uk: Path, tmp_path: Path) -> None:
    doc = wordgen.document("Huge", "Look.")
    wordgen.add_picture(doc, wordgen.huge_png(), "A very large picture")
    wordgen.save(doc, uk / "narrative/03-huge.docx")
    out = tmp_path / "out"
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["build", str(uk), "--out", str(out)])
    seconds = time.perf_counter() - started
    assert result.exit_code == 2
    assert "narrative/03-huge.docx:¶3: picture 1 has more than 60 million pixels" in result.output
    assert "Traceback" not in result.output
    assert not (out / "fy2024").exists()
    assert seconds < 30  # refused by its header, never decoded


def test_a_300_page_document_is_read_in_bounded_time_and_memory(tmp_path: Path) -> None:
    """Some 300 pages (150,000 words): read in a process of its own, measured."""
    doc = wordgen.document("A long report")
    sentence = "The food bank served many families in the valley this year. " * 5
    for number in range(3000):
        if number % 100 == 0:
            doc.add_heading(f"Part {number // 100 + 1}", level=2)
        doc.add_paragraph(f"{number}: {sentence}")
    path = wordgen.save(doc, tmp_path / "year/narrative/02-long.docx")
    code = (
        "import resource, sys, time; from pathlib import Path\n"
        "from reportgen.core.diagnostics import Diagnostics\n"
        "from reportgen.reading.readers.word import read_docx\n"
        "t = time.perf_counter(); d = Diagnostics(); raw = read_docx(Path(sys.argv[1]), d)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
        " len(raw.body), len(d.errors))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, check=True, timeout=120)  # fmt: skip
    seconds, rss_kb, chars, errors = done.stdout.split()
    assert int(errors) == 0 and int(chars) > 900_000
    assert float(seconds) < 60 and int(rss_kb) < 1_500_000  # measured: see the report


def test_too_much_text_is_an_error(uk: Path) -> None:
    doc = wordgen.document("Too long")
    words = [f"w{(n * 7919) % 100_003:x}" for n in range(400_000)]  # compresses as text does
    for start in range(0, len(words), 64):
        doc.add_paragraph(" ".join(words[start : start + 64]))
    path = wordgen.save(doc, uk / "narrative/02-big.docx")
    diags = Diagnostics()
    assert read_docx(path, diags) is None
    assert [d.format(uk) for d in diags.errors] == [
        "narrative/02-big.docx: the document holds 2.4 MB of text; the limit for a narrative "
        "file is 2 MB (some 300 pages)"
    ]


# report.toml [narrative."<file>"]


def settings(year: Path, text: str) -> None:
    path = year / "report.toml"
    path.write_text(path.read_text("utf-8") + "\n" + text, "utf-8")


def test_narrative_settings_are_checked_in_report_toml(uk: Path) -> None:
    settings(
        uk,
        '[narrative."08-board.docx"]\nvisiblity = "internal"\neditions = ["handbook"]\n'
        'role = "letter"\nvisibility = "internal"\n',
    )
    lines = [d.format(uk) for d in run_check(uk).diagnostics if d.severity.value == "error"]
    text = (uk / "report.toml").read_text("utf-8").splitlines()
    at = {line.partition(" ")[0]: n for n, line in enumerate(text, start=1)}
    label = '[narrative."08-board.docx"]'
    assert lines == [
        f"report.toml:{at['visiblity']}: {label}: 'visiblity' looks like 'visibility', which "
        "decides who sees this section; it is never guessed: write 'visibility'",
        f"report.toml:{at['editions']}: {label} 'editions': 'handbook' is not one of "
        "annual-report, handout, donor",
        f"report.toml:{at['role']}: {label}: a file with role 'letter' gives wording to the "
        "public editions and letters: it cannot be internal",
    ]


def test_narrative_settings_name_a_file_once(uk: Path) -> None:
    wordgen.save(wordgen.document("Notes"), uk / "narrative/08-board.docx")
    settings(
        uk,
        '[narrative."08-bord.docx"]\nvisibility = "internal"\n\n'
        '[narrative."04-trustee-notes.md"]\nvisibility = "internal"\n',
    )
    lines = [d.format(uk) for d in run_check(uk).diagnostics if d.severity.value == "error"]
    text = (uk / "report.toml").read_text("utf-8").splitlines()
    at = {line: n for n, line in enumerate(text, start=1)}
    bord, notes = at['[narrative."08-bord.docx"]'], at['[narrative."04-trustee-notes.md"]']
    assert lines == [
        f'report.toml:{bord}: [narrative."08-bord.docx"]: there is no narrative/08-bord.docx '
        "(did you mean '08-board.docx'?)",
        f"report.toml:{notes}: 'visibility' of 04-trustee-notes.md is given both in its front "
        "matter (line 2) and here: keep one",
    ]


# Built: the pages and files of a year with Word narrative


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, private_user_cache: Path) -> Path:
    """The UK sample with a full Word document and an internal one, built
    once per test run."""
    from tests.conftest import shared_folder

    def make(root: Path) -> None:
        shutil.copytree(UK, root / "uk")
        year = root / "uk" / "fy2024"
        full_document(year / "narrative")
        wordgen.save(wordgen.document("Notes for the board", SECRET), year / "narrative/08-b.docx")
        settings(
            year,
            '[narrative."08-b.docx"]\nvisibility = "internal"\n\n'
            '[narrative."02-year.docx"]\ntitle = "Our year in Word"\n',
        )
        run_build(year, root / "out", editions=["annual-report", "handout", "donor"])

    return shared_folder(tmp_path_factory, "word", make) / "out" / "fy2024"


def test_built_pdf_shows_the_word_sections(built: Path) -> None:
    pdf = ParsedPdf(built / "annual-report.pdf")
    text = pdf.all_text()
    assert "Our year in Word" in text  # the title report.toml gives
    assert "Overview of the year" not in text.split("Our year in Word")[0][-200:]
    for words in ("more families", "Holiday lunch clubs", "Bramley 1,870", "Audited in May.",
                  "Dear friends,", "Helen Okafor"):  # fmt: skip
        assert words in text, words
    assert "Our year in Word" in [e.title for e in pdf.outline()]


def test_word_pictures_are_tagged_figures_with_their_alt_text(built: Path) -> None:
    pdf = ParsedPdf(built / "annual-report.pdf")
    alts = pdf.figures()
    assert "Volunteers packing parcels" in alts
    # The sample Chair's picture: a drawing of the community fridge (no
    # longer a raster panel of figures the report sets as live tiles).
    assert any(a.startswith("Drawing of the community fridge in Bramley") for a in alts)
    html = (built / "annual-report.html").read_text("utf-8")
    assert 'alt="Volunteers packing parcels"' in html


def test_an_internal_word_file_never_reaches_a_public_edition(built: Path) -> None:
    assert SECRET in ParsedPdf(built / "handout.pdf").all_text()  # members see it
    for public in ("annual-report.pdf", "donor.pdf"):
        assert SECRET not in ParsedPdf(built / public).all_text(), public
        assert "Notes for the board" not in ParsedPdf(built / public).all_text(), public
    assert SECRET not in (built / "annual-report.html").read_text("utf-8")


def test_the_main_part_is_the_one_rels_names(uk: Path) -> None:
    """Word reads the part _rels/.rels names; so does reportgen, and a decoy
    word/document.xml is neither shown nor the part that is checked."""
    doc = wordgen.document("The real title", "The real text.")
    path = wordgen.save(doc, uk / "narrative/02-moved.docx")
    wordgen.move_main_part(path, "word/body.xml", wordgen.document("Decoy", "Decoy text."))
    title, html, lines = rendered(path, uk)
    assert lines == []
    assert title == "The real title" and "The real text." in html
    assert "Decoy" not in html


def test_a_dtd_late_in_a_part_fails_the_build_and_writes_nothing(uk: Path, tmp_path: Path) -> None:
    _dtd_after_a_comment(uk / "narrative")
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(uk), "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "03-bad.docx: the document's part word/document.xml declares a DTD (line 52)" in (
        done.stderr
    )
    assert not out.exists()
    assert SECRET not in done.stdout + done.stderr
