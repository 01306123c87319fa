"""Narrative Markdown: reportgen.reading.readers.narrative.read_narrative (front matter,
line numbers) and reportgen.reading.narrative_html.render_narrative (safe HTML, titles,
headings, footnotes, links checked against the report folder).

Contract: "Narrative: narrative/*.md".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.core.diagnostics import Diagnostics, Location
from reportgen.reading.model import NarrativeSection
from reportgen.reading.narrative_html import render_narrative, section_slug
from reportgen.reading.readers.narrative import read_narrative, read_narratives
from reportgen.reading.readers.raw_narrative import RawNarrative


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """reports/fy2012 with narrative/, assets/x.png, and a secret beside the set."""
    year = tmp_path / "reports" / "fy2012"
    (year / "narrative").mkdir(parents=True)
    (year / "assets").mkdir()
    (year / "assets" / "x.png").write_bytes(png())
    (year / "report.toml").write_text("", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    return year


def png(width: int = 1, height: int = 1) -> bytes:
    """A real PNG picture (the gate checks pictures by their bytes)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / "narrative" / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def render(root: Path, name: str, text: str) -> tuple[NarrativeSection | None, Diagnostics]:
    path = write(root, name, text)
    diags = Diagnostics()
    raw = read_narrative(path, diags)
    assert raw is not None, [d.format() for d in diags]
    return render_narrative(raw, root, diags), diags


def shown(diags: Diagnostics, base: Path) -> list[str]:
    return [d.format(base) for d in diags.sorted()]


# --- reading: front matter and line numbers ------------------------------------------


def test_front_matter_is_parsed(root: Path) -> None:
    path = write(
        root,
        "01-message.md",
        "---\ntitle: Message from the Representative\neditions: [annual-report, handout]\n"
        "visibility: internal\n---\n# Heading\n\nBody.\n",
    )
    diags = Diagnostics()
    raw = read_narrative(path, diags)
    assert list(diags) == []
    assert raw == RawNarrative(
        path=path,
        front={
            "title": "Message from the Representative",
            "editions": ["annual-report", "handout"],
            "visibility": "internal",
        },
        front_line=2,
        body="# Heading\n\nBody.\n",
        body_line=6,
    )


def test_front_matter_keys_are_case_insensitive(root: Path) -> None:
    path = write(root, "a.md", "---\nTitle: Hello\nVISIBILITY : public\n---\nText\n")
    diags = Diagnostics()
    raw = read_narrative(path, diags)
    assert raw is not None
    assert raw.front == {"title": "Hello", "visibility": "public"}


def test_no_front_matter_body_starts_on_line_1(root: Path) -> None:
    path = write(root, "a.md", "# Title\r\n\r\nText\r\n")
    diags = Diagnostics()
    raw = read_narrative(path, diags)
    assert raw is not None
    assert raw.front == {}
    assert raw.body == "# Title\n\nText\n"
    assert raw.body_line == 1


def test_bom_is_accepted(root: Path) -> None:
    path = write(root, "a.md", b"\xef\xbb\xbf---\ntitle: T\n---\nText\n")
    diags = Diagnostics()
    raw = read_narrative(path, diags)
    assert list(diags) == []
    assert raw is not None and raw.front == {"title": "T"}


def test_yaml_error_is_located(root: Path) -> None:
    path = write(root, "06-b.md", "---\ntitle: T\nvisibility: : public\n---\n# B\n")
    diags = Diagnostics()
    read_narrative(path, diags)
    assert shown(diags, root) == [
        "narrative/06-b.md:3: front matter: mapping values are not allowed here"
    ]


def test_yaml_error_on_a_later_line_is_located(root: Path) -> None:
    path = write(root, "a.md", "---\ntitle: T\neditions:\n  - handout\n - donor\n---\nx\n")
    diags = Diagnostics()
    read_narrative(path, diags)
    assert len(diags.errors) == 1
    error = diags.errors[0]
    assert error.location == Location(path, 5)
    assert error.message.startswith("front matter: ")


def test_front_matter_that_is_not_a_mapping(root: Path) -> None:
    path = write(root, "a.md", "---\n- just\n- a list\n---\nx\n")
    diags = Diagnostics()
    read_narrative(path, diags)
    assert shown(diags, root) == ["narrative/a.md:2: front matter must be 'key: value' lines"]


