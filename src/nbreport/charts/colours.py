"""Colour arithmetic for brand colours: parsing, WCAG contrast, colour-vision-deficiency checks.

Used by the chart theme (a palette that stays distinguishable for colour-blind readers)
and by the report template (text in brand colours that stays readable).
"""

from __future__ import annotations

import math
import re

RGB = tuple[float, float, float]

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
WHITE = "#ffffff"
TEXT_CONTRAST = 4.5  # WCAG AA for normal text
DARKEN_STEP = 0.92

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB: how the three
# common colour-vision deficiencies see a colour.
CVD_MATRICES: dict[str, tuple[RGB, RGB, RGB]] = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}


def normalise_hex(colour: str) -> str:
    """``#rrggbb`` in lower case from ``#rgb`` or ``#rrggbb``; ValueError for anything else.

    The pattern comes first: matplotlib also reads names, ``C0``, ``0.5`` and ``#rrggbbaa``,
    none of which may reach the report's CSS.
    """
    if not _HEX.fullmatch(colour):
        raise ValueError(f"'{colour}' is not a colour of the form #rrggbb")
    from matplotlib.colors import to_hex  # here, not at the top: brand CSS needs no chart

    return to_hex(colour)


def to_rgb(colour: str) -> RGB:
    """Channels 0..1 of a hex colour."""
    from matplotlib.colors import to_rgb as channels

    return channels(normalise_hex(colour))


def to_hex(rgb: RGB) -> str:
    """``#rrggbb`` of channels 0..1; a channel a little outside (float noise) is clamped."""
    from matplotlib.colors import to_hex as hex_of  # it refuses anything outside 0..1

    return hex_of(tuple(min(max(c, 0.0), 1.0) for c in rgb))


# The formulas below are specifications, written as published, not conversions a library
# offers: sRGB linearisation and WCAG 2 relative luminance and contrast ratio, the CVD
# simulation matrices of Machado et al. (2009) and CIE L*a*b* (D65). matplotlib.colors
# parses and prints the colours above; it has no luminance, CVD or Lab functions.
def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _gamma(channel: float) -> float:
    channel = min(max(channel, 0.0), 1.0)
    return channel * 12.92 if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance (0 black .. 1 white)."""
    red, green, blue = (_linear(c) for c in to_rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio, from 1 (the same) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def darken_until_readable(colour: str, background: str = WHITE, minimum: float = TEXT_CONTRAST) -> str:
    """``colour`` darkened just enough to reach ``minimum`` contrast on ``background``."""
    rgb = to_rgb(colour)
    while contrast_ratio(to_hex(rgb), background) < minimum:
        rgb = (rgb[0] * DARKEN_STEP, rgb[1] * DARKEN_STEP, rgb[2] * DARKEN_STEP)
    return to_hex(rgb)


def simulate(colour: str, deficiency: str) -> str:
    """How ``colour`` looks to a reader with ``deficiency`` (a key of :data:`CVD_MATRICES`)."""
    linear = [_linear(c) for c in to_rgb(colour)]
    rows = CVD_MATRICES[deficiency]
    seen = tuple(_gamma(sum(weight * value for weight, value in zip(row, linear))) for row in rows)
    return to_hex(seen)  # type: ignore[arg-type]


def _lab(colour: str) -> RGB:
    """CIE L*a*b* (D65) of a hex colour."""
    red, green, blue = (_linear(c) for c in to_rgb(colour))
    x = (0.4124 * red + 0.3576 * green + 0.1805 * blue) / 0.95047
    y = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    z = (0.0193 * red + 0.1192 * green + 0.9505 * blue) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def colour_distance(first: str, second: str) -> float:
    """Perceptual distance (CIE76 delta E): about 2 is just noticeable, 20 clearly different."""
    return math.dist(_lab(first), _lab(second))


def distinguishable(first: str, second: str, minimum: float) -> bool:
    """True when the two colours differ by ``minimum`` delta E for normal vision and for
    each colour-vision deficiency."""
    if colour_distance(first, second) < minimum:
        return False
    return all(colour_distance(simulate(first, d), simulate(second, d)) >= minimum
               for d in CVD_MATRICES)
