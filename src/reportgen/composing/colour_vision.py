"""How colours look to a reader: the colour science behind the palette.

``palette`` builds the chart series from the theme's two colours with the
lightness ladder here, so that every series colour stays distinct when a
report is printed in greyscale (CIE L*, the lightness a grey printer keeps)
and, because lightness survives colour-vision deficiency, for readers who do
not tell red from green. The simulation of protanopia, deuteranopia and
tritanopia (Machado, Oliveira and Fernandes 2009, severity 1) lets the tests
and the build check a palette instead of trusting it. Pure arithmetic on
``#rrggbb`` strings; nothing here draws.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Lab = tuple[float, float, float]
Matrix = tuple[tuple[float, float, float], ...]

# sRGB (D65) to CIE XYZ and back; the reference white of CIE L*a*b*.
_TO_XYZ: Matrix = (
    (0.4124564, 0.3575761, 0.1804375),
    (0.2126729, 0.7151522, 0.0721750),
    (0.0193339, 0.1191920, 0.9503041),
)
_FROM_XYZ: Matrix = (
    (3.2404542, -1.5371385, -0.4985314),
    (-0.9692660, 1.8760108, 0.0415560),
    (0.0556434, -0.2040259, 1.0572252),
)
_WHITE = (0.95047, 1.0, 1.08883)

# Machado et al. (2009), table of simulation matrices, severity 1.0, applied
# to linear RGB.
CVD: dict[str, Matrix] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _apply(m: Matrix, v: Sequence[float]) -> tuple[float, float, float]:
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _gamma(channel: float) -> float:
    return 12.92 * channel if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


def linear_rgb(color: str) -> tuple[float, float, float]:
    hex_ = color.lstrip("#")
    if len(hex_) == 3:
        hex_ = "".join(ch * 2 for ch in hex_)
    r, g, b = (int(hex_[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return _linear(r), _linear(g), _linear(b)


def _hex_linear(rgb: Sequence[float]) -> str:
    return "#" + "".join(
        f"{round(min(1.0, max(0.0, _gamma(min(1.0, max(0.0, c))))) * 255):02x}" for c in rgb
    )


def _lab_of_linear(rgb: Sequence[float]) -> Lab:
    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    x, y, z = (v / w for v, w in zip(_apply(_TO_XYZ, rgb), _WHITE, strict=True))
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def lab(color: str) -> Lab:
    """CIE L*a*b* (D65) of an sRGB colour."""
    return _lab_of_linear(linear_rgb(color))


def lightness(color: str) -> float:
    """CIE L*, 0 (black) to 100 (white): what a greyscale print keeps."""
    return lab(color)[0]


def _linear_of_lab(value: Lab) -> tuple[float, float, float]:
    def f_inv(t: float) -> float:
        return t**3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29)

    light, a, b = value
    fy = (light + 16) / 116
    xyz = (
        _WHITE[0] * f_inv(fy + a / 500),
        _WHITE[1] * f_inv(fy),
        _WHITE[2] * f_inv(fy - b / 200),
    )
    return _apply(_FROM_XYZ, xyz)


def _in_gamut(rgb: Sequence[float]) -> bool:
    return all(-1e-6 <= c <= 1 + 1e-6 for c in rgb)


def at_lightness(color: str, target: float) -> str:
    """``color``'s hue at lightness ``target``, as much of its chroma as sRGB
    allows there (light tints of a saturated colour lose some)."""
    _, a, b = lab(color)
    chroma, hue = math.hypot(a, b), math.atan2(b, a)
    low, high = 0.0, chroma
    for _ in range(30):  # bisect the largest chroma that stays inside sRGB
        mid = (low + high) / 2
        rgb = _linear_of_lab((target, mid * math.cos(hue), mid * math.sin(hue)))
        low, high = (mid, high) if _in_gamut(rgb) else (low, mid)
    return _hex_linear(_linear_of_lab((target, low * math.cos(hue), low * math.sin(hue))))


def at_hue(degrees: float, light: float, chroma: float) -> str:
    """The colour of CIE LCh hue ``degrees`` at lightness ``light``, with at
    most ``chroma`` (less where sRGB has no more at that lightness)."""
    hue = math.radians(degrees)
    seed = _hex_linear(_linear_of_lab((50.0, 60 * math.cos(hue), 60 * math.sin(hue))))
    full = at_lightness(seed, light)
    _, a, b = lab(full)
    if math.hypot(a, b) <= chroma:
        return full
    return _hex_linear(_linear_of_lab((light, chroma * math.cos(hue), chroma * math.sin(hue))))


def simulate(color: str, deficiency: str) -> str:
    """How ``color`` looks with a colour-vision ``deficiency`` (a key of CVD)."""
    return _hex_linear(_apply(CVD[deficiency], linear_rgb(color)))


def distance(one: str, other: str) -> float:
    """CIE76 colour difference (Euclidean in L*a*b*)."""
    return math.dist(lab(one), lab(other))


def ladder(count: int, darkest: float, lightest: float) -> tuple[float, ...]:
    """``count`` lightness levels, evenly spaced from ``darkest`` to ``lightest``."""
    if count == 1:
        return (darkest,)
    step = (lightest - darkest) / (count - 1)
    return tuple(darkest + step * i for i in range(count))
