"""HTML for print to PDF bytes with WeasyPrint, every URL through our sandbox.

Reproducible: the metadata dates come from the document's own
``dcterms.created`` (set from the input), the PDF identifier is derived from
the HTML, and nothing depends on the clock.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from reportgen.fetch import RefusedResource, Sandbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def _fetcher(sandbox: Sandbox, charts: Callable[[str], bytes] | None = None) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from reportgen.charts import CHART_SCHEME

    class SandboxedFetcher(URLFetcher):  # type: ignore[misc]
        """Serves data: URLs, files inside the sandbox and the report's own
        charts (which may still be being drawn: ``charts`` waits); refuses the rest."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith(CHART_SCHEME) and charts is not None:
                return URLFetcherResponse(
                    url, body=charts(url[len(CHART_SCHEME) :]),
                    headers={"Content-Type": "image/svg+xml"},
                )  # fmt: skip
            try:
                resource = sandbox.fetch(url)
            except RefusedResource as exc:
                log.info("refused %s", exc)
                raise ValueError(str(exc)) from None
            return URLFetcherResponse(
                url, body=resource.data, headers={"Content-Type": resource.mime_type}
            )

    return SandboxedFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def render_pdf(
    html: str,
    base: Path,
    sandbox: Sandbox,
    variant: str | None = None,
    attachments: Sequence[tuple[str, bytes]] = (),
    stamp: date | None = None,
    charts: Callable[[str], bytes] | None = None,
) -> RenderedPdf:
    """``attachments``: (file name, bytes) embedded in the PDF, dated ``stamp``;
    ``charts``: the SVG of a chart by id, for the chart URLs of the HTML."""
    from weasyprint import HTML, Attachment

    fetcher = _fetcher(sandbox, charts)
    document = HTML(
        string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=fetcher
    ).render()
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
    data = document.write_pdf(**options)
    return RenderedPdf(data, len(document.pages))
