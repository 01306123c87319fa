"""A narrative section's excerpt: the paragraph a summary quotes, with the
footnotes it refers to.

Pure: made from the section's parsed Markdown tokens (``narrative_html``), once,
when the section is rendered; the handout's summaries show it
(``page_context._summaries``). A quote without its notes would point at anchors
its page does not have, which WeasyPrint refuses ("No anchor #fn-...").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown_it.token import Token

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# A summary's quote is "real" from this many characters: a salutation ("Dear
# members,") says nothing.
EXCERPT_CHARS = 80
# The most characters a quote keeps: a summary is a glance, and a paragraph of
# 60 KB quoted whole in the handout's columns made WeasyPrint balance them for
# many minutes (found by tests/test_property.py). A longer paragraph is cut at
# a word, with an ellipsis; the notes it no longer cites are not carried.
EXCERPT_MAX = 900


def excerpt(tokens: list[Token], md: MarkdownIt, slug: str) -> str:
    """The section's first top-level paragraph of at least ``EXCERPT_CHARS``
    characters (else its first), as safe HTML, followed by the footnotes it
    references: numbered from 1 in the order the quote refers to them, under
    ids of their own (``fn-<slug>_excerpt-1``: a slug never holds ``_``), so
    that the quote and the whole section can share a page. A quote without
    its notes would point at anchors its page does not have."""
    paragraphs: list[int] = []
    depth = 0
    for index, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            break
        if token.type == "paragraph_open" and depth == 0:
            paragraphs.append(index)
        depth += token.nesting
    if not paragraphs:
        return ""

    def chars(index: int) -> int:
        children = tokens[index + 1].children or []
        return sum(len(c.content) for c in children if c.type in ("text", "code_inline"))

    start = next((i for i in paragraphs if chars(i) >= EXCERPT_CHARS), paragraphs[0])
    numbers: dict[int, int] = {}  # the section's footnote id -> the quote's
    order: list[int] = []  # the section's ids in the quote's order (grows as notes cite notes)
    counts: dict[int, int] = {}

    def renumbered(stream: list[Token]) -> list[Token]:
        out = []
        for token in stream:
            if token.type == "footnote_anchor":
                continue  # back-links: the quote's notes are read where they stand
            if token.type == "footnote_ref":
                if token.meta["id"] not in numbers:
                    order.append(token.meta["id"])
                new = numbers.setdefault(token.meta["id"], len(numbers))
                counts[new] = counts.get(new, -1) + 1
                token = token.copy(meta={**token.meta, "id": new, "subId": counts[new]})
            elif token.children:
                token = token.copy(children=renumbered(token.children))
            out.append(token)
        return out

    opening, inline, closing = tokens[start : start + 3]
    quote = renumbered([opening, inline.copy(children=_shortened(inline.children or [])), closing])
    notes = _footnotes(tokens)
    block: list[Token] = []
    for original in order:  # grows while the notes are copied: a note may cite another
        if original not in notes:
            continue
        first, *rest = notes[original]
        block += [first.copy(meta={**first.meta, "id": numbers[original]}), *renumbered(rest)]
    if block:
        block = [Token("footnote_block_open", "", 1), *block,
                 Token("footnote_block_close", "", -1)]  # fmt: skip
    env = {"docId": f"{slug}_excerpt"}
    return str(md.renderer.render(quote + block, md.options, env))


def _footnotes(tokens: list[Token]) -> dict[int, list[Token]]:
    """Each footnote's tokens (``footnote_open`` to ``footnote_close``), by id."""
    notes: dict[int, list[Token]] = {}
    current: list[Token] | None = None
    for token in tokens:
        if token.type == "footnote_open":
            current = notes.setdefault(token.meta["id"], [])
        if current is not None:
            current.append(token)
        if token.type == "footnote_close":
            current = None
    return notes


def _shortened(children: list[Token]) -> list[Token]:
    """An inline's children up to ``EXCERPT_MAX`` characters of text, cut at a
    word with an ellipsis, and every element still open closed again."""
    out: list[Token] = []
    used = 0
    opened: list[Token] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            room = EXCERPT_MAX - used
            if len(child.content) > room:
                cut = child.content[:room]
                space = cut.rfind(" ")
                if space > room // 2:
                    cut = cut[:space]
                out.append(child.copy(content=cut.rstrip() + "\u2026"))
                for element in reversed(opened):
                    kind = element.type.removesuffix("_open") + "_close"
                    out.append(Token(kind, element.tag, -1, markup=element.markup))
                return out
            used += len(child.content)
        if child.nesting == 1:
            opened.append(child)
        elif child.nesting == -1 and opened:
            opened.pop()
        out.append(child)
    return out
