"""The self-contained HTML edition: parsed, then opened in a real browser."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from typing import Any

import pytest

from tests import browser
from tests.conftest import SAMPLE_CHART_IDS as CHART_IDS
from tests.conftest import BuiltSample


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def page_html(built_sample: BuiltSample) -> str:
    return built_sample.html.read_text("utf-8")


@pytest.fixture(scope="module")
def tags(page_html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Collect()
    parser.feed(page_html)
    return parser.tags


def test_nothing_is_loaded_from_outside_the_file(tags: list[Any], page_html: str) -> None:
    for tag, attrs in tags:
        if tag in ("img", "script", "iframe", "source", "video", "audio", "embed"):
            src = attrs.get("src") or ""
            assert src.startswith("data:"), f"<{tag}> loads {src[:80]}"
        if tag == "link":
            assert attrs.get("rel") not in ("stylesheet", "preload", "icon"), attrs
        if tag == "a":
            href = attrs.get("href") or ""
            # Links (not loads): anchors, the web, mail, and the neighbouring years' reports.
            sibling = re.fullmatch(r"(\.\./)+[\w.-]+/(\w\w/)?annual-report\.html", href)
            assert href.startswith(("#", "http://", "https://", "mailto:")) or sibling, href
    assert "<script" not in page_html
    css = " ".join(re.findall(r"<style>(.*?)</style>", page_html, re.S))
    assert "@import" not in css
    for url in re.findall(r"url\(([^)]*)\)", css):
        assert url.strip("'\"").startswith(("data:", "#")), url


def test_every_chart_is_inline_svg_with_alt_text_and_data(tags: list[Any], page_html: str) -> None:
    figures = {attrs.get("id") for tag, attrs in tags if tag == "figure"}
    for chart in CHART_IDS:
        assert chart in figures
    labelled = [a["aria-label"] for t, a in tags if a.get("role") == "img" and a.get("aria-label")]
    # One alt text per chart (a chart with a phone drawing labels both drawings alike).
    assert len(set(labelled)) == len(CHART_IDS)
    assert page_html.count("<svg") >= len(CHART_IDS)
    assert page_html.count('<details class="chart-data">') == len(CHART_IDS)


def test_svg_ids_are_unique_on_the_page(page_html: str) -> None:
    ids = re.findall(r'\sid="([^"]+)"', page_html)
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates


def test_one_h1_and_a_language(tags: list[Any]) -> None:
    assert sum(1 for tag, _ in tags if tag == "h1") == 1
    html = next(attrs for tag, attrs in tags if tag == "html")
    assert html.get("lang") == "en"


browser_only = pytest.mark.skipif(
    not browser.available() and not os.environ.get("CI"), reason="chromium is not installed"
)


@browser_only
@pytest.mark.browser
def test_renders_in_chromium_without_any_request(built_sample: BuiltSample) -> None:
    url = built_sample.html.as_uri()
    with browser.chromium() as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url)
        page.wait_for_load_state("load")
        assert [r for r in requests if not r.startswith("data:")] == [url]
        assert not errors
        for chart in CHART_IDS:
            box = page.locator(f"#{chart} svg:visible").bounding_box()
            assert box and box["width"] > 200 and box["height"] > 80, chart
        assert page.locator("h1").inner_text() == "Annual Report FY2012"
        # The data behind a chart is one click away.
        page.locator("#chart-income summary").click()
        assert page.locator("#chart-income table").is_visible()
        assert "Donations" in page.locator("#chart-income table").inner_text()


@browser_only
@pytest.mark.browser
def test_reads_on_a_phone_without_sideways_scrolling(built_sample: BuiltSample) -> None:
    with browser.chromium() as chromium:
        page = chromium.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
        page.goto(built_sample.html.as_uri())
        overflow = page.evaluate(
            "document.scrollingElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1
        size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.prose p')).fontSize)"
        )
        assert size >= 15
        # Wide tables are cards on a phone: nothing scrolls inside its box
        # either (test_phone measures every cell).
        widths = page.evaluate(
            "[...document.querySelectorAll('.table-wrap')].map(w => w.scrollWidth - w.clientWidth)"
        )
        assert widths and max(widths) <= 1, widths
