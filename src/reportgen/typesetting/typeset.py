"""Typesetting of an edition's finished HTML, the last step before a renderer.

Runs on the HTML the templates made (``html_pages.render_html``), for both media,
over the text between tags only (never attributes, styles, scripts, code or
inline SVG). It curls the straight quotes and apostrophes that table cells and
settings still hold (the narrative's were curled by the Markdown typographer,
in the language of each file). For print alone it also does what WeasyPrint's
line breaking cannot, as the language pack's ``[typography]`` asks: it keeps
year ranges (2024–25) and, in CJK tables, short terms and dates whole, keeps
each Korean word whole (WeasyPrint ignores ``word-break: keep-all``), keeps
a Japanese paragraph's last line from holding a single character, keeps
Japanese names whole (the organisation's and its people's, as ``typeset`` is
given them, and a name before 氏, さん, 様) and a web address's scheme with
its host (never "https:// / www…"). It does so
with U+2060 WORD JOINER, which prints nothing and which text extraction drops.
In print a narrative's footnotes become side notes (``side_notes``).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable

import budoux
import lxml.etree
from lxml.html import Element as html_element
from lxml.html import HtmlElement

from reportgen.core import markup
from reportgen.core.languages import Typography, typography
from reportgen.reading.model import Organization, Signatory
from reportgen.typesetting.side_notes import side_notes

JOINER = "\u2060"
# Elements whose text is never touched: not prose, or set as written.
_VERBATIM = frozenset({"style", "script", "code", "pre", "kbd", "samp", "svg", "textarea"})
_CELLS = frozenset({"td", "th"})
# Display text besides pull quotes and table cells, set by phrases where the
# language asks (Typography.phrases): leads, the donor edition's gift panel and
# ask, the giving details of a back cover, the figure cards' labels.
_DISPLAY = frozenset({"intro", "gift-at-work", "donor-ask", "giving", "back-text", "stat-label"})
# Of those, the ones set in a line of about 9 characters (and pull quotes).
_NARROW = frozenset({"stat-label"})
# Elements whose text ends a paragraph: their last line is the one to protect.
_BLOCKS = frozenset({"p", "li", "dd", "dt", "figcaption", "td", "th"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Inline elements that are set as blocks (a table cell's note, a figure's
# label): their text's end is glued too, without ending the block around them.
_INLINE_BLOCKS = frozenset({"span"})
# Inline elements a word space before them moves into (print). WeasyPrint
# (v70, issue 1614's family) breaks a line at its first break opportunity, not
# its last, when a run ending in a space nearly fills the line and the element
# after it does not fit: "This / is a sample made to show ... <strong>Aire".
# With the space at the start of the element the line breaks where it should.
_SPACE_INTO = frozenset({"strong", "em", "b", "i", "cite", "q", "small", "mark"})
_YEAR_RANGE = re.compile(r"(?<!\d)(\d{4})\s?([\u2013\u2014\u2010\-/])\s?(\d{2}(?:\d{2})?)(?!\d)")
_HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3"
_KOREAN_WORD = re.compile(rf"[^\s]*[{_HANGUL}][^\s]*")
# Hangul words with single spaces between them, alone between spaces (a cell's term).
_KOREAN_TERM = re.compile(rf"(?<!\S)[{_HANGUL}]+(?: [{_HANGUL}]+)+(?!\S)")


def _syllables(text: str) -> int:
    return len(text) - text.count(" ")


# A CJK term of a cell: Han, kana and the digits of a date such as 2011年9月8日.
_CJK_TERM = re.compile(r"[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# A katakana word (group 1), a kanji compound or a run of hiragana. The
# middle dot (・, U+30FB) is no part of a word: it ends the term before it.
_SCRIPT_RUN = re.compile(
    r"([\u30a0-\u30fa\u30fc-\u30ff]+)|([\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)"
    r"|[\u3040-\u309f]+"
)
# Terms listed with a middle dot (出版・ウェブサイト費, 政策提言・ロビー活動費)
# may break after it, though the phrase holds them: a narrow cell then sets
# 政策提言・/ロビー活動費 rather than reach past its column.
_MIDDLE_DOT = "\u30fb"
_CJK_DATE = re.compile(
    r"(?:[0-9\uff10-\uff19]+\s?[年月日년월일]\s?)*[0-9\uff10-\uff19]+\s?[年月日년월일]度?"
)
# In running text a date may break after its year (2013年 / 8月31日, as
# Japanese and Korean setting allows), never inside the month and day.
_MONTH_DAY = re.compile(r"[0-9\uff10-\uff19]+\s?[月월]\s?[0-9\uff10-\uff19]+\s?[日일]")
# English month names, whole and short: the dates reportgen and its English
# packs print (20 October 2013, August 2013, Aug. 20, 2013).
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# A Latin date is one unit in a cell, as a CJK one is (a narrow "When"
# column broke "September 2012 – August / 2013"); running text may break it.
_LATIN_DATE = re.compile(
    rf"(?<![0-9A-Za-z])(?:\d{{1,2}}[ \u00a0]+)?(?:{MONTHS})\.?"
    rf"(?:[ \u00a0]+\d{{1,2}}(?![0-9]))?(?:,?[ \u00a0]+\d{{4}})?(?![0-9A-Za-z])"
)
# Initials (A. P., J. L.): never split at their space.
_INITIALS = re.compile(r"(?<![A-Za-z.])[A-Z]\.(?:[ \u00a0]?[A-Z]\.)+")
# A web address's scheme and host, one unit: it may break after a "/" or
# "." of its path, never after "https://" (review r36: "https:// /
# www.northkoreanrefugees.com/"); an e-mail address whole.
_URL_HEAD = re.compile(r"(?<![A-Za-z0-9])(?:https?|ftp)://[A-Za-z0-9.-]+(?::\d+)?/?")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# The letters of a Japanese name: kanji (and 々) and katakana.
_NAME_LETTER = "\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u30a1-\u30fa\u30fc"
_JAPANESE = re.compile(r"[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# The longest run of a name kept whole: in body text a name of this many
# characters still fits the narrowest column by far; in a pull quote or a
# figure's label (about 9 characters a line) a phrase's length.
NAME_MOST = 16
HONORIFIC_NAME_MOST = 6  # a name's length before 氏, さん, 様 (野口孝行氏)
# Han, kana, CJK marks and the full-width forms: what Japanese running text is made of.
_CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# A soft line break between two CJK characters, or a space after a closing mark.
_SOFT_BREAK = re.compile(
    rf"(?<=[{_CJK}])[ \t]*\n\s*(?=[{_CJK}])|(?<=[、。」』）])[ \t]+(?=[{_CJK}])"
)
_HALF_PARENS = re.compile(rf"(?P<before>[{_CJK}])?[ \u00a0]*\((?P<inside>[^()\n]*)\)")
_HAS_CJK = re.compile(rf"[{_CJK}]")
# 約物: opening brackets (a blank on their left), closing ones and the
# comma and full stop (a blank on their right), middle marks (both sides).
_OPENING = "「『（〔［｛〈《【〘〖"
_CLOSING = "」』）〕］｝〉》】〙〗、。，．"
_MIDDLE = "：；・"
_OPENERS = set(" \t\n\u00a0([{\u2014\u2013-/\u3000「『（")


def joined(text: str) -> str:
    """``text`` with no line-break opportunity between its characters (a
    space inside it no-break: WeasyPrint breaks at a space between joiners)."""
    lead, trail = JOINER * text.startswith(JOINER), JOINER * text.endswith(JOINER)
    return lead + JOINER.join(text.replace(JOINER, "").replace(" ", "\u00a0")) + trail


def held(text: str) -> str:
    """``text`` (a web or e-mail address) with no line-break opportunity in
    it: a joiner beside each mark (":", "/", ".", "@", "-"), the only places
    a line may break in Latin letters and digits, and none between two of
    them, where a joiner would sit inside a ligature ("ffi" of "office") and
    make the PDF's text of that glyph unreadable."""

    def plain(char: str) -> bool:
        return char.isascii() and char.isalnum()

    out = [text[:1]]
    for before, char in itertools.pairwise(text):
        if not (plain(before) and plain(char)):
            out.append(JOINER)
        out.append(char)
    return "".join(out)


