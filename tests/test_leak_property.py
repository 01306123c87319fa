"""The leak property of issue 11: for random report folders with random
internal rows (tests/leakgen.py), no public output (annual-report.pdf and
.html, donor.pdf, donors/*.pdf) holds any trace of an internal row, an
internal narrative file or another donor, and nothing is embedded that is not
a picture of an allowed kind or a CSV the build made from a public table.

A public output is searched where a reader could find a leak: the PDF's
extracted text (text drawn as glyph ids), every string of every PDF object
(metadata, outline, alt text, link targets), every stream decompressed (XMP,
content, forms, fonts) and the attachments; the HTML's bytes, its text and the
decoded bytes of every data URI. Markers are searched case-blind, across line
breaks and hyphens, in UTF-8 and in UTF-16. Embedded files are judged by their
bytes, never by their declared type.

The property cannot pass vacuously: the model holds every internal row, the
members' handout shows the internal narrative, and the same search finds the
public rows' tokens in the annual report. ``REPORTGEN_LEAK_EXAMPLES`` raises
the number of folders tried (a build is a few seconds).
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import shutil
import tempfile
from base64 import b64decode
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pikepdf
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from PIL import Image

from reportgen.commands.build import load_year, run_build, run_check
from reportgen.core.diagnostics import Diagnostics
from reportgen.core.editions import EDITIONS
from reportgen.core.errors import InvalidInput
from reportgen.reading.model import INTERNAL
from reportgen.reading.table_registry import TABLES as SCHEMA
from tests.leakgen import Folder, folders
from tests.pdfparse import ParsedPdf

EXAMPLES = int(os.environ.get("REPORTGEN_LEAK_EXAMPLES", "5"))
# Every file of every edition, from the editions' registry: a new public
# edition is searched, a new members' one must hold what members see.
PUBLIC = tuple(
    f"{e.name}{kind}" for e in EDITIONS.values() if e.public and not e.per_donor
    for kind in (".pdf", ".html") if kind == ".pdf" or e.html
)  # fmt: skip
MEMBERS = tuple(f"{e.name}.pdf" for e in EDITIONS.values() if not e.public and not e.per_donor)
# The edition that lists every table and attaches its public rows.
REPORT = next(e.name for e in EDITIONS.values() if e.attachments)

# --- what a reader can get at -------------------------------------------------


@dataclass(frozen=True)
class Surfaces:
    """One output as a reader can take it apart: texts (searched for markers
    and for internal figures) and raw bytes (searched for markers)."""

    name: str
    texts: tuple[tuple[str, str], ...]
    raw: tuple[tuple[str, bytes], ...]


def _strings(obj: pikepdf.Object) -> Iterator[str]:
    """The strings and names of one PDF object, not following references
    (every indirect object is visited on its own)."""
    if isinstance(obj, pikepdf.String | pikepdf.Name):
        yield str(obj)
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            if isinstance(item, pikepdf.Object) and not item.is_indirect:
                yield from _strings(item)
    elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for key, value in obj.items():
            yield key
            if isinstance(value, pikepdf.Object) and not value.is_indirect:
                yield from _strings(value)


def _stream_bytes(stream: pikepdf.Stream) -> bytes:
    try:
        return stream.read_bytes()  # decompressed where the filter allows
    except pikepdf.PdfError:
        return stream.read_raw_bytes()


def pdf_surfaces(path: Path) -> Surfaces:
    parsed = ParsedPdf(path)
    texts = [("extracted text", parsed.all_text()),
             ("metadata", "\n".join(parsed.metadata().values()))]  # fmt: skip
    raw = [("file bytes", path.read_bytes())]
    with pikepdf.open(path) as pdf:
        strings = [s for obj in pdf.objects for s in _strings(obj)]
        texts.append(("object strings", "\n".join(strings)))
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                raw.append((f"stream {obj.objgen}", _stream_bytes(obj)))
        for name, data in pdf_attachments(pdf).items():
            texts.append((f"attachment {name}", data.decode("utf-8")))
    return Surfaces(path.name, tuple(texts), tuple(raw))


def pdf_attachments(pdf: pikepdf.Pdf) -> dict[str, bytes]:
    return {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}


DATA_URI = re.compile(r"data:([^,;\"'\s)]*)((?:;[^,;\"'\s)]*)*),([^\"'\s)<>]*)", re.I)


def data_uris(text: str, depth: int = 0) -> list[tuple[str, bytes]]:
    """(declared type, decoded bytes) of every data URI, and of those inside
    embedded SVGs."""
    found: list[tuple[str, bytes]] = []
    for match in DATA_URI.finditer(text):
        payload = match.group(3)
        data = (
            b64decode(unquote_to_bytes(payload))
            if ";base64" in match.group(2).lower()
            else unquote_to_bytes(payload)
        )
        found.append((match.group(1), data))
        if depth < 3 and kind_of(data) == "svg":
            found.extend(data_uris(data.decode("utf-8", "replace"), depth + 1))
    return found


def html_surfaces(path: Path) -> Surfaces:
    raw = path.read_bytes()
    markup = raw.decode("utf-8")
    visible = html.unescape(re.sub(r"<[^>]*>", " ", DATA_URI.sub(" ", markup)))
    uris = data_uris(html.unescape(markup))
    return Surfaces(
        path.name,
        (("text", visible),),
        (("file bytes", raw), ("unescaped markup", html.unescape(markup).encode()),
         *((f"data URI {i} ({mime})", data) for i, (mime, data) in enumerate(uris))),
    )  # fmt: skip


# --- searching ----------------------------------------------------------------


def _squash(text: str) -> str:
    """Case, white space and hyphens gone: a marker broken across a line or
    hyphenated is still found."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text).lower()


