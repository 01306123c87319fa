"""One palette for the stylesheet and the charts, derived from the theme.

The director picks two colours; the rest (tints for chart series, ink, rules,
backgrounds) is derived so that the charts look like part of the document.
Colours reaching here were checked by ``config``; this module only mixes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise, permutations

from reportgen.composing.colour_vision import (
    CVD,
    Lab,
    at_hue,
    at_lightness,
    lab,
    ladder,
    lightness,
    simulate,
)
from reportgen.reading.model import Theme

INK = "#1d2430"
MUTED = "#5b6472"
RULE = "#d5d9e0"
PAPER = "#ffffff"
# Chart series: this many colours of their own, then "Other". Seven steps of
# lightness from L* 25 to 90 are about 11 apart: distinct in a greyscale print.
SERIES_SLOTS = 6
DARKEST, LIGHTEST = 25.0, 90.0
# A worst pair this far apart (CIE76, for every kind of colour vision) is
# enough; past it the theme's own colours matter more.
ENOUGH = 20.0


def _rgb(color: str) -> tuple[int, int, int]:
    hex_ = color.lstrip("#")
    if len(hex_) == 3:
        hex_ = "".join(ch * 2 for ch in hex_)
    return int(hex_[0:2], 16), int(hex_[2:4], 16), int(hex_[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0, min(255, c))):02x}" for c in rgb)


def mix(color: str, other: str, amount: float) -> str:
    """``color`` moved ``amount`` (0..1) of the way towards ``other``."""
    a, b = _rgb(color), _rgb(other)
    return _hex(tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True)))  # type: ignore[arg-type]


def luminance(color: str) -> float:
    """WCAG relative luminance."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_on(background: str) -> str:
    """Ink or paper, whichever reads better on ``background``."""
    return PAPER if contrast(background, PAPER) >= contrast(background, INK) else INK


def text_safe(color: str, background: str = PAPER, ratio: float = 4.5) -> str:
    """``color`` darkened until text in it meets ``ratio`` on ``background``."""
    shade = color
    for step in range(1, 11):
        if contrast(shade, background) >= ratio:
            break
        shade = mix(color, INK, step / 10)
    return shade


@dataclass(frozen=True)
class Palette:
    primary: str
    accent: str
    primary_text: str  # the primary colour, dark enough for text on paper
    accent_text: str
    on_primary: str
    primary_tint: str  # pale backgrounds
    accent_tint: str
    ink: str = INK
    muted: str = MUTED
    rule: str = RULE
    paper: str = PAPER

    @property
    def series(self) -> tuple[str, ...]:
        """Colours for chart categories, one per slot (``SERIES_SLOTS``), most
        important first: the theme's two hues alternating on a lightness
        ladder, so that no two share a grey."""
        return _series(self.primary, self.accent)

    @property
    def other(self) -> str:
        """The colour of "Other" (the categories past the last slot): a pale
        neutral grey, the lightest step of the ladder, drawn hatched."""
        return at_lightness("#808080", _levels()[-1])

    def css_variables(self) -> str:
        names = {
            "primary": self.primary,
            "accent": self.accent,
            "primary-text": self.primary_text,
            "accent-text": self.accent_text,
            "on-primary": self.on_primary,
            "primary-tint": self.primary_tint,
            "accent-tint": self.accent_tint,
            "ink": self.ink,
            "muted": self.muted,
            "rule": self.rule,
            "paper": self.paper,
        }
        # The chart series as variables too: HTML keys and swatches use the
        # charts' own colours.
        names.update({f"series-{i}": c for i, c in enumerate(self.series, 1)})
        names["series-other"] = self.other
        return "".join(f"--{k}:{v};" for k, v in names.items())


# Colours side by side in one chart (segments of a stack or a ring) this far
# apart (CIE76, as the reader who tells them apart least sees them) read as
# two; below it they read as one colour in two shades.
NEIGHBOURS_APART = 20.0


def apart(one: str, other: str) -> float:
    """How far apart two colours are for the reader who tells them apart
    least: normal vision and each deficiency of ``colour_vision.CVD``."""
    return _apart(_views(one), _views(other))


def close_neighbours(colours: Sequence[str]) -> list[tuple[int, int, float]]:
    """Each pair of neighbours (``colours[i]`` and ``colours[i + 1]``) that
    ``NEIGHBOURS_APART`` does not separate, with their distance."""
    return [
        (i, i + 1, round(d, 1))
        for i, (a, b) in enumerate(pairwise(colours))
        if (d := apart(a, b)) < NEIGHBOURS_APART
    ]


def worst_pair(p: Palette) -> tuple[str, str, float] | None:
    """The two chart colours (series and "Other") nearest each other, and how
    far apart they are (``apart``), when ``NEIGHBOURS_APART`` does not
    separate them: any two categories may stand side by side in a stack. The
    palette is already the best arrangement of the theme's two hues
    (``_series``); only other theme colours do better."""
    colours = [*p.series, p.other]
    pairs = [(a, b, apart(a, b)) for i, a in enumerate(colours) for b in colours[i + 1 :]]
    nearest = min(pairs, key=lambda pair: pair[2])
    return nearest if nearest[2] < NEIGHBOURS_APART else None


