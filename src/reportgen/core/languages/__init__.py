"""Language packs: the words, CLDR locale, fonts, line breaking and letter
conventions of each report language, as data files shipped in the package.

Every stage that writes words or formats a value asks here (through
``reportgen.composing.formats``); no module branches on a language. A pack is
``languages/<tag>.toml`` (format in ``languages/README.md``): ``en.toml`` holds
every word key, ``ja.toml`` and ``ko.toml`` translate them, ``en-GB.toml``
holds only what British English changes and names ``en`` as its parent
(``en-US`` and ``en-CA`` also name ``en``; ``en-AU``, ``en-NZ`` and ``en-IE``
name ``en-GB``, whose spelling and words they mostly share).

A tag's words come from, key by key: the report's ``[labels.<tag>]``, the pack
of the exact tag (its parent's words merged in), the pack of its base language
(``en`` for ``en-ZA``). A word none of them holds is a ``check`` error listing
every missing key (``missing_words``): a tag with no pack (``de``), or a pack
that lacks words, gets them from ``[labels.<tag>]``, never English words unsaid.
Dates, numbers and money follow CLDR (Babel) for the whole tag; a pack's
``[format]`` overrides CLDR for its exact tag only (``en`` keeps v1's dates).

Why plain TOML and not gettext catalogs: the words here are addressed by
stable keys that users override in ``[labels.<tag>]`` and that ``reportgen
labels`` prints and the docs list. gettext keys words by their English text,
so a wording change in English would silently orphan every user's override and
every translation; its plural handling (``ngettext``) needs a compiled ``.mo``
per language and gives users no file they can edit beside their report. TOML
is what users already write in ``report.toml``, so a pack, an override and the
output of ``reportgen labels`` are the same format. Plurals still follow
CLDR's rules (``Locale.plural_form``), per word: ``{ one = ..., other = ... }``.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from string import Formatter
from typing import Any

from babel import Locale, UnknownLocaleError

from reportgen.core import messages
from reportgen.core.diagnostics import did_you_mean
from reportgen.core.editions import EDITIONS
from reportgen.core.languages import grammar

PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
DEFAULT = "en"  # the pack that holds every key
TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")

Word = str | tuple[tuple[str, str], ...]  # a text, or (plural form, text) pairs
Labels = tuple[tuple[str, Word], ...]  # a report's [labels.<tag>] for one tag, sorted


@dataclass(frozen=True)
class Fonts:
    sans: tuple[str, ...] = ("Noto Sans",)
    serif: tuple[str, ...] = ("Noto Serif",)
    lead: bool = False  # True: these faces before the theme's font
    # The editions set in the sans alone, prose too: one family in two
    # weights, so a character is drawn by two faces, not four (issue 29: a
    # kanji in the Mincho prose and again in the Gothic headings). Names of
    # ``core.editions.EDITIONS``; a pack naming another one fails to load.
    one_family: tuple[str, ...] = ()


@dataclass(frozen=True)
class LetterStyle:
    """Where a letter's parts sit in this language, and how its salutation ends:
    conventions, so data of the pack and never a branch in code."""

    date: str = "top"  # "top": above the heading; "bottom": after the closing
    date_align: str = "left"  # "left" or "right" (ja: the date at the top right)
    closing: str = "left"  # "left" or "right": the closing word (ja: 敬具 at the right)
    signature: str = "left"  # "left" or "right": the signature block
    salutation_end: str = ","  # added to a salutation that ends without punctuation
    # The window envelope the letters are posted in (core.envelopes.ENVELOPES):
    # where the recipient's address stands. The report's first language decides.
    envelope: str = "dl-90x45"
    # The post town, with the postcode after it, in capitals on the address's
    # last line but the country ("LEEDS LS6 2AB": Royal Mail's addressing
    # guidance); the posting country's convention, as ``envelope``.
    town_capitals: bool = False
    # A postal address in running text (a receipt's donor line; the envelope
    # window has its own lines): its parts in the language's order, the
    # country named in the language ("대한민국", not "South Korea").
    address_line: str = "{address}, {postcode}, {country}"


@dataclass(frozen=True)
class Typography:
    """How a language sets its text (``[typography]`` of a pack): quote marks,
    the signs of a change, and the line-breaking help print needs because
    WeasyPrint (Pango) breaks CJK text between any two characters."""

    quotes: str = "\u201c\u201d\u2018\u2019"  # primary open, close; secondary open, close
    plus: str = "+"  # before an increase
    minus: str = "\u2212"  # before a decrease
    join_words: bool = False  # keep space-separated words whole in print (Korean)
    last_line: int = 0  # the fewest characters on a paragraph's last line (CJK)
    # The same in justified body text (0: ``last_line``): each character a
    # glued tail takes down widens every gap of the line above it, so body
    # text asks for fewer (Japanese 3: した。) than ragged display text (5).
    body_last_line: int = 0
    cell_words: int = 0  # CJK runs up to this long stay whole in a table cell
    # Words that follow a number and never part from it on a line (件, 円, 건, %).
    units: tuple[str, ...] = ()
    # Print: a one-word determiner or numeral that never ends a line before
    # a short word (Korean 한 해, 이 사람: at most 3 syllables), and words
    # (with their particles) that never start one (Korean 씨, 님) after a
    # name of 2 or 3 syllables or an initial (a longer name breaks before them).
    tie_after: tuple[str, ...] = ()
    tie_before: tuple[str, ...] = ()
    # Print: a title in 〈〉 or 《》 of up to this many characters (spaces and
    # marks included) never breaks across lines (Korean 〈The Defector〉); 0: off.
    title_letters: int = 0
    # Words of address that never part from the name before them in print
    # (Cさん, 山田様): a Latin initial, a kanji or a katakana letter and the word.
    honorifics: tuple[str, ...] = ()
    # Words print never breaks, even in body text (Japanese 一人ひとり).
    keep_whole: tuple[str, ...] = ()
    full_width_brackets: bool = False  # (LFNKR) after Japanese text set as （LFNKR）
    join_lines: bool = False  # a space between two CJK characters (a soft line break) dropped
    compress_pairs: bool = False  # 約物詰め: two adjacent brackets or marks half an em apart
    half_width: str = ""  # marks always set half-width (Korean 〈〉《》): no gap before a particle
    # A short paragraph that ends with none of these is a line (a salutation,
    # a signature), not prose: class "line", which the pack's CSS sets unindented.
    sentence_end: str = ""
    # A list's items all joined by this, no word before the last (Korean
    # reports write 국회의원, 대사관, 정부 부처, not CLDR's "… 및 정부 부처");
    # empty: CLDR's list pattern for the locale (a, b and c; a、b、c).
    list_join: str = ""
    # The CLDR locale whose list pattern joins a list when ``list_join`` is
    # empty, where the house style differs from the pack's own locale
    # (English: en_GB's "a, b and c", no serial comma; en-US its own
    # "a, b, and c"); empty: the pack's locale.
    list_locale: str = ""
    # How a justified line stretches in print (browsers do it themselves):
    # "spaces" (WeasyPrint's way), "characters" (Japanese 両端揃え: between
    # Han, kana and full-width marks, an opening bracket at a line's start
    # trimmed) or "syllables" (Korean: between Hangul syllables as well as at
    # its spaces, words kept whole, so that no word gap opens wide).
    justify: str = "spaces"
    # The most a gap of such a line may grow, in em (0: no limit); a line
    # that would grow more is left ragged, not letter-spaced.
    justify_limit: float = 0.0
    # How many times a gap between syllables a word space grows (Korean: the
    # slack goes mostly into the word spaces, as keep-all is set), and the
    # most it may grow, in em (0: as ``justify_limit``). A line is left
    # ragged only when both kinds of gap would pass their limits.
    justify_space_weight: float = 1.0
    justify_space_limit: float = 0.0
    # A line past both limits is justified anyway, its word spaces taking
    # the rest up to twice their limit, instead of being left ragged (Korean: inside a justified
    # block a loose line reads better than a short one).
    justify_loose: bool = False
    # A word space grown past ``justify_space_ease`` (em, from the font's
    # space; 0: never) lets the gaps between syllables grow up to
    # ``justify_ease_limit`` (em) before it grows further: on the loosest
    # lines the syllables take a little more, unseen, and the widest word
    # gaps open less (Korean 0.15 and 0.1: a word gap near 0.5 em).
    justify_space_ease: float = 0.0
    justify_ease_limit: float = 0.0
    # Print: display text (pull quotes, leads, table cells, panels) breaks
    # only between phrases (文節, BudouX), as Japanese display text is set;
    # browsers: word-break: auto-phrase.
    phrases: bool = False


@dataclass(frozen=True)
class Money:
    """How amounts read (``[money]`` of a pack): ``symbol`` (CLDR's ¥9.8M,
    ￥30,000) or ``unit`` (the number, then the currency's unit word: 980.5万円,
    30,000円), for compact amounts (``compact``) and whole ones (``full``),
    with ``units`` replacing CLDR's unit word for a currency (KRW: 원)."""

    compact: str = "symbol"
    units: tuple[tuple[str, str], ...] = ()
    full: str = "symbol"
    # ``compact = "myriad"``: the words of 10^4, 10^8, 10^12 (만, 억, 조): amounts
    # in whole 만 as Korean reports set them, 8,640만 원, 1억 8,000만 원.
    myriads: tuple[str, ...] = ()
    joined: bool = False  # a whole amount's unit word follows its number unspaced: 360,000원
    table_unit: bool = False  # tables of amounts: the unit once above each, "(단위: 엔)"


