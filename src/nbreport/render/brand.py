"""A report's brand as CSS: colours made readable, fonts checked, text made safe for CSS.

Any primary and accent colour an agency picks still gives readable text (WCAG AA,
4.5:1): the cover's text is white or ink, whichever contrasts more with the primary
colour; headings and links use the brand colours darkened just enough for white paper.
"""

from __future__ import annotations

import re

from nbreport.charts.colours import contrast_ratio, darken_until_readable, normalise_hex

WHITE = "#ffffff"
INK = "#1d2733"  # the report's body text colour
_UNSAFE_IN_FONT_STACK = re.compile(r"[;{}<>\\]")


def readable_on(background: str) -> str:
    """White or the ink colour, whichever contrasts more with ``background``."""
    return WHITE if contrast_ratio(WHITE, background) >= contrast_ratio(INK, background) else INK


def brand_css_variables(primary: str, accent: str, font_family: str) -> dict[str, str]:
    """The CSS custom properties of one report's brand.

    Raises
    ------
    ValueError
        When a colour is not ``#rgb``/``#rrggbb`` or the font stack holds a character that
        could end the CSS declaration (the params schema rejects both before this point; the
        template writes these values into a ``<style>`` element, so they are checked again).
    """
    if _UNSAFE_IN_FONT_STACK.search(font_family):
        raise ValueError(f"'{font_family}' is not a CSS font stack")
    primary, accent = normalise_hex(primary), normalise_hex(accent)
    return {
        "--brand-primary": primary,
        "--brand-on-primary": readable_on(primary),
        "--brand-primary-text": darken_until_readable(primary),
        "--brand-accent": accent,
        "--brand-accent-text": darken_until_readable(accent),
        "--brand-font": font_family,
    }


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, safe inside a ``<style>`` element."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;!?()&-_'/·–" else f"\\{ord(ch):x} "
                      for ch in text)
    return f'"{escaped}"'
