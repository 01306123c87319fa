"""One palette for the stylesheet and the charts, derived from the theme.

The director picks two colours; the rest (tints for chart series, ink, rules,
backgrounds) is derived so that the charts look like part of the document.
Colours reaching here were checked by ``config``; this module only mixes.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.model import Theme

INK = "#1d2430"
MUTED = "#5b6472"
RULE = "#d5d9e0"
PAPER = "#ffffff"


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
        """Colours for chart categories, most important first."""
        return (
            self.primary,
            self.accent,
            mix(self.primary, PAPER, 0.45),
            mix(self.accent, PAPER, 0.45),
            mix(self.primary, INK, 0.45),
            "#8a919c",
            mix(self.accent, INK, 0.4),
            mix(self.primary, PAPER, 0.7),
        )

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
        return "".join(f"--{k}:{v};" for k, v in names.items())


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