def test_unclosed_front_matter(root: Path) -> None:
    path = write(root, "a.md", "---\ntitle: T\n\n# Heading\n")
    diags = Diagnostics()
    assert read_narrative(path, diags) is None
    assert shown(diags, root) == [
        "narrative/a.md:1: front matter opened with '---' is never closed"
    ]


@pytest.mark.parametrize(
    ("text", "front_line", "body_line"),
    [
        ("\n\n---\nvisibility: internal\n---\n# Secret\n", 4, 6),  # blank lines
        (" \n\t\n---\nvisibility: internal\n---\n# Secret\n", 4, 6),  # white space only
        ("\ufeff\n\u200b---\nvisibility: internal\n---\n# Secret\n", 3, 5),  # invisible marks
        ("---\rvisibility: internal\r---\r# Secret\r", 2, 4),  # old Mac line endings
        ("\r\n---\r\nvisibility: internal\r\n---\r\n# Secret\r\n", 3, 5),
    ],
    ids=["blank lines", "white space", "BOM and zero-width space", "CR", "CRLF"],
)
def test_front_matter_after_leading_blank_lines_is_front_matter(
    root: Path, text: str, front_line: int, body_line: int
) -> None:
    path = write(root, "a.md", b"\xef\xbb\xbf" + text.encode())
    diags = Diagnostics()
    raw = read_narrative(path, diags)
    assert list(diags) == []
    assert raw is not None and raw.front == {"visibility": "internal"}
    assert (raw.front_line, raw.body_line, raw.body) == (front_line, body_line, "# Secret\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\nvisibility: internal\ntitle: Notes\nvisibility: public\n---\n# S\n",
            "narrative/a.md:4: front matter: 'visibility' is given twice (lines 2, 4): keep one",
        ),
        (
            "\n---\nVisibility: internal\nvisibility : public\n---\n# S\n",
            "narrative/a.md:4: front matter: 'visibility' is given twice (lines 3, 4): keep one",
        ),
        (
            "---\nbase: &b {visibility: public}\n<<: *b\nvisibility: internal\n---\n# S\n",
            "narrative/a.md:4: front matter: 'visibility' is given twice (lines 2, 4): keep one",
        ),
        (
            "---\ntitle: A\neditions: [handout]\ntitle: B\ntitle: C\n---\n# S\n",
            "narrative/a.md:5: front matter: 'title' is given 3 times (lines 2, 4, 5): keep one",
        ),
    ],
    ids=["visibility twice", "differing in case", "merged in", "any key"],
)
def test_a_key_given_twice_is_an_error(root: Path, text: str, expected: str) -> None:
    """PyYAML keeps the last of two equal keys; the front matter is not read."""
    path = write(root, "a.md", text)
    diags = Diagnostics()
    assert read_narrative(path, diags) is None
    assert shown(diags, root) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "\nvisibility: internal\n\n# Secret\n",
            "narrative/a.md:2: 'visibility:' looks like front matter, but there is no '---' line "
            "above it",
        ),
        (
            "Visiblity: internal\n---\n# Secret\n",
            "narrative/a.md:1: 'visiblity:' looks like front matter, but there is no '---' line "
            "above it",
        ),
        (
            "----\nvisibility: internal\n----\n# Secret\n",
            "narrative/a.md:1: this line is meant to open front matter ('visibility:' follows) "
            "but is not '---'",
        ),
        (
            "\u2014\u2014\u2014\n\neditions: [handout]\n---\n# Secret\n",
            "narrative/a.md:1: this line is meant to open front matter ('editions:' follows) but "
            "is not '---'",
        ),
        (
            "---\ntitle: Notes\n---\n\nvisibility: internal\n\n# Secret\n",
            "narrative/a.md:5: 'visibility:' comes after the front matter's closing '---' (line 3)",
        ),
        (
            "---\ntitle: Notes\n---\n---\neditions: [handout]\n---\n# Secret\n",
            "narrative/a.md:4: 'editions:' comes after the front matter's closing '---' (line 3)",
        ),
    ],
    ids=["no fences", "misspelt, no fences", "four hyphens", "dashes", "after", "second block"],
)
def test_front_matter_without_its_fences_is_an_error(root: Path, text: str, expected: str) -> None:
    path = write(root, "a.md", text)
    diags = Diagnostics()
    assert read_narrative(path, diags) is None
    lines = shown(diags, root)
    assert len(lines) == 1 and lines[0].startswith(expected), lines


