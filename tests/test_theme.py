"""A report's own look (theme_dir): templates in front of the built-in ones,
extends reaching the built-in, extra.css after the built-in styles, the
sandbox, the gate for the theme's resources, located template errors and the
cache. Real builds of one edition in one language: of the small test root
(tests/roots/small) where the claim is the theme's mechanism, of a copy of
the sample where it is about what the sample holds."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.commands.build import run_build, run_check
from reportgen.core.errors import InvalidInput
from tests.conftest import BuiltRoot
from tests.pdfparse import ParsedPdf
from tests.test_bad_input import replace

# Rows and narrative of the sample that only members may read.
INTERNAL = (
    "Case R-12-04",
    "Security review of field communications",
    "Asia Humanitarian Shelter Forum",
    "Internal Notes for Members",
    "Rescue operation costs",
    "Margaret Ellison",  # a donor: only in her own letter
)


def _theme(reports: Path, files: dict[str, str]) -> Path:
    folder = reports / "theme"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    if "theme_dir" not in (reports / "organization.toml").read_text("utf-8"):
        replace(reports / "organization.toml", "currency =", 'theme_dir = "theme"\ncurrency =')
    return folder


def _errors(year: Path) -> list[str]:
    return [
        f"{d.location.display(year.parent.parent)}: {d.message}"
        for d in run_check(year).diagnostics
        if d.severity.value == "error"
    ]


def _build(year: Path, out: Path, edition: str = "annual-report") -> Path:
    run_build(year, out, [edition], languages=["en"])
    return out / "fy2012" / "en"


def _build_small(year: Path, out: Path) -> Path:
    """The annual report of the small root (one language: no language folder)."""
    run_build(year, out, ["annual-report"])
    return out / "fy2012"


def test_theme_replaces_a_block_of_the_built_in_template(
    small_set: Path, tmp_path: Path, built_small: BuiltRoot
) -> None:
    built_in = ParsedPdf(built_small.file("annual-report.pdf"))
    assert "office@example.org" in built_in.text(built_in.page_count)  # the block replaced below
    _theme(small_set, {
        "annual-report.html.j2": '{% extends "builtin/annual-report.html.j2" %}\n'
        "{% block back_cover_text %}<p>Our own back cover, {{ ctx.fiscal_year }}</p>"
        "{% endblock %}\n",
        "partials/registration.html.j2": "<p>Partial from the theme</p>\n",
    })  # fmt: skip
    made = _build_small(small_set / "fy2012", tmp_path / "out")
    report = ParsedPdf(made / "annual-report.pdf")
    back = report.text(report.page_count)
    assert "Our own back cover, FY2012" in back and "Partial from the theme" in back
    assert "office@example.org" not in back  # the block it replaced
    assert "Annual Report FY2012" in report.text(1)  # the rest is the built-in's
    assert "Our own back cover, FY2012" in (made / "annual-report.html").read_text("utf-8")


def test_extra_css_comes_after_the_built_in_styles(small_set: Path, tmp_path: Path) -> None:
    from PIL import Image

    folder = _theme(small_set, {
        "extra.css": '.back-name::after { content: " EXTRA-CSS-APPLIED"; }\n'
        ".cover-band { background: url(images/band.png) }\n"
        "h2 { color: rgb(1, 2, 3) }\n",
    })  # fmt: skip
    (folder / "images").mkdir()
    Image.new("RGB", (4, 4), "red").save(folder / "images" / "band.png")
    made = _build_small(small_set / "fy2012", tmp_path / "out")
    report = ParsedPdf(made / "annual-report.pdf")
    assert "EXTRA-CSS-APPLIED" in report.text(report.page_count)
    html = (made / "annual-report.html").read_text("utf-8")
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert style.index("EXTRA-CSS-APPLIED") > style.index("h2 {")  # after the built-in rules
    assert "url(data:image/png;base64," in style and "images/band.png" not in style
    assert "rgb(1, 2, 3)" in style


@pytest.mark.parametrize(
    "url",
    [
        "../../../etc/passwd",
        "/etc/passwd",
        "https://example.org/x.png",
        "../fy2012/data/people.csv",
    ],
)
def test_extra_css_urls_pass_the_gate(sample_set: Path, url: str) -> None:
    _theme(sample_set, {"extra.css": f"body {{ color: red }}\nh1 {{ background: url({url}) }}\n"})
    errors = _errors(sample_set / "fy2012")
    assert any(e.startswith(f"reports/theme/extra.css:2:18: url({url}) is refused")
               for e in errors), errors  # fmt: skip


def test_extra_css_cannot_import_or_close_the_style(sample_set: Path) -> None:
    _theme(sample_set, {"extra.css": '@import "other.css";\n'})
    assert any("reports/theme/extra.css:1:1: @import is refused" in e
               for e in _errors(sample_set / "fy2012"))  # fmt: skip
    _theme(sample_set, {"extra.css": "p { color: red }\n</style><script>alert(1)</script>\n"})
    assert any(e.startswith("reports/theme/extra.css:2:") for e in _errors(sample_set / "fy2012"))


@pytest.mark.parametrize(
    "attempt",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ctx.narrative[0].source.read_text() }}",
        "{{ ctx.organization.logo.parent.parent }}",
        "{% set x = ctx.stats.append(1) %}",
    ],
)
def test_sandbox_escape_is_a_located_error_exit_2(
    sample_set: Path, tmp_path: Path, attempt: str
) -> None:
    _theme(sample_set, {
        "annual-report.html.j2": '{% extends "builtin/annual-report.html.j2" %}\n'
        "{% block back_cover_text %}\n<p>\n" + attempt + "\n</p>{% endblock %}\n",
    })  # fmt: skip
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", str(sample_set / "fy2012"), "--out", str(out), "--edition",
              "annual-report", "--language", "en"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "theme/annual-report.html.j2:4: template error:" in result.output
    assert "Traceback" not in result.output
    assert not (out / "fy2012").exists()


def test_template_syntax_and_undefined_errors_are_located(sample_set: Path, tmp_path: Path) -> None:
    _theme(sample_set, {"handout.html.j2": "<p>\n{% if %}\n"})
    errors = _errors(sample_set / "fy2012")
    assert any(e.startswith("reports/theme/handout.html.j2:2: template error:") for e in errors)
    _theme(sample_set, {"handout.html.j2": "<p>\n{{ ctx.no_such_thing.name }}\n"})
    # check renders the theme once on the year's own context: it finds this too
    assert any(e.startswith("reports/theme/handout.html.j2:2: template error:")
               and "no_such_thing" in e for e in _errors(sample_set / "fy2012"))  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        _build(sample_set / "fy2012", tmp_path / "out", "handout")
    where = caught.value.diagnostics[0].location
    assert (where.path.name, where.line) == ("handout.html.j2", 2)


def test_theme_dir_must_be_a_folder_of_the_report_set(sample_set: Path) -> None:
    settings = (sample_set / "organization.toml").read_text("utf-8")
    line = settings[: settings.index("currency =")].count("\n") + 1  # theme_dir goes there
    replace(sample_set / "organization.toml", "currency =", 'theme_dir = "../../etc"\ncurrency =')
    errors = _errors(sample_set / "fy2012")
    assert any(e.startswith(f"reports/organization.toml:{line}: 'theme_dir'") and "outside" in e
               for e in errors), errors  # fmt: skip
    replace(sample_set / "organization.toml", "../../etc", "missing")
    assert any(
        "'theme_dir': 'missing': no such folder" in e for e in _errors(sample_set / "fy2012")
    )


def test_theme_link_out_of_its_folder_is_refused(sample_set: Path, tmp_path: Path) -> None:
    folder = _theme(sample_set, {})
    (folder / "partials").mkdir(parents=True)
    (folder / "partials" / "registration.html.j2").symlink_to(
        sample_set / "fy2012" / "data" / "people.csv"
    )
    assert any("link to outside the theme folder" in e for e in _errors(sample_set / "fy2012"))


def test_cache_follows_the_theme_files(small_set: Path, tmp_path: Path) -> None:
    folder = _theme(small_set, {"extra.css": "h2 { color: rgb(1, 2, 3) }\n"})
    out = tmp_path / "out"
    first = (_build_small(small_set / "fy2012", out) / "annual-report.html").read_text("utf-8")
    assert "rgb(1, 2, 3)" in first
    (folder / "extra.css").write_text("h2 { color: rgb(4, 5, 6) }\n", "utf-8")
    second = (_build_small(small_set / "fy2012", out) / "annual-report.html").read_text("utf-8")
    assert "rgb(4, 5, 6)" in second and "rgb(1, 2, 3)" not in second
    (folder / "annual-report.html.j2").write_text(
        '{% extends "builtin/annual-report.html.j2" %}{% block back_cover_text %}NEW{% endblock %}'
    )
    third = (_build_small(small_set / "fy2012", out) / "annual-report.html").read_text("utf-8")
    assert "NEW" in third and "NEW" not in second


def _field_names() -> list[str]:
    """Every field and property name of the objects a template can reach."""
    import reportgen.composing.charts
    import reportgen.composing.page_context
    import reportgen.composing.palette
    import reportgen.reading.model

    names: set[str] = set()
    for module in (
        reportgen.composing.page_context,
        reportgen.reading.model,
        reportgen.composing.charts,
        reportgen.composing.palette,
    ):
        for _, kind in inspect.getmembers(module, inspect.isclass):
            if dataclasses.is_dataclass(kind):
                names.update(f.name for f in dataclasses.fields(kind))
                names.update(n for n, v in vars(kind).items() if isinstance(v, property))
    return sorted(names)


def test_a_theme_sees_only_what_the_edition_may_show(sample_set: Path, tmp_path: Path) -> None:
    dump = (
        '{% extends "builtin/annual-report.html.j2" %}\n{% block body %}\n'
        "{% set names = " + repr(_field_names()) + " %}\n"
        "{% macro dump(x, d) %}{% if d < 8 %}"
        "{% if x is string %}{{ x }} "
        "{% elif x is mapping %}{% for k in x %}{{ k }} {{ dump(x[k], d + 1) }}{% endfor %}"
        "{% elif x is iterable %}{% for v in x %}{{ dump(v, d + 1) }}{% endfor %}"
        "{% elif x is number or x is none or x is boolean %}{{ x }} "
        "{% else %}{% for n in names %}{% if x[n] is defined %}{{ dump(x[n], d + 1) }}"
        "{% endif %}{% endfor %}{% endif %}{% endif %}{% endmacro %}\n"
        '<div id="everything">{{ dump(ctx, 0) }}</div>{% endblock %}\n'
    )
    _theme(sample_set, {"annual-report.html.j2": dump})
    # Two processes: the print edition's charts arrive while it is laid out,
    # so the dump prints their placeholders, not pages of SVG source as text
    # (the HTML edition, which holds the charts, is the same either way).
    run_build(
        sample_set / "fy2012", tmp_path / "out", ["annual-report"], languages=["en"], workers=2
    )
    made = tmp_path / "out/fy2012/en"
    html = (made / "annual-report.html").read_text("utf-8")
    everything = html.split('<div id="everything">', 1)[1]
    assert "Joint statement" in everything or "ICNK" in everything  # it did reach the rows
    assert "Kato Hiroshi" in everything and "FY2012" in everything
    for secret in INTERNAL:
        assert secret not in html, secret
    text = ParsedPdf(made / "annual-report.pdf").all_text()
    assert not any(secret in text for secret in INTERNAL)


def test_the_docs_list_every_template_and_block() -> None:
    import re

    from reportgen.typesetting.templating import templates_dir

    docs = (Path(__file__).resolve().parents[1] / "docs" / "report-format.md").read_text("utf-8")
    section = docs.split("## Your own look: theme_dir", 1)[1].split("\n## ", 1)[0]
    folder = templates_dir()
    for path in sorted(folder.rglob("*.j2")):
        name = path.relative_to(folder).as_posix()
        assert f"`{name}`" in section, f"{name} is not in the docs"
        for block in re.findall(r"\{%-?\s*block\s+(\w+)", path.read_text("utf-8")):
            assert f"`{block}`" in section, f"block {block} of {name} is not in the docs"
