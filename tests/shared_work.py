"""The same work done once per test run: page layouts and chart drawings that
one test has made are handed to another that asks for exactly the same.

Many tests build the sample year with a change that reaches some documents
and not others (a narrative file, a setting, a theme); the documents the
change does not reach are laid out again byte for byte as another test
already laid them out. Here, while the tests run, reportgen's two costly pure
steps are looked up before they run:

- ``reportgen.typesetting.pdf.render_pdf`` (WeasyPrint's layout and PDF writing, and the
  preflight's findings), keyed by the HTML, every option, the SVG of every
  chart the HTML names, and then by what the gate gives today for each URL
  the page fetched when it was made (its pictures, style sheets and fonts:
  the same page beside another logo, or beside a picture the gate now
  refuses, is another key; the gate checks each again for real);
- ``reportgen.composing.charts.draw_charts`` (matplotlib), keyed by the figures, the
  style and the report's own words for the language.

Both keys also hold reportgen's code and templates and the logging levels in
force; the log lines a step wrote are written again when its result is
handed on. Results are kept in the run's temporary folder (one store for all
xdist processes, each entry written by a rename, so never read half written)
in the build cache's data format (``reportgen.writing.cache_format``), never pickle. A step
that raises is never kept, so failures always happen for real.

The shared builds of the sample and the set (``built_sample``,
``built_set`` in ``tests/conftest.py``) and the tests marked ``fresh``
(whose claim is the making itself: two makings give the same bytes) make
everything for real, in their own processes, and keep it for others;
``built_english`` shares what ``built_sample`` made. Not
shared at all: builds in subprocesses (the command line, ``serve``). Tests
that import ``render_pdf`` or ``draw_charts`` by name bound them before this
was installed, and so call the real ones.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

# REPORTGEN_SHARED_WORK=off: nothing shared; =check: each result handed on is
# also made, and the run fails where the two differ (bytes or log lines).
MODE = os.environ.get("REPORTGEN_SHARED_WORK", "on")
# "share": look up, else make and keep; "keep": make and keep (the shared
# builds, ``fresh`` tests: their makings are real, and others may use them);
# "off": make only.
_state: dict[str, Any] = {"mode": "off" if MODE == "off" else "share", "made": 0, "shared": 0}


def _code() -> bytes:
    import reportgen
    from reportgen.typesetting.templating import templates_dir
    from reportgen.writing.cache import tree_digest

    return str(tree_digest([Path(reportgen.__file__).parent, templates_dir()])).encode()


def _levels() -> str:
    """The logging levels in force: a lookup made while a test listens more
    closely (``caplog.at_level``) is its own key, so it gets every line."""
    known = logging.root.manager.loggerDict.items()
    return repr((logging.root.level, sorted(
        (name, logger.level) for name, logger in known
        if isinstance(logger, logging.Logger) and logger.level
    )))  # fmt: skip


class _Store:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.code = _code()

    def key(self, *parts: object) -> str:
        from reportgen.writing.cache import stable_repr

        hasher = hashlib.sha256(self.code)
        for part in (*parts, _levels()):
            data = part if isinstance(part, bytes) else stable_repr(part).encode("utf-8")
            hasher.update(len(data).to_bytes(8, "big") + data)
        return hasher.hexdigest()

    def get(self, key: str) -> Any | None:
        from reportgen.writing.cache_format import decode

        try:
            data = (self.folder / key).read_bytes()
        except FileNotFoundError:
            return None
        return decode(data)

    def put(self, key: str, value: object) -> None:
        from reportgen.writing.cache_format import encode

        data = encode(value)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, self.folder / key)


def _replay(lines: Any) -> None:
    for name, level, message in lines:
        logger = logging.getLogger(name)
        if logger.isEnabledFor(level):
            logger.handle(logger.makeRecord(name, level, "(shared)", 0, message, (), None))


def _recorded(make: Callable[[], Any]) -> tuple[Any, tuple[tuple[str, int, str], ...]]:
    """``make()``, and the log lines it wrote in this thread."""
    lines: list[tuple[str, int, str]] = []
    thread = threading.get_ident()

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.thread == thread:
                lines.append((record.name, record.levelno, record.getMessage()))

    keep = Keep()
    logging.root.addHandler(keep)
    try:
        value = make()
    finally:
        logging.root.removeHandler(keep)
    return value, tuple(lines)


def _handed_on(found: Any, make: Callable[[], Any], what: str) -> Any:
    """A stored (value, log lines): its lines written again, its value
    returned; in ``check`` mode, made as well and compared."""
    from reportgen.writing.cache_format import encode

    value, lines = found
    if MODE == "check":
        again, written = _recorded(make)
        if encode(again) != encode(value) or written != tuple(lines):
            raise AssertionError(f"shared work differs from a making of it: {what}")
    else:
        _replay(lines)
    _state["shared"] += 1
    return value


def _once(store: _Store, key: str, make: Callable[[], Any], what: str) -> Any:
    """``make()``'s value, made here or by an earlier identical call; its log
    lines written either way."""
    found = store.get(key) if _state["mode"] == "share" else None
    if found is not None:
        return _handed_on(found, make, what)
    value, lines = _recorded(make)
    store.put(key, (value, lines))
    _state["made"] += 1
    return value


_CHART_URL = re.compile(r"reportgen-chart:([A-Za-z0-9_-]+)")
_fetches = threading.local()  # the URLs the gate is asked for while a render is recorded


def _recording_fetch(real: Callable[..., Any]) -> Callable[..., Any]:
    def fetch(gate: Any, url: str, base: Path | None = None) -> Any:
        seen = getattr(_fetches, "urls", None)
        if seen is not None and base is None and not url.startswith("data:"):
            seen.append(url)  # data: URLs are in the page itself, so in the key
        return real(gate, url, base)

    return fetch


_LINK = re.compile(r"""\bhref\s*=\s*["']([^"']*)["']""")  # also SVG's xlink:href
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _placed(text: str) -> bool:
    """Whether a page or picture names a file relative to where it is: the
    PDF then holds that place (a link's target is written as a full path)."""
    return any(v and not v.startswith("#") and not _SCHEME.match(v) for v in _LINK.findall(text))


def _outcome(gate: Any, url: str) -> tuple[str, bool]:
    """What the gate gives for ``url`` now, as a digest (or why it refuses),
    and whether the PDF holds the picture's place: WeasyPrint names a raster
    picture by its URL, and an SVG's relative links become full paths."""
    root = Path(gate.root).as_uri() + "/"
    try:
        resource = gate.fetch(url)
    except Exception as exc:  # a refusal is an outcome like any other
        return f"{type(exc).__name__}: {str(exc).replace(root, '{set}/')}", False
    svg = resource.mime_type == "image/svg+xml"
    placed = not svg or _placed(resource.data.decode("utf-8", "replace"))
    return f"{resource.mime_type} {hashlib.sha256(resource.data).hexdigest()}", placed


def _by_fetches(
    store: _Store, page_of: Callable[[], str | None], html: str, gate: Any,
    make: Callable[[], Any],
) -> Any:  # fmt: skip
    """``make()``'s value for ``html``, keyed ``page_of()`` (None: not kept):
    looked up by what the gate gives today for every URL the page fetched
    when it was made (its pictures and style sheets are files: the same page
    beside another logo, or beside a picture the gate now refuses, is another
    key). A page whose PDF holds its place (``_placed``, ``_outcome``) is only
    handed on within the same folder; any other, to any folder with the same
    files. In "keep" mode the key is taken after the making (a layout's
    charts may still be being drawn when it starts)."""
    prefix = Path(gate.root).as_uri() + "/"

    def url(kept: str) -> str:
        return kept.replace("{set}/", prefix, 1) if kept.startswith("{set}/") else kept

    def key(page: str, urls: tuple[str, ...], outcomes: list[tuple[str, bool]]) -> str:
        placed = _placed(html) or any(p for _, p in outcomes)
        return store.key(page, urls, [o for o, _ in outcomes], prefix if placed else "")

    if _state["mode"] == "share":
        page = page_of()
        if page is None:
            return make()
        # Each list of URLs a making of this page fetched; then whether,
        # fetched again now, they give the same files: that making's value.
        for urls in store.get(page) or ((),):
            found = store.get(key(page, urls, [_outcome(gate, url(u)) for u in urls]))
            if found is not None:
                return _handed_on(found, make, f"{page} in {prefix}")
    _fetches.urls = []
    try:
        value, lines = _recorded(make)
    finally:
        fetched, _fetches.urls = _fetches.urls, None
    kept = page_of()
    if kept is None:
        return value
    urls = tuple(dict.fromkeys(
        u.replace(prefix, "{set}/", 1) if u.startswith(prefix) else u for u in fetched
    ))  # fmt: skip
    store.put(key(kept, urls, [_outcome(gate, url(u)) for u in urls]), (value, lines))
    _state["made"] += 1
    known = tuple(store.get(kept) or ())
    if urls not in known:
        store.put(kept, (*known, urls))
    return value


def _shared_render_pdf(store: _Store, real: Callable[..., Any]) -> Callable[..., Any]:
    from reportgen.typesetting.pdf import RenderedPdf

    def render_pdf(html: str, base: Path, gate: Any, variant: str | None = None,
                   attachments: Any = (), stamp: Any = None, charts: Any = None,
                   frames: Any = None, preflight: str | None = None,
                   sources: Any = ()) -> Any:  # fmt: skip
        # ``sources`` only name the file a failure comes from: never in the key.
        def make() -> Any:
            return real(html, base, gate, variant, attachments, stamp, charts, frames, preflight,
                        sources)  # fmt: skip

        root, where = Path(gate.root), base.resolve()
        if _state["mode"] == "off" or not where.is_relative_to(root):
            return make()

        def page_of() -> str | None:
            # Charts still being drawn in another process (``frames``) are
            # waited for when looking up: the key holds them.
            ids = sorted(set(_CHART_URL.findall(html))) if charts else []
            try:
                pictures = [(i, hashlib.sha256(charts(i)).hexdigest()) for i in ids]
            except Exception:  # a picture that fails fails the render: for real
                return None
            return store.key(
                "render_pdf", html.encode("utf-8"), str(where.relative_to(root)),
                [str(t) for t in gate.trusted], variant,
                [(name, hashlib.sha256(data).hexdigest()) for name, data in attachments],
                stamp, pictures, preflight,
            )  # fmt: skip

        def made() -> tuple[bytes, int, tuple[object, ...]]:
            rendered = make()
            return rendered.data, rendered.pages, tuple(rendered.findings)

        data, pages, findings = _by_fetches(store, page_of, html, gate, made)
        return RenderedPdf(data, pages, tuple(findings))

    return render_pdf


def _shared_render_batch(store: _Store, real: Callable[..., Any]) -> Callable[..., Any]:
    from reportgen.core.file_gate import Gate
    from reportgen.typesetting.letters import letter_html
    from reportgen.typesetting.templating import template

    def letters_html(letters: Any, css: str) -> str:
        """Every letter's own document and the stylesheet they share."""
        fill = template("letter.html.j2", letters[0].theme_dir)
        return css + "".join(letter_html(fill, letter, "") for letter in letters)

    def render_batch(letters: Any, css: str, base: Path, bodies: Any, created: Any,
                     write: Callable[[str, bytes], None], findings: Any = None) -> int:  # fmt: skip
        if _state["mode"] == "off" or not letters:
            return int(real(letters, css, base, bodies, created, write, findings))
        gate, html = Gate.of(base), letters_html(letters, css)
        page: str | None = store.key(
            "render_batch", html.encode("utf-8"), letters,
            str(base.resolve().relative_to(gate.root)) if base.resolve() != gate.root else "",
            hashlib.sha256(repr(bodies).encode()).hexdigest(), created, findings is not None,
        )  # fmt: skip

        def made() -> tuple[dict[str, bytes], tuple[object, ...]]:
            files: dict[str, bytes] = {}
            found: list[object] = []
            real(letters, css, base, bodies, created, files.__setitem__,
                 found if findings is not None else None)  # fmt: skip
            return files, tuple(found)

        files, found = _by_fetches(store, lambda: page, html, gate, made)
        for name, data in files.items():
            write(name, data)
        if findings is not None:
            findings.extend(found)
        return len(letters)

    return render_batch


def _shared_draw_charts(store: _Store, real: Callable[..., Any]) -> Callable[..., Any]:
    def draw_charts(figures: Any, history: Any, style: Any) -> Any:
        if _state["mode"] == "off" or not style.draw:
            return real(figures, history, style)
        words = getattr(style.language, "labels", ())
        key = store.key("draw_charts", figures, tuple(history), style, str(style.language), words)
        what = f"charts of {figures.fiscal_year} in {style.language!r}"
        return dict(_once(store, key, lambda: real(figures, history, style), what))

    return draw_charts


@contextmanager
def installed(folder: Path) -> Iterator[None]:
    """Share renders and drawings through ``folder`` while the tests run."""
    import pytest

    import reportgen.composing.charts
    import reportgen.core.file_gate
    import reportgen.typesetting.letters
    import reportgen.typesetting.pdf

    # The one level reportgen sets as it draws (charts._draw_svg), set before
    # the first key: otherwise a process's first drawing has keys of its own.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    store = _Store(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            reportgen.core.file_gate.Gate,
            "fetch",
            _recording_fetch(reportgen.core.file_gate.Gate.fetch),
        )
        patch.setattr(reportgen.typesetting.pdf, "render_pdf",
                      _shared_render_pdf(store, reportgen.typesetting.pdf.render_pdf))  # fmt: skip
        letters, charts = reportgen.typesetting.letters, reportgen.composing.charts
        patch.setattr(letters, "render_batch", _shared_render_batch(store, letters.render_batch))
        patch.setattr(charts, "draw_charts", _shared_draw_charts(store, charts.draw_charts))
        yield


@contextmanager
def _mode(mode: str) -> Iterator[None]:
    before = _state["mode"]
    _state["mode"] = "off" if before == "off" else mode
    try:
        yield
    finally:
        _state["mode"] = before


def keeping() -> AbstractContextManager[None]:
    """Everything made for real, and kept for others to share (the shared
    builds, and ``fresh`` tests)."""
    return _mode("keep")


def off() -> AbstractContextManager[None]:
    """Everything made for real, nothing kept."""
    return _mode("off")


def counts() -> tuple[int, int]:
    """(made, shared) in this process so far."""
    return _state["made"], _state["shared"]