def curl(text: str, quotes: str) -> str:
    """Straight quotes as the language's marks; an apostrophe between letters
    as U+2019 whatever the language (don't, O'Brien, 90's)."""
    if "'" not in text and '"' not in text:
        return text
    out = []
    open_marks = {'"': False, "'": False}  # whether a quote of this kind is open
    for i, char in enumerate(text):
        if char not in open_marks:
            out.append(char)
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if char == "'" and before.isalnum() and after.isalnum():
            out.append("\u2019")
            continue
        # After a space or an opening bracket: opening. Else closing when one
        # is open or nothing follows; else (CJK text has no spaces) opening.
        opening = (
            before in _OPENERS
            or before in quotes[::2]
            or (
                not open_marks[char]
                and not after.isspace()
                and after not in ".,;:!?)"
                and not (char == "'" and before.isalnum())
            )
        )
        open_marks[char] = opening
        pair = quotes[:2] if char == '"' else quotes[2:4]
        out.append(pair[0] if opening else pair[1])
    return "".join(out)


def _glue_tail(text: str, count: int, words: bool = False) -> str:
    """The last ``count`` characters of a paragraph's text joined, so that its
    last line holds at least that many (no one-character last lines); with
    ``words`` across a space too (a Korean body's "할 것.", its space no-break)."""
    body = text.rstrip()
    start, seen = len(body), 0  # joiners already there (a kanji compound's) do not count
    while start > 0 and seen < count:
        start -= 1
        seen += body[start] != JOINER
    tail = body[start:]
    if count < 2 or seen < count or start == 0 or (not words and any(c.isspace() for c in tail)):
        return text
    return body[:start] + joined(tail) + text[len(body) :]


