"""Narrative Markdown to safe HTML, with its links checked.

CommonMark with tables and footnotes (markdown-it-py). Raw HTML is escaped,
never rendered. Headings move down one level (the report owns ``h1``) and the
first heading becomes the section title unless the front matter gives one.
Every link and image must stay inside the report folder or be an http(s)
URL; local targets are rewritten relative to the report folder, where the
sandboxed fetcher serves them from.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from reportgen.diagnostics import Diagnostics, Location, did_you_mean
from reportgen.model import EDITIONS, LANGUAGES, PUBLIC, NarrativeSection
from reportgen.readers.narrative import RawNarrative
from reportgen.schema import VISIBILITY

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

FRONT_KEYS = ("title", "editions", "visibility")
SAFE_SCHEMES = ("http", "https", "mailto")


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable("table").use(footnote_plugin)
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # we check links ourselves
    md.add_render_rule("image", _render_image)
    return md


def _render_image(self: object, tokens: list[Token], idx: int, options: object, env: object) -> str:
    """Local images as ``<img>``; remote ones as a link, never fetched."""
    from markdown_it.common.utils import escapeHtml

    token = tokens[idx]
    src = str(token.attrs.get("src", ""))
    alt = escapeHtml("".join(c.content for c in token.children or []))
    if urlsplit(src).scheme:
        return f'<a class="remote-image" href="{escapeHtml(src)}">{alt or escapeHtml(src)}</a>'
    title = token.attrs.get("title")
    title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
    return f'<img src="{escapeHtml(src)}" alt="{alt}"{title_attr}>'


def section_slug(path: Path) -> tuple[str, str | None]:
    """``02-overview.ja.md`` -> (``overview``, ``ja``)."""
    stem = path.name[: -len(".md")]
    language = None
    base, dot, suffix = stem.rpartition(".")
    if dot and suffix in LANGUAGES:
        stem, language = base, suffix
    slug = re.sub(r"^[0-9]+[-_ .]*", "", stem) or stem
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", slug).strip("-").lower() or "section"
    return slug, language


def render_narrative(raw: RawNarrative, root: Path, diags: Diagnostics) -> NarrativeSection | None:
    before = len(diags.errors)
    front = _check_front(raw, diags)
    slug, language = section_slug(raw.path)
    md = _parser()
    env = {"docId": slug}
    tokens = md.parse(raw.body, env)
    title = front.get("title") or _take_first_heading(tokens)
    if not title:
        title = slug.replace("-", " ").capitalize()
        diags.warning(
            Location(raw.path, raw.body_line),
            "the narrative has no title: add a '# Heading' or 'title:' front matter",
        )
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
        if token.type == "inline" and token.children:
            line = raw.body_line + (token.map[0] if token.map else 0)
            for child in token.children:
                _check_link(child, raw.path, root, line, diags)
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
    for number, text in enumerate(raw.body.split("\n")):
        if text.lstrip().startswith("TODO:"):
            diags.warning(
                Location(raw.path, raw.body_line + number),
                "still holds a 'TODO:' prompt from reportgen new: replace it with the text",
            )
    if len(diags.errors) > before:
        return None
    html = md.renderer.render(tokens, md.options, env)
    return NarrativeSection(
        slug=slug,
        title=str(title),
        html=html,
        source=raw.path,
        editions=tuple(str(e) for e in front.get("editions", EDITIONS)),  # type: ignore[attr-defined]
        visibility=str(front.get("visibility", PUBLIC)),
        language=language,
    )


def _check_front(raw: RawNarrative, diags: Diagnostics) -> dict[str, object]:
    front = dict(raw.front)
    where = Location(raw.path, raw.front_line)
    for key in list(front):
        if key not in FRONT_KEYS:
            diags.warning(where, f"unknown front matter key '{key}'{did_you_mean(key, FRONT_KEYS)}")
            del front[key]
    if "title" in front and not (isinstance(front["title"], str) and front["title"].strip()):
        diags.error(where, "front matter 'title' must be a non-empty string")
        del front["title"]
    if "visibility" in front and front["visibility"] not in VISIBILITY:
        diags.error(
            where,
            f"front matter 'visibility': {front['visibility']!r} is not one of public, internal"
            + did_you_mean(str(front["visibility"]), VISIBILITY),
        )
    if "editions" in front:
        value = front["editions"]
        items = value if isinstance(value, list) else [value]
        for item in items:
            if item not in EDITIONS:
                diags.error(
                    where,
                    f"front matter 'editions': {item!r} is not one of {', '.join(EDITIONS)}"
                    + did_you_mean(str(item), EDITIONS),
                )
        front["editions"] = [i for i in items if i in EDITIONS]
    return front


def _take_first_heading(tokens: list[Token]) -> str | None:
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[i + 1]
            # The plain text of the heading: emphasis and code marks are not part of it.
            title = "".join(
                c.content for c in inline.children or [] if c.type in ("text", "code_inline")
            ).strip()
            del tokens[i : i + 3]
            return title or None
    return None


def _check_link(token: Token, source: Path, root: Path, line: int, diags: Diagnostics) -> None:
    attr = {"link_open": "href", "image": "src"}.get(token.type)
    if attr is None:
        return
    url = str(token.attrs.get(attr, ""))
    what = "image" if token.type == "image" else "link"
    if not url or url.startswith("#"):
        return
    parts = urlsplit(url)
    if parts.scheme:
        if parts.scheme.lower() in SAFE_SCHEMES and (what == "link" or parts.scheme != "mailto"):
            return  # a remote image is rendered as a link (see _render_image)
        diags.error(
            Location(source, line),
            f"{what} '{url}' is not allowed: use a file inside the report folder or an http(s) URL",
        )
        return
    if parts.netloc:
        diags.error(Location(source, line), f"{what} '{url}' points to another host")
        return
    target = _resolve_local(unquote(parts.path), source.parent, root)
    if isinstance(target, str):
        diags.error(Location(source, line), f"{what} '{url}' {target}")
        return
    rel = target.relative_to(root.resolve()).as_posix()
    token.attrs[attr] = rel + (f"#{parts.fragment}" if parts.fragment else "")


def _resolve_local(path: str, here: Path, root: Path) -> Path | str:
    """The file a relative link names, inside ``root``; else why not, as text."""
    if path.startswith("/"):
        return "must be relative to the report folder"
    real_root = root.resolve()
    inside = False
    for base in (here, root):
        resolved = Path(os.path.normpath(base / path)).resolve()
        if not resolved.is_relative_to(real_root):
            continue
        inside = True
        if resolved.is_file():
            return resolved
    return "not found in the report folder" if inside else "leaves the report folder"