def test_text_that_only_starts_like_a_key_is_text(root: Path) -> None:
    path = write(root, "a.md", "Note: the figures are unaudited.\n\n---\n\nMore.\n")
    diags = Diagnostics()
    raw = read_narrative(path, diags)
    assert list(diags) == [] and raw is not None and raw.front == {}


def test_not_utf8_is_located(root: Path) -> None:
    path = write(root, "a.md", "# Title\n\nline\ncaf\xe9\n".encode("latin-1"))
    diags = Diagnostics()
    assert read_narrative(path, diags) is None
    assert shown(diags, root) == ["narrative/a.md:4: the file is not valid UTF-8"]


def test_files_are_read_in_file_name_order(root: Path) -> None:
    for name in ("10-z.md", "02-b.md", "01-a.md", "notes.txt"):
        write(root, name, "# x\n")
    diags = Diagnostics()
    names = [raw.path.name for raw in read_narratives(root / "narrative", diags)]
    assert names == ["01-a.md", "02-b.md", "10-z.md"]
    assert read_narratives(root / "missing", diags) == []


# --- front matter checked ---------------------------------------------------------------


def test_front_matter_reaches_the_section(root: Path) -> None:
    section, diags = render(
        root,
        "01-message.md",
        "---\ntitle: Message\neditions: [handout]\nvisibility: internal\n---\n# Heading\n\nHi.\n",
    )
    assert list(diags) == []
    assert section is not None
    assert section.title == "Message"
    assert section.editions == ("handout",)
    assert section.visibility == "internal"
    assert section.slug == "message"
    assert section.language is None
    # with a front-matter title, the first heading stays in the body (moved down a level)
    assert "<h2>Heading</h2>" in section.html


def test_defaults_without_front_matter(root: Path) -> None:
    section, diags = render(root, "02-overview.md", "# Overview\n\nWe help.\n")
    assert list(diags) == []
    assert section is not None
    assert section.editions == ("annual-report", "handout", "donor")
    assert section.visibility == "public"


def test_bad_front_matter_values(root: Path) -> None:
    section, diags = render(
        root,
        "a.md",
        "---\ntitle: T\nvisibility: privat\neditions: [handouts]\ncolour: red\n---\nText\n",
    )
    assert section is None
    assert shown(diags, root) == [
        "narrative/a.md:2: front matter 'editions': 'handouts' is not one of annual-report, "
        "handout, donor (did you mean 'handout'?)",
        "narrative/a.md:2: front matter 'visibility': 'privat' is not one of public, internal",
        "narrative/a.md:2: warning: unknown front matter key 'colour'",
    ]


def test_empty_front_matter_title_is_an_error(root: Path) -> None:
    section, diags = render(root, "a.md", "---\ntitle: ''\n---\n# H\n")
    assert section is None
    assert shown(diags, root) == [
        "narrative/a.md:2: front matter 'title' must be a non-empty string"
    ]


# --- safe HTML ---------------------------------------------------------------------


def test_raw_html_is_escaped_not_rendered(root: Path) -> None:
    section, diags = render(
        root,
        "a.md",
        '# T\n\n<script>alert(1)</script>\n\nInline <b onclick="x()">bold</b> and '
        "<img src=x onerror=alert(2)>.\n",
    )
    assert diags.errors == []
    assert section is not None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section.html
    # Shown as text, so its quotes are curled like any text's (issue 13).
    assert "&lt;b onclick=“x()”&gt;bold&lt;/b&gt;" in section.html
    assert "<script" not in section.html
    assert "<b " not in section.html
    assert "<img" not in section.html


def test_template_syntax_stays_literal(root: Path) -> None:
    section, _ = render(root, "a.md", "# T\n\nSeven sevens: {{ 7*7 }} {% if x %}y{% endif %}\n")
    assert section is not None
    assert "{{ 7*7 }}" in section.html
    assert "{% if x %}y{% endif %}" in section.html
    assert "49" not in section.html


# --- titles and headings -----------------------------------------------------------------