@dataclass(frozen=True)
class Pack:
    """One language pack file, its parent's values filled in."""

    tag: str
    name: str
    locale: str | None = None  # exact tag only
    formats: tuple[tuple[str, str], ...] = ()  # exact tag only
    fonts: Fonts = field(default_factory=Fonts)
    css: str = ""
    screen_css: str = ""
    letter: LetterStyle = field(default_factory=LetterStyle)
    words: tuple[tuple[str, Word], ...] = ()
    typography: Typography = field(default_factory=Typography)
    money: Money = field(default_factory=Money)
    scripts: tuple[str, ...] = ("LATIN",)  # the scripts its words are written in
    # The names a table's column may be written with (``[columns]``), by the
    # table registry's column id ("date") or table and id ("people.role"),
    # and those of a column's fixed values (``[values.<column>]``) by column
    # and value ("visibility.internal"); the first name is the one written.
    # reading.column_names checks them against the registry and derives what
    # the readers accept.
    columns: tuple[tuple[str, tuple[str, ...]], ...] = ()
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()


class Language(str):
    """A language tag that carries the report's own words for it.

    It is the tag (``"ko"``), so it goes wherever a tag goes (templates'
    ``lang``, output folders, comparisons); ``labels`` are the report's
    ``[labels.<tag>]`` that ``label`` puts before the pack's words."""

    labels: Labels

    def __new__(cls, tag: str, labels: Labels = ()) -> Language:
        self = super().__new__(cls, tag)
        self.labels = labels
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Language, (str(self), self.labels))