# Japanese phrases (文節) are found by BudouX (a small machine-learnt model,
# no dictionary; Google's, Apache-2.0): 移動を/待つご家族の/一晩の/宿と/食事.
# A phrase longer than this may still break inside: a pull quote's line holds 9.
PHRASE_MOST = 8
CELL_PHRASE_MOST = 12  # a table cell's line holds more: 国連調査委員会についての


@functools.cache
def _phrase_parser() -> budoux.Parser:
    return budoux.load_default_japanese_parser()


def phrases(text: str, most: int = PHRASE_MOST) -> str:
    """Japanese ``text`` breakable only between its phrases, as display text
    is set (a pull quote, a lead, a table cell, a panel): 「釈放された後、/
    起きたことを/できる限り/記録に…, never 起/きた or 一/晩 (CSS's
    ``word-break: auto-phrase``, which WeasyPrint lacks). The joiners already
    in ``text`` (a number and its counter, a date) stay: a break is allowed
    only where neither they nor a phrase forbid it. A phrase that starts
    with hiragana (ついての, ための) stays with the one before when the two
    hold ``most`` characters or fewer."""
    plain = text.replace(JOINER, "")
    if not plain.strip():
        return text
    held = set()  # i: no break after plain[i] (-1: before the first)
    index = -1
    for char in text:
        if char == JOINER:
            held.add(index)
        else:
            index += 1
    groups: list[str] = []
    # Each run between spaces parsed apart (BudouX reads a space as a letter:
    # "みず / ほ銀 / 行 神田支店 普通 0000000　口座名義：…"), a space a break;
    # a label's colon ends its phrase (口座名義：).
    pieces = [p for chunk in _SPACES.split(plain) for p in _AFTER_COLON.split(chunk) if p]
    parsed = (
        [piece]
        if piece.isspace() or (piece[-1] in "：:" and len(piece) <= most)
        else _phrase_parser().parse(piece)
        for piece in pieces
    )
    for phrase in itertools.chain.from_iterable(parsed):
        if groups and "\u3041" <= phrase[0] <= "\u309f" and len(groups[-1] + phrase) <= most:
            groups[-1] += phrase
        else:
            groups.append(phrase)
    start = 0
    for group in groups:
        # A phrase, or an over-long phrase's parts, whole when it holds
        # ``most`` characters or fewer: a longer one would not fit the
        # narrowest measure (a pull quote) and leave its box. It breaks
        # where its parts allow (つながる / わけでは / ありません」), each part
        # that is still too long between any two characters.
        for part in _formal_nouns(group) if len(group) > most else (group,):
            if 1 < len(part) <= most and not part.isspace():
                held.update(
                    i for i in range(start, start + len(part) - 1) if plain[i] != _MIDDLE_DOT
                )
            start += len(part)
    out = [JOINER] if -1 in held else []
    for i, char in enumerate(plain):
        inside = i in held and (i - 1) in held
        out.append("\u00a0" if char == " " and inside else char)
        if i in held and (i < len(plain) - 1 or text.endswith(JOINER)):
            out.append(JOINER)
    return "".join(out)


_SPACES = re.compile(r"(\s+)")
_AFTER_COLON = re.compile(r"(?<=[：:])(?=\S)")