def test_first_heading_becomes_the_title_and_leaves_the_body(root: Path) -> None:
    section, diags = render(
        root, "02-overview.md", "# Our Year\n\nIntro.\n\n## Rescue\n\nText.\n\n### Detail\n"
    )
    assert list(diags) == []
    assert section is not None
    assert section.title == "Our Year"
    assert "Our Year" not in section.html
    assert "<h3>Rescue</h3>" in section.html
    assert "<h4>Detail</h4>" in section.html
    assert "<h2>" not in section.html and "<h1>" not in section.html


def test_second_level_first_heading_is_the_title_too(root: Path) -> None:
    section, _ = render(root, "a.md", "Intro paragraph.\n\n## Later Title\n\n## Next\n")
    assert section is not None
    assert section.title == "Later Title"
    assert section.html.count("<h3>") == 1
    assert "<h3>Next</h3>" in section.html


def test_headings_stop_at_h6(root: Path) -> None:
    section, _ = render(root, "a.md", "# T\n\n##### Five\n\n###### Six\n")
    assert section is not None
    assert "<h6>Five</h6>" in section.html
    assert "<h6>Six</h6>" in section.html
    assert "<h7" not in section.html


def test_no_heading_no_title_is_a_warning_and_the_slug_is_used(root: Path) -> None:
    section, diags = render(root, "03-annual-summary.md", "Just text.\n")
    assert section is not None
    assert section.title == "Annual summary"
    assert shown(diags, root) == [
        "narrative/03-annual-summary.md:1: warning: the narrative has no title: add a "
        "'# Heading' or 'title:' front matter"
    ]


def test_title_from_heading_is_plain_text(root: Path) -> None:
    section, _ = render(root, "a.md", "# The *big* `year`\n\nText.\n")
    assert section is not None
    assert section.title == "The big year"


# --- tables and footnotes ----------------------------------------------------------------


def test_tables_render(root: Path) -> None:
    section, diags = render(
        root, "a.md", "# T\n\n| Item | Amount |\n|------|-------:|\n| Rent | 100 |\n"
    )
    assert diags.errors == []
    assert section is not None
    html = section.html
    assert "<table>" in html
    assert "<th>Item</th>" in html
    assert '<th style="text-align:right">Amount</th>' in html
    assert "<td>Rent</td>" in html


def test_footnotes_render_with_ids_prefixed_by_the_section_slug(root: Path) -> None:
    a, _ = render(root, "01-message.md", "# A\n\nClaim[^1].\n\n[^1]: Source A.\n")
    b, _ = render(root, "02-overview.md", "# B\n\nOther[^src].\n\n[^src]: Source B.\n")
    assert a is not None and b is not None
    assert '<a href="#fn-message-1" id="fnref-message-1">' in a.html
    assert '<li id="fn-message-1" class="footnote-item">' in a.html
    assert "Source A." in a.html
    assert '<a href="#fn-overview-1" id="fnref-overview-1">' in b.html
    assert '<li id="fn-overview-1" class="footnote-item">' in b.html
    ids_a = {part.split('"')[0] for part in a.html.split(' id="')[1:]}
    ids_b = {part.split('"')[0] for part in b.html.split(' id="')[1:]}
    assert ids_a and ids_b
    assert ids_a.isdisjoint(ids_b)


# --- links and images ---------------------------------------------------------------------


def test_link_leaving_the_report_folder_is_an_error_with_its_line(root: Path) -> None:
    section, diags = render(root, "03-b.md", "# B\n\nRead [this](../../secret.txt).\n")
    assert section is None
    assert shown(diags, root.parent.parent) == [
        "reports/fy2012/narrative/03-b.md:3: link '../../secret.txt' leaves the report folder"
    ]


def test_image_leaving_the_report_folder_after_front_matter(root: Path) -> None:
    text = "---\ntitle: T\nvisibility: public\n---\n\nText.\n\n![s](../../../secret.txt)\n"
    section, diags = render(root, "04-c.md", text)
    assert section is None
    assert shown(diags, root) == [
        "narrative/04-c.md:8: image '../../../secret.txt' leaves the report folder"
    ]


def test_link_in_a_table_cell_and_reference_definition_are_checked(root: Path) -> None:
    text = (
        "# B\n\n| a | b |\n|---|---|\n| 1 | [s](../../secret.txt) |\n"
        "\n[r][ref]\n\n[ref]: /etc/passwd\n"
    )
    section, diags = render(root, "a.md", text)
    assert section is None
    assert shown(diags, root) == [
        "narrative/a.md:5: link '../../secret.txt' leaves the report folder",
        "narrative/a.md:7: link '/etc/passwd' must be relative to the report folder",
    ]


