"""``reportgen serve``: a live preview of a year's HTML edition.

A small HTTP server bound to 127.0.0.1 only. A file watcher (watchfiles) on
the year folder, the shared organization.toml, the earlier years and the
templates rebuilds the preview on every save; the open page listens on a
server-sent-event stream and reloads itself when a new build is ready. When
the input is invalid, the page shows the validation messages instead; the
next good save brings the report back. PDFs are rendered on request.
"""

from __future__ import annotations

import html
import logging
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from reportgen.diagnostics import Diagnostics, summarise
from reportgen.model import EDITIONS

log = logging.getLogger(__name__)

HOST = "127.0.0.1"

LIVE = """
<div class="reportgen-preview" style="position:fixed;right:0.75rem;bottom:0.75rem;z-index:99;
 background:#1d2430;color:#fff;font:13px/1.4 sans-serif;padding:0.45rem 0.75rem;
 border-radius:0.4rem;box-shadow:0 2px 8px rgba(0,0,0,.25)">
 Preview · PDF: {links}</div>
<script>
(function () {{
  var built = "{version}";
  var source = new EventSource("/events");
  source.onmessage = function (event) {{ if (event.data !== built) location.reload(); }};
}})();
</script>
"""

ERROR_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>reportgen: problems to fix</title>
<style>
body {{ font: 16px/1.5 sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
body {{ color: #1d2430; }}
h1 {{ font-size: 1.5rem; color: #a33; }}
li {{ font-family: monospace; margin: .35rem 0; white-space: pre-wrap; }}
</style>
</head><body><main><h1>{title}</h1><p>{hint}</p><ul>{items}</ul></main></body></html>
"""


@dataclass
class Preview:
    """The current preview of one year, rebuilt on demand; shared by threads."""

    year_dir: Path
    edition: str = "annual-report"
    version: int = 0
    page: bytes = b""
    ok: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)
    stopping: threading.Event = field(default_factory=threading.Event)

    def rebuild(self) -> None:
        from reportgen.pipeline import load_with_history
        from reportgen.render import render_edition

        diags = Diagnostics()
        try:
            year, history = load_with_history(self.year_dir, diags)
            if year is None or diags.has_errors:
                page, ok = self._problems(diags), False
            else:
                language = year.config.languages[0]
                files = render_edition(year, history, self.edition, language, pdf=False, html=True)
                page, ok = files[f"{self.edition}.html"][0].decode("utf-8"), True
        except Exception as exc:  # the preview stays up; the page says what broke
            log.exception("preview build failed")
            page, ok = self._failure(exc), False
        with self.changed:
            self.version += 1
            self.page = self._live(page).encode("utf-8")
            self.ok = ok
            self.changed.notify_all()

    def _live(self, page: str) -> str:
        links = " · ".join(
            f'<a style="color:#fff" href="/pdf/{name}.pdf">{name}</a>' for name in EDITIONS
        )
        script = LIVE.format(version=self.version, links=links)
        return page.replace("</body>", script + "</body>") if "</body>" in page else page + script

    def _problems(self, diags: Diagnostics) -> str:
        lines = summarise(diags.sorted(), Path.cwd())
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        return ERROR_PAGE.format(
            title="The report has problems to fix",
            hint="Fix them and save: this page comes back by itself.",
            items=items,
        )

    def _failure(self, exc: Exception) -> str:
        return ERROR_PAGE.format(
            title="The preview could not be built",
            hint="An internal error (run reportgen build with --debug for details):",
            items=f"<li>{html.escape(type(exc).__name__)}: {html.escape(str(exc))}</li>",
        )

    def wait_for_change(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(
                lambda: self.version != seen or self.stopping.is_set(), timeout=timeout
            )
            return self.version

    def pdf(self, edition: str) -> bytes | None:
        from reportgen.pipeline import load_with_history
        from reportgen.render import render_edition

        diags = Diagnostics()
        year, history = load_with_history(self.year_dir, diags)
        if year is None or diags.has_errors:
            return None
        language = year.config.languages[0]
        return render_edition(year, history, edition, language, pdf=True, html=False)[
            f"{edition}.pdf"
        ][0]

    def stop(self) -> None:
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()


def _handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            log.debug("%s - %s", self.address_string(), format % args)

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/":
                with preview.changed:
                    body = preview.page
                self._send(HTTPStatus.OK, body, "text/html; charset=utf-8")
            elif path == "/events":
                self._events()
            elif path.startswith("/pdf/") and path.endswith(".pdf") and path[5:-4] in EDITIONS:
                data = preview.pdf(path[5:-4])
                if data is None:
                    self._send(HTTPStatus.CONFLICT, b"The report has problems: see the preview.",
                               "text/plain; charset=utf-8")  # fmt: skip
                else:
                    self._send(HTTPStatus.OK, data, "application/pdf")
            else:
                self._send(HTTPStatus.NOT_FOUND, b"Not found", "text/plain; charset=utf-8")

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = -1
            try:
                while not preview.stopping.is_set():
                    version = preview.wait_for_change(seen, timeout=10)
                    if version != seen:
                        self.wfile.write(f"data: {version}\n\n".encode())
                        seen = version
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


def watched_paths(year_dir: Path) -> list[Path]:
    from reportgen.project import earlier_years
    from reportgen.templating import templates_dir

    paths = [year_dir, templates_dir(), *earlier_years(year_dir)]
    shared = year_dir.resolve().parent / "organization.toml"
    if shared.is_file():
        paths.append(shared)
    return paths


def watch(preview: Preview, on_rebuild: object = None) -> None:
    """Rebuild the preview whenever a watched file changes, until stopped."""
    from watchfiles import watch as watch_files

    for _changes in watch_files(
        *watched_paths(preview.year_dir), stop_event=preview.stopping, debounce=150, step=50
    ):
        preview.rebuild()
        if callable(on_rebuild):
            on_rebuild(preview)


def make_server(preview: Preview, port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((HOST, port), _handler(preview))
    server.daemon_threads = True
    return server


def serve(year_dir: Path, port: int, announce: object = print) -> None:
    """Build once, then serve and rebuild on change until Ctrl-C."""
    preview = Preview(year_dir)
    preview.rebuild()
    server = make_server(preview, port)
    watcher = threading.Thread(target=watch, args=(preview,), daemon=True)
    watcher.start()
    bound = server.server_address[1]
    try:
        if callable(announce):
            announce(f"Serving http://{HOST}:{bound}/ (Ctrl-C to stop)")
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
        server.server_close()
        watcher.join(timeout=2)