# 形式名詞: a phrase of its own after a verb or adjective (つながる / わけでは),
# where an over-long phrase (BudouX's つながるわけではありません) may break.
_FORMAL_NOUNS = "わけ|こと|もの|ため|はず|ところ|よう[にな]"
_FORMAL_NOUN = re.compile(rf"(?<=[\u3041-\u309f])(?={_FORMAL_NOUNS})")
_FORMAL_START = re.compile(_FORMAL_NOUNS)


# A formal noun and its particle, then the verb after them: わけでは / ありません,
# ことは / できません (BudouX's own break in ことはできません).
_AFTER_PARTICLE = re.compile(r"(?<=[でにとの]は)(?=[\u3041-\u309f])")


def _formal_nouns(phrase: str) -> list[str]:
    """An over-long phrase in the parts a formal noun starts (review r35 F-17:
    "保護につながるわけ / ではありません" broke inside わけでは), a part that
    begins with one split again after its particle when it is still long
    (わけではありません」 is wider than a pull quote's line)."""
    parts = [part for part in _FORMAL_NOUN.split(phrase) if part]
    return [
        piece
        for part in parts
        for piece in (_AFTER_PARTICLE.split(part) if _FORMAL_START.match(part) else [part])
        if piece
    ]


def _cell_term(run: str, most: int) -> str:
    """A run of CJK text in a table cell: whole when short (a label such as
    イベント or 国会議員); in a longer run, each katakana word and each short
    kanji compound whole, the run breaking only where script changes (kanji
    to kana), which is where Japanese phrases meet."""
    if len(run) <= most:
        return joined(run)
    return _SCRIPT_RUN.sub(
        lambda m: (
            joined(m.group(0))
            if m.group(1) or (m.group(2) and len(m.group(0)) <= most)
            else m.group(0)
        ),
        run,
    )


def _number_units(units: tuple[str, ...]) -> re.Pattern[str] | None:
    """A number and the unit or counter after it (longest unit first)."""
    if not units:
        return None
    words = "|".join(re.escape(unit) for unit in sorted(units, key=len, reverse=True))
    return re.compile(
        rf"(?<![0-9A-Za-z.,])[-+\u2212\u25b2\u25bc]?\d[\d,.]*(?:[ \u00a0]?(?:{words}))+"
    )


def _ties(style: Typography) -> re.Pattern[str] | None:
    """The spaces that never break a line: after one of ``tie_after`` before
    a word of at most 3 syllables (its punctuation aside), and before one of
    ``tie_before`` with its particle after a name of 2 or 3 syllables or an
    initial (see Typography): a longer name (다카유키) and its 씨에게 make
    a unit too wide for a justified line's slack (review N36-T1), so the
    line breaks before 씨 instead."""
    after = "|".join(re.escape(w) for w in style.tie_after)
    before = "|".join(re.escape(w) for w in style.tie_before)
    ends = r"(?=[\s.,!?)’”」』〉》]|$)"
    found = []
    if after:
        found.append(rf"(?<![^\s(‘“])(?:{after}) (?=[{_HANGUL}]{{1,3}}{ends})")
    if before:
        name = "|".join(
            rf"(?<=(?<![^\s(‘“]){one})"
            for one in ("[A-Z]", *[f"[{_HANGUL}]{{{n}}}" for n in (2, 3)])
        )
        name = f"(?:{name})"
        found.append(rf"{name} (?=(?:{before})[{_HANGUL}]{{0,3}}{ends})")
    return re.compile("|".join(f"(?:{f})" for f in found)) if found else None


# A title in angle brackets (Korean 〈…〉 for a work, 《…》 for a book), its
# brackets included, within one run of text.
_TITLE = re.compile(r"〈[^〈〉\n]*〉|《[^《》\n]*》")


def _short_title(most: int) -> Callable[[re.Match[str]], str]:
    """A title in angle brackets with its spaces no-break when it holds at
    most ``most`` characters, spaces and marks included (review N36-T4:
    〈The / Defector〉 split across lines); a longer one breaks as text does:
    held whole, 〈탈북, 도피행: 동남아시아 편〉 (16) leaves the line before it
    with word gaps of 0.9 em."""

    def one(match: re.Match[str]) -> str:
        title = match.group(0)
        if len(title) - 2 > most:
            return title
        return title.replace(" ", "\u00a0")

    return one


