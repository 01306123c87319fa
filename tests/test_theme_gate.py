"""A theme that cannot escape: what issue 24 found a theme could do, each now a
located error (exit 2, nothing written) that ``check`` finds before a build,
the sandbox's limits one by one, and the HTML edition of a hostile theme that
passes opened in Chromium with a log of every request it makes."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.typesetting.templating import ThemeFailed, template
from tests.test_bad_input import replace

ORG = "organization.toml"
# The theme's annual-report.html.j2: the attempt stands on line 3.
PAGE = (
    '{% extends "builtin/annual-report.html.j2" %}\n{% block back_cover_text %}\n'
    "ATTEMPT\n{% endblock %}\n"
)


def _theme(reports: Path, files: dict[str, str], theme_dir: str = "theme") -> Path:
    folder = reports / "theme"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    replace(reports / ORG, "currency =", f'theme_dir = "{theme_dir}"\ncurrency =')
    return folder


def _page(attempt: str) -> dict[str, str]:
    return {"annual-report.html.j2": PAGE.replace("ATTEMPT", attempt)}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _refused(year: Path, out: Path, expected: str) -> str:
    """``check`` and ``build`` both stop at ``expected`` (a located message),
    exit 2, no traceback, and the build writes nothing. Both run through the
    command line in this process (the refusal comes before any rendering, so
    a fresh process per command would only add its start-up)."""
    checked = CliRunner().invoke(cli, ["check", str(year)])
    said = checked.output
    assert checked.exit_code == 2 and isinstance(checked.exception, SystemExit), said
    assert expected in said, said
    built = CliRunner().invoke(cli, ["build", str(year), "--out", str(out), "--edition",
                                     "annual-report", "--language", "en"])  # fmt: skip
    told = built.output
    assert built.exit_code == 2 and isinstance(built.exception, SystemExit), told
    assert expected in told, told
    assert "Traceback" not in told and "internal error" not in told
    assert not (out / year.name).exists()
    return told


# --- extra.css: checked token by token, escapes decoded -----------------------


@pytest.mark.parametrize(
    ("css", "where"),
    [
        # The case: an escaped "</" ends the style element and a meta
        # refresh sends the reader elsewhere.
        (
            'p::after { content: "\\3c/style><meta http-equiv=refresh '
            "content='0;url=https://example.org/'>\" }\n",
            "theme/extra.css:1:21: a string holds '</'",
        ),
        ("p { background: url(\\3c/style\\3e) }\n", "theme/extra.css:1:17: a url() holds '</'"),
        ('p::after { content: "\\3c!-- " }\n', "theme/extra.css:1:21: a string holds '<!'"),
        ('p::after { content: "--\\3e" }\n', "theme/extra.css:1:21: a string holds '-->'"),
        (
            "p { color: red }\n\\3c script { color: red }\n",
            "theme/extra.css:2:1: a name holds '<s'",
        ),
        ("p { color: red }\n</style> q { color: red }\n", "theme/extra.css:2:1: '</' is refused"),
    ],
)
def test_extra_css_markup_is_refused_once_decoded(
    small_set: Path, tmp_path: Path, css: str, where: str
) -> None:
    _theme(small_set, {"extra.css": css})
    _refused(small_set / "fy2012", tmp_path / "out", where)


def test_extra_css_strings_are_written_safely_for_a_style_element(sample_set: Path) -> None:
    from reportgen.core.file_gate import Gate
    from reportgen.typesetting.templating import extra_css

    folder = _theme(sample_set, {"extra.css": 'p::after { content: "a > b & c \\"d\\"" }\n'})
    css = extra_css(folder, Gate.of(sample_set / "fy2012"))
    assert "&" not in css and ">" not in css.split("content:", 1)[1]
    assert "\\3e " in css and "\\26 " in css  # the same text, as escapes


# --- the HTML edition: parsed as a browser does, nothing that runs or redirects


@pytest.mark.parametrize(
    ("attempt", "expected"),
    [
        # The case: "<!-->" ended the comment a regular expression
        # thought still open, and the script after it ran.
        ("<!--><script>new Image().src = 'https://example.org/x'</script>",
         "theme/annual-report.html.j2:3: template error: the HTML edition would hold a <script>"),
        ('<meta http-equiv="refresh" content="0;url=https://example.org/">',
         'theme/annual-report.html.j2:3: template error: the HTML edition would hold a '
         '<meta http-equiv="refresh">'),
        ('<p onclick="alert(1)">x</p>',
         "theme/annual-report.html.j2:3: template error: the HTML edition would hold an event "
         "handler (onclick)"),
        ('<a href=" javascript:alert(1)">x</a>',
         "theme/annual-report.html.j2:3: template error: the HTML edition would hold a script "
         "address"),
        ('<base href="https://example.org/">',
         "theme/annual-report.html.j2:3: template error: the HTML edition would hold a <base>"),
    ],
)  # fmt: skip
def test_markup_that_runs_or_redirects_is_refused(
    small_set: Path, tmp_path: Path, attempt: str, expected: str
) -> None:
    _theme(small_set, _page(attempt))
    _refused(small_set / "fy2012", tmp_path / "out", expected)


def test_the_policy_is_the_first_element_whatever_comes_before_it() -> None:
    import tinyhtml5

    from reportgen.typesetting.html_pages import PAGE_POLICY, locked_down

    for page in (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"></head><body></body>',
        # "<!-->" is a whole comment to a browser: "<p>early</p>" opens the
        # body, and a policy placed after the <head> tag would be ignored.
        "<!--><p>early</p><!-- --><html><head><title>t</title></head><body></body></html>",
        "<p>no head at all</p>",
    ):
        tree = tinyhtml5.parse(locked_down(page), namespace_html_elements=False)
        head = tree.find("head")
        assert head is not None and head[0].get("content") == PAGE_POLICY, page
        equivs = [m for m in tree.iter("meta") if m.get("http-equiv") is not None]
        assert len(equivs) == 1


# --- theme_dir: a folder of its own -------------------------------------------


@pytest.mark.parametrize(
    ("settings", "value", "problem"),
    [
        (ORG, ".", "is the report set itself"),
        (ORG, "..", "is outside the report folder"),
        ("fy2012/report.toml", "..", "is the report set itself"),
        (ORG, "fy2012", "is a year folder or inside one"),
        (ORG, "fy2012/data", "is inside a data, narrative or output folder"),
        ("fy2012/report.toml", "narrative", "is inside a data, narrative or output folder"),
        ("fy2012/report.toml", ".", "is a year folder or inside one"),
        ("fy2012/report.toml", "assets", "is a year folder or inside one"),
    ],
)
def test_theme_dir_must_be_a_folder_of_its_own(
    small_set: Path, tmp_path: Path, settings: str, value: str, problem: str
) -> None:
    path = small_set / settings
    if settings == ORG:
        replace(path, "currency =", f'theme_dir = "{value}"\ncurrency =')
    else:
        replace(path, "fiscal_year =", f'theme_dir = "{value}"\nfiscal_year =')
    line = next(
        n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1)
        if text.startswith("theme_dir")
    )  # fmt: skip
    shown = "reports/organization.toml" if settings == ORG else "fy2012/report.toml"
    told = _refused(small_set / "fy2012", tmp_path / "out", f":{line}: 'theme_dir': '{value}' ")
    assert shown.split("/")[-1] + f":{line}:" in told and problem in told


def test_a_theme_holding_a_data_folder_is_refused(small_set: Path, tmp_path: Path) -> None:
    folder = _theme(small_set, {})
    (folder / "data").symlink_to(small_set / "fy2012" / "data")
    told = _refused(small_set / "fy2012", tmp_path / "out", "'theme_dir': 'theme' holds a data")
    lines = (small_set / ORG).read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("theme_dir"))
    assert f"organization.toml:{line}:" in told


@pytest.mark.parametrize(
    "attempt",
    ['{% include "data/donors.csv" %}', '{% include "../fy2012/data/donors.csv" %}',
     '{% include "/etc/passwd" %}', '{% include "leak.j2" %}'],
)  # fmt: skip
def test_a_template_cannot_include_data_or_narrative(
    small_set: Path, tmp_path: Path, attempt: str
) -> None:
    folder = _theme(small_set, _page(attempt))
    name = attempt.split('"')[1]
    if name == "leak.j2":  # a template of the theme that is a donor table
        (folder / "leak.j2").symlink_to(small_set / "fy2012" / "data" / "donors.csv")
    expected = (
        "theme/leak.j2: the theme file is a link to outside the theme folder"
        if name == "leak.j2"
        else f"theme/annual-report.html.j2:3: template error: no template '{name}'"
    )
    told = _refused(small_set / "fy2012", tmp_path / "out", expected)
    assert "m.example@example.org" not in told


# --- templates: errors located, work bounded ----------------------------------


@pytest.mark.parametrize(
    ("attempt", "expected"),
    [
        ("{{ 1/0 }}", "ZeroDivisionError: division by zero"),
        ("{% for i in range(10**9) %}{% endfor %}", "range() of 1,000,000,000 numbers"),
        ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "calls nested more than"),
        ("{% for a in range(10000) %}{% for b in range(10000) %}.{% endfor %}{% endfor %}",
         "the template's loops took more than 1,000,000 steps"),
        ("{{ 'x' * 10**9 }}", "a repetition of more than"),
    ],
)  # fmt: skip
def test_template_runtime_errors_are_located_exit_2(
    small_set: Path, tmp_path: Path, attempt: str, expected: str
) -> None:
    _theme(small_set, _page(attempt))
    start = time.monotonic()
    _refused(small_set / "fy2012", tmp_path / "out",
             f"theme/annual-report.html.j2:3: template error: {expected}")  # fmt: skip
    assert time.monotonic() - start < 120


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ '{:>1000000000}'.format(1) }}", "a width of 1,000,000,000"),
        ("{{ '{:>{w}}'.format(1, w=10**9) }}", "may not take its width from an argument"),
        ("{{ '%999999999d' % 1 }}", "a width of 999,999,999"),
        ("{{ '%999999999d'|format(1) }}", "a width of 999,999,999"),
        ("{{ 'x'|center(10**9) }}", "a width of 1,000,000,000"),
        ("{{ 2 ** 100000 }}", "is too large a number"),
        ("{% set ns = namespace(x='ab') %}{% for i in range(40) %}"
         "{% set ns.x = ns.x ~ ns.x %}{% endfor %}", "a value of more than 2,000,000"),
        ("{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s }}{% endif %}"
         "{% endmacro %}{{ d('ab', 40) }}", "a value of more than 2,000,000"),
        ("{% set a = 'x' * 1500000 %}{% set b = a ~ a %}{{ b }}", "a value of more than"),
        ("{{ ('a' * 100000)|replace('a', 'b' * 100000) }}", "too large a value"),
        ("{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}", "calls nested more than"),
        ("{{ ''.__class__.__mro__ }}", "__class__"),
        ('{% include "page.html.j2" %}', "too deep"),
    ],
)  # fmt: skip
def test_each_limit_is_a_located_template_error(tmp_path: Path, source: str, expected: str) -> None:
    (tmp_path / ORG).write_text("", "utf-8")
    folder = tmp_path / "theme"
    folder.mkdir()
    (folder / "page.html.j2").write_text("<p>\n" + source + "\n</p>\n", "utf-8")
    start = time.monotonic()
    with pytest.raises(ThemeFailed) as caught:
        template("page.html.j2", folder)()
    assert time.monotonic() - start < 30
    problem = caught.value.diagnostics[0]
    assert problem.location.path == folder / "page.html.j2"
    assert problem.location.line in (1, 2), problem  # an include loop: its include
    assert problem.message.startswith("template error:") and expected in problem.message


def test_the_limits_leave_the_sample_alone(tmp_path: Path) -> None:
    """The built-in templates' own work is well within every limit: the sample
    builds with them (tests/test_theme.py builds it with a theme too)."""
    (tmp_path / ORG).write_text("", "utf-8")
    folder = tmp_path / "theme"
    folder.mkdir()
    (folder / "page.html.j2").write_text(
        "{% for a in range(1000) %}{% for b in range(990) %}{% endfor %}{% endfor %}"
        "{{ ('x' * 1000000)|length }} {{ '{:>8}'.format(1) }} {{ '%5d' % 3 }}"
        "{% set ns = namespace(n=0) %}{% for i in range(10) %}{% set ns.n = ns.n + i %}"
        "{% endfor %}{{ ns.n }}",
        "utf-8",
    )
    assert template("page.html.j2", folder)() == "1000000        1     345"


# --- [labels] placeholders ------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "shown"),
    [
        ("{org:>1000000000}", "'{org:>1000000000}' is not a placeholder"),
        ("{org.__class__.__mro__}", "'{org.__class__.__mro__}' is not a placeholder"),
        ("{org!r}", "'{org!r}' is not a placeholder"),
        ("{org[0]}", "'{org[0]}' is not a placeholder"),
    ],
)
def test_label_placeholders_are_names_alone(
    small_set: Path, tmp_path: Path, word: str, shown: str
) -> None:
    settings = small_set / ORG
    text = settings.read_text("utf-8")
    settings.write_text(text + f'\n[labels.en]\nletter_body = "{word}"\n', "utf-8")
    line = len(settings.read_text("utf-8").splitlines())
    _refused(small_set / "fy2012", tmp_path / "out",
             f"organization.toml:{line}: [labels.en] 'letter_body': {shown}")  # fmt: skip


def test_a_word_is_filled_with_names_only() -> None:
    from reportgen.core.languages import fill

    assert fill("Thanks from {org} in {year}", {"org": "LFNKR", "year": "FY2012"}) == (
        "Thanks from LFNKR in FY2012"
    )
    for bad in ("{org:>99}", "{org.__class__}", "{org!r}", "{missing}"):
        with pytest.raises(ValueError):
            fill(bad, {"org": "LFNKR"})


# --- in a browser ----------------------------------------------------------------

# For the screen alone: the PDF's renderer fetches nothing either, and a build
# stops at the first address it refuses, so the attempt is made where only the
# browser's policy stands in its way.
HOSTILE = """{% if medium == "screen" %}
<div id="bg" style="background-image: url(https://example.org/style-attr.png)">bg</div>
<svg width="10" height="10"><image href="https://example.org/svg-image.png" width="10"
 height="10"/></svg>