def _editions(tag: str, names: Any) -> tuple[str, ...]:
    """A pack's ``[fonts] one_family``: edition names, each one of EDITIONS."""
    unknown = [n for n in names if n not in EDITIONS]
    if isinstance(names, str) or unknown:
        raise ValueError(f"{tag}.toml: [fonts] one_family names no edition: {unknown or names!r}")
    return tuple(names)


def _word(value: Any) -> Word:
    if isinstance(value, dict):
        return tuple(sorted((str(k), str(v)) for k, v in value.items()))
    return str(value)


@cache
def builtin_tags() -> tuple[str, ...]:
    """The tags that have a pack file, ``en`` first."""
    names = [
        p.name[: -len(".toml")]
        for p in resources.files(__package__).iterdir()
        if p.name.endswith(".toml")
    ]
    return tuple(sorted(names, key=lambda t: (t != DEFAULT, t)))


@cache
def pack(tag: str) -> Pack | None:
    """The built-in pack of exactly ``tag`` (parent merged in), or None."""
    if tag not in builtin_tags():
        return None
    data = tomllib.loads(resources.files(__package__).joinpath(f"{tag}.toml").read_text("utf-8"))
    head = data.get("pack", {})
    parent = pack(head["parent"]) if head.get("parent") else None
    fonts = data.get("fonts")
    css = data.get("css")
    letter = data.get("letter")
    words = dict(parent.words) if parent else {}
    if tag == DEFAULT:
        words.update(edition_titles())
    words.update((k, _word(v)) for k, v in data.get("words", {}).items())
    return Pack(
        tag=tag,
        name=head.get("name", tag),
        locale=head.get("locale"),
        formats=tuple(sorted(data.get("format", {}).items())),
        fonts=Fonts(
            tuple(fonts["sans"]),
            tuple(fonts["serif"]),
            bool(fonts.get("lead")),
            _editions(tag, fonts.get("one_family", ())),
        )
        if fonts
        else (parent.fonts if parent else Fonts()),
        css=css.get("rules", "").strip() if css else (parent.css if parent else ""),
        screen_css=css.get("screen", "").strip() if css else (parent.screen_css if parent else ""),
        letter=replace(parent.letter if parent else LetterStyle(), **letter)
        if letter
        else (parent.letter if parent else LetterStyle()),
        words=tuple(words.items()),
        typography=_typography(data.get("typography"), parent),
        money=_money(data.get("money"), parent),
        scripts=tuple(head.get("scripts", parent.scripts if parent else ("LATIN",))),
        columns=_names(data.get("columns", {}), parent.columns if parent else (), tag),
        values=_names(data.get("values", {}), parent.values if parent else (), tag),
    )