def test_link_on_a_later_line_of_a_paragraph_has_its_own_line(root: Path) -> None:
    section, diags = render(root, "a.md", "# B\n\nline one\nline two [s](../../secret.txt)\n")
    assert section is None
    assert shown(diags, root) == [
        "narrative/a.md:4: link '../../secret.txt' leaves the report folder"
    ]


def test_missing_image_via_parent_folder_is_reported_as_not_found(root: Path) -> None:
    section, diags = render(root, "a.md", "# B\n\n![p](../assets/nope.png)\n")
    assert section is None
    assert shown(diags, root) == [
        "narrative/a.md:3: image '../assets/nope.png' not found in the report folder"
    ]


def test_symlink_out_of_the_report_folder_is_an_error(root: Path) -> None:
    (root / "assets" / "link.txt").symlink_to(root.parent.parent / "secret.txt")
    section, diags = render(root, "a.md", "# B\n\n[s](../assets/link.txt)\n")
    assert section is None
    assert shown(diags, root) == [
        "narrative/a.md:3: link '../assets/link.txt' leaves the report folder"
    ]


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        (
            "[x](javascript:alert(1))",
            "link 'javascript:alert(1)' is not allowed: use a file inside the report folder or "
            "an http(s) URL",
        ),
        (
            "[x](JavaScript:alert(1))",
            "link 'JavaScript:alert(1)' is not allowed: use a file inside the report folder or "
            "an http(s) URL",
        ),
        (
            "<javascript:alert(1)>",
            "link 'javascript:alert(1)' is not allowed: use a file inside the report folder or "
            "an http(s) URL",
        ),
        (
            "![x](data:image/png;base64,AAAA)",
            "image 'data:image/png;base64,AAAA' is not allowed: use a file inside the report "
            "folder or an http(s) URL",
        ),
        (
            "[x](file:///etc/passwd)",
            "link 'file:///etc/passwd' is not allowed: use a file inside the report folder or "
            "an http(s) URL",
        ),
        ("[x](//evil.example/x)", "link '//evil.example/x' points to another host"),
        ("[x](/etc/passwd)", "link '/etc/passwd' must be relative to the report folder"),
        ("![x](assets/nope.png)", "image 'assets/nope.png' not found in the report folder"),
    ],
)
def test_forbidden_links(root: Path, markdown: str, message: str) -> None:
    section, diags = render(root, "05-d.md", f"# D\n\n{markdown}\n")
    assert section is None
    assert shown(diags, root) == [f"narrative/05-d.md:3: {message}"]


def test_http_links_and_mailto_are_kept(root: Path) -> None:
    section, diags = render(
        root,
        "a.md",
        "# T\n\n[site](https://example.org/page?a=1&b=2) [old](http://example.org) "
        "[mail](mailto:info@example.org) [figures](#key-figures)\n",
    )
    assert list(diags) == []
    assert section is not None
    assert '<a href="https://example.org/page?a=1&amp;b=2">site</a>' in section.html
    assert '<a href="http://example.org">old</a>' in section.html
    assert '<a href="mailto:info@example.org">mail</a>' in section.html
    assert '<a href="#key-figures" class="internal-link">figures</a>' in section.html


def test_remote_image_is_a_link_not_an_img(root: Path) -> None:
    section, diags = render(root, "a.md", "# T\n\n![A photo](https://example.org/a.png)\n")
    assert list(diags) == []
    assert section is not None
    assert '<a class="remote-image" href="https://example.org/a.png">A photo</a>' in section.html
    assert "<img" not in section.html


def test_remote_image_without_alt_shows_its_url(root: Path) -> None:
    section, _ = render(root, "a.md", "# T\n\n![](http://example.org/b.png)\n")
    assert section is not None
    assert (
        '<a class="remote-image" href="http://example.org/b.png">http://example.org/b.png</a>'
        in section.html
    )
    assert "<img" not in section.html