# One meaning per colour (review 2: coral was Advocacy, Expenses and
# Fundraising on facing pages). Categories own the series; income against
# expenses own a two-tone pair; the functions of spending own a family of a
# third hue. The money pair is grey when grey stands ``OWN_APART`` (CIE76)
# from every category colour, else the muted hue that stands farthest; the
# functions take the hue that stands farthest from both. Distance is judged
# with normal vision: the series already fill the lightness ladder in two
# hues, so for a colour-blind reader a third family always resembles one of
# them (every chart names its colours in a key or beside the mark). Within a
# family the steps of lightness keep neighbours apart for every reader.
OWN_APART = 15.0
# Lightness of the two tones (income dark, expenses light) and of the
# function family (programmes, fundraising, administration, not assigned).
MONEY_LEVELS = (38.0, 70.0)
FUNCTION_LEVELS = (34.0, 56.0, 76.0)
_HUES = tuple(range(0, 360, 15))


def _neutral(level: float) -> str:
    return at_lightness("#808080", level)


def _family(
    taken: Sequence[str], candidates: Sequence[tuple[str, ...]], farthest: bool = False
) -> tuple[str, ...]:
    seen = [lab(c) for c in taken]

    def score(family: tuple[str, ...]) -> float:
        return min(math.dist(lab(c), t) for c in family for t in seen)

    for family in () if farthest else candidates:
        if score(family) >= OWN_APART:
            return family
    return max(candidates, key=score)


def money_colours(p: Palette) -> tuple[str, str]:
    """Income and expenses, wherever they stand side by side: a dark and a
    light tone of grey, or of a muted hue when the theme's series are grey."""
    return _money(p.primary, p.accent)


def function_colours(p: Palette) -> tuple[str, str, str, str]:
    """The colours of programme, fundraising, administration and "not
    assigned" spending, the same in every year: three steps of lightness of
    the hue farthest from every category and both money tones, then the grey
    of "Other" (what is left over means the same everywhere)."""
    return _functions(p.primary, p.accent)


@cache
def _money(primary: str, accent: str) -> tuple[str, str]:
    taken = [*_series(primary, accent), _neutral(_levels()[-1])]
    candidates = [tuple(_neutral(level) for level in MONEY_LEVELS)] + [
        tuple(at_hue(h, level, 14.0) for level in MONEY_LEVELS) for h in _HUES
    ]
    income, expenses = _family(taken, candidates)
    return income, expenses


@cache
def _functions(primary: str, accent: str) -> tuple[str, str, str, str]:
    taken = [*_series(primary, accent), _neutral(_levels()[-1]), *_money(primary, accent)]
    own = _family(
        taken,
        [tuple(at_hue(h, level, 32.0) for level in FUNCTION_LEVELS) for h in _HUES],
        farthest=True,
    )
    program, fundraising, administration = own
    return program, fundraising, administration, _neutral(_levels()[-1])


def palette(theme: Theme) -> Palette:
    primary = theme.primary_color.lower()
    accent = theme.accent_color.lower()
    return Palette(
        primary=primary,
        accent=accent,
        primary_text=text_safe(primary),
        accent_text=text_safe(accent),
        on_primary=readable_on(primary),
        primary_tint=mix(primary, PAPER, 0.92),
        accent_tint=mix(accent, PAPER, 0.9),
    )


@cache
def _levels() -> tuple[float, ...]:
    return ladder(SERIES_SLOTS + 1, DARKEST, LIGHTEST)


@cache
def _series(primary: str, accent: str) -> tuple[str, ...]:
    """The hues alternate by slot (primary, accent, primary, ...); which
    lightness step each slot takes is chosen among every arrangement: first
    the one whose worst pair stays farthest apart for every reader (normal
    vision and the three colour-vision deficiencies, ``colour_vision.CVD``), up
    to ``ENOUGH``; then the one keeping slots 1 and 2 nearest the theme's own
    colours; then the one whose neighbours in a stack differ most."""
    levels = _levels()[:-1]  # the lightest step is "Other"'s
    hues = (primary, accent)
    colour = {
        (h, i): at_lightness(hues[h], level) for h in (0, 1) for i, level in enumerate(levels)
    }
    seen: dict[tuple[int, int] | None, tuple[Lab, ...]] = {
        key: _views(c) for key, c in colour.items()
    }
    seen[None] = _views(at_lightness("#808080", _levels()[-1]))  # "Other"
    # How far apart each two of the colours are, once (the arrangements
    # below compare the same pairs 720 times over).
    far = {(a, b): _apart(seen[a], seen[b]) for a in seen for b in seen if a != b}

    def score(order: tuple[int, ...]) -> tuple[float, float, float]:
        keys: list[tuple[int, int] | None] = [(slot % 2, level) for slot, level in enumerate(order)]
        keys.append(None)
        worst = min(far[a, b] for i, a in enumerate(keys) for b in keys[i + 1 :])
        brand = abs(levels[order[0]] - lightness(primary)) + abs(
            levels[order[1]] - lightness(accent)
        )
        steps = min(abs(levels[a] - levels[b]) for a, b in pairwise(order))
        return (min(worst, ENOUGH), -brand, steps)

    best = max(permutations(range(len(levels))), key=score)
    return tuple(colour[(slot % 2, level)] for slot, level in enumerate(best))


def _views(color: str) -> tuple[Lab, ...]:
    """L*a*b* of ``color`` as seen with normal vision and each deficiency."""
    return (lab(color), *(lab(simulate(color, kind)) for kind in CVD))


def _apart(one: tuple[Lab, ...], other: tuple[Lab, ...]) -> float:
    return min(math.dist(a, b) for a, b in zip(one, other, strict=True))
