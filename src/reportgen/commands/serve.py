"""``reportgen serve``: a live preview of a year's HTML edition.

A small HTTP server bound to 127.0.0.1 only, answering only requests that
name it (``Host: 127.0.0.1:<port>`` or ``localhost:<port>``), so a web page
that rebinds its own host name to 127.0.0.1 cannot read the report. A file
watcher (watchfiles) on the year folder, the shared organization.toml, the
earlier years and the templates rebuilds the preview on every save; the open
page listens on a server-sent-event stream and shows each new build when it
is ready: a new body in place of the old when the page's head is the same
(a narrative edit), else a reload. When the input is invalid, the page shows
the validation messages instead; the next good save brings the report back.
PDFs are rendered on request. Every render, preview or PDF, runs one at a
time in a forked process that dies with the server: its memory goes back to
the system when it ends, and matplotlib's and WeasyPrint's state is never
shared between two renders. What renders pass on is data, in a cache folder of the
server's own (``Preview.kept``, the build's cache format): the figures and
charts, which an edit to the narrative leaves as they were, are drawn once
and read back by each later render until the data they show changes. The
earlier years of the set, which an edit to the previewed year leaves as they
were, are read once in the server's own process (``Preview.earlier``) and
reach each render through the fork, until a file they are read from changes.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import html
import importlib
import json
import logging
import os
import selectors
import signal
import sys
import tempfile
import threading
import time
from base64 import b64encode
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal, NoReturn

from reportgen.commands.build import Loads, earlier_loads, load_with_history
from reportgen.commands.build_documents import analysis_of
from reportgen.composing.edition_view import year_as_seen_by
from reportgen.core import messages as M
from reportgen.core.diagnostics import Diagnostic, Diagnostics, summarise
from reportgen.core.editions import DOCUMENTS as EDITIONS  # one PDF each (not the receipts)
from reportgen.core.errors import InvalidInput
from reportgen.core.process_pool import become_child, imports_settled
from reportgen.reading.year_folders import earlier_years
from reportgen.typesetting import edition_render
from reportgen.typesetting.html_pages import POLICY_META
from reportgen.typesetting.templating import compiled, templates_dir
from reportgen.writing.cache import Cache, tree_digest
from reportgen.writing.manifest import input_paths

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
# A render that takes longer is stopped: the page says so instead of hanging.
RENDER_SECONDS = 600.0

# The open page learns of each new build from the event stream. It fetches
# the new page and, when its head is the same (the same styles, fonts and
# title: a narrative edit), puts the new body in place of the old one, which
# costs the browser no new document, no stylesheet or font to read again and
# keeps the reader's place; else (an error page, a changed style) it reloads.
# A body parsed by DOMParser runs no script when inserted. The newest build's
# page wins: an answer to an earlier request that comes late is dropped.
LIVE_SCRIPT = """
(function () {{
  var built = "{version}", asked = 0;
  var source = new EventSource("/events");
  source.onmessage = function (event) {{
    if (event.data === built) return;
    var wanted = event.data, number = ++asked;
    fetch("/", {{cache: "no-store"}}).then(function (answer) {{
      if (!answer.ok) throw new Error(answer.status);
      return answer.text();
    }}).then(function (text) {{
      if (number !== asked) return;
      var next = new DOMParser().parseFromString(text, "text/html");
      var root = document.documentElement, other = next.documentElement;
      if (next.head.innerHTML !== document.head.innerHTML ||
          other.getAttribute("lang") !== root.getAttribute("lang") ||
          other.getAttribute("dir") !== root.getAttribute("dir")) {{
        location.reload();
        return;
      }}
      document.body.replaceWith(document.adoptNode(next.body));
      built = wanted;
    }}).catch(function () {{ location.reload(); }});
  }};
}})();
"""

LIVE = """
<div class="reportgen-preview" style="position:fixed;right:0.75rem;bottom:0.75rem;z-index:99;
 background:#1d2430;color:#fff;font:13px/1.4 sans-serif;padding:0.45rem 0.75rem;
 border-radius:0.4rem;box-shadow:0 2px 8px rgba(0,0,0,.25)">
 {preview} · PDF: {links}</div>