def _names(
    given: dict[str, Any], inherited: tuple[tuple[str, tuple[str, ...]], ...], tag: str
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``[columns]`` or ``[values]`` as ("key" or "outer.key", names) pairs
    over the parent's: a name is a text or a list of texts, the first written."""
    found = dict(inherited)
    for key, value in given.items():
        inner = value if isinstance(value, dict) else {None: value}
        for sub, names in inner.items():
            listed = [names] if isinstance(names, str) else names
            if not (
                isinstance(listed, list)
                and listed
                and all(isinstance(n, str) and n.strip() for n in listed)
            ):
                raise ValueError(f"pack {tag}: '{key}' must name a text or a list of texts")
            found[key if sub is None else f"{key}.{sub}"] = tuple(n.strip() for n in listed)
    return tuple(found.items())


def _typography(given: dict[str, Any] | None, parent: Pack | None) -> Typography:
    """A pack's ``[typography]``: each key given replaces its parent's."""
    base = parent.typography if parent else Typography()
    if not given:
        return base
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in given.items()}
    return replace(base, **values)


def _money(given: dict[str, Any] | None, parent: Pack | None) -> Money:
    base = parent.money if parent else Money()
    if not given:
        return base
    units = {**dict(base.units), **given.get("units", {})}
    return Money(
        str(given.get("compact", base.compact)),
        tuple(sorted(units.items())),
        str(given.get("full", base.full)),
        tuple(given.get("myriads", base.myriads)),
        bool(given.get("joined", base.joined)),
        bool(given.get("table_unit", base.table_unit)),
    )


def base_of(tag: str) -> str:
    return tag.split("-", 1)[0].lower()


def packs_for(tag: str) -> tuple[Pack, ...]:
    """The packs that give ``tag`` its words, nearest first (exact, then base)."""
    found = [pack(tag), pack(base_of(tag)) if base_of(tag) != tag else None]
    return tuple(p for p in found if p is not None)


def has_pack(tag: str) -> bool:
    return bool(packs_for(tag))


def tag_problem(tag: object) -> str | None:
    """Why ``tag`` cannot be a report language, or None when CLDR knows it."""
    if not isinstance(tag, str) or not TAG.fullmatch(tag):
        return messages.NOT_A_TAG(tag=tag)
    return None if _cldr_knows(tag) else messages.NOT_IN_CLDR(tag=tag)


@cache
def _cldr_knows(tag: str) -> bool:
    try:
        Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        return False
    return True


def edition_titles() -> dict[str, Word]:
    """The word of each edition's title (``title_handout``), in English, as
    the edition declares it: the default pack holds it from there, and every
    other pack translates it under the same key."""
    return {f"title_{e.name}": e.title for e in EDITIONS.values() if e.title}


def word_keys() -> tuple[str, ...]:
    """Every word key, in the order of the default pack."""
    default = pack(DEFAULT)
    assert default is not None
    return tuple(k for k, _ in default.words)


@cache
def _words(tag: str, labels: Labels) -> dict[str, Word]:
    words: dict[str, Word] = {}
    for source in (pack(DEFAULT), *reversed(packs_for(tag))):
        if source is not None and (source.tag == DEFAULT or has_pack(tag)):
            words.update(source.words)
    words.update(labels)
    return words


@cache
def _locale_id(tag: str) -> str:
    exact = pack(tag)
    if exact is not None and exact.locale:
        return exact.locale

    return str(Locale.parse(tag, sep="-"))


def locale(language: str) -> str:
    """The Babel locale of a tag (``en_GB``); ``en`` for a tag CLDR does not know."""
    try:
        return _locale_id(str(language))
    except Exception:  # an unchecked tag (check reports it): format as English
        return "en_US"


def fmt(language: str, name: str) -> str | None:
    """A ``[format]`` value of the exact tag's pack (``date_long``, ``date_table``)."""
    exact = pack(str(language))
    return dict(exact.formats).get(name) if exact else None


def _style(language: str) -> Pack:
    found = packs_for(str(language))
    return found[0] if found else Pack(tag=str(language), name=str(language))


def fonts(language: str) -> Fonts:
    return _style(language).fonts


def letter_style(language: str) -> LetterStyle:
    return _style(language).letter