def _honorifics(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """A word of address and the name before it (Cさん, 野口孝行氏, 山田様):
    a Latin initial, or a run of up to ``HONORIFIC_NAME_MOST`` kanji or
    katakana (not kana: たくさん); review r36 F-2: "野 / 口孝行氏"."""
    if not words:
        return None
    listed = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    run = rf"(?:[{_NAME_LETTER}]\u2060?){{1,{HONORIFIC_NAME_MOST}}}"
    return re.compile(rf"(?:[A-Za-z]\u2060?|{run})(?:{listed})")


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """The Japanese proper names among ``names`` (the organisation's, its
    people's), each word of one (特定非営利活動法人 / 北朝鮮難民救援基金) found
    whatever joiners already stand between its characters."""
    words = {
        word
        for name in names
        for word in (name or "").split()
        if len(word) > 1 and _JAPANESE.search(word) and not re.search(f"[{_HANGUL}]", word)
    }
    if not words:
        return None
    found = (
        f"{JOINER}?".join(re.escape(c) for c in w) for w in sorted(words, key=len, reverse=True)
    )
    return re.compile("|".join(found))


def proper_names(
    organization: Organization | None,
    signatories: Iterable[Signatory] = (),
    others: Iterable[str] = (),
) -> tuple[str, ...]:
    """The names a page must not split: every form of the organisation's
    name the settings give (legal form, name, short name, the name giving
    details address), who signs, and ``others`` (the people of people.csv)."""
    own: tuple[str | None, ...] = ()
    if organization is not None:
        o = organization
        own = (o.legal_form, o.name, o.short_name, o.giving_organisation)
    return tuple(n for n in (*own, *(s.name for s in signatories), *others) if n and n.strip())


def keep_names(text: str, pattern: re.Pattern[str] | None, most: int) -> str:
    """``text`` with each name ``pattern`` finds unbreakable where it holds
    ``most`` characters or fewer (a longer one, wider than the measure, may
    still break)."""
    if pattern is None:
        return text

    def one(match: re.Match[str]) -> str:
        name = match.group(0)
        return joined(name) if len(name.replace(JOINER, "")) <= most else name

    return pattern.sub(one, text)


def _listed(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """Any of ``words`` (longest first)."""
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def full_width_brackets(text: str) -> str:
    """Half-width parentheses in running Japanese as full-width ones, the
    space before them dropped: 基金 (LFNKR) → 基金（LFNKR）."""

    def one(match: re.Match[str]) -> str:
        before, inside = match.group("before") or "", match.group("inside")
        if before or _HAS_CJK.search(inside):
            return f"{before}（{inside}）"
        return match.group(0)

    return _HALF_PARENS.sub(one, text) if "(" in text else text


def half_width_marks(text: str, style: Typography) -> set[int]:
    """The indices of the marks of ``text`` to set half-width: a language's
    ``half_width`` marks, and with ``compress_pairs`` (約物詰め) the first of
    two marks whose blanks meet (」（, 。」) or the second of two whose blanks
    meet on its left (（「, ：『)."""
    found = {i for i, char in enumerate(text) if char in style.half_width}
    if style.compress_pairs:
        # Pairs of the characters one sees: a joiner that phrases or units put
        # between two marks (）⁠、) does not keep them apart (review r35 F-14).
        seen = [(i, char) for i, char in enumerate(text) if char != JOINER]
        for (i, a), (j, b) in itertools.pairwise(seen):
            if a in _CLOSING and b in _CLOSING + _OPENING + _MIDDLE:
                found.add(i)
            elif a in _OPENING + _MIDDLE and b in _OPENING:
                found.add(j)
    return found


_PLAIN_SIGNS = "+-\u2212"


def change_signs(text: str, style: Typography) -> dict[int, str]:
    """Where ``text`` holds a language's sign of a change that is a symbol
    (Korean ▲/▼, not + or −): its index and class, ``change-sign up`` or
    ``change-sign down`` (the pack's CSS sets it smaller, in colour, so that it
    does not outweigh the figure after it: design review, KO handout 2)."""
    signs = {style.plus: "change-sign up", style.minus: "change-sign down"}
    signs = {sign: css for sign, css in signs.items() if sign and sign not in _PLAIN_SIGNS}
    return {i: signs[char] for i, char in enumerate(text) if char in signs}


def _language_rules(style: Typography) -> Callable[[str], str]:
    """What every medium does to a run of text in the language."""

    def apply(text: str) -> str:
        if style.join_lines:
            text = _SOFT_BREAK.sub("", text)
        if style.full_width_brackets:
            text = full_width_brackets(text)
        return text

    return apply


def _print_rules(style: Typography) -> Callable[[str, bool], str]:
    """What print does to a run of text (``in_cell``: inside a table cell)."""

    units = _number_units(style.units)
    ties = _ties(style)
    titles = _TITLE if style.title_letters else None
    honorifics = _honorifics(style.honorifics)
    whole = _listed(style.keep_whole)

    def apply(text: str, in_cell: bool) -> str:
        text = _YEAR_RANGE.sub(lambda m: joined(m.group(1) + m.group(2) + m.group(3)), text)
        # A date is one unit in a cell (2013年8月31日, 2012년 9월 1일), its
        # month and day in running text; so are initials (A. P.) and a
        # number with its unit or counter (2013年, 36件, 2만 엔, 12 %).
        text = (_CJK_DATE if in_cell else _MONTH_DAY).sub(lambda m: joined(m.group(0)), text)
        if in_cell:
            text = _LATIN_DATE.sub(
                lambda m: joined(m.group(0)) if " " in m.group(0) else m.group(0), text
            )
        text = _INITIALS.sub(lambda m: joined(m.group(0)), text)
        text = _URL_HEAD.sub(lambda m: held(m.group(0)), text)
        text = _EMAIL.sub(lambda m: held(m.group(0)), text)
        if units is not None:
            text = units.sub(lambda m: joined(m.group(0)), text)
        if honorifics is not None:
            text = honorifics.sub(lambda m: joined(m.group(0)), text)
        if whole is not None:  # 一人ひとり: a word, in body text too
            text = whole.sub(lambda m: joined(m.group(0)), text)
        if in_cell and style.join_words and style.cell_words:  # 정책 제언, 회원 단체
            text = _KOREAN_TERM.sub(
                lambda m: (
                    joined(m.group(0)) if _syllables(m.group(0)) <= style.cell_words else m.group(0)
                ),
                text,
            )
        if titles is not None:  # 〈The Defector〉: a short title on one line
            text = titles.sub(_short_title(style.title_letters), text)
        if ties is not None:  # 한 해를, 이영희 님께: the space no-break
            text = ties.sub(lambda m: m.group(0).replace(" ", "\u00a0"), text)
        if style.join_words:
            text = _KOREAN_WORD.sub(lambda m: joined(m.group(0)), text)
        if in_cell and style.cell_words:
            text = _CJK_TERM.sub(lambda m: _cell_term(m.group(0), style.cell_words), text)
        return text

    return apply


def typeset(page: str, language: str, medium: str, names: Iterable[str] = ()) -> str:
    """The HTML ``page`` set for ``medium`` in ``language`` (see the module);
    in print the Japanese proper names among ``names`` (the organisation's,
    its people's: ``proper_names``) never split where they fit the measure."""
    style = typography(language)
    parsed = markup.parse(page)
    if medium == "print":
        side_notes(parsed.root)
    setter = _Setter(style, _print_rules(style) if medium == "print" else None)
    setter.names = name_pattern(names) if medium == "print" else None
    setter.walk(parsed.root)
    return parsed.text()


# Where a run of text stands in the tree: an element's ``text`` (before its
# first child) or its ``tail`` (after it, inside its parent).
_Slot = tuple[HtmlElement, str]


class _Setter:
    """The walk over a page's tree, in document order, and what it must remember."""

    def __init__(self, style: Typography, rules: Callable[[str, bool], str] | None) -> None:
        self.style, self.rules = style, rules
        self.language = _language_rules(style)
        self.verbatim = 0  # depth inside elements whose text stays as written
        self.cells = 0
        self.head = False  # the document's <head>: its <title> becomes PDF metadata
        self.heading = 0  # inside h1-h6: their text is also the PDF's bookmarks
        self.last_text: _Slot | None = None  # where the block's last text is
        self.made: set[HtmlElement] = set()  # the spans added to the page
        self.quote = _PullQuote(self.made)
        self.pulled = 0  # depth inside display text (a pull quote, _DISPLAY), set by phrases
        self.narrow = 0  # depth inside a pull quote or a figure's label (_NARROW)
        self.names: re.Pattern[str] | None = None  # proper names kept whole (print)

    def walk(self, root: HtmlElement) -> None:
        """Every tag and run of text under ``root`` in the order of the page."""
        for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
            if element in self.made:  # a span added here: its text is set already
                continue
            if event == "start":
                if isinstance(element.tag, str):  # not a comment
                    self.tag(element, element.tag, closing=False)
                    self.text((element, "text"))
            else:
                if isinstance(element.tag, str):
                    self.tag(element, element.tag, closing=True)
                if element is not root:
                    self.text((element, "tail"))

    def tag(self, element: HtmlElement, name: str, closing: bool) -> None:
        step = -1 if closing else 1
        display = bool(self.pulled or self.cells)  # before this tag's own end counts
        if name in _VERBATIM:
            self.verbatim += step
        elif name in _CELLS:
            self.cells += step
        elif name == "head":
            self.head = not closing
        elif name in _HEADINGS:
            self.heading += step
            self.last_text = None
        self.quote.tag(element, name, closing)
        classes = (element.get("class") or "").split()
        if (name == "blockquote" and "pull-quote" in classes) or _DISPLAY.intersection(classes):
            self.pulled += step
        if (name == "blockquote" and "pull-quote" in classes) or _NARROW.intersection(classes):
            self.narrow += step
        if name == "p" and closing and self.style.sentence_end and not self.verbatim:
            _mark_line(element, self.style.sentence_end)
        if name in _BLOCKS or name in _INLINE_BLOCKS:
            if closing:
                self._glue_last(display)
            if name in _BLOCKS:
                self.last_text = None

    def _glue_last(self, display: bool) -> None:
        """The block's last characters joined (``last_line``). Justified body
        text glues fewer (``body_last_line``): each character a tail takes
        down to the last line is a gap's worth of letter-spacing spread over
        the line above (review r35 F-9: "…記載し / ています。" at 0.1 em a gap)."""
        style = self.style
        count = style.last_line if display else (style.body_last_line or style.last_line)
        if self.last_text is None or not self.rules or not count or self.verbatim:
            return
        # Korean: across a space too, so that no block ends on a lone short word
        # (안전한 / 방, 실시할 / 것.).
        _put(self.last_text, _glue_tail(_get(self.last_text), count, style.join_words))

    def text(self, slot: _Slot) -> None:
        if self.rules is not None and not self.verbatim:
            _space_into_next(slot)
        chunk = _get(slot)
        if not chunk or self.verbatim or not chunk.strip():
            return
        text = self.language(curl(chunk, self.style.quotes))
        if self.rules is not None and not self.head:
            text = self.rules(text, self.cells > 0)
            short = bool(self.narrow or self.cells)  # a line of about 9 characters or fewer
            text = keep_names(text, self.names, PHRASE_MOST if short else NAME_MOST)
            if (self.pulled or self.cells) and self.style.phrases:  # display text: whole phrases
                # A panel's measure (the giving details, an ask) holds a
                # longer phrase than a pull quote: 支えられています。 whole.
                most = CELL_PHRASE_MOST if self.cells or not self.narrow else PHRASE_MOST
                text = phrases(text, most)
        if self.heading:
            # Bookmarks are made of a heading's text: whole words as nowrap
            # spans there, so that no joiner reaches the PDF's outline.
            _nobr_spans(slot, text, self.made)
            return
        _put(slot, text)
        slot = self.quote.text(slot)
        if not self.head:  # a <title> holds text only
            text = _get(slot)
            marks = dict.fromkeys(half_width_marks(text, self.style), "halt")
            marks.update(change_signs(text, self.style))
            slot = _mark_spans(slot, marks, self.made)
        self.last_text = slot


def _space_into_next(slot: _Slot) -> None:
    """A run's closing word space moved into the inline element after it
    (see ``_SPACE_INTO``); the words and the space between them are unchanged."""
    element, where = slot
    after = element.getnext() if where == "tail" else (element[0] if len(element) else None)
    chunk = _get(slot)
    if after is None or after.tag not in _SPACE_INTO or not chunk or not chunk[-1].isspace():
        return
    if not chunk.strip() or (after.text or "")[:1].isspace():
        return
    _put(slot, chunk.rstrip())
    after.text = " " + (after.text or "")


_LINE_MOST = 40  # characters: longer, a paragraph is prose whatever its end


def _mark_line(paragraph: HtmlElement, sentence_end: str) -> None:
    """Class ``line`` on a short paragraph that ends no sentence."""
    text = paragraph.text_content().replace(JOINER, "").strip()
    short = bool(text) and len(text) <= _LINE_MOST
    if short and text[-1] not in sentence_end and not paragraph.get("class"):
        paragraph.set("class", "line")


def _get(slot: _Slot) -> str:
    element, where = slot
    return (element.text if where == "text" else element.tail) or ""


def _put(slot: _Slot, text: str) -> None:
    element, where = slot
    if where == "text":
        element.text = text
    else:
        element.tail = text


def _insert_after(slot: _Slot, new: HtmlElement) -> _Slot:
    """``new`` placed where the text of ``slot`` ends (the slot's text stays
    before it); the slot of what follows ``new``: its tail."""
    element, where = slot
    if where == "text":
        element.insert(0, new)
    else:
        parent = element.getparent()
        parent.insert(parent.index(element) + 1, new)
    return (new, "tail")


def _span(css_class: str, text: str, made: set[HtmlElement]) -> HtmlElement:
    span: HtmlElement = html_element("span", {"class": css_class})
    span.text = text
    made.add(span)
    return span


def _nobr_spans(slot: _Slot, text: str, made: set[HtmlElement]) -> None:
    """``text`` put in ``slot`` with each run of joined characters as a
    ``nobr`` span of the characters alone."""
    runs = list(_NOBR.finditer(text))
    ends = [run.start() for run in runs[1:]] + [len(text)] * bool(runs)
    _put(slot, text[: runs[0].start()] if runs else text)
    for run, end in zip(runs, ends, strict=True):
        slot = _insert_after(slot, _span("nobr", run.group(0).replace(JOINER, ""), made))
        _put(slot, text[run.end() : end])


def _mark_spans(slot: _Slot, marks: dict[int, str], made: set[HtmlElement]) -> _Slot:
    """The characters of ``slot``'s text at ``marks`` as spans of the class
    given (``halt``: set half-width by the pack's CSS; ``change-sign``); the
    slot where the text now ends."""
    if not marks:
        return slot
    text, start = _get(slot), 0
    for index in sorted(marks):
        _put(slot, text[start:index])
        slot = _insert_after(slot, _span(marks[index], text[index], made))
        start = index + 1
    _put(slot, text[start:])
    return slot


_NOBR = re.compile(rf"[^\s{JOINER}]*(?:{JOINER}[^\s{JOINER}]*)+")
_OPENING_MARKS = "\u201c\u2018\u201e\u201a\u00ab\u300c\u300e"
_DASHES = "\u2014\u2015\u2013"
_WORK_MARKS = "\u300c\u300e"  # 「『: a work's title in Japanese


class _PullQuote:
    """Marks up a blockquote's text for the pull-quote design: its opening
    quote mark wrapped to hang in the margin, a closing line that begins
    with a dash (— Name, ―― 名前) as its attribution."""

    def __init__(self, made: set[HtmlElement]) -> None:
        self.made = made  # the spans added to the page
        self.depth = 0
        self.first = False  # the next paragraph is the quote's first
        self.paragraph: HtmlElement | None = None  # the quote's paragraph being read

    def tag(self, element: HtmlElement, name: str, closing: bool) -> None:
        if name == "blockquote":
            self.depth += -1 if closing else 1
            self.first = not closing
        elif name == "p" and not closing and self.depth:
            self.paragraph = element
        elif name == "p":
            self.paragraph = None

    def text(self, slot: _Slot) -> _Slot:
        """Called with a run of text just set; where the run's text is now."""
        if self.paragraph is None:
            return slot
        text = _get(slot)
        start = text.lstrip()[:1]
        paragraph, self.paragraph = self.paragraph, None
        first, self.first = self.first, False
        if start and start in _DASHES and not paragraph.attrib:
            paragraph.set("class", "attribution")
            # A work's title in corner brackets after the name (―― 野口孝行
            # 「脱北、逃避行」第1回) as markup of its own: CSS may start its line.
            cut = next((i for i, c in enumerate(text) if c in _WORK_MARKS), 0)
            if cut and text[:cut].strip(_DASHES + " \u3000" + JOINER):
                _put(slot, text[:cut])
                work = _span("work", text[cut:], self.made)
                _insert_after(slot, work)
                return (work, "text")
        elif start and start in _OPENING_MARKS and first:
            # The mark as markup of its own before the text, which stays last
            # (a later step may still set the text's end).
            lead = len(text) - len(text.lstrip())
            _put(slot, text[:lead])
            slot = _insert_after(slot, _span("hang", start, self.made))
            _put(slot, text[lead + 1 :])
        return slot