@pytest.mark.parametrize("target", ["../assets/x.png", "assets/x.png", "./../assets/x.png"])
def test_local_image_resolves_from_the_report_folder(root: Path, target: str) -> None:
    section, diags = render(root, "a.md", f'# T\n\n![Logo "x"]({target} "The title")\n')
    assert list(diags) == []
    assert section is not None
    assert '<img src="assets/x.png" alt="Logo &quot;x&quot;" title="The title">' in section.html


def test_local_link_keeps_its_fragment(root: Path) -> None:
    (root / "assets" / "report.pdf").write_bytes(b"%PDF")
    section, diags = render(root, "a.md", "# T\n\n[pdf](../assets/report.pdf#page=2)\n")
    assert list(diags) == []
    assert section is not None
    assert '<a href="assets/report.pdf#page=2">pdf</a>' in section.html


def test_file_beside_the_markdown_is_found_first(root: Path) -> None:
    (root / "narrative" / "x.png").write_bytes(png(2, 2))
    section, _ = render(root, "a.md", "# T\n\n![b](x.png)\n")
    assert section is not None
    assert '<img src="narrative/x.png" alt="b">' in section.html


# --- slugs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("02-overview.ja.md", ("overview", "ja")),
        ("02-overview.en.md", ("overview", "en")),
        ("01-message.md", ("message", None)),
        ("10_Our Work.md", ("our-work", None)),
        ("overview.fr.md", ("overview", "fr")),  # any tag CLDR knows (format v2)
        ("overview.en-GB.md", ("overview", "en-GB")),
        ("overview.draft.md", ("overview-draft", None)),
        ("2012.md", ("2012", None)),
    ],
)
def test_section_slug(name: str, expected: tuple[str, str | None]) -> None:
    assert section_slug(Path(name)) == expected
    assert section_slug(Path("narrative") / name) == expected


def test_language_suffix_reaches_the_section(root: Path) -> None:
    section, _ = render(root, "02-overview.ja.md", "# 概要\n\n本文。\n")
    assert section is not None
    assert (section.slug, section.language, section.title) == ("overview", "ja", "概要")


def test_front_matter_errors_fail_the_build_at_their_lines(sample_set: Path) -> None:
    """The CLI as a user runs it: every front matter problem at once, each at
    its line, exit 2, no traceback, nothing written (so no internal text
    anywhere)."""
    import subprocess
    import sys

    narrative = sample_set / "fy2012/narrative"
    secret = "ZQXFRONTSECRET"
    (narrative / "07-twice.en.md").write_text(
        f"---\nvisibility: internal\nvisibility: public\n---\n# {secret}\n", "utf-8"
    )
    (narrative / "08-bare.en.md").write_text(f"\n\nvisibility: internal\n\n# {secret}\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", "reports/fy2012", "--out", "out"],
        cwd=sample_set.parent, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert (
        "reports/fy2012/narrative/07-twice.en.md:3: front matter: 'visibility' is given twice "
        "(lines 2, 3): keep one" in lines
    )
    assert any(
        line.startswith("reports/fy2012/narrative/08-bare.en.md:3: 'visibility:' looks like "
                        "front matter, but there is no '---' line above it")
        for line in lines
    ), lines  # fmt: skip
    assert not (sample_set.parent / "out").exists()
    assert secret not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("text", "html"),
    [
        # Review 2: CommonMark left this literal (the run closes between 。 and こ).
        ("**会員限定。**この項は", "<p><strong>会員限定。</strong>この項は</p>"),
        ("これは*強調*です。", "<p>これは<em>強調</em>です。</p>"),
        ("「**引用**」と**年度**", "<p>「<strong>引用</strong>」と<strong>年度</strong></p>"),
        ("**회원 전용.** 이 부분은", "<p><strong>회원 전용.</strong> 이 부분은</p>"),
        # spaced scripts keep CommonMark's rules
        ("a * b * c and 2*3*4", "<p>a * b * c and 2<em>3</em>4</p>"),
        ("**Members only.**This", "<p>**Members only.**This</p>"),
        ("snake_case_name", "<p>snake_case_name</p>"),
    ],
)
def test_emphasis_closes_beside_full_width_text(text: str, html: str) -> None:
    from reportgen.reading.narrative_html import render_markdown

    diags = Diagnostics()
    out = render_markdown(text, Location(Path("report.toml"), 1), Path("."), diags, "x", "ja")
    assert out is not None and out.strip() == html