def typography(language: str) -> Typography:
    return _style(language).typography


# The characters between which a justified line stretches, by ``justify``.
_IDEOGRAPHIC = (
    "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6"
)
_BETWEEN = {
    "characters": f"[{_IDEOGRAPHIC}]",
    # Hangul syllables (and Han), never digits or Latin letters: a number
    # letter-spaced reads "2 0 1 3년" (Korean review 1, design review 1), a
    # Latin word "r e p o r t". A line holding a long Latin title may then have
    # too few places to stretch within justify_limit and is left ragged.
    "syllables": f"[\uac00-\ud7a3{_IDEOGRAPHIC}]",
}


def justified_between() -> dict[str, tuple[str, bool, float, float, float, bool, float, float]]:
    """Each built-in pack's ``justify`` other than "spaces": its tag, the
    pattern of a character a justified line stretches beside, whether an
    opening bracket that starts the line is trimmed (Japanese; Korean sets
    its brackets half-width already), its ``justify_limit``, and its word
    spaces' weight and limit (``justify_space_weight``, ``justify_space_limit``),
    whether a line past both limits is justified anyway (``justify_loose``),
    and the space's growth past which the gaps take more, and how much
    (``justify_space_ease``, ``justify_ease_limit``)."""
    found = {}
    for tag in builtin_tags():
        style = typography(tag)
        if style.justify != "spaces":
            found[tag] = (
                _BETWEEN[style.justify],
                style.justify == "characters",
                style.justify_limit,
                style.justify_space_weight,
                style.justify_space_limit or style.justify_limit,
                style.justify_loose,
                style.justify_space_ease,
                style.justify_ease_limit,
            )
    return found


def money(language: str) -> Money:
    return _style(language).money


def script_of(char: str) -> str | None:
    """The script of a letter as Unicode names it (LATIN, HANGUL, HIRAGANA,
    KATAKANA, CJK for Han), or None for anything but a letter."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    if name.startswith("CJK "):
        return "CJK"
    first = name.split(" ", 1)[0]
    return {"FULLWIDTH": "LATIN", "HALFWIDTH": "KATAKANA"}.get(first, first) or None


def written_in(text: str, language: str) -> bool:
    """Whether ``text`` reads as written in ``language``: it has no letter,
    or some letter in one of the scripts of the language's pack ("Dear Ms
    Ellison" is not Korean; "山田 花子 様" is not Korean; "Kato Hiroshi"
    reads as English, and as any language written in Latin letters)."""
    scripts = {script_of(c) for c in text} - {None}
    return not scripts or bool(scripts & set(_style(language).scripts))


def _labels(language: str) -> Labels:
    return getattr(language, "labels", ())


def words(language: str) -> dict[str, str]:
    """Every word as one text (a plural word: its ``other`` form), for templates."""
    return {
        k: (v if isinstance(v, str) else dict(v).get("other", ""))
        for k, v in _words(str(language), _labels(language)).items()
    }


def plural_form(language: str, number: float) -> str:
    try:
        return str(Locale.parse(locale(language)).plural_form(abs(number)))
    except Exception:
        return "other"


def label(language: str, key: str, number: float | None = None, /, **values: object) -> str:
    """The word ``key`` in ``language``, its ``{placeholders}`` filled from
    ``values``; a plural word takes the form CLDR gives ``number``."""
    word = _words(str(language), _labels(language)).get(key)
    if word is None:
        raise KeyError(f"no word {key!r} in any language pack")
    if not isinstance(word, str):
        forms = dict(word)
        form = plural_form(language, number) if number is not None else "other"
        word = forms.get(form, forms.get("other", ""))
    return fill(word, values) if values else word


def fill(text: str, values: Mapping[str, object]) -> str:
    """``text`` with each ``{name}`` replaced by ``values[name]`` as plain text,
    and each ``{name|grammar}`` by the value followed by what ``grammar``
    names (``grammar.apply``: "{org|과}" gives 북한난민구원기금과, NGO와;
    "{count|つ}" gives 2つ). Nothing else of ``str.format`` (no format spec,
    conversion, attribute or index), so a word can neither print Python
    internals nor ask for a billion-character padding. ``check_labels``
    refused anything else already; a built-in word is held to the same rule."""
    out = []
    for literal, field_name, spec, conversion in Formatter().parse(text):
        out.append(literal)
        if field_name is None:
            continue
        name, _, after = field_name.partition("|")
        if spec or conversion or name not in values or (after and not grammar.is_filter(after)):
            raise ValueError(f"a placeholder may only be a name: {text!r}")
        out.append(grammar.apply(values[name], after) if after else str(values[name]))
    return "".join(out)


# --- [labels.<tag>]: what a report may say about words -------------------------


COLUMN = re.compile(r"column_(?P<name>\w+)")  # [labels.<tag>] column_hours = "Hours given"


def is_column_key(key: str) -> bool:
    """``column_<name>``: the heading of a declared table's column ``<name>``."""
    return COLUMN.fullmatch(key) is not None


