"""The recipes of docs/ARCHITECTURE.md, followed for real: a table, an
edition and a language are each added by editing ONE place, and every use of
it follows: ``check`` reads and checks it, ``build`` renders it, ``new``
starts it.

Each test copies the package's source and templates into a temporary tree,
makes the one edit the recipe names (a ``TableSpec`` in
``reading/table_registry.py``, an ``Edition`` in ``core/editions.py``, a
pack file in ``core/languages/``) and runs that copy's command line in a
subprocess on a small report set (``SMALL``). Nothing is patched:
a consumer that keeps its own list of tables, editions or languages fails
here, loudly, instead of leaving the new one out.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.core import languages
from tests.package_copy import copied_package
from tests.pdfparse import ParsedPdf

ROOT = Path(__file__).resolve().parent.parent
# A report set as small as builds every edition: one language, two tables.
SMALL = {
    "organization.toml": (
        'languages = ["en"]\ncurrency = "JPY"\n\n[organization]\nname = "Recipe Test Society"\n'
        'email = "office@example.org"\n\n[signatory]\nname = "Ada Signer"\nrole = "Chair"\n'
    ),
    "fy2012/report.toml": (
        'title = "Annual Report FY2012"\nfiscal_year = "FY2012"\n'
        "start = 2012-09-01\nend = 2013-08-31\npublished = 2013-10-20\n"
    ),
    "fy2012/data/activities.csv": (
        "date,title,category,location,description,participants,visibility\n"
        "2012-09-10,Autumn statement,Advocacy,Tokyo,A statement with partners.,,public\n"
        "2013-03-02,Members' planning day,Event,Tokyo,Planning the year.,14,internal\n"
    ),
    "fy2012/data/donors.csv": (
        "id,name,salutation,email,language,amount\n"
        "D-001,Margaret Example,Dear Ms Example,m.example@example.org,en,50000\n"
    ),
    "fy2012/narrative/01-message.en.md": (
        "---\ntitle: Message from the Chair\n---\n\nA year of small steps and steady work.\n"
    ),
    "fy2012/narrative/02-internal-notes.en.md": (
        "---\ntitle: Internal Notes for Members\nvisibility: internal\n---\n\nFor members only.\n"
    ),
}

pytestmark = pytest.mark.slow


def _edit(path: Path, anchor: str, addition: str) -> None:
    """Insert ``addition`` right after the first ``anchor`` in ``path``: the
    recipe's one edit."""
    text = path.read_text(encoding="utf-8")
    assert text.count(anchor) >= 1, f"the recipe's anchor is gone from {path}: {anchor!r}"
    at = text.index(anchor) + len(anchor)
    path.write_text(text[:at] + addition + text[at:], encoding="utf-8")