<script>{script}</script>
"""

ERROR_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>reportgen: {title}</title>
<style>
body {{ font: 16px/1.5 sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
body {{ color: #1d2430; }}
h1 {{ font-size: 1.5rem; color: #a33; }}
li {{ font-family: monospace; margin: .35rem 0; white-space: pre-wrap; }}
</style>
</head><body><main><h1>{title}</h1><p>{hint}</p><ul>{items}</ul></main></body></html>
"""

# The report's HTML is self-contained (styles inline, images as data: URIs)
# and runs no script of its own; the one script allowed is the reload script,
# by its hash. Nothing may frame the page, post a form or load from elsewhere.
POLICY = (
    "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
    "script-src {script}; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Outcome:
    """What one render gave: the document, the input's problems, or why it failed."""

    kind: Literal["document", "problems", "failure"]
    body: bytes = b""
    lines: tuple[str, ...] = ()

    def encode(self) -> bytes:
        header = json.dumps({"kind": self.kind, "lines": list(self.lines)})
        return header.encode("utf-8") + b"\n" + self.body

    @classmethod
    def decode(cls, data: bytes) -> Outcome:
        header, _, body = data.partition(b"\n")
        fields = json.loads(header)
        return cls(fields["kind"], body, tuple(fields["lines"]))


def one_line(exc: BaseException) -> str:
    """``Type: message`` on one line (matplotlib's messages span several)."""
    message = " ".join(str(exc).split())
    if len(message) > 300:
        message = message[:299] + "…"
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _located(diagnostics: Iterable[Diagnostic]) -> tuple[str, ...]:
    return tuple(summarise(diagnostics, Path.cwd()))


def render(
    year_dir: Path, edition: str, pdf: bool, kept: Path | None = None, read: Loads | None = None
) -> Outcome:
    """Load the year and render one edition as PDF or HTML, whatever happens.
    ``kept``: a cache folder for the figures and charts (pandas and matplotlib,
    most of a render of the HTML), kept from one render to the next while the
    data they are drawn from is unchanged (an edit to the narrative).
    ``read``: the year's earlier years, already read (``Preview.earlier``)."""
    diags = Diagnostics()
    try:
        year, history = load_with_history(year_dir, diags, read)
        if year is None or diags.has_errors:
            return Outcome("problems", lines=_located(diags.sorted()))
        language = year.config.languages[0]
        seen = year_as_seen_by(year, edition, language)
        earlier = [year_as_seen_by(y, edition, language) for y in history]
        analysis = analysis_of(Cache(kept), seen, earlier, language)
        files = edition_render.edition_files(
            seen, edition, language, analysis, pdf=pdf, html=not pdf
        )
        return Outcome("document", body=files[f"{edition}.{'pdf' if pdf else 'html'}"][0])
    except InvalidInput as exc:  # a gate met a problem only rendering finds
        return Outcome("problems", lines=_located(exc.diagnostics))
    except Exception as exc:  # the page says what broke; --debug shows where
        log.debug("render of %s failed", edition, exc_info=True)
        return Outcome("failure", lines=(one_line(exc),))


def _child(work: Callable[[], Outcome], pipe: int, parent: int) -> NoReturn:
    code = 1
    try:
        # Dies with the server. The kernel's "parent" is the thread that
        # forked, so that thread waits for the child (``in_child`` does).
        become_child(parent)
        # Ctrl-C reaches the whole terminal's process group: end quietly.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _fresh_streams()
        data = work().encode()
        view = memoryview(data)
        while view:
            view = view[os.write(pipe, view) :]
        code = 0
    finally:  # never back into the server's code: no handlers, no atexit
        os._exit(code)


def _fresh_streams() -> None:
    """New stdout and stderr objects in a forked child. Another thread of the
    server may have been writing to stderr at the instant of the fork; the
    child then inherits that stream's buffer lock held by a thread that does
    not exist there, and its first warning would wait forever."""
    fresh = {
        id(sys.stdout): os.fdopen(os.dup(1), "w", buffering=1, errors="replace"),
        id(sys.stderr): os.fdopen(os.dup(2), "w", buffering=1, errors="replace"),
    }
    for handler in [*logging.getLogger().handlers, *logging.getLogger("reportgen").handlers]:
        stream = getattr(handler, "stream", None)
        if stream is not None and id(stream) in fresh:
            handler.stream = fresh[id(stream)]  # type: ignore[attr-defined]  # not setStream: it flushes
    sys.stdout, sys.stderr = fresh[id(sys.stdout)], fresh[id(sys.stderr)]


def _read_until_eof(pipe: int, deadline: float) -> bytes | None:
    """Everything the child wrote, or None when the deadline passed first."""
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(pipe, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                return None
            chunk = os.read(pipe, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def in_child(work: Callable[[], Outcome], timeout: float = RENDER_SECONDS) -> Outcome:
    """Run ``work`` in a forked process and bring its outcome back.

    The process ends with the render, so whatever it allocated is returned
    to the system, and it dies with the server. Where fork is missing, the
    work runs here."""
    if not hasattr(os, "fork"):
        return work()
    parent = os.getpid()
    read_end, write_end = os.pipe()
    imports_settled()  # a request's thread may be importing
    try:
        pid = os.fork()
    except OSError as exc:  # out of processes or memory: a failure the page reports
        os.close(read_end)
        os.close(write_end)
        return Outcome("failure", lines=(f"cannot start a render process: {exc.strerror}",))
    if pid == 0:
        os.close(read_end)
        _child(work, write_end, parent)
    os.close(write_end)
    try:
        data = _read_until_eof(read_end, time.monotonic() + timeout)
    finally:
        os.close(read_end)
    if data is None:
        os.kill(pid, signal.SIGKILL)
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    if data is None:
        return Outcome("failure", lines=(M.say(M.SERVE_TOO_LONG(seconds=timeout)),))
    if code != 0:
        how = M.SERVE_SIGNAL(number=-code) if code < 0 else M.SERVE_EXIT_STATUS(number=code)
        return Outcome("failure", lines=(M.say(M.SERVE_PROCESS_ENDED(how=how)),))
    return Outcome.decode(data)


def problems_page(lines: Iterable[str], hint: str) -> str:
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    return ERROR_PAGE.format(lang=M.user_language(), title=M.say(M.SERVE_PROBLEMS_TITLE()),
                             hint=M.say(hint), items=items)  # fmt: skip


def failure_page(title: str, reason: str) -> str:
    return ERROR_PAGE.format(
        lang=M.user_language(),
        title=M.say(title),
        hint=M.say(M.SERVE_INTERNAL_HINT()),
        items=f"<li>{html.escape(reason)}</li>",
    )


@dataclass
class Preview:
    """The current preview of one year, rebuilt on demand; shared by threads."""

    year_dir: Path
    edition: str = "annual-report"
    version: int = 0
    page: bytes = b""
    policy: str = ""
    ok: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)
    stopping: threading.Event = field(default_factory=threading.Event)
    # One render at a time: a queued request waits its turn, and no thread
    # is ever inside a renderer while another forks.
    rendering: threading.Lock = field(default_factory=threading.Lock)
    # The last PDF of each edition, with the digest of the inputs it was made
    # from: asked again with nothing changed, the same bytes without a render.
    pdfs: dict[str, tuple[str, Outcome]] = field(default_factory=dict)
    # The figures and charts of the last renders (``render``'s ``kept``), a
    # cache folder of the server's own, removed when the server's process ends.
    kept: tempfile.TemporaryDirectory[str] = field(
        default_factory=lambda: tempfile.TemporaryDirectory(prefix="reportgen-preview-")
    )
    # The earlier years of the set, read in this process and handed to each
    # forked render (a fork shares them; nothing is pickled), with the digest
    # of what reading them read (``earlier_inputs``): an edit to this year
    # does not read them again, an edit to anything they read does.
    earlier: tuple[str, Loads] | None = None

    def _earlier(self) -> Loads | None:
        """The earlier years, read again only when what they read changed;
        None (each render reads them itself) if reading them failed here."""
        try:
            digest = tree_digest(earlier_inputs(self.year_dir))
            if self.earlier is None or self.earlier[0] != digest:
                self.earlier = None
                self.earlier = (digest, earlier_loads(self.year_dir))
        except Exception:  # the render reads them and reports what is wrong
            log.debug("the earlier years could not be read ahead", exc_info=True)
            return None
        return self.earlier[1]

    def rebuild(self) -> None:
        with self.rendering:
            charts = Path(self.kept.name)
            earlier = self._earlier()
            outcome = in_child(
                lambda: render(self.year_dir, self.edition, pdf=False, kept=charts, read=earlier)
            )
        if outcome.kind == "document":
            page = outcome.body.decode("utf-8")
        elif outcome.kind == "problems":
            hint = M.SERVE_PROBLEMS_HINT()
            page = problems_page(outcome.lines, hint)
        else:
            log.error("the preview could not be built: %s", outcome.lines[0])
            page = failure_page(M.SERVE_NOT_BUILT(), outcome.lines[0])
        with self.changed:
            self.version += 1
            script = LIVE_SCRIPT.format(version=self.version)
            self.page = self._live(page, script).encode("utf-8")
            digest = b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
            self.policy = POLICY.format(script=f"'sha256-{digest}'")
            self.ok = outcome.kind == "document"
            self.changed.notify_all()

    @staticmethod
    def _live(page: str, script: str) -> str:
        links = " · ".join(
            f'<a style="color:#fff" href="/pdf/{name}.pdf">{name}</a>' for name in EDITIONS
        )
        live = LIVE.format(script=script, links=links, preview=M.say(M.SERVE_PREVIEW_BADGE()))
        # The served page's policy is the response header's (which allows this
        # one script and the change events); the page's own would forbid both.
        page = page.replace(POLICY_META, "", 1)
        return page.replace("</body>", live + "</body>") if "</body>" in page else page + live

    def wait_for_change(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(
                lambda: self.version != seen or self.stopping.is_set(), timeout=timeout
            )
            return self.version

    def pdf(self, edition: str) -> Outcome:
        with self.rendering:
            inputs = inputs_digest(self.year_dir)  # after waiting: what this render reads
            kept = self.pdfs.get(edition)
            if kept is not None and kept[0] == inputs:
                return kept[1]
            charts = Path(self.kept.name)
            earlier = self._earlier()
            outcome = in_child(
                lambda: render(self.year_dir, edition, pdf=True, kept=charts, read=earlier)
            )
            if outcome.kind == "document":
                self.pdfs[edition] = (inputs, outcome)
            return outcome

    def stop(self) -> None:
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()


def allowed_hosts(port: int) -> frozenset[str]:
    """The Host headers that name this server; any other is a foreign page's."""
    names = (HOST, "localhost")
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:  # browsers leave the default port out
        hosts.update(names)
    return frozenset(hosts)


TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"


def _handler(preview: Preview, port: int) -> type[BaseHTTPRequestHandler]:
    hosts = allowed_hosts(port)
    origins = frozenset(f"http://{host}" for host in hosts)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            log.debug("%s - %s", self.address_string(), format % args)

        def end_headers(self) -> None:
            # On every reply, errors included; never any Access-Control-* header.
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
            self.send_header("X-Frame-Options", "DENY")
            super().end_headers()

        def _send(self, status: int, body: bytes, kind: str, policy: str = "") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if policy:
                self.send_header("Content-Security-Policy", policy)
            self.end_headers()
            self.wfile.write(body)

        def _page(self, status: int, page: str) -> None:
            self._send(status, page.encode("utf-8"), HTML, POLICY.format(script="'none'"))

        def _refused(self) -> bool:
            """Refuse a request that does not name this server (DNS rebinding)
            or comes from another site's page; True when refused."""
            host = (self.headers.get("Host") or "").strip().lower()
            if host not in hosts:
                log.debug("refused a request for host %r", host)
                body = f"This server answers only http://{HOST}:{port}/\n".encode()
                self._send(HTTPStatus.MISDIRECTED_REQUEST, body, TEXT)
                return True
            origin = self.headers.get("Origin")
            if origin is not None and origin.strip().lower() not in origins:
                log.debug("refused a request from origin %r", origin)
                self._send(HTTPStatus.FORBIDDEN, b"Requests from other sites are refused.\n", TEXT)
                return True
            return False

        def do_GET(self) -> None:
            try:
                if not self._refused():
                    self._route(self.path.split("?", 1)[0])
            except (BrokenPipeError, ConnectionResetError):
                pass  # the browser went away; nothing to tell it
            except Exception as exc:  # a bug of ours: still a page and one line
                log.error("a request for %r failed: %s", self.path, one_line(exc))
                page = failure_page(M.SERVE_REQUEST_FAILED(), one_line(exc))
                with contextlib.suppress(OSError):
                    self._page(HTTPStatus.INTERNAL_SERVER_ERROR, page)

        def _route(self, path: str) -> None:
            if path == "/":
                with preview.changed:
                    body, policy = preview.page, preview.policy
                self._send(HTTPStatus.OK, body, HTML, policy)
            elif path == "/events":
                self._events()
            elif path.startswith("/pdf/") and path.endswith(".pdf") and path[5:-4] in EDITIONS:
                self._pdf(path[5:-4])
            else:
                self._send(HTTPStatus.NOT_FOUND, b"Not found\n", TEXT)

        def _pdf(self, edition: str) -> None:
            outcome = preview.pdf(edition)
            if outcome.kind == "document":
                self._send(HTTPStatus.OK, outcome.body, "application/pdf")
            elif outcome.kind == "problems":
                hint = M.SERVE_PROBLEMS_PDF_HINT()
                self._page(HTTPStatus.CONFLICT, problems_page(outcome.lines, hint))
            else:
                log.error("%s.pdf could not be rendered: %s", edition, outcome.lines[0])
                page = failure_page(M.SERVE_PDF_FAILED(name=edition), outcome.lines[0])
                self._page(HTTPStatus.INTERNAL_SERVER_ERROR, page)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            seen = -1
            while not preview.stopping.is_set():
                version = preview.wait_for_change(seen, timeout=10)
                if version != seen:
                    self.wfile.write(f"data: {version}\n\n".encode())
                    seen = version
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()

    return Handler


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # a burst of PDF requests waits in line, not refused

    def handle_error(self, request: object, client_address: object) -> None:
        """One log line, not the traceback socketserver would print."""
        exc = sys.exc_info()[1]
        if exc is not None and not isinstance(exc, ConnectionError):
            log.error("a request failed: %s", one_line(exc))


def watched_paths(year_dir: Path) -> list[Path]:
    """What a render of the year reads (``manifest.input_paths``: the years
    of its set, the settings, logo, cover and theme) and the templates."""
    return [*input_paths([year_dir]), templates_dir()]


def earlier_inputs(year_dir: Path) -> list[Path]:
    """What reading the earlier years of the year reads: ``watched_paths`` of
    them but the year's own folder (a file of it that their settings name
    is listed on its own, and stays)."""
    chain = earlier_years(year_dir)
    if not chain:
        return []
    own = year_dir.resolve()
    return [*(p for p in input_paths(chain) if p != own), templates_dir()]


def inputs_digest(year_dir: Path) -> str:
    """The names and bytes of everything a render of the year reads."""
    return tree_digest(watched_paths(year_dir))


def watch(preview: Preview, on_rebuild: object = None) -> None:
    """Rebuild the preview whenever a watched file changes, until stopped."""
    from watchfiles import watch as watch_files

    # A save's changes are taken together once 20 ms pass without another
    # (an editor's write and rename come within a millisecond or two); the
    # longest a burst of them is gathered is 150 ms.
    for _changes in watch_files(
        *watched_paths(preview.year_dir), stop_event=preview.stopping, debounce=150, step=20
    ):
        preview.rebuild()
        if callable(on_rebuild):
            on_rebuild(preview)


# What every render needs, imported once here so each forked render starts warm.
PRELOAD = (
    "matplotlib.figure",
    "matplotlib.backends.backend_svg",
    "weasyprint",
    "reportgen.commands.build",
    "reportgen.typesetting.edition_render",
)


def preload() -> None:
    """Make here, once, what each forked render would otherwise make anew:
    the modules imported and the built-in templates compiled. Then Python's
    collector is told that every object made so far lives as long as the
    server (``gc.freeze``): a render's collections then never walk them,
    which would write to each of them and so copy every page of the
    server's memory the child touches (about 0.06 s of CPU a preview)."""
    for name in PRELOAD:
        importlib.import_module(name)
    compiled()
    gc.collect()
    gc.freeze()


def make_server(preview: Preview, port: int) -> ThreadingHTTPServer:
    server = PreviewServer((HOST, port), BaseHTTPRequestHandler)
    # The handler needs the bound port (port 0 picks one) to know its Host.
    server.RequestHandlerClass = _handler(preview, server.server_address[1])
    return server


def serve(year_dir: Path, port: int, announce: object = print) -> None:
    """Build once, then serve and rebuild on change until Ctrl-C."""
    preload()
    preview = Preview(year_dir)
    preview.rebuild()
    server = make_server(preview, port)
    watcher = threading.Thread(target=watch, args=(preview,), daemon=True)
    watcher.start()
    bound = server.server_address[1]
    try:
        if callable(announce):
            announce(M.SERVING(url=f"http://{HOST}:{bound}/"))
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
        server.server_close()
        watcher.join(timeout=2)