def column_heading(language: str, column: str) -> str:
    """A declared table's column heading: the report's ``column_<name>`` word,
    else the name capitalised, underscores as spaces (``hours_given``: "Hours given")."""
    word = _words(str(language), _labels(language)).get(f"column_{column}")
    if isinstance(word, str) and word:
        return word
    return column.replace("_", " ").capitalize()


PLACEHOLDER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def placeholders(word: Word) -> frozenset[str]:
    """The ``{names}`` of a word. Raises ``ValueError`` for a brace that is not
    a plain name: ``{org:>9}`` (a format spec), ``{org!r}`` (a conversion),
    ``{org.__class__}`` or ``{org[0]}`` (attribute or index access), ``{}``."""
    texts = [word] if isinstance(word, str) else [t for _, t in word]
    names = set()
    for text in texts:
        for _, field_name, spec, conversion in Formatter().parse(text):
            if field_name is None:
                continue
            name, bar, after = field_name.partition("|")
            if bar and not grammar.is_filter(after):
                raise ValueError(
                    f"'{{{field_name}}}': '{after}' is not grammar reportgen knows (a Korean "
                    "particle such as 과, 이/가, 으로, or the Japanese counter つ)"
                )
            if not PLACEHOLDER_NAME.fullmatch(name) or spec or conversion:
                shown = name + (f"!{conversion}" if conversion else "") + (
                    f":{spec}" if spec else "")  # fmt: skip
                raise ValueError(
                    f"'{{{shown}}}' is not a placeholder: write a name alone, such as "
                    "{org}, with no format, conversion, attribute or index"
                )
            names.add(name)
    return frozenset(names)


@dataclass(frozen=True)
class LabelProblem:
    key: str | None  # None: about the whole [labels.<tag>] table
    message: str
    error: bool = True


def check_labels(tag: str, given: Mapping[str, object]) -> list[LabelProblem]:
    """Problems of one ``[labels.<tag>]`` table: unknown keys (warnings), bad
    values and placeholders that differ from the default (errors)."""
    known = word_keys()
    problems = []
    for key, value in given.items():
        if is_column_key(key):  # a declared table's column heading
            if not isinstance(value, str) or not value.strip():
                problems.append(LabelProblem(key, f"'{key}' must be a text (a column heading)"))
            elif "{" in value or "}" in value:
                problems.append(LabelProblem(key, f"'{key}': a column heading has no placeholders"))
            continue
        if key not in known:
            hint = did_you_mean(key, known)
            problems.append(LabelProblem(key, f"unknown word '{key}'{hint}", error=False))
            continue
        if isinstance(value, dict):
            bad = sorted(set(value) - set(PLURAL_FORMS))
            if bad or "other" not in value or not all(isinstance(v, str) for v in value.values()):
                problems.append(LabelProblem(key, (
                    f"'{key}': plural forms are a table of texts with 'other' and any of "
                    f"{', '.join(PLURAL_FORMS[:-1])}" + (f" (not {', '.join(bad)})" if bad else "")
                )))  # fmt: skip
                continue
        elif not isinstance(value, str):
            problems.append(LabelProblem(key, f"'{key}' must be a text"))
            continue
        default = _words(tag, ())[key] if has_pack(tag) else _words(DEFAULT, ())[key]
        try:
            mine = placeholders(_word(value))
        except ValueError as exc:
            problems.append(LabelProblem(key, f"'{key}': {exc} (write {{{{ for a brace)"))
            continue
        theirs = placeholders(default)
        if mine != theirs:
            lacks = ", ".join(f"{{{p}}}" for p in sorted(theirs - mine))
            extra = ", ".join(f"{{{p}}}" for p in sorted(mine - theirs))
            problems.append(LabelProblem(key, f"'{key}': " + "; ".join(
                part for part in (lacks and f"lacks {lacks}", extra and f"has unknown {extra}")
                if part
            ) + f" (the default: {_plain(default)})"))  # fmt: skip
    return problems