def _reportgen(package: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package.parent), "XDG_CACHE_HOME": str(cwd / "cache")}
    where = subprocess.run(
        [sys.executable, "-c", "import reportgen; print(reportgen.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip() == str(package / "__init__.py"), where.stdout
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done


def _small_set(tmp: Path) -> Path:
    reports = tmp / "reports"
    for name, text in SMALL.items():
        (reports / name).parent.mkdir(parents=True, exist_ok=True)
        (reports / name).write_text(text, encoding="utf-8")
    return reports


def _squashed(text: str) -> str:
    return re.sub(r"\s|\u00ad", "", text)


def test_a_table_is_added_in_the_table_registry_alone(tmp_path: Path) -> None:
    package, _ = copied_package(tmp_path)
    _edit(
        package / "reading" / "table_registry.py",
        "    for t in (\n",
        "        TableSpec(\n"
        '            "volunteers",\n'
        '            (Column("name", required=True), Column("hours", "int"), _VIS),\n'
        '            example=("Kim Example", "12", "public"),\n'
        '            editions=("annual-report",),\n'
        '            title="Our volunteers",\n'
        '            numbers=("hours",),\n'
        "        ),\n",
    )
    reports = _small_set(tmp_path)
    year = reports / "fy2012"
    table = year / "data" / "volunteers.csv"

    table.write_text(
        "name,hours,visibility\nVolunteerAlpha,12,public\nVolunteerBeta,many,public\n",
        encoding="utf-8",
    )
    checked = _reportgen(package, "check", str(year), cwd=tmp_path)
    assert checked.returncode == 2, checked.stdout + checked.stderr
    assert re.search(r"volunteers\.csv:3:.*hours", checked.stderr), checked.stderr

    table.write_text(
        "name,hours,visibility\n"
        "VolunteerAlpha,12,public\n"
        "VolunteerBeta,30,public\n"
        "VolunteerSecret,5,internal\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    built = _reportgen(package, "build", str(year), "--out", str(out), "-q", cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    report = _squashed(ParsedPdf(next(out.rglob("annual-report.pdf"))).all_text())
    assert "Ourvolunteers" in report
    assert "VolunteerAlpha" in report and "VolunteerBeta" in report
    assert "VolunteerSecret" not in report

    started = _reportgen(package, "new", str(reports / "fy2013"), cwd=tmp_path)
    assert started.returncode == 0, started.stdout + started.stderr
    assert (
        (reports / "fy2013" / "data" / "volunteers.csv")
        .read_text()
        .startswith("name,hours,visibility")
    )


def test_an_edition_is_added_in_the_edition_declarations_alone(tmp_path: Path) -> None:
    package, _ = copied_package(tmp_path)
    # The edition and the message that names it in a progress line (said).
    _edit(
        package / "core" / "messages.py",
        'EDITION_DONOR = Message("RG049", "donor")\n',
        'EDITION_BOARD_PACK = Message("RG999", "board-pack")\n',
    )
    _edit(
        package / "core" / "editions.py",
        "    for e in (\n",
        '        Edition("board-pack", "members", "handout.html.j2", title="Board Pack",\n'
        "                said=M.EDITION_BOARD_PACK),\n",
    )
    reports = _small_set(tmp_path)
    year = reports / "fy2012"
    out = tmp_path / "out"
    built = _reportgen(
        package,
        "build",
        str(year),
        "--out",
        str(out),
        "--edition",
        "board-pack",
        "-q",
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    made = sorted(p.name for p in out.rglob("*.pdf"))
    assert made == ["board-pack.pdf"], made
    # A members' edition: the internal row and the internal narrative are in it.
    text = _squashed(ParsedPdf(next(out.rglob("board-pack.pdf"))).all_text())
    assert "BoardPack" in text
    # The glance heading as the English pack writes it, then the count: the
    # internal activity is counted too (2, not the public 1).
    glance = _squashed(languages.label("en", "year_at_a_glance"))
    assert f"{glance}2activities" in text
    assert "InternalNotesforMembers" in text

    # Front matter may name it, like any edition.
    narrative = year / "narrative" / "03-board.en.md"
    narrative.write_text(
        "---\ntitle: For the Board\neditions: [board-pack]\n---\n\nBoardOnlyParagraph.\n",
        encoding="utf-8",
    )
    checked = _reportgen(package, "check", str(year), cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "03-board" not in checked.stderr and "board-pack" not in checked.stderr


def test_a_language_is_added_as_one_pack_file(tmp_path: Path) -> None:
    package, _ = copied_package(tmp_path)
    reports = _small_set(tmp_path)
    settings = reports / "organization.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('languages = ["en"]', 'languages = ["fr"]'),
        encoding="utf-8",
    )
    for narrative in (reports / "fy2012" / "narrative").glob("*.en.md"):
        narrative.rename(narrative.with_name(narrative.name.replace(".en.md", ".fr.md")))
    year = reports / "fy2012"

    before = _reportgen(package, "check", str(year), cwd=tmp_path)
    assert before.returncode == 2, "French builds without a pack: the test proves nothing"

    packs = package / "core" / "languages"
    english = (packs / "en.toml").read_text(encoding="utf-8")
    french = (
        english.replace('name = "English"', 'name = "Français"')
        .replace('locale = "en_US"', 'locale = "fr_FR"')
        .replace(
            'contents = "Contents"',
            # The pack translates every word, the editions' titles too
            # (their English is declared with each edition).
            'contents = "Sommaire"\n'
            'title_handout = "Document de l’assemblée générale"\n'
            'title_donor = "Rapport à nos donateurs"',
        )
    )
    (packs / "fr.toml").write_text(french, encoding="utf-8")

    out = tmp_path / "out"
    built = _reportgen(package, "build", str(year), "--out", str(out), "-q", cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    report = ParsedPdf(next(out.rglob("annual-report.pdf")))
    assert "Sommaire" in report.all_text()
    # Dates in French, from CLDR through the pack's locale.
    assert re.search(r"septembre|octobre", report.all_text()), report.all_text()[:2000]