def markers_in(surfaces: Surfaces, markers: Iterable[str]) -> list[str]:
    wanted = [(m, m.lower()) for m in markers]
    hits: list[str] = []
    for where, text in surfaces.texts:
        squashed = _squash(text)
        hits += [f"{m} in {surfaces.name}: {where}" for m, low in wanted if low in squashed]
    for where, data in surfaces.raw:
        lowered = data.lower()
        hits += [
            f"{m} in {surfaces.name}: {where}"
            for m, low in wanted
            if low.encode() in lowered or low.encode("utf-16-be") in lowered
        ]
    return hits


BIG = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3}){2,}(?!\d|[,.]\d)")
SHORT = re.compile(r"[¥￥]\s?(\d+(?:\.\d+)?)\s?M\b")  # money shortened, as "¥1.2M"


def figures_in(surfaces: Surfaces, figures: Iterable[str], allowed: set[str]) -> list[str]:
    """Internal figures (formatted, standing alone), and any eight-digit
    figure: every public total stays below 10,000,000, so a bigger one
    counted an internal amount or a donation (``allowed``: a letter's own)."""
    hits: list[str] = []
    for where, text in surfaces.texts:
        for figure in figures:
            if re.search(rf"(?<![\d,.]){re.escape(figure)}(?!\d|[,.]\d)", text):
                hits.append(f"{figure} in {surfaces.name}: {where}")
        hits += [f"total {n} in {surfaces.name}: {where}" for n in BIG.findall(text)
                 if int(n.replace(",", "")) >= 10_000_000 and n not in allowed]  # fmt: skip
        hits += [f"total {n} in {surfaces.name}: {where}" for n in SHORT.findall(text)
                 if float(n) >= 10]  # fmt: skip
    return hits


def public_text(path: Path) -> str:
    """What the same search sees of an output, for the positive checks."""
    surfaces = pdf_surfaces(path) if path.suffix == ".pdf" else html_surfaces(path)
    return _squash(" ".join(text for _, text in surfaces.texts))


# --- allowed kinds --------------------------------------------------------------

# A byte-order mark, an XML declaration, comments and a DOCTYPE without an
# internal subset (entities are refused) may come before the <svg> element.
_SVG_PROLOGUE = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*"
    rb"(?:<!DOCTYPE svg[^>\[]*>\s*)?(?:<!--.*?-->\s*)*<svg[\s>]",
    re.S,
)