# Words only a setting's output shows, by the setting that asks for them: a
# language without a pack needs them only when that setting is on.
OPTIONAL_WORDS: dict[str, str] = {
    key: "print.pad_to_multiple_of"
    for key in (
        "notes_page",
        "giving_page",
        "giving_page_text",
        "reply_slip",
        "reply_name",
        "reply_gift",
    )
}


def missing_words(
    tag: str, given: Iterable[str], asked: Iterable[str] = (), optional: bool = False
) -> list[str]:
    """The word keys that neither the packs of ``tag`` (its own, its parent's,
    its base language's) nor ``given`` (its ``[labels.<tag>]``) hold: a
    language is never filled in with English words without a word said.
    ``asked``: the settings in use, which make their ``OPTIONAL_WORDS`` needed."""
    asked = set(asked)
    have = {k for k, setting in OPTIONAL_WORDS.items() if setting not in asked}
    have.update(given)
    for found in packs_for(tag):
        have.update(k for k, _ in found.words)
    wanted = optional_word_keys() if optional else required_word_keys()
    return [k for k in wanted if k not in have]


# Words only a report that uses them needs (the receipts'): ``missing_words``
# leaves them out unless asked for them (``optional``), where they are used.
OPTIONAL = ("receipt_",)


def required_word_keys() -> tuple[str, ...]:
    """The words every report language needs (all but the ``OPTIONAL`` ones)."""
    return tuple(k for k in word_keys() if not k.startswith(OPTIONAL))


def optional_word_keys() -> tuple[str, ...]:
    """The words a language needs only where they are used (the receipts')."""
    return tuple(k for k in word_keys() if k.startswith(OPTIONAL))


def _plain(word: Word) -> str:
    return json.dumps(word if isinstance(word, str) else dict(word), ensure_ascii=False)


# --- reportgen labels and the docs -------------------------------------------


def _toml_word(word: Word) -> str:
    if isinstance(word, str):
        return json.dumps(word, ensure_ascii=False)
    forms = dict(word)
    ordered = [f for f in PLURAL_FORMS if f in forms]
    return (
        "{ "
        + ", ".join(f"{f} = {json.dumps(forms[f], ensure_ascii=False)}" for f in ordered)
        + " }"
    )


def labels_toml(tag: str) -> str:
    """Every word of ``tag`` as a ``[labels.<tag>]`` block to paste into a report's TOML."""
    all_words = _words(tag, ())
    source = ", ".join(p.tag for p in packs_for(tag)) or f"{DEFAULT} (no pack for {tag})"
    lines = [
        f"# Every word of reportgen's '{tag}' language pack ({source}).",
        "# Keep the keys you change, delete the rest; {placeholders} must stay.",
        f"[labels.{tag}]",
    ]
    lines += [f"{k} = {_toml_word(all_words[k])}" for k in word_keys()]
    return "\n".join(lines) + "\n"


def _cell(word: Word | None) -> str:
    if word is None:
        return "–"
    text = word if isinstance(word, str) else " / ".join(f"{f}: {t}" for f, t in word)
    return text.replace("|", "\\|").replace("\n", " ")


