"""The one gate for every file a build reads or embeds: inside the report set,
never input, of an allowed kind by its bytes, within limits; ``check`` finds
what the build would refuse, and the build writes nothing."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.core.errors import RenderError
from reportgen.core.file_gate import Gate, RefusedResource, picture_type
from tests.test_bad_input import replace


def png(width: int = 2, height: int = 2) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(out, "PNG")
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@pytest.fixture(scope="session")
def huge_png() -> bytes:
    """A valid 50,000 x 50,000 PNG (1-bit grey): 300 KB that decode to 2.5 billion pixels."""
    side = 50_000
    row = b"\x00" + bytes(side // 8)
    packer = zlib.compressobj(9)
    parts = [packer.compress(row) for _ in range(side)]
    parts.append(packer.flush())
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


EXTERNAL_ENTITY_SVG = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&secret;</text></svg>
"""


def check(sample_set: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    monkeypatch.chdir(sample_set.parent)
    result = CliRunner().invoke(cli, ["check", "reports/fy2012"])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr.splitlines()


def build(sample_set: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(sample_set.parent)
    result = CliRunner().invoke(
        cli, ["build", "reports/fy2012", "--out", "out", "--language", "en", "--no-cache", "-q"]
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def refused_by_check_and_build(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch, expected: str
) -> list[str]:
    code, lines = check(sample_set, monkeypatch)
    assert code == 2, lines
    assert any(expected in line for line in lines), "\n".join(lines)
    code, stderr = build(sample_set, monkeypatch)
    assert code == 2 and expected in stderr
    assert not (sample_set.parent / "out").exists(), "a refused build wrote something"
    return lines


# --- case 1: the logo setting, anywhere on the machine ------------------------------------


@pytest.mark.parametrize(
    ("logo", "why"),
    [
        ("/proc/self/environ", "is outside the report folder"),
        ("/etc/passwd", "is outside the report folder"),
        ("../../../secret.txt", "is outside the report folder"),
    ],
)
def test_logo_outside_the_report_set_is_refused(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch, logo: str, why: str
) -> None:
    (sample_set.parent.parent / "secret.txt").write_text("API_KEY=hunter2", "utf-8")
    replace(sample_set / "organization.toml", 'logo = "assets/logo.svg"', f'logo = "{logo}"')
    settings = (sample_set / "organization.toml").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(settings, 1) if text.startswith("logo ="))
    lines = refused_by_check_and_build(
        sample_set, monkeypatch, f"reports/organization.toml:{line}: 'logo': '{logo}' {why}"
    )
    assert not any("hunter2" in line or "base64" in line for line in lines)


@pytest.mark.parametrize(
    ("logo", "why"),
    [
        ("fy2012/data/donors.csv", "is a data, settings or narrative file"),
        ("fy2012/report.toml", "is a data, settings or narrative file"),
        ("fy2012/narrative/04-internal-notes.en.md", "is a data, settings or narrative file"),
        ("assets/donors.png", "is inside a data folder"),  # a symlink into data/
        ("assets/.hidden.png", "is a hidden file"),
        ("assets/notes.png", "is not a picture of an allowed kind"),  # a CSV renamed
        ("assets/doc.svg", "is not a picture of an allowed kind"),  # a PDF renamed
    ],
)
def test_logo_naming_input_or_no_picture_is_refused(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch, logo: str, why: str
) -> None:
    assets = sample_set / "assets"
    (sample_set / "fy2012/data/photo.png").write_bytes(png())
    (assets / "donors.png").symlink_to(sample_set / "fy2012/data/photo.png")
    (assets / ".hidden.png").write_bytes(png())
    (assets / "notes.png").write_bytes((sample_set / "fy2012/data/donors.csv").read_bytes())
    (assets / "doc.svg").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    replace(sample_set / "organization.toml", 'logo = "assets/logo.svg"', f'logo = "{logo}"')
    refused_by_check_and_build(sample_set, monkeypatch, f"'logo': '{logo}' {why}")


# --- case 2: narrative pictures naming input ----------------------------------------------


@pytest.mark.parametrize(
    ("image", "why"),
    [
        ("../data/donors.csv", "is a data, settings or narrative file"),
        ("04-internal-notes.en.md", "is a data, settings or narrative file"),
        ("../report.toml", "is a data, settings or narrative file"),
        ("../narrative/01-message.en.md", "is a data, settings or narrative file"),
        ("../data/photo.png", "is inside a data folder"),
        ("../assets/renamed.png", "is not a picture of an allowed kind"),
    ],
)
def test_narrative_image_naming_input_is_refused(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch, image: str, why: str
) -> None:
    year = sample_set / "fy2012"
    (year / "data/photo.png").write_bytes(png())
    (year / "assets/renamed.png").write_bytes((year / "data/donors.csv").read_bytes())
    replace(year / "narrative/02-overview.en.md", "../assets/coalition-network.svg", image)
    refused_by_check_and_build(
        sample_set,
        monkeypatch,
        f"reports/fy2012/narrative/02-overview.en.md:12: image '{image}' is refused: it {why}",
    )


def test_narrative_link_to_a_data_file_is_refused(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    year = sample_set / "fy2012"
    replace(
        year / "narrative/02-overview.en.md", "\n\n", "\n\nSee [the list](../data/donors.csv).\n\n"
    )
    code, lines = check(sample_set, monkeypatch)
    assert code == 2
    assert any(
        "link '../data/donors.csv' is refused: it is a data, settings or narrative file" in line
        for line in lines
    ), lines


def test_narrative_pictures_stay_in_the_year_folder(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As version 1 says: a narrative names files of its own year only."""
    year = sample_set / "fy2012"
    (sample_set / "assets/shared.png").write_bytes(png(3, 3))
    replace(year / "narrative/02-overview.en.md", "../assets/coalition-network.svg",
            "../../assets/shared.png")  # fmt: skip
    refused_by_check_and_build(
        sample_set, monkeypatch, "image '../../assets/shared.png' leaves the report folder"
    )


# --- case 13: pictures the renderer would drop --------------------------------------------


def test_svg_with_an_external_entity_is_refused(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (sample_set / "fy2012/assets/entity.svg").write_bytes(EXTERNAL_ENTITY_SVG)
    replace(sample_set / "fy2012/narrative/02-overview.en.md",
            "../assets/coalition-network.svg", "../assets/entity.svg")  # fmt: skip
    refused_by_check_and_build(
        sample_set, monkeypatch, "image '../assets/entity.svg' is refused: it is an SVG with a "
        "DOCTYPE or entities",
    )  # fmt: skip


def test_a_50000_pixel_square_png_is_refused(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch, huge_png: bytes
) -> None:
    (sample_set / "assets/huge.png").write_bytes(huge_png)
    replace(
        sample_set / "organization.toml", 'logo = "assets/logo.svg"', 'logo = "assets/huge.png"'
    )
    refused_by_check_and_build(
        sample_set, monkeypatch,
        "'logo': 'assets/huge.png' has more than 60 million pixels, the most a picture may have",
    )  # fmt: skip


def test_a_picture_that_does_not_decode_is_refused(
    sample_set: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.linear_gradient("L").save(out, "PNG")
    broken = out.getvalue()[:-400]  # the picture data, cut short
    (sample_set / "fy2012/assets/broken.png").write_bytes(bytes(broken))
    replace(sample_set / "fy2012/narrative/02-overview.en.md",
            "../assets/coalition-network.svg", "../assets/broken.png")  # fmt: skip
    import weasyprint.images  # noqa: F401  (which tells Pillow to accept truncated pictures)

    refused_by_check_and_build(
        sample_set, monkeypatch, "image '../assets/broken.png' is refused: it is a damaged picture"
    )


# --- the gate itself ----------------------------------------------------------------------


@pytest.fixture
def gate(tmp_path: Path) -> Gate:
    year = tmp_path / "set/fy2012"
    (year / "assets").mkdir(parents=True)
    (tmp_path / "set/organization.toml").write_text("", "utf-8")
    (year / "assets/a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', "utf-8")
    (year / "assets/a.png").write_bytes(png())
    (tmp_path / "secret.png").write_bytes(png())
    (year / "assets/link.png").symlink_to(tmp_path / "secret.png")
    return Gate.of(year)


def test_serves_pictures_of_the_report_set(gate: Gate) -> None:
    year = gate.root / "fy2012"
    found = gate.fetch((year / "assets/a.svg").as_uri())
    assert found.mime_type == "image/svg+xml" and found.data.startswith(b"<svg")
    assert gate.fetch("assets/a.png", base=year).mime_type == "image/png"
    assert gate.fetch(_data_uri(png())).mime_type == "image/png"


def _data_uri(data: bytes) -> str:
    import base64

    return "data:image/png;base64," + base64.b64encode(data).decode()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.png",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "data:text/plain;base64,aGk=",  # not a picture, whatever the type says
        "data:image/png;base64,aGk=",  # says PNG, is not
    ],
)
def test_refuses_the_network_and_what_is_no_picture(gate: Gate, url: str) -> None:
    with pytest.raises(RefusedResource):
        gate.fetch(url)


def test_refuses_escapes_by_dots_and_symlinks(gate: Gate) -> None:
    year = gate.root / "fy2012"
    with pytest.raises(RefusedResource, match="outside the report folder"):
        gate.fetch("../../secret.png", base=year)
    with pytest.raises(RefusedResource, match="outside the report folder"):
        gate.fetch("assets/link.png", base=year)


@pytest.mark.parametrize(
    ("svg", "why"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "script attribute"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            b'<image x:href="file:///etc/passwd"/></svg>',
            "refers to another file",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><image href="../data/photo.png"/></svg>',
            "refers to another file",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import "x.css";</style></svg>',
            "imports another file",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(http://e.x/a)"/></svg>',
            "refers to another file",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>', "<foreignObject>"),
        (EXTERNAL_ENTITY_SVG, "DOCTYPE or entities"),
        (
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
            "DOCTYPE or entities",
        ),
        (b"<html><svg></svg></html>", "not an SVG picture"),
    ],
)
def test_svg_is_drawing_only(svg: bytes, why: str) -> None:
    with pytest.raises(RefusedResource, match=why):
        picture_type(svg, "it")


def test_svg_may_embed_pictures_and_name_its_own_parts() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        b'<defs><path id="p" d="M0 0"/></defs><use x:href="#p"/>'
        b'<image href="' + _data_uri(png()).encode() + b'"/>'
        b'<rect style="fill:url(#g)"/></svg>'
    )
    assert picture_type(svg, "it") == "image/svg+xml"


def test_a_picture_failing_in_the_renderer_fails_the_render(tmp_path: Path) -> None:
    """Whatever slips past validation, WeasyPrint never drops a picture silently,
    and the refused URL (here a data: URL) is not printed whole."""
    from reportgen.typesetting.pdf import render_pdf

    payload = "A" * 4000
    html = f'<p>x</p><img src="data:image/png;base64,{payload}" alt="x">'
    with pytest.raises(RenderError) as raised:
        render_pdf(html, tmp_path, Gate.of(tmp_path))
    assert "the PDF could not be made" in str(raised.value)
    assert payload not in str(raised.value)
