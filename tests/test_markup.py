"""The finished page as a parser reads it (markup): typesetting, the links
inside a page and the pictures the HTML edition inlines work on lxml's tree,
and the tree is written back as the page a browser reads. Each case here is
one a regular expression over the text got wrong."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
import tinyhtml5

from reportgen.core import markup
from reportgen.core.errors import RenderError
from reportgen.core.file_gate import Gate
from reportgen.reading import page_anchors as anchors
from reportgen.typesetting.html_pages import inline_images
from reportgen.typesetting.typeset import typeset
from tests.conftest import SAMPLE

# A page with what a regular expression trips on: a ">" and quotes inside
# attribute values, markup inside a comment and inside a script's text,
# entities, void elements written the XML way, inline SVG with names in
# mixed case, and an href holding Japanese.
TRICKY = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>“A” &amp; B</title>
<style>p > a::after { content: "<b>"; }</style></head>
<body class="medium-screen"><h2 id="s-概要">概要</h2>
<p title='a > b "c"' data-x="1 &lt; 2">Text&nbsp;here<br />
<a href="#s-概要">概要へ</a></p>
<!-- <a href="#nowhere"> an old link <img src="gone.png"> -->
<script type="application/json">{"a": "<a href='#nowhere'>"}</script>
<svg viewBox="0 0 10 10"><defs><clipPath id="c"><rect width="1" height="1"/></clipPath>
<linearGradient id="g"/></defs><path d="M0 0" clip-path="url(#c)"/></svg>
</body></html>
"""


def _dom(page: str) -> list[tuple[object, ...]]:
    """The page as a browser's parser builds it (tinyhtml5, the WHATWG
    algorithm): each element with its attributes, and the text that is not
    only spaces."""
    tree = tinyhtml5.parse(page, namespace_html_elements=False)
    out: list[tuple[object, ...]] = []
    for element in tree.iter():
        out.append((str(element.tag), sorted(element.attrib.items())))
        out += [("text", t.strip()) for t in (element.text, element.tail) if t and t.strip()]
    return out


def test_a_page_read_and_written_again_is_the_page_a_browser_reads() -> None:
    again = markup.parse(TRICKY).text()
    assert _dom(again) == _dom(TRICKY)
    # what lxml's own writer would change: the Japanese of an href escaped
    # (no longer the heading's id), the SVG's names in lower case
    assert "%E6%A6%82" in lxml.html.tostring(lxml.html.document_fromstring(TRICKY), encoding=str)
    assert 'href="#s-概要"' in again
    assert 'viewBox="0 0 10 10"' in again and "<clipPath " in again and "<linearGradient " in again
    assert again.startswith("<!DOCTYPE html>\n<html")
    assert '<style>p > a::after { content: "<b>"; }</style>' in again  # raw text stays raw
    # a fragment stays a fragment
    assert (
        markup.parse('<p class="x">a &amp; b</p> tail').text() == '<p class="x">a &amp; b</p> tail'
    )


def test_links_in_comments_and_scripts_are_no_links_and_a_quoted_gt_ends_no_tag() -> None:
    # The regex took the comment's and the script's links for links of the
    # page, and refused them (no #nowhere on the page).
    assert anchors.resolved(TRICKY, "x.html") == TRICKY  # nothing to unlink: the text as it was
    # An id written in a comment names nothing: the narrative's link to it is unmade.
    page = '<p><!-- <span id="gone"> --><a href="#gone" class="internal-link">see</a></p>'
    assert (
        anchors.resolved(page, "x.pdf")
        == '<p><!-- <span id="gone"> --><a class="internal-link">see</a></p>'
    )
    # A ">" inside a quoted attribute before the href: the link is still seen
    # (the regex ended the tag at the ">" and kept a link WeasyPrint refuses).
    quoted = '<a title="1 > 0" href="#gone" class="internal-link">see</a>'
    assert anchors.resolved(quoted, "x.pdf") == '<a title="1 > 0" class="internal-link">see</a>'
    with pytest.raises(RenderError, match=r"x\.pdf: links to #fn-9"):
        anchors.resolved('<a title="1 > 0" href="#fn-9">9</a>', "x.pdf")
    # a link whose class lists another besides the narrative's is the narrative's
    both = '<a href="#gone" class="internal-link extra">see</a>'
    assert anchors.resolved(both, "x.pdf") == '<a class="internal-link extra">see</a>'