def kind_of(data: bytes) -> str | None:
    """A picture's format by its bytes; ``None`` for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if _SVG_PROLOGUE.match(data) and b"<!ENTITY" not in data:
        return "svg"
    return None


def assert_allowed_uris(surfaces: Surfaces) -> int:
    """Every data URI of an HTML output is a picture of an allowed kind that
    opens as one; the number of them."""
    uris = [(where, data) for where, data in surfaces.raw if where.startswith("data URI")]
    for where, data in uris:
        kind = kind_of(data)
        assert kind is not None, f"{surfaces.name}: {where} is not a picture: {data[:60]!r}"
        if kind != "svg":
            with Image.open(io.BytesIO(data)) as picture:
                picture.verify()
    return len(uris)


def assert_allowed_pdf_objects(path: Path) -> dict[str, bytes]:
    """Every image of a PDF decodes as one, every embedded file is a listed
    attachment; the attachments."""
    with pikepdf.open(path) as pdf:
        attachments = pdf_attachments(pdf)
        embedded = 0
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Stream):
                continue
            if obj.get("/Subtype") == pikepdf.Name.Image:
                pikepdf.PdfImage(obj).as_pil_image()
            if obj.get("/Type") == pikepdf.Name.EmbeddedFile:
                embedded += 1
    assert embedded == len(attachments), f"{path.name}: embedded files outside the attachments"
    return attachments


def assert_public_attachments(folder: Folder, attachments: dict[str, bytes]) -> None:
    """The annual report attaches exactly the public rows of each table that
    has any, as CSV with the table's declared columns: parsed and compared
    cell by cell."""
    expected = {f"{t}.csv" for t in folder.tables if any(not r.internal for r in folder.table(t))}
    assert set(attachments) == expected
    for table in folder.tables:
        public = [dict(r.cells) for r in folder.table(table) if not r.internal]
        if not public:
            continue
        rows = list(csv.DictReader(io.StringIO(attachments[f"{table}.csv"].decode("utf-8"))))
        # The declared columns and nothing else: never x_note, never staff_comment.
        assert rows and list(rows[0]) == list(SCHEMA[table].names), table
        columns = [c for c in public[0] if c != "visibility" and c in SCHEMA[table].names]
        got = sorted(tuple(row.get(c) or "" for c in columns) for row in rows)
        assert got == sorted(tuple(row[c] for c in columns) for row in public), table


# --- the property ---------------------------------------------------------------


def assert_honest(folder: Folder, year: Path, out: Path) -> None:
    """The drawn internal content reached the model and the members' handout,
    and the search finds public tokens: the property is not vacuous."""
    model = load_year(year, Diagnostics())
    assert model is not None
    for table in folder.tables:
        internal = [repr(r) for r in model.rows(table) if r.visibility == INTERNAL]
        drawn = [r.marker for r in folder.table(table) if r.internal]
        assert len(internal) == len(drawn), table
        assert all(any(m in row for row in internal) for m in drawn), table
        extras = [value for r in model.rows(table) for _, value in getattr(r, "extra", ())]
        assert all(r.private in extras for r in folder.table(table) if r.private), table
    for members in MEMBERS:
        handout = public_text(out / members)
        edition = members.removesuffix(".pdf")
        for narrative in folder.narratives:
            if narrative.internal and edition in (narrative.editions or (edition,)):
                assert narrative.marker.lower() in handout, narrative.name
        own = [r.marker for r in folder.table("activities")
               if r.internal and r.cell("category").startswith(r.marker)]  # fmt: skip
        assert not own or any(m.lower() in handout for m in own), f"no internal category: {members}"
    report = public_text(out / f"{REPORT}.pdf")
    page = public_text(out / f"{REPORT}.html")
    for row in folder.rows:
        if not row.internal and row.table != "finances":
            assert row.marker.lower() in report and row.marker.lower() in page, row
    assert folder.narratives[0].marker.lower() in report


def assert_public_figures(folder: Folder, out: Path) -> None:
    """Counts and totals count the public rows only (compared with the
    English wording of the year in figures and the finances)."""
    activities = [dict(r.cells) for r in folder.table("activities") if not r.internal]
    meetings = sum(1 for r in folder.rows if r.table == "lobbying" and not r.internal)
    participants = sum(int(r["participants"]) for r in activities)
    money = {
        kind: sum(int(dict(r.cells)["amount"]) for r in folder.table("finances")
                  if not r.internal and dict(r.cells)["kind"] == kind)
        for kind in ("income", "expense")
    }  # fmt: skip
    for name in PUBLIC:
        path = out / name
        surfaces = pdf_surfaces(path) if path.suffix == ".pdf" else html_surfaces(path)
        text = re.sub(r"\s+", " ", surfaces.texts[0][1])
        # Figures of nothing are not shown (version 2); nouns agree with their numbers.
        if activities:
            assert re.search(_counted(len(activities), "activit(y|ies)"), text), name
        if meetings:
            assert re.search(_counted(meetings, "advocacy meetings?"), text), name
        if name.startswith("annual-report"):
            if participants:
                noun = "participant" if participants == 1 else "participants"
                assert re.search(_counted(participants, noun + " reached"), text), name
            if any(not r.internal for r in folder.table("finances")):
                income, expense = money["income"], money["expense"]
                assert f"Income of ¥{income:,} against expenses of ¥{expense:,}" in text, name


def _counted(number: int, noun: str) -> str:
    """A count as the key figures print it, and only that count, in the
    case the labels take (they follow the organisation's: "Advocacy meeting")."""
    return rf"(?i:(?<![\d,]){number:,} ?{noun})"


def assert_nothing_leaks(folder: Folder, out: Path) -> None:
    internal = (*folder.internal_markers, *folder.private_markers)
    donors = {d.slug: d for d in folder.donors}
    every_donor = [d.marker for d in folder.donors]
    problems: list[str] = []
    for name in PUBLIC:
        path = out / name
        surfaces = pdf_surfaces(path) if path.suffix == ".pdf" else html_surfaces(path)
        problems += markers_in(surfaces, [*internal, *every_donor])
        problems += figures_in(surfaces, folder.internal_figures, set())
    for slug, donor in donors.items():
        surfaces = pdf_surfaces(out / "donors" / f"{slug}.pdf")
        assert markers_in(surfaces, [donor.marker]), f"{slug}: its own donor is not in it"
        others = [m for m in every_donor if m != donor.marker]
        problems += markers_in(surfaces, [*internal, *others])
        problems += figures_in(surfaces, folder.internal_figures, {donor.amount})
    for members in MEMBERS:  # members see internal rows, never donors nor unknown columns
        problems += markers_in(pdf_surfaces(out / members), [*every_donor, *folder.private_markers])
    assert not problems, "\n".join(problems)


def assert_allowed_kinds(folder: Folder, out: Path) -> None:
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert written == {*PUBLIC, *MEMBERS, *(f"donors/{d.slug}.pdf" for d in folder.donors)}
    pages = {name for name in written if name.endswith(".html")}
    # The logo and the overview's picture: at least two, each checked by its bytes.
    assert all(assert_allowed_uris(html_surfaces(out / name)) >= 2 for name in pages)
    for name in written - pages:
        attachments = assert_allowed_pdf_objects(out / name)
        if name == f"{REPORT}.pdf":
            assert_public_attachments(folder, attachments)
        else:
            assert not attachments, name


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(folder=folders())
def test_no_public_output_holds_an_internal_byte(folder: Folder) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        assert_the_property(folder, Path(tmp))


def assert_the_property(folder: Folder, tmp: Path) -> None:
    year = tmp / "reports/fy2012"
    folder.write(year)
    run_build(year, tmp / "out", cache=False)
    out = tmp / "out/fy2012"
    assert_honest(folder, year, out)
    assert_nothing_leaks(folder, out)
    assert_public_figures(folder, out)
    assert_allowed_kinds(folder, out)


@pytest.mark.slow
def test_a_registered_table_is_in_the_property_by_itself(tmp_path: Path) -> None:
    """A kind of table added to the registry, and nothing else: the drawn
    folders hold it (rows made from its columns, in a drawn file kind), and
    the property finds its public rows listed and attached, its internal ones
    nowhere public."""
    from reportgen.reading.table_registry import Column, TableSpec, register, unregister

    spec = TableSpec(
        "shifts",
        (Column("date", "date", True), Column("team", required=True), Column("hours", "decimal"),
         Column("note"), Column("visibility", "enum", choices=("public", "internal"))),
        in_year="date",
    )  # fmt: skip
    register(spec)
    try:
        folder = find(
            folders(),
            lambda f: {r.internal for r in f.table("shifts")} == {True, False},
            settings=settings(database=None, derandomize=True, phases=[Phase.generate]),
        )
        assert "shifts" in folder.tables
        assert_the_property(folder, tmp_path)
    finally:
        unregister("shifts")


# --- a file that is not a picture, named as one ---------------------------------


def _disguise(year: Path) -> int:
    """donors.csv copied to assets/photo.png and shown from a public narrative
    file; the line that names it."""
    shutil.copy(year / "data/donors.csv", year / "assets/photo.png")
    narrative = year / "narrative/02-overview.en.md"
    text = narrative.read_text("utf-8").rstrip("\n") + "\n\n![Our team](../assets/photo.png)\n"
    narrative.write_text(text, "utf-8")
    return len(text.splitlines())


def test_a_data_file_named_as_a_picture_is_refused(sample_set: Path, tmp_path: Path) -> None:
    year = sample_set / "fy2012"
    line = _disguise(year)
    with pytest.raises(InvalidInput) as refused:
        run_build(year, tmp_path / "out", ["annual-report"], cache=False, languages=["en"])
    assert not (tmp_path / "out").exists()
    named = [d for d in refused.value.diagnostics if d.location.path.name == "02-overview.en.md"]
    assert named and named[0].location.line == line and "photo.png" in named[0].message


def test_check_finds_a_data_file_named_as_a_picture(sample_set: Path) -> None:
    year = sample_set / "fy2012"
    line = _disguise(year)
    result = run_check(year)
    assert not result.ok
    named = [d for d in result.diagnostics if d.location.path.name == "02-overview.en.md"]
    assert named and named[0].location.line == line and "photo.png" in named[0].message


# --- the search itself can fail ---------------------------------------------------


def test_the_search_finds_a_marker_in_every_form_it_may_take() -> None:
    marker = "LEAKABC123001"
    forms = [
        ("text", "before LEAKAB-\nC123001 after"),  # hyphenated across a line
        ("text", "leakabc123001"),  # lower-cased by CSS or a slug
    ]
    for where, text in forms:
        assert markers_in(Surfaces("x", ((where, text),), ()), [marker])
    for data in (b"<x>LEAKABC123001</x>", "\ufeffleakabc123001".encode("utf-16-be")):
        assert markers_in(Surfaces("x", (), (("raw", data),)), [marker])
    assert not markers_in(Surfaces("x", (("text", "LEAKABC123002"),), ()), [marker])


def test_the_search_finds_internal_figures_and_totals_that_count_them() -> None:
    surfaces = Surfaces("x", (("text", "Income 83,456,789 and 7,123 people"),), ())
    assert len(figures_in(surfaces, ["7,123"], set())) == 2
    assert not figures_in(surfaces, ["7,123"], {"83,456,789"})[1:]
    assert not figures_in(Surfaces("x", (("text", "417,123 and 9,999,999"),), ()), ["7,123"], set())


def test_kinds_are_judged_by_bytes() -> None:
    assert kind_of(b"id,name,email\nD-1,A,a@example.org\n") is None  # a CSV named photo.png
    assert kind_of(b"# Internal notes\n") is None
    assert kind_of(b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>') == "svg"
    entity = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg/>'
    assert kind_of(entity) is None
    picture = io.BytesIO()
    Image.new("RGB", (2, 2)).save(picture, "WEBP")
    assert kind_of(picture.getvalue()) == "webp"


def test_the_property_fails_when_internal_rows_are_made_public(tmp_path: Path) -> None:
    """A drawn folder (the same each run) with an internal activity, written
    with every ``internal`` as ``public``: the same checks must see its markers."""
    folder = find(
        folders(),
        lambda f: any(r.internal for r in f.table("activities")),
        settings=settings(database=None, derandomize=True, phases=[Phase.generate]),
    )
    year = tmp_path / "reports/fy2012"
    folder.write(year)
    for path in [*(year / "data").glob("*.csv"), *(year / "narrative").glob("*.md")]:
        text = path.read_text("utf-8")
        path.write_text(re.sub(r"\binternal\b", "public", text), "utf-8")
    run_build(year, tmp_path / "out", cache=False)
    with pytest.raises(AssertionError, match=r"LEAK\w+ in annual-report\.pdf: extracted"):
        assert_nothing_leaks(folder, tmp_path / "out/fy2012")