def docs_table() -> str:
    """The Markdown table of every word key with each built-in pack's wording."""
    tags = builtin_tags()
    own = {t: dict(p.words) if (p := pack(t)) else {} for t in tags}
    lines = [
        "| key | " + " | ".join(f"`{t}`" for t in tags) + " |",
        "|---|" + "---|" * len(tags),
    ]
    default = own[DEFAULT]
    for key in word_keys():
        cells = []
        for t in tags:
            parent = pack(t)
            same = t != DEFAULT and parent is not None and own[t].get(key) == default.get(key)
            cells.append("(as en)" if same else _cell(own[t].get(key)))
        lines.append(f"| `{key}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


DOCS_BEGIN = (
    "<!-- label keys: generated by `python -m reportgen.core.languages --docs`; do not edit -->"
)
DOCS_END = "<!-- end of label keys -->"


def docs_with_table(text: str) -> str:
    """``text`` (docs/report-format.md) with the generated table between its markers."""
    begin, end = text.index(DOCS_BEGIN) + len(DOCS_BEGIN), text.index(DOCS_END)
    return text[:begin] + "\n\n" + docs_table() + "\n" + text[end:]


def css(language: str, medium: str) -> str:
    """The stylesheet rules of a language: its faces, line breaking, typography."""
    found = packs_for(str(language))
    if not found:
        return ""
    style = found[0]
    tag = style.tag  # :lang(ko) matches ko-KR too
    rules = []
    if style.fonts.lead:
        sans = ", ".join(f'"{f}"' for f in style.fonts.sans)
        serif = ", ".join(f'"{f}"' for f in style.fonts.serif)
        rules += [
            f"html:lang({tag}) {{ font-family: {sans}, var(--font-body), sans-serif; }}",
            f':lang({tag}) .prose {{ font-family: {serif}, "Noto Serif", serif; }}',
            f":lang({tag}) .prose h3, :lang({tag}) .prose h4 "
            f"{{ font-family: {sans}, sans-serif; }}",
            # Where the design puts Latin faces first (tables, attributions, a
            # letter's salutation), the language's own faces come next, not the
            # Japanese ones the stylesheets fall back on: the same Hangul, one
            # face fewer embedded (font_subsets, issue 29).
            f":lang({tag}) .prose table, :lang({tag}) .prose blockquote .attribution "
            f'{{ font-family: var(--font-body), "Noto Sans", {sans}, sans-serif; }}',
            # A note's number, in the text and at the head of its side note, in
            # the language's own bold, like the page numbers (margin_stack): no
            # Latin bold face embedded for a "1" (issue 29).
            f":lang({tag}) .prose .footnote-ref, :lang({tag}) .side-note-mark "
            f"{{ font-family: {sans}, var(--font-body), sans-serif; }}",
            # The letter's one serif family (letter.css.j2): date, heading,
            # salutation, signature and address in the language's own serif.
            f":lang({tag}) .letter-salutation, :lang({tag}) .letter-date, "
            f":lang({tag}) .letter-to, :lang({tag}) .letter-sign, :lang({tag}) .signature, "
            f":lang({tag}) .signatures-shared, :lang({tag}) .letter-recipient, "
            f":lang({tag}) .receipt-statement "  # and a receipt's statement (receipt.css.j2)
            f'{{ font-family: "Noto Serif", {serif}, serif; }}',
        ]
    if style.fonts.lead and style.fonts.one_family:
        sans = ", ".join(f'"{f}"' for f in style.fonts.sans)
        inside = [f":lang({tag}) .edition-{name}" for name in style.fonts.one_family]
        rules += [
            # One family, two weights (``[fonts] one_family``): the prose and
            # the signatures under the general letter in the sans the headings,
            # tables and figures are set in.
            ", ".join(f"{e} .prose, {e} .signature, {e} .signatures-shared" for e in inside)
            + f" {{ font-family: {sans}, var(--font-body), sans-serif; }}",
            # Emphasis, set apart by the gothic face in serif prose, is set
            # apart by the headings' colour: not bold (a title in 『』 or 《》
            # must not shout), and no face more.
            ", ".join(f"{e} .prose em" for e in inside) + " { color: var(--primary-text); }",
        ]
    if style.css:
        rules.append(style.css)
    if medium == "screen" and style.screen_css:
        rules.append(style.screen_css)
    return "\n".join(rules) + "\n" if rules else ""


def as_word(value: object) -> Word:
    """A checked ``[labels.<tag>]`` value as a pack word."""
    return _word(value)


def font_stack(font: str, tags: Iterable[str], *, own_first: bool = False) -> str:
    """The CSS font list of page margins and letters: the theme's font, Noto
    Sans, then each language's own faces (Hangul from the KR face, not JP's).
    ``own_first``: the page margins of a document wholly in languages whose
    packs lead with their own faces (a Japanese edition) put those faces
    first, as its body does; its running heads' figures and page numbers
    then embed no Latin face of their own (issue 29). Receipts and letters,
    whose shared stylesheet also sets English, and the side column's notes
    and pull quotes (whose lines a change of face would move) keep the
    theme's font first."""
    tags = list(tags)
    own = [name for tag in tags for name in fonts(tag).sans]
    lead = own_first and bool(tags) and all(fonts(tag).lead for tag in tags)
    names = [*own, font, "Noto Sans"] if lead else [font, "Noto Sans", *own]
    names.append("Noto Sans CJK JP")  # v1's fallback for any other CJK text
    return ", ".join(f"'{n}'" for n in dict.fromkeys(names)) + ", sans-serif"


def chart_fonts(font: str, language: str) -> list[str]:
    """matplotlib's sans-serif list: a CJK language measures its labels with its
    own faces first; others with the theme's font, CJK faces as fallback."""
    own = list(fonts(language).sans)
    names = [*own, font] if fonts(language).lead else [font, "Noto Sans CJK JP"]
    return [*dict.fromkeys(names), "DejaVu Sans"]


# The messages' translations call the same grammar as the packs ({value|은}).
messages.GRAMMAR[:] = [grammar.apply]