def test_the_html_edition_inlines_the_pictures_a_browser_would_load_and_no_other() -> None:
    year = SAMPLE / "fy2012"
    gate = Gate.of(year)
    page = (
        '<!DOCTYPE html>\n<html lang="en"><body>'
        '<img alt="1 > 0" src="assets/coalition-network.svg">'  # the regex missed it
        '<!-- <img src="../../../etc/passwd"> -->'  # the regex fetched it, and failed
        "</body></html>\n"
    )
    out = inline_images(page, year, gate)
    image = lxml.html.document_fromstring(out).find(".//img")
    assert image is not None and image.get("src", "").startswith("data:image/svg+xml")
    assert image.get("alt") == "1 > 0"
    assert '<!-- <img src="../../../etc/passwd"> -->' in out


def test_typesetting_reads_tags_as_a_browser_does(tmp_path: Path) -> None:
    # An unquoted attribute value with an apostrophe: a browser reads the
    # tag as it is; the regex read the tag as text, escaped it and curled it.
    assert typeset('<p title=O\'Brien>"Quoted"</p>', "en", "screen") == (
        '<p title="O\'Brien">\u201cQuoted\u201d</p>'
    )
    # a comment's text and a script's are never prose
    page = '<p>"a"<!-- "b" --></p><script>var s = "it\'s";</script>'
    assert (
        typeset(page, "en", "screen")
        == '<p>\u201ca\u201d<!-- "b" --></p><script>var s = "it\'s";</script>'
    )


def test_a_charts_ids_are_its_own_and_its_text_is_never_taken_for_a_reference(
    sample_set: Path,
) -> None:
    """Each chart's ids (and every reference to one) carry the chart's id, so
    that the charts of one page never share an id; a category whose name
    reads like a reference keeps its name (a regular expression over the SVG
    text rewrote it to "url(#chart-by-category-1)")."""
    import re

    import lxml.etree

    from reportgen.commands.build import load_year
    from reportgen.composing.edition_view import year_as_seen_by
    from reportgen.core.diagnostics import Diagnostics
    from reportgen.typesetting.edition_render import figures_and_charts

    activities = sample_set / "fy2012/data/activities.csv"
    activities.write_text(activities.read_text("utf-8").replace(",Advocacy,", ",See url(#1),"))
    year = load_year(sample_set / "fy2012", Diagnostics())
    assert year is not None
    charts = figures_and_charts(year_as_seen_by(year, "annual-report", "en"), [], "en").charts
    assert "See url(#1)" in charts["chart-by-category"].svg
    seen: set[str] = set()
    for chart_id, chart in charts.items():
        for svg in filter(None, (chart.svg, chart.narrow)):
            root = lxml.etree.fromstring(svg.encode())
            ids = {e.get("id") for e in root.iter() if e.get("id")}
            assert ids and all(i.startswith(f"{chart_id}-") for i in ids)
            assert not ids & seen  # unique across the page (the narrow drawing too)
            seen |= ids
            attributes = " ".join(v for e in root.iter() for v in e.attrib.values())
            for target in re.findall(r"url\(#([^)]+)\)", attributes):
                assert target in ids


def test_a_page_whose_html_tag_comes_late_keeps_its_language_and_classes() -> None:
    """A theme's page with something before its ``<html lang>`` (a browser
    adds the tag's attributes to the element it made; libxml2 drops them):
    read as a browser reads it, the PDF keeps its language (PDF/UA needs it)."""
    page = (
        '<!--><p>early</p><!-- -->\n<!DOCTYPE html>\n<html lang="en">\n<head><title>T</title>'
        '</head>\n<body class="medium-print"><p>"Quoted"</p></body></html>\n'
    )
    out = typeset(page, "en", "print")
    root = lxml.html.document_fromstring(out)
    assert root.get("lang") == "en"
    body = root.find("body")
    assert body is not None and body.get("class") == "medium-print"
    assert "\u201cQuoted\u201d" in out and "early" in out