<video poster="https://example.org/poster.png" src="https://example.org/video.mp4"></video>
<audio src="https://example.org/audio.mp3" autoplay></audio>
<img alt="x" srcset="https://example.org/srcset.png 1x">
<input type="image" alt="x" src="https://example.org/input.png">
<style>@import url(https://example.org/import.css);
@font-face { font-family: Leak; src: url(https://example.org/font.woff2) }
#bg { font-family: Leak }</style>
<!--><p>after a comment trick</p>
<form action="https://example.org/form"><button id="send">send</button></form>
{% endif %}"""


@pytest.mark.browser
def test_a_hostile_theme_in_chromium_sends_nothing_and_runs_nothing(
    sample_set: Path, tmp_path: Path
) -> None:
    from tests.browser import available, chromium

    if not available():
        pytest.skip("no /usr/bin/chromium")
    from reportgen.typesetting.templating import templates_dir

    # Its base template opens with "<!-->": a regular expression took what
    # follows for a comment and put the policy where a browser ignores it.
    base = (templates_dir() / "base.html.j2").read_text("utf-8")
    _theme(sample_set, {**_page(HOSTILE), "base.html.j2": "<!--><p>early</p><!-- -->\n" + base})
    out = tmp_path / "out"
    built = _run("build", str(sample_set / "fy2012"), "--out", str(out), "--edition",
                 "annual-report", "--language", "en")  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    page = out / "fy2012" / "en" / "annual-report.html"
    html = page.read_text("utf-8")
    # The same page without its policy: proof that the log sees what would leave.
    from reportgen.typesetting.html_pages import POLICY_META

    bare = tmp_path / "bare.html"
    bare.write_text(html.replace(POLICY_META, "", 1), "utf-8")
    with chromium() as browser:
        assert _requests(browser, bare)[0], "the log saw nothing even without the policy"
        sent, url, title = _requests(browser, page)
    assert sent == [], sent
    assert url == page.as_uri()  # no redirect
    assert title == "Annual Report FY2012 · Life Funds for North Korean Refugees"


def _requests(browser: object, page: Path) -> tuple[list[str], str, str]:
    """Every request ``page`` made (besides itself and data: URIs), its URL
    after a while, and its title (or "a script" when it holds one)."""
    context = browser.new_context()  # type: ignore[attr-defined]
    tab = context.new_page()
    sent: list[str] = []

    def route(found: object) -> None:
        url = found.request.url  # type: ignore[attr-defined]
        if url != page.as_uri() and not url.startswith("data:"):
            sent.append(url)
            found.abort()  # type: ignore[attr-defined]
        else:
            found.continue_()  # type: ignore[attr-defined]

    tab.route("**/*", route)
    tab.goto(page.as_uri())
    tab.wait_for_load_state("load")
    tab.wait_for_timeout(1500)  # a refresh would have happened by now
    title = tab.title() if tab.evaluate("document.scripts.length") == 0 else "a script"
    url = tab.url
    tab.click("#send", no_wait_after=True)  # a form may not be sent anywhere either
    tab.wait_for_timeout(1000)
    found = (sorted(set(sent)), url, title)
    context.close()
    return found
