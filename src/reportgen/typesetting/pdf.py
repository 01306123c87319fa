"""HTML for print to PDF bytes with WeasyPrint, every URL through the gate.

Reproducible: the metadata dates come from the document's own
``dcterms.created`` (set from the input), the PDF identifier is derived from
the HTML, and nothing depends on the clock.
"""

from __future__ import annotations

import gc
import hashlib
import inspect
import io
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree

from reportgen.composing.charts import CHART_SCHEME
from reportgen.core.diagnostics import Diagnostic, Location, Severity
from reportgen.core.errors import ContentFailed, RenderError, ReportgenError
from reportgen.core.file_gate import Gate, RefusedResource, shorten
from reportgen.typesetting.preflight import Finding, examine

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    findings: tuple[Finding, ...] = ()  # the preflight's, when asked for


def _fetcher(gate: Gate, charts: Callable[[str], bytes] | None = None) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SandboxedFetcher(URLFetcher):  # type: ignore[misc]
        """Serves what the gate admits (pictures of the report set, reportgen's
        own templates, data: pictures) and the report's own
        charts (which may still be being drawn: ``charts`` waits); refuses the rest."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith(CHART_SCHEME) and charts is not None:
                return URLFetcherResponse(
                    url, body=charts(url[len(CHART_SCHEME) :]),
                    headers={"Content-Type": "image/svg+xml"},
                )  # fmt: skip
            try:
                resource = gate.fetch(url)
            except RefusedResource as exc:
                log.info("refused %s", exc)
                raise ValueError(str(exc)) from None
            return URLFetcherResponse(
                url, body=resource.data, headers={"Content-Type": resource.mime_type}
            )

    return SandboxedFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


class _LateChart:
    """A chart that WeasyPrint lays out before its picture exists.

    Laying out needs only the picture's size, which ``frame`` (an empty SVG
    with the same root attributes) gives; the picture itself is needed when
    the page is painted, in ``write_pdf``. By then the chart process has had
    the whole layout to draw it."""

    def __init__(self, url: str, frame: str, picture: Callable[[], bytes], make: Any) -> None:
        self._url = url
        self._frame = ElementTree.fromstring(frame)
        self._sized = make(self._frame)
        self._picture = picture
        self._make = make

    def get_intrinsic_size(self, image_resolution: float, font_size: float) -> Any:
        return self._sized.get_intrinsic_size(image_resolution, font_size)

    def draw(self, stream: Any, concrete_width: float, concrete_height: float, style: Any) -> None:
        tree = ElementTree.fromstring(self._picture())  # a failed chart process raises here
        for name in ("width", "height", "viewBox"):
            if tree.get(name) != self._frame.get(name):
                raise RuntimeError(
                    f"{self._url}: the drawn chart's {name} {tree.get(name)!r} is not the "
                    f"{self._frame.get(name)!r} it was laid out with"
                )
        self._make(tree).draw(stream, concrete_width, concrete_height, style)


Sources = Sequence[tuple[Path, str]]  # a narrative file and the HTML it gave the page


def _locate(needle: str, sources: Sources) -> tuple[Path, int] | None:
    """The narrative file whose HTML holds ``needle`` (a picture's URL, a
    link's target), and the number of its paragraph there (0: before any)."""
    for path, html in sources:
        for form in dict.fromkeys((needle, escape(needle, quote=True))):
            found = html.find(form) if form else -1
            if found >= 0:
                return path, html.count("<p>", 0, found) + html.count("<p ", 0, found)
    return None


def _located(
    what: str, message: str, needles: Sequence[str], sources: Sources
) -> Diagnostic | None:
    """A renderer's failure as a problem of the narrative part it names, if any."""
    for needle in needles:
        found = _locate(needle, sources)
        if found is not None:
            path, paragraph = found
            where = f" in its paragraph {paragraph}" if paragraph else ""
            part = (f"the link to '{needle[7:-1]}'" if needle.startswith('href="')
                    else f"the picture '{shorten(needle)}'")  # fmt: skip
            return Diagnostic(Severity.ERROR, Location(path),
                              f"{what}: it failed on {part}{where} ({message}); "
                              "correct or replace it")  # fmt: skip
    return None


def _failed_element(exc: BaseException) -> Any:
    """The HTML element WeasyPrint was laying out or drawing when ``exc`` was
    raised: the innermost frame of its traceback with a ``box`` of an element."""
    element = None
    trace = exc.__traceback__
    while trace is not None:
        found = getattr(trace.tb_frame.f_locals.get("box"), "element", None)
        if found is not None:
            element = found
        trace = trace.tb_next
    return element


@contextmanager
def failures_raised(what: str, sources: Sources = (), base: str = "") -> Iterator[None]:
    """WeasyPrint logs a resource it could not load (a picture, a stylesheet,
    an attachment) and goes on without it; here each such error fails the
    render instead, and its message, which may quote a whole data: URL, never
    reaches the terminal. A failure (logged or raised) that names a picture
    or link of a narrative file of ``sources`` is that file's problem
    (``ContentFailed``, exit 2); any other is a bug (``RenderError``).
    ``base``: the page's base URL, which WeasyPrint puts before a relative
    URL it names."""
    from weasyprint.logger import LOGGER

    failures: list[tuple[str, tuple[str, ...]]] = []  # message, what it names

    def keep(record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            return True
        args = record.args if isinstance(record.args, tuple) else ()
        shown = tuple(shorten(a) if isinstance(a, str) else shorten(str(a)) for a in args)
        named = tuple(a for a in args if isinstance(a, str))
        named += tuple(unquote(a[len(base) :]) for a in named if base and a.startswith(base))
        named += tuple(f'href="#{a}"' for a in named)  # "No anchor #%s": the link to it
        try:
            failures.append((str(record.msg) % shown if shown else str(record.msg), named))
        except (TypeError, ValueError):
            failures.append((str(record.msg), named))
        return False

    LOGGER.addFilter(keep)
    try:
        yield
    except (ReportgenError, KeyboardInterrupt, MemoryError):
        raise
    except Exception as exc:
        element = _failed_element(exc)
        named = tuple(v for k in ("src", "href") if element is not None
                      and isinstance(v := element.get(k), str) and v)  # fmt: skip
        failures.append((f"{type(exc).__name__}: {shorten(str(exc))}", named))
        raised: BaseException | None = exc
    else:
        raised = None
    finally:
        LOGGER.removeFilter(keep)
    if not failures:
        return
    located = [_located(what, m, named, sources) for m, named in failures]
    if all(located):
        raise ContentFailed([d for d in located if d is not None]) from raised
    shown = "; ".join(dict.fromkeys(m for m, _ in failures))
    raise RenderError(f"{what}: {shown}") from raised


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while WeasyPrint lays out and
    writes: the layout allocates millions of objects, which trigger hundreds
    of collections, yet leaves little cyclic garbage. Measured on the sample:
    about 6% less time, 1 MiB more memory. Restored after (``serve`` lives on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _late_charts(frames: Mapping[str, str], picture: Callable[[str], bytes]) -> Iterator[None]:
    """While WeasyPrint builds a document's layout context, answer the chart
    URLs with ``_LateChart`` objects instead of fetching (and so waiting for)
    their pictures. WeasyPrint's image hook
    (``weasyprint.document.original_get_image_from_uri``) is not public API,
    so when it is missing or changed the charts are fetched as usual. The
    hook is swapped for the whole process while ``render()`` runs, which is
    why only the one-document build uses this: reportgen renders concurrent
    documents in separate processes, never in threads."""
    if not frames:
        yield
        return
    import weasyprint.document
    from weasyprint.images import SVGImage

    original = getattr(weasyprint.document, "original_get_image_from_uri", None)
    expected = {"cache", "url_fetcher", "options", "url", "context"}
    if original is None or not expected <= set(inspect.signature(original).parameters):
        yield
        return

    def get_image_from_uri(*args: Any, **kwargs: Any) -> Any:
        url = kwargs.get("url")
        cache = kwargs.get("cache")
        if not (isinstance(url, str) and url.startswith(CHART_SCHEME) and isinstance(cache, dict)
                and url[len(CHART_SCHEME):] in frames):  # fmt: skip
            return original(*args, **kwargs)
        if url not in cache:
            chart_id = url[len(CHART_SCHEME) :]
            fetcher, context = kwargs.get("url_fetcher"), kwargs.get("context")
            cache[url] = _LateChart(
                url, frames[chart_id], lambda: picture(chart_id),
                lambda tree: SVGImage(tree, url, fetcher, context),
            )  # fmt: skip
        return cache[url]

    weasyprint.document.original_get_image_from_uri = get_image_from_uri
    try:
        yield
    finally:
        weasyprint.document.original_get_image_from_uri = original


def _write_options(
    html: str,
    variant: str | None,
    attachments: Sequence[tuple[str, bytes]],
    stamp: date | None,
    fetcher: Any,
) -> dict[str, Any]:
    from weasyprint import Attachment

    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    # PDF/UA-1 tags the document; the PDF/A variants get tags on top of their claim.
    options: dict[str, Any] = {"pdf_identifier": identifier, "pdf_variant": variant or "pdf/ua-1"}
    if variant and variant.startswith("pdf/a"):
        options["pdf_tags"] = True
    if attachments:
        when = datetime.combine(stamp or date(2000, 1, 1), time(0), tzinfo=UTC)
        options["attachments"] = [
            Attachment(
                file_obj=io.BytesIO(data),
                name=name,
                created=when,
                modified=when,
                url_fetcher=fetcher,
                relationship="Data",
            )
            for name, data in attachments
        ]
    return options


def render_pdf(
    html: str,
    base: Path,
    gate: Gate,
    variant: str | None = None,
    attachments: Sequence[tuple[str, bytes]] = (),
    stamp: date | None = None,
    charts: Callable[[str], bytes] | None = None,
    frames: Mapping[str, str] | None = None,
    preflight: str | None = None,
    sources: Sources = (),
) -> RenderedPdf:
    """``attachments``: (file name, bytes) embedded in the PDF, dated ``stamp``;
    ``charts``: the SVG of a chart by id, for the chart URLs of the HTML.
    ``frames``: for charts still being drawn, an empty SVG of each one's size
    (``ChartAsset.frame``): the layout then asks ``charts`` for a picture only
    when it paints it, not when it reaches it. ``preflight``: the document's
    name, to inspect its laid-out pages (``RenderedPdf.findings``).
    ``sources``: the narrative files of the page with their HTML, to name the
    one a failure comes from (``failures_raised``)."""
    from weasyprint import HTML

    fetcher = _fetcher(gate, charts)
    base_url = base.resolve().as_uri() + "/"
    with failures_raised("the PDF could not be made", sources, base_url), collector_paused():
        page = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        with _late_charts(frames or {}, charts) if charts is not None else nullcontext():
            document = page.render()
        findings = tuple(examine(document.pages, preflight)) if preflight else ()
        data = document.write_pdf(**_write_options(html, variant, attachments, stamp, fetcher))
    return RenderedPdf(data, len(document.pages), findings)
